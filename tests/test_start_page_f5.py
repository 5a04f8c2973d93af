"""F5 (查看 → 刷新) shows on the start page what another program wrote while the window was open: a register imported
with `fulian-desktop import` on the command line, in a process of its own, as a scheduled task or a technician runs it.
Driving the real window: the key pressed on it, the start page's counts and the case list read as the clerk reads
them. Every person here is made up."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import cases
from fulian_desktop.services.context import Context

from . import big_registers
from .conftest import TEST_PASSWORD, TEST_USER
from .test_startup import ROOT

IMPORT = "import sys; from fulian_desktop import app; sys.exit(app.main(sys.argv[1:]))"


def _shown(window: MainWindow) -> dict[str, str]:
    page = window.dashboard
    return {"today": page.today_label.text(), **{k: lab.text() for k, lab in page.open_labels.items()},
            "overdue": page.overdue_button.text(), "due soon": page.due_soon_button.text()}


def test_f5_shows_the_records_the_command_line_imported_meanwhile(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, tmp_path) -> None:
    window.tabs.setCurrentWidget(window.dashboard)
    before = _shown(window)
    assert before["petition"] == "0"
    register = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 40, ctx.today())
    env = {"FULIAN_USER": TEST_USER, "FULIAN_PASSWORD": TEST_PASSWORD, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", IMPORT, "import", str(register), "--db", str(ctx.path)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "已导入：共40行：新增40" in done.stdout, done.stdout + done.stderr
    open_now = cases.open_counts(ctx).get("petition", 0)
    assert open_now > 0
    assert _shown(window) == before  # the window does not know yet

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    after = _shown(window)
    assert after["petition"] == str(open_now)  # the imported petitions still open
    assert after["due soon"] == f"本周到期 {cases.due_counts(ctx).due_soon} 件"
    assert after["overdue"] == f"已逾期 {cases.due_counts(ctx).overdue} 件"
    assert window.refresh_action.text() == "刷新" and window.refresh_action in window.ui.menuView.actions()

    # the case list, too: the imported petitions found by 查找
    window.tabs.setCurrentWidget(window.case_list)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.case_list.model.rowCount() >= 40
