"""Household register and visits (帮扶户走访慰问): one function per user action, plus the lists,
the monthly plan and the counts the statistics use.

Care lists (帮扶户, 留守儿童, 春蕾女童, “两癌”救助对象 …) are configuration; every entry on any list
is a case of kind "household" whose next visit due is kept in cases.due_on (due_label 走访), so the
start page, the case list and its overdue filter show it like any other deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..domain import corrections as fix
from ..domain import household as rules
from ..domain.corrections import Correction
from ..domain.dates import format_cn
from ..domain.errors import NotFound, RuleError, ValidationError
from ..domain.filters import DueVisitRow, RegisterFilter, RegisterRow
from ..domain.household import (
    Cadre,
    CareList,
    Household,
    Measure,
    Member,
    Task,
    Visit,
)
from ..domain.kinds import note_text
from ..domain.records import Person, Petition
from ..domain.rhythm import Rhythm, month_bounds
from ..store import audit as audit_store
from ..store import cases, people, search
from ..store import households as store
from . import corrections, lists
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils

    from ..domain import mediation as mediation_rules

DUE_LABEL = "走访"
LINK_RELATION = "走访发现"


# --- care lists (configuration) -----------------------------------------------------------------

def care_lists(ctx: Context, include_inactive: bool = False) -> list[CareList]:
    ctx.require("lists.read")
    return store.care_lists(ctx.db, include_inactive)


def care_list(ctx: Context, list_id: int) -> CareList:
    ctx.require("lists.read")
    c = store.care_list(ctx.db, list_id)
    if c is None:
        raise NotFound("找不到这个名单")
    return c


def save_care_list(ctx: Context, c: CareList) -> int:
    """Add a care list, or change one (its name, fields, default rhythm). Values already entered are
    kept under their field keys even when a field is removed."""
    ctx.require("lists.write")
    taken = {x.name for x in store.care_lists(ctx.db, include_inactive=True) if x.id != c.id}
    if c.id is not None:
        old = care_list(ctx, c.id)
        if old.unit != c.unit and store.entries_in_list(ctx.db, c.id):
            raise ValidationError({"unit": "名单中已有登记，不能再改变按户或按人"})
    checked = rules.validate_care_list(c, taken)
    with ctx.action() as db:
        return store.save_care_list(db, checked)


def set_care_list_active(ctx: Context, list_id: int, active: bool) -> None:
    """Lists are never deleted (entries keep theirs); an inactive list is not offered for new entries."""
    ctx.require("lists.write")
    c = care_list(ctx, list_id)
    c.active = active
    with ctx.action() as db:
        store.save_care_list(db, c)


# --- registering and editing --------------------------------------------------------------------

def list_summary(h: Household, care: CareList) -> str:
    """The one line the case list shows for it (the demo writes the same)."""
    if care.is_household:
        text = f"{'、'.join(h.causes)}　{h.size}口人"
    else:
        text = "　".join(f"{label}：{value}" for label, value in rules.extra_text(care, h.extra) if value)
    return text[:60]


def _save_members(db: sqlite_utils.Database, case_id: int, h: Household, now: dt.datetime) -> None:
    saved: list[tuple[int, Member]] = []
    for m in h.everyone:
        person_id = people.attach_or_add(db, m.person, now)
        m.person.id = person_id
        if any(pid == person_id for pid, _ in saved):
            raise ValidationError({"members": f"“{m.person.name}”在成员中出现了两次"})
        saved.append((person_id, m))
    store.replace_members(db, case_id, saved)


def _refresh_due(db: sqlite_utils.Database, case_id: int) -> None:
    r = store.register_row(db, case_id)
    assert r is not None
    is_open = r.status in rules.OPEN_STATUSES
    due = r.rhythm.next_due(store.visit_dates(db, case_id)) if is_open else None
    cases.set_deadline(db, case_id, due, DUE_LABEL if due else "", is_open)


def register(ctx: Context, form: Household) -> tuple[int, str]:
    """Put a household (or a person) on a care list. `form.head.person.id` and the members' ids attach
    people already on file; others are matched by ID number, or added."""
    ctx.require("household.write")
    care = care_list(ctx, form.list_id)
    if not care.active:
        raise ValidationError({"list": "这个名单已停用"})
    if form.rhythm is None:
        form = replace(form, rhythm=Rhythm(care.rhythm_unit, care.rhythm_every, ctx.today()))
    h = rules.validate_household(form, care, ctx.today())
    lists.check_listed(ctx, h)
    assert h.rhythm is not None
    rules.check_rhythm(h.rhythm, ctx.today(), h.received_on)
    now = ctx.now()
    with ctx.action() as db:
        head_id = people.attach_or_add(db, h.head.person, now)
        h.head.person.id = head_id
        case_id, case_no = cases.insert_case(
            db, kind=rules.KIND, received_on=h.received_on, status="helping", person_id=head_id,
            names=h.head.person.name, now=now, township=h.township, village=h.village, category=care.name,
            subcategory=h.household_type, summary=list_summary(h, care),
        )
        store.insert(db, case_id, h)
        _save_members(db, case_id, h, now)
        if h.cadre is not None:
            store.add_cadre(db, case_id, h.cadre, now, ctx.who())
        cases.add_timeline(db, case_id, now, ctx.who(), "纳入名单",
                           f"{care.name}，{h.size}口人" if care.is_household else care.name)
        _refresh_due(db, case_id)
        search.reindex(db, case_id)
    return case_id, case_no


def _member_edits(care: CareList, saved: Household, new: Household
                  ) -> list[tuple[corrections.PersonEdit, Member | None, Member | None]]:
    """The head (户主 or 本人) and the members, as saved and as corrected, paired person by person."""
    head_label = rules.HEAD_RELATION if care.is_household else f"{care.name}本人"
    out: list[tuple[corrections.PersonEdit, Member | None, Member | None]] = [(corrections.PersonEdit(
        role="head", role_label=head_label, prefix="head.", label_prefix=f"{head_label}的" if care.is_household else "",
        saved=saved.head.person, typed=new.head.person), saved.head, new.head)]
    pairs = corrections.pair_people(saved.members, new.members, lambda m: m.person)
    member_word = "家庭成员" if care.is_household else "家庭成员或监护人"
    for before, after, i in pairs:
        name = (before or after).person.name  # type: ignore[union-attr]
        out.append((corrections.PersonEdit(
            role="member", role_label=member_word, prefix=f"members.{i}.", label_prefix=f"成员{name}的",
            saved=before.person if before else None, typed=after.person if after else None, position=saved.size + i),
            before, after))
    return out


def correct(ctx: Context, case_id: int, form: Household, reason: str = "", scope: str = "") -> list[Correction]:
    """Correct the entry's details and its people (修改): not its list, cadres, visits or rhythm, which have
    their own actions. Only what changed is written and the timeline says what (更正：…); once a form of it
    was printed (the 帮扶手册, a visit's record) or it has left the register, a reason is needed
    (ReasonRequired). People are corrected once on their record, seen in all their cases; `scope` answers
    the ScopeQuestion about an address corrected on an older case. The case number never changes."""
    ctx.require("household.write")
    old = get(ctx, case_id)
    assert old.care_list is not None
    care = old.care_list
    form = replace(form, list_id=old.list_id, rhythm=old.rhythm, cadre=None)
    h = rules.validate_household(form, care, ctx.today())
    lists.check_listed(ctx, h, old)
    rules.check_corrected(old, h)
    edits = _member_edits(care, old, h)
    labels = rules.labels(care)
    changes = fix.compare(rules.values(old, care), rules.values(h, care), labels)
    changes += corrections.listed_changes(ctx.db, case_id, edits, lambda e, before, after: fix.compare(
        rules.member_values(before), rules.member_values(after),
        rules.member_labels(care, e.label_prefix, head=e.role == "head")))
    if not changes:
        return []
    reason = fix.check_reason(reason, corrections.grounds_of(
        ctx.db, case_id, closed="已退出名单" if old.status == "exited" else ""))
    corrections.check_scope(ctx.db, case_id, [e for e, _b, _a in edits], scope)
    now = ctx.now()
    changed = {c.field for c in changes}
    with ctx.action(**corrections.audit_of(reason)) as db:
        own: dict[str, Any] = {k: getattr(h, k) for k in ("address", "household_type", "causes", "notes")
                               if k in changed}
        if any(k.startswith("extra.") for k in changed):
            own["extra"] = h.extra
        if own:
            store.update(db, case_id, **own)
        if "received_on" in changed and old.rhythm is not None and old.rhythm.start == old.received_on:
            store.set_rhythm(db, case_id, replace(old.rhythm, start=h.received_on))  # the rhythm started that day
        corrections.write_listed(db, case_id, edits, scope, now,
                                 fields=lambda e: list(rules.member_labels(care, "", head=e.role == "head")),
                                 remove=store.remove_member, add=store.add_member, relink=store.relink_member,
                                 update=store.update_member)
        now_saved = store.load(db, case_id)
        assert now_saved is not None
        row = {"received_on": h.received_on.isoformat(), "township": h.township, "village": h.village,
               "names": now_saved.head.person.name, "person_id": now_saved.head.person.id,
               "subcategory": h.household_type, "summary": list_summary(h, care)}
        cases.update_case(db, case_id, now, **cases.changed_columns(db, case_id, row))
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        _refresh_due(db, case_id)
        search.reindex(db, case_id)
    return changes


def get(ctx: Context, case_id: int) -> Household:
    ctx.require("household.read")
    h = store.load(ctx.db, case_id)
    if h is None:
        raise NotFound("找不到这个帮扶户或关爱对象")
    return h


def need_open(h: Household, action: str) -> None:
    if not h.is_open:
        raise RuleError(f"已退出名单，不能{action}。如需继续帮扶，请先“恢复帮扶”。")


def set_rhythm(ctx: Context, case_id: int, rhythm: Rhythm) -> None:
    ctx.require("household.write")
    h = get(ctx, case_id)
    rules.check_rhythm(rhythm, ctx.today(), h.received_on)
    now = ctx.now()
    with ctx.action() as db:
        store.set_rhythm(db, case_id, rhythm)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "走访周期",
                           f"{rhythm.label()}，自{format_cn(rhythm.start)}起")
        _refresh_due(db, case_id)


def change_cadre(ctx: Context, case_id: int, cadre: Cadre) -> None:
    """A new responsible cadre from a date; the earlier ones stay in the history."""
    ctx.require("household.write")
    h = get(ctx, case_id)
    need_open(h, "更换帮扶责任人")
    errors: dict[str, str] = {}
    last = h.current_cadre
    c = rules.check_cadre(cadre, ctx.today(), errors, prefix="", not_before=last.from_date if last else None)
    if errors:
        raise ValidationError(errors)
    now = ctx.now()
    with ctx.action() as db:
        store.add_cadre(db, case_id, c, now, ctx.who())
        cases.update_case(db, case_id, now)
        note = f"{c.name}（{c.unit}）自{format_cn(c.from_date)}起" if c.unit else f"{c.name}自{format_cn(c.from_date)}起"
        cases.add_timeline(db, case_id, now, ctx.who(), "更换帮扶责任人" if last else "帮扶责任人", note)
        search.reindex(db, case_id)


def add_measure(ctx: Context, case_id: int, measure: Measure) -> None:
    ctx.require("household.write")
    h = get(ctx, case_id)
    need_open(h, "添加帮扶措施")
    m = rules.check_measure(measure, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.add_measure(db, case_id, m, now)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "帮扶措施", f"{m.kind}：{m.detail or m.benefit}"[:80])


# --- visits -------------------------------------------------------------------------------------

def mediation_available() -> bool:
    """True when a visit's finding can open a mediation (the mediation kind is installed)."""
    from . import mediations

    return hasattr(mediations, "open_mediation")


def routes() -> tuple[str, ...]:
    """The kinds of case a visit's finding may open here."""
    return ("petition", "mediation") if mediation_available() else ("petition",)


@dataclass
class VisitResult:
    visit_id: int
    task_id: int | None = None
    opened_case_id: int | None = None
    opened_case_no: str = ""


def _finding_petition(ctx: Context, h: Household, v: Visit) -> Petition:
    assert v.finding is not None
    f = v.finding
    person = h.everyone[f.person_index].person
    return Petition(
        channel="来访", received_on=v.visited_on, petitioner=replace(person), concerned=None, headcount=1,
        township=h.township, village=h.village, category="婚姻家庭",
        subcategory="家庭暴力" if f.kind == "dv" else "家庭纠纷",
        facts=f"（{h.case_no}走访中发现）{f.facts}", request=f.request, dv=f.kind == "dv", safety_risk=False,
        receiving_staff=ctx.who(v.visitors.split("、")[0]), respondent_name=f.respondent_name,
        respondent_relation=f.respondent_relation,
    )


# the relationship between two people of a household, from their relations to the head
_SPOUSE = {"户主", "配偶", "本人"}
_CHILD = {"之子", "之女"}
_IN_LAW = {"之儿媳"}


def _relationship(a: str, b: str) -> str:
    """夫妻 / 婆媳 / 父母子女 / 兄弟姐妹 / 其他, as the mediation's 当事人关系."""
    pair = {a, b}
    if pair == {"户主", "配偶"} or "配偶" in pair and pair & {"本人"}:
        return "夫妻"
    if pair & _IN_LAW and pair & _SPOUSE:
        return "婆媳"
    if (pair & _CHILD and pair & _SPOUSE) or pair & {"之父", "之母"}:
        return "父母子女"
    if pair & {"兄弟姐妹"}:
        return "兄弟姐妹"
    return "其他"


def _finding_mediation(ctx: Context, h: Household, v: Visit) -> mediation_rules.Mediation:
    """The mediation a visit's finding opens: the person concerned applies, the other party responds,
    taken up by the committee itself (主动调解)."""
    from ..domain import mediation as mediation_rules  # (only a finding needs a kind's rules: not the start page)

    assert v.finding is not None
    f = v.finding
    me = h.everyone[f.person_index]
    other = next((m for m in h.everyone if m.person.name == f.respondent_name and m is not me), None)
    respondent = replace(other.person) if other else Person(name=f.respondent_name, ethnicity="")
    relationship = _relationship(me.relation, other.relation) if other else (
        "夫妻" if f.respondent_relation in ("丈夫", "前夫") else "其他")
    dispute = "家庭暴力" if f.kind == "dv" else (f.dispute_type or "婚姻")
    return mediation_rules.Mediation(
        received_on=v.visited_on, source="主动调解", dispute_type=dispute, relationship=relationship,
        township=h.township, village=h.village, facts=f"（{h.case_no}走访中发现）{f.facts}", request=f.request,
        registrar=ctx.who(v.visitors.split("、")[0]),
        parties=[mediation_rules.Party(person=replace(me.person), side="applicant"),
                 mediation_rules.Party(person=respondent, side="respondent")],
        mediator_ids=[f.mediator_id] if f.mediator_id is not None else [],
    )


def _check_finding(ctx: Context, h: Household, v: Visit) -> None:
    """Check the petition (or mediation) the finding will open before anything is written, so its
    errors show on the visit form (keyed finding.*) and nothing is half done."""
    if v.finding is None:
        return
    from ..domain import mediation as mediation_rules
    from ..domain import petition as petition_rules

    try:
        if v.finding.route == "mediation":
            lists.check_listed(ctx, mediation_rules.validate_mediation(_finding_mediation(ctx, h, v), ctx.today()))
        else:
            lists.check_listed(ctx, petition_rules.validate_petition(_finding_petition(ctx, h, v), ctx.today()))
    except ValidationError as e:
        mapped = {}
        for key, message in e.errors.items():
            if key in ("facts", "request"):
                mapped[f"finding.{key}"] = message
            elif key.startswith(("petitioner.", "applicants")):
                mapped["finding.person"] = f"当事人资料不全：{message}（请先在“修改资料”中补全）"
            elif key.startswith("respondents") or key in ("parties", "respondent_relation"):
                mapped["finding.respondent"] = message
            elif key == "mediators":
                mapped["finding.mediator"] = message
            else:
                mapped.setdefault("finding.route", message)
        raise ValidationError(mapped) from None


def _open_case(ctx: Context, db: sqlite_utils.Database, h: Household, v: Visit, visit_id: int,
               now: dt.datetime, caution_reason: str = "") -> tuple[int, str]:
    """Open a petition (or a mediation) for the person concerned, linked both ways, in this transaction."""
    assert v.finding is not None and h.id is not None
    f = v.finding
    if f.route == "mediation":
        opened_id, opened_no = _open_mediation(ctx, h, v, caution_reason)
    else:
        from . import petitions  # (the petition service and what it loads: only when a visit opens a petition)

        opened_id, opened_no = petitions.register(ctx, _finding_petition(ctx, h, v))
    cases.link(db, h.id, opened_id, LINK_RELATION)
    store.set_visit_case(db, visit_id, opened_id)
    cases.add_timeline(db, opened_id, now, ctx.who(), "关联", f"由{h.case_no}的走访记录转入")
    return opened_id, opened_no


def _open_mediation(ctx: Context, h: Household, v: Visit, caution_reason: str = "") -> tuple[int, str]:
    from . import mediations  # (the mediation service: only when a visit opens a mediation, not for the start page)

    return mediations.open_mediation(ctx, _finding_mediation(ctx, h, v), caution_reason)


def log_visit(ctx: Context, case_id: int, form: Visit, caution_reason: str = "") -> VisitResult:
    """Record a visit: a promised follow-up becomes a task with its date; a finding of violence or a
    dispute opens a petition (or mediation) for that person, linked back — all in one transaction. A mediation
    where it is not appropriate (her order in force, a high risk) raises CautionNeeded, nothing written, unless
    `caution_reason` says why go on (kept in the mediation's course)."""
    ctx.require("household.write")
    h = get(ctx, case_id)
    need_open(h, "登记走访")
    v = rules.validate_visit(form, h, ctx.today(), routes())
    if v.finding is not None:
        ctx.require("petition.write" if v.finding.route == "petition" else "mediation.write")
        _check_finding(ctx, h, v)
    now = ctx.now()
    who = ctx.who(v.visitors.split("、")[0])
    with ctx.action() as db:
        visit_id = store.insert_visit(db, case_id, v, who, now)
        result = VisitResult(visit_id)
        if v.promised:
            assert v.promise_due is not None
            result.task_id = store.insert_task(
                db, Task(title=v.promised, due_on=v.promise_due, case_id=case_id, visit_id=visit_id), who, now)
        if v.finding is not None:
            result.opened_case_id, result.opened_case_no = _open_case(ctx, db, h, v, visit_id, now, caution_reason)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, who, v.kind_label, rules.visit_note(v, result.opened_case_no))
        _refresh_due(db, case_id)
        search.reindex(db, case_id)
    return result


