"""Every status machine tried with EVERY step from EVERY status: the steps the rules allow succeed, every other
one is refused with a RuleError. The tables of allowed steps are written here by hand from the rules
(信访工作条例 2022 arts. 23, 32, 34; 法律援助法 arts. 32, 43; 人民调解法 arts. 29, 33; the office's household
register), not read from the code: a step opened or closed by mistake in the code fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from fulian_desktop.domain import household as hh
from fulian_desktop.domain import mediation as med
from fulian_desktop.domain import petition as pet
from fulian_desktop.domain import referral as ref
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.records import Person, Petition

from .conftest import ascii_id

TODAY = dt.date(2026, 3, 10)
RECEIVED = dt.date(2026, 2, 1)
ANSWERED = dt.date(2026, 2, 5)


def _attempt(step: Callable[[], object]) -> bool:
    """True when the step is taken (valid input passes whole), False when its status refuses it (RuleError)."""
    try:
        step()
    except RuleError:
        return False
    return True


# --- 信访 ---------------------------------------------------------------------------------------------------

PETITION_STATUSES = ("registered", "accepted", "refused", "in_progress", "concluded")
# by hand: 登记 → 受理 or 不予受理 (art. 23); 受理 → 办理 (登记办理方式) → 办结 (art. 32), once extended (art. 34)
PETITION_ALLOWED: dict[str, set[str]] = {
    "accept": {"registered"},
    "refuse": {"registered"},
    "handle": {"accepted", "in_progress"},
    "conclude": {"in_progress"},  # only once a handling method is on record
    "extend": {"accepted", "in_progress"},
}


def _petition(status: str) -> Petition:
    p = Petition(channel="来访", received_on=RECEIVED, petitioner=Person(name="柳如烟", sex="女"), concerned=None,
                 headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷", facts="经过",
                 request="诉求", dv=False, safety_risk=False, receiving_staff="刘芳", status=status)
    if status != "registered":
        p.accepted_on = p.told_on = ANSWERED
    if status in ("in_progress", "concluded"):
        p.handling = "当场答复"
    if status == "concluded":
        p.concluded_on, p.result, p.reply = TODAY, "支持", "答复"
    if status == "refused":
        p.accepted_on, p.refused_reason = None, "不属于受理范围"
    return p


PETITION_STEPS: dict[str, Callable[[Petition], object]] = {
    "accept": lambda p: pet.check_accept(p, ANSWERED, TODAY),
    "refuse": lambda p: pet.check_refuse(p, "不属于妇联受理范围", ANSWERED, TODAY),
    "handle": lambda p: pet.check_handle(p, "当场答复", ""),
    "conclude": lambda p: pet.check_conclude(p, "已答复", "支持", TODAY, TODAY),
    "extend": lambda p: pet.check_extend(p, 30, "情况复杂"),
}


@pytest.mark.parametrize("step", sorted(PETITION_STEPS))
@pytest.mark.parametrize("status", PETITION_STATUSES)
def test_petition_every_step_from_every_status(status: str, step: str) -> None:
    allowed = _attempt(lambda: PETITION_STEPS[step](_petition(status)))
    assert allowed == (status in PETITION_ALLOWED[step]), f"{step} from {status}"


def test_petition_refusals_name_the_status() -> None:
    with pytest.raises(RuleError, match="不予受理.*不能受理"):
        pet.check_accept(_petition("refused"), ANSWERED, TODAY)
    with pytest.raises(RuleError, match="已办结.*不能办结"):
        pet.check_conclude(_petition("concluded"), "已答复", "支持", TODAY, TODAY)


def test_an_accepted_petition_without_a_handling_method_is_not_concluded() -> None:
    p = _petition("accepted")
    with pytest.raises(RuleError, match="请先登记办理方式"):
        pet.check_conclude(p, "已答复", "支持", TODAY, TODAY)
    p.handling = "调解"
    pet.check_conclude(p, "已答复", "支持", TODAY, TODAY)


def test_a_petition_is_extended_once_only() -> None:
    p = _petition("in_progress")
    p.extension_days = 1
    with pytest.raises(RuleError, match="只能延长一次"):
        pet.check_extend(p, 10, "再延")


# --- 法律援助转介 -------------------------------------------------------------------------------------------

REFERRAL_STATUSES = ("awaiting_consent", "referred", "accepted", "refused", "withdrawn", "concluded")
# by hand: her consent first, then the centre answers within 7 days (art. 43): accepted (a lawyer assigned,
# then concluded) or refused; withdrawn while it is still open
REFERRAL_ALLOWED: dict[str, set[str]] = {
    "consent": {"awaiting_consent"},
    "accept": {"referred"},
    "refuse": {"referred"},
    "assign": {"accepted"},
    "conclude": {"accepted"},
    "withdraw": {"awaiting_consent", "referred", "accepted"},
    "papers": {"awaiting_consent", "referred", "accepted"},
}


def _referral(status: str) -> ref.Referral:
    r = ref.Referral(referred_on=RECEIVED, applicant=Person(name="柳如烟", sex="女", birth_date=dt.date(1990, 5, 6)),
                     township="东山镇", village="", matter="离婚", role="原告", legal_state="尚未进入程序",
                     help_kinds=["咨询"], facts="经过", organisation=ref.Organisation(name="县法律援助中心"),
                     staff="刘芳", status=status)
    if status != "awaiting_consent":
        r.consent, r.sent_on = ref.Consent(on=RECEIVED), RECEIVED
    if status in ("accepted", "refused", "concluded"):
        r.answered_on = ANSWERED
    return r


REFERRAL_STEPS: dict[str, Callable[[ref.Referral], object]] = {
    "consent": lambda r: ref.check_consent(r, ref.Consent(on=RECEIVED), TODAY),
    "accept": lambda r: ref.check_accept(r, ANSWERED, "", "", TODAY),
    "refuse": lambda r: ref.check_refuse(r, "不符合条件", ANSWERED, TODAY),
    "assign": lambda r: ref.check_assign(r, "钱律师", ""),
    "conclude": lambda r: ref.check_conclude(r, "判决", "", TODAY, TODAY),
    "withdraw": lambda r: ref.check_withdraw(r, "本人不再申请", TODAY, TODAY),
    "papers": lambda r: ref.check_papers(r, ["身份证"], ""),
}


@pytest.mark.parametrize("step", sorted(REFERRAL_STEPS))
@pytest.mark.parametrize("status", REFERRAL_STATUSES)
def test_referral_every_step_from_every_status(status: str, step: str) -> None:
    allowed = _attempt(lambda: REFERRAL_STEPS[step](_referral(status)))
    assert allowed == (status in REFERRAL_ALLOWED[step]), f"{step} from {status}"


def test_a_referral_letter_needs_her_consent_and_an_open_referral() -> None:
    for status in REFERRAL_STATUSES:
        r = _referral(status)
        assert _attempt(lambda r=r: ref.check_printable(r)) == (status not in ("awaiting_consent", "withdrawn")), status


# --- 婚姻家庭纠纷调解 ------------------------------------------------------------------------------------------

MEDIATION_STATUSES = ("accepted", "in_progress", "reconciled", "agreed", "self_settled", "failed", "ended")
CLOSED = {"reconciled", "agreed", "self_settled", "failed", "ended"}
# by hand: sessions, investigations and the outcome while it is open; return visits once it is closed; only an
# agreement (达成协议) has an agreement to correct
MEDIATION_ALLOWED: dict[str, set[str]] = {
    "session": {"accepted", "in_progress"},
    "investigation": {"accepted", "in_progress"},
    "close": {"accepted", "in_progress"},
    "schedule_visit": CLOSED,
    "record_visit": CLOSED,
    "change_agreement": {"agreed"},
}
SESSION = med.Session(held_on=ANSWERED, place="调解室", mediators="孙调解", recorder="刘芳", present="双方",
                      applicant_said="要求", respondent_said="同意", result="达成一致", result_detail="和好")
AGREEMENT = med.Agreement("事实", "责任", [med.AgreementItem("支付300元", "转账", "每月5日前")])


def _mediation(status: str) -> med.Mediation:
    m = med.Mediation(received_on=RECEIVED, source="当事人申请", dispute_type="婚姻", relationship="夫妻",
                      township="东山镇", village="", facts="经过", request="诉求", registrar="刘芳",
                      parties=[med.Party(Person(name="柳如烟", sex="女"), "applicant"),
                               med.Party(Person(name="赵某", sex="男"), "respondent")], status=status)
    m.sessions = [SESSION]
    if status in CLOSED:
        m.outcome, m.outcome_on = status, ANSWERED
        m.agreement = AGREEMENT if status == "agreed" else None
    return m


MEDIATION_STEPS: dict[str, Callable[[med.Mediation], object]] = {
    "session": lambda m: med.validate_session(m, SESSION, TODAY),
    "investigation": lambda m: med.validate_investigation(m, med.Investigation(
        held_on=ANSWERED, place="村委会", investigator="孙调解", recorder="", subject="周某", subject_role="",
        content="了解情况"), TODAY),
    "close": lambda m: med.validate_closing(m, med.Closing("reconciled", TODAY, note="已和好"), TODAY),
    "schedule_visit": lambda m: med.check_schedule_visit(m, TODAY, ""),
    "record_visit": lambda m: med.validate_visit(m, med.ReturnVisit(
        due_on=TODAY, visited_on=TODAY, visitor="孙调解", method="电话", performance="已履行", satisfaction="满意",
        findings="良好"), TODAY),
    "change_agreement": lambda m: med.check_agreement_change(m, AGREEMENT),
}


@pytest.mark.parametrize("step", sorted(MEDIATION_STEPS))
@pytest.mark.parametrize("status", MEDIATION_STATUSES)
def test_mediation_every_step_from_every_status(status: str, step: str) -> None:
    allowed = _attempt(lambda: MEDIATION_STEPS[step](_mediation(status)))
    assert allowed == (status in MEDIATION_ALLOWED[step]), f"{step} from {status}"


@pytest.mark.parametrize(("outcome", "needs_a_session"), [
    ("reconciled", True), ("agreed", True), ("failed", True), ("self_settled", False), ("ended", False)])
def test_which_outcomes_need_a_mediation_session(outcome: str, needs_a_session: bool) -> None:
    """和好, an agreement and 调解不成 say a mediation took place: none without a session on record."""
    m = _mediation("accepted")
    m.sessions = []
    closing = med.Closing(outcome, TODAY, note="说明", failed_route="引导诉讼",
                          agreement=AGREEMENT if outcome == "agreed" else None)
    assert _attempt(lambda: med.validate_closing(m, closing, TODAY)) == (not needs_a_session)
    m.sessions = [SESSION]
    med.validate_closing(m, closing, TODAY)


# --- 帮扶户 ------------------------------------------------------------------------------------------------

HOUSEHOLD_STATUSES = ("helping", "lifted", "exited")
# by hand: 帮扶中 → 已脱贫 (still visited: 脱贫不脱帮扶) → 已退出; 退出 from either; 恢复帮扶 from either
HOUSEHOLD_ALLOWED: dict[str, set[str]] = {
    "lift": {"helping"},
    "exit": {"helping", "lifted"},
    "resume": {"lifted", "exited"},
}


def _household(status: str) -> hh.Household:
    return hh.Household(list_id=1, received_on=RECEIVED, head=hh.Member(Person(name="刘秀英", sex="女"), ""),
                        members=[], township="南岭镇", status=status,
                        care_list=hh.CareList(name="帮扶户", unit="household"))


HOUSEHOLD_STEPS: dict[str, Callable[[hh.Household], object]] = {
    "lift": lambda h: hh.check_lift(h, TODAY, TODAY),
    "exit": lambda h: hh.check_exit(h, TODAY, "迁出本县", TODAY),
    "resume": lambda h: hh.check_resume(h),
}


@pytest.mark.parametrize("step", sorted(HOUSEHOLD_STEPS))
@pytest.mark.parametrize("status", HOUSEHOLD_STATUSES)
def test_household_every_step_from_every_status(status: str, step: str) -> None:
    allowed = _attempt(lambda: HOUSEHOLD_STEPS[step](_household(status)))
    assert allowed == (status in HOUSEHOLD_ALLOWED[step]), f"{step} from {status}"


def test_a_person_on_a_care_list_is_not_lifted_out_of_poverty() -> None:
    h = _household("helping")
    h.care_list = hh.CareList(name="留守儿童", unit="person")
    with pytest.raises(RuleError, match="按户登记"):
        hh.check_lift(h, TODAY, TODAY)


def test_allowed_steps_still_check_their_fields() -> None:
    """An allowed step is not waved through: its date and reason are still checked (a ValidationError)."""
    with pytest.raises(ValidationError):
        pet.check_accept(_petition("registered"), RECEIVED - dt.timedelta(days=1), TODAY)
    with pytest.raises(ValidationError):
        ref.check_withdraw(_referral("referred"), " ", TODAY, TODAY)
    with pytest.raises(ValidationError):
        hh.check_exit(_household("helping"), TODAY, "", TODAY)


# --- what each step says when it is refused: the field the message stands beside, and the words -----------------
# (a wrong field key puts the message beside no field in the window; stated here by hand)


def _said(step: Callable[[], object]) -> object:
    try:
        step()
    except ValidationError as e:
        return e.errors
    except RuleError as e:
        return str(e)
    return None


PETITION_MESSAGES: list[tuple[str, str, Callable[[Petition], object], object]] = [
    ("registered", "受理 without a date", lambda p: pet.check_accept(p, None, TODAY),  # type: ignore[arg-type]
     {"accepted_on": "请填写受理日期"}),
    ("registered", "受理 tomorrow", lambda p: pet.check_accept(p, TODAY + dt.timedelta(days=1), TODAY),
     {"accepted_on": "受理日期不能晚于今天"}),
    ("registered", "受理 before receipt", lambda p: pet.check_accept(p, dt.date(2026, 1, 31), TODAY),
     {"accepted_on": "受理日期不能早于2026年2月1日"}),
    ("registered", "受理 on the day received", lambda p: pet.check_accept(p, RECEIVED, TODAY), None),
    ("registered", "不予受理 without a reason", lambda p: pet.check_refuse(p, " ", TODAY, TODAY),
     {"reason": "请写明不予受理的理由"}),
    ("registered", "不予受理 told before receipt", lambda p: pet.check_refuse(p, "理由", dt.date(2026, 1, 31), TODAY),
     {"told_on": "告知日期不能早于2026年2月1日"}),
    ("refused", "不予受理 twice", lambda p: pet.check_refuse(p, "理由", TODAY, TODAY), "此案件当前为“不予受理”，不能不予受理"),
    ("accepted", "no handling method", lambda p: pet.check_handle(p, "", ""), {"handling": "请选择办理方式"}),
    ("accepted", "转办 without the agency", lambda p: pet.check_handle(p, "转办/交办", " "),
     {"handling_agency": "转办/交办时请写明转往的单位"}),
    ("accepted", "其他 needs no agency", lambda p: pet.check_handle(p, "其他", ""), None),
    ("registered", "handling before 受理", lambda p: pet.check_handle(p, "当场答复", ""), "此案件当前为“已登记”，不能登记办理方式"),
    ("in_progress", "办结 without a reply", lambda p: pet.check_conclude(p, " ", "支持", TODAY, TODAY),
     {"reply": "请写明答复内容"}),
    ("in_progress", "办结 without a result", lambda p: pet.check_conclude(p, "已答复", "满意", TODAY, TODAY),
     {"result": "请选择处理结果"}),
    ("in_progress", "办结 before 受理", lambda p: pet.check_conclude(p, "已答复", "支持", RECEIVED, TODAY),
     {"concluded_on": "办结日期不能早于2026年2月5日"}),
    ("in_progress", "办结 on the day accepted", lambda p: pet.check_conclude(p, "已答复", "支持", ANSWERED, TODAY), None),
    ("concluded", "办结 twice", lambda p: pet.check_conclude(p, "已答复", "支持", TODAY, TODAY), "此案件当前为“已办结”，不能办结"),
    ("in_progress", "extended 0 days", lambda p: pet.check_extend(p, 0, "理由"), {"extension_days": "延期天数应在1至30天之间"}),
    ("in_progress", "extended 31 days", lambda p: pet.check_extend(p, 31, "理由"), {"extension_days": "延期天数应在1至30天之间"}),
    ("in_progress", "extended 1 day", lambda p: pet.check_extend(p, 1, "理由"), None),
    ("in_progress", "extended without a reason", lambda p: pet.check_extend(p, 10, " "), {"extension_reason": "请写明延期理由"}),
    ("registered", "extended before 受理", lambda p: pet.check_extend(p, 10, "理由"), "此案件当前为“已登记”，不能延期"),
]


@pytest.mark.parametrize(("status", "what", "step", "said"), PETITION_MESSAGES, ids=[ascii_id(m[1]) for m in PETITION_MESSAGES])
def test_what_a_petition_step_says(status: str, what: str, step: Callable[[Petition], object], said: object) -> None:
    assert _said(lambda: step(_petition(status))) == said


def test_extended_once_is_said_with_the_article() -> None:
    p = _petition("in_progress")
    p.extension_days = 10
    assert _said(lambda: pet.check_extend(p, 5, "再延")) == "办理期限只能延长一次（信访工作条例第三十四条）"
    p.handling = ""
    assert _said(lambda: pet.check_conclude(p, "已答复", "支持", TODAY, TODAY)) == "请先登记办理方式，再办结"


@pytest.mark.parametrize(("received", "said"), [
    (ANSWERED, None),  # the day it was accepted
    (ANSWERED + dt.timedelta(days=1), {"received_on": "收到日期不能晚于受理日期（2026年2月5日）"}),
])
def test_a_corrected_receipt_date_stays_before_acceptance(received: dt.date, said: object) -> None:
    p = _petition("accepted")
    p.told_on = TODAY
    assert _said(lambda: pet.check_received_on(p, received)) == said
    p.accepted_on = None
    assert _said(lambda: pet.check_received_on(p, TODAY + dt.timedelta(days=1))) == {
        "received_on": "收到日期不能晚于告知日期（2026年3月10日）"}


# --- the intake form's own checks: each message beside its field ---------------------------------------------------


def test_an_empty_petition_form_says_what_each_field_needs() -> None:
    blank = Petition(channel="", received_on=None, petitioner=Person(name="柳如烟"), concerned=None,  # type: ignore[arg-type]
                     headcount=0, township=" ", village="", category="", subcategory="", facts=" ", request="",
                     dv=False, safety_risk=False, receiving_staff=" ")
    errors = _said(lambda: pet.validate_petition(blank, TODAY))
    assert isinstance(errors, dict)
    expected = {"channel": "请选择信访方式", "received_on": "请填写收到日期", "headcount": "人数至少为1",
                "township": "请选择乡镇", "category": "请选择问题类别", "facts": "请简要写明事情经过",
                "request": "请写明信访人的诉求", "receiving_staff": "请填写接待人"}
    assert {k: errors.get(k) for k in expected} == expected
    assert not any(k.startswith("concerned.") for k in errors)  # no woman concerned given: nothing to check


@pytest.mark.parametrize(("headcount", "said"), [(1, None), (9999, None), (10000, "人数不合理")])
def test_how_many_people_may_come(headcount: int, said: str | None) -> None:
    p = _petition("registered")
    p.headcount = headcount
    errors = _said(lambda: pet.validate_petition(p, TODAY))
    assert (errors or {}).get("headcount") == said  # type: ignore[union-attr]


def test_the_woman_concerned_is_checked_once_a_name_or_an_id_number_is_given() -> None:
    p = _petition("registered")
    p.received_on = TODAY + dt.timedelta(days=1)
    p.concerned = Person(name="", id_number="330102198507230051")  # a wrong check digit, no name
    errors = _said(lambda: pet.validate_petition(p, TODAY))
    assert isinstance(errors, dict)
    assert errors["received_on"] == "收到日期不能晚于今天"
    assert "校验位" in errors["concerned.id_number"] and "concerned.name" in errors
    assert not any(k.startswith("petitioner.") for k in errors)
    p.received_on, p.concerned = RECEIVED, Person(name="谭小红", sex="女")
    ok = pet.validate_petition(p, TODAY)
    assert ok.concerned is not None and ok.concerned.name == "谭小红" and ok.woman is ok.concerned


def test_the_category_domestic_violence_is_the_dv_flag() -> None:
    p = _petition("registered")
    p.subcategory = " 家庭暴力 "
    assert pet.dv_implied(p.subcategory) and pet.validate_petition(p, TODAY).dv
    p.subcategory = "家庭纠纷"
    assert not pet.dv_implied(p.subcategory) and not pet.validate_petition(p, TODAY).dv
    p.dv = True
    assert pet.validate_petition(p, TODAY).dv  # ticked by hand stays ticked


def test_what_a_correction_compares() -> None:
    p = _petition("registered")
    values = pet.correction_values(p)
    assert list(values) == list(pet.CORRECTION_LABELS)
    assert (values["channel"], values["headcount"], values["respondent_name"]) == ("来访", 1, "")
