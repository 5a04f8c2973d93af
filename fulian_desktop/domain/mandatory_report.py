"""强制报告: a victim who cannot protect herself is reported to the police.

反家庭暴力法 art. 14: schools, medical bodies, village and residents' committees, social-work and relief bodies and
their staff who find in their work that a person without or with limited civil capacity suffers or seems to suffer
domestic violence must report it to the police in time; 未成年人保护法 art. 11 asks every state body and
residents' and villagers' committee to report a minor's harm at once, and the federation's own rules ask the same
of its staff. The program says so when the woman concerned is a minor (under 18 on the day the case came) or
60 or older (老年人权益保障法 art. 2), and the clerk can name the other grounds (disabled, seriously ill, without
capacity …). The report is due at once: due the day the need was found, overdue from the day after, until the
clerk records when and to whom it was reported.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import limits
from .dates import age_on, format_cn, out_of_range
from .errors import ValidationError

GROUNDS = {
    "minor": "未成年人",
    "elderly": "老年人（60周岁以上）",
    "disabled": "残疾人",
    "ill": "重病患者",
    "incapable": "无民事行为能力或限制民事行为能力人",
    "other": "其他不能保护自己的情形",
}
MINOR_BELOW = 18
ELDERLY_FROM = 60
DEFAULT_TO = "公安机关（派出所）"
WAYS = ("电话报警", "到派出所报案", "书面报告", "陪同她报警")
TO_MAX = 40
NOTE_MAX = 300
RECEIPT_MAX = 40


@dataclass
class Report:
    ground: str  # GROUNDS key
    found_on: dt.date  # when the need was found (the case came, or later)
    reported_on: dt.date | None = None
    reported_to: str = ""  # 东山派出所
    way: str = ""  # 电话报警 / 到派出所报案 …
    receipt_no: str = ""  # 受案回执号 / 接警单号
    note: str = ""
    staff: str = ""
    id: int | None = None
    case_id: int | None = None


LIMITS = limits.define(Report, {"reported_to": ("报告的公安机关", TO_MAX), "way": ("报告方式", limits.LIST_VALUE_MAX),
                                "receipt_no": ("回执号", RECEIPT_MAX), "note": ("说明", NOTE_MAX)})


def ground_from_birth(birth: dt.date | None, on: dt.date) -> str:
    """'minor' / 'elderly' from her birth date on the day the case came; '' otherwise (or unknown)."""
    if birth is None:
        return ""
    age = age_on(birth, on)
    if age < MINOR_BELOW:
        return "minor"
    if age >= ELDERLY_FROM:
        return "elderly"
    return ""


def required_text(ground: str) -> str:
    """The line the case shows while the report is not made."""
    return (f"她是{GROUNDS.get(ground, '不能保护自己的人')}：依法应当及时向公安机关报案"
            "（强制报告，反家庭暴力法第十四条）。报案后请记下报案的日期和公安机关。")


def state(r: Report, today: dt.date) -> str:
    if r.reported_on is not None:
        return f"已于{format_cn(r.reported_on)}报告{r.reported_to}" + (f"（{r.way}）" if r.way else "")
    days = (today - r.found_on).days
    return "今天须报案" if days <= 0 else f"应报未报：已逾期{days}天"


def is_overdue(r: Report, today: dt.date) -> bool:
    return r.reported_on is None and r.found_on < today


def validate_ground(ground: str, found_on: dt.date | None, note: str, today: dt.date) -> str:
    """The ground and the day it was found are right; the note tidied."""
    errors: dict[str, str] = {}
    note = limits.clean_text(note, "note", "说明", errors, most=NOTE_MAX)
    if ground not in GROUNDS:
        errors["ground"] = "请选择她属于哪一种不能保护自己的情形"
    if found_on is None:
        errors["found_on"] = "请填写发现的日期"
    elif msg := out_of_range(found_on, "发现日期", today):
        errors["found_on"] = msg
    if errors:
        raise ValidationError(errors)
    return note


def validate_report(r: Report, today: dt.date) -> Report:
    errors: dict[str, str] = {}
    if r.reported_on is None:
        errors["reported_on"] = "请填写报案日期"
    elif msg := out_of_range(r.reported_on, "报案日期", today):
        errors["reported_on"] = msg
    r.reported_to = limits.clean_text(r.reported_to, "reported_to", "报告的公安机关", errors, most=TO_MAX,
                                      required="请写明向哪个公安机关（派出所）报案", multiline=False)
    r.way = limits.clean_text(r.way, "way", "报告方式", errors, most=limits.LIST_VALUE_MAX, multiline=False)
    r.receipt_no = limits.clean_text(r.receipt_no, "receipt_no", "回执号", errors, most=RECEIPT_MAX,
                                     multiline=False)
    r.note = limits.clean_text(r.note, "note", "说明", errors, most=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    return r
