"""A consistent snapshot of the live database while others keep saving, and the checks a copy must pass.

The snapshot is one read transaction, held from its first page to its last. Mostly the database file itself
is that moment (see `take`): its own encrypted pages are read as they lie, never decrypted and encrypted
again. Otherwise SQLite's online backup API copies the moment into a work file (never a raw copy of a file
that writers may change meanwhile). Either way the pages stay SQLCipher-encrypted with the database key, so
nothing readable ever reaches the disk, and the rows per table are counted in the same read transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store.connection import DatabaseError, connect
from .errors import BackupError, Cancelled, Damaged

PAGES_PER_STEP = 2048  # 8 MiB of 4 KiB pages between progress reports
CHECK_CACHE_KIB = 131072  # the integrity check reads every page; a larger cache saves re-reading (and re-decrypting)

Progress = Callable[[int, int], None]  # (done, total) in pages or bytes
Cancel = Callable[[], bool]

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    path: Path  # the file whose first `size` bytes are the snapshot: the live database (held) or a work copy
    tables: dict[str, int]  # rows per table
    kinds: dict[str, int]  # cases per kind of work
    newest: dict[str, str] | None  # the last case registered: case_no, kind, received_on
    schema_version: int
    office: str
    size: int
    pages: int = 0  # the database's page count at the moment of the copy
    page_size: int = 4096
    audit_head: tuple[int, str] = (0, "")  # the audit trail's last entry and its hash: an anchor in the header
    reading: Any = field(default=None, repr=False)  # the read that keeps `path` (the live file) at that moment

    def release(self) -> None:
        """End the read that keeps the live file at the snapshot's moment (writers' WAL may be carried over again)."""
        conn, self.reading = self.reading, None
        if conn is not None:
            try:
                conn.execute("COMMIT")
            except DatabaseError:
                pass
            conn.close()


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
PENDING_BYTE = 0x40000000  # SQLite never uses the page holding this offset (its lock bytes live there)


def pending_page(page_size: int) -> int:
    """The number of the page SQLite leaves unused in a database past 1 GiB (its lock bytes lie in it)."""
    return PENDING_BYTE // page_size + 1


def take(source: Path, key: bytes, work: Path, progress: Progress | None = None, cancel: Cancel | None = None,
         on_read: Callable[[], None] | None = None) -> Snapshot:
    """One moment of the database at `source`, with its rows per table counted in that moment.

    Mostly the database file itself is that moment: a read transaction begins when every saved change has
    been carried from the WAL into the file (a checkpoint right before and right after the read began finds
    nothing left to carry), and while it is held no checkpoint may change the file. The snapshot then holds
    that read (`Snapshot.reading`) and its pages are the file's own encrypted pages, read as they are — nothing
    decrypted and encrypted again; `release()` ends the read. When writers keep that from happening, the
    online backup API copies the moment into `work` instead (a new file, encrypted with the same key).

    `on_read` runs once the read transaction has begun (the key file is read then, so that it is no older
    than the copy)."""
    for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        src = connect(source, key)
    except DatabaseError as e:
        raise BackupError(f"无法读取数据库：{e}") from e
    try:
        src.execute("PRAGMA busy_timeout = 10000")
        if cancel is not None:  # counting the rows of a large database: stopped at once all the same
            src.set_progress_handler(lambda: int(cancel()), 10000)
        try:
            in_place = _begin_as_the_file(source, key, src)
            tables = table_counts(src)
            kinds, newest, version, office = _facts(src)
            head = _audit_head(src)
            pages = int(src.execute("PRAGMA page_count").fetchone()[0])
            page_size = int(src.execute("PRAGMA page_size").fetchone()[0])
        except DatabaseError as e:
            if cancel is not None and cancel():
                raise Cancelled() from None
            if "not a database" in str(e).lower():
                raise Damaged("数据库文件打不开（密钥不对或文件已损坏），无法备份。") from e
            raise BackupError(f"无法读取数据库：{e}") from e
        src.set_progress_handler(None, 0)
        if on_read is not None:
            on_read()
        if in_place:
            if source.stat().st_size < pages * page_size:
                raise Damaged("数据库文件比它记录的页数短，可能已经损坏，无法备份。")
            held, src = src, None
            return Snapshot(source, tables, kinds, newest, version, office, pages * page_size, pages, page_size,
                            head, held)
        _copy(src, work, key, progress, cancel)
        src.execute("COMMIT")
    finally:
        if src is not None:
            src.close()
    for leftover in (Path(f"{work}-wal"), Path(f"{work}-shm")):
        leftover.unlink(missing_ok=True)
    return Snapshot(work, tables, kinds, newest, version, office, work.stat().st_size, pages, page_size, head)


def _copy(src: Any, target: Path, key: bytes, progress: Progress | None, cancel: Cancel | None) -> None:
    """The online backup API's copy of the moment `src` is reading into `target`."""
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


def _begin_read(conn: Any) -> None:
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read (and its moment) begins here


