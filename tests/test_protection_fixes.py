"""家暴防护 records kept wrongly: a 查访, a violation of the order and the report to the police are corrected like a
告诫书 or a ruling (only what changed, the 更正 line with its reason, the trail's 更正 entry), and the last such step
recorded by mistake is undone by the 主任 with a reason (services/undo.py). Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain.corrections import ReasonRequired
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.police_contact import PoliceContact
from fulian_desktop.services import mandatory_reports, police_contacts, printing, start_page, undo
from fulian_desktop.services import protection_orders as orders
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store import cases as case_store

from .conftest import Clock
from .test_protection_orders import application, dv_petition


def last_entry(ctx: Context, case_id: int) -> tuple[str, str, dict[str, object]]:
    e = ctx.db.execute("SELECT id FROM audit WHERE case_id = ? ORDER BY id DESC LIMIT 1", [case_id]).fetchone()[0]
    entry = next(x for x in audit_store.entries(ctx.db) if x.id == e)
    return entry.event, entry.operation, entry.details()


def granted(ctx: Context, case_id: int) -> int:
    order_id, _ = orders.apply(ctx, case_id, application())
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 5), "", "禁止实施家庭暴力",
                         dt.date(2026, 9, 4))
    return order_id


def test_a_visit_a_violation_and_a_report_recorded_wrongly_are_corrected(ctx: Context, clock: Clock) -> None:
    case_id = dv_petition(ctx, birth=dt.date(2010, 6, 1))  # a girl: the report to the police is due
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    first = police_contacts.of_case(ctx, case_id).follow_ups[0]
    with pytest.raises(RuleError):  # planned, not yet done: nothing to correct
        police_contacts.correct_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 9), "派出所", "已停止。")
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 9), "派出所", "未再动手。")
    changes = police_contacts.correct_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 8), "村（居）委会",
                                            "未再动手。")
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("2026年3月10日计划的查访日期", "2026年3月9日", "2026年3月8日"),
        ("2026年3月10日计划的与谁查访", "派出所", "村（居）委会")]
    done = police_contacts.of_case(ctx, case_id).follow_ups[0]
    assert (done.done_on, done.with_whom, done.finding) == (dt.date(2026, 3, 8), "村（居）委会", "未再动手。")
    assert case_store.timeline_of(ctx.db, case_id)[-1].action == "更正"
    with pytest.raises(ValidationError) as e:  # still checked as when recorded
        police_contacts.correct_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 1), "派出所", "")
    assert set(e.value.errors) == {"done_on", "finding"}
    assert police_contacts.correct_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 8), "村（居）委会",
                                         "未再动手。") == []  # nothing changed, nothing written

    order_id = granted(ctx, case_id)
    v = orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "被申请人上门辱骂。")
    changes = orders.correct_violation(ctx, case_id, v, dt.date(2026, 3, 8), "被申请人上门砸门、辱骂。", None, "")
    assert [c.label for c in changes] == ["违反保护令的发生日期", "违反保护令的违反情况"]
    orders.report_violation(ctx, case_id, v, dt.date(2026, 3, 9), "东山县人民法院")
    with pytest.raises(ValidationError) as e:  # a report made stays made
        orders.correct_violation(ctx, case_id, v, dt.date(2026, 3, 8), "被申请人上门砸门、辱骂。", None, "")
    assert "reported_on" in e.value.errors

    mandatory_reports.record_report(ctx, case_id, dt.date(2026, 3, 9), "东山派处所", "电话报警", "J12")
    printing.print_case(ctx, case_id)  # a paper of the case printed: a correction now says why
    with pytest.raises(ReasonRequired):
        mandatory_reports.correct_report(ctx, case_id, dt.date(2026, 3, 9), "东山派出所", "电话报警", "J12")
    changes = mandatory_reports.correct_report(ctx, case_id, dt.date(2026, 3, 9), "东山派出所", "电话报警",
                                               "J2026030900012", reason="派出所名称和回执号抄错，以回执为准")
    assert [(c.label, c.new) for c in changes] == [("强制报告的报告的公安机关", "东山派出所"),
                                                   ("强制报告的回执号", "J2026030900012")]
    r = mandatory_reports.need(ctx, case_id).report
    assert r is not None and (r.reported_to, r.receipt_no, r.ground) == ("东山派出所", "J2026030900012", "minor")
    assert "原因：派出所名称和回执号抄错" in case_store.timeline_of(ctx.db, case_id)[-1].note
    event, operation, detail = last_entry(ctx, case_id)
    assert (event, operation) == ("case.correct", "mandatory_reports.correct_report")
    assert detail["reason"] == "派出所名称和回执号抄错，以回执为准"


def test_the_last_protection_step_recorded_by_mistake_is_undone_by_the_director(ctx: Context, clock: Clock) -> None:
    case_id = dv_petition(ctx, birth=dt.date(2010, 6, 1))
    assert undo.last_protection_step(ctx, case_id) is None
    with pytest.raises(RuleError):
        undo.undo_protection_step(ctx, case_id, "误点")

    # a report to the police recorded on the wrong case: taken back, due again on the start page
    mandatory_reports.record_report(ctx, case_id, dt.date(2026, 3, 9), "东山派出所")
    assert not [i for i in start_page.protection_due(ctx) if i.case_id == case_id]
    step = undo.last_protection_step(ctx, case_id)
    assert step is not None and step.action == "强制报告" and not step.blocked
    with pytest.raises(ValidationError):
        undo.undo_protection_step(ctx, case_id, " ")
    undo.undo_protection_step(ctx, case_id, "记在了另一件案件上")
    assert not mandatory_reports.need(ctx, case_id).done
    assert [i.what for i in start_page.protection_due(ctx) if i.case_id == case_id] == ["强制报告：向公安机关报案"]
    line = case_store.timeline_of(ctx.db, case_id)[-1]
    assert (line.action, line.note) == ("撤销上一步", "撤销“强制报告”，原因：记在了另一件案件上")
    event, operation, detail = last_entry(ctx, case_id)
    assert (event, operation, detail["reason"]) == ("case.undo", "undo.undo_protection_step", "记在了另一件案件上")
    blocked = undo.last_protection_step(ctx, case_id)
    assert blocked is not None and "上一步就是撤销" in blocked.blocked

    # a 查访 recorded by mistake: planned again
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    first = police_contacts.of_case(ctx, case_id).follow_ups[0]
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 9), "派出所", "未再动手。")
    undo.undo_protection_step(ctx, case_id, "这次查访没有去成，记错了")
    again = police_contacts.of_case(ctx, case_id).follow_ups[0]
    assert (again.id, again.due_on, again.done_on, again.with_whom, again.finding) == (
        first.id, dt.date(2026, 3, 10), None, "", "")
    assert [i.what for i in start_page.protection_due(ctx) if i.case_id == case_id][-1] == "告诫书后查访"

    # a violation recorded by mistake: gone; one corrected since cannot be undone (correct it instead)
    order_id = granted(ctx, case_id)
    v = orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "被申请人上门辱骂。")
    orders.correct_violation(ctx, case_id, v, dt.date(2026, 3, 8), "被申请人上门辱骂。", None, "")
    step = undo.last_protection_step(ctx, case_id)
    assert step is not None and step.action == "违反保护令" and "更正" in step.blocked
    with pytest.raises(RuleError):
        undo.undo_protection_step(ctx, case_id, "误记")
    w = orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "误记的一条。")
    undo.undo_protection_step(ctx, case_id, "重复记录")
    assert [x.id for x in orders.of_case(ctx, case_id).violations] == [v] and w != v


def test_only_the_director_undoes_a_protection_step(ctx: Context) -> None:
    from fulian_desktop.domain.permissions import PermissionDenied

    case_id = dv_petition(ctx, birth=dt.date(2010, 6, 1))
    mandatory_reports.record_report(ctx, case_id, dt.date(2026, 3, 9), "东山派出所")
    ctx.roles = frozenset({"window"})
    with pytest.raises(PermissionDenied):
        undo.undo_protection_step(ctx, case_id, "误点")
    ctx.roles = frozenset({"director"})
    undo.undo_protection_step(ctx, case_id, "误点")
