"""Reading the office's registers (信访, 法律援助转介, 调解, 帮扶对象, 走访慰问) as the offices keep them: the file's
sheets (reports/workbook.py: .xlsx, .xls, .et, .ods, .csv in any of their encodings), on each sheet the header
row — below a title or notes, one row or two (申请人 over 姓名/身份证号/电话) — and the data rows under it, without
the 合计 and 填表人 rows at the bottom; every sheet with the same header (one a month) read as one register; which
column is which field (`guess_kind`, `guess_mapping`) and each cell parsed (`check_values`). Nothing here writes:
services/importing.py checks and writes the rows through the services.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as petition_rules
from ..domain import referral as referral_rules
from ..domain.dates import DateError, parse_date
from ..domain.money import MoneyError, parse_yuan
from ..domain.text import TextError, clean
from .registers import FIELDS, KIND_LABELS, Field
from .workbook import (
    HEADER_SCAN_ROWS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED,
    Cell,
    ImportFileError,
    Sheet,
    read_workbook,
)

__all__ = ["HEADER_SCAN_ROWS", "MAX_CELL_CHARS", "MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNPACKED", "Cell",
           "ImportFileError", "Source"]

# --------------------------------------------------------------------------------------------
# Reading

ROLE_LABELS = {"title": "标题或说明", "header": "表头", "data": "数据", "total": "合计", "note": "表尾备注",
               "blank": "空行", "repeat": "重复的表头"}


@dataclass
class Origin:
    """Where a data row comes from: its sheet ("" in a one-sheet file) and the year a date written without
    one (3月5日) is in, from the sheet's title, its name or the file's name (None: not known)."""

    sheet: str = ""
    year: int | None = None


@dataclass
class SheetUse:
    """One sheet of the file and what was done with it."""

    name: str
    header_row: int = 0  # 1-based; 0: no header found
    header_rows: int = 1  # 2: a two-row header (申请人 over 姓名/身份证号/电话)
    data_rows: int = 0
    totals: int = 0  # 合计 rows left out
    notes: int = 0  # 填表人, 注 … rows left out
    skipped: str = ""  # why the sheet was not read
    roles: list[tuple[int, str, list[str]]] = field(default_factory=list)  # first rows: (row, role, texts)


@dataclass
class Source:
    name: str
    header_row: int  # 1-based, as the spreadsheet shows it (of the first sheet read)
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as shown, cells)
    notes: list[str] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)  # per row; empty: one sheet, no year known
    sheets: list[SheetUse] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)  # columns hidden in the spreadsheet (still read)

    def origin(self, i: int) -> Origin:
        return self.origins[i] if i < len(self.origins) else Origin()

    def where(self, i: int) -> str:
        """"1月第5行" or "第5行": where the i-th data row is, as the clerk finds it in the spreadsheet."""
        sheet = self.origin(i).sheet
        return (f"“{sheet}”" if sheet and len(self.sheets) > 1 else "") + f"第{self.rows[i][0]}行"


_NUMBERING = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})[、.．)）]\s*(?=\D)")


def _norm_header(text: object) -> str:
    """A header as compared with the known names: full-width letters and brackets made plain, spaces, line
    breaks, colons, asterisks and a leading number (1、姓名, 二．日期) left out: "姓 名（必填）" is 姓名(必填)."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    t = _NUMBERING.sub("", t.strip())
    t = t.replace("：", "").replace(":", "").replace("*", "").replace("※", "")
    t = re.sub(r"\((必填|选填|必须填写)\)$", "", re.sub(r"\s+", "", t))
    return t


_KNOWN_HEADERS = {_norm_header(x) for fs in FIELDS.values() for f in fs for x in (f.label, *f.aliases)}


def layout(headers: Sequence[str]) -> str:
    """The headers as they are compared, in one text: two files laid out alike give the same text."""
    return "\x1f".join(_norm_header(h) for h in headers)


def _known(text: object) -> bool:
    h = _norm_header(text)
    return bool(h) and (h in _KNOWN_HEADERS or any(h.startswith(k) and len(k) >= 2 for k in ("慰问金", "物资折合")))


_TOTAL = re.compile(r"^(本[月季年页]|全年|全年度|[一二三四]季度|上半年|下半年|\d{1,2}月(份)?|总)?(合计|总计|小计|共计)")
_FOOTER = re.compile(r"^(注|备注|说明|填表说明)[:：、]|(填表人|制表人|审核人|填报人|负责人|填报单位|填表日期|制表日期|"
                     r"统计人|经办人签字|分管领导|单位盖章)[:：]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度|\.|-|/|$)")


