"""Backing up to a USB stick, checking a backup, restoring one, the daily local snapshot — for the window and
the command line: permissions, the office's backup password and settings, the audit trail.

The backup password is set once by the administrator (设置 → 备份密码). What is kept is not the password
but the key Argon2id derives from it (with the office's salt and cost), inside the encrypted database: a
backup in one click needs no password, and every backup of the office opens with the same password, on any
PC, even with no account there. After each verified backup the time, folder and file are remembered
(`last_backup_at`, read by the start page, `last_backup_place`, `last_backup_file`).

Long work (make, open) runs in `Job.run` / `open_for_restore` off the GUI thread with its own connections;
what touches the signed-in context (settings, audit) runs on the caller's thread in `prepare` and `finish`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..backup import container, engine, files
from ..backup.container import MasterKey
from ..backup.engine import Cancel, Opened, Outcome, Progress, Restored, Source
from ..backup.errors import BackupError, WrongPassword
from ..domain.accounts import MAX_PASSWORD, MIN_PASSWORD
from ..domain.errors import FulianError, RuleError, StorageError, ValidationError
from ..paths import user_data_dir
from ..store import accounts as account_store
from ..store import audit as audit_store
from ..store import keys as key_store
from ..store import settings as settings_store
from ..store.connection import DatabaseError, open_database, set_journal_mode
from . import audit, start_page
from .context import Context, system_clock
from .locations import check_live_location, location_kind  # noqa: F401 (the backup windows ask these here)

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

KEY_SETTING = "backup_key"
KEEP_SETTING = "backup_keep"
WARN_SETTING = start_page.BACKUP_WARN_KEY  # the start page warns when the last backup is this many days old
LAST_AT, LAST_PLACE, LAST_FILE = start_page.LAST_BACKUP_KEY, "last_backup_place", "last_backup_file"
DEFAULT_WARN_DAYS = start_page.BACKUP_WARN_DAYS
Clock = Callable[[], dt.datetime]
NO_PASSWORD = "还没有设置备份密码。请管理员在“设置 → 备份密码与设置”中设置一次备份密码，然后再备份。"


@dataclass
class Status:
    has_password: bool
    last_at: dt.datetime | None
    last_place: str
    last_file: str
    keep: int
    warn_days: int


def _setting(ctx: Context, key: str) -> str:
    return settings_store.get(ctx.db, key) or ""


def _int_setting(ctx: Context, key: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(_setting(ctx, key) or default), low), high)
    except ValueError:
        return default


def _master(ctx: Context) -> MasterKey | None:
    text = _setting(ctx, KEY_SETTING)
    if not text:
        return None
    try:
        return container.master_from_json(json.loads(text))
    except (ValueError, KeyError, TypeError, FulianError):
        log.error("the stored backup key cannot be read")
        return None


def status(ctx: Context) -> Status:
    ctx.require("backup.run")
    last = None
    try:
        last = dt.datetime.fromisoformat(_setting(ctx, LAST_AT)) if _setting(ctx, LAST_AT) else None
    except ValueError:
        pass
    return Status(_master(ctx) is not None, last, _setting(ctx, LAST_PLACE), _setting(ctx, LAST_FILE),
                  _int_setting(ctx, KEEP_SETTING, files.DEFAULT_KEEP, 1, 100),
                  _int_setting(ctx, WARN_SETTING, DEFAULT_WARN_DAYS, 1, 365))


# --- the office's backup password and settings --------------------------------------------------------


def set_password(ctx: Context, new: str, again: str, old: str = "") -> None:
    """Set the backup password (the first time), or change it (the old one must be given). Backups made
    before a change still open with the password they were made with."""
    ctx.require("settings.write")
    errors: dict[str, str] = {}
    current = _master(ctx)
    if current is not None and not container.same_password(current, old):
        errors["old_password"] = "原来的备份密码不对"
    if len(new) < MIN_PASSWORD:
        errors["new_password"] = f"备份密码至少{MIN_PASSWORD}位；建议用一句好记的话，不要与登录密码相同"
    elif len(new) > MAX_PASSWORD:
        errors["new_password"] = f"备份密码不能超过{MAX_PASSWORD}位"
    elif new != again:
        errors["new_password2"] = "两次输入的备份密码不一样"
    if errors:
        raise ValidationError(errors)
    kdf = key_store.DEFAULT_KDF
    master = container.new_password_key(new, kdf.time_cost, kdf.memory_cost, kdf.parallelism)
    with ctx.action() as db:
        settings_store.put(db, KEY_SETTING, json.dumps(container.master_to_json(master), sort_keys=True))


def check_password(ctx: Context, password: str) -> bool:
    """Is this the office's backup password?"""
    ctx.require("backup.run")
    m = _master(ctx)
    return m is not None and container.same_password(m, password)


