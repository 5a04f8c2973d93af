"""Bulk loading writes what the services write: a case of each kind, taken through its steps once by the
services (a clock moved by hand) and once told as a story (demo/stories.py) and loaded in bulk, leaves the
same rows in every table — search index, deadlines, counters and timeline included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fulian_desktop.demo import stories
from fulian_desktop.domain import dv_repeat, idcard
from fulian_desktop.domain.household import Cadre, Finding, Household, Measure, Member, Visit
from fulian_desktop.domain.mediation import (
    Agreement,
    AgreementItem,
    Closing,
    Investigation,
    Mediation,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Referral
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.services import households, mediations, organisations, petitions, referrals
from fulian_desktop.services.context import Context, open_context
from fulian_desktop.store import bulk
from fulian_desktop.store import mediations as mediation_store

from .search_index import entries

TABLES = [
    ("people", "id"), ("cases", "id"), ("petitions", "case_id"), ("referrals", "case_id"),
    ("mediations", "case_id"), ("mediation_parties", "rowid"), ("mediation_mediators", "rowid"),
    ("mediation_sessions", "id"), ("mediation_investigations", "id"), ("mediation_agreement_items", "rowid"),
    ("mediation_visits", "id"), ("households", "case_id"), ("household_members", "id"), ("household_cadres", "id"),
    ("household_measures", "id"), ("visits", "id"), ("tasks", "id"), ("case_people", "rowid"),
    ("case_links", "rowid"), ("timeline", "id"), ("case_counters", "kind, year"), ("settings", "key"),
    ("search_tri", "rowid"), ("search_bi", "rowid"),
]
STAFF = "甲"


class Pair:
    """Two fresh databases: `a` is written through the services, `b` in bulk."""

    def __init__(self, tmp: Path) -> None:
        self.now = dt.datetime(2025, 9, 1, 9, 0)
        self.a = open_context(tmp / "services.db", clock=lambda: self.now, staff=STAFF)
        self.b = open_context(tmp / "bulk.db", clock=lambda: self.now, staff=STAFF)

    def at(self, when: dt.datetime, call: Callable[[], object]) -> dt.datetime:
        """Take one step through the services at `when`; return `when` for the story."""
        self.now = when
        call()
        return when

    def both(self, call: Callable[[Context], object]) -> None:
        """Set-up both databases need alike (the mediator roster)."""
        call(self.a)
        call(self.b)

    def same(self) -> dict[str, int]:
        """Assert both databases hold the same rows; return how many rows each table has."""
        counts = {}
        for table, order in TABLES:
            sql = f"SELECT * FROM {table} ORDER BY {order}"
            rows = self.a.db.execute(sql).fetchall()
            assert rows == self.b.db.execute(sql).fetchall(), table
            if table.startswith("search_"):  # the indexes keep no text: their terms, case by case
                assert entries(self.a.db, table) == entries(self.b.db, table), table
            counts[table] = len(rows)
        assert self.b.db.execute("PRAGMA foreign_key_check").fetchall() == []
        return counts

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = Pair(tmp_path)
    yield p
    p.close()


def T(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:  # noqa: N802
    return dt.datetime(2025, month, day, hour, minute)


def D(month: int, day: int) -> dt.date:  # noqa: N802
    return dt.date(2025, month, day)


def _woman(name: str = "柳如烟", serial: int = 7, phone: str = "13907341234") -> Person:
    birth = dt.date(1990, 5, 6)
    return Person(name=name, id_number=idcard.make_id_number("439021", birth, serial, True), phone=phone,
                  address="东山镇石桥村3组", sex="女", birth_date=birth, marital_status="已婚")


def _petition(on: dt.date, woman: Person) -> Petition:
    return Petition(
        channel="来访", received_on=on, headcount=1, township="东山镇", village="石桥村", petitioner=woman,
        concerned=None, category="婚姻家庭", subcategory="家庭暴力", facts="丈夫酒后打人，已报警。",
        request="请求帮助申请人身安全保护令。", dv=True, safety_risk=True, receiving_staff=STAFF,
        respondent_name="赵某", respondent_relation="丈夫",
    )


def _referral(on: dt.date, woman: Person, org_ctx: Context, consent: Consent | None) -> Referral:
    org = organisations.directory(org_ctx)[0]
    return Referral(
        referred_on=on, applicant=woman, township="东山镇", village="石桥村", matter="离婚", role="原告",
        legal_state="尚未进入程序", help_kinds=["咨询", "诉讼代理"], facts="结婚十年，丈夫长期赌博。",
        request="请求代理离婚诉讼。", organisation=org, staff=STAFF, staff_phone="13800000001",
        occupation="务农", opponent_name="赵某", opponent_relation="丈夫", means="个人诚信承诺",
        household_size=3, household_income=1_200_000, papers=["身份证", "结婚证/离婚证"], papers_other="照片三张",
        consent=consent,
    )


def test_referral(pair: Pair) -> None:
    a = pair.a
    woman = _woman()
    org = organisations.directory(a)[0]
    form = _referral(D(9, 1), woman, a, None)
    case_id = 0

    def refer() -> None:
        nonlocal case_id
        case_id, _ = referrals.refer(a, _referral(D(9, 1), _woman(), a, None))

    t0 = pair.at(T(9, 1, 9), refer)
    t1 = pair.at(T(9, 2, 15), lambda: referrals.record_consent(a, case_id, Consent(on=D(9, 2), way="口头同意")))
    t2 = pair.at(T(9, 11, 11), lambda: referrals.accept(a, case_id, D(9, 11), note="已电话告知本人"))
    t3 = pair.at(T(9, 12, 16), lambda: referrals.assign_lawyer(a, case_id, "钱律师", "13900000002"))
    t4 = pair.at(T(9, 20), lambda: referrals.add_note(a, case_id, "律师已约见当事人"))
    t5 = pair.at(T(12, 1), lambda: referrals.conclude(a, case_id, "判决", "法院判决准予离婚", D(11, 28)))

    s = stories.ReferralStory(form, org, t0, STAFF)
    s.consent(t1, STAFF, Consent(on=D(9, 2), way="口头同意"))
    s.accept(t2, STAFF, D(9, 11), note="已电话告知本人")
    s.assign_lawyer(t3, STAFF, "钱律师", "13900000002")
    s.note(t4, STAFF, "律师已约见当事人")
    s.conclude(t5, STAFF, "判决", "法院判决准予离婚", D(11, 28))
    with pair.b.action() as db, bulk.loading(db) as loader:
        loader.add_referral(s.load())
    pair.same()


def test_petition_referred_to_legal_aid(pair: Pair) -> None:
    """A petition accepted, referred (linked both ways), the referral refused: notes on the petition."""
    a = pair.a
    org = organisations.directory(a)[1]
    ids: dict[str, int] = {}

    def register() -> None:
        ids["p"], _ = petitions.register(a, _petition(D(9, 1), _woman()))

    def refer() -> None:
        form = referrals.form_from_petition(a, ids["p"])
        form.role, form.legal_state, form.help_kinds = "申请人", "尚未进入程序", ["申请人身安全保护令"]
        form.organisation, form.consent = org, Consent(on=D(9, 3))
        ids["r"], _ = referrals.refer_from_petition(a, ids["p"], form)

    t0 = pair.at(T(9, 1, 9), register)
    t1 = pair.at(T(9, 2, 10), lambda: petitions.accept(a, ids["p"], D(9, 2)))
    t2 = pair.at(T(9, 3, 14), refer)
    t3 = pair.at(T(9, 12, 9), lambda: referrals.refuse(a, ids["r"], "已由法院立案，不属援助范围", D(9, 12)))
    t4 = pair.at(T(9, 20, 9), lambda: petitions.conclude(a, ids["p"], "已告知其他途径", "解释说明", D(9, 20)))

    with pair.b.action() as db, bulk.loading(db) as loader:
        rp, rr = loader.reserve("petition", 2025), loader.reserve("referral", 2025)
        p = stories.PetitionStory(_petition(D(9, 1), _woman()), t0, STAFF, rp)
        p.accept(t1, STAFF, D(9, 2))
        draft = referrals.rules.draft_from_petition(p.p, D(9, 3), STAFF)
        draft.applicant = p.p.woman
        draft.role, draft.legal_state, draft.help_kinds = "申请人", "尚未进入程序", ["申请人身安全保护令"]
        draft.consent, draft.organisation = Consent(on=D(9, 3)), org
        r = stories.refer_from_petition(p, draft, org, t2, STAFF, rr.case_no)
        r.refuse(t3, STAFF, "已由法院立案，不属援助范围", D(9, 12))
        stories.tell_petition(r, p, rr.case_no)
        p.conclude(t4, STAFF, "已告知其他途径", "解释说明", D(9, 20))
        loader.add_petition(p.load(), rp)
        loader.add_referral(r.load(), rr)
        loader.link(rp.case_id, rr.case_id, referrals.TO_REFERRAL)
        loader.link(rr.case_id, rp.case_id, referrals.FROM_PETITION)
    pair.same()


def _roster(pair: Pair) -> list[Mediator]:
    for name, title in (("孙调解", "专职调解员"), ("李律师", "律师"), ("周兼职", "兼职调解员")):
        pair.both(lambda c, n=name, t=title: mediations.save_mediator(c, Mediator(n, "13600000000", t)))
    return mediation_store.mediators(pair.b.db, include_inactive=True)


def _mediation(on: dt.date, roster: list[Mediator]) -> Mediation:
    return Mediation(
        received_on=on, source="当事人申请", dispute_type="赡养", relationship="父母子女", township="西河乡",
        village="柳塘村", facts="母亲年老多病，两个儿子互相推诿不愿赡养。", request="请求两个儿子按月支付赡养费。",
        registrar=STAFF,
        parties=[Party(Person(name="周大兵", sex="男", ethnicity=""), "respondent", "务工", 48),
                 Party(_woman("王桂英", 3, "13807340000"), "applicant", "务农"),
                 Party(Person(name="周二兵", sex="男"), "respondent", stated_age=45)],
        mediator_ids=[roster[2].id or 0, roster[0].id or 0],
    )


def test_mediation_agreement_visits_and_file(pair: Pair) -> None:
    a = pair.a
    roster = _roster(pair)
    ids: dict[str, int] = {}
    session1 = Session(held_on=D(9, 5), place="西河乡调解室", mediators="周兼职、孙调解", recorder=STAFF,
                       present="王桂英、周大兵、周二兵", applicant_said="儿子不管我。", respondent_said="弟弟不出钱。",
                       result="未达成一致，择期再调", result_detail="双方分歧较大，约定下周再调。")
    session2 = Session(held_on=D(9, 12), place="西河乡调解室", mediators="周兼职、孙调解", recorder=STAFF,
                       present="王桂英、周大兵、周二兵", applicant_said="同意轮流照顾。", respondent_said="同意。",
                       result="达成一致", result_detail="每人每月支付赡养费三百元。", facts_found="母亲无收入。",
                       others="村妇联主席")
    inv = Investigation(held_on=D(9, 8), place="柳塘村委会", investigator="孙调解", recorder=STAFF, subject="周某",
                        subject_role="村主任", content="了解到两兄弟经济条件相当。")
    agreement = Agreement("两子互相推诿赡养。", "两子均有赡养义务。", [
        AgreementItem("周大兵每月支付赡养费300元", "转账", "每月5日前"),
        AgreementItem("周二兵每月支付赡养费300元", "现金", "每月5日前", "母亲家中")])
    visit = ReturnVisit(due_on=D(10, 12), visited_on=D(10, 14), visitor="孙调解", method="上门", performance="已履行",
                        satisfaction="满意", findings="两子均已按月付款。")
    extra = ReturnVisit(due_on=D(12, 1), visited_on=D(12, 3), visitor="孙调解", method="电话", performance="正在履行",
                        satisfaction="基本满意", new_conflict=True, findings="二儿子拖延了几天。", measures="已提醒。")

    def open_() -> None:
        ids["m"], _ = mediations.open_mediation(a, _mediation(D(9, 1), roster))

    t0 = pair.at(T(9, 1, 9), open_)
    t1 = pair.at(T(9, 5, 16), lambda: mediations.add_session(a, ids["m"], session1))
    t2 = pair.at(T(9, 8, 16), lambda: mediations.add_investigation(a, ids["m"], inv))
    t3 = pair.at(T(9, 12, 17), lambda: mediations.add_session(a, ids["m"], session2))
    t4 = pair.at(T(10, 13, 9), lambda: mediations.close(a, ids["m"], Closing("agreed", D(10, 12), agreement=agreement),
                                                       D(11, 12)))
    t5 = pair.at(T(11, 14, 9), lambda: mediations.record_visit(
        a, ids["m"], ReturnVisit(**{**visit.__dict__, "id": mediations.get(a, ids["m"]).visits[0].id})))
    t6 = pair.at(T(11, 15, 9), lambda: mediations.schedule_visit(a, ids["m"], D(12, 31), "看协议履行情况"))
    t7 = pair.at(T(12, 3, 9), lambda: mediations.record_visit(a, ids["m"], extra))
    t8 = pair.at(T(12, 10, 9), lambda: mediations.set_filing(a, ids["m"], STAFF, D(12, 10), "30年", "备注"))

    s = stories.MediationStory(_mediation(D(9, 1), roster), roster, t0, STAFF)
    s.session(t1, STAFF, session1)
    s.investigation(t2, STAFF, inv)
    s.session(t3, STAFF, session2)
    s.close(t4, STAFF, Closing("agreed", D(10, 12), agreement=agreement), D(11, 12))
    s.record_visit(t5, STAFF, visit, scheduled=0)
    s.schedule_visit(t6, STAFF, D(12, 31), "看协议履行情况")
    s.record_visit(t7, STAFF, extra)
    s.filing(t8, STAFF, STAFF, D(12, 10), "30年", "备注")
    with pair.b.action() as db, bulk.loading(db) as loader:
        loader.add_mediation(s.load())
    pair.same()


def test_petition_sent_to_mediation_that_fails(pair: Pair) -> None:
    a = pair.a
    roster = _roster(pair)
    ids: dict[str, int] = {}
    session = Session(held_on=D(9, 10), place="县妇联调解室", mediators="孙调解", recorder=STAFF, present="柳如烟、赵某",
                      applicant_said="要离婚。", respondent_said="不同意。", result="调解不成", result_detail="男方拒绝。")

    def register() -> None:
        ids["p"], _ = petitions.register(a, _petition(D(9, 1), _woman()))

    def transfer() -> None:
        form = mediations.draft_from_petition(a, ids["p"])
        form.mediator_ids = [roster[0].id or 0]
        ids["m"], _ = mediations.open_from_petition(a, ids["p"], form)

    t0 = pair.at(T(9, 1, 9), register)
    t1 = pair.at(T(9, 1, 11), lambda: petitions.accept(a, ids["p"], D(9, 1)))
    t2 = pair.at(T(9, 4, 9), transfer)
    t3 = pair.at(T(9, 10, 15), lambda: mediations.add_session(a, ids["m"], session))
    t4 = pair.at(T(10, 20, 9), lambda: mediations.close(a, ids["m"], Closing(
        "failed", D(10, 20), note="男方坚持不离婚", failed_route="引导诉讼")))
    t5 = pair.at(T(10, 21, 9), lambda: petitions.conclude(a, ids["p"], "调解不成，已引导诉讼", "解释说明", D(10, 21)))

    with pair.b.action() as db, bulk.loading(db) as loader:
        rp, rm = loader.reserve("petition", 2025), loader.reserve("mediation", 2025)
        p = stories.PetitionStory(_petition(D(9, 1), _woman()), t0, STAFF, rp)
        p.accept(t1, STAFF, D(9, 1))
        draft = mediations.rules.draft_from_petition(p.p, D(9, 4), STAFF)
        draft.parties[0].person = p.p.woman
        draft.mediator_ids = [roster[0].id or 0]
        committee = mediations.committee_name(pair.b)
        m = stories.mediate_from_petition(p, draft, roster, t2, STAFF, committee, rm.case_no)
        m.session(t3, STAFF, session)
        m.close(t4, STAFF, Closing("failed", D(10, 20), note="男方坚持不离婚", failed_route="引导诉讼"))
        p.conclude(t5, STAFF, "调解不成，已引导诉讼", "解释说明", D(10, 21))
        loader.add_petition(p.load(), rp)
        loader.add_mediation(m.load(), rm)
        loader.link(rp.case_id, rm.case_id, "转调解")
        loader.link(rm.case_id, rp.case_id, "信访转来")
    pair.same()


def _household(on: dt.date, list_id: int) -> Household:
    head = Member(_woman("刘秀英", 11, "13707340001"), "", health="慢性病", work_ability="弱劳动力")
    husband = Member(Person(name="张建国", sex="男", birth_date=dt.date(1985, 3, 1)), "配偶", health="残疾",
                     work_ability="丧失劳动力", disability_card="43902119850301001")
    son = Member(Person(name="张小军", sex="男", id_number=idcard.make_id_number("439021", dt.date(2012, 7, 1), 9, False)),
                 "之子", schooling="初中")
    return Household(
        list_id=list_id, received_on=on, head=head, members=[husband, son], township="南岭镇", village="",
        address="5组12号", household_type="低保户", causes=["因病", "因残"], extra={"f1": "3.5", "f3": "C级"},
        rhythm=Rhythm.monthly(on), cadre=Cadre(name="赵红梅", unit="县妇联", level="科员", phone="13500000003",
                                                from_date=on),
        notes="住房为土坯房",
    )


def test_household_visits_findings_cadres_tasks(pair: Pair) -> None:
    """A poor household: visits (a promise becomes a task, cash and goods), a finding that opens a
    petition and one that opens a mediation, a new cadre, a measure, a task done, lifted, exited."""
    a = pair.a
    roster = _roster(pair)
    poor = next(c for c in households.care_lists(a) if c.name == "帮扶户")
    ids: dict[str, int] = {}
    v1 = Visit(visited_on=D(9, 10), visitors="刘芳、王丽", kind="visit", seen="家中整洁，丈夫卧床。", asked="希望解决孩子学费",
               promised="联系学校减免学费", promise_due=D(9, 30))
    v2 = Visit(visited_on=D(10, 8), visitors="刘芳", kind="solace", cash_fen=50000, goods="大米一袋、食用油一桶",
               goods_fen=15000, seen="生活困难。")
    v3 = Visit(visited_on=D(11, 9), visitors="刘芳", kind="visit", seen="刘秀英脸上有伤。",
               finding=Finding("dv", "petition", 0, "丈夫酒后打人。", "请求制止家庭暴力。", "张建国", "丈夫"))
    v4 = Visit(visited_on=D(12, 9), visitors="王丽", kind="assist", cash_fen=100000, seen="母子争吵。",
               finding=Finding("dispute", "mediation", 0, "母子因学费争吵。", "请求调解。", "张小军", "子女",
                               mediator_id=roster[1].id, dispute_type="抚养"))
    cadre = Cadre(name="陈志强", unit="县农业局", level="科级", from_date=D(10, 1))
    measure = Measure(kind="雨露计划", detail="儿子职业教育补助", helping_unit="县教育局", on_date=D(10, 15),
                      amount_fen=150000, benefit="已发放")

    def register() -> None:
        ids["h"], _ = households.register(a, _household(D(9, 1), poor.id or 0))

    def visit(v: Visit, key: str) -> Callable[[], None]:
        def go() -> None:
            r = households.log_visit(a, ids["h"], v)
            ids[key] = r.opened_case_id or 0
            if r.task_id:
                ids["task"] = r.task_id
        return go

    t0 = pair.at(T(9, 1, 9), register)
    t1 = pair.at(T(9, 10, 15), visit(v1, "v1"))
    t2 = pair.at(T(10, 1, 9), lambda: households.change_cadre(a, ids["h"], cadre))
    t3 = pair.at(T(10, 8, 15), visit(v2, "v2"))
    t4 = pair.at(T(10, 15, 15), lambda: households.add_measure(a, ids["h"], measure))
    t5 = pair.at(T(10, 20, 9), lambda: households.complete_task(a, ids["task"], D(10, 20), "学校已同意减免"))
    t6 = pair.at(T(10, 21, 9), lambda: households.add_task(a, ids["h"], "送慰问品", D(12, 31)))
    t7 = pair.at(T(11, 9, 16), visit(v3, "petition"))
    t8 = pair.at(T(12, 9, 16), visit(v4, "mediation"))
    t9 = pair.at(T(12, 20, 9), lambda: households.lift(a, ids["h"], D(12, 20), "人均收入达标"))
    t10 = pair.at(T(12, 28, 9), lambda: households.exit_(a, ids["h"], D(12, 28), "全家迁往外县"))

    with pair.b.action() as db, bulk.loading(db) as loader:
        rh, rp, rm = (loader.reserve(kind, 2025) for kind in ("household", "petition", "mediation"))
        h = stories.HouseholdStory(_household(D(9, 1), poor.id or 0), poor, t0, STAFF, rh)
        h.visit(t1, STAFF, v1)
        h.change_cadre(t2, STAFF, cadre)
        h.visit(t3, STAFF, v2)
        h.measure(t4, STAFF, measure)
        h.complete_task(t5, STAFF, h.tasks[0].task, D(10, 20), "学校已同意减免")
        h.add_task(t6, STAFF, "送慰问品", D(12, 31))
        found = h.visit(t7, STAFF, v3, (rp.case_id, rp.case_no))
        petition = h.finding_petition(found, t7, STAFF)
        found = h.visit(t8, STAFF, v4, (rm.case_id, rm.case_no))
        mediation = h.finding_mediation(found, roster, t8, STAFF)
        # she came before: the petition the DV finding opened a month earlier (曾来求助, linked to it)
        mediation.came_before(t8, STAFF, [dv_repeat.Earlier(rp.case_id, rp.case_no, "信访", D(11, 9),
                                                            dv_repeat.SAME_WOMAN)])
        h.lift(t9, STAFF, D(12, 20), "人均收入达标")
        h.exit(t10, STAFF, D(12, 28), "全家迁往外县")
        loader.add_household(h.load(), rh)  # first: its people get their ids, as in the services
        loader.add_petition(petition.load(), rp)
        loader.add_mediation(mediation.load(), rm)
        loader.link(rh.case_id, rp.case_id, households.LINK_RELATION)
        loader.link(rm.case_id, rp.case_id, dv_repeat.FLAG)
        loader.link(rh.case_id, rm.case_id, households.LINK_RELATION)
    pair.same()


def test_person_on_a_care_list(pair: Pair) -> None:
    a = pair.a
    girls = next(c for c in households.care_lists(a) if c.name == "春蕾女童")
    child = Person(name="李小雨", id_number=idcard.make_id_number("439021", dt.date(2013, 4, 2), 5, True))
    form = Household(list_id=girls.id or 0, received_on=D(9, 1), head=Member(child, ""), members=[],
                     township="城关镇", village="东街社区", extra={"f1": "县一中", "f2": "初一", "f3": "1000",
                                                               "f4": "2025-09-01"},
                     rhythm=Rhythm("month", 3, D(9, 1)))
    ids: dict[str, int] = {}

    def register() -> None:
        ids["h"], _ = households.register(a, form)

    v = Visit(visited_on=D(12, 2), visitors="刘芳", kind="solace", cash_fen=100000, seen="学习努力。")
    t0 = pair.at(T(9, 1, 9), register)
    t1 = pair.at(T(12, 2, 9), lambda: households.log_visit(a, ids["h"], v))
    with pair.b.action() as db, bulk.loading(db) as loader:
        h = stories.HouseholdStory(form, girls, t0, STAFF)
        h.visit(t1, STAFF, v)
        loader.add_household(h.load())
    pair.same()


def test_quick_rhythm_dates_are_the_rhythms_own() -> None:
    """The loader's arithmetic gives the same plan dates and next visit as domain.rhythm.Rhythm."""
    import random

    rng = random.Random(5)
    starts = [dt.date(2023, 1, 31), dt.date(2024, 2, 29), dt.date(2023, 8, 30), dt.date(2022, 12, 28)]
    starts += [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)) for _ in range(60)]
    for start in starts:
        for unit, every in (("month", 1), ("month", 3), ("month", 2), ("week", 1), ("week", 2), ("day", 10)):
            r = Rhythm(unit, every, start)
            first = start + dt.timedelta(days=rng.randrange(-40, 400))
            last = first + dt.timedelta(days=rng.randrange(0, 500))
            assert bulk.rhythm_dates(r, first, last) == r.dates_between(first, last), (r, first, last)
            for _ in range(6):
                visits = [start + dt.timedelta(days=rng.randrange(-5, 900)) for _ in range(rng.randrange(0, 4))]
                assert bulk.rhythm_next_due(r, visits) == r.next_due(visits), (r, visits)


