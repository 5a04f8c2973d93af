"""The import wizard with the office's own registers (issue 18), driven as a clerk would: an .xls of one sheet a
month with a title and 合计 rows, the rows it takes as header, data and totals (and the clerk choosing another
header row or one sheet), a register without 乡镇 and 案情 (filled for the whole file, or 待补全), and visits
where two households fit one row (the clerk chooses)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox

from fulian_desktop.gui.reports import import_wizard
from fulian_desktop.gui.reports.import_wizard import FILL_OWN, ImportWizard
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.services.context import Context
from fulian_desktop.store import gaps

from .test_register_import import HOUSEHOLDS, MEDIATIONS, PETITIONS, REFERRALS, VISITS, do_import


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_file(qtbot: Any, ctx: Context, path: Path, monkeypatch: pytest.MonkeyPatch) -> ImportWizard:
    offered: list[str] = []

    def open_path(_parent: Any, _title: str, filter_: str = "") -> str:
        offered.append(filter_)
        return str(path)

    monkeypatch.setattr(dialogs, "open_path", open_path)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    click(qtbot, wizard.choose_button)
    assert all(f"*{ext}" in offered[0] for ext in (".xlsx", ".xls", ".et", ".ods", ".csv"))
    return wizard


def choose(qtbot: Any, combo: QComboBox, text: str) -> None:
    """Pick an entry as the keyboard does: focus the drop-down, arrow down to it."""
    target = combo.findText(text)
    assert target >= 0, f"{text} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def cell_rect_click(qtbot: Any, table: Any, row: int, col: int) -> None:
    rect = table.visualRect(table.model().index(row, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))


def test_an_xls_a_sheet_a_month_shown_row_by_row_then_imported(qtbot: Any, ctx: Context, said: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = open_file(qtbot, ctx, PETITIONS, monkeypatch)
    assert wizard.file_label.text() == "2025年信访登记台账.xls：表头在第3行，共10行数据"
    assert "读取了3张：“1月”（5行）、“2月”（3行）、“3月”（2行）" in wizard.notes.text()
    roles = {wizard.rows_table.item(r, 0).text(): wizard.rows_table.item(r, 1).text()
             for r in range(wizard.rows_table.rowCount())}
    assert roles == {"1": "标题或说明", "2": "标题或说明", "3": "表头", "4": "数据", "5": "数据", "6": "数据", "7": "数据",
                     "8": "数据", "9": "合计", "10": "表尾备注"}
    assert wizard.sheet.isVisible() and wizard.sheet.currentText() == "所有表头相同的工作表"
    # one sheet only: 2月
    choose(qtbot, wizard.sheet, "2月")
    assert wizard.file_label.text().endswith("共3行数据")
    choose(qtbot, wizard.sheet, "所有表头相同的工作表")
    assert wizard.file_label.text().endswith("共10行数据")
    click(qtbot, wizard.next_button)
    assert wizard.combos["facts"].currentText() == "反映内容" and wizard.combos["request"].currentText() == "主要诉求"
    assert wizard.unplaced.text() == "表格中的每一列都有对应的字段。"
    choose(qtbot, wizard.combos["request"], "（不导入）")  # the clerk leaves 主要诉求 out: the column is named
    assert "“主要诉求”" in wizard.unplaced.text()
    choose(qtbot, wizard.combos["request"], "主要诉求")
    click(qtbot, wizard.next_button)
    assert wizard.stack.currentIndex() == 2
    shown = [[wizard.preview.item(r, c).text() for c in range(3)] for r in range(wizard.preview.rowCount())]
    assert shown[3] == ["“1月”第7行", "有错误", "冯桂芝"] and shown[9] == ["“3月”第5行", "可导入", "韩翠萍"]
    assert "身份证号：被表格存成了数字" in wizard.preview.item(3, 3).text()
    with qtbot.waitSignal(wizard.imported) as blocker:
        click(qtbot, wizard.import_button)
    assert blocker.args == ["petition", 9]
    assert "共10行：新增9，已在库中0，待补全0，有错误1" in said[-1]
    # the same layout again: the columns as the clerk chose them last time
    again = open_file(qtbot, ctx, PETITIONS, monkeypatch)
    click(qtbot, again.next_button)
    assert again.mapping_hint.text().startswith("已按上次导入这种表格时的选择对应好各列")


def test_the_clerk_chooses_the_header_row(qtbot: Any, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = open_file(qtbot, ctx, MEDIATIONS, monkeypatch)
    assert wizard.file_label.text().startswith("婚姻家庭纠纷调解台账.xlsx：表头在第2行")
    assert "表头占两行（第2、3行）" in wizard.notes.text()
    assert not wizard.header_button.isEnabled()
    cell_rect_click(qtbot, wizard.rows_table, 2, 0)  # the row numbered 3
    click(qtbot, wizard.header_button)
    assert wizard.file_label.text().startswith("婚姻家庭纠纷调解台账.xlsx：表头在第3行")
    header = [wizard.rows_table.item(r, 0).text() for r in range(wizard.rows_table.rowCount())
              if wizard.rows_table.item(r, 1).text() == "表头"]
    assert header == ["3"]
    cell_rect_click(qtbot, wizard.rows_table, 0, 0)  # the title: not a header, said, and nothing lost
    click(qtbot, wizard.header_button)
    assert "第1行不是表头" in wizard.notes.text() and wizard.file_label.text().endswith("共4行数据")


def test_a_register_without_township_and_facts_is_filled_or_left_to_complete(
        qtbot: Any, ctx: Context, said: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = open_file(qtbot, ctx, REFERRALS, monkeypatch)
    click(qtbot, wizard.next_button)
    rows = {wizard.mapping_table.item(r, 0).text(): r for r in range(wizard.mapping_table.rowCount())}
    assert wizard.mapping_table.item(rows["案情"], 2).text() == (
        "表格没有这一列：记为“（原台账未记录）”，这些记录导入后标为“待补全”")
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "东山镇")
    choose(qtbot, wizard.combos["township"], FILL_OWN)
    assert wizard.combos["township"].currentText() == "全部填为“东山镇”"
    assert wizard.mapping_table.item(rows["乡镇"], 2).text() == "整个文件都填“东山镇”"
    click(qtbot, wizard.next_button)
    assert [wizard.preview.item(r, 1).text() for r in range(4)] == ["可导入（待补全）"] * 4
    assert wizard.preview.item(0, 3).text() == "原台账未记录：案情"
    assert "可导入但待补全4行" in wizard.summary.text()
    with qtbot.waitSignal(wizard.imported):
        click(qtbot, wizard.import_button)
    assert "待补全的4条" in said[-1]
    assert {r[0] for r in ctx.db.execute("SELECT township FROM cases")} == {"东山镇"}
    case_id = ctx.db.execute("SELECT id FROM cases LIMIT 1").fetchone()[0]
    assert gaps.labels(ctx.db, case_id) == ["案情"]


def test_a_visit_two_households_fit_is_chosen_by_the_clerk(qtbot: Any, ctx: Context, said: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    do_import(ctx, HOUSEHOLDS)
    wizard = open_file(qtbot, ctx, VISITS, monkeypatch)
    assert "文字编码：GBK（已自动识别）" in wizard.notes.text()
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)
    assert wizard.preview.item(4, 1).text() == "请选择" and wizard.import_button.text() == "导入4条记录"
    box = wizard.preview.cellWidget(4, 3)
    assert isinstance(box, QComboBox)
    assert [box.itemText(i) for i in range(1, box.count())] == [
        f"{no}（东山镇{village}）" for no, village in ctx.db.execute(
            "SELECT case_no, village FROM cases WHERE names = '刘桂兰' ORDER BY case_no")]
    choose(qtbot, box, box.itemText(2))  # 石桥村
    assert wizard.preview.item(4, 1).text() == "可导入" and "您选的" in wizard.preview.item(4, 3).text()
    assert wizard.import_button.text() == "导入5条记录"
    with qtbot.waitSignal(wizard.imported):
        click(qtbot, wizard.import_button)
    assert ctx.db.execute("""SELECT COUNT(*) FROM visits v JOIN cases c ON c.id = v.case_id
                             WHERE c.village = '石桥村'""").fetchone()[0] == 2


def test_the_records_to_complete_are_one_click_from_the_start_page(qtbot: Any, ctx: Context) -> None:
    from fulian_desktop.gui.reports.incomplete_list import IncompleteList
    from fulian_desktop.gui.shell.start_page import Dashboard

    page = Dashboard(ctx)
    qtbot.addWidget(page)
    page.show()
    assert not page.incomplete_button.isVisible()  # nothing imported: no button
    do_import(ctx, REFERRALS)
    page.refresh()
    assert page.incomplete_button.isVisible() and page.incomplete_button.text() == "待补全 4 条"
    click(qtbot, page.incomplete_button)
    lists = [w for w in page.findChildren(IncompleteList) if w.isVisible()]
    assert len(lists) == 1
    shown = lists[0]
    assert shown.table.rowCount() == 4 and shown.table.item(0, 3).text() == "乡镇、案情"
    assert shown.table.item(0, 1).text() == "法律援助转介"
    expected = ctx.db.execute("SELECT id FROM cases WHERE case_no = ?", [shown.table.item(0, 0).text()]).fetchone()[0]
    shown.table.setFocus()
    with qtbot.waitSignal(page.openCase) as blocker:
        qtbot.keyClick(shown.table, Qt.Key.Key_Return)
    assert blocker.args == [expected] and not shown.isVisible()



def _watch_progress(qtbot: Any, wizard: ImportWizard, seen: list[tuple[str, int, int]],
                    stop_at: str = "", helpers: list[int] | None = None, kill_at: int = 0) -> Any:
    """What the clerk sees of the progress dialog while the wizard works (looked at every 10 ms), pressing its
    停止 button once it says `stop_at`. `helpers`: how many other processes of the program were running at each look
    while it wrote; `kill_at`: they are killed once it has written that many rows."""
    import multiprocessing

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    def look() -> None:
        for d in wizard.findChildren(QProgressDialog):
            if d.isVisible():
                seen.append((d.labelText(), d.value(), d.maximum()))
                if stop_at and stop_at in d.labelText():
                    button = next(b for b in d.findChildren(QPushButton) if b.text() == "停止")
                    click(qtbot, button)
                if helpers is not None and "正在写入" in d.labelText():
                    helpers.append(len(multiprocessing.active_children()))
                    if kill_at and d.value() >= kill_at:
                        for p in multiprocessing.active_children():
                            p.kill()

    timer = QTimer(wizard)
    timer.timeout.connect(look)
    timer.start(10)
    return timer


@contextmanager
def _painted_progress() -> Iterator[list[tuple[str, bool]]]:
    """Each text the progress dialog's label is painted with, as the clerk sees it, and whether its 停止 button could
    be pressed then."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QPushButton

    painted: list[tuple[str, bool]] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and isinstance(obj, QLabel) and isinstance(obj.parent(),
                                                                                            QProgressDialog):
                stop = any(b.isVisible() and b.isEnabled() and b.text() == "停止"
                           for b in obj.parent().findChildren(QPushButton))
                if not painted or painted[-1] != (obj.text(), stop):
                    painted.append((obj.text(), stop))
            return False

    watch = Watch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    try:
        yield painted
    finally:
        app.removeEventFilter(watch)


