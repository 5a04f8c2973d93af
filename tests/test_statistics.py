"""Statistics on a generated database, checked against counts made here independently (every row read
back and counted in Python), the year-before periods, and the summary paragraph against the tables."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator

import pytest

from fulian_desktop.domain.deadlines import add_days
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.summary import paragraph, yuan
from fulian_desktop.services import households, mediations
from fulian_desktop.services import statistics as service
from fulian_desktop.services.context import Context

from .report_data import fill

PERIODS = [
    st.make_period("year", 2025),
    st.make_period("half", 2025, 2),
    st.make_period("half", 2024, 1),
    st.make_period("quarter", 2026, 1),
    st.make_period("month", 2024, 2),
    st.custom_period(dt.date(2024, 3, 5), dt.date(2025, 11, 20)),
]


@pytest.fixture
def filled(ctx: Context) -> Iterator[Context]:
    fill(ctx)
    yield ctx


def d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def within(p: st.Period, day: dt.date | None) -> bool:
    return day is not None and p.first <= day <= p.last


def test_periods_and_the_same_period_a_year_before() -> None:
    p = st.make_period("half", 2026, 1)
    assert (p.first, p.last, p.label, p.short) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30), "2026年上半年", "上半年")
    assert (p.year_before().first, p.year_before().last) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    feb = st.make_period("month", 2024, 2)  # leap year: February of the year before ends on the 28th
    assert (feb.last, feb.year_before().last) == (dt.date(2024, 2, 29), dt.date(2023, 2, 28))
    assert st.make_period("month", 2025, 2).year_before().last == dt.date(2024, 2, 29)
    q = st.make_period("quarter", 2026, 4)
    assert (q.first, q.last, q.label) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026年第四季度")
    # a custom range that is a half-year is called one
    assert st.custom_period(dt.date(2025, 7, 1), dt.date(2025, 12, 31)).label == "2025年下半年"
    c = st.custom_period(dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    assert (c.label, c.short) == ("2026年1月1日至2026年3月10日", "今年以来")
    with pytest.raises(ValidationError) as e:
        st.custom_period(dt.date(2026, 3, 1), dt.date(2026, 2, 1))
    assert e.value.errors == {"date_to": "结束日期不能早于开始日期"}
    with pytest.raises(ValidationError):
        st.make_period("month", 2026, 13)


def _petition_rows(ctx: Context) -> list[dict[str, object]]:
    cur = ctx.db.execute(
        """SELECT c.received_on, c.status, c.township, c.category, c.subcategory, t.channel, t.headcount, t.dv,
                  t.result, t.accepted_on, t.concluded_on, t.extension_days
           FROM cases c JOIN petitions t ON t.case_id = c.id""")
    names = [x[0] for x in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first}..{p.last}")  # ASCII ids: mutation testing names tests by them
def test_petition_figures_agree_with_an_independent_count(filled: Context, period: st.Period) -> None:
    rows = [r for r in _petition_rows(filled) if within(period, d(str(r["received_on"])))]
    s = st.petition_stats(filled.db, period)
    assert s.total == len(rows)
    for channel in ("来信", "来电", "来访", "网上", "12338热线"):
        assert s.channel(channel) == sum(1 for r in rows if r["channel"] == channel)
    visits = [int(r["headcount"]) for r in rows if r["channel"] == "来访"]  # type: ignore[call-overload]
    assert (s.visits, s.visit_people) == (len(visits), sum(visits))  # 来访 N批 M人次: only those who came
    assert (s.groups, s.group_people) == (sum(1 for n in visits if n >= 5), sum(n for n in visits if n >= 5))
    assert s.dv == sum(1 for r in rows if r["dv"])
    assert dict(s.by_category) == Counter(r["category"] for r in rows)
    assert {(a, b): n for a, b, n in s.by_subcategory} == Counter((r["category"], r["subcategory"]) for r in rows)
    assert dict(s.by_township) == Counter(r["township"] for r in rows)
    assert dict(s.by_status) == Counter(r["status"] for r in rows)
    assert dict(s.by_result) == Counter(r["result"] for r in rows if r["result"])
    concluded = [r for r in rows if r["status"] == "concluded"]
    assert s.concluded == len(concluded)
    in_time = [r for r in concluded if r["accepted_on"] and
               d(str(r["concluded_on"])) <= add_days(d(str(r["accepted_on"])), 60 + int(r["extension_days"]))]  # type: ignore[operator, arg-type, call-overload]
    assert s.closed_in_time == len(in_time)
    if concluded:
        mean = sum((d(str(r["concluded_on"])) - d(str(r["received_on"]))).days for r in concluded) / len(concluded)  # type: ignore[operator]
        assert s.days_to_close == pytest.approx(mean)
    assert sum(n for _, n in s.by_category) == s.total
    months = st.by_month(filled.db, period)
    assert sum(m.petitions for m in months) == s.total
    assert months[0].month == f"{period.first:%Y-%m}" and months[-1].month == f"{period.last:%Y-%m}"


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first}..{p.last}")  # ASCII ids: mutation testing names tests by them
def test_referral_mediation_and_visit_figures_agree_with_an_independent_count(
    filled: Context, period: st.Period
) -> None:
    db = filled.db
    refs = [r for r in db.execute(
        "SELECT c.received_on, c.status, r.matter, r.sent_on, r.answered_on, r.victim_of FROM cases c "
        "JOIN referrals r ON r.case_id = c.id WHERE r.service = '法律援助'").fetchall()  # the other services: dv_stats
        if within(period, d(r[0]))]
    s = st.referral_stats(db, period)
    assert s.total == len(refs)
    assert dict(s.by_matter) == Counter(r[2] for r in refs)
    statuses = Counter(r[1] for r in refs)
    assert s.answer("已受理") == statuses["accepted"] + statuses["concluded"]
    assert s.answer("不予受理") == statuses["refused"]
    assert s.answer("等待答复") == statuses["referred"]
    assert s.answer("待本人同意") == statuses["awaiting_consent"]
    assert sum(n for _, n in s.by_answer) == s.total
    assert s.answered == sum(1 for r in refs if r[4])
    assert s.answered_in_time == sum(1 for r in refs if r[4] and (d(r[4]) - d(r[3])).days <= 7)  # type: ignore[operator]
    # 法律援助法 art. 32 item 4: victims of 虐待, 遗弃 or 家庭暴力 claiming their rights need no means test
    assert s.exempt == sum(1 for r in refs if any(kind in r[5] for kind in ("家庭暴力", "虐待", "遗弃")))

    m = st.mediation_stats(db, period)
    meds = db.execute("SELECT c.received_on, m.outcome, m.outcome_on, m.dispute_type FROM cases c "
                      "JOIN mediations m ON m.case_id = c.id").fetchall()
    assert m.accepted == sum(1 for r in meds if within(period, d(r[0])))
    outcomes = Counter(r[1] for r in meds if r[1] and within(period, d(r[2])))
    assert (m.reconciled, m.agreed, m.self_settled, m.failed, m.ended) == (
        outcomes["reconciled"], outcomes["agreed"], outcomes["self_settled"], outcomes["failed"], outcomes["ended"])
    assert m.concluded == sum(outcomes.values())
    if m.concluded:
        assert m.reconciliation_rate == pytest.approx(outcomes["reconciled"] / m.concluded)
    # and the mediation service counts the same way
    theirs = mediations.counts(filled, period.first, period.last)
    assert (theirs.mediated, theirs.reconciled, theirs.agreements, theirs.failures, theirs.concluded) == (
        m.accepted, m.reconciled, m.agreed, m.failed, m.concluded)

    v = st.visit_stats(db, period)
    visits = [r for r in db.execute("SELECT v.visited_on, v.case_id, v.cash_fen, v.goods_fen, v.kind, c.township "
                                    "FROM visits v JOIN cases c ON c.id = v.case_id").fetchall()
              if within(period, d(r[0]))]
    assert v.visits == len(visits)
    assert v.households == len({r[1] for r in visits})
    assert (v.cash_fen, v.goods_fen) == (sum(r[2] for r in visits), sum(r[3] for r in visits))
    assert {k: n for k, n in v.by_kind.items() if n} == Counter(r[4] for r in visits)
    assert {t: (a, b) for t, a, b, _c, _g in v.by_township} == {
        t: (sum(1 for r in visits if r[5] == t), len({r[1] for r in visits if r[5] == t}))
        for t in {r[5] for r in visits}}
    theirs_v = households.counts(filled, period.first, period.last)
    assert (theirs_v.visits, theirs_v.households, theirs_v.cash_fen, theirs_v.goods_fen) == (
        v.visits, v.households, v.cash_fen, v.goods_fen)


def test_every_figure_comes_with_the_year_before(filled: Context) -> None:
    p = st.make_period("year", 2025)
    c = service.compare(filled, p)
    assert c.previous.period.label == "2024年"
    assert c.previous.petitions.total == st.petition_stats(filled.db, st.make_period("year", 2024)).total
    overview = next(t for t in service.tables(c) if t.key == "overview")
    assert overview.headers == ["项目", "本期", "去年同期", "增减"]
    first = overview.rows[0]
    assert first[1:3] == [c.current.petitions.total, c.previous.petitions.total]
    diff = c.current.petitions.total - c.previous.petitions.total
    assert str(first[3]).startswith(("+" if diff > 0 else "-") + str(abs(diff)) if diff else "持平")
    keys = [t.key for t in service.tables(c)]
    for key in ("channel", "category", "subcategory", "township", "status", "result", "closing",
                "referral_matter", "referral_answer", "mediation", "visits", "visit_township", "month"):
        assert key in keys


def _table(tables: list[st.Table], key: str) -> st.Table:
    return next(t for t in tables if t.key == key)


def _cell(t: st.Table, label: str, column: int = 1) -> object:
    return next(r[column] for r in t.rows if r[0] == label)


@pytest.mark.parametrize("period", PERIODS[:4], ids=lambda p: f"{p.first}..{p.last}")  # ASCII ids: mutation testing names tests by them
def test_the_summary_paragraph_says_what_the_tables_say(filled: Context, period: st.Period) -> None:
    c = st.compare(filled.db, period)
    tables = st.tables(c)
    text = service.paragraph(filled, c)
    assert text.startswith(f"{period.short}，县妇联共接待来信来电来访")

    def number(pattern: str) -> int:
        m = re.search(pattern, text)
        assert m, pattern
        return int(m[1])

    channel = _table(tables, "channel")
    assert number(r"共接待来信来电来访(\d+)件\(次\)") == _cell(channel, "合计（件次）")
    assert number(r"其中来信(\d+)件") == _cell(channel, "来信（件）")
    assert number(r"来电(\d+)件") == _cell(channel, "来电（件）")
    assert number(r"来访(\d+)批") == _cell(channel, "来访（批）")
    assert number(r"来访\d+批(\d+)人次") == _cell(channel, "来访（人次）")
    if _cell(channel, "网上（件）"):
        assert number(r"网上信访(\d+)件") == _cell(channel, "网上（件）")
    if _cell(channel, "12338热线（件）"):
        assert number(r"12338热线(\d+)件") == _cell(channel, "12338热线（件）")
    closing = _table(tables, "closing")
    if _cell(closing, "已办结（件）"):
        assert number(r"已办结(\d+)件") == _cell(closing, "已办结（件）")
        assert re.search(r"按期办结率([\d.]+%)", text)[1] == str(_cell(closing, "按期办结率"))  # type: ignore[index]
    before = _cell(_table(tables, "overview"), "接待来信来电来访（件次）", 2)
    now = _cell(channel, "合计（件次）")
    if now != before:
        word = "增加" if now > before else "减少"  # type: ignore[operator]
        assert number(rf"比去年同期{word}(\d+)件\(次\)；") == abs(now - before)  # type: ignore[operator]
    assert number(r"提供法律援助(\d+)件\(次\)") == _cell(_table(tables, "referral_matter"), "合计")
    mediation = _table(tables, "mediation")
    assert number(r"共调解婚姻家庭纠纷(\d+)起") == _cell(mediation, "受理调解（起）")
    if _cell(mediation, "调结（起）"):
        assert number(r"和好(\d+)起") == _cell(mediation, "和好（起）")
        if _cell(mediation, "达成调解协议（起）"):
            assert number(r"达成调解协议(\d+)起") == _cell(mediation, "达成调解协议（起）")
        if _cell(mediation, "调解不成（起）"):
            assert number(r"调解不成(\d+)起") == _cell(mediation, "调解不成（起）")
    visits = _table(tables, "visits")
    assert number(r"走访慰问帮扶户(\d+)户次") == _cell(visits, "走访慰问（户次）")
    cash = _cell(visits, "发放慰问金")
    assert isinstance(cash, st.Money)
    if cash.fen:
        assert re.search(r"发放慰问金([\d.]+)元", text)[1] == yuan(cash.fen)  # type: ignore[index]
    # every number in the paragraph is one the tables show (or a year-before difference, or a rate)
    shown = {str(v) for t in tables for r in t.rows for v in r} | {yuan(v.fen) for t in tables for r in t.rows
                                                                   for v in r if isinstance(v, st.Money)}
    for n in re.findall(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.%])", re.sub(r"比去年同期(增加|减少)\d+|12338热线", "", text)):
        assert n in shown, n


def test_an_empty_period_reads_as_nothing_happened(ctx: Context) -> None:
    c = st.compare(ctx.db, st.make_period("month", 2026, 1))
    text = paragraph(c)
    assert text == ("1月份，县妇联共接待来信来电来访0件(次)。提供法律援助0件(次)。共调解婚姻家庭纠纷0起。"
                    "走访慰问帮扶户0户次。")
    closing = _table(st.tables(c), "closing")
    assert _cell(closing, "按期办结率") == st.Rate(None) and str(st.Rate(None)) == "—"


def test_yuan_in_a_summary() -> None:
    assert [yuan(600000), yuan(600050), yuan(600005), yuan(0)] == ["6000", "6000.5", "6000.05", "0"]


def test_statistics_need_the_right(ctx: Context) -> None:
    from fulian_desktop.domain.permissions import PermissionDenied

    ctx.require = lambda permission: (_ for _ in ()).throw(PermissionDenied("no"))  # type: ignore[method-assign]
    with pytest.raises(PermissionDenied):
        service.compare(ctx, st.make_period("year", 2025))


def test_a_period_s_cases_are_read_once_for_all_its_tables(filled: Context) -> None:
    """Issue 22: the period's petitions are read in one pass (not once per table: nine a period before), every
    kind's cases once, and the whole comparison is 28 statements (60 before) — with the same figures, which the
    tests above check."""
    said: list[str] = []
    filled.db.conn.set_trace_callback(said.append)
    try:
        c = st.compare(filled.db, st.make_period("year", 2025))
    finally:
        filled.db.conn.set_trace_callback(None)
    assert c.current.petitions.total > 0 and c.previous.petitions.total > 0
    for kind, table in (("petition", "petitions"), ("referral", "referrals"), ("mediation", "mediations")):
        passes = [q for q in said if f"FROM cases c INDEXED BY cases_figures JOIN {table} " in q]
        assert len(passes) == 2, (kind, len(passes))  # the period, and the same period a year before
    assert len([q for q in said if "FROM visits v WHERE v.visited_on BETWEEN" in q]) == 4  # by day; by household
    assert len(said) <= 2 * 15, len(said)


def _plans(ctx: Context, township: str | None) -> list[str]:
    """What SQLite reads for each statement of a year's figures (EXPLAIN QUERY PLAN, one line a step)."""
    said: list[str] = []
    ctx.db.conn.set_trace_callback(said.append)
    try:
        st.compute(ctx.db, st.make_period("year", 2025), township)
    finally:
        ctx.db.conn.set_trace_callback(None)
    return [" / ".join(str(r[3]) for r in ctx.db.execute(f"EXPLAIN QUERY PLAN {q}")) for q in said
            if q.lstrip().upper().startswith(("SELECT", "WITH"))]


