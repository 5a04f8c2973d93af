"""家暴防护, points 3, 4 and 6: 告诫书 and 查访, protection orders, mandatory reports — the rules and their clocks
worked out on the calendar by hand, and the services as the window calls them. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import mandatory_report, police_contact
from fulian_desktop.domain import protection_order as rules
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.police_contact import FollowUp, PoliceContact
from fulian_desktop.domain.protection_order import Application, Order
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import case_documents, mandatory_reports, petitions, police_contacts, start_page
from fulian_desktop.services import protection_orders as orders
from fulian_desktop.services.context import Context

from .conftest import Clock

FRIDAY = dt.datetime(2026, 3, 13, 16, 20)  # a Friday afternoon


def dv_petition(ctx: Context, *, birth: dt.date | None = dt.date(1990, 5, 1), dv: bool = True,
                received: dt.date = dt.date(2026, 3, 2)) -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=received, petitioner=Person(name="柳如烟", sex="女", birth_date=birth),
        concerned=None, headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
        facts="丈夫酒后多次殴打，最近一次掐她的脖子。", request="请求妇联帮助。", dv=dv, safety_risk=dv,
        receiving_staff="王秀兰", respondent_name="赵大力", respondent_relation="丈夫"))[0]


# --- the clocks, by hand ----------------------------------------------------------------------------------------

def test_the_ruling_clock_runs_through_the_weekend_from_the_next_full_hour() -> None:
    # accepted on Friday 16:20: the hour 16 is not counted, the clock starts at 17:00 (民事诉讼法 art. 85)
    assert rules.ruling_due(FRIDAY, urgent=False) == dt.datetime(2026, 3, 16, 17, 0)  # Monday 17:00, 72 hours
    assert rules.ruling_due(FRIDAY, urgent=True) == dt.datetime(2026, 3, 14, 17, 0)  # Saturday 17:00, 24 hours
    on_the_hour = dt.datetime(2026, 3, 13, 16, 0)
    assert rules.ruling_due(on_the_hour, urgent=False) == dt.datetime(2026, 3, 16, 17, 0)
    late_sunday = dt.datetime(2026, 3, 15, 23, 59)  # the hour 23 not counted: from Monday 00:00
    assert rules.ruling_due(late_sunday, urgent=True) == dt.datetime(2026, 3, 17, 0, 0)


def test_an_orders_term_and_its_reminder() -> None:
    assert rules.default_end(dt.date(2026, 1, 10)) == dt.date(2026, 7, 9)
    assert rules.latest_end(dt.date(2026, 1, 10)) == dt.date(2026, 7, 10)
    assert rules.latest_end(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)  # no 31 February: the month's last day
    assert rules.reminder_from(dt.date(2026, 7, 9)) == dt.date(2026, 6, 24)  # 15 days before the end
    o = Order(Application("赵大力", "丈夫", [rules.MEASURES[0]], "殴打", []), outcome="granted",
              ruled_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 7, 9))
    assert rules.state(o, dt.datetime(2026, 6, 23, 9)) == "有效期至2026年7月9日"
    assert rules.state(o, dt.datetime(2026, 6, 24, 9)) == "即将到期：有效期至2026年7月9日，还有15天"
    assert rules.state(o, dt.datetime(2026, 7, 9, 9)).startswith("即将到期")
    assert rules.state(o, dt.datetime(2026, 7, 10, 9)) == "已到期（2026年7月9日）"
    assert rules.in_force(o, dt.date(2026, 7, 9)) and not rules.in_force(o, dt.date(2026, 7, 10))


def test_a_visit_is_in_time_on_its_own_day_and_overdue_the_day_after() -> None:
    assert police_contact.schedule(dt.date(2026, 3, 10)) == [dt.date(2026, 3, 17), dt.date(2026, 4, 9),
                                                             dt.date(2026, 6, 8)]
    f = FollowUp(due_on=dt.date(2026, 3, 17))
    assert police_contact.follow_up_state(f, dt.date(2026, 3, 16)) == "1天后"
    assert police_contact.follow_up_state(f, dt.date(2026, 3, 17)) == "今天查访"
    assert not police_contact.is_overdue(f, dt.date(2026, 3, 17))
    assert police_contact.follow_up_state(f, dt.date(2026, 3, 18)) == "已逾期1天"
    assert police_contact.is_overdue(f, dt.date(2026, 3, 18))
    f.done_on = dt.date(2026, 3, 19)
    assert police_contact.follow_up_state(f, dt.date(2026, 3, 20)) == "已查访（晚2天）"


def test_who_must_be_reported_by_age_on_the_day_the_case_came() -> None:
    g = mandatory_report.ground_from_birth
    assert g(dt.date(2008, 3, 3), dt.date(2026, 3, 2)) == "minor"  # 18 tomorrow
    assert g(dt.date(2008, 3, 2), dt.date(2026, 3, 2)) == ""  # 18 today
    assert g(dt.date(1966, 3, 2), dt.date(2026, 3, 2)) == "elderly"  # 60 today
    assert g(dt.date(1966, 3, 3), dt.date(2026, 3, 2)) == ""
    assert g(None, dt.date(2026, 3, 2)) == ""


# --- the services ---------------------------------------------------------------------------------------------

def test_a_warning_schedules_visits_that_come_due_on_the_start_page(ctx: Context, clock: Clock) -> None:
    case_id = dv_petition(ctx)
    with pytest.raises(ValidationError) as e:
        police_contacts.record(ctx, case_id, PoliceContact("warning", " ", dt.date(2026, 3, 11)))
    assert set(e.value.errors) == {"station", "issued_on"}  # no station; tomorrow
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    thread = police_contacts.of_case(ctx, case_id)
    assert [f.due_on for f in thread.follow_ups] == [dt.date(2026, 3, 10), dt.date(2026, 4, 2), dt.date(2026, 6, 1)]
    due = [i for i in start_page.protection_due(ctx) if i.what == "告诫书后查访"]
    assert [(i.due_on, i.overdue, i.note) for i in due] == [(dt.date(2026, 3, 10), False, "今天到期")]
    clock.advance(1)
    due = [i for i in start_page.protection_due(ctx) if i.what == "告诫书后查访"]
    assert [(i.overdue, i.note) for i in due] == [(True, "逾期1天")]
    first = thread.follow_ups[0]
    with pytest.raises(ValidationError) as e:
        police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 11), "", "")
    assert set(e.value.errors) == {"with_whom", "finding"}
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 11), "派出所", "未再动手，她情绪稳定。")
    assert not [i for i in start_page.protection_due(ctx) if i.what == "告诫书后查访"]
    with pytest.raises(RuleError):
        police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 11), "派出所", "再记一次")
    second = police_contacts.of_case(ctx, case_id).follow_ups[1]
    police_contacts.move_visit(ctx, case_id, second.id or 0, dt.date(2026, 3, 20))
    assert police_contacts.of_case(ctx, case_id).follow_ups[1].due_on == dt.date(2026, 3, 20)
    police_contacts.drop_visit(ctx, case_id, second.id or 0, "她已搬到外省娘家")
    assert len(police_contacts.of_case(ctx, case_id).follow_ups) == 2


def test_a_report_receipt_plans_no_visits_unless_asked(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    police_contacts.record(ctx, case_id, PoliceContact("receipt", "东山派出所", dt.date(2026, 3, 3)))
    assert police_contacts.of_case(ctx, case_id).follow_ups == []


def application(**changes: object) -> Application:
    a = Application(respondent="赵大力", respondent_relation="丈夫", requests=list(rules.MEASURES[:2]),
                    facts="2026年3月1日晚，被申请人酒后殴打申请人，掐其脖子。", evidence=["东山派出所出具的告诫书"],
                    court="东山县人民法院")
    for k, v in changes.items():
        setattr(a, k, v)
    return a


def test_applying_on_her_behalf_records_her_wishes_and_prints_the_application(ctx: Context, clock: Clock) -> None:
    case_id = dv_petition(ctx)
    drafted = orders.draft(ctx, case_id)
    assert (drafted.respondent, drafted.respondent_relation) == ("赵大力", "丈夫")
    assert drafted.facts.startswith("丈夫酒后") and drafted.requests == list(rules.MEASURES[:2])
    with pytest.raises(ValidationError) as e:
        orders.apply(ctx, case_id, application(on_behalf=True))
    assert set(e.value.errors) == {"wishes", "consent_on"}
    order_id, doc_id = orders.apply(ctx, case_id, application(
        on_behalf=True, wishes="她害怕报复，不敢自己去法院，希望本会代她申请，禁止他再接近她和孩子。",
        consent_on=dt.date(2026, 3, 9), urgent=True))
    entries = case_documents.list_documents(ctx, case_id)
    assert "人身安全保护令申请书" in [e.title for e in entries]
    entry = next(e for e in entries if e.doc_id == doc_id)
    first, _ = case_documents.print_entry(ctx, case_id, entry)
    clock.advance(30)
    again, name = case_documents.print_entry(ctx, case_id, entry)
    assert first == again and name.startswith("人身安全保护令申请书_柳如烟")  # a reprint is the same paper
    # the clock: accepted Friday 16:20, urgent: Saturday 17:00
    clock.now = dt.datetime(2026, 3, 13, 17, 0)
    due = orders.record_filing(ctx, case_id, order_id, "东山县人民法院", FRIDAY)
    assert due == dt.datetime(2026, 3, 14, 17, 0)
    item = next(i for i in start_page.protection_due(ctx) if i.what == "保护令：等待法院裁定")
    assert not item.overdue and item.note == "应在2026年3月14日 17:00前裁定"
    clock.now = dt.datetime(2026, 3, 14, 17, 1)
    item = next(i for i in start_page.protection_due(ctx) if i.what == "保护令：等待法院裁定")
    assert item.overdue
    with pytest.raises(ValidationError) as e:
        orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 14), "（2026）东民保令1号",
                             "禁止被申请人实施家庭暴力", dt.date(2026, 9, 15))
    assert "至多到2026年9月14日" in e.value.errors["ends_on"]
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 14), "（2026）东民保令1号",
                         "禁止被申请人实施家庭暴力；禁止骚扰、接触申请人", rules.default_end(dt.date(2026, 3, 14)))
    assert not [i for i in start_page.protection_due(ctx) if i.what.startswith("保护令")]
    # the reminder before it ends (13 September): from 29 August
    clock.now = dt.datetime(2026, 8, 28, 9)
    assert not [i for i in start_page.protection_due(ctx) if i.what.startswith("保护令将到期")]
    clock.now = dt.datetime(2026, 8, 29, 9)
    item = next(i for i in start_page.protection_due(ctx) if i.what.startswith("保护令将到期"))
    assert (item.due_on, item.note) == (dt.date(2026, 9, 13), "可申请延长")
    doc = orders.request_extension(ctx, case_id, order_id, dt.date(2027, 3, 13), "被申请人仍多次打电话威胁。")
    assert case_documents.list_documents(ctx, case_id)[-1].title == "延长人身安全保护令申请书"
    assert doc
    item = next(i for i in start_page.protection_due(ctx) if i.what.startswith("保护令将到期"))
    assert item.note == "已申请延长"
    orders.record_extension(ctx, case_id, order_id, True, dt.date(2027, 3, 13))
    assert orders.of_case(ctx, case_id).orders[0].ends_on == dt.date(2027, 3, 13)


def test_a_violation_stands_on_the_start_page_until_reported(ctx: Context, clock: Clock) -> None:
    case_id = dv_petition(ctx)
    order_id, _ = orders.apply(ctx, case_id, application())
    with pytest.raises(RuleError):
        orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "上门骚扰")
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 5), "", "禁止实施家庭暴力",
                         dt.date(2026, 9, 4))
    v = orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "被申请人上门砸门、辱骂。")
    item = next(i for i in start_page.protection_due(ctx) if i.what == "违反保护令：待报告法院")
    assert item.note == "逾期1天" and item.overdue
    orders.report_violation(ctx, case_id, v, dt.date(2026, 3, 10), "东山县人民法院")
    assert not [i for i in start_page.protection_due(ctx) if i.what == "违反保护令：待报告法院"]


def test_the_situation_proof_lists_the_offices_records(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    doc_id = orders.situation_proof(ctx, case_id)
    from fulian_desktop.store import case_documents as kept

    d = kept.get(ctx.db, doc_id)
    assert d is not None and d.title == "情况证明"
    records = d.content["sections"][0][1]  # type: ignore[index]
    assert "2026年3月2日，本案登记：丈夫酒后多次殴打" in records and "东山派出所出具告诫书（东公告字12号）" in records


def test_a_minor_must_be_reported_and_is_overdue_from_the_next_day(ctx: Context, clock: Clock) -> None:
    minor = dv_petition(ctx, birth=dt.date(2010, 6, 1), received=dt.date(2026, 3, 10))
    adult = dv_petition(ctx)
    not_dv = dv_petition(ctx, birth=dt.date(2010, 6, 1), dv=False)
    n = mandatory_reports.need(ctx, minor)
    assert n.required and n.ground == "minor" and not n.done
    assert not mandatory_reports.need(ctx, adult).required
    items = [i for i in start_page.protection_due(ctx) if i.what.startswith("强制报告")]
    assert [(i.case_id, i.overdue) for i in items] == [(minor, False)]  # due today; not the case without DV
    assert not_dv not in [i.case_id for i in items]
    clock.advance(1)
    assert [i.overdue for i in start_page.protection_due(ctx) if i.what.startswith("强制报告")] == [True]
    with pytest.raises(ValidationError) as e:
        mandatory_reports.record_report(ctx, minor, None, "")
    assert set(e.value.errors) == {"reported_on", "reported_to"}
    mandatory_reports.record_report(ctx, minor, dt.date(2026, 3, 11), "东山派出所", "电话报警", "J2026031100012")
    assert mandatory_reports.need(ctx, minor).done
    assert not [i for i in start_page.protection_due(ctx) if i.what.startswith("强制报告")]
    # an adult the clerk finds cannot protect herself (disabled)
    mandatory_reports.mark_required(ctx, adult, "disabled", dt.date(2026, 3, 11))
    assert [i.case_id for i in start_page.protection_due(ctx) if i.what.startswith("强制报告")] == [adult]


def test_the_thread_is_only_for_the_roles_that_handle_the_case(ctx: Context) -> None:
    from fulian_desktop.domain.permissions import PermissionDenied

    case_id = dv_petition(ctx)
    _order, doc_id = orders.apply(ctx, case_id, application())
    ctx.roles = frozenset({"mediator"})  # reads petitions, does not handle them
    assert [e.title for e in case_documents.list_documents(ctx, case_id)] == ["信访登记表"]
    with pytest.raises(PermissionDenied):
        case_documents.print_issued(ctx, doc_id)
    with pytest.raises(PermissionDenied):
        police_contacts.of_case(ctx, case_id)
    with pytest.raises(PermissionDenied):
        orders.apply(ctx, case_id, application())
    assert start_page.protection_due(ctx) == []


def test_the_command_line_lists_and_prints_the_papers_as_issued(ctx: Context, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.cli import main as cli
    from fulian_desktop.store import cases as case_store

    case_id = dv_petition(ctx)
    _order, doc_id = orders.apply(ctx, case_id, application())
    orders.situation_proof(ctx, case_id)
    header = case_store.case_header(ctx.db, case_id)
    assert header is not None
    case_no, db = str(header["case_no"]), str(tmp_path / "test.db")
    assert cli.main(["print", case_no, "--list", "--db", db]) == 0
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert lines[3:6] == ["1 信访登记表", "2 人身安全保护令申请书 2026年3月10日", "3 情况证明 2026年3月10日"]
    target = tmp_path / "申请书.pdf"
    assert cli.main(["print", case_no, "--doc", "人身安全保护令申请书", "--out", str(target), "--db", db]) == 0
    assert target.read_bytes() == case_documents.print_issued(ctx, doc_id)[0]  # the same paper, byte for byte


def test_the_case_timeline_says_what_was_done_not_what_she_told(ctx: Context) -> None:
    """The 办理经过 is read by every role that reads the case; what was found and what he did stay on the tab."""
    from fulian_desktop.store import cases as case_store

    case_id = dv_petition(ctx)
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3)))
    first = police_contacts.of_case(ctx, case_id).follow_ups[0]
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 10), "派出所", "她暂住在县城姐姐家。")
    order_id, _ = orders.apply(ctx, case_id, application())
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 5), "（2026）东民保令1号",
                         "禁止被申请人接近申请人住所（县城幸福小区）", dt.date(2026, 9, 4))
    orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "被申请人到她姐姐家门口叫骂。")
    lines = {e.action: e.note for e in case_store.timeline_of(ctx.db, case_id)}
    assert lines["查访"] == "2026年3月10日与派出所查访（计划2026年3月10日）"
    assert lines["保护令结果"] == "2026年3月5日作出人身安全保护令，案号（2026）东民保令1号，有效期至2026年9月4日"
    assert lines["违反保护令"] == "2026年3月9日被申请人违反保护令；待报告法院"
    assert not any("姐姐" in note or "幸福小区" in note for note in lines.values())


def test_the_figures_the_statistics_read(ctx: Context, clock: Clock) -> None:
    """The store's counts for the statistics (H20c), checked against the cases made here by hand: March 2026."""
    from fulian_desktop.store import mandatory_reports as report_store
    from fulian_desktop.store import police_contacts as contact_store
    from fulian_desktop.store import protection_orders as order_store

    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    a, b = dv_petition(ctx), dv_petition(ctx, birth=dt.date(2012, 1, 1))
    police_contacts.record(ctx, a, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 2)))  # visits 9 Mar, 1 Apr …
    police_contacts.record(ctx, b, PoliceContact("receipt", "东山派出所", dt.date(2026, 2, 20)), [dt.date(2026, 3, 5)])
    visits = police_contacts.of_case(ctx, a).follow_ups + police_contacts.of_case(ctx, b).follow_ups
    march_9 = next(f for f in visits if f.due_on == dt.date(2026, 3, 9))
    march_5 = next(f for f in visits if f.due_on == dt.date(2026, 3, 5))
    police_contacts.record_visit(ctx, a, march_9.id or 0, dt.date(2026, 3, 9), "派出所", "暴力已停止。")  # on time
    police_contacts.record_visit(ctx, b, march_5.id or 0, dt.date(2026, 3, 7), "村（居）委会", "暴力已停止。")  # late
    assert contact_store.contact_counts(ctx.db, *march) == {"warning": 1}  # the receipt was issued in February
    assert contact_store.follow_up_counts(ctx.db, *march) == (2, 2, 1)  # planned, done, done on their day
    first, _ = orders.apply(ctx, a, application(on_behalf=True, wishes="她希望本会代为申请。",
                                                consent_on=dt.date(2026, 3, 9), urgent=True))
    second, _ = orders.apply(ctx, b, application())
    orders.record_ruling(ctx, a, first, "granted", dt.date(2026, 3, 10), "", "禁止实施家庭暴力", dt.date(2026, 9, 9))
    orders.record_ruling(ctx, b, second, "refused", dt.date(2026, 3, 10), note="证据不足")
    orders.record_violation(ctx, a, first, dt.date(2026, 3, 10), "上门骚扰", dt.date(2026, 3, 10), "东山县人民法院")
    assert order_store.counts(ctx.db, *march) == {"applied": 2, "on_behalf": 1, "urgent": 1, "granted": 1,
                                                  "refused": 1, "in_force": 1, "ended": 0, "violations": 1,
                                                  "violations_reported": 1}
    september = order_store.counts(ctx.db, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert (september["ended"], september["in_force"]) == (1, 0)  # its last day the 9th
    up_to_the_9th = order_store.counts(ctx.db, dt.date(2026, 9, 1), dt.date(2026, 9, 9))
    assert (up_to_the_9th["ended"], up_to_the_9th["in_force"]) == (0, 1)  # still in force on that day
    mandatory_reports.record_report(ctx, b, dt.date(2026, 3, 10), "东山派出所")  # found 2 March (she came), late
    assert report_store.counts(ctx.db, *march) == {"needed": 1, "reported": 1, "reported_on_time": 0,
                                                   "ground:minor": 1}
    person = ctx.db.execute("SELECT person_id FROM cases WHERE id = ?", [a]).fetchone()[0]
    assert orders.in_force_for(ctx, person) == [(a, "信访〔2026〕第0001号", dt.date(2026, 9, 9))]


def test_a_paper_or_a_ruling_recorded_wrongly_is_corrected(ctx: Context, clock: Clock) -> None:
    from fulian_desktop.domain.corrections import ReasonRequired
    from fulian_desktop.services import printing
    from fulian_desktop.store import cases as case_store

    case_id = dv_petition(ctx)
    contact_id = police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派处所", dt.date(2026, 3, 3), "12"))
    changes = police_contacts.correct_contact(
        ctx, case_id, contact_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    assert [(c.label, c.old, c.new) for c in changes] == [("告诫书的出具的公安机关", "东山派处所", "东山派出所"),
                                                          ("告诫书的编号", "12", "东公告字12号")]
    assert case_store.timeline_of(ctx.db, case_id)[-1].action == "更正"
    assert [f.due_on for f in police_contacts.of_case(ctx, case_id).follow_ups][0] == dt.date(2026, 3, 10)
    first = police_contacts.of_case(ctx, case_id).follow_ups[0]
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 5), "派出所", "已停止。")
    with pytest.raises(ValidationError) as e:  # a visit recorded before the new date
        police_contacts.correct_contact(ctx, case_id, contact_id,
                                        PoliceContact("warning", "东山派出所", dt.date(2026, 3, 6), "东公告字12号"))
    assert "issued_on" in e.value.errors
    order_id, _ = orders.apply(ctx, case_id, application())
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 5), "", "禁止实施家庭暴力",
                         dt.date(2026, 4, 4))
    printing.print_case(ctx, case_id)  # a paper of the case printed: a correction now says why
    with pytest.raises(ReasonRequired):
        orders.correct_ruling(ctx, case_id, order_id, "（2026）东民保令3号", "禁止实施家庭暴力", dt.date(2026, 9, 4))
    orders.correct_ruling(ctx, case_id, order_id, "（2026）东民保令3号", "禁止实施家庭暴力", dt.date(2026, 9, 4),
                          reason="有效期抄错，以裁定书为准")
    o = orders.of_case(ctx, case_id).orders[0]
    assert (o.order_no, o.ends_on) == ("（2026）东民保令3号", dt.date(2026, 9, 4))
    assert "原因：有效期抄错" in case_store.timeline_of(ctx.db, case_id)[-1].note


