"""Records that pass between the layers (plain dataclasses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Person:
    name: str
    sex: str = ""  # 男 / 女
    ethnicity: str = "汉族"
    birth_date: dt.date | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    marital_status: str = ""
    id: int | None = None


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


@dataclass
class Petition:
    channel: str
    received_on: dt.date
    petitioner: Person
    concerned: Person | None  # the woman concerned, if not the petitioner
    headcount: int
    township: str
    village: str
    category: str
    subcategory: str
    facts: str
    request: str
    dv: bool
    safety_risk: bool
    receiving_staff: str
    respondent_name: str = ""  # the person complained about
    respondent_relation: str = ""
    # filled in as the case moves on
    id: int | None = None
    case_no: str = ""
    status: str = "registered"
    accepted_on: dt.date | None = None
    told_on: dt.date | None = None
    refused_reason: str = ""
    handling: str = ""
    handling_agency: str = ""
    handling_opinion: str = ""
    reply: str = ""
    result: str = ""
    concluded_on: dt.date | None = None
    extension_days: int = 0
    extension_reason: str = ""
    created_at: dt.datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (case id, case no, kind)

    @property
    def is_group(self) -> bool:
        return self.headcount >= 5

    @property
    def woman(self) -> Person:
        return self.concerned or self.petitioner
