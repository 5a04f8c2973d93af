"""Risk assessments and the checklist they ask (tables risk_items, risk_assessments; thresholds in settings)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.dv_risk import Answer, Assessment, RiskForm, RiskItem, Thresholds
from . import settings

if TYPE_CHECKING:
    import sqlite_utils

HIGH_KEY, MEDIUM_KEY = "risk.high_from", "risk.medium_from"


def items(db: sqlite_utils.Database, include_inactive: bool = False) -> list[RiskItem]:
    rows = db.execute("SELECT code, question, weight, critical, source, active FROM risk_items "
                      + ("" if include_inactive else "WHERE active = 1 ") + "ORDER BY position, id").fetchall()
    return [RiskItem(r[0], r[1], int(r[2]), bool(r[3]), r[4], bool(r[5])) for r in rows]


def thresholds(db: sqlite_utils.Database) -> Thresholds:
    t = Thresholds()
    return Thresholds(int(settings.get(db, HIGH_KEY) or t.high_from), int(settings.get(db, MEDIUM_KEY) or t.medium_from))


def save_items(db: sqlite_utils.Database, new: list[RiskItem], t: Thresholds) -> None:
    """The checklist as the administrator left it: items kept by code (an unknown code is a new item)."""
    old = {r[0] for r in db.execute("SELECT code FROM risk_items").fetchall()}
    for position, i in enumerate(new, 1):
        values = [position, i.question, i.weight, int(i.critical), i.source, int(i.active)]
        if i.code in old:
            db.execute("UPDATE risk_items SET position = ?, question = ?, weight = ?, critical = ?, source = ?, "
                       "active = ? WHERE code = ?", [*values, i.code])
        else:
            db.execute("INSERT INTO risk_items (position, question, weight, critical, source, active, code) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", [*values, i.code])
    settings.put(db, HIGH_KEY, str(t.high_from))
    settings.put(db, MEDIUM_KEY, str(t.medium_from))


def codes(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT code FROM risk_items").fetchall()}


def add(db: sqlite_utils.Database, case_id: int, person_id: int | None, form: RiskForm, answers: list[Answer],
        score: int, computed: str, staff: str, now: dt.datetime) -> int:
    cur = db.execute(
        "INSERT INTO risk_assessments (case_id, person_id, assessed_on, occasion, answers, score, computed_level, "
        "level, level_reason, note, staff, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [case_id, person_id, to_iso(form.assessed_on), form.occasion,
         json.dumps([a.__dict__ for a in answers], ensure_ascii=False), score, computed, form.level,
         form.level_reason, form.note, staff, now.isoformat(timespec="seconds")])
    return int(cur.lastrowid or 0)


_SELECT = ("SELECT a.id, a.case_id, c.case_no, a.assessed_on, a.occasion, a.answers, a.score, a.computed_level, "
           "a.level, a.level_reason, a.note, a.staff FROM risk_assessments a JOIN cases c ON c.id = a.case_id ")


def _assessment(r: tuple[Any, ...]) -> Assessment:
    answers = tuple(Answer(**a) for a in json.loads(r[5]))
    on = from_iso(r[3])
    assert on is not None
    return Assessment(int(r[0]), int(r[1]), r[2], on, r[4], answers, int(r[6]), r[7], r[8], r[9], r[10], r[11])


def of_case(db: sqlite_utils.Database, case_id: int) -> list[Assessment]:
    """Oldest first."""
    return [_assessment(r) for r in db.execute(_SELECT + "WHERE a.case_id = ? ORDER BY a.assessed_on, a.id",
                                               [case_id]).fetchall()]


def of_person(db: sqlite_utils.Database, person_id: int) -> list[Assessment]:
    """Every assessment of her, in any of her cases; oldest first."""
    return [_assessment(r) for r in db.execute(
        _SELECT + "WHERE a.person_id = ? OR a.case_id IN (SELECT id FROM cases WHERE person_id = ?) "
        "ORDER BY a.assessed_on, a.id", [person_id, person_id]).fetchall()]


def get(db: sqlite_utils.Database, assessment_id: int) -> Assessment | None:
    r = db.execute(_SELECT + "WHERE a.id = ?", [assessment_id]).fetchone()
    return _assessment(r) if r else None
