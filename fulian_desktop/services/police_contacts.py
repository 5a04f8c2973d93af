"""告诫书 / 报警回执 and the follow-up visits (查访) after them: record one, plan, move or drop a visit, record it done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..domain import limits
from ..domain import police_contact as rules
from ..domain.corrections import Correction, check_reason, compare, prefixed
from ..domain.dates import format_cn
from ..domain.errors import NotFound, RuleError, ValidationError
from ..domain.police_contact import FollowUp, PoliceContact
from ..store import cases
from ..store import police_contacts as store
from . import corrections
from .context import Context
from .protection import check_handling


@dataclass
class Thread:
    """The case's police contacts and their visits, as the 家暴防护 tab shows them."""

    contacts: list[PoliceContact]
    follow_ups: list[FollowUp]


def of_case(ctx: Context, case_id: int) -> Thread:
    check_handling(ctx, case_id)
    return Thread(store.contacts_of(ctx.db, case_id), store.follow_ups_of(ctx.db, case_id))


def record(ctx: Context, case_id: int, contact: PoliceContact, plan: list[dt.date] | None = None) -> int:
    """A 告诫书 or 报警回执 received; for a 告诫书 the follow-up visits are planned (`plan`, or the default rhythm:
    a week, a month, three months after it). Returns its id."""
    check_handling(ctx, case_id, "protection.write")
    today = ctx.today()
    c = rules.validate_contact(contact, today)
    c.staff = ctx.who(c.staff)
    dates = rules.schedule(c.issued_on) if plan is None and c.kind == "warning" else list(plan or [])
    dates = rules.validate_plan(dates, c.issued_on, today)
    now = ctx.now()
    with ctx.action() as db:
        contact_id = store.add_contact(db, case_id, c, now)
        for d in dates:
            store.add_follow_up(db, case_id, contact_id, d, now)
        visits = f"；计划查访：{'、'.join(format_cn(d) for d in dates)}" if dates else ""
        cases.add_timeline(db, case_id, now, ctx.who(), f"收到{c.title}", rules.contact_line(c) + visits)
    return contact_id


REASON_MAX = 200  # why a planned visit is dropped
CONTACT_LABELS = {"kind": "类别", "station": "出具的公安机关", "issued_on": "出具日期", "number": "编号", "note": "说明"}


def correct_contact(ctx: Context, case_id: int, contact_id: int, form: PoliceContact,
                    reason: str = "") -> list[Correction]:
    """A 告诫书 or 回执 recorded wrongly (the station, the date, the number …): only the changed fields are written,
    the 更正 line goes into the timeline. The planned visits stay as they are (改期 moves them)."""
    check_handling(ctx, case_id, "protection.write")
    saved = store.contact(ctx.db, contact_id)
    if saved is None or saved.case_id != case_id:
        raise NotFound("找不到这份告诫书（回执）")
    c = rules.validate_contact(form, ctx.today())
    done = [f for f in store.follow_ups_of(ctx.db, case_id) if f.contact_id == contact_id and f.done_on is not None]
    if any(f.done_on < c.issued_on for f in done if f.done_on is not None):
        raise ValidationError({"issued_on": "已记录的查访早于这个日期，请核对出具日期"})

    def values(x: PoliceContact) -> dict[str, object]:
        return {"kind": rules.KINDS.get(x.kind, x.kind), "station": x.station, "issued_on": x.issued_on,
                "number": x.number, "note": x.note}

    changes = compare(values(saved), values(c), prefixed(CONTACT_LABELS, f"{saved.title}的"))
    if not changes:
        return []
    reason = check_reason(reason, [])
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.update_contact(db, contact_id, c)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
    return changes


def _follow_up(ctx: Context, case_id: int, follow_up_id: int) -> tuple[FollowUp, PoliceContact]:
    f = store.follow_up(ctx.db, follow_up_id)
    if f is None or f.case_id != case_id or f.contact_id is None:
        raise NotFound("找不到这次查访")
    c = store.contact(ctx.db, f.contact_id)
    assert c is not None
    return f, c


