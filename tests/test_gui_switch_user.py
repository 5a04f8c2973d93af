"""The lock screen says why it locked (by hand, or by itself after the idle time), and 切换用户 — on the lock
screen and in the 账号与安全 menu — signs out to the sign-in window, asking first about forms not saved."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication

from fulian_desktop.gui.security.lock import LockScreen
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, audit
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store

from .conftest import CHEAP_KDF, TEST_PASSWORD, Clock
from .qt_input import type_text

ROOT = Path(__file__).resolve().parents[1]


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _window(qtbot, ctx: Context) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts (Ctrl+L) reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window


def test_locked_by_hand_the_screen_says_so_and_by_itself_says_that(qtbot, ctx: Context, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ctx)
    assert window.security is not None
    lock = window.security.lock
    press_ctrl_l(qtbot)  # 锁定屏幕
    screen = window.centralWidget()
    assert lock.is_locked and isinstance(screen, LockScreen)
    texts = " ".join(label.text() for label in screen.findChildren(type(screen.who)))
    assert "屏幕已锁定" in texts and f"测试员在{clock.now:%H:%M}锁定了屏幕" in texts
    assert "自动" not in texts and "没有操作" not in texts
    qtbot.waitUntil(screen.switch_button.isVisible, timeout=2000)
    assert screen.switch_button.text() == "切换用户"
    qtbot.keyClicks(screen.password, TEST_PASSWORD)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert not lock.is_locked

    lock.set_timeout_ms(60_000)
    lock.timer.timeout.emit()  # a minute without input
    screen = window.centralWidget()
    assert lock.is_locked and isinstance(screen, LockScreen)
    texts = " ".join(label.text() for label in screen.findChildren(type(screen.who)))
    assert "屏幕已自动锁定" in texts and "1分钟没有操作" in texts and f"屏幕在{clock.now:%H:%M}自动锁定。" in texts
    assert "测试员在" not in texts


def press_ctrl_l(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+L where the keyboard is (a shortcut reaches the active window through its focused widget)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    qtbot.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def _gone(widget: object) -> bool:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return not shiboken6.isValid(widget)


def test_switching_from_the_menu_asks_about_a_form_not_saved(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, ctx)
    assert window.security is not None
    form = window.new_petition()
    type_text(qtbot, form.petitioner.name, "张三")
    qtbot.keyClicks(form.petitioner.phone, "13800138000")
    asked: list[tuple[str, list[str]]] = []
    answers = [2, 0, 1]  # 取消, then 保存 (the form is not complete yet), then 放弃

    def choose(_parent, _title, text, options, default=0):  # type: ignore[no-untyped-def]
        assert default == 0  # Enter saves
        asked.append((text, list(options)))
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "choose", choose)
    menu = window.security.menu
    assert window.security.switch_action in menu.actions() and window.security.switch_action.text() == "切换用户…"

    window.security.switch_action.trigger()  # 取消: nothing changes
    assert asked[-1] == ("“登记信访”还没有保存。切换用户前要保存吗？", ["保存", "放弃", "取消"])
    assert window.isVisible() and form.isVisible() and not window.signed_out
    assert form.petitioner.name.text() == "张三"

    window.security.switch_action.trigger()  # 保存: what is missing is said next to its field, she stays
    assert len(asked) == 2 and form.isVisible() and window.isVisible() and not window.signed_out
    assert form.summary.text()  # 有…处需要修改

    window.security.switch_action.trigger()  # 放弃: signed out
    assert len(asked) == 3 and window.signed_out and not window.isVisible() and not form.isVisible()
    assert _gone(form)  # nothing of the session is kept, not even hidden


def test_switching_without_unsaved_work_asks_nothing(qtbot, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ctx)
    assert window.security is not None
    monkeypatch.setattr(dialogs, "choose", lambda *_a: pytest.fail("nothing to ask"))
    monkeypatch.setattr(dialogs, "ask", lambda *_a, **_k: pytest.fail("nothing to ask"))
    form = window.new_petition()
    form.hide()  # a form opened and left empty is not work to lose
    form.show()
    assert window.security.switch_user() is True
    assert window.signed_out and not window.isVisible()


def test_switching_from_the_lock_screen_shows_nothing_of_the_forms(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, ctx)
    assert window.security is not None
    form = window.new_petition()
    type_text(qtbot, form.petitioner.name, "张三")
    press_ctrl_l(qtbot)
    screen = window.centralWidget()
    assert isinstance(screen, LockScreen) and not form.isVisible()
    qtbot.waitUntil(screen.switch_button.isVisible, timeout=2000)
    asked: list[str] = []
    answers = [1, 0]  # 返回, then 放弃并切换用户

    def choose(_parent, _title, text, options, default=0):  # type: ignore[no-untyped-def]
        assert options == ["放弃并切换用户", "返回"] and options[default] == "返回"  # Enter keeps her work
        asked.append(text)  # nobody can save her form without her password: there is no 保存
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "choose", choose)

    click(qtbot, screen.switch_button)  # 返回: still locked, her form kept (hidden)
    assert window.security.lock.is_locked and window.isVisible() and not window.signed_out
    assert "测试员还有1张表格没有保存" in asked[0] and "张三" not in asked[0] and "登记信访" not in asked[0]
    assert "请点“返回”，输入密码解锁" in asked[0]
    assert not form.isVisible() and form.petitioner.name.text() == "张三"

    click(qtbot, screen.switch_button)  # 放弃并切换用户
    assert window.signed_out and not window.isVisible() and _gone(form)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


# -- the whole way, as the program runs: sign in, lock, 切换用户, a colleague signs in ----------------------

SWITCH = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow
    from fulian_desktop import app
    from fulian_desktop.gui.shell import application, dialogs
    from fulian_desktop.gui.security.lock import LockScreen
    from fulian_desktop.gui.security.sign_in import LoginDialog
    db = sys.argv[1]
    sys.argv[1:] = []
    application.before_application()
    qt = QApplication(["fulian-desktop"])
    seen = []
    asked = []
    dialogs.choose = lambda _p, _t, text, options, default=0: asked.append(text) or options.index("放弃并切换用户")

    def visible_titles():
        return [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]

    class User(QObject):
        logins = 0
        windows = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Show and watched.isWidgetType() and watched.isWindow():
                if isinstance(watched, LoginDialog):
                    User.logins += 1
                    QTimer.singleShot(50, lambda d=watched: self.sign_in(d))
                elif isinstance(watched, QMainWindow) and type(watched).__name__ == "MainWindow":
                    User.windows += 1
                    QTimer.singleShot(50, lambda w=watched: self.work(w))
            return False

        def sign_in(self, dialog):
            if User.logins == 1:
                QTest.keyClicks(dialog.username, "wangxl")
                QTest.keyClicks(dialog.password, "wangxl-pass-1")
            else:
                main_windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
                seen.append(("sign-in again", dialog.username.text(), len(main_windows), visible_titles()))
                QTest.keyClicks(dialog.username, "lili")
                QTest.keyClicks(dialog.password, "lili-pass-1")
            QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)

        def work(self, window):
            if User.windows == 1:
                window.open_case(1)
                form = window.new_petition()
                QTest.keyClicks(form.petitioner.id_number, "110105194912310021")
                target = QApplication.focusWidget() or QApplication.activeWindow() or window
                QTest.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
                screen = window.centralWidget()
                seen.append(("locked", isinstance(screen, LockScreen), " ".join(label.text() for label in screen.findChildren(type(screen.who))),
                             window.tabs.count()))
                QTest.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
            else:
                seen.append(("second window", window.security.user_label.text(), window.tabs.count(),
                             window.windowTitle()))
                QTimer.singleShot(0, qt.closeAllWindows)

    user = User()
    qt.installEventFilter(user)
    app.WARM_UP = []
    code = app.main(["--db", db])
    print("seen:", seen)
    print("asked:", asked)
    print("exit:", code)
    """)


