"""Marriage and family dispute mediation (婚姻家庭纠纷调解): records, statuses, rules, clocks, documents.

The committee's file (卷宗) follows the Ministry of Justice's people's-mediation formats. Rules:

- a mediation is opened with at least one applicant (申请人) and one respondent (被申请人), the
  dispute's type, the parties' relationship, its source, the brief facts and at least one mediator;
- sessions (调解记录) and investigations (调查记录) are recorded while it is open;
- it closes with one outcome: 和好, 达成调解协议, 当事人自行和解, 调解不成 (with the route left to the
  parties) or 终止 (with the reason). 和好, an agreement and 调解不成 need at least one session on
  record. An agreement states what 人民调解法 art. 29 asks: the parties, the main facts and what was
  in dispute, each side's responsibility, and each agreed item with how, by when (and where) it is
  performed — no agreement without parties and items;
- mediation is normally concluded within one month (司法部《人民调解工作若干规定》2002 art. 33):
  a longer one is flagged;
- return visits (回访) are scheduled after the outcome (by default 30 days after it) and recorded;
- the parties may jointly apply for judicial confirmation (司法确认) within 30 days of the agreement
  taking effect (人民调解法 art. 33).

Counting: 和好 counts as reconciled. 当事人自行和解 does not: it says the parties settled the dispute
between themselves, which may as well be an agreed divorce as a marriage kept; it is counted on its
own and, with 和好 and agreements, among the disputes resolved (化解).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from . import deadlines, limits, phone, statuses
from .attachments import Paper
from .dates import age_on, format_cn, too_early, too_far_ahead
from .errors import RuleError, ValidationError
from .people import PHONE_MAX, check_person
from .records import Person, Petition, TimelineEntry
from .text import clean_record

SOURCES = ("当事人申请", "信访转来", "公安移交", "法院委托", "主动调解")
DISPUTE_TYPES = ("婚姻", "家庭暴力", "抚养", "赡养", "财产分割", "其他")
RELATIONSHIPS = ("夫妻", "婆媳", "父母子女", "兄弟姐妹", "其他")
SIDES = {"applicant": "申请人", "respondent": "被申请人"}

STATUS_LABELS = statuses.MEDIATION  # (the words, with the other kinds', in statuses.py)
OPEN_STATUSES = ("accepted", "in_progress")

# outcome key -> what the user picks
OUTCOMES = {
    "reconciled": "和好",
    "agreed": "达成调解协议",
    "self_settled": "当事人自行和解",
    "failed": "调解不成",
    "ended": "终止调解",
}
RECONCILED_OUTCOMES = ("reconciled",)
RESOLVED_OUTCOMES = ("reconciled", "agreed", "self_settled")
NEEDS_SESSION = ("reconciled", "agreed", "failed")
# what the note of each outcome is called
OUTCOME_NOTE_LABELS = {
    "reconciled": "和好情况",
    "agreed": "补充说明",
    "self_settled": "和解情况",
    "failed": "调解不成的原因",
    "ended": "终止调解的理由",
}
FAILED_ROUTES = ("引导诉讼", "申请仲裁", "提请行政机关处理", "转回信访渠道", "其他")
SESSION_RESULTS = ("达成一致", "未达成一致，择期再调", "调解不成")
VISIT_METHODS = ("上门", "电话", "约谈")
PERFORMANCE = ("已履行", "正在履行", "部分履行", "未履行", "不适用")
SATISFACTION = ("满意", "基本满意", "不满意")
KEEP_PERIODS = ("永久", "30年", "10年")
DEFAULT_KEEP_PERIOD = "30年"

MONTHS_TO_CONCLUDE = 1  # normally concluded within one month (若干规定 art. 33)
JUDICIAL_CONFIRMATION_DAYS = 30  # 人民调解法 art. 33
DEFAULT_VISIT_DAYS = 30  # first return visit, after the outcome
TEXT_MAX = 5000
SHORT_MAX = 200
OCCUPATION_MAX = 40
MAX_AGE = 120

# The documents of the file in the official order (forms-and-rules.md): (key, title, generated).
# Generated ones are printed by the program; the others are papers put into the file by hand.
FILE_ORDER: tuple[tuple[str, str, bool], ...] = (
    ("application", "人民调解申请书", True),
    ("registration", "人民调解受理登记表", True),
    ("notice", "当事人权利义务告知书", True),
    ("identity", "当事人身份证明", False),
    ("authorization", "授权委托书", False),
    ("investigation", "人民调解调查记录", True),
    ("evidence", "证据材料", False),
    ("session", "人民调解记录", True),
    ("agreement", "人民调解协议书", True),
    ("performance", "履行凭证", False),
    ("visit", "人民调解回访记录", True),
    ("confirmation", "司法确认材料", False),
    ("explanation", "卷宗情况说明", False),
    ("back_cover", "封底", True),
)
REQUIRED_PAPERS = ("identity",)  # ● among the papers; the others (○) only when there are any
# The documents that can be printed one by one (the print menu), and the whole file.
DOCUMENTS: tuple[tuple[str, str], ...] = tuple((k, t) for k, t, generated in FILE_ORDER
                                               if generated and k != "back_cover")
DOSSIER = "dossier"
DOSSIER_TITLE = "人民调解卷宗"


# --------------------------------------------------------------------------------------------
# Records


@dataclass
class Party:
    person: Person
    side: str  # applicant / respondent
    occupation: str = ""  # 职业或职务
    stated_age: int | None = None  # as told, when the birth date is not known

    def age(self, on: dt.date) -> int | None:
        if self.person.birth_date:
            return age_on(self.person.birth_date, on)
        return self.stated_age

    @property
    def side_label(self) -> str:
        return SIDES.get(self.side, self.side)


@dataclass
class Mediator:
    name: str
    phone: str = ""
    title: str = ""  # 专职调解员 / 兼职调解员 / 律师 …
    active: bool = True
    id: int | None = None


@dataclass
class Session:
    """调解记录: one session."""

    held_on: dt.date
    place: str
    mediators: str
    recorder: str
    present: str
    applicant_said: str
    respondent_said: str
    result: str
    result_detail: str = ""
    facts_found: str = ""
    others: str = ""
    explained: bool = True
    id: int | None = None
    number: int = 0  # 第几次调解


@dataclass
class Investigation:
    """调查记录."""

    held_on: dt.date
    place: str
    investigator: str
    recorder: str
    subject: str
    subject_role: str
    content: str
    id: int | None = None
    number: int = 0


@dataclass
class AgreementItem:
    content: str  # what is agreed
    how: str  # 履行方式
    due: str  # 履行期限: 2026年4月30日前 / 每月5日前 / 协议签订时
    place: str = ""  # 履行地点


@dataclass
class Agreement:
    """人民调解协议书 (人民调解法 art. 29)."""

    facts: str  # 纠纷主要事实、争议事项
    duties: str  # 各方当事人的责任
    items: list[AgreementItem]
    signed_on: dt.date | None = None  # takes effect when signed and sealed

    @property
    def confirmation_deadline(self) -> dt.date | None:
        return judicial_confirmation_deadline(self.signed_on) if self.signed_on else None


@dataclass
class ReturnVisit:
    due_on: dt.date
    plan: str = ""
    visited_on: dt.date | None = None
    visitor: str = ""
    method: str = ""
    performance: str = ""
    satisfaction: str = ""
    lawsuit: bool = False
    new_conflict: bool = False
    violence: bool = False
    findings: str = ""
    measures: str = ""
    id: int | None = None

    @property
    def done(self) -> bool:
        return self.visited_on is not None


@dataclass
class Closing:
    """What the user enters to close a mediation."""

    outcome: str
    on: dt.date
    note: str = ""
    failed_route: str = ""
    agreement: Agreement | None = None


@dataclass
class Mediation:
    received_on: dt.date  # 受理日期
    source: str
    dispute_type: str
    relationship: str
    township: str
    village: str
    facts: str  # 纠纷简要情况
    request: str  # 申请事项
    registrar: str  # 登记人
    parties: list[Party]
    mediator_ids: list[int] = field(default_factory=list)
    # filled in as the case moves on
    id: int | None = None
    case_no: str = ""
    year: int = 0
    seq: int = 0
    status: str = "accepted"
    mediators: list[Mediator] = field(default_factory=list)
    outcome: str = ""
    outcome_on: dt.date | None = None
    outcome_note: str = ""
    failed_route: str = ""
    agreement: Agreement | None = None
    sessions: list[Session] = field(default_factory=list)
    investigations: list[Investigation] = field(default_factory=list)
    visits: list[ReturnVisit] = field(default_factory=list)
    archivist: str = ""
    filed_on: dt.date | None = None
    keep_period: str = ""
    file_remarks: str = ""
    created_at: dt.datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (case id, case no, kind)

    @property
    def applicants(self) -> list[Party]:
        return [p for p in self.parties if p.side == "applicant"]

    @property
    def respondents(self) -> list[Party]:
        return [p for p in self.parties if p.side == "respondent"]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def title(self) -> str:
        """卷名: 张三与李四婚姻纠纷."""
        return f"{names(self.applicants)}与{names(self.respondents)}{dispute_words(self.dispute_type)}"

    @property
    def mediator_names(self) -> str:
        return "、".join(m.name for m in self.mediators)

    @property
    def pending_visits(self) -> list[ReturnVisit]:
        return sorted((v for v in self.visits if not v.done), key=lambda v: v.due_on)

    @property
    def done_visits(self) -> list[ReturnVisit]:
        return sorted((v for v in self.visits if v.done), key=lambda v: (v.visited_on or v.due_on))


_LIST = limits.LIST_VALUE_MAX
# what the documents print of each: long text flows on to the next page (调解记录, 协议书 …); a short one stays in
# its cell or on the cover's line
LIMITS = limits.define(Mediation, {
    "source": ("纠纷来源", 10), "dispute_type": ("纠纷类型", 10), "relationship": ("当事人关系", 10),
    "township": ("乡镇", _LIST), "village": ("村（社区）", _LIST), "facts": ("纠纷简要情况", TEXT_MAX),
    "request": ("申请事项", TEXT_MAX), "registrar": ("登记人", _LIST), "case_no": ("案件编号", 30), "status": ("状态", 20),
    "outcome": ("调解结果", 20), "outcome_note": ("结案说明", TEXT_MAX), "failed_route": ("其他途径", SHORT_MAX),
    "archivist": ("立卷人", _LIST), "keep_period": ("保管期限", 10), "file_remarks": ("备注", 100),
})
PARTY_LIMITS = limits.define(Party, {"side": ("申请人或被申请人", 20), "occupation": ("职业或职务", OCCUPATION_MAX)})
MEDIATOR_LIMITS = limits.define(Mediator, {"name": ("调解员姓名", limits.NAME_MAX), "phone": ("电话", PHONE_MAX),
                                           "title": ("身份", 40)})
SESSION_LIMITS = limits.define(Session, {
    "place": ("调解地点", SHORT_MAX), "mediators": ("调解员", SHORT_MAX), "recorder": ("记录人", _LIST),
    "present": ("到场当事人", SHORT_MAX), "applicant_said": ("申请人陈述", TEXT_MAX),
    "respondent_said": ("被申请人陈述", TEXT_MAX), "result": ("本次结果", 20), "result_detail": ("结果说明", TEXT_MAX),
    "facts_found": ("查明的事实", TEXT_MAX), "others": ("其他参加人员", SHORT_MAX),
})
INVESTIGATION_LIMITS = limits.define(Investigation, {
    "place": ("调查地点", SHORT_MAX), "investigator": ("调查人", SHORT_MAX), "recorder": ("记录人", _LIST),
    "subject": ("被调查人", limits.NAME_MAX), "subject_role": ("被调查人身份", SHORT_MAX), "content": ("调查内容", TEXT_MAX),
})
ITEM_LIMITS = limits.define(AgreementItem, {"content": ("协议内容", TEXT_MAX), "how": ("履行方式", SHORT_MAX),
                                            "due": ("履行期限", 100), "place": ("履行地点", SHORT_MAX)})
AGREEMENT_LIMITS = limits.define(Agreement, {"facts": ("纠纷主要事实和争议事项", TEXT_MAX),
                                             "duties": ("各方当事人的责任", TEXT_MAX)})
VISIT_LIMITS = limits.define(ReturnVisit, {
    "plan": ("回访事项", SHORT_MAX), "visitor": ("回访人", SHORT_MAX), "method": ("回访方式", 10),
    "performance": ("协议履行情况", 10), "satisfaction": ("当事人满意度", 10), "findings": ("回访情况", TEXT_MAX),
    "measures": ("采取的措施", TEXT_MAX),
})
CLOSING_LIMITS = limits.define(Closing, {"outcome": ("调解结果", 20), "note": ("说明", TEXT_MAX),
                                         "failed_route": ("其他途径", SHORT_MAX)})


def names(parties: list[Party]) -> str:
    return "、".join(p.person.name for p in parties)


def dispute_words(dispute_type: str) -> str:
    """婚姻 -> 婚姻纠纷; 家庭暴力 -> 家庭暴力纠纷; 其他 -> 婚姻家庭纠纷."""
    return "婚姻家庭纠纷" if dispute_type in ("", "其他") else f"{dispute_type}纠纷"


def file_number(year: int, seq: int, code: str) -> str:
    """卷号 in the official form: （2026）东人调字第12号 (code: the committee's one-word abbreviation)."""
    return f"（{year}）{code.strip()}人调字第{seq}号"


# --------------------------------------------------------------------------------------------
# Clocks


def conclude_by(received_on: dt.date) -> dt.date:
    return received_on + relativedelta(months=MONTHS_TO_CONCLUDE)


def judicial_confirmation_deadline(signed_on: dt.date) -> dt.date:
    return deadlines.add_days(signed_on, JUDICIAL_CONFIRMATION_DAYS)


def default_visit_due(m: Mediation) -> dt.date:
    start = m.outcome_on or (m.agreement.signed_on if m.agreement else None) or m.received_on
    return deadlines.add_days(start, DEFAULT_VISIT_DAYS)


def duration_days(m: Mediation, today: dt.date) -> int:
    end = m.outcome_on or today
    return (end - m.received_on).days


def overlong(m: Mediation, today: dt.date) -> bool:
    """Ran (or has been running) longer than the month a mediation normally takes."""
    end = m.outcome_on or today
    return end > conclude_by(m.received_on)


def current_deadline(m: Mediation) -> deadlines.Deadline | None:
    """What the start page waits for: the month to conclude while open, then the next return visit."""
    if m.status in OPEN_STATUSES:
        return deadlines.Deadline("完成调解", conclude_by(m.received_on))
    pending = m.pending_visits
    if pending:
        return deadlines.Deadline("回访", pending[0].due_on)
    return None


def keeps_open(m: Mediation) -> bool:
    """Open while being mediated, and while a return visit is still to be made."""
    return m.status in OPEN_STATUSES or bool(m.pending_visits)


# --------------------------------------------------------------------------------------------
# Validation


def _text(value: str, field_name: str, label: str, errors: dict[str, str], required: bool = True,
          limit: int | None = None) -> str:
    """The text as given (already in normal form: the validators clean their records first, and check the
    lengths with limits.check); a message when `required` and empty, or longer than `limit` when given."""
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field_name, f"请填写{label}")
    elif limit is not None and len(text) > limit:
        errors.setdefault(field_name, limits.message(label, limit))
    return text


