"""Group visits (集体访, 信访工作条例 art. 20): five or more people who came choose at most five representatives —
the petitioner first — recorded with the headcount; a letter or a call signed by many is not a visit, has no
representatives, and is counted as 件 like the statistics count it. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain import petition as rules
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition, Representative
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import case_documents, petitions
from fulian_desktop.services.context import Context

from .pdf_layout import layout_problems, read, split_values
from .qt_input import type_text
from .test_gui_petition_course import pick

OTHERS = [Representative("王秀英", "13907341234"), Representative("欧阳娜娜"), Representative("李桂兰"),
          Representative("诸葛丹丹", "13800138000")]


def group(channel: str = "来访", headcount: int = 12, others: list[Representative] | None = None) -> Petition:
    return Petition(
        channel=channel, received_on=dt.date(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
        headcount=headcount, township="东山镇", village="石桥村", category="财产权益", subcategory="",
        facts="村里的征地补偿款没有分给出嫁女。", request="请求依法分配征地补偿款。", dv=False, safety_risk=False,
        receiving_staff="王秀兰", representatives=list(OTHERS if others is None else others))


def test_a_group_visit_keeps_its_representatives_and_counts_its_people(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, group())
    p = petitions.get(ctx, case_id)
    assert p.is_group and p.representatives == OTHERS
    assert p.timeline[0].note == "来访，集体访，12人"
    assert rules.representatives_text(p) == "柳如烟（信访人）、王秀英 13907341234、欧阳娜娜、李桂兰、诸葛丹丹 13800138000"
    pages = read(case_documents.print_entry(ctx, case_id, case_documents.list_documents(ctx, case_id)[0])[0])
    assert not layout_problems(pages)
    assert not split_values(pages, ["王秀英", "欧阳娜娜", "诸葛丹丹", "13907341234"])
    assert any("推选代表" in line for page in pages for line in page.lines)
    printed = "".join(line for page in pages for line in page.lines).replace(" ", "")
    assert "信访人、王秀英13907341234、欧阳娜娜、李桂兰、诸葛丹丹13800138000" in printed
    assert printed.count("柳如烟") == 1  # her name once, in the 信访人 rows


def test_at_most_five_and_only_for_a_visit(ctx: Context) -> None:
    with pytest.raises(ValidationError) as e:
        petitions.register(ctx, group(others=[*OTHERS, Representative("张敏")]))
    assert "不超过5人" in e.value.errors["representatives"]
    with pytest.raises(ValidationError) as e:  # six women signing one letter did not come: no representatives
        petitions.register(ctx, group(channel="来信", headcount=6))
    assert "才推选代表" in e.value.errors["representatives"]
    with pytest.raises(ValidationError) as e:
        petitions.register(ctx, group(others=[Representative("", "13907341234"), Representative("柳如烟")]))
    assert e.value.errors["representatives.0.name"] == "请填写代表的姓名"
    assert e.value.errors["representatives"] == "代表的姓名有重复"
    letter, _ = petitions.register(ctx, group(channel="来信", headcount=6, others=[]))
    p = petitions.get(ctx, letter)
    assert not p.is_group and p.timeline[0].note == "来信，6人" and rules.representatives_text(p) == ""


def test_correcting_the_representatives_writes_them_and_says_so(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, group(others=OTHERS[:1]))
    form = petitions.get(ctx, case_id)
    form.representatives = [Representative("王秀英", "13907349999"), Representative("李桂兰")]
    changes = petitions.correct(ctx, case_id, form)
    assert [c.label for c in changes] == ["推选的代表"]
    p = petitions.get(ctx, case_id)
    assert p.representatives == [Representative("王秀英", "13907349999"), Representative("李桂兰")]
    assert "13907349999" not in p.timeline[-1].note and "139****9999" in p.timeline[-1].note


def test_the_form_asks_for_representatives_only_for_a_group_visit(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    pick(qtbot, form.channel, "来访")
    assert not form.reps_box.isVisible()
    form.headcount.setFocus()
    form.headcount.selectAll()
    qtbot.keyClicks(form.headcount, "12")
    assert form.reps_box.isVisible() and "集体访" in form.group_label.text()
    pick(qtbot, form.township, "东山镇")
    pick(qtbot, form.category, "财产权益")
    type_text(qtbot, form.petitioner.name, "柳如烟")
    form.petitioner.name.editingFinished.emit()
    type_text(qtbot, form.facts, "村里的征地补偿款没有分给出嫁女。")
    type_text(qtbot, form.request, "请求依法分配征地补偿款。")
    type_text(qtbot, form.rep_names[0], "王秀英")
    qtbot.keyClicks(form.rep_phones[0], "1390734")  # too short
    type_text(qtbot, form.rep_names[1], "李桂兰")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert form.reps_form.boxes["representatives.0.name"].error()  # the phone's message on her row
    assert form.rep_names[1].text() == "李桂兰"  # nothing typed is lost
    form.rep_phones[0].clear()
    qtbot.keyClicks(form.rep_phones[0], "13907341234")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    p = petitions.get(ctx, saved.args[0])
    assert p.representatives == [Representative("王秀英", "13907341234"), Representative("李桂兰")]
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView)
    assert "推选的代表" in view.details.toPlainText() and "柳如烟（信访人）、王秀英 13907341234、李桂兰" in \
        view.details.toPlainText()

    # fewer than five who came: no representatives asked, none saved
    other = window.new_petition()
    pick(qtbot, other.channel, "来访")
    other.headcount.setFocus()
    other.headcount.selectAll()
    qtbot.keyClicks(other.headcount, "6")
    type_text(qtbot, other.rep_names[0], "王秀英")
    other.headcount.selectAll()
    qtbot.keyClicks(other.headcount, "3")
    assert not other.reps_box.isVisible()
    assert other.value({}).representatives == []
