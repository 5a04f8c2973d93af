"""The Windows branches, run on Linux: `windows._WINDOWS` switched on and kernel32 replaced by a fake that
answers as Microsoft documents (return values, GetLastError codes, output buffers, alignment rules)."""

from __future__ import annotations

import ctypes
import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3 as sqlcipher

from fulian_desktop import durable, windows
from fulian_desktop.backup import drives, engine, files
from fulian_desktop.backup.errors import BackupError
from fulian_desktop.domain.errors import StorageError
from fulian_desktop.services import accounts, backup, settings
from fulian_desktop.store import connection, keys

from .conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock

SECTOR = 512


class Fn:
    """A foreign function: callable, and takes restype and argtypes as ctypes' do."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.restype: Any = None
        self.argtypes: Any = None

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)


class FakeKernel32:
    """kernel32 as documented: BOOL functions return 0 and set the thread's last error on failure."""

    def __init__(self) -> None:
        for name in ("CreateFileW", "ReadFile", "CloseHandle", "VirtualAlloc", "VirtualFree", "AttachConsole",
                     "GetCurrentProcess"):
            setattr(self, name, Fn(getattr(self, name)))
        self.last = 0
        self.calls: list[tuple[Any, ...]] = []
        self.freed: list[int] = []
        self.move_failures: list[int] = []  # GetLastError codes the next MoveFileExW calls fail with
        self.drive_types: dict[str, int] = {}
        self.buses: dict[str, int] = {}  # "\\\\.\\E:" -> STORAGE_BUS_TYPE
        self.handles: dict[int, Any] = {}
        self.memory: dict[int, Any] = {}
        self._next = 100

    # --- files -------------------------------------------------------------------------------------
    def MoveFileExW(self, src: Any, dst: Any, flags: int) -> int:  # noqa: N802 - Win32's name
        self.calls.append(("MoveFileExW", src.value, dst.value, flags))
        if self.move_failures:
            self.last = self.move_failures.pop(0)
            return 0
        if not flags & windows.MOVEFILE_REPLACE_EXISTING and os.path.exists(dst.value):
            self.last = 183  # ERROR_ALREADY_EXISTS
            return 0
        try:
            os.replace(src.value, dst.value)
        except FileNotFoundError:
            self.last = windows.ERROR_FILE_NOT_FOUND
            return 0
        return 1

    def CreateFileW(self, name: str, access: int, share: int, security: Any, disposition: int,  # noqa: N802
                    flags: int, template: Any) -> int:
        self.calls.append(("CreateFileW", name, access, share, disposition, flags))
        if name.startswith("\\\\.\\"):
            if name not in self.buses:
                self.last = windows.ERROR_FILE_NOT_FOUND
                return windows.INVALID_HANDLE_VALUE  # type: ignore[return-value]
            h = self._handle({"volume": name})
            return h
        try:
            f = open(name, "rb")  # noqa: SIM115 - CloseHandle closes it
        except FileNotFoundError:
            self.last = windows.ERROR_FILE_NOT_FOUND
            return windows.INVALID_HANDLE_VALUE  # type: ignore[return-value]
        return self._handle({"file": f, "flags": flags, "offset": 0})

    def _handle(self, what: dict[str, Any]) -> int:
        self._next += 4
        self.handles[self._next] = what
        return self._next

    def ReadFile(self, h: Any, buf: Any, n: int, got: Any, overlapped: Any) -> int:  # noqa: N802
        entry = self.handles[h.value]
        address = buf.value
        self.calls.append(("ReadFile", entry["offset"], n, address))
        if entry["flags"] & windows.FILE_FLAG_NO_BUFFERING and (
                entry["offset"] % SECTOR or n % SECTOR or address % SECTOR):
            self.last = windows.ERROR_INVALID_PARAMETER  # what unaligned unbuffered I/O gets
            return 0
        f = entry["file"]
        f.seek(entry["offset"])
        data = f.read(n)
        ctypes.memmove(address, data, len(data))
        entry["offset"] += len(data)
        got.contents.value = len(data)
        return 1

    def CloseHandle(self, h: Any) -> int:  # noqa: N802
        entry = self.handles.pop(h.value)
        if "file" in entry:
            entry["file"].close()
        return 1

    def VirtualAlloc(self, address: Any, size: int, kind: int, protect: int) -> int:  # noqa: N802
        raw = ctypes.create_string_buffer(size + 4096)
        start = ctypes.addressof(raw)
        aligned = (start + 4095) // 4096 * 4096  # VirtualAlloc returns page-aligned memory
        self.memory[aligned] = raw
        return aligned

    def VirtualFree(self, address: Any, size: int, kind: int) -> int:  # noqa: N802
        self.memory.pop(address.value)
        return 1

    def LocalFree(self, memory: Any) -> None:  # noqa: N802
        self.freed.append(memory.value)

    # --- console and process --------------------------------------------------------------------------
    console = False  # started from cmd.exe (a console to attach to) or from Explorer
    created_seconds_ago = 2.5
    NOW = 134_000_000_000_000_000  # a FILETIME in December 2025 (100 ns since 1601)

    def AttachConsole(self, pid: int) -> int:  # noqa: N802
        self.calls.append(("AttachConsole", pid))
        if not self.console:
            self.last = 6  # ERROR_INVALID_HANDLE: the parent has no console
        return int(self.console)

    def GetCurrentProcess(self) -> int:  # noqa: N802
        return windows.INVALID_HANDLE_VALUE  # type: ignore[return-value]  # the pseudo-handle (HANDLE)-1

    def GetProcessTimes(self, h: Any, created: Any, exited: Any, kernel: Any, user: Any) -> int:  # noqa: N802
        assert h.value == windows.INVALID_HANDLE_VALUE
        created.contents.value = self.NOW - int(self.created_seconds_ago * 10_000_000)
        return 1

    def GetSystemTimePreciseAsFileTime(self, now: Any) -> None:  # noqa: N802
        now.contents.value = self.NOW

    # --- drives --------------------------------------------------------------------------------------
    def GetDriveTypeW(self, root: Any) -> int:  # noqa: N802
        return self.drive_types.get(root.value, 1)

    def DeviceIoControl(self, h: Any, code: int, inbuf: Any, insize: int, outbuf: Any, outsize: int,  # noqa: N802
                        got: Any, overlapped: Any) -> int:
        entry = self.handles[h.value]
        assert code == windows.IOCTL_STORAGE_QUERY_PROPERTY and insize == 12 and list(inbuf) == [0, 0, 0]
        bus = self.buses[entry["volume"]]
        # STORAGE_DEVICE_DESCRIPTOR: Version, Size, DeviceType, Modifier, RemovableMedia, CommandQueueing,
        # four offsets, BusType, RawPropertiesLength
        desc = struct.pack("<IIBBBBIIIIII", 40, 40, 0, 0, 0, 0, 0, 0, 0, 0, bus, 0)
        ctypes.memmove(outbuf, desc, len(desc))
        got.contents.value = len(desc)
        return 1


