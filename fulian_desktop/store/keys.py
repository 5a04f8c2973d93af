"""The key file next to the database (`fulian.db.keys`): what is needed before the database is open.

The database is encrypted with a random 32-byte key. The key file holds copies of that key, each
wrapped (AES-256-GCM) with a key derived (Argon2id) from one account's password, and one wrapped with
the recovery key. Adding or disabling a person adds or removes a copy; the data is never re-encrypted.
Signing in costs one Argon2id: the copy unwraps only with the right password (the AES-GCM tag). Each
account's slot also holds an Argon2id password hash (argon2-cffi's PasswordHasher), which checks the
password where nothing is unwrapped (unlocking the idle lock, changing the password) and tells a wrong
password from a damaged slot.

Slots are found by a salted SHA-256 of the user name (the file does not list the names in clear); a
decoy slot makes a wrong password for an unknown name cost exactly what it costs for a known one. The
file also keeps the sign-in failures per name (so a lock-out survives a restart) and failed sign-ins
waiting to be written into the audit trail once someone signs in. It is JSON, written atomically (a
temporary file, fsync, rename, fsync of the folder).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _argon2_cffi_bindings import ffi, lib  # argon2-cffi's own binding: the key derivation without its package
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .. import locks, windows
from ..domain.accounts import LOCK_MINUTES, MAX_FAILURES, normalize_password, normalize_username
from ..domain.errors import StorageError
from ..durable import fsync_dir, replace
from ..windows import is_held

if TYPE_CHECKING:
    from argon2 import PasswordHasher

log = logging.getLogger(__name__)

FORMAT = "fulian-desktop-keys"
VERSION = 1
SUFFIX = ".keys"
KEY_BYTES = 32
MAX_PENDING = 1000
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed again
RECOVERY_LENGTH = 32  # 32 symbols x 5 bits = 160 bits


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults are argon2-cffi's RFC 9106 low-memory profile (64 MiB, 3 passes);
    tests inject cheaper ones through `kdf=`, never by changing these."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KdfParams:
        return cls(int(d["time_cost"]), int(d["memory_cost"]), int(d["parallelism"]))


DEFAULT_KDF = KdfParams()


def keyfile_path(db_path: Path | str) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


@contextmanager
def exclusive(keyfile: Path) -> Iterator[None]:
    """Hold the operating system's lock on `<key file>.lock` while one process reads the sign-in counters,
    checks a password and writes the counters back: attempts made at the same moment (two windows, a script)
    are counted one after another, so none is lost and a lock-out cannot be raced past."""
    lock_path = keyfile.with_name(keyfile.name + ".lock")
    try:
        with locks.held(lock_path):
            yield
    except locks.LockTimeout:
        raise StorageError("另一个程序正在登录，等待超时，请稍后再试。") from None
    except OSError as e:
        if isinstance(e, StorageError):
            raise
        raise StorageError(f"无法打开密钥文件的锁：{lock_path}（{e.strerror}）") from e


def protect(path: Path) -> None:
    """Only this account may read the key file: mode 600, or on Windows an access list of the owner and SYSTEM
    (where the folder's own does not already keep others out, i.e. outside %LOCALAPPDATA%: a shared folder, drive D)."""
    if not windows.active():
        os.chmod(path, 0o600)
        return
    if windows.under_local_appdata(path):
        return
    try:
        windows.owner_only(path)
    except OSError as e:
        log.warning("the key file's access list could not be set (WinError %s)", getattr(e, "winerror", None))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _hasher(p: KdfParams) -> PasswordHasher:
    from argon2 import PasswordHasher  # (the password hashes: checked where nothing is unwrapped)

    return PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_cost, parallelism=p.parallelism)


def derive(secret: str, salt: bytes, p: KdfParams) -> bytes:
    """Argon2id's raw hash of `secret`: argon2-cffi's hash_secret_raw, called through its binding so that a sign-in
    does not import the whole argon2 package (its password hasher, profiles and the platform module: ≈ 3.5 ms of
    every process's start, issue 22)."""
    raw = secret.encode("utf-8")
    out = ffi.new("uint8_t[]", KEY_BYTES)
    rv = lib.argon2_hash(p.time_cost, p.memory_cost, p.parallelism, ffi.new("uint8_t[]", raw), len(raw),
                         ffi.new("uint8_t[]", salt), len(salt), out, KEY_BYTES, ffi.NULL, 0, lib.Argon2_id,
                         lib.ARGON2_VERSION_NUMBER)
    if rv != lib.ARGON2_OK:
        from argon2.exceptions import HashingError

        raise HashingError(ffi.string(lib.argon2_error_message(rv)).decode("ascii"))
    return bytes(ffi.buffer(out, KEY_BYTES))


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_key() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return format_recovery_key(raw)


def format_recovery_key(raw: str) -> str:
    clean = normalize_recovery_key(raw)
    return "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))


