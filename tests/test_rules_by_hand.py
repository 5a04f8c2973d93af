"""The rules at their edges, with every expected answer stated here by hand from the rules (GB 11643, 信访工作条例,
法律援助法, 人民调解法, the office's statistics), never computed by the code under test:

- ID numbers ending in each check digit 0–9 and X (worked out by hand below: the weighted sum, its remainder);
- a clock's own day is not overdue (deadlines and visit rhythms), the day after is;
- a period's first and last day are counted in the statistics, the days just outside are not;
- 集体访 from exactly 5 people; a minor at 17, an adult on the 18th birthday;
- steps the rules forbid, through the services (what the window and the command line call);
- a petition in 办理中 keeps its 60-day clock and comes up on the overdue and due lists;
- the figures of the legal-aid means-test exemption (家庭暴力, 虐待 and 遗弃 alike, art. 32 item 4).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import deadlines, idcard, rhythm
from fulian_desktop.domain import referral as referral_rules
from fulian_desktop.domain.errors import RuleError
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.mediation import Closing, Mediation, Party, Session
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Referral
from fulian_desktop.reports import statistics as st
from fulian_desktop.services import cases, mediations, organisations, petitions, referrals, start_page
from fulian_desktop.services.context import Context

from .conftest import Clock

# --- ID numbers: every check digit ----------------------------------------------------------------------------
# GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 on the first 17 digits; the remainder of the sum by
# 11 picks the check digit: 0→1 1→0 2→X 3→9 4→8 5→7 6→6 7→5 8→4 9→3 10→2. All are 浙江 杭州 上城 (330102), born
# 23 July 1985; the first 14 digits 33010219850723 weigh 21+27+0+5+0+8+2+9+48+15+0+63+20+15 = 233, and the serial
# and sex digits add the rest (by hand: e.g. …005 adds 0×8 + 0×4 + 5×2 = 10, 243 = 22×11 + 1 → remainder 1 → 0).
EVERY_CHECK_DIGIT = [
    # number, weighted sum, remainder, sex (17th digit odd: 男)
    ("330102198507230050", 243, 1, "男"),
    ("330102198507230181", 253, 0, "女"),
    ("330102198507230042", 241, 10, "女"),
    ("330102198507230093", 251, 9, "男"),
    ("330102198507230034", 239, 8, "男"),
    ("330102198507230085", 249, 7, "女"),
    ("330102198507230026", 237, 6, "女"),
    ("330102198507230077", 247, 5, "男"),
    ("330102198507230018", 235, 4, "男"),
    ("330102198507230069", 245, 3, "女"),
    ("33010219850723000X", 233, 2, "女"),
]


def test_the_hand_worked_sums_are_right() -> None:
    """The table above checks itself (sum, remainder) so that a slip in it cannot pass for a bug in the code."""
    assert sorted(n[-1] for n, *_ in EVERY_CHECK_DIGIT) == sorted("0123456789X")
    for number, total, remainder, _sex in EVERY_CHECK_DIGIT:
        assert total % 11 == remainder
        assert "10X98765432"[remainder] == number[-1]


@pytest.mark.parametrize(("number", "total", "remainder", "sex"), EVERY_CHECK_DIGIT,
                         ids=[n[-1] for n, *_ in EVERY_CHECK_DIGIT])
def test_an_id_number_with_each_check_digit(number: str, total: int, remainder: int, sex: str) -> None:
    info = idcard.parse_id_number(number, dt.date(2026, 3, 10))
    assert (info.birth_date, info.sex, info.region) == (dt.date(1985, 7, 23), sex, "330102")
    assert idcard.check_digit(number[:17]) == number[-1]
    for wrong in "0123456789X":
        if wrong != number[-1]:
            with pytest.raises(idcard.IdNumberError, match="校验位"):
                idcard.parse_id_number(number[:17] + wrong)


# --- a clock's own day ------------------------------------------------------------------------------------------

DUE = dt.date(2026, 3, 10)


def test_a_deadline_falls_due_on_its_day_and_is_overdue_the_day_after() -> None:
    d = deadlines.Deadline("办结", DUE)
    assert d.state(DUE) == "due_soon"
    assert d.describe(DUE) == "今天应办结"
    assert d.state(DUE + dt.timedelta(days=1)) == "overdue"
    assert d.describe(DUE + dt.timedelta(days=1)) == "办结已逾期1天"
    assert d.state(DUE - dt.timedelta(days=7)) == "due_soon"  # due within the week
    assert d.state(DUE - dt.timedelta(days=8)) == "ok"
    assert deadlines.time_left(DUE, DUE) == "今天到期"
    assert deadlines.time_left(DUE, DUE - dt.timedelta(days=1)) == "还有1天"
    assert deadlines.time_left(DUE, DUE + dt.timedelta(days=1)) == "逾期1天"


def test_the_statutory_days_counted_by_hand() -> None:
    # received 1 March: told within 15 days → 16 March; accepted 1 March: concluded within 60 days → 30 April,
    # with the one extension of 30 days → 30 May (信访工作条例 arts. 23, 34)
    assert deadlines.accept_deadline(dt.date(2026, 3, 1)).due_on == dt.date(2026, 3, 16)
    assert deadlines.conclude_deadline(dt.date(2026, 3, 1)).due_on == dt.date(2026, 4, 30)
    assert deadlines.conclude_deadline(dt.date(2026, 3, 1), 30).due_on == dt.date(2026, 5, 30)


def test_a_visit_due_today_is_not_overdue() -> None:
    assert rhythm.due_state(DUE, DUE) == "this_month"
    assert rhythm.describe_due(DUE, DUE) == "今天应走访"
    assert rhythm.due_state(DUE, DUE + dt.timedelta(days=1)) == "overdue"
    assert rhythm.describe_due(DUE, DUE + dt.timedelta(days=1)) == "走访已逾期1天"
    assert rhythm.due_state(dt.date(2026, 3, 31), DUE) == "this_month"  # the month's last day
    assert rhythm.due_state(dt.date(2026, 4, 1), DUE) == ""  # next month
    assert rhythm.due_state(None, DUE) == ""


def test_monthly_visits_from_the_31st_by_hand() -> None:
    r = rhythm.Rhythm.monthly(dt.date(2026, 1, 31))
    assert r.dates_between(dt.date(2026, 1, 31), dt.date(2026, 5, 31)) == [
        dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 31)]
    assert r.next_due([]) == dt.date(2026, 1, 31)
    assert r.next_due([dt.date(2026, 2, 3)]) == dt.date(2026, 2, 28)  # three days late: January's visit
    assert r.next_due([dt.date(2026, 2, 25)]) == dt.date(2026, 3, 31)  # three days early: February's


# --- a few people's petitions, made through the services --------------------------------------------------------


def _petition(on: dt.date, name: str = "柳如烟", channel: str = "来访", headcount: int = 1) -> Petition:
    return Petition(channel=channel, received_on=on, petitioner=Person(name=name, sex="女"), concerned=None,
                    headcount=headcount, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
                    facts="丈夫长期不顾家。", request="请求调解。", dv=False, safety_risk=False, receiving_staff="刘芳")


def _state(ctx: Context, case_id: int) -> tuple[str, str | None, str]:
    row = ctx.db.execute("SELECT status, due_on, due_label FROM cases WHERE id = ?", [case_id]).fetchone()
    return str(row[0]), row[1], str(row[2])


def test_a_refused_petition_is_not_accepted(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, _petition(dt.date(2026, 3, 2)))
    petitions.refuse(ctx, case_id, "不属于妇联受理范围", dt.date(2026, 3, 3))
    with pytest.raises(RuleError, match="不予受理"):
        petitions.accept(ctx, case_id, dt.date(2026, 3, 4))
    assert _state(ctx, case_id) == ("refused", None, "")
    with pytest.raises(RuleError):
        petitions.set_handling(ctx, case_id, "当场答复")
    with pytest.raises(RuleError):
        petitions.conclude(ctx, case_id, "已答复", "支持", dt.date(2026, 3, 5))
    assert petitions.get(ctx, case_id).status == "refused"


def test_a_petition_is_not_concluded_without_a_handling_method(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, _petition(dt.date(2026, 3, 2)))
    petitions.accept(ctx, case_id, dt.date(2026, 3, 2))
    with pytest.raises(RuleError, match="请先登记办理方式"):
        petitions.conclude(ctx, case_id, "已答复", "支持", dt.date(2026, 3, 9))
    assert petitions.get(ctx, case_id).status == "accepted"
    petitions.set_handling(ctx, case_id, "当场答复")
    petitions.conclude(ctx, case_id, "已答复", "支持", dt.date(2026, 3, 9))
    assert _state(ctx, case_id) == ("concluded", None, "")


def test_a_petition_in_progress_keeps_its_60_day_clock(ctx: Context, clock: Clock) -> None:
    """After 登记办理方式 (办理中) the 60 days from acceptance still run: the case stays on the due and overdue
    lists and the start page's count."""
    case_id, _ = petitions.register(ctx, _petition(dt.date(2026, 1, 5)))
    assert _state(ctx, case_id) == ("registered", "2026-01-20", "告知是否受理")  # 5 January + 15 days
    petitions.accept(ctx, case_id, dt.date(2026, 1, 9))
    assert _state(ctx, case_id) == ("accepted", "2026-03-10", "办结")  # 9 January + 60 days
    petitions.set_handling(ctx, case_id, "转办/交办", "司法局")
    assert _state(ctx, case_id) == ("in_progress", "2026-03-10", "办结")
    # today (10 March) is its last day: due, not yet overdue
    assert [i.row.id for i in cases.due_this_week(ctx)] == [case_id]
    assert cases.due_counts(ctx) == cases.DueCounts(overdue=0, due_soon=1)
    clock.advance(1)
    assert [(i.row.id, i.state, i.text) for i in cases.due_this_week(ctx)] == [(case_id, "overdue", "办结已逾期1天")]
    assert cases.due_counts(ctx) == cases.DueCounts(overdue=1, due_soon=0)
    assert [r.id for r in cases.page(ctx, CaseFilter(due="overdue"))] == [case_id]
    assert [(c.kind, c.label, c.overdue) for c in start_page.clocks(ctx)] == [("petition", "办结", 1)]
    # the one extension moves the clock 30 days on, still in progress
    petitions.extend(ctx, case_id, 30, "需要调查")
    assert _state(ctx, case_id) == ("in_progress", "2026-04-09", "办结")
    assert cases.due_counts(ctx) == cases.DueCounts(overdue=0, due_soon=0)


