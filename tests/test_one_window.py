"""One window a database (gui/shell/one_window.py): the program started a second time on a database a window already
has open says so in Chinese, brings the open window forward and exits; the command line keeps working beside the open
window; once the window is closed (or killed) the program opens again. Real processes started as a user starts them,
and the Windows branch (the lock of msvcrt, AllowSetForegroundWindow) with the platform patched."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path, PureWindowsPath

import pytest
from PySide6.QtWidgets import QMainWindow

from fulian_desktop import locks, windows
from fulian_desktop.gui.shell import one_window
from fulian_desktop.services import accounts

from .test_startup import _demo_db, _env

FIRST = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication
    from fulian_desktop import app
    from fulian_desktop.gui.shell import application
    from fulian_desktop.gui.security.sign_in import LoginDialog
    application.before_application()
    qt = QApplication(["fulian-desktop"])

    class Watch(QObject):  # says when the sign-in window is up, and when it is activated again
        def eventFilter(self, watched, event):
            if isinstance(watched, LoginDialog) and event.type() == QEvent.Type.Paint and not seen:
                seen.append(1)
                print("sign-in shown", flush=True)
            return False

    seen = []
    watch = Watch()
    qt.installEventFilter(watch)
    print("exit:", app.main(["--db", sys.argv[1]]), flush=True)
    """)

SECOND = textwrap.dedent("""
    import sys
    from fulian_desktop import app
    from fulian_desktop.gui.shell import dialogs
    dialogs.inform = lambda _parent, _title, text: print("said:", text.replace("\\n", " "), flush=True)
    import fulian_desktop.gui.security.sign_in as sign_in
    sign_in.sign_in_interactively = lambda *a, **k: print("a second sign-in window", flush=True)
    print("exit:", app.main(["--db", sys.argv[1]]), flush=True)
    """)


def _wait_for(proc: subprocess.Popen[str], line: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([proc.stdout], [], [], 0.2)
        got = proc.stdout.readline() if ready else ""
        if line in got:
            return
        if ready and not got and proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"never said {line!r} (exit {proc.wait()}): {proc.stderr.read() if proc.stderr else ''}")


@pytest.mark.skipif(os.name == "nt", reason="flock")
def test_a_second_start_on_the_same_database_says_so_brings_the_first_forward_and_the_cli_still_works(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _demo_db(tmp_path)
    env = _env(tmp_path)
    first = subprocess.Popen([sys.executable, "-c", FIRST, str(db)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(first, "sign-in shown")
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-c", SECOND, str(db)], env=env, capture_output=True, text=True,
                                timeout=60)
        assert "exit: 0" in second.stdout, second.stderr
        assert "a second sign-in window" not in second.stdout
        said = second.stdout
        assert "妇联维权工作台已经打开了这个数据库，不能再打开一次" in said and "切换用户" in said and str(db) in said
        log = Path(env["XDG_DATA_HOME"]) / "fulian-desktop" / "logs" / "fulian.log"
        deadline = started + 20
        while "the open window brought forward (LoginDialog)" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-2000:]
            time.sleep(0.1)
        assert first.poll() is None  # the first window is still there

        # the command line beside the open window: a search and a report, as a scheduled task runs them
        user, _name, _roles, password = accounts.DEMO_STAFF
        cli_env = {**env, "FULIAN_USER": user, "FULIAN_PASSWORD": password}
        for command in (["search", "离婚"], ["report", "--from", "2026-01-01", "--to", "2026-12-31"]):
            done = subprocess.run([sys.executable, "-c", "import sys; from fulian_desktop import app; "
                                   "sys.exit(app.main(sys.argv[1:]))", *command, "--db", str(db)],
                                  env=cli_env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, (command, done.stdout[-500:], done.stderr[-2000:])
    finally:
        first.kill()
        first.communicate(timeout=30)
    # the first window gone (killed: the system lets its lock go), the program opens on the database again
    again = one_window.claim(db)
    assert again is not None
    again.release()


class FakeMsvcrt(types.SimpleNamespace):
    """Windows' byte locks, one holder a file (by its inode), at the offset locks.py locks."""

    LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2

    def __init__(self) -> None:
        super().__init__(held={})

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1 and os.lseek(fd, 0, os.SEEK_CUR) == locks.WINDOWS_LOCK_OFFSET
        key = os.fstat(fd).st_ino
        if mode == self.LK_UNLCK:
            assert self.held.pop(key) == fd
        elif key in self.held:
            raise PermissionError(13, "Permission denied")
        else:
            self.held[key] = fd


def test_on_windows_the_second_start_lets_the_first_come_forward(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    msvcrt = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", msvcrt)
    monkeypatch.setattr(locks, "_WINDOWS", True)
    monkeypatch.setattr(windows, "_WINDOWS", True)
    allowed: list[int] = []
    user32 = types.SimpleNamespace(AllowSetForegroundWindow=types.SimpleNamespace())
    user32.AllowSetForegroundWindow = lambda who: allowed.append(who) or 1  # type: ignore[assignment]
    monkeypatch.setattr(windows, "user32", lambda: user32)
    # a Windows path: the lock beside the database, whatever the folder's name
    assert one_window.lock_path(PureWindowsPath(r"C:\Users\李\文档\妇联数据\fulian.db")) == PureWindowsPath(  # type: ignore[arg-type]
        r"C:\Users\李\文档\妇联数据\fulian.db.window.lock")

    db = tmp_path / "妇联数据" / "fulian.db"
    db.parent.mkdir()
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setWindowTitle("演示县妇联 — 妇联维权工作台")
    main.show()
    main.showMinimized()
    first = one_window.claim(db)
    assert first is not None and len(msvcrt.held) == 1
    assert one_window.claim(db) is None  # the second start

    with qtbot.waitSignal(first.broughtForward, timeout=5000) as brought:
        one_window.already_open(db)
    assert allowed == [0xFFFFFFFF]  # ASFW_ANY, before asking
    assert said and "已经打开了这个数据库" in said[-1] and str(db) in said[-1]
    assert brought.args == [main] and not main.isMinimized()

    first.release()
    assert msvcrt.held == {}
    again = one_window.claim(db)  # the window closed: the program opens again
    assert again is not None
    again.release()
