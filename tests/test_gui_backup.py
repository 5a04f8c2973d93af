"""As a user: 备份到U盘 from the main window with a (faked) stick proposed, the backup password set the first
time, progress, cancel, a stick that fails, another folder; 从备份恢复 with a wrong and a right password, the
preview of what the backup holds, the restore and signing in again; restoring on a new PC at first start."""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.backup import engine, files, snapshot
from fulian_desktop.backup.drives import Drive
from fulian_desktop.gui.backup.backup_dialog import BackupDialog, Worker
from fulian_desktop.gui.backup.restore_dialog import RestoreDialog
from fulian_desktop.gui.security.sign_in import FirstStartDialog
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, backup, settings
from fulian_desktop.services.context import Context

from .conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock
from .qt_input import type_text
from .test_backup import FailingFile, register

PASSWORD = "dongshan-backup-2026"


class FakeDrives:
    """The drive list the dialogs get instead of QStorageInfo's."""

    def __init__(self, *roots: Path) -> None:
        self.roots = list(roots)

    def removable(self) -> list[Drive]:
        return [Drive(r, "KINGSTON", 14_000_000_000, 15_000_000_000) for r in self.roots]


@pytest.fixture
def office(ctx: Context) -> Context:
    settings.set_office_name(ctx, "东山县妇联")
    for i in range(4):
        register(ctx, i)
    return ctx


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_done(qtbot: Any, d: Any) -> None:
    qtbot.waitUntil(lambda: d.worker is None, timeout=20000)


def test_first_backup_sets_the_password_then_backs_up_to_the_stick(qtbot: Any, office: Context, tmp_path: Path,
                                                                    said: list[str]) -> None:
    stick = tmp_path / "E"
    stick.mkdir()
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.backups.drive_list = FakeDrives(stick)
    window.show()
    assert window.backups.action_backup in window.ui.toolbar.actions()  # one click from the main window
    # from the first day, in red: nothing is backed up yet
    assert window.dashboard.backup_label.isVisible()
    assert window.dashboard.backup_label.text() == "还没有备份到U盘，请尽快备份"
    assert "#a61b1b" in window.dashboard.backup_label.styleSheet()
    window.backups.action_backup.trigger()
    d = window.backups.last_dialog
    assert isinstance(d, BackupDialog)
    assert d.places.count() == 1 and d.target() == stick / files.FOLDER  # the stick is proposed
    assert not d.password_note.isHidden() and not d.start_button.isEnabled()

    click(qtbot, d.password_button)
    s = d.settings_dialog
    qtbot.keyClicks(s.new, PASSWORD)
    qtbot.keyClicks(s.new2, "something-else")
    click(qtbot, s.ok_button)
    assert "不一样" in s.form.boxes["new_password2"].error() and s.isVisible()
    s.new2.clear()
    qtbot.keyClicks(s.new2, PASSWORD)
    with qtbot.waitSignal(s.accepted):
        click(qtbot, s.ok_button)
    assert d.password_note.isHidden() and d.start_button.isEnabled()

    progress: list[float] = []
    click(qtbot, d.start_button)
    assert d.worker is not None and isinstance(d.worker, Worker)
    d.worker.progressed.connect(lambda f, _t: progress.append(f))
    assert d.progress.isVisible() and d.close_button.text() == "取消备份"
    wait_done(qtbot, d)
    assert d.result.text().startswith("<span") and "备份完成，可以拔出U盘。" in d.result.text()
    made = list((stick / files.FOLDER).iterdir())
    assert [p.name for p in made] == ["东山县妇联_2026-03-10_093000.fulian-backup"]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert not d.progress.isVisible() and d.close_button.text() == "关闭"
    # the start page says when, the settings where
    assert window.dashboard.backup_label.text() == "上次备份到U盘：今天（2026年3月10日 09:30）"
    assert backup.status(office).last_place == str(stick / files.FOLDER)
    backup.verify(made[0], PASSWORD)
    d.close()
    qtbot.mouseClick(window.dashboard.backup_label, Qt.MouseButton.LeftButton)  # the start page's line opens it
    assert window.backups.last_dialog is not d and isinstance(window.backups.last_dialog, BackupDialog)


