"""The written documents a case issued (notices, opinions): kept as printed, never deleted, voided when the step
that issued them is undone."""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from ..domain.dates import from_iso, to_iso
from ..domain.records import CaseDocument

_COLUMNS = "id, case_id, doc, title, issued_on, way, content, staff, created_at, voided_on, voided_reason"


def add(db: sqlite_utils.Database, case_id: int, d: CaseDocument, now: dt.datetime) -> int:
    row = db.table("case_documents").insert({
        "case_id": case_id, "doc": d.doc, "title": d.title, "issued_on": to_iso(d.issued_on), "way": d.way,
        "content": json.dumps(d.content, ensure_ascii=False, sort_keys=True), "staff": d.staff,
        "created_at": now.isoformat(timespec="seconds"),
    })
    doc_id = row.last_pk
    assert isinstance(doc_id, int)
    return doc_id


def _record(r: tuple[object, ...]) -> CaseDocument:
    return CaseDocument(
        id=int(r[0]), case_id=int(r[1]), doc=str(r[2]), title=str(r[3]),  # type: ignore[call-overload]
        issued_on=from_iso(str(r[4])), way=str(r[5]), content=json.loads(str(r[6])),  # type: ignore[arg-type]
        staff=str(r[7]), created_at=dt.datetime.fromisoformat(str(r[8])), voided_on=from_iso(r[9]),  # type: ignore[arg-type]
        voided_reason=str(r[10]),
    )


def of_case(db: sqlite_utils.Database, case_id: int) -> list[CaseDocument]:
    """The case's documents, oldest first."""
    return [_record(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM case_documents WHERE case_id = ? ORDER BY id", [case_id]).fetchall()]


def get(db: sqlite_utils.Database, doc_id: int) -> CaseDocument | None:
    r = db.execute(f"SELECT {_COLUMNS} FROM case_documents WHERE id = ?", [doc_id]).fetchone()
    return _record(r) if r else None


def void(db: sqlite_utils.Database, doc_id: int, on: dt.date, reason: str) -> None:
    db.execute("UPDATE case_documents SET voided_on = ?, voided_reason = ? WHERE id = ? AND voided_on IS NULL",
               [to_iso(on), reason, doc_id])


def last_content_value(db: sqlite_utils.Database, doc: str, key: str) -> str:
    """A value of the latest document of this kind issued by the office (e.g. the review body its last opinion
    named), '' when none."""
    r = db.execute("SELECT json_extract(content, '$.values.' || ?) FROM case_documents WHERE doc = ? "
                   "AND voided_on IS NULL ORDER BY id DESC LIMIT 1", [key, doc]).fetchone()
    return str(r[0]) if r and r[0] else ""
