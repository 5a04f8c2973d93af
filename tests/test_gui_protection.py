"""家暴防护 on the case page: the tab beside a domestic-violence case's details, for the roles that handle the
case; its sections (risk assessment, safety plan …) driven as a clerk would. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QSpinBox, QTabWidget

from fulian_desktop.domain.dv_risk import RiskForm, Thresholds
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.protection_order import Application
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Organisation
from fulian_desktop.domain.safety_plan import SafetyPlanForm
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.protection.checklist_dialog import COL_ASKED, COL_QUESTION, COL_WEIGHT, ChecklistDialog
from fulian_desktop.gui.protection.person_page import PersonPage
from fulian_desktop.gui.protection.risk_section import RiskSection
from fulian_desktop.gui.protection.safety_section import SafetySection
from fulian_desktop.gui.security.admin_window import AdminWindow
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import (
    dv_risk,
    organisations,
    petitions,
    protection,
    protection_orders,
    referrals,
    safety_plans,
)
from fulian_desktop.services.context import Context

from .qt_input import type_text


def dv_petition(ctx: Context, dv: bool = True, id_number: str = "") -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), concerned=None,
        petitioner=Person(name="柳如烟", sex="女", id_number=id_number, birth_date=dt.date(1990, 3, 8) if id_number else None),
        headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
        facts="丈夫酒后多次殴打，最近一次掐她的脖子。", request="请求妇联帮助。", dv=dv, safety_risk=dv,
        receiving_staff="王秀兰", respondent_name="赵大力", respondent_relation="丈夫"))[0]


def test_the_tab_is_there_for_a_dv_case_and_the_roles_that_handle_it(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    dv = dv_petition(ctx)
    plain = dv_petition(ctx, dv=False)
    view = PetitionView(ctx, dv)
    qtbot.addWidget(view)
    assert view.page_tabs is not None and view.thread is not None
    assert [view.page_tabs.tabText(i) for i in range(view.page_tabs.count())] == ["案件", "家暴防护"]
    other = PetitionView(ctx, plain)
    qtbot.addWidget(other)
    assert other.page_tabs is None and not other.findChildren(QTabWidget)
    ctx.roles = frozenset({"mediator"})  # reads petitions, does not handle them: no tab
    reader = PetitionView(ctx, dv)
    qtbot.addWidget(reader)
    assert reader.thread is None


# --- 风险评估 and 安全计划, driven as a clerk would -----------------------------------------------------------


def open_thread(qtbot, ctx: Context, case_id: int) -> PetitionView:  # type: ignore[no-untyped-def]
    """Her case opened from the main window, and the 家暴防护 tab clicked."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView) and view.page_tabs is not None
    bar = view.page_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert view.page_tabs.currentIndex() == 1
    return view


