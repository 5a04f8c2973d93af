"""Issue 22's speed goal for the statistics: a year (with the same year before) on the 100,000-case database as the
clerk waits for it — the statistics page redoing every figure, table, chart and the summary paragraph and painting
them — within 0.3 s (2 s at 1M), each figure beside a COUNT(*) of the year's cases (the anchor) measured in the same
run; and not one figure changed by the way they are computed. Run with:

    FULIAN_BENCH_DB=/tmp/big.db python -m pytest tests/benchmarks -o addopts="" -k statistics -s

`test_statistics_figures_unchanged` compares every figure of every kind of period with a dump made before a change
(tests/benchmarks/statistics_figures.py; FULIAN_STATS_FIGURES names it; skipped without it).
"""

from __future__ import annotations

import json
import os
import statistics as stats
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.reports import statistics as st
from fulian_desktop.reports import townships
from fulian_desktop.reports.summary import paragraph
from fulian_desktop.services import statistics
from fulian_desktop.services.context import Context

from .statistics_figures import all_figures, differences

LIMIT_CPU_S = 0.6  # a guard against going back (CPU: wall time on this shared machine jumps with the load), for a
# year of the 100,000-case database (17,899 cases; more in proportion); the goal (0.3 s as the clerk waits, in a quiet
# run; 2 s at 1M) is printed beside the figures
YEAR_CASES = 18_000
ROUNDS = 7


def _year(ctx: Context) -> st.Period:
    last = ctx.db.execute("SELECT MAX(received_on) FROM cases").fetchone()[0]
    return st.make_period("year", int(last[:4]) - 1)  # the last whole year of the demo data


def _paired(runs: dict[str, Callable[[], object]]) -> dict[str, tuple[float, float]]:
    """Each run ROUNDS times, taking turns: the median wall and CPU seconds of each."""
    for run in runs.values():
        run()  # warm: the figures the user sees the second time; the first is printed apart
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            times[name][0].append(time.perf_counter() - wall)
            times[name][1].append(time.process_time() - cpu)
    return {k: (stats.median(w), stats.median(c)) for k, (w, c) in times.items()}


def test_statistics_for_a_year(benchmark, big_ctx: Context, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    period = _year(big_ctx)
    span = [period.first.isoformat(), period.last.isoformat()]

    def anchor() -> int:
        return int(big_ctx.db.execute("SELECT COUNT(*) FROM cases WHERE received_on BETWEEN ? AND ?",
                                      span).fetchone()[0])

    def figures() -> int:  # as the page works them out: both periods at once, on two connections
        c = statistics.compare(big_ctx, period)
        st.tables(c)
        st.charts(c)
        paragraph(c)
        return c.current.petitions.total

    def one_after_the_other() -> None:  # the same on the page's one connection, one period after the other
        c = st.compare(big_ctx.db, period)
        st.tables(c)
        st.charts(c)
        paragraph(c)

    page = StatisticsPage(big_ctx)
    page.resize(1366, 700)
    page.show()
    page.picker.set_period("year", period.first.year)
    qapp.processEvents()

    def on_the_page() -> None:  # what the clerk waits for: every figure redone, the tables filled, charts drawn
        page.refresh()
        page.repaint()

    wall, cpu = time.perf_counter(), time.process_time()
    first = figures()
    print(f"\nstatistics for {period.label}, first after sign-in: {time.perf_counter() - wall:.3f} s wall, "
          f"{time.process_time() - cpu:.3f} s CPU; {first} petitions, {anchor()} cases in the year")
    threads: list[dict[str, float]] = []  # each run of the page: each thread's CPU seconds over the parts it took
    part = st._part

    def timed_part(db, p, kind, township):  # type: ignore[no-untyped-def]
        cpu = time.thread_time()
        try:
            return part(db, p, kind, township)
        finally:
            if page_runs:
                name = threading.current_thread().name
                threads[-1][name] = threads[-1].get(name, 0.0) + time.thread_time() - cpu

    page_runs: list[bool] = []

    def on_the_page_timed() -> None:
        threads.append({})
        page_runs.append(True)
        try:
            on_the_page()
        finally:
            page_runs.clear()

    st._part = timed_part
    try:
        result = _paired({"anchor: COUNT(*) of the year's cases": anchor,
                          "figures on one connection, one period after the other": one_after_the_other,
                          "figures (compare on two connections, tables, charts, paragraph)": figures,
                          "statistics page: refresh and paint": on_the_page_timed})
    finally:
        st._part = part
    base = result["anchor: COUNT(*) of the year's cases"]
    for name, (w, c) in result.items():
        print(f"{name}: {w * 1000:.1f} ms wall, {c * 1000:.1f} ms CPU ({w / base[0]:.0f}x the anchor's wall)")
    busier = stats.median(max(t.values()) for t in threads[-ROUNDS:])
    print(f"the page's figures: the busier of its two threads {busier * 1000:.0f} ms of CPU, the other "
          f"{stats.median(min(t.values()) for t in threads[-ROUNDS:]) * 1000:.0f} ms (with the second core free the "
          "page waits for the busier one)")
    wall, cpu = time.perf_counter(), time.process_time()
    compared = townships.comparison_table(big_ctx.db, period)  # 各乡镇对比: every township's figures, and the county's
    towns = (time.perf_counter() - wall, time.process_time() - cpu)
    print(f"the townships compared ({len(compared.rows) - 1} townships and the county): {towns[0] * 1000:.0f} ms wall, "
          f"{towns[1] * 1000:.0f} ms CPU")
    print(f"load average {os.getloadavg()[0]:.1f}; goal 0.3 s at 100,000 cases, 2 s at 1,000,000")
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)  # skipped with the other benchmarks (--benchmark-skip)
    benchmark.extra_info.update({k: {"wall_ms": w * 1000, "cpu_ms": c * 1000} for k, (w, c) in result.items()})
    benchmark.extra_info["townships compared"] = {"wall_ms": towns[0] * 1000, "cpu_ms": towns[1] * 1000}
    page.close()
    assert first > 10_000  # a year of the 100,000 cases (or of the million)
    assert result["statistics page: refresh and paint"][1] < LIMIT_CPU_S * max(1.0, anchor() / YEAR_CASES)


def test_statistics_figures_unchanged(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """Every figure of every kind of period as it was in the dump FULIAN_STATS_FIGURES (made with
    `python -m tests.benchmarks.statistics_figures --db COPY --out before.json` before the change)."""
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)  # skipped with the other benchmarks (--benchmark-skip)
    saved = os.environ.get("FULIAN_STATS_FIGURES")
    if not saved:
        pytest.skip("FULIAN_STATS_FIGURES: a dump of the figures made before the change")
    before = json.loads(Path(saved).read_text(encoding="utf-8"))
    now = json.loads(json.dumps(all_figures(big_ctx), ensure_ascii=False))
    assert sorted(now) == sorted(before)
    assert differences(before, now) == []
