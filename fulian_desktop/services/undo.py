"""Undoing a case's last status step done by mistake (受理 pressed instead of 不予受理): only the 主任
(permission "case.undo"), only the last status change, with a reason.

The audit trail holds the step: the fields it changed, with their values before and after. Undoing puts
those fields back, recomputes the case's clock, and records itself — in the timeline (撤销上一步, with the
reason) and in the trail (撤销上一步, with the reason and the entry it undoes). The timeline keeps the line
of the step that was undone. A step cannot be undone when a field it changed has been changed again since,
when it also added or removed other records (a session, an agreement item, a linked case), or when the last
status change was itself an undoing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..domain.audit import Change, field_label
from ..domain.corrections import UNDO_ACTION, LastStep, undo_note, undo_step_note
from ..domain.errors import RuleError, ValidationError
from ..domain.masking import mask_text
from ..domain.statuses import status_label
from ..store import audit as audit_store
from ..store import case_documents, cases, search
from . import households, mediations, petitions, referrals
from .context import Context
from .protection import check_handling

if TYPE_CHECKING:
    import sqlite_utils

# each kind's clock, recomputed from the case as it is once the step is undone
CLOCKS: dict[str, Callable[[sqlite_utils.Database, int], None]] = {
    "petition": petitions.refresh_clock,
    "referral": referrals.refresh_clock,
    "mediation": mediations.refresh_clock,
    "household": households.refresh_clock,
}
# fields the clock sets: recomputed, never put back
_RECOMPUTED = {("cases", "due_on"), ("cases", "due_label"), ("cases", "is_open")}
# rows a step may add and that stay when it is undone: its line in the timeline; a document it issued (a notice
# may already be in her hands), which stays among the case's documents marked void with the reason
_KEPT_ADDITIONS = {"timeline", "case_documents"}
REASON_MAX = 200


def _reverted(changes: list[Change]) -> list[Change]:
    """The fields to put back, once each: from the value before the step's first change of it to the value
    after its last."""
    out: dict[tuple[str, int, str], Change] = {}
    for c in changes:
        if c.op != "U" or c.tbl == "people" or (c.tbl, c.field) in _RECOMPUTED:
            continue
        key = (c.tbl, c.row_id, c.field)
        first = out.get(key)
        out[key] = Change(c.tbl, c.row_id, "U", c.field, first.old_value if first else c.old_value, c.new_value)
    return list(out.values())


def _step(db: sqlite_utils.Database, case_id: int) -> tuple[LastStep, list[Change]] | None:
    e = audit_store.last_status_entry(db, case_id)
    if e is None:
        return None
    d = e.details()
    kind = str(d.get("kind", ""))
    changes = audit_store.history_of(db, e.id)
    action = ""
    for c in changes:
        if c.tbl == "timeline" and c.op == "I":
            row = db.execute("SELECT action FROM timeline WHERE id = ?", [c.row_id]).fetchone()
            action = row[0] if row else action
    blocked = ""
    if e.event == "case.undo":
        blocked = "上一步就是撤销，不能再撤销；如需要，请重新办理这一步"
        action = UNDO_ACTION
    elif kind not in CLOCKS:
        blocked = "这类案件不能撤销上一步"
    elif audit_store.cases_created_with(db, e):
        blocked = "这一步同时登记了另一件案件（见关联案件），不能撤销；请在备注中说明，或更正相关内容"
    elif any(c.op in ("I", "D") and c.tbl not in _KEPT_ADDITIONS for c in changes):
        blocked = "这一步还登记了其他内容，不能直接撤销；请在备注中说明，或更正相关内容"
    else:
        for c in _reverted(changes):
            try:
                now = audit_store.value_now(db, c.tbl, c.row_id, c.field)
            except KeyError:
                blocked = "这一步改过的记录已不存在，不能撤销"
                break
            if now != c.new_value:
                blocked = f"这一步之后又修改过“{field_label(f'{c.tbl}.{c.field}')}”，不能撤销"
                break
    step = LastStep(
        entry_id=e.id, at=dt.datetime.fromisoformat(e.at), actor=e.actor_name or e.actor, action=action or "状态变更",
        kind=kind, from_status=str(d.get("from", "")), to_status=str(d.get("to", "")), blocked=blocked,
    )
    return step, changes


def last_step(ctx: Context, case_id: int) -> LastStep | None:
    """The case's last status change as the 主任 would undo it (None: there is none on record); its
    `blocked` says why it cannot be undone."""
    ctx.require("case.undo")
    found = _step(ctx.db, case_id)
    return found[0] if found else None


def _reason(reason: str) -> str:
    """The reason for an undo, on one line; ValidationError {"reason": …} when missing or too long."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请写明撤销的原因"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"原因不能超过{REASON_MAX}字"})
    return reason


