"""The Windows installer's NSIS script builds here (makensis from Debian's `nsis` package, which .ci/run installs),
against a small stand-in for the PyInstaller folder, so it cannot rot; and what it installs and uninstalls."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "packaging" / "build_installer.py"
SCRIPT = ROOT / "packaging" / "installer.nsi"

needs_nsis = pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) is not installed")


def bundle(folder: Path) -> Path:
    """What PyInstaller makes: the two programs at the top, everything else in _internal."""
    (folder / "_internal" / "resources" / "fonts").mkdir(parents=True)
    (folder / "fulian-desktop.exe").write_bytes(b"MZ window program")
    (folder / "fulian-desktop-cli.exe").write_bytes(b"MZ command line")
    (folder / "_internal" / "python311.dll").write_bytes(bytes(range(256)) * 2000)
    (folder / "_internal" / "resources" / "fonts" / "宋体.ttf").write_bytes(b"font")
    return folder


def build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, timeout=300)


@needs_nsis
def test_the_installer_builds_from_a_bundle_in_a_chinese_folder(tmp_path: Path) -> None:
    folder = bundle(tmp_path / "构建 目录" / "fulian-desktop")
    done = build("--bundle", str(folder), "--out", str(tmp_path / "输出"))
    assert done.returncode == 0, done.stderr
    setup = Path(done.stdout.strip())
    assert setup.parent == (tmp_path / "输出").resolve() and setup.name.startswith("fulian-desktop-")
    assert setup.name.endswith("-setup.exe")
    data = setup.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data  # a Windows program, made by NSIS
    assert len(data) > 40_000


@needs_nsis
def test_the_installer_and_its_uninstaller_are_signed_when_a_command_is_given(tmp_path: Path) -> None:
    log = tmp_path / "signed.txt"
    signer = tmp_path / "sign.py"
    signer.write_text(f"import sys\nopen({str(log)!r}, 'a', encoding='utf-8').write(sys.argv[1] + '\\n')\n")
    folder = bundle(tmp_path / "fulian-desktop")
    done = build("--bundle", str(folder), "--out", str(tmp_path), "--sign", f'"{sys.executable}" "{signer}" "%1"')
    assert done.returncode == 0, done.stderr
    signed = log.read_text(encoding="utf-8").splitlines()
    assert len(signed) == 2 and signed[-1] == done.stdout.strip()  # the uninstaller first, then the installer


@needs_nsis
def test_a_folder_that_is_not_a_bundle_is_refused(tmp_path: Path) -> None:
    done = build("--bundle", str(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode != 0 and "fulian-desktop.exe" in done.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.exe"))


def test_the_script_installs_per_machine_and_never_touches_the_data() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "RequestExecutionLevel admin" in text and 'InstallDir "$PROGRAMFILES64\\${APP}"' in text
    assert text.count("SetShellVarContext all") == 2  # shortcuts for every user, found again by the uninstaller
    assert 'CreateShortCut "$SMPROGRAMS\\${APP}.lnk"' in text and 'CreateShortCut "$DESKTOP\\${APP}.lnk"' in text
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\FulianDesktop" in text
    assert 'InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"' in text  # an upgrade goes where the last was
    uninstall = text[text.index('Section "Uninstall"'):]
    assert "LOCALAPPDATA" not in uninstall.replace("%LOCALAPPDATA%\\FulianDesktop", "")
    assert 'RMDir /r "$INSTDIR"' not in text  # only the program's own files and folder are removed
    assert 'RMDir /r "$INSTDIR\\_internal"' in uninstall and 'RMDir "$INSTDIR"' in uninstall
