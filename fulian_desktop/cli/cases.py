"""Commands on cases: demo (made-up data), search, print (a case's form as PDF), audit (verify, export)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from .. import durable
from ..domain.errors import FulianError, NotFound, ValidationError
from ..domain.names import INITIALS_HELP
from .common import (
    ENV_PASSWORD,
    ENV_USER,
    EXIT_ERROR,
    EXIT_OK,
    UsageError,
    count_arg,
    db_path,
    format_table,
    isatty,
    open_existing,
    os_reason,
)

log = logging.getLogger(__name__)

MAX_DEMO_CASES = 1_000_000


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    demo = commands.add_parser("demo", help="生成演示数据（虚构的案件）",
                               description="向数据库写入虚构的演示案件")
    demo.add_argument("--cases", required=True, type=count_arg(0, MAX_DEMO_CASES, "案件数"),
                      metavar="件数", help="要生成的案件数")
    demo.add_argument("--seed", type=count_arg(0, 2**31 - 1, "随机种子"), default=1, metavar="数字",
                      help="随机种子（相同的种子得到相同的数据，默认1）")
    demo.add_argument("--office", action="append", default=[], metavar="乡镇",
                      help="再建一个乡镇妇联的演示数据库（在 --db 旁边，如 演示-福田铺乡.db），与县妇联（--db）交换过几轮"
                           "交换包；可写几次，如 --office 福田铺乡 --office 东山镇")
    demo.set_defaults(run=_run_demo)

    search = commands.add_parser("search", help="查找案件", description="按姓名、拼音首字母、案件编号、"
                                 "身份证号、电话或事由中的文字查找案件")
    search.add_argument("text", nargs="+", metavar="文字",
                        help="要查找的内容：姓名、拼音首字母、案件编号、身份证号、电话或事由中的字词。" + INITIALS_HELP)
    search.add_argument("--json", action="store_true", help="以JSON格式输出")
    search.add_argument("--limit", type=count_arg(1, 10000, "显示条数"), default=50, metavar="件数",
                        help="最多显示多少件（默认50）")
    search.set_defaults(run=_run_search)

    printing = commands.add_parser("print", help="把案件打印成PDF文件",
                                   description="把案件的登记表打印成PDF文件；--list 列出案件的全部文书（登记表、"
                                               "受理告知书、处理意见书……），--doc 打印其中一份")
    printing.add_argument("case_no", metavar="案件编号",
                          help="案件编号，如：信访〔2026〕第0001号（也可写成 信访[2026]第0001号）")
    printing.add_argument("--out", default=".", metavar="文件",
                          help="保存的PDF文件；给文件夹时用建议的文件名（默认当前文件夹）")
    printing.add_argument("--list", action="store_true", help="列出这件案件的文书，不打印")
    printing.add_argument("--doc", metavar="文书",
                          help="打印其中一份文书：写文书名称（如 受理告知书）或 --list 列出的序号（默认打印登记表）")
    printing.set_defaults(run=_run_print)

    audit = commands.add_parser("audit", help="审计日志：校验、导出或打印核对码",
                                description="verify：逐条核对审计日志的哈希链，并与数据库之外记下的（密钥文件、自动备份、"
                                            "纸质核对码）对照，发现被修改或删除的记录；export：把审计日志导出为CSV文件"
                                            "（需要主任账号）；checkpoint：把核对码打印成PDF，放进纸质档案（需要主任账号）")
    audit.add_argument("what", choices=("verify", "export", "checkpoint"), metavar="verify|export|checkpoint",
                       help="校验（verify）、导出（export）或打印核对码（checkpoint）")
    audit.add_argument("--out", metavar="文件",
                       help="export 保存的CSV文件（默认：审计日志.csv）；checkpoint 保存的PDF文件（默认：审计日志核对码.pdf）")
    audit.add_argument("--code", action="append", default=[], metavar="核对码",
                       help="verify 时对照的纸质核对码，如 1234-3F2A-9C01-7761-0D46（可写几次）")
    audit.set_defaults(run=_run_audit)
    return [demo, search, printing, audit]


def _demo_context(path: Path, err: IO[str]) -> tuple[Any, bool]:
    """(signed-in context, whether the demo accounts were just made) for `demo`."""
    from ..services import accounts

    if not accounts.needs_setup(path):
        return open_existing(path, err), False
    if accounts.existing_data(path) == "plain":
        # an unencrypted database from an earlier version: only demo data may be converted here
        from ..services.context import open_context
        from ..store import bulk

        old = open_context(path)
        try:
            real = bulk.case_count(old.db) and not bulk.is_demo(old.db)
        finally:
            old.close()
        if real:
            from ..domain.errors import RuleError

            raise RuleError("这个数据库里已有真实案件，不能加入演示数据。请另选一个新的数据库文件。")
    return accounts.setup_demo(path), True


def _run_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..demo import generate as demo
    from ..services import accounts

    path = db_path(args)
    if path.is_dir():
        raise NotFound(f"“{path}”是一个文件夹，不是数据库文件。")
    names = list(dict.fromkeys("".join(n.split()) for n in args.office if n.strip()))
    ctx, new_accounts = _demo_context(path, err)
    townships: list[Any] = []
    try:
        if names:
            from ..demo import offices

            offices.prepare_county(path, names)
        progress = None
        if isatty(err):
            def progress(done: int, total: int) -> None:
                print(f"\r正在生成演示数据…… {done}/{total}", end="", file=err, flush=True)

        made = demo.generate(ctx, args.cases, seed=args.seed, progress=progress)
        if progress is not None:
            print(file=err)
        if names:
            townships = offices.make(path, names, ctx, max(20, args.cases // 4), seed=args.seed,
                                     say=lambda text: print(text, file=err))
    finally:
        ctx.close()
    log.info("demo: %d cases made", made)
    print(f"已生成{made}件演示案件，数据库：{path}", file=out)
    if townships:
        from ..demo.offices import COUNTY_NAME, PASSWORD

        print(f"以上是{COUNTY_NAME}妇联的数据库。各乡镇妇联的演示数据库（已与县妇联交换过三轮交换包）：", file=out)
        for t in townships:
            print(f"  {t.township}妇联：{t.path}（演示案件{t.cases}件）", file=out)
        print(f"交换包密码（演示）：{PASSWORD}", file=out)
    if new_accounts:
        from ..domain.permissions import ROLE_LABELS

        print("演示账号（数据都是虚构的，仅供试用）：", file=out)
        for user, name, roles, password in (accounts.DEMO_STAFF, accounts.DEMO_ADMIN):
            labels = "、".join(ROLE_LABELS[r] for r in ROLE_LABELS if r in roles)
            print(f"  {name}（{labels}）：用户名 {user}　密码 {password}", file=out)
        print(f"命令行使用演示账号：设置环境变量 {ENV_USER}={accounts.DEMO_STAFF[0]} "
              f"{ENV_PASSWORD}={accounts.DEMO_STAFF[3]}，或按提示输入。", file=out)
    return EXIT_OK



def _load_search() -> None:
    """What `search` needs besides signing in, loaded while the password is checked (issue 22)."""
    from ..domain import dates, filters, kinds, statuses  # noqa: F401
    from ..services import audit, cases  # noqa: F401


def _run_search(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    text = " ".join(" ".join(args.text).split())
    if not text:
        raise UsageError("请写上要查找的内容")
    ctx = open_existing(db_path(args), err, meanwhile=_load_search)
    from ..domain.dates import format_cn
    from ..domain.filters import CaseFilter
    from ..domain.kinds import kind_label
    from ..domain.statuses import status_label
    from ..services import audit, cases

    try:
        rows = cases.find(ctx, text, limit=args.limit)
        # counted to 1,000 at most (or the limit asked for): a common word finds tens of thousands
        bound = max(cases.COUNT_BOUND, args.limit)
        total = cases.count(ctx, CaseFilter(text=text), bound) if len(rows) >= args.limit else len(rows)
        audit.searched(ctx, min(total, bound))
    finally:
        ctx.close()
    log.info("search: %d found", total)
    found = [
        {
            "case_no": r.case_no, "kind": kind_label(r.kind, r.service), "names": r.names,
            "status": status_label(r.kind, r.status), "received_on": r.received_on.isoformat(),
            "township": r.township, "category": r.category,
        }
        for r in rows
    ]
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    if not found:
        print(f"没有找到与“{text}”相符的案件。", file=out)
        return EXIT_OK
    headers = ("案件编号", "类型", "当事人", "状态", "收到日期", "乡镇", "问题类别")
    table = [
        (f["case_no"], f["kind"], f["names"], f["status"], format_cn(f["received_on"]), f["township"],
         f["category"])
        for f in found
    ]
    print(format_table(headers, table), file=out)
    more = f"，这里显示前{len(found)}件（用 --limit 显示更多）" if total > len(found) else ""
    print(f"共找到{f'{bound}+' if total > bound else total}件{more}。", file=out)
    return EXIT_OK


_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _print_list(entries: list[Any], case_no: str, out: IO[str]) -> int:
    from ..domain.dates import format_cn

    rows = [(str(e.number), e.title, format_cn(e.issued_on), e.note) for e in entries]
    print(f"{case_no}的文书：", file=out)
    print(format_table(("序号", "文书", "日期", "说明"), rows), file=out)
    print("打印其中一份：print 案件编号 --doc 文书名称或序号 --out 文件.pdf", file=out)
    log.info("print --list: %d documents", len(entries))
    return EXIT_OK


def _read_face_meanwhile() -> None:
    """The print face (20 MB: ≈ 70 ms of reading and parsing) read on a thread while the password is checked and the
    database opened — the key derivation leaves a core free much of the time, the disk's flushes both (issue 22). It
    is read once (documents.fonts, under its lock): the form takes it as it is, waiting only for the rest of it."""
    try:
        from ..documents import fonts
    except ImportError:
        return  # (said where the form is printed)

    def read() -> None:
        try:
            fonts.register_fonts()
        except Exception:  # noqa: BLE001 - read again where the form needs it, and its error reported there
            log.info("print: the face was not read ahead")

    threading.Thread(target=read, name="print-face", daemon=True).start()


def _load_print(face: bool) -> Callable[[], None]:
    """What `print` needs besides signing in, loaded while the password is checked (issue 22): the form's face
    first (read on its own thread), then the case's and the printing services."""

    def load() -> None:
        if face:
            _read_face_meanwhile()
        from ..services import cases  # noqa: F401

        try:
            from ..services import printing  # noqa: F401
        except ImportError:
            pass  # (said below, where it is imported again)

    return load


