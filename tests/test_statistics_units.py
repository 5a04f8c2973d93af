"""The statistics' periods and the words of their tables, answers worked out by hand on the calendar (fast: in the
mutation selection; the figures themselves are checked against independent counts in tests/test_statistics.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.statistics import Period
from fulian_desktop.store.connection import open_database

D = dt.date


@pytest.mark.parametrize(("kind", "year", "number", "first", "last", "label", "short", "days"), [
    ("month", 2024, 2, D(2024, 2, 1), D(2024, 2, 29), "2024年2月", "2月份", 29),
    ("month", 2025, 2, D(2025, 2, 1), D(2025, 2, 28), "2025年2月", "2月份", 28),
    ("month", 2026, 12, D(2026, 12, 1), D(2026, 12, 31), "2026年12月", "12月份", 31),
    ("month", 2026, 1, D(2026, 1, 1), D(2026, 1, 31), "2026年1月", "1月份", 31),
    ("quarter", 2026, 1, D(2026, 1, 1), D(2026, 3, 31), "2026年第一季度", "第一季度", 90),
    ("quarter", 2024, 1, D(2024, 1, 1), D(2024, 3, 31), "2024年第一季度", "第一季度", 91),
    ("quarter", 2026, 2, D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度", "第二季度", 91),
    ("quarter", 2026, 3, D(2026, 7, 1), D(2026, 9, 30), "2026年第三季度", "第三季度", 92),
    ("quarter", 2026, 4, D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度", "第四季度", 92),
    ("half", 2026, 1, D(2026, 1, 1), D(2026, 6, 30), "2026年上半年", "上半年", 181),
    ("half", 2026, 2, D(2026, 7, 1), D(2026, 12, 31), "2026年下半年", "下半年", 184),
    ("year", 2026, 1, D(2026, 1, 1), D(2026, 12, 31), "2026年", "全年", 365),
    ("year", 2024, 1, D(2024, 1, 1), D(2024, 12, 31), "2024年", "全年", 366),
], ids=["feb-leap", "feb", "dec", "jan", "q1", "q1-leap", "q2", "q3", "q4", "h1", "h2", "year", "leap-year"])
def test_each_kind_of_period(kind: str, year: int, number: int, first: dt.date, last: dt.date, label: str, short: str,
                             days: int) -> None:
    p = st.make_period(kind, year, number)
    assert p == Period(first, last, label, kind, short)
    assert p.days == days


@pytest.mark.parametrize(("kind", "number", "message"), [
    ("month", 0, "月份应在1到12之间"), ("month", 13, "月份应在1到12之间"), ("quarter", 0, "季度应在1到4之间"),
    ("quarter", 5, "季度应在1到4之间"), ("half", 0, "请选择上半年或下半年"), ("half", 3, "请选择上半年或下半年"),
    ("week", 1, "请选择统计期间"),
], ids=["month-0", "month-13", "quarter-0", "quarter-5", "half-0", "half-3", "week"])
def test_a_period_that_does_not_exist(kind: str, number: int, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        st.make_period(kind, 2026, number)
    assert e.value.errors == {"period": message}


@pytest.mark.parametrize(("first", "last", "expected"), [
    (D(2026, 2, 1), D(2026, 2, 28), Period(D(2026, 2, 1), D(2026, 2, 28), "2026年2月", "month", "2月份")),
    (D(2026, 4, 1), D(2026, 6, 30), Period(D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度", "quarter", "第二季度")),
    (D(2026, 7, 1), D(2026, 12, 31), Period(D(2026, 7, 1), D(2026, 12, 31), "2026年下半年", "half", "下半年")),
    (D(2026, 1, 1), D(2026, 6, 30), Period(D(2026, 1, 1), D(2026, 6, 30), "2026年上半年", "half", "上半年")),
    (D(2026, 1, 1), D(2026, 12, 31), Period(D(2026, 1, 1), D(2026, 12, 31), "2026年", "year", "全年")),
    (D(2026, 1, 1), D(2026, 3, 10), Period(D(2026, 1, 1), D(2026, 3, 10), "2026年1月1日至2026年3月10日", "custom", "今年以来")),
    (D(2026, 1, 1), D(2026, 1, 1), Period(D(2026, 1, 1), D(2026, 1, 1), "2026年1月1日至2026年1月1日", "custom", "今年以来")),
    (D(2025, 12, 1), D(2026, 3, 10), Period(D(2025, 12, 1), D(2026, 3, 10), "2025年12月1日至2026年3月10日", "custom",
                                           "2025年12月1日至2026年3月10日")),
    (D(2026, 2, 2), D(2026, 2, 28), Period(D(2026, 2, 2), D(2026, 2, 28), "2026年2月2日至2026年2月28日", "custom",
                                          "2026年2月2日至2026年2月28日")),
], ids=["a-month", "a-quarter", "h2", "h1", "a-year", "this-year", "new-year-s-day", "across-years", "part-month"])
def test_dates_picked_by_hand_are_named_as_the_period_they_are(first: dt.date, last: dt.date, expected: Period) -> None:
    assert st.custom_period(first, last) == expected


def test_dates_picked_by_hand_that_are_wrong() -> None:
    cases = [((None, D(2026, 1, 1)), {"date_from": "请填写开始日期"}), ((D(2026, 1, 1), None), {"date_to": "请填写结束日期"}),
             ((D(2026, 1, 2), D(2026, 1, 1)), {"date_to": "结束日期不能早于开始日期"}),
             ((D(2000, 1, 1), D(2000, 1, 1) + dt.timedelta(days=7321)), {"date_to": "统计期间不能超过二十年"})]
    for (first, last), errors in cases:
        with pytest.raises(ValidationError) as e:
            st.custom_period(first, last)
        assert e.value.errors == errors
    assert st.custom_period(D(2000, 1, 1), D(2000, 1, 1) + dt.timedelta(days=7320)).days == 7321


@pytest.mark.parametrize(("period", "before"), [
    (st.make_period("month", 2025, 2), Period(D(2024, 2, 1), D(2024, 2, 29), "2024年2月", "month", "2月份")),
    (st.make_period("month", 2024, 2), Period(D(2023, 2, 1), D(2023, 2, 28), "2023年2月", "month", "2月份")),
    (st.make_period("quarter", 2025, 1), Period(D(2024, 1, 1), D(2024, 3, 31), "2024年第一季度", "quarter", "第一季度")),
    (st.make_period("half", 2026, 2), Period(D(2025, 7, 1), D(2025, 12, 31), "2025年下半年", "half", "下半年")),
    (st.make_period("year", 2026), Period(D(2025, 1, 1), D(2025, 12, 31), "2025年", "year", "全年")),
    (Period(D(2025, 1, 1), D(2025, 2, 28), "x", "custom", "今年以来"),
     Period(D(2024, 1, 1), D(2024, 2, 28), "2024年1月1日至2024年2月28日", "custom", "今年以来")),
    (Period(D(2024, 2, 29), D(2024, 3, 10), "x", "custom", "s"),
     Period(D(2023, 2, 28), D(2023, 3, 10), "2023年2月28日至2023年3月10日", "custom", "s")),
    (Period(D(2025, 2, 1), D(2025, 2, 28), "x", "odd", "s"),
     Period(D(2024, 2, 1), D(2024, 2, 29), "2024年2月1日至2024年2月29日", "odd", "s")),
    (Period(D(2025, 2, 1), D(2025, 2, 27), "x", "odd", "s"),
     Period(D(2024, 2, 1), D(2024, 2, 27), "2024年2月1日至2024年2月27日", "odd", "s")),
], ids=["feb-to-leap", "leap-feb", "q1", "h2", "year", "custom-to-feb-28", "leap-day", "named-to-month-end",
        "named-mid-month"])
def test_the_same_period_a_year_before(period: Period, before: Period) -> None:
    assert period.year_before() == before


@pytest.mark.parametrize(("now", "before", "said"), [
    (5, 4, "+1（+25.0%）"), (2, 4, "-2（-50.0%）"), (0, 3, "-3（-100.0%）"), (3, 0, "+3"), (0, 0, "持平"), (4, 4, "持平"),
    (1, 3, "-2（-66.7%）"),
], ids=["up", "down", "to-zero", "from-zero", "zero", "same", "rounded"])
def test_the_change_against_the_year_before(now: int, before: int, said: str) -> None:
    assert st.change(now, before) == said


def test_rates_money_and_rows() -> None:
    assert [st.percent(v) for v in (None, 0.0, 0.25, 0.12345, 1.0)] == ["—", "0.0%", "25.0%", "12.3%", "100.0%"]
    assert str(st.Money(1234567)) == "¥12,345.67"
    assert str(st.Rate(0.5)) == "50.0%" and str(st.Rate(None)) == "—"
    assert [st._channel_label(c) for c in ("来访", "来信", "来电", "网上", "12338热线", "传真")] == [
        "来访（批）", "来信（件）", "来电（件）", "网上（件）", "12338热线（件）", "传真（件）"]
    assert st._cmp_headers("问题类别") == ["问题类别", "本期", "去年同期", "增减"]
    assert st._row("婚姻家庭", 5, 4) == ["婚姻家庭", 5, 4, "+1（+25.0%）"]
    assert st._merge([("甲", 1), ("乙", 2)], [("乙", 5), ("丙", 3)]) == [("甲", 1, 0), ("乙", 2, 5), ("丙", 0, 3)]
    assert st._merge([], [("丙", 3)]) == [("丙", 0, 3)]
    assert st._ranked({"b": 2, "a": 1, "c": 2, "d": 5}) == [("d", 5), ("b", 2), ("c", 2), ("a", 1)]
    assert st._in_order({"x": 1, "婚姻": 2, "劳动": 3, "a": 4}, ["劳动", "婚姻"]) == [
        ("劳动", 3), ("婚姻", 2), ("a", 4), ("x", 1)]
    counts: dict[str, int] = {}
    st._add(counts, 2026, 2)
    st._add(counts, "2026", 3)
    assert counts == {"2026": 5}
    months = {"2026-03": st.MonthRow("2026-03", petitions=4)}
    assert st._month(months, "2026-03").petitions == 4
    assert st._month(months, "2026-04") == st.MonthRow("2026-04")
    assert st._month(None, "2026-04") == st.MonthRow("2026-04")


# --- the tables and charts, from figures made up by hand ------------------------------------------------------------
# Every figure below is written by hand; each expected cell is worked out from them by hand (the change against the
# year before, the shares and the rates: 5 of 6 is 83.3 %).


def _made_up() -> st.Comparison:
    p = st.make_period("month", 2026, 2)
    now = st.Statistics(
        p,
        st.PetitionStats(
            total=10, by_channel={"来信": 3, "来访": 4, "网上": 1, "来电": 2}, visit_people=9, groups=1, group_people=5,
            dv=2, by_category=[("婚姻家庭", 6), ("", 4)],
            by_subcategory=[("婚姻家庭", "离婚", 5), ("婚姻家庭", "", 1), ("", "", 4)],
            by_township=[("东山镇", 7), ("", 3)], by_status=[("concluded", 6), ("registered", 4)],
            by_result=[("支持", 4), ("解释说明", 2)], concluded=6, closed_in_time=5, days_to_close=12.4,
            by_nature=[("建议意见", 1), ("检举控告", 2), ("申诉求决", 7)], told=8, told_in_time=6,
            by_rating=[("满意", 3), ("基本满意", 1), ("不满意", 1), ("未评价", 1)], rated=5, satisfied=4, repeats=3,
            repeats_pending=1, transferred=4, returned=1, reported=2, reported_in_time=1, passed_on=2,
            passed_answered=2, passed_answered_in_time=1,
            reviews={"review": st.ReviewStats("review", 2, 2, 1, {"维持": 1, "撤销": 1}),
                     "re_review": st.ReviewStats("re_review")}),
        st.ReferralStats(5, [("离婚", 3), ("家庭暴力", 2)],
                         [("已受理", 2), ("不予受理", 1), ("等待答复", 1), ("待本人同意", 1), ("已撤回", 0)], 3, 2, 2),
        st.MediationStats(6, 5, 2, 1, 1, 1, 0, [("婚姻", 4), ("家庭暴力", 2)]),
        st.VisitStats(7, 3, 123456, 5000, {"visit": 4, "solace": 2},
                      [("东山镇", 5, 2, 100000, 5000), ("", 2, 1, 23456, 0)], 9),
        [st.MonthRow("2026-01", 3, 2, 1, 4), st.MonthRow("2026-02", 7, 3, 5, 3)],
        st.DvStats(cases=4, by_level={"high": 1, "low": 2, "": 1}, warnings=2, receipts=1, visits_due=4, visits_done=3,
                   visits_in_time=2,
                   orders={"applied": 2, "on_behalf": 1, "urgent": 1, "granted": 1, "in_force": 3, "ended": 1,
                           "violations": 1, "violations_reported": 1},
                   services=[st.ServiceRow("法律援助", 5, 3, 2), st.ServiceRow("心理咨询", 1, 1, 1), st.ServiceRow("学校")],
                   reports_needed=2, reports_made=2, reports_same_day=1, repeats=1),
    )
    before = st.Statistics(
        p.year_before(),
        st.PetitionStats(
            total=8, by_channel={"来信": 4, "来访": 4}, visit_people=4, dv=2, by_category=[("婚姻家庭", 5), ("劳动", 3)],
            by_subcategory=[("婚姻家庭", "离婚", 5), ("劳动", "欠薪", 3), ("劳动", "", 1), ("", "其他", 1)],
            by_township=[("东山镇", 7), ("西河乡", 1)], by_status=[("concluded", 8)], by_result=[("不予支持", 8)],
            concluded=8, closed_in_time=8, days_to_close=30.0, told=4, told_in_time=1, reported=2, reported_in_time=2,
            passed_on=4, passed_answered=4, passed_answered_in_time=3,
            by_nature=[("建议意见", 0), ("检举控告", 0), ("申诉求决", 8)],
            by_rating=[("满意", 1), ("基本满意", 0), ("不满意", 1), ("未评价", 6)], rated=2, satisfied=1,
            reviews={"review": st.ReviewStats("review"), "re_review": st.ReviewStats("re_review", 1, 1, 1, {"变更": 1})}),
        st.ReferralStats(4, [("离婚", 1), ("劳动", 3)],
                         [("已受理", 4), ("不予受理", 0), ("等待答复", 0), ("待本人同意", 0), ("已撤回", 0)], 4, 4, 0),
        st.MediationStats(3, 4, 0, 2, 0, 1, 1, [("赡养", 3)]),
        st.VisitStats(7, 4, 200000, 5000, {"visit": 7}, [("东山镇", 3, 2, 100000, 0), ("西河乡", 4, 2, 100000, 5000)], 8),
        [st.MonthRow("2025-01", 1), st.MonthRow("2025-02", 2)],
        st.DvStats(cases=2, by_level={"medium": 2}, warnings=1, visits_due=2, visits_done=1, visits_in_time=1,
                   services=[st.ServiceRow("法律援助", 4, 4, 4), st.ServiceRow("派出所", 1)]),
    )
    return st.Comparison(now, before)


def _shown(t: st.Table) -> tuple[str, str, list[str], list[list[str]], str]:
    return t.key, t.title, t.headers, [[str(v) for v in row] for row in t.rows], t.note


CMP = ["本期", "去年同期", "增减"]
VISITORS = [["来访（人次）", "9", "4", "+5（+125.0%）"], ["集体访（批）", "1", "0", "+1"], ["集体访（人次）", "5", "0", "+5"]]
DAYS = ("法律援助7日、庇护所/救助管理站1日、医院（验伤）3日、心理咨询7日、派出所3日、民政（救助）7日、残联7日、学校7日、"
        "村（居）委会7日、人社（劳动保障）7日、法院（诉讼服务）7日")
TABLES = [
    ("overview", "总体情况", ["项目", *CMP], [
        ["接待来信来电来访（件次）", "10", "8", "+2（+25.0%）"], ["来访（批）", "4", "4", "持平"], *VISITORS,
        ["涉及家庭暴力（件）", "2", "2", "持平"], ["提供法律援助转介（件次）", "5", "4", "+1（+25.0%）"],
        ["受理调解（起）", "6", "3", "+3（+100.0%）"], ["走访慰问（户次）", "7", "7", "持平"]], ""),
    ("channel", "信访：按信访方式", ["信访方式", *CMP], [
        ["来信（件）", "3", "4", "-1（-25.0%）"], ["来电（件）", "2", "0", "+2"], ["来访（批）", "4", "4", "持平"],
        ["网上（件）", "1", "0", "+1"], ["12338热线（件）", "0", "0", "持平"], ["合计（件次）", "10", "8", "+2（+25.0%）"],
        *VISITORS],
     "来信、来电、网上、12338热线按件计，来访按批计（一起来的为一批）；合计为各种方式的件数之和。"
     "来访人次为各批来访的人数之和；集体访指5人以上的来访。"),
    ("category", "信访：按问题类别", ["问题类别", "本期", "占比", "去年同期", "增减"], [
        ["婚姻家庭", "6", "60.0%", "5", "+1（+20.0%）"], ["（未填）", "4", "40.0%", "0", "+4"],
        ["劳动", "0", "0.0%", "3", "-3（-100.0%）"], ["合计", "10", "100.0%", "8", "+2（+25.0%）"]], ""),
    ("subcategory", "信访：按问题类别和具体问题", ["问题类别", "具体问题", "本期", "去年同期", "增减"], [
        ["婚姻家庭", "离婚", "5", "5", "持平"], ["婚姻家庭", "（未细分）", "1", "0", "+1"],
        ["（未填）", "（未细分）", "4", "0", "+4"], ["劳动", "欠薪", "0", "3", "-3（-100.0%）"],
        ["劳动", "（未细分）", "0", "1", "-1（-100.0%）"], ["（未填）", "其他", "0", "1", "-1（-100.0%）"]], ""),
    ("nature", "信访：按事项类型", ["事项类型", "本期", "占比", "去年同期", "增减"], [
        ["建议意见类", "1", "10.0%", "0", "+1"], ["检举控告类", "2", "20.0%", "0", "+2"],
        ["申诉求决类", "7", "70.0%", "8", "-1（-12.5%）"], ["合计", "10", "100.0%", "8", "+2（+25.0%）"]],
     "申诉求决类受理后60日内办结并出具处理意见书（信访工作条例第三十一条、第三十四条）；"
     "建议意见类研究论证后书面答复（第二十九条）；检举控告类转送有权处理的机关（第三十条）。"),
    ("repeat", "信访：初信初访与重复信访", ["项目", *CMP], [
        ["初信初访（件）", "7", "8", "-1（-12.5%）"], ["重复信访（件）", "3", "0", "+3"],
        ["疑似重复、待核实（件）", "1", "0", "+1"], ["重复信访率", "30.0%", "0.0%", ""]],
     "重复信访：同一信访人或同一事项在前次信访后12个月内再次信访，登记时标记、经工作人员确认的；"
     "重复信访率＝重复信访件数÷信访总件数；初信初访＝信访总件数－重复信访件数（待核实的计入初信初访）。"),
    ("township", "信访：按乡镇", ["乡镇", *CMP], [
        ["东山镇", "7", "7", "持平"], ["（未填）", "3", "0", "+3"], ["西河乡", "0", "1", "-1（-100.0%）"]], ""),
    ("status", "信访：按办理状态", ["状态", *CMP], [
        ["已登记", "4", "0", "+4"], ["已受理", "0", "0", "持平"], ["不予受理", "0", "0", "持平"], ["办理中", "0", "0", "持平"],
        ["已办结", "6", "8", "-2（-25.0%）"], ["已转送", "0", "0", "持平"], ["已退回", "0", "0", "持平"]], ""),
    ("result", "信访：按处理结果（已办结）", ["处理结果", *CMP], [
        ["支持", "4", "0", "+4"], ["解释说明", "2", "0", "+2"], ["不予支持", "0", "8", "-8（-100.0%）"]], ""),
    ("closing", "信访：办结时间", ["项目", *CMP], [
        ["已书面告知是否受理（件）", "8", "4", "+4（+100.0%）"], ["按期告知（件）", "6", "1", "+5（+500.0%）"],
        ["按期告知率", "75.0%", "25.0%", ""],
        ["已办结（件）", "6", "8", "-2（-25.0%）"], ["按期办结（件）", "5", "8", "-3（-37.5%）"],
        ["按期办结率", "83.3%", "100.0%", ""], ["平均办结用时（自收到之日起）", "12.4天", "30.0天", ""]],
     "按期告知：当场或自收到之日起15日内书面告知是否受理（转送的，告知转送去向）。"
     "按期办结：自受理之日起60日内办结（经批准延期的，加上延长的天数）。"),
    ("transfer", "信访：上级交办、转送与转送其他单位", ["项目", *CMP], [
        ["上级交办、转送（件）", "4", "0", "+4"], ["提出异议退回（件）", "1", "0", "+1"],
        ["已办结或不予受理并回告（件）", "2", "2", "持平"], ["按期回告（件）", "1", "2", "-1（-50.0%）"],
        ["按期回告率", "50.0%", "100.0%", ""], ["转送其他单位办理（件）", "2", "4", "-2（-50.0%）"],
        ["已答复（件）", "2", "4", "-2（-50.0%）"], ["按期答复（件）", "1", "3", "-2（-66.7%）"],
        ["转送按期答复率", "50.0%", "75.0%", ""]],
     "提出异议退回：不属本会职责，收到后5个工作日内出具退回函的（不计入回告）。"
     "按期回告：在交办单位要求的日期前办结（或不予受理）并回告；没有要求日期的，自受理之日起"
     "60日内（经批准延期的加上延长的天数）。转送其他单位的，按转送函要求的日期计算按期答复。都按收到日期统计。"),
    ("review", "信访：复查与复核", ["项目", *CMP], [
        ["请求复查（件）", "2", "0", "+2"], ["已复查答复（件）", "2", "0", "+2"], ["复查按期答复（件）", "1", "0", "+1"],
        ["复查按期答复率", "50.0%", "—", ""], ["复查结果：维持（件）", "1", "0", "+1"], ["复查结果：撤销（件）", "1", "0", "+1"],
        ["请求复核（件）", "0", "1", "-1（-100.0%）"], ["已复核答复（件）", "0", "1", "-1（-100.0%）"],
        ["复核按期答复（件）", "0", "1", "-1（-100.0%）"], ["复核按期答复率", "—", "100.0%", ""],
        ["复核结果：变更（件）", "0", "1", "-1（-100.0%）"]],
     "按信访人提出请求的日期统计。按期答复：自收到请求之日起30日内答复（信访工作条例第三十五条、第三十六条）；"
     "本会答复的和上一级机关答复后记下的都计入。按期答复率＝按期答复件数÷已答复件数。"),
    ("satisfaction", "信访：满意度（已办结）", ["评价", *CMP], [
        ["满意（件）", "3", "1", "+2（+200.0%）"], ["基本满意（件）", "1", "0", "+1"], ["不满意（件）", "1", "1", "持平"],
        ["未评价（件）", "1", "6", "-5（-83.3%）"], ["参评（件）", "5", "2", "+3（+150.0%）"], ["参评率", "83.3%", "25.0%", ""],
        ["满意率", "80.0%", "50.0%", ""]],
     "以信访人最近一次评价为准（办结时或回访时）。参评：评价为满意、基本满意或不满意；"
     "参评率＝参评件数÷已办结件数；满意率＝（满意＋基本满意）÷参评件数。未评价含未询问的。"),
    ("referral_matter", "法律援助转介：按事项", ["事项", *CMP], [
        ["离婚", "3", "1", "+2（+200.0%）"], ["家庭暴力", "2", "0", "+2"], ["劳动", "0", "3", "-3（-100.0%）"],
        ["合计", "5", "4", "+1（+25.0%）"]], ""),
    ("referral_answer", "法律援助转介：按答复情况", ["答复情况", *CMP], [
        ["已受理", "2", "4", "-2（-50.0%）"], ["不予受理", "1", "0", "+1"], ["等待答复", "1", "0", "+1"],
        ["待本人同意", "1", "0", "+1"], ["已撤回", "0", "0", "持平"], ["7日内答复", "2", "4", "-2（-50.0%）"],
        ["免予经济困难审查（第三十二条）", "2", "0", "+2"]], ""),
    ("dv", "家庭暴力：案件与风险", ["项目", *CMP], [
        ["涉及家庭暴力的案件（件）", "4", "2", "+2（+100.0%）"], ["其中风险高（红色）（件）", "1", "0", "+1"],
        ["其中风险中（橙色）（件）", "0", "2", "-2（-100.0%）"], ["其中风险低（黄色）（件）", "2", "0", "+2"],
        ["其中未做风险评估（件）", "1", "0", "+1"], ["12个月内再次求助（件）", "1", "0", "+1"],
        ["重复求助率", "25.0%", "0.0%", ""]],
     "信访、转介、调解中涉及家庭暴力的，按收到（转介、受理）日期计；风险等级取到期末为止最近一次评估。"
     "再次求助：同一妇女在此前12个月内另有案件（信访、转介或调解；由同一件信访转出的不算）；重复求助率＝再次求助件数÷涉及家庭暴力的案件数。"),
    ("dv_police", "家庭暴力：告诫书、查访和强制报告", ["项目", *CMP], [
        ["公安机关出具告诫书（份）", "2", "1", "+1（+100.0%）"], ["报警回执（份）", "1", "0", "+1"],
        ["告诫书后计划查访（次）", "4", "2", "+2（+100.0%）"], ["已查访（次）", "3", "1", "+2（+200.0%）"],
        ["按期查访（次）", "2", "1", "+1（+100.0%）"], ["告诫书后按期查访率", "50.0%", "50.0%", ""], ["须强制报告（人）", "2", "0", "+2"],
        ["已向公安机关报案（人）", "2", "0", "+2"], ["发现当日报案（人）", "1", "0", "+1"]],
     "告诫书、报警回执按出具日期计；查访按计划查访的日期计，在计划日期当天或之前查访的为按期；"
     "按期查访率＝按期查访次数÷计划查访次数。强制报告（反家庭暴力法第十四条）按发现须报告的日期计。"),
    ("dv_orders", "家庭暴力：人身安全保护令", ["项目", *CMP], [
        ["协助申请（件）", "2", "0", "+2"], ["其中本会代为申请（件）", "1", "0", "+1"], ["其中情况紧急（件）", "1", "0", "+1"],
        ["法院作出保护令（件）", "1", "0", "+1"], ["法院驳回（件）", "0", "0", "持平"], ["期末仍在有效期内（件）", "3", "0", "+3"],
        ["期内到期（件）", "1", "0", "+1"], ["违反保护令（次）", "1", "0", "+1"], ["已报告法院（次）", "1", "0", "+1"]],
     "申请按提出日期计，作出或驳回按裁定日期计，到期按有效期最后一天计，期末有效按统计期最后一天计。"),
    ("dv_referral", "转介：按服务", ["服务", "本期转介（件）", "已答复（件）", "按期答复（件）", "按期答复率", "去年同期转介（件）"], [
        ["法律援助", "5", "3", "2", "66.7%", "4"], ["心理咨询", "1", "1", "1", "100.0%", "0"],
        ["合计", "6", "4", "3", "75.0%", "5"]],
     f"按转介日期计。按期答复：自转介函发出之日起，在该服务的答复期内答复（{DAYS}；法律援助为法律援助法"
     "第四十三条的七日）；按期答复率＝按期答复件数÷已答复件数。"),
    ("mediation", "婚姻家庭纠纷调解", ["项目", *CMP], [
        ["受理调解（起）", "6", "3", "+3（+100.0%）"], ["调结（起）", "5", "4", "+1（+25.0%）"], ["和好（起）", "2", "0", "+2"],
        ["达成调解协议（起）", "1", "2", "-1（-50.0%）"], ["当事人自行和解（起）", "1", "0", "+1"],
        ["调解不成（起）", "1", "1", "持平"], ["终止调解（起）", "0", "1", "-1（-100.0%）"], ["和好率", "40.0%", "0.0%", ""],
        ["调解成功率", "80.0%", "50.0%", ""]],
     "受理数按受理日期计；结果按调结日期计。和好率、调解成功率以本期调结数为基数。"),
    ("mediation_type", "调解：按纠纷类型（受理）", ["纠纷类型", *CMP], [
        ["婚姻", "4", "0", "+4"], ["家庭暴力", "2", "0", "+2"], ["赡养", "0", "3", "-3（-100.0%）"]], ""),
    ("visits", "帮扶户走访慰问", ["项目", *CMP], [
        ["走访慰问（户次）", "7", "7", "持平"], ["走访到户（户）", "3", "4", "-1（-25.0%）"],
        ["其中走访（户次）", "4", "7", "-3（-42.9%）"], ["其中慰问（户次）", "2", "0", "+2"], ["其中帮扶（户次）", "0", "0", "持平"],
        ["发放慰问金", "¥1,234.56", "¥2,000.00", "-¥765.44"], ["发放慰问物资（折合）", "¥50.00", "¥50.00", "持平"],
        ["期末在册帮扶对象（户/人）", "9", "8", "+1（+12.5%）"]], ""),
    ("visit_township", "走访慰问：按乡镇", ["乡镇", "户次", "户数", "慰问金", "慰问物资（折合）", "去年同期户次"], [
        ["东山镇", "5", "2", "¥1,000.00", "¥50.00", "3"], ["（未填）", "2", "1", "¥234.56", "¥0.00", "0"]], ""),
    ("month", "按月份", ["月份", "信访", "法律援助转介", "调解", "走访慰问（户次）"], [
        ["2026年1月", "3", "2", "1", "4"], ["2026年2月", "7", "3", "5", "3"]], ""),
]


@pytest.mark.parametrize("key", [t[0] for t in TABLES])
def test_every_table_from_figures_made_up_by_hand(key: str) -> None:
    tables = st.tables(_made_up())
    assert [t.key for t in tables] == [t[0] for t in TABLES]
    assert _shown(next(t for t in tables if t.key == key)) == next(t for t in TABLES if t[0] == key)


def test_the_cells_are_numbers_rates_and_money_not_text() -> None:
    tables = {t.key: t for t in st.tables(_made_up())}
    assert tables["overview"].rows[0] == ["接待来信来电来访（件次）", 10, 8, "+2（+25.0%）"]
    assert tables["category"].rows[0][2] == st.Rate(0.6)
    assert tables["visits"].rows[5][:3] == ["发放慰问金", st.Money(123456), st.Money(200000)]
    assert tables["visit_township"].rows[1][3:5] == [st.Money(23456), st.Money(0)]
    assert tables["dv_referral"].rows[-1][4] == st.Rate(0.75)


def test_a_period_without_reviews_or_mediations_by_type_leaves_their_tables_out() -> None:
    p = st.make_period("month", 2026, 2)
    empty = st.Statistics(p, st.PetitionStats(), st.ReferralStats(), st.MediationStats(), st.VisitStats(),
                          [st.MonthRow("2026-02")])
    keys = [t.key for t in st.tables(st.Comparison(empty, empty))]
    assert "review" not in keys and "mediation_type" not in keys
    assert len(keys) == len(TABLES) - 2
    shown = {t.key: _shown(t)[3] for t in st.tables(st.Comparison(empty, empty))}
    assert shown["dv_referral"] == [["合计", "0", "0", "0", "—", "0"]]
    assert shown["closing"][2:] == [["按期告知率", "—", "—", ""], ["已办结（件）", "0", "0", "持平"],
                                    ["按期办结（件）", "0", "0", "持平"], ["按期办结率", "—", "—", ""],
                                    ["平均办结用时（自收到之日起）", "—", "—", ""]]
    assert shown["category"] == shown["nature"] == [["合计", "0", "—", "0", "持平"]]
    asked = st.PetitionStats(reviews={"review": st.ReviewStats("review"), "re_review": st.ReviewStats("re_review", 1)})
    only_re_review = st.Statistics(p, asked, st.ReferralStats(), st.MediationStats(), st.VisitStats(),
                                   [st.MonthRow("2026-02")])
    review = next(t for t in st.tables(st.Comparison(only_re_review, empty)) if t.key == "review")
    typed = st.Statistics(p, st.PetitionStats(), st.ReferralStats(), st.MediationStats(by_type=[("婚姻", 1)]),
                          st.VisitStats(), [st.MonthRow("2026-02")])
    for c in (st.Comparison(typed, empty), st.Comparison(empty, typed)):  # either period with a type shows the table
        assert "mediation_type" in [t.key for t in st.tables(c)]
    assert [row[0] for row in review.rows] == ["请求复核（件）", "已复核答复（件）", "复核按期答复（件）", "复核按期答复率"]


def _charts(c: st.Comparison, most: int = st.CHART_BARS) -> list[tuple[str, str, list[str], list[tuple[str, list[float]]],
                                                                        bool, bool]]:
    return [(x.key, x.title, x.labels, x.series, x.horizontal, x.percent) for x in st.charts(c, most)]


def test_the_charts_from_figures_made_up_by_hand() -> None:
    assert _charts(_made_up()) == [
        ("month", "按月份：信访、法律援助转介、调解（件）", ["1月", "2月"],
         [("信访", [3, 7]), ("法律援助转介", [2, 3]), ("调解", [1, 5])], False, False),
        ("category", "信访：按问题类别（件）", ["婚姻家庭", "（未填）"], [("本期", [6, 4]), ("去年同期", [5, 0])], True, False),
        ("township", "信访：按乡镇（件）", ["东山镇", "（未填）"], [("本期", [7, 3]), ("去年同期", [7, 0])], True, False),
        ("rates", "信访：各项比率（%）",
         ["按期告知率", "按期办结率", "重复信访率", "参评率", "满意率", "交办按期回告率", "转送按期答复率",
          "复查按期答复率（去年同期无）", "复核按期答复率（本期无）"],
         [("本期", [75.0, 83.3, 30.0, 83.3, 80.0, 50.0, 50.0, 50.0, 0.0]),
          ("去年同期", [25.0, 100.0, 0.0, 25.0, 50.0, 100.0, 75.0, 0.0, 100.0])], True, True),
    ]


def test_the_charts_draw_the_first_bars_and_say_so() -> None:
    category, township = _charts(_made_up(), most=1)[1:3]
    assert category == ("category", "信访：按问题类别（件，前1个）", ["婚姻家庭"], [("本期", [6]), ("去年同期", [5])], True, False)
    assert township == ("township", "信访：按乡镇（件，前1个）", ["东山镇"], [("本期", [7]), ("去年同期", [7])], True, False)
    assert _charts(_made_up(), most=2)[1][1] == "信访：按问题类别（件）"  # exactly as many as drawn: nothing cut


def _by_month(months: list[st.MonthRow]) -> st.Comparison:
    p = st.custom_period(D(int(months[0].month[:4]), int(months[0].month[5:]), 1), D(2030, 1, 1))
    s = st.Statistics(p, st.PetitionStats(), st.ReferralStats(), st.MediationStats(), st.VisitStats(), months)
    return st.Comparison(s, s)


def test_the_month_chart_names_the_year_when_the_period_crosses_one_and_draws_years_past_24_months() -> None:
    across = [st.MonthRow("2025-12", 1, 2, 3), st.MonthRow("2026-01", 4, 5, 6)]
    assert _charts(_by_month(across))[0][1:4] == (
        "按月份：信访、法律援助转介、调解（件）", ["25年12月", "26年1月"], [("信访", [1, 4]), ("法律援助转介", [2, 5]),
                                                             ("调解", [3, 6])])
    winter = [st.MonthRow("2025-11"), st.MonthRow("2025-12"), st.MonthRow("2026-01")]  # the first two in one year
    assert _charts(_by_month(winter))[0][2] == ["25年11月", "25年12月", "26年1月"]
    thirteen = [st.MonthRow(f"2025-{m:02}", 1) for m in range(1, 13)] + [st.MonthRow("2026-01", 2)]
    assert _charts(_by_month(thirteen))[0][2][::12] == ["25年1月", "26年1月"]
    twelve = [st.MonthRow(f"2025-{m:02}", 1) for m in range(1, 13)]
    assert _charts(_by_month(twelve))[0][2][::11] == ["1月", "12月"]
    months = [st.MonthRow(f"{2024 + i // 12}-{i % 12 + 1:02}", 1, 2, i) for i in range(24)]
    assert _charts(_by_month(months))[0][2][::23] == ["24年1月", "25年12月"]  # 24 months: still by month
    months.append(st.MonthRow("2026-01", 5, 0, 1))
    by_year = _charts(_by_month(months))[0]
    # 2024: 12 × 1, 12 × 2, 0+1+…+11 = 66; 2025: 12, 24, 12+…+23 = 210; 2026: 5, 0, 1
    assert by_year[:4] == ("month", "按年份：信访、法律援助转介、调解（件）", ["2024年", "2025年", "2026年"],
                            [("信访", [12, 12, 5]), ("法律援助转介", [24, 24, 0]), ("调解", [66, 210, 1])])


# --- the figures of a made-up month, counted by hand (rows written straight into an empty database) ------------------

MARCH = st.make_period("month", 2026, 3)


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    d = open_database(":memory:")
    yield d
    d.close()


def _case(db: sqlite_utils.Database, kind: str, received: str, township: str) -> int:
    seq = int(db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) + 1
    db.execute("INSERT INTO cases (kind, case_no, year, seq, status, received_on, township, created_at, updated_at) "
               "VALUES (?, ?, 2026, ?, 'registered', ?, ?, 'x', 'x')", [kind, f"N{seq}", seq, received, township])
    return int(db.execute("SELECT max(id) FROM cases").fetchone()[0])


def _household(db: sqlite_utils.Database, received: str, township: str, exited: str | None = None) -> int:
    case_id = _case(db, "household", received, township)
    db.execute("INSERT INTO households (case_id, list_id, rhythm_start, exited_on) VALUES (?, 1, ?, ?)",
               [case_id, received, exited])
    return case_id


def _visit(db: sqlite_utils.Database, case_id: int, on: str, kind: str, cash: int = 0, goods: int = 0) -> None:
    db.execute("INSERT INTO visits (case_id, visited_on, visitors, kind, cash_fen, goods_fen, created_at) "
               "VALUES (?, ?, '王秀兰', ?, ?, ?, 'x')", [case_id, on, kind, cash, goods])


def test_the_visits_of_a_month_and_the_households_still_helped_at_its_end(db: sqlite_utils.Database) -> None:
    h1 = _household(db, "2026-01-05", "东山镇")  # still helped
    h2 = _household(db, "2026-03-31", "西河乡")  # put on the list on the month's last day: counted at its end
    _household(db, "2026-04-01", "东山镇")  # not yet on the list
    h4 = _household(db, "2025-06-01", "东山镇", exited="2026-03-31")  # left on the last day: not at its end
    h5 = _household(db, "2025-06-01", "西河乡", exited="2026-04-01")  # leaves after it: still counted
    _visit(db, h1, "2026-03-01", "visit")  # the month's first day
    _visit(db, h1, "2026-03-31", "solace", cash=50000, goods=2000)  # its last day
    _visit(db, h4, "2026-03-15", "assist", cash=10000)
    _visit(db, h5, "2026-02-28", "visit", cash=99900)  # the day before: not counted
    _visit(db, h5, "2026-04-01", "visit", goods=99900)  # the day after: not counted
    _visit(db, h2, "2026-03-31", "visit", goods=3000)
    months = {"2026-03": st.MonthRow("2026-03")}
    v = st.visit_stats(db, MARCH, months)
    assert (v.visits, v.households, v.cash_fen, v.goods_fen, v.registered) == (4, 3, 60000, 5000, 3)
    assert v.by_kind == {"visit": 2, "solace": 1, "assist": 1}
    assert v.by_township == [("东山镇", 3, 2, 60000, 2000), ("西河乡", 1, 1, 0, 3000)]
    assert months["2026-03"].visits == 4
    east = st.visit_stats(db, MARCH, township="东山镇")
    assert (east.visits, east.households, east.cash_fen, east.goods_fen, east.registered) == (3, 2, 60000, 2000, 1)
    assert east.by_kind == {"visit": 1, "solace": 1, "assist": 1}
    assert east.by_township == [("东山镇", 3, 2, 60000, 2000)]
    west = st.visit_stats(db, MARCH, township="西河乡")
    assert (west.visits, west.households, west.goods_fen, west.registered) == (1, 1, 3000, 2)


def _mediation(db: sqlite_utils.Database, received: str, township: str, dispute: str, outcome: str = "",
               outcome_on: str | None = None) -> int:
    case_id = _case(db, "mediation", received, township)
    db.execute("INSERT INTO mediations (case_id, source, dispute_type, relationship, facts, outcome, outcome_on) "
               "VALUES (?, '当事人申请', ?, '夫妻', '测试', ?, ?)", [case_id, dispute, outcome, outcome_on])
    return case_id


def test_mediations_accepted_in_a_month_and_outcomes_reached_in_it(db: sqlite_utils.Database) -> None:
    _mediation(db, "2026-03-01", "东山镇", "婚姻", "reconciled", "2026-03-31")
    _mediation(db, "2026-02-10", "西河乡", "赡养", "agreed", "2026-03-01")  # accepted before, agreed in March
    _mediation(db, "2026-03-31", "东山镇", "家庭暴力")  # still open
    _mediation(db, "2026-03-05", "东山镇", "婚姻", "failed", "2026-04-01")  # failed after the month
    _mediation(db, "2026-03-10", "西河乡", "其他", "ended", "2026-03-20")
    _mediation(db, "2026-01-01", "东山镇", "婚姻", "self_settled", "2026-03-15")
    _mediation(db, "2026-04-01", "东山镇", "赡养")  # the day after
    months = {"2026-03": st.MonthRow("2026-03")}
    m = st.mediation_stats(db, MARCH, months)
    assert (m.accepted, m.concluded, m.reconciled, m.agreed, m.self_settled, m.failed, m.ended) == (4, 4, 1, 1, 1, 0, 1)
    assert m.by_type == [("婚姻", 2), ("家庭暴力", 1), ("其他", 1)]
    assert months["2026-03"].mediations == 4
    east = st.mediation_stats(db, MARCH, township="东山镇")
    assert (east.accepted, east.concluded, east.reconciled, east.agreed, east.self_settled, east.ended) == (
        3, 2, 1, 0, 1, 0)
    assert east.by_type == [("婚姻", 2), ("家庭暴力", 1)]


def _petition(db: sqlite_utils.Database, received: str, township: str, channel: str, status: str, *,
              headcount: int = 1, category: str = "权益保障", subcategory: str = "", **values: object) -> int:
    case_id = _case(db, "petition", received, township)
    closed = values.get("concluded_on") or values.pop("closed_on", None)
    db.execute("UPDATE cases SET status = ?, category = ?, subcategory = ?, closed_on = ? WHERE id = ?",
               [status, category, subcategory, closed, case_id])
    columns = ["case_id", "channel", "headcount", "facts", "request", "receiving_staff", *values]
    db.execute(f"INSERT INTO petitions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
               [case_id, channel, headcount, "测试", "测试", "王秀兰", *values.values()])
    return case_id


def _review(db: sqlite_utils.Database, case_id: int, stage: str, requested: str, answered: str | None = None,
            result: str = "") -> None:
    db.execute("INSERT INTO petition_reviews (case_id, stage, requested_on, answer_received_on, body, request, "
               "answered_on, result) VALUES (?, ?, ?, ?, '本会', '测试', ?, ?)",
               [case_id, stage, requested, requested, answered, result])


@pytest.fixture
def petitions_of_march(db: sqlite_utils.Database) -> sqlite_utils.Database:
    return _fill_march(db)


def _fill_march(db: sqlite_utils.Database) -> sqlite_utils.Database:
    """Seven petitions received in March 2026 (and one the day before it), the clocks counted on the calendar."""
    # 2 March + 60 days = 1 May (29 days left in March, 30 in April): concluded on its last day, in time; told on the
    # 15th day after receipt, in time; a visit of exactly 5 people: 集体访
    p1 = _petition(db, "2026-03-01", "东山镇", "来访", "concluded", headcount=5, category="婚姻家庭", accepted_on="2026-03-02",
                   concluded_on="2026-05-01", told_on="2026-03-16", result="支持", rating="满意")
    # extended by 30 days: 10 March + 90 days = 8 June, in time; told on the 16th day, late; never rated; about domestic
    # violence by its question (not ticked)
    p2 = _petition(db, "2026-03-10", "东山镇", "来电", "concluded", category="婚姻家庭", subcategory="家庭暴力",
                   accepted_on="2026-03-10", extension_days=30, concluded_on="2026-06-08", told_on="2026-03-26",
                   result="解释说明")
    # 31 March + 61 days = 31 May: a day late; sent by 市妇联 to be reported by 30 May: reported a day late
    _petition(db, "2026-03-31", "西河乡", "来访", "concluded", headcount=4, category="婚姻家庭", accepted_on="2026-03-31",
              concluded_on="2026-05-31", rating="基本满意", source_body="市妇联", source_due_on="2026-05-30")
    # open, ticked 家庭暴力, assessed 中 in March and 高 after it; sent by 信访局; a confirmed repeat
    p4 = _petition(db, "2026-03-05", "西河乡", "来信", "registered", dv=1, source_body="信访局", repeat_state="confirmed")
    db.execute("INSERT INTO risk_assessments (case_id, assessed_on, occasion, answers, score, computed_level, level, "
               "staff, created_at) VALUES (?, '2026-03-06', '登记时', '{}', 5, 'medium', 'medium', 'x', 'x'), "
               "(?, '2026-04-02', '回访', '{}', 9, 'high', 'high', 'x', 'x')", [p4, p4])
    # refused on the 5th day, a 12345 工单 without a date set: reported within 60 days of receipt; a repeat not yet
    # confirmed
    _petition(db, "2026-03-20", "西河乡", "网上", "refused", closed_on="2026-03-25", told_on="2026-03-21",
              source_body="12345", repeat_state="suspected", nature="检举控告")
    # sent back to 市妇联 as not the office's; passed on with a 转送函, answered on the day it set
    _petition(db, "2026-03-15", "西河乡", "来信", "returned", source_body="市妇联", transfer_sent_on="2026-03-16",
              transfer_due_on="2026-04-15", transfer_answered_on="2026-04-15")
    p7 = _petition(db, "2026-02-28", "东山镇", "来访", "registered", headcount=9)  # the day before March
    # six people; passed on, answered a day after the day set
    _petition(db, "2026-03-25", "西河乡", "来访", "in_progress", headcount=6, transfer_sent_on="2026-03-26",
              transfer_due_on="2026-04-10", transfer_answered_on="2026-04-11", nature="建议意见")
    _review(db, p1, "review", "2026-03-10", "2026-04-09", "维持")  # 10 March + 30 days = 9 April: in time
    _review(db, p2, "review", "2026-03-31")  # not yet answered
    _review(db, p1, "re_review", "2026-04-01", "2026-04-02", "维持")  # asked after March
    _review(db, p7, "review", "2026-03-05", "2026-04-05", "撤销")  # received in February, asked in March; a day late
    return db


def test_the_petitions_of_a_month_counted_by_hand(petitions_of_march: sqlite_utils.Database) -> None:
    months = {"2026-03": st.MonthRow("2026-03")}
    dv = st.DvStats()
    s = st.petition_stats(petitions_of_march, MARCH, months, dv)
    assert s.total == 7 and months["2026-03"].petitions == 7
    assert s.by_channel == {"来信": 2, "来电": 1, "来访": 3, "网上": 1}
    assert (s.visits, s.visit_people, s.groups, s.group_people) == (3, 15, 2, 11)
    assert s.dv == 1
    assert (dv.by_level, dv.repeats) == ({"medium": 1, "": 1}, 0)  # the ticked one, and the one by its question
    assert (s.concluded, s.closed_in_time) == (3, 2)
    assert s.days_to_close == pytest.approx((61 + 90 + 61) / 3)
    assert (s.told, s.told_in_time) == (3, 2)
    assert s.by_rating == [("满意", 1), ("基本满意", 1), ("不满意", 0), ("未评价", 1)]
    assert (s.rated, s.satisfied) == (2, 2)
    assert s.by_result == [("支持", 1), ("解释说明", 1)]
    assert s.by_status == [("registered", 1), ("refused", 1), ("in_progress", 1), ("concluded", 3), ("returned", 1)]
    assert s.by_nature == [("建议意见", 1), ("检举控告", 1), ("申诉求决", 5)]
    assert (s.repeats, s.repeats_pending) == (1, 1)
    assert (s.transferred, s.returned, s.reported, s.reported_in_time) == (4, 1, 2, 1)
    assert (s.passed_on, s.passed_answered, s.passed_answered_in_time) == (2, 2, 1)
    assert s.by_category == [("权益保障", 4), ("婚姻家庭", 3)]
    assert s.by_subcategory == [("婚姻家庭", "", 2), ("婚姻家庭", "家庭暴力", 1), ("权益保障", "", 4)]
    assert s.by_township == [("西河乡", 5), ("东山镇", 2)]
    review = s.reviews["review"]
    assert (review.requested, review.answered, review.answered_in_time, review.by_result) == (
        3, 2, 1, {"维持": 1, "撤销": 1})
    assert (s.reviews["re_review"].requested, s.reviews["re_review"].by_result) == (0, {})


def test_the_petitions_of_a_month_in_one_township(petitions_of_march: sqlite_utils.Database) -> None:
    s = st.petition_stats(petitions_of_march, MARCH, township="东山镇")
    assert (s.total, s.visits, s.visit_people, s.groups, s.group_people, s.dv) == (2, 1, 5, 1, 5, 0)
    assert (s.concluded, s.closed_in_time, s.told, s.told_in_time, s.transferred) == (2, 2, 2, 1, 0)
    assert s.days_to_close == pytest.approx((61 + 90) / 2)
    assert s.by_township == [("东山镇", 2)]
    review = s.reviews["review"]
    # all three reviews asked in March are of 东山镇's petitions (the one received in February too)
    assert (review.requested, review.answered, review.answered_in_time, review.by_result) == (
        3, 2, 1, {"维持": 1, "撤销": 1})
    west = st.petition_stats(petitions_of_march, MARCH, township="西河乡").reviews["review"]
    assert (west.requested, west.answered) == (0, 0)
    assert st.petition_stats(petitions_of_march, MARCH, township="南岭乡").total == 0


def _woman(db: sqlite_utils.Database, case_id: int, earlier_on: str, earlier_township: str) -> None:
    """The case's woman, with a petition of hers received on `earlier_on` in `earlier_township`."""
    db.execute("INSERT INTO people (name, created_at, updated_at) VALUES ('测试', 'x', 'x')")
    person = int(db.execute("SELECT max(id) FROM people").fetchone()[0])
    earlier = _case(db, "petition", earlier_on, earlier_township)
    for c in (case_id, earlier):
        db.execute("UPDATE cases SET person_id = ? WHERE id = ?", [person, c])
        db.execute("INSERT INTO case_people (case_id, person_id, role) VALUES (?, ?, 'petitioner')", [c, person])


