"""Several documents bound into one PDF: a file (卷宗) with its cover, table of contents and documents,
or several records of one kind (each session's 调解记录) one after the other.

Each part starts on a new page under its own title and subtitle line, counts its own pages
("第 1 页 共 2 页" within the part), and may be a page without title and footer (a cover) whose text
takes the whole page. `build_parts` also says on which page each part begins, so a table of contents
can be filled in by building twice.

    built = build_parts("人民调解卷宗", [Part(cover, None, full_page=True), Part(story, PageDecor(...))])
    built.pdf, built.first_pages, built.page_counts
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from . import layout as L
from .fonts import SONG, register_fonts, string_width
from .pdf_text import PdfText

Decorate = Callable[[Canvas, int, int], None]  # (canvas, page within the part, pages in the part)


@dataclass
class Part:
    story: list[Flowable]
    decor: Decorate | None = None  # a PageDecor; None: no title, subtitle or footer
    full_page: bool = False  # the text may use the whole page (no room kept for the title)


@dataclass
class Built:
    pdf: bytes
    first_pages: list[int] = field(default_factory=list)  # 1-based, per part
    page_counts: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(self.page_counts)


class _PartsCanvas(L._FormCanvas):
    """Decorates each page with its part's title and footer, numbering pages within the part."""

    def __init__(self, *args: Any, decors: Sequence[Decorate | None], report: Built, **kwargs: Any) -> None:
        super().__init__(*args, decorate=lambda _c, _p, _n: None, **kwargs)
        self._decors = list(decors)
        self._report = report
        self._part = 0

    def save(self) -> None:
        parts = [int(state.get("_part", 0)) for state in self._saved_pages]
        totals = Counter(parts)
        seen: Counter[int] = Counter()
        self._report.first_pages = [0] * len(self._decors)
        self._report.page_counts = [totals.get(i, 0) for i in range(len(self._decors))]
        for number, (state, part) in enumerate(zip(self._saved_pages, parts, strict=True), 1):
            self.__dict__.update(state)
            seen[part] += 1
            if seen[part] == 1:
                self._report.first_pages[part] = number
            decor = self._decors[part]
            if decor is not None:
                decor(self, seen[part], totals[part])
            self.finish_text()
            Canvas.showPage(self)
        Canvas.save(self)


def _mark_part(index: int, canv: Canvas, _doc: Any) -> None:
    canv._part = index


def build_parts(
    doc_title: str, parts: Sequence[Part], *, author: str = "", subject: str = ""
) -> Built:
    """Lay the parts out one after the other on A4 pages; return the PDF and where each part begins."""
    register_fonts()
    if not parts:
        raise ValueError("nothing to print")
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=L.A4, leftMargin=L.MARGIN_X, rightMargin=L.MARGIN_X,
        topMargin=L.PAGE_HEIGHT - L.FRAME_TOP, bottomMargin=L.FRAME_BOTTOM, title=doc_title, author=author,
        subject=subject, creator="妇联维权工作台", invariant=1, initialFontName=SONG,
        initialFontSize=L.BODY_SIZE,
    )
    templates = []
    story: list[Flowable] = []
    for i, part in enumerate(parts):
        top = L.PAGE_HEIGHT - 20 * mm if part.full_page else L.FRAME_TOP
        frame = Frame(L.MARGIN_X, L.FRAME_BOTTOM, L.CONTENT_WIDTH, top - L.FRAME_BOTTOM, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id=f"body{i}")
        templates.append(PageTemplate(id=f"part{i}", frames=[frame], onPage=partial(_mark_part, i)))
        if i:
            story += [NextPageTemplate(f"part{i}"), PageBreak()]
        story += part.story or [Spacer(1, 1)]
    doc.addPageTemplates(templates)
    built = Built(b"")
    doc.build(story, canvasmaker=partial(_PartsCanvas, decors=[p.decor for p in parts], report=built))
    built.pdf = buffer.getvalue()
    return built


# --------------------------------------------------------------------------------------------
# Pieces many official papers share

SEAL_RADIUS = 15 * mm  # where the committee's round seal goes (a guide, drawn faintly)
SEAL_GAP = 2 * mm  # between the seal's circle and the words or lines next to it


def seal_block(owner: str, on_text: str = "年　　月　　日", *, space_before: float = 3 * mm,
               circle: bool = True) -> Flowable:
    """The seal's place, bottom right: the body's name with "（印）" and the date under it, and a faint
    dashed circle where the seal goes, left of them (above them if the name leaves no room) — clear of
    every word, its own and the signatures', so that nothing printed is hidden under the guide."""
    return L.Together([Spacer(1, space_before), _Seal(owner, on_text, circle)])