@pytest.mark.parametrize("township", [None, "城关镇"])
def test_a_period_s_cases_are_read_from_their_narrow_copies(filled: Context, township: str | None) -> None:
    """Issue 22 (migration 0032): the period's cases and their petitions, referrals and mediations are read from the
    covering indexes that keep the values the figures take, never from the rows with their text (a year of a
    million cases does not fit the page cache, and every wide row read is decrypted again); the households
    visited find their township the same way. A column the figures come to need and the index lacks shows here."""
    plans = _plans(filled, township)
    for table, alias in (("petitions", "t"), ("referrals", "r"), ("mediations", "m")):
        (plan,) = [p for p in plans if f"SEARCH {alias} USING COVERING INDEX {table}_figures (case_id=?)" in p]
        assert "SEARCH c USING COVERING INDEX cases_figures (kind=? AND received_on>? AND received_on<?)" in plan
        for row_read in (f"SEARCH {alias} USING INTEGER PRIMARY KEY", "SEARCH c USING INTEGER PRIMARY KEY"):
            assert row_read not in plan, plan
    assert any("SEARCH c USING COVERING INDEX cases_township_of (id=?)" in p for p in plans)
    # a township's too: the visits by their day, her earlier cases by her (not every case of the township one by one)
    assert len([p for p in plans if "SEARCH v USING COVERING INDEX visits_stats (visited_on>? AND visited_on<?)" in p]) == 2
    assert not [p for p in plans if "SEARCH e USING INDEX cases_township" in p], plans
    # 重复求助: her other cases are found in the index of the people in cases by person and case (migration 0039),
    # without reading each case_people row to learn its case
    earlier = [p for p in plans if "case_people_person" in p]
    assert earlier and all("SEARCH cp USING COVERING INDEX case_people_person (person_id=?)" in p for p in earlier), earlier