def _referral(db: sqlite_utils.Database, received: str, township: str, service: str, status: str, matter: str,
              sent: str | None = None, answered: str | None = None, victim_of: str = "") -> int:
    case_id = _case(db, "referral", received, township)
    db.execute("UPDATE cases SET status = ? WHERE id = ?", [status, case_id])
    db.execute("INSERT INTO referrals (case_id, referred_on, staff, organisation_name, matter, role, legal_state, "
               "help_kinds, facts, service, sent_on, answered_on, victim_of) "
               "VALUES (?, ?, '王秀兰', '测试', ?, '原告', '尚未进入程序', '咨询', '测试', ?, ?, ?, ?)",
               [case_id, received, matter, service, sent, answered, victim_of])
    return case_id


def test_the_referrals_of_a_month_counted_by_hand(db: sqlite_utils.Database) -> None:
    aid, hospital, shelter = "法律援助", "医院（验伤）", "庇护所/救助管理站"
    # answered on the 7th day: in time; a victim of domestic violence (no means test); her petition exactly 12
    # months before (another township's)
    r1 = _referral(db, "2026-03-01", "东山镇", aid, "accepted", "离婚", "2026-03-02", "2026-03-09", "家庭暴力")
    _woman(db, r1, "2025-03-01", "西河乡")
    _referral(db, "2026-03-31", "西河乡", aid, "refused", "劳动", "2026-03-31", "2026-04-08", "遗弃")  # 8th day: late
    _referral(db, "2026-03-15", "西河乡", aid, "referred", "家庭暴力", "2026-03-15")  # not yet answered
    _referral(db, "2026-03-20", "东山镇", aid, "awaiting_consent", "离婚", victim_of="虐待")
    _referral(db, "2026-02-28", "东山镇", aid, "accepted", "离婚", "2026-02-28", "2026-03-01")  # the day before March
    _referral(db, "2026-03-12", "西河乡", aid, "concluded", "赡养", "2026-03-12", "2026-03-12")
    _referral(db, "2026-03-13", "西河乡", aid, "withdrawn", "其他")
    _referral(db, "2026-03-10", "东山镇", hospital, "accepted", "家庭暴力", "2026-03-10", "2026-03-13")  # 3 days: in time
    # the shelter's 1 day: answered on the 2nd, late; her petition 12 months and a day before: not a repeat
    r7 = _referral(db, "2026-03-11", "西河乡", shelter, "concluded", "其他", "2026-03-11", "2026-03-13", "家庭暴力")
    _woman(db, r7, "2025-03-10", "西河乡")
    months = {"2026-03": st.MonthRow("2026-03")}
    dv = st.DvStats()
    s = st.referral_stats(db, MARCH, months, dv)
    assert (s.total, s.answered, s.answered_in_time, s.exempt) == (6, 3, 2, 3)
    assert s.by_matter == [("离婚", 2), ("赡养", 1), ("家庭暴力", 1), ("劳动", 1), ("其他", 1)]
    assert s.by_answer == [("已受理", 2), ("不予受理", 1), ("等待答复", 1), ("待本人同意", 1), ("已撤回", 1)]
    assert months["2026-03"].referrals == 6  # legal aid only
    assert [(r.service, r.referred, r.answered, r.in_time) for r in dv.services if r.referred] == [
        (aid, 6, 3, 2), (shelter, 1, 1, 0), (hospital, 1, 1, 1)]
    assert len(dv.services) == 11  # every service, in the rules' order
    assert (dv.by_level, dv.repeats) == ({"": 4}, 1)  # r1, r3 (by its matter), the hospital and the shelter
    east_dv = st.DvStats()
    east = st.referral_stats(db, MARCH, dv=east_dv, township="东山镇")
    assert (east.total, east.answered, east.answered_in_time, east.exempt) == (2, 1, 1, 2)
    assert (east_dv.by_level, east_dv.repeats) == ({"": 2}, 0)  # her earlier petition was in another township


