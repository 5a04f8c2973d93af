"""A petition transferred in that is not the office's (信访工作条例 art. 23): within 5 working days of receipt the
office objects to the body that sent it and returns it with the reason (退回函); the clock stops, the case is
closed as 已退回, the letter is a document of the case (`print --list`). After the 5 working days it is too late,
and the window says so and why. Working days worked out by hand on the 2026 calendar. Every person is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.pdf_preview import PdfPreview
from fulian_desktop.services import case_documents, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_petition_course import editor, press_ok, type_date
from .test_petition_course import case_row, text_of
from .test_petition_transfers import transferred

D = dt.date


def test_returned_within_the_five_working_days_around_the_spring_festival(ctx: Context) -> None:
    # received Thu 2026-02-12: Fri 13, Sat 14 (调休, worked), 15–23 Spring Festival off, Tue 24, Wed 25, Thu 26
    case_id, _ = petitions.register(ctx, transferred(ctx, received_on=D(2026, 2, 12), source_body="县信访局",
                                                     source_no="XF-2026-12", source_due_on=None))
    assert case_row(ctx, case_id)[:3] == ("2026-02-26", "确认是否属本会职责", 1)
    with pytest.raises(ValidationError) as e:
        petitions.object_transfer(ctx, case_id, "县信访局", "", D(2026, 2, 26))
    assert "请写明不属于本会职责的理由" in e.value.errors["objection_reason"]
    doc_id = petitions.object_transfer(ctx, case_id, "县信访局", "反映的是拖欠工资，属于人社部门的职责。", D(2026, 2, 26))
    p = petitions.get(ctx, case_id)
    assert (p.status, p.objected_on, p.objected_to) == ("returned", D(2026, 2, 26), "县信访局")
    assert case_row(ctx, case_id) == (None, "", 0, "2026-02-26")  # the clock stopped, the case closed
    assert p.timeline[-1].note == ("2026年2月26日向县信访局提出异议，退回：反映的是拖欠工资，属于人社部门的职责；"
                                   "出具退回函")
    listed = case_documents.list_documents(ctx, case_id)  # what `print CASE_NO --list` shows
    assert [e.title for e in listed if e.doc_id] == ["退回函"] and listed[-1].doc_id == doc_id
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    for words in ("退回函", "县信访局：", "贵单位交办（转送）的柳如烟反映的关于“请求督促丈夫支付抚养费”的信访事项（编号XF-2026-12），"
                  "本会于2026年2月12日收到", "根据《信访工作条例》第二十三条的规定，本会在收到之日起5个工作日内提出异议",
                  "异议理由", "反映的是拖欠工资，属于人社部门的职责。", "经核实同意的，本会将交还相关材料", "特此函告。"):
        assert words in text, words
    assert case_documents.print_issued(ctx, doc_id)[0] == case_documents.print_issued(ctx, doc_id)[0]  # reprint
    with pytest.raises(RuleError, match="已退回"):
        petitions.object_transfer(ctx, case_id, "县信访局", "再次退回", D(2026, 2, 26))


def test_a_day_after_the_five_working_days_is_too_late_and_says_why(ctx: Context) -> None:
    # received Tue 2026-09-29: Wed 30, National Day 1–7 off, Thu 8, Fri 9, Sat 10 (调休, worked) — due Mon 12
    ctx.clock.now = dt.datetime(2026, 10, 13, 9, 0)  # type: ignore[attr-defined]
    case_id, _ = petitions.register(ctx, transferred(ctx, received_on=D(2026, 9, 29), source_due_on=None))
    with pytest.raises(ValidationError) as e:
        petitions.object_transfer(ctx, case_id, "12338热线工单", "不属于妇联职责", D(2026, 10, 13))
    assert e.value.errors["objected_on"] == (
        "已超过提出异议的期限：上级交办、转送的信访事项，不属于本会职责的，应自收到之日（2026年9月29日）起5个工作日内，"
        "即2026年10月12日前向交办单位提出异议（《信访工作条例》第二十三条）。现在不能再退回，请由本会办理：受理，"
        "或者不予受理并告知信访人向有权处理的机关提出")
    petitions.object_transfer(ctx, case_id, "12338热线工单", "不属于妇联职责", D(2026, 10, 12))  # the last day: in time
    direct, _ = petitions.register(ctx, transferred(ctx, source_body="", source_no="", source_due_on=None))
    with pytest.raises(RuleError, match="只有上级交办、转送来的信访"):
        petitions.object_transfer(ctx, direct, "县信访局", "不属于", D(2026, 10, 12))


def test_the_page_returns_it_with_the_letter(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    # today is Tue 2026-03-10; received Wed 2026-03-04: Thu 5, Fri 6, Mon 9, Tue 10, Wed 11 — still in time
    case_id, _ = petitions.register(ctx, transferred(ctx, received_on=D(2026, 3, 4), source_body="市妇联",
                                                     source_no="SFL-031", source_due_on=None))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView) and view.object_button.isVisible()
    from fulian_desktop.gui.cases.action_dialog import ActionDialog

    qtbot.mouseClick(view.object_button, Qt.MouseButton.LeftButton)
    d = next(w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "提出异议、退回")
    assert editor(d, "objected_to").currentText() == "市妇联"  # type: ignore[attr-defined]
    press_ok(qtbot, d)
    assert "请写明不属于本会职责的理由" in d.form.boxes["objection_reason"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "objection_reason"), "反映的是宅基地纠纷，属于乡镇人民政府的职责。")
    type_date(qtbot, editor(d, "objected_on"), "20260310")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert isinstance(view.last_preview, PdfPreview) and view.last_preview.windowTitle().startswith("打印预览 — 退回函")
    view.last_preview.close()
    assert "已退回" in view.header.text() and not view.object_button.isVisible()
    assert not view.accept_button.isVisible() and not view.refuse_button.isVisible()
    assert "2026年3月10日向市妇联提出异议，退回：反映的是宅基地纠纷" in view.details.toPlainText()
    assert view.documents.item(0).text().startswith("退回函　2026年3月10日")


def test_the_page_says_it_is_too_late_after_the_five_working_days(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, said: list[str]) -> None:
    # today is Tue 2026-03-10; received Mon 2026-03-02: Tue 3 … Fri 6, Mon 9 — the last day was yesterday
    case_id, _ = petitions.register(ctx, transferred(ctx))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)
    assert "异议期限已过（2026年3月9日），不能再退回，请受理或不予受理" in view.details.toPlainText()
    qtbot.mouseClick(view.object_button, Qt.MouseButton.LeftButton)
    assert len(said) == 1 and said[0].startswith("已超过提出异议的期限") and "即2026年3月9日前" in said[0]
    assert petitions.get(ctx, case_id).status == "registered"


def test_a_return_pressed_by_mistake_is_undone_by_the_director(ctx: Context) -> None:
    from fulian_desktop.services import undo

    case_id, _ = petitions.register(ctx, transferred(ctx, received_on=D(2026, 3, 4), source_due_on=None))
    petitions.object_transfer(ctx, case_id, "12338热线工单", "不属于妇联职责", D(2026, 3, 10))
    undo.undo_last_step(ctx, case_id, "其实属于本会职责")
    p = petitions.get(ctx, case_id)
    assert (p.status, p.objected_on, p.objected_to, p.objection_reason) == ("registered", None, "", "")
    assert case_row(ctx, case_id) == ("2026-03-11", "确认是否属本会职责", 1, None)  # the clock runs again
    assert p.documents[-1].title == "退回函" and p.documents[-1].voided_on is not None  # kept, marked void


def test_the_command_line_lists_and_prints_the_letter(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    from fulian_desktop.cli import main as cli

    from .pdf_layout import layout_problems, read

    case_id, case_no = petitions.register(ctx, transferred(ctx, received_on=D(2026, 3, 4), source_due_on=None))
    doc_id = petitions.object_transfer(ctx, case_id, "12338热线工单", "反映的是拖欠工资，属于人社部门的职责。",
                                       D(2026, 3, 10))
    db = str(tmp_path / "test.db")
    assert cli.main(["print", case_no, "--list", "--db", db]) == 0
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert "2 退回函 2026年3月10日 直接送达" in lines
    target = tmp_path / "退回函.pdf"
    assert cli.main(["print", case_no, "--doc", "退回函", "--out", str(target), "--db", db]) == 0
    pdf = target.read_bytes()
    assert pdf == case_documents.print_issued(ctx, doc_id)[0]  # the paper the window prints, byte for byte
    assert not layout_problems(read(pdf))  # every character inside its box, fonts embedded
