"""帮扶户和关爱对象名册: every household and person on the care lists, with who is due a visit.

The table model fetches rows from SQLite a page at a time, sorted in SQL (paged_model.py; a county's
left-behind children alone may run to thousands).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn
from ...domain.errors import FulianError
from ...domain.filters import RegisterFilter, RegisterRow
from ...domain.household import STATUS_LABELS
from ...domain.names import INITIALS_HELP
from ...domain.rhythm import describe_due, due_state
from ...services import household_printing, households, lists
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.paged_model import PageAsk, PagedTableModel, RecordRole
from ..shell.pdf_preview import PdfPreview
from ..shell.widgets import combo, combo_value, office_list, search_as_you_type, set_combo

(COL_CASE_NO, COL_LIST, COL_NAMES, COL_SIZE, COL_TOWNSHIP, COL_VILLAGE, COL_TYPE, COL_CADRE, COL_RHYTHM,
 COL_LAST, COL_DUE, COL_STATUS) = range(12)
HEADERS = ("编号", "名单", "户主/姓名", "人口", "乡镇", "村（社区）", "户类型", "帮扶责任人", "走访周期",
           "上次走访", "下次走访", "状态")
SORT_KEYS = {COL_CASE_NO: "case_no", COL_LIST: "list", COL_NAMES: "names", COL_TOWNSHIP: "township",
             COL_LAST: "last_visit", COL_DUE: "due_on", COL_STATUS: "status"}
OVERDUE_BG = QColor("#fde2e1")
OVERDUE_FG = QColor("#a61b1b")
THIS_MONTH_BG = QColor("#fff3cd")
DUE_CHOICES = (("", "走访时限：全部"), ("this_month", "本月应走访（含逾期）"), ("overdue", "已逾期"))
STATUS_CHOICES = (("open", "帮扶中（含已脱贫）"), ("", "全部状态"), *STATUS_LABELS.items())


class RegisterModel(PagedTableModel[RegisterRow, RegisterFilter]):
    HEADERS = HEADERS
    SORT_KEYS = SORT_KEYS

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(RegisterFilter(), "due_on", False, parent)
        self._ctx = ctx
        self._today = ctx.today()
        self.refresh()

    def fetch(self, limit: int, offset: int) -> list[RegisterRow]:
        return households.register_page(self._ctx, self._filter, self._sort, self._descending, limit, offset)

    def fetch_page(self, ask: PageAsk[RegisterRow]) -> list[RegisterRow]:
        """Read on from a row already shown, or from the end (paged_model.py)."""
        return households.register_page(self._ctx, self._filter, self._sort, self._descending, ask.limit, ask.start,
                                        **ask.around())

    def count_rows(self) -> int:
        return households.register_count(self._ctx, self._filter)

    def before_refresh(self) -> None:
        self._today = self._ctx.today()

    def other_role(self, r: RegisterRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignCenter)
        state = due_state(r.due_on, self._today)
        if role == Qt.ItemDataRole.BackgroundRole and state:
            return QBrush(OVERDUE_BG if state == "overdue" else THIS_MONTH_BG)
        if role == Qt.ItemDataRole.ForegroundRole and state == "overdue":
            return QBrush(OVERDUE_FG)
        return None

    def display(self, r: RegisterRow, col: int) -> str:
        if col == COL_CASE_NO:
            return r.case_no
        if col == COL_LIST:
            return r.list_name
        if col == COL_NAMES:
            return r.names
        if col == COL_SIZE:
            return str(r.size) if r.unit == "household" else ""
        if col == COL_TOWNSHIP:
            return r.township
        if col == COL_VILLAGE:
            return r.village
        if col == COL_TYPE:
            return r.household_type
        if col == COL_CADRE:
            return r.cadre
        if col == COL_RHYTHM:
            return r.rhythm.label()
        if col == COL_LAST:
            return format_cn(r.last_visit) if r.last_visit else "尚未走访"
        if col == COL_DUE:
            return describe_due(r.due_on, self._today)
        if col == COL_STATUS:
            return STATUS_LABELS.get(r.status, r.status)
        return ""


class HouseholdRegisterPage(QWidget):
    openCase = Signal(int)
    newEntry = Signal()
    logVisit = Signal(int)  # case id

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_preview: PdfPreview | None = None
        layout = QVBoxLayout(self)
        intro = QLabel("帮扶户和各类关爱对象（留守儿童、春蕾女童、“两癌”救助对象等）在同一名册中按周期走访。"
                       "黄色为本月应走访，红色为已逾期。双击打开。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #52606d;")
        layout.addWidget(intro)

        filters = QHBoxLayout()
        self.care_list = combo([], empty="全部名单")
        self.township = combo(lists.values(ctx, "township"), empty="全部乡镇")
        self.status = combo([])
        for key, label in STATUS_CHOICES:
            self.status.addItem(label, key)
        self.due = combo([])
        for key, label in DUE_CHOICES:
            self.due.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：姓名（可输拼音首字母）、编号、村或帮扶责任人")
        self.search.setToolTip(INITIALS_HELP)
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        for w in (self.care_list, self.township, self.status, self.due):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        layout.addLayout(filters)

        self.model = RegisterModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_DUE, Qt.SortOrder.AscendingOrder)
        self.model.keep_sort_indicator(self.table.horizontalHeader())
        office_list(self.table, (150, 120, 80, 44, 70, 80, 90, 80, 90, 110, 150, 70))
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建帮扶户/关爱对象")
        self.visit_button = QPushButton("为所选登记走访")
        self.open_button = QPushButton("打开所选")
        self.month_button = QPushButton("打印月度走访计划表…")
        for b in (self.new_button, self.visit_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.month_button)
        layout.addLayout(buttons)

        self._timer = search_as_you_type(self, self.search, self.apply)
        for c in (self.care_list, self.township, self.status, self.due):
            c.currentIndexChanged.connect(self.apply)
        self.table.activated.connect(self._activated)
        self.new_button.clicked.connect(self.newEntry)
        self.open_button.clicked.connect(self._open_selected)
        self.visit_button.clicked.connect(self._visit_selected)
        self.month_button.clicked.connect(self.make_month_dialog)
        self.reload_lists()

    # --- filters --------------------------------------------------------------------------------
    def reload_lists(self) -> None:
        """The care lists may change (设置 → 关爱对象名单): refill the list filter, keep the choice."""
        current = self.care_list.currentData()
        self.care_list.blockSignals(True)
        self.care_list.clear()
        self.care_list.addItem("全部名单", None)
        for c in households.care_lists(self.ctx, include_inactive=True):
            self.care_list.addItem(c.name + ("" if c.active else "（已停用）"), c.id)
        i = self.care_list.findData(current)
        self.care_list.setCurrentIndex(max(i, 0))
        self.care_list.blockSignals(False)
        self.apply()

    def current_filter(self) -> RegisterFilter:
        data = self.care_list.currentData()
        return RegisterFilter(
            list_id=int(data) if data is not None else None, township=combo_value(self.township),
            status=combo_value(self.status), due=combo_value(self.due), text=self.search.text().strip(),
        )

    def apply(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.current_filter())
        self.count_label.setText(f"共 {self.model.rowCount():,} 户（人）")

    def refresh(self) -> None:
        self.model.refresh()
        self.count_label.setText(f"共 {self.model.rowCount():,} 户（人）")

    def show_due(self, due: str = "this_month") -> None:
        set_combo(self.due, due)

    def rows(self) -> list[RegisterRow]:
        out = []
        for i in range(self.model.rowCount()):
            r = self.model.row_at(i)
            if r is not None:
                out.append(r)
        return out

    # --- actions --------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        r = self.model.data(self.model.index(index.row(), 0), RecordRole)
        return r.id if r else None

    def _activated(self, index: QModelIndex) -> None:
        r = self.model.data(self.model.index(index.row(), 0), RecordRole)
        if r is not None:
            self.openCase.emit(r.id)

    def _open_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            dialogs.inform(self, "打开", "请先在名册中选中一户（人）。")
            return
        self.openCase.emit(case_id)

    def _visit_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            dialogs.inform(self, "登记走访", "请先在名册中选中一户（人）。")
            return
        self.logVisit.emit(case_id)

    def make_month_dialog(self) -> ActionDialog:
        """Choose the month (and a list, or all) and preview the 月度走访计划表."""
        d = ActionDialog("打印月度走访计划表", "列出所选月份每一户（人）计划走访的日期，供走访后签字。", self)
        today = self.ctx.today()
        month = QComboBox()  # a year back to a year ahead (a date box would stop Tab at its year and its month)
        for ahead in range(-12, 13):
            q = QDate(today.year, today.month, 1).addMonths(ahead)
            month.addItem(f"{q.year()}年{q.month()}月", (q.year(), q.month()))
        month.setCurrentIndex(12)
        which = QComboBox()
        which.addItem("全部名单", None)
        for c in households.care_lists(self.ctx):
            which.addItem(c.name, c.id)
        d.add("month", "月份", month, True)
        d.add("list", "名单", which)

        def run() -> None:
            year, number = month.currentData()
            data = which.currentData()
            pdf, name = household_printing.print_month(self.ctx, year, number,
                                                       int(data) if data is not None else None)
            self.show_preview(pdf, name)

        d.on_ok(run)
        d.open()
        return d

    def show_preview(self, pdf: bytes, name: str) -> PdfPreview:
        preview = PdfPreview(pdf, name, self)
        self.last_preview = preview
        preview.open()
        return preview

    def print_month(self, year: int, month: int) -> PdfPreview | None:
        try:
            pdf, name = household_printing.print_month(self.ctx, year, month)
        except FulianError as e:
            dialogs.warn(self, "无法打印", e.message)
            return None
        return self.show_preview(pdf, name)
