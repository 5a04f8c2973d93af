"""What every service call gets: the database, the clock, the staff member at the keyboard.

A signed-in context (services/accounts.py: sign_in, first_start) carries the account, its roles and
the session's database key; every service call checks `ctx.require(permission)` against the roles.
A context opened with `open_context` has no account (roles None: every action allowed) and an
unencrypted database: for tests and tools only, never for the window or the command line.

Every user action runs in `ctx.action()`: one transaction, and at its end the changes it made are
written into the audit trail (store/audit.py) in the same transaction, named after the service call.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import permissions
from ..domain.accounts import Account
from ..domain.errors import FulianError
from ..store import audit as audit_store
from ..store.connection import DatabaseError, open_database, storage_error, write_transaction

if TYPE_CHECKING:
    import sqlite_utils

DENIAL_REPEAT = dt.timedelta(minutes=10)


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Session:
    """What a signed-in session holds besides the database: the database key (to wrap a copy of it for
    a new password) and where the key file is."""

    key: bytes = field(repr=False)
    keyfile: Path


def _caller_operation(skip: int = 1) -> str:
    """The service call that started an action, e.g. "petitions.accept" (private helpers are followed
    out to the public function that called them)."""
    f = sys._getframe(skip)
    while f is not None and f.f_globals.get("__name__") in ("contextlib", __name__):
        f = f.f_back  # type: ignore[assignment]
    if f is None:
        return ""
    module = str(f.f_globals.get("__name__", ""))
    while f.f_code.co_name.startswith("_") and f.f_back is not None and f.f_back.f_globals.get("__name__") == module:
        f = f.f_back
    return f"{module.rsplit('.', 1)[-1]}.{f.f_code.co_name}"


@dataclass
class Context:
    db: sqlite_utils.Database
    clock: Callable[[], dt.datetime] = system_clock
    staff: str = ""
    path: Path | None = None
    # The signed-in account's roles; None only for contexts without accounts (tests, tools): then every
    # action is allowed. With accounts, every service call is checked against domain.permissions.
    roles: frozenset[str] | None = None
    user: Account | None = None
    session: Session | None = field(default=None, repr=False)
    _depth: int = field(default=0, init=False, repr=False)
    _denied: dict[tuple[str, str], dt.datetime] = field(default_factory=dict, init=False, repr=False)
    closed: bool = field(default=False, init=False, repr=False)  # after close(): its database is closed

    def may(self, permission: str) -> bool:
        return self.roles is None or permissions.allowed(self.roles, permission)

    def require(self, permission: str) -> None:
        """Raise PermissionDenied unless the signed-in user's roles allow `permission` (and say so in
        the audit trail)."""
        if self.may(permission):
            return
        operation = _caller_operation(2)
        now = self.now()
        last = self._denied.get((permission, operation))
        if last is None or now - last > DENIAL_REPEAT:  # a screen asking again and again: once in a while
            self._denied[(permission, operation)] = now
            try:
                self.record("denied", target=permission, result="denied", operation=operation)
            except FulianError:
                pass
        raise permissions.PermissionDenied("您的账号没有权限进行这项操作，请联系主任或管理员。")

    @property
    def actor(self) -> audit_store.Actor:
        if self.user is None:
            return audit_store.Actor(None, "")
        return audit_store.Actor(self.user.id, self.user.username)

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    def who(self, fallback: str = "") -> str:
        return self.staff or fallback or "未署名"

    @contextmanager
    def action(self, event: str = "", detail: dict[str, Any] | None = None) -> Iterator[sqlite_utils.Database]:
        """One user action = one transaction, its changes recorded in the audit trail before it commits;
        SQLite's machine-side failures become StorageError.

        `event` names the entry of a case the action changed (instead of case.update / case.status, e.g.
        "case.correct", "case.undo"); `detail` is added to every entry the action makes (e.g. the reason
        for a correction: {"reason": "登记错误"}). An inner action's event and detail are ignored."""
        outermost = self._depth == 0
        operation = _caller_operation(2) if outermost else ""
        self._depth += 1
        try:
            with write_transaction(self.db):
                yield self.db
                if outermost:
                    audit_store.flush(self.db, self.now(), self.actor, operation, event=event, extra=detail)
        except DatabaseError as e:
            raise storage_error(e) from e
        finally:
            self._depth -= 1

    def record(
        self, event: str, *, case_id: int | None = None, target: str = "", detail: dict[str, Any] | None = None,
        result: str = "ok", operation: str = "",
    ) -> None:
        """Write one entry into the audit trail for something that changes no data (a view, a print,
        an export, a sign-in, a refusal)."""
        op = operation or _caller_operation(2)
        try:
            with write_transaction(self.db, trail_only=True):
                audit_store.append(self.db, self.now(), self.actor, event, operation=op, case_id=case_id,
                                   target=target, detail=detail, result=result)
        except DatabaseError as e:
            raise storage_error(e) from e

    def close(self, via: str = "") -> None:
        """The end of the session: recorded as 退出 (`via`: how, e.g. "switch_user" for 切换用户), then the
        database is closed."""
        if self.user is not None:
            try:
                self.record("logout", operation="session.close", detail={"via": via} if via else None)
            except FulianError:
                pass
        self.session = None
        self.closed = True
        self.db.close()


def open_context(
    path: Path | str, clock: Callable[[], dt.datetime] = system_clock, staff: str = ""
) -> Context:
    """A context without an account on an unencrypted database (tests and tools only; an encrypted
    database is refused: sign in through services.accounts)."""
    return Context(db=open_database(path), clock=clock, staff=staff,
                   path=None if str(path) == ":memory:" else Path(path))