def test_a_group_visit_is_five_people_or_more(ctx: Context) -> None:
    """集体访: five or more (条例 art. 20); counted in the statistics as 批 and 人次."""
    ids = {n: petitions.register(ctx, _petition(dt.date(2026, 2, 10), f"来访人{n}", headcount=n))[0] for n in (4, 5, 6)}
    assert not _petition(dt.date(2026, 2, 10), headcount=4).is_group
    assert _petition(dt.date(2026, 2, 10), headcount=5).is_group
    notes = {n: petitions.get(ctx, i).timeline[0].note for n, i in ids.items()}
    assert notes == {4: "来访，4人", 5: "来访，集体访，5人", 6: "来访，集体访，6人"}
    s = st.petition_stats(ctx.db, st.make_period("month", 2026, 2))
    assert (s.visits, s.visit_people, s.groups, s.group_people) == (3, 15, 2, 11)


# --- a period's first and last day ------------------------------------------------------------------------------


def test_a_periods_first_and_last_day_are_counted(ctx: Context) -> None:
    """February 2026: the 1st and the 28th count, 31 January and 1 March do not — in every kind's figures."""
    feb = st.make_period("month", 2026, 2)
    assert (feb.first, feb.last) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    days = (dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 1))
    org = organisations.directory(ctx)[0]
    roster_id = mediations.save_mediator(ctx, mediations.rules.Mediator("孙调解", "13600000000", "专职调解员"))
    for i, day in enumerate(days):
        petitions.register(ctx, _petition(day, f"信访人{i}"))
        referrals.refer(ctx, Referral(
            referred_on=day, applicant=Person(name=f"申请人{i}", sex="女"), township="东山镇", village="", matter="离婚",
            role="原告", legal_state="尚未进入程序", help_kinds=["咨询"], facts="经过", organisation=org, staff="刘芳",
            means="个人诚信承诺"))
        mediations.open_mediation(ctx, Mediation(
            received_on=day, source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇", village="",
            facts="经过", request="诉求", registrar="刘芳", mediator_ids=[roster_id],
            parties=[Party(Person(name=f"甲{i}", sex="女"), "applicant"), Party(Person(name=f"乙{i}", sex="男"),
                                                                               "respondent")]))
    c = st.compute(ctx.db, feb)
    assert (c.petitions.total, c.referrals.total, c.mediations.accepted) == (2, 2, 2)
    months = st.by_month(ctx.db, feb)
    assert [(m.month, m.petitions, m.referrals, m.mediations) for m in months] == [("2026-02", 2, 2, 2)]
    one_day = st.custom_period(dt.date(2026, 2, 28), dt.date(2026, 2, 28))
    assert st.petition_stats(ctx.db, one_day).total == 1


