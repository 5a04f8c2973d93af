"""The demo's 家暴防护 stories, told to the services after the cases are loaded, each step at its own moment:
a 告诫书 and its follow-up visits, an order granted and ended, an order in force that ends soon (with a violation
reported to the court), a girl reported to the police (强制报告); her risk assessed at intake with a safety plan,
rising before the order in force (the plan made stronger), falling after the order that ended. Made-up data only;
the cases are chosen by one query, everything is written by the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..domain.dates import from_iso
from ..domain.dv_risk import RiskForm
from ..domain.mandatory_report import ground_from_birth
from ..domain.police_contact import PoliceContact
from ..domain.protection_order import MEASURES, default_end
from ..domain.safety_plan import SafetyPlanForm
from ..services import dv_risk, mandatory_reports, police_contacts, safety_plans
from ..services import protection_orders as orders
from ..services.context import Context
from ..store.protection import DV_CONDITION

NINE = dt.time(9, 30)


def _at(ctx: Context, day: dt.date, staff: str, time: dt.time = NINE) -> Context:
    """The office's context at a past moment, as the clerk who handles the case."""
    moment = dt.datetime.combine(day, time)
    return replace(ctx, clock=lambda: moment, staff=staff)


def tell(ctx: Context) -> None:
    if not (ctx.may("protection.write") and ctx.may("petition.write")):
        return
    today = ctx.today()
    rows = ctx.db.execute(
        f"""SELECT c.id, c.received_on, p.receiving_staff, c.township, pe.birth_date FROM cases c
            JOIN petitions p ON p.case_id = c.id LEFT JOIN people pe ON pe.id = c.person_id
            WHERE ({DV_CONDITION}) AND NOT EXISTS (SELECT 1 FROM police_contacts x WHERE x.case_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM protection_orders x WHERE x.case_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM mandatory_reports x WHERE x.case_id = c.id)
            ORDER BY c.received_on DESC, c.id DESC""").fetchall()  # (a second run: other cases)
    cases = [(int(r[0]), from_iso(r[1]), str(r[2]), str(r[3]) or "城关", from_iso(r[4])) for r in rows]
    used: set[int] = set()

    def pick(test: object) -> tuple[int, dt.date, str, str, dt.date | None] | None:
        for c in cases:
            if c[0] not in used and test(c):  # type: ignore[operator]
                used.add(c[0])
                return c  # type: ignore[return-value]
        return None

    # a girl: reported to the police the day after she came
    girl = pick(lambda c: c[4] is not None and ground_from_birth(c[4], c[1]) == "minor")
    if girl:
        case_id, on, staff, township, _birth = girl
        day = min(on + dt.timedelta(days=1), today)
        mandatory_reports.record_report(_at(ctx, day, staff), case_id, day, f"{township}派出所", "电话报警",
                                        f"J{day:%Y%m%d}0031")
    # a recent case: the 告诫书 and its visits, those whose day has passed done on their day
    recent = pick(lambda c: (today - c[1]).days <= 80)
    if recent:
        case_id, on, staff, township, _birth = recent
        issued = min(on + dt.timedelta(days=1), today)
        police_contacts.record(_at(ctx, issued, staff), case_id, PoliceContact(
            "warning", f"{township}派出所", issued, f"{township[:1]}公（家）告字〔{issued.year}〕{case_id % 90 + 10}号"))
        for f in police_contacts.of_case(ctx, case_id).follow_ups:
            if f.due_on < today - dt.timedelta(days=2) and f.id is not None:
                police_contacts.record_visit(_at(ctx, f.due_on, staff, dt.time(15, 0)), case_id, f.id, f.due_on,
                                             "派出所和村（居）委会", "被申请人表示不再动手，她情绪稳定，孩子正常上学。")
    # an order granted and ended
    ended = pick(lambda c: 200 <= (today - c[1]).days <= 900)
    if ended:
        _risk_story(ctx, *ended[:3], until=ended[1] + dt.timedelta(days=60), rising=False)  # calmer after the order
        _order_story(ctx, *ended[:4], ruled_on=ended[1] + dt.timedelta(days=4), violation=False)
    # an order in force that ends within the reminder days, a violation reported to the court
    ruled_on = today - dt.timedelta(days=175)
    soon = pick(lambda c: c[1] <= ruled_on - dt.timedelta(days=3))
    if soon:
        _risk_story(ctx, *soon[:3], until=ruled_on - dt.timedelta(days=2), rising=True)  # why she applied
        _order_story(ctx, *soon[:4], ruled_on=ruled_on, violation=True)


