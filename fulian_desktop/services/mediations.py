"""Mediation actions: open (directly or from a petition), record sessions and investigations, close
with an outcome, schedule and record return visits, file the dossier; the roster and the counts.

Every action is one transaction that also writes the timeline, the case row's deadline (so the start
page shows mediations past a month and return visits due) and the search index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..domain import corrections as fix
from ..domain import dv_repeat
from ..domain import mediation as rules
from ..domain import petition as petition_rules
from ..domain.corrections import Correction
from ..domain.dates import format_cn
from ..domain.errors import NotFound, RuleError, ValidationError
from ..domain.kinds import note_text
from ..domain.mediation import (
    Agreement,
    Closing,
    Investigation,
    Mediation,
    MediationFile,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from ..store import cases, mediations, people, petitions, search
from ..store import settings as settings_store
from . import corrections, dv_repeats, lists, settings
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils

COMMITTEE_KEY = "mediation.committee"
FILE_CODE_KEY = "mediation.file_code"
COMMITTEE_SUFFIX = "婚姻家庭纠纷人民调解委员会"


# --------------------------------------------------------------------------------------------
# helpers


def list_summary(m: Mediation) -> str:
    """The one line the case list shows for it (the demo writes the same)."""
    return " ".join(m.facts.split())[:60]


def _refresh(db: sqlite_utils.Database, case_id: int) -> Mediation:
    """Bring the case row's deadline and open flag up to date, and the search index."""
    m = mediations.load(db, case_id)
    assert m is not None
    d = rules.current_deadline(m)
    cases.set_deadline(db, case_id, d.due_on if d else None, d.label if d else "", rules.keeps_open(m))
    search.reindex(db, case_id)
    return m


def _load(ctx: Context, case_id: int) -> Mediation:
    m = mediations.load(ctx.db, case_id)
    if m is None:
        raise NotFound("找不到这件调解")
    return m


def _insert(ctx: Context, db: sqlite_utils.Database, m: Mediation, caution_reason: str = "",
            from_case: int | None = None) -> tuple[int, str]:
    now = ctx.now()
    ids: list[int] = []
    for party in m.parties:
        ids.append(people.attach_or_add(db, party.person, now))
    # 家庭暴力案件不宜调解: an order in force or a high risk — going on needs the clerk's reason, kept below
    caution = dv_repeats.caution_in(db, ids, ctx.today())
    reason = dv_repeat.check_reason(caution, caution_reason)
    names = f"{rules.names(m.applicants)}与{rules.names(m.respondents)}"
    case_id, case_no = cases.insert_case(
        db, kind="mediation", received_on=m.received_on, status="accepted", person_id=ids[0], names=names,
        now=now, township=m.township, village=m.village, category="婚姻家庭", subcategory=m.dispute_type,
        summary=list_summary(m),
    )
    seen: set[int] = set()
    for pos, (party, person_id) in enumerate(zip(m.parties, ids, strict=True)):
        if person_id in seen:
            continue
        seen.add(person_id)
        mediations.add_party(db, case_id, person_id, party, pos)
    mediations.insert(db, case_id, m)
    mediators = "、".join(x.name for x in mediations.mediators(db, include_inactive=True)
                          if x.id in m.mediator_ids)
    cases.add_timeline(db, case_id, now, ctx.who(m.registrar), "受理调解",
                       f"{m.source}，{rules.dispute_words(m.dispute_type)}；调解员：{mediators}")
    if caution:
        cases.add_timeline(db, case_id, now, ctx.who(m.registrar), dv_repeat.MEDIATION_CAUTION,
                           dv_repeat.caution_note(caution, reason))
    respondents = [p.person.name for p in m.respondents]
    dv_repeats.note_at_intake(db, case_id, ids, respondents[0] if respondents else "", m.township, m.received_on,
                              ctx.today(), now, ctx.who(m.registrar), from_case=from_case)
    return case_id, case_no


def _check_mediators(db: sqlite_utils.Database, ids: list[int]) -> None:
    known = {m.id for m in mediations.mediators(db, include_inactive=True)}
    if any(i not in known for i in ids):
        raise ValidationError({"mediators": "所选调解员不在名册中，请重新选择"})


# --------------------------------------------------------------------------------------------
# opening


