"""How long each text of a record may be: the room its paper form gives it. One definition per field, used by
the validators (the window, an imported register and the command line alike), the window's fields (their
maxLength) and printing.

Each kind declares the limits of its records where they are defined (`define(Petition, {...})` in
domain/petition.py …): field name -> (label, most characters). A validator calls `check` on the record after
`text.clean_record` (lengths are counted on the normal form). Printing calls `fitted`: a record saved before a
limit existed (written straight into the database with longer text) prints cut to the limit, ending in “…”,
instead of not printing at all.

No Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from .text import TextError, clean

T = TypeVar("T")

Limits = Mapping[str, tuple[str, int]]  # field -> (label, most characters)

CUT = "…"

# the room a value of the office's editable lists (乡镇, 村, 问题类别, 具体问题, 工作人员 …) has on every form
LIST_VALUE_MAX = 40
# a person's name (姓名), as the forms print it and the window takes it
NAME_MAX = 30

_BY_TYPE: dict[type, dict[str, tuple[str, int]]] = {}


def define(record_type: type, limits: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """Declare the limits of a record type's text fields; returns them (the kind's LIMITS)."""
    _BY_TYPE[record_type] = limits
    return limits


def of(record_type: type) -> dict[str, tuple[str, int]]:
    return _BY_TYPE.get(record_type, {})


def defined() -> dict[type, dict[str, tuple[str, int]]]:
    """Every record type with limits, and its limits (the tests check that every text field has one)."""
    return dict(_BY_TYPE)


def message(label: str, most: int) -> str:
    return f"{label}不能超过{most}个字"


def too_long(text: str, label: str, most: int) -> str:
    """'' or the message for a text longer than `most` characters."""
    return message(label, most) if len(text) > most else ""


def check(record: Any, errors: dict[str, str], prefix: str = "", limits: Limits | None = None) -> None:
    """Add to `errors` (keyed `prefix + field`) every text field of `record` longer than its limit; a field that
    already has a message keeps it. The record's own fields only: the validator checks the records inside it
    under their own prefixes."""
    for name, (label, most) in (of(type(record)) if limits is None else limits).items():
        value = getattr(record, name, None)
        key = prefix + name
        if isinstance(value, str) and len(value) > most and key not in errors:
            errors[key] = message(label, most)


def clean_text(value: str, key: str, label: str, errors: dict[str, str], *, most: int | None = None,
               required: str = "", multiline: bool = True) -> str:
    """A text given on its own (a reason, a reply, a lawyer's name) in the normal form of domain/text.py, with a
    message in `errors[key]` when it is empty (`required`: what to say) or longer than `most` characters."""
    try:
        out = clean(value or "", multiline=multiline)
    except TextError as e:
        errors[key] = str(e)
        return value or ""
    if not out and required:
        errors[key] = required
    elif most is not None and len(out) > most:
        errors[key] = message(label, most)
    return out


def cut(text: str, most: int) -> str:
    """`text` shortened to `most` characters, the last of them “…” when anything was cut."""
    return text if len(text) <= most else text[: max(most - 1, 0)] + CUT


def fitted(record: T) -> T:
    """A copy of `record` (and of the records and lists of records inside it) with every text longer than its
    limit cut to it, ending in “…”: what printing lays out. A record within its limits comes back as it is."""
    return _fit(record)


def _fit(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        limits = of(type(value))
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            if f.name in limits and isinstance(old, str):
                new = cut(old, limits[f.name][1])
            else:
                new = _fit(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, list):
        items = [_fit(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
