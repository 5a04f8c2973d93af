"""Legal-aid referral services on a real database: refer from a petition in one step or directly, consent,
the answers, the clock on the start page, search and history, the organisation directory, and the
printed letter with its receipt (text read back, a page rendered). Every person here is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fulian_desktop import documents
from fulian_desktop.domain.errors import NotFound, RuleError, ValidationError
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Organisation, Referral
from fulian_desktop.services import cases, organisations, people, petitions, printing, referrals
from fulian_desktop.services.context import Context
from fulian_desktop.store import migrate

from .pdf_layout import flat, page_texts

ID = make_id_number("439021", dt.date(1992, 4, 8), 12, female=True)
FACTS = "丈夫赵某酗酒后多次殴打，2026年2月在家中再次动手，派出所出具了告诫书。"


def petition(ctx: Context, **changes: object) -> int:
    p = Petition(channel="来访", received_on=dt.date(2026, 3, 9),
                 petitioner=Person(name="王小红", id_number=ID, phone="13800138000", address="东山镇石桥村三组18号"),
                 concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭",
                 subcategory="家庭暴力", facts=FACTS, request="要求离婚，并申请人身安全保护令。", dv=True,
                 safety_risk=False, receiving_staff="李堃", respondent_name="赵某", respondent_relation="丈夫")
    for key, value in changes.items():
        setattr(p, key, value)
    return petitions.register(ctx, p)[0]


def centre(ctx: Context) -> Organisation:
    return organisations.directory(ctx)[0]


def completed(ctx: Context, r: Referral) -> Referral:
    r.role, r.legal_state, r.organisation = "原告", "尚未进入程序", centre(ctx)
    r.help_kinds = r.help_kinds or ["诉讼代理"]
    r.papers = ["身份证", "户口簿"]
    return r


def direct(ctx: Context, **changes: object) -> Referral:
    r = referrals.new_form(ctx)
    r.applicant = Person(name="陈秀英", phone="13900139000")
    r.township, r.matter, r.facts, r.means = "城关镇", "劳动", "工厂拖欠工资八个月。", "个人诚信承诺"
    r = completed(ctx, r)
    for key, value in changes.items():
        setattr(r, key, value)
    return r


# --- the directory ---------------------------------------------------------------------------------


def test_the_directory_starts_with_made_up_entries_and_is_editable(ctx: Context) -> None:
    assert migrate.latest_version() >= 2
    names = [o.name for o in organisations.directory(ctx)]
    assert names[0] == "县法律援助中心" and "城关镇司法所" in names
    kinds = {o.kind for o in organisations.directory(ctx)}
    assert kinds == {"法律援助中心", "司法所", "律师事务所"}

    new_id = organisations.save(ctx, Organisation(name="县妇女儿童维权律师服务站", kind="其他", phone="0734-8123456"))
    assert organisations.get(ctx, new_id).phone == "0734-8123456"
    with pytest.raises(ValidationError, match="同名"):
        organisations.save(ctx, Organisation(name="县法律援助中心", kind="法律援助中心"))
    o = centre(ctx)
    o.contact_person = "刘主任"
    organisations.save(ctx, o)
    assert centre(ctx).contact_person == "刘主任"
    organisations.set_active(ctx, new_id, False)
    assert new_id not in [x.id for x in organisations.directory(ctx)]
    assert new_id in [x.id for x in organisations.directory(ctx, include_inactive=True)]
    with pytest.raises(NotFound):
        organisations.get(ctx, 999)


# --- from a petition, in one step ------------------------------------------------------------------


def test_refer_from_a_petition_carries_her_over_sets_the_handling_and_links_both_ways(ctx: Context) -> None:
    pid = petition(ctx)
    form = referrals.form_from_petition(ctx, pid)
    assert form.applicant.name == "王小红" and form.applicant.phone == "13800138000"
    assert form.facts == FACTS and form.victim_of == ["家庭暴力"] and form.matter == "家庭暴力"
    with pytest.raises(RuleError, match="还没有受理"):
        referrals.refer_from_petition(ctx, pid, completed(ctx, form))
    assert ctx.db.execute("SELECT COUNT(*) FROM referrals").fetchone()[0] == 0

    case_id, case_no = referrals.refer_from_petition(ctx, pid, completed(ctx, form), accept_petition=True)
    assert case_no == "援转〔2026〕第0001号"
    r = referrals.get(ctx, case_id)
    assert r.status == "awaiting_consent" and r.exempt
    assert r.applicant.id == petitions.get(ctx, pid).petitioner.id  # the same person, not a copy
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    p = petitions.get(ctx, pid)
    assert (p.status, p.handling, p.handling_agency) == ("in_progress", "转介法律援助", "县法律援助中心")
    assert p.accepted_on == dt.date(2026, 3, 10)
    assert [c for c, _n, _k in p.links] == [case_id] and [c for c, _n, _k in r.links] == [pid]
    assert any("转介法律援助" in t.note and case_no in t.note for t in p.timeline)
    assert r.timeline[0].action == "登记转介" and "信访〔2026〕第0001号" in r.timeline[0].note

    # she is found by her name, the organisation, the matter and words of the facts; history shows it
    for query in ("王小红", "wxh", "县法律援助中心", "家庭暴力", "派出所出具", ID[-6:], "援转"):
        found = [row.case_no for row in cases.find(ctx, query)]
        assert case_no in found, query
    assert {c["case_no"] for c in people.history(ctx, r.applicant.id)} == {case_no, p.case_no}  # type: ignore[arg-type]


def test_a_concluded_petition_cannot_be_referred_and_nothing_is_written(ctx: Context) -> None:
    pid = petition(ctx)
    petitions.accept(ctx, pid, dt.date(2026, 3, 10))
    petitions.set_handling(ctx, pid, "当场答复")
    petitions.conclude(ctx, pid, "已答复", "解释说明", dt.date(2026, 3, 10))
    assert referrals.can_refer_petition(ctx, pid)
    with pytest.raises(RuleError, match="已办结"):
        referrals.refer_from_petition(ctx, pid, completed(ctx, referrals.form_from_petition(ctx, pid)))
    assert ctx.db.execute("SELECT COUNT(*) FROM cases WHERE kind = 'referral'").fetchone()[0] == 0
    assert ctx.db.execute("SELECT COUNT(*) FROM case_counters WHERE kind = 'referral'").fetchone() == (0,)


def test_an_accepted_petition_is_referred_without_accepting_it_again(ctx: Context) -> None:
    pid = petition(ctx)
    petitions.accept(ctx, pid, dt.date(2026, 3, 9))
    assert referrals.can_refer_petition(ctx, pid) == ""
    referrals.refer_from_petition(ctx, pid, completed(ctx, referrals.form_from_petition(ctx, pid)))
    p = petitions.get(ctx, pid)
    assert p.accepted_on == dt.date(2026, 3, 9) and p.handling == "转介法律援助"
    assert sum(t.action == "受理" for t in p.timeline) == 1


# --- directly, consent, the answers ----------------------------------------------------------------


def test_direct_referral_consent_answers_and_every_step_in_the_timeline(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, case_no = referrals.refer(ctx, direct(ctx, staff_phone="0734-8123456"))
    r = referrals.get(ctx, case_id)
    assert r.status == "awaiting_consent" and not r.exempt and r.means == "个人诚信承诺"
    assert referrals.remembered_staff_phone(ctx, "测试员") == "0734-8123456"
    with pytest.raises(RuleError, match="登记本人同意"):
        printing.print_case(ctx, case_id)
    with pytest.raises(RuleError):
        referrals.accept(ctx, case_id, dt.date(2026, 3, 10))

    referrals.record_consent(ctx, case_id, Consent(on=dt.date(2026, 3, 10), way="口头同意"))
    r = referrals.get(ctx, case_id)
    assert r.status == "referred" and r.sent_on == dt.date(2026, 3, 10)
    referrals.update_papers(ctx, case_id, ["身份证", "户口簿", "证据材料"], "工资条3张")
    clock.advance(3)
    referrals.accept(ctx, case_id, dt.date(2026, 3, 12))
    row = cases.page(ctx, CaseFilter(kind="referral"))[0]
    assert (row.due_on, row.due_label) == (dt.date(2026, 3, 15), "指派承办人")
    referrals.assign_lawyer(ctx, case_id, "周律师", "13700137000")
    assert cases.page(ctx, CaseFilter(kind="referral"))[0].due_on is None
    referrals.add_note(ctx, case_id, "她来电询问进展。")
    referrals.conclude(ctx, case_id, "调解结案", "拿回工资两万元。", dt.date(2026, 3, 13))
    r = referrals.get(ctx, case_id)
    assert r.status == "concluded" and r.result == "调解结案" and r.lawyer == "周律师"
    assert [t.action for t in r.timeline] == ["登记转介", "本人同意", "移送材料", "已受理", "承办人", "备注", "已办结"]
    assert "转介后第2天答复" in r.timeline[3].note
    assert all(t.staff == "测试员" for t in r.timeline)
    assert cases.page(ctx, CaseFilter(kind="referral", status="open")) == []
    assert [x.case_no for x in cases.find(ctx, "周律师")] == [case_no]


def test_refusal_and_withdrawal_close_the_referral(ctx: Context) -> None:
    a, _ = referrals.refer(ctx, direct(ctx, consent=Consent(on=dt.date(2026, 3, 10))))
    referrals.refuse(ctx, a, "不属于法律援助事项范围", dt.date(2026, 3, 10))
    assert referrals.get(ctx, a).status == "refused"
    assert [x.id for x in cases.find(ctx, "不属于法律援助")] == [a]
    b, _ = referrals.refer(ctx, direct(ctx))
    referrals.withdraw(ctx, b, "她决定先请村里调解", dt.date(2026, 3, 10))
    with pytest.raises(RuleError, match="已撤回"):
        printing.print_case(ctx, b)
    open_rows = cases.page(ctx, CaseFilter(kind="referral", status="open"))
    assert open_rows == []
    with pytest.raises(ValidationError):
        referrals.add_note(ctx, a, " ")


def test_a_person_with_the_same_id_number_is_attached_not_duplicated(ctx: Context) -> None:
    petition(ctx)
    case_id, _ = referrals.refer(ctx, direct(ctx, applicant=Person(name="王小红", id_number=ID)))
    r = referrals.get(ctx, case_id)
    assert r.applicant.phone == "13800138000"  # her record, known from the petition
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1


def test_a_stopped_organisation_cannot_be_chosen(ctx: Context) -> None:
    o = centre(ctx)
    assert o.id is not None
    organisations.set_active(ctx, o.id, False)
    with pytest.raises(ValidationError) as err:
        referrals.refer(ctx, direct(ctx, organisation=o))
    assert "停用" in err.value.errors["organisation"]


# --- the 7-day clock on the start page -------------------------------------------------------------


def test_a_referral_unanswered_after_seven_days_is_overdue_on_the_start_page(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, case_no = referrals.refer(ctx, direct(ctx, consent=Consent(on=dt.date(2026, 3, 10))))
    due = cases.due_this_week(ctx)
    assert [(i.row.case_no, i.state, i.text) for i in due] == [(case_no, "due_soon", "7天内应答复是否受理")]
    clock.advance(7)
    assert cases.due_this_week(ctx)[0].text == "今天应答复是否受理"
    assert cases.count(ctx, CaseFilter(due="overdue")) == 0
    clock.advance(2)
    item = cases.due_this_week(ctx)[0]
    assert (item.state, item.text) == ("overdue", "答复是否受理已逾期2天")
    assert [r.case_no for r in cases.page(ctx, CaseFilter(due="overdue"))] == [case_no]
    referrals.accept(ctx, case_id, clock().date(), "周律师")
    assert cases.count(ctx, CaseFilter(due="overdue")) == 0
    assert "超过法定七日" in referrals.get(ctx, case_id).timeline[-1].note


# --- printing --------------------------------------------------------------------------------------


def test_the_letter_its_receipt_and_the_summary_print_with_every_detail(ctx: Context, tmp_path: Path) -> None:
    pid = petition(ctx)
    form = completed(ctx, referrals.form_from_petition(ctx, pid))
    form.staff_phone = "0734-8123456"
    form.papers_other = "验伤照片4张"
    form.consent = Consent(on=dt.date(2026, 3, 10))
    case_id, case_no = referrals.refer_from_petition(ctx, pid, form, accept_petition=True)
    pdf, name = printing.print_case(ctx, case_id)
    assert name == "法律援助转介函_王小红_2026-03-10.pdf"
    pages = page_texts(pdf)
    assert len(pages) == 2
    letter, summary = flat(pages[0]), flat(pages[1])
    assert "法律援助转介函" in letter and "县法律援助中心：" in letter and case_no in letter
    assert "王小红" in letter and ID in letter and "13800138000" in letter
    assert "第三十二条第四项" in letter and "不受经济困难条件的限制" in letter  # the exemption is stated
    assert "七日内作出决定" in letter and "0734-8123456" in letter and "验伤照片4张" in letter
    # the receipt under the cut line, for the centre to fill in
    receipt = letter[letter.index("沿此线剪开"):]
    for word in ("回执", "予以受理", "不予受理", "承办人", "收到日期", "盖章", "年月日"):
        assert word in receipt, word
    assert "法律援助申请表（摘要）" in summary and "王小红" in summary and FACTS in summary
    assert "免予经济困难审查" in summary and "本人，书面签字，2026年3月10日" in summary
    assert "第1页共2页" in letter and "第2页共2页" in summary

    # a page rendered: ink in the letter, the cut line and the receipt
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=1).to_pil().convert("L")
    doc.close()
    assert abs(image.size[0] - 595) <= 1 and abs(image.size[1] - 842) <= 1  # A4 in points
    assert sum(image.histogram()[:128]) > 5000  # dark pixels: the letter is printed
    lower = image.crop((0, 421, image.size[0], image.size[1]))
    assert sum(lower.histogram()[:128]) > 1000  # the receipt is on the same page


def test_documents_refuse_a_referral_without_consent_whatever_the_path(ctx: Context) -> None:
    case_id, _ = referrals.refer(ctx, direct(ctx))
    r = referrals.get(ctx, case_id)
    with pytest.raises(RuleError):
        documents.render_case("referral", r, "县妇联", dt.date(2026, 3, 10))


def test_the_command_line_prints_a_referral_letter(ctx: Context, tmp_path: Path) -> None:
    cli = pytest.importorskip("fulian_desktop.cli.main")
    _, case_no = referrals.refer(ctx, direct(ctx, consent=Consent(on=dt.date(2026, 3, 10))))
    assert ctx.path is not None
    out = tmp_path / "letter.pdf"
    assert cli.main(["print", case_no, "--out", str(out), "--db", str(ctx.path)]) == 0
    assert "法律援助转介函" in flat(page_texts(out.read_bytes())[0])


def test_window_staff_without_settings_rights_can_refer_with_her_phone(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """Remembering the sending officer's phone is part of the referral, not an office setting."""
    from fulian_desktop.services import accounts

    from .conftest import CHEAP_KDF

    path = tmp_path / "w.db"
    owner, _key, _aside = accounts.set_up(
        path, [("boss", "管理员", frozenset({"admin"}), "boss-pass-1", False),
               ("clerk", "测试员", frozenset({"window"}), "clerk-pass-1", False)], clock=clock, kdf=CHEAP_KDF)
    owner.close()
    clerk = accounts.sign_in(path, "clerk", "clerk-pass-1", clock=clock)
    try:
        case_id, _ = referrals.refer(clerk, direct(clerk, staff_phone="0734-8123456"))
        assert referrals.get(clerk, case_id).staff_phone == "0734-8123456"
        assert referrals.remembered_staff_phone(clerk, "测试员") == "0734-8123456"
    finally:
        clerk.close()