def test_switch_user_signs_out_to_the_sign_in_window_and_a_colleague_gets_her_own(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                                    clock: Clock) -> None:
    path = tmp_path / "办公室" / "fulian.db"
    path.parent.mkdir()
    ctx, _key, _aside = accounts.set_up(path, [
        ("wangxl", "王秀兰", frozenset({"window", "director"}), "wangxl-pass-1", False),
        ("lili", "李丽", frozenset({"window"}), "lili-pass-1", False),
    ], kdf=CHEAP_KDF)
    from fulian_desktop.domain.records import Person, Petition
    from fulian_desktop.services import petitions

    petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
        request="咨询", dv=False, safety_risk=False, receiving_staff="王秀兰",
    ))
    ctx.close()
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("FULIAN_SMOKE_TEST", "FULIAN_USER", "FULIAN_PASSWORD",
                                                            "FULIAN_DB")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local"),
                "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    out = subprocess.run([sys.executable, "-c", SWITCH, str(path)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in out.stdout.splitlines()
             if line.startswith(("seen:", "asked:", "exit:"))}
    seen = eval(lines["seen"])  # noqa: S307 - our own script's repr
    assert seen[0][:2] == ("locked", True) and "王秀兰在" in seen[0][2] and "锁定了屏幕" in seen[0][2]
    assert seen[0][3] == 3  # 工作台, 案件列表 and her open case
    # 切换用户: she had typed into a form — whoever is at the lock screen is told, and agrees to give it up
    assert "王秀兰还有1张表格没有保存" in lines["asked"]
    # the sign-in window, alone: no main window left, no user name filled in, no name in any title
    what, username, main_windows, titles = seen[1]
    assert what == "sign-in again" and username == "" and main_windows == 0
    assert len(titles) == 1 and "登录" in titles[0] and "王秀兰" not in titles[0] and "wangxl" not in titles[0]
    # her colleague gets her own window: her name, no case open
    what, user_label, tabs, title = seen[2]
    assert what == "second window" and "李丽" in user_label and tabs == 2 and "王秀兰" not in title
    assert lines["exit"] == "0"
    ctx = accounts.sign_in(path, "wangxl", "wangxl-pass-1")
    try:
        entries = list(reversed(audit_store.page(ctx.db, audit_store.AuditFilter(), limit=30)))
    finally:
        ctx.close()
    story = [(e.actor, e.event, e.details().get("via", "")) for e in entries
             if e.event in ("login", "lock", "logout")]
    i = story.index(("wangxl", "lock", ""))
    assert story[i + 1:i + 3] == [("wangxl", "logout", "switch_user"), ("lili", "login", "gui")], story
    logout = next(e for e in entries if e.event == "logout" and e.details().get("via"))
    assert "方式：切换用户" in audit.describe(logout)  # as the audit trail shows it
