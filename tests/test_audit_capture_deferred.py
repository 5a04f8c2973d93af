"""The audit trail's capture made as the connection first begins to write (store/audit.py defer_capture), not at
opening (issue 22: ≈15 ms at every start and every command): until then nothing can be written unrecorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from fulian_desktop.services import accounts, cases, petitions
from fulian_desktop.store import audit
from fulian_desktop.store.connection import DatabaseError, open_database, write_transaction

from .conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock
from .test_accounts import petition

AT = dt.datetime(2026, 3, 10, 9, 30)
ME = audit.Actor(7, "wangxl")


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    d = open_database(":memory:")
    d.execute("INSERT INTO cases (kind, case_no, year, seq, status, received_on, created_at, updated_at) "
              "VALUES ('petition', 'X1', 2026, 1, 'registered', '2026-03-02', 'x', 'x')")  # (this made the capture)
    d.close()
    yield open_database(":memory:")


def _triggers(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'").fetchone()[0])


def test_opening_and_reading_make_no_triggers(db: sqlite_utils.Database) -> None:
    db.execute("SELECT count(*) FROM cases").fetchone()
    assert _triggers(db) == 0
    assert audit.has_capture(db)  # (its changes will be captured: the triggers are made before its first write)
    assert audit.flush(db, AT, ME, "x") == []  # nothing could have been written: nothing to record
    audit.discard_pending(db)
    assert _triggers(db) == 0


def test_a_transaction_for_the_trail_alone_cannot_change_a_record(db: sqlite_utils.Database) -> None:
    """What a trail-only transaction may write: the trail, and the fields the capture skips (the last sign-in);
    anything else is refused by SQLite, so a mistake can never write a record without its entry."""
    db.execute("INSERT INTO accounts (username, display_name, roles, created_at, updated_at) "
               "VALUES ('a', '甲', 'window', 'x', 'x')")  # (a write outside a transaction: captured, as always)
    db.close()
    db = open_database(":memory:")
    with write_transaction(db, trail_only=True):
        audit.append(db, AT, ME, "login")
    assert _triggers(db) == 0
    for sql in ("INSERT INTO people (name, created_at, updated_at) VALUES ('乙', 'x', 'x')",
                "INSERT INTO settings (key, value) VALUES ('probe', 'v')",
                "DELETE FROM lists"):
        with pytest.raises(DatabaseError, match="not authorized"):
            with write_transaction(db, trail_only=True):
                db.execute(sql)
    with pytest.raises(DatabaseError, match="not authorized"):  # nor a write that goes round execute and atomic
        db.conn.execute("INSERT INTO people (name, created_at, updated_at) VALUES ('丙', 'x', 'x')")
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert _triggers(db) == 0


def test_the_first_write_makes_the_capture_and_is_recorded(db: sqlite_utils.Database) -> None:
    with db.atomic():
        db.execute("INSERT INTO people (name, created_at, updated_at) VALUES ('乙', 'x', 'x')")
        assert [e.event for e in audit.flush(db, AT, ME, "people.add")] == ["person.change"]
    assert _triggers(db) > 100 and audit.has_capture(db)
    assert db.conn.in_transaction is False
    db.execute("INSERT INTO settings (key, value) VALUES ('probe', 'v')")  # outside a transaction: captured too
    assert [e.event for e in audit.flush(db, AT, ME, "x")] == ["setting.change"]


def test_a_sign_in_and_a_search_make_no_triggers_and_a_saved_case_is_in_the_trail(tmp_path: Path,
                                                                                clock: Clock) -> None:
    path = tmp_path / "office.db"
    ctx, _recovery, _aside = accounts.set_up(path, [(TEST_USER, "测试员", ("window",), TEST_PASSWORD, False)],
                                             clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    ctx = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        cases.find(ctx, "王")
        assert _triggers(ctx.db) == 0  # the sign-in (its entry, the last sign-in) and a search
        case_id, _case_no = petitions.register(ctx, petition(name="王芳"))
        assert _triggers(ctx.db) > 100
        created = [e for e in audit.entries(ctx.db) if e.event == "case.create"]
        assert [e.case_id for e in created] == [case_id]
    finally:
        ctx.close()
