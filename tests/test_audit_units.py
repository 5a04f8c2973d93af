"""The audit trail's SQL side, piece by piece, on an in-memory database (fast: in the mutation selection).

What each action must leave in the trail is written here from the trail's promise (store/audit.py's docstring,
docs/ARCHITECTURE.md): one entry per case touched — created, status changed (from, to) or changed, with the
field names —, one for a person, a setting, a list or an account, the old and new values in the record history,
every entry chained to the one before and the trail's end following the last.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from fulian_desktop.domain.audit import GENESIS, Change, Entry
from fulian_desktop.store import audit
from fulian_desktop.store.connection import DatabaseError, open_database

AT = dt.datetime(2026, 3, 10, 9, 30, 15, 123456)
ME = audit.Actor(7, "wangxl")


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    d = open_database(":memory:")
    d.execute("DELETE FROM temp.audit_pending")
    yield d
    d.close()


def _case(db: sqlite_utils.Database, seq: int, status: str = "registered", kind: str = "petition") -> int:
    db.execute("INSERT INTO cases (kind, case_no, year, seq, status, received_on, created_at, updated_at) "
               "VALUES (?, ?, 2026, ?, ?, '2026-03-02', 'x', 'x')", [kind, f"X{seq}", seq, status])
    return int(db.execute("SELECT max(id) FROM cases").fetchone()[0])


def _person(db: sqlite_utils.Database, name: str) -> int:
    db.execute("INSERT INTO people (name, created_at, updated_at) VALUES (?, 'x', 'x')", [name])
    return int(db.execute("SELECT max(id) FROM people").fetchone()[0])


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    return db.execute("SELECT id, event, operation, case_id, target, detail, result FROM audit ORDER BY id").fetchall()


# --- appending --------------------------------------------------------------------------------------------------


def test_entries_are_numbered_chained_and_the_end_follows() -> None:
    db = open_database(":memory:")
    assert audit.head(db) == (0, "")
    first = audit.append(db, AT, ME, "login", operation="accounts.sign_in")
    assert (first.id, first.prev_hash, first.at, first.actor_id, first.actor) == (
        1, GENESIS, "2026-03-10T09:30:15", 7, "wangxl")
    assert (first.detail, first.result, first.case_id, first.target) == ("{}", "ok", None, "")
    # its hash covers every column in canonical JSON, as the chain's rule says
    expected = json.dumps([1, "2026-03-10T09:30:15", 7, "wangxl", "login", "accounts.sign_in", None, "", "{}", "ok",
                           first.history_hash, GENESIS], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert first.hash == _sha(expected)
    second = audit.append(db, AT, audit.Actor(None, ""), "case.view", case_id=3, target="t", detail={"b": 1, "a": 2},
                          result="denied")
    assert (second.id, second.prev_hash, second.detail, second.result) == (2, first.hash, '{"a":2,"b":1}', "denied")
    assert second.operation == ""  # made by no action of the window: names none
    assert audit.head(db) == (2, second.hash)
    assert audit.hash_of(db, 1) == first.hash and audit.hash_of(db, 3) is None
    assert list(audit.entries(db)) == [first, second]
    assert audit.verify(db) == (2, [])


def test_an_entrys_changes_go_to_the_record_history() -> None:
    db = open_database(":memory:")
    changes = [Change("cases", 1, "U", "status", "registered", "accepted"), Change("people", 2, "D", "name", "x", None)]
    e = audit.append(db, AT, ME, "case.status", case_id=1, history=changes)
    assert audit.history_of(db, e.id) == changes
    assert e.history_hash != audit.append(db, AT, ME, "case.status", case_id=1).history_hash
    assert audit.history_of(db, 2) == []
    assert audit.verify(db) == (2, [])


# --- what an action leaves ------------------------------------------------------------------------------------------


def test_nothing_captured_leaves_nothing(db: sqlite_utils.Database) -> None:
    assert audit.flush(db, AT, ME, "noop") == []
    assert audit.head(db) == (0, "")


def test_a_case_created_changed_and_moved_on(db: sqlite_utils.Database) -> None:
    case_id = _case(db, 1)
    [created] = audit.flush(db, AT, ME, "petitions.register")
    assert (created.event, created.case_id, created.operation) == ("case.create", case_id, "petitions.register")
    assert created.details() == {"fields": ["cases+"], "kind": "petition"}
    db.execute("UPDATE cases SET township = '东山镇', summary = 's', updated_at = 'y' WHERE id = ?", [case_id])
    [changed] = audit.flush(db, AT, ME, "petitions.update")
    assert changed.event == "case.update"
    assert changed.details() == {"fields": ["cases.summary", "cases.township"], "kind": "petition"}
    assert audit.history_of(db, changed.id) == [Change("cases", case_id, "U", "township", "", "东山镇"),
                                                Change("cases", case_id, "U", "summary", "", "s")]
    db.execute("UPDATE cases SET status = 'accepted' WHERE id = ?", [case_id])
    db.execute("UPDATE cases SET status = 'in_progress' WHERE id = ?", [case_id])
    [moved] = audit.flush(db, AT, ME, "petitions.accept", extra={"reason": "r"})
    assert moved.event == "case.status"
    assert moved.details() == {"fields": ["cases.status"], "kind": "petition", "from": "registered",
                               "to": "in_progress", "reason": "r"}
    db.execute("UPDATE cases SET status = 'accepted' WHERE id = ?", [case_id])
    [undone] = audit.flush(db, AT, ME, "undo.undo_last", event="case.undo")
    assert undone.event == "case.undo" and undone.details()["to"] == "accepted"
    db.execute("UPDATE cases SET names = 'n' WHERE id = ?", [case_id])
    [corrected] = audit.flush(db, AT, ME, "corrections.correct", event="case.correct")
    assert corrected.event == "case.correct"
    assert audit.last_status_entry(db, case_id) == undone
    assert audit.last_status_entry(db, 999) is None


def test_a_timeline_time_kept_as_seconds_is_recorded_as_its_text(db: sqlite_utils.Database) -> None:
    """timeline.at is kept as seconds since 1970 (migration 0038); the record history keeps it as the ISO text it
    always was."""
    case_id = _case(db, 1)
    at = calendar.timegm((2026, 3, 10, 9, 30, 0))
    db.execute("INSERT INTO timeline (case_id, at, staff, action) VALUES (?, ?, '王秀兰', '登记')", [case_id, at])
    audit.flush(db, AT, ME, "petitions.register")
    db.execute("UPDATE timeline SET at = at + 90")
    [moved] = audit.flush(db, AT, ME, "x")
    assert audit.history_of(db, moved.id) == [
        Change("timeline", 1, "U", "at", "2026-03-10T09:30:00", "2026-03-10T09:31:30")]
    db.execute("DELETE FROM timeline")
    [removed] = audit.flush(db, AT, ME, "x")
    assert [(c.field, c.old_value) for c in audit.history_of(db, removed.id) if c.field == "at"] == [
        ("at", "2026-03-10T09:31:30")]


def test_a_row_of_a_case_removed_is_named_with_a_minus(db: sqlite_utils.Database) -> None:
    a, b = _case(db, 1), _case(db, 2)
    db.execute("INSERT INTO case_links (from_case, to_case) VALUES (?, ?)", [a, b])
    audit.flush(db, AT, ME, "setup")
    db.execute("DELETE FROM case_links")
    [e] = audit.flush(db, AT, ME, "cases.unlink")
    assert (e.case_id, e.details()["fields"]) == (a, ["case_links-"])
    assert {c.op for c in audit.history_of(db, e.id)} == {"D"}


def test_the_people_of_the_one_case_go_with_it(db: sqlite_utils.Database) -> None:
    case_id = _case(db, 1)
    audit.flush(db, AT, ME, "setup")
    person = _person(db, "柳如烟")
    db.execute("UPDATE cases SET person_id = ? WHERE id = ?", [person, case_id])
    [e] = audit.flush(db, AT, ME, "petitions.update")
    assert (e.event, e.case_id, e.details()["fields"]) == ("case.update", case_id, ["cases.person_id", "people+"])


def test_a_person_changed_alone_has_her_own_entry(db: sqlite_utils.Database) -> None:
    person = _person(db, "柳如烟")
    [added] = audit.flush(db, AT, ME, "people.add")
    assert (added.event, added.target, added.case_id) == ("person.change", f"person:{person}", None)
    db.execute("UPDATE people SET phone = '1' WHERE id = ?", [person])
    [e] = audit.flush(db, AT, ME, "people.update", extra={"reason": "r"})
    assert (e.target, e.details()) == (f"person:{person}", {"fields": ["people.phone"], "reason": "r"})
    # the action that made each entry, and the old and new values in the record history
    assert (added.operation, e.operation) == ("people.add", "people.update")
    assert audit.history_of(db, e.id) == [Change("people", person, "U", "phone", "", "1")]


def test_the_people_of_several_cases_are_one_entry(db: sqlite_utils.Database) -> None:
    a, b = _person(db, "甲"), _person(db, "乙")
    audit.flush(db, AT, ME, "setup")
    db.execute("UPDATE people SET address = 'z'")
    c1, c2 = _case(db, 1), _case(db, 2)
    entries = audit.flush(db, AT, ME, "import", extra={"reason": "r"})
    assert [(x.event, x.case_id, x.target) for x in entries] == [("case.create", c1, ""), ("case.create", c2, ""),
                                                                ("person.change", None, "people")]
    assert {x.operation for x in entries} == {"import"}  # every entry names the action that made it
    assert entries[2].details() == {"fields": ["people.address"], "count": 2, "reason": "r"}
    assert {c.row_id for c in audit.history_of(db, entries[2].id)} == {a, b}


def test_settings_lists_and_other_tables_name_what_changed(db: sqlite_utils.Database) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES ('office_name', '县妇联') "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    db.execute("INSERT INTO lists (list, value) VALUES ('township', '新镇')")
    db.execute("INSERT INTO organisations (name, kind) VALUES ('法律援助中心', '法律援助中心')")
    db.execute("INSERT INTO workday_calendar (day, kind, name) VALUES ('2030-01-01', 'holiday', '元旦')")
    entries = audit.flush(db, AT, ME, "settings.set", extra={"reason": "r"})
    assert sorted((e.event, e.target) for e in entries) == [
        ("data.change", "workday_calendar"), ("list.change", "lists:township"), ("list.change", "organisations"),
        ("setting.change", "office_name")]
    assert all(e.details()["reason"] == "r" for e in entries)


def test_a_setting_or_a_list_entry_removed_is_named_as_when_it_was_added(db: sqlite_utils.Database) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES ('probe_key', 'v')")
    db.execute("INSERT INTO lists (list, value) VALUES ('township', '新镇')")
    audit.flush(db, AT, ME, "settings.set")
    db.execute("DELETE FROM settings WHERE key = 'probe_key'")
    db.execute("DELETE FROM lists WHERE list = 'township' AND value = '新镇'")
    entries = audit.flush(db, AT, ME, "settings.remove")
    assert sorted((e.event, e.target, e.details()["fields"]) for e in entries) == [
        ("list.change", "lists:township", ["lists-"]), ("setting.change", "probe_key", ["settings-"])]


def test_a_change_to_another_table_keeps_its_action_fields_and_history(db: sqlite_utils.Database) -> None:
    db.execute("INSERT INTO workday_calendar (day, kind, name) VALUES ('2030-01-01', 'holiday', '元旦')")
    audit.flush(db, AT, ME, "setup")
    row = db.execute("SELECT rowid FROM workday_calendar WHERE day = '2030-01-01'").fetchone()[0]
    db.execute("UPDATE workday_calendar SET name = '元旦假期' WHERE day = '2030-01-01'")
    [e] = audit.flush(db, AT, ME, "calendar.edit")
    assert (e.event, e.target, e.operation) == ("data.change", "workday_calendar", "calendar.edit")
    assert e.details() == {"fields": ["workday_calendar.name"]}
    assert audit.history_of(db, e.id) == [Change("workday_calendar", row, "U", "name", "元旦", "元旦假期")]


def _account(db: sqlite_utils.Database) -> int:
    db.execute("INSERT INTO accounts (username, display_name, roles, created_at, updated_at) "
               "VALUES ('lili', '李丽', 'window', 'x', 'x')")
    return int(db.execute("SELECT max(id) FROM accounts").fetchone()[0])


@pytest.mark.parametrize(("sql", "event"), [
    ("UPDATE accounts SET active = 0", "account.disable"),
    ("UPDATE accounts SET roles = 'window,mediator'", "account.roles"),
    ("UPDATE accounts SET display_name = '李 丽'", "account.change"),
    ("UPDATE accounts SET roles = 'admin', display_name = 'x'", "account.roles"),
    ("UPDATE accounts SET last_login = 'now', updated_at = 'now'", None),  # not the user's change: no entry
], ids=["disable", "roles", "name", "roles-and-name", "sign-in-time"])
def test_an_accounts_change_is_named_by_what_changed(db: sqlite_utils.Database, sql: str, event: str | None) -> None:
    account = _account(db)
    [added] = audit.flush(db, AT, ME, "accounts.add_account")
    assert (added.event, added.target) == ("account.add", f"account:{account}")
    db.execute(sql)
    assert [e.event for e in audit.flush(db, AT, ME, "accounts.x")] == ([event] if event else [])


def test_an_account_enabled_again(db: sqlite_utils.Database) -> None:
    _account(db)
    db.execute("UPDATE accounts SET active = 0")
    audit.flush(db, AT, ME, "x")
    db.execute("UPDATE accounts SET active = 1")
    db.execute("UPDATE accounts SET roles = 'admin'")
    assert [e.event for e in audit.flush(db, AT, ME, "x")] == ["account.enable"]


def test_more_than_two_hundred_cases_at_once_are_one_summary_entry(db: sqlite_utils.Database) -> None:
    first = _case(db, 1)
    audit.flush(db, AT, ME, "setup")
    db.execute("UPDATE cases SET township = 't' WHERE id = ?", [first])
    ids = [_case(db, n) for n in range(2, 203)]  # 201 new cases
    entries = audit.flush(db, AT, ME, "demo.load")
    assert [(e.event, e.target, e.case_id) for e in entries] == [("case.create", "cases", None),
                                                                ("case.update", "", first)]
    assert entries[0].details() == {"count": 201, "first_id": ids[0], "last_id": ids[-1]}


def test_two_hundred_cases_at_once_are_an_entry_each(db: sqlite_utils.Database) -> None:
    for n in range(1, 201):
        _case(db, n)
    entries = audit.flush(db, AT, ME, "import")
    assert len(entries) == 200 and {e.event for e in entries} == {"case.create"}
    assert sorted(audit.cases_created_with(db, entries[0])) == [e.case_id for e in entries[1:]]


def test_cases_created_with_one_are_those_of_the_same_action(db: sqlite_utils.Database) -> None:
    a, b = _case(db, 1), _case(db, 2)
    first = audit.flush(db, AT, ME, "import")
    c = _case(db, 3)
    audit.flush(db, AT, ME, "import", )
    d = _case(db, 4)
    audit.flush(db, AT + dt.timedelta(seconds=1), ME, "import")
    e = _case(db, 5)
    audit.flush(db, AT, audit.Actor(8, "lili"), "import")
    f = _case(db, 6)
    audit.flush(db, AT, ME, "petitions.register")
    assert audit.cases_created_with(db, first[0]) == [b, c]
    assert {d, e, f}.isdisjoint(audit.cases_created_with(db, first[1]))
    assert a in audit.cases_created_with(db, first[1])


def test_discarding_and_pausing_the_capture(db: sqlite_utils.Database) -> None:
    assert audit.has_capture(db)
    _case(db, 1)
    audit.discard_pending(db)
    assert audit.flush(db, AT, ME, "x") == []
    audit.pause_added_rows(db)
    case_id = _case(db, 2)
    _person(db, "甲")
    db.execute("UPDATE settings SET value = 'v' WHERE key = 'idle_lock_minutes'")
    # the person added while paused is in no entry (not even the one case's): only the case and the setting
    assert sorted((e.event, e.details()["fields"]) for e in audit.flush(db, AT, ME, "x")) == [
        ("case.create", ["cases+"]), ("setting.change", ["settings.value"])]
    audit.install_capture(db)
    _person(db, "乙")
    assert [e.event for e in audit.flush(db, AT, ME, "x")] == ["person.change"]
    assert case_id


def test_without_capture_there_is_nothing_to_flush_or_discard() -> None:
    db = open_database(":memory:", migrate_now=False)
    assert not audit.has_capture(db)
    audit.discard_pending(db)
    audit.pause_added_rows(db)
    assert audit.flush(db, AT, ME, "x") == []


def test_until_the_capture_is_made_only_what_it_would_not_record_can_be_written(tmp_path: Path) -> None:
    """store/audit.py defer_capture's promise: until the triggers are made, SQLite refuses every change they would
    capture (a row added to or removed from a tracked table, a field changed but updated_at and last_login), and
    nothing else: reading, the trail's own tables, the skipped fields, temporary tables."""
    path = tmp_path / "office.db"
    first = open_database(path)
    first.execute("INSERT INTO accounts (username, display_name, roles, created_at, updated_at) "
                  "VALUES ('a', '甲', 'window', 'x', 'x')")
    first.execute("INSERT INTO people (name, created_at, updated_at) VALUES ('乙', 'x', 'x')")
    first.close()
    db = open_database(path)
    conn = db.conn  # (straight to SQLite: round the capture made before a write, store/database.py)
    assert audit.has_capture(db) and not audit._made(db)
    for sql in ("INSERT INTO people (name, created_at, updated_at) VALUES ('丙', 'x', 'x')",
                "DELETE FROM people",
                "UPDATE accounts SET display_name = '丁' WHERE id = 1",
                "UPDATE accounts SET last_login = 't', roles = 'admin' WHERE id = 1"):
        with pytest.raises(DatabaseError, match="not authorized"):
            conn.execute(sql)
    conn.execute("UPDATE accounts SET last_login = '2026-03-10T09:30:15', updated_at = 'u' WHERE id = 1")
    assert conn.execute("SELECT display_name, roles, last_login, updated_at FROM accounts").fetchall() == [
        ("甲", "window", "2026-03-10T09:30:15", "u")]
    assert conn.execute("SELECT name FROM people").fetchall() == [("乙",)]
    conn.execute("INSERT INTO case_counters (kind, year, last_seq) VALUES ('petition', 2026, 1)")  # not recorded
    audit.append(db, AT, ME, "login")  # the trail's own tables
    conn.execute("CREATE TEMP TABLE people (x)")  # a temporary table bearing a tracked table's name: not the record
    conn.execute("INSERT INTO temp.people VALUES (1)")
    conn.execute("DELETE FROM temp.people")
    conn.execute("DROP TABLE temp.people")
    assert audit.head(db)[0] == 1 and not audit._made(db)
    if conn.in_transaction:
        conn.commit()
    # the first write through the program makes the capture, and from then on everything is written and recorded
    db.execute("UPDATE accounts SET display_name = '丁' WHERE id = 1")
    assert audit._made(db) and db.before_write is None  # type: ignore[attr-defined]
    conn.execute("INSERT INTO people (name, created_at, updated_at) VALUES ('丙', 'x', 'x')")
    assert sorted(e.event for e in audit.flush(db, AT, ME, "x")) == ["account.change", "person.change"]
    db.close()


