"""The main window's entries for exchange packages: 文件 → 导出交换包… / 导入交换包… / 读回执…, 设置 → 本单位（交换）….
Entries the account may not use are not shown (the services refuse them anyway)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from ...services.context import Context


class ExchangeActions:
    def __init__(self, window: Any, ctx: Context) -> None:
        self.window, self.ctx = window, ctx
        self.last_dialog: QDialog | None = None
        self.action_export = QAction("导出交换包…", window)
        self.action_import = QAction("导入交换包…", window)
        self.action_receipt = QAction("读回执…", window)
        self.action_office = QAction("本单位（交换数据）…", window)
        self.action_export.triggered.connect(lambda _c=False: self.open("export"))
        self.action_import.triggered.connect(lambda _c=False: self.open("import"))
        self.action_receipt.triggered.connect(lambda _c=False: self.open("receipt"))
        self.action_office.triggered.connect(lambda _c=False: self.open("office"))
        ui = window.ui
        quit_action = ui.actionQuit
        shown = False
        for allowed, action in ((ctx.may("exchange.export"), self.action_export),
                                (ctx.may("exchange.import"), self.action_import),
                                (ctx.may("exchange.export"), self.action_receipt)):
            if allowed:
                ui.menuFile.insertAction(quit_action, action)
                shown = True
        if shown:
            ui.menuFile.insertSeparator(quit_action)
        if ctx.may("settings.write"):
            ui.menuSettings.addAction(self.action_office)

    def open(self, which: str) -> QDialog:
        from ...services import exchange_packages as ex
        from . import exchange_dialogs as d

        if which != "office" and not ex.office_is_set(self.ctx):
            which = "office"  # first the office: what it is decides what a package holds
        cls = {"export": d.ExportDialog, "import": d.ImportDialog, "receipt": d.ReceiptDialog,
               "office": d.OfficeDialog}[which]
        dialog = cls(self.window, self.ctx)
        self.last_dialog = dialog
        dialog.open()
        return dialog


def install(window: Any) -> ExchangeActions:
    return ExchangeActions(window, window.ctx)
