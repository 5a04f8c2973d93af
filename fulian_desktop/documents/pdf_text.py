"""Writing text into a PDF page directly: the Song face's character codes per document, and PDF text
objects (BT … ET) that take many runs of text, each at its own point, size, character spacing and render
mode, plus checkboxes drawn as lines.

reportlab's canvas would write one text object per drawString and look up each character's code each
time; a form (layout.py) has hundreds of short texts on a page, so it keeps one `PdfText` per page, which
every table and text block adds to and which is written when the page is finished. This writes into the
canvas's page code and reads its document and matrix: checked on reportlab 5.x (pyproject pins it).
"""

from __future__ import annotations

import weakref
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfgen.canvas import Canvas

from .fonts import song


class _Codes:
    """The codes of the Song face's characters in one PDF document. reportlab gives each character a
    code in a 256-character subset of the face the first time the document shows it (splitString);
    here that is asked once for each text object's new characters and each character's code is kept,
    so that a run of text becomes its codes with one str.translate."""

    def __init__(self, doc: Any) -> None:
        self.font = song()
        self.doc = doc
        self.names: list[str] = []  # per subset: the PDF font name
        # every character -> its code, escaped for a PDF string; for the characters of subset n > 0
        # preceded by chr(n): the codes are printable ASCII, the marks are not
        self.marked: dict[int, str] = {}
        self._font_ops: dict[tuple[int, float], str] = {}

    def font_op(self, subset: int, size: float) -> str:
        """The Tf operator for a subset at a size."""
        op = self._font_ops.get((subset, size))
        if op is None:
            op = self._font_ops[subset, size] = f"{self.names[subset]} {fp_str(size)} Tf"
        return op

    def learn(self, text: str) -> None:
        """Give the characters of `text` new to the document their codes, in order of first use."""
        marked = self.marked
        new = dict.fromkeys(text)
        if marked:
            for known in [c for c in new if ord(c) in marked]:
                del new[known]
            if not new:
                return
        chars = "".join(new)
        font, doc, names = self.font, self.doc, self.names
        start = 0
        for subset, codes in font.splitString(chars, doc):
            part = chars[start:start + len(codes)]
            start += len(codes)
            while len(names) <= subset:
                names.append(font.getSubsetInternalName(len(names), doc))
            if subset:
                mark = chr(subset)
                marked.update(zip(map(ord, part), [mark + _ESCAPED[c] for c in codes], strict=True))
            else:
                marked.update(zip(map(ord, part), map(_ESCAPED.__getitem__, codes), strict=True))

    def encode(self, text: str) -> list[tuple[int, str]]:
        """`text` (learnt) as (subset, escaped codes) pieces."""
        pieces: list[tuple[int, str]] = []
        for code in map(self.marked.__getitem__, map(ord, text)):
            subset = ord(code[0]) if code[0] < " " else 0
            if subset:
                code = code[1:]
            if pieces and pieces[-1][0] == subset:
                pieces[-1] = (subset, pieces[-1][1] + code)
            else:
                pieces.append((subset, code))
        return pieces


_ESCAPED = [escapePDF(bytes((code,))) for code in range(256)]  # a code as it is written in a PDF string
_CODES: weakref.WeakKeyDictionary[Any, _Codes] = weakref.WeakKeyDictionary()


def _codes(doc: Any) -> _Codes:
    codes = _CODES.get(doc)
    if codes is None:
        codes = _CODES[doc] = _Codes(doc)
    return codes


