"""The Song (宋体-style) face used on every printed form, registered with reportlab once.

The face is "AR PL UMing CN" from resources/fonts/uming.ttc. reportlab embeds it as a subset in
every PDF, so a form prints the same on any PC. Before printing, `unprintable()` says which
characters the face has no glyph for, so that nothing ever prints silently as a blank box.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable

from reportlab.pdfbase import pdfmetrics, ttfonts

from ..paths import fonts_dir

SONG = "Song"  # the reportlab name of the face
SONG_FILE = "uming.ttc"
SONG_FACE = b"AR PL UMing CN"  # the face inside the collection we want (its family name)

_lock = threading.Lock()
_song: ttfonts.TTFont | None = None


class _Read:
    """The font file's bytes, read once, handed to reportlab as the file it reads (it would read the 20 MB
    file again for each face it tries)."""

    def __init__(self, path: str, data: bytes) -> None:
        self.name = path
        self.data = data

    def read(self) -> bytes:
        return self.data


def _load_song(path: str) -> ttfonts.TTFont:
    """The face of the collection named AR PL UMing CN (index 0 today; checked, not assumed), the file read
    once."""
    with open(path, "rb") as f:
        data = f.read()
    index = 0
    while True:
        try:
            font = ttfonts.TTFont(SONG, _Read(path, data), subfontIndex=index)
        except (ttfonts.TTFError, IndexError, ValueError):
            break
        if font.face.familyName == SONG_FACE:
            return font
        index += 1
    raise RuntimeError(f"{SONG_FILE} has no face named {SONG_FACE.decode()}")


def _unicode_hex(code: int) -> str:
    """UTF-16BE hex of one code point, as a ToUnicode CMap wants it (surrogate pairs above U+FFFF)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _fix_astral_to_unicode() -> None:
    """reportlab writes a ToUnicode entry for a character beyond U+FFFF (𠇔 U+201D4) as five hex
    digits, which PDF readers misread: the name prints right but copies or searches as "”".
    Write UTF-16 surrogate pairs instead. Only applied when the installed reportlab has the bug."""
    original = ttfonts.makeToUnicodeCMap
    if "<D840DDD4>" in original("probe", [0x201D4]):
        return

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        text: str = original(fontname, subset)
        head, sep, tail = text.partition("beginbfchar\n")
        body, sep2, rest = tail.partition("\nendbfchar")
        lines = [f"<{i:02X}> <{_unicode_hex(code)}>" for i, code in enumerate(subset)]
        return head + sep + "\n".join(lines) + sep2 + rest if sep and sep2 else text

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


class _Glyphs:
    """The face's glyph table, read in place: reportlab's makeSubset takes the table whole (get_table
    copies it: 17 MB for this face, for every subset of every PDF) only to slice glyphs out of it."""

    __slots__ = ("data", "start", "length")

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self.data = data
        self.start = start
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(self.length)
        if step != 1:
            raise TypeError("glyph data is read in runs")
        return self.data[self.start + start:self.start + stop]


class _Face(ttfonts.TTFontFace):
    """reportlab's face of a TrueType font, with the glyph table read in place (see _Glyphs)."""

    def get_table(self, tag: str) -> bytes | _Glyphs:
        data = getattr(self, "_ttf_data", None)
        if tag == "glyf" and isinstance(data, bytes) and hasattr(self, "get_table_pos"):
            start, length = self.get_table_pos(tag)
            return _Glyphs(data, start, length)
        return super().get_table(tag)  # a reportlab whose insides differ: the plain (copying) way


def register_fonts() -> str:
    """Register the Song face with reportlab (once; safe to call from any thread). Returns its name."""
    global _song
    with _lock:
        if _song is None:
            font = _load_song(str(fonts_dir() / SONG_FILE))
            if type(font.face) is ttfonts.TTFontFace:
                font.face.__class__ = _Face
            pdfmetrics.registerFont(font)
            # <b>/<i> in a Paragraph map back to the same face (a TTF cannot be made bold by reportlab)
            pdfmetrics.registerFontFamily(SONG, normal=SONG, bold=SONG, italic=SONG, boldItalic=SONG)
            _fix_astral_to_unicode()
            _song = font
    return SONG


def song() -> ttfonts.TTFont:
    register_fonts()
    assert _song is not None
    return _song


def has_glyph(char: str) -> bool:
    return ord(char) in song().face.charToGlyph


def _ignorable(char: str) -> bool:
    """Whitespace and control/format characters: never drawn, so never a missing glyph."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def unprintable(text: str) -> list[str]:
    """The characters of `text` the Song face has no glyph for, each once, in order of appearance."""
    glyphs = song().face.charToGlyph
    if all(map(glyphs.__contains__, map(ord, text or ""))):  # the usual case, checked without a loop
        return []
    seen: dict[str, None] = {}
    for char in text or "":
        if char not in seen and ord(char) not in glyphs and not _ignorable(char):
            seen[char] = None
    return list(seen)


def unprintable_in(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for char in unprintable(text):
            seen.setdefault(char, None)
    return list(seen)


def string_width(text: str, size: float, font: str = SONG) -> float:
    register_fonts()
    return float(pdfmetrics.stringWidth(text, font, size))
