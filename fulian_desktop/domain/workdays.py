"""Working days in China: Monday to Friday, less the official holidays, plus the weekend days worked in exchange
(调休). The office's table (db/migrations/0016_workday_calendar.sql, extended by the administrator) knows whole
years; a clock that runs into a year the table does not know is counted in calendar days, and says so. No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .dates import DateError, format_cn, parse_date
from .errors import ValidationError


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


# --------------------------------------------------------------------------------------------
# A year's days as the administrator writes them (the window and the command line): from the State Council's
# notice, e.g. 元旦:2028-01-01..2028-01-03, 春节:2028-01-26..2028-02-01 for the days off and 春节:2028-01-29 for a
# weekend day worked. Each item is [节日:]day[..day]; items are separated by commas, semicolons or new lines.

KIND_WORDS = {"holiday": "放假", "workday": "调休上班"}
_ITEM_SEPS = re.compile(r"[,，;；、\n]+")
_RANGE = re.compile(r"\s*(?:\.\.|~|～|至|—|–)\s*")
NAME_MAX = 20
FORMAT_HINT = "每项写“节日:日期”或“节日:起始日期..结束日期”，各项用逗号或换行隔开，如 春节:2028-01-26..2028-02-01"


def _days(text: str, year: int) -> tuple[list[dt.date], str]:
    parts = _RANGE.split(text.strip())
    if len(parts) > 2 or not all(parts):
        return [], f"“{text.strip()}”不是日期或日期范围"
    try:
        first, last = (parse_date(x) for x in (parts[0], parts[-1]))
    except DateError as e:
        return [], f"“{text.strip()}”：{e}"
    if last < first:
        return [], f"“{text.strip()}”：结束日期早于开始日期"
    if first.year != year or last.year != year:
        return [], f"“{text.strip()}”不在{year}年"
    if (last - first).days > 31:
        return [], f"“{text.strip()}”超过一个月，请核对"
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)], ""


def parse_days(text: str, year: int, kind: str) -> tuple[list[tuple[dt.date, str]], str]:
    """The days of one kind (holiday / workday) written as above: [(day, festival)] in order, and what is wrong
    ('' when nothing). A 调休上班 day must be a Saturday or a Sunday; a festival's name is needed."""
    out: dict[dt.date, str] = {}
    for item in _ITEM_SEPS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        name, sep, days_text = item.rpartition(":") if ":" in item else item.rpartition("：")
        name = " ".join(name.split())
        if not sep or not name:
            return [], f"“{item}”没有写节日名称；{FORMAT_HINT}"
        if len(name) > NAME_MAX:
            return [], f"节日名称“{name[:NAME_MAX]}…”太长（不超过{NAME_MAX}字）"
        days, wrong = _days(days_text, year)
        if wrong:
            return [], wrong
        for d in days:
            if kind == "workday" and d.weekday() < 5:
                return [], f"{format_cn(d)}是{WEEKDAYS[d.weekday()]}，调休上班的日子应是星期六或星期日"
            if d in out:
                return [], f"{format_cn(d)}写了两次"
            out[d] = name
    return sorted(out.items()), ""


WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def check_year(year: int, holidays: str, workdays: str, today: dt.date) -> tuple[list[tuple[dt.date, str]],
                                                                                  list[tuple[dt.date, str]]]:
    """A year's days off and weekend days worked, as written; raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    if not 2000 <= year <= today.year + 5:
        errors["year"] = f"年份应在2000年至{today.year + 5}年之间"
        raise ValidationError(errors)
    off, wrong = parse_days(holidays, year, "holiday")
    if wrong:
        errors["holidays"] = wrong
    elif not off:
        errors["holidays"] = f"请写明{year}年的放假日期；{FORMAT_HINT}"
    worked, wrong = parse_days(workdays, year, "workday")
    if wrong:
        errors["workdays"] = wrong
    both = sorted({d for d, _ in off} & {d for d, _ in worked})
    if both and "workdays" not in errors:
        errors["workdays"] = f"{format_cn(both[0])}既写在放假里，又写在调休上班里"
    if errors:
        raise ValidationError(errors)
    return off, worked


def write_days(days: list[tuple[dt.date, str]]) -> str:
    """Days as the administrator writes them (the inverse of parse_days): consecutive days of one festival as a
    range — 元旦:2028-01-01..2028-01-03，春节:2028-01-26..2028-02-01."""
    runs: list[list[Any]] = []
    for d, name in sorted(days):
        if runs and runs[-1][2] == name and runs[-1][1] + dt.timedelta(days=1) == d:
            runs[-1][1] = d
        else:
            runs.append([d, d, name])
    return "，".join(f"{name}:{a.isoformat()}" + (f"..{b.isoformat()}" if b != a else "") for a, b, name in runs)
