"""The texts every record shares (domain/text.py), a person's details (domain/people.py) and a correction's words
(domain/corrections.py), answers worked out by hand (fast: in the mutation selection). Masks as the lists show
them: an ID number keeps its first and last four characters (4305**********0020), a phone its first three and
last four (138****8000). Every person here is made up.

ID numbers used (check digit by GB 11643): 430521198001010020 (woman, 1980-01-01), 430521199001010017 (man,
1990-01-01).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from fulian_desktop.domain import corrections, people, statuses, text
from fulian_desktop.domain.corrections import Correction, LastStep
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition

D = dt.date
TODAY = D(2026, 3, 10)
BAD = "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"
HER_ID = "430521198001010020"
HIS_ID = "430521199001010017"

# --- text ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "one_line", "lines"), [
    ("", "", ""),
    ("  王  秀英 ", "王 秀英", "王 秀英"),
    ("e\u0301", "\u00e9", "\u00e9"),  # typed one way, pasted another: stored once
    ("王\x00秀\u200b英\u202e", "王秀英", "王秀英"),
    ("\u2066王\u2069 \u2060秀\ufeff英\u200c\u200d", "王 秀英", "王 秀英"),
    (" 第一行 \r\n\t第二行\x07 \n\n", "第一行 第二行", "第一行\n第二行"),
    ("甲\r乙\n\n丙", "甲 乙 丙", "甲\n乙\n\n丙"),
    ("\n\n甲\t\t乙\n", "甲 乙", "甲 乙"),
    ("X号\n末位为X\n", "X号 末位为X", "X号\n末位为X"),  # only line breaks are taken off the ends, not a letter
    ("a\ud7ffb", "a\ud7ffb", "a\ud7ffb"),  # the last code point before the surrogates is kept
    ("a\ue000b", "a\ue000b", "a\ue000b"),  # and the first after them
], ids=["empty", "spaces", "nfc", "controls", "direction-marks", "lines", "old-mac-lines", "tabs", "letters-at-the-ends", "before-surrogates",
        "after-surrogates"])
def test_the_normal_form_of_typed_text(typed: str, one_line: str, lines: str) -> None:
    assert text.clean(typed) == one_line
    assert text.clean(typed, multiline=True) == lines


@pytest.mark.parametrize("typed", ["王\ud800", "\udfff", "a\udc00\nb"], ids=["high", "last", "low"])
def test_text_that_is_not_unicode_is_refused(typed: str) -> None:
    with pytest.raises(text.TextError) as e:
        text.clean(typed, multiline=True)
    assert str(e.value) == BAD


def test_nothing_is_nothing() -> None:
    assert text.clean(None) == ""  # type: ignore[arg-type]


@dataclass
class Inner:
    name: str
    notes: str = ""


@dataclass
class Outer:
    name: str
    notes: str
    choices: list[str]
    items: tuple[str, ...]
    when: dt.date | None
    count: int
    inner: Inner | None
    extra: dict[str, str] = field(default_factory=dict)
    shown: str = field(default=" 不动 ", init=False)
    links: tuple[str, ...] = ()  # a field of one-line texts (text.SINGLE_LINE) held in a tuple


def test_a_record_in_normal_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_INIT_FIELDS", {})  # each class's fields are found once a run: here, found again
    r = Outer(name="王\n秀英", notes=" 第一行\n  第二行 ", choices=[" 甲 ", "乙\n丙"], items=("一\n 二", " 三 "), when=TODAY,
              count=3, inner=Inner(" 李 大山 ", "说\n 明"), extra={"k": " 不清洗 "}, links=("信访〔2026〕\n第0001号",))
    out = text.clean_record(r)
    assert out == Outer(name="王 秀英", notes="第一行\n第二行", choices=["甲", "乙 丙"], items=("一\n二", "三"), when=TODAY,
                        count=3, inner=Inner("李 大山", "说\n明"), extra={"k": " 不清洗 "}, links=("信访〔2026〕 第0001号",))
    assert out.shown == " 不动 "
    assert r.name == "王\n秀英"  # a copy: the record given stays as it was


def test_a_record_already_in_normal_form_is_the_same_record() -> None:
    r = Inner("王秀英", "说明")
    assert text.clean_record(r) is r
    spaced = Inner("王 秀英", "第一句 第二句")  # an equal text made again (split and joined) is no change either
    assert text.clean_record(spaced) is spaced


def test_each_field_not_unicode_is_named() -> None:
    r = Outer(name="王\ud800", notes="ok", choices=["甲", "\udc00"], items=("\ud801",), when=None, count=0,
              inner=Inner("\ud802"))
    with pytest.raises(ValidationError) as e:
        text.clean_record(r)
    assert e.value.errors == {"name": BAD, "choices_1": BAD, "items_0": BAD, "inner.name": BAD}


# --- people -----------------------------------------------------------------------------------------------------------


def check(p: Person, prefix: str = "", require_name: bool = True) -> tuple[Person, dict[str, str]]:
    errors: dict[str, str] = {}
    return people.check_person(p, TODAY, errors, prefix, require_name), errors


def test_a_person_in_normal_form() -> None:
    p = Person(name=" 王  秀英 ", sex="女", ethnicity=" 苗族 ", birth_date=D(1980, 1, 1), id_number=" 430521198001010020 ",
               phone=" 138 0013 8000 ", address=" 东山镇 石桥村 ", marital_status="已婚", id=7)
    assert check(p) == (Person(name="王 秀英", sex="女", ethnicity="苗族", birth_date=D(1980, 1, 1), id_number=HER_ID,
                               phone="13800138000", address="东山镇 石桥村", marital_status="已婚", id=7), {})


def test_the_sex_and_birth_date_read_from_the_id_number() -> None:
    assert check(Person(name="李大山", id_number=HIS_ID)) == (
        Person(name="李大山", sex="男", birth_date=D(1990, 1, 1), id_number=HIS_ID), {})


def test_what_is_wrong_with_a_person() -> None:
    assert check(Person(name=" ", sex="不详", birth_date=D(2026, 3, 11), phone="12"), "head.")[1] == {
        "head.name": "请填写姓名", "head.sex": "性别应为女或男", "head.birth_date": "出生日期不能晚于今天",
        "head.phone": "手机号应为11位，现在是2位"}
    assert check(Person(name="", birth_date=D(1899, 12, 31)), require_name=False)[1] == {
        "birth_date": "出生日期不能早于1900年1月1日，请核对年份"}
    assert check(Person(name="王秀英", birth_date=D(1900, 1, 1)))[1] == {}
    assert check(Person(name="王秀英", birth_date=TODAY))[1] == {}
    # a text past its limit is said next to the person's own field, under her prefix
    assert check(Person(name="王秀英", address="址" * 101), "applicant.")[1] == {"applicant.address": "住址不能超过100个字"}
    assert check(Person(name="王秀英", sex="男", birth_date=D(1980, 1, 2), id_number=HER_ID))[1] == {
        "sex": "性别与身份证号不符（身份证号显示为女）", "birth_date": "出生日期与身份证号不符（身份证号显示为1980年1月1日）"}
    assert check(Person(name="名" * 31, address="址" * 101))[1] == {"name": "姓名不能超过30个字", "address": "住址不能超过100个字"}
    assert check(Person(name="王\ud800"), "x.")[1] == {"x.name": BAD}


def test_a_wrong_id_number_or_phone_is_kept_as_typed() -> None:
    p, errors = check(Person(name="王秀英", id_number="430521 19800101002x", phone=" 138-0013-800 "))
    assert errors == {"id_number": "身份证号校验位不对，可能有数字抄错，请逐位核对",
                      "phone": "手机号应为11位，现在是10位"}
    assert (p.id_number, p.phone) == ("43052119800101002X", "138-0013-800")


# --- corrections ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seen"), [
    (None, ""), (True, "是"), (False, "否"), (D(2026, 3, 1), "2026年3月1日"), (["甲", D(2026, 3, 1), True], "甲、2026年3月1日、是"),
    (("甲", "乙"), "甲、乙"), (frozenset({"甲"}), "甲"), ({"乙"}, "乙"), (" 东山镇 ", "东山镇"), (5, "5"), (0, "0"), ("", ""),
], ids=["none", "yes", "no", "date", "list", "tuple", "frozenset", "set", "spaces", "number", "zero", "empty"])
def test_a_value_as_the_user_sees_it(value: object, seen: str) -> None:
    assert corrections.shown(value) == seen


def test_what_changed_in_the_forms_order() -> None:
    labels = {"phone": "联系电话", "address": "住址", "received_on": "收到日期", "note": "备注"}
    old = {"phone": "13800138000", "address": " 东山镇 ", "received_on": D(2026, 3, 1), "note": "x"}
    new = {"note": None, "address": "东山镇", "received_on": "2026年3月2日", "phone": "13900139000", "other": "y"}
    assert corrections.compare(old, new, labels) == [
        Correction("phone", "联系电话", "13800138000", "13900139000"),
        Correction("received_on", "收到日期", "2026年3月1日", "2026年3月2日"), Correction("note", "备注", "x", "")]
    assert corrections.compare({}, {}, labels) == []
    assert corrections.prefixed({"place": "调解地点"}, "第2次调解的") == {"place": "第2次调解的调解地点"}


@pytest.mark.parametrize(("field_name", "value", "seen"), [
    ("petitioner.id_number", HER_ID, "4305**********0020"),
    ("petitioner.phone", "13800138000", "138****8000"),
    ("staff_phone", "0734-2234567", "073*****4567"),
    # by the field even where the value, written loosely, is not one a text is searched for
    ("petitioner.id_number", "430521 19800101 0020", "4305**********0020"),
    ("petitioner.phone", "138 0013 8000", "138****8000"),
    ("staff_phone", "82234567", "822*4567"),  # a local number without its area code
    ("facts", "", "（空）"),
    ("facts", "她的电话13800138000", "她的电话138****8000"),
    ("facts", "字" * 20, "字" * 20),
    ("facts", "字" * 21, "字" * 20 + "…"),
    ("facts", " 第一行\n 第二行 ", "第一行 第二行"),
], ids=["id-number", "phone", "landline", "id-number-spaced", "phone-spaced", "local-number", "empty", "phone-in-text", "twenty", "twenty-one", "lines"])
def test_a_value_as_the_timeline_may_show_it(field_name: str, value: str, seen: str) -> None:
    assert corrections.masked(field_name, value) == seen


def test_the_timeline_line_of_a_correction() -> None:
    changes = [Correction("petitioner.phone", "联系电话", "13800138000", "13900139000"),
               Correction("address", "住址", "", "东山镇")]
    assert corrections.describe(changes) == "联系电话 138****8000→139****9000；住址 （空）→东山镇"
    assert corrections.timeline_note(changes, "  登记  错误\n 电话13800138000 ") == (
        "更正：联系电话 138****8000→139****9000；住址 （空）→东山镇，原因：登记 错误 电话138****8000")
    assert corrections.timeline_note(changes[1:], " ") == "更正：住址 （空）→东山镇"


def test_when_a_reason_is_needed() -> None:
    assert corrections.grounds() == []
    assert corrections.grounds(printed=True, signed=True, closed="已办结") == ["已打印", "协议已签订", "已办结"]
    assert corrections.grounds(closed="已撤回") == ["已撤回"]
    assert not corrections.needs_reason()
    assert corrections.needs_reason(printed=True) and corrections.needs_reason(signed=True)
    assert corrections.needs_reason(closed="已办结")
    assert corrections.check_reason("  登记  错误 ", ["已打印"]) == "登记 错误"
    assert corrections.check_reason("", []) == ""
    assert corrections.check_reason(None, []) == ""  # type: ignore[arg-type]
    assert corrections.check_reason("因" * 200, []) == "因" * 200
    with pytest.raises(corrections.ReasonRequired) as e:
        corrections.check_reason(" ", ["已打印", "已办结"])
    assert (e.value.errors, e.value.grounds) == ({"reason": "这件案件已打印、已办结，更正需写明原因"}, ["已打印", "已办结"])
    with pytest.raises(ValidationError) as too_long:
        corrections.check_reason("因" * 201, ["已打印"])
    assert too_long.value.errors == {"reason": "更正原因不能超过200字"}


def test_a_person_s_fields_for_compare() -> None:
    p = Person(name="王秀英", sex="女", birth_date=D(1980, 1, 1), phone="13800138000")
    assert corrections.person_values(p, "petitioner.") == {
        "petitioner.name": "王秀英", "petitioner.sex": "女", "petitioner.ethnicity": "汉族",
        "petitioner.birth_date": D(1980, 1, 1), "petitioner.id_number": "", "petitioner.phone": "13800138000",
        "petitioner.address": "", "petitioner.marital_status": ""}
    assert corrections.person_values(None, "x.") == {}
    assert corrections.person_values(p) == {  # no prefix: the fields' own names
        "name": "王秀英", "sex": "女", "ethnicity": "汉族", "birth_date": D(1980, 1, 1), "id_number": "",
        "phone": "13800138000", "address": "", "marital_status": ""}
    assert corrections.person_labels("w.", "当事妇女") == {
        "w.name": "当事妇女姓名", "w.sex": "当事妇女性别", "w.ethnicity": "当事妇女民族", "w.birth_date": "当事妇女出生日期",
        "w.id_number": "当事妇女身份证号", "w.phone": "当事妇女联系电话", "w.address": "当事妇女住址",
        "w.marital_status": "当事妇女婚姻状况"}
    assert corrections.person_labels()["phone"] == "联系电话"


def test_the_question_for_an_older_case() -> None:
    q = corrections.ScopeQuestion(["住址", "婚姻状况", "住址"], 2)
    assert q.labels == ["住址", "婚姻状况", "住址"]
    assert str(q) == "她在这件案件之后还有2件案件。改的住址、婚姻状况是这件案件当时的情况（只改这件案件），还是她现在的情况（她的所有案件都改）？"


@pytest.mark.parametrize(("names", "old", "new", "renamed"), [
    ("张三（代李四）", "李四", "李五", "张三（代李五）"),
    ("张三（代李四）", "张三", "张珊", "张珊（代李四）"),
    ("张三丰、张三", "张三", "张叁", "张三丰、张叁"),
    ("张三、李四、王五", "李四", "李肆", "张三、李肆、王五"),
    ("张三", "李四", "李肆", "张三"),
], ids=["represented", "representative", "whole-names", "middle", "absent"])
def test_a_name_renamed_in_a_case_list(names: str, old: str, new: str, renamed: str) -> None:
    assert corrections.rename_in(names, old, new) == renamed


def test_the_lines_of_a_step_undone() -> None:
    step = LastStep(entry_id=3, at=dt.datetime(2026, 3, 10, 9, 0), actor="刘芳", action="受理", kind="petition",
                    from_status="registered", to_status="accepted")
    assert step.blocked == ""
    assert corrections.undo_note(step, "已受理", "已登记", " 应为\n 不予受理 13800138000 ") == (
        "撤销“受理”（已受理→已登记），原因：应为 不予受理 138****8000")
    assert corrections.undo_step_note("查访", " 记在了\n另一件案件上 ") == "撤销“查访”，原因：记在了 另一件案件上"


# --- statuses, errors, records ------------------------------------------------------------------------------------------


def test_status_words_of_every_kind() -> None:
    assert statuses.status_label("petition", "accepted") == "已受理"
    assert statuses.status_label("referral", "awaiting_consent") == "待本人同意"
    assert statuses.status_label("mediation", "agreed") == "达成协议"
    assert statuses.status_label("household", "lifted") == "已脱贫"
    assert statuses.status_label("petition", "odd") == "odd"
    assert statuses.status_label("odd", "accepted") == "accepted"


def test_a_validation_error_says_every_message() -> None:
    given = {"name": "请填写姓名", "phone": "手机号应为11位，现在是2位"}
    e = ValidationError(given)
    assert (str(e), e.message, e.errors) == ("请填写姓名；手机号应为11位，现在是2位", "请填写姓名；手机号应为11位，现在是2位", given)
    given["name"] = "x"
    assert e.errors["name"] == "请填写姓名"  # its own copy
    assert str(ValidationError({})) == "输入有误"


def test_a_group_visit_and_the_woman_concerned() -> None:
    def petition(channel: str, headcount: int, concerned: Person | None = None) -> Petition:
        return Petition(channel=channel, received_on=TODAY, petitioner=Person(name="王秀英"), concerned=concerned,
                        headcount=headcount, township="东山镇", village="", category="", subcategory="", facts="",
                        request="", dv=False, safety_risk=False, receiving_staff="刘芳")

    assert petition("来访", 5).is_group  # 集体访: five or more (条例 art. 20)
    assert not petition("来访", 4).is_group
    assert not petition("来信", 5).is_group
    assert petition("来访", 1).woman.name == "王秀英"
    assert petition("来访", 1, Person(name="王小花")).woman.name == "王小花"