def test_a_clerk_assesses_her_risk_with_the_keyboard_and_sees_level_and_trend(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx)
    view = open_thread(qtbot, ctx, case_id)
    assert view.thread is not None
    section = view.thread.section(RiskSection)
    assert isinstance(section, RiskSection)
    assert "还没有风险评估" in section.current.text() and not section.print_button.isEnabled()
    qtbot.mouseClick(section.assess_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.isVisible()
    # the first item, then Tab to the next and Space to tick: 她非常害怕 (2), 暴力越来越频繁 (2) and 越来越严重 (3)
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is d)
    d.ticks["injury"].setFocus()
    codes = list(d.ticks)
    for n in range(len(codes)):
        focused = QApplication.focusWidget()
        assert isinstance(focused, QCheckBox) and focused is d.ticks[codes[n]]
        if codes[n] in ("afraid", "more_often", "worse"):
            qtbot.keyClick(focused, Qt.Key.Key_Space)
        if n < len(codes) - 1:
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert {c for c, t in d.ticks.items() if t.isChecked()} == {"afraid", "more_often", "worse"}
    assert "中（橙色）" in d.outcome.text() and "7分" in d.outcome.text()
    assert d.level.currentData() == "medium"  # follows the checklist until she chooses
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "中（橙色）" in section.current.text() and "7分" in section.current.text()
    assert section.history.count() == 1
    assert view.page_tabs.tabText(1) == "家暴防护"  # nothing urgent at 中
    # a later contact: strangling ticked — 高 on its own — and she tries to lower it to 低 without a reason
    ctx.clock.advance(3)  # type: ignore[attr-defined]
    qtbot.mouseClick(section.assess_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.occasion.currentText() == "来访"
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is d)
    d.ticks["strangle"].setFocus()
    qtbot.keyClick(d.ticks["strangle"], Qt.Key.Key_Space)
    assert d.level.currentData() == "high" and "有一项即为高风险的情形" in d.outcome.text()
    d.level.setFocus()
    qtbot.keyClick(d.level, Qt.Key.Key_Down)
    qtbot.keyClick(d.level, Qt.Key.Key_Down)
    assert d.level.currentData() == "low"
    assert d.form.boxes["level_reason"].hint() == "比清单评估的“高”低，须写明理由"
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible()  # refused, said next to the field; nothing lost
    assert d.form.boxes["level_reason"].error().startswith("按清单评估为“高”，定为“低”须写明理由")
    assert d.ticks["strangle"].isChecked() and d.level.currentData() == "low"
    assert len(dv_risk.assessments(ctx, case_id)) == 1
    type_text(qtbot, d.reason, "一次性事件，对方已被拘留")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "低（黄色）" in section.current.text()
    assert view.page_tabs.tabText(1) == "家暴防护"  # lowered (with its reason): no longer 高风险
    assert section.trend.text().endswith("中 → 2026年3月13日 低（下降）")
    assert "下调（按清单为高）" in section.history.item(0).text() and "一次性事件" in section.history.item(0).text()
    # the timeline on the 案件 tab has both lines
    assert [view.timeline.item(i).text() for i in range(2)][0].count("风险评估") == 1
    # Enter on an assessment prints it
    section.history.setCurrentRow(1)
    qtbot.keyClick(section.history, Qt.Key.Key_Return)
    assert section.last_preview is not None and section.last_preview.suggested_name.startswith("家庭暴力风险评估表_柳如烟")


def test_a_high_risk_shows_on_the_tab(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx)
    dv_risk.assess(ctx, case_id, RiskForm(dt.date(2026, 3, 10), "登记时", {"weapon"}))
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    assert view.page_tabs is not None and view.page_tabs.tabText(1) == "家暴防护（高风险）"


def test_the_tab_seen_is_in_the_audit_trail(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx)
    seen = "SELECT count(*) FROM audit WHERE event = 'protection.view' AND case_id = ?"
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView) and view.page_tabs is not None
    assert ctx.db.execute(seen, [case_id]).fetchone()[0] == 0  # the 案件 tab only: not yet
    view.page_tabs.setCurrentIndex(1)
    view.page_tabs.setCurrentIndex(0)
    view.page_tabs.setCurrentIndex(1)
    assert ctx.db.execute(seen, [case_id]).fetchone()[0] == 1  # once per opening


