"""A staff member registers a petition, fixes a wrong ID number, finds the case, moves it through
its statuses and prints its form — driving the real widgets."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.gui.cases.case_model import COL_CASE_NO, COL_NAMES, COL_STATUS
from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services.context import Context

from .qt_input import type_text

GOOD_ID = make_id_number("430999", dt.date(1990, 5, 6), 12, female=True)
BAD_ID = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")
FACTS = "丈夫酒后多次殴打，上周在村口再次动手，邻居报警后派出所出具了告诫书。"


def choose(combo: QComboBox, text: str) -> None:
    """Pick an entry as a user does with the keyboard: focus, then select the matching item."""
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


def fill_form(qtbot, form: PetitionForm, id_number: str, name: str = "张三") -> None:  # type: ignore[no-untyped-def]
    choose(form.channel, "来访")
    choose(form.township, "东山镇")
    choose(form.category, "婚姻家庭")
    choose(form.subcategory, "家庭暴力")
    qtbot.mouseClick(form.dv, Qt.MouseButton.LeftButton)
    type_text(qtbot, form.petitioner.name, name)
    form.petitioner.name.editingFinished.emit()
    qtbot.keyClicks(form.petitioner.id_number, id_number)
    form.petitioner.id_number.editingFinished.emit()
    qtbot.keyClicks(form.petitioner.phone, "13800138000")
    type_text(qtbot, form.facts, FACTS)
    type_text(qtbot, form.request, "要求离婚并申请人身安全保护令")


def test_register_validate_find_handle_print(qtbot, window: MainWindow, ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    form = window.new_petition()
    fill_form(qtbot, form, BAD_ID)
    # the ID number is read as soon as it is typed
    assert "校验位" in form.petitioner.form.boxes["id_number"].message.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible(), "a wrong ID number must not be saved"
    assert "校验位" in form.petitioner.form.boxes["id_number"].error()
    assert "需要修改" in form.summary.text()
    # nothing typed is lost
    assert form.petitioner.name.text() == "张三"
    assert form.facts.toPlainText() == FACTS

    form.petitioner.id_number.clear()
    qtbot.keyClicks(form.petitioner.id_number, GOOD_ID)
    form.petitioner.id_number.editingFinished.emit()
    assert "1990年5月6日" in form.petitioner.form.boxes["id_number"].message.text()
    assert form.petitioner.sex.currentText() == "女"
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    case_id, case_no = saved.args
    assert case_no == "信访〔2026〕第0001号"
    assert not form.isVisible()
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView)
    assert "已登记" in view.header.text()
    assert "15天内" in view.header.text() or "天内应告知是否受理" in view.header.text()

    # find it: two-character name, pinyin initials, a phrase of what happened, the ID number's end
    lst = window.case_list
    for query in ("张三", "zs", "村口再次动手", GOOD_ID[-6:], "0001"):
        lst.search.clear()
        type_text(qtbot, lst.search, query)
        lst.apply()
        assert lst.model.rowCount() == 1, query
        assert lst.model.index(0, COL_CASE_NO).data() == case_no
        assert lst.model.index(0, COL_NAMES).data() == "张三"
    lst.search.clear()
    type_text(qtbot, lst.search, "李四")
    lst.apply()
    assert lst.model.rowCount() == 0

    # accept, handle, conclude
    d = view.make_accept_dialog()
    d.open()
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.result() == QDialog.DialogCode.Accepted
    assert "已受理" in view.header.text()
    assert "60" in view.header.text() or "天内应办结" in view.header.text()

    d = view.make_conclude_dialog()
    assert not view.conclude_button.isEnabled(), "conclude needs a handling method first"
    d = view.make_handle_dialog()
    d.open()
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # no method chosen
    assert d.isVisible()
    assert "请选择办理方式" in d.form.boxes["handling"].error()
    choose(d.form.boxes["handling"].editor, "转办/交办")  # type: ignore[arg-type]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert "转往的单位" in d.form.boxes["handling_agency"].error()
    type_text(qtbot, d.form.boxes["handling_agency"].editor, "公安")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "办理中" in view.header.text()

    clock.advance(5)
    d = view.make_conclude_dialog()
    d.open()
    choose(d.form.boxes["result"].editor, "支持")  # type: ignore[arg-type]
    type_text(qtbot, d.form.boxes["reply"].editor, "已协调派出所上门处置，告知申请保护令的途径。")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert "已办结" in view.header.text()
    actions = [view.timeline.item(i).text() for i in range(view.timeline.count())]
    assert any("【登记】" in a for a in actions)
    assert any("【受理】" in a for a in actions)
    assert any("【办理】" in a and "公安" in a for a in actions)
    assert any("【办结】" in a for a in actions)
    assert all("测试员" in a for a in actions)

    lst.search.clear()
    lst.apply()
    assert lst.model.index(0, COL_STATUS).data() == "已办结"

    # print: the preview shows the form, and the PDF's text is the case's
    preview = window.print_case(case_id)
    assert preview is not None
    assert preview.document.pageCount() >= 1
    pdf = pdfium.PdfDocument(preview.pdf)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "信访登记表" in text
    assert case_no in text
    assert "张三" in text and GOOD_ID in text
    assert "村口再次动手" in text
    assert preview.suggested_name.startswith("信访登记表_张三_")
    preview.close()


def test_repeat_petitioner_is_attached_not_duplicated(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    form = window.new_petition()
    fill_form(qtbot, form, GOOD_ID)
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    form = window.new_petition()
    choose(form.channel, "来电")
    type_text(qtbot, form.petitioner.name, "张三")
    form.petitioner.name.editingFinished.emit()
    assert form.matches.isVisible()
    assert len(form.matches.matches) == 1
    match = form.matches.matches[0]
    assert match.reason == "姓名相同"
    assert match.cases[0]["case_no"] == "信访〔2026〕第0001号"
    form.matches.attach.emit(match)
    # her details come from the file
    assert form.petitioner.id_number.text() == GOOD_ID
    assert form.petitioner.phone.text() == "13800138000"
    choose(form.township, "西河乡")
    choose(form.category, "婚姻家庭")
    type_text(qtbot, form.facts, "再次来电反映丈夫威胁。")
    type_text(qtbot, form.request, "请求上门查看")
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert ctx.db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView)
    related = [view.related.item(i).text() for i in range(view.related.count())]
    assert any("信访〔2026〕第0001号" in r for r in related)


def test_future_birth_date_and_bad_phone_shown_next_to_fields(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.new_petition()
    type_text(qtbot, form.petitioner.name, "李喆")
    qtbot.keyClicks(form.petitioner.birth_date, "2030-01-01")
    qtbot.keyClicks(form.petitioner.phone, "1380013800")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "不能晚于今天" in form.petitioner.form.boxes["birth_date"].error()
    assert "11位" in form.petitioner.form.boxes["phone"].error()
    assert "请选择信访方式" in form.form.boxes["channel"].error()
    assert form.petitioner.name.text() == "李喆"
