"""What every window of the program shares, set up once at start-up: the application icon, Qt's own
dialogs in Chinese (the qtbase zh_CN translation), the interface fonts, sharp high-DPI rendering, the
warm-up (what the main window needs, loaded while the sign-in window waits for the password), and the
start-up smoke check (FULIAN_SMOKE_TEST=1: quit after the first window has painted, saying how long it
took — used by the bundle test and by the county IT person trying a new installation).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import (
    SIGNAL,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QGuiApplication, QIcon, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QTextEdit,
    QWidget,
)

from ... import APP_NAME
from ...paths import resources_dir

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

        here = Path(PySide6.__file__).resolve().parent
        found += [here / "Qt" / "translations", here / "translations"]  # Linux and macOS wheels; Windows
    except (ImportError, TypeError):  # pragma: no cover
        pass
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        found += [Path(frozen_root) / "PySide6" / "Qt" / "translations", Path(frozen_root) / "PySide6" / "translations"]
    found.append(resources_dir() / "translations")
    return found


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own buttons and dialogs (确定, 取消, 打开, 保存, 打印…) in Simplified Chinese; the translators
    installed (qtbase_zh_CN, then ours for what it leaves in English)."""
    global _translation_loaded
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    found: list[QTranslator] = []
    for i, folder in enumerate(translation_dirs()):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            _translation_loaded = True
            log.info("Qt's Chinese translation loaded (place %d)", i)
            found.append(translator)
            break
    else:
        log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found")
    # the few strings qtbase_zh_CN leaves in English (installed last, so it is asked first)
    extra = QTranslator(app)
    if extra.load("qt_extra_zh_CN", str(resources_dir() / "translations")):
        app.installTranslator(extra)
        found.append(extra)
    return found


_translation_loaded = False


def qt_translation_loaded() -> bool:
    return _translation_loaded


def prepare(app: QApplication) -> None:
    """Name, icon, Chinese for Qt's dialogs, the fonts, and windows kept inside a small screen: once,
    before the first window."""
    from . import fonts

    app.setApplicationDisplayName(APP_NAME)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    install_translations(app)
    fonts.register_fonts(interface_only=True)  # the print face after the first paint (WarmUp, MainWindow)
    fonts.apply_interface_font(app)
    OfficeWindows(app)


# --- small screens (1366×768 with the taskbar: 1366×728 for windows, title bar included) ------------------

FRAME = QSize(16, 40)  # what a Windows title bar and borders add around a window's contents, roughly
SMALL_SCREEN = QSize(1440, 900)


