"""A new engineer's (and a new office's) first hour: the README's commands, the test run it describes, and the
recovery key written the same way in the README, the user guide, the window and the printed sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fulian_desktop.domain.accounts import RECOVERY_KEY_EXAMPLE, recovery_key_lines
from fulian_desktop.gui.security.sign_in import RecoveryDialog
from fulian_desktop.services import accounts
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF, Clock

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "使用说明.md").read_text(encoding="utf-8")
SHOWN_LINE = re.compile(r"[A-Z2-9]{4}( [A-Z2-9]{4}){3}")


def _section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _commands(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```\n(.*?)```", text, flags=re.S)]


# -- the README's commands and the test run -----------------------------------------------------------------


def test_the_readme_keeps_two_commands_for_a_fresh_machine_and_ci_runs_the_second() -> None:
    install, test = _commands(_section(README, "两条命令"))
    assert install == 'python3 -m pip install . && fulian-desktop'
    assert test == 'python3 -m pip install -e ".[test]" && python3 -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_the_readme_says_what_the_full_run_does_and_gives_the_fast_loop(pytestconfig: pytest.Config) -> None:
    """The README's test command runs everything (the slow tests too: CI runs it); the fast loop leaves out
    exactly the tests marked slow, a marker pyproject registers."""
    addopts = pytestconfig.getini("addopts")
    assert not any(a.startswith("-m") for a in addopts)  # nothing deselected by default
    assert any(m.startswith("slow:") for m in pytestconfig.getini("markers"))
    fresh = _section(README, "两条命令")
    assert "PyInstaller" in fresh and "分钟" in fresh and '-m "not slow"' in fresh
    development = _section(README, "开发")
    assert 'python3 -m pytest -m "not slow"' in development
    assert "docs/ARCHITECTURE.md" in development  # where each thing lives


def test_the_readme_names_the_system_packages_linux_needs() -> None:
    from fulian_desktop.gui.shell.system_libraries import XCB_LIBRARIES

    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert package in XCB_LIBRARIES.values() and package in README


# -- the recovery key --------------------------------------------------------------------------------------


def test_the_recovery_key_is_written_as_the_program_shows_it() -> None:
    key = keys.new_recovery_key()
    first, second = recovery_key_lines(key)
    assert SHOWN_LINE.fullmatch(first) and SHOWN_LINE.fullmatch(second)
    assert keys.normalize_recovery_key(first + second) == keys.normalize_recovery_key(key)
    shown_like = re.compile(r"[A-Z2-9]{4}( [A-Z2-9]{4})* ……")
    assert shown_like.fullmatch(RECOVERY_KEY_EXAMPLE)
    for text in (README, GUIDE):
        examples = re.findall(r"恢复密钥\*\*（[^`]*`([^`]+)`", text)
        assert examples and all(shown_like.fullmatch(e) for e in examples), examples
        assert "ABCD-" not in text


@pytest.mark.parametrize("as_typed", [
    lambda key: " ".join(recovery_key_lines(key)),  # copied from the sheet: groups and spaces
    lambda key: key.lower(),  # with dashes, in small letters
    lambda key: keys.normalize_recovery_key(key),  # all in one run
])
def test_the_key_is_accepted_however_the_groups_are_separated(qtbot, tmp_path: Path, clock: Clock,  # type: ignore[no-untyped-def]
                                                              as_typed, said: list[str]) -> None:
    path = tmp_path / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", clock=clock, kdf=CHEAP_KDF)
    started.ctx.close()
    d = RecoveryDialog(path, clock=clock)
    qtbot.addWidget(d)
    d.show()
    assert any(RECOVERY_KEY_EXAMPLE in label.text() for label in d.findChildren(QLabel))
    assert d.key.placeholderText() == "XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX"
    qtbot.keyClicks(d.key, as_typed(started.recovery_key))
    qtbot.keyClicks(d.username, "wangxl")
    qtbot.keyClicks(d.new_password, "new-secret-77")
    qtbot.keyClicks(d.new_password2, "new-secret-77")
    with qtbot.waitSignal(d.accepted):
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.ctx is not None and d.ctx.user is not None and d.ctx.user.username == "wangxl" and not said
    d.ctx.close()
