"""A petition's written course (信访工作条例 2022): the notices she is given (受理告知书, 不予受理告知书, 延期告知书,
转送告知书), the written opinion at its end (处理意见书; for a 建议意见 the 答复意见书), and her satisfaction.

Every notice and opinion is a dated document of the case: its text is drafted here from the case when it is issued
and kept as it was printed (`Letter.to_content`), so a reprint years later is the same paper, whatever was
corrected since. The date of a notice is the day she was told: it is what stops the 15-day clock (art. 23).

The kinds of petition and their statuses are in domain/petition.py. No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta

from . import deadlines
from .dates import format_cn, to_iso
from .errors import RuleError, ValidationError
from .petition import (
    FORWARDED_NATURES,
    OBJECTION_WORKDAYS,
    REVIEW_DAYS,
    REVIEW_STAGES,
    STATUS_LABELS,
    has_clock,
    pending_review,
    results_for,
)
from .records import CaseDocument, Petition, Review
from .text import clean

LAW = "《信访工作条例》"
TELL_ARTICLE = "第二十三条"  # tell her on the spot, or within 15 days, in writing
CONCLUDE_ARTICLE = "第三十四条"  # 60 days, one extension of at most 30 with the reason told
OPINION_ARTICLES = "第三十一条、第三十二条"  # 申诉求决: 出具处理意见书 (31); what it states, 支持/解释说明/不予支持 (32)
REVIEW_ARTICLE = "第三十五条"  # 复查 within 30 days of the written answer
DEFAULT_REVIEW_BODY = "上一级妇女联合会"

# How a notice reached her. 当场告知: handed to her the day she came (art. 23's "当场书面告知").
ON_THE_SPOT = "当场告知"
TELL_WAYS = (ON_THE_SPOT, "直接送达", "邮寄送达", "电子送达（短信、微信等）")

# Where a refused petition can be taken instead: the usual routes, the clerk may write her own.
REFUSAL_ROUTES = (
    "依法向人民法院提起诉讼",
    "向劳动人事争议仲裁委员会申请仲裁",
    "向公安机关报案或求助",
    "向人民调解委员会申请调解",
    "向有权处理的机关、单位提出",
    "向纪检监察机关反映",
)
# The bodies a 检举控告 usually goes to (the clerk may write another).
FORWARD_BODIES = ("县纪委监委", "县公安局", "县人民检察院", "县人民法院", "县司法局", "县民政局", "县人力资源和社会保障局")

# Her satisfaction (at conclusion or on a return call). 参评: she gave one of the first three; 满意: the first two.
RATINGS = ("满意", "基本满意", "不满意", "未评价")
RATED = RATINGS[:3]
SATISFIED = RATINGS[:2]
NOT_RATED = "未评价"
RATING_WAYS = ("办结时", "回访")

# The documents, by key, with their titles. The notices among them tell her whether it is accepted (or where it
# went): the first of those is the day she was told.
DOC_TITLES = {
    "accept": "受理告知书", "refuse": "不予受理告知书", "forward": "转送告知书", "extend": "延期告知书",
    "opinion": "处理意见书", "reply": "答复意见书",
}
TELLING_DOCS = ("accept", "refuse", "forward")
NOTE_TWO_COPIES = "本文书一式两份，一份送达信访人，一份存档。"
TEXT_MAX = 5000
LINE_MAX = 200
CONTENT_VERSION = 1

_CHANNEL_PHRASE = {
    "来信": "以来信方式", "来电": "通过来电", "来访": "来访", "网上": "通过网上信访",
    "12338热线": "通过12338妇女维权公益服务热线",
}


# --------------------------------------------------------------------------------------------
# The document as printed


@dataclass
class Letter:
    """One notice or opinion as it prints: the heading, the addressee, the paragraphs, the opinion's headed
    sections, the office and date at the foot, how it was served. Kept as `to_content()` in the case."""

    doc: str  # DOC_TITLES key
    office: str
    case_no: str
    addressee: str  # 张三 / 张三等12人
    paragraphs: list[str]
    issued_on: dt.date
    way: str
    staff: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text), after the first paragraph
    closing: list[str] = field(default_factory=list)  # after the sections
    choice: tuple[str, tuple[str, ...], str] | None = None  # (label, options, chosen): the opinion's result
    values: dict[str, str] = field(default_factory=dict)  # what the case list and the page say of it

    @property
    def title(self) -> str:
        return DOC_TITLES[self.doc]

    def texts(self) -> list[str]:
        """Every text it prints (checked for characters the print font lacks, before it is issued)."""
        out = [self.office, self.case_no, self.addressee, self.way, self.staff, *self.paragraphs, *self.closing]
        for heading, text in self.sections:
            out += [heading, text]
        if self.choice is not None:
            out += [self.choice[0], *self.choice[1]]
        return out

    def to_content(self) -> dict[str, Any]:
        return {
            "version": CONTENT_VERSION, "doc": self.doc, "office": self.office, "case_no": self.case_no,
            "addressee": self.addressee, "paragraphs": list(self.paragraphs),
            "sections": [list(s) for s in self.sections], "closing": list(self.closing),
            "choice": [self.choice[0], list(self.choice[1]), self.choice[2]] if self.choice else None,
            "issued_on": to_iso(self.issued_on), "way": self.way, "staff": self.staff, "values": dict(self.values),
        }

    @classmethod
    def from_content(cls, c: dict[str, Any]) -> Letter:
        choice = c.get("choice")
        return cls(
            doc=str(c["doc"]), office=str(c["office"]), case_no=str(c["case_no"]), addressee=str(c["addressee"]),
            paragraphs=[str(x) for x in c["paragraphs"]], issued_on=dt.date.fromisoformat(str(c["issued_on"])),
            way=str(c.get("way", "")), staff=str(c.get("staff", "")),
            sections=[(str(h), str(t)) for h, t in c.get("sections", [])],
            closing=[str(x) for x in c.get("closing", [])],
            choice=(str(choice[0]), tuple(str(x) for x in choice[1]), str(choice[2])) if choice else None,
            values={str(k): str(v) for k, v in dict(c.get("values", {})).items()},
        )


# --------------------------------------------------------------------------------------------
# Drafting from the case


def addressee(p: Petition) -> str:
    """Who the document is written to: the petitioner (张三), for a group visit 张三等12人."""
    name = p.petitioner.name
    return f"{name}等{p.headcount}人" if p.headcount > 1 else name


def matter_phrase(p: Petition, most: int = 60) -> str:
    """关于“…”的: her request, its first sentence (or its first `most` characters) in quotation marks."""
    text = " ".join(p.request.split())
    end = text.find("。")
    if 0 < end <= most:
        text = text[:end]
    elif len(text) > most:
        text = text[:most] + "……"
    return f"关于“{text.rstrip('。；，')}”的" if text else ""


def _opening(p: Petition, what: str = "信访事项") -> str:
    channel = _CHANNEL_PHRASE.get(p.channel, f"以{p.channel}方式")
    you = "你们" if p.headcount > 1 else "您"
    return f"{you}于{format_cn(p.received_on)}{channel}反映的{matter_phrase(p)}{what}"


def _sentence(text: str) -> str:
    """A clause as written inside a sentence: no end punctuation of its own."""
    return " ".join(text.split()).rstrip("。；;，,.")


def _letter(p: Petition, doc: str, office: str, on: dt.date, way: str, staff: str, paragraphs: list[str],
            closing: list[str] | None = None, **values: str) -> Letter:
    return Letter(doc=doc, office=office, case_no=p.case_no, addressee=addressee(p), paragraphs=paragraphs,
                  issued_on=on, way=way, staff=staff, closing=closing if closing is not None else ["特此告知。"],
                  values=values)


def accept_letter(p: Petition, office: str, accepted_on: dt.date, on: dt.date, way: str, staff: str) -> Letter:
    """受理告知书: accepted, and what happens next for this kind of petition."""
    first = (f"{_opening(p)}，经审查，属于本会职责范围，"
             f"根据{LAW}{TELL_ARTICLE}的规定，本会决定予以受理（受理日期：{format_cn(accepted_on)}）。")
    if has_clock(p.nature):
        due = deadlines.conclude_deadline(accepted_on).due_on
        then = (f"本会将依法办理，自受理之日起{deadlines.CONCLUDE_DAYS}日内（{format_cn(due)}前）办结，并出具书面处理意见；"
                f"情况复杂需要延长办理期限的，经本会负责人批准可以适当延长，延长期限不超过{deadlines.MAX_EXTENSION_DAYS}日，"
                "并告知延期理由。")
    else:
        then = "本会将对所提建议意见认真研究论证，并将研究结果书面答复。"
    keep = "办理期间，请依法、有序反映诉求；如有新的情况或材料，请与本会联系" + (f"（经办人：{staff}）。" if staff else "。")
    return _letter(p, "accept", office, on, way, staff, [first, then, keep], accepted_on=format_cn(accepted_on))


def refuse_letter(p: Petition, office: str, reason: str, route: str, on: dt.date, way: str, staff: str) -> Letter:
    """不予受理告知书: the reason, and where she can turn instead."""
    first = (f"{_opening(p)}，经审查，{_sentence(reason)}，"
             f"根据{LAW}{TELL_ARTICLE}的规定，本会不予受理。")
    paragraphs = [first]
    if route.strip():
        paragraphs.append(f"建议{_sentence(route)}。")
    return _letter(p, "refuse", office, on, way, staff, paragraphs, reason=_sentence(reason), route=_sentence(route))


def forward_letter(p: Petition, office: str, body: str, on: dt.date, way: str, staff: str) -> Letter:
    """转送告知书: a 检举控告 passed to the body competent for it, and where she can follow it."""
    body = _sentence(body)
    first = (f"{_opening(p, '检举控告事项')}，经审查，属于{body}的职责范围，"
             f"根据{LAW}{TELL_ARTICLE}的规定，本会已于{format_cn(on)}将其转送{body}依法办理。")
    then = f"请关注办理情况；如需了解进展，可直接与{body}联系。"
    return _letter(p, "forward", office, on, way, staff, [first, then], body=body)


def extend_letter(p: Petition, office: str, days: int, reason: str, on: dt.date, way: str, staff: str) -> Letter:
    """延期告知书: the head approved a longer time, with the reason (art. 34)."""
    assert p.accepted_on is not None
    old_due = deadlines.conclude_deadline(p.accepted_on).due_on
    new_due = deadlines.conclude_deadline(p.accepted_on, days).due_on
    first = (f"{_opening(p)}，本会已于{format_cn(p.accepted_on)}受理，原应于{format_cn(old_due)}前办结。"
             f"因{_sentence(reason)}，经本会负责人批准，根据{LAW}{CONCLUDE_ARTICLE}的规定，办理期限延长{days}日，"
             f"本会将于{format_cn(new_due)}前办结，并出具书面处理意见。")
    return _letter(p, "extend", office, on, way, staff, [first], days=str(days), reason=_sentence(reason),
                   due_on=format_cn(new_due))


# --- the written opinion at conclusion ---------------------------------------------------------


@dataclass
class Opinion:
    """What the clerk settles in the 办结 dialog, drafted from the case first (`draft_opinion`)."""

    result: str  # 支持 / 解释说明 / 不予支持 (a 建议意见: 采纳 / 部分采纳 / 暂不采纳)
    request: str  # 信访人诉求 (her request, as registered unless the clerk words it)
    facts_found: str  # 事实和理由: what was found
    opinion: str  # 处理意见
    legal_basis: str  # 法律法规依据
    review_body: str = DEFAULT_REVIEW_BODY  # where she may ask for 复查 (申诉求决 only)
    way: str = "直接送达"


OPINION_WORDS = {
    "支持": "信访人的请求事实清楚，符合法律、法规和有关规定，本会予以支持。",
    "解释说明": "信访人的请求事由合理，但缺乏法律依据，本会作如下解释说明：",
    "不予支持": "信访人的请求缺乏事实根据或者不符合法律、法规和有关规定，本会不予支持。",
    "采纳": "经研究论证，所提建议科学合理、切实可行，本会予以采纳。",
    "部分采纳": "经研究论证，所提建议部分科学合理、切实可行，本会予以部分采纳。",
    "暂不采纳": "经研究论证，所提建议目前尚不具备实施条件，本会暂不采纳，感谢您的关心和支持。",
}


def opinion_words(result: str) -> str:
    """The opinion's opening words for a result (the draft the clerk completes)."""
    return OPINION_WORDS.get(result, "")


