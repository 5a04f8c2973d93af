"""Correcting saved petitions and referrals (修改), people corrected once for all their cases, and the 主任
undoing a status step pressed by mistake — through the services, as the window and the command line call them."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from fulian_desktop.domain import corrections as rules
from fulian_desktop.domain.corrections import CASE_ONLY, EVERYWHERE, Correction, ReasonRequired, ScopeQuestion
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Referral
from fulian_desktop.services import audit, cases, organisations, people, petitions, printing, referrals, undo
from fulian_desktop.services.context import Context
from fulian_desktop.store.audit import AuditFilter

ID = make_id_number("430521", dt.date(1988, 7, 3), 24, female=True)
OTHER_ID = make_id_number("430521", dt.date(1990, 1, 9), 42, female=True)


def intake(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="石桥村",
                 petitioner=Person(name="柳如烟", id_number=ID, phone="13800138000", address="东山镇石桥村三组"),
                 concerned=None, category="婚姻家庭", subcategory="离婚问题", facts="丈夫长期不回家，要求离婚。",
                 request="咨询离婚", dv=False, safety_risk=False, receiving_staff="李堃")
    for key, value in changes.items():
        setattr(p, key, value)
    return p


def register(ctx: Context, **changes: object) -> int:
    return petitions.register(ctx, intake(**changes))[0]


def form_of(ctx: Context, case_id: int) -> Petition:
    """What the form holds when 修改 opens it: the petition as saved."""
    return copy.deepcopy(petitions.get(ctx, case_id))


def last_entry(ctx: Context, case_id: int) -> audit.Entry:
    return audit.page(ctx, AuditFilter(case_id=case_id), limit=1)[0]


# --- the rules ------------------------------------------------------------------------------------------


def test_compare_lists_only_what_changed_in_the_labels_order() -> None:
    labels = {"phone": "联系电话", "received_on": "收到日期", "dv": "家庭暴力", "facts": "事情经过"}
    old = {"phone": "13800138000", "received_on": dt.date(2026, 3, 2), "dv": False, "facts": "同样 "}
    new = {"facts": "同样", "dv": True, "received_on": dt.date(2026, 3, 1), "phone": "13900139000"}
    assert rules.compare(old, new, labels) == [
        Correction("phone", "联系电话", "13800138000", "13900139000"),
        Correction("received_on", "收到日期", "2026年3月2日", "2026年3月1日"),
        Correction("dv", "家庭暴力", "否", "是"),
    ]


def test_the_timeline_line_masks_id_numbers_and_phones() -> None:
    changes = [Correction("petitioner.phone", "联系电话", "13800138000", "13900139000"),
               Correction("petitioner.id_number", "身份证号", ID, OTHER_ID),
               Correction("facts", "事情经过", "她说电话是13700137000，住在东山镇石桥村三组", "")]
    note = rules.timeline_note(changes, "登记错误")
    assert note.startswith("更正：联系电话 138****8000→139****9000；身份证号 ")
    assert ID not in note and OTHER_ID not in note and "13700137000" not in note
    assert "137****7000" in note and "事情经过" in note and "→（空）" in note
    assert note.endswith("，原因：登记错误")
    assert rules.timeline_note(changes[:1], "") == "更正：联系电话 138****8000→139****9000"


def test_a_reason_is_needed_once_something_official_rests_on_the_record() -> None:
    assert not rules.needs_reason()
    assert rules.needs_reason(printed=True) and rules.needs_reason(signed=True) and rules.needs_reason(closed="已办结")
    with pytest.raises(ReasonRequired) as e:
        rules.check_reason("  ", rules.grounds(printed=True, closed="已办结"))
    assert e.value.errors == {"reason": "这件案件已打印、已办结，更正需写明原因"}
    assert rules.check_reason(" 登记 错误 ", ["已打印"]) == "登记 错误"
    assert rules.check_reason("", []) == ""


def test_names_are_renamed_whole() -> None:
    assert rules.rename_in("张三（代李四）", "李四", "李思") == "张三（代李思）"
    assert rules.rename_in("张三丰、张三", "张三", "张山") == "张三丰、张山"


# --- petitions ------------------------------------------------------------------------------------------


def test_a_new_phone_writes_that_field_only_and_the_timeline_says_so_masked(ctx: Context) -> None:
    case_id = register(ctx)
    before = petitions.get(ctx, case_id)
    form = form_of(ctx, case_id)
    form.petitioner.phone = "13900139000"
    changes = petitions.correct(ctx, case_id, form)
    assert changes == [Correction("petitioner.phone", "联系电话", "13800138000", "13900139000")]
    after = petitions.get(ctx, case_id)
    assert after.petitioner.phone == "13900139000"
    assert after.case_no == before.case_no
    assert after.timeline[-1].action == "更正"
    assert after.timeline[-1].note == "更正：联系电话 138****8000→139****9000"
    # the audit trail: one entry 更正, whose record history holds the old and new phone and nothing else changed
    entry = last_entry(ctx, case_id)
    assert entry.event == "case.correct" and entry.operation == "petitions.correct"
    changed = [(c.tbl, c.field, c.old_value, c.new_value) for c in audit.history(ctx, entry.id) if c.op == "U"]
    assert changed == [("people", "phone", "13800138000", "13900139000")]
    assert "修改当事人信息" not in audit.describe(entry)
    # found by her new phone, no longer by the old one
    assert [r.id for r in cases.find(ctx, "13900139000")] == [case_id]
    assert cases.find(ctx, "13800138000") == []


def test_nothing_changed_writes_nothing(ctx: Context) -> None:
    case_id = register(ctx)
    entries = audit.count(ctx, AuditFilter(case_id=case_id))
    assert petitions.correct(ctx, case_id, form_of(ctx, case_id)) == []
    assert audit.count(ctx, AuditFilter(case_id=case_id)) == entries
    assert [t.action for t in petitions.get(ctx, case_id).timeline] == ["登记"]


def test_the_case_number_stays_when_the_receipt_date_moves_to_another_year(ctx: Context) -> None:
    case_id = register(ctx)
    case_no = petitions.get(ctx, case_id).case_no
    form = form_of(ctx, case_id)
    form.received_on = dt.date(2025, 12, 30)
    form.village = "桥头村"
    petitions.correct(ctx, case_id, form)
    p = petitions.get(ctx, case_id)
    assert p.case_no == case_no and p.received_on == dt.date(2025, 12, 30) and p.village == "桥头村"
    # the clock follows the corrected date (15 days to tell her whether it is accepted)
    row = cases.page(ctx, CaseFilter(text=case_no))[0]
    assert row.due_on == dt.date(2026, 1, 14)


def test_the_receipt_date_cannot_move_after_the_acceptance(ctx: Context) -> None:
    case_id = register(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 5))
    form = form_of(ctx, case_id)
    form.received_on = dt.date(2026, 3, 6)
    with pytest.raises(ValidationError) as e:
        petitions.correct(ctx, case_id, form)
    assert "不能晚于受理日期" in e.value.errors["received_on"]


def test_after_printing_a_correction_needs_a_reason_kept_in_timeline_and_audit(ctx: Context) -> None:
    case_id = register(ctx)
    printing.print_case(ctx, case_id)
    form = form_of(ctx, case_id)
    form.petitioner.phone = "13900139000"
    with pytest.raises(ReasonRequired) as e:
        petitions.correct(ctx, case_id, form)
    assert e.value.errors["reason"] == "这件案件已打印，更正需写明原因"
    assert petitions.get(ctx, case_id).petitioner.phone == "13800138000"  # nothing written
    petitions.correct(ctx, case_id, form, reason="登记错误")
    assert petitions.get(ctx, case_id).timeline[-1].note == "更正：联系电话 138****8000→139****9000，原因：登记错误"
    entry = last_entry(ctx, case_id)
    assert entry.details()["reason"] == "登记错误"
    assert "原因：登记错误" in audit.describe(entry)


def test_after_conclusion_a_correction_needs_a_reason(ctx: Context) -> None:
    case_id = register(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    petitions.set_handling(ctx, case_id, "当场答复")
    petitions.conclude(ctx, case_id, "已解释离婚程序", "解释说明", dt.date(2026, 3, 9))
    form = form_of(ctx, case_id)
    form.facts = "丈夫长期不回家，不给生活费，要求离婚。"
    with pytest.raises(ReasonRequired) as e:
        petitions.correct(ctx, case_id, form)
    assert "已办结" in e.value.errors["reason"]
    assert petitions.correct(ctx, case_id, form, reason="补记经过")[0].label == "事情经过"
    assert petitions.get(ctx, case_id).status == "concluded"


def test_a_role_without_the_petition_write_right_is_refused_by_the_service(ctx: Context) -> None:
    case_id = register(ctx)
    form = form_of(ctx, case_id)
    form.petitioner.phone = "13900139000"
    ctx.roles = frozenset({"mediator"})  # reads petitions, may not write them
    try:
        assert petitions.get(ctx, case_id)
        with pytest.raises(PermissionDenied):
            petitions.correct(ctx, case_id, form)
    finally:
        ctx.roles = None
    assert petitions.get(ctx, case_id).petitioner.phone == "13800138000"


def test_her_phone_corrected_once_is_seen_in_all_her_cases(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    first = register(ctx)
    clock.advance(3)
    second = register(ctx, received_on=dt.date(2026, 3, 12), facts="又来反映：丈夫威胁她。")
    assert petitions.get(ctx, first).petitioner.id == petitions.get(ctx, second).petitioner.id
    form = form_of(ctx, first)  # corrected on the older case: a phone is hers, in every case
    form.petitioner.phone = "13900139000"
    form.petitioner.name = "柳茹烟"
    petitions.correct(ctx, first, form)
    for case_id in (first, second):
        p = petitions.get(ctx, case_id)
        assert (p.petitioner.phone, p.petitioner.name) == ("13900139000", "柳茹烟")
    assert {r.id for r in cases.find(ctx, "13900139000")} == {first, second}
    assert {r.names for r in cases.page(ctx, CaseFilter())} == {"柳茹烟"}
    # the change is told where made (her second petition, within 12 months, was flagged 重复信访 at intake)
    assert [t.action for t in petitions.get(ctx, second).timeline] == ["登记", "重复信访"]


def test_an_older_cases_address_asks_whether_for_that_case_only(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    first = register(ctx)
    clock.advance(3)
    second = register(ctx, received_on=dt.date(2026, 3, 12))
    form = form_of(ctx, first)
    form.petitioner.address = "东山镇桥头村五组"
    with pytest.raises(ScopeQuestion) as q:
        petitions.correct(ctx, first, form)
    assert q.value.labels == ["住址"] and "之后还有1件案件" in q.value.message
    petitions.correct(ctx, first, form, scope=CASE_ONLY)
    assert petitions.get(ctx, first).petitioner.address == "东山镇桥头村五组"
    assert petitions.get(ctx, second).petitioner.address == "东山镇石桥村三组"
    assert people.get(ctx, petitions.get(ctx, first).petitioner.id or 0).address == "东山镇石桥村三组"
    # the older case now keeps its own address: correcting it again asks nothing and stays there
    form = form_of(ctx, first)
    form.petitioner.address = "东山镇桥头村六组"
    petitions.correct(ctx, first, form)
    assert petitions.get(ctx, second).petitioner.address == "东山镇石桥村三组"
    # on her latest case it is her address now: no question, every case without its own shows it
    form = form_of(ctx, second)
    form.petitioner.address = "城关镇新华路8号"
    petitions.correct(ctx, second, form)
    assert petitions.get(ctx, second).petitioner.address == "城关镇新华路8号"
    assert petitions.get(ctx, first).petitioner.address == "东山镇桥头村六组"


def test_an_older_cases_address_for_all_her_cases(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    first = register(ctx)
    clock.advance(3)
    second = register(ctx, received_on=dt.date(2026, 3, 12))
    form = form_of(ctx, first)
    form.petitioner.address = "东山镇石桥村四组"
    petitions.correct(ctx, first, form, scope=EVERYWHERE)
    assert {petitions.get(ctx, c).petitioner.address for c in (first, second)} == {"东山镇石桥村四组"}


def test_an_id_number_of_someone_else_on_file_is_refused(ctx: Context) -> None:
    register(ctx, petitioner=Person(name="白素", id_number=OTHER_ID))
    case_id = register(ctx)
    form = form_of(ctx, case_id)
    form.petitioner.id_number, form.petitioner.birth_date = OTHER_ID, None
    with pytest.raises(ValidationError) as e:
        petitions.correct(ctx, case_id, form)
    assert "白素" in e.value.errors["petitioner.id_number"]


def test_the_woman_concerned_added_by_a_correction(ctx: Context) -> None:
    case_id = register(ctx)
    form = form_of(ctx, case_id)
    form.concerned = Person(name="柳小妹", phone="13700137000")
    changes = petitions.correct(ctx, case_id, form)
    assert changes == [Correction("concerned", "当事妇女", "", "柳小妹")]
    p = petitions.get(ctx, case_id)
    assert p.concerned is not None and p.concerned.name == "柳小妹"
    assert cases.page(ctx, CaseFilter())[0].names == "柳如烟（代柳小妹）"
    assert [r.id for r in cases.find(ctx, "柳小妹")] == [case_id]


# --- undoing the last status step ---------------------------------------------------------------------


def test_the_director_undoes_an_acceptance_pressed_by_mistake(ctx: Context) -> None:
    case_id = register(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 9))
    step = undo.last_step(ctx, case_id)
    assert step is not None and step.action == "受理" and not step.blocked
    assert (step.from_status, step.to_status) == ("registered", "accepted")
    with pytest.raises(ValidationError):
        undo.undo_last_step(ctx, case_id, " ")
    undo.undo_last_step(ctx, case_id, "误点了受理，应为不予受理")
    p = petitions.get(ctx, case_id)
    assert p.status == "registered" and p.accepted_on is None and p.told_on is None
    assert [t.action for t in p.timeline] == ["登记", "受理", "撤销上一步"]
    assert p.timeline[-1].note == "撤销“受理”（已受理→已登记），原因：误点了受理，应为不予受理"
    row = cases.page(ctx, CaseFilter())[0]  # the clock is the acceptance clock again
    assert (row.due_label, row.due_on) == ("告知是否受理", dt.date(2026, 3, 17))
    entry = last_entry(ctx, case_id)
    assert entry.event == "case.undo" and entry.details()["reason"] == "误点了受理，应为不予受理"
    # now 不予受理 as it should have been
    petitions.refuse(ctx, case_id, "不属于妇联受理范围", dt.date(2026, 3, 10))
    assert petitions.get(ctx, case_id).status == "refused"


def test_only_the_last_step_and_only_once(ctx: Context) -> None:
    case_id = register(ctx)
    assert undo.last_step(ctx, case_id) is None
    with pytest.raises(RuleError):
        undo.undo_last_step(ctx, case_id, "x")
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    petitions.set_handling(ctx, case_id, "当场答复")
    undo.undo_last_step(ctx, case_id, "办理方式登记错了")
    p = petitions.get(ctx, case_id)
    assert p.status == "accepted" and p.handling == "" and p.accepted_on == dt.date(2026, 3, 3)
    step = undo.last_step(ctx, case_id)
    assert step is not None and "不能再撤销" in step.blocked
    with pytest.raises(RuleError):
        undo.undo_last_step(ctx, case_id, "再撤销一次")
    assert petitions.get(ctx, case_id).status == "accepted"


def test_only_the_director_undoes(ctx: Context) -> None:
    case_id = register(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    ctx.roles = frozenset({"window"})
    try:
        with pytest.raises(PermissionDenied):
            undo.undo_last_step(ctx, case_id, "误点")
        with pytest.raises(PermissionDenied):
            undo.last_step(ctx, case_id)
    finally:
        ctx.roles = None
    assert petitions.get(ctx, case_id).status == "accepted"


# --- referrals ------------------------------------------------------------------------------------------


def referral(ctx: Context, consent: bool = True) -> int:
    r = referrals.new_form(ctx)
    r.applicant = Person(name="陈秀英", phone="13900139000", address="城关镇新华路8号")
    r.township, r.matter, r.facts, r.means = "城关镇", "劳动", "工厂拖欠工资八个月。", "个人诚信承诺"
    r.role, r.legal_state, r.help_kinds = "申请人", "尚未进入程序", ["仲裁代理"]
    r.organisation, r.papers, r.staff = organisations.directory(ctx)[0], ["身份证"], "李堃"
    r.consent = Consent(on=ctx.today()) if consent else None
    return referrals.refer(ctx, r)[0]


def referral_form(ctx: Context, case_id: int) -> Referral:
    return copy.deepcopy(referrals.get(ctx, case_id))


def test_a_referral_corrected_field_by_field_her_consent_untouched(ctx: Context) -> None:
    case_id = referral(ctx)
    before = referrals.get(ctx, case_id)
    form = referral_form(ctx, case_id)
    form.applicant.phone = "13700137000"
    form.opponent_name = "某某电子厂"
    form.household_income = 3_600_000
    form.consent = None  # the form does not carry it: a correction leaves it as recorded
    changes = referrals.correct(ctx, case_id, form)
    assert [c.label for c in changes] == ["对方当事人", "家庭年收入", "联系电话"]
    assert changes[1] == Correction("household_income", "家庭年收入", "", "¥36,000.00")
    after = referrals.get(ctx, case_id)
    assert (after.case_no, after.consent, after.status) == (before.case_no, before.consent, before.status)
    assert (after.applicant.phone, after.opponent_name, after.household_income) == ("13700137000", "某某电子厂",
                                                                                     3_600_000)
    assert after.timeline[-1].note.startswith("更正：对方当事人 （空）→某某电子厂；家庭年收入 （空）→¥36,000.00；"
                                              "联系电话 139****9000→137****7000")
    entry = last_entry(ctx, case_id)
    assert entry.event == "case.correct" and entry.operation == "referrals.correct"
    changed = sorted((c.tbl, c.field) for c in audit.history(ctx, entry.id) if c.op == "U")
    assert changed == [("people", "phone"), ("referrals", "household_income"), ("referrals", "opponent_name")]


def test_another_organisation_is_copied_in_and_the_printed_letter_asks_a_reason(ctx: Context) -> None:
    case_id = referral(ctx)
    printing.print_case(ctx, case_id)
    other = organisations.directory(ctx)[1]
    form = referral_form(ctx, case_id)
    form.organisation = other
    with pytest.raises(ReasonRequired) as e:
        referrals.correct(ctx, case_id, form)
    assert e.value.errors["reason"] == "这件案件已打印，更正需写明原因"
    referrals.correct(ctx, case_id, form, reason="选错了接收机构")
    r = referrals.get(ctx, case_id)
    assert r.organisation is not None and (r.organisation.id, r.organisation.name) == (other.id, other.name)
    assert r.timeline[-1].note.endswith("，原因：选错了接收机构")
    assert other.name in cases.page(ctx, CaseFilter(kind="referral"))[0].summary


def test_a_role_without_the_referral_write_right_cannot_correct(ctx: Context) -> None:
    case_id = referral(ctx)
    form = referral_form(ctx, case_id)
    form.facts = "改过的经过"
    ctx.roles = frozenset({"mediator"})
    try:
        with pytest.raises(PermissionDenied):
            referrals.correct(ctx, case_id, form)
    finally:
        ctx.roles = None
    assert referrals.get(ctx, case_id).facts == "工厂拖欠工资八个月。"


def test_a_concluded_referral_needs_a_reason(ctx: Context) -> None:
    case_id = referral(ctx)
    referrals.accept(ctx, case_id, ctx.today(), "张律师")
    referrals.conclude(ctx, case_id, "调解结案", "", ctx.today())
    form = referral_form(ctx, case_id)
    form.request = "追讨工资"
    with pytest.raises(ReasonRequired) as e:
        referrals.correct(ctx, case_id, form)
    assert "已办结" in e.value.errors["reason"]


def test_an_answer_whose_lawyer_was_changed_since_is_not_undone(ctx: Context) -> None:
    case_id = referral(ctx)
    referrals.accept(ctx, case_id, ctx.today(), "张律师")
    assert not undo.last_step(ctx, case_id).blocked  # type: ignore[union-attr]
    referrals.assign_lawyer(ctx, case_id, "王律师")
    step = undo.last_step(ctx, case_id)
    assert step is not None and "之后又修改过" in step.blocked
    with pytest.raises(RuleError):
        undo.undo_last_step(ctx, case_id, "误点")
    assert referrals.get(ctx, case_id).status == "accepted"


def test_a_referral_answer_undone_restarts_its_seven_day_clock(ctx: Context) -> None:
    case_id = referral(ctx)
    referrals.accept(ctx, case_id, ctx.today(), "张律师")
    undo.undo_last_step(ctx, case_id, "接收机构其实还没有答复")
    r = referrals.get(ctx, case_id)
    assert (r.status, r.answered_on, r.lawyer) == ("referred", None, "")
    row = cases.page(ctx, CaseFilter(kind="referral"))[0]
    assert row.due_label == "答复是否受理" and row.due_on == ctx.today() + dt.timedelta(days=7)


def test_the_audit_trail_says_what_was_undone_and_why(ctx: Context) -> None:
    case_id = register(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    step = undo.undo_last_step(ctx, case_id, "误点")
    text = audit.describe(last_entry(ctx, case_id))
    assert "状态：已受理 → 已登记" in text and f"撤销第{step.entry_id}条记录的状态变更" in text and "原因：误点" in text


def test_the_case_put_on_the_person_already_on_file_and_the_woman_concerned_taken_off(ctx: Context) -> None:
    other = register(ctx, petitioner=Person(name="白素", id_number=OTHER_ID, phone="13600136000"))
    her = petitions.get(ctx, other).petitioner
    case_id = register(ctx, concerned=Person(name="柳小妹"))
    form = form_of(ctx, case_id)
    form.petitioner = copy.deepcopy(her)  # 是同一人，关联: the form now shows her as on file
    form.concerned = None
    changes = petitions.correct(ctx, case_id, form)
    assert [(c.label, c.old, c.new) for c in changes] == [("信访人", "柳如烟", "白素（档案中已有的人）"),
                                                          ("当事妇女", "柳小妹", "")]
    p = petitions.get(ctx, case_id)
    assert (p.petitioner.id, p.concerned) == (her.id, None)
    assert {r.id for r in cases.find(ctx, "白素")} == {other, case_id}
    assert cases.find(ctx, "柳小妹") == []
    assert [c["id"] for c in people.history(ctx, her.id or 0)] == [case_id, other]


def test_every_entry_of_a_correction_carries_its_reason(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    first = register(ctx)
    clock.advance(1)
    second = register(ctx, received_on=dt.date(2026, 3, 11))
    printing.print_case(ctx, first)
    form = form_of(ctx, first)
    form.petitioner.name = "柳茹烟"  # her name in both cases' list names, her record once
    petitions.correct(ctx, first, form, reason="身份证上是茹")
    entries = [e for e in audit.page(ctx, AuditFilter(), limit=10) if e.operation == "petitions.correct"]
    assert {(e.event, e.case_id) for e in entries} == {("case.correct", first), ("case.correct", second),
                                                       ("person.change", None)}
    assert all(e.details()["reason"] == "身份证上是茹" for e in entries)
    person = next(e for e in entries if e.event == "person.change")
    assert [(c.field, c.old_value, c.new_value) for c in audit.history(ctx, person.id) if c.field == "name"] == [
        ("name", "柳如烟", "柳茹烟")]
