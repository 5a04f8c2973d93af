"""Signatures taken on screen (a pen tablet, a touch screen or the mouse) where a form is signed: her consent to a
referral (转介), the parties of a mediation agreement (调解协议书), the party visited on a 回访 record. Each kept with
who signed, when, and the SHA-256 of the text version of the document as it stood (so a signature given to an
earlier wording is known as such), and printed in its place on the form. Signing on paper and scanning the page
(附件, kind 协议原件) remains possible.

The text version of each document is made here from the saved record, never taken from the window.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from ..domain.attachments import MAX_SIGNATURE_BYTES, SIGNED_DOCUMENTS, SIGNER_MAX, Signature, text_hash
from ..domain.dates import format_cn
from ..domain.errors import FulianError, NotFound, RuleError, ValidationError
from ..domain.text import TextError, clean
from ..store import attachments as store
from ..store import cases as case_store
from . import cases
from .context import Context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signer:
    """One line of a form that can be signed: its part key, who signs there, the words beside the line."""

    part: str
    name: str
    line: str


def _kind_for(document: str) -> str:
    if document not in SIGNED_DOCUMENTS:
        raise NotFound("这份文书不能当场签名")
    return document.split(".", 1)[0]


def _mediation_text(ctx: Context, case_id: int, document: str, part: str) -> str:
    from . import mediations

    m = mediations.get(ctx, case_id)
    parties = "；".join(f"{p.side_label}{p.person.name}" for p in m.parties)
    if document == "mediation.agreement":
        a = m.agreement
        if a is None:
            raise RuleError("这件调解还没有调解协议，不能签名")
        items = "；".join(f"{i.content}，{i.how}，{i.due}，{i.place}" for i in a.items)
        return f"人民调解协议书｜{m.case_no}｜{parties}｜{a.facts}｜{a.duties}｜{items}"
    visit_id = int(part.split(":")[1]) if part.startswith("visit:") else -1
    v = next((v for v in m.visits if v.id == visit_id), None)
    if v is None:
        raise NotFound("找不到这次回访")
    if not v.done:
        raise RuleError("这次回访还没有记录，不能签名")
    return (f"人民调解回访记录｜{m.case_no}｜{parties}｜{format_cn(v.visited_on)}｜{v.visitor}｜{v.method}｜"
            f"{v.performance}｜{v.satisfaction}｜{v.findings}｜{v.measures}")


def _referral_text(ctx: Context, case_id: int) -> str:
    from . import referrals

    r = referrals.get(ctx, case_id)
    org = r.organisation.name if r.organisation else ""
    return (f"本人同意转介｜{r.case_no}｜{r.applicant.name}｜同意将本人的情况和材料提供给{org}｜"
            f"请求的帮助：{'、'.join(r.help_kinds)}｜{r.facts}")


def document_text(ctx: Context, case_id: int, document: str, part: str = "") -> str:
    """The text version of the document a signature is given to, from the saved record."""
    ctx.require("cases.list")
    ctx.require(f"{_kind_for(document)}.read")
    if document.startswith("mediation."):
        return _mediation_text(ctx, case_id, document, part)
    return _referral_text(ctx, case_id)


def signers(ctx: Context, case_id: int, document: str, part: str = "") -> list[Signer]:
    """Who signs the document on screen: a mediation's parties (the agreement; the 回访 record's 当事人 line),
    the woman referred (or whoever consented for her)."""
    ctx.require("cases.list")
    ctx.require(f"{_kind_for(document)}.read")
    if document.startswith("mediation."):
        from . import mediations

        m = mediations.get(ctx, case_id)
        if document == "mediation.agreement":
            return [Signer(f"party:{p.person.id}", p.person.name, f"{p.side_label} {p.person.name}")
                    for p in m.parties]
        return [Signer(f"{part}:party:{p.person.id}", p.person.name, f"当事人 {p.person.name}") for p in m.parties]
    from . import referrals

    r = referrals.get(ctx, case_id)
    name = r.consent.name if r.consent and r.consent.by != "本人" and r.consent.name else r.applicant.name
    return [Signer("consent", name, f"申请人 {r.applicant.name}")]


def _png(image: bytes) -> bytes:
    if not image.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": "签名没有保存成功，请清除后重新签"})
    if len(image) > MAX_SIGNATURE_BYTES:
        raise ValidationError({"signature": "签名图像过大，请清除后重新签"})
    return image


def sign(ctx: Context, case_id: int, document: str, part: str, signer: str, image: bytes) -> int:
    """Keep a signature given on screen (a PNG of the strokes) for one line of the document; a line signed before is
    signed anew (the earlier signature voided, kept). Returns the signature's id."""
    ctx.require("cases.list")
    kind = _kind_for(document)
    ctx.require(f"{kind}.write")
    if cases.kind_of(ctx, case_id) != kind:
        raise NotFound("这件案件没有这份文书")
    errors: dict[str, str] = {}
    try:
        name = clean(signer)
    except TextError as e:
        errors["signer"], name = str(e), signer
    if not name:
        errors["signer"] = "请写明签名人"
    elif len(name) > SIGNER_MAX:
        errors["signer"] = f"签名人不能超过{SIGNER_MAX}个字"
    if not image:
        errors["signature"] = "请在签名框中签名"
    if errors:
        raise ValidationError(errors)
    png = _png(image)
    text = document_text(ctx, case_id, document, part.split(":party:")[0] if ":party:" in part else part)
    now = ctx.now()
    with ctx.action(event="signature.add") as db:
        for old in store.signatures(db, case_id, document):
            if old.part == part:
                store.void_signature(db, old.id, now, "重新签名")
        new_id = store.add_signature(db, {
            "case_id": case_id, "document": document, "part": part, "signer": name,
            "signed_at": now.isoformat(timespec="seconds"), "text_sha256": text_hash(text), "image": png,
            "staff": ctx.who()})
        case_store.add_timeline(db, case_id, now, ctx.who(), "当场签名", f"{SIGNED_DOCUMENTS[document]}：{name}")
    log.info("signature %d kept (%s)", new_id, document)
    return new_id


