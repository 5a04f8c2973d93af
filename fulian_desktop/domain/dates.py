"""Dates: stored as ISO-8601 text, shown as 2020年6月26日."""

from __future__ import annotations

import datetime as dt
import re

_SEP = r"(?:\s*[./-]\s*|\s+)"
_WRITTEN = re.compile(rf"^(\d{{4}})(?:\s*年\s*|{_SEP})(\d{{1,2}})(?:\s*月\s*|{_SEP})(\d{{1,2}})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# what a Chinese input method types in full width: ２０２６．１２．６, ２０２６－１２－６
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．／－　", "0123456789./- ")
UNREADABLE = "看不出是哪一天，请写成2026年3月1日、2026-3-1或20260301"

# The earliest day a record of the office can bear: the founding of the women's federation (中华全国民主妇女联合会,
# 1949年4月3日). A case received, a visit made or a step taken before it is a typing error (0001-01-01,
# 1800-01-01 …) and would give case numbers such as 信访〔1〕第0001号. People are born from 1900 on.
EARLIEST = dt.date(1949, 4, 3)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
PLAN_YEARS = 5  # a date planned ahead (a return visit, a promised follow-up) lies at most this many years on


def too_early(d: dt.date, label: str, earliest: dt.date = EARLIEST) -> str:
    """'' or the message for a date before the office could have recorded it (before `earliest`)."""
    if d >= earliest:
        return ""
    return f"{label}不能早于{format_cn(earliest)}，请核对年份"


def out_of_range(d: dt.date, label: str, today: dt.date) -> str:
    """'' or the message for a date of something done (received, visited, decided): not before the office
    existed, not after today."""
    if d > today:
        return f"{label}不能晚于今天"
    return too_early(d, label)


def too_far_ahead(d: dt.date, label: str, today: dt.date) -> str:
    """'' or the message for a date planned ahead that lies beyond any plan (more than PLAN_YEARS on)."""
    from dateutil.relativedelta import relativedelta  # (dateutil where it is used: not at every command's start)

    if d > today + relativedelta(years=PLAN_YEARS):
        return f"{label}不能晚于{PLAN_YEARS}年以后，请核对年份"
    return too_early(d, label)


class DateError(ValueError):
    pass


def parse_date(text: str) -> dt.date:
    """A date as people write it: 2026年3月1日 (or 3月1号), 2026-3-1, 2026-03-01, 2026/3/1, 2026.3.1, 2026 3 1,
    20260301, also in full-width digits."""
    plain = (text or "").translate(_HALF_WIDTH).strip()
    m = _WRITTEN.match(plain) or _COMPACT.match(plain)
    if not m:
        raise DateError(UNREADABLE)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise DateError("这一天不存在，请核对月份和日期") from None


def to_iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def from_iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def format_cn(d: dt.date | str | None) -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def format_cn_datetime(value: dt.datetime | str | None, *, seconds: bool = False) -> str:
    """2026年3月10日 09:30 (with seconds where the order of events matters: the audit trail)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{format_cn(value.date())} {value:%H:%M:%S}" if seconds else f"{format_cn(value.date())} {value:%H:%M}"


def age_on(birth: dt.date, on: dt.date) -> int:
    from dateutil.relativedelta import relativedelta

    return relativedelta(on, birth).years