def test_a_clerk_makes_a_safety_plan_and_prints_the_plain_version(qtbot, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, **_k: asked.append(text) or answer[0])
    case_id = dv_petition(ctx)
    view = open_thread(qtbot, ctx, case_id)
    assert view.thread is not None
    section = view.thread.section(SafetySection)
    assert isinstance(section, SafetySection) and not section.plain_button.isEnabled()
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is d)
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # empty: said next to the first part
    assert d.isVisible() and "至少写一项" in d.form.boxes["safe_place"].error()
    type_text(qtbot, d.parts["safe_place"], "娘家（东山镇李村）")
    qtbot.keyClick(d.parts["safe_place"], Qt.Key.Key_Tab)  # Tab leaves the box (it types no tab)
    assert QApplication.focusWidget() is d.parts["contacts"]
    type_text(qtbot, d.parts["contacts"], "妇联王姐 13800001111")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "娘家（东山镇李村）" in section.text.text() and section.edit_button.text() == "修改安全计划…"
    # the plain paper: 妇联 in her own words — asked first; no: nothing printed
    qtbot.mouseClick(section.plain_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "“妇联”" in asked[0] and section.last_preview is None
    answer[0] = True
    qtbot.mouseClick(section.plain_button, Qt.MouseButton.LeftButton)
    assert section.last_preview is not None and section.last_preview.suggested_name == "备忘_2026-03-10.pdf"
    qtbot.mouseClick(section.print_button, Qt.MouseButton.LeftButton)
    assert section.last_preview.suggested_name == "安全计划_柳如烟_2026-03-10.pdf"
    plan = safety_plans.current(ctx, case_id)
    assert plan is not None and plan.contacts == "妇联王姐 13800001111"


# --- 当事人全貌: one picture of her, from any of her cases ---------------------------------------------------


HER_ID = "430421199003080427"  # made up, with a valid check digit


def her_story(ctx: Context) -> tuple[int, int, int]:
    """Two petitions of hers (the second about violence, assessed, with a plan) and a shelter referral answered."""
    first = dv_petition(ctx, dv=False, id_number=HER_ID)
    ctx.clock.advance(2)  # type: ignore[attr-defined]
    second = dv_petition(ctx, id_number=HER_ID)
    dv_risk.assess(ctx, second, RiskForm(dt.date(2026, 3, 12), "登记时", {"afraid", "worse", "more_often"}))
    dv_risk.assess(ctx, second, RiskForm(dt.date(2026, 3, 12), "来电", {"strangle"}))
    safety_plans.save(ctx, second, SafetyPlanForm(dt.date(2026, 3, 12), safe_place="娘家"))
    org = organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service="庇护所/救助管理站"))
    form = referrals.form_from_petition(ctx, second, "庇护所/救助管理站")
    form.organisation, form.help_kinds = organisations.get(ctx, org), ["临时庇护"]
    shelter, _no = referrals.refer_from_petition(ctx, second, form)
    order_id, _doc = protection_orders.apply(ctx, second, Application(
        respondent="赵大力", respondent_relation="丈夫", requests=["禁止被申请人实施家庭暴力"],
        facts="被申请人酒后殴打申请人。", evidence=["告诫书"], court="东山县人民法院"))
    protection_orders.record_ruling(ctx, second, order_id, "granted", dt.date(2026, 3, 5), "（2026）东民保令1号",
                                    "禁止被申请人实施家庭暴力", dt.date(2026, 9, 4))
    return first, second, shelter


