"""Masking ID numbers and phones where a list, a search result or an export shows them.

In full they appear only on a case's page, to roles that may see them (permission "people.identity").
`mask_text` also masks an ID number or a phone that someone typed into free text (a summary, a name
field used for a note), so a list never shows one whole.
"""

from __future__ import annotations

import re

from . import idcard, phone

ID_RUN = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d{9})(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3}-\d{7,8})(?![0-9])")


def mask_id_number(number: str) -> str:
    return idcard.mask(number) if number else ""


def mask_phone(number: str) -> str:
    return phone.mask(number) if number else ""


def mask_text(text: str) -> str:
    """The text with every ID number (4304**********1234) and phone (139****1234) in it masked."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    text = ID_RUN.sub(lambda m: idcard.mask(m.group(1)), text)
    text = MOBILE.sub(lambda m: phone.mask(m.group(1)), text)
    return LANDLINE.sub(lambda m: phone.mask(m.group(1)), text)
