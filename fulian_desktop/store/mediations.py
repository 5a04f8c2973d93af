"""Mediation rows (the kind-specific part of a mediation case), the mediator roster, and the counts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain import mediation as rules
from ..domain.dates import from_iso, to_iso
from ..domain.mediation import (
    Agreement,
    AgreementItem,
    Investigation,
    Mediation,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from . import cases, people

if TYPE_CHECKING:
    import sqlite_utils


def _pk(value: object) -> int:
    assert isinstance(value, int), "insert returned no row id"
    return value


# --------------------------------------------------------------------------------------------
# The roster


def _row_to_mediator(r: tuple[Any, ...]) -> Mediator:
    return Mediator(id=r[0], name=r[1], phone=r[2], title=r[3], active=bool(r[4]))


def mediators(db: sqlite_utils.Database, include_inactive: bool = False) -> list[Mediator]:
    where = "" if include_inactive else "WHERE active = 1"
    return [
        _row_to_mediator(r)
        for r in db.execute(
            f"SELECT id, name, phone, title, active FROM mediators {where} ORDER BY active DESC, position, id"
        ).fetchall()
    ]


def mediator_by_name(db: sqlite_utils.Database, name: str) -> Mediator | None:
    r = db.execute("SELECT id, name, phone, title, active FROM mediators WHERE name = ?", [name]).fetchone()
    return _row_to_mediator(r) if r else None


def save_mediator(db: sqlite_utils.Database, m: Mediator, now: dt.datetime) -> int:
    values = {"name": m.name, "phone": m.phone, "title": m.title, "active": int(m.active)}
    if m.id is None:
        pos = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM mediators").fetchone()[0]
        values.update(position=pos, created_at=now.isoformat(timespec="seconds"))
        return _pk(db.table("mediators").insert(values).last_pk)
    db.table("mediators").update(m.id, values)
    return m.id


def set_mediator_active(db: sqlite_utils.Database, mediator_id: int, active: bool) -> None:
    db.execute("UPDATE mediators SET active = ? WHERE id = ?", [int(active), mediator_id])


# --------------------------------------------------------------------------------------------
# A mediation


def insert(db: sqlite_utils.Database, case_id: int, m: Mediation) -> None:
    db.table("mediations").insert(
        {"case_id": case_id, "source": m.source, "dispute_type": m.dispute_type,
         "relationship": m.relationship, "facts": m.facts, "request": m.request, "registrar": m.registrar}
    )
    for pos, mediator_id in enumerate(m.mediator_ids):
        db.execute("INSERT INTO mediation_mediators (case_id, mediator_id, position) VALUES (?, ?, ?)",
                   [case_id, mediator_id, pos])


def add_party(db: sqlite_utils.Database, case_id: int, person_id: int, party: Party, position: int) -> None:
    db.execute(
        """INSERT INTO mediation_parties (case_id, person_id, side, position, occupation, stated_age)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [case_id, person_id, party.side, position, party.occupation, party.stated_age],
    )
    cases.add_person(db, case_id, person_id, party.side, position)


def update(db: sqlite_utils.Database, case_id: int, **fields: Any) -> None:
    for key, value in list(fields.items()):
        if isinstance(value, dt.date):
            fields[key] = to_iso(value)
    db.table("mediations").update(case_id, fields)


def insert_session(db: sqlite_utils.Database, case_id: int, s: Session, now: dt.datetime) -> int:
    return _pk(db.table("mediation_sessions").insert({
        "case_id": case_id, "held_on": to_iso(s.held_on), "place": s.place, "mediators": s.mediators,
        "recorder": s.recorder, "present": s.present, "others": s.others, "explained": int(s.explained),
        "applicant_said": s.applicant_said, "respondent_said": s.respondent_said, "facts_found": s.facts_found,
        "result": s.result, "result_detail": s.result_detail, "created_at": now.isoformat(timespec="seconds"),
    }).last_pk)


