"""The audit trail: complete for a scripted session (with the old and new values of changes kept in the
record history), free of names, ID numbers, phones and case text, append-only, and every edit or removal
found by verify."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulian_desktop.domain.accounts import LoginFailed
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, audit, petitions, printing, settings
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store.connection import DatabaseError

from .conftest import CHEAP_KDF, Clock

NAME, ID_NUMBER, PHONE = "柳如烟", make_id_number("439021", dt.date(1990, 5, 6), 7, True), "13907341234"
FACTS = "丈夫酒后殴打，邻居报警后派出所出具了告诫书。"


def form() -> Petition:
    return Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="石桥村",
        petitioner=Person(name=NAME, id_number=ID_NUMBER, phone=PHONE, address="东山镇石桥村3组"), concerned=None,
        category="婚姻家庭", subcategory="家庭暴力", facts=FACTS, request="请求帮助申请人身安全保护令。", dv=True,
        safety_risk=True, receiving_staff="接待员",
    )


def events(ctx: Context) -> list[tuple[str, int | None, str]]:
    return [(e.event, e.case_id, e.result) for e in reversed(audit_store.page(ctx.db, audit_store.AuditFilter(),
                                                                                limit=1000))]


@pytest.fixture
def session(tmp_path: Path, clock: Clock) -> tuple[Path, int]:
    """A scripted day at the window; returns the database and the case it was about."""
    path = tmp_path / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026",
                                   case_roles={"director"}, clock=clock, kdf=CHEAP_KDF)
    admin = started.ctx
    accounts.add_account(admin, "lili", "李丽", {"window"}, "first-pass-1")
    admin.close()
    with pytest.raises(LoginFailed):
        accounts.sign_in(path, "wangxl", "wrong-password", clock=clock)
    ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    case_id, _ = petitions.register(ctx, form())
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    petitions.add_note(ctx, case_id, "已电话回访")
    audit.viewed(ctx, case_id)
    printing.print_case(ctx, case_id)
    settings.set_office_name(ctx, "东山县妇女联合会")
    ctx.close()
    lili = accounts.sign_in(path, "lili", "first-pass-1", clock=clock)
    with pytest.raises(PermissionDenied):
        petitions.extend(lili, case_id, 10, "需要等待鉴定结果")  # an approval for the 主任
    lili.close()
    return path, case_id


def test_the_trail_of_a_scripted_session_is_complete(session: tuple[Path, int], clock: Clock) -> None:
    path, case_id = session
    ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    got = events(ctx)
    assert got == [
        ("account.add", None, "ok"),  # the first administrator
        ("login", None, "ok"),
        ("setting.change", None, "ok"),  # the office name
        ("account.add", None, "ok"),  # 李丽
        ("logout", None, "ok"),
        ("login.failed", None, "failed"),
        ("login", None, "ok"),
        ("case.create", case_id, "ok"),
        ("case.status", case_id, "ok"),
        ("case.update", case_id, "ok"),
        ("case.view", case_id, "ok"),
        ("case.print", case_id, "ok"),
        ("setting.change", None, "ok"),
        ("logout", None, "ok"),
        ("login", None, "ok"),  # 李丽, who must change her password
        ("denied", None, "denied"),
        ("logout", None, "ok"),
        ("login", None, "ok"),
    ]
    entries = {e.event: e for e in audit_store.page(ctx.db, audit_store.AuditFilter(case_id=case_id))}
    status = entries["case.status"]
    assert status.details()["from"] == "registered" and status.details()["to"] == "accepted"
    assert status.operation == "petitions.accept" and status.actor == "wangxl"
    assert entries["case.update"].operation == "petitions.add_note"
    denied = audit_store.page(ctx.db, audit_store.AuditFilter(event="denied"))[0]
    assert denied.actor == "lili" and denied.target == "petition.extend" and denied.operation == "petitions.extend"
    # the old and new values live in the record history (inside the encrypted database)
    history = audit_store.history_of(ctx.db, status.id)
    assert ("cases", "status", "registered", "accepted") in [(c.tbl, c.field, c.old_value, c.new_value)
                                                              for c in history]
    created = audit_store.history_of(ctx.db, entries["case.create"].id)
    assert {c.tbl for c in created} >= {"cases", "people", "petitions", "timeline"}
    # the entries themselves carry no personal data
    for e in audit_store.page(ctx.db, audit_store.AuditFilter(), limit=1000):
        text = " ".join(str(v) for v in (e.actor, e.event, e.operation, e.target, e.detail))
        for secret in (NAME, ID_NUMBER, PHONE, FACTS[:6], "已电话回访"):
            assert secret not in text
    assert audit.verify(ctx).ok
    ctx.close()


def _tamper(ctx: Context, sql: str, params: list[object]) -> None:
    for trigger in ("audit_append_only_update", "audit_append_only_delete", "record_history_append_only_update",
                    "record_history_append_only_delete"):
        ctx.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    with ctx.db.atomic():
        ctx.db.execute(sql, params)


def test_the_trail_is_append_only(ctx: Context) -> None:
    petitions.register(ctx, form())
    for sql in ("UPDATE audit SET result = 'ok' WHERE id = 1", "DELETE FROM audit WHERE id = 1",
                "UPDATE record_history SET new_value = 'x'", "DELETE FROM record_history"):
        with pytest.raises(DatabaseError, match="append-only"):
            with ctx.db.atomic():
                ctx.db.execute(sql)


@pytest.mark.parametrize(
    ("sql", "params", "words"),
    [
        ("UPDATE audit SET actor = 'someone' WHERE id = ?", [5], "第5条记录被修改过"),
        ("UPDATE audit SET at = '2020-01-01T00:00:00' WHERE id = ?", [8], "第8条记录被修改过"),
        ("DELETE FROM audit WHERE id = ?", [6], "第6条到第6条记录不见了"),
        ("UPDATE record_history SET old_value = 'accepted' WHERE audit_id = ? AND field = 'status'", [9],
         "第9条记录的修改历史"),
    ],
    ids=["actor-edited", "time-edited", "entry-removed", "history-edited"],  # ASCII: mutmut names tests by them
)
def test_verify_finds_an_edited_or_removed_entry(session: tuple[Path, int], clock: Clock, sql: str,
                                                 params: list[object], words: str) -> None:
    path, _case_id = session
    ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    assert audit.verify(ctx).ok
    _tamper(ctx, sql, params)
    result = audit.verify(ctx)
    assert not result.ok
    assert any(words in p.message for p in result.problems), result.summary()
    ctx.close()


def test_verify_finds_a_rewritten_hash_and_a_removed_last_entry(session: tuple[Path, int], clock: Clock) -> None:
    path, _case_id = session
    ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    # someone edits entry 7 and puts a fresh hash on it: the next entry no longer links to it
    e = next(x for x in audit_store.entries(ctx.db) if x.id == 7)
    e.actor = "someone"
    _tamper(ctx, "UPDATE audit SET actor = ?, hash = ? WHERE id = 7", [e.actor, e.compute_hash()])
    problems = audit.verify(ctx).problems
    assert [p.entry_id for p in problems] == [8] and "接不上" in problems[0].message
    ctx.close()

    ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    last = max(x.id for x in audit_store.entries(ctx.db))
    _tamper(ctx, "DELETE FROM audit WHERE id = ?", [last])
    assert any("不见了" in p.message for p in audit.verify(ctx).problems)
    ctx.close()
