"""Knowing the person: matches on file, and her history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain import idcard, phone
from ..domain.masking import mask_text
from ..domain.records import Person
from ..store import people
from .context import Context


@dataclass
class Match:
    person: Person
    reason: str  # 身份证号相同 / 电话相同 / 姓名相同
    cases: list[dict[str, Any]]


def find_matches(ctx: Context, name: str, id_number: str = "", phone_number: str = "") -> list[Match]:
    """People on file who may be the one at the window, with their earlier cases."""
    ctx.require("people.read")
    n = " ".join(name.split())
    idn = idcard.normalize(id_number) if id_number.strip() else ""
    ph = phone.normalize(phone_number) if phone_number.strip() else ""
    out = []
    for p in people.matches(ctx.db, n, idn, ph):
        if idn and p.id_number == idn:
            reason = "身份证号相同"
        elif ph and p.phone == ph:
            reason = "电话相同"
        else:
            reason = "姓名相同"
        assert p.id is not None
        out.append(Match(person=p, reason=reason, cases=people.cases_of(ctx.db, p.id)))
    return out


def get(ctx: Context, person_id: int) -> Person:
    ctx.require("people.read")
    return people.get(ctx.db, person_id)


def history(ctx: Context, person_id: int) -> list[dict[str, Any]]:
    ctx.require("people.read")
    return [{**c, "summary": mask_text(c["summary"])} for c in people.cases_of(ctx.db, person_id)]
