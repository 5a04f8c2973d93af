"""强制报告 (table mandatory_reports): a victim who cannot protect herself reported to the police."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.mandatory_report import ELDERLY_FROM, MINOR_BELOW, Report
from .cases import township_rows

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = "id, case_id, ground, found_on, reported_on, reported_to, way, receipt_no, note, staff"


def _report(r: tuple[Any, ...]) -> Report:
    return Report(ground=str(r[2]), found_on=from_iso(r[3]), reported_on=from_iso(r[4]),  # type: ignore[arg-type]
                  reported_to=str(r[5]), way=str(r[6]), receipt_no=str(r[7]), note=str(r[8]), staff=str(r[9]),
                  id=int(r[0]), case_id=int(r[1]))


def of_case(db: sqlite_utils.Database, case_id: int) -> Report | None:
    r = db.execute(f"SELECT {_COLUMNS} FROM mandatory_reports WHERE case_id = ?", [case_id]).fetchone()
    return _report(r) if r else None


def save(db: sqlite_utils.Database, case_id: int, r: Report, now: dt.datetime) -> None:
    """The case's report (one a case): its ground and, once made, when and to whom it was made."""
    values = {"ground": r.ground, "found_on": to_iso(r.found_on), "reported_on": to_iso(r.reported_on),
              "reported_to": r.reported_to, "way": r.way, "receipt_no": r.receipt_no, "note": r.note, "staff": r.staff}
    existing = db.execute("SELECT id FROM mandatory_reports WHERE case_id = ?", [case_id]).fetchone()
    if existing:
        db.table("mandatory_reports").update(existing[0], values)
    else:
        db.table("mandatory_reports").insert({"case_id": case_id, **values,
                                              "created_at": now.isoformat(timespec="seconds")})


def _turns(years: int) -> str:
    """SQL: the day the woman `pe` turns `years`, as domain.dates.age_on counts (the case page's rule): her birthday
    that year — for one born on 29 February, 28 February in a common year (SQLite's date(…, '+18 years') gives
    1 March there, and a case that came on 28 February was listed as a minor's that the case page did not ask for)."""
    return (f"CASE WHEN substr(pe.birth_date, 6) = '02-29' "
            f"THEN date((substr(pe.birth_date, 1, 4) + {years}) || '-03-01', '-1 day') "
            f"ELSE date(pe.birth_date, '+{years} years') END")


# the woman's age on the day the case came, in SQL: under 18, or 60 and over (rules.ground_from_birth)
_AGED = f"({_turns(MINOR_BELOW)} > c.received_on OR {_turns(ELDERLY_FROM)} <= c.received_on)"


def unreported(db: sqlite_utils.Database, dv_condition: str) -> list[tuple[int, str, str, dt.date]]:
    """Reports still to make, across the office: those recorded as needed and not made, and the open cases about
    domestic violence (`dv_condition`, an SQL condition on the case `c`) whose woman was a minor or 60 or older
    when the case came and that have no report recorded. (case id, case number, names, due since).
    The open cases (with their kind: migration 0040), their women's birth dates and whether each is about domestic
    violence are read from the small indexes of migration 0027 (pass protection.DV_CONDITION_BY_KIND): reading
    every open case's row, her row and her petition took a third of a second after sign-in at 100,000 cases."""
    rows = db.execute(
        f"""SELECT c.id, c.case_no, c.names, m.found_on FROM mandatory_reports m JOIN cases c ON c.id = m.case_id
            WHERE m.reported_on IS NULL
            UNION ALL
            SELECT c.id, c.case_no, c.names, c.received_on FROM cases c INDEXED BY cases_open_people
              JOIN people pe INDEXED BY people_born ON pe.id = c.person_id
            WHERE c.is_open = 1 AND pe.birth_date IS NOT NULL AND {_AGED}
              AND NOT EXISTS (SELECT 1 FROM mandatory_reports m WHERE m.case_id = c.id) AND ({dv_condition})
            ORDER BY 4""").fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3])) for r in rows]  # type: ignore[misc]


def counts(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date,
           township: str | None = None) -> dict[str, int]:
    """For the figures: reports needed (found) within the period, made, made on the day found, by ground; of one
    township's cases when given."""
    f, t = to_iso(date_from), to_iso(date_to)
    where, args = township_rows(township)
    r = db.execute("SELECT count(*), SUM(reported_on IS NOT NULL), SUM(reported_on IS NOT NULL AND reported_on <= "
                   f"found_on) FROM mandatory_reports WHERE found_on BETWEEN ? AND ?{where}", [f, t, *args]).fetchone()
    out = {"needed": int(r[0] or 0), "reported": int(r[1] or 0), "reported_on_time": int(r[2] or 0)}
    for ground, n in db.execute(f"SELECT ground, count(*) FROM mandatory_reports WHERE found_on BETWEEN ? AND ?{where} "
                                "GROUP BY ground", [f, t, *args]).fetchall():
        out[f"ground:{ground}"] = int(n)
    return out
