"""强制报告: whether the case must be reported to the police (the woman is a minor or 60 or older, or the clerk
names another ground), and recording the report when and to whom it was made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..domain import mandatory_report as rules
from ..domain.corrections import Correction, check_reason, compare, prefixed
from ..domain.dates import format_cn
from ..domain.errors import NotFound, RuleError
from ..domain.mandatory_report import Report
from ..store import cases, people
from ..store import mandatory_reports as store
from ..store import protection as thread_store
from . import corrections
from .context import Context
from .protection import check_handling


@dataclass
class Need:
    """What the case shows: the report recorded (made or still to make), or the ground the program found from her
    age with nothing recorded yet (`report` None), or nothing."""

    report: Report | None
    ground: str  # the ground recorded, or found from her age; '' none
    found_on: dt.date | None  # since when it is due

    @property
    def required(self) -> bool:
        return bool(self.ground)

    @property
    def done(self) -> bool:
        return self.report is not None and self.report.reported_on is not None


def need(ctx: Context, case_id: int) -> Need:
    check_handling(ctx, case_id)
    r = store.of_case(ctx.db, case_id)
    if r is not None:
        return Need(r, r.ground, r.found_on)
    h = cases.case_header(ctx.db, case_id)
    if h is None:
        raise NotFound("找不到这个案件")
    person_id = thread_store.woman_of(ctx.db, case_id)
    birth = people.get(ctx.db, person_id).birth_date if person_id is not None else None
    ground = rules.ground_from_birth(birth, h["received_on"])
    return Need(None, ground, h["received_on"] if ground else None)


def mark_required(ctx: Context, case_id: int, ground: str, found_on: dt.date | None, note: str = "") -> None:
    """The clerk found that she cannot protect herself (disabled, seriously ill, without capacity …): the report is
    due from `found_on`."""
    check_handling(ctx, case_id, "protection.write")
    note = rules.validate_ground(ground, found_on, note, ctx.today())
    existing = store.of_case(ctx.db, case_id)
    if existing is not None and existing.reported_on is not None:
        raise RuleError("已经报案，不需要再标记")
    assert found_on is not None
    r = Report(ground=ground, found_on=found_on, note=note, staff=ctx.who())
    now = ctx.now()
    with ctx.action() as db:
        store.save(db, case_id, r, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "须强制报告",
                           f"她是{rules.GROUNDS[ground]}，{format_cn(found_on)}起须向公安机关报案")


def record_report(ctx: Context, case_id: int, reported_on: dt.date | None, reported_to: str, way: str = "",
                  receipt_no: str = "", note: str = "") -> None:
    """The report made: when, to which police station, how, its receipt number."""
    check_handling(ctx, case_id, "protection.write")
    n = need(ctx, case_id)
    ground = n.ground or "other"
    found_on = n.found_on or (reported_on or ctx.today())
    r = rules.validate_report(Report(ground=ground, found_on=found_on, reported_on=reported_on,
                                     reported_to=reported_to, way=way, receipt_no=receipt_no, note=note,
                                     staff=ctx.who()), ctx.today())
    assert r.reported_on is not None
    late = (r.reported_on - r.found_on).days
    now = ctx.now()
    with ctx.action() as db:
        store.save(db, case_id, r, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "强制报告",
                           f"{format_cn(r.reported_on)}向{r.reported_to}报案" + (f"（{r.way}）" if r.way else "")
                           + (f"，回执号{r.receipt_no}" if r.receipt_no else "")
                           + (f"（发现后{late}天才报告）" if late > 0 else ""))


REPORT_LABELS = {"reported_on": "报案日期", "reported_to": "报告的公安机关", "way": "报告方式", "receipt_no": "回执号",
                 "note": "说明"}


def correct_report(ctx: Context, case_id: int, reported_on: dt.date | None, reported_to: str, way: str = "",
                   receipt_no: str = "", note: str = "", reason: str = "") -> list[Correction]:
    """The report recorded wrongly (its day, the station, how, the receipt number): only what changed is written,
    the 更正 line goes into the timeline, the trail keeps the reason (needed once a paper of the case was printed)."""
    check_handling(ctx, case_id, "protection.write")
    saved = store.of_case(ctx.db, case_id)
    if saved is None or saved.reported_on is None:
        raise RuleError("还没有记录报案，不需要更正")
    fixed = rules.validate_report(replace(saved, reported_on=reported_on, reported_to=reported_to, way=way,
                                          receipt_no=receipt_no, note=note), ctx.today())

    def values(r: Report) -> dict[str, object]:
        return {"reported_on": r.reported_on, "reported_to": r.reported_to, "way": r.way, "receipt_no": r.receipt_no,
                "note": r.note}

    changes = compare(values(saved), values(fixed), prefixed(REPORT_LABELS, "强制报告的"))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.save(db, case_id, fixed, now)  # the staff who reported stays
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
    return changes
