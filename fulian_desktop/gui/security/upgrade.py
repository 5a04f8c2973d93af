"""数据库升级中，请勿关闭…: signing in runs in a thread of its own, so that a database from an earlier version, upgraded
as it is opened (store/migrate.py: ≈ 7 s at 100,000 cases, minutes at a million), never leaves a window that does not
answer (on Windows: 未响应). As soon as an upgrade step begins, a window says what is happening: the step, and a bar
where the step can tell how far it is (the copy set aside, a migration of several statements), else a moving busy bar,
and the time taken so far. It cannot be closed until the upgrade is done; every migration is one transaction, so a
program stopped all the same loses nothing and the next sign-in goes on from there."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from ..shell.widgets import heading, window_title
from ..shell.worker import Worker

if TYPE_CHECKING:
    from ...services.accounts import Progress, Step

T = TypeVar("T")

TITLE = "数据库升级中，请勿关闭…"
INTRO = ("这个版本的程序需要调整数据库的结构，数据多时要几分钟，请耐心等待，不要关闭程序或关机。"
         "升级前会先另存一份副本；万一中途断电，已有的数据也不会丢失，下次登录时会接着升级。")
BAR_STEPS = 1000


def overall(step: Step) -> float:
    """How far the whole upgrade is (0 to 1), or -1 when the step under way cannot tell."""
    if step.part is None:
        return -1.0
    return (step.number - 1 + step.part) / step.steps


class UpgradeWindow(QDialog):
    """The step, the bar, the time taken; no close button, and neither Esc nor Alt+F4 closes it while it runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.running = True
        self.setWindowTitle(window_title("数据库升级"))
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint)
        self.setModal(True)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        heading(layout, TITLE, INTRO, grey=False)
        self.step = QLabel("正在准备…")
        self.step.setWordWrap(True)
        layout.addWidget(self.step)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until a step says how far it is
        layout.addWidget(self.bar)
        self.elapsed = QLabel()
        self.elapsed.setStyleSheet("color: #52606d;")
        layout.addWidget(self.elapsed)
        self._started = time.monotonic()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        self.elapsed.setText(f"已用时 {seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"已用时 {seconds}秒")

    def show_progress(self, fraction: float, text: str) -> None:
        self.step.setText(text)
        if fraction < 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, BAR_STEPS)
            self.bar.setValue(round(fraction * BAR_STEPS))

    def finish(self) -> None:
        self.running = False
        self._clock.stop()
        self.accept()

    def reject(self) -> None:  # Esc
        if not self.running:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # Alt+F4, the window manager
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)


SIGN_IN_POLL_MS = 5


def open_database_in_background(parent: QWidget, work: Callable[[Progress], T],
                                shown: Callable[[UpgradeWindow], object] | None = None) -> T:
    """`work(progress)` — signing in, which opens (and may upgrade) the database — in a thread of its own while the
    windows keep answering; the upgrade window comes as soon as an upgrade step begins (`shown` is told it) and
    stays until the work is done. Returns what `work` returned; raises what it raised."""
    window: UpgradeWindow | None = None
    outcome: list[tuple[bool, Any]] = []
    loop = QEventLoop()

    def run(report: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> T:
        return work(lambda step: report(overall(step), step.text))

    def progressed(fraction: float, text: str) -> None:
        nonlocal window
        if window is None:
            window = UpgradeWindow(parent)
            window.show()
            if shown is not None:
                shown(window)
        window.show_progress(fraction, text)

    # this function's own: gone when it returns. Its answer is what the clerk waits for after 登录: looked for every
    # SIGN_IN_POLL_MS (Worker's 50 ms for a backup left her waiting 25 ms on average, up to 50, after every sign-in)
    worker = Worker(run, None, name="fulian-sign-in", interval_ms=SIGN_IN_POLL_MS)
    worker.progressed.connect(progressed)
    worker.succeeded.connect(lambda value: outcome.append((True, value)))
    worker.failed.connect(lambda error: outcome.append((False, error)))
    worker.finished.connect(loop.quit)
    worker.start()
    if not outcome:
        loop.exec()
    if window is not None:
        window.finish()  # hidden; it goes with the window it was shown over
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]
