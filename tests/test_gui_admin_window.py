"""The administrator's window says truly how she may also handle cases: her own roles change only with the
recovery key, or by another administrator (services/accounts.set_roles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.gui.security.admin_window import AdminWindow
from fulian_desktop.services import accounts

from .conftest import CHEAP_KDF, Clock


def test_the_admin_window_names_the_recovery_key_her_own_roles_need(qtbot: Any, tmp_path: Path,
                                                                    clock: Clock) -> None:
    path = tmp_path / "office.db"
    ctx, _key, _aside = accounts.set_up(path, [
        ("admin2", "张管理", frozenset({"admin"}), "admin-pass-2", False),
    ], clock=clock, kdf=CHEAP_KDF)
    try:
        window = AdminWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        note = next(label.text() for label in window.findChildren(QLabel) if "岗位角色" in label.text())
        assert "恢复密钥" in note and "另一位管理员" in note, note
        assert ctx.user is not None
        with pytest.raises(ValidationError) as refused:  # what the note says is what the service does
            accounts.set_roles(ctx, ctx.user.id, {"admin", "director"})
        assert "恢复密钥" in refused.value.errors["recovery_key"]
        window.close()
    finally:
        ctx.close()
