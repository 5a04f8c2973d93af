"""Attachments and on-screen signatures in SQL: the bytes once per content (attachment_content, keyed by SHA-256),
what was attached where (attachments), signatures (signatures). Rows are never changed except to mark a removal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.attachments import Attachment, Signature, content_hash
from ..domain.dates import from_iso, to_iso

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = ("a.id, a.case_id, a.person_id, a.visit_id, a.kind, a.name, a.media, a.sha256, c.size, a.original_sha256, "
            "a.width, a.height, a.pages, a.note, a.received_on, a.version, a.replaces, a.staff, a.created_at, "
            "a.removed_at, a.removed_by, a.removed_reason")
_FROM = "FROM attachments a JOIN attachment_content c ON c.sha256 = a.sha256"


def _stamp(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(value)) if value else None


def _record(r: tuple[Any, ...]) -> Attachment:
    return Attachment(
        id=int(r[0]), case_id=r[1], person_id=r[2], visit_id=r[3], kind=str(r[4]), name=str(r[5]), media=str(r[6]),
        sha256=str(r[7]), size=int(r[8]), original_sha256=r[9], width=r[10], height=r[11], pages=r[12],
        note=str(r[13]), received_on=from_iso(r[14]), version=int(r[15]), replaces=r[16], staff=str(r[17]),
        created_at=dt.datetime.fromisoformat(str(r[18])), removed_at=_stamp(r[19]), removed_by=str(r[20]),
        removed_reason=str(r[21]),
    )


def put_content(db: sqlite_utils.Database, data: bytes) -> str:
    """Keep the bytes (once: the same content attached again is not stored again); their SHA-256."""
    sha = content_hash(data)
    db.execute("INSERT OR IGNORE INTO attachment_content (sha256, size, data) VALUES (?, ?, ?)", [sha, len(data), data])
    return sha


def content(db: sqlite_utils.Database, sha: str) -> bytes | None:
    r = db.execute("SELECT data FROM attachment_content WHERE sha256 = ?", [sha]).fetchone()
    return bytes(r[0]) if r else None


def add(db: sqlite_utils.Database, row: dict[str, Any], now: dt.datetime) -> int:
    values = dict(row)
    values["received_on"] = to_iso(values.get("received_on"))
    values["created_at"] = now.isoformat(timespec="seconds")
    new_id = db.table("attachments").insert(values).last_pk
    assert isinstance(new_id, int)
    return new_id


def get(db: sqlite_utils.Database, attachment_id: int) -> Attachment | None:
    r = db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", [attachment_id]).fetchone()
    return _record(r) if r else None


def listed(db: sqlite_utils.Database, *, case_id: int | None = None, person_id: int | None = None,
           visit_id: int | None = None, with_removed: bool = False, with_replaced: bool = False) -> list[Attachment]:
    """The attachments of a case (those of its visits too, unless `visit_id` narrows it to one visit) or of a person,
    oldest first: the standing ones, each in its latest version (unless asked for the removed and the replaced)."""
    where, params = [], []
    if visit_id is not None:
        where.append("a.visit_id = ?")
        params.append(visit_id)
    elif case_id is not None:
        where.append("a.case_id = ?")
        params.append(case_id)
    if person_id is not None:
        where.append("a.person_id = ?")
        params.append(person_id)
    if not with_removed:
        where.append("a.removed_at IS NULL")
    if not with_replaced:
        where.append("NOT EXISTS (SELECT 1 FROM attachments n WHERE n.replaces = a.id)")
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where) or '1'} ORDER BY a.id"
    return [_record(r) for r in db.execute(sql, params).fetchall()]


def versions(db: sqlite_utils.Database, attachment_id: int) -> list[Attachment]:
    """Every version of the attachment, first to last."""
    chain: list[Attachment] = []
    a = get(db, attachment_id)
    while a is not None and a.replaces is not None:  # back to the first
        a = get(db, a.replaces)
    while a is not None:
        chain.append(a)
        r = db.execute("SELECT id FROM attachments WHERE replaces = ? ORDER BY id LIMIT 1", [a.id]).fetchone()
        a = get(db, int(r[0])) if r else None
    return chain


def remove(db: sqlite_utils.Database, attachment_id: int, now: dt.datetime, by: str, reason: str) -> None:
    db.execute("UPDATE attachments SET removed_at = ?, removed_by = ?, removed_reason = ? "
               "WHERE id = ? AND removed_at IS NULL", [now.isoformat(timespec="seconds"), by, reason, attachment_id])


def totals(db: sqlite_utils.Database) -> tuple[int, int]:
    """Attachments kept (rows) and the bytes of their contents."""
    n = db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    size = db.execute("SELECT coalesce(sum(size), 0) FROM attachment_content").fetchone()[0]
    return int(n), int(size)


# --- signatures --------------------------------------------------------------------------------------------

_SIG = "id, case_id, document, part, signer, signed_at, text_sha256, image, staff, voided_at, voided_reason"


def _signature(r: tuple[Any, ...]) -> Signature:
    return Signature(id=int(r[0]), case_id=int(r[1]), document=str(r[2]), part=str(r[3]), signer=str(r[4]),
                     signed_at=dt.datetime.fromisoformat(str(r[5])), text_sha256=str(r[6]), image=bytes(r[7]),
                     staff=str(r[8]), voided_at=_stamp(r[9]), voided_reason=str(r[10]))


def add_signature(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    new_id = db.table("signatures").insert(row).last_pk
    assert isinstance(new_id, int)
    return new_id


def signatures(db: sqlite_utils.Database, case_id: int, document: str = "") -> list[Signature]:
    """The standing signatures of a case (of one document), oldest first."""
    sql = f"SELECT {_SIG} FROM signatures WHERE case_id = ? AND voided_at IS NULL"
    params: list[Any] = [case_id]
    if document:
        sql += " AND document = ?"
        params.append(document)
    return [_signature(r) for r in db.execute(sql + " ORDER BY id", params).fetchall()]


def void_signature(db: sqlite_utils.Database, signature_id: int, now: dt.datetime, reason: str) -> None:
    db.execute("UPDATE signatures SET voided_at = ?, voided_reason = ? WHERE id = ? AND voided_at IS NULL",
               [now.isoformat(timespec="seconds"), reason, signature_id])
