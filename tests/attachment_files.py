"""Files a clerk attaches, made in the test: a phone photo (JPEG with EXIF orientation and GPS), a scanned letter
(PNG), a signed agreement (a 2-page PDF), a Word document. Every person here is made up."""

from __future__ import annotations

import io

from PIL import Image


def phone_photo(width: int = 3200, height: int = 2400, orientation: int = 6) -> bytes:
    """A JPEG as a phone saves it lying on its side: landscape pixels, EXIF orientation 6 (turn 90° clockwise),
    GPS position and the phone's make."""
    img = Image.new("RGB", (width, height), (200, 60, 60))
    img.paste((0, 0, 0), (0, 0, width // 4, height))  # a black band on the left: on top once turned upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (28.0, 12.0, 30.0), "E", (112.0, 58.0, 10.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


def scanned_letter(width: int = 1240, height: int = 1754) -> bytes:
    """A scanner's A4 page at 150 dpi, PNG, no metadata."""
    img = Image.new("L", (width, height), 250)
    for y in range(height // 9, height * 6 // 7, 60):  # lines of writing
        img.paste(30, (width // 8, y, width * 7 // 8, y + 2))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def signed_agreement(pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.drawString(100, 700, f"Agreement page {n + 1} (signed original)")
        c.showPage()
    c.save()
    return out.getvalue()


def word_document() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