def undo_last_step(ctx: Context, case_id: int, reason: str) -> LastStep:
    """Undo the case's last status change: the fields it changed go back, the clock is recomputed, the
    timeline and the audit trail say so with the reason. RuleError when there is nothing to undo or it
    cannot be undone; ValidationError {"reason": …} without a reason."""
    ctx.require("case.undo")
    found = _step(ctx.db, case_id)
    if found is None:
        raise RuleError("这件案件没有可以撤销的状态变更")
    step, changes = found
    if step.blocked:
        raise RuleError(step.blocked)
    reason = _reason(reason)
    now = ctx.now()
    with ctx.action(event="case.undo", detail={"reason": mask_text(reason), "undoes": step.entry_id}) as db:
        for c in _reverted(changes):
            audit_store.put_back(db, c.tbl, c.row_id, c.field, c.old_value)
        for c in changes:
            if c.tbl == "case_documents" and c.op == "I":
                case_documents.void(db, c.row_id, now.date(), reason)
        CLOCKS[step.kind](db, case_id)
        cases.update_case(db, case_id, now)
        note = undo_note(step, status_label(step.kind, step.to_status), status_label(step.kind, step.from_status),
                         reason)
        cases.add_timeline(db, case_id, now, ctx.who(), UNDO_ACTION, note)
        search.reindex(db, case_id)
    return step


# --- the 家暴防护 steps -------------------------------------------------------------------------------------------
# Recorded by mistake (or on the wrong case), the last of these steps is undone the same way, by the 主任 with a
# reason: what the step wrote in its own table goes back (a 查访 is planned again, a violation or its report taken
# back, the report to the police still to make), its timeline line stays and 撤销上一步 is added. The service call
# that made the step (the trail's operation) → its word.
PROTECTION_STEPS: dict[str, str] = {
    "police_contacts.record_visit": "查访",
    "protection_orders.record_violation": "违反保护令",
    "protection_orders.report_violation": "报告违反保护令",
    "mandatory_reports.record_report": "强制报告",
}
_PROTECTION_TABLES = {"police_follow_ups", "order_violations", "mandatory_reports"}
_UNDO_PROTECTION = "undo.undo_protection_step"


def _protection_step(db: sqlite_utils.Database, case_id: int) -> tuple[LastStep, list[Change]] | None:
    e = audit_store.last_entry_of(db, case_id, (*PROTECTION_STEPS, _UNDO_PROTECTION))
    if e is None:
        return None
    changes = [c for c in audit_store.history_of(db, e.id) if c.tbl in _PROTECTION_TABLES]
    blocked = ""
    if e.operation == _UNDO_PROTECTION:
        blocked = "上一步就是撤销，不能再撤销；如需要，请重新记录"
    elif any(audit_store.changed_after(db, c.tbl, c.row_id, e.id) for c in changes):
        blocked = "这一步记录的内容之后又更正或办理过，不能撤销；请更正相关内容"
    step = LastStep(entry_id=e.id, at=dt.datetime.fromisoformat(e.at), actor=e.actor_name or e.actor,
                    action=PROTECTION_STEPS.get(e.operation, UNDO_ACTION), kind="protection", from_status="",
                    to_status="", blocked=blocked)
    return step, changes


def last_protection_step(ctx: Context, case_id: int) -> LastStep | None:
    """The case's last 家暴防护 step (查访, 违反保护令 and its report, 强制报告) as the 主任 would undo it (None: there
    is none on record); its `blocked` says why it cannot be undone."""
    ctx.require("case.undo")
    check_handling(ctx, case_id)
    found = _protection_step(ctx.db, case_id)
    return found[0] if found else None


def undo_protection_step(ctx: Context, case_id: int, reason: str) -> LastStep:
    """Undo the case's last 家暴防护 step: what it wrote goes back, the timeline and the audit trail say so with the
    reason. RuleError when there is nothing to undo or it cannot be undone; ValidationError {"reason": …}."""
    ctx.require("case.undo")
    check_handling(ctx, case_id)
    found = _protection_step(ctx.db, case_id)
    if found is None:
        raise RuleError("这件案件没有可以撤销的家暴防护记录")
    step, changes = found
    if step.blocked:
        raise RuleError(step.blocked)
    reason = _reason(reason)
    now = ctx.now()
    added = {(c.tbl, c.row_id) for c in changes if c.op == "I"}
    with ctx.action(event="case.undo", detail={"reason": mask_text(reason), "undoes": step.entry_id}) as db:
        for c in _reverted(changes):
            if (c.tbl, c.row_id) not in added:
                audit_store.put_back(db, c.tbl, c.row_id, c.field, c.old_value)
        for tbl, row_id in sorted(added):
            audit_store.take_out(db, tbl, row_id)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), UNDO_ACTION, undo_step_note(step.action, reason))
    return step
