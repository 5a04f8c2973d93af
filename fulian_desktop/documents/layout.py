"""Shared layout for official-looking A4 forms (reportlab only; no Qt here).

A form is a title and a subtitle line repeated on every page, a ruled table of label/value cells
with a heavy outer frame, free-text rows that flow on to the next page, signature lines, and a
footer "第 1 页 共 2 页". The pieces:

- `CJKText`: a block of Chinese text that wraps between any two characters but keeps amounts, dates,
  numbers with their measure word and Latin words (ID numbers, phones) whole — and, for a list of names
  (names=True), each name whole — when the line is wide enough for them, follows the Chinese
  line-breaking rules (no "，" or "）" at the start of a line, no "（" or "“" at its end), justifies
  full lines, indents paragraphs by two characters, draws the checkbox glyphs ☐ ☑ itself (the Song face has none), and splits across
  pages. It takes plain text: nothing is parsed as markup, so names with & < > are safe.
- `Form`: the ruled table, built section by section from `label()` / `value()` / `section()`
  cells with column and row spans, and `text()` rows for long text.
- `signature_block()`, `keep_together()`, `note()`, `CutLine` (above a tear-off receipt), `build()`.

Printing a form must cost little more than drawing its words on a bare page, so the table is not a
platypus Table: `_Grid` measures rows from the cells' line counts and writes the shading (one fill),
the rules (one path) and the text straight into the page, and all the text of a page goes into one
PDF text object (`pdf_text.PdfText`) that is written when the page is finished. The look and the page
breaks are those the reportlab Table gave.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from html import escape  # (not xml.sax.saxutils: it loads urllib.request, http and email)
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.flowables import _listWrapOn

from .fonts import SONG, register_fonts, string_width
from .pdf_text import PdfText, text_for

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 170 mm
FRAME_TOP = PAGE_HEIGHT - 34 * mm  # below the title and the subtitle line
FRAME_BOTTOM = 16 * mm

TITLE_SIZE = 22.0  # 二号
BODY_SIZE = 10.5  # 五号
SMALL_SIZE = 9.0  # 小五
SMALLEST = 7.5  # 六号: the smallest a line of the page's heading or footer is set in to keep it on one line
LEADING = 1.5  # line height as a multiple of the font size

INK = colors.black
LABEL_FILL = colors.Color(0.925, 0.925, 0.925)
_LABEL_FILL_RG = f"{fp_str(LABEL_FILL.red, LABEL_FILL.green, LABEL_FILL.blue)} rg"
THIN = 0.6
THICK = 1.6
PAD_X = 4.0
PAD_Y = 3.6

CHECKED = "☑"
UNCHECKED = "☐"
DRAWN_GLYPHS = frozenset((CHECKED, UNCHECKED))  # drawn as lines: the Song face has no glyph for them
IDEOGRAPHIC_SPACE = "\u3000"

# Chinese line-breaking rules (禁则): characters that may not start, or may not end, a line.
CANNOT_START = frozenset("，。、；：！？）》〉」』】〕］｝”’…‥·％‰℃°,.;:!?)]}>%")
CANNOT_END = frozenset("（《〈「『【〔［｛“‘([{<" + CHECKED + UNCHECKED)  # a box stays with its word
_FUZZ = 1e-6


def esc(text: str) -> str:
    """Plain text made safe for a reportlab Paragraph (& < > escaped, line breaks kept)."""
    return escape(text or "", quote=False).replace("\n", "<br/>")


def clean_text(text: str) -> str:
    """Line breaks as newlines; tabs and other spaces as plain spaces; invisible control and format
    characters (zero-width space, BOM…) dropped — the font has no glyph for them and
    `fonts.unprintable` does not report them, so they must never reach the page."""
    if text.isprintable():  # nothing to clean (no control or format character, no space but " ")
        return text
    out = []
    for c in (text or "").replace("\r\n", "\n").replace("\r", "\n"):
        if c == "\n" or c == IDEOGRAPHIC_SPACE:
            out.append(c)
        elif c.isspace():
            out.append(" ")
        elif unicodedata.category(c) not in ("Cc", "Cf"):
            out.append(c)
    return "".join(out)


def checkbox(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


def choices(
    options: Iterable[str], selected: str | Iterable[str] | None, sep: str = IDEOGRAPHIC_SPACE
) -> str:
    """'☐来信　☐来电　☑来访' — every option with its box, the selected one(s) ticked."""
    chosen = {selected} if isinstance(selected, str) else set(selected or ())
    return sep.join(checkbox(o in chosen) + o for o in options)


# --------------------------------------------------------------------------------------------
# CJKText


@dataclass(slots=True)
class _Para:
    text: str
    indent: bool  # indent the first line by two characters
    continues: bool = False  # the paragraph goes on in the next part (after a page split)


@dataclass(slots=True)
class _Line:
    para: int
    start: int
    end: int
    text: str
    width: float
    avail: float
    x_offset: float
    last: bool  # the last line of a paragraph: not justified


# What a line never breaks inside (when the line is wide enough for it): an amount (¥1,234.50, in capitals
# 壹仟贰佰叁拾肆元伍角), a date (2026年3月9日, 3月9日, 2026年3月), a number with its measure word (18号, 38岁,
# 第3次), and a Latin word or number (an ID number, a phone number, 2026-03-09). Anything else is one character.
_UNIT = (r"第?[¥￥]?[!-~\u00c0-\u024f]+(?:年[0-9]{1,2}月(?:[0-9]{1,2}日)?|月[0-9]{1,2}日|个月|小时|[日元角分岁人次天户号份页组个名件周])?"
         r"|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角整]{2,}")
_TOKEN = re.compile(_UNIT + r"|\s|.", re.S)
# A list of names (贺辉斌、汪兰桃) breaks between the names, never inside one: everything between two
# separators (spaces, 、，；/ brackets, the colon) is one unit, as are the units above.
_NAME_SEPARATORS = r"\s、，,；;/／|（）()【】\[\]：:。！!？?“”\"‘’《》<>"
_NAME_TOKEN = re.compile(_UNIT + rf"|[^{_NAME_SEPARATORS}]+|\s|.", re.S)

# Character widths, per font size: the same numbers as string_width(c, size), looked up once.
_WIDTHS: dict[float, dict[str, float]] = {}


def _widths(size: float) -> dict[str, float]:
    table = _WIDTHS.get(size)
    if table is None:
        table = _WIDTHS[size] = {c: size for c in DRAWN_GLYPHS}
    return table


_fonts_ready = False


def _ready_fonts() -> None:
    global _fonts_ready
    register_fonts()
    _fonts_ready = True


class _InPlace(Flowable):
    """A flowable that draws itself where it is put, its coordinates offset, instead of through
    reportlab's drawOn, which wraps every flowable in q … cm … Q and copies the canvas's state twice."""

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        x = self._hAlignAdjust(x, _sW)
        self.canv = canvas
        try:
            self.draw_at(x, y)
        finally:
            del self.canv

    def draw(self) -> None:
        self.draw_at(0.0, 0.0)

    def draw_at(self, x: float, y: float) -> None:
        raise NotImplementedError


class CJKText(_InPlace):
    """Plain text wrapped the Chinese way. See the module docstring."""

    # Flowable.__init__'s attributes, as class defaults (thousands of these are made for a long form)
    wrapped = 0
    hAlign = "LEFT"
    vAlign = "BOTTOM"
    _traceInfo = None
    _showBoundary = None
    encoding = None

    def __init__(
        self,
        text: str = "",
        size: float = BODY_SIZE,
        *,
        align: str = "left",  # left | center | right | justify
        indent: bool = False,  # two-character first-line indent for each paragraph
        leading: float | None = None,
        bold: bool = False,
        vertical: bool = False,  # one character per line (a section label down a tall cell)
        names: bool = False,  # a list of names: break between them, never inside one (see _NAME_TOKEN)
        _paras: list[_Para] | None = None,
    ) -> None:
        if not _fonts_ready:
            _ready_fonts()
        self.size = size
        self.leading = leading if leading is not None else size * LEADING
        self.align = align
        self.bold = bold
        self.vertical = vertical
        self.names = names
        if _paras is None:
            text = clean_text(text)
            if vertical:
                text = "\n".join(c for c in text if not c.isspace())
            _paras = [_Para(t, indent) for t in text.split("\n")]
        self.paras = _paras
        self._widths = _widths(size)
        self._lines: list[_Line] = []
        self._lines_for: float | None = None
        self.width = 0.0
        self.height = 0.0

    def __repr__(self) -> str:
        text = "\n".join(p.text for p in self.paras)
        return f"CJKText({text[:20]!r}{'…' if len(text) > 20 else ''})"

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)

    def _copy(self, paras: list[_Para]) -> CJKText:
        return CJKText(size=self.size, align=self.align, leading=self.leading, bold=self.bold, names=self.names,
                       _paras=paras)

    # measuring -------------------------------------------------------------------------------

    def _w(self, s: str) -> float:
        table = self._widths
        try:
            return sum(map(table.__getitem__, s), 0.0)
        except KeyError:
            for c in s:
                if c not in table:
                    table[c] = string_width(c, self.size)
            return sum(map(table.__getitem__, s), 0.0)

    def _break_para(self, index: int, para: _Para, width: float) -> list[_Line]:
        text = para.text
        indent = 2 * self.size if para.indent else 0.0
        avail = max(width - indent, self.size)
        # the common case, a label or a short value: the whole paragraph fits on its first line (with a
        # margin, so that summing by tokens below could not decide otherwise)
        line_text = text.rstrip()
        line_width = self._w(line_text)
        total = line_width if len(line_text) == len(text) else line_width + self._w(text[len(line_text):])
        if total <= avail - _FUZZ:
            return [_Line(index, 0, len(text), line_text, line_width, avail, indent, not para.continues)]
        tokens = [(m.start(), m.end()) for m in (_NAME_TOKEN if self.names else _TOKEN).finditer(text)]
        # a word (a name, an amount) too long for any line is cut into characters
        split_tokens: list[tuple[int, int]] = []
        for s, e in tokens:
            if e - s > 1 and self._w(text[s:e]) > width:
                split_tokens.extend((i, i + 1) for i in range(s, e))
            else:
                split_tokens.append((s, e))
        tokens = split_tokens
        lines: list[_Line] = []
        pos = 0
        n = len(tokens)
        first = True
        while first or pos < n:
            offset = indent if first else 0.0
            avail = max(width - offset, self.size)
            if not first:
                while pos < n and text[tokens[pos][0]].isspace():
                    pos += 1
                if pos >= n:
                    break
            used = 0.0
            end = pos
            while end < n:
                w = self._w(text[tokens[end][0]:tokens[end][1]])
                if used + w > avail + _FUZZ and end > pos:
                    break
                used += w
                end += 1
            if end < n and not text[tokens[end][0]].isspace():
                cut = end
                for _ in range(4):  # keep the breaking rules, pulling characters down to the next line
                    if cut - 1 > pos and text[tokens[cut][0]] in CANNOT_START:
                        cut -= 1
                    elif cut - 1 > pos and text[tokens[cut - 1][1] - 1] in CANNOT_END:
                        cut -= 1
                    else:
                        break
                end = cut
            start_char = tokens[pos][0] if pos < n else 0
            end_char = tokens[end - 1][1] if end > pos else start_char
            line_text = text[start_char:end_char].rstrip()
            lines.append(
                _Line(index, start_char, end_char, line_text, self._w(line_text), avail, offset, end >= n)
            )
            pos = end
            first = False
        if lines and para.continues:
            lines[-1].last = False
        return lines

    def _break(self, width: float) -> list[_Line]:
        if self._lines_for != width:
            paras = self.paras
            if len(paras) == 1:
                self._lines = self._break_para(0, paras[0], width)
            else:
                self._lines = [ln for i, p in enumerate(paras) for ln in self._break_para(i, p, width)]
            self._lines_for = width
        return self._lines

    def line_count(self, width: float) -> int:
        return len(self._break(width))

    # Flowable API ----------------------------------------------------------------------------

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = len(self._break(availWidth)) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._break(availWidth)
        fit = int((availHeight + _FUZZ) // self.leading)
        if fit <= 0:
            return []
        if fit >= len(lines):
            return [self]
        cut = lines[fit]
        p = self.paras[cut.para]
        head = self.paras[: cut.para]
        tail = self.paras[cut.para + 1:]
        if cut.start > 0:
            head = [*head, _Para(p.text[: cut.start], p.indent, continues=True)]
            tail = [_Para(p.text[cut.start:], False, p.continues), *tail]
        else:
            tail = [p, *tail]
        return [self._copy(head), self._copy(tail)]

    def draw_at(self, x: float, y: float) -> None:
        out = text_for(self.canv)
        self.emit(out, x, y)
        out.done()

    def emit(self, out: PdfText, x0: float, y0: float) -> None:
        """Write the lines (as wrapped last) into `out`, the block's bottom-left corner at (x0, y0)."""
        lines = self._break(self.width)
        size, leading, align = self.size, self.leading, self.align
        top = y0 + self.height - (leading - size) / 2 - 0.88 * size
        mode = 2 if self.bold else 0
        add = out.runs.append
        ox, oy = out.ox, out.oy
        for i, ln in enumerate(lines):
            text = ln.text
            if not text:
                continue
            baseline = top - i * leading
            char_space = 0.0
            free = ln.avail - ln.width
            if align == "justify" and not ln.last and free > 0:
                chars = len(text)
                if chars > 1:
                    char_space = free / (chars - 1)
                    if char_space > size:  # a stray long word: leave the line ragged
                        char_space = 0.0
            if align == "center":
                x = x0 + ln.x_offset + free / 2
            elif align == "right":
                x = x0 + ln.x_offset + free
            else:
                x = x0 + ln.x_offset
            if CHECKED in text or UNCHECKED in text:
                self._emit_line(out, text, x, baseline, char_space, mode)
            else:  # out.run(…), inline
                add((x + ox, baseline + oy, text, size, char_space, mode))

    def _emit_line(self, out: PdfText, text: str, x: float, baseline: float, char_space: float,
                   mode: int) -> None:
        size = self.size
        if CHECKED not in text and UNCHECKED not in text:
            out.run(x, baseline, text, size, char_space, mode)
            return
        for is_box, group in itertools.groupby(text, key=lambda c: c in DRAWN_GLYPHS):
            run = "".join(group)
            if is_box:
                for c in run:
                    out.box(x, baseline, size, c == CHECKED)
                    x += size + char_space
                continue
            out.run(x, baseline, run, size, char_space, mode)
            x += self._w(run) + char_space * len(run)


