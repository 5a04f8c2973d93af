"""Attached originals (附件) printed with a case's papers: each image on a page of its own, a PDF's pages one after
the other (drawn from the PDF at print quality), under the heading of the place they take in the file and the
attachment's kind and note. Used by the mediation dossier (卷宗) and the export of one case."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..domain import images
from ..domain.attachments import Paper, is_image, is_pdf
from ..domain.dates import format_cn
from . import layout as L
from .binder import Part

PRINT_PIXELS = 2000  # a PDF page drawn about 240 dpi on A4: text of a scanned letter stays sharp


def printable(p: Paper) -> bool:
    return is_image(p.media) or is_pdf(p.media)


class PageImage(Flowable):
    """An image as large as the frame allows, its proportions kept, centred."""

    def __init__(self, png_or_jpeg: bytes) -> None:
        super().__init__()
        self.reader = ImageReader(io.BytesIO(png_or_jpeg))
        self.iw, self.ih = self.reader.getSize()
        self.width = self.height = 0.0
        self.avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        scale = min(availWidth / self.iw, (availHeight - 2) / self.ih)
        self.width, self.height = self.iw * scale, self.ih * scale
        self.avail = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, (self.avail - self.width) / 2, 0, self.width, self.height, mask="auto")


def _pages(p: Paper) -> list[bytes]:
    if is_pdf(p.media):
        out = []
        for i in range(images.pdf_pages(p.data)):
            buf = io.BytesIO()
            images.pdf_page_image(p.data, i, PRINT_PIXELS).convert("RGB").save(buf, "JPEG", quality=85)
            out.append(buf.getvalue())
        return out
    if p.media in ("image/jpeg", "image/png"):
        return [p.data]
    return [images.as_png(p.data, p.media)]


def paper_part(p: Paper, heading: str, fields: tuple[str, ...], footer_left: str, footer_right: str) -> Part:
    """The attachment's pages as one part of the file: the place's heading on each page, the kind and note under it."""
    story: list[Flowable] = []
    for n, page in enumerate(_pages(p)):
        if n:
            story.append(PageBreak())
        story.append(PageImage(page))
    caption = f"{p.kind}：{p.label}" if p.label else p.kind
    story.insert(0, L.note(caption, space_before=0))
    story.insert(1, Spacer(1, 2 * mm))
    decor = L.PageDecor(heading, fields=list(fields), footer_left=footer_left, footer_right=footer_right)
    return Part(story, decor)


def render_bundle(case_pdf: bytes, case_title: str, rows: list[tuple[str, str, str, str, str]], papers: list[Paper],
                  office_name: str, printed_on: dt.date) -> bytes:
    """One PDF for the court or a lawyer: the case's own form, then a list of the attachments given (序号, 类别,
    说明, 收到日期, 校验码 — `rows`), then each printable attachment's pages."""
    form = L.Form([12 * mm, 22 * mm, 62 * mm, 30 * mm, 44 * mm])
    form.rows([L.label("序号"), L.label("类别"), L.label("说明"), L.label("收到日期"), L.label("校验码（SHA-256前16位）")],
              *[[L.value(c, align="center" if i in (0, 3) else "left") for i, c in enumerate(r)] for r in rows],
              keep_together=False)
    story = [*form.flowables(),
             L.note("注：附件按序号附后（图片一页一张，PDF逐页）；Word、Excel等文件不能转为本PDF的，另以原文件提供。"
                    "校验码用于核对所附文件与本会保存的原件是否一致。")]
    footer = f"{office_name}　打印日期：{format_cn(printed_on)}"
    parts = [Part(story, L.PageDecor("附件目录", fields=[case_title], footer_left=footer))]
    parts += [paper_part(p, "附件", (case_title, f"附件{n}"), footer, "")
              for n, p in enumerate(papers, 1) if printable(p)]
    return appended(case_pdf, parts, "附件", office_name, case_title)


def appended(pdf: bytes, parts: list[Part], title: str, author: str, subject: str) -> bytes:
    """`pdf` with `parts` (attachments' pages, a list of them) laid out on the pages after its own."""
    import pypdfium2

    from .binder import build_parts

    extra = build_parts(title, parts, author=author, subject=subject).pdf
    out = pypdfium2.PdfDocument(pdf)
    try:
        more = pypdfium2.PdfDocument(extra)
        try:
            out.import_pages(more)
        finally:
            more.close()
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
