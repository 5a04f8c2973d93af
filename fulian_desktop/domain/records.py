"""Records that pass between the layers (plain dataclasses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .case_rows import CaseRow as CaseRow  # (their own module: what a search reads, without every record kind)
from .case_rows import TimelineEntry as TimelineEntry


@dataclass
class Person:
    name: str
    sex: str = ""  # 男 / 女
    ethnicity: str = "汉族"
    birth_date: dt.date | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    marital_status: str = ""
    id: int | None = None


@dataclass
class CaseDocument:
    """A written document a case issued (a notice, an opinion): what was printed on it, kept as it was at the
    time of issue, so that every reprint is the same paper. `content` is the document's own record (its text and
    values, as domain.petition_course.Letter.to_content gives them)."""

    doc: str  # what it is: accept / refuse / extend / forward / opinion / reply (domain.petition_course.DOC_TITLES)
    title: str  # 受理告知书
    issued_on: dt.date  # the date on it: for a notice, the day she was told
    way: str  # how it reached her: 当场告知 / 直接送达 / 邮寄送达 …
    content: dict[str, object]
    staff: str = ""
    id: int | None = None
    case_id: int | None = None
    created_at: dt.datetime | None = None
    voided_on: dt.date | None = None  # withdrawn: the step that issued it was undone
    voided_reason: str = ""


@dataclass
class Representative:
    """One of the representatives a group visit chose (信访工作条例 art. 20: at most five, the petitioner first)."""

    name: str
    phone: str = ""


@dataclass
class Review:
    """复查 (stage "review") or 复核 ("re_review") of a petition's written answer (信访工作条例 arts. 35–36): she asks
    within 30 days of receiving the answer; the body that reviews answers within 30 days."""

    stage: str  # review / re_review
    requested_on: dt.date  # the day her request came in
    answer_received_on: dt.date  # the day she received the answer she contests (the 30 days run from it)
    body: str  # who reviews: 本会, or the body above (市妇联 …)
    request: str  # what she asks
    answered_on: dt.date | None = None
    result: str = ""  # 维持 / 撤销 / 变更
    opinion: str = ""
    by_office: bool = True  # answered by this office (it issues the 复查/复核意见书), else recorded from the body's


@dataclass
class Petition:
    channel: str
    received_on: dt.date
    petitioner: Person
    concerned: Person | None  # the woman concerned, if not the petitioner
    headcount: int
    township: str
    village: str
    category: str
    subcategory: str
    facts: str
    request: str
    dv: bool
    safety_risk: bool
    receiving_staff: str
    respondent_name: str = ""  # the person complained about
    respondent_relation: str = ""
    nature: str = "申诉求决"  # 建议意见 / 检举控告 / 申诉求决 (domain.petition.NATURES)
    # filled in as the case moves on
    id: int | None = None
    case_no: str = ""
    status: str = "registered"
    accepted_on: dt.date | None = None
    told_on: dt.date | None = None
    refused_reason: str = ""
    handling: str = ""
    handling_agency: str = ""
    handling_opinion: str = ""
    reply: str = ""
    result: str = ""
    concluded_on: dt.date | None = None
    extension_days: int = 0
    extension_reason: str = ""
    tell_way: str = ""  # how the 受理 / 不予受理 notice reached her (当场告知, 邮寄送达 …)
    refused_route: str = ""  # where a refused petition can be taken instead
    forwarded_to: str = ""  # 检举控告: the competent body it was passed to
    forwarded_on: dt.date | None = None
    facts_found: str = ""  # the opinion's 查明的事实 (or, for a 建议意见, 研究论证情况)
    legal_basis: str = ""  # the opinion's 法律法规依据
    rating: str = ""  # her satisfaction: 满意 / 基本满意 / 不满意 / 未评价 ("" never asked)
    rating_note: str = ""
    rated_on: dt.date | None = None
    rating_way: str = ""  # 办结时 / 回访
    repeat_of: int | None = None  # 重复信访: the earlier petition (by her, or about the same matter) within 12 months
    repeat_of_no: str = ""  # its case number
    repeat_state: str = ""  # "" / suspected (flagged at intake) / confirmed / cleared (by the clerk)
    repeat_note: str = ""
    representatives: list[Representative] = field(default_factory=list)  # a group visit's others (the petitioner leads)
    reviews: list[Review] = field(default_factory=list)  # 复查, then 复核, in that order
    # transferred or assigned to the office from above (交办/转送): who sent it, their number, the date they set
    source_body: str = ""
    source_no: str = ""
    source_due_on: dt.date | None = None
    objection_due_on: dt.date | None = None  # 5 working days from receipt to object if it is not the office's
    objection_note: str = ""  # said when the holiday table did not know the year (calendar days counted)
    objected_on: dt.date | None = None  # not the office's: objected to and returned (退回函) on this day
    objected_to: str = ""  # the body it was returned to (normally source_body)
    objection_reason: str = ""
    # passed on to another body (转办/交办 to handling_agency): the 转送函 sent, its answer due, the answer
    transfer_sent_on: dt.date | None = None
    transfer_due_on: dt.date | None = None
    transfer_answered_on: dt.date | None = None
    transfer_answer: str = ""
    created_at: dt.datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (case id, case no, kind)
    documents: list[CaseDocument] = field(default_factory=list)  # notices and opinions issued, oldest first

    @property
    def is_group(self) -> bool:
        """集体访: five or more people came together (a 联名信 or a call is not a visit), as the statistics count it."""
        return self.channel == "来访" and self.headcount >= 5

    @property
    def woman(self) -> Person:
        return self.concerned or self.petitioner
