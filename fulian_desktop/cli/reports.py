"""Command-line statistics, import and export (subcommands of the command line, cli/main.py):

    fulian-desktop-cli report --from 2026-01-01 --to 2026-06-30 [--json | --xlsx FILE]
    fulian-desktop-cli import 台账.xls [--kind petition] [--map 反映内容=事情经过] [--fill 乡镇=福田铺乡]
                             [--sheet 1月] [--header-row 3] [--show-columns] [--dry-run] [--skip-errors]
    fulian-desktop-cli export petition --xlsx 信访台账.xlsx [--unmasked] [--from DATE] [--to DATE]

Same style as the other commands: Chinese messages, errors on stderr, exit 1 (error) or 2 (wrong usage).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import IO, Any

from ..domain.errors import FulianError

log = logging.getLogger(__name__)

KIND_NAMES = {
    "petition": "petition", "信访": "petition",
    "referral": "referral", "转介": "referral", "法律援助转介": "referral",
    "mediation": "mediation", "调解": "mediation",
    "household": "household", "帮扶": "household", "帮扶户": "household", "帮扶对象": "household",
    "visit": "visit", "走访": "visit", "走访慰问": "visit",
}
MAX_ERRORS_SHOWN = 50
PROGRESS_FROM = 500  # rows: a register this long shows its progress on the terminal


def _date(text: str) -> Any:
    from ..domain.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as e:
        raise argparse.ArgumentTypeError(f"日期“{text}”不对：{e}") from None


def _kind(text: str) -> str:
    kind = KIND_NAMES.get(text.strip())
    if kind is None:
        raise argparse.ArgumentTypeError(f"没有“{text}”这种台账，可用：petition（信访）、referral（转介）、"
                                         "mediation（调解）、household（帮扶对象）、visit（走访）")
    return kind


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    report = commands.add_parser("report", help="统计（及工作总结中的数字段落）",
                                 description="统计一段时间的信访、法律援助转介、调解和走访慰问，附去年同期数")
    report.add_argument("--from", dest="date_from", required=True, type=_date, metavar="日期",
                        help="开始日期，如 2026-01-01")
    report.add_argument("--to", dest="date_to", required=True, type=_date, metavar="日期",
                        help="结束日期（含），如 2026-06-30")
    out = report.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="以JSON格式输出")
    out.add_argument("--xlsx", metavar="文件", help="写入Excel文件（.xlsx）")
    report.set_defaults(run=run_report)

    importing = commands.add_parser("import", help="从Excel或CSV等表格文件导入台账",
                                    description="导入信访、转介、调解、帮扶对象或走访台账（.xlsx、.xls、.et、.ods或.csv，"
                                    "每月一张工作表的也可以）；先逐行检查，有错误时什么也不写入（除非加 --skip-errors）。"
                                    "台账没有的列（如乡镇、事情经过）记为“未记录”，这些记录导入后标为“待补全”")
    importing.add_argument("file", metavar="文件", help="要导入的表格文件")
    importing.add_argument("--kind", type=_kind, metavar="台账类型",
                           help="台账类型：petition、referral、mediation、household、visit（默认按表头判断）")
    importing.add_argument("--map", action="append", default=[], metavar="列名=字段",
                           help="指定某列导入哪个字段，如 --map 反映内容=事情经过；字段写“不导入”则这一列不导入（可多次使用）")
    importing.add_argument("--fill", action="append", default=[], metavar="字段=内容",
                           help="表格没有这一列时，整个文件都填这个值，如 --fill 乡镇=福田铺乡（可多次使用）")
    importing.add_argument("--sheet", action="append", default=None, metavar="工作表",
                           help="只导入这张工作表（可多次使用；默认读取所有表头相同的工作表）")
    importing.add_argument("--header-row", type=int, metavar="行号", help="表头在第几行（默认自动找）")
    importing.add_argument("--show-columns", action="store_true", help="只列出每一列会怎样读取，不检查也不写入")
    importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importing.add_argument("--skip-errors", action="store_true",
                           help="有错误的行（包括能对上几户、需要选择的走访）跳过，其余照常导入")
    importing.set_defaults(run=run_import)

    export = commands.add_parser("export", help="把台账导出为Excel文件",
                                 description="导出台账；身份证号和电话默认部分隐去")
    export.add_argument("kind", type=_kind, metavar="台账类型",
                        help="台账类型：petition（信访）、referral（转介）、mediation（调解）、household（帮扶对象）、"
                        "visit（走访）")
    export.add_argument("--xlsx", required=True, metavar="文件", help="保存的Excel文件（.xlsx）")
    export.add_argument("--from", dest="date_from", type=_date, metavar="日期", help="只导出这一天以后的")
    export.add_argument("--to", dest="date_to", type=_date, metavar="日期", help="只导出这一天以前的")
    export.add_argument("--unmasked", action="store_true", help="导出完整的身份证号和电话（请妥善保管文件）")
    export.set_defaults(run=run_export)
    return [report, importing, export]


def _xlsx_target(text: str) -> Path:
    target = Path(text).expanduser()
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    return target


def run_report(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..reports.statistics import custom_period
    from ..services import exchange, statistics
    from .common import EXIT_OK, UsageError, db_path, format_table, open_existing

    try:
        period = custom_period(args.date_from, args.date_to)
    except FulianError as e:
        raise UsageError(e.message) from None
    ctx = open_existing(db_path(args), err)
    try:
        comparison = statistics.compare(ctx, period)
        tables = statistics.tables(comparison)
        text = statistics.paragraph(ctx, comparison)
        if args.xlsx:
            target = _xlsx_target(args.xlsx)
            exchange.export_statistics(ctx, comparison, target, text)
    finally:
        ctx.close()
    log.info("report: %d tables", len(tables))
    if args.xlsx:
        print(f"已保存：{target}", file=out)
        return EXIT_OK
    if args.json:
        data = {
            "period": {"from": period.first.isoformat(), "to": period.last.isoformat(), "label": period.label},
            "year_before": {"from": comparison.previous.period.first.isoformat(),
                            "to": comparison.previous.period.last.isoformat()},
            "summary": text,
            "tables": [{"key": t.key, "title": t.title, "headers": t.headers, "rows": [[_json(v) for v in r]
                                                                                     for r in t.rows]}
                       for t in tables],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    print(f"统计期间：{period.label}（去年同期：{comparison.previous.period.label}）\n", file=out)
    print("【工作总结（数字部分，草稿）】", file=out)
    print(text + "\n", file=out)
    for t in tables:
        print(f"【{t.title}】", file=out)
        rows = [[str(v) for v in r] for r in t.rows]
        print(format_table(t.headers, rows) if rows else "（本期没有记录）", file=out)
        if t.note:
            print(f"注：{t.note}", file=out)
        print(file=out)
    return EXIT_OK


def _json(v: object) -> object:
    from ..reports.statistics import Money, Rate

    if isinstance(v, Money):
        return {"fen": v.fen, "text": str(v)}
    if isinstance(v, Rate):
        return None if v.value is None else round(v.value, 4)
    return v


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    from .common import UsageError

    out = []
    for item in items:
        left, sep, right = item.partition("=")
        if not sep or not left.strip():
            raise UsageError(f"{what}“{item}”的写法不对，应写成 左边=右边，如 --map 反映内容=事情经过")
        out.append((left.strip(), right.strip()))
    return out


def _field_named(kind: str, text: str) -> Any:
    """The field a name on the command line means: its label, an alias, or its key."""
    from ..reports import reading

    key = reading.layout([text])
    for f in reading.FIELDS[kind]:
        if text == f.key or key in reading.layout([f.label, *f.aliases]).split("\x1f"):
            return f
    return None


def _columns(source: Any, kind: str, args: argparse.Namespace, ctx: Any) -> tuple[dict[str, int], dict[str, str]]:
    """The columns to import and the whole-file values: guessed from the headers (or remembered from the last
    import of this layout), then as --map and --fill say."""
    from ..reports import reading
    from ..services import exchange
    from .common import UsageError

    remembered = exchange.remembered(ctx, kind, source.headers)
    mapping, fill = remembered if remembered else (reading.guess_mapping(kind, source.headers), {})
    labels = "、".join(f.label for f in reading.FIELDS[kind])
    for column, name in _pairs(args.map, "--map"):
        col = next((i for i, h in enumerate(source.headers) if reading.layout([h]) == reading.layout([column])), None)
        if col is None:
            raise UsageError(f"表格中没有“{column}”这一列。表格的列：{'、'.join(h for h in source.headers if h)}")
        for key in [k for k, i in mapping.items() if i == col]:
            del mapping[key]
        if name in ("不导入", "-", ""):
            continue
        f = _field_named(kind, name)
        if f is None:
            raise UsageError(f"“{reading.kind_label(kind)}”没有“{name}”这个字段。可用：{labels}")
        mapping[f.key] = col
    for name, value in _pairs(args.fill, "--fill"):
        f = _field_named(kind, name)
        if f is None:
            raise UsageError(f"“{reading.kind_label(kind)}”没有“{name}”这个字段。可用：{labels}")
        mapping.pop(f.key, None)
        fill[f.key] = value
    return mapping, fill


def _show_columns(source: Any, kind: str, mapping: dict[str, int], fill: dict[str, str], out: IO[str]) -> None:
    from ..reports import reading
    from ..reports.registers import field_map
    from .common import format_table

    by_column = {i: k for k, i in mapping.items()}
    fields = field_map(kind)
    first = source.rows[0][1] if source.rows else []
    rows = []
    for i, h in enumerate(source.headers):
        f = fields.get(by_column.get(i, ""))
        example = reading.cell_text(first[i].value)[:20].replace("\n", " ") if i < len(first) else ""
        rows.append([h or f"第{i + 1}列（无列名）", f.label if f else "（不导入）",
                     "隐藏列" if i in source.hidden else "", example])
    print(format_table(["表格的列", "导入为", "", "第一行的内容"], rows), file=out)
    for key, value in fill.items():
        print(f"{fields[key].label}：整个文件填“{value}”", file=out)
    for f in reading.unrecorded(kind, {**mapping, **{k: -1 for k in fill}}):
        print(f"{f.label}：表格没有这一列，记为“{f.gap}”，这些记录导入后标为“待补全”", file=out)
    for f in reading.FIELDS[kind]:
        if f.absent and f.key not in mapping and f.key not in fill:
            print(f"{f.label}：表格没有这一列，{f.absent}", file=out)
    missing = reading.missing_required(kind, {**mapping, **{k: -1 for k in fill}})
    if missing:
        print(f"还缺少：{'、'.join(missing)}（用 --map 列名=字段 指定一列，或 --fill 字段=内容 给整个文件填一个值）", file=out)


def _terminal_progress(err: IO[str]) -> Any:
    """A progress line on the terminal, rewritten in place (检查：12000/20000行（60%）), for a long register; None when
    the error stream is not a terminal (a file, a pipe: no lines of percentages in it)."""
    if not (hasattr(err, "isatty") and err.isatty()):
        return None
    from ..services.importing import SAVING

    state = {"shown": ("", -1)}

    def step(what: str, done: int, total: int) -> bool:
        if what == SAVING:
            if total >= PROGRESS_FROM:
                print(f"已写入{total}行，正在保存……", file=err, flush=True)
            return True
        percent = done * 100 // max(total, 1)
        if total >= PROGRESS_FROM and state["shown"] != (what, percent):
            state["shown"] = (what, percent)
            end = "\n" if done == total else ""
            print(f"\r{what}：{done}/{total}行（{percent}%）", end=end, file=err, flush=True)
        return True

    return step


def run_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..reports import reading
    from ..services import exchange
    from .common import EXIT_ERROR, EXIT_OK, db_path, open_existing

    step = _terminal_progress(err)
    if step is not None:
        print(f"读取：{Path(args.file).name}……", end="", file=err, flush=True)
    try:
        source = exchange.read(args.file, args.header_row, args.sheet)
    except BaseException:
        if step is not None:
            print(file=err)  # the message on a line of its own
        raise
    if step is not None:
        print(f"\r读取：{Path(args.file).name}，{len(source.rows)}行", file=err, flush=True)
    kind = args.kind or reading.guess_kind(source.headers)
    for note in source.notes:
        print(f"说明：{note}", file=out)
    ctx = open_existing(db_path(args), err)
    try:
        mapping, fill = _columns(source, kind, args, ctx)
        print(f"台账类型：{reading.kind_label(kind)}；表头在第{source.header_row}行；共{len(source.rows)}行数据", file=out)
        if args.show_columns:
            _show_columns(source, kind, mapping, fill, out)
            return EXIT_OK
        missing = reading.missing_required(kind, {**mapping, **{k: -1 for k in fill}})
        if missing:
            raise FulianError(f"按“{reading.kind_label(kind)}”导入时，表头中找不到这些列：{'、'.join(missing)}。"
                              "请用 --map 列名=字段 指定是哪一列，或用 --fill 字段=内容 给整个文件填一个值"
                              "（--show-columns 可以看到每一列会怎样读取），或用 --kind 指定台账类型。")
        columns = "、".join(f"{source.headers[i]}→{f.label}" for f in reading.FIELDS[kind]
                           if (i := mapping.get(f.key)) is not None)
        print(f"列对应：{columns}", file=out)
        for f in reading.unrecorded(kind, {**mapping, **{k: -1 for k in fill}}):
            print(f"说明：表格没有“{f.label}”一列，记为“{f.gap}”，这些记录导入后标为“待补全”。", file=out)
        report = exchange.check(ctx, source, kind, mapping, step, fill)
        _print_errors(report, out)
        if args.dry_run:
            print(f"检查完毕（未写入）：{report.describe()}。", file=out)
            return EXIT_ERROR if report.errors else EXIT_OK
        if report.errors and not args.skip_errors:
            print(f"{report.describe()}。有错误，什么也没有写入：请改正后重新导入，或加 --skip-errors 只导入正确的行。",
                  file=err)
            return EXIT_ERROR
        if not report.new:
            print(f"{report.describe()}。没有需要导入的新记录。", file=out)
            return EXIT_OK
        try:
            report = exchange.import_rows(ctx, source, kind, mapping, step, fill)
        except BaseException:
            if step is not None:
                print(file=err)  # the message on a line of its own, not after the progress
            raise
    finally:
        ctx.close()
    print(f"已导入：{report.describe()}。", file=out)
    if report.incomplete:
        print(f"有{report.incomplete}条记录待补全（原台账没有记录的字段记为“未记录”），可在窗口的首页“待补全”中逐条补全。",
              file=out)
    return EXIT_OK


def _print_errors(report: Any, out: IO[str]) -> None:
    errors = report.errors
    for r in errors[:MAX_ERRORS_SHOWN]:
        print((r.where or f"第{r.row}行") + (f"（{r.who}）" if r.who else "") + "：" + "；".join(r.messages), file=out)
    if len(errors) > MAX_ERRORS_SHOWN:
        print(f"……另有{len(errors) - MAX_ERRORS_SHOWN}行有错误。", file=out)


def run_export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import exchange
    from .common import EXIT_OK, db_path, open_existing

    target = _xlsx_target(args.xlsx)
    ctx = open_existing(db_path(args), err)
    try:
        n = exchange.export_register(
            ctx, args.kind, target, mask=not args.unmasked,
            date_from=args.date_from.isoformat() if args.date_from else None,
            date_to=args.date_to.isoformat() if args.date_to else None)
    finally:
        ctx.close()
    log.info("export: %d rows", n)
    print(f"已导出{n}条：{target}" + ("" if args.unmasked else "（身份证号和电话已部分隐去）"), file=out)
    return EXIT_OK
