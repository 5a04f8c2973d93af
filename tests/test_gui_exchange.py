"""The exchange windows driven as a clerk would: the township sets what it is, exports a package; the county
looks inside before anything changes, imports, chooses field by field where both changed; the township reads the
receipt back (issue 24)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from fulian_desktop.gui.exchange.exchange_dialogs import (
    ConflictDialog,
    ExportDialog,
    ImportDialog,
    OfficeDialog,
    ReceiptDialog,
)
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, cases, lists, petitions
from fulian_desktop.services import exchange_packages as ex
from fulian_desktop.services.context import Context

from .conftest import ALL_ROLES, CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock
from .qt_input import type_text
from .test_exchange_packages import petition

PASSWORD = "fu-tian-pu-2026"


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_township_exports_county_previews_chooses_and_the_receipt_comes_back(
        qtbot: Any, ctx: Context, tmp_path: Path, clock: Clock, said: list[str]) -> None:
    lists.add(ctx, "township", "福田铺乡")
    case_id, no = petitions.register(ctx, petition("柳如烟", "福田铺乡"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.exchanges.action_export in window.ui.menuFile.actions()
    assert window.exchanges.action_import in window.ui.menuFile.actions()

    # 导出交换包 before the office is set: the office first
    window.exchanges.action_export.trigger()
    office = window.exchanges.last_dialog
    assert isinstance(office, OfficeDialog)
    click(qtbot, office.save)  # nothing filled in: told by the field, nothing lost
    assert office.isVisible() and "请填写所在的县" in office.errors["office_county"].text()
    office.level.setFocus()
    qtbot.keyClick(office.level, Qt.Key.Key_Down)
    type_text(qtbot, office.county, "某某县")
    type_text(qtbot, office.township, "福田铺乡")
    click(qtbot, office.save)
    assert not office.isVisible()
    assert ex.office(ctx).label == "某某县福田铺乡妇联"

    window.exchanges.action_export.trigger()
    export = window.exchanges.last_dialog
    assert isinstance(export, ExportDialog)
    stick = tmp_path / "usb"
    qtbot.keyClicks(export.folder, str(stick))
    qtbot.keyClicks(export.password, "short")
    click(qtbot, export.go)
    assert "至少6位" in export.errors["password"].text() and export.folder.text() == str(stick)
    export.password.clear()
    qtbot.keyClicks(export.password, PASSWORD)
    qtbot.keyClick(export.password, Qt.Key.Key_Return)
    assert said and "交换包已写好" in said[-1] and "案件 1 件" in said[-1]
    [package] = stick.glob("*.fulian-exchange")

    # the county (its own database and window)
    county, _r, _a = accounts.set_up(tmp_path / "county" / "fulian.db",
                                     [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    ex.set_office(county, "county", "某某县")
    lists.add(county, "township", "福田铺乡")
    cw = MainWindow(county)
    qtbot.addWidget(cw)
    cw.show()
    cw.exchanges.action_import.trigger()
    imp = cw.exchanges.last_dialog
    assert isinstance(imp, ImportDialog)
    type_text(qtbot, imp.file, str(package))
    qtbot.keyClicks(imp.password, "wrong-password")
    click(qtbot, imp.look)
    assert "密码不对" in imp.errors["password"].text() and not imp.go.isEnabled()
    imp.password.clear()
    qtbot.keyClicks(imp.password, PASSWORD)
    click(qtbot, imp.look)
    assert "案件：新增 1" in imp.shown.toPlainText()
    assert county.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0  # nothing changed yet
    click(qtbot, imp.go)
    assert "已导入" in said[-1]
    assert county.db.execute("SELECT case_no FROM cases").fetchone()[0] == no
    [receipt] = stick.glob("*.fulian-receipt")

    # back at the township: the receipt
    window.exchanges.action_receipt.trigger()
    rd = window.exchanges.last_dialog
    assert isinstance(rd, ReceiptDialog)
    type_text(qtbot, rd.file, str(receipt))
    qtbot.keyClicks(rd.password, PASSWORD)
    click(qtbot, rd.go)
    assert "已确认收到" in said[-1]

    # both change the same case: the county chooses, field by field, side by side
    cases.supervise(ctx, case_id, "乡里督办", dt.date(2026, 3, 9))
    cases.supervise(county, cases.id_for_number(county, no), "县里督办", dt.date(2026, 3, 9))
    made = ex.export_package(ctx, tmp_path / "usb2", PASSWORD)
    cw.exchanges.action_import.trigger()
    imp = cw.exchanges.last_dialog
    assert isinstance(imp, ImportDialog)
    type_text(qtbot, imp.file, str(made.path))
    qtbot.keyClicks(imp.password, PASSWORD)
    click(qtbot, imp.look)
    assert "两边都改过" in imp.shown.toPlainText()
    click(qtbot, imp.go)
    chooser = imp.chooser
    assert isinstance(chooser, ConflictDialog) and chooser.isVisible()
    [note_row] = [r for r in range(chooser.table.rowCount()) if chooser.table.item(r, 2).text() == "乡里督办"]
    assert chooser.table.item(note_row, 0).text().startswith(no)
    assert chooser.table.item(note_row, 1).text() == "县里督办"
    assert chooser.table.item(note_row, 2).text() == "乡里督办"
    [group] = [g for _u, key, g in chooser.groups if key == "cases.supervised_note"]
    assert group.checkedId() == 0  # 本处 until she chooses
    qtbot.waitExposed(chooser)
    chooser.table.scrollToItem(chooser.table.item(note_row, 0))
    qtbot.waitUntil(lambda: group.button(1).isVisible() and group.button(1).width() > 20)
    click(qtbot, group.button(1))  # 对方
    assert group.checkedId() == 1
    click(qtbot, chooser.ok)
    assert "已导入" in said[-1]
    assert county.db.execute("SELECT supervised_note FROM cases WHERE case_no = ?", [no]).fetchone()[0] == "乡里督办"
    county.close()
