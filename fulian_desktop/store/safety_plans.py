"""Safety plans (table safety_plans): each version kept, the latest in force."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.safety_plan import SafetyPlan, SafetyPlanForm

if TYPE_CHECKING:
    import sqlite_utils


def add(db: sqlite_utils.Database, case_id: int, person_id: int | None, f: SafetyPlanForm, staff: str,
        now: dt.datetime) -> int:
    cur = db.execute(
        "INSERT INTO safety_plans (case_id, person_id, made_on, safe_place, contacts, documents, children, other, "
        "staff, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [case_id, person_id, to_iso(f.made_on), f.safe_place, f.contacts, f.documents, f.children, f.other, staff,
         now.isoformat(timespec="seconds")])
    return int(cur.lastrowid or 0)


_SELECT = ("SELECT s.id, s.case_id, c.case_no, s.made_on, s.safe_place, s.contacts, s.documents, s.children, "
           "s.other, s.staff FROM safety_plans s JOIN cases c ON c.id = s.case_id ")


def _plan(r: tuple[Any, ...]) -> SafetyPlan:
    on = from_iso(r[3])
    assert on is not None
    return SafetyPlan(int(r[0]), int(r[1]), r[2], on, *r[4:10])


def latest(db: sqlite_utils.Database, case_id: int) -> SafetyPlan | None:
    r = db.execute(_SELECT + "WHERE s.case_id = ? ORDER BY s.made_on DESC, s.id DESC LIMIT 1", [case_id]).fetchone()
    return _plan(r) if r else None


def count(db: sqlite_utils.Database, case_id: int) -> int:
    return int(db.execute("SELECT count(*) FROM safety_plans WHERE case_id = ?", [case_id]).fetchone()[0])


def latest_of_person(db: sqlite_utils.Database, person_id: int) -> SafetyPlan | None:
    r = db.execute(_SELECT + "WHERE s.person_id = ? OR s.case_id IN (SELECT id FROM cases WHERE person_id = ?) "
                   "ORDER BY s.made_on DESC, s.id DESC LIMIT 1", [person_id, person_id]).fetchone()
    return _plan(r) if r else None
