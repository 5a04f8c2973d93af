"""Safety plans (安全计划) of a domestic-violence case: the one in force, a new version. Only the roles that
handle the case (services/protection.py); printing is in services/printing.py."""

from __future__ import annotations

from ..domain import safety_plan as rules
from ..domain.errors import NotFound
from ..domain.safety_plan import SafetyPaper, SafetyPlan, SafetyPlanForm
from ..store import cases as case_store
from ..store import protection as protection_store
from ..store import safety_plans as store
from . import audit, settings
from .context import Context
from .protection import check_handling, woman_name


def current(ctx: Context, case_id: int) -> SafetyPlan | None:
    """The plan in force (the latest), or None."""
    check_handling(ctx, case_id)
    return store.latest(ctx.db, case_id)


def versions(ctx: Context, case_id: int) -> int:
    """How many versions were made (the earlier ones are kept)."""
    check_handling(ctx, case_id)
    return store.count(ctx.db, case_id)


def save(ctx: Context, case_id: int, form: SafetyPlanForm) -> int:
    """A new version of the plan (the earlier one is kept); a line in the timeline."""
    check_handling(ctx, case_id, "protection.write")
    f = rules.check(form, ctx.today())
    with ctx.action() as db:
        earlier = store.latest(db, case_id)
        new_id = store.add(db, case_id, protection_store.woman_of(db, case_id), f, ctx.who(), ctx.now())
        parts = "、".join(label for name, label, _p in rules.PARTS if getattr(f, name))
        case_store.add_timeline(db, case_id, ctx.now(), ctx.who(), "安全计划",
                                f"{'修改' if earlier else '制定'}安全计划（{parts}）")
    return new_id


def print_plan(ctx: Context, case_id: int, plain: bool = False) -> tuple[bytes, str]:
    """Her safety plan on one page for her: PDF bytes and a file name. `plain`: the version safe if the abuser
    finds it (titled 备忘, no office, no case number, no word about violence)."""
    from .. import documents  # reportlab loads with it

    check_handling(ctx, case_id)
    ctx.require("case.print")
    plan = store.latest(ctx.db, case_id)
    if plan is None:
        raise NotFound("这件案件还没有安全计划")
    paper = SafetyPaper(settings.office_name(ctx), woman_name(ctx, case_id), plan, plain)
    form = "safety_plan_plain" if plain else "safety_plan"
    pdf = documents.render_case(form, paper, paper.office, ctx.today())
    audit.printed(ctx, case_id, form, target=str(plan.id))
    return pdf, documents.suggested_filename(form, paper)
