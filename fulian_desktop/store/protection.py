"""家暴防护 across the kinds: whether a case is about domestic violence, and her cases."""

from __future__ import annotations

import sqlite_utils

# A case is about domestic violence when its kind's own record says so: a petition ticked 家庭暴力 (or filed
# under 具体类别 家庭暴力), a referral whose matter is 家庭暴力 or who is its victim, a mediation of a 家庭暴力
# dispute.
_DV_CASE = """
SELECT 1 FROM cases c
WHERE c.id = ? AND (
    c.subcategory = '家庭暴力'
    OR EXISTS (SELECT 1 FROM petitions p WHERE p.case_id = c.id AND p.dv = 1)
    OR EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id
               AND (r.matter = '家庭暴力' OR instr(r.victim_of, '家庭暴力') > 0))
    OR EXISTS (SELECT 1 FROM mediations m WHERE m.case_id = c.id AND m.dispute_type = '家庭暴力')
)
"""


def is_dv_case(db: sqlite_utils.Database, case_id: int) -> bool:
    return db.execute(_DV_CASE, [case_id]).fetchone() is not None


def woman_of(db: sqlite_utils.Database, case_id: int) -> int | None:
    """The woman a case is about (the case's person: the woman concerned, the applicant)."""
    r = db.execute("SELECT person_id FROM cases WHERE id = ?", [case_id]).fetchone()
    return int(r[0]) if r and r[0] is not None else None
