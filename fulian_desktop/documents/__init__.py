"""PDF forms (reportlab only — never Qt here): one module per form, shared layout, fonts registered once.

    pdf = render_case("petition", petition, "某县妇联", date.today())
    name = suggested_filename("petition", petition)   # 信访登记表_张三_2026-03-01.pdf

Each form module registers itself (see registry.FormKind) when imported below.
"""

from __future__ import annotations

from . import (
    dv_papers,  # noqa: F401  (registers the risk assessment and the safety plan, also its plain version)
    household_forms,  # noqa: F401  (registers the household card, visit record and monthly sheet)
    mediation_forms,  # noqa: F401  (registers the mediation file and its documents)
    petition_form,  # noqa: F401  (registers the petition form)
    petition_letters,  # noqa: F401  (registers the documents a case issued: notices, opinions)
    protection_papers,  # noqa: F401  (registers the protection-order application, 情况证明, extension request)
    referral_letter,  # noqa: F401  (registers the referral letter)
)
from .fonts import register_fonts, unprintable
from .registry import (
    FormKind,
    check_case,
    check_printable,
    form_for,
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
    "issued_form",
    "kinds",
    "register",
    "register_fonts",
    "render_case",
    "suggested_filename",
    "unprintable",
]
