"""Accounts, one rule at a time (in the mutation selection): each message a clerk or the administrator reads,
the lock-out's count (five wrong in a row, fifteen minutes) on every path that takes a secret — sign-in,
the lock screen, changing one's password, the recovery key —, the idle lock's bounds, the last administrator.

Expected answers are the rules of docs/使用说明.md and services/accounts.py's docstring, written out by hand.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from fulian_desktop.domain.accounts import AccountLocked, LoginFailed
from fulian_desktop.domain.errors import NotFound, RuleError, StorageError, ValidationError
from fulian_desktop.domain.office import Office
from fulian_desktop.services import accounts, exchange_packages, settings
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store import keys, migrate
from fulian_desktop.store.connection import open_database

from .conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock

WRONG = "用户名或密码不正确，或者账号已停用。"


def _events(ctx: Context) -> list[tuple[str, str, str]]:
    return [(e.event, e.result, e.detail) for e in audit_store.entries(ctx.db)]


def _wrong_sign_in(path: Path, clock: Clock, user: str = TEST_USER) -> str:
    with pytest.raises((LoginFailed, AccountLocked)) as e:
        accounts.sign_in(path, user, "not-the-password", clock=clock)
    return str(e.value)


# --- first start ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("office", "message"), [("  ", "请填写单位名称，如“某某县妇联”"), ("县" * 41, "单位名称不能超过40个字")],
                         ids=["blank", "41-characters"])
def test_first_start_names_the_office(tmp_path: Path, clock: Clock, office: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.first_start(tmp_path / "f.db", office, "王秀兰", "wangxl", "dongshan-2026", clock=clock, kdf=CHEAP_KDF)
    assert e.value.errors == {"office_name": message}
    assert accounts.needs_setup(tmp_path / "f.db")


def test_first_start_asks_for_the_county_and_a_townships_name_when_they_are_not_given(tmp_path: Path,
                                                                                       clock: Clock) -> None:
    with pytest.raises(ValidationError) as county:
        accounts.first_start(tmp_path / "f.db", "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock,
                             kdf=CHEAP_KDF, office_level="county")
    assert county.value.errors == {"office_county": "请填写所在的县（市、区），如“某某县”"}
    with pytest.raises(ValidationError) as township:
        accounts.first_start(tmp_path / "f.db", "福田铺乡妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock,
                             kdf=CHEAP_KDF, office_level="township", county="东山县")
    assert township.value.errors == {"office_township": "请填写本乡镇（街道）的名称，如“福田铺乡”"}
    assert accounts.needs_setup(tmp_path / "f.db")


def test_first_start_sets_a_townships_office_with_the_key_cost_given(tmp_path: Path, clock: Clock) -> None:
    own = keys.KdfParams(time_cost=2, memory_cost=8, parallelism=1)  # not the tests' default: is it the one used?
    path = tmp_path / "f.db"
    started = accounts.first_start(path, "福田铺乡妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock, kdf=own,
                                   office_level="township", county="东山县", township="福田铺乡")
    assert exchange_packages.office(started.ctx) == Office("township", "东山县", "福田铺乡")
    started.ctx.close()
    assert keys.KeyFile.load(accounts.keyfile_for(path)).kdf == own  # type: ignore[union-attr]


def test_first_start_reports_the_office_and_the_account_together(tmp_path: Path, clock: Clock) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.first_start(tmp_path / "f.db", "", "王秀兰", "wangxl", "short", clock=clock, kdf=CHEAP_KDF)
    assert set(e.value.errors) == {"office_name", "password"}


def test_first_start_keeps_the_office_name_in_one_line(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "f.db"
    assert accounts.needs_setup(path) and accounts.existing_data(path) == "none"
    started = accounts.first_start(path, " 东山县 \n 妇联 ", "王秀兰", "wangxl", "dongshan-2026",
                                   case_roles={"director"}, clock=clock, kdf=CHEAP_KDF)
    ctx = started.ctx
    assert settings.office_name(ctx) == "东山县 妇联"
    assert ctx.user is not None and ctx.user.roles == frozenset({"admin", "director"})
    assert started.set_aside is None and len(started.recovery_key) > 20
    assert not accounts.needs_setup(path) and accounts.existing_data(path) == "encrypted"
    assert [e.details() for e in audit_store.entries(ctx.db) if e.event == "login"] == [
        {"via": "first_start", "set_aside": False}]
    ctx.close()
    office40 = accounts.first_start(tmp_path / "g.db", "县" * 40, "王秀兰", "wangxl", "dongshan-2026", clock=clock,
                                    kdf=CHEAP_KDF).ctx
    assert settings.office_name(office40) == "县" * 40
    assert office40.user is not None and office40.user.roles == frozenset({"admin"})
    office40.close()


def test_set_up_runs_once_and_never_over_an_encrypted_file_without_its_keys(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "f.db"
    people = [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False)]
    ctx, _, _ = accounts.set_up(path, people, clock, CHEAP_KDF)
    ctx.close()
    with pytest.raises(RuleError) as e:
        accounts.set_up(path, people, clock, CHEAP_KDF)
    assert str(e.value) == "这个数据库已经设置过账号，请直接登录。"
    accounts.keyfile_for(path).rename(tmp_path / "elsewhere.keys")
    with pytest.raises(StorageError) as s:
        accounts.set_up(path, people, clock, CHEAP_KDF)
    assert str(s.value) == (f"数据库文件“f.db”已加密，但旁边找不到它的密钥文件（{accounts.keyfile_for(path).name}）。"
                            "请把密钥文件放回数据库旁边，或从备份恢复。")
    with pytest.raises(StorageError) as s:
        accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    assert str(s.value) == ("找不到密钥文件，无法打开加密的数据库。请把与数据库同名的 .keys 文件放回数据库旁边，"
                            "或从备份恢复。")


def test_set_up_keeps_a_key_file_only_beside_a_database_encrypted_with_it(tmp_path: Path, clock: Clock) -> None:
    """The key file is written first, so that a database is never encrypted with a key that is not kept; should
    the set-up fail, it is taken away again only if the file was not encrypted with it."""
    people = [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False)]
    damaged = tmp_path / "damaged.db"  # an older version's database whose pages are broken: not encrypted
    broken = b"SQLite format 3\x00" + b"\x10\x00" + b"\xff" * 4078
    damaged.write_bytes(broken)
    with pytest.raises(StorageError) as e:
        accounts.set_up(damaged, people, clock, CHEAP_KDF)
    assert str(e.value) == "数据库文件已损坏或不是本程序的数据库。请从备份恢复。"
    assert damaged.read_bytes() == broken and not accounts.keyfile_for(damaged).exists()
    foreign = tmp_path / "foreign.db"  # a database of another program: encrypted, then found not to be ours
    other = sqlite3.connect(foreign)
    other.execute("CREATE TABLE cases (x)")
    other.commit()
    other.close()
    with pytest.raises(StorageError) as e:
        accounts.set_up(foreign, people, clock, CHEAP_KDF)
    assert str(e.value).startswith("数据库出错：")
    assert accounts.existing_data(foreign) == "encrypted" and accounts.keyfile_for(foreign).exists()
    nested = tmp_path / "妇联" / "数据" / "office.db"  # folders that are not there yet are made
    ctx, _, _ = accounts.set_up(nested, people, clock, CHEAP_KDF)
    ctx.close()
    assert accounts.existing_data(nested) == "encrypted" and accounts.keyfile_for(nested).exists()


def test_an_earlier_unencrypted_database_is_encrypted_and_its_original_set_aside(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "old.db"
    old = open_database(path)
    old.execute("INSERT INTO settings (key, value) VALUES ('office_name', '东山县妇联')")
    old.close()
    people = [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False)]
    ctx, _, aside = accounts.set_up(path, people, clock, CHEAP_KDF)
    try:
        assert aside is not None and aside.exists() and accounts.existing_data(aside) == "plain"
        assert accounts.existing_data(path) == "encrypted"
        assert ctx.db.execute("SELECT value FROM settings WHERE key = 'office_name'").fetchone() == ("东山县妇联",)
        assert [e.details() for e in audit_store.entries(ctx.db) if e.event == "login"] == [
            {"via": "first_start", "set_aside": True}]
    finally:
        ctx.close()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs a folder in which none can be made (/proc)")
def test_a_data_folder_that_cannot_be_made_is_named(clock: Clock) -> None:
    people = [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False)]
    with pytest.raises(StorageError) as e:
        accounts.set_up(Path("/proc/fulian-probe/office.db"), people, clock, CHEAP_KDF)
    assert str(e.value) == "无法创建数据文件夹：/proc/fulian-probe（No such file or directory）"


def test_recovery_key_tries_whose_process_never_finished_lock_it_and_are_recorded_as_such(
        recovery: tuple[Path, str], clock: Clock) -> None:
    path, key = recovery
    with keys.exclusive(accounts.keyfile_for(path)):
        kf = keys.KeyFile.load(accounts.keyfile_for(path))
        assert kf is not None
        for _ in range(5):
            assert kf.begin_attempt(accounts.RECOVERY_NAME, clock()) is None
    with pytest.raises(AccountLocked):
        accounts.recover(path, key, TEST_USER, "a-new-password-2", clock=clock)
    clock.now += dt.timedelta(minutes=15)
    ctx = accounts.recover(path, key, TEST_USER, "a-new-password-2", clock=clock)
    try:
        assert [(e.event, e.actor_id, e.details()) for e in audit_store.entries(ctx.db) if e.result == "failed"] == [
            ("recovery.failed", None, {"locked": True, "account_known": False})]
    finally:
        ctx.close()


def test_set_up_signs_in_as_the_first_person_as_given(tmp_path: Path, clock: Clock) -> None:
    ctx, _, _ = accounts.set_up(tmp_path / "s.db", [("wangxl", "王秀兰", frozenset({"admin", "window"}), "dongshan-2026",
                                                     True), ("lili", "李丽", frozenset({"window"}), "lili-pass-2026", True)],
                                clock, CHEAP_KDF)
    try:
        assert (ctx.staff, ctx.roles) == ("王秀兰", frozenset({"admin", "window"}))
        assert ctx.user is not None and ctx.user.must_change is True
        assert ctx.db.execute("SELECT display_name, must_change, last_login FROM accounts ORDER BY id").fetchall() == [
            ("王秀兰", 1, "2026-03-10T09:30:00"), ("李丽", 1, None)]
    finally:
        ctx.close()


def test_an_unencrypted_database_is_plain_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_database(path).close()
    assert accounts.existing_data(path) == "plain"


# --- signing in and the lock-out -------------------------------------------------------------------------------


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "office.db"
    ctx, _, _ = accounts.set_up(path, [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False),
                                       (TEST_USER, "测试员", frozenset({"window"}), TEST_PASSWORD, False)],
                                clock, CHEAP_KDF)
    ctx.close()
    return path


def test_five_wrong_passwords_in_a_row_lock_for_fifteen_minutes(office: Path, clock: Clock) -> None:
    assert [_wrong_sign_in(office, clock) for _ in range(4)] == [
        f"{WRONG}再输错{n}次，账号将被锁定15分钟。" for n in (4, 3, 2, 1)]
    assert _wrong_sign_in(office, clock) == "连续5次密码错误，这个账号已锁定15分钟（到09:45）。请稍后再试，或请管理员帮助。"
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)  # even the right password
    assert str(e.value) == "登录失败次数过多，这个账号已锁定，请在09:45以后再试。"
    clock.now += dt.timedelta(minutes=15)
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    failed = [(e.event, e.result, e.details()) for e in audit_store.entries(ctx.db) if e.event == "login.failed"]
    assert failed[:4] == [("login.failed", "failed", {"locked": False, "account_known": True})] * 4
    assert failed[4:] == [("login.failed", "failed", {"locked": True, "account_known": True})] * 2
    assert [e.event for e in audit_store.entries(ctx.db)][-1] == "login"
    assert ctx.user is not None and ctx.user.username == TEST_USER and ctx.staff == "测试员"
    ctx.close()


def test_a_right_password_starts_the_count_again(office: Path, clock: Clock) -> None:
    for _ in range(4):
        _wrong_sign_in(office, clock)
    accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock).close()
    assert _wrong_sign_in(office, clock) == f"{WRONG}再输错4次，账号将被锁定15分钟。"


def test_an_unknown_name_is_answered_the_same_and_logged_without_the_name(office: Path, clock: Clock) -> None:
    assert _wrong_sign_in(office, clock, "nobody") == f"{WRONG}再输错4次，账号将被锁定15分钟。"
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock, via="cli")
    failed = [e for e in audit_store.entries(ctx.db) if e.event == "login.failed"]
    assert [(e.actor_id, e.actor, e.details(), e.operation) for e in failed] == [
        (None, "", {"locked": False, "account_known": False}, "accounts.sign_in")]
    assert failed[0].at == "2026-03-10T09:30:00"
    assert [e.details() for e in audit_store.entries(ctx.db) if e.event == "login"][-1] == {"via": "cli"}
    ctx.close()


def test_a_wrong_password_for_a_known_name_is_logged_under_that_account(office: Path, clock: Clock) -> None:
    _wrong_sign_in(office, clock)
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    assert ctx.user is not None and ctx.user.id is not None
    failed = [e for e in audit_store.entries(ctx.db) if e.event == "login.failed"]
    assert [(e.actor_id, e.actor, e.details()) for e in failed] == [
        (ctx.user.id, TEST_USER, {"locked": False, "account_known": True})]
    ctx.close()


def test_the_command_lines_backup_checks_go_into_the_trail_at_the_next_sign_in(office: Path, clock: Clock) -> None:
    # `verify` opens a backup with its password only (no one signed in): each check waits in the key file and is
    # written at the next sign-in, in the order made, as the command line's, by no one, with its file and result
    from fulian_desktop.services import backup

    backup.note_verified(office, Path("/media/U盘/备份-0310.fulianbak"), True, clock=clock)
    clock.now += dt.timedelta(minutes=7)
    _wrong_sign_in(office, clock, "nobody")
    clock.now += dt.timedelta(minutes=5)
    backup.note_verified(office, Path("/media/U盘/坏了.fulianbak"), False, clock=clock)
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        kept = [(e.at, e.event, e.operation, e.target, e.result, e.actor_id, e.actor) for e in audit_store.entries(ctx.db)
                if e.event in ("backup.verify", "login.failed")]
        assert kept == [
            ("2026-03-10T09:30:00", "backup.verify", "cli.verify", "/media/U盘/备份-0310.fulianbak", "ok", None, ""),
            ("2026-03-10T09:37:00", "login.failed", "accounts.sign_in", "", "failed", None, ""),
            ("2026-03-10T09:42:00", "backup.verify", "cli.verify", "/media/U盘/坏了.fulianbak", "failed", None, ""),
        ]
    finally:
        ctx.close()
    again = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)  # written once, not again
    try:
        assert sum(e.event == "backup.verify" for e in audit_store.entries(again.db)) == 2
    finally:
        again.close()


def test_the_windows_sign_in_is_recorded_to_the_second_and_writes_only_the_trail(office: Path, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 3, 10, 9, 30, 15, 250000)
    loaded: list[str] = []  # (the window's sign-in: no `via`, and its modules loaded while the password is checked)
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock, meanwhile=lambda: loaded.append("window"))
    try:
        assert loaded == ["window"]
        [login] = [e for e in audit_store.entries(ctx.db) if e.event == "login"][-1:]
        assert (login.at, login.actor, login.details()) == ("2026-03-10T09:30:15", TEST_USER, {"via": "gui"})
        assert ctx.db.execute("SELECT last_login FROM accounts WHERE username = ?", [TEST_USER]).fetchone() == (
            "2026-03-10T09:30:15",)
        # the sign-in writes the trail and the last sign-in only: the capture's triggers are not made for it
        # (store/audit.py defer_capture)
        assert ctx.db.execute("SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
    finally:
        ctx.close()


def test_tries_whose_process_never_finished_lock_the_name_too(office: Path, clock: Clock) -> None:
    """Each try is counted before the password is checked, so five tries whose program was stopped during the
    check (the count saved, no answer) count as five wrong passwords: the next one is refused, and the refusal
    goes into the trail at the next sign-in."""
    with keys.exclusive(accounts.keyfile_for(office)):
        kf = keys.KeyFile.load(accounts.keyfile_for(office))
        assert kf is not None
        for _ in range(5):
            assert kf.begin_attempt(TEST_USER, clock()) is None
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    assert str(e.value) == "登录失败次数过多，这个账号已锁定，请在09:45以后再试。"
    clock.now += dt.timedelta(minutes=15)
    ctx = accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert ctx.user is not None
        failed = [(e.at, e.event, e.result, e.actor_id, e.details()) for e in audit_store.entries(ctx.db)
                  if e.result == "failed"]
        assert failed == [("2026-03-10T09:30:00", "login.failed", "failed", ctx.user.id,
                           {"locked": True, "account_known": True})]
    finally:
        ctx.close()


def test_a_disabled_account_is_answered_as_a_wrong_password(office: Path, clock: Clock) -> None:
    admin = accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)
    me = next(a for a in accounts.list_accounts(admin) if a.username == TEST_USER)
    assert me.id is not None
    accounts.disable(admin, me.id)
    admin.close()
    assert _wrong_sign_in(office, clock) == f"{WRONG}再输错4次，账号将被锁定15分钟。"
    with pytest.raises(LoginFailed) as e:
        accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    assert str(e.value) == f"{WRONG}再输错3次，账号将被锁定15分钟。"


def test_a_key_file_from_before_an_account_was_disabled_does_not_let_her_in(office: Path, clock: Clock) -> None:
    """Disabling takes her copy of the key out of the key file; should an older key file (copied before) be put
    back, the account is still disabled in the database: refused with the one message, and the try counted."""
    keyfile = accounts.keyfile_for(office)
    before = keyfile.read_bytes()
    admin = accounts.sign_in(office, "wangxl", "dongshan-2026", clock=clock)
    me = next(a for a in accounts.list_accounts(admin) if a.username == TEST_USER)
    assert me.id is not None
    accounts.disable(admin, me.id)
    admin.close()
    keyfile.write_bytes(before)
    with pytest.raises(LoginFailed) as e:
        accounts.sign_in(office, TEST_USER, TEST_PASSWORD, clock=clock)
    assert str(e.value) == f"{WRONG}再输错4次，账号将被锁定15分钟。"


# --- the lock screen ---------------------------------------------------------------------------------------------


def test_the_lock_screen_counts_wrong_passwords_too(ctx: Context, clock: Clock) -> None:
    accounts.lock(ctx)
    messages = []
    for _ in range(4):
        with pytest.raises(LoginFailed) as e:
            accounts.unlock(ctx, "wrong-password")
        messages.append(str(e.value))
    assert messages == [f"密码不正确。再输错{n}次，将锁定15分钟。" for n in (4, 3, 2, 1)]
    with pytest.raises(AccountLocked) as locked:
        accounts.unlock(ctx, "wrong-password")
    assert str(locked.value) == "连续5次密码错误，已锁定15分钟（到09:45）。"
    with pytest.raises(AccountLocked) as again:
        accounts.unlock(ctx, TEST_PASSWORD)
    assert str(again.value) == "密码错误次数过多，已锁定，请在09:45以后再试。"
    clock.now += dt.timedelta(minutes=15)
    accounts.unlock(ctx, TEST_PASSWORD)
    trail = [(e.event, e.result, e.details()) for e in audit_store.entries(ctx.db)
             if e.event in ("lock", "unlock", "unlock.failed")]
    assert trail == [("lock", "ok", {}), *[("unlock.failed", "failed", {"locked": False})] * 4,
                     ("unlock.failed", "failed", {"locked": True}), ("unlock.failed", "failed", {"locked": True}),
                     ("unlock", "ok", {})]


def test_the_right_password_at_the_lock_screen_clears_the_count(ctx: Context) -> None:
    for _ in range(3):
        with pytest.raises(LoginFailed):
            accounts.unlock(ctx, "wrong-password")
    accounts.unlock(ctx, TEST_PASSWORD)
    with pytest.raises(LoginFailed) as e:
        accounts.unlock(ctx, "wrong-password")
    assert str(e.value) == "密码不正确。再输错4次，将锁定15分钟。"


# --- the idle lock -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stored", "minutes"), [(None, 10), ("abc", 10), ("0", 1), ("1", 1), ("120", 120),
                                                 ("121", 120), ("-5", 1), ("45", 45)])
def test_the_idle_lock_stays_between_one_and_a_hundred_and_twenty_minutes(ctx: Context, stored: str | None,
                                                                          minutes: int) -> None:
    if stored is None:
        ctx.db.execute("DELETE FROM settings WHERE key = 'idle_lock_minutes'")
    else:
        settings.put(ctx, "idle_lock_minutes", stored)
    assert accounts.idle_minutes(ctx) == minutes


@pytest.mark.parametrize("minutes", [0, 121])
def test_the_administrator_sets_the_idle_lock_within_its_bounds(ctx: Context, minutes: int) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.set_idle_minutes(ctx, minutes)
    assert e.value.errors == {"idle_minutes": "请填写1到120之间的分钟数"}
    for ok in (1, 120):
        accounts.set_idle_minutes(ctx, ok)
        assert accounts.idle_minutes(ctx) == ok


# --- passwords -------------------------------------------------------------------------------------------------


def test_changing_ones_own_password(ctx: Context, clock: Clock) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.change_password(ctx, TEST_PASSWORD, TEST_PASSWORD)
    assert e.value.errors == {"new_password": "新密码不能与原密码相同"}
    with pytest.raises(ValidationError) as e:
        accounts.change_password(ctx, "wrong-password", "another-pass-2")
    assert e.value.errors == {"old_password": "原密码不正确"}
    assert ctx.user is not None
    ctx.user.must_change = True
    accounts.change_password(ctx, TEST_PASSWORD, "another-pass-2")
    assert ctx.user.must_change is False
    trail = [(e.event, e.target, e.result, e.details()) for e in audit_store.entries(ctx.db)
             if e.event == "account.password"]
    assert trail == [("account.password", f"account:{ctx.user.id}", "failed", {}),
                     ("account.password", f"account:{ctx.user.id}", "ok", {"by": "self"})]
    path = ctx.path
    ctx.close()
    with pytest.raises(LoginFailed):
        accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    again = accounts.sign_in(path, TEST_USER, "another-pass-2", clock=clock)
    assert again.user is not None and again.user.must_change is False
    again.close()


def test_wrong_old_passwords_count_towards_the_lock(ctx: Context) -> None:
    for _ in range(5):
        with pytest.raises(ValidationError):
            accounts.change_password(ctx, "wrong-password", "another-pass-2")
    with pytest.raises(AccountLocked) as e:
        accounts.change_password(ctx, TEST_PASSWORD, "another-pass-2")
    assert str(e.value) == "密码错误次数过多，已锁定，请稍后再试。"


def test_a_right_old_password_clears_the_count(ctx: Context) -> None:
    for _ in range(4):
        with pytest.raises(ValidationError):
            accounts.change_password(ctx, "wrong-password", "another-pass-2")
    with pytest.raises(ValidationError) as short:
        accounts.change_password(ctx, TEST_PASSWORD, "short")  # right old password, new one too short
    assert short.value.errors == {"new_password": "密码至少8位"}  # shown beside the new password's field
    with pytest.raises(LoginFailed) as e:
        accounts.unlock(ctx, "wrong-password")
    assert str(e.value) == "密码不正确。再输错4次，将锁定15分钟。"


def test_without_a_session_nothing_secret_is_done(ctx: Context) -> None:
    session = ctx.session
    ctx.session = None
    with pytest.raises(RuleError) as e:
        accounts.change_password(ctx, TEST_PASSWORD, "another-pass-2")
    assert str(e.value) == "请先登录"
    ctx.session = session


# --- the recovery key ---------------------------------------------------------------------------------------------


@pytest.fixture
def recovery(tmp_path: Path, clock: Clock) -> tuple[Path, str]:
    path = tmp_path / "r.db"
    ctx, key, _ = accounts.set_up(path, [("wangxl", "王秀兰", frozenset({"admin"}), "dongshan-2026", False),
                                         (TEST_USER, "测试员", frozenset({"window"}), TEST_PASSWORD, True)],
                                  clock, CHEAP_KDF)
    ctx.close()
    return path, key


def test_the_recovery_key_sets_a_new_password_and_enables_the_account(recovery: tuple[Path, str],
                                                                      clock: Clock) -> None:
    path, key = recovery
    with pytest.raises(ValidationError) as e:
        accounts.recover(path, key, "nobody", "brand-new-pass")
    assert e.value.errors == {"username": "没有这个用户名的账号"}
    with pytest.raises(ValidationError) as e:
        accounts.recover(path, key, "", "short")
    assert set(e.value.errors) == {"username", "new_password"}
    boss = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    accounts.disable(boss, _id(boss, TEST_USER))  # she had left; she is back and nobody knows her password
    boss.close()
    ctx = accounts.recover(path, key, TEST_USER, "brand-new-pass", clock=clock)
    assert ctx.user is not None and (ctx.user.active, ctx.user.must_change) == (True, False)
    # signed in as herself: her name on what she does, her roles only (not every permission), the office's clock
    assert (ctx.staff, ctx.path, ctx.roles, ctx.now()) == ("测试员", path, frozenset({"window"}), dt.datetime(2026, 3, 10, 9, 30))
    assert [(e.event, e.target) for e in audit_store.entries(ctx.db)][-2:] == [
        ("recovery", f"account:{ctx.user.id}"), ("login", "")]
    assert [e.details() for e in audit_store.entries(ctx.db)][-1] == {"via": "recovery"}
    ctx.close()
    again = accounts.sign_in(path, TEST_USER, "brand-new-pass", clock=clock)  # active again in the database
    assert again.user is not None and (again.user.must_change, again.user.last_login) == (False, "2026-03-10T09:30:00")
    again.close()


def test_five_wrong_recovery_keys_lock_the_key(recovery: tuple[Path, str], clock: Clock) -> None:
    path, key = recovery
    for _ in range(4):
        with pytest.raises(ValidationError) as e:
            accounts.recover(path, "AAAA-BBBB", TEST_USER, "brand-new-pass", clock=clock)
        assert e.value.errors == {"recovery_key": "恢复密钥不正确，请核对后重新输入"}
    with pytest.raises(AccountLocked) as locked:
        accounts.recover(path, "AAAA-BBBB", TEST_USER, "brand-new-pass", clock=clock)
    assert str(locked.value) == "恢复密钥连续输错5次，已锁定15分钟。"
    with pytest.raises(AccountLocked):
        accounts.recover(path, key, TEST_USER, "brand-new-pass", clock=clock)
    clock.now += dt.timedelta(minutes=15)
    ctx = accounts.recover(path, key, TEST_USER, "brand-new-pass", clock=clock)
    assert [e.event for e in audit_store.entries(ctx.db)].count("recovery.failed") == 6
    ctx.close()


def test_a_right_recovery_key_for_an_unknown_name_is_not_a_guess(recovery: tuple[Path, str], clock: Clock) -> None:
    path, key = recovery
    for _ in range(4):
        with pytest.raises(ValidationError):
            accounts.recover(path, "AAAA-BBBB", TEST_USER, "brand-new-pass", clock=clock)
    with pytest.raises(ValidationError):
        accounts.recover(path, key, "nobody", "brand-new-pass", clock=clock)
    with pytest.raises(ValidationError) as e:  # the count began again: this is the first wrong one
        accounts.recover(path, "AAAA-BBBB", TEST_USER, "brand-new-pass", clock=clock)
    assert e.value.errors == {"recovery_key": "恢复密钥不正确，请核对后重新输入"}


def test_a_new_recovery_key_replaces_the_old(recovery: tuple[Path, str], clock: Clock) -> None:
    path, old = recovery
    admin = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    new = accounts.new_recovery_key(admin)
    assert new != old and [e.event for e in audit_store.entries(admin.db)][-1] == "recovery.key"
    admin.close()
    with pytest.raises(ValidationError):
        accounts.recover(path, old, TEST_USER, "brand-new-pass", clock=clock)
    accounts.recover(path, new, TEST_USER, "brand-new-pass", clock=clock).close()


def _one_version_behind(path: Path, clock: Clock) -> int:
    """The office's database as the program before the last update left it: one migration not yet made."""
    admin = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock)
    latest = migrate.current_version(admin.db)
    admin.db.execute(f"PRAGMA user_version = {latest - 1}")
    admin.close()
    return latest


