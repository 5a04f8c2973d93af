"""督办: the 主任 marks a case with what is asked and the date; it stands out on its page, in the case list (督办 in
its status, the row in bold) and on the start page (【督办】 before what is due), until the 主任 lifts it with a
reason. Only the 主任 may. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.cases.case_model import COL_CASE_NO, COL_STATUS
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.start_page_parts import COL_WHAT
from fulian_desktop.services import cases, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_petition_course import editor, press_ok


def registered(ctx: Context) -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
        headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷", facts="婆家冷暴力。",
        request="请求妇联出面协调。", dv=False, safety_risk=False, receiving_staff="王秀兰"))[0]


def test_the_director_marks_and_lifts_it_with_what_is_asked(ctx: Context) -> None:
    case_id = registered(ctx)
    with pytest.raises(ValidationError) as e:
        cases.supervise(ctx, case_id, " ", dt.date(2026, 3, 10))
    assert "督办意见" in e.value.errors["supervised_note"]
    with pytest.raises(ValidationError) as e:
        cases.supervise(ctx, case_id, "请尽快答复", dt.date(2026, 3, 11))
    assert e.value.errors["supervised_on"] == "督办日期不能晚于今天"
    with pytest.raises(RuleError, match="没有督办"):
        cases.lift_supervision(ctx, case_id, "已办结")
    cases.supervise(ctx, case_id, "请于3月15日前告知信访人是否受理", dt.date(2026, 3, 10))
    s = cases.supervision(ctx, case_id)
    assert s is not None and s.text == "督办（2026年3月10日，测试员）：请于3月15日前告知信访人是否受理"
    assert petitions.get(ctx, case_id).timeline[-1].note == "2026年3月10日督办：请于3月15日前告知信访人是否受理"
    with pytest.raises(ValidationError):
        cases.lift_supervision(ctx, case_id, "")
    cases.lift_supervision(ctx, case_id, "已告知")
    assert cases.supervision(ctx, case_id) is None
    assert [t.action for t in petitions.get(ctx, case_id).timeline][-2:] == ["督办", "解除督办"]


def test_a_window_clerk_may_not_and_sees_no_button(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = registered(ctx)
    ctx.roles = frozenset({"window"})
    with pytest.raises(PermissionDenied):
        cases.supervise(ctx, case_id, "请尽快", dt.date(2026, 3, 10))
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    assert not view.supervise_button.isVisible()


def test_it_stands_out_on_the_page_in_the_case_list_and_on_the_start_page(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = registered(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView) and view.supervise_button.isVisible()
    qtbot.mouseClick(view.supervise_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "督办"][0]
    press_ok(qtbot, d)
    assert d.isVisible() and "请写明督办意见" in d.form.boxes["supervised_note"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "supervised_note"), "请于3月15日前告知信访人")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert "督办（2026年3月10日，测试员）：请于3月15日前告知信访人" in view.header.text()

    lst = window.case_list
    lst.apply()
    row = next(r for r in range(lst.model.rowCount()) if lst.model.index(r, COL_CASE_NO).data() == "信访〔2026〕第0001号")
    assert lst.model.index(row, COL_STATUS).data() == "已登记 · 督办"
    assert lst.model.index(row, COL_CASE_NO).data(Qt.ItemDataRole.FontRole).bold()

    window.dashboard.refresh()
    table = window.dashboard.due_table
    whats = [table.model().index(r, COL_WHAT).data() for r in range(table.model().rowCount())]
    assert "【督办】告知是否受理" in whats

    qtbot.mouseClick(view.supervise_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "解除督办"][0]
    type_text(qtbot, editor(d, "lift_note"), "已告知信访人")
    press_ok(qtbot, d)
    assert not d.isVisible() and "督办（" not in view.header.text()
