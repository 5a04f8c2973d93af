"""Back up, open (check) and restore — the steps, without permissions or settings (services/backup.py).

Backing up: a consistent snapshot of the live database (snapshot.py): mostly the database file's own
encrypted pages, read within one read transaction that keeps the file at that moment (else a copy made by
SQLite's online backup API in a work folder next to the database); sealed into `<name>.未完成.tmp` in the
target folder; flushed to the device (the file, then the folder); read back from the device and decrypted,
every chunk authenticated (AES-GCM: the bytes on the stick are exactly the ones sealed). Meanwhile, on the
other core, the pages are checked once: every page as SQLCipher wrote it (its HMAC), as many as the database
had; the rows per table are counted in the moment's own read. Only then is it renamed to
`<office>_<date>_<time>.fulian-backup`, and only then are the oldest backups beyond the last N deleted. Any
failure removes the unfinished file (when the device still lets us) and leaves the earlier backups as they
were. The live database's full integrity check is not part of each backup: it runs at idle, once a week
(`check_live`); a database that failed it is not backed up over the good backups (services/backup.py).

Opening: the same reading and checking, into a staging file next to the database it will replace: what the
restore preview shows (office, date, cases per kind, newest case) comes from a file that has passed every
check. Restoring: the current database and its key file are renamed aside
(`fulian.db.before-restore-<date>` with `….keys`), the checked copy and the backup's key file take their
places; a failure half-way puts the old ones back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__, locks, windows
from ..durable import fsync_dir, replace
from ..store import keys as key_store
from ..store import migrate
from ..store.connection import DatabaseError, connect
from . import container, files, snapshot
from .container import MasterKey
from .errors import BackupError, Cancelled, Damaged, NoSpace, TooNew

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is happening)
Cancel = Callable[[], bool]
Opener = Callable[[Path], BinaryIO]

READ_BLOCK = 1 << 20
SYNC_EVERY = 64 << 20
LOCAL_KEEP = 7
LOCAL_NAME = "自动备份"
IDLE_NICE = 10  # the daily snapshot's thread on Linux: behind the window, not stopped by it
# shares of the bar, as the steps take on a large database (the page check runs alongside the others)
_WEIGHTS = (("snapshot", 0.03, "正在复制数据库…"), ("write", 0.50, "正在写入备份文件…"),
            ("read", 0.42, "正在读回并核对备份文件…"), ("check", 0.05, "正在检查备份中的数据…"))

_busy = threading.Lock()


@contextlib.contextmanager
def one_at_a_time() -> Iterator[None]:
    """One backup, snapshot or restore at a time in this program."""
    if not _busy.acquire(timeout=2):
        raise BackupError("另一个备份或恢复正在进行（可能是每天的自动备份），请稍等一会儿再试。")
    try:
        yield
    finally:
        _busy.release()


class Steps:
    """Turns each step's own progress into one bar from 0 to 1, and asks whether to stop."""

    def __init__(self, progress: Progress | None, cancel: Cancel | None, steps: tuple[str, ...]) -> None:
        self.progress = progress
        self.cancel = cancel
        chosen = [(n, w, t) for n, w, t in _WEIGHTS if n in steps]
        total = sum(w for _n, w, _t in chosen)
        self.spans: dict[str, tuple[float, float, str]] = {}
        start = 0.0
        for n, w, t in chosen:
            self.spans[n] = (start, w / total, t)
            start += w / total
        self.last = -1.0
        self.text = ""

    def at(self, step: str, done: float, total: float) -> None:
        start, width, text = self.spans[step]
        fraction = min(1.0, start + width * (min(done / total, 1.0) if total else 1.0))  # sums of shares: 1.0000…2
        if self.progress is not None and (fraction - self.last >= 0.002 or fraction >= 1.0 or text != self.text):
            self.last, self.text = fraction, text
            self.progress(fraction, text)
        self.check()

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()


@dataclass
class Source:
    """What it takes to back up a database: where it is and its key (the signed-in session's)."""

    db_path: Path
    db_key: bytes = field(repr=False)

    @property
    def keyfile(self) -> Path:
        return key_store.keyfile_path(self.db_path)


