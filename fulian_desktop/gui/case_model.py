"""The case list model: rows are fetched from SQLite a page at a time, sorted in SQL.

A list of 100,000 cases never goes into the widget whole.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..domain.dates import format_cn
from ..domain.kinds import kind_label
from ..domain.records import CaseRow
from ..domain.statuses import status_label
from ..services import cases
from ..services.cases import due_state
from ..services.context import Context
from ..store.search import CaseFilter

RecordRole = Qt.ItemDataRole.UserRole + 1

COL_CASE_NO, COL_KIND, COL_RECEIVED, COL_NAMES, COL_TOWNSHIP, COL_CATEGORY, COL_STATUS, COL_DUE, COL_SUMMARY = (
    range(9)
)
HEADERS = ("案件编号", "类型", "收到日期", "当事人", "乡镇", "问题类别", "状态", "时限", "诉求摘要")
SORT_KEYS = {
    COL_CASE_NO: "case_no", COL_KIND: "kind", COL_RECEIVED: "received_on", COL_NAMES: "names",
    COL_TOWNSHIP: "township", COL_CATEGORY: "category", COL_STATUS: "status", COL_DUE: "due_on",
}
OVERDUE_BG = QColor("#fde2e1")
OVERDUE_FG = QColor("#a61b1b")
DUE_SOON_BG = QColor("#fff3cd")

Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    PAGE = 200

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filter = CaseFilter()
        self._sort = "received_on"
        self._descending = True
        self._count = 0
        self._pages: dict[int, list[CaseRow]] = {}
        self._today = ctx.today()
        self.refresh()

    # --- what the view asks -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def row_at(self, row: int) -> CaseRow | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = cases.page(self._ctx, self._filter, self._sort, self._descending, self.PAGE, page_no * self.PAGE)
            if len(self._pages) > 50:
                self._pages.clear()
            self._pages[page_no] = page
        offset = row - page_no * self.PAGE
        return page[offset] if offset < len(page) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        col = index.column()
        if role == RecordRole:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_SUMMARY, COL_DUE):
            return r.summary if col == COL_SUMMARY else self._due_text(r)
        state = due_state(r, self._today)
        if role == Qt.ItemDataRole.BackgroundRole and state:
            return QBrush(OVERDUE_BG if state == "overdue" else DUE_SOON_BG)
        if role == Qt.ItemDataRole.ForegroundRole and state == "overdue":
            return QBrush(OVERDUE_FG)
        return None

    def _due_text(self, r: CaseRow) -> str:
        if r.due_on is None:
            return ""
        days = (r.due_on - self._today).days
        if days < 0:
            return f"{r.due_label}逾期{-days}天"
        return f"{r.due_label} {format_cn(r.due_on)}"

    def _display(self, r: CaseRow, col: int) -> str:
        if col == COL_CASE_NO:
            return r.case_no
        if col == COL_KIND:
            return kind_label(r.kind)
        if col == COL_RECEIVED:
            return format_cn(r.received_on)
        if col == COL_NAMES:
            return r.names
        if col == COL_TOWNSHIP:
            return r.township
        if col == COL_CATEGORY:
            return r.category
        if col == COL_STATUS:
            return status_label(r.kind, r.status)
        if col == COL_DUE:
            return self._due_text(r)
        if col == COL_SUMMARY:
            return r.summary
        return ""

    # --- what the page asks ---------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def set_filter(self, f: CaseFilter) -> None:
        self._filter = f
        self.refresh()

    def current_filter(self) -> CaseFilter:
        return self._filter

    def refresh(self, today: dt.date | None = None) -> None:
        self.beginResetModel()
        self._today = today or self._ctx.today()
        self._pages.clear()
        self._count = cases.count(self._ctx, self._filter)
        self.endResetModel()