def _date(d: dt.date | None, field_name: str, label: str, errors: dict[str, str], today: dt.date,
          not_before: dt.date | None = None) -> None:
    if d is None:
        errors[field_name] = f"请填写{label}"
    elif d > today:
        errors[field_name] = f"{label}不能晚于今天"
    elif not_before is not None and d < not_before:
        errors[field_name] = f"{label}不能早于{format_cn(not_before)}"
    elif too_early(d, label):
        errors[field_name] = too_early(d, label)


def check_party(party: Party, today: dt.date, errors: dict[str, str], prefix: str) -> Party:
    person = check_person(party.person, today, errors, prefix)
    limits.check(party, errors, prefix)  # (the mediation was cleaned whole)
    if party.side not in SIDES:
        errors[prefix + "side"] = "请选择申请人或被申请人"
    occupation = " ".join((party.occupation or "").split())
    age = party.stated_age or None
    if age is not None and not 0 < age <= MAX_AGE:
        errors[prefix + "age"] = "年龄不合理"
    return Party(person=person, side=party.side, occupation=occupation, stated_age=age)


def party_prefix(side: str, index: int) -> str:
    """Error keys of a party's fields: applicants.0.name, respondents.1.phone …"""
    return f"{side}s.{index}."


def validate_mediation(m: Mediation, today: dt.date) -> Mediation:
    """Return a normalised copy of a new mediation or raise ValidationError (field -> message)."""
    m = clean_record(m)
    errors: dict[str, str] = {}
    limits.check(m, errors)
    _date(m.received_on, "received_on", "受理日期", errors, today)
    if m.source not in SOURCES:
        errors["source"] = "请选择纠纷来源"
    if m.dispute_type not in DISPUTE_TYPES:
        errors["dispute_type"] = "请选择纠纷类型"
    if m.relationship not in RELATIONSHIPS:
        errors["relationship"] = "请选择当事人之间的关系"
    if not m.township.strip():
        errors["township"] = "请选择乡镇"
    facts = _text(m.facts, "facts", "纠纷简要情况", errors)
    request = _text(m.request, "request", "申请事项", errors, required=False)
    registrar = _text(m.registrar, "registrar", "登记人", errors)
    if not m.mediator_ids:
        errors["mediators"] = "请至少选择一名调解员"
    parties: list[Party] = []
    for side in SIDES:
        mine = [p for p in m.parties if p.side == side]
        if not mine:
            errors[f"{side}s"] = f"请填写{SIDES[side]}"
        for i, p in enumerate(mine):
            parties.append(check_party(p, today, errors, party_prefix(side, i)))
    seen: dict[str, str] = {}
    for p in parties:
        key = (f"id:{p.person.id}" if p.person.id is not None else
               f"no:{p.person.id_number}" if p.person.id_number else "")
        if not key:
            continue
        if key in seen and seen[key] != p.side:
            errors["parties"] = "同一个人不能既是申请人又是被申请人"
        seen[key] = p.side
    if errors:
        raise ValidationError(errors)
    return Mediation(
        received_on=m.received_on, source=m.source, dispute_type=m.dispute_type, relationship=m.relationship,
        township=m.township.strip(), village=m.village.strip(), facts=facts, request=request,
        registrar=registrar, parties=parties, mediator_ids=list(dict.fromkeys(m.mediator_ids)),
    )


