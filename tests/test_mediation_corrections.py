"""Correcting a saved mediation through the services: its details, its parties (person records shared with
their other cases), sessions, investigations, the agreement and return visits — only what changed is
written, the timeline says what (更正：…), a reason is needed once something official rests on it (a printed
document, the outcome, a signed agreement), nothing can be changed once the file is closed (立卷), and a
role without the right to handle mediations is refused by the service. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from fulian_desktop.domain.corrections import ReasonRequired
from fulian_desktop.domain.errors import NotFound, RuleError, ValidationError
from fulian_desktop.domain.mediation import AgreementItem, Closing, Investigation, Party, ReturnVisit
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import audit, mediations, people, petitions, printing
from fulian_desktop.services.context import Context
from fulian_desktop.store.audit import AuditFilter

from .test_mediations import ID, agreement, form, session


def last_entry(ctx: Context, case_id: int) -> audit.Entry:
    return audit.page(ctx, AuditFilter(case_id=case_id), limit=1)[0]


def written(ctx: Context, case_id: int) -> set[str]:
    """The fields the last action on the case wrote (table.field), from the audit trail's history."""
    return {f"{c.tbl}.{c.field}" if c.op == "U" else f"{c.tbl}{'+' if c.op == 'I' else '-'}"
            for c in audit.history(ctx, last_entry(ctx, case_id).id)}


def opened(ctx: Context) -> int:
    return mediations.open_mediation(ctx, form(ctx))[0]


def test_a_correction_writes_only_what_changed_and_says_so_in_the_timeline(ctx: Context) -> None:
    case_id = opened(ctx)
    m = mediations.get(ctx, case_id)
    case_no = m.case_no
    typed = replace(m, facts=m.facts + "双方育有一子。")
    typed.parties[0].person.phone = "13900139000"
    changes = mediations.correct(ctx, case_id, typed)
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("纠纷简要情况", m.facts, m.facts + "双方育有一子。"),
        ("申请人张丽的联系电话", "13800138000", "13900139000")]
    assert written(ctx, case_id) == {"mediations.facts", "cases.summary", "people.phone",
                                     "timeline+"}
    entry = last_entry(ctx, case_id)
    assert entry.event == "case.correct" and "reason" not in entry.details()
    again = mediations.get(ctx, case_id)
    assert again.case_no == case_no and again.applicants[0].person.phone == "13900139000"
    note = again.timeline[-1]
    assert note.action == "更正" and note.note.startswith("更正：纠纷简要情况")
    assert "申请人张丽的联系电话 138****8000→139****9000" in note.note  # masked as the timeline is
    # saving the form unchanged writes nothing
    assert mediations.correct(ctx, case_id, mediations.get(ctx, case_id)) == []
    assert len(mediations.get(ctx, case_id).timeline) == len(again.timeline)


def test_her_phone_corrected_once_is_seen_in_all_her_cases(ctx: Context) -> None:
    pid = petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), petitioner=Person(name="张丽", id_number=ID, phone="13800138000"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭纠纷",
        facts="争吵。", request="调解。", dv=False, safety_risk=False, receiving_staff="周敏"))[0]
    case_id = opened(ctx)  # the same ID number: the same person on file
    m = mediations.get(ctx, case_id)
    assert m.applicants[0].person.id == petitions.get(ctx, pid).petitioner.id
    m.applicants[0].person.phone = "13700137000"
    mediations.correct(ctx, case_id, m)
    assert petitions.get(ctx, pid).petitioner.phone == "13700137000"


