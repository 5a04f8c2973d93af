"""Printing a form: each page goes to the printer as an image of at most 300 dpi, in greyscale when the page is
black and white (a 1200-dpi laser printer would otherwise get 531 MB a page), and a page that cannot be made is
said, never printed blank."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from reportlab.lib.colors import red
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from fulian_desktop.gui.shell import pdf_preview

A4_AT_300 = (2481, 3508)


def two_pages() -> bytes:
    """A black-and-white form page and a page with a red seal."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 14)
    c.drawString(72, 760, "Form page: ruled table")
    for y in range(700, 400, -30):
        c.line(72, y, 520, y)
    c.showPage()
    c.setFillColor(red)
    c.circle(300, 500, 60, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture
def printer_dialog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The system print dialog, answered with OK on a 1200-dpi printer (that prints into a PDF file here)."""
    target = tmp_path / "printed.pdf"

    class Dialog:
        def __init__(self, printer: QPrinter, parent: Any) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(target))
            printer.setResolution(1200)

        def setWindowTitle(self, title: str) -> None:  # noqa: N802 - Qt's name
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview, "QPrintDialog", Dialog)
    return target


def images_in(pdf: Path) -> list[tuple[int, int, str]]:
    """Every image the printed PDF holds, page by page: width, height and colour space ("gray" or "rgb"); a
    transparency mask beside an image counts as an image of its own, as a printer driver would receive it."""
    spaces = {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY: "gray", pdfium_c.FPDF_COLORSPACE_DEVICERGB: "rgb"}
    rows = []
    document = pdfium.PdfDocument(pdf.read_bytes())
    for page in document:
        for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            meta = image.get_metadata()
            rows.append((meta.width, meta.height, spaces.get(meta.colorspace, str(meta.colorspace))))
    rows += [(0, 0, "mask")] * len(re.findall(rb"/SMask\s+\d+\s+\d+\s+R", pdf.read_bytes()))
    document.close()
    return rows


def black_and_white_page() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawString(72, 760, "Form page")
    c.line(72, 700, 520, 700)
    c.showPage()
    c.save()
    return out.getvalue()


def corner_of_printed_page(pdf: Path, page: int) -> QColor:
    document = QPdfDocument()
    document.load(str(pdf))
    image = document.render(page, QSize(120, 170))
    return image.pixelColor(30, 150)  # inside the printed image, away from the writing: the paper


def print_by_clicking(qtbot: Any, pdf: bytes) -> pdf_preview.PdfPreview:
    preview = pdf_preview.PdfPreview(pdf, "表格.pdf")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    return preview


def test_a_black_and_white_form_prints_at_300_dpi_in_grey(qtbot: Any, printer_dialog: Path, said: list[str]) -> None:
    print_by_clicking(qtbot, black_and_white_page())
    assert said == []
    ((width, height, colour),) = images_in(printer_dialog)  # one image, no transparency mask beside it
    assert A4_AT_300[0] - 120 <= width <= A4_AT_300[0] + 1 and A4_AT_300[1] - 160 <= height <= A4_AT_300[1] + 1
    assert colour == "gray"
    assert printer_dialog.stat().st_size < 200_000
    assert corner_of_printed_page(printer_dialog, 0) == QColor("white")  # white paper, not a black page


def test_a_page_in_colour_keeps_its_colour(qtbot: Any, printer_dialog: Path, said: list[str]) -> None:
    print_by_clicking(qtbot, two_pages())
    assert said == []
    pages = images_in(printer_dialog)
    assert len(pages) == 2 and all(w <= A4_AT_300[0] + 1 and h <= A4_AT_300[1] + 1 for w, h, _c in pages)
    assert pages[1][2] == "rgb"  # the red seal
    assert corner_of_printed_page(printer_dialog, 0) == QColor("white")


def test_a_page_that_cannot_be_made_is_said_not_printed_blank(qtbot: Any, printer_dialog: Path, said: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_preview.page_image
    monkeypatch.setattr(pdf_preview, "page_image",
                        lambda doc, i, size: QImage() if i == 1 else real(doc, i, size))  # out of memory
    print_by_clicking(qtbot, two_pages())
    assert len(said) == 1 and "第2页无法生成打印图像" in said[0]
