"""What a clerk does without thinking, done as she does it, with the program's start-up in place (office_app):
Enter in each dialog presses the highlighted main button (登录, not 忘记密码…; 检查备份, not 取消); the mouse
wheel over a drop-down, a number or a date scrolls the form and changes nothing; dates typed as she writes them
(20261206, 2026-12-6, 2026.12.6, 2026/12/6, 2026年12月6日) are read, shown one way, and Tab leaves the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from fulian_desktop.backup import files
from fulian_desktop.domain.dates import parse_date
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.backup.backup_dialog import BackupDialog, BackupSettingsDialog
from fulian_desktop.gui.backup.restore_dialog import RestoreDialog
from fulian_desktop.gui.reports.import_wizard import ImportWizard
from fulian_desktop.gui.security.accounts_dialog import AccountsDialog
from fulian_desktop.gui.security.audit_view import COL_AT, AuditDialog
from fulian_desktop.gui.security.lock import LockScreen
from fulian_desktop.gui.security.sign_in import ChangePasswordDialog, FirstStartDialog, LoginDialog, RecoveryDialog
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.date_field import DateField
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, backup, petitions, settings
from fulian_desktop.services.context import Context

from .conftest import CHEAP_KDF, Clock
from .qt_input import type_text
from .test_gui_backup import PASSWORD, FakeDrives, wait_done
from .test_gui_reports import _register, choose

# --- as she does it ---------------------------------------------------------------------------------------


def focused() -> QWidget:
    here = QApplication.focusWidget()
    assert here is not None, "nothing has the keyboard focus"
    return here


def opened(qtbot: Any, dialog: QWidget) -> None:
    """The dialog on the screen, active, with the focus in it (where the program puts it)."""
    if not dialog.isVisible():
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is dialog, timeout=3000)


def type_keys(qtbot: Any, text: str) -> None:
    """Type into whatever has the focus (Chinese as an input method delivers it)."""
    type_text(qtbot, focused(), text)


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def default_button(dialog: QDialog) -> str:
    """The text of the button drawn as the dialog's default (the one Enter presses)."""
    shown = [b.text() for b in dialog.findChildren(QPushButton) if b.window() is dialog and b.isVisible()
             and b.isDefault()]
    assert len(shown) <= 1, shown
    return shown[0] if shown else ""


