"""The start page's 家暴防护待办: follow-up visits after a 告诫书 (overdue from the day after their day), mandatory
reports not made, applications waiting for the court's ruling, orders ending soon, violations not reported — for the
cases this account handles; a row opens the case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from ...services import start_page
from ...services.context import Context
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


class ProtectionDueModel(DueCells, ListTableModel[DueRow, None]):
    SORT_KEYS = {COL_CASE_NO: "case_no", COL_NAMES: "names", COL_WHAT: "what", COL_DUE_ON: "due_on",
                 COL_LEFT: "due_on"}

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(None, "due_on", False, parent)
        self.ctx = ctx
        self.today = ctx.today()

    def load(self) -> list[DueRow]:
        self.today = self.ctx.today()
        if not self.ctx.may("protection.read"):
            return []
        return [DueRow(i.case_id, i.case_no, i.names, f"{i.what}（{i.note}）" if _adds(i.note) else i.what, i.due_on,
                       i.note) for i in start_page.protection_due(self.ctx)]


def _adds(note: str) -> bool:
    """The note says more than the 时限 column: the hour a ruling is due, an extension already asked for (the
    rest is in the row's tooltip)."""
    return "裁定" in note or note == "已申请延长"


class ProtectionDueBox(QGroupBox):
    openCase = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("家暴防护待办：查访、保护令、强制报告（双击或按回车键打开案件）", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.model = ProtectionDueModel(ctx, self)
        self.table = DueTable(self.model)
        self.none = empty_note("没有到期的查访、保护令事项或强制报告。")
        layout.addWidget(self.table, 1)
        layout.addWidget(self.none)
        self.table.openCase.connect(self.openCase)
        self._show()  # the table has just filled its model (sorting it): the query once at start-up

    def refresh(self) -> None:
        self.model.refresh()
        self._show()

    def _show(self) -> None:
        if not self.ctx.may("protection.read"):  # a role without case work does not see this section
            self.setVisible(False)
            return
        n = self.model.rowCount()
        self.none.setVisible(n == 0)
        self.table.setVisible(n > 0)
        self.table.setFixedHeight(self.table.rows_height(min(max(n, 1), 4)))