def default_basis(p: Petition) -> str:
    """The laws an opinion on this kind of matter usually rests on (the clerk edits them)."""
    laws = ["《中华人民共和国妇女权益保障法》"]
    if p.dv:
        laws.append("《中华人民共和国反家庭暴力法》")
    if p.category.startswith("婚姻家庭"):
        laws.append("《中华人民共和国民法典》婚姻家庭编")
    elif p.category.startswith("劳动"):
        laws += ["《中华人民共和国劳动法》", "《中华人民共和国社会保险法》"]
    elif p.category.startswith("财产"):
        laws += ["《中华人民共和国民法典》", "《中华人民共和国农村土地承包法》"]
    elif p.category.startswith("人身"):
        laws.append("《中华人民共和国民法典》人格权编")
    if p.nature != "建议意见":
        laws.append(f"{LAW}{OPINION_ARTICLES}")
    return "、".join(laws)


def draft_opinion(p: Petition, result: str = "", review_body: str = DEFAULT_REVIEW_BODY) -> Opinion:
    """The opinion drafted from the case: her request, what the handling found, the words for the result."""
    found = p.handling_opinion.strip() or p.facts.strip()
    facts = found if found.startswith("经") or len(found) > TEXT_MAX - 6 else f"经调查核实：{found}"
    opinion = opinion_words(result)
    return Opinion(result=result, request=p.request.strip(), facts_found=facts, opinion=opinion,
                   legal_basis=default_basis(p), review_body=review_body)


