"""Correcting a saved record (更正): what changed, how the timeline says it, and when a reason is needed.

Every kind of record is corrected the same way (petitions, referrals, mediations, households, people):

1. the kind's service loads the record as saved and validates the corrected form with the kind's own rules;
2. `compare(old, new, labels)` lists the fields that changed (`Correction`), values as the user sees them;
3. `grounds(...)` says what official rests on the record (a form printed, an agreement signed, the case
   concluded); `check_reason(reason, grounds)` raises `ReasonRequired` when there is such a thing and no
   reason was given — the window then asks for 更正原因 and saves again;
4. the service writes only the changed fields in one action, adds `timeline_note(changes, reason)` to the
   case's timeline (action word `TIMELINE_ACTION`, "更正") and passes the reason to the audit entry.

No Qt, no SQL here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .dates import format_cn
from .errors import FulianError, ValidationError
from .masking import mask_id_number, mask_phone, mask_text
from .records import Person

TIMELINE_ACTION = "更正"
REASON_MAX = 200
# a changed value longer than this is cut in the timeline (the audit trail keeps it whole)
SHOWN_MAX = 20
EMPTY = "（空）"

PRINTED = "已打印"
SIGNED = "协议已签订"


@dataclass(frozen=True)
class Correction:
    """One field changed: `field` its name (e.g. "petitioner.phone"), `label` its name on the form
    ("联系电话"), `old` and `new` the values as shown to the user (unmasked; `timeline_note` masks)."""

    field: str
    label: str
    old: str
    new: str


def shown(value: object) -> str:
    """A value as the user sees it: dates 2026年3月1日, yes/no 是/否, lists joined with 、, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return format_cn(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(shown(v) for v in value)
    return str(value).strip()


def compare(old: Mapping[str, object], new: Mapping[str, object], labels: Mapping[str, str]) -> list[Correction]:
    """The fields of `labels` (in its order) whose shown value differs between `old` and `new`.

    Values may be given as shown (strings) or plain (dates, bools, lists, numbers: see `shown`); a field
    missing from a mapping counts as empty. Whitespace at the ends does not count as a change."""
    out = []
    for name, label in labels.items():
        before, after = shown(old.get(name)), shown(new.get(name))
        if before != after:
            out.append(Correction(name, label, before, after))
    return out


def prefixed(labels: Mapping[str, str], prefix: str) -> dict[str, str]:
    """Labels said of one record of a case: prefixed(…, "第2次调解的") -> {"place": "第2次调解的调解地点"}."""
    return {name: prefix + label for name, label in labels.items()}


def masked(field: str, value: str) -> str:
    """A value as the timeline may show it: ID numbers and phones masked (by the field, and inside text)."""
    if not value:
        return EMPTY
    if field.endswith("id_number"):
        return mask_id_number(value)
    if field.endswith("phone"):
        return mask_phone(value)
    text = " ".join(mask_text(value).split())
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


def describe(changes: Sequence[Correction]) -> str:
    """"联系电话 138****8000→139****9000；住址 （空）→东山镇…" (masked)."""
    return "；".join(f"{c.label} {masked(c.field, c.old)}→{masked(c.field, c.new)}" for c in changes)


def timeline_note(changes: Sequence[Correction], reason: str) -> str:
    """The timeline's line for a correction: "更正：联系电话 138****8000→139****9000，原因：登记错误".

    ID numbers and phones are masked as everywhere else the timeline shows them; the reason (masked too)
    is given only when there is one."""
    note = f"{TIMELINE_ACTION}：{describe(changes)}"
    reason = " ".join(reason.split())
    return note + (f"，原因：{mask_text(reason)}" if reason else "")


class ReasonRequired(ValidationError):
    """Something official rests on the record (a printed form, a signed agreement, a concluded case) and
    the correction came without a reason. `errors` = {"reason": "这件案件已打印、已办结，更正需写明原因"};
    `grounds` the words for what rests on it."""

    def __init__(self, grounds: Sequence[str]) -> None:
        self.grounds = list(grounds)
        super().__init__({"reason": f"这件案件{'、'.join(self.grounds)}，更正需写明原因"})


def grounds(*, printed: bool = False, signed: bool = False, closed: str = "") -> list[str]:
    """What official rests on a record, in words: printed (a form of it was printed — the audit trail
    records every print), signed (its agreement was signed), closed (what closed the case, as a phrase
    after "这件案件": "已办结", "已告知不予受理", "已撤回"…; "" while it is open)."""
    out = []
    if printed:
        out.append(PRINTED)
    if signed:
        out.append(SIGNED)
    if closed:
        out.append(closed)
    return out


def needs_reason(*, printed: bool = False, signed: bool = False, closed: str = "") -> bool:
    """True when a correction must give a reason (see `grounds`)."""
    return bool(grounds(printed=printed, signed=signed, closed=closed))


def check_reason(reason: str, what_rests: Sequence[str]) -> str:
    """The reason, tidied; ReasonRequired when `what_rests` (from `grounds`) is not empty and no reason
    was given; ValidationError when it is too long."""
    text = " ".join((reason or "").split())
    if what_rests and not text:
        raise ReasonRequired(what_rests)
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": f"更正原因不能超过{REASON_MAX}字"})
    return text


# --- people --------------------------------------------------------------------------------------------

PERSON_LABELS: dict[str, str] = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期", "id_number": "身份证号",
    "phone": "联系电话", "address": "住址", "marital_status": "婚姻状况",
}
# What was true at the time of a case and may differ later (she moved, she divorced): a correction of these
# on an older case may be meant for that case only. Her name, ID number, birth date and phone are hers in
# every case: a correction of them is made once, on her record.
TIME_BOUND = ("address", "marital_status")

