"""Text as the program keeps it: one normal form for everything typed, imported or given on the command line.

Whatever the entry path (the window, a register imported from Excel, the command line), every text field of a
record passes through `clean_record` before any other check, so that emptiness, length, search and printing
all see the same text:

- Unicode NFC (a character typed one way and pasted another is stored once, the same);
- control and format characters removed — NUL, BEL, ESC …, the zero-width characters (U+200B–U+200D, U+2060,
  U+FEFF) and the direction overrides (U+202A–U+202E, U+2066–U+2069) that would make a name look like another
  or hide text — except line breaks in long text (a tab becomes a space);
- a lone surrogate (text that is not valid Unicode, e.g. from a broken file) is refused with a message, never
  a UnicodeEncodeError later;
- single-line fields keep single spaces between words, long text keeps its lines.

No Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from typing import Any, TypeVar

from .errors import ValidationError

T = TypeVar("T")

# One-line fields: names, places, codes, choices from a list (any other text field is long text and keeps its
# line breaks, so nothing a clerk typed on several lines is run together)
SINGLE_LINE = frozenset({
    "name", "names", "address", "village", "township", "channel", "category", "subcategory", "case_no", "code",
    "id_number", "phone", "lawyer", "lawyer_phone", "staff", "staff_phone", "receiving_staff", "respondent_name",
    "respondent_relation", "relation", "relationship", "opponent_name", "opponent_relation", "ethnicity",
    "marital_status", "sex", "role", "side", "status", "kind", "type", "unit", "title", "label", "key", "level",
    "matter", "method", "handling", "handling_agency", "dispute_type", "source", "outcome", "household_type",
    "occupation", "schooling", "health", "work_ability", "disability_card", "benefit", "helping_unit",
    "contact_person", "investigator", "recorder", "recorded_by", "registrar", "archivist", "keep_period",
    "committee", "visitor", "visitors", "place", "present", "way", "route", "subject", "subject_role", "mediators",
    "by", "due", "due_label", "opened_case_no", "rhythm_unit", "satisfaction", "victim_of", "help_kinds", "papers",
    "choices", "links", "goods", "legal_state", "failed_route", "means", "how", "performance",
})
_KEEP = {"\n"}
_SURROGATE = re.compile("[\ud800-\udfff]")


class TextError(ValueError):
    """The message is written for the user."""


def clean(value: str, multiline: bool = False) -> str:
    """`value` in the program's normal form (see the module's docstring). TextError for a lone surrogate."""
    if not value:
        return ""
    if value.isprintable():  # no control, format or surrogate character, no line break, tab or odd space: at C speed
        return " ".join(unicodedata.normalize("NFC", value).split())
    if _SURROGATE.search(value):
        raise TextError("含有无法识别的字符（可能是文件编码损坏），请删去后重新输入")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if text.replace("\n", "").isprintable():  # only line breaks (most long text): no character to remove
        kept = text
    else:
        kept = "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in ("Cc", "Cf"))
    if multiline:
        lines = [" ".join(line.split()) for line in kept.split("\n")]
        return "\n".join(lines).strip("\n")
    return " ".join(kept.split())


_PLAIN = (int, float, dt.date)  # nothing to clean (bool is an int, datetime a date)
_PLAIN_EXACT = frozenset({int, float, bool, dt.date, dt.datetime})
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}  # a record class's fields set by its __init__, once per class


def _init_fields(cls: type) -> tuple[str, ...]:
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return names


def _clean_value(value: Any, name: str, path: str, errors: dict[str, str]) -> Any:
    if isinstance(value, str):
        try:
            return clean(value, multiline=name not in SINGLE_LINE)
        except TextError as e:
            errors[path] = str(e)
            return value
    if value is None or isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _clean(value, path + ".", errors)
    if isinstance(value, list):
        return [_clean_value(v, name, f"{path}_{i}", errors) for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return tuple(_clean_value(v, name, f"{path}_{i}", errors) for i, v in enumerate(value))
    return value


def _clean(record: T, prefix: str, errors: dict[str, str]) -> T:
    changes = {}
    for name in _init_fields(type(record)):
        value = getattr(record, name)
        if value.__class__ is str and value.isprintable():  # (most fields: clean's first case, without two calls)
            cleaned = " ".join(unicodedata.normalize("NFC", value).split()) if value else value
        elif value is None or value.__class__ in _PLAIN_EXACT:
            continue
        else:
            cleaned = _clean_value(value, name, prefix + name, errors)
        if cleaned is not value and cleaned != value:  # (an equal text made again is no change: no copy to make)
            changes[name] = cleaned
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def clean_record(record: T) -> T:
    """A copy of the record (a dataclass, and the records and lists of records inside it) with every text field
    in normal form; ValidationError (field -> message) when a field holds text that is not valid Unicode."""
    errors: dict[str, str] = {}
    out = _clean(record, "", errors)
    if errors:
        raise ValidationError(errors)
    return out
