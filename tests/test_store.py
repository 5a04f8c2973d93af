"""Opening, migrating, refusing newer databases, durability settings, numbering, search edge cases."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from fulian_desktop.domain.errors import StorageError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import cases, petitions
from fulian_desktop.services.context import Context, open_context
from fulian_desktop.store import migrate
from fulian_desktop.store.connection import open_database


def petition(
    name: str = "王小红", received: dt.date = dt.date(2026, 3, 1), facts: str = "邻里纠纷", request: str = "请求调解"
) -> Petition:
    return Petition(channel="来信", received_on=received, petitioner=Person(name=name), concerned=None,
                    headcount=1, township="城关镇", village="", category="婚姻家庭", subcategory="",
                    facts=facts, request=request, dv=False, safety_risk=False, receiving_staff="甲")


def test_new_database_is_migrated_seeded_and_durable(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    assert migrate.current_version(db) == migrate.latest_version()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM lists WHERE list = 'category'").fetchone()[0] > 5
    tables = {r[0]: r[1] for r in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    assert "STRICT" in tables["cases"]


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrate.latest_version() + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def test_copy_set_aside_before_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    open_database(path).close()
    # pretend a later migration exists
    extra = tmp_path / "migrations"
    extra.mkdir()
    for _n, f in migrate.available():
        (extra / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (extra / f"{migrate.latest_version() + 1:04d}_test_column.sql").write_text(
        "ALTER TABLE settings ADD COLUMN note TEXT;\n", encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "migrations_dir", lambda: extra)
    db = open_database(path)
    assert migrate.current_version(db) == migrate.latest_version()
    copies = list(tmp_path.glob("old.db.v*.before-upgrade"))
    assert len(copies) == 1
    assert sqlite3.connect(copies[0]).execute("PRAGMA user_version").fetchone()[0] == migrate.latest_version() - 1


def test_unusable_path_gives_a_clear_message() -> None:
    with pytest.raises(StorageError):
        open_database("/proc/no/such/folder/x.db")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="损坏"):
        open_database(path)


def test_numbers_unique_per_kind_and_year_never_reused(ctx: Context) -> None:
    a = petitions.register(ctx, petition(received=dt.date(2025, 12, 31)))
    b = petitions.register(ctx, petition(received=dt.date(2026, 1, 2)))
    c = petitions.register(ctx, petition(received=dt.date(2026, 1, 3)))
    assert [a[1], b[1], c[1]] == ["信访〔2025〕第0001号", "信访〔2026〕第0001号", "信访〔2026〕第0002号"]
    ctx.db.execute("DELETE FROM cases WHERE id = ?", [c[0]])
    d = petitions.register(ctx, petition(received=dt.date(2026, 1, 4)))
    assert d[1] == "信访〔2026〕第0003号"


def test_a_failed_action_leaves_nothing_half_written(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop.store import connection, search

    def broken(*_a: object) -> None:
        raise connection.sqlite.OperationalError("database or disk is full")  # the driver's own class

    monkeypatch.setattr(search, "reindex", broken)
    with pytest.raises(StorageError, match="磁盘已满"):
        petitions.register(ctx, petition())
    for table in ("cases", "people", "petitions", "timeline", "case_people"):
        assert ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert ctx.db.execute("SELECT COUNT(*) FROM case_counters").fetchone()[0] == 0


def test_saved_case_is_there_after_reopening(tmp_path: Path) -> None:
    c = open_context(tmp_path / "x.db")
    case_id, _ = petitions.register(c, petition(received=dt.date.today()))
    c.close()
    c2 = open_context(tmp_path / "x.db")
    assert petitions.get(c2, case_id).petitioner.name == "王小红"


@pytest.mark.parametrize("query", ["王", "小红", "王小红", "wxh", "xh", "调解", "请求调解", "Wxh", "ＷＸＨ"])
def test_search_any_length(ctx: Context, query: str) -> None:
    petitions.register(ctx, petition())
    petitions.register(ctx, petition(name="李四", facts="土地补偿款被扣", request="要求返还"))
    found = [r.names for r in cases.find(ctx, query)]
    assert found == ["王小红"], query


def test_search_odd_input_is_harmless(ctx: Context) -> None:
    petitions.register(ctx, petition())
    for q in ['"', "'", "%", "_", "*", "AND", "(", "王 OR", "NEAR(", "\\", "〔"]:
        cases.find(ctx, q)  # no exception


def test_overdue_filter(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    petitions.register(ctx, petition(received=dt.date(2026, 2, 1)))  # accept due 2026-02-16: overdue
    petitions.register(ctx, petition(name="赵六", received=dt.date(2026, 3, 1)))  # due 03-16: this week
    from fulian_desktop.domain.filters import CaseFilter

    assert [r.names for r in cases.page(ctx, CaseFilter(due="overdue"))] == ["王小红"]
    assert cases.count(ctx, CaseFilter(due="due_soon")) == 2
    items = cases.due_this_week(ctx)
    assert items[0].state == "overdue" and "逾期" in items[0].text


def test_a_second_writer_waits_instead_of_failing(ctx: Context, tmp_path: Path) -> None:
    """The window saves a case while another program holds the write lock for a moment."""
    import threading

    from fulian_desktop.store.connection import write_transaction

    assert ctx.path is not None
    assert ctx.session is not None
    other = open_database(ctx.path, key=ctx.session.key)
    held = threading.Event()

    def hold() -> None:
        with write_transaction(other):
            other.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            held.set()
            threading.Event().wait(1.0)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    case_id, _ = petitions.register(ctx, petition())  # waits for the other writer, then saves
    t.join()
    assert petitions.get(ctx, case_id).petitioner.name == "王小红"


def _plans(ctx: Context, action: Callable[[], object]) -> list[str]:
    """The query plan of every statement `action` runs, as SQLite reports it (one string per statement)."""
    statements: list[str] = []
    ctx.db.conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        ctx.db.conn.set_trace_callback(None)
    return [" / ".join(r[3] for r in ctx.db.execute("EXPLAIN QUERY PLAN " + s).fetchall())
            for s in statements if s.lstrip().upper().startswith("SELECT")]


def test_the_main_windows_first_questions_read_indexes_not_scattered_rows(ctx: Context) -> None:
    """On the first start of a day nothing of the database is in memory: the start page's clocks come from an
    index alone, and the lists of what is due read their first page in order from an index (no sorting of
    every case due, each read from the disk first) — in the same order as before."""
    from fulian_desktop.demo import generate as demo
    from fulian_desktop.domain.filters import CaseFilter
    from fulian_desktop.services import households, start_page

    demo.generate(ctx, 120, seed=3)
    clocks = _plans(ctx, lambda: start_page.clocks(ctx))
    assert len(clocks) == 1 and "COVERING INDEX cases_clocks" in clocks[0], clocks

    f = CaseFilter(due="due_soon")
    due = _plans(ctx, lambda: cases.page(ctx, f, sort="due_on", descending=False))
    assert due and all("TEMP B-TREE" not in p for p in due), due
    rows = cases.page(ctx, f, sort="due_on", descending=False, limit=1000)
    assert len(rows) > 3
    assert [(r.due_on, r.id) for r in rows] == sorted((r.due_on, r.id) for r in rows)  # type: ignore[type-var]

    register = [p for p in _plans(ctx, lambda: households.due_this_month(ctx)) if "cases_kind_due" in p]
    assert register and "TEMP B-TREE" not in register[0], register
    houses = households.due_this_month(ctx, limit=1000)
    assert houses and [(h.due_on, h.id) for h in houses] == sorted((h.due_on, h.id) for h in houses)  # type: ignore[type-var]


def test_opening_pays_for_no_plugins_and_one_commit_of_the_audit_triggers(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: every start and every command opened the database by loading sqlite-utils' plugins (every
    installed package's entry points read: ~70 ms) and committed each of the ~120 temporary audit triggers on
    its own. No plugin is looked for now; the triggers are not made at opening but just before the connection
    first begins to write, in one savepoint before its transaction, every one still there (what they capture:
    tests/test_audit.py)."""
    import sys

    import sqlcipher3
    import sqlite_utils.plugins

    from fulian_desktop.store import connection

    open_database(tmp_path / "a.db").close()
    monkeypatch.setattr(sqlite_utils.plugins, "_plugins_loaded", False)
    monkeypatch.delattr(sys, "_called_from_test", raising=False)
    said: list[str] = []
    real_connect = connection.connect

    def traced(*args: object, **kwargs: object) -> sqlcipher3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(said.append)
        return conn

    monkeypatch.setattr(connection, "connect", traced)
    db = open_database(tmp_path / "a.db")
    assert sqlite_utils.plugins._plugins_loaded is False
    assert not [s for s in said if "TRIGGER" in s]  # none made at opening (a search or a print writes no record)
    db.execute("SELECT count(*) FROM cases").fetchone()  # reading makes none either
    assert not [s for s in said if "TRIGGER" in s]
    del said[:]
    with db.atomic():
        db.execute("UPDATE settings SET value = value WHERE key = 'office_name'")
    triggers = [i for i, s in enumerate(said) if s.startswith("CREATE TEMP TRIGGER")]
    assert len(triggers) > 100
    opened = said.index("SAVEPOINT audit_capture")
    assert opened < triggers[0] and triggers[-1] < said.index("RELEASE audit_capture") < said.index("BEGIN")
    assert not db.conn.in_transaction
    made = dict(db.execute("SELECT name, sql FROM temp.sqlite_master WHERE type = 'trigger'").fetchall())
    assert {"audit_i_cases", "audit_u_cases", "audit_d_cases"} <= set(made)
    # one statement a trigger: no drop of what a new connection does not have, no table_info for each table
    assert not [s for s in said if s.startswith("DROP TRIGGER") or "table_info(" in s.replace("pragma_table_info(", "")]
    assert len([s for s in said if not s.startswith("-- ")]) < len(triggers) + 40  # (-- : inside one statement)
    from fulian_desktop.store import audit

    audit.install_capture(db)  # again on the same connection: the same triggers, each made once
    assert dict(db.execute("SELECT name, sql FROM temp.sqlite_master WHERE type = 'trigger'").fetchall()) == made
    db.close()
