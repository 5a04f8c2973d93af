"""Schema migrations: numbered .sql files in db/migrations, applied in order at start-up.

The schema version is SQLite's `user_version`. Before migrating an existing file a copy is set
aside; a database from a newer version of the program is refused, never opened and damaged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3 as sqlite

from ..domain.errors import StorageError
from ..paths import migrations_dir

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def available() -> list[tuple[int, Path]]:
    found = []
    for f in migrations_dir().iterdir():
        m = _NAME.match(f.name)
        if m:
            found.append((int(m[1]), f))
    found.sort()
    return found


def latest_version() -> int:
    migrations = available()
    return migrations[-1][0] if migrations else 0


def current_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


Copier = Callable[["sqlite_utils.Database", Path], None]


def migrate(db: sqlite_utils.Database, path: Path | None, copy: Copier | None = None) -> None:
    """Apply the pending migrations; `copy(db, target)` sets a copy aside first (encrypted like the
    database itself: store/connection.py passes it)."""
    version = current_version(db)
    migrations = available()
    latest = migrations[-1][0] if migrations else 0
    if version > latest:
        raise StorageError(
            f"这个数据库是由更新版本的妇联维权工作台创建的（数据版本{version}，本程序只认识到{latest}）。"
            "为避免损坏数据，本程序不会打开它。请安装新版本后再打开。"
        )
    pending = [(n, f) for n, f in migrations if n > version]
    if not pending:
        return
    if path is not None and version > 0:
        _copy_aside(db, path, version, copy)
    from . import case_documents  # what a migration may call besides SQL's own functions

    db.conn.create_function("pack_document", 1, case_documents.pack_json, deterministic=True)
    for number, f in pending:
        log.info("applying migration %s", f.name)
        sql = f.read_text(encoding="utf-8")
        conn = db.conn
        try:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except sqlite.Error:
            conn.execute("ROLLBACK")
            raise


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (complete_statement knows about triggers)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _copy_aside(db: sqlite_utils.Database, path: Path, version: int, copy: Copier | None = None) -> Path:
    target = path.with_name(f"{path.name}.v{version}.before-upgrade")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{version}.before-upgrade.{n}")
    if copy is not None:
        copy(db, target)
    else:
        dest = sqlite.connect(str(target))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
    log.info("database copied aside before migrating (version %s)", version)
    return target
