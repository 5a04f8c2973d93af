"""The case list model: rows are fetched from SQLite a page at a time, sorted in SQL (paged_model.py).

A list of 100,000 cases never goes into the widget whole.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.dates import format_cn
from ...domain.deadlines import overdue_for
from ...domain.filters import CaseFilter
from ...domain.kinds import kind_label
from ...domain.records import CaseRow
from ...domain.statuses import status_label
from ...domain.supervision import MARK as SUPERVISED
from ...services import cases
from ...services.cases import due_state
from ...services.context import Context
from ..shell.paged_model import PageAsk, PagedTableModel, RecordRole

__all__ = ["CaseTableModel", "RecordRole"]

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


class CaseTableModel(PagedTableModel[CaseRow, CaseFilter]):
    HEADERS = HEADERS
    SORT_KEYS = SORT_KEYS

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(CaseFilter(), "received_on", True, parent)
        self._ctx = ctx
        self._today = ctx.today()
        self.refresh()

    def fetch(self, limit: int, offset: int) -> list[CaseRow]:
        return cases.page(self._ctx, self._filter, self._sort, self._descending, limit, offset)

    def fetch_page(self, ask: PageAsk[CaseRow]) -> list[CaseRow]:
        """Read on from a row already shown (or from the end), in order from the index: no row above is read."""
        if ask.after is not None or ask.before is not None or ask.from_end is not None:
            return cases.page(self._ctx, self._filter, self._sort, self._descending, ask.limit, ask.start,
                              **ask.around())
        return self.fetch(ask.limit, ask.offset)

    def count_rows(self) -> int:
        return cases.count(self._ctx, self._filter)

    def count_bounded(self, bound: int) -> int | None:
        """A search is counted to 1,000 (then 2,000 … as the list is scrolled to its end): counting every case a
        common word finds would read each of them; the list without search text is counted whole."""
        return cases.count(self._ctx, self._filter, bound) if self._filter.text.strip() else None

    def before_refresh(self) -> None:
        self._today = self._ctx.today()

    def other_role(self, r: CaseRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_SUMMARY, COL_DUE):
            return r.summary if col == COL_SUMMARY else self._due_text(r)
        if role == Qt.ItemDataRole.FontRole and r.supervised:  # 督办: stands out in the list
            font = QFont()
            font.setBold(True)
            return font
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
            return f"{r.due_label}逾期{overdue_for(r.due_on, self._today)}"
        return f"{r.due_label} {format_cn(r.due_on)}"

    def display(self, r: CaseRow, col: int) -> str:
        if col == COL_CASE_NO:
            return r.case_no
        if col == COL_KIND:
            return kind_label(r.kind, r.service)
        if col == COL_RECEIVED:
            return format_cn(r.received_on)
        if col == COL_NAMES:
            return r.names
        if col == COL_TOWNSHIP:
            return r.township
        if col == COL_CATEGORY:
            return r.category
        if col == COL_STATUS:
            return status_label(r.kind, r.status) + (f" · {SUPERVISED}" if r.supervised else "")
        if col == COL_DUE:
            return self._due_text(r)
        if col == COL_SUMMARY:
            return r.summary
        return ""
