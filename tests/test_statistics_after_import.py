"""The statistics page open behind the import wizard counts what the register brought in once it is imported (its
figures stayed those from before the import until she went to another tab and back)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.gui.reports.import_wizard import ImportWizard
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context

from .test_gui_register_import import choose, click
from .test_register_import import PETITIONS


def test_the_statistics_behind_the_wizard_count_the_imported_register(
        qtbot: Any, ctx: Context, said: list[str], office_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    page = w.reports.show_statistics()
    assert page is not None and page.isVisible()
    choose(qtbot, page.picker.kind, "全年")
    while page.picker.year.value() > 2025:
        qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)
    assert "2025年" in page.heading.text()
    before = page.summary.toPlainText()
    assert "共接待来信来电来访0件(次)" in before

    monkeypatch.setattr(dialogs, "open_path", lambda *_a, **_k: str(PETITIONS))
    w.reports.action_import.trigger()
    wizard = w.reports.last_wizard
    assert isinstance(wizard, ImportWizard)
    click(qtbot, wizard.choose_button)
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)
    with qtbot.waitSignal(wizard.imported):
        click(qtbot, wizard.import_button)
    assert page.isVisible() and w.tabs.currentWidget() is page
    assert "共接待来信来电来访9件(次)" in page.summary.toPlainText()  # nine rows of 2025 imported
