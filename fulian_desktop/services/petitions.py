"""Petition actions: register, accept or refuse, handle, extend, conclude, note."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain import petition as rules
from ..domain import petition_course as course
from ..domain import workdays
from ..domain.corrections import Correction, check_reason, compare
from ..domain.errors import NotFound, ValidationError
from ..domain.kinds import note_text
from ..domain.records import Petition, Review
from ..store import case_documents, cases, people, petitions, search
from ..store import workdays as workday_store
from . import corrections, lists, settings
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils


def list_summary(p: Petition) -> str:
    """The one line the case list shows for it (the demo writes the same)."""
    text = " ".join(p.request.split()) or " ".join(p.facts.split())
    return text[:60]


def refresh_clock(db: sqlite_utils.Database, case_id: int) -> None:
    """The case row's clock (告知是否受理 / 办结) and open flag recomputed from the petition as it is."""
    p = petitions.load(db, case_id)
    assert p is not None
    d = rules.current_deadline(p)
    cases.set_deadline(db, case_id, d.due_on if d else None, d.label if d else "", rules.is_open(p))


def names_of(petitioner: str, concerned: str = "") -> str:
    """The names the case list shows: 信访人, and 当事妇女 when she is someone else (张三（代李四）)."""
    return petitioner + (f"（代{concerned}）" if concerned else "")


def register(ctx: Context, form: Petition) -> tuple[int, str]:
    """Register a new petition. `form.petitioner.id` (and `form.concerned.id`) attach existing people."""
    ctx.require("petition.write")
    p = rules.validate_petition(form, ctx.today())
    lists.check_listed(ctx, p)
    if form.petitioner.id is not None:
        p.petitioner.id = form.petitioner.id
    if p.concerned is not None and form.concerned is not None:
        p.concerned.id = form.concerned.id
    _objection_clock(ctx, p)
    now = ctx.now()
    with ctx.action() as db:
        petitioner_id = people.attach_or_add(db, p.petitioner, now)
        concerned_id = people.attach_or_add(db, p.concerned, now) if p.concerned else None
        if concerned_id == petitioner_id:
            concerned_id = None
        woman_id = concerned_id or petitioner_id
        names = names_of(p.petitioner.name, p.concerned.name if p.concerned and concerned_id else "")
        case_id, case_no = cases.insert_case(
            db, kind="petition", received_on=p.received_on, status="registered", person_id=woman_id,
            names=names, now=now, township=p.township, village=p.village, category=p.category,
            subcategory=p.subcategory, summary=list_summary(p),
        )
        cases.add_person(db, case_id, petitioner_id, "petitioner", 0)
        if concerned_id:
            cases.add_person(db, case_id, concerned_id, "concerned", 1)
        petitions.insert(db, case_id, p)
        cases.add_timeline(db, case_id, now, ctx.who(p.receiving_staff), "登记",
                           f"{p.channel}，{'集体访，' if p.is_group else ''}{p.headcount}人")
        if p.source_body:
            cases.add_timeline(db, case_id, now, ctx.who(p.receiving_staff), "交办", course.transfer_note(p))
        from . import dv_repeats  # (registering needs it; reading and printing a petition do not: ≈ 15 ms)

        dv_repeats.note_at_intake(db, case_id, [petitioner_id, *([concerned_id] if concerned_id else [])],
                                  p.respondent_name, p.township, p.received_on, ctx.today(), now,
                                  ctx.who(p.receiving_staff), besides="petition")  # its petitions: _flag_repeat
        _flag_repeat(db, case_id, p, [petitioner_id, *([concerned_id] if concerned_id else [])], now,
                     ctx.who(p.receiving_staff))
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return case_id, case_no


def _objection_clock(ctx: Context, p: Petition) -> None:
    """Transferred in: the last day to object if it is not the office's — 5 working days from receipt, on the
    holiday table (calendar days, and said so, when the table does not know the year)."""
    if not p.source_body:
        p.objection_due_on, p.objection_note = None, ""
        return
    due = workdays.add_workdays(workday_store.calendar(ctx.db), p.received_on, rules.OBJECTION_WORKDAYS)
    p.objection_due_on, p.objection_note = due.on, due.note


def _report_back(ctx: Context, p: Petition, on: dt.date) -> course.Letter | None:
    """The 回告 to the body that transferred the petition in, once the office is done with it (None otherwise)."""
    if not p.source_body:
        return None
    return _checked_letter(ctx, course.report_back_letter(p, settings.office_name(ctx), on, ctx.who()))


