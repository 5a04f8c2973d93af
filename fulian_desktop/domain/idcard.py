"""身份证号 (GB 11643-1999): check digit, birth date and sex."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
# The province-level codes of GB/T 2260 (the first two digits), and 81/82/83 of the residence permits for
# residents of Hong Kong, Macao and Taiwan (valid numbers, issued since 2018).
PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 81, 82, 83]
)


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    sex: str  # "男" / "女"
    region: str


class IdNumberError(ValueError):
    """The message is written for the user."""


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize(number: str) -> str:
    """Strip spaces, make full-width digits half-width and a lower-case x upper-case."""
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    table.update({ord("ｘ"): ord("X"), ord("Ｘ"): ord("X"), ord("x"): ord("X")})
    return "".join(number.split()).translate(table)


def parse_id_number(number: str, today: dt.date | None = None) -> IdInfo:
    n = normalize(number)
    if len(n) != 18:
        raise IdNumberError(f"身份证号应为18位，现在是{len(n)}位")
    if not _SHAPE.match(n):
        raise IdNumberError("身份证号前17位应为数字，最后一位为数字或X")
    if int(n[:2]) not in PROVINCES:
        raise IdNumberError(f"身份证号前两位（省份代码）“{n[:2]}”不存在，请核对第1、2位")
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise IdNumberError("身份证号中的出生日期不存在，请核对第7至14位") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise IdNumberError("身份证号中的出生日期不合理，请核对第7至14位")
    expected = check_digit(n[:17])
    if n[17] != expected:
        raise IdNumberError("身份证号校验位不对，可能有数字抄错，请逐位核对")
    sex = "男" if int(n[16]) % 2 == 1 else "女"
    return IdInfo(number=n, birth_date=birth, sex=sex, region=n[:6])


def make_id_number(region: str, birth: dt.date, serial: int, female: bool) -> str:
    """Build a well-formed number (for made-up demo and test people only)."""
    seq = serial % 100
    sex_digit = (serial // 100) % 5 * 2 + (0 if female else 1)
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + check_digit(first17)


def mask(number: str) -> str:
    n = normalize(number)
    if len(n) < 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]