class FakeAdvapi32:
    """advapi32's security calls: a descriptor made from SDDL, set on a file (refused where `no_acl` says, as a FAT
    stick refuses: ERROR_NOT_SUPPORTED)."""

    def __init__(self, kernel: FakeKernel32) -> None:
        self.kernel = kernel
        self.descriptors: dict[int, str] = {}
        self.acls: dict[str, str] = {}  # file -> SDDL set on it
        self.no_acl = False

    def ConvertStringSecurityDescriptorToSecurityDescriptorW(  # noqa: N802
            self, sddl: Any, revision: int, out: Any, size: Any) -> int:
        assert revision == windows.SDDL_REVISION_1
        address = 0x5000 + len(self.descriptors) * 16
        self.descriptors[address] = sddl.value
        out.contents.value = address
        return 1

    def SetFileSecurityW(self, name: Any, info: int, descriptor: Any) -> int:  # noqa: N802
        assert info.value == windows.DACL_SECURITY_INFORMATION | windows.PROTECTED_DACL_SECURITY_INFORMATION
        if self.no_acl:
            self.kernel.last = 50  # ERROR_NOT_SUPPORTED
            return 0
        self.acls[name.value] = self.descriptors[descriptor.value]
        return 1


class FakeCredentials(FakeAdvapi32):
    """The Credential Manager: CredWriteW / CredReadW / CredDeleteW / CredFree as documented (ERROR_NOT_FOUND when
    nothing is kept under a name)."""

    def __init__(self, kernel: FakeKernel32) -> None:
        super().__init__(kernel)
        self.vault: dict[str, tuple[str, bytes, int, int]] = {}  # target -> user, blob, type, persist
        self.handed_out: list[Any] = []

    def CredWriteW(self, cred: Any, flags: int) -> int:  # noqa: N802
        c = cred.contents
        blob = ctypes.string_at(c.CredentialBlob, c.CredentialBlobSize)
        self.vault[c.TargetName] = (c.UserName, blob, c.Type, c.Persist)
        return 1

    def CredReadW(self, target: Any, kind: int, flags: int, out: Any) -> int:  # noqa: N802
        if (target.value, kind) not in {(t, v[2]) for t, v in self.vault.items()}:
            self.kernel.last = windows.ERROR_NOT_FOUND
            return 0
        user, blob, kind, persist = self.vault[target.value]
        data = (ctypes.c_ubyte * max(len(blob), 1)).from_buffer_copy(blob or b"\0")
        cred = windows.CREDENTIALW(Type=kind, TargetName=target.value, CredentialBlobSize=len(blob),
                                   CredentialBlob=ctypes.cast(data, ctypes.POINTER(ctypes.c_ubyte)),
                                   Persist=persist, UserName=user)
        self.handed_out.append((cred, data))
        out[0] = ctypes.pointer(cred)
        return 1

    def CredFree(self, pointer: Any) -> None:  # noqa: N802
        self.handed_out.pop()

    def CredDeleteW(self, target: Any, kind: int, flags: int) -> int:  # noqa: N802
        if self.vault.pop(target.value, None) is None:
            self.kernel.last = windows.ERROR_NOT_FOUND
            return 0
        return 1


