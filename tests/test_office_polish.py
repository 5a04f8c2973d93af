"""Looks and behaves like a Windows office program: the icon, the office's name in the title, the About box
with the version, Qt's own dialogs in Chinese, every window usable on a 1366×768 screen, sharp on high-DPI
screens, and everything reachable from the keyboard (shortcuts, and Tab through each form in reading order)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from fulian_desktop import APP_NAME, __version__
from fulian_desktop.demo import generate as demo
from fulian_desktop.gui.security.admin_window import AdminWindow
from fulian_desktop.gui.security.sign_in import FirstStartDialog, LoginDialog
from fulian_desktop.gui.shell import application, dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.paths import resources_dir
from fulian_desktop.services import settings
from fulian_desktop.services.context import Context

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_LATIN = {"PDF", "Ctrl", "Shift", "Alt", "Del", "Ins", "Tab", "Enter", "Esc", "Backspace", "A4"}
# the room a window has on a 1366×768 screen: less the 40-pixel taskbar, the title bar and the borders
ROOM = QSize(1366 - 16, 768 - 40 - 40)
MAIN_ROOM = QSize(1366, 768 - 40 - 31)  # the main window maximised there


def english_in(text: str) -> list[str]:
    return [w for w in LATIN_WORD.findall(text.replace("&", "")) if w not in ALLOWED_LATIN]


@pytest.fixture
def window(qtbot, ctx: Context, office_app: QApplication) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(MAIN_ROOM)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    return w


# --- Qt's own dialogs in Chinese -----------------------------------------------------------------------


def texts_of(widget: QWidget) -> list[str]:
    found = [widget.windowTitle()]
    found += [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    found += [b.text() for b in widget.findChildren(QAbstractButton) if b.isVisibleTo(widget)]
    return [t for t in found if t]


def test_qt_message_boxes_speak_chinese(qtbot, office_app: QApplication) -> None:  # type: ignore[no-untyped-def]
    assert application.qt_translation_loaded()
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "妇联维权工作台", "要保存吗？",
                      buttons.Ok | buttons.Cancel | buttons.Yes | buttons.No | buttons.Save | buttons.Discard
                      | buttons.Close)
    qtbot.addWidget(box)
    box.show()
    shown = {box.button(b).text().replace("&", "").split("(")[0] for b in (
        buttons.Ok, buttons.Cancel, buttons.Yes, buttons.No, buttons.Save, buttons.Close)}
    assert shown == {"确定", "取消", "是", "否", "保存", "关闭"}
    assert not english_in(box.button(buttons.Discard).text())
    box.setDetailedText("…")
    assert not [t for t in texts_of(box) if english_in(t)]


def test_qt_file_and_print_dialogs_speak_chinese(qtbot, office_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "测试 数据"
    folder.mkdir()
    files = QFileDialog(None, "另存为 PDF", str(folder), "PDF 文件 (*.pdf)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own (Windows has its own, in Chinese)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(files)
    files.show()
    assert not [t for t in texts_of(files) if english_in(t)], texts_of(files)
    header = files.findChild(QWidget, "treeView")
    assert header is not None
    model = files.findChild(QWidget, "treeView").model()  # type: ignore[union-attr]
    columns = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert columns[:4] == ["名称", "大小", "类型", "修改日期"]

    printer = QPrinter()
    printing = QPrintDialog(printer)
    printing.show()
    shown = texts_of(printing)
    printing.done(0)
    del printing  # before its printer goes
    del printer
    assert not [t for t in shown if english_in(t)], shown

    for editor in (QLineEdit(), QPlainTextEdit()):
        menu = editor.createStandardContextMenu()
        words = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert "复制(&C)" in words and not [w for w in words if english_in(w)], words
        del menu


# --- icon, title, About, high DPI --------------------------------------------------------------------------


def test_application_icon_at_every_size(office_app: QApplication) -> None:
    icon = application.app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 24, 32, 48, 64, 128, 256} <= sizes
    # on a 200 % screen a 32-pixel icon is drawn from the 64-pixel picture, not blown up from 32
    sharp = icon.pixmap(QSize(32, 32), 2.0)
    assert sharp.width() == 64 and sharp.devicePixelRatio() == 2.0
    ico = (resources_dir() / "icons" / "app.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and int.from_bytes(ico[4:6], "little") >= 6  # Windows: many sizes in one


def test_high_dpi_rounding_passes_through() -> None:
    code = ("from fulian_desktop.gui.shell import application; application.before_application();"
            "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "print(QApplication.highDpiScaleFactorRoundingPolicy().name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "PassThrough", out.stderr


def shown_title(w: QWidget) -> str:
    """The title as Windows and Linux show it: Qt adds the separator and the program's display name to every
    title that does not already end with it (QPlatformWindow::formatWindowTitle; application.prepare sets the
    display name)."""
    t = w.windowTitle()
    return t if t.endswith(APP_NAME) else f"{t} — {APP_NAME}" if t else APP_NAME


def test_title_names_the_office_and_about_shows_the_version(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert shown_title(window) == f"{settings.office_name(ctx)} — 妇联维权工作台"
    d = window.edit_office()
    editor = d.findChild(QLineEdit)
    assert editor is not None
    editor.setText("东山县妇女联合会")
    d.ok_button.click()
    assert shown_title(window) == "东山县妇女联合会 — 妇联维权工作台"
    about = window.about()
    shown = " ".join(texts_of(about))
    assert f"版本 {__version__}" in shown and "妇联维权工作台" in shown
    assert shown_title(about) == "关于 — 妇联维权工作台"
    about.done(0)


def test_every_window_names_the_program_once(qtbot, window: MainWindow, ctx: Context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """妇联维权工作台 — 演示县妇联 — 妇联维权工作台 was the main window's title bar: the name once, at the end."""
    login = LoginDialog(ctx.path or tmp_path / "x.db")
    first = FirstStartDialog(tmp_path / "new.db")
    admin = AdminWindow(ctx)
    for w in (login, first, admin):
        qtbot.addWidget(w)
    assert shown_title(login) == "登录 — 妇联维权工作台"
    assert shown_title(first) == "首次使用 — 妇联维权工作台"
    assert shown_title(admin) == f"{settings.office_name(ctx)}（系统管理） — 妇联维权工作台"
    assert window.security is not None
    window.security.lock.lock()
    assert shown_title(window) == "已锁定 — 妇联维权工作台"
    for w in (login, first, admin, window, window.about()):
        assert shown_title(w).count(APP_NAME) == 1, shown_title(w)


