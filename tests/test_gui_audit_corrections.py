"""The audit trail as the 主任 reads a correction: which record was corrected, in the office's words, and the
更正原因 whole in the pane below the table (the 说明 column cuts it short)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from fulian_desktop.domain.household import Visit
from fulian_desktop.gui.security.audit_view import AuditDialog
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import household_printing, households
from fulian_desktop.services.context import Context


def test_a_printed_visit_corrected_reads_as_a_visit_with_its_reason(qtbot: Any, ctx: Context) -> None:
    from fulian_desktop.demo import generate as demo

    demo.generate(ctx, 20, seed=3)
    household = ctx.db.execute("SELECT id FROM cases WHERE kind = 'household' AND is_open = 1").fetchone()[0]
    logged = households.log_visit(ctx, household, Visit(
        visited_on=ctx.today(), visitors="王芳", kind="visit", seen="家中整洁"))
    visit_id = logged.visit_id
    household_printing.print_visit(ctx, visit_id)  # printed: a correction needs a reason
    _h, saved = households.visit(ctx, visit_id)
    reason = "走访人登记错误，应为王芳和李红两人一同走访"
    households.correct_visit(ctx, visit_id, dataclasses.replace(saved, visitors="王芳、李红"), reason)

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.security is not None and window.security.audit_action is not None
    window.security.audit_action.trigger()  # 账号与安全 → 审计日志…
    d = window.security.last_dialog
    assert isinstance(d, AuditDialog)
    d.table.setFocus()
    d.table.selectRow(0)
    for _ in range(d.model.rowCount()):
        if d.model.row_at(d.table.currentIndex().row()).operation == "households.correct_visit":
            break
        qtbot.keyClick(d.table, Qt.Key.Key_Down)  # she walks down the trail to the correction
    row = d.table.currentIndex().row()
    assert d.model.row_at(row).operation == "households.correct_visit"
    pane = d.history.toPlainText()
    assert "帮扶户：更正走访记录" in pane and "回访" not in pane, pane  # a household's visit, not a mediation's 回访
    assert f"原因：{reason}" in pane, pane
    assert "原因" in d.model.index(row, 6).data()