@dataclass
class Outcome:
    path: Path
    header: dict[str, Any]
    removed: list[Path]
    seconds: float


STALE_WORK = 12 * 3600  # a work folder of an earlier version (no lock file) this old was left half-way
WORK_PREFIX = ".fulian-backup-"
IN_USE = ".in-use"  # in each work folder: locked by the process using the folder, for as long as it does
_held: dict[Path, int] = {}  # this process's work folders -> the open, locked IN_USE file


def remove_leftovers(near: Path) -> int:
    """Remove the work folders a killed program left next to the database (their IN_USE lock died with it);
    a folder another running program is using is left alone. Called at each start and each backup.
    Returns how many were removed."""
    removed = 0
    try:
        found = list(near.glob(WORK_PREFIX + "*"))
    except OSError:
        return 0
    for old in found:
        if old in _held:
            continue
        try:
            marker = old / IN_USE
            if marker.exists():
                if locks.in_use(marker):
                    continue
            elif time.time() - old.stat().st_mtime <= STALE_WORK:
                continue
            _remove_tree(old)
            removed += 1
        except OSError:
            pass
    return removed


def _work_dir(near: Path) -> Path:
    """A private folder for the copies (they stay SQLCipher-encrypted) next to the database, locked for as long
    as this process uses it; ones left over by a program that was killed half-way are removed first."""
    remove_leftovers(near)
    try:
        near.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=near))
        fd = os.open(work / IN_USE, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as e:
        raise BackupError(f"无法在数据文件夹中建立临时文件（{files.device_message(e, '磁盘')}）") from e
    locks.lock(fd, wait=False)
    _held[work] = fd
    return work


def _remove_tree(folder: Path) -> None:
    fd = _held.pop(folder, None)
    if fd is not None:
        with contextlib.suppress(OSError):
            locks.unlock(fd)
        with contextlib.suppress(OSError):
            os.close(fd)
    shutil.rmtree(folder, ignore_errors=True)


def _open_new(path: Path) -> BinaryIO:
    f = open(path, "xb")  # noqa: SIM115 - closed by the caller
    locks.lock(f.fileno(), wait=False)  # while it is written: files.prune leaves a locked one alone
    return f


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def backup_to(
    source: Source, folder: Path, master: MasterKey, office: str, at: dt.datetime, *, keep: int = files.DEFAULT_KEEP,
    kind: str = "office", progress: Progress | None = None, cancel: Cancel | None = None,
    opener: Opener | None = None, name: str | None = None,
) -> Outcome:
    """Make one verified backup of `source` in `folder`; delete this office's backups beyond the newest `keep`.
    (`opener` makes the new file: tests give one that fails like a pulled stick.)"""
    started = time.monotonic()
    opener = opener or _open_new
    steps = Steps(progress, cancel, ("snapshot", "write", "read", "check"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BackupError(f"无法在“{folder}”建立备份文件夹：{files.device_message(e)}") from e
    files.remove_unfinished(folder)  # a killed backup's half-written file: room for this one
    work = _work_dir(source.db_path.parent)
    try:
        keyfile: list[bytes] = []

        def read_keyfile() -> None:
            try:
                keyfile.append(source.keyfile.read_bytes())
            except OSError as e:
                raise BackupError(f"无法读取密钥文件（{source.keyfile.name}）：{e.strerror}") from e

        snap = snapshot.take(source.db_path, source.db_key, work / "snapshot.db",
                             lambda d, t: steps.at("snapshot", d, t), cancel, on_read=read_keyfile)
        in_place = snap.reading is not None
        steps.at("snapshot", 1, 1)
        check = snapshot.PageCheck(source.db_key, snap)  # on the other core, the pages as they are sealed
        partial: Path | None = None
        try:
            header = {
                "format": container.PAYLOAD_FORMAT, "format_version": container.PAYLOAD_VERSION,
                "app_version": __version__, "schema_version": snap.schema_version, "office": snap.office or office,
                "created_at": at.isoformat(timespec="seconds"), "kind": kind, "cases": snap.kinds,
                "newest": snap.newest, "tables": snap.tables, "keyfile_size": len(keyfile[0]), "db_size": snap.size,
                "db_name": source.db_path.name,
                "audit": {"id": snap.audit_head[0], "hash": snap.audit_head[1]},  # an anchor of the trail
            }
            office_name = snap.office or office
            label = LOCAL_NAME if kind == "local" else office_name
            _check_space(folder, snap.size + len(keyfile[0]))
            target = files.free_name(folder, name or files.backup_name(label, at))
            partial = files.unfinished(target)
            _write(partial, master, header, keyfile[0], source.db_key, snap, steps, opener, check)
            _read_back(partial, master, header, keyfile[0], source.db_key, steps)
            steps.at("check", 0, 1)
            try:
                check.finish()
            except Damaged as e:
                log.error("a backup failed its page check (%s)", "the live database" if in_place else "the copy")
                raise BackupError(UNSOUND if in_place else _COPY_DAMAGED) from e
            steps.at("check", 1, 1)
            replace(partial, target)
            fsync_dir(folder)
        except BaseException:
            if partial is not None:
                _remove_quietly(partial)
            raise
        finally:
            check.stop()  # at once: the block under way at most
            snap.release()
        removed = files.prune(folder, label, keep, protect=target)
        log.info("backup made and verified (%d bytes, %d tables)", target.stat().st_size, len(snap.tables))
        return Outcome(target, header, removed, time.monotonic() - started)
    except OSError as e:
        raise BackupError(f"备份没有完成：{files.device_message(e)}") from e
    finally:
        _remove_tree(work)


def _check_space(folder: Path, size: int) -> None:
    need = files.needed_bytes(size, 0, container.CHUNK)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < need:
        raise NoSpace(f"U盘（或所选文件夹）空间不够：这次备份约需{_mb(need)}，只剩{_mb(free)}。"
                      "请删掉不需要的文件，或换一个空间大一些的U盘。已有的备份没有改动。")


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n < 1 << 30 else f"{n / (1 << 30):.2f} GB"


def _write(partial: Path, master: MasterKey, header: dict[str, Any], keyfile: bytes, db_key: bytes,
           snap: snapshot.Snapshot, steps: Steps, opener: Opener, check: snapshot.PageCheck) -> None:
    """Seal everything into `partial`, flushed to the device; each block of the database's pages is handed to
    `check` as it is sealed."""
    try:
        f = opener(partial)
    except OSError as e:
        raise _device_error(e) from e
    try:
        try:
            sealer = container.Sealer(f, master)
            sealer.write(container.pack_header(header))
            sealer.write(keyfile)
            sealer.write(db_key)
            total, done = snap.size, 0
            for block in snapshot.read_pages(snap, sealer.chunk, first=sealer.to_fill()):  # read to fit the chunks
                check.feed(block)
                sealer.write(block)
                done += len(block)
                if done // SYNC_EVERY != (done - len(block)) // SYNC_EVERY:
                    f.flush()  # the device takes it in parts: stopping never waits for a whole flush
                    os.fsync(f.fileno())
                    files.drop_cache(f)  # what is on the device leaves the memory (read back from the device)
                steps.at("write", done, total)
            sealer.close()
            f.flush()
            os.fsync(f.fileno())
        finally:
            f.close()
        fsync_dir(partial.parent)
    except OSError as e:
        _remove_quietly(partial)
        raise _device_error(e) from e
    except BaseException:
        _remove_quietly(partial)
        raise


def _device_error(e: OSError) -> BackupError:
    message = f"备份没有完成：{files.device_message(e)}U盘上原有的备份没有改动。"
    return NoSpace(message) if "空间不够" in message else BackupError(message)


UNSOUND = ("备份没有完成：数据库没有通过完整性检查，现在使用的数据库可能已经损坏。"
            "请尽快联系技术人员；U盘上原有的备份没有改动，请不要删除它们。")
_COPY_DAMAGED = ("备份没有完成：数据库复制到这台电脑的临时文件夹后，读出来的和写进去的不一样，这台电脑的硬盘可能有问题。"
                 "请再备份一次；如果反复出现，请联系技术人员。U盘上原有的备份没有改动。")


class _Discard:
    """Where the read-back's database bytes go: each chunk was authenticated on its way (AES-GCM)."""

    def write(self, data: Any) -> None:
        pass


def _read_back(partial: Path, master: MasterKey, header: dict[str, Any], keyfile: bytes, db_key: bytes,
               steps: Steps) -> None:
    """Read the written file back from the device and decrypt it: every chunk must be the one sealed (its
    AES-GCM tag, its place, the last one last), and the whole as long as written — so the device holds
    exactly the bytes that were sealed, whose pages are being checked meanwhile."""
    try:
        with files.open_from_device(partial) as f:
            reader = container.Unsealer(f)
            reader.unlock(master)
            stream = container.PlainStream(reader.chunks())
            got = container.read_header(stream)
            if got != json.loads(json.dumps(header)) or stream.read(len(keyfile)) != keyfile or stream.read(32) != db_key:
                raise Damaged("bad header")
            total, done = header["db_size"], [0]

            def step(n: int) -> None:
                done[0] += n
                steps.at("read", done[0], total)

            stream.copy_to(_Discard(), total, step)  # type: ignore[arg-type]
            stream.finish()
    except OSError as e:
        raise BackupError(f"备份写好后读回核对时出错：{files.device_message(e)}U盘上原有的备份没有改动。") from e
    except Damaged as e:
        log.warning("a backup read back from the device differs from what was written (%s)", type(e).__name__)
        raise BackupError("备份写入U盘后读回来的内容和写入的不一样，这个U盘可能有问题。"
                          "请换一个U盘再备份一次。U盘上原有的备份没有改动。") from e


# --- opening a backup ---------------------------------------------------------------------------------


@dataclass
class Opened:
    """A backup that has passed every check; `staged` is its database, decrypted from the backup file
    (still SQLCipher-encrypted with its own key), ready to take the live database's place."""

    file: Path
    header: dict[str, Any]
    keyfile: bytes = field(repr=False)
    db_key: bytes = field(repr=False)
    staged: Path
    work: Path

    @property
    def office(self) -> str:
        return str(self.header.get("office", ""))

    @property
    def created_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(str(self.header.get("created_at", "")))
        except ValueError:
            return None

    @property
    def cases(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in dict(self.header.get("cases") or {}).items()}

    @property
    def newest(self) -> dict[str, str] | None:
        n = self.header.get("newest")
        return dict(n) if isinstance(n, dict) else None

    @property
    def is_local(self) -> bool:
        return self.header.get("kind") == "local"

    def discard(self) -> None:
        _remove_tree(self.work)


def read_header(file: Path, *, password: str | None = None, db_key: bytes | None = None) -> dict[str, Any]:
    """Only the header of a backup (its first chunk): what it holds, and its anchor of the audit trail."""
    try:
        with open(file, "rb") as f:
            reader = container.Unsealer(f)
            reader.unlock(container.master_for(reader.pre, password, db_key))
            return container.read_header(container.PlainStream(reader.chunks()))
    except OSError as e:
        raise BackupError(f"无法读取备份文件：{files.device_message(e)}") from e


def open_backup(
    file: Path, work_near: Path, *, password: str | None = None, master: MasterKey | None = None,
    db_key: bytes | None = None, progress: Progress | None = None, cancel: Cancel | None = None,
) -> Opened:
    """Check a backup file completely (password, every chunk, the version, the key file, the database's
    integrity and row counts) and stage its database in a work folder made in `work_near`."""
    steps = Steps(progress, cancel, ("read", "check"))
    try:
        f = open(file, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件：{file}") from None
    except IsADirectoryError:
        raise BackupError(f"“{file}”是一个文件夹，不是备份文件。") from None
    except OSError as e:
        raise BackupError(f"无法读取备份文件：{files.device_message(e)}") from e
    work: Path | None = None
    try:
        with f:
            reader = container.Unsealer(f)
            reader.unlock(master or container.master_for(reader.pre, password, db_key))
            stream = container.PlainStream(reader.chunks())
            header = container.read_header(stream)
            _check_versions(header)
            keyfile = stream.read(header["keyfile_size"])
            _check_keyfile(keyfile)
            key = stream.read(32)
            work = _work_dir(work_near)
            staged = work / "restore.db"
            total, done = header["db_size"], [0]

            def step(n: int) -> None:
                done[0] += n
                steps.at("read", done[0], total)

            with open(staged, "wb") as out:
                stream.copy_to(out, total, step)
                out.flush()
                os.fsync(out.fileno())
            stream.finish()
        steps.at("check", 0, 1)
        snapshot.check(staged, key, {str(k): int(v) for k, v in dict(header.get("tables") or {}).items()}, cancel)
        steps.at("check", 1, 1)
        return Opened(file, header, keyfile, key, staged, work)
    except OSError as e:
        if work is not None:
            _remove_tree(work)
        raise BackupError(f"读取备份文件时出错：{files.device_message(e)}") from e
    except BaseException:
        if work is not None:
            _remove_tree(work)
        raise


def _check_versions(header: dict[str, Any]) -> None:
    schema = int(header.get("schema_version", 0))
    if schema > migrate.latest_version():
        made_by = str(header.get("app_version", "")) or "更新的版本"
        raise TooNew(f"这个备份是由更新版本的妇联维权工作台（{made_by}）制作的，本程序（{__version__}）"
                     "不能恢复它，以免损坏数据。请先安装新版本，再恢复。")


def _check_keyfile(raw: bytes) -> None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Damaged("备份中的密钥文件已损坏，不能使用。") from None
    if not isinstance(data, dict) or data.get("format") != key_store.FORMAT:
        raise Damaged("备份中的密钥文件已损坏，不能使用。")
    if int(data.get("version", 0)) > key_store.VERSION:
        raise TooNew("这个备份的密钥文件是由更新版本的妇联维权工作台制作的，请先安装新版本，再恢复。")


# --- restoring ----------------------------------------------------------------------------------------


@dataclass
class Restored:
    db_path: Path
    aside: Path | None  # where the database it replaced was set aside (its key file next to it)


def _aside_path(db_path: Path, at: dt.datetime) -> Path:
    base = f"{db_path.name}.before-restore-{at.strftime(files.STAMP)}"
    target = db_path.with_name(base)
    n = 1
    while target.exists() or key_store.keyfile_path(target).exists():
        n += 1
        target = db_path.with_name(f"{base}_{n}")
    return target


def restore_files(opened: Opened, db_path: Path, at: dt.datetime) -> Restored:
    """Put the checked backup in place of the database at `db_path` (closed by the caller), setting the
    current database and key file aside first. A failure half-way puts them back."""
    if opened.staged.parent.parent.resolve() != db_path.parent.resolve():
        raise ValueError("the staged copy must be next to the database it replaces")
    keys_path = key_store.keyfile_path(db_path)
    moves: list[tuple[Path, Path]] = []

    def move(a: Path, b: Path) -> None:
        replace(a, b)
        moves.append((a, b))

    aside: Path | None = None
    new_keys = keys_path.with_name(keys_path.name + ".restoring")
    try:
        if db_path.exists() or keys_path.exists():
            aside = _aside_path(db_path, at)
            if db_path.exists():
                move(db_path, aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{db_path}{suffix}")
                if extra.exists():
                    move(extra, Path(f"{aside}{suffix}"))
            if keys_path.exists():
                move(keys_path, key_store.keyfile_path(aside))
        with open(new_keys, "wb") as f:
            f.write(opened.keyfile)
            f.flush()
            os.fsync(f.fileno())
        key_store.protect(new_keys)
        move(opened.staged, db_path)
        move(new_keys, keys_path)
        fsync_dir(db_path.parent)
    except OSError as e:
        stranded: list[tuple[Path, Path]] = []
        for a, b in reversed(moves):
            try:
                replace(b, a)
            except OSError:
                log.error("restore: could not put a file back after a failure")
                stranded.append((a, b))
        _remove_quietly(new_keys)
        raise BackupError(_restore_failed(e, stranded, db_path)) from e
    opened.discard()
    log.info("a backup was restored; the database it replaced was set aside")
    return Restored(db_path, aside)


def _restore_failed(e: OSError, stranded: list[tuple[Path, Path]], db_path: Path) -> str:
    """What to tell after a failed restore: what went wrong, and where the files are now. `stranded` are the
    moves that could not be undone (original place, where the file is now)."""
    why = files.device_message(e, "磁盘")
    if not stranded:
        return f"恢复没有完成，原来的数据库没有改动：{why}"
    where = "；".join(f"“{a.name}”现在叫“{b.name}”" for a, b in reversed(stranded))
    return (f"恢复没有完成：{why}\n\n原来的数据库没能全部放回原处（{where}，都在文件夹“{db_path.parent}”里）。"
            "数据都还在，请不要删除这些文件。请先关闭妇联维权工作台和占用这些文件的程序（杀毒软件、同步网盘），"
            "再把它们改回原来的名字，或联系技术人员。")


# --- local snapshots ----------------------------------------------------------------------------------


local_folder = files.local_folder


def has_snapshot_on(folder: Path, day: dt.date) -> bool:
    return any(b.at.date() == day for b in files.backups_in(folder, LOCAL_NAME))


def give_way() -> None:
    """The calling thread (the daily snapshot's own) gives way to the window: Windows' background mode (lower
    CPU and disk priority), on Linux a lower CPU priority for this thread alone."""
    if windows.active():
        if not windows.background_thread():
            log.info("the snapshot's thread could not be put in background mode")
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            me = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, me, max(os.getpriority(os.PRIO_PROCESS, me), IDLE_NICE))


def local_snapshot(source: Source, folder: Path, at: dt.datetime, keep: int = LOCAL_KEEP,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> Outcome:
    """A verified snapshot sealed with the database key (no password needed, opens only with this database)."""
    return backup_to(source, folder, container.database_master(source.db_key), LOCAL_NAME, at, keep=keep,
                     kind="local", progress=progress, cancel=cancel)


# --- the live database's full check, at idle ------------------------------------------------------------

LIVE_CHECK_DAYS = 7  # how often the live database gets its full integrity check
LIVE_CHECK_CACHE_KIB = 16384  # a smaller page cache than a restore's check: it runs while the window is in use
LIVE_CHECK_STEPS = 1000  # how often (in SQLite's steps) the check asks whether to stop


@dataclass(frozen=True)
class LiveCheck:
    at: dt.datetime
    ok: bool


def last_live_check(folder: Path) -> LiveCheck | None:
    """The live database's last full check (None when it has never been checked, or the note is unreadable)."""
    note = files.read_check_note(folder)
    return LiveCheck(*note) if note is not None else None


def live_check_due(folder: Path, now: dt.datetime) -> bool:
    """A failed check is done again at each start; a passed one after a week."""
    last = last_live_check(folder)
    return last is None or not last.ok or not 0 <= (now - last.at).days < LIVE_CHECK_DAYS


def check_live(source: Source, folder: Path, at: dt.datetime, cancel: Cancel | None = None) -> bool:
    """The live database's full integrity check (`PRAGMA integrity_check`: every page, every index against
    its table), moved out of each backup: run at idle in a thread of its own, stopped at once when `cancel`
    says so (Cancelled, nothing noted). The outcome is noted in `folder`; True when it passed."""
    if cancel is not None and cancel():
        raise Cancelled()
    try:
        conn = connect(source.db_path, source.db_key)
    except DatabaseError:
        ok = False
    else:
        try:
            conn.execute(f"PRAGMA cache_size = -{LIVE_CHECK_CACHE_KIB}")
            if cancel is not None:
                conn.set_progress_handler(lambda: int(cancel()), LIVE_CHECK_STEPS)
            try:
                ok = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()] == ["ok"]
            except DatabaseError:
                if cancel is not None and cancel():
                    raise Cancelled() from None
                ok = False  # "not a database", "malformed": the check failed
        finally:
            conn.close()
    if not ok:
        log.error("the live database failed its full integrity check")
    note = folder / files.LIVE_CHECK_NOTE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = note.with_name(note.name + ".tmp")
        work.write_text(json.dumps({"at": at.isoformat(timespec="seconds"), "ok": ok}), "utf-8")
        replace(work, note)
    except OSError:
        log.warning("the outcome of the live database check could not be noted")
    return ok
