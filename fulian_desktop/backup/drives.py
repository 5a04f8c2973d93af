"""Is a path on a removable drive (a USB stick, a card) or a network share?

Used twice: the live database must not be there (a stick pulled out or a network drop in the middle of a
save can damage the whole file, and a stick is easily lost), and the backup window proposes removable
drives as places to back up to. Best effort, without Qt: Windows asks GetDriveTypeW and, for a fixed drive,
the device's bus (windows.bus_type); Linux reads
/proc/self/mountinfo and /sys/class/block; elsewhere /Volumes and /media count as removable.
"""

from __future__ import annotations

import ntpath
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import windows

LOCAL, REMOVABLE, NETWORK = "local", "removable", "network"
DRIVE_FIXED = 3

NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "davfs", "fuse.sshfs", "sshfs", "glusterfs",
    "fuse.glusterfs", "ceph", "fuse.ceph", "fuse.rclone", "fuse.s3fs", "lustre", "gpfs", "beegfs", "coda",
}
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/usb", "/Volumes/")

DANGER = ("数据库文件放在U盘、移动硬盘或网络共享文件夹上很危险：正在保存案件时U盘被拔出、接触不良或网络断开，"
          "整个数据库都可能损坏；U盘也很容易丢失。请把数据库放在这台电脑的硬盘上（默认位置即可），"
          "再用“备份到U盘”把加密的备份存到U盘上。")


@dataclass(frozen=True)
class Drive:
    """A removable drive the backup window can propose (listed by the window through QStorageInfo)."""

    root: Path
    label: str  # the volume's name, e.g. KINGSTON
    free: int  # bytes
    total: int

    @property
    def title(self) -> str:
        name = self.label or "U盘"
        return f"{name}（{self.root}）"


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal
    out, i = [], 0
    while i < len(field):
        code = field[i + 1:i + 4]
        if field[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> list[Mount]:
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or len(rest) < 2:
            continue
        mounts.append(Mount(_unescape(fields[4]), rest[0], _unescape(rest[1])))
    return mounts


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    best: Mount | None = None
    best_len = -1
    for m in mounts:  # the longest mount point holding the path; a later mount on the same point wins
        point = m.point.rstrip("/") or "/"
        if (point == "/" or path == point or path.startswith(point + "/")) and len(point) >= best_len:
            best, best_len = m, len(point)
    return best


def _block_removable(device: str, sys_block: Path = Path("/sys/class/block")) -> bool:
    """A /dev/sdX device on USB or marked removable by the kernel."""
    if not device.startswith("/dev/"):
        return False
    name = os.path.basename(os.path.realpath(device))
    node = sys_block / name
    try:
        real = os.path.realpath(node)
    except OSError:
        return False
    if "/usb" in real or "/mmc" in real:
        return True
    for candidate in (Path(real) / "removable", Path(real).parent / "removable"):
        try:
            if candidate.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def classify_linux(path: str, mountinfo: str, sys_block: Path = Path("/sys/class/block")) -> str:
    m = mount_of(path, parse_mountinfo(mountinfo))
    if m is None:
        return LOCAL
    if m.fstype in NETWORK_FS or m.fstype.startswith("nfs") or m.source.startswith("//"):
        return NETWORK
    if any((m.point.rstrip("/") + "/").startswith(root) for root in REMOVABLE_ROOTS):
        return REMOVABLE
    if _block_removable(m.source, sys_block):
        return REMOVABLE
    return LOCAL


def _windows_kind(path: str) -> str:
    """GetDriveTypeW: DRIVE_REMOVABLE (2) and DRIVE_CDROM (5) are removable, DRIVE_REMOTE (4) is a share. USB SSDs,
    many sticks and every portable disk say DRIVE_FIXED (3): for those the device's bus decides (USB, SD, MMC,
    FireWire are removable)."""
    if path.startswith("\\\\?\\"):
        path = path[4:]
    if path.startswith("\\\\") or path.upper().startswith("UNC\\"):
        return NETWORK
    drive = ntpath.splitdrive(path)[0]
    if not drive:
        return LOCAL
    root = drive + "\\"
    import ctypes

    kind = int(windows.kernel32().GetDriveTypeW(ctypes.c_wchar_p(root)))
    if kind == DRIVE_FIXED:
        bus = windows.bus_type(root)
        return REMOVABLE if bus is not None and bus[0] in windows.PORTABLE_BUSES else LOCAL
    return {2: REMOVABLE, 4: NETWORK, 5: REMOVABLE}.get(kind, LOCAL)


def storage_kind(path: Path | str) -> str:
    """"local", "removable" or "network" for where `path` (or the folder it would be made in) lives."""
    p = Path(path).expanduser()
    try:
        p = p.resolve()
    except OSError:
        p = p.absolute()
    text = str(p)
    try:
        if windows.active():
            return _windows_kind(text)
        if sys.platform.startswith("linux"):
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
                return classify_linux(text, f.read())
        if text.startswith("/Volumes/"):
            return REMOVABLE
    except (OSError, ValueError, AttributeError):
        return LOCAL
    return LOCAL


def is_removable_volume(root: str, device: str = "") -> bool:
    """For the drive list: is the volume mounted at `root` (device `device`) a removable one?"""
    try:
        if windows.active():
            return _windows_kind(root) == REMOVABLE
        if sys.platform.startswith("linux"):
            if any((root.rstrip("/") + "/").startswith(r) for r in REMOVABLE_ROOTS):
                return True
            return _block_removable(device)
        return root.startswith("/Volumes/")
    except (OSError, ValueError, AttributeError):
        return False


# Folders a sync program copies to the internet: the environment variables OneDrive sets for the signed-in user
# (Documents and Desktop are often redirected into them), and the folder names the common programs make.
SYNC_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
SYNC_NAMES = {"onedrive": "OneDrive", "nutstore": "坚果云", "我的坚果云": "坚果云", "坚果云": "坚果云",
              "baidunetdiskworkspace": "百度网盘", "百度网盘同步空间": "百度网盘", "百度网盘工作空间": "百度网盘"}


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p]


def sync_service(path: Path | str, env: dict[str, str] | None = None) -> str | None:
    """The name of the sync program (OneDrive, 坚果云, 百度网盘) whose folder holds `path`, or None."""
    env = dict(os.environ) if env is None else env
    text = str(path)
    mine = [p.casefold() for p in _parts(text)]
    for var in SYNC_ENV:
        root = [p.casefold() for p in _parts(env.get(var, ""))]
        if root and mine[:len(root)] == root:
            return "OneDrive"
    for part in mine:
        if part.startswith("onedrive - ") or part.startswith("onedrive-"):  # OneDrive - 单位名称 (work accounts)
            return "OneDrive"
        if part in SYNC_NAMES:
            return SYNC_NAMES[part]
    return None


def sync_text(service: str) -> str:
    return (f"这个数据库文件在{service}的同步文件夹里：{service}会把它复制到网上，当事人的信息就离开了这台电脑；"
            "同步程序在保存案件时读写文件，也可能损坏数据库。请把数据库放在不同步的文件夹里（默认位置即可），"
            "再用“备份到U盘”把加密的备份存到U盘上。")


def danger_text(kind: str) -> str:
    where = "网络共享文件夹" if kind == NETWORK else "U盘或移动硬盘"
    return f"这个数据库文件在{where}上。\n\n{DANGER}"