def usable_size(widget: QWidget) -> QSize:
    """The largest contents size a window can have on its screen with its title bar and borders."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry().size() if screen is not None else QSize(1366, 728)
    return QSize(max(200, area.width() - FRAME.width()), max(200, area.height() - FRAME.height()))


def fit_to_screen(widget: QWidget) -> bool:
    """Shrink a window that would not fit its screen (forms sized for a large monitor open on a 1366×768
    laptop with their buttons below the taskbar otherwise), and keep it on the screen. True when changed."""
    room = usable_size(widget)
    width, height = min(widget.width(), room.width()), min(widget.height(), room.height())
    if (width, height) == (widget.width(), widget.height()):
        return False
    widget.resize(width, height)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        x = min(max(widget.x(), area.left()), area.right() - width - FRAME.width() + 1)
        y = min(max(widget.y(), area.top()), area.bottom() - height - FRAME.height() + 1)
        widget.move(max(area.left(), x), max(area.top(), y))
    return True


def is_small_screen(widget: QWidget) -> bool:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return False
    area = screen.availableGeometry().size()
    return area.width() < SMALL_SCREEN.width() or area.height() < SMALL_SCREEN.height()


# --- the keyboard ---------------------------------------------------------------------------------------


W = TypeVar("W", bound=QWidget)


def own(window: QWidget, kind: type[W]) -> list[W]:
    """The widgets of `kind` in `window` itself, not in the dialogs it opened (windows of their own)."""
    return [w for w in window.findChildren(kind) if w.window() is window]


def _tabbable(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


ROW_TOLERANCE = 10  # pixels: fields whose tops are this close stand in one row


def reading_order(window: QWidget, widgets: list[QWidget]) -> list[QWidget]:
    """Row by row from the top, left to right within a row (where the widgets are now)."""
    placed = sorted(((w.mapTo(window, QPoint(0, 0)), i, w) for i, w in enumerate(widgets)),
                    key=lambda t: (t[0].y(), t[0].x(), t[1]))
    rows: list[list[tuple[QPoint, int, QWidget]]] = []
    for item in placed:
        if rows and item[0].y() - rows[-1][0][0].y() <= ROW_TOLERANCE:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [w for row in rows for _p, _i, w in sorted(row, key=lambda t: (t[0].x(), t[1]))]


def keyboard_order(window: QWidget) -> None:
    """A form's Tab order as the eye reads it: the fields row by row, then the dialog's buttons (确定/保存,
    取消) last — also for fields a dialog adds after its buttons were made; and a scroll area holding fields
    is not a stop of its own (the first field, not the frame around them, has the focus when a form opens).
    Only fields shown at the time are ordered; hidden ones keep their place."""
    for area in own(window, QScrollArea):
        inner = area.widget()
        if (type(area) is QScrollArea and inner is not None and area.focusPolicy() != Qt.FocusPolicy.NoFocus
                and any(_tabbable(w) for w in inner.findChildren(QWidget))):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # (not walked with nextInFocusChain: PySide keeps a reference to the window it returns at the end)
    stops = [w for w in own(window, QWidget) if _tabbable(w) and w.isVisibleTo(window) and w.isEnabled()]
    buttons = {id(b) for box in own(window, QDialogButtonBox) for b in box.buttons()}
    fields = [w for w in stops if id(w) not in buttons]
    wanted = reading_order(window, fields) + reading_order(window, [w for w in stops if id(w) in buttons])
    main = main_button(window) if isinstance(window, QDialog) else None
    if main is not None and main in wanted:
        # the main button first in its row of buttons (登录 before 忘记密码…): Tab from the last field, then
        # Enter, does what the dialog is for, whatever buttons sit to the left of it
        row_y = main.mapTo(window, QPoint(0, 0)).y()
        wanted.remove(main)
        first_in_row = next((i for i, w in enumerate(wanted) if isinstance(w, QPushButton)
                             and abs(w.mapTo(window, QPoint(0, 0)).y() - row_y) <= ROW_TOLERANCE), None)
        wanted.insert(len(wanted) if first_in_row is None else first_in_row, main)
    if len(wanted) < 2:
        return
    for first, second in zip(wanted, wanted[1:], strict=False):
        QWidget.setTabOrder(first, second)
    # where the form opens: the first field, unless the form chose (e.g. the password when the name is known)
    current = window.focusWidget()
    if fields and (current is None or id(current) in buttons or isinstance(current, QScrollArea)):
        wanted[0].setFocus(Qt.FocusReason.TabFocusReason)


MAIN_ROLES = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole)
DEFAULT_BUTTON = "fulianDefaultButton"  # on a button: its dialog made it the default (Enter presses it)
HAS_MAIN_BUTTON = "fulianHasMainButton"  # on a dialog: Enter presses a main button (on some page of it)


def make_main(*buttons: QPushButton) -> None:
    """Make `buttons` the ones Enter presses while they are shown, one at a time (a wizard's 下一步 and, on its
    last step, 导入): Qt keeps one default button per dialog, the last marked when buttons join it."""
    for b in buttons:
        b.setProperty(DEFAULT_BUTTON, True)


def main_button(window: QDialog) -> QPushButton | None:
    """The button Enter presses in a dialog, of those shown: the one the dialog made its default (登录, 检查备份),
    else its first accept button (确定, 保存, 完成设置). None when it has neither (a list to keep, with 关闭)."""
    shown = [b for b in own(window, QPushButton) if b.isVisibleTo(window)]
    for b in shown:
        if b.property(DEFAULT_BUTTON):
            return b
    for box in own(window, QDialogButtonBox):
        for b in box.buttons():
            if isinstance(b, QPushButton) and b.isVisibleTo(window) and box.buttonRole(b) in MAIN_ROLES:
                return b
    return None


def enter_presses_main_button(window: QDialog) -> None:
    """Enter in a field presses the dialog's main button (main_button), the one drawn as the default; on a
    button, that button. Without this Qt makes the first button after the focus in the Tab order the default
    when the dialog opens — 忘记密码… before 登录 once keyboard_order has put the buttons in reading order —
    because a button made default before it was in the dialog is no default for the dialog. A dialog without a
    main button has none: Enter in a field does nothing there (rather than whichever button comes first)."""
    buttons = own(window, QPushButton)
    for b in buttons:
        if b.isDefault() and not b.hasFocus():  # (a focused button is the default only while it has the focus)
            b.setProperty(DEFAULT_BUTTON, True)
    main = main_button(window)
    if main is not None:
        window.setProperty(HAS_MAIN_BUTTON, True)
        main.setDefault(False)  # Qt ignores setDefault(True) on a button marked default before it joined the dialog
        main.setDefault(True)
    has_main = bool(window.property(HAS_MAIN_BUTTON))
    for b in buttons:
        b.setAutoDefault(has_main)  # (else Qt makes the first button to get the focus the dialog's default)


def own_enter_action(field: QLineEdit) -> bool:
    """A line field that does something of its own on Enter (添加 a new value, 查询 a case number)."""
    return (field.receivers(SIGNAL("returnPressed()")) > 0
            and not isinstance(field.parentWidget(), (QComboBox, QAbstractSpinBox)))  # their own line: theirs


ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _enter(widget: QWidget, event: QKeyEvent) -> bool:
    """Enter on the focused `widget`; True when handled here (see OfficeWindows)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    window = widget.window()
    if (modifiers == Qt.KeyboardModifier.ControlModifier and isinstance(widget, (QPlainTextEdit, QTextEdit))
            and isinstance(window, QDialog)):  # Ctrl+Enter in a text of several lines (Enter: a new line)
        main = next((b for b in own(window, QPushButton) if b.isDefault() and b.isVisible()), None)
        if main is not None and not event.isAutoRepeat():
            main.click()
        event.accept()
        return True
    if modifiers:
        return False
    if isinstance(widget, QPushButton) and not widget.autoDefault() and not widget.isDefault():
        if not event.isAutoRepeat():
            widget.click()
        event.accept()
        return True
    if isinstance(widget, QLineEdit) and isinstance(window, QDialog) and own_enter_action(widget):
        widget.event(event)  # the field's own action (returnPressed) …
        event.accept()  # … and not the dialog's main button as well
        return True
    return False


