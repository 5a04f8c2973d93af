"""The one connection factory: open, set pragmas, migrate, seed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from ..domain.errors import StorageError
from . import lists, migrate


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_database(path: Path | str, *, migrate_now: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, migrated to the current schema.

    Raises StorageError with a message for the user when the file cannot be used.
    """
    memory = str(path) == ":memory:"
    if not memory:
        p = Path(path)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StorageError(f"无法创建数据文件夹：{p.parent}（{e.strerror}）") from e
    try:
        conn = _connect(path)
        db = sqlite_utils.Database(conn)
        if not memory:
            db.execute("PRAGMA journal_mode = WAL")
        # a case the user saw saved must survive a power cut
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 10000")
        if migrate_now:
            migrate.migrate(db, None if memory else Path(path))
            lists.seed_if_empty(db)
    except sqlite3.DatabaseError as e:
        raise storage_error(e) from e
    return db


def storage_error(e: sqlite3.Error) -> StorageError:
    """Turn a SQLite error that is the machine's fault into a message for the user."""
    text = str(e).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError("磁盘已满，无法保存。请清理磁盘空间后重试，刚才输入的内容仍在窗口中。")
    if "locked" in text or "busy" in text:
        return StorageError("数据库正被另一个程序使用，请稍后重试。")
    if "readonly" in text or "read-only" in text:
        return StorageError("数据库文件是只读的，无法保存。请检查文件权限。")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError("数据库文件已损坏或不是本程序的数据库。请从备份恢复。")
    if "unable to open" in text:
        return StorageError("无法打开数据库文件，请检查路径和权限。")
    return StorageError(f"数据库出错：{e}")
