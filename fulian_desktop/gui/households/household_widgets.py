"""Small widgets for the household work: the visit-rhythm editor, a money field, and the start page's
"本月走访和待办" section (who is due a visit this month, and the follow-ups promised)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.money import MoneyError, parse_yuan
from ...domain.rhythm import PRESETS, Rhythm, month_bounds
from ...services import households
from ...services.context import Context
from ..shell.date_field import DateField
from ..shell.paged_model import ListTableModel
from ..shell.start_page_parts import (
    COL_CASE_NO,
    COL_DUE_ON,
    COL_LEFT,
    COL_NAMES,
    COL_WHAT,
    DueCells,
    DueRow,
    DueTable,
    empty_note,
)


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


class VisitsDueModel(DueCells, ListTableModel[DueRow, None]):
    """Households and persons due a visit by the end of this month (or overdue), and the follow-ups promised
    on visits that are due by then: one table, the earliest first."""

    SORT_KEYS = {COL_CASE_NO: "case_no", COL_NAMES: "names", COL_WHAT: "what", COL_DUE_ON: "due_on",
                 COL_LEFT: "due_on"}
    LIST_ROWS = 200  # at most this many households, and as many follow-ups (the summary above counts them all)

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(None, "due_on", False, parent)
        self.ctx = ctx
        self.today = ctx.today()
        self.listed = (0, 0)  # households, follow-ups read at the last refresh

    def load(self) -> list[DueRow]:
        self.today = today = self.ctx.today()
        if not self.ctx.may("household.read"):  # a role without household work: the section is hidden
            return []
        due = households.due_this_month(self.ctx, limit=self.LIST_ROWS)
        tasks = households.open_tasks(self.ctx, until=month_bounds(today.year, today.month)[1], limit=self.LIST_ROWS)
        self.listed = (len(due), len(tasks))
        rows = [DueRow(r.id, r.case_no, r.names, f"走访 · {r.township}{r.village}", r.due_on, r.list_name)
                for r in due if r.due_on is not None]
        rows += [DueRow(t.case_id, t.case_no, t.names, f"待办：{t.title}", t.due_on)
                 for t in tasks if t.case_id is not None]
        return rows


class VisitsDueBox(QGroupBox):
    """The start page's section: who is due a visit by the end of this month (or overdue), and the
    follow-ups promised on visits that are still open, in one table, earliest first; a row opens the
    household's page."""

    openCase = Signal(int)
    showRegister = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("本月走访和待办（双击或按回车键打开）", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.register_button = QPushButton("打开帮扶走访名册")
        top.addWidget(self.summary, 1)
        top.addWidget(self.register_button)
        layout.addLayout(top)
        self.model = VisitsDueModel(ctx, self)
        self.table = DueTable(self.model)
        self.none = empty_note("本月没有应走访的对象，也没有到期的待办事项。")
        self.more = empty_note("")
        layout.addWidget(self.table, 1)
        layout.addWidget(self.none)
        layout.addWidget(self.more)
        self.table.openCase.connect(self.openCase)
        self.register_button.clicked.connect(self.showRegister)
        self._show()  # the table has just read its rows, as it was sorted (each query once at start-up)

    def refresh(self) -> None:
        self.model.refresh()
        self._show()

    def _show(self) -> None:
        """The totals and notes around the rows the model has read."""
        if not self.ctx.may("household.read"):  # a role without household work (调解员) does not see this section
            self.setVisible(False)
            return
        totals = households.month_due(self.ctx)  # all of them: the table lists the earliest
        self.summary.setText(f"本月应走访 {totals.households} 户（人），其中已逾期 {totals.overdue}；"
                             f"待办事项 {totals.tasks} 件")
        n = self.model.rowCount()
        self.none.setVisible(n == 0)
        self.table.setVisible(n > 0)
        households_listed, tasks_listed = self.model.listed
        more = []
        if totals.households > households_listed:
            more.append(f"最早到期的 {households_listed} 户（人），全部 {totals.households} 户（人）请看帮扶走访名册")
        if totals.tasks > tasks_listed:
            more.append(f"最早到期的 {tasks_listed} 件待办，全部 {totals.tasks} 件请看各户页面上的“待办事项”")
        self.more.setText("表中只列出" + "；".join(more) + "。" if more else "")
        self.more.setVisible(bool(more))
