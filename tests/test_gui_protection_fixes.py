"""家暴防护 records kept wrongly, fixed in the window as a clerk (and the 主任) would: a 查访 corrected by double-clicking
it, a violation and the report to the police corrected from their buttons (the reason asked once a paper was
printed), and the last record taken back by the 主任 with 撤销上一步记录. Every person here is made up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from fulian_desktop.domain.police_contact import PoliceContact
from fulian_desktop.gui.protection.order_section import OrderSection
from fulian_desktop.gui.protection.police_section import PoliceSection
from fulian_desktop.gui.protection.report_section import ReportSection
from fulian_desktop.services import mandatory_reports, police_contacts, printing
from fulian_desktop.services import protection_orders as orders
from fulian_desktop.services.context import Context
from fulian_desktop.store import cases as case_store

from .conftest import Clock
from .qt_input import type_text
from .test_gui_protection_orders import editor, error, page, press_ok, tree_rows, type_date
from .test_protection_fixes import granted
from .test_protection_orders import dv_petition


def click(qtbot, button: QPushButton) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_visit_a_violation_and_a_report_are_corrected_in_the_window(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx, birth=dt.date(2010, 6, 1))
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3), "东公告字12号"))
    first = police_contacts.of_case(ctx, case_id).follow_ups[0]
    police_contacts.record_visit(ctx, case_id, first.id or 0, dt.date(2026, 3, 9), "派出所", "未再动手。")
    order_id = granted(ctx, case_id)
    orders.record_violation(ctx, case_id, order_id, dt.date(2026, 3, 9), "被申请人上门辱骂。")
    mandatory_reports.record_report(ctx, case_id, dt.date(2026, 3, 9), "东山派处所", "电话报警", "J12")
    view = page(qtbot, ctx, case_id)
    assert view.thread is not None

    # the 查访: double-click (Enter) on the visit done opens its correction, filled as recorded
    police = view.thread.section(PoliceSection)
    assert isinstance(police, PoliceSection)
    done = police.tree.topLevelItem(0).child(0)
    police.tree.setCurrentItem(done)
    assert police.fix_visit_button.isEnabled() and not police.visit_button.isEnabled()
    police.tree.setFocus()
    qtbot.keyClick(police.tree, Qt.Key.Key_Return)
    d = police.last_dialog
    assert d is not None and d.isVisible() and d.windowTitle() == "更正查访"
    assert editor(d, "finding").toPlainText() == "未再动手。"  # type: ignore[attr-defined]
    type_date(qtbot, editor(d, "done_on"), "20260308")
    type_text(qtbot, editor(d, "reason"), "日期记错")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert police.tree.topLevelItem(0).child(0).text(2).startswith("2026年3月8日与派出所")
    line = case_store.timeline_of(ctx.db, case_id)[-1]
    assert line.action == "更正" and "查访日期" in line.note and "日期记错" in line.note

    # the violation: chosen in the list, corrected
    section = view.thread.section(OrderSection)
    assert isinstance(section, OrderSection)
    assert not section.fix_violation_button.isEnabled()  # the order is chosen, not a violation
    section.tree.setCurrentItem(section.tree.topLevelItem(0).child(0))
    click(qtbot, section.fix_violation_button)
    d = section.last_dialog
    assert d is not None and d.windowTitle() == "更正违反记录"
    type_date(qtbot, editor(d, "occurred_on"), "20260308")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert [r[1] for r in tree_rows(section.tree) if r[0] == "违反保护令"] == ["2026年3月8日"]

    # the report: a paper of the case was printed, so the reason is asked next to its field
    printing.print_case(ctx, case_id)
    report = view.thread.section(ReportSection)
    assert isinstance(report, ReportSection)
    assert not report.report_button.isVisible()
    click(qtbot, report.fix_button)
    d = report.last_dialog
    assert d is not None and d.windowTitle() == "更正报案"
    assert editor(d, "reported_to").text() == "东山派处所"  # type: ignore[attr-defined]
    editor(d, "reported_to").clear()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "reported_to"), "东山派出所")
    press_ok(qtbot, d)
    assert d.isVisible() and error(d, "reason")  # asked why; nothing typed lost
    assert editor(d, "reported_to").text() == "东山派出所"  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "reason"), "派出所名称抄错")
    press_ok(qtbot, d)
    assert not d.isVisible() and "东山派出所" in report.state.text()


def test_the_director_takes_back_the_last_record(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx, birth=dt.date(2010, 6, 1))
    ctx.roles = frozenset({"director"})
    view = page(qtbot, ctx, case_id)
    thread = view.thread
    assert thread is not None and thread.undo_button.isVisible() and not thread.undo_button.isEnabled()
    report = thread.section(ReportSection)
    assert isinstance(report, ReportSection)
    click(qtbot, report.report_button)
    d = report.last_dialog
    assert d is not None
    type_text(qtbot, editor(d, "reported_to"), "东山派出所")
    press_ok(qtbot, d)
    assert not d.isVisible() and report.fix_button.isVisible()
    assert thread.undo_button.isEnabled() and "强制报告" in thread.undo_button.toolTip()

    click(qtbot, thread.undo_button)
    d = thread.last_dialog
    assert d is not None and d.isVisible()
    assert any("记录的“强制报告”" in label.text() for label in d.findChildren(QLabel))
    press_ok(qtbot, d)
    assert d.isVisible() and error(d, "reason") == "请写明撤销的原因"
    type_text(qtbot, editor(d, "reason"), "记在了另一件案件上")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert report.report_button.isVisible() and report.attention() == "须报案"  # to report again
    assert not thread.undo_button.isEnabled() and "上一步就是撤销" in thread.undo_button.toolTip()
    assert case_store.timeline_of(ctx.db, case_id)[-1].note == "撤销“强制报告”，原因：记在了另一件案件上"

    ctx.roles = frozenset({"window"})  # a clerk of the window: no such button
    clerk = page(qtbot, ctx, case_id)
    assert clerk.thread is not None and not clerk.thread.undo_button.isVisible()
