"""As a user: the first start (with the recovery key shown once), signing in (a wrong password, the
lock-out, a password the administrator set), the screen locking itself after two idle seconds with the
typing in an open form kept, ID numbers cleared from the clipboard, the administrator's accounts dialog,
the 主任's audit viewer, and the administrator's own window without cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.gui.security.lock import ClipboardGuard, LockScreen, holds_id_number
from fulian_desktop.gui.security.sign_in import (
    ChangePasswordDialog,
    FirstStartDialog,
    LoginDialog,
    RecoveryDialog,
)
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, audit, cases
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF, TEST_PASSWORD, Clock
from .qt_input import type_text

FACTS = "丈夫酒后多次殴打，上周在村口再次动手。"


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_forgotten_password_is_reset_with_the_recovery_key(qtbot, tmp_path: Path, clock: Clock,  # type: ignore[no-untyped-def]
                                                             said: list[str]) -> None:
    path = tmp_path / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock, kdf=CHEAP_KDF)
    started.ctx.close()
    d = RecoveryDialog(path, clock=clock)
    qtbot.addWidget(d)
    d.show()
    qtbot.keyClicks(d.key, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")  # not the office's key
    qtbot.keyClicks(d.username, "wangxl")
    qtbot.keyClicks(d.new_password, "new-secret-77")
    qtbot.keyClicks(d.new_password2, "new-secret-78")
    click(qtbot, d.ok_button)
    assert "不一样" in d.form.boxes["new_password2"].error() and d.isVisible() and d.ctx is None
    d.new_password2.clear()
    qtbot.keyClicks(d.new_password2, "new-secret-77")
    click(qtbot, d.ok_button)
    assert "恢复密钥不正确" in d.form.boxes["recovery_key"].error()  # the wrong key: said next to it
    assert d.isVisible() and d.ctx is None and not d.form.boxes["new_password2"].error()
    assert d.username.text() == "wangxl" and d.new_password.text() == "new-secret-77"
    d.key.clear()
    qtbot.keyClicks(d.key, started.recovery_key)
    with qtbot.waitSignal(d.accepted):
        click(qtbot, d.ok_button)
    assert not said and d.ctx is not None and d.ctx.user is not None and d.ctx.user.username == "wangxl"
    d.ctx.close()
    accounts.sign_in(path, "wangxl", "new-secret-77", clock=clock).close()


def test_first_start_then_the_recovery_key_once(qtbot, tmp_path: Path, clock: Clock, said: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fulian.db"
    d = FirstStartDialog(path, clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    d.show()
    assert not d.old_data_note.isVisible()
    type_text(qtbot, d.county, "东山县")  # 单位名称 filled in: 东山县妇联
    type_text(qtbot, d.display_name, "王秀兰")
    qtbot.keyClicks(d.username, "wangxl")
    qtbot.keyClicks(d.password, "dongshan-2026")
    qtbot.keyClicks(d.password2, "dongshan-2025")
    click(qtbot, d.create_button)
    assert "不一样" in d.form.boxes["password2"].error() and d.pages.currentIndex() == 0
    assert accounts.needs_setup(path)
    d.password2.clear()
    qtbot.keyClicks(d.password2, "dongshan-2026")
    click(qtbot, d.create_button)
    assert d.pages.currentIndex() == 1
    shown = d.key_label.text().replace("\n", " ")
    assert keys.normalize_recovery_key(shown) == keys.normalize_recovery_key(d.recovery_key)
    assert not d.start_button.isEnabled()
    d.reject()  # closing without confirming is refused: the key is shown only this once
    assert d.isVisible() and said and "恢复密钥" in said[-1]
    click(qtbot, d.print_button)
    assert d.last_preview is not None and d.last_preview.document.pageCount() == 1
    d.last_preview.close()
    d.saved_check.setChecked(True)
    with qtbot.waitSignal(d.accepted):
        click(qtbot, d.start_button)
    assert d.ctx is not None and d.ctx.user is not None and d.ctx.roles == {"admin", "director"}
    d.ctx.close()
    assert d.password.text() == "" and not accounts.needs_setup(path)


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "office.db"
    ctx, _key, _aside = accounts.set_up(path, [
        ("wangxl", "王秀兰", frozenset({"admin", "director"}), "dongshan-2026", False),
        ("lili", "李丽", frozenset({"window"}), "first-pass-1", True),
        ("admin2", "张管理", frozenset({"admin"}), "admin-pass-2", False),
    ], clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    return path


def test_login_wrong_password_lock_out_and_a_new_password(qtbot, office: Path, clock: Clock, said: list[str]) -> None:  # type: ignore[no-untyped-def]
    d = LoginDialog(office, clock=clock)
    qtbot.addWidget(d)
    d.show()
    d.username.setText("lili")
    for _ in range(4):
        qtbot.keyClicks(d.password, "wrong-one")
        click(qtbot, d.login_button)
        assert d.isVisible() and d.password.text() == ""
        assert "用户名或密码不正确" in d.message.text()
    qtbot.keyClicks(d.password, "wrong-one")
    click(qtbot, d.login_button)
    assert "锁定" in d.message.text()
    qtbot.keyClicks(d.password, "first-pass-1")
    click(qtbot, d.login_button)
    assert "锁定" in d.message.text() and d.ctx is None
    clock.now += dt.timedelta(minutes=16)
    qtbot.keyClicks(d.password, "first-pass-1")
    click(qtbot, d.login_button)
    change = d.last_dialog
    assert isinstance(change, ChangePasswordDialog) and change.isVisible()  # a password the administrator set
    qtbot.keyClicks(change.old, "first-pass-1")
    qtbot.keyClicks(change.new, "lili-own-pass")
    qtbot.keyClicks(change.new2, "lili-own-pass")
    with qtbot.waitSignal(d.accepted):
        click(qtbot, change.ok_button)
    assert d.ctx is not None and d.ctx.user is not None and not d.ctx.user.must_change
    d.ctx.close()
    accounts.sign_in(office, "lili", "lili-own-pass", clock=clock).close()


def test_the_screen_locks_after_two_idle_seconds_and_keeps_the_typing(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.security is not None
    lock = window.security.lock
    lock.set_timeout_ms(2000)
    form = window.new_petition()
    type_text(qtbot, form.petitioner.name, "张三")
    qtbot.keyClicks(form.petitioner.phone, "13800138000")
    type_text(qtbot, form.facts, FACTS)
    assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked, timeout=4000)
    # the content is gone from the screen, the form is hidden (not closed), the menus are off
    assert isinstance(window.centralWidget(), LockScreen)
    assert not form.isVisible() and not window.menuBar().isVisible()
    assert not window.ui.actionNewPetition.isEnabled()
    screen = window.centralWidget()
    assert isinstance(screen, LockScreen) and "测试员" in screen.who.text()
    qtbot.keyClicks(screen.password, "not-my-password")
    click(qtbot, screen.unlock_button)
    assert lock.is_locked and "密码不正确" in screen.message.text()
    qtbot.keyClicks(screen.password, TEST_PASSWORD)
    click(qtbot, screen.unlock_button)
    assert not lock.is_locked
    assert window.centralWidget() is not screen and window.tabs.isVisible() and window.menuBar().isVisible()
    assert form.isVisible() and window.ui.actionNewPetition.isEnabled()
    assert form.petitioner.name.text() == "张三" and form.petitioner.phone.text() == "13800138000"
    assert form.facts.toPlainText() == FACTS
    events = [e.event for e in audit_store.page(ctx.db, audit_store.AuditFilter(), limit=10)]
    assert events[:3] == ["unlock", "unlock.failed", "lock"]
    form.close()


def test_an_id_number_copied_is_cleared_from_the_clipboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    number = make_id_number("430999", dt.date(1990, 5, 6), 12, female=True)
    assert holds_id_number(f"身份证号：{number}") and not holds_id_number("13800138000")
    guard = ClipboardGuard(seconds=0.3)
    clipboard = QGuiApplication.clipboard()
    with qtbot.waitSignal(guard.cleared, timeout=3000):
        clipboard.setText(number)
    assert clipboard.text() == ""
    clipboard.setText(number)
    clipboard.setText("东山镇石桥村3组")  # something else copied since: left alone
    qtbot.wait(500)
    assert clipboard.text() == "东山镇石桥村3组"
    guard.deleteLater()


def test_accounts_dialog(qtbot, office: Path, clock: Clock, said: list[str]) -> None:  # type: ignore[no-untyped-def]
    ctx = accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.security is not None and window.security.accounts_action is not None
    d = window.security.open_accounts()
    assert d.table.rowCount() == 3
    add = d.add()
    name, user = add.form.boxes["display_name"].editor, add.form.boxes["username"].editor
    pw = add.form.boxes["password"].editor
    assert isinstance(name, QLineEdit) and isinstance(user, QLineEdit) and isinstance(pw, QLineEdit)
    type_text(qtbot, name, "赵敏")
    qtbot.keyClicks(user, "zhaomin")
    qtbot.keyClicks(pw, "short")
    click(qtbot, add.ok_button)
    assert add.isVisible() and "至少8位" in add.form.boxes["password"].error()
    qtbot.keyClicks(pw, "-enough-now")
    click(qtbot, add.ok_button)
    assert not add.isVisible() and d.table.rowCount() == 4
    assert d.selected() is not None and d.selected().username == "zhaomin"
    assert "待改密码" in d.table.item(d.table.currentRow(), 3).text()
    d.toggle_active()  # 停用 (the question is answered yes)
    assert "已停用" in d.table.item(d.table.currentRow(), 3).text()
    assert d.toggle_button.text().startswith("启用")
    d.close()
    window.close()
    ctx.close()
    with pytest.raises(accounts.LoginFailed):
        accounts.sign_in(office, "zhaomin", "short-enough-now", clock=clock)


def test_the_directors_audit_viewer(qtbot, office: Path, clock: Clock, said: list[str], tmp_path: Path,  # type: ignore[no-untyped-def]
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.security is not None and window.security.audit_action is not None
    d = window.security.open_audit()
    assert d is not None and d.model.rowCount() >= 3
    d.event.setCurrentIndex(d.event.findData("login"))
    click(qtbot, d.search_button)
    assert d.model.rowCount() >= 1
    assert all(d.model.row_at(r).event == "login" for r in range(d.model.rowCount()))
    d.event.setCurrentIndex(d.event.findData("account."))
    click(qtbot, d.search_button)
    d.table.selectRow(0)
    assert "账号" in d.history.toPlainText() or "新增" in d.history.toPlainText()
    target = tmp_path / "trail.csv"
    monkeypatch.setattr(dialogs, "save_path", lambda *_a, **_k: str(target))
    click(qtbot, d.export_button)
    assert target.read_bytes().decode("utf-8-sig").startswith("序号,时间,用户,事件")
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "")  # no paper checkpoint to type in
    click(qtbot, d.verify_button)
    assert "审计日志完好" in said[-1]
    d.close()
    window.close()
    ctx.close()


def test_the_director_prints_a_checkpoint_and_types_it_back_when_verifying(qtbot, office: Path, clock: Clock,  # type: ignore[no-untyped-def]
                                                                          said: list[str],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    from fulian_desktop.store import audit as audit_store

    ctx = accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    d = window.security.open_audit()
    click(qtbot, d.checkpoint_button)
    preview = d.last_preview
    assert preview is not None
    entry_id, entry_hash = audit_store.head(ctx.db)
    text = pypdfium2.PdfDocument(preview.pdf).get_page(0).get_textpage().get_text_range()
    code = next(line.strip() for line in text.splitlines() if line.strip().startswith(f"{entry_id - 1}-")
                or line.strip().startswith(f"{entry_id}-"))
    preview.close()
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: code)  # typed back from the paper
    click(qtbot, d.verify_button)
    assert "审计日志完好" in said[-1] and "纸质核对码" in said[-1]
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "12-ABCD")
    click(qtbot, d.verify_button)
    assert "核对码" in said[-1] and "格式不对" in said[-1]
    d.close()
    window.close()
    ctx.close()


def test_an_administrator_without_a_case_role_gets_no_cases(qtbot, office: Path, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.gui.security.admin_window import AdminWindow

    ctx = accounts.sign_in(office, "admin2", "admin-pass-2", clock=clock)
    assert not ctx.may("cases.list")
    with pytest.raises(PermissionDenied):
        cases.page(ctx, CaseFilter())
    with pytest.raises(PermissionDenied):
        audit.page(ctx, audit_store.AuditFilter())
    window = AdminWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.security is not None and window.security.audit_action is None
    assert window.security.verify_action is not None and window.security.accounts_action is not None
    d = window.security.open_accounts()
    assert d.table.rowCount() == 3
    d.close()
    window.close()
    ctx.close()


@pytest.mark.parametrize("role", ["window", "mediator", "director"])
def test_each_case_role_gets_a_working_window(qtbot, tmp_path: Path, clock: Clock, role: str) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.domain.records import Person, Petition
    from fulian_desktop.services import petitions

    path = tmp_path / "roles.db"
    owner, _key, _aside = accounts.set_up(path, [
        ("owner", "主任甲", frozenset({"admin", "director"}), "owner-pass-1", False),
        (role, "同事乙", frozenset({role}), "staff-pass-1", False),
    ], clock=clock, kdf=CHEAP_KDF)
    case_id, _ = petitions.register(owner, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟", phone="13907341234"), concerned=None, category="其他", subcategory="",
        facts="咨询", request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))
    owner.close()
    ctx = accounts.sign_in(path, role, "staff-pass-1", clock=clock)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.case_list.model.rowCount() == 1
    assert window.security is not None
    assert (window.security.audit_action is not None) == (role == "director")
    assert window.security.accounts_action is None
    view = window.open_case(case_id)  # every case role may read petitions
    assert view is not None
    views = [e for e in audit_store.page(ctx.db, audit_store.AuditFilter(event="case.view"))]
    assert [(e.actor, e.case_id) for e in views] == [(role, case_id)]
    window.close()
    ctx.close()


def test_first_start_on_an_old_unencrypted_database(qtbot, tmp_path: Path, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.services.context import open_context
    from fulian_desktop.store.connection import file_state

    path = tmp_path / "fulian.db"
    open_context(path).close()  # made by an earlier version: no accounts, not encrypted
    d = FirstStartDialog(path, clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    d.show()
    assert d.old_data_note.isVisible() and "before-encryption" in d.old_data_note.text()
    type_text(qtbot, d.county, "东山县")  # 单位名称 filled in: 东山县妇联
    type_text(qtbot, d.display_name, "王秀兰")
    qtbot.keyClicks(d.username, "wangxl")
    qtbot.keyClicks(d.password, "dongshan-2026")
    qtbot.keyClicks(d.password2, "dongshan-2026")
    click(qtbot, d.create_button)
    assert d.pages.currentIndex() == 1 and d.set_aside_note.isVisible()
    assert file_state(path) == "encrypted" and file_state(tmp_path / "fulian.db.before-encryption") == "plain"
    assert d.ctx is not None
    qtbot.mouseClick(d.saved_check, Qt.MouseButton.LeftButton)  # the key written down: the window may close
    click(qtbot, d.start_button)
    assert not d.isVisible()
    d.ctx.close()


def test_the_wait_cursor_shows_while_she_waits_and_goes_before_any_message(  # type: ignore[no-untyped-def]
        qtbot, office: Path, ctx: Context, clock: Clock, said: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing in, the statistics and printing can take a second on an old office PC: the wait cursor shows
    meanwhile, and the arrow is back before the outcome (a message, the next window)."""
    from PySide6.QtWidgets import QApplication

    from fulian_desktop.services import printing
    from fulian_desktop.services import statistics as statistics_service

    def cursor() -> Qt.CursorShape | None:
        c = QApplication.overrideCursor()
        return c.shape() if c is not None else None

    seen: list[object] = []

    def watching(service):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(cursor())
            return service(*args, **kwargs)
        return run

    monkeypatch.setattr(accounts, "sign_in", watching(accounts.sign_in))
    d = LoginDialog(office, clock=clock)
    qtbot.addWidget(d)
    d.show()
    d.username.setText("lili")
    qtbot.keyClicks(d.password, "wrong-one")
    click(qtbot, d.login_button)
    assert seen == [Qt.CursorShape.WaitCursor] and cursor() is None
    assert "用户名或密码不正确" in d.message.text()

    from fulian_desktop.demo import generate as demo

    demo.generate(ctx, 20, seed=2)
    monkeypatch.setattr(statistics_service, "compare", watching(statistics_service.compare))
    monkeypatch.setattr(printing, "print_case", watching(printing.print_case))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    seen.clear()
    page = w.reports.show_statistics()
    assert page is not None and seen == [Qt.CursorShape.WaitCursor] and cursor() is None  # counted once
    w.tabs.setCurrentWidget(w.dashboard)
    w.tabs.setCurrentWidget(page)  # back from work elsewhere: counted again
    assert seen == [Qt.CursorShape.WaitCursor] * 2 and cursor() is None
    seen.clear()
    petition = cases.page(ctx, CaseFilter(kind="petition"), limit=1)[0]
    preview = w.print_case(petition.id)
    assert preview is not None and seen == [Qt.CursorShape.WaitCursor] and cursor() is None
    preview.close()
