"""Which form prints which kind of case. Each form module registers itself when imported, and is imported when
one of its forms is first asked for (printing a petition's form does not load the mediation's or the referral's
code)."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..domain import limits
from ..domain.errors import FulianError
from .fonts import unprintable_in
from .layout import DRAWN_GLYPHS


@dataclass(frozen=True)
class FormKind:
    kind: str  # the case kind: petition, referral, mediation, household
    title: str  # 信访登记表
    render: Callable[[Any, str, dt.date], bytes]  # (record, office name, printed on) -> PDF
    texts: Callable[[Any], Iterable[str]]  # every piece of the record's text that the form prints
    file_parts: Callable[[Any], tuple[str, dt.date | None]]  # (a name, a date) for the file name
    title_of: Callable[[Any], str] | None = None  # the record's own title, when it depends on the record

    def title_for(self, record: Any) -> str:
        """The title this record's paper carries (法律援助转介函, 转介函（庇护所/救助管理站） …)."""
        return self.title_of(record) if self.title_of is not None else self.title


_FORMS: dict[str, FormKind] = {}

# the module (in this package) that draws and registers each form, in the order `print --list` shows them
_MODULES: dict[str, str] = {
    "risk_assessment": "dv_papers", "safety_plan": "dv_papers", "safety_plan_plain": "dv_papers",
    "household": "household_forms", "household_visit": "household_forms", "household_month": "household_forms",
    "mediation": "mediation_forms",  # and each of its papers, "mediation.<key>" (_module_of)
    "petition": "petition_form", "case_document": "petition_letters", "protection_paper": "protection_papers",
    "referral": "referral_letter", "referral.copies": "referral_letter",
}


def register(form: FormKind) -> FormKind:
    _FORMS[form.kind] = form
    return form


def _module_of(kind: str) -> str | None:
    """The mediation's papers by the prefix: their list (the mediation rules, with every party's checks) is not
    loaded to print another kind's form (≈ 8 ms at each `print`, issue 22)."""
    return _MODULES.get(kind) or ("mediation_forms" if kind.startswith("mediation.") else None)


def form_for(kind: str) -> FormKind:
    module = _module_of(kind)
    if kind not in _FORMS and module is not None:
        importlib.import_module(f".{module}", __package__)
    try:
        return _FORMS[kind]
    except KeyError:
        raise FulianError("这类案件还没有可打印的表格") from None


def has_form(kind: str) -> bool:
    """`kind in kinds()`, without the mediation's list of papers unless one of them is asked about."""
    return kind in _MODULES or kind in _FORMS or (kind.startswith("mediation.") and kind in kinds())


def kinds() -> list[str]:
    from ..domain.mediation import DOCUMENTS as MEDIATION_DOCUMENTS

    modules = list(_MODULES)
    at = modules.index("mediation") + 1
    modules[at:at] = [f"mediation.{key}" for key, _title in MEDIATION_DOCUMENTS]
    return list(dict.fromkeys([*modules, *_FORMS]))


# which form prints a document a case issued (table case_documents), by the document's `doc`; the petition's
# notices and opinions ("case_document") unless a form claimed it: the protection-order papers
_ISSUED: dict[str, str] = {doc: "protection_paper" for doc in ("order_application", "situation_proof", "order_extension")}


def register_issued(docs: Iterable[str], form_kind: str) -> None:
    for doc in docs:
        _ISSUED[doc] = form_kind


def issued_form(doc: str) -> str:
    return _ISSUED.get(doc, "case_document")


def check_printable(record_texts: Iterable[str]) -> None:
    """Raise FulianError naming every character the print font cannot draw (never a silent blank box)."""
    missing = [c for c in unprintable_in(t for t in record_texts if t) if c not in DRAWN_GLYPHS]
    if missing:
        shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing)
        raise FulianError(
            f"以下字符无法打印：{shown}。打印字体里没有这些字，请改用规范汉字或常用符号后再打印。"
        )


def check_case(kind: str, record: Any, office_name: str) -> None:
    check_printable([office_name, *form_for(kind).texts(record)])


def render_case(kind: str, record: Any, office_name: str, printed_on: dt.date) -> bytes:
    """The PDF of `record` on the form for `kind`, after checking that every character can print. A text longer
    than its field's limit (a record saved before the limits existed) prints cut to it, ending in “…”: the forms
    are laid out for every text within the limits."""
    form = form_for(kind)
    check_case(kind, record, office_name)
    return form.render(limits.fitted(record), office_name, printed_on)


_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{dev}{i}" for dev in ("COM", "LPT") for i in range(1, 10))}


def safe_filename_part(text: str) -> str:
    """Text with the characters Windows refuses in file names removed (and no trailing dots)."""
    cleaned = _FORBIDDEN.sub("", " ".join((text or "").split())).strip(" .")
    return "" if cleaned.upper() in _RESERVED else cleaned


def suggested_filename(kind: str, record: Any) -> str:
    """e.g. 信访登记表_张三_2026-03-01.pdf"""
    form = form_for(kind)
    name, on = form.file_parts(record)
    parts = [safe_filename_part(form.title_for(record)), safe_filename_part(name), on.isoformat() if on else ""]
    stem = "_".join(p for p in parts if p)[:120]
    return f"{stem}.pdf"
