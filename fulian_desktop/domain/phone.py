"""Mobile and landline numbers as Chinese offices write them."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 0734-1234567, 07341234567, (0734)1234567, 010-12345678, optional extension -123
_LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")
# a local number without area code, e.g. 8123456 (7 or 8 digits)
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
_SERVICE = re.compile(r"^(12338|12345|110|120|119|12315|12348)$")


class PhoneError(ValueError):
    pass


def normalize(phone: str) -> str:
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    table.update({ord("－"): ord("-"), ord("（"): ord("("), ord("）"): ord(")")})
    p = "".join(phone.split()).translate(table)
    p = re.sub(r"^\((0\d{2,3})\)", r"\1-", p)
    if p.startswith("+86"):
        p = p[3:]
    return p


def validate_phone(phone: str) -> str:
    """Return the normalised number or raise PhoneError with a message for the user."""
    p = normalize(phone)
    digits = p.replace("-", "")
    if not digits.isdigit():
        raise PhoneError("电话号码只能包含数字和“-”")
    if p.startswith("1") and not _SERVICE.match(p):
        if len(digits) != 11:
            raise PhoneError(f"手机号应为11位，现在是{len(digits)}位")
        if not _MOBILE.match(digits):
            raise PhoneError("手机号应以13—19开头")
        return digits
    if _LANDLINE.match(p) or _LOCAL.match(p) or _SERVICE.match(p):
        return p
    raise PhoneError("固定电话应写成“区号-号码”，如0734-8234567")


def mask(phone: str) -> str:
    p = normalize(phone)
    if len(p) < 7:
        return p
    return p[:3] + "*" * (len(p) - 7) + p[-4:]