CASE_ONLY = "case"  # the time-bound details changed for this case only (as they were then)
EVERYWHERE = "person"  # changed on her record, seen in all her cases


def person_values(p: Person | None, prefix: str = "") -> dict[str, object]:
    """A person's fields for `compare`, keyed `prefix + field` ("petitioner.phone")."""
    if p is None:
        return {}
    return {prefix + f: getattr(p, f) for f in PERSON_LABELS}


def person_labels(prefix: str = "", label_prefix: str = "") -> dict[str, str]:
    """`PERSON_LABELS` keyed `prefix + field`, each label after `label_prefix` ("当事妇女联系电话")."""
    return {prefix + f: label_prefix + label for f, label in PERSON_LABELS.items()}


class ScopeQuestion(FulianError):
    """A time-bound detail (住址, 婚姻状况) of a person was corrected on a case that is not her latest: is it
    how things were at the time of this case (CASE_ONLY), or her details now (EVERYWHERE)? The window asks
    and saves again with the answer. `labels` the details in question."""

    def __init__(self, labels: Sequence[str], later: int) -> None:
        self.labels = list(labels)
        what = "、".join(dict.fromkeys(self.labels))
        super().__init__(
            f"她在这件案件之后还有{later}件案件。改的{what}是这件案件当时的情况（只改这件案件），"
            f"还是她现在的情况（她的所有案件都改）？"
        )


_NAME_PARTS = re.compile(r"(（代|）|、)")


def rename_in(names: str, old: str, new: str) -> str:
    """A case list's names ("张三（代李四）", "张三、李四") with the name `old` replaced by `new` (whole
    names only: 张三 in 张三丰 stays)."""
    parts = _NAME_PARTS.split(names)
    return "".join(new if i % 2 == 0 and part == old else part for i, part in enumerate(parts))


# --- undoing a status step ------------------------------------------------------------------------------

UNDO_ACTION = "撤销上一步"


@dataclass(frozen=True)
class LastStep:
    """A case's last status change, as the 主任 is asked to undo it: when, by whom, what (the timeline's
    word, e.g. 受理), the status before and after; `blocked` says why it cannot be undone ("" if it can)."""

    entry_id: int
    at: dt.datetime
    actor: str
    action: str
    kind: str
    from_status: str
    to_status: str
    blocked: str = ""


def undo_note(step: LastStep, from_label: str, to_label: str, reason: str) -> str:
    """The timeline's line: "撤销“受理”（已受理→已登记），原因：应为不予受理"."""
    reason = " ".join(reason.split())
    return f"撤销“{step.action}”（{from_label}→{to_label}），原因：{mask_text(reason)}"


def undo_step_note(action: str, reason: str) -> str:
    """The timeline's line for a 家暴防护 step undone: "撤销“查访”，原因：记在了另一件案件上"."""
    return f"撤销“{action}”，原因：{mask_text(' '.join(reason.split()))}"
