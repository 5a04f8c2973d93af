"""Correcting a saved record: what every kind's `correct` service shares (the rules are in
domain/corrections.py). None of these checks a permission: the kind's `correct` does that first.

A kind's service reads (petitions.correct is the worked example):

    def correct(ctx, case_id, form, reason="", scope="") -> list[Correction]:
        ctx.require("<kind>.write")                         # the kind's write right, checked here
        old = <load>; new = <the kind's validate>(form)
        people = [PersonEdit(...), ...]                     # her (and others') details, if the form has them
        changes = compare(<kind values>(old), <kind values>(new), LABELS) + person_changes(ctx.db, case_id, people)
        if not changes:
            return []
        reason = check_reason(reason, grounds_of(ctx.db, case_id, closed=...))   # ReasonRequired
        check_scope(ctx.db, case_id, people, scope)                              # ScopeQuestion
        with ctx.action(**audit_of(reason)) as db:          # one transaction; the trail's entry: 更正, reason
            <write only the changed fields>
            write_people(db, case_id, people, scope, now)
            add_note(db, case_id, now, ctx.who(), changes, reason)   # the timeline's 更正：… line
            <refresh the clock, reindex>
        return changes

A kind whose people each have a row of their own in the case (a household's members, a mediation's parties) pairs
them (pair_people), finds what changed with listed_changes and writes it with write_listed.

The case number is never among the fields a correction writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..domain import corrections as rules
from ..domain.corrections import CASE_ONLY, TIME_BOUND, Correction, ScopeQuestion
from ..domain.errors import ValidationError
from ..domain.masking import mask_text
from ..domain.records import Person
from ..store import audit as audit_store
from ..store import cases, gaps, people, search

if TYPE_CHECKING:
    import sqlite_utils

AUDIT_EVENT = "case.correct"
RELINKED = "（档案中已有的人）"


def audit_of(reason: str) -> dict[str, Any]:
    """The arguments of `ctx.action` for a correction: its entry is named 更正 and carries the reason
    (masked: no ID number or phone in the trail's entries)."""
    return {"event": AUDIT_EVENT, "detail": {"reason": mask_text(reason)} if reason else {}}


def grounds_of(db: sqlite_utils.Database, case_id: int, *, closed: str = "", signed: bool = False) -> list[str]:
    """What official rests on the case (domain.corrections.grounds): a print in the audit trail, a signed
    agreement, and what closed it (`closed`, e.g. "已办结"; "" while open)."""
    return rules.grounds(printed=audit_store.printed(db, case_id), signed=signed, closed=closed)


def add_note(db: sqlite_utils.Database, case_id: int, at: dt.datetime, staff: str, changes: Sequence[Correction],
             reason: str) -> None:
    """The timeline's line for the correction (masked), and the case's last change time."""
    cases.update_case(db, case_id, at)
    cases.add_timeline(db, case_id, at, staff, rules.TIMELINE_ACTION, rules.timeline_note(changes, reason))
    gaps.filled(db, case_id, [c.field for c in changes] + [c.label for c in changes])  # no longer 待补全


# --- people ----------------------------------------------------------------------------------------------


@dataclass
class PersonEdit:
    """One person of a case in a correction: `role` her role in case_people, `role_label` its word (信访人,
    当事妇女, 申请人), `prefix` the form's key prefix ("petitioner."), `label_prefix` put before each field's
    label in the timeline ("" for the woman herself, "当事妇女" for a second person), `saved` as the case
    shows her (None: nobody in this role yet), `typed` the validated form's person (None: the role emptied;
    `typed.id` another person on file: the case now names her), `position` her place when added."""

    role: str
    role_label: str
    prefix: str
    label_prefix: str
    saved: Person | None
    typed: Person | None
    position: int = 0

    @property
    def relinked(self) -> bool:
        return (self.saved is not None and self.typed is not None and self.typed.id is not None
                and self.typed.id != self.saved.id)

    def same_person(self) -> bool:
        return self.saved is not None and self.typed is not None and not self.relinked


T = TypeVar("T")


def pair_people(saved: Sequence[T], typed: Sequence[T], person: Callable[[T], Person]
                ) -> list[tuple[T | None, T | None, int]]:
    """A list of people in a case (a mediation's applicants, a household's members) as saved and as corrected
    on the form: (saved, typed, place on the form). The same person on file pairs with herself; another
    person on file chosen on the form takes the place of one no longer named; a person typed anew is added
    (saved None) and one no longer named is taken off (typed None) — never does a new person's details
    overwrite someone else's record."""
    left = list(saved)
    pairs: list[tuple[T | None, T | None, int]] = []
    rest: list[tuple[int, T]] = []
    for i, t in enumerate(typed):
        pid = person(t).id
        same = next((p for p in left if pid is not None and person(p).id == pid), None)
        if same is not None:
            left.remove(same)
            pairs.append((same, t, i))
        else:
            rest.append((i, t))
    for i, t in rest:
        pairs.append((left.pop(0) if person(t).id is not None and left else None, t, i))
    pairs.sort(key=lambda x: x[2])
    return pairs + [(p, None, len(typed)) for p in left]


def person_changes(db: sqlite_utils.Database, case_id: int, edits: Sequence[PersonEdit]) -> list[Correction]:
    """What the corrections change about the people of the case; an ID number that another person on file
    holds is refused (ValidationError keyed `prefix + "id_number"`)."""
    out: list[Correction] = []
    errors: dict[str, str] = {}
    seen: dict[int, str] = {}
    for e in edits:
        person_id = None
        if e.typed is not None:
            person_id = e.typed.id if e.relinked else (e.saved.id if e.saved else None)
        if person_id is not None:
            if person_id in seen:
                errors[e.prefix + "name"] = f"{e.role_label}与{seen[person_id]}是同一人，请分别填写或不填"
            seen[person_id] = e.role_label
        if e.saved is None and e.typed is None:
            continue
        if e.saved is None or e.typed is None or e.relinked:
            before = e.saved.name if e.saved else ""
            after = (e.typed.name + (RELINKED if e.relinked else "")) if e.typed else ""
            out.append(Correction(e.role, e.role_label, before, after))
        if e.typed is not None and e.typed.id_number:
            owner = people.find_by_id_number(db, e.typed.id_number)
            mine = e.typed.id if e.relinked else (e.saved.id if e.saved else None)
            if owner is not None and owner.id != mine:
                errors[e.prefix + "id_number"] = (f"这个身份证号已登记在档案中的“{owner.name}”名下；如是同一人，"
                                                  "请在上方的提示中点“是同一人，关联”")
        if e.same_person():
            assert e.saved is not None and e.typed is not None
            out += rules.compare(rules.person_values(e.saved, e.prefix), rules.person_values(e.typed, e.prefix),
                                 rules.person_labels(e.prefix, e.label_prefix))
    if errors:
        raise ValidationError(errors)
    return out


def _time_bound_changed(e: PersonEdit) -> list[str]:
    assert e.saved is not None and e.typed is not None
    return [f for f in TIME_BOUND if rules.shown(getattr(e.saved, f)) != rules.shown(getattr(e.typed, f))]


def check_scope(db: sqlite_utils.Database, case_id: int, edits: Sequence[PersonEdit], scope: str) -> None:
    """ScopeQuestion when her address or marital status was corrected on a case that is not her latest and
    this case does not already keep its own (then it is this case's, no question) — unless `scope` answers
    it (CASE_ONLY or EVERYWHERE)."""
    if scope:
        return
    labels: list[str] = []
    later = 0
    for e in edits:
        if not e.same_person():
            continue
        assert e.saved is not None and e.saved.id is not None
        kept = people.then_of(db, case_id, e.saved.id)
        fields = [f for f in _time_bound_changed(e) if f not in kept]
        if not fields:
            continue
        n = people.later_cases(db, e.saved.id, case_id)
        if n:
            labels += [rules.PERSON_LABELS[f] for f in fields]
            later = max(later, n)
    if labels:
        raise ScopeQuestion(labels, later)


def write_people(db: sqlite_utils.Database, case_id: int, edits: Sequence[PersonEdit], scope: str,
                 now: dt.datetime) -> dict[str, int]:
    """Write the people's corrections: her record once (seen in all her cases: their list names and search
    index follow), or — for a time-bound detail on an older case, when `scope` is CASE_ONLY, or when this
    case already keeps its own — this case only. A new person in a role is added (or found by her ID
    number), a removed one taken off the case, another person on file put in her place. Returns
    {role: person id} of the people the case names now."""
    ids: dict[str, int] = {}
    for e in edits:
        if e.typed is None:
            if e.saved is not None and e.saved.id is not None:
                cases.remove_person(db, case_id, e.saved.id, e.role)
            continue
        if e.saved is None:
            new = Person(**{**e.typed.__dict__})
            person_id = people.attach_or_add(db, new, now)
            cases.add_person(db, case_id, person_id, e.role, e.position)
            ids[e.role] = person_id
            continue
        assert e.saved.id is not None
        if e.relinked:
            assert e.typed.id is not None
            people.save(db, e.typed, now)
            cases.replace_person(db, case_id, e.role, e.saved.id, e.typed.id)
            ids[e.role] = e.typed.id
            _reindex_cases_of(db, e.typed.id)
            continue
        person_id = e.saved.id
        ids[e.role] = person_id
        kept = people.then_of(db, case_id, person_id)
        record: dict[str, Any] = {}
        for f in rules.PERSON_LABELS:
            before, after = getattr(e.saved, f), getattr(e.typed, f)
            if rules.shown(before) == rules.shown(after):
                continue
            if f in TIME_BOUND and (f in kept or scope == CASE_ONLY):
                people.set_then(db, case_id, person_id, f, after or "")
            else:
                record[f] = after if after is not None else ("" if f != "birth_date" else None)
        if not record:
            continue
        known = people.get(db, person_id)
        people.update_fields(db, person_id, record, now)
        if "name" in record:
            for other in people.case_ids_of(db, person_id):
                row = db.execute("SELECT names FROM cases WHERE id = ?", [other]).fetchone()
                renamed = rules.rename_in(row[0], known.name, record["name"])
                if renamed != row[0]:
                    db.execute("UPDATE cases SET names = ? WHERE id = ?", [renamed, other])
        if {"name", "id_number", "phone"} & set(record):
            _reindex_cases_of(db, person_id)
    return ids


# --- a list of people with a row of their own in the case (a household's members, a mediation's parties) ------


class Listed(Protocol):
    @property
    def person(self) -> Person: ...


L = TypeVar("L", bound=Listed)
Listing = Sequence[tuple[PersonEdit, L | None, L | None]]  # (her edit, her row as saved, as corrected): pair_people


def listed_changes(db: sqlite_utils.Database, case_id: int, edits: Listing[L],
                   own: Callable[[PersonEdit, L, L], list[Correction]]) -> list[Correction]:
    """What a correction changes in the list, person by person: her record's changes, then her row's (`own`, for
    one saved and still named). The same person named twice, or an ID number another person on file holds, is
    refused (ValidationError) before anything."""
    person_changes(db, case_id, [e for e, _s, _t in edits])
    out: list[Correction] = []
    for e, saved, typed in edits:
        out += person_changes(db, case_id, [e])
        if saved is not None and typed is not None:
            out += own(e, saved, typed)
    return out


def write_listed(db: sqlite_utils.Database, case_id: int, edits: Listing[L], scope: str, now: dt.datetime, *,
                 fields: Callable[[PersonEdit], Sequence[str]],
                 remove: Callable[[sqlite_utils.Database, int, int], None],
                 add: Callable[[sqlite_utils.Database, int, int, L], None],
                 relink: Callable[[sqlite_utils.Database, int, int, int], None],
                 update: Callable[..., None]) -> None:
    """Write the corrected list: each person's record (write_people), then her row — taken off (`remove`), added
    (`add`), moved to another person on file (`relink`), and the row's `fields` that changed (`update`); the
    store's functions of the kind, each (db, case_id, person id …)."""
    for e, saved, typed in edits:
        ids = write_people(db, case_id, [e], scope, now)
        if typed is None:
            assert saved is not None and saved.person.id is not None
            remove(db, case_id, saved.person.id)
        elif saved is None:
            add(db, case_id, ids[e.role], typed)
        else:
            assert saved.person.id is not None
            if e.relinked:
                relink(db, case_id, saved.person.id, ids[e.role])
            update(db, case_id, ids[e.role], **{k: getattr(typed, k) for k in fields(e)
                                                if getattr(typed, k) != getattr(saved, k)})


def _reindex_cases_of(db: sqlite_utils.Database, person_id: int) -> None:
    for other in people.case_ids_of(db, person_id):
        search.reindex(db, other)