def test_a_periods_figures_put_together(petitions_of_march: sqlite_utils.Database) -> None:
    db = petitions_of_march
    _mediation(db, "2026-02-10", "东山镇", "家庭暴力")  # about domestic violence, in February
    _referral(db, "2026-03-02", "东山镇", "法律援助", "referred", "离婚")
    h = _household(db, "2026-01-05", "东山镇")
    _visit(db, h, "2026-02-01", "visit")
    _visit(db, h, "2026-02-02", "visit")
    spring = st.custom_period(D(2026, 2, 1), D(2026, 3, 31))
    s = st.compute(db, spring)
    assert s.period == spring
    assert s.by_month == [st.MonthRow("2026-02", 1, 0, 1, 2), st.MonthRow("2026-03", 7, 1, 0, 0)]
    assert (s.petitions.total, s.referrals.total, s.mediations.accepted, s.visits.visits) == (8, 1, 1, 2)
    # P2 (by its question) and P4 (ticked, assessed 中), and the mediation: never assessed
    assert (s.dv.cases, s.dv.by_level) == (3, {"": 2, "medium": 1})
    assert list(s.dv.by_level) == ["", "medium"]  # in order
    assert len(s.dv.services) == 11
    assert st.dv_stats(db, spring) == s.dv
    assert st.by_month(db, spring) == s.by_month
    c = st.compare(db, spring)
    assert c.current == s and c.previous.period == spring.year_before()
    assert c.previous.by_month == [st.MonthRow("2025-02"), st.MonthRow("2025-03")]
    east = st.compute(db, spring, township="东山镇")
    assert east.by_month == [st.MonthRow("2026-02", 1, 0, 1, 2), st.MonthRow("2026-03", 2, 1, 0, 0)]


