"""Money as integer fen; shown as ¥1,234.50 and, on forms, in capital numerals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


class MoneyError(ValueError):
    pass


def parse_yuan(text: str) -> int:
    """'1234.5' or '1,234.50' or '¥12' -> fen."""
    t = (text or "").strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
    if not t:
        return 0
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise MoneyError("金额应为数字，如 500 或 1234.50") from None
    if value < 0:
        raise MoneyError("金额不能为负数")
    if value != value.quantize(Decimal("0.01")):
        raise MoneyError("金额最多到分（两位小数）")
    return int(value * 100)


def format_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"


def _four_digits(n: int) -> str:
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def capital(fen: int) -> str:
    """12345650 fen -> 壹拾贰万叁仟肆佰伍拾陆元伍角 (the form used on receipts)."""
    if fen < 0:
        return "负" + capital(-fen)
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    text = ""
    if yuan:
        groups = []
        while yuan:
            groups.append(yuan % 10000)
            yuan //= 10000
        pending_zero = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                pending_zero = bool(text)
                continue
            if text and (pending_zero or g < 1000):
                text += "零"
            pending_zero = False
            text += _four_digits(g) + _BIG_UNITS[i]
        text += "元"
    if not jiao and not cents:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if cents:
        text += _DIGITS[cents] + "分"
    return text
