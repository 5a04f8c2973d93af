"""Names: pinyin initials (zs -> 张三), as Chinese office software users expect."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(p[:1] for p in letters).lower()


@lru_cache(maxsize=65536)
def pinyin_full(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()