VALUE_CONTROLS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def _wheel_changes_value(widget: QObject) -> bool:
    return (isinstance(widget, VALUE_CONTROLS) and not isinstance(widget, QScrollBar)
            and widget.window().windowType() != Qt.WindowType.Popup)  # (a calendar's year box in its pop-up)


def _scroll_form(control: QWidget, event: QWheelEvent) -> None:
    """The wheel over `control` scrolls what holds it instead: the nearest scroll area of its window that
    can still move that way (a list inside the form, else the form itself), as the wheel over a label would."""
    delta = event.angleDelta()
    vertical = abs(delta.y()) >= abs(delta.x())
    holder = control.parentWidget()
    while holder is not None:
        if isinstance(holder, QAbstractScrollArea):
            event.ignore()
            QApplication.sendEvent(holder.verticalScrollBar() if vertical else holder.horizontalScrollBar(), event)
            if event.isAccepted():
                return
        if holder.isWindow():
            break
        holder = holder.parentWidget()
    event.ignore()


# the program's application-wide event filters that a window's building sets aside (build_window), in the order made
_APP_WIDE: list[weakref.ref[QObject]] = []


def build_window(make: Callable[[], W]) -> W:
    """`make()` a window with the program's application-wide event filters set aside: OfficeWindows, and the
    start-up check's watch for the first paint. The ≈ 2,000 events of the main window's building (ChildAdded,
    StyleChange, Polish, …: nothing painted, no input) then no longer each pass through Python once per filter
    (issue 22: ≈ 8 ms of CPU for OfficeWindows, ≈ 20 ms more with the start-up check's watch, the main window on a
    100,000-case database). What OfficeWindows would have done for them is done as it is put back
    (OfficeWindows.caught_up); the first-paint watch waits for a paint, which no building does."""
    app = QApplication.instance()
    _APP_WIDE[:] = [ref for ref in _APP_WIDE if ref() is not None]
    aside = [f for f in (ref() for ref in _APP_WIDE) if f is not None and getattr(f, "installed", False)]
    if app is None:
        return make()
    for f in aside:
        app.removeEventFilter(f)
    built: W | None = None
    try:
        built = make()
    finally:
        _on_the_application_again(app, aside, built)
    return built


