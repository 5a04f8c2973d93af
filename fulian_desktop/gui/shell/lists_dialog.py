"""Edit the office's lists: categories and sub-kinds, townships and villages, agencies, staff."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import FulianError
from ...services import lists
from ...services.context import Context
from . import dialogs

CHOICES = (
    ("category", "", "问题类别"),
    ("category", "*", "具体类别（按问题类别）"),
    ("township", "", "乡镇"),
    ("township", "*", "村（社区）（按乡镇）"),
    ("agency", "", "转办单位"),
    ("staff", "", "工作人员"),
)


class ListsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("维护列表")
        self.resize(520, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.which = QComboBox()
        for i, (_name, _parent, label) in enumerate(CHOICES):
            self.which.addItem(label, i)
        self.parent_combo = QComboBox()
        top.addWidget(QLabel("列表："))
        top.addWidget(self.which, 1)
        top.addWidget(self.parent_combo, 1)
        layout.addLayout(top)
        self.items = QListWidget()
        layout.addWidget(self.items, 1)
        add_row = QHBoxLayout()
        self.new_value = QLineEdit()
        self.new_value.setPlaceholderText("输入新的名称")
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("停用所选")
        add_row.addWidget(self.new_value, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        layout.addLayout(add_row)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        layout.addWidget(QLabel("停用的名称不再出现在选择列表中，已登记的案件保留原来的名称。"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.which.currentIndexChanged.connect(self._which_changed)
        self.parent_combo.currentIndexChanged.connect(self.reload)
        self.add_button.clicked.connect(self.add)
        self.new_value.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self._which_changed()

    def _current(self) -> tuple[str, str]:
        name, parent, _label = CHOICES[self.which.currentIndex()]
        if parent == "*":
            parent = self.parent_combo.currentText()
        return name, parent

    def _which_changed(self) -> None:
        name, parent, _label = CHOICES[self.which.currentIndex()]
        self.parent_combo.blockSignals(True)
        self.parent_combo.clear()
        if parent == "*":
            self.parent_combo.addItems(lists.values(self.ctx, name))
        self.parent_combo.setVisible(parent == "*")
        self.parent_combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        name, parent = self._current()
        self.items.clear()
        self.items.addItems(lists.values(self.ctx, name, parent))

    def add(self) -> None:
        name, parent = self._current()
        try:
            lists.add(self.ctx, name, self.new_value.text(), parent)
        except FulianError as e:
            self.message.setText(e.message)
            return
        self.message.setText("")
        self.new_value.clear()
        self.reload()

    def remove(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        name, parent = self._current()
        if not dialogs.ask(self, "停用", f"停用“{item.text()}”？"):
            return
        lists.remove(self.ctx, name, item.text(), parent)
        self.reload()
