"""Print a case: load it, check every character can print, lay out its form as PDF."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .. import documents
from ..domain.errors import FulianError
from . import audit, cases, settings
from .context import Context


def _household_card(ctx: Context, case_id: int) -> Any:
    """The household with its latest photo (附件 of the kind 照片, not a visit's) for the 帮扶手册 card."""
    from ..domain.attachments import is_image
    from . import attachments, households

    h = households.get(ctx, case_id)
    photos = [a for a in attachments.of_case(ctx, case_id) if a.kind == "照片" and a.visit_id is None
              and is_image(a.media)]
    if photos:
        h.photo = attachments.printable(ctx, photos[-1])
    return h


def _service(module: str, name: str) -> Callable[[Context, int], Any]:
    """The service function `module.name`, imported when a case of its kind is printed (printing a petition does
    not load the mediation's or the household's services)."""
    def load(ctx: Context, case_id: int) -> Any:
        return getattr(importlib.import_module(f".{module}", __package__), name)(ctx, case_id)
    return load


# how each kind of case is loaded for printing (later kinds add themselves here)
LOADERS: dict[str, Callable[[Context, int], Any]] = {
    "petition": _service("petitions", "get"),
    "referral": _service("referrals", "get_for_print"),  # only with her consent to share her details
    "household": _household_card,  # the 帮扶手册 card, with the household's photo
    "mediation": _service("mediations", "printable"),  # the whole file (卷宗); its documents one by one: print_document
    "referral.copies": _service("referrals", "get_with_copies"),  # a document that needs more than its kind's record
}


def print_case(ctx: Context, case_id: int, office_name: str | None = None) -> tuple[bytes, str]:
    """The case's form as PDF bytes and a suggested file name. Raises FulianError (with a message for
    the user) when the case is missing, its kind has no form yet, or a character cannot print."""
    ctx.require("case.print")
    kind = cases.kind_of(ctx, case_id)
    loader = LOADERS.get(kind)
    if loader is None or not documents.has_form(kind):
        raise FulianError("这类案件还没有可打印的表格")
    record = loader(ctx, case_id)
    office = (office_name or "").strip() or settings.office_name(ctx)
    pdf = documents.render_case(kind, record, office, ctx.today())  # checks first that every character prints
    audit.printed(ctx, case_id, kind)
    return pdf, documents.suggested_filename(kind, record)


def print_document(ctx: Context, case_id: int, document: str, office_name: str | None = None) -> tuple[bytes, str]:
    """One further document of a case (registered as the form "<kind>.<document>", e.g. the mediation's
    "mediation.agreement" 人民调解协议书): PDF bytes and a suggested file name."""
    ctx.require("case.print")
    kind = cases.kind_of(ctx, case_id)
    form_kind = f"{kind}.{document}"
    loader = LOADERS.get(form_kind, LOADERS.get(kind))
    if loader is None or not documents.has_form(form_kind):
        raise FulianError("这类案件没有这份文书")
    record = loader(ctx, case_id)
    office = (office_name or "").strip() or settings.office_name(ctx)
    pdf = documents.render_case(form_kind, record, office, ctx.today())
    audit.printed(ctx, case_id, form_kind)
    return pdf, documents.suggested_filename(form_kind, record)
