"""The daily local snapshot and the live database's weekly check, as the program runs them after the main
window has painted: closing the window while either runs ends the program at once, and leaves nothing that
could be taken for a good snapshot (nor a check noted as done); the next start does them again.

The program runs in a subprocess, started and closed as a user does; the snapshot is slowed down (small
chunks, each a moment to write) so that the window closes while it is being written, as on a large database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import types
from pathlib import Path

import pytest

from fulian_desktop import windows
from fulian_desktop.backup import engine
from fulian_desktop.services import accounts

from .test_startup import _demo_db, _env

CLOSE_THEN_EXIT = textwrap.dedent("""
    import os, sys, threading, time
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from fulian_desktop import app
    from fulian_desktop.backup import container, engine, files
    from fulian_desktop.gui.shell import application
    from fulian_desktop.gui.security.sign_in import LoginDialog
    from fulian_desktop.services import accounts, backup
    db, user, password, phase = sys.argv[1:5]
    sys.argv[1:] = []
    folder = backup.local_folder(Path(db))

    container.CHUNK = 16 * 1024  # many chunks, each a moment to write: as a large database takes a while
    sealing = container.Sealer.write
    def slow_write(self, data):
        time.sleep(0.02)
        sealing(self, data)
    container.Sealer.write = slow_write
    checking = backup.LiveCheckJob.run
    def slow_check(self, cancel=None):  # every step of the check a moment long
        engine.LIVE_CHECK_STEPS = 1
        return checking(self, lambda: time.sleep(0.002) or bool(cancel and cancel()))
    backup.LiveCheckJob.run = slow_check
    if phase == "check":  # today's snapshot is made already: only the weekly check runs
        ctx = accounts.sign_in(Path(db), user, password)
        container.Sealer.write = sealing
        backup.daily_snapshot(ctx).run()
        container.Sealer.write = slow_write
        ctx.close()

    application.before_application()
    qt = QApplication(["fulian-desktop"])
    closed = []

    def running():
        return any(t.name == "fulian-daily-snapshot" for t in threading.enumerate())

    def under_way():
        if phase == "snapshot":
            return any(p.name.endswith(files.UNFINISHED) for p in folder.glob("*"))
        return running() and time.monotonic() - painted[0] > 0.5

    painted = []

    class User(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
                if isinstance(watched, LoginDialog) and not painted:
                    painted.append(0.0)
                    QTimer.singleShot(0, lambda: self.sign_in(watched))
                elif isinstance(watched, QMainWindow) and len(painted) == 1:
                    painted[0] = time.monotonic()
                    QTimer.singleShot(20, self.close_when_under_way)
            return False

        def sign_in(self, dialog):
            dialog.username.setText(user)
            dialog.password.setText(password)
            dialog.login_button.click()

        def close_when_under_way(self, turns=[0]):
            turns[0] += 1
            if not under_way() and turns[0] < 1500:
                QTimer.singleShot(10, self.close_when_under_way)
                return
            nice = [os.getpriority(os.PRIO_PROCESS, t.native_id) for t in threading.enumerate()
                    if t.name == "fulian-daily-snapshot"]
            closed.append((under_way(), time.monotonic(), nice))
            qt.closeAllWindows()

    user_input = User()
    qt.installEventFilter(user_input)
    code = app.main(["--db", db])
    exited = time.monotonic()
    was_under_way, at, nice = closed[0]
    print("nice:", nice, "under way:", was_under_way, "exit after:", round(exited - at, 3), "code:", code,
          "left:", sorted(p.name for p in folder.glob("*") if not p.name.endswith(".json")),
          "checked:", engine.last_live_check(folder) is not None, "running:", running())
    """)


@pytest.mark.parametrize("phase", ["snapshot", "check"])
def test_closing_the_window_while_the_snapshot_or_the_weekly_check_runs_exits_at_once(tmp_path: Path,
                                                                                      phase: str) -> None:
    db = _demo_db(tmp_path)
    user, _name, _roles, password = accounts.DEMO_STAFF
    out = subprocess.run([sys.executable, "-c", CLOSE_THEN_EXIT, str(db), user, password, phase],
                         env=_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip().splitlines()[-1]
    assert line.startswith("nice: [") and "under way: True" in line, out.stdout + out.stderr
    assert int(line.split("[")[1].split("]")[0]) >= engine.IDLE_NICE, line  # behind the window
    exit_after = float(line.split("exit after:")[1].split()[0])
    assert exit_after < 1.0, line  # at once: no waiting for the snapshot or the check to end
    assert "code: 0" in line and "running: False" in line
    left = line.split("left:")[1].split("checked:")[0]
    if phase == "snapshot":
        assert left.strip() == "[]", line  # neither a snapshot nor a half-written file that could pass for one
    else:
        assert "checked: False" in line, line  # stopped before its end: not noted, so the next start checks
        assert ".fulian-backup" in left and "未完成" not in left, line


def test_the_snapshots_thread_gives_way_to_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """At idle: the thread that makes the snapshot (and only that thread) runs behind the window — on Linux at a
    lower CPU priority, on Windows in background mode (lower CPU and disk priority)."""
    seen: dict[str, int] = {}

    def snapshot_thread() -> None:
        engine.give_way()
        seen["snapshot"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=snapshot_thread)
    thread.start()
    thread.join()
    assert seen["snapshot"] >= engine.IDLE_NICE > before
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # the window's thread is untouched

    calls: list[tuple[int | None, int]] = []

    def set_thread_priority(handle: int | None, mode: int) -> int:
        calls.append((handle, mode))
        return 1

    def current_thread() -> int:
        return -2  # the pseudo handle Windows gives for "this thread"

    kernel = types.SimpleNamespace(GetCurrentThread=current_thread, SetThreadPriority=set_thread_priority)
    monkeypatch.setattr(windows, "_WINDOWS", True)
    monkeypatch.setattr(windows, "kernel32", lambda: kernel)
    monkeypatch.setattr(os, "setpriority", lambda *_a: pytest.fail("no nice value on Windows"))
    engine.give_way()
    assert calls == [(-2, windows.THREAD_MODE_BACKGROUND_BEGIN)]