def test_the_year_before_worked_out_on_a_second_connection_is_the_same(tmp_path: Path) -> None:
    db = open_database(tmp_path / "figures.db")
    _fill_march(db)
    _mediation(db, "2025-03-03", "东山镇", "婚姻", "agreed", "2025-03-30")  # the year before has something too
    _referral(db, "2025-03-02", "西河乡", "法律援助", "accepted", "离婚", "2025-03-02", "2025-03-05")
    db.conn.commit()
    beside = sqlite_utils.Database(sqlite3.connect(tmp_path / "figures.db", check_same_thread=False))
    try:
        both = st.compare(db, MARCH, beside=beside)
        for township in (None, "东山镇"):
            assert st.compare(db, MARCH, township, beside=beside) == st.compare(db, MARCH, township)
    finally:
        beside.close()
        db.close()
    assert both.current.petitions.total == 7 and both.previous.period == MARCH.year_before()
    assert (both.previous.mediations.accepted, both.previous.mediations.agreed, both.previous.referrals.total) == (1, 1, 1)
    assert both.previous.by_month == [st.MonthRow("2025-03", 0, 1, 1, 0)]


def test_a_failure_on_either_connection_is_raised_once_both_have_stopped(tmp_path: Path) -> None:
    db = open_database(tmp_path / "figures.db")
    beside = sqlite_utils.Database(sqlite3.connect(tmp_path / "figures.db", check_same_thread=False))
    beside.execute("PRAGMA query_only = ON")
    beside.conn.close()  # the second connection cannot be used
    try:
        with pytest.raises(sqlite3.ProgrammingError):
            st.compare(db, MARCH, beside=beside)
        assert st.compare(db, MARCH).current.petitions.total == 0  # the first is left as it was
    finally:
        db.close()


