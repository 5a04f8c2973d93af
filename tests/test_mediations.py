"""Mediation rules, services and documents without a window: opening (directly and from a petition, in
one transaction), the status rules, the one-month clock and the start page, return visits, counting,
search and her history, and the printed documents read back. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop import documents
from fulian_desktop.documents import mediation_forms
from fulian_desktop.domain import mediation as rules
from fulian_desktop.domain.errors import FulianError, RuleError, ValidationError
from fulian_desktop.domain.idcard import make_id_number
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
from fulian_desktop.services import cases, mediations, people, petitions, printing
from fulian_desktop.services.context import Context

from .pdf_layout import flat, page_texts

ID = make_id_number("430999", dt.date(1990, 5, 6), 12, female=True)


def pdf_text(pdf: bytes) -> list[str]:
    return [flat(t) for t in page_texts(pdf)]


def roster(ctx: Context) -> list[int]:
    return [mediations.save_mediator(ctx, Mediator("王秀英", "13900139001", "专职调解员")),
            mediations.save_mediator(ctx, Mediator("刘建国"))]


def form(ctx: Context, **changes: object) -> Mediation:
    m = Mediation(
        received_on=ctx.today(), source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
        village="石桥村", facts="双方因家庭开支争吵，女方提出离婚。", request="请求调解。", registrar="周敏",
        parties=[Party(Person(name="张丽", sex="女", id_number=ID, phone="13800138000"), "applicant", "务农"),
                 Party(Person(name="李强", sex="男"), "respondent", "建筑工人", 38)],
        mediator_ids=roster(ctx) if not mediations.mediators(ctx) else [m.id for m in mediations.mediators(ctx)
                                                                        if m.id is not None],
    )
    for key, value in changes.items():
        setattr(m, key, value)
    return m


def session(on: dt.date, result: str = "达成一致") -> Session:
    return Session(held_on=on, place="调解室", mediators="王秀英", recorder="刘建国", present="张丽、李强",
                   applicant_said="要求按时寄生活费。", respondent_said="同意。", result=result,
                   result_detail="双方同意和好。")


def agreement(n: int = 3) -> Agreement:
    return Agreement(facts="因家庭开支争吵。", duties="双方均有责任。",
                     items=[AgreementItem(f"第{i}件事", "当面交付", "2026年4月30日前", "村委会") for i in range(1, n + 1)])


def petition(ctx: Context, accept: bool = True) -> int:
    case_id = petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), petitioner=Person(name="张丽", id_number=ID, phone="13800138000"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭暴力",
        facts="丈夫酒后打人。", request="希望调解。", dv=True, safety_risk=False, receiving_staff="周敏",
        respondent_name="李强", respondent_relation="丈夫"))[0]
    if accept:
        petitions.accept(ctx, case_id, ctx.today())
    return case_id


# ---- opening ------------------------------------------------------------------------------------


def test_open_directly_needs_both_sides_type_facts_and_a_mediator(ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        mediations.open_mediation(ctx, form(ctx, parties=[], dispute_type="", facts=" ", mediator_ids=[]))
    assert {"applicants", "respondents", "dispute_type", "facts", "mediators"} <= set(err.value.errors)
    bad = form(ctx)
    bad.parties[1].person.phone = "123"
    bad.parties[1].stated_age = 150
    with pytest.raises(ValidationError) as err:
        mediations.open_mediation(ctx, bad)
    assert "respondents.0.phone" in err.value.errors and "respondents.0.age" in err.value.errors
    same = form(ctx)
    same.parties[1].person = Person(name="张丽", id_number=ID)
    with pytest.raises(ValidationError, match="既是申请人又是被申请人"):
        mediations.open_mediation(ctx, same)
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_open_directly_keeps_parties_occupation_age_and_mediators(ctx: Context) -> None:
    case_id, case_no = mediations.open_mediation(ctx, form(ctx))
    assert case_no == "婚调〔2026〕第0001号"
    m = mediations.get(ctx, case_id)
    assert m.status == "accepted" and m.title == "张丽与李强婚姻纠纷"
    assert [(p.person.name, p.side, p.occupation) for p in m.parties] == [
        ("张丽", "applicant", "务农"), ("李强", "respondent", "建筑工人")]
    assert m.applicants[0].age(m.received_on) == 35  # from the ID number
    assert m.respondents[0].age(m.received_on) == 38  # as told
    assert m.mediator_names == "王秀英、刘建国"
    row = ctx.db.execute("SELECT names, category, subcategory, due_label, is_open FROM cases WHERE id = ?",
                         [case_id]).fetchone()
    assert row == ("张丽与李强", "婚姻家庭", "婚姻", "完成调解", 1)
    assert [t.action for t in m.timeline] == ["受理调解"]


def test_open_from_petition_links_both_ways_and_sets_its_handling_in_one_transaction(ctx: Context) -> None:
    pid = petition(ctx)
    draft = mediations.draft_from_petition(ctx, pid)
    assert draft.source == "信访转来" and draft.dispute_type == "家庭暴力" and draft.relationship == "夫妻"
    assert [p.person.name for p in draft.parties] == ["张丽", "李强"] and draft.parties[0].person.id is not None
    draft.mediator_ids = roster(ctx)
    # a failure half-way leaves nothing behind: no mediation, the petition untouched
    broken = Mediation(**{**draft.__dict__, "mediator_ids": [999]})
    with pytest.raises(ValidationError):
        mediations.open_from_petition(ctx, pid, broken)
    assert ctx.db.execute("SELECT COUNT(*) FROM cases WHERE kind = 'mediation'").fetchone()[0] == 0
    assert petitions.get(ctx, pid).handling == ""

    case_id, case_no = mediations.open_from_petition(ctx, pid, draft)
    p = petitions.get(ctx, pid)
    assert p.handling == "调解" and p.status == "in_progress" and case_no in p.handling_opinion
    assert (case_id, case_no, "mediation") in p.links
    m = mediations.get(ctx, case_id)
    assert (pid, p.case_no, "petition") in m.links
    assert m.applicants[0].person.id == p.petitioner.id  # the same person record
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 2
    assert any(t.action == "办理" and case_no in t.note for t in p.timeline)
    with pytest.raises(RuleError, match="已经转调解"):
        mediations.open_from_petition(ctx, pid, mediations.draft_from_petition(ctx, pid))


def test_a_petition_not_yet_accepted_is_not_sent_to_mediation(ctx: Context) -> None:
    pid = petition(ctx, accept=False)
    draft = mediations.draft_from_petition(ctx, pid)
    draft.mediator_ids = roster(ctx)
    with pytest.raises(RuleError, match="已登记"):
        mediations.open_from_petition(ctx, pid, draft)


# ---- status rules -------------------------------------------------------------------------------


def test_no_agreement_without_a_session_items_or_complete_items(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, _ = mediations.open_mediation(ctx, form(ctx))
    with pytest.raises(RuleError, match="须有调解记录"):
        mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement()))
    mediations.add_session(ctx, case_id, session(ctx.today()))
    assert mediations.get(ctx, case_id).status == "in_progress"
    with pytest.raises(ValidationError) as err:
        mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=Agreement("", "", [])))
    assert {"agreement.items", "agreement.facts", "agreement.duties"} <= set(err.value.errors)
    items = agreement(2)
    items.items.insert(1, AgreementItem("", "", "", ""))  # an empty line is ignored
    items.items[2].due = ""
    with pytest.raises(ValidationError) as err:
        mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=items))
    assert err.value.errors == {"agreement.items.2": "第2项：请写明履行期限"}
    with pytest.raises(ValidationError, match="不能晚于今天"):
        mediations.close(ctx, case_id, Closing("agreed", ctx.today() + dt.timedelta(days=1), agreement=agreement()))
    assert mediations.get(ctx, case_id).is_open
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement()))
    m = mediations.get(ctx, case_id)
    assert m.status == "agreed" and m.agreement is not None and len(m.agreement.items) == 3
    assert m.agreement.confirmation_deadline == ctx.today() + dt.timedelta(days=30)
    with pytest.raises(RuleError, match="不能再记录调解"):
        mediations.add_session(ctx, case_id, session(ctx.today()))
    with pytest.raises(RuleError):
        mediations.close(ctx, case_id, Closing("ended", ctx.today(), note="撤回"))
    with pytest.raises(RuleError, match="记录调查"):
        mediations.add_investigation(ctx, case_id, Investigation(ctx.today(), "村委会", "王秀英", "", "陈芳", "", "x"))


def test_each_outcome_asks_for_what_it_needs(ctx: Context) -> None:
    case_id, _ = mediations.open_mediation(ctx, form(ctx))
    with pytest.raises(ValidationError, match="请选择调解结果"):
        mediations.close(ctx, case_id, Closing("divorced", ctx.today()))
    with pytest.raises(ValidationError) as err:
        mediations.close(ctx, case_id, Closing("ended", ctx.today()))
    assert "终止调解的理由" in err.value.errors["note"]
    mediations.add_session(ctx, case_id, session(ctx.today(), "调解不成"))
    with pytest.raises(ValidationError) as err:
        mediations.close(ctx, case_id, Closing("failed", ctx.today(), note="分歧大"))
    assert "引导" in err.value.errors["failed_route"]
    with pytest.raises(ValidationError) as err:
        mediations.close(ctx, case_id, Closing("reconciled", ctx.today()))
    assert "和好情况" in err.value.errors["note"]
    mediations.close(ctx, case_id, Closing("failed", ctx.today(), note="分歧大", failed_route="引导诉讼"))
    m = mediations.get(ctx, case_id)
    assert (m.status, m.failed_route, m.agreement) == ("failed", "引导诉讼", None)
    assert not m.is_open
    row = ctx.db.execute("SELECT is_open, due_on, closed_on FROM cases WHERE id = ?", [case_id]).fetchone()
    assert row == (0, None, ctx.today().isoformat())


def test_a_mediation_longer_than_a_month_is_flagged_and_shown_on_the_start_page(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, case_no = mediations.open_mediation(ctx, form(ctx))
    assert rules.conclude_by(ctx.today()) == dt.date(2026, 4, 10)
    clock.advance(25)
    due = cases.due_this_week(ctx)
    assert [(d.row.case_no, d.text) for d in due] == [(case_no, "6天内应完成调解")]
    clock.advance(10)
    due = cases.due_this_week(ctx)
    assert due[0].state == "overdue" and due[0].text == "完成调解已逾期4天"
    m = mediations.get(ctx, case_id)
    assert rules.overlong(m, ctx.today())
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("reconciled", ctx.today(), note="申请人撤回离婚请求，双方和好。"))
    m = mediations.get(ctx, case_id)
    assert rules.overlong(m, ctx.today() + dt.timedelta(days=100))  # stays flagged
    assert "超过一个月" in m.timeline[-1].note
    assert cases.due_this_week(ctx) == []
    counts = mediations.counts(ctx, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert (counts.reconciled, counts.overlong, counts.resolved) == (1, 1, 1)


def test_return_visits_default_to_thirty_days_are_reminded_and_recorded(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, case_no = mediations.open_mediation(ctx, form(ctx))
    with pytest.raises(RuleError, match="调解结束后"):
        mediations.schedule_visit(ctx, case_id, ctx.today() + dt.timedelta(days=30))
    with pytest.raises(RuleError, match="调解结束后才能立卷"):
        mediations.set_filing(ctx, case_id, "周敏", ctx.today(), "30年")
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement()))
    m = mediations.get(ctx, case_id)
    assert rules.default_visit_due(m) == dt.date(2026, 4, 9)
    with pytest.raises(ValidationError, match="不能早于结案日期"):
        mediations.schedule_visit(ctx, case_id, ctx.today() - dt.timedelta(days=1))
    visit_id = mediations.schedule_visit(ctx, case_id, dt.date(2026, 4, 12), "了解生活费是否按时支付")
    row = ctx.db.execute("SELECT is_open, due_on, due_label FROM cases WHERE id = ?", [case_id]).fetchone()
    assert row == (1, "2026-04-12", "回访")
    clock.advance(30)
    assert [(d.row.case_no, d.text) for d in cases.due_this_week(ctx)] == [(case_no, "3天内应回访")]
    visit = ReturnVisit(due_on=dt.date(2026, 4, 12), id=visit_id, visited_on=ctx.today(), visitor="王秀英",
                        method="电话", performance="不适用", satisfaction="满意", findings="已按时支付。",
                        violence=True)
    with pytest.raises(ValidationError) as err:
        mediations.record_visit(ctx, case_id, visit)
    assert set(err.value.errors) == {"performance", "measures"}  # an agreement's performance; what was done
    visit.performance, visit.measures = "正在履行", "告知可申请人身安全保护令，通知村妇联主席关注。"
    mediations.record_visit(ctx, case_id, visit)
    with pytest.raises(RuleError, match="已经记录过"):
        mediations.record_visit(ctx, case_id, visit)
    m = mediations.get(ctx, case_id)
    assert not m.pending_visits and m.done_visits[0].violence
    assert cases.due_this_week(ctx) == []
    assert ctx.db.execute("SELECT is_open FROM cases WHERE id = ?", [case_id]).fetchone()[0] == 0
    assert "有家庭暴力" in m.timeline[-1].note
    # a visit nobody planned is recorded too
    mediations.record_visit(ctx, case_id, ReturnVisit(
        due_on=ctx.today(), visited_on=ctx.today(), visitor="刘建国", method="上门", performance="已履行",
        satisfaction="满意", findings="一切正常。"))
    assert len(mediations.get(ctx, case_id).done_visits) == 2


def test_counts_per_period(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    outcomes = [("reconciled", None), ("reconciled", None), ("agreed", agreement(1)), ("self_settled", None),
                ("failed", None), ("ended", None)]
    for outcome, a in outcomes:
        case_id, _ = mediations.open_mediation(ctx, form(ctx))
        if outcome in rules.NEEDS_SESSION:
            mediations.add_session(ctx, case_id, session(ctx.today()))
        mediations.close(ctx, case_id, Closing(outcome, ctx.today(), note="说明", failed_route="引导诉讼",
                                               agreement=a))
    mediations.open_mediation(ctx, form(ctx))  # still open
    c = mediations.counts(ctx, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (c.mediated, c.concluded, c.reconciled, c.agreements, c.self_settled, c.failures, c.ended) == (
        7, 6, 2, 1, 1, 1, 1)
    assert c.resolved == 4  # 和好 + 协议 + 自行和解; 自行和解 is not counted as reconciled
    assert c.rate(c.reconciled) == pytest.approx(2 / 6)
    assert mediations.counts(ctx, dt.date(2026, 4, 1), dt.date(2026, 4, 30)).mediated == 0
    months = dict(mediations.counts_by_month(ctx, 2026))
    assert months[3].mediated == 7 and months[2].mediated == 0
    with pytest.raises(ValidationError):
        mediations.counts(ctx, dt.date(2026, 4, 1), dt.date(2026, 3, 1))


def test_search_and_her_history_find_the_mediation(ctx: Context) -> None:
    case_id, case_no = mediations.open_mediation(ctx, form(ctx))
    for query in ("李强", "张丽", "lq", "家庭开支", "刘建国", case_no[-5:-1]):
        assert [r.id for r in cases.find(ctx, query)] == [case_id], query
    person_id = mediations.get(ctx, case_id).respondents[0].person.id
    assert person_id is not None
    assert [(c["case_no"], c["role"]) for c in people.history(ctx, person_id)] == [(case_no, "respondent")]


def test_the_roster_never_loses_a_name(ctx: Context) -> None:
    first = mediations.save_mediator(ctx, Mediator("王秀英"))
    with pytest.raises(ValidationError, match="已有调解员"):
        mediations.save_mediator(ctx, Mediator(" 王秀英 "))
    case_id, _ = mediations.open_mediation(ctx, form(ctx))
    mediations.set_mediator_active(ctx, first, False)
    assert [m.name for m in mediations.mediators(ctx)] == []
    assert mediations.get(ctx, case_id).mediator_names == "王秀英"  # the file keeps her
    assert mediations.save_mediator(ctx, Mediator("王秀英")) == first  # added back, not twice
    assert [m.name for m in mediations.mediators(ctx)] == ["王秀英"]


# ---- documents ----------------------------------------------------------------------------------


def closed_case(ctx: Context, clock) -> int:  # type: ignore[no-untyped-def]
    mediations.set_committee(ctx, "某某县妇联婚姻家庭纠纷人民调解委员会", "某")
    case_id, _ = mediations.open_mediation(ctx, form(ctx))
    clock.advance(2)
    mediations.add_investigation(ctx, case_id, Investigation(ctx.today(), "村委会", "王秀英", "刘建国", "陈芳",
                                                             "邻居", "问：情况如何？\n答：常吵架。"))
    mediations.add_session(ctx, case_id, session(ctx.today(), "未达成一致，择期再调"))
    clock.advance(5)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement()),
                     ctx.today() + dt.timedelta(days=30))
    return case_id


def test_every_document_prints_and_reads_back(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = closed_case(ctx, clock)
    for key, title in rules.DOCUMENTS:
        pdf, name = printing.print_document(ctx, case_id, key)
        pages = pdf_text(pdf)
        assert name.startswith(f"{title}_张丽_"), name
        assert all(title in p for p in pages), key
        assert "婚调〔2026〕第0001号" in pages[0] or "（2026）某人调字第1号" in pages[0]
    sessions = pdf_text(printing.print_document(ctx, case_id, "session")[0])
    assert len(sessions) == 2 and "第一次调解" in sessions[0] and "第二次调解" in sessions[1]
    visit = pdf_text(printing.print_document(ctx, case_id, "visit")[0])[0]
    assert "计划回访日期" in visit and "2026年4月16日" in visit  # a blank record for the planned visit
    registration = pdf_text(printing.print_document(ctx, case_id, "registration")[0])[0]
    assert "经当事人同意，调解张丽与李强之间的婚姻纠纷" in registration and "√当事人申请" in registration
    notice = pdf_text(printing.print_document(ctx, case_id, "notice")[0])[0]
    assert "选择或者接受人民调解员" in notice and "如实陈述纠纷事实" in notice
    with pytest.raises(FulianError, match="没有这份文书"):
        printing.print_document(ctx, case_id, "no-such-document")


def test_the_agreement_is_refused_before_there_is_one_and_blank_records_print(ctx: Context) -> None:
    case_id, _ = mediations.open_mediation(ctx, form(ctx))
    with pytest.raises(FulianError, match="没有达成调解协议"):
        printing.print_document(ctx, case_id, "agreement")
    pdf, _ = printing.print_document(ctx, case_id, "session")
    page = pdf_text(pdf)[0]
    assert "人民调解记录" in page and "张丽与李强婚姻纠纷" in page and "申请人陈述" in page


def test_the_whole_file_in_the_official_order(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = closed_case(ctx, clock)
    mediations.set_filing(ctx, case_id, "周敏", ctx.today(), "永久", "含光盘一张")
    pdf, name = printing.print_case(ctx, case_id)
    assert name == "人民调解卷宗_张丽与李强婚姻纠纷_2026-03-10.pdf"
    pages = pdf_text(pdf)
    for words in ("人民调解卷宗", "（2026）某人调字第1号", "立卷人：周敏", "保管期限：永久", "备注：含光盘一张"):
        assert words in pages[0], words
    order = [t for k, t, _g in rules.FILE_ORDER if k != "visit"]  # no visit made yet: none in the file
    contents = pages[1]
    assert "人民调解回访记录" not in contents
    assert [contents.index(t) for t in order] == sorted(contents.index(t) for t in order)
    body = "".join(pages[2:])
    sequence = ["人民调解申请书", "人民调解受理登记表", "当事人权利义务告知书", "人民调解调查记录", "人民调解记录",
                "人民调解协议书", "卷内备考表"]
    assert [body.index(t) for t in sequence] == sorted(body.index(t) for t in sequence)
    built = len(pages) - 3  # all but the cover, the contents and the back cover
    assert f"本卷共有打印的文书{built}页" in pages[-1]


def test_a_character_the_font_lacks_is_named_before_printing(ctx: Context) -> None:
    case_id, _ = mediations.open_mediation(ctx, form(ctx, facts="她说：“\ue000”。"))
    with pytest.raises(FulianError, match="U\\+E000"):
        printing.print_case(ctx, case_id)
    with pytest.raises(FulianError, match="U\\+E000"):
        printing.print_document(ctx, case_id, "registration")


def test_the_forms_are_registered_for_the_kind_and_each_document() -> None:
    kinds = documents.kinds()
    assert "mediation" in kinds
    assert {f"mediation.{k}" for k, _t in rules.DOCUMENTS} <= set(kinds)
    assert mediation_forms.cn_number(1) == "一" and mediation_forms.cn_number(12) == "十二"
    assert mediation_forms.cn_number(20) == "二十" and mediation_forms.cn_number(35) == "三十五"
