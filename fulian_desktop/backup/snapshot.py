"""A consistent copy of the live database while others keep saving, and the checks a copy must pass.

The copy is made with SQLite's online backup API from a connection of its own that holds one read
transaction from the first page to the last: in WAL mode writers go on meanwhile, and the copy is the
database exactly as it was when the read began (never a raw file copy, which can catch a half-written
page). The copy stays encrypted with the database key (SQLCipher pages), so nothing readable ever reaches
the disk. Its row counts per table are taken in the same read transaction.
"""

from __future__ import annotations

import functools
import threading
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
    pages: int = 0  # the database's page count at the moment of the copy
    source_check: Background | None = None  # the live database's integrity check at that same moment
    audit_head: tuple[int, str] = (0, "")  # the audit trail's last entry and its hash: an anchor in the header


class Background:
    """A check in a thread of its own (SQLite leaves Python's lock while it works, so it runs on another
    core), which the thread that started it can stop at once: `work(opened, stopped)` hands its connection
    to `opened`, and `stop()` interrupts that connection (one long check step never calls SQLite's progress
    handler)."""

    def __init__(self, name: str, work: Callable[[Callable[[Any], None], Cancel], object], cancel: Cancel | None) -> None:
        self.name = name
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._conn: Any = None

        def stopped() -> bool:
            return self._stop.is_set() or (cancel is not None and cancel())

        def run() -> None:
            try:
                work(self._opened, stopped)
            except BaseException as e:  # noqa: BLE001 - handed to the thread that waits for the result
                self._error = e
            finally:
                self._conn = None

        self._thread = threading.Thread(target=run, name=f"fulian-{name}", daemon=True)
        self._thread.start()

    def _opened(self, conn: Any) -> None:
        self._conn = conn
        if self._stop.is_set():
            conn.interrupt()

    def result(self, waiting: Callable[[], None]) -> None:
        """Wait for the check (calling `waiting` now and then, which may raise Cancelled); re-raise its error."""
        while self._thread.is_alive():
            self._thread.join(0.1)
            waiting()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.interrupt()
            except Exception:  # noqa: BLE001 - already closed: the check has ended
                pass
        self._thread.join()


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


def _audit_head(conn: Any) -> tuple[int, str]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'").fetchone():
        return (0, "")
    row = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


SAME_MOMENT_TRIES = 5


def take(source: Path, key: bytes, target: Path, progress: Progress | None = None, cancel: Cancel | None = None,
         on_read: Callable[[], None] | None = None, check_source: bool = False) -> Snapshot:
    """Copy the database at `source` into `target` (a new file, encrypted with the same key).

    `on_read` runs once the read transaction has begun (the key file is read then, so that it is no
    older than the copy). With `check_source`, the live database's full integrity check starts at the
    same time, in a second connection that reads the very same moment as the copy (`Snapshot.source_check`,
    running while the copy is made and written); when writers keep it from catching the same moment, there
    is none and the caller checks the copy itself."""
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        src = connect(source, key)
    except DatabaseError as e:
        raise BackupError(f"无法读取数据库：{e}") from e
    source_check: Background | None = None
    try:
        src.execute("PRAGMA busy_timeout = 10000")
        try:
            if check_source:
                source_check = _check_same_moment(source, key, src, cancel)
            else:
                _begin_read(src)  # from here on the copy sees this moment
            tables = table_counts(src)
            kinds, newest, version, office = _facts(src)
            head = _audit_head(src)
            pages = int(src.execute("PRAGMA page_count").fetchone()[0])
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
    except BaseException:
        if source_check is not None:
            source_check.stop()
        raise
    finally:
        src.close()
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    return Snapshot(target, tables, kinds, newest, version, office, target.stat().st_size, pages, source_check,
                    head)


def _begin_read(conn: Any) -> None:
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read (and its moment) begins here