def set_options(ctx: Context, keep: int, warn_days: int) -> None:
    """How many backups to keep on each stick, and after how many days the start page asks for one."""
    ctx.require("settings.write")
    errors: dict[str, str] = {}
    if not isinstance(keep, int) or not 1 <= keep <= 100:
        errors["keep"] = "请填写1到100之间的份数"
    if not isinstance(warn_days, int) or not 1 <= warn_days <= 365:
        errors["warn_days"] = "请填写1到365之间的天数"
    if errors:
        raise ValidationError(errors)
    with ctx.action() as db:
        settings_store.put(db, KEEP_SETTING, str(keep))
        settings_store.put(db, WARN_SETTING, str(warn_days))


# --- backing up ----------------------------------------------------------------------------------------


@dataclass
class Job:
    """One backup to make, with everything it needs; `run` may be called from another thread."""

    source: Source
    folder: Path
    master: MasterKey = field(repr=False)
    office: str
    at: dt.datetime
    keep: int
    kind: str = "office"

    def run(self, progress: Progress | None = None, cancel: Cancel | None = None) -> Outcome:
        with engine.one_at_a_time():
            if self.kind == "local":
                return engine.local_snapshot(self.source, self.folder, self.at, self.keep, progress, cancel)
            return engine.backup_to(self.source, self.folder, self.master, self.office, self.at, keep=self.keep,
                                    progress=progress, cancel=cancel)


def _source(ctx: Context) -> Source:
    if ctx.path is None or ctx.session is None:
        raise RuleError("只有登录后打开的数据库文件才能备份。")
    return Source(ctx.path, ctx.session.key)


def prepare(ctx: Context, folder: Path) -> Job:
    """Check that a backup can be made to `folder` now and gather what it needs."""
    ctx.require("backup.run")
    if not isinstance(folder, Path):
        raise ValidationError({"folder": "请选择备份到哪里"})
    master = _master(ctx)
    if master is None:
        raise RuleError(NO_PASSWORD)
    source = _source(ctx)
    _refuse_unsound(source.db_path)
    try:
        if folder.resolve() == source.db_path.parent.resolve():
            raise ValidationError({"folder": "不能备份到数据库所在的文件夹，请选择U盘"})
    except OSError:
        pass
    office = " ".join((settings_store.get(ctx.db, "office_name") or "").split()) or "县妇联"
    return Job(source, folder, master, office, ctx.now(), status(ctx).keep)


def finish(ctx: Context, outcome: Outcome) -> None:
    """A backup was made and verified: remember when and where, and say so in the audit trail."""
    ctx.require("backup.run")
    if not isinstance(outcome, Outcome):
        raise TypeError("outcome")

    def remember() -> None:
        with ctx.action() as db:
            settings_store.put(db, LAST_AT, str(outcome.header["created_at"]))
            settings_store.put(db, LAST_PLACE, str(outcome.path.parent))
            settings_store.put(db, LAST_FILE, outcome.path.name)

    _retrying(remember)
    _retrying(lambda: audit.backed_up(ctx, str(outcome.path)))
    audit.anchor(ctx)  # the backup's header holds the trail's end; so does the key file now


