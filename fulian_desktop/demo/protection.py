"""The demo's 家暴防护 stories, told to the services after the cases are loaded, each step at its own moment:
a 告诫书 and its follow-up visits, an order granted and ended, an order in force that ends soon (with a violation
reported to the court), a girl reported to the police (强制报告). Made-up data only; the cases are chosen by
one query, everything is written by the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..domain.dates import from_iso
from ..domain.mandatory_report import ground_from_birth
from ..domain.police_contact import PoliceContact
from ..domain.protection_order import MEASURES, default_end
from ..services import mandatory_reports, police_contacts
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
        _order_story(ctx, *ended[:4], ruled_on=ended[1] + dt.timedelta(days=4), violation=False)
    # an order in force that ends within the reminder days, a violation reported to the court
    ruled_on = today - dt.timedelta(days=175)
    soon = pick(lambda c: c[1] <= ruled_on - dt.timedelta(days=3))
    if soon:
        _order_story(ctx, *soon[:4], ruled_on=ruled_on, violation=True)


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
