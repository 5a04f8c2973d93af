"""Issue 2's speed and memory goals on a 100,000-case database.

Targets (2-core machine): list and search under 30 ms median for every query length; start-up under
1.5x a bare PySide6 window; one printed form under 1.2x a bare reportlab page with the same font;
memory under 150 MB with the whole list open. Run with:

    python3 -m pytest tests/benchmarks --benchmark-enable
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fulian_desktop.services import cases, petitions
from fulian_desktop.services.context import Context
from fulian_desktop.store.search import CaseFilter

ROOT = Path(__file__).resolve().parents[2]


def _sample(ctx: Context) -> dict[str, str]:
    row = ctx.db.execute(
        """SELECT p.name, p.id_number, pt.facts FROM cases c
           JOIN case_people cp ON cp.case_id = c.id JOIN people p ON p.id = cp.person_id
           JOIN petitions pt ON pt.case_id = c.id
           WHERE length(p.name) = 3 AND p.id_number <> '' ORDER BY c.id LIMIT 1 OFFSET 5000"""
    ).fetchone()
    name, id_number, facts = row
    return {"2": name[1:], "3": facts[4:7], "6": id_number[-6:]}


def test_list_first_page(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    def first_page() -> int:
        f = CaseFilter()
        n = cases.count(big_ctx, f)
        rows = cases.page(big_ctx, f, limit=200)
        return n + len(rows)

    assert benchmark(first_page) > 100_000


def test_list_overdue_sorted_by_deadline(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    f = CaseFilter(due="due_soon")
    benchmark(lambda: (cases.count(big_ctx, f), cases.page(big_ctx, f, sort="due_on", descending=False, limit=200)))


@pytest.mark.parametrize("length", ["2", "3", "6"])
def test_search(benchmark, big_ctx: Context, length: str) -> None:  # type: ignore[no-untyped-def]
    query = _sample(big_ctx)[length]
    benchmark.extra_info["query_length"] = len(query)

    def search() -> int:
        f = CaseFilter(text=query)
        return cases.count(big_ctx, f) + len(cases.page(big_ctx, f, limit=200))

    assert benchmark(search) > 0


def test_search_pinyin_initials(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    benchmark(lambda: cases.page(big_ctx, CaseFilter(text="zs"), limit=200))


def test_open_case(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = big_ctx.db.execute("SELECT id FROM cases WHERE kind = 'petition' LIMIT 1 OFFSET 50000").fetchone()[0]
    benchmark(lambda: petitions.get(big_ctx, case_id))


def _print_sample(ctx: Context) -> int:
    return int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'petition' LIMIT 1 OFFSET 60000").fetchone()[0])


def test_print_one_form(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.services import printing

    case_id = _print_sample(big_ctx)
    printing.print_case(big_ctx, case_id)  # fonts loaded once, as in the app after the first print
    pdf, _name = benchmark(lambda: printing.print_case(big_ctx, case_id))
    assert pdf.startswith(b"%PDF")


def test_bare_reportlab_page_same_font(benchmark, big_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """The reference for printing: the same case's text drawn line by line in the same embedded font,
    with no layout (same glyphs, so the same font subset)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from fulian_desktop.documents import fonts, petition_form

    song = fonts.register_fonts()
    texts = [t for t in petition_form.texts(petitions.get(big_ctx, _print_sample(big_ctx))) if t]

    def page() -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4)
        c.setFont(song, 10.5)
        y = 800.0
        for t in texts:
            for i in range(0, len(t), 40):
                c.drawString(50, y, t[i : i + 40])
                y -= 14
                if y < 40:
                    c.showPage()
                    c.setFont(song, 10.5)
                    y = 800.0
        c.showPage()
        c.save()
        return buf.getvalue()

    assert benchmark(page).startswith(b"%PDF")


_WINDOW_SCRIPT = textwrap.dedent(
    """
    import os, sys, time, resource
    sys.modules["numpy"] = None  # not one of our dependencies (sqlite-utils loads it when present)
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QApplication, QMainWindow
    from PySide6.QtCore import QTimer
    app = QApplication([])
    MODE = sys.argv[1]
    if MODE == "bare":
        w = QMainWindow(); w.setWindowTitle("bare")
    else:
        from fulian_desktop.gui import fonts
        from fulian_desktop.gui.main_window import MainWindow
        from fulian_desktop.services.context import open_context
        fonts.register_fonts(); fonts.apply_interface_font(app)
        w = MainWindow(open_context(sys.argv[2]))
    w.resize(1366, 768)
    w.show()
    app.processEvents()
    w.grab()  # painted
    t1 = time.perf_counter()
    if MODE == "full-list":
        w.tabs.setCurrentWidget(w.case_list)
        table = w.case_list.table
        model = w.case_list.model
        step = max(1, model.rowCount() // 200)
        for row in range(0, model.rowCount(), step):
            table.scrollTo(model.index(row, 0)); app.processEvents()
        table.scrollToBottom(); app.processEvents(); w.grab()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{t1 - t0:.4f} {rss:.1f}")
    """
)


def _run_window(mode: str, db: Path) -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _WINDOW_SCRIPT, mode, str(db)], env=env, capture_output=True,
                         text=True, check=True, timeout=300)
    seconds, rss = out.stdout.split()[-2:]
    return float(seconds), float(rss)


def test_startup_to_painted_window(benchmark, big_db: Path) -> None:  # type: ignore[no-untyped-def]
    bare = [_run_window("bare", big_db)[0] for _ in range(3)]
    app = benchmark.pedantic(lambda: _run_window("app", big_db)[0], rounds=3, iterations=1)
    bare_median = sorted(bare)[1]
    benchmark.extra_info["bare_pyside6_window_s"] = round(bare_median, 4)
    benchmark.extra_info["ratio_to_bare"] = round(benchmark.stats.stats.median / bare_median, 2)
    assert app > 0


def test_memory_with_whole_list_open(benchmark, big_db: Path) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    _seconds, rss = benchmark.pedantic(lambda: _run_window("full-list", big_db), rounds=1, iterations=1)
    benchmark.extra_info["max_rss_mb"] = rss
    benchmark.extra_info["wall_s"] = round(time.perf_counter() - start, 2)
    assert rss > 0
