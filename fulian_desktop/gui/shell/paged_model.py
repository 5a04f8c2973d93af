"""A table model whose rows come from SQLite a page at a time, sorted and filtered in SQL.

The case list, the household register and the audit trail run to tens of thousands of rows: they never
go into a widget whole. A model names its columns, how to fetch one page and count all rows for its
filter, and what each cell shows; this base keeps the pages (a bounded cache), answers the view, sorts
by the columns that have an SQL sort key, and starts again from the first page when the filter changes.

A page next to one already read is asked for as the rows after (or before) that page's last (first) row, which
the store reads on from the order's index (store/keyset.py) instead of stepping over every row above it; a page
nearer the end than the start is counted from the end. A model may count its rows only up to a bound (a search
finding 40,000 cases says "1,000+"): the view then shows that many and asks for more as it is scrolled to the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView

RecordRole = Qt.ItemDataRole.UserRole + 1  # the row's record itself (CaseRow, RegisterRow, Entry…)
MAX_PAGES = 10  # pages kept at most (2,000 rows, ≈ 1.7 MB of the case list's), the farthest go first: 50 held 8 MB
# all day once she had scrolled a million rows; scrolling reads each page on from its neighbour either way

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
F = TypeVar("F")


@dataclass(frozen=True)
class PageAsk(Generic[R]):
    """Which rows a page holds, and what is already known around it (a model may use it or only `offset`)."""

    limit: int
    offset: int  # its first row's place from the top
    after: R | None = None  # the row just above it, already read
    before: R | None = None  # the row just below it, already read
    from_end: int | None = None  # rows below it, when that is fewer than above (read backwards from the end)

    @property
    def start(self) -> int:
        """Where a service reading by keyset starts: `offset` rows from the top, or `from_end` rows from the end."""
        return self.offset if self.from_end is None else self.from_end

    def around(self) -> dict[str, Any]:
        """The rest of a keyset read's arguments (a service's `page(…, limit, start, **around)`): whether it counts
        from the end, and the ids of the rows already read just above and below."""
        return {"from_end": self.from_end is not None, "after": self.after.id if self.after else None,  # type: ignore[attr-defined]
                "before": self.before.id if self.before else None}  # type: ignore[attr-defined]


class PagedTableModel(QAbstractTableModel, Generic[R, F]):
    PAGE = 200
    COUNT_STEP = 1000  # a bounded count (count_bounded) reads this many rows further each time
    HEADERS: Sequence[str] = ()
    SORT_KEYS: Mapping[int, str] = {}  # column -> the SQL sort key; other columns do not sort

    def __init__(self, filter_: F, sort: str = "", descending: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = filter_
        self._sort = sort
        self._descending = descending
        self._count = 0
        self._exact = True  # False: there are more rows than _count, read as the view is scrolled to the end
        self._pages: dict[int, list[R]] = {}
        self._loaded = False  # refreshed at least once (a view's first sort by the order it already has reads nothing)

    # --- what a model says ------------------------------------------------------------------------
    def fetch(self, limit: int, offset: int) -> list[R]:
        raise NotImplementedError

    def fetch_page(self, ask: PageAsk[R]) -> list[R]:
        """The page's rows; a model whose store reads on from a known row overrides this."""
        return self.fetch(ask.limit, ask.offset)

    def count_rows(self) -> int:
        raise NotImplementedError

    def count_bounded(self, bound: int) -> int | None:
        """The rows counted no further than bound + 1, or None when the model counts them all (count_rows)."""
        return None

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

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exact

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exact:
            return
        shown = self._count
        count, exact = self._counted(shown + self.COUNT_STEP)
        if count > shown:
            self.beginInsertRows(QModelIndex(), shown, count - 1)
            self._count, self._exact = count, exact
            self.endInsertRows()
        else:
            self._exact = True

    def count_text(self) -> str:
        """How many rows, as the page says it: 1,234 or 1,000+ (a bounded count)."""
        return f"{self._count:,}" + ("" if self._exact else "+")

    def row_at(self, row: int) -> R | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self.fetch_page(self._ask(page_no))
            while len(self._pages) >= MAX_PAGES:  # the pages farthest away go first; the neighbours stay
                del self._pages[max(self._pages, key=lambda n: abs(n - page_no))]
            self._pages[page_no] = page
        offset = row - page_no * self.PAGE
        return page[offset] if offset < len(page) else None

    def _ask(self, page_no: int) -> PageAsk[R]:
        start = page_no * self.PAGE
        limit = self.PAGE
        above, below = self._pages.get(page_no - 1), self._pages.get(page_no + 1)
        if above and len(above) == self.PAGE:
            return PageAsk(limit, start, after=above[-1])
        if below:
            return PageAsk(limit, start, before=below[0])
        end = min(start + limit, self._count)
        if self._exact and self._count - end < start:
            return PageAsk(end - start, start, from_end=self._count - end)
        return PageAsk(limit, start)

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
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (key, descending) == (self._sort, self._descending):
            return  # already in that order: a view turning sorting on says so again (each query once at start-up)
        self._sort = key
        self._descending = descending
        self.refresh()

    def keep_sort_indicator(self, header: QHeaderView) -> None:
        """A click on a column that does not sort (诉求摘要) leaves the header's arrow on the column the rows are
        sorted by: the arrow moved to the clicked column while the rows kept their order."""

        def back(column: int, _order: Qt.SortOrder) -> None:
            if column in self.SORT_KEYS:
                return
            by = next((c for c, key in self.SORT_KEYS.items() if key == self._sort), -1)
            blocked = header.blockSignals(True)
            header.setSortIndicator(by, Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(blocked)

        header.sortIndicatorChanged.connect(back)

    def set_filter(self, f: F) -> None:
        self._filter = f
        self.refresh()

    def current_filter(self) -> F:
        return self._filter

    def refresh(self) -> None:
        self.beginResetModel()
        self.before_refresh()
        self._pages.clear()
        self._count, self._exact = self._counted(self.COUNT_STEP)
        self._loaded = True
        self.endResetModel()

    def _counted(self, up_to: int) -> tuple[int, bool]:
        n = self.count_bounded(up_to)
        if n is None:
            return self.count_rows(), True
        return (up_to, False) if n > up_to else (n, True)

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
