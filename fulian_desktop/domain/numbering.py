"""Readable case numbers, unique per kind and year: 信访〔2026〕第0001号."""

from __future__ import annotations

import re

from .kinds import KINDS

_PATTERN = re.compile(r"^(\S+?)〔(\d{4})〕第(\d+)号$")


def format_case_no(kind: str, year: int, seq: int) -> str:
    return f"{KINDS[kind].number_prefix}〔{year}〕第{seq:04d}号"


def parse_case_no(text: str) -> tuple[str, int, int] | None:
    t = text.strip().replace("[", "〔").replace("]", "〕").replace("【", "〔").replace("】", "〕")
    m = _PATTERN.match(t)
    if not m:
        return None
    for kind, info in KINDS.items():
        if info.number_prefix == m[1]:
            return kind, int(m[2]), int(m[3])
    return None
