"""The start page, the statistics page and the import wizard driven as a user would: lines that open
the list behind them, the backup's age, picking a period, editing and copying the summary, exporting,
printing, and an import whose errors are shown before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox

from fulian_desktop.gui.reports.import_wizard import ImportWizard
from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.reports import statistics as st
from fulian_desktop.services.context import Context
from fulian_desktop.store import settings as settings_store

from .qt_input import type_text
from .report_data import fill


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


@pytest.fixture
def filled(ctx: Context) -> Context:
    fill(ctx, petitions=200, n_referrals=12, n_mediations=10, n_households=3, n_visits=20)
    return ctx


@pytest.fixture
def window(qtbot, filled: Context) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(filled)
    qtbot.addWidget(w)
    w.show()
    return w


# ---- start page ---------------------------------------------------------------------------------


def test_each_clock_line_opens_the_cases_behind_it(qtbot, window: MainWindow, filled: Context) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.gui.shell.start_page_parts import COL_DUE_SOON, COL_KIND, COL_OVERDUE

    box = window.dashboard.clocks_box
    table, model = box.table, box.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert ["转介", "答复是否受理"] in [r[:2] for r in rows if r[2] != "—"], rows
    assert ["帮扶户走访", "走访"] in [r[:2] for r in rows if r[3] != "—"], rows
    for row in range(model.rowCount()):
        line = model.row_at(row)
        assert line is not None
        for col, due in ((COL_OVERDUE, "overdue"), (COL_DUE_SOON, "due_soon")):
            if not (line.overdue if due == "overdue" else line.due_soon):
                continue
            window.tabs.setCurrentWidget(window.dashboard)
            table.setFocus()
            table.setCurrentIndex(model.index(row, col))
            qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter on the count opens the cases behind it
            assert window.tabs.currentWidget() is window.case_list
            today = filled.today().isoformat()
            op = "<" if due == "overdue" else "<="
            limit = today if due == "overdue" else (filled.today() + dt.timedelta(days=7)).isoformat()
            expected = filled.db.execute(
                f"SELECT COUNT(*) FROM cases WHERE kind = ? AND is_open = 1 AND due_on IS NOT NULL AND due_on {op} ?",
                [line.kind, limit]).fetchone()[0]
            assert window.case_list.model.rowCount() == expected > 0
            assert window.case_list.kind.currentData() == line.kind
    # a double-click on the kind opens the overdue ones when there are any
    window.tabs.setCurrentWidget(window.dashboard)
    first = model.row_at(0)
    assert first is not None and first.overdue
    at = table.visualRect(model.index(0, COL_KIND)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a double-click: press, release, …
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # … the second press, release
    assert window.tabs.currentWidget() is window.case_list and window.case_list.due.currentData() == "overdue"


def test_counts_open_their_lists_and_the_backup_age_shows_from_the_first_day(
    qtbot, window: MainWindow, filled: Context, clock  # type: ignore[no-untyped-def]
) -> None:
    dash = window.dashboard
    qtbot.mouseClick(dash.open_labels["referral"], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.case_list
    open_referrals = filled.db.execute("SELECT COUNT(*) FROM cases WHERE kind = 'referral' AND is_open = 1"
                                       ).fetchone()[0]
    assert window.case_list.model.rowCount() == open_referrals == int(dash.open_labels["referral"].text())
    qtbot.mouseClick(dash.today_label, Qt.MouseButton.LeftButton)
    assert window.case_list.model.rowCount() == int(dash.today_label.text())
    assert window.case_list.use_dates.isChecked()

    assert dash.backup_label.text() == "还没有备份到U盘，请尽快备份"  # no backup made yet: said from the first day
    with filled.action() as db:
        settings_store.put(db, "last_backup_at", "2026-03-08T17:30:00")
    dash.refresh()
    assert not dash.backup_label.isHidden()
    assert dash.backup_label.text() == "上次备份到U盘：2天前（2026年3月8日 17:30）"
    clock.advance(7)
    dash.refresh()
    assert dash.backup_label.text().endswith("，请尽快备份") and "9天前" in dash.backup_label.text()


# ---- statistics page ----------------------------------------------------------------------------


def test_pick_a_period_read_the_tables_edit_and_copy_the_summary(qtbot, filled: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    page = StatisticsPage(filled)
    qtbot.addWidget(page)
    page.show()
    picker = page.picker
    # opens on the half-year we are in
    assert picker.period().label == "2026年上半年"
    choose(picker.kind, "全年")
    picker.year.setValue(2025)
    assert page.comparison is not None and page.comparison.current.period.label == "2025年"
    assert "2025年" in page.heading.text() and "去年同期：2024年" in page.heading.text()
    stats = st.petition_stats(filled.db, st.make_period("year", 2025))
    channel = page.table_widget("channel")
    assert channel is not None
    total_row = next(r for r in range(channel.rowCount()) if channel.item(r, 0).text() == "合计（件次）")
    assert channel.item(total_row, 1).text() == str(stats.total)
    assert page.summary.toPlainText().startswith(f"全年，县妇联共接待来信来电来访{stats.total}件(次)")
    # the charts are drawn from the same figures
    series = page.category_view.chart().series()[0]
    assert sum(series.barSets()[0].at(i) for i in range(series.barSets()[0].count())) == sum(
        n for _, n in stats.by_category[:12])
    # every name beside its bars, none left out or shortened to "…", and the numbers readable (not white)
    for view in (page.category_view, page.township_view):
        axis = next(a for a in view.chart().axes() if isinstance(a, QBarCategoryAxis))
        assert axis.count() > 3 and not axis.truncateLabels()
        assert view.height() >= 110 + 24 * axis.count() - 1
        assert view.chart().series()[0].barSets()[0].labelColor().lightness() < 100

    choose(picker.kind, "季度")
    choose(picker.number, "第一季度")
    assert page.comparison.current.period.label == "2025年第一季度"
    choose(picker.kind, "自定义")
    assert picker.date_from.isVisible() and not picker.year.isVisible()
    picker.set_custom(dt.date(2025, 3, 1), dt.date(2025, 5, 31))
    assert page.comparison.current.period.label == "2025年3月1日至2025年5月31日"
    picker.set_custom(dt.date(2025, 6, 1), dt.date(2025, 5, 31))
    assert page.heading.text() == "结束日期不能早于开始日期"

    choose(picker.kind, "半年")
    choose(picker.number, "下半年")
    picker.year.setValue(2025)
    page.summary.moveCursor(page.summary.textCursor().MoveOperation.End)
    type_text(qtbot, page.summary, "另，开展普法宣传3次。")
    page.hide()  # to another tab and back: the figures are redone, her text is kept
    page.show()
    assert page.summary.toPlainText().endswith("另，开展普法宣传3次。")
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("下半年，县妇联共接待") and copied.endswith("另，开展普法宣传3次。")
    assert page.copied_label.text() == "已复制，可以粘贴到总结中。"

    target = tmp_path / "统计.xlsx"
    monkeypatch.setattr(dialogs, "save_path", lambda *a, **k: str(target))
    told: list[str] = []
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: told.append(text))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert target.exists() and told
    summary_cell = next(c.value for c in load_workbook(target).worksheets[0]["A"] if str(c.value).startswith("下半年"))
    assert str(summary_cell).endswith("另，开展普法宣传3次。")  # the edited text is what is exported

    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert page.last_pdf is not None
    page.last_pdf.close()  # type: ignore[attr-defined]
    qtbot.mouseClick(page.redo_button, Qt.MouseButton.LeftButton)
    assert not page.summary.toPlainText().endswith("另，开展普法宣传3次。")


def test_the_menu_opens_statistics_and_exports_a_register(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window.reports.action_statistics.trigger()
    page = window.tabs.currentWidget()
    assert isinstance(page, StatisticsPage)
    window.reports.action_statistics.trigger()
    assert window.tabs.count() == 3  # the same tab again, not a second one
    target = tmp_path / "信访.xlsx"
    monkeypatch.setattr(dialogs, "save_path", lambda *a, **k: str(target)[:-5])  # the suffix is added
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: True)  # mask ID numbers and phones
    monkeypatch.setattr(dialogs, "inform", lambda *a, **k: None)
    window.reports.export_actions["petition"].trigger()
    ws = load_workbook(target).active
    assert ws is not None and ws.cell(3, 1).value == "案件编号"
    assert all("*" in str(c.value) for c in ws["F"][3:] if c.value)
    window.case_list.set_search("")
    monkeypatch.setattr(dialogs, "save_path", lambda *a, **k: str(tmp_path / "list.xlsx"))
    window.reports.action_export_list.trigger()
    assert load_workbook(tmp_path / "list.xlsx").active.max_row == window.case_list.model.rowCount() + 1  # type: ignore[union-attr]


# ---- import wizard ------------------------------------------------------------------------------


def _register(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "来访日期", "来访人姓名", "身份证号码", "乡镇（街道）", "村", "类别", "反映问题"])
    ws.append([1, dt.date(2025, 1, 6), "李秀兰", "", "东山镇", "石桥村", "婚姻家庭", "丈夫酒后殴打。"])
    ws.append([2, "2025.1.9", "王芳", "439021198203041234", "西河乡", "柳塘村", "婚姻家庭", "抚养费不给。"])
    ws.append([3, "2025年2月30日", "张桂英", "", "南岭镇", "竹园村", "财产权益", "补偿款被扣。"])
    ws.append([4, dt.date(2025, 3, 2), "陈小红", "", "东山镇", "枫林村", "外星人", "婆家不让回家。"])
    ws.append([5, dt.date(2025, 4, 1), "刘凤", "", "青溪镇", "白沙村", "劳动和社会保障权益", "拖欠工资。"])
    wb.save(path)
    return path


def test_import_shows_every_rows_problems_before_writing_then_writes_the_good_ones(
    qtbot, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    path = _register(tmp_path / "台账.xlsx")
    monkeypatch.setattr(dialogs, "open_path", lambda *a, **k: str(path))
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.next_button.isEnabled()
    qtbot.mouseClick(wizard.choose_button, Qt.MouseButton.LeftButton)
    assert wizard.kind.currentData() == "petition"
    assert "共5行数据" in wizard.file_label.text()
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentIndex() == 1
    guessed = {k: c.currentText() for k, c in wizard.combos.items() if c.currentData() != -1}
    assert guessed == {"received_on": "来访日期", "name": "来访人姓名", "id_number": "身份证号码",
                       "township": "乡镇（街道）", "village": "村", "category": "类别", "facts": "反映问题"}
    # 信访方式 has no column: the wizard says so and writes nothing
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentIndex() == 1 and wizard.message.text() == "还没有指定这些列：信访方式"
    choose(wizard.combos["channel"], "全部填为“来访”")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentIndex() == 2
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0  # nothing written yet
    shown = [[wizard.preview.item(r, c).text() for c in range(4)] for r in range(wizard.preview.rowCount())]
    assert [r[:3] for r in shown] == [["2", "可导入", "李秀兰"], ["3", "有错误", "王芳"], ["4", "有错误", "张桂英"],
                                      ["5", "有错误", "陈小红"], ["6", "可导入", "刘凤"]]
    assert "身份证号" in shown[1][3] and "看不懂" in shown[2][3] and "外星人" in shown[3][3]
    assert "可导入2行" in wizard.summary.text() and "有错误3行" in wizard.summary.text()
    qtbot.mouseClick(wizard.only_errors, Qt.MouseButton.LeftButton, pos=QPoint(6, wizard.only_errors.height() // 2))
    assert wizard.preview.rowCount() == 3
    assert wizard.import_button.text() == "导入2条记录"
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, **k: asked.append(text) or True)
    monkeypatch.setattr(dialogs, "inform", lambda *a, **k: None)
    with qtbot.waitSignal(wizard.imported) as blocker:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["petition", 2]
    assert "有3行有错误" in asked[0]
    rows = ctx.db.execute("SELECT c.names, t.channel FROM cases c JOIN petitions t ON t.case_id = c.id "
                          "ORDER BY c.received_on").fetchall()
    assert rows == [("李秀兰", "来访"), ("刘凤", "来访")]

    # the same file again: the two are recognised, nothing is added
    again = ImportWizard(ctx)
    qtbot.addWidget(again)
    assert again.load(path)
    again.next()
    choose(again.combos["channel"], "全部填为“来访”")
    again.next()
    assert again.report is not None and (again.report.new, again.report.same) == (0, 2)
    assert not again.import_button.isEnabled()


def test_a_file_that_cannot_be_read_says_why(qtbot, ctx: Context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    assert not wizard.load(empty)
    assert wizard.notes.text() == "这个文件是空的，没有可以导入的内容。"
    wizard.next()
    assert wizard.stack.currentIndex() == 0