def test_other_endings(pair: Pair) -> None:
    """A petition refused, one extended and noted; a referral withdrawn before her consent; a mediation the
    parties settled themselves, one ended — each as the services write it."""
    a = pair.a
    roster = _roster(pair)
    org = organisations.directory(a)[0]
    ids: dict[str, int] = {}

    def register(key: str, name: str, serial: int) -> Callable[[], None]:
        def go() -> None:
            ids[key], _ = petitions.register(a, _petition(D(9, 1), _woman(name, serial)))
        return go

    def refer() -> None:
        ids["r"], _ = referrals.refer(a, _referral(D(9, 2), _woman("孟雨", 21), a, None))

    def mediate(key: str, serial: int) -> Callable[[], None]:
        def go() -> None:
            form = _mediation(D(9, 3), roster)
            form.parties[1].person = _woman("白玉", serial)
            ids[key], _ = mediations.open_mediation(a, form)
        return go

    steps = [
        (T(9, 1, 9), register("p1", "甲女", 31)), (T(9, 1, 10), register("p2", "乙女", 32)),
        (T(9, 2, 9), refer), (T(9, 3, 9), mediate("m1", 33)), (T(9, 3, 10), mediate("m2", 34)),
        (T(9, 4, 9), lambda: petitions.refuse(a, ids["p1"], "不属于妇联职责范围", D(9, 4))),
        (T(9, 4, 10), lambda: petitions.accept(a, ids["p2"], D(9, 4))),
        (T(9, 5, 9), lambda: petitions.set_handling(a, ids["p2"], "转办/交办", "公安", "请依法处理")),
        (T(10, 30, 9), lambda: petitions.extend(a, ids["p2"], 20, "需等待法院裁判结果")),
        (T(10, 31, 9), lambda: petitions.add_note(a, ids["p2"], "已电话催办")),
        (T(9, 6, 9), lambda: referrals.withdraw(a, ids["r"], "本人已自行委托律师", D(9, 6))),
        (T(9, 10, 9), lambda: mediations.close(a, ids["m1"], Closing("self_settled", D(9, 10), "双方自行和解"),
                                              D(10, 10))),
        (T(9, 11, 9), lambda: mediations.close(a, ids["m2"], Closing("ended", D(9, 11), "申请人撤回调解申请"))),
        (T(9, 12, 9), lambda: mediations.add_note(a, ids["m2"], "已告知可随时再来")),
    ]
    steps.sort(key=lambda s: s[0])
    for when, call in steps:
        pair.at(when, call)

    with pair.b.action() as db, bulk.loading(db) as loader:
        p1 = stories.PetitionStory(_petition(D(9, 1), _woman("甲女", 31)), T(9, 1, 9), STAFF)
        p2 = stories.PetitionStory(_petition(D(9, 1), _woman("乙女", 32)), T(9, 1, 10), STAFF)
        r = stories.ReferralStory(_referral(D(9, 2), _woman("孟雨", 21), a, None), org, T(9, 2, 9), STAFF)
        forms = []
        for serial in (33, 34):
            form = _mediation(D(9, 3), roster)
            form.parties[1].person = _woman("白玉", serial)
            forms.append(form)
        m1 = stories.MediationStory(forms[0], roster, T(9, 3, 9), STAFF)
        m2 = stories.MediationStory(forms[1], roster, T(9, 3, 10), STAFF)
        p1.refuse(T(9, 4, 9), STAFF, "不属于妇联职责范围", D(9, 4))
        p2.accept(T(9, 4, 10), STAFF, D(9, 4))
        p2.handle(T(9, 5, 9), STAFF, "转办/交办", "公安", "请依法处理")
        r.withdraw(T(9, 6, 9), STAFF, "本人已自行委托律师", D(9, 6))
        m1.close(T(9, 10, 9), STAFF, Closing("self_settled", D(9, 10), "双方自行和解"), D(10, 10))
        m2.close(T(9, 11, 9), STAFF, Closing("ended", D(9, 11), "申请人撤回调解申请"))
        m2.note(T(9, 12, 9), STAFF, "已告知可随时再来")
        p2.extend(T(10, 30, 9), STAFF, 20, "需等待法院裁判结果")
        p2.note(T(10, 31, 9), STAFF, "备注", "已电话催办")
        loader.add_petition(p1.load())
        loader.add_petition(p2.load())
        loader.add_referral(r.load())
        first = loader.add_mediation(m1.load())
        # the second names the same respondents in the same township an hour later: 曾来求助 (同一加害人, no link)
        m2.came_before(T(9, 3, 10), STAFF, [dv_repeat.Earlier(first.case_id, first.case_no, "婚姻家庭纠纷调解", D(9, 3),
                                                             dv_repeat.SAME_ABUSER)])
        loader.add_mediation(m2.load())
    pair.same()