def test_a_long_register_shows_its_progress_row_by_row_and_can_be_stopped(
        qtbot: Any, ctx: Context, said: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import datetime as dt

    from tests import big_registers

    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 3000, dt.date(2026, 3, 1))
    # the dialog at once, not after 0.3 s: on a quick machine the whole check takes less than that
    monkeypatch.setattr(import_wizard, "PROGRESS_AFTER_MS", 0)
    wizard = open_file(qtbot, ctx, path, monkeypatch)
    assert "共3000行数据" in wizard.file_label.text()
    click(qtbot, wizard.next_button)
    seen: list[tuple[str, int, int]] = []
    timer = _watch_progress(qtbot, wizard, seen, stop_at="正在检查")
    click(qtbot, wizard.next_button)  # 检查每一行, stopped part-way
    timer.stop()
    assert seen and all(m == 3000 for _t, _v, m in seen)
    assert "已停止检查" in wizard.message.text() and wizard.stack.currentIndex() == 1
    # again, to the end: the bar goes up row by row, saying how far (正在检查：第1200行，共3000行)
    seen.clear()
    timer = _watch_progress(qtbot, wizard, seen)
    click(qtbot, wizard.next_button)
    timer.stop()
    assert wizard.stack.currentIndex() == 2 and "可导入3000行" in wizard.summary.text()
    checked = [(t, v) for t, v, _m in seen if t.startswith("正在检查：")]
    assert len({v for _t, v in checked}) > 1 and all(t == f"正在检查：第{v}行，共3000行" for t, v in checked)
    assert [v for _t, v in checked] == sorted(v for _t, v in checked)
    # the import: the rows written, counted the same way, a second process packing the letters and making the
    # search entries meanwhile (a register of parallel.FLOOR rows or more), gone at the end; the summary line
    import multiprocessing

    from fulian_desktop.store import parallel

    assert parallel.FLOOR <= 3000
    monkeypatch.setattr(parallel, "_cores", lambda: 2)  # (whatever machine runs the tests)
    seen.clear()
    helpers: list[int] = []
    timer = _watch_progress(qtbot, wizard, seen, helpers=helpers)
    with _painted_progress() as painted:
        click(qtbot, wizard.import_button)
    timer.stop()
    # the last seconds (the indexes made again, the commit) say so, and offer no 停止 that would do nothing
    assert painted[-1] == ("已写入3000行，正在保存……", False)
    assert ("正在写入：第3000行，共3000行", True) in painted
    written = [(t, v) for t, v, _m in seen if t.startswith("正在写入：")]
    assert written and all(t == f"正在写入：第{v}行，共3000行" for t, v in written)
    assert len({v for _t, v in written}) > 1 and 1 in helpers and not multiprocessing.active_children()
    assert said and "共3000行：新增3000，已在库中0，待补全0，有错误0" in said[-1]
    assert int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) == 3000


