"""Correcting a household (and its people) and its visits through the services: only what changed is
written, the timeline says what (更正：…), a reason once something official rests on it (the 帮扶手册 or a
visit's record printed, the household off the register), the follow-up a visit promised follows its
correction, and a role without the right to handle households is refused by the service. Every person here
is made up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from fulian_desktop.domain.corrections import ReasonRequired
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.household import Member
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.services import household_printing, households
from fulian_desktop.services.context import Context

from .conftest import Clock
from .test_households import a_household, a_visit
from .test_mediation_corrections import last_entry, written


def test_a_correction_writes_only_what_changed_and_says_so_in_the_timeline(ctx: Context) -> None:
    case_id, case_no = households.register(ctx, a_household(ctx))
    h = households.get(ctx, case_id)
    h.address = "三组19号"
    h.head.person.phone = "13900139000"
    h.extra = {"f1": "3"}
    changes = households.correct(ctx, case_id, h)
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("组、门牌", "三组18号", "三组19号"), ("耕地面积（亩）", "2.5", "3"),
        ("户主的联系电话", "13800138000", "13900139000")]
    assert written(ctx, case_id) == {"households.address", "households.extra", "people.phone", "timeline+"}
    assert last_entry(ctx, case_id).event == "case.correct"
    again = households.get(ctx, case_id)
    assert again.case_no == case_no and again.head.person.phone == "13900139000" and again.extra == {"f1": 3}
    assert again.timeline[-1].action == "更正"
    assert again.timeline[-1].note == ("更正：组、门牌 三组18号→三组19号；耕地面积（亩） 2.5→3；"
                                       "户主的联系电话 138****8000→139****9000")
    assert households.correct(ctx, case_id, households.get(ctx, case_id)) == []


def test_members_added_taken_off_and_corrected(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    h = households.get(ctx, case_id)
    h.members[1].schooling = "高中"
    h.members = [h.members[1], Member(Person(name="李小军", sex="男"), relation="之子", schooling="小学")]
    changes = households.correct(ctx, case_id, h)
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("成员李小花的在校生状况", "初中", "高中"), ("家庭成员", "", "李小军"), ("家庭成员", "李大山", "")]
    again = households.get(ctx, case_id)
    assert [(m.person.name, m.relation) for m in again.everyone] == [
        ("王秀英", "户主"), ("李小花", "之女"), ("李小军", "之子")]
    assert again.members[0].schooling == "高中"
    # the head's name mistyped: the case list follows
    again.head.person.name = "王秀云"
    households.correct(ctx, case_id, again)
    assert ctx.db.execute("SELECT names FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "王秀云"


def test_the_date_on_the_register_stays_before_the_first_visit_and_moves_the_rhythm(ctx: Context,
                                                                                     clock: Clock) -> None:
    entered = ctx.today() - dt.timedelta(days=20)
    case_id, _ = households.register(ctx, a_household(ctx, received_on=entered, rhythm=Rhythm.monthly(entered)))
    h = households.get(ctx, case_id)
    assert h.rhythm is not None and h.rhythm.start == h.received_on
    households.correct(ctx, case_id, replace(h, received_on=ctx.today() - dt.timedelta(days=10)))
    h = households.get(ctx, case_id)
    assert h.rhythm is not None and h.rhythm.start == ctx.today() - dt.timedelta(days=10)
    households.log_visit(ctx, case_id, a_visit(ctx.today() - dt.timedelta(days=5)))
    with pytest.raises(ValidationError) as err:
        households.correct(ctx, case_id, replace(h, received_on=ctx.today() - dt.timedelta(days=2)))
    assert "第一次走访" in err.value.errors["received_on"]


def test_a_reason_once_the_card_was_printed_or_the_household_left_the_register(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    household_printing.print_card(ctx, case_id)
    h = households.get(ctx, case_id)
    with pytest.raises(ReasonRequired) as err:
        households.correct(ctx, case_id, replace(h, notes="住房漏雨"))
    assert err.value.errors == {"reason": "这件案件已打印，更正需写明原因"}
    assert households.get(ctx, case_id).notes == ""
    households.correct(ctx, case_id, replace(h, notes="住房漏雨"), reason="漏记")
    assert households.get(ctx, case_id).timeline[-1].note == "更正：备注 （空）→住房漏雨，原因：漏记"
    assert last_entry(ctx, case_id).details()["reason"] == "漏记"

    other, _ = households.register(ctx, a_household(ctx, head=Member(Person(name="赵兰", sex="女"), relation="")))
    households.exit_(ctx, other, ctx.today(), "迁出本县")
    with pytest.raises(ReasonRequired, match="已退出名单"):
        households.correct(ctx, other, replace(households.get(ctx, other), village="河口村"))


def test_a_visit_corrected_money_after_the_card_was_printed_needs_a_reason(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    visit_id = households.log_visit(ctx, case_id, a_visit(ctx.today(), kind="solace", cash_fen=50000)).visit_id
    household_printing.print_card(ctx, case_id)
    _h, v = households.visit(ctx, visit_id)
    changes = households.correct_visit(ctx, visit_id, replace(v, seen="家中整洁。"))  # not on the card's sums
    assert [c.label for c in changes] == ["2026年3月10日走访的走访情况"]
    _h, v = households.visit(ctx, visit_id)
    with pytest.raises(ReasonRequired):
        households.correct_visit(ctx, visit_id, replace(v, cash_fen=80000))
    assert households.visit(ctx, visit_id)[1].cash_fen == 50000
    households.correct_visit(ctx, visit_id, replace(v, cash_fen=80000), reason="金额登记错误")
    assert written(ctx, case_id) == {"visits.cash_fen", "timeline+"}
    h = households.get(ctx, case_id)
    assert h.cash_total == 80000
    assert h.timeline[-1].note == "更正：2026年3月10日走访的慰问金 ¥500.00→¥800.00，原因：金额登记错误"


def test_a_visit_whose_record_was_printed_needs_a_reason_for_any_change(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    visit_id = households.log_visit(ctx, case_id, a_visit(ctx.today())).visit_id
    household_printing.print_visit(ctx, visit_id)
    _h, v = households.visit(ctx, visit_id)
    with pytest.raises(ReasonRequired):
        households.correct_visit(ctx, visit_id, replace(v, visitors="刘芳、赵红梅"))


def test_a_visits_date_and_its_promise_follow_the_correction(ctx: Context, clock: Clock) -> None:
    entered = dt.date(2026, 2, 8)
    case_id, _ = households.register(ctx, a_household(ctx, received_on=entered, rhythm=Rhythm.monthly(entered)))
    visit_id = households.log_visit(ctx, case_id, a_visit(ctx.today())).visit_id
    assert households.get(ctx, case_id).next_due == dt.date(2026, 4, 8)
    _h, v = households.visit(ctx, visit_id)
    households.correct_visit(ctx, visit_id, replace(v, visited_on=ctx.today() - dt.timedelta(days=28),
                                                    promised="联系村委会修房", promise_due=dt.date(2026, 3, 20)))
    h = households.get(ctx, case_id)
    assert h.visits[0].visited_on == dt.date(2026, 2, 10) and h.next_due == dt.date(2026, 3, 8)
    assert [(t.title, t.due_on) for t in h.tasks] == [("联系村委会修房", dt.date(2026, 3, 20))]
    _h, v = households.visit(ctx, visit_id)
    households.correct_visit(ctx, visit_id, replace(v, promise_due=dt.date(2026, 3, 25)))
    assert [(t.title, t.due_on) for t in households.get(ctx, case_id).tasks] == [
        ("联系村委会修房", dt.date(2026, 3, 25))]
    _h, v = households.visit(ctx, visit_id)
    households.correct_visit(ctx, visit_id, replace(v, promised=""))
    assert households.get(ctx, case_id).tasks == []
    with pytest.raises(ValidationError) as err:
        households.correct_visit(ctx, visit_id, replace(v, visited_on=ctx.today() + dt.timedelta(days=1), seen=""))
    assert set(err.value.errors) == {"visited_on", "seen"}


def test_a_role_without_the_right_to_handle_households_is_refused(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    visit_id = households.log_visit(ctx, case_id, a_visit(ctx.today())).visit_id
    h = households.get(ctx, case_id)
    mediator = Context(db=ctx.db, clock=ctx.clock, staff="调解员", roles=frozenset({"mediator"}), user=ctx.user)
    with pytest.raises(PermissionDenied):
        households.correct(mediator, case_id, replace(h, notes="x"))
    with pytest.raises(PermissionDenied):
        households.correct_visit(mediator, visit_id, replace(h.visits[0], seen="x"))
    assert households.get(ctx, case_id).notes == ""
