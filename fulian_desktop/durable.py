"""Writes that survive a power cut: the contents of a file, and a rename or a new file in a folder, made to
reach the device before we say a thing is saved. No Qt and no SQLite here: the key file, the database's
copy set aside before a migration and the backups all use it.

On Windows a file another program has open (antivirus scanning a new file, a sync tool, a second copy of this
program) cannot be renamed for a moment: `replace` tries again for a few seconds before it gives up."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from . import windows

RETRY_SECONDS = 3.0  # how long a rename waits for another program to let go of the file
_sleep: Callable[[float], None] = time.sleep  # tests replace it to count the waits


def replace(src: Path | str, dst: Path | str) -> None:
    """Rename `src` to `dst`, replacing `dst`. On Windows the move is written through to the device
    (MoveFileExW) and retried with a short back-off while another program holds a file (WinError 5/32/33);
    the last error is raised when it is still held after RETRY_SECONDS."""
    waited, pause = 0.0, 0.05
    while True:
        try:
            if windows.active():
                windows.move_file(src, dst)
            else:
                os.replace(src, dst)
            return
        except OSError as e:
            if not windows.is_held(e) or waited >= RETRY_SECONDS:
                raise
            _sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.8, RETRY_SECONDS - waited + 0.01)


def fsync_file(path: Path) -> None:
    """Make what was written to the file at `path` reach the device. Windows flushes only a handle opened
    for writing (FlushFileBuffers needs GENERIC_WRITE), so there the file is opened read-write."""
    mode = os.O_RDWR if windows.active() else os.O_RDONLY
    fd = os.open(path, mode | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` reach the device (a no-op on Windows, where directories
    cannot be opened this way; `replace` writes the rename through there)."""
    if windows.active():
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
