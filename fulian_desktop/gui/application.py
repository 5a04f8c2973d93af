"""What every window of the program shares, set up once at start-up: the application icon, Qt's own
dialogs in Chinese (the qtbase zh_CN translation), the interface fonts, sharp high-DPI rendering, and the
start-up smoke check (FULIAN_SMOKE_TEST=1: quit after the first window has painted, saying how long it
took — used by the bundle test and by the county IT person trying a new installation).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .. import APP_NAME
from ..paths import resources_dir

log = logging.getLogger(__name__)

SMOKE_ENV = "FULIAN_SMOKE_TEST"
SMOKE_TIMEOUT_MS = 120_000
_STARTED = time.perf_counter()  # when this module was imported: the fallback origin for the start-up time


def before_application() -> None:
    """Settings Qt reads only before the QApplication exists."""
    # fractional scale factors (125 %, 150 % on Windows laptops) used as they are: text and icons sharp
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def icon_path() -> Path:
    return resources_dir() / "icons" / "app.png"


def app_icon() -> QIcon:
    """The application icon at every size the icons folder has (app-16.png … app-256.png, app.png)."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for path in sorted(folder.glob("app-*.png")):
        icon.addFile(str(path))
    if icon.isNull() and icon_path().is_file():
        icon.addFile(str(icon_path()))
    return icon


def translation_dirs() -> list[Path]:
    """Where Qt's own translations may be: Qt's translations folder (also inside a PyInstaller bundle,
    where QLibraryInfo may point elsewhere), then our resources/translations."""
    found: list[Path] = []
    qt_path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_path:
        found.append(Path(qt_path))
    try:
        import PySide6

        found.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):  # pragma: no cover
        pass
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        found.append(Path(frozen_root) / "PySide6" / "Qt" / "translations")
    found.append(resources_dir() / "translations")
    return found


def install_translations(app: QApplication) -> QTranslator | None:
    """Qt's own buttons and dialogs (确定, 取消, 打开, 保存, 打印…) in Simplified Chinese."""
    global _translation_loaded
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    for i, folder in enumerate(translation_dirs()):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            _translation_loaded = True
            log.info("Qt's Chinese translation loaded (place %d)", i)
            return translator
    log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found")
    return None


_translation_loaded = False


def qt_translation_loaded() -> bool:
    return _translation_loaded


def prepare(app: QApplication) -> None:
    """Name, icon, Chinese for Qt's dialogs, and the fonts: once, before the first window."""
    from . import fonts

    app.setApplicationDisplayName(APP_NAME)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    install_translations(app)
    fonts.register_fonts()
    fonts.apply_interface_font(app)


# --- start-up smoke check -------------------------------------------------------------------------------


def smoke_test_requested() -> bool:
    return os.environ.get(SMOKE_ENV, "").strip() not in ("", "0")


def seconds_since_start() -> float:
    """Seconds since the process started (Linux: from /proc, so a bundle's own start is counted too);
    elsewhere since the program's first module loaded."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _STARTED


class FirstPaintExit(QObject):
    """Quits the program after the first window has painted, reporting the time to first paint."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.seconds: float | None = None
        self.window_title = ""
        app.installEventFilter(self)
        self.timeout = QTimer(self)
        self.timeout.setSingleShot(True)
        self.timeout.timeout.connect(self._gave_up)
        self.timeout.start(SMOKE_TIMEOUT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (self.seconds is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.isWindow()):
            self.seconds = seconds_since_start()
            self.window_title = watched.windowTitle()
            QTimer.singleShot(0, self._quit)
        return False

    def _report(self, text: str) -> None:
        log.info("smoke test: %s", text)
        stream = sys.stderr
        if stream is not None:  # a windowed executable has no stderr
            print(text, file=stream, flush=True)

    def _quit(self) -> None:
        chinese = "loaded" if qt_translation_loaded() else "missing"
        self._report(f"first paint: {self.seconds:.3f} s ({self.window_title}); Qt zh_CN translation: {chinese}")
        self._close_all()
        self.app.exit(0)

    def _gave_up(self) -> None:
        self._report("first paint: none")
        self._close_all()
        self.app.exit(3)

    def _close_all(self) -> None:
        modal = QApplication.activeModalWidget()
        while modal is not None:  # a dialog's exec() returns (rejected), then the start-up goes on to quit
            modal.close()
            if QApplication.activeModalWidget() is modal:
                break
            modal = QApplication.activeModalWidget()
        QApplication.closeAllWindows()