def visit(ctx: Context, visit_id: int) -> tuple[Household, Visit]:
    ctx.require("household.read")
    v = store.visit(ctx.db, visit_id)
    if v is None or v.case_id is None:
        raise NotFound("找不到这次走访记录")
    return get(ctx, v.case_id), v


def correct_visit(ctx: Context, visit_id: int, form: Visit, reason: str = "") -> list[Correction]:
    """Correct a visit's record (not what it found: a case opened from it is corrected on its own page).
    Only what changed is written; the follow-up it promised follows (its task changed, added or removed
    while open). A reason is needed for any change once this visit's record was printed, and for the
    money and goods once the 帮扶手册 was (ReasonRequired)."""
    ctx.require("household.write")
    h, saved = visit(ctx, visit_id)
    assert h.id is not None and saved.id is not None
    v = rules.validate_visit(replace(form, finding=None), h, ctx.today(), routes())
    tasks = store.visit_tasks(ctx.db, visit_id)
    labels = fix.prefixed(rules.VISIT_LABELS, f"{format_cn(saved.visited_on)}走访的")
    changes = fix.compare(rules.visit_values(saved), rules.visit_values(v), labels)
    if not changes:
        return []
    changed = {c.field for c in changes}
    if {"promised", "promise_due"} & changed and any(t.done_on is not None for t in tasks):
        raise ValidationError({"promised": "这次走访承诺的事已经办结，不能再修改"})
    printed_here = audit_store.printed(ctx.db, h.id, "household_visit", f"visit:{visit_id}")
    card = audit_store.printed(ctx.db, h.id, "household") and bool(changed & set(rules.MONEY))
    reason = fix.check_reason(reason, fix.grounds(printed=printed_here or card))
    now = ctx.now()
    columns = {"visited_on": "visited_on", "visitors": "visitors", "kind": "kind", "cash": "cash_fen",
               "goods": "goods", "goods_value": "goods_fen", "seen": "seen", "asked": "asked", "promised": "promised"}
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.update_visit(db, visit_id, **{column: getattr(v, column) for name, column in columns.items()
                                            if name in changed})
        if {"promised", "promise_due"} & changed:
            if not v.promised:
                for t in tasks:
                    assert t.id is not None
                    store.remove_task(db, t.id)
            elif tasks:
                assert tasks[0].id is not None and v.promise_due is not None
                store.update_task(db, tasks[0].id, v.promised, v.promise_due)
            else:
                assert v.promise_due is not None
                store.insert_task(db, Task(title=v.promised, due_on=v.promise_due, case_id=h.id, visit_id=visit_id),
                                  ctx.who(), now)
        corrections.add_note(db, h.id, now, ctx.who(), changes, reason)
        _refresh_due(db, h.id)
        search.reindex(db, h.id)
    return changes


