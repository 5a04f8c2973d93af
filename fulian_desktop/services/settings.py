"""Office settings kept in the database (window state alone lives in QSettings)."""

from __future__ import annotations

from ..domain.errors import ValidationError
from ..store import settings
from .context import Context

DEFAULT_OFFICE_NAME = "县妇联"


def get(ctx: Context, key: str, default: str = "") -> str:
    ctx.require("settings.read")
    value = settings.get(ctx.db, key)
    return default if value is None else value


def put(ctx: Context, key: str, value: str) -> None:
    ctx.require("settings.write")
    with ctx.action() as db:
        settings.put(db, key, value)


def office_name(ctx: Context) -> str:
    """The office's name as shown in the title bar and printed on forms."""
    ctx.require("settings.read")
    return " ".join(get(ctx, "office_name").split()) or DEFAULT_OFFICE_NAME


def set_office_name(ctx: Context, name: str) -> None:
    ctx.require("settings.write")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"office_name": "请填写单位名称，如“某某县妇联”"})
    if len(name) > 40:
        raise ValidationError({"office_name": "单位名称不能超过40个字"})
    put(ctx, "office_name", name)