def opinion_doc(p: Petition) -> str:
    """处理意见书 for a 申诉求决 (and a 检举控告 handled here), 答复意见书 for a 建议意见."""
    return "reply" if p.nature == "建议意见" else "opinion"


def opinion_letter(p: Petition, office: str, o: Opinion, on: dt.date, staff: str) -> Letter:
    """处理意见书 / 答复意见书: her request, the facts, the opinion and its basis; for a 申诉求决, her right to ask
    for 复查 within 30 days of receiving it (art. 35)."""
    doc = opinion_doc(p)
    accepted = f"，本会于{format_cn(p.accepted_on)}受理" if p.accepted_on else ""
    if doc == "reply":
        first = f"{_opening(p, '建议意见')}{accepted}。经研究论证，现答复如下："
        sections = [("所提建议", o.request), ("研究论证情况", o.facts_found), ("答复意见", o.opinion)]
        label = "答复结果"
    else:
        first = f"{_opening(p)}{accepted}。经调查核实，现提出处理意见如下："
        sections = [("信访人诉求", o.request), ("事实和理由", o.facts_found), ("处理意见", o.opinion)]
        label = "处理结果"
    if o.legal_basis.strip():
        sections.append(("法律法规依据", o.legal_basis))
    closing: list[str] = []
    if doc == "opinion":
        closing.append(f"如对本处理意见不服，可以自收到本意见书之日起{REVIEW_DAYS}日内，向{_sentence(o.review_body)}"
                       f"书面请求复查（{LAW}{REVIEW_ARTICLE}）。")
    letter = Letter(doc=doc, office=office, case_no=p.case_no, addressee=addressee(p), paragraphs=[first],
                    issued_on=on, way=o.way, staff=staff, sections=sections, closing=closing,
                    choice=(label, results_for(p.nature), o.result),
                    values={"result": o.result, "review_body": _sentence(o.review_body) if doc == "opinion" else ""})
    return letter


# --------------------------------------------------------------------------------------------
# Checks


def _after_today(d: dt.date, label: str, today: dt.date) -> str:
    return f"{label}不能晚于今天" if d > today else ""


