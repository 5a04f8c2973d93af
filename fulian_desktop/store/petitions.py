"""Petition rows (the kind-specific part of a petition case)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.records import Petition, Representative, Review
from . import case_documents, cases, people

if TYPE_CHECKING:
    import sqlite_utils


def insert(db: sqlite_utils.Database, case_id: int, p: Petition) -> None:
    db.table("petitions").insert(
        {
            "case_id": case_id, "channel": p.channel, "headcount": p.headcount, "facts": p.facts,
            "request": p.request, "dv": int(p.dv), "safety_risk": int(p.safety_risk),
            "receiving_staff": p.receiving_staff, "respondent_name": p.respondent_name,
            "respondent_relation": p.respondent_relation, "nature": p.nature, "repeat_of": p.repeat_of,
            "repeat_state": p.repeat_state, "source_body": p.source_body, "source_no": p.source_no,
            "source_due_on": to_iso(p.source_due_on), "objection_due_on": to_iso(p.objection_due_on),
            "objection_note": p.objection_note,
        }
    )
    set_representatives(db, case_id, p.representatives)


def set_representatives(db: sqlite_utils.Database, case_id: int, chosen: list[Representative]) -> None:
    """A group visit's other representatives, in order (replacing those kept)."""
    db.execute("DELETE FROM petition_representatives WHERE case_id = ?", [case_id])
    for i, r in enumerate(chosen, 1):
        db.execute("INSERT INTO petition_representatives (case_id, position, name, phone) VALUES (?, ?, ?, ?)",
                   [case_id, i, r.name, r.phone])


def representatives_of(db: sqlite_utils.Database, case_id: int) -> list[Representative]:
    return [Representative(str(n), str(t)) for n, t in db.execute(
        "SELECT name, phone FROM petition_representatives WHERE case_id = ? ORDER BY position", [case_id])]


def update(db: sqlite_utils.Database, case_id: int, **fields: Any) -> None:
    for key, value in list(fields.items()):
        if isinstance(value, dt.date):
            fields[key] = to_iso(value)
        elif isinstance(value, bool):
            fields[key] = int(value)
    db.table("petitions").update(case_id, fields)


def load(db: sqlite_utils.Database, case_id: int) -> Petition | None:
    r = db.execute(
        """SELECT c.case_no, c.status, c.received_on, c.township, c.village, c.category, c.subcategory,
                  c.created_at, p.channel, p.headcount, p.facts, p.request, p.dv, p.safety_risk,
                  p.receiving_staff, p.respondent_name, p.respondent_relation, p.accepted_on, p.told_on,
                  p.refused_reason, p.handling, p.handling_agency, p.handling_opinion, p.reply, p.result,
                  p.concluded_on, p.extension_days, p.extension_reason, p.nature, p.tell_way, p.refused_route,
                  p.forwarded_to, p.forwarded_on, p.facts_found, p.legal_basis, p.rating, p.rating_note, p.rated_on,
                  p.rating_way, p.repeat_of, (SELECT e.case_no FROM cases e WHERE e.id = p.repeat_of), p.repeat_state,
                  p.repeat_note, p.source_body, p.source_no, p.source_due_on, p.objection_due_on, p.objection_note,
                  p.transfer_sent_on, p.transfer_due_on, p.transfer_answered_on, p.transfer_answer,
                  p.objected_on, p.objected_to, p.objection_reason
           FROM cases c JOIN petitions p ON p.case_id = c.id WHERE c.id = ?""",
        [case_id],
    ).fetchone()
    if r is None:
        return None
    petitioner = concerned = None
    for person_id, role in cases.people_of(db, case_id):
        if role == "petitioner":
            petitioner = people.in_case(db, person_id, case_id)
        elif role == "concerned":
            concerned = people.in_case(db, person_id, case_id)
    assert petitioner is not None
    return Petition(
        id=case_id, case_no=r[0], status=r[1], received_on=from_iso(r[2]),  # type: ignore[arg-type]
        township=r[3], village=r[4], category=r[5], subcategory=r[6],
        created_at=dt.datetime.fromisoformat(r[7]), channel=r[8], headcount=r[9], facts=r[10],
        request=r[11], dv=bool(r[12]), safety_risk=bool(r[13]), receiving_staff=r[14],
        respondent_name=r[15], respondent_relation=r[16], accepted_on=from_iso(r[17]),
        told_on=from_iso(r[18]), refused_reason=r[19], handling=r[20], handling_agency=r[21],
        handling_opinion=r[22], reply=r[23], result=r[24], concluded_on=from_iso(r[25]),
        extension_days=r[26], extension_reason=r[27], nature=r[28], tell_way=r[29], refused_route=r[30],
        forwarded_to=r[31], forwarded_on=from_iso(r[32]), facts_found=r[33], legal_basis=r[34], rating=r[35],
        rating_note=r[36], rated_on=from_iso(r[37]), rating_way=r[38], repeat_of=r[39], repeat_of_no=r[40] or "",
        repeat_state=r[41], repeat_note=r[42], source_body=r[43], source_no=r[44], source_due_on=from_iso(r[45]),
        objection_due_on=from_iso(r[46]), objection_note=r[47], transfer_sent_on=from_iso(r[48]),
        transfer_due_on=from_iso(r[49]), transfer_answered_on=from_iso(r[50]), transfer_answer=r[51],
        objected_on=from_iso(r[52]), objected_to=r[53], objection_reason=r[54],
        petitioner=petitioner, concerned=concerned,
        timeline=cases.timeline_of(db, case_id), links=cases.links_of(db, case_id),
        documents=case_documents.of_case(db, case_id), representatives=representatives_of(db, case_id),
        reviews=reviews_of(db, case_id),
    )


