"""The petition's written course in the window, driven as a clerk drives it: the kind chosen at intake, the
notices given as she accepts, refuses, forwards and extends (each opening its print preview, listed on the page and
reprinted the same by a double-click or Enter), the written opinion drafted for her to complete, and the woman's
satisfaction. Every person here is made up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPlainTextEdit, QWidget

from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.pdf_preview import PdfPreview
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text


def pick(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose an entry with the keyboard: focus the closed drop-down and press ↓ (or ↑) until it shows."""
    target = combo.findText(text)
    assert target >= 0, f"{text} not offered"
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)
    assert combo.currentText() == text


def type_date(qtbot, field: QWidget, digits: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, digits)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def editor(d: QDialog, name: str) -> QWidget:
    return d.form.boxes[name].editor  # type: ignore[attr-defined,no-any-return]


def press_ok(qtbot, d: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def registered(ctx: Context, **changes: object) -> int:
    p = Petition(channel="来访", received_on=dt.date(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"),
                 concerned=None, headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
                 facts="婆家长期冷暴力。", request="请求妇联出面协调。", dv=False, safety_risk=False,
                 receiving_staff="王秀兰")
    for k, v in changes.items():
        setattr(p, k, v)
    return petitions.register(ctx, p)[0]


def details(view: PetitionView) -> str:
    """The page's details as she reads them (spaces of any width as one)."""
    return " ".join(view.details.toPlainText().replace("\u3000", " ").split())


def documents_shown(view: PetitionView) -> list[str]:
    return [view.documents.item(i).text() for i in range(view.documents.count())]


def test_the_kind_is_chosen_at_intake_and_an_accusation_is_forwarded_with_its_notice(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                                   ctx: Context) -> None:
    form = window.new_petition()
    assert form.nature.currentText() == "申诉求决"  # the default
    pick(qtbot, form.channel, "来信")
    pick(qtbot, form.nature, "检举控告")
    pick(qtbot, form.township, "东山镇")
    pick(qtbot, form.category, "财产权益")
    type_text(qtbot, form.petitioner.name, "柳如烟")
    form.petitioner.name.editingFinished.emit()
    type_text(qtbot, form.facts, "村干部截留征地补偿款。")
    type_text(qtbot, form.request, "检举村干部截留征地补偿款。")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    case_id = saved.args[0]
    assert petitions.get(ctx, case_id).nature == "检举控告"
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView)
    assert "检举控告类" in view.header.text()
    assert not view.accept_button.isEnabled() and view.forward_button.isVisible()
    assert documents_shown(view) == ["还没有出具文书（受理、不予受理、转送、延期和办结时出具）"]

    qtbot.mouseClick(view.forward_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(QDialog) if w.isVisible() and w.windowTitle() == "转送有权机关"][0]
    press_ok(qtbot, d)  # no body named
    assert d.isVisible() and "转送的机关" in d.form.boxes["forwarded_to"].error()  # type: ignore[attr-defined]
    pick(qtbot, editor(d, "forwarded_to"), "县纪委监委")  # type: ignore[arg-type]
    pick(qtbot, editor(d, "tell_way"), "邮寄送达")  # type: ignore[arg-type]
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert "已转送" in view.header.text()
    assert documents_shown(view) == ["转送告知书　2026年3月10日　邮寄送达"]
    preview = view.last_preview
    assert isinstance(preview, PdfPreview) and preview.isVisible()
    assert preview.windowTitle() == "打印预览 — 转送告知书_柳如烟_2026-03-10.pdf"


def test_accepting_gives_the_notice_the_page_lists_it_and_enter_reprints_it_the_same(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                                   ctx: Context) -> None:
    case_id = registered(ctx)
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)
    assert "应告知是否受理" in view.header.text()
    d = view.make_accept_dialog()
    d.open()
    type_date(qtbot, editor(d, "accepted_on"), "20260304")
    type_date(qtbot, editor(d, "told_on"), "20260303")  # before the acceptance: said next to the field
    press_ok(qtbot, d)
    assert d.isVisible() and "告知日期不能早于2026年3月4日" in d.form.boxes["told_on"].error()  # type: ignore[attr-defined]
    type_date(qtbot, editor(d, "told_on"), "20260305")
    assert editor(d, "tell_way").currentText() == "直接送达"  # type: ignore[attr-defined]
    press_ok(qtbot, d)
    assert d.result() == QDialog.DialogCode.Accepted
    assert "已受理" in view.header.text() and "应办结（2026年5月3日）" in view.header.text()
    first = view.last_preview
    assert isinstance(first, PdfPreview) and first.document.pageCount() == 1
    assert documents_shown(view) == ["受理告知书　2026年3月5日　直接送达"]
    assert "告知日期 2026年3月5日 直接送达" in details(view)
    first.close()

    view.documents.setFocus()
    view.documents.setCurrentRow(0)
    qtbot.keyClick(view.documents, Qt.Key.Key_Return)
    again = view.last_preview
    assert again is not first and isinstance(again, PdfPreview) and again.isVisible()
    assert again.pdf == first.pdf  # reprinted as it was issued