def _text(value: str, field_name: str, label: str, errors: dict[str, str], *, required: bool = True,
          most: int = TEXT_MAX, multiline: bool = True) -> str:
    text = clean(value or "", multiline=multiline).strip()
    if required and not text:
        errors[field_name] = f"请填写{label}"
    elif len(text) > most:
        errors[field_name] = f"{label}不能超过{most}字"
    return text


def check_tell(p: Petition, on: dt.date | None, way: str, today: dt.date, errors: dict[str, str],
               not_before: dt.date | None = None, field_name: str = "told_on") -> None:
    """The day she was told and how: not before it came in (or `not_before`), not after today; 当场告知 only on the
    day it came in."""
    if on is None:
        errors[field_name] = "请填写告知日期"
    elif _after_today(on, "告知日期", today):
        errors[field_name] = _after_today(on, "告知日期", today)
    elif on < (not_before or p.received_on):
        errors[field_name] = f"告知日期不能早于{format_cn(not_before or p.received_on)}"
    elif way == ON_THE_SPOT and on != p.received_on:
        errors["tell_way"] = f"当场告知的，告知日期就是收到日期（{format_cn(p.received_on)}）；请改选送达方式"
    if way not in TELL_WAYS:
        errors["tell_way"] = "请选择送达方式"


def told_in_time(received_on: dt.date, told_on: dt.date | None) -> bool:
    """Told on the spot or within 15 days of receipt (art. 23)."""
    return told_on is not None and told_on <= deadlines.accept_deadline(received_on).due_on


def check_forward(p: Petition, body: str, on: dt.date | None, way: str, today: dt.date) -> str:
    """转送有权机关 (a 检举控告): registered, a body named, the date; returns the body's name cleaned."""
    if p.status != "registered":
        raise RuleError(f"此案件当前为“{STATUS_LABELS[p.status]}”，不能转送")
    if p.nature not in FORWARDED_NATURES:
        raise RuleError(f"只有{'、'.join(FORWARDED_NATURES)}类事项转送有权机关；{p.nature}类事项请受理或不予受理")
    errors: dict[str, str] = {}
    name = _text(body, "forwarded_to", "转送的机关", errors, most=LINE_MAX, multiline=False)
    check_tell(p, on, way, today, errors)
    if errors:
        raise ValidationError(errors)
    return name


def check_route(route: str) -> str:
    errors: dict[str, str] = {}
    text = _text(route, "refused_route", "告知的其他途径", errors, required=False, most=LINE_MAX, multiline=False)
    if errors:
        raise ValidationError(errors)
    return text


def check_opinion(p: Petition, o: Opinion) -> Opinion:
    """The opinion's fields filled in and within bounds; returns them cleaned."""
    errors: dict[str, str] = {}
    if o.result not in results_for(p.nature):
        errors["result"] = "请选择处理结果"
    request = _text(o.request, "request", "信访人诉求", errors)
    facts = _text(o.facts_found, "facts_found", "事实和理由", errors)
    opinion = _text(o.opinion, "reply", "处理意见", errors)
    basis = _text(o.legal_basis, "legal_basis", "法律法规依据", errors, required=opinion_doc(p) == "opinion")
    body = _text(o.review_body, "review_body", "受理复查的机关", errors, required=opinion_doc(p) == "opinion",
                 most=LINE_MAX, multiline=False)
    if o.way not in TELL_WAYS:
        errors["opinion_way"] = "请选择送达方式"
    if errors:
        raise ValidationError(errors)
    return Opinion(o.result, request, facts, opinion, basis, body or o.review_body, o.way)


def check_rating(p: Petition, rating: str, note: str, on: dt.date | None, today: dt.date) -> str:
    """满意度: only for a concluded petition, one of RATINGS, dated not before the conclusion; returns the note."""
    if p.status != "concluded":
        raise RuleError("办结后才能记录信访人的满意度")
    errors: dict[str, str] = {}
    if rating not in RATINGS:
        errors["rating"] = "请选择满意度"
    text = _text(note, "rating_note", "说明", errors, required=rating == "不满意", most=LINE_MAX * 5)
    if "rating_note" in errors and rating == "不满意" and not text:  # (a note too long is told so)
        errors["rating_note"] = "信访人不满意的，请写明她不满意的地方"
    if on is None:
        errors["rated_on"] = "请填写评价日期"
    elif _after_today(on, "评价日期", today):
        errors["rated_on"] = _after_today(on, "评价日期", today)
    elif p.concluded_on is not None and on < p.concluded_on:
        errors["rated_on"] = f"评价日期不能早于办结日期（{format_cn(p.concluded_on)}）"
    if errors:
        raise ValidationError(errors)
    return text


def course_text(p: Petition) -> str:
    """What lies ahead for a petition of this kind, in one line for its page."""
    if p.nature == "建议意见":
        return "建议意见类：受理后认真研究论证，书面答复（答复意见书）；无法定办结期限"
    if p.nature == "检举控告":
        return "检举控告类：转送有权处理的机关（纪检监察机关或其他有权机关），并书面告知信访人转送去向"
    return (f"申诉求决类：受理后{deadlines.CONCLUDE_DAYS}日内办结（经负责人批准可延长一次，不超过{deadlines.MAX_EXTENSION_DAYS}日），"
            f"出具处理意见书；信访人不服的，可在收到后{REVIEW_DAYS}日内请求复查")