def _on_the_application_again(app: QApplication, filters: list[QObject], window: QWidget | None) -> None:
    """`filters`, set aside from the application, on it again in the order they were made (the newest asked first,
    as before); OfficeWindows catches up with what it did not see of `window`."""
    for f in filters:
        app.installEventFilter(f)
    if window is not None:
        for f in filters:
            if isinstance(f, OfficeWindows):
                f.caught_up(window)


def watched_alone_until_painted(window: QWidget) -> None:
    """`window` is about to be shown (the sign-in window, the first start's, the main window): until it has painted,
    the program's application-wide filters (OfficeWindows, and the warm-up's and the start-up check's watches for the
    first paint while they wait) watch it alone, then every window again — or after FALLBACK_MS, should it not paint
    (shown minimised). A Python filter on the application is handed every event of every object, ≈ 2–3 µs each for
    the thousands of a window's showing and first paint, and PySide6 makes the Python type of an object it has not
    seen yet, with all its enums, before the filter can look at the event: the style gets the focus events of the
    window's first field (QStyle: 17 enums, ≈ 4 ms in front of the sign-in window, issue 22), the window's inner
    objects (those of ≈ 100 Qt classes at once). What OfficeWindows does for a window's first showing (fitted to its
    screen, a dialog's keys) it does as before, from the window's own Show event; its text fields polished meanwhile
    are caught up once the filters are back (OfficeWindows.caught_up)."""
    app = QApplication.instance()
    if app is None:
        return
    moved = [f for f in (ref() for ref in _APP_WIDE) if f is not None and getattr(f, "installed", False)]
    if moved:
        _BackToApplication(window, moved)


class _BackToApplication(QObject):
    """watched_alone_until_painted's filters watch `window` alone until it has painted (or is hidden or gone
    unpainted, or FALLBACK_MS have passed), then the application again, in the order they were made (the newest
    asked first, as before)."""

    FALLBACK_MS = 3000

    def __init__(self, window: QWidget, moved: list[QObject]) -> None:
        app = QApplication.instance()
        super().__init__(app)  # (not the window's: back on the application even if the window is deleted at once)
        self.window = window
        self.moved = moved
        self.done = False
        self.gone = False
        window.installEventFilter(self)  # (before the others: asked after them, once they have seen the paint)
        for f in moved:
            app.removeEventFilter(f)
            window.installEventFilter(f)
        window.destroyed.connect(self._window_gone)
        QTimer.singleShot(self.FALLBACK_MS, self, self._back)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() in (QEvent.Type.Paint, QEvent.Type.Hide):
            self._back()  # (asked last: the others have seen the paint; a key pressed next reaches OfficeWindows)
        return False

    def _window_gone(self) -> None:
        self.gone = True
        self._back()

    def _back(self) -> None:
        if self.done:
            return
        self.done = True
        window = self.window if not self.gone and shiboken6.isValid(self.window) else None
        if window is not None:
            window.removeEventFilter(self)
            window.destroyed.disconnect(self._window_gone)
        alive = [f for f in self.moved if shiboken6.isValid(f)]
        if window is not None:
            for f in alive:
                window.removeEventFilter(f)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # (not a watch that has seen its paint)
            _on_the_application_again(app, [f for f in alive if getattr(f, "installed", False)], window)
        self.deleteLater()


