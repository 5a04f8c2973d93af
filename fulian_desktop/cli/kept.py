"""The passwords Windows keeps for scheduled tasks (`credentials save`, cli/credentials.py): their names in the
Credential Manager, and reading them for the commands. Imports nothing else of the command line."""

from __future__ import annotations

import logging
import ntpath
from pathlib import Path

from .. import windows

log = logging.getLogger(__name__)

SIGN_IN, BACKUP = "登录", "备份密码"
PREFIX = "妇联维权工作台"


def target(kind: str, db: Path) -> str:
    """The Credential Manager's name for what is kept for the database `db`: one per database and kind."""
    try:
        where = str(db.resolve())
    except OSError:
        where = str(db.absolute())
    return f"{PREFIX}/{kind}/{ntpath.normcase(where)}"


def stored(kind: str, db: Path) -> tuple[str, str] | None:
    """(user name, password) kept for `db`, or None (nothing kept, or not on Windows)."""
    if not windows.active():
        return None
    try:
        return windows.read_credential(target(kind, db))
    except OSError as e:
        log.warning("the Credential Manager could not be read (WinError %s)", getattr(e, "winerror", None))
        return None
