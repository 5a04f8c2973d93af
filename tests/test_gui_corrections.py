"""修改 on a case page, as a clerk does it: open a saved petition or referral, Ctrl+E, change what was wrong,
Ctrl+S, and read the page; the 更正原因 asked for once a form was printed; 撤销上一步 for the 主任."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from fulian_desktop.domain.records import Person
from fulian_desktop.gui.cases.case_page import CaseView
from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.gui.referrals.referral_view import ReferralView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import organisations, petitions, printing, referrals
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_corrections import referral, register


@pytest.fixture
def window(qtbot, ctx: Context) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 700)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    return w


@pytest.fixture
def reasons(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the 更正原因 box asked; it answers 登记错误."""
    asked: list[str] = []

    def ask_text(_parent, title: str, label: str, text: str = "", ok: str = "") -> str:  # type: ignore[no-untyped-def]
        asked.append(f"{title}：{label}")
        return "登记错误"

    monkeypatch.setattr(dialogs, "ask_text", ask_text)
    return asked


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def activate(qtbot, w: QWidget) -> None:  # type: ignore[no-untyped-def]
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)


def open_page(qtbot, window: MainWindow, case_id: int) -> CaseView:  # type: ignore[no-untyped-def]
    view = window.open_case(case_id)
    assert isinstance(view, CaseView)
    activate(qtbot, window)
    return view


def open_form(qtbot, view: CaseView) -> PetitionForm:  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = view.last_form
    assert isinstance(form, PetitionForm) and form.isVisible(), "Ctrl+E opens the form filled in"
    activate(qtbot, form)
    return form


def retype(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def test_ctrl_e_a_new_phone_ctrl_s_and_the_page_shows_it(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                         said: list[str]) -> None:
    case_id = register(ctx)
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, PetitionView)
    assert view.correct_button.isVisible() and view.correct_button.text() == "修改"
    form = open_form(qtbot, view)
    assert form.windowTitle().startswith("修改信访登记")
    assert form.save_button.text() == "保存修改"
    # every field as saved
    assert form.petitioner.name.text() == "柳如烟" and form.petitioner.phone.text() == "13800138000"
    assert form.channel.currentText() == "来访" and form.village.currentText() == "石桥村"
    assert form.subcategory.currentText() == "离婚问题" and form.receiving_staff.currentText() == "李堃"
    assert form.facts.toPlainText() == "丈夫长期不回家，要求离婚。"

    retype(qtbot, form.petitioner.phone, "13900139000")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible(), "saved and closed"
    assert said == []
    assert view.timeline.item(0).text().endswith("【更正】\n更正：联系电话 138****8000→139****9000")
    assert "13900139000" in view.details.toPlainText()
    assert petitions.get(ctx, case_id).petitioner.phone == "13900139000"
    assert view.header.text().count(petitions.get(ctx, case_id).case_no) == 1


def test_after_printing_the_form_asks_for_the_reason(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                     said: list[str], reasons: list[str]) -> None:
    case_id = register(ctx)
    printing.print_case(ctx, case_id)
    view = open_page(qtbot, window, case_id)
    form = open_form(qtbot, view)
    retype(qtbot, form.petitioner.name, "柳茹烟")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert reasons == ["更正原因：这件案件已打印，更正需写明原因："]
    assert not form.isVisible()
    assert view.timeline.item(0).text().endswith("更正：姓名 柳如烟→柳茹烟，原因：登记错误")
    assert window.tabs.tabText(window.tabs.currentIndex()).endswith("柳茹烟")


def test_no_reason_given_nothing_saved_nothing_lost(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                    said: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = register(ctx)
    printing.print_case(ctx, case_id)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: None)  # she cancels the reason box
    view = open_page(qtbot, window, case_id)
    form = open_form(qtbot, view)
    retype(qtbot, form.petitioner.phone, "13900139000")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible() and form.petitioner.phone.text() == "13900139000"
    assert "没有保存" in form.summary.text() and "写明原因" in form.summary.text()
    assert petitions.get(ctx, case_id).petitioner.phone == "13800138000"
    form.done(0)


def test_an_older_cases_address_for_that_case_only(qtbot, window: MainWindow, ctx: Context, clock,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = register(ctx)
    clock.advance(3)
    second = register(ctx, received_on=dt.date(2026, 3, 12))
    questions: list[str] = []
    answers = [2, 0]  # first 取消 (nothing saved), then 只改这件案件

    def choose(_p, title: str, text: str, options: tuple[str, ...]) -> int:  # type: ignore[no-untyped-def]
        questions.append(f"{text}｜{'／'.join(options)}")
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "choose", choose)
    view = open_page(qtbot, window, first)
    form = open_form(qtbot, view)
    retype(qtbot, form.petitioner.address, "东山镇桥头村五组")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible() and "没有保存" in form.summary.text()
    assert petitions.get(ctx, first).petitioner.address == "东山镇石桥村三组"
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(questions) == 2 and questions[0].endswith("只改这件案件／她的所有案件都改／取消")
    assert "之后还有1件案件" in questions[0]
    assert not form.isVisible()
    assert petitions.get(ctx, first).petitioner.address == "东山镇桥头村五组"
    assert petitions.get(ctx, second).petitioner.address == "东山镇石桥村三组"


