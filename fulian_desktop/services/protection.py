"""家暴防护: which cases have the thread, and who may see it.

The thread (risk assessments, safety plans, police contact, protection orders …) is the most sensitive data
here: only the roles that handle cases read or write it (protection.read / protection.write), and only on a case
of a kind their account may write (`check_handling`): a window clerk on a petition, a mediator on a mediation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..domain.dates import format_cn, from_iso
from ..domain.dv_risk import Assessment
from ..domain.errors import NotFound
from ..domain.masking import mask_id_number, mask_phone, mask_text
from ..domain.records import Person
from ..domain.safety_plan import SafetyPlan
from ..domain.statuses import status_label
from ..store import cases as case_store
from ..store import dv_risk as risk_store
from ..store import people as people_store
from ..store import protection as store
from ..store import protection_orders as order_store
from ..store import safety_plans as plan_store
from . import start_page
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


@dataclass(frozen=True)
class CaseLine:
    id: int
    case_no: str
    kind: str
    status: str  # in words
    received_on: dt.date
    summary: str  # masked
    dv: bool
    handled: bool  # the account handles this kind of case: its thread is in the picture
    kind_label: str = ""  # the kind as lists show it: a referral names its service (转介（庇护所/救助管理站）)


@dataclass(frozen=True)
class ReferralLine:
    case_id: int
    text: str  # 2026年3月3日 庇护所/救助管理站 县救助管理站：已接收（2026年3月4日答复）
    answered: bool


@dataclass(frozen=True)
class PersonPicture:
    """One picture of her (the person page): her cases, the risk trend, the safety plan, her referrals and their
    replies, what is due next — the thread only from the cases this account handles."""

    person: Person  # ID number and phone masked unless the account may see them
    cases: list[CaseLine]
    assessments: list[Assessment]  # oldest first, across her cases
    plan: SafetyPlan | None
    referrals: list[ReferralLine]
    due: list[tuple[dt.date, int, str, str]]  # (date, case id, case number, what), soonest first
    orders: list[tuple[int, str, dt.date]]  # protection orders in force: (case id, case number, last day)


def person_picture(ctx: Context, person_id: int) -> PersonPicture:
    ctx.require("protection.person")
    person = people_store.get(ctx.db, person_id)
    if not ctx.may("people.identity"):
        person = replace(person, id_number=mask_id_number(person.id_number), phone=mask_phone(person.phone))
    rows = people_store.cases_of(ctx.db, person_id)
    labels = case_store.kind_labels(ctx.db, [r["id"] for r in rows])
    seen: set[int] = set()
    lines: list[CaseLine] = []
    for r in rows:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        received = from_iso(r["received_on"])
        assert received is not None
        lines.append(CaseLine(r["id"], r["case_no"], r["kind"], status_label(r["kind"], r["status"]), received,
                              mask_text(r["summary"]), store.is_dv_case(ctx.db, r["id"]), ctx.may(f"{r['kind']}.write"),
                              labels[r["id"]]))
    handled = {c.id for c in lines if c.handled and c.dv}
    assessments = [a for a in risk_store.of_person(ctx.db, person_id) if a.case_id in handled]
    plans = [p for p in (plan_store.latest(ctx.db, c) for c in handled) if p is not None]
    plan = max(plans, key=lambda p: (p.made_on, p.id)) if plans else None
    referrals: list[ReferralLine] = []
    if ctx.may("referral.read"):
        for r in store.referrals_of(ctx.db, person_id):
            answer = status_label(str(r["kind"]), str(r["status"]))
            answered = from_iso(r["answered_on"])
            if answered is not None:
                answer += f"（{format_cn(answered)}答复）"
            elif r["sent_on"]:
                answer += "，尚未答复"
            text = f"{format_cn(r['referred_on'])}　{r['service']}　{r['organisation']}：{answer}"
            referrals.append(ReferralLine(int(r["id"]), text, answered is not None))
    due = [(d, case_id, case_no, what) for iso, case_id, case_no, what in store.due_of(ctx.db, person_id)
           if (d := from_iso(iso)) is not None]
    due += [(i.due_on, i.case_id, i.case_no, f"{i.what}（{i.note}）") for i in start_page.protection_due(ctx)
            if i.case_id in handled]  # her threads: 查访, reports, rulings awaited, orders ending, violations
    orders = [o for o in order_store.in_force_for_person(ctx.db, person_id, ctx.today()) if o[0] in handled]
    ctx.record("protection.view", target=f"person:{person_id}")
    return PersonPicture(person, lines, assessments, plan, referrals, sorted(due), orders)


def person_of(ctx: Context, case_id: int) -> int | None:
    """The woman a case is about (for her person page), or None."""
    ctx.require("protection.person")
    return store.woman_of(ctx.db, case_id)
