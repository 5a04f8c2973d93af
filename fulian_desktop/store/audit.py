"""The audit trail in SQL: capturing every change, appending chained entries, verifying, browsing.

Capture: temporary triggers (made on each connection from the current schema, so every table of every
kind is covered, including tables added later, just before the connection first begins to write: defer_capture)
write each added row, changed field and removed row into the connection's temporary table `audit_pending`. When a user action's transaction ends,
`flush` turns what it collected into one entry per case touched (created / status changed / changed,
with the field names) plus entries for settings, lists, accounts and people, and keeps the old and new
values in `record_history`. Temporary tables live in memory (temp_store = MEMORY), so nothing reaches
the disk outside the encrypted database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.audit import GENESIS, Change, Entry, Problem, canonical, check_chain, history_hash
from . import keyset, stamps

if TYPE_CHECKING:
    import sqlite_utils

# Tables whose changes are not the user's: the trail itself, counters, search indexes.
# attachment_content: the bytes of attachments, each kept once and never changed; the attachment rows that name them
# are recorded.
# exchange_*: what the other offices are known to have (bookkeeping of exchange packages; the records they
# bring in are recorded)
_SKIP_TABLES = {"audit", "record_history", "audit_head", "case_counters", "attachment_content", "exchange_known",
                "exchange_alias", "exchange_packages"}
_SKIP_COLUMNS = {"updated_at", "last_login"}
# What a change to a table without a case is about (for the entry's target)
_TABLE_EVENTS = {
    "settings": "setting.change", "accounts": "account.change", "people": "person.change",
    "lists": "list.change", "organisations": "list.change", "mediators": "list.change",
    "care_lists": "list.change",
}
_LABELS = {"settings": "key", "lists": "list"}
# More cases than this created in one action (demo data, an import): one summary entry
BULK_CASES = 200

_COLUMNS = "id, at, actor_id, actor, event, operation, case_id, target, detail, result, history_hash, prev_hash, hash"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tracked_tables(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    out = []
    for name, _sql in rows:
        if name.startswith("sqlite_") or name in _SKIP_TABLES or name in virtual:
            continue
        if any(name.startswith(v + "_") for v in virtual):  # FTS shadow tables
            continue
        out.append(name)
    return out


def install_capture(db: sqlite_utils.Database) -> None:
    """Create this connection's temporary capture table and triggers (idempotent), all in one savepoint: one
    commit of the temporary schema instead of one for each of the ~120 triggers (a third of the time it took at
    every start and every command). Nothing is written to the database before they are all in place."""
    db.execute("SAVEPOINT audit_capture")
    try:
        _install_capture(db)
    except BaseException:
        db.execute("ROLLBACK TO audit_capture")
        db.execute("RELEASE audit_capture")
        raise
    db.execute("RELEASE audit_capture")
    if getattr(db, "before_write", None) is not None:  # made: no longer deferred (defer_capture)
        db.conn.set_authorizer(None)
        db.before_write = None  # type: ignore[attr-defined]


def _install_capture(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TEMP TABLE IF NOT EXISTS audit_pending (
               seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id INTEGER NOT NULL, case_id INTEGER,
               op TEXT NOT NULL, field TEXT NOT NULL DEFAULT '', old_value, new_value, label TEXT)"""
    )
    # every table's columns in one question, and only the triggers already there dropped (a new connection has
    # none): one statement for each trigger made, not three
    all_columns: dict[str, list[str]] = {}
    for name, column in db.execute("SELECT m.name, p.name FROM main.sqlite_master AS m, pragma_table_info(m.name, "
                                   "'main') AS p WHERE m.type = 'table' ORDER BY m.name, p.cid").fetchall():
        all_columns.setdefault(str(name), []).append(str(column))
    existing = {str(r[0]) for r in db.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'")}

    def drop(trigger: str) -> None:
        if trigger in existing:
            db.execute(f"DROP TRIGGER temp.{_quote(trigger)}")

    for table in _tracked_tables(db):
        columns = all_columns.get(table, [])
        if table == "cases":
            case_of = "{r}.id"
        elif "case_id" in columns:
            case_of = "{r}.case_id"
        elif table == "case_links":
            case_of = "{r}.from_case"
        else:
            case_of = "NULL"
        label = "{r}." + _quote(_LABELS[table]) if table in _LABELS else "NULL"
        q = _quote(table)
        t = table.replace("'", "''")
        new_case, old_case = case_of.format(r="NEW"), case_of.format(r="OLD")
        new_label, old_label = label.format(r="NEW"), label.format(r="OLD")
        drop('audit_i_' + table)
        db.execute(
            f"CREATE TEMP TRIGGER {_quote('audit_i_' + table)} AFTER INSERT ON main.{q} BEGIN "
            f"INSERT INTO audit_pending (tbl, row_id, case_id, op, label) "
            f"VALUES ('{t}', NEW.rowid, {new_case}, 'I', {new_label}); END"
        )
        tracked = [c for c in columns if c not in _SKIP_COLUMNS]

        def value(row: str, c: str, table: str = table) -> str:  # a time kept as seconds recorded as its text (0038)
            v = f"{row}.{_quote(c)}"
            return stamps.text_sql(v) if (table, c) in stamps.COLUMNS else v

        updates = " ".join(
            f"INSERT INTO audit_pending (tbl, row_id, case_id, op, field, old_value, new_value, label) "
            f"SELECT '{t}', NEW.rowid, {new_case}, 'U', '{c}', {value('OLD', c)}, {value('NEW', c)}, {new_label} "
            f"WHERE OLD.{_quote(c)} IS NOT NEW.{_quote(c)};"
            for c in tracked
        )
        drop('audit_u_' + table)
        if updates:
            db.execute(f"CREATE TEMP TRIGGER {_quote('audit_u_' + table)} AFTER UPDATE ON main.{q} BEGIN {updates} END")
        deletes = " ".join(
            f"INSERT INTO audit_pending (tbl, row_id, case_id, op, field, old_value, label) "
            f"VALUES ('{t}', OLD.rowid, {old_case}, 'D', '{c}', {value('OLD', c)}, {old_label});"
            for c in tracked
        )
        drop('audit_d_' + table)
        if deletes:
            db.execute(f"CREATE TEMP TRIGGER {_quote('audit_d_' + table)} AFTER DELETE ON main.{q} BEGIN {deletes} END")


def defer_capture(db: sqlite_utils.Database) -> None:
    """At opening: the capture's triggers made just before this connection first begins to write (an outermost
    transaction, or a change outside one: store/database.py `before_write`), not at once; until then SQLite's
    authorizer refuses every change the triggers would capture (an added or removed row of a tracked table, a
    changed field but updated_at and last_login), so nothing can be written unrecorded. A search, a print or the
    window's opening, which write only the trail (connection.write_transaction's `trail_only`: the sign-in, each
    entry of Context.record), no longer pay for SQLite reading the ≈120 triggers' SQL (≈15 ms at every opening)."""
    from sqlcipher3 import SQLITE_DELETE, SQLITE_DENY, SQLITE_INSERT, SQLITE_OK, SQLITE_UPDATE

    tracked = frozenset(_tracked_tables(db))

    def guard(action: int, table: str | None, column: str | None, schema: str | None, _trigger: str | None) -> int:
        if schema == "main" and table in tracked and (
                action in (SQLITE_INSERT, SQLITE_DELETE) or (action == SQLITE_UPDATE and column not in _SKIP_COLUMNS)):
            return int(SQLITE_DENY)
        return int(SQLITE_OK)

    db.conn.set_authorizer(guard)
    db.before_write = lambda: install_capture(db)  # type: ignore[attr-defined]  # (which ends the deferral)


def has_capture(db: sqlite_utils.Database) -> bool:
    """Whether this connection's changes are captured: its triggers are there, or will be made before it first
    writes (defer_capture)."""
    return getattr(db, "before_write", None) is not None or _made(db)


def _made(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'audit_pending'").fetchone() is not None


@dataclass
class Actor:
    id: int | None
    username: str


def append(
    db: sqlite_utils.Database, at: dt.datetime, actor: Actor, event: str, *, operation: str = "",
    case_id: int | None = None, target: str = "", detail: dict[str, Any] | None = None, result: str = "ok",
    history: list[Change] | None = None,
) -> Entry:
    """Append one entry (and its record history) to the chain. Call inside a transaction."""
    head = db.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    last_id, last_hash = (int(head[0]), str(head[1])) if head else (0, "")
    changes = history or []
    entry = Entry(
        id=last_id + 1, at=at.isoformat(timespec="seconds"), actor_id=actor.id, actor=actor.username,
        event=event, operation=operation, case_id=case_id, target=target, detail=canonical(detail or {}),
        result=result, history_hash=history_hash(changes), prev_hash=last_hash or GENESIS,
    )
    entry.hash = entry.compute_hash()
    db.execute(
        f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [entry.id, entry.at, entry.actor_id, entry.actor, entry.event, entry.operation, entry.case_id,
         entry.target, entry.detail, entry.result, entry.history_hash, entry.prev_hash, entry.hash],
    )
    if changes:
        db.conn.executemany(
            "INSERT INTO record_history (audit_id, tbl, row_id, op, field, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(entry.id, c.tbl, c.row_id, c.op, c.field, c.old_value, c.new_value) for c in changes],
        )
    return entry


def _field_name(c: Change) -> str:
    if c.op == "I":
        return f"{c.tbl}+"
    if c.op == "D":
        return f"{c.tbl}-"
    return f"{c.tbl}.{c.field}"


def _dedupe_deletes(changes: list[Change]) -> list[str]:
    return sorted({_field_name(c) for c in changes})


def flush(db: sqlite_utils.Database, at: dt.datetime, actor: Actor, operation: str, *, event: str = "",
          extra: dict[str, Any] | None = None) -> list[Entry]:
    """Turn what the triggers collected during this action into audit entries. Call before commit.

    `event` replaces case.update / case.status for the cases the action changed (not those it created);
    `extra` is added to the detail of every entry (a correction's reason)."""
    if not _made(db):  # (deferred: nothing could be written since the opening, so nothing to record)
        return []
    if db.execute("SELECT 1 FROM temp.audit_pending LIMIT 1").fetchone() is None:
        return []
    entries: list[Entry] = []
    created = db.execute(
        "SELECT count(*), min(row_id), max(row_id) FROM temp.audit_pending WHERE tbl = 'cases' AND op = 'I'"
    ).fetchone()
    if created[0] > BULK_CASES:
        # demo data or an import: one entry for the lot (the steps a new case took within it too: it was made as it
        # ended); field changes of existing rows are still kept
        entries.append(append(db, at, actor, "case.create", operation=operation, target="cases",
                              detail={"count": created[0], "first_id": created[1], "last_id": created[2]}))
        db.execute("DELETE FROM temp.audit_pending WHERE case_id IN "
                   "(SELECT row_id FROM temp.audit_pending WHERE tbl = 'cases' AND op = 'I')")
        db.execute("DELETE FROM temp.audit_pending WHERE op = 'I'")
    rows = db.execute(
        "SELECT tbl, row_id, case_id, op, field, old_value, new_value, label FROM temp.audit_pending ORDER BY seq"
    ).fetchall()
    db.execute("DELETE FROM temp.audit_pending")
    by_case: dict[int, list[Change]] = defaultdict(list)
    others: dict[tuple[str, str], list[Change]] = defaultdict(list)
    people: list[Change] = []
    for tbl, row_id, case_id, op, field_, old, new, label in rows:
        c = Change(tbl, row_id, op, field_, old, new)
        if case_id is not None:
            by_case[case_id].append(c)
        elif tbl == "people":
            people.append(c)
        else:
            event = _TABLE_EVENTS.get(tbl, "data.change")
            if tbl == "accounts":
                target = f"account:{row_id}"
            elif label is not None:
                target = f"{tbl}:{label}" if tbl != "settings" else str(label)
            else:
                target = tbl
            others[(event, target)].append(c)
    if people and len(by_case) == 1:  # the people of the one case this action was about
        by_case[next(iter(by_case))].extend(people)
        people = []
    for case_id, changes in by_case.items():
        created_here = any(c.tbl == "cases" and c.op == "I" for c in changes)
        status = [c for c in changes if c.tbl == "cases" and c.op == "U" and c.field == "status"]
        detail: dict[str, Any] = {"fields": _dedupe_deletes(changes)}
        kind = db.execute("SELECT kind FROM cases WHERE id = ?", [case_id]).fetchone()
        if kind is not None:
            detail["kind"] = kind[0]
        if created_here:
            case_event = "case.create"
        elif status:
            case_event = event or "case.status"
            detail["from"], detail["to"] = status[0].old_value, status[-1].new_value
        else:
            case_event = event or "case.update"
        detail.update(extra or {})
        entries.append(append(db, at, actor, case_event, operation=operation, case_id=case_id, detail=detail,
                              history=changes))
    by_person: dict[int, list[Change]] = defaultdict(list)
    for c in people:
        by_person[c.row_id].append(c)
    if len(by_person) > 1:  # the people of several cases: one entry (the history keeps each row)
        entries.append(append(db, at, actor, "person.change", operation=operation, target="people",
                              detail={"fields": _dedupe_deletes(people), "count": len(by_person), **(extra or {})},
                              history=people))
        by_person.clear()
    for person_id, changes in by_person.items():
        entries.append(append(db, at, actor, "person.change", operation=operation, target=f"person:{person_id}",
                              detail={"fields": _dedupe_deletes(changes), **(extra or {})}, history=changes))
    for (other_event, target), changes in others.items():
        if other_event == "account.change":
            other_event = _account_event(changes)
        entries.append(append(db, at, actor, other_event, operation=operation, target=target,
                              detail={"fields": _dedupe_deletes(changes), **(extra or {})}, history=changes))
    return entries


def _account_event(changes: list[Change]) -> str:
    if any(c.op == "I" for c in changes):
        return "account.add"
    active = [c for c in changes if c.field == "active"]
    if active:
        return "account.enable" if active[-1].new_value else "account.disable"
    if any(c.field == "roles" for c in changes):
        return "account.roles"
    return "account.change"


def printed(db: sqlite_utils.Database, case_id: int, form: str = "", target: str = "") -> bool:
    """Whether a form of the case was ever printed (the trail records every print); with `form` only that
    form (e.g. "household", the 帮扶手册), with `target` only for that part of the case (e.g. "visit:12")."""
    sql = "SELECT 1 FROM audit WHERE case_id = ? AND event = 'case.print'"
    params: list[Any] = [case_id]
    if form:
        sql += " AND json_extract(detail, '$.form') = ?"
        params.append(form)
    if target:
        sql += " AND target = ?"
        params.append(target)
    return db.execute(sql + " LIMIT 1", params).fetchone() is not None


def last_status_entry(db: sqlite_utils.Database, case_id: int) -> Entry | None:
    """The case's last status change (case.status), or its undoing (case.undo) if that came last."""
    cols = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
    r = db.execute(
        f"SELECT {cols}, c.case_no, ac.display_name FROM audit a LEFT JOIN cases c ON c.id = a.case_id "
        "LEFT JOIN accounts ac ON ac.id = a.actor_id WHERE a.case_id = ? AND a.event IN ('case.status', 'case.undo') "
        "ORDER BY a.id DESC LIMIT 1",
        [case_id],
    ).fetchone()
    return _entry(r) if r else None


def last_entry_of(db: sqlite_utils.Database, case_id: int, operations: tuple[str, ...]) -> Entry | None:
    """The case's last entry made by one of `operations` (e.g. "police_contacts.record_visit")."""
    cols = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
    r = db.execute(
        f"SELECT {cols}, c.case_no, ac.display_name FROM audit a LEFT JOIN cases c ON c.id = a.case_id "
        "LEFT JOIN accounts ac ON ac.id = a.actor_id WHERE a.case_id = ? "
        f"AND a.operation IN ({','.join('?' * len(operations))}) ORDER BY a.id DESC LIMIT 1",
        [case_id, *operations],
    ).fetchone()
    return _entry(r) if r else None


def changed_after(db: sqlite_utils.Database, tbl: str, row_id: int, audit_id: int) -> bool:
    """Whether a row was changed (or removed) by an entry after `audit_id`."""
    return db.execute("SELECT 1 FROM record_history WHERE tbl = ? AND row_id = ? AND audit_id > ? LIMIT 1",
                      [tbl, row_id, audit_id]).fetchone() is not None


def take_out(db: sqlite_utils.Database, tbl: str, row_id: int) -> None:
    """Remove a row a recorded step added (undoing it; the removal is captured as usual)."""
    if tbl not in _tracked_tables(db):
        raise KeyError(tbl)
    db.execute(f"DELETE FROM main.{_quote(tbl)} WHERE rowid = ?", [row_id])


def cases_created_with(db: sqlite_utils.Database, e: Entry) -> list[int]:
    """Other cases the same action created (its entries share time, operation and account, and are written
    one after another)."""
    rows = db.execute(
        "SELECT case_id FROM audit WHERE event = 'case.create' AND at = ? AND operation = ? AND actor_id IS ? "
        "AND id BETWEEN ? AND ? AND case_id IS NOT NULL AND case_id <> ?",
        [e.at, e.operation, e.actor_id, e.id - BULK_CASES, e.id + BULK_CASES, e.case_id],
    ).fetchall()
    return [r[0] for r in rows]


def _checked_column(db: sqlite_utils.Database, tbl: str, field: str) -> None:
    if tbl not in _tracked_tables(db):
        raise KeyError(tbl)
    if field not in [r[1] for r in db.execute(f"PRAGMA main.table_info({_quote(tbl)})").fetchall()]:
        raise KeyError(field)


def value_now(db: sqlite_utils.Database, tbl: str, row_id: int, field: str) -> Any:
    """A field of a row as it is now (for undoing a recorded change); KeyError if the row is gone."""
    _checked_column(db, tbl, field)
    r = db.execute(f"SELECT {_quote(field)} FROM main.{_quote(tbl)} WHERE rowid = ?", [row_id]).fetchone()
    if r is None:
        raise KeyError(row_id)
    return r[0]


def put_back(db: sqlite_utils.Database, tbl: str, row_id: int, field: str, value: Any) -> None:
    """Give a field of a row the value a recorded change took from it (the change is captured as usual)."""
    _checked_column(db, tbl, field)
    db.execute(f"UPDATE main.{_quote(tbl)} SET {_quote(field)} = ? WHERE rowid = ?", [value, row_id])


def discard_pending(db: sqlite_utils.Database) -> None:
    if _made(db):
        db.execute("DELETE FROM temp.audit_pending")


def pause_added_rows(db: sqlite_utils.Database, keep: tuple[str, ...] = ("cases",)) -> None:
    """For a bulk load of more than BULK_CASES cases (demo data, an import), whose added rows end in one
    summary entry anyway: stop capturing added rows of every table but `keep` on this connection until
    `install_capture` runs again (call it before the load's transaction ends). Changed and removed rows
    are still captured. Inside a transaction that rolls back, the pause rolls back with it."""
    if not _made(db):
        return
    for table in _tracked_tables(db):
        if table not in keep:
            db.execute(f"DROP TRIGGER IF EXISTS temp.{_quote('audit_i_' + table)}")


# --- reading -------------------------------------------------------------------------------------


def _entry(r: tuple[Any, ...]) -> Entry:
    extra = list(r[13:15]) + [None, None]
    e = Entry(*r[:13])
    e.case_no, e.actor_name = extra[0] or "", extra[1] or ""
    return e


def entries(db: sqlite_utils.Database) -> Iterator[Entry]:
    cursor = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id")
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            return
        for r in batch:
            yield _entry(r)


def verify(db: sqlite_utils.Database) -> tuple[int, list[Problem]]:
    """(entries checked, problems found): edited, removed or re-ordered entries and history rows."""
    histories: dict[int, list[Change]] = defaultdict(list)
    for audit_id, tbl, row_id, op, field_, old, new in db.execute(
        "SELECT audit_id, tbl, row_id, op, field, old_value, new_value FROM record_history ORDER BY id"
    ).fetchall():
        histories[audit_id].append(Change(tbl, row_id, op, field_, old, new))
    hashes = {k: history_hash(v) for k, v in histories.items()}
    head = db.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    seen: list[int] = []

    def walk() -> Iterator[Entry]:
        for e in entries(db):
            seen.append(e.id)
            yield e

    problems = check_chain(walk(), hashes, (int(head[0]), str(head[1])) if head else (0, ""))
    known = set(seen)
    for audit_id in sorted(set(histories) - known):
        problems.append(Problem(audit_id, f"修改历史中有属于第{audit_id}条记录的内容，但这条记录不见了"))
    return len(seen), problems


@dataclass
class AuditFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor_id: int | None = None
    event: str = ""  # an event, or a prefix ending in "." (e.g. "case.")
    case_id: int | None = None
    result: str = ""


def _where(f: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.date_from:
        clauses.append("a.at >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append("a.at < ?")
        params.append((f.date_to + dt.timedelta(days=1)).isoformat())
    if f.actor_id is not None:
        clauses.append("a.actor_id = ?")
        params.append(f.actor_id)
    if f.event:
        if f.event.endswith("."):
            clauses.append("substr(a.event, 1, ?) = ?")
            params += [len(f.event), f.event]
        else:
            clauses.append("a.event = ?")
            params.append(f.event)
    if f.case_id is not None:
        clauses.append("a.case_id = ?")
        params.append(f.case_id)
    if f.result:
        clauses.append("a.result = ?")
        params.append(f.result)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(db: sqlite_utils.Database, f: AuditFilter) -> int:
    where, params = _where(f)
    return int(db.execute(f"SELECT count(*) FROM audit a{where}", params).fetchone()[0])


def page(db: sqlite_utils.Database, f: AuditFilter, limit: int = 200, offset: int = 0,
         newest_first: bool = True, *, after: int | None = None, before: int | None = None,
         from_end: bool = False) -> list[Entry]:
    """A page of the trail: at `offset` (from the end when `from_end`), or just after / before the entry with that
    id (one already shown), read on from the primary key (store/keyset.py)."""
    where, params = _where(f)
    cols = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
    order = keyset.Order((("a.id", newest_first),))
    rows = keyset.page(
        db, f"SELECT {cols}, c.case_no, ac.display_name FROM audit a LEFT JOIN cases c ON c.id = a.case_id "
        f"LEFT JOIN accounts ac ON ac.id = a.actor_id", where, params, order, limit, offset,
        after=(after,) if after is not None else None, before=(before,) if before is not None else None,
        from_end=from_end)
    return [_entry(r) for r in rows]


def history_of(db: sqlite_utils.Database, audit_id: int) -> list[Change]:
    return [
        Change(*r)
        for r in db.execute(
            "SELECT tbl, row_id, op, field, old_value, new_value FROM record_history WHERE audit_id = ? ORDER BY id",
            [audit_id],
        ).fetchall()
    ]


def detail_json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def head(db: sqlite_utils.Database) -> tuple[int, str]:
    """(the last entry's number, its hash) as the trail records its own end; (0, "") when empty."""
    row = db.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def hash_of(db: sqlite_utils.Database, entry_id: int) -> str | None:
    """The stored hash of entry `entry_id`, or None when there is no such entry."""
    row = db.execute("SELECT hash FROM audit WHERE id = ?", [entry_id]).fetchone()
    return str(row[0]) if row else None
