"""The audit trail for people: browse and filter (主任), export, verify; and the entries for things that
change no data — a case's full details viewed, a case printed or exported.

Changes are recorded by every `ctx.action()` on its own (services/context.py); here are the reads.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.audit import (
    RESULT_LABELS,
    TABLE_LABELS,
    Anchor,
    Change,
    Entry,
    Problem,
    anchor_mac,
    check_anchors,
    checkpoint_code,
    event_label,
    fields_text,
    operation_label,
    parse_checkpoint,
)
from ..domain.errors import FulianError, NotFound, RuleError, ValidationError
from ..domain.statuses import status_label
from ..paths import user_data_dir
from ..store import audit as store
from ..store import cases as case_store
from ..store import keys as key_store
from ..store.audit import AuditFilter
from . import settings
from .context import Context, _caller_operation

log = logging.getLogger(__name__)

__all__ = ["AuditFilter", "Entry", "Problem"]


# --- what is recorded without a change --------------------------------------------------------------


def _case_kind(ctx: Context, case_id: int) -> str:
    header = case_store.case_header(ctx.db, case_id)
    if header is None:
        raise NotFound("找不到这个案件")
    return str(header["kind"])


def viewed(ctx: Context, case_id: int) -> None:
    """A case's page (its full details) was opened. Refused (and recorded) without the kind's read right."""
    ctx.require("cases.list")
    kind = _case_kind(ctx, case_id)
    ctx.require(f"{kind}.read")
    ctx.record("case.view", case_id=case_id, operation=f"{kind}.view")


def printed(ctx: Context, case_id: int | None, form: str, target: str = "") -> None:
    """A form was printed (the PDF made): which case, which form."""
    ctx.require("case.print")
    ctx.record("case.print", case_id=case_id, target=target, detail={"form": form}, operation=_caller_operation(2))


def exported(ctx: Context, what: str, count: int, case_id: int | None = None) -> None:
    ctx.require("case.export")
    ctx.record("case.export", case_id=case_id, target=what, detail={"count": count}, operation=_caller_operation(2))


def backed_up(ctx: Context, target: str, ok: bool = True) -> None:
    """A backup was made (or failed): where to (a file name, never its contents)."""
    ctx.require("backup.run")
    ctx.record("backup", target=target, result="ok" if ok else "failed", operation=_caller_operation(2))


def restored(ctx: Context, source: str, ok: bool = True) -> None:
    """A backup was restored (or the attempt failed)."""
    ctx.require("backup.restore")
    ctx.record("restore", target=source, result="ok" if ok else "failed", operation=_caller_operation(2))


def opened_backup(ctx: Context, source: str) -> None:
    """A backup was opened and checked completely (its whole database and key were read), whether or not it is
    then restored: who opened which file is in the trail."""
    ctx.require("backup.restore")
    ctx.record("backup.open", target=source, operation=_caller_operation(2))


def searched(ctx: Context, found: int) -> None:
    """A search from the command line (how many were found, never what was searched for)."""
    ctx.require("cases.list")
    ctx.record("case.search", detail={"found": found}, operation="cli.search")


# --- browsing (主任) -----------------------------------------------------------------------------------


def count(ctx: Context, f: AuditFilter) -> int:
    ctx.require("audit.read")
    return store.count(ctx.db, f)


def page(ctx: Context, f: AuditFilter, limit: int = 200, offset: int = 0, *, after: int | None = None,
         before: int | None = None, from_end: bool = False) -> list[Entry]:
    """A page of the trail, newest first: at `offset` (from the end when `from_end`), or just after / before the
    entry with that id."""
    ctx.require("audit.read")
    return store.page(ctx.db, f, limit, offset, after=after, before=before, from_end=from_end)


def history(ctx: Context, entry_id: int) -> list[Change]:
    """The old and new values of the fields an entry changed (shown only inside the program)."""
    ctx.require("audit.read")
    return store.history_of(ctx.db, entry_id)


def opened(ctx: Context) -> None:
    ctx.require("audit.read")
    ctx.record("audit.view", operation="audit.opened")


def actors(ctx: Context) -> list[tuple[int, str]]:
    """(account id, "name（user name）") for the user filter."""
    ctx.require("audit.read")
    return [(r[0], f"{r[1]}（{r[2]}）") for r in ctx.db.execute(
        "SELECT id, display_name, username FROM accounts ORDER BY id").fetchall()]


def case_id_for(ctx: Context, case_no: str) -> int:
    ctx.require("audit.read")
    from .cases import id_for_number

    return id_for_number(ctx, case_no)


_WORDS = {"gui": "窗口", "cli": "命令行", "first_start": "首次设置", "recovery": "恢复密钥", "demo": "演示",
          "self": "本人", "admin": "管理员", "switch_user": "切换用户", "viewer": "程序内查看",
          "system": "用系统程序打开", "print": "打印"}
# why a backup or a restore did not complete (the error's kind; its message is for the user at that moment)
FAILURE_WORDS = {"Cancelled": "已取消", "NoSpace": "U盘空间不足", "WrongPassword": "备份密码不对", "Damaged": "备份文件损坏",
                 "TooNew": "由更新版本制作", "BackupError": "无法完成", "OSError": "读写出错", "PermissionError": "没有权限读写",
                 "FileNotFoundError": "找不到文件或U盘", "StorageError": "读写出错"}
# what is counted, printed or exported where the program names it itself
TARGET_WORDS = {"people": "多位当事人", "cases": "一批案件", "case_list.xlsx": "案件列表（Excel）",
                "statistics.xlsx": "统计表（Excel）", "statistics": "统计表", "case_pdf": "案件和附件（PDF）"}
TARGET_KINDS = {"account": "账号", "person": "当事人", "visit": "走访记录", "attachment": "附件", "signature": "签名"}
SETTING_WORDS = {
    "office_name": "单位名称", "idle_lock_minutes": "自动锁屏时间", "backup_key": "备份密码", "backup_keep": "每个U盘保留份数",
    "backup_warn_days": "多久没备份就提醒", "last_backup_at": "上次备份到U盘的时间", "last_backup_place": "上次备份的位置",
    "last_backup_file": "上次备份的文件", "mediation.committee": "人民调解委员会名称", "mediation.file_code": "卷宗编号前缀",
    "demo_data": "演示数据",
    "risk.high_from": "风险评估“高”的起点分", "risk.medium_from": "风险评估“中”的起点分",
}

EXPORT_HEADERS = ("序号", "时间", "用户", "事件", "操作", "案件编号", "对象", "说明", "结果", "哈希", "前一条的哈希")


def failure_word(error: BaseException) -> str:
    """Why a backup or a restore did not complete, in a word for the audit trail."""
    for cls in type(error).__mro__:
        if cls.__name__ in FAILURE_WORDS:
            return FAILURE_WORDS[cls.__name__]
    return "出错"


def form_title(form: str) -> str:
    """The printed form's title: "mediation.agreement" -> "人民调解协议书"."""
    if form in TARGET_WORDS:
        return TARGET_WORDS[form]
    from .. import documents  # the forms (and reportlab) load when the trail first names one

    try:
        return documents.form_for(form).title
    except FulianError:
        return "文书"