# the events OfficeWindows acts on (one look-up for the thousands of others a window's opening sends)
_OFFICE_EVENTS = frozenset({QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.Polish, QEvent.Type.ChildAdded,
                            QEvent.Type.Show, QEvent.Type.Hide})


class OfficeWindows(QObject):
    """What every window gets without each form having to remember it:
    - the first time a window is shown, it is fitted to its screen (see fit_to_screen), and a dialog's Tab
      order put right (keyboard_order) with Enter pressing its main button (enter_presses_main_button); again
      when the dialog adds fields later (再添加一位申请人) or shows other buttons (the next page of a dialog);
    - Enter on a focused button presses it; Enter in a field with an action of its own (a new value to add)
      does that action only, not also the dialog's main button; Ctrl+Enter in a text of several lines (where
      Enter starts a new line) presses the dialog's main button;
    - Tab moves on from a multi-line text field (事情经过, 诉求…) to the next field, as in any office form,
      instead of typing a tab character there (a widget with the property "fulianKeepsTabs" keeps them);
    - the mouse wheel over a drop-down, a number or a date scrolls the form, never changes the value — also
      when the control has the focus: it changes by typing, the arrow keys or its list. (Browsers and the
      Windows 11 controls do the same: a clerk who has just picked 与当事人关系 and scrolls on with the
      pointer resting there would otherwise change it unseen, as Qt's default does.)"""

    FITTED = "fulianFittedToScreen"
    KEEPS_TABS = "fulianKeepsTabs"
    PENDING = "fulianKeyboardOrderPending"
    REMOVED = "fulianRemoved"

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.pending: list[weakref.ref[QWidget]] = []
        self.app = app
        app.installEventFilter(self)
        _APP_WIDE.append(weakref.ref(self))

    @property
    def installed(self) -> bool:
        return shiboken6.isValid(self) and not self.property(self.REMOVED)

    def remove(self) -> None:
        """No longer on the application (the tests' fixture, after its test)."""
        self.setProperty(self.REMOVED, True)
        self.app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in _OFFICE_EVENTS:  # every other event of every widget, at once (≈ 2 µs less each)
            return False
        if kind == QEvent.Type.Wheel:
            if isinstance(event, QWheelEvent) and isinstance(watched, QWidget) and _wheel_changes_value(watched):
                _scroll_form(watched, event)  # and not for the control
                return True
        elif kind == QEvent.Type.KeyPress:
            if (isinstance(event, QKeyEvent) and event.key() in ENTER_KEYS and isinstance(watched, QWidget)
                    and watched.hasFocus()):
                return _enter(watched, event)
        elif kind == QEvent.Type.Polish:
            self._polished(watched)
        elif kind == QEvent.Type.ChildAdded:
            if isinstance(watched, QWidget):
                self._again(watched.window())
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and self._first_shown(watched):
            pass  # a window's first showing: fitted
        elif kind in (QEvent.Type.Show, QEvent.Type.Hide) and isinstance(watched, QPushButton):
            self._again(watched.window())  # another page of the dialog: its own main button
        return False

    def _polished(self, widget: QObject) -> None:
        if isinstance(widget, (QPlainTextEdit, QTextEdit)) and not widget.property(self.KEEPS_TABS):
            widget.setTabChangesFocus(True)

    def _first_shown(self, widget: QWidget) -> bool:
        """A window or dialog shown for the first time: fitted to its screen, a dialog's keys put right. False for
        anything else (a menu, a tip, a window already fitted or maximised)."""
        if (widget.windowType() not in (Qt.WindowType.Window, Qt.WindowType.Dialog)  # not menus, tips
                or widget.property(self.FITTED) or widget.isMaximized()):
            return False
        widget.setProperty(self.FITTED, True)
        fit_to_screen(widget)
        if isinstance(widget, QDialog):
            keyboard_order(widget)
            enter_presses_main_button(widget)
        return True

    def caught_up(self, built: QWidget) -> None:
        """What this filter would have done for the events of `built`'s building, had it seen them (build_window):
        its text fields polished meanwhile move on with Tab, and a window shown meanwhile is fitted (none is, but
        a message box from a box that failed to load would be)."""
        for edit in [*built.findChildren(QPlainTextEdit), *built.findChildren(QTextEdit)]:
            if edit.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                self._polished(edit)
        for window in QApplication.topLevelWidgets():
            if window.isVisible():
                self._first_shown(window)

    def _again(self, window: QWidget) -> None:
        """keyboard_order and enter_presses_main_button once more for a shown dialog, when the event loop
        next turns (after all the changes of the moment)."""
        if isinstance(window, QDialog) and window.property(self.FITTED) and not window.property(self.PENDING):
            window.setProperty(self.PENDING, True)
            if not self.pending:
                QTimer.singleShot(0, self, self._reorder)
            self.pending.append(weakref.ref(window))  # never keeps a closed dialog alive

    def _reorder(self) -> None:
        windows, self.pending = self.pending, []
        for ref in windows:
            window = ref()
            if window is not None and shiboken6.isValid(window):  # not closed and deleted meanwhile
                window.setProperty(self.PENDING, False)
                if window.isVisible():
                    keyboard_order(window)
                    if isinstance(window, QDialog):
                        enter_presses_main_button(window)