def test_her_person_page_from_any_of_her_cases(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    first, second, shelter = her_story(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(first)  # the case without violence: the page is reachable from it too
    assert isinstance(view, PetitionView) and view.person_button.isVisible()
    qtbot.mouseClick(view.person_button, Qt.MouseButton.LeftButton)
    page = view.person_page
    assert isinstance(page, PersonPage) and page.isVisible() and page.windowTitle() == "当事人全貌 — 柳如烟"
    assert page.cases.count() == 3  # both petitions and the referral (she is its applicant)
    marked = {page.cases.item(i).data(Qt.ItemDataRole.UserRole + 3) for i in range(3)
              if "【家暴】" in page.cases.item(i).text()}
    assert marked == {second, shelter}  # the referral of a DV victim is about violence too
    assert "高（红色）" in page.risk.text() and "2026年3月12日 中 → 2026年3月12日 高（上升）" in page.risk.text()
    assert page.plan.text().startswith("2026年3月12日制定")
    assert page.orders.text() == "信访〔2026〕第0002号：正在生效，至2026年9月4日"
    assert page.referrals.count() == 1 and "庇护所/救助管理站　县救助管理站" in page.referrals.item(0).text()
    assert page.due.count() >= 1 and "告知" in page.due.item(0).text()
    # Enter on her other petition opens it in the main window
    page.cases.setFocus()
    row = next(i for i in range(3) if page.cases.item(i).data(Qt.ItemDataRole.UserRole + 3) == second)
    page.cases.setCurrentRow(row)
    qtbot.keyClick(page.cases, Qt.Key.Key_Return)
    assert window.open_views.get(second) is not None
    seen = ctx.db.execute("SELECT count(*) FROM audit WHERE event = 'protection.view' AND target LIKE 'person:%'")
    assert seen.fetchone()[0] == 1


def test_the_person_page_is_for_the_staff_allowed(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    _first, second, _shelter = her_story(ctx)
    ctx.roles = frozenset({"mediator"})
    view = PetitionView(ctx, second)
    qtbot.addWidget(view)
    view.show()
    assert not view.person_button.isVisible()
    with pytest.raises(PermissionDenied):
        protection.person_picture(ctx, 1)
    ctx.roles = frozenset({"window"})
    p = protection.person_picture(ctx, protection.person_of(ctx, second) or 0)
    assert p.person.phone == "" or "*" in p.person.phone or p.person.phone.isdigit()
    assert len(p.assessments) == 2




# --- 风险评估清单: the administrator adjusts the checklist ----------------------------------------------------


def test_the_administrator_adjusts_the_checklist(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    ctx.roles = frozenset({"admin"})
    window = AdminWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.checklist_button, Qt.MouseButton.LeftButton)
    d = window.security.last_dialog
    assert isinstance(d, ChecklistDialog) and d.table.rowCount() == 22
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is d)
    # 她非常害怕: 2 points → 3, with the keyboard
    weight = d.table.cellWidget(1, COL_WEIGHT)
    assert isinstance(weight, QSpinBox)
    weight.setFocus()
    qtbot.keyClick(weight, Qt.Key.Key_Up)
    # 他虐待过家里的牲畜或宠物 no longer asked: the 启用 box unticked with Space
    d.table.setFocus()
    d.table.setCurrentCell(16, COL_ASKED)
    qtbot.keyClick(d.table, Qt.Key.Key_Space)
    # a question of our own
    qtbot.mouseClick(d.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert editor is not None and d.table.currentRow() == 22
    type_text(qtbot, editor, "他扬言要把孩子带走")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # 这次暴力造成了伤害 one place down
    d.table.setCurrentCell(0, COL_QUESTION)
    qtbot.mouseClick(d.down_button, Qt.MouseButton.LeftButton)
    assert d.table.item(1, COL_QUESTION).text() == "这次暴力造成了伤害" and d.table.currentRow() == 1
    # thresholds out of order: said next to the field, nothing saved
    d.high.setValue(5)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and d.form.boxes["high_from"].error() == "“高”的起点应大于“中”的起点"
    assert len(dv_risk.items_for_admin(ctx)[0]) == 22
    d.high.setValue(12)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    ctx.roles = None
    items, t = dv_risk.checklist(ctx)
    assert t == Thresholds(12, 6)
    assert [i.code for i in items[:2]] == ["afraid", "injury"] and items[0].weight == 3
    assert "animals" not in {i.code for i in items}
    assert items[-1].question == "他扬言要把孩子带走" and items[-1].source == "本地增加"


def test_the_checklist_is_in_the_settings_menu_for_whoever_changes_settings(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)  # the test account also holds the administrator's role
    qtbot.addWidget(window)
    assert window.checklist_action is not None and window.checklist_action in window.ui.menuSettings.actions()
    window.checklist_action.trigger()
    assert isinstance(window.security.last_dialog, ChecklistDialog)
    window.security.last_dialog.done(0)
    ctx.roles = frozenset({"window", "director"})
    clerk = MainWindow(ctx)
    qtbot.addWidget(clerk)
    assert clerk.checklist_action is None


def test_a_phone_in_a_reason_is_masked_in_the_list(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = dv_petition(ctx)
    dv_risk.assess(ctx, case_id, RiskForm(dt.date(2026, 3, 10), "登记时", {"weapon"}, level="medium",
                                          level_reason="已由她哥哥接走，哥哥电话13812345678"))
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    assert view.thread is not None
    section = view.thread.section(RiskSection)
    assert isinstance(section, RiskSection)
    line = section.history.item(0).text()
    assert "13812345678" not in line and "138****5678" in line
