"""The backup file: one file, encrypted and authenticated in chunks with AES-256-GCM.

Layout (all integers big-endian):

    "FULIANBK" | u16 container version | u32 n | preamble (n bytes of JSON) | check tag (16 bytes) | chunks …

The preamble is the only clear text: how to get the key (Argon2id with its salt and cost, or "the database
key" for the automatic local snapshots), a per-file salt and nonce prefix, the chunk size. It says nothing
about the office or its data.

- master key: Argon2id(backup password, office salt) — or the database key (local snapshots);
- file key: HKDF-SHA256(master key, salt = the file's own salt);
- chunks: the plain stream cut into `chunk`-byte pieces, each sealed with AES-256-GCM under the nonce
  prefix(7) | chunk counter(4) | last-chunk flag(1), with every header byte before the check tag as
  associated data. This is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) that Tink's
  streaming AEAD and age use: a chunk altered, reordered or dropped, a file cut short anywhere (also at a
  chunk boundary: the new last chunk was not sealed as the last), or bytes added, fails to decrypt;
- the check tag seals an empty message under counter 0xFFFFFFFF and flag 2, so that a wrong password is
  told apart from a damaged file before any chunk is read.

Inside, the plain stream is: u32 m | header (m bytes of JSON: format, versions, office, counts…) | the key
file | the database key (32 bytes) | the database snapshot (SQLCipher pages, as on disk).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.accounts import normalize_password
from .errors import Damaged, TooNew, WrongPassword

MAGIC = b"FULIANBK"
CONTAINER_VERSION = 1
CHUNK = 1 << 20  # 1 MiB of plain text per sealed chunk
TAG = 16
KEY_BYTES = 32
NONCE_PREFIX = 7
FILE_INFO = b"fulian-desktop backup file key v1"
CHECK_COUNTER = 0xFFFFFFFF
MAX_PREAMBLE = 4096
MAX_HEADER = 1 << 20

# What a preamble may ask for: a damaged or hostile file must not make us spend gigabytes or many seconds on
# a wrong password. The program writes 3 passes over 64 MiB; a later one may ask for up to four times that.
_LIMITS = {"time_cost": (1, 10), "memory_cost": (8, 1 << 18), "parallelism": (1, 8)}
MAX_KDF_WORK = 4 * 3 * 65536  # passes x KiB
NEWER_VERSIONS = 15  # a later program numbers its format a little higher; far higher is a damaged byte
_CHUNK_LIMITS = (4096, 16 << 20)

PAYLOAD_FORMAT = "fulian-desktop-backup"
PAYLOAD_VERSION = 1

NOT_A_BACKUP = "这不是妇联维权工作台的备份文件，或者文件开头已损坏。"
DAMAGED = "备份文件已损坏或被改动过（{where}），不能使用。请换一个备份文件。"
TOO_NEW = "这个备份是由更新版本的妇联维权工作台制作的，本程序无法打开。请先安装新版本，再恢复。"
INCOMPLETE = "备份文件不完整（可能是复制或写入U盘时中断了），不能使用。请换一个备份文件。"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    try:
        return base64.b64decode(str(text).encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise Damaged(NOT_A_BACKUP) from None


# --- keys -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MasterKey:
    """The key a backup's file key comes from, and what the preamble says about how to get it again."""

    key: bytes = field(repr=False)
    params: dict[str, Any]  # {"kdf": "argon2id", "salt", "time_cost", "memory_cost", "parallelism"} or {"kdf": "database-key"}

    @property
    def needs_password(self) -> bool:
        return self.params.get("kdf") == "argon2id"


def derive_password_key(password: str, salt: bytes, time_cost: int, memory_cost: int, parallelism: int) -> MasterKey:
    key = hash_secret_raw(normalize_password(password).encode("utf-8"), salt, time_cost=time_cost,
                          memory_cost=memory_cost, parallelism=parallelism, hash_len=KEY_BYTES, type=Type.ID)
    return MasterKey(key, {"kdf": "argon2id", "salt": _b64(salt), "time_cost": time_cost,
                           "memory_cost": memory_cost, "parallelism": parallelism})