def of_case(ctx: Context, case_id: int, document: str = "") -> list[Signature]:
    """The standing signatures of the case (of one document)."""
    ctx.require(f"{cases.kind_of(ctx, case_id)}.read")
    return store.signatures(ctx.db, case_id, document)


def still_current(ctx: Context, s: Signature) -> bool:
    """Whether the document's text is still the version that was signed (a correction since makes it another)."""
    ctx.require("cases.list")
    part = s.part.split(":party:")[0] if ":party:" in s.part else s.part
    try:
        return text_hash(document_text(ctx, s.case_id, s.document, part)) == s.text_sha256
    except FulianError:
        return False


def void(ctx: Context, signature_id: int, reason: str) -> None:
    """Withdraw a signature (signed on the wrong line, by the wrong person): kept, marked void with the reason."""
    ctx.require("cases.list")
    r = ctx.db.execute("SELECT case_id, document FROM signatures WHERE id = ?", [signature_id]).fetchone()
    if r is None:
        raise NotFound("找不到这个签名")
    ctx.require(f"{_kind_for(str(r[1]))}.write")
    text = " ".join(reason.split())
    if not text:
        raise ValidationError({"reason": "请写明作废的原因"})
    now = ctx.now()
    with ctx.action(event="signature.void", detail={"reason": text[:100]}) as db:
        store.void_signature(db, signature_id, now, text[:100])
        case_store.add_timeline(db, int(r[0]), now, ctx.who(), "作废签名", text[:100])


def marks(ctx: Context, case_id: int, document: str) -> dict[str, tuple[bytes, dt.date]]:
    """What a printed form puts on its signature lines: part -> (the signature's PNG, the day it was signed), only
    signatures given to the text the document has now."""
    ctx.require("case.print")
    out: dict[str, tuple[bytes, dt.date]] = {}
    for s in store.signatures(ctx.db, case_id, document):
        if still_current(ctx, s):
            out[s.part] = (s.image, s.signed_at.date())
    return out
