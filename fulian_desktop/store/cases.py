"""The one case model shared by all kinds: numbering, people, links, timeline, list fields."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.case_rows import TimelineEntry
from ..domain.dates import from_iso, to_iso
from ..domain.kinds import kind_label
from ..domain.numbering import format_case_no
from ..domain.supervision import Supervision
from . import stamps

if TYPE_CHECKING:
    import sqlite_utils


def of_township(column: str, township: str = "?") -> str:
    """SQL: the row's `column` names a case of the township given as the parameter `township` (its 乡镇; '' for
    the cases with none) — how the figures of one township keep its cases' records and no others. A condition
    checked on the rows the query reads by their dates (the unary +: SQLite would otherwise read the township's
    cases of every year, one by one, and their rows)."""
    return f"+{column} IN (SELECT id FROM cases WHERE township = {township})"


def township_rows(township: str | None, column: str = "case_id") -> tuple[str, list[str]]:
    """What a query's WHERE adds to keep the rows of one township's cases (`of_township`) and its parameter; nothing
    when `township` is None (every row)."""
    return ("", []) if township is None else (f" AND {of_township(column)}", [township])


def next_case_no(db: sqlite_utils.Database, kind: str, year: int, service: str = "") -> tuple[str, int]:
    """Take the next number for (kind, year) (a referral's `service` chooses its prefix, numbering.format_case_no).
    Call inside the action's transaction."""
    db.execute(
        """INSERT INTO case_counters (kind, year, last_seq) VALUES (?, ?, 1)
           ON CONFLICT (kind, year) DO UPDATE SET last_seq = last_seq + 1""",
        [kind, year],
    )
    seq = int(
        db.execute("SELECT last_seq FROM case_counters WHERE kind = ? AND year = ?", [kind, year]).fetchone()[0]
    )
    from .exchange import office  # a township's numbers carry its name

    return format_case_no(kind, year, seq, office(db).mark, service), seq


def insert_case(
    db: sqlite_utils.Database,
    *,
    kind: str,
    received_on: dt.date,
    status: str,
    person_id: int | None,
    names: str,
    now: dt.datetime,
    service: str = "",
    **fields: Any,
) -> tuple[int, str]:
    """A new case and its number; `service` is a referral's (it is kept in referrals; here it chooses the prefix)."""
    case_no, seq = next_case_no(db, kind, received_on.year, service)
    stamp = now.isoformat(timespec="seconds")
    row = {
        "kind": kind, "case_no": case_no, "year": received_on.year, "seq": seq, "status": status,
        "received_on": to_iso(received_on), "person_id": person_id, "names": names,
        "created_at": stamp, "updated_at": stamp, **fields,
    }
    case_id = _pk(db.table("cases").insert(row).last_pk)
    return case_id, case_no


def update_case(db: sqlite_utils.Database, case_id: int, now: dt.datetime, **fields: Any) -> None:
    fields["updated_at"] = now.isoformat(timespec="seconds")
    db.table("cases").update(case_id, fields)


def changed_columns(db: sqlite_utils.Database, case_id: int, wanted: dict[str, Any]) -> dict[str, Any]:
    """Of the columns of the case's row (list names, summary, place, dates …) and the values a correction wants
    them to hold, those that differ from what the row holds now: a correction writes only these."""
    now_held = db.execute(f"SELECT {', '.join(wanted)} FROM cases WHERE id = ?", [case_id]).fetchone()
    return {k: v for (k, v), held in zip(wanted.items(), now_held, strict=True) if v != held}


def set_deadline(
    db: sqlite_utils.Database, case_id: int, due_on: dt.date | None, label: str, is_open: bool
) -> None:
    db.execute(
        "UPDATE cases SET due_on = ?, due_label = ?, is_open = ? WHERE id = ?",
        [to_iso(due_on), label, int(is_open), case_id],
    )


def add_person(db: sqlite_utils.Database, case_id: int, person_id: int, role: str, position: int = 0) -> None:
    db.execute(
        "INSERT OR IGNORE INTO case_people (case_id, person_id, role, position) VALUES (?, ?, ?, ?)",
        [case_id, person_id, role, position],
    )


def replace_person(db: sqlite_utils.Database, case_id: int, role: str, old_id: int, new_id: int) -> None:
    """The case names another person in this role (a correction: she was someone already on file)."""
    db.execute("UPDATE case_people SET person_id = ?, address = NULL, marital_status = NULL "
               "WHERE case_id = ? AND person_id = ? AND role = ?", [new_id, case_id, old_id, role])


def remove_person(db: sqlite_utils.Database, case_id: int, person_id: int, role: str) -> None:
    db.execute("DELETE FROM case_people WHERE case_id = ? AND person_id = ? AND role = ?", [case_id, person_id, role])


def people_of(db: sqlite_utils.Database, case_id: int) -> list[tuple[int, str]]:
    """(person id, role) in the order they were added."""
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT person_id, role FROM case_people WHERE case_id = ? ORDER BY position, rowid", [case_id]
        ).fetchall()
    ]