def _retrying(write: Callable[[], None], tries: int = 6) -> None:
    """A short write tried again when another connection wrote at the same moment (a case saved in the
    window while a scheduled backup finishes): the backup itself is good, only remembering it waits."""
    for attempt in range(tries):
        try:
            write()
            return
        except StorageError as e:
            if "另一个程序" not in e.message or attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def failed(ctx: Context, folder: Path, error: BaseException) -> None:
    """A backup did not complete (the device failed, the user cancelled): in the audit trail."""
    ctx.require("backup.run")
    try:
        audit.backed_up(ctx, f"{folder}（{audit.failure_word(error)}）", ok=False)
    except FulianError:
        pass


def make_backup(ctx: Context, folder: Path, password: str | None = None, progress: Progress | None = None,
                cancel: Cancel | None = None) -> Outcome:
    """Prepare, run and finish in one go (the command line; tests). With `password`, it must be the
    office's backup password."""
    ctx.require("backup.run")
    job = prepare(ctx, folder)
    if password is not None and not container.same_password(job.master, password):
        raise WrongPassword("备份密码不对。请输入本单位设置的备份密码。")
    try:
        outcome = job.run(progress, cancel)
    except BaseException as e:
        failed(ctx, folder, e)
        raise
    finish(ctx, outcome)
    return outcome


# --- the daily local snapshot ---------------------------------------------------------------------------


def local_folder(db_path: Path) -> Path:
    return engine.local_folder(user_data_dir(), db_path)


def daily_snapshot(ctx: Context) -> Job | None:
    """At every start (any signed-in account): remove what a killed backup left; on the first start of a day,
    a job making today's local snapshot (None when there already is one). The snapshot is the program's own;
    nothing is asked of the user."""
    ctx.require("account.self")
    if ctx.path is None or ctx.session is None:
        return None
    engine.remove_leftovers(ctx.path.parent)  # what a backup killed half-way left beside the database
    folder = local_folder(ctx.path)
    now = ctx.now()
    if engine.has_snapshot_on(folder, now.date()) or files.check_failed(folder):
        return None  # a database that failed its full check is not snapshotted over the good snapshots
    source = _source(ctx)
    return Job(source, folder, container.database_master(source.db_key), engine.LOCAL_NAME, now, engine.LOCAL_KEEP,
               kind="local")


@dataclass
class LiveCheckJob:
    """The live database's full integrity check, moved out of each backup: weekly, at idle, in a thread of its
    own (`run` may be called from another thread; `cancel` stops it at once)."""

    source: Source = field(repr=False)
    folder: Path
    at: dt.datetime

    def run(self, cancel: Cancel | None = None) -> bool:
        return engine.check_live(self.source, self.folder, self.at, cancel)


def weekly_check(ctx: Context) -> LiveCheckJob | None:
    """At every start (any signed-in account): the live database's full integrity check when the last one
    passed a week ago or more, or failed (then at each start, until it passes); None when none is due."""
    ctx.require("account.self")
    if ctx.path is None or ctx.session is None:
        return None
    folder = local_folder(ctx.path)
    now = ctx.now()
    if not engine.live_check_due(folder, now):
        return None
    return LiveCheckJob(_source(ctx), folder, now)


def _refuse_unsound(db_path: Path) -> None:
    """No backup of a database whose last full check failed: it would push good backups off the stick."""
    if files.check_failed(local_folder(db_path)):
        raise BackupError(engine.UNSOUND)


def local_snapshots(ctx: Context) -> list[files.BackupFile]:
    """This database's automatic local snapshots, newest first."""
    ctx.require("backup.restore")
    if ctx.path is None:
        return []
    return files.backups_in(local_folder(ctx.path), engine.LOCAL_NAME)


# --- checking and restoring -----------------------------------------------------------------------------


