"""Passwords for scheduled tasks kept by Windows instead of written in a .bat file or the task's settings
(subcommands of the command line, cli/main.py):

    fulian-desktop-cli credentials save [--backup]     asks on the terminal, checks it, keeps it for this database
    fulian-desktop-cli credentials forget [--backup]

They go into the Credential Manager (凭据管理器) of the Windows account that runs the command, protected by Windows
for that account alone. The commands use them when FULIAN_USER / FULIAN_PASSWORD (and, for `backup`,
FULIAN_BACKUP_PASSWORD) are not set. Elsewhere than Windows the environment variables or the terminal are used.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from .. import windows
from ..domain.errors import FulianError
from .kept import BACKUP, SIGN_IN, target
from .parsing import ChineseParser


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    kept = commands.add_parser(
        "credentials", help="让 Windows 保管计划任务用的密码（不写在批处理文件里）",
        description="把登录密码（或备份密码）交给 Windows 的“凭据管理器”保管，只有当前 Windows 账号能取出；"
                    "没有设置环境变量时，命令行（如计划任务中的 backup）就用它。")
    ops = kept.add_subparsers(dest="credentials_command", metavar="操作", parser_class=ChineseParser)
    ops.required = True
    save = ops.add_parser("save", help="输入并保存密码（先核对）", description="在终端中输入用户名和密码（或备份密码），"
                          "核对无误后交给 Windows 保管，只用于这个数据库")
    save.add_argument("--backup", action="store_true", help="保存备份密码（不加时保存登录的用户名和密码）")
    save.set_defaults(run=run_save)
    forget = ops.add_parser("forget", help="删除保管的密码", description="从 Windows 的凭据管理器中删除为这个数据库保管的密码")
    forget.add_argument("--backup", action="store_true", help="删除备份密码（不加时删除登录密码）")
    forget.set_defaults(run=run_forget)
    return [kept, save, forget]


def _windows_only() -> None:
    if not windows.active():
        raise FulianError("只有 Windows 能保管密码（凭据管理器）。在这台电脑上请为计划任务设置环境变量，或在终端中输入。")


def run_save(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import accounts
    from ..services import backup as backup_service
    from .backup import ask_backup_password
    from .common import EXIT_OK, ask_credentials, db_path, isatty

    _windows_only()
    db = db_path(args)
    if not db.is_file():
        raise FulianError(f"找不到数据库文件：{db}")
    if not (isatty(sys.stdin) and isatty(err)):
        raise FulianError("请在终端（命令提示符）中运行这个命令，以便输入密码。")
    user, password = ask_credentials(err)
    ctx = accounts.sign_in(db, user, password, via="cli")  # a wrong password is said here, and counted
    try:
        if args.backup:
            secret = ask_backup_password(err)
            if not backup_service.check_password(ctx, secret):
                raise FulianError("备份密码不正确，没有保存。")
            kind, name = BACKUP, "backup"
        else:
            kind, name, secret = SIGN_IN, user, password
    finally:
        ctx.close()
    try:
        windows.write_credential(target(kind, db), name, secret, comment="妇联维权工作台的计划任务使用")
    except OSError as e:
        raise FulianError(f"Windows 没有保存这个密码（系统错误{getattr(e, 'winerror', e.errno)}）。") from None
    what = "备份密码" if args.backup else f"账号 {user} 的登录密码"
    print(f"已交给 Windows 保管{what}（只用于 {db}，只有当前 Windows 账号能取出）。"
          "计划任务请以这个 Windows 账号运行，并且不要勾选“不存储密码”。", file=err)
    return EXIT_OK


def run_forget(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .common import EXIT_OK, db_path

    _windows_only()
    db = db_path(args)
    kind = BACKUP if args.backup else SIGN_IN
    try:
        gone = windows.delete_credential(target(kind, db))
    except OSError as e:
        raise FulianError(f"Windows 没有删除这个密码（系统错误{getattr(e, 'winerror', e.errno)}）。") from None
    print(f"已删除保管的{kind}。" if gone else f"没有为这个数据库保管{kind}。", file=err)
    return EXIT_OK