def insert_investigation(db: sqlite_utils.Database, case_id: int, inv: Investigation, now: dt.datetime) -> int:
    return _pk(db.table("mediation_investigations").insert({
        "case_id": case_id, "held_on": to_iso(inv.held_on), "place": inv.place,
        "investigator": inv.investigator, "recorder": inv.recorder, "subject": inv.subject,
        "subject_role": inv.subject_role, "content": inv.content, "created_at": now.isoformat(timespec="seconds"),
    }).last_pk)


def save_agreement(db: sqlite_utils.Database, case_id: int, a: Agreement) -> None:
    """The agreement's text and items; only what differs from the rows on file is written (an item by its
    position: changed, added at the end, or the last ones removed)."""
    row = db.execute("SELECT agreement_facts, agreement_duties FROM mediations WHERE case_id = ?",
                     [case_id]).fetchone()
    if row is None or (row[0], row[1]) != (a.facts, a.duties):
        update(db, case_id, agreement_facts=a.facts, agreement_duties=a.duties)
    saved = _items(db, case_id)
    for pos, item in enumerate(a.items, 1):
        if pos > len(saved):
            db.execute(
                """INSERT INTO mediation_agreement_items (case_id, position, content, how, due, place)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [case_id, pos, item.content, item.how, item.due, item.place],
            )
        elif saved[pos - 1] != item:
            db.execute(
                """UPDATE mediation_agreement_items SET content = ?, how = ?, due = ?, place = ?
                   WHERE case_id = ? AND position = ?""",
                [item.content, item.how, item.due, item.place, case_id, pos],
            )
    db.execute("DELETE FROM mediation_agreement_items WHERE case_id = ? AND position > ?", [case_id, len(a.items)])


def insert_visit(db: sqlite_utils.Database, case_id: int, due_on: dt.date, plan: str, now: dt.datetime) -> int:
    return _pk(db.table("mediation_visits").insert({
        "case_id": case_id, "due_on": to_iso(due_on), "plan": plan,
        "created_at": now.isoformat(timespec="seconds"),
    }).last_pk)


def record_visit(db: sqlite_utils.Database, visit_id: int, v: ReturnVisit) -> None:
    db.table("mediation_visits").update(visit_id, {
        "visited_on": to_iso(v.visited_on), "visitor": v.visitor, "method": v.method,
        "performance": v.performance, "satisfaction": v.satisfaction, "lawsuit": int(v.lawsuit),
        "new_conflict": int(v.new_conflict), "violence": int(v.violence), "findings": v.findings,
        "measures": v.measures,
    })


def _parties(db: sqlite_utils.Database, case_id: int) -> list[Party]:
    rows = db.execute(
        """SELECT person_id, side, occupation, stated_age FROM mediation_parties
           WHERE case_id = ? ORDER BY side = 'respondent', position, rowid""",
        [case_id],
    ).fetchall()
    return [Party(person=people.in_case(db, r[0], case_id), side=r[1], occupation=r[2], stated_age=r[3])
            for r in rows]


# --------------------------------------------------------------------------------------------
# Corrections: only the fields given are written


def _update_row(db: sqlite_utils.Database, table: str, row_id: int, fields: dict[str, Any]) -> None:
    if fields:
        db.table(table).update(row_id, {k: (to_iso(v) if isinstance(v, dt.date) else
                                            int(v) if isinstance(v, bool) else v) for k, v in fields.items()})


def update_session(db: sqlite_utils.Database, session_id: int, **fields: Any) -> None:
    _update_row(db, "mediation_sessions", session_id, fields)


def update_investigation(db: sqlite_utils.Database, investigation_id: int, **fields: Any) -> None:
    _update_row(db, "mediation_investigations", investigation_id, fields)


def update_visit(db: sqlite_utils.Database, visit_id: int, **fields: Any) -> None:
    _update_row(db, "mediation_visits", visit_id, fields)


def update_party(db: sqlite_utils.Database, case_id: int, person_id: int, **fields: Any) -> None:
    """A party's part in this mediation (occupation, stated age); her person record is corrected apart."""
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        db.execute(f"UPDATE mediation_parties SET {sets} WHERE case_id = ? AND person_id = ?",
                   [*fields.values(), case_id, person_id])


def add_party_row(db: sqlite_utils.Database, case_id: int, person_id: int, party: Party) -> None:
    """A party added by a correction (the case's people row is added with her person record), after the others."""
    pos = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM mediation_parties WHERE case_id = ?",
                     [case_id]).fetchone()[0]
    db.execute(
        """INSERT INTO mediation_parties (case_id, person_id, side, position, occupation, stated_age)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [case_id, person_id, party.side, pos, party.occupation, party.stated_age],
    )


def remove_party(db: sqlite_utils.Database, case_id: int, person_id: int) -> None:
    db.execute("DELETE FROM mediation_parties WHERE case_id = ? AND person_id = ?", [case_id, person_id])


def relink_party(db: sqlite_utils.Database, case_id: int, old_id: int, new_id: int) -> None:
    """The party was someone already on file: the mediation names her record instead."""
    db.execute("UPDATE mediation_parties SET person_id = ? WHERE case_id = ? AND person_id = ?",
               [new_id, case_id, old_id])


def set_mediators(db: sqlite_utils.Database, case_id: int, ids: list[int]) -> None:
    db.execute("DELETE FROM mediation_mediators WHERE case_id = ?", [case_id])
    for pos, mediator_id in enumerate(ids):
        db.execute("INSERT INTO mediation_mediators (case_id, mediator_id, position) VALUES (?, ?, ?)",
                   [case_id, mediator_id, pos])


def _mediators_of(db: sqlite_utils.Database, case_id: int) -> list[Mediator]:
    return [
        _row_to_mediator(r)
        for r in db.execute(
            """SELECT m.id, m.name, m.phone, m.title, m.active FROM mediation_mediators mm
               JOIN mediators m ON m.id = mm.mediator_id WHERE mm.case_id = ? ORDER BY mm.position""",
            [case_id],
        ).fetchall()
    ]


def _sessions(db: sqlite_utils.Database, case_id: int) -> list[Session]:
    rows = db.execute(
        """SELECT id, held_on, place, mediators, recorder, present, others, explained, applicant_said,
                  respondent_said, facts_found, result, result_detail
           FROM mediation_sessions WHERE case_id = ? ORDER BY held_on, id""",
        [case_id],
    ).fetchall()
    return [
        Session(id=r[0], held_on=from_iso(r[1]), place=r[2], mediators=r[3],  # type: ignore[arg-type]
                recorder=r[4], present=r[5], others=r[6], explained=bool(r[7]), applicant_said=r[8],
                respondent_said=r[9], facts_found=r[10], result=r[11], result_detail=r[12], number=n)
        for n, r in enumerate(rows, 1)
    ]


def _investigations(db: sqlite_utils.Database, case_id: int) -> list[Investigation]:
    rows = db.execute(
        """SELECT id, held_on, place, investigator, recorder, subject, subject_role, content
           FROM mediation_investigations WHERE case_id = ? ORDER BY held_on, id""",
        [case_id],
    ).fetchall()
    return [
        Investigation(id=r[0], held_on=from_iso(r[1]), place=r[2], investigator=r[3],  # type: ignore[arg-type]
                      recorder=r[4], subject=r[5], subject_role=r[6], content=r[7], number=n)
        for n, r in enumerate(rows, 1)
    ]


def _visits(db: sqlite_utils.Database, case_id: int) -> list[ReturnVisit]:
    rows = db.execute(
        """SELECT id, due_on, plan, visited_on, visitor, method, performance, satisfaction, lawsuit,
                  new_conflict, violence, findings, measures
           FROM mediation_visits WHERE case_id = ? ORDER BY due_on, id""",
        [case_id],
    ).fetchall()
    return [
        ReturnVisit(id=r[0], due_on=from_iso(r[1]), plan=r[2], visited_on=from_iso(r[3]),  # type: ignore[arg-type]
                    visitor=r[4], method=r[5], performance=r[6], satisfaction=r[7], lawsuit=bool(r[8]),
                    new_conflict=bool(r[9]), violence=bool(r[10]), findings=r[11], measures=r[12])
        for r in rows
    ]


def _items(db: sqlite_utils.Database, case_id: int) -> list[AgreementItem]:
    return [
        AgreementItem(content=r[0], how=r[1], due=r[2], place=r[3])
        for r in db.execute(
            "SELECT content, how, due, place FROM mediation_agreement_items WHERE case_id = ? ORDER BY position",
            [case_id],
        ).fetchall()
    ]


def load(db: sqlite_utils.Database, case_id: int) -> Mediation | None:
    r = db.execute(
        """SELECT c.case_no, c.year, c.seq, c.status, c.received_on, c.township, c.village, c.created_at,
                  m.source, m.dispute_type, m.relationship, m.facts, m.request, m.registrar, m.outcome,
                  m.outcome_on, m.outcome_note, m.failed_route, m.agreement_facts, m.agreement_duties,
                  m.archivist, m.filed_on, m.keep_period, m.file_remarks
           FROM cases c JOIN mediations m ON m.case_id = c.id WHERE c.id = ?""",
        [case_id],
    ).fetchone()
    if r is None:
        return None
    mediator_list = _mediators_of(db, case_id)
    outcome_on = from_iso(r[15])
    agreement = None
    if r[14] == "agreed":
        agreement = Agreement(facts=r[18], duties=r[19], items=_items(db, case_id), signed_on=outcome_on)
    return Mediation(
        id=case_id, case_no=r[0], year=r[1], seq=r[2], status=r[3],
        received_on=from_iso(r[4]),  # type: ignore[arg-type]
        township=r[5], village=r[6], created_at=dt.datetime.fromisoformat(r[7]), source=r[8],
        dispute_type=r[9], relationship=r[10], facts=r[11], request=r[12], registrar=r[13], outcome=r[14],
        outcome_on=outcome_on, outcome_note=r[16], failed_route=r[17], agreement=agreement,
        archivist=r[20], filed_on=from_iso(r[21]), keep_period=r[22], file_remarks=r[23],
        parties=_parties(db, case_id), mediators=mediator_list, mediator_ids=[m.id for m in mediator_list
                                                                               if m.id is not None],
        sessions=_sessions(db, case_id), investigations=_investigations(db, case_id),
        visits=_visits(db, case_id), timeline=cases.timeline_of(db, case_id), links=cases.links_of(db, case_id),
    )


# --------------------------------------------------------------------------------------------
# Counting


def counts(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date) -> rules.Counts:
    """Mediations accepted, and outcomes reached, between two dates (both included)."""
    lo, hi = to_iso(date_from), to_iso(date_to)
    out = rules.Counts()
    out.accepted = int(db.execute(
        "SELECT COUNT(*) FROM cases WHERE kind = 'mediation' AND received_on BETWEEN ? AND ?", [lo, hi]
    ).fetchone()[0])
    rows = db.execute(
        """SELECT m.outcome, c.received_on, m.outcome_on FROM mediations m JOIN cases c ON c.id = m.case_id
           WHERE m.outcome <> '' AND m.outcome_on BETWEEN ? AND ?""",
        [lo, hi],
    ).fetchall()
    for outcome, received_on, outcome_on in rows:
        out.concluded += 1
        if outcome in rules.OUTCOMES:
            setattr(out, outcome, getattr(out, outcome) + 1)
        start, end = from_iso(received_on), from_iso(outcome_on)
        if start and end and end > rules.conclude_by(start):
            out.overlong += 1
    out.visits = int(db.execute(
        "SELECT COUNT(*) FROM mediation_visits WHERE visited_on BETWEEN ? AND ?", [lo, hi]
    ).fetchone()[0])
    return out
