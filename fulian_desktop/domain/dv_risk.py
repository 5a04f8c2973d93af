"""Domestic-violence risk assessment (风险评估): a checklist asked at intake or any later contact, a score and
a level — 高 (红色) / 中 (橙色) / 低 (黄色).

The items, their weights and the two thresholds are data (tables risk_items and settings, db/migrations/
0019_risk_safety_plan.sql) that the administrator may adjust; the defaults there follow

- the DASH checklist (SafeLives, *Domestic Abuse, Stalking and Harassment and Honour Based Violence (DASH 2009)
  Risk Identification Checklist*): its questions, adapted to a county office's words (each item names its DASH
  question); DASH treats 14 or more "yes" answers as high risk — here the high threshold is 14 points;
- the items DASH and J. C. Campbell's Danger Assessment (2003; Glass et al. 2008 on strangulation) single out as
  the strongest signs of a killing to come — strangling, a weapon, a threat to kill she believes: any one of them
  makes the level 高 on its own ("critical" items), as in DASH's "visible high risk" by professional judgement;
- the red / orange / yellow grading county federations and police stations use for DV cases (红色 高风险：立即
  采取保护措施；橙色 中风险：重点跟踪；黄色 低风险：常规回访).

The clerk may raise the level computed from the answers (her judgement, what she saw); lowering it below the
computed level needs a reason, which is kept with the assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import limits
from .dates import format_cn, out_of_range
from .errors import ValidationError
from .text import TextError, clean

LEVELS = ("low", "medium", "high")  # in order of danger
LEVEL_LABELS = {"high": "高", "medium": "中", "low": "低"}
LEVEL_COLOURS = {"high": "红色", "medium": "橙色", "low": "黄色"}
LEVEL_HEX = {"high": "#c62828", "medium": "#ef6c00", "low": "#f9a825"}  # red, orange, yellow (on screen, on paper)
LEVEL_ADVICE = {
    "high": "立即保护：制定安全计划，协助报警、申请人身安全保护令或联系庇护场所，每周跟进",
    "medium": "重点跟踪：制定安全计划，两周内回访，情况变化时重新评估",
    "low": "常规回访：告知求助途径，每月回访或再次来访时重新评估",
}
OCCASIONS = ("登记时", "来访", "来电", "回访", "查访", "其他")
NOTE_MAX = 500
REASON_MAX = 200
QUESTION_MAX = 80
SOURCE_MAX = 80


def level_text(level: str) -> str:
    """高（红色）"""
    return f"{LEVEL_LABELS[level]}（{LEVEL_COLOURS[level]}）"


@dataclass(frozen=True)
class RiskItem:
    code: str
    question: str
    weight: int
    critical: bool = False  # a "yes" makes the level 高 on its own
    source: str = ""
    active: bool = True


@dataclass(frozen=True)
class Thresholds:
    high_from: int = 14  # points from which the level is 高
    medium_from: int = 6  # points from which the level is 中

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not 1 <= self.medium_from <= 999:
            errors["medium_from"] = "“中”的起点应在1到999分之间"
        if not 1 <= self.high_from <= 999:
            errors["high_from"] = "“高”的起点应在1到999分之间"
        elif self.high_from <= self.medium_from:
            errors["high_from"] = "“高”的起点应大于“中”的起点"
        return errors


@dataclass(frozen=True)
class Answer:
    """One item as it was asked (kept with the assessment: changing the checklist later changes nothing here)."""

    code: str
    question: str
    weight: int
    critical: bool
    yes: bool


@dataclass(frozen=True)
class Outcome:
    score: int
    level: str  # computed: low / medium / high
    critical: tuple[str, ...]  # the critical items answered yes (their questions)


def compute(answers: list[Answer], t: Thresholds) -> Outcome:
    score = sum(a.weight for a in answers if a.yes)
    critical = tuple(a.question for a in answers if a.yes and a.critical)
    if critical or score >= t.high_from:
        level = "high"
    elif score >= t.medium_from:
        level = "medium"
    else:
        level = "low"
    return Outcome(score, level, critical)


def why(o: Outcome, t: Thresholds) -> str:
    """How the level was reached, in a sentence."""
    if o.critical:
        return f"{o.score}分；有一项即为高风险的情形：{'；'.join(o.critical)}"
    if o.level == "high":
        return f"{o.score}分（{t.high_from}分以上为高）"
    if o.level == "medium":
        return f"{o.score}分（{t.medium_from}至{t.high_from - 1}分为中）"
    return f"{o.score}分（{t.medium_from}分以下为低）"


@dataclass
class RiskForm:
    """What the clerk fills in: the date, the occasion, the yes answers, the level chosen and why."""

    assessed_on: dt.date
    occasion: str
    yes: set[str] = field(default_factory=set)  # codes answered yes
    level: str = ""  # '' takes the computed level
    level_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class Assessment:
    id: int
    case_id: int
    case_no: str
    assessed_on: dt.date
    occasion: str
    answers: tuple[Answer, ...]
    score: int
    computed_level: str
    level: str
    level_reason: str
    note: str
    staff: str

    @property
    def adjusted(self) -> str:
        """'' or how the clerk changed the computed level: 上调 / 下调."""
        if self.level == self.computed_level:
            return ""
        return "上调" if LEVELS.index(self.level) > LEVELS.index(self.computed_level) else "下调"

    @property
    def summary(self) -> str:
        """高（红色），18分 · 上调（原为中）"""
        text = f"{level_text(self.level)}，{self.score}分"
        if self.adjusted:
            text += f" · {self.adjusted}（按清单为{LEVEL_LABELS[self.computed_level]}）"
        return text


# how long each text may be (domain/limits.py): the assessment's, and the administrator's checklist items'
LIMITS = limits.define(Assessment, {"level_reason": ("调整等级的理由", REASON_MAX), "note": ("说明", NOTE_MAX)})
ITEM_LIMITS = limits.define(RiskItem, {"question": ("问题", QUESTION_MAX), "source": ("依据", SOURCE_MAX)})


def check(form: RiskForm, items: list[RiskItem], t: Thresholds, today: dt.date) -> tuple[list[Answer], Outcome,
                                                                                       RiskForm]:
    """The answers as asked, the computed outcome and the form cleaned; ValidationError names the field."""
    errors: dict[str, str] = {}
    if msg := out_of_range(form.assessed_on, "评估日期", today):
        errors["assessed_on"] = msg
    if form.occasion not in OCCASIONS:
        errors["occasion"] = f"请选择评估的时机：{'、'.join(OCCASIONS)}"
    known = {i.code for i in items}
    unknown = form.yes - known
    if unknown:
        errors["answers"] = "清单中没有这些项目，请重新打开评估"
    answers = [Answer(i.code, i.question, i.weight, i.critical, i.code in form.yes) for i in items]
    outcome = compute(answers, t)
    level = form.level or outcome.level
    try:
        reason = clean(form.level_reason, multiline=True)
        note = clean(form.note, multiline=True)
    except TextError as e:
        raise ValidationError({"level_reason": str(e)}) from None
    if level not in LEVELS:
        errors["level"] = "请选择风险等级：高、中、低"
    elif LEVELS.index(level) < LEVELS.index(outcome.level) and not reason:
        errors["level_reason"] = (f"按清单评估为“{LEVEL_LABELS[outcome.level]}”，定为“{LEVEL_LABELS[level]}”"
                                  "须写明理由（理由会保存在评估记录中）")
    for name, value in (("level_reason", reason), ("note", note)):
        if msg := limits.too_long(value, *LIMITS[name]):
            errors[name] = msg
    if errors:
        raise ValidationError(errors)
    return answers, outcome, RiskForm(form.assessed_on, form.occasion, set(form.yes), level, reason, note)


def check_items(items: list[RiskItem], t: Thresholds) -> list[RiskItem]:
    """The administrator's checklist: each question written once, weights 0–10; the thresholds in order."""
    errors = t.problems()
    seen: set[str] = set()
    cleaned: list[RiskItem] = []
    for n, i in enumerate(items, 1):
        try:
            q = clean(i.question)
            src = clean(i.source)
        except TextError as e:
            errors[f"item{n}"] = f"第{n}项：{e}"
            continue
        if not q:
            errors[f"item{n}"] = f"第{n}项：请写上问题"
        elif q in seen:
            errors[f"item{n}"] = f"第{n}项与前面的问题重复"
        elif msg := limits.too_long(q, f"第{n}项的{ITEM_LIMITS['question'][0]}", QUESTION_MAX):
            errors[f"item{n}"] = msg
        elif not 0 <= i.weight <= 10:
            errors[f"item{n}"] = f"第{n}项：分值应在0到10之间"
        elif msg := limits.too_long(src, f"第{n}项的{ITEM_LIMITS['source'][0]}", SOURCE_MAX):
            errors[f"item{n}"] = msg
        seen.add(q)
        cleaned.append(RiskItem(i.code, q, i.weight, i.critical, src, i.active))
    if not any(i.active for i in cleaned) and cleaned:
        errors["items"] = "至少要启用一个项目"
    if errors:
        raise ValidationError(errors)
    return cleaned


def trend(assessments: list[Assessment]) -> str:
    """Oldest to newest: 2026年3月1日 中 → 2026年4月2日 高 (上升)."""
    if not assessments:
        return "还没有评估"
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, a.id))
    text = " → ".join(f"{format_cn(a.assessed_on)} {LEVEL_LABELS[a.level]}" for a in ordered)
    if len(ordered) > 1:
        first, last = LEVELS.index(ordered[-2].level), LEVELS.index(ordered[-1].level)
        text += "（上升）" if last > first else "（下降）" if last < first else "（持平）"
    return text


@dataclass(frozen=True)
class RiskPaper:
    """What the 风险评估表 prints: one assessment of her, and the thresholds it was graded by."""

    office: str
    woman: str
    assessment: Assessment
    thresholds: Thresholds

    def texts(self) -> list[str]:
        a = self.assessment
        return [self.office, self.woman, a.case_no, a.occasion, a.staff, a.level_reason, a.note,
                *(x.question for x in a.answers)]
