"""Statutory clocks (信访工作条例 2022 arts. 23, 34), computed with python-dateutil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACCEPT_DAYS = 15  # tell her whether it is accepted, from receipt (art. 23)
CONCLUDE_DAYS = 60  # conclude, from acceptance (art. 34)
MAX_EXTENSION_DAYS = 30  # one extension, approved by the head (art. 34)
DUE_SOON_DAYS = 7  # "due this week"


@dataclass(frozen=True)
class Deadline:
    label: str  # what is due: 告知是否受理 / 办结
    due_on: dt.date

    def state(self, today: dt.date) -> str:
        """'overdue', 'due_soon' or 'ok'."""
        if today > self.due_on:
            return "overdue"
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return "ok"

    def describe(self, today: dt.date) -> str:
        days = (self.due_on - today).days
        if days < 0:
            return f"{self.label}已逾期{overdue_for(self.due_on, today)}"
        if days == 0:
            return f"今天应{self.label}"
        return f"{days}天内应{self.label}"


DAYS_SHOWN = 60  # up to two months late is said in days; beyond, in months, then in years


def overdue_for(due_on: dt.date, today: dt.date) -> str:
    """How long past `due_on` it is, as an office says it: 12天, 2个多月, 3个月, 1年, 4年多."""
    days = (today - due_on).days
    if days <= DAYS_SHOWN:
        return f"{days}天"
    from dateutil.relativedelta import relativedelta  # (only for a clock more than two months late)

    gap = relativedelta(today, due_on)
    if gap.years:
        return f"{gap.years}年" + ("多" if gap.months or gap.days else "")
    return f"{gap.months}个多月" if gap.days else f"{gap.months}个月"


def time_left(due_on: dt.date, today: dt.date) -> str:
    """A clock in a list: 逾期12天 / 逾期4年多 / 今天到期 / 还有3天."""
    days = (due_on - today).days
    if days < 0:
        return f"逾期{overdue_for(due_on, today)}"
    return "今天到期" if days == 0 else f"还有{days}天"


def add_days(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)  # (relativedelta(days=…) is the same date, 20 times slower)


def accept_deadline(received_on: dt.date) -> Deadline:
    return Deadline("告知是否受理", add_days(received_on, ACCEPT_DAYS))


def conclude_deadline(accepted_on: dt.date, extension_days: int = 0) -> Deadline:
    return Deadline("办结", add_days(accepted_on, CONCLUDE_DAYS + extension_days))
