"""An ID number copied with Ctrl+C (or cut, or through the field's menu) is marked so that Windows keeps it out of
the clipboard history (Win+V) and the cloud clipboard; other text is copied as usual."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.gui.security.lock import ClipboardGuard
from fulian_desktop.gui.shell import private_clipboard

NUMBER = make_id_number("430999", dt.date(1990, 5, 6), 12, female=True)


def field(qtbot: Any, text: str) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit, timeout=2000)  # her window, in front
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    return edit


def marks() -> dict[str, bytes]:
    mime = QGuiApplication.clipboard().mimeData()
    return {name: bytes(mime.data(private_clipboard.windows_format(name)).data())
            for name in private_clipboard.FORMATS if mime.hasFormat(private_clipboard.windows_format(name))}


def test_an_id_number_copied_stays_out_of_clipboard_history(qtbot: Any) -> None:
    guard = ClipboardGuard(seconds=30)
    try:
        edit = field(qtbot, NUMBER)
        qtbot.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        assert QGuiApplication.clipboard().text() == NUMBER
        assert marks() == {"ExcludeClipboardContentFromMonitorProcessing": b"\0\0\0\0",
                           "CanIncludeInClipboardHistory": b"\0\0\0\0", "CanUploadToCloudClipboard": b"\0\0\0\0"}
        assert edit.text() == NUMBER

        qtbot.keyClick(edit, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)  # cut
        assert edit.text() == "" and QGuiApplication.clipboard().text() == NUMBER and marks()

        other = field(qtbot, "Shiqiao village 3")
        qtbot.keyClick(other, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        assert QGuiApplication.clipboard().text() == "Shiqiao village 3" and marks() == {}  # as usual

        again = field(qtbot, NUMBER)
        again.copy()  # what the field's right-click menu 复制 does
        qtbot.waitUntil(lambda: bool(marks()), timeout=2000)
        assert QGuiApplication.clipboard().text() == NUMBER
    finally:
        guard.deleteLater()
        QGuiApplication.clipboard().clear()


def test_a_private_copy_is_still_cleared_after_its_time(qtbot: Any) -> None:
    guard = ClipboardGuard(seconds=0.3)
    try:
        edit = field(qtbot, NUMBER)
        with qtbot.waitSignal(guard.cleared, timeout=3000):
            qtbot.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        assert QGuiApplication.clipboard().text() == ""
    finally:
        guard.deleteLater()
