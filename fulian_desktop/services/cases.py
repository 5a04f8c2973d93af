"""Lists, search and the start page, across every kind of case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..domain import supervision as supervision_rules
from ..domain.case_rows import CaseRow
from ..domain.dates import format_cn
from ..domain.deadlines import DUE_SOON_DAYS, Deadline
from ..domain.errors import NotFound, RuleError
from ..domain.filters import CaseFilter
from ..domain.masking import mask_text
from ..domain.supervision import Supervision
from ..store import cases, search
from .context import Context


def _with_today(ctx: Context, f: CaseFilter) -> CaseFilter:
    return f if f.today else replace(f, today=ctx.today())


COUNT_BOUND = search.COUNT_BOUND


def count(ctx: Context, f: CaseFilter, bound: int | None = None) -> int:
    """How many cases the filter finds; with `bound`, no more than bound + 1 are counted (a result above
    `bound` means "more than that": a search is then shown as 1,000+, its rows read on as they are scrolled to)."""
    ctx.require("cases.list")
    return search.count_cases(ctx.db, _with_today(ctx, f), bound)


def page(
    ctx: Context, f: CaseFilter, sort: str = "received_on", descending: bool = True, limit: int = 100,
    offset: int = 0, *, after: int | None = None, before: int | None = None, from_end: bool = False,
) -> list[CaseRow]:
    """A page of the list: at `offset` (from the end when `from_end`), or just after / before the case with that
    id (a row already shown), read on in order from the index."""
    ctx.require("cases.list")
    rows = search.list_cases(ctx.db, _with_today(ctx, f), sort, descending, limit, offset, after=after,
                             before=before, from_end=from_end)
    # lists and search results never show an ID number or a phone whole (the case page may)
    return [replace(r, names=mask_text(r.names), summary=mask_text(r.summary)) for r in rows]


def find(ctx: Context, text: str, limit: int = 50) -> list[CaseRow]:
    """The one search box: a case number, any part of a name, pinyin initials, ID number, phone, words."""
    ctx.require("cases.list")
    return page(ctx, CaseFilter(text=text), limit=limit)


def kind_of(ctx: Context, case_id: int) -> str:
    ctx.require("cases.list")
    header = cases.case_header(ctx.db, case_id)
    if header is None:
        raise NotFound("找不到这个案件")
    return str(header["kind"])


def kind_labels(ctx: Context, case_ids: list[int]) -> dict[int, str]:
    """How lists name each case's kind: a referral names its service (转介（庇护所/救助管理站）)."""
    ctx.require("cases.list")
    return cases.kind_labels(ctx.db, case_ids)


def id_for_number(ctx: Context, case_no: str) -> int:
    ctx.require("cases.list")
    text = case_no.strip()
    case_id = cases.id_by_case_no(ctx.db, text)
    if case_id is None:
        from ..domain.numbering import spellings

        case_id = next((found for no in spellings(text) if (found := cases.id_by_case_no(ctx.db, no))), None)
    if case_id is None:
        raise NotFound(f"找不到案件编号为“{case_no}”的案件")
    return case_id


@dataclass
class DueItem:
    row: CaseRow
    state: str  # overdue / due_soon
    text: str  # e.g. 办结已逾期3天


@dataclass
class DueCounts:
    overdue: int  # open cases whose clock has run out
    due_soon: int  # open cases due from today to a week from today (not yet overdue)


def due_counts(ctx: Context) -> DueCounts:
    """How many open cases are overdue and due this week, all of them (due_this_week lists the earliest)."""
    ctx.require("cases.list")
    overdue = count(ctx, CaseFilter(due="overdue"))
    return DueCounts(overdue, count(ctx, CaseFilter(due="due_soon")) - overdue)


def due_this_week(ctx: Context, limit: int = 200) -> list[DueItem]:
    """Open cases whose next deadline has passed or falls within the next seven days."""
    ctx.require("cases.list")
    today = ctx.today()
    rows = page(ctx, CaseFilter(due="due_soon", today=today), sort="due_on", descending=False, limit=limit)
    out = []
    for r in rows:
        assert r.due_on is not None
        text = Deadline(r.due_label, r.due_on).describe(today)
        out.append(DueItem(r, "overdue" if r.due_on < today else "due_soon", text))
    return out


def due_state(row: CaseRow, today: dt.date) -> str:
    if row.due_on is None:
        return ""
    if row.due_on < today:
        return "overdue"
    if (row.due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return ""


def intake_on(ctx: Context, day: dt.date) -> int:
    ctx.require("cases.list")
    return search.count_cases(ctx.db, CaseFilter(date_from=day, date_to=day))


def open_counts(ctx: Context) -> dict[str, int]:
    ctx.require("cases.list")
    rows = ctx.db.execute("SELECT kind, COUNT(*) FROM cases WHERE is_open = 1 GROUP BY kind").fetchall()
    return {r[0]: r[1] for r in rows}


def supervision(ctx: Context, case_id: int) -> Supervision | None:
    """The case's 督办, if the 主任 marked it."""
    ctx.require("cases.list")
    return cases.supervision_of(ctx.db, case_id)


def supervise(ctx: Context, case_id: int, note: str, on: dt.date) -> None:
    """督办: the 主任 marks the case, with what is asked and the date; it stands out wherever it is listed."""
    ctx.require("case.supervise")
    kind_of(ctx, case_id)
    note = supervision_rules.check_supervise(note, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        cases.set_supervision(db, case_id, on, note, ctx.who())
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), supervision_rules.MARK, f"{format_cn(on)}督办：{note}")


def lift_supervision(ctx: Context, case_id: int, note: str) -> None:
    """解除督办, with the reason."""
    ctx.require("case.supervise")
    if cases.supervision_of(ctx.db, case_id) is None:
        raise RuleError("这件案件没有督办")
    note = supervision_rules.check_lift(note)
    now = ctx.now()
    with ctx.action() as db:
        cases.set_supervision(db, case_id, None, "", "")
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "解除督办", note)
