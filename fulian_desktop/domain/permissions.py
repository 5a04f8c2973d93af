"""Who may do what: permissions per role, checked in the service layer (not only by hiding buttons)."""

from __future__ import annotations

from .errors import FulianError

ROLE_LABELS = {
    "window": "窗口工作人员",
    "mediator": "调解员",
    "director": "主任",
    "admin": "管理员",
}

_CASE_KINDS = ("petition", "referral", "mediation", "household")

# 家暴防护 (a DV case's thread: risk assessments, safety plans, police contact, orders): read and written only
# by the roles that handle cases, and within them only on cases of a kind the account may write (services check
# both: services/protection.check_handling); her whole picture on the person page for the window and the 主任
_PROTECTION = frozenset({"protection.read", "protection.write"})
# 交换包 between the townships and the county (services/exchange_packages.py): the window and the 主任
_EXCHANGE = frozenset({"exchange.export", "exchange.import"})

# Permissions every case role shares: the case lists and search, the people on file (with their ID
# numbers and phones in full on a case's page), printing, the office's lists and settings; and what
# every account may do for itself ("account.self": its own password, the lock screen).
_CASE_WORK = frozenset({"cases.list", "people.read", "people.identity", "case.print", "account.self",
                        "lists.read", "settings.read"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # register and handle cases
    "window": _CASE_WORK | frozenset(
        {f"{k}.{a}" for k in ("petition", "referral", "household") for a in ("read", "write")}
        | {"mediation.read", "case.export"} | _PROTECTION | {"protection.person"} | _EXCHANGE
    ),
    # mediations (and reading the petitions they come from)
    "mediator": _CASE_WORK | frozenset({"mediation.read", "mediation.write", "petition.read"}) | _PROTECTION,
    # everything in cases, approvals (an extension; undoing a status step pressed by mistake), statistics,
    # the audit log
    "director": _CASE_WORK | frozenset(
        {f"{k}.{a}" for k in _CASE_KINDS for a in ("read", "write")}
        | {"petition.extend", "case.undo", "case.supervise", "case.export", "attachments.export", "statistics.read", "audit.read", "audit.verify", "lists.write",
           "backup.run"} | _PROTECTION | {"protection.person"} | _EXCHANGE
    ),
    # accounts, settings, backup and restore — not case contents unless also given a case role; the
    # audit trail's integrity check (no contents), not the trail itself
    "admin": frozenset({"accounts.manage", "settings.write", "lists.write", "backup.run", "backup.restore",
                        "audit.verify", "account.self", "lists.read", "settings.read"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

# what each permission allows, as the audit trail names it when it refused one (无权限被拒绝：延期审批)
PERMISSION_LABELS = {
    "account.self": "本人的密码和锁屏", "accounts.manage": "管理账号", "audit.read": "查看审计日志", "audit.verify": "校验审计日志",
    "attachments.export": "导出案件和附件（交法院、律师）", "backup.restore": "从备份恢复", "backup.run": "备份到U盘", "case.export": "导出案件", "case.print": "打印",
    "case.undo": "撤销上一步", "exchange.export": "导出交换包、读回执", "exchange.import": "导入交换包", "case.supervise": "督办", "cases.list": "查看案件列表", "household.read": "查看帮扶户", "household.write": "办理帮扶户走访",
    "lists.read": "查看列表和名录", "lists.write": "维护列表和名录", "mediation.read": "查看调解",
    "mediation.write": "办理调解", "people.identity": "查看完整的身份证号和电话", "people.read": "查看当事人",
    "petition.extend": "延期审批", "protection.read": "查看家暴防护（风险评估、安全计划等）",
    "protection.write": "办理家暴防护（风险评估、安全计划等）", "protection.person": "查看当事人的家暴防护全貌",
    "petition.read": "查看信访", "petition.write": "登记和办理信访",
    "referral.read": "查看转介", "referral.write": "办理转介", "settings.read": "查看设置",
    "settings.write": "修改设置", "statistics.read": "查看统计",
}


class PermissionDenied(FulianError):
    pass


def allowed(roles: frozenset[str] | set[str], permission: str) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(r, frozenset()) for r in roles)