def _is_empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _texts(row: list[Cell]) -> list[str]:
    """Each cell as text ("" when empty); this runs on every cell of a register, most of them text."""
    out = []
    for c in row:
        v = c.value
        if v.__class__ is str:  # (cell_text of a text, inline)
            t = v.strip()
            out.append(t[1:] if t[:1] == "'" and _FORMULA_TEXT.match(t) else t)
        else:
            out.append("" if v is None else cell_text(v))
    return out


def read_file(path: Path | str, header_row: int | None = None, sheets: list[str] | None = None) -> Source:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"这个文件有{p.stat().st_size // (1024 * 1024)} MB，不像是一份台账，没有导入。"
                                  "请确认选对了文件。")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"找不到文件：{p}") from None
    except IsADirectoryError:
        raise ImportFileError(f"“{p}”是一个文件夹，请选择一个表格文件。") from None
    except PermissionError:
        raise ImportFileError(f"没有权限读取“{p.name}”。如果它正在Excel或WPS中打开，请先关闭后再导入。") from None
    with collector_held():
        return read_bytes(data, p.name, header_row, sheets)


@contextmanager
def collector_held() -> Iterator[None]:
    """Python's cyclic garbage collector held off meanwhile: reading a register and importing it make hundreds of
    thousands of small objects that live to the end, which it would walk again and again (a fifth of an import's
    time); it runs again when this ends. What was made meanwhile is old by then: it joins the oldest generation
    (gc.freeze, then unfreeze) instead of the youngest, which the first collection after would walk all at once
    (≈ 0.4 s after checking a 20,000-row register); garbage among it is found by the next full collection."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _header_score(row: list[Cell]) -> int:
    return sum(1 for c in row if _known(c.value))


def _two_row_header(upper: list[Cell], lower: list[Cell]) -> list[str] | None:
    """The headers of a two-row header (申请人 merged over 姓名/身份证号/电话 gives 申请人姓名 …), or None when
    the rows are not one: the upper row must group columns (the same word over two or more of them) and the
    lower must name the columns under the group."""
    up, low = _texts(upper), _texts(lower)
    width = max(len(up), len(low))
    up += [""] * (width - len(up))
    low += [""] * (width - len(low))
    if len({u for u in up if u}) < 2:  # a title across the whole table, not a header
        return None
    grouped = [c for c in range(width) if up[c] and low[c] and low[c] != up[c]
               and ((c > 0 and up[c - 1] == up[c]) or (c + 1 < width and up[c + 1] == up[c]))]
    if len(grouped) < 2 or not any(_known(low[c]) for c in grouped):
        return None
    headers = []
    for c in range(width):
        u, lo = up[c], low[c]
        if not lo or lo == u:
            headers.append(u)
        elif not u:
            headers.append(lo)
        elif _known(u + lo):
            headers.append(u + lo)
        elif _known(lo) and c in grouped:
            headers.append(lo if not _known(u) else u + lo)
        elif _known(lo):
            headers.append(lo)
        else:
            headers.append(u + lo)
    return headers


def _find_header(grid: list[list[Cell]], forced: int | None) -> tuple[int, int, list[str]] | None:
    """(0-based row of the header, how many rows it takes, the headers), or None if the sheet has none."""
    if forced is not None:  # the clerk's choice: any row of two or more different words (not a title)
        if not 0 <= forced < len(grid) or len({t for t in _texts(grid[forced]) if t}) < 2:
            return None
        below = _two_row_header(grid[forced], grid[forced + 1]) if forced + 1 < len(grid) else None
        return (forced, 2, below) if below else (forced, 1, _texts(grid[forced]))
    best, best_score = -1, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        score = _header_score(row)
        if score > best_score:
            best, best_score = i, score
    if best_score < 2:
        return None
    for top in (best - 1, best):
        if 0 <= top and top + 1 < len(grid):
            headers = _two_row_header(grid[top], grid[top + 1])
            if headers is not None and sum(1 for h in headers if _known(h)) >= best_score:
                return top, 2, headers
    return best, 1, _texts(grid[best])


_SEQUENCE = {"序号", "序", "编号", "No", "No.", "NO", "no"}


def _row_role(texts: list[str], header_key: list[str]) -> str:
    """What a row below the header is: data, a 合计 row, a footer (填表人：…, 注：…), the header repeated (a
    printed page's), or blank — a row with only its 序号 filled in (a form numbered ahead) is blank."""
    first = next((t for t in texts if t), "")
    if first and not first.isascii() and _TOTAL.match(_norm_header(first)):  # (合计… is never ASCII, a 序号 is)
        return "total"
    filled = [t for i, t in enumerate(texts) if t and not (i < len(header_key) and header_key[i] in _SEQUENCE)]
    if not filled:
        return "blank"
    if len(filled) <= 2 and any(_FOOTER.search(t.strip()) for t in filled):
        return "note"
    if len(texts) >= len(header_key) and all(_norm_header(t) == k for t, k in zip(texts, header_key, strict=False)):
        return "repeat"  # (compared cell by cell, stopping at the first that differs: this runs on every row)
    return "data"


def _year_of(above: list[list[Cell]], sheet: str, file_name: str) -> tuple[int | None, str]:
    """The year of the register, from the title above the header, else the sheet's or the file's name."""
    for where, texts in (("标题", [t for row in above for t in _texts(row) if t]), ("工作表名", [sheet]),
                         ("文件名", [Path(file_name).stem])):
        for t in texts:
            m = _YEAR.search(t)
            if m:
                return int(m[1]), where
    return None, ""


@dataclass
class _Read:
    use: SheetUse
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]
    year: int | None
    year_from: str
    hidden: frozenset[int]
    merged_in_table: int


