"""Validation of a person's details, as a careful clerk would check them."""

from __future__ import annotations

import datetime as dt

from . import idcard, limits, phone
from .dates import EARLIEST_BIRTH, format_cn, too_early
from .errors import ValidationError
from .records import Person
from .text import clean_record

SEXES = ("女", "男")
MARITAL_STATUSES = ("未婚", "已婚", "离婚", "丧偶", "分居", "同居", "不详")
ETHNICITIES = (
    "汉族", "壮族", "满族", "回族", "苗族", "维吾尔族", "土家族", "彝族", "蒙古族", "藏族",
    "布依族", "侗族", "瑶族", "朝鲜族", "白族", "哈尼族", "哈萨克族", "黎族", "傣族", "畲族", "其他",
)
NAME_MAX = limits.NAME_MAX
PHONE_MAX = 24  # 0734-12345678-123456, or a mobile typed with +86 and spaces
# what the forms print of a person (住址 one line of the 信访登记表, wrapped in the 帮扶手册's narrower cell)
LIMITS = limits.define(Person, {
    "name": ("姓名", NAME_MAX), "sex": ("性别", 2), "ethnicity": ("民族", 10), "id_number": ("身份证号", 22),
    "phone": ("联系电话", PHONE_MAX), "address": ("住址", 100), "marital_status": ("婚姻状况", 4),
})


def check_person(
    p: Person, today: dt.date, errors: dict[str, str], prefix: str = "", require_name: bool = True
) -> Person:
    """Check a person; add any problems to `errors` keyed `prefix + field`; return a normalised copy."""
    try:
        p = clean_record(p)
    except ValidationError as e:  # text that is not valid Unicode: said next to its field
        errors.update({prefix + k: v for k, v in e.errors.items()})
    limits.check(p, errors, prefix)
    name = " ".join(p.name.split())
    if not name and require_name:
        errors[prefix + "name"] = "请填写姓名"
    out = Person(
        id=p.id,
        name=name,
        sex=p.sex,
        ethnicity=p.ethnicity.strip(),
        birth_date=p.birth_date,
        id_number="",
        phone="",
        address=p.address.strip(),
        marital_status=p.marital_status,
    )
    if p.sex and p.sex not in SEXES:
        errors[prefix + "sex"] = "性别应为女或男"
    if p.birth_date and p.birth_date > today:
        errors[prefix + "birth_date"] = "出生日期不能晚于今天"
    elif p.birth_date and too_early(p.birth_date, "出生日期", EARLIEST_BIRTH):
        errors[prefix + "birth_date"] = too_early(p.birth_date, "出生日期", EARLIEST_BIRTH)
    if p.id_number.strip():
        try:
            info = idcard.parse_id_number(p.id_number, today)
        except idcard.IdNumberError as e:
            errors[prefix + "id_number"] = str(e)
            out.id_number = idcard.normalize(p.id_number)
        else:
            out.id_number = info.number
            if p.sex and p.sex != info.sex:
                errors[prefix + "sex"] = f"性别与身份证号不符（身份证号显示为{info.sex}）"
            elif not p.sex:
                out.sex = info.sex
            if p.birth_date and p.birth_date != info.birth_date:
                errors[prefix + "birth_date"] = (
                    f"出生日期与身份证号不符（身份证号显示为{format_cn(info.birth_date)}）"
                )
            elif not p.birth_date:
                out.birth_date = info.birth_date
    if p.phone.strip():
        try:
            out.phone = phone.validate_phone(p.phone)
        except phone.PhoneError as e:
            errors[prefix + "phone"] = str(e)
            out.phone = p.phone.strip()
    return out
