"""Writes that survive a power cut: the contents of a file, and a rename or a new file in a folder, made to
reach the device before we say a thing is saved. No Qt and no SQLite here: the key file, the database's
copy set aside before a migration and the backups all use it."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Make what was written to the file at `path` reach the device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` reach the device (a no-op on Windows, where directories
    cannot be opened this way and NTFS/FAT metadata is written with the file)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