def test_refusing_asks_for_the_reason_and_offers_where_she_can_turn(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    view = window.open_case(registered(ctx))
    assert isinstance(view, PetitionView)
    d = view.make_refuse_dialog()
    d.open()
    press_ok(qtbot, d)
    assert "请写明不予受理的理由" in d.form.boxes["reason"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "reason"), "该事项已经人民法院作出生效判决")
    route = editor(d, "refused_route")
    assert isinstance(route, QComboBox) and route.isEditable()
    pick(qtbot, route, "依法向人民法院提起诉讼")
    press_ok(qtbot, d)
    assert not d.isVisible() and "不予受理" in view.header.text()
    assert documents_shown(view) == ["不予受理告知书　2026年3月10日　直接送达"]
    assert "告知的其他途径 依法向人民法院提起诉讼" in details(view)
    assert petitions.get(ctx, view.case_id).refused_route == "依法向人民法院提起诉讼"


def test_the_opinion_is_drafted_she_completes_it_and_it_is_issued_with_her_rating(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                                ctx: Context) -> None:
    case_id = registered(ctx)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 2))
    petitions.set_handling(ctx, case_id, "调解", "", "经村妇联主席调解，婆家表示不再冷落她。")
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)
    assert not view.rate_button.isEnabled()

    # the 主任 extends first: the notice with the reason
    d = view.make_extend_dialog()
    d.open()
    type_text(qtbot, editor(d, "extension_reason"), "需要等待双方再次协商")
    press_ok(qtbot, d)
    assert not d.isVisible() and documents_shown(view)[-1] == "延期告知书　2026年3月10日　直接送达"

    d = view.make_conclude_dialog()
    d.open()
    request, facts = editor(d, "request"), editor(d, "facts_found")
    opinion, basis = editor(d, "reply"), editor(d, "legal_basis")
    assert isinstance(opinion, QPlainTextEdit) and isinstance(basis, QPlainTextEdit)
    assert request.toPlainText() == "请求妇联出面协调。"  # type: ignore[attr-defined]
    assert facts.toPlainText() == "经村妇联主席调解，婆家表示不再冷落她。"  # type: ignore[attr-defined]
    assert "《中华人民共和国妇女权益保障法》" in basis.toPlainText()
    pick(qtbot, editor(d, "result"), "支持")  # type: ignore[arg-type]
    assert opinion.toPlainText().startswith("信访人的请求事实清楚")  # the words follow the result
    opinion.moveCursor(opinion.textCursor().MoveOperation.End)
    type_text(qtbot, opinion, "婆家已书面承诺改正。")
    pick(qtbot, editor(d, "result"), "解释说明")  # she wrote her own words: they stay
    assert opinion.toPlainText().endswith("婆家已书面承诺改正。")
    pick(qtbot, editor(d, "result"), "支持")
    basis.selectAll()
    qtbot.keyClick(basis, Qt.Key.Key_Delete)
    press_ok(qtbot, d)
    assert d.isVisible() and d.form.boxes["legal_basis"].error() == "请填写法律法规依据"  # type: ignore[attr-defined]
    assert opinion.toPlainText().endswith("婆家已书面承诺改正。")  # nothing typed is lost
    type_text(qtbot, basis, "《中华人民共和国妇女权益保障法》")
    review = editor(d, "review_body")
    assert isinstance(review, QLineEdit)
    review.selectAll()
    type_text(qtbot, review, "市妇联")
    pick(qtbot, editor(d, "rating"), "基本满意")  # type: ignore[arg-type]
    press_ok(qtbot, d)
    assert not d.isVisible() and "已办结" in view.header.text()
    assert documents_shown(view)[-1] == "处理意见书　2026年3月10日　直接送达"
    assert isinstance(view.last_preview, PdfPreview) and view.last_preview.isVisible()
    p = petitions.get(ctx, case_id)
    assert p.reply.endswith("婆家已书面承诺改正。") and p.legal_basis == "《中华人民共和国妇女权益保障法》"
    assert (p.rating, p.rating_way) == ("基本满意", "办结时")

    # a return call later: she is not satisfied, and says why
    assert view.rate_button.isEnabled()
    qtbot.mouseClick(view.rate_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(QDialog) if w.isVisible() and w.windowTitle() == "满意度"][0]
    assert editor(d, "rating").currentText() == "基本满意"  # type: ignore[attr-defined]
    pick(qtbot, editor(d, "rating"), "不满意")  # type: ignore[arg-type]
    press_ok(qtbot, d)
    assert "不满意的地方" in d.form.boxes["rating_note"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "rating_note"), "婆家又开始冷落她")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert "满意度 不满意（婆家又开始冷落她） 回访 2026年3月10日" in details(view)
