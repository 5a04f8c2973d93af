"""人身安全保护令: the application the office helps her make (or makes on her behalf, according to her wishes), the
court's ruling clock, the order's term and its end, an extension, violations.

The rules (反家庭暴力法 arts. 23–32, 34; 最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定 2022):
- art. 23: she applies herself; if she cannot for fear or another reason, 妇女联合会 (among others) may apply on
  her behalf — according to her wishes: the application records them and when she agreed.
- art. 27: an identified respondent, specific requests, violence or its real danger.
- art. 28: the court rules within 72 hours of accepting the application, within 24 hours when it is urgent.
  Hours are counted as 民事诉讼法 art. 85 counts them: the hour in which the period begins is not counted, so the
  clock starts at the next full hour and runs on through nights, weekends and holidays.
- art. 29: what an order may order (MEASURES).
- art. 30: valid up to six months from the day it is made; before it ends the court may extend it on her
  application (the office reminds END_REMINDER_DAYS before the end and prints the request).
- art. 34: a respondent who breaks the order is punished by the court (训诫, fine, detention) or prosecuted: a
  violation is reported to the court (and to the police) at once; until it is, it stands overdue.
- SPC 2022 rules art. 6: the federation's records of her complaints count as evidence: the office prints a 情况证明
  from its own records, to be signed and sealed.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from . import limits
from .dates import format_cn, format_cn_datetime, out_of_range
from .errors import ValidationError

RULING_HOURS = 72
URGENT_HOURS = 24
MAX_MONTHS = 6
END_REMINDER_DAYS = 15  # the reminder to ask for an extension shows this many days before the order ends

# art. 29, in the words of the application's 请求事项
MEASURES = (
    "禁止被申请人对申请人实施家庭暴力",
    "禁止被申请人骚扰、跟踪、接触申请人及其相关近亲属",
    "责令被申请人迁出申请人住所",
)
OUTCOMES = {"granted": "作出人身安全保护令", "refused": "驳回申请", "withdrawn": "撤回申请"}

COURT_MAX = 40
FACTS_MAX = 3000
EVIDENCE_MAX = 1000
WISHES_MAX = 500
REQUEST_MAX = 300
ORDER_NO_MAX = 60
ORDERED_MAX = 1000
WHAT_MAX = 500
ADDRESS_MAX = 100


@dataclass
class Application:
    """What the 申请书 says, and how she applies."""

    respondent: str  # 被申请人
    respondent_relation: str  # 与申请人的关系: 丈夫 / 前夫 …
    requests: list[str]  # the measures asked (MEASURES or other words), one a line
    facts: str  # 事实与理由
    evidence: list[str]  # 证据清单, one a line
    court: str = ""  # the court it goes to: 某某县人民法院
    urgent: bool = False  # 情况紧急: the 24-hour clock
    on_behalf: bool = False  # 本会代为申请 (art. 23)
    wishes: str = ""  # her wishes, as she stated them (required when the office applies on her behalf)
    consent_on: dt.date | None = None  # the day she agreed (required on her behalf)
    respondent_address: str = ""


@dataclass
class Order:
    """One application and what became of it."""

    application: Application
    id: int | None = None
    case_id: int | None = None
    filed_at: dt.datetime | None = None  # when the court accepted it: the ruling clock starts here
    outcome: str = ""  # '' (waiting) / granted / refused / withdrawn
    ruled_on: dt.date | None = None
    order_no: str = ""  # 案号
    ordered: str = ""  # what the order orders, as the court wrote it
    ends_on: dt.date | None = None  # the last day it is in force
    extension_filed_on: dt.date | None = None  # an extension asked for and not yet decided
    outcome_note: str = ""
    staff: str = ""


@dataclass
class Violation:
    occurred_on: dt.date
    what: str
    reported_on: dt.date | None = None  # reported to the court / the police (escalated)
    reported_to: str = ""
    staff: str = ""
    id: int | None = None
    order_id: int | None = None
    case_id: int | None = None


APPLICATION_LIMITS = limits.define(Application, {
    "respondent": ("被申请人", limits.NAME_MAX), "respondent_relation": ("与申请人的关系", limits.LIST_VALUE_MAX),
    "facts": ("事实与理由", FACTS_MAX), "court": ("人民法院", COURT_MAX), "wishes": ("申请人的意愿", WISHES_MAX),
    "respondent_address": ("被申请人住址", ADDRESS_MAX),
})
ORDER_LIMITS = limits.define(Order, {"order_no": ("案号", ORDER_NO_MAX), "ordered": ("裁定内容", ORDERED_MAX),
                                     "outcome_note": ("说明", WISHES_MAX)})
VIOLATION_LIMITS = limits.define(Violation, {"what": ("违反情况", WHAT_MAX), "reported_to": ("报告的机关", COURT_MAX)})


# --- the clocks -------------------------------------------------------------------------------------------

def ruling_due(filed_at: dt.datetime, urgent: bool) -> dt.datetime:
    """When the court must have ruled: 72 hours (24 if urgent) counted from the full hour after acceptance.
    Filed on a Friday at 16:20, the clock starts at 17:00 and runs out on Monday at 17:00 (Saturday 17:00 if
    urgent): the weekend is not skipped."""
    start = filed_at.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return start + dt.timedelta(hours=URGENT_HOURS if urgent else RULING_HOURS)


def default_end(made_on: dt.date) -> dt.date:
    """The last day of a six-month order as courts usually write it, the day it is made counted (made on 10
    January: to 9 July) — offered in the window, to be checked against the order."""
    return made_on + relativedelta(months=MAX_MONTHS) - dt.timedelta(days=1)


def latest_end(made_on: dt.date) -> dt.date:
    """The latest last day accepted for an order made (or extended) from `made_on`: six months on, counted as
    民法典 arts. 201–202 count months (the first day not counted; no such day in the last month: its last day) —
    so either way a court writes six months is taken, and a typing slip of a year is not."""
    return made_on + relativedelta(months=MAX_MONTHS)


def reminder_from(ends_on: dt.date) -> dt.date:
    """From this day the office is reminded that the order ends (and asked whether she wants it extended)."""
    return ends_on - dt.timedelta(days=END_REMINDER_DAYS)


def state(o: Order, now: dt.datetime) -> str:
    """What the order's line says today: 待法院受理 / 等待裁定（…前） / 逾期未裁定 / 有效期至… / 即将到期 / 已到期 …"""
    today = now.date()
    if o.outcome == "refused":
        return f"法院已驳回（{format_cn(o.ruled_on)}）"
    if o.outcome == "withdrawn":
        return "已撤回申请"
    if o.outcome == "granted" and o.ends_on is not None:
        if o.ends_on < today:
            return f"已到期（{format_cn(o.ends_on)}）"
        extension = "，已申请延长" if o.extension_filed_on else ""
        if today >= reminder_from(o.ends_on):
            return f"即将到期：有效期至{format_cn(o.ends_on)}，还有{(o.ends_on - today).days}天{extension}"
        return f"有效期至{format_cn(o.ends_on)}{extension}"
    if o.filed_at is None:
        return "申请书已出具，待提交法院"
    due = ruling_due(o.filed_at, o.application.urgent)
    if now > due:
        return f"法院应在{format_cn_datetime(due)}前裁定，已超过"
    return f"等待裁定：法院应在{format_cn_datetime(due)}前作出（{URGENT_HOURS if o.application.urgent else RULING_HOURS}小时）"


