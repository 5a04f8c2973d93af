"""The small rule modules, answers worked out by hand (fast: in the mutation selection): phone numbers as Chinese
offices write them, masking in lists, case numbers, 督办, working days, dates as people write them, money in
capital numerals, pinyin initials."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fulian_desktop.domain import (
    accounts,
    dates,
    kinds,
    limits,
    masking,
    mediation,
    money,
    names,
    numbering,
    phone,
    supervision,
    workdays,
)
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.mediation import Mediation, Mediator

# --- phones ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "kept"), [
    ("13800138000", "13800138000"),
    (" 138 0013 8000 ", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("0734-2234567", "0734-2234567"),
    ("0734－2234567", "0734-2234567"),
    ("07342234567", "07342234567"),
    ("(0734)2234567", "0734-2234567"),
    ("（0734）2234567", "0734-2234567"),
    ("010-62345678", "010-62345678"),
    ("0734-2234567-123456", "0734-2234567-123456"),
    ("8123456", "8123456"),
    ("81234567", "81234567"),
    ("12338", "12338"), ("12345", "12345"), ("110", "110"), ("120", "120"), ("119", "119"), ("12315", "12315"),
    ("12348", "12348"),
    ("19912345678", "19912345678"),
], ids=lambda v: v.encode("unicode_escape").decode("ascii").replace("\\", "u") if isinstance(v, str) else str(v))
def test_phones_as_offices_write_them(typed: str, kept: str) -> None:
    assert phone.validate_phone(typed) == kept


@pytest.mark.parametrize(("typed", "message"), [
    ("1380013800", "手机号应为11位，现在是10位"),
    ("138-0013-80001", "手机号应为11位，现在是12位"),
    ("1234567", "手机号应为11位，现在是7位"),
    ("12800138000", "手机号应以13—19开头"),
    ("10800138000", "手机号应以13—19开头"),
    ("0734-0234567", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("0734-223456", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("0734-2234567-1234567", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("0-2234567", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("1234", "手机号应为11位，现在是4位"),
    ("123456789", "手机号应为11位，现在是9位"),
    ("0123456", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("2345678901", "固定电话应写成“区号-号码”，如0734-8234567"),
    ("138a0013800", "电话号码只能包含数字和“-”"),
    ("(0734)-2234567x", "电话号码只能包含数字和“-”"),
], ids=["short-mobile", "long-mobile", "seven-from-1", "12x", "10x", "landline-0", "landline-short", "ext-7",
        "no-area", "four", "nine", "0-local", "ten-digits", "letter", "x"])
def test_a_wrong_phone_is_told_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(phone.PhoneError) as e:
        phone.validate_phone(typed)
    assert str(e.value) == message
    example = message.partition("，如")[2]  # the example the message gives is itself accepted as written
    assert not example or phone.validate_phone(example) == example


def test_a_phone_is_masked_keeping_three_first_and_four_last() -> None:
    assert phone.mask("13800138000") == "138****8000"
    assert phone.mask("+86 138 0013 8000") == "138****8000"
    assert phone.mask("0734-1234567") == "073*****4567"
    assert phone.mask("1234567") == "1234567"  # seven characters: nothing between the three and the four
    assert phone.mask("12345678") == "123*5678"
    assert phone.mask("12338") == "12338"
    assert masking.mask_phone("") == "" and masking.mask_phone("13800138000") == "138****8000"


# --- masking in lists ------------------------------------------------------------------------------------------


def test_id_numbers_and_phones_in_free_text_are_masked() -> None:
    assert masking.mask_id_number("11010519491231002X") == "1101**********002X"
    assert masking.mask_id_number("") == ""
    assert masking.mask_text("身份证11010519491231002x，电话13800138000，座机0734-1234567。") == (
        "身份证1101**********002X，电话138****8000，座机073*****4567。")
    assert masking.mask_text("旧证110105491231002") == "旧证1101*******1002"  # a 15-digit number too
    assert masking.mask_text("13800138000") == "138****8000"


def test_text_without_numbers_to_mask_is_kept() -> None:
    for text in ("", "没有数字", "2026年3月10日，3人", "编号1234567890123456789", "门牌12号"):
        assert masking.mask_text(text) == text
    assert masking.mask_text("A13800138000B") == "A138****8000B"  # letters around a mobile do not hide it
    assert masking.mask_text("213800138000") == "213800138000"  # twelve digits: not a mobile
    assert masking.mask_text("10734-12345678") == "10734-12345678"  # a digit before: not a landline


# --- case numbers ------------------------------------------------------------------------------------------------


def test_case_numbers_are_written_and_read() -> None:
    assert numbering.format_case_no("petition", 2026, 1) == "信访〔2026〕第0001号"
    assert numbering.format_case_no("mediation", 2025, 12345) == "婚调〔2025〕第12345号"
    assert numbering.parse_case_no(" 信访〔2026〕第0001号 ") == ("petition", 2026, 1)
    assert numbering.parse_case_no("援转[2026]第12号") == ("referral", 2026, 12)
    assert numbering.parse_case_no("帮扶【2024】第7号") == ("household", 2024, 7)
    assert numbering.parse_case_no("婚调〔2026〕第0003号") == ("mediation", 2026, 3)
    for wrong in ("信访2026第1号", "其他〔2026〕第1号", "信访〔26〕第1号", "信访〔2026〕第号", "信访〔2026〕第1号x", ""):
        assert numbering.parse_case_no(wrong) is None
    # the township's mark a number carries (domain/office.py): none for the county's, none for what is no number
    assert numbering.case_no_mark("信访〔2026〕福田铺第0001号") == "福田铺"
    assert numbering.case_no_mark(" 转介[2026]东山乡第12号 ") == "东山乡"
    assert numbering.case_no_mark("信访〔2026〕第0001号") == ""
    assert numbering.case_no_mark("信访2026第1号") == ""
    # what a typed number may stand for: a referral's under both its prefixes (one counter numbers them), the
    # township's mark kept, written in the normal form
    assert numbering.spellings(" 信访[2026]福田铺第1号 ") == ["信访〔2026〕福田铺第0001号"]
    assert numbering.spellings("转介【2025】第12号") == ["援转〔2025〕第0012号", "转介〔2025〕第0012号"]
    assert numbering.spellings("援转〔2025〕东山乡第0012号") == ["援转〔2025〕东山乡第0012号", "转介〔2025〕东山乡第0012号"]
    assert numbering.spellings("第12号") == []


# --- 督办 --------------------------------------------------------------------------------------------------------


def test_supervision_needs_a_note_and_a_date_not_after_today() -> None:
    today = dt.date(2026, 3, 10)
    assert supervision.check_supervise(" 请本周内答复 ", today, today) == "请本周内答复"
    with pytest.raises(ValidationError) as e:
        supervision.check_supervise(" ", None, today)
    assert e.value.errors == {"supervised_note": "请写明督办意见（要求和时限）", "supervised_on": "请填写督办日期"}
    with pytest.raises(ValidationError) as e:
        supervision.check_supervise("x" * 201, dt.date(2026, 3, 11), today)
    assert e.value.errors == {"supervised_note": "督办意见不能超过200个字", "supervised_on": "督办日期不能晚于今天"}
    assert supervision.check_supervise("x" * 200, today, today) == "x" * 200
    with pytest.raises(ValidationError) as e:
        supervision.check_lift("")
    assert e.value.errors == {"lift_note": "请写明解除督办的理由"}
    with pytest.raises(ValidationError) as e:
        supervision.check_lift("y" * 201)
    assert e.value.errors == {"lift_note": "说明不能超过200个字"}
    assert supervision.check_lift(" 已答复 ") == "已答复"
    assert supervision.Supervision(today, "请本周内答复", "王主任").text == "督办（2026年3月10日，王主任）：请本周内答复"


# --- working days --------------------------------------------------------------------------------------------------

# 2026's 国庆 as the State Council set it: 1–8 October off, Sunday 27 September and Saturday 10 October worked
OCTOBER = workdays.Calendar.of([*((dt.date(2026, 10, d), "holiday") for d in range(1, 9)),
                                (dt.date(2026, 9, 27), "workday"), (dt.date(2026, 10, 10), "workday"),
                                (dt.date(2026, 1, 1), "holiday")])


def test_a_calendar_from_the_tables_rows() -> None:
    assert OCTOBER.years == frozenset({2026})
    assert dt.date(2026, 10, 1) in OCTOBER.holidays and dt.date(2026, 9, 27) in OCTOBER.workdays
    assert dt.date(2026, 9, 27) not in OCTOBER.holidays and dt.date(2026, 10, 1) not in OCTOBER.workdays
    assert OCTOBER.knows(dt.date(2026, 12, 31)) and not OCTOBER.knows(dt.date(2027, 1, 1))
    assert OCTOBER.is_workday(dt.date(2026, 9, 25))  # a Friday
    assert not OCTOBER.is_workday(dt.date(2026, 9, 26))  # a Saturday
    assert OCTOBER.is_workday(dt.date(2026, 9, 27))  # a Sunday worked
    assert not OCTOBER.is_workday(dt.date(2026, 10, 5))  # a Monday off


def test_five_working_days_counted_by_hand() -> None:
    # from Friday 25 September: Sun 27 (worked), Mon 28, Tue 29, Wed 30, then 1–8 off, Fri 9
    assert workdays.add_workdays(OCTOBER, dt.date(2026, 9, 25), 5) == workdays.Due(dt.date(2026, 10, 9), True)
    # an ordinary week: from Monday 16 November, five working days end on Monday 23 November
    assert workdays.add_workdays(OCTOBER, dt.date(2026, 11, 16), 5) == workdays.Due(dt.date(2026, 11, 23), True)
    assert workdays.add_workdays(OCTOBER, dt.date(2026, 11, 16), 0) == workdays.Due(dt.date(2026, 11, 16), True)
    assert workdays.add_workdays(OCTOBER, dt.date(2026, 11, 20), 1) == workdays.Due(dt.date(2026, 11, 23), True)


def test_a_year_the_table_does_not_know_is_counted_in_calendar_days_and_said() -> None:
    due = workdays.add_workdays(OCTOBER, dt.date(2026, 12, 29), 5)
    assert due == workdays.Due(dt.date(2027, 1, 3), False, "节假日表中没有2027年，按5个自然日计算（2027年1月3日）；请管理员添加当年的节假日")
    assert workdays.add_workdays(OCTOBER, dt.date(2026, 12, 30), 1) == workdays.Due(dt.date(2026, 12, 31), True)


# A year's days as the administrator copies them from the State Council's notice (the 节假日表 window): 2028's
# 元旦 falls on Saturday 1 January; 春节 is Wednesday 26 January to Tuesday 1 February, Saturday 29 and Sunday 30
# January being weekend days inside it.
HINT = "每项写“节日:日期”或“节日:起始日期..结束日期”，各项用逗号或换行隔开，如 春节:2028-01-26..2028-02-01"
J = dt.date


def test_a_years_days_off_read_as_written() -> None:
    days, wrong = workdays.parse_days("元旦:2028-01-01..2028-01-03，春节：2028-01-26～2028-02-01; 清明节:2028-04-04", 2028,
                                      "holiday")
    assert wrong == ""
    assert days == [(J(2028, 1, 1), "元旦"), (J(2028, 1, 2), "元旦"), (J(2028, 1, 3), "元旦"),
                    *((J(2028, 1, d), "春节") for d in range(26, 32)), (J(2028, 2, 1), "春节"),
                    (J(2028, 4, 4), "清明节")]
    # every separator between items, every way of writing a range, spaces anywhere, in any order: sorted by day
    written = "劳动节:2028-05-01 至 2028-05-02、清明节:2028-04-04\n元旦:2028-01-01 — 2028-01-01；国庆:2028-10-01 – 2028-10-02, 端午:2028-05-28~2028-05-28"
    assert workdays.parse_days(written, 2028, "holiday") == ([
        (J(2028, 1, 1), "元旦"), (J(2028, 4, 4), "清明节"), (J(2028, 5, 1), "劳动节"), (J(2028, 5, 2), "劳动节"),
        (J(2028, 5, 28), "端午"), (J(2028, 10, 1), "国庆"), (J(2028, 10, 2), "国庆")], "")
    assert workdays.parse_days("", 2028, "holiday") == ([], "")
    assert workdays.parse_days(None, 2028, "holiday") == ([], "")  # type: ignore[arg-type]
    assert workdays.parse_days(" ,，\n ", 2028, "holiday") == ([], "")
    # a festival's name: its spaces made one; 20 characters at most; the last colon ends it
    assert workdays.parse_days("  国庆 \t 中秋 : 2028-10-03", 2028, "holiday") == ([(J(2028, 10, 3), "国庆 中秋")], "")
    assert workdays.parse_days("节" * 20 + ":2028-10-03", 2028, "holiday") == ([(J(2028, 10, 3), "节" * 20)], "")
    assert workdays.parse_days("国庆:中秋:2028-10-03", 2028, "holiday") == ([(J(2028, 10, 3), "国庆:中秋")], "")
    assert workdays.parse_days("国庆：中秋：2028-10-03", 2028, "holiday") == ([(J(2028, 10, 3), "国庆：中秋")], "")
    # pasted with a separator first, or an item of spaces between: the rest is read all the same
    assert workdays.parse_days("\n元旦:2028-01-01， ，春节:2028-01-26", 2028, "holiday") == (
        [(J(2028, 1, 1), "元旦"), (J(2028, 1, 26), "春节")], "")
    # the longest range: 1 January to 1 February is 32 days, one more than a month's 31 days after the first
    assert len(workdays.parse_days("寒假:2028-01-01..2028-02-01", 2028, "holiday")[0]) == 32


@pytest.mark.parametrize(("written", "kind", "message"), [
    ("2028-01-01", "holiday", "“2028-01-01”没有写节日名称；" + HINT),
    (" :2028-01-01", "holiday", "“:2028-01-01”没有写节日名称；" + HINT),
    ("元旦:2028-01-01，：2028-01-02", "holiday", "“：2028-01-02”没有写节日名称；" + HINT),
    ("节" * 21 + ":2028-01-01", "holiday", "节日名称“" + "节" * 20 + "…”太长（不超过20字）"),
    ("春节:2028-01-26..2028-01-27..2028-01-28", "holiday", "“2028-01-26..2028-01-27..2028-01-28”不是日期或日期范围"),
    ("春节: 2028-01-26.. ", "holiday", "“2028-01-26..”不是日期或日期范围"),
    ("春节:..2028-01-26", "holiday", "“..2028-01-26”不是日期或日期范围"),
    ("春节: 2028-02-30", "holiday", "“2028-02-30”：这一天不存在，请核对月份和日期"),
    ("春节:2028-01-26..2028-02-30", "holiday", "“2028-01-26..2028-02-30”：这一天不存在，请核对月份和日期"),
    ("春节:2028-02-01..2028-01-26", "holiday", "“2028-02-01..2028-01-26”：结束日期早于开始日期"),
    ("元旦:2027-12-31..2028-01-01", "holiday", "“2027-12-31..2028-01-01”不在2028年"),
    ("元旦:2028-12-31..2029-01-01", "holiday", "“2028-12-31..2029-01-01”不在2028年"),
    ("元旦:2029-01-01", "holiday", "“2029-01-01”不在2028年"),
    ("寒假:2028-01-01..2028-02-02", "holiday", "“2028-01-01..2028-02-02”超过一个月，请核对"),
    ("元旦:2028-01-01，春节:2027-12-31..2028-01-01..2028-01-02", "holiday",
     "“2027-12-31..2028-01-01..2028-01-02”不是日期或日期范围"),
    ("元旦:2028-01-01，元旦:2028-01-01", "holiday", "2028年1月1日写了两次"),
    ("元旦:2028-01-01..2028-01-03，春节:2028-01-03", "holiday", "2028年1月3日写了两次"),
    ("春节:2028-01-28", "workday", "2028年1月28日是星期五，调休上班的日子应是星期六或星期日"),
    ("春节:2028-01-29..2028-01-31", "workday", "2028年1月31日是星期一，调休上班的日子应是星期六或星期日"),
])
def test_a_wrong_day_is_told_what_is_wrong(written: str, kind: str, message: str) -> None:
    assert workdays.parse_days(written, 2028, kind) == ([], message)


def test_a_weekend_worked_and_a_weekday_off() -> None:
    # a Saturday and a Sunday may be worked; any day may be off
    assert workdays.parse_days("春节:2028-01-29..2028-01-30", 2028, "workday") == (
        [(J(2028, 1, 29), "春节"), (J(2028, 1, 30), "春节")], "")
    assert workdays.parse_days("春节:2028-01-28", 2028, "holiday") == ([(J(2028, 1, 28), "春节")], "")


TODAY = J(2026, 12, 7)


def test_a_years_table_checked_as_a_whole() -> None:
    off, worked = workdays.check_year(2028, "元旦:2028-01-01，春节:2028-01-26..2028-01-28", "春节:2028-01-29", TODAY)
    assert off == [(J(2028, 1, 1), "元旦"), (J(2028, 1, 26), "春节"), (J(2028, 1, 27), "春节"), (J(2028, 1, 28), "春节")]
    assert worked == [(J(2028, 1, 29), "春节")]
    assert workdays.check_year(2000, "元旦:2000-01-01", "", TODAY) == ([(J(2000, 1, 1), "元旦")], [])
    assert workdays.check_year(2031, "元旦:2031-01-01", "", TODAY)[0] == [(J(2031, 1, 1), "元旦")]


@pytest.mark.parametrize(("year", "holidays", "worked", "errors"), [
    (1999, "元旦:1999-01-01", "", {"year": "年份应在2000年至2031年之间"}),
    (2032, "", "春节:2028-01-28", {"year": "年份应在2000年至2031年之间"}),  # only the year is told
    (2028, "", "", {"holidays": "请写明2028年的放假日期；" + HINT}),
    (2028, " ，\n", "春节:2028-01-29", {"holidays": "请写明2028年的放假日期；" + HINT}),
    (2028, "元旦:2028-02-30", "", {"holidays": "“2028-02-30”：这一天不存在，请核对月份和日期"}),
    (2028, "元旦:2028-01-01", "春节:2028-01-28", {"workdays": "2028年1月28日是星期五，调休上班的日子应是星期六或星期日"}),
    (2028, "元旦", "春节:2028-01-28", {"holidays": "“元旦”没有写节日名称；" + HINT,
                                        "workdays": "2028年1月28日是星期五，调休上班的日子应是星期六或星期日"}),
    (2028, "", "春节:2028-01-28", {"holidays": "请写明2028年的放假日期；" + HINT,
                                    "workdays": "2028年1月28日是星期五，调休上班的日子应是星期六或星期日"}),
    (2028, "春节:2028-01-26..2028-02-01", "春节:2028-01-30，春节:2028-01-29",
     {"workdays": "2028年1月29日既写在放假里，又写在调休上班里"}),
])
def test_a_wrong_years_table_is_told_under_its_field(year: int, holidays: str, worked: str,
                                                      errors: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as e:
        workdays.check_year(year, holidays, worked, TODAY)
    assert e.value.errors == errors


def test_a_years_days_written_back_as_the_administrator_writes_them() -> None:
    assert workdays.write_days([]) == ""
    assert workdays.write_days([(J(2028, 1, 2), "元旦"), (J(2028, 4, 4), "清明节"), (J(2028, 1, 1), "元旦"),
                                (J(2028, 1, 3), "元旦"), (J(2028, 1, 4), "春节"), (J(2028, 1, 6), "春节")]) == (
        "元旦:2028-01-01..2028-01-03，春节:2028-01-04，春节:2028-01-06，清明节:2028-04-04")


# --- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026年3月1日", "2026年3月1号", "2026 年 3 月 1", "2026-3-1", "2026-03-01", "2026/3/1",
                                  "2026.3.1", "2026 3 1", "20260301", "２０２６－３－１", " 2026 / 03 / 01 "],
                         ids=["nian", "hao", "spaced", "dash", "iso", "slash", "dot", "space", "compact", "full-width",
                              "padded"])
def test_dates_as_people_write_them(text: str) -> None:
    assert dates.parse_date(text) == dt.date(2026, 3, 1)


def test_dates_that_cannot_be_read_or_do_not_exist() -> None:
    for text in ("", "3月1日", "2026-3", "2026年13月", "明天", "202631", "2026-3-1-1"):
        with pytest.raises(dates.DateError) as e:
            dates.parse_date(text)
        assert str(e.value) == "看不出是哪一天，请写成2026年3月1日、2026-3-1或20260301"
    for text in ("2026-2-29", "2026年4月31日", "20261301"):
        with pytest.raises(dates.DateError) as e:
            dates.parse_date(text)
        assert str(e.value) == "这一天不存在，请核对月份和日期"
    assert dates.parse_date("2024-2-29") == dt.date(2024, 2, 29)


def test_dates_shown_and_stored() -> None:
    assert dates.format_cn(dt.date(2026, 3, 1)) == "2026年3月1日"
    assert dates.format_cn("2026-03-01T10:00:00") == "2026年3月1日"
    assert dates.format_cn(None) == "" and dates.format_cn("") == ""
    assert dates.format_cn_datetime(dt.datetime(2026, 3, 10, 9, 5, 7)) == "2026年3月10日 09:05"
    assert dates.format_cn_datetime("2026-03-10T09:05:07", seconds=True) == "2026年3月10日 09:05:07"
    assert dates.format_cn_datetime(None) == "" and dates.format_cn_datetime("") == ""
    assert dates.to_iso(dt.date(2026, 3, 1)) == "2026-03-01" and dates.to_iso(None) is None
    assert dates.from_iso("2026-03-01T08:00") == dt.date(2026, 3, 1) and dates.from_iso("") is None
    assert dates.from_iso(None) is None


def test_ages_in_whole_years() -> None:
    birth = dt.date(2008, 3, 10)
    assert dates.age_on(birth, dt.date(2026, 3, 9)) == 17
    assert dates.age_on(birth, dt.date(2026, 3, 10)) == 18


def test_date_limits_say_which_date_and_why() -> None:
    today = dt.date(2026, 3, 10)
    assert dates.too_early(dt.date(1949, 4, 2), "收到日期") == "收到日期不能早于1949年4月3日，请核对年份"
    assert dates.too_early(dt.date(1949, 4, 3), "收到日期") == ""
    assert dates.too_early(dt.date(1899, 12, 31), "出生日期", dates.EARLIEST_BIRTH) == "出生日期不能早于1900年1月1日，请核对年份"
    assert dates.out_of_range(today, "走访日期", today) == ""
    assert dates.out_of_range(dt.date(2026, 3, 11), "走访日期", today) == "走访日期不能晚于今天"
    assert dates.out_of_range(dt.date(1949, 1, 1), "走访日期", today) == "走访日期不能早于1949年4月3日，请核对年份"
    assert dates.too_far_ahead(dt.date(2031, 3, 10), "回访日期", today) == ""
    assert dates.too_far_ahead(dt.date(2031, 3, 11), "回访日期", today) == "回访日期不能晚于5年以后，请核对年份"
    assert dates.too_far_ahead(dt.date(1949, 1, 1), "回访日期", today) == "回访日期不能早于1949年4月3日，请核对年份"


# --- money -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "fen"), [("500", 50000), ("1234.5", 123450), ("1,234.50", 123450), ("¥12", 1200),
                                           ("￥12元", 1200), ("1，000", 100000), ("", 0), ("  ", 0), ("0.01", 1),
                                           ("12元", 1200), ("0", 0)],
                         ids=["500", "one-decimal", "comma", "yen", "full-yen", "cn-comma", "empty", "blank", "fen",
                              "yuan", "zero"])
def test_amounts_as_typed(text: str, fen: int) -> None:
    assert money.parse_yuan(text) == fen


def test_wrong_amounts_are_told() -> None:
    for text, message in (("五百", "金额应为数字，如 500 或 1234.50"), ("-1", "金额不能为负数"),
                          ("1.234", "金额最多到分（两位小数）"), ("X5", "金额应为数字，如 500 或 1234.50")):
        with pytest.raises(money.MoneyError) as e:
            money.parse_yuan(text)
        assert str(e.value) == message


def test_amounts_shown() -> None:
    assert money.format_yuan(123450) == "¥1,234.50"
    assert money.format_yuan(5) == "¥0.05"
    assert money.format_yuan(-100) == "-¥1.00"
    assert money.format_yuan(123456789) == "¥1,234,567.89"


@pytest.mark.parametrize(("fen", "words"), [
    (0, "零元整"),
    (1, "壹分"),
    (10, "壹角"),
    (11, "壹角壹分"),
    (100, "壹元整"),
    (101, "壹元零壹分"),
    (110, "壹元壹角"),
    (1000, "壹拾元整"),
    (10000, "壹佰元整"),
    (10050, "壹佰元伍角"),
    (100100, "壹仟零壹元整"),
    (101000, "壹仟零壹拾元整"),
    (110000, "壹仟壹佰元整"),
    (1000000, "壹万元整"),
    (1000100, "壹万零壹元整"),
    (1010000, "壹万零壹佰元整"),
    (10000000, "壹拾万元整"),
    (12345650, "壹拾贰万叁仟肆佰伍拾陆元伍角"),
    (10000000000, "壹亿元整"),
    (10000010000, "壹亿零壹佰元整"),
    (10100000000, "壹亿零壹佰万元整"),
    (101100, "壹仟零壹拾壹元整"),
    (1100000, "壹万壹仟元整"),
    (10000100000, "壹亿零壹仟元整"),
    (-100, "负壹元整"),
], ids=lambda v: str(v) if isinstance(v, int) else "w")
def test_capital_numerals_as_on_a_receipt(fen: int, words: str) -> None:
    assert money.capital(fen) == words


# --- pinyin initials ----------------------------------------------------------------------------------------------


def test_initials_of_a_name() -> None:
    assert names.pinyin_initials("张三") == "zs"
    assert names.pinyin_initials("Li 丽-2") == "lil2"  # ASCII letters and digits kept, lower case
    assert names.pinyin_initials("") == ""
    assert {"zxs", "zxd", "cxs", "cxd"} <= set(names.pinyin_initials("曾小单").split())
    assert len(names.pinyin_initials("曾单曾单曾单").split()) == 8  # at most eight variants


# --- accounts' own rules -------------------------------------------------------------------------------------------


def _account_errors(username: str = "lili", name: str = "李丽", roles: frozenset[str] = frozenset({"window"}),
                    password: str = "first-pass-1") -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        accounts.validate_new_account(username, name, roles, password)
    return e.value.errors


def test_a_new_accounts_fields_are_checked_one_by_one() -> None:
    assert accounts.validate_new_account(" ｌｉｌｉ ", " 李  丽 ", {"window", "admin"}, "first-pass-1") == (
        "lili", "李 丽", frozenset({"window", "admin"}), "first-pass-1")
    assert _account_errors(username=" ") == {"username": "请填写登录用的用户名"}
    rule = "用户名为2到20个字，可用汉字、字母、数字、点、下划线和短横线，不能有空格"
    for bad in ("l", "li li", "l" * 21, "li@x"):
        assert _account_errors(username=bad) == {"username": rule}
    for good in ("li", "l" * 20, "li.li_x-1", "李丽"):
        accounts.validate_new_account(good, "李丽", {"window"}, "first-pass-1")
    assert _account_errors(name="  ") == {"display_name": "请填写工作人员的姓名"}
    assert _account_errors(name="李" * 21) == {"display_name": "姓名不能超过20个字"}
    accounts.validate_new_account("lili", "李" * 20, {"window"}, "first-pass-1")
    assert _account_errors(roles=frozenset()) == {"roles": "请至少选择一个角色"}
    assert _account_errors(roles=frozenset({"window", "boss"})) == {"roles": "不认识的角色"}


@pytest.mark.parametrize(("password", "message"), [
    ("short-1", "密码至少8位"),
    ("p" * 129, "密码不能超过128位"),
    (" padded-pass", "密码的开头和结尾不能是空格"),
    ("padded-pass ", "密码的开头和结尾不能是空格"),
    ("LiLi-2026", "密码不能与用户名相同"),
    ("aaaaaaaa", "密码太简单了，请换一个"),
    ("abababab", "密码太简单了，请换一个"),
], ids=["seven", "129", "space-first", "space-last", "user-name", "one-letter", "two-letters"])
def test_a_password_too_weak_is_refused(password: str, message: str) -> None:
    errors: dict[str, str] = {}
    accounts.check_password(password, "lili-2026", errors)
    assert errors == {"password": message}


def test_passwords_at_their_edges_are_taken() -> None:
    for password in ("abcabcab", "p" * 126 + "q1", "abcdefgh"):
        errors: dict[str, str] = {}
        assert accounts.check_password(password, "lili", errors, "new") == password
        assert errors == {}
    errors = {}
    accounts.check_password("abc", "lili", errors, "new")
    assert errors == {"new": "密码至少8位"}


def test_user_names_are_compared_without_case_width_or_spaces() -> None:
    assert accounts.normalize_username(" ＬｉＬｉ ") == "lili"
    assert accounts.normalize_password("e\u0301") == "\u00e9"


def test_roles_as_written_and_shown() -> None:
    assert accounts.roles_text({"admin", "window", "director"}) == "window,director,admin"
    assert accounts.roles_from_text("window,,admin") == frozenset({"window", "admin"})
    assert accounts.roles_from_text("") == frozenset()
    a = accounts.Account(1, "lili", "李丽", frozenset({"admin", "window"}))
    assert a.role_labels == "窗口工作人员、管理员"
    assert accounts.Account(2, "x", "x").role_labels == "（没有角色）"
    assert (a.active, a.must_change, a.last_login) == (True, False, "")


def test_the_recovery_key_in_two_lines_of_four_groups() -> None:
    assert accounts.recovery_key_lines("abcd-efgh jklm npqr stuv wxyz 2345 6789") == (
        "ABCD EFGH JKLM NPQR", "STUV WXYZ 2345 6789")
    assert accounts.recovery_key_lines("abcdefgh") == ("ABCD EFGH", "")


# --- how long a text may be (domain/limits.py) ---------------------------------------------------------------------


def test_a_text_past_its_limit_is_cut_to_it_ending_in_an_ellipsis() -> None:
    assert limits.cut("春风十里", 5) == "春风十里"  # shorter: as it is
    assert limits.cut("春风十里路", 5) == "春风十里路"  # exactly the limit: as it is
    assert limits.cut("春风十里路远", 5) == "春风十里…"  # one more: four kept, the fifth is …
    assert limits.cut("春风十里路远", 2) == "春…"
    assert limits.cut("春风", 1) == "…"  # room for one character: only the …


def test_printing_cuts_each_text_past_its_limit_in_the_record_and_in_the_records_it_holds() -> None:
    name = "欧阳" * 16  # 32 characters; a mediator's name holds 30
    long = Mediator(name, phone="0734-2234567", title="专职调解员")
    assert limits.fitted(long) == Mediator("欧阳" * 14 + "欧…", phone="0734-2234567", title="专职调解员")
    assert long.name == name  # the record itself is left as it was

    case = Mediation(dt.date(2026, 3, 2), "来访", "婚姻纠纷", "夫妻", "城关镇", "村" * 41, "双方因抚养费争执", "调解抚养费",
                     "王芳", [], mediators=[long])
    printed = limits.fitted(case)
    assert printed.village == "村" * 39 + "…"  # 村（社区） holds 40
    assert printed.mediators == [Mediator("欧阳" * 14 + "欧…", phone="0734-2234567", title="专职调解员")]
    assert (printed.facts, printed.township, printed.received_on) == ("双方因抚养费争执", "城关镇", dt.date(2026, 3, 2))
    assert case.village == "村" * 41 and case.mediators[0].name == name

    only_inside = dataclasses.replace(case, village="东风村")  # only the mediator inside is too long
    assert limits.fitted(only_inside).mediators[0].name == "欧阳" * 14 + "欧…"
    assert limits.fitted(only_inside).village == "东风村"


def test_a_record_within_its_limits_prints_as_it_is() -> None:
    short = Mediator("欧阳" * 15, phone="0734-2234567", title="专职调解员")  # 30 characters: exactly the limit
    case = Mediation(dt.date(2026, 3, 2), "来访", "婚姻纠纷", "夫妻", "城关镇", "村" * 40, "双方因抚养费争执", "调解抚养费",
                     "王芳", [], mediators=[short, Mediator("李红")])
    assert limits.fitted(short) is short
    assert limits.fitted(case) is case
    assert limits.fitted(case.mediators) is case.mediators
    assert limits.fitted("村" * 400) == "村" * 400  # a text on its own has no limit


def test_each_field_past_its_limit_is_named_once_with_its_label() -> None:
    errors = {"mediators.1.title": "请选择调解员的身份"}  # a message already there is kept
    limits.check(Mediator("欧阳" * 16, phone="1" * 25, title="专" * 41), errors, prefix="mediators.1.")
    assert errors == {"mediators.1.name": "调解员姓名不能超过30个字", "mediators.1.phone": "电话不能超过24个字",
                      "mediators.1.title": "请选择调解员的身份"}

    at_the_limit: dict[str, str] = {}
    limits.check(Mediator("欧阳" * 15, phone="1" * 24, title="专" * 40), at_the_limit)
    assert at_the_limit == {}

    given: dict[str, str] = {}  # limits given instead of the record type's; a field the record lacks is skipped
    limits.check(Mediator("李红", title="专职调解员"), given, limits={"name": ("姓名", 1), "nickname": ("别名", 1),
                                                                      "active": ("在职", 1)})
    assert given == {"name": "姓名不能超过1个字"}
    assert limits.too_long("李红", "姓名", 2) == "" and limits.too_long("欧阳红", "姓名", 2) == "姓名不能超过2个字"


def test_a_text_given_on_its_own_is_cleaned_and_checked() -> None:
    errors: dict[str, str] = {}
    assert limits.clean_text("  对方\t不同意\r\n调解  ", "reason", "理由", errors, most=9) == "对方 不同意\n调解"  # 9, the line break counted
    assert limits.clean_text("  对方\t不同意\r\n调解  ", "reason", "理由", errors, multiline=False) == "对方 不同意 调解"
    assert limits.clean_text("", "reason", "理由", errors) == ""  # nothing asked for: nothing to say
    assert errors == {}

    assert limits.clean_text("  ", "reason", "理由", errors, required="请填写不予受理的理由", most=1) == ""
    assert errors == {"reason": "请填写不予受理的理由"}

    too_long: dict[str, str] = {}
    assert limits.clean_text("一二三四五六七八九", "reply", "答复", too_long, most=8, required="请填写答复") == "一二三四五六七八九"
    assert too_long == {"reply": "答复不能超过8个字"}

    broken: dict[str, str] = {}
    assert limits.clean_text("答复\ud800", "reply", "答复", broken, most=1) == "答复\ud800"  # kept as typed
    assert broken == {"reply": "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"}


def test_each_kind_declares_its_limits_where_its_records_are_defined() -> None:
    assert limits.of(Mediator) == {"name": ("调解员姓名", 30), "phone": ("电话", 24), "title": ("身份", 40)}
    assert limits.of(int) == {}
    every = limits.defined()
    assert every[Mediator] is limits.of(Mediator)
    every.pop(Mediator)
    assert Mediator in limits.defined()  # a copy: the program's table is not changed through it
    again = limits.define(Mediator, mediation.MEDIATOR_LIMITS)  # declaring the same limits again changes nothing
    assert again is mediation.MEDIATOR_LIMITS and limits.of(Mediator) is again


# --- the four kinds (domain/kinds.py) -------------------------------------------------------------------------------


def test_the_kinds_as_counted_and_as_numbered() -> None:
    assert [kinds.count_label(k) for k in ("petition", "referral", "mediation", "household", "other")] == [
        "信访", "转介", "婚姻家庭纠纷调解", "帮扶户走访", "other"]  # 转介: every service together
    assert [kinds.number_prefix(k) for k in ("petition", "referral", "mediation", "household")] == [
        "信访", "援转", "婚调", "帮扶"]
    assert kinds.number_prefix("referral", "法律援助") == "援转"
    assert kinds.number_prefix("referral", "庇护所") == "转介"
    assert kinds.number_prefix("petition", "庇护所") == "信访"  # only a referral has a service
    assert kinds.kind_label("referral") == "法律援助转介" and kinds.kind_label("referral", "法律援助") == "法律援助转介"
    assert kinds.kind_label("referral", "庇护所") == "转介（庇护所）"
    assert kinds.kind_label("mediation", "庇护所") == "婚姻家庭纠纷调解" and kinds.kind_label("other") == "other"


def test_a_note_is_kept_trimmed_and_an_empty_one_is_refused() -> None:
    assert kinds.note_text("  已电话回访，当事人情绪稳定。\n") == "已电话回访，当事人情绪稳定。"
    with pytest.raises(ValidationError) as refused:
        kinds.note_text(" \n\t ")
    assert refused.value.errors == {"note": "请输入备注内容"}