def draw_text(
    canv: Canvas, x: float, baseline: float, text: str, size: float, char_space: float = 0.0, mode: int = 0
) -> None:
    """Draw one run of text in the Song face. `mode` 2 = fill and stroke (the nearest a TTF gets to
    bold), 3 = invisible. The character spacing and the render mode are set back to 0 afterwards."""
    out = PdfText(canv)
    out.run(x, baseline, text, size, char_space, mode)
    out.close()


def sheet_head(canv: Canvas, heading: str, info: str) -> float:
    """The top of a one-page sheet (the recovery key, the audit trail's checkpoint): `heading` and `info` (the
    office, the date …) centred. Returns the baseline of `info`."""
    y = PAGE_HEIGHT - 35 * mm
    draw_text(canv, (PAGE_WIDTH - string_width(heading, 20)) / 2, y, heading, 20)
    y -= 14 * mm
    draw_text(canv, (PAGE_WIDTH - string_width(info, 11)) / 2, y, info, 11)
    return y


def sheet_foot(canv: Canvas, y: float, lines: Sequence[str], size: float, labels: Sequence[str]) -> None:
    """The rest of a one-page sheet from baseline `y`: what it is for (`lines` at `size`), then a line to write on
    after each of `labels` (签名, 日期 …)."""
    for line in lines:
        draw_text(canv, 25 * mm, y, line, size)
        y -= 8 * mm
    y -= 12 * mm
    for label in labels:
        draw_text(canv, 25 * mm, y, label, 11)
        canv.line(25 * mm + string_width(label, 11) + 2 * mm, y - 1.5 * mm, PAGE_WIDTH - 25 * mm, y - 1.5 * mm)
        y -= 12 * mm


