"""Start-up: the sign-in window first and light, the rest loaded while it waits for the password, the
main window after 登录, the daily snapshot once that window is up.

The program runs in a subprocess where it starts as a user starts it (its own QApplication, settings,
logs, excepthook); the warm-up's keyboard behaviour is checked here with pytest-qt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from fulian_desktop import app
from fulian_desktop.backup import drives
from fulian_desktop.domain.errors import StorageError
from fulian_desktop.gui.security import sign_in
from fulian_desktop.gui.shell import application
from fulian_desktop.services import accounts, backup
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF

ROOT = Path(__file__).resolve().parents[1]

# what the sign-in window must not wait for
HEAVY = ("sqlite_utils", "argon2", "cryptography", "fulian_desktop.services.accounts", "fulian_desktop.services.backup",
         "fulian_desktop.gui.shell.main_window", "fulian_desktop.gui.security.admin_window", "reportlab", "openpyxl")


def _env(tmp_path: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FULIAN_SMOKE_TEST", "FULIAN_USER", "FULIAN_PASSWORD", "FULIAN_DB")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local"),
                "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    env.update(more)
    return env


def _demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "办公室" / "fulian.db"
    db.parent.mkdir()
    accounts.setup_demo(db, kdf=CHEAP_KDF).close()
    return db


def test_the_sign_in_window_paints_before_the_database_layer_and_the_main_window_load(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    script = textwrap.dedent(f"""
        import sys
        from fulian_desktop import app
        app.WARM_UP = []  # nothing after the paint either: what is loaded at the end was loaded before it
        code = app.main(["--db", {str(db)!r}])
        print("loaded:", [m for m in {HEAVY!r} if m in sys.modules])
        sys.exit(code)
        """)
    out = subprocess.run([sys.executable, "-c", script], env=_env(tmp_path, FULIAN_SMOKE_TEST="1"),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "first paint:" in out.stderr and "登录" in out.stderr, out.stderr
    assert "loaded: []" in out.stdout, out.stdout


SIGN_IN = textwrap.dedent("""
    import datetime as dt, sys, threading
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from fulian_desktop import app
    from fulian_desktop.gui.shell import application
    from fulian_desktop.gui.security.sign_in import LoginDialog
    db, user, password = sys.argv[1:4]
    sys.argv[1:] = []
    application.before_application()
    qt = QApplication(["fulian-desktop"])
    seen = []

    def snapshot_running():
        return any(t.name == "fulian-daily-snapshot" for t in threading.enumerate())

    class User(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
                if isinstance(watched, LoginDialog) and not seen:
                    seen.append(("sign-in painted", [m for m in app.WARM_UP if m in sys.modules]))
                    QTimer.singleShot(0, lambda: self.type(watched))
                elif isinstance(watched, QMainWindow) and len(seen) == 2:
                    seen.append(("main window painted", snapshot_running()))
                    QTimer.singleShot(0, self.wait_for_snapshot)
            return False

        def type(self, dialog):
            if not all(m in sys.modules for m in app.WARM_UP):
                QTimer.singleShot(10, lambda: self.type(dialog))
                return
            seen.append(("warmed up", True))
            dialog.username.setText(user)
            dialog.password.setText(password)
            dialog.login_button.click()

        def wait_for_snapshot(self, turns=[0]):
            turns[0] += 1
            if snapshot_running() or turns[0] < 5:
                QTimer.singleShot(20, self.wait_for_snapshot)
            else:
                qt.closeAllWindows()

    user_input = User()
    qt.installEventFilter(user_input)
    code = app.main(["--db", db])
    from fulian_desktop.backup import engine
    from fulian_desktop.services import backup
    made = engine.has_snapshot_on(backup.local_folder(Path(db)), dt.date.today())
    print("seen:", seen, "snapshot made:", made, "exit:", code)
    """)


def test_signing_in_opens_the_main_window_and_the_daily_snapshot_starts_after_it_has_painted(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    user, _name, _roles, password = accounts.DEMO_STAFF
    out = subprocess.run([sys.executable, "-c", SIGN_IN, str(db), user, password], env=_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip().splitlines()[-1]
    assert line.startswith("seen:"), out.stdout + out.stderr
    assert "('sign-in painted', [])" in line  # nothing of the warm-up before the sign-in window painted
    assert "('warmed up', True)" in line
    assert "('main window painted', False)" in line  # the snapshot had not started while the window was built
    assert "snapshot made: True" in line and "exit: 0" in line


def _slow_modules(folder: Path, typed: str) -> list[str]:
    """Three modules that take a moment to import; while the second loads, the user types `typed` (key
    events queued for the field, as the window system queues them); the third notes what the field holds
    when it starts loading."""
    (folder / "startup_keys.py").write_text(textwrap.dedent("""
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication
        field = None
        seen = None

        def type_now(text):
            for ch in text:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.postEvent(field, QKeyEvent(kind, Qt.Key(ord(ch.upper())),
                                                            Qt.KeyboardModifier.NoModifier, ch))
        """))
    names = []
    for i in range(3):
        name = f"startup_slow_{i}"
        extra = {1: f"startup_keys.type_now({typed!r})", 2: "startup_keys.seen = startup_keys.field.text()"}
        (folder / f"{name}.py").write_text(f"import time\nimport startup_keys\n{extra.get(i, '')}\ntime.sleep(0.05)\n")
        names.append(name)
    return names


def test_keys_typed_while_the_warm_up_loads_modules_all_arrive_in_order(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    names = _slow_modules(tmp_path, "cd")
    for name in [*names, "startup_keys"]:
        monkeypatch.delitem(sys.modules, name, raising=False)
    import startup_keys  # type: ignore[import-not-found]

    window = QWidget()
    qtbot.addWidget(window)
    field = QLineEdit()
    QVBoxLayout(window).addWidget(field)
    startup_keys.field = field
    app_ = QApplication.instance()
    assert isinstance(app_, QApplication)
    warm = application.WarmUp(app_, names)
    window.show()
    assert not warm.started  # not before the window has painted
    startup_keys.type_now("ab")  # typed as the window opens, before the first module loads
    qtbot.waitUntil(lambda: warm.finished, timeout=5000)
    assert warm.imported == names  # one at a time, in order
    assert startup_keys.seen == "abcd"  # keys typed during one module were handled before the next ones
    qtbot.waitUntil(lambda: field.text() == "abcd", timeout=2000)


def test_a_module_that_fails_to_load_is_left_for_its_user_to_report(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "startup_broken.py").write_text("raise ImportError('missing piece')\n")
    (tmp_path / "startup_fine.py").write_text("VALUE = 1\n")
    for name in ("startup_broken", "startup_fine"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    window = QWidget()
    qtbot.addWidget(window)
    app_ = QApplication.instance()
    assert isinstance(app_, QApplication)
    warm = application.WarmUp(app_, ["startup_broken", "startup_fine"])
    window.show()
    qtbot.waitUntil(lambda: warm.finished, timeout=5000)
    assert warm.imported == ["startup_fine"]


def test_after_first_paint_calls_back_once_the_window_has_painted(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    calls: list[bool] = []
    application.after_first_paint(window, lambda: calls.append(window.isVisible()))
    QApplication.processEvents()
    assert calls == []  # not before it is shown
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
    window.update()
    window.repaint()
    QApplication.processEvents()
    assert calls == [True]  # once


def test_the_live_location_check_before_the_sign_in_window_agrees_with_the_backup_service(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "fulian.db"
    app.check_live_location(db, False)  # this computer's own disk
    for kind in (drives.REMOVABLE, drives.NETWORK):
        monkeypatch.setattr(drives, "storage_kind", lambda _p, kind=kind: kind)
        with pytest.raises(StorageError) as here:
            app.check_live_location(db, False)
        with pytest.raises(StorageError) as service:
            backup.check_live_location(db, False)
        assert here.value.message == service.value.message
        app.check_live_location(db, True)  # --allow-removable-db


def test_the_sign_in_window_knows_the_key_file_as_the_accounts_do(tmp_path: Path) -> None:
    db = tmp_path / "某县" / "fulian.db"
    assert sign_in.keyfile_path(db) == keys.keyfile_path(db) == accounts.keyfile_for(db)
    assert sign_in.needs_setup(db) == accounts.needs_setup(db) is True


class _Counting(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        self.events += 1
        return False


def test_a_window_built_aside_from_the_application_wide_filters_gets_what_they_do(office_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    """build_window (the main window at start-up, issue 22): OfficeWindows sees none of the building's events, yet
    the window's text fields polished meanwhile move on with Tab, a window shown meanwhile is fitted, and the filter
    is back on the application afterwards (a dialog shown later is fitted as always)."""
    office = next(f for f in (ref() for ref in application._APP_WIDE)
                  if isinstance(f, application.OfficeWindows) and f.installed)
    seen: list[int] = []
    shown_meanwhile = QDialog()
    qtbot.addWidget(shown_meanwhile)

    def make() -> QWidget:
        counting = _Counting()
        office_app.installEventFilter(counting)  # what reaches the application's filters while building
        window = QWidget()
        layout = QVBoxLayout(window)
        notes = QPlainTextEdit()
        kept = QPlainTextEdit()
        kept.setProperty(application.OfficeWindows.KEEPS_TABS, True)
        layout.addWidget(notes)
        layout.addWidget(kept)
        notes.ensurePolished()
        kept.ensurePolished()
        assert not notes.tabChangesFocus()  # OfficeWindows did not see the Polish
        shown_meanwhile.show()
        assert not shown_meanwhile.property(application.OfficeWindows.FITTED)
        office_app.removeEventFilter(counting)
        seen.append(counting.events)
        return window

    window = application.build_window(make)
    qtbot.addWidget(window)
    assert seen[0] > 0
    notes, kept = window.findChildren(QPlainTextEdit)
    assert notes.tabChangesFocus() and not kept.tabChangesFocus()
    assert shown_meanwhile.property(application.OfficeWindows.FITTED)
    later = QDialog()
    qtbot.addWidget(later)
    later.show()
    assert later.property(application.OfficeWindows.FITTED)  # the filter is back
    assert office.installed


def test_build_window_puts_the_filters_back_when_the_building_fails(office_app) -> None:  # type: ignore[no-untyped-def]
    def fail() -> QWidget:
        raise RuntimeError("the start page's query failed")

    with pytest.raises(RuntimeError):
        application.build_window(fail)
    later = QDialog()
    later.show()
    try:
        assert later.property(application.OfficeWindows.FITTED)
    finally:
        later.close()
        later.deleteLater()


def _form() -> tuple[QDialog, QPlainTextEdit]:
    window = QDialog()
    layout = QVBoxLayout(window)
    notes = QPlainTextEdit()
    layout.addWidget(QLineEdit())
    layout.addWidget(notes)
    return window, notes


def test_a_window_is_watched_alone_until_it_has_painted(office_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    """watched_alone_until_painted (issue 22): until a window the start-up shows has painted, the application-wide
    filters watch it alone — another object's events do not reach them — yet it is fitted to its screen as it is
    shown, its text fields move on with Tab, and afterwards the filters are on the application again."""
    painted: list[QWidget] = []
    watch = application._FirstPaint(office_app, painted.append, office_app)  # (as the warm-up's and the check's)
    window, notes = _form()
    qtbot.addWidget(window)
    application.watched_alone_until_painted(window)
    elsewhere = QDialog()
    qtbot.addWidget(elsewhere)
    elsewhere.show()  # another window meanwhile: not seen by the filters
    assert not elsewhere.property(application.OfficeWindows.FITTED)
    window.show()
    assert window.property(application.OfficeWindows.FITTED)  # its own showing: seen
    assert not notes.tabChangesFocus()  # (polished unseen)
    qtbot.waitUntil(lambda: painted == [window])
    assert notes.tabChangesFocus()  # caught up once the filters are back
    assert elsewhere.property(application.OfficeWindows.FITTED)
    later = QDialog()
    qtbot.addWidget(later)
    later.show()
    assert later.property(application.OfficeWindows.FITTED)  # the filter is back on the application
    assert not watch.installed  # (the watch has seen its paint: not put back)
    second, second_notes = _form()  # the next window (after 切换用户): the same
    qtbot.addWidget(second)
    application.watched_alone_until_painted(second)
    second.show()
    assert second.property(application.OfficeWindows.FITTED)
    qtbot.waitUntil(second_notes.tabChangesFocus)


@pytest.mark.parametrize("how", ["hidden", "deleted", "never painted"])
def test_the_filters_come_back_when_the_window_goes_unpainted(office_app, qtbot, monkeypatch,  # type: ignore[no-untyped-def]
                                                              how: str) -> None:
    monkeypatch.setattr(application._BackToApplication, "FALLBACK_MS", 50)
    window, _notes = _form()
    application.watched_alone_until_painted(window)
    if how == "hidden":
        qtbot.addWidget(window)
        window.show()
        window.hide()
    elif how == "deleted":
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    else:  # (shown minimised, say): back after a while all the same
        qtbot.addWidget(window)
        qtbot.wait(200)
    later = QDialog()
    qtbot.addWidget(later)
    later.show()
    assert later.property(application.OfficeWindows.FITTED)


def test_the_first_paint_is_still_seen_after_a_window_built_aside(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The start-up check's watch (on the application) is set aside while the main window is built, and sees its
    first paint."""
    app_ = QApplication.instance()
    assert app_ is not None
    painted: list[QWidget] = []
    watch = application._FirstPaint(app_, painted.append, app_)
    try:
        window = application.build_window(QWidget)
        qtbot.addWidget(window)
        assert painted == []
        window.show()
        qtbot.waitUntil(lambda: painted == [window])
    finally:
        if watch.callback is not None:
            app_.removeEventFilter(watch)
        watch.deleteLater()