@pytest.fixture
def no_qt_warnings(qtlog: Any) -> Any:
    yield
    warned = [r.message for r in qtlog.records if "setTabOrder" in r.message or "same window" in r.message]
    assert not warned, warned


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "office.db"
    ctx, _key, _aside = accounts.set_up(path, [
        ("wangxl", "王秀兰", frozenset({"admin", "director", "window"}), "dongshan-2026", False),
        ("lili", "李丽", frozenset({"window"}), "first-pass-1", True),
    ], clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    return path


# --- 1. Enter presses the main button ------------------------------------------------------------------


def test_enter_signs_in_and_never_opens_the_recovery_window(qtbot: Any, office_app: Any, office: Path,
                                                            clock: Clock, no_qt_warnings: Any) -> None:
    d = LoginDialog(office, clock=clock)
    qtbot.addWidget(d)
    opened(qtbot, d)
    assert focused() is d.username and default_button(d) == "登录"
    type_keys(qtbot, "wangxl")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is d.password
    type_keys(qtbot, "dongshan-2026")
    with qtbot.waitSignal(d.accepted, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    assert d.last_dialog is None, "Enter opened 用恢复密钥重设密码"
    assert d.ctx is not None and d.ctx.user is not None and d.ctx.user.username == "wangxl"
    d.ctx.close()


def test_tab_from_the_password_goes_to_sign_in_before_forgot_password(qtbot: Any, office_app: Any, office: Path,
                                                                      clock: Clock) -> None:
    """With her name remembered, the password has the focus: a clerk who types her name anyway, Tab, the
    password and Enter must not land on 忘记密码… (the button left of 登录), as she did on the real screen."""
    d = LoginDialog(office, clock=clock)
    qtbot.addWidget(d)
    opened(qtbot, d)
    d.password.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(focused(), QPushButton) and focused().text() == "登录"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not d.username


def test_enter_in_the_recovery_and_the_new_password_windows(qtbot: Any, office_app: Any, tmp_path: Path,
                                                            clock: Clock, said: list[str],
                                                            no_qt_warnings: Any) -> None:
    path = tmp_path / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock, kdf=CHEAP_KDF)
    ctx = started.ctx
    accounts.add_account(ctx, "lili", "李丽", {"window"}, "first-pass-1")
    ctx.close()

    login = LoginDialog(path, clock=clock)
    qtbot.addWidget(login)
    opened(qtbot, login)
    qtbot.mouseClick(login.forgot_button, Qt.MouseButton.LeftButton)  # 忘记密码… on purpose
    recovery = login.last_dialog
    assert isinstance(recovery, RecoveryDialog)
    opened(qtbot, recovery)
    assert default_button(recovery) == "重设密码并登录" and default_button(login) == "登录"
    recovery.key.setFocus()
    type_keys(qtbot, started.recovery_key)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "wangxl")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "new-secret-77")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "new-secret-77")
    with qtbot.waitSignal(login.accepted, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    assert login.ctx is not None and login.ctx.user is not None and login.ctx.user.username == "wangxl"
    login.ctx.close()

    # a password the administrator set: the new-password window, Enter there
    again = LoginDialog(path, clock=clock)
    qtbot.addWidget(again)
    opened(qtbot, again)
    type_keys(qtbot, "lili")  # (the last user's name is filled in: the focus is on the password then)
    if focused() is again.username:
        press(qtbot, Qt.Key.Key_Tab)
    else:
        again.username.setText("lili")
        again.password.setFocus()
    type_keys(qtbot, "first-pass-1")
    press(qtbot, Qt.Key.Key_Return)
    change = again.last_dialog
    assert isinstance(change, ChangePasswordDialog)
    opened(qtbot, change)
    assert default_button(change) == "确定"
    type_keys(qtbot, "first-pass-1")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "lili-own-pass")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "lili-own-pass")
    with qtbot.waitSignal(again.accepted, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    assert again.ctx is not None
    again.ctx.close()
    accounts.sign_in(path, "lili", "lili-own-pass", clock=clock).close()


def test_enter_through_the_first_start(qtbot: Any, office_app: Any, tmp_path: Path, clock: Clock,
                                       said: list[str], no_qt_warnings: Any) -> None:
    d = FirstStartDialog(tmp_path / "fulian.db", clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    opened(qtbot, d)
    assert focused() is d.level and default_button(d) == "完成设置"
    press(qtbot, Qt.Key.Key_Tab)  # 县妇联 as it stands
    type_keys(qtbot, "东山县")
    press(qtbot, Qt.Key.Key_Tab)  # the township's field is not there for the county: to 单位名称, filled in
    assert focused() is d.office and d.office.text() == "东山县妇联"
    press(qtbot, Qt.Key.Key_Tab)
    for text in ("王秀兰", "wangxl", "dongshan-2026"):
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "dongshan-2026")
    press(qtbot, Qt.Key.Key_Return)
    assert d.pages.currentIndex() == 1 and d.ctx is not None, "Enter did not press 完成设置"
    assert not said, said  # not 从备份恢复…, not 退出
    qtbot.mouseClick(d.saved_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: default_button(d) == "开始使用", timeout=2000)  # this page's main button
    with qtbot.waitSignal(d.accepted, timeout=3000):
        press(qtbot, Qt.Key.Key_Return)
    d.ctx.close()


def signed_in(office: Path, clock: Clock) -> Context:
    return accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)


def test_enter_on_the_lock_screen_unlocks(qtbot: Any, office_app: Any, office: Path, clock: Clock,
                                          no_qt_warnings: Any) -> None:
    ctx = signed_in(office, clock)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    assert window.security is not None
    window.security.lock.lock()
    screen = window.centralWidget()
    assert isinstance(screen, LockScreen) and focused() is screen.password
    type_keys(qtbot, "dongshan-2026")
    press(qtbot, Qt.Key.Key_Return)
    assert not window.security.lock.is_locked
    window.close()
    ctx.close()


