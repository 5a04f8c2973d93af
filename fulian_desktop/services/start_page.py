"""What the start page (工作台) shows beyond the case list: the clocks that are overdue or due this week,
per kind of work and kind of clock, and how long ago the last backup was made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..backup import files
from ..domain import protection_order as orders
from ..domain.dates import format_cn_datetime, to_iso
from ..domain.deadlines import DUE_SOON_DAYS, time_left
from ..domain.kinds import count_label
from ..domain.police_contact import KINDS as PAPERS
from ..paths import user_data_dir
from ..store import mandatory_reports, police_contacts, protection, protection_orders
from . import settings
from .context import Context

LAST_BACKUP_KEY = "last_backup_at"  # written by the backup work: ISO date and time of the last good backup
BACKUP_WARN_DAYS = 7  # the default; the office may change it (setting `backup_warn_days`, 设置 → 备份密码与设置)
BACKUP_WARN_KEY = "backup_warn_days"
UNSOUND_TEXT = "每周的数据库检查发现了问题，暂时不能备份。请尽快联系技术人员；U盘上原有的备份请不要删除"


@dataclass
class ClockLine:
    kind: str  # petition / referral / mediation / household
    label: str  # what is due: 告知是否受理 / 办结 / 答复是否受理 / 完成调解 / 回访 / 走访 …
    overdue: int
    due_soon: int  # due from today to a week from today

    @property
    def text(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"已逾期 {self.overdue} 件")
        if self.due_soon:
            parts.append(f"本周到期 {self.due_soon} 件")
        return f"{count_label(self.kind)} · {self.label}：{'，'.join(parts)}"  # 转介: any service


def clocks(ctx: Context) -> list[ClockLine]:
    """Open cases whose clock has run out or runs out within a week, counted per kind and clock (one query
    on the due index)."""
    ctx.require("cases.list")
    today = ctx.today()
    rows = ctx.db.execute(
        """SELECT kind, due_label, SUM(due_on < :today), SUM(due_on >= :today)
           FROM cases WHERE is_open = 1 AND due_on IS NOT NULL AND due_on <= :soon
           GROUP BY kind, due_label ORDER BY SUM(due_on < :today) DESC, kind, due_label""",
        {"today": to_iso(today), "soon": to_iso(today + dt.timedelta(days=DUE_SOON_DAYS))},
    ).fetchall()
    return [ClockLine(str(k), str(label or "办理"), int(o), int(s)) for k, label, o, s in rows]


@dataclass
class ProtectionItem:
    """One thing due in a domestic-violence case's thread (家暴防护待办): a 查访 after a 告诫书, a mandatory report,
    a protection order's ruling awaited or its end near, a violation to report."""

    case_id: int
    case_no: str
    names: str
    what: str  # 告诫书后查访 / 强制报告：向公安机关报案 / 保护令：等待法院裁定 / 保护令将到期 / 违反保护令：待报告法院
    due_on: dt.date
    overdue: bool
    note: str  # 逾期3天 / 今天到期 / 还有5天 (deadlines.time_left) / 应在2026年3月9日 17:00前裁定 / 可申请延长 …


def protection_due(ctx: Context) -> list[ProtectionItem]:
    """What is due in the 家暴防护 threads of the cases this account handles: follow-up visits planned up to a
    week ahead (overdue from the day after their day), mandatory reports not made, applications waiting for the
    court's ruling, orders ending within the reminder days, violations not yet reported. Overdue first."""
    ctx.require("protection.read")
    today, now, db = ctx.today(), ctx.now(), ctx.db
    out: list[ProtectionItem] = []
    for case_id, no, names, due, paper in police_contacts.open_due(db, today + dt.timedelta(days=DUE_SOON_DAYS)):
        out.append(ProtectionItem(case_id, no, names, f"{PAPERS.get(paper, '')}后查访", due, due < today,
                                  time_left(due, today)))
    for case_id, no, names, due in mandatory_reports.unreported(db, protection.DV_CONDITION_BY_KIND):
        out.append(ProtectionItem(case_id, no, names, "强制报告：向公安机关报案", due, due < today, time_left(due, today)))
    for case_id, no, names, filed_at, urgent in protection_orders.waiting_rulings(db):
        by = orders.ruling_due(filed_at, urgent)
        late = now > by
        out.append(ProtectionItem(case_id, no, names, "保护令：等待法院裁定", by.date(), late,
                                  ("已超过" if late else "应在") + f"{format_cn_datetime(by)}" + ("" if late else "前裁定")))
    ending = protection_orders.ending(db, today, today + dt.timedelta(days=orders.END_REMINDER_DAYS))
    for case_id, no, names, ends_on, asked in ending:
        out.append(ProtectionItem(case_id, no, names, "保护令将到期", ends_on, False,
                                  "已申请延长" if asked else "可申请延长"))
    for case_id, no, names, on in protection_orders.unreported_violations(db):
        out.append(ProtectionItem(case_id, no, names, "违反保护令：待报告法院", on, on < today, time_left(on, today)))
    kinds = dict(db.execute(f"SELECT id, kind FROM cases WHERE id IN ({','.join('?' * len(out))})",
                            [i.case_id for i in out]).fetchall()) if out else {}
    mine = [i for i in out if ctx.may(f"{kinds.get(i.case_id, '')}.write")]  # only the cases this role handles
    return sorted(mine, key=lambda i: (not i.overdue, i.due_on, i.case_no))


def last_backup(ctx: Context) -> dt.datetime | None:
    text = settings.get(ctx, LAST_BACKUP_KEY).strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _warn_days(ctx: Context) -> int:
    try:
        return min(max(int(settings.get(ctx, BACKUP_WARN_KEY, str(BACKUP_WARN_DAYS))), 1), 365)
    except ValueError:
        return BACKUP_WARN_DAYS


def backup_age_text(ctx: Context) -> tuple[str, bool]:
    """('上次备份到U盘：3天前（2026年3月7日 18:00）', needs attention); before the first backup to a stick — the most
    dangerous days, when a broken or stolen PC takes every record with it — ('还没有备份到U盘，请尽快备份', True).
    A database that failed its weekly full check says that first: no backup is made of it."""
    if ctx.path is not None and files.check_failed(files.local_folder(user_data_dir(), ctx.path)):
        return UNSOUND_TEXT, True
    at = last_backup(ctx)
    if at is None:
        who = "" if ctx.may("backup.run") else "主任或管理员"  # who can do it, for an account that cannot
        return f"还没有备份到U盘，请{who}尽快备份", True
    days = (ctx.today() - at.date()).days
    when = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    age = "今天" if days <= 0 else "昨天" if days == 1 else f"{days}天前"
    late = days >= _warn_days(ctx)
    return f"上次备份到U盘：{age}（{when}）" + ("，请尽快备份" if late else ""), late
