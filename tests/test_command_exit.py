"""A command's process ends once its work is done, without the interpreter taking every module and object apart
first (issue 22: ≈ 7 % of a `search`), while what the exit does for the program still happens: the functions
registered to run at exit, the output flushed, the exit code; with another thread still alive, the ordinary exit
waits for it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# a process that runs the program as `fulian-desktop …` does, having registered a function for the exit and left an
# object whose finaliser says when the interpreter takes the modules apart (written straight to the descriptor: it
# may come after sys.stdout is gone)
_RUN = textwrap.dedent(
    """
    import atexit, os, sys, runpy, threading, time
    sys.modules["numpy"] = None

    class Teardown:
        def __del__(self, write=os.write):
            write(1, b"TORN_DOWN\\n")

    kept = Teardown()
    atexit.register(lambda: print("AT_EXIT", flush=False))
    if os.environ.get("H_THREAD"):
        def late():
            time.sleep(1.5)  # beyond the command's end
            os.write(1, b"THREAD_DONE\\n")
        threading.Thread(target=late).start()
    sys.argv = ["fulian-desktop", *sys.argv[1:]]
    runpy.run_module("fulian_desktop", run_name="__main__")
    """
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fulian_desktop.services import accounts

    path = tmp_path_factory.mktemp("exit") / "fulian.db"
    accounts.setup_demo(path).close()
    return path


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    from fulian_desktop.services import accounts

    user, _name, _roles, password = accounts.DEMO_STAFF
    full = {**os.environ, "PYTHONPATH": str(ROOT), "FULIAN_USER": user, "FULIAN_PASSWORD": password, **env}
    return subprocess.run([sys.executable, "-c", _RUN, *args], env=full, capture_output=True, text=True, timeout=120)


def test_a_command_ends_its_process_without_taking_it_apart(db: Path) -> None:
    out = _run(["--db", str(db), "search", "张三"])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "没有找到与“张三”相符的案件。" in out.stdout
    assert "AT_EXIT" in out.stdout  # what was registered for the exit ran, and its output was flushed
    assert "TORN_DOWN" not in out.stdout  # the interpreter did not take the modules apart
    assert out.stderr == ""


def test_a_command_that_fails_keeps_its_exit_code_and_message(db: Path) -> None:
    out = _run(["--db", str(db.with_name("没有这个.db")), "search", "张三"])
    assert out.returncode == 1
    assert "找不到数据库文件" in out.stderr
    assert "AT_EXIT" in out.stdout and "TORN_DOWN" not in out.stdout
    usage = _run(["--db", str(db), "search"])
    assert usage.returncode == 2 and "用法" in usage.stderr
    assert "AT_EXIT" in usage.stdout and "TORN_DOWN" not in usage.stdout


def test_with_another_thread_alive_the_ordinary_exit_waits_for_it(db: Path) -> None:
    out = _run(["--db", str(db), "search", "张三"], H_THREAD="1")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "没有找到与“张三”相符的案件。" in out.stdout
    assert "THREAD_DONE" in out.stdout and "AT_EXIT" in out.stdout
    assert out.stdout.index("THREAD_DONE") > out.stdout.index("没有找到")  # it outlived the command, waited for
    assert "TORN_DOWN" in out.stdout  # the ordinary exit

