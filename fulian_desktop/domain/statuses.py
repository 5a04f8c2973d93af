"""Status words per kind of case, in one place; each kind adds its labels here (its own module reads them from here:
a list or a search shows the words of every kind without loading every kind's rules)."""

from __future__ import annotations

PETITION = {
    "registered": "已登记",
    "accepted": "已受理",
    "refused": "不予受理",
    "in_progress": "办理中",
    "concluded": "已办结",
    "forwarded": "已转送",  # 检举控告 passed to the competent body
    "returned": "已退回",  # transferred in, not the office's: objected to and returned to the sender (art. 23)
}
REFERRAL = {
    "awaiting_consent": "待本人同意",
    "referred": "已转介",
    "accepted": "已受理",
    "refused": "不予受理",
    "withdrawn": "已撤回",
    "concluded": "已办结",
}
MEDIATION = {
    "accepted": "已受理",
    "in_progress": "调解中",
    "reconciled": "和好",
    "agreed": "达成协议",
    "self_settled": "自行和解",
    "failed": "调解不成",
    "ended": "终止调解",
}
HOUSEHOLD = {"helping": "帮扶中", "lifted": "已脱贫", "exited": "已退出"}

STATUS_LABELS: dict[str, dict[str, str]] = {
    "petition": PETITION,
    "referral": REFERRAL,
    "mediation": MEDIATION,
    "household": HOUSEHOLD,
}


def status_label(kind: str, status: str) -> str:
    return STATUS_LABELS.get(kind, {}).get(status, status)
