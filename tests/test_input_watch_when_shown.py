"""The idle lock and the clipboard guard watch every widget's input from when the main window first paints, i.e. is on
the screen (gui/security/lock.py watch_input_once_painted), not through the window's building and showing (issue 22's
start-up)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from fulian_desktop.gui.shell import private_clipboard
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context

ID_NUMBER = "110101199003071234"


def test_the_lock_and_the_clipboard_guard_watch_from_when_the_window_first_paints(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    security = window.security
    assert security is not None
    field = QLineEdit(window)
    field.setText(ID_NUMBER)
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not security.lock.is_locked  # built, not yet on the screen: nothing watched yet
    window.show()
    field.show()
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not security.lock.is_locked  # shown, not yet painted: not on the screen yet
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.isVisible() and not window.visibleRegion().isEmpty())
    QApplication.processEvents()  # (the first paint)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert private_clipboard.is_private(QApplication.clipboard().mimeData())  # copied marked private
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: security.lock.is_locked)
    window.close()
