"""Compile the Designer forms in ui/ into fulian_desktop/gui/shell/generated/ (committed).

Run `python -m fulian_desktop.gui.shell.build_ui` after changing a .ui file; a test checks they are current.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ...paths import ui_dir

GENERATED = Path(__file__).resolve().parent / "generated"
_HEADER = re.compile(r"^#+\n(#.*\n)+#+\n", re.MULTILINE)


def _uic() -> Path:
    """Qt's uic as shipped inside the PySide6 wheel (what pyside6-uic runs)."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for candidate in (base / "Qt" / "libexec" / "uic", base / "uic.exe", base / "uic", base / "Qt" / "bin" / "uic"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("uic not found in the PySide6 installation")


def compile_form(ui_file: Path) -> str:
    out = subprocess.run(
        [str(_uic()), "-g", "python", str(ui_file)], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout
    # drop the banner (it names the Qt version) so the output depends only on the form
    return _HEADER.sub("", out, count=1)


def target_for(ui_file: Path) -> Path:
    return GENERATED / f"ui_{ui_file.stem}.py"


def main() -> int:
    GENERATED.mkdir(exist_ok=True)
    (GENERATED / "__init__.py").write_text('"""Generated from ui/*.ui by build_ui.py: do not edit."""\n', encoding="utf-8")
    for ui_file in sorted(ui_dir().glob("*.ui")):
        target_for(ui_file).write_text(compile_form(ui_file), encoding="utf-8")
        print(f"{ui_file.name} -> {target_for(ui_file).name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
