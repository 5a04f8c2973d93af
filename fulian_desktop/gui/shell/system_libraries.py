"""On Linux, the system libraries Qt's window plugin (xcb, for X11) needs, checked before the QApplication
exists: without them Qt stops with a message in English that names the wrong library ("xcb-cursor0 … is
needed"), and the clerk sees no window at all. Here the program says in Chinese which packages to install.

No Qt in this module: run_gui passes the folder of Qt's platform plugins, and tests pass their own loader.
The list is what `ldd` shows for Qt 6.11's libqxcb.so and libQt6XcbQpa.so.6 (PySide6 6.11), less what
PySide6 ships itself (Qt, ICU) and what every Linux has (libc, libstdc++, zlib…), with the Debian/Ubuntu
package that holds each one. The README lists the same packages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# soname → Debian/Ubuntu package (the ones a fresh desktop install lacks most often come first)
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

Loader = Callable[[str], object]


def load_library(name: str) -> object:
    """dlopen, as Qt will: raises OSError naming the first library that cannot be found."""
    import ctypes  # (here: only where Qt will use xcb, not at every start)

    return ctypes.CDLL(name)


def xcb_in_use(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Qt will use its xcb plugin: Linux, no platform chosen with QT_QPA_PLATFORM, not a Wayland session."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return False
    return not (environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_xcb_libraries(plugins: Path, load: Loader | None = None) -> list[str]:
    """The libraries (sonames) the xcb plugin in `plugins` (Qt's plugins folder) cannot load; [] when it
    loads, or when there is no xcb plugin to judge (Qt then says what is wrong itself).

    The plugin itself is tried first, so that libraries found next to it (a PyInstaller bundle) never count
    as missing; only when it fails is each library tried on its own, to name them all at once (the loader's
    own message names only the first). A library the list does not know is reported as the loader names it."""
    load = load or load_library
    plugin = plugins / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return []
    try:
        load(str(plugin))
        return []
    except OSError as e:
        first = str(e).split(":", 1)[0].strip()
    missing = []
    for soname in XCB_LIBRARIES:
        try:
            load(soname)
        except OSError:
            missing.append(soname)
    if not missing and first and first != str(plugin):
        missing.append(first)  # a library outside the list (the plugin's own Qt libraries were damaged…)
    return missing


def packages_for(missing: list[str]) -> list[str]:
    return [XCB_LIBRARIES.get(soname, soname) for soname in missing]


def explain(missing: list[str]) -> str:
    """What the clerk (or the technician she calls) reads on the terminal, in Chinese."""
    known = [p for p in packages_for(missing) if p in XCB_LIBRARIES.values()]
    lines = [
        "妇联维权工作台无法打开窗口：这台电脑缺少显示窗口所需的系统库",
        f"（{'、'.join(missing)}）。",
        "请联系技术人员安装下面的软件包，然后再打开程序（数据没有受到任何影响）：",
    ]
    if known:
        lines.append(f"  Debian、Ubuntu 及基于它们的系统：sudo apt install {' '.join(known)}")
    lines.append("  其他 Linux：安装提供上面这些库文件的软件包。")
    return "\n".join(lines)


def check_display_libraries(plugins: Path, environ: Mapping[str, str] = os.environ, platform: str = sys.platform,
                            load: Loader | None = None) -> str:
    """"" when the window can open (or this check does not apply), else the Chinese explanation."""
    if not xcb_in_use(environ, platform):
        return ""
    missing = missing_xcb_libraries(plugins, load)
    return explain(missing) if missing else ""
