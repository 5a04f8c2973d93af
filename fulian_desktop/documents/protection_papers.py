"""The protection-order papers of a domestic-violence case: 人身安全保护令申请书, 情况证明 (from the office's own
records, to be signed and sealed) and 延长人身安全保护令申请书 — each printed from what the case kept when it was
issued (domain.protection_order.Paper, in table case_documents), so a reprint is the same paper, byte for byte.

An application in the office's usual form: the parties in a ruled table, the 请求事项 / 事实与理由 / 证据清单 as ruled
text rows, then 此致 and the court, and the lines she signs (with the office's seal when it applies on her behalf).
The 情况证明 is a letter: what the office's records show, numbered, and the office's seal with the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.units import mm

from ..domain.dates import format_cn
from ..domain.protection_order import Paper
from ..domain.records import CaseDocument
from . import layout as L
from .binder import seal_block
from .petition_letters import LETTER_SIZE, voided_words
from .registry import FormKind, register

# label | value | label | value   (170 mm)
W4 = [26 * mm, 59 * mm, 26 * mm, 59 * mm]
WHOLE_ROW = ("住址", "被申请人住址", "法定代理人")  # a label with the table's width for its value


def _para(text: str, *, indent: bool = True) -> L.CJKText:
    return L.CJKText(text, LETTER_SIZE, align="justify", indent=indent)


def _table(paper: Paper) -> list[L.Flowable]:
    form = L.Form(W4)
    rows = [r for r in paper.rows if r != ("", "")]
    cells: list[list[L.Cell]] = []
    pairs = list(rows)
    i = 0
    while i < len(pairs):
        label, value = pairs[i]
        if label in WHOLE_ROW or i + 1 >= len(pairs):
            cells.append([L.label(label), L.value(value, span=3)])
            i += 1
            continue
        label2, value2 = pairs[i + 1]
        if label2 in WHOLE_ROW:
            cells.append([L.label(label), L.value(value, span=3)])
            i += 1
            continue
        cells.append([L.label(label), L.names(value) if label in ("申请人", "被申请人") else L.value(value),
                      L.label(label2), L.value(value2)])
        i += 2
    form.rows(*cells)
    for heading, text in paper.sections:
        form.text(heading, text, min_lines=6 if heading == "事实与理由" else 2, indent=heading == "事实与理由")
    return form.flowables()


def story(paper: Paper, voided: str = "") -> list[L.Flowable]:
    parts: list[L.Flowable] = []
    if voided:
        mark = L.CJKText(voided, L.BODY_SIZE, bold=True)
        mark.spaceAfter = 2 * mm
        parts.append(mark)
    date = format_cn(paper.issued_on)
    if paper.rows:  # an application: the table, 此致 the court, her signature (and the office's seal)
        parts += _table(paper)
        to = [L.CJKText(paper.closing[0], LETTER_SIZE, indent=True)] if paper.closing else []
        to += [L.CJKText(x, LETTER_SIZE) for x in paper.closing[1:]]
        for t in to:
            t.spaceBefore = 2 * mm
        ending: list[L.Flowable] = [*to, L.signature_block(paper.signers, space_before=4 * mm)]
        if paper.seal:
            ending.append(seal_block(f"代为申请：{paper.seal}", date, space_before=4 * mm))
        else:
            ending.append(L.note(f"出具日期：{date}"))
        return [*parts, L.keep_together(*ending)]
    # a letter: the opening, the numbered records, the closing, the seal
    opening, *closing = paper.closing
    parts.append(_para(opening))
    for heading, text in paper.sections:
        head = _para(f"{heading}：", indent=True)
        head.spaceBefore = 1 * mm
        parts.append(head)
        parts += [_para(line) for line in text.split("\n") if line]
    parts += [_para(x) for x in closing]
    foot: list[L.Flowable] = []
    if paper.signers:  # who signs it, above the office's seal
        foot.append(L.signature_block(paper.signers, date=False, space_before=6 * mm))
    foot.append(seal_block(paper.seal or paper.office, date, space_before=4 * mm))
    return [*parts, L.keep_together(*foot)]


def render_paper(paper: Paper, voided: str = "") -> bytes:
    return L.build(paper.title, story(paper, voided), fields=[paper.office, f"编号：{paper.case_no}"],
                   author=paper.office, subject=paper.title)


def render(d: CaseDocument, _office_name: str, _printed_on: dt.date) -> bytes:
    return render_paper(Paper.from_content(d.content), voided_words(d))


def texts(d: CaseDocument) -> Iterator[str]:
    yield from Paper.from_content(d.content).texts()
    yield voided_words(d)


def file_parts(d: CaseDocument) -> tuple[str, dt.date | None]:
    paper = Paper.from_content(d.content)
    return (paper.rows[0][1] if paper.rows else ""), d.issued_on


FORM = register(FormKind("protection_paper", "家暴防护文书", render, texts, file_parts))
