"""A made-up database with every kind of work for the statistics, export and import tests: demo petitions
over six years, and referrals, mediations, households and visits made through the services with random
dates and outcomes in 2024–2026. Nobody here exists."""

from __future__ import annotations

import datetime as dt
import random

from fulian_desktop.demo import generate as demo
from fulian_desktop.domain.household import Cadre, Household, Member, Visit
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mediation import Agreement, AgreementItem, Closing, Mediation, Mediator, Party, Session
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Consent, Referral
from fulian_desktop.services import households, mediations, organisations, referrals
from fulian_desktop.services.context import Context

TOWNSHIPS = ("城关镇", "东山镇", "西河乡", "南岭镇")
FIRST = dt.date(2024, 1, 1)


def _day(rng: random.Random, today: dt.date, first: dt.date = FIRST) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((today - first).days - 5))


def _woman(rng: random.Random, i: int) -> Person:
    birth = dt.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return Person(name=f"测{'甲乙丙丁戊己庚辛'[i % 8]}{i}", sex="女",
                  id_number=make_id_number("439021", birth, 100 + i, female=True), phone=f"1380000{i:04d}")


# every kind of victim the means-test exemption covers (法律援助法 art. 32 item 4), not only 家庭暴力
VICTIMS = ("家庭暴力", "遗弃", "虐待")


def fill(ctx: Context, seed: int = 11, petitions: int = 400, n_referrals: int = 30, n_mediations: int = 30,
         n_households: int = 6, n_visits: int = 60) -> None:
    rng = random.Random(seed)
    today = ctx.today()
    demo.generate(ctx, petitions, seed=seed)
    org = organisations.directory(ctx)[0]
    for i in range(n_referrals):
        on = _day(rng, today)
        victim = rng.random() < 0.4
        case_id, _ = referrals.refer(ctx, Referral(
            referred_on=on, applicant=_woman(rng, 1000 + i), township=rng.choice(TOWNSHIPS), village="",
            matter=rng.choice(("离婚", "抚养", "家庭暴力", "劳动")), role="尚未确定", legal_state="尚未进入程序",
            help_kinds=["咨询"], facts="测试用的案情。", organisation=org, staff="周敏",
            victim_of=[VICTIMS[i % 3]] if victim else [], means="" if victim else "个人诚信承诺",
            consent=Consent(on=on) if (consented := rng.random() < 0.85) else None))
        if consented and rng.random() < 0.6 and (today - on).days > 10:
            answered = on + dt.timedelta(days=rng.choice((2, 5, 9)))
            if rng.random() < 0.8:
                referrals.accept(ctx, case_id, answered, "某律师")
            else:
                referrals.refuse(ctx, case_id, "不符合条件", answered)
    ids = [mediations.save_mediator(ctx, Mediator("调解甲")), mediations.save_mediator(ctx, Mediator("调解乙"))]
    for i in range(n_mediations):
        on = _day(rng, today)
        case_id, _ = mediations.open_mediation(ctx, Mediation(
            received_on=on, source="当事人申请", dispute_type=rng.choice(("婚姻", "赡养", "抚养")),
            relationship="夫妻", township=rng.choice(TOWNSHIPS), village="", facts=f"测试纠纷{i}。", request="",
            registrar="周敏", parties=[Party(_woman(rng, 2000 + i), "applicant"),
                                      Party(Person(name=f"对方{i}", sex="男"), "respondent")],
            mediator_ids=ids))
        if (today - on).days < 40 or rng.random() < 0.15:
            continue
        held = on + dt.timedelta(days=rng.randrange(1, 20))
        outcome = rng.choice(("reconciled", "reconciled", "agreed", "failed", "self_settled", "ended"))
        if outcome in ("reconciled", "agreed", "failed"):
            mediations.add_session(ctx, case_id, Session(
                held_on=held, place="调解室", mediators="调解甲", recorder="调解乙", present="双方",
                applicant_said="说明", respondent_said="说明",
                result="调解不成" if outcome == "failed" else "达成一致", result_detail="测试"))
        closed = held + dt.timedelta(days=rng.randrange(0, 30))
        mediations.close(ctx, case_id, Closing(
            outcome=outcome, on=min(closed, today), note="" if outcome == "agreed" else "测试说明",
            failed_route="引导诉讼" if outcome == "failed" else "",
            agreement=Agreement("事实", "责任", [AgreementItem("付抚养费", "转账", "每月5日前")])
            if outcome == "agreed" else None))
    poor = next(c for c in households.care_lists(ctx) if c.name == "帮扶户")
    cases = []
    for i in range(n_households):
        head = _woman(rng, 3000 + i)
        case_id, _ = households.register(ctx, Household(
            list_id=poor.id or 0, received_on=FIRST, head=Member(head, relation=""), members=[],
            township=TOWNSHIPS[i % len(TOWNSHIPS)], village="", household_type="低保户", causes=["因病"],
            cadre=Cadre(name="赵红梅", from_date=FIRST)))
        cases.append(case_id)
    for _ in range(n_visits):
        kind = rng.choice(("visit", "solace", "assist"))
        cash = rng.choice((0, 20000, 50000)) if kind != "visit" else 0
        goods = rng.choice((0, 15000)) if kind == "solace" else 0
        households.log_visit(ctx, rng.choice(cases), Visit(
            visited_on=_day(rng, today), visitors="刘芳", kind=kind, cash_fen=cash,
            goods="米油" if goods else "", goods_fen=goods, seen="测试"))
