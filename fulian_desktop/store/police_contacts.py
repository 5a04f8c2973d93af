"""告诫书 / 报警回执 received and the follow-up visits (查访) after them (tables police_contacts, police_follow_ups)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.dates import from_iso, to_iso
from ..domain.police_contact import FollowUp, PoliceContact
from .cases import township_rows

if TYPE_CHECKING:
    import sqlite_utils

_CONTACT = "id, case_id, kind, station, issued_on, number, note, staff"
_FOLLOW = "id, case_id, contact_id, due_on, with_whom, done_on, finding, staff"


def add_contact(db: sqlite_utils.Database, case_id: int, c: PoliceContact, now: dt.datetime) -> int:
    row = db.table("police_contacts").insert({
        "case_id": case_id, "kind": c.kind, "station": c.station, "issued_on": to_iso(c.issued_on),
        "number": c.number, "note": c.note, "staff": c.staff, "created_at": now.isoformat(timespec="seconds")})
    assert isinstance(row.last_pk, int)
    return row.last_pk


def _contact(r: tuple[object, ...]) -> PoliceContact:
    return PoliceContact(kind=str(r[2]), station=str(r[3]), issued_on=from_iso(str(r[4])),  # type: ignore[arg-type]
                         number=str(r[5]), note=str(r[6]), staff=str(r[7]), id=int(r[0]),  # type: ignore[call-overload]
                         case_id=int(r[1]))  # type: ignore[call-overload]


def contacts_of(db: sqlite_utils.Database, case_id: int) -> list[PoliceContact]:
    return [_contact(r) for r in db.execute(
        f"SELECT {_CONTACT} FROM police_contacts WHERE case_id = ? ORDER BY issued_on, id", [case_id]).fetchall()]


def contact(db: sqlite_utils.Database, contact_id: int) -> PoliceContact | None:
    r = db.execute(f"SELECT {_CONTACT} FROM police_contacts WHERE id = ?", [contact_id]).fetchone()
    return _contact(r) if r else None


def update_contact(db: sqlite_utils.Database, contact_id: int, c: PoliceContact) -> None:
    db.execute("UPDATE police_contacts SET kind = ?, station = ?, issued_on = ?, number = ?, note = ? WHERE id = ?",
               [c.kind, c.station, to_iso(c.issued_on), c.number, c.note, contact_id])


def add_follow_up(db: sqlite_utils.Database, case_id: int, contact_id: int, due_on: dt.date, now: dt.datetime,
                  with_whom: str = "") -> int:
    row = db.table("police_follow_ups").insert({
        "case_id": case_id, "contact_id": contact_id, "due_on": to_iso(due_on), "with_whom": with_whom,
        "created_at": now.isoformat(timespec="seconds")})
    assert isinstance(row.last_pk, int)
    return row.last_pk


def _follow(r: tuple[object, ...]) -> FollowUp:
    return FollowUp(due_on=from_iso(str(r[3])), with_whom=str(r[4]), done_on=from_iso(r[5]),  # type: ignore[arg-type]
                    finding=str(r[6]), staff=str(r[7]), id=int(r[0]), case_id=int(r[1]),  # type: ignore[call-overload]
                    contact_id=int(r[2]))  # type: ignore[call-overload]


def follow_ups_of(db: sqlite_utils.Database, case_id: int) -> list[FollowUp]:
    return [_follow(r) for r in db.execute(
        f"SELECT {_FOLLOW} FROM police_follow_ups WHERE case_id = ? ORDER BY due_on, id", [case_id]).fetchall()]


def follow_up(db: sqlite_utils.Database, follow_up_id: int) -> FollowUp | None:
    r = db.execute(f"SELECT {_FOLLOW} FROM police_follow_ups WHERE id = ?", [follow_up_id]).fetchone()
    return _follow(r) if r else None


def record_done(db: sqlite_utils.Database, follow_up_id: int, f: FollowUp) -> None:
    db.execute("UPDATE police_follow_ups SET done_on = ?, with_whom = ?, finding = ?, staff = ? WHERE id = ?",
               [to_iso(f.done_on), f.with_whom, f.finding, f.staff, follow_up_id])


def move(db: sqlite_utils.Database, follow_up_id: int, due_on: dt.date) -> None:
    db.execute("UPDATE police_follow_ups SET due_on = ? WHERE id = ? AND done_on IS NULL",
               [to_iso(due_on), follow_up_id])


def drop(db: sqlite_utils.Database, follow_up_id: int) -> None:
    db.execute("DELETE FROM police_follow_ups WHERE id = ? AND done_on IS NULL", [follow_up_id])


def open_due(db: sqlite_utils.Database, until: dt.date) -> list[tuple[int, str, str, dt.date, str]]:
    """Visits not done planned up to `until`, across the office: (case id, case number, names, planned day, kind
    of paper), the earliest first."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.names, f.due_on, pc.kind FROM police_follow_ups f
           JOIN police_contacts pc ON pc.id = f.contact_id JOIN cases c ON c.id = f.case_id
           WHERE f.done_on IS NULL AND f.due_on <= ? ORDER BY f.due_on, c.id""", [to_iso(until)]).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(str(r[3])), str(r[4])) for r in rows]  # type: ignore[misc]


def follow_up_counts(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date,
                     township: str | None = None) -> tuple[int, int, int]:
    """For the figures: of the visits planned within the period, (planned, done, done on or before their day); of
    one township's cases when given."""
    where, args = township_rows(township)
    r = db.execute(
        f"""SELECT count(*), SUM(done_on IS NOT NULL), SUM(done_on IS NOT NULL AND done_on <= due_on)
           FROM police_follow_ups WHERE due_on BETWEEN ? AND ?{where}""",
        [to_iso(date_from), to_iso(date_to), *args]).fetchone()
    return int(r[0] or 0), int(r[1] or 0), int(r[2] or 0)


def contact_counts(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date,
                   township: str | None = None) -> dict[str, int]:
    """For the figures: 告诫书 and 报警回执 recorded as issued within the period, by kind; of one township's cases
    when given."""
    where, args = township_rows(township)
    rows = db.execute(f"SELECT kind, count(*) FROM police_contacts WHERE issued_on BETWEEN ? AND ?{where} GROUP BY kind",
                      [to_iso(date_from), to_iso(date_to), *args]).fetchall()
    return {str(k): int(n) for k, n in rows}