def test_capture_that_fails_half_way_leaves_no_trigger_and_says_why() -> None:
    """install_capture makes every trigger in one savepoint: should one fail (here a column whose name would break
    its trigger's SQL), those made before it are taken back, the savepoint is closed and the error is the one that
    happened."""
    db = open_database(":memory:", migrate_now=False)
    db.execute("CREATE TABLE a_notes (id INTEGER PRIMARY KEY, note TEXT)")
    db.execute('CREATE TABLE b_notes (id INTEGER PRIMARY KEY, "it\'s" TEXT)')
    with pytest.raises(DatabaseError, match="it'"):
        audit.install_capture(db)
    assert db.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    assert not audit._made(db) and not db.conn.in_transaction
    db.execute("INSERT INTO a_notes (note) VALUES ('x')")  # (and the connection goes on as before)
    assert db.execute("SELECT note FROM a_notes").fetchall() == [("x",)]


def test_a_table_whose_name_has_quotes_is_captured_under_its_own_name() -> None:
    name = 'she\'s "new"'
    quoted = '"she\'s ""new"""'  # (as SQL writes the name)
    db = open_database(":memory:", migrate_now=False)
    db.execute(f"CREATE TABLE {quoted} (id INTEGER PRIMARY KEY, note TEXT)")
    audit.install_capture(db)
    db.execute(f"INSERT INTO {quoted} (note) VALUES ('a')")
    db.execute(f"UPDATE {quoted} SET note = 'b'")
    db.execute(f"DELETE FROM {quoted}")
    assert db.execute("SELECT tbl, row_id, op, field, old_value, new_value FROM temp.audit_pending ORDER BY seq"
                      ).fetchall() == [(name, 1, "I", "", None, None), (name, 1, "U", "note", "a", "b"),
                                       (name, 1, "D", "id", 1, None), (name, 1, "D", "note", "b", None)]


