"""Spreadsheet export and import, and the statistics as a spreadsheet or a PDF.

Exports mask ID numbers and phones unless the user chooses otherwise, are written to a temporary file
and moved into place (a half-written file never takes the name), and are recorded in the audit trail.
Imports check every row before anything is written, then write the good rows in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from .. import durable
from ..domain.dates import format_cn
from ..domain.errors import FulianError
from ..domain.filters import CaseFilter
from ..domain.kinds import kind_label
from ..domain.records import CaseRow
from ..domain.statuses import status_label
from ..reports import reading, registers, xlsx_export
from ..reports.reading import Source
from ..reports.statistics import Comparison
from ..store import search
from . import audit, importing, settings, statistics
from .context import Context
from .importing import Progress, Report

log = logging.getLogger(__name__)

EXPORT_KINDS = registers.EXPORT_KINDS
EXPORT_LABELS = registers.KIND_LABELS
LIST_LIMIT = 200_000


def _save(target: Path, write: object) -> None:
    """Write through a temporary file next to the target, then move it into place."""
    target = Path(target)
    if not target.parent.is_dir():
        raise FulianError(f"无法保存：文件夹“{target.parent}”不存在。")
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as fh:
            write(fh)  # type: ignore[operator]
        durable.replace(partial, target)
    except OSError as e:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        reason = "文件正被其他程序（如Excel、WPS）打开，或没有写入权限" if isinstance(e, PermissionError) else (
            e.strerror or "系统错误")
        raise FulianError(f"无法保存文件“{target.name}”：{reason}。") from None


def export_register(ctx: Context, kind: str, target: Path, mask: bool = True, date_from: str | None = None,
                    date_to: str | None = None) -> int:
    """A whole register (信访 / 法律援助转介 / 调解 / 帮扶对象 / 走访慰问) as .xlsx; returns the rows written."""
    ctx.require("case.export")
    if not mask:
        ctx.require("people.identity")  # ID numbers and phones in full
    if kind not in registers.EXPORT_KINDS:
        raise FulianError(f"没有“{kind}”这种台账，可导出的有：{'、'.join(registers.EXPORT_KINDS)}")
    rows = list(registers.export_rows(ctx.db, kind, date_from, date_to))
    office = settings.office_name(ctx)
    sheet = xlsx_export.register_sheet(kind, rows)
    sheet.heading = (f"{office}{registers.KIND_LABELS[kind]}（导出于{format_cn(ctx.today())}，共{len(rows)}条"
                     + ("；身份证号、电话已部分隐去）" if mask else "；含完整身份证号和电话，请妥善保管）"))
    _save(target, lambda fh: xlsx_export.write_xlsx(fh, [sheet], mask=mask))
    audit.exported(ctx, f"{kind}.xlsx", len(rows))
    log.info("export %s: %d rows", kind, len(rows))
    return len(rows)


def case_list_rows(rows: Iterable[CaseRow]) -> list[list[object]]:
    return [[r.case_no, kind_label(r.kind, r.service), status_label(r.kind, r.status), r.received_on, r.names, r.township,
             r.category, r.summary, r.due_on, r.due_label if r.due_on else ""] for r in rows]


def export_case_list(ctx: Context, f: CaseFilter, target: Path, sort: str = "received_on",
                     descending: bool = True) -> int:
    """The case list as it is filtered and sorted on screen."""
    ctx.require("case.export")
    if not f.today:
        f.today = ctx.today()
    rows = search.list_cases(ctx.db, f, sort, descending, limit=LIST_LIMIT)
    sheet = xlsx_export.Sheet("案件列表", xlsx_export.CASE_LIST_COLUMNS, case_list_rows(rows))
    _save(target, lambda fh: xlsx_export.write_xlsx(fh, [sheet]))
    audit.exported(ctx, "case_list.xlsx", len(rows))
    return len(rows)


def _whose(ctx: Context, township: str) -> str:
    """Whose statistics: the office's, or one township's (统计页的范围) under the office's name."""
    office = settings.office_name(ctx)
    return f"{office}（{township}）" if township else office


def export_statistics(ctx: Context, comparison: Comparison, target: Path, summary: str | None = None,
                      township: str = "") -> None:
    """The summary paragraph and every statistics table on one sheet that prints as one report (of one
    `township` when the comparison is its, services/statistics.compare)."""
    ctx.require("statistics.read")
    ctx.require("case.export")
    text = summary if summary is not None else statistics.paragraph(ctx, comparison, township)
    period = comparison.current.period
    office = _whose(ctx, township)
    tables = statistics.tables(comparison)
    subtitle = (f"统计期间：{format_cn(period.first)}至{format_cn(period.last)}　"
                f"去年同期：{comparison.previous.period.label}　导出日期：{format_cn(ctx.today())}")
    _save(target, lambda fh: xlsx_export.write_statistics(fh, f"{office}{period.label}维权工作统计", subtitle, text,
                                                          tables, office))
    audit.exported(ctx, "statistics.xlsx", len(tables))


def statistics_pdf(ctx: Context, comparison: Comparison, summary: str | None = None,
                   township: str = "") -> tuple[bytes, str]:
    """The statistics printed: (PDF, suggested file name); of one `township` as export_statistics."""
    ctx.require("statistics.read")
    from ..documents import statistics_report

    text = summary if summary is not None else statistics.paragraph(ctx, comparison, township)
    period = comparison.current.period
    pdf = statistics_report.render(period.label, _whose(ctx, township), text, statistics.tables(comparison),
                                   ctx.today(), comparison.previous.period.label)
    audit.printed(ctx, None, "statistics", period.label)
    return pdf, f"维权工作统计_{township + '_' if township else ''}{period.label}.pdf"


# --- import ------------------------------------------------------------------------------------------


def _import_permission(kind: str) -> str:
    return f"{'household' if kind == 'visit' else kind}.write"


def read(path: Path | str, header_row: int | None = None, sheets: list[str] | None = None) -> Source:
    """The register in a spreadsheet file (`header_row`: the row the clerk says is the header; `sheets`: only
    these sheets)."""
    return reading.read_file(path, header_row, sheets)


def remembered(ctx: Context, kind: str, headers: list[str]) -> tuple[dict[str, int], dict[str, str]] | None:
    """The columns chosen the last time a register laid out like this was imported."""
    ctx.require(_import_permission(kind))
    return importing.remembered(ctx, kind, headers)


def check(ctx: Context, source: Source, kind: str, mapping: dict[str, int],
          progress: Progress | None = None, fill: dict[str, str] | None = None,
          choose: dict[int, str] | None = None) -> Report:
    """What the import would do, row by row; nothing is written. `fill`: one value for the whole file of
    a field the file has no column for (e.g. 信访方式 = 来访); `choose`: the record the clerk chose for a row
    that fits more than one."""
    ctx.require(_import_permission(kind))
    return importing.run(ctx, source, kind, mapping, write=False, progress=progress, fill=fill, choose=choose)


def import_rows(ctx: Context, source: Source, kind: str, mapping: dict[str, int],
                progress: Progress | None = None, fill: dict[str, str] | None = None,
                choose: dict[int, str] | None = None) -> Report:
    """Write every good row in one transaction (rows with errors, and rows already on file, are skipped)."""
    ctx.require(_import_permission(kind))
    report = importing.run(ctx, source, kind, mapping, write=True, progress=progress, fill=fill, choose=choose)
    log.info("import %s: %d new, %d on file, %d with errors", kind, report.new, report.same, len(report.errors))
    return report
