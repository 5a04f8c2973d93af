"""家暴防护: which cases have the thread, and who may see it.

The thread (risk assessments, safety plans, police contact, protection orders …) is the most sensitive data
here: only the roles that handle cases read or write it (protection.read / protection.write), and only on a case
of a kind their account may write (`check_handling`): a window clerk on a petition, a mediator on a mediation."""

from __future__ import annotations

import datetime as dt

from ..domain.errors import NotFound
from ..store import cases as case_store
from ..store import dv_risk as risk_store
from ..store import people as people_store
from ..store import protection as store
from ..store import safety_plans as plan_store
from .context import Context


def check_handling(ctx: Context, case_id: int, permission: str = "protection.read") -> str:
    """`permission` first, then the right to write the case's kind (the roles that handle it); the kind."""
    ctx.require(permission)
    header = case_store.case_header(ctx.db, case_id)
    if header is None:
        raise NotFound("找不到这个案件")
    kind = str(header["kind"])
    ctx.require(f"{kind}.write")
    return kind


def shows_thread(ctx: Context, case_id: int) -> bool:
    """The case page shows 家暴防护: the case is about domestic violence and the account handles it."""
    ctx.require("protection.read")
    header = case_store.case_header(ctx.db, case_id)
    if header is None or not ctx.may(f"{header['kind']}.write"):
        return False
    return store.is_dv_case(ctx.db, case_id)


def opened(ctx: Context, case_id: int) -> None:
    """The 家暴防护 tab of a case was shown: recorded in the audit trail (who looked at her thread, when)."""
    check_handling(ctx, case_id)
    ctx.record("protection.view", case_id=case_id)


def woman_name(ctx: Context, case_id: int) -> str:
    """Her name (the case's person), as printed on her papers."""
    check_handling(ctx, case_id)
    person_id = store.woman_of(ctx.db, case_id)
    return people_store.get(ctx.db, person_id).name if person_id is not None else ""


def papers(ctx: Context, case_id: int) -> list[tuple[str, dt.date, str, str]]:
    """The papers of her thread this account may print from the case (`print --list`): (title, date, note, the
    form), after the case's other documents; none for an account that does not handle the case."""
    ctx.require("case.print")
    if not ctx.may("protection.read") or not shows_thread(ctx, case_id):
        return []
    out: list[tuple[str, dt.date, str, str]] = []
    done = risk_store.of_case(ctx.db, case_id)
    if done:
        out.append(("家庭暴力风险评估表", done[-1].assessed_on, f"最近一次：{done[-1].summary}", "risk_assessment"))
    plan = plan_store.latest(ctx.db, case_id)
    if plan is not None:
        out.append(("安全计划", plan.made_on, "", "safety_plan"))
        out.append(("安全计划（不显示单位的版本）", plan.made_on, "标题为“备忘”，被他看到也不显眼", "safety_plan_plain"))
    return out
