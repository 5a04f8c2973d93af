"""What a signed-in window gets: the 账号与安全 menu (lock, switch user, password, accounts, idle time, audit
trail), who is signed in on the status bar, the idle lock and the clipboard guard.

切换用户 (from the menu, or on the lock screen) signs out to the sign-in window: the window closes with
`signed_out` set, app.run_gui records the sign-out and shows the sign-in window again, with nothing of this
session left on the screen. Forms not yet saved are asked about first (保存 / 放弃 / 取消) when she is at the
keyboard; from the lock screen, whoever is there is told that they would be lost and decides — they cannot be
saved without her password.

`install(window, ctx)` is called by the main window (and the administrator's window); menu entries the
account's roles do not allow are not shown — and the services refuse them anyway.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QMenu, QSpinBox, QWidget

from ...domain.errors import FulianError
from ...services import accounts, audit
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..cases.case_form import RecordForm
from ..shell import dialogs
from .lock import LOCK_KEYS, ClipboardGuard, SessionLock


class SecurityControls:
    def __init__(self, window: QMainWindow, ctx: Context) -> None:
        self.window = window
        self.ctx = ctx
        assert ctx.user is not None
        self.lock = SessionLock(window, ctx)
        self.clipboard = ClipboardGuard(window, window=window)
        self.last_dialog: QDialog | None = None

        bar = window.menuBar()
        self.menu = QMenu("账号与安全(&A)", window)
        help_menu = next((a for a in bar.actions() if a.menu() is not None and "帮助" in a.text()), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.lock_action = self._add("锁定屏幕", self.lock.lock, LOCK_KEYS)
        self.switch_action = self._add("切换用户…", self.switch_user)
        self.lock.switchRequested.connect(lambda: self.switch_user(from_lock=True))
        window.signed_out = False  # type: ignore[attr-defined]  (read by app.run_gui)
        self.password_action = self._add("修改密码…", self.change_password)
        self.menu.addSeparator()
        self.accounts_action = self._add("账号管理…", self.open_accounts) if ctx.may("accounts.manage") else None
        self.idle_action = self._add("自动锁屏时间…", self.edit_idle_minutes) if ctx.may("settings.write") else None
        self.audit_action = self._add("审计日志…", self.open_audit) if ctx.may("audit.read") else None
        self.verify_action = (self._add("校验审计日志", self.verify_audit)
                              if ctx.may("audit.verify") and not ctx.may("audit.read") else None)

        user = ctx.user
        self.user_label = QLabel(f"当前用户：{user.display_name}（{user.role_labels}）")
        window.statusBar().addPermanentWidget(self.user_label)

    def _add(self, text: str, slot, shortcut: str = "") -> QAction:  # type: ignore[no-untyped-def]
        a = QAction(text, self.window)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(a)
        return a

    # --- 切换用户 ----------------------------------------------------------------------------------
    def unsaved_forms(self) -> list[RecordForm]:
        """The forms with something typed and not saved: open ones, and those the lock screen hid."""
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        return [w for w in dict.fromkeys([*shown, *self.lock._hidden])
                if isinstance(w, RecordForm) and w.unsaved_input()]

    def switch_user(self, from_lock: bool = False) -> bool:
        """Sign out to the sign-in window; False when she (or whoever is at the lock screen) stays."""
        forms = self.unsaved_forms()
        if from_lock:
            if forms and not self._give_up_for_someone_else(forms):
                return False
        else:
            for form in forms:
                if not self._save_or_give_up(form):
                    return False
        self.sign_out()
        return True

    def _give_up_for_someone_else(self, forms: list[RecordForm]) -> bool:
        """At the lock screen whoever clicked may not be her: nothing of the forms is shown (not even their
        titles), they cannot be saved without her password; she is told how to keep them."""
        name = self.ctx.who()
        return dialogs.choose(
            self.window, "切换用户",
            f"{name}还有{len(forms)}张表格没有保存。切换用户会关闭它们，填写的内容不会保存。\n\n"
            f"如果您是{name}，请点“返回”，输入密码解锁，保存后再切换用户。",
            ["放弃并切换用户", "返回"], default=1) == 0  # Enter and Esc keep her work

    def _save_or_give_up(self, form: RecordForm) -> bool:
        form.show()
        form.raise_()
        form.activateWindow()
        answer = dialogs.choose(form, "切换用户", f"“{form.windowTitle()}”还没有保存。切换用户前要保存吗？",
                                ["保存", "放弃", "取消"])
        if answer == 0:
            form.save()  # saved: the form closes; a field to correct: it stays open with the message next to it
            return not form.isVisible()
        return answer == 1

    def sign_out(self) -> None:
        """Close the window (and with it every form, case page and preview it holds) for the sign-in window."""
        self.lock.stop()
        w = self.window
        w.signed_out = True  # type: ignore[attr-defined]
        for t in QApplication.topLevelWidgets():
            if t is not w and t.isVisible() and t.isWindow():
                t.hide()  # not close(): a form would ask again whether to give up what was typed
        for t in [*self.lock._hidden, *w.findChildren(QWidget)]:
            if t.isWindow():
                t.deleteLater()  # nothing of the session is kept, hidden or not
        self.lock._hidden = []
        w.close()

    def _open(self, d: QDialog) -> QDialog:
        self.last_dialog = d
        d.open()
        return d

    def change_password(self) -> QDialog:
        from .sign_in import ChangePasswordDialog

        d = ChangePasswordDialog(self.ctx, parent=self.window)
        d.accepted.connect(lambda: dialogs.inform(self.window, "修改密码", "密码已修改，下次登录请用新密码。"))
        return self._open(d)

    def open_accounts(self) -> QDialog:
        from .accounts_dialog import AccountsDialog

        return self._open(AccountsDialog(self.ctx, self.window))

    def open_workdays(self) -> QDialog:
        """节假日表: the main window's 设置 menu and the administrator's window open it."""
        from .workdays_dialog import WorkdaysDialog

        return self._open(WorkdaysDialog(self.ctx, self.window))

    def open_checklist(self) -> QDialog:
        """风险评估清单: the main window's 设置 menu and the administrator's window open it."""
        from ..protection.checklist_dialog import ChecklistDialog

        return self._open(ChecklistDialog(self.ctx, self.window))

    def open_audit(self) -> QDialog | None:
        from .audit_view import AuditDialog

        try:
            d = AuditDialog(self.ctx, self.window)
        except FulianError as e:
            dialogs.warn(self.window, "审计日志", e.message)
            return None
        return self._open(d)

    def verify_audit(self) -> None:
        try:
            result = audit.verify(self.ctx)
        except FulianError as e:
            dialogs.warn(self.window, "校验审计日志", e.message)
            return
        (dialogs.inform if result.ok else dialogs.warn)(self.window, "校验审计日志", result.summary())

    def edit_idle_minutes(self) -> QDialog:
        d = ActionDialog("自动锁屏时间", "多长时间没有操作，屏幕就自动锁定（需要重新输入密码）。", self.window)
        spin = QSpinBox()
        spin.setRange(1, 120)
        spin.setSuffix(" 分钟")
        spin.setValue(accounts.idle_minutes(self.ctx))
        d.add("idle_minutes", "没有操作", spin, True)

        def save() -> None:
            accounts.set_idle_minutes(self.ctx, spin.value())
            self.lock.set_timeout_ms(spin.value() * 60_000)

        d.on_ok(save)
        return self._open(d)


def install(window: QMainWindow, ctx: Context) -> SecurityControls | None:
    """Security controls for a signed-in context (None for a context without an account: tests, tools)."""
    if ctx.user is None:
        return None
    return SecurityControls(window, ctx)
