"""Parts of the start page (工作台): the tables of what is due (a case or a household per row: its number, who,
what is due, by when, how late), the clocks overdue or due this week per kind of work, the age of the last
backup, and opening the case list behind a line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QCursor
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ...domain.dates import format_cn
from ...domain.deadlines import DUE_SOON_DAYS, time_left
from ...domain.kinds import count_label
from ...domain.supervision import MARK as SUPERVISED
from ...services import start_page
from ...services.context import Context
from ...services.start_page import ClockLine
from ..cases.case_model import DUE_SOON_BG, OVERDUE_BG, OVERDUE_FG
from .paged_model import Index, ListTableModel, RecordRole
from .widgets import HINT_STYLE, record_table, set_combo

# --- what is due, a row per case ---------------------------------------------------------------------------

COL_CASE_NO, COL_NAMES, COL_WHAT, COL_DUE_ON, COL_LEFT = range(5)
DUE_HEADERS = ("案件编号", "当事人", "待办事项", "到期日", "时限")


@dataclass(frozen=True)
class DueRow:
    """One line of a start-page table: a case (or a household) and the thing due on it."""

    case_id: int
    case_no: str
    names: str
    what: str  # 办结 / 答复是否受理 / 回访 / 走访 · 东山镇石桥村 / 待办：联系教育局…
    due_on: dt.date
    note: str = ""  # shown when the pointer rests on the row: the case's summary, the task in full
    supervised: bool = False  # 督办: said before what is due


class DueCells:
    """What a start-page table of DueRows shows: the date in words, how late (逾期12天 / 逾期4年多 / 今天到期 /
    还有3天), overdue rows in red on pink and those due within a week on yellow, as in the case list."""

    HEADERS = DUE_HEADERS
    today: dt.date

    def display(self, r: DueRow, col: int) -> str:
        if col == COL_CASE_NO:
            return r.case_no
        if col == COL_NAMES:
            return r.names
        if col == COL_WHAT:
            return f"【{SUPERVISED}】{r.what}" if r.supervised else r.what
        if col == COL_DUE_ON:
            return format_cn(r.due_on)
        if col == COL_LEFT:
            return time_left(r.due_on, self.today)
        return ""

    def other_role(self, r: DueRow, col: int, role: int) -> Any:
        days = (r.due_on - self.today).days
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_BG) if days < 0 else QBrush(DUE_SOON_BG) if days <= DUE_SOON_DAYS else None
        if role == Qt.ItemDataRole.ForegroundRole and days < 0:
            return QBrush(OVERDUE_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(t for t in (f"{r.case_no}　{r.names}", r.what, r.note) if t) + "\n（双击或按回车键打开）"
        return None


class DueTable(QTableView):
    """A start-page table: whole rows, sortable by every column (the earliest due first), and a double-click
    or Enter on a row opens its case."""

    openCase = Signal(int)

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        record_table(self)
        self.setModel(model)
        self.setAlternatingRowColors(False)  # the colours say what is late
        self.setWordWrap(False)
        self.horizontalHeader().setSortIndicator(COL_DUE_ON, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)  # sorts by the indicator: most overdue first
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        fm = self.fontMetrics()
        for col, widest in ((COL_CASE_NO, "婚调〔2026〕第0000号"), (COL_NAMES, "欧阳秀英与司马"), (COL_DUE_ON, "2026年12月30日"),
                            (COL_LEFT, "逾期11个多月")):
            self.setColumnWidth(col, fm.horizontalAdvance(widest) + 20)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setMinimumHeight(self.rows_height(4))
        self.activated.connect(self._open)

    def rows_height(self, rows: int) -> int:
        """The height that shows the header and `rows` whole rows."""
        return (self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
                + 2 * self.frameWidth())

    def _open(self, index: QModelIndex) -> None:
        r = self.model().data(index, RecordRole)
        if r is not None:
            self.openCase.emit(int(r.case_id))

    def rows(self) -> list[list[str]]:
        """What the table shows, row by row, in its current order."""
        m = self.model()
        return [[str(m.index(row, col).data() or "") for col in range(m.columnCount())] for row in range(m.rowCount())]


def empty_note(text: str) -> QLabel:
    """The grey line a start-page box shows instead of an empty table."""
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    return label


# --- the clocks, a row per kind of work and kind of clock ----------------------------------------------------

CLOCK_HEADERS = ("类型", "待办事项", "已逾期", "本周到期")
COL_KIND, COL_LABEL, COL_OVERDUE, COL_DUE_SOON = range(4)


class ClocksModel(ListTableModel[ClockLine, None]):
    HEADERS = CLOCK_HEADERS
    SORT_KEYS = {COL_KIND: "kind", COL_LABEL: "label", COL_OVERDUE: "overdue", COL_DUE_SOON: "due_soon"}

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(None, parent=parent)
        self.ctx = ctx
        self.refresh()

    def load(self) -> list[ClockLine]:
        return start_page.clocks(self.ctx)  # the most overdue first

    def display(self, r: ClockLine, col: int) -> str:
        if col == COL_KIND:
            return count_label(r.kind)  # 转介: referrals to any service share their clocks
        if col == COL_LABEL:
            return r.label
        count = r.overdue if col == COL_OVERDUE else r.due_soon
        return f"{count} 件" if count else "—"

    def other_role(self, r: ClockLine, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_OVERDUE, COL_DUE_SOON):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_BG) if r.overdue else QBrush(DUE_SOON_BG)
        if role == Qt.ItemDataRole.ForegroundRole and r.overdue:
            return QBrush(OVERDUE_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "双击或按回车键，在案件列表中查看这些案件"
        return None


class ClocksBox(QGroupBox):
    """期限提醒: one row per kind of work and kind of clock, with how many are overdue and due this week; a
    row opens the case list behind it (the overdue ones, or those due this week from its 本周到期 cell)."""

    showList = Signal(str, str)  # kind, "overdue" / "due_soon"
    MAX_ROWS = 5  # as tall as its rows up to this many; the rest scroll

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("期限提醒（按时限分类，双击查看案件）", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.model = ClocksModel(ctx, self)
        self.table = QTableView()
        record_table(self.table)
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (COL_OVERDUE, COL_DUE_SOON):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.none = empty_note("没有逾期或本周到期的时限。")
        layout.addWidget(self.table)
        layout.addWidget(self.none)
        self.table.activated.connect(self._activated)
        self._show()  # the model has just read its rows (the query once at start-up)

    def refresh(self) -> None:
        self.model.refresh()
        self._show()

    def _show(self) -> None:
        n = self.model.rowCount()
        self.none.setVisible(n == 0)
        self.table.setVisible(n > 0)
        rows = min(max(n, 1), self.MAX_ROWS)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
                                  + rows * self.table.verticalHeader().defaultSectionSize())

    def _activated(self, index: Index) -> None:
        line = self.model.row_at(index.row())
        if line is None:
            return
        due = "due_soon" if index.column() == COL_DUE_SOON or not line.overdue else "overdue"
        self.showList.emit(line.kind, due)


class BackupLabel(QLabel):
    """上次备份到U盘：3天前 — green; red when it is a week or more, and from the first day until the first
    backup (还没有备份到U盘)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        text, late = start_page.backup_age_text(self.ctx)
        self.setText(text)
        self.setStyleSheet("color: #a61b1b; font-weight: bold;" if late else "color: #2e7d32;")


