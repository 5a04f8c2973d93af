"""What the signed-in main window's opening loads and makes (issue 22's start-up): not the registers' columns with
every kind's rules (导出台账为Excel's entries are made as the submenu first opens), not the mediation rules (only a
visit's finding needs them), and not the audit trail's triggers (made at the first change: store/audit.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QPoint

from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context

from .conftest import TEST_PASSWORD, TEST_USER

ROOT = Path(__file__).resolve().parents[1]

_OPEN = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from fulian_desktop.gui.shell import application
    from fulian_desktop.gui.shell.main_window import MainWindow
    from fulian_desktop.services import accounts
    app = QApplication(["x"])
    application.prepare(app)
    ctx = accounts.sign_in(sys.argv[1], sys.argv[2], sys.argv[3])
    ahead = set(sys.modules)  # what the main window's modules load (while the password is checked)
    w = MainWindow(ctx)
    w.show()
    app.processEvents()
    w.grab()
    print("late", " ".join(sorted(m for m in set(sys.modules) - ahead if m.startswith("fulian_desktop"))))
    triggers = ctx.db.execute("SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'").fetchone()[0]
    print("loaded", " ".join(sorted(m for m in sys.modules if m.startswith("fulian_desktop"))))
    print("triggers", triggers)
    ctx.close()
    """
)


def test_the_window_opens_without_the_registers_the_mediation_rules_or_the_triggers(ctx: Context) -> None:
    assert ctx.path is not None
    ctx.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _OPEN, str(ctx.path), TEST_USER, TEST_PASSWORD], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = dict((line + " ").split(" ", 1) for line in out.stdout.splitlines()
                 if line.startswith(("loaded", "triggers", "late")))
    loaded = set(lines["loaded"].split())
    assert "fulian_desktop.gui.shell.start_page" in loaded  # (the window did open)
    # nothing of ours is loaded after the sign-in to build it: the start page's 家暴防护 box's stores came then
    assert lines["late"].split() == []
    assert "fulian_desktop.reports.registers" not in loaded
    assert "fulian_desktop.domain.mediation" not in loaded
    assert lines["triggers"].strip() == "0"


def test_the_export_submenu_lists_every_register_when_it_opens(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    reports = window.reports
    reports.menu.popup(window.mapToGlobal(QPoint(10, 10)))
    reports.export_menu.popup(window.mapToGlobal(QPoint(60, 60)))  # as the mouse or → opens it
    texts = [a.text() for a in reports.export_menu.actions()]
    assert texts == ["信访登记台账…", "转介台账…", "婚姻家庭纠纷调解台账…", "帮扶对象名册…", "走访慰问登记…"]
    reports.export_menu.hide()
    reports.export_menu.popup(window.mapToGlobal(QPoint(60, 60)))  # opened again: the same entries, once each
    assert [a.text() for a in reports.export_menu.actions()] == texts
    assert list(reports.export_actions) == ["petition", "referral", "mediation", "household", "visit"]
    reports.export_menu.hide()
    reports.menu.hide()
