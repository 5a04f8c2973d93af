"""store/database.py: the database object opening makes without importing sqlite-utils (issue 22) commits and rolls
back exactly as sqlite_utils.Database does — the same scenario run on both gives the same rows — and hands what it
does not make itself (table().insert/update, db[...]) to sqlite-utils on the same connection and transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fulian_desktop.store.database import Database, first_keyword

ROOT = Path(__file__).resolve().parents[1]


def _sqlite_utils(conn: sqlcipher3.Connection) -> Any:
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)


MAKERS: dict[str, Callable[[sqlcipher3.Connection], Any]] = {"ours": Database, "sqlite-utils": _sqlite_utils}


def _scenario(path: Path, make: Callable[[sqlcipher3.Connection], Any]) -> tuple[list[tuple[Any, ...]], list[str]]:
    conn = sqlcipher3.connect(str(path))
    db = make(conn)
    said: list[str] = []
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    db.execute("INSERT INTO t (v) VALUES (?)", ["committed at once"])
    said.append(f"after a write: in transaction {conn.in_transaction}")
    with pytest.raises(sqlcipher3.IntegrityError):
        db.execute("INSERT INTO t (v) VALUES (NULL)")
    said.append(f"after a failed write: in transaction {conn.in_transaction}")
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('outer')")
        with pytest.raises(KeyError), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner, rolled back')")
            raise KeyError("inner")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner, kept')")
        said.append(f"inside: in transaction {conn.in_transaction}")
    with pytest.raises(ValueError), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('all rolled back')")
        raise ValueError
    db.execute("BEGIN")
    db.execute("INSERT INTO t (v) VALUES ('in a transaction begun by hand')")
    said.append(f"a write after BEGIN: in transaction {conn.in_transaction}")
    db.execute("COMMIT")
    with db.atomic():
        db.table("t").insert({"v": "through table()"})
        db.table("t").update(1, {"v": "changed through table()"})
    with pytest.raises(RuntimeError), db.atomic():
        db["t"].insert({"v": "through db[...], rolled back"})
        raise RuntimeError
    said.append(f"rows by table(): {db.table('t').count}")
    db.execute("PRAGMA user_version = 3")
    said.append(f"recursive triggers: {db.execute('PRAGMA recursive_triggers').fetchone()[0]}")
    conn.close()
    other = sqlcipher3.connect(str(path))  # what another connection sees: committed rows only
    rows = other.execute("SELECT id, v FROM t ORDER BY id").fetchall()
    said.append(f"user_version {other.execute('PRAGMA user_version').fetchone()[0]}")
    other.close()
    return rows, said


def test_commits_and_rollbacks_are_sqlite_utils_own(tmp_path: Path) -> None:
    ours = _scenario(tmp_path / "ours.db", MAKERS["ours"])
    theirs = _scenario(tmp_path / "theirs.db", MAKERS["sqlite-utils"])
    assert ours == theirs
    rows, said = ours
    assert [v for _id, v in rows] == ["changed through table()", "outer", "inner, kept",
                                      "in a transaction begun by hand", "through table()"]
    assert "after a write: in transaction False" in said and "after a failed write: in transaction False" in said
    assert "a write after BEGIN: in transaction True" in said and "recursive triggers: 1" in said


@pytest.mark.parametrize("sql, keyword", [
    ("  select 1", "SELECT"), ("\ufeff;;-- a note\n/* more */ begin immediate", "BEGIN"), ("-- only a note", ""),
    ("/* never closed", ""), ("release fulian_1", "RELEASE"), ("", ""),
])
def test_first_keyword_reads_past_blanks_and_comments(sql: str, keyword: str) -> None:
    import sqlite_utils.db

    assert first_keyword(sql) == keyword == sqlite_utils.db._first_keyword(sql)


def test_opening_a_database_and_reading_it_loads_no_sqlite_utils(tmp_path: Path) -> None:
    """What every command and the window pay for: opening a database made before (the migrations' check, the audit
    capture) and reading it. (Making a new one writes its first lists through sqlite-utils.)"""
    from fulian_desktop.store.connection import open_database

    open_database(tmp_path / "a.db").close()
    script = ("import sys; sys.modules['numpy'] = None\n"
              "from fulian_desktop.store.connection import open_database\n"
              f"db = open_database({str(tmp_path / 'a.db')!r})\n"
              "db.execute('SELECT count(*) FROM cases').fetchone()\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'click', 'pluggy')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