def _need_open(m: Mediation, action: str) -> None:
    if m.status not in OPEN_STATUSES:
        raise RuleError(f"这件调解已经“{STATUS_LABELS.get(m.status, m.status)}”，不能再{action}")


def validate_session(m: Mediation, s: Session, today: dt.date, correcting: bool = False) -> Session:
    """A new session (the mediation must be open), or with `correcting` one already recorded (its date
    not after the outcome)."""
    s = clean_record(s)
    if not correcting:
        _need_open(m, "记录调解")
    errors: dict[str, str] = {}
    limits.check(s, errors)
    _date(s.held_on, "held_on", "调解日期", errors, today, m.received_on)
    _not_after_outcome(m, s.held_on, "held_on", "调解日期", errors)
    place = _text(s.place, "place", "调解地点", errors)
    mediators = _text(s.mediators, "mediators", "调解员", errors)
    recorder = _text(s.recorder, "recorder", "记录人", errors)
    present = _text(s.present, "present", "到场当事人", errors)
    others = _text(s.others, "others", "其他参加人员", errors, required=False)
    applicant_said = _text(s.applicant_said, "applicant_said", "申请人陈述", errors)
    respondent_said = _text(s.respondent_said, "respondent_said", "被申请人陈述", errors)
    facts_found = _text(s.facts_found, "facts_found", "查明的事实", errors, required=False)
    if s.result not in SESSION_RESULTS:
        errors["result"] = "请选择本次调解的结果"
    label = "达成一致的内容" if s.result == "达成一致" else "未达成一致的原因及下一步"
    result_detail = _text(s.result_detail, "result_detail", label, errors)
    if errors:
        raise ValidationError(errors)
    return Session(
        held_on=s.held_on, place=place, mediators=mediators, recorder=recorder, present=present,
        others=others, explained=s.explained, applicant_said=applicant_said, respondent_said=respondent_said,
        facts_found=facts_found, result=s.result, result_detail=result_detail,
    )