def new_password_key(password: str, time_cost: int, memory_cost: int, parallelism: int) -> MasterKey:
    """A new office backup key (a fresh salt) for this password."""
    return derive_password_key(password, secrets.token_bytes(16), time_cost, memory_cost, parallelism)


def database_master(db_key: bytes) -> MasterKey:
    """Local snapshots are sealed with (a key derived from) the database key: no password to remember, and
    they open only where that database opens."""
    if len(db_key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    return MasterKey(db_key, {"kdf": "database-key"})


def master_to_json(m: MasterKey) -> dict[str, Any]:
    return {**m.params, "key": _b64(m.key)}


def master_from_json(d: dict[str, Any]) -> MasterKey:
    params = {k: v for k, v in d.items() if k != "key"}
    return MasterKey(_unb64(d["key"]), params)


def same_password(m: MasterKey, password: str) -> bool:
    """Does `password` give this (password-derived) master key?"""
    if not m.needs_password:
        return False
    p = m.params
    again = derive_password_key(password, _unb64(p["salt"]), int(p["time_cost"]), int(p["memory_cost"]),
                                int(p["parallelism"]))
    return hmac.compare_digest(again.key, m.key)


def _file_key(master: bytes, file_salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=file_salt, info=FILE_INFO).derive(master)
    return AESGCM(key)


def _nonce(prefix: bytes, counter: int, flag: int) -> bytes:
    return prefix + struct.pack(">IB", counter, flag)


# --- writing ----------------------------------------------------------------------------------------


class Sealer:
    """Writes a backup file to `out`: the header now, then sealed chunks as data comes, the last on close()."""

    def __init__(self, out: BinaryIO, master: MasterKey, chunk: int | None = None) -> None:
        self.out = out
        self.chunk = chunk = chunk or CHUNK
        file_salt = secrets.token_bytes(16)
        self.prefix = secrets.token_bytes(NONCE_PREFIX)
        preamble = json.dumps({**master.params, "file_salt": _b64(file_salt), "nonce": _b64(self.prefix),
                               "chunk": chunk}, sort_keys=True, separators=(",", ":")).encode("ascii")
        self.aad = MAGIC + struct.pack(">HI", CONTAINER_VERSION, len(preamble)) + preamble
        self.aead = _file_key(master.key, file_salt)
        self.counter = 0
        self.buffer = bytearray()
        self.held: bytes | None = None  # a whole chunk, written as it came, until it is known not to be the last
        self.closed = False
        self.written = 0
        out.write(self.aad)
        out.write(self.aead.encrypt(_nonce(self.prefix, CHECK_COUNTER, 2), b"", self.aad))
        self.written += len(self.aad) + TAG

    def _emit(self, data: bytes | bytearray | memoryview, last: bool) -> None:
        plain = data if isinstance(data, bytes) else bytes(data)
        sealed = self.aead.encrypt(_nonce(self.prefix, self.counter, 1 if last else 0), plain, self.aad)
        self.out.write(sealed)
        self.written += len(sealed)
        self.counter += 1

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.closed:
            raise ValueError("sealer closed")
        if not len(data):
            return
        if self.held is not None:
            self._emit(self.held, last=False)
            self.held = None
        if not self.buffer and isinstance(data, bytes) and len(data) == self.chunk:
            self.held = data  # whole chunks (a database's pages, read to fit): sealed without a copy
            return
        self.buffer += data
        # keep at least one byte back: the chunk that turns out to be the last is sealed as the last
        while len(self.buffer) > self.chunk:
            self._emit(memoryview(self.buffer)[: self.chunk], last=False)
            del self.buffer[: self.chunk]
        if len(self.buffer) == self.chunk:  # filled exactly: held back whole, and the next chunks come whole
            self.held, self.buffer = bytes(self.buffer), bytearray()

    def to_fill(self) -> int:
        """How many bytes complete the chunk being gathered (a whole chunk when none is)."""
        return self.chunk - len(self.buffer) if self.buffer else self.chunk

    def close(self) -> None:
        if not self.closed:
            if self.held is not None:
                self._emit(self.held, last=True)
                self.held = None
            else:
                self._emit(self.buffer, last=True)
            self.buffer = bytearray()
            self.closed = True


# --- reading ----------------------------------------------------------------------------------------


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    return data if data is not None else b""


@dataclass
class Preamble:
    aad: bytes
    params: dict[str, Any]
    chunk: int
    prefix: bytes
    file_salt: bytes
    check: bytes
    version: int = CONTAINER_VERSION  # as the file says; checked against its tag when it is unlocked

    @property
    def needs_password(self) -> bool:
        return self.params.get("kdf") == "argon2id"


def read_preamble(f: BinaryIO) -> Preamble:
    """The clear header; Damaged when this is not a backup file, TooNew when a newer program made it."""
    head = _read_exact(f, len(MAGIC) + 6)
    if len(head) < len(MAGIC) + 6 or head[: len(MAGIC)] != MAGIC:
        raise Damaged(NOT_A_BACKUP)
    version, n = struct.unpack(">HI", head[len(MAGIC):])
    if version < 1 or version > CONTAINER_VERSION + NEWER_VERSIONS or n > MAX_PREAMBLE:
        raise Damaged(NOT_A_BACKUP)
    raw = _read_exact(f, n)
    check = _read_exact(f, TAG)
    if len(raw) < n or len(check) < TAG:
        raise Damaged(INCOMPLETE)
    try:
        p = json.loads(raw.decode("ascii"))
        if not isinstance(p, dict):
            raise ValueError
        chunk = int(p["chunk"])
        prefix = _unb64(p["nonce"])
        file_salt = _unb64(p["file_salt"])
        kdf = p["kdf"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        if version > CONTAINER_VERSION:  # a later format we cannot read
            raise TooNew(TOO_NEW) from None
        raise Damaged(NOT_A_BACKUP) from None
    if not _CHUNK_LIMITS[0] <= chunk <= _CHUNK_LIMITS[1] or len(prefix) != NONCE_PREFIX or kdf not in (
            "argon2id", "database-key"):
        raise Damaged(NOT_A_BACKUP)
    if kdf == "argon2id":
        for name, (low, high) in _LIMITS.items():
            value = p.get(name)
            if not isinstance(value, int) or not low <= value <= high:
                raise Damaged(NOT_A_BACKUP)
        if p["time_cost"] * p["memory_cost"] > MAX_KDF_WORK:
            raise Damaged(NOT_A_BACKUP)
        _unb64(p.get("salt", ""))
    params = {k: v for k, v in p.items() if k not in ("chunk", "nonce", "file_salt")}
    return Preamble(head + raw, params, chunk, prefix, file_salt, check, version)


def master_for(pre: Preamble, password: str | None = None, db_key: bytes | None = None) -> MasterKey:
    """The master key this file asks for, from the password (Argon2id, the file's cost) or the database key."""
    if pre.needs_password:
        if password is None:
            raise WrongPassword("请输入备份密码。")
        p = pre.params
        return derive_password_key(password, _unb64(p["salt"]), int(p["time_cost"]), int(p["memory_cost"]),
                                   int(p["parallelism"]))
    if db_key is None:
        raise WrongPassword("这是本机的自动备份，只能在登录了同一个数据库的程序中恢复。")
    return database_master(db_key)


class Unsealer:
    """Reads a backup file: unlock (a wrong key → WrongPassword), then the plain chunks in order."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.pre = read_preamble(f)
        self.aead: AESGCM | None = None

    def unlock(self, master: MasterKey) -> None:
        aead = _file_key(master.key, self.pre.file_salt)
        try:
            aead.decrypt(_nonce(self.pre.prefix, CHECK_COUNTER, 2), self.pre.check, self.pre.aad)
        except InvalidTag:
            if self.pre.version > CONTAINER_VERSION:
                # A version this program does not know: either a later program made the file, or the number
                # was damaged. The tag tells: with our own number in its place, it checks if only that changed.
                ours = MAGIC + struct.pack(">H", CONTAINER_VERSION) + self.pre.aad[len(MAGIC) + 2:]
                try:
                    aead.decrypt(_nonce(self.pre.prefix, CHECK_COUNTER, 2), self.pre.check, ours)
                except InvalidTag:
                    raise TooNew(TOO_NEW) from None
                raise Damaged(DAMAGED.format(where="文件开头的版本号被改动")) from None
            if self.pre.needs_password:
                raise WrongPassword("备份密码不对，打不开这个备份文件。请核对后重新输入"
                                    "（密码区分大小写；如果备份密码改过，旧备份要用当时的密码）。") from None
            raise WrongPassword("这个自动备份不属于当前的数据库（数据库密钥不同），无法在这里恢复。") from None
        if self.pre.version > CONTAINER_VERSION:  # the file is whole and really from a later program
            raise TooNew(TOO_NEW)
        self.aead = aead

    def chunks(self) -> Iterator[bytes]:
        if self.aead is None:
            raise RuntimeError("unlock first")
        size = self.pre.chunk + TAG
        counter = 0
        current = _read_exact(self.f, size)
        if not current:
            raise Damaged(INCOMPLETE)
        while True:
            nxt = _read_exact(self.f, size)
            last = not nxt
            try:
                plain = self.aead.decrypt(_nonce(self.pre.prefix, counter, 1 if last else 0), current, self.pre.aad)
            except InvalidTag:
                if last:
                    raise Damaged(INCOMPLETE) from None
                raise Damaged(DAMAGED.format(where=f"第{counter + 1}段校验不符")) from None
            yield plain
            if last:
                return
            if len(current) != size:
                raise Damaged(DAMAGED.format(where=f"第{counter + 1}段长度不对"))
            counter += 1
            current = nxt


class PlainStream:
    """The decrypted stream as something to read exact lengths from; Damaged when it ends early or late."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.buffer = bytearray()
        self.done = False

    def _fill(self, n: int) -> None:
        while len(self.buffer) < n and not self.done:
            try:
                self.buffer += next(self.chunks)
            except StopIteration:
                self.done = True

    def read(self, n: int) -> bytes:
        self._fill(n)
        if len(self.buffer) < n:
            raise Damaged(INCOMPLETE)
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def copy_to(self, out: BinaryIO, n: int, step: Callable[[int], None] | None = None) -> None:
        left = n
        while left > 0:
            if not self.buffer:
                self._fill(1)
                if not self.buffer:
                    raise Damaged(INCOMPLETE)
            take = min(left, len(self.buffer))
            out.write(memoryview(self.buffer)[:take])
            del self.buffer[:take]
            left -= take
            if step is not None:
                step(take)

    def finish(self) -> None:
        """The stream must end here (and its last chunk be the sealed last one)."""
        self._fill(1)
        if self.buffer:
            raise Damaged(DAMAGED.format(where="结尾有多余的内容"))


# --- the payload ------------------------------------------------------------------------------------


def pack_header(header: dict[str, Any]) -> bytes:
    raw = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    if len(raw) > MAX_HEADER:
        raise ValueError("backup header too large")
    return struct.pack(">I", len(raw)) + raw


def read_header(stream: PlainStream) -> dict[str, Any]:
    (n,) = struct.unpack(">I", stream.read(4))
    if n > MAX_HEADER:
        raise Damaged(DAMAGED.format(where="说明部分过长"))
    try:
        header = json.loads(stream.read(n).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Damaged(DAMAGED.format(where="说明部分无法读取")) from None
    if not isinstance(header, dict) or header.get("format") != PAYLOAD_FORMAT:
        raise Damaged(NOT_A_BACKUP)
    if int(header.get("format_version", 0)) > PAYLOAD_VERSION:
        raise TooNew("这个备份是由更新版本的妇联维权工作台制作的，本程序无法恢复。请先安装新版本，再恢复。")
    for key in ("keyfile_size", "db_size"):
        if not isinstance(header.get(key), int) or header[key] < 0:
            raise Damaged(DAMAGED.format(where="说明部分不完整"))
    return header
