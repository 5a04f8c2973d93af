"""The main window: start page, case list, a tab per open case, and the actions around them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QMainWindow, QWidget

from ... import __version__
from ...domain.errors import FulianError
from ...services import audit, cases, lists, settings
from ...services.context import Context
from ..backup import backup_actions
from ..cases.action_dialog import ActionDialog
from ..cases.case_model import RecordRole
from ..exchange import exchange_actions
from ..households.household_actions import HouseholdActions
from ..reports import report_actions
from ..security import account_menu
from . import dialogs, fonts
from .generated.ui_main_window import Ui_MainWindow
from .start_page import Dashboard
from .widgets import busy, window_title

if TYPE_CHECKING:
    from ..cases.case_list import CaseListPage
    from ..mediation.mediation_form import MediationForm
    from ..mediation.mediators_dialog import MediatorsDialog
    from ..petitions.petition_form import PetitionForm
    from ..referrals.organisations_dialog import OrganisationsDialog
    from ..referrals.referral_form import ReferralForm
    from .pdf_preview import PdfPreview

log = logging.getLogger(__name__)



def _petition_view(ctx: Context, case_id: int) -> QWidget:
    from ..petitions.petition_view import PetitionView

    return PetitionView(ctx, case_id)


def _household_view(ctx: Context, case_id: int) -> QWidget:
    from ..households.household_view import HouseholdView

    return HouseholdView(ctx, case_id)


def _referral_view(ctx: Context, case_id: int) -> QWidget:
    from ..referrals.referral_view import ReferralView

    return ReferralView(ctx, case_id)


def _mediation_view(ctx: Context, case_id: int) -> QWidget:
    from ..mediation.mediation_view import MediationView

    return MediationView(ctx, case_id)


# How each kind of case opens in a tab; later kinds register their views here. The views (and the
# forms and dialogs below) load on first use, so start-up does not pay for every kind's widgets.
VIEW_FACTORIES: dict[str, Callable[[Context, int], QWidget]] = {
    "petition": _petition_view,
    "household": _household_view,
    "referral": _referral_view,
    "mediation": _mediation_view,
}


class MainWindow(HouseholdActions, QMainWindow):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.tabs = self.ui.tabs
        self.dashboard = Dashboard(ctx)
        # 案件列表 is built the first time it is shown or asked for (case_list): the window opens on the start page
        self._case_list: CaseListPage | None = None
        self._list_tab = QWidget()
        self.tabs.addTab(self.dashboard, "工作台")
        self.tabs.addTab(self._list_tab, "案件列表")
        for i in (0, 1):
            self.tabs.tabBar().setTabButton(i, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.open_views: dict[int, QWidget] = {}
        self.last_preview: PdfPreview | None = None
        self.last_form: PetitionForm | None = None
        self.last_referral_form: ReferralForm | None = None
        self.last_mediation_form: MediationForm | None = None

        fonts.register_fonts()  # the print face too (its rare characters for names); done already by the warm-up
        self.staff = QComboBox()
        self.staff.setEditable(True)
        self.staff.setMinimumWidth(120)
        self.staff.addItems(lists.values(ctx, "staff"))
        self.staff.lineEdit().setPlaceholderText("请填写姓名")
        remembered = str(QSettings().value("staff", "") or "")
        self.staff.setEditText(ctx.staff or remembered)
        ctx.staff = self.staff.currentText().strip()
        self.staff.lineEdit().editingFinished.connect(self._staff_changed)
        self.staff.activated.connect(lambda _i: self._staff_changed())
        self.staff_label = QLabel("当前工作人员：")
        self.ui.statusbar.addPermanentWidget(self.staff_label)
        self.ui.statusbar.addPermanentWidget(self.staff)
        # signed in: who is at the keyboard is the account (shown by the security controls), the idle lock
        self.security = account_menu.install(self, ctx)
        if self.security is not None:
            self.staff_label.hide()
            self.staff.hide()
        self.workdays_action = None  # 节假日表, with the office's other settings, for those who keep the lists
        if self.security is not None and ctx.may("lists.write"):
            self.workdays_action = self.ui.menuSettings.addAction("节假日表（工作日期限）…")
            self.workdays_action.triggered.connect(self.security.open_workdays)
        self.checklist_action = None  # 风险评估清单 (家暴防护), for those who change the settings
        if self.security is not None and ctx.may("settings.write"):
            self.checklist_action = self.ui.menuSettings.addAction("风险评估清单（家暴防护）…")
            self.checklist_action.triggered.connect(self.security.open_checklist)
        self.db_label = QLabel(f"数据文件：{ctx.path}" if ctx.path else "数据文件：内存（测试）")
        self.ui.statusbar.addWidget(self.db_label)

        self.ui.actionNewPetition.triggered.connect(self.new_petition)
        self.ui.actionNewReferral.triggered.connect(self.new_referral)
        self.ui.actionNewMediation.triggered.connect(self.new_mediation)
        self.ui.actionMediators.triggered.connect(self.edit_mediators)
        self.ui.actionOrganisations.triggered.connect(self.edit_organisations)
        self.ui.actionPrint.triggered.connect(self.print_current)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionDashboard.triggered.connect(lambda: self.tabs.setCurrentWidget(self.dashboard))
        self.ui.actionCaseList.triggered.connect(lambda: self.tabs.setCurrentWidget(self.case_list))
        self.ui.actionFind.triggered.connect(self.focus_search)
        # 查看 → 刷新 (F5): what another program wrote meanwhile (the command line's import, a colleague's exchange
        # package read on the command line) shown on the start page, in the case list and the register
        self.refresh_action = self.ui.menuView.addAction("刷新")
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh)
        self.ui.actionLists.triggered.connect(self.edit_lists)
        self.ui.actionOffice.triggered.connect(self.edit_office)
        self.ui.actionAbout.triggered.connect(self.about)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.dashboard.openCase.connect(self.open_case)
        self.dashboard.showDue.connect(self.show_due)
        self.dashboard.newPetition.connect(self.new_petition)
        self.install_household_actions()
        self.reports = report_actions.install(self)  # 统计与台账: statistics, import, export; start-page lines
        self.backups = backup_actions.install(self)  # 备份到U盘, 从备份恢复, 备份密码与设置
        self.exchanges = exchange_actions.install(self)  # 导出/导入交换包, 读回执, 本单位（交换）
        self._update_title()
        state = QSettings().value("main_window/geometry")
        if state is not None:
            self.restoreGeometry(state)  # type: ignore[arg-type]

    # --- window ---------------------------------------------------------------------------------
    @property
    def case_list(self) -> CaseListPage:
        """The 案件列表 page, built (in its tab's place) the first time it is shown or asked for."""
        if self._case_list is None:
            from ..cases.case_list import CaseListPage

            self._case_list = page = CaseListPage(self.ctx)
            page.openCase.connect(self.open_case)
            placeholder = self._list_tab
            index = self.tabs.indexOf(placeholder)
            showing = self.tabs.currentIndex() == index
            blocked = self.tabs.blockSignals(True)  # the same tab stays current: nothing to tell
            self.tabs.insertTab(index, page, "案件列表")
            self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
            self.tabs.removeTab(index + 1)
            if showing:
                self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(blocked)
            self._list_tab = page
            placeholder.deleteLater()
        return self._case_list

    def _tab_shown(self, index: int) -> None:
        if self._case_list is None and self.tabs.widget(index) is self._list_tab:
            self.case_list  # noqa: B018 - built as it is first shown

    def _update_title(self) -> None:
        self.setWindowTitle(window_title(settings.office_name(self.ctx)))

    def _staff_changed(self) -> None:
        name = self.staff.currentText().strip()
        self.ctx.staff = name
        QSettings().setValue("staff", name)
        if name and name not in lists.values(self.ctx, "staff"):
            try:
                lists.add(self.ctx, "staff", name)
            except FulianError:
                return
            self.staff.addItem(name)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        event.accept()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.case_list)
        self.case_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.case_list.search.selectAll()

    def show_due(self, due: str) -> None:
        self.case_list.show_due(due)
        self.tabs.setCurrentWidget(self.case_list)

    def refresh(self) -> None:
        self.dashboard.refresh()
        if self._case_list is not None:
            self._case_list.refresh()
        if self.household_register is not None:
            self.household_register.refresh()

    # --- cases ----------------------------------------------------------------------------------
    def new_petition(self) -> PetitionForm:
        from ..petitions.petition_form import PetitionForm
        form = PetitionForm(self.ctx, self)
        form.saved.connect(self._saved)
        self.last_form = form
        form.open()
        return form

    def new_referral(self) -> ReferralForm:
        """A woman at the window asks for a lawyer: refer her directly (from a petition: its page)."""
        from ..referrals.referral_form import ReferralForm
        form = ReferralForm(self.ctx, self)
        form.saved.connect(self._saved)
        self.last_referral_form = form
        form.open()
        return form

    def new_mediation(self) -> MediationForm:
        """Open a mediation directly (from a petition: 转调解 on its page)."""
        from ..mediation.mediation_form import MediationForm
        form = MediationForm(self.ctx, self)
        form.saved.connect(self._saved)
        self.last_mediation_form = form
        form.open()
        return form

    def edit_mediators(self) -> MediatorsDialog:
        from ..mediation.mediators_dialog import MediatorsDialog

        d = MediatorsDialog(self.ctx, self)
        d.open()
        return d

    def edit_organisations(self) -> OrganisationsDialog:
        from ..referrals.organisations_dialog import OrganisationsDialog

        d = OrganisationsDialog(self.ctx, self)
        d.open()
        return d

    def _saved(self, case_id: int, case_no: str) -> None:
        self.ui.statusbar.showMessage(f"已保存：{case_no}", 8000)
        self.refresh()
        self.open_case(case_id)

    def open_case(self, case_id: int) -> QWidget | None:
        view = self.open_views.get(case_id)
        if view is None:
            try:
                kind = cases.kind_of(self.ctx, case_id)
                view = VIEW_FACTORIES[kind](self.ctx, case_id)
                audit.viewed(self.ctx, case_id)  # the case's full details were shown
            except FulianError as e:
                dialogs.warn(self, "无法打开", e.message)
                return None
            self.open_views[case_id] = view
            self.tabs.addTab(view, getattr(view, "title", str(case_id)))
            for signal, slot in (("changed", self._case_changed), ("openCase", self.open_case),
                                 ("printRequested", self.print_case)):
                if hasattr(view, signal):
                    getattr(view, signal).connect(slot)
        self.tabs.setCurrentWidget(view)
        return view

    def _case_changed(self, case_id: int) -> None:
        self.refresh()
        view = self.open_views.get(case_id)
        if view is not None:  # a corrected name shows on its tab too
            self.tabs.setTabText(self.tabs.indexOf(view), getattr(view, "title", str(case_id)))

    def _close_tab(self, index: int) -> None:
        w = self.tabs.widget(index)
        if w in (self.dashboard, self._list_tab):
            return
        for case_id, view in list(self.open_views.items()):
            if view is w:
                del self.open_views[case_id]
        self.tabs.removeTab(index)
        w.deleteLater()

    def current_case_id(self) -> int | None:
        w = self.tabs.currentWidget()
        for case_id, view in self.open_views.items():
            if view is w:
                return case_id
        if w is self._case_list and self._case_list is not None:
            index = self._case_list.table.currentIndex()
            if index.isValid():
                row = self._case_list.model.data(index, RecordRole)
                return row.id if row else None
        return None

    def print_current(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            dialogs.inform(self, "打印", "请先打开或选中一件案件，再打印。")
            return
        self.print_case(case_id)

    def print_case(self, case_id: int) -> PdfPreview | None:
        from ...services import printing  # reportlab loads on the first print, not at start-up
        from .pdf_preview import PdfPreview

        try:
            with busy():
                pdf, name = printing.print_case(self.ctx, case_id)
        except FulianError as e:
            dialogs.warn(self, "无法打印", e.message)
            return None
        preview = PdfPreview(pdf, name, self)
        self.last_preview = preview
        preview.open()
        return preview

    # --- settings -------------------------------------------------------------------------------
    def edit_lists(self) -> None:
        from .lists_dialog import ListsDialog

        d = ListsDialog(self.ctx, self)
        d.finished.connect(lambda _r: self.refresh())
        d.open()

    def edit_office(self) -> ActionDialog:
        d = ActionDialog("单位名称", "显示在窗口标题和打印的表格上。", self)
        name = QLineEdit(settings.office_name(self.ctx))
        d.add("office_name", "单位名称", name, True)
        d.on_ok(lambda: settings.set_office_name(self.ctx, name.text()))
        d.accepted.connect(self._update_title)
        d.open()
        return d

    def about(self) -> QDialog:
        from .generated.ui_about_dialog import Ui_AboutDialog

        d = QDialog(self)
        ui = Ui_AboutDialog()
        ui.setupUi(d)
        ui.version.setText(f"版本 {__version__}")
        ui.database.setText(f"数据文件：{self.ctx.path or '内存'}")
        d.setWindowTitle(window_title("关于"))
        d.open()
        return d
