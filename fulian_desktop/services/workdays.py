"""The holiday table the working-day clocks count on: read a year, and add a new year's days (the administrator,
from the State Council's notice for that year)."""

from __future__ import annotations

import datetime as dt

from ..domain.errors import ValidationError
from ..domain.limits import clean_text
from ..store import workdays as workday_store
from .context import Context

KINDS = {"holiday": "放假", "workday": "调休上班"}


def year_days(ctx: Context, year: int) -> list[tuple[dt.date, str, str]]:
    """The table's days of a year: (day, holiday / workday, the festival)."""
    ctx.require("lists.read")
    return workday_store.days_of(ctx.db, year)


def add_day(ctx: Context, day: dt.date, kind: str, name: str) -> None:
    """A day off (放假) or a weekend day worked (调休上班) of a year's holidays; a year is known once it has any."""
    ctx.require("lists.write")
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "请选择放假或调休上班"
    elif kind == "workday" and day.weekday() < 5:
        errors["day"] = "调休上班的日子应是星期六或星期日"
    name = clean_text(name, "name", "节日", errors, most=20, required="请写明是哪个节日（如 春节）", multiline=False)
    if errors:
        raise ValidationError(errors)
    with ctx.action() as db:
        workday_store.add_day(db, day, kind, name if kind == "holiday" else f"{name.removesuffix('调休上班')}调休上班")
