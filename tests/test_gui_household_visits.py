"""The household page's visit table as she reads it: the date, the visitors' names and the amounts each on one
line — never a name broken in two (贺辉斌、汪兰/桃) or an amount (¥/80.00); what does not fit ends in "…" and
shows whole when she points at it. Every person here is made up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from fulian_desktop.gui.households.household_view import VISIT_ONE_LINE, HouseholdView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context

from .test_print_layout import household_at_its_longest


def test_the_visit_table_keeps_names_amounts_and_dates_on_one_line(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, clock, office_app: QApplication) -> None:
    clock.now = dt.datetime(2025, 1, 6, 9, 0)
    case_id, _whole = household_at_its_longest(ctx)  # 贺辉斌、汪兰桃, ¥99,999.99, 100 characters of visitors
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 697)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, HouseholdView)
    table = view.visits
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 3)
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    shown = []
    for row in range(table.rowCount()):
        for col in VISIT_ONE_LINE:
            index = table.model().index(row, col)
            text = table.item(row, col).text()
            option = QStyleOptionViewItem()
            table.initViewItemOption(option)  # the table wraps (走访情况 does) …
            table.itemDelegateForIndex(index).initStyleOption(option, index)  # … but not these columns
            assert not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText, f"{text} may wrap"
            assert table.item(row, col).toolTip() == text  # what does not fit, she reads whole on pointing at it
            if len(text) <= 14:  # a date, two names, an amount, goods with their value: seen whole
                assert table.visualRect(index).width() >= table.fontMetrics().horizontalAdvance(text) + margin, text
                shown.append(text)
    assert {"贺辉斌、汪兰桃", "¥99,999.99", "¥80.00", "2024年12月31日"} <= set(shown)
    long_names = next(table.item(r, 2) for r in range(3) if len(table.item(r, 2).text()) > 50)
    assert table.visualRect(table.indexFromItem(long_names)).width() < table.fontMetrics().horizontalAdvance(
        long_names.text())  # a long list is cut short with "…" in its column, not allowed to take the table
