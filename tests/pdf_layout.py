"""A printed form read back as a reader sees it: where each character landed (pypdfium2's text page), the
seal's dashed circle and the lines drawn on the page (its path objects), and the text line by line.

    pages = read(pdf)
    assert not layout_problems(pages)        # no words on words, under the seal's circle, or crossed by a line
    assert not split_values(pages, ["贺辉斌", "¥80.00"])   # each value whole on one line

The checks look at the PDF itself, not at the layout code, so that they catch whatever puts text where it
does not belong."""

from __future__ import annotations

import ctypes
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as a reader copies or searches it (pdfium's text page), page by page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            text = page.get_textpage()
            out.append(text.get_text_range())
            text.close()
            page.close()
        return out
    finally:
        doc.close()


def flat(text: str) -> str:
    """The text without its spaces and line breaks (where the layout broke a line is not what is checked)."""
    return re.sub(r"\s+", "", text)


Box = tuple[float, float, float, float]  # left, bottom, right, top in points
Segment = tuple[float, float, float, float]  # x0, y0, x1, y1

EPSILON = 0.3  # points: boxes closer than this only touch
BUCKET = 24.0  # points: the grid the characters are sorted into to find neighbours
INVISIBLE = 3  # the text render mode of a checkbox's copy text (□ √), drawn over its box on purpose
SEAL_DIAMETER = (80.0, 120.0)  # points: a circle this size (34 mm) is the seal's guide


@dataclass
class Char:
    text: str
    box: Box


@dataclass
class Page:
    number: int
    chars: list[Char] = field(default_factory=list)
    circles: list[Box] = field(default_factory=list)  # the seal's dashed circle(s)
    strokes: list[Segment] = field(default_factory=list)  # straight lines drawn: rules, signature lines
    lines: list[str] = field(default_factory=list)  # the text, line by line


def _matrix_apply(m: pdfium.PdfMatrix, x: float, y: float) -> tuple[float, float]:
    return m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f


def _path(obj: pdfium.PdfObject, page: Page) -> None:
    raw = obj.raw
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill), ctypes.byref(stroke))
    if not stroke.value:
        return  # a shaded cell: words stand on it by design
    n = pdfium_c.FPDFPath_CountSegments(raw)
    kinds, points = [], []
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        kinds.append((pdfium_c.FPDFPathSegment_GetType(seg), bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
        points.append((x.value, y.value))
    if any(k == pdfium_c.FPDF_SEGMENT_BEZIERTO for k, _ in kinds):
        left, bottom, right, top = obj.get_bounds()
        if all(SEAL_DIAMETER[0] <= d <= SEAL_DIAMETER[1] for d in (right - left, top - bottom)):
            page.circles.append((left, bottom, right, top))
        return
    matrix = obj.get_matrix()
    start = last = (0.0, 0.0)
    for (kind, closes), (x, y) in zip(kinds, points, strict=True):
        here = _matrix_apply(matrix, x, y)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = here
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            page.strokes.append((*last, *here))
            if closes:
                page.strokes.append((*here, *start))
        last = here


def read(pdf: bytes) -> list[Page]:
    doc = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for number, pdf_page in enumerate(doc, 1):
            page = Page(number)
            text = pdf_page.get_textpage()
            for i in range(text.count_chars()):
                c = chr(pdfium_c.FPDFText_GetUnicode(text.raw, i))
                if c.isspace() or not c.isprintable():
                    continue
                obj = pdfium_c.FPDFText_GetTextObject(text.raw, i)
                if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == INVISIBLE:
                    continue
                page.chars.append(Char(c, text.get_charbox(i)))
            page.lines = text.get_text_range().replace("\r\n", "\n").split("\n")
            for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
                _path(obj, page)
            text.close()
            pdf_page.close()
            pages.append(page)
    finally:
        doc.close()
    return pages


def _overlap(a: Box, b: Box) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > EPSILON) and (min(a[3], b[3]) - max(a[1], b[1]) > EPSILON)


def _crosses(s: Segment, b: Box) -> bool:
    """A straight line through the inside of a box (only level and upright lines are drawn on forms)."""
    x0, y0, x1, y1 = s
    if abs(y0 - y1) < 0.01:  # level
        return b[1] + EPSILON < y0 < b[3] - EPSILON and min(x0, x1) < b[2] - EPSILON and max(x0, x1) > b[0] + EPSILON
    if abs(x0 - x1) < 0.01:  # upright
        return b[0] + EPSILON < x0 < b[2] - EPSILON and min(y0, y1) < b[3] - EPSILON and max(y0, y1) > b[1] + EPSILON
    return False


def _buckets(box: Box) -> list[tuple[int, int]]:
    return [(i, j) for i in range(math.floor(box[0] / BUCKET), math.floor(box[2] / BUCKET) + 1)
            for j in range(math.floor(box[1] / BUCKET), math.floor(box[3] / BUCKET) + 1)]


def _context(page: Page, i: int) -> str:
    return "".join(c.text for c in page.chars[max(0, i - 6):i + 7])


def layout_problems(pages: list[Page]) -> list[str]:
    """Every place where a character lies on another, inside the seal's circle, or is crossed by a line."""
    found = []
    for page in pages:
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, c in enumerate(page.chars):
            near = {j for key in _buckets(c.box) for j in grid[key]}
            for j in sorted(near):
                if _overlap(c.box, page.chars[j].box):
                    found.append(f"page {page.number}: “{page.chars[j].text}” and “{c.text}” on each other "
                                 f"(…{_context(page, j)}… / …{_context(page, i)}…)")
            for key in _buckets(c.box):
                grid[key].append(i)
        for circle in page.circles:
            inside = [i for i, c in enumerate(page.chars) if _overlap(c.box, circle)]
            if inside:
                found.append(f"page {page.number}: the seal's circle lies over “"
                             + "".join(page.chars[i].text for i in inside) + "”")
        for s in page.strokes:
            crossed = [i for i, c in enumerate(page.chars) if _crosses(s, c.box)]
            if crossed:
                found.append(f"page {page.number}: a line drawn through “"
                             + "".join(page.chars[i].text for i in crossed) + "”")
    return found


def split_values(pages: list[Page], values: list[str]) -> list[str]:
    """The values that are not whole on one line of any page (a name or an amount broken across lines)."""
    lines = [line for page in pages for line in page.lines]
    return [v for v in values if v and not any(v in line for line in lines)]
