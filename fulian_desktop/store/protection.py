"""家暴防护 across the kinds: whether a case is about domestic violence, and her cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

# A case is about domestic violence when its kind's own record says so: a petition ticked 家庭暴力 (or filed
# under 具体类别 家庭暴力), a referral whose matter is 家庭暴力 or who is its victim, a mediation of a 家庭暴力
# dispute.
# (an SQL condition on the case `c`, also used by the queries across the office: the mandatory reports due)
_FILED_UNDER_DV = "c.subcategory = '家庭暴力'"
_OWN_RECORD = {  # each kind's table, and what in its record (`{r}`) says domestic violence
    "petition": ("petitions", "{r}.dv = 1"),
    "referral": ("referrals", "({r}.matter = '家庭暴力' OR instr({r}.victim_of, '家庭暴力') > 0)"),
    "mediation": ("mediations", "{r}.dispute_type = '家庭暴力'"),
}
_DV = f"\n    {_FILED_UNDER_DV}\n" + "".join(
    f"    OR EXISTS (SELECT 1 FROM {table} {table[0]}{{{table}}} WHERE {table[0]}.case_id = c.id"
    f" AND {said.format(r=table[0])})\n" for table, said in _OWN_RECORD.values())
DV_CONDITION = _DV.format(petitions="", referrals="", mediations="")
# The same condition read from the partial indexes of migration 0027, which hold only the domestic-violence rows
# (SQLite would otherwise read each kind's whole row by its key): for a query that asks it of thousands of cases.
DV_CONDITION_INDEXED = _DV.format(petitions=" INDEXED BY petitions_dv", referrals=" INDEXED BY referrals_dv",
                                  mediations=" INDEXED BY mediations_dv")
# And for a query across the office that reads each case's kind with it (the open cases' index, migration 0040):
# only the case's own kind's index is looked in, a case having one record, of its own kind's table (see
# dv_condition_of) — not all three. At 100,000 cases the 9,000 open cases (5,000 of them households, in none of
# the three) cost 28,000 look-ups for the start page's reports due; now 4,000.
DV_CONDITION_BY_KIND = f"\n    {_FILED_UNDER_DV}\n" + "".join(
    f"    OR (c.kind = '{kind}' AND EXISTS (SELECT 1 FROM {table} {table[0]} INDEXED BY {table}_dv"
    f" WHERE {table[0]}.case_id = c.id AND {said.format(r=table[0])}))\n" for kind, (table, said) in _OWN_RECORD.items())
_DV_CASE = f"SELECT 1 FROM cases c WHERE c.id = ? AND ({DV_CONDITION})"


def dv_condition_of(kind: str, record: str) -> str:
    """The same condition for a case `c` of one kind (petition, referral or mediation) read with its own record,
    joined as `record` (the statistics read each kind's cases so): a case has one record, of its own kind's table
    (its id is the record's key), so the other kinds' records need not be looked for — a look-up less for each of
    a year's cases in each of the other two tables."""
    return f"{_FILED_UNDER_DV} OR {_OWN_RECORD[kind][1].format(r=record)}"


def is_dv_case(db: sqlite_utils.Database, case_id: int) -> bool:
    return db.execute(_DV_CASE, [case_id]).fetchone() is not None


def woman_of(db: sqlite_utils.Database, case_id: int) -> int | None:
    """The woman a case is about (the case's person: the woman concerned, the applicant)."""
    r = db.execute("SELECT person_id FROM cases WHERE id = ?", [case_id]).fetchone()
    return int(r[0]) if r and r[0] is not None else None


def dv_cases_of(db: sqlite_utils.Database, case_ids: list[int]) -> set[int]:
    """Which of these cases are about domestic violence."""
    return {i for i in case_ids if is_dv_case(db, i)}


def referrals_of(db: sqlite_utils.Database, person_id: int) -> list[dict[str, Any]]:
    """Her referrals to any service, newest first: the case, the service and organisation, when sent, when and what
    was answered."""
    rows = db.execute(
        """SELECT c.id, c.case_no, c.kind, c.status, r.service, r.organisation_name, r.referred_on, r.sent_on,
                  r.answered_on, r.result, r.refused_reason
           FROM referrals r JOIN cases c ON c.id = r.case_id
           WHERE c.id IN (SELECT case_id FROM case_people WHERE person_id = ?)
           ORDER BY r.referred_on DESC, c.id DESC""", [person_id]).fetchall()
    keys = ("id", "case_no", "kind", "status", "service", "organisation", "referred_on", "sent_on", "answered_on",
            "result", "refused_reason")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def due_of(db: sqlite_utils.Database, person_id: int) -> list[tuple[str, int, str, str]]:
    """What is due next in her open cases (each kind's clock): (due date ISO, case id, case number, what)."""
    rows = db.execute(
        """SELECT c.due_on, c.id, c.case_no, c.due_label FROM cases c
           WHERE c.is_open = 1 AND c.due_on IS NOT NULL
             AND c.id IN (SELECT case_id FROM case_people WHERE person_id = ?)
           ORDER BY c.due_on, c.id""", [person_id]).fetchall()
    return [(str(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]