# --------------------------------------------------------------------------------------------
# What the case keeps of each step: the document, and the line in its timeline (the services and the demo's
# stories write the same)


def document_of(letter: Letter, created_at: dt.datetime | None = None) -> CaseDocument:
    """The letter as the case keeps it."""
    return CaseDocument(doc=letter.doc, title=letter.title, issued_on=letter.issued_on, way=letter.way,
                        content=letter.to_content(), staff=letter.staff, created_at=created_at)


def told_words(received_on: dt.date, told_on: dt.date, way: str) -> str:
    """2026年3月3日当场告知 (，已超过15日 when she was told late)."""
    late = "" if told_in_time(received_on, told_on) else "，已超过15日"
    return f"{format_cn(told_on)}{way}{late}"


def accept_note(p: Petition, on: dt.date, told_on: dt.date, way: str) -> str:
    return f"受理日期{format_cn(on)}；{DOC_TITLES['accept']}{told_words(p.received_on, told_on, way)}"


def refuse_note(p: Petition, reason: str, route: str, on: dt.date, way: str) -> str:
    return reason + (f"；建议{route}" if route else "") + f"；{DOC_TITLES['refuse']}{told_words(p.received_on, on, way)}"


def forward_note(p: Petition, body: str, on: dt.date, way: str) -> str:
    return f"转送{body}；{DOC_TITLES['forward']}{told_words(p.received_on, on, way)}"


def extend_note(days: int, reason: str, told_on: dt.date, way: str) -> str:
    return f"延长{days}天：{reason}；{DOC_TITLES['extend']}{format_cn(told_on)}{way}"


def conclude_note(letter: Letter, result: str, opinion: str, rating: str = "") -> str:
    return (f"{result}：{opinion}；{letter.title}{format_cn(letter.issued_on)}{letter.way}"
            + (f"；信访人评价：{rating}" if rating else ""))


def rating_line(way: str, rating: str, note: str) -> str:
    return f"{way}：{rating}" + (f"，{note}" if note else "")


def way_for(p: Petition, told_on: dt.date, way: str = "") -> str:
    """How she was told, when not said: on the spot if on the day it came in, else 直接送达."""
    return way or (ON_THE_SPOT if told_on == p.received_on else "直接送达")


# --------------------------------------------------------------------------------------------
# Repeat petitions (重复信访): by the same person, or about the same matter, within 12 months of an earlier one

REPEAT_MONTHS = 12
REPEAT_STATES = {"suspected": "疑似重复信访", "confirmed": "重复信访", "cleared": "非重复信访"}
SAME_PERSON = "同一信访人"
SAME_MATTER = "反映同一事项"


def repeat_since(received_on: dt.date) -> dt.date:
    """The earliest day an earlier petition makes this one a repeat (12 months before it came in)."""
    return received_on - relativedelta(months=REPEAT_MONTHS)


def matter_of(respondent_name: str) -> str:
    """The name that tells a matter apart (a person or body complained about), '' when it cannot: empty, one
    character, or a name written 王某 (several people are 王某)."""
    name = " ".join(respondent_name.split())
    return "" if len(name) < 2 or name.endswith("某") else name


def repeat_flag_note(earlier_no: str, earlier_on: dt.date, why: str) -> str:
    return f"疑似重复信访：与{earlier_no}（{format_cn(earlier_on)}收到）{why}，请核实后确认或排除"


def check_settle_repeat(p: Petition, confirmed: bool, note: str) -> str:
    """确认 or 排除 a flagged repeat: there must be a flag; clearing it says why. Returns the note cleaned."""
    if p.repeat_of is None:
        raise RuleError("这件信访没有被标记为疑似重复信访")
    errors: dict[str, str] = {}
    text = _text(note, "repeat_note", "说明", errors, required=not confirmed, most=LINE_MAX)
    if "repeat_note" in errors and not confirmed and not text:  # (a note too long is told so)
        errors["repeat_note"] = "排除重复信访的，请写明理由（如：反映的是另一件事）"
    if errors:
        raise ValidationError(errors)
    return text


def repeat_line(confirmed: bool, earlier_no: str, note: str) -> str:
    what = f"确认为重复信访（前次：{earlier_no}）" if confirmed else f"不是重复信访（与{earlier_no}无关）"
    return what + (f"：{note}" if note else "")


# --------------------------------------------------------------------------------------------
# 复查 and 复核 (arts. 35–36): she contests the written answer within 30 days of receiving it; the body that
# reviews answers within 30 days; after 复核 the same matter is closed for good.

OFFICE_BODY = "本会"  # the office itself reviews (it issues the 复查意见书 / 复核意见书)
REVIEW_RESULTS = ("维持", "撤销", "变更")
RE_REVIEW_ARTICLE = "第三十六条"
DOC_TITLES.update({"review": "复查意见书", "re_review": "复核意见书"})
FINAL_NOTE = "该事项已经复核终结，信访人仍以同一事实和理由提出的，依照《信访工作条例》第三十六条不再受理"


def final_flag_note(earlier_no: str, earlier_on: dt.date) -> str:
    return f"与{earlier_no}（{format_cn(earlier_on)}收到）有关：{FINAL_NOTE}，请核实"


def answer_before(p: Petition, stage: str) -> tuple[str, dt.date | None]:
    """The written answer a 复查 (or 复核) contests: its title and date."""
    if stage == "review":
        issued = [d for d in p.documents if d.doc == opinion_doc(p) and d.voided_on is None]
        return DOC_TITLES[opinion_doc(p)], issued[-1].issued_on if issued else p.concluded_on
    earlier = [r for r in p.reviews if r.stage == "review"]
    return DOC_TITLES["review"], earlier[-1].answered_on if earlier else None


