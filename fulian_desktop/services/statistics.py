"""Statistics and the summary paragraph for a period (统计 / 工作总结)."""

from __future__ import annotations

from ..reports import statistics, summary, townships
from ..reports.statistics import Chart, Comparison, Period, Table
from ..store import exchange as exchange_store
from . import settings
from .context import Context


def compare(ctx: Context, period: Period, township: str = "") -> Comparison:
    """Every figure for the period and for the same period a year before: of the whole office, or of one
    `township` (its cases and what belongs to them, reports/townships.py)."""
    ctx.require("statistics.read")
    if township:
        return townships.township_compare(ctx.db, period, township)
    return statistics.compare(ctx.db, period)


def township_table(ctx: Context, period: Period) -> Table:
    """The townships side by side, and the county's total (each case counted once, in its township)."""
    ctx.require("statistics.read")
    return townships.comparison_table(ctx.db, period)


def own_township(ctx: Context) -> str:
    """At a township office its township: the statistics it shows are its own (it holds its records and what the
    county sent it, which may include a household since moved to another township's list); "" at the county."""
    ctx.require("statistics.read")
    me = exchange_store.office(ctx.db)
    return me.township if me.is_township else ""


def township_names(ctx: Context) -> list[str]:
    """The county's townships, in the list's order."""
    ctx.require("statistics.read")
    return townships.townships(ctx.db)


def tables(comparison: Comparison) -> list[Table]:
    return statistics.tables(comparison)


def charts(comparison: Comparison) -> list[Chart]:
    """What the page draws, from the same figures as the tables."""
    return statistics.charts(comparison)


def paragraph(ctx: Context, comparison: Comparison, township: str = "") -> str:
    """The drafted paragraph; for one township, in its name (福田铺乡妇联)."""
    ctx.require("statistics.read")
    return summary.paragraph(comparison, f"{township}妇联" if township else settings.office_name(ctx))
