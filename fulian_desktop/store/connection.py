"""The one connection factory: open (decrypting with the database key), set pragmas, migrate, seed.

Every connection comes from SQLCipher (`sqlcipher3`), the same driver sqlite-utils uses (see
fulian_desktop/__init__.py); catch `sqlite.Error` / `sqlite.DatabaseError` from this module, never the
standard library's `sqlite3` classes, which a SQLCipher connection does not raise.

A database opened with a key is encrypted on disk (the file, its WAL and its temporary tables). An
unencrypted database from an earlier version is converted the first time it is opened with a key: the
original file is set aside first (`<name>.before-encryption`), the data is copied into a new encrypted
file with `sqlcipher_export`, every table's row count is compared, and only then does the new file take
the old one's place. Without a key a database is opened unencrypted (tests and tools only); an encrypted
file is then refused.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3 as sqlite

from .. import use_sqlcipher
from ..domain.errors import StorageError
from ..durable import fsync_dir, replace
from . import audit, lists, migrate
from .database import Database

use_sqlcipher()  # (sqlite-utils, when it loads, uses this driver: fulian_desktop/__init__.py)

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

Error = sqlite.Error
DatabaseError = sqlite.DatabaseError
Connection = sqlite.Connection

KEY_BYTES = 32
PLAIN_HEADER = b"SQLite format 3\x00"
SET_ASIDE_SUFFIX = ".before-encryption"


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    return f"\"x'{key.hex()}'\""  # a raw key: no passphrase derivation inside SQLCipher


def connect(path: Path | str, key: bytes | None = None) -> sqlite.Connection:
    """A bare connection (no migration): decrypting with `key` when given."""
    conn = sqlite.connect(str(path), timeout=10, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # no SQLCipher chatter on stderr
        if key is not None:
            conn.execute(f"PRAGMA key = {_key_pragma(key)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # temporary tables never reach the disk
    except BaseException:
        conn.close()
        raise
    return conn


def file_state(path: Path | str) -> str:
    """"missing" (or empty), "plain" (an unencrypted SQLite file) or "encrypted" (anything else)."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise StorageError(f"“{p}”是一个文件夹，不是数据库文件。") from None
    except OSError as e:
        raise StorageError(f"无法读取数据库文件：{p}（{e.strerror}）") from e
    if not head:
        return "missing"
    return "plain" if head == PLAIN_HEADER else "encrypted"


