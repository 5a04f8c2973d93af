"""The lines of a case list and of a case's timeline: what a search or a list reads, in a module of their own so that
reading them does not build every record kind's dataclass (domain/records.py, which names them too; issue 22)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class TimelineEntry:
    at: dt.datetime
    staff: str
    action: str
    note: str = ""


@dataclass
class CaseRow:
    """One line of a case list (all kinds)."""

    id: int
    case_no: str
    kind: str
    status: str
    received_on: dt.date
    names: str
    township: str
    category: str
    summary: str
    due_on: dt.date | None
    due_label: str
    supervised: bool = False  # 督办: it stands out wherever it is listed
    service: str = ""  # a referral's service (法律援助, 庇护所/救助管理站 …): domain/kinds.kind_label names it