def test_signing_in_or_recovering_on_an_older_database_tells_each_step_of_the_upgrade(recovery: tuple[Path, str],
                                                                                      clock: Clock) -> None:
    """The sign-in window shows the upgrade's steps (gui/security/sign_in.py) whichever way she comes in: with her
    password, or with the recovery key after forgetting it. One migration to make: two steps, the copy set aside and
    the migration (its number written with four digits)."""
    path, key = recovery
    for come_in in ("password", "recovery key"):
        latest = _one_version_behind(path, clock)
        told: list[migrate.Step] = []
        if come_in == "password":
            ctx = accounts.sign_in(path, "wangxl", "dongshan-2026", clock=clock, progress=told.append)
        else:
            ctx = accounts.recover(path, key, TEST_USER, "brand-new-pass", clock=clock, progress=told.append)
        assert migrate.current_version(ctx.db) == latest
        ctx.close()
        said = list(dict.fromkeys(step.text for step in told))
        assert said == ["第1步（共2步）：保存升级前的副本", f"第2步（共2步）：调整数据库结构（第{latest:04d}号）"], come_in


# --- the administrator's work ------------------------------------------------------------------------------------


@pytest.fixture
def admin(recovery: tuple[Path, str], clock: Clock) -> Context:
    return accounts.sign_in(recovery[0], "wangxl", "dongshan-2026", clock=clock)


