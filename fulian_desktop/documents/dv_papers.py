"""The papers of her 家暴防护 thread the office prints from its own records: the 家庭暴力风险评估表 (one
assessment: each item answered, the score, the level and why) and her safety plan on one page — in the office's
form, or plain (备忘: no office, no case number, no word about violence), safe if the abuser finds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.units import mm

from ..domain import dv_risk as risk
from ..domain import safety_plan as plan_rules
from ..domain.dates import format_cn
from ..domain.dv_risk import RiskPaper
from ..domain.safety_plan import SafetyPaper
from . import layout as L
from .registry import FormKind, register

W4 = [26 * mm, 59 * mm, 26 * mm, 59 * mm]  # label | value | label | value (170 mm)
W6 = [18 * mm, 32 * mm, 20 * mm, 54 * mm, 18 * mm, 28 * mm]  # three label | value pairs (170 mm)
ITEMS = [12 * mm, 121 * mm, 13 * mm, 24 * mm]  # 序号 | 评估项目 | 分值 | 是否


def _yes_no(yes: bool) -> str:
    return L.choices(["是", "否"], "是" if yes else "否")


def render_risk(p: RiskPaper, _office: str, _printed_on: dt.date) -> bytes:
    """One page when the notes are short: her, the date, who assessed; the items; the score and the levels; what
    to do; the signature."""
    a, t = p.assessment, p.thresholds
    form = L.Form(W6)
    form.rows([L.label("当事人"), L.names(p.woman), L.label("评估日期"),
               L.value(f"{format_cn(a.assessed_on)}（{a.occasion}）"), L.label("评估人"), L.value(a.staff)])
    items = L.Form(ITEMS)
    rows = [[L.value(str(n), align="center"), L.value(x.question + ("　★" if x.critical else "")),
             L.value(str(x.weight), align="center"), L.value(_yes_no(x.yes), align="center")]
            for n, x in enumerate(a.answers, 1)]
    items.listing([L.label("序号"), L.label("评估项目"), L.label("分值"), L.label("情况")], rows)
    outcome = L.Form(W6)
    outcome.rows([L.label("得分"), L.value(f"{a.score}分"), L.label("按清单"),
                  L.value(risk.level_text(a.computed_level)), L.label("风险等级"), L.value(risk.level_text(a.level))])
    if a.level_reason:
        outcome.text(f"{a.adjusted}理由", a.level_reason, min_lines=1, indent=False)
    outcome.text("应对建议", risk.LEVEL_ADVICE[a.level], min_lines=1, indent=False)
    if a.note:
        outcome.text("说明", a.note, min_lines=1, indent=False)
    ending = L.keep_together(
        L.note(f"标★的任何一项即为高；{t.high_from}分以上为高（红色），{t.medium_from}至{t.high_from - 1}分为中"
               f"（橙色），{t.medium_from}分以下为低（黄色）。项目参照DASH风险识别清单（SafeLives，2009）。注意保密。",
               space_before=1 * mm),
        L.signature_block(["评估人（签名）："], space_before=1 * mm))
    return L.build("家庭暴力风险评估表", form.flowables(), items.flowables(), outcome.flowables(), ending,
                   fields=[p.office, f"编号：{a.case_no}"], author=p.office, subject="家庭暴力风险评估表")


def risk_texts(p: RiskPaper) -> Iterator[str]:
    yield from p.texts()
    yield from risk.LEVEL_ADVICE.values()


def risk_file_parts(p: RiskPaper) -> tuple[str, dt.date | None]:
    return p.woman, p.assessment.assessed_on


def render_plan(p: SafetyPaper, _office: str, _printed_on: dt.date) -> bytes:
    plan = p.plan
    parts = [(plain if p.plain else label, plan.part(name)) for name, label, plain in plan_rules.PARTS
             if plan.part(name)]
    if p.plain:  # nothing that says who made it or what it is about: a note she keeps
        form = L.Form([34 * mm, 136 * mm])
        for label, text in parts:
            form.text(label, text, min_lines=3, indent=False)
        story = [*form.flowables(), L.note(f"{format_cn(plan.made_on)}")]
        return L.build(plan_rules.PLAIN_TITLE, story, creator="")  # nor in the file's properties
    form = L.Form(W4)
    form.rows([L.label("姓名"), L.names(p.woman), L.label("制定日期"), L.value(format_cn(plan.made_on))])
    for label, text in parts:
        form.text(label, text, min_lines=3, indent=False)
    story = [*form.flowables(),
             L.note("遇到危险请立即拨打110。这份计划是您和我们一起商定的，请放在安全的地方；情况变化时可以随时来改。"),
             L.signature_block(["本人（签名）：", "工作人员（签名）："])]
    return L.build("安全计划", story, fields=[p.office, f"编号：{plan.case_no}"], author=p.office, subject="安全计划")


def plan_texts(p: SafetyPaper) -> Iterator[str]:
    yield from p.texts()


def plan_file_parts(p: SafetyPaper) -> tuple[str, dt.date | None]:
    return ("" if p.plain else p.woman), p.plan.made_on


RISK_FORM = register(FormKind("risk_assessment", "家庭暴力风险评估表", render_risk, risk_texts, risk_file_parts))
PLAN_FORM = register(FormKind("safety_plan", "安全计划", render_plan, plan_texts, plan_file_parts))
# the plain version: its title (and the file's name) say nothing
PLAIN_PLAN_FORM = register(FormKind("safety_plan_plain", plan_rules.PLAIN_TITLE, render_plan, plan_texts,
                                    plan_file_parts))
