"""Issue 22: the statistics page works out the period and the same period a year before at the same time, on two
connections in two threads (the second core), with exactly the figures worked out one after the other on one
connection; and a failure in either thread reaches the clerk as a message, with nothing of the figures shown before
left on the page."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import sqlcipher3
from PySide6.QtCore import Qt

from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.reports import statistics as st
from fulian_desktop.services import statistics as service
from fulian_desktop.services.context import Context

from .report_data import fill

PERIODS = [
    st.make_period("year", 2025),
    st.make_period("half", 2025, 2),
    st.make_period("quarter", 2026, 1),
    st.make_period("month", 2024, 2),
    st.custom_period(*(st.make_period("year", 2024).first, st.make_period("month", 2025, 11).last)),
]
WORKER = "statistics-beside"
MALFORMED = "数据库文件已损坏或不是本程序的数据库。请从备份恢复。"


@pytest.fixture
def filled(ctx: Context) -> Iterator[Context]:
    fill(ctx)
    yield ctx


class Parts:
    """Each part of the figures as it is worked out: (thread, connection, kind). The first part each thread takes
    waits for the other thread to take one too (of a small database the page's thread could otherwise take every
    part before the second thread has begun, or the other way round), then `fault` may break it."""

    def __init__(self) -> None:
        self.taken: list[tuple[str, int, str]] = []
        self.fault: Callable[[], None] = lambda: None
        self.clear()

    def clear(self, two_threads: bool = True) -> None:
        self.taken.clear()
        self._both = threading.Barrier(2, timeout=10) if two_threads else None
        self._began: set[str] = set()

    def names(self) -> set[str]:
        return {name for name, _, _ in self.taken}

    def watch(self, part: Callable[..., st._Part]) -> Callable[..., st._Part]:
        def watched(db, p, kind, township):  # type: ignore[no-untyped-def]
            name = threading.current_thread().name
            self.taken.append((name, id(db.conn), kind))
            if self._both is not None and name not in self._began:
                self._began.add(name)
                self._both.wait()
            self.fault()
            return part(db, p, kind, township)
        return watched


@pytest.fixture
def parts(monkeypatch: pytest.MonkeyPatch) -> Parts:
    watching = Parts()
    monkeypatch.setattr(st, "_part", watching.watch(st._part))
    return watching


@pytest.mark.parametrize("township", ["", "城关镇"])
def test_the_two_periods_worked_out_at_once_are_the_figures_worked_out_one_after_the_other(
        filled: Context, parts: Parts, township: str) -> None:
    counted = 0
    for period in PERIODS:
        parts.clear()
        both = service.compare(filled, period, township)
        assert parts.names() == {threading.current_thread().name, WORKER}
        assert len({conn for _, conn, _ in parts.taken}) == 2  # the page's connection, and a second one
        assert sorted(kind for _, _, kind in parts.taken) == sorted(st.PARTS * 2)  # each part once a period
        parts.clear(two_threads=False)
        one = st.compare(filled.db, period, township or None)
        assert parts.names() == {threading.current_thread().name}
        assert both == one, period.label  # every field of both periods, to the last figure
        counted += both.current.petitions.total + both.previous.visits.visits + both.current.dv.cases
    assert counted > 50  # figures, not empty periods
    assert not [t for t in threading.enumerate() if t.name == WORKER]


@pytest.mark.parametrize("failing", ["the page's thread", "the second thread"])
def test_a_failure_in_either_thread_reaches_the_clerk_as_a_message(  # type: ignore[no-untyped-def]
        qtbot, filled: Context, parts: Parts, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    opened: list[sqlcipher3.Connection] = []
    open_reader = service.open_reader

    def reader(path, key):  # type: ignore[no-untyped-def]
        db = open_reader(path, key)
        opened.append(db.conn)
        return db

    monkeypatch.setattr(service, "open_reader", reader)
    page = StatisticsPage(filled)
    qtbot.addWidget(page)
    page.show()
    page.picker.set_period("year", 2025)
    assert page.comparison is not None and page.table_widget("channel") is not None

    def damaged() -> None:  # the disk gives a damaged page to the first part the thread takes
        if (threading.current_thread().name == WORKER) == (failing == "the second thread"):
            raise sqlcipher3.DatabaseError("database disk image is malformed")

    parts.clear()
    parts.fault = damaged
    page.picker.year.setFocus()
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)  # 2024: as the clerk steps back a year
    assert page.picker.period().label == "2024年"
    assert page.heading.text() == MALFORMED  # the message, in Chinese, where the figures were (no traceback)
    # nothing of 2025's figures left beside it to be read, exported or printed as 2024's
    assert page.comparison is None and page.table_widget("channel") is None and page.table_tabs.count() == 0
    assert not page.summary_box.isVisible() and not page.month_view.isVisible()
    assert not page.export_button.isEnabled() and not page.print_button.isEnabled()
    # both threads stopped and the second connection closed
    assert not [t for t in threading.enumerate() if t.name == WORKER]
    assert opened
    for conn in opened:
        with pytest.raises(sqlcipher3.ProgrammingError):
            conn.execute("SELECT 1")

    parts.fault = lambda: None  # the disk replaced: the same year again, whole
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Up)
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)
    assert page.comparison is not None and page.comparison.current.period.label == "2024年"
    assert page.table_widget("channel") is not None and page.summary_box.isVisible()
    assert page.export_button.isEnabled()


@pytest.mark.parametrize("why", ["one core", "no second connection"])
def test_without_a_second_core_or_connection_both_periods_are_worked_out_on_the_one(
        filled: Context, parts: Parts, monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    from fulian_desktop.domain.errors import StorageError

    if why == "one core":
        from fulian_desktop.store import parallel

        monkeypatch.setattr(parallel, "_cores", lambda: 1)
    else:
        def refused(path, key):  # type: ignore[no-untyped-def]
            raise StorageError("无法打开数据库文件，请检查路径和权限。")

        monkeypatch.setattr(service, "open_reader", refused)
    parts.clear(two_threads=False)
    year = st.make_period("year", 2025)
    c = service.compare(filled, year)
    assert parts.names() == {threading.current_thread().name}  # the page's thread alone, the figures all there
    assert c == st.compare(filled.db, year) and c.current.petitions.total > 0
