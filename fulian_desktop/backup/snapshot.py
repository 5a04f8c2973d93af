"""A consistent copy of the live database while others keep saving, and the checks a copy must pass.

The copy is made with SQLite's online backup API from a connection of its own that holds one read
transaction from the first page to the last: in WAL mode writers go on meanwhile, and the copy is the
database exactly as it was when the read began (never a raw file copy, which can catch a half-written
page). The copy stays encrypted with the database key (SQLCipher pages), so nothing readable ever reaches
the disk. Its row counts per table are taken in the same read transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store.connection import DatabaseError, connect
from .errors import BackupError, Cancelled, Damaged

PAGES_PER_STEP = 2048  # 8 MiB of 4 KiB pages between progress reports
CHECK_CACHE_KIB = 131072  # the integrity check reads every page; a larger cache saves re-reading (and re-decrypting)

Progress = Callable[[int, int], None]  # (done, total) in pages or bytes
Cancel = Callable[[], bool]


@dataclass
class Snapshot:
    path: Path
    tables: dict[str, int]  # rows per table
    kinds: dict[str, int]  # cases per kind of work
    newest: dict[str, str] | None  # the last case registered: case_no, kind, received_on
    schema_version: int
    office: str
    size: int


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(conn: Any) -> dict[str, int]:
    """Rows in every real table (virtual FTS tables are counted through their shadow tables)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").fetchall()]
    return {n: int(conn.execute(f"SELECT count(*) FROM main.{_q(n)}").fetchone()[0]) for n in names}


def _facts(conn: Any) -> tuple[dict[str, int], dict[str, str] | None, int, str]:
    kinds: dict[str, int] = {}
    newest = None
    has_cases = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases'").fetchone()
    if has_cases:
        kinds = {str(k): int(n) for k, n in conn.execute("SELECT kind, count(*) FROM cases GROUP BY kind").fetchall()}
        row = conn.execute("SELECT case_no, kind, received_on FROM cases ORDER BY id DESC LIMIT 1").fetchone()
        if row:
            newest = {"case_no": str(row[0]), "kind": str(row[1]), "received_on": str(row[2])}
    office = ""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").fetchone():
        r = conn.execute("SELECT value FROM settings WHERE key = 'office_name'").fetchone()
        office = " ".join(str(r[0]).split()) if r else ""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return kinds, newest, version, office


def take(source: Path, key: bytes, target: Path, progress: Progress | None = None, cancel: Cancel | None = None,
         on_read: Callable[[], None] | None = None) -> Snapshot:
    """Copy the database at `source` into `target` (a new file, encrypted with the same key).

    `on_read` runs once the read transaction has begun (the key file is read then, so that it is no
    older than the copy)."""
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        src = connect(source, key)
    except DatabaseError as e:
        raise BackupError(f"无法读取数据库：{e}") from e
    try:
        src.execute("PRAGMA busy_timeout = 10000")
        try:
            src.execute("BEGIN")
            tables = table_counts(src)  # also starts the read: from here on the copy sees this moment
            kinds, newest, version, office = _facts(src)
        except DatabaseError as e:
            if "not a database" in str(e).lower():
                raise Damaged("数据库文件打不开（密钥不对或文件已损坏），无法备份。") from e
            raise BackupError(f"无法读取数据库：{e}") from e
        if on_read is not None:
            on_read()
        dest = connect(target, key)
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)
                if cancel is not None and cancel():
                    raise Cancelled()

            try:
                src.backup(dest, pages=PAGES_PER_STEP, progress=step, sleep=0.05)
            except Cancelled:
                raise
            except DatabaseError as e:
                raise BackupError(f"复制数据库时出错：{e}") from e
        finally:
            dest.close()
        src.execute("COMMIT")
    finally:
        src.close()
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    return Snapshot(target, tables, kinds, newest, version, office, target.stat().st_size)


def check(path: Path, key: bytes, expected: dict[str, int] | None = None, cancel: Cancel | None = None,
          opened: Callable[[Any], None] | None = None) -> dict[str, int]:
    """Open the copy at `path`, run the full integrity check and count the rows; Damaged when the check
    fails or the counts differ from `expected`. Returns the counts. (`opened` is given the connection, so
    that another thread can `interrupt()` it: one long check step does not call the progress handler.)"""
    try:
        conn = connect(path, key)
    except DatabaseError as e:
        raise Damaged("备份中的数据库打不开。") from e
    if opened is not None:
        opened(conn)
    try:
        conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
        last = [time.monotonic()]

        def interrupt() -> int:
            now = time.monotonic()
            if now - last[0] > 0.1:
                last[0] = now
                return 1 if cancel is not None and cancel() else 0
            return 0

        if cancel is not None:
            conn.set_progress_handler(interrupt, 10000)
        try:
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
            counts = table_counts(conn)
        except DatabaseError as e:
            if cancel is not None and cancel():
                raise Cancelled() from None
            raise Damaged("备份中的数据库已损坏，不能使用。") from e
        if [r[0] for r in rows] != ["ok"]:
            raise Damaged("备份中的数据库没有通过完整性检查，不能使用。")
        if expected is not None and counts != expected:
            raise Damaged("备份中的数据与备份时的记录条数不符，不能使用。")
        return counts
    finally:
        conn.close()
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def facts(path: Path, key: bytes) -> tuple[dict[str, int], dict[str, str] | None, int, str]:
    conn = connect(path, key)
    try:
        return _facts(conn)
    finally:
        conn.close()