def _flag_repeat(db: sqlite_utils.Database, case_id: int, p: Petition, person_ids: list[int], now: dt.datetime,
                 staff: str) -> None:
    """At intake: an earlier petition by her (or about the same matter) within 12 months makes this one a
    suspected repeat, linked to it, for the clerk to confirm or clear."""
    found = repeat_at_intake(db, case_id, p, person_ids)
    if found is None:
        return
    earlier_id, note = found
    petitions.update(db, case_id, repeat_of=earlier_id, repeat_state="suspected")
    cases.link(db, case_id, earlier_id, course.REPEAT_STATES["confirmed"])
    cases.add_timeline(db, case_id, now, staff, course.REPEAT_STATES["confirmed"], note)


def repeat_at_intake(db: sqlite_utils.Database, case_id: int, p: Petition,
                     person_ids: list[int]) -> tuple[int, str] | None:
    """What _flag_repeat flags, without writing it: (the earlier petition's case id, the timeline's note). A petition
    closed for good after 复核 (art. 36) is said at once, whenever it was."""
    final = petitions.final_petition(db, case_id, person_ids, course.matter_of(p.respondent_name), p.category,
                                     p.township)
    if final is not None:
        return final[0], course.final_flag_note(final[1], final[2])
    earlier = petitions.earlier_petition(db, case_id, person_ids, course.matter_of(p.respondent_name), p.category,
                                         p.township, course.repeat_since(p.received_on), p.received_on)
    if earlier is None:
        return None
    earlier_id, earlier_no, earlier_on, same_person = earlier
    return earlier_id, course.repeat_flag_note(earlier_no, earlier_on,
                                               course.SAME_PERSON if same_person else course.SAME_MATTER)


def get(ctx: Context, case_id: int) -> Petition:
    ctx.require("petition.read")
    p = petitions.load(ctx.db, case_id)
    if p is None:
        raise NotFound("找不到这个信访案件")
    return p


def correct(ctx: Context, case_id: int, form: Petition, reason: str = "", scope: str = "") -> list[Correction]:
    """Correct a saved petition (修改): what the intake form holds, and the people on it. Writes only what
    changed, in one action; the timeline gets the masked 更正：… line, the audit trail an entry 更正 with the
    reason. Returns the changes ([]: nothing changed, nothing written). The case number never changes.

    Raises ReasonRequired when a form of it was printed or it is closed (不予受理, 办结) and `reason` is empty;
    ScopeQuestion when her address or marital status changed on a case that is not her latest and `scope`
    (domain.corrections.CASE_ONLY / EVERYWHERE) does not say whether for this case only; ValidationError as
    registering does. Her name, ID number and phone are corrected on her record, seen in all her cases."""
    ctx.require("petition.write")
    old = get(ctx, case_id)
    new = rules.validate_petition(form, ctx.today())
    lists.check_listed(ctx, new, old)
    rules.check_received_on(old, new.received_on)
    new.petitioner.id = form.petitioner.id if form.petitioner.id is not None else old.petitioner.id
    if new.concerned is not None and form.concerned is not None:
        keep = old.concerned.id if old.concerned is not None else None
        new.concerned.id = form.concerned.id if form.concerned.id is not None else keep
    edits = [
        corrections.PersonEdit("petitioner", "信访人", "petitioner.", "", old.petitioner, new.petitioner, 0),
        corrections.PersonEdit("concerned", "当事妇女", "concerned.", "当事妇女", old.concerned, new.concerned, 1),
    ]
    changes = (compare(rules.correction_values(old), rules.correction_values(new), rules.CORRECTION_LABELS)
               + corrections.person_changes(ctx.db, case_id, edits))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id, closed=rules.CLOSED_WORDS.get(old.status, "")))
    corrections.check_scope(ctx.db, case_id, edits, scope)
    fields = {c.field for c in changes}
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        own = {f: getattr(new, f) for f in ("channel", "nature", "headcount", "facts", "request", "dv", "safety_risk",
                                             "receiving_staff", "respondent_name", "respondent_relation") if f in fields}
        if own:
            petitions.update(db, case_id, **own)
        if "representatives" in fields:
            petitions.set_representatives(db, case_id, new.representatives)
        if fields & {"source_body", "source_no", "source_due_on", "received_on"}:
            _objection_clock(ctx, new)
            petitions.update(db, case_id, source_body=new.source_body, source_no=new.source_no,
                             source_due_on=new.source_due_on, objection_due_on=new.objection_due_on,
                             objection_note=new.objection_note)
        row: dict[str, object] = {f: getattr(new, f) for f in ("township", "village", "category", "subcategory")
                                  if f in fields}
        if "received_on" in fields:
            row["received_on"] = new.received_on.isoformat()
        ids = corrections.write_people(db, case_id, edits, scope, now)
        woman = ids.get("concerned") or ids["petitioner"]
        row.update(cases.changed_columns(db, case_id, {
            "person_id": woman, "names": names_of(new.petitioner.name, new.concerned.name if new.concerned else ""),
            "summary": list_summary(new)}))
        if row:
            cases.update_case(db, case_id, now, **row)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return changes


