"""Reading the office's registers (信访, 法律援助转介, 调解, 帮扶对象, 走访慰问) from .xlsx or .csv: the file's
cells (merged cells filled with their top-left value, formulas noted per cell), its header row, which column
is which field (`guess_kind`, `guess_mapping`) and each cell parsed (`check_values`). Nothing here writes:
services/importing.py checks and writes the rows through the services.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as petition_rules
from ..domain import referral as referral_rules
from ..domain.dates import DateError, parse_date
from ..domain.errors import FulianError
from ..domain.money import MoneyError, parse_yuan
from .registers import FIELDS, KIND_LABELS, Field

MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 20


class ImportFileError(FulianError):
    """The file as a whole cannot be imported (empty, unreadable, no header row …)."""



# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class Cell:
    value: object
    formula: bool = False


@dataclass
class Source:
    name: str
    header_row: int  # 1-based, as the spreadsheet shows it
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as shown, cells)
    notes: list[str] = field(default_factory=list)


def _norm_header(text: object) -> str:
    t = "" if text is None else str(text)
    t = t.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "").replace("*", "")
    return re.sub(r"\s+", "", t)


_KNOWN_HEADERS = {_norm_header(x) for fs in FIELDS.values() for f in fs for x in (f.label, *f.aliases)}


MAX_COLUMNS = 200  # no register has more; a sheet that says it has is refused before it is read
MAX_CELLS = 1_000_000
MAX_UNPACKED = 120 * 1024 * 1024  # bytes of XML inside an .xlsx: a zip bomb is refused unopened
MAX_CELL_CHARS = 32_767  # what Excel allows in a cell


def _too_big(what: str) -> ImportFileError:
    return ImportFileError(f"这个表格{what}，不像是一份台账，没有导入。请确认选对了文件；"
                           f"台账最多{MAX_COLUMNS}列、{MAX_ROWS}行。")


def _check_package(data: bytes) -> None:
    """Refuse, without unpacking, an .xlsx whose parts unpack to more than any register could hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError("打不开这个表格文件（文件已损坏或不是.xlsx）。请用Excel或WPS另存为.xlsx后再导入。") from None
    if unpacked > MAX_UNPACKED:
        raise _too_big(f"解压后有{unpacked // (1024 * 1024)} MB")


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range of one sheet, read as a stream (the
    read-only worksheet does not keep them)."""
    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with zipfile.ZipFile(io.BytesIO(data)) as z, z.open(sheet_path) as f:
        for _event, el in ElementTree.iterparse(f):
            if el.tag.endswith("}mergeCell") and el.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(el.get("ref", ""))
                if min_col and min_row and max_col and max_row:
                    ranges.append((min_row, min_col, max_row, max_col))
            el.clear()
    return ranges


def _grid_from_xlsx(data: bytes) -> tuple[list[list[Cell]], list[str]]:
    """The first sheet's cells, streamed (openpyxl's read-only mode): what is beyond any register (more than
    MAX_COLUMNS columns, MAX_CELLS cells or MAX_ROWS rows) is refused as soon as it is seen."""
    from openpyxl import load_workbook

    _check_package(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(f"打不开这个表格文件（{type(e).__name__}）。请用Excel或WPS另存为.xlsx后再导入。") from None
    try:
        ws = wb.worksheets[0]
        notes = []
        if len(wb.worksheets) > 1:
            notes.append(f"表格有{len(wb.worksheets)}张工作表，只导入第一张“{ws.title}”。")
        declared_rows, declared_cols = ws.max_row or 0, ws.max_column or 0
        if declared_cols > MAX_COLUMNS:
            raise _too_big(f"有{declared_cols}列")
        if declared_rows > MAX_ROWS + HEADER_SCAN_ROWS:
            raise ImportFileError(f"表格有{declared_rows}行，超过了一次最多导入{MAX_ROWS}行的限制，请分成几个文件。")
        grid: list[list[Cell]] = []
        cells_read = 0
        for row in ws.iter_rows(max_col=declared_cols or None):
            if len(row) > MAX_COLUMNS:
                raise _too_big(f"有{len(row)}列")
            cells_read += len(row)
            if cells_read > MAX_CELLS or len(grid) >= MAX_ROWS + HEADER_SCAN_ROWS:
                raise _too_big("太大") if cells_read > MAX_CELLS else ImportFileError(
                    f"表格超过了一次最多导入{MAX_ROWS}行的限制，请分成几个文件。")
            grid.append([Cell(c.value, getattr(c, "data_type", "") == "f") for c in row])
        merged = _merged_ranges(data, ws._worksheet_path)
    finally:
        wb.close()
    if merged:
        # said in read_bytes once the header row is known (a merged title above it is no news)
        notes.append("merged:" + ",".join(str(max_row) for _r, _c, max_row, _mc in merged))
        for min_row, min_col, max_row, max_col in merged:
            if max_col > MAX_COLUMNS or max_row > len(grid) + 1:
                continue  # a range past the data (a title merged across the whole sheet) fills nothing
            top = grid[min_row - 1][min_col - 1] if min_row - 1 < len(grid) and min_col - 1 < len(
                grid[min_row - 1]) else Cell(None)
            for r in range(min_row, max_row + 1):
                while len(grid) < r:
                    grid.append([])
                row_cells = grid[r - 1]
                while len(row_cells) < max_col:
                    row_cells.append(Cell(None))
                for col in range(min_col, max_col + 1):
                    row_cells[col - 1] = Cell(top.value, top.formula)
    return grid, notes


def _grid_from_csv(data: bytes) -> list[list[Cell]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportFileError("看不懂这个CSV文件的文字编码，请用Excel或WPS另存为.xlsx后再导入。")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid: list[list[Cell]] = []
    cells_read = 0
    try:
        for line_no, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if len(row) > MAX_COLUMNS:
                raise _too_big(f"第{line_no}行有{len(row)}列")
            if any(len(v) > MAX_CELL_CHARS for v in row):
                raise ImportFileError(f"表格第{line_no}行有一格超过{MAX_CELL_CHARS}个字，不像是台账，没有导入。")
            cells_read += len(row)
            if cells_read > MAX_CELLS:
                raise _too_big("太大")
            grid.append([Cell(v) for v in row])
    except csv.Error as e:  # a field longer than the csv module's limit, or a broken quote
        if "field larger than field limit" in str(e):
            raise ImportFileError(f"表格第{len(grid) + 1}行附近有一格超过{MAX_CELL_CHARS}个字，不像是台账，没有导入。") from None
        raise ImportFileError(f"CSV文件第{len(grid) + 1}行附近格式不对（可能有一格内容太长或引号不成对），"
                              "请用Excel或WPS打开检查后另存为.xlsx再导入。") from None
    return grid


def _is_empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_file(path: Path | str) -> Source:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"找不到文件：{p}") from None
    except IsADirectoryError:
        raise ImportFileError(f"“{p}”是一个文件夹，请选择一个表格文件。") from None
    return read_bytes(data, p.name)


def read_bytes(data: bytes, name: str) -> Source:
    if not data.strip():
        raise ImportFileError("这个文件是空的，没有可以导入的内容。")
    suffix = Path(name).suffix.lower()
    notes: list[str] = []
    if data[:2] == b"PK" or suffix in (".xlsx", ".xlsm"):
        grid, notes = _grid_from_xlsx(data)
    elif suffix == ".xls" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError("这是旧版Excel（.xls）文件，请在Excel或WPS中“另存为”.xlsx后再导入。")
    else:
        grid = _grid_from_csv(data)
    if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ImportFileError(f"表格超过了一次最多导入{MAX_ROWS}行的限制，请分成几个文件。")
    if not any(not _is_empty(c.value) for row in grid for c in row):
        raise ImportFileError("表格是空的，没有可以导入的内容。")
    best, best_score = -1, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        score = sum(1 for c in row if _norm_header(c.value) in _KNOWN_HEADERS)
        if score > best_score:
            best, best_score = i, score
    if best_score < 2:
        raise ImportFileError(
            f"在表格前{HEADER_SCAN_ROWS}行中找不到表头（如“姓名”“日期”“乡镇”等列名）。"
            "请确认第一张工作表是台账，并且有一行列名。")
    merged_rows = [int(n) for note in notes if note.startswith("merged:") for n in note[7:].split(",")]
    notes = [n for n in notes if not n.startswith("merged:")]
    in_table = sum(1 for last_row in merged_rows if last_row > best + 1)
    if in_table:
        notes.append(f"表格中有{in_table}处合并单元格，已按合并区域左上角的内容填入区域内每一格。")
    headers = [("" if c.value is None else str(c.value).strip()) for c in grid[best]]
    width = len(headers)
    rows = []
    for i, row in enumerate(grid[best + 1:], start=best + 2):
        cells = (row + [Cell(None)] * width)[:width] if len(row) < width else row[:width]
        if all(_is_empty(c.value) for c in cells):
            continue
        first = next((str(c.value).strip() for c in cells if not _is_empty(c.value)), "")
        if first in ("合计", "总计", "小计"):
            continue
        rows.append((i, cells))
    return Source(name, best + 1, headers, rows, notes)


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
    return [f.label for f in FIELDS[kind] if f.required and f.key not in mapping]


# --------------------------------------------------------------------------------------------
# Cell values


_FORMULA_TEXT = re.compile(r"^'[=+\-@\t\r]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
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


def parse_cell(f: Field, cell: Cell) -> object:
    """The value of one cell for field `f`, or ValueError with a message for the user."""
    v = cell.value
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
        if isinstance(v, float) and not v.is_integer() or isinstance(v, float) and abs(v) >= 1e15:
            raise ValueError("被表格存成了数字，末几位可能已经丢失；请把这一列设成“文本”格式后重新填写")
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
    "referral": {"matter": referral_rules.MATTERS},
    "mediation": {"dispute_type": mediation_rules.DISPUTE_TYPES, "source": mediation_rules.SOURCES},
    "visit": {"kind": tuple(household_rules.VISIT_KINDS.values())},
    "household": {"household_type": household_rules.HOUSEHOLD_TYPES},
}


def check_values(kind: str, mapping: dict[str, int], cells: list[Cell],
                 fill: dict[str, str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Parse one row's cells (`fill`: values for the whole file of fields without a column); the messages
    say which column is wrong and why."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    for f in FIELDS[kind]:
        col = mapping.get(f.key)
        if col is None or col >= len(cells):
            values[f.key] = (fill or {}).get(f.key)
            if f.required and not values[f.key] and col is not None:
                errors.append(f"{f.label}：没有填写")
            continue
        try:
            values[f.key] = parse_cell(f, cells[col])
        except ValueError as e:
            values[f.key] = None
            errors.append(f"{f.label}：{e}")
            continue
        if f.required and (values[f.key] is None or values[f.key] == "" or values[f.key] == []):
            errors.append(f"{f.label}：没有填写")
    return values, errors


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