def in_force(o: Order, today: dt.date) -> bool:
    return o.outcome == "granted" and o.ends_on is not None and o.ruled_on is not None \
        and o.ruled_on <= today <= o.ends_on


# --- validation -------------------------------------------------------------------------------------------

def _lines(items: list[str], key: str, label: str, most: int, errors: dict[str, str]) -> list[str]:
    out = [limits.clean_text(x, key, label, errors, most=most, multiline=False) for x in items]
    return [x for x in out if x]


def validate_application(a: Application, today: dt.date) -> Application:
    errors: dict[str, str] = {}
    a.respondent = limits.clean_text(a.respondent, "respondent", "被申请人", errors, most=limits.NAME_MAX,
                                     required="请写明被申请人（实施家庭暴力的人）的姓名", multiline=False)
    a.respondent_relation = limits.clean_text(a.respondent_relation, "respondent_relation", "与申请人的关系", errors,
                                              most=limits.LIST_VALUE_MAX, required="请写明被申请人与申请人的关系",
                                              multiline=False)
    a.respondent_address = limits.clean_text(a.respondent_address, "respondent_address", "被申请人住址", errors,
                                             most=ADDRESS_MAX, multiline=False)
    a.requests = _lines(a.requests, "requests", "请求事项", REQUEST_MAX, errors)
    if not a.requests and "requests" not in errors:
        errors["requests"] = "请至少选择或写明一项请求事项"
    a.facts = limits.clean_text(a.facts, "facts", "事实与理由", errors, most=FACTS_MAX,
                                required="请写明遭受家庭暴力的事实（时间、经过、伤情）")
    a.evidence = _lines(a.evidence, "evidence", "证据", EVIDENCE_MAX, errors)
    a.court = limits.clean_text(a.court, "court", "人民法院", errors, most=COURT_MAX,
                                required="请写明向哪个人民法院申请", multiline=False)
    a.wishes = limits.clean_text(a.wishes, "wishes", "申请人的意愿", errors, most=WISHES_MAX)
    if a.on_behalf:
        if not a.wishes and "wishes" not in errors:
            errors["wishes"] = "本会代为申请的，须记下她本人的意愿（反家庭暴力法第二十三条）"
        if a.consent_on is None:
            errors["consent_on"] = "请填写她同意由本会代为申请的日期"
    if a.consent_on is not None and (msg := out_of_range(a.consent_on, "同意日期", today)):
        errors["consent_on"] = msg
    if errors:
        raise ValidationError(errors)
    return a


