"""Before the window: first start (office, first administrator, the recovery key shown once), signing
in, a forgotten password (the recovery key), and changing a password an administrator set.

`sign_in_interactively(path)` runs whichever is needed and returns the signed-in context, or None when
the user gives up.

This is the first window a user sees, so it loads only what it shows: the account services (and with
them sqlite-utils and the whole database layer) are imported when a button needs them — by then the
start-up has loaded them while the window waited for the password (see app.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...domain.accounts import RECOVERY_KEY_EXAMPLE, AccountLocked, LoginFailed, recovery_key_lines
from ...domain.errors import FulianError, ValidationError
from ...domain.permissions import ROLE_LABELS
from ..shell import application, dialogs
from ..shell.widgets import Form, busy, heading, password_field, window_title

T = TypeVar("T")

if TYPE_CHECKING:
    from ...services.context import Context

ERROR_STYLE = "color: #b3261e;"
KEY_STYLE = ("font-family: 'DejaVu Sans Mono', 'Consolas', monospace; font-size: 20pt; font-weight: bold; "
             "letter-spacing: 2px; padding: 14px; border: 2px solid #1d4e89; background: #f4f8fc; color: #102a43;")


def system_clock() -> dt.datetime:
    """services.context.system_clock, without loading the database layer before the window is shown."""
    from ...services.context import system_clock

    return system_clock()


def keyfile_path(path: Path) -> Path:
    """The key file next to the database (store.keys.keyfile_path, without loading Argon2 and AES for
    the question whether there is one)."""
    return path.with_name(path.name + ".keys")


def needs_setup(path: Path) -> bool:
    """accounts.needs_setup: no key file yet, so the first start must run."""
    return not keyfile_path(path).exists()


def _show_errors(form: Form, e: ValidationError) -> bool:
    """Errors next to their fields; True when every message found a field."""
    for name, box in form.boxes.items():
        box.set_error(e.errors.get(name, ""))
    return all(name in form.boxes for name in e.errors)


def _attempt(dialog: QDialog, form: Form, action: Callable[[], T]) -> T | None:
    """What `action` returns; None when it was refused: its errors are shown next to their fields (or, for
    an error no field owns, in a message), and nothing typed is lost."""
    try:
        with busy():  # Argon2id (and on first start the new database): a moment on an old PC
            return action()
    except ValidationError as e:
        if not _show_errors(form, e):
            dialogs.warn(dialog, dialog.windowTitle(), e.message)
    except FulianError as e:
        dialogs.warn(dialog, dialog.windowTitle(), e.message)
    return None


class FirstStartDialog(QDialog):
    """首次使用: the office, the first administrator, then the recovery key (once)."""

    def __init__(self, path: Path, parent: QWidget | None = None, clock=system_clock, kdf=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.path = path
        self.clock = clock
        self.kdf = kdf
        self.ctx: Context | None = None
        self.recovery_key = ""
        self.setWindowTitle(window_title("首次使用"))
        self.setMinimumWidth(600)
        self.pages = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        # page 1: who sets it up
        setup = QWidget()
        sl = QVBoxLayout(setup)
        heading(sl, "欢迎使用妇联维权工作台",
                "案件里有家庭暴力受害人、未成年人和困难家庭的个人信息。数据库将<b>加密</b>保存在这台电脑上，"
                "每位工作人员用自己的账号和密码登录，谁查看、修改了什么都会记录下来。<br><br>"
                "请先填写本单位（县妇联，或某乡镇（街道）妇联），再为第一位<b>管理员</b>设置账号"
                "（之后由管理员为其他同事开账号）。", grey=False)
        from ...services import accounts

        existing = accounts.existing_data(path)
        self.old_data_note = QLabel()
        self.old_data_note.setWordWrap(True)
        self.old_data_note.setStyleSheet("background: #fff3cd; padding: 6px;")
        if existing == "plain":
            self.old_data_note.setText(
                f"发现旧版本建立的数据库（没有加密）：{path}<br>设置完成后它会被加密；"
                f"加密前会把原文件另存一份（{path.name}.before-encryption）。"
                "确认新数据库一切正常后，请把那份原文件移到安全的地方或删除。"
            )
        self.old_data_note.setVisible(existing == "plain")
        sl.addWidget(self.old_data_note)
        self.form = Form()
        # what the office is (the settings' 本单位 and its words): 县妇联, or a named 乡镇（街道）妇联 under a county
        self.level = QComboBox()
        self.level.addItem("县妇联", "county")
        self.level.addItem("乡镇（街道）妇联", "township")
        self.county = QLineEdit()
        self.county.setPlaceholderText("如：某某县")
        self.county.setMaxLength(20)
        self.township = QLineEdit()
        self.township.setPlaceholderText("如：福田铺乡")
        self.township.setMaxLength(20)
        self.office = QLineEdit()
        self.office.setPlaceholderText("如：某某县妇联")
        self.office.setMaxLength(40)
        self.office_typed = False  # once she writes the name herself, it is no longer filled in for her
        self.office.textEdited.connect(lambda _t: setattr(self, "office_typed", True))
        self.form.add("office_level", "本单位是", self.level, True)
        self.form.add("office_county", "所在县（市、区）", self.county, True)
        self.form.add("office_township", "乡镇（街道）", self.township, True)
        self.level.currentIndexChanged.connect(self._office_changed)
        self.county.textChanged.connect(self._office_changed)
        self.township.textChanged.connect(self._office_changed)
        self._office_changed()
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(20)
        self.username = QLineEdit()
        self.username.setPlaceholderText("登录时输入，如 wangli")
        self.username.setMaxLength(20)
        self.password = password_field()
        self.password.setPlaceholderText("至少8位")
        self.password2 = password_field()
        self.form.add("office_name", "单位名称", self.office, True).set_hint("印在文书和统计表上")
        self.form.add("display_name", "管理员姓名", self.display_name, True)
        self.form.add("username", "用户名", self.username, True)
        self.form.add("password", "密码", self.password, True)
        self.form.add("password2", "再输一次密码", self.password2, True)
        roles = QWidget()
        rl = QHBoxLayout(roles)
        rl.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[str, QCheckBox] = {}
        for code in ("director", "window", "mediator"):
            box = QCheckBox(ROLE_LABELS[code])
            self.role_boxes[code] = box
            rl.addWidget(box)
        rl.addStretch(1)
        self.role_boxes["director"].setChecked(True)
        box = self.form.add("roles", "同时担任", roles)
        box.set_hint("管理员本身只管账号和设置，不能查看案件；如果您也办理案件，请勾选您的岗位。")
        sl.addLayout(self.form)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("完成设置", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.clicked.connect(self._create)
        buttons.rejected.connect(self.reject)
        # a new PC, or Windows reinstalled: the office's data and accounts come back from a backup
        self.restored = False
        self.restore_button = buttons.addButton("从备份恢复…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setToolTip("换了电脑或重装了系统：从U盘上的备份恢复原来的数据和账号")
        self.restore_button.clicked.connect(self.restore_from_backup)
        sl.addWidget(buttons)
        self.pages.addWidget(setup)

        # page 2: the recovery key, once
        keypage = QWidget()
        kl = QVBoxLayout(keypage)
        heading(kl, "请保存恢复密钥",
                "有人忘记密码时，凭这把<b>恢复密钥</b>可以重新设置密码。它<b>只显示这一次</b>：请现在把它打印出来"
                "（或工整地抄在纸上），放进办公室的保险柜。<br>拿到它的人可以打开全部案件，所以不要拍照，"
                "不要存在电脑里，也不要发给任何人。", grey=False)
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setStyleSheet(KEY_STYLE)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(20)
        mono.setBold(True)
        self.key_label.setFont(mono)
        kl.addWidget(self.key_label)
        self.print_button = QPushButton("打印恢复密钥…")
        self.print_button.clicked.connect(self.print_key)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addStretch(1)
        kl.addLayout(row)
        self.saved_check = QCheckBox("我已经把恢复密钥打印或抄写下来，并会放进保险柜")
        kl.addWidget(self.saved_check)
        self.set_aside_note = QLabel()
        self.set_aside_note.setWordWrap(True)
        self.set_aside_note.setVisible(False)
        kl.addWidget(self.set_aside_note)
        kl.addStretch(1)
        done = QDialogButtonBox()
        self.start_button = done.addButton("开始使用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setEnabled(False)
        self.saved_check.toggled.connect(self.start_button.setEnabled)
        self.start_button.clicked.connect(self.accept)
        kl.addWidget(done)
        self.pages.addWidget(keypage)
        self.last_preview = None
        self._shown_texts = {w: w.text() for w in setup.findChildren(QLineEdit)}  # (empty: nothing typed yet)

    def _office_changed(self) -> None:
        """The township's field only for a township; the office's name written as it is called, until she
        writes it herself (某某县妇联, 某某县福田铺乡妇联)."""
        from ...domain.office import Office

        township = self.level.currentData() == "township"
        self.township.setEnabled(township)
        self.form.setRowVisible(self.form.boxes["office_township"], township)
        if self.isVisible():  # Tab reaches the township's field where it now stands (and skips it when gone)
            from ..shell.application import keyboard_order

            keyboard_order(self)
            self.layout().activate()  # and the window grows by the row, so that nothing below is squeezed
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        county = "".join(self.county.text().split())
        if not self.office_typed:
            name = "".join(self.township.text().split()) if township else ""
            self.office.setText(Office(str(self.level.currentData()), county, name).label if county else "")

    def _create(self) -> None:
        from ...services import accounts

        errors: dict[str, str] = {}
        if self.password.text() != self.password2.text():
            errors["password2"] = "两次输入的密码不一样"
        roles = {code for code, box in self.role_boxes.items() if box.isChecked()}

        def create() -> accounts.Started:
            if errors:
                raise ValidationError(errors)
            return accounts.first_start(
                self.path, self.office.text(), self.display_name.text(), self.username.text(), self.password.text(),
                case_roles=roles, clock=self.clock, kdf=self.kdf, office_level=str(self.level.currentData()),
                county=self.county.text(), township=self.township.text(),
            )

        started = _attempt(self, self.form, create)
        if started is None:
            return
        self.password.clear()
        self.password2.clear()
        self.ctx = started.ctx
        self.recovery_key = started.recovery_key
        self.key_label.setText("\n".join(recovery_key_lines(started.recovery_key)))
        if started.set_aside is not None:
            self.set_aside_note.setText(f"原来没有加密的数据库已另存为：{started.set_aside}。"
                                        "确认一切正常后，请把它移到安全的地方或删除。")
            self.set_aside_note.setVisible(True)
        self.pages.setCurrentIndex(1)
        self.setWindowTitle(window_title("恢复密钥"))

    def print_key(self) -> None:
        from ...documents import recovery_sheet
        from ...services import settings
        from ..shell.pdf_preview import PdfPreview

        assert self.ctx is not None
        pdf = recovery_sheet.render(self.recovery_key, settings.office_name(self.ctx), self.ctx.today())
        preview = PdfPreview(pdf, "恢复密钥.pdf", self)
        self.last_preview = preview
        preview.open()

    def restore_from_backup(self) -> QDialog:
        from ..backup.restore_dialog import RestoreDialog

        d = RestoreDialog(None, self.path, self)
        d.restored.connect(self._restored)
        self.restore_dialog = d
        d.open()
        return d

    def _restored(self, done: object) -> None:
        if done is None or self.ctx is not None:
            return
        self.restored = True
        dialogs.inform(self, "恢复完成", "已从备份恢复。请用备份时的账号和密码登录。")
        self.reject()

    def reject(self) -> None:
        if self.ctx is not None:  # the account exists now: the key must have been seen
            if not self.saved_check.isChecked():
                dialogs.warn(self, "恢复密钥", "请先打印或抄写恢复密钥，并勾选下面的确认。它以后不会再显示。")
                return
        elif not self.restored and self.typed() and not dialogs.ask(
                self, "首次使用", "已填写的单位和管理员信息还没有保存。\n要放弃设置并退出吗？",
                yes="放弃并退出", no="继续填写"):
            return  # (Esc by mistake, 退出, the window's ✕: what she typed is still there)
        super().reject()

    def typed(self) -> bool:
        """Whether any field of the first page holds other text than when the window was made."""
        return any(w.text() != text for w, text in self._shown_texts.items())


class LoginDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None, clock=system_clock,  # type: ignore[no-untyped-def]
                 remember_user: bool = True) -> None:
        """`remember_user`: the last user name filled in (not after 切换用户: someone else signs in)."""
        super().__init__(parent)
        self.path = path
        self.clock = clock
        self.ctx: Context | None = None
        self.setWindowTitle(window_title("登录"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        heading(layout, APP_NAME)
        where = QLabel(f"数据文件：{path}")
        where.setStyleSheet("color: #52606d;")
        where.setWordWrap(True)
        layout.addWidget(where)
        self.form = Form()
        self.username = QLineEdit(str(QSettings().value("last_user", "") or "") if remember_user else "")
        self.username.setMaxLength(40)
        self.password = password_field()
        self.form.add("username", "用户名", self.username)
        self.form.add("password", "密码", self.password)
        layout.addLayout(self.form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.forgot_button = buttons.addButton("忘记密码…", QDialogButtonBox.ButtonRole.ResetRole)
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.login)
        self.forgot_button.clicked.connect(self.forgot)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.last_dialog: QDialog | None = None
        self.working = False  # signing in (and perhaps upgrading the database): the window is not closed meanwhile
        self.upgrade_window: QDialog | None = None  # shown while the database is upgraded (gui/security/upgrade.py)
        (self.password if self.username.text() else self.username).setFocus()

    def reject(self) -> None:
        if not self.working:
            super().reject()

    def _work(self, working: bool) -> None:
        """While signing in: nothing typed meanwhile, a second 登录 or 忘记密码 does nothing. No widget is disabled: the
        focus would leave for the next one (退出, where the next Enter would quit)."""
        self.working = working
        for field in (self.username, self.password):
            field.setReadOnly(working)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def login(self) -> None:
        if self.working:
            return
        from ...services import accounts
        from .upgrade import open_database_in_background

        user = self.username.text().strip()
        password = self.password.text()
        if not user or not password:
            self.say("请输入用户名和密码。")
            return
        self._work(True)
        try:
            with busy():  # the database opened off the GUI thread: an upgrade shows its window, nothing hangs
                ctx = open_database_in_background(
                    self, lambda progress: accounts.sign_in(self.path, user, password, clock=self.clock,
                                                            progress=progress),
                    shown=self._upgrading)
        except (LoginFailed, AccountLocked) as e:
            self.password.clear()
            self.password.setFocus()
            self.say(e.message)
            return
        except FulianError as e:
            self.say(e.message)
            return
        finally:
            self._work(False)  # (after each of the branches above too)
        self.password.clear()
        QSettings().setValue("last_user", user)
        self.ctx = ctx
        if ctx.user is not None and ctx.user.must_change:
            d = ChangePasswordDialog(ctx, forced=True, parent=self)
            self.last_dialog = d
            d.accepted.connect(self.accept)
            d.rejected.connect(self._gave_up)
            d.open()
            return
        self.accept()

    def _upgrading(self, window: QDialog) -> None:
        self.upgrade_window = window

    def _gave_up(self) -> None:
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None
        self.say("需要先设置自己的新密码才能使用。")

    def forgot(self) -> None:
        if self.working:
            return
        d = RecoveryDialog(self.path, self, clock=self.clock)
        d.username.setText(self.username.text())
        self.last_dialog = d

        def done() -> None:
            self.ctx = d.ctx
            self.accept()

        d.accepted.connect(done)
        d.open()


class RecoveryDialog(QDialog):
    """忘记密码: the recovery key from the safe, the account, a new password."""

    def __init__(self, path: Path, parent: QWidget | None = None, clock=system_clock) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.path = path
        self.clock = clock
        self.ctx: Context | None = None
        self.setWindowTitle("用恢复密钥重设密码")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(f"恢复密钥在首次使用时打印（或抄写）并放进了保险柜，形如 {RECOVERY_KEY_EXAMPLE}"
                       "（8组，每组4个字母或数字）。照纸上的输入，组与组之间空格、短横线或不隔开都可以。"
                       "输入它，就可以为一个账号设置新密码。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = Form()
        self.key = QLineEdit()
        self.key.setPlaceholderText(" ".join(["XXXX"] * 8))
        self.username = QLineEdit()
        self.new_password = password_field()
        self.new_password2 = password_field()
        self.form.add("recovery_key", "恢复密钥", self.key, True)
        self.form.add("username", "用户名", self.username, True)
        self.form.add("new_password", "新密码", self.new_password, True)
        self.form.add("new_password2", "再输一次", self.new_password2, True)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("重设密码并登录", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ok(self) -> None:
        from ...services import accounts
        from .upgrade import open_database_in_background

        def recover() -> Context:
            if self.new_password.text() != self.new_password2.text():
                raise ValidationError({"new_password2": "两次输入的密码不一样"})
            key, user, password = self.key.text(), self.username.text(), self.new_password.text()
            return open_database_in_background(self, lambda progress: accounts.recover(
                self.path, key, user, password, clock=self.clock, progress=progress))

        self.ctx = _attempt(self, self.form, recover)
        if self.ctx is not None:
            self.accept()


class ChangePasswordDialog(QDialog):
    def __init__(self, ctx: Context, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("设置新密码" if forced else "修改密码")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if forced:
            note = QLabel("您的密码是管理员设置的临时密码。请设置一个只有您自己知道的新密码。")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.form = Form()
        self.old = password_field()
        self.new = password_field()
        self.new2 = password_field()
        self.form.add("old_password", "现在的密码", self.old, True)
        self.form.add("new_password", "新密码", self.new, True)
        self.form.add("new_password2", "再输一次", self.new2, True)
        self.form.boxes["new_password"].set_hint("至少8位，不要与用户名相同")
        layout.addLayout(self.form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ok(self) -> None:
        from ...services import accounts

        def change() -> bool:
            if self.new.text() != self.new2.text():
                raise ValidationError({"new_password2": "两次输入的新密码不一样"})
            accounts.change_password(self.ctx, self.old.text(), self.new.text())
            return True

        if not _attempt(self, self.form, change):
            return
        for w in (self.old, self.new, self.new2):
            w.clear()
        self.accept()


def sign_in_interactively(path: Path, clock=system_clock,  # type: ignore[no-untyped-def]
                          remember_user: bool = True) -> Context | None:
    """First start when the database has no accounts yet, else the login; None if the user quits.
    `remember_user`: the last user name filled in (not after 切换用户)."""
    if needs_setup(path):
        from ...services import accounts

        if accounts.existing_data(path) == "encrypted":
            dialogs.warn(None, APP_NAME, f"数据库文件已加密，但旁边找不到它的密钥文件（{keyfile_path(path).name}），"
                                         f"无法打开：\n{path}\n\n请把密钥文件放回数据库旁边，或从备份恢复。")
            return None
        first = FirstStartDialog(path, clock=clock)
        application.watched_alone_until_painted(first)  # (see there: what it spares the first paint)
        first.exec()
        if not first.restored:
            return first.ctx
        # restored from a backup: its accounts sign in as usual
    login = LoginDialog(path, clock=clock, remember_user=remember_user)
    application.watched_alone_until_painted(login)
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.ctx
