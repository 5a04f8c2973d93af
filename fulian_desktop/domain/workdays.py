"""Working days in China: Monday to Friday, less the official holidays, plus the weekend days worked in exchange
(调休). The office's table (db/migrations/0016_workday_calendar.sql, extended by the administrator) knows whole
years; a clock that runs into a year the table does not know is counted in calendar days, and says so. No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .dates import format_cn


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[dt.date] = frozenset()  # days off (whatever the weekday)
    workdays: frozenset[dt.date] = frozenset()  # weekend days worked (调休)
    years: frozenset[int] = field(default=frozenset())  # the years the table knows

    @classmethod
    def of(cls, rows: list[tuple[dt.date, str]]) -> Calendar:
        """From the table's rows (day, holiday / workday)."""
        return cls(frozenset(d for d, k in rows if k == "holiday"), frozenset(d for d, k in rows if k == "workday"),
                   frozenset(d.year for d, _k in rows))

    def knows(self, d: dt.date) -> bool:
        return d.year in self.years

    def is_workday(self, d: dt.date) -> bool:
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays


@dataclass(frozen=True)
class Due:
    on: dt.date
    in_workdays: bool  # False: the table did not know a year on the way, so calendar days were counted
    note: str = ""  # what the clerk is told when calendar days were counted


def add_workdays(cal: Calendar, start: dt.date, n: int) -> Due:
    """The day `n` working days after `start` (the day itself not counted). When a day on the way lies in a year
    the table does not know, `n` calendar days are counted instead, and the note says so."""
    d, left = start, n
    while left > 0:
        d += dt.timedelta(days=1)
        if not cal.knows(d):
            end = start + dt.timedelta(days=n)
            return Due(end, False, f"节假日表中没有{d.year}年，按{n}个自然日计算（{format_cn(end)}）；"
                                   "请管理员添加当年的节假日")
        if cal.is_workday(d):
            left -= 1
    return Due(d, True)
