"""The main window's household actions: 新建帮扶户/关爱对象, the register tab (帮扶走访名册), logging a
visit from the register, the monthly sheet, and 设置 → 关爱对象名单. A mixin of MainWindow, so the
shared main window only installs it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from ...domain.errors import FulianError
from ..shell import dialogs

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtWidgets import QMenu, QToolBar

    from .care_lists_dialog import CareListsDialog
    from .household_form import HouseholdForm
    from .household_register import HouseholdRegisterPage
    from .visit_form import VisitForm

# The register, the forms and the dialogs load on first use, not when the main window opens.


def _insert_after(container: QMenu | QToolBar, anchor: QAction, action: QAction) -> None:
    """Put `action` right after `anchor` (or at the end when the anchor is missing)."""
    actions = container.actions()
    if anchor in actions:
        i = actions.index(anchor)
        if i + 1 < len(actions):
            container.insertAction(actions[i + 1], action)
            return
    container.addAction(action)


class HouseholdActions:
    """Mixed into MainWindow (which provides ctx, ui, tabs, dashboard, open_case and refresh)."""

    ctx: Any
    ui: Any
    tabs: Any
    dashboard: Any
    household_register: HouseholdRegisterPage | None
    last_household_form: HouseholdForm | None
    last_visit_form: VisitForm | None
    last_care_lists: CareListsDialog | None

    def install_household_actions(self) -> None:
        self.household_register = None
        self.last_household_form = None
        self.last_visit_form = None
        self.last_care_lists = None
        owner: Any = self
        self.action_new_household = QAction("新建帮扶户/关爱对象", owner)
        self.action_new_household.setToolTip("把一户帮扶户或一名关爱对象（留守儿童、春蕾女童……）登记到名册")
        self.action_register = QAction("帮扶走访名册", owner)
        self.action_register.setShortcut(QKeySequence("Ctrl+3"))
        self.action_register.setToolTip("帮扶户和关爱对象名册：谁本月应走访、谁已逾期（Ctrl+3）")
        self.action_month_sheet = QAction("打印月度走访计划表…", owner)
        self.action_care_lists = QAction("关爱对象名单（名单和栏目）…", owner)
        ui = self.ui
        new_anchor = getattr(ui, "actionNewMediation", None) or getattr(ui, "actionNewReferral", None) or \
            ui.actionNewPetition
        _insert_after(ui.menuFile, new_anchor, self.action_new_household)
        _insert_after(ui.menuFile, ui.actionPrint, self.action_month_sheet)
        _insert_after(ui.menuView, ui.actionCaseList, self.action_register)
        ui.menuSettings.addAction(self.action_care_lists)
        _insert_after(ui.toolbar, ui.actionCaseList, self.action_register)
        _insert_after(ui.toolbar, new_anchor, self.action_new_household)
        self.action_new_household.triggered.connect(lambda: self.new_household())
        self.action_register.triggered.connect(lambda: self.show_register())
        self.action_month_sheet.triggered.connect(self._month_sheet)
        self.action_care_lists.triggered.connect(lambda: self.edit_care_lists())
        box = getattr(self.dashboard, "visits_box", None)
        if box is not None:
            box.showRegister.connect(self._register_due)

    # --- the register tab -------------------------------------------------------------------------
    def show_register(self) -> HouseholdRegisterPage | None:
        page = self.household_register
        if page is None:
            from .household_register import HouseholdRegisterPage

            try:
                page = HouseholdRegisterPage(self.ctx)
            except FulianError as e:  # e.g. an account without household work
                dialogs.warn(self, "无法打开", e.message)  # type: ignore[arg-type]
                return None
            page.openCase.connect(self.open_case)  # type: ignore[attr-defined]
            page.newEntry.connect(lambda: self.new_household())
            page.logVisit.connect(self.log_visit)
            page.destroyed.connect(lambda _o=None: setattr(self, "household_register", None))
            self.household_register = page
            self.tabs.addTab(page, "帮扶走访名册")
        else:
            page.refresh()
        self.tabs.setCurrentWidget(page)
        return page

    def _month_sheet(self) -> None:
        page = self.show_register()
        if page is not None:
            page.make_month_dialog()

    def _register_due(self) -> None:
        page = self.show_register()
        if page is not None:
            page.show_due("this_month")

    def refresh_households(self) -> None:
        if self.household_register is not None:
            self.household_register.reload_lists()

    # --- entries and visits ---------------------------------------------------------------------
    def new_household(self, list_id: int | None = None) -> HouseholdForm:
        from .household_form import HouseholdForm

        form = HouseholdForm(self.ctx, self, list_id=list_id)  # type: ignore[arg-type]
        form.saved.connect(self._saved)  # type: ignore[attr-defined]
        self.last_household_form = form
        form.open()
        return form

    def log_visit(self, case_id: int) -> VisitForm:
        """登记走访 straight from the register (the household's page has its own button)."""
        from .visit_form import VisitForm

        form = VisitForm(self.ctx, case_id, self)  # type: ignore[arg-type]
        form.saved.connect(lambda result, c=case_id: self._visit_logged(c, result))
        self.last_visit_form = form
        form.open()
        return form

    def _visit_logged(self, case_id: int, result: Any) -> None:
        self.refresh()  # type: ignore[attr-defined]
        view = self.open_views.get(case_id)  # type: ignore[attr-defined]
        if view is not None and hasattr(view, "reload"):
            view.reload()
        self.ui.statusbar.showMessage("走访记录已保存" + (f"，并已登记{result.opened_case_no}" if
                                                     result.opened_case_no else ""), 8000)
        if result.opened_case_id:
            self.open_case(result.opened_case_id)  # type: ignore[attr-defined]

    # --- settings -------------------------------------------------------------------------------
    def edit_care_lists(self) -> CareListsDialog:
        from .care_lists_dialog import CareListsDialog

        d = CareListsDialog(self.ctx, self)  # type: ignore[arg-type]
        d.changed.connect(self.refresh_households)
        d.finished.connect(lambda _r: self.refresh())  # type: ignore[attr-defined]
        self.last_care_lists = d
        d.open()
        return d