def validate_investigation(m: Mediation, inv: Investigation, today: dt.date,
                           correcting: bool = False) -> Investigation:
    inv = clean_record(inv)
    if not correcting:
        _need_open(m, "记录调查")
    errors: dict[str, str] = {}
    limits.check(inv, errors)
    _date(inv.held_on, "held_on", "调查日期", errors, today, m.received_on)
    _not_after_outcome(m, inv.held_on, "held_on", "调查日期", errors)
    place = _text(inv.place, "place", "调查地点", errors)
    investigator = _text(inv.investigator, "investigator", "调查人", errors)
    recorder = _text(inv.recorder, "recorder", "记录人", errors, required=False)
    subject = _text(inv.subject, "subject", "被调查人", errors)
    subject_role = _text(inv.subject_role, "subject_role", "被调查人身份", errors, required=False)
    content = _text(inv.content, "content", "调查内容", errors)
    if errors:
        raise ValidationError(errors)
    return Investigation(held_on=inv.held_on, place=place, investigator=investigator, recorder=recorder,
                         subject=subject, subject_role=subject_role, content=content)


def validate_agreement(m: Mediation, a: Agreement, errors: dict[str, str]) -> Agreement:
    """人民调解法 art. 29: the parties, the facts and what is disputed, responsibilities, the items."""
    if not m.applicants or not m.respondents:
        raise RuleError("调解协议须有申请人和被申请人双方，请先补全当事人")
    a = clean_record(a)
    limits.check(a, errors, "agreement.")
    facts = _text(a.facts, "agreement.facts", "纠纷主要事实和争议事项", errors)
    duties = _text(a.duties, "agreement.duties", "各方当事人的责任", errors)
    items: list[AgreementItem] = []
    for i, item in enumerate(a.items):
        content, how, due, place = ((item.content or "").strip(), (item.how or "").strip(),
                                    (item.due or "").strip(), (item.place or "").strip())
        if not any((content, how, due, place)):
            continue  # an empty row left in the table
        n = len(items) + 1
        missing = [label for value, label in ((content, "协议内容"), (how, "履行方式"), (due, "履行期限"))
                   if not value]
        if missing:
            errors[f"agreement.items.{i}"] = f"第{n}项：请写明{'、'.join(missing)}"
        too_long = [f"{label}不能超过{most}个字" for name, (label, most) in ITEM_LIMITS.items()
                    if len(getattr(item, name) or "") > most]
        if too_long:
            errors[f"agreement.items.{i}"] = f"第{n}项：{'；'.join(too_long)}"
        items.append(AgreementItem(content=content, how=how, due=due, place=place))
    if not items:
        errors["agreement.items"] = "请至少写一项协议内容（做什么、怎样履行、何时履行）"
    return Agreement(facts=facts, duties=duties, items=items, signed_on=a.signed_on)


