"""The household register's rules (帮扶户 and the other care lists), answers worked out by hand (fast: in the
mutation selection). The rules: shared/reference/forms-and-rules.md, “Household card (帮扶手册) and visits” —
type 一般户 / 低保户 / 特困供养户; one or two causes from the nine, “other” not allowed; health and work ability
from their lists; the responsible cadre appended, never overwritten; visits with what was given and what was
promised. Every message the user reads is written out in full. Every person here is made up.

ID numbers used (check digit by GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6
5 4 3 2): 430521198001010020 (woman, 1980-01-01), 43052119800101008X (woman, 1980-01-01),
430521199001010017 (man, 1990-01-01).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import household as rules
from fulian_desktop.domain.household import (
    Cadre,
    CareField,
    CareList,
    Finding,
    Household,
    Measure,
    Member,
    Visit,
)
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm

from .rule_errors import errors_of, rule_error

D = dt.date
TODAY = D(2026, 3, 10)
RECEIVED = D(2026, 3, 1)
BAD_TEXT = "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"

POOR = CareList(name="帮扶户", unit="household", id=1,
                fields=[CareField("f1", "耕地面积（亩）", "number"),
                        CareField("f3", "危房等级", "choice", ("非危房", "C级", "D级"))])
CHILDREN = CareList(name="留守儿童", unit="person", id=2, rhythm_unit="week", rhythm_every=2,
                    fields=[CareField("f1", "监护人"), CareField("f2", "开始日期", "date")])


# --- care lists ---------------------------------------------------------------------------------------------------


def test_a_field_to_and_from_its_stored_form() -> None:
    assert CareField("f1", "耕地面积", "number").to_json() == {"key": "f1", "label": "耕地面积", "type": "number"}
    assert CareField("f2", "病种", "choice", ("宫颈癌", "乳腺癌")).to_json() == {
        "key": "f2", "label": "病种", "type": "choice", "choices": ["宫颈癌", "乳腺癌"]}
    assert CareField.from_json({"key": "f2", "label": "监护人"}) == CareField("f2", "监护人", "text", ())
    assert CareField.from_json({"key": 3, "label": "病种", "type": "choice", "choices": ["甲", "乙"]}) == CareField(
        "3", "病种", "choice", ("甲", "乙"))


def test_a_list_by_household_or_by_person() -> None:
    assert POOR.is_household and POOR.head_word == "户主"
    assert not CHILDREN.is_household and CHILDREN.head_word == "本人"
    assert CHILDREN.field("f2") == CareField("f2", "开始日期", "date")
    assert CHILDREN.field("f9") is None


@pytest.mark.parametrize(("typed", "choices"), [
    ("宫颈癌、乳腺癌", ("宫颈癌", "乳腺癌")),
    ("甲,乙，丙;丁；戊/己 庚\n辛\t壬", ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬")),
    (" 甲 、、 乙 ", ("甲", "乙")),
    ("甲、乙、甲", ("甲", "乙")),
    ("、 ，", ()),
    ("", ()),
], ids=["dun", "every-separator", "spaces", "twice", "only-separators", "empty"])
def test_choices_split_as_clerks_write_them(typed: str, choices: tuple[str, ...]) -> None:
    assert rules.split_choices(typed) == choices


def test_split_choices_of_nothing() -> None:
    assert rules.split_choices(None) == ()  # type: ignore[arg-type]


def care_list_errors(c: CareList, taken: set[str] | None = None) -> dict[str, str]:
    return errors_of(rules.validate_care_list, c, taken or set())


def test_a_care_list_definition_comes_back_in_normal_form() -> None:
    c = rules.validate_care_list(
        CareList(name=" 困境  儿童 ", unit="household", rhythm_unit="week", rhythm_every=2, active=False, id=7,
                 position=3,
                 fields=[CareField("f10", " 病种 ", "choice", (" 宫颈癌 ", "", "乳腺 癌")),
                         CareField("", "监护人", "text", ("丢掉",)), CareField("g5", "开始日期", "date"),
                         CareField("f2", " 耕地  面积 ", "number")]),
        {"留守儿童"},
    )
    assert c == CareList(
        name="困境 儿童", unit="household", rhythm_unit="week", rhythm_every=2, active=False, id=7, position=3,
        fields=[CareField("f10", "病种", "choice", ("宫颈癌", "乳腺 癌")), CareField("f11", "监护人", "text", ()),
                CareField("f12", "开始日期", "date", ()), CareField("f2", "耕地 面积", "number", ())])


def test_new_fields_of_a_new_list_start_at_f1() -> None:
    c = rules.validate_care_list(CareList(name="新名单", fields=[CareField("", "甲"), CareField("", "乙")]), set())
    assert [f.key for f in c.fields] == ["f1", "f2"]


def test_a_care_list_name() -> None:
    assert care_list_errors(CareList(name="  ")) == {"name": "请填写名单名称，如“留守儿童”"}
    assert care_list_errors(CareList(name="名" * 21)) == {"name": "名单名称不能超过20个字"}
    assert rules.validate_care_list(CareList(name="名" * 20), set()).name == "名" * 20
    assert care_list_errors(CareList(name=" 留守儿童 "), {"留守儿童"}) == {"name": "已有名为“留守儿童”的名单"}


def test_a_care_list_unit_and_rhythm() -> None:
    assert care_list_errors(CareList(name="甲", unit="family")) == {"unit": "请选择按户还是按人登记"}
    assert care_list_errors(CareList(name="甲", rhythm_unit="year")) == {"rhythm": "请选择走访周期"}
    assert care_list_errors(CareList(name="甲", rhythm_every=25)) == {"rhythm": "间隔月数应在1至24之间"}


def test_at_most_twelve_fields() -> None:
    fields = [CareField("", f"栏目{i}") for i in range(1, 14)]
    assert care_list_errors(CareList(name="甲", fields=fields)) == {"fields": "每个名单最多12个栏目"}
    assert len(rules.validate_care_list(CareList(name="甲", fields=fields[:12]), set()).fields) == 12


@pytest.mark.parametrize(("fields", "message"), [
    ([CareField("", "甲"), CareField("", " ")], "第2个栏目：请填写栏目名称"),
    ([CareField("", "名" * 21)], "第1个栏目：栏目名称不能超过20个字"),
    ([CareField("", "监护人"), CareField("", " 监护人 ")], "栏目“监护人”重复了"),
    ([CareField("", "监护人", "photo")], "栏目“监护人”：请选择类型"),
    ([CareField("", "病种", "choice", ("宫颈癌", " "))], "栏目“病种”是选项，请至少写两个选项，用顿号分开"),
    ([CareField("", "", "photo"), CareField("", "甲", "photo")], "第1个栏目：请填写栏目名称"),  # the first problem
    ([CareField("", "甲", "photo"), CareField("", "甲")], "栏目“甲”：请选择类型"),
], ids=["no-label", "long-label", "twice", "type", "one-choice", "first-empty", "first-type"])
def test_a_wrong_field_is_named(fields: list[CareField], message: str) -> None:
    assert care_list_errors(CareList(name="甲", fields=fields)) == {"fields": message}


def test_a_label_of_twenty_and_two_choices_are_enough() -> None:
    c = rules.validate_care_list(CareList(name="甲", fields=[CareField("", "名" * 20, "choice", ("A", "B"))]), set())
    assert c.fields == [CareField("f1", "名" * 20, "choice", ("A", "B"))]


# --- a list's own fields ------------------------------------------------------------------------------------------

LAND = CareList(name="帮扶户", unit="household", fields=[
    CareField("f1", "耕地面积", "number"), CareField("f2", "危房等级", "choice", ("C级", "D级")),
    CareField("f3", "开始日期", "date"), CareField("f4", "监护人")])


def extra(values: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    errors: dict[str, str] = {}
    out = rules.check_extra(LAND, values, errors)
    return out, errors


def test_extra_values_in_normal_form() -> None:
    assert extra({"f1": "1,234", "f2": "C级", "f3": "2026年3月1日", "f4": " 王奶奶 ", "gone": "x"}) == (
        {"f1": 1234, "f2": "C级", "f3": "2026-03-01", "f4": "王奶奶"}, {})
    out, _ = extra({"f1": "1，000"})
    assert out == {"f1": 1000} and type(out["f1"]) is int
    out, _ = extra({"f1": "3.0"})
    assert out == {"f1": 3} and type(out["f1"]) is int
    assert extra({"f1": "2.5"}) == ({"f1": 2.5}, {})
    assert extra({"f1": 0}) == ({"f1": 0}, {})  # a number given as a number, even 0
    assert extra({"f3": D(2025, 12, 31)}) == ({"f3": "2025-12-31"}, {})
    assert extra({"f3": "1900-01-01"}) == ({"f3": "1900-01-01"}, {})
    assert extra({"f1": None, "f2": "  ", "f3": ""}) == ({}, {})
    assert extra({"f4": "字" * 200}) == ({"f4": "字" * 200}, {})


def test_wrong_extra_values() -> None:
    assert extra({"f1": "两亩"}) == ({}, {"extra.f1": "“耕地面积”应为数字"})
    assert extra({"f2": "E级"}) == ({}, {"extra.f2": "请从“危房等级”的选项中选择"})
    assert extra({"f3": "三月"}) == ({}, {"extra.f3": "看不出是哪一天，请写成2026年3月1日、2026-3-1或20260301"})
    assert extra({"f3": "1899-12-31"}) == ({"f3": "1899-12-31"}, {"extra.f3": "“开始日期”不能早于1900年1月1日，请核对年份"})
    assert extra({"f4": "字" * 201}) == ({"f4": "字" * 201}, {"extra.f4": "“监护人”不能超过200个字"})


def test_extra_values_as_shown() -> None:
    assert rules.extra_text(LAND, {"f1": 2.5, "f2": "C级", "f3": "2026-03-01"}) == [
        ("耕地面积", "2.5"), ("危房等级", "C级"), ("开始日期", "2026年3月1日"), ("监护人", "")]
    assert rules.extra_text(LAND, {"f1": "", "f3": "不详", "f4": "王奶奶"}) == [
        ("耕地面积", ""), ("危房等级", ""), ("开始日期", "不详"), ("监护人", "王奶奶")]
    assert rules.extra_text(LAND, {"f1": 0}) == [("耕地面积", "0"), ("危房等级", ""), ("开始日期", ""), ("监护人", "")]


# --- the register ---------------------------------------------------------------------------------------------------


def household(**changes: object) -> Household:
    h = Household(
        list_id=1, received_on=RECEIVED, head=Member(Person(name="王秀英", sex="女"), relation=""),
        members=[Member(Person(name="李大山", sex="男"), relation="配偶", health="残疾")],
        township="东山镇", village="石桥村", household_type="低保户", causes=["因病"],
    )
    for key, value in changes.items():
        setattr(h, key, value)
    return h


def household_errors(h: Household, care: CareList = POOR) -> dict[str, str]:
    return errors_of(rules.validate_household, h, care, TODAY)


def test_a_household_comes_back_in_normal_form() -> None:
    h = household(
        head=Member(Person(name="王秀英", id_number="430521198001010020", phone="138 0013 8000"), relation="之母",
                    health="慢性病", work_ability="弱劳动力", schooling="非在校生", disability_card=" 43052119800101002042 "),
        members=[Member(Person(name="李大山", sex="男", birth_date=D(1990, 1, 1)), relation=" 前  配偶 ",
                        health="健康", work_ability="技能劳动力", schooling="本科及以上", disability_card="")],
        address=" 三组 12号 ", household_type="特困供养户", causes=["缺资金", "", "缺资金", "因灾"],
        extra={"f1": "2.5", "f3": "C级"}, notes=" 需要\n  帮扶 ",
        cadre=Cadre(name="赵 红梅", unit=" 县妇联 ", level="科级", phone="0734-2234567", from_date=D(2026, 3, 2),
                    id=9, recorded_by="刘芳"),
    )
    assert rules.validate_household(h, POOR, TODAY) == Household(
        list_id=1, received_on=RECEIVED,
        head=Member(Person(name="王秀英", sex="女", birth_date=D(1980, 1, 1), id_number="430521198001010020",
                           phone="13800138000"), relation="户主", health="慢性病", work_ability="弱劳动力",
                    schooling="非在校生", disability_card="43052119800101002042"),
        members=[Member(Person(name="李大山", sex="男", birth_date=D(1990, 1, 1)), relation="前 配偶", health="健康",
                        work_ability="技能劳动力", schooling="本科及以上")],
        township="东山镇", village="石桥村", address="三组 12号", household_type="特困供养户", causes=["缺资金", "因灾"],
        extra={"f1": 2.5, "f3": "C级"}, rhythm=Rhythm("month", 1, RECEIVED),
        cadre=Cadre(name="赵 红梅", unit="县妇联", level="科级", phone="0734-2234567", from_date=D(2026, 3, 2)),
        notes="需要\n帮扶",
    )


def test_a_person_list_keeps_no_type_or_causes_and_takes_its_own_rhythm() -> None:
    h = rules.validate_household(household(list_id=2, household_type="低保户", causes=["因病"]), CHILDREN, TODAY)
    assert (h.household_type, h.causes, h.head.relation) == ("", [], "本人")
    assert h.rhythm == Rhythm("week", 2, RECEIVED)
    own = Rhythm("day", 10, D(2026, 3, 5))
    assert rules.validate_household(household(rhythm=own), POOR, TODAY).rhythm == own


def test_the_date_of_entry_and_the_township() -> None:
    assert household_errors(household(received_on=None)) == {"received_on": "请填写纳入日期"}
    assert household_errors(household(received_on=D(2026, 3, 11))) == {"received_on": "纳入日期不能晚于今天"}
    assert household_errors(household(received_on=D(1949, 4, 2))) == {
        "received_on": "纳入日期不能早于1949年4月3日，请核对年份"}
    assert rules.validate_household(household(received_on=TODAY), POOR, TODAY).received_on == TODAY
    assert household_errors(household(township=" ")) == {"township": "请选择乡镇"}
    assert household_errors(household(address="门" * 101)) == {"address": "组、门牌不能超过100个字"}


@pytest.mark.parametrize(("causes", "message"), [
    ([], "请选择主要致贫原因（一至两项）"),
    (["", " "], "请选择主要致贫原因（一至两项）"),
    (["因病", "因残", "因学"], "主要致贫原因最多选两项"),
    (["其他"], "致贫原因只能从列表中选择（不设“其他”）"),
    (["因病", "其他"], "致贫原因只能从列表中选择（不设“其他”）"),
], ids=["none", "blank", "three", "other", "one-and-other"])
def test_one_or_two_causes_from_the_nine(causes: list[str], message: str) -> None:
    assert household_errors(household(causes=causes)) == {"causes": message}


def test_two_causes_and_every_type() -> None:
    assert rules.validate_household(household(causes=["因病", "因病", "缺劳力"]), POOR, TODAY).causes == ["因病", "缺劳力"]
    for kind in ("一般户", "低保户", "特困供养户"):
        assert rules.validate_household(household(household_type=kind), POOR, TODAY).household_type == kind
    assert household_errors(household(household_type="其他")) == {"household_type": "请选择户类型"}


def test_each_member_is_checked() -> None:
    bad = household(members=[
        Member(Person(name="", sex="男"), relation="", health="很好"),
        Member(Person(name="李小花", birth_date=D(2030, 1, 1)), relation="之女", work_ability="强", schooling="幼儿园"),
    ])
    assert household_errors(bad) == {
        "members.0.name": "请填写姓名", "members.0.relation": "请填写与户主的关系",
        "members.0.health": "请从列表中选择健康状况", "members.1.birth_date": "出生日期不能晚于今天",
        "members.1.work_ability": "请从列表中选择劳动能力", "members.1.schooling": "请从列表中选择在校生状况",
    }
    # the head's relation is never asked: it is the list's word
    assert household_errors(household(head=Member(Person(name=""), relation="", disability_card="残" * 31))) == {
        "head.name": "请填写姓名", "head.disability_card": "残疾证号不能超过30个字"}


def test_the_same_id_number_twice_in_one_household() -> None:
    h = household(head=Member(Person(name="王秀英", id_number="43052119800101008X"), relation=""),
                  members=[Member(Person(name="李小花", id_number="43052119800101008x"), relation="之女")])
    assert household_errors(h) == {"members.0.id_number": "与王秀英的身份证号相同"}
    h = household(members=[Member(Person(name="", id_number="430521198001010020"), relation="之女"),
                           Member(Person(name="李小花", id_number="430521198001010020"), relation="之女")])
    assert household_errors(h) == {"members.0.name": "请填写姓名", "members.1.id_number": "与另一成员的身份证号相同"}
    ok = household(members=[Member(Person(name="李小花", id_number="430521198001010020"), relation="之女"),
                            Member(Person(name="李小草", id_number="43052119800101008X"), relation="之女")])
    assert [m.person.id_number for m in rules.validate_household(ok, POOR, TODAY).members] == [
        "430521198001010020", "43052119800101008X"]


def test_extra_values_rhythm_and_cadre_are_checked_with_the_household() -> None:
    assert household_errors(household(extra={"f1": "两亩"}, rhythm=Rhythm("month", 0, RECEIVED))) == {
        "extra.f1": "“耕地面积（亩）”应为数字", "rhythm": "间隔月数应在1至24之间"}
    assert household_errors(household(cadre=Cadre(name="", unit="县妇联", from_date=TODAY))) == {
        "cadre.name": "请填写帮扶责任人姓名"}
    assert household_errors(household(cadre=Cadre(name="", phone="13800138000", from_date=TODAY))) == {
        "cadre.name": "请填写帮扶责任人姓名"}
    assert household_errors(household(cadre=Cadre(name="赵红梅"))) == {"cadre.from_date": "请填写起始日期"}
    # a cadre with nothing but a level is no cadre
    assert rules.validate_household(household(cadre=Cadre(name=" ", level="科级")), POOR, TODAY).cadre is None


def test_a_cadre() -> None:
    def check(c: Cadre, not_before: dt.date | None = None, prefix: str = "cadre.") -> tuple[Cadre, dict[str, str]]:
        errors: dict[str, str] = {}
        return rules.check_cadre(c, TODAY, errors, prefix, not_before), errors

    assert check(Cadre(name=" 赵  红梅 ", unit=" 县 妇联 ", level=" 副  科级 ", phone=" 138 0013 8000 ",
                       from_date=TODAY, id=3, recorded_by="刘芳")) == (
        Cadre(name="赵 红梅", unit="县 妇联", level="副 科级", phone="13800138000", from_date=TODAY), {})
    assert check(Cadre(name="赵红梅", phone="1380013800", from_date=TODAY))[1] == {
        "cadre.phone": "手机号应为11位，现在是10位"}
    assert check(Cadre(name="", from_date=D(2026, 3, 11)), prefix="new.")[1] == {
        "new.name": "请填写帮扶责任人姓名", "new.from_date": "起始日期不能晚于今天"}
    assert check(Cadre(name="赵红梅", from_date=D(1949, 4, 2)))[1] == {
        "cadre.from_date": "起始日期不能早于1949年4月3日，请核对年份"}
    assert check(Cadre(name="赵红梅", from_date=D(2026, 3, 4)), D(2026, 3, 5))[1] == {
        "cadre.from_date": "起始日期不能早于上一任责任人的起始日期（2026年3月5日）"}
    assert check(Cadre(name="赵红梅", from_date=D(2026, 3, 5)), D(2026, 3, 5))[1] == {}
    assert check(Cadre(name="赵\ud800", unit="县妇联", from_date=TODAY))[1] == {"cadre.name": BAD_TEXT}
    assert check(Cadre(name="赵红梅", unit="单" * 61, from_date=TODAY))[1] == {"cadre.unit": "单位名称不能超过60个字"}


def test_a_visit_rhythm_set_by_hand() -> None:
    assert errors_of(rules.check_rhythm, Rhythm("year", 1, TODAY), TODAY, RECEIVED) == {"rhythm": "请选择走访周期"}
    assert errors_of(rules.check_rhythm, Rhythm("month", 1, D(2026, 2, 28)), TODAY, RECEIVED) == {
        "rhythm_start": "起算日期不能早于纳入日期（2026年3月1日）"}
    assert errors_of(rules.check_rhythm, Rhythm("month", 1, D(2027, 3, 12)), TODAY, RECEIVED) == {
        "rhythm_start": "起算日期不能晚于一年以后"}
    rules.check_rhythm(Rhythm("month", 1, RECEIVED), TODAY, RECEIVED)
    rules.check_rhythm(Rhythm("month", 1, D(2027, 3, 11)), TODAY, RECEIVED)  # 366 days on


def test_a_measure() -> None:
    m = rules.check_measure(Measure(kind=" 小额 信贷 ", detail=" 贷款5万元 ", helping_unit=" 县 农商行 ", on_date=TODAY,
                                    amount_fen=5000000, benefit=" 养猪 ", id=4), TODAY)
    assert m == Measure(kind="小额 信贷", detail="贷款5万元", helping_unit="县 农商行", on_date=TODAY, amount_fen=5000000,
                        benefit="养猪")
    assert rules.check_measure(Measure(kind="产业", benefit="增收", on_date=TODAY), TODAY).benefit == "增收"
    assert rules.check_measure(Measure(kind="产业", detail="种茶", on_date=D(1949, 4, 3)), TODAY).amount_fen == 0
    assert errors_of(rules.check_measure, Measure(kind=" ", on_date=None, amount_fen=-1), TODAY) == {
        "kind": "请选择帮扶措施", "on_date": "请填写日期", "amount": "金额不能为负数", "detail": "请写明具体内容"}
    assert errors_of(rules.check_measure, Measure(kind="产业", detail="种茶", on_date=D(2026, 3, 11)), TODAY) == {
        "on_date": "日期不能晚于今天"}
    assert errors_of(rules.check_measure, Measure(kind="产业", detail="种" * 2001, on_date=TODAY), TODAY) == {
        "detail": "具体内容不能超过2000个字"}


# --- visits -----------------------------------------------------------------------------------------------------------


def test_what_the_timeline_says_of_a_visit() -> None:
    v = Visit(visited_on=TODAY, visitors="刘芳、赵红梅", kind="solace", cash_fen=50000, goods="大米一袋", goods_fen=8000,
              finding=Finding(kind="dv", route="petition", person_index=0, facts="被打", request="制止"))
    assert rules.visit_note(v, "信〔2026〕第0001号") == (
        "2026年3月10日，走访人：刘芳、赵红梅；慰问金¥500.00，大米一袋（折合¥80.00）；发现家庭暴力，已登记信〔2026〕第0001号")
    assert rules.visit_note(v) == "2026年3月10日，走访人：刘芳、赵红梅；慰问金¥500.00，大米一袋（折合¥80.00）"
    assert rules.visit_note(Visit(visited_on=TODAY, visitors="刘芳", kind="visit", cash_fen=12345)) == (
        "2026年3月10日，走访人：刘芳；慰问金¥123.45")
    assert rules.visit_note(Visit(visited_on=TODAY, visitors="刘芳", kind="visit", goods="油", goods_fen=5000)) == (
        "2026年3月10日，走访人：刘芳；油（折合¥50.00）")
    assert rules.visit_note(Visit(visited_on=TODAY, visitors="刘芳", kind="visit"), "信〔2026〕第0001号") == (
        "2026年3月10日，走访人：刘芳")
    dispute = Visit(visited_on=TODAY, visitors="刘芳", kind="visit",
                    finding=Finding(kind="dispute", route="mediation", person_index=0, facts="吵架", request="调解"))
    assert rules.visit_note(dispute, "调〔2026〕第0002号") == "2026年3月10日，走访人：刘芳；发现家庭矛盾纠纷，已登记调〔2026〕第0002号"


def visit(**changes: object) -> Visit:
    v = Visit(visited_on=TODAY, visitors="刘芳", kind="visit", seen="家中整洁")
    for key, value in changes.items():
        setattr(v, key, value)
    return v


def visit_errors(v: Visit, routes: tuple[str, ...] = ("petition",)) -> dict[str, str]:
    return errors_of(rules.validate_visit, v, household(), TODAY, routes)


def test_a_visit_comes_back_in_normal_form() -> None:
    v = rules.validate_visit(
        Visit(visited_on=RECEIVED, visitors=" 刘芳，赵红梅,王兰 ", kind="solace", cash_fen=50000, goods=" 大米 ",
              goods_fen=8000, seen=" 家中整洁 ", asked=" 修房 ", promised=" 联系 村委 ", promise_due=RECEIVED, id=5,
              case_id=6, staff="刘芳", opened_case_no="x"),
        household(), TODAY)
    assert v == Visit(visited_on=RECEIVED, visitors="刘芳、赵红梅、王兰", kind="solace", cash_fen=50000, goods="大米",
                      goods_fen=8000, seen="家中整洁", asked="修房", promised="联系 村委", promise_due=RECEIVED)
    # a date without a promise is not kept
    assert rules.validate_visit(visit(promise_due=TODAY), household(), TODAY).promise_due is None
    assert rules.validate_visit(visit(kind="assist"), household(), TODAY).kind == "assist"
    assert rules.validate_visit(visit(visitors="人" * 100), household(), TODAY).visitors == "人" * 100
    # visitors written with spaces between them: one space each, as on the 走访记录
    assert rules.validate_visit(visit(visitors=" 刘芳  赵红梅 "), household(), TODAY).visitors == "刘芳 赵红梅"


@pytest.mark.parametrize(("changes", "errors"), [
    ({"visited_on": None}, {"visited_on": "请填写走访日期"}),
    ({"visited_on": D(2026, 3, 11)}, {"visited_on": "走访日期不能晚于今天"}),
    ({"visited_on": D(1949, 4, 2)}, {"visited_on": "走访日期不能早于1949年4月3日，请核对年份"}),
    ({"visited_on": D(2026, 2, 28)}, {"visited_on": "走访日期不能早于纳入日期（2026年3月1日）"}),
    ({"visitors": " "}, {"visitors": "请填写走访人"}),
    ({"visitors": "人" * 101}, {"visitors": "走访人不能超过100个字"}),
    ({"kind": "call"}, {"kind": "请选择走访、慰问或帮扶"}),
    ({"cash_fen": -1}, {"cash": "金额不能为负数"}),
    ({"goods": "油", "goods_fen": -1}, {"goods_value": "金额不能为负数"}),
    ({"goods": "油一桶"}, {"goods_value": "请填写物资折合金额"}),
    ({"goods_fen": 100}, {"goods": "请写明送了什么物资"}),
    ({"seen": " "}, {"seen": "请简要记录走访看到的情况"}),
    ({"promised": "联系学校"}, {"promise_due": "承诺了跟进事项，请填写办理期限"}),
    ({"promised": "联系学校", "visited_on": D(2026, 3, 5), "promise_due": D(2026, 3, 4)},
     {"promise_due": "办理期限不能早于走访日期"}),
    ({"promised": "联系学校", "promise_due": D(2031, 3, 11)}, {"promise_due": "办理期限不能晚于5年以后，请核对年份"}),
    ({"promised": "联系学校", "visited_on": None, "promise_due": D(1949, 4, 2)},
     {"visited_on": "请填写走访日期", "promise_due": "办理期限不能早于1949年4月3日，请核对年份"}),
    ({"asked": "诉" * 2001}, {"asked": "群众诉求不能超过2000个字"}),
], ids=["no-date", "future", "too-early", "before-entry", "no-visitors", "long-visitors", "kind", "cash", "goods-value",
        "goods-without-value", "value-without-goods", "seen", "no-due", "due-before-visit", "due-far", "due-early",
        "asked"])
def test_a_wrong_visit_is_told_what_is_wrong(changes: dict[str, object], errors: dict[str, str]) -> None:
    assert visit_errors(visit(**changes)) == errors


def test_a_promise_due_on_the_day_of_the_visit_or_five_years_on() -> None:
    assert rules.validate_visit(visit(promised="联系", promise_due=TODAY), household(), TODAY).promise_due == TODAY
    assert rules.validate_visit(visit(promised="联系", promise_due=D(2031, 3, 10)), household(), TODAY).promise_due == D(
        2031, 3, 10)


def finding(**changes: object) -> Finding:
    f = Finding(kind="dv", route="petition", person_index=1, facts=" 被丈夫打伤 ", request=" 制止 ")
    for key, value in changes.items():
        setattr(f, key, value)
    return f


BOTH = ("petition", "mediation")


def test_a_finding_comes_back_in_normal_form() -> None:
    v = rules.validate_visit(visit(finding=finding(route="mediation", respondent_name=" 李 大山 ", respondent_relation=" 配偶 ",
                                                   mediator_id=4, dispute_type=" 婚姻 ", person_index=0)),
                             household(), TODAY, BOTH)
    assert v.finding == Finding(kind="dv", route="mediation", person_index=0, facts="被丈夫打伤", request="制止",
                                respondent_name="李 大山", respondent_relation="配偶", mediator_id=4, dispute_type="婚姻")
    # the facts default to what the visit saw
    v = rules.validate_visit(visit(finding=finding(facts=" ")), household(), TODAY)
    assert v.finding == Finding(kind="dv", route="petition", person_index=1, facts="家中整洁", request="制止")


@pytest.mark.parametrize(("changes", "routes", "errors"), [
    ({"kind": "theft"}, ("petition",), {"finding.kind": "请选择家庭暴力或家庭矛盾纠纷"}),
    ({"route": "mediation", "respondent_name": "王秀英", "mediator_id": 1}, ("petition",),
     {"finding.route": "请选择登记为信访还是纠纷调解"}),
    ({"person_index": -1}, ("petition",), {"finding.person": "请选择当事人"}),
    ({"person_index": 2}, ("petition",), {"finding.person": "请选择当事人"}),
    ({"request": " "}, ("petition",), {"finding.request": "请写明当事人的诉求"}),
    ({"route": "mediation"}, BOTH,
     {"finding.respondent": "调解需要写明对方（被申请人）", "finding.mediator": "请选择调解员"}),
    ({"route": "mediation", "respondent_name": " 李大山 ", "mediator_id": 1}, BOTH,
     {"finding.respondent": "对方不能是当事人本人"}),
    ({"route": "mediation", "respondent_name": "王秀英", "mediator_id": 1, "person_index": 2}, BOTH,
     {"finding.person": "请选择当事人"}),
    ({"route": "mediation", "respondent_name": "王秀英", "mediator_id": 1, "person_index": -1}, BOTH,
     {"finding.person": "请选择当事人"}),
    ({"facts": "事" * 4901}, ("petition",), {"finding.facts": "发现的情况不能超过4900个字"}),
], ids=["kind", "route", "person-before", "person-after", "request", "no-other-party", "other-is-herself",
        "out-of-range-after", "out-of-range-before", "long-facts"])
def test_a_wrong_finding_is_told_what_is_wrong(changes: dict[str, object], routes: tuple[str, ...],
                                               errors: dict[str, str]) -> None:
    assert visit_errors(visit(finding=finding(**changes)), routes) == errors


def test_a_finding_with_nothing_seen() -> None:
    assert visit_errors(visit(seen="", finding=finding(facts=""))) == {
        "seen": "请简要记录走访看到的情况", "finding.facts": "请写明发现的情况"}


def test_a_finding_for_the_last_member_and_a_mediation_against_another() -> None:
    v = rules.validate_visit(visit(finding=finding(route="mediation", respondent_name="王秀英", mediator_id=1)),
                             household(), TODAY, BOTH)
    assert v.finding is not None and (v.finding.person_index, v.finding.respondent_name) == (1, "王秀英")


def test_a_mediation_for_the_head_of_the_household_cannot_be_against_herself() -> None:
    # the head is the household's first person (index 0): she cannot be her own 被申请人 either
    own = finding(route="mediation", person_index=0, respondent_name="王秀英", mediator_id=1)
    assert visit_errors(visit(finding=own), BOTH) == {"finding.respondent": "对方不能是当事人本人"}
    other = finding(route="mediation", person_index=0, respondent_name="李大山", mediator_id=1)
    assert rules.validate_visit(visit(finding=other), household(), TODAY, BOTH).finding == Finding(
        kind="dv", route="mediation", person_index=0, facts="被丈夫打伤", request="制止", respondent_name="李大山",
        respondent_relation="", mediator_id=1, dispute_type="")


# --- what the household's page and its corrections show ---------------------------------------------------------------


def test_the_entry_and_its_members_as_compared() -> None:
    h = household(address="三组", extra={"f1": 2.5}, notes="备注")
    assert rules.values(h, POOR) == {
        "received_on": RECEIVED, "township": "东山镇", "village": "石桥村", "address": "三组", "household_type": "低保户",
        "causes": ["因病"], "notes": "备注", "extra.f1": "2.5", "extra.f3": ""}
    assert rules.labels(POOR) == {
        "received_on": "纳入日期", "township": "乡镇", "village": "村（社区）", "address": "组、门牌", "household_type": "户类型",
        "causes": "主要致贫原因", "notes": "备注", "extra.f1": "耕地面积（亩）", "extra.f3": "危房等级"}
    m = Member(Person(name="李大山"), relation="配偶", health="残疾", work_ability="弱劳动力", schooling="非在校生",
               disability_card="123")
    assert rules.member_values(m) == {"relation": "配偶", "health": "残疾", "work_ability": "弱劳动力",
                                      "schooling": "非在校生", "disability_card": "123"}
    assert rules.member_labels(POOR, "成员1") == {
        "relation": "成员1与户主关系", "health": "成员1健康状况", "work_ability": "成员1劳动能力",
        "schooling": "成员1在校生状况", "disability_card": "成员1残疾证号"}
    assert rules.member_labels(CHILDREN, "", head=False)["relation"] == "与本人关系"
    assert rules.member_labels(POOR, "户主", head=True) == {
        "health": "户主健康状况", "work_ability": "户主劳动能力", "schooling": "户主在校生状况", "disability_card": "户主残疾证号"}


def test_a_visit_as_the_page_shows_it() -> None:
    v = Visit(visited_on=TODAY, visitors="刘芳", kind="solace", cash_fen=50000, goods="米", goods_fen=8000, seen="好",
              asked="问", promised="办", promise_due=D(2026, 4, 1))
    assert rules.visit_values(v) == {
        "visited_on": TODAY, "visitors": "刘芳", "kind": "慰问", "cash": "¥500.00", "goods": "米", "goods_value": "¥80.00",
        "seen": "好", "asked": "问", "promised": "办", "promise_due": D(2026, 4, 1)}
    plain = rules.visit_values(Visit(visited_on=TODAY, visitors="刘芳", kind="odd", promise_due=D(2026, 4, 1)))
    assert (plain["kind"], plain["cash"], plain["goods_value"], plain["promise_due"]) == ("odd", "", "", None)


def test_a_household_s_figures() -> None:
    c1, c2 = Cadre(name="甲"), Cadre(name="乙")
    h = household(cadres=[c1, c2], care_list=POOR,
                  visits=[Visit(visited_on=TODAY, visitors="刘", kind="visit", cash_fen=100, goods_fen=30),
                          Visit(visited_on=RECEIVED, visitors="刘", kind="visit", cash_fen=200, goods_fen=40)],
                  measures=[Measure(kind="产业", amount_fen=7), Measure(kind="产业", amount_fen=8)])
    assert [m.person.name for m in h.everyone] == ["王秀英", "李大山"]
    assert (h.size, h.current_cadre, h.list_name) == (2, c2, "帮扶户")
    assert (h.cash_total, h.goods_total, h.measures_total) == (300, 70, 15)
    assert (household().current_cadre, household().list_name) == (None, "")
    assert [household(status=s).is_open for s in ("helping", "lifted", "exited")] == [True, True, False]
    assert [Visit(visited_on=TODAY, visitors="", kind=k).kind_label for k in ("visit", "solace", "assist", "x")] == [
        "走访", "慰问", "帮扶", "x"]


def test_a_corrected_date_of_entry_stays_before_the_first_visit_and_the_rhythm() -> None:
    saved = household(visits=[Visit(visited_on=D(2026, 3, 8), visitors="刘", kind="visit"),
                              Visit(visited_on=D(2026, 3, 5), visitors="刘", kind="visit"),
                              Visit(visited_on=D(2026, 3, 7), visitors="刘", kind="visit")])
    assert errors_of(rules.check_corrected, saved, household(received_on=D(2026, 3, 6))) == {
        "received_on": "纳入日期不能晚于第一次走访（2026年3月5日）"}
    rules.check_corrected(saved, household(received_on=D(2026, 3, 5)))
    moved = household(rhythm=Rhythm("month", 1, D(2026, 3, 4)))
    assert errors_of(rules.check_corrected, moved, household(received_on=D(2026, 3, 5))) == {
        "received_on": "纳入日期不能晚于走访周期的起算日期（2026年3月4日），请先修改走访周期"}
    rules.check_corrected(moved, household(received_on=D(2026, 3, 4)))
    # a rhythm starting on the date of entry moves with it; no rhythm, nothing to keep
    rules.check_corrected(household(rhythm=Rhythm("month", 1, RECEIVED)), household(received_on=TODAY))
    rules.check_corrected(household(), household(received_on=TODAY))


# --- status -----------------------------------------------------------------------------------------------------------


def test_lifted_out_of_poverty() -> None:
    assert rule_error(rules.check_lift, household(status="lifted"), TODAY, TODAY) == "此户当前为“已脱贫”，不能标记脱贫"
    assert rule_error(rules.check_lift, household(status="exited"), TODAY, TODAY) == "此户当前为“已退出”，不能标记脱贫"
    assert rule_error(rules.check_lift, household(care_list=CHILDREN), TODAY, TODAY) == "只有按户登记的名单可以标记脱贫"
    rules.check_lift(household(care_list=POOR), RECEIVED, TODAY)
    rules.check_lift(household(), TODAY, TODAY)
    assert errors_of(rules.check_lift, household(), None, TODAY) == {"lifted_on": "请填写脱贫日期"}
    assert errors_of(rules.check_lift, household(), D(2026, 3, 11), TODAY) == {"lifted_on": "脱贫日期不能晚于今天"}
    assert errors_of(rules.check_lift, household(), D(2026, 2, 28), TODAY) == {
        "lifted_on": "脱贫日期不能早于纳入日期（2026年3月1日）"}
    assert errors_of(rules.check_lift, household(received_on=D(1949, 1, 1)), D(1949, 4, 2), TODAY) == {
        "lifted_on": "脱贫日期不能早于1949年4月3日，请核对年份"}
    rules.check_lift(household(received_on=D(1949, 1, 1)), D(1949, 4, 3), TODAY)


def test_leaving_the_register() -> None:
    assert rule_error(rules.check_exit, household(status="exited"), TODAY, "迁出", TODAY) == "已经退出，不能再次退出"
    assert rules.check_exit(household(status="lifted"), TODAY, " 迁出 \n  外省 ", TODAY) == "迁出\n外省"
    assert rules.check_exit(household(), RECEIVED, "因" * 200, TODAY) == "因" * 200
    assert errors_of(rules.check_exit, household(), None, " ", TODAY) == {"exit_reason": "请写明退出原因"}
    assert errors_of(rules.check_exit, household(), TODAY, "因" * 201, TODAY) == {"exit_reason": "退出原因不能超过200个字"}
    assert errors_of(rules.check_exit, household(), None, "迁出", TODAY) == {"exited_on": "请填写退出日期"}
    assert errors_of(rules.check_exit, household(), D(2026, 3, 11), "迁出", TODAY) == {"exited_on": "退出日期不能晚于今天"}
    assert errors_of(rules.check_exit, household(), D(2026, 2, 28), "迁出", TODAY) == {
        "exited_on": "退出日期不能早于纳入日期（2026年3月1日）"}


def test_back_to_helping() -> None:
    assert rule_error(rules.check_resume, household()) == "已在帮扶中"
    rules.check_resume(household(status="lifted"))
    rules.check_resume(household(status="exited"))


def test_a_follow_up() -> None:
    assert rules.check_task(" 联系\n 学校 ", D(2031, 3, 10), TODAY) == "联系 学校"
    assert rules.check_task("办" * 2000, TODAY, TODAY) == "办" * 2000
    assert errors_of(rules.check_task, " ", None, TODAY) == {"title": "请写明要办的事", "due_on": "请填写办理期限"}
    assert errors_of(rules.check_task, "办" * 2001, D(2031, 3, 11), TODAY) == {
        "title": "待办事项不能超过2000个字", "due_on": "办理期限不能晚于5年以后，请核对年份"}
    assert errors_of(rules.check_task, "办", D(1949, 4, 2), TODAY) == {"due_on": "办理期限不能早于1949年4月3日，请核对年份"}


def test_a_follow_up_done() -> None:
    assert rules.check_task_done(TODAY, " 已 联系\n  学校 ", TODAY) == "已 联系\n学校"
    assert rules.check_task_done(TODAY, "", TODAY) == ""
    assert errors_of(rules.check_task_done, D(2026, 3, 11), "说" * 201, TODAY) == {
        "done_on": "办结日期不能晚于今天", "done_note": "办结说明不能超过200个字"}
    assert errors_of(rules.check_task_done, D(1949, 4, 2), "说" * 200, TODAY) == {
        "done_on": "办结日期不能早于1949年4月3日，请核对年份"}