# --- 和好 needs a mediation ---------------------------------------------------------------------------------------


def test_reconciled_is_not_recorded_without_a_mediation_session(ctx: Context) -> None:
    roster_id = mediations.save_mediator(ctx, mediations.rules.Mediator("孙调解", "13600000000", "专职调解员"))
    case_id, _ = mediations.open_mediation(ctx, Mediation(
        received_on=dt.date(2026, 3, 2), source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
        village="", facts="经过", request="诉求", registrar="刘芳", mediator_ids=[roster_id],
        parties=[Party(Person(name="柳如烟", sex="女"), "applicant"), Party(Person(name="赵某", sex="男"), "respondent")]))
    with pytest.raises(RuleError, match="须有调解记录"):
        mediations.close(ctx, case_id, Closing("reconciled", dt.date(2026, 3, 9), note="双方和好"))
    assert mediations.get(ctx, case_id).status == "accepted"
    mediations.add_session(ctx, case_id, Session(
        held_on=dt.date(2026, 3, 5), place="调解室", mediators="孙调解", recorder="刘芳", present="双方",
        applicant_said="愿意和好", respondent_said="保证不再犯", result="达成一致", result_detail="双方和好"))
    mediations.close(ctx, case_id, Closing("reconciled", dt.date(2026, 3, 9), note="双方和好"))
    assert mediations.get(ctx, case_id).status == "reconciled"