def open_mediation(ctx: Context, form: Mediation, caution_reason: str = "") -> tuple[int, str]:
    """Open a mediation directly. `party.person.id` attaches people already on file. Where a protection order is
    in force or the risk is high, CautionNeeded (its text) unless `caution_reason` says why mediate anyway."""
    ctx.require("mediation.write")
    m = rules.validate_mediation(form, ctx.today())
    lists.check_listed(ctx, m)
    with ctx.action() as db:
        _check_mediators(db, m.mediator_ids)
        case_id, case_no = _insert(ctx, db, m, caution_reason)
        _refresh(db, case_id)
    return case_id, case_no


def draft_from_petition(ctx: Context, petition_id: int) -> Mediation:
    """The mediation form filled from a petition (the woman as applicant, the facts carried over)."""
    ctx.require("petition.read")
    p = petitions.load(ctx.db, petition_id)
    if p is None:
        raise NotFound("找不到这个信访案件")
    return rules.draft_from_petition(p, ctx.today(), ctx.who())


def petition_number(ctx: Context, petition_id: int) -> str:
    ctx.require("petition.read")
    header = cases.case_header(ctx.db, petition_id)
    if header is None:
        raise NotFound("找不到这个信访案件")
    return str(header["case_no"])


def mediation_of_petition(ctx: Context, petition_id: int) -> tuple[int, str] | None:
    """The mediation a petition was sent to, if any: (case id, case number)."""
    ctx.require("petition.read")
    for case_id, case_no, kind in cases.links_of(ctx.db, petition_id):
        if kind == "mediation":
            return case_id, case_no
    return None


def check_can_transfer(ctx: Context, petition_id: int) -> None:
    """Raise RuleError unless the petition can be sent to mediation now."""
    ctx.require("mediation.write")
    p = petitions.load(ctx.db, petition_id)
    if p is None:
        raise NotFound("找不到这个信访案件")
    petition_rules.check_handle(p, "调解", "")
    existing = mediation_of_petition(ctx, petition_id)
    if existing:
        raise RuleError(f"这件信访已经转调解：{existing[1]}")


def open_from_petition(ctx: Context, petition_id: int, form: Mediation, caution_reason: str = "") -> tuple[int, str]:
    """Open a mediation from a petition: linked both ways, and the petition's handling set to 调解
    (by the petition's rules), all in one transaction. CautionNeeded as for open_mediation."""
    ctx.require("mediation.write")
    check_can_transfer(ctx, petition_id)
    m = rules.validate_mediation(form, ctx.today())
    lists.check_listed(ctx, m)
    if m.source != "信访转来":
        raise ValidationError({"source": "从信访转来的调解，纠纷来源应为“信访转来”"})
    now = ctx.now()
    committee = committee_name(ctx)
    with ctx.action() as db:
        _check_mediators(db, m.mediator_ids)
        case_id, case_no = _insert(ctx, db, m, caution_reason, petition_id)
        cases.link(db, petition_id, case_id, "转调解")
        cases.link(db, case_id, petition_id, dv_repeat.MEDIATION_FROM_PETITION)
        p = petitions.load(db, petition_id)
        assert p is not None
        cases.add_timeline(db, case_id, now, ctx.who(), "信访转来", p.case_no)
        opinion = f"转{committee}调解（{case_no}）"
        petitions.update(db, petition_id, handling="调解", handling_agency="", handling_opinion=opinion)
        cases.update_case(db, petition_id, now, status="in_progress")
        cases.add_timeline(db, petition_id, now, ctx.who(), "办理", f"调解：{opinion}")
        p = petitions.load(db, petition_id)
        assert p is not None
        d = petition_rules.current_deadline(p)
        cases.set_deadline(db, petition_id, d.due_on if d else None, d.label if d else "",
                           p.status in petition_rules.OPEN_STATUSES)
        search.reindex(db, petition_id)
        _refresh(db, case_id)
    return case_id, case_no


def get(ctx: Context, case_id: int) -> Mediation:
    ctx.require("mediation.read")
    return _load(ctx, case_id)


# --------------------------------------------------------------------------------------------
# while open


