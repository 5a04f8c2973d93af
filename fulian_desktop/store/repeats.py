"""Earlier cases of the same woman or naming the same abuser (domain/dv_repeat.py), across the kinds."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.dates import from_iso, to_iso

if TYPE_CHECKING:
    import sqlite_utils

# the name of the person complained about, as each kind records it (a mediation: its other side's parties)
_ABUSER_CASES = """
    SELECT case_id FROM petitions WHERE respondent_name = :abuser
    UNION SELECT case_id FROM referrals WHERE opponent_name = :abuser
    UNION SELECT mp.case_id FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
          WHERE mp.side = 'respondent' AND p.name = :abuser
"""


def earlier_cases(db: sqlite_utils.Database, person_ids: list[int], abuser: str, township: str, since: dt.date,
                  until: dt.date, exclude: int | None = None
                  ) -> list[tuple[int, str, str, dt.date, bool, int | None, str | None]]:
    """Petitions, referrals and mediations received from `since` to `until` naming one of these people, or naming
    `abuser` ('' none) as the person complained about in `township` ('' any): (case id, case number, kind, received
    on, by the same person, the case's woman, a referral's service), newest first."""
    marks = ", ".join(f":p{i}" for i in range(len(person_ids))) or "NULL"
    params: dict[str, object] = {f"p{i}": pid for i, pid in enumerate(person_ids)}
    params.update(since=to_iso(since), until=to_iso(until), exclude=exclude or 0, abuser=abuser, township=township)
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
              AND +c.received_on BETWEEN :since AND :until AND ({same_person} OR {same_abuser})
            ORDER BY c.received_on DESC, c.id DESC""", params).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3]), bool(r[4]), r[5], r[6]) for r in rows]  # type: ignore[misc]
