"""Register the bundled fonts with Qt, so Chinese shows on a machine with no Chinese font."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ...paths import fonts_dir

log = logging.getLogger(__name__)
_registered: list[str] = []
_files_done: set[str] = set()

# Chinese interface fonts Windows and macOS already have, best first.
_SYSTEM_UI_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC")
# the interface's own font, needed before the first window; the others (the 20 MB print face, which also
# draws the rare characters of a name the interface font lacks) wait until the first window has painted
INTERFACE_FILES = ("wqy-microhei.ttc",)


def register_fonts(interface_only: bool = False) -> list[str]:
    """Add resources/fonts/* (or only the interface font) to Qt's font database, each file once; return the
    families added."""
    for path in sorted(fonts_dir().glob("*.tt[cf]")):
        if path.name in _files_done or (interface_only and path.name not in INTERFACE_FILES):
            continue
        _files_done.add(path.name)
        if path.name in INTERFACE_FILES and system_interface_family() is not None:
            continue  # Windows' or macOS's own Chinese interface font is used: the 5 MB file is not read (≈ 5 ms)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path.name)
            continue
        _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _registered


def system_interface_family() -> str | None:
    """On Windows and macOS, the system's own Chinese interface font the windows use, if it has one; elsewhere None
    (the bundled WenQuanYi Micro Hei is used, the same on every Linux)."""
    if sys.platform not in ("win32", "darwin"):
        return None
    families = set(QFontDatabase.families())
    return next((f for f in _SYSTEM_UI_FAMILIES if f in families), None)


def apply_interface_font(app: QApplication) -> None:
    choice = system_interface_family()
    if choice is None:
        families = set(QFontDatabase.families())
        fallback = next((f for f in _SYSTEM_UI_FAMILIES if f in families), None)
        choice = "WenQuanYi Micro Hei" if "WenQuanYi Micro Hei" in families else fallback
    font = QFont(choice or app.font().family())
    font.setPointSize(10)
    app.setFont(font)