def validate_closing(m: Mediation, c: Closing, today: dt.date) -> Closing:
    c = clean_record(c)
    _need_open(m, "结案")
    length_errors: dict[str, str] = {}
    limits.check(c, length_errors, limits={**CLOSING_LIMITS, "note": (OUTCOME_NOTE_LABELS.get(c.outcome, "说明"),
                                                                      CLOSING_LIMITS["note"][1])})
    if length_errors:
        raise ValidationError(length_errors)
    if c.outcome not in OUTCOMES:
        raise ValidationError({"outcome": "请选择调解结果"})
    if c.outcome in NEEDS_SESSION and not m.sessions:
        raise RuleError(f"“{OUTCOMES[c.outcome]}”须有调解记录，请先记录调解经过")
    errors: dict[str, str] = {}
    label = "协议签订日期" if c.outcome == "agreed" else "结案日期"
    _date(c.on, "on", label, errors, today, m.received_on)
    if m.sessions and c.on and c.outcome in NEEDS_SESSION and c.on < m.sessions[0].held_on:
        errors["on"] = f"{label}不能早于第一次调解（{format_cn(m.sessions[0].held_on)}）"
    note = _text(c.note, "note", OUTCOME_NOTE_LABELS[c.outcome], errors,
                 required=c.outcome != "agreed")
    route = ""
    if c.outcome == "failed":
        route = (c.failed_route or "").strip()
        if not route:
            errors["failed_route"] = "请写明引导当事人通过什么途径解决（如引导诉讼）"
    agreement = None
    if c.outcome == "agreed":
        if c.agreement is None:
            raise ValidationError({"agreement.items": "请填写调解协议"})
        agreement = validate_agreement(m, c.agreement, errors)
        agreement.signed_on = c.on
    if errors:
        raise ValidationError(errors)
    return Closing(outcome=c.outcome, on=c.on, note=note, failed_route=route, agreement=agreement)


