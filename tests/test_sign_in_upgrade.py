"""Signing in to a database from an earlier version (made by the program before migration 0038) upgrades it with a
window that says so: 数据库升级中，请勿关闭…, the step, a bar; the windows keep answering meanwhile (a timer of the GUI
thread keeps ticking), and neither the upgrade window nor the sign-in window can be closed until it is done. After it:
signed in, the database at the latest version, every record kept, the copy set aside. Driving the real sign-in window
as a clerk does (user name, password, 登录). The upgrade is made long by a slow migration of the test's own after the
real ones. Every person here is made up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar

from fulian_desktop.gui.security.sign_in import LoginDialog
from fulian_desktop.services import accounts, petitions
from fulian_desktop.store import migrate

from .conftest import ALL_ROLES, CHEAP_KDF, TEST_PASSWORD, TEST_USER
from .test_file_size import _before
from .test_referrals import petition

SLOW_ROWS = 1_500_000  # a second or two of SQLite's own work a statement


def _slow_migrations(tmp_path: Path) -> Path:
    """Every migration of the program, then one of the test's own of several slow statements."""
    folder = tmp_path / "migrations-now"
    folder.mkdir()
    for _n, f in migrate.available():
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    count = f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SLOW_ROWS})"
    (folder / f"{migrate.latest_version() + 1:04d}_test_slow.sql").write_text(
        f"CREATE TABLE test_slow AS {count} SELECT i FROM n;\n"
        "CREATE INDEX test_slow_i ON test_slow (i);\n"
        "DROP TABLE test_slow;\n", encoding="utf-8")
    return folder


@pytest.fixture
def old_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock) -> Path:  # type: ignore[no-untyped-def]
    """An office's database made by the program before migration 0038, with its accounts and a petition."""
    path = tmp_path / "office.db"
    with monkeypatch.context() as old:
        _before(38, tmp_path, old)
        ctx, _recovery, _aside = accounts.set_up(path, [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD, False)],
                                                 clock=clock, kdf=CHEAP_KDF)
        petition(ctx)
        assert migrate.current_version(ctx.db) == 33  # (0034–0037 were never written)
        ctx.close()
    return path


