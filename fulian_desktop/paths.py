"""Where the shipped files are: source checkout, installed wheel or PyInstaller bundle.

The top-level folders resources/, db/ and ui/ are installed as fulian_desktop/_resources,
fulian_desktop/_db and fulian_desktop/_ui (see pyproject.toml); a frozen bundle carries them at
its root. This module is the only place that knows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(top_level: str, installed: str) -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / top_level)
    candidates.append(_PACKAGE / installed)
    candidates.append(_PACKAGE.parent / top_level)
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    raise FileNotFoundError(f"{top_level}/ not found next to the application")


def resources_dir() -> Path:
    return _locate("resources", "_resources")


def db_dir() -> Path:
    return _locate("db", "_db")


def ui_dir() -> Path:
    return _locate("ui", "_ui")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def migrations_dir() -> Path:
    return db_dir() / "migrations"


def seed_dir() -> Path:
    return db_dir() / "seed"


def user_data_dir() -> Path:
    """The per-user data folder (the default database lives here)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "FulianDesktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "FulianDesktop"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "fulian-desktop"


def user_log_dir() -> Path:
    return user_data_dir() / "logs"


def default_db_path() -> Path:
    return user_data_dir() / "fulian.db"