def earlier_petition(db: sqlite_utils.Database, case_id: int, person_ids: list[int], respondent: str, category: str,
                     township: str, since: dt.date, until: dt.date) -> tuple[int, str, dt.date, bool] | None:
    """The latest other petition received from `since` to `until` by one of these people (petitioner or the woman
    concerned), else about the same matter (the same person or body complained about, in the same category and
    township; `respondent` '' when the name cannot tell a matter): (case id, case number, received on, by the
    same person)."""
    marks = ", ".join("?" for _ in person_ids) or "NULL"
    r = db.execute(
        f"""SELECT c.id, c.case_no, c.received_on FROM cases c
            WHERE c.kind = 'petition' AND c.id <> ? AND c.received_on BETWEEN ? AND ?
              AND c.id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id IN ({marks}))
            ORDER BY c.received_on DESC, c.id DESC LIMIT 1""",
        [case_id, to_iso(since), to_iso(until), *person_ids]).fetchone()
    if r is not None:
        return int(r[0]), str(r[1]), from_iso(r[2]), True  # type: ignore[return-value]
    if not respondent:
        return None
    r = db.execute(
        """SELECT c.id, c.case_no, c.received_on FROM cases c JOIN petitions t ON t.case_id = c.id
           WHERE c.kind = 'petition' AND c.id <> ? AND c.received_on BETWEEN ? AND ?
             AND t.respondent_name = ? AND c.category = ? AND c.township = ?
           ORDER BY c.received_on DESC, c.id DESC LIMIT 1""",
        [case_id, to_iso(since), to_iso(until), respondent, category, township]).fetchone()
    return (int(r[0]), str(r[1]), from_iso(r[2]), False) if r else None  # type: ignore[return-value]


def reviews_of(db: sqlite_utils.Database, case_id: int) -> list[Review]:
    """复查, then 复核."""
    return [Review(stage=str(r[0]), requested_on=from_iso(r[1]), answer_received_on=from_iso(r[2]),  # type: ignore[arg-type]
                   body=str(r[3]), request=str(r[4]), answered_on=from_iso(r[5]), result=str(r[6]), opinion=str(r[7]),
                   by_office=bool(r[8]))
            for r in db.execute(
                """SELECT stage, requested_on, answer_received_on, body, request, answered_on, result, opinion, by_office
                   FROM petition_reviews WHERE case_id = ? ORDER BY CASE stage WHEN 'review' THEN 0 ELSE 1 END""",
                [case_id])]


def add_review(db: sqlite_utils.Database, case_id: int, r: Review) -> None:
    db.execute("""INSERT INTO petition_reviews (case_id, stage, requested_on, answer_received_on, body, request,
                  by_office) VALUES (?, ?, ?, ?, ?, ?, ?)""",
               [case_id, r.stage, to_iso(r.requested_on), to_iso(r.answer_received_on), r.body, r.request,
                int(r.by_office)])


def answer_review(db: sqlite_utils.Database, case_id: int, r: Review) -> None:
    db.execute("""UPDATE petition_reviews SET answered_on = ?, result = ?, opinion = ? WHERE case_id = ? AND stage = ?""",
               [to_iso(r.answered_on), r.result, r.opinion, case_id, r.stage])


def final_petition(db: sqlite_utils.Database, case_id: int, person_ids: list[int], respondent: str, category: str,
                   township: str) -> tuple[int, str, dt.date] | None:
    """The latest other petition closed for good after 复核, by one of these people or about the same matter (as in
    `earlier_petition`), however long ago: (case id, case number, received on)."""
    marks = ", ".join("?" for _ in person_ids) or "NULL"
    r = db.execute(
        f"""SELECT c.id, c.case_no, c.received_on FROM cases c JOIN petitions t ON t.case_id = c.id
            WHERE c.kind = 'petition' AND c.id <> ?
              AND c.id IN (SELECT case_id FROM petition_reviews WHERE stage = 're_review' AND answered_on IS NOT NULL)
              AND (c.id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id IN ({marks}))
                   OR (? <> '' AND t.respondent_name = ? AND c.category = ? AND c.township = ?))
            ORDER BY c.received_on DESC, c.id DESC LIMIT 1""",
        [case_id, *person_ids, respondent, respondent, category, township]).fetchone()
    return (int(r[0]), str(r[1]), from_iso(r[2])) if r else None  # type: ignore[return-value]