def add_session(ctx: Context, case_id: int, session: Session) -> int:
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    s = rules.validate_session(m, session, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        session_id = mediations.insert_session(db, case_id, s, now)
        number = len(m.sessions) + 1
        cases.update_case(db, case_id, now, status="in_progress")
        cases.add_timeline(db, case_id, now, ctx.who(s.recorder), f"第{number}次调解",
                           f"{format_cn(s.held_on)}，{s.place}：{s.result}")
        _refresh(db, case_id)
    return session_id


def add_investigation(ctx: Context, case_id: int, investigation: Investigation) -> int:
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    inv = rules.validate_investigation(m, investigation, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        inv_id = mediations.insert_investigation(db, case_id, inv, now)
        cases.update_case(db, case_id, now, status="in_progress")
        who = f"{inv.subject}（{inv.subject_role}）" if inv.subject_role else inv.subject
        cases.add_timeline(db, case_id, now, ctx.who(inv.investigator), "调查",
                           f"{format_cn(inv.held_on)}，调查{who}")
        _refresh(db, case_id)
    return inv_id


def close(ctx: Context, case_id: int, closing: Closing, visit_on: dt.date | None = None) -> None:
    """End the mediation with its outcome; `visit_on` schedules the first return visit (the form
    offers 30 days after the outcome), None schedules none."""
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    c = rules.validate_closing(m, closing, ctx.today())
    if visit_on is not None and visit_on < c.on:
        raise ValidationError({"visit_on": f"回访日期不能早于{format_cn(c.on)}"})
    now = ctx.now()
    with ctx.action() as db:
        mediations.update(db, case_id, outcome=c.outcome, outcome_on=c.on, outcome_note=c.note,
                          failed_route=c.failed_route)
        if c.agreement is not None:
            mediations.save_agreement(db, case_id, c.agreement)
        cases.update_case(db, case_id, now, status=c.outcome, closed_on=c.on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), rules.OUTCOMES[c.outcome],
                           rules.closing_note(c, m.received_on))
        if visit_on is not None:
            mediations.insert_visit(db, case_id, visit_on, "", now)
            cases.add_timeline(db, case_id, now, ctx.who(), "安排回访", format_cn(visit_on))
        _refresh(db, case_id)


# --------------------------------------------------------------------------------------------
# correcting what was saved (until the file is closed; see domain.mediation and domain.corrections)


def _correctable(ctx: Context, case_id: int) -> Mediation:
    m = _load(ctx, case_id)
    rules.check_correctable(m)
    return m


def _grounds(db: sqlite_utils.Database, m: Mediation) -> list[str]:
    """What official rests on the mediation: a printed document, the signed agreement, the outcome."""
    assert m.id is not None
    return corrections.grounds_of(db, m.id, closed=rules.closed_words(m), signed=m.agreement is not None)


def correction_grounds(ctx: Context, case_id: int) -> list[str]:
    """What official rests on the mediation, in words (已打印, 协议已签订, 已结案（和好）…): a correction of it
    or of its records then needs a reason. For the window to say so before she types one."""
    ctx.require("mediation.read")
    return _grounds(ctx.db, _load(ctx, case_id))


def _mediator_names(db: sqlite_utils.Database, ids: list[int]) -> list[str]:
    roster = {x.id: x.name for x in mediations.mediators(db, include_inactive=True)}
    return [roster.get(i, "") for i in ids]


def _party_edits(m: Mediation, new: Mediation) -> list[tuple[corrections.PersonEdit, Party | None, Party | None]]:
    out = []
    for side, side_label in rules.SIDES.items():
        pairs = corrections.pair_people([p for p in m.parties if p.side == side],
                                        [p for p in new.parties if p.side == side], lambda p: p.person)
        for saved, typed, i in pairs:
            name = (saved or typed).person.name  # type: ignore[union-attr]
            edit = corrections.PersonEdit(
                role=side, role_label=side_label, prefix=rules.party_prefix(side, i),
                label_prefix=f"{side_label}{name}的", saved=saved.person if saved else None,
                typed=typed.person if typed else None, position=len(m.parties) + i)
            out.append((edit, saved, typed))
    return out


def correct(ctx: Context, case_id: int, form: Mediation, reason: str = "", scope: str = "") -> list[Correction]:
    """Correct the mediation's details, its parties (their person records are shared with their other cases)
    and its mediators: only what changed is written, the timeline says what (更正：…). A reason is needed
    after the outcome or once a document was printed (ReasonRequired); `scope` answers the ScopeQuestion
    about an address corrected on an older case. The case number never changes."""
    ctx.require("mediation.write")
    m = _correctable(ctx, case_id)
    new = rules.validate_mediation(form, ctx.today())
    lists.check_listed(ctx, new, m)
    rules.check_corrected(m, new)
    _check_mediators(ctx.db, new.mediator_ids)
    edits = _party_edits(m, new)
    changes = fix.compare(rules.values(m, [x.name for x in m.mediators]),
                          rules.values(new, _mediator_names(ctx.db, new.mediator_ids)), rules.LABELS)
    changes += corrections.listed_changes(ctx.db, case_id, edits, lambda e, saved, typed: fix.compare(
        rules.record_values(saved, rules.PARTY_LABELS), rules.record_values(typed, rules.PARTY_LABELS),
        fix.prefixed(rules.PARTY_LABELS, e.label_prefix)))
    if not changes:
        return []
    reason = fix.check_reason(reason, _grounds(ctx.db, m))
    corrections.check_scope(ctx.db, case_id, [e for e, _s, _t in edits], scope)
    now = ctx.now()
    changed = {c.field for c in changes}
    with ctx.action(**corrections.audit_of(reason)) as db:
        own = {k: getattr(new, k) for k in ("source", "dispute_type", "relationship", "facts", "request",
                                             "registrar") if k in changed}
        if own:
            mediations.update(db, case_id, **own)
        if "mediators" in changed:
            mediations.set_mediators(db, case_id, new.mediator_ids)
        corrections.write_listed(db, case_id, edits, scope, now, fields=lambda _e: list(rules.PARTY_LABELS),
                                 remove=mediations.remove_party, add=mediations.add_party_row,
                                 relink=mediations.relink_party, update=mediations.update_party)
        after = mediations.load(db, case_id)
        assert after is not None
        row = {"received_on": new.received_on.isoformat(), "township": new.township, "village": new.village,
               "subcategory": new.dispute_type, "summary": list_summary(new),
               "names": f"{rules.names(after.applicants)}与{rules.names(after.respondents)}",
               "person_id": after.applicants[0].person.id}
        cases.update_case(db, case_id, now, **cases.changed_columns(db, case_id, row))
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        _refresh(db, case_id)
    return changes


def _correct_part(ctx: Context, case_id: int, m: Mediation, saved: Any, new: Any, labels: dict[str, str],
                  reason: str, write: Callable[[sqlite_utils.Database, dict[str, Any]], None],
                  refresh: bool = False) -> list[Correction]:
    """What correcting one recorded part of the file shares (a session, an investigation): compare, ask for the
    reason where one is needed, write only the changed fields and the timeline line, in one action."""
    changes = fix.compare(rules.record_values(saved, labels), rules.record_values(new, labels), labels)
    if not changes:
        return []
    reason = fix.check_reason(reason, _grounds(ctx.db, m))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        write(db, {c.field: getattr(new, c.field) for c in changes})
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        if refresh:
            _refresh(db, case_id)
    return changes


def correct_session(ctx: Context, case_id: int, session_id: int, form: Session, reason: str = "") -> list[Correction]:
    """Correct a session's record (调解记录) until the file is closed."""
    ctx.require("mediation.write")
    m = _correctable(ctx, case_id)
    saved = next((s for s in m.sessions if s.id == session_id), None)
    if saved is None:
        raise NotFound("找不到这次调解记录")
    s = rules.validate_session(m, form, ctx.today(), correcting=True)
    labels = fix.prefixed(rules.SESSION_LABELS, f"第{saved.number}次调解的")
    return _correct_part(ctx, case_id, m, saved, s, labels, reason,
                         lambda db, fields: mediations.update_session(db, session_id, **fields), refresh=True)


def correct_investigation(ctx: Context, case_id: int, investigation_id: int, form: Investigation,
                          reason: str = "") -> list[Correction]:
    """Correct an investigation's record (调查记录) until the file is closed."""
    ctx.require("mediation.write")
    m = _correctable(ctx, case_id)
    saved = next((i for i in m.investigations if i.id == investigation_id), None)
    if saved is None:
        raise NotFound("找不到这次调查记录")
    inv = rules.validate_investigation(m, form, ctx.today(), correcting=True)
    labels = fix.prefixed(rules.INVESTIGATION_LABELS, f"第{saved.number}次调查的")
    return _correct_part(ctx, case_id, m, saved, inv, labels, reason,
                         lambda db, fields: mediations.update_investigation(db, investigation_id, **fields))


def correct_agreement(ctx: Context, case_id: int, agreement: Agreement, reason: str = "") -> list[Correction]:
    """Correct the agreement's text and items (its date stays the day it was signed). It was signed: a
    reason is always needed."""
    ctx.require("mediation.write")
    m = _correctable(ctx, case_id)
    a = rules.check_agreement_change(m, agreement)
    labels = rules.agreement_labels(m.agreement, a)
    changes = fix.compare(rules.agreement_values(m.agreement), rules.agreement_values(a), labels)
    if not changes:
        return []
    reason = fix.check_reason(reason, _grounds(ctx.db, m))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        mediations.save_agreement(db, case_id, a)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        _refresh(db, case_id)
    return changes


def correct_visit(ctx: Context, case_id: int, visit_id: int, form: ReturnVisit, reason: str = "") -> list[Correction]:
    """Correct a return visit made (its record: a reason after the outcome, like every record of the file),
    or move one still to come (its date and plan: no reason, nothing official rests on a plan)."""
    ctx.require("mediation.write")
    m = _correctable(ctx, case_id)
    saved = next((v for v in m.visits if v.id == visit_id), None)
    if saved is None:
        raise NotFound("找不到这次回访")
    if saved.done:
        v = rules.validate_visit(m, replace(form, id=visit_id, due_on=saved.due_on), ctx.today())
        labels = fix.prefixed(rules.VISIT_LABELS, f"{format_cn(saved.visited_on)}回访的")
        grounds = _grounds(ctx.db, m)
    else:
        v = replace(saved, due_on=form.due_on, plan=rules.check_schedule_visit(m, form.due_on, form.plan))
        labels = fix.prefixed(rules.PLAN_LABELS, f"计划于{format_cn(saved.due_on)}的回访的")
        grounds = []
    changes = fix.compare(rules.record_values(saved, labels), rules.record_values(v, labels), labels)
    if not changes:
        return []
    reason = fix.check_reason(reason, grounds)
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        mediations.update_visit(db, visit_id, **{c.field: getattr(v, c.field) for c in changes})
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        _refresh(db, case_id)
    return changes


# --------------------------------------------------------------------------------------------
# after: return visits, the file


def schedule_visit(ctx: Context, case_id: int, due_on: dt.date, plan: str = "") -> int:
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    plan = rules.check_schedule_visit(m, due_on, plan)
    now = ctx.now()
    with ctx.action() as db:
        visit_id = mediations.insert_visit(db, case_id, due_on, plan, now)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "安排回访", format_cn(due_on) + (f"：{plan}" if plan else ""))
        _refresh(db, case_id)
    return visit_id