def plan_visit(ctx: Context, case_id: int, contact_id: int, on: dt.date) -> int:
    """One more follow-up visit planned after the 告诫书 (or 回执)."""
    check_handling(ctx, case_id, "protection.write")
    c = store.contact(ctx.db, contact_id)
    if c is None or c.case_id != case_id:
        raise NotFound("找不到这份告诫书（回执）")
    rules.validate_plan([on], c.issued_on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        follow_up_id = store.add_follow_up(db, case_id, contact_id, on, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "计划查访", f"{c.title}后查访：{format_cn(on)}")
    return follow_up_id


def move_visit(ctx: Context, case_id: int, follow_up_id: int, on: dt.date) -> None:
    """A planned visit moved to another day."""
    check_handling(ctx, case_id, "protection.write")
    f, c = _follow_up(ctx, case_id, follow_up_id)
    if f.done_on is not None:
        raise RuleError("这次查访已经记录，不能再改计划日期")
    try:
        rules.validate_plan([on], c.issued_on, ctx.today())
    except ValidationError as e:
        raise ValidationError({"on": next(iter(e.errors.values()))}) from None
    now = ctx.now()
    with ctx.action() as db:
        store.move(db, follow_up_id, on)
        cases.add_timeline(db, case_id, now, ctx.who(), "调整查访", f"{format_cn(f.due_on)}的查访改为{format_cn(on)}")


def drop_visit(ctx: Context, case_id: int, follow_up_id: int, reason: str) -> None:
    """A planned visit no longer needed (she moved away, the case ended …), with the reason."""
    check_handling(ctx, case_id, "protection.write")
    f, _c = _follow_up(ctx, case_id, follow_up_id)
    if f.done_on is not None:
        raise RuleError("这次查访已经记录，不能取消")
    errors: dict[str, str] = {}
    reason = limits.clean_text(reason, "reason", "取消的原因", errors, most=REASON_MAX, required="请写明取消这次查访的原因",
                               multiline=False)
    if errors:
        raise ValidationError(errors)
    now = ctx.now()
    with ctx.action() as db:
        store.drop(db, follow_up_id)
        cases.add_timeline(db, case_id, now, ctx.who(), "取消查访", f"{format_cn(f.due_on)}的查访：{reason}")


def record_visit(ctx: Context, case_id: int, follow_up_id: int, done_on: dt.date, with_whom: str,
                 finding: str) -> None:
    """A follow-up visit done: the day, with whom, what was found."""
    check_handling(ctx, case_id, "protection.write")
    f, c = _follow_up(ctx, case_id, follow_up_id)
    if f.done_on is not None:
        raise RuleError("这次查访已经记录过了")
    f.done_on, f.with_whom, f.finding = done_on, with_whom, finding
    f = rules.validate_done(f, ctx.today(), c.issued_on)
    f.staff = ctx.who()
    now = ctx.now()
    late = (f.done_on - f.due_on).days if f.done_on else 0
    with ctx.action() as db:
        store.record_done(db, follow_up_id, f)
        cases.add_timeline(db, case_id, now, ctx.who(), "查访",
                           f"{format_cn(f.done_on)}与{f.with_whom}查访（计划{format_cn(f.due_on)}"
                           + (f"，晚{late}天" if late > 0 else "") + "）")  # what was found: on the 家暴防护 page only


VISIT_LABELS = {"done_on": "查访日期", "with_whom": "与谁查访", "finding": "查访情况"}


def correct_visit(ctx: Context, case_id: int, follow_up_id: int, done_on: dt.date | None, with_whom: str,
                  finding: str, reason: str = "") -> list[Correction]:
    """A 查访 recorded wrongly (the day, with whom, what was found): only the changed fields are written, the 更正 line
    goes into the timeline and the trail keeps the reason (needed once a paper of the case was printed)."""
    check_handling(ctx, case_id, "protection.write")
    saved, c = _follow_up(ctx, case_id, follow_up_id)
    if saved.done_on is None:
        raise RuleError("这次查访还没有记录，不需要更正")
    fixed = rules.validate_done(replace(saved, done_on=done_on, with_whom=with_whom, finding=finding), ctx.today(),
                                c.issued_on)

    def values(f: FollowUp) -> dict[str, object]:
        return {"done_on": f.done_on, "with_whom": f.with_whom, "finding": f.finding}

    changes = compare(values(saved), values(fixed), prefixed(VISIT_LABELS, f"{format_cn(saved.due_on)}计划的"))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.record_done(db, follow_up_id, fixed)  # the staff who did it stays
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
    return changes
