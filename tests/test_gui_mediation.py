"""A staff member of the mediation committee, driving the real widgets: keeps the roster of mediators,
sends a petition to mediation (转调解), records two sessions, closes with an agreement of three items
(after being stopped by an incomplete item), is reminded of the return visit on the start page, records
it, and prints the agreement and the whole file — whose text reads back in the official order.
Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QPlainTextEdit

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mediation import Mediator
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.mediation.mediation_form import MediationForm
from fulian_desktop.gui.mediation.mediation_view import ItemsEditor, MediationView
from fulian_desktop.gui.mediation.mediators_dialog import MediatorsDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import mediations, people, petitions
from fulian_desktop.services.context import Context

from .pdf_layout import flat, page_texts
from .qt_input import type_text

ID = make_id_number("439021", dt.date(1991, 7, 2), 16, female=True)
FACTS = "丈夫李强外出打工回家后，双方常为家庭开支和照顾孩子争吵，女方提出离婚。"
ITEMS = (
    ("李强每月向张丽支付家庭生活费2000元", "银行转账", "每月5日前", ""),
    ("寒暑假由李强照看儿子", "双方协商安排", "自2026年7月起", "李强住处"),
    ("李强不再酗酒，不对张丽实施家庭暴力", "自觉履行，村妇联主席监督", "自协议签订之日起", ""),
)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick_item(qtbot, lst: QListWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Tick an entry of a checkable list on its box, as a user does."""
    for i in range(lst.count()):
        item = lst.item(i)
        if item.text().startswith(text):
            rect = lst.visualItemRect(item)
            qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton,
                             pos=QPoint(rect.left() + 10, rect.center().y()))
            assert item.checkState() == Qt.CheckState.Checked, text
            return
    raise AssertionError(f"{text} not in the list")


def field(d: ActionDialog, name: str):  # type: ignore[no-untyped-def]
    return d.form.boxes[name].editor


def last_dialog(view: MediationView) -> ActionDialog:
    return view.findChildren(ActionDialog)[-1]


def pdf_pages(pdf: bytes) -> list[str]:
    return [flat(t) for t in page_texts(pdf)]


def dark_share(pdf: bytes, page: int) -> float:
    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[page].render(scale=1, grayscale=True)
        pixels = bytes(bitmap.buffer)
        return sum(1 for b in pixels if b < 128) / (bitmap.width * bitmap.height)
    finally:
        doc.close()


def accepted_petition(ctx: Context) -> int:
    case_id = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 9),
        petitioner=Person(name="张丽", id_number=ID, phone="13800138000", address="东山镇石桥村三组18号"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭纠纷",
        facts=FACTS, request="希望调解，保住家庭。", dv=False, safety_risk=False, receiving_staff="周敏",
        respondent_name="李强", respondent_relation="丈夫"))[0]
    petitions.accept(ctx, case_id, dt.date(2026, 3, 9))
    return case_id


