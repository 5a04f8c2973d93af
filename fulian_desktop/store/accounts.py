"""Account rows (the passwords are not here: see store/keys.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.accounts import Account, normalize_username, roles_from_text, roles_text

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = "id, username, display_name, roles, active, must_change, last_login"


def _account(r: tuple[Any, ...]) -> Account:
    return Account(id=r[0], username=r[1], display_name=r[2], roles=roles_from_text(r[3]), active=bool(r[4]),
                   must_change=bool(r[5]), last_login=r[6] or "")


def all_(db: sqlite_utils.Database) -> list[Account]:
    return [_account(r) for r in db.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY active DESC, id").fetchall()]


def get(db: sqlite_utils.Database, account_id: int) -> Account | None:
    r = db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", [account_id]).fetchone()
    return _account(r) if r else None


def by_username(db: sqlite_utils.Database, username: str) -> Account | None:
    wanted = normalize_username(username)
    for r in db.execute(f"SELECT {_COLUMNS} FROM accounts").fetchall():
        if normalize_username(r[1]) == wanted:
            return _account(r)
    return None


def insert(db: sqlite_utils.Database, a: Account, now: dt.datetime) -> int:
    stamp = now.isoformat(timespec="seconds")
    pk = db.table("accounts").insert({
        "username": a.username, "display_name": a.display_name, "roles": roles_text(a.roles),
        "active": int(a.active), "must_change": int(a.must_change), "created_at": stamp, "updated_at": stamp,
    }).last_pk
    assert isinstance(pk, int)
    return pk


def update(db: sqlite_utils.Database, account_id: int, now: dt.datetime, **fields: Any) -> None:
    if "roles" in fields:
        fields["roles"] = roles_text(fields["roles"])
    for key in ("active", "must_change"):
        if key in fields:
            fields[key] = int(fields[key])
    fields["updated_at"] = now.isoformat(timespec="seconds")
    # plain SQL (not sqlite-utils' table().update, whose import every sign-in would pay: store/database.py)
    sets = ", ".join(f"{name} = ?" for name in fields)
    with db.atomic():
        if db.execute(f"UPDATE accounts SET {sets} WHERE id = ?", [*fields.values(), account_id]).rowcount != 1:
            raise LookupError(f"no account {account_id}")


def count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM accounts").fetchone()[0])


def active_admins(db: sqlite_utils.Database) -> list[int]:
    return [a.id for a in all_(db) if a.active and "admin" in a.roles and a.id is not None]