def validate_filing(court: str, filed_at: dt.datetime | None, now: dt.datetime) -> str:
    errors: dict[str, str] = {}
    court = limits.clean_text(court, "court", "人民法院", errors, most=COURT_MAX, required="请写明受理的人民法院",
                              multiline=False)
    if filed_at is None:
        errors["filed_at"] = "请填写法院受理的日期和时间"
    elif filed_at > now:
        errors["filed_at"] = "受理时间不能晚于现在"
    elif msg := out_of_range(filed_at.date(), "受理日期", now.date()):
        errors["filed_at"] = msg
    if errors:
        raise ValidationError(errors)
    return court


def validate_ruling(o: Order, outcome: str, ruled_on: dt.date | None, order_no: str, ordered: str,
                    ends_on: dt.date | None, note: str, today: dt.date) -> Order:
    """The court's ruling: granted (its number, what it orders, its end within six months), refused, withdrawn."""
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = "请选择法院的结果"
    if ruled_on is None:
        errors["ruled_on"] = "请填写日期"
    elif msg := out_of_range(ruled_on, "日期", today):
        errors["ruled_on"] = msg
    elif o.filed_at is not None and ruled_on < o.filed_at.date():
        errors["ruled_on"] = "裁定日期不能早于法院受理的日期"
    order_no = limits.clean_text(order_no, "order_no", "案号", errors, most=ORDER_NO_MAX, multiline=False)
    ordered = limits.clean_text(ordered, "ordered", "裁定内容", errors, most=ORDERED_MAX)
    note = limits.clean_text(note, "note", "说明", errors, most=WISHES_MAX)
    if outcome == "granted":
        if not ordered and "ordered" not in errors:
            errors["ordered"] = "请写明保护令的内容（禁止实施家庭暴力、禁止接触……）"
        if ends_on is None:
            errors["ends_on"] = "请填写有效期的最后一天（最长6个月）"
        elif ruled_on is not None and "ruled_on" not in errors:
            if ends_on < ruled_on:
                errors["ends_on"] = "有效期不能早于作出的日期"
            elif ends_on > latest_end(ruled_on):
                errors["ends_on"] = f"有效期最长6个月，至多到{format_cn(latest_end(ruled_on))}（反家庭暴力法第三十条）"
    if errors:
        raise ValidationError(errors)
    o.outcome, o.ruled_on, o.order_no, o.outcome_note = outcome, ruled_on, order_no, note
    o.ordered = ordered if outcome == "granted" else ""
    o.ends_on = ends_on if outcome == "granted" else None
    return o


def validate_extension(o: Order, until: dt.date | None, reasons: str, today: dt.date) -> tuple[dt.date, str]:
    """An extension asked for: only of an order in force, to a day after its end, at most six months on."""
    errors: dict[str, str] = {}
    if o.outcome != "granted" or o.ends_on is None:
        errors["until"] = "只有已作出的人身安全保护令可以申请延长"
    elif o.ends_on < today:
        errors["until"] = f"这份保护令已于{format_cn(o.ends_on)}到期，不能再延长；如仍有危险，请重新申请"
    elif until is None:
        errors["until"] = "请填写请求延长到哪一天"
    elif until <= o.ends_on:
        errors["until"] = f"请求延长到的日期应晚于现在的有效期（{format_cn(o.ends_on)}）"
    elif until > latest_end(o.ends_on + dt.timedelta(days=1)):
        errors["until"] = f"每次最多延长6个月，至多到{format_cn(latest_end(o.ends_on + dt.timedelta(days=1)))}"
    reasons = limits.clean_text(reasons, "reasons", "延长的理由", errors, most=FACTS_MAX,
                                required="请写明需要延长的理由（仍面临家庭暴力的危险）")
    if errors:
        raise ValidationError(errors)
    assert until is not None
    return until, reasons


