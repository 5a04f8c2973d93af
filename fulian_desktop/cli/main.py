"""The command line's entry point: the parser (in Chinese) and `main(argv)`, which runs one command and
turns every error into a calm message on stderr and an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import traceback
from collections.abc import Sequence
from typing import IO, Any, NoReturn

from ..domain.errors import FulianError
from . import backup, cases, reports
from .common import (  # noqa: F401 (the names callers read from here)
    ALLOW_REMOVABLE_HELP,
    ENV_DB,
    ENV_PASSWORD,
    ENV_USER,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    UsageError,
    os_reason,
)

log = logging.getLogger(__name__)


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



def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="妇联维权工作台（命令行）")
    db_help = f"数据库文件（默认取环境变量 {ENV_DB}，否则为本机用户的默认数据库）"
    parser.add_argument("--db", metavar="DB", help=db_help)
    parser.add_argument("--allow-removable-db", action="store_true", help=ALLOW_REMOVABLE_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", help="命令", parser_class=_Parser)
    commands.required = True

    subs = [*cases.add_commands(commands), *reports.add_commands(commands, db_help),
            *backup.add_commands(commands, db_help)]
    for sub in subs:
        # SUPPRESS: a --db given before the command is not overwritten by the command's default
        sub.add_argument("--db", default=argparse.SUPPRESS, metavar="DB", help=db_help)
        sub.add_argument("--allow-removable-db", action="store_true", default=argparse.SUPPRESS,
                         help=ALLOW_REMOVABLE_HELP)
    return parser


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------



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
    from ..store.connection import Error

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
        from ..store.connection import storage_error

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
        _say(err, f"错误：读写文件失败（{os_reason(e)}）。")
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
