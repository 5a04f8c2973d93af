"""PySide6's import hook no longer reads the source of every module imported after it (gui/__init__.py): each
module gets Qt's default names, as it did when its source was read, at no cost (issue 22's start-up)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

import fulian_desktop.gui  # noqa: F401 - what every window of the program loads first

PACKAGE = Path(fulian_desktop.gui.__file__).resolve().parents[1]


def test_a_module_imported_after_qt_is_not_read_for_its_source(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    read: list[object] = []
    real = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda obj: read.append(obj) or real(obj))
    (tmp_path / "fulian_scan_probe.py").write_text("from PySide6.QtWidgets import QLineEdit, QWidget\n\nVALUE = 1\n",
                                                   encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        space: dict[str, object] = {}
        exec("import fulian_scan_probe", space)  # an import statement: what PySide6's hook sees
        assert space["fulian_scan_probe"].VALUE == 1  # type: ignore[attr-defined]
        assert read == []  # PySide6's own hook read it with inspect.getsource before
        feature = sys.modules["shibokensupport.feature"]
        assert feature.pyside_feature_dict["fulian_scan_probe"] == 0  # Qt's default names, as when read
    finally:
        sys.modules.pop("fulian_scan_probe", None)


def test_qt_keeps_its_default_names_in_the_programs_modules(qtbot) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.gui.shell import widgets

    w = QWidget()
    qtbot.addWidget(w)
    w.setWindowTitle("标题")  # camelCase, not snake_case; a method, not a property
    assert w.windowTitle() == "标题"
    assert not hasattr(w, "set_window_title")
    field = QLineEdit(w)
    widgets.mark_invalid(field, True)  # Qt called by its default names from inside a module of the program
    assert widgets.is_marked_invalid(field)


def test_no_module_of_the_program_chooses_a_pyside_feature() -> None:
    """What makes skipping the reading safe: no module chooses snake_case or true_property."""
    choosing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                if "from __feature__ import" in p.read_text(encoding="utf-8")
                or "import __feature__" in p.read_text(encoding="utf-8")]
    assert choosing == []
