"""Visit rhythms (month ends, leap years, early and late visits) and the household rules.

Every person here is made up.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from fulian_desktop.domain import household as rules
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.household import CareField, CareList, Household, Member, Visit
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm, describe_due, due_state, month_bounds

D = dt.date
TODAY = D(2026, 3, 10)


# --- rhythms --------------------------------------------------------------------------------------

def test_monthly_from_january_31_keeps_to_month_ends_in_a_leap_year() -> None:
    r = Rhythm.monthly(D(2024, 1, 31))
    assert r.dates_between(D(2024, 1, 1), D(2024, 7, 31)) == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 30),
        D(2024, 7, 31),
    ]
    # and in a common year, February ends on the 28th; the day after comes back to the 31st
    assert r.dates_between(D(2025, 1, 1), D(2025, 3, 31)) == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]


def test_monthly_never_drifts_after_a_short_month() -> None:
    """Chaining +1 month from each date would give 31 Jan → 29 Feb → 29 Mar …; anchored plans do not."""
    r = Rhythm.monthly(D(2024, 1, 31))
    dates = r.dates_between(D(2024, 1, 1), D(2026, 12, 31))
    assert len(dates) == 36
    for k, d in enumerate(dates):
        assert d == D(2024, 1, 31) + relativedelta(months=k)  # dateutil clamps to the month's last day


@pytest.mark.parametrize("start", [D(2024, 1, 29), D(2024, 1, 30), D(2023, 3, 30), D(2024, 2, 29)])
def test_monthly_from_29th_30th_and_leap_day(start: dt.date) -> None:
    r = Rhythm.monthly(start)
    for k, d in enumerate(r.dates_between(start, start + relativedelta(months=25))):
        expected = start + relativedelta(months=k)
        assert d == expected, (start, k)
    # leap day: 29 Feb 2024 → 28 Feb 2025, 29 Mar 2025 …, 28 Feb 2027, 29 Feb 2028
    if start == D(2024, 2, 29):
        assert D(2025, 2, 28) in r.dates_between(D(2025, 2, 1), D(2025, 2, 28))
        assert r.dates_between(D(2028, 2, 1), D(2028, 2, 29)) == [D(2028, 2, 29)]


def test_quarterly_from_november_30_over_a_leap_february() -> None:
    r = Rhythm.from_preset("quarterly", D(2023, 11, 30))
    assert r.label() == "每季度一次"
    assert r.dates_between(D(2023, 1, 1), D(2024, 12, 31)) == [
        D(2023, 11, 30), D(2024, 2, 29), D(2024, 5, 30), D(2024, 8, 30), D(2024, 11, 30),
    ]


def test_weekly_and_custom_days_and_months() -> None:
    weekly = Rhythm.from_preset("weekly", D(2024, 2, 26))
    assert weekly.dates_between(D(2024, 2, 26), D(2024, 3, 11)) == [D(2024, 2, 26), D(2024, 3, 4), D(2024, 3, 11)]
    days = Rhythm.from_preset("days", D(2024, 2, 20), every=10)
    assert days.label() == "每10天一次"
    assert days.dates_between(D(2024, 2, 20), D(2024, 3, 12)) == [D(2024, 2, 20), D(2024, 3, 1), D(2024, 3, 11)]
    months = Rhythm.from_preset("months", D(2024, 8, 31), every=2)
    assert months.label() == "每2个月一次"
    assert months.dates_between(D(2024, 8, 1), D(2025, 3, 1)) == [
        D(2024, 8, 31), D(2024, 10, 31), D(2024, 12, 31), D(2025, 2, 28),
    ]
    assert Rhythm("day", 0, TODAY).check()
    assert Rhythm("month", 25, TODAY).check()
    assert not Rhythm("month", 24, TODAY).check()


def test_next_due_counts_a_visit_for_the_nearest_plan_date() -> None:
    r = Rhythm.monthly(D(2026, 3, 10))
    assert r.next_due([]) == D(2026, 3, 10)  # nothing visited yet: due from the start
    assert r.next_due([D(2026, 3, 10)]) == D(2026, 4, 10)  # on time
    assert r.next_due([D(2026, 3, 24)]) == D(2026, 4, 10)  # two weeks late still counts for March
    assert r.next_due([D(2026, 4, 5)]) == D(2026, 5, 10)  # five days early counts for April
    assert r.next_due([D(2026, 3, 10), D(2026, 3, 20)]) == D(2026, 4, 10)  # a second visit in March
    assert r.next_due([D(2026, 4, 5), D(2026, 3, 10)]) == D(2026, 5, 10)  # order does not matter
    # visited long ago, before the plan started: the start date is due
    assert r.next_due([D(2025, 12, 1)]) == D(2026, 3, 10)


def test_next_due_at_month_end_in_february() -> None:
    r = Rhythm.monthly(D(2024, 1, 31))
    assert r.next_due([D(2024, 2, 27)]) == D(2024, 3, 31)  # counts for 29 Feb
    assert r.next_due([D(2024, 3, 2)]) == D(2024, 3, 31)  # still nearest to 29 Feb


def test_due_state_and_words() -> None:
    assert due_state(D(2026, 3, 9), TODAY) == "overdue"
    assert due_state(D(2026, 3, 31), TODAY) == "this_month"
    assert due_state(D(2026, 4, 1), TODAY) == ""
    assert due_state(None, TODAY) == ""
    assert describe_due(D(2026, 3, 7), TODAY) == "走访已逾期3天"
    assert describe_due(TODAY, TODAY) == "今天应走访"
    assert describe_due(D(2026, 3, 20), TODAY) == "3月20日前应走访"
    assert describe_due(D(2026, 4, 10), TODAY) == "下次走访4月10日"
    assert month_bounds(2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert month_bounds(2026, 12) == (D(2026, 12, 1), D(2026, 12, 31))


# --- households -----------------------------------------------------------------------------------

POOR = CareList(name="帮扶户", unit="household", id=1,
                fields=[CareField("f1", "耕地面积（亩）", "number"),
                        CareField("f3", "危房等级", "choice", ("非危房", "C级", "D级"))])
CHILDREN = CareList(name="留守儿童", unit="person", id=2,
                    fields=[CareField("f1", "监护人"), CareField("f2", "开始日期", "date")])


def household(**changes: object) -> Household:
    h = Household(
        list_id=1, received_on=TODAY, head=Member(Person(name="王秀英", sex="女"), relation=""),
        members=[Member(Person(name="李大山", sex="男"), relation="配偶", health="残疾")],
        township="东山镇", village="石桥村", household_type="低保户", causes=["因病"],
    )
    for key, value in changes.items():
        setattr(h, key, value)
    return h


def errors_of(h: Household, care: CareList = POOR) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        rules.validate_household(h, care, TODAY)
    return e.value.errors


def test_causes_one_or_two_and_never_other() -> None:
    assert rules.validate_household(household(causes=["因病", "缺劳力"]), POOR, TODAY).causes == ["因病", "缺劳力"]
    assert "一至两项" in errors_of(household(causes=[]))["causes"]
    assert "最多选两项" in errors_of(household(causes=["因病", "因残", "因学"]))["causes"]
    assert "不设“其他”" in errors_of(household(causes=["其他"]))["causes"]
    assert "户类型" in errors_of(household(household_type=""))["household_type"]


def test_person_list_needs_no_household_type_or_causes() -> None:
    h = rules.validate_household(household(list_id=2, household_type="", causes=[], extra={"f1": "王奶奶"}),
                                 CHILDREN, TODAY)
    assert h.head.relation == "本人"
    assert h.extra == {"f1": "王奶奶"}
    assert h.rhythm == Rhythm.monthly(TODAY)  # the list's default rhythm from the date of entry


def test_members_are_checked_like_every_person() -> None:
    bad = household(members=[Member(Person(name="", sex="男"), relation=""),
                             Member(Person(name="李小花", birth_date=D(2030, 1, 1)), relation="之女",
                                    schooling="幼儿园")])
    errors = errors_of(bad)
    assert errors["members.0.name"] == "请填写姓名"
    assert "关系" in errors["members.0.relation"]
    assert "不能晚于今天" in errors["members.1.birth_date"]
    assert "在校生状况" in errors["members.1.schooling"]


def test_extra_values_by_type() -> None:
    errors = errors_of(household(extra={"f1": "两亩", "f3": "E级"}))
    assert "数字" in errors["extra.f1"]
    assert "选项" in errors["extra.f3"]
    ok = rules.validate_household(household(extra={"f1": "2.5", "f3": "C级", "gone": "kept out"}), POOR, TODAY)
    assert ok.extra == {"f1": 2.5, "f3": "C级"}
    child = rules.validate_household(household(list_id=2, extra={"f2": "2026年3月1日"}), CHILDREN, TODAY)
    assert child.extra == {"f2": "2026-03-01"}
    assert rules.extra_text(CHILDREN, child.extra) == [("监护人", ""), ("开始日期", "2026年3月1日")]


def test_care_list_definition() -> None:
    c = rules.validate_care_list(
        CareList(name=" 困境儿童 ", fields=[CareField("", "困境类型", "choice", rules.split_choices("孤儿、事实无人抚养")),
                                          CareField("", "监护人"), CareField("f7", "开始日期", "date")]),
        taken_names={"留守儿童"},
    )
    assert c.name == "困境儿童"
    assert [f.key for f in c.fields] == ["f8", "f9", "f7"]  # new keys after the highest in use
    assert c.fields[0].choices == ("孤儿", "事实无人抚养")
    with pytest.raises(ValidationError) as e:
        rules.validate_care_list(CareList(name="留守儿童"), taken_names={"留守儿童"})
    assert "已有" in e.value.errors["name"]
    with pytest.raises(ValidationError) as e:
        rules.validate_care_list(CareList(name="新名单", fields=[CareField("", "病种", "choice", ("宫颈癌",))]), set())
    assert "至少写两个选项" in e.value.errors["fields"]


def test_visit_rules() -> None:
    h = household()
    h.received_on = D(2026, 3, 1)
    ok = rules.validate_visit(Visit(visited_on=TODAY, visitors="刘芳，赵红梅", kind="solace", cash_fen=50000,
                                    goods="大米一袋", goods_fen=8000, seen="家中整洁"), h, TODAY)
    assert ok.visitors == "刘芳、赵红梅"

    def errs(**kw: object) -> dict[str, str]:
        v = Visit(visited_on=TODAY, visitors="刘芳", kind="visit", seen="家中整洁")
        for k, val in kw.items():
            setattr(v, k, val)
        with pytest.raises(ValidationError) as e:
            rules.validate_visit(v, h, TODAY)
        return e.value.errors

    assert "晚于今天" in errs(visited_on=D(2026, 3, 11))["visited_on"]
    assert "早于纳入日期" in errs(visited_on=D(2026, 2, 28))["visited_on"]
    assert "走访人" in errs(visitors=" ")["visitors"]
    assert "折合金额" in errs(goods="油一桶")["goods_value"]
    assert "什么物资" in errs(goods_fen=100)["goods"]
    assert "看到的情况" in errs(seen="")["seen"]
    assert "办理期限" in errs(promised="联系学校")["promise_due"]
    assert "早于走访日期" in errs(promised="联系学校", promise_due=D(2026, 3, 1))["promise_due"]
    finding = rules.Finding(kind="dv", route="mediation", person_index=5, facts="", request="")
    found = errs(finding=finding)
    assert "信访还是纠纷调解" in found["finding.route"]
    assert "当事人" in found["finding.person"]
    assert "诉求" in found["finding.request"]


def test_status_rules() -> None:
    h = household()
    rules.check_lift(h, TODAY, TODAY)
    with pytest.raises(ValidationError):
        rules.check_exit(h, TODAY, "", TODAY)
    h.status = "exited"
    with pytest.raises(RuleError):
        rules.check_lift(h, TODAY, TODAY)
    with pytest.raises(RuleError):
        rules.check_exit(h, TODAY, "迁出", TODAY)
    child = household(care_list=CHILDREN)
    with pytest.raises(RuleError):
        rules.check_lift(child, TODAY, TODAY)