def test_sqlites_own_tables_are_not_captured(db: sqlite_utils.Database) -> None:
    _case(db, 1)
    db.execute("ANALYZE")  # (SQLite's statistics: sqlite_stat1, a table of its own, on which no trigger can be made)
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 1
    assert not [t for t in audit._tracked_tables(db) if t.startswith("sqlite")]
    audit.install_capture(db)
    assert "cases" in audit._tracked_tables(db)


def test_the_trail_and_counters_and_search_indexes_are_not_captured(db: sqlite_utils.Database) -> None:
    tables = audit._tracked_tables(db)
    for skipped in ("audit", "record_history", "audit_head", "case_counters", "search_tri", "search_tri_data",
                    "search_bi_idx"):
        assert skipped not in tables
    for kept in ("cases", "people", "settings", "petitions", "petition_representatives", "accounts"):
        assert kept in tables


def test_values_are_read_and_put_back_only_in_tracked_columns(db: sqlite_utils.Database) -> None:
    case_id = _case(db, 1)
    audit.flush(db, AT, ME, "x")
    assert audit.value_now(db, "cases", case_id, "status") == "registered"
    audit.put_back(db, "cases", case_id, "status", "accepted")
    assert audit.value_now(db, "cases", case_id, "status") == "accepted"
    [e] = audit.flush(db, AT, ME, "undo")
    assert e.event == "case.status"
    for tbl, field in (("audit", "event"), ("cases", "nope"), ("nope", "id")):
        with pytest.raises(KeyError):
            audit.value_now(db, tbl, 1, field)
        with pytest.raises(KeyError):
            audit.put_back(db, tbl, 1, field, "x")
    with pytest.raises(KeyError):
        audit.value_now(db, "cases", case_id + 1, "status")