def _read_sheet(sheet: Sheet, file_name: str, forced: int | None) -> _Read | None:
    grid = sheet.rows
    use = SheetUse(sheet.name)
    found = _find_header(grid, None if forced is None else forced - 1)
    if found is None:
        use.skipped = "没有找到表头" if any(not _is_empty(c.value) for r in grid for c in r) else "空白"
        return _Read(use, [], [], None, "", sheet.hidden_columns, 0)
    top, count, headers = found
    use.header_row, use.header_rows = top + 1, count
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    header_key = [_norm_header(h) for h in _texts(grid[top + count - 1])[:width]]
    for i in range(min(top, HEADER_SCAN_ROWS)):
        texts = _texts(grid[i])
        use.roles.append((i + 1, "title" if any(texts) else "blank", texts[:width]))
    for i in range(top, top + count):
        use.roles.append((i + 1, "header", _texts(grid[i])[:width]))
    rows = []
    for i in range(top + count, len(grid)):
        cells = grid[i]
        cells = (cells + [Cell(None)] * (width - len(cells)))[:width] if len(cells) < width else cells[:width]
        texts = _texts(cells)
        role = _row_role(texts, header_key)
        if len(use.roles) < HEADER_SCAN_ROWS + 10:
            use.roles.append((i + 1, role, texts))
        if role == "total":
            use.totals += 1
        elif role == "note":
            use.notes += 1
        elif role == "data":
            rows.append((i + 1, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"表格超过了一次最多导入{MAX_ROWS}行的限制，请分成几个文件。")
    use.data_rows = len(rows)
    year, year_from = _year_of(grid[:top], sheet.name, file_name)
    merged_in_table = sum(1 for _r, _c, last_row, _lc in sheet.merged if last_row > top + count)
    return _Read(use, headers, rows, year, year_from, sheet.hidden_columns, merged_in_table)


def _aligned(reference: list[str], headers: list[str]) -> list[int] | None:
    """For each column of a sheet, its column in the reference sheet's layout (by header name), or None when
    the two sheets do not share most of their known headers (a 汇总 sheet beside the monthly ones)."""
    ref = [_norm_header(h) for h in reference]
    known_ref = {h for h in ref if _known(h)}
    mine = [_norm_header(h) for h in headers]
    known_mine = {h for h in mine if _known(h)}
    if not known_ref or len(known_ref & known_mine) * 2 < max(len(known_ref), len(known_mine)):
        return None
    out: list[int] = []
    used: set[int] = set()
    for h in mine:
        col = next((i for i, r in enumerate(ref) if r == h and i not in used and h), None)
        if col is not None:
            used.add(col)
        out.append(-1 if col is None else col)
    return out


def read_bytes(data: bytes, name: str, header_row: int | None = None, sheets: list[str] | None = None) -> Source:
    """The register in a file: every sheet with the same header as the first register's, one after another.
    When sheets hold different registers (a 花名册 and its 走访记录), the one to import first is read (the
    roster before its visits: the order of KIND_LABELS) and the others are named in the notes, to import next.
    `header_row` (1-based): the row the clerk says is the header, on every sheet; `sheets`: only these."""
    book = read_workbook(data, name)
    if not any(not _is_empty(c.value) for s in book.sheets for row in s.rows for c in row):
        raise ImportFileError("表格是空的，没有可以导入的内容。")
    reads = [_read_sheet(s, name, header_row) if not s.hidden and (sheets is None or s.name in sheets) else None
             for s in book.sheets]
    candidates = [r for r in reads if r is not None and r.use.header_row]
    if not candidates:
        where = f"在表格前{HEADER_SCAN_ROWS}行中" if header_row is None else f"第{header_row}行不是表头，"
        raise ImportFileError(
            f"{where}找不到表头（如“姓名”“日期”“乡镇”等列名）。请确认选对了文件，并且台账有一行列名。")
    order = list(KIND_LABELS)
    reference = min(candidates, key=lambda r: (order.index(guess_kind(r.headers)),
                                               -sum(1 for h in r.headers if _known(h)), -r.use.data_rows))
    headers = list(reference.headers)
    rows: list[tuple[int, list[Cell]]] = []
    origins: list[Origin] = []
    uses: list[SheetUse] = []
    hidden: set[int] = set()
    merged = 0
    years: dict[int, str] = {}
    multi = len(book.sheets) > 1
    for sheet, read in zip(book.sheets, reads, strict=True):
        if read is None:
            uses.append(SheetUse(sheet.name, skipped="隐藏的工作表" if sheet.hidden else "这次没有选它"))
            continue
        uses.append(read.use)
        if not read.use.header_row:
            continue
        columns = list(range(len(read.headers))) if read is reference else _aligned(reference.headers, read.headers)
        if columns is None:
            read.use.skipped = f"另一份台账：{KIND_LABELS[guess_kind(read.headers)]}，可以接着单独导入"
            read.use.data_rows = 0
            continue
        for i, col in enumerate(columns):
            if col == -1:  # a column this sheet has and the first does not: added at the end
                headers.append(read.headers[i])
                columns[i] = len(headers) - 1
        hidden.update(columns[c] for c in read.hidden if c < len(columns))
        merged += read.merged_in_table
        if read.year is not None:
            years[read.year] = read.year_from
        for row_no, cells in read.rows:
            placed = [Cell(None)] * len(headers)
            for i, c in enumerate(cells):
                placed[columns[i]] = c
            rows.append((row_no, placed))
            origins.append(Origin(sheet.name if multi else "", read.year))
    width = len(headers)
    rows = [(n, cells + [Cell(None)] * (width - len(cells))) for n, cells in rows]
    notes = _notes(book.kind, book.encoding, uses, headers, hidden, merged, years, reference, rows)
    return Source(name, reference.use.header_row, headers, rows, notes, origins, uses, hidden)


def _notes(kind: str, encoding: str, uses: list[SheetUse], headers: list[str], hidden: set[int], merged: int,
           years: dict[int, str], reference: _Read, rows: list[tuple[int, list[Cell]]]) -> list[str]:
    notes = []
    if kind == "csv" and encoding != "UTF-8":
        notes.append(f"文字编码：{encoding}（已自动识别）。")
    read = [u for u in uses if u.header_row and not u.skipped]
    if len(uses) > 1:
        notes.append(f"表格有{len(uses)}张工作表，读取了{len(read)}张：" + "、".join(
            f"“{u.name}”（{u.data_rows}行）" for u in read) + "。")
        left = [u for u in uses if not u.header_row or u.skipped]
        if left:
            notes.append("没有读取：" + "、".join(f"“{u.name}”（{u.skipped}）" for u in left) + "。")
    use = reference.use
    if use.header_rows == 2:
        notes.append(f"表头占两行（第{use.header_row}、{use.header_row + 1}行），上一行的分组名与下一行合起来读，"
                     "如“申请人”下的“姓名”读作“申请人姓名”。")
    elif use.header_row > 1:
        notes.append(f"表头在第{use.header_row}行，上面的标题和说明没有导入。")
    totals, footers = sum(u.totals for u in read), sum(u.notes for u in read)
    if totals or footers:
        notes.append("没有导入" + "、".join(x for x in (f"{totals}行合计" if totals else "",
                                                     f"{footers}行表尾备注（填表人、注等）" if footers else "") if x) + "。")
    if merged:
        notes.append(f"表格中有{merged}处合并单元格，已按合并区域左上角的内容填入区域内每一格。")
    if hidden:
        notes.append("这些列在表格中是隐藏的，也一并读取：" + "、".join(
            f"“{headers[c] or f'第{c + 1}列'}”" for c in sorted(hidden) if c < len(headers)) + "。")
    if len(years) == 1 and any(isinstance(c.value, str) and "月" in c.value and  # (every cell: the pattern's 月 first)
                               _MONTH_DAY.fullmatch(c.value.strip().replace(" ", "")) for _n, cells in rows for c in cells):
        (year, where), = years.items()
        notes.append(f"没有写年份的日期（如“3月5日”）按{year}年读（取自{where}）。")
    return notes


# --------------------------------------------------------------------------------------------
# Mapping columns to fields


def _names(f: Field) -> list[str]:
    return [_norm_header(x) for x in (f.label, *f.aliases)]


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, int]:
    """field key -> column index, guessed from the headers (exact names first, then names that start
    with a field's name, as in 慰问金（元）)."""
    normalised = [_norm_header(h) for h in headers]
    out: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for f in FIELDS[kind]:
            if f.key in out:
                continue
            for name in _names(f):
                for i, h in enumerate(normalised):
                    if i in taken or not h:
                        continue
                    if (h == name) if exact else (len(name) >= 2 and (h.startswith(name) or name.startswith(h)
                                                                        and len(h) >= 3)):
                        out[f.key] = i
                        taken.add(i)
                        break
                if f.key in out:
                    break
    return out


