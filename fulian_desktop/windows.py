"""The Windows calls the program makes itself, through ctypes, in one place: moving a file with write-through,
reading a file past the system's cache, and asking which bus a drive hangs on. No Qt and no SQLite here.

Nothing here runs on Linux except in tests: they switch `_WINDOWS` on and replace `kernel32` and `last_error`
with fakes that return what Microsoft documents (return values, GetLastError codes, buffers), so the decisions
made on Windows are executed and checked on any machine.

ctypes itself is loaded by the first call that needs it: every command imports this module (its error codes and
checks), and on other systems none of them calls Windows (issue 22).
"""

from __future__ import annotations

import errno
import functools
import io
import ntpath
import os
import struct
import sys
from pathlib import Path
from typing import Any

_WINDOWS = os.name == "nt"  # tests patch this to run the Windows branches

# Win32 error codes (GetLastError / OSError.winerror)
ERROR_FILE_NOT_FOUND = 2
ERROR_PATH_NOT_FOUND = 3
ERROR_ACCESS_DENIED = 5
ERROR_WRITE_PROTECT = 19
ERROR_NOT_READY = 21
ERROR_GEN_FAILURE = 31
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
ERROR_INVALID_PARAMETER = 87
ERROR_DISK_FULL = 112
HELD = (ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION)  # another program has the file open

MOVEFILE_REPLACE_EXISTING = 0x1
MOVEFILE_WRITE_THROUGH = 0x8
GENERIC_READ = 0x80000000
FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE = 0x1, 0x2, 0x4
OPEN_EXISTING = 3
FILE_FLAG_NO_BUFFERING = 0x20000000
FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000
MEM_COMMIT, MEM_RESERVE, MEM_RELEASE = 0x1000, 0x2000, 0x8000
PAGE_READWRITE = 0x04
INVALID_HANDLE_VALUE = sys.maxsize * 2 + 1  # (HANDLE)-1 as ctypes gives it back: every bit of a pointer set

IOCTL_STORAGE_QUERY_PROPERTY = 0x002D1400
STORAGE_DEVICE_DESCRIPTOR_BUS_TYPE = 28  # byte offset of BusType in STORAGE_DEVICE_DESCRIPTOR
STORAGE_DEVICE_DESCRIPTOR_REMOVABLE = 10  # byte offset of RemovableMedia
BUS_TYPE_1394, BUS_TYPE_USB, BUS_TYPE_SD, BUS_TYPE_MMC = 0x4, 0x7, 0xC, 0xD
PORTABLE_BUSES = (BUS_TYPE_USB, BUS_TYPE_SD, BUS_TYPE_MMC, BUS_TYPE_1394)

# With FILE_FLAG_NO_BUFFERING every read must start at a multiple of the sector size, ask for a multiple of it,
# into memory aligned to it. Sectors are 512 or 4096 bytes; VirtualAlloc gives page-aligned (4096) memory.
ALIGN = 4096
READ_BLOCK = 1 << 20

# What CPython makes of these codes on Windows (errno), so the errors made here read the same everywhere.
_ERRNO = {ERROR_FILE_NOT_FOUND: errno.ENOENT, ERROR_PATH_NOT_FOUND: errno.ENOENT, ERROR_DISK_FULL: errno.ENOSPC,
          ERROR_INVALID_PARAMETER: errno.EINVAL, 39: errno.ENOSPC}


def active() -> bool:
    return _WINDOWS


def kernel32() -> Any:
    import ctypes

    return ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]


def last_error() -> int:
    import ctypes

    return int(ctypes.get_last_error())  # type: ignore[attr-defined]


def error(code: int, filename: object = None, filename2: object = None) -> OSError:
    """The OSError Windows' own functions raise for `code`: winerror set, errno as CPython maps it
    (codes 19 to 36 read as EACCES, which is why messages look at winerror first)."""
    if os.name == "nt":
        import ctypes

        return OSError(None, ctypes.FormatError(code).strip(), filename, code, filename2)  # type: ignore[attr-defined]
    mapped = errno.EACCES if 19 <= code <= 36 or code == ERROR_ACCESS_DENIED else _ERRNO.get(code, errno.EINVAL)
    e = OSError(mapped, f"[WinError {code}]", filename, None, filename2)
    e.winerror = code  # type: ignore[attr-defined]  # what CPython sets on Windows
    return e


