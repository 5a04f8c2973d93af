"""Status words per kind of case, in one place; each kind adds its labels here."""

from __future__ import annotations

from . import household, mediation, petition, referral

STATUS_LABELS: dict[str, dict[str, str]] = {
    "petition": petition.STATUS_LABELS,
    "referral": referral.STATUS_LABELS,
    "mediation": mediation.STATUS_LABELS,
    "household": household.STATUS_LABELS,
}


def status_label(kind: str, status: str) -> str:
    return STATUS_LABELS.get(kind, {}).get(status, status)
