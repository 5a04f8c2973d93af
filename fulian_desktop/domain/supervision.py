"""督办: the 主任 marks a case for close supervision (a note, a date); it stands out wherever the case is listed,
until the 主任 lifts it. No Qt, no SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import format_cn
from .errors import ValidationError
from .limits import clean_text

MARK = "督办"
NOTE_MAX = 200


@dataclass(frozen=True)
class Supervision:
    on: dt.date
    note: str
    by: str

    @property
    def text(self) -> str:
        """督办（2026年3月10日，王主任）：请本周内答复."""
        return f"{MARK}（{format_cn(self.on)}，{self.by}）：{self.note}"


def check_supervise(note: str, on: dt.date | None, today: dt.date) -> str:
    """The note (what the 主任 asks for) and the date; returns the note in normal form."""
    errors: dict[str, str] = {}
    text = clean_text(note, "supervised_note", "督办意见", errors, most=NOTE_MAX, required="请写明督办意见（要求和时限）")
    if on is None:
        errors["supervised_on"] = "请填写督办日期"
    elif on > today:
        errors["supervised_on"] = "督办日期不能晚于今天"
    if errors:
        raise ValidationError(errors)
    return text


def check_lift(note: str) -> str:
    errors: dict[str, str] = {}
    text = clean_text(note, "lift_note", "说明", errors, most=NOTE_MAX, required="请写明解除督办的理由")
    if errors:
        raise ValidationError(errors)
    return text
