"""风险评估清单 (the administrator's settings): the checklist's questions, their points, which make 高 on their own,
which are asked, where each comes from; and the two thresholds. Assessments already made keep the items as they
were asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.dv_risk import RiskItem, Thresholds
from ...domain.errors import FulianError, ValidationError
from ...services import dv_risk
from ...services.context import Context
from ..shell import dialogs
from ..shell.widgets import ERROR_STYLE, Form

COL_ASKED, COL_QUESTION, COL_WEIGHT, COL_CRITICAL, COL_SOURCE = range(5)
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _tick(on: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
    return item


class ChecklistDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("风险评估清单")
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        intro = QLabel("默认的项目参照DASH家庭暴力风险识别清单（SafeLives，2009）：DASH以14项以上为高风险，这里以14分以上"
                       "为高；掐脖子、用凶器、威胁杀人（她相信）任何一项即为高。可按本地做法修改问题、分值和起点分；"
                       "不再问的项目取消“启用”。已经做过的评估保留当时的项目和等级，不受影响。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        items, t = dv_risk.items_for_admin(ctx)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["启用", "问题", "分值", "一项即为高", "依据"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        for col in (COL_ASKED, COL_WEIGHT, COL_CRITICAL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(COL_SOURCE, 200)
        for i in items:
            self._add_row(i)
        layout.addWidget(self.table, 1)
        row_buttons = QHBoxLayout()
        self.add_button = QPushButton("添加项目")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.add_button.clicked.connect(self.add_item)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        for b in (self.add_button, self.up_button, self.down_button):
            row_buttons.addWidget(b)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)
        self.form = Form()
        self.high = QSpinBox()
        self.high.setRange(1, 999)
        self.high.setValue(t.high_from)
        self.high.setSuffix(" 分起为高（红色）")
        self.medium = QSpinBox()
        self.medium.setRange(1, 999)
        self.medium.setValue(t.medium_from)
        self.medium.setSuffix(" 分起为中（橙色）")
        self.form.add("high_from", "高风险", self.high, True)
        self.form.add("medium_from", "中风险", self.medium, True)
        layout.addLayout(self.form)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        self.errors.setVisible(False)
        layout.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_row(self, i: RiskItem) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        asked = _tick(i.active)
        asked.setData(CODE_ROLE, i.code)
        self.table.setItem(row, COL_ASKED, asked)
        self.table.setItem(row, COL_QUESTION, QTableWidgetItem(i.question))
        weight = QSpinBox()
        weight.setRange(0, 10)
        weight.setValue(i.weight)
        weight.setSuffix(" 分")
        self.table.setCellWidget(row, COL_WEIGHT, weight)
        self.table.setItem(row, COL_CRITICAL, _tick(i.critical))
        self.table.setItem(row, COL_SOURCE, QTableWidgetItem(i.source))
        return row

    def add_item(self) -> None:
        row = self._add_row(RiskItem("", "", 1, source="本地增加"))
        self.table.setCurrentCell(row, COL_QUESTION)
        self.table.editItem(self.table.item(row, COL_QUESTION))

    def move_row(self, step: int) -> None:
        row = self.table.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.table.rowCount():
            return
        items = self.items()
        items[row], items[to] = items[to], items[row]
        self.table.setRowCount(0)
        for i in items:
            self._add_row(i)
        self.table.setCurrentCell(to, COL_QUESTION)

    def items(self) -> list[RiskItem]:
        out = []
        for row in range(self.table.rowCount()):
            asked = self.table.item(row, COL_ASKED)
            weight = self.table.cellWidget(row, COL_WEIGHT)
            assert isinstance(weight, QSpinBox)
            out.append(RiskItem(
                str(asked.data(CODE_ROLE) or ""), self.table.item(row, COL_QUESTION).text(), weight.value(),
                self.table.item(row, COL_CRITICAL).checkState() == Qt.CheckState.Checked,
                self.table.item(row, COL_SOURCE).text(), asked.checkState() == Qt.CheckState.Checked))
        return out

    def save(self) -> None:
        for box in self.form.boxes.values():
            box.set_error("")
        try:
            dv_risk.save_checklist(self.ctx, self.items(), Thresholds(self.high.value(), self.medium.value()))
        except ValidationError as e:
            for name, box in self.form.boxes.items():
                box.set_error(e.errors.get(name, ""))
            rows = [m for k, m in e.errors.items() if k not in self.form.boxes]
            self.errors.setText("\n".join(rows))
            self.errors.setVisible(bool(rows))
            first = next((int(k[4:]) - 1 for k in e.errors if k.startswith("item") and k[4:].isdigit()), None)
            if first is not None:
                self.table.setCurrentCell(first, COL_QUESTION)
            return
        except FulianError as e:
            dialogs.warn(self, "风险评估清单", e.message)
            return
        self.accept()