def test_printed_asks_the_trail(db: sqlite_utils.Database) -> None:
    audit.append(db, AT, ME, "case.print", case_id=1, target="visit:12", detail={"form": "household"})
    audit.append(db, AT, ME, "case.view", case_id=2, detail={"form": "petition"})
    assert audit.printed(db, 1) and audit.printed(db, 1, "household") and audit.printed(db, 1, target="visit:12")
    assert not audit.printed(db, 1, "petition") and not audit.printed(db, 1, target="visit:13")
    assert not audit.printed(db, 2) and not audit.printed(db, 3)


# --- verifying ------------------------------------------------------------------------------------------------------


def test_a_history_row_of_an_entry_that_is_gone_is_found() -> None:
    db = open_database(":memory:")
    audit.append(db, AT, ME, "login")
    db.execute("PRAGMA foreign_keys = OFF")  # as someone editing the file with another tool would
    db.execute("INSERT INTO record_history (audit_id, tbl, row_id, op) VALUES (5, 'cases', 1, 'I')")
    n, problems = audit.verify(db)
    assert n == 1
    assert [(p.entry_id, p.message) for p in problems] == [(5, "修改历史中有属于第5条记录的内容，但这条记录不见了")]


def test_a_changed_history_value_is_found() -> None:
    db = open_database(":memory:")
    audit.append(db, AT, ME, "case.update", history=[Change("cases", 1, "U", "township", "a", "b")])
    db.execute("DROP TRIGGER record_history_append_only_update")
    db.execute("UPDATE record_history SET new_value = 'c'")
    assert [p.message for p in audit.verify(db)[1]] == ["第1条记录的修改历史（字段的原值和新值）被改动过"]


