"""Readable case numbers, unique per kind and year: 信访〔2026〕第0001号; a township's carry its short name
(信访〔2026〕福田铺第0001号, domain/office.py) so that no two offices issue the same number."""

from __future__ import annotations

import re

from .kinds import KINDS, OTHER_REFERRAL_PREFIX, number_prefix

_PATTERN = re.compile(r"^(\S+?)〔(\d{4})〕([^第\s]*)第(\d+)号$")


def format_case_no(kind: str, year: int, seq: int, mark: str = "", service: str = "") -> str:
    """A referral's `service` other than legal aid gives it the prefix 转介 (kinds.number_prefix)."""
    return _format(number_prefix(kind, service), year, seq, mark)


def _format(prefix: str, year: int, seq: int, mark: str) -> str:
    return f"{prefix}〔{year}〕{mark}第{seq:04d}号"


def parse_case_no(text: str) -> tuple[str, int, int] | None:
    """(kind, year, seq) of a number of this office's own form (a township's mark is told by case_no_mark)."""
    found = parse_full(text)
    return found[:3] if found else None


def own_number(text: str, kind: str, mark: str) -> tuple[int, int] | None:
    """(year, seq) of a number written in this office's own form for `kind` (a township's with its mark, the
    county's without): the number a register's case may keep. Written loosely ([ ] for 〔 〕) it is still ours."""
    found = parse_full(text)
    if found is None or found[0] != kind or found[3] != mark:
        return None
    return found[1], found[2]


def case_no_mark(text: str) -> str:
    found = parse_full(text)
    return found[3] if found else ""


def parse_full(text: str) -> tuple[str, int, int, str] | None:
    t = text.strip().replace("[", "〔").replace("]", "〕").replace("【", "〔").replace("】", "〕")
    m = _PATTERN.match(t)
    if not m:
        return None
    for kind, info in KINDS.items():
        if info.number_prefix == m[1]:
            return kind, int(m[2]), int(m[4]), m[3]
    if m[1] == OTHER_REFERRAL_PREFIX:
        return "referral", int(m[2]), int(m[4]), m[3]
    return None


def spellings(text: str) -> list[str]:
    """The numbers a typed case number may stand for, in its normal form: a referral's under both prefixes (援转,
    转介), since the same counter numbers them (she may remember a shelter referral's number as 援转…)."""
    found = parse_full(text)
    if found is None:
        return []
    kind, year, seq, mark = found
    prefixes = [KINDS[kind].number_prefix] + ([OTHER_REFERRAL_PREFIX] if kind == "referral" else [])
    return [_format(prefix, year, seq, mark) for prefix in prefixes]