def closing_note(c: Closing, received_on: dt.date) -> str:
    """What the timeline says of a validated closing: the agreement's items, the route after a failed
    mediation or the note; and when it took more than the month the rules allow, how long."""
    if c.agreement is not None:
        note = f"{format_cn(c.on)}签订调解协议，共{len(c.agreement.items)}项"
    elif c.outcome == "failed":
        note = f"{c.note}；{c.failed_route}"
    else:
        note = c.note
    if c.on > conclude_by(received_on):
        note += f"（调解历时{(c.on - received_on).days}天，超过一个月）"
    return note


def check_agreement_change(m: Mediation, a: Agreement) -> Agreement:
    """Correct an agreement already made (typing errors): the same rules as when it was made."""
    if m.status != "agreed":
        raise RuleError("只有“达成协议”的调解才有调解协议可以修改")
    errors: dict[str, str] = {}
    out = validate_agreement(m, a, errors)
    if errors:
        raise ValidationError(errors)
    out.signed_on = m.outcome_on
    return out


def _need_closed(m: Mediation, action: str) -> None:
    if m.status in OPEN_STATUSES:
        raise RuleError(f"调解结束后才能{action}")


def check_schedule_visit(m: Mediation, due_on: dt.date | None, plan: str) -> str:
    """The plan, in normal form."""
    _need_closed(m, "安排回访")
    errors: dict[str, str] = {}
    label, most = VISIT_LIMITS["plan"]
    plan = limits.clean_text(plan, "plan", label, errors, most=most)
    if due_on is None:
        errors["due_on"] = "请填写回访日期"
    elif m.outcome_on and due_on < m.outcome_on:
        errors["due_on"] = f"回访日期不能早于结案日期（{format_cn(m.outcome_on)}）"
    elif too_far_ahead(due_on, "回访日期", m.outcome_on or m.received_on):
        errors["due_on"] = too_far_ahead(due_on, "回访日期", m.outcome_on or m.received_on)
    if errors:
        raise ValidationError(errors)
    return plan


def validate_visit(m: Mediation, v: ReturnVisit, today: dt.date) -> ReturnVisit:
    """A return visit made (recorded now, or corrected later: the same rules)."""
    v = clean_record(v)
    _need_closed(m, "记录回访")
    errors: dict[str, str] = {}
    limits.check(v, errors)
    _date(v.visited_on, "visited_on", "回访日期", errors, today, m.outcome_on)
    visitor = _text(v.visitor, "visitor", "回访人", errors)
    if v.method not in VISIT_METHODS:
        errors["method"] = "请选择回访方式"
    if v.performance not in PERFORMANCE:
        errors["performance"] = "请选择协议履行情况"
    elif m.status == "agreed" and v.performance == "不适用":
        errors["performance"] = "有调解协议时，请写明协议的履行情况"
    if v.satisfaction not in SATISFACTION:
        errors["satisfaction"] = "请选择当事人是否满意"
    findings = _text(v.findings, "findings", "回访情况", errors)
    measures = _text(v.measures, "measures", "采取的措施", errors, required=False)
    if (v.violence or v.new_conflict) and not measures:
        errors["measures"] = "发现新的矛盾或家庭暴力时，请写明采取的措施"
    if errors:
        raise ValidationError(errors)
    return ReturnVisit(
        due_on=v.due_on, plan=v.plan, visited_on=v.visited_on, visitor=visitor, method=v.method,
        performance=v.performance, satisfaction=v.satisfaction, lawsuit=v.lawsuit,
        new_conflict=v.new_conflict, violence=v.violence, findings=findings, measures=measures, id=v.id,
    )


