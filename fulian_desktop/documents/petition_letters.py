"""The petition's written documents: 受理告知书, 不予受理告知书, 转送告知书, 延期告知书, and the 处理意见书 /
答复意见书 — each printed from what the case kept when it was issued (domain.petition_course.Letter), so a reprint
is the same paper, page for page and byte for byte (nothing on it is of the day it is printed).

A letter in the office's usual form: the title, the office and the case number, the person it is written to, the
paragraphs (an opinion's headed sections under 一、二、三…, its result ticked), the office with its seal's place and
the date, and a ruled 送达 block she signs on the office's copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.units import mm

from ..domain.dates import format_cn
from ..domain.petition_course import NOTE_TWO_COPIES, TO_BODIES, Letter
from ..domain.records import CaseDocument
from . import layout as L
from .binder import BLANK_DATE, receipt_block, seal_block
from .registry import FormKind, register

LETTER_SIZE = 12.0  # 小四: the letter reads as a letter
NUMBERS = "一二三四五六七八九十"
# 送达: label | value | label | value   (170 mm)
SERVICE_WIDTHS = [26 * mm, 59 * mm, 26 * mm, 59 * mm]


def _para(text: str, *, indent: bool = True, bold: bool = False) -> L.CJKText:
    return L.CJKText(text, LETTER_SIZE, align="justify", indent=indent, bold=bold)


def _service(letter: Letter) -> list[L.Flowable]:
    """The 送达 block: how it was served, and her signature and date on the office's copy."""
    form = L.Form(SERVICE_WIDTHS)
    form.rows(
        [L.label("送达方式"), L.value(letter.way), L.label("送达人"), L.value(letter.staff)],
        [L.label("信访人签收"), L.value(""), L.label("签收日期"), L.value(BLANK_DATE, align="right")],
        keep_together=True,
    )
    return form.flowables()


def story(letter: Letter, voided: str = "") -> list[L.Flowable]:
    parts: list[L.Flowable] = []
    if voided:
        mark = L.CJKText(voided, L.BODY_SIZE, bold=True)
        mark.spaceAfter = 2 * mm
        parts.append(mark)
    parts.append(L.CJKText(f"{letter.addressee}：", LETTER_SIZE))
    parts += [_para(p) for p in letter.paragraphs]
    if letter.choice is not None:
        label, options, chosen = letter.choice
        line = _para(f"{label}：{L.choices(options, chosen)}")
        parts.append(line)
    for i, (heading, text) in enumerate(letter.sections):
        head = _para(f"{NUMBERS[i] if i < len(NUMBERS) else i + 1}、{heading}", bold=True)
        head.spaceBefore = 1 * mm
        parts += [head, _para(text)]
    for i, text in enumerate(letter.closing):
        para = _para(text)
        if i == 0 and letter.sections:
            para.spaceBefore = 2 * mm  # the closing words are not part of the last section
        parts.append(para)
    seal = seal_block(letter.office, format_cn(letter.issued_on), space_before=6 * mm)
    if letter.doc in TO_BODIES:  # written to a body: its seal, and for a 转送函 the receipt it returns
        parts.append(seal)
        if letter.doc == "transfer_out":
            parts.append(receipt_block(
                f"{letter.office}：\n贵会于{format_cn(letter.issued_on)}转送的{letter.values.get('receipt', '')}"
                f"（编号：{letter.case_no}），我单位办理情况如下：",
                ("信访事项", letter.values.get("receipt", "")), ("办理结果", ("已办结", "正在办理", "不属本单位职责")),
                "办理情况", f"请于{letter.values.get('due_on', '')}前填写本回执，交回或寄回{letter.office}。"))
        return parts
    service = _service(letter)
    note = L.note(NOTE_TWO_COPIES)
    return [*parts, L.keep_together(seal, L.spacer(5 * mm), *service, note)]  # the foot never alone on a page


def render_letter(letter: Letter, voided: str = "") -> bytes:
    """The letter as PDF bytes: the same letter gives the same bytes, whenever it is printed."""
    return L.build(
        letter.title,
        story(letter, voided),
        fields=[letter.office, f"编号：{letter.case_no}"],
        author=letter.office,
        subject=letter.title,
    )


def voided_words(d: CaseDocument) -> str:
    """The line a void document prints at its head ('' while it stands)."""
    if d.voided_on is None:
        return ""
    return f"本文书已于{format_cn(d.voided_on)}作废" + (f"（{d.voided_reason}）" if d.voided_reason else "") + "，仅供存档。"


def render(d: CaseDocument, _office_name: str, _printed_on: dt.date) -> bytes:
    """A document of the case as issued (the office's name and the date are those it was issued with)."""
    return render_letter(Letter.from_content(d.content), voided_words(d))


def texts(d: CaseDocument) -> Iterator[str]:
    yield from Letter.from_content(d.content).texts()
    yield voided_words(d)


def file_parts(d: CaseDocument) -> tuple[str, dt.date | None]:
    return str(d.content.get("addressee", "")), d.issued_on


FORM = register(FormKind("case_document", "文书", render, texts, file_parts))