def guess_kind(headers: Sequence[str]) -> str:
    """The register these headers most look like."""
    def score(kind: str) -> tuple[int, int]:
        m = guess_mapping(kind, headers)
        required = sum(1 for f in FIELDS[kind] if f.required and f.key in m)
        missing = sum(1 for f in FIELDS[kind] if f.required and f.key not in m)
        exact = sum(1 for f in FIELDS[kind] if f.key in m and _norm_header(headers[m[f.key]]) == _norm_header(f.label))
        return required * 3 - missing * 4 + exact, len(m)

    return max(FIELDS, key=score)


def missing_required(kind: str, mapping: dict[str, int]) -> list[str]:
    """The required fields with neither a column nor one value for the whole file that a record cannot do
    without (a date, a name, a 信访方式 to choose from); those a register may never have had are not among them."""
    return [f.label for f in FIELDS[kind] if f.required and not f.gap and f.key not in mapping]


def unrecorded(kind: str, mapping: dict[str, int]) -> list[Field]:
    """The required fields the register has no column for, recorded as 未记录 on every record (marked 待补全)."""
    return [f for f in FIELDS[kind] if f.required and f.gap and f.key not in mapping]


# --------------------------------------------------------------------------------------------
# Cell values


_FORMULA_TEXT = re.compile(r"^'[=+\-@\t\r]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d{1,2}")
_TRUE = {"是", "有", "√", "✓", "y", "yes", "1", "true", "涉及"}
_FALSE = {"否", "无", "×", "n", "no", "0", "false", "不涉及", ""}


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat()
    t = str(v).strip()
    if _FORMULA_TEXT.match(t):  # text protected from being run as a formula (earlier exports wrote the apostrophe)
        t = t[1:]
    return t


