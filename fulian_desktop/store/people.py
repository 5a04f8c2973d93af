"""People: one record per person, shared by every case she appears in."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.names import pinyin_initials
from ..domain.records import Person

if TYPE_CHECKING:
    import sqlite_utils

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


# Details a case may keep as they were at its time (case_people columns; NULL: as on her record)
THEN_FIELDS = ("address", "marital_status")


def then_of(db: sqlite_utils.Database, case_id: int, person_id: int) -> dict[str, str]:
    """The details this case keeps for her as they were then (only those it keeps)."""
    row = db.execute(
        "SELECT max(address), max(marital_status) FROM case_people WHERE case_id = ? AND person_id = ?",
        [case_id, person_id],
    ).fetchone()
    return {f: v for f, v in zip(THEN_FIELDS, row or (), strict=False) if v is not None}


def in_case(db: sqlite_utils.Database, person_id: int, case_id: int) -> Person:
    """The person as a case shows her: her record, with what the case keeps as it was then."""
    p = get(db, person_id)
    for f, v in then_of(db, case_id, person_id).items():
        setattr(p, f, v)
    return p


def set_then(db: sqlite_utils.Database, case_id: int, person_id: int, field: str, value: str | None) -> None:
    """Keep `field` (住址 or 婚姻状况) for this case as `value`; None: show her record's again."""
    assert field in THEN_FIELDS
    db.execute(f"UPDATE case_people SET {field} = ? WHERE case_id = ? AND person_id = ?", [value, case_id, person_id])


def update_fields(db: sqlite_utils.Database, person_id: int, fields: dict[str, Any], now: dt.datetime) -> None:
    """Write these fields of her record as given (a correction: an emptied field is emptied)."""
    values = {k: (to_iso(v) if isinstance(v, dt.date) else v) for k, v in fields.items()}
    if "name" in values:
        values["pinyin"] = pinyin_initials(values["name"])
    values["updated_at"] = now.isoformat(timespec="seconds")
    db.table("people").update(person_id, values)


def later_cases(db: sqlite_utils.Database, person_id: int, case_id: int) -> int:
    """How many of her other cases were received after this one (same day: registered after it)."""
    return int(db.execute(
        """SELECT count(DISTINCT c.id) FROM case_people cp JOIN cases c ON c.id = cp.case_id
           JOIN cases this ON this.id = ?
           WHERE cp.person_id = ? AND c.id <> this.id
             AND (c.received_on > this.received_on OR (c.received_on = this.received_on AND c.id > this.id))""",
        [case_id, person_id],
    ).fetchone()[0])


def case_ids_of(db: sqlite_utils.Database, person_id: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT case_id FROM case_people WHERE person_id = ? ORDER BY case_id", [person_id]).fetchall()]


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