def draw_checkbox(canv: Canvas, x: float, baseline: float, size: float, checked: bool) -> None:
    """A square box one character wide, ticked if `checked`; with an invisible □/√ for copy and search."""
    out = PdfText(canv)
    out.box(x, baseline, size, checked)
    out.close()


# --------------------------------------------------------------------------------------------
# The heavy outer frame: every part of a form notes where it was drawn; the page adds the frame.


def _note_extent(canv: Canvas, group: str, x: float, y: float, width: float, height: float) -> None:
    extents: dict[str, list[float]] | None = getattr(canv, "_form_extents", None)
    if extents is None or not group:
        return
    x0, y0 = canv.absolutePosition(x, y)
    box = extents.get(group)
    if box is None:
        extents[group] = [x0, y0, x0 + width, y0 + height]
    else:
        box[0], box[1] = min(box[0], x0), min(box[1], y0)
        box[2], box[3] = max(box[2], x0 + width), max(box[3], y0 + height)


# --------------------------------------------------------------------------------------------
# Cells and the form table


@dataclass
class Cell:
    content: str | Flowable = ""
    span: int = 1  # columns
    rows: int = 1  # rows
    kind: str = "value"  # value | label | section
    align: str = "left"
    size: float = BODY_SIZE
    names: bool = False  # a name or a list of names: wrapped between names, never inside one


def label(text: str, span: int = 1, rows: int = 1, align: str = "center") -> Cell:
    """A label cell (lightly shaded)."""
    return Cell(text, span, rows, "label", align)


def value(content: str | Flowable = "", span: int = 1, rows: int = 1, align: str = "left") -> Cell:
    """A value cell: text wraps inside the cell; an empty one is left for handwriting."""
    return Cell(content, span, rows, "value", align)


def names(content: str, span: int = 1, rows: int = 1, align: str = "left") -> Cell:
    """A value cell holding a name or a list of names (张三、李四): it wraps between names, not inside one."""
    return Cell(content, span, rows, "value", align, names=True)


def section(text: str, rows: int, span: int = 1) -> Cell:
    """A section label written downwards in a narrow shaded cell spanning `rows` rows."""
    return Cell(text, span, rows, "section", "center")


def _cell_flowable(cell: Cell) -> Flowable:
    if not isinstance(cell.content, str):
        return cell.content
    if cell.kind == "section":
        return CJKText(cell.content, cell.size, align="center", vertical=True, leading=cell.size * 1.35)
    return CJKText(cell.content, cell.size, align=cell.align, names=cell.names)


@dataclass(slots=True)
class _Slot:
    """A cell placed on the grid: its first row and column, how many rows and columns it covers."""

    row: int
    col: int
    rows: int
    span: int
    shaded: bool
    body: Flowable | None  # None: an empty cell (one blank line high)
    pad: float  # left and right padding
    height: float = -1.0  # of the wrapped body
    section: bool = False  # a section label: repeated on the next page when the table splits across it
    squeeze: bool = False  # (a section label's part on one page) drawn if its rows are tall enough, never
    # making them taller


_BIG = 72000.0  # "as tall as it needs" (what a table offers a cell to wrap in)


