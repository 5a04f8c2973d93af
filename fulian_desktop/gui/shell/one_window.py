"""One window a database. The program started a second time on a database that a window already has open (two clerks
at one shared PC, a double-click twice) says so in Chinese and brings the open window forward, instead of opening a
second window that writes beside the first without a word.

The window holds the operating system's lock of a file beside the database (`<database>.window.lock`, locks.py: it
goes when the program ends, however it ends). A second start that finds it held writes a request into that file, which
the first window watches (QFileSystemWatcher) and answers by coming forward — on Windows after the second has allowed
it to take the foreground (windows.allow_set_foreground). The command line never takes this lock: `fulian-desktop
import`, `report`, `backup` … keep working beside an open window."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from ... import APP_NAME, locks, windows

log = logging.getLogger(__name__)

SUFFIX = ".window.lock"


def lock_path(db: Path) -> Path:
    """The file whose lock says that a window has this database open."""
    return db.with_name(db.name + SUFFIX)


def already_open_text(db: Path) -> str:
    return (f"{APP_NAME}已经打开了这个数据库，不能再打开一次（两个窗口同时修改同一个数据库，会互相覆盖）。\n\n"
            "已把打开着的窗口切换到前面；如果看不到它，请在屏幕下方的任务栏上点“妇联维权工作台”。\n\n"
            "两人共用一台电脑时：请在打开着的窗口里点“账号与安全 → 切换用户…”，再用自己的账号登录。\n\n"
            f"数据库：{db}")


def bring_forward() -> QWidget | None:
    """This program's window to the front (the sign-in window, a dialog open over the main window, or the main
    window), restored if minimised. The window brought forward, or None when none is shown."""
    w = QApplication.activeModalWidget()
    if w is None:
        shown = [t for t in QApplication.topLevelWidgets() if t.isVisible()]
        w = next((t for t in shown if isinstance(t, QMainWindow)), shown[0] if shown else None)
    if w is None:
        return None
    owner = w.parentWidget()
    for t in (w.window(), owner.window() if owner is not None else w.window()):  # a dialog's main window too
        if t.isMinimized():
            t.showNormal()
    w.raise_()
    w.activateWindow()
    return w


class OneWindow(QObject):
    """The lock held for as long as this window runs, and the watch for a second start's request."""

    broughtForward = Signal(object)  # the window brought forward (None: none shown)

    def __init__(self, db: Path, fd: int | None) -> None:
        super().__init__()
        self.path = lock_path(db)
        self._fd = fd
        self._watcher = QFileSystemWatcher(self)
        if fd is not None:
            self._watcher.addPath(str(self.path))
            self._watcher.fileChanged.connect(self._asked)

    def _asked(self, _path: str) -> None:
        if str(self.path) not in self._watcher.files() and self.path.exists():
            self._watcher.addPath(str(self.path))  # (a file written by replacing it is watched again)
        w = bring_forward()
        log.info("started again on this database: the open window brought forward (%s)", type(w).__name__)
        self.broughtForward.emit(w)

    def release(self) -> None:
        if self._fd is not None:
            self._watcher.removePath(str(self.path))
            locks.release(self._fd)
            self._fd = None


def claim(db: Path) -> OneWindow | None:
    """This database's window for this process; None when another process has it open. A lock file that cannot be
    made (a read-only folder) never stops the program: it opens as before, unguarded, and the log says so."""
    try:
        fd = locks.try_hold(lock_path(db))
    except OSError as e:
        log.warning("the window's lock beside the database was not taken (%s)", e.strerror)
        return OneWindow(db, None)
    return None if fd is None else OneWindow(db, fd)


def ask_to_come_forward(db: Path) -> None:
    """Ask the window that has `db` open to come forward (a line written into its lock file)."""
    if windows.active():
        try:
            windows.allow_set_foreground()
        except OSError:
            pass  # it then flashes in the taskbar instead
    try:
        with open(lock_path(db), "w", encoding="utf-8") as f:
            f.write(f"{time.time():.3f}\n")
    except OSError as e:
        log.warning("could not ask the open window to come forward (%s)", e.strerror)


def already_open(db: Path) -> None:
    """The second start: the open window asked to come forward, and the clerk told why this one does not open."""
    from . import dialogs

    ask_to_come_forward(db)
    dialogs.inform(None, APP_NAME, already_open_text(db))