class PdfText:
    """One PDF text object (BT … ET) in the Song face: runs of text, each placed at its own point with
    its own size, character spacing and render mode. A form's canvas keeps one for each page, which
    every part of the form adds its text to and which is written when the page is finished (see
    `text_for`); elsewhere one is made and closed for each piece of text. Text state is reset before
    ET (the character spacing and the render mode outlive a text object, and reportlab assumes both
    are 0). A text object cannot hold drawings: the checkboxes are kept and drawn after it."""

    __slots__ = ("canv", "runs", "after", "ox", "oy", "page")

    def __init__(self, canv: Canvas, page: bool = False) -> None:
        self.canv = canv
        self.runs: list[tuple[float, float, str, float, float, int]] = []
        self.after: list[str] = []
        self.ox = self.oy = 0.0  # where the drawing's origin is on the page (for the page's text object)
        self.page = page

    def done(self) -> None:
        """The drawing that used this object is finished: close it, unless it is the page's."""
        if not self.page:
            self.close()

    def run(self, x: float, baseline: float, text: str, size: float, char_space: float = 0.0,
            mode: int = 0) -> None:
        """`text` on one line from (x, baseline); `mode` 2 = fill and stroke (the nearest a TTF gets to
        bold), 3 = invisible."""
        if text:
            self.runs.append((x + self.ox, baseline + self.oy, text, size, char_space, mode))

    def box(self, x: float, baseline: float, size: float, checked: bool) -> None:
        """A square box one character wide, ticked if `checked`; with an invisible □/√ for copy and search."""
        side = 0.76 * size
        left = x + (size - side) / 2
        bottom = baseline - 0.07 * size
        x0, y0 = left + self.ox, bottom + self.oy
        ops = [f"q 0 0 0 RG {fp_str(max(0.5, size * 0.055))} w n {fp_str(x0, y0, side, side)} re S"]
        if checked:
            ops.append(
                f"{fp_str(size * 0.1)} w 1 J 1 j n {fp_str(x0 + 0.18 * side, y0 + 0.52 * side)} m "
                f"{fp_str(x0 + 0.42 * side, y0 + 0.22 * side)} l "
                f"{fp_str(x0 + 0.86 * side, y0 + 0.88 * side)} l S"
            )
        ops.append("Q")
        self.after.append(" ".join(ops))
        self.run(left, bottom, "√" if checked else "□", side, 0.0, 3)

    def placed(self) -> list[tuple[float, float, float, str]]:
        """The runs not yet written, as (x, y, size, text) on the page (for the print benchmark)."""
        if self.page:  # kept in the page's coordinates already
            return [(x, y, size, text) for x, y, text, size, _space, _mode in self.runs]
        at = self.canv.absolutePosition
        return [(*at(x, y), size, text) for x, y, text, size, _space, _mode in self.runs]

    def close(self) -> None:
        """Write the text object (and then the checkboxes) into the page."""
        runs = self.runs
        if runs:
            codes = _codes(self.canv._doc)
            codes.learn("".join([r[2] for r in runs]))
            marked = codes.marked
            code = ["BT"]
            add = code.append
            current_subset, current_size = -1, -1.0
            current_space, current_mode, line_width = 0.0, 0, 0.0
            for x, baseline, text, size, char_space, mode in runs:
                add(f"1 0 0 1 {fp_str(x, baseline)} Tm")
                if char_space != current_space:
                    add(f"{fp_str(char_space)} Tc")
                    current_space = char_space
                if mode != current_mode:
                    add(f"{mode} Tr")
                    current_mode = mode
                if mode == 2 and size * 0.035 != line_width:  # the outline's width, for this size
                    line_width = size * 0.035
                    add(f"{fp_str(line_width)} w")
                chunk = text.translate(marked)
                if chunk.isprintable():  # all in subset 0 (the codes are printable, the marks are not)
                    subset = 0
                else:
                    subset = ord(chunk[0]) if chunk[0] < " " else 0
                    if subset and chunk.count(chunk[0]) == len(text):  # all in subset n
                        chunk = chunk.replace(chunk[0], "")
                    else:  # characters from more than one subset
                        for subset, piece in codes.encode(text):
                            if subset != current_subset or size != current_size:
                                add(codes.font_op(subset, size))
                                current_subset, current_size = subset, size
                            add(f"({piece}) Tj")
                        continue
                if subset != current_subset or size != current_size:
                    add(codes.font_op(subset, size))
                    current_subset, current_size = subset, size
                add(f"({chunk}) Tj")
            if current_space:
                add("0 Tc")
            if current_mode:
                add("0 Tr")
            add("ET")
            body = " ".join(code)
            if line_width:  # the line width set inside the text object is the page's: set it back
                body = f"q {body} Q"
            self._write(body)
        if self.after:
            self._write(" ".join(self.after))
        self.runs = []
        self.after = []

    def _write(self, code: str) -> None:
        canv = self.canv
        matrix = tuple(canv._currentMatrix)
        if self.page and matrix != (1, 0, 0, 1, 0, 0):  # the page's runs are in the page's coordinates
            code = f"q {_undo(matrix)} cm {code} Q"
        canv._code.append(code)


def _undo(matrix: tuple[float, ...]) -> str:
    """The `cm` operands that take the page back from `matrix` to its own coordinates."""
    a, b, c, d, e, f = matrix
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return fp_str(ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def text_for(canv: Canvas) -> PdfText:
    """The text object to draw into at the canvas's current origin: the page's own on a form's canvas
    (one text object and one look-up of new characters per page instead of one per table), else a new
    one. Call `.done()` when finished drawing."""
    out: PdfText | None = getattr(canv, "_page_text", None)
    a, b, c, d, e, f = canv._currentMatrix
    if out is None or (a, b, c, d) != (1, 0, 0, 1):  # the page's text object knows only moves
        return PdfText(canv)
    out.ox, out.oy = e, f
    return out
