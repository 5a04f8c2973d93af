"""导出台账为Excel, then the audit trail: each export is named by the register the menu named (走访慰问登记, 转介台账 …);
the visit register's export used to show as “visit.xlsx” and the referral register as 法律援助转介台账."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from fulian_desktop.gui.security.audit_view import AuditDialog
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context


def test_each_register_exported_from_the_menu_is_named_in_the_audit_trail(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    reports = window.reports
    named = {}
    for kind in ("visit", "referral"):
        monkeypatch.setattr(dialogs, "save_path", lambda *_a, kind=kind: str(tmp_path / f"{kind}台账"))
        reports.menu.popup(window.mapToGlobal(QPoint(10, 10)))  # 统计与台账 → 导出台账为Excel → the register
        reports.export_menu.popup(window.mapToGlobal(QPoint(60, 60)))
        action = reports.export_actions[kind]
        named[kind] = action.text().rstrip("…")
        action.trigger()
        reports.export_menu.hide()
        reports.menu.hide()
        assert (tmp_path / f"{kind}台账.xlsx").exists() and said and said[-1].startswith("已导出")

    assert window.security is not None and window.security.audit_action is not None
    window.security.audit_action.trigger()  # 账号与安全 → 审计日志…
    d = window.security.last_dialog
    assert isinstance(d, AuditDialog) and d.isVisible()
    column = d.model.HEADERS.index("对象")
    shown = [d.model.index(row, column).data() or "" for row in range(d.model.rowCount())]
    assert f"{named['visit']}（Excel）" in shown, shown[:5]  # 走访慰问登记（Excel）, not visit.xlsx
    assert f"{named['referral']}（Excel）" in shown, shown[:5]  # 转介台账（Excel）
