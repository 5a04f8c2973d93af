"""Correcting a household on its page, as a clerk does it: Ctrl+E opens the register form filled in; she
corrects the address and a member's phone in the family table, Ctrl+S, and reads the page. A visit is
corrected from the visits table (double-click, or select it and press Enter, or 修改所选走访): its money,
once the 帮扶手册 was printed, only with a 更正原因. Every person here is made up."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fulian_desktop.gui.households.household_form import HouseholdForm
from fulian_desktop.gui.households.household_view import HouseholdView
from fulian_desktop.gui.households.visit_form import VisitForm
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import household_printing, households
from fulian_desktop.services.context import Context

from . import test_gui_corrections as shared
from .qt_input import type_text
from .test_gui_corrections import activate, open_page, press, retype
from .test_households import a_household, a_visit

window, reasons = shared.window, shared.reasons  # the fixtures: the main window, the 更正原因 box answered


def test_ctrl_e_the_address_and_a_members_phone_ctrl_s_and_the_page_shows_them(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str]) -> None:
    case_id, case_no = households.register(ctx, a_household(ctx))
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, HouseholdView)
    assert view.correct_button.isVisible() and view.correct_button.text() == "修改"
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    f = view.last_form
    assert isinstance(f, HouseholdForm) and f.isVisible(), "Ctrl+E opens the register form filled in"
    activate(qtbot, f)
    assert f.windowTitle() == f"修改资料 — {case_no} 王秀英" and f.save_button.text() == "保存修改"
    assert f.head.name.text() == "王秀英" and f.address.text() == "三组18号" and not f.care_list.isEnabled()
    assert f.members.count() == 2 and f.members.editor(1, "name").text() == "李小花"
    assert f.causes["因病"].isChecked() and f.causes["缺劳力"].isChecked()

    retype(qtbot, f.address, "三组19号")
    type_text(qtbot, f.members.editor(0, "phone"), "13700137000")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not f.isVisible(), "saved and closed"
    assert said == []
    view.side.setCurrentIndex(2)  # 办理经过
    assert view.timeline.item(0).text().endswith("【更正】\n更正：组、门牌 三组18号→三组19号；"
                                                 "成员李大山的联系电话 （空）→137****7000")
    assert "三组19号" in view.details.toPlainText()
    h = households.get(ctx, case_id)
    assert h.members[0].person.phone == "13700137000" and h.case_no == case_no


def test_a_visits_money_after_the_card_was_printed_asks_for_the_reason(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str], reasons: list[str]) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    households.log_visit(ctx, case_id, a_visit(ctx.today(), kind="solace", cash_fen=50000))
    household_printing.print_card(ctx, case_id)
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, HouseholdView)
    assert view.visits.item(0, 3).text() == "¥500.00"
    rect = view.visits.visualItemRect(view.visits.item(0, 2))
    qtbot.mouseClick(view.visits.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.visits.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    f = view.last_visit_form
    assert isinstance(f, VisitForm) and f.isVisible(), "double-click opens the visit filled in"
    activate(qtbot, f)
    assert f.windowTitle() == "修改走访记录 — 王秀英（2026年3月10日）"
    assert f.cash.text() == "500" and f.kind_buttons["solace"].isChecked() and not f.found.isVisible()
    assert f.seen.toPlainText() == "家中整洁，李大山腿伤未愈。"
    retype(qtbot, f.cash, "800")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert reasons == ["更正原因：这件案件已打印，更正需写明原因："]
    assert not f.isVisible()
    assert view.visits.item(0, 3).text() == "¥800.00"
    assert view.timeline.item(0).text().endswith("更正：2026年3月10日走访的慰问金 ¥500.00→¥800.00，原因：登记错误")
    assert households.get(ctx, case_id).cash_total == 80000


def test_enter_on_the_selected_visit_opens_it_and_it_stays_selected(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, clock, said: list[str]) -> None:
    case_id, _ = households.register(ctx, a_household(ctx))
    older = households.log_visit(ctx, case_id, a_visit(ctx.today())).visit_id
    clock.advance(1)
    households.log_visit(ctx, case_id, a_visit(ctx.today()))
    view = open_page(qtbot, window, case_id)
    assert isinstance(view, HouseholdView)
    assert view.visit_edit_button.isEnabled()
    view.visits.setFocus()
    press(qtbot, Qt.Key.Key_Down)  # the older visit, below the newest
    assert view.selected_visit_id() == older
    press(qtbot, Qt.Key.Key_Return)
    f = view.last_visit_form
    assert isinstance(f, VisitForm) and f.isVisible(), "Enter on the selected visit opens it"
    activate(qtbot, f)
    type_text(qtbot, f.asked, "希望帮助孩子申请助学金")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not f.isVisible() and said == []
    assert households.visit(ctx, older)[1].asked == "希望帮助孩子申请助学金"
    assert "2026年3月10日走访的群众诉求 （空）→希望帮助孩子申请助学金" in view.timeline.item(0).text()
    assert view.selected_visit_id() == older, "the corrected visit stays selected"
