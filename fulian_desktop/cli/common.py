"""What every command shares: the exit codes, the database to use, signing in, console tables, OS errors
in Chinese. The command modules import this; nothing here imports them or main.py."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ..domain.errors import FulianError, NotFound

# what the help and the messages call the program: on Windows only the console program can run commands
PROG = "fulian-desktop-cli" if os.name == "nt" else "fulian-desktop"
ENV_DB = "FULIAN_DB"
ENV_USER, ENV_PASSWORD = "FULIAN_USER", "FULIAN_PASSWORD"
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
ALLOW_REMOVABLE_HELP = "允许使用U盘或网络共享上的数据库（不建议：拔出U盘或断网时可能损坏整个数据库）"


class UsageError(Exception):
    """Wrong arguments: the message is for the user."""


def count_arg(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}应为整数，现在是“{text}”") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应在{low}到{high}之间")
        return value

    return parse



def db_path(args: argparse.Namespace) -> Path:
    """The database to use; one on a USB stick or a network share is refused unless --allow-removable-db."""
    given = getattr(args, "db", None) or os.environ.get(ENV_DB, "").strip()
    if given:
        path = Path(given).expanduser()
    else:
        from ..paths import default_db_path

        path = default_db_path()
    from ..services.locations import check_live_location  # (not the backup engine, to check a path)

    try:
        check_live_location(path, bool(getattr(args, "allow_removable_db", False)))
    except FulianError as e:
        raise FulianError(f"{e.message}\n如确实要这样做，请加上参数 --allow-removable-db。") from None
    return path


def credentials(err: IO[str], db: Path | None = None) -> tuple[str, str]:
    """User name and password: from FULIAN_USER / FULIAN_PASSWORD, else the ones Windows keeps for the database
    `db` (`credentials save`), else asked on the terminal."""
    user = os.environ.get(ENV_USER, "").strip()
    password = os.environ.get(ENV_PASSWORD, "")
    if user and password:
        return user, password
    if db is not None and not password:
        from .kept import SIGN_IN, stored

        kept = stored(SIGN_IN, db)
        if kept is not None and (not user or user == kept[0]):
            return kept
    if not (isatty(sys.stdin) and isatty(err)):
        raise FulianError(f"需要登录：请在终端中运行以输入用户名和密码，或为计划任务设置环境变量 {ENV_USER} 和 "
                          f"{ENV_PASSWORD}（Windows 上也可以用 fulian-desktop-cli credentials save 让 Windows 保管密码）。")
    return ask_credentials(err, user, password)


def ask_credentials(err: IO[str], user: str = "", password: str = "") -> tuple[str, str]:
    """Ask on the terminal for what is not given (the password without echo)."""
    import getpass

    if not user:
        print("用户名：", end="", file=err, flush=True)
        user = sys.stdin.readline().strip()
    if not password:
        password = getpass.getpass("密码：", stream=err)  # type: ignore[arg-type]
    return user, password


def open_existing(path: Path, err: IO[str] | None = None, meanwhile: Callable[[], object] | None = None) -> Any:
    """A signed-in context on a database that must already exist (search and print never create one); `meanwhile`
    (loading the command's own modules) runs while the password is checked (accounts.sign_in)."""
    if not path.is_file():
        if path.is_dir():
            raise NotFound(f"“{path}”是一个文件夹，不是数据库文件。")
        raise NotFound(f"找不到数据库文件：{path}")
    from ..services import accounts

    if accounts.needs_setup(path):
        if accounts.existing_data(path) == "plain":
            raise FulianError("这个数据库是旧版本建立的，还没有账号，也没有加密。请先用图形界面打开它一次："
                              "设置管理员账号后，数据库会被加密（原文件另存一份），之后命令行才能使用。")
        raise FulianError(f"数据库文件已损坏，或者旁边缺少它的密钥文件（{accounts.keyfile_for(path).name}）。"
                          "请从备份恢复。")
    user, password = credentials(err or sys.stderr, path)
    told = UpgradeProgress(err or sys.stderr)
    ctx = accounts.sign_in(path, user, password, via="cli", meanwhile=meanwhile, progress=told)
    told.done()
    if ctx.user is not None and ctx.user.must_change:
        ctx.close()
        raise FulianError("这个账号的密码是管理员设置的临时密码，请先在图形界面中登录并修改密码。")
    return ctx



class UpgradeProgress:
    """What the command line says while a database from an earlier version is upgraded as it is opened
    (store/migrate.py), as the window's 数据库升级中 says it: each step on a line of its own, and on a terminal how far
    it has gone."""

    def __init__(self, err: IO[str]) -> None:
        self.err = err
        self.terminal = isatty(err)
        self.steps: list[int] = []

    def __call__(self, step: Any) -> None:
        if not self.steps:
            print("数据库升级中，请勿关闭……", file=self.err, flush=True)
        if step.number not in self.steps:
            if self.steps and self.terminal:
                print(file=self.err)  # the previous step's line ends
            self.steps.append(step.number)
            if not self.terminal:
                print(step.text, file=self.err, flush=True)
        if self.terminal:
            how_far = f" {round(step.part * 100)}%" if step.part is not None else ""
            print(f"\r{step.text}{how_far}   ", end="", file=self.err, flush=True)

    def done(self) -> None:
        if self.steps:
            print(("\n" if self.terminal else "") + "数据库升级完成。", file=self.err, flush=True)


def display_width(text: str) -> int:
    """Columns a console gives the text: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned for a console, counting a Chinese character as two columns."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)



def os_reason(e: OSError) -> str:
    reasons = {
        errno.EACCES: "没有写入权限，或文件正被其他程序（如PDF阅读器）打开",
        errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满", errno.EROFS: "磁盘是只读的",
        errno.ENOENT: "路径不存在，或不能在这里建立文件", errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一部分不是文件夹",
    }
    return reasons.get(e.errno or 0, f"系统错误{e.errno}" if e.errno else "系统错误")



def isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