def check_filing(archivist: str, filed_on: dt.date | None, keep_period: str, remarks: str,
                 today: dt.date) -> tuple[str, str]:
    """The archivist and the remarks, in normal form."""
    errors: dict[str, str] = {}
    archivist = limits.clean_text(archivist, "archivist", "立卷人", errors, most=LIMITS["archivist"][1],
                                  required="请填写立卷人", multiline=False)
    _date(filed_on, "filed_on", "立卷日期", errors, today)
    if keep_period not in KEEP_PERIODS:
        errors["keep_period"] = "请选择保管期限"
    remarks = limits.clean_text(remarks, "file_remarks", "备注", errors, most=LIMITS["file_remarks"][1])
    if errors:
        raise ValidationError(errors)
    return archivist, remarks


def check_mediator(mediator: Mediator) -> Mediator:
    mediator = clean_record(mediator)
    errors: dict[str, str] = {}
    limits.check(mediator, errors)
    name = " ".join((mediator.name or "").split())
    if not name:
        errors["name"] = "请填写调解员姓名"
    phone_text = (mediator.phone or "").strip()
    if phone_text:
        try:
            phone_text = phone.validate_phone(phone_text)
        except phone.PhoneError as e:
            errors["phone"] = str(e)
    title = _text(mediator.title, "title", "身份", errors, required=False)
    if errors:
        raise ValidationError(errors)
    return Mediator(name=name, phone=phone_text, title=title, active=mediator.active, id=mediator.id)


# --------------------------------------------------------------------------------------------
# Correcting what was saved (what every kind shares is in domain/corrections.py)
#
# The mediation's own details, its parties, sessions, investigations, agreement and return visits can be
# corrected until the file is closed (立卷归档); after the outcome, or once a document of the file was
# printed, a correction needs a reason; a signed agreement always does.

LABELS: dict[str, str] = {
    "received_on": "受理日期", "source": "纠纷来源", "dispute_type": "纠纷类型", "relationship": "当事人关系",
    "township": "乡镇", "village": "村（社区）", "registrar": "登记人", "mediators": "人民调解员",
    "facts": "纠纷简要情况", "request": "申请事项",
}
PARTY_LABELS: dict[str, str] = {"occupation": "职业或职务", "stated_age": "年龄"}
SESSION_LABELS: dict[str, str] = {
    "held_on": "调解日期", "place": "调解地点", "mediators": "调解员", "recorder": "记录人", "present": "到场当事人",
    "others": "其他参加人员", "explained": "已告知权利义务", "applicant_said": "申请人陈述",
    "respondent_said": "被申请人陈述", "facts_found": "查明的事实", "result": "本次结果", "result_detail": "结果说明",
}
INVESTIGATION_LABELS: dict[str, str] = {
    "held_on": "调查日期", "place": "调查地点", "investigator": "调查人", "recorder": "记录人", "subject": "被调查人",
    "subject_role": "被调查人身份", "content": "调查内容",
}
VISIT_LABELS: dict[str, str] = {
    "visited_on": "回访日期", "visitor": "回访人", "method": "回访方式", "performance": "协议履行情况",
    "satisfaction": "当事人满意度", "new_conflict": "有新的矛盾", "violence": "有家庭暴力", "lawsuit": "已向法院起诉",
    "findings": "回访情况", "measures": "采取的措施",
}
PLAN_LABELS: dict[str, str] = {"due_on": "回访日期", "plan": "回访事项"}
ITEM_LABELS: dict[str, str] = {"content": "", "how": "履行方式", "due": "履行期限", "place": "履行地点"}


def record_values(record: object, labels: dict[str, str]) -> dict[str, object]:
    """A record's fields named in `labels`, for domain.corrections.compare."""
    return {name: getattr(record, name) for name in labels}


def values(m: Mediation, mediator_names: list[str]) -> dict[str, object]:
    """The mediation's own details for compare (the mediators by name, as the page shows them)."""
    return {**record_values(m, {k: v for k, v in LABELS.items() if k != "mediators"}), "mediators": mediator_names}


def agreement_values(a: Agreement | None) -> dict[str, object]:
    """The agreement's text and each item's parts (items.0.content …) for compare."""
    if a is None:
        return {}
    out: dict[str, object] = {"facts": a.facts, "duties": a.duties}
    for i, item in enumerate(a.items):
        out.update({f"items.{i}.{part}": getattr(item, part) for part in ITEM_LABELS})
    return out


def agreement_labels(*agreements: Agreement | None) -> dict[str, str]:
    """Labels for agreement_values, as many items as the longer agreement has: 协议第2项履行期限."""
    n = max((len(a.items) for a in agreements if a is not None), default=0)
    out = {"facts": "协议：纠纷主要事实、争议事项", "duties": "协议：各方当事人的责任"}
    for i in range(n):
        out.update({f"items.{i}.{part}": f"协议第{i + 1}项{label}" for part, label in ITEM_LABELS.items()})
    return out


def check_correctable(m: Mediation) -> None:
    """A mediation can be corrected until its file is closed (立卷归档)."""
    if m.filed_on is not None:
        raise RuleError(f"这件调解已于{format_cn(m.filed_on)}立卷归档，卷内材料不能再修改；"
                        "如发现错误，请用“添加备注”写明。")


