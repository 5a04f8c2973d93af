"""What can go wrong with a backup, each with a message for the user."""

from __future__ import annotations

from ..domain.errors import FulianError


class BackupError(FulianError):
    """A backup could not be made, checked or restored; nothing that counts was changed."""


class WrongPassword(BackupError):
    """The backup password does not open this file."""


class Damaged(BackupError):
    """The file is truncated, altered or not a backup of this program."""


class TooNew(BackupError):
    """The backup was made by a newer version of the program."""


class NoSpace(BackupError):
    """The stick or disk is full."""


class Cancelled(BackupError):
    def __init__(self, message: str = "已取消，没有留下未完成的文件。") -> None:
        super().__init__(message)
