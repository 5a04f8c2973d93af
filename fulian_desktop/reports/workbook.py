"""A spreadsheet file as sheets of cells, whatever the office saved it as: .xlsx/.xlsm (Excel, WPS), .xls and
.et (Excel 97–2003, WPS), .ods (LibreOffice, WPS) and .csv/.txt (UTF-8, UTF-16 or GBK/GB18030, found from the
bytes, never asked). The format is told by the file's content, not its name: a "xls" that a system exported as
tab-separated text is read as text.

The cells are decoded by maintained libraries — python-calamine for .xlsx and .ods, xlrd for .xls/.et, the csv
module for text. What this module adds is the guard: a file beyond any register (more than MAX_COLUMNS columns,
MAX_CELLS cells, MAX_ROWS rows, an .xlsx or .ods unpacking to more than MAX_UNPACKED, a CSV cell over
MAX_CELL_CHARS) is refused before a library lays it out in memory. calamine builds each sheet as one dense block
from its first to its last cell, so a 6 KB file with one value at A1 and one at IV65536 would take a gigabyte:
the extent of .xlsx and .ods sheets is measured first by streaming their XML (expat); xlrd keeps rows ragged,
so an .xls costs what it holds, and its size is capped.

Nothing here knows about registers: reports/reading.py finds the header row and maps the columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from ..domain.errors import FulianError

MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 200  # no register has more; a sheet that says it has is refused before it is read
MAX_CELLS = 1_000_000  # cells with something in them, and the block from A1 to the last one
MAX_UNPACKED = 120 * 1024 * 1024  # bytes of XML inside an .xlsx or .ods: a zip bomb is refused unopened
MAX_CELL_CHARS = 32_767  # what Excel allows in a cell
MAX_FILE_BYTES = 100 * 1024 * 1024  # an .xls or .csv of 50,000 full rows is a fraction of this

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_SAVE_AS = "请用Excel或WPS打开，“另存为”.xlsx后再导入"


class ImportFileError(FulianError):
    """The file as a whole cannot be imported (empty, unreadable, no header row …)."""


@dataclass
class Cell:
    value: object
    formula: bool = False  # a formula without a value saved with it (the value is its text)


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]  # row 1 of the sheet first; merged ranges filled with their top-left cell
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 1-based
    hidden_columns: frozenset[int] = frozenset()  # 0-based
    hidden: bool = False  # the sheet itself is hidden


@dataclass
class Workbook:
    kind: str  # what the file turned out to be: xlsx / xls / ods / csv
    sheets: list[Sheet]
    encoding: str = ""  # of a text file


def too_big(what: str) -> ImportFileError:
    return ImportFileError(f"这个表格{what}，不像是一份台账，没有导入。请确认选对了文件；"
                           f"台账最多{MAX_COLUMNS}列、{MAX_ROWS}行。")


def too_many_rows(n: int | None = None) -> ImportFileError:
    return ImportFileError(f"表格{f'有{n}行，' if n else ''}超过了一次最多导入{MAX_ROWS}行的限制，请分成几个文件。")


class _Extent:
    """The cells of a whole file as they are counted, refusing as soon as a limit is passed."""

    def __init__(self) -> None:
        self.rows = 0
        self.cells = 0
        self.block = 0

    def sheet(self, last_row: int, last_col: int, cells: int) -> None:
        if last_col > MAX_COLUMNS:
            raise too_big(f"有{last_col}列")
        self.rows += last_row
        self.cells += cells
        self.block += last_row * last_col
        if self.cells > MAX_CELLS or self.block > MAX_CELLS:
            raise too_big("太大")
        if self.rows > MAX_ROWS + HEADER_SCAN_ROWS:
            raise too_many_rows()


def read_workbook(data: bytes, name: str) -> Workbook:
    """Every sheet of the file (hidden ones marked), or ImportFileError saying why not and what to do."""
    if not data.strip():
        raise ImportFileError("这个文件是空的，没有可以导入的内容。")
    if data[:2] == b"PK":
        return _zip_workbook(data)
    if data[:4] == _OLE[:4]:
        return _xls_workbook(data, name)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        raise ImportFileError(f"这个文件其实是网页格式（有的系统导出的.xls就是这样），不是真正的表格文件。{_SAVE_AS}。")
    kind = _not_a_table(data)
    if kind:
        raise ImportFileError(f"这个文件{kind}，不是表格。请选择Excel或WPS表格（.xlsx、.xls、.et）、.ods或.csv文件。")
    if len(data) > MAX_FILE_BYTES:
        raise too_big(f"有{len(data) // (1024 * 1024)} MB")
    return _text_workbook(data)


# what other files a clerk may pick by mistake begin with (a Word .doc is an OLE file like .xls: its reader says so)
_OTHER_FILES = ((b"%PDF", "是PDF文件"), (b"\x89PNG", "是图片"), (b"\xff\xd8\xff", "是图片"), (b"GIF8", "是图片"),
                (b"BM", "是图片"), (b"{\\rtf", "是Word文档（RTF格式）"), (b"Rar!", "是压缩包"), (b"7z\xbc\xaf", "是压缩包"))


def _not_a_table(data: bytes) -> str:
    """What a file that is not text is (said to the clerk), or "" for text a table may be in: a NUL byte in its
    first 4 KB, outside UTF-16 (Excel's "Unicode 文本", which has one in every other byte), is no CSV."""
    for magic, what in _OTHER_FILES:
        if data.startswith(magic) and not (magic == b"BM" and b"\0" not in data[:64]):
            return what
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ""
    return "是程序或其他软件的文件" if b"\0" in data[:4096] else ""


# --------------------------------------------------------------------------------------------
# .xlsx and .ods: a zip of XML, measured as a stream, then decoded by calamine


def _zip_workbook(data: bytes) -> Workbook:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
            if unpacked > MAX_UNPACKED:
                raise too_big(f"解压后有{unpacked // (1024 * 1024)} MB")
            names = set(z.namelist())
            is_ods = "mimetype" in names and z.read("mimetype").strip().startswith(_ODS_MIME)
            if is_ods:
                layouts = _ods_layouts(z)
            elif "xl/workbook.xml" in names:
                layouts = _xlsx_layouts(z)
            else:
                raise ImportFileError(f"打不开这个文件：它是压缩文件，但不是表格。{_SAVE_AS}。")
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, ElementTree.ParseError, expat.ExpatError):
        raise ImportFileError(f"打不开这个表格文件（文件已损坏或不是表格）。{_SAVE_AS}。") from None
    return Workbook("ods" if is_ods else "xlsx", _calamine_sheets(data, layouts))