def parse_cell(f: Field, cell: Cell, year: int | None = None) -> object:
    """The value of one cell for field `f`, or ValueError with a message for the user. `year`: the register's
    year, for a date written without one (3月5日)."""
    v = cell.value
    if isinstance(v, str):  # in the program's normal form (domain/text.py) before it is read as anything
        try:
            v = clean(v, multiline=True)
        except TextError:  # bytes of the file that are no text
            raise ValueError("含有无法识别的字符（可能是文件编码损坏），请在表格中改正后重新导入") from None
    if cell.formula:
        raise ValueError(f"是公式（{str(v)[:30]}），请在表格中把公式转为数值后再导入")
    if f.type == "date":
        if _is_empty(v):
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if 20000 <= v <= 80000:  # a date the spreadsheet keeps as a day number
                return _EXCEL_EPOCH + dt.timedelta(days=int(v))
            text = cell_text(v)
            if re.fullmatch(r"\d{8}", text):
                return _date8(text)
            raise ValueError(f"“{text}”不是日期")
        text = cell_text(v)
        if re.fullmatch(r"\d{8}", text):
            return _date8(text)
        month_day = _MONTH_DAY.fullmatch(text.replace(" ", ""))
        if month_day:
            if year is None:
                raise ValueError(f"“{text}”没有写年份，请在表格中写全（如{dt.date.today().year}年{text}）")
            try:
                return dt.date(year, int(month_day[1]), int(month_day[2]))
            except ValueError:
                raise ValueError(f"“{text}”不是存在的日期（{year}年）") from None
        try:
            return parse_date(text)
        except DateError as e:
            raise ValueError(f"“{text}”看不懂：{e}") from None
    if f.type == "int":
        if _is_empty(v):
            return None
        text = cell_text(v)
        if not re.fullmatch(r"\d{1,6}", text):
            raise ValueError(f"“{text}”不是整数")
        return int(text)
    if f.type == "money":
        if _is_empty(v):
            return 0
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if v < 0:
                raise ValueError("金额不能为负数")
            return int(round(v * 100))
        try:
            return parse_yuan(cell_text(v))
        except MoneyError as e:
            raise ValueError(f"“{cell_text(v)}”：{e}") from None
    if f.type == "id":
        if isinstance(v, float) and not v.is_integer() or isinstance(v, float) and abs(v) >= 1e15 or (
                isinstance(v, str) and _SCIENTIFIC.fullmatch(v.strip())):
            raise ValueError("被表格存成了数字，末几位可能已经丢失（Excel只保留15位数字，如4.30124198503125E+17）；"
                             "请把这一列设成“文本”格式后按原始记录重新填写")
        text = cell_text(v).upper().replace(" ", "")
        if "*" in text:
            raise ValueError(f"“{text}”已打码，无法核对；请使用未打码的台账，或清空这一格")
        return text
    if f.type == "phone":
        text = cell_text(v).replace(" ", "")
        if "*" in text:
            raise ValueError(f"“{text}”已打码，无法核对；请使用未打码的台账，或清空这一格")
        return text
    if f.type == "bool":
        text = cell_text(v).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"“{cell_text(v)}”应为“是”或“否”")
    if f.type == "list":
        return [x for x in re.split(r"[、,，;；/\s]+", cell_text(v)) if x]
    return cell_text(v)


