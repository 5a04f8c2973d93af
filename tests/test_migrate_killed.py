"""A program killed while it upgrades the database (the clerk pulls the plug, Windows ends a program that does not
answer) loses nothing: each migration is one transaction with its version number inside it, so the database stays at
the last migration finished and the next start goes on from there; a copy set aside half written never takes the name
of a whole one. Killed for real: a second process that SIGKILLs itself at the step given (store/migrate.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fulian_desktop.store import migrate
from fulian_desktop.store.connection import open_database

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")


def _migrations(tmp_path: Path) -> Path:
    """The program's migrations, then one of the test's own, of three statements."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for _n, f in migrate.available():
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / f"{migrate.latest_version() + 1:04d}_test_three.sql").write_text(
        "CREATE TABLE test_three (i INTEGER);\n"
        "INSERT INTO test_three SELECT value FROM json_each('[1, 2, 3]');\n"
        "ALTER TABLE settings ADD COLUMN test_note TEXT;\n", encoding="utf-8")
    return folder


def _database(tmp_path: Path, big: bool = False) -> Path:
    """A database at the program's latest version with a setting of the office's (and ≈ 8 MB more when `big`)."""
    path = tmp_path / "office.db"
    db = open_database(path)
    db.execute("INSERT INTO settings (key, value) VALUES ('office', '东山县妇联')")
    if big:
        db.execute("CREATE TABLE ballast (b BLOB)")
        db.execute("INSERT INTO ballast SELECT randomblob(8000) FROM json_each(?)", [str(list(range(1000)))])
    db.conn.commit()
    db.close()
    return path


def _killed_at(path: Path, folder: Path, number: int, part: float) -> int:
    """Open (and upgrade) the database in a process of its own that kills itself once step `number` has gone as far
    as `part`; its exit code."""
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from fulian_desktop.store import migrate
        from fulian_desktop.store.connection import open_database
        migrate.migrations_dir = lambda: Path({str(folder)!r})
        def told(step):
            if step.number == {number} and step.part is not None and {part} <= step.part < 1:
                os.kill(os.getpid(), signal.SIGKILL)
        open_database(Path({str(path)!r}), progress=told)
        print("not killed")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "not killed" not in done.stdout, done.stderr
    return done.returncode


def _state(path: Path) -> tuple[int, list[str], str]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'test_%'")]
        office = conn.execute("SELECT value FROM settings WHERE key = 'office'").fetchone()[0]
    finally:
        conn.close()
    return version, tables, office


def test_killed_in_the_middle_of_a_migration_the_database_is_as_before_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _migrations(tmp_path)
    path = _database(tmp_path)
    latest = migrate.latest_version()
    # step 1 is the copy set aside, step 2 the test's migration: killed after two of its three statements
    assert _killed_at(path, folder, 2, 0.6) == -signal.SIGKILL
    assert _state(path) == (latest, [], "东山县妇联")  # its table made and filled, then rolled back: not there

    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    db = open_database(path)  # the next start goes on
    assert migrate.current_version(db) == latest + 1
    assert db.execute("SELECT count(*) FROM test_three").fetchone()[0] == 3
    db.close()
    assert _state(path) == (latest + 1, ["test_three"], "东山县妇联")


def test_killed_while_the_copy_is_set_aside_no_copy_looks_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _migrations(tmp_path)
    path = _database(tmp_path, big=True)
    latest = migrate.latest_version()
    assert _killed_at(path, folder, 1, 0.2) == -signal.SIGKILL
    assert _state(path) == (latest, [], "东山县妇联")
    aside = f"office.db.v{latest}.before-upgrade"
    left = sorted(p.name for p in tmp_path.glob("office.db.v*"))
    assert aside + ".partial" in left and aside not in left  # half a copy, not named as a whole one

    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    told: list[migrate.Step] = []
    open_database(path, progress=told.append).close()
    assert sorted(p.name for p in tmp_path.glob("office.db.v*")) == [aside]  # whole, under its name
    copy = sqlite3.connect(tmp_path / aside)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == latest
    assert copy.execute("SELECT count(*) FROM ballast").fetchone()[0] == 1000
    copy.close()
    # the copy told how far it had gone, part by part, then the migration statement by statement
    parts = [s.part for s in told if s.number == 1]
    assert parts[0] == 0.0 and parts[-1] == 1.0 and len(parts) > 2 and parts == sorted(parts)
    assert [round(s.part or 0, 2) for s in told if s.number == 2] == [0.0, 0.33, 0.67, 1.0]
    assert {s.text.split("：")[0] for s in told} == {"第1步（共2步）", "第2步（共2步）"}
