"""Command-line backup, check and restore (subcommands of the command line, cli/main.py), for Windows Task Scheduler:

    fulian-desktop-cli backup --to E:\\妇联维权工作台备份 [--keep 10]
    fulian-desktop-cli verify E:\\妇联维权工作台备份\\某县妇联_2026-03-10_093000.fulian-backup
    fulian-desktop-cli restore FILE [--yes]

The backup password comes from the FULIAN_BACKUP_PASSWORD environment variable, else it is asked for on the
terminal without echo — never from an argument (it would show in the process list and the shell history).
`backup` signs in like the other commands (FULIAN_USER / FULIAN_PASSWORD) with an account that may back up;
`verify` needs only the backup password; `restore` signs in when a working database is in the way (and
sets it aside), and asks before replacing it unless given --yes. Every message goes to stderr; the exit code
is 0 when all went well, 1 otherwise (2 for wrong usage).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import IO, Any

from ..domain.errors import FulianError
from . import common  # common.isatty looked up at each call (a test's terminal stands in for it)

log = logging.getLogger(__name__)

ENV_BACKUP_PASSWORD = "FULIAN_BACKUP_PASSWORD"


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    backup = commands.add_parser(
        "backup", help="把数据库加密备份到U盘或文件夹",
        description="把数据库做一份加密备份（写好后读回核对），只保留最近的几份。备份密码取环境变量 "
                    f"{ENV_BACKUP_PASSWORD}，否则在终端中输入。")
    backup.add_argument("--to", required=True, metavar="文件夹", help="备份到哪个文件夹（如U盘上的文件夹）")
    backup.add_argument("--keep", type=_keep, metavar="份数", help="这个文件夹里保留最近几份备份（默认用设置中的份数，一般为10）")
    backup.set_defaults(run=run_backup)

    verify = commands.add_parser("verify", help="检查一个备份文件是否完好",
                                 description="完整检查一个备份文件：密码、每一段的校验、数据库完整性和记录条数")
    verify.add_argument("file", metavar="备份文件", help="备份文件（.fulian-backup）")
    verify.set_defaults(run=run_verify)

    restore = commands.add_parser("restore", help="从备份恢复数据库",
                                  description="检查备份文件并显示其内容，然后用它替换数据库；"
                                              "原来的数据库和密钥文件改名保留在旁边")
    restore.add_argument("file", metavar="备份文件", help="备份文件（.fulian-backup）")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复（用于计划任务）")
    restore.set_defaults(run=run_restore)
    return [backup, verify, restore]


def _keep(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"份数应为整数，现在是“{text}”") from None
    if not 1 <= n <= 100:
        raise argparse.ArgumentTypeError("份数应在1到100之间")
    return n


def backup_password(err: IO[str], db: Path | None = None) -> str:
    """From FULIAN_BACKUP_PASSWORD, else the one Windows keeps for the database `db` (`credentials save --backup`),
    else asked on the terminal."""
    password = os.environ.get(ENV_BACKUP_PASSWORD, "")
    if password:
        return password
    if db is not None:
        from .kept import BACKUP, stored

        kept = stored(BACKUP, db)
        if kept is not None:
            return kept[1]
    if not (common.isatty(sys.stdin) and common.isatty(err)):
        raise FulianError(f"需要备份密码：请在终端中运行以输入，或为计划任务设置环境变量 {ENV_BACKUP_PASSWORD}"
                          "（Windows 上也可以用 credentials save --backup 让 Windows 保管）。")
    return ask_backup_password(err)


def ask_backup_password(err: IO[str]) -> str:
    import getpass

    return getpass.getpass("备份密码：", stream=err)  # type: ignore[arg-type]


def _progress(err: IO[str]) -> Any:
    if not common.isatty(err):
        return None
    last = [-1]

    def show(fraction: float, text: str) -> None:
        pct = int(fraction * 100)
        if pct != last[0]:
            last[0] = pct
            print(f"\r{text} {pct}%   ", end="", file=err, flush=True)

    return show


def _end_progress(err: IO[str]) -> None:
    if common.isatty(err):
        print(file=err)


def describe(header: dict[str, Any]) -> list[str]:
    """What a backup holds, in lines for the terminal (no personal data: counts and a case number)."""
    from ..domain.dates import format_cn
    from ..domain.kinds import KINDS, count_label

    lines = [f"单位：{header.get('office') or '（未填写）'}"]
    created = str(header.get("created_at", ""))
    lines.append(f"备份时间：{created.replace('T', ' ')}")
    cases = dict(header.get("cases") or {})
    counts = "，".join(f"{count_label(k)} {int(cases.get(k, 0))} 件" for k in KINDS)
    lines.append(f"案件：{counts}（共 {sum(int(v) for v in cases.values())} 件）")
    newest = header.get("newest")
    if isinstance(newest, dict):
        lines.append(f"最新案件：{newest.get('case_no', '')}（{format_cn(str(newest.get('received_on', '')))}收到）")
    lines.append(f"程序版本：{header.get('app_version', '')}，数据版本：{header.get('schema_version', '')}")
    return lines


def run_backup(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .common import EXIT_OK, db_path, open_existing

    folder = Path(args.to).expanduser()
    db = db_path(args)
    ctx = open_existing(db, err)
    try:
        password = backup_password(err, db)
        outcome = _make(ctx, folder, password, args.keep, err)
    finally:
        ctx.close()
    removed = f"，删除了{len(outcome.removed)}份较早的备份" if outcome.removed else ""
    print(f"备份完成并已核对：{outcome.path}（{outcome.path.stat().st_size / 1048576:.1f} MB{removed}）。", file=err)
    log.info("backup: made and verified in %.1f s", outcome.seconds)
    return EXIT_OK


def _make(ctx: Any, folder: Path, password: str, keep: int | None, err: IO[str]) -> Any:
    from ..backup.container import same_password
    from ..backup.errors import WrongPassword
    from ..services import backup

    job = backup.prepare(ctx, folder)
    if not same_password(job.master, password):
        raise WrongPassword("备份密码不对。请输入本单位设置的备份密码。")
    if keep is not None:
        job.keep = keep
    try:
        outcome = job.run(_progress(err))
    except BaseException as e:
        _end_progress(err)
        backup.failed(ctx, folder, e)
        raise
    _end_progress(err)
    backup.finish(ctx, outcome)
    return outcome


def _database_near(args: argparse.Namespace) -> Path | None:
    """The database whose audit trail should hear of a `verify` (the --db one, else the default), if there is
    one here; None otherwise — verify needs no database."""
    from .common import db_path

    try:
        path = db_path(args)
    except FulianError:
        return None
    return path if path.is_file() else None


def run_verify(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import backup
    from .common import EXIT_OK

    file = Path(args.file).expanduser()
    if not file.is_file():
        raise FulianError(f"找不到备份文件：{file}")
    password = backup_password(err)
    db = _database_near(args)
    try:
        header = backup.verify(file, password, _progress(err))
    except FulianError:
        if db is not None:
            backup.note_verified(db, file, ok=False)
        raise
    finally:
        _end_progress(err)
    if db is not None:
        backup.note_verified(db, file, ok=True)
    print("备份文件完好（密码正确，每一段校验无误，数据库完整性检查通过，记录条数相符）：", file=err)
    for line in describe(header):
        print(f"  {line}", file=err)
    log.info("verify: a backup checked")
    return EXIT_OK


def run_restore(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..domain.errors import StorageError
    from ..services import accounts, backup
    from .common import EXIT_ERROR, EXIT_OK, db_path, open_existing

    file = Path(args.file).expanduser()
    if not file.is_file():
        raise FulianError(f"找不到备份文件：{file}")
    target = db_path(args)
    ctx = None
    if target.exists() and not accounts.needs_setup(target):
        # a database with accounts is in the way: only someone who may restore replaces it
        try:
            ctx = open_existing(target, err)
        except StorageError as e:  # damaged, or its key file is: nobody can sign in, the backup replaces it
            print(f"现在的数据库打不开（{e.message}），恢复时会把它改名保留。", file=err)
        if ctx is not None:
            ctx.require("backup.restore")
    password = backup_password(err)
    try:
        try:
            if ctx is not None:
                opened = backup.open_for_restore(ctx, file, password, _progress(err))
            else:
                opened = backup.open_without_account(file, target, password, _progress(err))
        finally:
            _end_progress(err)
        print("备份文件完好，其中有：", file=err)
        for line in describe(opened.header):
            print(f"  {line}", file=err)
        if not args.yes:
            if not (common.isatty(sys.stdin) and common.isatty(err)):
                opened.discard()
                print("没有恢复：非交互运行时请加上 --yes 确认。", file=err)
                return EXIT_ERROR
            print(f"恢复后，数据库 {target} 将变成备份中的样子；现在的数据库会改名保留在旁边。", file=err)
            print("确定恢复吗？输入 y 回车确认：", end="", file=err, flush=True)
            if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
                opened.discard()
                print("没有恢复，什么都没有改动。", file=err)
                return EXIT_ERROR
        if ctx is not None:
            done = backup.restore(ctx, opened, via="cli")
            ctx = None  # closed by the restore
        else:
            done = backup.restore_without_account(opened, target, via="cli")
    finally:
        if ctx is not None:
            ctx.close()
    if done.aside is not None:
        print(f"已恢复。原来的数据库已改名保留：{done.aside}", file=err)
    else:
        print(f"已恢复到：{done.db_path}", file=err)
    print("请用备份时的账号和密码登录。", file=err)
    log.info("restore: a backup was restored")
    return EXIT_OK
