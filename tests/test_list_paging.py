"""The case list and search read page by page from an index (issue 22): the pages read on from a row already
shown (keyset), the pages counted from the end and the searches asked three ways give exactly the rows and
the order that one OFFSET page after another gives — on a generated office, with its many ties (the same day,
kind, status, township, an empty deadline) — and the order is today's, with ties now always in one order.
A search counts its hits to 1,000 at most: the list says 1,000+ and reads on as the clerk scrolls to its end."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.services import cases
from fulian_desktop.services.context import Context
from fulian_desktop.store import connection, search

from .qt_input import type_text

# the orders as they were before issue 22 (store/search.py), which the new ones only complete with the id
OLD_ORDERS = {
    "case_no": "c.year {d}, c.kind, c.seq {d}",
    "kind": "c.kind {d}, c.received_on DESC",
    "status": "c.status {d}, c.received_on DESC",
    "received_on": "c.received_on {d}, c.id {d}",
    "names": "c.names {d}, c.id DESC",
    "township": "c.township {d}, c.received_on DESC",
    "category": "c.category {d}, c.received_on DESC",
    "due_on": "c.is_open DESC, c.due_on IS NULL, c.due_on {d}, c.id",
    "due_label": "c.due_label {d}, c.due_on, c.id",
}
PAGE = 7  # small pages: many of them cross a group of ties


@pytest.fixture
def office(ctx: Context) -> Context:
    from fulian_desktop.demo import generate as demo

    demo.generate(ctx, 400, seed=11)
    return ctx


def _ids(rows: list) -> list[int]:  # type: ignore[type-arg]
    return [r.id for r in rows]


def _filters(ctx: Context) -> list[CaseFilter]:
    return [CaseFilter(), CaseFilter(kind="petition"), CaseFilter(status="open"), CaseFilter(township="东山镇"),
            CaseFilter(due="due_soon", today=ctx.today()), CaseFilter(text="信访"), CaseFilter(text="张")]


def _list_watched(qtbot, office: Context, monkeypatch: pytest.MonkeyPatch, per_page: int):  # type: ignore[no-untyped-def]
    """案件列表 shown at 1366×700 with `per_page` rows a page, every page it asks for noted; with every case number of
    the whole list in its order."""
    from fulian_desktop.gui.cases.case_list import CaseListPage
    from fulian_desktop.gui.cases.case_model import CaseTableModel
    from fulian_desktop.gui.shell.paged_model import PageAsk

    monkeypatch.setattr(CaseTableModel, "PAGE", per_page)
    asks: list[PageAsk] = []  # type: ignore[type-arg]
    fetch_page = CaseTableModel.fetch_page
    monkeypatch.setattr(CaseTableModel, "fetch_page", lambda self, ask: (asks.append(ask), fetch_page(self, ask))[1])
    every = [r.case_no for r in cases.page(office, CaseFilter(), limit=10**6)]
    page = CaseListPage(office)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    return page, asks, every


def test_keyset_pages_and_pages_from_the_end_are_the_offset_pages(office: Context) -> None:
    db = office.db
    assert db.execute("SELECT count(*) FROM cases WHERE due_on IS NULL").fetchone()[0] > PAGE  # ties on NULL
    for f in _filters(office):
        f = dataclasses.replace(f, today=office.today())
        for sort in search.SORT_COLUMNS:
            for descending in (False, True):
                every = _ids(search.list_cases(db, f, sort, descending, limit=10**6))
                n = len(every)
                assert n == search.count_cases(db, f), (f, sort)
                offset_pages = [search.list_cases(db, f, sort, descending, PAGE, start) for start in range(0, n, PAGE)]
                assert [i for p in offset_pages for i in _ids(p)] == every, (f, sort, descending)

                # on from the last row of each page, as the list is scrolled down
                forward, last = _ids(search.list_cases(db, f, sort, descending, PAGE)), None
                while forward and forward[-1] != last:
                    last = forward[-1]
                    forward += _ids(search.list_cases(db, f, sort, descending, PAGE, after=last))
                assert forward == every, (f, sort, descending)

                # from the end (End pressed), then back up from the first row of each page
                backward = _ids(search.list_cases(db, f, sort, descending, PAGE, from_end=True))
                while backward and len(backward) < n:
                    backward = _ids(search.list_cases(db, f, sort, descending, PAGE, before=backward[0])) + backward
                assert backward == every, (f, sort, descending)
                for k in range(0, n, 5):
                    assert _ids(search.list_cases(db, f, sort, descending, PAGE, k, from_end=True)) == \
                        every[max(0, n - k - PAGE):n - k], (f, sort, descending, k)


def test_the_order_is_the_one_the_list_had_with_ties_in_one_order(office: Context) -> None:
    db = office.db
    for sort, old in OLD_ORDERS.items():
        for descending in (False, True):
            d = "DESC" if descending else "ASC"
            order = search.case_order(CaseFilter(), sort, descending)
            tiebreak = order.sql().rsplit(",", 1)[1]  # the id, last
            before = [r[0] for r in db.execute(f"SELECT c.id FROM cases c ORDER BY {old.format(d=d)},{tiebreak}")]
            assert _ids(search.list_cases(db, CaseFilter(), sort, descending, limit=10**6)) == before, sort


def test_a_search_gives_the_same_rows_whichever_way_it_is_asked(office: Context,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    db = office.db
    name = db.execute("SELECT names FROM cases WHERE length(names) = 3 ORDER BY id LIMIT 1 OFFSET 40").fetchone()[0]
    texts = ["信访", "张", "离婚", "家庭暴力", name, name[1:], name[:1] + " 信访", "zs", "〔", "没有这种事情"]
    for text in texts:
        for f in (CaseFilter(text=text), CaseFilter(text=text, kind="petition"), CaseFilter(text=text, status="open")):
            found = {}
            for how in (search.DRIVE, search.SIFT, search.PROBE):
                monkeypatch.setattr(search, "_how", lambda _db, _f, how=how: how)
                for sort in ("received_on", "names", "due_on"):
                    found[how, sort] = _ids(search.list_cases(db, f, sort, True, limit=10**6))
                    assert _ids(search.list_cases(db, f, sort, True, PAGE, after=found[how, sort][0])) == \
                        found[how, sort][1:PAGE + 1] if found[how, sort] else True
            monkeypatch.undo()
            for sort in ("received_on", "names", "due_on"):
                assert found[search.DRIVE, sort] == found[search.SIFT, sort] == found[search.PROBE, sort], (text, sort)
                assert _ids(search.list_cases(db, f, sort, True, limit=10**6)) == found[search.DRIVE, sort]
            exact = search.count_cases(db, f)
            assert exact == len(found[search.DRIVE, "received_on"])
            for bound in (0, 3, 10, 1000):
                assert search.count_cases(db, f, bound) == min(exact, bound + 1), (text, bound)


def test_the_page_cache_is_sized_to_the_database(tmp_path: Path) -> None:
    small, big = tmp_path / "small.db", tmp_path / "big.db"
    small.write_bytes(b"x" * 1024 * 1024)
    with big.open("wb") as f:
        f.truncate(2 * 1024 ** 3)  # 2 GB (sparse)
    assert connection.cache_kib(small) == 8 * 1024  # SQLite's default
    assert connection.cache_kib(big) == 24 * 1024  # at most: held all day (the memory goal)
    assert connection.cache_kib(tmp_path / "missing.db") == 8 * 1024


def test_a_common_search_says_so_and_reads_on_as_she_scrolls_to_the_end(qtbot, office_app, office: Context,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A search finding more than the bound says 共 20+ 件 (1,000+ in the program), shows that many rows, and
    as she presses Ctrl+End the list reads on — until every hit is there, in the order of the whole search."""
    from fulian_desktop.gui.cases.case_list import CaseListPage
    from fulian_desktop.gui.cases.case_model import CaseTableModel

    monkeypatch.setattr(CaseTableModel, "COUNT_STEP", 20)
    monkeypatch.setattr(CaseTableModel, "PAGE", 8)
    every = [r.case_no for r in cases.page(office, CaseFilter(text="信访"), limit=10**6)]
    assert len(every) > 60

    page = CaseListPage(office)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    assert page.count_label.text() == f"共 {page.model.rowCount():,} 件"  # the whole list, counted whole
    type_text(qtbot, page.search, "信访")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.count_label.text() == "共 20+ 件"
    assert page.model.rowCount() == 20

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # the first row chosen (nothing is current before)
    shown = []
    for _ in range(20):
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        shown.append(page.count_label.text())
        if "+" not in shown[-1]:
            break
    more = [int(t.removeprefix("共 ").removesuffix("+ 件")) for t in shown[:-1]]
    assert more and more == sorted(set(more)) and all(n % 20 == 0 and n > 20 for n in more), shown
    assert shown[-1] == f"共 {len(every)} 件", shown
    assert [page.model.index(row, 0).data() for row in range(page.model.rowCount())] == every


