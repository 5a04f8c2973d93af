"""Statistics and the summary paragraph for a period (统计 / 工作总结)."""

from __future__ import annotations

from ..reports import statistics, summary
from ..reports.statistics import Chart, Comparison, Period, Table
from . import settings
from .context import Context


def compare(ctx: Context, period: Period) -> Comparison:
    """Every figure for the period and for the same period a year before."""
    ctx.require("statistics.read")
    return statistics.compare(ctx.db, period)


def tables(comparison: Comparison) -> list[Table]:
    return statistics.tables(comparison)


def charts(comparison: Comparison) -> list[Chart]:
    """What the page draws, from the same figures as the tables."""
    return statistics.charts(comparison)


def paragraph(ctx: Context, comparison: Comparison) -> str:
    ctx.require("statistics.read")
    return summary.paragraph(comparison, settings.office_name(ctx))
