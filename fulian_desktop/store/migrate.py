"""Schema migrations: numbered .sql files in db/migrations, applied in order at start-up.

The schema version is SQLite's `user_version`. Before migrating an existing file a copy is set
aside; a database from a newer version of the program is refused, never opened and damaged.

Each migration is one transaction, its version number written inside it: a program killed (or a power cut) mid-way
leaves the database at the last migration finished, and the next start goes on from there. The copy set aside is
written under a name of its own (.partial) and takes its name only when complete. `progress`, when given, is told each
step as it begins and how far it has gone, where that can be told (the copy's pages, a migration's statements): the
sign-in's upgrade window shows it (gui/security/upgrade.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3 as sqlite

from ..domain.errors import StorageError
from ..durable import replace
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


BackupProgress = Callable[[int, int, int], object]  # SQLite's backup progress: (status, pages remaining, pages in all)
Copier = Callable[["sqlite_utils.Database", Path, BackupProgress | None], None]
BACKUP_PAGES = 1024  # the copy set aside, so many pages at a time (4 MiB): its progress is told after each


@dataclass(frozen=True)
class Step:
    """One step of an upgrade, as the clerk is told it: the `number`th of `steps`, `what` it does, and how far it has
    gone (`part`, 0 to 1; None when it cannot be told: one long statement)."""

    number: int
    steps: int
    what: str
    part: float | None = None

    @property
    def text(self) -> str:
        return f"第{self.number}步（共{self.steps}步）：{self.what}"


Progress = Callable[[Step], None]


def migrate(db: sqlite_utils.Database, path: Path | None, copy: Copier | None = None,
            progress: Progress | None = None) -> None:
    """Apply the pending migrations; `copy(db, target, backup_progress)` sets a copy aside first (encrypted like the
    database itself: store/connection.py passes it). `progress` is told each step (see Step)."""
    version = current_version(db)
    migrations = available()
    latest = migrations[-1][0] if migrations else 0
    if version > latest:
        raise StorageError(
            f"这个数据库是由更新版本的妇联维权工作台创建的（数据版本{version}，本程序只认识到{latest}）。"
            "为避免损坏数据，本程序不会打开它。请安装新版本后再打开。"
        )
    todo = [(n, f) for n, f in migrations if n > version]
    if not todo:
        return
    tell: Progress = progress or (lambda _step: None)
    copying = path is not None and version > 0
    steps = len(todo) + copying
    if copying:
        assert path is not None

        def copied(_status: int, remaining: int, total: int) -> None:
            tell(Step(1, steps, "保存升级前的副本", 1 - remaining / total if total else None))

        tell(Step(1, steps, "保存升级前的副本", 0.0))
        _copy_aside(db, path, version, copy, copied)
    from . import case_documents  # what a migration may call besides SQL's own functions

    db.conn.create_function("pack_document", 1, case_documents.pack_json, deterministic=True)
    for i, (number, f) in enumerate(todo, 1 + copying):
        log.info("applying migration %s", f.name)
        statements = _statements(f.read_text(encoding="utf-8"))
        what = f"调整数据库结构（第{number:04d}号）"
        several = len(statements) > 1
        tell(Step(i, steps, what, 0.0 if several else None))
        conn = db.conn
        try:
            conn.execute("BEGIN")
            for done, statement in enumerate(statements, 1):
                conn.execute(statement)
                if several:
                    tell(Step(i, steps, what, done / len(statements)))
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:  # an error, or the clerk's program stopped: the migration is not half made
            if conn.in_transaction:
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


def _copy_aside(db: sqlite_utils.Database, path: Path, version: int, copy: Copier | None = None,
                progress: BackupProgress | None = None) -> Path:
    target = path.with_name(f"{path.name}.v{version}.before-upgrade")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{version}.before-upgrade.{n}")
    # written under a name of its own, and named only when complete: a program stopped mid-copy leaves no copy that
    # looks whole (its leftover is replaced by the next try, which takes the same name)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)
    if copy is not None:
        copy(db, partial, progress)
    else:
        dest = sqlite.connect(str(partial))
        try:
            db.conn.backup(dest, pages=BACKUP_PAGES, progress=progress)
        finally:
            dest.close()
    replace(partial, target)
    log.info("database copied aside before migrating (version %s)", version)
    return target
