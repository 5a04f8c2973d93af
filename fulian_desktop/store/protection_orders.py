"""人身安全保护令 applications, rulings, extensions and violations (tables protection_orders, order_violations)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.protection_order import Application, Order, Violation
from .cases import of_township, township_rows

if TYPE_CHECKING:
    import sqlite_utils

_ORDER = ("id, case_id, respondent, respondent_relation, respondent_address, requests, facts, evidence, court, urgent, "
          "on_behalf, wishes, consent_on, filed_at, outcome, ruled_on, order_no, ordered, ends_on, "
          "extension_filed_on, outcome_note, staff")
_VIOLATION = "id, case_id, order_id, occurred_on, what, reported_on, reported_to, staff"


def add(db: sqlite_utils.Database, case_id: int, a: Application, staff: str, now: dt.datetime) -> int:
    row = db.table("protection_orders").insert({
        "case_id": case_id, "respondent": a.respondent, "respondent_relation": a.respondent_relation,
        "respondent_address": a.respondent_address, "requests": "\n".join(a.requests), "facts": a.facts,
        "evidence": "\n".join(a.evidence), "court": a.court, "urgent": int(a.urgent), "on_behalf": int(a.on_behalf),
        "wishes": a.wishes, "consent_on": to_iso(a.consent_on), "staff": staff,
        "created_at": now.isoformat(timespec="seconds")})
    assert isinstance(row.last_pk, int)
    return row.last_pk


def _lines(text: object) -> list[str]:
    return [x for x in str(text).split("\n") if x]


def _order(r: tuple[Any, ...]) -> Order:
    a = Application(respondent=str(r[2]), respondent_relation=str(r[3]), respondent_address=str(r[4]),
                    requests=_lines(r[5]), facts=str(r[6]), evidence=_lines(r[7]), court=str(r[8]),
                    urgent=bool(r[9]), on_behalf=bool(r[10]), wishes=str(r[11]), consent_on=from_iso(r[12]))
    return Order(a, id=int(r[0]), case_id=int(r[1]),
                 filed_at=dt.datetime.fromisoformat(r[13]) if r[13] else None, outcome=str(r[14]),
                 ruled_on=from_iso(r[15]), order_no=str(r[16]), ordered=str(r[17]), ends_on=from_iso(r[18]),
                 extension_filed_on=from_iso(r[19]), outcome_note=str(r[20]), staff=str(r[21]))


def orders_of(db: sqlite_utils.Database, case_id: int) -> list[Order]:
    return [_order(r) for r in db.execute(
        f"SELECT {_ORDER} FROM protection_orders WHERE case_id = ? ORDER BY id", [case_id]).fetchall()]


def get(db: sqlite_utils.Database, order_id: int) -> Order | None:
    r = db.execute(f"SELECT {_ORDER} FROM protection_orders WHERE id = ?", [order_id]).fetchone()
    return _order(r) if r else None


def set_filed(db: sqlite_utils.Database, order_id: int, court: str, filed_at: dt.datetime) -> None:
    db.execute("UPDATE protection_orders SET court = ?, filed_at = ? WHERE id = ?",
               [court, filed_at.isoformat(timespec="seconds"), order_id])


def set_ruling(db: sqlite_utils.Database, o: Order) -> None:
    db.execute("UPDATE protection_orders SET outcome = ?, ruled_on = ?, order_no = ?, ordered = ?, ends_on = ?, "
               "outcome_note = ? WHERE id = ?",
               [o.outcome, to_iso(o.ruled_on), o.order_no, o.ordered, to_iso(o.ends_on), o.outcome_note, o.id])


def set_extension(db: sqlite_utils.Database, order_id: int, filed_on: dt.date | None,
                  ends_on: dt.date | None = None) -> None:
    if ends_on is None:
        db.execute("UPDATE protection_orders SET extension_filed_on = ? WHERE id = ?", [to_iso(filed_on), order_id])
    else:
        db.execute("UPDATE protection_orders SET extension_filed_on = ?, ends_on = ? WHERE id = ?",
                   [to_iso(filed_on), to_iso(ends_on), order_id])


def add_violation(db: sqlite_utils.Database, case_id: int, v: Violation, now: dt.datetime) -> int:
    row = db.table("order_violations").insert({
        "case_id": case_id, "order_id": v.order_id, "occurred_on": to_iso(v.occurred_on), "what": v.what,
        "reported_on": to_iso(v.reported_on), "reported_to": v.reported_to, "staff": v.staff,
        "created_at": now.isoformat(timespec="seconds")})
    assert isinstance(row.last_pk, int)
    return row.last_pk


def _violation(r: tuple[Any, ...]) -> Violation:
    return Violation(occurred_on=from_iso(r[3]), what=str(r[4]), reported_on=from_iso(r[5]),  # type: ignore[arg-type]
                     reported_to=str(r[6]), staff=str(r[7]), id=int(r[0]), case_id=int(r[1]), order_id=int(r[2]))


def violations_of(db: sqlite_utils.Database, case_id: int) -> list[Violation]:
    return [_violation(r) for r in db.execute(
        f"SELECT {_VIOLATION} FROM order_violations WHERE case_id = ? ORDER BY occurred_on, id", [case_id]).fetchall()]


def violation(db: sqlite_utils.Database, violation_id: int) -> Violation | None:
    r = db.execute(f"SELECT {_VIOLATION} FROM order_violations WHERE id = ?", [violation_id]).fetchone()
    return _violation(r) if r else None


def update_violation(db: sqlite_utils.Database, violation_id: int, v: Violation) -> None:
    """A violation corrected: its day, what he did, when and to whom it was reported (the staff stays)."""
    db.execute("UPDATE order_violations SET occurred_on = ?, what = ?, reported_on = ?, reported_to = ? WHERE id = ?",
               [to_iso(v.occurred_on), v.what, to_iso(v.reported_on), v.reported_to, violation_id])


def set_reported(db: sqlite_utils.Database, violation_id: int, on: dt.date, to: str) -> None:
    db.execute("UPDATE order_violations SET reported_on = ?, reported_to = ? WHERE id = ?", [to_iso(on), to, violation_id])


# --- across the office: the start page and the figures ------------------------------------------------------

def waiting_rulings(db: sqlite_utils.Database) -> list[tuple[int, str, str, dt.datetime, bool]]:
    """Applications filed and not yet ruled: (case id, case number, names, filed at, urgent)."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.names, o.filed_at, o.urgent FROM protection_orders o JOIN cases c ON c.id = o.case_id
           WHERE o.outcome = '' AND o.filed_at IS NOT NULL ORDER BY o.filed_at""").fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), dt.datetime.fromisoformat(r[3]), bool(r[4])) for r in rows]


def ending(db: sqlite_utils.Database, today: dt.date, until: dt.date) -> list[tuple[int, str, str, dt.date, bool]]:
    """Orders in force whose last day falls from `today` to `until`: (case id, case number, names, ends on,
    extension asked)."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.names, o.ends_on, o.extension_filed_on IS NOT NULL FROM protection_orders o
           JOIN cases c ON c.id = o.case_id
           WHERE o.outcome = 'granted' AND o.ends_on BETWEEN ? AND ? ORDER BY o.ends_on""",
        [to_iso(today), to_iso(until)]).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3]), bool(r[4])) for r in rows]  # type: ignore[misc]


def unreported_violations(db: sqlite_utils.Database) -> list[tuple[int, str, str, dt.date]]:
    """Violations not yet reported to the court or the police: (case id, case number, names, when it happened)."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.names, v.occurred_on FROM order_violations v JOIN cases c ON c.id = v.case_id
           WHERE v.reported_on IS NULL ORDER BY v.occurred_on""").fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3])) for r in rows]  # type: ignore[misc]


def in_force_for_person(db: sqlite_utils.Database, person_id: int, today: dt.date) -> list[tuple[int, str, dt.date]]:
    """Orders in force today protecting this woman (her cases): (case id, case number, last day)."""
    rows = db.execute(
        """SELECT c.id, c.case_no, o.ends_on FROM protection_orders o JOIN cases c ON c.id = o.case_id
           WHERE c.person_id = ? AND o.outcome = 'granted' AND o.ruled_on <= ? AND o.ends_on >= ?
           ORDER BY o.ends_on""", [person_id, to_iso(today), to_iso(today)]).fetchall()
    return [(int(r[0]), str(r[1]), from_iso(r[2])) for r in rows]  # type: ignore[misc]


def counts(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date,
           township: str | None = None) -> dict[str, int]:
    """For the figures: applications made (created) within the period, of them on her behalf and urgent; orders
    granted and refused within it; orders in force on its last day; orders that ended within it; violations within
    it and how many of them were reported. Of one township's cases when given."""
    f, t = to_iso(date_from), to_iso(date_to)
    where, args = township_rows(township)
    r = db.execute(
        """SELECT
             SUM(date(created_at) BETWEEN :f AND :t),
             SUM(date(created_at) BETWEEN :f AND :t AND on_behalf = 1),
             SUM(date(created_at) BETWEEN :f AND :t AND urgent = 1),
             SUM(outcome = 'granted' AND ruled_on BETWEEN :f AND :t),
             SUM(outcome = 'refused' AND ruled_on BETWEEN :f AND :t),
             SUM(outcome = 'granted' AND ruled_on <= :t AND ends_on >= :t),
             SUM(outcome = 'granted' AND ends_on BETWEEN :f AND :t AND ends_on < :t)
           FROM protection_orders""" + (f" WHERE {of_township('case_id', ':township')}" if township is not None else ""),
        {"f": f, "t": t, "township": township}).fetchone()
    v = db.execute("SELECT count(*), SUM(reported_on IS NOT NULL) FROM order_violations "
                   f"WHERE occurred_on BETWEEN ? AND ?{where}", [f, t, *args]).fetchone()
    keys = ("applied", "on_behalf", "urgent", "granted", "refused", "in_force", "ended")
    out = {k: int(x or 0) for k, x in zip(keys, r, strict=True)}
    out["violations"], out["violations_reported"] = int(v[0] or 0), int(v[1] or 0)
    return out
