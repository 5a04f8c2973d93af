"""The command line: fill a database with demo data, search cases, print a case to PDF, check the
audit trail.

    python -m fulian_desktop.cli demo --db demo.db --cases 1000
    python -m fulian_desktop.cli search 张三 --db demo.db [--json] [--limit 50]
    python -m fulian_desktop.cli print 信访〔2026〕第0001号 --out case.pdf --db demo.db
    python -m fulian_desktop.cli audit verify --db demo.db
    python -m fulian_desktop.cli audit export --out audit.csv --db demo.db

`--db` defaults to the FULIAN_DB environment variable, else the user's default database.
Every command that reads or changes data signs in: the user name and password come from the
FULIAN_USER and FULIAN_PASSWORD environment variables (for scheduled tasks), else they are asked for
on the terminal (the password without echo); never from an argument. What the command does is
recorded in the audit trail like the same action in the window. `demo` on a new file makes a demo
administrator and a demo staff account and prints their user names and passwords.
Messages are in Chinese; errors go to stderr with exit code 2 (wrong usage) or 1 (anything else),
never as a traceback. No Qt here: app.py hands over to `main(argv)` when given a subcommand.
Logs record which command ran and how it ended, never names, ID numbers, phones or case text.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import sys
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from .domain.errors import FulianError, NotFound

log = logging.getLogger(__name__)

PROG = "fulian-desktop-cli"
ENV_DB = "FULIAN_DB"
ENV_USER, ENV_PASSWORD = "FULIAN_USER", "FULIAN_PASSWORD"
MAX_DEMO_CASES = 1_000_000
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
ALLOW_REMOVABLE_HELP = "允许使用U盘或网络共享上的数据库（不建议：拔出U盘或断网时可能损坏整个数据库）"


class UsageError(Exception):
    """Wrong arguments: the message is for the user."""


# ---------------------------------------------------------------------------------------------
# Arguments, in Chinese
# ---------------------------------------------------------------------------------------------

_ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^the following arguments are required: (.*)$"), "缺少参数：{0}"),
    (re.compile(r"^unrecognized arguments: (.*)$"), "无法识别的参数：{0}"),
    (re.compile(r"^argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)$"),
     "没有“{1}”这个命令，可用的命令有：{2}"),
    (re.compile(r"^argument (\S+): invalid \S+ value: '?([^']*)'?$"), "参数 {0} 的值“{1}”不对"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面应写上一个值"),
    (re.compile(r"^argument (\S+): (.*)$"), "参数 {0}：{1}"),
)


def _translate(message: str) -> str:
    for pattern, text in _ARGPARSE_MESSAGES:
        m = pattern.match(message)
        if m:
            return text.format(*(g.replace("'", "").replace(", ", "、") for g in m.groups()))
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示这段帮助并退出")

    def error(self, message: str) -> NoReturn:
        raise UsageError(_translate(message))


def _count(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}应为整数，现在是“{text}”") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应在{low}到{high}之间")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="妇联维权工作台（命令行）")
    db_help = f"数据库文件（默认取环境变量 {ENV_DB}，否则为本机用户的默认数据库）"
    parser.add_argument("--db", metavar="DB", help=db_help)
    parser.add_argument("--allow-removable-db", action="store_true", help=ALLOW_REMOVABLE_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", help="命令", parser_class=_Parser)
    commands.required = True

    demo = commands.add_parser("demo", help="生成演示数据（虚构的案件）",
                               description="向数据库写入虚构的演示案件")
    demo.add_argument("--cases", required=True, type=_count(0, MAX_DEMO_CASES, "案件数"),
                      metavar="N", help="要生成的案件数")
    demo.add_argument("--seed", type=_count(0, 2**31 - 1, "随机种子"), default=1, metavar="N",
                      help="随机种子（相同的种子得到相同的数据，默认1）")
    demo.set_defaults(run=_run_demo)

    search = commands.add_parser("search", help="查找案件", description="按姓名、拼音首字母、案件编号、"
                                 "身份证号、电话或事由中的文字查找案件")
    search.add_argument("text", nargs="+", metavar="TEXT",
                        help="要查找的内容：姓名、拼音首字母、案件编号、身份证号、电话或事由中的字词")
    search.add_argument("--json", action="store_true", help="以JSON格式输出")
    search.add_argument("--limit", type=_count(1, 10000, "显示条数"), default=50, metavar="N",
                        help="最多显示多少件（默认50）")
    search.set_defaults(run=_run_search)

    printing = commands.add_parser("print", help="把案件打印成PDF文件",
                                   description="把案件的登记表打印成PDF文件")
    printing.add_argument("case_no", metavar="CASE_NO",
                          help="案件编号，如：信访〔2026〕第0001号（也可写成 信访[2026]第0001号）")
    printing.add_argument("--out", default=".", metavar="PATH",
                          help="保存的PDF文件；给文件夹时用建议的文件名（默认当前文件夹）")
    printing.set_defaults(run=_run_print)

    audit = commands.add_parser("audit", help="审计日志：校验或导出",
                                description="verify：逐条核对审计日志的哈希链，发现被修改或删除的记录；"
                                            "export：把审计日志导出为CSV文件（需要主任账号）")
    audit.add_argument("what", choices=("verify", "export"), metavar="verify|export", help="校验（verify）或导出（export）")
    audit.add_argument("--out", default="审计日志.csv", metavar="PATH", help="export 保存的CSV文件（默认：审计日志.csv）")
    audit.set_defaults(run=_run_audit)

    from .cli_reports import add_commands  # report, import, export

    reporting = add_commands(commands, db_help)
    from .cli_backup import add_commands as add_backup_commands  # backup, verify, restore

    backups = add_backup_commands(commands, db_help)
    for sub in (demo, search, printing, audit, *reporting, *backups):
        # SUPPRESS: a --db given before the command is not overwritten by the command's default
        sub.add_argument("--db", default=argparse.SUPPRESS, metavar="DB", help=db_help)
        sub.add_argument("--allow-removable-db", action="store_true", default=argparse.SUPPRESS,
                         help=ALLOW_REMOVABLE_HELP)
    return parser


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def db_path(args: argparse.Namespace) -> Path:
    """The database to use; one on a USB stick or a network share is refused unless --allow-removable-db."""
    given = getattr(args, "db", None) or os.environ.get(ENV_DB, "").strip()
    if given:
        path = Path(given).expanduser()
    else:
        from .paths import default_db_path

        path = default_db_path()
    from .services.backup import check_live_location

    try:
        check_live_location(path, bool(getattr(args, "allow_removable_db", False)))
    except FulianError as e:
        raise FulianError(f"{e.message}\n如确实要这样做，请加上参数 --allow-removable-db。") from None
    return path


def _credentials(err: IO[str]) -> tuple[str, str]:
    """User name and password: from FULIAN_USER / FULIAN_PASSWORD, else asked on the terminal."""
    user = os.environ.get(ENV_USER, "").strip()
    password = os.environ.get(ENV_PASSWORD, "")
    if user and password:
        return user, password
    if not (_isatty(sys.stdin) and _isatty(err)):
        raise FulianError(f"需要登录：请在终端中运行以输入用户名和密码，"
                          f"或为计划任务设置环境变量 {ENV_USER} 和 {ENV_PASSWORD}。")
    import getpass

    if not user:
        print("用户名：", end="", file=err, flush=True)
        user = sys.stdin.readline().strip()
    if not password:
        password = getpass.getpass("密码：", stream=err)  # type: ignore[arg-type]
    return user, password


def _open_existing(path: Path, err: IO[str] | None = None) -> Any:
    """A signed-in context on a database that must already exist (search and print never create one)."""
    if not path.is_file():
        if path.is_dir():
            raise NotFound(f"“{path}”是一个文件夹，不是数据库文件。")
        raise NotFound(f"找不到数据库文件：{path}")
    from .services import accounts

    if accounts.needs_setup(path):
        if accounts.existing_data(path) == "plain":
            raise FulianError("这个数据库是旧版本建立的，还没有账号，也没有加密。请先用图形界面打开它一次："
                              "设置管理员账号后，数据库会被加密（原文件另存一份），之后命令行才能使用。")
        raise FulianError(f"数据库文件已损坏，或者旁边缺少它的密钥文件（{accounts.keyfile_for(path).name}）。"
                          "请从备份恢复。")
    user, password = _credentials(err or sys.stderr)
    ctx = accounts.sign_in(path, user, password, via="cli")
    if ctx.user is not None and ctx.user.must_change:
        ctx.close()
        raise FulianError("这个账号的密码是管理员设置的临时密码，请先在图形界面中登录并修改密码。")
    return ctx


def _demo_context(path: Path, err: IO[str]) -> tuple[Any, bool]:
    """(signed-in context, whether the demo accounts were just made) for `demo`."""
    from .services import accounts

    if not accounts.needs_setup(path):
        return _open_existing(path, err), False
    if accounts.existing_data(path) == "plain":
        # an unencrypted database from an earlier version: only demo data may be converted here
        from .services.context import open_context
        from .store import bulk

        old = open_context(path)
        try:
            real = bulk.case_count(old.db) and not bulk.is_demo(old.db)
        finally:
            old.close()
        if real:
            from .domain.errors import RuleError

            raise RuleError("这个数据库里已有真实案件，不能加入演示数据。请另选一个新的数据库文件。")
    return accounts.setup_demo(path), True


def _run_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from . import demo
    from .services import accounts

    path = db_path(args)
    if path.is_dir():
        raise NotFound(f"“{path}”是一个文件夹，不是数据库文件。")
    ctx, new_accounts = _demo_context(path, err)
    try:
        progress = None
        if _isatty(err):
            def progress(done: int, total: int) -> None:
                print(f"\r正在生成演示数据…… {done}/{total}", end="", file=err, flush=True)

        made = demo.generate(ctx, args.cases, seed=args.seed, progress=progress)
        if progress is not None:
            print(file=err)
    finally:
        ctx.close()
    log.info("demo: %d cases made", made)
    print(f"已生成{made}件演示案件，数据库：{path}", file=out)
    if new_accounts:
        from .domain.permissions import ROLE_LABELS

        print("演示账号（数据都是虚构的，仅供试用）：", file=out)
        for user, name, roles, password in (accounts.DEMO_STAFF, accounts.DEMO_ADMIN):
            labels = "、".join(ROLE_LABELS[r] for r in ROLE_LABELS if r in roles)
            print(f"  {name}（{labels}）：用户名 {user}　密码 {password}", file=out)
        print(f"命令行使用演示账号：设置环境变量 {ENV_USER}={accounts.DEMO_STAFF[0]} "
              f"{ENV_PASSWORD}={accounts.DEMO_STAFF[3]}，或按提示输入。", file=out)
    return EXIT_OK


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned for a console, counting a Chinese character as two columns."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _run_search(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    text = " ".join(" ".join(args.text).split())
    if not text:
        raise UsageError("请写上要查找的内容")
    from .domain.dates import format_cn
    from .domain.kinds import kind_label
    from .domain.statuses import status_label
    from .services import audit, cases
    from .store.search import CaseFilter

    ctx = _open_existing(db_path(args), err)
    try:
        rows = cases.find(ctx, text, limit=args.limit)
        total = cases.count(ctx, CaseFilter(text=text)) if len(rows) >= args.limit else len(rows)
        audit.searched(ctx, total)
    finally:
        ctx.close()
    log.info("search: %d found", total)
    found = [
        {
            "case_no": r.case_no, "kind": kind_label(r.kind), "names": r.names,
            "status": status_label(r.kind, r.status), "received_on": r.received_on.isoformat(),
            "township": r.township, "category": r.category,
        }
        for r in rows
    ]
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    if not found:
        print(f"没有找到与“{text}”相符的案件。", file=out)
        return EXIT_OK
    headers = ("案件编号", "类型", "当事人", "状态", "收到日期", "乡镇", "问题类别")
    table = [
        (f["case_no"], f["kind"], f["names"], f["status"], format_cn(f["received_on"]), f["township"],
         f["category"])
        for f in found
    ]
    print(format_table(headers, table), file=out)
    more = f"，这里显示前{len(found)}件（用 --limit 显示更多）" if total > len(found) else ""
    print(f"共找到{total}件{more}。", file=out)
    return EXIT_OK


_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _os_reason(e: OSError) -> str:
    reasons = {
        errno.EACCES: "没有写入权限，或文件正被其他程序（如PDF阅读器）打开",
        errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满", errno.EROFS: "磁盘是只读的",
        errno.ENOENT: "路径不存在，或不能在这里建立文件", errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一部分不是文件夹",
    }
    return reasons.get(e.errno or 0, f"系统错误{e.errno}" if e.errno else "系统错误")


def _run_print(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .services import cases

    ctx = _open_existing(db_path(args), err)
    try:
        case_id = cases.id_for_number(ctx, args.case_no)
        try:
            from .services import printing
        except ImportError:
            log.info("print: the printing module cannot be imported")
            raise FulianError("本程序缺少打印组件，无法打印。请重新安装妇联维权工作台。") from None
        pdf, suggested = printing.print_case(ctx, case_id)
    finally:
        ctx.close()
    target = Path(args.out).expanduser()
    if target.is_dir() or args.out.endswith(("/", "\\")):
        name = _BAD_NAME_CHARS.sub("_", suggested).strip(" .") or "案件.pdf"
        target = target / name
    if not target.parent.is_dir():
        raise FulianError(f"无法保存PDF文件：文件夹“{target.parent}”不存在。")
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(pdf)
        os.replace(partial, target)
    except OSError as e:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise FulianError(f"无法保存PDF文件“{target}”：{_os_reason(e)}。") from None
    log.info("print: %d bytes written", len(pdf))
    print(f"已保存：{target}", file=out)
    return EXIT_OK


def _run_audit(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .services import audit

    ctx = _open_existing(db_path(args), err)
    try:
        if args.what == "verify":
            result = audit.verify(ctx)
            print(result.summary(), file=out)
            log.info("audit verify: %d entries, %d problems", result.checked, len(result.problems))
            return EXIT_OK if result.ok else EXIT_ERROR
        data, n = audit.export_csv(ctx, audit.AuditFilter())
    finally:
        ctx.close()
    target = Path(args.out).expanduser()
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise FulianError(f"无法保存文件“{target}”：{_os_reason(e)}。") from None
    log.info("audit export: %d entries", n)
    print(f"已导出{n}条审计记录：{target}", file=out)
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def safe_streams() -> None:
    """A console that cannot show a character (a GBK code page on Windows) shows '?' instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding not in ("utf8", "utf8sig") and reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _say(err: IO[str], message: str) -> None:
    try:
        print(message, file=err, flush=True)
    except (OSError, ValueError):
        pass


