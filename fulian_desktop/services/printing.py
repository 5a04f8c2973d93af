"""Print a case: load it, check every character can print, lay out its form as PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import documents
from ..domain.errors import FulianError
from . import cases, petitions
from .context import Context

OFFICE_NAME_KEY = "office_name"
DEFAULT_OFFICE_NAME = "县妇联"

# how each kind of case is loaded for printing (later kinds add themselves here)
LOADERS: dict[str, Callable[[Context, int], Any]] = {
    "petition": petitions.get,
}


def get_office_name(ctx: Context) -> str:
    """The office's name as printed on forms: settings 'office_name', else 县妇联."""
    # TODO: move into a store-level settings module when one exists (services should not write SQL).
    row = ctx.db.execute("SELECT value FROM settings WHERE key = ?", [OFFICE_NAME_KEY]).fetchone()
    name = " ".join(str(row[0]).split()) if row and row[0] else ""
    return name or DEFAULT_OFFICE_NAME


def print_case(ctx: Context, case_id: int, office_name: str | None = None) -> tuple[bytes, str]:
    """The case's form as PDF bytes and a suggested file name. Raises FulianError (with a message for
    the user) when the case is missing, its kind has no form yet, or a character cannot print."""
    kind = cases.kind_of(ctx, case_id)
    loader = LOADERS.get(kind)
    if loader is None or kind not in documents.kinds():
        raise FulianError("这类案件还没有可打印的表格")
    record = loader(ctx, case_id)
    office = (office_name or "").strip() or get_office_name(ctx)
    documents.check_case(kind, record, office)
    pdf = documents.render_case(kind, record, office, ctx.today())
    return pdf, documents.suggested_filename(kind, record)
