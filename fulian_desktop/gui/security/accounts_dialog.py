"""账号管理 (administrators): add an account, set roles, reset a forgotten password, disable or enable an
account, change the recovery key. Nobody shares an account: each person gets her own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.accounts import ROLES, Account, recovery_key_lines
from ...domain.dates import format_cn_datetime
from ...domain.errors import FulianError
from ...domain.permissions import ROLE_LABELS
from ...services import accounts
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.widgets import password_field, record_table

ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1
ROLE_HINTS = {
    "window": "登记和办理信访、转介、帮扶户",
    "mediator": "办理婚姻家庭纠纷调解",
    "director": "全部案件、延期审批、统计、审计日志",
    "admin": "账号、设置、备份与恢复（不能查看案件）",
}


class RolesBox(QWidget):
    def __init__(self, roles: frozenset[str] = frozenset(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for code in ROLES:
            box = QCheckBox(f"{ROLE_LABELS[code]}　— {ROLE_HINTS[code]}")
            box.setChecked(code in roles)
            self.boxes[code] = box
            layout.addWidget(box)

    def value(self) -> set[str]:
        return {code for code, box in self.boxes.items() if box.isChecked()}


class AccountsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("账号管理")
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        intro = QLabel("每位工作人员使用自己的账号，不要共用。管理员为同事开账号时设置一个临时密码，"
                       "同事第一次登录时会被要求换成只有自己知道的密码。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["姓名", "用户名", "角色", "状态", "最近登录"])
        record_table(self.table)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增账号…")
        self.roles_button = QPushButton("设置角色…")
        self.reset_button = QPushButton("重设密码…")
        self.toggle_button = QPushButton("停用")
        self.rename_button = QPushButton("更改姓名…")
        self.recovery_button = QPushButton("更换恢复密钥…")
        close = QPushButton("关闭")
        for b in (self.add_button, self.roles_button, self.reset_button, self.toggle_button, self.rename_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.recovery_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.roles_button.clicked.connect(self.edit_roles)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.rename_button.clicked.connect(self.rename)
        self.recovery_button.clicked.connect(self.new_recovery_key)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.last_dialog: QDialog | None = None
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.selected().id if self.selected() else None)
        rows = accounts.list_accounts(self.ctx)
        self.table.setRowCount(len(rows))
        for i, a in enumerate(rows):
            status = "正在使用" if a.active else "已停用"
            if a.active and a.must_change:
                status += "（待改密码）"
            values = [a.display_name, a.username, a.role_labels, status, format_cn_datetime(a.last_login)]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(ACCOUNT_ROLE, a)
                if not a.active:
                    item.setForeground(QColor("#8a96a3"))
                self.table.setItem(i, col, item)
            if a.id == keep:
                self.table.selectRow(i)
        for col, width in ((0, 110), (1, 130), (3, 150), (4, 160)):
            self.table.setColumnWidth(col, width)
        self._selection_changed()

    def selected(self) -> Account | None:
        items = self.table.selectedItems()
        return items[0].data(ACCOUNT_ROLE) if items else None

    def select_username(self, username: str) -> None:
        for row in range(self.table.rowCount()):
            a = self.table.item(row, 0).data(ACCOUNT_ROLE)
            if a.username == username:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        a = self.selected()
        for b in (self.roles_button, self.reset_button, self.toggle_button, self.rename_button):
            b.setEnabled(a is not None)
        self.toggle_button.setText("启用…" if a is not None and not a.active else "停用")
        self.reset_button.setEnabled(a is not None and a.active)

    def _open(self, d: QDialog, account_id: int | None = None) -> QDialog:
        self.last_dialog = d
        d.accepted.connect(lambda: self.refresh(account_id))
        d.open()
        return d

    def add(self) -> QDialog:
        d = ActionDialog("新增账号", "为一位同事开账号。临时密码请当面告诉她，她第一次登录时会换成自己的密码。", self)
        name = d.add("display_name", "姓名", QLineEdit(), True)
        user = d.add("username", "用户名", QLineEdit(), True)
        roles = RolesBox(frozenset({"window"}))
        d.add("roles", "角色", roles, True)
        pw = d.add("password", "临时密码", password_field(), True)
        assert isinstance(name, QLineEdit) and isinstance(user, QLineEdit) and isinstance(pw, QLineEdit)
        d.on_ok(lambda: accounts.add_account(self.ctx, user.text(), name.text(), roles.value(), pw.text()))
        self._open(d)
        d.accepted.connect(lambda: self.select_username(user.text().strip()))  # after the refresh
        return d

    def edit_roles(self) -> QDialog | None:
        a = self.selected()
        if a is None or a.id is None:
            return None
        account_id = a.id
        d = ActionDialog(f"设置角色 — {a.display_name}", "角色决定她能做什么；每次操作都会按角色检查。", self)
        roles = RolesBox(a.roles)
        d.add("roles", "角色", roles, True)
        if self.ctx.user is not None and self.ctx.user.id == account_id:  # her own: the recovery key too
            key = d.add("recovery_key", "恢复密钥", password_field(), True)
            assert isinstance(key, QLineEdit)
            key.setToolTip("修改自己账号的角色需要恢复密钥（保存在保险柜里的那张纸）；也可以请另一位管理员修改。")
            d.on_ok(lambda: accounts.set_roles(self.ctx, account_id, roles.value(), key.text()))
        else:
            d.on_ok(lambda: accounts.set_roles(self.ctx, account_id, roles.value()))
        return self._open(d, account_id)

    def reset_password(self) -> QDialog | None:
        a = self.selected()
        if a is None or a.id is None:
            return None
        account_id = a.id
        d = ActionDialog(f"重设密码 — {a.display_name}", "她忘记了密码：设置一个临时密码，当面告诉她；"
                         "她下次登录时要换成自己的密码。", self)
        pw = d.add("password", "临时密码", password_field(), True)
        assert isinstance(pw, QLineEdit)
        d.on_ok(lambda: accounts.reset_password(self.ctx, account_id, pw.text()))
        return self._open(d, account_id)

    def toggle_active(self) -> QDialog | None:
        a = self.selected()
        if a is None or a.id is None:
            return None
        account_id = a.id
        if a.active:
            if not dialogs.ask(self, "停用账号", f"停用“{a.display_name}（{a.username}）”的账号？\n"
                               "停用后她不能再登录；她经手的案件和记录都保留。", yes="停用"):
                return None
            try:
                accounts.disable(self.ctx, account_id)
            except FulianError as e:
                dialogs.warn(self, "停用账号", e.message)
                return None
            self.refresh(account_id)
            return None
        d = ActionDialog(f"启用账号 — {a.display_name}", "重新启用时要设置一个临时密码。", self)
        pw = d.add("password", "临时密码", password_field(), True)
        assert isinstance(pw, QLineEdit)
        d.on_ok(lambda: accounts.enable(self.ctx, account_id, pw.text()))
        return self._open(d, account_id)

    def rename(self) -> QDialog | None:
        a = self.selected()
        if a is None or a.id is None:
            return None
        account_id = a.id
        d = ActionDialog("更改姓名", "姓名显示在办理经过和打印的表格上。", self)
        name = d.add("display_name", "姓名", QLineEdit(a.display_name), True)
        assert isinstance(name, QLineEdit)
        d.on_ok(lambda: accounts.rename(self.ctx, account_id, name.text()))
        return self._open(d, account_id)

    def new_recovery_key(self) -> None:
        if not dialogs.ask(self, "更换恢复密钥", "更换后，保险柜里原来的恢复密钥就不能用了，"
                           "新的恢复密钥只显示一次，请准备好打印或抄写。继续吗？", yes="更换"):
            return
        try:
            key = accounts.new_recovery_key(self.ctx)
        except FulianError as e:
            dialogs.warn(self, "更换恢复密钥", e.message)
            return
        d = RecoveryKeyDialog(self.ctx, key, self)
        self.last_dialog = d
        d.open()


class RecoveryKeyDialog(QDialog):
    """The new recovery key, shown once, with a print button."""

    def __init__(self, ctx: Context, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from .sign_in import KEY_STYLE

        self.ctx = ctx
        self.key = key
        self.setWindowTitle("新的恢复密钥")
        layout = QVBoxLayout(self)
        note = QLabel("请把新的恢复密钥打印或抄写下来，放进保险柜，并销毁原来那一份。它只显示这一次。")
        note.setWordWrap(True)
        layout.addWidget(note)
        label = QLabel("\n".join(recovery_key_lines(key)))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(KEY_STYLE)
        layout.addWidget(label)
        row = QHBoxLayout()
        print_button = QPushButton("打印恢复密钥…")
        done = QPushButton("已保存")
        row.addWidget(print_button)
        row.addStretch(1)
        row.addWidget(done)
        layout.addLayout(row)
        print_button.clicked.connect(self.print_key)
        done.clicked.connect(self.accept)
        self.last_preview: QDialog | None = None

    def print_key(self) -> None:
        from ...documents import recovery_sheet
        from ...services import settings
        from ..shell.pdf_preview import PdfPreview

        pdf = recovery_sheet.render(self.key, settings.office_name(self.ctx), self.ctx.today())
        self.last_preview = PdfPreview(pdf, "恢复密钥.pdf", self)
        self.last_preview.open()
