"""Legal-aid referral rules without a database: validation, the means-test exemption (art. 32), consent,
the steps each status allows, the 7-day clock (art. 43). Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import referral as rules
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Organisation, Referral

TODAY = dt.date(2026, 3, 10)
ORG = Organisation(id=1, name="县法律援助中心", kind="法律援助中心", phone="12348")


def form(**changes: object) -> Referral:
    r = Referral(
        referred_on=TODAY, applicant=Person(name=" 王  小红 ", phone="138 0013 8000"), township="城关镇",
        village="", matter="离婚", role="原告", legal_state="尚未进入程序", help_kinds=["诉讼代理"],
        facts="  丈夫长期酗酒。\n要求离婚。 ", organisation=ORG, staff="李堃", means="个人诚信承诺",
    )
    for key, value in changes.items():
        setattr(r, key, value)
    return r


def referred(**changes: object) -> Referral:
    r = form(status="referred", sent_on=TODAY, consent=Consent(on=TODAY), case_no="援转〔2026〕第0001号")
    for key, value in changes.items():
        setattr(r, key, value)
    return r


# --- validation ------------------------------------------------------------------------------------


def test_a_complete_form_is_normalised() -> None:
    r = rules.validate_referral(form(help_kinds=["申请人身安全保护令", "咨询", "不存在的帮助"]), TODAY)
    assert r.applicant.name == "王 小红"
    assert r.applicant.phone == "13800138000"
    assert r.facts == "丈夫长期酗酒。\n要求离婚。"
    assert r.help_kinds == ["咨询", "申请人身安全保护令"]  # in the list's order, unknown ones dropped
    assert r.category == "婚姻家庭"
    assert not r.exempt


def test_every_missing_field_is_named() -> None:
    empty = Referral(referred_on=TODAY, applicant=Person(name=""), township="", village="", matter="",
                     role="", legal_state="", help_kinds=[], facts=" ", organisation=None, staff="")
    with pytest.raises(ValidationError) as err:
        rules.validate_referral(empty, TODAY)
    assert set(err.value.errors) == {
        "applicant.name", "organisation", "township", "matter", "role", "legal_state", "help_kinds", "facts",
        "staff", "means",
    }
    assert "机构名录" in err.value.errors["organisation"]


def test_bad_dates_phones_and_numbers() -> None:
    with pytest.raises(ValidationError) as err:
        rules.validate_referral(form(referred_on=TODAY + dt.timedelta(days=1), staff_phone="12345678901234",
                                     household_size=0, household_income=-1), TODAY)
    assert err.value.errors["referred_on"] == "转介日期不能晚于今天"
    assert "staff_phone" in err.value.errors
    assert "household_size" in err.value.errors and "household_income" in err.value.errors


# --- the means test (art. 32) ----------------------------------------------------------------------


def test_a_victim_of_domestic_violence_needs_no_means_test() -> None:
    r = rules.validate_referral(form(victim_of=["家庭暴力"], means="经济困难证明"), TODAY)
    assert r.exempt and r.means == ""  # the means question is not asked
    text = rules.exemption_text(r.victim_of)
    assert "家庭暴力" in text and "第三十二条第四项" in text and "不受经济困难条件的限制" in text
    assert rules.exemption_text(["虐待", "遗弃"]).startswith("申请人系遭受虐待、遗弃的受害人")
    assert rules.exemption_text([]) == ""


def test_without_the_exemption_the_means_must_be_said() -> None:
    with pytest.raises(ValidationError) as err:
        rules.validate_referral(form(means=""), TODAY)
    assert "免予经济困难审查" in err.value.errors["means"]


def test_suggested_papers() -> None:
    assert rules.suggested_papers(form(papers=[])) == ["身份证", "结婚证/离婚证", "经济困难证明或个人诚信承诺"]
    assert rules.suggested_papers(form(papers=["身份证"], matter="劳动", victim_of=["家庭暴力"])) == []


# --- consent ---------------------------------------------------------------------------------------


def test_consent_on_the_form_is_checked() -> None:
    with pytest.raises(ValidationError) as err:
        rules.validate_referral(form(consent=Consent(on=TODAY, by="法定代理人或近亲属", way="")), TODAY)
    assert set(err.value.errors) == {"consent_name", "consent_way"}
    r = rules.validate_referral(form(consent=Consent(on=TODAY, name="不需要的名字")), TODAY)
    assert r.consent == Consent(on=TODAY, by="本人", name="", way="书面签字")


def test_a_girl_under_eighteen_cannot_consent_alone() -> None:
    girl = Person(name="小芳", id_number=make_id_number("439021", dt.date(2010, 6, 1), 8, female=True))
    with pytest.raises(ValidationError) as err:
        rules.validate_referral(form(applicant=girl, consent=Consent(on=TODAY)), TODAY)
    assert "未满十八周岁" in err.value.errors["consent_by"]
    ok = rules.validate_referral(
        form(applicant=girl, consent=Consent(on=TODAY, by="法定代理人或近亲属", name="母亲 李某")), TODAY)
    assert ok.consent is not None and ok.consent.name == "母亲 李某"


def test_consent_is_recorded_once_and_not_before_the_referral() -> None:
    r = form(case_no="援转〔2026〕第0001号")
    with pytest.raises(ValidationError, match="不能早于"):
        rules.check_consent(r, Consent(on=TODAY - dt.timedelta(days=1)), TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        rules.check_consent(r, Consent(on=TODAY + dt.timedelta(days=1)), TODAY)
    assert rules.check_consent(r, Consent(on=TODAY), TODAY).on == TODAY
    with pytest.raises(RuleError, match="已转介"):
        rules.check_consent(referred(), Consent(on=TODAY), TODAY)


def test_printing_needs_her_consent_and_stops_after_withdrawal() -> None:
    with pytest.raises(RuleError, match="登记本人同意"):
        rules.check_printable(form())
    rules.check_printable(referred())
    with pytest.raises(RuleError, match="已撤回"):
        rules.check_printable(referred(status="withdrawn"))


# --- the steps -------------------------------------------------------------------------------------


def test_each_status_allows_only_its_steps() -> None:
    waiting = form()
    with pytest.raises(RuleError, match="待本人同意"):
        rules.check_accept(waiting, TODAY, "", "", TODAY)
    with pytest.raises(RuleError):
        rules.check_refuse(waiting, "不符合条件", TODAY, TODAY)
    rules.check_withdraw(waiting, "她不再申请", TODAY, TODAY)
    r = referred()
    with pytest.raises(RuleError, match="不能办结"):
        rules.check_conclude(r, "判决", "", TODAY, TODAY)
    assert rules.check_accept(r, TODAY, " 周律师 ", "13900139000", TODAY) == ("周律师", "13900139000")
    accepted = referred(status="accepted", answered_on=TODAY)
    rules.check_conclude(accepted, "调解结案", "", TODAY, TODAY)
    for closed in ("refused", "withdrawn", "concluded"):
        with pytest.raises(RuleError):
            rules.check_withdraw(referred(status=closed), "原因", TODAY, TODAY)
        with pytest.raises(RuleError):
            rules.check_papers(referred(status=closed), ["身份证"], "")


def test_answers_need_their_reasons_and_sensible_dates() -> None:
    r = referred()
    with pytest.raises(ValidationError) as err:
        rules.check_refuse(r, " ", TODAY, TODAY)
    assert "reason" in err.value.errors
    with pytest.raises(ValidationError) as err:
        rules.check_accept(r, TODAY - dt.timedelta(days=1), "", "", TODAY)
    assert "不能早于2026年3月10日" in err.value.errors["answered_on"]
    with pytest.raises(ValidationError) as err:
        rules.check_accept(r, TODAY, "", "1380013800", TODAY)
    assert "lawyer_phone" in err.value.errors
    accepted = referred(status="accepted", answered_on=TODAY)
    with pytest.raises(ValidationError) as err:
        rules.check_conclude(accepted, "其他", "", TODAY, TODAY)
    assert "result_note" in err.value.errors
    with pytest.raises(ValidationError):
        rules.check_conclude(accepted, "不存在的结果", "", TODAY, TODAY)
    with pytest.raises(ValidationError) as err:
        rules.check_assign(accepted, "", "")
    assert "lawyer" in err.value.errors


# --- the clocks ------------------------------------------------------------------------------------


def test_the_organisation_answers_within_seven_days() -> None:
    r = referred()
    d = rules.current_deadline(r)
    assert d is not None and d.due_on == dt.date(2026, 3, 17) and d.label == "答复是否受理"
    assert rules.clock_text(r, TODAY) == "已转介第0天，7天内应答复是否受理（2026年3月17日前）"
    assert not rules.waiting_too_long(r, dt.date(2026, 3, 17))
    assert "今天应答复" in rules.clock_text(r, dt.date(2026, 3, 17))
    assert rules.waiting_too_long(r, dt.date(2026, 3, 18))
    text = rules.clock_text(r, dt.date(2026, 3, 19))
    assert text.startswith("已转介9天仍未答复，超过法定七日")
    assert d.state(dt.date(2026, 3, 18)) == "overdue"
    assert rules.answer_note(r, dt.date(2026, 3, 12)) == "转介后第2天答复"
    assert rules.answer_note(r, dt.date(2026, 3, 19)) == "转介后第9天答复，超过法定七日"


def test_no_clock_before_consent_and_a_lawyer_within_three_days_of_acceptance() -> None:
    assert rules.current_deadline(form()) is None
    assert "同意前不能打印" in rules.clock_text(form(), TODAY)
    accepted = referred(status="accepted", answered_on=dt.date(2026, 3, 12))
    d = rules.current_deadline(accepted)
    assert d is not None and d.label == "指派承办人" and d.due_on == dt.date(2026, 3, 15)
    assert rules.current_deadline(referred(status="accepted", answered_on=TODAY, lawyer="周律师")) is None
    for closed in ("refused", "withdrawn", "concluded"):
        assert rules.current_deadline(referred(status=closed)) is None


# --- from a petition, and the directory ------------------------------------------------------------


def test_a_petition_fills_the_referral_form() -> None:
    woman = Person(name="李某", phone="13800138000", id=7)
    p = Petition(channel="来访", received_on=TODAY, petitioner=Person(name="她母亲", id=6), concerned=woman,
                 headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭暴力",
                 facts="丈夫殴打。", request="申请人身安全保护令", dv=True, safety_risk=True,
                 receiving_staff="甲", respondent_name="赵某", respondent_relation="丈夫")
    r = rules.draft_from_petition(p, TODAY, "李堃")
    assert r.applicant == woman and r.applicant is not woman  # the woman concerned, copied
    assert (r.township, r.village, r.matter, r.facts) == ("东山镇", "石桥村", "家庭暴力", "丈夫殴打。")
    assert r.victim_of == ["家庭暴力"] and r.help_kinds == ["申请人身安全保护令"]
    assert (r.opponent_name, r.opponent_relation, r.staff) == ("赵某", "丈夫", "李堃")
    assert rules.matter_for("婚姻家庭", "离婚问题", True) == "离婚"
    assert rules.matter_for("劳动和社会保障权益", "", False) == "劳动"


def test_organisation_entries_are_checked() -> None:
    with pytest.raises(ValidationError) as err:
        rules.validate_organisation(Organisation(name=" ", kind="银行", phone="abc"))
    assert set(err.value.errors) == {"name", "kind", "phone"}
    o = rules.validate_organisation(Organisation(name=" 城关镇 司法所 ", kind="司法所", phone="12348"))
    assert o.name == "城关镇 司法所" and o.label == "城关镇 司法所"
    assert Organisation(name="妇女维权站", kind="其他").label == "妇女维权站（其他）"
    assert ORG.describe() == "县法律援助中心 · 电话：12348"