def test_no_stick_another_folder_a_failing_stick_and_cancel(qtbot: Any, office: Context, tmp_path: Path,
                                                            said: list[str], clock: Clock,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    backup.set_password(office, PASSWORD, PASSWORD)
    d = BackupDialog(office, drive_list=FakeDrives())
    qtbot.addWidget(d)
    d.show()
    assert "没有找到U盘" in d.place_hint.text() and not d.start_button.isEnabled()
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setattr(dialogs, "folder_path", lambda *_a: str(folder))
    click(qtbot, d.folder_button)
    assert d.target() == folder and "本机硬盘" in d.place_hint.text()  # advised to use a stick
    assert d.focusWidget() is d.start_button  # Enter now starts the backup, not the folder chooser again
    qtbot.keyClick(d.start_button, Qt.Key.Key_Return)
    wait_done(qtbot, d)
    assert "备份完成。" in d.result.text() and "拔出" not in d.result.text()
    first = list(folder.iterdir())
    assert len(first) == 1

    # the stick fails half-way: a clear message, nothing that looks like a backup, the first one still good
    clock.now += dt.timedelta(minutes=5)
    monkeypatch.setattr(engine, "_open_new", lambda p: FailingFile(p, 5000, errno.EIO))
    click(qtbot, d.start_button)
    wait_done(qtbot, d)
    assert "备份没有完成" in d.error and "拔出" in d.error
    assert list(folder.iterdir()) == first
    monkeypatch.undo()
    monkeypatch.setattr(dialogs, "folder_path", lambda *_a: str(folder))

    # cancelled at once: nothing left behind (the copy made a page at a time: slow enough to cancel)
    monkeypatch.setattr(snapshot, "SAME_MOMENT_TRIES", 0)
    monkeypatch.setattr(snapshot, "PAGES_PER_STEP", 1)
    clock.now += dt.timedelta(minutes=5)
    click(qtbot, d.start_button)
    click(qtbot, d.close_button)  # 取消备份
    wait_done(qtbot, d)
    assert "已取消备份" in d.error and list(folder.iterdir()) == first
    assert d.isVisible()
    backup.verify(first[0], PASSWORD)
    results = office.db.execute("SELECT result FROM audit WHERE event = 'backup' ORDER BY id").fetchall()
    assert results == [("ok",), ("failed",), ("failed",)]


def test_restore_shows_what_the_backup_holds_then_replaces_and_signs_in_again(
        qtbot: Any, office: Context, tmp_path: Path, said: list[str], clock: Clock) -> None:
    assert office.path is not None
    path = office.path
    stick = tmp_path / "E"
    backup.set_password(office, PASSWORD, PASSWORD)
    from fulian_desktop.services import attachments

    from .attachment_files import scanned_letter

    attachments.attach(office, 1, attachments.Incoming("来信.png", scanned_letter(300, 400)),
                       attachments.Details("来信原件"))
    made = backup.make_backup(office, stick / files.FOLDER)
    later = register(office, 5)  # registered after the backup: not in it
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.backups.drive_list = FakeDrives(stick)
    window.show()
    window.backups.action_restore.trigger()
    d = window.backups.last_dialog
    assert isinstance(d, RestoreDialog)
    assert d.files.count() == 1 and d.selected()[0] == made.path and "东山县妇联" in d.files.item(0).text()

    qtbot.keyClicks(d.password, "wrong-password")
    click(qtbot, d.check_button)
    wait_done(qtbot, d)
    assert d.pages.currentIndex() == 0 and "备份密码不对" in d.choose_error.text()
    assert "没有任何改动" in d.choose_error.text()
    d.password.clear()
    qtbot.keyClicks(d.password, PASSWORD)
    click(qtbot, d.check_button)
    wait_done(qtbot, d)
    assert d.pages.currentIndex() == 2
    v = d.values
    assert v["office"].text() == "东山县妇联" and v["created"].text() == "2026年3月10日 09:30"
    assert v["petition"].text() == "4 件" and v["referral"].text() == "0 件" and v["total"].text() == "4 件"
    assert v["attachments"].text() == "1 个"  # 附件: counted in the backup's check
    assert v["newest"].text() == "信访〔2026〕第0004号（2026年3月2日收到）"
    assert "备份时的账号和密码" in d.warning_text.text()
    assert not d.restore_button.isEnabled()
    d.confirm.setChecked(True)
    with qtbot.waitSignal(d.restored) as got:
        click(qtbot, d.restore_button)
    done = got.args[0]
    assert done is not None and done.aside is not None and done.aside.exists()
    assert window.reopen_requested and not window.isVisible()  # app.py signs in again
    assert any("请用备份时的账号和密码重新登录" in m for m in said)
    again = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert again.db.execute("SELECT count(*) FROM cases WHERE id = ?", [later]).fetchone()[0] == 0
        assert again.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
        # the start page still knows the last backup (the copy inside the backup was taken before it finished)
        reopened = MainWindow(again)
        qtbot.addWidget(reopened)
        reopened.show()
        assert reopened.dashboard.backup_label.text() == "上次备份到U盘：今天（2026年3月10日 09:30）"
        assert "#2e7d32" in reopened.dashboard.backup_label.styleSheet()  # green: nothing to worry about
        reopened.close()  # before its database is closed
    finally:
        again.close()


def test_a_local_snapshot_restores_without_a_password_and_back_returns(qtbot: Any, office: Context,
                                                                       said: list[str]) -> None:
    job = backup.daily_snapshot(office)
    assert job is not None
    job.run()
    assert office.path is not None
    d = RestoreDialog(office, office.path, drive_list=FakeDrives())
    qtbot.addWidget(d)
    d.show()
    assert d.files.count() == 1 and "本机自动备份" in d.files.item(0).text()
    assert d.password.isHidden()
    click(qtbot, d.check_button)
    wait_done(qtbot, d)
    assert d.pages.currentIndex() == 2 and "本机自动备份" in d.values["file"].text()
    staged = d.opened.staged if d.opened else None
    assert staged is not None and staged.exists()
    click(qtbot, d.back_button)  # changed her mind: the staged copy is gone, nothing changed
    assert d.pages.currentIndex() == 0 and not staged.exists()


def test_first_start_on_a_new_pc_restores_from_the_stick(qtbot: Any, office: Context, tmp_path: Path,
                                                         said: list[str], clock: Clock) -> None:
    stick = tmp_path / "E"
    backup.set_password(office, PASSWORD, PASSWORD)
    backup.make_backup(office, stick / files.FOLDER)
    new_db = tmp_path / "new-pc" / "fulian.db"
    first = FirstStartDialog(new_db, clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(first)
    first.show()
    click(qtbot, first.restore_button)
    d = first.restore_dialog
    d.drive_list = FakeDrives(stick)
    click(qtbot, d.refresh_button)
    assert d.files.count() == 1
    type_text(qtbot, d.password, PASSWORD)
    click(qtbot, d.check_button)
    wait_done(qtbot, d)
    assert d.values["office"].text() == "东山县妇联" and "备份将恢复到" in d.warning_text.text()
    d.confirm.setChecked(True)
    click(qtbot, d.restore_button)
    assert first.restored and not first.isVisible()
    accounts.sign_in(new_db, TEST_USER, TEST_PASSWORD, clock=clock).close()


def test_screenshots(qtbot: Any, office: Context, tmp_path: Path, said: list[str]) -> None:
    """The backup window, its progress and the restore preview, for looking at (shots/ is git-ignored)."""
    from fulian_desktop.gui.shell import fonts

    fonts.register_fonts()
    shots = Path(__file__).resolve().parent.parent / "shots"
    shots.mkdir(exist_ok=True)
    stick = tmp_path / "E"
    stick.mkdir()
    backup.set_password(office, PASSWORD, PASSWORD)
    d = BackupDialog(office, drive_list=FakeDrives(stick))
    qtbot.addWidget(d)
    d.show()
    d.grab().save(str(shots / "backup_dialog.png"))
    d._show_running(True)
    d.start_button.setEnabled(False)
    d.progress.step(0.42, "正在写入备份文件…")
    d.grab().save(str(shots / "backup_progress.png"))
    d._show_running(False)
    d._update_start()
    click(qtbot, d.start_button)
    wait_done(qtbot, d)
    d.grab().save(str(shots / "backup_done.png"))
    assert office.path is not None
    r = RestoreDialog(office, office.path, drive_list=FakeDrives(stick))
    qtbot.addWidget(r)
    r.show()
    qtbot.keyClicks(r.password, PASSWORD)
    click(qtbot, r.check_button)
    wait_done(qtbot, r)
    r.grab().save(str(shots / "restore_preview.png"))
    assert r.pages.currentIndex() == 2


def test_the_administrators_window_backs_up_and_restores(qtbot: Any, tmp_path: Path, clock: Clock) -> None:
    from fulian_desktop.gui.security.admin_window import AdminWindow

    ctx, _key, _aside = accounts.set_up(tmp_path / "admin.db", [("admin1", "管理员甲", frozenset({"admin"}),
                                                                 "admin-pass-1", False)], clock=clock, kdf=CHEAP_KDF)
    try:
        w = AdminWindow(ctx)
        qtbot.addWidget(w)
        texts = [b.text() for b in w.findChildren(type(w.accounts_button))]
        assert {"备份到U盘…", "从备份恢复…", "备份密码与设置…"} <= set(texts)
        w.backups.drive_list = FakeDrives()
        w.backups.action_settings.trigger()
        assert w.backups.last_dialog is not None and w.backups.last_dialog.windowTitle() == "备份密码与设置"
    finally:
        ctx.close()


def test_saving_the_backup_password_says_so_not_that_a_backup_was_made(qtbot: Any, office: Context,
                                                                       said: list[str]) -> None:
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert window.backups.action_settings in window.ui.menuSettings.actions()
    window.backups.action_settings.trigger()  # 设置 → 备份密码与设置…
    s = window.backups.last_dialog
    assert s is not None and s.windowTitle() == "备份密码与设置"
    qtbot.keyClicks(s.new, PASSWORD)
    qtbot.keyClicks(s.new2, PASSWORD)
    with qtbot.waitSignal(s.accepted):
        click(qtbot, s.ok_button)
    assert window.statusBar().currentMessage() == "备份密码已设置"
    assert backup.status(office).last_at is None  # nothing was backed up, and the start page still says so
    assert window.dashboard.backup_label.text() == "还没有备份到U盘，请尽快备份"

    window.backups.action_settings.trigger()
    s = window.backups.last_dialog
    s.warn_days.setFocus()
    qtbot.keyClick(s.warn_days, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(s.warn_days, "14")
    with qtbot.waitSignal(s.accepted):
        click(qtbot, s.ok_button)
    assert window.statusBar().currentMessage() == "备份设置已保存（每个U盘保留10份，14天没备份就提醒）"
    assert backup.status(office).warn_days == 14

    window.backups.action_settings.trigger()
    with qtbot.waitSignal(window.backups.last_dialog.accepted):
        click(qtbot, window.backups.last_dialog.ok_button)
    assert window.statusBar().currentMessage() == "备份密码与设置没有改动"
    assert "备份完成" not in window.statusBar().currentMessage()


def test_a_window_role_sees_no_backup_entries(qtbot: Any, tmp_path: Path, clock: Clock) -> None:
    ctx, _key, _aside = accounts.set_up(tmp_path / "w.db", [("staff1", "窗口甲", frozenset({"window"}),
                                                             "staff-pass-1", False)], clock=clock, kdf=CHEAP_KDF)
    try:
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        assert not w.backups.action_backup.isVisible() and w.backups.action_backup not in w.ui.toolbar.actions()
        assert not w.backups.action_restore.isVisible() and not w.backups.action_settings.isVisible()
    finally:
        ctx.close()


def test_the_daily_snapshot_at_start_up_runs_in_the_background(office: Context) -> None:
    from fulian_desktop import app

    started = app._daily_snapshot(office)
    assert started is not None
    thread, _stop = started
    thread.join(30)
    assert len(backup.local_snapshots(office)) == 1
    assert app._daily_snapshot(office) is None  # once a day
