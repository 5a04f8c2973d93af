"""A click on a column the list does not sort by (案件列表's 诉求摘要) leaves the header's arrow on the column the rows
are sorted by: the arrow used to move to 诉求摘要 while the rows stayed in their order, saying what was not so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt

from fulian_desktop.demo import generate as demo
from fulian_desktop.services.context import Context


def test_a_click_on_a_column_that_does_not_sort_leaves_the_arrow_where_the_rows_are_sorted(
        qtbot: Any, ctx: Context, office_app: Any) -> None:
    from fulian_desktop.gui.cases.case_list import CaseListPage
    from fulian_desktop.gui.cases.case_model import COL_NAMES, COL_RECEIVED, COL_SUMMARY

    demo.generate(ctx, 30, seed=3)
    page = CaseListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    rows = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (COL_RECEIVED, Qt.SortOrder.DescendingOrder)

    def click(column: int) -> None:
        at = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)

    click(COL_SUMMARY)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == rows  # the rows as they were

    click(COL_NAMES)  # a column that sorts: the arrow goes there, and the rows follow it
    assert header.sortIndicatorSection() == COL_NAMES
    names = [page.model.index(r, COL_NAMES).data() for r in range(page.model.rowCount())]
    click(COL_SUMMARY)
    assert header.sortIndicatorSection() == COL_NAMES
    assert [page.model.index(r, COL_NAMES).data() for r in range(page.model.rowCount())] == names