def target_label(target: str) -> str:
    """What an entry is about, in words: "account:3" -> "账号（编号3）", "lists:township" -> "列表：乡镇", a setting,
    a permission refused, an export; a file, a folder or a period as it was written."""
    from ..domain.permissions import PERMISSION_LABELS
    from .lists import LIST_LABELS

    if not target:
        return ""
    head, sep, rest = target.partition(":")
    if sep and head in TARGET_KINDS and rest.isdigit():
        return f"{TARGET_KINDS[head]}（编号{rest}）"
    if sep and head == "lists":
        return f"列表：{LIST_LABELS.get(rest, rest)}"
    if sep and head == "staff_phone":
        return f"经办人电话：{rest}"
    if target.startswith("import.layout."):
        return "导入台账时选的列"
    if target in TARGET_WORDS:
        return TARGET_WORDS[target]
    if target in SETTING_WORDS:
        return SETTING_WORDS[target]
    if target in PERMISSION_LABELS:
        return PERMISSION_LABELS[target]
    if target in TABLE_LABELS:
        return TABLE_LABELS[target]
    stem, dot, ext = target.partition(".")
    if dot and ext == "xlsx":
        from ..reports.registers import KIND_LABELS  # (only when an exported register is described)

        if stem in KIND_LABELS:  # the register by the name the menu gives it: 转介台账, 走访慰问登记 …
            return f"{KIND_LABELS[stem]}（Excel）"
    month = re.fullmatch(r"(\d{4})-(\d{2})", target)
    if month:
        return f"{int(month[1])}年{int(month[2])}月"
    failed = re.fullmatch(r"(.*)（([A-Za-z]+)）", target, re.S)  # entries written before the reason was in words
    if failed:
        return f"{failed[1]}（{FAILURE_WORDS.get(failed[2], '出错')}）"
    return target