def validate_violation(v: Violation, o: Order, today: dt.date) -> Violation:
    errors: dict[str, str] = {}
    if v.occurred_on is None:
        errors["occurred_on"] = "请填写发生日期"
    elif msg := out_of_range(v.occurred_on, "发生日期", today):
        errors["occurred_on"] = msg
    elif o.ruled_on is not None and v.occurred_on < o.ruled_on:
        errors["occurred_on"] = "发生日期早于保护令作出的日期，不是违反保护令"
    v.what = limits.clean_text(v.what, "what", "违反情况", errors, most=WHAT_MAX,
                               required="请写明被申请人做了什么（如再次殴打、上门骚扰）")
    v.reported_to = limits.clean_text(v.reported_to, "reported_to", "报告的机关", errors, most=COURT_MAX,
                                      multiline=False)
    if v.reported_on is not None:
        if msg := out_of_range(v.reported_on, "报告日期", today):
            errors["reported_on"] = msg
        elif v.occurred_on is not None and v.reported_on < v.occurred_on:
            errors["reported_on"] = "报告日期不能早于发生日期"
        elif not v.reported_to and "reported_to" not in errors:
            errors["reported_to"] = "请写明报告了哪个法院或公安机关"
    if errors:
        raise ValidationError(errors)
    return v


# --- the papers ---------------------------------------------------------------------------------------------

@dataclass
class Paper:
    """A document of the thread as it prints, kept in the case when issued (a reprint is the same paper):
    a title, rows of label and value, headed sections, closing lines, who signs, whose seal."""

    doc: str  # order_application / situation_proof / order_extension
    title: str
    office: str
    case_no: str
    issued_on: dt.date
    rows: list[tuple[str, str]] = field(default_factory=list)  # label | value, two a line on paper
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text)
    closing: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)  # 申请人（签名或捺印）
    seal: str = ""  # the office's seal at the foot ('' none)
    values: dict[str, str] = field(default_factory=dict)

    def texts(self) -> list[str]:
        out = [self.title, self.office, self.case_no, *self.closing, *self.signers, self.seal]
        for a, b in [*self.rows, *self.sections]:
            out += [a, b]
        return out

    def to_content(self) -> dict[str, object]:
        return {"version": 1, "doc": self.doc, "title": self.title, "office": self.office, "case_no": self.case_no,
                "issued_on": self.issued_on.isoformat(), "rows": [list(r) for r in self.rows],
                "sections": [list(s) for s in self.sections], "closing": list(self.closing),
                "signers": list(self.signers), "seal": self.seal, "values": dict(self.values)}

    @classmethod
    def from_content(cls, c: dict[str, object]) -> Paper:
        def pairs(key: str) -> list[tuple[str, str]]:
            return [(str(a), str(b)) for a, b in c.get(key, [])]  # type: ignore[attr-defined]

        return cls(doc=str(c["doc"]), title=str(c["title"]), office=str(c["office"]), case_no=str(c["case_no"]),
                   issued_on=dt.date.fromisoformat(str(c["issued_on"])), rows=pairs("rows"),
                   sections=pairs("sections"), closing=[str(x) for x in c.get("closing", [])],  # type: ignore[attr-defined]
                   signers=[str(x) for x in c.get("signers", [])], seal=str(c.get("seal", "")),  # type: ignore[attr-defined]
                   values={str(k): str(v) for k, v in dict(c.get("values", {})).items()})  # type: ignore[call-overload]


DOC_TITLES = {"order_application": "人身安全保护令申请书", "situation_proof": "情况证明",
              "order_extension": "延长人身安全保护令申请书"}


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {x}" for i, x in enumerate(items, start=1))


@dataclass
class Applicant:
    """Her details as the application prints them (from the people on file)."""

    name: str
    sex: str = ""
    birth: str = ""
    ethnicity: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""


