"""Every clock of a petition's course on dates around the 2026 Spring Festival (2月15日–23日 off; Sat 2月14日 and
Sat 2月28日 worked), National Day with the Mid-Autumn Festival (9月25日–27日 and 10月1日–7日 off; Sun 9月20日 and
Sat 10月10日 worked) and the Labour Day 调休 Saturday (5月9日), as the State Council's notice for 2026 sets them.

The 条例's 日 are calendar days (15日告知, 60日办结 and 30日延长, 30日 to ask for 复查/复核 and 30日 to answer, and the
15 days a 转送函 gives by default): a holiday neither stops them nor moves their last day. Only the 5 working days
to object to a transferred petition (art. 23: 5个工作日) skip the days off and count the 调休 weekend days worked.
Each expected date is worked out by hand in the comment beside it. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import petition_course as course
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .test_petition_course import case_row

D = dt.date


def on_day(ctx: Context, today: dt.date) -> None:
    ctx.clock.now = dt.datetime.combine(today, dt.time(9))  # type: ignore[attr-defined]


def register(ctx: Context, received: dt.date, **changes: object) -> int:
    p = Petition(channel="来访", received_on=received, petitioner=Person(name="柳如烟", sex="女"), concerned=None,
                 headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
                 facts="丈夫长期不给生活费。", request="请求督促丈夫支付抚养费。", dv=False, safety_risk=False,
                 receiving_staff="王秀兰")
    for k, v in changes.items():
        setattr(p, k, v)
    return petitions.register(ctx, p)[0]


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 2, 10), "2026-02-25"),  # Tue 2月10日 + 15 = Wed 2月25日 (the nine days off 15–23 count)
    (D(2026, 2, 8), "2026-02-23"),  # Sun 2月8日 + 15 = Mon 2月23日, the last day off: not moved to Tue 24
    (D(2026, 9, 20), "2026-10-05"),  # the 调休 Sunday + 15 = 10月5日, inside National Day
    (D(2026, 4, 24), "2026-05-09"),  # Fri 4月24日 + 15 = Sat 5月9日, the Labour Day 调休 Saturday
])
def test_fifteen_days_to_tell_her(ctx: Context, received: dt.date, due: str) -> None:
    on_day(ctx, received)
    case_id = register(ctx, received)
    assert case_row(ctx, case_id)[:2] == (due, "告知是否受理")
    assert course.told_in_time(received, dt.date.fromisoformat(due))
    assert not course.told_in_time(received, dt.date.fromisoformat(due) + dt.timedelta(days=1))


@pytest.mark.parametrize(("accepted", "due", "extended"), [
    # 8月3日 + 60: Aug 3 + 28 = Aug 31, + 30 = Sep 30, + 2 = 10月2日 (National Day); + 30 more = 11月1日
    (D(2026, 8, 3), "2026-10-02", "2026-11-01"),
    # 12月17日 2025 + 60: Dec 17 + 14 = Dec 31, + 31 = Jan 31, + 15 = 2月15日 (the first day off); + 30 = 3月17日
    (D(2025, 12, 17), "2026-02-15", "2026-03-17"),
    # 8月11日 + 60: + 20 = Aug 31, + 30 = Sep 30, + 10 = 10月10日 (the 调休 Saturday); + 30 = 11月9日
    (D(2026, 8, 11), "2026-10-10", "2026-11-09"),
])
def test_sixty_days_to_conclude_and_thirty_more(ctx: Context, accepted: dt.date, due: str, extended: str) -> None:
    on_day(ctx, accepted)
    case_id = register(ctx, accepted)
    petitions.accept(ctx, case_id, accepted)
    assert case_row(ctx, case_id)[:2] == (due, "办结")
    petitions.extend(ctx, case_id, 30, "需要进一步调查核实")
    assert case_row(ctx, case_id)[:2] == (extended, "办结")


def concluded(ctx: Context, received: dt.date, concluded_on: dt.date) -> int:
    on_day(ctx, concluded_on)
    case_id = register(ctx, received)
    petitions.accept(ctx, case_id, received)
    petitions.set_handling(ctx, case_id, "当场答复")
    petitions.conclude(ctx, case_id, "已督促支付。", "不予支持", concluded_on)
    return case_id


def test_thirty_days_to_ask_for_a_review_across_the_spring_festival(ctx: Context) -> None:
    # she received the 处理意见书 on Tue 1月20日: 1月20日 + 30 = Thu 2月19日, in the middle of the days off
    case_id = concluded(ctx, D(2026, 1, 5), D(2026, 1, 20))
    on_day(ctx, D(2026, 2, 24))
    with pytest.raises(ValidationError) as e:  # the first working day after the holiday is one day too late
        petitions.request_review(ctx, case_id, "review", D(2026, 2, 20), D(2026, 1, 20), "本会", "不服。")
    assert "（2026年2月19日）" in e.value.errors["requested_on"]
    petitions.request_review(ctx, case_id, "review", D(2026, 2, 19), D(2026, 1, 20), "本会", "不服。")
    # asked on 2月19日: answered within 30 days = 3月21日 (Sat)
    assert case_row(ctx, case_id)[:2] == ("2026-03-21", "答复复查请求")


def test_thirty_days_to_answer_a_review_and_a_re_review_around_national_day(ctx: Context) -> None:
    case_id = concluded(ctx, D(2026, 8, 3), D(2026, 9, 1))
    on_day(ctx, D(2026, 9, 10))
    petitions.request_review(ctx, case_id, "review", D(2026, 9, 10), D(2026, 9, 2), "本会", "不服。")
    # 9月10日 + 30 = 10月10日, the 调休 Saturday
    assert case_row(ctx, case_id)[:2] == ("2026-10-10", "答复复查请求")
    on_day(ctx, D(2026, 10, 10))
    petitions.answer_review(ctx, case_id, D(2026, 10, 10), "维持", "维持原处理意见。", "市妇联")
    # she received the 复查意见书 on 10月12日: 复核 asked by 11月11日; asked on 10月12日, answered by 11月11日
    on_day(ctx, D(2026, 11, 12))
    with pytest.raises(ValidationError) as e:
        petitions.request_review(ctx, case_id, "re_review", D(2026, 11, 12), D(2026, 10, 12), "市妇联", "不服复查意见。")
    assert "（2026年11月11日）" in e.value.errors["requested_on"]
    petitions.request_review(ctx, case_id, "re_review", D(2026, 10, 12), D(2026, 10, 12), "市妇联", "不服复查意见。")
    assert case_row(ctx, case_id)[:2] == ("2026-11-11", "答复复核请求")


@pytest.mark.parametrize(("received", "due"), [
    # Fri 2月13日: Sat 14 (调休, worked) 1; 15–23 off; Tue 24 2, Wed 25 3, Thu 26 4, Fri 27 5
    (D(2026, 2, 13), D(2026, 2, 27)),
    # Fri 2月20日 (a day off): Tue 24 1, Wed 25 2, Thu 26 3, Fri 27 4, Sat 28 (调休, worked) 5
    (D(2026, 2, 20), D(2026, 2, 28)),
    # Thu 9月24日: Fri 25 – Sun 27 off (中秋), Mon 28 1, Tue 29 2, Wed 30 3, 10月1日–7日 off, Thu 8 4, Fri 9 5
    (D(2026, 9, 24), D(2026, 10, 9)),
    # Fri 10月9日: Sat 10 (调休, worked) 1, Mon 12 2, Tue 13 3, Wed 14 4, Thu 15 5
    (D(2026, 10, 9), D(2026, 10, 15)),
    # Fri 5月8日: Sat 9 (调休, worked) 1, Mon 11 2, Tue 12 3, Wed 13 4, Thu 14 5
    (D(2026, 5, 8), D(2026, 5, 14)),
])
def test_five_working_days_to_object(ctx: Context, received: dt.date, due: dt.date) -> None:
    on_day(ctx, received)
    case_id = register(ctx, received, source_body="市妇联", source_no="SFL-1")
    assert case_row(ctx, case_id)[:2] == (due.isoformat(), "确认是否属本会职责")
    on_day(ctx, due + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        petitions.object_transfer(ctx, case_id, "市妇联", "不属于本会职责", due + dt.timedelta(days=1))
    assert f"即{due.year}年{due.month}月{due.day}日前" in e.value.errors["objected_on"]
    petitions.object_transfer(ctx, case_id, "市妇联", "不属于本会职责", due)


@pytest.mark.parametrize(("sent", "due", "answered", "late"), [
    # the 转送函's default: 15 days — sent Fri 9月25日 (中秋) → 10月10日 (the 调休 Saturday); answered that day
    (D(2026, 9, 25), D(2026, 10, 10), D(2026, 10, 10), False),
    # sent Thu 2月5日 → 2月20日 (a day off); answered on the first working day after the holiday: late
    (D(2026, 2, 5), D(2026, 2, 20), D(2026, 2, 24), True),
])
def test_the_transfer_answer_is_chased_on_its_day(ctx: Context, sent: dt.date, due: dt.date, answered: dt.date,
                                                   late: bool) -> None:
    assert sent + dt.timedelta(days=course.TRANSFER_ANSWER_DAYS) == due
    on_day(ctx, sent)
    case_id = register(ctx, sent)
    petitions.accept(ctx, case_id, sent)
    petitions.set_handling(ctx, case_id, "转办/交办", "东山派出所", "", sent, due)
    assert case_row(ctx, case_id)[:2] == (due.isoformat(), "催办：东山派出所答复")
    on_day(ctx, answered)
    petitions.record_transfer_answer(ctx, case_id, answered, "已出警处理。")
    note = petitions.get(ctx, case_id).timeline[-1].note
    assert ("逾期" in note) is late, note
