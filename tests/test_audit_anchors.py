"""The audit trail anchored outside the database (issue 16): someone who can open the database and rewrites
the trail consistently — deletes the last entries and moves the head, or edits an entry and recomputes every
later hash — passes the chain's own check, but not the key file's anchor, an automatic backup's header or the
paper checkpoint the 主任 printed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fulian_desktop.domain.audit import GENESIS, checkpoint_code, parse_checkpoint
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, audit, backup, petitions
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF, Clock

USER, PASSWORD = "wangxl", "dongshan-2026"


def form() -> Petition:
    return Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
        request="咨询", dv=False, safety_risk=False, receiving_staff="接待员")


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", USER, PASSWORD, case_roles={"director"},
                                   clock=clock, kdf=CHEAP_KDF)
    ctx = started.ctx
    for _ in range(3):
        case_id, _no = petitions.register(ctx, form())
        petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    accounts.lock(ctx)  # the key file's anchor moves on: the trail's end so far
    ctx.close()
    return path


def _open(path: Path, clock: Clock) -> Context:
    return accounts.sign_in(path, USER, PASSWORD, clock=clock)


def _rewrite_from(ctx: Context, first: int, keep_until: int | None = None) -> None:
    """What an insider with a password and SQLite could do: edit entry `first` (or, with `keep_until`, drop
    every entry after it), then recompute every later hash and the head, so that the chain checks."""
    for trigger in ("audit_append_only_update", "audit_append_only_delete", "record_history_append_only_update",
                    "record_history_append_only_delete"):
        ctx.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    with ctx.db.atomic():
        if keep_until is not None:
            ctx.db.execute("DELETE FROM record_history WHERE audit_id > ?", [keep_until])
            ctx.db.execute("DELETE FROM audit WHERE id > ?", [keep_until])
        else:
            ctx.db.execute("UPDATE audit SET target = 'nothing happened' WHERE id = ?", [first])
        prev = GENESIS
        last = None
        for e in list(audit_store.entries(ctx.db)):
            e.prev_hash = prev
            e.hash = e.compute_hash()
            ctx.db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", [e.prev_hash, e.hash, e.id])
            prev, last = e.hash, e
        assert last is not None
        ctx.db.execute("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE one = 1", [last.id, last.hash])


def test_without_anchors_a_consistent_rewrite_passes_the_chain_alone(office: Path, clock: Clock) -> None:
    """The attack the anchors answer: the chain's own check is satisfied."""
    from fulian_desktop.store import audit as store

    ctx = _open(office, clock)
    _rewrite_from(ctx, 3)
    checked, problems = store.verify(ctx.db)
    assert checked > 3 and not problems
    ctx.close()


def test_the_key_files_anchor_finds_the_last_entries_deleted(office: Path, clock: Clock) -> None:
    ctx = _open(office, clock)
    last = audit_store.head(ctx.db)[0]
    _rewrite_from(ctx, 0, keep_until=last - 6)
    result = audit.verify(ctx)
    assert not result.ok
    assert any("密钥文件" in p.message and "被删除" in p.message for p in result.problems), result.summary()
    ctx.close()


def test_the_key_files_anchor_finds_an_entry_edited_and_every_later_hash_recomputed(office: Path,
                                                                                     clock: Clock) -> None:
    ctx = _open(office, clock)
    _rewrite_from(ctx, 4)
    result = audit.verify(ctx)
    assert any("密钥文件" in p.message and "改写" in p.message for p in result.problems), result.summary()
    ctx.close()
    again = _open(office, clock)  # signing in again does not bless the rewritten trail
    assert not audit.verify(again).ok
    again.close()


def test_an_untouched_trail_is_known_good_up_to_the_anchor(office: Path, clock: Clock) -> None:
    ctx = _open(office, clock)
    result = audit.verify(ctx)
    assert result.ok and result.known_good >= 7
    assert "确知未被改写" in result.summary() and "密钥文件" in result.summary()
    ctx.close()


def test_a_forged_anchor_in_the_key_file_is_reported(office: Path, clock: Clock) -> None:
    path = keys.keyfile_path(office)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["audit_anchor"]["id"] = 2  # moved back to hide what came after, without the database key
    path.write_text(json.dumps(data), encoding="utf-8")
    ctx = _open(office, clock)
    assert any("被改动过" in p.message for p in audit.verify(ctx).problems)
    ctx.close()


def test_the_paper_checkpoint_vouches_for_the_trail_up_to_its_entry(office: Path, clock: Clock) -> None:
    ctx = _open(office, clock)
    point = audit.checkpoint(ctx)
    assert point.code == checkpoint_code(point.entry_id, audit_store.hash_of(ctx.db, point.entry_id) or "")
    assert parse_checkpoint(f"第{point.entry_id}条 {point.code.split('-', 1)[1].lower()}")[0] == point.entry_id
    pdf = audit.checkpoint_pdf(ctx)
    assert pdf.startswith(b"%PDF")
    petitions.register(ctx, form())
    assert audit.verify(ctx, [point.code]).ok
    with pytest.raises(ValidationError):
        audit.verify(ctx, ["12-XYZ"])
    ctx.close()
    # the key file rewritten too, by someone with a password: the paper still tells
    ctx = _open(office, clock)
    _rewrite_from(ctx, 2)
    kf = keys.KeyFile.load(keys.keyfile_path(office))
    assert kf is not None
    kf.data.pop("audit_anchor")
    kf.save()
    result = audit.verify(ctx, [point.code])
    assert any("纸质核对码" in p.message for p in result.problems), result.summary()
    ctx.close()


def test_a_backup_header_carries_the_trails_end_and_verify_uses_the_automatic_ones(office: Path,
                                                                                   clock: Clock) -> None:
    ctx = _open(office, clock)
    job = backup.daily_snapshot(ctx)
    assert job is not None
    outcome = job.run()
    entry_id, entry_hash = outcome.header["audit"]["id"], outcome.header["audit"]["hash"]
    assert entry_id > 0 and audit_store.hash_of(ctx.db, entry_id) == entry_hash
    result = audit.verify(ctx)
    assert any(a.where == "自动备份" for a in result.anchors)
    ctx.close()


def test_the_command_line_prints_a_checkpoint_and_verifies_with_it(office: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import pypdfium2

    from fulian_desktop.cli import main as cli

    monkeypatch.setenv("FULIAN_USER", USER)
    monkeypatch.setenv("FULIAN_PASSWORD", PASSWORD)
    target = tmp_path / "核对码.pdf"
    assert cli.main(["--db", str(office), "audit", "checkpoint", "--out", str(target)]) == cli.EXIT_OK
    text = pypdfium2.PdfDocument(target.read_bytes()).get_page(0).get_textpage().get_text_range()
    code = next(w for w in text.split() if w.count("-") == 4)
    capsys.readouterr()
    assert cli.main(["--db", str(office), "audit", "verify", "--code", code]) == cli.EXIT_OK
    assert "纸质核对码" in capsys.readouterr().out
    assert cli.main(["--db", str(office), "audit", "verify", "--code", "12-XYZ"]) == cli.EXIT_USAGE
    assert "格式不对" in capsys.readouterr().err
