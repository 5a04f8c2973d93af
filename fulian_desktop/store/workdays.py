"""The holiday table (workday_calendar): China's official holidays and 调休 working days, by year."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.dates import from_iso, to_iso
from ..domain.workdays import Calendar

if TYPE_CHECKING:
    import sqlite_utils


def calendar(db: sqlite_utils.Database) -> Calendar:
    return Calendar.of([(from_iso(d), str(k)) for d, k in db.execute(  # type: ignore[misc]
        "SELECT day, kind FROM workday_calendar").fetchall()])


def add_day(db: sqlite_utils.Database, day: dt.date, kind: str, name: str) -> None:
    db.execute("INSERT INTO workday_calendar (day, kind, name) VALUES (?, ?, ?) "
               "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name", [to_iso(day), kind, name])


def days_of(db: sqlite_utils.Database, year: int) -> list[tuple[dt.date, str, str]]:
    return [(from_iso(d), str(k), str(n)) for d, k, n in db.execute(  # type: ignore[misc]
        "SELECT day, kind, name FROM workday_calendar WHERE day LIKE ? ORDER BY day", [f"{year}-%"]).fetchall()]


def years(db: sqlite_utils.Database) -> list[tuple[int, int, int]]:
    """The years the table knows: (year, days off, weekend days worked)."""
    return [(int(y), int(h), int(w)) for y, h, w in db.execute(
        "SELECT substr(day, 1, 4), SUM(kind = 'holiday'), SUM(kind = 'workday') FROM workday_calendar "
        "GROUP BY 1 ORDER BY 1").fetchall()]


def replace_year(db: sqlite_utils.Database, year: int, days: list[tuple[dt.date, str, str]]) -> None:
    """A year's days, all of them at once (day, holiday / workday, festival): what was there for it goes."""
    db.execute("DELETE FROM workday_calendar WHERE day LIKE ?", [f"{year}-%"])
    for day, kind, name in days:
        add_day(db, day, kind, name)


def waiting_objection(db: sqlite_utils.Database) -> list[tuple[int, dt.date, dt.date, str]]:
    """Transferred petitions still to be confirmed as the office's: (case id, received on, the last day to object,
    the note when it was counted in calendar days)."""
    return [(int(i), from_iso(r), from_iso(d), str(n)) for i, r, d, n in db.execute(  # type: ignore[misc]
        """SELECT p.case_id, c.received_on, p.objection_due_on, p.objection_note FROM petitions p
           JOIN cases c ON c.id = p.case_id WHERE c.status = 'registered' AND p.objection_due_on IS NOT NULL""").fetchall()]
