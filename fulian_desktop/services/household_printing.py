"""Print the household forms: the 帮扶手册 card, one visit's 走访慰问记录表, the month's 走访计划表.

Each returns the PDF and a suggested file name; a character the print font lacks raises FulianError
(naming it) before anything is laid out. reportlab loads on the first print, not at start-up.
"""

from __future__ import annotations

import datetime as dt

from . import audit, households, settings
from .context import Context


def _office(ctx: Context, office_name: str | None) -> str:
    return (office_name or "").strip() or settings.office_name(ctx)


def print_card(ctx: Context, case_id: int, office_name: str | None = None) -> tuple[bytes, str]:
    from .. import documents

    ctx.require("case.print")
    h = households.get(ctx, case_id)
    pdf = documents.render_case("household", h, _office(ctx, office_name), ctx.today())
    audit.printed(ctx, case_id, "household")
    return pdf, documents.suggested_filename("household", h)


def print_visit(ctx: Context, visit_id: int, office_name: str | None = None) -> tuple[bytes, str]:
    from .. import documents
    from ..documents.household_forms import VisitSheet

    ctx.require("case.print")
    h, v = households.visit(ctx, visit_id)
    sheet = VisitSheet(h, v)
    pdf = documents.render_case("household_visit", sheet, _office(ctx, office_name), ctx.today())
    audit.printed(ctx, v.case_id, "household_visit", target=f"visit:{visit_id}")
    return pdf, documents.suggested_filename("household_visit", sheet)


def print_month(
    ctx: Context, year: int, month: int, list_id: int | None = None, office_name: str | None = None
) -> tuple[bytes, str]:
    from .. import documents

    ctx.require("case.print")
    dt.date(year, month, 1)  # a month that exists
    plan = households.month_plan(ctx, year, month, list_id)
    pdf = documents.render_case("household_month", plan, _office(ctx, office_name), ctx.today())
    audit.printed(ctx, None, "household_month", target=f"{year:04d}-{month:02d}")
    return pdf, documents.suggested_filename("household_month", plan)
