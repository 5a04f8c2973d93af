"""Attachments (附件): which files are taken and what a file really is by its first bytes (the published signatures
of each format: JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, ISO-BMFF ftyp + HEIC brands, TIFF II*\\0 / MM\\0*, BMP
"BM", PDF "%PDF-" within the first 1024 bytes, OLE D0 CF 11 E0, ZIP PK 03 04), how large, and the clerk's details —
answers worked out by hand (fast: in the mutation selection)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from fulian_desktop.domain import attachments as files
from fulian_desktop.domain.attachments import Attachment, Details

from .rule_errors import errors_of

D = dt.date
TODAY = D(2026, 3, 10)
BAD = "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04\x14\x00"
ACCEPTED = "图片（JPG、PNG、HEIC、TIFF、BMP）、PDF、Word、WPS、Excel、OFD和文本文件"


def test_the_words_for_a_file_s_type() -> None:
    assert files.media_word("image/png") == "PNG图片"
    assert files.media_word("application/vnd.ms-excel.et") == "WPS表格"
    assert files.media_word("video/mp4") == "文件"
    assert files.is_image("image/heic") and not files.is_image("application/pdf")
    assert files.is_pdf("application/pdf") and not files.is_pdf("image/png")


@pytest.mark.parametrize(("head", "media"), [
    (JPEG, "image/jpeg"), (PNG, "image/png"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"), (b"\x00\x00\x00\x18ftypmif1\x00\x00", "image/heic"),
    (b"\x00\x00\x00\x18ftypheix", "image/heic"), (b"\x00\x00\x00\x18ftyphevc", "image/heic"),
    (b"\x00\x00\x00\x18ftypheim", "image/heic"), (b"\x00\x00\x00\x18ftypheis", "image/heic"),
    (b"\x00\x00\x00\x18ftypmsf1", "image/heic"), (b"\x00\x00\x00\x18ftypavif", ""), (b"\x00\x00\x00\x18fty_heic", ""),
    (b"II*\x00\x08\x00", "image/tiff"), (b"MM\x00*\x00\x08", "image/tiff"), (b"II\x00*", ""),
    (b"BM\x36\x00", "image/bmp"), (b"%PDF-1.7", "application/pdf"), (b" " * 1019 + b"%PDF-1.4", "application/pdf"),
    (b" " * 1020 + b"%PDF-1.4", ""), (b"\xff\xd8\x00", ""), (b"\x89PNG\r\n\x1a\x00", ""), (ZIP, ""), (b"hello", ""),
], ids=["jpeg", "png", "heic", "mif1", "heix", "hevc", "heim", "heis", "msf1", "avif", "not-ftyp", "tiff-le",
        "tiff-be", "tiff-wrong", "bmp", "pdf", "pdf-at-1019", "pdf-at-1020", "jpeg-short", "png-wrong", "zip", "text"])
def test_what_the_first_bytes_show(head: bytes, media: str) -> None:
    assert files.sniff(head) == media


@pytest.mark.parametrize(("name", "head", "media"), [
    ("伤情.JPG", JPEG, "image/jpeg"), ("扫描.jfif", JPEG, "image/jpeg"), ("照片.png", JPEG, "image/jpeg"),
    ("协议.pdf", b"%PDF-1.4", "application/pdf"), ("答辩状.doc", OLE, "application/msword"),
    ("答辩状.doc", ZIP, "application/msword"), ("起诉状.docx", ZIP,
                                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("台账.et", OLE, "application/vnd.ms-excel.et"), ("台账.xls", ZIP, "application/vnd.ms-excel"),
    ("文书.wps", OLE, "application/vnd.ms-works"), ("判决.ofd", ZIP, "application/ofd"), ("说明.txt", b"abc", "text/plain"),
    ("剪贴板", PNG, "image/png"), ("folder/伤情.TIFF", b"MM\x00*", "image/tiff"),
], ids=["jpg-capitals", "jfif", "jpeg-named-png", "pdf", "doc-ole", "doc-zip", "docx", "et", "xls-zip", "wps", "ofd",
        "txt", "no-extension", "tiff"])
def test_a_file_taken_as_what_it_is(name: str, head: bytes, media: str) -> None:
    assert files.media_of(name, head) == media


@pytest.mark.parametrize(("name", "head", "message"), [
    ("folder/坏图.png", b"hello", "“坏图.png”不是有效的PNG图片（文件内容与扩展名不符，可能已损坏）"),
    ("起诉状.docx", OLE, "“起诉状.docx”不是有效的Word文档（文件内容与扩展名不符，可能已损坏）"),
    ("答辩状.doc", b"hello", "“答辩状.doc”不是有效的Word文档（文件内容与扩展名不符，可能已损坏）"),
    ("文书.wps", b"hello", "“文书.wps”不是有效的WPS文档（文件内容与扩展名不符，可能已损坏）"),
    ("台账.xls", b"hello", "“台账.xls”不是有效的Excel表格（文件内容与扩展名不符，可能已损坏）"),
    ("台账.et", b"hello", "“台账.et”不是有效的WPS表格（文件内容与扩展名不符，可能已损坏）"),
    ("判决.ofd", OLE, "“判决.ofd”不是有效的OFD版式文件（文件内容与扩展名不符，可能已损坏）"),
    ("程序.exe", b"MZ\x90\x00", f"不能添加“程序.exe”：只能添加{ACCEPTED}"),
    ("视频", b"\x00\x00\x00\x18ftypmp42", f"不能添加“视频”：只能添加{ACCEPTED}"),
    ("空.pdf", b"", "“空.pdf”是空文件，不能作为附件"),
], ids=["broken-png", "docx-ole", "doc-text", "wps-text", "xls-text", "et-text", "ofd-ole", "exe", "video", "empty"])
def test_a_file_not_taken_is_told_why(name: str, head: bytes, message: str) -> None:
    assert errors_of(files.media_of, name, head) == {"file": message}


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 字节"), (1023, "1023 字节"), (1024, "1 KB"), (358400, "350 KB"), (1048575, "1024 KB"), (1048576, "1.0 MB"),
    (1258291, "1.2 MB"), (1101005, "1.1 MB"),
], ids=["0", "1023", "1024", "350k", "just-under-1m", "1m", "1.2m", "1.05m"])
def test_a_size_as_people_say_it(size: int, text: str) -> None:
    assert files.size_text(size) == text


def test_at_most_fifty_megabytes() -> None:
    files.check_size("扫描.pdf", 50 * 1024 * 1024)
    assert errors_of(files.check_size, "folder/扫描.pdf", 50 * 1024 * 1024 + 1) == {
        "file": "“扫描.pdf”有50.0 MB，超过了附件的上限50.0 MB。请把扫描分辨率调到300dpi以下，或分成几个文件。"}
    assert files.content_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_clerk_s_details() -> None:
    assert files.check_details(Details(" 照片 ", " 伤情\n  照片 ", TODAY), TODAY) == Details("照片", "伤情\n照片", TODAY)
    assert files.check_details(Details(), TODAY) == Details("证据", "", None)
    assert files.check_details(Details("其他", "说" * 200, D(1949, 4, 3)), TODAY).note == "说" * 200
    assert errors_of(files.check_details, Details("发票", "说" * 201, D(2026, 3, 11)), TODAY) == {
        "kind": "附件类别“发票”不在列表中，请选择：来信原件、身份证明、证据、协议原件、回执、照片、其他",
        "note": "说明不能超过200个字", "received_on": "收到日期不能晚于今天"}
    assert errors_of(files.check_details, Details(" 伤情\n 照片 "), TODAY) == {  # its spaces made one, as shown
        "kind": "附件类别“伤情 照片”不在列表中，请选择：来信原件、身份证明、证据、协议原件、回执、照片、其他"}
    assert errors_of(files.check_details, Details("证据", "\ud800", D(1949, 4, 2)), TODAY) == {
        "note": BAD, "received_on": "收到日期不能早于1949年4月3日，请核对年份"}


@pytest.mark.parametrize(("name", "kept"), [
    ("C:\\Users\\王秀英\\伤情.jpg", "伤情.jpg"), ("/home/x/协议.pdf", "协议.pdf"), ("a\x00b\u200b.jpg", "ab.jpg"),
    ("  ", "附件"), ("\x07", "附件"), ("名" * 120, "名" * 120), ("名" * 126 + ".jpg", "名" * 116 + ".jpg"),
    ("名" * 125 + ".verylongextension", "名" * 110 + ".verylonge"),
    ("名" * 102 + ".verylongextension", "名" * 102 + ".verylongextension"),  # 120 with it: kept whole
], ids=["windows", "posix", "controls", "blank", "only-control", "120", "long", "long-extension", "120-long-extension"])
def test_a_file_s_name_as_kept(name: str, kept: str) -> None:
    assert files.display_name(name) == kept


def test_the_text_a_signature_was_given_to() -> None:
    assert files.text_hash(" 甲  乙\n丙 ") == hashlib.sha256("甲 乙 丙".encode()).hexdigest()


def attachment(**kw: object) -> Attachment:
    values: dict[str, object] = dict(
        id=1, case_id=2, person_id=None, visit_id=None, kind="照片", name="IMG_001.jpg", media="image/jpeg", sha256="",
        size=1, original_sha256=None, width=None, height=None, pages=None, note="", received_on=None, version=1,
        replaces=None, staff="刘芳", created_at=dt.datetime(2026, 3, 10, 9, 0))
    values.update(kw)
    return Attachment(**values)  # type: ignore[arg-type]


def test_an_attachment_in_a_list() -> None:
    assert attachment().label == "照片　IMG_001"
    assert attachment(note="伤情照片", version=2).label == "照片　伤情照片（第2版）"
    assert not attachment().removed
    assert attachment(removed_at=dt.datetime(2026, 3, 10, 10, 0)).removed