@pytest.fixture
def k32(monkeypatch: pytest.MonkeyPatch) -> FakeKernel32:
    fake = FakeKernel32()
    fake.advapi = FakeCredentials(fake)  # type: ignore[attr-defined]
    monkeypatch.setattr(windows, "_WINDOWS", True)
    monkeypatch.setattr(windows, "kernel32", lambda: fake)
    monkeypatch.setattr(windows, "advapi32", lambda: fake.advapi)  # type: ignore[attr-defined]
    monkeypatch.setattr(windows, "last_error", lambda: fake.last)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    return fake


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(durable, "_sleep", slept.append)
    return slept


# --- 2. a file held open by antivirus, a sync tool, a second copy: retry, then tell the truth -------------


def test_a_rename_waits_for_the_program_holding_the_file(k32: FakeKernel32, waits: list[float],
                                                         tmp_path: Path) -> None:
    (tmp_path / "new").write_text("新")
    (tmp_path / "old").write_text("旧")
    k32.move_failures = [windows.ERROR_SHARING_VIOLATION, windows.ERROR_ACCESS_DENIED, windows.ERROR_LOCK_VIOLATION]
    durable.replace(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "old").read_text() == "新" and not (tmp_path / "new").exists()
    moves = [c for c in k32.calls if c[0] == "MoveFileExW"]
    assert len(moves) == 4 and len(waits) == 3 and waits == sorted(waits)  # short, growing pauses
    # written through to the device, replacing the old file
    assert all(c[3] == windows.MOVEFILE_REPLACE_EXISTING | windows.MOVEFILE_WRITE_THROUGH for c in moves)


def test_a_rename_gives_up_after_a_few_seconds_and_other_errors_at_once(k32: FakeKernel32, waits: list[float],
                                                                        tmp_path: Path) -> None:
    (tmp_path / "new").write_text("新")
    k32.move_failures = [windows.ERROR_SHARING_VIOLATION] * 1000
    with pytest.raises(OSError) as held:
        durable.replace(tmp_path / "new", tmp_path / "old")
    assert getattr(held.value, "winerror", None) == windows.ERROR_SHARING_VIOLATION
    assert 3.0 <= sum(waits) <= 3.5 and max(waits) <= 0.8
    waits.clear()
    k32.move_failures = [windows.ERROR_NOT_READY]
    with pytest.raises(OSError):
        durable.replace(tmp_path / "new", tmp_path / "old")
    assert waits == []  # a stick that is not ready is not waited for


