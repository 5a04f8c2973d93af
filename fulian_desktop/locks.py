"""The operating system's file locks, one way on every system: flock on Linux and macOS, msvcrt.locking
(LockFileEx on one byte far past the data) on Windows. A lock is the system's, so it goes when the process dies: what a
killed program was holding can be told from what a running one is using. No Qt and no SQLite here: the key
file's sign-in counters and the backup's work files use it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 60
# Windows locks byte ranges, and a locked range cannot be read through another handle, even by this process:
# lock one byte far past any data instead of the first, so a locked file can still be read back and written.
WINDOWS_LOCK_OFFSET = 1 << 40  # 1 TiB: past any backup, within what every file system allows
_WINDOWS = os.name == "nt"  # tests patch this to run the Windows branch


class LockTimeout(OSError):
    """Another process kept the lock for longer than we wait."""


def lock(fd: int, wait: bool = True) -> bool:
    """Lock the open file `fd` (exclusive). With `wait`, wait up to WAIT_SECONDS (LockTimeout after);
    without, return False at once when another process holds it."""
    deadline = time.monotonic() + WAIT_SECONDS
    if _WINDOWS:
        import msvcrt

        mode = msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK  # type: ignore[attr-defined]
        while True:  # LK_LOCK itself retries for 10 seconds, then raises
            os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            try:
                msvcrt.locking(fd, mode, 1)  # type: ignore[attr-defined]
                return True
            except OSError:
                if not wait:
                    return False
                if time.monotonic() > deadline:
                    raise LockTimeout("lock not released in time") from None
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    if _WINDOWS:
        import msvcrt

        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock of the file `path` (made if missing) for the block, waiting for another holder."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    try:
        lock(fd)
        try:
            yield
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def try_hold(path: Path) -> int | None:
    """Take the lock of the file `path` (made if missing) and keep it until `release` (or the process ends): the open
    file, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if lock(fd, wait=False):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def release(fd: int) -> None:
    unlock(fd)
    os.close(fd)


def in_use(path: Path) -> bool:
    """Whether a living process holds the lock of `path` (False when nobody does, or the file is gone)."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if lock(fd, wait=False):
            unlock(fd)
            return False
        return True
    finally:
        os.close(fd)
