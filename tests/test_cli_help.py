"""`fulian-desktop -h` and every command's help and usage errors are Chinese, and the top level lists every
command in one line each and says how to open the window; the three ways to start the command line agree."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fulian_desktop import app
from fulian_desktop.cli import main as cli
from fulian_desktop.cli.common import PROG

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("demo", "search", "print", "audit", "attach", "attachments", "report", "import", "export", "backup", "verify", "restore",
            "credentials", "workdays", "exchange")
ARGPARSE_WORDS = re.compile(r"usage|positional arguments|optional arguments|options|show this help|error|invalid|"
                            r"argument|required|expected|unrecognized|not allowed|ambiguous|choose from|ignored",
                            re.IGNORECASE)
PLACEHOLDER = re.compile(r"(?<![A-Za-z_])[A-Z][A-Z_]+(?![A-Za-z_])")
NAMES = {"PDF", "CSV", "JSON"}  # what the user sees elsewhere too


def english(text: str) -> list[str]:
    """argparse's English words, and placeholders in capitals (DB, TEXT, COMMAND…); PDF, CSV, JSON and the
    FULIAN_… environment variables are names the user types or sees elsewhere too. Option names (--skip-errors)
    are what she types."""
    text = re.sub(r"(?<![A-Za-z])--?[a-z][a-z-]*", "", text)
    return ARGPARSE_WORDS.findall(text) + [w for w in PLACEHOLDER.findall(text)
                                          if w not in NAMES and not w.startswith("FULIAN_")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = app.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_top_level_lists_every_command_once_and_how_to_open_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert tuple(_subcommands()) == COMMANDS
    code, out, err = run(capsys, "--help")
    assert code == 0 and err == ""
    assert out.startswith("用法：\n") and f"  {PROG} [--db 数据库文件]" in out  # the window, first
    assert "打开窗口：" in out and "不写命令时打开窗口" in out
    for name, sub in _subcommands().items():
        lines = [line for line in out.splitlines() if re.match(rf"  {name} +\S", line)]
        assert len(lines) == 1, (name, lines)
        assert lines[0].split(maxsplit=1)[1] == next(
            a.help for a in cli.build_parser()._subparsers._group_actions[0]._choices_actions  # type: ignore[union-attr]
            if a.dest == name)
        assert sub.description  # and each command's own help says more
    assert not english(out), english(out)
    assert "fulian-desktop-cli" in out  # the Windows console program is named


@pytest.mark.parametrize("command", COMMANDS)
def test_every_commands_help_is_chinese(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, command, "-h")
    assert code == 0 and err == ""
    assert out.startswith(f"用法：{PROG} {command} ") and "选项：\n" in out and "显示这段帮助并退出" in out
    assert not english(out), english(out)


@pytest.mark.parametrize("argv", [
    ["frobnicate"],
    ["--db"],
    ["--db", "x.db", "search", "--colour", "王"],
    ["demo"],
    ["demo", "--cases"],
    ["demo", "--cases", "many"],
    ["search"],
    ["search", "王", "--limit", "0"],
    ["print"],
    ["audit", "count"],
    ["report", "--from", "2026-01-01"],
    ["report", "--from", "2026-01-01", "--to", "明天"],
    ["report", "--from", "2026-01-01", "--to", "2026-06-30", "--json", "--xlsx", "a.xlsx"],
    ["import"],
    ["import", "a.xlsx", "--d"],
    ["import", "a.xlsx", "--kind", "letters"],
    ["export", "petition"],
    ["backup"],
    ["backup", "--to", "E:/", "--keep", "many"],
    ["verify"],
    ["restore"],
    ["restore", "a.fulian-backup", "--yes=no"],
])
def test_usage_errors_at_every_level_are_chinese(argv: list[str], capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", err
    assert err.startswith("用法有误：") and f"运行“{PROG} -h”" in err
    assert not english(err), english(err)
    assert not list(tmp_path.iterdir())


def test_the_windows_own_options_are_read_in_chinese_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--allow-removable-db", "--db")  # opens no window: the file is missing
    assert code == 2 and out == "" and err.startswith("用法有误：参数 --db 后面应写上一个值")


@pytest.mark.parametrize(("argv", "command_line"), [
    ([], False),
    (["--db", "演示.db"], False),
    (["--db=演示.db", "--allow-removable-db"], False),
    (["-style", "fusion"], False),  # Qt's own
    (["search", "王"], True),
    (["--db", "演示.db", "search", "王"], True),
    (["--db", "演示.db", "-h"], True),
    (["--help"], True),
])
def test_what_opens_the_window_and_what_runs_a_command(argv: list[str], command_line: bool) -> None:
    assert app.wants_command_line(argv) is command_line


def test_the_three_ways_to_ask_for_help_agree(tmp_path: Path) -> None:
    scripts = Path(sys.executable).parent
    env = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)}
    ways = [[sys.executable, "-m", "fulian_desktop.cli", "-h"]]
    for name in ("fulian-desktop-cli", "fulian-desktop"):
        script = scripts / (f"{name}.exe" if os.name == "nt" else name)
        if name == "fulian-desktop" and os.name == "nt":
            continue  # the window program has no console on Windows: the help is fulian-desktop-cli's
        if not script.exists():
            pytest.skip(f"{script} is not installed (pip install -e .)")
        ways.append([str(script), "-h"])
    helps = []
    for way in ways:
        out = subprocess.run(way, env=env, cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                             timeout=120)
        assert out.returncode == 0 and out.stderr == "", out.stderr
        helps.append(out.stdout)
    assert helps[0].startswith("用法：") and all(h == helps[0] for h in helps), helps
