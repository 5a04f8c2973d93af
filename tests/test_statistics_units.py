"""The statistics' periods and the words of their tables, answers worked out by hand on the calendar (fast: in the
mutation selection; the figures themselves are checked against independent counts in tests/test_statistics.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.statistics import Period

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