def normalize_recovery_key(text: str) -> str:
    """Upper case, without the spaces and dashes a person types between the groups."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-—_－")


class KeyFile:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    # --- file ------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, kdf: KdfParams = DEFAULT_KDF) -> KeyFile:
        data: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "kdf": asdict(kdf), "salt": _b64(secrets.token_bytes(16)),
            "slots": {}, "recovery": None, "attempts": {}, "pending": [],
        }
        kf = cls(path, data)
        decoy = secrets.token_urlsafe(18)
        kf.data["decoy"] = _hasher(kdf).hash(decoy)
        return kf

    @classmethod
    def load(cls, path: Path) -> KeyFile | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StorageError(f"无法读取密钥文件：{path}（{e.strerror}）") from e
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("not a key file")
        except ValueError:
            raise StorageError(f"密钥文件已损坏：{path}。请从备份恢复密钥文件。") from None
        if int(data.get("version", 0)) > VERSION:
            raise StorageError("密钥文件是由更新版本的妇联维权工作台创建的，请安装新版本后再打开。")
        data.setdefault("attempts", {})
        data.setdefault("pending", [])
        return cls(path, data)

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        text = json.dumps(self.data, ensure_ascii=True, indent=1, sort_keys=True)
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            protect(tmp)
            replace(tmp, self.path)
            fsync_dir(self.path.parent)
        except OSError as e:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            if is_held(e):
                raise StorageError(f"无法保存密钥文件：{self.path} 被其他程序占用（可能是杀毒软件、同步网盘或另一个打开的"
                                   "妇联维权工作台）。原来的密钥文件没有改动。请稍等片刻再试；如果一直这样，请关闭这些程序"
                                   "后再试。") from e
            raise StorageError(f"无法保存密钥文件：{self.path}（{e.strerror}）。原来的密钥文件没有改动。") from e

    @property
    def kdf(self) -> KdfParams:
        return KdfParams.from_dict(self.data["kdf"])

    # --- names -------------------------------------------------------------------------------------
    def name_id(self, username: str) -> str:
        salt = _unb64(self.data["salt"])
        return hashlib.sha256(salt + normalize_username(username).encode("utf-8")).hexdigest()[:32]

    def has_slot(self, username: str) -> bool:
        return self.name_id(username) in self.data["slots"]

    # --- passwords -----------------------------------------------------------------------------------
    def set_password(self, username: str, password: str, db_key: bytes) -> None:
        nid = self.name_id(username)
        kdf = self.kdf
        pw = normalize_password(password)
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(derive(pw, salt, kdf)).encrypt(nonce, db_key, f"slot:{nid}".encode())
        self.data["slots"][nid] = {
            "verify": _hasher(kdf).hash(pw), "kdf": asdict(kdf), "salt": _b64(salt), "nonce": _b64(nonce),
            "key": _b64(wrapped),
        }

    def remove(self, username: str) -> None:
        self.data["slots"].pop(self.name_id(username), None)

    def check_password(self, username: str, password: str) -> bool:
        """Is this the account's password? Costs one Argon2id verification whether or not the name exists."""
        slot = self.data["slots"].get(self.name_id(username))
        encoded = slot["verify"] if slot else self.data["decoy"]
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            ok = _hasher(self.kdf).verify(encoded, normalize_password(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return bool(ok) and slot is not None

    def unwrap(self, username: str, password: str) -> bytes | None:
        """The database key when `password` is the account's, else None: one Argon2id (the key that wraps
        the account's copy) and the AES-GCM check, which is the password check. Only when that check fails
        does the password hash tell a wrong password from a damaged slot (StorageError); an unknown name
        costs the same as a wrong password for a known one (the decoy)."""
        nid = self.name_id(username)
        slot = self.data["slots"].get(nid)
        pw = normalize_password(password)
        if slot is None:
            derive(pw, hashlib.sha256(str(self.data["decoy"]).encode("utf-8")).digest()[:16], self.kdf)
            self.check_password(username, password)
            return None
        kek = derive(pw, _unb64(slot["salt"]), KdfParams.from_dict(slot["kdf"]))
        try:
            return AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["key"]), f"slot:{nid}".encode())
        except InvalidTag:
            if self.check_password(username, password):
                raise StorageError("密钥文件中这个账号的数据已损坏，无法解开数据库。请用恢复密钥重设密码。") from None
            return None

    def unwrap_while(self, username: str, password: str, meanwhile: Callable[[], object]) -> bytes | None:
        """unwrap(username, password), its Argon2id computed on a thread while `meanwhile` runs here: the attempt
        counted and saved, which waits for the disk while the key derivation waits for none (issue 22: the
        sign-in no longer adds the key file's two flushes to the derivation). The answer is looked at only after
        `meanwhile` has returned, so nothing is known of the password before the attempt is on the disk; should
        `meanwhile` raise (the account locked, the key file not saved), the derivation is waited for, its
        answer dropped, and that error raised."""
        answer: list[bytes | None] = []
        failed: list[BaseException] = []

        def derive_key() -> None:
            try:
                answer.append(self.unwrap(username, password))
            except BaseException as e:  # handed to the caller below
                failed.append(e)

        thread = threading.Thread(target=derive_key, name="argon2id", daemon=True)
        thread.start()
        try:
            meanwhile()
        finally:
            thread.join()
        if failed:
            raise failed[0]
        return answer[0]

    # --- recovery key ----------------------------------------------------------------------------------
    def set_recovery(self, recovery_key: str, db_key: bytes) -> None:
        kdf = self.kdf
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(derive(normalize_recovery_key(recovery_key), salt, kdf)).encrypt(nonce, db_key, b"recovery")
        self.data["recovery"] = {"kdf": asdict(kdf), "salt": _b64(salt), "nonce": _b64(nonce), "key": _b64(wrapped)}

    def unwrap_recovery(self, recovery_key: str) -> bytes | None:
        slot = self.data.get("recovery")
        if not slot:
            return None
        kek = derive(normalize_recovery_key(recovery_key), _unb64(slot["salt"]), KdfParams.from_dict(slot["kdf"]))
        try:
            return AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["key"]), b"recovery")
        except InvalidTag:
            return None

    # --- lock-out --------------------------------------------------------------------------------------
    def locked_until(self, username: str, now: dt.datetime) -> dt.datetime | None:
        a = self.data["attempts"].get(self.name_id(username))
        if not a or not a.get("locked_until"):
            return None
        until = dt.datetime.fromisoformat(a["locked_until"])
        return until if until > now else None

    def failures(self, username: str) -> int:
        a = self.data["attempts"].get(self.name_id(username))
        return int(a.get("failures", 0)) if a else 0

    def begin_attempt(self, username: str, now: dt.datetime) -> dt.datetime | None:
        """Count a password attempt as failed before the password is checked, and save: an attempt whose
        process dies during the check still counts. Returns when the lock ends if the attempts so far have
        used up the account's tries (the caller refuses without checking). Call inside `exclusive`."""
        nid = self.name_id(username)
        a = self.data["attempts"].setdefault(nid, {"failures": 0, "locked_until": ""})
        if a.get("locked_until") and dt.datetime.fromisoformat(a["locked_until"]) <= now:
            a["locked_until"] = ""
        if int(a.get("failures", 0)) >= MAX_FAILURES:  # tries counted whose process never finished
            until = now + dt.timedelta(minutes=LOCK_MINUTES)
            a["locked_until"], a["failures"] = until.isoformat(timespec="seconds"), 0
            self.save()
            return until
        a["failures"] = int(a.get("failures", 0)) + 1
        a["last"] = now.isoformat(timespec="seconds")
        self.save()
        return None

    def record_failure(self, username: str, now: dt.datetime, what: str = "login.failed",
                       counted: bool = False) -> dt.datetime | None:
        """Count a wrong password (`counted`: begin_attempt already counted it); return when the lock ends if
        this one locked the account."""
        nid = self.name_id(username)
        a = self.data["attempts"].setdefault(nid, {"failures": 0, "locked_until": ""})
        if a.get("locked_until") and dt.datetime.fromisoformat(a["locked_until"]) <= now:
            a["locked_until"] = ""
        if not counted:
            a["failures"] = int(a.get("failures", 0)) + 1
        a["last"] = now.isoformat(timespec="seconds")
        locked = None
        if a["failures"] >= MAX_FAILURES:
            locked = now + dt.timedelta(minutes=LOCK_MINUTES)
            a["locked_until"] = locked.isoformat(timespec="seconds")
            a["failures"] = 0
        pending = self.data["pending"]
        pending.append({"at": now.isoformat(timespec="seconds"), "nid": nid, "event": what,
                        "locked": bool(locked)})
        del pending[:-MAX_PENDING]
        self._prune(now)
        return locked

    def clear_failures(self, username: str) -> None:
        self.data["attempts"].pop(self.name_id(username), None)

    def _prune(self, now: dt.datetime) -> None:
        """Forget old counters of names nobody uses (typos, unknown names) after a day."""
        old = (now - dt.timedelta(days=1)).isoformat(timespec="seconds")
        attempts = self.data["attempts"]
        for nid in [k for k, a in attempts.items() if a.get("last", "") < old and not a.get("locked_until")]:
            del attempts[nid]

    # --- the audit trail's anchor ----------------------------------------------------------------------
    def audit_anchor(self) -> dict[str, Any] | None:
        """The last audit anchor written here: {"id", "hash", "at", "mac"} (domain/audit.py says why)."""
        a = self.data.get("audit_anchor")
        return a if isinstance(a, dict) else None

    def set_audit_anchor(self, entry_id: int, entry_hash: str, at: str, mac: str) -> None:
        self.data["audit_anchor"] = {"id": entry_id, "hash": entry_hash, "at": at, "mac": mac}

    def take_pending(self) -> list[dict[str, Any]]:
        pending = list(self.data["pending"])
        self.data["pending"] = []
        return pending