class _Grid(_InPlace):
    """A ruled table drawn straight onto the canvas: every cell padded PAD_X / PAD_Y (a section label
    1 pt left and right) and centred vertically, label cells shaded, thin rules between all cells (not
    through a cell that spans them), row heights from the cells' line counts. It splits between rows
    (never inside a row span), repeating its first `repeat` rows on the next page. The look and the page
    breaks are those of the reportlab Table it replaces, at a fraction of its cost: one fill for all the
    shading, one text object for all the text, one path for all the rules."""

    def __init__(self, slots: list[_Slot], widths: Sequence[float], nrows: int, group: str = "",
                 repeat: int = 0, heights: list[float] | None = None) -> None:
        super().__init__()
        self.slots = slots
        self.widths = list(widths)
        self.nrows = nrows
        self.group = group
        self.repeatRows = repeat
        self.hAlign = "CENTER"
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        self._xs = xs
        self._heights = heights
        self.width = xs[-1]
        self.height = 0.0

    def __repr__(self) -> str:
        return f"_Grid({self.nrows} rows × {len(self.widths)} columns)"

    # measuring -------------------------------------------------------------------------------

    def _wrap_cell(self, s: _Slot) -> float:
        if s.height < 0:
            width = self._xs[s.col + s.span] - self._xs[s.col] - 2 * s.pad
            if isinstance(s.body, CJKText):
                s.height = s.body.wrap(width, _BIG)[1]
            elif s.body is not None:
                s.height = s.body.wrapOn(getattr(self, "canv", None), width, _BIG - 2 * PAD_Y)[1]
        return s.height

    def row_heights(self) -> list[float]:
        """Each row as tall as its tallest cell; a cell spanning rows that is taller than they are adds
        the difference to them in equal parts (as reportlab does)."""
        if self._heights is None:
            heights = [0.0] * self.nrows
            spans: dict[tuple[int, int], float] = {}
            for s in self.slots:
                if s.squeeze:
                    continue
                t = (s.height if s.height >= 0 else self._wrap_cell(s)) + 2 * PAD_Y
                if s.rows > 1:
                    key = (s.row, s.row + s.rows - 1)
                    spans[key] = max(spans.get(key, t), t)
                elif t > heights[s.row]:
                    heights[s.row] = t
            extra: dict[int, float] = {}
            for need, (r0, r1) in sorted(((v, k) for k, v in spans.items()), reverse=True):
                have = sum(heights[r] + extra.get(r, 0.0) for r in range(r0, r1 + 1))
                if have >= need - _FUZZ:
                    continue
                share = (need - have) / (r1 - r0 + 1)
                for r in range(r0, r1 + 1):
                    extra[r] = extra.get(r, 0.0) + share
            for r, add in extra.items():
                heights[r] += add
            self._heights = heights
        return self._heights

    def _row_tops(self) -> list[float]:
        """tops[i]: the top of row i, measured up from the bottom of the table; tops[nrows] == 0."""
        tops = []
        height = c = 0.0
        for h in reversed(self.row_heights()):  # compensated summation, as reportlab's Table
            tops.append(height)
            y = h - c
            t = height + y
            c = (t - height) - y
            height = t
        tops.append(height)
        tops.reverse()
        return tops

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = sum(self.row_heights())
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Between rows, never inside a cell that spans rows: a group of rows held by a span goes on to the next
        page whole. A group taller than any page (a long text in a listing's cell, a record saved before the
        limits) is cut all the same: inside a section label, which is written again on the next page, and inside a
        row taller than a page, whose cells go on, line by line, in the same row on the next page."""
        heights = self.row_heights()
        repeat, nrows = self.repeatRows, self.nrows
        spans = {r for s in self.slots for r in range(s.row + 1, s.row + s.rows)}
        fit = _rows_that_fit(heights, availHeight, spans)
        if fit == nrows:
            return [self]
        if fit > repeat:
            return self._cut(fit, heights)
        end = repeat + 1  # the first group of rows after the header
        while end < nrows and end in spans:
            end += 1
        if sum(heights[:end]) <= _TALLEST:
            return []  # it goes on whole to the next page
        loose = {r for s in self.slots if not s.section for r in range(s.row + 1, s.row + s.rows)}
        fit = _rows_that_fit(heights, availHeight, loose)
        room = availHeight - sum(heights[:max(fit, repeat)]) - 2 * PAD_Y
        if fit < nrows and fit >= repeat and fit not in loose and heights[fit] + sum(heights[:repeat]) > _TALLEST \
                and room >= 2 * BODY_SIZE * LEADING:
            parts = self._split_row(fit, room)
            if parts is not None:
                return parts
        return self._cut(fit, heights) if fit > repeat else []

    def _cut(self, fit: int, heights: list[float] | None) -> list[Flowable]:
        """The rows before `fit` here, the header rows and the rest on the next page (a section label that
        spans the cut in both parts)."""
        repeat = self.repeatRows
        head: list[_Slot] = []
        tail = [s for s in self.slots if s.row < repeat]
        for s in self.slots:
            end = s.row + s.rows
            if s.row < fit:
                head.append(s if end <= fit else _section_part(s, s.row, fit - s.row))
            if s.row >= fit:
                tail.append(replace(s, row=s.row - fit + repeat))
            elif end > fit and s.row >= repeat:
                tail.append(_section_part(s, repeat, end - fit))
        return [
            _Grid(head, self.widths, fit, self.group, repeat, heights[:fit] if heights else None),
            _Grid(tail, self.widths, repeat + self.nrows - fit, self.group, repeat,
                  heights[:repeat] + heights[fit:] if heights else None),
        ]

    def _split_row(self, r: int, room: float) -> list[Flowable] | None:
        """Row `r` cut where `room` (the height left for its text) ends: each cell's first lines in this part,
        the rest in the same row of the next part. None when a cell of the row cannot be cut."""
        first: list[_Slot] = []
        rest: list[_Slot] = []
        for s in self.slots:
            if not s.row <= r < s.row + s.rows:
                continue
            if s.rows > 1 and not s.section:
                return None
            if s.section:
                continue  # cut with the rows (see _cut)
            width = self._xs[s.col + s.span] - self._xs[s.col] - 2 * s.pad
            body = s.body
            if body is None:
                head_body, tail_body = None, None
            elif isinstance(body, CJKText):
                pieces = body.split(width, room)
                head_body, tail_body = (None, body) if not pieces else (body, None) if len(pieces) == 1 \
                    else (pieces[0], pieces[1])
            else:
                fits = body.wrap(width, _BIG)[1] <= room
                head_body, tail_body = (body, None) if fits else (None, body)
            first.append(replace(s, body=head_body, height=-1.0))
            rest.append(replace(s, body=tail_body, height=-1.0))
        others = [s for s in self.slots if not (s.row <= r < s.row + s.rows) or s.section]
        # the row twice: its first lines (row r), then the rest (row r + 1)
        slots = [s for s in others if s.row + s.rows <= r or s.section and s.row <= r]
        slots = [replace(s, rows=s.rows + 1) if s.section and s.row <= r < s.row + s.rows else s for s in slots]
        slots += first
        slots += [replace(s, row=r + 1) for s in rest]
        slots += [replace(s, row=s.row + 1) for s in others if s.row > r]
        grid = _Grid(slots, self.widths, self.nrows + 1, self.group, self.repeatRows)
        return grid._cut(r + 1, None)


    # drawing ---------------------------------------------------------------------------------

    def draw_at(self, x0: float, y0: float) -> None:
        canv = self.canv
        xs = [x0 + x for x in self._xs]
        tops = [y0 + y for y in self._row_tops()]
        # every corner of a cell is on a column line and a row line: each number is formatted once
        fx = [fp_str(x) for x in xs]
        fy = [fp_str(y) for y in tops]
        shaded = [s for s in self.slots if s.shaded]
        if shaded:
            cells = " ".join(
                f"{fx[s.col]} {fy[s.row + s.rows]} m {fx[s.col + s.span]} {fy[s.row + s.rows]} l "
                f"{fx[s.col + s.span]} {fy[s.row]} l {fx[s.col]} {fy[s.row]} l h" for s in shaded)
            canv._code.append(f"q {_LABEL_FILL_RG} n {cells} f Q")
        out = text_for(canv)
        for s in self.slots:
            body = s.body
            if body is None:
                continue
            h = s.height if s.height >= 0 else self._wrap_cell(s)
            bottom = tops[s.row + s.rows]
            if s.squeeze and h > tops[s.row] - bottom - 2 * PAD_Y:
                continue
            y = bottom + (tops[s.row] - bottom - h) / 2
            if isinstance(body, CJKText):
                body.emit(out, xs[s.col] + s.pad, y)
            else:
                body.drawOn(canv, xs[s.col] + s.pad, y)
        out.done()
        canv._code.append(f"q 0 0 0 RG {fp_str(THIN)} w 1 J 1 j n {self._rules(fx, fy)} S Q")
        _note_extent(canv, self.group, x0, y0, self.width, tops[0] - y0)

    def _rules(self, fx: list[str], fy: list[str]) -> str:
        """The box and every line between cells, left out where a cell spans across it (as a path)."""
        ncols, nrows = len(self.widths), self.nrows
        segments = [f"{fx[0]} {fy[0]} m {fx[ncols]} {fy[0]} l", f"{fx[0]} {fy[nrows]} m {fx[ncols]} {fy[nrows]} l",
                    f"{fx[0]} {fy[nrows]} m {fx[0]} {fy[0]} l", f"{fx[ncols]} {fy[nrows]} m {fx[ncols]} {fy[0]} l"]
        across_rows: dict[int, list[tuple[int, int]]] = {}  # row line -> the columns a cell covers there
        across_cols: dict[int, list[tuple[int, int]]] = {}  # column line -> the rows a cell covers there
        for s in self.slots:
            for r in range(s.row + 1, s.row + s.rows):
                across_rows.setdefault(r, []).append((s.col, s.col + s.span))
            for c in range(s.col + 1, s.col + s.span):
                across_cols.setdefault(c, []).append((s.row, s.row + s.rows))
        for r in range(1, nrows):
            y = fy[r]
            for c0, c1 in _gaps(ncols, across_rows.get(r)):
                segments.append(f"{fx[c0]} {y} m {fx[c1]} {y} l")
        for c in range(1, ncols):
            x = fx[c]
            for r0, r1 in _gaps(nrows, across_cols.get(c)):
                segments.append(f"{x} {fy[r1]} m {x} {fy[r0]} l")
        return " ".join(segments)


# the most a page's frame can hold (below the title and the subtitle line, above the footer)
_TALLEST = FRAME_TOP - FRAME_BOTTOM


def _rows_that_fit(heights: list[float], room: float, inside: set[int]) -> int:
    """How many rows from the top go into `room`, never stopping inside a span (`inside`: the rows a span
    continues into)."""
    used = 0.0
    fit = 0
    for n, h in enumerate(heights, 1):
        if used + h > room:
            break
        if n not in inside:
            fit = n
        used += h
    return fit


def _section_part(s: _Slot, row: int, rows: int) -> _Slot:
    """The part of a section label spanning the rows `row`… of one page's part of a table."""
    return replace(s, row=row, rows=rows, height=-1.0, squeeze=True)


