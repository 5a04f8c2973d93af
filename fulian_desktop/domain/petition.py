"""Petitions (信访): channels, statuses and their rules, the form's validation."""

from __future__ import annotations

import datetime as dt

from . import deadlines, limits, phone, statuses
from .dates import format_cn, out_of_range, too_early
from .errors import RuleError, ValidationError
from .masking import mask_phone
from .people import check_person
from .records import Petition, Representative, Review
from .text import clean_record

CHANNELS = ("来信", "来电", "来访", "网上", "12338热线")
# The three kinds of petition (信访工作条例 arts. 29–31), chosen at intake; each has its own course: 申诉求决 is
# accepted, concluded within 60 days (+30, art. 34) with a 处理意见书 and may be reviewed; 建议意见 is
# acknowledged, studied and answered (答复意见书), with no statutory conclusion clock; 检举控告 is passed to the
# body competent for it (纪检监察机关 or another) and she is told where it went.
NATURES = ("建议意见", "检举控告", "申诉求决")
DEFAULT_NATURE = "申诉求决"
CLOCKED_NATURES = ("申诉求决",)  # where the 60(+30)-day conclusion clock applies
FORWARDED_NATURES = ("检举控告",)  # passed to the competent body instead of being accepted here
GROUP_SIZE = 5  # 集体访: five or more people (条例 art. 20)
MAX_REPRESENTATIVES = 5  # a group visit chooses at most five representatives (art. 20), the petitioner among them

STATUS_LABELS = statuses.PETITION  # (the words, with the other kinds', in statuses.py)
OPEN_STATUSES = ("registered", "accepted", "in_progress")
# who transfers or assigns petitions to the office (交办/转送), and the working days it has to object (art. 23)
TRANSFER_SOURCES = ("市妇联", "县信访局", "12345热线工单", "12338热线工单", "县委县政府督查室")
OBJECTION_WORKDAYS = 5
REVIEW_DAYS = 30  # 复查 / 复核: asked within 30 days of the written answer, answered within 30 days (arts. 35–36)
REVIEW_STAGES = {"review": "复查", "re_review": "复核"}


def pending_review(p: Petition) -> Review | None:
    """The 复查 or 复核 she asked for and that is not yet answered."""
    return next((r for r in p.reviews if r.answered_on is None), None)


def review_state(p: Petition) -> str:
    """'' / 复查中 / 已复查 / 复核中 / 复核终结 (the same matter is not accepted again)."""
    if not p.reviews:
        return ""
    last = p.reviews[-1]
    name = REVIEW_STAGES[last.stage]
    if last.answered_on is None:
        return f"{name}中"
    return "复核终结" if last.stage == "re_review" else "已复查"


def is_open(p: Petition) -> bool:
    """Still to be worked on: not yet concluded, refused or forwarded — or a 复查 / 复核 waiting for its answer."""
    return p.status in OPEN_STATUSES or pending_review(p) is not None

HANDLING_METHODS = ("当场答复", "转办/交办", "转介法律援助", "调解", "其他")
AGENCIES = ("公安", "法院", "检察院", "司法局", "民政", "人社", "乡镇政府", "其他")
RESULTS = ("支持", "解释说明", "不予支持")  # 条例 art. 32
ADVICE_RESULTS = ("采纳", "部分采纳", "暂不采纳")  # the answer to a 建议意见 (art. 29)


def results_for(nature: str) -> tuple[str, ...]:
    """The outcomes a petition of this kind is concluded with."""
    return ADVICE_RESULTS if nature == "建议意见" else RESULTS


def has_clock(nature: str) -> bool:
    """The 60(+30)-day conclusion clock applies to this kind of petition."""
    return nature in CLOCKED_NATURES
RESPONDENT_RELATIONS = ("丈夫", "前夫", "男友", "婆家", "父母", "子女", "兄弟姐妹", "用人单位", "村（居）委会", "其他")

TEXT_MAX = 5000
_LIST = limits.LIST_VALUE_MAX
# what the 信访登记表 prints of each (long text flows on to the next page; a short one stays in its cell)
LIMITS = limits.define(Petition, {
    "channel": ("信访方式", 10), "township": ("乡镇", _LIST), "village": ("村（社区）", _LIST), "category": ("问题类别", _LIST),
    "subcategory": ("具体类别", _LIST), "facts": ("事情经过", TEXT_MAX), "request": ("诉求", TEXT_MAX),
    "receiving_staff": ("接待人", _LIST), "respondent_name": ("被反映人", limits.NAME_MAX),
    "respondent_relation": ("与当事人关系", 10), "case_no": ("案件编号", 30), "status": ("办理状态", 20),
    "refused_reason": ("不予受理理由", TEXT_MAX), "handling": ("办理方式", 10), "handling_agency": ("转办单位", _LIST),
    "handling_opinion": ("处理意见", TEXT_MAX), "reply": ("答复内容", TEXT_MAX), "result": ("处理结果", 10),
    "extension_reason": ("延期理由", 200),
})
DV_SUBCATEGORY = "家庭暴力"  # the 具体类别 that is itself the 家庭暴力 flag


