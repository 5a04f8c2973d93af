"""案件列表: one search box, filters, a sortable table fetched page by page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.filters import CaseFilter
from ...domain.kinds import KINDS, count_label
from ...domain.names import INITIALS_HELP
from ...domain.statuses import STATUS_LABELS
from ...services import lists
from ...services.context import Context
from ..shell.date_field import DateField
from ..shell.widgets import (
    FieldBox,
    combo,
    combo_value,
    office_list,
    search_as_you_type,
    set_combo,
)
from .case_model import COL_DUE, COL_SUMMARY, CaseTableModel, RecordRole

DUE_CHOICES = (("", "全部时限"), ("overdue", "已逾期"), ("due_soon", "本周到期（含逾期）"))


DUE_SAMPLE = "告知是否受理 2026年12月20日"


class CaseListPage(QWidget):
    openCase = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：姓名（可输拼音首字母，如 zs）、案件编号、身份证号、电话或事情经过中的词")
        self.search.setToolTip(INITIALS_HELP)
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.kind = combo([], empty="全部类型")
        for key in KINDS:
            self.kind.addItem(count_label(key), key)  # 转介: referrals to any service
        self.status = combo([], empty="全部状态")
        self._fill_statuses()
        self.category = combo(lists.values(ctx, "category"), empty="全部类别")
        self.township = combo(lists.values(ctx, "township"), empty="全部乡镇")
        self.due = combo([], empty=None)
        for key, label in DUE_CHOICES:
            self.due.addItem(label, key)
        self.use_dates = QCheckBox("收到日期")
        today = ctx.today()
        self.date_from = DateField(dt.date(today.year, 1, 1))
        self.date_to = DateField(today)
        for d in (self.date_from, self.date_to):
            d.setEnabled(False)
        self.clear_button = QPushButton("清除条件")
        for w in (self.kind, self.status, self.category, self.township, self.due, self.use_dates,
                  FieldBox(self.date_from), QLabel("至"), FieldBox(self.date_to), self.clear_button):
            filters.addWidget(w)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.model = CaseTableModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.model.keep_sort_indicator(self.table.horizontalHeader())
        office_list(self.table, (150, 112, 105, 120, 80, 120, 80, 150))  # 类型 fits 婚姻家庭纠纷调解
        # 时限 fits its longest usual wording whole: 告知是否受理 2026年12月20日, 答复是否受理逾期2个多月
        due = self.table.fontMetrics().horizontalAdvance(DUE_SAMPLE) + 2 * self.table.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(COL_DUE, max(150, due))
        self.table.setColumnWidth(COL_SUMMARY, 260)
        layout.addWidget(self.table, 1)

        self._timer = search_as_you_type(self, self.search, self.apply)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for c in (self.status, self.category, self.township, self.due):
            c.currentIndexChanged.connect(self.apply)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self.apply)
        self.date_to.dateChanged.connect(self.apply)
        self.clear_button.clicked.connect(self.clear)
        self.table.activated.connect(self._activated)
        self.model.rowsInserted.connect(self._show_count)
        self.apply()

    def _fill_statuses(self) -> None:
        """'未办结' for every kind, and the chosen kind's own statuses."""
        current = combo_value(self.status)
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem("全部状态", "")
        self.status.addItem("未办结", "open")
        for key, label in STATUS_LABELS.get(combo_value(self.kind), {}).items():
            self.status.addItem(label, key)
        set_combo(self.status, current)
        self.status.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_statuses()
        self.apply()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply()

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            text=self.search.text().strip(),
            kind=combo_value(self.kind),
            status=combo_value(self.status),
            category=combo_value(self.category),
            township=combo_value(self.township),
            date_from=self.date_from.value() if self.use_dates.isChecked() else None,
            date_to=self.date_to.value() if self.use_dates.isChecked() else None,
            due=combo_value(self.due),
        )

    def apply(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.current_filter())
        self._show_count()

    def refresh(self) -> None:
        self.model.refresh()
        self._show_count()

    def _show_count(self) -> None:
        """共 1,234 件; a search finding more than 1,000 says 共 1,000+ 件 (and 2,000+ … as it is scrolled on)."""
        self.count_label.setText(f"共 {self.model.count_text()} 件")

    def clear(self) -> None:
        for c in (self.kind, self.status, self.category, self.township):
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self.due.blockSignals(True)
        self.due.setCurrentIndex(0)
        self.due.blockSignals(False)
        self.use_dates.blockSignals(True)
        self.use_dates.setChecked(False)
        self.use_dates.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply()

    def show_due(self, due: str) -> None:
        """Show the open cases that are overdue (or due this week)."""
        self.clear()
        set_combo(self.due, due)

    def set_search(self, text: str) -> None:
        self.search.setText(text)
        self.apply()

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.data(self.model.index(index.row(), 0), RecordRole)
        if row is not None:
            self.openCase.emit(row.id)