def test_a_missing_end_record_counts_as_an_empty_trail() -> None:
    db = open_database(":memory:")
    db.execute("DELETE FROM audit_head")
    assert audit.head(db) == (0, "")
    assert audit.verify(db) == (0, [])
    e = audit.append(db, AT, ME, "login")
    assert (e.id, e.prev_hash) == (1, GENESIS)


# --- browsing -------------------------------------------------------------------------------------------------------


@pytest.fixture
def trail() -> Iterator[sqlite_utils.Database]:
    db = open_database(":memory:")
    db.execute("INSERT INTO accounts (id, username, display_name, created_at, updated_at) "
               "VALUES (7, 'wangxl', '王秀兰', 'x', 'x')")
    audit.discard_pending(db)
    case_id = _case(db, 1)
    assert case_id == 1
    audit.flush(db, AT, ME, "setup")  # entry 1: case.create, 2026-03-10
    audit.append(db, dt.datetime(2026, 3, 11, 23, 59, 59), ME, "case.view", case_id=1)  # 2
    audit.append(db, dt.datetime(2026, 3, 12, 0, 0), audit.Actor(8, "lili"), "login", result="failed")  # 3
    audit.append(db, dt.datetime(2026, 3, 9, 8, 0), ME, "cases", case_id=1)  # 4: an event named like a prefix
    yield db
    db.close()


