"""Backup and restore in the windows: 备份到U盘 (menu 文件 and the toolbar, one click), 从备份恢复,
设置 → 备份密码与设置 — in the main window and in the administrator's window. Entries the account's roles do
not allow are not shown (and the services refuse them anyway).

After a restore the window closes with `reopen_requested` set: app.py signs in again on the restored
database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QPushButton

from ...domain.errors import FulianError
from ..shell import dialogs
from ..shell.start_page_parts import clickable

if TYPE_CHECKING:
    from ...backup.engine import Restored
    from ...services.context import Context
    from .backup_dialog import DriveList

# The backup and restore dialogs (and the backup engine behind them) load on first use, not when the
# window opens.


class BackupActions:
    def __init__(self, window: Any, ctx: Context, drive_list: DriveList | None = None) -> None:
        self.window = window
        self.ctx = ctx
        self.drive_list = drive_list
        self.last_dialog: QDialog | None = None
        window.reopen_requested = False
        self.action_backup = QAction("备份到U盘…", window)
        self.action_backup.setShortcut(QKeySequence("Ctrl+B"))
        self.action_backup.setToolTip("把所有数据加密备份到U盘（Ctrl+B）")
        self.action_restore = QAction("从备份恢复…", window)
        self.action_settings = QAction("备份密码与设置…", window)
        self.action_backup.triggered.connect(lambda _c=False: self.open_backup())
        self.action_restore.triggered.connect(lambda _c=False: self.open_restore())
        self.action_settings.triggered.connect(lambda _c=False: self.open_settings())
        may_backup, may_restore = ctx.may("backup.run"), ctx.may("backup.restore")
        may_settings = ctx.may("settings.write")
        ui = getattr(window, "ui", None)
        if ui is not None:  # the main window: 文件 menu, toolbar, 设置 menu
            file_menu = ui.menuFile
            quit_action = ui.actionQuit
            if may_backup:
                file_menu.insertAction(quit_action, self.action_backup)
            if may_restore:
                file_menu.insertAction(quit_action, self.action_restore)
            if may_backup or may_restore:
                file_menu.insertSeparator(quit_action)
            if may_backup and getattr(ui, "toolbar", None) is not None:
                ui.toolbar.addSeparator()
                ui.toolbar.addAction(self.action_backup)
            if may_settings:
                ui.menuSettings.addSeparator()
                ui.menuSettings.addAction(self.action_settings)
            dashboard = getattr(window, "dashboard", None)
            if may_backup and dashboard is not None:  # 还没有备份到U盘 / 上次备份到U盘：9天前 — click to back up now
                clickable(dashboard.backup_label, lambda: self.open_backup(), "点击备份到U盘")
        else:  # the administrator's window: its 文件 menu and big buttons
            menu = getattr(window, "file_menu", None)
            layout = window.centralWidget().layout() if window.centralWidget() is not None else None
            for allowed, action, text in ((may_backup, self.action_backup, "备份到U盘…"),
                                          (may_restore, self.action_restore, "从备份恢复…"),
                                          (may_settings, self.action_settings, "备份密码与设置…")):
                if not allowed:
                    continue
                if menu is not None:
                    menu.insertAction(menu.actions()[0] if menu.actions() else None, action)
                if layout is not None:
                    b = QPushButton(text)
                    b.setMinimumHeight(36)
                    b.clicked.connect(action.trigger)
                    layout.insertWidget(max(layout.count() - 1, 0), b)
        self.action_backup.setVisible(may_backup)
        self.action_restore.setVisible(may_restore)
        self.action_settings.setVisible(may_settings)

    def _open(self, d: QDialog) -> QDialog:
        self.last_dialog = d
        d.open()
        return d

    def open_backup(self) -> QDialog | None:
        from .backup_dialog import BackupDialog

        try:
            d = BackupDialog(self.ctx, self.window, self.drive_list)
        except FulianError as e:
            dialogs.warn(self.window, "备份", e.message)
            return None
        d.backedUp.connect(lambda _o: self._backed_up())
        return self._open(d)

    def _backed_up(self) -> None:
        self._tell("备份完成")

    def _tell(self, text: str) -> None:
        """The start page's backup line brought up to date, and the status bar says what was done."""
        dashboard = getattr(self.window, "dashboard", None)
        if dashboard is not None:
            dashboard.backup_label.refresh()
        bar = self.window.statusBar()
        if bar is not None:
            bar.showMessage(text, 8000)

    def open_settings(self) -> QDialog | None:
        from .backup_dialog import BackupSettingsDialog

        try:
            d = BackupSettingsDialog(self.ctx, self.window)
        except FulianError as e:
            dialogs.warn(self.window, "备份密码与设置", e.message)
            return None
        d.accepted.connect(lambda: self._tell(d.outcome))  # 备份密码已设置 …: nothing was backed up
        return self._open(d)

    def open_restore(self) -> QDialog | None:
        if self.ctx.path is None:
            dialogs.warn(self.window, "从备份恢复", "只有登录后打开的数据库文件才能恢复。")
            return None
        try:
            self.ctx.require("backup.restore")
        except FulianError as e:
            dialogs.warn(self.window, "从备份恢复", e.message)
            return None
        from .restore_dialog import RestoreDialog

        d = RestoreDialog(self.ctx, self.ctx.path, self.window, self.drive_list)
        d.restored.connect(self._restored)
        return self._open(d)

    def _restored(self, done: Restored | None) -> None:
        if done is not None:
            aside = f"\n\n原来的数据库已改名保留：\n{done.aside}" if done.aside is not None else ""
            dialogs.inform(self.window, "恢复完成",
                           f"已从备份恢复。请用备份时的账号和密码重新登录。{aside}")
        self.window.reopen_requested = True
        security = getattr(self.window, "security", None)
        lock = getattr(security, "lock", None)
        stop = getattr(lock, "stop", None)
        if stop is not None:
            stop()  # no idle lock on a window whose database is closed
        self.window.close()


def install(window: Any, drive_list: DriveList | None = None) -> BackupActions:
    return BackupActions(window, window.ctx, drive_list)
