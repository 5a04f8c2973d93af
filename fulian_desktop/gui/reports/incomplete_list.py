"""待补全: the records imported from the office's old registers that lack what the register never recorded
(乡镇, 事情经过, 纳入日期 …). Opened from the start page; double-click (or Enter) opens the case, where 修改
completes it as an ordinary correction, and the record leaves this list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.kinds import kind_label
from ...services import importing
from ...services.context import Context


class IncompleteList(QDialog):
    openCase = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("待补全的记录")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        hint = QLabel("这些记录是从原来的台账导入的，台账上没有记录下面这些内容，暂记为“未记录”。"
                      "双击一条（或选中后按回车键）打开它，点“修改”补上；补全后它就不在这里了。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["编号", "类别", "姓名", "待补全"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.table.horizontalHeader()
        for i in (0, 1, 2):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemActivated.connect(lambda item: self.open_row(item.row()))
        self.refresh()

    def refresh(self) -> None:
        rows = importing.incomplete(self.ctx)
        self.table.setRowCount(len(rows))
        for r, (case_id, case_no, kind, names, missing) in enumerate(rows):
            for c, text in enumerate((case_no, kind_label(kind), names, missing)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, case_id)
                self.table.setItem(r, c, item)
        total = importing.incomplete_count(self.ctx)
        self.count_label.setText(f"共{total}条待补全" + (f"（列出最近的{len(rows)}条）" if total > len(rows) else "")
                                 if total else "没有待补全的记录。")
        if rows:
            self.table.selectRow(0)

    def open_row(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.openCase.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