def show_main_window(window: QWidget, restored: bool) -> None:
    """The main window: as it was left, else maximised on a small screen (a laptop at 1366×768)."""
    if not restored and is_small_screen(window):
        window.showMaximized()
    else:
        window.show()


def start_in_documents() -> None:
    """A bundled program started from its shortcut runs in its own folder, where "另存为" would then propose
    to save printed forms (and a new version replaces that folder): it starts in the user's 文档 folder."""
    if not getattr(sys, "frozen", False):
        return
    from PySide6.QtCore import QStandardPaths

    for where in (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
                  str(Path.home())):
        try:
            if where and Path(where).is_dir():
                os.chdir(where)
                return
        except OSError:
            continue


class _FirstPaint(QObject):
    """Calls `callback(window)` once, when `watched` first paints — a window, or with the application any
    window (the first one the user sees, whichever it is)."""

    def __init__(self, watched: QObject, callback: Callable[[QWidget], None], parent: QObject) -> None:
        super().__init__(parent)
        self.watched = watched
        self.callback: Callable[[QWidget], None] | None = callback
        watched.installEventFilter(self)
        if watched is QApplication.instance():  # every window's: set aside while a window is built (build_window)
            _APP_WIDE.append(weakref.ref(self))

    @property
    def installed(self) -> bool:
        return self.callback is not None and shiboken6.isValid(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (self.callback is not None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.isWindow()):
            callback, self.callback = self.callback, None
            self.watched.removeEventFilter(self)
            callback(watched)
        return False


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` once `window` has painted for the first time (on the next turn of the event loop):
    for work that must not delay the window's opening. Never called if the window is closed unpainted."""
    _FirstPaint(window, lambda _w: QTimer.singleShot(0, window, callback), window)


def as_first_painted(window: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` once, as `window` first paints, before the paint is done (after_first_paint waits for the next
    turn of the event loop): what must be in place when the window is on the screen, before a key can reach it."""
    _FirstPaint(window, lambda _w: callback(), window)


# --- warm-up -----------------------------------------------------------------------------------------


FONTS_STEP = "(fonts)"
QT_ENUMS_STEP = "(Qt's enums)"


def make_qt_enums() -> None:
    """The first scroll area made in a process, while an application-wide Python filter is on, has PySide6 make
    ≈ 120 Python enum classes (≈ 15–25 ms of CPU): made here, ahead, while the sign-in window waits for the password,
    not while the main window is shown (its start page's first scrolling column). Signed in from the environment,
    the main window is the first window, shown with no such filter on (watched_alone_until_painted): they are made
    after it has painted. Call in the GUI thread, with the application made."""
    from PySide6.QtWidgets import QScrollArea

    QScrollArea()  # (no parent: gone again at once)


def collect_garbage_again() -> None:
    """Python's cyclic garbage collector back on, once a window has painted: the sign-in window's warm-up, the main
    window's first paint (app.run_gui pauses it while the program starts). What the start made — modules, classes,
    the windows, nearly all of it kept for as long as the program runs — is set aside first (gc.freeze): the
    collector's first run would otherwise walk all of it, ≈ 8 ms just after the window appears, and every full
    collection later again. Once only, at the end of the pause: a window painted later (after 切换用户) sets nothing
    more aside, so that what it leaves behind in cycles is still collected."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


class WarmUp(QObject):
    """Once the first window has painted (the sign-in, waiting for the user to type), import the modules
    the next window needs, one per turn of the event loop, in the GUI thread: a key pressed meanwhile waits
    at most for one module and is then handled in order, nothing typed is lost. After the password the
    main window then only has to be built; last, the print face is registered with Qt (fonts.py). A module
    that fails to import is left for the window's own import to report."""

    def __init__(self, app: QApplication, modules: list[str]) -> None:
        super().__init__(app)
        self.app = app
        self.waiting = [*modules, QT_ENUMS_STEP, FONTS_STEP]
        self.imported: list[str] = []
        self.started = False
        _FirstPaint(app, self._start, self)

    def _start(self, _window: QWidget) -> None:
        self.started = True
        collect_garbage_again()
        QTimer.singleShot(0, self, self._next)

    def _next(self) -> None:
        if not self.waiting:
            return
        name = self.waiting.pop(0)
        started = time.perf_counter()
        try:
            if name == FONTS_STEP:  # the rest of the fonts (the print face), with Qt
                from . import fonts

                fonts.register_fonts()
            elif name == QT_ENUMS_STEP:
                make_qt_enums()
            else:
                importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - imported again where it is used, and reported there
            log.warning("warm-up: %s not loaded (%s)", name, type(e).__name__)
        else:
            if name not in (FONTS_STEP, QT_ENUMS_STEP):
                self.imported.append(name)
            log.debug("warm-up: %s in %.0f ms", name, (time.perf_counter() - started) * 1000)
        if self.waiting:
            QTimer.singleShot(0, self, self._next)

    @property
    def finished(self) -> bool:
        return self.started and not self.waiting


# --- start-up smoke check -------------------------------------------------------------------------------


def smoke_test_requested() -> bool:
    return os.environ.get(SMOKE_ENV, "").strip() not in ("", "0")


def seconds_since_start() -> float:
    """Seconds since the process started (Linux: from /proc, Windows: the process's creation time, so a bundle's
    own start is counted too); elsewhere since the program's first module loaded."""
    from ... import windows

    if windows.active():
        try:
            age = windows.process_age()
        except (OSError, AttributeError, ValueError):
            age = None
        return age if age is not None else time.perf_counter() - _STARTED
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
        self.cpu_seconds: float | None = None
        self.window_title = ""
        _FirstPaint(app, self._painted, self)
        self.timeout = QTimer(self)
        self.timeout.setSingleShot(True)
        self.timeout.timeout.connect(self._gave_up)
        self.timeout.start(SMOKE_TIMEOUT_MS)

    def _painted(self, window: QWidget) -> None:
        self.seconds = seconds_since_start()
        self.cpu_seconds = time.process_time()  # (what the benchmarks compare on a busy machine)
        self.window_title = window.windowTitle()
        QTimer.singleShot(0, self._quit)

    def _report(self, text: str) -> None:
        log.info("smoke test: %s", text)
        stream = sys.stderr
        if stream is not None:  # a windowed executable has no stderr
            print(text, file=stream, flush=True)

    def _quit(self) -> None:
        chinese = "loaded" if qt_translation_loaded() else "missing"
        self._report(f"first paint: {self.seconds:.3f} s ({self.window_title}); Qt zh_CN translation: {chinese}; "
                     f"CPU {self.cpu_seconds:.3f} s")
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