def _checked_letter(ctx: Context, letter: course.Letter) -> course.Letter:
    """The letter, once every character of it is known to print (never a blank box on the paper she is given)."""
    from .. import documents  # reportlab's fonts load on the first notice, not at start-up

    documents.check_printable(letter.texts())
    return letter


def _issue(db: sqlite_utils.Database, case_id: int, letter: course.Letter, now: dt.datetime) -> int:
    """Keep the letter as issued: a dated document of the case, reprinted from what is kept."""
    return case_documents.add(db, case_id, course.document_of(letter), now)


def accept(ctx: Context, case_id: int, on: dt.date, told_on: dt.date | None = None, note: str = "",
           way: str = "") -> int:
    """受理, and the 受理告知书 issued to her (dated `told_on`, the day she was told: it stops the 15-day clock).
    Returns the notice's document id."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    rules.check_accept(p, on, ctx.today())
    told_on = told_on or on
    way = course.way_for(p, told_on, way)
    errors: dict[str, str] = {}
    course.check_tell(p, told_on, way, ctx.today(), errors, not_before=on)
    if errors:
        raise ValidationError(errors)
    letter = _checked_letter(ctx, course.accept_letter(p, settings.office_name(ctx), on, told_on, way, ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, accepted_on=on, told_on=told_on, tell_way=way)
        cases.update_case(db, case_id, now, status="accepted")
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "受理",
                           note or course.accept_note(p, on, told_on, way))
        refresh_clock(db, case_id)
    return doc_id


def refuse(ctx: Context, case_id: int, reason: str, on: dt.date, route: str = "", way: str = "") -> int:
    """不予受理, and the 不予受理告知书 with the reason and where she can turn instead (dated `on`, the day she was
    told). Returns the notice's document id."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    reason = rules.check_refuse(p, reason, on, ctx.today())
    route = course.check_route(route)
    way = course.way_for(p, on, way)
    errors: dict[str, str] = {}
    course.check_tell(p, on, way, ctx.today(), errors)
    if errors:
        raise ValidationError(errors)
    letter = _checked_letter(ctx, course.refuse_letter(p, settings.office_name(ctx), reason, route, on, way, ctx.who()))
    report = _report_back(ctx, replace(p, status="refused", refused_reason=reason, refused_route=route, told_on=on), on)
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, refused_reason=reason, refused_route=route, told_on=on, tell_way=way)
        cases.update_case(db, case_id, now, status="refused", closed_on=on.isoformat())
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "不予受理", course.refuse_note(p, reason, route, on, way))
        if report is not None:
            _issue(db, case_id, report, now)
        refresh_clock(db, case_id)
    return doc_id


def forward(ctx: Context, case_id: int, body: str, on: dt.date, way: str = "") -> int:
    """转送有权机关: a 检举控告 passed to the body competent for it, and the 转送告知书 telling her where it went
    (dated `on`). Returns the notice's document id."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    way = course.way_for(p, on, way)
    name = course.check_forward(p, body, on, way, ctx.today())
    letter = _checked_letter(ctx, course.forward_letter(p, settings.office_name(ctx), name, on, way, ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, forwarded_to=name, forwarded_on=on, told_on=on, tell_way=way)
        cases.update_case(db, case_id, now, status="forwarded", closed_on=on.isoformat())
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "转送", course.forward_note(p, name, on, way))
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return doc_id


def object_transfer(ctx: Context, case_id: int, to: str, reason: str, on: dt.date) -> int:
    """提出异议、退回: a petition transferred in that is not the office's, within 5 working days of receipt (art. 23):
    the 退回函 to `to` (the sender) with the reason; the case is closed as 已退回 and its clock stops. Returns the
    letter's document id."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    to, reason = course.check_objection(p, to, reason, on, ctx.today())
    letter = _checked_letter(ctx, course.objection_letter(p, settings.office_name(ctx), to, reason, on, ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, objected_on=on, objected_to=to, objection_reason=reason)
        cases.update_case(db, case_id, now, status="returned", closed_on=on.isoformat())
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "退回", course.objection_note(to, reason, on))
        refresh_clock(db, case_id)
    return doc_id


