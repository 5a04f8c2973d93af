"""People: one record per person, shared by every case she appears in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from ..domain.dates import from_iso, to_iso
from ..domain.names import pinyin_initials
from ..domain.records import Person

_COLUMNS = "id, name, sex, ethnicity, birth_date, id_number, phone, address, marital_status"


def _row_to_person(r: tuple[Any, ...]) -> Person:
    return Person(
        id=r[0], name=r[1], sex=r[2], ethnicity=r[3], birth_date=from_iso(r[4]),
        id_number=r[5], phone=r[6], address=r[7], marital_status=r[8],
    )


def get(db: sqlite_utils.Database, person_id: int) -> Person:
    row = db.execute(f"SELECT {_COLUMNS} FROM people WHERE id = ?", [person_id]).fetchone()
    if row is None:
        raise KeyError(person_id)
    return _row_to_person(row)


def save(db: sqlite_utils.Database, p: Person, now: dt.datetime) -> int:
    """Insert a new person, or update the one with `p.id` (empty fields never erase known ones)."""
    values = {
        "name": p.name, "sex": p.sex, "ethnicity": p.ethnicity, "birth_date": to_iso(p.birth_date),
        "id_number": p.id_number, "phone": p.phone, "address": p.address,
        "marital_status": p.marital_status, "pinyin": pinyin_initials(p.name),
        "updated_at": now.isoformat(timespec="seconds"),
    }
    if p.id is None:
        values["created_at"] = values["updated_at"]
        return _pk(db.table("people").insert(values).last_pk)
    known = get(db, p.id)
    update = {k: v for k, v in values.items() if v not in ("", None)}
    if not p.birth_date and known.birth_date:
        update.pop("birth_date", None)
    db.table("people").update(p.id, update)
    return p.id


def attach_or_add(db: sqlite_utils.Database, p: Person, now: dt.datetime) -> int:
    """The person a case names: the one chosen on file (p.id), else the one with the same ID number
    (same number, same person), else a new record. Returns the person's id."""
    if p.id is None and p.id_number:
        known = find_by_id_number(db, p.id_number)
        if known is not None:
            p.id = known.id
    return save(db, p, now)


def find_by_id_number(db: sqlite_utils.Database, id_number: str) -> Person | None:
    # "id_number <> ''" lets SQLite use the partial index people_id_number
    row = db.execute(f"SELECT {_COLUMNS} FROM people WHERE id_number = ? AND id_number <> ''", [id_number]).fetchone()
    return _row_to_person(row) if row else None


def matches(db: sqlite_utils.Database, name: str, id_number: str, phone: str, limit: int = 10) -> list[Person]:
    """People already on file with the same ID number, phone or name (ID number first)."""
    found: dict[int, Person] = {}
    queries = []
    if id_number:
        queries.append(("id_number = ? AND id_number <> ''", id_number))
    if phone:
        queries.append(("phone = ? AND phone <> ''", phone))
    if name:
        queries.append(("name = ?", name))
    for where, value in queries:
        for r in db.execute(f"SELECT {_COLUMNS} FROM people WHERE {where} LIMIT ?", [value, limit]).fetchall():
            found.setdefault(r[0], _row_to_person(r))
    return list(found.values())[:limit]


def cases_of(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """The person's cases, newest first, with her role in each."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.kind, c.status, c.received_on, c.category, c.summary, cp.role
           FROM case_people cp JOIN cases c ON c.id = cp.case_id
           WHERE cp.person_id = ? ORDER BY c.received_on DESC, c.id DESC""",
        [person_id],
    ).fetchall()
    keys = ("id", "case_no", "kind", "status", "received_on", "category", "summary", "role")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _pk(value: object) -> int:
    assert isinstance(value, int), "insert returned no row id"
    return value
