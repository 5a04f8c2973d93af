"""Long work off the GUI thread, its progress and outcome back in the GUI thread (a backup, a restore, the database
upgraded at sign-in)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal


class Worker(QObject):
    """Runs `work(progress, cancel)` in a thread of its own; progress and the result come back as signals
    emitted in the GUI thread.

    The thread never calls Qt: it leaves its progress and result in plain Python state that a timer in the
    GUI thread picks up. (Emitting a Qt signal from another thread corrupts reference counts with PySide6
    6.12 and crashes the program after a few thousand emits — tests/test_backup_gui.py keeps this honest.)
    `progress(fraction, text)`: a fraction below 0 when how far cannot be told (a busy indicator)."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()

    def __init__(self, work: Callable[[Any, Any], object], parent: QObject | None = None, interval_ms: int = 50,
                 name: str = "fulian-backup") -> None:
        super().__init__(parent)
        self.work = work
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._progress: tuple[float, str] | None = None
        self._outcome: tuple[bool, Any] | None = None
        # not a daemon: a backup under way when the window closes still cleans up after itself
        self._thread = threading.Thread(target=self._run, name=name)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._poll)

    def start(self) -> None:
        self._thread.start()
        self.timer.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread.is_alive() or self.timer.isActive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # the worker thread: no Qt here
    def _report(self, fraction: float, text: str) -> None:
        with self._lock:
            self._progress = (float(fraction), str(text))

    def _run(self) -> None:
        try:
            result = self.work(self._report, self._cancel.is_set)
        except BaseException as e:  # noqa: BLE001 - every failure is reported to the GUI thread
            with self._lock:
                self._outcome = (False, e)
        else:
            with self._lock:
                self._outcome = (True, result)

    # the GUI thread
    def _poll(self) -> None:
        with self._lock:
            progress, self._progress = self._progress, None
            outcome = self._outcome
        if progress is not None:
            self.progressed.emit(*progress)
        if outcome is None:
            return
        self.timer.stop()
        self._thread.join()
        ok, value = outcome
        if ok:
            self.succeeded.emit(value)
        else:
            self.failed.emit(value)
        self.finished.emit()
