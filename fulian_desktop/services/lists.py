"""The office's editable lists: categories and sub-kinds, townships and villages, staff, agencies."""

from __future__ import annotations

from ..domain.errors import ValidationError
from ..store import lists
from .context import Context

LIST_LABELS = {"category": "问题类别", "township": "乡镇", "agency": "转办单位", "staff": "工作人员"}


def values(ctx: Context, list_name: str, parent: str = "") -> list[str]:
    ctx.require("lists.read")
    return lists.values(ctx.db, list_name, parent)


def add(ctx: Context, list_name: str, value: str, parent: str = "") -> None:
    ctx.require("lists.write")
    value = value.strip()
    if not value:
        raise ValidationError({"value": "请输入名称"})
    if len(value) > 40:
        raise ValidationError({"value": "名称不能超过40个字"})
    with ctx.action() as db:
        lists.add_value(db, list_name, value, parent)


def remove(ctx: Context, list_name: str, value: str, parent: str = "") -> None:
    ctx.require("lists.write")
    with ctx.action() as db:
        lists.remove_value(db, list_name, value, parent)