def is_held(e: BaseException) -> bool:
    """Is this the error of a file another program (antivirus, a sync tool, a second copy of this one) has open?"""
    return isinstance(e, OSError) and getattr(e, "winerror", None) in HELD


def move_file(src: Path | str, dst: Path | str) -> None:
    """Rename `src` to `dst` (replacing it), returning only once the move is on the device (MoveFileExW with
    MOVEFILE_WRITE_THROUGH; os.replace leaves it in the cache)."""
    import ctypes

    k = kernel32()
    if not k.MoveFileExW(ctypes.c_wchar_p(str(src)), ctypes.c_wchar_p(str(dst)),
                         MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH):
        raise error(last_error(), str(src), str(dst))


def _handle(value: object) -> int | None:
    if value is None or value in (0, INVALID_HANDLE_VALUE, -1):
        return None
    return int(value)  # type: ignore[call-overload]


def _create_file(k: Any, path: str, access: int, share: int, flags: int) -> int:
    import ctypes

    k.CreateFileW.restype = ctypes.c_void_p
    k.CreateFileW.argtypes = [ctypes.c_wchar_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_uint32,
                              ctypes.c_uint32, ctypes.c_void_p]
    h = _handle(k.CreateFileW(path, access, share, None, OPEN_EXISTING, flags, None))
    if h is None:
        raise error(last_error(), path)
    return h


class UnbufferedReader(io.RawIOBase):
    """A file read from the device, never from Windows' file cache (FILE_FLAG_NO_BUFFERING): what a backup's
    read-back check sees is what the stick holds. Reads whole aligned blocks into page-aligned memory."""

    def __init__(self, path: Path | str) -> None:
        import ctypes

        super().__init__()
        self._k = kernel32()
        self._name = str(path)
        self._h = _create_file(self._k, self._name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               FILE_FLAG_NO_BUFFERING | FILE_FLAG_SEQUENTIAL_SCAN)
        self._k.VirtualAlloc.restype = ctypes.c_void_p
        self._k.VirtualAlloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_uint32]
        self._buf = self._k.VirtualAlloc(None, READ_BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE)
        if not self._buf:
            code = last_error()
            self._k.CloseHandle(ctypes.c_void_p(self._h))
            raise error(code, self._name)
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        import ctypes

        if not self._pending and not self._eof:
            got = ctypes.c_uint32(0)
            if not self._k.ReadFile(ctypes.c_void_p(self._h), ctypes.c_void_p(self._buf), READ_BLOCK,
                                    ctypes.pointer(got), None):
                raise error(last_error(), self._name)
            n = int(got.value)
            self._pending = ctypes.string_at(self._buf, n)
            self._eof = n < READ_BLOCK  # a short read happens only at the end; the next offset would not align
        view = memoryview(b).cast("B")
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        import ctypes

        if not self.closed:
            self._k.VirtualFree(ctypes.c_void_p(self._buf), 0, MEM_RELEASE)
            self._k.CloseHandle(ctypes.c_void_p(self._h))
        super().close()


def open_unbuffered(path: Path | str) -> io.BufferedReader:
    return io.BufferedReader(UnbufferedReader(path), READ_BLOCK)


def bus_type(root: str) -> tuple[int, bool] | None:
    """The bus the drive `root` (e.g. "E:\\") hangs on and whether the device says its media are removable
    (IOCTL_STORAGE_QUERY_PROPERTY, StorageDeviceProperty; opening the volume with no access rights needs no
    administrator). None when the device does not answer."""
    import ctypes

    drive = ntpath.splitdrive(root)[0] or root.rstrip("\\/")
    k = kernel32()
    try:
        h = _create_file(k, "\\\\.\\" + drive, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, 0)
    except OSError:
        return None
    try:
        query = (ctypes.c_uint32 * 3)(0, 0, 0)  # PropertyId StorageDeviceProperty, PropertyStandardQuery, no extra
        out = ctypes.create_string_buffer(1024)
        got = ctypes.c_uint32(0)
        if not k.DeviceIoControl(ctypes.c_void_p(h), IOCTL_STORAGE_QUERY_PROPERTY, query, ctypes.sizeof(query), out,
                                 ctypes.sizeof(out), ctypes.pointer(got), None):
            return None
        if got.value < STORAGE_DEVICE_DESCRIPTOR_BUS_TYPE + 4:
            return None
        (bus,) = struct.unpack_from("<I", out.raw, STORAGE_DEVICE_DESCRIPTOR_BUS_TYPE)
        return int(bus), bool(out.raw[STORAGE_DEVICE_DESCRIPTOR_REMOVABLE])
    finally:
        k.CloseHandle(ctypes.c_void_p(h))