class _Clicks(QObject):
    def __init__(self, parent: QObject, callback: Callable[[], None]) -> None:
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonRelease:
            self.callback()
            return True
        return False


def clickable(label: QLabel, callback: Callable[[], None], tip: str = "") -> None:
    """A number on the start page that opens the list behind it when clicked."""
    label.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
    label.setToolTip(tip or "点击查看这些案件")
    label.installEventFilter(_Clicks(label, callback))


def show_in_list(case_list: QWidget, kind: str, what: str, today: dt.date) -> None:
    """Set the case list's filters: `what` is overdue / due_soon (open cases of the kind whose clock has
    run out / runs out this week), open (all open cases of the kind) or today (registered today)."""
    case_list.clear()  # type: ignore[attr-defined]
    for w in (case_list.kind, case_list.status, case_list.due, case_list.use_dates):  # type: ignore[attr-defined]
        w.blockSignals(True)
    if kind:
        set_combo(case_list.kind, kind)  # type: ignore[attr-defined]
        case_list._fill_statuses()  # type: ignore[attr-defined]
    if what in ("overdue", "due_soon"):
        set_combo(case_list.due, what)  # type: ignore[attr-defined]
    elif what == "open":
        set_combo(case_list.status, "open")  # type: ignore[attr-defined]
    elif what == "today":
        case_list.use_dates.setChecked(True)  # type: ignore[attr-defined]
        for d in (case_list.date_from, case_list.date_to):  # type: ignore[attr-defined]
            d.setEnabled(True)
            d.setDate(QDate(today.year, today.month, today.day))
    for w in (case_list.kind, case_list.status, case_list.due, case_list.use_dates):  # type: ignore[attr-defined]
        w.blockSignals(False)
    case_list.apply()  # type: ignore[attr-defined]
