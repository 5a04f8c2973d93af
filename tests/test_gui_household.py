"""A staff member puts a poor household with three members on the register, sets it to monthly,
sees it due, logs a visit with cash and goods, sees it no longer due, logs a visit that finds
violence (a petition opens in the same step), adds a left-behind child and then a whole new care
list through configuration only, and prints the household card — driving the real widgets.

Every person here is made up.
"""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPushButton

from fulian_desktop.domain.filters import RegisterFilter
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.gui.households.household_form import HouseholdForm
from fulian_desktop.gui.households.household_register import COL_DUE, COL_NAMES, RegisterModel
from fulian_desktop.gui.households.household_view import HouseholdView
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.start_page import CasesDueModel
from fulian_desktop.services import households
from fulian_desktop.services.context import Context

from .qt_input import type_text

HEAD_ID = make_id_number("430999", dt.date(1970, 5, 6), 12, female=True)
HUSBAND_ID = make_id_number("430999", dt.date(1968, 2, 1), 31, female=False)
BAD_ID = HUSBAND_ID[:-1] + ("1" if HUSBAND_ID[-1] != "1" else "2")


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    """Click as a user does: a check box or radio button on its box (they stretch wider than their text)."""
    if isinstance(widget, QAbstractButton) and widget.isCheckable() and not isinstance(widget, QPushButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def window(qtbot, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    told: list[str] = []
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: told.append(text))
    w = MainWindow(ctx)
    w.told = told  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.show()
    return w


def add_member(qtbot, form: HouseholdForm, name: str, relation: str, id_number: str = "",  # type: ignore[no-untyped-def]
               birth: str = "", **combos: str) -> int:
    click(qtbot, form.members.add_button)
    r = form.members.count() - 1
    type_text(qtbot, form.members.editor(r, "name"), name)
    type_text(qtbot, form.members.editor(r, "relation"), relation)
    if id_number:
        qtbot.keyClicks(form.members.editor(r, "id_number"), id_number)
        form.members.editor(r, "id_number").editingFinished.emit()
    if birth:
        qtbot.keyClicks(form.members.editor(r, "birth_date"), birth)
    for field, value in combos.items():
        choose(form.members.editor(r, field), value)
    return r


def test_register_visit_petition_and_print_as_a_user(qtbot, window: MainWindow, ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    window.action_new_household.trigger()
    form = window.last_household_form
    assert isinstance(form, HouseholdForm)
    choose(form.care_list, "帮扶户（按户）")
    assert form.poverty_box.isVisibleTo(form) and form.head_box.title() == "户主"

    # the head of household, from the shared person fields
    type_text(qtbot, form.head.name, "王秀英")
    form.head.name.editingFinished.emit()
    qtbot.keyClicks(form.head.id_number, HEAD_ID)
    form.head.id_number.editingFinished.emit()
    assert form.head.sex.currentText() == "女"
    qtbot.keyClicks(form.head.phone, "13800138000")
    choose(form.head_health, "慢性病")
    choose(form.head_work, "弱劳动力")

    # two more members in the editable table; one ID number mistyped
    add_member(qtbot, form, "李大山", "配偶", BAD_ID, health="残疾", work_ability="丧失劳动力")
    add_member(qtbot, form, "李小花", "之女", birth="2012-03-01", health="健康", schooling="初中")
    assert form.members.editor(0, "id_number").toolTip()  # read as it was typed: wrong

    # the causes: one or two — a third waits
    choose(form.household_type, "低保户")
    click(qtbot, form.causes["因病"])
    click(qtbot, form.causes["缺劳力"])
    assert not form.causes["因残"].isEnabled()
    type_text(qtbot, form.extra_editor("耕地面积（亩）"), "2.5")

    # saving without a township and with the wrong ID number: errors in place, nothing lost
    click(qtbot, form.save_button)
    assert form.isVisible()
    assert "请选择乡镇" in form.aform.boxes["township"].error()
    assert "第1行 身份证号" in form.members.message.text()
    assert form.members.editor(1, "name").text() == "李小花"
    assert "需要修改" in form.summary.text()

    form.members.editor(0, "id_number").clear()
    qtbot.keyClicks(form.members.editor(0, "id_number"), HUSBAND_ID)
    form.members.editor(0, "id_number").editingFinished.emit()
    assert combo_text(form.members.editor(0, "sex")) == "男"
    choose(form.township, "东山镇")
    type_text(qtbot, form.village, "石桥村")
    type_text(qtbot, form.address, "三组18号")
    # visit plan: monthly, and the responsible cadre
    assert form.rhythm.preset.currentText() == "每月一次"
    type_text(qtbot, form.cadre_name, "赵红梅")
    type_text(qtbot, form.cadre_unit, "县妇联权益部")
    with qtbot.waitSignal(form.saved) as saved:
        click(qtbot, form.save_button)
    case_id, case_no = saved.args
    assert case_no == "帮扶〔2026〕第0001号"
    assert not form.isVisible()

    # its page opened: three people, due today
    view = window.tabs.currentWidget()
    assert isinstance(view, HouseholdView)
    assert "今天应走访" in view.header.text() and "每月一次" in view.header.text()
    assert [m.person.name for m in view.household.everyone] == ["王秀英", "李大山", "李小花"]
    assert "赵红梅（现任）" in view.details.toPlainText()

    # seen as due: in the register (this month's filter) and on the start page
    register = window.show_register()
    register.show_due("this_month")
    assert register.model.rowCount() == 1
    assert register.model.index(0, COL_NAMES).data() == "王秀英"
    assert register.model.index(0, COL_DUE).data() == "今天应走访"
    visits = window.dashboard.visits_box.table.rows()  # 案件编号, 当事人, 待办事项, 到期日, 时限
    assert any(r[1] == "王秀英" and r[2].startswith("走访 · ") and r[4] == "今天到期" for r in visits), visits

    # log a visit: solace with cash and goods, and a promise → a task
    window.open_case(case_id)
    visit = view.make_visit_form()
    visit.open()
    click(qtbot, visit.kind_buttons["solace"])
    qtbot.keyClicks(visit.cash, "500")
    type_text(qtbot, visit.goods, "大米一袋、食用油一桶")
    qtbot.keyClicks(visit.goods_value, "150.5")
    type_text(qtbot, visit.seen, "家中整洁，李大山腿伤未愈。")
    type_text(qtbot, visit.asked, "孩子上学有困难")
    type_text(qtbot, visit.promised, "联系教育局了解助学金")
    click(qtbot, visit.save_button)
    assert not visit.isVisible()
    assert "下次走访4月10日" in view.header.text()
    assert view.visits.item(0, 3).text() == "¥500.00"
    assert "¥150.50" in view.visits.item(0, 4).text()
    assert "待办事项（1）" == view.side.tabText(1)

    # no longer due: the register's filter is empty, the start page shows only the promised task
    register.refresh()
    assert register.model.rowCount() == 0
    dash = window.dashboard.visits_box.table.rows()
    assert not any(r[2].startswith("走访") for r in dash), dash
    assert any(r[2] == "待办：联系教育局了解助学金" for r in dash), dash

    # another visit finds violence: a petition for her opens in the same step, linked back
    clock.advance(2)
    visit = view.make_visit_form()
    visit.open()
    type_text(qtbot, visit.seen, "王秀英手臂有淤青，称丈夫酒后打人。")
    click(qtbot, visit.found)
    assert visit.finding_box.isVisible()
    choose(visit.person, "王秀英（户主）")
    click(qtbot, visit.save_button)
    assert visit.isVisible() and "诉求" in visit.fform.boxes["finding.request"].error()
    type_text(qtbot, visit.finding_request, "请求妇联制止家暴")
    type_text(qtbot, visit.respondent, "李大山")
    click(qtbot, visit.save_button)
    assert not visit.isVisible()
    assert any("信访〔2026〕第0001号" in t for t in window.told)  # type: ignore[attr-defined]
    petition_view = window.tabs.currentWidget()
    assert isinstance(petition_view, PetitionView)
    assert petition_view.petition.petitioner.name == "王秀英" and petition_view.petition.dv
    related = [petition_view.related.item(i).text() for i in range(petition_view.related.count())]
    assert any(case_no in r for r in related)
    assert any("信访〔2026〕第0001号" in view.related.item(i).text() for i in range(view.related.count()))

    # print the household card
    preview = window.print_case(case_id)
    assert preview is not None and preview.document.pageCount() >= 1
    doc = pdfium.PdfDocument(preview.pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r\n", "")
    for expected in ("帮扶手册", case_no, "王秀英", "李大山", "李小花", HEAD_ID, "赵红梅", "大米一袋",
                     "伍佰元整", "壹佰伍拾元伍角", "户主（签字或捺印）"):
        assert expected in text, expected
    assert preview.suggested_name.startswith("帮扶手册_王秀英_")
    preview.close()

    # and one visit's record, from the page's print menu
    view.visits.selectRow(1)
    record = view.print_selected_visit()
    assert record is not None
    doc = pdfium.PdfDocument(record.pdf)
    assert "走访慰问记录表" in doc[0].get_textpage().get_text_range()
    record.close()


def combo_text(c: QComboBox) -> str:
    return c.currentText()


def test_care_list_entries_and_a_new_list_through_configuration_only(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    # a left-behind child on the 留守儿童 list: the same form asks for that list's own fields
    window.action_new_household.trigger()
    form = window.last_household_form
    assert form is not None
    choose(form.care_list, "留守儿童")
    assert form.head_box.title() == "留守儿童（本人）"
    assert not form.poverty_box.isVisibleTo(form)
    assert form.members.table.horizontalHeaderItem(1).text() == "与本人关系"
    type_text(qtbot, form.head.name, "陈小宝")
    choose(form.head.sex, "男")
    qtbot.keyClicks(form.head.birth_date, "2016-08-01")
    choose(form.head_schooling, "小学")
    choose(form.township, "西河乡")
    type_text(qtbot, form.extra_editor("监护人"), "陈桂兰")
    choose(form.extra_editor("监护类型"), "祖辈监护")  # type: ignore[arg-type]
    type_text(qtbot, form.extra_editor("父母务工地"), "广东东莞")
    add_member(qtbot, form, "陈桂兰", "之祖母", birth="1950-01-01")
    with qtbot.waitSignal(form.saved) as saved:
        click(qtbot, form.save_button)
    child_id, child_no = saved.args
    h = households.get(ctx, child_id)
    assert h.list_name == "留守儿童" and h.head.relation == "本人"
    assert ("监护类型", "祖辈监护") in [(f.label, h.extra.get(f.key)) for f in h.care_list.fields]  # type: ignore[union-attr]

    # the office adds a list — 困境儿童 — in 设置 → 关爱对象名单, with two fields of its own
    lists = window.edit_care_lists()
    click(qtbot, lists.new_button)
    type_text(qtbot, lists.name, "困境儿童")
    choose(lists.unit, "按人登记（如留守儿童）")
    choose(lists.rhythm, "每季度一次")
    click(qtbot, lists.fields.add_button)
    type_text(qtbot, lists.fields.cell(0, 0), "困境类型")
    choose(lists.fields.cell(0, 1), "选项")  # type: ignore[arg-type]
    type_text(qtbot, lists.fields.cell(0, 2), "孤儿、事实无人抚养、重病重残")
    click(qtbot, lists.fields.add_button)
    type_text(qtbot, lists.fields.cell(1, 0), "认定日期")
    choose(lists.fields.cell(1, 1), "日期")  # type: ignore[arg-type]
    click(qtbot, lists.save_button)
    assert lists.message.text() == "已保存。"
    names = [lists.lists.item(i).text() for i in range(lists.lists.count())]
    assert "困境儿童" in names
    lists.close()

    # …and it is at once on the form, the register and the visit plan — no new code
    window.action_new_household.trigger()
    form = window.last_household_form
    assert form is not None
    choose(form.care_list, "困境儿童")
    kind = form.extra_editor("困境类型")
    assert isinstance(kind, QComboBox) and kind.findText("事实无人抚养") >= 0
    assert isinstance(form.extra_editor("认定日期"), QLineEdit)
    assert form.rhythm.preset.currentText() == "每季度一次"
    type_text(qtbot, form.head.name, "周小雨")
    choose(form.township, "南岭镇")
    choose(kind, "事实无人抚养")
    qtbot.keyClicks(form.extra_editor("认定日期"), "2026/3/1")  # type: ignore[arg-type]
    with qtbot.waitSignal(form.saved) as saved:
        click(qtbot, form.save_button)
    new_id, _ = saved.args
    h = households.get(ctx, new_id)
    assert h.list_name == "困境儿童" and h.rhythm is not None and h.rhythm.label() == "每季度一次"
    assert sorted(h.extra.values()) == ["2026-03-01", "事实无人抚养"]

    register = window.show_register()
    register.reload_lists()
    choose(register.care_list, "困境儿童")
    assert [r.names for r in register.rows()] == ["周小雨"]
    choose(register.care_list, "全部名单")
    assert {r.names for r in register.rows()} == {"陈小宝", "周小雨"}
    assert all(r.due_on == ctx.today() for r in register.rows())  # both due: nobody has visited yet
    view = window.open_case(new_id)
    assert isinstance(view, HouseholdView) and "困境类型" in view.details.toPlainText()
    _ = child_no


def test_register_model_passes_qt_model_checks(qtbot, qtmodeltester, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.domain.household import Household, Member
    from fulian_desktop.domain.records import Person

    poor = households.care_lists(ctx)[0]
    for name in ("王秀英", "张金花", "刘桂芳"):
        households.register(ctx, Household(list_id=poor.id or 0, received_on=ctx.today(),
                                           head=Member(Person(name=name), relation=""), members=[],
                                           township="东山镇", household_type="一般户", causes=["因病"]))
    model = RegisterModel(ctx)
    model.set_filter(RegisterFilter())
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    model.sort(COL_NAMES, Qt.SortOrder.AscendingOrder)
    assert [model.index(i, COL_NAMES).data() for i in range(3)] == sorted(["王秀英", "张金花", "刘桂芳"])


def test_visit_finding_a_dispute_opens_a_mediation(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.domain.household import Household, Member
    from fulian_desktop.domain.mediation import Mediator
    from fulian_desktop.domain.records import Person
    from fulian_desktop.gui.mediation.mediation_view import MediationView
    from fulian_desktop.services import mediations

    mediations.save_mediator(ctx, Mediator(name="周敏", title="专职调解员"))
    poor = households.care_lists(ctx)[0]
    case_id, case_no = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=ctx.today(), head=Member(Person(name="王秀英", sex="女"), relation=""),
        members=[Member(Person(name="李大山", sex="男"), relation="配偶")], township="东山镇",
        household_type="一般户", causes=["因病"]))
    view = window.open_case(case_id)
    assert isinstance(view, HouseholdView)
    visit = view.make_visit_form()
    visit.open()
    type_text(qtbot, visit.seen, "夫妻为女儿上学的费用争吵，已分居一周。")
    click(qtbot, visit.found)
    click(qtbot, visit.finding_buttons["dispute"])
    click(qtbot, visit.route_buttons["mediation"])
    assert visit.fform.boxes["finding.mediator"].isVisibleTo(visit)
    choose(visit.respondent, "李大山")
    choose(visit.dispute_type, "抚养")
    type_text(qtbot, visit.finding_request, "希望调解和好")
    click(qtbot, visit.save_button)
    assert visit.isVisible() and "调解员" in visit.fform.boxes["finding.mediator"].error()
    choose(visit.mediator, "周敏（专职调解员）")
    click(qtbot, visit.save_button)
    assert not visit.isVisible()
    mediation_view = window.tabs.currentWidget()
    assert isinstance(mediation_view, MediationView)
    m = mediation_view.mediation
    assert m.dispute_type == "抚养" and [p.person.name for p in m.respondents] == ["李大山"]
    assert any(case_no in c for _i, c, _k in m.links)


def test_household_page_actions_and_the_monthly_sheet(qtbot, window: MainWindow, ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.domain.household import Household, Member, Visit
    from fulian_desktop.domain.records import Person

    poor = households.care_lists(ctx)[0]
    case_id, _ = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=ctx.today(), head=Member(Person(name="张金花", sex="女"), relation=""),
        members=[], township="南岭镇", village="竹园村", household_type="特困供养户", causes=["因病"]))
    households.log_visit(ctx, case_id, Visit(visited_on=ctx.today(), visitors="刘芳", kind="visit", seen="独居",
                                             promised="帮助申请临时救助", promise_due=dt.date(2026, 3, 20)))
    view = window.open_case(case_id)
    assert isinstance(view, HouseholdView)

    d = view.make_cadre_dialog()
    d.open()
    click(qtbot, d.ok_button)
    assert d.isVisible() and "姓名" in d.form.boxes["name"].error()
    type_text(qtbot, d.form.boxes["name"].editor, "孙立平")
    type_text(qtbot, d.form.boxes["unit"].editor, "县妇联办公室")
    click(qtbot, d.ok_button)
    assert not d.isVisible() and "孙立平（现任）" in view.details.toPlainText()

    d = view.make_rhythm_dialog()
    d.open()
    choose(view._rhythm_edit.preset, "每周一次")
    click(qtbot, d.ok_button)
    assert "每周一次" in view.header.text()

    d = view.make_measure_dialog()
    d.open()
    type_text(qtbot, d.form.boxes["kind"].editor, "公共服务")
    type_text(qtbot, d.form.boxes["detail"].editor, "纳入特困供养，发放供养金")
    type_text(qtbot, d.form.boxes["amount"].editor, "1百")
    click(qtbot, d.ok_button)
    assert d.isVisible() and "数字" in d.form.boxes["amount"].error()
    d.form.boxes["amount"].editor.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(d.form.boxes["amount"].editor, "1200")
    click(qtbot, d.ok_button)
    assert not d.isVisible() and "¥1,200.00" in view.details.toPlainText()

    view.tasks.setCurrentRow(0)
    task_id = view.tasks.currentItem().data(Qt.ItemDataRole.UserRole + 5)
    d = view.make_task_done_dialog(int(task_id))
    d.open()
    type_text(qtbot, d.form.boxes["note"].editor, "已申请")
    click(qtbot, d.ok_button)
    assert view.tasks.item(0).text().startswith("☑") and view.side.tabText(1) == "待办事项（0）"

    d = view.make_exit_dialog()
    d.open()
    click(qtbot, d.ok_button)
    assert "退出原因" in d.form.boxes["exit_reason"].error()
    type_text(qtbot, d.form.boxes["exit_reason"].editor, "入住敬老院集中供养")
    click(qtbot, d.ok_button)
    assert "已退出" in view.header.text() and not view.visit_button.isEnabled()

    # the monthly sheet from the register: every planned visit of the month, for sign-off
    households.resume(ctx, case_id)
    register = window.show_register()
    d = register.make_month_dialog()
    click(qtbot, d.ok_button)
    preview = register.last_preview
    assert preview is not None
    doc = pdfium.PdfDocument(preview.pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "月度走访计划表" in text and "张金花" in text and "2026年3月" in text
    preview.close()


def test_a_role_without_household_work_is_not_shown_it(qtbot, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    warned: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _p, _t, text: warned.append(text))
    ctx.roles = frozenset({"mediator"})  # 调解员: no household.read
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    assert not w.dashboard.visits_box.isVisible()
    assert w.show_register() is None and warned


def test_the_start_page_counts_everything_due_though_it_lists_the_earliest(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy office has more due than the start page lists at once: the buttons and the summary count them all;
    the table of cases due holds every one of them (fetched a page at a time as she scrolls), the visits table
    the earliest, with a grey line saying how many more there are and where to see them."""
    from fulian_desktop.demo import generate as demo
    from fulian_desktop.domain.filters import CaseFilter
    from fulian_desktop.gui.households.household_widgets import VisitsDueModel
    from fulian_desktop.services import cases

    demo.generate(ctx, 200, seed=5)
    monkeypatch.setattr(VisitsDueModel, "LIST_ROWS", 2)
    monkeypatch.setattr(CasesDueModel, "PAGE", 3)  # pages of three rows: the table still holds every case due
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    dash = w.dashboard
    overdue = cases.count(ctx, CaseFilter(due="overdue"))
    due_soon = cases.count(ctx, CaseFilter(due="due_soon")) - overdue
    assert overdue + due_soon > 3
    assert dash.overdue_button.text() == f"已逾期 {overdue} 件"
    assert dash.due_soon_button.text() == f"本周到期 {due_soon} 件"
    rows = dash.due_table.rows()
    assert len(rows) == overdue + due_soon and all(r[0] for r in rows)
    assert [r[4].startswith("逾期") for r in rows] == [True] * overdue + [False] * due_soon  # the overdue first

    month = households.register_count(ctx, RegisterFilter(due="this_month"))
    late = households.register_count(ctx, RegisterFilter(due="overdue"))
    assert month > 2
    assert dash.visits_box.summary.text().startswith(f"本月应走访 {month} 户（人），其中已逾期 {late}；")
    visits = dash.visits_box.table.rows()
    assert sum(r[2].startswith("走访") for r in visits) == 2
    assert dash.visits_box.more.isVisible()
    assert dash.visits_box.more.text().startswith(f"表中只列出最早到期的 2 户（人），全部 {month} 户（人）请看帮扶走访名册")

