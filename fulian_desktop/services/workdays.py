"""The holiday table the working-day clocks count on: the years it knows, a year's days, and a year's days added or
corrected (the administrator, from the State Council's notice for that year: the window 节假日表 and the command
`workdays`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain import workdays as rules
from ..domain.dates import format_cn
from ..domain.errors import ValidationError
from ..domain.limits import clean_text
from ..domain.petition import OBJECTION_WORKDAYS
from ..store import cases
from ..store import petitions as petition_store
from ..store import workdays as workday_store
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils

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


def known_years(ctx: Context) -> list[tuple[int, int, int]]:
    """The years the table knows: (year, days off, weekend days worked). A clock running into any other year counts
    calendar days, and says so."""
    ctx.require("lists.read")
    return workday_store.years(ctx.db)


def set_year(ctx: Context, year: int, holidays: str, workdays: str) -> tuple[int, int]:
    """Add a year's days, or correct them: the days off and the weekend days worked (调休上班), written as
    `domain.workdays.parse_days` reads them, replace whatever the table held for that year, in one action. The
    5 working days of the transferred petitions still waiting are counted again on the new table (those counted in
    calendar days for want of the year, and those the correction changes). Returns (days off, days worked)."""
    ctx.require("lists.write")
    off, worked = rules.check_year(year, holidays, workdays, ctx.today())
    days = [(d, "holiday", name) for d, name in off]
    days += [(d, "workday", f"{name.removesuffix('调休上班')}调休上班") for d, name in worked]
    with ctx.action() as db:
        workday_store.replace_year(db, year, days)
        _recount(ctx, db, year)
    return len(off), len(worked)


def _recount(ctx: Context, db: sqlite_utils.Database, year: int) -> None:
    """The 5 working days of the transferred petitions still waiting, counted again on the table as it now is; each
    one whose last day changes says so in its timeline."""
    from . import petitions  # (petitions never imports this module)

    calendar = workday_store.calendar(db)
    for case_id, received_on, was, note in workday_store.waiting_objection(db):
        due = rules.add_workdays(calendar, received_on, OBJECTION_WORKDAYS)
        if (due.on, due.note) == (was, note):
            continue
        petition_store.update(db, case_id, objection_due_on=due.on, objection_note=due.note)
        how = f"按工作日重算为{format_cn(due.on)}" if due.in_workdays else f"重算：{due.note}"
        cases.add_timeline(db, case_id, ctx.now(), ctx.who(), "期限重算", f"节假日表{year}年有变动，提出异议的期限{how}")
        petitions.refresh_clock(db, case_id)


def written_year(ctx: Context, year: int) -> tuple[str, str]:
    """A year's days as the administrator writes them (days off, weekend days worked), to be corrected."""
    days = year_days(ctx, year)
    return (rules.write_days([(d, n) for d, k, n in days if k == "holiday"]),
            rules.write_days([(d, n.removesuffix("调休上班")) for d, k, n in days if k == "workday"]))
