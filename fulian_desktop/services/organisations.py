"""The organisation directory (机构名录) of every service: list, add, change, stop using an entry."""

from __future__ import annotations

from ..domain.errors import NotFound, ValidationError
from ..domain.referral import Organisation, validate_organisation
from ..store import organisations
from .context import Context


def directory(ctx: Context, include_inactive: bool = False, service: str = "") -> list[Organisation]:
    """The entries to choose from (active ones; those giving `service` when given), or all of them for the
    directory dialog."""
    ctx.require("lists.read")
    return organisations.all_(ctx.db, active_only=not include_inactive, service=service)


def get(ctx: Context, org_id: int) -> Organisation:
    ctx.require("lists.read")
    o = organisations.get(ctx.db, org_id)
    if o is None:
        raise NotFound("机构名录中找不到这个机构")
    return o


def save(ctx: Context, o: Organisation) -> int:
    """Add an entry (o.id None) or change one. Referrals already sent keep the details they were sent with."""
    ctx.require("referral.write")
    clean = validate_organisation(o)
    with ctx.action() as db:
        same = organisations.id_by_name(db, clean.name)
        if same is not None and same != clean.id:
            raise ValidationError({"name": "机构名录中已有同名的机构"})
        if clean.id is not None and organisations.get(db, clean.id) is None:
            raise NotFound("机构名录中找不到这个机构")
        return organisations.save(db, clean)


def set_active(ctx: Context, org_id: int, active: bool) -> None:
    """Stop offering an entry (or offer it again); it is never deleted."""
    ctx.require("referral.write")
    get(ctx, org_id)
    with ctx.action() as db:
        organisations.set_active(db, org_id, active)


def referral_count(ctx: Context, org_id: int) -> int:
    ctx.require("lists.read")
    return organisations.referral_count(ctx.db, org_id)
