"""Names: pinyin initials (zs -> 张三), as Chinese office software users expect.

The initials come from a small table shipped in resources/pinyin_initials.txt (one line per letter:
the letter, a space, then every character one of whose readings starts with it), made from pypinyin
by `python -m fulian_desktop.domain.names` — so the application does not load pypinyin's 100 MB of
phrase dictionaries at start-up. A character with several readings (曾 zeng/ceng, 单 shan/dan) gives
every variant, so `pinyin_initials("曾小单")` is "zxs zxd cxs cxd".
"""

from __future__ import annotations

import itertools
import sys
from functools import lru_cache

from ..paths import resources_dir

TABLE_FILE = "pinyin_initials.txt"
MAX_VARIANTS = 8
# What the search help says of initials (the table has every character pypinyin knows, Extension B included;
# a few rare ones have no reading in any data we ship)
INITIALS_HELP = ("拼音首字母：极少数没有拼音资料的生僻字（如“𠇔”）不能用首字母查到，"
                 "请输入姓名中的其他字，或直接输入（粘贴）这个字。")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """char -> its possible initials (e.g. '曾' -> 'zc')."""
    out: dict[str, str] = {}
    text = (resources_dir() / TABLE_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        letter, chars = line[0], line[2:]
        for c in chars:
            out[c] = out.get(c, "") + letter
    return out


@lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    """The initials of a name; several variants separated by spaces when a character has several readings."""
    table = _table()
    choices = []
    for c in name:
        if c.isascii():
            if c.isalnum():
                choices.append(c.lower())
            continue
        initials = table.get(c)
        if initials:
            choices.append(initials)
    variants = ("".join(v) for v in itertools.product(*choices))
    return " ".join(itertools.islice(variants, MAX_VARIANTS))


def build_table() -> str:
    """The table's text, from pypinyin (a development dependency)."""
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    by_letter: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        c = chr(code)
        letters = []
        for reading in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:  # every character here has a reading
            first = reading[:1].lower()
            if first.isascii() and first.isalpha() and first not in letters:
                letters.append(first)
        for letter in letters[:3]:
            by_letter.setdefault(letter, []).append(c)
    lines = ["# pinyin initials: letter, space, the characters whose readings start with it (generated)"]
    lines += [f"{letter} {''.join(chars)}" for letter, chars in sorted(by_letter.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (resources_dir() / TABLE_FILE).write_text(build_table(), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE_FILE}\n")