class _Seal(Flowable):
    def __init__(self, owner: str, on_text: str, circle: bool) -> None:
        super().__init__()
        self.owner = f"{owner}（印）" if owner else "（印）"
        self.on_text = on_text
        self.circle = circle
        self.lines = [L.CJKText(self.owner, L.BODY_SIZE, align="center"),
                      L.CJKText(on_text, L.BODY_SIZE, align="center")]
        self.text_width = max(string_width(self.owner, L.BODY_SIZE), string_width(on_text, L.BODY_SIZE)) + 4
        self.width = 0.0
        self.height = 0.0
        self.words_height = 0.0

    def _beside(self) -> bool:
        """Room for the circle left of the words."""
        return self.width - self.text_width - SEAL_GAP >= 2 * SEAL_RADIUS

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.text_width = min(self.text_width, availWidth)
        self.words_height = sum(line.wrap(self.text_width, availHeight)[1] for line in self.lines)
        if not self.circle:
            self.height = self.words_height
        elif self._beside():
            self.height = max(self.words_height, 2 * SEAL_RADIUS)
        else:
            self.height = self.words_height + SEAL_GAP + 2 * SEAL_RADIUS
        return self.width, self.height

    def draw(self) -> None:
        x = self.width - self.text_width
        self.draw_words(x, 0.0)
        if self.circle:
            if self._beside():  # its foot level with the date's
                self.draw_circle(x - SEAL_GAP - SEAL_RADIUS, SEAL_RADIUS)
            else:
                cx = min(max(x + self.text_width / 2, SEAL_RADIUS), self.width - SEAL_RADIUS)
                self.draw_circle(cx, self.words_height + SEAL_GAP + SEAL_RADIUS)

    def draw_words(self, x: float, y: float) -> None:
        """The name and the date (as wrapped last), their bottom-left corner at (x, y)."""
        out = PdfText(self.canv)
        for line in reversed(self.lines):
            line.emit(out, x, y)
            y += line.height
        out.close()

    def draw_circle(self, cx: float, cy: float) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColorRGB(0.65, 0.65, 0.65)
        canv.setLineWidth(0.5)
        canv.setDash(2, 2)
        canv.circle(cx, cy, SEAL_RADIUS, stroke=1, fill=0)
        canv.restoreState()


def field_lines(rows: Sequence[tuple[str, str]], *, label_width: float = 32 * mm, value_width: float = 100 * mm,
                size: float = 14.0, row_height: float = 13 * mm) -> Flowable:
    """Label and value pairs on underlined lines (a cover's 卷名 ____ 卷号 ____)."""
    data = [[L.CJKText(lab, size, align="right"), L.CJKText(val, size)] for lab, val in rows]
    return L.LineRows(data, [label_width, value_width], row_height,
                      underlined=[(r, 1) for r in range(len(rows))], pad_x=3, pad_bottom=2)


def signature_columns(left: Sequence[str], right: Sequence[str], *, line_width: float = 40 * mm,
                      row_height: float = 8.5 * mm, space_before: float = 4 * mm,
                      seal: tuple[str, str] | None = None, left_marks: Sequence[bytes | None] = ()) -> Flowable:
    """Two columns of lines to sign on (parties on the left, mediators and recorder on the right):
    each signer's words, then a line. Half the height of one long column. `seal` (the body, the date):
    its place under the right column, as the official forms have it (see _ColumnsAndSeal). `left_marks`: the
    signatures given on screen (PNG) set on the left column's lines."""
    rows = max(len(left), len(right))
    left = [*left, *[""] * (rows - len(left))]
    right = [*right, *[""] * (rows - len(right))]
    widest = (L.CONTENT_WIDTH - 2 * 20 * mm) / 2  # a signer named at length wraps, the lines stay on the page
    lw = min(max([string_width(s, L.BODY_SIZE) for s in left if s] or [0.0]) + 2 * L.PAD_X, widest)
    rw = min(max([string_width(s, L.BODY_SIZE) for s in right if s] or [0.0]) + 2 * L.PAD_X, widest)
    marks = [*left_marks, *[None] * (rows - len(left_marks))]
    data: list[list[Flowable | None]] = [
        [L.CJKText(a, L.BODY_SIZE, align="right"), L.SignatureMark(mark) if mark else None,
         L.CJKText(b, L.BODY_SIZE, align="right"), None]
        for a, b, mark in zip(left, right, marks[:rows], strict=True)]
    underlined = [(r, c) for r, (a, b) in enumerate(zip(left, right, strict=True))
                  for c, signer in ((1, a), (3, b)) if signer]
    line = max(min(line_width, (L.CONTENT_WIDTH - lw - rw) / 2), 20 * mm)
    table = L.LineRows(data, [lw, line, rw, line], row_height, underlined=underlined, pad_x=2, pad_bottom=1)
    if seal is None:
        return L.Together([Spacer(1, space_before), table])
    left_rows = max((i + 1 for i, s in enumerate(left) if s), default=0)
    right_rows = max((i + 1 for i, s in enumerate(right) if s), default=0)
    both = _ColumnsAndSeal(table, lw + line, left_rows, right_rows, _Seal(*seal, circle=True))
    return L.Together([Spacer(1, space_before), both])