def _id(ctx: Context, username: str) -> int:
    account_id = next(a.id for a in accounts.list_accounts(ctx) if a.username == username)
    assert account_id is not None
    return account_id


def test_an_account_that_does_not_exist(admin: Context) -> None:
    with pytest.raises(NotFound) as e:
        accounts.get(admin, 999)
    assert str(e.value) == "找不到这个账号"
    assert accounts.get(admin, _id(admin, TEST_USER)).display_name == "测试员"


def test_a_user_name_is_taken_once_even_by_a_disabled_account(admin: Context) -> None:
    accounts.disable(admin, _id(admin, TEST_USER))
    with pytest.raises(ValidationError) as e:
        accounts.add_account(admin, TEST_USER.upper(), "另一人", {"window"}, "first-pass-1")
    assert e.value.errors == {"username": "已有这个用户名的账号（包括已停用的），请换一个"}
    new_id = accounts.add_account(admin, "lili", "李丽", {"window"}, "first-pass-1")
    lili = accounts.get(admin, new_id)
    assert (lili.username, lili.display_name, lili.roles, lili.active, lili.must_change) == (
        "lili", "李丽", frozenset({"window"}), True, True)


def test_a_reset_password_is_changed_at_next_sign_in(admin: Context, recovery: tuple[Path, str],
                                                     clock: Clock) -> None:
    me = _id(admin, TEST_USER)
    _has_chosen_her_own_password(recovery[0], clock)
    with pytest.raises(ValidationError):
        accounts.reset_password(admin, me, "short")
    accounts.reset_password(admin, me, "reset-pass-9")
    assert accounts.get(admin, me).must_change is True
    assert [(e.event, e.target, e.details()) for e in audit_store.entries(admin.db)][-1] == (
        "account.password", f"account:{me}", {"by": "admin"})
    ctx = accounts.sign_in(recovery[0], TEST_USER, "reset-pass-9", clock=clock)
    assert ctx.user is not None and ctx.user.must_change is True
    ctx.close()
    accounts.disable(admin, me)
    with pytest.raises(RuleError) as e:
        accounts.reset_password(admin, me, "reset-pass-10")
    assert str(e.value) == "这个账号已停用。要重新启用，请点“启用”并设置新密码。"