def set_handling(ctx: Context, case_id: int, method: str, agency: str = "", opinion: str = "",
                 sent_on: dt.date | None = None, due_on: dt.date | None = None) -> int | None:
    """办理方式. Passed on to another body (转办/交办) with `sent_on`: the 转送函 with its receipt is issued, its answer
    asked by `due_on` (chased on the start page once overdue); returns the letter's document id (else None)."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    agency, opinion = rules.check_handle(p, method, agency, opinion)
    letter = None
    if method == "转办/交办" and sent_on is not None:
        course.check_transfer_out(p, sent_on, due_on, ctx.today())
        assert due_on is not None
        letter = _checked_letter(ctx, course.transfer_letter(p, settings.office_name(ctx), agency, opinion, sent_on,
                                                             due_on, ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, handling=method, handling_agency=agency, handling_opinion=opinion,
                         transfer_sent_on=sent_on if letter else None, transfer_due_on=due_on if letter else None,
                         transfer_answered_on=None, transfer_answer="")
        cases.update_case(db, case_id, now, status="in_progress")
        what = method + (f"（{agency}）" if agency else "")
        if letter is not None and sent_on is not None and due_on is not None:
            what += course.transfer_out_words(sent_on, due_on)
        cases.add_timeline(db, case_id, now, ctx.who(), "办理", what + (f"：{opinion}" if opinion else ""))
        doc_id = _issue(db, case_id, letter, now) if letter is not None else None
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return doc_id


def record_transfer_answer(ctx: Context, case_id: int, on: dt.date, answer: str) -> None:
    """The answer of the body the petition was passed on to (its 回执 or letter came back)."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    answer = course.check_transfer_answer(p, on, answer, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, transfer_answered_on=on, transfer_answer=answer)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "转送答复", course.transfer_answer_note(p, on, answer))
        refresh_clock(db, case_id)


def extend(ctx: Context, case_id: int, days: int, reason: str, told_on: dt.date | None = None, way: str = "") -> int:
    """延期 (the 主任's approval), and the 延期告知书 with the reason (dated `told_on`, default today). Returns the
    notice's document id."""
    ctx.require("petition.extend")
    p = get(ctx, case_id)
    reason = rules.check_extend(p, days, reason)
    told_on = told_on or ctx.today()
    way = way or "直接送达"
    errors: dict[str, str] = {}
    course.check_tell(p, told_on, way, ctx.today(), errors, not_before=p.accepted_on)
    if errors:
        raise ValidationError(errors)
    letter = _checked_letter(ctx, course.extend_letter(p, settings.office_name(ctx), days, reason, told_on, way,
                                                       ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, extension_days=days, extension_reason=reason)
        cases.update_case(db, case_id, now)
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "延期", course.extend_note(days, reason, told_on, way))
        refresh_clock(db, case_id)
    return doc_id


def draft_opinion(ctx: Context, case_id: int, result: str = "") -> course.Opinion:
    """The 处理意见书 (答复意见书) drafted from the case, for the clerk to complete: her request, what the handling
    found, the words for the result, the usual legal basis, and the body that reviews it (as the office's last
    opinion named it)."""
    ctx.require("petition.read")
    p = get(ctx, case_id)
    body = case_documents.last_content_value(ctx.db, "opinion", "review_body") or course.DEFAULT_REVIEW_BODY
    return course.draft_opinion(p, result, body)


