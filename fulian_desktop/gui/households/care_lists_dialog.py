"""设置 → 关爱对象名单: the care lists (帮扶户, 留守儿童, 春蕾女童, “两癌”救助对象 …) and each list's
own few fields. Adding a list is configuration, not new code: it appears at once in the register,
the new-entry form, the visit plan and the visit log."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import household as rules
from ...domain.errors import FulianError, ValidationError
from ...domain.household import CareField, CareList, split_choices
from ...domain.rhythm import PRESETS, Rhythm
from ...services import households
from ...services.context import Context
from ..shell import dialogs
from ..shell.widgets import Form, combo, combo_value, set_combo

LIST_ROLE = Qt.ItemDataRole.UserRole + 6
FIELD_COLUMNS = (("label", "栏目名称", 170), ("type", "类型", 80), ("choices", "选项（用顿号分开，仅“选项”类型）", 260))


class FieldsTable(QWidget):
    """A care list's fields: label, type (文字/日期/选项/数字) and the choices of a choice field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(FIELD_COLUMNS))
        self.table.setHorizontalHeaderLabels([h for _k, h, _w in FIELD_COLUMNS])
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, (_k, _h, w) in enumerate(FIELD_COLUMNS):
            self.table.setColumnWidth(i, w)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加栏目")
        self.remove_button = QPushButton("删除所选栏目")
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._keys: list[str] = []
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)

    def add_row(self, f: CareField | None = None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        label = QLineEdit(f.label if f else "")
        kind = combo([])
        for key, text in rules.FIELD_TYPES.items():
            kind.addItem(text, key)
        choices = QLineEdit("、".join(f.choices) if f else "")
        choices.setPlaceholderText("如 宫颈癌、乳腺癌")
        self.table.setCellWidget(r, 0, label)
        self.table.setCellWidget(r, 1, kind)
        self.table.setCellWidget(r, 2, choices)
        if f is not None:
            set_combo(kind, f.type)
        kind.currentIndexChanged.connect(lambda _i, k=kind, c=choices: c.setEnabled(combo_value(k) == "choice"))
        choices.setEnabled(combo_value(kind) == "choice")
        self._keys.append(f.key if f else "")
        if f is None:
            label.setFocus()
        self.table.setCurrentCell(r, 0)
        return r

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        self.table.removeRow(r)
        del self._keys[r]

    def cell(self, row: int, col: int) -> QWidget:
        return self.table.cellWidget(row, col)

    def set_fields(self, fields: list[CareField]) -> None:
        self.table.setRowCount(0)
        self._keys = []
        for f in fields:
            self.add_row(f)

    def value(self) -> list[CareField]:
        out = []
        for r in range(self.table.rowCount()):
            label = self.cell(r, 0)
            kind = self.cell(r, 1)
            choices = self.cell(r, 2)
            assert isinstance(label, QLineEdit) and isinstance(kind, QComboBox) and isinstance(choices, QLineEdit)
            if not label.text().strip() and not choices.text().strip():
                continue
            out.append(CareField(self._keys[r], label.text(), combo_value(kind), split_choices(choices.text())))
        return out


class CareListsDialog(QDialog):
    changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("关爱对象名单")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        intro = QLabel("帮扶户和各类关爱对象用同一套名册、走访计划和走访记录。在这里新建名单（如“困境儿童”），"
                       "并规定它要多登记哪几项；保存后即可在“新建帮扶户/关爱对象”中选用。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.lists = QListWidget()
        self.lists.setMaximumWidth(220)
        left.addWidget(self.lists, 1)
        self.new_button = QPushButton("新建名单")
        self.toggle_button = QPushButton("停用")
        left.addWidget(self.new_button)
        left.addWidget(self.toggle_button)
        body.addLayout(left)
        right = QVBoxLayout()
        self.form = Form()
        self.name = QLineEdit()
        self.name.setMaxLength(rules.NAME_MAX)  # as long as a list's name may be (validate_care_list)
        self.unit = combo([])
        self.unit.addItem("按人登记（如留守儿童）", "person")
        self.unit.addItem("按户登记（填户类型、致贫原因和家庭成员）", "household")
        self.rhythm = combo([])
        for key, label, _u, n in PRESETS:
            if n:
                self.rhythm.addItem(label, key)
        self.fields = FieldsTable()
        self.form.add("name", "名单名称", self.name, True)
        self.form.add("unit", "登记方式", self.unit, True)
        self.form.add("rhythm", "默认走访周期", self.rhythm, True)
        self.form.add("fields", "本名单的栏目", self.fields)
        right.addLayout(self.form, 1)
        self.save_button = QPushButton("保存名单")
        self.save_button.setStyleSheet("font-weight: bold;")
        srow = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        srow.addWidget(self.message, 1)
        srow.addWidget(self.save_button)
        right.addLayout(srow)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.current: CareList | None = None
        self.lists.currentItemChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_list)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.save_button.clicked.connect(self.save)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self.lists.blockSignals(True)
        self.lists.clear()
        for c in households.care_lists(self.ctx, include_inactive=True):
            item = QListWidgetItem(c.name + ("" if c.active else "（已停用）"))
            item.setData(LIST_ROLE, c.id)
            if not c.active:
                item.setForeground(QBrush(QColor("#8a8a8a")))
            self.lists.addItem(item)
        self.lists.blockSignals(False)
        row = 0
        for i in range(self.lists.count()):
            if self.lists.item(i).data(LIST_ROLE) == select:
                row = i
        if self.lists.count():
            self.lists.setCurrentRow(row)
            self._selected()

    def _selected(self) -> None:
        item = self.lists.currentItem()
        if item is None:
            return
        self.show_list(households.care_list(self.ctx, int(item.data(LIST_ROLE))))

    def show_list(self, c: CareList) -> None:
        self.current = c
        self.name.setText(c.name)
        set_combo(self.unit, c.unit)
        self.unit.setEnabled(c.id is None)
        preset = Rhythm(c.rhythm_unit, c.rhythm_every, self.ctx.today()).preset
        set_combo(self.rhythm, preset if self.rhythm.findData(preset) >= 0 else "monthly")
        self.fields.set_fields(c.fields)
        self.toggle_button.setText("启用" if not c.active else "停用")
        self.toggle_button.setEnabled(c.id is not None)
        self._show_errors({})
        self.message.setText("")

    def new_list(self) -> None:
        self.lists.clearSelection()
        self.show_list(CareList(name="", unit="person"))
        self.name.setFocus()

    def value(self) -> CareList:
        assert self.current is not None
        r = Rhythm.from_preset(combo_value(self.rhythm), self.ctx.today())
        return CareList(name=self.name.text(), unit=combo_value(self.unit), fields=self.fields.value(),
                        rhythm_unit=r.unit, rhythm_every=r.every, active=self.current.active, id=self.current.id,
                        position=self.current.position)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name, box in self.form.boxes.items():
            box.set_error(errors.get(name, ""))

    def save(self) -> int | None:
        try:
            list_id = households.save_care_list(self.ctx, self.value())
        except ValidationError as e:
            self._show_errors(e.errors)
            self.message.setText("")
            return None
        except FulianError as e:
            dialogs.warn(self, "未能保存", e.message)
            return None
        self.reload(select=list_id)
        self.message.setText("已保存。")
        self.message.setStyleSheet("color: #1f6f43;")
        self.changed.emit()
        return list_id

    def toggle_active(self) -> None:
        c = self.current
        if c is None or c.id is None:
            return
        if c.active and not dialogs.ask(self, "停用名单", f"停用“{c.name}”？已登记的对象和走访记录都保留，"
                                        "只是不能再往这个名单新增对象。", "停用", "取消"):
            return
        households.set_care_list_active(self.ctx, c.id, not c.active)
        self.reload(select=c.id)
        self.changed.emit()