def test_a_figure_asked_of_stats_without_it_is_zero() -> None:
    p = st.PetitionStats(by_nature=[("申诉求决", 2)], by_channel={"来访": 3})
    assert (p.nature("申诉求决"), p.nature("建议意见"), p.channel("来访"), p.channel("来信")) == (2, 0, 3, 0)
    assert (st.ReferralStats(by_answer=[("已受理", 2)]).answer("已受理"), st.ReferralStats().answer("已撤回")) == (2, 0)
    assert st.DvStats().service("学校") == st.ServiceRow("学校", 0, 0, 0)
    assert st.DvStats(services=[st.ServiceRow("学校", 2, 1, 1)]).service("学校") == st.ServiceRow("学校", 2, 1, 1)
    assert (st.ReviewStats("review", by_result={"维持": 2}).result("维持"), st.ReviewStats("review").result("变更")) == (2, 0)


ORDER_ROWS = ["协助申请（件）", "其中本会代为申请（件）", "其中情况紧急（件）", "法院作出保护令（件）", "法院驳回（件）",
              "期末仍在有效期内（件）", "期内到期（件）", "违反保护令（次）", "已报告法院（次）"]


def test_every_protection_order_figure_in_either_period() -> None:
    orders = st.DvStats(orders={"applied": 9, "on_behalf": 8, "urgent": 7, "granted": 6, "refused": 5, "in_force": 4,
                                "ended": 3, "violations": 2, "violations_reported": 1})
    now = [[str(v) for v in row] for row in st.dv_tables(orders, st.DvStats())[2].rows]
    before = [[str(v) for v in row] for row in st.dv_tables(st.DvStats(), orders)[2].rows]
    assert now == [[label, str(n), "0", f"+{n}"] for label, n in zip(ORDER_ROWS, range(9, 0, -1), strict=True)]
    assert before == [[label, "0", str(n), f"-{n}（-100.0%）"] for label, n in zip(ORDER_ROWS, range(9, 0, -1), strict=True)]


