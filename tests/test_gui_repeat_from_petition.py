"""A case opened from a petition carries that petition on: it is not an earlier request for help (曾来求助). Driving
the real widgets: 转介 and 转调解 on a petition's page show no 曾来求助 banner for the petition itself, nor for the other
case already opened from it, while a real earlier case of hers still shows; the saved referral's course has no flag,
and the statistics' 重复求助 agrees with the banner. Every person here is made up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from fulian_desktop.domain import dv_repeat
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Organisation
from fulian_desktop.gui.mediation.mediation_form import MediationForm
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.gui.referrals.referral_view import ReferralView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.reports import statistics
from fulian_desktop.services import organisations, petitions, referrals
from fulian_desktop.services.context import Context

from .test_gui_referral import ID, choose, register_petition, tick
from .test_referrals import petition

SHELTER = "庇护所/救助管理站"
Q1 = statistics.make_period("quarter", 2026, 1)


def refer_form(qtbot, window: MainWindow, petition_id: int) -> ReferralForm:  # type: ignore[no-untyped-def]
    view = window.open_case(petition_id)
    assert isinstance(view, PetitionView) and view.refer_button.isEnabled()
    qtbot.mouseClick(view.refer_button, Qt.MouseButton.LeftButton)
    form = view.findChildren(ReferralForm)[-1]
    assert form.isVisible() and form.applicant.id_number.text() == ID
    return form


def save_legal_aid(qtbot, form: ReferralForm) -> int:  # type: ignore[no-untyped-def]
    choose(form.organisation, "县法律援助中心")
    choose(form.role, "原告")
    choose(form.legal_state, "尚未进入程序")
    tick(qtbot, form.help_kinds.boxes["诉讼代理"])
    qtbot.keyClicks(form.staff_phone, "0734-8123456")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    return int(saved.args[0])


def repeats_in_q1(ctx: Context) -> int:
    return statistics.compute(ctx.db, Q1).dv.repeats


def test_a_referral_from_her_petition_does_not_count_the_petition_as_an_earlier_request(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock) -> None:
    petition_id = register_petition(ctx)  # 王小红, DV, 2026-03-09: her first time here
    window.refresh()
    form = refer_form(qtbot, window, petition_id)
    assert not form.repeats.isVisible(), form.repeats.text()  # the petition carried on: no 曾来求助
    assert form.repeats.earlier == []
    referral_id = save_legal_aid(qtbot, form)
    ref = window.tabs.currentWidget()
    assert isinstance(ref, ReferralView) and ref.case_id == referral_id
    assert not [e for e in referrals.get(ctx, referral_id).timeline if e.action == dv_repeat.FLAG]
    # the statistics agree: two DV cases of one woman's one request, neither 再次求助
    assert statistics.compute(ctx.db, Q1).dv.cases == 2
    assert repeats_in_q1(ctx) == 0

    # the same petition referred on to a shelter: neither the petition nor its legal-aid referral is an earlier request
    organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service=SHELTER))
    form = refer_form(qtbot, window, petition_id)
    choose(form.service, SHELTER)
    form.repeats.refresh()
    assert not form.repeats.isVisible(), form.repeats.text()


def test_a_real_earlier_case_of_hers_is_still_flagged_beside_the_petition_carried_on(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock) -> None:
    earlier = petition(ctx, received_on=dt.date(2026, 1, 12), respondent_name="赵某")  # she came in January
    petition_id = petition(ctx)  # and again on 9 March
    petitions.accept(ctx, petition_id, dt.date(2026, 3, 9))
    window.refresh()
    form = refer_form(qtbot, window, petition_id)
    assert form.repeats.isVisible()
    assert [e.case_id for e in form.repeats.earlier] == [earlier]  # January's, not the petition being referred
    assert "此前12个月内曾来求助1次" in form.repeats.text()
    referral_id = save_legal_aid(qtbot, form)
    flags = [e.note for e in referrals.get(ctx, referral_id).timeline if e.action == dv_repeat.FLAG]
    assert len(flags) == 1 and flags[0].startswith("此前12个月内曾来求助1次")
    # March's petition came again after January's; the referral carries March's on, and came after January's too
    assert repeats_in_q1(ctx) == 2


def test_sending_her_petition_to_mediation_does_not_count_the_petition(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock) -> None:
    petition_id = petition(ctx, petitioner=Person(name="王小红", id_number=ID), dv=False, subcategory="家庭纠纷")
    petitions.accept(ctx, petition_id, dt.date(2026, 3, 9))
    window.refresh()
    view = window.open_case(petition_id)
    assert isinstance(view, PetitionView) and view.mediate_button.isEnabled()
    qtbot.mouseClick(view.mediate_button, Qt.MouseButton.LeftButton)
    form = view.findChildren(MediationForm)[-1]
    assert form.isVisible() and form.applicants.parties[0].person.id_number.text() == ID
    form.repeats.refresh()
    assert not form.repeats.isVisible(), form.repeats.text()
    assert form.repeats.earlier == []
