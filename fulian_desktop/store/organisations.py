"""The organisation directory (机构名录): where the office refers women, for each service (法律援助, 庇护所 …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.referral import Organisation

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = "id, name, kind, address, contact_person, phone, active, service"


def _row(r: tuple[Any, ...]) -> Organisation:
    return Organisation(id=r[0], name=r[1], kind=r[2], address=r[3], contact_person=r[4], phone=r[5],
                        active=bool(r[6]), service=r[7])


def all_(db: sqlite_utils.Database, active_only: bool = True, service: str = "") -> list[Organisation]:
    """The entries (the active ones only when `active_only`; those of one service when `service`)."""
    where = [w for w, on in (("active = 1", active_only), ("service = ?", bool(service))) if on]
    sql = f"SELECT {_COLUMNS} FROM organisations {'WHERE ' + ' AND '.join(where) + ' ' if where else ''}"
    return [_row(r) for r in db.execute(sql + "ORDER BY active DESC, position, id",
                                        [service] if service else []).fetchall()]


def get(db: sqlite_utils.Database, org_id: int) -> Organisation | None:
    r = db.execute(f"SELECT {_COLUMNS} FROM organisations WHERE id = ?", [org_id]).fetchone()
    return _row(r) if r else None


def id_by_name(db: sqlite_utils.Database, name: str) -> int | None:
    r = db.execute("SELECT id FROM organisations WHERE name = ?", [name]).fetchone()
    return int(r[0]) if r else None


def save(db: sqlite_utils.Database, o: Organisation) -> int:
    values = {"name": o.name, "kind": o.kind, "address": o.address, "contact_person": o.contact_person,
              "phone": o.phone, "active": int(o.active), "service": o.service}
    if o.id is None:
        values["position"] = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM organisations").fetchone()[0]
        pk = db.table("organisations").insert(values).last_pk
        assert pk is not None
        return int(pk)
    db.table("organisations").update(o.id, values)
    return o.id


def set_active(db: sqlite_utils.Database, org_id: int, active: bool) -> None:
    db.execute("UPDATE organisations SET active = ? WHERE id = ?", [int(active), org_id])


def referral_count(db: sqlite_utils.Database, org_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM referrals WHERE organisation_id = ?", [org_id]).fetchone()[0])