def _date8(text: str) -> dt.date:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"“{text}”不是存在的日期") from None



# Fields a register may lack as a column although every row has the same value (a 来访登记簿 is all 来访):
# the user fills them in for the whole file.
FILL_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "petition": {"channel": petition_rules.CHANNELS},
    "referral": {"matter": referral_rules.MATTERS, "service": referral_rules.SERVICE_NAMES},
    "mediation": {"dispute_type": mediation_rules.DISPUTE_TYPES, "source": mediation_rules.SOURCES},
    "visit": {"kind": tuple(household_rules.VISIT_KINDS.values())},
    "household": {"household_type": household_rules.HOUSEHOLD_TYPES},
}


def check_values(kind: str, mapping: dict[str, int], cells: list[Cell], fill: dict[str, str] | None = None,
                 year: int | None = None) -> tuple[dict[str, Any], list[str], list[str]]:
    """Parse one row's cells (`fill`: values for the whole file of fields without a column, as typed; `year`:
    the register's, for 3月5日). Returns the values, the errors (which column is wrong and why) and the gaps:
    the keys of required fields the row lacks that a register may not have recorded (Field.gap) — the row is
    imported with those 未记录, marked 待补全."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    gaps: list[str] = []
    for f in FIELDS[kind]:
        col = mapping.get(f.key)
        given = (fill or {}).get(f.key)
        try:
            if col is not None and col < len(cells):
                values[f.key] = parse_cell(f, cells[col], year)
            else:
                values[f.key] = parse_cell(f, Cell(given), year) if given else None
        except ValueError as e:
            values[f.key] = None
            errors.append(f"{f.label}：{e}")
            continue
        if f.required and (values[f.key] is None or values[f.key] == "" or values[f.key] == []):
            if f.gap:
                gaps.append(f.key)
            elif col is not None:
                errors.append(f"{f.label}：没有填写")
    return values, errors, gaps


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