def check_request_review(p: Petition, stage: str, requested_on: dt.date | None, received_on: dt.date | None,
                         body: str, request: str, today: dt.date) -> tuple[str, str]:
    """Her request for 复查 (after the 处理意见书) or 复核 (after the 复查 answer): in order, once each, within 30 days of
    receiving the answer. Returns (body, request) cleaned."""
    name = REVIEW_STAGES.get(stage, "")
    if stage == "review":
        if p.status != "concluded" or p.nature == "建议意见":
            raise RuleError("办结并出具处理意见书的申诉求决类信访，才能请求复查")
        if p.reviews:
            raise RuleError("这件信访已经请求过复查")
    elif stage == "re_review":
        if not p.reviews or p.reviews[-1].stage != "review" or p.reviews[-1].answered_on is None:
            raise RuleError("复查答复之后，才能请求复核")
    else:
        raise RuleError("请选择复查或复核")
    title, answered = answer_before(p, stage)
    errors: dict[str, str] = {}
    if received_on is None:
        errors["answer_received_on"] = f"请填写信访人收到{title}的日期"
    elif received_on > today:
        errors["answer_received_on"] = "收到日期不能晚于今天"
    elif answered is not None and received_on < answered:
        errors["answer_received_on"] = f"收到日期不能早于{title}的日期（{format_cn(answered)}）"
    if requested_on is None:
        errors["requested_on"] = f"请填写提出{name}请求的日期"
    elif requested_on > today:
        errors["requested_on"] = f"{name}请求日期不能晚于今天"
    elif received_on is not None and "answer_received_on" not in errors:
        if requested_on < received_on:
            errors["requested_on"] = f"{name}请求日期不能早于收到{title}的日期"
        elif requested_on > deadlines.add_days(received_on, REVIEW_DAYS):
            errors["requested_on"] = (f"已超过收到{title}后{REVIEW_DAYS}日的请求期限"
                                      f"（{format_cn(deadlines.add_days(received_on, REVIEW_DAYS))}），不能再请求{name}；"
                                      "可以在备注中记下她的意见")
    body = _text(body, "review_body", f"受理{name}的机关", errors, most=LINE_MAX, multiline=False)
    request = _text(request, "review_request", f"{name}请求", errors)
    if errors:
        raise ValidationError(errors)
    return body, request


def check_answer_review(p: Petition, answered_on: dt.date | None, result: str, opinion: str,
                        today: dt.date) -> str:
    """The answer to the pending 复查 / 复核: dated from the request to today, a result, the opinion. Returns the
    opinion cleaned."""
    pending = pending_review(p)
    if pending is None:
        raise RuleError("没有等待答复的复查或复核请求")
    name = REVIEW_STAGES[pending.stage]
    errors: dict[str, str] = {}
    if answered_on is None:
        errors["answered_on"] = "请填写答复日期"
    elif answered_on > today:
        errors["answered_on"] = "答复日期不能晚于今天"
    elif answered_on < pending.requested_on:
        errors["answered_on"] = f"答复日期不能早于{name}请求日期（{format_cn(pending.requested_on)}）"
    if result not in REVIEW_RESULTS:
        errors["review_result"] = f"请选择{name}结果"
    opinion = _text(opinion, "review_opinion", f"{name}意见", errors)
    if errors:
        raise ValidationError(errors)
    return opinion


def review_letter(p: Petition, review: Review, office: str, next_body: str, staff: str) -> Letter:
    """复查意见书 / 复核意见书 issued by this office: her request, the opinion, the result ticked; after 复查 her right
    to 复核 within 30 days, after 复核 that the matter is closed for good."""
    name = REVIEW_STAGES[review.stage]
    title, answered = answer_before(p, review.stage)
    assert review.answered_on is not None
    you = "你们" if p.headcount > 1 else "您"
    first = (f"{you}对{format_cn(answered)}的{title}不服，于{format_cn(review.requested_on)}提出{name}请求。"
             f"根据{LAW}{REVIEW_ARTICLE if review.stage == 'review' else RE_REVIEW_ARTICLE}的规定，本会经{name}，"
             "现提出意见如下：")
    if review.stage == "review":
        closing = [f"如对本复查意见不服，可以自收到本意见书之日起{REVIEW_DAYS}日内，向{_sentence(next_body)}书面请求复核"
                   f"（{LAW}{RE_REVIEW_ARTICLE}）。"]
    else:
        closing = [f"本复核意见为终结意见。信访人对复核意见不服，仍以同一事实和理由提出信访事项的，不再受理（{LAW}"
                   f"{RE_REVIEW_ARTICLE}）。"]
    return Letter(doc=review.stage, office=office, case_no=p.case_no, addressee=addressee(p), paragraphs=[first],
                  issued_on=review.answered_on, way="直接送达", staff=staff,
                  sections=[(f"{name}请求", review.request), (f"{name}意见", review.opinion)], closing=closing,
                  choice=(f"{name}结果", REVIEW_RESULTS, review.result),
                  values={"result": review.result, "review_body": _sentence(next_body) if review.stage == "review" else ""})