def test_enter_in_the_accounts_dialogs_windows(qtbot: Any, office_app: Any, office: Path, clock: Clock,
                                               said: list[str], no_qt_warnings: Any) -> None:
    ctx = signed_in(office, clock)
    d = AccountsDialog(ctx)
    qtbot.addWidget(d)
    opened(qtbot, d)
    add = d.add()
    opened(qtbot, add)
    assert isinstance(add, QDialog) and default_button(add) == "确定"
    type_keys(qtbot, "赵敏")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "zhaomin")
    qtbot.mouseClick(add.form.boxes["password"].editor, Qt.MouseButton.LeftButton)  # past the roles
    type_keys(qtbot, "temp-pass-123")
    press(qtbot, Qt.Key.Key_Return)
    assert not add.isVisible() and "zhaomin" in [a.username for a in accounts.list_accounts(ctx)]
    reset = d.reset_password()
    assert reset is not None
    opened(qtbot, reset)
    type_keys(qtbot, "another-pass-9")
    press(qtbot, Qt.Key.Key_Return)
    assert not reset.isVisible()
    d.close()
    ctx.close()
    accounts.sign_in(office, "zhaomin", "another-pass-9", clock=clock).close()


def test_enter_in_the_backup_windows(qtbot: Any, office_app: Any, ctx: Context, tmp_path: Path,
                                     said: list[str], no_qt_warnings: Any) -> None:
    settings.set_office_name(ctx, "东山县妇联")
    s = BackupSettingsDialog(ctx)
    qtbot.addWidget(s)
    opened(qtbot, s)
    assert default_button(s) == "保存"
    type_keys(qtbot, PASSWORD)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, PASSWORD)
    with qtbot.waitSignal(s.accepted, timeout=3000):
        press(qtbot, Qt.Key.Key_Return)
    assert backup.status(ctx).has_password

    stick = tmp_path / "E"
    stick.mkdir()
    b = BackupDialog(ctx, drive_list=FakeDrives(stick))
    qtbot.addWidget(b)
    opened(qtbot, b)
    assert default_button(b) == "开始备份"
    press(qtbot, Qt.Key.Key_Return)
    wait_done(qtbot, b)
    assert "备份完成" in b.result.text() and len(list((stick / files.FOLDER).iterdir())) == 1
    b.close()

    r = RestoreDialog(ctx, tmp_path / "elsewhere.db", drive_list=FakeDrives(stick))
    qtbot.addWidget(r)
    opened(qtbot, r)
    assert default_button(r) == "检查备份"
    r.password.setFocus()
    type_keys(qtbot, PASSWORD)
    press(qtbot, Qt.Key.Key_Return)
    wait_done(qtbot, r)
    assert "已取消" not in r.choose_error.text(), r.choose_error.text()
    assert r.pages.currentIndex() == 2 and r.values["office"].text() == "东山县妇联"  # checked, shown
    qtbot.waitUntil(lambda: default_button(r) == "恢复", timeout=2000)  # this page's main button, greyed …
    r.confirm.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert r.isVisible() and r.pages.currentIndex() == 2  # … until she confirms
    press(qtbot, Qt.Key.Key_Space)
    assert r.confirm.isChecked()
    with qtbot.waitSignal(r.restored, timeout=10000) as got:
        press(qtbot, Qt.Key.Key_Return)
    assert got.args[0] is not None and not r.isVisible()  # restored (the program then signs in again)


def register_petition(ctx: Context) -> int:
    case_id, _ = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟", phone="13907341234"), concerned=None, category="其他", subcategory="",
        facts="咨询", request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))
    return case_id