def describe(e: Entry) -> str:
    """The entry's detail in words: fields changed, status from/to, counts (no personal data)."""
    d = e.details()
    parts = []
    if "from" in d or "to" in d:
        kind = str(d.get("kind", ""))
        parts.append(f"状态：{status_label(kind, str(d.get('from', '')))} → {status_label(kind, str(d.get('to', '')))}")
    if d.get("fields"):
        parts.append("改动：" + fields_text([str(x) for x in d["fields"]]))
    if "form" in d:
        parts.append(f"表格：{form_title(str(d['form']))}")
    for key, label in (("count", "数量"), ("found", "找到"), ("via", "方式"), ("by", "由")):
        if key in d:
            parts.append(f"{label}：{_WORDS.get(str(d[key]), d[key])}")
    if d.get("undoes"):
        parts.append(f"撤销第{d['undoes']}条记录的状态变更")
    if d.get("reason"):
        parts.append(f"原因：{d['reason']}")
    if d.get("locked"):
        parts.append("已锁定账号")
    if d.get("account_known") is False:
        parts.append("用户名不存在")
    return "；".join(parts)


def _csv_text(value: object) -> str:
    """One CSV cell. A CSV has no cell types: text that begins like a formula (a folder named =1+2, a user
    name +…) gets a leading apostrophe, so Excel, WPS and LibreOffice show it and never run it."""
    from ..reports.xlsx_export import FORMULA_STARTS  # (only when a CSV is written: not for every command)

    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(ctx: Context, f: AuditFilter) -> tuple[bytes, int]:
    """The filtered trail as CSV (UTF-8 with BOM, opens in Excel/WPS); the export itself is recorded."""
    import csv  # (only an export writes one: not every sign-in and every command)

    ctx.require("audit.read")
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(EXPORT_HEADERS)
    n, last = 0, None
    while True:  # read on from the last entry written (not by stepping over all the ones before it)
        batch = store.page(ctx.db, f, 2000, newest_first=False, after=last)
        if not batch:
            break
        last = batch[-1].id
        for e in batch:
            w.writerow([_csv_text(v) for v in (
                e.id, e.at.replace("T", " "), e.actor or "—", event_label(e.event), operation_label(e.operation),
                e.case_no, target_label(e.target), describe(e), RESULT_LABELS.get(e.result, e.result), e.hash,
                e.prev_hash)])
        n += len(batch)
    ctx.record("audit.export", detail={"count": n})
    return ("\ufeff" + out.getvalue()).encode("utf-8"), n


@dataclass
class Verification:
    checked: int
    problems: list[Problem]
    known_good: int = 0  # the newest entry an anchor outside the database vouches for
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _anchored(self) -> str:
        if not self.anchors:
            return "没有数据库之外的记录可以对照（密钥文件、自动备份或纸质核对码）。"
        places = sorted({a.where for a in self.anchors})
        return (f"其中第1至{self.known_good}条与数据库之外记下的一致（{'、'.join(places)}，共{len(self.anchors)}处），"
                f"确知未被改写；之后的{max(0, self.checked - self.known_good)}条只由哈希链本身证明。")

    def summary(self) -> str:
        if self.ok:
            return f"审计日志完好：共{self.checked}条记录，逐条核对哈希链，没有发现修改或删除。" + self._anchored()
        lines = [f"审计日志有{len(self.problems)}处问题（共{self.checked}条记录）："]
        lines += [f"  · {p.message}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  …… 另有{len(self.problems) - 50}处")
        if self.known_good:
            lines.append(f"第1至{self.known_good}条与数据库之外记下的一致。")
        return "\n".join(lines)


def _keyfile_anchor(ctx: Context) -> tuple[list[Anchor], list[Problem]]:
    if ctx.session is None:
        return [], []
    kf = key_store.KeyFile.load(ctx.session.keyfile)
    a = kf.audit_anchor() if kf is not None else None
    if not a:
        return [], []
    try:
        entry_id, entry_hash, at, mac = int(a["id"]), str(a["hash"]), str(a["at"]), str(a["mac"])
    except (KeyError, TypeError, ValueError):
        return [], [Problem(0, "密钥文件中记下的审计日志位置已损坏")]
    if not hmac.compare_digest(mac, anchor_mac(ctx.session.key, entry_id, entry_hash, at)):
        return [], [Problem(entry_id, "密钥文件中记下的审计日志位置被改动过")]
    return [Anchor(entry_id, entry_hash, at, "密钥文件")], []


