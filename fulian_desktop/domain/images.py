"""Photos and scans as they are kept and shown (Pillow; PDFs through pdfium): a phone photo turned upright by its EXIF
orientation, its EXIF data (the place it was taken, the phone) removed, a large one reduced; thumbnails; an image as
PNG for the window and the printed dossier; a PDF's page count. No Qt, no SQL.

A file that needs none of that (a scan without EXIF, not too large) is kept byte for byte as it came.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from .attachments import PHOTO_MAX_SIDE
from .errors import ValidationError

log = logging.getLogger(__name__)

_heif: bool | None = None


def heic_available() -> bool:
    """Whether HEIC photos (iPhones, many Android phones) can be read: pi-heif installed (pillow-heif's decode-only
    build, the one the program depends on and the bundle carries), or else pillow-heif itself."""
    global _heif
    if _heif is None:
        try:
            import pi_heif as heif
        except ImportError:
            try:
                import pillow_heif as heif
            except ImportError:
                _heif = False
                return _heif
        heif.register_heif_opener()
        _heif = True
    return _heif


def _open(data: bytes, media: str) -> Any:
    from PIL import Image, UnidentifiedImageError

    if media == "image/heic" and not heic_available():
        raise ValidationError({"file": "本机无法读取手机的HEIC照片。请在手机上把照片设置为“兼容性最佳”（JPG）后"
                                       "重新拷贝，或把它另存为JPG再添加。"})
    Image.MAX_IMAGE_PIXELS = 200_000_000  # a large scan, not a decompression bomb
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        log.info("image not readable: %s", type(e).__name__)
        raise ValidationError({"file": "这张图片无法读取，可能已损坏"}) from None
    return img


@dataclass(frozen=True)
class Prepared:
    data: bytes  # what is kept and shown
    media: str
    width: int
    height: int
    original: bytes | None = None  # the photo as it came, when it was changed and the original is to be kept too
    changed: str = ""  # what was done: 已按拍摄方向摆正、已去除拍摄位置等信息、已缩小到2400像素


def prepare(data: bytes, media: str, keep_original: bool = False) -> Prepared:
    """The image as it is kept: upright, without EXIF, no longer than PHOTO_MAX_SIDE on its longer side (unless
    `keep_original`: then the reduced one is shown and printed, the original kept beside it). HEIC, TIFF and BMP
    become JPEG (photos) or PNG (scans); a JPEG or PNG needing none of that is kept as it came."""
    from PIL import ImageOps

    img = _open(data, media)
    exif = img.getexif()
    orientation = int(exif.get(0x0112) or 1)  # none, or 0 (not a valid value): no turn
    has_meta = bool(len(exif)) or "exif" in img.info or bool(img.info.get("xmp")) or "XML:com.adobe.xmp" in img.info
    too_big = max(img.size) > PHOTO_MAX_SIDE
    convert = media not in ("image/jpeg", "image/png")
    done: list[str] = []
    if not (has_meta or too_big or convert or orientation != 1):
        return Prepared(data, media, img.width, img.height)
    if orientation != 1:
        img = ImageOps.exif_transpose(img)
        done.append("已按拍摄方向摆正")
    if has_meta:
        done.append("已去除拍摄位置等信息")
    if too_big:
        img.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        done.append(f"已缩小到{PHOTO_MAX_SIDE}像素")
    photo = media in ("image/jpeg", "image/heic")
    out = io.BytesIO()
    if photo:
        img = img.convert("RGB")
        img.save(out, "JPEG", quality=88, optimize=True)
        new_media = "image/jpeg"
    else:
        if img.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
            img = img.convert("RGB")
        img.save(out, "PNG", optimize=True)
        new_media = "image/png"
    return Prepared(out.getvalue(), new_media, img.width, img.height, data if keep_original else None,
                    "，".join(done))


def thumbnail(data: bytes, media: str, side: int = 160) -> bytes:
    """A small PNG of an image or of a PDF's first page; b'' when it cannot be made."""
    try:
        if media == "application/pdf":
            img = pdf_page_image(data, 0, side * 2)
        else:
            img = _open(data, media)
        img = img.convert("RGB")
        img.thumbnail((side, side))
        out = io.BytesIO()
        img.save(out, "PNG")
        return out.getvalue()
    except (ValidationError, OSError, ValueError) as e:
        log.info("no thumbnail: %s", type(e).__name__)
        return b""


def as_png(data: bytes, media: str) -> bytes:
    """The image as PNG (for a window or a printer that does not read HEIC or TIFF)."""
    img = _open(data, media)
    out = io.BytesIO()
    img.convert("RGBA" if "A" in img.mode else "RGB").save(out, "PNG")
    return out.getvalue()


def size_of(data: bytes, media: str) -> tuple[int, int]:
    img = _open(data, media)
    return int(img.width), int(img.height)


def _pdf(data: bytes) -> Any:
    """The PDF opened; ValidationError when it cannot be read (damaged, half written by a scanner, or locked with a
    password)."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise ValidationError({"file": "这个PDF文件无法读取：可能已损坏，或设置了打开密码"}) from None


def pdf_pages(data: bytes) -> int:
    """How many pages the PDF has; ValidationError when it cannot be read (damaged, or locked with a password)."""
    pdf = _pdf(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdf_page_image(data: bytes, index: int, longest: int = 1600) -> Any:
    """One page of a PDF as a Pillow image, its longer side about `longest` pixels; ValidationError when the PDF
    cannot be read (so a thumbnail of a damaged one is none, not a crash)."""
    pdf = _pdf(data)
    try:
        page = pdf[index]
        w, h = page.get_size()
        bitmap = page.render(scale=longest / max(w, h, 1))
        return bitmap.to_pil()
    finally:
        pdf.close()
