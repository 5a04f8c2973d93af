"""复查 and 复核 (信访工作条例 arts. 35–36): she contests the 处理意见书 within 30 days of receiving it; the body that
reviews answers within 30 days (a clock on the start page); the office's own answer prints as the 复查意见书 (with
her right to 复核) or the 复核意见书; an answer of the body above is recorded; after 复核 the matter is closed for
good and a new petition on it is flagged at intake. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain import petition as rules
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.pdf_preview import PdfPreview
from fulian_desktop.services import case_documents, petitions, start_page
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_petition_course import editor, pick, press_ok, type_date
from .test_petition_course import case_row, text_of

D = dt.date
HER = make_id_number("439021", dt.date(1986, 6, 1), 35, female=True)


RECEIVED = D(2026, 1, 5)


def concluded(ctx: Context, nature: str = "申诉求决", received: dt.date = RECEIVED) -> int:
    case_id, _ = petitions.register(ctx, Petition(
        channel="来访", received_on=received, petitioner=Person(name="柳如烟", sex="女", id_number=HER),
        concerned=None, headcount=1, township="东山镇", village="", category="财产权益", subcategory="",
        facts="出嫁后村里不再分给她集体收益。", request="请求村里补发集体收益分配款。", dv=False, safety_risk=False,
        receiving_staff="王秀兰", nature=nature))
    petitions.accept(ctx, case_id, received)
    petitions.set_handling(ctx, case_id, "当场答复")
    petitions.conclude(ctx, case_id, "", "不予支持" if nature != "建议意见" else "暂不采纳", D(2026, 2, 1))
    return case_id


def test_she_asks_within_30_days_of_receiving_the_answer(ctx: Context) -> None:
    case_id = concluded(ctx)
    with pytest.raises(ValidationError) as e:  # received on 1 February: the 30 days end on 3 March
        petitions.request_review(ctx, case_id, "review", D(2026, 3, 4), D(2026, 2, 1), "市妇联", "不服")
    assert "已超过收到处理意见书后30日的请求期限（2026年3月3日）" in e.value.errors["requested_on"]
    with pytest.raises(ValidationError) as e:
        petitions.request_review(ctx, case_id, "review", D(2026, 3, 4), D(2026, 1, 31), "市妇联", "不服")
    assert "不能早于处理意见书的日期（2026年2月1日）" in e.value.errors["answer_received_on"]
    with pytest.raises(RuleError, match="复查答复之后"):
        petitions.request_review(ctx, case_id, "re_review", D(2026, 3, 3), D(2026, 2, 1), "省妇联", "不服")
    advice = concluded(ctx, "建议意见")
    with pytest.raises(RuleError, match="申诉求决类"):
        petitions.request_review(ctx, advice, "review", D(2026, 2, 5), D(2026, 2, 1), "本会", "不服")

    petitions.request_review(ctx, case_id, "review", D(2026, 3, 3), D(2026, 2, 1), "本会", "要求重新核实")  # day 30
    assert case_row(ctx, case_id)[:3] == ("2026-04-02", "答复复查请求", 1)  # open again: answered within 30 days
    assert petitions.get(ctx, case_id).status == "concluded"  # still counted as concluded
    clocks = {(c.kind, c.label): c for c in start_page.clocks(ctx)}
    assert ("petition", "答复复查请求") not in clocks  # due in more than a week
    with pytest.raises(RuleError, match="已经请求过复查"):
        petitions.request_review(ctx, case_id, "review", D(2026, 3, 3), D(2026, 2, 1), "本会", "再请求")


def test_the_office_answers_the_review_then_the_body_above_closes_it_for_good(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = concluded(ctx)
    petitions.request_review(ctx, case_id, "review", D(2026, 2, 10), D(2026, 2, 3), "本会", "要求重新核实收益分配名单")
    clock.advance(30)  # 9 April: the answer was due on 12 March
    assert {(c.kind, c.label) for c in start_page.clocks(ctx) if c.overdue} >= {("petition", "答复复查请求")}
    with pytest.raises(ValidationError) as e:
        petitions.answer_review(ctx, case_id, D(2026, 2, 9), "维持", "维持原意见")
    assert "不能早于复查请求日期" in e.value.errors["answered_on"]
    doc_id = petitions.answer_review(ctx, case_id, D(2026, 3, 10), "维持", "经复查，原处理意见认定事实清楚，予以维持。",
                                     "市妇联")
    assert doc_id is not None
    assert case_row(ctx, case_id)[:3] == (None, "", 0)
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    for words in ("复查意见书", "您对2026年2月1日的处理意见书不服，于2026年2月10日提出复查请求", "一、复查请求",
                  "要求重新核实收益分配名单", "二、复查意见", "予以维持",
                  "自收到本意见书之日起30日内，向市妇联书面请求复核（《信访工作条例》第三十六条）"):
        assert words in text, words

    petitions.request_review(ctx, case_id, "re_review", D(2026, 3, 20), D(2026, 3, 12), "市妇联", "仍不服")
    assert case_row(ctx, case_id)[1] == "答复复核请求"
    assert petitions.answer_review(ctx, case_id, D(2026, 4, 5), "维持", "维持复查意见。") is None  # the city's answer
    p = petitions.get(ctx, case_id)
    assert rules.review_state(p) == "复核终结" and [d.title for d in p.documents][-1] == "复查意见书"
    assert p.timeline[-1].note == "复核维持（市妇联答复）：维持复查意见。；复核终结，同一事项不再受理"

    # years later she petitions again: said at intake, whatever the time since
    again, _ = petitions.register(ctx, Petition(
        channel="来信", received_on=D(2026, 4, 8), petitioner=Person(name="柳如烟", sex="女", id_number=HER),
        concerned=None, headcount=1, township="东山镇", village="", category="财产权益", subcategory="",
        facts="还是集体收益的事。", request="请求补发。", dv=False, safety_risk=False, receiving_staff="王秀兰"))
    flagged = petitions.get(ctx, again)
    assert flagged.repeat_of == case_id and "复核终结" in flagged.timeline[-1].note
    assert "第三十六条不再受理" in flagged.timeline[-1].note


def test_the_page_asks_for_the_review_and_its_answer(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id = concluded(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)
    assert view.review_button.isVisible() and view.review_button.text() == "请求复查"
    assert not view.review_answer_button.isVisible()
    qtbot.mouseClick(view.review_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "请求复查"][0]
    assert editor(d, "answer_received_on").text() == "2026年2月1日"  # type: ignore[attr-defined]
    type_date(qtbot, editor(d, "requested_on"), "20260305")  # day 32
    body = editor(d, "review_body")
    body.lineEdit().selectAll()  # type: ignore[attr-defined]
    type_text(qtbot, body, "本会")
    type_text(qtbot, editor(d, "review_request"), "要求重新核实")
    press_ok(qtbot, d)
    assert d.isVisible() and "已超过" in d.form.boxes["requested_on"].error()  # type: ignore[attr-defined]
    type_date(qtbot, editor(d, "requested_on"), "20260303")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert "答复复查请求" in view.header.text() and view.review_answer_button.text() == "复查答复"
    assert not view.review_button.isVisible()

    qtbot.mouseClick(view.review_answer_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "复查答复"][0]
    pick(qtbot, editor(d, "review_result"), "变更")  # type: ignore[arg-type]
    type_text(qtbot, editor(d, "review_opinion"), "经复查，变更原处理意见，由村委会补发。")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert isinstance(view.last_preview, PdfPreview) and view.last_preview.isVisible()
    assert [view.documents.item(i).text().split("　")[0] for i in range(view.documents.count())][-1] == "复查意见书"
    assert view.review_button.text() == "请求复核" and view.review_button.isEnabled()
    assert "变更，经复查，变更原处理意见，由村委会补发。" in view.details.toPlainText()
