"""Photos and scans as they are kept (domain/images.py), checked on images made here pixel by pixel (fast: in the
mutation selection): a phone photo turned upright by its EXIF orientation (6 = rotate 90° clockwise), its EXIF
removed, a large one reduced to 2400 pixels on its longer side; a plain scan kept byte for byte; thumbnails; PDFs'
pages."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from fulian_desktop.domain import images
from fulian_desktop.domain.errors import ValidationError

UNREADABLE = "这张图片无法读取，可能已损坏"


def picture(size: tuple[int, int], fmt: str, mode: str = "RGB", orientation: int = 0) -> bytes:
    img = Image.new(mode, size, "red" if mode in ("RGB", "RGBA", "CMYK", "P") else 1)
    out = io.BytesIO()
    kw: dict[str, object] = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kw["exif"] = exif
    img.save(out, fmt, **kw)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def pdf(pages: int, size: tuple[float, float] = (200, 100)) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=size)
    for _ in range(pages):
        c.drawString(10, 10, "page")
        c.showPage()
    c.save()
    return out.getvalue()


def test_a_plain_scan_is_kept_byte_for_byte() -> None:
    for fmt, media in (("PNG", "image/png"), ("JPEG", "image/jpeg")):
        data = picture((30, 20), fmt)
        assert images.prepare(data, media) == images.Prepared(data, media, 30, 20)
    edge = picture((2400, 10), "PNG")
    assert images.prepare(edge, "image/png").data == edge  # 2400 is not reduced


def test_a_phone_photo_upright_without_its_exif() -> None:
    data = picture((40, 20), "JPEG", orientation=6)
    p = images.prepare(data, "image/jpeg")
    assert (p.media, p.width, p.height, p.original, p.changed) == ("image/jpeg", 20, 40, None, "已按拍摄方向摆正，已去除拍摄位置等信息")
    kept = opened(p.data)
    assert (kept.size, kept.format, len(kept.getexif())) == ((20, 40), "JPEG", 0)
    assert images.prepare(data, "image/jpeg", keep_original=True).original == data


def test_exif_without_a_turn_and_xmp_are_removed_too() -> None:
    p = images.prepare(picture((30, 20), "JPEG", orientation=1), "image/jpeg")
    assert (p.width, p.height, p.changed) == (30, 20, "已去除拍摄位置等信息")
    assert len(opened(p.data).getexif()) == 0


def test_a_large_scan_is_reduced_to_2400_pixels() -> None:
    p = images.prepare(picture((4800, 1200), "PNG"), "image/png")
    assert (p.media, p.width, p.height, p.changed) == ("image/png", 2400, 600, "已缩小到2400像素")
    assert opened(p.data).size == (2400, 600)
    tall = images.prepare(picture((10, 2401), "JPEG"), "image/jpeg")
    assert (tall.media, tall.height, tall.changed) == ("image/jpeg", 2400, "已缩小到2400像素")


@pytest.mark.parametrize(("fmt", "media", "mode", "kept_mode", "changed"), [
    ("BMP", "image/bmp", "RGB", "RGB", ""), ("BMP", "image/bmp", "P", "P", ""),
    # a TIFF's own tags are read as EXIF: they are not kept either
    ("TIFF", "image/tiff", "CMYK", "RGB", "已去除拍摄位置等信息"), ("TIFF", "image/tiff", "L", "L", "已去除拍摄位置等信息"),
    ("TIFF", "image/tiff", "LA", "LA", "已去除拍摄位置等信息"), ("TIFF", "image/tiff", "RGBA", "RGBA", "已去除拍摄位置等信息"),
    ("TIFF", "image/tiff", "1", "1", "已去除拍摄位置等信息"), ("TIFF", "image/tiff", "I;16", "RGB", "已去除拍摄位置等信息"),
], ids=["bmp", "bmp-palette", "cmyk", "grey", "grey-alpha", "rgba", "bilevel", "16-bit"])
def test_a_scan_in_another_format_becomes_png(fmt: str, media: str, mode: str, kept_mode: str, changed: str) -> None:
    p = images.prepare(picture((12, 8), fmt, mode), media)
    assert (p.media, p.width, p.height, p.changed) == ("image/png", 12, 8, changed)
    assert (opened(p.data).format, opened(p.data).mode) == ("PNG", kept_mode)


def test_an_unreadable_image() -> None:
    for call in (lambda: images.prepare(b"not an image", "image/png"), lambda: images.size_of(b"\x89PNG\r\n", "image/png"),
                 lambda: images.as_png(b"", "image/jpeg")):
        with pytest.raises(ValidationError) as e:
            call()
        assert e.value.errors == {"file": UNREADABLE}


def test_heic_where_it_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_heif", False)
    with pytest.raises(ValidationError) as e:
        images.size_of(b"\x00\x00\x00\x18ftypheic", "image/heic")
    assert e.value.errors == {"file": "本机无法读取手机的HEIC照片。请在手机上把照片设置为“兼容性最佳”（JPG）后"
                                      "重新拷贝，或把它另存为JPG再添加。"}
    assert not images.heic_available()


def test_without_heic_support_other_photos_open_and_a_heic_is_told_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_heif", False)
    assert images.size_of(picture((30, 20), "JPEG"), "image/jpeg") == (30, 20)
    with pytest.raises(ValidationError) as e:
        images.prepare(b"\x00\x00\x00\x18ftypheic", "image/heic")
    assert e.value.errors["file"].startswith("本机无法读取手机的HEIC照片")


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'


def test_a_photos_xmp_is_removed_and_an_orientation_of_0_is_no_turn() -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, "JPEG", xmp=XMP)  # XMP only, no EXIF: where editors put the place
    p = images.prepare(out.getvalue(), "image/jpeg")
    assert (p.media, p.width, p.height, p.changed) == ("image/jpeg", 30, 20, "已去除拍摄位置等信息")
    assert "xmp" not in opened(p.data).info
    # an orientation tag of 0 (not a valid value) means no turn: only the EXIF is removed
    p = images.prepare(_with_orientation_0(), "image/jpeg")
    assert (p.width, p.height, p.changed) == (30, 20, "已去除拍摄位置等信息")


def _with_orientation_0() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 0
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_re_encoded_is_rgb_at_quality_88() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (2401, 10)).save(out, "JPEG")  # a printer's CMYK photo, too large: made anew
    p = images.prepare(out.getvalue(), "image/jpeg")
    assert (p.media, p.width, p.height) == ("image/jpeg", 2400, 10)
    kept = opened(p.data)
    assert kept.mode == "RGB"
    at_88 = io.BytesIO()
    Image.new("RGB", (8, 8)).save(at_88, "JPEG", quality=88)
    assert kept.quantization == opened(at_88.getvalue()).quantization


def test_heic_support_is_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_heif", None)
    assert images.heic_available() is True  # pi-heif is a dependency of the program
    assert images._heif is True
    monkeypatch.setattr(images, "_heif", None)
    monkeypatch.setitem(sys.modules, "pi_heif", None)  # neither installed: an import of either fails
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    assert images.heic_available() is False
    assert images._heif is False


def test_a_heic_photo_shown_where_it_cannot_be_read_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_heif", False)
    with pytest.raises(ValidationError) as e:
        images.as_png(b"\x00\x00\x00\x18ftypheic", "image/heic")
    assert e.value.errors["file"].startswith("本机无法读取手机的HEIC照片")


def test_thumbnails_and_png() -> None:
    thumb = opened(images.thumbnail(picture((400, 200), "JPEG"), "image/jpeg"))
    assert (thumb.format, thumb.size, thumb.mode) == ("PNG", (160, 80), "RGB")
    assert opened(images.thumbnail(picture((400, 200), "PNG"), "image/png", side=40)).size == (40, 20)
    assert opened(images.thumbnail(picture((40, 20), "PNG", "RGBA"), "image/png")).mode == "RGB"
    assert images.thumbnail(b"broken", "image/png") == b""
    assert images.thumbnail(b"%PDF-1.4 half written by the scanner", "application/pdf") == b""
    page = opened(images.thumbnail(pdf(1), "application/pdf"))
    assert page.size == (160, 80)
    rgba = opened(images.as_png(picture((6, 4), "PNG", "RGBA"), "image/png"))
    assert (rgba.format, rgba.mode, rgba.size) == ("PNG", "RGBA", (6, 4))
    assert opened(images.as_png(picture((6, 4), "BMP", "RGB"), "image/bmp")).mode == "RGB"
    assert opened(images.as_png(picture((6, 4), "TIFF", "L"), "image/tiff")).mode == "RGB"
    assert images.size_of(picture((7, 3), "PNG"), "image/png") == (7, 3)


def test_a_pdf_s_pages() -> None:
    assert images.pdf_pages(pdf(3)) == 3
    for call in (images.pdf_pages, lambda data: images.pdf_page_image(data, 0)):
        with pytest.raises(ValidationError) as e:
            call(b"%PDF-1.4 broken")
        assert e.value.errors == {"file": "这个PDF文件无法读取：可能已损坏，或设置了打开密码"}
    second = images.pdf_page_image(pdf(2), 1, longest=400)
    assert second.size == (400, 200)
    assert images.pdf_page_image(pdf(1), 0).size == (1600, 800)
    # the longer side is the page's height on an upright page, whatever the page's size in points
    assert images.pdf_page_image(pdf(1, (100, 200)), 0, longest=400).size == (200, 400)
    assert images.pdf_page_image(pdf(1, (1, 1)), 0, longest=400).size == (400, 400)


def test_an_exif_block_pillow_cannot_read_is_removed_all_the_same() -> None:
    # A phone or an editor may write an EXIF block Pillow finds no entry in (damaged, or in a layout it does not
    # know): it may still hold the place, so the photo is written anew without it.
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, "JPEG", exif=b"Exif\x00\x00GPS 28.2N 112.9E not a tiff")
    p = images.prepare(out.getvalue(), "image/jpeg")
    assert (p.media, p.width, p.height, p.changed) == ("image/jpeg", 30, 20, "已去除拍摄位置等信息")
    assert b"GPS 28.2N" not in p.data and "exif" not in opened(p.data).info


def _lines() -> Image.Image:
    img = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, 300, 3):
        draw.line((i, 0, 300 - i, 200), fill=(i % 256, (i * 3) % 256, 100))
    return img


@pytest.mark.parametrize(("fmt", "media", "kw"), [("JPEG", "image/jpeg", {"quality": 88}), ("PNG", "image/png", {})],
                         ids=["photo", "scan"])
def test_an_image_written_anew_is_stored_in_its_smallest_encoding(fmt: str, media: str, kw: dict[str, int]) -> None:
    # Every photo and scan stays in the database and in every backup: the encoder's optimisation is asked for (the
    # JPEG's Huffman tables made for the picture, the PNG compressed hardest) — the same pixels, fewer bytes.
    src = _lines()
    exif = Image.Exif()
    exif[0x0112] = 1  # EXIF to remove, no turn: written anew at the same size
    given = io.BytesIO()
    src.save(given, fmt, exif=exif, **kw)
    p = images.prepare(given.getvalue(), media)
    assert (p.media, p.width, p.height, p.changed) == (media, 300, 200, "已去除拍摄位置等信息")
    decoded = opened(given.getvalue()).convert("RGB")  # what is written anew: the photo as it came, decoded
    plain, smallest = io.BytesIO(), io.BytesIO()
    decoded.save(plain, fmt, **kw)
    decoded.save(smallest, fmt, optimize=True, **kw)
    assert len(p.data) == len(smallest.getvalue()) < len(plain.getvalue())


def test_the_log_names_only_what_went_wrong(caplog: pytest.LogCaptureFixture) -> None:
    # The log says which error, never a byte of the picture (the staff's logs may be sent for help).
    caplog.set_level(logging.INFO, logger="fulian_desktop.domain.images")
    secret = b"GIF89a secret 13800138000"
    with pytest.raises(ValidationError):
        images.prepare(secret, "image/gif")
    assert images.thumbnail(secret, "image/gif") == b""
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("fulian_desktop.domain.images", logging.INFO, "image not readable: UnidentifiedImageError"),
        ("fulian_desktop.domain.images", logging.INFO, "image not readable: UnidentifiedImageError"),
        ("fulian_desktop.domain.images", logging.INFO, "no thumbnail: ValidationError"),
    ]


def test_a_phone_s_heic_photo_is_kept_as_a_jpeg() -> None:
    # (the HEIC library here reads HEIC but cannot write one: the photo's bytes are a JPEG's, its media what the
    # attachment was recognised as — the branch that chooses how it is kept is the one under test)
    kept = images.prepare(picture((30, 20), "JPEG"), "image/heic")
    assert (kept.media, kept.data[:3], kept.width, kept.height) == ("image/jpeg", b"\xff\xd8\xff", 30, 20)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with almost no picture data behind it (a decompression bomb's
    shape, a few dozen bytes)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(caplog: pytest.LogCaptureFixture) -> None:
    # 200 million pixels is a large scan; more than twice that is refused when the header is read, before a byte of
    # the picture is decoded (the log names why); up to twice it the picture is decoded — here, found cut short
    caplog.set_level(logging.INFO, logger="fulian_desktop.domain.images")
    with pytest.warns(Image.DecompressionBombWarning):
        with pytest.raises(ValidationError):
            images.size_of(_png_header_only(20_000, 20_000), "image/png")  # 400,000,000: decoded
    with pytest.raises(ValidationError) as e:
        images.size_of(_png_header_only(400_000_001, 1), "image/png")
    assert e.value.errors == {"file": "这张图片无法读取，可能已损坏"}
    assert [r.getMessage() for r in caplog.records] == ["image not readable: OSError",
                                                        "image not readable: DecompressionBombError"]