def open_database(path: Path | str, *, key: bytes | None = None, migrate_now: bool = True,
                  progress: migrate.Progress | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, migrated to the current schema (`progress` is told each
    step of an upgrade: store/migrate.py).

    With `key` the file is encrypted (an unencrypted one is converted first); a wrong key is refused.
    Raises StorageError with a message for the user when the file cannot be used.
    """
    memory = str(path) == ":memory:"
    if not memory:
        p = Path(path)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StorageError(f"无法创建数据文件夹：{p.parent}（{e.strerror}）") from e
        state = file_state(p)
        if key is None and state == "encrypted":
            raise StorageError("数据库文件已加密（或已损坏），需要用账号登录后才能打开。"
                               "如果它不是本程序的数据库，请从备份恢复。")
        if key is not None and state == "plain":
            encrypt_plain_file(p, key)
    try:
        conn = connect(path, None if memory else key)
        # sqlite-utils' execute and atomic without importing it (store/database.py); no sqlite-utils plugin ever
        # runs on this database (looking for them read every installed package's entry points: ≈ 70 ms)
        db = Database(conn)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as e:
            conn.close()
            if key is not None and "not a database" in str(e).lower():
                raise StorageError("密钥不对，无法打开数据库（数据库文件和密钥文件不是同一套，或文件已损坏）。") from e
            raise
        if not memory:
            db.execute("PRAGMA journal_mode = WAL")
        # a case the user saw saved must survive a power cut
        db.execute("PRAGMA synchronous = FULL")
        db.execute(f"PRAGMA cache_size = -{cache_kib(path)}")
        db.execute("PRAGMA busy_timeout = 10000")
        if migrate_now:
            migrate.migrate(db, None if memory else Path(path), copier(key), progress)
            lists.seed_if_empty(db)
            audit.defer_capture(db)  # the trail's capture, made as the connection first begins to write
    except DatabaseError as e:
        raise storage_error(e) from e
    return db


CACHE_LEAST_KIB, CACHE_MOST_KIB = 8 * 1024, 24 * 1024


def cache_kib(path: Path | str) -> int:
    """The page cache for this database: an eighth of the file, from SQLite's 8 MiB to 24 MiB. A large office's
    searches and lists then read decrypted pages from memory instead of decrypting them again each time (the
    cache fills only as pages are read). 24 MiB holds what a search or a page of the list reads again at a million
    cases (the count of the whole list included); more only fills as the clerk scrolls and is held by the program
    all day (64 MiB made the whole list scrolled through 194 MiB, issue 22's goal 150)."""
    try:
        size = Path(path).stat().st_size if str(path) != ":memory:" else 0
    except OSError:
        size = 0
    return max(CACHE_LEAST_KIB, min(CACHE_MOST_KIB, size // 8 // 1024))


def copier(key: bytes | None) -> migrate.Copier:
    """Copy an open database to `target`, encrypted with the same key (used before migrating), telling `progress`
    after each part (SQLite's backup progress)."""

    def copy(db: sqlite_utils.Database, target: Path, progress: migrate.BackupProgress | None = None) -> None:
        dest = connect(target, key)
        try:
            db.conn.backup(dest, pages=migrate.BACKUP_PAGES, progress=progress)
        finally:
            dest.close()

    return copy


def _table_counts(conn: sqlite.Connection, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%'"
    ).fetchall()]
    return {n: int(conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0]) for n in names}


def set_aside_path(path: Path) -> Path:
    target = path.with_name(path.name + SET_ASIDE_SUFFIX)
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{SET_ASIDE_SUFFIX}.{n}")
    return target


def encrypt_plain_file(path: Path, key: bytes) -> Path:
    """Convert the unencrypted database at `path` into an encrypted one in its place; return where the
    original was set aside. Nothing changes when any step fails."""
    work = path.with_name(path.name + ".encrypting")
    for leftover in (work, work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")):
        leftover.unlink(missing_ok=True)
    try:
        plain = connect(path)
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            plain.execute("PRAGMA journal_mode = DELETE")  # the original becomes one self-contained file
            version = int(plain.execute("PRAGMA user_version").fetchone()[0])
            before = _table_counts(plain)
            plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", [str(work), _key_pragma(key).strip('"')])
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute(f"PRAGMA encrypted.user_version = {version}")
            after = _table_counts(plain, "encrypted")
            plain.execute("DETACH DATABASE encrypted")
        finally:
            plain.close()
        if before != after:
            raise StorageError("加密数据库时核对数据不一致，原数据库没有改动。请联系技术人员。")
        check = connect(work, key)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StorageError("加密后的数据库检查未通过，原数据库没有改动。请联系技术人员。")
        finally:
            check.close()
        with work.open("rb+") as f:
            os.fsync(f.fileno())
        aside = set_aside_path(path)
        try:
            replace(path, aside)
        except OSError as e:
            raise StorageError(f"无法加密数据库：数据库文件被其他程序占用或不能改名（{e.strerror}）。"
                               "原数据库没有改动，请关闭杀毒软件或同步网盘等程序后再试。") from e
        try:
            replace(work, path)
        except OSError as e:
            try:
                replace(aside, path)
            except OSError:
                work.unlink(missing_ok=True)
                raise StorageError(f"无法加密数据库，而且原数据库没能改回原来的名字：它现在是“{aside.name}”"
                                   f"（在文件夹“{path.parent}”里），数据都还在。请不要删除它，把它改回“{path.name}”"
                                   "后再打开，或联系技术人员。") from e
            raise StorageError(f"无法加密数据库：数据库文件被其他程序占用或不能改名（{e.strerror}）。"
                               "原数据库没有改动，请关闭杀毒软件或同步网盘等程序后再试。") from e
        fsync_dir(path.parent)
    except DatabaseError as e:
        work.unlink(missing_ok=True)
        raise storage_error(e) from e
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    log.info("an unencrypted database was encrypted; the original was set aside")
    return aside


def set_journal_mode(db: sqlite_utils.Database, mode: str) -> str:
    """Set the database's journal mode to `mode` (WAL, TRUNCATE, DELETE); returns the mode it has afterwards (still
    "wal" when the log is to be left while another connection has it open).

    A read is begun first: in WAL mode this connection learns of another connection's commits only when it begins
    a read (from the log's index), and the database header's change counter, which a rollback journal relies on,
    does not change with them. Without the read, pages cached before another connection's last commit were taken
    as current after the switch and written back over it: a township added to the list by a second connection
    just before the demo was made was lost (tests/test_demo_writing.py)."""
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    row = db.execute(f"PRAGMA journal_mode = {mode}").fetchone()
    return str(row[0]).lower() if row else ""


def storage_error(e: Exception) -> StorageError:
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


@contextmanager
def write_transaction(db: sqlite_utils.Database, *, trail_only: bool = False) -> Iterator[sqlite_utils.Database]:
    """One transaction that takes the write lock at once (BEGIN IMMEDIATE), so that when another program
    is writing (the window and a scheduled backup, two PCs' windows on a shared file) SQLite waits for it
    (busy_timeout) instead of failing half-way; nested calls become savepoints. `trail_only`: it writes only the
    audit trail (and the fields its capture skips), so the capture's triggers are not made for it if they are not
    there yet (store/audit.py defer_capture: anything else it tried to write would be refused)."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    make_capture = getattr(db, "before_write", None)
    if make_capture is not None and not trail_only:
        make_capture()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
