"""Draw the application icon (resources/icons/app-*.png, app.png and app.ico) with Qt.

A dark red tile with a thin gold rule and the character 维 (维权, rights protection) in the bundled Song
face (a heavier sans below 64 px): plain and official, readable from 16 to 256 pixels. The drawn files are committed; run this again only
to change the icon:

    QT_QPA_PLATFORM=offscreen python3 packaging/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED_TOP, RED_BOTTOM, GOLD = QColor("#b8232a"), QColor("#7f1218"), QColor("#e9c46a")


def draw(size: int, song: str, sans: str) -> QImage:
    family = song if size >= 64 else sans  # a thin Song stroke fades at small sizes: the heavier sans there
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = max(0.5, size / 32)
    tile = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    radius = size * 0.16
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, RED_TOP)
    gradient.setColorAt(1, RED_BOTTOM)
    path = QPainterPath()
    path.addRoundedRect(tile, radius, radius)
    p.fillPath(path, gradient)
    if size >= 32:  # the gold rule, where it can be seen
        inset = size * 0.085
        rule = tile.adjusted(inset, inset, -inset, -inset)
        p.setPen(QPen(GOLD, max(1.0, size / 64)))
        p.drawRoundedRect(rule, radius * 0.6, radius * 0.6)
    font = QFont(family)
    font.setPixelSize(round(size * (0.70 if size >= 32 else 0.82)))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#fff7e0"))
    p.drawText(tile.adjusted(0, -size * 0.02, 0, 0), Qt.AlignmentFlag.AlignCenter, "维")
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    sys.path.insert(0, str(ROOT))
    from fulian_desktop.gui.shell.fonts import register_fonts

    families = register_fonts()
    song = next((f for f in families if "Ming" in f or "Song" in f), families[0] if families else "serif")
    sans = next((f for f in families if "Hei" in f), song)
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size, song, sans) for size in SIZES}
    for size, image in images.items():
        image.save(str(ICONS / f"app-{size}.png"))
    images[256].save(str(ICONS / "app.png"))
    try:  # Windows wants every size in one .ico: Pillow (it comes with reportlab) writes that
        from PIL import Image

        big = Image.open(ICONS / "app-256.png")
        big.save(ICONS / "app.ico", sizes=[(s, s) for s in SIZES],
                 append_images=[Image.open(ICONS / f"app-{s}.png") for s in SIZES if s != 256])
    except ImportError:  # pragma: no cover
        images[256].save(str(ICONS / "app.ico"))
    del app
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
