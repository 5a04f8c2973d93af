"""A second connection that only reads, beside the one the window holds, and a read that sees one moment: for work
done on the second core while the clerk waits (the statistics' two periods at once, reports/statistics.compare)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .connection import DatabaseError, connect, storage_error
from .database import Database

if TYPE_CHECKING:
    import sqlite_utils


def open_reader(path: Path | str, key: bytes | None) -> Database:
    """A second connection to a database already open (and migrated) in this process, that only reads: for work
    done beside the first connection on the second core (the statistics' year before, reports/statistics.compare).
    The raw key, no derivation, no migration; SQLite's own page cache of 2 MiB, not the first connection's 8–24 MiB:
    it is closed after the work, so a larger one would keep nothing for later, only hold memory while the two
    connections work at once (a year of a million cases: the second connection's peak 24 MiB lower, the same CPU)."""
    try:
        db = Database(connect(path, key))
    except DatabaseError as e:
        raise storage_error(e) from e
    try:
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA busy_timeout = 10000")
    except DatabaseError as e:
        db.close()
        raise storage_error(e) from e
    return db


@contextmanager
def read_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One read: every statement within sees the database as it was when the first one began, whatever another
    connection commits meanwhile. Inside a transaction already begun, that one. It writes nothing and ends so."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
