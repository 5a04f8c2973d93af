"""Exchange packages in SQL: the office setting, records as exchanged (by uuid, never by local row number),
what each other office is known to have, and writing a received record in.

A record as exchanged is a *unit*: a person (her people row and the attachments on her alone), or a case (its
cases row and every row of every table that belongs to it by case_id, found from the schema's foreign keys, so
a table added later travels too). Local row numbers never leave the database: a reference to another row is
written as that row's uuid, to a list entry (care list, organisation, mediator) as its name, to an attachment's
bytes as their SHA-256. The hash of a unit's canonical JSON tells whether two offices hold the same version.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.office import COUNTY, TOWNSHIP, Office
from . import search, stamps
from . import settings as settings_store

if TYPE_CHECKING:
    import sqlite_utils

PERSON = "person"
CASE = "case"
# referenced by name, never exchanged as records of their own
REF_TABLES = {"care_lists": "name", "organisations": "name", "mediators": "name"}
# columns that are this database's own: the row number, the case's place in this office's numbering
_LOCAL = {"id", "seq"}


def office(db: sqlite_utils.Database) -> Office:
    level = settings_store.get(db, "office_level") or COUNTY
    county = settings_store.get(db, "office_county") or ""
    township = settings_store.get(db, "office_township") or ""
    return Office(level if level in (COUNTY, TOWNSHIP) else COUNTY, county, township if level == TOWNSHIP else "")


def put_office(db: sqlite_utils.Database, o: Office) -> None:
    settings_store.put(db, "office_level", o.level)
    settings_store.put(db, "office_county", o.county)
    settings_store.put(db, "office_township", o.township)


def new_uuid() -> str:
    return secrets.token_hex(16)


@dataclass
class Table:
    name: str
    columns: list[str]
    fks: dict[str, str]  # column → referenced table
    owner: str = ""  # the column naming the case (or person) the row belongs to
    has_uuid: bool = False
    single: bool = False  # one row per case (petitions, households …)
    self_refs: list[str] = field(default_factory=list)


@dataclass
class Schema:
    tables: dict[str, Table]
    case_children: list[str]  # in an order where a table comes after those its rows refer to

    @property
    def uuid_tables(self) -> list[str]:
        return [t for t, info in self.tables.items() if info.has_uuid]


def schema(db: sqlite_utils.Database) -> Schema:
    tables: dict[str, Table] = {}
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
    for name in names:
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        if not info:
            continue
        cols = [str(r[1]) for r in info]
        pk = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
        fks = {str(r[3]): str(r[2]) for r in db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()}
        t = Table(name, cols, fks, has_uuid="uuid" in cols and "id" in cols and not name.startswith("exchange_"))
        if name != "cases":
            if fks.get("case_id") == "cases":
                t.owner = "case_id"
            else:
                t.owner = next((c for c in pk if fks.get(c) == "cases"), "")
        t.single = pk == [t.owner] and bool(t.owner)
        t.self_refs = [c for c, target in fks.items() if target == name]
        tables[name] = t
    children = [n for n, t in tables.items() if t.owner]
    ordered: list[str] = []
    while children:
        for n in sorted(children):
            deps = {tables[n].fks[c] for c in tables[n].fks} - {n}
            if not deps & set(children):
                ordered.append(n)
                children.remove(n)
                break
        else:  # a cycle: take them as they are
            ordered += sorted(children)
            break
    return Schema(tables, ordered)


def fill_uuids(db: sqlite_utils.Database, sch: Schema) -> None:
    """Rows added since the last exchange get their identity now."""
    for t in sch.uuid_tables:
        db.execute(f'UPDATE "{t}" SET uuid = lower(hex(randomblob(16))) WHERE uuid IS NULL')


# --- reading units ------------------------------------------------------------------------------------------


class Reader:
    """Reads units as the other office `peer` knows them (a person merged here carries its uuid there)."""

    def __init__(self, db: sqlite_utils.Database, sch: Schema, peer: str) -> None:
        self.db, self.sch, self.peer = db, sch, peer
        self.uuid_of: dict[str, dict[int, str]] = {}
        for t in sch.uuid_tables:
            self.uuid_of[t] = {int(i): str(u) for i, u in db.execute(f'SELECT id, uuid FROM "{t}"').fetchall()}
        theirs = {str(o): str(t) for t, o in db.execute(
            "SELECT theirs, ours FROM exchange_alias WHERE peer = ?", [peer]).fetchall()}
        self.uuid_of["people"] = {i: theirs.get(u, u) for i, u in self.uuid_of["people"].items()}
        self.names: dict[str, dict[int, str]] = {}
        for t, col in REF_TABLES.items():
            if t in sch.tables:
                self.names[t] = {int(i): str(n) for i, n in db.execute(f'SELECT id, "{col}" FROM "{t}"').fetchall()}
        self.refs_used: dict[str, set[str]] = {}
        self.content_used: set[str] = set()

    def _clean(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        t = self.sch.tables[table]
        out: dict[str, Any] = {}
        for c, v in row.items():
            if c in _LOCAL or c == t.owner:
                continue
            target = t.fks.get(c)
            if target is not None and v is not None:
                if target in self.uuid_of:
                    v = self.uuid_of[target].get(int(v))
                elif target in self.names:
                    v = self.names[target].get(int(v))
                    if v is not None:
                        self.refs_used.setdefault(target, set()).add(v)
                elif target == "attachment_content":
                    self.content_used.add(str(v))
            elif (table, c) in stamps.COLUMNS and isinstance(v, int):
                v = stamps.as_text(v)  # packages and hashes keep the time as text, as before 0038
            out[c] = v
        return out

    def _rows(self, table: str, where: str, args: list[Any]) -> Iterable[dict[str, Any]]:
        cur = self.db.execute(f'SELECT * FROM "{table}" WHERE {where}', args)
        cols = [d[0] for d in cur.description]
        for r in cur.fetchall():
            yield dict(zip(cols, r, strict=True))

    def cases(self, where: str = "1", args: list[Any] | None = None) -> dict[str, dict[str, Any]]:
        """Case units by uuid (every table of theirs read once, not once a case)."""
        units: dict[int, dict[str, Any]] = {}
        for row in self._rows("cases", where, args or []):
            units[int(row["id"])] = {"unit": CASE, "uuid": row["uuid"], "row": self._clean("cases", row),
                                     "tables": {}}
        if not units:
            return {}
        for table in self.sch.case_children:
            t = self.sch.tables[table]
            for row in self._rows(table, f'"{t.owner}" IS NOT NULL', []):
                u = units.get(int(row[t.owner]))
                if u is not None:
                    u["tables"].setdefault(table, []).append(self._clean(table, row))
        for u in units.values():
            for rows in u["tables"].values():
                rows.sort(key=lambda r: r.get("uuid") or json.dumps(r, sort_keys=True, ensure_ascii=False))
        return {str(u["uuid"]): u for u in units.values()}

    def people(self, ids: Iterable[int] | None = None) -> dict[str, dict[str, Any]]:
        if ids is None:
            rows = list(self._rows("people", "1", []))
        else:
            wanted = sorted(set(ids))
            rows = []
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                rows += self._rows("people", f"id IN ({','.join('?' * len(part))})", list(part))
        out: dict[str, dict[str, Any]] = {}
        own: dict[int, dict[str, Any]] = {}
        for row in rows:
            uuid = self.uuid_of["people"][int(row["id"])]
            clean = self._clean("people", row)
            clean["uuid"] = uuid
            own[int(row["id"])] = out[uuid] = {"unit": PERSON, "uuid": uuid, "row": clean, "tables": {}}
        if own and "attachments" in self.sch.tables:
            for row in self._rows("attachments", "case_id IS NULL AND person_id IS NOT NULL", []):
                u = own.get(int(row["person_id"]))
                if u is not None:
                    u["tables"].setdefault("attachments", []).append(self._clean("attachments", row))
            for u in out.values():
                for rows in u["tables"].values():
                    rows.sort(key=lambda r: str(r.get("uuid")))
        return out

    def people_of(self, units: Iterable[dict[str, Any]]) -> set[str]:
        """The uuids of the people the units name."""
        found: set[str] = set()
        for u in units:
            for table, rows in [("cases", [u["row"]]), *u["tables"].items()]:
                t = self.sch.tables.get(table)
                if t is None:
                    continue
                for c, target in t.fks.items():
                    if target == "people":
                        found.update(str(r[c]) for r in rows if r.get(c))
        return found


def unit_hash(unit: dict[str, Any]) -> str:
    raw = json.dumps(unit, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def content(db: sqlite_utils.Database, shas: Iterable[str]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for sha in shas:
        r = db.execute("SELECT data FROM attachment_content WHERE sha256 = ?", [sha]).fetchone()
        if r is not None:
            out[sha] = bytes(r[0])
    return out


def ref_rows(db: sqlite_utils.Database, used: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for table, names in used.items():
        col = REF_TABLES[table]
        for n in sorted(names):
            cur = db.execute(f'SELECT * FROM "{table}" WHERE "{col}" = ?', [n])
            cols = [d[0] for d in cur.description]
            r = cur.fetchone()
            if r is not None:
                out.setdefault(table, []).append({c: v for c, v in zip(cols, r, strict=True) if c != "id"})
    return out


# --- what both offices have ---------------------------------------------------------------------------------


def known(db: sqlite_utils.Database, peer: str) -> dict[str, str]:
    return {str(u): str(h) for u, h in db.execute(
        "SELECT uuid, hash FROM exchange_known WHERE peer = ?", [peer]).fetchall()}


def set_known(db: sqlite_utils.Database, peer: str, pairs: Iterable[tuple[str, str]]) -> None:
    db.conn.executemany("INSERT INTO exchange_known (peer, uuid, hash) VALUES (?, ?, ?) "
                   "ON CONFLICT (peer, uuid) DO UPDATE SET hash = excluded.hash",
                   [(peer, u, h) for u, h in pairs])


def add_alias(db: sqlite_utils.Database, peer: str, theirs: str, ours: str) -> None:
    db.execute("INSERT OR REPLACE INTO exchange_alias (peer, theirs, ours) VALUES (?, ?, ?)", [peer, theirs, ours])


def package_seen(db: sqlite_utils.Database, package_id: str) -> dict[str, Any] | None:
    cur = db.execute("SELECT * FROM exchange_packages WHERE id = ?", [package_id])
    cols = [d[0] for d in cur.description]
    r = cur.fetchone()
    return dict(zip(cols, r, strict=True)) if r else None


def record_package(db: sqlite_utils.Database, package_id: str, peer: str, direction: str, at: str, staff: str,
                   records: int) -> None:
    db.execute("INSERT INTO exchange_packages (id, peer, direction, at, staff, records) VALUES (?, ?, ?, ?, ?, ?)",
               [package_id, peer, direction, at, staff, records])


def acknowledge(db: sqlite_utils.Database, package_id: str, at: str) -> None:
    db.execute("UPDATE exchange_packages SET acknowledged_at = ? WHERE id = ?", [at, package_id])


def townships(db: sqlite_utils.Database) -> list[str]:
    return [str(r[0]) for r in db.execute(
        "SELECT value FROM lists WHERE list = 'township' AND parent = '' ORDER BY position, id").fetchall()]


def add_township(db: sqlite_utils.Database, name: str) -> None:
    if name not in townships(db):
        db.execute("INSERT INTO lists (list, parent, value, position) VALUES ('township', '', ?, "
                   "(SELECT coalesce(max(position), 0) + 1 FROM lists WHERE list = 'township'))", [name])


# --- writing a received unit in -----------------------------------------------------------------------------


class Writer:
    """Writes units received from `peer` into this database (inside the caller's transaction)."""

    def __init__(self, db: sqlite_utils.Database, sch: Schema, peer: str,
                 refs: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.db, self.sch, self.peer = db, sch, peer
        self.refs = refs or {}
        self.alias = {str(t): str(o) for t, o in db.execute(
            "SELECT theirs, ours FROM exchange_alias WHERE peer = ?", [peer]).fetchall()}
        self._required: dict[str, set[str]] = {}

    def local_id(self, table: str, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        if table == "people":
            uuid = self.alias.get(uuid, uuid)
        r = self.db.execute(f'SELECT id FROM "{table}" WHERE uuid = ?', [uuid]).fetchone()
        return int(r[0]) if r else None

    def _ref_id(self, table: str, name: str) -> int:
        col = REF_TABLES[table]
        r = self.db.execute(f'SELECT id FROM "{table}" WHERE "{col}" = ?', [name]).fetchone()
        if r:
            return int(r[0])
        given = next((x for x in self.refs.get(table, []) if x.get(col) == name), {col: name})
        cols = [c for c in given if c in self.sch.tables[table].columns]
        cur = self.db.execute(f'INSERT INTO "{table}" ({",".join(cols)}) VALUES ({",".join("?" * len(cols))})',
                              [given[c] for c in cols])
        return int(cur.lastrowid or 0)

    def _local_row(self, table: str, row: dict[str, Any], skip: Iterable[str] = ()) -> dict[str, Any] | None:
        """The row with references turned into this database's row numbers; None when it names a case that
        is not here and cannot be left empty."""
        t = self.sch.tables[table]
        out: dict[str, Any] = {}
        for c, v in row.items():
            if c not in t.columns or c in skip:
                continue
            target = t.fks.get(c)
            if target is not None and v is not None:
                if target in REF_TABLES:
                    v = self._ref_id(target, str(v))
                elif target != "attachment_content":
                    v = self.local_id(target, str(v))
                    if v is None and target == "cases" and c in self._not_null(table):
                        return None
            elif (table, c) in stamps.COLUMNS and isinstance(v, str):
                v = stamps.from_text(v)
            out[c] = v
        return out

    def _not_null(self, table: str) -> set[str]:
        if table not in self._required:
            self._required[table] = {str(r[1]) for r in self.db.execute(f'PRAGMA table_info("{table}")').fetchall()
                                     if r[3] or r[5]}
        return self._required[table]

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        cols = list(row)
        names = ",".join(f'"{c}"' for c in cols)
        cur = self.db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({",".join("?" * len(cols))})',
                              [row[c] for c in cols])
        return int(cur.lastrowid or 0)

    def _update(self, table: str, row: dict[str, Any], where: str, args: list[Any]) -> None:
        if row:
            sets = ", ".join(f'"{c}" = ?' for c in row)
            self.db.execute(f'UPDATE "{table}" SET {sets} WHERE {where}', [*row.values(), *args])

    def content(self, data: dict[str, bytes]) -> None:
        for sha, raw in data.items():
            self.db.execute("INSERT OR IGNORE INTO attachment_content (sha256, size, data) VALUES (?, ?, ?)",
                            [sha, len(raw), raw])

    def person(self, unit: dict[str, Any], ours: str | None = None) -> int:
        """Write her row (as received); `ours` is the uuid of the person here she was found to be."""
        row = dict(unit["row"])
        theirs = str(unit["uuid"])
        if ours is not None and ours != theirs:
            add_alias(self.db, self.peer, theirs, ours)
            self.alias[theirs] = ours
        local = self.local_id("people", theirs)
        row["uuid"] = self.alias.get(theirs, theirs)
        if local is None:
            local = self._insert("people", self._local_row("people", row) or {})
        else:
            self._update("people", self._local_row("people", row) or {}, "id = ?", [local])
        self._children(local, unit, "person_id", owner_filter="case_id IS NULL AND person_id = ?")
        return local

    def case_row(self, unit: dict[str, Any]) -> int:
        row = self._local_row("cases", {**unit["row"], "uuid": unit["uuid"]}) or {}
        local = self.local_id("cases", str(unit["uuid"]))
        if local is None:
            row["seq"] = -secrets.randbelow(1 << 40) - 1
            local = self._insert("cases", row)
            # a case from another office takes no number of this office's own: its place is its row number
            self.db.execute("UPDATE cases SET seq = ? WHERE id = ?", [-local, local])
        else:
            self._update("cases", row, "id = ?", [local])
        return local

    def case_children(self, case_id: int, unit: dict[str, Any], keep_ours: bool = False, fresh: bool = False) -> None:
        """`fresh`: the case is new here, so none of its rows are: written without looking for them first (a
        year's package is mostly new cases: a query per table and row saved)."""
        self._children(case_id, unit, None, keep_ours=keep_ours, fresh=fresh)
        search.reindex(self.db, case_id)

    def _children(self, owner_id: int, unit: dict[str, Any], owner_col: str | None, keep_ours: bool = False,
                  owner_filter: str = "", fresh: bool = False) -> None:
        tables = ["attachments"] if owner_col else self.sch.case_children
        given: dict[str, list[dict[str, Any]]] = unit["tables"]
        if not keep_ours and not fresh:  # rows the other office no longer has go (latest tables first)
            for table in reversed(tables):
                t = self.sch.tables.get(table)
                if t is None:
                    continue
                col = owner_col or t.owner
                where = owner_filter or f'"{col}" = ?'
                if t.has_uuid:
                    keep = [str(r["uuid"]) for r in given.get(table, [])]
                    rows = self.db.execute(f'SELECT id, uuid FROM "{table}" WHERE {where}', [owner_id]).fetchall()
                    gone = [int(i) for i, u in rows if u not in keep]
                    for i in gone:
                        self.db.execute(f'DELETE FROM "{table}" WHERE id = ?', [i])
                else:
                    self.db.execute(f'DELETE FROM "{table}" WHERE {where}', [owner_id])
        for table in tables:
            t = self.sch.tables.get(table)
            if t is None:
                continue
            col = owner_col or t.owner
            later: list[tuple[int, dict[str, Any]]] = []
            for r in given.get(table, []):
                row = self._local_row(table, r, skip=t.self_refs)
                if row is None:
                    continue
                row[col] = owner_id
                if t.has_uuid:
                    local = None if fresh else self.local_id(table, str(r["uuid"]))
                    if local is None:
                        local = self._insert(table, row)
                    else:
                        self._update(table, row, "id = ?", [local])
                    if t.self_refs:
                        later.append((local, r))
                else:
                    if keep_ours:
                        keys = [c for c in row if c in self._pk(table)]
                        self.db.execute(f'DELETE FROM "{table}" WHERE ' + " AND ".join(f'"{c}" = ?' for c in keys),
                                        [row[c] for c in keys])
                    self._insert(table, row)
            for local, r in later:
                self._update(table, {c: self.local_id(table, r.get(c)) for c in t.self_refs}, "id = ?", [local])

    def _pk(self, table: str) -> set[str]:
        return {str(r[1]) for r in self.db.execute(f'PRAGMA table_info("{table}")').fetchall() if r[5]}


def case_ids_for_township(db: sqlite_utils.Database, township: str) -> list[int]:
    return [int(r[0]) for r in db.execute("SELECT id FROM cases WHERE township = ?", [township]).fetchall()]


def person_ids(db: sqlite_utils.Database, uuids: Iterable[str], peer: str) -> list[int]:
    alias = {str(t): str(o) for t, o in db.execute(
        "SELECT theirs, ours FROM exchange_alias WHERE peer = ?", [peer]).fetchall()}
    out = []
    for u in uuids:
        r = db.execute("SELECT id FROM people WHERE uuid = ?", [alias.get(u, u)]).fetchone()
        if r:
            out.append(int(r[0]))
    return out


def people_matching(db: sqlite_utils.Database, row: dict[str, Any]) -> tuple[str, str] | None:
    """(how, uuid) of a person here who may be her: by ID number, or by name and phone."""
    idn = str(row.get("id_number") or "")
    if idn:
        r = db.execute("SELECT uuid FROM people WHERE id_number = ?", [idn]).fetchone()
        if r:
            return "id_number", str(r[0])
    name, phone = str(row.get("name") or ""), str(row.get("phone") or "")
    if name and phone:
        r = db.execute("SELECT uuid FROM people WHERE name = ? AND phone = ?", [name, phone]).fetchone()
        if r:
            return "name_phone", str(r[0])
    return None


Progress = Callable[[str], None]
