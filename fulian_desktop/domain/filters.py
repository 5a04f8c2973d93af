"""What a list asks the database for, and what a row of the household register holds: the query types the
window, the command line and the services share. The store answers them (store/search.py,
store/households.py); nothing above the services needs to reach into the store for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (a search, which reads no register, does without the visits' rhythms and dateutil's rrule)
    from .rhythm import Rhythm


@dataclass
class CaseFilter:
    text: str = ""
    kind: str = ""
    status: str = ""  # a status key, "open" or "" (all)
    category: str = ""
    township: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    due: str = ""  # "overdue", "due_soon" (incl. overdue) or ""
    today: dt.date | None = None
    due_soon_days: int = 7


@dataclass
class RegisterRow:
    id: int
    case_no: str
    list_name: str
    unit: str
    names: str
    size: int
    township: str
    village: str
    household_type: str
    cadre: str
    rhythm: Rhythm
    last_visit: dt.date | None
    due_on: dt.date | None
    status: str


@dataclass
class DueVisitRow:
    """A household (or person) due a visit, as the start page lists it: the register's row without what only the
    register shows (members, cadre, rhythm, last visit: three look-ups a row)."""

    id: int
    case_no: str
    list_name: str
    names: str
    township: str
    village: str
    due_on: dt.date | None


@dataclass
class RegisterFilter:
    list_id: int | None = None
    township: str = ""
    status: str = "open"  # a status key, "open" or "" (all)
    due: str = ""  # "" | "this_month" (incl. overdue) | "overdue"
    text: str = ""  # a part of a name, the case number, the village or the cadre's name
    today: dt.date | None = None