def test_the_whole_list_jumped_to_its_end_and_scrolled_back_up(qtbot, office_app, office: Context,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+End reads the last page from the end and Page Up the pages above it before the row below; Ctrl+Home
    and Page Down read on after the row above — no page is read by stepping over the rows above it (OFFSET),
    and every row is the one the whole list has there."""
    page, asks, every = _list_watched(qtbot, office, monkeypatch, 32)  # a little more than the rows in sight
    assert page.count_label.text() == f"共 {len(every)} 件"
    page.table.setFocus()

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(page.table, k, modifier)
        qtbot.wait(20)  # painted: the rows in sight read

    key(Qt.Key.Key_Down)  # the first row chosen (nothing is current before)
    key(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.table.currentIndex().row() == len(every) - 1
    for _ in range(12):
        key(Qt.Key.Key_PageUp)
    key(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(12):
        key(Qt.Key.Key_PageDown)
    read = [ask for ask in asks if ask.offset > 0]
    assert read and all(a.after is not None or a.before is not None or a.from_end is not None for a in read), read
    assert any(a.from_end is not None for a in read) and any(a.after is not None for a in read), read
    assert [page.model.index(row, 0).data() for row in range(len(every))] == every


def test_a_page_ask_gives_the_services_where_to_read_from() -> None:
    """What the lists' models (cases, the household register, the audit trail) pass on to their service: the row
    above and below by id, or the count from the end, so the service reads by keyset and not by OFFSET."""
    from types import SimpleNamespace

    from fulian_desktop.gui.shell.paged_model import PageAsk

    ask = PageAsk(limit=32, offset=200, after=SimpleNamespace(id=7), before=SimpleNamespace(id=9))
    assert (ask.start, ask.around()) == (200, {"from_end": False, "after": 7, "before": 9})
    ask = PageAsk(limit=32, offset=900, from_end=40)
    assert (ask.start, ask.around()) == (40, {"from_end": True, "after": None, "before": None})


def test_the_household_register_reads_on_from_a_row_as_its_offset_pages(office: Context) -> None:
    from fulian_desktop.domain.filters import RegisterFilter
    from fulian_desktop.store import households

    db = office.db
    SMALL = 3  # noqa: N806 (a few hundred cases hold a dozen households)
    filters = [RegisterFilter(today=office.today()), RegisterFilter(status="open", today=office.today()),
               RegisterFilter(due="this_month", today=office.today())]
    assert len(households.register_rows(db, filters[0], limit=10**6)) > 3 * SMALL
    for f in filters:
        for sort in households.REGISTER_SORTS:
            for descending in (False, True):
                every = _ids(households.register_rows(db, f, sort, descending, limit=10**6))
                n = len(every)
                assert [i for start in range(0, n, SMALL)
                        for i in _ids(households.register_rows(db, f, sort, descending, SMALL, start))] == every
                forward = _ids(households.register_rows(db, f, sort, descending, SMALL))
                while len(forward) < n:
                    forward += _ids(households.register_rows(db, f, sort, descending, SMALL, len(forward),
                                                             after=forward[-1]))
                assert forward == every, (f, sort, descending)
                backward = _ids(households.register_rows(db, f, sort, descending, SMALL, from_end=True))
                while len(backward) < n:
                    start = max(0, n - len(backward) - SMALL)
                    backward = _ids(households.register_rows(db, f, sort, descending, min(SMALL, n - len(backward)),
                                                             start, before=backward[0])) + backward
                assert backward == every, (f, sort, descending)


def test_a_count_is_never_kept_past_a_change_here_or_from_another_program(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    """The count and the way of asking are remembered between the list's two questions, not past a change —
    made on this connection or by another (the command line, an import)."""
    from fulian_desktop.domain.records import Person, Petition
    from fulian_desktop.services import accounts, petitions

    from .conftest import TEST_PASSWORD, TEST_USER

    def register(c: Context, name: str) -> None:
        petitions.register(c, Petition(
            channel="来访", received_on=c.today(), headcount=1, township="东山镇", village="",
            petitioner=Person(name=name), concerned=None, category="其他", subcategory="", facts="咨询",
            request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))

    for text in ("柳", "柳如", "柳如烟"):
        f = CaseFilter(text=text)
        before = cases.count(ctx, f, 1000)
        register(ctx, "柳如烟")
        assert cases.count(ctx, f, 1000) == before + 1
        other = accounts.sign_in(ctx.path, TEST_USER, TEST_PASSWORD, clock=clock)
        try:
            register(other, "柳如烟")
        finally:
            other.close()
        assert cases.count(ctx, f, 1000) == before + 2
        assert len(cases.page(ctx, f, limit=100)) == before + 2


def test_the_audit_trail_reads_on_from_an_entry_as_its_offset_pages(office: Context) -> None:
    from fulian_desktop.services import audit
    from fulian_desktop.store.audit import AuditFilter

    for _ in range(30):
        audit.opened(office)  # (each opening of the trail is itself an entry)
    for f in (AuditFilter(), AuditFilter(event="audit.view"), AuditFilter(result="ok")):
        every = _ids(audit.page(office, f, 10**6))
        n = len(every)
        assert n > 3 * PAGE
        assert [i for start in range(0, n, PAGE) for i in _ids(audit.page(office, f, PAGE, start))] == every
        forward = _ids(audit.page(office, f, PAGE))
        while len(forward) < n:
            forward += _ids(audit.page(office, f, PAGE, after=forward[-1]))
        assert forward == every
        backward = _ids(audit.page(office, f, PAGE, from_end=True))
        while len(backward) < n:
            backward = _ids(audit.page(office, f, PAGE, before=backward[0])) + backward
        assert backward == every
        assert _ids(audit.page(office, f, PAGE, 5, from_end=True)) == every[n - 5 - PAGE:n - 5]
    every = _ids(audit.page(office, AuditFilter(), 10**6))
    data, count = audit.export_csv(office, AuditFilter())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    assert count == len(every) and [int(r[0]) for r in rows] == every[::-1]  # oldest first, every entry once


def test_scrolling_the_whole_list_keeps_a_bounded_window_of_rows(qtbot, office_app, office: Context,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Wheeled from the first row to the last, the list holds at most ten pages of rows (2,000 at the program's
    200 a page: a million-case list scrolled through held 10,000), the farthest let go; each page is still read
    on from its neighbour, and wheeled back up she sees the rows the whole list has there."""
    from .test_gui_everyday_input import wheel

    page, asks, every = _list_watched(qtbot, office, monkeypatch, 5)  # 80 pages of 400 cases
    table, model = page.table, page.model
    bar = table.verticalScrollBar()
    held = []
    while bar.value() < bar.maximum():
        wheel(table.viewport(), -3)
        qtbot.wait(1)  # painted: the rows in sight read
        held.append(len(model._pages))
    assert len(asks) > 60 and max(held) <= 10, max(held)
    assert all(a.after is not None for a in asks[1:]), [a for a in asks[1:] if a.after is None][:3]
    assert table.rowAt(5) > len(every) - 30
    for _ in range(20):
        wheel(table.viewport(), 3)
        qtbot.wait(1)
    top = table.rowAt(5)
    assert top < len(every) - 60 and [model.index(row, 0).data() for row in range(top, top + 30)] == every[top:top + 30]
    assert len(model._pages) <= 10
