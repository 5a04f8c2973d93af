"""Spreadsheets (.xlsx, openpyxl): headers, widths, dates and money formatted, rows as tall as their wrapped
text, pages set up for printing, and nothing a spreadsheet would run.

Text is stored as a text cell, exactly as it reads. Text that begins with = + - @ (or a tab or carriage
return), which Excel, WPS or LibreOffice would take for a formula once someone edits the cell, also gets the
quote-prefix style: the programs' own mark for "typed with a leading apostrophe", shown without the
apostrophe and kept as text when the cell is edited (put_text). Earlier versions wrote the apostrophe into
the text itself; the importer still takes it off.
ID numbers and phones are masked (4390**********1234, 138****5678) unless the user chooses otherwise.

A register prints landscape, its header row (and, when it needs two pages across, its first column) on
every page. The statistics are one sheet that prints as one report (write_statistics): the title, the
summary paragraph whole, then every table one under another, scaled to the width of an A4 page, and no
table split between two pages when it fits on one.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..domain import idcard, phone
from ..domain.dates import format_cn
from .registers import FIELDS, KIND_LABELS
from .statistics import Money, Rate, Table

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONEY_FORMAT = '"¥"#,##0.00'
RATE_FORMAT = "0.0%"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
SHEET_TITLE_MAX = 31

# Row heights, in points: a spreadsheet does not make a row taller for its wrapped text by itself (Excel and
# WPS keep the height stored in the file), so every row that wraps is given the height of its lines.
LINE_HEIGHT = 15.0  # one line of 11-point text, Chinese characters included
ROW_PADDING = 4.0
MAX_ROW_HEIGHT = 409.0  # the most a spreadsheet row may be
CHAR_UNITS = 1.1  # a column-width unit holds one digit; a Chinese character (2 in display_width) a little more
# Column widths in pixels, as the spreadsheet programs count them (a unit is 7 pixels of the default font,
# plus 5 of padding per column), and A4 in pixels at 96 per inch less the margins set below.
UNIT_PX, COLUMN_PAD_PX = 7, 5
A4_WIDTH_MM, A4_HEIGHT_MM = 210.0, 297.0
MARGIN_IN = {"left": 0.6, "right": 0.6, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
READABLE_SCALE = 0.6  # a register is printed no smaller than this; wider ones take more pages across


def formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula if typed into a cell."""
    return text.startswith(FORMULA_STARTS)


def put_text(cell: Cell, text: str) -> None:
    """`text` into `cell` as text, exactly as it reads; never a formula, not even once the cell is edited.
    Control characters a spreadsheet cannot hold (a record saved by an earlier version, or imported with NUL,
    BEL, ESC) are left out: one such record never stops the whole export."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"  # openpyxl takes a str beginning with = for a formula
    if formula_like(text):
        cell.quotePrefix = True


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_lines(text: str, width: float) -> int:
    """The lines `text` takes, wrapped in a column (or merged columns) `width` units wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(display_width(part) * CHAR_UNITS / usable)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    return min(lines * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT)


def _columns_px(widths: Sequence[float]) -> float:
    return sum(w * UNIT_PX + COLUMN_PAD_PX for w in widths)


def _printable_px(landscape: bool) -> float:
    across = A4_HEIGHT_MM if landscape else A4_WIDTH_MM
    return (across / 25.4 - MARGIN_IN["left"] - MARGIN_IN["right"]) * 96


def _printable_pt(landscape: bool) -> float:
    down = A4_WIDTH_MM if landscape else A4_HEIGHT_MM
    return (down / 25.4 - MARGIN_IN["top"] - MARGIN_IN["bottom"]) * 72


