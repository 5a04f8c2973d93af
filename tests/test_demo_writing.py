"""How the demo is written (issue 22: a million cases within 500 MiB): straight into the database file under a
rollback journal — no write-ahead log as big as the data, the pages added written once — with the index sorts
spilled to temporary files; a stopped generation leaves the file as it was; afterwards the database is as every
other (write-ahead log, temporary storage in memory, the audit trail's capture in place). And the ID numbers the
demo has used are held as bits, exactly as a set would hold them."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.cli import main as cli
from fulian_desktop.demo import generate as demo
from fulian_desktop.demo.petitions import UsedIds, id_key
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.services import accounts
from fulian_desktop.services.context import open_context
from fulian_desktop.store import audit, bulk

NOW = dt.datetime(2026, 3, 10, 9, 30)


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_the_demo_is_written_into_the_file_not_through_a_log_as_big_as_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo.db"
    temp_stores: list[int] = []  # at each batch written
    written: list[tuple[int, int]] = []  # when all is written, before the log is copied into the file: their sizes
    flush, checkpoint = bulk.Loader.flush, bulk.checkpoint

    def watched_flush(self: bulk.Loader) -> None:
        flush(self)
        temp_stores.append(int(self.db.execute("PRAGMA temp_store").fetchone()[0]))

    def watched_checkpoint(db: Any) -> None:
        written.append((_wal(path), path.stat().st_size))
        checkpoint(db)

    monkeypatch.setattr(bulk.Loader, "flush", watched_flush)
    monkeypatch.setattr(bulk, "checkpoint", watched_checkpoint)
    # the CLI, as the clerk or the benchmarks make a demo database: a new encrypted file with the demo accounts
    assert cli.main(["demo", "--db", str(path), "--cases", "1500", "--seed", "5"]) == 0
    assert temp_stores and set(temp_stores) == {1}  # sorts spill to temporary files (FILE) while it is made
    [(wal, size)] = written
    assert size > 2 * 1024 * 1024 and wal < 64 * 1024, written  # in the file itself; the log (was: as big) empty

    ctx = accounts.sign_in(path, accounts.DEMO_STAFF[0], accounts.DEMO_STAFF[3])
    try:
        db = ctx.db
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1500
    finally:
        ctx.close()
    assert not path.with_name(path.name + "-journal").exists()


def test_afterwards_the_connection_is_as_any_other(tmp_path: Path) -> None:
    ctx = open_context(tmp_path / "demo.db", clock=lambda: NOW)
    try:
        assert demo.generate(ctx, audit.BULK_CASES + 20, seed=3) > audit.BULK_CASES  # (one summary entry)
        db = ctx.db
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY: her records never in a temporary file
        assert audit.has_capture(db)  # the trail's triggers (dropped with the temporary storage) are back
        assert len(db.execute("SELECT name FROM temp.sqlite_master WHERE name LIKE 'audit_i_%'").fetchall()) > 20
    finally:
        ctx.close()


def test_a_stopped_generation_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    ctx = open_context(path, clock=lambda: NOW)
    before = ctx.db.execute("SELECT count(*) FROM settings").fetchone()[0]
    try:
        assert demo.generate(ctx, 3000, progress=lambda done, total: done < 1000) == 0
        db = ctx.db
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == before
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        ctx.close()


def test_with_another_program_on_the_file_the_demo_is_still_made_through_the_log(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    ctx = open_context(path, clock=lambda: NOW)
    other = open_context(path, clock=lambda: NOW)  # e.g. the window open on the same file
    try:
        other.db.execute("SELECT count(*) FROM cases").fetchone()
        assert demo.generate(ctx, 200, seed=2) == 200
        assert other.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 200
        assert ctx.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()
        ctx.close()


def test_what_another_connection_wrote_just_before_is_kept(tmp_path: Path) -> None:
    # `demo --office`: the county's townships are put on its list by a second connection after the first was opened,
    # and the demo is then made on the first. The switch out of the write-ahead log took the first connection's
    # pages cached before that write as current and wrote them back over it: the township was gone (and the audit
    # trail no longer agreed with the key file).
    path = tmp_path / "demo.db"
    accounts.setup_demo(path).close()

    def sign_in() -> Any:
        return accounts.sign_in(path, accounts.DEMO_STAFF[0], accounts.DEMO_STAFF[3], via="demo")

    ctx = sign_in()
    try:
        other = sign_in()
        with other.db.conn:
            other.db.execute("INSERT INTO lists (list, parent, value, position) VALUES ('township', '', '福田铺乡', 99)")
        other.close()
        assert demo.generate(ctx, 60, seed=2) == 60
    finally:
        ctx.close()
    again = sign_in()
    try:
        assert "福田铺乡" in {r[0] for r in again.db.execute("SELECT value FROM lists WHERE list = 'township'")}
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        again.close()


@pytest.mark.parametrize("set_most", [UsedIds.SET_MOST, 1000])  # a set (a small demo); bits from the 1001st number
def test_the_ids_used_are_held_exactly_as_a_set_holds_them(set_most: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UsedIds, "SET_MOST", set_most)
    rng = random.Random(5)
    kept: set[int | str] = {"A12345", 123, id_key("439002199902300013")}  # not a number the bits can hold
    used = UsedIds(kept)
    for _ in range(50_000):
        if rng.random() < 0.1:
            key: int | str = rng.choice([f"x{rng.randrange(100)}", rng.randrange(10**18), rng.randrange(10**17)])
        else:
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            key = id_key(make_id_number(rng.choice(("439021", "439002")), born, rng.randrange(500), rng.random() < 0.5))
        assert (key in used) == (key in kept), key
        used.add(key)
        kept.add(key)
    assert all(key in used for key in kept)
    assert (used._bits is None) == (set_most > len(kept)) and len(used._other) < (len(kept) if used._bits else 10**9)
