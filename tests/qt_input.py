"""Type Chinese the way an input method delivers it.

`qtbot.keyClicks(widget, "张三")` aborts the process with PySide6 (Qt asserts on non-ASCII key
events), so Chinese text arrives as a QInputMethodEvent whose commit string is the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot: object, widget: QWidget, text: str) -> None:
    """Focus `widget` and type `text` into it (ASCII by keys, the rest by input method)."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    target = widget
    if hasattr(widget, "lineEdit") and widget.lineEdit() is not None:  # editable QComboBox
        target = widget.lineEdit()
    if hasattr(widget, "viewport") and not hasattr(widget, "lineEdit"):  # QPlainTextEdit/QTextEdit
        target = widget
    if text.isascii():
        qtbot.keyClicks(target, text)  # type: ignore[attr-defined]
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(target, event)


def finish(widget: QWidget) -> None:
    """Leave the field as the user does (Tab), so editingFinished fires."""
    if hasattr(widget, "editingFinished"):
        widget.editingFinished.emit()
