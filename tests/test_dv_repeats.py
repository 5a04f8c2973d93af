"""Repeat victims and repeat abusers (issue 20 point 7): a petition, referral or mediation about a woman who has
been here within 12 months, or naming the same abuser, is flagged at intake with the earlier cases, their risk and
any order in force; mediation where an order is in force or the risk is high needs a reason, kept. Every person
here is made up."""

from __future__ import annotations

import datetime as dt

from fulian_desktop.domain import dv_repeat
from fulian_desktop.domain import protection_order as order_rules
from fulian_desktop.domain.dv_risk import RiskForm
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.protection_order import Application
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Consent
from fulian_desktop.services import dv_repeats, dv_risk, petitions, protection_orders, referrals
from fulian_desktop.services.context import Context

from .test_referrals import direct, petition

ID = make_id_number("439021", dt.date(1992, 4, 8), 12, female=True)  # 王小红 of test_referrals.petition


def her_id(ctx: Context, case_id: int) -> int:
    person_id = petitions.get(ctx, case_id).petitioner.id
    assert person_id is not None
    return person_id


def test_her_referral_within_twelve_months_is_flagged_with_her_petition(ctx: Context) -> None:
    pid = petition(ctx, respondent_name="赵大强")  # 2026-03-09, she names her husband
    form = direct(ctx, consent=Consent(on=dt.date(2026, 3, 10)))
    form.applicant = Person(name="王小红", id_number=ID)  # the same woman: the same ID number
    case_id, _ = referrals.refer(ctx, form)
    r = referrals.get(ctx, case_id)
    flag = [t for t in r.timeline if t.action == dv_repeat.FLAG]
    assert len(flag) == 1
    assert flag[0].note == ("此前12个月内曾来求助1次：信访〔2026〕第0001号（信访，2026年3月9日，同一妇女）")
    assert (pid, "信访〔2026〕第0001号", "petition") in r.links  # her own earlier case, linked


def test_the_same_abuser_named_by_another_woman_in_the_township_is_flagged_but_not_a_wang_mou(ctx: Context) -> None:
    petition(ctx, respondent_name="赵大强")
    other = Person(name="李秀兰", phone="13600136000")
    found = dv_repeats.earlier(ctx, [], "赵大强", "东山镇", dt.date(2026, 3, 10))
    assert [(e.case_no, e.why) for e in found] == [("信访〔2026〕第0001号", dv_repeat.SAME_ABUSER)]
    assert dv_repeats.earlier(ctx, [], "赵大强", "城关镇", dt.date(2026, 3, 10)) == []  # another township
    assert dv_repeats.earlier(ctx, [], "赵某", "东山镇", dt.date(2026, 3, 10)) == []  # 赵某 tells no one apart
    petition(ctx, respondent_name="赵某", petitioner=other, received_on=dt.date(2026, 3, 10))
    assert dv_repeats.earlier(ctx, [], "赵某", "东山镇", dt.date(2026, 3, 10)) == []


def test_twelve_months_and_a_day_earlier_no_longer_counts(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    pid = petition(ctx)
    woman = her_id(ctx, pid)
    assert len(dv_repeats.earlier(ctx, [woman], "", "", dt.date(2027, 3, 9))) == 1
    assert dv_repeats.earlier(ctx, [woman], "", "", dt.date(2027, 3, 10)) == []


def test_the_intake_flag_shows_her_risk_and_the_order_in_force(ctx: Context) -> None:
    pid = petition(ctx)
    woman = her_id(ctx, pid)
    dv_risk.assess(ctx, pid, RiskForm(dt.date(2026, 3, 9), "登记时", {"strangle"}))
    order_id, _ = protection_orders.apply(ctx, pid, Application(
        respondent="赵大强", respondent_relation="丈夫", requests=list(order_rules.MEASURES[:1]), facts="殴打。",
        evidence=[], court="东山县人民法院"))
    protection_orders.record_ruling(ctx, pid, order_id, "granted", dt.date(2026, 3, 10), "（2026）东民保令1号",
                                    "禁止被申请人实施家庭暴力", dt.date(2026, 9, 9))
    [e] = dv_repeats.earlier(ctx, [woman], "", "", dt.date(2026, 3, 10))
    assert e.describe() == ("信访〔2026〕第0001号（信访，2026年3月9日，同一妇女） · 风险：高（红色） · "
                            "人身安全保护令有效至2026年9月9日")
