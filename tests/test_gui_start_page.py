"""The start page (工作台) as a clerk meets it on a busy morning: what is due in real tables (案件编号, 当事人,
待办事项, 到期日, 时限), the most overdue first, sortable by a click on a column, a case opened by a double-click
or by Enter; a very old one said as 逾期4年多, not 办结已逾期1669天; the whole page on a 1366×768 screen."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QTableView

from fulian_desktop.demo import generate as demo
from fulian_desktop.domain.deadlines import Deadline, overdue_for, time_left
from fulian_desktop.domain.household import Visit
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.households.household_view import HouseholdView
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.paged_model import RecordRole
from fulian_desktop.gui.shell.start_page_parts import COL_CASE_NO, COL_DUE_ON
from fulian_desktop.services import accounts, households, petitions
from fulian_desktop.services.context import Context

from .conftest import TODAY, Clock
from .test_office_polish import MAIN_ROOM

HEADERS = ["案件编号", "当事人", "待办事项", "到期日", "时限"]
FORGOTTEN = dt.datetime(2021, 5, 10, 9, 0)


def forgotten_petition(ctx: Context, clock: Clock) -> tuple[int, str]:
    """A petition accepted in May 2021 and never concluded: its 60 days ran out on 9 July 2021."""
    clock.now = FORGOTTEN
    case_id, case_no = petitions.register(ctx, Petition(
        channel="来访", received_on=FORGOTTEN.date(), headcount=1, township="东山镇", village="",
        petitioner=Person(name="郑秋菊", sex="女"), concerned=None, category="婚姻家庭", subcategory="",
        facts="丈夫长期在外，不给生活费。", request="要求支付抚养费", dv=False, safety_risk=False,
        receiving_staff="接待员"))
    petitions.accept(ctx, case_id, on=FORGOTTEN.date())
    clock.now = TODAY
    return case_id, case_no


@pytest.fixture
def busy(ctx: Context, clock: Clock) -> tuple[Context, int, str]:
    demo.generate(ctx, 200, seed=5)
    case_id, case_no = forgotten_petition(ctx, clock)
    household = ctx.db.execute("SELECT id FROM cases WHERE kind = 'household' AND is_open = 1 ORDER BY id").fetchone()[0]
    households.log_visit(ctx, household, Visit(  # a follow-up promised today, due in five days
        visited_on=TODAY.date(), visitors="王芳", kind="visit", seen="家中整洁", asked="孩子上学有困难",
        promised="联系教育局了解助学金", promise_due=TODAY.date() + dt.timedelta(days=5)))
    return ctx, case_id, case_no


@pytest.fixture
def window(qtbot: Any, busy: tuple[Context, int, str]) -> MainWindow:
    w = MainWindow(busy[0])
    qtbot.addWidget(w)
    w.resize(MAIN_ROOM)
    w.show()
    return w


def headers(table: QTableView) -> list[str]:
    m = table.model()
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def click_header(qtbot: Any, table: QTableView, col: int) -> None:
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(col) + header.sectionSize(col) // 2, header.height() // 2))


def double_click(qtbot: Any, table: QTableView, row: int) -> None:
    """A double-click as the mouse makes it: press, release, the second press (a double-click), release."""
    at = table.visualRect(table.model().index(row, COL_CASE_NO)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)


def case_at(table: QTableView, row: int) -> int:
    return int(table.model().index(row, 0).data(RecordRole).case_id)


def test_what_is_due_is_a_table_the_most_overdue_first(qtbot: Any, window: MainWindow,
                                                       busy: tuple[Context, int, str]) -> None:
    _ctx, case_id, case_no = busy
    table = window.dashboard.due_table
    assert table.isVisible() and headers(table) == HEADERS
    rows = table.rows()
    assert rows[0] == [case_no, "郑秋菊", "办结", "2021年7月9日", "逾期4年多"]  # not 办结已逾期1705天
    assert not any(re.fullmatch(r"逾期\d{3,}天", r[4]) for r in rows), rows
    late = [r for r in rows if r[4].startswith("逾期")]
    assert len(late) > 1 and rows[:len(late)] == late  # the overdue ones first, the rest by their date
    assert len(rows) == int(window.dashboard.overdue_button.text().split()[1]) + int(
        window.dashboard.due_soon_button.text().split()[1])
    tip = table.model().index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert case_no in tip and "双击" in tip

    # a click on 到期日 sorts the other way round (the forgotten one last), a second click back
    click_header(qtbot, table, COL_DUE_ON)
    assert table.rows()[-1][0] == case_no
    click_header(qtbot, table, COL_DUE_ON)
    assert table.rows()[0][0] == case_no
    # by case number: every case due is still there, in the order of their numbers
    click_header(qtbot, table, COL_CASE_NO)
    by_number = table.rows()
    assert sorted(map(tuple, by_number)) == sorted(map(tuple, rows)) and by_number != rows
    years = [int(r[0].split("〔")[1][:4]) for r in by_number]
    assert years == sorted(years) or years == sorted(years, reverse=True)
    click_header(qtbot, table, COL_DUE_ON)


def test_a_double_click_or_enter_opens_the_case(qtbot: Any, window: MainWindow,
                                                busy: tuple[Context, int, str]) -> None:
    _ctx, case_id, _case_no = busy
    table = window.dashboard.due_table
    double_click(qtbot, table, 0)
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView) and view.case_id == case_id

    # the keyboard: back to the start page, down two rows, Enter
    window.ui.actionDashboard.trigger()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    wanted = case_at(table, 2)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.open_views[wanted]


def test_visits_and_follow_ups_are_a_table_too(qtbot: Any, window: MainWindow) -> None:
    box = window.dashboard.visits_box
    table = box.table
    assert table.isVisible() and headers(table) == HEADERS
    rows = table.rows()
    visits = [r for r in rows if r[2].startswith("走访 · ")]
    tasks = [r for r in rows if r[2].startswith("待办：")]
    assert visits and tasks and len(visits) + len(tasks) == len(rows)
    dates = [dt.datetime.strptime(r[3], "%Y年%m月%d日").date() for r in rows]
    assert dates == sorted(dates)  # the earliest first, visits and follow-ups together
    assert all(re.fullmatch(r"逾期\d{1,2}天|逾期\d+个多?月|今天到期|还有\d+天", r[4]) for r in rows), rows
    row = rows.index(visits[0])
    double_click(qtbot, table, row)
    view = window.tabs.currentWidget()
    assert isinstance(view, HouseholdView) and view.case_id == case_at(table, row)
    window.ui.actionDashboard.trigger()
    row = rows.index(tasks[0])
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 2))
    qtbot.keyClick(table, Qt.Key.Key_Enter)
    view = window.tabs.currentWidget()
    assert isinstance(view, HouseholdView) and view.case_id == case_at(table, row)


def test_a_new_office_sees_a_line_not_an_empty_table(qtbot: Any, ctx: Context) -> None:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    dash = w.dashboard
    assert not dash.due_table.isVisible() and dash.no_due.isVisible()
    assert dash.no_due.text() == "本周没有到期或逾期的案件。"
    assert not dash.visits_box.table.isVisible() and dash.visits_box.none.isVisible()
    assert not dash.clocks_box.table.isVisible() and dash.clocks_box.none.isVisible()


def test_the_page_fits_a_1366x768_screen_with_whole_rows(qtbot: Any, busy: tuple[Context, int, str],
                                                          office_app: QApplication) -> None:
    """With the program's own fonts (office_app), maximised on a 1366×768 screen."""
    w = MainWindow(busy[0])
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(MAIN_ROOM)  # maximised on a 1366×768 screen with the taskbar (the test's own screen may be smaller)
    qtbot.waitUntil(lambda: w.size() == MAIN_ROOM)
    page = w.dashboard.findChild(QScrollArea)
    assert page is not None and not page.verticalScrollBar().isVisible()  # no scrolling to see the tables
    for table in (w.dashboard.due_table, w.dashboard.visits_box.table):
        row_height = table.verticalHeader().defaultSectionSize()
        assert table.viewport().height() >= 6 * row_height, table.viewport().height()
        shown = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
        assert shown <= table.viewport().width() + 1  # every column in view, none cut off on the right
        for row in range(min(6, table.model().rowCount())):
            for col in range(table.model().columnCount()):
                text = str(table.model().index(row, col).data())
                if col != 2:  # 待办事项 may end in "…" (its tooltip has it whole); the others never
                    assert table.fontMetrics().horizontalAdvance(text) + 8 <= table.columnWidth(col), (text, col)