def test_a_reset_lifts_the_lock(admin: Context, recovery: tuple[Path, str], clock: Clock) -> None:
    for _ in range(5):
        _wrong_sign_in(recovery[0], clock)
    accounts.reset_password(admin, _id(admin, TEST_USER), "reset-pass-9")
    accounts.sign_in(recovery[0], TEST_USER, "reset-pass-9", clock=clock).close()


def _has_chosen_her_own_password(path: Path, clock: Clock) -> None:
    """TEST_USER changes the first password she was given: she no longer has to change it."""
    ctx = accounts.sign_in(path, TEST_USER, TEST_PASSWORD, clock=clock)
    accounts.change_password(ctx, TEST_PASSWORD, "her-own-pass-5")
    assert ctx.user is not None and ctx.user.must_change is False
    ctx.close()


def test_disabling_and_enabling(admin: Context, recovery: tuple[Path, str], clock: Clock) -> None:
    me = _id(admin, TEST_USER)
    _has_chosen_her_own_password(recovery[0], clock)
    with pytest.raises(RuleError) as e:
        accounts.disable(admin, _id(admin, "wangxl"))
    assert str(e.value) == "不能停用自己正在使用的账号。"
    accounts.disable(admin, me)
    assert accounts.get(admin, me).active is False
    with pytest.raises(ValidationError):
        accounts.enable(admin, me, "short")
    for _ in range(5):
        _wrong_sign_in(recovery[0], clock)
    accounts.enable(admin, me, "again-pass-3")
    a = accounts.get(admin, me)
    assert (a.active, a.must_change) == (True, True)
    accounts.sign_in(recovery[0], TEST_USER, "again-pass-3", clock=clock).close()


