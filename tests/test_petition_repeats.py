"""Repeat petitions (重复信访): a petition by the same person, or about the same matter, within 12 months of an
earlier one is flagged at intake and linked to it; the clerk confirms or clears it (clearing says why); the
statistics count 初信初访, 重复信访 and 重复信访率, on the page and in the drafted paragraph. Every person here is
made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.reports import statistics, summary
from fulian_desktop.services import case_documents, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_petition_course import editor, pick, press_ok
from .test_petition_course import text_of

HER = make_id_number("439021", dt.date(1988, 4, 2), 31, female=True)


def register(ctx: Context, received: dt.date, id_number: str = HER, name: str = "柳如烟", respondent: str = "",
             category: str = "婚姻家庭") -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=received, petitioner=Person(name=name, sex="女", id_number=id_number),
        concerned=None, headcount=1, township="东山镇", village="", category=category, subcategory="",
        facts="丈夫又动手了。", request="请妇联帮助。", dv=False, safety_risk=False, receiving_staff="王秀兰",
        respondent_name=respondent))[0]


def test_she_came_within_12_months_her_new_petition_is_flagged_and_linked(ctx: Context) -> None:
    first = register(ctx, dt.date(2025, 3, 10))
    assert petitions.get(ctx, first).repeat_of is None  # her first: 初信初访
    again = register(ctx, dt.date(2026, 3, 10))  # exactly 12 months on: still within
    p = petitions.get(ctx, again)
    assert (p.repeat_of, p.repeat_of_no, p.repeat_state) == (first, "信访〔2025〕第0001号", "suspected")
    assert (first, "信访〔2025〕第0001号", "petition") in p.links
    assert p.timeline[-1].note == ("疑似重复信访：与信访〔2025〕第0001号（2025年3月10日收到）同一信访人，"
                                   "请核实后确认或排除")
    text = text_of(case_documents.print_entry(ctx, again, case_documents.list_documents(ctx, again)[0])[0])
    assert "重复信访" in text and "待核实，前次：信访〔2025〕第0001号" in text


def test_a_day_beyond_12_months_is_a_first_petition_again(ctx: Context) -> None:
    register(ctx, dt.date(2025, 3, 9))
    assert petitions.get(ctx, register(ctx, dt.date(2026, 3, 10))).repeat_of is None


def test_the_same_matter_from_someone_else_is_flagged_too(ctx: Context) -> None:
    first = register(ctx, dt.date(2026, 1, 5), respondent="石桥村村民委员会", category="财产权益")
    other = make_id_number("439021", dt.date(1975, 8, 9), 44, female=True)
    neighbour = register(ctx, dt.date(2026, 2, 1), other, "王秀英", "石桥村村民委员会", "财产权益")
    p = petitions.get(ctx, neighbour)
    assert p.repeat_of == first and "反映同一事项" in p.timeline[-1].note
    unrelated = register(ctx, dt.date(2026, 2, 2), make_id_number("439021", dt.date(1980, 1, 1), 46, female=True),
                         "李梅", "石桥村村民委员会", "婚姻家庭")  # another category: another matter
    assert petitions.get(ctx, unrelated).repeat_of is None
    # two women each complaining of a husband written 刘某 are two matters
    register(ctx, dt.date(2026, 2, 3), make_id_number("439021", dt.date(1981, 1, 1), 48, female=True), "周敏", "刘某")
    later = register(ctx, dt.date(2026, 2, 4), make_id_number("439021", dt.date(1982, 1, 1), 50, female=True), "吴芳",
                     "刘某")
    assert petitions.get(ctx, later).repeat_of is None


def test_the_clerk_confirms_or_clears_it_and_the_statistics_count_it(ctx: Context) -> None:
    first = register(ctx, dt.date(2025, 9, 1))
    second = register(ctx, dt.date(2025, 10, 1))
    third = register(ctx, dt.date(2025, 11, 1))
    register(ctx, dt.date(2025, 12, 1))  # left flagged: 待核实
    with pytest.raises(RuleError, match="没有被标记"):
        petitions.settle_repeat(ctx, first, True)
    petitions.settle_repeat(ctx, second, True)
    with pytest.raises(ValidationError) as e:
        petitions.settle_repeat(ctx, third, False, " ")
    assert "请写明理由" in e.value.errors["repeat_note"]
    petitions.settle_repeat(ctx, third, False, "这次反映的是孩子上学的事")
    assert petitions.get(ctx, second).timeline[-1].note == "确认为重复信访（前次：信访〔2025〕第0001号）"
    p = petitions.get(ctx, third)
    assert p.repeat_state == "cleared" and p.timeline[-1].note.endswith("：这次反映的是孩子上学的事")

    c = statistics.compare(ctx.db, statistics.make_period("half", 2025, 2))
    s = c.current.petitions
    assert (s.total, s.repeats, s.repeats_pending, s.first_time, s.repeat_rate) == (4, 1, 1, 3, 0.25)
    table = next(t for t in statistics.tables(c) if t.key == "repeat")
    assert [row[:2] for row in table.rows] == [["初信初访（件）", 3], ["重复信访（件）", 1], ["疑似重复、待核实（件）", 1],
                                               ["重复信访率", statistics.Rate(0.25)]]
    assert "初信初访3件，重复信访1件，重复信访率25.0%" in summary.paragraph(c)


def test_the_page_shows_the_flag_and_the_clerk_settles_it_there(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    register(ctx, dt.date(2026, 1, 5))
    again = register(ctx, dt.date(2026, 3, 2))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(again)
    assert isinstance(view, PetitionView)
    assert "疑似重复信访" in view.header.text() and view.repeat_button.isVisible()
    assert "信访〔2026〕第0001号" in view.details.toPlainText()
    qtbot.mouseClick(view.repeat_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "重复信访"][0]
    pick(qtbot, editor(d, "repeat_state"), "不是重复信访")  # type: ignore[arg-type]
    press_ok(qtbot, d)
    assert d.isVisible() and "请写明理由" in d.form.boxes["repeat_note"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "repeat_note"), "这次是另一件事")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert "疑似重复信访" not in view.header.text()
    assert "非重复信访（前次：信访〔2026〕第0001号）：这次是另一件事" in view.details.toPlainText()
