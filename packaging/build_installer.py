"""Build the Windows installer (packaging/installer.nsi) from the PyInstaller folder with NSIS's makensis:

    python packaging/build_installer.py [--bundle dist/fulian-desktop] [--out dist] [--sign "COMMAND %1"]

makensis runs on Windows and on Linux (Debian's `nsis` package) alike; the tests build the script here against a
small folder so it cannot rot. --sign (or FULIAN_SIGN_COMMAND) is the office's signing command with %1 for the
file, e.g. signtool sign /fd SHA256 /f 证书.pfx /p 密码 /tr <时间戳服务器> /td SHA256 %1: the installer and its
uninstaller are signed as they are made. Prints the installer's path.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "packaging" / "installer.nsi"
ICON = ROOT / "resources" / "icons" / "app.ico"


def version() -> str:
    """The package's version as NSIS wants it (numbers only: 0.1.0)."""
    text = (ROOT / "fulian_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("no __version__ in fulian_desktop/__init__.py")
    numbers = re.findall(r"\d+", found[1])[:3]
    return ".".join(numbers + ["0"] * (3 - len(numbers)))


def makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    default = Path(os.environ.get("ProgramFiles(x86)", "C:\\Program Files (x86)")) / "NSIS" / "makensis.exe"
    if default.is_file():
        return str(default)
    raise SystemExit("makensis not found: install NSIS 3 (Windows: nsis.sourceforge.io; Debian: apt-get install nsis)")


def build(bundle: Path, out: Path, sign: str = "") -> Path:
    for needed in ("fulian-desktop.exe", "fulian-desktop-cli.exe"):
        if not (bundle / needed).is_file():
            raise SystemExit(f"{bundle} has no {needed}: build the Windows bundle first (see README)")
    v = version()
    out.mkdir(parents=True, exist_ok=True)
    target = (out / f"fulian-desktop-{v}-setup.exe").resolve()
    command = [makensis(), "-V2", "-WX", "-INPUTCHARSET", "UTF8",
               f"-DBUNDLE={bundle.resolve()}", f"-DVERSION={v}", f"-DICON={ICON}", f"-DOUTFILE={target}"]
    if sign:
        command.append(f"-DSIGN={sign}")
    command.append(str(SCRIPT))
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"makensis failed ({done.returncode})")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Windows installer with NSIS")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "fulian-desktop")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--sign", default=os.environ.get("FULIAN_SIGN_COMMAND", ""))
    args = parser.parse_args(argv)
    print(build(args.bundle, args.out, args.sign))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