def _driver_error() -> type[Exception]:
    from .store.connection import Error

    return Error


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 error, 2 wrong usage)."""
    safe_streams()
    out, err = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except UsageError as e:
        _say(err, f"用法有误：{e}\n运行“{PROG} -h”或“{PROG} 命令 -h”（如 {PROG} search -h）查看用法。")
        return EXIT_USAGE
    except SystemExit as e:  # -h / --help
        return e.code if isinstance(e.code, int) else EXIT_OK
    log.info("command %s", args.command)
    try:
        code: int = args.run(args, out, err)
        out.flush()
        return code
    except UsageError as e:
        _say(err, f"用法有误：{e}")
        return EXIT_USAGE
    except FulianError as e:
        log.info("command %s failed: %s", args.command, type(e).__name__)
        _say(err, f"错误：{e.message}")
        return EXIT_ERROR
    except _driver_error() as e:
        from .store.connection import storage_error

        log.info("command %s failed: %s", args.command, type(e).__name__)
        _say(err, f"错误：{storage_error(e).message}")
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. `search ... | head`
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_ERROR
    except OSError as e:
        log.info("command %s failed: %s", args.command, type(e).__name__)
        _say(err, f"错误：读写文件失败（{_os_reason(e)}）。")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say(err, "已中断。")
        return 130
    except Exception as e:  # our bug: say so calmly; the log gets where, never the data
        if logging.getLogger().hasHandlers():
            log.error("command %s: unexpected %s\n%s", args.command, type(e).__name__,
                      "".join(traceback.format_tb(e.__traceback__)))
        _say(err, f"错误：程序内部出错（{type(e).__name__}），请把这条信息告诉维护人员。")
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
