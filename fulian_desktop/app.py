"""Start-up: the command line when a command is given, else the window.

    fulian-desktop [--db PATH]          open the window (default database in the user's data folder)
    fulian-desktop demo|search|print …  the command line (see cli/)
    fulian-desktop -h                   the command line's help, which says how to open the window too
"""

from __future__ import annotations

import functools
import gc
import importlib
import io
import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from . import APP_NAME, logs
from .paths import default_db_path

if TYPE_CHECKING:
    from .services.context import Context

log = logging.getLogger(__name__)


def database_path(option: str | None) -> Path:
    """--db, else FULIAN_DB, else the default database in the user's data folder."""
    return Path(option or os.environ.get("FULIAN_DB") or default_db_path())


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_command_line(args):
        from .cli.main import main as cli_main

        if sys.stdout is None or sys.stderr is None:  # the window program, which has no console on Windows
            return command_without_console(args)
        code = cli_main(args)
        if argv is None:  # the program's own command line (a test that calls main with its arguments goes on)
            end_command_process(code)
        return code
    return run_gui(args)


def end_command_process(code: int) -> None:
    """End a command's process once its work is done, as the interpreter's exit would but without taking every
    module and object apart (and a last full garbage collection) first: ≈ 7 % of a `search`'s instructions, all
    of it after the answer is printed (issue 22). What the exit does for the program still happens — the
    functions registered to run at exit (the log's last lines written and closed, helper processes ended,
    temporary folders removed), the output flushed — and a process in which another thread is still alive
    returns to the ordinary exit, which waits for it."""
    if threading.active_count() > 1:
        return
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`search … | head`): nothing more can be said there
            pass
    os._exit(code)


def command_without_console(args: list[str]) -> int:
    """A command given to the window program (`fulian-desktop.exe demo …`, which has no console): what it says
    goes to the console it was started from (cmd.exe), or, started from Explorer or a shortcut, into a window."""
    from . import windows
    from .cli.main import main as cli_main

    if windows.active() and windows.attach_parent_console():
        try:
            console = open(windows.CONSOLE_OUTPUT, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError:
            console = None
        if console is not None:
            sys.stdout = sys.stderr = console
            try:
                print(file=console)  # below the prompt cmd.exe has already printed
                return cli_main(args)
            finally:
                sys.stdout = sys.stderr = None  # type: ignore[assignment]
                console.close()
    said = io.StringIO()
    sys.stdout = sys.stderr = said
    try:
        code = cli_main(args)
    finally:
        sys.stdout = sys.stderr = None  # type: ignore[assignment]
    text = said.getvalue().strip()
    if text:
        show_output(text, code)
    return code


def show_output(text: str, code: int) -> None:
    """What a command said, in a window (the program's Chinese fonts; a long text scrolls in the details)."""
    from PySide6.QtWidgets import QApplication

    from .gui.shell import dialogs

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])  # noqa: F841 - kept alive
    dialogs.show_text(None, APP_NAME, text, problem=code != 0)


def wants_command_line(args: list[str]) -> bool:
    """A command (after the options every command shares: `--db 演示.db search 王`), or -h / --help, is the
    command line's; anything else opens the window (options it does not know are Qt's: -style fusion)."""
    from .cli.parsing import given_command

    return given_command(args) is not None


# Loaded after the sign-in window has painted, while it waits for the password (gui/shell/application.py WarmUp),
# in this order and one at a time (a few hundredths of a second each): signing in (the database layer), the
# backup service (the daily snapshot once the window is up), the main window and the administrator's window
# (each entry loads what the earlier ones have not), then sqlite-utils, which only writing a record uses
# (store/database.py: opening and reading do without it), so that the first save does not wait for it.
WARM_UP = [
    "fulian_desktop.store.keys",
    "fulian_desktop.services.accounts",
    "fulian_desktop.services.backup",
    "fulian_desktop.gui.shell.main_window",
    "fulian_desktop.gui.security.admin_window",
    "sqlite_utils",  # (after fulian_desktop itself, which points it at SQLCipher)
]


def _load_main_window() -> None:
    try:
        importlib.import_module("fulian_desktop.gui.shell.main_window")
    except ImportError:
        log.warning("the main window's modules were not loaded ahead")  # (loaded again, and reported, when made)
        return
    from .gui.shell import fonts

    # (the Python enums of the Qt classes no filter needs before the first paint are made after it:
    # watched_alone_until_painted)
    fonts.register_fonts()  # the print face too, as the sign-in window's warm-up registers it (WarmUp's last step)