ATTACH_PARENT_PROCESS = 0xFFFFFFFF  # (DWORD)-1
CONSOLE_OUTPUT = "CONOUT$"  # the attached console's screen buffer (Python opens it as a Unicode console)


def attach_parent_console() -> bool:
    """Attach the window program (built without a console) to the console of the process that started it, e.g.
    cmd.exe; False when it was started from Explorer, a shortcut or the Task Scheduler (no console there)."""
    import ctypes

    k = kernel32()
    k.AttachConsole.argtypes = [ctypes.c_uint32]
    return bool(k.AttachConsole(ATTACH_PARENT_PROCESS))


def process_age() -> float | None:
    """Seconds since this process was created (GetProcessTimes' creation time against the system time now, both
    FILETIMEs of 100 ns), so a bundle's own unpacking and start are counted; None when Windows does not say."""
    import ctypes

    k = kernel32()
    k.GetCurrentProcess.restype = ctypes.c_void_p
    created, exited, kernel, user, now = (ctypes.c_uint64(0) for _ in range(5))
    if not k.GetProcessTimes(ctypes.c_void_p(k.GetCurrentProcess()), ctypes.pointer(created), ctypes.pointer(exited),
                             ctypes.pointer(kernel), ctypes.pointer(user)):
        return None
    k.GetSystemTimePreciseAsFileTime(ctypes.pointer(now))
    if not created.value or now.value < created.value:
        return None
    return (now.value - created.value) / 10_000_000


THREAD_MODE_BACKGROUND_BEGIN = 0x00010000


def background_thread() -> bool:
    """Put the calling thread in background mode (SetThreadPriority, THREAD_MODE_BACKGROUND_BEGIN): lower CPU,
    disk and memory priority for as long as it runs, for work no one waits for. False when Windows refused."""
    import ctypes

    k = kernel32()
    k.GetCurrentThread.restype = ctypes.c_void_p
    k.SetThreadPriority.argtypes = [ctypes.c_void_p, ctypes.c_int]
    return bool(k.SetThreadPriority(k.GetCurrentThread(), THREAD_MODE_BACKGROUND_BEGIN))


ASFW_ANY = -1  # AllowSetForegroundWindow: any process


def user32() -> Any:
    import ctypes

    return ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]


def allow_set_foreground() -> bool:
    """Let another process bring its window to the front (AllowSetForegroundWindow(ASFW_ANY)): the program started
    a second time, in front because the clerk just started it, lets the first copy come forward instead of only
    flashing in the taskbar. False when Windows refused."""
    import ctypes

    u = user32()
    u.AllowSetForegroundWindow.argtypes = [ctypes.c_ulong]
    return bool(u.AllowSetForegroundWindow(ctypes.c_ulong(ASFW_ANY & 0xFFFFFFFF).value))


# The owner (whoever made the file: the clerk's account) and SYSTEM, full control; nothing inherited from the
# folder (P: protected), so other accounts on a shared PC, and everyone on a shared folder, cannot read it.
OWNER_AND_SYSTEM = "D:P(A;;FA;;;OW)(A;;FA;;;SY)"
SDDL_REVISION_1 = 1
DACL_SECURITY_INFORMATION = 0x00000004
PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000


def advapi32() -> Any:
    import ctypes

    return ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]


def owner_only(path: Path | str) -> None:
    """Give the file at `path` an access list of its owner and SYSTEM only (what chmod 600 is elsewhere). Raises
    OSError when Windows refuses (a FAT stick has no access lists)."""
    import ctypes

    a = advapi32()
    descriptor = ctypes.c_void_p(None)
    if not a.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            ctypes.c_wchar_p(OWNER_AND_SYSTEM), SDDL_REVISION_1, ctypes.pointer(descriptor), None):
        raise error(last_error(), str(path))
    try:
        info = ctypes.c_uint32(DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION)  # past a C int
        if not a.SetFileSecurityW(ctypes.c_wchar_p(str(path)), info, descriptor):
            raise error(last_error(), str(path))
    finally:
        kernel32().LocalFree(descriptor)


