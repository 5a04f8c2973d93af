"""Petition actions: register, accept or refuse, handle, extend, conclude, note."""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from ..domain import petition as rules
from ..domain.corrections import Correction, check_reason, compare
from ..domain.dates import format_cn
from ..domain.errors import NotFound, ValidationError
from ..domain.records import Petition
from ..store import cases, people, petitions, search
from . import corrections
from .context import Context


def list_summary(p: Petition) -> str:
    """The one line the case list shows for it (the demo writes the same)."""
    text = " ".join(p.request.split()) or " ".join(p.facts.split())
    return text[:60]


def refresh_clock(db: sqlite_utils.Database, case_id: int) -> None:
    """The case row's clock (告知是否受理 / 办结) and open flag recomputed from the petition as it is."""
    p = petitions.load(db, case_id)
    assert p is not None
    d = rules.current_deadline(p)
    cases.set_deadline(db, case_id, d.due_on if d else None, d.label if d else "", p.status in rules.OPEN_STATUSES)


def names_of(petitioner: str, concerned: str = "") -> str:
    """The names the case list shows: 信访人, and 当事妇女 when she is someone else (张三（代李四）)."""
    return petitioner + (f"（代{concerned}）" if concerned else "")


def register(ctx: Context, form: Petition) -> tuple[int, str]:
    """Register a new petition. `form.petitioner.id` (and `form.concerned.id`) attach existing people."""
    ctx.require("petition.write")
    p = rules.validate_petition(form, ctx.today())
    if form.petitioner.id is not None:
        p.petitioner.id = form.petitioner.id
    if p.concerned is not None and form.concerned is not None:
        p.concerned.id = form.concerned.id
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
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return case_id, case_no


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
        own = {f: getattr(new, f) for f in ("channel", "headcount", "facts", "request", "dv", "safety_risk",
                                             "receiving_staff", "respondent_name", "respondent_relation") if f in fields}
        if own:
            petitions.update(db, case_id, **own)
        row: dict[str, object] = {f: getattr(new, f) for f in ("township", "village", "category", "subcategory")
                                  if f in fields}
        if "received_on" in fields:
            row["received_on"] = new.received_on.isoformat()
        ids = corrections.write_people(db, case_id, edits, scope, now)
        header = db.execute("SELECT person_id, names, summary FROM cases WHERE id = ?", [case_id]).fetchone()
        woman = ids.get("concerned") or ids["petitioner"]
        for column, value, before in (("person_id", woman, header[0]), ("names", names_of(new.petitioner.name, new.concerned.name if new.concerned else ""), header[1]),
                                      ("summary", list_summary(new), header[2])):
            if value != before:
                row[column] = value
        if row:
            cases.update_case(db, case_id, now, **row)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        refresh_clock(db, case_id)
        search.reindex(db, case_id)
    return changes


def accept(ctx: Context, case_id: int, on: dt.date, told_on: dt.date | None = None, note: str = "") -> None:
    ctx.require("petition.write")
    p = get(ctx, case_id)
    rules.check_accept(p, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, accepted_on=on, told_on=told_on or on)
        cases.update_case(db, case_id, now, status="accepted")
        cases.add_timeline(db, case_id, now, ctx.who(), "受理", note or f"受理日期{format_cn(on)}，已告知信访人")
        refresh_clock(db, case_id)


def refuse(ctx: Context, case_id: int, reason: str, on: dt.date) -> None:
    ctx.require("petition.write")
    p = get(ctx, case_id)
    rules.check_refuse(p, reason, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, refused_reason=reason.strip(), told_on=on)
        cases.update_case(db, case_id, now, status="refused", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "不予受理", reason.strip())
        refresh_clock(db, case_id)


def set_handling(ctx: Context, case_id: int, method: str, agency: str = "", opinion: str = "") -> None:
    ctx.require("petition.write")
    p = get(ctx, case_id)
    rules.check_handle(p, method, agency)
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, handling=method, handling_agency=agency.strip(),
                         handling_opinion=opinion.strip())
        cases.update_case(db, case_id, now, status="in_progress")
        what = method + (f"（{agency.strip()}）" if agency.strip() else "")
        cases.add_timeline(db, case_id, now, ctx.who(), "办理", what + (f"：{opinion.strip()}" if opinion.strip() else ""))
        refresh_clock(db, case_id)
        search.reindex(db, case_id)


def extend(ctx: Context, case_id: int, days: int, reason: str) -> None:
    ctx.require("petition.extend")
    p = get(ctx, case_id)
    rules.check_extend(p, days, reason)
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, extension_days=days, extension_reason=reason.strip())
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "延期", f"延长{days}天：{reason.strip()}")
        refresh_clock(db, case_id)


def conclude(ctx: Context, case_id: int, reply: str, result: str, on: dt.date) -> None:
    ctx.require("petition.write")
    p = get(ctx, case_id)
    rules.check_conclude(p, reply, result, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        petitions.update(db, case_id, reply=reply.strip(), result=result, concluded_on=on)
        cases.update_case(db, case_id, now, status="concluded", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "办结", f"{result}：{reply.strip()}")
        refresh_clock(db, case_id)


def add_note(ctx: Context, case_id: int, note: str) -> None:
    ctx.require("petition.write")
    if not note.strip():
        raise ValidationError({"note": "请输入备注内容"})
    get(ctx, case_id)
    now = ctx.now()
    with ctx.action() as db:
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "备注", note.strip())
