"""Shared fixtures: a fresh database per test, a fixed clock, Qt offscreen, QSettings in a temp folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from fulian_desktop.services import accounts  # noqa: E402
from fulian_desktop.services.context import Context, open_context  # noqa: E402,F401
from fulian_desktop.store import keys  # noqa: E402

# Argon2id parameters for tests: injected where the program reads them when it makes a key file, so that
# signing in costs microseconds; the program's own defaults (keys.DEFAULT_KDF) are never changed.
CHEAP_KDF = keys.KdfParams(time_cost=1, memory_cost=8, parallelism=1)
TEST_USER, TEST_PASSWORD = "tester", "test-password-1"
ALL_ROLES = frozenset({"window", "mediator", "director", "admin"})

TODAY = dt.datetime(2026, 3, 10, 9, 30)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = TODAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += dt.timedelta(days=days)


def ascii_id(text: str) -> str:
    """A test id in ASCII (中 -> u4e2d): mutmut runs tests by their ids, and pytest finds an escaped non-ASCII id
    again only in a fresh process (docs/mutation.md)."""
    return text.encode("unicode_escape").decode("ascii").replace("\\", "")


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    return ascii_id(val) if isinstance(val, str) and not val.isascii() else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutmut (a mutant's tests, MUTANT_UNDER_TEST set): the fastest tests first, by the durations its
    statistics recorded. mutmut hands a mutant's tests over in no particular order and stops at the first failure,
    so without this a mutant a unit test kills in a millisecond often ran the database tests first (over a minute
    each on the office's machine; docs/mutation.md)."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant or mutant in ("stats", "fail", "list_all_tests", "mutant_generation"):
        return
    import json

    try:
        durations = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


_setup_seconds: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under mutmut's statistics run (MUTANT_UNDER_TEST=stats): a test's duration counts its fixtures' setup too.
    mutmut records only the test's own call, so a test that first fills a demo database (5 s) was recorded at 0.01 s:
    sorted first (above) and given a time limit its setup alone overran, counted "timeout" without any test having
    seen the mutant (docs/mutation.md)."""
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        if call.when == "setup":
            _setup_seconds[item.nodeid] = call.duration
        elif call.when == "call":
            call.duration += _setup_seconds.pop(item.nodeid, 0.0)
    yield


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", CHEAP_KDF)


@pytest.fixture(autouse=True)
def _test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line signs in from FULIAN_USER / FULIAN_PASSWORD: the `ctx` fixture's account."""
    monkeypatch.setenv("FULIAN_USER", TEST_USER)
    monkeypatch.setenv("FULIAN_PASSWORD", TEST_PASSWORD)


@pytest.fixture
def ctx(tmp_path: Path, clock: Clock) -> Iterator[Context]:
    """An encrypted database, signed in as 测试员 (user name `tester`) holding every role."""
    c, _recovery, _aside = accounts.set_up(
        tmp_path / "test.db", [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF
    )
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    try:
        from PySide6.QtCore import QCoreApplication, QSettings
    except ImportError:  # pragma: no cover
        return
    QCoreApplication.setOrganizationName("FulianDesktopTests")
    QCoreApplication.setApplicationName("FulianDesktopTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the program told the user through dialogs.inform / warn (and yes to every question)."""
    from fulian_desktop.gui.shell import dialogs

    messages: list[str] = []
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(dialogs, "warn", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(dialogs, "ask", lambda *_a, **_k: True)
    return messages


@pytest.fixture
def window(qtbot, ctx: Context):  # type: ignore[no-untyped-def]
    """The main window on the test's database, shown (a case page, a form or a menu is reached from it)."""
    from fulian_desktop.gui.shell.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the program warned of through dialogs.warn (the other dialogs as they are)."""
    from fulian_desktop.gui.shell import dialogs

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _parent, _title, text: shown.append(text))
    return shown


@pytest.fixture
def office_app(qapp):  # type: ignore[no-untyped-def]
    """The start-up the program does (application.prepare: Qt's dialogs in Chinese, the keyboard, the wheel,
    windows fitted to the screen, the program's font), undone afterwards for the other tests."""
    from PySide6.QtCore import QLocale

    from fulian_desktop.gui.shell import application, fonts

    locale, font = QLocale(), qapp.font()
    translators = application.install_translations(qapp)
    helper = application.OfficeWindows(qapp)
    fonts.register_fonts()
    fonts.apply_interface_font(qapp)  # the program's own font and size: sizes measured as the user sees them
    yield qapp
    for t in translators:
        qapp.removeTranslator(t)
    helper.remove()
    helper.deleteLater()
    QLocale.setDefault(locale)
    qapp.setFont(font)
