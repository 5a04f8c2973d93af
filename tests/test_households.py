"""Households and care lists through the services: the register, the visit plan on the case row,
visits with tasks and a petition opened in one step, cadre history, counts, the monthly plan.

Every person here is made up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.filters import RegisterFilter
from fulian_desktop.domain.household import Cadre, CareField, CareList, Finding, Household, Measure, Member, Visit
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mediation import Mediator
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.services import cases, households, mediations, petitions
from fulian_desktop.services.context import Context

from .conftest import Clock

HEAD_ID = make_id_number("430999", dt.date(1970, 5, 6), 12, female=True)
HUSBAND_ID = make_id_number("430999", dt.date(1968, 2, 1), 31, female=False)


def poor_list(ctx: Context) -> CareList:
    return next(c for c in households.care_lists(ctx) if c.name == "帮扶户")


def children_list(ctx: Context) -> CareList:
    return next(c for c in households.care_lists(ctx) if c.name == "留守儿童")


def a_household(ctx: Context, **changes: object) -> Household:
    h = Household(
        list_id=poor_list(ctx).id or 0, received_on=ctx.today(),
        head=Member(Person(name="王秀英", sex="女", id_number=HEAD_ID, phone="13800138000"), relation="",
                    health="慢性病", work_ability="弱劳动力"),
        members=[Member(Person(name="李大山", id_number=HUSBAND_ID), relation="配偶", health="残疾"),
                 Member(Person(name="李小花", sex="女", birth_date=dt.date(2012, 3, 1)), relation="之女",
                        schooling="初中")],
        township="东山镇", village="石桥村", address="三组18号", household_type="低保户", causes=["因病", "缺劳力"],
        extra={"f1": "2.5"}, rhythm=Rhythm.monthly(ctx.today()),
        cadre=Cadre(name="赵红梅", unit="县妇联权益部", level="科员", phone="13900139000",
                    from_date=dt.date(2026, 3, 1)),
    )
    for key, value in changes.items():
        setattr(h, key, value)
    return h


def a_visit(on: dt.date, **changes: object) -> Visit:
    v = Visit(visited_on=on, visitors="刘芳", kind="visit", seen="家中整洁，李大山腿伤未愈。")
    for key, value in changes.items():
        setattr(v, key, value)
    return v


def test_register_puts_the_family_on_file_and_the_visit_due(ctx: Context) -> None:
    case_id, case_no = households.register(ctx, a_household(ctx))
    assert case_no == "帮扶〔2026〕第0001号"
    h = households.get(ctx, case_id)
    assert [m.person.name for m in h.everyone] == ["王秀英", "李大山", "李小花"]
    assert h.head.relation == "户主"
    assert h.everyone[1].person.sex == "男"  # read from the ID number
    assert h.current_cadre is not None and h.current_cadre.name == "赵红梅"
    assert h.next_due == ctx.today()
    # the case row carries the next visit as its deadline: start page and overdue filter see it
    due = cases.due_this_week(ctx)
    assert [(d.row.case_no, d.text) for d in due] == [(case_no, "今天应走访")]
    assert [r.case_no for r in households.due_this_month(ctx)] == [case_no]
    # any member is found by the one search box, also by pinyin initials
    for query in ("李小花", "lxh", "石桥村"):
        assert [r.case_no for r in cases.find(ctx, query)] == [case_no], query
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 3


def test_same_person_is_attached_by_id_number(ctx: Context) -> None:
    petition_like = a_household(ctx)
    households.register(ctx, petition_like)
    child = a_household(ctx, list_id=children_list(ctx).id, household_type="", causes=[], extra={},
                        head=Member(Person(name="李小宝", sex="男", birth_date=dt.date(2016, 8, 1)), relation=""),
                        members=[Member(Person(name="李大山", id_number=HUSBAND_ID), relation="之父")])
    households.register(ctx, child)
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 4  # 李大山 once


def test_visit_moves_the_due_date_and_a_promise_becomes_a_task(ctx: Context, clock: Clock) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    result = households.log_visit(ctx, case_id, a_visit(
        ctx.today(), kind="solace", cash_fen=50000, goods="大米一袋、食用油一桶", goods_fen=15000,
        asked="孩子上学有困难", promised="联系教育局了解助学金", promise_due=dt.date(2026, 3, 31)))
    assert result.task_id is not None and result.opened_case_id is None
    h = households.get(ctx, case_id)
    assert h.next_due == dt.date(2026, 4, 10)
    assert households.due_this_month(ctx) == []
    assert cases.due_this_week(ctx) == []
    tasks = households.open_tasks(ctx)
    assert [(t.title, t.due_on, t.case_no) for t in tasks] == [("联系教育局了解助学金", dt.date(2026, 3, 31), h.case_no)]
    assert any(t.action == "慰问" and "¥500.00" in t.note for t in h.timeline)
    clock.advance(20)
    households.complete_task(ctx, tasks[0].id or 0, ctx.today(), "已申请")
    assert households.open_tasks(ctx) == []
    with pytest.raises(RuleError):
        households.complete_task(ctx, tasks[0].id or 0, ctx.today())
    # a month later it is due again
    clock.advance(12)
    assert ctx.today() == dt.date(2026, 4, 11)
    assert [r.id for r in households.due_this_month(ctx)] == [case_id]
    assert households.register_count(ctx, RegisterFilter(due="overdue")) == 1


def test_visit_finding_violence_opens_a_linked_petition_in_one_step(ctx: Context) -> None:
    case_id, case_no = households.register(ctx, a_household(ctx))
    finding = Finding(kind="dv", route="petition", person_index=0, facts="", request="请求妇联制止家暴",
                      respondent_name="李大山", respondent_relation="丈夫")
    result = households.log_visit(ctx, case_id, a_visit(ctx.today(), seen="王秀英手臂有淤青，称丈夫酒后打人。",
                                                       finding=finding))
    assert result.opened_case_no == "信访〔2026〕第0001号"
    p = petitions.get(ctx, result.opened_case_id or 0)
    assert p.petitioner.name == "王秀英" and p.petitioner.id_number == HEAD_ID
    assert p.dv and p.subcategory == "家庭暴力" and p.township == "东山镇"
    assert case_no in p.facts and "淤青" in p.facts
    assert (case_id, case_no, "household") in p.links
    h = households.get(ctx, case_id)
    assert (p.id, p.case_no, "petition") in h.links
    assert h.visits[0].opened_case_no == p.case_no
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 3  # no duplicate person


def test_visit_and_petition_land_together_or_not_at_all(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(households.cases, "link", broken)
    finding = Finding(kind="dispute", route="petition", person_index=1, facts="夫妻为孩子上学争吵", request="调解")
    with pytest.raises(RuntimeError):
        households.log_visit(ctx, case_id, a_visit(ctx.today(), finding=finding))
    assert ctx.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0
    assert ctx.db.execute("SELECT COUNT(*) FROM cases WHERE kind = 'petition'").fetchone()[0] == 0


def test_finding_needs_a_request(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    with pytest.raises(ValidationError) as e:
        households.log_visit(ctx, case_id, a_visit(ctx.today(), finding=Finding("dv", "petition", 0, "", "")))
    assert "finding.request" in e.value.errors
    assert ctx.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0


def test_visit_finding_a_dispute_opens_a_linked_mediation(ctx: Context) -> None:
    assert households.routes() == ("petition", "mediation")
    mediator_id = mediations.save_mediator(ctx, Mediator(name="周敏", title="专职调解员"))
    case_id, case_no = households.register(ctx, a_household(ctx))
    dispute = Finding(kind="dispute", route="mediation", person_index=0, facts="夫妻为女儿上学的费用争吵，已分居一周。",
                      request="希望调解和好", respondent_name="李大山", dispute_type="抚养")
    with pytest.raises(ValidationError) as e:
        households.log_visit(ctx, case_id, a_visit(ctx.today(), finding=replace(dispute, mediator_id=None,
                                                                               respondent_name="")))
    assert "调解员" in e.value.errors["finding.mediator"] and "对方" in e.value.errors["finding.respondent"]
    result = households.log_visit(ctx, case_id, a_visit(ctx.today(), finding=replace(dispute, mediator_id=mediator_id)))
    m = mediations.get(ctx, result.opened_case_id or 0)
    assert result.opened_case_no == m.case_no and m.case_no.startswith("婚调")
    assert [p.person.name for p in m.applicants] == ["王秀英"] and [p.person.name for p in m.respondents] == ["李大山"]
    assert (m.source, m.dispute_type, m.relationship) == ("主动调解", "抚养", "夫妻")
    assert case_no in m.facts and [x.name for x in m.mediators] == ["周敏"]
    assert (case_id, case_no, "household") in m.links
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 3  # both parties already on file


def test_cadre_changes_are_appended_never_overwritten(ctx: Context, clock: Clock) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    clock.advance(30)
    with pytest.raises(ValidationError) as e:
        households.change_cadre(ctx, case_id, Cadre(name="孙立平", from_date=dt.date(2026, 2, 1)))
    assert "上一任" in e.value.errors["from_date"]
    households.change_cadre(ctx, case_id, Cadre(name="孙立平", unit="县妇联办公室", phone="13700137000",
                                                from_date=ctx.today()))
    h = households.get(ctx, case_id)
    assert [c.name for c in h.cadres] == ["赵红梅", "孙立平"]
    assert h.current_cadre is not None and h.current_cadre.name == "孙立平"
    assert [r.cadre for r in households.register_page(ctx, RegisterFilter())] == ["孙立平"]
    assert [r.id for r in households.register_page(ctx, RegisterFilter(text="赵红梅"))] == [case_id]


def test_a_correction_keeps_history_and_members_follow_the_form(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    h = households.get(ctx, case_id)
    h.members = h.members[:1]  # 李小花 moved out
    h.causes = ["因残"]
    households.correct(ctx, case_id, h)
    again = households.get(ctx, case_id)
    assert [m.person.name for m in again.everyone] == ["王秀英", "李大山"]
    assert again.causes == ["因残"]
    assert len(again.cadres) == 1
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 3  # her record stays on file


def test_status_lifted_keeps_visits_exited_stops_them(ctx: Context, clock: Clock) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    households.lift(ctx, case_id, ctx.today(), "人均收入稳定超过标准")
    h = households.get(ctx, case_id)
    assert h.status == "lifted" and h.next_due == ctx.today()  # 脱贫不脱帮扶
    households.exit_(ctx, case_id, ctx.today(), "稳定脱贫满三年")
    h = households.get(ctx, case_id)
    assert h.status == "exited" and h.next_due is None and h.lifted_on == ctx.today()
    assert households.due_this_month(ctx) == []
    with pytest.raises(RuleError):
        households.log_visit(ctx, case_id, a_visit(ctx.today()))
    households.resume(ctx, case_id, "返贫")
    assert households.get(ctx, case_id).status == "helping"


def test_measures_and_rhythm(ctx: Context) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    households.add_measure(ctx, case_id, Measure(kind="雨露计划", detail="职业技能培训补助", helping_unit="县人社局",
                                                 on_date=ctx.today(), amount_fen=150000, benefit="已发放"))
    households.set_rhythm(ctx, case_id, Rhythm.from_preset("quarterly", dt.date(2026, 3, 31)))
    h = households.get(ctx, case_id)
    assert h.measures_total == 150000
    assert h.rhythm is not None and h.rhythm.label() == "每季度一次"
    assert h.next_due == dt.date(2026, 3, 31)
    with pytest.raises(ValidationError) as e:
        households.set_rhythm(ctx, case_id, Rhythm.monthly(dt.date(2026, 1, 1)))
    assert "纳入日期" in e.value.errors["rhythm_start"]


def test_care_lists_are_configuration(ctx: Context) -> None:
    list_id = households.save_care_list(ctx, CareList(
        name="困境儿童", unit="person", rhythm_unit="month", rhythm_every=3,
        fields=[CareField("", "困境类型", "choice", ("孤儿", "事实无人抚养")), CareField("", "监护人")]))
    c = households.care_list(ctx, list_id)
    assert [f.key for f in c.fields] == ["f1", "f2"]
    case_id, _ = households.register(ctx, a_household(
        ctx, list_id=list_id, household_type="", causes=[], members=[], rhythm=None,
        head=Member(Person(name="周小雨", sex="女", birth_date=dt.date(2015, 6, 1)), relation=""),
        extra={"f1": "事实无人抚养", "f2": "周奶奶"}))
    h = households.get(ctx, case_id)
    assert h.list_name == "困境儿童" and h.rhythm is not None and h.rhythm.label() == "每季度一次"
    # a field renamed and one added later: values stay under their keys
    c.fields = [CareField("f1", "困境类别", "choice", ("孤儿", "事实无人抚养")), c.fields[1], CareField("", "学校")]
    households.save_care_list(ctx, c)
    assert [f.key for f in households.care_list(ctx, list_id).fields] == ["f1", "f2", "f3"]
    assert households.get(ctx, case_id).extra == {"f1": "事实无人抚养", "f2": "周奶奶"}
    with pytest.raises(ValidationError) as e:
        households.save_care_list(ctx, CareList(id=list_id, name="困境儿童", unit="household"))
    assert "按户或按人" in e.value.errors["unit"]
    households.set_care_list_active(ctx, list_id, False)
    assert "困境儿童" not in [x.name for x in households.care_lists(ctx)]
    with pytest.raises(ValidationError):
        households.register(ctx, a_household(ctx, list_id=list_id, household_type="", causes=[], members=[]))


def test_counts_per_period_and_township(ctx: Context, clock: Clock) -> None:
    a, _ = households.register(ctx, a_household(ctx))
    b, _ = households.register(ctx, a_household(
        ctx, township="西河乡", village="柳塘村", members=[],
        head=Member(Person(name="张金花", sex="女"), relation="")))
    households.log_visit(ctx, a, a_visit(ctx.today(), kind="solace", cash_fen=50000, goods="米", goods_fen=10000))
    households.log_visit(ctx, b, a_visit(ctx.today(), kind="solace", cash_fen=30000))
    clock.advance(3)
    households.log_visit(ctx, a, a_visit(ctx.today()))
    c = households.counts(ctx, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (c.visits, c.households, c.cash_fen, c.goods_fen, c.given_fen) == (3, 2, 80000, 10000, 90000)
    assert c.by_kind == {"visit": 1, "solace": 2, "assist": 0}
    assert [(t.township, t.visits, t.households, t.cash_fen) for t in c.by_township] == [
        ("东山镇", 2, 1, 50000), ("西河乡", 1, 1, 30000)]
    assert households.counts(ctx, dt.date(2026, 4, 1), dt.date(2026, 4, 30)).visits == 0
    assert households.counts(ctx, dt.date(2026, 3, 1), dt.date(2026, 3, 31), children_list(ctx).id).visits == 0


def test_month_plan_lists_every_planned_visit(ctx: Context, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 2, 2, 9, 0)
    a, _ = households.register(ctx, a_household(ctx, rhythm=Rhythm.monthly(dt.date(2026, 2, 2)), cadre=None))
    w, _ = households.register(ctx, a_household(
        ctx, list_id=children_list(ctx).id, household_type="", causes=[], members=[], extra={},
        township="西河乡", head=Member(Person(name="陈小宝", sex="男"), relation=""), cadre=None,
        rhythm=Rhythm.from_preset("weekly", dt.date(2026, 3, 2))))
    clock.now = dt.datetime(2026, 3, 10, 9, 0)
    households.log_visit(ctx, w, a_visit(dt.date(2026, 3, 3)))
    plan = households.month_plan(ctx, 2026, 3)
    rows = [(r.names, r.planned_on, r.carried, r.visited_on) for r in plan.rows]
    assert rows == [
        ("王秀英", dt.date(2026, 2, 2), True, None),  # February's visit never made: carried, overdue
        ("王秀英", dt.date(2026, 3, 2), False, None),
        ("陈小宝", dt.date(2026, 3, 2), False, dt.date(2026, 3, 3)),
        ("陈小宝", dt.date(2026, 3, 9), False, None),
        ("陈小宝", dt.date(2026, 3, 16), False, None),
        ("陈小宝", dt.date(2026, 3, 23), False, None),
        ("陈小宝", dt.date(2026, 3, 30), False, None),
    ]
    assert households.month_plan(ctx, 2026, 1).rows == []  # nobody on the register yet
