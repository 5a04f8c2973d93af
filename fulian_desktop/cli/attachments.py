"""Commands on attachments: attach (files to a case, e.g. from a scheduled scanning workflow), attachments (list them,
or --extract them into a folder). Signed in like every command; every step is in the audit trail."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from pathlib import Path
from typing import IO, Any

from ..domain.attachments import DEFAULT_KIND, KINDS
from ..domain.errors import ValidationError
from .common import EXIT_OK, UsageError, db_path, format_table, open_existing

log = logging.getLogger(__name__)


def _date(text: str) -> dt.date:
    from ..domain.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    attach = commands.add_parser("attach", help="把文件添加为案件的附件",
                                 description="把扫描件、照片、PDF、Word或Excel文件添加为案件的附件（保存在加密的数据库中）")
    attach.add_argument("case_no", metavar="案件编号", help="案件编号，如：信访〔2026〕第0001号")
    attach.add_argument("files", nargs="+", metavar="文件", help="要添加的文件（可写几个）")
    attach.add_argument("--kind", default=DEFAULT_KIND, metavar="类别",
                        help=f"附件类别：{'、'.join(KINDS)}（默认{DEFAULT_KIND}）")
    attach.add_argument("--note", default="", metavar="说明", help="附件说明，如：伤情照片")
    attach.add_argument("--received", type=_date, metavar="日期", help="收到日期，如 2026-03-02（默认不填）")
    attach.add_argument("--keep-original", action="store_true", help="照片缩小后另外保留原图")
    attach.set_defaults(run=_run_attach)

    listing = commands.add_parser("attachments", help="列出或导出案件的附件",
                                  description="列出案件的附件；--extract 把附件保存到一个文件夹")
    listing.add_argument("case_no", metavar="案件编号", help="案件编号，如：信访〔2026〕第0001号")
    listing.add_argument("--json", action="store_true", help="以JSON格式输出")
    listing.add_argument("--extract", metavar="文件夹", help="把附件保存到这个文件夹（不存在时新建）")
    listing.set_defaults(run=_run_list)
    return [attach, listing]


def _run_attach(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..domain.attachments import Details
    from ..services import attachments, cases

    files = [Path(f).expanduser() for f in args.files]
    incoming = [attachments.read_file(f) for f in files]  # all read (and checked) before any is added
    ctx = open_existing(db_path(args), err)
    try:
        case_id = cases.id_for_number(ctx, args.case_no)
        details = Details(kind=args.kind, note=args.note, received_on=args.received)
        added = []
        for f, item in zip(files, incoming, strict=True):
            try:
                added.append(attachments.attach(ctx, case_id, item, details, keep_original=args.keep_original))
            except ValidationError as e:
                raise ValidationError({k: f"{f.name}：{v}" if k != "file" else v for k, v in e.errors.items()}) \
                    from None
    finally:
        ctx.close()
    log.info("attach: %d files", len(added))
    print(f"已添加{len(added)}个附件到{args.case_no}。", file=out)
    return EXIT_OK


def _run_list(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..domain.attachments import media_word, size_text
    from ..domain.dates import format_cn
    from ..services import attachments, cases

    if args.extract and args.json:
        raise UsageError("--json 和 --extract 不能同时使用")
    ctx = open_existing(db_path(args), err)
    try:
        case_id = cases.id_for_number(ctx, args.case_no)
        if args.extract:
            written = attachments.extract(ctx, case_id, Path(args.extract).expanduser())
            print(f"已保存{len(written)}个附件到：{Path(args.extract).expanduser()}", file=out)
            return EXIT_OK
        found = attachments.of_case(ctx, case_id)
    finally:
        ctx.close()
    rows = [{"id": a.id, "kind": a.kind, "name": a.name, "note": a.note, "media": a.media, "size": a.size,
             "pages": a.pages, "received_on": a.received_on.isoformat() if a.received_on else None,
             "version": a.version, "sha256": a.sha256, "added_at": a.created_at.isoformat(), "staff": a.staff}
            for a in found]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    if not found:
        print(f"{args.case_no}没有附件。添加：attach 案件编号 文件 --kind 类别", file=out)
        return EXIT_OK
    table = [(str(a.id), a.kind, a.name, a.note, media_word(a.media), size_text(a.size),
              format_cn(a.received_on), str(a.version)) for a in found]
    print(format_table(("编号", "类别", "文件名", "说明", "类型", "大小", "收到日期", "版本"), table), file=out)
    print(f"共{len(found)}个附件。保存到文件夹：attachments 案件编号 --extract 文件夹", file=out)
    return EXIT_OK