def review_request_note(review: Review, answer_title: str) -> str:
    name = REVIEW_STAGES[review.stage]
    return (f"{format_cn(review.requested_on)}请求{name}（{format_cn(review.answer_received_on)}收到{answer_title}），"
            f"由{review.body}{name}，应于{format_cn(deadlines.add_days(review.requested_on, REVIEW_DAYS))}前答复：{review.request}")


def review_answer_note(review: Review) -> str:
    name = REVIEW_STAGES[review.stage]
    who = "" if review.by_office else f"（{review.body}答复）"
    ending = "；复核终结，同一事项不再受理" if review.stage == "re_review" else ""
    return f"{name}{review.result}{who}：{review.opinion}{ending}"


# --------------------------------------------------------------------------------------------
# Transferred in from above (交办/转送): the 回告 to the body that sent it, once it is done

DOC_TITLES["report_back"] = "交办件办理情况回告"


def transfer_note(p: Petition) -> str:
    """The registration's line for a petition transferred in: who, their number, their date, the 5 working days."""
    due = f"，要求{format_cn(p.source_due_on)}前办结" if p.source_due_on else ""
    objection = (f"；{format_cn(p.objection_due_on)}前确认是否属本会职责（不属于的，{OBJECTION_WORKDAYS}个工作日内提出异议）"
                 if p.objection_due_on else "")
    extra = f"（{p.objection_note}）" if p.objection_note else ""
    return f"{p.source_body}交办（编号{p.source_no}）{due}{objection}{extra}"


def report_back_letter(p: Petition, office: str, on: dt.date, staff: str) -> Letter:
    """交办件办理情况回告: to the body that sent the petition — how it was handled and with what result (or why it
    was not accepted), once the office is done with it."""
    what = f"{p.petitioner.name}{'等' + str(p.headcount) + '人' if p.headcount > 1 else ''}反映的{matter_phrase(p)}信访事项"
    first = (f"贵单位交办（转送）的{what}（编号{p.source_no}），本会于{format_cn(p.received_on)}收到。现将办理情况回告如下：")
    sections = [("信访人诉求", p.request)]
    if p.status == "refused":
        sections.append(("办理情况", f"经审查，{_sentence(p.refused_reason)}，本会于{format_cn(p.told_on)}书面告知信访人不予受理"
                                     + (f"，并建议其{_sentence(p.refused_route)}" if p.refused_route else "") + "。"))
    else:
        handled = f"本会于{format_cn(p.accepted_on)}受理" + (f"，{_sentence(p.handling_opinion)}" if p.handling_opinion else "")
        sections.append(("办理情况", handled + "。"))
        sections.append(("处理结果", f"{p.result}：{p.reply}（{format_cn(p.concluded_on)}出具{DOC_TITLES[opinion_doc(p)]}）"))
    contact = f"联系人：{staff}。" if staff else ""
    return Letter(doc="report_back", office=office, case_no=p.case_no, addressee=p.source_body, paragraphs=[first],
                  issued_on=on, way="直接送达", staff=staff, sections=sections, closing=[contact + "特此回告。"],
                  values={"source_no": p.source_no})


# Not the office's: within the 5 working days, an objection to the sender, with the reason, and the petition returned
# (退回函, art. 23); after them it is too late, and the office handles it (accepts it, or refuses it and tells her
# where to turn).

DOC_TITLES["objection"] = "退回函"


def objection_too_late(p: Petition, on: dt.date) -> str:
    """Why an objection on `on` comes too late ('' while it is in time)."""
    if p.objection_due_on is None or on <= p.objection_due_on:
        return ""
    return (f"已超过提出异议的期限：上级交办、转送的信访事项，不属于本会职责的，应自收到之日（{format_cn(p.received_on)}）起"
            f"{OBJECTION_WORKDAYS}个工作日内，即{format_cn(p.objection_due_on)}前向交办单位提出异议（{LAW}{TELL_ARTICLE}）。"
            "现在不能再退回，请由本会办理：受理，或者不予受理并告知信访人向有权处理的机关提出")


def check_objection(p: Petition, to: str, reason: str, on: dt.date | None, today: dt.date) -> tuple[str, str]:
    """提出异议、退回: a petition transferred in, not yet accepted or refused, within its 5 working days; the body it
    goes back to and why. Returns (to, reason) cleaned."""
    if not p.source_body:
        raise RuleError("只有上级交办、转送来的信访才能提出异议、退回")
    if p.status != "registered":
        raise RuleError(f"此案件当前为“{STATUS_LABELS[p.status]}”，不能再提出异议、退回")
    errors: dict[str, str] = {}
    if on is None:
        errors["objected_on"] = "请填写退回日期"
    elif on > today:
        errors["objected_on"] = "退回日期不能晚于今天"
    elif on < p.received_on:
        errors["objected_on"] = f"退回日期不能早于收到日期（{format_cn(p.received_on)}）"
    elif objection_too_late(p, on):
        errors["objected_on"] = objection_too_late(p, on)
    body = _text(to, "objected_to", "退回的单位", errors, most=LINE_MAX, multiline=False)
    why = _text(reason, "objection_reason", "异议理由", errors, most=LINE_MAX * 5)
    if "objection_reason" in errors and not why:
        errors["objection_reason"] = "请写明不属于本会职责的理由（如：反映的是工资拖欠，属于人社部门职责）"
    if errors:
        raise ValidationError(errors)
    return body, why


