"""Visit rhythm (走访周期): when each household or person on a care list is due a visit.

A rhythm is a step (every N days, weeks or months) from a start date (起算日期). Its plan dates come
from a dateutil rrule anchored on the start date, so they never drift: monthly from 31 January is
31 January, 28 (or 29) February, 31 March, 30 April… — the day of the start date, or the month's
last day where the month is shorter (rrule's plain MONTHLY would skip those months instead).

A visit counts for the plan date nearest to it (a tie counts for the earlier one): a visit a few days
late still counts for this month's date, one a few days early for the coming one. The next due date
is the first plan date after the one the last visit counted for; with no visit yet, the start date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule

from .deadlines import overdue_for

UNITS = ("day", "week", "month")
MAX_EVERY = {"day": 366, "week": 52, "month": 24}

# (key, label, unit, every) — the choices offered; "custom" ones take N from the user
PRESETS: tuple[tuple[str, str, str, int], ...] = (
    ("weekly", "每周一次", "week", 1),
    ("monthly", "每月一次", "month", 1),
    ("quarterly", "每季度一次", "month", 3),
    ("days", "自定义：每N天一次", "day", 0),
    ("months", "自定义：每N个月一次", "month", 0),
)
DEFAULT_PRESET = "monthly"


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)


@dataclass(frozen=True)
class Rhythm:
    unit: str  # day | week | month
    every: int
    start: dt.date

    @classmethod
    def monthly(cls, start: dt.date) -> Rhythm:
        return cls("month", 1, start)

    @classmethod
    def from_preset(cls, preset: str, start: dt.date, every: int = 0) -> Rhythm:
        for key, _label, unit, n in PRESETS:
            if key == preset:
                return cls(unit, n or every, start)
        raise ValueError(f"unknown rhythm preset {preset!r}")

    @property
    def preset(self) -> str:
        """The preset this rhythm is (weekly / monthly / quarterly), else days / months / weeks."""
        for key, _label, unit, n in PRESETS:
            if n and (unit, n) == (self.unit, self.every):
                return key
        return {"day": "days", "month": "months", "week": "weeks"}[self.unit]

    def label(self) -> str:
        """每月一次, 每季度一次, 每周一次, 每10天一次, 每2个月一次, 每2周一次."""
        for _key, label, unit, n in PRESETS:
            if n and (unit, n) == (self.unit, self.every):
                return label
        word = {"day": "天", "week": "周", "month": "个月"}[self.unit]
        return f"每{self.every}{word}一次"

    def check(self) -> str:
        """An error message for the user, or '' when the rhythm is usable."""
        if self.unit not in UNITS:
            return "请选择走访周期"
        if not 1 <= self.every <= MAX_EVERY[self.unit]:
            word = {"day": "天数", "week": "周数", "month": "月数"}[self.unit]
            return f"间隔{word}应在1至{MAX_EVERY[self.unit]}之间"
        return ""

    # --- plan dates -------------------------------------------------------------------------------
    def _rule(self) -> rrule:
        start = _day(self.start)
        if self.unit == "day":
            return rrule(DAILY, interval=self.every, dtstart=start)
        if self.unit == "week":
            return rrule(WEEKLY, interval=self.every, dtstart=start)
        if self.start.day <= 28:
            return rrule(MONTHLY, interval=self.every, dtstart=start, bymonthday=self.start.day)
        # the 29th–31st: that day, or the month's last day when the month is shorter
        return rrule(MONTHLY, interval=self.every, dtstart=start, bymonthday=(self.start.day, -1), bysetpos=1)

    def _step(self) -> relativedelta:
        if self.unit == "day":
            return relativedelta(days=self.every)
        if self.unit == "week":
            return relativedelta(weeks=self.every)
        return relativedelta(months=self.every)

    def dates_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The plan dates from `first` to `last`, both included."""
        if last < first:
            return []
        return [d.date() for d in self._rule().between(_day(first), _day(last), inc=True)]

    def on_or_after(self, d: dt.date) -> dt.date:
        if d <= self.start:
            return self.start
        found = self._rule().after(_day(d), inc=True)
        assert found is not None  # the rule is unbounded
        return found.date()

    def after(self, d: dt.date) -> dt.date:
        """The first plan date strictly after `d`."""
        if d < self.start:
            return self.start
        found = self._rule().after(_day(d), inc=False)
        assert found is not None
        return found.date()

    def on_or_before(self, d: dt.date) -> dt.date:
        """The last plan date on or before `d`; before the start, the (virtual) date one step earlier."""
        if d < self.start:
            return self.start - self._step()
        found = self._rule().before(_day(d), inc=True)
        assert found is not None
        return found.date()

    def slot_for(self, visited_on: dt.date) -> dt.date:
        """The plan date a visit on `visited_on` counts for: the nearest (a tie counts for the earlier)."""
        before = self.on_or_before(visited_on)
        after = self.after(visited_on)
        return before if (visited_on - before) <= (after - visited_on) else after

    def next_due(self, visits: Iterable[dt.date]) -> dt.date:
        """The next plan date not yet visited for, given the dates of the visits made so far."""
        last = max(visits, default=None)
        if last is None:
            return self.start
        return self.after(self.slot_for(last))


def due_state(due_on: dt.date | None, today: dt.date) -> str:
    """'overdue', 'this_month' (due by the end of this month), or '' (later, or no plan)."""
    if due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    if (due_on.year, due_on.month) == (today.year, today.month):
        return "this_month"
    return ""


def describe_due(due_on: dt.date | None, today: dt.date) -> str:
    """已逾期3天 / 今天应走访 / 3月31日前应走访 / 下次走访4月10日."""
    if due_on is None:
        return ""
    days = (due_on - today).days
    if days < 0:
        return f"走访已逾期{overdue_for(due_on, today)}"
    if days == 0:
        return "今天应走访"
    if due_state(due_on, today) == "this_month":
        return f"{due_on.month}月{due_on.day}日前应走访"
    return f"下次走访{due_on.year}年{due_on.month}月{due_on.day}日" if due_on.year != today.year else (
        f"下次走访{due_on.month}月{due_on.day}日"
    )


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, first + relativedelta(months=1, days=-1)
