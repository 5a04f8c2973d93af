"""Repeat victims and repeat abusers at intake, and the caution against mediating (domain/dv_repeat.py).

`earlier` is what the intake forms show as soon as she (or the abuser) is known: her earlier cases within 12 months,
with the risk level last assessed in each and any protection order in force — DV data, for the roles that read it.
`note_at_intake` keeps the flag in the new case's timeline (numbers, kinds and dates only) and links her own earlier
cases; the kinds' services call it inside their own transaction. `caution` says why a mediation is not appropriate
(an order in force, a high risk); opening one anyway needs the clerk's reason (services/mediations.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain import dv_repeat as rules
from ..domain.kinds import kind_label
from ..domain.referral import referral_words
from ..store import cases, repeats
from ..store import dv_risk as risk_store
from ..store import people as people_store
from ..store import protection_orders as order_store
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils


def _earlier(db: sqlite_utils.Database, person_ids: list[int], abuser: str, township: str, on: dt.date,
             today: dt.date, exclude: int | None = None, from_case: int | None = None) -> list[rules.Earlier]:
    rows = repeats.earlier_cases(db, person_ids, rules.abuser_key(abuser), township, rules.since(on), on, exclude,
                                 from_case)
    orders: dict[int, list[dt.date]] = {}
    for woman in {r[5] for r in rows if r[5] is not None}:
        for case_id, _no, ends_on in order_store.in_force_for_person(db, woman, today):
            orders.setdefault(case_id, []).append(ends_on)
    out = []
    for case_id, case_no, kind, received_on, same_woman, _woman, service in rows:
        done = risk_store.of_case(db, case_id)
        out.append(rules.Earlier(case_id, case_no, referral_words(service) if service else kind_label(kind), received_on,
                                 rules.SAME_WOMAN if same_woman else rules.SAME_ABUSER,
                                 done[-1].level if done else "", tuple(orders.get(case_id, ()))))
    return out


def people_of(ctx: Context, person_id: int | None, id_number: str = "") -> list[int]:
    """Who the form's woman is on file: the person chosen, else the one with the same ID number (as saving will
    attach her)."""
    ctx.require("people.read")
    if person_id is not None:
        return [person_id]
    known = people_store.find_by_id_number(ctx.db, id_number.strip()) if id_number.strip() else None
    return [known.id] if known is not None and known.id is not None else []


def earlier(ctx: Context, person_ids: list[int], abuser: str, township: str, on: dt.date,
            exclude: int | None = None, from_case: int | None = None) -> list[rules.Earlier]:
    """Her earlier cases within 12 months (or those naming the same abuser in the township), newest first, with the
    risk last assessed in each and any order in force — those two only for the roles that read her 家暴防护. Never
    `exclude` (the case being corrected), nor the petition it or the case being opened is opened from (`from_case`),
    nor the other cases opened from that petition: the same request carried on."""
    ctx.require("people.read")
    found = _earlier(ctx.db, person_ids, abuser, township, on, ctx.today(), exclude, from_case)
    if ctx.may("protection.read"):
        return found
    return [rules.Earlier(e.case_id, e.case_no, e.kind, e.received_on, e.why) for e in found]


def note_at_intake(db: sqlite_utils.Database, case_id: int, person_ids: list[int], abuser: str, township: str,
                   on: dt.date, today: dt.date, now: dt.datetime, staff: str, besides: str = "",
                   from_case: int | None = None) -> list[rules.Earlier]:
    """In the new case's own transaction: the flag 曾来求助 in its timeline (case numbers, kinds, dates, why — no
    risk level, no names) and a link to each of her own earlier cases. `besides`: a kind whose earlier cases its own
    rule flags already (a petition's earlier petitions: 重复信访). `from_case`: the case this one is opened from (a
    petition referred or sent to mediation) — the same request carried on, not an earlier one. Returns what was
    found."""
    found = at_intake(db, person_ids, abuser, township, on, today, besides, from_case, exclude=case_id)
    if found:
        plain = [rules.Earlier(e.case_id, e.case_no, e.kind, e.received_on, e.why) for e in found]
        cases.add_timeline(db, case_id, now, staff, rules.FLAG, rules.flag_note(plain))
        for e in found:
            if e.why == rules.SAME_WOMAN:
                cases.link(db, case_id, e.case_id, rules.FLAG)
    return found


def at_intake(db: sqlite_utils.Database, person_ids: list[int], abuser: str, township: str, on: dt.date,
              today: dt.date, besides: str = "", from_case: int | None = None,
              exclude: int | None = None) -> list[rules.Earlier]:
    """What note_at_intake flags, without writing it (an import writing many cases at once tells their stories)."""
    return [e for e in _earlier(db, person_ids, abuser, township, on, today, exclude, from_case)
            if not besides or e.kind != kind_label(besides)]


def caution_in(db: sqlite_utils.Database, person_ids: list[int], today: dt.date) -> str:
    """Why mediating with these people is not appropriate ('' when nothing says so), inside a transaction."""
    until = [ends_on for pid in person_ids for _c, _n, ends_on in order_store.in_force_for_person(db, pid, today)]
    high = []
    for pid in person_ids:
        done = risk_store.of_person(db, pid)
        if done and done[-1].level == "high":
            high.append(done[-1].case_no)
    return rules.caution_text(until, high)


def caution(ctx: Context, person_ids: list[int]) -> str:
    """Why mediating with these people is not appropriate ('' when nothing says so)."""
    ctx.require("mediation.read")
    return caution_in(ctx.db, person_ids, ctx.today())