def closed_words(m: Mediation) -> str:
    """What closed the mediation, as said after “这件案件” when a correction needs a reason (“” while open;
    an agreement is named by its signature instead)."""
    if m.is_open or m.agreement is not None:
        return ""
    return f"已结案（{STATUS_LABELS.get(m.status, m.status)}）"


def _not_after_outcome(m: Mediation, d: dt.date | None, field_name: str, label: str,
                       errors: dict[str, str]) -> None:
    if d is not None and m.outcome_on is not None and d > m.outcome_on and field_name not in errors:
        errors[field_name] = f"{label}不能晚于结案日期（{format_cn(m.outcome_on)}）"


def check_corrected(saved: Mediation, new: Mediation) -> None:
    """What a correction of the mediation's details must keep true of what was recorded since: it was
    received before its first session or investigation and before its outcome."""
    recorded = [(s.held_on, f"第{s.number}次调解") for s in saved.sessions]
    recorded += [(i.held_on, f"第{i.number}次调查") for i in saved.investigations]
    if saved.outcome_on is not None:
        recorded.append((saved.outcome_on, "结案"))
    earlier = [(d, what) for d, what in recorded if d < new.received_on]
    if earlier:
        d, what = min(earlier)
        raise ValidationError({"received_on": f"受理日期不能晚于{what}的日期（{format_cn(d)}）"})


# --------------------------------------------------------------------------------------------
# Counting (for the statistics work that follows)


@dataclass
class Counts:
    """Mediations in a period. `accepted` counts those accepted in the period (共调解 N 起); the
    outcomes count those concluded in it, whenever they were accepted."""

    accepted: int = 0
    concluded: int = 0
    reconciled: int = 0  # 和好
    agreed: int = 0  # 达成调解协议
    self_settled: int = 0  # 当事人自行和解 (not counted as reconciled, see the module's docstring)
    failed: int = 0  # 调解不成
    ended: int = 0  # 终止
    overlong: int = 0  # concluded after more than a month
    visits: int = 0  # return visits made

    @property
    def mediated(self) -> int:
        return self.accepted

    @property
    def resolved(self) -> int:
        """化解: reconciled, agreed or settled by the parties."""
        return self.reconciled + self.agreed + self.self_settled

    @property
    def agreements(self) -> int:
        return self.agreed

    @property
    def failures(self) -> int:
        return self.failed

    def rate(self, part: int) -> float | None:
        return part / self.concluded if self.concluded else None


# --------------------------------------------------------------------------------------------
# From a petition, and for printing

_RELATIONSHIP_FROM_PETITION = {"丈夫": "夫妻", "前夫": "夫妻", "婆家": "婆媳", "父母": "父母子女",
                               "子女": "父母子女", "兄弟姐妹": "兄弟姐妹"}
_DISPUTE_FROM_SUBCATEGORY = {"离婚问题": "婚姻", "配偶外遇/重婚/同居": "婚姻", "干涉婚姻": "婚姻",
                             "家庭暴力": "家庭暴力"}


def draft_from_petition(p: Petition, today: dt.date, staff: str) -> Mediation:
    """A mediation form filled from a petition: the woman as applicant, the person she complained
    about as respondent, the facts and her request carried over."""
    woman = p.woman
    applicant = Person(**{k: getattr(woman, k) for k in Person.__dataclass_fields__})
    parties = [Party(person=applicant, side="applicant")]
    if p.respondent_name.strip():
        sex = "男" if p.respondent_relation in ("丈夫", "前夫", "男友") else ""
        parties.append(Party(person=Person(name=p.respondent_name.strip(), sex=sex, ethnicity=""),
                             side="respondent"))
    dispute = "家庭暴力" if p.dv else _DISPUTE_FROM_SUBCATEGORY.get(p.subcategory, "")
    return Mediation(
        received_on=today, source="信访转来", dispute_type=dispute,
        relationship=_RELATIONSHIP_FROM_PETITION.get(p.respondent_relation, ""),
        township=p.township, village=p.village, facts=p.facts, request=p.request, registrar=staff,
        parties=parties,
    )


@dataclass
class MediationFile:
    """What the printed documents need: the mediation, and the committee that keeps the file."""

    mediation: Mediation
    committee: str  # 某某县妇联婚姻家庭纠纷人民调解委员会
    code: str = ""  # the committee's abbreviation in the file number: （2026）东人调字第12号
    # signatures given on screen, by the line they sign (services/signatures.py): "agreement:party:<person id>",
    # "visit:<visit id>" -> (PNG, the day signed)
    signatures: dict[str, tuple[bytes, dt.date]] = field(default_factory=dict)
    # the attached originals (附件) printed in the dossier in their place (documents/mediation_forms.py)
    papers: list[Paper] = field(default_factory=list)

    @property
    def file_no(self) -> str:
        m = self.mediation
        return file_number(m.year or m.received_on.year, m.seq, self.code)