@pytest.mark.parametrize(("f", "ids"), [
    (audit.AuditFilter(), [4, 3, 2, 1]),
    (audit.AuditFilter(date_from=dt.date(2026, 3, 11)), [3, 2]),
    (audit.AuditFilter(date_to=dt.date(2026, 3, 11)), [4, 2, 1]),
    (audit.AuditFilter(date_from=dt.date(2026, 3, 10), date_to=dt.date(2026, 3, 10)), [1]),
    (audit.AuditFilter(actor_id=8), [3]),
    (audit.AuditFilter(actor_id=0), []),
    (audit.AuditFilter(event="case."), [2, 1]),
    (audit.AuditFilter(event="case.view"), [2]),
    (audit.AuditFilter(event="case"), []),
    (audit.AuditFilter(case_id=1), [4, 2, 1]),
    (audit.AuditFilter(result="failed"), [3]),
    (audit.AuditFilter(event="case.", case_id=1, actor_id=7, result="ok", date_from=dt.date(2026, 3, 11)), [2]),
], ids=["all", "from", "to", "one-day", "actor", "actor-0", "prefix", "event", "no-dot", "case", "result", "all-five"])
def test_the_viewer_filters(trail: sqlite_utils.Database, f: audit.AuditFilter, ids: list[int]) -> None:
    assert [e.id for e in audit.page(trail, f)] == ids
    assert audit.count(trail, f) == len(ids)