def test_an_import_whose_second_process_dies_says_so_and_writes_nothing(
        qtbot: Any, ctx: Context, said: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import datetime as dt
    import multiprocessing

    from fulian_desktop.store import parallel
    from tests import big_registers

    monkeypatch.setattr(parallel, "FLOOR", 300)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(parallel, "_given_up", False)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(import_wizard, "PROGRESS_AFTER_MS", 0)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 600, dt.date(2026, 3, 1))
    wizard = open_file(qtbot, ctx, path, monkeypatch)
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # 检查每一行
    assert wizard.stack.currentIndex() == 2 and "可导入600行" in wizard.summary.text()
    seen: list[tuple[str, int, int]] = []
    helpers: list[int] = []
    timer = _watch_progress(qtbot, wizard, seen, helpers=helpers, kill_at=200)
    click(qtbot, wizard.import_button)
    timer.stop()
    assert 1 in helpers and not multiprocessing.active_children()
    assert said[-1] == f"{parallel.FAILED}\n\n没有写入任何记录。"
    assert int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) == 0
    assert wizard.isVisible() and wizard.stack.currentIndex() == 2 and wizard.import_button.isEnabled()
    # again, as the message says: all of it, without a second process
    helpers.clear()
    timer = _watch_progress(qtbot, wizard, seen, helpers=helpers)
    click(qtbot, wizard.import_button)
    timer.stop()
    assert "共600行：新增600" in said[-1] and helpers and set(helpers) == {0}
    assert int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) == 600


