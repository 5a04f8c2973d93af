"""What comes after the sign-in loads while the password is checked (issue 22): `accounts.sign_in(meanwhile=…)` runs
its work while the key derivation runs on its thread (and before the password's answer is looked at); the start-up
signed in from the environment loads the main window's modules that way, and `search` its own, not before or after
the sign-in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from fulian_desktop.domain.accounts import LoginFailed
from fulian_desktop.services import accounts
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF, Clock

ROOT = Path(__file__).resolve().parents[1]


def _run_signed_in(tmp_path: Path, script: str, window: bool = True) -> subprocess.CompletedProcess[str]:
    """`script` run in a process of its own on a new demo database (its path the script's argument), the demo staff's
    name and password in the environment; `window`: the offscreen start-up check of the program's window."""
    db = tmp_path / "fulian.db"
    accounts.setup_demo(db).close()
    user, _name, _roles, password = accounts.DEMO_STAFF
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FULIAN_USER": user, "FULIAN_PASSWORD": password}
    if window:
        env.update(QT_QPA_PLATFORM="offscreen", FULIAN_SMOKE_TEST="1")
    return subprocess.run([sys.executable, "-c", script, str(db)], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "office" / "fulian.db"
    accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", case_roles=frozenset({"director"}),
                         clock=clock, kdf=CHEAP_KDF).ctx.close()
    return path


def test_the_work_meanwhile_runs_while_the_key_is_derived(office: Path, clock: Clock,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    deriving = threading.Event()
    finished: list[bool] = []
    real = keys.derive

    def derive(*args: object) -> bytes:
        deriving.set()
        key = real(*args)  # type: ignore[arg-type]
        finished.append(True)
        return key

    during: list[tuple[bool, bool]] = []

    def meanwhile() -> None:
        during.append((deriving.wait(timeout=5), threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(keys, "derive", derive)
    accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock, meanwhile=meanwhile).close()
    assert during == [(True, True)]  # on the caller's thread, while the derivation ran
    during.clear()
    with pytest.raises(LoginFailed):  # a wrong password: the work done, the answer the same
        accounts.sign_in(office, "wangxl", "not-the-password", clock=clock, meanwhile=meanwhile)
    assert during == [(True, True)]


_WHILE_DERIVING = textwrap.dedent(
    """
    import sys, time
    sys.modules["numpy"] = None
    from fulian_desktop.store import keys
    real = keys.derive

    def derive(*args):
        # waits (at most 20 s) for the main window's modules: loaded meanwhile, they come; loaded only after the
        # sign-in, they never come while the key is derived
        until = time.monotonic() + 20
        while "fulian_desktop.gui.shell.main_window" not in sys.modules and time.monotonic() < until:
            time.sleep(0.01)
        print("WHILE_DERIVING", "fulian_desktop.gui.shell.main_window" in sys.modules, flush=True)
        return real(*args)

    keys.derive = derive
    sys.argv = ["fulian-desktop", "--db", sys.argv[1]]
    import runpy
    runpy.run_module("fulian_desktop", run_name="__main__")
    """
)


def test_the_start_up_signed_in_loads_the_main_window_while_the_password_is_checked(tmp_path: Path) -> None:
    out = _run_signed_in(tmp_path, _WHILE_DERIVING)
    assert "WHILE_DERIVING True" in out.stdout, out.stdout + out.stderr


_SEARCH_WHILE_DERIVING = textwrap.dedent(
    """
    import sys, time
    sys.modules["numpy"] = None
    from fulian_desktop.store import keys
    real = keys.derive

    def derive(*args):
        before = "fulian_desktop.services.cases" in sys.modules
        until = time.monotonic() + 20
        while "fulian_desktop.services.cases" not in sys.modules and time.monotonic() < until:
            time.sleep(0.01)
        print("SEARCH_MODULES", before, "fulian_desktop.services.cases" in sys.modules, flush=True)
        return real(*args)

    keys.derive = derive
    sys.argv = ["fulian-desktop", "--db", sys.argv[1], "search", "张三"]
    import runpy
    runpy.run_module("fulian_desktop", run_name="__main__")
    """
)


def test_search_loads_its_modules_while_the_password_is_checked(tmp_path: Path) -> None:
    out = _run_signed_in(tmp_path, _SEARCH_WHILE_DERIVING, window=False)
    assert "SEARCH_MODULES False True" in out.stdout, out.stdout + out.stderr  # not loaded before it, loaded during
    assert "没有找到" in out.stdout


_ENUMS_WHILE_BUILT = textwrap.dedent(
    """
    import enum, sys
    sys.modules["numpy"] = None
    made = []
    real_new = enum.EnumType.__new__

    def counting(metacls, *args, **kw):
        made.append(1)
        return real_new(metacls, *args, **kw)

    enum.EnumType.__new__ = counting
    from fulian_desktop.gui.shell import main_window
    real_init = main_window.MainWindow.__init__

    def init(self, *args, **kw):
        before = len(made)
        real_init(self, *args, **kw)
        print("ENUMS_WHILE_BUILT", len(made) - before, flush=True)

    main_window.MainWindow.__init__ = init
    sys.argv = ["fulian-desktop", "--db", sys.argv[1]]
    import runpy
    runpy.run_module("fulian_desktop", run_name="__main__")
    """
)


def test_qt_enums_are_made_before_the_main_window_is_built(tmp_path: Path) -> None:
    """PySide6 makes ≈ 120 Python enum classes at the process's first scroll area: made ahead (while the password is
    checked), not while the main window is built (the start page's first scrolling column)."""
    out = _run_signed_in(tmp_path, _ENUMS_WHILE_BUILT)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("ENUMS_WHILE_BUILT")), None)
    assert line is not None, out.stdout + out.stderr
    assert int(line.split()[1]) < 20  # (the old order: 120)


def test_the_sign_in_windows_warm_up_makes_qt_enums_too(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QWidget

    from fulian_desktop.gui.shell import application

    made: list[bool] = []
    monkeypatch.setattr(application, "make_qt_enums", lambda: made.append(True))
    window = QWidget()
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    warm = application.WarmUp(app, [])
    window.show()
    qtbot.waitUntil(lambda: warm.finished, timeout=5000)
    assert made == [True] and warm.imported == []
