"""The main window's 统计与台账 menu: the statistics page, importing registers, exporting a register or
the case list to Excel; and the start page's lines opening the list behind them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ...domain.errors import FulianError
from ..shell import dialogs
from ..shell.start_page_parts import show_in_list
from ..shell.widgets import busy

if TYPE_CHECKING:
    from .import_wizard import ImportWizard

# The import wizard and the Excel export (services.exchange, openpyxl) load on first use, not when the
# main window opens.


class ReportActions:
    """Installed on the main window by `install(window)`; keeps what tests look at."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.ctx = window.ctx
        self.statistics_page: QWidget | None = None
        self.last_wizard: ImportWizard | None = None
        menu = QMenu("统计与台账(&R)", window)
        self.menu = menu
        self.action_statistics = QAction("统计和工作总结", window)
        self.action_statistics.setShortcut(QKeySequence("Ctrl+4"))
        self.action_statistics.setToolTip("按月、季度、半年、全年统计，附去年同期数和工作总结中的数字段落（Ctrl+4）")
        self.action_import = QAction("导入台账（Excel/CSV）…", window)
        self.action_export_list = QAction("把当前案件列表导出为Excel…", window)
        menu.addAction(self.action_statistics)
        menu.addSeparator()
        menu.addAction(self.action_import)
        self.export_menu = menu.addMenu("导出台账为Excel")
        self._export_actions: dict[str, QAction] = {}
        self.export_menu.aboutToShow.connect(self._fill_export_menu)
        menu.addAction(self.action_export_list)
        ui = window.ui
        window.menuBar().insertMenu(ui.menuSettings.menuAction(), menu)
        toolbar = getattr(ui, "toolbar", None)
        if toolbar is not None:
            toolbar.addAction(self.action_statistics)
        self.action_statistics.triggered.connect(lambda: self.show_statistics())
        self.action_import.triggered.connect(lambda: self.import_registers())
        self.action_export_list.triggered.connect(lambda: self.export_list())
        window.dashboard.showList.connect(self.show_list)

    @property
    def export_actions(self) -> dict[str, QAction]:
        """导出台账为Excel's entries, one a register."""
        self._fill_export_menu()
        return self._export_actions

    def _fill_export_menu(self) -> None:
        """The registers' entries, made as the submenu first opens: their names come with the registers' columns
        (every kind's rules), which the main window's opening need not load (≈ 30 ms of CPU, issue 22)."""
        if self._export_actions:
            return
        from ...reports.registers import EXPORT_KINDS, KIND_LABELS

        for kind in EXPORT_KINDS:
            a = self.export_menu.addAction(KIND_LABELS[kind] + "…")
            a.triggered.connect(lambda _checked=False, kind=kind: self.export_register(kind))
            self._export_actions[kind] = a

    # --- statistics -----------------------------------------------------------------------------
    def show_statistics(self) -> QWidget | None:
        from .statistics_page import StatisticsPage

        tabs = self.window.tabs
        page = self.statistics_page
        if page is None or tabs.indexOf(page) < 0:
            try:
                self.ctx.require("statistics.read")
                page = StatisticsPage(self.ctx)
            except FulianError as e:
                dialogs.warn(self.window, "统计", e.message)
                return None
            self.statistics_page = page
            tabs.addTab(page, "统计")
        tabs.setCurrentWidget(page)
        return page

    # --- import and export ----------------------------------------------------------------------
    def import_registers(self) -> ImportWizard:
        from .import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self.window)
        wizard.imported.connect(lambda _kind, _n: self._imported())
        self.last_wizard = wizard
        wizard.open()
        return wizard

    def _imported(self) -> None:
        from .statistics_page import StatisticsPage

        self.window.refresh()
        page = self.statistics_page
        if isinstance(page, StatisticsPage) and page.isVisible():  # the figures behind the wizard: what came in too
            page.refresh(keep_text=True)

    def _target(self, title: str, suggested: str) -> Path | None:
        path = dialogs.save_path(self.window, title, suggested, "Excel 文件 (*.xlsx)")
        if not path:
            return None
        return Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export_register(self, kind: str) -> int:
        from ...reports.registers import KIND_LABELS
        from ...services import exchange

        label = KIND_LABELS[kind]
        target = self._target(f"导出{label}", f"{label}_{self.ctx.today():%Y-%m-%d}.xlsx")
        if target is None:
            return 0
        mask = dialogs.ask(
            self.window, "导出", "导出的表格中，身份证号和电话是否隐去中间几位？\n"
            "（隐去后仍可辨认；完整导出的文件请妥善保管，不要随意传送。）", yes="隐去（推荐）", no="完整导出",
            safe_is_yes=True)
        try:
            with busy():
                n = exchange.export_register(self.ctx, kind, target, mask=mask)
        except FulianError as e:
            dialogs.warn(self.window, "无法导出", e.message)
            return 0
        dialogs.inform(self.window, "已导出", f"已导出{n}条：{target}")
        return n

    def export_list(self) -> int:
        from ...services import exchange

        case_list = self.window.case_list
        target = self._target("导出案件列表", f"案件列表_{self.ctx.today():%Y-%m-%d}.xlsx")
        if target is None:
            return 0
        try:
            with busy():
                n = exchange.export_case_list(self.ctx, case_list.current_filter(), target)
        except FulianError as e:
            dialogs.warn(self.window, "无法导出", e.message)
            return 0
        dialogs.inform(self.window, "已导出", f"已导出{n}件：{target}")
        return n

    # --- the start page's lines -------------------------------------------------------------------
    def show_list(self, kind: str, what: str) -> None:
        show_in_list(self.window.case_list, kind, what, self.ctx.today())
        self.window.tabs.setCurrentWidget(self.window.case_list)


def install(window: Any) -> ReportActions:
    return ReportActions(window)
