"""Statistics and the summary paragraph for a period (统计 / 工作总结)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..domain.errors import StorageError
from ..reports import statistics, summary, townships
from ..reports.statistics import Chart, Comparison, Period, Table
from ..store import exchange as exchange_store
from ..store.connection import DatabaseError, storage_error
from ..store.reader import open_reader
from . import settings
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def compare(ctx: Context, period: Period, township: str = "") -> Comparison:
    """Every figure for the period and for the same period a year before: of the whole office, or of one
    `township` (its cases and what belongs to them, reports/townships.py) — both at the same time, on the second
    core, as the clerk waits for them (reports/statistics.compare)."""
    ctx.require("statistics.read")
    try:
        with _beside(ctx) as beside:
            if township:
                return townships.township_compare(ctx.db, period, township, beside)
            return statistics.compare(ctx.db, period, beside=beside)
    except DatabaseError as e:
        raise storage_error(e) from e


@contextmanager
def _beside(ctx: Context) -> Iterator[sqlite_utils.Database | None]:
    """A second connection to the database for the statistics, closed after them; None — the work all done on the
    one — on a computer with one core, for a database in memory, inside a transaction (whose changes only its own
    connection sees), or when it cannot be opened (the figures are the same, only later)."""
    from ..store.parallel import _cores  # (the cores this program may run on, as the import counts them)

    beside = None
    if _cores() > 1 and ctx.path is not None and not ctx.db.conn.in_transaction:
        try:
            beside = open_reader(ctx.path, ctx.session.key if ctx.session is not None else None)
        except StorageError:
            log.warning("no second connection for the statistics; both periods are worked out on the one")
    try:
        yield beside
    finally:
        if beside is not None:
            beside.close()


def township_table(ctx: Context, period: Period) -> Table:
    """The townships side by side, and the county's total (each case counted once, in its township)."""
    ctx.require("statistics.read")
    try:
        return townships.comparison_table(ctx.db, period)
    except DatabaseError as e:
        raise storage_error(e) from e


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