class _ColumnsAndSeal(Flowable):
    """Two columns of signature lines with the seal's place under them: the body's name and the date under
    the right column (the mediators' and the recorder's), the circle left of them under the parties' column,
    each below the last line of its own column — the pair is lower than the columns and a seal one under
    the other, and the circle lies over no word and no line."""

    def __init__(self, table: L.LineRows, right_at: float, left_rows: int, right_rows: int, seal: _Seal) -> None:
        super().__init__()
        self.table = table
        self.right_at = right_at  # where the right column begins, from the table's left edge
        self.left_rows = left_rows
        self.right_rows = right_rows
        self.seal = seal
        self.width = 0.0
        self.height = 0.0

    def _places(self) -> tuple[float, float, float]:
        """The table's left edge, the words' left edge and the circle's centre (x) in the block."""
        table_x = (self.width - self.table.width) / 2
        words_x = self.width - self.seal.text_width
        circle_x = min(table_x + self.right_at, words_x) - SEAL_GAP - SEAL_RADIUS
        return table_x, words_x, circle_x

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.table.wrap(availWidth, availHeight)
        self.seal.wrap(availWidth, availHeight)
        def rows_height(n: int) -> float:  # the first n rows (a row grows when its words do not fit)
            return sum(self.table.heights[:n])

        words_need = rows_height(self.right_rows) + SEAL_GAP + self.seal.words_height
        if self._beside():
            circle_need = rows_height(self.left_rows) + SEAL_GAP + 2 * SEAL_RADIUS
        else:  # no room left of the words: the circle between the columns and the words
            circle_need = words_need + SEAL_GAP + 2 * SEAL_RADIUS
            words_need = rows_height(max(self.left_rows, self.right_rows)) + 2 * SEAL_GAP + 2 * SEAL_RADIUS + \
                self.seal.words_height
        self.height = max(words_need, circle_need, self.table.height)
        return self.width, self.height

    def _beside(self) -> bool:
        return self._places()[2] - SEAL_RADIUS >= 0

    def draw(self) -> None:
        canv = self.canv
        table_x, words_x, circle_x = self._places()
        self.table.drawOn(canv, table_x, self.height - self.table.height)
        self.seal.canv = canv
        try:
            self.seal.draw_words(words_x, 0.0)
            if self._beside():
                self.seal.draw_circle(circle_x, SEAL_RADIUS)
            else:
                self.seal.draw_circle(min(max(words_x + self.seal.text_width / 2, SEAL_RADIUS),
                                          self.width - SEAL_RADIUS),
                                      self.seal.words_height + SEAL_GAP + SEAL_RADIUS)
        finally:
            del self.seal.canv


RECEIPT_TITLE = "回　　执"
RECEIPT_WIDTHS = [28 * mm, 57 * mm, 28 * mm, 57 * mm]  # label | value | label | value   (170 mm)
BLANK_DATE = "年　　月　　日"


def receipt_block(intro: str, subject: tuple[str, str], decision: tuple[str, Sequence[str]], reason_label: str,
                  note: str) -> Flowable:
    """A tear-off receipt (回执) the receiving body fills in and returns — below a dashed cut line, kept whole on one
    page: what it concerns (`subject`: label, value) and the day it came, the decision ticked from `decision`
    (label, options), who handles it and their phone, the reason or what was done, the body's seal and the date.
    The legal-aid referral letter's and the petition transfer letter's (转送函) are this one."""
    title = L.CJKText(RECEIPT_TITLE, 15.0, align="center", bold=True)
    title.spaceAfter = 1 * mm
    lead = L.CJKText(intro, L.BODY_SIZE, align="justify")
    lead.spaceAfter = 2 * mm
    form = L.Form(RECEIPT_WIDTHS, text_label_span=1)
    form.rows(
        [L.label(subject[0]), L.value(subject[1]), L.label("收到日期"), L.value(BLANK_DATE, align="center")],
        [L.label(decision[0]), L.value(L.choices(decision[1], None), span=3)],
        [L.label("承办人"), L.value(""), L.label("联系电话"), L.value("")],
        keep_together=True,
    )
    form.text(reason_label, "", min_lines=3)
    seal = L.CJKText("\n\n\n（盖章）", L.BODY_SIZE, align="right")
    form.rows(
        [L.label("接收单位"), L.value(seal), L.label("日期"), L.value(BLANK_DATE, align="center")],
        keep_together=True,
    )
    return L.keep_together(L.CutLine("沿此线剪开　填写后退回"), title, lead, *form.flowables(), L.note(note))
