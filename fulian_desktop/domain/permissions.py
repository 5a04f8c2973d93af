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

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # register and handle cases
    "window": frozenset(
        {f"{k}.{a}" for k in ("petition", "referral", "household") for a in ("read", "write")}
        | {"mediation.read", "case.print", "case.export"}
    ),
    # mediations (and reading the petitions they come from)
    "mediator": frozenset({"mediation.read", "mediation.write", "petition.read", "case.print"}),
    # everything in cases, approvals, statistics, the audit log
    "director": frozenset(
        {f"{k}.{a}" for k in _CASE_KINDS for a in ("read", "write")}
        | {"petition.extend", "case.print", "case.export", "statistics.read", "audit.read", "lists.write",
           "backup.run"}
    ),
    # accounts, settings, backup and restore — not case contents unless also given a case role
    "admin": frozenset({"accounts.manage", "settings.write", "lists.write", "backup.run", "backup.restore",
                        "audit.read"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


class PermissionDenied(FulianError):
    pass


def allowed(roles: frozenset[str] | set[str], permission: str) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(r, frozenset()) for r in roles)
