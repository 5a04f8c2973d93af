"""Mediation where it is not appropriate (issue 20 point 7): where a protection order is in force or the risk is high,
opening a mediation of a marriage dispute says so (the service refuses without a reason; the form shows it as soon
as she is known, asks for the reason on saving, saves nothing without one and keeps what was typed), and the
reason is kept in the mediation's course. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import dv_repeat
from fulian_desktop.domain.dv_risk import RiskForm
from fulian_desktop.domain.mediation import Mediation, Mediator, Party
from fulian_desktop.domain.records import Person
from fulian_desktop.gui.mediation.mediation_view import MediationView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import dv_repeats, dv_risk, mediations, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_dv_repeats import activate, finish_typing, high_risk_petition  # noqa: F401  (a fixture)
from .test_gui_mediation import choose, click
from .test_referrals import ID, petition


def mediation(ctx: Context, woman: Person, husband: str = "赵大强", on: dt.date = dt.date(2026, 3, 10)) -> Mediation:
    roster = mediations.mediators(ctx)
    mediator_id = roster[0].id if roster else mediations.save_mediator(ctx, Mediator("王秀英"))
    assert mediator_id is not None
    return Mediation(received_on=on, source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
                     village="石桥村", facts="夫妻因家务琐事争吵。", request="要求对方改正。", registrar="李堃",
                     mediator_ids=[mediator_id],
                     parties=[Party(woman, "applicant"), Party(Person(name=husband, sex="男"), "respondent")])


def test_mediating_where_an_order_is_in_force_or_the_risk_is_high_needs_a_reason_that_is_kept(ctx: Context) -> None:
    pid = petition(ctx)
    woman = petitions.get(ctx, pid).petitioner
    assert mediations.open_mediation(ctx, mediation(ctx, Person(name="陈秀英", phone="13900139000")))  # nothing said
    dv_risk.assess(ctx, pid, RiskForm(dt.date(2026, 3, 9), "登记时", {"strangle"}))
    assert "最近一次风险评估为高（红色）（信访〔2026〕第0001号）" in dv_repeats.caution(ctx, [woman.id or 0])
    with pytest.raises(dv_repeat.CautionNeeded) as e:
        mediations.open_mediation(ctx, mediation(ctx, woman))
    assert "家庭暴力案件不宜调解" in e.value.message
    case_id, _ = mediations.open_mediation(ctx, mediation(ctx, woman), "她坚持调解，双方同意在妇联调解员在场时面谈")
    m = mediations.get(ctx, case_id)
    [kept] = [t for t in m.timeline if t.action == dv_repeat.MEDIATION_CAUTION]
    assert kept.note == ("最近一次风险评估为高（红色）（信访〔2026〕第0001号）。经办人决定继续调解，"
                         "理由：她坚持调解，双方同意在妇联调解员在场时面谈")
    assert any(t.action == dv_repeat.FLAG for t in m.timeline)  # and she had been here before


def test_mediating_her_asks_for_a_reason_and_keeps_it(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, high_risk_petition: int,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    window.ui.actionNewMediation.trigger()
    form = window.last_mediation_form
    assert form is not None and form.isVisible()
    activate(qtbot, form)
    type_text(qtbot, form.mediators.new_name, "赵敏")
    click(qtbot, form.mediators.add_button)
    choose(form.source, "当事人申请")
    choose(form.dispute_type, "婚姻")
    choose(form.relationship, "夫妻")
    choose(form.township, "东山镇")
    she = form.applicants.parties[0].person
    type_text(qtbot, she.name, "王小红")
    finish_typing(qtbot, she.id_number, ID)
    assert form.repeats.isVisible() and "不宜调解" in form.repeats.text()
    assert "最近一次风险评估为高（红色）" in form.repeats.text()
    type_text(qtbot, form.respondents.parties[0].person.name, "赵大强")
    type_text(qtbot, form.facts, "丈夫要求她撤回保护令申请，双方到妇联要求调解。")

    # no reason given: nothing saved, the form keeps what was typed
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda _p, _t, label, *_a: asked.append(label) or None)
    click(qtbot, form.save_button)
    assert form.isVisible() and asked and "家庭暴力案件不宜调解" in asked[0]
    assert said and "没有受理" in said[-1]
    assert mediations.counts(ctx, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).mediated == 0
    assert form.facts.toPlainText().startswith("丈夫要求她撤回")

    # with the reason: opened, the reason kept in its course
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "她坚持调解，妇联调解员全程在场")
    with qtbot.waitSignal(form.saved):
        click(qtbot, form.save_button)
    mv = window.tabs.currentWidget()
    assert isinstance(mv, MediationView)
    kept = [t.note for t in mv.mediation.timeline if t.action == dv_repeat.MEDIATION_CAUTION]
    assert kept and kept[0].endswith("经办人决定继续调解，理由：她坚持调解，妇联调解员全程在场")


def test_a_household_visit_finding_a_dispute_asks_for_the_reason_and_opens_the_mediation(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, high_risk_petition: int,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    """The same question as on the mediation form when a household visit's finding opens the mediation (it used to
    fail with 不宜调解 and nothing could be done from the visit)."""
    from fulian_desktop.domain.household import Household, Member
    from fulian_desktop.gui.households.household_view import HouseholdView
    from fulian_desktop.services import households

    from .test_gui_household import choose as pick
    from .test_gui_household import click as press

    mediations.save_mediator(ctx, Mediator(name="周敏", title="专职调解员"))
    woman = petitions.get(ctx, high_risk_petition).petitioner
    poor = households.care_lists(ctx)[0]
    case_id, _ = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=ctx.today(), head=Member(woman, relation=""),
        members=[Member(Person(name="赵大强", sex="男"), relation="配偶")], township="东山镇",
        household_type="一般户", causes=["因病"]))
    view = window.open_case(case_id)
    assert isinstance(view, HouseholdView)
    visit = view.make_visit_form()
    visit.open()
    type_text(qtbot, visit.seen, "夫妻为孩子抚养费争吵，丈夫要求她撤回保护令申请。")
    press(qtbot, visit.found)
    press(qtbot, visit.finding_buttons["dispute"])
    press(qtbot, visit.route_buttons["mediation"])
    pick(visit.respondent, "赵大强")
    pick(visit.dispute_type, "抚养")
    pick(visit.mediator, "周敏（专职调解员）")
    type_text(qtbot, visit.finding_request, "希望调解")

    # no reason: nothing saved (neither the visit nor the mediation), the form keeps what was typed
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_text", lambda _p, _t, label, *_a: asked.append(label) or None)
    press(qtbot, visit.save_button)
    assert visit.isVisible() and asked and "家庭暴力案件不宜调解" in asked[0]
    assert said and "没有受理" in said[-1]
    assert households.get(ctx, case_id).visits == []
    assert visit.seen.toPlainText().startswith("夫妻为孩子抚养费")

    # with the reason: the visit and the mediation saved, the reason kept in its course
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "她坚持调解，妇联调解员全程在场")
    press(qtbot, visit.save_button)
    assert not visit.isVisible()
    mv = window.tabs.currentWidget()
    assert isinstance(mv, MediationView)
    kept = [t.note for t in mv.mediation.timeline if t.action == dv_repeat.MEDIATION_CAUTION]
    assert kept and kept[0].endswith("经办人决定继续调解，理由：她坚持调解，妇联调解员全程在场")
    assert len(households.get(ctx, case_id).visits) == 1


def test_a_mediation_from_the_office_register_is_imported_with_the_caution_noted(ctx: Context) -> None:
    """A register's mediation already took place: where she now has a high risk it is imported (not refused as
    a row that needs a reason), and its course says that the caution stood and why it was taken in anyway."""
    from fulian_desktop.reports import reading
    from fulian_desktop.services import exchange

    from .test_referrals import ID

    pid = petition(ctx)
    dv_risk.assess(ctx, pid, RiskForm(dt.date(2026, 3, 9), "登记时", {"strangle"}))
    text = ("受理日期,申请人姓名,申请人身份证号,申请人联系电话,被申请人姓名,纠纷类型,乡镇,调解员\r\n"
            f"2026年3月9日,王小红,{ID},13800138000,赵大强,婚姻,东山镇,王秀英\r\n")
    source = reading.read_bytes(text.encode("utf-8"), "调解台账.csv")
    kind = reading.guess_kind(source.headers)
    report = exchange.import_rows(ctx, source, kind, reading.guess_mapping(kind, source.headers))
    assert kind == "mediation" and [r.messages for r in report.errors] == [] and report.new == 1 and report.written
    [case_id] = [r[0] for r in ctx.db.execute("SELECT id FROM cases WHERE kind = 'mediation'").fetchall()]
    [kept] = [t for t in mediations.get(ctx, case_id).timeline if t.action == dv_repeat.MEDIATION_CAUTION]
    assert kept.note.startswith("最近一次风险评估为高（红色）（信访〔2026〕第0001号）。经办人决定继续调解，理由：")
    assert kept.note.endswith(dv_repeat.IMPORTED_REASON)
