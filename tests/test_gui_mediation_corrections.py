"""Correcting a mediation on its page, as a clerk does it: Ctrl+E opens the form that opened it, filled in;
she changes a party's phone and the facts, Ctrl+S, and reads the page and its timeline. After the outcome
the form asks for 更正原因. 修改记录 corrects a session or the signed agreement (whose reason is asked next
to it); once the file is closed nothing can be changed. Every person here is made up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from fulian_desktop.domain.mediation import Closing
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.mediation.mediation_form import MediationForm
from fulian_desktop.gui.mediation.mediation_view import MediationView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import mediations
from fulian_desktop.services.context import Context

from . import test_gui_corrections as shared
from .qt_input import type_text
from .test_gui_corrections import activate, open_page, press, retype
from .test_mediations import agreement, form, session

window, reasons = shared.window, shared.reasons  # the fixtures: the main window, the 更正原因 box answered


def opened(ctx: Context) -> int:
    return mediations.open_mediation(ctx, form(ctx))[0]


def correct_form(qtbot, view: MediationView) -> MediationForm:  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    f = view.last_form
    assert isinstance(f, MediationForm) and f.isVisible(), "Ctrl+E opens the mediation's form filled in"
    activate(qtbot, f)
    return f


def choose_record(qtbot, view: MediationView, text: str) -> ActionDialog:  # type: ignore[no-untyped-def]
    """修改记录 ▸ the entry starting with `text`, chosen with the keyboard in the menu it pops up."""
    menu: QMenu = view.records_menu
    titles = [a.text() for a in menu.actions()]
    steps = next(i for i, t in enumerate(titles) if t.startswith(text))

    def pick() -> None:
        for _ in range(steps + 1):
            qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(50, pick)
    qtbot.mouseClick(view.records_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ActionDialog), timeout=2000)
    d = QApplication.activeModalWidget()
    assert isinstance(d, ActionDialog)
    return d


def test_ctrl_e_a_partys_phone_and_the_facts_ctrl_s_and_the_page_shows_them(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str]) -> None:
    case_id = opened(ctx)
    case_no = mediations.get(ctx, case_id).case_no
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, MediationView)
    assert view.correct_button.isVisible() and view.correct_button.isEnabled()
    f = correct_form(qtbot, view)
    assert f.windowTitle() == f"修改调解 — {case_no}" and f.save_button.text() == "保存修改"
    # every field as saved
    applicant, respondent = f.applicants.parties[0], f.respondents.parties[0]
    assert applicant.person.name.text() == "张丽" and applicant.person.phone.text() == "13800138000"
    assert applicant.occupation.text() == "务农" and respondent.age.text() == "38"
    assert f.source.currentText() == "当事人申请" and f.village.currentText() == "石桥村"
    assert f.registrar.currentText() == "周敏" and len(f.mediators.selected_ids()) == 2

    type_text(qtbot, respondent.person.phone, "13900139000")
    f.facts.setFocus()
    f.facts.moveCursor(f.facts.textCursor().MoveOperation.End)
    type_text(qtbot, f.facts, "双方育有一子。")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not f.isVisible(), "saved and closed"
    assert said == []
    top = view.timeline.item(0).text()
    assert "【更正】" in top and "被申请人李强的联系电话 （空）→139****9000" in top and "纠纷简要情况" in top
    assert "13900139000" in view.overview.toPlainText() and "双方育有一子。" in view.overview.toPlainText()
    assert mediations.get(ctx, case_id).case_no == case_no


def test_after_the_outcome_the_form_asks_for_the_reason(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str], reasons: list[str]) -> None:
    case_id = opened(ctx)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("reconciled", ctx.today(), note="双方和好。"))
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, MediationView)
    f = correct_form(qtbot, view)
    retype(qtbot, f.applicants.parties[0].occupation, "个体")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert reasons == ["更正原因：这件案件已结案（和好），更正需写明原因："]
    assert not f.isVisible()
    assert view.timeline.item(0).text().endswith("更正：申请人张丽的职业或职务 务农→个体，原因：登记错误")
    assert "个体" in view.overview.toPlainText()


def test_a_session_and_the_signed_agreement_corrected_from_the_page(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str]) -> None:
    case_id = opened(ctx)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("agreed", ctx.today(), agreement=agreement(2)))
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, MediationView)
    assert view.records_button.isEnabled()
    assert [a.text() for a in view.records_menu.actions()] == ["第1次调解记录（2026年3月10日）", "调解协议"]

    d = choose_record(qtbot, view, "第1次调解记录")
    assert d.windowTitle() == "修改第1次调解记录"
    place = d.form.boxes["place"].editor
    assert place.text() == "调解室" and d.form.boxes["applicant_said"].editor.toPlainText() == "要求按时寄生活费。"
    assert "协议已签订，须写明原因" in d.form.boxes["reason"].editor.placeholderText()  # said before she saves
    retype(qtbot, place, "石桥村调解室")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible(), "the agreement is signed: no reason, nothing saved"
    assert "写明原因" in d.form.boxes["reason"].error()
    type_text(qtbot, d.form.boxes["reason"].editor, "地点记错")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert view.timeline.item(0).text().endswith("更正：第1次调解的调解地点 调解室→石桥村调解室，原因：地点记错")
    assert "石桥村调解室" in view.sessions.toPlainText()

    d = choose_record(qtbot, view, "调解协议")
    assert d.windowTitle() == "修改调解协议"
    items = d.form.boxes["agreement.items"].editor
    retype(qtbot, items.rows[1][3], "2026年5月31日前")  # the second item's deadline
    type_text(qtbot, d.form.boxes["reason"].editor, "笔误")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert view.timeline.item(0).text().endswith("更正：协议第2项履行期限 2026年4月30日前→2026年5月31日前，原因：笔误")
    assert "2026年5月31日前" in view.outcome.toPlainText()


def test_once_the_file_is_closed_nothing_is_corrected(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str]) -> None:
    case_id = opened(ctx)
    mediations.add_session(ctx, case_id, session(ctx.today()))
    mediations.close(ctx, case_id, Closing("reconciled", ctx.today(), note="双方和好。"))
    mediations.set_filing(ctx, case_id, "周敏", ctx.today(), "30年")
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, MediationView)
    assert not view.correct_button.isEnabled() and "立卷归档" in view.correct_button.toolTip()
    assert not view.records_button.isEnabled()
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert said and "立卷归档" in said[-1]
    assert view.last_form is None


@pytest.mark.parametrize("role", ["window"])
def test_a_role_that_may_only_read_mediations_has_no_modify(qtbot, ctx: Context, said: list[str],  # type: ignore[no-untyped-def]
                                                            role: str) -> None:
    case_id = opened(ctx)
    ctx.roles = frozenset({role})
    try:
        view = MediationView(ctx, case_id)
        qtbot.addWidget(view)
        view.show()
        assert not view.correct_button.isVisible() and not view.records_button.isVisible()
        assert view.do_edit() is None and said == ["您的账号没有权限修改这类案件。"]
    finally:
        ctx.roles = None