def objection_letter(p: Petition, office: str, to: str, reason: str, on: dt.date, staff: str) -> Letter:
    """退回函: to the body that sent it — the matter, why it is not the office's, the objection within the 5 working
    days (art. 23), and the papers handed back once they agree."""
    what = f"{p.petitioner.name}{'等' + str(p.headcount) + '人' if p.headcount > 1 else ''}反映的{matter_phrase(p)}信访事项"
    first = (f"贵单位交办（转送）的{what}（编号{p.source_no}），本会于{format_cn(p.received_on)}收到。经审查，该事项不属于本会"
             f"职责范围，根据{LAW}{TELL_ARTICLE}的规定，本会在收到之日起{OBJECTION_WORKDAYS}个工作日内提出异议，理由如下：")
    sections = [("信访人诉求", p.request), ("异议理由", reason)]
    closing = ["请予核实。经核实同意的，本会将交还相关材料；不同意的，请函告本会。",
               (f"联系人：{staff}。" if staff else "") + "特此函告。"]
    return Letter(doc="objection", office=office, case_no=p.case_no, addressee=_sentence(to), paragraphs=[first],
                  issued_on=on, way="直接送达", staff=staff, sections=sections, closing=closing,
                  values={"source_no": p.source_no, "to": _sentence(to)})


def objection_note(to: str, reason: str, on: dt.date) -> str:
    return f"{format_cn(on)}向{to}提出异议，退回：{_sentence(reason)}；出具{DOC_TITLES['objection']}"


# --------------------------------------------------------------------------------------------
# Passed on to another body (转办/交办): the 转送函 with its receipt, the answer due, the answer

DOC_TITLES["transfer_out"] = "转送函"
TRANSFER_ANSWER_DAYS = 15  # the usual time given to the body for its answer (the clerk may set another)
TO_BODIES = ("report_back", "transfer_out", "objection")  # written to a body, not to her: no 送达 block for her


def check_transfer_out(p: Petition, sent_on: dt.date | None, due_on: dt.date | None, today: dt.date) -> None:
    """The day the 转送函 went and the day its answer is due."""
    errors: dict[str, str] = {}
    if sent_on is None:
        errors["transfer_sent_on"] = "请填写转送日期"
    elif sent_on > today:
        errors["transfer_sent_on"] = "转送日期不能晚于今天"
    elif p.accepted_on is not None and sent_on < p.accepted_on:
        errors["transfer_sent_on"] = f"转送日期不能早于受理日期（{format_cn(p.accepted_on)}）"
    if due_on is None:
        errors["transfer_due_on"] = "请填写要求答复的日期"
    elif sent_on is not None and due_on <= sent_on:
        errors["transfer_due_on"] = "要求答复的日期应在转送日期之后"
    if errors:
        raise ValidationError(errors)


def transfer_letter(p: Petition, office: str, agency: str, opinion: str, sent_on: dt.date, due_on: dt.date,
                    staff: str) -> Letter:
    """转送函: the petition passed on to `agency` for handling, its answer asked by `due_on`, with the receipt to
    fill in and return."""
    what = f"{p.petitioner.name}{'等' + str(p.headcount) + '人' if p.headcount > 1 else ''}反映的{matter_phrase(p)}信访事项"
    first = (f"本会于{format_cn(p.received_on)}收到{what}，经审查，属于贵单位职责范围。现将该信访事项转送贵单位，"
             f"请依法办理，并于{format_cn(due_on)}前将办理结果函告本会，同时填写下方回执退回。")
    sections = [("信访人诉求", p.request), ("事情经过", p.facts)]
    if opinion.strip():
        sections.append(("本会意见", opinion))
    contact = f"联系人：{staff}。" if staff else ""
    return Letter(doc="transfer_out", office=office, case_no=p.case_no, addressee=agency, paragraphs=[first],
                  issued_on=sent_on, way="直接送达", staff=staff, sections=sections, closing=[contact] if contact else [],
                  values={"due_on": format_cn(due_on), "receipt": f"{p.petitioner.name}反映的信访事项"})


def transfer_out_words(sent_on: dt.date, due_on: dt.date) -> str:
    """What the timeline's 办理 line adds when the 转送函 went."""
    return f"，{format_cn(sent_on)}出具转送函，要求{format_cn(due_on)}前答复"


def check_transfer_answer(p: Petition, on: dt.date | None, answer: str, today: dt.date) -> str:
    """The body's answer to the 转送函: after it went, not after today, what it said. Returns the answer cleaned."""
    if p.transfer_sent_on is None:
        raise RuleError("这件信访没有转送其他单位")
    if p.transfer_answered_on is not None:
        raise RuleError("已经记下了这个单位的答复")
    errors: dict[str, str] = {}
    if on is None:
        errors["transfer_answered_on"] = "请填写答复日期"
    elif on > today:
        errors["transfer_answered_on"] = "答复日期不能晚于今天"
    elif on < p.transfer_sent_on:
        errors["transfer_answered_on"] = f"答复日期不能早于转送日期（{format_cn(p.transfer_sent_on)}）"
    text = _text(answer, "transfer_answer", "答复内容", errors)
    if errors:
        raise ValidationError(errors)
    return text


def transfer_answer_note(p: Petition, on: dt.date, answer: str) -> str:
    late = "" if p.transfer_due_on is None or on <= p.transfer_due_on else f"（逾期，应于{format_cn(p.transfer_due_on)}前答复）"
    return f"{p.handling_agency}{format_cn(on)}答复{late}：{answer}"
