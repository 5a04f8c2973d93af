"""Petitions transferred or assigned to the office from above (交办/转送: 市妇联, 信访局, a 12345 or 12338 工单): who sent
it, their number, the date they set; the 5 working days to object when it is not the office's (信访工作条例 art. 23),
counted on China's holidays and 调休 working days (worked out here by hand around the 2026 Spring Festival and
National Day and a 调休 Sunday; a year the holiday table does not know is counted in calendar days, and said so);
and the 回告 to the sender once the office is done. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.workdays import add_workdays
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import case_documents, petitions
from fulian_desktop.services.context import Context
from fulian_desktop.store import workdays as workday_store

from .qt_input import type_text
from .test_gui_petition_course import pick
from .test_petition_course import case_row, text_of

D = dt.date


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 2, 12), D(2026, 2, 26)),  # Thu: Fri 13, Sat 14 (调休, worked), Spring Festival 15–23 off, Tue 24 … Thu 26
    (D(2026, 9, 29), D(2026, 10, 12)),  # Tue: Wed 30, National Day 1–7 off, Thu 8, Fri 9, Sat 10 (调休), Mon 12
    (D(2026, 9, 18), D(2026, 9, 24)),  # Fri: Sat 19 off, Sun 20 (调休, worked), Mon 21 … Thu 24
    (D(2026, 3, 2), D(2026, 3, 9)),  # an ordinary week: Mon → the next Mon
])
def test_five_working_days_on_the_holiday_table(ctx: Context, received: dt.date, due: dt.date) -> None:
    got = add_workdays(workday_store.calendar(ctx.db), received, 5)
    assert (got.on, got.in_workdays, got.note) == (due, True, "")


def test_a_year_the_table_does_not_know_is_counted_in_calendar_days_and_said_so(ctx: Context) -> None:
    got = add_workdays(workday_store.calendar(ctx.db), D(2026, 12, 28), 5)
    assert (got.on, got.in_workdays) == (D(2027, 1, 2), False)
    assert got.note == "节假日表中没有2027年，按5个自然日计算（2027年1月2日）；请管理员添加当年的节假日"


def test_the_table_is_the_state_councils_as_the_package_lists_it(ctx: Context) -> None:
    constants = pytest.importorskip("chinese_calendar.constants")
    cal = workday_store.calendar(ctx.db)
    assert cal.holidays == frozenset(constants.holidays) and cal.workdays == frozenset(constants.workdays)


def transferred(ctx: Context, **changes: object) -> Petition:
    p = Petition(channel="12338热线", received_on=D(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
                 headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
                 facts="丈夫长期不给生活费。", request="请求督促丈夫支付抚养费。", dv=False, safety_risk=False,
                 receiving_staff="王秀兰", source_body="12338热线工单", source_no="GD20260302-017",
                 source_due_on=D(2026, 3, 31))
    for k, v in changes.items():
        setattr(p, k, v)
    return p


def test_a_transferred_petition_runs_on_the_5_day_then_the_senders_date_and_reports_back(ctx: Context) -> None:
    with pytest.raises(ValidationError) as e:
        petitions.register(ctx, transferred(ctx, source_no=""))
    assert e.value.errors["source_no"] == "请填写交办编号或工单号"
    case_id, _ = petitions.register(ctx, transferred(ctx))
    p = petitions.get(ctx, case_id)
    assert p.objection_due_on == D(2026, 3, 9)
    assert case_row(ctx, case_id)[:2] == ("2026-03-09", "确认是否属本会职责")
    assert p.timeline[-1].note == ("12338热线工单交办（编号GD20260302-017），要求2026年3月31日前办结；2026年3月9日前确认"
                                   "是否属本会职责（不属于的，5个工作日内提出异议）")
    petitions.accept(ctx, case_id, D(2026, 3, 3))
    assert case_row(ctx, case_id)[:2] == ("2026-03-31", "按交办要求办结")  # earlier than the 60 days
    petitions.set_handling(ctx, case_id, "转办/交办", "司法局", "已联系司法所督促丈夫支付抚养费。")
    petitions.conclude(ctx, case_id, "丈夫已按月支付。", "支持", D(2026, 3, 9))
    docs = petitions.get(ctx, case_id).documents
    assert [d.title for d in docs] == ["受理告知书", "处理意见书", "交办件办理情况回告"]
    text = text_of(case_documents.print_issued(ctx, docs[-1].id or 0)[0])
    for words in ("12338热线工单：", "贵单位交办（转送）的柳如烟反映的关于“请求督促丈夫支付抚养费”的信访事项（编号GD20260302-017）",
                  "本会于2026年3月3日受理，已联系司法所督促丈夫支付抚养费", "支持：丈夫已按月支付。",
                  "特此回告。"):
        assert words in text, words


def test_one_not_the_offices_is_sent_back_with_its_reason(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, transferred(ctx, source_body="县信访局", source_no="XF-88", source_due_on=None))
    petitions.refuse(ctx, case_id, "该事项属于劳动争议，不属于妇联职责", D(2026, 3, 6), "向劳动人事争议仲裁委员会申请仲裁")
    docs = petitions.get(ctx, case_id).documents
    assert [d.title for d in docs] == ["不予受理告知书", "交办件办理情况回告"]
    text = text_of(case_documents.print_issued(ctx, docs[-1].id or 0)[0])
    assert "县信访局：" in text and "不属于妇联职责，本会于2026年3月6日书面告知信访人不予受理，并建议其向劳动人事争议仲裁委员会申请仲裁" in text


def test_the_intake_form_records_who_sent_it(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    pick(qtbot, form.channel, "来电")
    pick(qtbot, form.township, "东山镇")
    pick(qtbot, form.category, "婚姻家庭")
    type_text(qtbot, form.petitioner.name, "柳如烟")
    form.petitioner.name.editingFinished.emit()
    type_text(qtbot, form.facts, "丈夫长期不给生活费。")
    type_text(qtbot, form.request, "请求督促丈夫支付抚养费。")
    form.source_box.setChecked(True)
    pick(qtbot, form.source_body, "市妇联")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and form.source_form.boxes["source_no"].error() == "请填写交办编号或工单号"
    qtbot.keyClicks(form.source_no, "SFL-2026-031")
    qtbot.keyClicks(form.source_due_on, "20260320")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    p = petitions.get(ctx, saved.args[0])
    assert (p.source_body, p.source_no, p.source_due_on) == ("市妇联", "SFL-2026-031", D(2026, 3, 20))
    view = window.tabs.currentWidget()
    assert isinstance(view, PetitionView)
    assert "确认是否属本会职责" in view.header.text()
    assert "市妇联交办（编号SFL-2026-031），要求2026年3月20日前办结" in view.details.toPlainText()


def test_the_administrator_adds_a_new_years_days_and_the_clock_counts_on_them(ctx: Context) -> None:
    from fulian_desktop.services import workdays

    with pytest.raises(ValidationError) as e:
        workdays.add_day(ctx, D(2027, 1, 4), "workday", "元旦")  # a Monday is a working day anyway
    assert e.value.errors["day"] == "调休上班的日子应是星期六或星期日"
    workdays.add_day(ctx, D(2027, 1, 1), "holiday", "元旦")
    assert workdays.year_days(ctx, 2027) == [(D(2027, 1, 1), "holiday", "元旦")]
    got = add_workdays(workday_store.calendar(ctx.db), D(2026, 12, 28), 5)  # 29, 30, 31, (1 Jan off), 4, 5
    assert (got.on, got.in_workdays) == (D(2027, 1, 5), True)


def test_the_statistics_count_transfers_and_reports_back_in_time(ctx: Context) -> None:
    from fulian_desktop.reports import statistics, summary

    on_time, _ = petitions.register(ctx, transferred(ctx, received_on=D(2025, 9, 1), source_due_on=D(2025, 9, 30)))
    petitions.accept(ctx, on_time, D(2025, 9, 2))
    petitions.set_handling(ctx, on_time, "当场答复")
    petitions.conclude(ctx, on_time, "已答复。", "解释说明", D(2025, 9, 30))  # on the day they set: in time
    late, _ = petitions.register(ctx, transferred(ctx, received_on=D(2025, 10, 8), source_due_on=D(2025, 10, 20)))
    petitions.refuse(ctx, late, "不属于妇联职责", D(2025, 10, 21))  # a day after their date
    petitions.register(ctx, transferred(ctx, received_on=D(2025, 12, 1)))  # not yet done: no report
    returned, _ = petitions.register(ctx, transferred(ctx, received_on=D(2025, 12, 3), source_due_on=None))
    petitions.object_transfer(ctx, returned, "12338热线工单", "属于人社部门职责", D(2025, 12, 4))  # not ours: sent back
    petitions.register(ctx, transferred(ctx, received_on=D(2025, 12, 2), source_body="", source_no=""))  # came direct
    c = statistics.compare(ctx.db, statistics.make_period("half", 2025, 2))
    s = c.current.petitions
    assert (s.transferred, s.returned, s.reported, s.reported_in_time, s.reported_in_time_rate) == (4, 1, 2, 1, 0.5)
    table = next(t for t in statistics.tables(c) if t.key == "transfer")
    assert [row[:2] for row in table.rows][:5] == [["上级交办、转送（件）", 4], ["提出异议退回（件）", 1],
                                                   ["已办结或不予受理并回告（件）", 2], ["按期回告（件）", 1],
                                                   ["按期回告率", statistics.Rate(0.5)]]
    assert "办理上级交办、转送4件（其中不属本会职责、提出异议退回1件），已回告2件，按期回告率50.0%" in summary.paragraph(c)


# --- passed on to another body (转办/交办): the 转送函 with its receipt, the answer chased when overdue ------------


def accepted(ctx: Context) -> int:
    case_id, _ = petitions.register(ctx, transferred(ctx, source_body="", source_no="", source_due_on=None,
                                                     channel="来访"))
    petitions.accept(ctx, case_id, D(2026, 3, 2))
    return case_id


def test_the_letter_goes_with_its_receipt_and_the_answer_is_chased(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.services import start_page

    from .pdf_layout import layout_problems, read

    case_id = accepted(ctx)
    with pytest.raises(ValidationError) as e:
        petitions.set_handling(ctx, case_id, "转办/交办", "东山镇派出所", "", D(2026, 3, 5), D(2026, 3, 5))
    assert e.value.errors["transfer_due_on"] == "要求答复的日期应在转送日期之后"
    doc_id = petitions.set_handling(ctx, case_id, "转办/交办", "东山镇派出所", "请依法处理并督促支付抚养费。",
                                    D(2026, 3, 5), D(2026, 3, 20))
    assert doc_id is not None
    assert case_row(ctx, case_id)[:2] == ("2026-03-20", "催办：东山镇派出所答复")
    pdf = case_documents.print_issued(ctx, doc_id)[0]
    assert not layout_problems(read(pdf))
    text = text_of(pdf)
    for words in ("转送函", "东山镇派出所：", "现将该信访事项转送贵单位，请依法办理，并于2026年3月20日前将办理结果函告本会",
                  "三、本会意见", "沿此线剪开", "回执", "贵会于2026年3月5日转送的柳如烟反映的信访事项", "办理结果",
                  "请于2026年3月20日前填写本回执"):
        assert words in text, words

    clock.advance(12)  # 22 March: two days past the date set
    assert ("petition", "催办：东山镇派出所答复") in {(c.kind, c.label) for c in start_page.clocks(ctx) if c.overdue}
    with pytest.raises(ValidationError) as e:
        petitions.record_transfer_answer(ctx, case_id, D(2026, 3, 4), "已处理")
    assert "不能早于转送日期" in e.value.errors["transfer_answered_on"]
    petitions.record_transfer_answer(ctx, case_id, D(2026, 3, 21), "已对其丈夫进行训诫，丈夫同意按月支付。")
    p = petitions.get(ctx, case_id)
    assert p.timeline[-1].note == ("东山镇派出所2026年3月21日答复（逾期，应于2026年3月20日前答复）："
                                   "已对其丈夫进行训诫，丈夫同意按月支付。")
    assert case_row(ctx, case_id)[:2] == ("2026-05-01", "办结")  # back to the 60 days
    from fulian_desktop.domain.errors import RuleError

    with pytest.raises(RuleError, match="已经记下"):
        petitions.record_transfer_answer(ctx, case_id, D(2026, 3, 22), "再次答复")


def test_the_page_passes_it_on_and_records_the_answer(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.gui.cases.action_dialog import ActionDialog
    from fulian_desktop.gui.shell.pdf_preview import PdfPreview

    from .test_gui_petition_course import editor, press_ok, type_date

    case_id = accepted(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView) and not view.transfer_answer_button.isVisible()
    d = view.make_handle_dialog()
    d.open()
    pick(qtbot, editor(d, "handling"), "转办/交办")  # type: ignore[arg-type]
    type_text(qtbot, editor(d, "handling_agency"), "县民政局")
    assert editor(d, "transfer_due_on").text() == "2026年3月25日"  # type: ignore[attr-defined]  (15 days on)
    type_date(qtbot, editor(d, "transfer_due_on"), "20260320")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert isinstance(view.last_preview, PdfPreview) and view.last_preview.windowTitle().startswith("打印预览 — 转送函_县民政局")
    assert "催办：县民政局答复" in view.header.text() and view.transfer_answer_button.isVisible()
    qtbot.mouseClick(view.transfer_answer_button, Qt.MouseButton.LeftButton)
    d = [w for w in view.findChildren(ActionDialog) if w.isVisible() and w.windowTitle() == "记录转送答复"][0]
    press_ok(qtbot, d)
    assert "请填写答复内容" in d.form.boxes["transfer_answer"].error()  # type: ignore[attr-defined]
    type_text(qtbot, editor(d, "transfer_answer"), "已将其纳入低保。")
    press_ok(qtbot, d)
    assert not d.isVisible() and not view.transfer_answer_button.isVisible()
    assert "2026年3月10日转送县民政局；2026年3月10日答复：已将其纳入低保。" in view.details.toPlainText()


def test_the_statistics_count_letters_passed_on_and_answers_in_time(ctx: Context) -> None:
    from fulian_desktop.reports import statistics, summary

    for received, due, answered in ((D(2025, 9, 1), D(2025, 9, 20), D(2025, 9, 20)),  # on the day: in time
                                    (D(2025, 10, 1), D(2025, 10, 20), D(2025, 10, 25)),  # late
                                    (D(2025, 11, 1), D(2025, 11, 20), None)):  # no answer yet
        case_id, _ = petitions.register(ctx, transferred(ctx, received_on=received, source_body="", source_no="",
                                                         source_due_on=None, channel="来访"))
        petitions.accept(ctx, case_id, received)
        petitions.set_handling(ctx, case_id, "转办/交办", "县民政局", "", received, due)
        if answered:
            petitions.record_transfer_answer(ctx, case_id, answered, "已处理。")
    c = statistics.compare(ctx.db, statistics.make_period("half", 2025, 2))
    s = c.current.petitions
    assert (s.passed_on, s.passed_answered, s.passed_answered_in_time, s.passed_answered_in_time_rate) == (3, 2, 1, 0.5)
    table = next(t for t in statistics.tables(c) if t.key == "transfer")
    assert [row[:2] for row in table.rows][5:] == [["转送其他单位办理（件）", 3], ["已答复（件）", 2], ["按期答复（件）", 1],
                                                   ["转送按期答复率", statistics.Rate(0.5)]]
    assert "转送其他单位办理3件，已答复2件，转送按期答复率50.0%" in summary.paragraph(c)