def _risk_story(ctx: Context, case_id: int, on: dt.date, staff: str, *, until: dt.date, rising: bool) -> None:
    """Her risk assessed at intake (中) with a safety plan, then again: rising (高: he strangled her; the plan made
    stronger) or falling (低 once the order was made)."""
    registered = dt.datetime.fromisoformat(
        ctx.db.execute("SELECT created_at FROM cases WHERE id = ?", [case_id]).fetchone()[0])

    def at(moment: dt.datetime) -> Context:  # a step at its moment, never later than now
        moment = min(moment, ctx.now())
        return replace(ctx, clock=lambda: moment, staff=staff)

    intake = registered + dt.timedelta(minutes=20)
    dv_risk.assess(at(intake), case_id, RiskForm(
        on, "登记时", {"afraid", "more_often", "control", "money"}, note="她说最近一个月打了三次，最怕他喝酒后回家。"))
    safety_plans.save(at(intake + dt.timedelta(minutes=15)), case_id, SafetyPlanForm(
        on, safe_place="娘家；娘家不方便时去村妇联主席家", contacts="110\n村妇联主席\n妹妹",
        documents="身份证、户口本和银行卡放在妹妹家", children="危险时先把孩子送到奶奶家"))
    later = min(on + dt.timedelta(days=20 if rising else 40), until)
    if later <= on or dt.datetime.combine(later, dt.time(15, 0)) > ctx.now():
        return
    moment = dt.datetime.combine(later, dt.time(15, 0))
    if rising:
        dv_risk.assess(at(moment), case_id, RiskForm(
            later, "来电", {"afraid", "more_often", "worse", "stalking", "separation", "strangle"},
            note="她提出离婚后，他掐她的脖子，还天天打电话威胁。"))
        safety_plans.save(at(moment + dt.timedelta(minutes=30)), case_id, SafetyPlanForm(
            later, safe_place="县救助管理站（已联系，可随时入住）；娘家", contacts="110\n村妇联主席\n妹妹",
            documents="身份证、户口本、银行卡、伤情照片和病历放在妹妹家", children="孩子暂住奶奶家，学校只让她本人接",
            other="和邻居约好：听到呼救就报警；手机常充满电"))
    else:
        dv_risk.assess(at(moment), case_id, RiskForm(
            later, "回访", {"afraid"}, note="保护令作出后他没有再动手，她仍有些害怕。"))


def _order_story(ctx: Context, case_id: int, on: dt.date, staff: str, township: str, *, ruled_on: dt.date,
                 violation: bool) -> None:
    court = f"{township}人民法庭" if township else "县人民法院"
    applied = ruled_on - dt.timedelta(days=2)
    a = orders.draft(_at(ctx, applied, staff), case_id)
    a.court, a.on_behalf, a.consent_on = court, True, applied
    a.respondent = a.respondent or "（姓名不详）"
    a.respondent_relation = a.respondent_relation or "丈夫"
    a.requests = list(MEASURES[:2])
    a.wishes = "她害怕报复，不敢自己去法院，希望本会代她申请，禁止对方再打她、再到她住处纠缠。"
    orders.situation_proof(_at(ctx, applied, staff, dt.time(9, 0)), case_id)
    order_id, _doc = orders.apply(_at(ctx, applied, staff), case_id, a)
    filed = dt.datetime.combine(ruled_on - dt.timedelta(days=1), dt.time(15, 20))
    orders.record_filing(_at(ctx, filed.date(), staff, dt.time(16, 0)), case_id, order_id, court, filed)
    orders.record_ruling(_at(ctx, ruled_on, staff, dt.time(17, 0)), case_id, order_id, "granted", ruled_on,
                         f"（{ruled_on.year}）民保令{case_id % 50 + 1}号", "禁止被申请人对申请人实施家庭暴力；"
                         "禁止被申请人骚扰、跟踪、接触申请人及其相关近亲属", default_end(ruled_on))
    if violation:
        day = ruled_on + dt.timedelta(days=40)
        violation_id = orders.record_violation(_at(ctx, day, staff), case_id, order_id, day,
                                               "被申请人酒后到她娘家门口叫骂，威胁要带走孩子。")
        orders.report_violation(_at(ctx, day + dt.timedelta(days=1), staff), case_id, violation_id,
                                day + dt.timedelta(days=1), court)
