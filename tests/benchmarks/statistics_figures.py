"""Every figure the statistics show, for every kind of period the page offers, saved as JSON — so a change to how
they are computed can be checked against what they were (issue 22: not one figure may change).

For each period: every field of the comparison (this period and the year before), every table the page, the
spreadsheet and the PDF show, the chart data the page draws, and the drafted summary paragraph. The periods: the
last whole year of the data and the year before it, its two halves, four quarters and twelve months, February of
a leap year when the data has one, 今年以来 to a day in March, a custom range of three years (drawn by year), and
the year the data ends in (still open). The figures are computed as the statistics page computes them
(services/statistics.compare: the period and the year before at the same time, on two connections).

    python -m tests.benchmarks.statistics_figures --db COPY_OF_DB --out before.json   # before the change
    FULIAN_STATS_FIGURES=before.json FULIAN_BENCH_DB=COPY_OF_DB \\
        python -m pytest tests/benchmarks -o addopts="" -k figures                     # after it

The database is signed into as the demo staff (a copy: signing in writes the audit log).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import sqlite_utils

from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.summary import paragraph
from fulian_desktop.services import statistics
from fulian_desktop.services.context import Context


def periods(db: sqlite_utils.Database) -> list[st.Period]:
    first, last = db.execute("SELECT MIN(received_on), MAX(received_on) FROM cases").fetchone()
    if last is None:  # an empty database: this year's, and the 20-year custom range at its longest
        today = dt.date.today()
        return [st.make_period("year", today.year), st.make_period("half", today.year, 1),
                st.custom_period(dt.date(today.year - 19, 1, 1), dt.date(today.year, 12, 31))]
    end = int(str(last)[:4])
    year = end - 1  # the last whole year
    out = [st.make_period("year", year), st.make_period("year", year - 1)]
    out += [st.make_period("half", year, n) for n in (1, 2)]
    out += [st.make_period("quarter", year, n) for n in range(1, 5)]
    out += [st.make_period("month", year, n) for n in range(1, 13)]
    leap = next((y for y in range(year, int(str(first)[:4]) - 1, -1) if y % 4 == 0), None)
    if leap is not None:
        out.append(st.make_period("month", leap, 2))  # 29 days; the year before has 28
    out.append(st.custom_period(dt.date(year, 1, 1), dt.date(year, 3, 10)))  # 今年以来
    out.append(st.custom_period(dt.date(year - 2, 5, 17), dt.date(year, 8, 3)))  # over 24 months: by year
    out.append(st.make_period("year", end))
    return out


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)} | {"str": str(v)}
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def figures(ctx: Context, period: st.Period) -> dict[str, Any]:
    c = statistics.compare(ctx, period)  # as the page computes them: both periods at once, on two connections
    return {
        "period": period.label,
        "comparison": _plain(c),
        "tables": _plain(st.tables(c)),
        "charts": _plain(st.charts(c)),
        "paragraph": paragraph(c),
    }


def all_figures(ctx: Context) -> dict[str, Any]:
    return {f"{p.kind}:{p.first}:{p.last}": figures(ctx, p) for p in periods(ctx.db)}


def differences(before: Any, after: Any, where: str = "") -> list[str]:
    """Where two dumps differ (at most the first 50), as paths into them."""
    out: list[str] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for k in sorted(set(before) | set(after)):
            if k not in before or k not in after:
                out.append(f"{where}/{k}: only in {'after' if k not in before else 'before'}")
            else:
                out += differences(before[k], after[k], f"{where}/{k}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            out += differences(a, b, f"{where}[{i}]")
    elif before != after or type(before) is not type(after):
        out.append(f"{where}: {before!r} -> {after!r}")
    return out[:50]


def main(argv: list[str] | None = None) -> int:
    from fulian_desktop.services import accounts

    from .conftest import STAFF_PASSWORD, STAFF_USER

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--compare", type=Path, help="a dump made before: print where the figures differ")
    args = parser.parse_args(argv)
    ctx = accounts.sign_in(args.db, STAFF_USER, STAFF_PASSWORD)
    try:
        dump = all_figures(ctx)
    finally:
        ctx.close()
    args.out.write_text(json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(dump)} periods written to {args.out}")
    if args.compare:
        diff = differences(json.loads(args.compare.read_text(encoding="utf-8")), json.loads(args.out.read_text(
            encoding="utf-8")))
        print("\n".join(diff) or "every figure equal")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