def verify(file: Path, password: str, progress: Progress | None = None, cancel: Cancel | None = None,
           work_near: Path | None = None) -> dict[str, object]:
    """Check a backup file completely (the command line's `verify`: no account needed, only the backup
    password); returns what it holds."""
    import tempfile

    near = work_near or Path(tempfile.gettempdir())
    opened = engine.open_backup(file, near, password=password, progress=progress, cancel=cancel)
    opened.discard()
    return opened.header


@dataclass
class RestoreJob:
    """Checking one backup file and staging it next to the database; `run` may be called from another thread."""

    file: Path
    work_near: Path
    password: str | None = field(default=None, repr=False)
    db_key: bytes | None = field(default=None, repr=False)  # opens this database's automatic local snapshots

    def run(self, progress: Progress | None = None, cancel: Cancel | None = None) -> Opened:
        with engine.one_at_a_time():
            return engine.open_backup(self.file, self.work_near, password=self.password, db_key=self.db_key,
                                      progress=progress, cancel=cancel)


def restore_job(ctx: Context, file: Path, password: str | None = None) -> RestoreJob:
    """Check that this account may restore, and gather what checking `file` needs."""
    ctx.require("backup.restore")
    if not isinstance(file, Path):
        raise ValidationError({"file": "请选择备份文件"})
    source = _source(ctx)
    return RestoreJob(file, source.db_path.parent, password, source.db_key)


def restore_failed(ctx: Context, file: Path, error: BaseException) -> None:
    """A backup could not be opened or restored (wrong password, damaged, too new, cancelled): in the trail."""
    ctx.require("backup.restore")
    try:
        audit.restored(ctx, f"{file}（{audit.failure_word(error)}）", ok=False)
    except FulianError:
        pass


def open_for_restore(ctx: Context, file: Path, password: str | None = None, progress: Progress | None = None,
                     cancel: Cancel | None = None) -> Opened:
    """Check a backup completely and stage it next to the database, for the preview; nothing is replaced.
    Automatic local snapshots of this database open without a password."""
    job = restore_job(ctx, file, password)
    try:
        opened = job.run(progress, cancel)
    except BaseException as e:
        restore_failed(ctx, file, e)
        raise
    backup_opened(ctx, file)
    return opened


def backup_opened(ctx: Context, file: Path) -> None:
    """A backup was opened and checked for restoring: in the trail, restored or not."""
    ctx.require("backup.restore")
    try:
        audit.opened_backup(ctx, str(file))
    except FulianError:
        pass


def note_verified(db_path: Path, file: Path, ok: bool, clock: Clock = system_clock) -> None:
    """The command line's `verify` opened a backup with its password only (no account signed in): the check
    waits in the database's key file and goes into the audit trail at the next sign-in, like a failed one."""
    keyfile = key_store.keyfile_path(db_path)
    if not keyfile.is_file():
        return
    with key_store.exclusive(keyfile):
        kf = key_store.KeyFile.load(keyfile)
        if kf is None:
            return
        kf.data["pending"].append({"at": clock().isoformat(timespec="seconds"), "nid": "", "event": "backup.verify",
                                   "result": "ok" if ok else "failed", "target": str(file)})
        kf.save()


def restore(ctx: Context, opened: Opened, via: str = "gui") -> Restored:
    """Replace the open database with a checked backup: the current database and its key file are set
    aside, the backup takes their place. The context is closed: the program must sign in again (with the
    accounts and passwords as they were when the backup was made)."""
    ctx.require("backup.restore")
    if not isinstance(opened, Opened):
        raise TypeError("opened")
    db_path = _source(ctx).db_path
    with engine.one_at_a_time():
        try:
            # only we may have it open: leaving WAL mode needs the database to ourselves (and leaves the copy
            # set aside as one self-contained file)
            ctx.db.execute("PRAGMA busy_timeout = 500")
            ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if set_journal_mode(ctx.db, "DELETE") != "delete":
                raise DatabaseError("database is locked")
        except DatabaseError as e:
            ctx.db.execute("PRAGMA busy_timeout = 10000")
            raise BackupError("数据库正被另一个程序使用（是否在另一个窗口或计划任务中打开着？），现在不能恢复。"
                              "请关闭其他程序后再试。") from e
        audit.restored(ctx, str(opened.file))
        user = ctx.user.username if ctx.user is not None else ""
        now = ctx.now()
        known = _last_backup_of(ctx.db)
        ctx.close()
        ctx.user, ctx.roles = None, frozenset()  # this context is done: nothing more through it
        done = engine.restore_files(opened, db_path, now)
    _note_restore(done.db_path, opened, now, user, via, known)
    return done