def test_a_girls_application_names_her_mother_as_her_legal_representative(ctx: Context) -> None:
    from fulian_desktop.store import case_documents as kept

    case_id = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), petitioner=Person(name="邓月薇", sex="女"),
        concerned=Person(name="尹冬霞", sex="女", birth_date=dt.date(2015, 4, 1)), headcount=1, township="东山镇",
        village="", category="婚姻家庭", subcategory="家庭纠纷", facts="父亲酒后用木棍打伤她的手臂。",
        request="请求保护孩子。", dv=True, safety_risk=True, receiving_staff="王秀兰", respondent_name="尹大海",
        respondent_relation="父母"))[0]
    _order, doc_id = orders.apply(ctx, case_id, application(respondent="尹大海", respondent_relation="父亲"))
    d = kept.get(ctx.db, doc_id)
    assert d is not None
    rows = [tuple(r) for r in d.content["rows"]]  # type: ignore[union-attr]
    assert rows[0] == ("申请人", "尹冬霞") and ("法定代理人", "邓月薇") in rows
    assert d.content["signers"] == ["申请人（签名或捺印）：", "法定代理人（签名或捺印）："]
    adult = orders.apply(ctx, dv_petition(ctx), application())[1]
    assert ("法定代理人", "邓月薇") not in [tuple(r) for r in kept.get(ctx.db, adult).content["rows"]]  # type: ignore[union-attr]