def test_the_month_table_names_october_to_december() -> None:
    c = _by_month([st.MonthRow("2025-10", 1), st.MonthRow("2025-11", 2), st.MonthRow("2025-12", 3)])
    months = next(t for t in st.tables(c) if t.key == "month")
    assert [row[:2] for row in months.rows] == [["2025年10月", 1], ["2025年11月", 2], ["2025年12月", 3]]


@pytest.mark.parametrize(("now", "before", "said"), [
    (30000, 20000, "+¥100.00"), (20001, 20000, "+¥0.01"), (20000, 20001, "-¥0.01"), (0, 123456, "-¥1,234.56"),
    (500, 500, "持平")], ids=["up", "a-fen-more", "a-fen-less", "to-nothing", "same"])
def test_money_against_the_year_before(now: int, before: int, said: str) -> None:
    assert st._money_change(now, before) == said


def test_a_period_ending_on_the_first_of_a_month_has_that_month() -> None:
    assert st._months(st.custom_period(D(2026, 2, 15), D(2026, 3, 1))) == ["2026-02", "2026-03"]
    assert st._months(st.custom_period(D(2025, 12, 31), D(2026, 1, 1))) == ["2025-12", "2026-01"]
    assert st._months(MARCH) == ["2026-03"]


def _paper(db: sqlite_utils.Database, case_id: int, kind: str, issued: str) -> None:
    db.execute("INSERT INTO police_contacts (case_id, kind, station, issued_on, created_at) VALUES (?, ?, '东山派出所', ?, 'x')",
               [case_id, kind, issued])