def test_parties_added_taken_off_and_renamed_follow_the_case_list(ctx: Context) -> None:
    case_id = opened(ctx)
    m = mediations.get(ctx, case_id)
    m.parties.append(Party(Person(name="王桂芳", sex="女"), "respondent", "务农"))
    changes = mediations.correct(ctx, case_id, m)
    assert [(c.label, c.old, c.new) for c in changes] == [("被申请人", "", "王桂芳")]
    m = mediations.get(ctx, case_id)
    assert [p.person.name for p in m.respondents] == ["李强", "王桂芳"] and m.respondents[1].occupation == "务农"
    assert ctx.db.execute("SELECT names FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "张丽与李强、王桂芳"
    # 李强 was entered by mistake; 王桂芳's name was mistyped, her age was told
    m.parties = [p for p in m.parties if p.person.name != "李强"]
    m.respondents[0].person.name = "王桂兰"
    m.respondents[0].stated_age = 62
    changes = mediations.correct(ctx, case_id, m)
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("被申请人王桂芳的姓名", "王桂芳", "王桂兰"), ("被申请人王桂芳的年龄", "", "62"), ("被申请人", "李强", "")]
    m = mediations.get(ctx, case_id)
    assert [(p.person.name, p.stated_age) for p in m.respondents] == [("王桂兰", 62)]
    assert m.title == "张丽与王桂兰婚姻纠纷"
    assert ctx.db.execute("SELECT names FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "张丽与王桂兰"
    assert [c["case_no"] for c in people.history(ctx, m.respondents[0].person.id or 0)] == [m.case_no]


def test_the_mediations_own_fields_and_mediators_are_checked_as_when_opened(ctx: Context) -> None:
    case_id = mediations.open_mediation(ctx, form(ctx, received_on=ctx.today() - dt.timedelta(days=5)))[0]
    mediations.add_session(ctx, case_id, session(ctx.today() - dt.timedelta(days=2)))
    m = mediations.get(ctx, case_id)
    with pytest.raises(ValidationError) as err:
        mediations.correct(ctx, case_id, replace(m, received_on=ctx.today() - dt.timedelta(days=1)))
    assert "第1次调解" in err.value.errors["received_on"]
    with pytest.raises(ValidationError) as err:
        mediations.correct(ctx, case_id, replace(m, facts=" ", mediator_ids=[]))
    assert set(err.value.errors) == {"facts", "mediators"}
    changes = mediations.correct(ctx, case_id, replace(m, received_on=ctx.today() - dt.timedelta(days=3),
                                                      mediator_ids=m.mediator_ids[:1], dispute_type="抚养"))
    assert [c.label for c in changes] == ["受理日期", "纠纷类型", "人民调解员"]
    again = mediations.get(ctx, case_id)
    assert again.mediator_names == "王秀英" and again.dispute_type == "抚养" and again.case_no == m.case_no
    assert ctx.db.execute("SELECT subcategory, received_on FROM cases WHERE id = ?", [case_id]).fetchone() == (
        "抚养", "2026-03-07")


def test_a_reason_once_a_document_was_printed_or_the_mediation_concluded(ctx: Context) -> None:
    case_id = opened(ctx)
    printing.print_document(ctx, case_id, "registration")
    m = mediations.get(ctx, case_id)
    with pytest.raises(ReasonRequired) as err:
        mediations.correct(ctx, case_id, replace(m, request="请求调解离婚财产分割。"))
    assert err.value.errors == {"reason": "这件案件已打印，更正需写明原因"}
    assert mediations.get(ctx, case_id).request == m.request  # nothing written
    mediations.correct(ctx, case_id, replace(m, request="请求调解离婚财产分割。"), reason="登记时漏写")
    assert mediations.get(ctx, case_id).timeline[-1].note.endswith("，原因：登记时漏写")
    assert last_entry(ctx, case_id).details()["reason"] == "登记时漏写"

    other = opened(ctx)
    mediations.add_session(ctx, other, session(ctx.today()))
    mediations.close(ctx, other, Closing("reconciled", ctx.today(), note="双方和好。"))
    m = mediations.get(ctx, other)
    with pytest.raises(ReasonRequired, match="已结案（和好）"):
        mediations.correct(ctx, other, replace(m, village="河口村"))


def test_sessions_and_investigations_are_corrected_field_by_field(ctx: Context) -> None:
    case_id = opened(ctx)
    first = mediations.add_session(ctx, case_id, session(ctx.today()))
    inv = mediations.add_investigation(ctx, case_id, Investigation(
        held_on=ctx.today(), place="石桥村委会", investigator="王秀英", recorder="刘建国", subject="张桂英",
        subject_role="邻居", content="问：……答：常听到争吵。"))
    s = mediations.get(ctx, case_id).sessions[0]
    changes = mediations.correct_session(ctx, case_id, first, replace(s, place="石桥村调解室", explained=False))
    assert [(c.label, c.old, c.new) for c in changes] == [("第1次调解的调解地点", "调解室", "石桥村调解室"),
                                                          ("第1次调解的已告知权利义务", "是", "否")]
    assert written(ctx, case_id) == {"mediation_sessions.place", "mediation_sessions.explained",
                                     "timeline+"}
    with pytest.raises(ValidationError) as err:
        mediations.correct_session(ctx, case_id, first, replace(s, held_on=ctx.today() + dt.timedelta(days=1),
                                                                 applicant_said=""))
    assert set(err.value.errors) == {"held_on", "applicant_said"}
    with pytest.raises(NotFound):
        mediations.correct_session(ctx, case_id, 9999, s)
    i = mediations.get(ctx, case_id).investigations[0]
    changes = mediations.correct_investigation(ctx, case_id, inv, replace(i, subject="张桂兰"))
    assert [c.label for c in changes] == ["第1次调查的被调查人"]
    assert mediations.get(ctx, case_id).investigations[0].subject == "张桂兰"
    # after the outcome a session is still corrected (with a reason), never dated after the outcome
    mediations.close(ctx, case_id, Closing("reconciled", ctx.today(), note="双方和好。"))
    s = mediations.get(ctx, case_id).sessions[0]
    with pytest.raises(ReasonRequired):
        mediations.correct_session(ctx, case_id, first, replace(s, recorder="周敏"))
    mediations.correct_session(ctx, case_id, first, replace(s, recorder="周敏"), reason="记录人写错")
    assert mediations.get(ctx, case_id).sessions[0].recorder == "周敏"


def test_a_signed_agreement_is_corrected_only_with_a_reason_item_by_item(ctx: Context) -> None:
    case_id = opened(ctx)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement(3)))
    a = mediations.get(ctx, case_id).agreement
    assert a is not None
    corrected = replace(a, items=[a.items[0], replace(a.items[1], due="2026年5月31日前"),
                                  AgreementItem("第3件事", "银行转账", "2026年4月30日前")])
    with pytest.raises(ReasonRequired, match="协议已签订"):
        mediations.correct_agreement(ctx, case_id, corrected)
    changes = mediations.correct_agreement(ctx, case_id, corrected, reason="笔误")
    assert [(c.label, c.new) for c in changes] == [("协议第2项履行期限", "2026年5月31日前"),
                                                   ("协议第3项履行方式", "银行转账"), ("协议第3项履行地点", "")]
    assert written(ctx, case_id) == {"mediation_agreement_items.due", "mediation_agreement_items.how",
                                     "mediation_agreement_items.place", "timeline+"}
    again = mediations.get(ctx, case_id).agreement
    assert again is not None and again.signed_on == ctx.today() and again.items[1].due == "2026年5月31日前"
    shorter = replace(again, items=again.items[:2])
    mediations.correct_agreement(ctx, case_id, shorter, reason="第3项是重复的")
    assert len(mediations.get(ctx, case_id).agreement.items) == 2  # type: ignore[union-attr]


