"""Shared layout for official-looking A4 forms (reportlab only; no Qt here).

A form is a title and a subtitle line repeated on every page, a ruled table of label/value cells
with a heavy outer frame, free-text rows that flow on to the next page, signature lines, and a
footer "第 1 页 共 2 页". The pieces:

- `CJKText`: a block of Chinese text that wraps between any two characters, keeps Latin words and
  numbers (ID numbers, phones) whole, follows the Chinese line-breaking rules (no "，" or "）" at
  the start of a line, no "（" or "“" at its end), justifies full lines, indents paragraphs by two
  characters, draws the checkbox glyphs ☐ ☑ itself (the Song face has none), and splits across
  pages. It takes plain text: nothing is parsed as markup, so names with & < > are safe.
- `Form`: the ruled table, built section by section from `label()` / `value()` / `section()`
  cells with column and row spans, and `text()` rows for long text.
- `signature_block()`, `keep_together()`, `note()`, `CutLine` (above a tear-off receipt), `build()`.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .fonts import SONG, register_fonts, string_width

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 170 mm
FRAME_TOP = PAGE_HEIGHT - 34 * mm  # below the title and the subtitle line
FRAME_BOTTOM = 16 * mm

TITLE_SIZE = 22.0  # 二号
BODY_SIZE = 10.5  # 五号
SMALL_SIZE = 9.0  # 小五
LEADING = 1.5  # line height as a multiple of the font size

INK = colors.black
LABEL_FILL = colors.Color(0.925, 0.925, 0.925)
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
    return escape(text or "").replace("\n", "<br/>")


def clean_text(text: str) -> str:
    """Line breaks as newlines; tabs and other spaces as plain spaces; invisible control and format
    characters (zero-width space, BOM…) dropped — the font has no glyph for them and
    `fonts.unprintable` does not report them, so they must never reach the page."""
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


@dataclass
class _Para:
    text: str
    indent: bool  # indent the first line by two characters
    continues: bool = False  # the paragraph goes on in the next part (after a page split)


@dataclass
class _Line:
    para: int
    start: int
    end: int
    text: str
    width: float
    avail: float
    x_offset: float
    last: bool  # the last line of a paragraph: not justified


_TOKEN = re.compile(r"[!-~\u00c0-\u024f]+|\s|.", re.S)


class CJKText(Flowable):
    """Plain text wrapped the Chinese way. See the module docstring."""

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
        _paras: list[_Para] | None = None,
    ) -> None:
        super().__init__()
        register_fonts()
        self.size = size
        self.leading = leading if leading is not None else size * LEADING
        self.align = align
        self.bold = bold
        self.vertical = vertical
        text = clean_text(text)
        if vertical:
            text = "\n".join(c for c in text if not c.isspace())
        self.paras = _paras if _paras is not None else [_Para(t, indent) for t in text.split("\n")]
        self._widths: dict[str, float] = {}
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
        return CJKText(size=self.size, align=self.align, leading=self.leading, bold=self.bold, _paras=paras)

    # measuring -------------------------------------------------------------------------------

    def _w(self, s: str) -> float:
        total = 0.0
        for c in s:
            w = self._widths.get(c)
            if w is None:
                w = self.size if c in DRAWN_GLYPHS else string_width(c, self.size)
                self._widths[c] = w
            total += w
        return total

    def _break_para(self, index: int, para: _Para, width: float) -> list[_Line]:
        text = para.text
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        # a word too long for any line is cut into characters
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
        indent = 2 * self.size if para.indent else 0.0
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
            self._lines = [ln for i, p in enumerate(self.paras) for ln in self._break_para(i, p, width)]
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

    def draw(self) -> None:
        canv = self.canv
        lines = self._break(self.width)
        ascent = 0.88 * self.size
        half = (self.leading - self.size) / 2
        for i, ln in enumerate(lines):
            baseline = self.height - i * self.leading - half - ascent
            char_space = 0.0
            free = ln.avail - ln.width
            chars = len(ln.text)
            if self.align == "justify" and not ln.last and chars > 1 and free > 0:
                char_space = free / (chars - 1)
                if char_space > self.size:  # a stray long word: leave the line ragged
                    char_space = 0.0
            if self.align == "center":
                x = ln.x_offset + free / 2
            elif self.align == "right":
                x = ln.x_offset + free
            else:
                x = ln.x_offset
            self._draw_line(canv, ln.text, x, baseline, char_space)

    def _draw_line(self, canv: Canvas, text: str, x: float, baseline: float, char_space: float) -> None:
        for is_box, group in itertools.groupby(text, key=lambda c: c in DRAWN_GLYPHS):
            run = "".join(group)
            if is_box:
                for c in run:
                    draw_checkbox(canv, x, baseline, self.size, c == CHECKED)
                    x += self.size + char_space
                continue
            draw_text(canv, x, baseline, run, self.size, char_space, 2 if self.bold else 0)
            x += self._w(run) + char_space * len(run)


def draw_text(
    canv: Canvas, x: float, baseline: float, text: str, size: float, char_space: float = 0.0, mode: int = 0
) -> None:
    """Draw one run of text in the Song face. `mode` 2 = fill and stroke (the nearest a TTF gets to
    bold), 3 = invisible. In PDF the character spacing and the render mode outlive the text object
    (and reportlab assumes mode 0 when it starts one), so any other setting is wrapped in q … Q."""
    plain = not char_space and mode == 0
    if not plain:
        canv.saveState()
    if mode == 2:
        canv.setLineWidth(size * 0.035)
    t = canv.beginText(x, baseline)
    t.setFont(SONG, size)
    if char_space:
        t.setCharSpace(char_space)
    if mode:
        t.setTextRenderMode(mode)
    t.textOut(text)
    canv.drawText(t)
    if not plain:
        canv.restoreState()


def draw_checkbox(canv: Canvas, x: float, baseline: float, size: float, checked: bool) -> None:
    """A square box one character wide, ticked if `checked`; with an invisible □/√ for copy and search."""
    side = 0.76 * size
    left = x + (size - side) / 2
    bottom = baseline - 0.07 * size
    canv.saveState()
    canv.setStrokeColor(INK)
    canv.setLineWidth(max(0.5, size * 0.055))
    canv.rect(left, bottom, side, side, stroke=1, fill=0)
    if checked:
        canv.setLineWidth(size * 0.1)
        canv.setLineCap(1)
        canv.setLineJoin(1)
        path = canv.beginPath()
        path.moveTo(left + 0.18 * side, bottom + 0.52 * side)
        path.lineTo(left + 0.42 * side, bottom + 0.22 * side)
        path.lineTo(left + 0.86 * side, bottom + 0.88 * side)
        canv.drawPath(path, stroke=1, fill=0)
    draw_text(canv, left, bottom, "√" if checked else "□", side, 0.0, 3)
    canv.restoreState()


# --------------------------------------------------------------------------------------------
# The heavy outer frame: every part of a form notes where it was drawn; the page adds the frame.


def _note_extent(canv: Canvas, group: str, width: float, height: float) -> None:
    extents: dict[str, list[float]] | None = getattr(canv, "_form_extents", None)
    if extents is None or not group:
        return
    x0, y0 = canv.absolutePosition(0, 0)
    box = extents.get(group)
    if box is None:
        extents[group] = [x0, y0, x0 + width, y0 + height]
    else:
        box[0], box[1] = min(box[0], x0), min(box[1], y0)
        box[2], box[3] = max(box[2], x0 + width), max(box[3], y0 + height)


class _FormTable(Table):
    def __init__(self, *args: Any, group: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.group = self.group
        return parts

    def draw(self) -> None:
        super().draw()
        _note_extent(self.canv, self.group, self._width, self._height)


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


def label(text: str, span: int = 1, rows: int = 1, align: str = "center") -> Cell:
    """A label cell (lightly shaded)."""
    return Cell(text, span, rows, "label", align)


def value(content: str | Flowable = "", span: int = 1, rows: int = 1, align: str = "left") -> Cell:
    """A value cell: text wraps inside the cell; an empty one is left for handwriting."""
    return Cell(content, span, rows, "value", align)


def section(text: str, rows: int, span: int = 1) -> Cell:
    """A section label written downwards in a narrow shaded cell spanning `rows` rows."""
    return Cell(text, span, rows, "section", "center")


def _cell_flowable(cell: Cell) -> Flowable:
    if not isinstance(cell.content, str):
        return cell.content
    if cell.kind == "section":
        return CJKText(cell.content, cell.size, align="center", vertical=True, leading=cell.size * 1.35)
    return CJKText(cell.content, cell.size, align=cell.align)


def grid(rows: Sequence[Sequence[Cell]], widths: Sequence[float], group: str = "") -> Table:
    """A ruled table. Each row lists its cells left to right; cells covered by a row span from an
    earlier row are skipped. Every row must fill exactly len(widths) columns."""
    ncols = len(widths)
    nrows = len(rows)
    taken = [[False] * ncols for _ in range(nrows)]
    data: list[list[Any]] = [[""] * ncols for _ in range(nrows)]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), SONG, BODY_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
        ("GRID", (0, 0), (-1, -1), THIN, INK),
    ]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c < ncols and taken[r][c]:
                c += 1
            if c + cell.span > ncols or r + cell.rows > nrows:
                raise ValueError(f"row {r}: cell {cell.content!r} runs past the table")
            for rr in range(r, r + cell.rows):
                for cc in range(c, c + cell.span):
                    if taken[rr][cc]:
                        raise ValueError(f"row {r}: cell {cell.content!r} overlaps another cell")
                    taken[rr][cc] = True
            data[r][c] = _cell_flowable(cell)
            end = (c + cell.span - 1, r + cell.rows - 1)
            if cell.span > 1 or cell.rows > 1:
                style.append(("SPAN", (c, r), end))
            if cell.kind in ("label", "section"):
                style.append(("BACKGROUND", (c, r), end, LABEL_FILL))
            if cell.kind == "section":
                style.append(("LEFTPADDING", (c, r), end, 1))
                style.append(("RIGHTPADDING", (c, r), end, 1))
            c += cell.span
        if not all(taken[r]):
            raise ValueError(f"row {r} fills {sum(taken[r])} of {ncols} columns")
    table = _FormTable(data, colWidths=list(widths), style=TableStyle(style), group=group)
    table.hAlign = "CENTER"
    return table


class TextRow(Flowable):
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
    ) -> None:
        super().__init__()
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
        self.width = availWidth
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
                       group=self.group, continued=continued)

    def draw(self) -> None:
        canv = self.canv
        w, h = self.width, self.height
        canv.saveState()
        if self.label_width:
            canv.setFillColor(LABEL_FILL)
            canv.rect(0, 0, self.label_width, h, stroke=0, fill=1)
        canv.setStrokeColor(INK)
        canv.setLineWidth(THIN)
        canv.rect(0, 0, w, h, stroke=1, fill=0)
        if self.label_width:
            canv.line(self.label_width, 0, self.label_width, h)
        canv.restoreState()
        if self.label_width:
            lh = self.label.height
            self.label.drawOn(canv, PAD_X, (h - lh) / 2)
        self.body.drawOn(canv, self.label_width + PAD_X, h - PAD_Y - self.body.height)
        _note_extent(canv, self.group, w, h)


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
        self._parts.append(KeepTogether([table]) if keep_together else table)
        return self

    def listing(self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]], title: str = "") -> Form:
        """A table of many like rows (members, visits …) under a `header` row — and a `title` row
        across the table above it, if given — that repeat at the top of every page it runs on to."""
        head: list[Sequence[Cell]] = [header]
        if title:
            head.insert(0, [Cell(title, len(self.widths), 1, "label", "left")])
        table = grid([*head, *rows], self.widths, self.group)
        table.repeatRows = len(head)
        self._parts.append(table)
        return self

    def text(
        self, label_text: str | None, text: str, *, min_lines: int = 3, indent: bool = True,
        label_span: int | None = None,
    ) -> Form:
        span = self.text_label_span if label_span is None else label_span
        self._parts.append(
            _Fixed(TextRow(label_text, text, sum(self.widths[:span]), min_lines=min_lines, indent=indent,
                           group=self.group), self.width)
        )
        return self

    def flowables(self) -> list[Flowable]:
        return list(self._parts)


class _Fixed(Flowable):
    """Give a flowable a fixed width (centred in the frame) whatever width the frame offers."""

    def __init__(self, inner: Flowable, width: float) -> None:
        super().__init__()
        self.inner = inner
        self.fixed = width
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        w, h = self.inner.wrap(min(self.fixed, availWidth), availHeight)
        self.width, self.height = w, h
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = self.inner.split(min(self.fixed, availWidth), availHeight)
        return [_Fixed(p, self.fixed) for p in parts]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)


# --------------------------------------------------------------------------------------------
# Text outside the table: notes, signature lines


def note(text: str, size: float = SMALL_SIZE, space_before: float = 2 * mm) -> Flowable:
    """A small line of text under the table (注：…)."""
    t = CJKText(text, size, align="left")
    t.spaceBefore = space_before
    return t


def signature_block(
    signers: Sequence[str], *, date: bool = True, space_before: float = 3 * mm, line_width: float = 48 * mm,
    date_width: float = 42 * mm, row_height: float = 8.5 * mm,
) -> Flowable:
    """Lines to sign on, one signer a line: "接待人（签名）：________　　　年　　月　　日"."""
    label_w = max(string_width(s, BODY_SIZE) for s in signers) + 2 * PAD_X
    widths = [label_w, line_width] + ([date_width] if date else [])
    rows: list[list[Any]] = []
    for signer in signers:
        row: list[Any] = [CJKText(signer, BODY_SIZE, align="right"), ""]
        if date:
            row.append(CJKText("年　　月　　日", BODY_SIZE, align="right"))
        rows.append(row)
    table = Table(rows, colWidths=widths, rowHeights=[row_height] * len(rows))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), THIN, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    table.hAlign = "RIGHT"
    return KeepTogether([Spacer(1, space_before), table])


def keep_together(*parts: Flowable) -> Flowable:
    """Keep the parts on one page if they fit (e.g. the last rows of a form and its signature lines)."""
    flat: list[Flowable] = []
    for part in parts:  # a KeepTogether inside another always looks too tall: unpack it
        flat.extend(part._content if isinstance(part, KeepTogether) else [part])
    return KeepTogether(flat)


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
        title = CJKText(title_text, TITLE_SIZE, bold=True)
        tw = string_width(title_text, TITLE_SIZE)
        spacing = TITLE_SIZE * 0.15 if len(title_text) <= 8 else 0.0
        total = tw + spacing * (len(title_text) - 1)
        title._draw_line(canv, title_text, (PAGE_WIDTH - total) / 2, PAGE_HEIGHT - 20 * mm, spacing)
        y = PAGE_HEIGHT - 30 * mm
        fields = [f for f in title_fields if f]
        _spread(canv, fields, y, BODY_SIZE)
        footer = [self.footer_left, f"第 {page} 页　共 {pages} 页", self.footer_right]
        _spread(canv, footer, 9 * mm, SMALL_SIZE)
        for extra in self.extras:
            extra(canv, page, pages)
        canv.restoreState()


def _spread(canv: Canvas, texts: Sequence[str], y: float, size: float) -> None:
    """Draw 1–3 texts on one line: left, (centre,) right."""
    canv.setFillColor(INK)
    for i, text in enumerate(texts):
        text = clean_text(text).replace("\n", " ")
        if not text:
            continue
        w = string_width(text, size)
        if i == 0:
            x = MARGIN_X
        elif i == len(texts) - 1:
            x = PAGE_WIDTH - MARGIN_X - w
        else:
            x = (PAGE_WIDTH - w) / 2
        draw_text(canv, x, y, text, size)


class _FormCanvas(Canvas):
    """Keeps every page until the end, so each can say "共 N 页"; draws the forms' outer frames."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._saved_pages: list[dict[str, Any]] = []
        self._form_extents: dict[str, list[float]] = {}

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

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, 1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def build(
    doc_title: str,
    *story_parts: Flowable | Iterable[Flowable],
    fields: Sequence[str] = (),
    footer_left: str = "",
    footer_right: str = "",
    author: str = "",
    subject: str = "",
) -> bytes:
    """Lay the story out on A4 pages under `doc_title` and return the PDF."""
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
        creator="妇联维权工作台", invariant=1, initialFontName=SONG, initialFontSize=BODY_SIZE,
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