def application_paper(a: Application, her: Applicant, office: str, case_no: str, staff: str, staff_phone: str,
                      on: dt.date, guardian: str = "") -> Paper:
    """The 申请书; `guardian`: her 法定代理人 when she is a minor (who signs with her)."""
    rows = [("申请人", her.name), ("性别", her.sex), ("出生日期", her.birth), ("民族", her.ethnicity),
            ("身份证号", her.id_number), ("联系电话", her.phone), ("住址", her.address), ("", ""),
            *([("法定代理人", guardian), ("", "")] if guardian else []),
            ("被申请人", a.respondent), ("与申请人关系", a.respondent_relation),
            ("被申请人住址", a.respondent_address)]
    sections = [("请求事项", _numbered(a.requests) + ("\n（情况紧急，请求在二十四小时内作出）" if a.urgent else "")),
                ("事实与理由", a.facts),
                ("证据清单", _numbered(a.evidence) if a.evidence else "（无）")]
    signers = ["申请人（签名或捺印）：", *(["法定代理人（签名或捺印）："] if guardian else [])]
    seal = ""
    if a.on_behalf:
        sections.append(("代为申请", f"申请人因受到强制、威吓等原因无法自行申请，{office}根据申请人的意愿代为申请"
                                     f"（《中华人民共和国反家庭暴力法》第二十三条）。申请人于{format_cn(a.consent_on)}"
                                     f"同意由本会代为申请，她的意愿是：{a.wishes}\n经办人：{staff}"
                                     + (f"　联系电话：{staff_phone}" if staff_phone else "")))
        seal = office
    elif a.wishes:
        sections.append(("申请人的意愿", a.wishes))
    closing = ["此致", f"{a.court}"]
    return Paper("order_application", DOC_TITLES["order_application"], office, case_no, on, rows, sections, closing,
                 signers, seal, values={"court": a.court, "urgent": "是" if a.urgent else "否",
                                        "on_behalf": "是" if a.on_behalf else "否"})


def situation_paper(her: Applicant, first_on: dt.date, channel: str, respondent: str, relation: str,
                    records: list[str], office: str, case_no: str, staff: str, on: dt.date) -> Paper:
    """情况证明 from the office's own records (SPC 2022 rules art. 6): when she came, what was recorded."""
    known = [x for x in (her.sex, her.id_number and f"身份证号{her.id_number}") if x]
    who = her.name + (f"（{'，'.join(known)}）" if known else "")
    by = f"{relation}{respondent}" if respondent else "家庭成员"
    opening = (f"兹证明：{who}于{format_cn(first_on)}{('以' + channel + '方式') if channel else ''}向本会反映"
               f"遭受{by}的家庭暴力，本会已登记在案（案件编号：{case_no}）。")
    sections = [("本会记录的情况", _numbered(records))]
    closing = ["以上情况依据本会的接待登记和工作记录如实出具，供人民法院审查人身安全保护令申请时参考"
               "（《最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定》第六条）。", "特此证明。"]
    return Paper("situation_proof", DOC_TITLES["situation_proof"], office, case_no, on, [], sections,
                 [opening, *closing], [f"经办人 {staff}（签名）："], office, values={"first_on": first_on.isoformat()})


def extension_paper(o: Order, her: Applicant, until: dt.date, reasons: str, office: str, case_no: str,
                    on: dt.date, guardian: str = "") -> Paper:
    a = o.application
    rows = [("申请人", her.name), ("身份证号", her.id_number), ("联系电话", her.phone), ("出生日期", her.birth),
            ("住址", her.address), *([("法定代理人", guardian), ("", "")] if guardian else []),
            ("被申请人", a.respondent), ("与申请人关系", a.respondent_relation)]
    order = f"（案号{o.order_no}）" if o.order_no else ""
    sections = [("请求事项", f"请求将贵院于{format_cn(o.ruled_on)}作出的人身安全保护令{order}的有效期，"
                             f"自{format_cn(o.ends_on)}届满后延长至{format_cn(until)}。"),
                ("事实与理由", reasons + "\n根据《中华人民共和国反家庭暴力法》第三十条，人身安全保护令失效前，"
                 "人民法院可以根据申请人的申请延长。")]
    return Paper("order_extension", DOC_TITLES["order_extension"], office, case_no, on, rows, sections,
                 ["此致", a.court], ["申请人（签名或捺印）：", *(["法定代理人（签名或捺印）："] if guardian else [])],
                 office if a.on_behalf else "",
                 values={"until": until.isoformat()})