def test_the_viewer_pages_and_names(trail: sqlite_utils.Database) -> None:
    f = audit.AuditFilter()
    assert [e.id for e in audit.page(trail, f, limit=2)] == [4, 3]
    assert [e.id for e in audit.page(trail, f, limit=2, offset=2)] == [2, 1]
    assert [e.id for e in audit.page(trail, f, limit=3, newest_first=False)] == [1, 2, 3]
    first = audit.page(trail, f, newest_first=False)[0]
    assert (first.case_no, first.actor_name) == ("X1", "王秀兰")
    login = audit.page(trail, audit.AuditFilter(actor_id=8))[0]
    assert (login.case_no, login.actor_name) == ("", "")
    assert isinstance(first, Entry) and first.hash == audit.hash_of(trail, 1)


def test_the_detail_as_shown() -> None:
    assert audit.detail_json({"b": "县", "a": 1}) == '{"a": 1, "b": "县"}'


def test_the_viewer_reads_on_from_an_entry_already_shown(trail: sqlite_utils.Database) -> None:
    # newest first the trail reads 4, 3, 2, 1: the page after 4 is 3, 2; the page before 2 is 4, 3 (shown in the
    # same order); the last page of three counted from the end is 3, 2, 1
    f = audit.AuditFilter()
    assert [e.id for e in audit.page(trail, f, limit=2, after=4)] == [3, 2]
    assert [e.id for e in audit.page(trail, f, limit=2, after=2)] == [1]
    assert [e.id for e in audit.page(trail, f, limit=2, before=2)] == [4, 3]
    assert [e.id for e in audit.page(trail, f, limit=3, from_end=True)] == [3, 2, 1]
    assert [e.id for e in audit.page(trail, f, limit=1, offset=1, from_end=True)] == [2]
    # oldest first: 1, 2, 3, 4
    assert [e.id for e in audit.page(trail, f, limit=2, newest_first=False, after=1)] == [2, 3]
    assert [e.id for e in audit.page(trail, f, limit=2, newest_first=False, before=4)] == [2, 3]
    assert [e.id for e in audit.page(trail, f, limit=3, newest_first=False, from_end=True)] == [2, 3, 4]
    # with a filter: the case's entries are 4, 2, 1
    one = audit.AuditFilter(case_id=1)
    assert [e.id for e in audit.page(trail, one, limit=5, after=4)] == [2, 1]
    assert [(e.case_no, e.actor_name) for e in audit.page(trail, one, limit=1, before=1)] == [("X1", "王秀兰")]


# --- undoing a step: its entry, later changes, rows it added -----------------------------------------------------


