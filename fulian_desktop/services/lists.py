"""The office's editable lists: categories and sub-kinds, townships and villages, staff, agencies."""

from __future__ import annotations

from ..domain import limits
from ..domain.errors import ValidationError
from ..store import lists
from .context import Context

LIST_LABELS = {"category": "问题类别", "township": "乡镇", "agency": "转办单位", "staff": "工作人员"}
ANY_SUBCATEGORY = "其他"  # a sub-kind every category takes (the import's registers write it)


def check_listed(ctx: Context, record: object, saved: object | None = None) -> None:
    """What every way in (the window, an imported register, the command line) must keep to: a record's 乡镇 and
    问题类别 from the office's lists, 具体问题 from its category's sub-kinds (or 其他), 与被反映人关系 from the
    petition's list (the fields `record` has of township, category, subcategory, respondent_relation).
    ValidationError keyed by the field, naming the value and the list.

    A list the office has left empty asks for nothing (there is nothing to choose from). `saved`: the record as
    saved before a correction — a value it already held passes as it is (a township since taken off the list does
    not stop her correcting anything else); a changed one must be on the list."""
    ctx.require("lists.read")
    from ..reports.registers import UNRECORDED  # (the registers' columns, with every kind's rules: only when saving)

    fields = ("township", "category", "subcategory", "respondent_relation")
    township, category, subcategory, respondent_relation = (str(getattr(record, f, "") or "") for f in fields)
    saved_values = {f: str(getattr(saved, f, "") or "") for f in fields} if saved is not None else {}
    errors: dict[str, str] = {}

    def kept(field: str, value: str) -> bool:  # (未记录: a gap an imported register left, to be filled in)
        return not value or value == UNRECORDED or saved_values.get(field) == value

    def off_list(field: str, value: str, list_name: str, what: str, parent: str = "") -> None:
        if kept(field, value) or not lists.values(ctx.db, list_name, parent):
            return
        if not lists.contains(ctx.db, list_name, value, parent):
            where = f"“{parent}”下的" if parent else ""
            errors[field] = f"{what}“{value}”不在{where}{what}列表中（可在“设置 → 列表”中添加）"

    off_list("township", township, "township", "乡镇")
    off_list("category", category, "category", "问题类别")
    if subcategory != ANY_SUBCATEGORY and "category" not in errors and not kept("category", category):
        saved_values.pop("subcategory", None)  # another category: its sub-kind is checked afresh
    if subcategory != ANY_SUBCATEGORY and "category" not in errors:
        off_list("subcategory", subcategory, "category", "具体问题", category)
    from ..domain.petition import LIMITS as PETITION_LIMITS  # (the petition's rules and records: only when saving,
    from ..domain.petition import RESPONDENT_RELATIONS  # not at every start, where the window reads the lists)

    if not kept("respondent_relation", respondent_relation) and respondent_relation not in RESPONDENT_RELATIONS:
        label = PETITION_LIMITS["respondent_relation"][0]  # as the form names it
        errors["respondent_relation"] = f"{label}“{respondent_relation}”不在列表中，请选择：{'、'.join(RESPONDENT_RELATIONS)}"
    if errors:
        raise ValidationError(errors)


def values(ctx: Context, list_name: str, parent: str = "") -> list[str]:
    ctx.require("lists.read")
    return lists.values(ctx.db, list_name, parent)


def add(ctx: Context, list_name: str, value: str, parent: str = "") -> None:
    ctx.require("lists.write")
    errors: dict[str, str] = {}  # (as long as the forms print a list's value, in the normal form of domain/text.py)
    value = limits.clean_text(value, "value", "名称", errors, most=limits.LIST_VALUE_MAX, required="请输入名称",
                              multiline=False)
    if errors:
        raise ValidationError(errors)
    with ctx.action() as db:
        lists.add_value(db, list_name, value, parent)


def remove(ctx: Context, list_name: str, value: str, parent: str = "") -> None:
    ctx.require("lists.write")
    with ctx.action() as db:
        lists.remove_value(db, list_name, value, parent)