@dataclass
class _Layout:
    """What the stream of one sheet's XML told before it is decoded."""

    name: str
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based -> text, no value saved


def _stream(f: Any, start: Callable[[str, dict[str, str]], None], end: Callable[[str], None] | None = None,
            text: Callable[[str], None] | None = None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.ParseFile(f)


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1]


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _ref(ref: str) -> tuple[int, int]:
    """"AB12" -> (11, 27): the 0-based row and 1-based column."""
    m = _REF.match(ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col


def _xlsx_layouts(z: zipfile.ZipFile) -> list[_Layout]:
    """Each sheet's extent, merged ranges, hidden columns and formulas saved without a value, from a stream of
    its XML; refused as soon as it passes a limit."""
    rels = {}
    root = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in root:
        target = rel.get("Target", "")
        rels[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    sheets = []
    for el in ElementTree.fromstring(z.read("xl/workbook.xml")).iter():
        if _local(el.tag.replace("}", " ")) == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            sheets.append((el.get("name", ""), rels.get(rid, "")))
    extent = _Extent()
    layouts = []
    for name, part in sheets:
        layout = _Layout(name)
        state: dict[str, Any] = {"row": -1, "col": 0, "last_row": 0, "last_col": 0, "cells": 0,
                                 "value": False, "formula": None, "v": None}

        def start(tag: str, attrs: dict[str, str], layout: _Layout = layout, state: dict[str, Any] = state) -> None:
            t = _local(tag)
            if t == "row":
                state["row"] = int(attrs["r"]) - 1 if "r" in attrs else state["row"] + 1
                state["col"] = 0
            elif t == "c":
                if "r" in attrs:
                    state["row"], state["col"] = _ref(attrs["r"])
                else:
                    state["col"] += 1
                if state["col"] > MAX_COLUMNS:  # refused at the first cell past any register
                    raise too_big(f"有{state['col']}列")
                state["value"], state["formula"] = False, None
            elif t == "is":
                state["value"] = True
            elif t == "v":
                state["v"] = []
            elif t == "f":
                state["formula"] = []
            elif t == "col" and attrs.get("hidden") in ("1", "true"):
                first, last = int(attrs.get("min", "1")), min(int(attrs.get("max", "1")), MAX_COLUMNS)
                layout.hidden_columns.update(range(first - 1, last))
            elif t == "mergeCell" and attrs.get("ref"):
                a, _sep, b = attrs["ref"].partition(":")
                (r0, c0), (r1, c1) = _ref(a), _ref(b or a)
                layout.merged.append((r0 + 1, c0, r1 + 1, c1))

        def text(data: str, state: dict[str, Any] = state) -> None:
            if state["v"] is not None:
                state["v"].append(data)
            elif state["formula"] is not None:
                state["formula"].append(data)

        def end(tag: str, layout: _Layout = layout, state: dict[str, Any] = state) -> None:
            t = _local(tag)
            if t == "v":  # a value saved with the cell (an empty one is none)
                state["value"] = state["value"] or bool("".join(state["v"]).strip())
                state["v"] = None
                return
            if t != "c":
                return
            formula = state["formula"]
            if not state["value"] and formula is None:
                return
            row, col = state["row"], state["col"]
            if formula is not None and not state["value"]:
                layout.formulas[(row, col - 1)] = "=" + ("".join(formula) or "（公式）")
            state["cells"] += 1
            state["last_row"] = max(state["last_row"], row + 1)
            state["last_col"] = max(state["last_col"], col)
            if state["cells"] > MAX_CELLS:
                raise too_big("太大")
            if state["last_row"] > MAX_ROWS + HEADER_SCAN_ROWS:
                raise too_many_rows()

        if part in z.namelist():
            scanned = _xlsx_scan(z.read(part), layout)
            if scanned is not None:
                state["last_row"], state["last_col"], state["cells"] = scanned
            else:
                with z.open(part) as f:
                    _stream(f, start, end, text)
        extent.sheet(state["last_row"], state["last_col"], state["cells"])
        layouts.append(layout)
    return layouts


_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_UNUSUAL = re.compile(rb"<f[\s>/]|<\w+:(?:c|row|sheetData|col|mergeCell)[\s>/]|<!\[CDATA\[|<!--")


def _xlsx_scan(xml: bytes, layout: _Layout) -> tuple[int, int, int] | None:
    """What _xlsx_layouts' stream finds in one sheet — its last row and column with something in them, how many such
    cells, its hidden columns and merged ranges, refused as soon as a limit is passed — by a scan of the XML at C
    speed, for the sheets registers are (every cell's reference first among its attributes, no formula, no namespace
    prefix, no comment). None for any other sheet: then the stream reads it."""
    if _UNUSUAL.search(xml):
        return None
    cells_found = _CELL.findall(xml)
    if len(cells_found) != xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>"):
        return None  # a cell without its reference first: the stream counts it
    for m in re.finditer(rb"<col\b([^>]*)>", xml):
        attrs = dict(_ATTR.findall(m[1]))
        if attrs.get(b"hidden") in (b"1", b"true"):
            first, last = int(attrs.get(b"min", b"1")), min(int(attrs.get(b"max", b"1")), MAX_COLUMNS)
            layout.hidden_columns.update(range(first - 1, last))
    for m in re.finditer(rb"<mergeCell\b([^>]*)>", xml):
        ref = dict(_ATTR.findall(m[1])).get(b"ref", b"").decode("ascii", "replace")
        if ref:
            a, _sep, b = ref.partition(":")
            (r0, c0), (r1, c1) = _ref(a), _ref(b or a)
            layout.merged.append((r0 + 1, c0, r1 + 1, c1))
    columns: dict[bytes, int] = {}
    last_row = last_col = cells = 0
    for letters, row, content in cells_found:
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = _ref(letters.decode("ascii") + "1")[1]
        if col > MAX_COLUMNS:  # refused at the first cell past any register
            raise too_big(f"有{col}列")
        if not content:
            continue
        if content[:3] == b"<v>":
            text = content[3:content.find(b"</v>")]
        elif b"<is" in content:
            text = b"1"
        else:
            v = _VALUE.search(content)
            text = v[1] if v is not None else b""
        if not (text.strip() if text.isascii() else text.decode("utf-8", "replace").strip()):
            continue  # (a value saved empty is none)
        cells += 1
        n = int(row)
        if n > last_row:
            last_row = n
        if col > last_col:
            last_col = col
        if cells > MAX_CELLS:
            raise too_big("太大")
        if last_row > MAX_ROWS + HEADER_SCAN_ROWS:
            raise too_many_rows()
    return last_row, last_col, cells


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "


def _ods_layouts(z: zipfile.ZipFile) -> list[_Layout]:
    """The same for an .ods (content.xml): rows and cells repeated by a count are counted, never expanded."""
    layouts: list[_Layout] = []
    extent = _Extent()
    state: dict[str, Any] = {}

    def new_sheet(name: str) -> None:
        layouts.append(_Layout(name))
        state.update(row=0, col=0, col_def=0, last_row=0, last_col=0, cells=0, cell=None, in_cell=False)

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == _TABLE + "table":
            new_sheet(attrs.get(_TABLE + "name", f"Sheet{len(layouts) + 1}"))
        elif not layouts:
            return
        elif tag == _TABLE + "table-column":
            n = int(attrs.get(_TABLE + "number-columns-repeated", "1"))
            if attrs.get(_TABLE + "visibility", "visible") != "visible" and state["col_def"] < MAX_COLUMNS:
                layouts[-1].hidden_columns.update(range(state["col_def"], min(state["col_def"] + n, MAX_COLUMNS)))
            state["col_def"] += n
        elif tag == _TABLE + "table-row":
            state["repeat"] = int(attrs.get(_TABLE + "number-rows-repeated", "1"))
            state["col"] = 0
            state["row_last_col"] = 0
            state["row_cells"] = 0
        elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            n = int(attrs.get(_TABLE + "number-columns-repeated", "1"))
            filled = _OFFICE + "value-type" in attrs
            state["cell"] = (state["col"], n, filled)
            spans = (int(attrs.get(_TABLE + "number-rows-spanned", "1")),
                     int(attrs.get(_TABLE + "number-columns-spanned", "1")))
            if spans != (1, 1):
                layouts[-1].merged.append((state["row"] + 1, state["col"] + 1, state["row"] + spans[0],
                                           state["col"] + spans[1]))
            state["col"] += n
        elif state["cell"] is not None and tag.endswith(" p"):  # text in a cell without a value type
            col, n, _filled = state["cell"]
            state["cell"] = (col, n, True)

    def end(tag: str) -> None:
        if not layouts:
            return
        if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and state["cell"] is not None:
            col, n, filled = state["cell"]
            state["cell"] = None
            if filled:
                if col + n > MAX_COLUMNS:
                    raise too_big(f"有{col + n}列")
                state["row_last_col"] = col + n
                state["row_cells"] += n
        elif tag == _TABLE + "table-row":
            repeat = state["repeat"]
            if state["row_cells"]:
                state["cells"] += state["row_cells"] * repeat
                state["last_row"] = state["row"] + repeat
                state["last_col"] = max(state["last_col"], state["row_last_col"])
                if state["cells"] > MAX_CELLS or state["last_row"] * state["last_col"] > MAX_CELLS:
                    raise too_big("太大")
                if state["last_row"] > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise too_many_rows()
            state["row"] += repeat
        elif tag == _TABLE + "table":
            extent.sheet(state["last_row"], state["last_col"], state["cells"])

    with z.open("content.xml") as f:
        _stream(f, start, end)
    return layouts


def _calamine_sheets(data: bytes, layouts: list[_Layout]) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        by_name = {layout.name: layout for layout in layouts}
        for meta in book.sheets_metadata:
            layout = by_name.get(meta.name, _Layout(meta.name))
            sheet = book.get_sheet_by_name(meta.name)
            grid = [[Cell(None if v == "" else v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            for (r, c), text in layout.formulas.items():
                if r < len(grid) and c < len(grid[r]) and grid[r][c].value is None:
                    grid[r][c] = Cell(text, True)
            merged = layout.merged or [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in
                                       (sheet.merged_cell_ranges or [])]
            sheets.append(_filled(Sheet(meta.name, grid, merged, frozenset(layout.hidden_columns),
                                        meta.visible != SheetVisibleEnum.Visible)))
        book.close()
    except (CalamineError, ValueError) as e:
        raise ImportFileError(f"打不开这个表格文件（{type(e).__name__}）。{_SAVE_AS}。") from None
    return sheets


# --------------------------------------------------------------------------------------------
# .xls and .et: xlrd (rows kept ragged: a sparse sheet costs what it holds)


def _xls_workbook(data: bytes, name: str) -> Workbook:
    import xlrd

    if len(data) > MAX_FILE_BYTES:
        raise too_big(f"有{len(data) // (1024 * 1024)} MB")
    wps = name.lower().endswith(".et")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True,
                                  logfile=io.StringIO())
    except xlrd.XLRDError as e:
        if "encrypted" in str(e).lower():
            raise ImportFileError("这个表格设了打开密码，请在Excel或WPS中去掉密码（或另存一份不加密的）后再导入。") from None
        raise ImportFileError(f"打不开这个{'WPS表格（.et）' if wps else '旧版Excel（.xls）'}文件（{e}）。{_SAVE_AS}。") from None
    except Exception as e:  # xlrd raises many kinds for a damaged file
        raise ImportFileError(f"打不开这个表格文件（文件已损坏，{type(e).__name__}）。{_SAVE_AS}。") from None
    extent = _Extent()
    sheets = []
    try:
        for i in range(book.nsheets):
            s = book.sheet_by_index(i)
            width = max((s.row_len(r) for r in range(s.nrows)), default=0)
            cells = sum(1 for r in range(s.nrows) for t in s.row_types(r) if t not in (0, 6))
            last_row = max((r + 1 for r in range(s.nrows) if s.row_len(r)), default=0)
            extent.sheet(last_row, width, cells)
            grid = [[_xls_cell(book, t, v) for t, v in zip(s.row_types(r), s.row_values(r), strict=True)]
                    for r in range(s.nrows)]
            hidden = frozenset(c for c, info in s.colinfo_map.items() if info.hidden and c < MAX_COLUMNS)
            merged = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in s.merged_cells]
            sheets.append(_filled(Sheet(s.name, grid, merged, hidden, s.visibility != 0)))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return Workbook("xls", sheets)


def _xls_cell(book: Any, kind: int, value: object) -> Cell:
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return Cell(None)
    if kind == xlrd.XL_CELL_DATE:
        try:
            d = xlrd.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return Cell(value)
        return Cell(d.date() if d.time() == dt.time() else d)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return Cell(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return Cell(xlrd.error_text_from_code.get(value, "#错误"))
    return Cell(value)


# --------------------------------------------------------------------------------------------
# .csv and text: the encoding found from the bytes


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本"
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a program that wrote a lone surrogate, a file cut short) stays UTF-8: each
    # broken byte becomes a lone surrogate, which the row it is in is refused for (reading.parse_cell), instead
    # of the whole file read as GBK and its quoting thrown out of step
    # (GBK read as UTF-8 breaks nearly every byte above 0x7F; UTF-8 with a few broken bytes keeps nearly all)
    text = data.decode("utf-8", errors="surrogateescape")
    broken = sum(1 for c in text if "\udc80" <= c <= "\udcff")
    kept = sum(len(c.encode("utf-8")) for c in text if c >= "\x80" and not "\udc80" <= c <= "\udcff")
    if kept >= 10 * broken:
        return text, "UTF-8"
    return data.decode("gb18030", errors="replace"), "GBK"


def _text_workbook(data: bytes) -> Workbook:
    text, encoding = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if text[:4096].count("\t") > text[:4096].count(",") else csv.excel
    grid: list[list[Cell]] = []
    cells_read = 0
    try:
        for line_no, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if len(row) > MAX_COLUMNS:
                raise too_big(f"第{line_no}行有{len(row)}列")
            if any(len(v) > MAX_CELL_CHARS for v in row):
                raise ImportFileError(f"表格第{line_no}行有一格超过{MAX_CELL_CHARS}个字，不像是台账，没有导入。")
            cells_read += len(row)
            if cells_read > MAX_CELLS:
                raise too_big("太大")
            if line_no > MAX_ROWS + HEADER_SCAN_ROWS:
                raise too_many_rows()
            grid.append([Cell(v if v.strip() else None) for v in row])
    except csv.Error as e:  # a field longer than the csv module's limit, or a broken quote
        if "field larger than field limit" in str(e):
            raise ImportFileError(f"表格第{len(grid) + 1}行附近有一格超过{MAX_CELL_CHARS}个字，不像是台账，没有导入。") from None
        raise ImportFileError(f"CSV文件第{len(grid) + 1}行附近格式不对（可能有一格内容太长或引号不成对），"
                              "请用Excel或WPS打开检查后另存为.xlsx再导入。") from None
    return Workbook("csv", [Sheet("", grid)], encoding)


# --------------------------------------------------------------------------------------------


def _filled(sheet: Sheet) -> Sheet:
    """Each merged range filled with its top-left cell (a township merged over four rows is on each row);
    a range past the cells (a title merged across the whole sheet) fills only as far as there are cells."""
    grid = sheet.rows
    for min_row, min_col, max_row, max_col in sheet.merged:
        if max_col > MAX_COLUMNS or min_row > len(grid):
            continue
        top_row = grid[min_row - 1]
        top = top_row[min_col - 1] if min_col - 1 < len(top_row) else Cell(None)
        for r in range(min_row, min(max_row, len(grid)) + 1):
            cells = grid[r - 1]
            while len(cells) < max_col:
                cells.append(Cell(None))
            for col in range(min_col, max_col + 1):
                cells[col - 1] = Cell(top.value, top.formula)
    return sheet