def record_visit(ctx: Context, case_id: int, visit: ReturnVisit) -> int:
    """Record a return visit: the scheduled one `visit.id`, or (id None) one made without a plan."""
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    v = rules.validate_visit(m, visit, ctx.today())
    if v.id is not None and not any(x.id == v.id and not x.done for x in m.visits):
        raise RuleError("这次回访已经记录过了")
    now = ctx.now()
    with ctx.action() as db:
        visit_id = v.id
        if visit_id is None:
            assert v.visited_on is not None
            visit_id = mediations.insert_visit(db, case_id, v.visited_on, "", now)
        mediations.record_visit(db, visit_id, v)
        flags = "，".join(t for t, on in (("有新的矛盾", v.new_conflict), ("有家庭暴力", v.violence),
                                          ("已起诉", v.lawsuit)) if on)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(v.visitor), "回访",
                           f"{format_cn(v.visited_on)}{v.method}：{v.performance}，{v.satisfaction}"
                           + (f"；{flags}" if flags else ""))
        _refresh(db, case_id)
    return visit_id


def set_filing(ctx: Context, case_id: int, archivist: str, filed_on: dt.date | None, keep_period: str,
               remarks: str = "") -> None:
    """立卷: who filed the dossier, when, and for how long it is kept (printed on its cover)."""
    ctx.require("mediation.write")
    m = _load(ctx, case_id)
    if m.is_open:
        raise RuleError("调解结束后才能立卷")
    archivist, remarks = rules.check_filing(archivist, filed_on, keep_period, remarks, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        mediations.update(db, case_id, archivist=archivist, filed_on=filed_on, keep_period=keep_period,
                          file_remarks=remarks)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "立卷", f"{archivist}，保管期限{keep_period}")


