"""A table model whose rows come from SQLite a page at a time, sorted and filtered in SQL.

The case list, the household register and the audit trail run to tens of thousands of rows: they never
go into a widget whole. A model names its columns, how to fetch one page and count all rows for its
filter, and what each cell shows; this base keeps the pages (a bounded cache), answers the view, sorts
by the columns that have an SQL sort key, and starts again from the first page when the filter changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

RecordRole = Qt.ItemDataRole.UserRole + 1  # the row's record itself (CaseRow, RegisterRow, Entry…)
MAX_PAGES = 50  # pages kept at most (10,000 rows); beyond that the cache starts again

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
F = TypeVar("F")


class PagedTableModel(QAbstractTableModel, Generic[R, F]):
    PAGE = 200
    HEADERS: Sequence[str] = ()
    SORT_KEYS: Mapping[int, str] = {}  # column -> the SQL sort key; other columns do not sort

    def __init__(self, filter_: F, sort: str = "", descending: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = filter_
        self._sort = sort
        self._descending = descending
        self._count = 0
        self._pages: dict[int, list[R]] = {}

    # --- what a model says ------------------------------------------------------------------------
    def fetch(self, limit: int, offset: int) -> list[R]:
        raise NotImplementedError

    def count_rows(self) -> int:
        raise NotImplementedError

    def display(self, r: R, col: int) -> str:
        raise NotImplementedError

    def other_role(self, r: R, col: int, role: int) -> Any:
        """Tool tips, colours, alignment: None unless the model says otherwise."""
        return None

    # --- what the view asks -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def row_at(self, row: int) -> R | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self.fetch(self.PAGE, page_no * self.PAGE)
            if len(self._pages) >= MAX_PAGES:
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
        if role == RecordRole:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(r, index.column())
        return self.other_role(r, index.column(), role)

    # --- what the page asks -----------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def set_filter(self, f: F) -> None:
        self._filter = f
        self.refresh()

    def current_filter(self) -> F:
        return self._filter

    def refresh(self) -> None:
        self.beginResetModel()
        self.before_refresh()
        self._pages.clear()
        self._count = self.count_rows()
        self.endResetModel()

    def before_refresh(self) -> None:
        """What a model renews with its rows (e.g. today's date, for what is overdue)."""


class ListTableModel(PagedTableModel[R, F]):
    """A short list read whole at each refresh (the start page's lists): the same cells, colours and record
    role as a paged model, sorted in Python by the row attribute SORT_KEYS names for the column."""

    def __init__(self, filter_: F, sort: str = "", descending: bool = False, parent: Any = None) -> None:
        self._rows: list[R] = []
        super().__init__(filter_, sort, descending, parent)

    def load(self) -> list[R]:
        raise NotImplementedError

    def before_refresh(self) -> None:
        rows = self.load()
        if self._sort:
            rows.sort(key=lambda r: getattr(r, self._sort), reverse=self._descending)  # stable: ties keep their order
        self._rows = rows

    def fetch(self, limit: int, offset: int) -> list[R]:
        return self._rows[offset:offset + limit]

    def count_rows(self) -> int:
        return len(self._rows)