def conclude(ctx: Context, case_id: int, reply: str, result: str, on: dt.date,
             opinion: course.Opinion | None = None, rating: str = "", rating_note: str = "") -> int:
    """办结, with the written opinion (处理意见书; a 建议意见's 答复意见书) dated `on` and kept as issued. `opinion`
    is what the clerk settled (drafted from the case when not given, `reply` its opinion); `rating` her satisfaction
    if asked now. Returns the opinion's document id."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    if opinion is None:
        opinion = draft_opinion(ctx, case_id, result)
        if reply.strip():  # else the draft's words for the result
            opinion.opinion = reply
        reply = opinion.opinion
    else:
        opinion.result = result
        reply = opinion.opinion
    rules.check_conclude(p, reply, result, on, ctx.today())
    o = course.check_opinion(p, opinion)  # every field of the opinion, the reply among them, in normal form
    if rating:
        rating_note = course.check_rating(replace(p, status="concluded", concluded_on=on), rating, rating_note, on,
                                          ctx.today())
    letter = _checked_letter(ctx, course.opinion_letter(p, settings.office_name(ctx), o, on, ctx.who()))
    report = _report_back(ctx, replace(p, status="concluded", reply=o.opinion, result=result, concluded_on=on), on)
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, reply=o.opinion, result=result, concluded_on=on, facts_found=o.facts_found,
                         legal_basis=o.legal_basis)
        if rating:
            petitions.update(db, case_id, rating=rating, rating_note=rating_note, rated_on=on,
                             rating_way=course.RATING_WAYS[0])
        cases.update_case(db, case_id, now, status="concluded", closed_on=on.isoformat())
        doc_id = _issue(db, case_id, letter, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "办结", course.conclude_note(letter, result, o.opinion, rating))
        if report is not None:
            _issue(db, case_id, report, now)
        refresh_clock(db, case_id)
    return doc_id


def rate(ctx: Context, case_id: int, rating: str, note: str, on: dt.date, way: str = "回访") -> None:
    """Her satisfaction with a concluded petition (满意 / 基本满意 / 不满意 / 未评价), asked at conclusion or on a
    return call; the latest is the one counted."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    note = course.check_rating(p, rating, note, on, ctx.today())
    if way not in course.RATING_WAYS:
        raise ValidationError({"rating_way": "请选择评价方式"})
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, rating=rating, rating_note=note, rated_on=on, rating_way=way)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "满意度", course.rating_line(way, rating, note))


def add_note(ctx: Context, case_id: int, note: str) -> None:
    ctx.require("petition.write")
    text = note_text(note)
    get(ctx, case_id)
    with ctx.action() as db:
        cases.add_note(db, case_id, ctx.now(), ctx.who(), text)


def settle_repeat(ctx: Context, case_id: int, confirmed: bool, note: str = "") -> None:
    """The clerk confirms a petition flagged at intake as a repeat (重复信访), or clears it (with the reason)."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    note = course.check_settle_repeat(p, confirmed, note)
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, repeat_state="confirmed" if confirmed else "cleared", repeat_note=note)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), course.REPEAT_STATES["confirmed"],
                           course.repeat_line(confirmed, p.repeat_of_no, note))


def request_review(ctx: Context, case_id: int, stage: str, requested_on: dt.date, answer_received_on: dt.date,
                   body: str, request: str) -> None:
    """She asks for 复查 of the 处理意见书 (stage "review"), or for 复核 of the 复查 answer ("re_review"), within 30
    days of receiving it; `body` reviews it (本会, or the body above) and answers within 30 days (the clock)."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    body, request = course.check_request_review(p, stage, requested_on, answer_received_on, body, request, ctx.today())
    review = Review(stage, requested_on, answer_received_on, body, request, by_office=body == course.OFFICE_BODY)
    title, _answered = course.answer_before(p, stage)
    now = ctx.now()
    with ctx.action() as db:
        petitions.add_review(db, case_id, review)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), f"请求{rules.REVIEW_STAGES[stage]}",
                           course.review_request_note(review, title))
        refresh_clock(db, case_id)


def answer_review(ctx: Context, case_id: int, answered_on: dt.date, result: str, opinion: str,
                  next_body: str = course.DEFAULT_REVIEW_BODY) -> int | None:
    """The answer to her pending 复查 / 复核. Given by this office, it is issued as the 复查意见书 / 复核意见书 (after
    复查 naming `next_body`, where she may ask for 复核) and its document id returned; given by the body above, it
    is recorded as received (None)."""
    ctx.require("petition.write")
    p = get(ctx, case_id)
    opinion = course.check_answer_review(p, answered_on, result, opinion, ctx.today())
    pending = rules.pending_review(p)
    assert pending is not None
    review = replace(pending, answered_on=answered_on, result=result, opinion=opinion)
    letter = None
    if review.by_office:
        errors: dict[str, str] = {}
        body = course.check_route(next_body) if review.stage == "review" else ""
        if review.stage == "review" and not body:
            errors["next_body"] = "请填写受理复核的机关"
        if errors:
            raise ValidationError(errors)
        letter = _checked_letter(ctx, course.review_letter(p, review, settings.office_name(ctx), body, ctx.who()))
    now = ctx.now()
    with ctx.action() as db:
        petitions.answer_review(db, case_id, review)
        cases.update_case(db, case_id, now)
        doc_id = _issue(db, case_id, letter, now) if letter is not None else None
        cases.add_timeline(db, case_id, now, ctx.who(), f"{rules.REVIEW_STAGES[review.stage]}答复",
                           course.review_answer_note(review))
        refresh_clock(db, case_id)
    return doc_id
