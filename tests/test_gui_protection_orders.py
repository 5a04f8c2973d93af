"""家暴防护, points 3, 4 and 6 in the window, driven as a clerk would: a 告诫书 recorded and its 查访 planned, done
and overdue; a protection order applied for on her behalf (her wishes asked for next to the field), accepted,
granted; a minor reported to the police; what is due on the start page, a row opening the case. Made-up people."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from fulian_desktop.domain.police_contact import PoliceContact
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.protection.order_section import OrderSection
from fulian_desktop.gui.protection.police_section import PoliceSection
from fulian_desktop.gui.protection.report_section import ReportSection
from fulian_desktop.gui.shell.date_field import DateField
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.start_page_parts import COL_LEFT, COL_WHAT
from fulian_desktop.services import police_contacts
from fulian_desktop.services.context import Context

from .conftest import Clock
from .qt_input import finish, type_text
from .test_protection_orders import dv_petition


def editor(d: QDialog, name: str) -> QWidget:
    return d.form.boxes[name].editor  # type: ignore[attr-defined,no-any-return]


def error(d: QDialog, name: str) -> str:
    return d.form.boxes[name].error()  # type: ignore[attr-defined,no-any-return]


def press_ok(qtbot, d: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def type_date(qtbot, field: QWidget, digits: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(field, DateField)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, digits)
    finish(field)  # she leaves the field


def page(qtbot, ctx: Context, case_id: int) -> PetitionView:  # type: ignore[no-untyped-def]
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    assert view.thread is not None and view.page_tabs is not None
    view.page_tabs.setCurrentWidget(view.thread)
    return view


def tree_rows(tree) -> list[list[str]]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out.append([top.text(c) for c in range(3)])
        out += [[top.child(j).text(c) for c in range(3)] for j in range(top.childCount())]
    return out


def test_a_warning_and_its_visits(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    view = page(qtbot, ctx, dv_petition(ctx))
    section = view.thread.section(PoliceSection)  # type: ignore[union-attr]
    assert isinstance(section, PoliceSection)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.isVisible()
    type_date(qtbot, editor(d, "issued_on"), "20260303")
    assert editor(d, "plan").text() == "2026年3月10日、2026年4月2日、2026年6月1日"  # type: ignore[attr-defined]
    press_ok(qtbot, d)
    assert d.isVisible() and error(d, "station") == "请写明出具的公安机关（派出所）"
    type_text(qtbot, editor(d, "station"), "东山派出所")
    qtbot.keyClicks(editor(d, "number"), "2026-12")
    press_ok(qtbot, d)
    assert not d.isVisible()
    rows = tree_rows(section.tree)
    assert rows[0][:2] == ["告诫书", "2026年3月3日"] and "东山派出所" in rows[0][2]
    assert [r[:3] for r in rows[1:]] == [["查访", "2026年3月10日", "今天查访"], ["查访", "2026年4月2日", "23天后"],
                                         ["查访", "2026年6月1日", "83天后"]]
    clock.advance(1)  # the day after: overdue, in red
    section.reload()
    first = section.tree.topLevelItem(0).child(0)
    assert first.text(2) == "已逾期1天" and first.foreground(2).color().name() == "#b3261e"
    section.tree.setCurrentItem(first)
    section.tree.setFocus()
    qtbot.keyClick(section.tree, Qt.Key.Key_Return)  # Enter on the visit: record it
    d = section.last_dialog
    assert d is not None and d.isVisible() and d.windowTitle() == "记录查访"
    press_ok(qtbot, d)
    assert error(d, "finding").startswith("请写明查访情况")
    type_text(qtbot, editor(d, "finding"), "被申请人表示不再动手，她仍害怕。")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.tree.topLevelItem(0).child(0).text(2).startswith("2026年3月11日与派出所：被申请人表示不再动手")


def test_applying_for_an_order_on_her_behalf(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx)
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 3)))
    view = page(qtbot, ctx, case_id)
    section = view.thread.section(OrderSection)  # type: ignore[union-attr]
    assert isinstance(section, OrderSection)
    assert not section.ruling_button.isEnabled()  # nothing applied for yet
    qtbot.mouseClick(section.apply_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.isVisible()
    assert editor(d, "respondent").text() == "赵大力"  # type: ignore[attr-defined]
    assert "东山派出所出具的告诫书" in editor(d, "evidence").toPlainText()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "court"), "东山县人民法院")
    behalf = editor(d, "on_behalf")
    behalf.setFocus()
    qtbot.keyClick(behalf, Qt.Key.Key_Space)  # ticked with the keyboard
    assert behalf.isChecked() and editor(d, "consent_on").text() == "2026年3月10日"  # type: ignore[attr-defined]
    press_ok(qtbot, d)
    assert d.isVisible() and "须记下她本人的意愿" in error(d, "wishes")
    assert editor(d, "court").text() == "东山县人民法院"  # nothing typed is lost  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "wishes"), "她害怕报复，希望本会代她申请，禁止他接近她和孩子。")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.last_preview is not None and section.last_preview.isVisible()  # the 申请书, to print
    assert section.papers.item(0).text().startswith("人身安全保护令申请书")
    shown = [view.documents.item(i).text() for i in range(view.documents.count())]
    assert not any("申请书" in t for t in shown)  # the petition's own list: its notices and opinions only
    top = section.tree.topLevelItem(0)
    assert top.text(0) == "申请（东山县人民法院，本会代为申请）" and top.text(2) == "申请书已出具，待提交法院"

    section.tree.setCurrentItem(top)
    qtbot.mouseClick(section.filed_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.windowTitle() == "法院受理"
    press_ok(qtbot, d)  # today 09:30
    assert not d.isVisible()
    assert section.tree.topLevelItem(0).text(2) == "等待裁定：法院应在2026年3月13日 10:00前作出（72小时）"

    section.tree.setCurrentItem(section.tree.topLevelItem(0))
    qtbot.mouseClick(section.ruling_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.windowTitle() == "法院结果"
    assert editor(d, "ends_on").text() == "2026年9月9日"  # type: ignore[attr-defined]
    type_date(qtbot, editor(d, "ends_on"), "20261001")
    press_ok(qtbot, d)
    assert "至多到2026年9月10日" in error(d, "ends_on")
    type_date(qtbot, editor(d, "ends_on"), "20260909")
    qtbot.keyClicks(editor(d, "order_no"), "2026-1")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.tree.topLevelItem(0).text(2) == "有效期至2026年9月9日"
    assert section.violation_button.isEnabled() and section.extend_button.isEnabled()


def test_a_minor_is_reported_and_the_start_page_says_so_until_then(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx, birth=dt.date(2011, 7, 1), received=dt.date(2026, 3, 9))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    box = window.dashboard.protection_box
    whats = [box.model.index(r, COL_WHAT).data() for r in range(box.model.rowCount())]
    assert whats == ["强制报告：向公安机关报案"] and box.model.index(0, COL_LEFT).data() == "逾期1天"
    box.table.selectRow(0)
    box.table.setFocus()
    qtbot.keyClick(box.table, Qt.Key.Key_Return)  # opens the case
    view = window.findChild(PetitionView)
    assert view is not None and view.case_id == case_id
    assert view.thread is not None and view.page_tabs is not None
    tab = view.page_tabs.indexOf(view.thread)
    assert view.page_tabs.tabText(tab) == "家暴防护（须报案）"  # seen from the 案件 tab, in red
    assert view.page_tabs.tabBar().tabTextColor(tab).name() == "#b3261e"
    section = view.thread.section(ReportSection)
    assert isinstance(section, ReportSection)
    assert "她是未成年人：依法应当及时向公安机关报案" in section.state.text()
    assert "应报未报：已逾期1天" in section.state.text() and not section.mark_button.isVisible()
    qtbot.mouseClick(section.report_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert isinstance(d, ActionDialog)
    press_ok(qtbot, d)
    assert error(d, "reported_to") == "请写明向哪个公安机关（派出所）报案"
    to = editor(d, "reported_to")
    assert isinstance(to, QLineEdit)
    type_text(qtbot, to, "东山派出所")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.state.text() == "已于2026年3月10日报告东山派出所（电话报警）。"
    assert not section.report_button.isVisible()
    assert view.page_tabs.tabText(tab) == "家暴防护"
    window.dashboard.refresh()
    assert box.model.rowCount() == 0 and box.none.isVisibleTo(box)


def test_an_end_typed_wrongly_is_corrected_and_the_reminder_goes(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.services import protection_orders as orders
    from fulian_desktop.services import start_page

    from .test_protection_orders import application

    case_id = dv_petition(ctx)
    order_id, _ = orders.apply(ctx, case_id, application())
    orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 5), "", "禁止实施家庭暴力",
                         dt.date(2026, 3, 20))  # the order says 4 September
    assert [i.what for i in start_page.protection_due(ctx)] == ["保护令将到期"]
    view = page(qtbot, ctx, case_id)
    section = view.thread.section(OrderSection)  # type: ignore[union-attr]
    assert isinstance(section, OrderSection) and section.correct_button.isEnabled()
    qtbot.mouseClick(section.correct_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.windowTitle() == "更正保护令"
    type_date(qtbot, editor(d, "ends_on"), "20260904")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.tree.topLevelItem(0).text(2) == "有效期至2026年9月4日"
    assert start_page.protection_due(ctx) == []


def test_a_woman_who_cannot_protect_herself_is_marked_for_the_report(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    view = page(qtbot, ctx, dv_petition(ctx))  # a woman of 35: nothing required by her age
    section = view.thread.section(ReportSection)  # type: ignore[union-attr]
    assert isinstance(section, ReportSection)
    assert "她不是未成年人或老年人" in section.state.text() and section.mark_button.isVisible()
    assert view.page_tabs.tabText(1) == "家暴防护"  # type: ignore[union-attr]
    qtbot.mouseClick(section.mark_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.windowTitle() == "须强制报告"
    press_ok(qtbot, d)
    assert error(d, "ground") == "请选择她属于哪一种不能保护自己的情形"
    ground = editor(d, "ground")
    ground.setFocus()
    qtbot.keyClick(ground, Qt.Key.Key_Down)  # 残疾人
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert section.state.text().startswith("她是残疾人：依法应当及时向公安机关报案")
    assert "今天须报案" in section.state.text()
    assert view.page_tabs.tabText(1) == "家暴防护（须报案）"  # type: ignore[union-attr]


def test_the_start_pages_protection_box_asks_its_question_once_at_start_up(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                                          monkeypatch) -> None:
    """Issue 22: the box read what is due twice as the main window opened (its table sorting the model, then the
    box refreshing it again): at 100,000 cases each reading is the mandatory reports across the office."""
    from fulian_desktop.services import start_page

    dv_petition(ctx, birth=dt.date(2011, 7, 1), received=dt.date(2026, 3, 9))
    asked: list[int] = []
    real = start_page.protection_due

    def counted(c: Context) -> list[start_page.ProtectionItem]:
        asked.append(1)
        return real(c)

    monkeypatch.setattr(start_page, "protection_due", counted)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    box = window.dashboard.protection_box
    assert len(asked) == 1
    assert box.isVisible() and box.table.isVisible() and box.model.rowCount() == 1
    window.dashboard.refresh()  # after a change: read again
    assert len(asked) == 2