def test_enter_in_a_case_action_and_the_note_window(qtbot: Any, office_app: Any, ctx: Context,
                                                    said: list[str], no_qt_warnings: Any) -> None:
    case_id = register_petition(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert view is not None
    accept = view.make_accept_dialog()
    accept.open()
    opened(qtbot, accept)
    assert default_button(accept) == "确定"
    press(qtbot, Qt.Key.Key_Return)  # the dates are today's: Enter is enough
    assert not accept.isVisible() and petitions.get(ctx, case_id).accepted_on == ctx.today()

    note = view.make_note_dialog()
    note.open()
    opened(qtbot, note)
    type_keys(qtbot, "电话回访，情况稳定。")
    press(qtbot, Qt.Key.Key_Return)  # in a text of several lines Enter starts a new line …
    assert note.isVisible()
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # … and Ctrl+Enter presses 确定
    assert not note.isVisible()
    timeline = [view.timeline.item(i).text() for i in range(view.timeline.count())]
    assert any("电话回访" in t for t in timeline)
    assert any("受理日期2026年3月10日" in t for t in timeline), timeline  # dates written one way
    window.close()


def test_enter_through_the_import_wizard(qtbot: Any, office_app: Any, ctx: Context, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _register(tmp_path / "台账.xlsx")
    monkeypatch.setattr(dialogs, "open_path", lambda *a, **k: str(path))
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, **k: asked.append(text) or True)
    monkeypatch.setattr(dialogs, "inform", lambda *a, **k: None)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    opened(qtbot, wizard)
    qtbot.mouseClick(wizard.choose_button, Qt.MouseButton.LeftButton)
    wizard.kind.setFocus()  # (Tab to 类型 after choosing the file)
    assert default_button(wizard) == "下一步"
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.stack.currentIndex() == 1
    choose(wizard.combos["channel"], "全部填为“来访”")
    wizard.combos["channel"].setFocus()
    qtbot.waitUntil(lambda: default_button(wizard) == "检查每一行", timeout=2000)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.stack.currentIndex() == 2
    qtbot.waitUntil(lambda: default_button(wizard) == "导入2条记录", timeout=2000)  # the last step's main button
    wizard.preview.setFocus()
    with qtbot.waitSignal(wizard.imported):
        press(qtbot, Qt.Key.Key_Return)
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 2


# --- 2. the mouse wheel scrolls the form -------------------------------------------------------------------


def wheel(target: QWidget, notches: int = -1) -> None:
    """Turn the wheel with the pointer over `target` (down for a negative number): the event the window
    system gives the control. (Over an editable drop-down's text Qt gives it to the line inside, which passes
    it on to the drop-down; events made in a test are not passed on, so the test gives it to the control.)"""
    centre = target.rect().center()
    event = QWheelEvent(QPointF(centre), QPointF(target.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)


VALUE_CONTROLS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def shown_values(dialog: QDialog) -> dict[int, Any]:
    """What every drop-down, number and date of the dialog shows."""
    found: dict[int, Any] = {}
    for w in dialog.findChildren(QWidget):
        if isinstance(w, QComboBox):
            found[id(w)] = (w.currentIndex(), w.currentText())
        elif isinstance(w, (QAbstractSpinBox, QLineEdit)):
            found[id(w)] = w.text()
        elif isinstance(w, QAbstractSlider) and not isinstance(w, QScrollBar):
            found[id(w)] = w.value()
    return found


FORMS = {
    "登记信访": lambda w: w.new_petition(),
    "法律援助转介": lambda w: w.new_referral(),
    "调解": lambda w: w.new_mediation(),
    "帮扶户": lambda w: w.new_household(),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_the_wheel_over_a_drop_down_scrolls_the_form_and_changes_nothing(qtbot: Any, office_app: Any, ctx: Context,
                                                                         name: str) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = FORMS[name](window)
    form.resize(form.width(), 600)  # a 1366×768 screen: the form scrolls
    opened(qtbot, form)
    areas = [a for a in form.findChildren(QScrollArea) if a.widget() is not None and a.verticalScrollBar().maximum()]
    assert areas, f"{name}: nothing to scroll"
    area = areas[0]
    bar = area.verticalScrollBar()
    controls = [w for w in area.widget().findChildren(QWidget) if isinstance(w, VALUE_CONTROLS)
                and not isinstance(w, QScrollBar) and w.isVisibleTo(form) and w.isEnabled()]
    assert len(controls) >= 3, name
    before = shown_values(form)
    for control in controls:
        if control.hasFocus():
            continue
        bar.setValue(0)
        wheel(control)  # down: the form moves on, the value stays
        assert bar.value() > 0, f"{name}: the wheel over {type(control).__name__} did not scroll the form"
        wheel(control, 1)
    assert shown_values(form) == before, f"{name}: the wheel changed a value"
    # the drop-down she has just used (it has the focus): the wheel still only scrolls
    combo = next(c for c in controls if isinstance(c, QComboBox))
    combo.setFocus()
    bar.setValue(0)
    wheel(combo)
    wheel(combo)
    assert shown_values(form) == before and bar.value() > 0
    form.done(0)


def test_the_wheel_leaves_the_relation_alone(qtbot: Any, office_app: Any, ctx: Context) -> None:
    """The report: scrolling the petition form turned 与当事人关系 into 兄弟姐妹."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    form.resize(form.width(), 600)
    opened(qtbot, form)
    relation = form.respondent_relation
    bar = next(a for a in form.findChildren(QScrollArea) if a.isAncestorOf(relation)).verticalScrollBar()
    bar.setValue(0)
    for _ in range(3):
        wheel(relation)
    assert relation.currentText() == "" and bar.value() > 0
    form.done(0)


# --- 9. dates as she writes them -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["20260306", "2026-3-6", "2026-03-06", "2026.3.6", "2026/3/6", "2026年3月6日",
                                   "２０２６．３．６", "2026年3月6号"])
def test_a_date_is_read_as_people_write_it(typed: str) -> None:
    assert parse_date(typed) == dt.date(2026, 3, 6)


def test_typed_dates_are_read_shown_one_way_and_one_tab_leaves(qtbot: Any, office_app: Any, ctx: Context) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    opened(qtbot, form)
    field = form.received_on
    assert isinstance(field, DateField) and field.text() == "2026年3月10日"  # today, written as on paper
    for typed in ("20260306", "2026-3-6", "2026.3.6", "2026/3/6", "2026年3月6日"):
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        field.selectAll()
        type_keys(qtbot, typed)
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is not field and not field.isAncestorOf(focused()), "one Tab leaves the date"
        assert field.text() == "2026年3月6日", typed
        assert field.date_or_error() == (dt.date(2026, 3, 6), "") and not form.form.boxes["received_on"].error()

    # what cannot be read: said next to the field, kept as typed, not saved
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    type_keys(qtbot, "2026-13-5")
    press(qtbot, Qt.Key.Key_Tab)
    box = form.form.boxes["received_on"]
    assert field.text() == "2026-13-5" and "这一天不存在" in box.error() and box.message.isVisible()
    field.setFocus()
    field.selectAll()
    type_keys(qtbot, "2026年4月1日")  # later than today
    press(qtbot, Qt.Key.Key_Tab)
    assert "不能晚于2026年3月10日" in box.error() and field.text() == "2026年4月1日"
    form.save()
    assert form.isVisible() and "不能晚于" in box.error() and field.text() == "2026年4月1日"
    assert ctx.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    field.setFocus()
    field.selectAll()
    type_keys(qtbot, "20260309")
    press(qtbot, Qt.Key.Key_Tab)
    assert field.text() == "2026年3月9日" and not box.error()

    # the calendar: F4 opens it under the field, a click on a day puts it in
    field.setFocus()
    press(qtbot, Qt.Key.Key_F4)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == QDate(2026, 3, 9)
    popup.calendar.setSelectedDate(QDate(2026, 3, 2))
    popup.calendar.clicked.emit(QDate(2026, 3, 2))
    assert not popup.isVisible() and field.text() == "2026年3月2日"

    # Enter in the form presses 保存登记: what is missing is said, nothing is saved
    assert default_button(form) == "保存登记"
    field.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert form.isVisible() and "需要修改" in form.summary.text()
    assert ctx.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    form.done(0)


def test_an_unreadable_date_stops_a_case_action_and_says_why(qtbot: Any, office_app: Any, ctx: Context,
                                                             said: list[str]) -> None:
    case_id = register_petition(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert view is not None
    accept = view.make_accept_dialog()
    accept.open()
    opened(qtbot, accept)
    field = focused()
    assert isinstance(field, DateField)
    field.selectAll()
    type_keys(qtbot, "3月5日")  # no year: not guessed
    press(qtbot, Qt.Key.Key_Return)
    assert accept.isVisible() and field.text() == "3月5日"
    assert "看不出是哪一天" in accept.form.boxes["accepted_on"].error()
    assert petitions.get(ctx, case_id).accepted_on is None
    field.selectAll()
    type_keys(qtbot, "2026.3.5")
    press(qtbot, Qt.Key.Key_Return)
    assert not accept.isVisible() and petitions.get(ctx, case_id).accepted_on == dt.date(2026, 3, 5)
    window.close()


def test_no_qt_date_box_is_left_in_the_window_code() -> None:
    """Qt's own date box stops Tab at its year, its month and its day: every date is a DateField."""
    gui = Path(DateField.__module__.replace(".", "/")).parent.parent
    root = Path(__file__).resolve().parent.parent / gui
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "generated" not in p.parts and ("QDateEdit(" in p.read_text() or "QDateTimeEdit(" in p.read_text())]
    assert not offenders


def test_times_on_screen_are_written_the_office_way(qtbot: Any, office_app: Any, office: Path, clock: Clock) -> None:
    ctx = signed_in(office, clock)
    accounts_window = AccountsDialog(ctx)
    qtbot.addWidget(accounts_window)
    shown = {accounts_window.table.item(r, 1).text(): accounts_window.table.item(r, 4).text()
             for r in range(accounts_window.table.rowCount())}
    assert shown["wangxl"] == "2026年3月10日 09:30"  # her last sign-in (not 2026-03-10T09:30:00)
    trail = AuditDialog(ctx)
    qtbot.addWidget(trail)
    assert trail.model.index(0, COL_AT).data() == "2026年3月10日 09:30:00"
    ctx.close()


def _answer_with(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    """Press `key` in the question box as soon as it is shown (it runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        qtbot.keyClick(box, key)

    QTimer.singleShot(20, press)


@pytest.mark.parametrize(("key", "safe_is_yes", "expected"), [
    (Qt.Key.Key_Return, False, False),  # Enter on 放弃已输入的内容吗？ keeps what she typed
    (Qt.Key.Key_Escape, False, False),
    (Qt.Key.Key_Return, True, True),  # Enter on 隐去身份证号？ hides them
    (Qt.Key.Key_Escape, True, False),
])
def test_enter_in_a_question_gives_the_safe_answer(qtbot, key, safe_is_yes, expected) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from fulian_desktop.gui.shell import dialogs

    parent = QWidget()
    qtbot.addWidget(parent)
    _answer_with(qtbot, key)
    assert dialogs.ask(parent, "放弃", "放弃已输入的内容吗？", "放弃", "继续填写", safe_is_yes=safe_is_yes) is expected


def test_every_menu_of_the_main_window_has_its_own_alt_letter(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Alt+S opened 设置 and never 账号与安全, which had the same letter."""
    import re

    from fulian_desktop.gui.shell.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions() if a.text()]
    letters = [m.group(1).upper() for t in titles if (m := re.search(r"\(&(\w)\)", t))]
    assert len(letters) == len(titles), titles  # every menu can be reached with Alt
    assert len(set(letters)) == len(letters), titles


def test_the_case_lists_due_column_shows_what_is_due_whole(qtbot, office_app, ctx) -> None:  # type: ignore[no-untyped-def]
    """告知是否受理 2026年12月20日 was cut to 告知是否受理 2026年… at 1366×768."""
    from fulian_desktop.domain.records import Person, Petition
    from fulian_desktop.gui.cases.case_list import CaseListPage
    from fulian_desktop.gui.cases.case_model import COL_DUE
    from fulian_desktop.services import petitions

    petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
        request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))
    page = CaseListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.apply()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    shown = str(page.model.index(0, COL_DUE).data())
    assert "告知是否受理" in shown and "日" in shown, shown
    needed = page.table.fontMetrics().horizontalAdvance(shown) + 8
    assert page.table.columnWidth(COL_DUE) >= needed, (shown, page.table.columnWidth(COL_DUE), needed)
