"""A small dialog for one case action (受理, 不予受理, 办结…): fields, errors in place, one callback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...domain.errors import FulianError, ValidationError
from ..shell import dialogs
from ..shell.fitting import ScrollingBody
from ..shell.widgets import Form


class ActionDialog(QDialog):
    def __init__(self, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.form = Form()
        body = QWidget()
        body.setLayout(self.form)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.body = ScrollingBody(body)  # many fields (记录调解) scroll on a small screen; the buttons stay in sight
        layout.addWidget(self.body, 1)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._action: Callable[[], None] | None = None

    def add(self, name: str, label: str, editor: QWidget, required: bool = False) -> QWidget:
        self.form.add(name, label, editor, required)
        return editor

    def on_ok(self, action: Callable[[], None]) -> None:
        """`action` does the work; a ValidationError keeps the dialog open with the messages shown."""
        self._action = action

    def _ok(self) -> None:
        assert self._action is not None
        try:
            unread = self.form.unread_dates()
            if unread:  # a date that cannot be read: said next to it, nothing done
                raise ValidationError(unread)
            self._action()
        except ValidationError as e:
            shown = False
            for name, box in self.form.boxes.items():
                box.set_error(e.errors.get(name, ""))
                shown = shown or name in e.errors
            if not shown:
                dialogs.warn(self, self.windowTitle(), e.message)
            return
        except FulianError as e:
            dialogs.warn(self, self.windowTitle(), e.message)
            return
        self.accept()