def test_how_late_is_said_as_an_office_says_it() -> None:
    today = dt.date(2026, 12, 6)
    for due, said in ((dt.date(2026, 11, 24), "12天"), (dt.date(2026, 10, 7), "60天"), (dt.date(2026, 10, 6), "2个月"),
                      (dt.date(2026, 9, 6), "3个月"), (dt.date(2026, 8, 20), "3个多月"), (dt.date(2025, 12, 6), "1年"),
                      (dt.date(2022, 5, 16), "4年多")):
        assert overdue_for(due, today) == said, due
    assert time_left(dt.date(2022, 5, 16), today) == "逾期4年多"
    assert time_left(today, today) == "今天到期"
    assert time_left(dt.date(2026, 12, 9), today) == "还有3天"
    # the same words on a case's page: 办结已逾期4年多, not 办结已逾期1633天
    assert Deadline("办结", dt.date(2026, 3, 10)).describe(dt.date(2030, 9, 1)) == "办结已逾期4年多"


def test_an_account_that_cannot_back_up_is_told_who_can(qtbot: Any, ctx: Context, clock: Clock) -> None:
    assert ctx.path is not None
    accounts.add_account(ctx, "chuangkou", "窗口乙", {"window"}, "window-pass-1")
    clerk = accounts.sign_in(ctx.path, "chuangkou", "window-pass-1", clock=clock)
    try:
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        w.show()
        label = w.dashboard.backup_label
        assert label.isVisible() and label.text() == "还没有备份到U盘，请主任或管理员尽快备份"
        assert "#a61b1b" in label.styleSheet()  # red from the first day
        assert label.cursor().shape() != Qt.CursorShape.PointingHandCursor  # nothing to click for her
        w.close()
    finally:
        clerk.close()