def test_the_last_administrator_is_kept(admin: Context) -> None:
    me, boss = _id(admin, TEST_USER), _id(admin, "wangxl")
    message = "这是唯一一个管理员账号，不能停用或去掉管理员角色。请先给另一位同事设置管理员角色。"
    with pytest.raises(RuleError) as e:
        accounts.set_roles(admin, boss, {"window"}, "any")
    assert str(e.value) == message
    accounts.set_roles(admin, me, {"window", "admin"})
    assert accounts.get(admin, me).roles == frozenset({"window", "admin"})
    other = accounts.sign_in(admin.path, TEST_USER, TEST_PASSWORD, clock=admin.clock)
    accounts.disable(other, boss)  # two administrators: one may go
    with pytest.raises(RuleError) as e:
        accounts.set_roles(other, me, {"window"}, "x")
    assert str(e.value) == message
    with pytest.raises(RuleError) as e:  # the one she disabled, still signed in elsewhere, cannot disable her back
        accounts.disable(admin, me)
    assert str(e.value) == message
    assert accounts.get(other, me).active is True
    other.close()


def test_roles_are_checked(admin: Context) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.set_roles(admin, _id(admin, TEST_USER), set())
    assert set(e.value.errors) == {"roles"}


def test_ones_own_roles_need_the_recovery_key(admin: Context, recovery: tuple[Path, str]) -> None:
    boss = _id(admin, "wangxl")
    for blank in ("  ", None):  # typed blank, or not given at all
        with pytest.raises(ValidationError) as e:
            if blank is None:
                accounts.set_roles(admin, boss, {"admin", "director"})
            else:
                accounts.set_roles(admin, boss, {"admin", "director"}, blank)
        assert e.value.errors == {"recovery_key": "修改自己账号的角色需要恢复密钥；也可以请另一位管理员修改"}
    for _ in range(4):
        with pytest.raises(ValidationError) as e:
            accounts.set_roles(admin, boss, {"admin", "director"}, "AAAA-BBBB")
        assert e.value.errors == {"recovery_key": "恢复密钥不正确，请核对后重新输入"}
    with pytest.raises(AccountLocked) as locked:
        accounts.set_roles(admin, boss, {"admin", "director"}, "AAAA-BBBB")
    assert str(locked.value) == "恢复密钥连续输错5次，已锁定15分钟。"
    assert [(e.result, e.details()) for e in audit_store.entries(admin.db) if e.event == "recovery.failed"] == [
        ("failed", {"locked": False})] * 4 + [("failed", {"locked": True})]
    assert accounts.get(admin, boss).roles == frozenset({"admin"})
    with pytest.raises(AccountLocked) as again:  # a sixth while locked: refused, and kept for the trail
        accounts.set_roles(admin, boss, {"admin", "director"}, recovery[1])
    assert str(again.value) == "登录失败次数过多，这个账号已锁定，请在09:45以后再试。"  # 09:30 + 15 minutes
    later = accounts.sign_in(recovery[0], TEST_USER, TEST_PASSWORD, clock=admin.clock)
    assert [(e.event, e.result, e.actor_id, e.details()) for e in audit_store.entries(later.db)][-2] == (
        "recovery.failed", "failed", None, {"locked": True, "account_known": False})
    later.close()
    admin.clock.now += dt.timedelta(minutes=15)  # type: ignore[attr-defined]
    accounts.set_roles(admin, boss, {"admin", "director"}, recovery[1])
    assert accounts.get(admin, boss).roles == frozenset({"admin", "director"})
    assert admin.roles == frozenset({"admin", "director"})
    assert admin.user is not None and admin.user.roles == frozenset({"admin", "director"})
    accounts.set_roles(admin, boss, {"admin", "director"})  # the same roles again: no key needed


