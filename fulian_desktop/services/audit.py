"""The audit trail for people: browse and filter (主任), export, verify; and the entries for things that
change no data — a case's full details viewed, a case printed or exported.

Changes are recorded by every `ctx.action()` on its own (services/context.py); here are the reads.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..domain.audit import RESULT_LABELS, Change, Entry, Problem, event_label, field_label
from ..domain.errors import NotFound
from ..domain.statuses import status_label
from ..reports.xlsx_export import FORMULA_STARTS
from ..store import audit as store
from ..store import cases as case_store
from ..store.audit import AuditFilter
from .context import Context, _caller_operation

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


def searched(ctx: Context, found: int) -> None:
    """A search from the command line (how many were found, never what was searched for)."""
    ctx.require("cases.list")
    ctx.record("case.search", detail={"found": found}, operation="cli.search")


# --- browsing (主任) -----------------------------------------------------------------------------------


def count(ctx: Context, f: AuditFilter) -> int:
    ctx.require("audit.read")
    return store.count(ctx.db, f)


def page(ctx: Context, f: AuditFilter, limit: int = 200, offset: int = 0) -> list[Entry]:
    ctx.require("audit.read")
    return store.page(ctx.db, f, limit, offset)


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
          "self": "本人", "admin": "管理员"}

EXPORT_HEADERS = ("序号", "时间", "用户", "事件", "操作", "案件编号", "对象", "说明", "结果", "哈希", "前一条的哈希")


def describe(e: Entry) -> str:
    """The entry's detail in words: fields changed, status from/to, counts (no personal data)."""
    d = e.details()
    parts = []
    if "from" in d or "to" in d:
        kind = str(d.get("kind", ""))
        parts.append(f"状态：{status_label(kind, str(d.get('from', '')))} → {status_label(kind, str(d.get('to', '')))}")
    if d.get("fields"):
        parts.append("改动：" + "、".join(field_label(str(x)) for x in d["fields"]))
    for key, label in (("form", "表格"), ("count", "数量"), ("found", "找到"), ("via", "方式"), ("by", "由")):
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
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(ctx: Context, f: AuditFilter) -> tuple[bytes, int]:
    """The filtered trail as CSV (UTF-8 with BOM, opens in Excel/WPS); the export itself is recorded."""
    ctx.require("audit.read")
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(EXPORT_HEADERS)
    n, offset = 0, 0
    while True:
        batch = store.page(ctx.db, f, 2000, offset, newest_first=False)
        if not batch:
            break
        for e in batch:
            w.writerow([_csv_text(v) for v in (
                e.id, e.at.replace("T", " "), e.actor or "—", event_label(e.event), e.operation, e.case_no,
                e.target, describe(e), RESULT_LABELS.get(e.result, e.result), e.hash, e.prev_hash)])
        n += len(batch)
        offset += len(batch)
    ctx.record("audit.export", detail={"count": n})
    return ("\ufeff" + out.getvalue()).encode("utf-8"), n


@dataclass
class Verification:
    checked: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"审计日志完好：共{self.checked}条记录，逐条核对哈希链，没有发现修改或删除。"
        lines = [f"审计日志有{len(self.problems)}处问题（共{self.checked}条记录）："]
        lines += [f"  · {p.message}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  …… 另有{len(self.problems) - 50}处")
        return "\n".join(lines)


def verify(ctx: Context) -> Verification:
    """Walk the whole chain: an edited, removed or inserted entry (or record history row) is reported."""
    ctx.require("audit.verify")
    checked, problems = store.verify(ctx.db)
    result = Verification(checked, problems)
    ctx.record("audit.verify", result="ok" if result.ok else "failed", detail={"count": checked,
                                                                            "problems": len(problems)})
    return result
