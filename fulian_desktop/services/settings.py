"""Office settings kept in the database (window state alone lives in QSettings)."""

from __future__ import annotations

from ..domain.errors import ValidationError
from .context import Context

DEFAULT_OFFICE_NAME = "县妇联"


def get(ctx: Context, key: str, default: str = "") -> str:
    row = ctx.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else default


def put(ctx: Context, key: str, value: str) -> None:
    with ctx.action() as db:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def office_name(ctx: Context) -> str:
    return get(ctx, "office_name", DEFAULT_OFFICE_NAME)


def set_office_name(ctx: Context, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"office_name": "请填写单位名称，如“某某县妇联”"})
    if len(name) > 40:
        raise ValidationError({"office_name": "单位名称不能超过40个字"})
    put(ctx, "office_name", name)