def test_the_last_entry_made_by_some_operations(db: sqlite_utils.Database) -> None:
    db.execute("INSERT INTO accounts (id, username, display_name, created_at, updated_at) "
               "VALUES (7, 'wangxl', '王秀兰', 'x', 'x')")
    audit.discard_pending(db)
    case_id = _case(db, 1)
    audit.flush(db, AT, ME, "setup")  # 1: the case created, by "setup"
    visit = audit.append(db, AT, ME, "case.update", operation="police.visit", case_id=case_id)  # 2
    audit.append(db, AT, ME, "case.update", operation="police.call", case_id=case_id)  # 3
    audit.append(db, AT, ME, "case.update", operation="police.visit", case_id=case_id + 1)  # 4: another case
    audit.append(db, AT, ME, "case.view", operation="", case_id=case_id)  # 5: no operation
    found = audit.last_entry_of(db, case_id, ("police.visit",))
    assert found == visit and (found.case_no, found.actor_name) == ("X1", "王秀兰")
    assert audit.last_entry_of(db, case_id, ("police.visit", "police.call")).id == 3  # type: ignore[union-attr]
    assert audit.last_entry_of(db, case_id, ("setup", "other")).id == 1  # type: ignore[union-attr]
    assert audit.last_entry_of(db, case_id, ("police.order",)) is None
    assert audit.last_entry_of(db, case_id + 1, ("police.call",)) is None
    assert audit.last_entry_of(db, case_id + 2, ("police.visit",)) is None


def test_a_row_changed_after_an_entry(db: sqlite_utils.Database) -> None:
    audit.append(db, AT, ME, "case.update", case_id=1, history=[Change("cases", 5, "U", "summary", "a", "b")])  # 1
    audit.append(db, AT, ME, "case.update", case_id=1, history=[Change("people", 5, "U", "phone", "1", "2"),
                                                                 Change("cases", 6, "D", "summary", "c", None)])  # 2
    assert audit.changed_after(db, "cases", 5, 0)
    assert not audit.changed_after(db, "cases", 5, 1)  # entry 1 itself is not after entry 1
    assert audit.changed_after(db, "people", 5, 1) and audit.changed_after(db, "cases", 6, 1)  # changed, removed
    assert not audit.changed_after(db, "people", 5, 2) and not audit.changed_after(db, "people", 6, 1)
    assert not audit.changed_after(db, "petitions", 5, 0)


def test_a_row_a_step_added_is_taken_out_and_that_is_recorded(db: sqlite_utils.Database) -> None:
    keep, gone = _person(db, "甲"), _person(db, "乙")
    audit.flush(db, AT, ME, "setup")
    audit.take_out(db, "people", gone)
    assert [r[0] for r in db.execute("SELECT id FROM people ORDER BY id")] == [keep]
    [e] = audit.flush(db, AT, ME, "undo.undo_last")
    assert (e.event, e.target, e.details()["fields"]) == ("person.change", f"person:{gone}", ["people-"])
    for tbl in ("audit", "record_history", "nope"):
        with pytest.raises(KeyError):
            audit.take_out(db, tbl, 1)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 2


def test_a_bulk_load_is_one_summary_entry_and_keeps_the_changes_to_what_was_there(
        db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # the summary's rule with the threshold lowered to 2 (fast; the 200/201 tests above check the threshold itself):
    # more than 2 cases added in one action is one case.create entry for the lot (how many, the first and last id);
    # what the action did to the new cases and every row it added elsewhere go with that entry; the changes it made
    # to a case that was already there keep their entry (with the person changed, as the one case's people)
    monkeypatch.setattr(audit, "BULK_CASES", 2)
    old_case, old_person = _case(db, 1), _person(db, "甲")
    audit.flush(db, AT, ME, "setup")
    db.execute("UPDATE cases SET township = 't' WHERE id = ?", [old_case])
    db.execute("UPDATE people SET phone = '1' WHERE id = ?", [old_person])
    new = [_case(db, n) for n in (2, 3, 4)]
    db.execute("UPDATE cases SET status = 'accepted' WHERE id = ?", [new[1]])  # a step the new case took
    _person(db, "乙")
    db.execute("INSERT INTO lists (list, value) VALUES ('township', '新镇')")
    entries = audit.flush(db, AT, ME, "import.run")
    assert [(e.event, e.operation, e.target, e.case_id) for e in entries] == [
        ("case.create", "import.run", "cases", None), ("case.update", "import.run", "", old_case)]
    assert entries[0].details() == {"count": 3, "first_id": new[0], "last_id": new[2]}
    assert entries[1].details() == {"fields": ["cases.township", "people.phone"], "kind": "petition"}
    assert audit.history_of(db, entries[0].id) == []
    assert db.execute("SELECT count(*) FROM temp.audit_pending").fetchone()[0] == 0
    # exactly 2 added: an entry each
    _case(db, 5), _case(db, 6)
    assert [e.event for e in audit.flush(db, AT, ME, "import.run")] == ["case.create", "case.create"]
