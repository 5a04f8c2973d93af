"""Statutory clocks (信访工作条例 2022 arts. 23, 34), computed with python-dateutil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

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
            return f"{self.label}已逾期{-days}天"
        if days == 0:
            return f"今天应{self.label}"
        return f"{days}天内应{self.label}"


def add_days(start: dt.date, days: int) -> dt.date:
    return start + relativedelta(days=days)


def accept_deadline(received_on: dt.date) -> Deadline:
    return Deadline("告知是否受理", add_days(received_on, ACCEPT_DAYS))


def conclude_deadline(accepted_on: dt.date, extension_days: int = 0) -> Deadline:
    return Deadline("办结", add_days(accepted_on, CONCLUDE_DAYS + extension_days))
