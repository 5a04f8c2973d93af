"""The documents a case has, and printing one of them: the case's own form (信访登记表, 法律援助转介函 …), the
further documents its kind prints (a mediation's 调解协议书 …), and the documents it issued (a petition's notices and
opinions), each of those printed as it was issued."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.dates import format_cn
from ..domain.errors import FulianError, NotFound
from ..store import case_documents
from . import audit, cases, dv_risk, printing, protection, safety_plans
from .context import Context


@dataclass(frozen=True)
class DocumentEntry:
    number: int  # its place in the list, from 1 (what `print --doc 3` names)
    title: str  # 信访登记表 / 受理告知书 …
    issued_on: dt.date | None  # an issued document's date
    note: str  # 当场告知 / 已作废（…）
    form: str = ""  # the case's own form ("") or a kind's document key ("agreement")
    doc_id: int | None = None  # an issued document

    @property
    def label(self) -> str:
        """One line of a list: 受理告知书　2026年3月3日　当场告知."""
        return "　".join(x for x in (self.title, format_cn(self.issued_on), self.note) if x)


def list_documents(ctx: Context, case_id: int) -> list[DocumentEntry]:
    """Every document of the case, numbered: its own form, its kind's further documents, then what it issued
    (oldest first)."""
    ctx.require("case.print")
    from .. import documents  # the registry: reportlab loads with it

    kind = cases.kind_of(ctx, case_id)
    out: list[DocumentEntry] = []
    if kind in documents.kinds():
        out.append(DocumentEntry(1, _own_title(ctx, kind, case_id), None, ""))
    for key in documents.kinds():
        if key.startswith(f"{kind}."):
            out.append(DocumentEntry(len(out) + 1, documents.form_for(key).title, None, "",
                                     form=key.removeprefix(f"{kind}.")))
    handles = ctx.may("protection.read") and protection.shows_thread(ctx, case_id)
    for d in case_documents.of_case(ctx.db, case_id):
        if not handles and documents.issued_form(d.doc) == "protection_paper":
            continue  # her protection-order papers: only for the roles that handle the case
        note = d.way if d.voided_on is None else f"已作废（{format_cn(d.voided_on)}）"
        out.append(DocumentEntry(len(out) + 1, d.title, d.issued_on, note, doc_id=d.id))
    for title, on, note, form in protection.papers(ctx, case_id):  # her 家暴防护 papers, for those who handle it
        out.append(DocumentEntry(len(out) + 1, title, on, note, form=form))
    return out


def _own_title(ctx: Context, kind: str, case_id: int) -> str:
    """The case's own form's title: the record's own where it depends on the record (a referral's letter names
    its service), else the form's."""
    from .. import documents

    form = documents.form_for(kind)
    if form.title_of is None or kind not in printing.LOADERS:
        return form.title
    try:
        return form.title_for(printing.LOADERS[kind](ctx, case_id))
    except FulianError:  # not printable yet (a referral before her consent): the form's own title
        return form.title


def find(entries: list[DocumentEntry], wanted: str) -> DocumentEntry:
    """The entry `wanted` names: its number in the list, or its title (the latest that stands, when the case
    issued several of one title). NotFound with the titles there are."""
    wanted = " ".join(wanted.split())
    if wanted.isdigit():
        for e in entries:
            if e.number == int(wanted):
                return e
    named = [e for e in entries if e.title == wanted]
    standing = [e for e in named if not e.note.startswith("已作废")]
    if standing or named:
        return (standing or named)[-1]
    there = "、".join(dict.fromkeys(e.title for e in entries)) or "（没有）"
    raise NotFound(f"这件案件没有“{wanted}”。它的文书有：{there}")


def print_entry(ctx: Context, case_id: int, entry: DocumentEntry) -> tuple[bytes, str]:
    """One document of the case as PDF bytes and a suggested file name."""
    ctx.require("case.print")
    if entry.doc_id is None:
        if entry.form == "risk_assessment":
            return dv_risk.print_assessment(ctx, case_id)
        if entry.form in ("safety_plan", "safety_plan_plain"):
            return safety_plans.print_plan(ctx, case_id, plain=entry.form == "safety_plan_plain")
        if entry.form:
            return printing.print_document(ctx, case_id, entry.form)
        return printing.print_case(ctx, case_id)
    return print_issued(ctx, entry.doc_id)


def print_issued(ctx: Context, doc_id: int) -> tuple[bytes, str]:
    """A document the case issued, printed from what was kept when it was issued: the same paper every time."""
    ctx.require("case.print")
    from .. import documents
    from ..documents.registry import safe_filename_part

    d = case_documents.get(ctx.db, doc_id)
    if d is None or d.case_id is None:
        raise NotFound("找不到这份文书")
    kind = cases.kind_of(ctx, d.case_id)
    ctx.require(f"{kind}.read")
    form = documents.issued_form(d.doc)
    if form == "protection_paper":  # a paper of her 家暴防护 thread: only for the roles that handle the case
        protection.check_handling(ctx, d.case_id)
    try:
        pdf = documents.render_case(form, d, "", ctx.today())
    except (KeyError, TypeError, ValueError):
        raise FulianError("这份文书保存的内容无法读取，不能打印；请联系管理员") from None
    audit.printed(ctx, d.case_id, f"{kind}.{d.doc}", target=str(doc_id))
    name, on = documents.form_for(form).file_parts(d)
    stem = "_".join(x for x in (safe_filename_part(d.title), safe_filename_part(name), on.isoformat() if on else "")
                    if x)[:120]
    return pdf, f"{stem}.pdf"