def _gaps(end: int, blocks: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The stretches of 0…end (in columns or rows) outside the blocks."""
    if not blocks:
        return [(0, end)]
    blocks.sort()
    out = []
    pos = 0
    for b0, b1 in blocks:
        if b0 > pos:
            out.append((pos, b0))
        pos = max(pos, b1)
    if pos < end:
        out.append((pos, end))
    return out


def grid(rows: Sequence[Sequence[Cell]], widths: Sequence[float], group: str = "", repeat: int = 0) -> _Grid:
    """A ruled table. Each row lists its cells left to right; cells covered by a row span from an
    earlier row are skipped. Every row must fill exactly len(widths) columns. The first `repeat` rows
    are repeated at the top of every page the table runs on to."""
    ncols = len(widths)
    nrows = len(rows)
    taken = [[False] * ncols for _ in range(nrows)]
    slots: list[_Slot] = []
    add = slots.append
    for r, row in enumerate(rows):
        c = 0
        here = taken[r]
        for cell in row:
            while c < ncols and here[c]:
                c += 1
            span, down = cell.span, cell.rows
            end = c + span
            if end > ncols or r + down > nrows:
                raise ValueError(f"row {r}: cell {cell.content!r} runs past the table")
            for covered in taken[r:r + down]:
                if True in covered[c:end]:
                    raise ValueError(f"row {r}: cell {cell.content!r} overlaps another cell")
                covered[c:end] = [True] * span
            kind = cell.kind
            if cell.content == "" and kind != "section":  # left for handwriting: one blank line
                add(_Slot(r, c, down, span, kind == "label", None, PAD_X, cell.size * LEADING))
            else:
                add(_Slot(r, c, down, span, kind != "value", _cell_flowable(cell),
                          1.0 if kind == "section" else PAD_X, section=kind == "section"))
            c = end
        if not all(here):
            raise ValueError(f"row {r} fills {sum(here)} of {ncols} columns")
    return _Grid(slots, widths, nrows, group, repeat)


class TextRow(_InPlace):
    """A free-text row of a form: a shaded label cell on the left (or none) and a text cell that
    takes the rest of the width. Long text continues on the next page under "label（续）"."""

    def __init__(
        self,
        label_text: str | None,
        text: str | CJKText,
        label_width: float,
        *,
        min_lines: int = 3,
        size: float = BODY_SIZE,
        indent: bool = True,
        group: str = "",
        continued: bool = False,
        fixed_width: float | None = None,  # as wide as this (centred), whatever width the frame offers
    ) -> None:
        super().__init__()
        self.fixed_width = fixed_width
        if fixed_width is not None:
            self.hAlign = "CENTER"
        self.label_text = label_text
        self.label_width = label_width if label_text is not None else 0.0
        self.body = text if isinstance(text, CJKText) else CJKText(text, size, align="justify", indent=indent)
        self.min_lines = min_lines
        self.size = size
        self.group = group
        self.continued = continued
        shown = (label_text or "") + ("（续）" if continued and label_text else "")
        self.label = CJKText(shown, size, align="center")
        self.width = 0.0
        self.height = 0.0

    def _body_width(self) -> float:
        return self.width - self.label_width - 2 * PAD_X

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth if self.fixed_width is None else min(self.fixed_width, availWidth)
        body_h = self.body.wrap(self._body_width(), availHeight)[1]
        label_h = 0.0
        if self.label_width:
            label_h = self.label.wrap(max(self.label_width - 2 * PAD_X, 1.0), availHeight)[1]
        self.height = max(body_h, self.min_lines * self.body.leading, label_h) + 2 * PAD_Y
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        room = availHeight - 2 * PAD_Y
        lines = self.body.line_count(self._body_width())
        if lines * self.body.leading <= room + _FUZZ:
            # the text fits; only the empty lines asked for do not: give up some of them
            fit = int((room + _FUZZ) // self.body.leading)
            return [self._again(self.body, min(self.min_lines, fit), self.continued)] if fit >= 1 else []
        if room < 2 * self.body.leading:  # not even two lines here: move the whole row on
            return []
        parts = self.body.split(self._body_width(), room)
        if len(parts) != 2:
            return []
        head, tail = parts
        assert isinstance(head, CJKText) and isinstance(tail, CJKText)
        return [self._again(head, 0, self.continued), self._again(tail, 1, True)]

    def _again(self, body: CJKText, min_lines: int, continued: bool) -> TextRow:
        return TextRow(self.label_text, body, self.label_width, min_lines=min_lines, size=self.size,
                       group=self.group, continued=continued, fixed_width=self.fixed_width)

    def draw_at(self, x: float, y: float) -> None:
        canv = self.canv
        w, h = self.width, self.height
        corner = fp_str(x, y)
        box = f"0 0 0 RG {fp_str(THIN)} w n {corner} {fp_str(w, h)} re S"
        if self.label_width:
            lw = self.label_width
            canv._code.append(f"q {_LABEL_FILL_RG} n {corner} {fp_str(lw, h)} re f {box} "
                              f"n {fp_str(x + lw, y)} m {fp_str(x + lw, y + h)} l S Q")
        else:
            canv._code.append(f"q {box} Q")
        out = text_for(canv)
        if self.label_width:
            self.label.emit(out, x + PAD_X, y + (h - self.label.height) / 2)
        self.body.emit(out, x + self.label_width + PAD_X, y + h - PAD_Y - self.body.height)
        out.done()
        _note_extent(canv, self.group, x, y, w, h)


_group_ids = itertools.count(1)


class Form:
    """A form table built section by section, all on the same column grid:

        form = Form([10*mm, 20*mm, ...])
        form.rows([label("姓名", 2), value(name), ...], [...])
        form.text("事情经过", facts, min_lines=8)
        story = form.flowables()

    Each `rows(...)` call becomes one ruled table (kept on one page when it has row spans); each
    `text(...)` call a `TextRow`. The heavy outer frame is drawn around the whole form on every page.
    """

    def __init__(self, widths: Sequence[float], *, text_label_span: int = 1) -> None:
        if sum(widths) > CONTENT_WIDTH + 1:
            raise ValueError("the columns are wider than the page")
        self.widths = list(widths)
        self.text_label_span = text_label_span
        self.group = f"form{next(_group_ids)}"
        self._parts: list[Flowable] = []

    @property
    def width(self) -> float:
        return sum(self.widths)

    def rows(self, *rows: Sequence[Cell], keep_together: bool | None = None) -> Form:
        table = grid(rows, self.widths, self.group)
        if keep_together is None:
            keep_together = any(cell.rows > 1 for row in rows for cell in row)
        self._parts.append(Together([table]) if keep_together else table)
        return self

    def listing(self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]], title: str = "") -> Form:
        """A table of many like rows (members, visits …) under a `header` row — and a `title` row
        across the table above it, if given — that repeat at the top of every page it runs on to."""
        head: list[Sequence[Cell]] = [header]
        if title:
            head.insert(0, [Cell(title, len(self.widths), 1, "label", "left")])
        self._parts.append(grid([*head, *rows], self.widths, self.group, repeat=len(head)))
        return self

    def text(
        self, label_text: str | None, text: str, *, min_lines: int = 3, indent: bool = True,
        label_span: int | None = None,
    ) -> Form:
        span = self.text_label_span if label_span is None else label_span
        self._parts.append(TextRow(label_text, text, sum(self.widths[:span]), min_lines=min_lines, indent=indent,
                                   group=self.group, fixed_width=self.width))
        return self

    def flowables(self) -> list[Flowable]:
        return list(self._parts)


# --------------------------------------------------------------------------------------------
# Text outside the table: notes, signature lines


def note(text: str, size: float = SMALL_SIZE, space_before: float = 2 * mm) -> Flowable:
    """A small line of text under the table (注：…)."""
    t = CJKText(text, size, align="left")
    t.spaceBefore = space_before
    return t


class SignatureMark(Flowable):
    """A signature given on screen (its PNG, transparent), standing on its line: as high as the line's row allows,
    no wider than the line."""

    def __init__(self, png: bytes, height: float = 7.5 * mm) -> None:
        super().__init__()
        from reportlab.lib.utils import ImageReader

        self.image = ImageReader(io.BytesIO(png))
        w, h = self.image.getSize()
        self.ratio = w / h if h else 1.0
        self.max_height = height
        self.width, self.height = height * self.ratio, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = min(self.max_height, availWidth / self.ratio)
        self.width = self.height * self.ratio
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.image, 0, 0, self.width, self.height, mask="auto")


def signature_block(
    signers: Sequence[str], *, date: bool = True, space_before: float = 3 * mm, line_width: float = 48 * mm,
    date_width: float = 42 * mm, row_height: float = 8.5 * mm, marks: Sequence[tuple[bytes, str] | None] = (),
) -> Flowable:
    """Lines to sign on, one signer a line: "接待人（签名）：________　　　年　　月　　日". `marks`: for a line signed
    on screen, the signature's PNG (set on the line) and the date it was signed (in place of 年月日)."""
    widest = CONTENT_WIDTH - line_width - (date_width if date else 0.0)  # a long one wraps (see LineRows)
    label_w = min(max(string_width(s, BODY_SIZE) for s in signers) + 2 * PAD_X, widest)
    widths = [label_w, line_width] + ([date_width] if date else [])
    rows: list[list[Flowable | None]] = []
    for i, signer in enumerate(signers):
        mark = marks[i] if i < len(marks) else None
        row: list[Flowable | None] = [CJKText(signer, BODY_SIZE, align="right"),
                                      SignatureMark(mark[0]) if mark else None]
        if date:
            row.append(CJKText(mark[1] if mark else "年　　月　　日", BODY_SIZE, align="right"))
        rows.append(row)
    lines = LineRows(rows, widths, row_height, underlined={(r, 1) for r in range(len(rows))}, pad_x=2,
                     pad_bottom=1, h_align="RIGHT")
    return Together([Spacer(1, space_before), lines])


class LineRows(_InPlace):
    """Rows without rules between the cells: words standing on the bottom of their cell (padded `pad_x` left
    and right, `pad_bottom` above the bottom) and lines to write on under the `underlined` (row, column) cells —
    signature lines, a cover's 卷名 ______. Each row is `row_height` high; words too long for their cell are
    set smaller (down to SHRINK of their size) and, when even that is too long, the row grows. Splits between
    rows."""

    SHRINK = 0.7

    def __init__(self, rows: Sequence[Sequence[Flowable | None]], widths: Sequence[float], row_height: float, *,
                 underlined: Iterable[tuple[int, int]] = (), pad_x: float = 2.0, pad_bottom: float = 1.0,
                 h_align: str = "CENTER", _heights: list[float] | None = None) -> None:
        super().__init__()
        self.widths = list(widths)
        self.row_height = row_height
        self.underlined = sorted(underlined)
        self.pad_x = pad_x
        self.pad_bottom = pad_bottom
        self.hAlign = h_align
        self.width = sum(self.widths)
        if _heights is None:
            self.rows = [[self._fit(cell, c, row_height) for c, cell in enumerate(r)] for r in rows]
            _heights = [max([row_height, *(self._need(cell, c) for c, cell in enumerate(r))]) for r in self.rows]
        else:
            self.rows = [list(r) for r in rows]
        self.heights = _heights
        self.height = sum(self.heights)

    def _room(self, c: int) -> float:
        return self.widths[c] - 2 * self.pad_x

    def _need(self, cell: Flowable | None, c: int) -> float:
        if not isinstance(cell, CJKText):
            return 0.0
        return cell.wrap(self._room(c), _BIG)[1] + self.pad_bottom + PAD_Y

    def _fit(self, cell: Flowable | None, c: int, height: float) -> Flowable | None:
        """The words in a size that fits the row (a smaller copy when they do not fit as given)."""
        if not isinstance(cell, CJKText) or self._need(cell, c) <= height:
            return cell
        smallest = cell.size * self.SHRINK
        size = cell.size
        smaller = cell
        while self._need(smaller, c) > height and size > smallest:
            size = max(size - 0.5, smallest)
            smaller = CJKText(size=size, align=cell.align, leading=cell.leading * size / cell.size, bold=cell.bold,
                              names=cell.names, _paras=cell.paras)
        return smaller

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        fit = 0
        used = 0.0
        while fit < len(self.rows) and used + self.heights[fit] <= availHeight:
            used += self.heights[fit]
            fit += 1
        if fit == 0:
            return []
        if fit == len(self.rows):
            return [self]
        parts = []
        for first, end in ((0, fit), (fit, len(self.rows))):
            under = [(r - first, c) for r, c in self.underlined if first <= r < end]
            parts.append(LineRows(self.rows[first:end], self.widths, self.row_height, underlined=under,
                                  pad_x=self.pad_x, pad_bottom=self.pad_bottom, h_align=self.hAlign,
                                  _heights=self.heights[first:end]))
        return parts

    def _bottoms(self, y: float) -> list[float]:
        """The bottom of each row, the block's bottom-left corner at height `y`."""
        out = []
        top = y + self.height
        for h in self.heights:
            top -= h
            out.append(top)
        return out

    def draw_at(self, x: float, y: float) -> None:
        canv = self.canv
        xs = [x]
        for w in self.widths:
            xs.append(xs[-1] + w)
        bottoms = self._bottoms(y)
        out = text_for(canv)
        for r, row in enumerate(self.rows):
            bottom = bottoms[r]
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                width = xs[c + 1] - xs[c] - 2 * self.pad_x
                if isinstance(cell, CJKText):
                    cell.wrap(width, self.heights[r])
                    cell.emit(out, xs[c] + self.pad_x, bottom + self.pad_bottom)
                else:
                    cell.wrapOn(canv, width, self.heights[r])
                    cell.drawOn(canv, xs[c] + self.pad_x, bottom + self.pad_bottom)
        out.done()
        if self.underlined:
            lines = " ".join(f"{fp_str(xs[c], bottoms[r])} m {fp_str(xs[c + 1], bottoms[r])} l"
                             for r, c in self.underlined)
            canv._code.append(f"q 0 0 0 RG {fp_str(THIN)} w 1 J 1 j n {lines} S Q")


class Together(KeepTogether):
    """platypus's KeepTogether (the parts on one page if they fit), measured without copying the page's
    frame every time: reportlab copies it in case a part adds content to the frame while being
    measured, which no part of a form does."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        dims: list[tuple[float, float]] = []
        width, height = _listWrapOn(self._content, availWidth, None, dims=dims)
        self._H = height
        self._H0 = dims[0][1] if dims else 0
        self._wrapInfo = availWidth, availHeight
        return width, 0xFFFFFF  # always split (see KeepTogether.split)


def keep_together(*parts: Flowable) -> Flowable:
    """Keep the parts on one page if they fit (e.g. the last rows of a form and its signature lines)."""
    flat: list[Flowable] = []
    for part in parts:  # a KeepTogether inside another always looks too tall: unpack it
        flat.extend(part._content if isinstance(part, KeepTogether) else [part])
    return Together(flat)


class CutLine(Flowable):
    """A dashed line across the page with a word in the middle ("沿此线剪开"), above a tear-off
    receipt (回执)."""

    def __init__(self, text: str = "沿此线剪开", size: float = SMALL_SIZE, space: float = 5 * mm) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.spaceBefore = self.spaceAfter = space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.size * 1.4
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        text_w = string_width(self.text, self.size) + self.size
        mid = self.height / 2
        canv.saveState()
        canv.setStrokeColor(INK)
        canv.setLineWidth(THIN)
        canv.setDash(4, 3)
        canv.line(0, mid, (self.width - text_w) / 2, mid)
        canv.line((self.width + text_w) / 2, mid, self.width, mid)
        canv.restoreState()
        x = (self.width - text_w) / 2 + self.size / 2
        draw_text(canv, x, mid - self.size * 0.35, self.text, self.size)


def spacer(height: float) -> Flowable:
    return Spacer(1, height)


# --------------------------------------------------------------------------------------------
# Pages: title and subtitle on every page, the outer frame, "第 1 页 共 2 页"


class Heading(Flowable):
    """Change the title and subtitle line drawn at the top of the page, from the page this (invisible)
    flowable lands on: for a document with parts under different titles (a letter, then a form).
    Put it first on a new page (after a PageBreak)."""

    def __init__(self, title: str, fields: Sequence[str] = ()) -> None:
        super().__init__()
        self.title = title
        self.fields = tuple(fields)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        # a dict shared by every saved page state (see _FormCanvas): page number -> heading
        headings = self.canv.__dict__.setdefault("_page_headings", {})
        headings[self.canv.getPageNumber()] = (self.title, self.fields)


def heading_for(canv: Canvas, page: int, title: str, fields: Sequence[str]) -> tuple[str, Sequence[str]]:
    """The heading of `page`: the last Heading placed on it or before it, else the document's own."""
    headings: dict[int, tuple[str, Sequence[str]]] = getattr(canv, "_page_headings", {})
    earlier = [p for p in headings if p <= page]
    return headings[max(earlier)] if earlier else (title, fields)


@dataclass
class PageDecor:
    title: str
    fields: Sequence[str] = ()  # the subtitle line: spread left / centre / right
    footer_left: str = ""
    footer_right: str = ""
    extras: list[Callable[[Canvas, int, int], None]] = field(default_factory=list)

    def __call__(self, canv: Canvas, page: int, pages: int) -> None:
        title_text, title_fields = heading_for(canv, page, self.title, self.fields)
        canv.saveState()
        canv.setFillColor(INK)
        out = text_for(canv)  # the page's own text object, written when the page is finished
        title = CJKText(title_text, TITLE_SIZE, bold=True)
        tw = string_width(title_text, TITLE_SIZE)
        spacing = TITLE_SIZE * 0.15 if len(title_text) <= 8 else 0.0
        total = tw + spacing * (len(title_text) - 1)
        title._emit_line(out, title_text, (PAGE_WIDTH - total) / 2, PAGE_HEIGHT - 20 * mm, spacing, 2)
        y = PAGE_HEIGHT - 30 * mm
        fields = [f for f in title_fields if f]
        _spread(out, fields, y, BODY_SIZE)
        footer = [self.footer_left, f"第 {page} 页　共 {pages} 页", self.footer_right]
        _spread(out, footer, 9 * mm, SMALL_SIZE)
        out.done()
        for extra in self.extras:
            extra(canv, page, pages)
        canv.restoreState()


def _spread(out: PdfText, texts: Sequence[str], y: float, size: float, *, two_lines: bool = True) -> None:
    """Draw 1–3 texts on one line: left, (centre,) right — set smaller when they would run into each other
    (down to SMALLEST); when even that is too long, the first on a line of its own just above; a text longer
    than the whole line (never one within the limits) is cut with “…”."""
    shown = [clean_text(t).replace("\n", " ") for t in texts]
    present = sum(1 for t in shown if t)
    gap = 2 * SMALL_SIZE

    def total(sz: float) -> float:
        return sum(string_width(t, sz) for t in shown if t) + gap * max(present - 1, 0)

    if two_lines and present > 1 and shown[0] and total(SMALLEST) > CONTENT_WIDTH:
        _spread(out, shown[:1], y + 1.3 * size, size, two_lines=False)
        _spread(out, ["", *shown[1:]], y, size, two_lines=False)
        return
    while total(size) > CONTENT_WIDTH and size > SMALLEST:
        size = max(size - 0.5, SMALLEST)
    while total(size) > CONTENT_WIDTH:
        longest = max(range(len(shown)), key=lambda i: string_width(shown[i], size))
        shown[longest] = shown[longest][:-2] + "…" if len(shown[longest]) > 2 else ""
    if not shown:
        return
    widths = [string_width(t, size) for t in shown]
    left_end = MARGIN_X + (widths[0] + gap if shown[0] and len(shown) > 1 else 0.0)
    right_start = PAGE_WIDTH - MARGIN_X - (widths[-1] + gap if shown[-1] and len(shown) > 1 else 0.0)
    for i, text in enumerate(shown):
        if not text:
            continue
        w = widths[i]
        if i == 0:
            x = MARGIN_X
        elif i == len(shown) - 1:
            x = PAGE_WIDTH - MARGIN_X - w
        else:  # centred on the page, or between its neighbours when they leave no room there
            x = min(max((PAGE_WIDTH - w) / 2, left_end), right_start - w)
        out.run(x, y, text, size)


class _FormCanvas(Canvas):
    """Keeps every page until the end, so each can say "共 N 页"; draws the forms' outer frames."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._saved_pages: list[dict[str, Any]] = []
        self._form_extents: dict[str, list[float]] = {}
        self._page_text: PdfText | None = PdfText(self, page=True)

    def showPage(self) -> None:  # noqa: N802
        self.saveState()
        self.setStrokeColor(INK)
        self.setLineWidth(THICK)
        for x0, y0, x1, y1 in self._form_extents.values():
            self.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        self.restoreState()
        self._form_extents = {}
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()
        self._page_text = PdfText(self, page=True)

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, 1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            self.finish_text()
            Canvas.showPage(self)
        Canvas.save(self)

    def finish_text(self) -> None:
        """Write the page's text (its own and its title, subtitle line and footer) over its drawings."""
        if self._page_text is not None:
            self._page_text.close()
            self._page_text = None


def build(
    doc_title: str,
    *story_parts: Flowable | Iterable[Flowable],
    fields: Sequence[str] = (),
    footer_left: str = "",
    footer_right: str = "",
    author: str = "",
    subject: str = "",
    creator: str = "妇联维权工作台",
) -> bytes:
    """Lay the story out on A4 pages under `doc_title` and return the PDF (`creator` in its properties: the
    program's name, or '' for a paper that must not say where it comes from)."""
    register_fonts()
    story: list[Flowable] = []
    for part in story_parts:
        if isinstance(part, Flowable):
            story.append(part)
        else:
            story.extend(part)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=PAGE_HEIGHT - FRAME_TOP,
        bottomMargin=FRAME_BOTTOM, title=doc_title, author=author, subject=subject,
        creator=creator, invariant=1, initialFontName=SONG, initialFontSize=BODY_SIZE,
    )
    frame = Frame(MARGIN_X, FRAME_BOTTOM, CONTENT_WIDTH, FRAME_TOP - FRAME_BOTTOM, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    decor = PageDecor(doc_title, fields, footer_left, footer_right)
    doc.build(story, canvasmaker=partial(_FormCanvas, decorate=decor))
    return buffer.getvalue()


def write(
    path: str | Path, doc_title: str, *story_parts: Flowable | Iterable[Flowable], **options: Any
) -> Path:
    """`build(...)` and write the PDF to `path`."""
    out = Path(path)
    out.write_bytes(build(doc_title, *story_parts, **options))
    return out
