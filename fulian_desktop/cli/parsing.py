"""argparse in Chinese, for the command line and for the window's own options: 用法／参数／选项, help laid out
by console columns (a Chinese character takes two), argparse's error messages translated and raised as
UsageError. Light on purpose: the window's start-up reads its options with it before the sign-in window."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any, NoReturn

from .common import ALLOW_REMOVABLE_HELP, ENV_DB, PROG, UsageError, display_width


def given_command(args: Sequence[str]) -> str | None:
    """What the command line is asked to do: the command, after the options every command shares (`--db 演示.db
    search 王`); "-h" for the help asked before any command; None when none is given (the window's: options it
    does not know are Qt's, -style fusion)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            return "-h"
        if arg == "--db":
            i += 2
        elif arg.startswith("--db=") or arg == "--allow-removable-db":
            i += 1
        else:
            return None if arg.startswith("-") else arg
    return None

# argparse's own messages (Python 3.10 to 3.13), each in Chinese; the groups are argument names and values (patterns
# compiled when a message is translated, not at every start)
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.*)$", "缺少参数：{0}"),
    (r"^one of the arguments (.*) is required$", "参数 {0} 中要写上一个"),
    (r"^unrecognized arguments: (.*)$", "无法识别的参数：{0}"),
    (r"^ambiguous option: (\S+) could match (.*)$", "参数 {0} 不完整，可能是 {1}，请写全"),
    (r"^argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)$",
     "没有“{1}”这个命令，可用的命令有：{2}"),
    (r"^argument (\S+): invalid \S+ value: '?([^']*)'?$", "参数 {0} 的值“{1}”不对"),
    (r"^argument (\S+): expected one argument$", "参数 {0} 后面应写上一个值"),
    (r"^argument (\S+): expected at least one argument$", "参数 {0} 后面至少要写上一个值"),
    (r"^argument (\S+): expected (\d+) arguments?$", "参数 {0} 后面应写上{1}个值"),
    (r"^argument (\S+): not allowed with argument (\S+)$", "参数 {0} 和 {1} 不能同时使用"),
    (r"^argument (\S+): ignored explicit argument '?([^']*)'?$", "参数 {0} 后面不能写值（“{1}”）"),
    (r"^argument (\S+): (.*)$", "参数 {0}：{1}"),
)


def _translate(message: str) -> str:
    for pattern, text in _ARGPARSE_MESSAGES:
        m = re.match(pattern, message)
        if m:
            return text.format(*(g.replace("'", "").replace(", ", "、") for g in m.groups()))
    return message


# a line never starts with these (they stay at the end of the line before) nor ends with the opening ones
_CLOSING = set("，。、；：）》”’！？…」")
_OPENING = set("（《“‘「")
_TOKEN = r"[A-Za-z0-9_.\-/\\%|=\[\]\x27\"]+|\s+|."  # (compiled when help is first laid out)


def wrap_columns(text: str, width: int) -> list[str]:
    """Text broken into lines of at most `width` console columns (a Chinese character takes two): between
    any two Chinese characters, between words elsewhere, no line starting with a closing mark (，。）…)."""
    lines: list[str] = []
    line = ""
    for token in re.findall(_TOKEN, " ".join(text.split())):
        if display_width(line + token) > width and line.strip() and token[0] not in _CLOSING:
            carried = ""
            while line and line[-1] in _OPENING:
                line, carried = line[:-1], line[-1] + carried
            lines.append(line.rstrip())
            line = carried + token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Formatter(argparse.HelpFormatter):
    """argparse's help laid out by console columns, not characters: Chinese takes two columns a character."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)
        shift = " " * (display_width(prefix or "") - len(prefix or ""))  # continuation lines under the program
        return text.replace("\n ", "\n " + shift) if shift else text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_columns(text, width - len(indent)))

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocation = self._format_action_invocation(action)
            self._action_max_length = max(self._action_max_length, display_width(invocation) + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = " " * self._current_indent + self._format_action_invocation(action)
        lines = wrap_columns(self._expand_help(action), help_width) if action.help and action.help.strip() else []
        if lines and display_width(header) <= help_position - 2:
            parts = [header + " " * (action_width + self._current_indent - display_width(header)) + "  " + lines[0]]
            lines = lines[1:]
        else:
            parts = [header]
        parts += [" " * help_position + line for line in lines]
        text = "\n".join(parts) + "\n"
        return text + "".join(self._format_action(sub) for sub in self._iter_indented_subactions(action))


class ChineseParser(argparse.ArgumentParser):
    """argparse in Chinese: 用法／参数／选项, its error messages translated (and raised as UsageError)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示这段帮助并退出")

    def format_help(self) -> str:
        return re.sub(r"^(参数|选项):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> NoReturn:
        raise UsageError(_translate(message))


DB_METAVAR = "数据库文件"


def database_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    db_help = f"数据库文件（默认取环境变量 {ENV_DB}，否则为本机用户的默认数据库）"
    if default is None:
        parser.add_argument("--db", metavar=DB_METAVAR, help=db_help)
        parser.add_argument("--allow-removable-db", action="store_true", help=ALLOW_REMOVABLE_HELP)
    else:
        parser.add_argument("--db", default=default, metavar=DB_METAVAR, help=db_help)
        parser.add_argument("--allow-removable-db", action="store_true", default=default, help=ALLOW_REMOVABLE_HELP)


def window_options(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """The window's own options (--db, --allow-removable-db) and what is left for Qt; wrong ones raise
    UsageError in Chinese. (-h never gets here: app.main gives it to the command line's top level, whose
    help tells how to open the window too.)"""
    parser = ChineseParser(prog=PROG)
    database_options(parser)
    return parser.parse_known_args(list(argv))


def usage_message(e: UsageError) -> str:
    return f"用法有误：{e}\n运行“{PROG} -h”或“{PROG} 命令 -h”（如 {PROG} search -h）查看用法。"