def dv_implied(subcategory: str) -> bool:
    """The 具体类别 家庭暴力 says the petition is about domestic violence: the 家庭暴力 flag is then set
    whatever else was entered (the form, an imported register), so the two never disagree."""
    return subcategory.strip() == DV_SUBCATEGORY


def validate_petition(p: Petition, today: dt.date) -> Petition:
    """Return a normalised copy of the petition or raise ValidationError (field -> message)."""
    p = clean_record(p)
    errors: dict[str, str] = {}
    limits.check(p, errors)
    if p.channel not in CHANNELS:
        errors["channel"] = "请选择信访方式"
    if p.nature not in NATURES:
        errors["nature"] = "请选择事项类型（建议意见、检举控告或申诉求决）"
    if p.received_on is None:
        errors["received_on"] = "请填写收到日期"
    elif out_of_range(p.received_on, "收到日期", today):
        errors["received_on"] = out_of_range(p.received_on, "收到日期", today)
    petitioner = check_person(p.petitioner, today, errors, "petitioner.")
    concerned = None
    if p.concerned is not None and (p.concerned.name.strip() or p.concerned.id_number.strip()):
        concerned = check_person(p.concerned, today, errors, "concerned.")
    if p.headcount < 1:
        errors["headcount"] = "人数至少为1"
    elif p.headcount > 9999:
        errors["headcount"] = "人数不合理"
    if not p.township.strip():
        errors["township"] = "请选择乡镇"
    if not p.category.strip():
        errors["category"] = "请选择问题类别"
    facts = p.facts.strip()
    if not facts:
        errors["facts"] = "请简要写明事情经过"
    request = p.request.strip()
    if not request:
        errors["request"] = "请写明信访人的诉求"
    if not p.receiving_staff.strip():
        errors["receiving_staff"] = "请填写接待人"
    representatives = check_representatives(p, errors)
    source = check_source(p, errors)
    if errors:
        raise ValidationError(errors)
    return Petition(
        channel=p.channel,
        nature=p.nature,
        received_on=p.received_on,
        petitioner=petitioner,
        concerned=concerned,
        headcount=p.headcount,
        township=p.township.strip(),
        village=p.village.strip(),
        category=p.category.strip(),
        subcategory=p.subcategory.strip(),
        facts=facts,
        request=request,
        dv=p.dv or dv_implied(p.subcategory),
        safety_risk=p.safety_risk,
        receiving_staff=p.receiving_staff.strip(),
        respondent_name=p.respondent_name.strip(),
        respondent_relation=p.respondent_relation.strip(),
        representatives=representatives,
        source_body=source[0], source_no=source[1], source_due_on=p.source_due_on if source[0] else None,
    )


REPRESENTATIVE_LIMITS = limits.define(Representative, {"name": ("代表姓名", limits.NAME_MAX),
                                                       "phone": ("代表电话", 20)})


def check_representatives(p: Petition, errors: dict[str, str]) -> list[Representative]:
    """A group visit's other representatives (the petitioner is the first): each named, at most five in all
    (art. 20); none for a petition that is not a group visit. Messages under "representatives" and
    "representatives.N.name" / ".phone"."""
    chosen = [r for r in p.representatives if r.name.strip() or r.phone.strip()]
    if chosen and not p.is_group:
        errors["representatives"] = f"只有{GROUP_SIZE}人以上的来访（集体访）才推选代表"
        return []
    if len(chosen) > MAX_REPRESENTATIVES - 1:
        errors["representatives"] = (f"集体访推选的代表不超过{MAX_REPRESENTATIVES}人（信访工作条例第二十条）："
                                     f"信访人之外最多{MAX_REPRESENTATIVES - 1}人")
    out = []
    for i, r in enumerate(chosen):
        name, tel = r.name.strip(), r.phone.strip()
        key = f"representatives.{i}."
        limits.check(r, errors, key)
        if not name:
            errors[key + "name"] = "请填写代表的姓名"
        if tel:
            try:
                tel = phone.validate_phone(tel)
            except phone.PhoneError as e:
                errors.setdefault(key + "phone", str(e))
        out.append(Representative(name, tel))
    names = [p.petitioner.name.strip(), *(r.name for r in out)]
    if len(set(names)) < len(names) and "representatives" not in errors:
        errors["representatives"] = "代表的姓名有重复"
    return out


