"""What every service call gets: the database, the clock, the staff member at the keyboard."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ..domain import permissions
from ..store.connection import open_database, storage_error


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Context:
    db: sqlite_utils.Database
    clock: Callable[[], dt.datetime] = system_clock
    staff: str = ""
    path: Path | None = None
    # The signed-in account's roles. None until staff accounts exist (then every action is allowed);
    # with accounts, every service call is checked against domain.permissions.
    roles: frozenset[str] | None = None

    def require(self, permission: str) -> None:
        """Raise PermissionDenied unless the signed-in user's roles allow `permission`."""
        if self.roles is None:
            return
        if not permissions.allowed(self.roles, permission):
            raise permissions.PermissionDenied("您的账号没有权限进行这项操作，请联系主任或管理员。")

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    def who(self, fallback: str = "") -> str:
        return self.staff or fallback or "未署名"

    @contextmanager
    def action(self) -> Iterator[sqlite_utils.Database]:
        """One user action = one transaction; SQLite's machine-side failures become StorageError."""
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.DatabaseError as e:
            raise storage_error(e) from e

    def close(self) -> None:
        self.db.close()


def open_context(
    path: Path | str, clock: Callable[[], dt.datetime] = system_clock, staff: str = ""
) -> Context:
    return Context(db=open_database(path), clock=clock, staff=staff,
                   path=None if str(path) == ":memory:" else Path(path))
