"""PDF forms (reportlab only — never Qt here): one module per form, shared layout, fonts registered once.

    pdf = render_case("petition", petition, "某县妇联", date.today())
    name = suggested_filename("petition", petition)   # 信访登记表_张三_2026-03-01.pdf

Each form module registers itself (see registry.FormKind) when the registry first imports it: when one of its
forms is asked for (registry._MODULES says which module draws which form).
"""

from __future__ import annotations

from . import paragraph_loading  # noqa: F401 - before reportlab.platypus loads (see there)
from .fonts import register_fonts, unprintable
from .registry import (
    FormKind,
    check_case,
    check_printable,
    form_for,
    has_form,
    issued_form,
    kinds,
    register,
    render_case,
    suggested_filename,
)

__all__ = [
    "FormKind",
    "check_case",
    "check_printable",
    "form_for",
    "has_form",
    "issued_form",
    "kinds",
    "register",
    "register_fonts",
    "render_case",
    "suggested_filename",
    "unprintable",
]
