"""reportlab's paragraphs loaded without compiling, at each start of a process, the one pattern only long web
addresses use.

Importing reportlab.platypus.paragraph compiles `uri_pat` — a web address's parts, matched case-blind over every
character from U+00A1 to U+FFFF — which takes Python's `re` ≈ 30 ms (it folds the case of each of those characters).
reportlab uses it only to break a long web address across lines; the forms print none. It is compiled here the first
time it is used instead, with the same pattern and flags, so it behaves exactly as before. Every other pattern is
compiled as usual. Imported by this package before anything loads reportlab.platypus (issue 22: `print` paid for
it at every form)."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any


class CompiledWhenUsed:
    """A compiled pattern made the first time one of its methods or attributes is used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def compiled(self) -> re.Pattern[str]:
        with self._lock:
            if self._compiled is None:
                self._compiled = re.compile(self._pattern, self._flags)
            return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def _slow_to_compile(pattern: object, flags: int) -> bool:
    return isinstance(pattern, str) and bool(flags & re.IGNORECASE) and "\uffff" in pattern


def load_paragraph() -> None:
    """Import reportlab.platypus.paragraph (once), its case-blind all-Unicode pattern left to be compiled when used."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    real = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if _slow_to_compile(pattern, flags):
            return CompiledWhenUsed(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = real


load_paragraph()
