"""Backup, verify and restore without the window: a round trip with every table's rows equal, a backup while
another thread keeps saving cases, a stick pulled out after N bytes (for many N) and a full stick, wrong
passwords and damaged files refused with nothing changed, no name or ID number readable in a backup's
bytes, keeping the last N, the daily local snapshot, a database on removable storage refused, the command
line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import itertools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.backup import container, drives, engine, files, snapshot
from fulian_desktop.backup.errors import BackupError, Cancelled, Damaged, NoSpace, TooNew, WrongPassword
from fulian_desktop.cli import main as cli
from fulian_desktop.demo import generate as demo
from fulian_desktop.domain.errors import StorageError
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, backup, petitions, settings, start_page
from fulian_desktop.services.context import Context
from fulian_desktop.store import keys
from fulian_desktop.store.connection import connect

from .conftest import ALL_ROLES, CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock

BACKUP_PASSWORD = "东山县妇联-备份-2026"
NAMES = ["柳如烟", "欧阳晓雯", "司马翠花", "诸葛秀英"]
IDS = [make_id_number("110105", dt.date(1985 + i, 3, 14), 17 + i, True) for i in range(len(NAMES))]
PHONES = [f"1391234{5670 + i}" for i in range(len(NAMES))]
FACTS = "丈夫酒后多次殴打，上周在村口再次动手，邻居报警。"


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """64 KiB chunks: the small test databases still make backups of many chunks."""
    monkeypatch.setattr(container, "CHUNK", 64 * 1024)


def register(ctx: Context, i: int, facts: str = FACTS) -> int:
    case_id, _no = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name=NAMES[i % len(NAMES)] if i < len(NAMES) else f"测试{i}号", sex="女",
                          id_number=IDS[i] if i < len(IDS) else "", phone=PHONES[i] if i < len(PHONES) else ""),
        concerned=None, category="其他", subcategory="", facts=facts, request="咨询", dv=False, safety_risk=False,
        receiving_staff="接待员",
    ))
    return case_id


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Iterator[Context]:
    """The test account's database with an office name, the backup password, made-up cases and four people
    whose names and ID numbers must never be readable in a backup. (A test may close it, or restore over it.)"""
    ctx, _recovery, _aside = accounts.set_up(
        tmp_path / "test.db", [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    settings.set_office_name(ctx, "东山县妇联")
    backup.set_password(ctx, BACKUP_PASSWORD, BACKUP_PASSWORD)
    demo.generate(ctx, 60, seed=5)
    for i in range(len(NAMES)):
        register(ctx, i)
    yield ctx
    if ctx.session is not None:
        ctx.close()


def dump(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").fetchall()]
    return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def db_key_of(path: Path, user: str = TEST_USER, password: str = TEST_PASSWORD) -> bytes:
    kf = keys.KeyFile.load(keys.keyfile_path(path))
    assert kf is not None
    key = kf.unwrap(user, password)
    assert key is not None
    return key


def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick" / files.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def good_backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(files.EXTENSION))


# --- the round trip -----------------------------------------------------------------------------------


def test_round_trip_restores_every_row_into_an_empty_folder(office: Context, tmp_path: Path, clock: Clock) -> None:
    assert office.path is not None
    before = dump(office.db.conn)
    audit_before = office.db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    outcome = backup.make_backup(office, stick(tmp_path))
    assert outcome.path.name == "东山县妇联_2026-03-10_093000.fulian-backup"
    assert outcome.header["cases"]["petition"] >= len(NAMES) and outcome.header["office"] == "东山县妇联"
    assert not list(office.path.parent.glob(".fulian-backup-*")), "the work folder is cleaned up"

    target = tmp_path / "new-pc" / "fulian.db"
    opened = backup.open_without_account(outcome.path, target, BACKUP_PASSWORD)
    assert opened.office == "东山县妇联" and opened.created_at == dt.datetime(2026, 3, 10, 9, 30)
    assert opened.newest is not None and opened.newest["case_no"].startswith("信访")
    done = backup.restore_without_account(opened, target, clock=clock)
    assert done.aside is None and target.exists() and keys.keyfile_path(target).exists()
    assert not list(target.parent.glob(".fulian-backup-*"))

    conn = connect(target, db_key_of(target))
    try:
        after = dump(conn)
        audit_after = conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    finally:
        conn.close()
    # everything is row for row what was backed up; the restored database's trail adds that it was restored,
    # and its settings that this backup was made (the copy inside the backup was taken before it was finished)
    last = ("last_backup_at", "last_backup_place", "last_backup_file")
    for table in before:
        if table == "settings":
            assert [r for r in after[table] if r[0] not in last] == [r for r in before[table] if r[0] not in last]
        elif table not in ("audit", "audit_head", "record_history"):
            assert after[table] == before[table], table
    assert {r[0]: r[1] for r in after["settings"] if r[0] in last} == {
        "last_backup_at": "2026-03-10T09:30:00", "last_backup_place": str(outcome.path.parent),
        "last_backup_file": outcome.path.name}
    assert audit_after[:len(audit_before)] == audit_before
    assert [(r[4], r[7]) for r in audit_after[len(audit_before):]] == [
        ("restore", outcome.path.name), *(("setting.change", key) for key in last)]
    # the office's accounts sign in on the restored database, with the passwords of the backup
    again = accounts.sign_in(target, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert again.user is not None and again.user.display_name == "测试员"
        assert petitions.get(again, register_id(again)).petitioner.name == NAMES[-1]
    finally:
        again.close()


def register_id(ctx: Context) -> int:
    row = ctx.db.execute("SELECT c.id FROM cases c JOIN people p ON p.id = c.person_id WHERE p.name = ?",
                         [NAMES[-1]]).fetchone()
    return int(row[0])


def test_the_backup_file_shows_no_name_id_number_phone_or_case_text(office: Context, tmp_path: Path) -> None:
    outcome = backup.make_backup(office, stick(tmp_path))
    raw = outcome.path.read_bytes()
    secrets = [*NAMES, *IDS, *PHONES, FACTS, "东山县妇联", "东山镇", "测试员", TEST_USER]
    for text in secrets:
        for encoding in ("utf-8", "utf-16-le", "gb18030"):
            assert text.encode(encoding) not in raw, (text, encoding)
    assert b"SQLite format 3" not in raw
    # the clear preamble says only how to derive the key
    pre = container.read_preamble(io.BytesIO(raw))
    assert set(pre.params) == {"kdf", "salt", "time_cost", "memory_cost", "parallelism"}
    # and the file name holds the office and the time, nothing about a case
    assert all(n not in outcome.path.name for n in NAMES)


def test_settings_remember_the_last_good_backup_and_the_start_page_warns(office: Context, tmp_path: Path,
                                                                        clock: Clock) -> None:
    assert start_page.backup_age_text(office) == ("还没有备份到U盘，请尽快备份", True)  # from the first day
    folder = stick(tmp_path)
    backup.make_backup(office, folder)
    s = backup.status(office)
    assert s.last_at == dt.datetime(2026, 3, 10, 9, 30) and s.last_place == str(folder)
    assert start_page.backup_age_text(office) == ("上次备份到U盘：今天（2026年3月10日 09:30）", False)
    clock.advance(7)
    text, late = start_page.backup_age_text(office)
    assert late and text.endswith("请尽快备份")
    backup.set_options(office, keep=5, warn_days=14)
    assert start_page.backup_age_text(office)[1] is False
    clock.advance(7)
    assert start_page.backup_age_text(office)[1] is True
    entries = office.db.execute("SELECT event, result FROM audit WHERE event = 'backup'").fetchall()
    assert entries == [("backup", "ok")]


# --- consistency while others save --------------------------------------------------------------------


def test_backup_while_another_thread_saves_cases(office: Context, tmp_path: Path, clock: Clock,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert office.path is not None
    monkeypatch.setattr(snapshot, "PAGES_PER_STEP", 4)  # many small steps: the writer gets in between them
    writer = accounts.sign_in(office.path, TEST_USER, TEST_PASSWORD, clock=clock)
    stop = threading.Event()
    saved: list[int] = []
    errors: list[BaseException] = []

    def save() -> None:
        try:
            while not stop.is_set():
                try:
                    saved.append(register(writer, 100 + len(saved), facts=f"第{len(saved)}次来访"))
                except StorageError as e:  # two writers at one moment: the user presses 保存 again
                    if "另一个程序" not in e.message:
                        raise
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    thread = threading.Thread(target=save)
    thread.start()
    try:
        while len(saved) < 3 and thread.is_alive():
            stop.wait(0.01)
        outcome = backup.make_backup(office, stick(tmp_path))
        during = len(saved)
        while len(saved) < during + 3 and thread.is_alive():
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert not errors
    opened = backup.open_without_account(outcome.path, tmp_path / "check" / "fulian.db", BACKUP_PASSWORD)
    try:
        conn = connect(opened.staged, opened.db_key)
        try:
            cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            petitions_n = conn.execute("SELECT count(*) FROM petitions").fetchone()[0]
            registered = conn.execute("SELECT count(DISTINCT case_id) FROM timeline").fetchone()[0]
            indexed = conn.execute("SELECT count(*) FROM search_tri_docsize").fetchone()[0]
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    finally:
        opened.discard()
    total = office.db.execute("SELECT count(*) FROM cases").fetchone()[0]
    # the copy is one moment: every case in it complete with its kind's row, timeline and search entry
    assert cases == registered == indexed
    assert petitions_n == opened.cases["petition"]
    assert cases < total, "cases saved after the snapshot began are not in it"


# --- a failing stick ------------------------------------------------------------------------------------


class FailingFile(io.FileIO):
    """A file on a stick that is pulled out after `limit` bytes (or is full: `code` ENOSPC)."""

    def __init__(self, path: Path, limit: int, code: int = errno.EIO) -> None:
        super().__init__(path, "xb")
        self.limit = limit
        self.code = code
        self.count = 0

    def write(self, data: Any) -> int:
        n = len(memoryview(data))
        if self.count + n > self.limit:
            raise OSError(self.code, os.strerror(self.code))
        self.count += n
        return super().write(data)


@pytest.fixture
def first_backup(office: Context, tmp_path: Path) -> Path:
    outcome = backup.make_backup(office, stick(tmp_path))
    return outcome.path


def _attempt(ctx: Context, folder: Path, clock: Clock, opener: Any) -> BaseException:
    clock.now += dt.timedelta(minutes=1)
    job = backup.prepare(ctx, folder)
    with pytest.raises(BackupError) as info:
        engine.backup_to(job.source, job.folder, job.master, job.office, job.at, keep=1, opener=opener)
    return info.value


def test_a_stick_pulled_out_after_n_bytes_leaves_the_previous_backup_good(
        office: Context, first_backup: Path, clock: Clock) -> None:
    folder = first_backup.parent
    job = backup.prepare(office, folder)  # how long this backup's file is: written elsewhere once
    size = engine.backup_to(job.source, folder.parent / "measure", job.master, job.office, job.at).path.stat().st_size
    assert size > 2 * container.CHUNK
    chunk = container.CHUNK + container.TAG
    limits = sorted({0, 1, 7, 8, 14, 100, 200, 4096, chunk, chunk + 200, 2 * chunk + 1, size // 2,
                     size - chunk, size - 17, size - 16, size - 1, *range(chunk // 3, size, size // 7)})
    for limit in limits:
        e = _attempt(office, folder, clock, lambda p, limit=limit: FailingFile(p, limit))
        assert "备份没有完成" in e.message and "拔出" in e.message, limit
        assert good_backups(folder) == [first_backup], limit  # keep=1 did not delete the good one
        assert not [p for p in folder.iterdir() if p.name.endswith(files.UNFINISHED)], limit
    backup.verify(first_backup, BACKUP_PASSWORD)


def test_a_full_stick(office: Context, first_backup: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = first_backup.parent
    e = _attempt(office, folder, clock, lambda p: FailingFile(p, 300_000, errno.ENOSPC))
    assert isinstance(e, NoSpace) and "空间不够" in e.message
    assert good_backups(folder) == [first_backup]

    # known beforehand: nothing is written at all
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: real(p)._replace(free=10_000))
    with pytest.raises(NoSpace, match="空间不够") as info:
        backup.make_backup(office, folder)
    assert "已有的备份没有改动" in info.value.message
    assert sorted(folder.iterdir()) == [first_backup]
    assert not [t for t in threading.enumerate() if t.name.startswith("fulian-backup")]  # no check left running
    backup.verify(first_backup, BACKUP_PASSWORD)
    failed = office.db.execute("SELECT count(*) FROM audit WHERE event = 'backup' AND result = 'failed'").fetchone()
    assert failed[0] == 1


def test_a_backup_that_reads_back_wrong_is_not_adopted(office: Context, first_backup: Path, clock: Clock,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def flip_on_device(f: Any) -> None:  # what was written is not what the stick gives back
        with open(f.name, "r+b") as g:
            g.seek(5000)
            b = g.read(1)
            g.seek(5000)
            g.write(bytes([b[0] ^ 0x40]))

    monkeypatch.setattr(files, "drop_cache", flip_on_device)
    clock.now += dt.timedelta(minutes=1)
    with pytest.raises(BackupError, match="读回来的内容和写入的不一样"):
        backup.make_backup(office, first_backup.parent)
    assert good_backups(first_backup.parent) == [first_backup]


def test_cancel_leaves_nothing(office: Context, first_backup: Path, clock: Clock) -> None:
    clock.now += dt.timedelta(minutes=1)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        backup.make_backup(office, first_backup.parent, cancel=cancel)
    assert sorted(first_backup.parent.iterdir()) == [first_backup]
    assert office.path is not None and not list(office.path.parent.glob(".fulian-backup-*"))


# --- refusing what must not be restored ---------------------------------------------------------------------


def _refused(path: Path, tmp_path: Path, error: type[Exception], password: str = BACKUP_PASSWORD) -> str:
    target = tmp_path / "restore-here" / "fulian.db"
    with pytest.raises(error) as info:
        backup.open_without_account(path, target, password)
    assert not target.exists() and not (target.parent.exists() and list(target.parent.iterdir()))
    return str(info.value)


def test_wrong_password_damage_truncation_and_a_dropped_last_block_are_refused(first_backup: Path,
                                                                               tmp_path: Path) -> None:
    raw = first_backup.read_bytes()
    assert "备份密码不对" in _refused(first_backup, tmp_path, WrongPassword, "wrong-password-1")
    bad = tmp_path / "bad.fulian-backup"
    pre = container.read_preamble(io.BytesIO(raw))
    header_end = len(pre.aad) + container.TAG
    chunk = pre.chunk + container.TAG
    for position in (0, 9, 20, header_end - 5, header_end + 3, header_end + chunk + 10, len(raw) // 2, len(raw) - 1):
        flipped = bytearray(raw)
        flipped[position] ^= 0x01
        bad.write_bytes(bytes(flipped))
        _refused(bad, tmp_path, (Damaged, WrongPassword, TooNew), )  # type: ignore[arg-type]
    for length in (0, 5, header_end - 1, header_end, header_end + 100, header_end + chunk, len(raw) - 1):
        bad.write_bytes(raw[:length])
        _refused(bad, tmp_path, Damaged)
    # the last chunk dropped exactly at a chunk boundary: the new last chunk was not sealed as the last
    chunks = (len(raw) - header_end + chunk - 1) // chunk
    assert chunks >= 2
    bad.write_bytes(raw[: header_end + (chunks - 1) * chunk])
    assert "不完整" in _refused(bad, tmp_path, Damaged)
    bad.write_bytes(raw + b"\x00" * 40)
    _refused(bad, tmp_path, Damaged)
    # chunks swapped
    body = raw[header_end:]
    swapped = raw[:header_end] + body[chunk: 2 * chunk] + body[:chunk] + body[2 * chunk:]
    bad.write_bytes(swapped)
    _refused(bad, tmp_path, Damaged)
    bad.write_bytes(b"not a backup at all")
    assert "不是妇联维权工作台的备份文件" in _refused(bad, tmp_path, Damaged)
    backup.verify(first_backup, BACKUP_PASSWORD)  # the original is still good


def test_a_backup_from_a_newer_version_is_refused(office: Context, first_backup: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop.store import migrate

    real = migrate.latest_version()
    monkeypatch.setattr(migrate, "latest_version", lambda: real - 1)  # this program is older than the backup
    assert "更新版本" in _refused(first_backup, tmp_path, TooNew)
    monkeypatch.undo()
    office.clock.now += dt.timedelta(minutes=1)  # type: ignore[attr-defined]
    monkeypatch.setattr(container, "CONTAINER_VERSION", container.CONTAINER_VERSION + 1)  # a later program
    newer = backup.make_backup(office, stick(tmp_path / "later")).path
    monkeypatch.undo()
    assert "更新版本" in _refused(newer, tmp_path, TooNew)
    assert "更新版本" in _refused(newer, tmp_path, TooNew, "wrong-password-1")  # a later file, whatever the password


@pytest.mark.parametrize("position, bit", [(9, 0x02), (9, 0x04), (9, 0x08), (8, 0x01), (8, 0x80)])
def test_a_damaged_version_number_is_damage_not_a_later_program(first_backup: Path, tmp_path: Path,
                                                                 position: int, bit: int) -> None:
    raw = bytearray(first_backup.read_bytes())
    raw[position] ^= bit
    bad = tmp_path / "bad.fulian-backup"
    bad.write_bytes(bytes(raw))
    message = _refused(bad, tmp_path, Damaged)
    assert "更新版本" not in message


def test_restore_in_place_sets_the_current_database_aside(office: Context, first_backup: Path, tmp_path: Path,
                                                          clock: Clock) -> None:
    assert office.path is not None
    path = office.path
    later = register(office, 200, facts="备份以后才登记的")
    opened = backup.open_for_restore(office, first_backup, BACKUP_PASSWORD)
    assert opened.cases["petition"] < office.db.execute(
        "SELECT count(*) FROM cases WHERE kind = 'petition'").fetchone()[0]
    done = backup.restore(office, opened)
    assert office.session is None  # closed: the program signs in again
    assert done.aside is not None and done.aside.exists() and keys.keyfile_path(done.aside).exists()
    restored = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert restored.db.execute("SELECT count(*) FROM cases WHERE id = ?", [later]).fetchone()[0] == 0
        assert restored.db.execute("SELECT event FROM audit WHERE event = 'restore'").fetchall() == [("restore",)]
    finally:
        restored.close()
    # the database it replaced is intact next to it, with its own key file
    aside = connect(done.aside, db_key_of(done.aside))
    try:
        assert aside.execute("SELECT count(*) FROM cases WHERE id = ?", [later]).fetchone()[0] == 1
        assert aside.execute("SELECT result FROM audit WHERE event = 'restore'").fetchall() == [("ok",)]
    finally:
        aside.close()


def test_a_restore_keeps_the_newest_record_of_the_last_backup(office: Context, tmp_path: Path,
                                                              clock: Clock) -> None:
    """The copy inside a backup remembers only the backups before it: after restoring an older backup, the
    start page still knows of the latest one (from the database it replaced), never less than the one restored."""
    assert office.path is not None
    path = office.path
    older = backup.make_backup(office, stick(tmp_path))
    clock.advance(3)
    later_stick = tmp_path / "stick2" / files.FOLDER
    later_stick.mkdir(parents=True)
    later = backup.make_backup(office, later_stick)
    clock.advance(1)
    backup.restore(office, backup.open_for_restore(office, older.path, BACKUP_PASSWORD))
    restored = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        s = backup.status(restored)
        assert s.last_at == dt.datetime(2026, 3, 13, 9, 30)
        assert (s.last_place, s.last_file) == (str(later_stick), later.path.name)
        assert start_page.backup_age_text(restored) == ("上次备份到U盘：昨天（2026年3月13日 09:30）", False)
    finally:
        restored.close()

    # on a new PC (nothing to remember there): the backup restored is the last one known
    target = tmp_path / "new-pc" / "fulian.db"
    backup.restore_without_account(backup.open_without_account(older.path, target, BACKUP_PASSWORD), target,
                                   clock=clock)
    fresh = accounts.sign_in(target, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        s = backup.status(fresh)
        assert s.last_at == dt.datetime(2026, 3, 10, 9, 30) and s.last_file == older.path.name
    finally:
        fresh.close()


def test_an_automatic_local_snapshot_is_not_a_backup_to_a_stick(office: Context, clock: Clock) -> None:
    assert office.path is not None
    path = office.path
    job = backup.daily_snapshot(office)
    assert job is not None
    job.run()
    clock.advance(1)
    backup.restore(office, backup.open_for_restore(office, backup.local_snapshots(office)[0].path))
    restored = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert backup.status(restored).last_at is None
        assert start_page.backup_age_text(restored) == ("还没有备份到U盘，请尽快备份", True)
    finally:
        restored.close()


def test_restore_is_refused_while_another_connection_has_the_database(office: Context, first_backup: Path,
                                                                        clock: Clock) -> None:
    assert office.path is not None
    other = accounts.sign_in(office.path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        opened = backup.open_for_restore(office, first_backup, BACKUP_PASSWORD)
        with pytest.raises(BackupError, match="正被另一个程序使用"):
            backup.restore(office, opened)
        assert office.session is not None  # nothing changed, still signed in
        opened.discard()
        assert office.db.execute("SELECT count(*) FROM cases").fetchone()[0] > 0
    finally:
        other.close()


def test_a_wrong_password_is_recorded_and_changes_nothing(office: Context, first_backup: Path) -> None:
    assert office.path is not None
    before = office.path.read_bytes()
    with pytest.raises(WrongPassword):
        backup.open_for_restore(office, first_backup, "not-the-password")
    assert office.db.execute("SELECT result FROM audit WHERE event = 'restore'").fetchall() == [("failed",)]
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not list(office.path.parent.glob(".fulian-backup-*"))
    assert len(office.path.read_bytes()) >= len(before) // 2


# --- keeping history ----------------------------------------------------------------------------------------


def test_keeps_the_last_n_and_deletes_only_after_the_new_one_verified(office: Context, tmp_path: Path,
                                                                        clock: Clock) -> None:
    folder = stick(tmp_path)
    other_office = folder / "西山县妇联_2026-01-01_080000.fulian-backup"
    other_office.write_bytes(b"x")
    unrelated = folder / "工作总结.docx"
    unrelated.write_bytes(b"x")
    backup.set_options(office, keep=3, warn_days=7)
    made = []
    for _ in range(5):
        made.append(backup.make_backup(office, folder).path)
        clock.now += dt.timedelta(hours=1)
    assert good_backups(folder) == sorted([*made[-3:], other_office])
    assert unrelated.exists()


# --- the daily local snapshot ---------------------------------------------------------------------------------


def test_daily_snapshot_once_a_day_keeps_seven_and_restores_without_a_password(office: Context, clock: Clock,
                                                                               tmp_path: Path) -> None:
    assert office.path is not None
    for _ in range(9):
        job = backup.daily_snapshot(office)
        assert job is not None
        job.run()
        assert backup.daily_snapshot(office) is None  # once a day
        clock.advance(1)
    snaps = backup.local_snapshots(office)
    assert len(snaps) == 7 and snaps[0].at.date() == dt.date(2026, 3, 18)
    assert str(snaps[0].path).startswith(str(tmp_path / "data"))  # the user's data folder
    opened = backup.open_for_restore(office, snaps[-1].path)  # no password: sealed with the database key
    assert opened.is_local
    opened.discard()
    # elsewhere (another database's key) it does not open
    with pytest.raises(WrongPassword):
        backup.open_without_account(snaps[0].path, tmp_path / "x" / "fulian.db", BACKUP_PASSWORD)


# --- permissions, the password, names -------------------------------------------------------------------------


def test_who_may_back_up_and_restore(office: Context, tmp_path: Path, clock: Clock) -> None:
    assert office.path is not None
    accounts.add_account(office, "zhuren", "主任甲", {"director"}, "director-pass-1")
    accounts.add_account(office, "chuangkou", "窗口乙", {"window"}, "window-pass-1")
    office.close()
    director = accounts.sign_in(office.path, "zhuren", "director-pass-1", clock=clock)
    try:
        backup.make_backup(director, stick(tmp_path))
        with pytest.raises(PermissionDenied):
            backup.restore_job(director, tmp_path / "x.fulian-backup", BACKUP_PASSWORD)
        with pytest.raises(PermissionDenied):
            backup.set_password(director, "another-password", "another-password", BACKUP_PASSWORD)
    finally:
        director.close()
    window = accounts.sign_in(office.path, "chuangkou", "window-pass-1", clock=clock)
    try:
        with pytest.raises(PermissionDenied):
            backup.make_backup(window, stick(tmp_path))
    finally:
        window.close()


def test_backup_password_rules(ctx: Context, tmp_path: Path) -> None:
    from fulian_desktop.domain.errors import RuleError, ValidationError

    with pytest.raises(RuleError, match="还没有设置备份密码"):
        backup.make_backup(ctx, stick(tmp_path))
    with pytest.raises(ValidationError) as info:
        backup.set_password(ctx, "short", "short")
    assert "new_password" in info.value.errors
    with pytest.raises(ValidationError) as info:
        backup.set_password(ctx, "long-enough-1", "long-enough-2")
    assert "new_password2" in info.value.errors
    backup.set_password(ctx, "long-enough-1", "long-enough-1")
    assert backup.check_password(ctx, "long-enough-1") and not backup.check_password(ctx, "long-enough-2")
    with pytest.raises(ValidationError) as info:
        backup.set_password(ctx, "long-enough-3", "long-enough-3", old="wrong")
    assert "old_password" in info.value.errors
    first = backup.make_backup(ctx, stick(tmp_path)).path
    ctx.clock.now += dt.timedelta(minutes=1)  # type: ignore[attr-defined]
    backup.set_password(ctx, "long-enough-3", "long-enough-3", old="long-enough-1")
    second = backup.make_backup(ctx, stick(tmp_path)).path
    backup.verify(first, "long-enough-1")  # an old backup opens with the password it was made with
    backup.verify(second, "long-enough-3")
    with pytest.raises(WrongPassword):
        backup.verify(second, "long-enough-1")
    # the password itself is kept nowhere: only the key derived from it
    assert b"long-enough" not in ctx.db.execute("SELECT value FROM settings WHERE key = 'backup_key'").fetchone()[0].encode()


@pytest.mark.parametrize(("office", "expected"), [
    ("东山县妇联", "东山县妇联"), ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"), ("  宁县妇联. ", "宁县妇联"),
    ("CON", "妇联"), ("", "妇联"), ("中" * 60, "中" * 40), ("a\tb\nc", "a b c"),
])
def test_file_names_windows_accepts(office: str, expected: str) -> None:
    name = files.backup_name(office, dt.datetime(2026, 3, 10, 9, 30, 5))
    assert name == f"{expected}_2026-03-10_093005.fulian-backup"
    assert not any(c in name for c in '\\/:*?"<>|')


# --- where the live database may be ----------------------------------------------------------------------------

MOUNTINFO = """\
22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
60 22 8:17 / /media/wang/KINGSTON rw,nosuid - vfat /dev/sdb1 rw
61 22 0:50 / /mnt/office rw - cifs //server/share rw
62 22 0:51 / /srv/nfs rw - nfs4 server:/export rw
63 22 0:52 / /home/wang/My\\040Files rw - ext4 /dev/vda2 rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/wang/fulian.db", drives.LOCAL), ("/media/wang/KINGSTON/fulian.db", drives.REMOVABLE),
    ("/mnt/office/妇联/fulian.db", drives.NETWORK), ("/srv/nfs/fulian.db", drives.NETWORK),
    ("/home/wang/My Files/fulian.db", drives.LOCAL), ("/media/wang/KINGSTONX/f.db", drives.LOCAL),
])
def test_storage_kind_from_mountinfo(path: str, kind: str, tmp_path: Path) -> None:
    assert drives.classify_linux(path, MOUNTINFO, sys_block=tmp_path) == kind


