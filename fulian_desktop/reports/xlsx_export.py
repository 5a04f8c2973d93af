"""Spreadsheets (.xlsx, openpyxl): headers, widths, dates and money formatted, nothing a spreadsheet would run.

A cell whose text begins with = + - @ (or a tab or carriage return) would be run as a formula by Excel or
WPS when the file is opened or edited; such text is written as text with a leading apostrophe, the
spreadsheet convention for "this is text" (the importer takes the apostrophe off again).
ID numbers and phones are masked (4390**********1234, 138****5678) unless the user chooses otherwise.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..domain import idcard, phone
from ..domain.dates import format_cn
from .registers import FIELDS, KIND_LABELS
from .statistics import Money, Rate, Table

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONEY_FORMAT = '"¥"#,##0.00'
RATE_FORMAT = "0.0%"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
SHEET_TITLE_MAX = 31


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made plain text."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
        return value.value
    if column.type == "money" and isinstance(value, int):
        return value / 100
    if isinstance(value, dt.date):
        return value
    if column.type in ("id", "phone"):
        text = str(value)
        return neutralise(_mask(text, column.type) if mask else text)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    return neutralise(str(value))


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return format_cn(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def write_xlsx(target: Path | IO[bytes], sheets: Iterable[Sheet], mask: bool = True) -> None:
    # openpyxl loads on the first export, not when the window starts
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="A0A0A0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        title = _sheet_title(sheet.title, used)
        ws = wb.create_sheet(title)
        row_no = 1
        if sheet.heading:
            ws.cell(row=1, column=1, value=neutralise(sheet.heading)).font = Font(bold=True, size=14)
            row_no = 3
        header_row = row_no
        widths = [max(display_width(c.label) + 2, c.width) for c in sheet.columns]
        for i, c in enumerate(sheet.columns, 1):
            cell = ws.cell(row=row_no, column=i, value=neutralise(c.label))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE6F1")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        for values in sheet.rows:
            row_no += 1
            for i, (c, v) in enumerate(zip(sheet.columns, values, strict=False), 1):
                value = _cell_value(v, c, mask)
                cell = ws.cell(row=row_no, column=i, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                cell.border = border
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(v, Money) or c.type == "money":
                    cell.number_format = MONEY_FORMAT
                elif isinstance(v, Rate) or c.type == "rate":
                    cell.number_format = RATE_FORMAT
                if c.type in ("id", "phone"):
                    cell.number_format = "@"
                long_text = isinstance(value, str) and c.width and display_width(value) > c.width
                cell.alignment = Alignment(vertical="top", wrap_text=bool(long_text))
                if not c.width:
                    widths[i - 1] = max(widths[i - 1], min(display_width(_shown(value)) + 2, MAX_WIDTH))
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w, 6), MAX_WIDTH)
        if sheet.rows:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{row_no}"
        for note in sheet.notes:
            row_no += 2 if note is sheet.notes[0] else 1
            ws.cell(row=row_no, column=1, value=neutralise(note)).font = Font(italic=True, color="555555")
    if not wb.sheetnames:
        wb.create_sheet("空")
    wb.save(target)


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


def table_sheet(t: Table) -> Sheet:
    columns = [Column(h, "text" if i == 0 else "number") for i, h in enumerate(t.headers)]
    return Sheet(t.title, columns, t.rows, t.title, [t.note] if t.note else [])


def statistics_sheets(title: str, summary: str, tables: Sequence[Table]) -> list[Sheet]:
    """The summary paragraph on a first sheet, then one sheet per table."""
    first = Sheet("工作总结（数字部分）", [Column("工作总结（数字部分，草稿）", width=100)], [[summary]], title)
    return [first, *[table_sheet(t) for t in tables]]


CASE_LIST_COLUMNS = [Column("案件编号"), Column("类型"), Column("状态"), Column("收到日期", "date"),
                     Column("当事人"), Column("乡镇"), Column("问题类别"), Column("摘要", width=40),
                     Column("期限", "date"), Column("期限事项")]