def under_local_appdata(path: Path | str) -> bool:
    """Is `path` inside the user's own %LOCALAPPDATA% (whose access list already keeps other accounts out)?"""
    local = os.environ.get("LOCALAPPDATA", "")
    if not local:
        return False
    folder = ntpath.normcase(ntpath.normpath(local)).rstrip("\\") + "\\"
    return ntpath.normcase(ntpath.normpath(str(path))).startswith(folder)


# --- the Credential Manager (凭据管理器): passwords for scheduled tasks, kept by Windows for this account ---

CRED_TYPE_GENERIC = 1
CRED_PERSIST_LOCAL_MACHINE = 2  # kept across sign-outs on this computer, for this Windows account only
ERROR_NOT_FOUND = 1168
CRED_MAX_BLOB = 5 * 512


@functools.cache
def _credentialw() -> Any:
    """The CREDENTIALW structure (made when first needed: ctypes is loaded only for a Windows call)."""
    import ctypes

    class CREDENTIALW(ctypes.Structure):
        _fields_ = [
            ("Flags", ctypes.c_uint32), ("Type", ctypes.c_uint32), ("TargetName", ctypes.c_wchar_p),
            ("Comment", ctypes.c_wchar_p), ("LastWrittenLow", ctypes.c_uint32), ("LastWrittenHigh", ctypes.c_uint32),
            ("CredentialBlobSize", ctypes.c_uint32), ("CredentialBlob", ctypes.POINTER(ctypes.c_ubyte)),
            ("Persist", ctypes.c_uint32), ("AttributeCount", ctypes.c_uint32), ("Attributes", ctypes.c_void_p),
            ("TargetAlias", ctypes.c_wchar_p), ("UserName", ctypes.c_wchar_p),
        ]

    return CREDENTIALW


def __getattr__(name: str) -> Any:
    if name == "CREDENTIALW":
        return _credentialw()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_credential(target: str, user: str, secret: str, comment: str = "") -> None:
    """Keep `secret` in the Credential Manager under `target` (replacing one kept there), protected by Windows for
    this account (DPAPI): a scheduled task running as this account reads it, no other account can."""
    import ctypes

    blob = secret.encode("utf-16-le")
    if len(blob) > CRED_MAX_BLOB:
        raise ValueError("secret too long")
    data = (ctypes.c_ubyte * max(len(blob), 1)).from_buffer_copy(blob or b"\0")
    cred = _credentialw()(Type=CRED_TYPE_GENERIC, TargetName=target, Comment=comment or None,
                       CredentialBlobSize=len(blob), CredentialBlob=ctypes.cast(data, ctypes.POINTER(ctypes.c_ubyte)),
                       Persist=CRED_PERSIST_LOCAL_MACHINE, UserName=user)
    if not advapi32().CredWriteW(ctypes.pointer(cred), 0):
        raise error(last_error(), target)


def read_credential(target: str) -> tuple[str, str] | None:
    """(user name, secret) kept under `target`, or None when there is none."""
    import ctypes

    a = advapi32()
    found = ctypes.POINTER(_credentialw())()
    if not a.CredReadW(ctypes.c_wchar_p(target), CRED_TYPE_GENERIC, 0, ctypes.pointer(found)):
        code = last_error()
        if code == ERROR_NOT_FOUND:
            return None
        raise error(code, target)
    try:
        cred = found.contents
        blob = ctypes.string_at(cred.CredentialBlob, cred.CredentialBlobSize) if cred.CredentialBlobSize else b""
        return cred.UserName or "", blob.decode("utf-16-le")
    finally:
        a.CredFree(found)


def delete_credential(target: str) -> bool:
    """Forget what is kept under `target`; False when nothing was."""
    import ctypes

    if advapi32().CredDeleteW(ctypes.c_wchar_p(target), CRED_TYPE_GENERIC, 0):
        return True
    code = last_error()
    if code == ERROR_NOT_FOUND:
        return False
    raise error(code, target)
