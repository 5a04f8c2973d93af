"""The fields an imported record lacks (待补全): what the office's old register never recorded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def add(db: sqlite_utils.Database, case_id: int, fields: Iterable[tuple[str, str]]) -> None:
    """Mark the record 待补全 for each (field key, label)."""
    for key, label in fields:
        db.execute("INSERT OR IGNORE INTO import_gaps (case_id, field, label) VALUES (?, ?, ?)", [case_id, key, label])


def add_rows(db: sqlite_utils.Database, rows: Iterable[tuple[int, str, str]]) -> None:
    """`add` for many records at once: (case id, field key, label)."""
    db.conn.executemany("INSERT OR IGNORE INTO import_gaps (case_id, field, label) VALUES (?, ?, ?)", list(rows))


def labels(db: sqlite_utils.Database, case_id: int) -> list[str]:
    return [str(r[0]) for r in db.execute(
        "SELECT label FROM import_gaps WHERE case_id = ? ORDER BY rowid", [case_id])]


def filled(db: sqlite_utils.Database, case_id: int, keys: Iterable[str]) -> None:
    """A correction gave these fields (by field key or label, as the correction names them): no longer 待补全."""
    names = sorted(set(keys))
    if not names:
        return
    marks = ",".join("?" * len(names))
    db.execute(f"DELETE FROM import_gaps WHERE case_id = ? AND (field IN ({marks}) OR label IN ({marks}))",
               [case_id, *names, *names])


def incomplete(db: sqlite_utils.Database, limit: int = 500) -> list[tuple[int, str, str, str, str]]:
    """The records still 待补全, newest first: (case id, case number, kind, names, the missing fields joined)."""
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3] or ""), str(r[4])) for r in db.execute(
        """SELECT c.id, c.case_no, c.kind, c.names,
                  (SELECT group_concat(label, '、') FROM (SELECT label FROM import_gaps WHERE case_id = c.id
                                                         ORDER BY rowid))
           FROM cases c WHERE c.id IN (SELECT case_id FROM import_gaps)
           ORDER BY c.received_on DESC, c.id DESC LIMIT ?""", [limit])]


def count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(DISTINCT case_id) FROM import_gaps").fetchone()[0])


def fields(db: sqlite_utils.Database, case_id: int) -> set[str]:
    return {str(r[0]) for r in db.execute("SELECT field FROM import_gaps WHERE case_id = ?", [case_id])}
