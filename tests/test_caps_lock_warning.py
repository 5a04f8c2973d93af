"""Caps Lock on while she types her password: the sign-in window's password box says 大写锁定已打开 (the dots do
not show her the capitals), and stops saying it once she turns Caps Lock off — keys typed as a keyboard sends
them (a capital without Shift is a letter typed with Caps Lock on)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.gui.security.sign_in import LoginDialog
from fulian_desktop.gui.shell.widgets import PasswordField
from fulian_desktop.services import accounts

from .conftest import CHEAP_KDF, Clock


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "office.db"
    ctx, _key, _aside = accounts.set_up(path, [
        ("wangxl", "王秀兰", frozenset({"window"}), "dongshan-2026", False),
    ], clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    return path


def test_the_password_box_says_when_caps_lock_is_on(qtbot: Any, office_app: Any, office: Path,
                                                    clock: Clock) -> None:
    d = LoginDialog(office, clock=clock)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.username.setText("wangxl")
    d.password.setFocus()
    box = d.password
    assert isinstance(box, PasswordField)
    assert not box.caps_note.isVisible()
    qtbot.keyClicks(box, "dongshan")  # small letters, no Shift: Caps Lock is off
    assert not box.caps_note.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_CapsLock)
    assert box.caps_note.isVisible() and box.caps_note.text() == "大写锁定已打开"
    qtbot.keyClick(box, Qt.Key.Key_CapsLock)
    assert not box.caps_note.isVisible()
    box.clear()
    qtbot.keyClicks(box, "DONG")  # capitals without Shift: Caps Lock is on
    assert box.caps_note.isVisible()
    # the note sits inside the box at its right end, clear of the dots, and Enter still signs in once it is off
    note = box.caps_note.geometry()
    assert box.rect().contains(note) and note.right() > box.width() // 2
    assert box.textMargins().right() >= note.width()
    box.clear()
    qtbot.keyClick(box, Qt.Key.Key_CapsLock)
    assert not box.caps_note.isVisible()
    qtbot.keyClicks(box, "dongshan-2026")
    assert not box.caps_note.isVisible() and box.text() == "dongshan-2026"
    with qtbot.waitSignal(d.accepted, timeout=5000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert d.ctx is not None
    d.ctx.close()
