"""The start page opens without the register import's service (issue 22: its spreadsheets' reading is no part of the
window's opening): the 待补全 button is counted once the page has first painted, and shows the same count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QScrollArea

from fulian_desktop.services.context import Context

from .test_register_import import REFERRALS, do_import


def test_the_records_to_complete_are_counted_once_the_start_page_has_painted(qtbot: Any, ctx: Context) -> None:
    from fulian_desktop.gui.reports.incomplete_list import IncompleteList
    from fulian_desktop.gui.shell.start_page import Dashboard

    do_import(ctx, REFERRALS)  # four records the register left incomplete
    page = Dashboard(ctx)
    qtbot.addWidget(page)
    assert page.incomplete_button.isHidden()  # built, not yet counted
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.incomplete_button.isVisible())
    assert page.incomplete_button.text() == "待补全 4 条"
    qtbot.mouseClick(page.incomplete_button, Qt.MouseButton.LeftButton)  # and it opens the list to complete
    assert [w for w in page.findChildren(IncompleteList) if w.isVisible()]


def test_a_page_with_nothing_to_complete_shows_no_button_after_it_paints(qtbot: Any, ctx: Context) -> None:
    from fulian_desktop.gui.shell.start_page import Dashboard

    page = Dashboard(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.wait(50)
    assert page._incomplete_counted and page.incomplete_button.isHidden()


def test_a_session_closed_before_the_count_s_turn_is_not_counted(qtbot: Any, ctx: Context) -> None:
    # the window still on the screen when its session was closed (a test's county window, or 切换用户 with the old
    # window not yet gone) and the page's column painting only then: the count that waits for that paint must not
    # read the closed database (it raised "Cannot operate on a closed database" in the event loop)
    from fulian_desktop.gui.shell.start_page import Dashboard

    do_import(ctx, REFERRALS)
    page = Dashboard(ctx)
    qtbot.addWidget(page)
    column = page.findChild(QScrollArea).widget()
    column.installEventFilter(held := _NoPaintOfItsOwn(page))  # its first paint held back
    page.show()
    qtbot.waitExposed(page)
    qtbot.wait(50)
    assert page.incomplete_button.isHidden()  # not yet counted
    ctx.close()
    column.removeEventFilter(held)
    column.repaint()  # its first paint now, the session closed
    qtbot.wait(50)  # the count's turn comes and goes: no error in the event loop
    assert page.incomplete_button.isHidden()


class _NoPaintOfItsOwn(QObject):
    """What a real screen does (the offscreen platform does not): the start page, covered whole by its scroll area,
    is sent no paint event of its own — only what shows on it paints."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        return event.type() == QEvent.Type.Paint


def test_the_signed_in_window_shows_the_records_to_complete_as_a_real_screen_paints_it(
        qtbot: Any, ctx: Context, office_app: Any) -> None:
    from fulian_desktop.gui.reports.incomplete_list import IncompleteList
    from fulian_desktop.gui.shell.main_window import MainWindow

    do_import(ctx, REFERRALS)  # four records the register left incomplete
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.dashboard.installEventFilter(blocker := _NoPaintOfItsOwn(w))
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    button = w.dashboard.incomplete_button
    qtbot.waitUntil(button.isVisible, timeout=3000)  # was never shown on a real screen: the page never painted
    assert button.text() == "待补全 4 条"
    w.dashboard.removeEventFilter(blocker)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [d for d in w.dashboard.findChildren(IncompleteList) if d.isVisible()]