def test_the_key_file_held_open_says_so_and_keeps_the_old_one(k32: FakeKernel32, waits: list[float],
                                                            tmp_path: Path) -> None:
    path = tmp_path / "fulian.db.keys"
    kf = keys.KeyFile.create(path, CHEAP_KDF)
    kf.save()
    before = path.read_bytes()
    kf.data["pending"].append({"at": "2026-03-10T09:30:00", "nid": "x", "event": "login.failed"})
    k32.move_failures = [windows.ERROR_SHARING_VIOLATION] * 1000
    with pytest.raises(StorageError) as e:
        kf.save()
    assert "被其他程序占用" in str(e.value) and "原来的密钥文件没有改动" in str(e.value)
    assert path.read_bytes() == before and not list(tmp_path.glob("*.tmp"))
    k32.move_failures = [windows.ERROR_SHARING_VIOLATION] * 2  # the scanner lets go within the wait
    kf.save()
    assert json.loads(path.read_text())["pending"]


def test_a_sign_in_whose_key_file_cannot_be_saved_leaves_the_database_closed(
        tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, _recovery, _aside = accounts.set_up(
        tmp_path / "test.db", [(TEST_USER, "测试员", ("admin",), TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    opened: list[Any] = []
    real_open = accounts.open_database

    def recording_open(*args: Any, **kw: Any) -> Any:
        db = real_open(*args, **kw)
        opened.append(db)
        return db

    real_save = keys.KeyFile.save

    def held(self: keys.KeyFile) -> None:  # the attempt is counted; saving the success fails
        if opened:
            raise StorageError("无法保存密钥文件：被其他程序占用")
        real_save(self)

    monkeypatch.setattr(accounts, "open_database", recording_open)
    monkeypatch.setattr(keys.KeyFile, "save", held)
    with pytest.raises(StorageError):
        accounts.sign_in(tmp_path / "test.db", TEST_USER, TEST_PASSWORD, clock=clock)
    assert len(opened) == 1
    with pytest.raises(Exception, match="closed"):
        opened[0].execute("SELECT 1")


def _opened(tmp_path: Path) -> tuple[engine.Opened, Path]:
    db_path = tmp_path / "fulian.db"
    db_path.write_bytes(b"the current database")
    keys.keyfile_path(db_path).write_bytes(b"the current keys")
    work = tmp_path / ".fulian-backup-work"
    work.mkdir()
    staged = work / "staged.db"
    staged.write_bytes(b"the backup's database")
    return engine.Opened(file=tmp_path / "x.fulian-backup", header={}, keyfile=b"the backup's keys", db_key=b"k" * 32,
                         staged=staged, work=work), db_path


def test_a_restore_whose_rollback_fails_says_where_the_database_is(k32: FakeKernel32, waits: list[float],
                                                                   tmp_path: Path) -> None:
    opened, db_path = _opened(tmp_path)
    aside = tmp_path / "fulian.db.before-restore-2026-03-10_093000"
    real = k32.MoveFileExW

    def move(src: Any, dst: Any, flags: int) -> int:
        # the new key file is held for good, and so is the database when it is put back
        if src.value.endswith(".restoring") or src.value == str(aside):
            k32.last = windows.ERROR_SHARING_VIOLATION
            return 0
        return real(src, dst, flags)

    k32.MoveFileExW = move  # type: ignore[method-assign]
    with pytest.raises(BackupError) as e:
        engine.restore_files(opened, db_path, dt.datetime(2026, 3, 10, 9, 30))
    message = str(e.value)
    assert aside.read_bytes() == b"the current database"  # where it was left
    assert "没有改动" not in message and f"“fulian.db”现在叫“{aside.name}”" in message
    assert "被其他程序占用" in message and "请不要删除" in message


def test_a_restore_whose_rollback_works_says_nothing_changed(k32: FakeKernel32, waits: list[float],
                                                             tmp_path: Path) -> None:
    opened, db_path = _opened(tmp_path)
    calls = [0]
    real = k32.MoveFileExW

    def move(src: Any, dst: Any, flags: int) -> int:
        calls[0] += 1
        if calls[0] == 3:  # the backup's database cannot take the place (a different error, not waited for)
            k32.last = windows.ERROR_NOT_READY
            return 0
        return real(src, dst, flags)

    k32.MoveFileExW = move  # type: ignore[method-assign]
    with pytest.raises(BackupError, match="原来的数据库没有改动"):
        engine.restore_files(opened, db_path, dt.datetime(2026, 3, 10, 9, 30))
    assert db_path.read_bytes() == b"the current database"
    assert keys.keyfile_path(db_path).read_bytes() == b"the current keys"


# --- 4. the device's own words, before CPython's errno ---------------------------------------------------


@pytest.mark.parametrize(("code", "words"), [
    (windows.ERROR_SHARING_VIOLATION, "被其他程序占用"), (windows.ERROR_LOCK_VIOLATION, "被其他程序占用"),
    (windows.ERROR_NOT_READY, "设备未就绪"), (windows.ERROR_GEN_FAILURE, "读写出错"),
    (windows.ERROR_WRITE_PROTECT, "写保护"), (windows.ERROR_DISK_FULL, "空间不够"),
    (windows.ERROR_ACCESS_DENIED, "没有权限"),
])
def test_device_messages_read_the_windows_code_first(code: int, words: str) -> None:
    e = windows.error(code, "E:\\妇联维权工作台备份\\x.fulian-backup")
    message = files.device_message(e)
    assert words in message
    if code in (windows.ERROR_SHARING_VIOLATION, windows.ERROR_NOT_READY, windows.ERROR_GEN_FAILURE):
        assert "写保护" not in message  # what the errno alone (EACCES) made of them


# --- 3. write-through and a read-back from the device itself -------------------------------------------


def test_unbuffered_reads_are_aligned_and_give_the_file(k32: FakeKernel32, tmp_path: Path) -> None:
    data = os.urandom(3 * windows.READ_BLOCK + 12345)
    (tmp_path / "f").write_bytes(data)
    with windows.open_unbuffered(tmp_path / "f") as f:
        got = f.read(7) + f.read(windows.READ_BLOCK) + f.read()
    assert got == data
    opens = [c for c in k32.calls if c[0] == "CreateFileW"]
    assert opens[0][5] & windows.FILE_FLAG_NO_BUFFERING
    assert not k32.handles and not k32.memory  # handle closed, memory freed


def test_a_backup_on_windows_moves_through_and_reads_back_past_the_cache(
        k32: FakeKernel32, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, _recovery, _aside = accounts.set_up(
        tmp_path / "test.db", [(TEST_USER, "测试员", ("admin",), TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    try:
        settings.set_office_name(ctx, "东山县妇联")
        backup.set_password(ctx, "东山县妇联-备份-2026", "东山县妇联-备份-2026")
        outcome = backup.make_backup(ctx, tmp_path / "stick")
    finally:
        ctx.close()
    partial = str(files.unfinished(outcome.path))
    reads = [c for c in k32.calls if c[0] == "CreateFileW" and c[1] == partial]
    assert reads and reads[0][5] & windows.FILE_FLAG_NO_BUFFERING  # the read-back bypassed the cache
    assert ("MoveFileExW", partial, str(outcome.path),
            windows.MOVEFILE_REPLACE_EXISTING | windows.MOVEFILE_WRITE_THROUGH) in k32.calls
    assert any(c[0] == "ReadFile" for c in k32.calls)


# --- 10. fsync on Windows needs a handle open for writing ------------------------------------------------


def test_fsync_file_opens_for_writing_on_windows(k32: FakeKernel32, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "f").write_text("x")
    modes: list[int] = []
    real_open: Callable[..., int] = os.open

    def recording(path: Any, flags: int, *a: Any) -> int:
        modes.append(flags)
        return real_open(path, flags, *a)

    monkeypatch.setattr(os, "open", recording)
    durable.fsync_file(tmp_path / "f")
    assert modes and modes[0] & os.O_ACCMODE == os.O_RDWR


# --- 1. USB SSDs and portable disks that call themselves fixed ------------------------------------------


def test_fixed_drives_on_usb_count_as_removable(k32: FakeKernel32) -> None:
    k32.drive_types = {"C:\\": 3, "E:\\": 3, "F:\\": 2, "G:\\": 3, "H:\\": 3, "Z:\\": 4}
    k32.buses = {"\\\\.\\C:": 0x11, "\\\\.\\E:": windows.BUS_TYPE_USB, "\\\\.\\G:": windows.BUS_TYPE_SD}  # C: NVMe
    assert drives.is_removable_volume("E:\\")  # a USB SSD: DRIVE_FIXED, bus USB
    assert drives.is_removable_volume("G:\\")  # an SD card in a built-in reader
    assert drives.is_removable_volume("F:\\")  # a plain stick: DRIVE_REMOVABLE, no question asked
    assert not drives.is_removable_volume("C:\\")
    assert not drives.is_removable_volume("H:\\")  # the device did not answer: the system disk stays local
    assert drives._windows_kind("E:\\妇联\\fulian.db") == drives.REMOVABLE
    assert drives._windows_kind("Z:\\fulian.db") == drives.NETWORK
    assert drives._windows_kind("\\\\server\\share\\fulian.db") == drives.NETWORK
    assert drives._windows_kind("\\\\?\\UNC\\server\\share\\fulian.db") == drives.NETWORK
    volume_opens = [c for c in k32.calls if c[0] == "CreateFileW"]
    assert volume_opens and all(c[2] == 0 for c in volume_opens)  # no access rights asked: no administrator
    assert not k32.handles


def _plain_database(path: Path) -> None:
    conn = sqlcipher.connect(str(path))
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES ('一行')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("put_back", [True, False])
def test_encrypting_a_database_held_open_puts_it_back_or_says_where_it_is(
        k32: FakeKernel32, waits: list[float], tmp_path: Path, put_back: bool) -> None:
    path = tmp_path / "fulian.db"
    _plain_database(path)
    before = path.read_bytes()
    aside = connection.set_aside_path(path)
    real = k32.MoveFileExW

    def move(src: Any, dst: Any, flags: int) -> int:
        if src.value.endswith(".encrypting") or (src.value == str(aside) and not put_back):
            k32.last = windows.ERROR_SHARING_VIOLATION
            return 0
        return real(src, dst, flags)

    k32.MoveFileExW = move  # type: ignore[method-assign]
    with pytest.raises(StorageError) as e:
        connection.encrypt_plain_file(path, b"k" * 32)
    assert not (tmp_path / "fulian.db.encrypting").exists()
    if put_back:
        assert path.read_bytes() == before and "原数据库没有改动" in str(e.value)
    else:
        assert not path.exists() and aside.read_bytes() == before
        assert f"它现在是“{aside.name}”" in str(e.value) and "没有改动" not in str(e.value)


# --- 6. output to a file, a pipe or the Task Scheduler is UTF-8, not the GBK code page ---------------------


def test_redirected_output_is_utf8_even_where_the_code_page_is_gbk(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONUTF8": "0"}  # what a Chinese Windows gives a pipe
    done = subprocess.run([sys.executable, "-m", "fulian_desktop", "--help"], capture_output=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0
    text = done.stdout.decode("utf-8")  # not GBK: this would fail on the old streams
    assert "妇联" in text or "用法" in text


def test_rare_name_characters_reach_a_redirected_file_as_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop.cli import main as cli_main

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    monkeypatch.setattr(sys, "stdout", out)
    cli_main.safe_streams()
    print("王䶮 张𠇔", file=out, flush=True)
    assert raw.getvalue().decode("utf-8") == "王䶮 张𠇔\n"


# --- 10. the window program given a command; the smoke test's clock -----------------------------------------


def window_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window program on Windows: built without a console, so Python has no stdout and no stderr. (Set in
    the test itself: pytest puts its own streams back between set-up and the test.)"""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)


def test_the_window_program_started_from_cmd_prints_the_demo_accounts_there(
        k32: FakeKernel32, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop import app

    window_program(monkeypatch)
    k32.console = True
    screen = tmp_path / "console.txt"
    monkeypatch.setattr(windows, "CONSOLE_OUTPUT", str(screen))
    code = app.main(["demo", "--db", str(tmp_path / "演示.db"), "--cases", "5"])
    assert code == 0
    assert ("AttachConsole", windows.ATTACH_PARENT_PROCESS) in k32.calls
    text = screen.read_text(encoding="utf-8")
    assert "demo" in text and "fulian-demo" in text


def test_the_window_program_started_from_a_shortcut_shows_the_demo_accounts_in_a_window(
        k32: FakeKernel32, tmp_path: Path, qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop import app
    from fulian_desktop.gui.shell import dialogs

    said: list[str] = []
    monkeypatch.setattr(dialogs, "show_text", lambda _p, _t, text, problem=False: said.append(text))
    window_program(monkeypatch)
    code = app.main(["demo", "--db", str(tmp_path / "演示.db"), "--cases", "5"])
    assert code == 0 and len(said) == 1
    assert "demo" in said[0] and "fulian-demo" in said[0]
    code = app.main(["search", "王", "--db", str(tmp_path / "没有这个.db")])
    assert code != 0 and len(said) == 2 and said[1]  # an error is shown too, never silence and exit 1


def test_the_smoke_test_counts_from_the_process_creation_on_windows(k32: FakeKernel32) -> None:
    from fulian_desktop.gui.shell import application

    k32.created_seconds_ago = 2.5  # e.g. the bundle's own start before Python ran anything
    assert application.seconds_since_start() == pytest.approx(2.5)


# --- 5. the key file's own access list ---------------------------------------------------------------------


def test_the_key_file_is_for_its_owner_and_system_only_outside_localappdata(
        k32: FakeKernel32, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    advapi: FakeAdvapi32 = k32.advapi  # type: ignore[attr-defined]
    shared = tmp_path / "D盘" / "妇联"
    shared.mkdir(parents=True)
    ctx, _recovery, _aside = accounts.set_up(
        shared / "fulian.db", [(TEST_USER, "测试员", ("admin",), TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    ctx.close()
    tmp = str(keys.keyfile_path(shared / "fulian.db")) + ".tmp"
    assert advapi.acls[tmp] == "D:P(A;;FA;;;OW)(A;;FA;;;SY)"  # set before it takes the key file's place
    assert k32.freed and set(k32.freed) <= set(advapi.descriptors)

    # in %LOCALAPPDATA% the folder's own list already keeps other accounts out: left as it is
    advapi.acls.clear()
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    home = tmp_path / "AppData" / "Local" / "FulianDesktop"
    home.mkdir(parents=True)
    keys.KeyFile.create(home / "fulian.db.keys", CHEAP_KDF).save()
    assert advapi.acls == {}

    # a drive without access lists (FAT): saved all the same, and said in the log
    advapi.no_acl = True
    monkeypatch.delenv("LOCALAPPDATA")
    keys.KeyFile.create(shared / "other.db.keys", CHEAP_KDF).save()
    assert (shared / "other.db.keys").exists() and "access list could not be set" in caplog.text


def test_under_local_appdata_compares_windows_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALAPPDATA", "C:\\Users\\王芳\\AppData\\Local")
    assert windows.under_local_appdata("c:\\users\\王芳\\appdata\\local\\FulianDesktop\\fulian.db.keys")
    assert not windows.under_local_appdata("C:\\Users\\王芳\\AppData\\LocalLow\\fulian.db.keys")
    assert not windows.under_local_appdata("D:\\妇联\\fulian.db.keys")


# --- 9. passwords for scheduled tasks kept by Windows, not in a .bat file ----------------------------------


def test_a_scheduled_backup_uses_the_passwords_windows_keeps(
        k32: FakeKernel32, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import getpass

    from fulian_desktop.cli import common
    from fulian_desktop.cli import main as cli

    vault: FakeCredentials = k32.advapi  # type: ignore[attr-defined]
    db = tmp_path / "fulian.db"
    ctx, _recovery, _aside = accounts.set_up(
        db, [(TEST_USER, "测试员", ("admin", "staff"), TEST_PASSWORD, False)], clock=clock, kdf=CHEAP_KDF)
    backup.set_password(ctx, "东山县妇联-备份-2026", "东山县妇联-备份-2026")
    ctx.close()
    for var in ("FULIAN_USER", "FULIAN_PASSWORD", "FULIAN_BACKUP_PASSWORD"):
        monkeypatch.delenv(var, raising=False)

    def at_the_terminal(user: str, *passwords: str) -> None:  # she types at the 命令提示符
        monkeypatch.setattr(common, "isatty", lambda _s: True)
        monkeypatch.setattr(sys, "stdin", io.StringIO(user + "\n"))
        answers = list(passwords)
        monkeypatch.setattr(getpass, "getpass", lambda *_a, **_k: answers.pop(0))

    at_the_terminal(TEST_USER, "wrong-password-1")
    assert cli.main(["credentials", "save", "--db", str(db)]) == 1
    assert vault.vault == {} and "密码" in capsys.readouterr().err  # checked first: a wrong one is not kept
    at_the_terminal(TEST_USER, TEST_PASSWORD)
    assert cli.main(["credentials", "save", "--db", str(db)]) == 0
    at_the_terminal(TEST_USER, TEST_PASSWORD, "东山县妇联-备份-2026")
    assert cli.main(["credentials", "save", "--backup", "--db", str(db)]) == 0
    assert len(vault.vault) == 2
    assert sorted(v[0] for v in vault.vault.values()) == sorted([TEST_USER, "backup"])
    for _user, blob, kind, persist in vault.vault.values():
        assert kind == windows.CRED_TYPE_GENERIC and persist == windows.CRED_PERSIST_LOCAL_MACHINE
        assert blob.decode("utf-16-le") in (TEST_PASSWORD, "东山县妇联-备份-2026")
    capsys.readouterr()

    # the Task Scheduler: no terminal, no environment variables
    monkeypatch.setattr(common, "isatty", lambda _s: False)
    assert cli.main(["backup", "--to", str(tmp_path / "U盘"), "--db", str(db)]) == 0
    assert "备份完成并已核对" in capsys.readouterr().err
    assert not vault.handed_out  # every credential read was freed

    assert cli.main(["credentials", "forget", "--backup", "--db", str(db)]) == 0
    assert cli.main(["backup", "--to", str(tmp_path / "U盘"), "--db", str(db)]) == 1
    assert "credentials save --backup" in capsys.readouterr().err


class Volume:
    """What QStorageInfo says of a mounted volume on Windows."""

    def __init__(self, root: str, name: str) -> None:
        self.root, self.name_ = root, name

    def isValid(self) -> bool:  # noqa: N802 - Qt's names
        return True

    def isReady(self) -> bool:  # noqa: N802
        return True

    def isReadOnly(self) -> bool:  # noqa: N802
        return False

    def rootPath(self) -> str:  # noqa: N802
        return self.root

    def device(self) -> Any:
        from PySide6.QtCore import QByteArray

        return QByteArray(b"\\\\?\\Volume{0b1c}\\")

    def name(self) -> str:
        return self.name_

    def displayName(self) -> str:  # noqa: N802
        return self.name_

    def bytesAvailable(self) -> int:  # noqa: N802
        return 400_000_000_000

    def bytesTotal(self) -> int:  # noqa: N802
        return 500_000_000_000


def test_the_backup_window_offers_a_usb_ssd_that_calls_itself_fixed(
        k32: FakeKernel32, qtbot: Any, ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop.gui.backup import backup_dialog

    k32.drive_types = {"C:\\": 3, "D:\\": 3, "E:\\": 3}
    k32.buses = {"\\\\.\\C:": 0x11, "\\\\.\\D:": 0xB, "\\\\.\\E:": windows.BUS_TYPE_USB}  # NVMe, SATA, USB
    volumes = [Volume("C:/", "系统"), Volume("D:/", "数据"), Volume("E:/", "Samsung T7")]
    monkeypatch.setattr(backup_dialog.QStorageInfo, "mountedVolumes", staticmethod(lambda: volumes))
    settings.set_office_name(ctx, "东山县妇联")
    d = backup_dialog.BackupDialog(ctx, drive_list=backup_dialog.QtDriveList())
    qtbot.addWidget(d)
    d.show()
    assert d.places.count() == 1 and "Samsung T7" in d.places.item(0).text()  # the portable disk, not C: or D:
    assert d.target() is not None and str(d.target()).startswith("E:")