# --- a minor at 17, an adult at 18 ------------------------------------------------------------------------------


def test_seventeen_is_a_minor_and_the_eighteenth_birthday_is_not() -> None:
    girl = Person(name="小梅", sex="女", birth_date=dt.date(2008, 3, 10))
    assert referral_rules.minor_on(girl, dt.date(2026, 3, 9))  # 17 years and 364 days
    assert not referral_rules.minor_on(girl, dt.date(2026, 3, 10))  # her 18th birthday
    assert not referral_rules.minor_on(Person(name="无生日"), dt.date(2026, 3, 10))
    r = Referral(referred_on=dt.date(2026, 3, 1), applicant=girl, township="东山镇", village="", matter="抚养",
                 role="原告", legal_state="尚未进入程序", help_kinds=["咨询"], facts="经过", organisation=None,
                 staff="刘芳")
    # her own consent is not enough while she is 17 (法律援助法 art. 40): a legal representative consents
    with pytest.raises(Exception, match="未满十八周岁") as e:
        referral_rules.check_consent(r, Consent(on=dt.date(2026, 3, 9)), dt.date(2026, 3, 10))
    assert e.value.errors == {"consent_by": "她未满十八周岁，应由法定代理人或近亲属同意（法律援助法第四十条）"}  # type: ignore[attr-defined]
    referral_rules.check_consent(r, Consent(on=dt.date(2026, 3, 10)), dt.date(2026, 3, 10))
    referral_rules.check_consent(r, Consent(on=dt.date(2026, 3, 9), by="法定代理人或近亲属", name="母亲 王某"),
                                 dt.date(2026, 3, 10))


