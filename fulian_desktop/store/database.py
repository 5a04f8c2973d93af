"""The database object every store function is given: `execute` and `atomic` as sqlite-utils has them, made
here, so that opening the database does not import sqlite-utils (with click, pluggy, dateutil's parser and
time zones: ≈ 60–80 ms of CPU at every start and every command, issue 22). The rest of sqlite-utils' API
(`table(...).insert/update`, `db[...]`, …) is the real one, imported the first time something asks for it.

For the type checker this *is* a `sqlite_utils.Database` (every store function is annotated so); at run time
what it does not make itself is handed to a `sqlite_utils.Database` on the same connection, so a transaction
begun by either is the other's too.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils
    from sqlcipher3 import dbapi2

    _Base = sqlite_utils.Database
else:
    _Base = object

# the statements that open or close a transaction themselves (sqlite-utils' list): execute() never commits after them
_TRANSACTION_CONTROL = frozenset({"SAVEPOINT", "COMMIT", "END", "ROLLBACK", "BEGIN", "RELEASE"})
_savepoints = itertools.count(1)
# the statements that may change rows (a WITH may begin any of them)
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"})


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-case, after blanks, `;`, a byte-order mark and comments (as
    sqlite-utils reads it); "" if there is none."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


class Database(_Base):
    """A connection with sqlite-utils' `execute` (a write outside a transaction is committed at once) and
    `atomic` (a transaction; nested, a savepoint); anything else is sqlite-utils' own, loaded when first used."""

    def __init__(self, conn: dbapi2.Connection) -> None:
        self.conn = conn
        self._full: sqlite_utils.Database | None = None
        # called (once: it sets itself back to None) just before this connection first begins to write — an outermost
        # transaction, or a change outside one: the audit trail's capture made then (store/audit.py defer_capture)
        self.before_write: Callable[[], None] | None = None
        self.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database(conn) sets it

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> dbapi2.Cursor:
        conn = self.conn
        was_in_transaction = conn.in_transaction
        if self.before_write is not None and not was_in_transaction and first_keyword(sql) in _WRITES:
            self.before_write()
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction would capture every later write
            raise
        if (not was_in_transaction and conn.in_transaction and cursor.description is None
                and first_keyword(sql) not in _TRANSACTION_CONTROL):
            conn.execute("COMMIT")
        return cursor

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"fulian_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # (a RAISE(ROLLBACK) may have ended the whole transaction)
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        if self.before_write is not None:
            self.before_write()
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    def sqlite_utils(self) -> sqlite_utils.Database:
        """sqlite-utils' Database on this connection (imported now if it was not yet)."""
        if self._full is None:
            import sqlite_utils  # (pointed at SQLCipher as store/connection.py loaded: fulian_desktop.use_sqlcipher)

            if self.before_write is not None and not self.conn.in_transaction:
                self.before_write()  # its writes (table().insert, …) begin their transactions without atomic()

            self._full = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._full

    def __getattr__(self, name: str) -> Any:  # only for what is not made here: table(), query(), …
        if name.startswith("__") or name in ("conn", "_full"):
            raise AttributeError(name)
        return getattr(self.sqlite_utils(), name)

    def __getitem__(self, table: str) -> Any:
        return self.sqlite_utils()[table]