def test_a_township_s_figures_are_the_county_s_queries_kept_to_its_cases(filled: Context) -> None:
    """Issue 22: one township's figures, and the townships side by side, come from the same queries as the county's
    with the township's cases (and what belongs to them) kept — no temporary copy of the tables for each township
    as before — and the townships add up to the county."""
    from fulian_desktop.reports import townships

    year = st.make_period("year", 2025)
    said: list[str] = []
    filled.db.conn.set_trace_callback(said.append)
    try:
        table = townships.comparison_table(filled.db, year)
        one = townships.township_compare(filled.db, year, "城关镇")
    finally:
        filled.db.conn.set_trace_callback(None)
    assert not [q for q in said if "TEMP" in q.upper()]  # nothing copied, nothing made
    county = st.compute(filled.db, year)
    rows = {str(r[0]): [v.fen if isinstance(v, st.Money) else v for v in r[1:]] for r in table.rows}
    total = rows.pop("合计（全县）")
    assert [sum(r[i] for r in rows.values()) for i in range(len(total))] == total  # type: ignore[misc]
    assert total[0] == county.petitions.total > 0 and total[6] == county.visits.visits > 0
    petitions = filled.db.execute("SELECT COUNT(*) FROM cases WHERE kind = 'petition' AND township = '城关镇' AND "
                                  "received_on BETWEEN '2025-01-01' AND '2025-12-31'").fetchone()[0]
    assert one.current.petitions.total == petitions == rows["城关镇"][0]
    assert one.current.petitions.by_township in ([("城关镇", petitions)], [])
