"""Risk assessments (风险评估) of a domestic-violence case: the checklist, assessing, the case's assessments and
their trend; the administrator's checklist. Only the roles that handle the case (services/protection.py)."""

from __future__ import annotations

from ..domain import dv_risk as rules
from ..domain.dv_risk import Assessment, RiskForm, RiskItem, RiskPaper, Thresholds
from ..domain.errors import NotFound
from ..store import cases as case_store
from ..store import dv_risk as store
from ..store import protection as protection_store
from . import audit, settings
from .context import Context
from .protection import check_handling, woman_name


def checklist(ctx: Context) -> tuple[list[RiskItem], Thresholds]:
    """The items asked now (the active ones, in order) and the thresholds."""
    ctx.require("protection.read")
    return store.items(ctx.db), store.thresholds(ctx.db)


def assess(ctx: Context, case_id: int, form: RiskForm) -> int:
    """Record an assessment: the answers as asked, the score, the computed level and the level given (lower than
    computed only with a reason); a line in the case's timeline."""
    check_handling(ctx, case_id, "protection.write")
    items, t = store.items(ctx.db), store.thresholds(ctx.db)
    answers, outcome, f = rules.check(form, items, t, ctx.today())
    with ctx.action() as db:
        person = protection_store.woman_of(db, case_id)
        new_id = store.add(db, case_id, person, f, answers, outcome.score, outcome.level, ctx.who(), ctx.now())
        a = store.get(db, new_id)
        assert a is not None
        note = f"{f.occasion}评估：{a.summary}"
        if f.level_reason:
            note += f"。理由：{f.level_reason}"
        case_store.add_timeline(db, case_id, ctx.now(), ctx.who(), "风险评估", note)
    return new_id


def assessments(ctx: Context, case_id: int) -> list[Assessment]:
    """The case's assessments, oldest first."""
    check_handling(ctx, case_id)
    return store.of_case(ctx.db, case_id)


def assessment(ctx: Context, case_id: int, assessment_id: int) -> Assessment:
    check_handling(ctx, case_id)
    a = store.get(ctx.db, assessment_id)
    if a is None or a.case_id != case_id:
        raise NotFound("找不到这次风险评估")
    return a


def print_assessment(ctx: Context, case_id: int, assessment_id: int | None = None) -> tuple[bytes, str]:
    """The 家庭暴力风险评估表 of one assessment (the latest unless named): PDF bytes and a file name."""
    from .. import documents  # reportlab loads with it

    check_handling(ctx, case_id)
    ctx.require("case.print")
    if assessment_id is None:
        done = store.of_case(ctx.db, case_id)
        if not done:
            raise NotFound("这件案件还没有风险评估")
        a = done[-1]
    else:
        a = assessment(ctx, case_id, assessment_id)
    paper = RiskPaper(settings.office_name(ctx), woman_name(ctx, case_id), a, store.thresholds(ctx.db))
    pdf = documents.render_case("risk_assessment", paper, paper.office, ctx.today())
    audit.printed(ctx, case_id, "risk_assessment", target=str(a.id))
    return pdf, documents.suggested_filename("risk_assessment", paper)


def items_for_admin(ctx: Context) -> tuple[list[RiskItem], Thresholds]:
    """Every item (also the ones no longer asked) and the thresholds, for the settings."""
    ctx.require("settings.write")
    return store.items(ctx.db, include_inactive=True), store.thresholds(ctx.db)


def save_checklist(ctx: Context, items: list[RiskItem], t: Thresholds) -> None:
    """The administrator's checklist: questions, weights, which make 高 on their own, which are asked; the
    thresholds. Old assessments keep the items as they were asked."""
    ctx.require("settings.write")
    cleaned = rules.check_items(items, t)
    with ctx.action() as db:
        taken = store.codes(db)
        numbered = []
        for i in cleaned:
            if not i.code:
                n = len(taken) + 1
                while f"item{n}" in taken:
                    n += 1
                taken.add(f"item{n}")
                i = RiskItem(f"item{n}", i.question, i.weight, i.critical, i.source, i.active)
            numbered.append(i)
        store.save_items(db, numbered, t)