def add_note(ctx: Context, case_id: int, note: str) -> None:
    ctx.require("mediation.write")
    text = note_text(note)
    _load(ctx, case_id)
    with ctx.action() as db:
        cases.add_note(db, case_id, ctx.now(), ctx.who(), text)


# --------------------------------------------------------------------------------------------
# the roster and the committee


def mediators(ctx: Context, include_inactive: bool = False) -> list[Mediator]:
    ctx.require("lists.read")
    return mediations.mediators(ctx.db, include_inactive)


def save_mediator(ctx: Context, mediator: Mediator) -> int:
    """Add a mediator to the roster (id None) or correct one."""
    ctx.require("lists.write")
    m = rules.check_mediator(mediator)
    with ctx.action() as db:
        other = mediations.mediator_by_name(db, m.name)
        if other is not None and other.id != m.id:
            if other.active or m.id is not None:
                raise ValidationError({"name": f"名册中已有调解员“{m.name}”"})
            m.id = other.id  # adding back someone made inactive
            m.active = True
        return mediations.save_mediator(db, m, ctx.now())


def set_mediator_active(ctx: Context, mediator_id: int, active: bool) -> None:
    """Mediators are never deleted (old files keep their names); they are made inactive."""
    ctx.require("lists.write")
    with ctx.action() as db:
        mediations.set_mediator_active(db, mediator_id, active)


