"""Command-line statistics, import and export (subcommands of the command line, cli/main.py):

    fulian-desktop-cli report --from 2026-01-01 --to 2026-06-30 [--json | --xlsx FILE]
    fulian-desktop-cli import 台账.xlsx [--kind petition] [--dry-run] [--skip-errors]
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

    importing = commands.add_parser("import", help="从Excel或CSV导入台账",
                                    description="导入信访、转介、调解、帮扶对象或走访台账（.xlsx或.csv）；"
                                    "先逐行检查，有错误时什么也不写入（除非加 --skip-errors）")
    importing.add_argument("file", metavar="文件", help="要导入的表格文件")
    importing.add_argument("--kind", type=_kind, metavar="台账类型",
                           help="台账类型：petition、referral、mediation、household、visit（默认按表头判断）")
    importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importing.add_argument("--skip-errors", action="store_true", help="有错误的行跳过，其余照常导入")
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


def run_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..reports import reading
    from ..services import exchange
    from .common import EXIT_ERROR, EXIT_OK, db_path, open_existing

    source = exchange.read(args.file)
    kind = args.kind or reading.guess_kind(source.headers)
    mapping = reading.guess_mapping(kind, source.headers)
    missing = reading.missing_required(kind, mapping)
    if missing:
        raise FulianError(f"按“{reading.kind_label(kind)}”导入时，表头中找不到这些列：{'、'.join(missing)}。"
                          "请把列名改成这些名称，或用 --kind 指定台账类型。")
    for note in source.notes:
        print(f"说明：{note}", file=out)
    columns = "、".join(f"{source.headers[i]}→{f.label}" for f in reading.FIELDS[kind] if (i := mapping.get(f.key))
                       is not None)
    print(f"台账类型：{reading.kind_label(kind)}；表头在第{source.header_row}行；列对应：{columns}", file=out)
    ctx = open_existing(db_path(args), err)
    try:
        report = exchange.check(ctx, source, kind, mapping)
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
        report = exchange.import_rows(ctx, source, kind, mapping)
    finally:
        ctx.close()
    print(f"已导入：{report.describe()}。", file=out)
    return EXIT_OK


def _print_errors(report: Any, out: IO[str]) -> None:
    errors = report.errors
    for r in errors[:MAX_ERRORS_SHOWN]:
        print(f"第{r.row}行" + (f"（{r.who}）" if r.who else "") + "：" + "；".join(r.messages), file=out)
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
