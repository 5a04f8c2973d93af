"""The interface's Chinese font (gui/shell/fonts.py): Windows' or macOS's own (微软雅黑, 苹方) where the system has
one — the bundled 5 MB WenQuanYi Micro Hei then not read at all — else the bundled one, the same on every Linux.
The Windows and macOS cases run here with the platform patched (shared/DESIGN.md, "Windows")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase

from fulian_desktop.gui.shell import fonts


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The font files registered from now on (none yet this process, as at a start)."""
    added: list[str] = []
    monkeypatch.setattr(fonts, "_files_done", set())
    monkeypatch.setattr(fonts, "_registered", [])
    monkeypatch.setattr(QFontDatabase, "addApplicationFont", staticmethod(lambda path: added.append(path) or -1))
    return added


def _system_has(monkeypatch: pytest.MonkeyPatch, platform: str, families: list[str]) -> None:
    monkeypatch.setattr(fonts.sys, "platform", platform)
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *_a: families))


@pytest.mark.parametrize(("platform", "family"), [("win32", "Microsoft YaHei UI"), ("darwin", "PingFang SC")])
def test_the_systems_own_chinese_font_is_used_and_the_bundled_one_not_read(
        qapp, fresh: list[str], monkeypatch: pytest.MonkeyPatch, platform: str, family: str) -> None:  # type: ignore[no-untyped-def]
    _system_has(monkeypatch, platform, ["Arial", family, "SimSun"])
    fonts.register_fonts(interface_only=True)
    assert fresh == []
    assert fonts.system_interface_family() == family
    before = qapp.font()
    try:
        fonts.apply_interface_font(qapp)
        assert qapp.font().family() == family and qapp.font().pointSize() == 10
    finally:
        qapp.setFont(before)
    fonts.register_fonts()  # after the first paint: the print face, never the interface font
    assert [p.rsplit("/", 1)[-1] for p in fresh] == ["uming.ttc"]


def test_windows_without_a_chinese_font_gets_the_bundled_one(qapp, fresh: list[str],  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _system_has(monkeypatch, "win32", ["Arial", "Segoe UI"])
    assert fonts.system_interface_family() is None
    fonts.register_fonts(interface_only=True)
    assert [p.rsplit("/", 1)[-1] for p in fresh] == ["wqy-microhei.ttc"]


def test_linux_always_uses_the_bundled_font(qapp, fresh: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _system_has(monkeypatch, "linux", ["DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei"])
    assert fonts.system_interface_family() is None
    fonts.register_fonts(interface_only=True)
    assert [p.rsplit("/", 1)[-1] for p in fresh] == ["wqy-microhei.ttc"]
    before = qapp.font()
    try:
        fonts.apply_interface_font(qapp)
        assert qapp.font().family() == "WenQuanYi Micro Hei"
    finally:
        qapp.setFont(before)
