"""The petition's own rules, one at a time and without a database (fast: in the mutation selection).

Each expected answer is written from the rule it checks — 信访工作条例 art. 20 for the group visit's
representatives (five or more people; at most five representatives, the petitioner among them), the form's
fields and their messages — not read back from the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from fulian_desktop.domain import petition as rules
from fulian_desktop.domain.deadlines import Deadline
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.records import Person, Petition, Representative, Review

TODAY = dt.date(2026, 3, 10)
# a valid ID number worked out by hand: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 11010519491231002,
# sum 167, 167 mod 11 = 2, check character for 2 is X; a woman (17th digit 2, even) born 1949-12-31
VALID_ID = "11010519491231002X"


def _petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=dt.date(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"),
                 concerned=None, headcount=1, township="城关镇", village="", category="婚姻家庭",
                 subcategory="", facts="丈夫多次殴打", request="要求制止家暴", dv=False, safety_risk=False,
                 receiving_staff="王娟")
    return replace(p, **changes)  # type: ignore[arg-type]


def _errors(p: Petition) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        rules.validate_petition(p, TODAY)
    return e.value.errors


def _group(*representatives: Representative, headcount: int = 6) -> Petition:
    return _petition(headcount=headcount, representatives=list(representatives))


# --- the form's fields --------------------------------------------------------------------------------------


def test_a_petition_of_no_known_kind_is_refused_with_the_three_kinds_named() -> None:
    assert _errors(_petition(nature="投诉")) == {"nature": "请选择事项类型（建议意见、检举控告或申诉求决）"}
    for nature in ("建议意见", "检举控告", "申诉求决"):
        assert rules.validate_petition(_petition(nature=nature), TODAY).nature == nature


def test_the_receipt_date_is_named_in_its_own_messages() -> None:
    assert _errors(_petition(received_on=dt.date(2026, 3, 11))) == {"received_on": "收到日期不能晚于今天"}
    assert _errors(_petition(received_on=dt.date(1949, 4, 2))) == {
        "received_on": "收到日期不能早于1949年4月3日，请核对年份"}
    assert rules.validate_petition(_petition(received_on=TODAY), TODAY).received_on == TODAY


def test_a_petitioner_with_a_wrong_id_number_is_told_next_to_her_own_field() -> None:
    wrong = VALID_ID[:-1] + "3"  # the check character should be X
    assert _errors(_petition(petitioner=Person(name="柳如烟", id_number=wrong))) == {
        "petitioner.id_number": "身份证号校验位不对，可能有数字抄错，请逐位核对"}
    # her sex and birth date are read from a right one
    ok = rules.validate_petition(_petition(petitioner=Person(name="柳如烟", id_number=VALID_ID)), TODAY)
    assert (ok.petitioner.id_number, ok.petitioner.sex, ok.petitioner.birth_date) == (
        VALID_ID, "女", dt.date(1949, 12, 31))


def test_a_petitioner_without_a_name_is_told_under_her_own_prefix() -> None:
    assert _errors(_petition(petitioner=Person(name="  "))) == {"petitioner.name": "请填写姓名"}


def test_the_woman_concerned_is_checked_only_when_she_is_given() -> None:
    assert rules.validate_petition(_petition(concerned=Person(name=" ", id_number=" ")), TODAY).concerned is None
    assert _errors(_petition(concerned=Person(name="", id_number="123"))) == {
        "concerned.id_number": "身份证号应为18位，现在是3位", "concerned.name": "请填写姓名"}
    # an ID number alone means she is given: she needs her name too
    assert _errors(_petition(concerned=Person(name="", id_number=VALID_ID))) == {"concerned.name": "请填写姓名"}


def test_the_woman_concerned_is_checked_against_today() -> None:
    """Her birth, from the ID number or written in, cannot be after the day of entry (2026-03-10)."""
    born_tomorrow = "430421202603110022"  # 2026-03-11, check digit 2 worked out by hand (ISO 7064 MOD 11-2)
    assert _errors(_petition(concerned=Person(name="李梅", id_number=born_tomorrow))) == {
        "concerned.id_number": "身份证号中的出生日期不合理，请核对第7至14位"}
    assert _errors(_petition(concerned=Person(name="李梅", birth_date=dt.date(2026, 3, 11)))) == {
        "concerned.birth_date": "出生日期不能晚于今天"}


def test_the_concerned_woman_given_by_name_is_kept() -> None:
    ok = rules.validate_petition(_petition(concerned=Person(name=" 李 梅 ")), TODAY)
    assert ok.concerned is not None and ok.concerned.name == "李 梅"


@pytest.mark.parametrize(("headcount", "message"), [(0, "人数至少为1"), (-1, "人数至少为1"), (10000, "人数不合理")],
                         ids=["0", "minus-1", "10000"])
def test_an_impossible_number_of_people_is_refused(headcount: int, message: str) -> None:
    assert _errors(_petition(headcount=headcount)) == {"headcount": message}


@pytest.mark.parametrize("headcount", [1, 9999])
def test_the_number_of_people_at_its_edges_is_taken(headcount: int) -> None:
    assert rules.validate_petition(_petition(headcount=headcount), TODAY).headcount == headcount


def test_every_required_field_left_blank_says_what_to_fill() -> None:
    errors = _errors(_petition(channel="传真", township=" ", category="", facts=" \n", request="", receiving_staff=" "))
    assert errors == {"channel": "请选择信访方式", "township": "请选择乡镇", "category": "请选择问题类别",
                      "facts": "请简要写明事情经过", "request": "请写明信访人的诉求", "receiving_staff": "请填写接待人"}
    assert _errors(_petition(received_on=None)) == {"received_on": "请填写收到日期"}


def test_a_saved_petition_is_cleaned_field_by_field() -> None:
    ok = rules.validate_petition(_petition(
        township=" 城关镇 ", village=" 东村 ", category=" 婚姻家庭 ", subcategory=" 家庭暴力 ", facts=" 经过 ",
        request=" 诉求 ", receiving_staff=" 王娟 ", respondent_name=" 赵四 ", respondent_relation=" 丈夫 ",
        safety_risk=True, headcount=2, channel="来信", nature="建议意见"), TODAY)
    assert (ok.township, ok.village, ok.category, ok.subcategory, ok.facts, ok.request, ok.receiving_staff,
            ok.respondent_name, ok.respondent_relation) == (
        "城关镇", "东村", "婚姻家庭", "家庭暴力", "经过", "诉求", "王娟", "赵四", "丈夫")
    assert (ok.channel, ok.nature, ok.headcount, ok.safety_risk, ok.dv) == ("来信", "建议意见", 2, True, True)
    assert ok.petitioner.name == "柳如烟" and ok.received_on == dt.date(2026, 3, 2)
    plain = rules.validate_petition(_petition(subcategory="离婚纠纷"), TODAY)
    assert (plain.dv, plain.safety_risk) == (False, False)
    assert rules.validate_petition(_petition(dv=True), TODAY).dv is True


# --- a group visit's representatives (信访工作条例 art. 20) ------------------------------------------------------


def test_only_a_visit_of_five_or_more_chooses_representatives() -> None:
    message = "只有5人以上的来访（集体访）才推选代表"
    assert _errors(_group(Representative("李四"), headcount=4)) == {"representatives": message}
    assert _errors(_petition(channel="来信", headcount=8, representatives=[Representative("李四")])) == {
        "representatives": message}
    ok = rules.validate_petition(_group(Representative("李四"), headcount=5), TODAY)
    assert ok.representatives == [Representative("李四")]


def test_blank_representative_rows_are_dropped_and_do_not_make_a_group() -> None:
    ok = rules.validate_petition(_petition(headcount=1, representatives=[Representative(" ", " ")]), TODAY)
    assert ok.representatives == []


def test_at_most_four_besides_the_petitioner() -> None:
    four = [Representative(n) for n in ("李四", "王五", "赵六", "钱七")]
    assert rules.validate_petition(_group(*four), TODAY).representatives == four
    assert _errors(_group(*four, Representative("孙八"))) == {
        "representatives": "集体访推选的代表不超过5人（信访工作条例第二十条）：信访人之外最多4人"}


def test_each_representative_is_named_and_her_phone_checked_in_her_own_row() -> None:
    errors = _errors(_group(Representative("李四"), Representative("", "13800138000"),
                            Representative("王五", "12")))
    assert errors == {"representatives.1.name": "请填写代表的姓名", "representatives.2.phone": "手机号应为11位，现在是2位"}


def test_a_representatives_name_longer_than_a_name_is_refused() -> None:
    assert _errors(_group(Representative("李" * 31))) == {"representatives.0.name": "代表姓名不能超过30个字"}
    assert rules.validate_petition(_group(Representative("李" * 30)), TODAY).representatives[0].name == "李" * 30


def test_representatives_are_cleaned() -> None:
    ok = rules.validate_petition(_group(Representative(" 李四 ", " 138 0013 8000 "), Representative("王五")), TODAY)
    assert ok.representatives == [Representative("李四", "13800138000"), Representative("王五", "")]


def test_the_same_name_twice_among_the_representatives_is_refused() -> None:
    assert _errors(_group(Representative("李四"), Representative("李四"))) == {"representatives": "代表的姓名有重复"}
    # the petitioner is the first representative: her name again is a repeat too
    assert _errors(_group(Representative("柳如烟"))) == {"representatives": "代表的姓名有重复"}


def test_too_many_representatives_is_said_once_even_with_a_repeat() -> None:
    five = [Representative(n) for n in ("李四", "李四", "赵六", "钱七", "孙八")]
    assert _errors(_group(*five))["representatives"].startswith("集体访推选的代表不超过5人")


def test_the_representatives_as_printed() -> None:
    p = _group(Representative("李四", "13800138000"), Representative("王五"))
    assert rules.representatives_text(p) == "柳如烟（信访人）、李四 13800138000、王五"
    assert rules.representatives_text(p, lead_by_name=False) == "信访人、李四 13800138000、王五"
    assert rules.representatives_text(_group()) == "柳如烟（信访人）"
    assert rules.representatives_text(_group(Representative("李四"), headcount=4)) == ""


def test_a_correction_shows_the_representatives_phones_masked() -> None:
    p = _group(Representative("李四", "13800138000"), Representative("王五"))
    values = rules.correction_values(p)
    assert values["representatives"] == "李四（138****8000）、王五"
    assert set(values) == set(rules.CORRECTION_LABELS)
    assert values["headcount"] == 6 and values["township"] == "城关镇"
    assert rules.correction_values(_petition())["representatives"] == ""


# --- a petition transferred in (交办、转送) ------------------------------------------------------------------


def test_a_transferred_petition_names_its_sender_and_number() -> None:
    ok = rules.validate_petition(_petition(source_body=" 县信访局 ", source_no=" GD-001 ",
                                           source_due_on=dt.date(2026, 3, 2)), TODAY)
    assert (ok.source_body, ok.source_no, ok.source_due_on) == ("县信访局", "GD-001", dt.date(2026, 3, 2))
    assert _errors(_petition(source_no="GD-001")) == {"source_body": "请写明交办（转送）单位"}
    assert _errors(_petition(source_body="县信访局")) == {"source_no": "请填写交办编号或工单号"}
    assert _errors(_petition(source_body="县信访局", source_no="1", source_due_on=dt.date(2026, 3, 1))) == {
        "source_due_on": "交办要求的办结日期不能早于收到日期"}
    # a date without a sender is not kept
    assert rules.validate_petition(_petition(source_due_on=dt.date(2026, 4, 1)), TODAY).source_due_on is None


def test_a_transfers_sender_and_number_are_one_line_each() -> None:
    # the sender and the number print on one line of the 登记表: a line break typed or pasted into them is a space
    ok = rules.validate_petition(_petition(source_body="县信访局\n办公室", source_no="GD\n001"), TODAY)
    assert (ok.source_body, ok.source_no) == ("县信访局 办公室", "GD 001")


def test_every_text_of_the_petition_past_its_limit_is_named_under_its_own_field() -> None:
    # the limits of the 信访登记表's boxes: 事情经过 and 诉求 5,000 characters, 被反映人 30, 接待人 40
    assert _errors(_petition(facts="打" * 5001, request="离" * 5001, respondent_name="张" * 31,
                             receiving_staff="王" * 41)) == {
        "facts": "事情经过不能超过5000个字", "request": "诉求不能超过5000个字",
        "respondent_name": "被反映人不能超过30个字", "receiving_staff": "接待人不能超过40个字"}
    ok = rules.validate_petition(_petition(facts="打" * 5000, respondent_name="张" * 30, receiving_staff="王" * 40), TODAY)
    assert (len(ok.facts), len(ok.respondent_name), len(ok.receiving_staff)) == (5000, 30, 40)


def test_a_transfer_number_longer_than_forty_characters_is_refused() -> None:
    assert _errors(_petition(source_body="县信访局", source_no="1" * 41)) == {"source_no": "交办编号不能超过40个字"}
    assert rules.validate_petition(_petition(source_body="县信访局", source_no="1" * 40), TODAY).source_no == "1" * 40
    assert _errors(_petition(source_body="县" * 41, source_no="1")) == {"source_body": "交办单位不能超过40个字"}


# --- a corrected receipt date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "label"), [("accepted_on", "受理日期"), ("told_on", "告知日期"),
                                              ("concluded_on", "办结日期")],
                         ids=["accepted_on", "told_on", "concluded_on"])
def test_a_corrected_receipt_date_may_not_come_after_what_followed(field: str, label: str) -> None:
    saved = replace(_petition(), **{field: dt.date(2026, 3, 5)})
    rules.check_received_on(saved, dt.date(2026, 3, 5))  # the same day is fine
    with pytest.raises(ValidationError) as e:
        rules.check_received_on(saved, dt.date(2026, 3, 6))
    assert e.value.errors == {"received_on": f"收到日期不能晚于{label}（2026年3月5日）"}


# --- 复查 / 复核 (arts. 35–36) and what is due ---------------------------------------------------------------------


def _review(stage: str, answered: bool) -> Review:
    return Review(stage, dt.date(2026, 5, 4), dt.date(2026, 5, 1), "本会", "请求复查",
                  answered_on=dt.date(2026, 5, 20) if answered else None)


def test_the_review_state_as_the_case_page_says_it() -> None:
    concluded = _petition(status="concluded")
    assert rules.review_state(concluded) == ""
    assert rules.review_state(replace(concluded, reviews=[_review("review", False)])) == "复查中"
    assert rules.review_state(replace(concluded, reviews=[_review("review", True)])) == "已复查"
    assert rules.review_state(replace(concluded, reviews=[_review("review", True), _review("re_review", False)])) == (
        "复核中")
    assert rules.review_state(replace(concluded, reviews=[_review("review", True), _review("re_review", True)])) == (
        "复核终结")


def test_a_concluded_petition_is_open_again_while_a_review_waits() -> None:
    assert rules.is_open(_petition(status="registered"))
    assert rules.is_open(_petition(status="accepted")) and rules.is_open(_petition(status="in_progress"))
    for status in ("concluded", "refused", "forwarded"):
        assert not rules.is_open(_petition(status=status))
    waiting = _petition(status="concluded", reviews=[_review("review", True), _review("re_review", False)])
    assert rules.is_open(waiting)
    assert rules.pending_review(waiting) == waiting.reviews[1]
    assert rules.pending_review(replace(waiting, reviews=waiting.reviews[:1])) is None


def test_what_is_due_at_each_step() -> None:
    received = dt.date(2026, 3, 2)
    assert rules.current_deadline(_petition()) == Deadline("告知是否受理", dt.date(2026, 3, 17))  # 15 days
    accepted = _petition(status="accepted", accepted_on=dt.date(2026, 3, 5))
    assert rules.current_deadline(accepted) == Deadline("办结", dt.date(2026, 5, 4))  # 60 days
    assert rules.current_deadline(replace(accepted, status="in_progress", extension_days=30)) == Deadline(
        "办结", dt.date(2026, 6, 3))
    assert rules.current_deadline(replace(accepted, nature="建议意见")) is None  # no statutory clock
    assert rules.current_deadline(_petition(status="concluded", accepted_on=received)) is None
    review = _petition(status="concluded", reviews=[_review("review", False)])
    assert rules.current_deadline(review) == Deadline("答复复查请求", dt.date(2026, 6, 3))  # 30 days from 4 May
    re_review = replace(review, reviews=[_review("review", True), _review("re_review", False)])
    assert rules.current_deadline(re_review) == Deadline("答复复核请求", dt.date(2026, 6, 3))


def test_a_transferred_petition_is_due_when_its_sender_says_if_that_comes_first() -> None:
    sent = _petition(source_body="县信访局", source_no="1", objection_due_on=dt.date(2026, 3, 9))
    assert rules.current_deadline(sent) == Deadline("确认是否属本会职责", dt.date(2026, 3, 9))
    accepted = replace(sent, status="accepted", accepted_on=dt.date(2026, 3, 5), source_due_on=dt.date(2026, 4, 1))
    assert rules.current_deadline(accepted) == Deadline("按交办要求办结", dt.date(2026, 4, 1))
    assert rules.current_deadline(replace(accepted, status="in_progress")) == Deadline("按交办要求办结", dt.date(2026, 4, 1))
    later = replace(accepted, source_due_on=dt.date(2026, 5, 5))  # after our own 4 May: ours stands
    assert rules.current_deadline(later) == Deadline("办结", dt.date(2026, 5, 4))
    same_day = replace(accepted, source_due_on=dt.date(2026, 5, 4))
    assert rules.current_deadline(same_day) == Deadline("办结", dt.date(2026, 5, 4))
    extended = replace(accepted, extension_days=30, source_due_on=dt.date(2026, 5, 20))  # ours: 3 June
    assert rules.current_deadline(extended) == Deadline("按交办要求办结", dt.date(2026, 5, 20))
    advice = replace(later, nature="建议意见")  # no clock of our own: the sender's date
    assert rules.current_deadline(advice) == Deadline("按交办要求办结", dt.date(2026, 5, 5))


def test_a_petition_passed_on_is_chased_when_the_answer_is_due_first() -> None:
    p = _petition(status="in_progress", accepted_on=dt.date(2026, 3, 5), handling_agency="司法局",
                  transfer_sent_on=dt.date(2026, 3, 6), transfer_due_on=dt.date(2026, 3, 21))
    assert rules.current_deadline(p) == Deadline("催办：司法局答复", dt.date(2026, 3, 21))
    assert rules.current_deadline(replace(p, transfer_answered_on=dt.date(2026, 3, 20))) == Deadline(
        "办结", dt.date(2026, 5, 4))
    assert rules.current_deadline(replace(p, transfer_due_on=dt.date(2026, 5, 4))) == Deadline(
        "办结", dt.date(2026, 5, 4))
    assert rules.current_deadline(replace(p, status="accepted")) == Deadline("办结", dt.date(2026, 5, 4))
    extended = replace(p, extension_days=30, transfer_due_on=dt.date(2026, 5, 20))  # ours: 3 June
    assert rules.current_deadline(extended) == Deadline("催办：司法局答复", dt.date(2026, 5, 20))
    assert rules.current_deadline(replace(p, nature="建议意见", transfer_due_on=dt.date(2026, 6, 1))) == Deadline(
        "催办：司法局答复", dt.date(2026, 6, 1))


def test_only_a_petition_with_a_clock_is_extended() -> None:
    p = _petition(status="accepted", accepted_on=dt.date(2026, 3, 5), nature="建议意见")
    with pytest.raises(RuleError) as e:
        rules.check_extend(p, 10, "理由")
    assert str(e.value) == "建议意见类事项没有法定的办结期限，不需要延期"


# --- 登记办理方式 -----------------------------------------------------------------------------------------------------


def test_the_handling_s_agency_is_one_line_and_its_opinion_held_to_its_limit() -> None:
    accepted = _petition(status="accepted", accepted_on=dt.date(2026, 3, 3))
    assert rules.check_handle(accepted, "转办/交办", " 县\n公安局 ", " 先行\n 调查 ") == ("县 公安局", "先行\n调查")
    assert rules.check_handle(accepted, "当场答复", "", "意" * 5000) == ("", "意" * 5000)
    with pytest.raises(ValidationError) as e:
        rules.check_handle(accepted, "当场答复", "", "意" * 5001)
    assert e.value.errors == {"handling_opinion": "处理意见不能超过5000个字"}


def test_a_report_or_accusation_is_not_accepted_but_forwarded() -> None:
    with pytest.raises(RuleError) as e:
        rules.check_accept(_petition(nature="检举控告"), dt.date(2026, 3, 3), TODAY)
    assert str(e.value) == "检举控告类事项应转送有权处理的机关（纪检监察机关或其他有权机关），请点“转送有权机关”"