def restore_without_account(opened: Opened, db_path: Path, clock: Clock = system_clock,
                            via: str = "first_start") -> Restored:
    """First start on a new PC (no accounts here yet), or the command line over a database that cannot be
    opened: the backup password was the only key asked for (the caller decides that this is such a case).
    Anything already at `db_path` is set aside."""
    if not isinstance(opened, Opened):
        raise TypeError("opened")
    now = clock()
    with engine.one_at_a_time():
        done = engine.restore_files(opened, db_path, now)
    _note_restore(done.db_path, opened, now, "", via)
    return done


def open_without_account(file: Path, db_path: Path, password: str, progress: Progress | None = None,
                         cancel: Cancel | None = None) -> Opened:
    """Check a backup and stage it next to `db_path` when nobody is signed in (first start, command line)."""
    return RestoreJob(file, db_path.parent, password).run(progress, cancel)


@dataclass(frozen=True)
class _LastBackup:
    """What a database remembers of the last backup to a stick: when (ISO text, as `finish` writes it), where."""

    at: str
    place: str = ""
    file: str = ""

    def when(self) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(self.at)
        except ValueError:
            return dt.datetime.min


def _last_backup_of(db: sqlite_utils.Database) -> _LastBackup:
    return _LastBackup(*((settings_store.get(db, key) or "") for key in (LAST_AT, LAST_PLACE, LAST_FILE)))


def _newest_backup(restored: _LastBackup, opened: Opened, known: _LastBackup | None) -> _LastBackup:
    """The newest knowledge of the office's backups after a restore: the restored database remembers only the
    backups made before the one restored; the backup restored is one itself (unless it is an automatic local
    snapshot), and the database it replaced may know of later ones."""
    candidates = [restored]
    if known is not None:
        candidates.append(known)
    created = opened.created_at
    if created is not None and not opened.is_local:
        candidates.append(_LastBackup(created.isoformat(timespec="seconds"), str(opened.file.parent),
                                      opened.file.name))
    return max(candidates, key=_LastBackup.when)


def _note_restore(db_path: Path, opened: Opened, at: dt.datetime, username: str, via: str,
                  known: _LastBackup | None = None) -> None:
    """The restored database's own audit trail says that it was restored, from which file, by whom; and it
    keeps the newest record of the last backup to a stick (the start page's 上次备份到U盘), not the older one
    the backup holds."""
    try:
        db = open_database(db_path, key=opened.db_key)
    except (FulianError, DatabaseError):
        log.error("the restored database could not be opened to record the restore")
        return
    try:
        account = account_store.by_username(db, username) if username else None
        actor = audit_store.Actor(account.id if account else None, account.username if account else username)
        with db.atomic():
            audit_store.append(db, at, actor, "restore", operation="backup.restore", target=opened.file.name,
                               detail={"via": via, "from": str(opened.header.get("created_at", ""))})
            restored = _last_backup_of(db)
            newest = _newest_backup(restored, opened, known)
            if newest != restored:
                for key, value in ((LAST_AT, newest.at), (LAST_PLACE, newest.place), (LAST_FILE, newest.file)):
                    settings_store.put(db, key, value)
                audit_store.flush(db, at, actor, "backup.restore")
    except DatabaseError:
        log.error("the restore could not be recorded in the restored database")
    finally:
        db.close()


# --- where the live database may be ---------------------------------------------------------------------


