"""Qt only here: windows, dialogs, table models, widgets."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads PySide6's import hook (shibokensupport.feature), changed below


def _default_qt_names_for_every_module() -> None:
    """PySide6 looks at every module imported after it to see whether the module chooses one of its `__feature__`
    options (snake_case, true_property) — by reading the module's whole source with inspect.getsource, ≈ 0.2 ms for
    each of the ≈ 190 modules the main window loads (≈ 30–50 ms at every start, issue 22). This program chooses none
    (no module imports __feature__): every module gets Qt's default names, which is what PySide6 gives a module
    using Qt without choosing any (0 in its table), so the source need not be read. Left as PySide6 made it if its
    hook is not there (another PySide6 version)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_qt_default_names(module: ModuleType) -> bool:
        return True

    feature._mod_uses_pyside = uses_qt_default_names  # type: ignore[attr-defined]


_default_qt_names_for_every_module()