def link(db: sqlite_utils.Database, from_case: int, to_case: int, relation: str = "") -> None:
    db.execute(
        "INSERT OR IGNORE INTO case_links (from_case, to_case, relation) VALUES (?, ?, ?)",
        [from_case, to_case, relation],
    )


def links_of(db: sqlite_utils.Database, case_id: int) -> list[tuple[int, str, str]]:
    """Cases linked either way: (id, case number, kind)."""
    return [
        (r[0], r[1], r[2])
        for r in db.execute(
            """SELECT c.id, c.case_no, c.kind FROM cases c WHERE c.id IN (
                   SELECT to_case FROM case_links WHERE from_case = ?
                   UNION SELECT from_case FROM case_links WHERE to_case = ?)
               ORDER BY c.id""",
            [case_id, case_id],
        ).fetchall()
    ]


def kind_labels(db: sqlite_utils.Database, case_ids: list[int]) -> dict[int, str]:
    """Each case's kind as lists show it, a referral naming its service (法律援助转介, 转介（庇护所/救助管理站）)."""
    marks = ",".join("?" * len(case_ids))
    rows = db.execute(f"""SELECT c.id, c.kind, COALESCE(r.service, '') FROM cases c
                          LEFT JOIN referrals r ON r.case_id = c.id WHERE c.id IN ({marks})""", case_ids).fetchall()
    return {int(i): kind_label(str(kind), str(service)) for i, kind, service in rows}


def add_timeline(
    db: sqlite_utils.Database, case_id: int, at: dt.datetime, staff: str, action: str, note: str = ""
) -> None:
    db.table("timeline").insert(
        {"case_id": case_id, "at": stamps.to_stored(at), "staff": staff, "action": action, "note": note}
    )


def add_note(db: sqlite_utils.Database, case_id: int, at: dt.datetime, staff: str, text: str) -> None:
    """A 备注 in the case's timeline (domain.kinds.note_text), and the case's last change time."""
    update_case(db, case_id, at)
    add_timeline(db, case_id, at, staff, "备注", text)


def timeline_of(db: sqlite_utils.Database, case_id: int) -> list[TimelineEntry]:
    return [
        TimelineEntry(at=stamps.from_stored(r[0]), staff=r[1], action=r[2], note=r[3])
        for r in db.execute(
            "SELECT at, staff, action, note FROM timeline WHERE case_id = ? ORDER BY at, id", [case_id]
        ).fetchall()
    ]


def case_header(db: sqlite_utils.Database, case_id: int) -> dict[str, Any] | None:
    r = db.execute(
        "SELECT id, kind, case_no, status, received_on, created_at FROM cases WHERE id = ?", [case_id]
    ).fetchone()
    if r is None:
        return None
    return {"id": r[0], "kind": r[1], "case_no": r[2], "status": r[3], "received_on": from_iso(r[4]),
            "created_at": dt.datetime.fromisoformat(r[5])}


def id_by_case_no(db: sqlite_utils.Database, case_no: str) -> int | None:
    r = db.execute("SELECT id FROM cases WHERE case_no = ?", [case_no]).fetchone()
    return int(r[0]) if r else None


def _pk(value: object) -> int:
    assert isinstance(value, int), "insert returned no row id"
    return value


def set_supervision(db: sqlite_utils.Database, case_id: int, on: dt.date | None, note: str, by: str) -> None:
    """督办 marked (`on` a date) or lifted (None)."""
    db.execute("UPDATE cases SET supervised_on = ?, supervised_note = ?, supervised_by = ? WHERE id = ?",
               [to_iso(on), note, by, case_id])


def supervision_of(db: sqlite_utils.Database, case_id: int) -> Supervision | None:
    r = db.execute("SELECT supervised_on, supervised_note, supervised_by FROM cases WHERE id = ?", [case_id]).fetchone()
    if r is None or r[0] is None:
        return None
    return Supervision(from_iso(r[0]), str(r[1]), str(r[2]))  # type: ignore[arg-type]
