"""What the search indexes hold for each case, for comparing two databases (or one case before and after):
the indexes keep no copy of the text (migration 0031), so their terms are read back through fts5vocab — each term
of a case's entry with its place (the pairs index keeps no places: its terms only)."""

from __future__ import annotations

from typing import Any


def entries(db: Any, table: str, case_id: int | None = None) -> list[tuple[Any, ...]]:
    """(case id, term, place) of every term in `table`'s entries (of one case when given), in order."""
    conn = getattr(db, "conn", db)
    vocab = f"temp.{table}_terms"
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {table}, instance)")
    where, args = ("WHERE doc = ?", [case_id]) if case_id is not None else ("", [])
    return [tuple(r) for r in conn.execute(
        f"SELECT doc, term, offset FROM {vocab} {where} ORDER BY doc, offset, term", args).fetchall()]
