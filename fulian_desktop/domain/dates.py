"""Dates: stored as ISO-8601 text, shown as 2020年6月26日."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

_CN = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


class DateError(ValueError):
    pass


def parse_date(text: str) -> dt.date:
    """Accept 2026-03-01, 2026/3/1, 2026.3.1 and 2026年3月1日."""
    m = _CN.match(text or "")
    if not m:
        raise DateError("日期格式应为2026-03-01或2026年3月1日")
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


def format_cn_datetime(value: dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def age_on(birth: dt.date, on: dt.date) -> int:
    return relativedelta(on, birth).years