def test_the_reports_due_are_read_from_small_indexes_with_the_same_cases(ctx: Context) -> None:
    """Issue 22: at 100,000 cases the reports still to make took a third of a second after sign-in, reading every
    open case's row, her row and her petition. They are now read from the partial indexes of migration 0027 —
    and are exactly the cases the plain query finds (open, about domestic violence by any kind's record, a minor
    or 60 and over on the day the case came, no report recorded; and the reports recorded and not made). Since
    migration 0040 the open cases' index holds each case's kind, and only that kind's index is looked in."""
    from fulian_desktop.demo import generate as demo
    from fulian_desktop.store import mandatory_reports as reports_store
    from fulian_desktop.store.protection import DV_CONDITION, DV_CONDITION_BY_KIND, DV_CONDITION_INDEXED

    demo.generate(ctx, 300, seed=7)
    minor = dv_petition(ctx, birth=dt.date(2010, 6, 1), received=ctx.today())
    dv_petition(ctx, birth=dt.date(2010, 6, 1), dv=False, received=ctx.today())
    elderly = dv_petition(ctx, birth=dt.date(1950, 1, 1), received=ctx.today())
    asked = dv_petition(ctx, received=ctx.today())
    mandatory_reports.mark_required(ctx, asked, "disabled", ctx.today())
    # the condition read from the indexes holds for the same cases, of every kind
    dv_cases = [ctx.db.execute(f"SELECT c.id, c.kind FROM cases c WHERE {condition} ORDER BY c.id").fetchall()
                for condition in (DV_CONDITION, DV_CONDITION_INDEXED, DV_CONDITION_BY_KIND)]
    assert dv_cases[0] == dv_cases[1] == dv_cases[2]
    assert {k for _, k in dv_cases[0]} >= {"petition", "referral", "mediation"}
    plain = ctx.db.execute(
        f"""SELECT c.id, c.case_no, c.names, m.found_on FROM mandatory_reports m JOIN cases c ON c.id = m.case_id
            WHERE m.reported_on IS NULL
            UNION ALL
            SELECT c.id, c.case_no, c.names, c.received_on FROM cases c JOIN people pe ON pe.id = c.person_id
            WHERE c.is_open = 1 AND pe.birth_date IS NOT NULL AND {reports_store._AGED}
              AND NOT EXISTS (SELECT 1 FROM mandatory_reports m WHERE m.case_id = c.id) AND ({DV_CONDITION})
            ORDER BY 4, 1""").fetchall()
    asked_sql: list[str] = []
    ctx.db.conn.set_trace_callback(asked_sql.append)
    try:
        found = reports_store.unreported(ctx.db, DV_CONDITION_BY_KIND)
    finally:
        ctx.db.conn.set_trace_callback(None)
    assert {r[0] for r in plain} >= {minor, elderly, asked}
    assert sorted(found) == sorted((r[0], r[1], r[2], dt.date.fromisoformat(r[3])) for r in plain)
    plan = " / ".join(str(r[3]) for r in ctx.db.execute("EXPLAIN QUERY PLAN " + asked_sql[-1]).fetchall())
    # (a case's row is read only for the cases found, for their number and names: SQLite defers that read)
    for index in ("SCAN c USING INDEX cases_open_people", "COVERING INDEX people_born", "COVERING INDEX petitions_dv",
                  "INDEX referrals_dv", "COVERING INDEX mediations_dv"):
        assert index in plan, plan
