"""The written documents a case issued (notices, opinions): kept as printed, never deleted, voided when the step
that issued them is undone.

A document's content (its JSON: the paragraphs as printed, the values they were made from) is kept packed: deflated
against a fixed dictionary of documents of every kind (db/documents/dictionary-1.txt; most of a notice is the
wording every notice of its kind shares), and written as text (`pack`), a tenth of the JSON's size. The text reads
back as the same JSON (`unpack`); content written as plain JSON (before migration 0031) still reads. The dictionary
of a packed content is named in its first characters and never changes: a better one is a new file and prefix.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from functools import cache
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.records import CaseDocument
from ..paths import db_dir

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = "id, case_id, doc, title, issued_on, way, content, staff, created_at, voided_on, voided_reason"


PACKED = "z1:"  # deflated against dictionary-1, then base85


@cache
def _dictionary() -> bytes:
    return (db_dir() / "documents" / "dictionary-1.txt").read_bytes()


@cache
def _primed() -> Any:
    """A compressor that has read the dictionary: each document is packed by a copy of it (reading the dictionary
    again for every one of a million documents took most of the time)."""
    return zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # (what json.dumps with these makes for every call)


def pack(content: dict[str, Any]) -> str:
    """The document's content as kept in the database."""
    return pack_json(_JSON.encode(content))


def pack_json(text: str) -> str:
    """JSON text as kept in the database (packed already: unchanged). Migration 0031 calls it on every document."""
    if text.startswith(PACKED):
        return text
    z = _primed().copy()
    return PACKED + base64.b85encode(z.compress(text.encode("utf-8")) + z.flush()).decode("ascii")


def unpack(text: str) -> dict[str, Any]:
    """The content `pack` kept (or plain JSON)."""
    if text.startswith(PACKED):
        z = zlib.decompressobj(-15, _dictionary())
        text = (z.decompress(base64.b85decode(text[len(PACKED):])) + z.flush()).decode("utf-8")
    out = json.loads(text)
    assert isinstance(out, dict)
    return out


def add(db: sqlite_utils.Database, case_id: int, d: CaseDocument, now: dt.datetime) -> int:
    row = db.table("case_documents").insert({
        "case_id": case_id, "doc": d.doc, "title": d.title, "issued_on": to_iso(d.issued_on), "way": d.way,
        "content": pack(d.content), "staff": d.staff,
        "created_at": now.isoformat(timespec="seconds"),
    })
    doc_id = row.last_pk
    assert isinstance(doc_id, int)
    return doc_id


def _record(r: tuple[object, ...]) -> CaseDocument:
    return CaseDocument(
        id=int(r[0]), case_id=int(r[1]), doc=str(r[2]), title=str(r[3]),  # type: ignore[call-overload]
        issued_on=from_iso(str(r[4])), way=str(r[5]), content=unpack(str(r[6])),  # type: ignore[arg-type]
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
    r = db.execute("SELECT content FROM case_documents WHERE doc = ? AND voided_on IS NULL ORDER BY id DESC LIMIT 1",
                   [doc]).fetchone()
    value = unpack(str(r[0])).get("values", {}).get(key) if r else None
    return str(value) if value else ""