def test_a_live_database_on_a_stick_is_refused_unless_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(drives, "storage_kind", lambda p: drives.REMOVABLE)
    db = tmp_path / "fulian.db"
    assert cli.main(["--db", str(db), "search", "张三"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert "U盘" in err and "损坏" in err and "--allow-removable-db" in err
    # told explicitly: it goes on (and finds no database there)
    assert cli.main(["--db", str(db), "--allow-removable-db", "search", "张三"]) == cli.EXIT_ERROR
    assert "找不到数据库文件" in capsys.readouterr().err
    monkeypatch.setattr(drives, "storage_kind", lambda p: drives.NETWORK)
    with pytest.raises(Exception, match="网络共享"):
        backup.check_live_location(db)


# --- the command line -------------------------------------------------------------------------------------------


def test_cli_backup_verify_restore(office: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert office.path is not None
    path = office.path
    office.close()
    folder = tmp_path / "stick"
    monkeypatch.delenv("FULIAN_BACKUP_PASSWORD", raising=False)
    # no password and no terminal: refused, never taken from an argument
    assert cli.main(["--db", str(path), "backup", "--to", str(folder)]) == cli.EXIT_ERROR
    assert "FULIAN_BACKUP_PASSWORD" in capsys.readouterr().err
    assert cli.main(["--db", str(path), "backup", "--to", str(folder), "--password", "x"]) == cli.EXIT_USAGE
    capsys.readouterr()
    monkeypatch.setenv("FULIAN_BACKUP_PASSWORD", "wrong-password")
    assert cli.main(["--db", str(path), "backup", "--to", str(folder)]) == cli.EXIT_ERROR
    assert "备份密码不对" in capsys.readouterr().err
    monkeypatch.setenv("FULIAN_BACKUP_PASSWORD", BACKUP_PASSWORD)
    assert cli.main(["--db", str(path), "backup", "--to", str(folder), "--keep", "2"]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert out == "" and "备份完成并已核对" in err
    made = good_backups(folder)
    assert len(made) == 1

    assert cli.main(["verify", str(made[0])]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert out == "" and "备份文件完好" in err and "东山县妇联" in err and "信访" in err
    damaged = tmp_path / "damaged.fulian-backup"
    raw = bytearray(made[0].read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    assert cli.main(["verify", str(damaged)]) == cli.EXIT_ERROR
    assert "损坏" in capsys.readouterr().err

    # restore into an empty folder (a new PC): no account needed, only the backup password
    fresh = tmp_path / "new-pc" / "fulian.db"
    assert cli.main(["--db", str(fresh), "restore", str(made[0])]) == cli.EXIT_ERROR  # not a terminal: needs --yes
    assert "--yes" in capsys.readouterr().err and not fresh.exists()
    assert cli.main(["--db", str(fresh), "restore", str(made[0]), "--yes"]) == cli.EXIT_OK
    assert "已恢复" in capsys.readouterr().err
    assert accounts.sign_in(fresh, TEST_USER, TEST_PASSWORD).close() is None

    # over the working database: signs in (FULIAN_USER / FULIAN_PASSWORD) and sets it aside
    assert cli.main(["--db", str(path), "restore", str(made[0]), "--yes"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "原来的数据库已改名保留" in err
    assert list(path.parent.glob("test.db.before-restore-*"))


def test_cli_restore_needs_an_account_that_may_restore(office: Context, first_backup: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert office.path is not None
    accounts.add_account(office, "zhuren", "主任甲", {"director"}, "director-pass-1")
    path = office.path
    office.close()
    monkeypatch.setenv("FULIAN_USER", "zhuren")
    monkeypatch.setenv("FULIAN_PASSWORD", "director-pass-1")
    monkeypatch.setenv("FULIAN_BACKUP_PASSWORD", BACKUP_PASSWORD)
    # (the director's first password is temporary: the CLI asks to change it first — either way, refused)
    assert cli.main(["--db", str(path), "restore", str(first_backup), "--yes"]) == cli.EXIT_ERROR
    assert "临时密码" in capsys.readouterr().err
    assert not list(path.parent.glob("test.db.before-restore-*"))
    # a database that cannot be opened at all (damaged): nobody can sign in, the backup replaces it
    path.write_bytes(os.urandom(8192))
    assert cli.main(["--db", str(path), "restore", str(first_backup), "--yes"]) == cli.EXIT_OK
    assert "现在的数据库打不开" in capsys.readouterr().err
    assert len([p for p in path.parent.glob("test.db.before-restore-*") if p.suffix != ".keys"]) == 1
    accounts.sign_in(path, TEST_USER, TEST_PASSWORD).close()


def _break_an_index(ctx: Context) -> None:
    """A database that SQLCipher still opens page by page but whose index no longer matches its table: what
    `PRAGMA integrity_check` exists to find (the index's definition is changed behind SQLite's back)."""
    conn = ctx.db.conn
    conn.execute("CREATE TABLE scratch(a, b)")
    conn.execute("CREATE INDEX scratch_a ON scratch(a)")
    conn.executemany("INSERT INTO scratch VALUES (?, ?)", [(i, -i) for i in range(50)])
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX scratch_a ON scratch(b)' WHERE name = 'scratch_a'")
    conn.commit()
    conn.execute("PRAGMA writable_schema = OFF")


@pytest.mark.parametrize("block,first", [(4096, None), (4096, 100), (1000, 333), (512, 512), (8192, 4095)])
def test_the_page_sqlite_never_uses_comes_as_zeros_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         block: int, first: int | None) -> None:
    """Past 1 GiB SQLite leaves one page unused (its lock bytes lie there; on Windows another program's lock
    may refuse reading them): the snapshot's bytes are the file's, with that page as zeros, however they are
    cut into blocks."""
    monkeypatch.setattr(snapshot, "PENDING_BYTE", 5 * 512)  # as if the sixth page held the lock bytes
    data = os.urandom(12 * 512)
    path = tmp_path / "db"
    path.write_bytes(data + b"more")  # a file may be longer than its pages
    snap = snapshot.Snapshot(path, {}, {}, None, 1, "", len(data), 12, 512)
    got = b"".join(snapshot.read_pages(snap, block, first))
    assert got == data[:5 * 512] + bytes(512) + data[6 * 512:]


def test_the_weekly_check_finds_a_broken_database_and_then_no_backup_pushes_the_good_ones_off(
        office: Context, first_backup: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The live database's full integrity check is not part of each backup (it would double its time): it runs
    at idle once a week. When it fails, no backup or local snapshot is made over the good ones, and it runs
    again at each start until it passes."""
    job = backup.weekly_check(office)
    assert job is not None  # never checked yet
    assert job.run() is True
    assert backup.weekly_check(office) is None  # passed: not again within the week
    clock.now += dt.timedelta(days=7)
    assert backup.weekly_check(office) is not None
    _break_an_index(office)
    job = backup.weekly_check(office)
    assert job is not None
    asked = itertools.chain([False], itertools.repeat(True))  # the window closes once the check is under way
    with monkeypatch.context() as m, pytest.raises(Cancelled):  # it stops at once, and nothing is noted
        m.setattr(engine, "LIVE_CHECK_STEPS", 1)  # a small database: asked at its first step already
        job.run(cancel=lambda: next(asked))
    assert backup.weekly_check(office) is not None
    assert job.run() is False
    clock.now += dt.timedelta(minutes=1)
    with pytest.raises(BackupError, match="现在使用的数据库可能已经损坏") as info:
        backup.make_backup(office, first_backup.parent)
    assert "请不要删除它们" in info.value.message
    assert good_backups(first_backup.parent) == [first_backup]
    assert backup.daily_snapshot(office) is None
    assert backup.weekly_check(office) is not None  # failed: checked again at the next start
    assert start_page.backup_age_text(office) == (start_page.UNSOUND_TEXT, True)  # in red on the start page


@pytest.mark.parametrize("in_place", [True, False], ids=["live-file", "work-copy"])
def test_a_page_changed_on_this_computers_disk_is_found(office: Context, first_backup: Path, clock: Clock,
                                                        monkeypatch: pytest.MonkeyPatch, in_place: bool) -> None:
    """Every page is checked once (its SQLCipher HMAC) before a backup counts: a byte changed in the live
    database's file (a bad disk), or in the work copy made when writers keep the file from being the moment,
    is found, and the backup is not adopted."""
    assert office.path is not None
    at = 3 * 4096 + 200
    if in_place:
        office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(office.path, "r+b") as f:
            f.seek(at)
            byte = f.read(1)
            f.seek(at)
            f.write(bytes([byte[0] ^ 0x01]))
    else:
        monkeypatch.setattr(snapshot, "SAME_MOMENT_TRIES", 0)  # as when writers keep saving
        real = snapshot._copy

        def flipped(src: Any, target: Path, *a: Any) -> None:
            real(src, target, *a)
            data = bytearray(target.read_bytes())
            data[at] ^= 0x01
            target.write_bytes(bytes(data))

        monkeypatch.setattr(snapshot, "_copy", flipped)
    clock.now += dt.timedelta(minutes=1)
    with pytest.raises(BackupError, match="现在使用的数据库可能已经损坏" if in_place else "这台电脑的硬盘可能有问题"):
        backup.make_backup(office, first_backup.parent)
    assert good_backups(first_backup.parent) == [first_backup]
    assert not [p for p in first_backup.parent.iterdir() if p.name.endswith(files.UNFINISHED)]


@pytest.mark.parametrize("in_place", [True, False], ids=["live-file", "work-copy"])
def test_the_snapshot_is_the_moment_its_read_began(office: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   in_place: bool) -> None:
    """The snapshot is the database file itself, held at the moment a read began (a case saved after that,
    even carried from the WAL into the file by a checkpoint, is not in it), or the online backup API's copy
    of that moment; its rows are the ones counted."""
    assert office.path is not None
    if not in_place:
        monkeypatch.setattr(snapshot, "SAME_MOMENT_TRIES", 0)
    key = office.session.key
    before = office.db.execute("SELECT count(*) FROM cases").fetchone()[0]
    snap = snapshot.take(office.path, key, tmp_path / "work.db", on_read=lambda: register(office, 901))
    try:
        assert (snap.reading is not None) == in_place
        assert snap.path == (office.path if in_place else tmp_path / "work.db")
        register(office, 902)  # saved while the snapshot is being read
        office.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        copy = tmp_path / "copy.db"
        copy.write_bytes(b"".join(snapshot.read_pages(snap, 1 << 16)))
    finally:
        snap.release()
    conn = connect(copy, key)
    try:
        assert snapshot.table_counts(conn) == snap.tables
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert snap.tables["cases"] == before
    assert office.db.execute("SELECT count(*) FROM cases").fetchone()[0] == before + 2


def test_without_a_wal_the_snapshot_is_a_copy_so_that_saving_goes_on(tmp_path: Path) -> None:
    """A database not in WAL mode would keep every writer out for as long as a read is held: its moment is
    copied by the online backup API instead, and a case saved right after the copy is not kept waiting."""
    key = os.urandom(32)
    path = tmp_path / "rollback.db"
    conn = connect(path, key)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, x TEXT)")
    conn.executemany("INSERT INTO notes (x) VALUES (?)", [("a" * 100,) for _ in range(500)])
    conn.commit()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    snap = snapshot.take(path, key, tmp_path / "work.db")
    try:
        assert snap.reading is None and snap.path == tmp_path / "work.db"
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("INSERT INTO notes (x) VALUES ('b')")
        conn.commit()  # not locked out
    finally:
        snap.release()
        conn.close()
    assert snap.tables == {"notes": 500}


def _page_checks() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("fulian-") and "check" in t.name]


def _ballast(ctx: Context, mib: int) -> None:
    """A database large enough that checking its pages takes a while (incompressible, like scans)."""
    ctx.db.execute("CREATE TABLE IF NOT EXISTS ballast (b BLOB)")
    with ctx.db.conn:
        ctx.db.conn.executemany("INSERT INTO ballast VALUES (?)", ((os.urandom(4000),) for _ in range(mib * 256)))
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_stopped_backup_leaves_no_page_check_running(office: Context, first_backup: Path, clock: Clock) -> None:
    """Hammered: a backup stopped (the window closing) or failing (a stick pulled out) at any moment returns
    with its page check ended, never left reading the database in a thread of its own (the program exits
    right after; SQLite's own check could not be interrupted and ran on into the exit: a crash seen once)."""
    _ballast(office, 24)
    for k in range(2, 40, 3):  # stopped at its k-th question, from the snapshot to the read-back
        clock.now += dt.timedelta(minutes=1)
        asked = itertools.count()
        with pytest.raises(Cancelled):
            backup.make_backup(office, first_backup.parent, cancel=lambda: next(asked) >= k)  # noqa: B023
        assert _page_checks() == [], k
    for limit in (1 << 20, 8 << 20, 20 << 20):
        e = _attempt(office, first_backup.parent, clock, lambda p: FailingFile(p, limit))  # noqa: B023
        assert "备份没有完成" in e.message and _page_checks() == []
    assert good_backups(first_backup.parent) == [first_backup]
    assert office.path is not None and not list(office.path.parent.glob(".fulian-backup-*"))


def test_the_page_check_is_sqlciphers_own(office: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages are checked on the bytes as they are sealed, in blocks of any size: every page of an intact
    database passes, a byte changed anywhere in a page (its text, its IV, its HMAC; the first page after its
    salt) fails it as SQLCipher's own `cipher_integrity_check` does, a missing page or a part of one is
    found, and the page SQLite leaves unused past 1 GiB (read as zeros) is not asked for."""
    assert office.path is not None
    _ballast(office, 1)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = office.path.read_bytes()
    key = backup.prepare(office, tmp_path / "stick").source.db_key
    pages = len(data) // 4096
    snap = snapshot.Snapshot(office.path, {}, {}, None, 1, "", len(data), pages, 4096)

    def passes(data: bytes, block: int = 1 << 20, first: int = 777, pages: int = pages) -> bool:
        check = snapshot.PageCheck(key, dataclasses.replace(snap, pages=pages))
        check.feed(data[:first])
        for at in range(first, len(data), block):
            check.feed(data[at:at + block])
        try:
            check.finish()
        except Damaged:
            return False
        return True

    def sqlcipher_passes(data: bytes) -> bool:
        copy = tmp_path / "copy.db"
        copy.write_bytes(data)
        conn = connect(copy, key)
        try:
            return not conn.execute("PRAGMA cipher_integrity_check").fetchall()
        finally:
            conn.close()

    assert passes(data) and passes(data, 4096, 0) and passes(data, 5000, 3) and sqlcipher_passes(data)
    for at in (16, 100, 4095 - 80, 4096 - 64, 4095, 3 * 4096 + 7, len(data) - 1):
        changed = bytearray(data)
        changed[at] ^= 0x10
        assert not passes(bytes(changed)) and not sqlcipher_passes(bytes(changed)), at
    assert not passes(data[:-4096]) and not passes(data[:-100]) and not passes(data, pages=pages + 1)
    monkeypatch.setattr(snapshot, "PENDING_BYTE", 5 * 4096)  # as if the sixth page held the lock bytes
    zeroed = data[:5 * 4096] + bytes(4096) + data[6 * 4096:]
    assert passes(zeroed)
    changed = bytearray(zeroed)
    changed[7 * 4096 + 5] ^= 1
    assert not passes(bytes(changed))


def test_work_folders_left_by_a_killed_program_are_cleaned_up(office: Context, tmp_path: Path) -> None:
    assert office.path is not None
    stale = office.path.parent / ".fulian-backup-left"
    stale.mkdir()
    (stale / "snapshot.db").write_bytes(b"x" * 100)
    os.utime(stale, (0, 0))
    fresh = office.path.parent / ".fulian-backup-running"  # another program's, under way
    fresh.mkdir()
    backup.make_backup(office, stick(tmp_path))
    assert not stale.exists() and fresh.exists()


@pytest.mark.parametrize("asks", [{"memory_cost": 1 << 20}, {"time_cost": 20}, {"time_cost": 10, "memory_cost": 1 << 18},
                                  {"parallelism": 64}])
def test_a_header_asking_for_a_costly_key_derivation_is_refused_before_deriving(first_backup: Path, tmp_path: Path,
                                                                                asks: dict[str, int]) -> None:
    import json
    import struct

    raw = first_backup.read_bytes()
    start = len(container.MAGIC) + 6
    version, n = struct.unpack(">HI", raw[len(container.MAGIC):start])
    preamble = json.loads(raw[start:start + n])
    assert preamble["kdf"] == "argon2id"
    preamble.update(asks)
    text = json.dumps(preamble).encode("ascii")
    crafted = raw[:len(container.MAGIC)] + struct.pack(">HI", version, len(text)) + text + raw[start + n:]
    bad = tmp_path / "crafted.fulian-backup"
    bad.write_bytes(crafted)
    assert "不是妇联维权工作台的备份文件" in _refused(bad, tmp_path, Damaged, "wrong-password-1")


_HOLD_WORK = """
import sys, time
from pathlib import Path
from fulian_desktop.backup import engine, files
work = engine._work_dir(Path(sys.argv[1]))
partial = files.unfinished(Path(sys.argv[2]) / "某县妇联_2026-03-10_093000.fulian-backup")
f = engine._open_new(partial)
f.write(b"half a backup")
f.flush()
print(work, flush=True)
time.sleep(120)
"""


def _holder(near: Path, stick_folder: Path) -> tuple[subprocess.Popen[str], Path]:
    stick_folder.mkdir(parents=True, exist_ok=True)
    p = subprocess.Popen([sys.executable, "-c", _HOLD_WORK, str(near), str(stick_folder)], stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout is not None
    return p, Path(p.stdout.readline().strip())


def test_what_a_killed_backup_left_is_removed_at_the_next_start_and_the_next_backup(office: Context,
                                                                                    tmp_path: Path) -> None:
    assert office.path is not None
    near, folder = office.path.parent, stick(tmp_path)
    running, running_work = _holder(near, tmp_path / "other-stick")  # another program, still at work
    killed, killed_work = _holder(near, folder)
    killed.kill()  # kill -9 half-way: its work folder (the copy of the database) and its unfinished file stay
    killed.communicate()
    unfinished = [p for p in folder.iterdir() if p.name.endswith(files.UNFINISHED)]
    assert killed_work.exists() and unfinished
    try:
        backup.daily_snapshot(office)  # the next start
        assert not killed_work.exists(), "a dead program's work folder is removed at once, not after 12 hours"
        assert running_work.exists(), "a running program's is left alone"
        backup.make_backup(office, folder)  # the next backup to that stick
        assert not any(p.name.endswith(files.UNFINISHED) for p in folder.iterdir())
        other = [p for p in (tmp_path / "other-stick").iterdir() if p.name.endswith(files.UNFINISHED)]
        files.remove_unfinished(tmp_path / "other-stick")
        assert other and all(p.exists() for p in other), "a file another program is writing is left alone"
    finally:
        running.kill()
        running.communicate()


def test_every_opening_of_a_backup_is_in_the_trail_also_a_command_line_verify(office: Context, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch,
                                                                              clock: Clock) -> None:
    """Opening a backup reads the whole database and its key: who did it, and when, is in the audit trail —
    for a restore that is checked but not carried out, and for `verify` on the command line, which needs no
    account (the check waits in the key file until the next sign-in)."""
    from fulian_desktop.store import audit as audit_store

    assert office.path is not None
    made = backup.make_backup(office, stick(tmp_path)).path
    backup.open_for_restore(office, made, BACKUP_PASSWORD).discard()  # checked, looked at, not restored
    opened = [e for e in audit_store.page(office.db, audit_store.AuditFilter(), limit=50) if e.event == "backup.open"]
    assert [e.target for e in opened] == [str(made)]
    path = office.path
    office.close()
    monkeypatch.setenv("FULIAN_BACKUP_PASSWORD", BACKUP_PASSWORD)
    damaged = tmp_path / "damaged.fulian-backup"
    raw = bytearray(made.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    assert cli.main(["--db", str(path), "verify", str(made)]) == cli.EXIT_OK
    assert cli.main(["--db", str(path), "verify", str(damaged)]) == cli.EXIT_ERROR
    again = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    checks = [(e.target, e.result) for e in reversed(audit_store.page(again.db, audit_store.AuditFilter(), limit=50))
              if e.event == "backup.verify"]
    assert checks == [(str(made), "ok"), (str(damaged), "failed")]
    again.close()
