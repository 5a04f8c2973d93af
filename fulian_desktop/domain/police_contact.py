"""告诫书 and 报警回执, and the follow-up visits (查访) after them.

反家庭暴力法 art. 16: for violence too light for a penalty the police issue a 告诫书 to the abuser (it names him,
states the facts, forbids further violence); art. 17: they send it to the village or residents' committee, and the
committee and the police station visit the family to see that the violence has stopped (查访). The office records
the 告诫书 (or the 报警回执 she was given when she called the police): the station, the date and its number, and
schedules its own follow-up visits with the police or the village.

The law sets no rhythm for 查访. The default is the one county federations commonly follow — a first visit within a
week, again after a month and after three months (FOLLOW_UP_DAYS) — and every planned date can be changed, added
or dropped. A visit is due on its day and overdue from the day after (its own day is still in time).

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import limits
from .dates import format_cn, out_of_range, too_far_ahead
from .errors import ValidationError

KINDS = {"warning": "告诫书", "receipt": "报警回执"}
WITH_WHOM = ("派出所", "村（居）委会", "派出所和村（居）委会", "本会单独查访")
FOLLOW_UP_DAYS = (7, 30, 90)  # days after the 告诫书: within a week, a month, three months (practice; editable)
STATION_MAX = 40
NUMBER_MAX = 40
NOTE_MAX = 300
FINDING_MAX = 500


@dataclass
class PoliceContact:
    kind: str  # warning / receipt
    station: str  # 公安机关（派出所）
    issued_on: dt.date
    number: str = ""  # 告诫书编号 / 回执编号
    note: str = ""
    staff: str = ""
    id: int | None = None
    case_id: int | None = None

    @property
    def title(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass
class FollowUp:
    due_on: dt.date  # the day planned
    with_whom: str = ""  # 派出所 / 村（居）委会 …
    done_on: dt.date | None = None
    finding: str = ""  # what was found: has the violence stopped, how she is
    staff: str = ""
    id: int | None = None
    contact_id: int | None = None
    case_id: int | None = None


# (the 经办人 is the signed-in account's name, never typed here)
LIMITS = limits.define(PoliceContact, {"station": ("公安机关（派出所）", STATION_MAX), "number": ("编号", NUMBER_MAX),
                                       "note": ("说明", NOTE_MAX)})
FOLLOW_UP_LIMITS = limits.define(FollowUp, {"with_whom": ("与谁查访", limits.LIST_VALUE_MAX),
                                            "finding": ("查访情况", FINDING_MAX)})


def schedule(issued_on: dt.date, days: tuple[int, ...] = FOLLOW_UP_DAYS) -> list[dt.date]:
    """The follow-up visits' dates after a 告诫书 issued on `issued_on` (the default rhythm)."""
    return [issued_on + dt.timedelta(days=d) for d in days]


def validate_contact(c: PoliceContact, today: dt.date) -> PoliceContact:
    errors: dict[str, str] = {}
    if c.kind not in KINDS:
        errors["kind"] = "请选择告诫书或报警回执"
    c.station = limits.clean_text(c.station, "station", "公安机关（派出所）", errors, most=STATION_MAX,
                                  required="请写明出具的公安机关（派出所）", multiline=False)
    c.number = limits.clean_text(c.number, "number", "编号", errors, most=NUMBER_MAX, multiline=False)
    c.note = limits.clean_text(c.note, "note", "说明", errors, most=NOTE_MAX)
    if c.issued_on is None:
        errors["issued_on"] = "请填写出具日期"
    elif msg := out_of_range(c.issued_on, "出具日期", today):
        errors["issued_on"] = msg
    if errors:
        raise ValidationError(errors)
    return c


def validate_plan(dates: list[dt.date], issued_on: dt.date, today: dt.date) -> list[dt.date]:
    """The planned dates, in order, none before the 告诫书 nor absurdly far ahead."""
    errors: dict[str, str] = {}
    for i, d in enumerate(dates):
        if d < issued_on:
            errors[f"plan{i}"] = f"查访日期不能早于{KINDS['warning']}的出具日期"
        elif msg := too_far_ahead(d, "查访日期", today):
            errors[f"plan{i}"] = msg
    if errors:
        raise ValidationError(errors)
    return sorted(set(dates))


def validate_done(f: FollowUp, today: dt.date, issued_on: dt.date) -> FollowUp:
    """A visit as done: the day it was done (not ahead, not before the 告诫书), with whom, what was found."""
    errors: dict[str, str] = {}
    if f.done_on is None:
        errors["done_on"] = "请填写查访日期"
    elif msg := out_of_range(f.done_on, "查访日期", today):
        errors["done_on"] = msg
    elif f.done_on < issued_on:
        errors["done_on"] = "查访日期不能早于告诫书（回执）的出具日期"
    f.with_whom = limits.clean_text(f.with_whom, "with_whom", "与谁查访", errors, most=limits.LIST_VALUE_MAX,
                                    required="请选择与谁一起查访", multiline=False)
    f.finding = limits.clean_text(f.finding, "finding", "查访情况", errors, most=FINDING_MAX,
                                  required="请写明查访情况：暴力是否停止、她的现状")
    if errors:
        raise ValidationError(errors)
    return f


def follow_up_state(f: FollowUp, today: dt.date) -> str:
    """已查访 / 今天查访 / 已逾期N天 / 计划（几天后）: a visit is in time on its own day, overdue the day after."""
    if f.done_on is not None:
        late = (f.done_on - f.due_on).days
        return "已查访" + (f"（晚{late}天）" if late > 0 else "")
    days = (f.due_on - today).days
    if days < 0:
        return f"已逾期{-days}天"
    if days == 0:
        return "今天查访"
    return f"{days}天后"


def is_overdue(f: FollowUp, today: dt.date) -> bool:
    return f.done_on is None and f.due_on < today


def contact_line(c: PoliceContact) -> str:
    """告诫书　东山派出所　2026年3月2日　东公(家)告字〔2026〕12号 — one line of the case's list."""
    return "　".join(x for x in (c.title, c.station, format_cn(c.issued_on), c.number and f"编号：{c.number}") if x)
