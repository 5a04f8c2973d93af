"""The command line's entry point: the parser (in Chinese) and `main(argv)`, which runs one command and
turns every error into a calm message on stderr and an exit code."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import IO

from ..domain.errors import FulianError
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
from .parsing import ChineseParser, database_options, given_command, usage_message, wrap_columns

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Arguments, in Chinese
# ---------------------------------------------------------------------------------------------

WINDOW_HELP = "不写命令时打开窗口，登录后使用。数据库默认是用户数据文件夹中的 fulian.db，用 --db 或环境变量 {env} 打开另一个。"
LATER_HELP = (
    "读写数据的命令都要登录：在终端中输入用户名和密码（密码不显示），计划任务可设置环境变量 {user} 和 {password}。",
    "出错时在标准错误输出中文说明，并返回非零退出码（用法有误为2）。",
    "Windows 上 fulian-desktop 是窗口程序，不连接控制台：命令行请用 fulian-desktop-cli（参数相同）。",
)


class _TopParser(ChineseParser):
    """The top level: how to open the window, then every command in one line (its own help line), then the
    options; the same text for `fulian-desktop -h`, `fulian-desktop-cli -h` and `python -m fulian_desktop.cli -h`."""

    def format_help(self) -> str:
        commands = next(a for a in self._actions if isinstance(a, argparse._SubParsersAction))
        listed = [(str(c.dest), str(c.help)) for c in commands._choices_actions]
        width = max(len(name) for name, _help in listed)
        options = self._get_formatter()
        options.start_section("选项")
        options.add_arguments(self._optionals._group_actions)
        options.end_section()
        columns = options._width

        def paragraph(text: str, indent: int = 0) -> list[str]:
            return [" " * indent + line for line in wrap_columns(text, columns - indent)]

        lines = [
            "用法：",
            f"  {self.prog} [--db 数据库文件] [--allow-removable-db]",
            f"  {self.prog} 命令 [参数…] [--db 数据库文件]",
            f"  {self.prog} 命令 -h",
            "",
            *paragraph(self.description or ""),
            "",
            "打开窗口：",
            *paragraph(WINDOW_HELP.format(env=ENV_DB), 2),
            "",
            *paragraph(f"命令（每个命令的用法：{self.prog} 命令 -h，如 {self.prog} search -h）："),
            *(f"  {name:<{width}}  {text}" for name, text in listed),
            "",
            options.format_help().strip("\n"),
            "",
            *(part for line in LATER_HELP for part in paragraph(line.format(user=ENV_USER, password=ENV_PASSWORD))),
        ]
        return re.sub(r"^(选项):$", r"\1：", "\n".join(lines) + "\n", flags=re.M)


# the modules that make the commands, in the help's order, and which commands each makes (tests/test_cli_help.py
# checks this against what they make)
MODULES = ("cases", "attachments", "reports", "backup", "credentials", "workdays", "exchange")
COMMANDS = {
    "demo": "cases", "search": "cases", "print": "cases", "audit": "cases", "attach": "attachments",
    "attachments": "attachments", "report": "reports", "import": "reports", "export": "reports", "backup": "backup",
    "verify": "backup", "restore": "backup", "credentials": "credentials", "workdays": "workdays",
    "exchange": "exchange",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `command` (one of COMMANDS) only of that command's module, which is all
    that running it needs (the other modules and what they load are not imported: ≈ 10 ms at every command)."""
    parser = _TopParser(prog=PROG, description="妇联维权工作台：县妇联维权窗口的案件管理（信访、法律援助转介、"
                        "婚姻家庭纠纷调解、帮扶户走访慰问），离线使用，数据加密保存在本机。")
    database_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    commands.required = True

    modules = (COMMANDS[command],) if command in COMMANDS else MODULES
    subs = [sub for name in modules for sub in _module(name).add_commands(commands)]
    for sub in subs:
        # SUPPRESS: a --db given before the command is not overwritten by the command's default
        database_options(sub, default=argparse.SUPPRESS)
    return parser


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------



def safe_streams() -> None:
    """Output to a file, a pipe or the Task Scheduler is UTF-8 (on Windows it would be the GBK code page, where
    䶮 and 𠇔 become '?' and `--json` is not UTF-8); a console that cannot show a character shows '?' instead of
    failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding in ("utf8", "utf8sig") or reconfigure is None:
            continue
        try:
            terminal = stream.isatty()
        except (ValueError, OSError):
            terminal = False
        try:
            if terminal:
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
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
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(given_command(given))
    try:
        args = parser.parse_args(given)
    except UsageError as e:
        _say(err, usage_message(e))
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
