"""ID numbers, phones, dates, money, deadlines and case numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import deadlines, idcard, money, phone
from fulian_desktop.domain.dates import DateError, format_cn, parse_date
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.numbering import format_case_no, parse_case_no
from fulian_desktop.domain.people import check_person
from fulian_desktop.domain.records import Person

TODAY = dt.date(2026, 3, 10)

# made-up numbers with correct check digits (computed by hand from GB 11643's weights)
VALID = [
    ("11010519491231002X", dt.date(1949, 12, 31), "女"),
    ("430421199005062329", dt.date(1990, 5, 6), "女"),
    ("110101200002290026", dt.date(2000, 2, 29), "女"),  # leap day
    ("430421198807150019", dt.date(1988, 7, 15), "男"),
]


def test_check_digit_known_example() -> None:
    # the example printed in GB 11643-1999
    assert idcard.check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(("number", "birth", "sex"), VALID)
def test_valid_numbers(number: str, birth: dt.date, sex: str) -> None:
    info = idcard.parse_id_number(number, TODAY)
    assert info.birth_date == birth
    assert info.sex == sex


def test_lower_case_x_and_spaces_and_full_width_accepted() -> None:
    assert idcard.parse_id_number(" 11010519491231002x ").number == "11010519491231002X"
    assert idcard.parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "18位"),
        ("110105194912310021", "校验位"),
        ("1101051949123100XX", "前17位"),
        ("110105194902300021", "出生日期不存在"),  # 30 February
        ("110105219901010021", "不合理"),  # born in 2199
        ("430421199005062328", "校验位"),  # one digit off
    ],
)
def test_invalid_numbers(number: str, message: str) -> None:
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse_id_number(number, TODAY)


def test_made_up_numbers_validate() -> None:
    for serial in range(300):
        n = idcard.make_id_number("430999", dt.date(1988, 2, 29), serial, female=serial % 2 == 0)
        info = idcard.parse_id_number(n, TODAY)
        assert info.sex == ("女" if serial % 2 == 0 else "男")


def test_mask() -> None:
    assert idcard.mask("430421199005062329") == "4304**********2329"
    assert phone.mask("13800138000") == "138****8000"


def test_person_contradictions_are_shown() -> None:
    errors: dict[str, str] = {}
    p = check_person(
        Person(name="张三", sex="男", birth_date=dt.date(1991, 1, 1), id_number="430421199005062329"), TODAY, errors
    )
    assert "身份证号显示为女" in errors["sex"]
    assert "1990年5月6日" in errors["birth_date"]
    assert p.id_number == "430421199005062329"


def test_person_filled_from_id_number() -> None:
    errors: dict[str, str] = {}
    p = check_person(Person(name="张三", id_number="430421199005062329"), TODAY, errors)
    assert not errors
    assert p.sex == "女" and p.birth_date == dt.date(1990, 5, 6)


@pytest.mark.parametrize("good", ["13800138000", "+86 138 0013 8000", "0734-8123456", "010-62345678",
                                  "（0734）8123456", "8123456", "12338"])
def test_good_phones(good: str) -> None:
    phone.validate_phone(good)


@pytest.mark.parametrize(("bad", "message"), [("1380013800", "11位"), ("12800138000", "13—19"), ("0734-12", "区号"),
                                              ("电话", "数字")])
def test_bad_phones(bad: str, message: str) -> None:
    with pytest.raises(phone.PhoneError, match=message):
        phone.validate_phone(bad)


def test_dates() -> None:
    assert parse_date("2026年3月1日") == dt.date(2026, 3, 1)
    assert parse_date("2026/3/1") == dt.date(2026, 3, 1)
    assert format_cn(dt.date(2020, 6, 26)) == "2020年6月26日"
    with pytest.raises(DateError):
        parse_date("2026-02-30")
    with pytest.raises(DateError):
        parse_date("昨天")


def test_money() -> None:
    assert money.parse_yuan("1,234.5") == 123450
    assert money.format_yuan(123450) == "¥1,234.50"
    assert money.capital(123450) == "壹仟贰佰叁拾肆元伍角"
    assert money.capital(50000) == "伍佰元整"
    assert money.capital(100000000) == "壹佰万元整"
    assert money.capital(1000500) == "壹万零伍元整"
    assert money.capital(10010000) == "壹拾万零壹佰元整"
    assert money.capital(5) == "伍分"
    assert money.capital(0) == "零元整"
    assert money.capital(101) == "壹元零壹分"
    with pytest.raises(money.MoneyError):
        money.parse_yuan("1.234")
    with pytest.raises(money.MoneyError):
        money.parse_yuan("-5")


def test_accept_deadline_is_15_days_across_month_end_and_leap_day() -> None:
    assert deadlines.accept_deadline(dt.date(2026, 1, 20)).due_on == dt.date(2026, 2, 4)
    assert deadlines.accept_deadline(dt.date(2024, 2, 20)).due_on == dt.date(2024, 3, 6)  # leap year
    assert deadlines.accept_deadline(dt.date(2026, 12, 25)).due_on == dt.date(2027, 1, 9)


def test_conclude_deadline_with_extension() -> None:
    assert deadlines.conclude_deadline(dt.date(2024, 1, 1)).due_on == dt.date(2024, 3, 1)  # 2024 is leap
    assert deadlines.conclude_deadline(dt.date(2025, 1, 1)).due_on == dt.date(2025, 3, 2)
    assert deadlines.conclude_deadline(dt.date(2025, 1, 1), 30).due_on == dt.date(2025, 4, 1)


def test_deadline_states() -> None:
    d = deadlines.Deadline("办结", dt.date(2026, 3, 10))
    assert d.state(dt.date(2026, 3, 11)) == "overdue"
    assert d.state(dt.date(2026, 3, 5)) == "due_soon"
    assert d.state(dt.date(2026, 2, 1)) == "ok"
    assert d.describe(dt.date(2026, 3, 13)) == "办结已逾期3天"


def test_case_numbers() -> None:
    assert format_case_no("petition", 2026, 1) == "信访〔2026〕第0001号"
    assert format_case_no("referral", 2026, 7) == "援转〔2026〕第0007号"  # legal aid, when no service is named
    assert format_case_no("referral", 2026, 7, service="派出所") == "转介〔2026〕第0007号"
    assert parse_case_no("信访〔2026〕第0001号") == ("petition", 2026, 1)
    assert parse_case_no("信访[2026]第12号") == ("petition", 2026, 12)
    assert parse_case_no("nonsense") is None


def test_extension_only_once_and_at_most_30_days() -> None:
    from fulian_desktop.domain import petition as rules
    from fulian_desktop.domain.records import Petition

    p = Petition(channel="来访", received_on=TODAY, petitioner=Person(name="甲"), concerned=None, headcount=1,
                 township="t", village="", category="c", subcategory="", facts="f", request="r", dv=False,
                 safety_risk=False, receiving_staff="s", status="accepted", accepted_on=TODAY)
    with pytest.raises(ValidationError):
        rules.check_extend(p, 31, "理由")
    with pytest.raises(ValidationError):
        rules.check_extend(p, 10, " ")
    rules.check_extend(p, 30, "需要调查")
    p.extension_days = 30
    with pytest.raises(RuleError, match="一次"):
        rules.check_extend(p, 5, "再延")


def test_pinyin_initials() -> None:
    from fulian_desktop.domain.names import pinyin_initials

    assert pinyin_initials("张三") == "zs"
    assert pinyin_initials("欧阳娜娜") == "oynn"
    assert "zx" in pinyin_initials("曾小") and "cx" in pinyin_initials("曾小")  # both readings of 曾


def test_shipped_pinyin_table_is_current() -> None:
    pytest.importorskip("pypinyin")
    from fulian_desktop.domain import names
    from fulian_desktop.paths import resources_dir

    shipped = (resources_dir() / names.TABLE_FILE).read_text(encoding="utf-8")
    assert shipped == names.build_table(), "run python -m fulian_desktop.domain.names"
