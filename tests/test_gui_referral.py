"""A staff member refers a woman for legal aid, driving the real widgets: from a petition (tick the papers,
be stopped printing without her consent, record it, print, record 已受理 and 已办结), directly for a
woman who walks in (and sees the 7-day warning when no answer comes), and the organisation directory.
Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.referrals.organisations_dialog import OrganisationsDialog
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.gui.referrals.referral_view import ReferralView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text

ID = make_id_number("439021", dt.date(1992, 4, 8), 12, female=True)
FACTS = "丈夫赵某酗酒后多次殴打，2026年2月在家中再次动手，派出所出具了告诫书。"


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


def tick(qtbot, box: QCheckBox) -> None:  # type: ignore[no-untyped-def]
    before = box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on its box
    assert box.isChecked() != before


def last_dialog(view: ReferralView) -> ActionDialog:
    return view.findChildren(ActionDialog)[-1]


def header(view: ReferralView) -> str:
    return view.header.text()


def register_petition(ctx: Context) -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 9),
        petitioner=Person(name="王小红", id_number=ID, phone="13800138000", address="东山镇石桥村三组18号"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭暴力",
        facts=FACTS, request="要求离婚，并申请人身安全保护令。", dv=True, safety_risk=False, receiving_staff="李堃",
        respondent_name="赵某", respondent_relation="丈夫"))[0]


def open_from_list(qtbot, window: MainWindow, query: str) -> object:  # type: ignore[no-untyped-def]
    lst = window.case_list
    window.tabs.setCurrentWidget(lst)
    lst.search.clear()
    type_text(qtbot, lst.search, query)
    lst.apply()
    assert lst.model.rowCount() >= 1
    lst.table.setFocus()
    lst.table.selectRow(0)
    qtbot.keyClick(lst.table, Qt.Key.Key_Return)
    return window.tabs.currentWidget()


def test_refer_a_petition_consent_print_and_answer(qtbot, window: MainWindow, ctx: Context, clock,  # type: ignore[no-untyped-def]
                                                   warnings: list[str]) -> None:
    register_petition(ctx)
    window.refresh()
    view = open_from_list(qtbot, window, "王小红")
    assert isinstance(view, PetitionView)
    assert view.refer_button.isEnabled()
    qtbot.mouseClick(view.refer_button, Qt.MouseButton.LeftButton)
    form = view.findChildren(ReferralForm)[-1]
    assert form.isVisible()
    # she and her story are carried over
    assert form.applicant.name.text() == "王小红" and form.applicant.phone.text() == "13800138000"
    assert form.applicant.id_number.text() == ID
    assert form.facts.toPlainText() == FACTS
    assert form.victim_of.boxes["家庭暴力"].isChecked()
    assert "第三十二条" in form.exemption.text() and not form.means.isEnabled()
    assert form.banner.isVisible() and "信访〔2026〕第0001号" in form.banner.text()
    assert form.accept_petition.isChecked()
    assert "✔ 已关联" in " ".join(lbl.text() for lbl in form.matches.findChildren(type(form.summary)))

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible(), "an incomplete referral must not be saved"
    assert "接收机构" in form.form.boxes["organisation"].error()
    assert "身份" in form.cform.boxes["role"].error()
    assert "需要修改" in form.summary.text()
    assert form.facts.toPlainText() == FACTS  # nothing typed is lost

    choose(form.organisation, "县法律援助中心")
    assert "12348" in form.form.boxes["organisation"].message.text()
    choose(form.role, "原告")
    choose(form.legal_state, "尚未进入程序")
    tick(qtbot, form.help_kinds.boxes["诉讼代理"])
    assert form.help_kinds.boxes["申请人身安全保护令"].isChecked()  # her request asked for one
    for paper in ("身份证", "户口簿", "告诫书或报警回执"):
        tick(qtbot, form.papers.boxes[paper])
    type_text(qtbot, form.papers_other, "验伤照片4张")
    qtbot.keyClicks(form.staff_phone, "0734-8123456")
    assert not form.consent.isChecked()
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    case_id, case_no = saved.args
    assert case_no == "援转〔2026〕第0001号"
    ref = window.tabs.currentWidget()
    assert isinstance(ref, ReferralView) and ref.case_id == case_id
    assert "待本人同意" in header(ref) and "同意前不能打印" in header(ref)
    assert "免予经济困难审查" in header(ref)

    # the petition now says where she went
    assert "办理中" in view.header.text()
    assert any("援转〔2026〕第0001号" in view.related.item(i).text() for i in range(view.related.count()))

    # printing without her consent is stopped, with the reason
    qtbot.mouseClick(ref.print_button, Qt.MouseButton.LeftButton)
    assert warnings and "登记本人同意" in warnings[-1]
    assert window.last_preview is None

    qtbot.mouseClick(ref.consent_button, Qt.MouseButton.LeftButton)
    d = last_dialog(ref)
    choose(d.form.boxes["consent_by"].editor, "法定代理人或近亲属")  # type: ignore[arg-type]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and "同意人" in d.form.boxes["consent_name"].error()
    choose(d.form.boxes["consent_by"].editor, "本人")  # type: ignore[arg-type]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "已转介" in header(ref) and "7天内应答复是否受理" in header(ref)
    assert not ref.consent_button.isEnabled() and ref.accept_button.isEnabled()

    qtbot.mouseClick(ref.print_button, Qt.MouseButton.LeftButton)
    preview = window.last_preview
    assert preview is not None and preview.document.pageCount() == 2
    assert preview.suggested_name == "法律援助转介函_王小红_2026-03-10.pdf"
    pdf = pdfium.PdfDocument(preview.pdf)
    text = "".join(pdf[0].get_textpage().get_text_range().split())
    assert "法律援助转介函" in text and "县法律援助中心：" in text and "王小红" in text and ID in text
    assert "回执" in text and "沿此线剪开" in text and "验伤照片4张" in text
    image = pdf[0].render(scale=0.5).to_pil().convert("L")
    assert sum(image.histogram()[:128]) > 1000
    pdf.close()
    preview.close()

    # the centre answers two days later, and the legal aid ends in a judgment
    clock.advance(2)
    qtbot.mouseClick(ref.accept_button, Qt.MouseButton.LeftButton)
    d = last_dialog(ref)
    type_text(qtbot, d.form.boxes["lawyer"].editor, "周律师")
    qtbot.keyClicks(d.form.boxes["lawyer_phone"].editor, "13700137000")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "已受理" in header(ref)
    assert ref.conclude_button.isEnabled() and not ref.accept_button.isEnabled()

    clock.advance(20)
    qtbot.mouseClick(ref.conclude_button, Qt.MouseButton.LeftButton)
    d = last_dialog(ref)
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and "办理结果" in d.form.boxes["result"].error()
    choose(d.form.boxes["result"].editor, "判决")  # type: ignore[arg-type]
    type_text(qtbot, d.form.boxes["result_note"].editor, "法院判决准予离婚，女儿随母亲生活。")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "已办结" in header(ref)
    entries = [ref.timeline.item(i).text() for i in range(ref.timeline.count())]
    for action in ("【登记转介】", "【本人同意】", "【已受理】", "【已办结】"):
        assert any(action in e for e in entries), action
    assert any("转介后第2天答复" in e and "周律师" in e for e in entries)

    # her history and the petition's timeline know what became of it
    view.reload()
    notes = [view.timeline.item(i).text() for i in range(view.timeline.count())]
    assert any("法律援助已办结（判决）" in n for n in notes)
    found = open_from_list(qtbot, window, "周律师")
    assert found is ref


def test_a_woman_walks_in_and_the_unanswered_referral_is_flagged_after_seven_days(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock) -> None:
    window.ui.actionNewReferral.trigger()
    form = window.last_referral_form
    assert form is not None and form.isVisible() and not form.banner.isVisible()
    type_text(qtbot, form.applicant.name, "陈秀英")
    form.applicant.name.editingFinished.emit()
    qtbot.keyClicks(form.applicant.phone, "13900139000")
    choose(form.township, "城关镇")
    choose(form.organisation, "城关镇司法所")
    choose(form.matter, "劳动")
    choose(form.role, "申请人")
    choose(form.legal_state, "尚未进入程序")
    tick(qtbot, form.help_kinds.boxes["仲裁代理"])
    type_text(qtbot, form.facts, "工厂拖欠工资八个月，老板避而不见。")
    assert form.means.isEnabled()
    choose(form.means, "个人诚信承诺")
    qtbot.keyClicks(form.household_income, "12,000.5")
    tick(qtbot, form.consent)
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    ref = window.tabs.currentWidget()
    assert isinstance(ref, ReferralView)
    assert "已转介" in header(ref) and "7天内应答复是否受理" in header(ref)
    assert ref.referral.household_income == 1_200_050

    clock.advance(9)
    window.refresh()
    ref.reload()
    assert "已转介9天仍未答复，超过法定七日" in header(ref)
    assert "#a61b1b" in header(ref)  # in red
    window.tabs.setCurrentWidget(window.dashboard)
    assert window.dashboard.overdue_button.text() == "已逾期 1 件"
    first = window.dashboard.due_table.rows()[0]  # 案件编号, 当事人, 待办事项, 到期日, 时限
    assert first[0] == "援转〔2026〕第0001号" and "陈秀英" in first[1]
    assert first[2:] == ["答复是否受理", "2026年3月17日", "逾期2天"]
    qtbot.mouseClick(window.dashboard.overdue_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.case_list
    assert window.case_list.model.rowCount() == 1
    assert window.case_list.model.index(0, 0).data() == "援转〔2026〕第0001号"


def test_the_organisation_directory_is_edited_from_the_settings_menu(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.ui.actionOrganisations in window.ui.menuSettings.actions()
    window.ui.actionOrganisations.trigger()
    d = window.findChildren(OrganisationsDialog)[-1]
    rows = d.table.rowCount()
    assert rows >= 4 and d.table.item(0, 0).text() == "县法律援助中心"
    qtbot.mouseClick(d.add_button, Qt.MouseButton.LeftButton)
    edit = d.findChildren(ActionDialog)[-1]
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert edit.isVisible() and "机构名称" in edit.form.boxes["name"].error()
    type_text(qtbot, edit.form.boxes["name"].editor, "县妇女儿童维权律师服务站")
    choose(edit.form.boxes["kind"].editor, "其他")  # type: ignore[arg-type]
    qtbot.keyClicks(edit.form.boxes["phone"].editor, "0734-8123456")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert not edit.isVisible()
    assert d.table.rowCount() == rows + 1
    assert d.table.item(d.table.currentRow(), 0).text() == "县妇女儿童维权律师服务站"

    # stop using the law firm: it is no longer offered on the referral form
    for r in range(d.table.rowCount()):
        if d.table.item(r, 0).text() == "县明理律师事务所":
            d.table.selectRow(r)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, *_a: asked.append(text) or True)
    assert d.toggle_button.text() == "停用"
    qtbot.mouseClick(d.toggle_button, Qt.MouseButton.LeftButton)
    assert asked and "县明理律师事务所" in asked[0]
    assert d.table.item(d.table.currentRow(), 5).text() == "已停用"
    d.close()
    form = window.new_referral()
    offered = [form.organisation.itemText(i) for i in range(form.organisation.count())]
    assert "县妇女儿童维权律师服务站（其他）" in offered and "县明理律师事务所" not in offered
