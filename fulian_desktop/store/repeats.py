"""Earlier cases of the same woman or naming the same abuser (domain/dv_repeat.py), across the kinds."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.dates import from_iso, to_iso
from ..domain.dv_repeat import OPENED_FROM

if TYPE_CHECKING:
    import sqlite_utils

# the name of the person complained about, as each kind records it (a mediation: its other side's parties)
_ABUSER_CASES = """
    SELECT case_id FROM petitions WHERE respondent_name = :abuser
    UNION SELECT case_id FROM referrals WHERE opponent_name = :abuser
    UNION SELECT mp.case_id FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
          WHERE mp.side = 'respondent' AND p.name = :abuser
"""


_OPENED_FROM = ", ".join(f"'{r}'" for r in OPENED_FROM)

# the petition the case asked about carries on — `:from_case` (a case being opened from it), or the one the case
# being corrected (`:exclude`) was opened from — and every case opened from it: one request, never an earlier one
_SAME_REQUEST = f"""
    WITH origin(id) AS (SELECT :from_case WHERE :from_case IS NOT NULL
                        UNION SELECT to_case FROM case_links WHERE from_case = :exclude AND relation IN ({_OPENED_FROM}))
    SELECT id FROM origin
    UNION SELECT from_case FROM case_links WHERE to_case IN (SELECT id FROM origin) AND relation IN ({_OPENED_FROM})
"""


def same_request_sql(case: str, other: str) -> str:
    """SQL true when case `other` is the petition case `case` was opened from, or another case opened from that
    petition (both SQL expressions): the statistics' 重复求助 passes them over as intake does."""
    return f"""EXISTS (SELECT 1 FROM case_links l WHERE l.from_case = {case} AND l.relation IN ({_OPENED_FROM})
        AND (l.to_case = {other} OR EXISTS (SELECT 1 FROM case_links k WHERE k.from_case = {other}
                                            AND k.to_case = l.to_case AND k.relation IN ({_OPENED_FROM}))))"""


def earlier_cases(db: sqlite_utils.Database, person_ids: list[int], abuser: str, township: str, since: dt.date,
                  until: dt.date, exclude: int | None = None, from_case: int | None = None
                  ) -> list[tuple[int, str, str, dt.date, bool, int | None, str | None]]:
    """Petitions, referrals and mediations received from `since` to `until` naming one of these people, or naming
    `abuser` ('' none) as the person complained about in `township` ('' any): (case id, case number, kind, received
    on, by the same person, the case's woman, a referral's service), newest first. Never the case `exclude` (being
    corrected), nor the petition it — or the case being opened, `from_case` — was opened from, nor the other cases
    opened from that petition (domain/dv_repeat.OPENED_FROM)."""
    marks = ", ".join(f":p{i}" for i in range(len(person_ids))) or "NULL"
    params: dict[str, object] = {f"p{i}": pid for i, pid in enumerate(person_ids)}
    params.update(since=to_iso(since), until=to_iso(until), exclude=exclude or 0, abuser=abuser, township=township,
                  from_case=from_case)
    same_person = f"c.id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id IN ({marks}))"
    same_abuser = (f"(:abuser <> '' AND c.id IN ({_ABUSER_CASES}) AND (:township = '' OR c.township = :township))"
                   if abuser else "0")
    # the cases asked about are found from the people and the name (a few), not from the dates and kinds: a year of
    # cases of these kinds is thousands (≈ 20 ms a question; 0.1 ms this way, e.g. for each row of a register imported)
    some = f"SELECT cp.case_id FROM case_people cp WHERE cp.person_id IN ({marks})" + (
        f" UNION {_ABUSER_CASES}" if abuser else "")
    rows = db.execute(
        f"""SELECT c.id, c.case_no, c.kind, c.received_on, {same_person}, c.person_id,
                   (SELECT r.service FROM referrals r WHERE r.case_id = c.id) FROM cases c
            WHERE c.id IN ({some}) AND +c.kind IN ('petition', 'referral', 'mediation') AND c.id <> :exclude
              AND c.id NOT IN ({_SAME_REQUEST})
              AND +c.received_on BETWEEN :since AND :until AND ({same_person} OR {same_abuser})
            ORDER BY c.received_on DESC, c.id DESC""", params).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3]), bool(r[4]), r[5], r[6]) for r in rows]  # type: ignore[misc]
