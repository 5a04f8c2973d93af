"""What every form that saves a record shares (信访, 转介, 调解, 帮扶户 and the 走访 record): the line that
says how many fields need changing, the save and cancel buttons with Ctrl+S, saving in one step (format
errors from the widgets together with what the domain's rules find, each shown next to its field; a refusal
from the service in a message), and "give up what you typed?" before closing.

A form says which `Form` grids hold its fields (`field_forms`), how to read its record (`value`), the
domain's check (`validate`), the service call that saves it (`store`) and what to say once saved
(`finish`: a case form emits the new case's id and number).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...domain.errors import FulianError, ValidationError
from ...services.context import Context
from ..shell import dialogs
from ..shell.widgets import Form

ERROR_COLOUR = "#b3261e"


class RecordForm(QDialog):
    GIVE_UP_TITLE = "放弃登记"
    GIVE_UP_TEXT = "已输入的内容还没有保存，确定放弃吗？"

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def add_save_bar(self, outer: QVBoxLayout, save_text: str) -> None:
        """The error summary line and the buttons, at the foot of the form."""
        self.summary = QLabel("")
        self.summary.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # --- what a form says -----------------------------------------------------------------------
    def field_forms(self) -> Sequence[Form]:
        raise NotImplementedError

    def value(self, errors: dict[str, str]) -> Any:
        """The record as typed; what cannot be read (a date in a wrong format…) goes into `errors`."""
        raise NotImplementedError

    def validate(self, record: Any) -> None:
        """The domain's rules (raise ValidationError)."""
        raise NotImplementedError

    def store(self, record: Any) -> Any:
        """Save through the service; what `finish` is given."""
        raise NotImplementedError

    def finish(self, result: Any) -> None:
        """Once saved: tell whoever opened the form."""
        raise NotImplementedError

    def box_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """The errors by the field box each is shown in (some are shown on a neighbour's row)."""
        return errors

    def has_input(self) -> bool:
        raise NotImplementedError

    def show_more_errors(self, errors: dict[str, str]) -> None:
        """Errors for fields outside the `field_forms` grids (people, parties, members…)."""

    # --- shared ---------------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        shown = self.box_errors(errors)
        for form in self.field_forms():
            for name, box in form.boxes.items():
                if name in shown:
                    box.set_error(shown[name])
                elif box.error():
                    box.set_error("")
        self.show_more_errors(errors)
        self.summary.setText(f"有{len(errors)}处需要修改，请看红字提示。" if errors else "")

    def save(self) -> None:
        errors: dict[str, str] = {}
        record = self.value(errors)
        try:
            if errors:  # keep the format errors and add what the rules find
                try:
                    self.validate(record)
                except ValidationError as e:
                    errors = {**e.errors, **errors}
                raise ValidationError(errors)
            result = self.store(record)
        except ValidationError as e:
            self.show_errors(e.errors)
            return
        except FulianError as e:
            dialogs.warn(self, "未能保存", e.message)
            return
        self.show_errors({})
        self.finish(result)
        self.done(QDialog.DialogCode.Accepted)

    def unsaved_input(self) -> bool:
        return self.has_input()

    def reject(self) -> None:
        if self.unsaved_input() and not dialogs.ask(
            self, self.GIVE_UP_TITLE, self.GIVE_UP_TEXT, "放弃", "继续填写"
        ):
            return
        super().reject()


class CaseForm(RecordForm):
    """A form that registers (or changes) a case."""

    saved = Signal(int, str)  # case id, case number

    def store(self, record: Any) -> tuple[int, str]:
        raise NotImplementedError

    def finish(self, result: tuple[int, str]) -> None:
        self.saved.emit(*result)