def _page_setup(ws: Worksheet, landscape: bool, footer_left: str = "") -> None:
    """A4, the margins above, 第 1 页，共 3 页 at the foot of every page."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins = PageMargins(**MARGIN_IN)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    if footer_left:
        ws.oddFooter.left.text = footer_left.replace("&", "&&")
        ws.oddFooter.left.size = 9


@dataclass
class Column:
    label: str
    type: str = "text"  # text / date / int / money (fen, or Money) / rate / id / phone / number
    width: int = 0


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Sequence[Sequence[object]]
    heading: str = ""  # a title line above the table
    notes: list[str] = field(default_factory=list)  # lines below it


def _mask(value: str, kind: str) -> str:
    if not value:
        return value
    return idcard.mask(value) if kind == "id" else phone.mask(value)


def _cell_value(value: object, column: Column, mask: bool) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, Money):
        return value.fen / 100
    if isinstance(value, Rate):
        return value.value if value.value is not None else str(value)  # no rate: "—", as on the screen
    if column.type == "money" and isinstance(value, int):
        return value / 100
    if isinstance(value, dt.date):
        return value
    if column.type in ("id", "phone"):
        text = str(value)
        return _mask(text, column.type) if mask else text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return format_cn(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _put(cell: Cell, value: object, source: object, column_type: str = "text") -> None:
    """A value into a cell, formatted: text as text, dates, money and rates as numbers shown as such."""
    if isinstance(value, str):
        put_text(cell, value)
        if column_type in ("id", "phone"):
            cell.number_format = "@"
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(source, Money) or column_type == "money":
        cell.number_format = MONEY_FORMAT
    elif isinstance(source, Rate) or column_type == "rate":
        cell.number_format = RATE_FORMAT


class _Styles:
    """The few looks every export shares (openpyxl loads on the first export, not when the window starts)."""

    def __init__(self) -> None:
        from openpyxl.styles import DEFAULT_FONT, Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="A0A0A0")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        name = DEFAULT_FONT.name  # named: a font without a name is drawn in whatever the program picks
        self.bold = Font(name=name, size=11, bold=True)
        self.header_font = self.bold
        self.header_fill = PatternFill("solid", fgColor="DCE6F1")
        self.header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.title_font = Font(name=name, size=14, bold=True)
        self.note_font = Font(name=name, size=10, color="555555")
        self.Alignment = Alignment

    def header(self, cell: Cell, label: str) -> None:
        put_text(cell, label)
        cell.font = self.header_font
        cell.fill = self.header_fill
        cell.alignment = self.header_alignment
        cell.border = self.border


def write_xlsx(target: Path | IO[bytes], sheets: Iterable[Sheet], mask: bool = True) -> None:
    """Registers and lists: one table a sheet, its header row frozen and filtered."""
    from openpyxl import Workbook

    styles = _Styles()
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb.create_sheet(_sheet_title(sheet.title, used)), sheet, mask, styles)
    if not wb.sheetnames:
        wb.create_sheet("空")
    wb.save(target)


def _write_sheet(ws: Worksheet, sheet: Sheet, mask: bool, styles: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    row_no = 1
    if sheet.heading:
        title = ws.cell(row=1, column=1)
        put_text(title, sheet.heading)
        title.font = styles.title_font
        ws.row_dimensions[1].height = 22
        row_no = 3
    header_row = row_no
    widths = [max(display_width(c.label) + 2, c.width) for c in sheet.columns]
    for i, c in enumerate(sheet.columns, 1):
        styles.header(ws.cell(row=row_no, column=i), c.label)
    top = styles.Alignment(vertical="top")
    wrapped = styles.Alignment(vertical="top", wrap_text=True)
    for values in sheet.rows:
        row_no += 1
        lines = 1
        for i, (c, v) in enumerate(zip(sheet.columns, values, strict=False), 1):
            value = _cell_value(v, c, mask)
            cell = ws.cell(row=row_no, column=i)
            _put(cell, value, v, c.type)
            cell.border = styles.border
            if isinstance(value, str) and c.width and display_width(value) > c.width:
                cell.alignment = wrapped
                lines = max(lines, text_lines(value, c.width))
            else:
                cell.alignment = top
            if not c.width:
                widths[i - 1] = max(widths[i - 1], min(display_width(_shown(value)) + 2, MAX_WIDTH))
        if lines > 1:
            ws.row_dimensions[row_no].height = row_height(lines)
    widths = [min(max(w, 6), MAX_WIDTH) for w in widths]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    header_lines = max([text_lines(c.label, w) for c, w in zip(sheet.columns, widths, strict=True)] + [1])
    ws.row_dimensions[header_row].height = row_height(header_lines)
    if sheet.rows:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{row_no}"
    for note in sheet.notes:
        row_no += 2 if note is sheet.notes[0] else 1
        cell = ws.cell(row=row_no, column=1)
        put_text(cell, note)
        cell.font = styles.note_font
    # printed: landscape, as many pages across as keep the text readable (the first column, the case
    # number, repeated on each), the header row on every page
    _page_setup(ws, landscape=True, footer_left=sheet.heading)
    across = max(1, math.ceil(_columns_px(widths) * READABLE_SCALE / _printable_px(True)))
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = across
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.page_setup.pageOrder = "overThenDown"
    ws.print_title_rows = f"{header_row}:{header_row}"
    if across > 1:
        ws.print_title_cols = "A:A"
    ws.print_area = f"A1:{get_column_letter(len(sheet.columns))}{max(row_no, header_row)}"


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in title)[:SHEET_TITLE_MAX] or "表"
    name, n = clean, 2
    while name in used:
        suffix = f"({n})"
        name = clean[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


# --------------------------------------------------------------------------------------------
# What gets exported


def register_sheet(kind: str, rows: Iterable[dict[str, object]], heading: str = "") -> Sheet:
    fields = FIELDS[kind]
    columns = [Column(f.label, f.type, f.width) for f in fields]
    return Sheet(KIND_LABELS[kind], columns, [[r.get(f.key) for f in fields] for r in rows], heading)


# --------------------------------------------------------------------------------------------
# The statistics: one sheet, printed as one report

STAT_LABEL_WIDTH = (16, 34)  # the first column: row labels (wrapped when longer)
STAT_VALUE_WIDTH = (10, 18)  # the others: figures, 增减, and the 具体问题 of the subcategory table
PAGE_FILL = 0.93  # of a page's height the tables are planned to fill, for what the programs' fonts add


def _label_columns(t: Table) -> int:
    return 2 if t.key == "subcategory" else 1


def _stat_widths(tables: Sequence[Table]) -> list[float]:
    n = max([len(t.headers) for t in tables] + [4])
    widths: list[float] = []
    for i in range(n):
        texts = [_shown(_cell_value(r[i], Column(""), False)) for t in tables for r in t.rows if i < len(r)]
        low, high = STAT_LABEL_WIDTH if i == 0 else STAT_VALUE_WIDTH
        widths.append(min(max([display_width(x) + 2 for x in texts] + [low]), high))
    return widths


def write_statistics(target: Path | IO[bytes], title: str, subtitle: str, summary: str, tables: Sequence[Table],
                     footer: str = "") -> None:
    """The title, the summary paragraph whole, then every table one under another, on one sheet that prints
    on A4 as one report: scaled to the page's width, a table moved to the next page rather than split."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    styles = _Styles()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(title, set())
    ws.sheet_view.showGridLines = False
    widths = _stat_widths(tables)
    n = len(widths)
    last_col = get_column_letter(n)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    # printed at the width of the page: at about this scale with the fonts of Windows (wider fonts make it
    # smaller, and a page holds more), so a page holds at least this many points of rows
    scale = min(100, math.floor(_printable_px(False) / _columns_px(widths) * 100))
    page = _printable_pt(False) * PAGE_FILL * 100 / scale
    centre = styles.Alignment(horizontal="center", vertical="center")
    right = styles.Alignment(horizontal="right", vertical="center")
    row = 0
    heights: list[float] = []  # of each row written

    def line(text: str, font: object = None, height: float = 0.0, wrap: bool = False, across: int = n,
             alignment: object = None) -> None:
        """One text across `across` columns (merged), as tall as its wrapped lines."""
        nonlocal row
        row += 1
        cell = ws.cell(row=row, column=1)
        if text:
            put_text(cell, text)
        if font is not None:
            cell.font = font
        cell.alignment = alignment or styles.Alignment(vertical="top", wrap_text=wrap)
        if across > 1 and text:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=across)
        lines = text_lines(text, sum(widths[:across])) if wrap else 1
        heights.append(height or row_height(lines))
        ws.row_dimensions[row].height = heights[-1]

    line(title, styles.title_font, 26, alignment=centre)
    line(subtitle, alignment=centre)
    line("", height=8)
    line("一、工作总结（数字部分，草稿）", styles.bold)
    for paragraph in summary.split("\n"):  # her own paragraphs, if she made any, a row each
        line(paragraph, wrap=True)
    line("", height=8)
    line("二、统计表", styles.bold)
    used = sum(heights)
    for t in tables:
        first = row + 1
        line(t.title, styles.bold)
        row += 1
        for i, h in enumerate(t.headers, 1):
            styles.header(ws.cell(row=row, column=i), h)
        header_lines = max(text_lines(h, w) for h, w in zip(t.headers, widths, strict=False))
        heights.append(row_height(header_lines))
        ws.row_dimensions[row].height = heights[-1]
        lead = _label_columns(t)
        body = t.rows or [["（本期没有记录）"]]
        for values in body:
            row += 1
            lines = 1
            bold = str(values[0]).startswith("合计")
            for i, v in enumerate(values, 1):
                cell = ws.cell(row=row, column=i)
                value = _cell_value(v, Column(""), False)
                _put(cell, value, v)
                cell.border = styles.border
                if bold:
                    cell.font = styles.bold
                if i <= lead:
                    text = _shown(value)
                    cell.alignment = styles.Alignment(vertical="center", wrap_text=True)
                    lines = max(lines, text_lines(text, widths[i - 1]))
                else:
                    cell.alignment = right
            if not t.rows:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(t.headers))
                ws.cell(row=row, column=1).alignment = centre
            heights.append(row_height(lines))
            ws.row_dimensions[row].height = heights[-1]
        if t.note:
            line("注：" + t.note, styles.note_font, wrap=True, across=len(t.headers))
        line("", height=10)
        block = sum(heights[first - 1:])
        if used + block > page and used > 0 and block <= page:
            ws.row_breaks.append(Break(id=first - 1))  # the table starts a new page
            used = 0.0
        used = (used + block) % page if block > page else used + block
    _page_setup(ws, landscape=False, footer_left=footer)
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # the width of a page whatever the fonts' widths
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{last_col}{row}"
    wb.save(target)


CASE_LIST_COLUMNS = [Column("案件编号"), Column("类型"), Column("状态"), Column("收到日期", "date"),
                     Column("当事人"), Column("乡镇"), Column("问题类别"), Column("摘要", width=40),
                     Column("期限", "date"), Column("期限事项")]