# --- the means-test exemption, counted from the statute -----------------------------------------------------------


@pytest.mark.parametrize(("victim_of", "exempt"), [
    (["家庭暴力"], True), (["虐待"], True), (["遗弃"], True), (["虐待", "遗弃"], True), ([], False)])
def test_who_needs_no_means_test(victim_of: list[str], exempt: bool) -> None:
    """法律援助法 art. 32 item 4: 遭受虐待、遗弃或者家庭暴力的受害人主张相关权益的，不受经济困难条件的限制."""
    assert referral_rules.means_exempt(victim_of) == exempt
    assert bool(referral_rules.exemption_text(victim_of)) == exempt


def test_the_statistics_count_every_exempt_referral(ctx: Context) -> None:
    org = organisations.directory(ctx)[0]
    for i, victim_of in enumerate((["家庭暴力"], ["遗弃"], ["虐待"], [], [])):
        referrals.refer(ctx, Referral(
            referred_on=dt.date(2026, 2, 10), applicant=Person(name=f"申请人{i}", sex="女"), township="东山镇", village="",
            matter="赡养", role="原告", legal_state="尚未进入程序", help_kinds=["咨询"], facts="经过", organisation=org,
            staff="刘芳", victim_of=victim_of, means="" if victim_of else "个人诚信承诺"))
    s = st.referral_stats(ctx.db, st.make_period("month", 2026, 2))
    assert (s.total, s.exempt) == (5, 3)


# --- what she reads: the exact words, worked out by hand ---------------------------------------------------------


@pytest.mark.parametrize(("typed", "message"), [
    ("3301021985072300", "身份证号应为18位，现在是16位"),
    ("33010219850723000Y", "身份证号前17位应为数字，最后一位为数字或X"),
    ("990102198507230050", "身份证号前两位（省份代码）“99”不存在，请核对第1、2位"),
    ("330102198502300050", "身份证号中的出生日期不存在，请核对第7至14位"),  # 30 February
    ("330102189912310050", "身份证号中的出生日期不合理，请核对第7至14位"),  # 1899
    ("330102198507230051", "身份证号校验位不对，可能有数字抄错，请逐位核对"),
])
def test_what_a_wrong_id_number_is_told(typed: str, message: str) -> None:
    with pytest.raises(idcard.IdNumberError) as e:
        idcard.parse_id_number(typed, dt.date(2026, 3, 10))
    assert str(e.value) == message


