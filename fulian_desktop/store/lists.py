"""Editable lists kept in the database: categories, townships and villages, staff, agencies."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..paths import seed_dir

if TYPE_CHECKING:
    import sqlite_utils


def seed_if_empty(db: sqlite_utils.Database) -> None:
    if db.execute("SELECT 1 FROM lists LIMIT 1").fetchone():
        return
    data = json.loads((seed_dir() / "lists.json").read_text(encoding="utf-8"))
    rows = []
    for list_name, content in data.items():
        if list_name.startswith("_"):
            continue
        if isinstance(content, dict):
            for pos, (parent, children) in enumerate(content.items()):
                rows.append({"list": list_name, "parent": "", "value": parent, "position": pos})
                for cpos, child in enumerate(children):
                    rows.append({"list": list_name, "parent": parent, "value": child, "position": cpos})
        else:
            for pos, value in enumerate(content):
                rows.append({"list": list_name, "parent": "", "value": value, "position": pos})
    with db.atomic():
        db.table("lists").insert_all(rows)


def values(db: sqlite_utils.Database, list_name: str, parent: str = "") -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT value FROM lists WHERE list = ? AND parent = ? AND active = 1 ORDER BY position, id",
            [list_name, parent],
        ).fetchall()
    ]


def add_value(db: sqlite_utils.Database, list_name: str, value: str, parent: str = "") -> None:
    row = db.execute(
        "SELECT id, active FROM lists WHERE list = ? AND parent = ? AND value = ?", [list_name, parent, value]
    ).fetchone()
    if row:
        db.execute("UPDATE lists SET active = 1 WHERE id = ?", [row[0]])
        return
    pos = db.execute(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM lists WHERE list = ? AND parent = ?", [list_name, parent]
    ).fetchone()[0]
    db.table("lists").insert({"list": list_name, "parent": parent, "value": value, "position": pos})


def remove_value(db: sqlite_utils.Database, list_name: str, value: str, parent: str = "") -> None:
    """Lists only ever hide a value: cases that used it keep it."""
    db.execute(
        "UPDATE lists SET active = 0 WHERE list = ? AND parent = ? AND value = ?", [list_name, parent, value]
    )


def contains(db: sqlite_utils.Database, list_name: str, value: str, parent: str = "") -> bool:
    return (
        db.execute(
            "SELECT 1 FROM lists WHERE list = ? AND parent = ? AND value = ? AND active = 1",
            [list_name, parent, value],
        ).fetchone()
        is not None
    )
