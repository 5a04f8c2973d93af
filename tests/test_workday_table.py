"""The holiday table the working-day clocks count on, kept by the administrator: the years it knows, a new year
added (or a year corrected) in the window 节假日表 and with `workdays add-year`, as the State Council's notice
gives it; a clock that runs into a year the table does not know counts calendar days and says so, and counts
working days once the year is added. The 2027 days typed here are made up for the test (the official 2027 notice
is in no source this program has): what is checked is that the clock follows whatever the table holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.cli import main as cli
from fulian_desktop.domain import workdays as rules
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.security.admin_window import AdminWindow
from fulian_desktop.gui.security.workdays_dialog import WorkdaysDialog
from fulian_desktop.services import accounts, petitions, workdays
from fulian_desktop.services.context import Context
from fulian_desktop.store import workdays as workday_store

from .conftest import CHEAP_KDF, Clock
from .qt_input import type_text
from .test_petition_course import case_row

D = dt.date
HOLIDAYS_2027 = "元旦:2027-01-01..2027-01-03，春节:2027-02-06..2027-02-12"
WORKDAYS_2027 = "春节:2027-02-14，春节:2027-02-20"


def test_a_year_is_written_as_festivals_and_ranges() -> None:
    days, wrong = rules.parse_days("元旦:2027-01-01..2027-01-03，春节:2027年2月6日~2027-02-07\n清明节:20270405", 2027,
                                   "holiday")
    assert wrong == "" and days == [(D(2027, 1, 1), "元旦"), (D(2027, 1, 2), "元旦"), (D(2027, 1, 3), "元旦"),
                                    (D(2027, 2, 6), "春节"), (D(2027, 2, 7), "春节"), (D(2027, 4, 5), "清明节")]
    assert rules.write_days(days) == "元旦:2027-01-01..2027-01-03，春节:2027-02-06..2027-02-07，清明节:2027-04-05"
    for text, kind, message in (
        ("2027-01-01", "holiday", "没有写节日名称"),
        ("元旦:2028-01-01", "holiday", "不在2027年"),
        ("春节:2027-02-12..2027-02-06", "holiday", "结束日期早于开始日期"),
        ("春节:2027-02-30", "holiday", "这一天不存在"),
        ("春节:2027-02-15", "workday", "2027年2月15日是星期一，调休上班的日子应是星期六或星期日"),
        ("元旦:2027-01-01，元旦:2027-01-01", "holiday", "2027年1月1日写了两次"),
    ):
        assert message in rules.parse_days(text, 2027, kind)[1], text
    with pytest.raises(ValidationError) as e:
        rules.check_year(2027, HOLIDAYS_2027, "春节:2027-02-06", D(2026, 12, 7))
    assert e.value.errors["workdays"] == "2027年2月6日既写在放假里，又写在调休上班里"


def transferred_on(ctx: Context, received: dt.date) -> Petition:
    case_id, _ = petitions.register(ctx, Petition(
        channel="来电", received_on=received, petitioner=Person(name="柳如烟", sex="女"), concerned=None, headcount=1,
        township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷", facts="丈夫长期不给生活费。",
        request="请求督促丈夫支付抚养费。", dv=False, safety_risk=False, receiving_staff="王秀兰",
        source_body="市妇联", source_no="SFL-2027-5"))
    return petitions.get(ctx, case_id)


def test_a_clock_into_an_unknown_year_counts_calendar_days_then_working_days_once_it_is_added(ctx: Context) -> None:
    ctx.clock.now = dt.datetime(2027, 2, 5, 9, 0)  # type: ignore[attr-defined]
    # Fri 2027-02-05, the table without 2027: five calendar days, and the page and the timeline say why
    before = transferred_on(ctx, D(2027, 2, 5))
    assert before.objection_due_on == D(2027, 2, 10)
    assert before.objection_note == "节假日表中没有2027年，按5个自然日计算（2027年2月10日）；请管理员添加当年的节假日"
    assert "按5个自然日计算" in before.timeline[-1].note
    assert workdays.set_year(ctx, 2027, HOLIDAYS_2027, WORKDAYS_2027) == (10, 2)
    assert [y for y, _h, _w in workdays.known_years(ctx)][-2:] == [2026, 2027]
    # the same day once 2027 is known: Sat 6 – Fri 12 off, Sun 14 worked (1), Mon 15 (2), Tue 16 (3), Wed 17 (4),
    # Thu 18 (5)
    after = transferred_on(ctx, D(2027, 2, 5))
    assert (after.objection_due_on, after.objection_note) == (D(2027, 2, 18), "")
    recounted = petitions.get(ctx, before.id or 0)  # the one waiting, counted again, and said so
    assert (recounted.objection_due_on, recounted.objection_note) == (D(2027, 2, 18), "")
    assert recounted.timeline[-1].note == "节假日表2027年有变动，提出异议的期限按工作日重算为2027年2月18日"
    assert case_row(ctx, before.id or 0)[:2] == ("2027-02-18", "确认是否属本会职责")
    # corrected: the Spring Festival one day shorter (6–11), Sat 20 not worked — Fri 12 (1), Sun 14 (2), Mon 15 …
    workdays.set_year(ctx, 2027, "元旦:2027-01-01..2027-01-03，春节:2027-02-06..2027-02-11", "春节:2027-02-14")
    assert workday_store.calendar(ctx.db).is_workday(D(2027, 2, 12))
    assert not workday_store.calendar(ctx.db).is_workday(D(2027, 2, 20))
    assert transferred_on(ctx, D(2027, 2, 5)).objection_due_on == D(2027, 2, 17)
    assert petitions.get(ctx, after.id or 0).objection_due_on == D(2027, 2, 17)  # the ones waiting follow the table
    assert workdays.written_year(ctx, 2027) == ("元旦:2027-01-01..2027-01-03，春节:2027-02-06..2027-02-11",
                                                "春节:2027-02-14")


def test_the_command_line_lists_adds_refuses_and_corrects_a_year(ctx: Context, capsys: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "test.db")
    assert cli.main(["workdays", "add-year", "2027", "--holidays", HOLIDAYS_2027, "--workdays", WORKDAYS_2027,
                     "--db", db]) == 0
    assert "2027年已保存：放假10天，调休上班2天。" in capsys.readouterr().out
    assert cli.main(["workdays", "add-year", "2027", "--holidays", "元旦:2027-01-01", "--db", db]) == 1
    assert "节假日表中已有2027年；要更正，请加 --replace" in capsys.readouterr().err
    notice = tmp_path / "2027.txt"
    notice.write_text("# 国务院办公厅关于2027年部分节假日安排的通知\n放假 元旦:2027-01-01..2027-01-03\n"
                      "放假 春节:2027-02-06..2027-02-12\n调休上班 春节:2027-02-15\n", encoding="utf-8")
    assert cli.main(["workdays", "add-year", "2027", "--file", str(notice), "--replace", "--db", db]) == 1
    assert "2027年2月15日是星期一，调休上班的日子应是星期六或星期日" in capsys.readouterr().err
    notice.write_text(notice.read_text(encoding="utf-8").replace("02-15", "02-14"), encoding="utf-8")
    assert cli.main(["workdays", "add-year", "2027", "--file", str(notice), "--replace", "--db", db]) == 0
    assert cli.main(["workdays", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2027  10          1" in out and "表中没有的年份，工作日期限按自然日计算。" in out
    assert cli.main(["workdays", "show", "2027", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2027年2月14日  星期日  调休上班        春节调休上班" in out
    assert cli.main(["workdays", "show", "2029", "--db", db]) == 1
    assert "节假日表中没有2029年（这一年的工作日期限按自然日计算）。" in capsys.readouterr().err


def test_the_administrator_adds_and_corrects_a_year_in_the_window(qtbot: Any, tmp_path: Path, clock: Clock,
                                                                   said: list[str]) -> None:
    clock.now = dt.datetime(2026, 12, 7, 9, 0)
    ctx, _key, _aside = accounts.set_up(tmp_path / "office.db", [
        ("admin2", "张管理", frozenset({"admin"}), "admin-pass-2", False)], clock=clock, kdf=CHEAP_KDF)
    try:
        window = AdminWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        qtbot.mouseClick(window.workdays_button, Qt.MouseButton.LeftButton)
        d = window.security.last_dialog  # type: ignore[union-attr]
        assert isinstance(d, WorkdaysDialog) and d.isVisible()
        assert d.years.currentItem().text() == "2026年　放假33天　调休上班6天"  # the last year known, its days shown
        assert d.missing.isVisible() and d.missing.text().startswith("表中还没有2027年：国务院公布放假安排后请添加")
        assert d.days.item(0, 0).text() == "2026年1月1日" and d.days.item(3, 2).text() == "调休上班"

        qtbot.mouseClick(d.add_button, Qt.MouseButton.LeftButton)
        e = d.last_dialog
        assert e is not None and e.windowTitle() == "添加新的一年"
        assert e.form.boxes["year"].editor.value() == 2027  # type: ignore[attr-defined]  (after the last known)
        type_text(qtbot, e.form.boxes["holidays"].editor, HOLIDAYS_2027)
        type_text(qtbot, e.form.boxes["workdays"].editor, "春节:2027-02-15")
        qtbot.mouseClick(e.ok_button, Qt.MouseButton.LeftButton)
        assert e.isVisible()  # said beside the field, nothing lost
        assert e.form.boxes["workdays"].error() == "2027年2月15日是星期一，调休上班的日子应是星期六或星期日"  # type: ignore[attr-defined]
        assert e.form.boxes["holidays"].editor.toPlainText() == HOLIDAYS_2027  # type: ignore[attr-defined]
        e.form.boxes["workdays"].editor.clear()  # type: ignore[attr-defined]
        type_text(qtbot, e.form.boxes["workdays"].editor, WORKDAYS_2027)
        qtbot.mouseClick(e.ok_button, Qt.MouseButton.LeftButton)
        assert not e.isVisible() and said[-1] == "2027年已保存：放假10天，调休上班2天。"
        assert d.years.currentItem().text() == "2027年　放假10天　调休上班2天"
        assert not d.missing.isVisible()
        assert [d.days.item(r, 0).text() for r in (0, 3, 10, 11)] == ["2027年1月1日", "2027年2月6日", "2027年2月14日",
                                                                       "2027年2月20日"]

        qtbot.mouseClick(d.correct_button, Qt.MouseButton.LeftButton)  # 更正 2027: drop the second Saturday
        e = d.last_dialog
        assert e is not None and e.windowTitle() == "更正节假日"
        assert e.form.boxes["workdays"].editor.toPlainText() == "春节:2027-02-14，春节:2027-02-20"  # type: ignore[attr-defined]
        e.form.boxes["workdays"].editor.clear()  # type: ignore[attr-defined]
        type_text(qtbot, e.form.boxes["workdays"].editor, "春节:2027-02-14")
        qtbot.mouseClick(e.ok_button, Qt.MouseButton.LeftButton)
        assert d.years.currentItem().text() == "2027年　放假10天　调休上班1天"

        qtbot.mouseClick(d.add_button, Qt.MouseButton.LeftButton)  # a year already there is never replaced unawares
        e = d.last_dialog
        assert e is not None
        e.form.boxes["year"].editor.setFocus()  # type: ignore[attr-defined]
        qtbot.keyClick(e.form.boxes["year"].editor, Qt.Key.Key_Down)  # type: ignore[attr-defined]  2028 → 2027
        type_text(qtbot, e.form.boxes["holidays"].editor, "元旦:2027-01-01")
        qtbot.mouseClick(e.ok_button, Qt.MouseButton.LeftButton)
        assert "表中已有2027年" in e.form.boxes["year"].error()  # type: ignore[attr-defined]
        assert workdays.year_days(ctx, 2027)[0] == (D(2027, 1, 1), "holiday", "元旦") and len(
            workdays.year_days(ctx, 2027)) == 11
        e.reject()
        d.reject()
        window.close()
    finally:
        ctx.close()


def test_the_menu_offers_it_to_those_who_keep_the_lists(qtbot: Any, ctx: Context) -> None:
    from fulian_desktop.gui.shell.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.workdays_action is not None and window.workdays_action in window.ui.menuSettings.actions()
    window.workdays_action.trigger()
    assert isinstance(window.security.last_dialog, WorkdaysDialog)  # type: ignore[attr-defined]
    window.security.last_dialog.reject()  # type: ignore[attr-defined]
