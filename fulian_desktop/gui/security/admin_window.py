"""The window of an administrator who holds no case role: accounts, the office's settings, the audit
trail's integrity check — and no cases (an administrator reads cases only if also given a case role)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from ...services import settings
from ...services.context import Context
from ..backup import backup_actions
from ..cases.action_dialog import ActionDialog
from ..shell.widgets import window_title
from . import account_menu


class AdminWindow(QMainWindow):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.resize(760, 520)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(40, 30, 40, 30)
        title = QLabel("系统管理")
        title.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1d4e89;")
        layout.addWidget(title)
        note = QLabel("您的账号是管理员：管理账号、单位设置和审计日志的完整性。管理员不能查看案件；"
                      "如果您也办理案件，请在“账号管理”中给自己加上岗位角色（需要输入恢复密钥，或请另一位管理员添加），"
                      "然后重新登录。")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = self.file_menu.addAction("退出")
        quit_action.triggered.connect(self.close)
        self.security = account_menu.install(self, ctx)
        assert self.security is not None
        self.accounts_button = QPushButton("账号管理…")
        self.office_button = QPushButton("单位名称…")
        self.idle_button = QPushButton("自动锁屏时间…")
        self.verify_button = QPushButton("校验审计日志")
        self.workdays_button = QPushButton("节假日表…")
        self.workdays_button.setToolTip("国务院公布的放假和调休上班日：查看，添加新的一年或更正")
        self.checklist_button = QPushButton("风险评估清单…")
        self.checklist_button.setToolTip("家庭暴力风险评估的项目、分值和高/中/低的起点分")
        for b in (self.accounts_button, self.office_button, self.idle_button, self.workdays_button,
                  self.checklist_button, self.verify_button):
            b.setMinimumHeight(36)
            layout.addWidget(b)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.accounts_button.clicked.connect(self.security.open_accounts)
        self.office_button.clicked.connect(self.edit_office)
        self.idle_button.clicked.connect(self.security.edit_idle_minutes)
        self.verify_button.clicked.connect(self.security.verify_audit)
        self.workdays_button.clicked.connect(self.security.open_workdays)
        self.checklist_button.clicked.connect(self.security.open_checklist)
        self.backups = backup_actions.install(self)  # 备份到U盘, 从备份恢复, 备份密码与设置
        self.last_dialog: ActionDialog | None = None
        self._update_title()
        state = QSettings().value("admin_window/geometry")
        if state is not None:
            self.restoreGeometry(state)  # type: ignore[arg-type]

    def _update_title(self) -> None:
        self.setWindowTitle(window_title(f"{settings.office_name(self.ctx)}（系统管理）"))

    def edit_office(self) -> ActionDialog:
        d = ActionDialog("单位名称", "显示在窗口标题和打印的表格上。", self)
        name = QLineEdit(settings.office_name(self.ctx))
        d.add("office_name", "单位名称", name, True)
        d.on_ok(lambda: settings.set_office_name(self.ctx, name.text()))
        d.accepted.connect(self._update_title)
        self.last_dialog = d
        d.open()
        return d

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        QSettings().setValue("admin_window/geometry", self.saveGeometry())
        event.accept()
