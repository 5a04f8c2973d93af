"""The four kinds of work. One case model, four kinds."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # shown in lists
    number_prefix: str  # used in the case number


KINDS: dict[str, Kind] = {
    "petition": Kind("petition", "信访", "信访"),
    "referral": Kind("referral", "法律援助转介", "援转"),
    "mediation": Kind("mediation", "婚姻家庭纠纷调解", "婚调"),
    "household": Kind("household", "帮扶户走访", "帮扶"),
}


LEGAL_AID = "法律援助"  # the service a referral names by default (domain/referral.py SERVICES)


REFERRALS = "转介"  # referrals to every service together (legal aid, shelter, 验伤 …): counts, clocks, the list's filter


def count_label(key: str) -> str:
    """The kind naming all its cases together: 转介 for referrals, whatever the service (kind_label names one)."""
    if key == "referral":
        return REFERRALS
    return KINDS[key].label if key in KINDS else key


# The number of a referral to a service other than legal aid (转介〔2026〕第0005号): 援转 is legal aid's (援助转介).
# One counter for every referral, so a number is never given twice; referrals numbered 援转 before keep their number.
OTHER_REFERRAL_PREFIX = "转介"


def number_prefix(key: str, service: str = "") -> str:
    """The case number's prefix: the kind's, and 转介 for a referral to a service other than legal aid."""
    if key == "referral" and service and service != LEGAL_AID:
        return OTHER_REFERRAL_PREFIX
    return KINDS[key].number_prefix


def kind_label(key: str, service: str = "") -> str:
    """The kind as lists show it; a referral to a service other than legal aid names it: 转介（庇护所/救助管理站）."""
    if key == "referral" and service and service != LEGAL_AID:
        return f"转介（{service}）"
    return KINDS[key].label if key in KINDS else key


def note_text(note: str) -> str:
    """A 备注 added to a case of any kind, as the timeline keeps it: what was typed, trimmed; nothing typed is
    refused (ValidationError keyed "note")."""
    text = note.strip()
    if not text:
        raise ValidationError({"note": "请输入备注内容"})
    return text
