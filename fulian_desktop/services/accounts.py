"""Staff accounts: first start, signing in, the lock screen, passwords, the recovery key, and the
administrator's work (add, disable, reset, roles).

The database is encrypted; its key is unwrapped from the key file with the password (store/keys.py).
The sign-in message is the same for an unknown name, a wrong password and a disabled account; after
five wrong passwords the name is locked for fifteen minutes, and the lock is kept in the key file, so a
restart does not lift it. Failed sign-ins happen before the database can be opened: they wait in the
key file and go into the audit trail with the next successful sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain import accounts as rules
from ..domain.accounts import Account, AccountLocked, LoginFailed
from ..domain.errors import NotFound, RuleError, StorageError, ValidationError
from ..domain.office import office_from
from ..store import accounts as store
from ..store import audit as audit_store
from ..store import keys
from ..store.connection import encrypt_plain_file, file_state, open_database, write_transaction
from ..store.keys import KdfParams, KeyFile
from ..store.migrate import Progress
from ..store.migrate import Step as Step  # what `progress` is told (the sign-in's upgrade window)
from . import audit, settings
from .context import Context, Session, system_clock

Clock = Callable[[], dt.datetime]
RECOVERY_NAME = "\x00recovery"  # the lock-out counter for recovery-key attempts
DEMO_ADMIN = ("demo-admin", "演示管理员", frozenset({"admin"}), "fulian-admin-demo")
DEMO_STAFF = ("demo", "演示工作人员", frozenset({"window", "mediator", "director"}), "fulian-demo")


@dataclass
class Started:
    """What first start gives back: the signed-in administrator, the recovery key (shown once), and
    where an earlier unencrypted database was set aside (None if there was none)."""

    ctx: Context
    recovery_key: str
    set_aside: Path | None


def keyfile_for(path: Path | str) -> Path:
    return keys.keyfile_path(path)


def needs_setup(path: Path | str) -> bool:
    """True when the database has no accounts yet (no key file): the first start must run."""
    return not keyfile_for(path).exists()


def existing_data(path: Path | str) -> str:
    """"none", "plain" (an unencrypted database from an earlier version, to be converted) or "encrypted"."""
    state = file_state(path)
    return "none" if state == "missing" else state


def _session(ctx: Context) -> Session:
    if ctx.session is None or ctx.user is None:
        raise RuleError("请先登录")
    return ctx.session


def _load(path: Path) -> KeyFile:
    kf = KeyFile.load(path)
    if kf is None:
        raise StorageError("找不到密钥文件，无法打开加密的数据库。请把与数据库同名的 .keys 文件放回数据库旁边，"
                           "或从备份恢复。")
    return kf


# --- first start ----------------------------------------------------------------------------------


def _validate_office(name: str, errors: dict[str, str]) -> str:
    n = " ".join(name.split())
    if not n:
        errors["office_name"] = "请填写单位名称，如“某某县妇联”"
    elif len(n) > 40:
        errors["office_name"] = "单位名称不能超过40个字"
    return n


def first_start(
    path: Path | str, office_name: str, display_name: str, username: str, password: str, *,
    case_roles: set[str] | frozenset[str] = frozenset(), clock: Clock = system_clock, kdf: KdfParams | None = None,
    office_level: str | None = None, county: str = "", township: str = "",
) -> Started:
    """Set up a database: the first administrator (who also holds `case_roles`, if she handles cases
    herself), a random database key, the recovery key. An unencrypted database from an earlier version
    is encrypted in place (the original set aside). With `office_level` the office is set too (县妇联, or a
    named 乡镇（街道）妇联 under `county`: the settings' check and words, domain/office.py)."""
    errors: dict[str, str] = {}
    office = _validate_office(office_name, errors)
    if office_level is not None:
        try:
            office_from(office_level, county, township)
        except ValidationError as e:
            errors.update(e.errors)
    roles = frozenset({"admin"}) | frozenset(case_roles)
    user = name = pw = ""
    try:
        user, name, roles, pw = rules.validate_new_account(username, display_name, roles, password)
    except ValidationError as e:
        errors.update(e.errors)
    if errors:
        raise ValidationError(errors)
    ctx, recovery, aside = set_up(Path(path), [(user, name, roles, pw, False)], clock, kdf)
    settings.set_office_name(ctx, office)
    if office_level is not None:
        from . import exchange_packages

        exchange_packages.set_office(ctx, office_level, county, township)
    return Started(ctx, recovery, aside)


def set_up(
    db_path: Path, people: list[tuple[str, str, frozenset[str], str, bool]], clock: Clock = system_clock,
    kdf: KdfParams | None = None,
) -> tuple[Context, str, Path | None]:
    """A key file with a slot for each (username, name, roles, password, must_change), the database
    encrypted with a new key; signed in as the first of them. Returns the context, the recovery key and
    where an unencrypted database was set aside. (first_start and setup_demo build on this; tests too.)"""
    kf_path = keyfile_for(db_path)
    if kf_path.exists():
        raise RuleError("这个数据库已经设置过账号，请直接登录。")
    state = file_state(db_path)
    if state == "encrypted":
        raise StorageError(f"数据库文件“{db_path.name}”已加密，但旁边找不到它的密钥文件（{kf_path.name}）。"
                           "请把密钥文件放回数据库旁边，或从备份恢复。")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(f"无法创建数据文件夹：{db_path.parent}（{e.strerror}）") from e
    db_key = keys.new_database_key()
    recovery = keys.new_recovery_key()
    kf = KeyFile.create(kf_path, kdf or keys.DEFAULT_KDF)
    for username, _name, _roles, password, _must in people:
        kf.set_password(username, password, db_key)
    kf.set_recovery(recovery, db_key)
    kf.save()  # first: a database is never encrypted with a key that is not kept
    try:
        aside = encrypt_plain_file(db_path, db_key) if state == "plain" else None
        db = open_database(db_path, key=db_key)
    except BaseException:
        if file_state(db_path) != "encrypted":
            kf_path.unlink(missing_ok=True)
        raise
    now = clock()
    username, name, roles, _pw, must = people[0]
    first = Account(None, username, name, roles, True, must)
    ctx = Context(db=db, clock=clock, staff=name, path=db_path, roles=roles, user=first,
                  session=Session(db_key, kf_path))
    with ctx.action() as tx:
        first.id = store.insert(tx, first, now)
        for username, name, roles, _pw, must in people[1:]:
            store.insert(tx, Account(None, username, name, roles, True, must), now)
        store.update(tx, first.id, now, last_login=now.isoformat(timespec="seconds"))
    ctx.record("login", detail={"via": "first_start", "set_aside": aside is not None})
    return ctx, recovery, aside


# --- signing in -----------------------------------------------------------------------------------


def _failed(kf: KeyFile, username: str, now: dt.datetime, what: str = "login.failed",
            counted: bool = True) -> LoginFailed | AccountLocked:
    locked = kf.record_failure(username, now, what, counted=counted)
    kf.save()
    if locked is not None:
        return AccountLocked(f"连续{rules.MAX_FAILURES}次密码错误，这个账号已锁定{rules.LOCK_MINUTES}分钟"
                             f"（到{locked:%H:%M}）。请稍后再试，或请管理员帮助。")
    left = rules.MAX_FAILURES - kf.failures(username)
    return LoginFailed(f"{rules.LOGIN_FAILED}再输错{left}次，账号将被锁定{rules.LOCK_MINUTES}分钟。")


def _check_not_locked(kf: KeyFile, username: str, now: dt.datetime, what: str) -> None:
    until = kf.locked_until(username, now)
    if until is not None:
        kf.data["pending"].append({"at": now.isoformat(timespec="seconds"), "nid": kf.name_id(username),
                                   "event": what, "locked": True})
        kf.save()
        raise AccountLocked(f"登录失败次数过多，这个账号已锁定，请在{until:%H:%M}以后再试。")


def _begin(kf: KeyFile, username: str, now: dt.datetime, what: str) -> None:
    """Refuse a locked name, then count this attempt as failed before the password is checked (inside
    keys.exclusive, so that attempts made at the same moment are counted one after another)."""
    _check_not_locked(kf, username, now, what)
    until = kf.begin_attempt(username, now)
    if until is not None:
        kf.data["pending"].append({"at": now.isoformat(timespec="seconds"), "nid": kf.name_id(username),
                                   "event": what, "locked": True})
        kf.save()
        raise AccountLocked(f"登录失败次数过多，这个账号已锁定，请在{until:%H:%M}以后再试。")


def sign_in(path: Path | str, username: str, password: str, *, clock: Clock = system_clock,
            via: str = "gui", meanwhile: Callable[[], object] | None = None,
            progress: Progress | None = None) -> Context:
    """Check the password, open the database with the key it unwraps, and return the signed-in context.
    `meanwhile`: work that needs neither the password's answer nor the database (loading the modules of what comes
    next), done while the key derivation runs on its thread. `progress`: told each step of a database upgrade, when
    the database is from an earlier version (store/migrate.py).

    Raises LoginFailed (one message for every reason) or AccountLocked."""
    db_path = Path(path)
    keyfile = keyfile_for(db_path)
    now = clock()
    with keys.exclusive(keyfile):
        kf = _load(keyfile)
        _check_not_locked(kf, username, now, "login.failed")
        def count_attempt() -> None:  # saved before the password's answer is looked at, while Argon2id runs
            _begin(kf, username, now, "login.failed")
            if meanwhile is not None:
                meanwhile()

        db_key = kf.unwrap_while(username, password, count_attempt)
        if db_key is None:
            raise _failed(kf, username, now)
        db = open_database(db_path, key=db_key, progress=progress)
        account = store.by_username(db, username)
        if account is None or not account.active:
            db.close()
            raise _failed(kf, username, now)
        kf.clear_failures(username)
        pending = kf.take_pending()
        ctx = Context(db=db, clock=clock, staff=account.display_name, path=db_path, roles=account.roles,
                      user=account, session=Session(db_key, kf.path))
        try:
            # one commit: what the key file kept for the trail, the account's last sign-in, the sign-in's entry;
            # then one write of the key file (still held, so that no other sign-in takes the same waiting
            # entries): the failures cleared, the waiting entries taken, the trail's end. Should the program stop
            # in between, the attempt stays counted and the waiting entries are written again at the next
            # sign-in: twice in the trail rather than lost
            with write_transaction(db, trail_only=True):
                _write_pending(ctx, kf, pending)
                with ctx.action() as tx:
                    assert account.id is not None
                    store.update(tx, account.id, now, last_login=now.isoformat(timespec="seconds"))
                ctx.record("login", detail={"via": via})
            audit.anchor_in(ctx, kf)  # the trail's end, kept in the key file too
            kf.save()
        except BaseException:
            db.close()  # not signed in: nothing may stay open on the database
            raise
    return ctx


def _write_pending(ctx: Context, kf: KeyFile, pending: list[dict[str, object]]) -> None:
    """What the key file kept for the trail (failed sign-ins, the command line's backup checks) goes into the
    audit trail (user name only if it is an account)."""
    if not pending:
        return
    known = {kf.name_id(a.username): a for a in store.all_(ctx.db)}
    with ctx.db.atomic():
        for p in pending:
            account = known.get(str(p.get("nid", "")))
            actor = audit_store.Actor(account.id, account.username) if account else audit_store.Actor(None, "")
            at = dt.datetime.fromisoformat(str(p["at"]))
            event = str(p.get("event", "login.failed"))
            if event == "backup.verify":
                audit_store.append(ctx.db, at, actor, event, operation="cli.verify", target=str(p.get("target", "")),
                                   result=str(p.get("result", "ok")))
                continue
            detail = {"locked": bool(p.get("locked")), "account_known": account is not None}
            audit_store.append(ctx.db, at, actor, event, operation="accounts.sign_in", result="failed",
                               detail=detail)


def lock(ctx: Context) -> None:
    """The screen was locked (idle, or by hand)."""
    ctx.require("account.self")
    ctx.record("lock")
    audit.anchor(ctx)


def unlock(ctx: Context, password: str) -> None:
    """The lock screen: the signed-in account's password again (wrong ones count towards the lock-out)."""
    ctx.require("account.self")
    session = _session(ctx)
    assert ctx.user is not None
    now = ctx.now()
    with keys.exclusive(session.keyfile):
        kf = _load(session.keyfile)
        until = kf.locked_until(ctx.user.username, now) or kf.begin_attempt(ctx.user.username, now)
        if until is not None:
            ctx.record("unlock.failed", result="failed", detail={"locked": True})
            raise AccountLocked(f"密码错误次数过多，已锁定，请在{until:%H:%M}以后再试。")
        if not kf.check_password(ctx.user.username, password):
            locked = kf.record_failure(ctx.user.username, now, "unlock.failed", counted=True)
            kf.take_pending()  # the database is open: this one goes straight into the trail
            kf.save()
            ctx.record("unlock.failed", result="failed", detail={"locked": locked is not None})
            if locked is not None:
                raise AccountLocked(f"连续{rules.MAX_FAILURES}次密码错误，已锁定{rules.LOCK_MINUTES}分钟"
                                    f"（到{locked:%H:%M}）。")
            left = rules.MAX_FAILURES - kf.failures(ctx.user.username)
            raise LoginFailed(f"密码不正确。再输错{left}次，将锁定{rules.LOCK_MINUTES}分钟。")
        kf.clear_failures(ctx.user.username)
        kf.save()
    ctx.record("unlock")


def idle_minutes(ctx: Context) -> int:
    """Minutes without input before the window locks (a setting; default 10)."""
    ctx.require("account.self")
    try:
        value = int(settings.get(ctx, "idle_lock_minutes", str(rules.IDLE_LOCK_DEFAULT_MINUTES)))
    except ValueError:
        return rules.IDLE_LOCK_DEFAULT_MINUTES
    return min(max(value, 1), 120)


def set_idle_minutes(ctx: Context, minutes: int) -> None:
    ctx.require("settings.write")
    if not 1 <= minutes <= 120:
        raise ValidationError({"idle_minutes": "请填写1到120之间的分钟数"})
    settings.put(ctx, "idle_lock_minutes", str(minutes))


# --- passwords --------------------------------------------------------------------------------------


def change_password(ctx: Context, old: str, new: str) -> None:
    """The signed-in person changes her own password (also after an administrator set one)."""
    ctx.require("account.self")
    session = _session(ctx)
    user = ctx.user
    assert user is not None and user.id is not None
    now = ctx.now()
    errors: dict[str, str] = {}
    pw = rules.check_password(new, user.username, errors, "new_password")
    if not errors and rules.normalize_password(old) == pw:
        errors["new_password"] = "新密码不能与原密码相同"
    with keys.exclusive(session.keyfile):
        kf = _load(session.keyfile)
        if kf.locked_until(user.username, now) is not None or kf.begin_attempt(user.username, now) is not None:
            raise AccountLocked("密码错误次数过多，已锁定，请稍后再试。")
        if not kf.check_password(user.username, old):
            kf.record_failure(user.username, now, "unlock.failed", counted=True)
            kf.take_pending()
            kf.save()
            ctx.record("account.password", target=f"account:{user.id}", result="failed")
            raise ValidationError({"old_password": "原密码不正确"})
        kf.clear_failures(user.username)
        if errors:
            kf.save()
            raise ValidationError(errors)
        kf.set_password(user.username, pw, session.key)
        with ctx.action() as tx:
            store.update(tx, user.id, now, must_change=False)
            kf.save()
    user.must_change = False
    ctx.record("account.password", target=f"account:{user.id}", detail={"by": "self"})


def recover(path: Path | str, recovery_key: str, username: str, new_password: str, *,
            clock: Clock = system_clock, progress: Progress | None = None) -> Context:
    """A forgotten password: the recovery key unwraps the database key, the account gets the new
    password (and is active again); signed in as that account (`progress` as for sign_in)."""
    db_path = Path(path)
    keyfile = keyfile_for(db_path)
    now = clock()
    errors: dict[str, str] = {}
    rules.check_username(username, errors)
    rules.check_password(new_password, username, errors, "new_password")
    if errors:
        raise ValidationError(errors)
    with keys.exclusive(keyfile):
        kf = _load(keyfile)
        _begin(kf, RECOVERY_NAME, now, "recovery.failed")
        db_key = kf.unwrap_recovery(recovery_key)
        if db_key is None:
            locked = kf.record_failure(RECOVERY_NAME, now, "recovery.failed", counted=True)
            kf.save()
            if locked is not None:
                raise AccountLocked(f"恢复密钥连续输错{rules.MAX_FAILURES}次，已锁定{rules.LOCK_MINUTES}分钟。")
            raise ValidationError({"recovery_key": "恢复密钥不正确，请核对后重新输入"})
        db = open_database(db_path, key=db_key, progress=progress)
        account = store.by_username(db, username)
        if account is None:
            db.close()
            kf.clear_failures(RECOVERY_NAME)  # the key was right: not a guess
            kf.save()
            raise ValidationError({"username": "没有这个用户名的账号"})
        assert account.id is not None
        kf.set_password(account.username, rules.normalize_password(new_password), db_key)
        kf.clear_failures(account.username)
        kf.clear_failures(RECOVERY_NAME)
        pending = kf.take_pending()
        ctx = Context(db=db, clock=clock, staff=account.display_name, path=db_path, roles=account.roles,
                      user=account, session=Session(db_key, kf.path))
        _write_pending(ctx, kf, pending)
        with ctx.action() as tx:
            store.update(tx, account.id, now, active=True, must_change=False,
                         last_login=now.isoformat(timespec="seconds"))
            kf.save()
    account.active, account.must_change = True, False
    ctx.record("recovery", target=f"account:{account.id}")
    ctx.record("login", detail={"via": "recovery"})
    return ctx


def new_recovery_key(ctx: Context) -> str:
    """Replace the recovery key (the old one stops working); returns the new one, to be shown once."""
    ctx.require("accounts.manage")
    session = _session(ctx)
    recovery = keys.new_recovery_key()
    with keys.exclusive(session.keyfile):
        kf = _load(session.keyfile)
        kf.set_recovery(recovery, session.key)
        kf.save()
    ctx.record("recovery.key")
    return recovery


# --- the administrator's work -----------------------------------------------------------------------


def list_accounts(ctx: Context) -> list[Account]:
    ctx.require("accounts.manage")
    return store.all_(ctx.db)


def get(ctx: Context, account_id: int) -> Account:
    ctx.require("accounts.manage")
    a = store.get(ctx.db, account_id)
    if a is None:
        raise NotFound("找不到这个账号")
    return a


def add_account(ctx: Context, username: str, display_name: str, roles: set[str] | frozenset[str],
                password: str) -> int:
    """A new account with a first password the person changes when she first signs in."""
    ctx.require("accounts.manage")
    session = _session(ctx)
    user, name, role_set, pw = rules.validate_new_account(username, display_name, roles, password)
    with keys.exclusive(session.keyfile), ctx.action() as tx:
        kf = _load(session.keyfile)
        if store.by_username(tx, user) is not None:
            raise ValidationError({"username": "已有这个用户名的账号（包括已停用的），请换一个"})
        account_id = store.insert(tx, Account(None, user, name, role_set, True, True), ctx.now())
        kf.set_password(user, pw, session.key)
        kf.clear_failures(user)
        kf.save()
    return account_id


def reset_password(ctx: Context, account_id: int, password: str) -> None:
    """Someone forgot her password: the administrator sets a new one, to be changed at next sign-in."""
    ctx.require("accounts.manage")
    session = _session(ctx)
    a = get(ctx, account_id)
    errors: dict[str, str] = {}
    pw = rules.check_password(password, a.username, errors)
    if errors:
        raise ValidationError(errors)
    if not a.active:
        raise RuleError("这个账号已停用。要重新启用，请点“启用”并设置新密码。")
    with keys.exclusive(session.keyfile), ctx.action() as tx:
        kf = _load(session.keyfile)
        store.update(tx, account_id, ctx.now(), must_change=True)
        kf.set_password(a.username, pw, session.key)
        kf.clear_failures(a.username)
        kf.save()
    ctx.record("account.password", target=f"account:{account_id}", detail={"by": "admin"})


def _check_admins_left(ctx: Context, account_id: int, roles: frozenset[str], active: bool) -> None:
    admins = set(store.active_admins(ctx.db))
    if account_id in admins and (not active or "admin" not in roles) and len(admins) == 1:
        raise RuleError("这是唯一一个管理员账号，不能停用或去掉管理员角色。请先给另一位同事设置管理员角色。")


def set_roles(ctx: Context, account_id: int, roles: set[str] | frozenset[str], recovery_key: str = "") -> None:
    """An account's roles. Nobody changes her own roles without the recovery key (kept in the office safe):
    otherwise an administrator could give herself a case role and read every case."""
    ctx.require("accounts.manage")
    a = get(ctx, account_id)
    errors: dict[str, str] = {}
    role_set = rules.check_roles(roles, errors)
    if errors:
        raise ValidationError(errors)
    _check_admins_left(ctx, account_id, role_set, a.active)
    if ctx.user is not None and ctx.user.id == account_id and role_set != a.roles:
        _check_recovery_key(ctx, recovery_key)
    with ctx.action() as tx:
        store.update(tx, account_id, ctx.now(), roles=role_set)
    if ctx.user is not None and ctx.user.id == account_id:
        ctx.user.roles = role_set
        ctx.roles = role_set


def _check_recovery_key(ctx: Context, recovery_key: str) -> None:
    """The recovery key, for a change to one's own account; wrong keys count towards its lock-out."""
    if not recovery_key.strip():
        raise ValidationError({"recovery_key": "修改自己账号的角色需要恢复密钥；也可以请另一位管理员修改"})
    session = _session(ctx)
    now = ctx.now()
    with keys.exclusive(session.keyfile):
        kf = _load(session.keyfile)
        _begin(kf, RECOVERY_NAME, now, "recovery.failed")
        if kf.unwrap_recovery(recovery_key) is None:
            locked = kf.record_failure(RECOVERY_NAME, now, "recovery.failed", counted=True)
            kf.take_pending()
            kf.save()
            ctx.record("recovery.failed", result="failed", detail={"locked": locked is not None})
            if locked is not None:
                raise AccountLocked(f"恢复密钥连续输错{rules.MAX_FAILURES}次，已锁定{rules.LOCK_MINUTES}分钟。")
            raise ValidationError({"recovery_key": "恢复密钥不正确，请核对后重新输入"})
        kf.clear_failures(RECOVERY_NAME)
        kf.save()


def disable(ctx: Context, account_id: int) -> None:
    """The person left or must not sign in any more: her copy of the key is removed from the key file."""
    ctx.require("accounts.manage")
    session = _session(ctx)
    a = get(ctx, account_id)
    if ctx.user is not None and ctx.user.id == account_id:
        raise RuleError("不能停用自己正在使用的账号。")
    _check_admins_left(ctx, account_id, a.roles, False)
    with keys.exclusive(session.keyfile), ctx.action() as tx:
        kf = _load(session.keyfile)
        store.update(tx, account_id, ctx.now(), active=False)
        kf.remove(a.username)
        kf.save()


def enable(ctx: Context, account_id: int, password: str) -> None:
    """Let a disabled account sign in again, with a new password to be changed at next sign-in."""
    ctx.require("accounts.manage")
    session = _session(ctx)
    a = get(ctx, account_id)
    errors: dict[str, str] = {}
    pw = rules.check_password(password, a.username, errors)
    if errors:
        raise ValidationError(errors)
    with keys.exclusive(session.keyfile), ctx.action() as tx:
        kf = _load(session.keyfile)
        store.update(tx, account_id, ctx.now(), active=True, must_change=True)
        kf.set_password(a.username, pw, session.key)
        kf.clear_failures(a.username)
        kf.save()


def rename(ctx: Context, account_id: int, display_name: str) -> None:
    ctx.require("accounts.manage")
    get(ctx, account_id)
    errors: dict[str, str] = {}
    name = rules.check_display_name(display_name, errors)
    if errors:
        raise ValidationError(errors)
    with ctx.action() as tx:
        store.update(tx, account_id, ctx.now(), display_name=name)


# --- the demo ------------------------------------------------------------------------------------------


def setup_demo(path: Path | str, *, clock: Clock = system_clock, kdf: KdfParams | None = None) -> Context:
    """A new database for looking around: a demo administrator and a demo staff member holding every
    case role (names and passwords in DEMO_ADMIN / DEMO_STAFF, printed by the command line). Signed
    in as the staff member."""
    admin_user, admin_name, admin_roles, admin_pw = DEMO_ADMIN
    staff_user, staff_name, staff_roles, staff_pw = DEMO_STAFF
    ctx, _recovery, _aside = set_up(
        Path(path), [(admin_user, admin_name, admin_roles, admin_pw, False),
                     (staff_user, staff_name, staff_roles, staff_pw, False)], clock, kdf)
    settings.set_office_name(ctx, "演示县妇联")
    ctx.close()
    return sign_in(path, staff_user, staff_pw, clock=clock, via="demo")
