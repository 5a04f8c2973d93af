"""家暴防护: which cases have the thread, and who may see it.

The thread (risk assessments, safety plans, police contact, protection orders …) is the most sensitive data
here: only the roles that handle cases read or write it (protection.read / protection.write), and only on a case
of a kind their account may write (`check_handling`): a window clerk on a petition, a mediator on a mediation."""

from __future__ import annotations

from ..domain.errors import NotFound
from ..store import cases as case_store
from ..store import protection as store
from .context import Context


def check_handling(ctx: Context, case_id: int, permission: str = "protection.read") -> str:
    """`permission` first, then the right to write the case's kind (the roles that handle it); the kind."""
    ctx.require(permission)
    header = case_store.case_header(ctx.db, case_id)
    if header is None:
        raise NotFound("找不到这个案件")
    kind = str(header["kind"])
    ctx.require(f"{kind}.write")
    return kind


def shows_thread(ctx: Context, case_id: int) -> bool:
    """The case page shows 家暴防护: the case is about domestic violence and the account handles it."""
    ctx.require("protection.read")
    header = case_store.case_header(ctx.db, case_id)
    if header is None or not ctx.may(f"{header['kind']}.write"):
        return False
    return store.is_dv_case(ctx.db, case_id)
