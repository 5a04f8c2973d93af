"""The backup file's container, piece by piece, on a few kilobytes (fast: in the mutation selection).

Expected answers come from the layout the module's docstring promises, computed here with the libraries
directly (Argon2id, HKDF-SHA256, AES-256-GCM), and from the limits a hostile or damaged preamble must not pass
— not from the container's own functions. Argon2id runs at its cheapest allowed cost (1 pass over 8 KiB).
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import struct
from typing import Any

import pytest
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fulian_desktop.backup import container as c
from fulian_desktop.backup.errors import Damaged, TooNew, WrongPassword

CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
SALT = bytes(range(16))
WRONG_PASSWORD = "备份密码不对，打不开这个备份文件。请核对后重新输入（密码区分大小写；如果备份密码改过，旧备份要用当时的密码）。"
NOT_OURS = "这个自动备份不属于当前的数据库（数据库密钥不同），无法在这里恢复。"
NOT_A_BACKUP = "这不是妇联维权工作台的备份文件，或者文件开头已损坏。"
INCOMPLETE = "备份文件不完整（可能是复制或写入U盘时中断了），不能使用。请换一个备份文件。"
TOO_NEW = "这个备份是由更新版本的妇联维权工作台制作的，本程序无法打开。请先安装新版本，再恢复。"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _argon(password: str, salt: bytes = SALT) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=1, memory_cost=8, parallelism=1, hash_len=32,
                           type=Type.ID)


def _file_key(master: bytes, file_salt: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=file_salt,
                       info=b"fulian-desktop backup file key v1").derive(master))


def _nonce(prefix: bytes, counter: int, flag: int) -> bytes:
    return prefix + counter.to_bytes(4, "big") + bytes([flag])


def _handmade(master: bytes, kdf: dict[str, Any], chunks: list[tuple[bytes, int]], *, version: int = 1,
              chunk: int = 4096, preamble: dict[str, Any] | None = None) -> bytes:
    """A backup file laid out by hand: MAGIC | u16 version | u32 n | preamble | check tag | chunks (plain, flag)."""
    file_salt, prefix = bytes(16), bytes(range(7))
    body = preamble if preamble is not None else {**kdf, "file_salt": _b64(file_salt), "nonce": _b64(prefix),
                                                   "chunk": chunk}
    raw = json.dumps(body).encode("ascii")
    aad = b"FULIANBK" + version.to_bytes(2, "big") + len(raw).to_bytes(4, "big") + raw
    aead = _file_key(master, file_salt)
    out = aad + aead.encrypt(_nonce(prefix, 0xFFFFFFFF, 2), b"", aad)
    for i, (plain, flag) in enumerate(chunks):
        out += aead.encrypt(_nonce(prefix, i, flag), plain, aad)
    return out


def _head(version: int, preamble: bytes, tag: bytes = bytes(16)) -> io.BytesIO:
    return io.BytesIO(b"FULIANBK" + struct.pack(">HI", version, len(preamble)) + preamble + tag)


def _preamble(**changes: Any) -> bytes:
    p: dict[str, Any] = {"kdf": "database-key", "file_salt": _b64(bytes(16)), "nonce": _b64(bytes(7)), "chunk": 4096}
    p.update(changes)
    return json.dumps({k: v for k, v in p.items() if v is not None}).encode("ascii")


def _damaged(f: io.BytesIO) -> str:
    with pytest.raises(Damaged) as e:
        c.read_preamble(f)
    return str(e.value)


# --- keys --------------------------------------------------------------------------------------------------------


def test_a_password_key_is_argon2id_of_the_password_with_the_salt_and_cost_it_records() -> None:
    m = c.derive_password_key("春天2026", SALT, **CHEAP)
    assert m.key == _argon("春天2026")
    assert m.params == {"kdf": "argon2id", "salt": _b64(SALT), "time_cost": 1, "memory_cost": 8, "parallelism": 1}
    assert m.needs_password
    # the password is taken in its composed form: the same letters typed either way give the same key
    assert c.derive_password_key("e\u0301", SALT, **CHEAP).key == _argon("\u00e9")
    # each cost counts
    assert c.derive_password_key("春天2026", SALT, 2, 8, 1).key != m.key
    assert c.derive_password_key("春天2026", SALT, 1, 16, 1).key != m.key
    assert c.derive_password_key("春天2026", SALT, 1, 16, 2).key != c.derive_password_key("春天2026", SALT, 1, 16, 1).key


def test_a_new_password_key_has_a_fresh_sixteen_byte_salt() -> None:
    a, b = c.new_password_key("pw", **CHEAP), c.new_password_key("pw", **CHEAP)
    salt = base64.b64decode(a.params["salt"])
    assert len(salt) == 16 and a.params["salt"] != b.params["salt"]
    assert a.key == _argon("pw", salt)
    assert {k: a.params[k] for k in CHEAP} == CHEAP


def test_the_database_key_is_taken_only_whole() -> None:
    key = bytes(range(32))
    m = c.database_master(key)
    assert (m.key, m.params, m.needs_password) == (key, {"kdf": "database-key"}, False)
    for n in (31, 33, 0):
        with pytest.raises(ValueError) as e:
            c.database_master(bytes(n))
        assert str(e.value) == "the database key must be 32 bytes"


def test_a_master_key_round_trips_through_json_without_the_key_in_its_params() -> None:
    m = c.derive_password_key("pw", SALT, **CHEAP)
    d = c.master_to_json(m)
    assert d == {**m.params, "key": _b64(m.key)}
    back = c.master_from_json(d)
    assert (back.key, back.params) == (m.key, m.params) and "key" not in back.params


def test_same_password_says_whether_the_password_gives_this_key() -> None:
    m = c.derive_password_key("pw", SALT, **CHEAP)
    assert c.same_password(m, "pw") is True
    assert c.same_password(m, "pW") is False
    assert c.same_password(c.derive_password_key("pw", SALT, 2, 16, 2), "pw") is True  # its own recorded cost
    assert c.same_password(c.database_master(bytes(32)), "pw") is False  # no password behind a database key


def test_a_bad_base64_value_is_a_damaged_file() -> None:
    for bad in ("@@@", "abc", "汉字"):
        with pytest.raises(Damaged) as e:
            c.master_from_json({"key": bad, "kdf": "database-key"})
        assert str(e.value) == NOT_A_BACKUP


# --- the layout --------------------------------------------------------------------------------------------------


def test_the_sealer_writes_the_documented_layout() -> None:
    master = c.derive_password_key("pw", SALT, **CHEAP)
    out = io.BytesIO()
    s = c.Sealer(out, master, chunk=4096)
    data = secrets.token_bytes(4096 + 10)
    s.write(data[:100])
    s.write(data[100:])
    assert s.counter == 1  # one whole chunk out, ten bytes kept back for the last one
    s.close()
    s.close()  # a second close writes nothing
    raw = out.getvalue()
    assert raw[:8] == b"FULIANBK" and struct.unpack(">H", raw[8:10]) == (1,)
    (n,) = struct.unpack(">I", raw[10:14])
    pre = json.loads(raw[14:14 + n])
    assert raw[14:14 + n] == json.dumps(pre, sort_keys=True, separators=(",", ":")).encode("ascii")
    assert {k: pre[k] for k in ("kdf", "salt", "time_cost", "memory_cost", "parallelism", "chunk")} == {
        **master.params, "chunk": 4096}
    aad = raw[:14 + n]
    aead = _file_key(master.key, base64.b64decode(pre["file_salt"]))
    prefix = base64.b64decode(pre["nonce"])
    assert len(prefix) == 7 and len(base64.b64decode(pre["file_salt"])) == 16
    at = 14 + n
    assert aead.decrypt(_nonce(prefix, 0xFFFFFFFF, 2), raw[at:at + 16], aad) == b""
    at += 16
    assert aead.decrypt(_nonce(prefix, 0, 0), raw[at:at + 4096 + 16], aad) == data[:4096]
    at += 4096 + 16
    assert aead.decrypt(_nonce(prefix, 1, 1), raw[at:], aad) == data[4096:]
    assert s.written == len(raw)
    with pytest.raises(ValueError, match="sealer closed"):
        s.write(b"x")


def test_a_sealer_without_a_chunk_size_uses_one_mebibyte() -> None:
    s = c.Sealer(io.BytesIO(), c.database_master(bytes(32)))
    assert s.chunk == 1 << 20 == c.CHUNK


@pytest.mark.parametrize("pieces", [
    [4096, 4096, 4096], [100, 3996, 4096, 4096, 7], [4096], [10, 4096, 4086, 4096], [5000, 4096, 1], [4096, 4096, 0]])
def test_whole_chunks_written_as_they_come_read_back_the_same(pieces: list[int]) -> None:
    """A database's pages are read to fit the chunks and sealed without a copy; however the stream is cut into
    writes, what reads back is the stream, and only the very last chunk is sealed as the last."""
    master = c.database_master(bytes(range(32)))
    data = secrets.token_bytes(sum(pieces))
    out = io.BytesIO()
    s = c.Sealer(out, master, chunk=4096)
    at = 0
    for n in pieces:
        s.write(data[at:at + n])
        at += n
        assert s.to_fill() == 4096 - at % 4096  # a whole chunk when none is being gathered
    s.close()
    u = c.Unsealer(io.BytesIO(out.getvalue()))
    u.unlock(master)
    got = list(u.chunks())
    assert b"".join(got) == data
    assert [len(x) for x in got[:-1]] == [4096] * (len(got) - 1)


def test_a_handmade_file_reads_back() -> None:
    key = bytes(range(32))
    raw = _handmade(key, {"kdf": "database-key"}, [(b"a" * 4096, 0), (b"bc", 1)])
    u = c.Unsealer(io.BytesIO(raw))
    assert (u.pre.chunk, u.pre.prefix, u.pre.file_salt, u.pre.version) == (4096, bytes(range(7)), bytes(16), 1)
    assert u.pre.params == {"kdf": "database-key"} and not u.pre.needs_password
    with pytest.raises(RuntimeError, match="unlock first"):
        next(u.chunks())
    u.unlock(c.database_master(key))
    assert list(u.chunks()) == [b"a" * 4096, b"bc"]


def test_a_password_file_reads_back_with_its_password_only() -> None:
    kdf = {"kdf": "argon2id", "salt": _b64(SALT), **CHEAP}
    raw = _handmade(_argon("pw"), kdf, [(b"hello", 1)])
    u = c.Unsealer(io.BytesIO(raw))
    assert u.pre.needs_password and u.pre.params == kdf
    with pytest.raises(WrongPassword) as e:
        u.unlock(c.master_for(u.pre, "pw2"))
    assert str(e.value) == WRONG_PASSWORD
    u.unlock(c.master_for(u.pre, "pw"))
    assert list(u.chunks()) == [b"hello"]


def test_master_for_asks_for_what_the_file_needs() -> None:
    pw = c.Unsealer(io.BytesIO(_handmade(_argon("pw"), {"kdf": "argon2id", "salt": _b64(SALT), **CHEAP}, []))).pre
    with pytest.raises(WrongPassword) as e:
        c.master_for(pw, None, bytes(32))
    assert str(e.value) == "请输入备份密码。"
    assert c.master_for(pw, "pw").key == _argon("pw")
    local = c.Unsealer(io.BytesIO(_handmade(bytes(32), {"kdf": "database-key"}, []))).pre
    with pytest.raises(WrongPassword) as e:
        c.master_for(local, "pw")
    assert str(e.value) == "这是本机的自动备份，只能在登录了同一个数据库的程序中恢复。"
    assert c.master_for(local, None, bytes(range(32))).key == bytes(range(32))


def test_a_local_snapshot_of_another_database_is_told_apart() -> None:
    u = c.Unsealer(io.BytesIO(_handmade(bytes(32), {"kdf": "database-key"}, [(b"x", 1)])))
    with pytest.raises(WrongPassword) as e:
        u.unlock(c.database_master(bytes(range(32))))
    assert str(e.value) == NOT_OURS
    assert u.aead is None


def test_a_later_programs_whole_file_is_too_new_and_a_changed_version_byte_is_damage() -> None:
    key = bytes(32)
    later = _handmade(key, {"kdf": "database-key"}, [(b"x", 1)], version=2)
    u = c.Unsealer(io.BytesIO(later))
    assert u.pre.version == 2
    with pytest.raises(TooNew) as e:
        u.unlock(c.database_master(key))
    assert str(e.value) == TOO_NEW
    ours = _handmade(key, {"kdf": "database-key"}, [(b"x", 1)])
    bumped = ours[:8] + struct.pack(">H", 3) + ours[10:]
    with pytest.raises(Damaged) as d:
        c.Unsealer(io.BytesIO(bumped)).unlock(c.database_master(key))
    assert str(d.value) == "备份文件已损坏或被改动过（文件开头的版本号被改动），不能使用。请换一个备份文件。"
    # a later program's file under another key is still "too new", not "wrong password"
    with pytest.raises(TooNew) as other:
        c.Unsealer(io.BytesIO(later)).unlock(c.database_master(bytes(range(32))))
    assert str(other.value) == TOO_NEW


def test_chunks_damaged_cut_or_missing_are_named() -> None:
    key = bytes(32)
    whole = _handmade(key, {"kdf": "database-key"}, [(b"a" * 4096, 0), (b"b" * 4096, 0), (b"c", 1)])
    head = len(whole) - 2 * (4096 + 16) - 17
    master = c.database_master(key)

    def read(raw: bytes) -> list[bytes]:
        u = c.Unsealer(io.BytesIO(raw))
        u.unlock(master)
        return list(u.chunks())

    second = head + 4096 + 16 + 5
    altered = whole[:second] + bytes([whole[second] ^ 1]) + whole[second + 1:]
    with pytest.raises(Damaged) as e:
        read(altered)
    assert str(e.value) == "备份文件已损坏或被改动过（第2段校验不符），不能使用。请换一个备份文件。"
    with pytest.raises(Damaged) as e:
        read(whole[:head])  # nothing after the check tag
    assert str(e.value) == INCOMPLETE
    with pytest.raises(Damaged) as e:
        read(whole[:-1])  # the last chunk cut short
    assert str(e.value) == INCOMPLETE
    # a short chunk sealed as an ordinary one, followed by more: its length is wrong
    short = _handmade(key, {"kdf": "database-key"}, [(b"a" * 100, 0)]) + b"z" * 17
    with pytest.raises(Damaged) as e:
        read(short)
    assert str(e.value) in ("备份文件已损坏或被改动过（第1段长度不对），不能使用。请换一个备份文件。", INCOMPLETE)


def test_a_short_chunk_that_decrypts_is_still_refused_for_its_length() -> None:
    key = bytes(32)
    master = c.database_master(key)
    raw = _handmade(key, {"kdf": "database-key"}, [(b"a" * 100, 0)])
    # a 100-byte chunk sealed as not-the-last, read in 4112-byte pieces: it is read together with what follows,
    # so the file is taken as one piece; put the next piece after exactly its own length instead
    u = c.Unsealer(io.BytesIO(raw + _handmade(key, {"kdf": "database-key"}, [(b"b", 1)])[-17:]))
    u.unlock(master)
    with pytest.raises(Damaged):
        list(u.chunks())


# --- the preamble's limits ---------------------------------------------------------------------------------------


def test_a_file_that_does_not_start_as_a_backup_is_refused() -> None:
    assert _damaged(io.BytesIO(b"")) == NOT_A_BACKUP
    assert _damaged(io.BytesIO(b"FULIANBK\x00\x01\x00\x00\x00")) == NOT_A_BACKUP  # 13 of the 14 bytes
    assert _damaged(_head(1, _preamble()).__class__(b"FULIANBX" + _head(1, _preamble()).getvalue()[8:])) == NOT_A_BACKUP


@pytest.mark.parametrize("version", [0, 17, 65535])
def test_a_version_number_out_of_reach_is_damage(version: int) -> None:
    assert _damaged(_head(version, _preamble())) == NOT_A_BACKUP


@pytest.mark.parametrize("version", [1, 2, 16])
def test_a_version_a_later_program_may_write_is_read(version: int) -> None:
    assert c.read_preamble(_head(version, _preamble())).version == version


def test_a_preamble_longer_than_four_kilobytes_is_refused_unread() -> None:
    f = io.BytesIO(b"FULIANBK" + struct.pack(">HI", 1, 4097) + b" " * 5000)
    assert _damaged(f) == NOT_A_BACKUP
    assert f.tell() == 14
    padded = _preamble() + b" " * (4096 - len(_preamble()))
    assert c.read_preamble(_head(1, padded)).chunk == 4096  # exactly 4096 is fine


def test_a_preamble_or_check_tag_cut_short_is_incomplete() -> None:
    full = _head(1, _preamble()).getvalue()
    assert _damaged(io.BytesIO(full[:-1])) == INCOMPLETE  # the tag one byte short
    assert _damaged(io.BytesIO(full[:20])) == INCOMPLETE  # the preamble itself cut


@pytest.mark.parametrize("raw", [b"[1]", b"{", b"\xff\xfe", b'{"chunk": "x", "nonce": "", "file_salt": "", "kdf": ""}',
                                 b'{"nonce": "AAAAAAAAAA==", "file_salt": "", "kdf": "database-key"}', b"null"],
                         ids=["list", "cut", "not-ascii", "chunk-not-a-number", "no-chunk", "null"])
def test_an_unreadable_preamble_is_damage_in_this_version_and_too_new_in_a_later_one(raw: bytes) -> None:
    assert _damaged(_head(1, raw)) == NOT_A_BACKUP
    with pytest.raises(TooNew) as e:
        c.read_preamble(_head(2, raw))
    assert str(e.value) == TOO_NEW


@pytest.mark.parametrize("missing", ["chunk", "nonce", "file_salt", "kdf"])
def test_each_preamble_field_is_needed(missing: str) -> None:
    assert _damaged(_head(1, _preamble(**{missing: None}))) == NOT_A_BACKUP


@pytest.mark.parametrize(("chunk", "ok"), [(4095, False), (4096, True), (16 << 20, True), ((16 << 20) + 1, False)])
def test_the_chunk_size_has_its_limits(chunk: int, ok: bool) -> None:
    f = _head(1, _preamble(chunk=chunk))
    if ok:
        assert c.read_preamble(f).chunk == chunk
    else:
        assert _damaged(f) == NOT_A_BACKUP


def test_the_nonce_prefix_is_seven_bytes_and_the_kdf_one_of_two() -> None:
    assert _damaged(_head(1, _preamble(nonce=_b64(bytes(6))))) == NOT_A_BACKUP
    assert _damaged(_head(1, _preamble(nonce=_b64(bytes(8))))) == NOT_A_BACKUP
    assert _damaged(_head(1, _preamble(kdf="scrypt"))) == NOT_A_BACKUP
    assert _damaged(_head(1, _preamble(nonce="!!"))) == NOT_A_BACKUP


def _argon_preamble(**cost: Any) -> bytes:
    return _preamble(kdf="argon2id", salt=_b64(SALT), **{**CHEAP, **cost})


@pytest.mark.parametrize(("name", "low", "high"), [("time_cost", 1, 10), ("memory_cost", 8, 1 << 18),
                                                   ("parallelism", 1, 8)])
def test_each_argon2_cost_has_its_limits(name: str, low: int, high: int) -> None:
    # the highest time cost with the least memory, and the other way round, stay within the work limit
    for value in (low, high):
        assert c.read_preamble(_head(1, _argon_preamble(**{name: value}))).params[name] == value
    for value in (low - 1, high + 1, str(low), None, 1.0 * low):
        assert _damaged(_head(1, _argon_preamble(**{name: value}))) == NOT_A_BACKUP


def test_the_argon2_work_is_limited_to_four_times_the_programs_own() -> None:
    # 3 passes over 64 MiB is the program's own; four times that (3 x 262144 KiB) is the most a file may ask for
    assert c.read_preamble(_head(1, _argon_preamble(time_cost=3, memory_cost=1 << 18))).params["time_cost"] == 3
    assert _damaged(_head(1, _argon_preamble(time_cost=4, memory_cost=1 << 18))) == NOT_A_BACKUP
    assert _damaged(_head(1, _argon_preamble(time_cost=10, memory_cost=78644))) == NOT_A_BACKUP  # 786440 > 786432
    assert c.read_preamble(_head(1, _argon_preamble(time_cost=10, memory_cost=78643))).chunk == 4096


def test_an_argon2_preamble_needs_a_readable_salt() -> None:
    assert _damaged(_head(1, _preamble(kdf="argon2id", salt="%%", **CHEAP))) == NOT_A_BACKUP
    # a salt left out reads as an empty one (the tag check then decides)
    assert c.read_preamble(_head(1, _preamble(kdf="argon2id", **CHEAP))).params == {"kdf": "argon2id", **CHEAP}


def test_the_preamble_params_keep_only_the_key_recipe() -> None:
    pre = c.read_preamble(_head(1, _argon_preamble()))
    assert pre.params == {"kdf": "argon2id", "salt": _b64(SALT), **CHEAP}
    assert (pre.prefix, pre.file_salt, pre.check) == (bytes(7), bytes(16), bytes(16))
    assert pre.aad == _head(1, _argon_preamble()).getvalue()[:-16]


# --- the plain stream and its header -----------------------------------------------------------------------------


def test_the_plain_stream_reads_exact_lengths_across_chunks() -> None:
    s = c.PlainStream(iter([b"abc", b"", b"defg", b"h"]))
    assert s.read(2) == b"ab"
    assert s.read(4) == b"cdef"
    assert s.read(0) == b""
    out = io.BytesIO()
    s.copy_to(out, 2)
    assert out.getvalue() == b"gh"
    s.finish()
    with pytest.raises(Damaged) as e:
        s.read(1)
    assert str(e.value) == INCOMPLETE


def test_copying_counts_each_step_and_stops_at_the_end() -> None:
    s = c.PlainStream(iter([b"abc", b"defgh"]))
    out, steps = io.BytesIO(), []
    s.copy_to(out, 7, steps.append)
    assert (out.getvalue(), steps) == (b"abcdefg", [3, 4])
    with pytest.raises(Damaged) as e:
        s.copy_to(io.BytesIO(), 2)
    assert str(e.value) == INCOMPLETE
    c.PlainStream(iter([b"ab"])).copy_to(out, 0)


def test_a_stream_with_more_than_its_header_says_is_damage() -> None:
    s = c.PlainStream(iter([b"ab", b"c"]))
    s.read(2)
    with pytest.raises(Damaged) as e:
        s.finish()
    assert str(e.value) == "备份文件已损坏或被改动过（结尾有多余的内容），不能使用。请换一个备份文件。"


def _stream(header: object) -> c.PlainStream:
    raw = json.dumps(header).encode("utf-8")
    return c.PlainStream(iter([struct.pack(">I", len(raw)) + raw]))


GOOD = {"format": "fulian-desktop-backup", "format_version": 1, "keyfile_size": 0, "db_size": 4096, "office": "县妇联"}


def test_the_header_round_trips() -> None:
    packed = c.pack_header(GOOD)
    assert packed[:4] == struct.pack(">I", len(packed) - 4)
    assert json.loads(packed[4:].decode("utf-8")) == GOOD
    assert "县妇联".encode() in packed  # written as UTF-8, not escaped
    assert c.read_header(c.PlainStream(iter([packed]))) == GOOD
    assert c.read_header(_stream({**GOOD, "format_version": 0})) == {**GOOD, "format_version": 0}
    no_version = {k: v for k, v in GOOD.items() if k != "format_version"}
    assert c.read_header(_stream(no_version)) == no_version


def test_a_header_too_large_is_not_written_or_read() -> None:
    with pytest.raises(ValueError, match="too large"):
        c.pack_header({"x": "a" * (1 << 20)})
    assert len(c.pack_header({"x": "a" * ((1 << 20) - 9)})) == 4 + (1 << 20)  # {"x": "…"} adds nine characters
    with pytest.raises(Damaged) as e:
        c.read_header(c.PlainStream(iter([struct.pack(">I", (1 << 20) + 1)])))
    assert str(e.value) == "备份文件已损坏或被改动过（说明部分过长），不能使用。请换一个备份文件。"


@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe\xfd"], ids=["cut", "not-utf8"])
def test_an_unreadable_header_is_damage(raw: bytes) -> None:
    with pytest.raises(Damaged) as e:
        c.read_header(c.PlainStream(iter([struct.pack(">I", len(raw)) + raw])))
    assert str(e.value) == "备份文件已损坏或被改动过（说明部分无法读取），不能使用。请换一个备份文件。"


@pytest.mark.parametrize("header", [[1], {**GOOD, "format": "other"}, {k: v for k, v in GOOD.items() if k != "format"}])
def test_a_header_of_another_kind_is_not_a_backup(header: object) -> None:
    with pytest.raises(Damaged) as e:
        c.read_header(_stream(header))
    assert str(e.value) == NOT_A_BACKUP


def test_a_later_payload_version_is_too_new() -> None:
    with pytest.raises(TooNew) as e:
        c.read_header(_stream({**GOOD, "format_version": 2}))
    assert str(e.value) == "这个备份是由更新版本的妇联维权工作台制作的，本程序无法恢复。请先安装新版本，再恢复。"


@pytest.mark.parametrize("change", [{"keyfile_size": -1}, {"db_size": -1}, {"db_size": "4096"}, {"keyfile_size": None}])
def test_a_header_without_its_sizes_is_incomplete(change: dict[str, Any]) -> None:
    with pytest.raises(Damaged) as e:
        c.read_header(_stream({**GOOD, **change}))
    assert str(e.value) == "备份文件已损坏或被改动过（说明部分不完整），不能使用。请换一个备份文件。"
    missing = {k: v for k, v in GOOD.items() if k != next(iter(change))}
    with pytest.raises(Damaged):
        c.read_header(_stream(missing))


# --- streams that return less than asked (a pipe, a raw file) -----------------------------------------------------


class _Pieces(io.RawIOBase):
    """A stream that hands out its bytes in the given pieces, one read at most a piece (None where a non-blocking
    stream has nothing yet)."""

    def __init__(self, pieces: list[bytes | None]) -> None:
        self.pieces = list(pieces)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes | None:  # type: ignore[override]
        if not self.pieces:
            return b""
        piece = self.pieces[0]
        if piece is None:
            self.pieces.pop(0)
            return None
        out, rest = piece[:n], piece[n:]
        if rest:
            self.pieces[0] = rest
        else:
            self.pieces.pop(0)
        return out


def test_a_stream_with_nothing_to_give_is_not_a_backup() -> None:
    with pytest.raises(Damaged) as e:
        c.read_preamble(_Pieces([None]))  # type: ignore[arg-type]
    assert str(e.value) == NOT_A_BACKUP


def test_a_stream_that_ends_with_nothing_rather_than_empty_reads_back() -> None:
    key = bytes(32)
    raw = _handmade(key, {"kdf": "database-key"}, [(b"a" * 4096, 0), (b"bc", 1)])
    u = c.Unsealer(_Pieces([raw, None]))  # type: ignore[arg-type]
    u.unlock(c.database_master(key))
    assert list(u.chunks()) == [b"a" * 4096, b"bc"]


def test_a_short_chunk_that_is_not_the_last_is_refused_for_its_length() -> None:
    key = bytes(32)
    raw = _handmade(key, {"kdf": "database-key"}, [(b"a" * 100, 0), (b"b", 1)])
    head = len(raw) - (100 + 16) - (1 + 16)
    # the first chunk arrives on its own (116 bytes of the 4112 asked for) and decrypts: its length gives it away
    u = c.Unsealer(_Pieces([raw[:14], raw[14:head - 16], raw[head - 16:head], raw[head:head + 116], raw[head + 116:]]))  # type: ignore[arg-type]
    u.unlock(c.database_master(key))
    chunks = u.chunks()
    assert next(chunks) == b"a" * 100
    with pytest.raises(Damaged) as e:
        next(chunks)
    assert str(e.value) == "备份文件已损坏或被改动过（第1段长度不对），不能使用。请换一个备份文件。"


def test_a_preamble_length_beyond_two_gigabytes_is_refused_unread() -> None:
    f = io.BytesIO(b"FULIANBK" + struct.pack(">HI", 1, 0xFFFFFFFF) + _preamble() + bytes(16))
    assert _damaged(f) == NOT_A_BACKUP
    assert f.tell() == 14
    assert _damaged(io.BytesIO(b"FULIANBK" + struct.pack(">HI", 0xFFFF, 10) + _preamble())) == NOT_A_BACKUP


def test_a_header_length_beyond_two_gigabytes_is_too_long() -> None:
    with pytest.raises(Damaged) as e:
        c.read_header(c.PlainStream(iter([struct.pack(">I", 0xFFFFFFFF) + b"{}"])))
    assert str(e.value) == "备份文件已损坏或被改动过（说明部分过长），不能使用。请换一个备份文件。"


def test_a_header_of_exactly_one_mebibyte_is_read() -> None:
    header = {**GOOD, "x": ""}
    filler = (1 << 20) - len(json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    header["x"] = "a" * filler
    packed = c.pack_header(header)
    assert len(packed) == 4 + (1 << 20)
    assert c.read_header(c.PlainStream(iter([packed]))) == header


def test_the_header_is_written_the_same_whatever_order_its_keys_came_in() -> None:
    a = c.pack_header({"format": "fulian-desktop-backup", "db_size": 1, "office": "县妇联"})
    b = c.pack_header({"office": "县妇联", "db_size": 1, "format": "fulian-desktop-backup"})
    assert a == b == struct.pack(">I", len(a) - 4) + '{"db_size": 1, "format": "fulian-desktop-backup", "office": "县妇联"}'.encode()


def test_internal_misuse_is_named() -> None:
    with pytest.raises(ValueError) as e:
        c.pack_header({"x": "a" * (1 << 20)})
    assert str(e.value) == "backup header too large"
    s = c.Sealer(io.BytesIO(), c.database_master(bytes(32)), chunk=4096)
    s.close()
    with pytest.raises(ValueError) as e:
        s.write(b"x")
    assert str(e.value) == "sealer closed"
    u = c.Unsealer(io.BytesIO(_handmade(bytes(32), {"kdf": "database-key"}, [(b"x", 1)])))
    with pytest.raises(RuntimeError) as r:
        next(u.chunks())
    assert str(r.value) == "unlock first"


class _Counted:
    """Chunks handed out one at a time, counting how many were taken."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks, self.taken = chunks, 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> bytes:
        if self.taken == len(self.chunks):
            raise StopIteration
        self.taken += 1
        return self.chunks[self.taken - 1]


def test_the_plain_stream_takes_no_chunk_before_it_needs_it() -> None:
    # a chunk is decrypted (and checked) only when its bytes are wanted: a restore writes as it reads
    chunks = _Counted([b"abc", b"d", b"e"])
    s = c.PlainStream(chunks)
    assert s.read(3) == b"abc" and chunks.taken == 1
    out = io.BytesIO()
    s.copy_to(out, 1)
    assert out.getvalue() == b"d" and chunks.taken == 2
    s.copy_to(out, 1)
    assert chunks.taken == 3
    s.finish()
