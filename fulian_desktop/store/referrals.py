"""Referral rows (the kind-specific part of a referral case: legal aid or any other service)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain import referral as rules
from ..domain.dates import from_iso, to_iso
from ..domain.referral import Consent, Organisation, Referral
from . import cases, people

if TYPE_CHECKING:
    import sqlite_utils

APPLICANT_ROLE = "applicant"


def insert(db: sqlite_utils.Database, case_id: int, r: Referral) -> None:
    org = r.organisation
    assert org is not None
    row: dict[str, Any] = {
        "case_id": case_id, "service": r.service, "referred_on": to_iso(r.referred_on), "staff": r.staff, "staff_phone": r.staff_phone,
        "organisation_id": org.id, "organisation_name": org.name, "organisation_kind": org.kind,
        "organisation_address": org.address, "organisation_contact": org.contact_person,
        "organisation_phone": org.phone, "occupation": r.occupation, "matter": r.matter, "role": r.role,
        "legal_state": r.legal_state, "help_kinds": rules.join(r.help_kinds), "facts": r.facts,
        "request": r.request, "opponent_name": r.opponent_name, "opponent_relation": r.opponent_relation,
        "victim_of": rules.join(r.victim_of), "means": r.means, "household_size": r.household_size,
        "household_income": r.household_income, "papers": rules.join(r.papers), "papers_other": r.papers_other,
    }
    db.table("referrals").insert(row)
    if r.consent is not None:
        set_consent(db, case_id, r.consent)


def set_consent(db: sqlite_utils.Database, case_id: int, c: Consent) -> None:
    update(db, case_id, consent_on=c.on, consent_by=c.by, consent_name=c.name, consent_way=c.way)


def update(db: sqlite_utils.Database, case_id: int, **fields: Any) -> None:
    for key, value in list(fields.items()):
        if isinstance(value, dt.date):
            fields[key] = to_iso(value)
        elif isinstance(value, bool):
            fields[key] = int(value)
        elif isinstance(value, list):
            fields[key] = rules.join(value)
    db.table("referrals").update(case_id, fields)


_SELECT = """SELECT c.case_no, c.status, c.township, c.village, c.created_at,
       r.referred_on, r.staff, r.staff_phone, r.organisation_id, r.organisation_name, r.organisation_kind,
       r.organisation_address, r.organisation_contact, r.organisation_phone, r.occupation, r.matter, r.role,
       r.legal_state, r.help_kinds, r.facts, r.request, r.opponent_name, r.opponent_relation, r.victim_of,
       r.means, r.household_size, r.household_income, r.papers, r.papers_other, r.consent_on, r.consent_by,
       r.consent_name, r.consent_way, r.sent_on, r.answered_on, r.lawyer, r.lawyer_phone, r.refused_reason,
       r.withdrawn_on, r.withdrawn_reason, r.result, r.result_note, r.concluded_on, r.service
FROM cases c JOIN referrals r ON r.case_id = c.id WHERE c.id = ?"""


def applicant_id(db: sqlite_utils.Database, case_id: int) -> int | None:
    for person_id, role in cases.people_of(db, case_id):
        if role == APPLICANT_ROLE:
            return person_id
    return None


def load(db: sqlite_utils.Database, case_id: int) -> Referral | None:
    r = db.execute(_SELECT, [case_id]).fetchone()
    if r is None:
        return None
    person_id = applicant_id(db, case_id)
    assert person_id is not None
    v = dict(zip(
        ("case_no", "status", "township", "village", "created_at", "referred_on", "staff", "staff_phone",
         "organisation_id", "organisation_name", "organisation_kind", "organisation_address",
         "organisation_contact", "organisation_phone", "occupation", "matter", "role", "legal_state",
         "help_kinds", "facts", "request", "opponent_name", "opponent_relation", "victim_of", "means",
         "household_size", "household_income", "papers", "papers_other", "consent_on", "consent_by",
         "consent_name", "consent_way", "sent_on", "answered_on", "lawyer", "lawyer_phone", "refused_reason",
         "withdrawn_on", "withdrawn_reason", "result", "result_note", "concluded_on", "service"),
        r, strict=True,
    ))
    consent = None
    if v["consent_on"]:
        consent = Consent(on=from_iso(v["consent_on"]), by=v["consent_by"], name=v["consent_name"],  # type: ignore[arg-type]
                          way=v["consent_way"])
    return Referral(
        id=case_id, case_no=v["case_no"], status=v["status"], service=v["service"], township=v["township"], village=v["village"],
        created_at=dt.datetime.fromisoformat(v["created_at"]),
        referred_on=from_iso(v["referred_on"]),  # type: ignore[arg-type]
        staff=v["staff"], staff_phone=v["staff_phone"],
        organisation=Organisation(id=v["organisation_id"], name=v["organisation_name"],
                                  kind=v["organisation_kind"], address=v["organisation_address"],
                                  contact_person=v["organisation_contact"], phone=v["organisation_phone"],
                                  service=v["service"]),
        applicant=people.in_case(db, person_id, case_id), occupation=v["occupation"], matter=v["matter"], role=v["role"],
        legal_state=v["legal_state"], help_kinds=rules.split(v["help_kinds"]), facts=v["facts"],
        request=v["request"], opponent_name=v["opponent_name"], opponent_relation=v["opponent_relation"],
        victim_of=rules.split(v["victim_of"]), means=v["means"], household_size=v["household_size"],
        household_income=v["household_income"], papers=rules.split(v["papers"]), papers_other=v["papers_other"],
        consent=consent, sent_on=from_iso(v["sent_on"]), answered_on=from_iso(v["answered_on"]),
        lawyer=v["lawyer"], lawyer_phone=v["lawyer_phone"], refused_reason=v["refused_reason"],
        withdrawn_on=from_iso(v["withdrawn_on"]), withdrawn_reason=v["withdrawn_reason"], result=v["result"],
        result_note=v["result_note"], concluded_on=from_iso(v["concluded_on"]),
        timeline=cases.timeline_of(db, case_id), links=cases.links_of(db, case_id),
    )
