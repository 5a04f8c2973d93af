"""The holiday table from the command line: `workdays list`, `workdays show 2027`, and `workdays add-year 2028
--holidays ... --workdays ...` (or `--file`), `--replace` to correct a year already there."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO, Any

from ..domain.errors import FulianError
from .parsing import ChineseParser

FILE_HELP = ("文本文件（UTF-8），每行以“放假”或“调休上班”开头，后面写“节日:日期”或“节日:起始日期..结束日期”，"
             "如：放假 春节:2028-01-26..2028-02-01；以 # 开头的行不读")


def _year(text: str) -> int:
    try:
        return int(text.strip().removesuffix("年"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份，请写如 2028") from None


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    workdays = commands.add_parser("workdays", help="节假日表（工作日期限按它计算）",
                                   description="查看节假日表中的年份和日子，添加新的一年或更正一年（照国务院公布的放假安排）。"
                                   "表中没有的年份，工作日期限按自然日计算")
    ops = workdays.add_subparsers(dest="workdays_command", metavar="操作", parser_class=ChineseParser)
    ops.required = True
    listing = ops.add_parser("list", help="列出表中已有的年份", description="列出节假日表中已有的年份，及各年的放假和调休上班天数")
    listing.set_defaults(run=run_list)
    show = ops.add_parser("show", help="列出一年的放假和调休上班日", description="列出一年的放假和调休上班日")
    show.add_argument("year", type=_year, metavar="年份", help="如 2026")
    show.set_defaults(run=run_show)
    add = ops.add_parser("add-year", help="添加新的一年（或用 --replace 更正）",
                         description="添加一年的放假和调休上班日；这一年已在表中时，加 --replace 用这里写的全部替换")
    add.add_argument("year", type=_year, metavar="年份", help="如 2028")
    add.add_argument("--holidays", default="", metavar="放假",
                     help="放假的日子，如 \"元旦:2028-01-01..2028-01-03,春节:2028-01-26..2028-02-01\"")
    add.add_argument("--workdays", default="", metavar="调休上班",
                     help="调休上班的星期六、星期日，如 \"春节:2028-01-23,春节:2028-02-12\"")
    add.add_argument("--file", metavar="文件", help=FILE_HELP)
    add.add_argument("--replace", action="store_true", help="这一年已在表中时，全部替换（更正）")
    add.set_defaults(run=run_add_year)
    return [workdays, listing, show, add]


def read_file(path: Path) -> tuple[str, str]:
    """(days off, weekend days worked) from a file as FILE_HELP describes it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise FulianError(f"读不了文件“{path}”：{e}") from None
    off: list[str] = []
    worked: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head in ("放假", "holiday"):
            off.append(rest)
        elif head in ("调休上班", "workday"):
            worked.append(rest)
        else:
            raise FulianError(f"文件第{n}行应以“放假”或“调休上班”开头：{line[:40]}")
    return "\n".join(off), "\n".join(worked)


def run_list(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import workdays
    from .common import EXIT_OK, db_path, format_table, open_existing

    ctx = open_existing(db_path(args), err)
    try:
        years = workdays.known_years(ctx)
    finally:
        ctx.close()
    print(format_table(["年份", "放假（天）", "调休上班（天）"], [[str(y), str(h), str(w)] for y, h, w in years]), file=out)
    print("表中没有的年份，工作日期限按自然日计算。", file=out)
    return EXIT_OK


def run_show(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..domain import workdays as rules
    from ..domain.dates import format_cn
    from ..services import workdays
    from .common import EXIT_ERROR, EXIT_OK, db_path, format_table, open_existing

    ctx = open_existing(db_path(args), err)
    try:
        days = workdays.year_days(ctx, args.year)
    finally:
        ctx.close()
    if not days:
        print(f"节假日表中没有{args.year}年（这一年的工作日期限按自然日计算）。", file=err)
        return EXIT_ERROR
    print(format_table(["日期", "星期", "放假或调休上班", "节日"],
                       [[format_cn(d), rules.WEEKDAYS[d.weekday()], rules.KIND_WORDS.get(k, k), n] for d, k, n in days]),
          file=out)
    return EXIT_OK


def run_add_year(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import workdays
    from .common import EXIT_OK, UsageError, db_path, open_existing

    if args.file and (args.holidays or args.workdays):
        raise UsageError("--file 与 --holidays/--workdays 只用一种")
    holidays, worked = read_file(Path(args.file).expanduser()) if args.file else (args.holidays, args.workdays)
    ctx = open_existing(db_path(args), err)
    try:
        if not args.replace and any(y == args.year for y, _h, _w in workdays.known_years(ctx)):
            raise FulianError(f"节假日表中已有{args.year}年；要更正，请加 --replace（这一年原有的日子全部换成这次写的）")
        off, on = workdays.set_year(ctx, args.year, holidays, worked)
    finally:
        ctx.close()
    print(f"{args.year}年已保存：放假{off}天，调休上班{on}天。", file=out)
    return EXIT_OK
