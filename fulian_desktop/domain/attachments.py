"""Attachments (附件) and signatures taken on screen: the kinds of paper a case keeps, which files are taken, how
large, what a file really is (its first bytes, not only its name), and the attachment's own details (kind, note,
date received). No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from . import limits
from .dates import out_of_range
from .errors import ValidationError
from .text import TextError, clean

KINDS = ("来信原件", "身份证明", "证据", "协议原件", "回执", "照片", "其他")
DEFAULT_KIND = "证据"

# the largest file taken: a 60-page colour scan as PDF, a phone video is not what this is for
MAX_BYTES = 50 * 1024 * 1024
# a photo whose longer side is beyond this is reduced to it (unless the original is to be kept as well)
PHOTO_MAX_SIDE = 2400
NOTE_MAX = 200
NAME_MAX = 120

# media type, the name the office uses for it, the extensions it comes with
_TYPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("image/jpeg", "JPEG图片", (".jpg", ".jpeg", ".jfif")),
    ("image/png", "PNG图片", (".png",)),
    ("image/heic", "手机照片（HEIC）", (".heic", ".heif")),
    ("image/tiff", "扫描图片（TIFF）", (".tif", ".tiff")),
    ("image/bmp", "BMP图片", (".bmp",)),
    ("application/pdf", "PDF", (".pdf",)),
    ("application/msword", "Word文档", (".doc",)),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word文档", (".docx",)),
    ("application/vnd.ms-works", "WPS文档", (".wps",)),
    ("application/vnd.ms-excel", "Excel表格", (".xls",)),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel表格", (".xlsx",)),
    ("application/vnd.ms-excel.et", "WPS表格", (".et",)),
    ("application/ofd", "OFD版式文件", (".ofd",)),
    ("text/plain", "文本文件", (".txt",)),
)
EXTENSIONS = tuple(e for _m, _w, exts in _TYPES for e in exts)
ACCEPTED_TEXT = "图片（JPG、PNG、HEIC、TIFF、BMP）、PDF、Word、WPS、Excel、OFD和文本文件"


def media_word(media: str) -> str:
    """图片 / PDF / Word文档 … for a list."""
    for m, word, _exts in _TYPES:
        if m == media:
            return word
    return "文件"


def is_image(media: str) -> bool:
    return media.startswith("image/")


def is_pdf(media: str) -> bool:
    return media == "application/pdf"


def _looks_like(media: str, head: bytes) -> bool:
    """Whether the first bytes are those of `media` (images and PDF; office files by their container)."""
    if media == "image/jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if media == "image/png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if media == "image/heic":
        return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")
    if media == "image/tiff":
        return head.startswith((b"II*\x00", b"MM\x00*"))
    if media == "image/bmp":
        return head.startswith(b"BM")
    if media == "application/pdf":
        return b"%PDF-" in head[:1024]
    if media in ("application/msword", "application/vnd.ms-works", "application/vnd.ms-excel",
                 "application/vnd.ms-excel.et"):
        return head.startswith(b"\xd0\xcf\x11\xe0") or head.startswith(b"PK\x03\x04")
    if media.startswith("application/vnd.openxmlformats") or media == "application/ofd":
        return head.startswith(b"PK\x03\x04")
    return True


def sniff(head: bytes) -> str:
    """The media type the first bytes show, '' when none of the images or PDF."""
    for media in ("image/jpeg", "image/png", "image/heic", "image/tiff", "image/bmp", "application/pdf"):
        if _looks_like(media, head):
            return media
    return ""


def media_of(name: str, head: bytes) -> str:
    """The media type of a file called `name` starting with `head`; ValidationError (field "file") with what is
    taken when the file is of another type or is not what its name says. A photo pasted from the clipboard or named
    without an extension is known by its first bytes."""
    ext = PurePath(name).suffix.lower()
    shown = PurePath(name).name
    if not head:
        raise ValidationError({"file": f"“{shown}”是空文件，不能作为附件"})
    for media, word, exts in _TYPES:
        if ext in exts:
            if _looks_like(media, head):
                return media
            found = sniff(head)
            if found:  # a photo saved as .png that is a JPEG: taken as what it is
                return found
            raise ValidationError({"file": f"“{shown}”不是有效的{word}（文件内容与扩展名不符，可能已损坏）"})
    found = sniff(head)
    if found:
        return found
    raise ValidationError({"file": f"不能添加“{shown}”：只能添加{ACCEPTED_TEXT}"})


def size_text(size: int) -> str:
    """1.2 MB / 350 KB / 800 字节."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise ValidationError({"file": f"“{PurePath(name).name}”有{size_text(size)}，超过了附件的上限"
                                       f"{size_text(MAX_BYTES)}。请把扫描分辨率调到300dpi以下，或分成几个文件。"})


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Details:
    """What the clerk says about an attachment: its kind, a note, the date it was received."""

    kind: str = DEFAULT_KIND
    note: str = ""
    received_on: dt.date | None = None




