"""Small widgets for the household work: the visit-rhythm editor, a money field, and the start page's
"本月走访和待办" section (who is due a visit this month, and the follow-ups promised)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.money import MoneyError, parse_yuan
from ...domain.permissions import PermissionDenied
from ...domain.rhythm import PRESETS, Rhythm, describe_due, month_bounds
from ...services import households
from ...services.context import Context
from ..shell.date_field import DateField
from ..shell.start_page_parts import note_more

CASE_ROLE = Qt.ItemDataRole.UserRole + 3


class RhythmEdit(QWidget):
    """每周 / 每月 / 每季度 / 每N天 / 每N个月, and the date the plan starts from."""

    def __init__(self, start: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        for key, label, _unit, _n in PRESETS:
            self.preset.addItem(label, key)
        self.every = QSpinBox()
        self.every.setRange(1, 366)
        self.every.setValue(1)
        self.unit_label = QLabel()
        self.start = DateField(start)
        layout.addWidget(self.preset)
        layout.addWidget(self.every)
        layout.addWidget(self.unit_label)
        layout.addWidget(QLabel("起算日期"))
        layout.addWidget(self.start)
        layout.addStretch(1)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.set_rhythm(Rhythm.monthly(start))

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key in ("days", "months")
        self.every.setVisible(custom)
        self.unit_label.setVisible(custom)
        self.unit_label.setText({"days": "天一次", "months": "个月一次"}.get(key, ""))
        self.every.setMaximum(366 if key == "days" else 24)

    def set_rhythm(self, r: Rhythm) -> None:
        key = r.preset
        i = self.preset.findData(key)
        self.preset.setCurrentIndex(max(i, 0))
        if key in ("days", "months"):
            self.every.setValue(r.every)
        self.start.setDate(QDate(r.start.year, r.start.month, r.start.day))
        self._preset_changed()

    def set_default(self, unit: str, every: int) -> None:
        """Show a care list's default rhythm (keeping the start date)."""
        q = self.start.date()
        self.set_rhythm(Rhythm(unit, every, dt.date(q.year(), q.month(), q.day())))

    def value(self) -> Rhythm:
        q = self.start.date()
        start = dt.date(q.year(), q.month(), q.day())
        return Rhythm.from_preset(str(self.preset.currentData()), start, self.every.value())


def money_field(placeholder: str = "元") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaximumWidth(140)
    return edit


def money_text(fen: int) -> str:
    """An amount as typed into a money field: 500, 1234.5 → 1234.50 ("" for none)."""
    if not fen:
        return ""
    return f"{fen // 100}" + (f".{fen % 100:02d}" if fen % 100 else "")


def money_value(edit: QLineEdit, name: str, errors: dict[str, str]) -> int:
    """The field's amount in fen; a wrong amount adds its message to `errors[name]`."""
    try:
        return parse_yuan(edit.text())
    except MoneyError as e:
        errors[name] = str(e)
        return 0


class VisitsDueBox(QGroupBox):
    """The start page's section: who is due a visit by the end of this month (or overdue), and the
    follow-ups promised on visits that are still open, earliest first."""

    openCase = Signal(int)
    showRegister = Signal()
    LIST_ROWS = 200  # the earliest households due, and of the follow-ups, listed here (the line above counts all)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("本月走访和待办", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.register_button = QPushButton("打开帮扶走访名册")
        top.addWidget(self.summary, 1)
        top.addWidget(self.register_button)
        layout.addLayout(top)
        self.items = QListWidget()
        self.items.setMaximumHeight(170)
        layout.addWidget(self.items)
        self.items.itemActivated.connect(self._activated)
        self.register_button.clicked.connect(self.showRegister)
        self.refresh()

    def _activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(CASE_ROLE)
        if case_id:
            self.openCase.emit(int(case_id))

    def refresh(self) -> None:
        today = self.ctx.today()
        try:
            due = households.due_this_month(self.ctx, limit=self.LIST_ROWS)
            tasks = households.open_tasks(self.ctx, until=month_bounds(today.year, today.month)[1],
                                          limit=self.LIST_ROWS)
            totals = households.month_due(self.ctx)  # all of them: the lists show the earliest
        except PermissionDenied:  # a role without household work (调解员) does not see this section
            self.setVisible(False)
            return
        self.summary.setText(f"本月应走访 {totals.households} 户（人），其中已逾期 {totals.overdue}；"
                             f"待办事项 {totals.tasks} 件")
        self.items.clear()
        if not due and not tasks:
            self.items.addItem("本月没有应走访的对象，也没有到期的待办事项。")
        for r in due:
            place = f"{r.township}{r.village}"
            item = QListWidgetItem(f"{describe_due(r.due_on, today)}　{r.case_no}　{r.list_name}　{r.names}　{place}")
            item.setData(CASE_ROLE, r.id)
            late = r.due_on is not None and r.due_on < today
            item.setBackground(QBrush(QColor("#fde2e1" if late else "#fff3cd")))
            if late:
                item.setForeground(QBrush(QColor("#a61b1b")))
            self.items.addItem(item)
        note_more(self.items, len(due), totals.households, "帮扶走访名册", "户（人）")
        for t in tasks:
            days = (t.due_on - today).days
            when = f"已逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"{t.due_on.month}月{t.due_on.day}日前")
            item = QListWidgetItem(f"待办·{when}　{t.title}　{t.case_no}　{t.names}")
            item.setData(CASE_ROLE, t.case_id)
            if days < 0:
                item.setForeground(QBrush(QColor("#a61b1b")))
            self.items.addItem(item)
        note_more(self.items, len(tasks), totals.tasks, "各户页面上的“待办事项”")
