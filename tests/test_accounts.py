"""Accounts and the encrypted database: first start, sign-in, lock-out (also across a restart), the same
answer for every wrong sign-in, the administrator's work, the recovery key, a wrong key refused, and an
unencrypted database from an earlier version converted with nothing lost."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlcipher3
from argon2 import PasswordHasher

from fulian_desktop.domain.accounts import AccountLocked, LoginFailed
from fulian_desktop.domain.errors import RuleError, StorageError, ValidationError
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, cases, petitions, settings
from fulian_desktop.services.context import open_context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store import keys
from fulian_desktop.store.connection import file_state, open_database

from .conftest import CHEAP_KDF, Clock

ROOT = Path(__file__).resolve().parents[1]
ADMIN, ADMIN_PW = "wangxl", "dongshan-2026"


def start(path: Path, clock: Clock, roles: frozenset[str] = frozenset({"director"})) -> accounts.Started:
    return accounts.first_start(path, "东山县妇联", "王秀兰", ADMIN, ADMIN_PW, case_roles=roles, clock=clock,
                                kdf=CHEAP_KDF)


def petition(name: str = "柳如烟", id_number: str = "", phone: str = "13907341234") -> Petition:
    return Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="石桥村",
        petitioner=Person(name=name, id_number=id_number, phone=phone, address="东山镇石桥村3组"), concerned=None,
        category="婚姻家庭", subcategory="家庭暴力", facts="丈夫酒后打人，已报警。", request="请求帮助申请人身安全保护令。",
        dv=True, safety_risk=True, receiving_staff="接待员",
    )


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Path:
    """A set-up database with the administrator (also 主任) and a window staff member, closed."""
    path = tmp_path / "office" / "fulian.db"
    ctx = start(path, clock).ctx
    accounts.add_account(ctx, "lili", "李丽", {"window"}, "first-pass-1")
    ctx.close()
    return path


# --- first start and the encrypted file ----------------------------------------------------------------


def test_first_start_makes_an_encrypted_database_and_a_key_file(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "fulian.db"
    assert accounts.needs_setup(path) and accounts.existing_data(path) == "none"
    started = start(path, clock)
    ctx = started.ctx
    assert ctx.user is not None and ctx.user.username == ADMIN and ctx.roles == {"admin", "director"}
    assert settings.office_name(ctx) == "东山县妇联"
    assert len(keys.normalize_recovery_key(started.recovery_key)) == keys.RECOVERY_LENGTH
    petitions.register(ctx, petition())
    ctx.close()
    assert not accounts.needs_setup(path)
    assert file_state(path) == "encrypted"
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite sees nothing
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    with pytest.raises(StorageError, match="密钥不对"):
        open_database(path, key=keys.new_database_key())
    with pytest.raises(StorageError, match="登录"):
        open_context(path)  # no way round the sign-in
    kf = json.loads(accounts.keyfile_for(path).read_text(encoding="utf-8"))
    assert ADMIN not in json.dumps(kf) and "王秀兰" not in json.dumps(kf, ensure_ascii=False)
    assert len(kf["slots"]) == 1 and kf["recovery"]


def test_first_start_checks_what_was_typed(tmp_path: Path, clock: Clock) -> None:
    with pytest.raises(ValidationError) as e:
        accounts.first_start(tmp_path / "a.db", " ", "", "a b", "short", clock=clock, kdf=CHEAP_KDF)
    assert set(e.value.errors) == {"office_name", "display_name", "username", "password"}
    with pytest.raises(ValidationError) as e:
        accounts.first_start(tmp_path / "a.db", "县妇联", "王秀兰", "wangxl", "wangxl", clock=clock, kdf=CHEAP_KDF)
    assert "password" in e.value.errors
    assert not (tmp_path / "a.db").exists() and accounts.needs_setup(tmp_path / "a.db")


def test_first_start_runs_once(office: Path, clock: Clock) -> None:
    with pytest.raises(RuleError, match="已经设置过"):
        start(office, clock)


# --- signing in -------------------------------------------------------------------------------------------


def test_sign_in_gives_the_account_and_its_roles(office: Path, clock: Clock) -> None:
    ctx = accounts.sign_in(office, "LiLi", "first-pass-1", clock=clock)  # user names ignore case
    assert ctx.user is not None and ctx.user.display_name == "李丽" and ctx.staff == "李丽"
    assert ctx.roles == {"window"} and ctx.user.must_change  # a password the administrator chose
    accounts.change_password(ctx, "first-pass-1", "my-own-pass-9")
    assert not ctx.user.must_change
    ctx.close()
    again = accounts.sign_in(office, "lili", "my-own-pass-9", clock=clock)
    assert again.user is not None and not again.user.must_change
    again.close()
    with pytest.raises(LoginFailed):
        accounts.sign_in(office, "lili", "first-pass-1", clock=clock)


def test_a_damaged_slot_is_told_apart_from_a_wrong_password(office: Path, clock: Clock) -> None:
    """The unwrap is the password check; when it fails, the password hash says whether the password was
    right (the account's copy of the key is damaged: use the recovery key) or wrong."""
    path = keys.keyfile_path(office)
    data = json.loads(path.read_text("utf-8"))
    kf = keys.KeyFile.load(path)
    assert kf is not None
    slot = data["slots"][kf.name_id("lili")]
    wrapped = bytearray(base64.b64decode(slot["key"]))
    wrapped[3] ^= 0x40
    slot["key"] = base64.b64encode(bytes(wrapped)).decode("ascii")
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(StorageError, match="恢复密钥"):
        accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    with pytest.raises(LoginFailed):
        accounts.sign_in(office, "lili", "not-her-password", clock=clock)


def _message(path: Path, user: str, password: str, clock: Clock) -> str:
    with pytest.raises(LoginFailed) as e:
        accounts.sign_in(path, user, password, clock=clock)
    return e.value.message


def test_the_message_never_says_whether_the_name_exists(office: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    costs: list[str] = []
    real_verify = PasswordHasher.verify
    real_derive = keys.derive

    def verify(self: PasswordHasher, encoded: str, password: str) -> bool:
        costs.append("verify")
        return bool(real_verify(self, encoded, password))

    def derive(secret: str, salt: bytes, p: keys.KdfParams) -> bytes:
        costs.append("derive")
        return real_derive(secret, salt, p)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    monkeypatch.setattr(keys, "derive", derive)
    wrong_password = _message(office, "lili", "not-her-password", clock)
    cost_known = list(costs)
    costs.clear()
    unknown_name = _message(office, "nobody", "not-her-password", clock)
    assert wrong_password == unknown_name  # word for word, the same count of tries left
    assert costs == cost_known == ["derive", "verify"]  # the same Argon2id work either way
    costs.clear()
    accounts.sign_in(office, "lili", "first-pass-1", clock=clock).close()
    assert costs == ["derive"]  # the right password: one Argon2id, the unwrap is the check

    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    lili = next(a for a in accounts.list_accounts(admin) if a.username == "lili")
    assert lili.id is not None
    accounts.disable(admin, lili.id)
    admin.close()
    assert _message(office, "lili", "first-pass-1", clock).split("再输错")[0] == wrong_password.split("再输错")[0]


def test_five_wrong_passwords_lock_for_fifteen_minutes_even_after_a_restart(office: Path, clock: Clock) -> None:
    for left in (4, 3, 2, 1):
        assert f"再输错{left}次" in _message(office, "lili", "wrong", clock)
    with pytest.raises(AccountLocked, match="15分钟"):
        accounts.sign_in(office, "lili", "wrong", clock=clock)
    with pytest.raises(AccountLocked):  # the right password does not help while locked
        accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    # a restart: a new process reads the key file and finds the lock
    code = (
        "import datetime as dt, sys\n"
        "from fulian_desktop.services import accounts\n"
        "from fulian_desktop.domain.accounts import AccountLocked\n"
        f"clock = lambda: dt.datetime.fromisoformat({clock.now.isoformat()!r})\n"
        "try:\n"
        f"    accounts.sign_in({str(office)!r}, 'lili', 'first-pass-1', clock=clock)\n"
        "except AccountLocked:\n"
        "    print('LOCKED')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "LOCKED", done.stderr
    # others are not affected
    accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock).close()
    clock.now += dt.timedelta(minutes=15, seconds=1)
    ctx = accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    ctx.close()
    assert "再输错4次" in _message(office, "lili", "wrong", clock)  # the count starts again


def test_failed_sign_ins_reach_the_audit_trail(office: Path, clock: Clock) -> None:
    _message(office, "lili", "wrong", clock)
    _message(office, "someone-else", "wrong", clock)
    ctx = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    failed = audit_store.page(ctx.db, audit_store.AuditFilter(event="login.failed"))
    assert len(failed) == 2
    by_known = {e.details()["account_known"]: e for e in failed}
    assert by_known[True].actor == "lili" and by_known[False].actor == ""
    assert "someone-else" not in json.dumps([e.detail for e in failed])
    ctx.close()


def test_a_sign_in_writes_the_key_file_twice_and_commits_once(office: Path, clock: Clock,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The attempt counted before the password is checked (one write), then the failures cleared, the waiting
    entries taken and the trail's end in one write, after one commit of the waiting entries, the last sign-in and
    the sign-in's entry (issue 22: each write of the key file is two waits for the disk)."""
    _message(office, "lili", "wrong", clock)
    saved: list[dict[str, object]] = []
    real_save = keys.KeyFile.save

    def save(self: keys.KeyFile) -> None:
        saved.append(json.loads(json.dumps(self.data)))
        real_save(self)

    monkeypatch.setattr(keys.KeyFile, "save", save)
    commits: list[str] = []
    real_open = accounts.open_database

    def counting_open(*args: object, **kw: object) -> object:
        db = real_open(*args, **kw)  # type: ignore[arg-type]
        db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
        return db

    monkeypatch.setattr(accounts, "open_database", counting_open)
    ctx = accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    try:
        assert len(saved) == 2
        nid = keys.KeyFile.load(accounts.keyfile_for(office)).name_id("lili")  # type: ignore[union-attr]
        assert saved[0]["attempts"][nid]["failures"] == 2  # type: ignore[index]  # this one counted first
        assert saved[1]["attempts"] == {} and saved[1]["pending"] == []
        head_id, head_hash = audit_store.head(ctx.db)
        anchor = saved[1]["audit_anchor"]
        assert anchor["id"] == head_id and anchor["hash"] == head_hash  # type: ignore[index]
        assert len(commits) == 1
        events = [e.event for e in audit_store.page(ctx.db, audit_store.AuditFilter())][:2]
        assert events == ["login", "login.failed"]  # the waiting failure, then the sign-in (newest first)
        last = ctx.db.execute("SELECT last_login FROM accounts WHERE username = 'lili'").fetchone()[0]
        assert last == clock.now.isoformat(timespec="seconds")
    finally:
        ctx.close()


def test_the_attempt_is_saved_while_the_password_is_checked(office: Path, clock: Clock,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: the key derivation (Argon2id) runs while the attempt's count is written to the disk, not after it
    (the first write of the key file waits here until the derivation has begun: in the old order it never would)."""
    deriving = threading.Event()
    real_derive, real_save = keys.derive, keys.KeyFile.save
    overlapped: list[bool] = []

    def derive(*args: object) -> bytes:
        deriving.set()
        return real_derive(*args)  # type: ignore[arg-type]

    def save(self: keys.KeyFile) -> None:
        overlapped.append(deriving.wait(timeout=5))
        real_save(self)

    monkeypatch.setattr(keys, "derive", derive)
    monkeypatch.setattr(keys.KeyFile, "save", save)
    ctx = accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    ctx.close()
    assert overlapped[0] is True


def test_no_sign_in_when_the_attempt_cannot_be_saved(office: Path, clock: Clock,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The right password is not let in while its attempt's count could not be written: the key file's error is
    shown, the database is not opened, the key file is as it was."""
    before = accounts.keyfile_for(office).read_bytes()

    def save(self: keys.KeyFile) -> None:
        raise StorageError("无法保存密钥文件")

    opened: list[object] = []
    monkeypatch.setattr(keys.KeyFile, "save", save)
    monkeypatch.setattr(accounts, "open_database", lambda *a, **k: opened.append(a))
    with pytest.raises(StorageError, match="无法保存密钥文件"):
        accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    assert opened == [] and accounts.keyfile_for(office).read_bytes() == before


# --- the administrator's work ------------------------------------------------------------------------------


def test_administrator_adds_resets_disables_and_enables(office: Path, clock: Clock) -> None:
    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    new_id = accounts.add_account(admin, "zhaomin", "赵敏", {"mediator"}, "temp-pass-2")
    with pytest.raises(ValidationError, match="已有这个用户名"):
        accounts.add_account(admin, "ZhaoMin", "赵敏", {"mediator"}, "temp-pass-2")
    accounts.reset_password(admin, new_id, "temp-pass-3")
    accounts.set_roles(admin, new_id, {"mediator", "window"})
    accounts.disable(admin, new_id)
    with pytest.raises(ValidationError):
        accounts.enable(admin, new_id, "x")
    admin.close()
    with pytest.raises(LoginFailed):
        accounts.sign_in(office, "zhaomin", "temp-pass-3", clock=clock)
    kf = keys.KeyFile.load(accounts.keyfile_for(office))
    assert kf is not None and not kf.has_slot("zhaomin")  # her copy of the key is gone
    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    accounts.enable(admin, new_id, "temp-pass-4")
    admin.close()
    z = accounts.sign_in(office, "zhaomin", "temp-pass-4", clock=clock)
    assert z.roles == {"mediator", "window"} and z.user is not None and z.user.must_change
    z.close()


def test_the_last_administrator_stays(office: Path, clock: Clock) -> None:
    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    assert admin.user is not None and admin.user.id is not None
    with pytest.raises(RuleError, match="唯一一个管理员"):
        accounts.set_roles(admin, admin.user.id, {"director"})
    with pytest.raises(RuleError, match="自己"):
        accounts.disable(admin, admin.user.id)
    admin.close()


def test_adding_people_never_re_encrypts(office: Path, clock: Clock) -> None:
    before = office.read_bytes()[:4096]
    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    for i in range(3):
        accounts.add_account(admin, f"staff{i}", f"同事{i}", {"window"}, f"temp-pass-{i}x")
    admin.close()
    assert office.read_bytes()[:16] == before[:16]  # the same SQLCipher salt: the same key
    kf = keys.KeyFile.load(accounts.keyfile_for(office))
    assert kf is not None and len(kf.data["slots"]) == 5


# --- the recovery key ---------------------------------------------------------------------------------------


def test_idle_lock_minutes_are_a_setting_for_the_administrator(office: Path, clock: Clock) -> None:
    admin = accounts.sign_in(office, ADMIN, ADMIN_PW, clock=clock)
    assert accounts.idle_minutes(admin) == 10
    accounts.set_idle_minutes(admin, 5)
    with pytest.raises(ValidationError):
        accounts.set_idle_minutes(admin, 0)
    admin.close()
    lili = accounts.sign_in(office, "lili", "first-pass-1", clock=clock)
    assert accounts.idle_minutes(lili) == 5
    with pytest.raises(PermissionDenied):
        accounts.set_idle_minutes(lili, 60)
    lili.close()


def test_the_recovery_key_unlocks_and_sets_a_new_password(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "fulian.db"
    started = start(path, clock)
    case_id, _ = petitions.register(started.ctx, petition())
    started.ctx.close()
    typed = started.recovery_key.lower().replace("-", " ")  # as someone types it from the paper
    with pytest.raises(ValidationError, match="恢复密钥不正确"):
        accounts.recover(path, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", ADMIN, "brand-new-pw1", clock=clock)
    ctx = accounts.recover(path, typed, ADMIN, "brand-new-pw1", clock=clock)
    assert petitions.get(ctx, case_id).petitioner.name == "柳如烟"
    assert audit_store.count(ctx.db, audit_store.AuditFilter(event="recovery")) == 1
    fresh = accounts.new_recovery_key(ctx)
    ctx.close()
    accounts.sign_in(path, ADMIN, "brand-new-pw1", clock=clock).close()
    with pytest.raises(ValidationError):  # the old key stopped working
        accounts.recover(path, started.recovery_key, ADMIN, "another-pw-22", clock=clock)
    accounts.recover(path, fresh, ADMIN, "another-pw-22", clock=clock).close()


# --- an unencrypted database from an earlier version ---------------------------------------------------------


def _everything(conn: sqlite3.Connection | object, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}  # type: ignore[attr-defined]


def test_an_unencrypted_database_is_converted_with_nothing_lost(tmp_path: Path, clock: Clock) -> None:
    from fulian_desktop.demo import generate as demo

    path = tmp_path / "fulian.db"
    old = open_context(path, clock=clock, staff="接待员")
    demo.generate(old, 40, seed=7)
    case_id, case_no = petitions.register(old, petition(name="柳如烟"))
    old.close()
    plain = sqlcipher3.connect(str(path))  # no key: the plain file, read by the SQLite the program uses (FTS5 options)
    tables = [r[0] for r in plain.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    before = _everything(plain, tables)
    plain.close()
    assert accounts.existing_data(path) == "plain"

    started = start(path, clock)
    assert started.set_aside is not None and started.set_aside.name == "fulian.db.before-encryption"
    assert file_state(started.set_aside) == "plain" and file_state(path) == "encrypted"
    ctx = started.ctx
    after = _everything(ctx.db, tables)
    grows = ("settings", "audit", "record_history", "accounts")  # the first start adds to these
    for table in tables:
        if table in grows:
            assert set(before[table]) <= set(after[table]), table
        elif table != "audit_head":
            assert after[table] == before[table], table
    assert [r.case_no for r in cases.find(ctx, "柳如烟")] == [case_no]  # the search index came along
    assert petitions.get(ctx, case_id).petitioner.phone == "13907341234"
    ctx.close()
