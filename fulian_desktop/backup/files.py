"""Backup files on a stick or in a folder: their names, writing them safely, keeping the last N, and what to
tell the user when the device fails."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import locks, windows

EXTENSION = ".fulian-backup"
UNFINISHED = ".未完成.tmp"  # a backup being written: never taken for a good one, removed when done or failed
FOLDER = "妇联维权工作台备份"  # the folder made on a stick
DEFAULT_KEEP = 10
STAMP = "%Y-%m-%d_%H%M%S"

_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_NAME = re.compile(r"^(?P<office>.*)_(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?:_(?P<n>\d+))?" + re.escape(EXTENSION) + "$")


def safe_part(text: str, fallback: str = "妇联") -> str:
    """Text usable in a file name on Windows (and FAT sticks): no \\ / : * ? " < > |, no control characters,
    no trailing dots or spaces, not a reserved device name, at most 40 characters."""
    s = _BAD.sub("_", " ".join(text.split())).strip(" ._")
    s = s[:40].rstrip(". ")
    if not s or s.upper() in _RESERVED or s.split(".")[0].upper() in _RESERVED:
        return fallback
    return s


def backup_name(office: str, at: dt.datetime) -> str:
    return f"{safe_part(office)}_{at.strftime(STAMP)}{EXTENSION}"


def free_name(folder: Path, name: str) -> Path:
    target = folder / name
    n = 1
    while target.exists() or unfinished(target).exists():
        n += 1
        target = folder / name.replace(EXTENSION, f"_{n}{EXTENSION}")
    return target


def unfinished(target: Path) -> Path:
    return target.with_name(target.name[: -len(EXTENSION)] + UNFINISHED if target.name.endswith(EXTENSION)
                            else target.name + UNFINISHED)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    office: str
    at: dt.datetime
    size: int


def parse_name(path: Path) -> BackupFile | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        at = dt.datetime.strptime(m["stamp"], STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupFile(path, m["office"], at, size)


def backups_in(folder: Path, office: str | None = None) -> list[BackupFile]:
    """Backup files in `folder` (of this office, when given), newest first."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [b for b in (parse_name(p) for p in entries if p.name.endswith(EXTENSION)) if b is not None]
    if office is not None:
        found = [b for b in found if b.office == safe_part(office)]
    return sorted(found, key=lambda b: (b.at, b.path.name), reverse=True)


def prune(folder: Path, office: str, keep: int, protect: Path) -> list[Path]:
    """Delete this office's backups in `folder` beyond the newest `keep` (never `protect`, the one just made),
    and unfinished files left by an earlier attempt. Returns what was deleted; a file that cannot be deleted
    is left."""
    removed: list[Path] = []
    keep = max(1, keep)
    mine = [b for b in backups_in(folder, office) if b.path != protect]
    for b in mine[keep - 1:]:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass
    remove_unfinished(folder)
    return removed


def remove_unfinished(folder: Path) -> None:
    """Delete the unfinished files an earlier, stopped backup left in `folder` (one another running program is
    still writing is locked, and left alone)."""
    try:
        leftovers = [p for p in folder.iterdir() if p.name.endswith(UNFINISHED)]
    except OSError:
        leftovers = []
    for p in leftovers:
        try:
            if not locks.in_use(p):
                p.unlink()
        except OSError:
            pass


def open_from_device(path: Path) -> BinaryIO:
    """Open a file just written for reading back what the device holds, not the system's cache of it: on Windows
    unbuffered (FILE_FLAG_NO_BUFFERING), elsewhere with the cached pages dropped first."""
    if windows.active():
        return windows.open_unbuffered(path)
    f = open(path, "rb")  # noqa: SIM115 - the caller closes it
    drop_cache(f)
    return f


def drop_cache(f: object) -> None:
    """Ask the OS to forget the cached pages of an open file, so that reading it back reads the device."""
    advise = getattr(os, "posix_fadvise", None)
    fileno = getattr(f, "fileno", None)
    if advise is None or fileno is None:
        return
    try:
        advise(fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        pass


def device_message(e: OSError, where: str = "U盘") -> str:
    """Why writing or reading the stick failed, in plain Chinese."""
    code = e.errno or 0
    win = getattr(e, "winerror", None) or 0  # first: CPython reads Windows' codes 19 to 36 all as EACCES
    if win in (windows.ERROR_SHARING_VIOLATION, windows.ERROR_LOCK_VIOLATION):
        return ("文件被其他程序占用（可能是杀毒软件、同步网盘或另一个打开的妇联维权工作台）。"
                "请稍等片刻再试；如果一直这样，请关闭这些程序后再试。")
    if win == windows.ERROR_WRITE_PROTECT:
        return f"{where}是只读的（可能打开了写保护开关），无法写入。"
    if win == windows.ERROR_NOT_READY:
        return f"{where}没有准备好（设备未就绪），可能已被拔出。请重新插好{where}后再试一次。"
    if win in (windows.ERROR_GEN_FAILURE, 23, 25, 27, 29, 30, 55, 1117, 1167):  # 一般性故障, CRC, seek, sector, write/read fault
        return f"{where}读写出错，可能已被拔出或接触不良。请重新插好{where}后再试一次。"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or getattr(e, "winerror", 0) in (39, 112):
        return f"{where}空间不够了。请删掉{where}上不需要的文件，或换一个空间大一些的{where}。"
    if code == errno.EFBIG:
        return (f"备份文件太大，{where}的格式（FAT32）存不下超过4GB的文件。请把{where}格式化为exFAT或NTFS，"
                f"或换一个{where}。")
    if code in (errno.EROFS,):
        return f"{where}是只读的（可能打开了写保护开关），无法写入。"
    if code in (errno.EACCES, errno.EPERM):
        return f"没有权限写入这个位置。请换一个文件夹，或检查{where}是否写保护。"
    if code in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT, errno.ESTALE if hasattr(errno, "ESTALE") else -1) \
            or getattr(e, "winerror", 0) in (21, 31, 55, 1117, 1167):
        return f"{where}读写出错，可能已被拔出或接触不良。请重新插好{where}后再试一次。"
    return f"{where}读写出错（系统错误{code}）。请重新插好{where}后再试一次，或换一个{where}。"


def needed_bytes(db_size: int, keyfile_size: int, chunk: int) -> int:
    """About how large the backup file of a database this size will be."""
    plain = db_size + keyfile_size + 64 * 1024
    return plain + (plain // chunk + 2) * 16 + 4096


# --- where this database's local snapshots go, and the note of its weekly check ------------------------------

LIVE_CHECK_NOTE = "integrity.json"  # in the local snapshots' folder: when the live database was last fully checked


def local_folder(data_dir: Path, db_path: Path) -> Path:
    """Where the automatic snapshots of this database go: one folder per database in the user's data folder."""
    try:
        ident = str(db_path.resolve())
    except OSError:
        ident = str(db_path.absolute())
    return data_dir / "auto-backups" / hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


def read_check_note(folder: Path) -> tuple[dt.datetime, bool] | None:
    """When the live database was last fully checked and whether it passed (None: never, or the note is unreadable)."""
    try:
        data = json.loads((folder / LIVE_CHECK_NOTE).read_text("utf-8"))
        return dt.datetime.fromisoformat(str(data["at"])), bool(data["ok"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_failed(folder: Path) -> bool:
    """Did the live database fail its last full check? (No backup then, and the start page says so.)"""
    note = read_check_note(folder)
    return note is not None and not note[1]
