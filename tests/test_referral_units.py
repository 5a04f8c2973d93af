"""Referrals to a service (转介), legal aid first: the rules, answers worked out by hand (fast: in the mutation
selection).

The rules (shared/reference/forms-and-rules.md, “Legal-aid application and referral”): the centre decides within
7 days (法律援助法 art. 43) and assigns a lawyer within 3 days of approving (art. 44); a victim of domestic violence,
abuse or abandonment claiming her rights is exempt from the means test (art. 32 item 4); her consent before her
details go out; a minor's consent given by her legal representative. Every message the user reads is written out in
full; dates counted on the calendar. Every person here is made up.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import deadlines
from fulian_desktop.domain import referral as rules
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Organisation, Referral

from .rule_errors import errors_of, rule_error

D = dt.date
TODAY = D(2026, 3, 10)
REFERRED = D(2026, 3, 1)
CENTRE = Organisation(name="县法律援助中心", id=3)


def referral(**changes: object) -> Referral:
    r = Referral(referred_on=REFERRED, applicant=Person(name="王秀英", sex="女"), township="东山镇", village="石桥村",
                 matter="离婚", role="原告", legal_state="尚未进入程序", help_kinds=["诉讼代理"], facts="丈夫不同意离婚",
                 organisation=CENTRE, staff="刘芳", means="个人诚信承诺")
    for key, value in changes.items():
        setattr(r, key, value)
    return r


# --- services ---------------------------------------------------------------------------------------------------------


def test_each_service_s_letter_and_words() -> None:
    assert rules.SERVICES["法律援助"].legal_aid and not rules.SERVICES["心理咨询"].legal_aid
    assert rules.SERVICES["法律援助"].letter_title == "法律援助转介函"
    assert rules.SERVICES["庇护所/救助管理站"].letter_title == "临时庇护转介函"
    assert rules.SERVICES["心理咨询"].letter_title == "心理咨询转介函"
    assert rules.referral_words("法律援助") == "法律援助转介"
    assert rules.referral_words("派出所") == "转介（派出所）"
    assert rules.service_of("派出所").answer_days == 3
    assert rules.service_of("不存在的服务").name == "法律援助"
    assert rules.service_of("").name == "法律援助"


@pytest.mark.parametrize(("cell", "service"), [
    ("法律援助", "法律援助"), ("法律援助转介", "法律援助"), (" 法 律 援 助 ", "法律援助"), ("法援", "法律援助"),
    ("律师事务所", "法律援助"), ("转介（庇护所/救助管理站）", "庇护所/救助管理站"), ("转介(庇护所)", "庇护所/救助管理站"),
    ("庇护所", "庇护所/救助管理站"), ("救助站", "庇护所/救助管理站"), ("临时庇护转介函", "庇护所/救助管理站"),
    ("庇护所转介函", "庇护所/救助管理站"), ("民政转介函", "民政（救助）"),
    ("验伤", "医院（验伤）"), ("卫生院", "医院（验伤）"), ("就医", "医院（验伤）"), ("民政救助", "民政（救助）"),
    ("民政", "民政（救助）"), ("公安", "派出所"), ("出具告诫书", "派出所"), ("心理疏导", "心理咨询"),
    ("村委会", "村（居）委会"), ("居委会", "村（居）委会"), ("残联", "残联"), ("学校", "学校"),
    ("人社", "人社（劳动保障）"), ("法院", "法院（诉讼服务）"), ("心理", "心理咨询"), ("庇护", "庇护所/救助管理站"), ("其他", ""), ("其他帮助", ""), ("不知道", ""), ("", ""),
], ids=lambda v: v.encode("unicode_escape").decode("ascii").replace("\\", "u"))
def test_the_service_a_register_names(cell: str, service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "_SERVICE_WORDS", {})  # the words are gathered once a run: here, from the rules each time
    assert rules.service_named(cell) == service


def test_the_words_each_service_is_known_by() -> None:
    words = rules._service_words()
    assert (words["法律援助"], words["庇护所救助管理站"], words["临时庇护"], words["卫生院"], words["出警制止"]) == (
        "法律援助", "庇护所/救助管理站", "庇护所/救助管理站", "医院（验伤）", "派出所")
    assert "其他" not in words and "其他帮助" not in words and "" not in words
    assert set(words.values()) == set(rules.SERVICES)


# --- records ----------------------------------------------------------------------------------------------------------


def test_an_organisation_as_lists_show_it() -> None:
    full = Organisation(name="城关镇司法所", kind="司法所", address="城关镇人民路1号", contact_person="赵红梅",
                        phone="0734-2234567")
    assert full.label == "城关镇司法所"
    assert full.contact() == "地址：城关镇人民路1号 · 联系人：赵红梅 · 电话：0734-2234567"
    assert full.describe() == "城关镇司法所 · 地址：城关镇人民路1号 · 联系人：赵红梅 · 电话：0734-2234567"
    bare = Organisation(name="某某援助站", kind="其他", phone="12348")
    assert (bare.label, bare.contact(), bare.describe()) == ("某某援助站（其他）", "电话：12348", "某某援助站（其他） · 电话：12348")
    assert Organisation(name="某某援助站", kind="其他").describe() == "某某援助站（其他）"


def test_a_referral_s_own_words() -> None:
    assert referral(victim_of=["遗弃"]).exempt and referral(victim_of=["虐待"]).exempt
    assert not referral(victim_of=["家庭暴力"], service="心理咨询").exempt  # the means test is legal aid's
    assert not referral(victim_of=[]).exempt
    assert [referral(status=s).is_open for s in rules.STATUS_LABELS] == [True, True, True, False, False, False]
    assert [referral(matter=m).category for m in ("离婚", "财产", "劳动", "人身损害", "其他", "没有")] == [
        "婚姻家庭", "财产权益", "劳动和社会保障权益", "人身权益", "其他", "其他"]
    assert referral(service="学校").kind.name == "学校"
    assert referral(papers=["身份证", "户口簿"], papers_other="病历").papers_text() == "身份证、户口簿、病历"
    assert referral(papers=["身份证"]).papers_text() == "身份证"


def test_the_papers_sent_with_the_letter() -> None:
    r = referral(papers=["户口簿", "身份证"],
                 attached=[("照片", "伤情"), ("身份证明", "身份证复印件"), ("证据", "聊天记录"), ("录音", ""), ("病历", "出院记录")])
    assert r.papers_sent() == (["身份证", "户口簿", "证据材料"], ["录音", "病历（出院记录）"])
    assert referral(papers=[]).papers_sent() == ([], [])


def test_the_papers_the_centre_will_want() -> None:
    assert rules.suggested_papers(referral()) == ["身份证", "结婚证/离婚证", "经济困难证明或个人诚信承诺"]
    assert rules.suggested_papers(referral(means="经济困难证明", matter="抚养", papers=["身份证"])) == [
        "经济困难证明或个人诚信承诺"]
    assert rules.suggested_papers(referral(means="由接收机构核查")) == ["身份证", "结婚证/离婚证"]
    assert rules.suggested_papers(referral(victim_of=["家庭暴力"])) == ["身份证", "结婚证/离婚证"]


def test_the_exemption_sentence_of_art_32() -> None:
    assert rules.exemption_text(["遗弃", "家庭暴力", "其他"]) == (
        "申请人系遭受家庭暴力、遗弃的受害人，为主张相关权益申请法律援助，依据《中华人民共和国法律援助法》第三十二条第四项，"
        "不受经济困难条件的限制。")
    assert rules.exemption_text(("虐待",)) == (
        "申请人系遭受虐待的受害人，为主张相关权益申请法律援助，依据《中华人民共和国法律援助法》第三十二条第四项，"
        "不受经济困难条件的限制。")
    assert rules.exemption_text([]) == "" and rules.exemption_text(["其他"]) == ""
    assert rules.means_exempt(("遗弃",)) and not rules.means_exempt(("其他",))


def test_what_a_petition_s_kind_suggests() -> None:
    assert rules.victims_implied("家庭暴力", ["遗弃"]) == ["遗弃", "家庭暴力"]
    assert rules.victims_implied("家庭暴力", ["家庭暴力"]) == ["家庭暴力"]
    assert rules.victims_implied("离婚", ["虐待"]) == ["虐待"]
    assert rules.matter_for("婚姻家庭类", "家庭纠纷", True) == "家庭暴力"
    assert rules.matter_for("婚姻家庭", "离婚问题", True) == "离婚"
    assert rules.matter_for("", "社会保险", False) == "劳动"
    assert rules.matter_for("", "继承", False) == "财产"
    assert rules.matter_for("人身权益", "其他", False) == "人身损害"
    assert rules.matter_for("婚姻家庭", "其他", False) == "离婚"
    assert rules.matter_for("综合", "其他", False) == "其他"
    assert rules.split("身份证、、户口簿") == ["身份证", "户口簿"] and rules.split(None) == []  # type: ignore[arg-type]
    assert rules.join(("身份证", "户口簿")) == "身份证、户口簿"


# --- the directory ----------------------------------------------------------------------------------------------------


def test_an_organisation_comes_back_in_normal_form() -> None:
    o = rules.validate_organisation(Organisation(name=" 城关镇  司法所 ", kind="司法所", address=" 人民路1号 ",
                                                 contact_person=" 赵红梅 ", phone=" 138 0013 8000 ", active=False, id=4))
    assert o == Organisation(name="城关镇 司法所", kind="司法所", address="人民路1号", contact_person="赵红梅",
                             phone="13800138000", active=False, id=4)
    shelter = rules.validate_organisation(Organisation(name="县救助站", kind="救助管理站", service="庇护所/救助管理站"))
    assert (shelter.kind, shelter.service, shelter.phone) == ("救助管理站", "庇护所/救助管理站", "")


def test_a_wrong_organisation_is_told_what_is_wrong() -> None:
    assert errors_of(rules.validate_organisation, Organisation(name=" ", kind="医院", phone="123")) == {
        "name": "请填写机构名称", "kind": "请选择机构类别", "phone": "手机号应为11位，现在是3位"}
    assert errors_of(rules.validate_organisation, Organisation(name="甲", service="银行", kind="银行")) == {
        "service": "请选择这个机构提供的服务"}
    assert errors_of(rules.validate_organisation, Organisation(name="机" * 41, address="址" * 81,
                                                               contact_person="人" * 31)) == {
        "name": "机构名称不能超过40个字", "address": "地址不能超过80个字", "contact_person": "联系人不能超过30个字"}
    assert rules.validate_organisation(Organisation(name="机" * 40, address="址" * 80, contact_person="人" * 30)).name == (
        "机" * 40)


# --- her consent --------------------------------------------------------------------------------------------------------


def test_a_minor_on_a_day() -> None:
    girl = Person(name="王小花", birth_date=D(2008, 3, 11))
    assert rules.minor_on(girl, TODAY)  # 17 until the day before her birthday
    assert not rules.minor_on(girl, D(2026, 3, 11))  # 18 on it
    assert not rules.minor_on(Person(name="王秀英"), TODAY)


def consent_errors(c: Consent, r: Referral | None = None) -> dict[str, str]:
    return errors_of(rules.check_consent, r or referral(), c, TODAY)


def test_her_consent_in_normal_form() -> None:
    assert rules.check_consent(referral(), Consent(on=REFERRED, name="不要"), TODAY) == Consent(on=REFERRED)
    assert rules.check_consent(referral(), Consent(on=TODAY, by="法定代理人或近亲属", name=" 王大  山（父亲） ",
                                                   way="口头同意"), TODAY) == Consent(
        on=TODAY, by="法定代理人或近亲属", name="王大 山（父亲）", way="口头同意")


@pytest.mark.parametrize(("consent", "errors"), [
    (Consent(on=None), {"consent_on": "请填写同意日期"}),  # type: ignore[arg-type]
    (Consent(on=D(2026, 3, 11)), {"consent_on": "同意日期不能晚于今天"}),
    (Consent(on=D(2026, 2, 28)), {"consent_on": "同意日期不能早于转介日期（2026年3月1日）"}),
    (Consent(on=D(1949, 4, 2)), {"consent_on": "同意日期不能早于1949年4月3日，请核对年份"}),
    (Consent(on=TODAY, by="邻居", way="电话"), {"consent_by": "请选择由谁同意", "consent_way": "请选择同意的方式",
                                               "consent_name": "请填写同意人的姓名和与她的关系"}),
    (Consent(on=TODAY, by="法定代理人或近亲属", name=" "), {"consent_name": "请填写同意人的姓名和与她的关系"}),
    (Consent(on=TODAY, by="法定代理人或近亲属", name="名" * 41), {"consent_name": "同意人不能超过40个字"}),
], ids=["no-date", "tomorrow", "before-referral", "before-1949", "by-whom", "no-name", "long-name"])
def test_a_wrong_consent_is_told_what_is_wrong(consent: Consent, errors: dict[str, str]) -> None:
    assert consent_errors(consent) == errors


def test_a_minor_s_consent_is_her_representative_s() -> None:
    girl = referral(applicant=Person(name="王小花", birth_date=D(2008, 3, 5)), referred_on=D(2026, 3, 1))
    assert consent_errors(Consent(on=D(2026, 3, 4)), girl) == {
        "consent_by": "她未满十八周岁，应由法定代理人或近亲属同意（法律援助法第四十条）"}
    assert rules.check_consent(girl, Consent(on=D(2026, 3, 5)), TODAY) == Consent(on=D(2026, 3, 5))  # 18 that day
    girl.service = "心理咨询"
    assert consent_errors(Consent(on=D(2026, 3, 4)), girl) == {"consent_by": "她未满十八周岁，应由法定代理人或近亲属同意"}
    assert rule_error(rules.check_consent, referral(status="referred"), Consent(on=TODAY), TODAY) == (
        "此转介当前为“已转介”，不能登记本人同意")


# --- the form -------------------------------------------------------------------------------------------------------------


def test_a_legal_aid_referral_comes_back_in_normal_form() -> None:
    r = rules.validate_referral(referral(
        applicant=Person(name=" 王秀英 ", phone="138 0013 8000"), township=" 东山镇 ", village=" ", matter="家庭暴力",
        help_kinds=["诉讼代理", "临时庇护", "咨询"], facts=" 被打\n  多次 ", request=" 离婚\n 抚养 ", staff=" 刘芳 ",
        staff_phone=" 0734-2234567 ", occupation=" 务  农 ", opponent_name=" 李大山 ", opponent_relation=" 丈夫 ",
        victim_of=["遗弃"], means="个人诚信承诺", household_size=4, household_income=3600000,
        papers=["户口簿", "身份证", "别的"], papers_other=" 病历 ", consent=Consent(on=TODAY), status="referred",
        case_no="x"), TODAY)
    assert r == Referral(
        referred_on=REFERRED, applicant=Person(name="王秀英", phone="13800138000"), township="东山镇", village="",
        matter="家庭暴力", role="原告", legal_state="尚未进入程序", help_kinds=["咨询", "诉讼代理"], facts="被打\n多次",
        request="离婚\n抚养", organisation=CENTRE, staff="刘芳", staff_phone="0734-2234567", occupation="务 农",
        opponent_name="李大山", opponent_relation="丈夫", victim_of=["家庭暴力", "遗弃"], means="", household_size=4,
        household_income=3600000, papers=["身份证", "户口簿"], papers_other="病历", consent=Consent(on=TODAY))


def test_the_village_is_kept_and_the_request_held_to_its_limit() -> None:
    assert rules.validate_referral(referral(village=" 石桥  村 "), TODAY).village == "石桥 村"
    assert rules.validate_referral(referral(request="诉" * 5000), TODAY).request == "诉" * 5000
    assert errors_of(rules.validate_referral, referral(request="诉" * 5001), TODAY) == {"request": "诉求不能超过5000个字"}


def test_a_minor_s_own_consent_on_the_form_names_the_law_only_for_legal_aid() -> None:
    girl = referral(applicant=Person(name="王小花", birth_date=D(2008, 3, 5)), consent=Consent(on=D(2026, 3, 4)))
    assert errors_of(rules.validate_referral, girl, TODAY) == {
        "consent_by": "她未满十八周岁，应由法定代理人或近亲属同意（法律援助法第四十条）"}
    girl.service, girl.help_kinds = "心理咨询", ["心理疏导"]
    assert errors_of(rules.validate_referral, girl, TODAY) == {"consent_by": "她未满十八周岁，应由法定代理人或近亲属同意"}


def test_a_line_break_in_a_one_line_field_given_later_becomes_a_space() -> None:
    # the lawyer's name, the other papers and the consenting relative's name go on one line of the letter and the list
    sent = referral(status="referred", sent_on=REFERRED)
    assert rules.check_accept(sent, TODAY, "周\n律师", "", TODAY) == ("周 律师", "")
    assert rules.check_papers(sent, ["身份证"], "病历\r\n复印件") == (["身份证"], "病历 复印件")
    relative = Consent(on=TODAY, by="法定代理人或近亲属", name="王大山\n（父亲）")
    assert rules.check_consent(referral(), relative, TODAY).name == "王大山 （父亲）"


def test_another_service_asks_no_role_stage_or_means() -> None:
    r = rules.validate_referral(referral(service="派出所", role="第九方", legal_state="诉讼中", means="", help_kinds=["出具告诫书"],
                                         household_size=99, household_income=-5), TODAY)
    assert (r.service, r.role, r.legal_state, r.means, r.household_size, r.household_income, r.help_kinds) == (
        "派出所", "", "", "", None, None, ["出具告诫书"])


def test_every_missing_part_of_the_form() -> None:
    r = referral(referred_on=None, applicant=Person(name=""), organisation=None, township=" ", matter="", role="",
                 legal_state="", help_kinds=["临时庇护"], facts="", staff="", means="")
    assert errors_of(rules.validate_referral, r, TODAY) == {
        "referred_on": "请填写转介日期", "applicant.name": "请填写姓名", "organisation": "请选择接收机构（可在“机构名录”中添加）",
        "township": "请填写乡镇", "matter": "请选择纠纷事项", "role": "请选择她在案件中的身份", "legal_state": "请选择案件所处阶段",
        "help_kinds": "请至少选择一项申请的帮助", "facts": "请填写案情和申请理由", "staff": "请填写经办人",
        "means": "请选择经济状况的说明方式（家庭暴力、虐待、遗弃的受害人免予经济困难审查）"}


@pytest.mark.parametrize(("changes", "errors"), [
    ({"referred_on": D(2026, 3, 11)}, {"referred_on": "转介日期不能晚于今天"}),
    ({"referred_on": D(1949, 4, 2)}, {"referred_on": "转介日期不能早于1949年4月3日，请核对年份"}),
    ({"service": "银行"}, {"service": "请选择转介的服务类别"}),
    ({"organisation": Organisation(name=" ")}, {"organisation": "请选择接收机构（可在“机构名录”中添加）"}),
    ({"organisation": Organisation(name="机" * 41)}, {"organisation.name": "机构名称不能超过40个字"}),
    ({"household_size": 0}, {"household_size": "家庭人口应在1至50人之间"}),
    ({"household_size": 51}, {"household_size": "家庭人口应在1至50人之间"}),
    ({"household_income": -1}, {"household_income": "家庭年收入不合理，请核对"}),
    ({"household_income": 10_000_000_001}, {"household_income": "家庭年收入不合理，请核对"}),
    ({"papers_other": "材" * 101}, {"papers_other": "其他材料不能超过100个字"}),
    ({"staff_phone": "12"}, {"staff_phone": "手机号应为11位，现在是2位"}),
    ({"village": "村" * 41}, {"village": "村（社区）不能超过40个字"}),
    ({"occupation": "职" * 41}, {"occupation": "职业或工作单位不能超过40个字"}),
    ({"opponent_relation": "关" * 21}, {"opponent_relation": "与她的关系不能超过20个字"}),
    ({"opponent_name": "对" * 31}, {"opponent_name": "对方当事人不能超过30个字"}),
    ({"consent": Consent(on=D(2026, 2, 28))}, {"consent_on": "同意日期不能早于转介日期（2026年3月1日）"}),
], ids=["tomorrow", "before-1949", "service", "no-organisation-name", "long-organisation-name", "household-0",
        "household-51", "income-negative", "income-too-high", "papers-other", "staff-phone", "village", "occupation",
        "opponent-relation", "opponent-name", "consent-before-referral"])
def test_a_wrong_form_is_told_what_is_wrong(changes: dict[str, object], errors: dict[str, str]) -> None:
    assert errors_of(rules.validate_referral, referral(**changes), TODAY) == errors


def test_the_edges_of_the_household_figures() -> None:
    for size, income in ((1, 0), (50, 10_000_000_000)):
        r = rules.validate_referral(referral(household_size=size, household_income=income), TODAY)
        assert (r.household_size, r.household_income) == (size, income)
    assert rules.validate_referral(referral(referred_on=TODAY, consent=Consent(on=TODAY)), TODAY).referred_on == TODAY


def test_a_consent_given_with_a_form_without_a_date_is_checked_against_today() -> None:
    r = referral(referred_on=None, consent=Consent(on=D(2026, 3, 9)))
    assert errors_of(rules.validate_referral, r, TODAY) == {
        "referred_on": "请填写转介日期", "consent_on": "同意日期不能早于转介日期（2026年3月10日）"}


# --- the clocks -------------------------------------------------------------------------------------------------------------


def test_seven_days_to_answer_three_to_assign() -> None:
    assert rules.answer_deadline(REFERRED) == deadlines.Deadline("答复是否受理", D(2026, 3, 8))
    assert rules.answer_deadline(REFERRED, "庇护所/救助管理站") == deadlines.Deadline("答复是否受理", D(2026, 3, 2))
    assert rules.answer_deadline(REFERRED, "医院（验伤）").due_on == D(2026, 3, 4)
    sent = referral(status="referred", sent_on=REFERRED)
    assert rules.current_deadline(sent) == deadlines.Deadline("答复是否受理", D(2026, 3, 8))
    assert rules.current_deadline(referral(status="referred")) is None
    police = referral(status="referred", sent_on=REFERRED, service="派出所")  # the service's own 3 days, not the law's 7
    assert rules.current_deadline(police) == deadlines.Deadline("答复是否受理", D(2026, 3, 4))
    accepted = referral(status="accepted", sent_on=REFERRED, answered_on=D(2026, 3, 9))
    assert rules.current_deadline(accepted) == deadlines.Deadline("指派承办人", D(2026, 3, 12))
    accepted.lawyer = "张律师"
    assert rules.current_deadline(accepted) is None
    assert rules.current_deadline(referral(status="accepted", answered_on=D(2026, 3, 9), service="心理咨询")) is None
    assert rules.current_deadline(referral(status="accepted")) is None


def test_the_words_for_a_late_answer() -> None:
    assert rules.late_words(referral()) == "超过法定七日"
    assert rules.late_words(referral(service="派出所")) == "超过3日答复期"


@pytest.mark.parametrize(("today", "days", "late"), [
    (D(2026, 3, 8), 7, False), (D(2026, 3, 9), 8, True), (D(2026, 3, 1), 0, False),
], ids=["day-7", "day-8", "day-0"])
def test_waiting_for_the_answer(today: dt.date, days: int, late: bool) -> None:
    r = referral(status="referred", sent_on=REFERRED)
    assert (rules.waiting_days(r, today), rules.waiting_too_long(r, today)) == (days, late)


def test_no_wait_before_the_letter_went_out_or_after_the_answer() -> None:
    assert rules.waiting_days(referral(status="referred"), TODAY) is None
    assert rules.waiting_days(referral(status="accepted", sent_on=REFERRED), TODAY) is None
    assert not rules.waiting_too_long(referral(status="accepted", sent_on=REFERRED), TODAY)


@pytest.mark.parametrize(("r", "today", "text"), [
    (referral(status="referred", sent_on=REFERRED), D(2026, 3, 9),
     "已转介8天仍未答复，超过法定七日（应于2026年3月8日前答复），请联系接收机构催问"),
    (referral(status="referred", sent_on=REFERRED, service="派出所"), D(2026, 3, 5),
     "已转介4天仍未答复，超过3日答复期（应于2026年3月4日前答复），请联系接收机构催问"),
    (referral(status="referred", sent_on=REFERRED), D(2026, 3, 8), "已转介第7天，今天应答复是否受理（2026年3月8日前）"),
    (referral(status="referred", sent_on=REFERRED), D(2026, 3, 5), "已转介第4天，3天内应答复是否受理（2026年3月8日前）"),
    (referral(status="accepted", answered_on=D(2026, 3, 9)), TODAY, "2天内应指派承办人（2026年3月12日）"),
    (referral(status="awaiting_consent"), TODAY, "待本人同意：同意前不能打印和发出转介函"),
    (referral(status="concluded"), TODAY, ""),
], ids=["late", "late-police", "due-today", "in-time", "assign", "consent", "concluded"])
def test_the_clock_as_the_page_shows_it(r: Referral, today: dt.date, text: str) -> None:
    assert rules.clock_text(r, today) == text


def test_the_answer_s_note() -> None:
    sent = referral(sent_on=REFERRED)
    assert rules.answer_note(sent, D(2026, 3, 4)) == "转介后第3天答复"
    assert rules.answer_note(sent, D(2026, 3, 8)) == "转介后第7天答复"
    assert rules.answer_note(sent, D(2026, 3, 9)) == "转介后第8天答复，超过法定七日"
    assert rules.answer_note(referral(), TODAY) == ""


# --- the steps ----------------------------------------------------------------------------------------------------------------


def test_printing_needs_her_consent() -> None:
    assert rule_error(rules.check_printable, referral(status="withdrawn", consent=Consent(on=TODAY))) == (
        "这件转介已撤回，不能再打印转介函。")
    assert rule_error(rules.check_printable, referral()) == (
        "还没有登记她同意把个人信息提供给接收机构。请先点“登记本人同意”，再打印转介函。")
    rules.check_printable(referral(status="concluded", consent=Consent(on=TODAY)))


def test_accepted() -> None:
    sent = referral(status="referred", sent_on=D(2026, 3, 2))
    assert rules.check_accept(sent, D(2026, 3, 2), " 张  律师 ", " 138 0013 8000 ", TODAY) == ("张 律师", "13800138000")
    assert rules.check_accept(sent, TODAY, "", "", TODAY) == ("", "")
    assert errors_of(rules.check_accept, sent, D(2026, 3, 1), "", "", TODAY) == {
        "answered_on": "受理日期不能早于2026年3月2日"}
    assert errors_of(rules.check_accept, referral(status="referred"), D(2026, 2, 28), "", "", TODAY) == {
        "answered_on": "受理日期不能早于2026年3月1日"}  # not sent yet: from the referral's date
    assert errors_of(rules.check_accept, sent, None, "", "", TODAY) == {"answered_on": "请填写受理日期"}
    assert errors_of(rules.check_accept, sent, D(2026, 3, 11), "", "", TODAY) == {"answered_on": "受理日期不能晚于今天"}
    assert errors_of(rules.check_accept, sent, TODAY, "律" * 31, "12", TODAY) == {
        "lawyer": "承办人不能超过30个字", "lawyer_phone": "手机号应为11位，现在是2位"}
    old = referral(status="referred", referred_on=D(1949, 1, 1))
    assert errors_of(rules.check_accept, old, D(1949, 4, 2), "", "", TODAY) == {
        "answered_on": "受理日期不能早于1949年4月3日，请核对年份"}
    for status, label in (("awaiting_consent", "待本人同意"), ("accepted", "已受理"), ("refused", "不予受理"),
                          ("withdrawn", "已撤回"), ("concluded", "已办结")):
        assert rule_error(rules.check_accept, referral(status=status), TODAY, "", "", TODAY) == (
            f"此转介当前为“{label}”，不能登记受理")


def test_a_lawyer_assigned() -> None:
    accepted = referral(status="accepted")
    assert rules.check_assign(accepted, " 张律师 ", "") == ("张律师", "")
    assert errors_of(rules.check_assign, accepted, " ", "") == {"lawyer": "请填写承办人"}
    assert rule_error(rules.check_assign, referral(status="referred"), "张律师", "") == "此转介当前为“已转介”，不能登记承办人"


def test_refused() -> None:
    sent = referral(status="referred", sent_on=D(2026, 3, 2))
    assert rules.check_refuse(sent, " 不符合\n  条件 ", TODAY, TODAY) == "不符合\n条件"
    assert errors_of(rules.check_refuse, sent, " ", TODAY, TODAY) == {"reason": "请写明接收机构不予受理的理由"}
    assert errors_of(rules.check_refuse, sent, "因" * 5001, TODAY, TODAY) == {"reason": "不予受理的理由不能超过5000个字"}
    assert errors_of(rules.check_refuse, sent, "不符合", D(2026, 3, 1), TODAY) == {"answered_on": "答复日期不能早于2026年3月2日"}
    assert rule_error(rules.check_refuse, referral(status="accepted"), "不符合", TODAY, TODAY) == (
        "此转介当前为“已受理”，不能登记不予受理")


def test_withdrawn() -> None:
    for status in ("awaiting_consent", "referred", "accepted"):
        assert rules.check_withdraw(referral(status=status), " 她本人不再申请 ", REFERRED, TODAY) == "她本人不再申请"
    assert errors_of(rules.check_withdraw, referral(), "", TODAY, TODAY) == {"reason": "请写明撤回的原因（如她本人不再申请）"}
    assert errors_of(rules.check_withdraw, referral(), "不再申请", D(2026, 2, 28), TODAY) == {
        "withdrawn_on": "撤回日期不能早于2026年3月1日"}
    assert errors_of(rules.check_withdraw, referral(), "不再申请", None, TODAY) == {"withdrawn_on": "请填写撤回日期"}
    assert rule_error(rules.check_withdraw, referral(status="concluded"), "x", TODAY, TODAY) == (
        "此转介当前为“已办结”，不能撤回")


def test_concluded() -> None:
    accepted = referral(status="accepted", answered_on=D(2026, 3, 5))
    assert rules.check_conclude(accepted, "判决", " 胜诉 ", D(2026, 3, 5), TODAY) == "胜诉"
    assert rules.check_conclude(accepted, "撤诉", "", TODAY, TODAY) == ""
    assert errors_of(rules.check_conclude, accepted, "其他", " ", TODAY, TODAY) == {
        "result_note": "结果为“其他”时请写明情况"}
    assert errors_of(rules.check_conclude, accepted, "已提供帮助", "", TODAY, TODAY) == {"result": "请选择办理结果"}
    assert errors_of(rules.check_conclude, accepted, "判决", "说" * 5001, TODAY, TODAY) == {
        "result_note": "情况说明不能超过5000个字"}
    assert errors_of(rules.check_conclude, accepted, "判决", "", D(2026, 3, 4), TODAY) == {
        "concluded_on": "办结日期不能早于2026年3月5日"}
    assert errors_of(rules.check_conclude, referral(status="accepted"), "判决", "", D(2026, 2, 28), TODAY) == {
        "concluded_on": "办结日期不能早于2026年3月1日"}
    other = referral(status="accepted", service="心理咨询")
    assert rules.check_conclude(other, "已提供帮助", "", TODAY, TODAY) == ""
    assert errors_of(rules.check_conclude, other, "判决", "", TODAY, TODAY) == {"result": "请选择办理结果"}
    assert rule_error(rules.check_conclude, referral(status="referred"), "判决", "", TODAY, TODAY) == (
        "此转介当前为“已转介”，不能办结")


def test_the_papers_changed_while_open() -> None:
    assert rules.check_papers(referral(), ["户口簿", "别的", "身份证"], " 病历 ") == (["身份证", "户口簿"], "病历")
    assert errors_of(rules.check_papers, referral(status="accepted"), [], "材" * 101) == {
        "papers_other": "其他材料不能超过100个字"}
    assert rule_error(rules.check_papers, referral(status="refused"), [], "") == "此转介当前为“不予受理”，不能修改移送材料"


# --- from a petition, and corrections ---------------------------------------------------------------------------------------


def petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=TODAY, petitioner=Person(name="王秀英", sex="女", phone="13800138000", id=4),
                 concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭",
                 subcategory="家庭暴力", facts="丈夫打人", request="申请保护令", dv=True, safety_risk=True,
                 receiving_staff="刘芳", respondent_name="李大山", respondent_relation="丈夫")
    for key, value in changes.items():
        setattr(p, key, value)
    return p


def test_a_referral_drafted_from_a_petition() -> None:
    r = rules.draft_from_petition(petition(), TODAY, "赵红梅")
    assert r == Referral(
        referred_on=TODAY, applicant=Person(name="王秀英", sex="女", phone="13800138000", id=4), township="东山镇",
        village="石桥村", matter="家庭暴力", role="", legal_state="", help_kinds=["申请人身安全保护令"], facts="丈夫打人",
        request="申请保护令", organisation=None, staff="赵红梅", opponent_name="李大山", opponent_relation="丈夫",
        victim_of=["家庭暴力"])
    assert r.applicant is not petition().petitioner
    other = rules.draft_from_petition(petition(dv=False, subcategory="离婚问题", concerned=Person(name="王小花")), TODAY,
                                      "赵红梅", "心理咨询")
    assert (other.service, other.matter, other.help_kinds, other.victim_of, other.applicant.name) == (
        "心理咨询", "离婚", [], [], "王小花")
    assert rules.draft_from_petition(petition(facts="打人", request="离婚"), TODAY, "刘芳").help_kinds == []
    # the matter from the petition's category, its subcategory, and whether it is about domestic violence
    for dv, category, subcategory, matter in ((False, "财产权益", "", "财产"), (False, "婚姻家庭", "劳动权益", "劳动"),
                                             (True, "财产权益", "", "家庭暴力")):
        drafted = rules.draft_from_petition(petition(dv=dv, category=category, subcategory=subcategory), TODAY, "刘芳")
        assert drafted.matter == matter, (dv, category, subcategory)
    assert rules.draft_from_petition(petition(facts="要保护令", request=""), TODAY, "刘芳").help_kinds == ["申请人身安全保护令"]


def test_what_a_correction_compares() -> None:
    values = rules.correction_values(referral(household_size=4, household_income=3600050))
    assert (values["organisation"], values["household_size"], values["household_income"]) == (
        "县法律援助中心", 4, "¥36,000.50")
    assert values["service"] == "法律援助" and values["referred_on"] == REFERRED and values["papers"] == []
    assert list(values) == list(rules.CORRECTION_LABELS)
    bare = rules.correction_values(referral(organisation=None, household_size=None, household_income=0))
    assert (bare["organisation"], bare["household_size"], bare["household_income"]) == ("", "", "¥0.00")
    assert rules.correction_values(referral(household_income=None))["household_income"] == ""


@pytest.mark.parametrize(("saved", "message"), [
    (referral(consent=Consent(on=D(2026, 3, 3))), "转介日期不能晚于同意日期（2026年3月3日）"),
    (referral(answered_on=D(2026, 3, 3)), "转介日期不能晚于答复日期（2026年3月3日）"),
    (referral(withdrawn_on=D(2026, 3, 3)), "转介日期不能晚于撤回日期（2026年3月3日）"),
    (referral(concluded_on=D(2026, 3, 3)), "转介日期不能晚于办结日期（2026年3月3日）"),
    (referral(consent=Consent(on=D(2026, 3, 5)), answered_on=D(2026, 3, 3)), "转介日期不能晚于答复日期（2026年3月3日）"),
], ids=["consent", "answer", "withdrawn", "concluded", "consent-after-answer"])
def test_a_corrected_referral_date_stays_before_what_followed(saved: Referral, message: str) -> None:
    assert errors_of(rules.check_referred_on, saved, D(2026, 3, 4)) == {"referred_on": message}
    rules.check_referred_on(saved, D(2026, 3, 3))
    rules.check_referred_on(referral(), TODAY)