def check_source(p: Petition, errors: dict[str, str]) -> tuple[str, str]:
    """A petition transferred in: the body that sent it and its number (工单号、交办编号); the date they set not before
    it came in. Returns (body, number) cleaned; ('', '') for a petition that came to the office directly."""
    body = limits.clean_text(p.source_body, "source_body", "交办单位", errors, most=limits.LIST_VALUE_MAX,
                             multiline=False)
    number = limits.clean_text(p.source_no, "source_no", "交办编号", errors, most=40, multiline=False)
    if not body:
        if number:
            errors["source_body"] = "请写明交办（转送）单位"
        return "", ""
    if not number:
        errors["source_no"] = "请填写交办编号或工单号"
    if p.source_due_on is not None and p.received_on is not None and p.source_due_on < p.received_on:
        errors["source_due_on"] = "交办要求的办结日期不能早于收到日期"
    return body, number


def representatives_text(p: Petition, *, lead_by_name: bool = True) -> str:
    """The representatives: 张三（信访人）、李四 13800138000、王五 — or, on the 登记表, which prints her name once
    already (`lead_by_name` False), 信访人、李四 13800138000、王五."""
    if not p.is_group:
        return ""
    lead = f"{p.petitioner.name}（信访人）" if lead_by_name else "信访人"
    return "、".join([lead, *(r.name + (f" {r.phone}" if r.phone else "") for r in p.representatives)])


def current_deadline(p: Petition) -> deadlines.Deadline | None:
    review = pending_review(p)
    if p.status == "registered" and p.objection_due_on is not None:  # transferred in: ours, or object in 5 working days
        return deadlines.Deadline("确认是否属本会职责", p.objection_due_on)
    if p.status in ("accepted", "in_progress") and p.source_due_on is not None and p.accepted_on:
        ours = deadlines.conclude_deadline(p.accepted_on, p.extension_days).due_on if has_clock(p.nature) else None
        if ours is None or p.source_due_on < ours:
            return deadlines.Deadline("按交办要求办结", p.source_due_on)
    waiting = (p.status == "in_progress" and p.transfer_sent_on is not None and p.transfer_answered_on is None
               and p.transfer_due_on is not None)
    if waiting and review is None:  # passed on to another body: chase its answer when it comes before our own date
        assert p.transfer_due_on is not None and p.accepted_on is not None
        ours = deadlines.conclude_deadline(p.accepted_on, p.extension_days).due_on if has_clock(p.nature) else None
        if ours is None or p.transfer_due_on < ours:
            return deadlines.Deadline(f"催办：{p.handling_agency}答复", p.transfer_due_on)
    if review is not None:
        return deadlines.Deadline(f"答复{REVIEW_STAGES[review.stage]}请求",
                                  deadlines.add_days(review.requested_on, REVIEW_DAYS))
    if p.status == "registered":
        return deadlines.accept_deadline(p.received_on)
    if p.status in ("accepted", "in_progress") and p.accepted_on and has_clock(p.nature):
        return deadlines.conclude_deadline(p.accepted_on, p.extension_days)
    return None


def _need(p: Petition, allowed: tuple[str, ...], action: str) -> None:
    if p.status not in allowed:
        raise RuleError(f"此案件当前为“{STATUS_LABELS[p.status]}”，不能{action}")


def _check_date(d: dt.date | None, today: dt.date, field: str, label: str, not_before: dt.date) -> None:
    if d is None:
        raise ValidationError({field: f"请填写{label}"})
    if d > today:
        raise ValidationError({field: f"{label}不能晚于今天"})
    if d < not_before:
        raise ValidationError({field: f"{label}不能早于{format_cn(not_before)}"})
    if too_early(d, label):
        raise ValidationError({field: too_early(d, label)})


def check_accept(p: Petition, on: dt.date, today: dt.date) -> None:
    _need(p, ("registered",), "受理")
    if p.nature in FORWARDED_NATURES:
        raise RuleError(f"{p.nature}类事项应转送有权处理的机关（纪检监察机关或其他有权机关），请点“转送有权机关”")
    _check_date(on, today, "accepted_on", "受理日期", p.received_on)


