"""Type Chinese the way an input method delivers it; drop files as the file manager does.

`qtbot.keyClicks(widget, "张三")` aborts the process with PySide6 (Qt asserts on non-ASCII key
events), so Chinese text arrives as a QInputMethodEvent whose commit string is the text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
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


def drop(target: QWidget, paths: list[Path], x: int = 200, y: int = 200) -> None:
    """Files dragged from the file manager onto `target` at (x, y) and let go (enter, then drop, as Qt delivers
    them); the drag must be accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(x, y), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(QPointF(x, y), Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
