"""Exported spreadsheets as a spreadsheet program shows and prints them: text exactly as on the screen
(no formula guard written into the value, yet nothing that a spreadsheet would run, even once edited),
wrapped text with the height it needs, the statistics as one report on A4 (the paragraph whole, the tables
one under another, no table split between pages), registers landscape with their header row on each page.
Where LibreOffice is installed, the files are printed through it and the pages read back."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from fulian_desktop.reports import statistics as st
from fulian_desktop.reports.registers import EXPORT_KINDS
from fulian_desktop.services import exchange, statistics
from fulian_desktop.services.context import Context

from .report_data import fill

LINE_PT = 14.0  # a line of 11-point Chinese text in Excel, WPS and LibreOffice (at least)
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture
def filled(ctx: Context) -> Context:
    fill(ctx, petitions=400, n_referrals=12, n_mediations=12, n_households=4, n_visits=40)
    return ctx


def _texts(path: Path) -> list[Cell]:
    return [c for ws in load_workbook(path).worksheets for r in ws.iter_rows() for c in r
            if isinstance(c.value, str)]


def _column_widths(ws: object, last: int) -> list[float]:
    return [ws.column_dimensions[get_column_letter(i)].width for i in range(1, last + 1)]  # type: ignore[attr-defined]


def test_the_statistics_sheet_shows_each_change_as_on_screen_and_prints_as_one_report(
    filled: Context, tmp_path: Path
) -> None:
    c = statistics.compare(filled, st.make_period("year", 2025))
    tables = statistics.tables(c)
    paragraph = statistics.paragraph(filled, c)
    target = tmp_path / "统计.xlsx"
    exchange.export_statistics(filled, c, target)
    wb = load_workbook(target)
    assert len(wb.worksheets) == 1
    ws = wb.worksheets[0]

    # 增减 as the page shows it, +10（+13.3%）: text, no apostrophe, never a formula even once edited
    changes = {str(r[-1]) for t in tables for r in t.rows if str(r[-1]).startswith(("+", "-"))}
    assert len(changes) > 5
    texts = _texts(target)
    assert not [x.value for x in texts if str(x.value).startswith("'")]
    by_value = {x.value: x for x in texts}
    for text in changes:
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix, text
    assert all(x.quotePrefix for x in texts if str(x.value).startswith(FORMULA_STARTS))
    assert not any(cell.data_type == "f" for r in ws.iter_rows() for cell in r)

    # the paragraph whole: one cell across every column used, as tall as its characters need at two width
    # units each (a Chinese character is two digits wide; a digit, a letter or % one)
    cell = by_value[paragraph]
    merged = next(m for m in ws.merged_cells.ranges if m.min_row == cell.row and m.min_col == 1)
    assert merged.max_col == ws.max_column
    width = sum(_column_widths(ws, ws.max_column))
    lines = math.ceil(sum(1 if ch.isascii() else 2 for ch in paragraph) / width)
    assert lines >= 3 and ws.row_dimensions[cell.row].height >= lines * LINE_PT
    assert cell.alignment.wrap_text

    # the tables one under another, each row as tall as its wrapped label
    column_a = [x.value for x in ws["A"]]
    assert [v for v in column_a if v in {t.title for t in tables}] == [t.title for t in tables]
    for row in ws.iter_rows(min_row=cell.row + 1):
        for x in row:
            if x.alignment.wrap_text and isinstance(x.value, str) and x.coordinate not in ws.merged_cells:
                column = ws.column_dimensions[x.column_letter].width
                need = math.ceil(2 * len(x.value) / column)
                assert (ws.row_dimensions[x.row].height or 15) >= need * LINE_PT, x.coordinate

    # printed: A4 upright, as wide as the page, the whole report, and a new page only before a table's title
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert str(ws.print_area).endswith(f"!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}")
    titles = {t.title for t in tables}
    assert all(ws.cell(b.id + 1, 1).value in titles for b in ws.row_breaks.brk)


def test_register_exports_keep_text_as_typed_wrap_with_height_and_print_with_their_headers(
    filled: Context, tmp_path: Path
) -> None:
    for kind in EXPORT_KINDS:
        target = tmp_path / f"{kind}.xlsx"
        exchange.export_register(filled, kind, target)
        ws = load_workbook(target).worksheets[0]
        texts = _texts(target)
        assert not [x.value for x in texts if str(x.value).startswith("'")], kind
        assert all(x.quotePrefix and x.data_type == "s" for x in texts if str(x.value).startswith(FORMULA_STARTS))
        header = next(r for r in range(1, 6) if ws.cell(r, 2).value)
        assert ws.print_title_rows == f"${header}:${header}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
        wrapped = [x for r in ws.iter_rows(min_row=header + 1) for x in r if x.alignment.wrap_text]
        for x in wrapped:
            column = ws.column_dimensions[x.column_letter].width
            need = math.ceil(2 * len(str(x.value)) / column)
            assert ws.row_dimensions[x.row].height >= min(need * LINE_PT, 409), (kind, x.coordinate)
        if kind == "petition":
            assert wrapped  # the facts of a petition do not fit one line


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _print_with_libreoffice(path: Path, tmp_path: Path) -> list[str]:
    """The file printed to PDF by LibreOffice Calc: the text of each page."""
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    doc = pdfium.PdfDocument(path.with_suffix(".pdf").read_bytes())
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_statistics_as_a_few_tidy_pages(filled: Context, tmp_path: Path) -> None:
    c = statistics.compare(filled, st.make_period("half", 2025, 2))
    target = tmp_path / "statistics.xlsx"
    exchange.export_statistics(filled, c, target)
    pages = _print_with_libreoffice(target, tmp_path)
    # a few full pages (a sheet per table printed 36 pages): the paragraph and the tables of 信访 (with 复查/复核 and
    # transfers), 转介 by service, 家暴防护, 调解 and 走访 fill 8; every page but the last is full, none a stray table
    assert len(pages) <= 8
    assert all(len([line for line in page.splitlines() if line.strip()]) >= 35 for page in pages[:-1])
    flat = "".join("".join(p.split()) for p in pages)
    assert "".join(statistics.paragraph(filled, c).split()) in flat  # the paragraph whole, nothing cut
    assert "'+" not in flat and "'-" not in flat
    for t in statistics.tables(c):
        assert "".join(t.title.split()) in flat
        for row in t.rows:  # every row on the page, its change as on the screen
            assert "".join(str(row[-1]).split()) in flat
    assert "第1页，共" in flat
