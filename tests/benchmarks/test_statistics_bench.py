"""Issue 8's speed goal: the statistics for a year (with the same year before) on the 100,000-case
database in under a second, all of it computed in SQL. Run with:

    FULIAN_BENCH_DB=/tmp/big.db python -m pytest tests/benchmarks -o addopts="" -k statistics
"""

from __future__ import annotations

import statistics as stats
import time

from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.summary import paragraph
from fulian_desktop.services.context import Context

LIMIT_S = 1.0


def _year(ctx: Context) -> st.Period:
    last = ctx.db.execute("SELECT MAX(received_on) FROM cases").fetchone()[0]
    return st.make_period("year", int(last[:4]) - 1)  # the last whole year of the demo data


def test_statistics_for_a_year(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    period = _year(big_ctx)

    def run() -> int:
        c = st.compare(big_ctx.db, period)
        st.tables(c)
        paragraph(c)
        return c.current.petitions.total

    total = benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
    assert total > 10_000  # a year of the 100,000 cases
    times = []
    for _ in range(3):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    assert stats.median(times) < LIMIT_S, f"statistics for a year took {stats.median(times):.2f} s"
