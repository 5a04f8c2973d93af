"""A fresh Linux PC without the libraries Qt's window plugin needs: the program says in Chinese which
packages to install and stops, instead of Qt's English message naming the wrong library."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fulian_desktop.gui.shell import system_libraries
from fulian_desktop.gui.shell.system_libraries import check_display_libraries, missing_xcb_libraries

ROOT = Path(__file__).resolve().parents[1]
X11 = {"DISPLAY": ":0"}


def _plugins(tmp_path: Path) -> Path:
    (tmp_path / "platforms").mkdir()
    (tmp_path / "platforms" / "libqxcb.so").write_bytes(b"")
    return tmp_path


def _loader(absent: set[str], plugin_fails: bool = True):  # type: ignore[no-untyped-def]
    tried: list[str] = []

    def load(name: str) -> object:
        tried.append(name)
        if name.endswith("libqxcb.so") and plugin_fails:
            raise OSError(f"{sorted(absent)[0] if absent else 'libunknown.so.3'}: cannot open shared object file")
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    load.tried = tried  # type: ignore[attr-defined]
    return load


def test_every_missing_library_is_named_with_its_package(tmp_path: Path) -> None:
    load = _loader({"libxcb-icccm.so.4", "libxcb-keysyms.so.1"})
    message = check_display_libraries(_plugins(tmp_path), environ=X11, platform="linux", load=load)
    assert "无法打开窗口" in message and "libxcb-icccm.so.4、libxcb-keysyms.so.1" in message
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1\n" in message
    assert "cursor" not in message  # Qt's own message blames libxcb-cursor0, which is there


def test_a_plugin_that_loads_is_never_doubted(tmp_path: Path) -> None:
    """In the PyInstaller bundle the libraries may sit next to the plugin, where a lookup by name alone
    would not find them: the plugin loading is what counts."""
    load = _loader(set(system_libraries.XCB_LIBRARIES), plugin_fails=False)
    assert missing_xcb_libraries(_plugins(tmp_path), load) == []
    assert load.tried == [str(tmp_path / "platforms" / "libqxcb.so")]  # type: ignore[attr-defined]


def test_a_library_outside_the_list_is_named_as_the_loader_names_it(tmp_path: Path) -> None:
    message = check_display_libraries(_plugins(tmp_path), environ=X11, platform="linux", load=_loader(set()))
    assert "libunknown.so.3" in message and "apt install" not in message


@pytest.mark.parametrize(("environ", "platform"), [
    (X11, "win32"),
    ({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
])
def test_only_where_qt_would_use_its_xcb_plugin(tmp_path: Path, environ: dict[str, str], platform: str) -> None:
    load = _loader({"libxcb-icccm.so.4"})
    assert check_display_libraries(_plugins(tmp_path), environ=environ, platform=platform, load=load) == ""
    assert load.tried == []  # type: ignore[attr-defined]


def test_no_xcb_plugin_leaves_the_judgement_to_qt(tmp_path: Path) -> None:
    assert check_display_libraries(tmp_path, environ=X11, platform="linux", load=_loader({"libxcb.so.1"})) == ""


STARTS = textwrap.dedent("""
    import sys
    from fulian_desktop import app
    from fulian_desktop.gui.shell import system_libraries
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}

    def load(name):
        if name.endswith("libqxcb.so"):
            raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")
        if name in absent:
            raise OSError(name + ": cannot open shared object file")

    system_libraries.load_library = load
    code = app.main(["--db", sys.argv[1]])
    from PySide6.QtWidgets import QApplication
    print("exit:", code, "application:", QApplication.instance() is not None)
    """)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux's")
def test_the_program_says_which_packages_are_missing_and_stops(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "FULIAN_DB")}
    env.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "DISPLAY": ":0",
                "PYTHONPATH": str(ROOT)})
    db = tmp_path / "fulian.db"
    out = subprocess.run([sys.executable, "-c", STARTS, str(db)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert "exit: 1 application: False" in out.stdout, out.stdout + out.stderr
    assert "无法打开窗口" in out.stderr and "sudo apt install libxcb-icccm4 libxcb-keysyms1" in out.stderr
    assert "qt.qpa" not in out.stderr and not db.exists()
