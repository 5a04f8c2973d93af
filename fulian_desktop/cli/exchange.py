"""Command-line exchange packages between the township offices and the county (subcommands of cli/main.py):

    fulian-desktop-cli exchange office --level township --county 某某县 --township 福田铺乡
    fulian-desktop-cli exchange export --to E:\\交换包 [--township 福田铺乡]    (at the county: for that township)
    fulian-desktop-cli exchange import FILE [--dry-run] [--keep county|township] [--same-by-phone]
    fulian-desktop-cli exchange receipt FILE

Signed in like the other commands (FULIAN_USER / FULIAN_PASSWORD); the package password comes from
FULIAN_EXCHANGE_PASSWORD, else it is asked for on the terminal without echo — never from an argument.
Every message goes to stderr (the preview to stdout); the exit code is 0 when all went well, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import IO, Any

from ..domain.errors import FulianError
from . import common  # common.isatty looked up at each call (a test's terminal stands in for it)

ENV_PASSWORD = "FULIAN_EXCHANGE_PASSWORD"


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    exchange = commands.add_parser(
        "exchange", help="乡镇与县妇联之间的交换包：导出、导入、读回执、设置本单位",
        description="乡镇妇联和县妇联之间用U盘交换数据：乡镇导出交换包，县妇联导入（先显示内容），导入时写回执，"
                    f"乡镇读回执。交换包密码取环境变量 {ENV_PASSWORD}，否则在终端中输入。")
    subs = exchange.add_subparsers(dest="exchange_command", metavar="操作", required=True)
    office = subs.add_parser("office", help="查看或设置本单位（县妇联或某乡镇妇联）",
                             description="不带参数时显示本单位；交换过数据以后不能再改为另一个单位。")
    office.add_argument("--level", choices=["county", "township"], help="county：县妇联；township：乡镇（街道）妇联")
    office.add_argument("--county", metavar="县名", help="所在的县（市、区），如“某某县”")
    office.add_argument("--township", metavar="乡镇", default="", help="本乡镇（街道）的名称（乡镇妇联填）")
    office.set_defaults(run=run_office)
    export = subs.add_parser("export", help="导出交换包（对方还没确认收到的新增和改动）",
                             description="把对方还没确认收到的新增和改动写成一个加密的交换包。")
    export.add_argument("--to", required=True, metavar="文件夹", help="写到哪个文件夹（如U盘）")
    export.add_argument("--township", default="", metavar="乡镇", help="县妇联导出时：发给哪个乡镇")
    export.set_defaults(run=run_export)
    imp = subs.add_parser("import", help="导入交换包（先显示内容）",
                          description="显示交换包里有什么（新增、有改动、本处已有、两边都改过），然后合并，"
                                      "并在交换包旁写回执。两边都改过的记录须用 --keep 指明以哪一边为准，否则不导入。")
    imp.add_argument("file", metavar="交换包", help="交换包文件（.fulian-exchange）")
    imp.add_argument("--dry-run", action="store_true", help="只显示内容，不导入")
    imp.add_argument("--keep", choices=["county", "township"], help="两边都改过的记录以哪一边为准（本次全部）")
    imp.add_argument("--same-by-phone", action="store_true",
                     help="姓名和电话相同（没有身份证号）的当事人也当作同一人合并（默认只列出，分开保存）")
    imp.add_argument("--receipt-to", metavar="文件夹", help="回执写到哪里（默认写在交换包旁边）")
    imp.set_defaults(run=run_import)
    receipt = subs.add_parser("receipt", help="读回执（对方确认收到了什么，下一个交换包从那里开始）")
    receipt.add_argument("file", metavar="回执", help="回执文件（.fulian-receipt）")
    receipt.set_defaults(run=run_receipt)
    return [exchange, office, export, imp, receipt]


def package_password(err: IO[str]) -> str:
    password = os.environ.get(ENV_PASSWORD, "")
    if password:
        return password
    if not (common.isatty(sys.stdin) and common.isatty(err)):
        raise FulianError(f"需要交换包密码：请在终端中运行以输入，或设置环境变量 {ENV_PASSWORD}。")
    import getpass

    return getpass.getpass("交换包密码：", stream=err)  # type: ignore[arg-type]


def _ctx(args: argparse.Namespace, err: IO[str]) -> Any:
    from .common import db_path, open_existing

    return open_existing(db_path(args), err)


def run_office(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import exchange_packages as ex

    ctx = _ctx(args, err)
    try:
        if args.level or args.county:
            current = ex.office(ctx)
            o = ex.set_office(ctx, args.level or current.level, args.county or current.county, args.township)
            print(f"本单位已设为：{o.label}", file=err)
        else:
            o = ex.office(ctx)
            print(o.label if o.county else "本单位还没有设置（县妇联或乡镇妇联、所在县）。", file=out)
    finally:
        ctx.close()
    return 0


def run_export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import exchange_packages as ex

    ctx = _ctx(args, err)
    try:
        made = ex.export_package(ctx, Path(args.to).expanduser(), package_password(err), township=args.township)
    finally:
        ctx.close()
    if made.cases + made.people == 0:
        print("对方已确认收到全部记录，这个交换包里没有新的内容（可以不送）。", file=err)
    print(f"交换包已写好：{made.path}（案件 {made.cases} 件，当事人 {made.people} 人，附件 {made.attachments} 份）。",
          file=err)
    return 0


def run_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import exchange_packages as ex

    ctx = _ctx(args, err)
    try:
        password = package_password(err)
        pkg = ex.open_package(ctx, Path(args.file).expanduser(), password)
        pv = ex.preview(ctx, pkg)
        for line in pv.lines():
            print(line, file=out)
        for item in pv.conflicts:
            print(f"两边都改过：{item.title}", file=out)
            for d in item.differences:
                print(f"    {d.label}：本处“{_short(d.ours)}”　对方“{_short(d.theirs)}”", file=out)
        for _item in pv.maybe_same:
            print("可能是同一人（姓名、电话相同，没有相同的身份证号）："
                  + ("将合并" if args.same_by_phone else "分开保存；确认是同一人时用 --same-by-phone"), file=out)
        if args.dry_run:
            print("（只显示内容，没有导入）", file=err)
            return 0
        if pv.conflicts and not args.keep:
            print(f"有{len(pv.conflicts)}条记录两边都改过，交换包没有导入。请核对后用 --keep county 或 --keep township "
                  "指明以哪一边为准（或在窗口中逐项选择）。", file=err)
            return 1
        keep = ex.side_for(ctx, args.keep) if args.keep else None
        folder = Path(args.receipt_to).expanduser() if args.receipt_to else None
        done = ex.import_package(ctx, pkg, keep=keep, same_by_phone=bool(args.same_by_phone),
                                 receipt_password=password, receipt_folder=folder)
    finally:
        ctx.close()
    if done.preview.already_imported:
        print("这个交换包已经导入过，没有改动任何记录。", file=err)
    else:
        print(f"已导入：{done.applied} 条记录（两边都改过的 {done.conflicts_resolved} 条已按选择合并）。", file=err)
    print(f"回执：{done.receipt}（请带回交给对方，对方用“读回执”确认）。", file=err)
    return 0


def run_receipt(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import exchange_packages as ex

    ctx = _ctx(args, err)
    try:
        ack = ex.read_receipt(ctx, Path(args.file).expanduser(), package_password(err))
    finally:
        ctx.close()
    print(f"{ack.sender.label}已确认收到 {ack.records} 条记录；下一个交换包从这里开始。", file=err)
    return 0


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:30] + "…"
