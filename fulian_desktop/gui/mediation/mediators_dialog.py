"""设置 → 调解员名册: the committee's name and file-number word, and the roster of mediators the office
keeps (add, correct, make inactive, bring back). Mediators are never deleted: old files keep them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import FulianError, ValidationError
from ...domain.mediation import MEDIATOR_LIMITS, Mediator
from ...services import mediations
from ...services.context import Context
from ..shell.widgets import Form, combo, combo_value, record_table, set_combo, take_at_most

ID_ROLE = Qt.ItemDataRole.UserRole + 7
TITLES = ("专职调解员", "兼职调解员", "律师", "心理咨询师", "村（社区）妇联主席", "志愿者")


class MediatorsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("调解员名册")
        self.resize(640, 600)
        layout = QVBoxLayout(self)

        cbox = QGroupBox("调解委员会")
        self.cform = Form()
        cbox.setLayout(self.cform)
        self.committee = QLineEdit(mediations.committee_name(ctx))
        self.file_code = QLineEdit(mediations.file_code(ctx))
        self.file_code.setMaxLength(4)
        self.file_code.setPlaceholderText("如县名简称“东”")
        self.cform.add("committee", "名称", self.committee, True)
        self.cform.add("file_code", "卷号代字", self.file_code)
        self.cform.boxes["file_code"].set_hint("卷号写作“（2026）东人调字第12号”中的“东”。")
        self.file_code.setMaximumWidth(120)
        self.committee_button = QPushButton("保存")
        self.committee_button.clicked.connect(self.save_committee)
        row = QHBoxLayout()
        row.addWidget(self.committee_button)
        row.addStretch(1)
        self.cform.addRow("", row)
        layout.addWidget(cbox)

        mbox = QGroupBox("人民调解员")
        ml = QVBoxLayout(mbox)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["姓名", "身份", "联系电话", "状态"])
        record_table(self.table)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        ml.addWidget(self.table, 1)
        self.form = Form()
        self.name = QLineEdit()
        self.title = combo(TITLES, editable=True)
        self.title.setEditText("")
        self.phone = QLineEdit()
        self.form.add("name", "姓名", self.name, True)
        self.form.add("title", "身份", self.title)
        self.form.add("phone", "联系电话", self.phone)
        take_at_most(self.form, MEDIATOR_LIMITS)
        ml.addLayout(self.form)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建")
        self.save_button = QPushButton("保存")
        self.toggle_button = QPushButton("停用")
        for b in (self.new_button, self.save_button, self.toggle_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        ml.addLayout(buttons)
        ml.addWidget(QLabel("停用的调解员不再出现在选择列表中；已有的卷宗仍保留他们的姓名。"))
        layout.addWidget(mbox, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.toggle_button.clicked.connect(self.toggle)
        self.editing: Mediator | None = None
        self.reload()
        self.new()

    def reload(self, select: int | None = None) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.roster = mediations.mediators(self.ctx, include_inactive=True)
        for r, m in enumerate(self.roster):
            self.table.insertRow(r)
            for c, text in enumerate((m.name, m.title, m.phone, "在册" if m.active else "已停用")):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, m.id)
                if not m.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
            if m.id == select:
                self.table.selectRow(r)
        self.table.resizeColumnToContents(0)
        self.table.blockSignals(False)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        m = self.roster[rows[0].row()]
        self.editing = m
        self.name.setText(m.name)
        set_combo(self.title, m.title)
        self.phone.setText(m.phone)
        self.toggle_button.setText("停用" if m.active else "恢复")
        self.toggle_button.setEnabled(True)
        self._errors({})

    def new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.name.clear()
        self.title.setEditText("")
        self.phone.clear()
        self.toggle_button.setEnabled(False)
        self._errors({})
        self.name.setFocus()

    def _errors(self, errors: dict[str, str]) -> None:
        for name, box in self.form.boxes.items():
            box.set_error(errors.get(name, ""))

    def save(self) -> None:
        m = Mediator(name=self.name.text(), phone=self.phone.text(), title=combo_value(self.title),
                     active=self.editing.active if self.editing else True,
                     id=self.editing.id if self.editing else None)
        try:
            saved = mediations.save_mediator(self.ctx, m)
        except ValidationError as e:
            self._errors(e.errors)
            return
        except FulianError as e:
            self._errors({"name": e.message})
            return
        self.reload(select=saved)
        self.new()

    def toggle(self) -> None:
        if self.editing is None or self.editing.id is None:
            return
        mediations.set_mediator_active(self.ctx, self.editing.id, not self.editing.active)
        self.reload()
        self.new()

    def save_committee(self) -> None:
        try:
            mediations.set_committee(self.ctx, self.committee.text(), self.file_code.text())
        except ValidationError as e:
            for name, box in self.cform.boxes.items():
                box.set_error(e.errors.get(name, ""))
            return
        for box in self.cform.boxes.values():
            box.set_error("")
        self.cform.boxes["file_code"].set_hint("已保存。卷号写作“（2026）东人调字第12号”中的“东”。")