def _backup_anchors(ctx: Context) -> list[Anchor]:
    """The anchors in this database's automatic local backups (they open with the database key)."""
    if ctx.path is None or ctx.session is None:
        return []
    from ..backup import engine, files  # (only when the log is checked: not for every command)
    from ..backup.errors import BackupError

    found = []
    for b in files.backups_in(engine.local_folder(user_data_dir(), ctx.path), engine.LOCAL_NAME):
        try:
            header = engine.read_header(b.path, db_key=ctx.session.key)
        except (BackupError, OSError):
            continue  # a damaged or foreign snapshot vouches for nothing
        a = header.get("audit")
        if isinstance(a, dict) and int(a.get("id", 0)) > 0:
            found.append(Anchor(int(a["id"]), str(a["hash"]), str(header.get("created_at", "")), "自动备份"))
    return found


def anchor(ctx: Context) -> None:
    """Write the trail's end into the key file (with a MAC), unless the anchor already there no longer agrees
    with the trail: that one stays, as evidence, for verify to report."""
    ctx.require("account.self")
    if ctx.session is None:
        return
    with key_store.exclusive(ctx.session.keyfile):
        kf = key_store.KeyFile.load(ctx.session.keyfile)
        if kf is not None and anchor_in(ctx, kf):
            kf.save()


def anchor_in(ctx: Context, kf: key_store.KeyFile) -> bool:
    """`anchor` on a key file already loaded (and held: key_store.exclusive), which the caller saves: True when the
    anchor was set. The sign-in saves it with the failures it clears (one write of the key file, not two)."""
    ctx.require("account.self")
    if ctx.session is None:
        return False
    entry_id, entry_hash = store.head(ctx.db)
    if not entry_id:
        return False
    at = ctx.now().isoformat(timespec="seconds")
    old = kf.audit_anchor()
    if old:
        try:
            still = store.hash_of(ctx.db, int(old["id"])) == str(old["hash"]) and hmac.compare_digest(
                str(old["mac"]), anchor_mac(ctx.session.key, int(old["id"]), str(old["hash"]), str(old["at"])))
        except (KeyError, TypeError, ValueError):
            still = False
        if not still or int(old["id"]) > entry_id:
            log.warning("audit anchor: the trail no longer agrees with the key file; anchor kept")
            return False
    kf.set_audit_anchor(entry_id, entry_hash, at, anchor_mac(ctx.session.key, entry_id, entry_hash, at))
    return True


@dataclass(frozen=True)
class Checkpoint:
    entry_id: int
    code: str
    at: dt.datetime
    office: str


def checkpoint(ctx: Context) -> Checkpoint:
    """A dated checkpoint of the trail for the paper file (the 主任 prints it; verify accepts its code)."""
    ctx.require("audit.read")
    entry_id, entry_hash = store.head(ctx.db)
    if not entry_id:
        raise RuleError("审计日志还是空的，没有可以记下的核对码。")
    anchor(ctx)
    ctx.record("audit.checkpoint", detail={"entry": entry_id})
    office = settings.get(ctx, "office_name", "")
    return Checkpoint(entry_id, checkpoint_code(entry_id, entry_hash), ctx.now(), office)


def checkpoint_pdf(ctx: Context) -> bytes:
    """The printed checkpoint: office, date and time, the entry number and the code, where to keep it."""
    from ..documents.audit_checkpoint import render

    c = checkpoint(ctx)
    return render(c.code, c.entry_id, c.office, c.at)


def verify(ctx: Context, codes: Sequence[str] = ()) -> Verification:
    """Walk the whole chain (an edited, removed or inserted entry or record history row is reported), then
    compare it with what is kept outside the database: the key file's anchor, the automatic backups' headers
    and any paper checkpoint `codes` typed in."""
    ctx.require("audit.verify")
    anchors: list[Anchor] = []
    for text in codes:
        if text.strip():
            try:
                entry_id, prefix = parse_checkpoint(text)
            except ValueError as e:
                raise ValidationError({"codes": str(e)}) from None
            anchors.append(Anchor(entry_id, prefix, "", "纸质核对码"))
    checked, problems = store.verify(ctx.db)
    from_keys, key_problems = _keyfile_anchor(ctx)
    anchors += from_keys + _backup_anchors(ctx)
    last_id = store.head(ctx.db)[0]
    good, anchor_problems = check_anchors(anchors, lambda n: store.hash_of(ctx.db, n), last_id)
    problems = problems + key_problems + anchor_problems
    result = Verification(checked, problems, good, anchors)
    ctx.record("audit.verify", result="ok" if result.ok else "failed", detail={"count": checked,
                                                                            "problems": len(problems),
                                                                            "known_good": good})
    if result.ok:
        anchor(ctx)
    return result