def test_the_police_papers_of_a_month_of_the_office_and_of_one_township(db: sqlite_utils.Database) -> None:
    east, west = _case(db, "petition", "2026-01-05", "东山镇"), _case(db, "referral", "2025-12-01", "西河乡")
    _paper(db, east, "warning", "2026-03-01")  # a paper counts by the day it was issued, whenever its case came
    _paper(db, east, "receipt", "2026-03-31")
    _paper(db, west, "warning", "2026-03-15")
    _paper(db, west, "warning", "2026-04-01")  # the day after the month
    _paper(db, west, "receipt", "2026-02-28")  # the day before
    office = st.compute(db, MARCH).dv
    assert (office.warnings, office.receipts) == (2, 1)
    east_dv = st.compute(db, MARCH, township="东山镇").dv
    assert (east_dv.warnings, east_dv.receipts) == (1, 1)
    west_dv = st.compute(db, MARCH, township="西河乡").dv
    assert (west_dv.warnings, west_dv.receipts) == (1, 0)  # no 报警回执 there in March: 0, not left out
    assert (st.compute(db, MARCH, township="南岭乡").dv.warnings, st.compute(db, MARCH, township="南岭乡").dv.receipts) == (0, 0)
    # the 查访 after a 告诫书, by the day planned, and the 强制报告, by the day the need was found
    for case_id, due, done in ((east, "2026-03-10", "2026-03-09"), (west, "2026-03-20", None), (west, "2026-04-01", None)):
        db.execute("INSERT INTO police_follow_ups (case_id, contact_id, due_on, done_on, created_at) VALUES (?, 1, ?, ?, 'x')",
                   [case_id, due, done])
    for case_id, found, reported in ((east, "2026-03-02", "2026-03-02"), (west, "2026-03-05", None)):
        db.execute("INSERT INTO mandatory_reports (case_id, ground, found_on, reported_on, created_at) "
                   "VALUES (?, 'minor', ?, ?, 'x')", [case_id, found, reported])
    figures = [(d.visits_due, d.visits_done, d.visits_in_time, d.reports_needed, d.reports_made, d.reports_same_day)
               for d in (st.compute(db, MARCH, township=t).dv for t in (None, "东山镇", "西河乡"))]
    assert figures == [(2, 1, 1, 2, 1, 1), (1, 1, 1, 1, 1, 1), (1, 0, 0, 1, 0, 0)]
    # a protection order applied for in March, in the case of 东山镇: the office's and 东山镇's, not 西河乡's
    db.execute("INSERT INTO protection_orders (case_id, respondent, created_at) VALUES (?, '李大山', '2026-03-03 10:00:00')",
               [east])
    assert [st.compute(db, MARCH, township=t).dv.orders["applied"] for t in (None, "东山镇", "西河乡")] == [1, 1, 0]