def _run_print(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.list and args.doc:
        raise UsageError("--list 和 --doc 不能同时使用：先用 --list 看有哪些文书，再用 --doc 打印其中一份")
    if not args.list:  # (said before the case is printed, so that the audit trail records no print not saved)
        wanted = Path(args.out).expanduser()
        folder = wanted if wanted.is_dir() or args.out.endswith(("/", "\\")) else wanted.parent
        if not folder.is_dir():
            raise FulianError(f"无法保存PDF文件：文件夹“{folder}”不存在。")
    ctx = open_existing(db_path(args), err, meanwhile=_load_print(face=not args.list))
    from ..services import cases

    try:
        case_id = cases.id_for_number(ctx, args.case_no)
        try:
            from ..services import printing
        except ImportError:
            log.info("print: the printing module cannot be imported")
            raise FulianError("本程序缺少打印组件，无法打印。请重新安装妇联维权工作台。") from None
        if args.list or args.doc:
            # (the list of a case's documents: her 家暴防护 papers and risk assessments too, which the case's own
            # form does not need to load)
            from ..services import case_documents

            entries = case_documents.list_documents(ctx, case_id)
            if args.list:
                return _print_list(entries, args.case_no, out)
            pdf, suggested = case_documents.print_entry(ctx, case_id, case_documents.find(entries, args.doc))
        else:
            pdf, suggested = printing.print_case(ctx, case_id)
    finally:
        ctx.close()
    target = Path(args.out).expanduser()
    if target.is_dir() or args.out.endswith(("/", "\\")):
        name = _BAD_NAME_CHARS.sub("_", suggested).strip(" .") or "案件.pdf"
        target = target / name
    if not target.parent.is_dir():
        raise FulianError(f"无法保存PDF文件：文件夹“{target.parent}”不存在。")
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(pdf)
        durable.replace(partial, target)
    except OSError as e:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise FulianError(f"无法保存PDF文件“{target}”：{os_reason(e)}。") from None
    log.info("print: %d bytes written", len(pdf))
    print(f"已保存：{target}", file=out)
    return EXIT_OK


def _run_audit(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..services import audit

    ctx = open_existing(db_path(args), err)
    try:
        if args.what == "verify":
            try:
                result = audit.verify(ctx, args.code)
            except ValidationError as e:
                raise UsageError("；".join(e.errors.values())) from None
            print(result.summary(), file=out)
            log.info("audit verify: %d entries, %d problems", result.checked, len(result.problems))
            return EXIT_OK if result.ok else EXIT_ERROR
        if args.what == "checkpoint":
            data, n = audit.checkpoint_pdf(ctx), 0
        else:
            data, n = audit.export_csv(ctx, audit.AuditFilter())
    finally:
        ctx.close()
    default = "审计日志核对码.pdf" if args.what == "checkpoint" else "审计日志.csv"
    target = Path(args.out or default).expanduser()
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        durable.replace(partial, target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise FulianError(f"无法保存文件“{target}”：{os_reason(e)}。") from None
    if args.what == "checkpoint":
        log.info("audit checkpoint printed")
        print(f"已保存审计日志核对码：{target}（请打印后放进纸质档案）", file=out)
        return EXIT_OK
    log.info("audit export: %d entries", n)
    print(f"已导出{n}条审计记录：{target}", file=out)
    return EXIT_OK

