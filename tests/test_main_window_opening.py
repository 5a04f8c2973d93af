"""The main window opens on the start page paying only for what it shows (issue 22): the 案件列表 tab is built the
first time it is clicked (or asked for: Ctrl+2, Ctrl+F, a count on the start page), full at once, and each of
the start page's tables reads its rows once as the window opens, not once more when its header says how it is
sorted."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fulian_desktop.demo import generate as demo
from fulian_desktop.gui.cases import case_list as case_list_module
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import cases, households, start_page
from fulian_desktop.services.context import Context

from .test_office_polish import press


@pytest.fixture
def busy(ctx: Context) -> Context:
    demo.generate(ctx, 80, seed=3)
    return ctx


def _built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every 案件列表 page made from now on."""
    made: list[object] = []
    real = case_list_module.CaseListPage.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(case_list_module.CaseListPage, "__init__", counting)
    return made


def test_the_case_list_is_built_when_its_tab_is_first_clicked(qtbot: Any, busy: Context, office_app: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    made = _built(monkeypatch)
    w = MainWindow(busy)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    bar = w.tabs.tabBar()
    assert [bar.tabText(i) for i in range(bar.count())] == ["工作台", "案件列表"]
    assert w.tabs.currentWidget() is w.dashboard
    assert made == []  # not built behind the start page

    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert len(made) == 1
    page = w.tabs.currentWidget()
    assert page is made[0] and page is w.case_list and page.isVisible()
    assert bar.tabText(1) == "案件列表" and bar.count() == 2
    assert bar.tabButton(1, bar.ButtonPosition.RightSide) is None  # no close button, as before
    total = busy.db.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert page.model.rowCount() == total > 0  # full at once, not empty and filled later
    assert page.table.model().index(0, 0).data()

    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 工作台, then back with Ctrl+2
    assert w.tabs.currentWidget() is w.dashboard
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentWidget() is page and len(made) == 1  # the same page, built once


def test_ctrl_f_on_the_start_page_builds_the_list_and_types_into_its_search(qtbot: Any, busy: Context, office_app: Any,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    made = _built(monkeypatch)
    w = MainWindow(busy)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert len(made) == 1 and w.tabs.currentWidget() is w.case_list
    assert QApplication.focusWidget() is w.case_list.search
    assert w.current_case_id() is None  # nothing chosen yet in the list


def test_the_start_page_reads_each_table_once_as_the_window_opens(qtbot: Any, busy: Context,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[str] = []
    visits: list[str] = []
    read: list[str] = []  # the clocks (期限提醒) and the 家暴防护 box
    real_count, real_due = cases.count, households.due_this_month

    def reading(name: str) -> Any:
        real = getattr(start_page, name)

        def read_it(ctx: Context) -> Any:
            read.append(name)
            return real(ctx)

        return read_it

    for name in ("clocks", "protection_due"):
        monkeypatch.setattr(start_page, name, reading(name))

    def count(ctx: Context, f: Any, *args: Any, **kwargs: Any) -> int:
        counted.append(f.due)
        return real_count(ctx, f, *args, **kwargs)

    def due_this_month(ctx: Context, *args: Any, **kwargs: Any) -> Any:
        visits.append("read")
        return real_due(ctx, *args, **kwargs)

    real_page = cases.page
    pages: list[int] = []

    def page(ctx: Context, f: Any, sort: str, descending: bool, limit: int, *args: Any, **kwargs: Any) -> Any:
        pages.append(limit)
        return real_page(ctx, f, sort, descending, limit, *args, **kwargs)

    monkeypatch.setattr(cases, "count", count)
    monkeypatch.setattr(cases, "page", page)
    monkeypatch.setattr(households, "due_this_month", due_this_month)
    w = MainWindow(busy)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    # the table's rows counted once, then the two buttons' counts (已逾期, 本周到期); no case list behind it
    assert counted == ["due_soon", "overdue", "due_soon"]
    assert visits == ["read"]  # the month's visits read once
    assert sorted(read) == ["clocks", "protection_due"]  # (the clocks were read twice)
    qtbot.waitUntil(lambda: bool(pages))  # (read as the table first paints)
    assert pages == [50]  # the due cases' first rows: a page of 50 for the ten or so shown (it was 200)
    assert w.dashboard.due_model.rowCount() > 0 and w.dashboard.visits_box.model.rowCount() > 0

    w.refresh()  # after a change: read again, once each
    assert counted == ["due_soon", "overdue", "due_soon"] * 2 and visits == ["read", "read"]
    assert sorted(read) == ["clocks", "clocks", "protection_due", "protection_due"]


def test_the_case_list_code_loads_when_its_tab_is_first_opened(tmp_path: Any) -> None:
    """A fresh process, as the program starts: the main window painted without the case list's code."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from fulian_desktop.services import accounts

    from .conftest import CHEAP_KDF

    db = tmp_path / "fulian.db"
    accounts.setup_demo(db, kdf=CHEAP_KDF).close()
    user, _name, _roles, password = accounts.DEMO_STAFF
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtWidgets import QApplication
        from fulian_desktop.services import accounts
        from fulian_desktop.gui.shell.main_window import MainWindow
        app = QApplication([])
        w = MainWindow(accounts.sign_in({str(db)!r}, {user!r}, {password!r}))
        w.show()
        app.processEvents()
        print("painted", "fulian_desktop.gui.cases.case_list" in sys.modules)
        w.tabs.setCurrentIndex(1)
        print("opened", "fulian_desktop.gui.cases.case_list" in sys.modules, type(w.tabs.currentWidget()).__name__)
        """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config")}  # (its settings, not the user's)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split("\n")[:2] == ["painted False", "opened True CaseListPage"], out.stdout + out.stderr