def test_a_referral_register_without_a_service_column_takes_the_organisations_or_the_one_chosen(
        qtbot: Any, ctx: Context, said: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A shelter's referral register (no 服务 column): the wizard says each row takes its organisation's service, and
    offers one service for the whole file; the referrals are imported as referrals to the shelter."""
    import datetime as dt

    from openpyxl import Workbook

    from fulian_desktop.domain.referral import Organisation
    from fulian_desktop.services import organisations

    organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service="庇护所/救助管理站"))
    wb = Workbook()
    wb.active.append(["转介日期", "申请人", "乡镇", "事项", "案情", "接收机构"])
    wb.active.append([dt.date(2025, 5, 7), "郑桂兰", "东山镇", "家庭暴力", "被打无处住", "县救助管理站"])
    wb.active.append([dt.date(2025, 5, 9), "何秋菊", "西河乡", "家庭暴力", "被赶出家门", "县救助管理站"])
    wb.save(tmp_path / "庇护转介登记.xlsx")
    wizard = open_file(qtbot, ctx, tmp_path / "庇护转介登记.xlsx", monkeypatch)
    click(qtbot, wizard.next_button)
    rows = {wizard.mapping_table.item(r, 0).text(): r for r in range(wizard.mapping_table.rowCount())}
    assert wizard.combos["service"].currentText() == "（不导入）"
    assert wizard.mapping_table.item(rows["服务"], 2).text() == "表格没有这一列：按接收机构在机构名录中提供的服务"
    choose(qtbot, wizard.combos["service"], "全部填为“庇护所/救助管理站”")
    assert wizard.mapping_table.item(rows["服务"], 2).text() == "整个文件都填“庇护所/救助管理站”"
    click(qtbot, wizard.next_button)
    assert [wizard.preview.item(r, 1).text() for r in range(2)] == ["可导入"] * 2
    with qtbot.waitSignal(wizard.imported):
        click(qtbot, wizard.import_button)
    assert "共2行：新增2" in said[-1]
    assert {r[0] for r in ctx.db.execute("SELECT service FROM referrals")} == {"庇护所/救助管理站"}