def _step_text(value: str, key: str, field_name: str, required: str, errors: dict[str, str],
               multiline: bool = True) -> str:
    label, most = LIMITS[field_name]
    return limits.clean_text(value, key, label, errors, most=most, required=required, multiline=multiline)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def check_refuse(p: Petition, reason: str, on: dt.date, today: dt.date) -> str:
    """The reason, in normal form."""
    _need(p, ("registered",), "不予受理")
    errors: dict[str, str] = {}
    reason = _step_text(reason, "reason", "refused_reason", "请写明不予受理的理由", errors)
    _raise(errors)
    _check_date(on, today, "told_on", "告知日期", p.received_on)
    return reason


def check_handle(p: Petition, method: str, agency: str, opinion: str = "") -> tuple[str, str]:
    """The agency and the opinion, in normal form."""
    _need(p, ("accepted", "in_progress"), "登记办理方式")
    if method not in HANDLING_METHODS:
        raise ValidationError({"handling": "请选择办理方式"})
    errors: dict[str, str] = {}
    required = "转办/交办时请写明转往的单位" if method == "转办/交办" else ""
    agency = _step_text(agency, "handling_agency", "handling_agency", required, errors, multiline=False)
    opinion = _step_text(opinion, "handling_opinion", "handling_opinion", "", errors)
    _raise(errors)
    return agency, opinion


def check_conclude(p: Petition, reply: str, result: str, on: dt.date, today: dt.date) -> str:
    """The reply, in normal form."""
    _need(p, ("accepted", "in_progress"), "办结")
    if not p.handling:
        raise RuleError("请先登记办理方式，再办结")
    errors: dict[str, str] = {}
    reply = _step_text(reply, "reply", "reply", "请写明答复内容", errors)
    _raise(errors)
    if result not in results_for(p.nature):
        raise ValidationError({"result": "请选择处理结果"})
    _check_date(on, today, "concluded_on", "办结日期", p.accepted_on or p.received_on)
    return reply


def check_extend(p: Petition, days: int, reason: str) -> str:
    """The reason, in normal form."""
    _need(p, ("accepted", "in_progress"), "延期")
    if not has_clock(p.nature):
        raise RuleError(f"{p.nature}类事项没有法定的办结期限，不需要延期")
    if p.extension_days:
        raise RuleError("办理期限只能延长一次（信访工作条例第三十四条）")
    if not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        raise ValidationError({"extension_days": f"延期天数应在1至{deadlines.MAX_EXTENSION_DAYS}天之间"})
    errors: dict[str, str] = {}
    reason = _step_text(reason, "extension_reason", "extension_reason", "请写明延期理由", errors)
    _raise(errors)
    return reason


# --- correcting a saved petition (domain/corrections.py) ----------------------------------------------

# The petition's own fields a correction may change, with their names on the form, in the form's order; the
# people (信访人, 当事妇女) are compared field by field too. The case number never changes.
CORRECTION_LABELS = {
    "channel": "信访方式", "nature": "事项类型", "received_on": "收到日期", "headcount": "人数", "township": "乡镇",
    "village": "村（社区）",
    "category": "问题类别", "subcategory": "具体类别", "dv": "家庭暴力", "safety_risk": "人身安全风险",
    "receiving_staff": "接待人", "respondent_name": "被反映人", "respondent_relation": "与当事人关系",
    "facts": "事情经过", "request": "诉求", "representatives": "推选的代表", "source_body": "交办单位",
    "source_no": "交办编号", "source_due_on": "交办要求的办结日期",
}
CLOSED_WORDS = {"refused": "已告知不予受理", "concluded": "已办结", "forwarded": "已转送有权机关",
                "returned": "已提出异议，退回交办单位"}


def correction_values(p: Petition) -> dict[str, object]:
    values = {f: getattr(p, f) for f in CORRECTION_LABELS}
    # a phone as the timeline writes one (138****8000), so the 更正 line never holds it whole
    values["representatives"] = "、".join(r.name + (f"（{mask_phone(r.phone)}）" if r.phone else "")
                                         for r in p.representatives)
    return values


def check_received_on(saved: Petition, received_on: dt.date) -> None:
    """A corrected receipt date may not come after what followed it (受理, 告知, 办结)."""
    for when, label in ((saved.accepted_on, "受理日期"), (saved.told_on, "告知日期"), (saved.concluded_on, "办结日期")):
        if when is not None and received_on > when:
            raise ValidationError({"received_on": f"收到日期不能晚于{label}（{when.year}年{when.month}月{when.day}日）"})