def check_live_location(path: Path, allow: bool) -> None:
    """services.locations.check_live_location — the live database never on a USB stick or a network share —
    before the sign-in window, with the small drives module alone (not the backup service and the whole
    database layer with it, in front of that window)."""
    from .services.locations import check_live_location as check

    check(path, allow)


def run_gui(args: list[str]) -> int:
    """The window program (its options in `args`); the exit code."""
    # Python's cyclic garbage collector paused while the program starts: loading its modules and building the first
    # window make hundreds of thousands of objects and almost no garbage in cycles, yet the collector ran ≈ 90 times
    # on them before the main window's first paint (≈ 10 ms of CPU, issue 22). It runs again once a window has
    # painted (application.collect_garbage_again); meanwhile an object no longer used is freed as always, the moment
    # nothing refers to it
    gc.disable()
    try:
        return _run_gui(args)
    finally:
        gc.enable()  # (a start that stopped before any window painted)


def _run_gui(args: list[str]) -> int:
    from .cli.parsing import UsageError, usage_message, window_options

    try:
        options, qt_args = window_options(args)
    except UsageError as e:  # `--db` without a file…: said in Chinese, as the command line says it
        if sys.stderr is not None:
            print(usage_message(e), file=sys.stderr, flush=True)
        return 2

    # only what the sign-in window needs: it is what the user waits for; the rest loads while she types
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from .domain.errors import FulianError
    from .gui.shell import application

    logs.setup()
    if not _display_libraries_present():
        return 1
    QCoreApplication.setOrganizationName("FulianDesktop")
    QCoreApplication.setApplicationName("FulianDesktop")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    application.before_application()
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    path = database_path(options.db).absolute()
    # one window a database: started again on it (a double-click twice, a colleague at the same PC), the open window
    # comes forward and the clerk is told; the command line is never stopped by it (gui/shell/one_window.py). The
    # window's lock and its watch are taken before prepare() sets the application-wide event filter: the watch's
    # inner objects, of classes PySide6 does not know, would send their first events through that filter, and
    # PySide6 then makes the Python enums of ≈ 120 Qt classes at once (≈ 15 ms in front of the first window; they
    # are made later: while the password is typed, application.make_qt_enums, or after the first paint)
    location_refused: FulianError | None = None
    try:  # the live database never on a USB stick or a network share, unless the technician says so
        check_live_location(path, options.allow_removable_db)
    except FulianError as e:
        location_refused = e
    from .gui.shell import one_window

    this_window = one_window.claim(path) if location_refused is None else None
    application.prepare(app)  # icon, Qt's own dialogs in Chinese, fonts
    application.start_in_documents()  # "另存为" opens in 文档, not in the program's own folder
    smoke = application.FirstPaintExit(app) if application.smoke_test_requested() else None

    def qt_message(mode: object, context: object, message: str) -> None:
        log.warning("Qt: %s", message)

    qInstallMessageHandler(qt_message)

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", logs.describe_exception(exc_type, exc, tb))
        QMessageBox.critical(
            None, "出错了",
            "程序遇到了一个意外的问题，刚才的操作可能没有完成。已保存的案件不受影响。\n"
            "请重新操作一次；如果问题反复出现，请联系技术人员（错误已记录在日志中）。",
        )

    sys.excepthook = excepthook

    if location_refused is not None:
        QMessageBox.critical(None, APP_NAME, f"{location_refused.message}\n\n数据库：{path}\n\n"
                             "（如确实需要这样用，可在启动参数中加上 --allow-removable-db。）")
        return 1
    if this_window is None:
        one_window.already_open(path)
        return 0

    first = True
    signed_out = False
    while True:  # again after 切换用户, and after a restore from a backup (sign in on the restored database)
        try:
            # first start (office, first administrator, recovery key) or the login; the database is encrypted
            if first and smoke is not None and os.environ.get("FULIAN_USER") and os.environ.get("FULIAN_PASSWORD"):
                # the start-up check signs in like the command line, to open the main window itself; the main
                # window's modules load while the password is checked (a user's sign-in window loads them while
                # she types)
                from .services import accounts

                ctx = accounts.sign_in(path, os.environ["FULIAN_USER"], os.environ["FULIAN_PASSWORD"],
                                       meanwhile=_load_main_window)
            else:
                from .gui.security.sign_in import sign_in_interactively

                if first:  # while the sign-in window waits for the password: what comes after it
                    application.WarmUp(app, WARM_UP)
                # after 切换用户 the user name is not filled in: someone else is signing in
                ctx = sign_in_interactively(path, remember_user=not signed_out)
        except FulianError as e:
            QMessageBox.critical(None, APP_NAME, f"无法打开数据库：\n{path}\n\n{e.message}")
            return 1
        first = False
        if ctx is None:
            return 0
        log.info("database opened")
        # an administrator without a case role gets the accounts and settings, not the cases
        window: QWidget
        from .gui.shell.widgets import busy

        with busy():  # the database's first pages read from the disk: a moment on the first start of a day
            if ctx.may("cases.list"):
                from .gui.shell.main_window import MainWindow

                window = application.build_window(functools.partial(MainWindow, ctx))
                remembered = QSettings().value("main_window/geometry") is not None
            else:
                from .gui.security.admin_window import AdminWindow

                window = application.build_window(functools.partial(AdminWindow, ctx))
                remembered = True
        # the first start of a day: a local snapshot, in the background — once the window is up, so that
        # reading the whole database does not slow down the window's opening
        snapshots: list[tuple[threading.Thread, threading.Event]] = []
        application.after_first_paint(window, functools.partial(_start_daily_snapshot, ctx, snapshots))
        application.after_first_paint(window, application.collect_garbage_again)
        application.watched_alone_until_painted(window)
        application.show_main_window(window, restored=remembered)  # maximised on a small screen the first time
        code = app.exec()
        reopen = bool(getattr(window, "reopen_requested", False))
        signed_out = bool(getattr(window, "signed_out", False))
        for thread, stop in snapshots:
            stop.set()  # a snapshot still being made is abandoned cleanly
            thread.join()
        if signed_out:
            ctx.close(via="switch_user")  # 切换用户: recorded in the audit trail as she leaves
        elif not reopen:
            ctx.close()
            return int(code)
        # signed out, or restored from a backup (its database is closed): the window and every window it held
        # go before the sign-in window comes
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _display_libraries_present() -> bool:
    """On Linux, before the QApplication: the system libraries Qt's window plugin needs are there, or the
    user reads in Chinese which packages to install (Qt's own message is English and names the wrong one)."""
    from PySide6.QtCore import QLibraryInfo

    from .gui.shell.system_libraries import check_display_libraries

    problem = check_display_libraries(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    if not problem:
        return True
    log.error("the window cannot open: system libraries for Qt's xcb plugin are missing")
    if sys.stderr is not None:
        print(problem, file=sys.stderr, flush=True)
    return False


def _start_daily_snapshot(ctx: Context, started: list[tuple[threading.Thread, threading.Event]]) -> None:
    snapshot = _daily_snapshot(ctx)
    if snapshot is not None:
        started.append(snapshot)


def _daily_snapshot(ctx: object) -> tuple[threading.Thread, threading.Event] | None:
    """Start today's automatic local snapshot, and the live database's weekly full check when it is due, in a
    thread of their own (no Qt in it); setting the event stops them at once (the window closing)."""
    from .domain.errors import FulianError
    from .services import backup

    try:
        job = backup.daily_snapshot(ctx)  # type: ignore[arg-type]
        check = backup.weekly_check(ctx)  # type: ignore[arg-type]
    except FulianError:
        return None
    if job is None and check is None:
        return None
    stop = threading.Event()

    def run() -> None:
        from .backup import engine
        from .backup.errors import Cancelled

        engine.give_way()  # at idle: the window comes first
        try:
            if job is not None:
                job.run(cancel=stop.is_set)
                log.info("daily local snapshot made")
        except Cancelled:
            log.info("daily local snapshot stopped: the window closed (the next start makes it)")
        except Exception as e:  # noqa: BLE001 - never disturbs the window; the next start tries again
            log.warning("daily local snapshot not made: %s", type(e).__name__)
        try:
            if check is not None and not stop.is_set():
                log.info("the live database's weekly check %s", "passed" if check.run(stop.is_set) else "FAILED")
        except Exception as e:  # noqa: BLE001 - stopped or failed: the next start checks again
            log.warning("the live database's weekly check not done: %s", type(e).__name__)

    thread = threading.Thread(target=run, name="fulian-daily-snapshot")
    thread.start()
    return thread, stop


if __name__ == "__main__":
    raise SystemExit(main())