def add_mediators(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """设置 → 调解员名册: the committee's file word, two mediators."""
    window.ui.actionMediators.trigger()
    d = window.findChildren(MediatorsDialog)[-1]
    assert d.isVisible()
    d.file_code.clear()
    type_text(qtbot, d.file_code, "东")
    click(qtbot, d.committee_button)
    for name, title in (("王秀英", "专职调解员"), ("刘建国", "兼职调解员")):
        click(qtbot, d.new_button)
        type_text(qtbot, d.name, name)
        choose(d.title, title)
        click(qtbot, d.save_button)
    assert d.table.rowCount() == 2
    click(qtbot, d.new_button)
    type_text(qtbot, d.name, "王秀英")
    click(qtbot, d.save_button)
    assert "已有调解员" in d.form.boxes["name"].error()  # no one twice
    d.close()


def fill_session(qtbot, d: ActionDialog, place: str, applicant: str, respondent: str, result: str,  # type: ignore[no-untyped-def]
                 detail: str) -> None:
    type_text(qtbot, field(d, "place"), place)
    type_text(qtbot, field(d, "applicant_said"), applicant)
    type_text(qtbot, field(d, "respondent_said"), respondent)
    choose(field(d, "result"), result)
    type_text(qtbot, field(d, "result_detail"), detail)


def test_from_petition_to_agreement_visit_and_the_printed_file(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock, warnings: list[str]) -> None:
    petition_id = accepted_petition(ctx)
    add_mediators(qtbot, window)

    # 转调解 on the petition's page: she and her story come along
    view = window.open_case(petition_id)
    assert isinstance(view, PetitionView)
    assert view.mediate_button.isEnabled()
    click(qtbot, view.mediate_button)
    form = view.findChildren(MediationForm)[-1]
    assert form.isVisible() and "信访〔2026〕第0001号" in form.banner.text()
    applicant = form.applicants.parties[0]
    assert applicant.person.name.text() == "张丽" and applicant.person.id_number.text() == ID
    assert form.respondents.parties[0].person.name.text() == "李强"
    assert form.facts.toPlainText() == FACTS
    assert form.source.currentText() == "信访转来" and not form.source.isEnabled()
    assert form.relationship.currentText() == "夫妻"

    # saved without a dispute type and a mediator: told next to the fields, nothing lost
    click(qtbot, form.save_button)
    assert form.isVisible()
    assert "纠纷类型" in form.form.boxes["dispute_type"].error()
    assert "调解员" in form.mform.boxes["mediators"].error()
    assert form.facts.toPlainText() == FACTS
    choose(form.dispute_type, "婚姻")
    tick_item(qtbot, form.mediators.list, "王秀英")
    tick_item(qtbot, form.mediators.list, "刘建国")
    respondent = form.respondents.parties[0]
    qtbot.keyClicks(respondent.age, "38")
    type_text(qtbot, respondent.occupation, "建筑工人")
    type_text(qtbot, applicant.occupation, "务农")
    qtbot.keyClicks(respondent.person.phone, "13700137000")
    with qtbot.waitSignal(form.saved) as saved:
        click(qtbot, form.save_button)
    case_id, case_no = saved.args
    assert case_no == "婚调〔2026〕第0001号"
    mv = window.tabs.currentWidget()
    assert isinstance(mv, MediationView) and mv.case_id == case_id
    assert "已受理" in mv.header.text() and "天内应完成调解" in mv.header.text()

    # the petition: handled by mediation, linked, not sent twice
    assert "办理中" in view.header.text()
    assert "调解" in view.details.toPlainText()
    assert any(case_no in view.related.item(i).text() for i in range(view.related.count()))
    assert not view.mediate_button.isEnabled()
    assert any("信访〔2026〕第0001号" in mv.related.item(i).text() for i in range(mv.related.count()))

    # a session is not recorded without what each side said
    click(qtbot, mv.session_button)
    d = last_dialog(mv)
    click(qtbot, d.ok_button)
    assert d.isVisible() and "申请人陈述" in d.form.boxes["applicant_said"].error()
    fill_session(qtbot, d, "县妇联调解室", "丈夫回家后不顾家，常常争吵。", "妻子不体谅我在外打工辛苦。",
                 "未达成一致，择期再调", "双方情绪激动，约定一周后再调。")
    click(qtbot, d.ok_button)
    assert not d.isVisible()
    assert "调解中" in mv.header.text()

    clock.advance(7)
    click(qtbot, mv.investigation_button)
    d = last_dialog(mv)
    type_text(qtbot, field(d, "place"), "石桥村委会")
    type_text(qtbot, field(d, "subject"), "陈芳")
    type_text(qtbot, field(d, "subject_role"), "村妇联主席")
    type_text(qtbot, field(d, "content"), "问：你了解他们家的情况吗？\n答：两口子以前挺好，男方出去打工后常吵架。")
    click(qtbot, d.ok_button)
    assert not d.isVisible()

    click(qtbot, mv.session_button)
    d = last_dialog(mv)
    assert field(d, "place").text() == "县妇联调解室"  # the last session's place is offered
    fill_session(qtbot, d, "", "愿意继续共同生活，但要求丈夫按时寄回生活费。", "同意，并保证不再酗酒。",
                 "达成一致", "双方和好，就生活费和照看孩子达成协议。")
    click(qtbot, d.ok_button)
    assert not d.isVisible()
    assert mv.tabs.tabText(1) == "调解记录（2）" and mv.tabs.tabText(2) == "调查记录（1）"

    # close with an agreement of three items; an item without its deadline is refused
    click(qtbot, mv.close_button)
    d = last_dialog(mv)
    choose(field(d, "outcome"), "达成调解协议")
    assert d.form.boxes["agreement.items"].isVisible() and not d.form.boxes["failed_route"].isVisible()
    facts = field(d, "agreement.facts")
    assert isinstance(facts, QPlainTextEdit) and facts.toPlainText() == FACTS
    type_text(qtbot, field(d, "agreement.duties"), "双方均有责任，男方对家庭照顾不够负主要责任。")
    items = field(d, "agreement.items")
    assert isinstance(items, ItemsEditor)
    for i, (content, how, due, place) in enumerate(ITEMS):
        line = items.rows[i][1:5] if i < len(items.rows) else None
        if line is None:
            click(qtbot, items.add_button)
            line = items.rows[i][1:5]
        for edit, text in zip(line, (content, how, "" if i == 1 else due, place), strict=True):
            if text:
                type_text(qtbot, edit, text)
    click(qtbot, d.ok_button)
    assert d.isVisible()
    assert "第2项：请写明履行期限" in d.form.boxes["agreement.items"].error()
    type_text(qtbot, items.rows[1][3], ITEMS[1][2])
    visit_check = mv.close_widgets["visit_check"]
    assert isinstance(visit_check, QCheckBox) and visit_check.isChecked()
    assert mv.close_widgets["visit_on"].date().toPython() == dt.date(2026, 4, 16)  # 30 days after
    click(qtbot, d.ok_button)
    assert not d.isVisible()
    header = mv.header.text()
    assert "达成协议" in header
    assert "2026年4月16日前共同申请司法确认" in header  # 人民调解法 art. 33
    assert "30天内应回访" in header
    assert not mv.session_button.isEnabled() and mv.visit_button.isEnabled()
    assert "第三项" not in mv.outcome.toPlainText() and ITEMS[2][0] in mv.outcome.toPlainText()

    # the start page reminds of the visit when it is due
    clock.advance(27)
    window.refresh()
    due = window.dashboard.due_table.rows()  # 案件编号, 当事人, 待办事项, 到期日, 时限
    assert any(r[0] == case_no and r[2] == "回访" and r[4] == "还有3天" for r in due), due

    mv.reload()
    click(qtbot, mv.visit_button)
    d = last_dialog(mv)
    choose(field(d, "method"), "上门")
    choose(field(d, "performance"), "正在履行")
    choose(field(d, "satisfaction"), "满意")
    type_text(qtbot, field(d, "findings"), "生活费已按时支付，双方关系明显好转。")
    click(qtbot, d.ok_button)
    assert not d.isVisible()
    assert "回访（1）" == mv.tabs.tabText(4)
    assert "应回访" not in mv.header.text()
    window.refresh()
    due = window.dashboard.due_table.rows()
    assert not any(r[0] == case_no for r in due)

    click(qtbot, mv.filing_button)
    d = last_dialog(mv)
    click(qtbot, d.ok_button)
    assert not d.isVisible()

    # print the agreement: one copy per party and one for the committee, the items in order
    mv.print_actions["agreement"].trigger()
    preview = mv.last_preview
    assert preview is not None and preview.document.pageCount() == 3
    assert preview.suggested_name == "人民调解协议书_张丽_2026-03-17.pdf"
    pages = pdf_pages(preview.pdf)
    first = pages[0]
    assert "人民调解协议书" in first and "编号：（2026）东人调字第1号" in first
    for (content, how, due_text, _place) in ITEMS:
        assert content in first and how in first and due_text in first
    assert first.index("第一项") < first.index("第二项") < first.index("第三项")
    assert first.index("张丽") < first.index("李强") < first.index("第一项")
    for words in ("申请人张丽（签名或按指印）", "被申请人李强（签名或按指印）", "人民调解员王秀英（签名）",
                  "人民调解员刘建国（签名）", "记录人（签名）", "婚姻家庭纠纷人民调解委员会（印）", "2026年3月17日",
                  "本协议一式三份", "2026年4月16日前", "38岁", "建筑工人"):
        assert words in first, words
    assert [p[-12:] for p in pages] and "申请人张丽收执" in pages[0] and "被申请人李强收执" in pages[1]
    assert "人民调解委员会存档" in pages[2]
    assert dark_share(preview.pdf, 0) > 0.01
    preview.close()

    # print the whole file: cover, contents in the official order, the documents, the back cover
    mv.dossier_action.trigger()
    preview = window.last_preview
    assert preview is not None
    assert preview.suggested_name == "人民调解卷宗_张丽与李强婚姻纠纷_2026-03-10.pdf"
    pages = pdf_pages(preview.pdf)
    assert preview.document.pageCount() == len(pages) >= 9
    cover = pages[0]
    for words in ("人民调解卷宗", "卷名：张丽与李强婚姻纠纷", "卷号：（2026）东人调字第1号", "王秀英、刘建国",
                  "自2026年3月10日至2026年3月17日", "保管期限：30年"):
        assert words in cover, words
    assert "卷内目录" in pages[1]
    contents = pages[1]
    order = ["人民调解受理登记表", "当事人权利义务告知书", "当事人身份证明", "人民调解调查记录", "人民调解记录",
             "人民调解协议书", "人民调解回访记录", "封底"]
    assert [contents.index(t) for t in order] == sorted(contents.index(t) for t in order)
    titles = [next(t for t in ("人民调解受理登记表", "当事人权利义务告知书", "人民调解调查记录", "人民调解记录",
                               "人民调解协议书", "人民调解回访记录", "卷内备考表") if t in p) for p in pages[2:]]
    assert titles == ["人民调解受理登记表", "当事人权利义务告知书", "人民调解调查记录", "人民调解记录",
                      "人民调解记录", "人民调解协议书", "人民调解回访记录", "卷内备考表"][:len(titles)]
    assert titles[-1] == "卷内备考表"
    assert "人民调解委员会存档" in "".join(pages) and "申请人张丽收执" not in "".join(pages)
    assert dark_share(preview.pdf, 0) > 0.005
    preview.close()

    # found by search, and in her history
    lst = window.case_list
    lst.search.clear()
    type_text(qtbot, lst.search, "李强")
    lst.apply()
    assert lst.model.rowCount() == 2
    person_id = mv.mediation.applicants[0].person.id
    assert person_id is not None
    assert {c["kind"] for c in people.history(ctx, person_id)} == {"petition", "mediation"}
    assert not warnings


def test_open_directly_with_two_applicants_and_fail_with_a_route(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock, warnings: list[str]) -> None:
    window.ui.actionNewMediation.trigger()
    form = window.last_mediation_form
    assert form is not None and form.isVisible()
    # the roster is empty: add a mediator on the spot
    type_text(qtbot, form.mediators.new_name, "赵敏")
    click(qtbot, form.mediators.add_button)
    assert form.mediators.selected_ids()
    choose(form.source, "当事人申请")
    choose(form.dispute_type, "赡养")
    choose(form.relationship, "父母子女")
    choose(form.township, "西河乡")
    type_text(qtbot, form.applicants.parties[0].person.name, "孙桂兰")
    click(qtbot, form.applicants.add_button)
    type_text(qtbot, form.applicants.parties[1].person.name, "孙桂芝")
    type_text(qtbot, form.respondents.parties[0].person.name, "孙建军")
    type_text(qtbot, form.facts, "两位老人要求儿子支付赡养费。")
    with qtbot.waitSignal(form.saved):
        click(qtbot, form.save_button)
    mv = window.tabs.currentWidget()
    assert isinstance(mv, MediationView)
    assert [p.person.name for p in mv.mediation.applicants] == ["孙桂兰", "孙桂芝"]

    # 调解不成 needs a session on record, then the route left to them
    click(qtbot, mv.close_button)
    d = last_dialog(mv)
    choose(field(d, "outcome"), "调解不成")
    click(qtbot, d.ok_button)
    assert d.isVisible() and warnings and "须有调解记录" in warnings[-1]
    d.reject()
    click(qtbot, mv.session_button)
    d = last_dialog(mv)
    fill_session(qtbot, d, "西河乡司法所", "儿子不给赡养费。", "收入低，无力支付。", "调解不成", "双方分歧大。")
    click(qtbot, d.ok_button)
    click(qtbot, mv.close_button)
    d = last_dialog(mv)
    choose(field(d, "outcome"), "调解不成")
    assert d.form.boxes["failed_route"].isVisible() and not d.form.boxes["agreement.items"].isVisible()
    type_text(qtbot, field(d, "note"), "被申请人拒绝支付。")
    click(qtbot, d.ok_button)
    assert "引导" in d.form.boxes["failed_route"].error()
    route = field(d, "failed_route")
    assert isinstance(route, QComboBox)
    choose(route, "引导诉讼")
    click(qtbot, d.ok_button)
    assert not d.isVisible()
    assert "调解不成" in mv.header.text()
    assert not mv.print_actions["agreement"].isEnabled()
    assert "引导诉讼" in mv.outcome.toPlainText()
    # the application prints (她们申请了调解); in the file too
    mv.print_actions["application"].trigger()
    assert mv.last_preview is not None
    assert "孙桂兰" in pdf_pages(mv.last_preview.pdf)[0] and "孙桂芝" in pdf_pages(mv.last_preview.pdf)[0]
    mv.last_preview.close()
    counts = mediations.counts(ctx, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (counts.mediated, counts.failed, counts.agreed) == (1, 1, 0)


def test_the_roster_dialog_makes_a_mediator_inactive_and_back(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    d = window.edit_mediators()
    type_text(qtbot, d.name, "钱芳")
    qtbot.keyClicks(d.phone, "1380013800")  # one digit short
    click(qtbot, d.save_button)
    assert "11位" in d.form.boxes["phone"].error()
    qtbot.keyClicks(d.phone, "0")
    click(qtbot, d.save_button)
    assert d.table.rowCount() == 1 and d.table.item(0, 3).text() == "在册"
    d.table.selectRow(0)
    assert d.name.text() == "钱芳" and d.toggle_button.text() == "停用"
    click(qtbot, d.toggle_button)
    assert d.table.item(0, 3).text() == "已停用"
    assert mediations.mediators(ctx) == []
    d.committee.clear()
    click(qtbot, d.committee_button)
    assert "名称" in d.cform.boxes["committee"].error()
    form = window.new_mediation()
    names = [form.mediators.list.item(i).text() for i in range(form.mediators.list.count())]
    assert not any("钱芳" in n for n in names)
    assert isinstance(form.mediators.new_name, QLineEdit)
    form.done(0)


def test_the_first_visit_follows_the_agreement_date_until_the_user_sets_it(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context) -> None:
    mediator = mediations.save_mediator(ctx, Mediator("王秀英"))
    petition_id = accepted_petition(ctx)
    draft = mediations.draft_from_petition(ctx, petition_id)
    draft.dispute_type, draft.mediator_ids = "婚姻", [mediator]
    case_id, _ = mediations.open_from_petition(ctx, petition_id, draft)
    mv = window.open_case(case_id)
    assert isinstance(mv, MediationView)
    d = mv.make_close_dialog()
    d.open()
    choose(mv.close_widgets["outcome"], "和好")
    assert mv.close_widgets["visit_check"].isChecked()
    on, visit_on = mv.close_widgets["on"], mv.close_widgets["visit_on"]
    on.setDate(on.date().addDays(-1))
    assert visit_on.date().toPython() == dt.date(2026, 4, 8)  # 3月9日 + 30
    visit_on.setDate(visit_on.date().addDays(10))
    on.setDate(on.date().addDays(1))
    assert visit_on.date().toPython() == dt.date(2026, 4, 18)  # hers, kept
    choose(mv.close_widgets["outcome"], "终止调解")
    assert not mv.close_widgets["visit_check"].isChecked()
    d.reject()
