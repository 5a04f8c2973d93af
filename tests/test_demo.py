"""Demo data: realistic, consistent, fast, and stored exactly as the services would store it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.demo import generate as demo
from fulian_desktop.domain import deadlines, idcard, phone
from fulian_desktop.domain import petition as rules
from fulian_desktop.domain import petition_course as course
from fulian_desktop.domain.errors import RuleError
from fulian_desktop.domain.names import pinyin_initials
from fulian_desktop.domain.numbering import format_case_no
from fulian_desktop.domain.records import Person, Petition, TimelineEntry
from fulian_desktop.services import cases, petitions
from fulian_desktop.services import lists as list_service
from fulian_desktop.services.context import Context, open_context
from fulian_desktop.store import bulk, search
from fulian_desktop.store import petitions as petition_store

from .search_index import entries

NOW = dt.datetime(2026, 3, 10, 9, 30)
TODAY = NOW.date()
N = 1200

# what the 家暴防护 stories (demo/protection.py) write in a petition's timeline besides its own course
DV_THREAD_ACTIONS = ("收到告诫书", "收到报警回执", "计划查访", "调整查访", "取消查访", "查访", "申请人身安全保护令",
                     "出具情况证明", "法院受理保护令申请", "保护令结果", "申请延长保护令", "保护令延长", "违反保护令",
                     "报告违反保护令", "须强制报告", "强制报告", "风险评估", "安全计划")


def _fixed(now: dt.datetime = NOW) -> dt.datetime:
    return now


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    ctx = open_context(tmp_path_factory.mktemp("demo") / "demo.db", clock=_fixed)
    assert demo.generate(ctx, N, seed=7) == N
    yield ctx
    ctx.close()


def _all(ctx: Context, sql: str, params: list[object] | None = None) -> list[Any]:
    return ctx.db.execute(sql, params or []).fetchall()


def _load_all(ctx: Context) -> list[Petition]:
    out = []
    for (case_id,) in _all(ctx, "SELECT id FROM cases WHERE kind = 'petition' ORDER BY id"):
        p = petition_store.load(ctx.db, case_id)
        assert p is not None
        out.append(p)
    return out


def test_every_table_is_filled(demo_ctx: Context) -> None:
    for table in ("cases", "search_tri", "search_bi"):
        assert _all(demo_ctx, f"SELECT COUNT(*) FROM {table}")[0][0] == N, table
    kinds = dict(_all(demo_ctx, "SELECT kind, COUNT(*) FROM cases GROUP BY kind"))
    assert kinds == demo.kind_counts(N)
    for kind, table in (("petition", "petitions"), ("referral", "referrals"), ("mediation", "mediations"),
                        ("household", "households")):
        assert _all(demo_ctx, f"SELECT COUNT(*) FROM {table}")[0][0] == kinds[kind], table
    for table in ("mediation_parties", "mediation_mediators", "mediation_sessions", "mediation_investigations",
                  "mediation_agreement_items", "mediation_visits", "household_members", "household_cadres",
                  "household_measures", "visits", "tasks", "case_links"):
        assert _all(demo_ctx, f"SELECT COUNT(*) FROM {table}")[0][0] > 0, table
    assert _all(demo_ctx, "SELECT COUNT(DISTINCT case_id) FROM timeline")[0][0] == N
    assert _all(demo_ctx, "SELECT COUNT(DISTINCT case_id) FROM case_people")[0][0] == N
    assert _all(demo_ctx, "PRAGMA foreign_key_check") == []
    assert bulk.is_demo(demo_ctx.db)


def test_covers_every_channel_category_subkind_and_township(demo_ctx: Context) -> None:
    channels = {r[0] for r in _all(demo_ctx, "SELECT channel FROM petitions")}
    assert channels == set(rules.CHANNELS)
    expected = set()
    for category in list_service.values(demo_ctx, "category"):
        for sub in list_service.values(demo_ctx, "category", category) or [""]:
            expected.add((category, sub))
    assert {(r[0], r[1]) for r in _all(demo_ctx, "SELECT category, subcategory FROM cases WHERE kind = 'petition'")} \
        == expected
    townships = {r[0] for r in _all(demo_ctx, "SELECT township FROM cases")}
    assert townships == set(list_service.values(demo_ctx, "township"))
    for township, village in _all(demo_ctx, "SELECT township, village FROM cases"):
        assert village in list_service.values(demo_ctx, "township", township)


def test_dates_spread_over_six_years(demo_ctx: Context) -> None:
    years = Counter(int(r[0][:4]) for r in _all(demo_ctx, "SELECT received_on FROM cases"))
    assert set(years) == set(range(TODAY.year - 6, TODAY.year + 1))
    first, last = _all(demo_ctx, "SELECT MIN(received_on), MAX(received_on) FROM cases")[0]
    assert dt.date.fromisoformat(first) >= TODAY - dt.timedelta(days=6 * 366)
    assert dt.date.fromisoformat(last) <= TODAY


def test_statuses_fit_the_age_of_the_case(demo_ctx: Context) -> None:
    counts = Counter(r[0] for r in _all(demo_ctx, "SELECT status FROM cases WHERE kind = 'petition'"))
    n = sum(counts.values())
    assert {"registered", "in_progress", "refused", "concluded"} <= set(counts) <= set(rules.STATUS_LABELS), counts
    assert counts["concluded"] > n / 2
    assert 0.02 * n < counts["refused"] < 0.2 * n
    old = _all(demo_ctx, "SELECT status FROM cases WHERE kind = 'petition' AND received_on < ?",
               [str(TODAY - dt.timedelta(days=365))])
    closed = sum(1 for (s,) in old if s in ("concluded", "refused", "returned"))
    assert closed / len(old) > 0.95
    recent = Counter(r[0] for r in _all(
        demo_ctx, "SELECT status FROM cases WHERE kind = 'petition' AND received_on >= ?",
        [str(TODAY - dt.timedelta(days=15))]
    ))
    assert sum(recent[s] for s in rules.OPEN_STATUSES) >= 1


def test_a_few_cases_of_each_kind_are_overdue(demo_ctx: Context) -> None:
    for kind, n in demo.kind_counts(N).items():
        overdue = _all(demo_ctx, "SELECT COUNT(*) FROM cases WHERE kind = ? AND is_open = 1 AND due_on < ?",
                       [kind, str(TODAY)])[0][0]
        assert 0 <= overdue < 0.15 * n, kind
    assert _all(demo_ctx, "SELECT COUNT(*) FROM cases WHERE is_open = 1 AND due_on < ?", [str(TODAY)])[0][0] >= 3


def test_no_case_or_follow_up_is_left_open_for_months(demo_ctx: Context) -> None:
    """An office concludes its cases: the overdue ones on the start page are weeks late, not years (办结已逾期1669天
    was the demo's start page)."""
    late = _all(demo_ctx, "SELECT kind, due_label, MIN(due_on) FROM cases WHERE is_open = 1 AND due_on < ? "
                          "GROUP BY kind, due_label", [str(TODAY)])
    assert late
    for kind, label, due_on in late:
        assert (TODAY - dt.date.fromisoformat(due_on)).days <= 100, (kind, label, due_on)
    oldest_task = _all(demo_ctx, "SELECT MIN(due_on) FROM tasks WHERE done_on IS NULL")[0][0]
    assert oldest_task is None or (TODAY - dt.date.fromisoformat(oldest_task)).days <= 60


def test_deadlines_and_fields_follow_the_rules(demo_ctx: Context) -> None:
    rows = {r[0]: r[1:] for r in _all(demo_ctx, "SELECT id, due_on, due_label, is_open, closed_on FROM cases")}
    loaded = _load_all(demo_ctx)
    by_id = {p.id: p for p in loaded}
    assert any(p.repeat_state == "confirmed" for p in loaded), "the demo holds repeat petitions"
    for p in loaded:
        assert p.id is not None
        due_on, due_label, is_open, closed_on = rows[p.id]
        d = rules.current_deadline(p)
        assert due_on == (d.due_on.isoformat() if d else None)
        assert due_label == (d.label if d else "")
        assert is_open == int(rules.is_open(p))  # (a concluded one waiting for its 复查 answer is open)
        assert p.received_on <= TODAY
        if p.status == "registered":
            assert p.accepted_on is None and not p.handling
        if p.status == "refused":
            assert p.refused_reason and p.told_on and closed_on == p.told_on.isoformat()
            assert p.received_on <= p.told_on <= TODAY
        if p.status == "returned":  # transferred in, not the office's: the 退回函 to the sender, dated the day it went
            assert p.source_body and p.objected_to == p.source_body and p.objection_reason
            assert p.objected_on is not None and closed_on == p.objected_on.isoformat()
            assert p.objection_due_on is not None and p.received_on <= p.objected_on <= p.objection_due_on
            letter = [d for d in p.documents if d.doc == "objection"]
            assert len(letter) == 1 and letter[0].issued_on == p.objected_on
        if p.status in ("accepted", "in_progress", "concluded"):
            assert p.accepted_on is not None and p.received_on <= p.accepted_on <= TODAY
        if p.status in ("in_progress", "concluded"):
            assert p.handling in rules.HANDLING_METHODS
            if p.handling == "转办/交办":
                assert p.handling_agency
        if p.status == "concluded":
            assert p.accepted_on is not None and p.concluded_on is not None
            assert p.accepted_on <= p.concluded_on <= TODAY
            assert p.result in rules.results_for(p.nature) and p.reply
            assert closed_on == p.concluded_on.isoformat()
            limit = deadlines.conclude_deadline(p.accepted_on, p.extension_days).due_on
            assert p.concluded_on <= limit or not rules.has_clock(p.nature)
            opinion = [d for d in p.documents if d.doc == course.opinion_doc(p)]
            assert len(opinion) == 1 and opinion[0].issued_on == p.concluded_on
        if p.rating:
            assert p.status == "concluded" and p.rating in course.RATINGS and p.rated_on >= p.concluded_on
        # each notice is a document of the case, dated the day she was told
        told = {"accepted": "accept", "in_progress": "accept", "concluded": "accept", "refused": "refuse",
                "forwarded": "forward"}.get(p.status)
        if told:
            notice = [d for d in p.documents if d.doc == told]
            assert len(notice) == 1 and notice[0].issued_on == p.told_on
        assert len([d for d in p.documents if d.doc == "extend"]) == int(bool(p.extension_days))
        if p.repeat_of is not None:  # flagged at intake: her earlier petition came in within the 12 months before
            earlier = by_id[p.repeat_of]
            assert p.repeat_of_no == earlier.case_no and p.repeat_state in ("suspected", "confirmed", "cleared")
            assert course.repeat_since(p.received_on) <= earlier.received_on <= p.received_on
        assert 0 <= p.extension_days <= deadlines.MAX_EXTENSION_DAYS
        assert bool(p.extension_days) == bool(p.extension_reason)
        actions = [e.action for e in p.timeline if e.action not in ("法律援助转介", "关联", "满意度", "重复信访", "请求复查",
                                                                    "复查答复", "请求复核", "复核答复", "交办", "转送答复",
                                                                    "添加附件")
                   and e.action not in DV_THREAD_ACTIONS and not e.action.startswith("转介（")]  # another service
        assert ("交办" in [e.action for e in p.timeline]) == bool(p.source_body)
        # passed on to another body: its 转送函 dated the day it went, an answer (if any) after it
        assert len([d for d in p.documents if d.doc == "transfer_out"]) == int(p.transfer_sent_on is not None)
        if p.transfer_answered_on is not None:
            assert p.transfer_sent_on is not None and p.transfer_sent_on <= p.transfer_answered_on <= TODAY
        if p.source_body:  # the 5 working days to object, and the 回告 once done
            assert p.source_no and p.objection_due_on is not None and p.objection_due_on > p.received_on
            done = p.status in ("concluded", "refused")
            assert len([d for d in p.documents if d.doc == "report_back"]) == int(done)
        assert actions[0] == "登记"
        assert [e.at for e in p.timeline] == sorted(e.at for e in p.timeline)
        assert all(e.at <= NOW for e in p.timeline)
        expected = {"registered": ["登记"], "refused": ["登记", "不予受理"], "accepted": ["登记", "受理"],
                    "in_progress": ["登记", "受理", "办理"], "concluded": ["登记", "受理", "办理", "办结"],
                    "forwarded": ["登记", "转送"], "returned": ["登记", "退回"]}
        assert [a for a in actions if a != "延期"] == expected[p.status]
        assert ("延期" in actions) == bool(p.extension_days)


def test_every_petition_passes_validation(demo_ctx: Context) -> None:
    for p in _load_all(demo_ctx):
        rules.validate_petition(p, TODAY)  # raises ValidationError if anything is off
        assert "{" not in p.facts + p.request + p.reply + p.handling_opinion, "unfilled template"


def test_people_are_made_up_but_well_formed(demo_ctx: Context) -> None:
    people = _all(demo_ctx, "SELECT name, sex, birth_date, id_number, phone, pinyin FROM people")
    lengths = Counter(len(r[0]) for r in people)
    assert lengths[2] > 0 and lengths[3] > 0
    assert sum(1 for r in people if r[1] == "女") > 0.4 * len(people)
    for name, sex, birth, id_number, tel, initials in people:
        assert initials == pinyin_initials(name)
        if id_number:
            info = idcard.parse_id_number(id_number, TODAY)
            assert info.region.startswith("439"), "invented region codes only"
            assert info.sex == sex and info.birth_date.isoformat() == birth
        if tel:
            assert phone.validate_phone(tel) == tel and re.match(r"^1[358]\d{9}$", tel)
    assert len({r[3] for r in people if r[3]}) == sum(1 for r in people if r[3])


def test_repeat_petitioners_group_petitions_and_dv_flags(demo_ctx: Context) -> None:
    repeats = _all(demo_ctx, "SELECT person_id FROM case_people GROUP BY person_id HAVING COUNT(*) > 1")
    assert len(repeats) >= 3
    assert _all(demo_ctx, "SELECT COUNT(*) FROM petitions WHERE headcount >= 5")[0][0] >= 1
    dv = _all(demo_ctx, """SELECT p.dv, p.safety_risk FROM petitions p JOIN cases c ON c.id = p.case_id
                           WHERE c.subcategory = '家庭暴力'""")
    assert dv and all(r[0] == 1 for r in dv) and any(r[1] for r in dv)
    assert _all(demo_ctx, "SELECT COUNT(*) FROM petitions WHERE safety_risk = 1 AND dv = 0 AND case_id IN "
                          "(SELECT id FROM cases WHERE category = '婚姻家庭')")[0][0] == 0
    concerned = _all(demo_ctx, "SELECT COUNT(*) FROM case_people WHERE role = 'concerned'")[0][0]
    assert concerned >= 10
    for names, n in _all(demo_ctx, """SELECT c.names, COUNT(cp.person_id) FROM cases c
                                      JOIN case_people cp ON cp.case_id = c.id WHERE c.kind = 'petition'
                                      GROUP BY c.id"""):
        assert ("（代" in names) == (n == 2)


def test_the_demo_tells_a_rising_and_a_falling_risk_with_safety_plans(demo_ctx: Context) -> None:
    trends = _all(demo_ctx, """SELECT case_id, group_concat(level, '>') FROM
                                 (SELECT case_id, level FROM risk_assessments ORDER BY assessed_on, id)
                               GROUP BY case_id""")
    assert sorted(t for _c, t in trends) == ["medium>high", "medium>low"]
    rising = next(c for c, t in trends if t == "medium>high")
    assert _all(demo_ctx, f"SELECT COUNT(*) FROM safety_plans WHERE case_id = {rising}")[0][0] == 2
    assert _all(demo_ctx, f"SELECT COUNT(*) FROM protection_orders WHERE case_id = {rising}")[0][0] == 1


def test_numbers_unique_per_kind_and_year_in_order_of_receipt(demo_ctx: Context) -> None:
    rows = _all(demo_ctx, """SELECT c.kind, c.year, c.seq, c.case_no, c.received_on, COALESCE(r.service, '')
                             FROM cases c LEFT JOIN referrals r ON r.case_id = c.id ORDER BY c.kind, c.year, c.seq""")
    by_year: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for kind, year, seq, case_no, received, service in rows:
        assert case_no == format_case_no(kind, year, seq, service=service)  # 援转 legal aid, 转介 another service
        assert int(received[:4]) == year
        by_year.setdefault((kind, year), []).append((seq, received))
    counters = {(r[0], r[1]): r[2] for r in _all(demo_ctx, "SELECT kind, year, last_seq FROM case_counters")}
    assert set(counters) == set(by_year)
    for key, items in by_year.items():
        assert [s for s, _ in items] == list(range(1, len(items) + 1)), key
        assert [r for _, r in items] == sorted(r for _, r in items), "numbers follow the order of receipt"
        assert counters[key] == len(items)


def _form(received: dt.date, name: str = "柳如烟", id_number: str = "") -> Petition:
    return Petition(
        channel="来访", received_on=received, headcount=1, township="东山镇", village="石桥村",
        petitioner=Person(name=name, id_number=id_number, phone="13907341234", address="东山镇石桥村3组"),
        concerned=None, category="婚姻家庭", subcategory="家庭暴力", facts="丈夫酒后打人，已报警。",
        request="请求帮助申请人身安全保护令。", dv=True, safety_risk=True, receiving_staff="接待员",
        respondent_name="某某", respondent_relation="丈夫",
    )


def test_registering_after_the_demo_takes_the_next_number(demo_ctx: Context) -> None:
    last = _all(demo_ctx, "SELECT last_seq FROM case_counters WHERE kind = 'petition' AND year = ?",
                [TODAY.year])[0][0]
    _case_id, case_no = petitions.register(demo_ctx, _form(TODAY))
    assert case_no == format_case_no("petition", TODAY.year, last + 1)
    earlier = TODAY.year - 3
    last_earlier = _all(demo_ctx, "SELECT last_seq FROM case_counters WHERE kind = 'petition' AND year = ?",
                        [earlier])[0][0]
    _case_id, case_no = petitions.register(demo_ctx, _form(dt.date(earlier, 6, 1)))
    assert case_no == format_case_no("petition", earlier, last_earlier + 1)


def test_search_index_is_what_the_services_would_have_written(demo_ctx: Context) -> None:
    db = demo_ctx.db
    for (case_id,) in _all(demo_ctx, "SELECT id FROM cases ORDER BY id"):
        tri, bi = entries(db, "search_tri", case_id), entries(db, "search_bi", case_id)
        assert tri and bi
        with db.atomic():
            search.reindex(db, case_id)
        assert entries(db, "search_tri", case_id) == tri
        assert entries(db, "search_bi", case_id) == bi


def test_search_finds_generated_cases(demo_ctx: Context) -> None:
    rows = _all(demo_ctx, """SELECT c.case_no, p.name, p.id_number, p.phone, pe.facts FROM cases c
                             JOIN case_people cp ON cp.case_id = c.id JOIN people p ON p.id = cp.person_id
                             JOIN petitions pe ON pe.case_id = c.id
                             WHERE p.id_number <> '' AND p.phone <> '' ORDER BY c.id""")
    two = next(r for r in rows if len(r[1]) == 2)
    three = next(r for r in rows if len(r[1]) == 3)
    for case_no, query in [
        (two[0], two[1]), (three[0], three[1]), (three[0], pinyin_initials(three[1])), (two[0], two[2]),
        (two[0], two[3]), (three[0], three[4][4:12]), (two[0], two[0]),
    ]:
        found = [r.case_no for r in cases.find(demo_ctx, query, limit=10000)]
        assert case_no in found, query


def test_same_seed_same_data(tmp_path: Path) -> None:
    digests = []
    for name in ("a.db", "b.db"):
        ctx = open_context(tmp_path / name, clock=_fixed)
        demo.generate(ctx, 40, seed=3)
        digests.append(_all(ctx, "SELECT c.case_no, c.names, c.summary, c.status, c.due_on FROM cases c ORDER BY c.id"))
        digests.append(_all(ctx, "SELECT * FROM timeline ORDER BY id"))
        ctx.close()
    assert digests[0] == digests[2] and digests[1] == digests[3]


def test_as_many_cases_as_asked_when_no_dv_petition_is_free_for_the_shelter(tmp_path: Path) -> None:
    """Seed 3, 500 cases: the protection stories link every DV petition still open, so the shelter's referral (one
    of the cases asked for) is made for the latest other woman instead of left out (it made 499)."""
    ctx = open_context(tmp_path / "demo.db", clock=_fixed)
    assert demo.generate(ctx, 500, seed=3) == 500
    assert _all(ctx, "SELECT COUNT(*) FROM cases")[0] == (500,)
    assert _all(ctx, "SELECT COUNT(*) FROM referrals WHERE service = '庇护所/救助管理站'")[0] == (1,)
    ctx.close()


def test_a_second_run_continues_the_numbers(tmp_path: Path) -> None:
    ctx = open_context(tmp_path / "demo.db", clock=_fixed)
    demo.generate(ctx, 50, seed=1)
    demo.generate(ctx, 50, seed=2)
    assert _all(ctx, "SELECT COUNT(*), COUNT(DISTINCT case_no) FROM cases")[0] == (100, 100)
    for kind, year, last in _all(ctx, "SELECT kind, year, last_seq FROM case_counters"):
        assert _all(ctx, "SELECT MAX(seq), COUNT(*) FROM cases WHERE kind = ? AND year = ?", [kind, year])[0] == (
            last, last)
    ctx.close()


def test_refuses_a_database_with_real_cases(ctx: Context) -> None:
    petitions.register(ctx, _form(ctx.today()))
    with pytest.raises(RuleError, match="真实案件"):
        demo.generate(ctx, 10)
    assert _all(ctx, "SELECT COUNT(*) FROM cases")[0][0] == 1
    assert not bulk.is_demo(ctx.db)


def test_cancel_saves_nothing(tmp_path: Path) -> None:
    ctx = open_context(tmp_path / "demo.db", clock=_fixed)
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 1000

    assert demo.generate(ctx, 3000, progress=progress) == 0
    assert seen == [500, 1000]
    assert _all(ctx, "SELECT COUNT(*) FROM cases")[0][0] == 0
    assert _all(ctx, "SELECT COUNT(*) FROM people")[0][0] == 0
    assert _all(ctx, "SELECT COUNT(*) FROM case_counters")[0][0] == 0
    ctx.close()


def test_bulk_writes_what_the_services_write(tmp_path: Path) -> None:
    """One petition taken through every step by the services, and the same loaded in bulk: same rows."""
    now = [dt.datetime(2026, 1, 5, 9, 0)]
    a = open_context(tmp_path / "services.db", clock=lambda: now[0], staff="甲")
    woman = Person(name="柳如烟", id_number=idcard.make_id_number("439021", dt.date(1990, 5, 6), 7, True),
                   phone="13907341234", address="东山镇石桥村3组", sex="女", birth_date=dt.date(1990, 5, 6),
                   marital_status="已婚")
    mother = Person(name="王秀英", phone="13807340000", sex="女")
    form = _form(dt.date(2026, 1, 5))
    form.petitioner, form.concerned = mother, woman
    case_id, _ = petitions.register(a, form)
    steps = []
    for day, call in [
        (dt.datetime(2026, 1, 6, 10), lambda: petitions.accept(a, case_id, dt.date(2026, 1, 6))),
        (dt.datetime(2026, 1, 8, 11), lambda: petitions.set_handling(a, case_id, "转办/交办", "公安", "请依法处理")),
        (dt.datetime(2026, 2, 20, 15), lambda: petitions.extend(a, case_id, 20, "需等待法院裁判结果")),
        (dt.datetime(2026, 3, 1, 16), lambda: petitions.conclude(a, case_id, "已申请保护令", "支持",
                                                                  dt.date(2026, 3, 1))),
    ]:
        now[0] = day
        call()
        steps.append(day)

    b = open_context(tmp_path / "bulk.db", clock=lambda: now[0])
    p = rules.validate_petition(form, dt.date(2026, 3, 1))
    p.created_at = dt.datetime(2026, 1, 5, 9, 0)
    p.status, p.accepted_on, p.told_on = "concluded", dt.date(2026, 1, 6), dt.date(2026, 1, 6)
    p.handling, p.handling_agency, p.handling_opinion = "转办/交办", "公安", "请依法处理"
    p.extension_days, p.extension_reason = 20, "需等待法院裁判结果"
    p.reply, p.result, p.concluded_on = "已申请保护令", "支持", dt.date(2026, 3, 1)
    p.tell_way = "直接送达"  # told the day after she came: not on the spot
    p.case_no = "信访〔2026〕第0001号"
    opinion = course.check_opinion(p, course.draft_opinion(p, "支持"))
    opinion.opinion = "已申请保护令"
    p.facts_found, p.legal_basis = opinion.facts_found, opinion.legal_basis
    letters = [
        course.accept_letter(p, "县妇联", dt.date(2026, 1, 6), dt.date(2026, 1, 6), "直接送达", "甲"),
        course.extend_letter(p, "县妇联", 20, "需等待法院裁判结果", dt.date(2026, 2, 20), "直接送达", "甲"),
        course.opinion_letter(p, "县妇联", opinion, dt.date(2026, 3, 1), "甲"),
    ]
    p.documents = [course.document_of(letter, at) for letter, at in zip(letters, [steps[0], *steps[2:]], strict=True)]
    p.timeline = [
        TimelineEntry(p.created_at, "甲", "登记", "来访，1人"),
        TimelineEntry(steps[0], "甲", "受理", "受理日期2026年1月6日；受理告知书2026年1月6日直接送达"),
        TimelineEntry(steps[1], "甲", "办理", "转办/交办（公安）：请依法处理"),
        TimelineEntry(steps[2], "甲", "延期", "延长20天：需等待法院裁判结果；延期告知书2026年2月20日直接送达"),
        TimelineEntry(steps[3], "甲", "办结", "支持：已申请保护令；处理意见书2026年3月1日直接送达"),
    ]
    with b.action() as db:
        bulk.insert_petitions(db, [bulk.PetitionLoad(p, names="王秀英（代柳如烟）",
                                                     summary=petitions.list_summary(p), updated_at=steps[3])])
    for table, order in [("people", "id"), ("cases", "id"), ("petitions", "case_id"), ("case_people", "rowid"),
                         ("timeline", "id"), ("case_documents", "id"), ("case_counters", "year"),
                         ("search_tri", "rowid"), ("search_bi", "rowid")]:
        if table.startswith("search_"):
            assert entries(a.db, table) == entries(b.db, table) != [], table
            continue
        sql = f"SELECT * FROM {table} ORDER BY {order}"
        assert a.db.execute(sql).fetchall() == b.db.execute(sql).fetchall(), table
    a.close()
    b.close()


def test_bulk_reuses_a_person_already_on_file(ctx: Context) -> None:
    id_number = idcard.make_id_number("439021", dt.date(1985, 1, 2), 3, True)
    form = _form(ctx.today(), id_number=id_number)
    petitions.register(ctx, form)
    p = rules.validate_petition(_form(ctx.today(), name="柳如烟", id_number=id_number), ctx.today())
    p.petitioner.phone = "13600000000"
    p.created_at = ctx.now()
    p.timeline = [TimelineEntry(ctx.now(), "甲", "登记", "来访，1人")]
    with ctx.action() as db:
        assert bulk.insert_petitions(db, [bulk.PetitionLoad(p, "柳如烟", "摘要", ctx.now())]) == 1
    assert _all(ctx, "SELECT COUNT(*), MAX(phone) FROM people")[0] == (1, "13600000000")
    assert _all(ctx, "SELECT COUNT(DISTINCT person_id) FROM case_people")[0][0] == 1


# -- every kind of work ------------------------------------------------------------------------


def test_kind_counts_scale_from_a_county_to_a_city() -> None:
    for n in (0, 1, 3, 25, 300, 1200, 10_000, 100_000, 1_000_000):
        counts = demo.kind_counts(n)
        assert sum(counts.values()) == n
    county = demo.kind_counts(127)  # a half-year: 22 petitions, 8 referrals, 85 mediations, a few households
    assert county["mediation"] > county["petition"] > county["referral"] > county["household"] > 0
    assert 15 <= county["petition"] <= 30 and 5 <= county["referral"] <= 12 and 80 <= county["mediation"] <= 100
    city = demo.kind_counts(100_000)
    assert city["petition"] > 60_000  # still the majority (the benchmarks sample petition 60,000)
    assert min(city.values()) >= 5_000  # thousands of every other kind
    assert demo.kind_counts(10, ("petition",)) == {"petition": 10}


def test_referrals_mostly_answered_some_waiting(demo_ctx: Context) -> None:
    rows = _all(demo_ctx, """SELECT c.status, c.received_on, r.sent_on, r.answered_on, r.lawyer, r.consent_on,
                                    r.organisation_id, c.due_on FROM cases c JOIN referrals r ON r.case_id = c.id""")
    counts = Counter(r[0] for r in rows)
    answered = [r for r in rows if r[3]]
    assert len(answered) > 0.75 * len(rows), counts
    in_time = sum(1 for r in answered if (dt.date.fromisoformat(r[3]) - dt.date.fromisoformat(r[2])).days <= 7)
    assert in_time > 0.7 * len(answered)
    assert counts["concluded"] > counts["accepted"] and counts["refused"] >= 1
    old = [r for r in rows if r[1] < str(TODAY - dt.timedelta(days=400))]
    assert sum(1 for r in old if r[0] in ("concluded", "refused", "withdrawn")) > 0.9 * len(old)
    assert all(r[5] for r in rows if r[0] != "awaiting_consent")  # never sent without her consent
    assert all(r[6] is not None for r in rows)  # always to an organisation of the directory
    waiting = [r for r in rows if r[0] == "referred"]
    assert waiting and all(r[7] == (dt.date.fromisoformat(r[2]) + dt.timedelta(days=7)).isoformat() for r in waiting)


def test_mediations_mostly_closed_most_reconciled(demo_ctx: Context) -> None:
    rows = _all(demo_ctx, """SELECT c.id, c.status, c.received_on, m.outcome, m.outcome_on, m.failed_route,
                                    m.filed_on FROM cases c JOIN mediations m ON m.case_id = c.id""")
    closed = [r for r in rows if r[3]]
    outcomes = Counter(r[3] for r in closed)
    assert len(closed) > 0.9 * len(rows)
    assert outcomes["reconciled"] > 0.6 * len(closed), outcomes
    assert outcomes["agreed"] and outcomes["failed"] and outcomes["self_settled"] and outcomes["ended"]
    assert all(r[5] for r in closed if r[3] == "failed")
    items = dict(_all(demo_ctx, "SELECT case_id, COUNT(*) FROM mediation_agreement_items GROUP BY case_id"))
    assert {r[0] for r in closed if r[3] == "agreed"} == set(items)
    sessions = dict(_all(demo_ctx, "SELECT case_id, COUNT(*) FROM mediation_sessions GROUP BY case_id"))
    assert all(sessions.get(r[0]) for r in closed if r[3] in ("reconciled", "agreed", "failed"))
    visits = _all(demo_ctx, "SELECT due_on, visited_on FROM mediation_visits")
    done = sum(1 for v in visits if v[1])
    assert done > 0.8 * len(visits) and done < len(visits)  # return visits done, a few still due
    assert sum(1 for r in closed if r[6]) > 0.3 * len(closed)  # many files are filed (立卷)
    open_ = [r for r in rows if not r[3]]
    assert open_ and all(r[2] >= str(TODAY - dt.timedelta(days=120)) for r in open_)


def test_households_members_cadres_monthly_visits_tasks(demo_ctx: Context) -> None:
    db = demo_ctx.db
    lists = dict(_all(demo_ctx, """SELECT l.name, COUNT(*) FROM households h JOIN care_lists l ON l.id = h.list_id
                                   GROUP BY l.name"""))
    assert lists.get("帮扶户") and lists.get("留守儿童")
    poor = _all(demo_ctx, """SELECT h.case_id FROM households h JOIN care_lists l ON l.id = h.list_id
                             WHERE l.name = '帮扶户'""")
    sizes = [db.execute("SELECT COUNT(*) FROM household_members WHERE case_id = ?", [r[0]]).fetchone()[0]
             for r in poor]
    assert max(sizes) >= 3
    assert _all(demo_ctx, "SELECT COUNT(*) FROM household_cadres")[0][0] >= len(poor)
    first, last = TODAY - dt.timedelta(days=365), TODAY - dt.timedelta(days=1)
    helped = _all(demo_ctx, """SELECT c.id FROM cases c JOIN households h ON h.case_id = c.id
                               WHERE c.received_on <= ? AND c.status <> 'exited'
                                 AND h.rhythm_every = 1""", [str(first)])
    per_year = [db.execute("SELECT COUNT(*) FROM visits WHERE case_id = ? AND visited_on BETWEEN ? AND ?",
                           [r[0], str(first), str(last)]).fetchone()[0] for r in helped]
    assert helped and 9 <= sum(per_year) / len(per_year) <= 13  # about monthly
    money = _all(demo_ctx, "SELECT SUM(cash_fen), SUM(goods_fen), COUNT(DISTINCT kind) FROM visits")[0]
    assert money[0] > 0 and money[1] > 0 and money[2] == 3
    tasks = _all(demo_ctx, "SELECT done_on FROM tasks")
    assert tasks and sum(1 for t in tasks if t[0]) > 0.6 * len(tasks)
    month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    due = _all(demo_ctx, "SELECT due_on FROM cases WHERE kind = 'household' AND is_open = 1")
    assert all(d[0] for d in due) and any(d[0] < str(month) for d in due)  # some due this month (or overdue)


def test_cases_lead_to_one_another(demo_ctx: Context) -> None:
    links = _all(demo_ctx, """SELECT a.kind, b.kind, l.relation FROM case_links l JOIN cases a ON a.id = l.from_case
                              JOIN cases b ON b.id = l.to_case""")
    kinds = Counter((a, b, rel) for a, b, rel in links)
    referred = sum(n for (a, b, rel), n in kinds.items() if (a, b) == ("petition", "referral") and rel.startswith("转介"))
    assert referred == kinds[("referral", "petition", "来自信访")] >= kinds[("petition", "referral", "转介法律援助")] > 0
    assert kinds[("petition", "mediation", "转调解")] == kinds[("mediation", "petition", "信访转来")] > 0
    assert kinds[("household", "petition", "走访发现")] > 0 and kinds[("household", "mediation", "走访发现")] > 0
    opened = _all(demo_ctx, """SELECT v.case_id, v.opened_case_id, v.finding FROM visits v
                               WHERE v.opened_case_id IS NOT NULL""")
    assert {r[2] for r in opened} == {"dv", "dispute"}
    for household, case_id, _finding in opened:
        assert _all(demo_ctx, "SELECT COUNT(*) FROM case_links WHERE from_case = ? AND to_case = ?",
                    [household, case_id])[0][0] == 1
    # the petition says what became of it
    for case_id, opinion in _all(demo_ctx, """SELECT case_id, handling_opinion FROM petitions
                                             WHERE handling IN ('转介法律援助', '调解') AND case_id IN
                                             (SELECT from_case FROM case_links WHERE relation IN ('转介法律援助', '转调解'))"""):
        other = _all(demo_ctx, "SELECT c.case_no FROM case_links l JOIN cases c ON c.id = l.to_case "
                               "WHERE l.from_case = ?", [case_id])[0][0]
        assert other in opinion
    # the same people come back across kinds
    across = _all(demo_ctx, """SELECT cp.person_id FROM case_people cp JOIN cases c ON c.id = cp.case_id
                               GROUP BY cp.person_id HAVING COUNT(DISTINCT c.kind) > 1""")
    assert len(across) >= 10


def test_deadlines_of_every_kind_are_what_the_services_keep(demo_ctx: Context) -> None:
    from fulian_desktop.domain import mediation as mediation_rules
    from fulian_desktop.domain import referral as referral_rules
    from fulian_desktop.services.households import _refresh_due
    from fulian_desktop.store import mediations as mediation_store
    from fulian_desktop.store import referrals as referral_store

    db = demo_ctx.db
    for case_id, kind, due_on, label, is_open in _all(
            demo_ctx, "SELECT id, kind, due_on, due_label, is_open FROM cases WHERE kind <> 'petition'"):
        if kind == "household":
            with db.atomic():
                _refresh_due(db, case_id)
            assert _all(demo_ctx, "SELECT due_on, due_label, is_open FROM cases WHERE id = ?", [case_id])[0] == (
                due_on, label, is_open)
            continue
        if kind == "referral":
            r = referral_store.load(db, case_id)
            assert r is not None
            d, open_ = referral_rules.current_deadline(r), r.is_open
        else:
            m = mediation_store.load(db, case_id)
            assert m is not None
            d, open_ = mediation_rules.current_deadline(m), mediation_rules.keeps_open(m)
        assert (due_on, label, is_open) == (d.due_on.isoformat() if d else None, d.label if d else "", int(open_))


def test_start_page_shows_every_kind(demo_ctx: Context) -> None:
    items = cases.due_this_week(demo_ctx, limit=10_000)
    assert {i.row.kind for i in items} == {"petition", "referral", "mediation", "household"}
    assert {i.state for i in items} == {"overdue", "due_soon"}


def test_search_finds_every_kind(demo_ctx: Context) -> None:
    for kind in ("referral", "mediation", "household"):
        rows = _all(demo_ctx, """SELECT c.case_no, p.name, p.id_number, c.summary FROM cases c
                                 JOIN case_people cp ON cp.case_id = c.id JOIN people p ON p.id = cp.person_id
                                 WHERE c.kind = ? AND p.id_number <> '' AND length(c.summary) >= 6
                                 ORDER BY c.id""", [kind])
        case_no, name, id_number, summary = rows[len(rows) // 2]
        words = next(w for w in summary.split() if len(w) >= 3)[:6]  # a search term ends at a space
        for query in (case_no, name, id_number, pinyin_initials(name), words):
            found = [r.case_no for r in cases.find(demo_ctx, query, limit=10_000)]
            assert case_no in found, (kind, query)
        assert name[-2:] and case_no in [r.case_no for r in cases.find(demo_ctx, name[-2:], limit=10_000)]


def test_statistics_are_plausible(demo_ctx: Context) -> None:
    from fulian_desktop.reports import statistics as st

    s = st.compute(demo_ctx.db, st.make_period("half", TODAY.year - 1, 2))
    n = demo.kind_counts(N)
    half = 1 / (demo.YEARS * 2)
    assert 0.3 * half * n["petition"] < s.petitions.total < 3 * half * n["petition"]
    assert s.referrals.total and s.referrals.answered_in_time >= 1
    m = s.mediations
    assert 0.3 * half * n["mediation"] < m.accepted < 3 * half * n["mediation"]
    assert m.concluded and 0.6 < (m.reconciliation_rate or 0) < 0.95 and (m.success_rate or 0) > 0.8
    assert s.visits.visits >= 3 * s.visits.households > 0  # about monthly over six months
    assert s.visits.cash_fen > 0 and s.visits.registered >= 0.8 * s.visits.households  # a few left the list
    assert all(row.visits for row in s.by_month)


def test_a_big_load_leaves_the_same_audit_trail_quicker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Demo data of more than BULK_CASES cases: one summary entry (and the people's changes), whether or not
    the rows it adds are captured one by one."""
    from fulian_desktop.store import audit

    trails = []
    for name in ("paused.db", "captured.db"):
        if name == "captured.db":
            monkeypatch.setattr(audit, "pause_added_rows", lambda db, keep=("cases",): None)
        ctx = open_context(tmp_path / name, clock=_fixed)
        demo.generate(ctx, audit.BULK_CASES + 100, seed=4)
        demo.generate(ctx, audit.BULK_CASES + 50, seed=5)  # the second run attaches some people again
        trails.append((_all(ctx, "SELECT * FROM audit ORDER BY id"), _all(ctx, "SELECT * FROM record_history")))
        assert audit.has_capture(ctx.db)
        assert len(ctx.db.execute("SELECT name FROM temp.sqlite_master WHERE name LIKE 'audit_i_%'").fetchall()) > 20
        ctx.close()
    assert trails[0] == trails[1]
    # one summary entry for each run's load, and each run's shelter referral, made by the services
    assert [e[4] for e in trails[0][0]].count("case.create") == 4


def test_the_demo_refers_a_woman_to_the_shelter_and_records_its_reply(demo_ctx: Context) -> None:
    rows = _all(demo_ctx, """SELECT r.service, c.status, r.answered_on, r.organisation_name FROM referrals r
                             JOIN cases c ON c.id = r.case_id WHERE r.service <> '法律援助'""")
    assert [tuple(r) for r in rows] == [("庇护所/救助管理站", "accepted", TODAY.isoformat(), "县救助管理站")]
    services = {r[0] for r in _all(demo_ctx, "SELECT service FROM organisations")}
    assert {"庇护所/救助管理站", "医院（验伤）", "派出所", "心理咨询"} <= services  # the directory has other services


def test_a_new_user_sees_attachments_a_letter_an_injury_diagram_and_a_signed_agreement(demo_ctx: Context) -> None:
    from fulian_desktop.domain import images
    from fulian_desktop.services import attachments, printing

    rows = _all(demo_ctx, "SELECT a.id, a.kind, a.media, c.kind, c.id FROM attachments a JOIN cases c ON c.id = a.case_id "
                          "ORDER BY a.id")
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("来信原件", "image/jpeg", "petition"), ("照片", "image/jpeg", "petition"),
        ("协议原件", "application/pdf", "mediation")]
    for attachment_id, _kind, media, _case_kind, _case_id in rows:  # each opens in the viewer: a whole image or page
        data = attachments.content(demo_ctx, attachment_id)
        assert (images.pdf_pages(data) == 1) if media == "application/pdf" else images.thumbnail(data, media, 96)
    import pypdfium2

    dossier = pypdfium2.PdfDocument(printing.print_case(demo_ctx, rows[2][4])[0])  # the 卷宗 holds the signed one
    try:
        text = "".join(page.get_textpage().get_text_range() for page in dossier)
    finally:
        dossier.close()
    assert "人民调解协议书（签字原件）" in text and "双方签字的调解协议书" in text
