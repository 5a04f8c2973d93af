"""A safety plan (安全计划): what was agreed with her — a safe place, who to call, documents kept elsewhere, the
children, other agreements — printed for her on one page on request. The plain version (`discreet`) is safe if
the abuser finds it: a neutral title, no federation heading, no words about violence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from . import limits
from .dates import out_of_range
from .errors import ValidationError
from .text import TextError, clean

PART_MAX = 200  # each part; all five at their longest still print on one page (tests/test_protection.py)

# the parts, as the form and both papers name them: (field, on the form, on the plain paper)
PARTS = (
    ("safe_place", "安全的去处", "可以去的地方"),
    ("contacts", "紧急时联系谁", "常用电话"),
    ("documents", "证件和物品放在别处", "放在别处的东西"),
    ("children", "孩子的安排", "孩子"),
    ("other", "其他约定", "其他"),
)
HINTS = {
    "safe_place": "如 娘家（东山镇李村）；村妇联主席家；县救助管理站",
    "contacts": "如 110；村妇联主席 王秀兰 138…；妹妹 …；县妇联 12338",
    "documents": "如 身份证、户口本、银行卡、备用钥匙、病历和伤情照片放在妹妹家",
    "children": "如 危险时先把孩子送到奶奶家；学校只让她本人接孩子",
    "other": "如 和邻居约好的求救暗号；夜里先躲进有锁的房间；手机常充满电",
}
PLAIN_TITLE = "备忘"  # the plain paper's title: says nothing about what it is


@dataclass
class SafetyPlanForm:
    made_on: dt.date
    safe_place: str = ""
    contacts: str = ""
    documents: str = ""
    children: str = ""
    other: str = ""


@dataclass(frozen=True)
class SafetyPlan:
    id: int
    case_id: int
    case_no: str
    made_on: dt.date
    safe_place: str
    contacts: str
    documents: str
    children: str
    other: str
    staff: str

    def part(self, name: str) -> str:
        return str(getattr(self, name))


LIMITS = limits.define(SafetyPlan, {name: (label, PART_MAX) for name, label, _plain in PARTS})


def check(form: SafetyPlanForm, today: dt.date) -> SafetyPlanForm:
    errors: dict[str, str] = {}
    if msg := out_of_range(form.made_on, "制定日期", today):
        errors["made_on"] = msg
    values: dict[str, str] = {}
    for f in fields(form):
        if f.name == "made_on":
            continue
        try:
            values[f.name] = clean(getattr(form, f.name), multiline=True)
        except TextError as e:
            errors[f.name] = str(e)
            continue
        if msg := limits.too_long(values[f.name], *LIMITS[f.name]):
            errors[f.name] = msg
    if not errors and not any(values.values()):
        errors["safe_place"] = "安全计划还是空的：至少写一项与她商定的内容"
    if errors:
        raise ValidationError(errors)
    return SafetyPlanForm(form.made_on, **values)


@dataclass(frozen=True)
class SafetyPaper:
    """What the safety plan prints: her plan, for her; `plain`: the version safe if the abuser finds it (a
    neutral title, no office, no case number, no words about violence or the federation)."""

    office: str
    woman: str
    plan: SafetyPlan
    plain: bool = False

    def texts(self) -> list[str]:
        p = self.plan
        return [self.office, self.woman, p.case_no, p.staff, *(p.part(name) for name, _l, _p in PARTS)]


# words that give the plain paper away if the abuser reads it
TELLTALE = ("妇联", "家暴", "家庭暴力", "暴力", "保护令", "告诫书", "庇护", "维权", "殴打", "打她")


def telltale(plan: SafetyPlan) -> list[str]:
    """The giveaway words her plan's own text holds (the plain paper prints the text as written)."""
    text = "\n".join(plan.part(name) for name, _l, _p in PARTS)
    found = [w for w in TELLTALE if w in text]
    return [w for w in found if not any(w != o and w in o for o in found)]  # 家庭暴力, not also 暴力
