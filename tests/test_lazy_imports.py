"""Start-up and commands pay only for what they use (issue 22): the sign-in window comes up without the
database layer, the printing library, the backup engine or the 20 MB print face registered with Qt; the
command line's search loads no backup engine, no printing and no reports; the print face is read from the
disk once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# what the sign-in window must not have loaded when it first paints (all of it loads while she types)
NOT_BEFORE_SIGN_IN = ("reportlab", "sqlite_utils", "dateutil.parser", "dateutil.tz", "click", "openpyxl",
                      "fulian_desktop.store.connection", "fulian_desktop.services.backup",
                      "fulian_desktop.backup.engine", "fulian_desktop.documents", "cryptography", "argon2",
                      "fulian_desktop.gui.shell.main_window", "fulian_desktop.gui.cases", "fulian_desktop.services.importing",
                      "urllib.request", "http", "email",
                      "logging.handlers", "socket", "pickle",  # (the log file's own handler: logs.RotatingLog)
                      "ctypes",  # (the display libraries' check loads it where Qt will use xcb: not offscreen)
                      "sqlcipher3",  # (the database driver, with its OpenSSL: loaded with the database layer)
                      "fulian_desktop.gui.shell.date_field")  # (the date fields and their calendar: the forms')
# what `search` must not load: it reads cases and prints a table
NOT_FOR_SEARCH = ("reportlab", "openpyxl", "fulian_desktop.backup.engine", "fulian_desktop.services.backup",
                  "fulian_desktop.reports", "fulian_desktop.documents", "PySide6", "fulian_desktop.gui",
                  "fulian_desktop.services.importing", "fulian_desktop.services.protection", "urllib.request", "http",
                  "email", "xml", "logging.handlers", "socket", "pickle",  # (the log file's handler: the window's)
                  "sqlite_utils", "click", "pluggy",  # (store/database.py)
                  "dateutil", "six",  # (the clocks' month arithmetic: where a date is checked or a clock is late)
                  "ctypes",  # (windows.py's calls, which load it when they run: only on Windows)
                  # each kind's rules: its status words are in domain/statuses.py
                  "fulian_desktop.domain.household", "fulian_desktop.domain.mediation",
                  "fulian_desktop.domain.referral", "fulian_desktop.domain.petition")

_AT_FIRST_PAINT = textwrap.dedent(
    """
    import atexit, enum, gc, sys
    from pathlib import Path
    sys.modules["numpy"] = None
    db = Path(sys.argv[1]).absolute()
    made_enums = []  # the Python enum classes PySide6 made (one for each enum of each Qt class it makes)
    make_enum = enum.EnumType.__call__

    def counting(cls, value, names=None, *args, **kwargs):
        if names is not None:
            made_enums.append(str(value))
        return make_enum(cls, value, names, *args, **kwargs)

    enum.EnumType.__call__ = counting
    from PySide6.QtGui import QFontDatabase
    from fulian_desktop.gui.shell import application

    painted = application.FirstPaintExit._painted

    def spying(self, window):  # (the start-up check's own watch: a filter of the spy's would change what is made)
        print("WINDOW", type(window).__name__)
        print("MODULES", " ".join(sorted(sys.modules)))
        print("FAMILIES", "|".join(QFontDatabase.families()))
        print("GC", gc.isenabled())
        print("ENUMS", " ".join(made_enums))
        painted(self, window)

    application.FirstPaintExit._painted = spying
    prepare = application.prepare
    made_before_filter = []

    def preparing(app):
        from fulian_desktop.gui.shell import one_window

        made_before_filter.append(one_window.lock_path(db).exists())
        prepare(app)

    def at_exit():
        print("LOCK_BEFORE_FILTER", made_before_filter == [True])
        print("GC_AFTER", gc.isenabled())
        print("FROZEN", gc.get_freeze_count() > 0)

    atexit.register(at_exit)

    application.prepare = preparing
    sys.argv = ["fulian-desktop", "--db", sys.argv[1]]
    import runpy
    runpy.run_module("fulian_desktop", run_name="__main__")
    """
)

# Python enums of Qt classes the first window does not use, which PySide6 makes when an application-wide Python event
# filter is handed an object of theirs: the style's (its focus events) and, for an object of one of Qt's inner classes,
# those of every Qt class not made yet (QProcess's, QSharedMemory's, QWizard's among them)
NOT_MADE_BEFORE_FIRST_PAINT = ("PixelMetric", "ProcessError", "SharedMemoryError", "WizardOption")


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_the_sign_in_window_paints_before_the_database_layer_printing_and_backup_load(tmp_path: Path) -> None:
    from fulian_desktop.services import accounts

    db = tmp_path / "fulian.db"
    accounts.setup_demo(db).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FULIAN_SMOKE_TEST": "1", "PYTHONPATH": str(ROOT)}
    env.pop("FULIAN_USER", None)
    env.pop("FULIAN_PASSWORD", None)
    out = subprocess.run([sys.executable, "-c", _AT_FIRST_PAINT, str(db)], env=env, capture_output=True,
                         text=True, timeout=120)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines() if " " in line}
    assert lines.get("WINDOW") == "LoginDialog", out.stdout + out.stderr
    modules = set(lines["MODULES"].split())
    assert "fulian_desktop.gui.security.sign_in" in modules  # (the spy sees what was loaded)
    assert _loaded(modules, NOT_BEFORE_SIGN_IN) == []
    families = lines["FAMILIES"].split("|")
    assert "WenQuanYi Micro Hei" in families  # the interface's own font
    assert "AR PL UMing CN" not in families  # the print face comes after the first paint
    # the window's lock (and its watch) taken before the application-wide event filter: PySide6 makes no Python enums
    # of ≈ 120 Qt classes at once in front of the sign-in window, to pass the watch's first events through it
    assert lines["LOCK_BEFORE_FILTER"] == "True"
    # Python's garbage collector back on once the sign-in window has painted (its warm-up), and after the program
    assert lines["GC"] == "True" and lines["GC_AFTER"] == "True" and lines["FROZEN"] == "True"
    # until it has painted, the program's application-wide filters watch the sign-in window alone
    # (watched_alone_until_painted)
    enums = lines["ENUMS"].split()
    assert "FocusPolicy" in enums  # (the spy sees the enums made)
    assert [name for name in NOT_MADE_BEFORE_FIRST_PAINT if name in enums] == []


# what the signed-in main window must not have loaded when it first paints: the register import (its spreadsheets'
# reading and columns: the start page's 待补全 is counted just after), writing through sqlite-utils, the backup
NOT_BEFORE_MAIN_WINDOW = ("fulian_desktop.services.importing", "fulian_desktop.reports.reading",
                          "openpyxl", "sqlite_utils", "click",
                          "fulian_desktop.services.backup", "fulian_desktop.backup.engine", "reportlab",
                          # the petition and mediation services: a household visit's finding opens one when saved
                          "fulian_desktop.services.petitions", "fulian_desktop.services.mediations",
                          # the petition's rules: the lists check a saved record's relation against them, nothing more
                          "fulian_desktop.domain.petition")


def test_the_main_window_paints_before_the_register_import_and_sqlite_utils_load(tmp_path: Path) -> None:
    from fulian_desktop.services import accounts

    db = tmp_path / "fulian.db"
    accounts.setup_demo(db).close()
    user, _name, _roles, password = accounts.DEMO_STAFF
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FULIAN_SMOKE_TEST": "1", "PYTHONPATH": str(ROOT),
           "FULIAN_USER": user, "FULIAN_PASSWORD": password}
    out = subprocess.run([sys.executable, "-c", _AT_FIRST_PAINT, str(db)], env=env, capture_output=True,
                         text=True, timeout=120)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines() if " " in line}
    assert lines.get("WINDOW") == "MainWindow", out.stdout + out.stderr
    modules = set(lines["MODULES"].split())
    assert "fulian_desktop.gui.shell.start_page" in modules
    assert _loaded(modules, NOT_BEFORE_MAIN_WINDOW) == []
    # no cyclic garbage collection while the program starts (≈ 90 runs on objects that are nearly all still in use,
    # ≈ 10 ms); back on after the first paint
    assert lines["GC"] == "False" and lines["GC_AFTER"] == "True"
    assert lines["FROZEN"] == "True"  # what the start made set aside: the collector's runs no longer walk it
    # signed in from the environment, the sign-in window's module is not loaded at all
    assert "fulian_desktop.gui.security.sign_in" not in modules
    # the application-wide filters (OfficeWindows, the idle lock, the clipboard guard) watch no event of the window's
    # building and showing before it has painted (build_window, watched_alone_until_painted,
    # watch_input_once_painted)
    enums = lines["ENUMS"].split()
    assert "FocusPolicy" in enums
    assert [name for name in NOT_MADE_BEFORE_FIRST_PAINT if name in enums] == []


def test_the_command_line_search_loads_no_backup_engine_printing_or_reports(tmp_path: Path) -> None:
    from fulian_desktop.services import accounts

    db = tmp_path / "fulian.db"
    accounts.setup_demo(db).close()
    user, _name, _roles, password = accounts.DEMO_STAFF
    script = ("import sys, runpy; sys.modules['numpy'] = None; import atexit; "
              "atexit.register(lambda: print('MODULES', ' '.join(sorted(sys.modules)))); "
              f"sys.argv = ['fulian-desktop', '--db', {str(db)!r}, 'search', '张三']; "
              "runpy.run_module('fulian_desktop', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FULIAN_USER": user, "FULIAN_PASSWORD": password}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert "没有找到" in out.stdout, out.stdout + out.stderr
    modules = set(next(ln for ln in out.stdout.splitlines() if ln.startswith("MODULES")).split()[1:])
    assert "fulian_desktop.services.cases" in modules
    assert _loaded(modules, NOT_FOR_SEARCH) == []


def test_the_print_face_is_read_from_the_disk_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from reportlab.pdfbase import ttfonts

    from fulian_desktop.documents import fonts

    opened: list[str] = []
    real_open = builtins.open

    def counting(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith(fonts.SONG_FILE):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    monkeypatch.setattr(fonts, "_song", None)
    monkeypatch.setattr(ttfonts, "TTFOpenFile", lambda *_a: pytest.fail("reportlab opened the font file itself"))
    assert fonts.register_fonts() == fonts.SONG
    assert len(opened) == 1, opened
    assert fonts.song().face.familyName == fonts.SONG_FACE
    assert fonts.unprintable("张三𠇔") == []


def test_printing_a_petitions_form_loads_no_register_columns() -> None:
    """`print` loads the petition service, which checks a saved record against the office's lists: the registers'
    columns (with every kind's rules) only load when a record is checked, not to print one (issue 22)."""
    script = ("import sys; sys.modules['numpy'] = None\n"
              "import fulian_desktop.services.printing, fulian_desktop.services.petitions\n"
              "import fulian_desktop.documents.petition_form\n"
              "print(' '.join(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    modules = set(out.stdout.split())
    assert _loaded(modules, ("fulian_desktop.reports", "fulian_desktop.services.importing",
                             "fulian_desktop.domain.household")) == []


def test_the_garbage_collector_comes_back_once_setting_aside_only_what_the_start_made() -> None:
    """app.run_gui pauses the collector while the program starts; the first window's paint turns it back on, with
    what the start made frozen. A window painted later (after 切换用户: the collector already running) freezes
    nothing more, so that what an earlier window left in cycles is still collected."""
    import gc

    from fulian_desktop.gui.shell import application

    frozen = gc.get_freeze_count()
    try:
        application.collect_garbage_again()  # running already: nothing set aside
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        gc.disable()  # as at the start
        application.collect_garbage_again()
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()
