"""强制报告 by age: the start page's 家暴防护 box finds the minors (under 18 on the day the case came) and the women of
60 and over by the same rule as the case page (domain.mandatory_report.ground_from_birth, dateutil's relativedelta) —
on birthdays of 29 February and 28 February / 1 March, in leap and common years. Worked out by hand."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from pytestqt.qtbot import QtBot

from fulian_desktop.domain.mandatory_report import ground_from_birth
from fulian_desktop.gui.protection.due_box import ProtectionDueBox
from fulian_desktop.services import mandatory_reports
from fulian_desktop.services.context import Context
from fulian_desktop.store.mandatory_reports import _AGED

from .test_protection_orders import dv_petition

D = dt.date.fromisoformat

# (born, the case came, her ground) — each worked out on the calendar
BY_HAND = [
    # born on 29 February 2008: 18 on 28 February 2026 (a common year), as the case page counts
    ("2008-02-29", "2026-02-27", "minor"),
    ("2008-02-29", "2026-02-28", ""),
    ("2008-02-29", "2026-03-01", ""),
    ("2008-02-28", "2026-02-27", "minor"),
    ("2008-02-28", "2026-02-28", ""),
    ("2008-03-01", "2026-02-28", "minor"),
    ("2008-03-01", "2026-03-01", ""),
    # the case came in a leap year (2028): 29 February is a day of its own
    ("2010-03-01", "2028-02-29", "minor"),
    ("2010-03-01", "2028-03-01", ""),
    ("2010-02-28", "2028-02-27", "minor"),
    ("2010-02-28", "2028-02-28", ""),
    ("2010-02-28", "2028-02-29", ""),
    # 60: born on 29 February 1964, 60 on 29 February 2024 (a leap year), not the day before
    ("1964-02-29", "2024-02-28", ""),
    ("1964-02-29", "2024-02-29", "elderly"),
    ("1964-02-29", "2024-03-01", "elderly"),
    ("1966-02-28", "2026-02-27", ""),
    ("1966-02-28", "2026-02-28", "elderly"),
    ("1966-03-01", "2026-02-28", ""),
    ("1966-03-01", "2026-03-01", "elderly"),
    ("1968-03-01", "2028-02-29", ""),
    ("1968-03-01", "2028-03-01", "elderly"),
    ("1968-02-28", "2028-02-28", "elderly"),
    # a birthday of 29 February whose 60th falls in a common century year: 28 February 1900
    ("1840-02-29", "1900-02-27", ""),
    ("1840-02-29", "1900-02-28", "elderly"),
]


def _aged(birth: str, on: str) -> bool:
    """The start page's SQL condition (store/mandatory_reports._AGED) for one woman and one case."""
    db = sqlite3.connect(":memory:")
    try:
        row = db.execute(f"SELECT {_AGED} FROM (SELECT ? AS birth_date) pe, (SELECT ? AS received_on) c",
                         [birth, on]).fetchone()
    finally:
        db.close()
    return bool(row[0])


@pytest.mark.parametrize(("birth", "on", "ground"), BY_HAND)
def test_the_age_is_counted_by_hand_on_leap_day_birthdays(birth: str, on: str, ground: str) -> None:
    assert ground_from_birth(D(birth), D(on)) == ground
    assert _aged(birth, on) == bool(ground)


def test_the_start_pages_condition_is_the_case_pages_rule_on_every_day_round_the_end_of_february() -> None:
    """Every birthday from 25 February to 3 March of years round the 18th and the 60th, and every day a case may
    have come from 25 February to 3 March of four common and two leap years: the SQL says what the case page says."""
    def days(year: int) -> list[dt.date]:
        return [d for d in (dt.date(year, 2, 25) + dt.timedelta(days=i) for i in range(8)) if d.month < 3 or d.day <= 3]

    births = [d for y in (*range(1962, 1971), *range(2006, 2014)) for d in days(y)]
    cases = [d for y in range(2023, 2031) for d in days(y)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE pe (birth_date TEXT)")
    db.execute("CREATE TABLE c (received_on TEXT)")
    db.executemany("INSERT INTO pe VALUES (?)", [(d.isoformat(),) for d in births])
    db.executemany("INSERT INTO c VALUES (?)", [(d.isoformat(),) for d in cases])
    found = {(D(b), D(o)) for b, o in db.execute(f"SELECT birth_date, received_on FROM pe, c WHERE {_AGED}")}
    db.close()
    expected = {(b, o) for b in births for o in cases if ground_from_birth(b, o)}
    assert len(births) * len(cases) > 5000 and expected
    assert found == expected


def test_the_start_page_lists_a_girl_born_on_29_february_until_the_case_page_says_she_is_18(
        ctx: Context, qtbot: QtBot) -> None:
    """Born on 29 February 2008: a case of 27 February 2026 is a minor's (the report is due, on the case page and
    in the start page's box); one of 28 February 2026 is not — she turned 18 that day — and the box does not
    list it (it did: SQLite's date(…, '+18 years') put her 18th birthday on 1 March)."""
    girl = dv_petition(ctx, birth=dt.date(2008, 2, 29), received=dt.date(2026, 2, 27))
    adult = dv_petition(ctx, birth=dt.date(2008, 2, 29), received=dt.date(2026, 2, 28))
    assert mandatory_reports.need(ctx, girl).ground == "minor"
    assert mandatory_reports.need(ctx, adult).ground == ""
    box = ProtectionDueBox(ctx)
    qtbot.addWidget(box)
    box.show()
    listed = [r.case_id for r in box.model._rows]
    assert girl in listed and adult not in listed
    shown = box.table.rows()
    assert len(shown) == 1 and shown[0][2] == "强制报告：向公安机关报案"
