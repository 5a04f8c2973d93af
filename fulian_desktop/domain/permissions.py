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

# Permissions every case role shares: the case lists and search, the people on file (with their ID
# numbers and phones in full on a case's page), printing, the office's lists and settings; and what
# every account may do for itself ("account.self": its own password, the lock screen).
_CASE_WORK = frozenset({"cases.list", "people.read", "people.identity", "case.print", "account.self",
                        "lists.read", "settings.read"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # register and handle cases
    "window": _CASE_WORK | frozenset(
        {f"{k}.{a}" for k in ("petition", "referral", "household") for a in ("read", "write")}
        | {"mediation.read", "case.export"}
    ),
    # mediations (and reading the petitions they come from)
    "mediator": _CASE_WORK | frozenset({"mediation.read", "mediation.write", "petition.read"}),
    # everything in cases, approvals (an extension; undoing a status step pressed by mistake), statistics,
    # the audit log
    "director": _CASE_WORK | frozenset(
        {f"{k}.{a}" for k in _CASE_KINDS for a in ("read", "write")}
        | {"petition.extend", "case.undo", "case.export", "statistics.read", "audit.read", "audit.verify", "lists.write",
           "backup.run"}
    ),
    # accounts, settings, backup and restore — not case contents unless also given a case role; the
    # audit trail's integrity check (no contents), not the trail itself
    "admin": frozenset({"accounts.manage", "settings.write", "lists.write", "backup.run", "backup.restore",
                        "audit.verify", "account.self", "lists.read", "settings.read"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


class PermissionDenied(FulianError):
    pass


def allowed(roles: frozenset[str] | set[str], permission: str) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(r, frozenset()) for r in roles)