def test_closing_unchanged_asks_nothing_changed_asks(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = register(ctx, concerned=Person(name="柳小妹"))
    questions: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, title, text, *_a: questions.append(title) or True)
    view = open_page(qtbot, window, case_id)
    form = open_form(qtbot, view)
    assert form.concerned_box.isChecked() and form.concerned.name.text() == "柳小妹"
    press(qtbot, Qt.Key.Key_Escape)
    assert not form.isVisible() and questions == []
    activate(qtbot, view.window())
    form = open_form(qtbot, view)
    retype(qtbot, form.facts, "改了经过")
    press(qtbot, Qt.Key.Key_Escape)
    assert questions == ["放弃修改"]


def test_a_role_that_may_not_write_petitions_has_no_modify(qtbot, ctx: Context, said: list[str]) -> None:  # type: ignore[no-untyped-def]
    case_id = register(ctx)
    ctx.roles = frozenset({"mediator"})
    try:
        view = PetitionView(ctx, case_id)
        qtbot.addWidget(view)
        view.show()
        assert not view.correct_button.isVisible()
        assert view.do_edit() is None and said == ["您的账号没有权限修改这类案件。"]
        assert not view.undo_button.isVisible()
    finally:
        ctx.roles = None


def test_the_director_undoes_the_last_step_on_the_page(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                       said: list[str]) -> None:
    case_id = register(ctx)
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, PetitionView)
    assert view.undo_button.isVisible() and not view.undo_button.isEnabled()
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)  # 受理 pressed by mistake
    accept = QApplication.activeModalWidget()
    assert accept is not None
    qtbot.mouseClick(accept.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert petitions.get(ctx, case_id).status == "accepted"
    assert view.undo_button.isEnabled() and "受理" in view.undo_button.toolTip()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    d = QApplication.activeModalWidget()
    assert d is not None and d.windowTitle() == "撤销上一步"
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert d.isVisible(), "no reason, no undo"
    reason = d.form.boxes["reason"].editor  # type: ignore[attr-defined]
    type_text(qtbot, reason, "误点了受理，应为不予受理")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not d.isVisible()
    assert petitions.get(ctx, case_id).status == "registered"
    assert view.accept_button.isEnabled() and view.refuse_button.isEnabled()
    assert "撤销“受理”（已受理→已登记），原因：误点了受理" in view.timeline.item(0).text()
    assert not view.undo_button.isEnabled()


def test_ctrl_e_on_a_referral_the_organisation_and_her_phone(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                                              said: list[str]) -> None:
    case_id = referral(ctx)
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, ReferralView)
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = view.last_form
    assert isinstance(form, ReferralForm) and form.isVisible()
    activate(qtbot, form)
    assert form.windowTitle().startswith("修改法律援助转介")
    assert form.applicant.phone.text() == "13900139000" and form.matter.currentText() == "劳动"
    assert form.help_kinds.values() == ["仲裁代理"] and form.papers.values() == ["身份证"]
    assert not form.kform.parentWidget().isVisible(), "her consent is not corrected here"
    retype(qtbot, form.applicant.phone, "13700137000")
    other = organisations.directory(ctx)[1]
    form.organisation.setFocus()
    form.organisation.setCurrentIndex(form.organisation.findData(other.id))
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible() and said == []
    top = view.timeline.item(0).text()
    assert "更正：接收机构 " in top and f"→{other.name}" in top and "联系电话 139****9000→137****7000" in top
    assert other.name in view.header.text()
    r = referrals.get(ctx, case_id)
    assert r.consent is not None and r.status == "referred"


def test_registered_as_someone_new_put_on_the_person_already_on_file(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                     ctx: Context, said: list[str]) -> None:
    other = register(ctx, petitioner=Person(name="白素", phone="13600136000"))
    case_id = register(ctx, petitioner=Person(name="白苏", phone="13800138000"))
    view = open_page(qtbot, window, case_id)
    form = open_form(qtbot, view)
    retype(qtbot, form.petitioner.phone, "13600136000")
    qtbot.keyClick(form.petitioner.phone, Qt.Key.Key_Tab)  # leaving the field looks her up
    buttons = [b for b in form.matches.findChildren(QPushButton) if b.text() == "是同一人，关联" and b.isVisible()]
    assert len(buttons) == 1, "the person on file with that phone is offered (not herself)"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert form.petitioner.name.text() == "白素"
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible() and said == []
    assert "信访人 白苏→白素（档案中已有的人）" in view.timeline.item(0).text()
    assert petitions.get(ctx, case_id).petitioner.id == petitions.get(ctx, other).petitioner.id