# --- the keyboard --------------------------------------------------------------------------------------------


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def test_shortcuts_new_case_find_and_print(qtbot, window: MainWindow, ctx: Context,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: told.append(text))
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.last_form
    assert form is not None and form.isVisible(), "Ctrl+N opens 登记信访"
    form.reject()

    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.case_list
    assert window.case_list.search.hasFocus(), "Ctrl+F puts the cursor in the search field"

    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert told and "先打开或选中" in told[-1]  # nothing to print yet

    demo.generate(ctx, 12, seed=5)
    case_id = int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'petition' LIMIT 1").fetchone()[0])
    window.open_case(case_id)
    window.activateWindow()
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = window.last_preview
    assert preview is not None and preview.isVisible(), "Ctrl+P previews the open case's form"
    preview.done(0)

    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.dashboard


def tab_through(qtbot, dialog: QDialog, limit: int = 120) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab from where the form opens until the focus comes round again; the widgets visited."""
    dialog.activateWindow()

    def focused_in_form() -> bool:
        here = QApplication.focusWidget()
        return here is not None and here.window() is dialog

    qtbot.waitUntil(focused_in_form, timeout=2000)
    visited: list[QWidget] = []
    for _ in range(limit):
        here = QApplication.focusWidget()
        assert here is not None and here.window() is dialog, "the focus left the form"
        if visited and here is visited[-1]:  # a date field: Tab goes through 年, 月, 日 first
            qtbot.keyClick(here, Qt.Key.Key_Tab)
            continue
        if visited and here is visited[0]:
            break
        visited.append(here)
        qtbot.keyClick(here, Qt.Key.Key_Tab)
    return visited


def _owner(w: QWidget) -> QWidget:
    """The field a focused part belongs to (a spin box's or an editable combo box's line edit)."""
    parent = w.parentWidget()
    while parent is not None and parent.focusProxy() is w:
        w, parent = parent, parent.parentWidget()
    return w


FORMS: dict[str, Callable[[MainWindow], QDialog]] = {
    "登记信访": lambda w: w.new_petition(),
    "法律援助转介": lambda w: w.new_referral(),
    "调解": lambda w: w.new_mediation(),
    "帮扶户": lambda w: w.new_household(),
    "单位名称": lambda w: w.edit_office(),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_tab_goes_through_each_form_in_reading_order(qtbot, window: MainWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    dialog = FORMS[name](window)
    visited = tab_through(qtbot, dialog)
    first = visited[0]
    assert not isinstance(first, (QAbstractButton, QScrollArea)), f"{name} opens on {type(first).__name__}"
    boxes = [b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons() if b.isVisible()]
    fields = [w for w in visited if w not in boxes]
    assert visited[len(fields):] == [b for b in visited if b in boxes] and boxes, "the dialog's buttons come last"
    every = [w for w in dialog.findChildren(QWidget)
             if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
             and not isinstance(w, QScrollArea)]
    missed = [type(w).__name__ for w in every if w not in visited]
    assert not missed, f"{name}: never reached with Tab: {missed}"
    tops = [_owner(w).mapTo(dialog, QPoint(0, 0)).y() for w in fields]
    backwards = [(i, a, b) for i, (a, b) in enumerate(zip(tops, tops[1:], strict=False)) if b < a - 12]
    assert not backwards, f"{name}: Tab jumps back up the form at {backwards}"
    dialog.done(0)


def test_tab_in_a_long_text_field_moves_on(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.new_petition()
    form.facts.setFocus()
    qtbot.keyClick(form.facts, Qt.Key.Key_Tab)
    assert "\t" not in form.facts.toPlainText() and not form.facts.hasFocus()
    form.reject()


def test_sign_in_opens_on_the_field_to_fill(qtbot, tmp_path: Path, office_app: QApplication) -> None:  # type: ignore[no-untyped-def]
    first = FirstStartDialog(tmp_path / "新 数据" / "fulian.db")
    qtbot.addWidget(first)
    first.show()
    first.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first.level, timeout=2000)  # 本单位是: the first thing she answers
    login = LoginDialog(tmp_path / "fulian.db")
    qtbot.addWidget(login)
    login.show()
    login.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is login.username, timeout=2000)


# --- 1366×768 ------------------------------------------------------------------------------------------------


WINDOWS: dict[str, Callable[[MainWindow], QWidget | None]] = {
    **FORMS,
    "走访记录": lambda w: w.log_visit(int(w.ctx.db.execute(
        "SELECT id FROM cases WHERE kind = 'household' LIMIT 1").fetchone()[0])),
    "打印预览": lambda w: w.print_case(int(w.ctx.db.execute(
        "SELECT id FROM cases WHERE kind = 'petition' LIMIT 1").fetchone()[0])),
    "维护列表": lambda w: (w.edit_lists(), QApplication.activeModalWidget())[1],
    "机构名录": lambda w: w.edit_organisations(),
    "调解员名册": lambda w: w.edit_mediators(),
    "关于": lambda w: w.about(),
    "账号管理": lambda w: w.security.open_accounts() if w.security else None,
    "审计日志": lambda w: w.security.open_audit() if w.security else None,
    "导入台账": lambda w: w.reports.import_registers(),
    "关爱对象名单": lambda w: w.edit_care_lists(),
    "备份到U盘": lambda w: w.backups.open_backup() if hasattr(w, "backups") else None,
    "备份密码与设置": lambda w: w.backups.open_settings() if hasattr(w, "backups") else None,
    "从备份恢复": lambda w: w.backups.open_restore() if hasattr(w, "backups") else None,
    "修改密码": lambda w: w.security.change_password() if w.security else None,
}


def test_every_window_fits_a_1366x768_screen(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    demo.generate(ctx, 400, seed=3)  # a busy start page: many clocks running, visits due
    window.refresh()
    needs = window.minimumSizeHint()
    assert needs.width() <= MAIN_ROOM.width() and needs.height() <= MAIN_ROOM.height()
    for kind in ("petition", "referral", "mediation", "household"):  # each kind's case page in the main window
        case_id = int(ctx.db.execute("SELECT id FROM cases WHERE kind = ? LIMIT 1", [kind]).fetchone()[0])
        window.open_case(case_id)
        needs = window.minimumSizeHint()
        assert needs.width() <= MAIN_ROOM.width() and needs.height() <= MAIN_ROOM.height(), (kind, needs)
    too_big = []
    for name, make in (("首次使用", lambda: FirstStartDialog(ctx.path.with_name("新.db"))),
                       ("登录", lambda: LoginDialog(ctx.path)),
                       ("管理员窗口", lambda: AdminWindow(ctx))):
        w = make()
        qtbot.addWidget(w)
        needs = w.minimumSizeHint().expandedTo(w.minimumSize())
        if needs.width() > ROOM.width() or needs.height() > ROOM.height():
            too_big.append(f"{name} needs {needs.width()}×{needs.height()}")
    for name, opener in WINDOWS.items():
        w = opener(window)
        if w is None:
            continue
        needs = w.minimumSizeHint().expandedTo(w.minimumSize())
        if needs.width() > ROOM.width() or needs.height() > ROOM.height():
            too_big.append(f"{name} needs {needs.width()}×{needs.height()}")
        if isinstance(w, QDialog):
            w.done(0)
    assert not too_big, too_big


def test_a_window_larger_than_the_screen_is_shrunk_onto_it(qtbot, office_app: QApplication) -> None:  # type: ignore[no-untyped-def]
    d = QDialog()
    qtbot.addWidget(d)
    room = application.usable_size(d)
    d.resize(room.width() + 300, room.height() + 200)
    d.show()  # the start-up's filter fits it the first time it is shown
    assert d.width() <= room.width() and d.height() <= room.height()
    area = d.screen().availableGeometry()
    assert area.contains(d.geometry().topLeft())
