"""Locking the screen when nobody is at the PC, and clearing ID numbers from the clipboard.

`SessionLock` watches the application's input; after the idle time (the `idle_lock_minutes` setting,
default 10) it locks, and Ctrl+L (锁定屏幕) locks by hand: the window's content is taken out and a lock
screen asking for the password is put in its place — saying whether it locked itself or was locked —,
menus, toolbars and shortcuts are switched off, and every other open window (forms, dialogs, previews) is
hidden — not closed, so whatever was typed into them is still there after unlocking. Wrong passwords count
towards the account's lock-out like at sign-in. 切换用户 on the lock screen lets a colleague sign in
(account_menu.SecurityControls.switch_user).

`ClipboardGuard` clears the clipboard 30 seconds after an ID number was copied, if it is still there.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...domain.accounts import AccountLocked, LoginFailed
from ...domain.errors import FulianError
from ...services import accounts
from ...services.context import Context
from ..shell import application, dialogs, private_clipboard
from ..shell.widgets import busy, password_field, window_title

log = logging.getLogger(__name__)

LOCK_KEYS = "Ctrl+L"  # 锁定屏幕, from any window of the program
ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod, QEvent.Type.TabletPress,
}


class LockScreen(QWidget):
    unlockRequested = Signal(str)
    quitRequested = Signal()
    switchRequested = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None, idle_minutes: int | None = None) -> None:
        """`idle_minutes`: locked by itself after so many minutes without input (0: less than a minute, in
        tests); None: locked by hand."""
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockScreen { background: #e9eef4; } #lockBox { background: white; border: 1px solid #c5d0dc; "
                           "border-radius: 8px; }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        box = QFrame()
        box.setObjectName("lockBox")
        box.setMinimumWidth(460)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(32, 28, 32, 28)
        bl.setSpacing(10)
        at = f"{ctx.now():%H:%M}"
        if idle_minutes is None:
            heading, why = "屏幕已锁定", f"{ctx.who()}在{at}锁定了屏幕。"
        else:
            idle = f"{idle_minutes}分钟" if idle_minutes else "一段时间"
            heading, why = "屏幕已自动锁定", f"{idle}没有操作，为保护当事人的个人信息，屏幕在{at}自动锁定。"
        title = QLabel(heading)
        title.setStyleSheet("font-size: 18pt; font-weight: bold; color: #1d4e89;")
        bl.addWidget(title)
        user = ctx.user
        who = f"{user.display_name}（{user.username}）" if user else ""
        self.who = QLabel(f"当前用户：{who}")
        self.who.setStyleSheet("font-size: 11pt;")
        bl.addWidget(self.who)
        explain = QLabel(f"{why}请输入密码继续工作，刚才没有保存的内容都还在。\n"
                         "换一位同事使用这台电脑，请点“切换用户”。")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #52606d;")
        bl.addWidget(explain)
        self.password = password_field("密码")
        self.password.setMinimumHeight(30)
        bl.addWidget(self.password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        bl.addWidget(self.message)
        buttons = QHBoxLayout()
        self.quit_button = QPushButton("退出程序")
        self.switch_button = QPushButton("切换用户")
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)
        self.unlock_button.setMinimumWidth(100)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        bl.addLayout(buttons)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.unlock_button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        self.quit_button.clicked.connect(self.quitRequested)
        self.switch_button.clicked.connect(self.switchRequested)

    def _unlock(self) -> None:
        text = self.password.text()
        self.password.clear()
        self.unlockRequested.emit(text)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


def watch_input_once_painted(watcher: QObject, window: QWidget | None) -> None:
    """`watcher` sees every widget's events (an application-wide event filter) from the moment `window` first paints,
    i.e. is on the screen: nobody can type or click in it before. Neither the ≈ 2,000 events of the window's building
    (≈ 5 ms of CPU at each start for each of the idle lock and the clipboard guard) nor those of its showing pass
    through it: on the showing's, PySide6 would make the Python types of Qt's inner objects, and with them the enums
    of ≈ 100 Qt classes (≈ 11 ms in front of the main window, issue 22). At once without a window, or for one
    already shown."""
    app = QApplication.instance()
    if app is None:
        return
    if window is None or window.isVisible():
        app.installEventFilter(watcher)
    else:
        application.as_first_painted(window, lambda: app.installEventFilter(watcher))


class SessionLock(QObject):
    locked = Signal()
    unlocked = Signal()
    switchRequested = Signal()  # 切换用户 on the lock screen

    def __init__(self, window: QMainWindow, ctx: Context, minutes: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.is_locked = False
        self.screen: LockScreen | None = None
        self._content: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._bars: list[QWidget] = []
        self._actions: list[tuple[QAction, bool]] = []
        self._title = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: self.lock(idle=True))
        if minutes is None:
            try:
                minutes = accounts.idle_minutes(ctx)
            except FulianError:
                minutes = 10
        self.set_timeout_ms(minutes * 60_000)
        assert QApplication.instance() is not None
        watch_input_once_painted(self, window)
        window.destroyed.connect(lambda *_: self.stop())

    def stop(self) -> None:
        """No more locking: the window is closing (signed out, restored from a backup)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def set_timeout_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        if not self.is_locked:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.is_locked and event.type() in ACTIVITY:
            self.timer.start()
            # Ctrl+L that no shortcut took: typed in a form or a preview, which block the main window's menu
            if isinstance(event, QKeyEvent) and QKeySequence(event.keyCombination()) == QKeySequence(LOCK_KEYS):
                self.lock()
                return True
        return False

    # --- locking -------------------------------------------------------------------------------------
    def lock(self, idle: bool = False) -> None:
        """Lock now: by hand (Ctrl+L, the menu), or `idle` when the time without input has run out."""
        if self.is_locked:
            return
        self.is_locked = True
        self.timer.stop()
        try:
            accounts.lock(self.ctx)
        except FulianError:
            pass
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        w = self.window
        self._hidden = [t for t in QApplication.topLevelWidgets()
                        if t is not w and t.isVisible() and t.isWindow() and not t.inherits("QMenu")]
        for t in self._hidden:
            t.hide()
        self._actions = [(a, a.isEnabled()) for a in w.findChildren(QAction)]
        for a, _enabled in self._actions:
            a.setEnabled(False)
        self._bars = [b for b in [w.menuBar(), w.statusBar(), *w.findChildren(QToolBar)] if b is not None and b.isVisible()]
        for b in self._bars:
            b.hide()
        self._content = w.takeCentralWidget()
        self.screen = LockScreen(self.ctx, idle_minutes=self.timer.interval() // 60_000 if idle else None)
        self.screen.unlockRequested.connect(self.try_unlock)
        self.screen.quitRequested.connect(self._quit)
        self.screen.switchRequested.connect(self.switchRequested)
        w.setCentralWidget(self.screen)
        self._title = w.windowTitle()
        w.setWindowTitle(window_title("已锁定"))
        self.screen.password.setFocus(Qt.FocusReason.OtherFocusReason)
        log.info("screen locked (%s)", "idle" if idle else "by hand")
        self.locked.emit()

    def try_unlock(self, password: str) -> bool:
        assert self.screen is not None
        try:
            with busy():
                accounts.unlock(self.ctx, password)
        except (LoginFailed, AccountLocked) as e:
            self.screen.say(e.message)
            return False
        except FulianError as e:
            self.screen.say(e.message)
            return False
        self._restore()
        return True

    def _restore(self) -> None:
        w = self.window
        if self._content is not None:
            w.setCentralWidget(self._content)  # the lock screen is deleted by Qt
            self._content.show()
        self._content = None
        self.screen = None
        for b in self._bars:
            b.show()
        for a, enabled in self._actions:
            a.setEnabled(enabled)
        w.setWindowTitle(self._title)
        for t in self._hidden:
            t.show()
            t.raise_()
        if self._hidden:
            self._hidden[-1].activateWindow()
        self._hidden, self._bars, self._actions = [], [], []
        self.is_locked = False
        self.timer.start()
        log.info("screen unlocked")
        self.unlocked.emit()

    def _quit(self) -> None:
        if dialogs.ask(self.window, "退出程序", "退出后，还没有保存的内容会丢失。确定要退出吗？", yes="退出", no="返回"):
            QApplication.closeAllWindows()
            QApplication.quit()


ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")


def holds_id_number(text: str) -> bool:
    return bool(ID_NUMBER.search(text.replace(" ", "")))


class ClipboardGuard(QObject):
    """Clears an ID number from the clipboard after `seconds` (30), if it is still what is there."""

    cleared = Signal()

    def __init__(self, parent: QObject | None = None, seconds: float = 30, *, window: QWidget | None = None) -> None:
        """`window`: the window it guards, watched from when it first paints (watch_input_once_painted)."""
        super().__init__(parent)
        self.clipboard = QGuiApplication.clipboard()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self._expire)
        self._watched = ""
        self.clipboard.dataChanged.connect(self._changed)
        watch_input_once_painted(self, window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+C / Ctrl+X on a selected ID number: copied marked private (out of Win+V history), see
        private_clipboard."""
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit) and isinstance(event, QKeyEvent):
            cut = event.matches(QKeySequence.StandardKey.Cut)
            if (cut or event.matches(QKeySequence.StandardKey.Copy)) \
                    and watched.echoMode() == QLineEdit.EchoMode.Normal and holds_id_number(watched.selectedText()):
                self.clipboard.setMimeData(private_clipboard.private_text(watched.selectedText()))
                if cut and not watched.isReadOnly():
                    watched.del_()
                return True
        return False

    def _changed(self) -> None:
        text = self.clipboard.text()
        if text and holds_id_number(text):
            ours = self.clipboard.ownsClipboard() or QApplication.focusWidget() is not None  # not another program's
            if ours and not private_clipboard.is_private(self.clipboard.mimeData()):
                self.clipboard.setMimeData(private_clipboard.private_text(text))  # copied another way (a menu)
                return
            self._watched = text
            self.timer.start()
        elif text != self._watched:
            self._watched = ""
            self.timer.stop()

    def _expire(self) -> None:
        if self._watched and self.clipboard.text() == self._watched:
            self.clipboard.clear()
            log.info("an ID number was cleared from the clipboard")
            self.cleared.emit()
        self._watched = ""