def add_task(ctx: Context, case_id: int, title: str, due_on: dt.date | None) -> int:
    ctx.require("household.write")
    get(ctx, case_id)
    text = rules.check_task(title, due_on, ctx.today())
    assert due_on is not None
    now = ctx.now()
    with ctx.action() as db:
        task_id = store.insert_task(db, Task(title=text, due_on=due_on, case_id=case_id), ctx.who(), now)
        cases.add_timeline(db, case_id, now, ctx.who(), "待办", f"{text}（{format_cn(due_on)}前）")
    return task_id


def complete_task(ctx: Context, task_id: int, on: dt.date, note: str = "") -> None:
    ctx.require("household.write")
    t = store.task(ctx.db, task_id)
    if t is None:
        raise NotFound("找不到这项待办")
    if t.done_on is not None:
        raise RuleError("这项待办已经办结")
    note = rules.check_task_done(on, note, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.complete_task(db, task_id, on, note)
        if t.case_id is not None:
            cases.add_timeline(db, t.case_id, now, ctx.who(), "待办办结", t.title + (f"：{note}" if note else ""))


def open_tasks(ctx: Context, until: dt.date | None = None, limit: int = 200) -> list[Task]:
    ctx.require("household.read")
    return store.open_tasks(ctx.db, until, limit)


# --- status -------------------------------------------------------------------------------------

def lift(ctx: Context, case_id: int, on: dt.date, note: str = "") -> None:
    """已脱贫: the household stays on the visit plan (脱贫不脱帮扶) until it leaves the register."""
    ctx.require("household.write")
    h = get(ctx, case_id)
    rules.check_lift(h, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.update(db, case_id, lifted_on=on)
        cases.update_case(db, case_id, now, status="lifted")
        cases.add_timeline(db, case_id, now, ctx.who(), "脱贫", f"{format_cn(on)}" + (f"：{note.strip()}" if note else ""))
        _refresh_due(db, case_id)


def exit_(ctx: Context, case_id: int, on: dt.date, reason: str) -> None:
    """已退出: off the visit plan; history and visits kept."""
    ctx.require("household.write")
    h = get(ctx, case_id)
    reason = rules.check_exit(h, on, reason, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.update(db, case_id, exited_on=on, exit_reason=reason)
        cases.update_case(db, case_id, now, status="exited", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "退出", f"{format_cn(on)}：{reason}")
        _refresh_due(db, case_id)


def resume(ctx: Context, case_id: int, note: str = "") -> None:
    ctx.require("household.write")
    h = get(ctx, case_id)
    rules.check_resume(h)
    now = ctx.now()
    with ctx.action() as db:
        store.update(db, case_id, exited_on=None, exit_reason="")
        cases.update_case(db, case_id, now, status="helping", closed_on=None)
        cases.add_timeline(db, case_id, now, ctx.who(), "恢复帮扶", note.strip())
        _refresh_due(db, case_id)


def add_note(ctx: Context, case_id: int, note: str) -> None:
    ctx.require("household.write")
    text = note_text(note)
    get(ctx, case_id)
    with ctx.action() as db:
        cases.add_note(db, case_id, ctx.now(), ctx.who(), text)


# --- the register, the start page, the monthly plan ----------------------------------------------

def _with_today(ctx: Context, f: RegisterFilter) -> RegisterFilter:
    return f if f.today else replace(f, today=ctx.today())


def register_count(ctx: Context, f: RegisterFilter) -> int:
    ctx.require("household.read")
    return store.count_register(ctx.db, _with_today(ctx, f))


def register_page(ctx: Context, f: RegisterFilter, sort: str = "due_on", descending: bool = False,
                  limit: int = 200, offset: int = 0, *, after: int | None = None, before: int | None = None,
                  from_end: bool = False) -> list[RegisterRow]:
    """A page of the register: at `offset` (from the end when `from_end`), or just after / before the row of that
    case, read on in order."""
    ctx.require("household.read")
    return store.register_rows(ctx.db, _with_today(ctx, f), sort, descending, limit, offset, after=after,
                               before=before, from_end=from_end)


def due_this_month(ctx: Context, limit: int = 200) -> list[DueVisitRow]:
    """Households and persons due a visit by the end of this month, or overdue (earliest first): the register's
    first rows, with what the start page shows of them."""
    ctx.require("cases.list")
    ctx.require("household.read")
    return store.due_rows(ctx.db, _with_today(ctx, RegisterFilter(due="this_month")), limit)


@dataclass
class MonthDue:
    """The start page's totals for this month, however many of them due_this_month and open_tasks list."""

    households: int  # due a visit by the end of this month, the overdue included
    overdue: int
    tasks: int  # open follow-ups due by the end of this month


def month_due(ctx: Context) -> MonthDue:
    ctx.require("household.read")
    today = ctx.today()
    return MonthDue(
        households=register_count(ctx, RegisterFilter(due="this_month")),
        overdue=register_count(ctx, RegisterFilter(due="overdue")),
        tasks=store.count_open_tasks(ctx.db, month_bounds(today.year, today.month)[1]),
    )


@dataclass
class PlanRow:
    """One planned visit on the monthly sheet."""

    case_id: int
    case_no: str
    list_name: str
    names: str
    size: int
    township: str
    village: str
    cadre: str
    planned_on: dt.date
    carried: bool  # due before this month and not yet visited
    visited_on: dt.date | None = None
    visitors: str = ""


@dataclass
class MonthPlan:
    year: int
    month: int
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def title_month(self) -> str:
        return f"{self.year}年{self.month}月"


def month_plan(ctx: Context, year: int, month: int, list_id: int | None = None) -> MonthPlan:
    """Every visit planned in the month (and those carried over, overdue), with the visits made."""
    ctx.require("household.read")
    first, last = month_bounds(year, month)
    plan = MonthPlan(year, month)
    f = RegisterFilter(list_id=list_id, status="open", today=ctx.today())
    total = store.count_register(ctx.db, f)
    rows = store.register_rows(ctx.db, f, sort="township", limit=max(total, 1))
    in_month = store.visits_between(ctx.db, first, last)
    for r in rows:
        header = cases.case_header(ctx.db, r.id)
        if header is None or header["received_on"] > last:
            continue
        rhythm = r.rhythm
        earlier = [d for d in store.visit_dates(ctx.db, r.id) if d < first]
        due_before = rhythm.next_due(earlier)
        slots: list[PlanRow] = []
        if due_before < first:
            slots.append(PlanRow(r.id, r.case_no, r.list_name, r.names, r.size, r.township, r.village, r.cadre,
                                 due_before, True))
        for d in rhythm.dates_between(max(first, rhythm.start), last):
            slots.append(PlanRow(r.id, r.case_no, r.list_name, r.names, r.size, r.township, r.village, r.cadre,
                                 d, False))
        for v in in_month.get(r.id, []):
            slot = rhythm.slot_for(v.visited_on)
            target = next((s for s in slots if not s.carried and s.planned_on == slot and not s.visited_on), None)
            if target is None:
                target = next((s for s in slots if s.carried and not s.visited_on), None)
            if target is None:
                target = next((s for s in slots if not s.visited_on and s.planned_on >= v.visited_on), None)
            if target is not None:
                target.visited_on, target.visitors = v.visited_on, v.visitors
        plan.rows.extend(slots)
    plan.rows.sort(key=lambda p: (p.township, p.village, p.planned_on, p.case_no))
    return plan


# --- counts for the statistics ------------------------------------------------------------------

@dataclass
class TownshipCount:
    township: str
    visits: int  # 户次
    households: int  # households (or persons) visited
    cash_fen: int
    goods_fen: int


@dataclass
class VisitCounts:
    first: dt.date
    last: dt.date
    visits: int
    households: int
    cash_fen: int
    goods_fen: int
    by_kind: dict[str, int]  # visit / solace / assist -> visits
    by_township: list[TownshipCount]

    @property
    def given_fen(self) -> int:
        return self.cash_fen + self.goods_fen


def counts(ctx: Context, first: dt.date, last: dt.date, list_id: int | None = None) -> VisitCounts:
    """Visits (户次), households visited, cash and goods given from `first` to `last` (both included),
    in total and per township; optionally for one care list."""
    ctx.require("household.read")
    if last < first:
        raise ValidationError({"last": "结束日期不能早于开始日期"})
    visits, households, cash, goods, kinds = store.visit_totals(ctx.db, first, last, list_id)
    by_township = [TownshipCount(*row) for row in store.visit_counts(ctx.db, first, last, list_id)]
    return VisitCounts(first, last, visits, households, cash, goods,
                       {k: kinds.get(k, 0) for k in rules.VISIT_KINDS}, by_township)


def refresh_clock(db: sqlite_utils.Database, case_id: int) -> None:
    """The case row's next visit and open flag recomputed from the household as it is (services/undo.py,
    after the 主任 undoes a step)."""
    _refresh_due(db, case_id)