def test_return_visits_moved_without_a_reason_recorded_ones_corrected_with_one(ctx: Context) -> None:
    case_id = opened(ctx)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("reconciled", ctx.today(), note="双方和好。"),
                     visit_on=ctx.today() + dt.timedelta(days=30))
    planned = mediations.get(ctx, case_id).visits[0]
    assert planned.id is not None
    changes = mediations.correct_visit(ctx, case_id, planned.id, replace(planned, due_on=dt.date(2026, 4, 20)))
    assert [(c.label, c.new) for c in changes] == [("计划于2026年4月9日的回访的回访日期", "2026年4月20日")]
    assert ctx.db.execute("SELECT due_on FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "2026-04-20"
    made = mediations.record_visit(ctx, case_id, ReturnVisit(
        due_on=ctx.today(), visited_on=ctx.today(), visitor="王秀英", method="电话", performance="不适用",
        satisfaction="满意", findings="一切正常。"))
    v = next(x for x in mediations.get(ctx, case_id).visits if x.id == made)
    with pytest.raises(ReasonRequired):
        mediations.correct_visit(ctx, case_id, made, replace(v, method="上门"))
    with pytest.raises(ValidationError) as err:
        mediations.correct_visit(ctx, case_id, made, replace(v, violence=True), reason="漏记")
    assert set(err.value.errors) == {"measures"}
    mediations.correct_visit(ctx, case_id, made, replace(v, method="上门"), reason="记错了方式")
    assert next(x for x in mediations.get(ctx, case_id).visits if x.id == made).method == "上门"


def test_nothing_is_corrected_once_the_file_is_closed(ctx: Context) -> None:
    case_id = opened(ctx)
    first = mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement(1)))
    mediations.set_filing(ctx, case_id, "周敏", ctx.today(), "30年")
    m = mediations.get(ctx, case_id)
    assert m.agreement is not None
    for call in (lambda: mediations.correct(ctx, case_id, replace(m, village="河口村"), reason="x"),
                 lambda: mediations.correct_session(ctx, case_id, first, m.sessions[0], reason="x"),
                 lambda: mediations.correct_agreement(ctx, case_id, m.agreement, reason="x")):  # type: ignore[arg-type]
        with pytest.raises(RuleError, match="立卷归档"):
            call()
    assert mediations.get(ctx, case_id).village == "石桥村"


def test_a_role_without_the_right_to_handle_mediations_is_refused(ctx: Context) -> None:
    case_id = opened(ctx)
    m = mediations.get(ctx, case_id)
    window = Context(db=ctx.db, clock=ctx.clock, staff="窗口", roles=frozenset({"window"}), user=ctx.user)
    for call in (lambda: mediations.correct(window, case_id, replace(m, village="河口村")),
                 lambda: mediations.correct_agreement(window, case_id, agreement(1), reason="x")):
        with pytest.raises(PermissionDenied):
            call()
    assert mediations.get(ctx, case_id).village == "石桥村"
