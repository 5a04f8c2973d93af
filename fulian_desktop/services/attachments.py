"""Attachments (附件): scans, photos and signed originals kept with a case (a household's visit, a person on file), inside
the encrypted database. Adding one, correcting it (a new version), removing it with a reason, seeing it, extracting a
case's attachments into a folder.

Permissions follow the case's kind: attaching, correcting and removing need `<kind>.write`, seeing needs
`<kind>.read`; a person's attachments (an ID card copy) need `people.identity`. Opening an attachment's bytes
(the viewer, the system's program, extracting) is recorded in the audit trail; names of files never are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .. import durable
from ..domain import images
from ..domain.attachments import (
    Attachment,
    Details,
    Paper,
    check_details,
    check_size,
    display_name,
    is_image,
    is_pdf,
    media_of,
)
from ..domain.errors import FulianError, NotFound, RuleError, ValidationError
from ..domain.text import TextError, clean
from ..store import attachments as store
from ..store import cases as case_store
from . import cases
from .context import Context

log = logging.getLogger(__name__)

REASON_MAX = 100
_BAD_NAME_CHARS = str.maketrans({c: "_" for c in '<>:"/\\|?*'})


@dataclass(frozen=True)
class Incoming:
    """A file to attach: its name (as it came, or 截图.png for a pasted screenshot) and its bytes."""

    name: str
    data: bytes


def read_file(path: Path) -> Incoming:
    """A file from the disk as an Incoming; FulianError in plain words when it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        check_size(path.name, size)
        return Incoming(path.name, path.read_bytes())
    except FileNotFoundError:
        raise NotFound(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise FulianError(f"“{path}”是一个文件夹，不是文件") from None
    except PermissionError:
        raise FulianError(f"没有权限读取“{path.name}”，请检查文件是否被其他程序占用") from None
    except OSError as e:
        raise FulianError(f"无法读取“{path.name}”：{e.strerror or '设备错误'}") from None


def _kind(ctx: Context, case_id: int) -> str:
    return cases.kind_of(ctx, case_id)


def _require_for(ctx: Context, a: Attachment, what: str) -> None:
    if a.case_id is not None:
        ctx.require(f"{_kind(ctx, a.case_id)}.{what}")
    else:
        ctx.require("people.identity")


def _get(ctx: Context, attachment_id: int) -> Attachment:
    """The attachment (for an account that sees cases at all: its kind's right is checked next)."""
    ctx.require("cases.list")
    a = store.get(ctx.db, attachment_id)
    if a is None:
        raise NotFound("找不到这个附件")
    return a


def _prepared(incoming: Incoming, keep_original: bool) -> tuple[dict[str, object], bytes, bytes | None, str]:
    """The row's facts, the bytes to keep, the original's bytes (a reduced photo kept as taken too) and what was
    done to the photo. ValidationError (field "file") for what cannot be taken."""
    name = display_name(incoming.name)
    check_size(name, len(incoming.data))
    media = media_of(name, incoming.data[:2048])
    data, original, changed = incoming.data, None, ""
    facts: dict[str, object] = {"name": name}
    if is_image(media):
        p = images.prepare(incoming.data, media, keep_original)
        data, media, original, changed = p.data, p.media, p.original, p.changed
        facts.update(width=p.width, height=p.height)
    elif is_pdf(media):
        facts["pages"] = images.pdf_pages(incoming.data)
    facts["media"] = media
    return facts, data, original, changed


def _add(ctx: Context, incoming: Incoming, details: Details, *, case_id: int | None, person_id: int | None = None,
         visit_id: int | None = None, keep_original: bool = False, replaces: Attachment | None = None,
         reason: str = "") -> int:
    d = check_details(details, ctx.today())
    facts, data, original, changed = _prepared(incoming, keep_original)
    now = ctx.now()
    event = "attachment.correct" if replaces else "attachment.add"
    with ctx.action(event=event, detail={"reason": reason} if reason else None) as db:
        sha = store.put_content(db, data)
        original_sha = store.put_content(db, original) if original is not None else None
        row = {**facts, "case_id": case_id, "person_id": person_id, "visit_id": visit_id, "kind": d.kind,
               "note": d.note, "received_on": d.received_on, "sha256": sha, "original_sha256": original_sha,
               "staff": ctx.who(), "version": replaces.version + 1 if replaces else 1,
               "replaces": replaces.id if replaces else None}
        new_id = store.add(db, row, now)
        if case_id is not None:
            what = "更正附件" if replaces else "添加附件"
            note = f"{d.kind}（第{row['version']}版）" if replaces else d.kind
            if changed:
                note += f"；{changed}"
            case_store.add_timeline(db, case_id, now, ctx.who(), what, note)
    log.info("attachment %d added (%s, %d bytes)", new_id, facts["media"], len(data))
    return new_id


def attach(ctx: Context, case_id: int, incoming: Incoming, details: Details, *, visit_id: int | None = None,
           keep_original: bool = False) -> int:
    """Attach a file to a case (to one of a household's visits with `visit_id`). Returns the attachment's id."""
    ctx.require(f"{_kind(ctx, case_id)}.write")
    if visit_id is not None:
        r = ctx.db.execute("SELECT case_id FROM visits WHERE id = ?", [visit_id]).fetchone()
        if r is None or int(r[0]) != case_id:
            raise NotFound("找不到这次走访")
    return _add(ctx, incoming, details, case_id=case_id, visit_id=visit_id, keep_original=keep_original)


def attach_to_person(ctx: Context, person_id: int, incoming: Incoming, details: Details, *,
                     keep_original: bool = False) -> int:
    """Attach a file to a person on file (her ID card copy), whatever case she appears in."""
    ctx.require("people.identity")
    if ctx.db.execute("SELECT 1 FROM people WHERE id = ?", [person_id]).fetchone() is None:
        raise NotFound("找不到这位当事人")
    return _add(ctx, incoming, details, case_id=None, person_id=person_id, keep_original=keep_original)


def _reason(reason: str, what: str) -> str:
    try:
        text = clean(reason)
    except TextError as e:
        raise ValidationError({"reason": str(e)}) from None
    if not text:
        raise ValidationError({"reason": f"请写明{what}的原因"})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": f"原因不能超过{REASON_MAX}个字"})
    return text


def correct(ctx: Context, attachment_id: int, incoming: Incoming, details: Details, reason: str) -> int:
    """A corrected file (a better scan, the signed page that was missing): a new version; the earlier one is kept
    and still shown among the versions. Returns the new version's id."""
    a = _get(ctx, attachment_id)
    _require_for(ctx, a, "write")
    if a.removed:
        raise RuleError("这个附件已经删除，不能再更正")
    if store.versions(ctx.db, a.id)[-1].id != a.id:
        raise RuleError("这个附件已经有更新的版本，请更正最新的版本")
    text = _reason(reason, "更正")
    return _add(ctx, incoming, details, case_id=a.case_id, person_id=a.person_id, visit_id=a.visit_id,
                replaces=a, reason=text)


def remove(ctx: Context, attachment_id: int, reason: str) -> None:
    """Remove an attachment from the case (attached by mistake, to the wrong case): kept in the database with who
    removed it, when and why, and recorded in the audit trail with the reason."""
    a = _get(ctx, attachment_id)
    _require_for(ctx, a, "write")
    if a.removed:
        raise RuleError("这个附件已经删除")
    text = _reason(reason, "删除")
    now = ctx.now()
    with ctx.action(event="attachment.remove", detail={"reason": text}) as db:
        store.remove(db, a.id, now, ctx.who(), text)
        if a.case_id is not None:
            case_store.add_timeline(db, a.case_id, now, ctx.who(), "删除附件", f"{a.kind}；原因：{text}")


def of_case(ctx: Context, case_id: int, *, visit_id: int | None = None, with_removed: bool = False) -> list[Attachment]:
    """The case's attachments (those of its visits too; with `visit_id` one visit's), oldest first."""
    ctx.require(f"{_kind(ctx, case_id)}.read")
    return store.listed(ctx.db, case_id=case_id, visit_id=visit_id, with_removed=with_removed)


def of_person(ctx: Context, person_id: int) -> list[Attachment]:
    ctx.require("people.identity")
    return store.listed(ctx.db, person_id=person_id)


def versions(ctx: Context, attachment_id: int) -> list[Attachment]:
    a = _get(ctx, attachment_id)
    _require_for(ctx, a, "read")
    return store.versions(ctx.db, a.id)


def get(ctx: Context, attachment_id: int) -> Attachment:
    a = _get(ctx, attachment_id)
    _require_for(ctx, a, "read")
    return a


def _bytes(ctx: Context, sha: str) -> bytes:
    data = store.content(ctx.db, sha)
    if data is None:
        raise FulianError("这个附件的内容在数据库中找不到，请从备份恢复")
    return data


def content(ctx: Context, attachment_id: int, *, original: bool = False, via: str = "viewer") -> bytes:
    """The attachment's bytes (the photo as taken with `original`), recorded in the audit trail as seen
    (`via`: viewer — the program's own viewer; system — the system's program)."""
    a = get(ctx, attachment_id)
    sha = a.original_sha256 if original and a.original_sha256 else a.sha256
    data = _bytes(ctx, sha)
    ctx.record("attachment.open", case_id=a.case_id, target=f"attachment:{a.id}", detail={"via": via})
    return data


def thumbnail(ctx: Context, attachment_id: int, side: int = 160) -> bytes:
    """A small PNG of an image or a PDF's first page (b'' for other files). Not recorded: the page shows it."""
    a = get(ctx, attachment_id)
    if not (is_image(a.media) or is_pdf(a.media)):
        return b""
    return images.thumbnail(_bytes(ctx, a.sha256), a.media, side)


def printable(ctx: Context, a: Attachment) -> bytes:
    """The bytes for a printed document (no audit entry of its own: the print is recorded)."""
    ctx.require("case.print")
    _require_for(ctx, a, "read")
    return _bytes(ctx, a.sha256)


def printed_ones(ctx: Context, case_id: int) -> list[Attachment]:
    """The case's attachments that print as pages (images and PDFs; not Word or Excel files), oldest first."""
    return [a for a in of_case(ctx, case_id) if is_image(a.media) or is_pdf(a.media)]


def papers(ctx: Context, case_id: int) -> list[Paper]:
    """The case's images and PDFs as papers to print with its documents (the dossier, the referral letter's
    copies), oldest first."""
    return [Paper(a.kind, a.note or a.name, a.media, printable(ctx, a)) for a in printed_ones(ctx, case_id)]


def file_name(a: Attachment) -> str:
    """A safe file name for the attachment on disk: 0003_证据_伤情照片.jpg (its number keeps two of one name apart)."""
    name = a.name.translate(_BAD_NAME_CHARS).strip(" .") or "附件"
    return f"{a.id:04d}_{a.kind}_{name}"[:150]


def extract(ctx: Context, case_id: int, folder: Path, ids: list[int] | None = None) -> list[Path]:
    """Write the case's attachments (or the chosen ones) into `folder` as files; recorded in the audit trail
    (how many, never their names). The folder is made if missing; a file already there is not overwritten."""
    ctx.require(f"{_kind(ctx, case_id)}.read")
    ctx.require("case.export")
    chosen = [a for a in of_case(ctx, case_id) if ids is None or a.id in ids]
    if not chosen:
        raise NotFound("这件案件没有附件")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FulianError(f"无法建立文件夹“{folder}”：{e.strerror or '设备错误'}") from None
    written: list[Path] = []
    for a in chosen:
        target = folder / file_name(a)
        if target.exists():
            raise FulianError(f"“{target}”已经存在，请换一个空文件夹")
        partial = target.with_name(target.name + ".part")
        try:
            partial.write_bytes(_bytes(ctx, a.sha256))
            durable.replace(partial, target)
        except OSError as e:
            partial.unlink(missing_ok=True)
            raise FulianError(f"无法保存“{target.name}”：{e.strerror or '设备错误'}") from None
        written.append(target)
    ctx.record("attachment.extract", case_id=case_id, detail={"count": len(written)})
    log.info("attachments extracted: %d files", len(written))
    return written


def export_pdf(ctx: Context, case_id: int, ids: list[int]) -> tuple[bytes, str]:
    """One case with the chosen attachments as one PDF (for the court or a lawyer): the case's form, a list of the
    attachments given with their SHA-256, then their pages. For the 主任 (attachments.export); recorded in the audit
    trail (how many, never what)."""
    ctx.require("attachments.export")
    ctx.require(f"{_kind(ctx, case_id)}.read")
    from ..documents.attached_papers import render_bundle
    from ..domain.dates import format_cn
    from . import printing, settings

    chosen = [a for a in of_case(ctx, case_id) if a.id in ids]
    if not chosen:
        raise ValidationError({"attachments": "请选择要一并导出的附件"})
    case_pdf, suggested = printing.print_case(ctx, case_id)
    case_no = str(case_store.case_header(ctx.db, case_id)["case_no"])  # type: ignore[index]
    rows = [(str(n), a.kind, a.note or a.name, format_cn(a.received_on), a.sha256[:16])
            for n, a in enumerate(chosen, 1)]
    papers = [Paper(a.kind, a.note or a.name, a.media, _bytes(ctx, a.sha256)) for a in chosen]
    pdf = render_bundle(case_pdf, case_no, rows, papers, settings.office_name(ctx), ctx.today())
    ctx.record("case.export", case_id=case_id, target="case_pdf", detail={"count": len(chosen)})
    log.info("case exported with %d attachments", len(chosen))
    return pdf, suggested.removesuffix(".pdf") + "_含附件.pdf"
