"""保存 with something still to correct far down a long form (a new petition on a 1366×768 screen): the first field
in red is scrolled into view and has the focus, so the clerk types the missing 事情经过 at once instead of scrolling
to look for the red (seen on a real screen: 有2处需要修改, the focus left on the box she pressed Enter in)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.shell.main_window import MainWindow

from .qt_input import type_text


def choose_first(qtbot: Any, combo: QComboBox) -> None:
    """The first real choice of a drop-down, with the keyboard."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == 1


def test_save_goes_to_the_first_field_in_red(qtbot: Any, window: MainWindow) -> None:
    form = window.new_petition()
    assert isinstance(form, PetitionForm)
    qtbot.waitUntil(form.isVisible)
    form.resize(860, 560)  # as on the clerk's screen: 事情经过 is below what shows
    for box in (form.channel, form.township, form.category):
        choose_first(qtbot, box)
    type_text(qtbot, form.petitioner.name, "李喆")
    facts = form.tform.boxes["facts"]
    form.petitioner.name.setFocus()
    assert form.facts.visibleRegion().isEmpty(), "事情经过 is meant to be out of view before 保存"

    qtbot.keyClick(form.petitioner.name, Qt.Key.Key_Return)  # Enter presses 保存登记

    assert form.isVisible() and form.summary.text().startswith("有")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.facts)
    qtbot.waitUntil(lambda: not form.facts.visibleRegion().isEmpty())
    assert facts.error()
    type_text(qtbot, form.facts, "丈夫酒后打人。")  # she types straight away where the focus went
    assert form.facts.toPlainText() == "丈夫酒后打人。"