def test_a_right_recovery_key_clears_its_count(admin: Context, recovery: tuple[Path, str]) -> None:
    boss = _id(admin, "wangxl")
    for _ in range(4):
        with pytest.raises(ValidationError):
            accounts.set_roles(admin, boss, {"admin", "director"}, "AAAA-BBBB")
    accounts.set_roles(admin, boss, {"admin", "director"}, recovery[1])
    with pytest.raises(ValidationError):  # one more wrong one is the first again, not the fifth
        accounts.set_roles(admin, boss, {"admin"}, "AAAA-BBBB")


def test_renaming(admin: Context) -> None:
    me = _id(admin, TEST_USER)
    accounts.rename(admin, me, "  测试员 甲 ")
    assert accounts.get(admin, me).display_name == "测试员 甲"
    with pytest.raises(ValidationError) as e:
        accounts.rename(admin, me, " ")
    assert set(e.value.errors) == {"display_name"}
    with pytest.raises(NotFound):
        accounts.rename(admin, 999, "x")


# --- the demo ----------------------------------------------------------------------------------------------------


def test_the_demo_has_an_administrator_and_a_staff_member_holding_every_case_role(tmp_path: Path,
                                                                                 clock: Clock) -> None:
    path = tmp_path / "demo.db"
    own = keys.KdfParams(time_cost=2, memory_cost=8, parallelism=1)  # not the tests' default: is it the one used?
    ctx = accounts.setup_demo(path, clock=clock, kdf=own)
    assert ctx.user is not None and (ctx.user.username, ctx.user.display_name) == ("demo", "演示工作人员")
    assert ctx.roles == frozenset({"window", "mediator", "director"})
    assert settings.office_name(ctx) == "演示县妇联"
    assert [(e.event, e.at, e.details()) for e in audit_store.entries(ctx.db)][-1] == (
        "login", "2026-03-10T09:30:00", {"via": "demo"})
    ctx.close()
    assert keys.KeyFile.load(accounts.keyfile_for(path)).kdf == own  # type: ignore[union-attr]
    admin = accounts.sign_in(path, "demo-admin", "fulian-admin-demo", clock=clock)
    assert admin.user is not None and (admin.user.display_name, admin.roles) == ("演示管理员", frozenset({"admin"}))
    assert [(a.username, a.display_name, a.roles, a.active, a.must_change) for a in accounts.list_accounts(admin)] == [
        ("demo-admin", "演示管理员", frozenset({"admin"}), True, False),
        ("demo", "演示工作人员", frozenset({"window", "mediator", "director"}), True, False)]
    admin.close()
    accounts.sign_in(path, "demo", "fulian-demo", clock=clock).close()