def test_an_old_database_is_upgraded_with_a_window_that_answers_and_cannot_be_closed(  # type: ignore[no-untyped-def]
        qtbot, old_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock) -> None:
    folder = _slow_migrations(tmp_path)
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    latest = migrate.latest_version()
    login = LoginDialog(old_database, clock=clock, remember_user=False)
    qtbot.addWidget(login)
    login.show()
    qtbot.keyClicks(login.username, TEST_USER)
    qtbot.keyClick(login.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(login.password, TEST_PASSWORD)

    ticks = 0
    seen: dict[str, object] = {"steps": set(), "bar": set(), "titles": set()}

    def tick() -> None:  # the GUI thread, while the database is upgraded
        nonlocal ticks
        ticks += 1
        window = getattr(login, "upgrade_window", None)
        if window is None or not window.isVisible():
            return
        seen["titles"].add(" ".join(lbl.text() for lbl in window.findChildren(QLabel)))  # type: ignore[attr-defined]
        bar = window.findChild(QProgressBar)
        seen["bar"].add("busy" if bar.maximum() == 0 else "steps")  # type: ignore[attr-defined]
        seen["steps"].add(window.step.text())  # type: ignore[attr-defined]
        # she tries to close it: Esc, the close button (Alt+F4), and the sign-in window behind it
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        window.close()
        login.reject()
        seen["still open"] = window.isVisible() and login.isVisible()
        seen.setdefault("focus", login.focusWidget())
        login.login_button.click()  # 登录 again: nothing happens

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    login.password.setFocus()
    qtbot.keyClick(login.password, Qt.Key.Key_Return)  # returns when signed in
    timer.stop()

    assert ticks >= 10, "the windows did not answer while the database was upgraded"
    titles = " ".join(seen["titles"])  # type: ignore[arg-type]
    assert "数据库升级中，请勿关闭" in titles and "数据也不会丢失" in titles
    steps = " ".join(sorted(seen["steps"])) + titles  # type: ignore[arg-type]
    # the copy set aside, then 0038, 0039, 0040 … and the slow one: a step each (the quick ones may pass between two
    # looks)
    total = 1 + sum(1 for n, _f in migrate.available() if n > 33)
    assert total >= 5
    assert f"第{total}步（共{total}步）：调整数据库结构（第{latest:04d}号）" in steps
    assert "steps" in seen["bar"]  # type: ignore[operator]
    assert seen["still open"] is True
    assert seen["focus"] is login.password  # where she pressed Enter from: not 退出
    assert login.upgrade_window is not None and not login.upgrade_window.isVisible()

    # signed in on the upgraded database, nothing lost, the copy set aside whole
    assert login.result() == QDialog.DialogCode.Accepted and login.ctx is not None
    ctx = login.ctx
    assert migrate.current_version(ctx.db) == latest
    assert petitions.get(ctx, 1).petitioner.name == "王小红"
    assert [p.name for p in old_database.parent.glob("office.db.v33.before-upgrade*")] == ["office.db.v33.before-upgrade"]
    ctx.close()


def _typed_in(qtbot, ctx, clock, password: str) -> LoginDialog:  # type: ignore[no-untyped-def]
    """The sign-in window on ctx's database (closed first), the test user and `password` typed, Enter pressed."""
    path = ctx.path
    ctx.close()
    login = LoginDialog(path, clock=clock, remember_user=False)
    qtbot.addWidget(login)
    login.show()
    qtbot.keyClicks(login.username, TEST_USER)
    qtbot.keyClicks(login.password, password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    return login


def test_an_ordinary_sign_in_shows_no_upgrade_window(qtbot, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    login = _typed_in(qtbot, ctx, clock, TEST_PASSWORD)
    assert login.result() == QDialog.DialogCode.Accepted and login.ctx is not None
    assert login.upgrade_window is None
    login.ctx.close()


def test_a_wrong_password_is_said_and_she_can_try_again(qtbot, ctx, clock) -> None:  # type: ignore[no-untyped-def]
    login = _typed_in(qtbot, ctx, clock, "not-the-password")
    assert login.isVisible() and "用户名或密码" in login.message.text()
    assert login.password.hasFocus() and not login.password.isReadOnly() and login.password.text() == ""
    qtbot.keyClicks(login.password, TEST_PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert login.ctx is not None, (login.message.text(), login.password.text(), login.username.text())
    login.ctx.close()


def test_the_copy_set_aside_is_named_only_when_whole(tmp_path: Path) -> None:
    """(store/migrate.py) a plain database a version behind: the copy is written as .partial, then named."""
    path = tmp_path / "plain.db"
    from fulian_desktop.store.connection import open_database

    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrate.latest_version() - 1}")
    conn.commit()
    conn.close()
    (tmp_path / f"plain.db.v{migrate.latest_version() - 1}.before-upgrade.partial").write_bytes(b"left by a kill")
    told: list[migrate.Step] = []
    open_database(path, progress=told.append).close()
    names = sorted(p.name for p in tmp_path.glob("plain.db.v*"))
    assert names == [f"plain.db.v{migrate.latest_version() - 1}.before-upgrade"]
    assert told[0].text.startswith("第1步（共2步）：保存升级前的副本") and told[-1].number == 2


def test_the_command_line_says_so_while_it_upgrades(  # type: ignore[no-untyped-def]
        old_database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A command on a database from an earlier version (a scheduled backup after the program was updated) says what
    it is doing, step by step, before its own output."""
    from fulian_desktop.cli import main as cli

    monkeypatch.setenv("FULIAN_USER", TEST_USER)
    monkeypatch.setenv("FULIAN_PASSWORD", TEST_PASSWORD)
    assert cli.main(["search", "王小红", "--db", str(old_database)]) == 0
    out, err = capsys.readouterr()
    later = [n for n, _f in migrate.available() if n > 33]  # 0038, 0039 …
    steps = 1 + len(later)
    assert err.splitlines()[:1 + steps] == ["数据库升级中，请勿关闭……", f"第1步（共{steps}步）：保存升级前的副本", *(
        f"第{i}步（共{steps}步）：调整数据库结构（第{n:04d}号）" for i, n in enumerate(later, 2))]
    assert "数据库升级完成。" in err and "信访〔2026〕第0001号" in out
    capsys.readouterr()
    assert cli.main(["search", "王小红", "--db", str(old_database)]) == 0  # upgraded once: nothing said again
    assert "升级" not in capsys.readouterr().err


def test_the_sign_in_s_answer_is_looked_for_every_few_milliseconds(qtbot, ctx, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The clerk waits for the sign-in's answer after 登录 (issue 22): its thread leaves it for a timer of the GUI
    thread, which looked every 50 ms as a backup's does (25 ms more on average before the main window was built)."""
    from fulian_desktop.gui.security import upgrade
    from fulian_desktop.gui.shell.worker import Worker

    made: list[Worker] = []

    class Watched(Worker):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(upgrade, "Worker", Watched)
    login = _typed_in(qtbot, ctx, clock, TEST_PASSWORD)
    assert login.ctx is not None
    login.ctx.close()
    assert len(made) == 1 and made[0].timer.interval() <= 5
