"""One section of the 家暴防护 tab: a titled box that loads its part of the thread and reloads after an action."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGroupBox, QVBoxLayout, QWidget

from ...services.context import Context

D = TypeVar("D", bound=QDialog)


class Section(QGroupBox):
    """A part of the thread. A section builds its widgets in `__init__` (after this one), fills them in
    `reload()`, and emits `changed` after it saved something (the case page then reloads: timeline, lists)."""

    TITLE = ""
    changed = Signal()

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(self.TITLE, parent)
        self.ctx = ctx
        self.case_id = case_id
        self.box_layout = QVBoxLayout(self)
        self.last_dialog: QDialog | None = None

    def open_action(self, d: D) -> D:
        """Open one of the section's dialogs over it; once the dialog has saved, `saved()`."""
        d.accepted.connect(self.saved)
        self.last_dialog = d
        d.open()
        return d

    def saved(self) -> None:
        """After an action saved: the section shows it, and says so (`changed`: the case page reloads)."""
        self.reload()
        self.changed.emit()

    def reload(self) -> None:
        raise NotImplementedError

    def attention(self) -> str:
        """A few words the case page puts on the 家暴防护 tab while something here is urgent (须报案 …); '' none."""
        return ""