def committee_name(ctx: Context) -> str:
    ctx.require("lists.read")
    name = " ".join((settings_store.get(ctx.db, COMMITTEE_KEY) or "").split())
    return name or settings.office_name(ctx) + COMMITTEE_SUFFIX


def file_code(ctx: Context) -> str:
    ctx.require("lists.read")
    return (settings_store.get(ctx.db, FILE_CODE_KEY) or "").strip()


def set_committee(ctx: Context, name: str, code: str) -> None:
    ctx.require("lists.write")
    name = " ".join(name.split())
    code = "".join(code.split())
    errors: dict[str, str] = {}
    if not name:
        errors["committee"] = "请填写调解委员会的名称"
    elif len(name) > 30:
        errors["committee"] = "名称不能超过30个字"
    if len(code) > 4:
        errors["file_code"] = "卷号代字一般为一个字（如县名的简称），不能超过4个字"
    if errors:
        raise ValidationError(errors)
    with ctx.action() as db:
        settings_store.put(db, COMMITTEE_KEY, name)
        settings_store.put(db, FILE_CODE_KEY, code)


def printable(ctx: Context, case_id: int) -> MediationFile:
    """The mediation with its committee's name and file code, for the printed documents."""
    ctx.require("case.print")
    from . import signatures

    signed = {f"agreement:{part}": mark for part, mark in signatures.marks(ctx, case_id, "mediation.agreement").items()}
    for part, mark in signatures.marks(ctx, case_id, "mediation.visit").items():
        signed.setdefault(part.split(":party:")[0], mark)  # the 回访 record's one 当事人 line
    from . import attachments

    papers = attachments.papers(ctx, case_id)
    return MediationFile(get(ctx, case_id), committee_name(ctx), file_code(ctx), signed, papers)


# --------------------------------------------------------------------------------------------
# counting


def counts(ctx: Context, date_from: dt.date, date_to: dt.date) -> rules.Counts:
    """Mediated (accepted), reconciled, agreed, failed … between two dates, both included.
    和好 counts as reconciled; 当事人自行和解 is counted apart (see domain.mediation)."""
    ctx.require("statistics.read")
    if date_to < date_from:
        raise ValidationError({"date_to": "结束日期不能早于开始日期"})
    return mediations.counts(ctx.db, date_from, date_to)


def counts_by_month(ctx: Context, year: int) -> list[tuple[int, rules.Counts]]:
    """(month, counts) for each month of a year."""
    ctx.require("statistics.read")
    out = []
    for month in range(1, 13):
        start = dt.date(year, month, 1)
        end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append((month, mediations.counts(ctx.db, start, end)))
    return out


def refresh_clock(db: sqlite_utils.Database, case_id: int) -> None:
    """The case row's clock and open flag recomputed from the mediation as it is (services/undo.py, after
    the 主任 undoes a step)."""
    _refresh(db, case_id)