def test_an_id_number_as_people_type_it() -> None:
    assert idcard.normalize(" 3301 0219 8507 2300 0ｘ ") == "33010219850723000X"
    assert idcard.normalize("３３０１０２１９８５０７２３００９Ｘ") == "33010219850723009X"
    assert idcard.normalize("33010219850723000x") == "33010219850723000X"
    # born today is possible (a newborn's number), born tomorrow is not
    first17 = "33010220260310001"  # the standard's weights and table, as written out at the top of this file
    total = sum(int(c) * w for c, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    newborn = first17 + "10X98765432"[total % 11]
    assert idcard.parse_id_number(newborn, dt.date(2026, 3, 10)).birth_date == dt.date(2026, 3, 10)
    with pytest.raises(idcard.IdNumberError, match="不合理"):
        idcard.parse_id_number(newborn, dt.date(2026, 3, 9))
    assert idcard.mask("33010219850723000X") == "3301**********000X"
    assert idcard.mask("12345678") == "12345678"  # eight characters: the first and last four, nothing between
    assert idcard.mask("1234567") == "*******"


def test_made_up_numbers_follow_the_serial() -> None:
    born = dt.date(1990, 5, 6)
    assert idcard.make_id_number("439021", born, 7, True)[:17] == "43902119900506070"
    assert idcard.make_id_number("439021", born, 107, False)[:17] == "43902119900506073"
    assert idcard.make_id_number("439021", born, 250, True)[:17] == "43902119900506504"
    assert idcard.make_id_number("439021", born, 100, True)[:17] == "43902119900506002"
    assert idcard.make_id_number("439021", born, 550, True)[:17] == "43902119900506500"


def test_born_in_1900_is_the_earliest_birth_year() -> None:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643, as at the top of this file
    for first17, year_ok in (("11010119000101002", True), ("11010118991231002", False)):
        number = first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
        if year_ok:
            assert idcard.parse_id_number(number).birth_date == dt.date(1900, 1, 1)
        else:
            with pytest.raises(idcard.IdNumberError, match="不合理"):
                idcard.parse_id_number(number)


@pytest.mark.parametrize(("today", "said"), [
    (dt.date(2026, 1, 2), "1天"), (dt.date(2026, 3, 2), "60天"),  # two months late is still said in days
    (dt.date(2026, 3, 3), "2个多月"), (dt.date(2026, 4, 1), "3个月"), (dt.date(2026, 4, 2), "3个多月"),
    (dt.date(2027, 1, 1), "1年"), (dt.date(2027, 2, 15), "1年多"), (dt.date(2027, 1, 2), "1年多"),
    (dt.date(2030, 6, 1), "4年多"),
])
def test_how_long_overdue_is_said(today: dt.date, said: str) -> None:
    due = dt.date(2026, 1, 1)
    assert deadlines.overdue_for(due, today) == said
    assert deadlines.Deadline("办结", due).describe(today) == f"办结已逾期{said}"
    assert deadlines.time_left(due, today) == f"逾期{said}"
    assert rhythm.describe_due(due, today) == f"走访已逾期{said}"


# --- visit rhythms, every kind of step, worked out on the calendar by hand ------------------------------------------


def test_visit_plans_by_the_week_and_by_several_months() -> None:
    d = dt.date
    two_weeks = rhythm.Rhythm("week", 2, d(2026, 3, 2))  # a Monday
    assert two_weeks.dates_between(d(2026, 3, 2), d(2026, 3, 31)) == [d(2026, 3, 2), d(2026, 3, 16), d(2026, 3, 30)]
    assert (two_weeks.label(), two_weeks.preset) == ("每2周一次", "weeks")
    assert rhythm.Rhythm("week", 1, d(2026, 3, 2)).dates_between(d(2026, 3, 3), d(2026, 3, 16)) == [
        d(2026, 3, 9), d(2026, 3, 16)]
    assert rhythm.Rhythm("month", 2, d(2026, 1, 15)).dates_between(d(2026, 1, 1), d(2026, 7, 31)) == [
        d(2026, 1, 15), d(2026, 3, 15), d(2026, 5, 15), d(2026, 7, 15)]
    assert rhythm.Rhythm("month", 2, d(2026, 1, 31)).dates_between(d(2026, 1, 1), d(2026, 7, 31)) == [
        d(2026, 1, 31), d(2026, 3, 31), d(2026, 5, 31), d(2026, 7, 31)]
    assert rhythm.Rhythm("day", 10, d(2026, 3, 1)).dates_between(d(2026, 3, 1), d(2026, 3, 31)) == [
        d(2026, 3, 1), d(2026, 3, 11), d(2026, 3, 21), d(2026, 3, 31)]
    assert two_weeks.dates_between(d(2026, 3, 16), d(2026, 3, 16)) == [d(2026, 3, 16)]  # one day, a plan date
    assert two_weeks.dates_between(d(2026, 3, 17), d(2026, 3, 16)) == []


def test_the_plan_date_on_before_and_after_a_day() -> None:
    d = dt.date
    monthly = rhythm.Rhythm.monthly(d(2026, 1, 15))
    assert [monthly.on_or_after(x) for x in (d(2026, 1, 10), d(2026, 1, 15), d(2026, 1, 16), d(2026, 2, 15))] == [
        d(2026, 1, 15), d(2026, 1, 15), d(2026, 2, 15), d(2026, 2, 15)]
    assert [monthly.after(x) for x in (d(2026, 1, 10), d(2026, 1, 15), d(2026, 2, 14))] == [
        d(2026, 1, 15), d(2026, 2, 15), d(2026, 2, 15)]
    assert monthly.on_or_before(d(2026, 2, 14)) == d(2026, 1, 15)
    # before the start: the (virtual) plan date one step earlier, for each kind of step
    assert rhythm.Rhythm("day", 10, d(2026, 3, 1)).on_or_before(d(2026, 2, 25)) == d(2026, 2, 19)
    assert rhythm.Rhythm("week", 1, d(2026, 3, 2)).on_or_before(d(2026, 3, 1)) == d(2026, 2, 23)
    assert monthly.on_or_before(d(2026, 1, 1)) == d(2025, 12, 15)


def test_a_visit_halfway_between_two_plan_dates_counts_for_the_earlier() -> None:
    d = dt.date
    every_other_day = rhythm.Rhythm("day", 2, d(2026, 3, 1))
    assert every_other_day.slot_for(d(2026, 3, 2)) == d(2026, 3, 1)  # one day after 1 March, one before 3 March
    assert every_other_day.next_due([d(2026, 3, 2)]) == d(2026, 3, 3)
    weekly = rhythm.Rhythm("week", 1, d(2026, 3, 2))
    assert weekly.slot_for(d(2026, 3, 5)) == d(2026, 3, 2) and weekly.slot_for(d(2026, 3, 6)) == d(2026, 3, 9)


@pytest.mark.parametrize(("r", "problem", "label"), [
    (rhythm.Rhythm("day", 0, DUE), "间隔天数应在1至366之间", "每0天一次"),
    (rhythm.Rhythm("day", 367, DUE), "间隔天数应在1至366之间", "每367天一次"),
    (rhythm.Rhythm("day", 10, DUE), "", "每10天一次"),
    (rhythm.Rhythm("week", 53, DUE), "间隔周数应在1至52之间", "每53周一次"),
    (rhythm.Rhythm("week", 1, DUE), "", "每周一次"),
    (rhythm.Rhythm("month", 25, DUE), "间隔月数应在1至24之间", "每25个月一次"),
    (rhythm.Rhythm("month", 3, DUE), "", "每季度一次"),
    (rhythm.Rhythm("month", 2, DUE), "", "每2个月一次"),
    (rhythm.Rhythm("year", 1, DUE), "请选择走访周期", None),
])
def test_what_a_rhythm_is_called_and_what_is_wrong_with_it(r: rhythm.Rhythm, problem: str, label: str | None) -> None:
    assert r.check() == problem
    if label is not None:
        assert r.label() == label


def test_rhythms_from_the_choices_offered() -> None:
    assert rhythm.Rhythm.from_preset("weekly", DUE) == rhythm.Rhythm("week", 1, DUE)
    assert rhythm.Rhythm.from_preset("quarterly", DUE) == rhythm.Rhythm("month", 3, DUE)
    assert rhythm.Rhythm.from_preset("days", DUE, 10) == rhythm.Rhythm("day", 10, DUE)
    assert rhythm.Rhythm.from_preset("days", DUE).check() == "间隔天数应在1至366之间"  # N not given yet
    with pytest.raises(ValueError, match="nope"):
        rhythm.Rhythm.from_preset("nope", DUE)


def test_when_the_next_visit_is_said() -> None:
    today = DUE  # 10 March 2026
    assert rhythm.describe_due(None, today) == ""
    assert rhythm.describe_due(dt.date(2026, 3, 31), today) == "3月31日前应走访"
    assert rhythm.describe_due(dt.date(2026, 4, 10), today) == "下次走访4月10日"
    assert rhythm.describe_due(dt.date(2027, 1, 5), today) == "下次走访2027年1月5日"
    assert rhythm.month_bounds(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_a_role_the_program_does_not_know_grants_nothing() -> None:
    from fulian_desktop.domain.permissions import allowed

    assert not allowed({"visitor"}, "cases.list")
    assert allowed({"visitor", "window"}, "cases.list") and not allowed(set(), "cases.list")
