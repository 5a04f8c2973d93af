"""A command builds only its own module's parsers (issue 22: every command paid for every other command's module
and what it loads): the same help and arguments as the whole parser's, and cli.main's table of which module makes
which command agrees with what the modules make."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fulian_desktop.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]


def _made(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_table_names_the_module_that_makes_each_command() -> None:
    for module in cli.MODULES:
        commands = argparse.ArgumentParser().add_subparsers()
        cli._module(module).add_commands(commands)
        assert sorted(commands.choices) == sorted(c for c, m in cli.COMMANDS.items() if m == module), module
    assert list(_made(cli.build_parser())) == list(cli.COMMANDS)


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_one_commands_parser_is_the_whole_parsers(command: str) -> None:
    whole, alone = _made(cli.build_parser())[command], _made(cli.build_parser(command))
    assert command in alone and set(alone) <= set(cli.COMMANDS)
    assert alone[command].format_help() == whole.format_help()


def test_an_unknown_command_or_the_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serach", "张"]) == cli.EXIT_USAGE
    said = capsys.readouterr().err
    assert "没有“serach”这个命令" in said and all(c in said for c in cli.COMMANDS)


def test_search_loads_no_other_commands_module(tmp_path: Path) -> None:
    script = ("import sys, runpy; sys.modules['numpy'] = None; import atexit; "
              "atexit.register(lambda: print('MODULES', ' '.join(sorted(sys.modules)))); "
              "sys.argv = ['fulian-desktop', '--db', 'x.db', 'search', '-h']; "
              "runpy.run_module('fulian_desktop', run_name='__main__')")
    out = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "用法：" in out.stdout, out.stdout + out.stderr
    modules = set(next(ln for ln in out.stdout.splitlines() if ln.startswith("MODULES")).split()[1:])
    assert "fulian_desktop.cli.cases" in modules
    others = {f"fulian_desktop.cli.{m}" for m in cli.MODULES if m != "cases"} | {"fulian_desktop.domain.attachments"}
    assert modules & others == set()