def check_details(d: Details, today: dt.date) -> Details:
    """The details in their normal form; ValidationError naming the field (kind, note, received_on)."""
    errors: dict[str, str] = {}
    try:
        note = clean(d.note, multiline=True)
    except TextError as e:
        errors["note"] = str(e)
        note = d.note
    kind = " ".join(d.kind.split())
    if kind not in KINDS:
        errors["kind"] = f"附件类别“{kind}”不在列表中，请选择：{'、'.join(KINDS)}"
    if len(note) > NOTE_MAX:
        errors["note"] = limits.message("说明", NOTE_MAX)
    if d.received_on is not None:
        problem = out_of_range(d.received_on, "收到日期", today)
        if problem:
            errors["received_on"] = problem
    if errors:
        raise ValidationError(errors)
    return Details(kind, note, d.received_on)


def display_name(name: str) -> str:
    """A file's name as kept: its last part, without control characters, at most NAME_MAX characters (the
    extension kept)."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "附件"
    if len(base) > NAME_MAX:
        ext = PurePath(base).suffix[:10]
        base = base[: NAME_MAX - len(ext)] + ext
    return base


# --- signatures ------------------------------------------------------------------------------------------

# the documents signed on screen: (document key, what it is called)
SIGNED_DOCUMENTS = {
    "referral.consent": "本人同意转介和提供信息",
    "mediation.agreement": "调解协议书",
    "mediation.visit": "回访记录",
}
SIGNER_MAX = 30
MAX_SIGNATURE_BYTES = 512 * 1024


def text_hash(text: str) -> str:
    """The SHA-256 of a document's text version (what a signature was given to)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Attachment:
    """One attachment as kept (its bytes are fetched apart: they may be large)."""

    id: int
    case_id: int | None
    person_id: int | None
    visit_id: int | None
    kind: str
    name: str
    media: str
    sha256: str
    size: int
    original_sha256: str | None
    width: int | None
    height: int | None
    pages: int | None
    note: str
    received_on: dt.date | None
    version: int
    replaces: int | None
    staff: str
    created_at: dt.datetime
    removed_at: dt.datetime | None = None
    removed_by: str = ""
    removed_reason: str = ""

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def label(self) -> str:
        """照片　伤情照片（第2版）."""
        text = self.note or PurePath(self.name).stem
        return f"{self.kind}　{text}" + (f"（第{self.version}版）" if self.version > 1 else "")


@dataclass(frozen=True)
class Signature:
    id: int
    case_id: int
    document: str
    part: str
    signer: str
    signed_at: dt.datetime
    text_sha256: str
    image: bytes
    staff: str
    voided_at: dt.datetime | None = None
    voided_reason: str = ""


@dataclass(frozen=True)
class Paper:
    """One attachment to print with a case's papers: its kind, what it is (its note or file name), media, bytes."""

    kind: str
    label: str
    media: str
    data: bytes