def _check_same_moment(source: Path, key: bytes, src: Any, cancel: Cancel | None) -> Background | None:
    """Begin the copy's read in `src` and, in a second connection, a read of the very same moment, whose
    full integrity check then runs in the background. Both reads begin between two looks at
    `PRAGMA data_version` from a third connection: when it has not changed, no one committed in between,
    so both see the same database. (SQLite's snapshot API would say it directly; Python does not offer it.)"""
    probe = connect(source, key)
    try:
        for _ in range(SAME_MOMENT_TRIES):
            before = probe.execute("PRAGMA data_version").fetchone()[0]
            _begin_read(src)
            other = connect(source, key)
            try:
                other.execute("PRAGMA busy_timeout = 10000")
                _begin_read(other)
            except BaseException:
                other.close()
                raise
            if probe.execute("PRAGMA data_version").fetchone()[0] == before:
                return Background("backup-source-check", functools.partial(_check_open, other), cancel)
            other.close()  # someone saved in between: try again
            src.execute("COMMIT")
        _begin_read(src)
        return None
    finally:
        probe.close()


def _check_open(conn: Any, opened: Callable[[Any], None], stopped: Cancel) -> None:
    """The full integrity check of the database `conn` is reading (then closed); Damaged when it fails."""
    try:
        opened(conn)
        _integrity(conn, stopped)
    finally:
        conn.close()


def _integrity(conn: Any, cancel: Cancel | None) -> None:
    conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
    except DatabaseError as e:
        if cancel is not None and cancel():
            raise Cancelled() from None
        raise Damaged("备份中的数据库已损坏，不能使用。") from e
    if [r[0] for r in rows] != ["ok"]:
        raise Damaged("备份中的数据库没有通过完整性检查，不能使用。")


def check_pages(path: Path, key: bytes, pages: int, expected: dict[str, int], cancel: Cancel | None = None,
                opened: Callable[[Any], None] | None = None) -> None:
    """The copy of a database whose full integrity check ran on the same moment (`take(check_source=True)`):
    every page must be exactly as SQLCipher wrote it (its HMAC), there must be as many pages as the
    database had, and the rows per table as many as it had. Damaged otherwise."""
    try:
        conn = connect(path, key)
    except DatabaseError as e:
        raise Damaged("备份中的数据库打不开。") from e
    try:
        if opened is not None:
            opened(conn)
        try:
            bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            have = int(conn.execute("PRAGMA page_count").fetchone()[0])
            counts = table_counts(conn)
        except DatabaseError as e:
            if cancel is not None and cancel():
                raise Cancelled() from None
            raise Damaged("备份中的数据库已损坏，不能使用。") from e
        if bad:
            raise Damaged("备份中的数据库有页面被改动或损坏，不能使用。")
        if have != pages or path.stat().st_size != pages * size:
            raise Damaged("备份中的数据库不完整，不能使用。")
        if counts != expected:
            raise Damaged("备份中的数据与备份时的记录条数不符，不能使用。")
    finally:
        conn.close()
        _remove_side_files(path)


def _remove_side_files(path: Path) -> None:
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


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
        last = [time.monotonic()]

        def interrupt() -> int:
            now = time.monotonic()
            if now - last[0] > 0.1:
                last[0] = now
                return 1 if cancel is not None and cancel() else 0
            return 0

        if cancel is not None:
            conn.set_progress_handler(interrupt, 10000)
        _integrity(conn, cancel)
        try:
            counts = table_counts(conn)
        except DatabaseError as e:
            if cancel is not None and cancel():
                raise Cancelled() from None
            raise Damaged("备份中的数据库已损坏，不能使用。") from e
        if expected is not None and counts != expected:
            raise Damaged("备份中的数据与备份时的记录条数不符，不能使用。")
        return counts
    finally:
        conn.close()
        _remove_side_files(path)


def facts(path: Path, key: bytes) -> tuple[dict[str, int], dict[str, str] | None, int, str]:
    conn = connect(path, key)
    try:
        return _facts(conn)
    finally:
        conn.close()