def _begin_as_the_file(source: Path, key: bytes, src: Any) -> bool:
    """Begin the read in `src`; True when the database file alone holds exactly what it reads, and goes on
    holding it until the read ends.

    In WAL mode a checkpoint copies saved pages from the WAL into the file, but never past the end of any
    open read's view (and none at all while a read that uses the file alone is open). A checkpoint from a
    second connection after the read began that finds every frame of the WAL carried over (as many carried
    as there are) shows that the file is the read's view: nothing of it is left only in the WAL, and nothing
    newer can reach the file while the read is held. Without a WAL a held read would keep every writer out for
    the whole backup: the online backup API copies the moment instead (False)."""
    probe = connect(source, key)
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL, if there is one
        wal = str(probe.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        for attempt in range(SAME_MOMENT_TRIES if wal else 0):
            probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()  # most of the WAL into the file
            _begin_read(src)
            busy, frames, carried = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy == 0 and frames >= 0 and frames == carried:
                return True
            src.execute("COMMIT")  # someone saved in between: try again
            time.sleep(0.02 * (attempt + 1))
        _begin_read(src)
        return False
    finally:
        probe.close()


def read_pages(snap: Snapshot, block: int, first: int | None = None) -> Iterator[bytes]:
    """The snapshot's bytes as the file holds them, `first` bytes first (when given), then blocks of `block`.
    The page SQLite never uses (past 1 GiB) comes as zeros, unread: on Windows its bytes may be locked."""
    lo = (pending_page(snap.page_size) - 1) * snap.page_size
    hi = lo + snap.page_size
    with open(snap.path, "rb") as f:
        done = 0
        while done < snap.size:
            n = min(first if first and not done else block, snap.size - done)
            end = done + n
            if end <= lo or done >= hi:
                data = f.read(n)
            else:
                parts = [f.read(lo - done)] if done < lo else []
                parts.append(bytes(min(end, hi) - max(done, lo)))
                f.seek(min(end, hi))
                if end > hi:
                    parts.append(f.read(end - hi))
                data = b"".join(parts)
            if len(data) != n:
                raise Damaged("数据库文件比它记录的页数短，可能已经损坏，无法备份。")
            done = end
            yield data


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


SQLCIPHER_RESERVE = 80  # SQLCipher 4's end of each page: a 16-byte IV, a 64-byte HMAC-SHA512
SQLCIPHER_IV = 16
SQLCIPHER_SALT = 16  # the first 16 bytes of the file: the salt the page HMAC key is derived with
CHECK_AHEAD = 2  # blocks handed to the page check and not yet checked, at most


class PageCheck:
    """Every page of the snapshot exactly as SQLCipher wrote it, checked on the very bytes sealed into the
    backup as they are read (no page read twice): each page's HMAC-SHA512 over its ciphertext, its IV and its
    number, keyed as SQLCipher 4 keys it (PBKDF2-HMAC-SHA512 of the raw key, 2 rounds, with the file's salt
    XOR 0x3a), and as many pages as the database had at its moment (`finish`: Damaged otherwise).

    `feed` hands a block (any size; the pages are cut across blocks) to a thread of its own (hashlib leaves
    Python's lock for such lengths, so the check runs on the other core while the next block is sealed);
    `stop` ends it after the block under way: no thread is left in OpenSSL when the program exits."""

    def __init__(self, key: bytes, snap: Snapshot) -> None:
        self.key = key
        self.page_size = snap.page_size
        self.pages = snap.pages
        self.pending = pending_page(snap.page_size)
        self.done = 0  # pages checked
        self.bad = 0
        self._carry = b""
        self._base: Any = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="fulian-page-check")
        self._ahead: deque[Future[None]] = deque()

    def feed(self, data: bytes) -> None:
        while len(self._ahead) >= CHECK_AHEAD:
            self._ahead.popleft().result()
        self._ahead.append(self._pool.submit(self._check, data))

    def finish(self) -> None:
        """Wait for every block; Damaged when a page is not SQLCipher's or pages are missing."""
        try:
            while self._ahead:
                self._ahead.popleft().result()
        finally:
            self.stop()
        if self._carry or self.done != self.pages:
            raise Damaged("数据库不完整。")
        if self.bad:
            log.warning("pages failed their HMAC check (%d)", self.bad)
            raise Damaged("数据库有页面被改动或损坏。")

    def stop(self) -> None:
        """Drop the blocks not begun; return once the one under way is checked (milliseconds)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _check(self, data: bytes) -> None:
        ps = self.page_size
        block = memoryview(self._carry + data if self._carry else data)
        whole = len(block) // ps
        if self._base is None and whole:
            salt = bytes(b ^ 0x3A for b in block[:SQLCIPHER_SALT])
            self._base = hmac.new(hashlib.pbkdf2_hmac("sha512", self.key, salt, 2, 32), digestmod="sha512")
        iv_end = ps - SQLCIPHER_RESERVE + SQLCIPHER_IV
        for i in range(whole):
            number = self.done + i + 1
            if number == self.pending:
                continue  # never written: no HMAC there (it comes as zeros)
            page = block[i * ps:(i + 1) * ps]
            mac = self._base.copy()
            mac.update(page[SQLCIPHER_SALT if number == 1 else 0:iv_end])
            mac.update(number.to_bytes(4, "little"))
            if not hmac.compare_digest(mac.digest(), page[iv_end:iv_end + 64]):
                self.bad += 1
        self.done += whole
        self._carry = bytes(block[whole * ps:])


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