def test_one_townships_figures_are_of_its_own_cases_only(db: sqlite_utils.Database) -> None:
    _referral(db, "2026-03-02", "东山镇", "法律援助", "registered", "婚姻家庭")
    _referral(db, "2026-03-03", "西河乡", "法律援助", "registered", "婚姻家庭")
    _referral(db, "2026-03-04", "西河乡", "法律援助", "registered", "婚姻家庭")
    _mediation(db, "2026-03-05", "东山镇", "婚姻")
    _mediation(db, "2026-03-06", "西河乡", "婚姻")
    _mediation(db, "2026-03-07", "西河乡", "婚姻")
    _visit(db, _household(db, "2026-01-05", "西河乡"), "2026-03-10", "visit")
    east, west, office = (st.compute(db, MARCH, township=t) for t in ("东山镇", "西河乡", None))
    assert (east.visits.visits, west.visits.visits, office.visits.visits) == (0, 1, 1)
    assert (east.referrals.total, west.referrals.total, office.referrals.total) == (1, 2, 3)
    assert (east.mediations.accepted, west.mediations.accepted, office.mediations.accepted) == (1, 2, 3)
    assert [(m.month, m.referrals, m.mediations) for m in east.by_month] == [("2026-03", 1, 1)]


def test_the_townships_with_the_most_visits_come_first(db: sqlite_utils.Database) -> None:
    west = _household(db, "2026-01-05", "西河乡")
    for day in ("2026-03-02", "2026-03-09", "2026-03-16"):  # one household visited three times
        _visit(db, west, day, "visit")
    for _ in range(2):  # two households visited once each
        _visit(db, _household(db, "2026-01-05", "东山镇"), "2026-03-10", "visit")
    assert [row[:3] for row in st.visit_stats(db, MARCH).by_township] == [("西河乡", 3, 1), ("东山镇", 2, 2)]


def test_a_referral_answer_no_case_has_is_counted_0(db: sqlite_utils.Database) -> None:
    _referral(db, "2026-03-02", "东山镇", "法律援助", "referred", "婚姻家庭")  # only one, waiting for its answer
    assert st.referral_stats(db, MARCH).by_answer == [("已受理", 0), ("不予受理", 0), ("等待答复", 1), ("待本人同意", 0),
                                                      ("已撤回", 0)]


def test_a_mediation_of_a_woman_who_came_before_is_a_repeat_of_its_township_only_if_she_came_there(
        db: sqlite_utils.Database) -> None:
    case_id = _mediation(db, "2026-03-10", "西河乡", "家庭暴力")
    _woman(db, case_id, "2026-01-05", "东山镇")  # her petition two months before, in another township
    office, west = st.compute(db, MARCH).dv, st.compute(db, MARCH, township="西河乡").dv
    assert (office.by_level, office.repeats) == ({"": 1}, 1)  # the office saw her before
    assert (west.by_level, west.repeats) == ({"": 1}, 0)  # 西河乡 had not


def test_a_figure_is_summed_over_every_channel_and_status_not_taken_from_one(db: sqlite_utils.Database) -> None:
    # Seven petitions of March, each figure below made of petitions received by different channels (each its own
    # group of the query), counted by hand: 退回 of a 交办 petition twice and one never sent (not a 交办: not counted),
    # two repeats not yet confirmed, two 交办 petitions concluded by the date their senders set.
    _petition(db, "2026-03-02", "东山镇", "来信", "returned", category="婚姻家庭", subcategory="家庭暴力", source_body="市妇联")
    _petition(db, "2026-03-03", "东山镇", "网上", "returned", category="婚姻家庭", subcategory="家庭暴力", source_body="12345")
    _petition(db, "2026-03-04", "东山镇", "来电", "returned")
    _petition(db, "2026-03-05", "东山镇", "来信", "registered", category="婚姻家庭", repeat_state="suspected")
    _petition(db, "2026-03-06", "东山镇", "来电", "registered", repeat_state="suspected")
    _petition(db, "2026-03-09", "东山镇", "来信", "concluded", accepted_on="2026-03-09", concluded_on="2026-04-01",
              source_body="市妇联", source_due_on="2026-04-30")
    _petition(db, "2026-03-10", "东山镇", "来电", "concluded", accepted_on="2026-03-10", concluded_on="2026-04-20",
              source_body="信访局", source_due_on="2026-04-30")
    s = st.petition_stats(db, MARCH)
    assert s.total == 7
    assert (s.transferred, s.returned, s.reported, s.reported_in_time) == (4, 2, 2, 2)
    assert (s.repeats, s.repeats_pending) == (0, 2)
    # within a category the subcategories by how many, most first (家庭暴力 2 before the one without a subcategory)
    assert s.by_subcategory == [("婚姻家庭", "家庭暴力", 2), ("婚姻家庭", "", 1), ("权益保障", "", 4)]


def test_reviews_answered_in_time_are_summed_over_their_results(db: sqlite_utils.Database) -> None:
    # two 复查 asked in March and answered within their 30 days, one upheld (维持), one overturned (撤销): both in time
    first = _petition(db, "2026-02-02", "东山镇", "来信", "concluded")
    second = _petition(db, "2026-02-03", "东山镇", "来电", "concluded")
    _review(db, first, "review", "2026-03-02", "2026-03-20", "维持")
    _review(db, second, "review", "2026-03-03", "2026-04-02", "撤销")  # 3 March + 30 days = 2 April: the last day
    review = st.petition_stats(db, MARCH).reviews["review"]
    assert (review.requested, review.answered, review.answered_in_time, review.by_result) == (
        2, 2, 2, {"维持": 1, "撤销": 1})


def test_a_petition_about_domestic_violence_of_a_woman_who_came_before_is_a_repeat_of_its_township_only_if_she_came_there(
        db: sqlite_utils.Database) -> None:
    case_id = _petition(db, "2026-03-10", "西河乡", "来访", "registered", dv=1)
    _woman(db, case_id, "2026-01-05", "东山镇")  # her petition two months before, in another township
    office, west = st.DvStats(), st.DvStats()
    st.petition_stats(db, MARCH, None, office)
    st.petition_stats(db, MARCH, None, west, township="西河乡")
    assert (office.by_level, office.repeats) == ({"": 1}, 1)  # the office saw her before: 重复求助
    assert (west.by_level, west.repeats) == ({"": 1}, 0)  # 西河乡 had not
