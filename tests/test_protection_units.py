"""家暴防护 rules, answers worked out by hand (fast: in the mutation selection): the safety plan and its plain paper,
强制报告 (反家庭暴力法 art. 14: a victim who cannot protect herself — a minor under 18, a person of 60 or more
(老年人权益保障法 art. 2) … — reported to the police at once). Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import dv_repeat
from fulian_desktop.domain import dv_risk as risk
from fulian_desktop.domain import mandatory_report as reports
from fulian_desktop.domain import police_contact as police
from fulian_desktop.domain import protection_order as orders
from fulian_desktop.domain import safety_plan as plans
from fulian_desktop.domain.dv_repeat import Earlier
from fulian_desktop.domain.dv_risk import Answer, Assessment, Outcome, RiskForm, RiskItem, RiskPaper, Thresholds
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.mandatory_report import Report
from fulian_desktop.domain.police_contact import FollowUp, PoliceContact
from fulian_desktop.domain.protection_order import Applicant, Application, Order, Violation
from fulian_desktop.domain.safety_plan import SafetyPaper, SafetyPlan, SafetyPlanForm

from .rule_errors import errors_of

D = dt.date
TODAY = D(2026, 3, 10)
BAD = "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"


# --- the safety plan --------------------------------------------------------------------------------------------------


def test_a_safety_plan_in_normal_form() -> None:
    form = SafetyPlanForm(TODAY, safe_place=" 娘家 \n  东山镇李村 ", contacts="110", documents="", children=" ", other="暗号")
    assert plans.check(form, TODAY) == SafetyPlanForm(TODAY, "娘家\n东山镇李村", "110", "", "", "暗号")
    assert plans.check(SafetyPlanForm(D(1949, 4, 3), other="字" * 200), TODAY).other == "字" * 200


@pytest.mark.parametrize(("form", "errors"), [
    (SafetyPlanForm(TODAY), {"safe_place": "安全计划还是空的：至少写一项与她商定的内容"}),
    (SafetyPlanForm(TODAY, " ", "\n", "\t"), {"safe_place": "安全计划还是空的：至少写一项与她商定的内容"}),
    (SafetyPlanForm(D(2026, 3, 11)), {"made_on": "制定日期不能晚于今天"}),
    (SafetyPlanForm(D(1949, 4, 2), contacts="110"), {"made_on": "制定日期不能早于1949年4月3日，请核对年份"}),
    (SafetyPlanForm(TODAY, safe_place="字" * 201, children="字" * 201),
     {"safe_place": "安全的去处不能超过200个字", "children": "孩子的安排不能超过200个字"}),
    (SafetyPlanForm(TODAY, documents="\ud800", other="字" * 201), {"documents": BAD, "other": "其他约定不能超过200个字"}),
    (SafetyPlanForm(TODAY, contacts="字" * 201), {"contacts": "紧急时联系谁不能超过200个字"}),
], ids=["empty", "blank", "tomorrow", "before-1949", "too-long", "not-unicode", "contacts"])
def test_a_wrong_safety_plan_is_told_what_is_wrong(form: SafetyPlanForm, errors: dict[str, str]) -> None:
    assert errors_of(plans.check, form, TODAY) == errors


def plan(**parts: str) -> SafetyPlan:
    values = {"safe_place": "", "contacts": "", "documents": "", "children": "", "other": "", **parts}
    return SafetyPlan(id=1, case_id=2, case_no="信访〔2026〕第0001号", made_on=TODAY, staff="刘芳", **values)


def test_what_the_paper_prints_and_what_gives_it_away() -> None:
    p = plan(safe_place="娘家", contacts="妹妹", documents="身份证", children="奶奶家", other="暗号")
    assert p.part("children") == "奶奶家"
    assert SafetyPaper("东山县妇联", "王秀英", p, plain=True).texts() == [
        "东山县妇联", "王秀英", "信访〔2026〕第0001号", "刘芳", "娘家", "妹妹", "身份证", "奶奶家", "暗号"]
    assert plans.telltale(p) == []
    assert plans.telltale(plan(other="遇到家庭暴力就去娘家")) == ["家庭暴力"]  # not also 暴力
    assert plans.telltale(plan(contacts="村妇联主席", children="他殴打孩子时", documents="保护令")) == ["妇联", "保护令", "殴打"]
    assert plans.telltale(plan(safe_place="县救助站的庇护", other="维权")) == ["庇护", "维权"]


# --- 强制报告 ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("birth", "ground"), [
    (D(2008, 3, 11), "minor"), (D(2008, 3, 10), ""), (D(1966, 3, 11), ""), (D(1966, 3, 10), "elderly"), (None, ""),
], ids=["17", "18", "59", "60", "unknown"])
def test_a_minor_or_an_elderly_woman_on_the_day_the_case_came(birth: dt.date | None, ground: str) -> None:
    assert reports.ground_from_birth(birth, TODAY) == ground


def test_the_line_the_case_shows_until_reported() -> None:
    assert reports.required_text("minor") == (
        "她是未成年人：依法应当及时向公安机关报案（强制报告，反家庭暴力法第十四条）。报案后请记下报案的日期和公安机关。")
    assert reports.required_text("elderly").startswith("她是老年人（60周岁以上）：")
    assert reports.required_text("odd").startswith("她是不能保护自己的人：")


def test_due_the_day_found_overdue_from_the_day_after() -> None:
    found_today = Report("minor", TODAY)
    assert (reports.state(found_today, TODAY), reports.is_overdue(found_today, TODAY)) == ("今天须报案", False)
    assert reports.state(Report("minor", D(2026, 3, 11)), TODAY) == "今天须报案"
    late = Report("minor", D(2026, 3, 7))
    assert (reports.state(late, TODAY), reports.is_overdue(late, TODAY)) == ("应报未报：已逾期3天", True)
    assert reports.state(Report("minor", D(2026, 3, 9)), TODAY) == "应报未报：已逾期1天"
    done = Report("minor", D(2026, 3, 7), reported_on=D(2026, 3, 9), reported_to="东山派出所", way="电话报警")
    assert (reports.state(done, TODAY), reports.is_overdue(done, TODAY)) == ("已于2026年3月9日报告东山派出所（电话报警）", False)
    done.way = ""
    assert reports.state(done, TODAY) == "已于2026年3月9日报告东山派出所"


def test_the_ground_named_by_the_clerk() -> None:
    assert reports.validate_ground("disabled", TODAY, " 听力\n  残疾 ", TODAY) == "听力\n残疾"
    assert reports.validate_ground("other", D(1949, 4, 3), "", TODAY) == ""
    assert errors_of(reports.validate_ground, "poor", None, "说" * 301, TODAY) == {
        "note": "说明不能超过300个字", "ground": "请选择她属于哪一种不能保护自己的情形", "found_on": "请填写发现的日期"}
    assert errors_of(reports.validate_ground, "minor", D(2026, 3, 11), "", TODAY) == {"found_on": "发现日期不能晚于今天"}


def test_the_report_made() -> None:
    r = reports.validate_report(Report("minor", D(2026, 3, 7), reported_on=TODAY, reported_to=" 东山\n派出所 ",
                                       way=" 电话\n报警 ", receipt_no=" No.\n 12 ", note=" 已\n 出警 "), TODAY)
    assert (r.reported_to, r.way, r.receipt_no, r.note) == ("东山 派出所", "电话 报警", "No. 12", "已\n出警")
    assert errors_of(reports.validate_report, Report("minor", TODAY), TODAY) == {
        "reported_on": "请填写报案日期", "reported_to": "请写明向哪个公安机关（派出所）报案"}
    long = Report("minor", TODAY, reported_on=D(2026, 3, 11), reported_to="所" * 41, way="式" * 41, receipt_no="号" * 41,
                  note="说" * 301)
    assert errors_of(reports.validate_report, long, TODAY) == {
        "reported_on": "报案日期不能晚于今天", "reported_to": "报告的公安机关不能超过40个字", "way": "报告方式不能超过40个字",
        "receipt_no": "回执号不能超过40个字", "note": "说明不能超过300个字"}
    edge = Report("minor", TODAY, reported_on=TODAY, reported_to="所" * 40, way="式" * 40, receipt_no="号" * 40,
                  note="说" * 300)
    assert reports.validate_report(edge, TODAY) is edge


# --- 告诫书, 报警回执 and 查访 ---------------------------------------------------------------------------------------------


def test_the_default_follow_up_visits_a_week_a_month_three_months_on() -> None:
    assert police.schedule(D(2026, 3, 2)) == [D(2026, 3, 9), D(2026, 4, 1), D(2026, 5, 31)]
    assert police.schedule(D(2026, 3, 2), (1,)) == [D(2026, 3, 3)]


def test_a_warning_or_receipt_recorded() -> None:
    c = police.validate_contact(PoliceContact("warning", " 东山\n派出所 ", TODAY, " 东公告字\n 12号 ", " 已\n 送达 "), TODAY)
    assert (c.station, c.number, c.note, c.title) == ("东山 派出所", "东公告字 12号", "已\n送达", "告诫书")
    assert PoliceContact("receipt", "所", TODAY).title == "报警回执"
    assert PoliceContact("odd", "所", TODAY).title == "odd"
    assert errors_of(police.validate_contact, PoliceContact("letter", " ", None), TODAY) == {  # type: ignore[arg-type]
        "kind": "请选择告诫书或报警回执", "station": "请写明出具的公安机关（派出所）", "issued_on": "请填写出具日期"}
    assert errors_of(police.validate_contact, PoliceContact("receipt", "所" * 41, D(2026, 3, 11), "号" * 41, "说" * 301),
                     TODAY) == {"station": "公安机关（派出所）不能超过40个字", "number": "编号不能超过40个字",
                                "note": "说明不能超过300个字", "issued_on": "出具日期不能晚于今天"}
    edge = PoliceContact("receipt", "所" * 40, D(1949, 4, 3), "号" * 40, "说" * 300)
    assert police.validate_contact(edge, TODAY) is edge


def test_the_planned_visits() -> None:
    issued = D(2026, 3, 2)
    assert police.validate_plan([D(2026, 4, 1), issued, D(2026, 3, 9), D(2026, 4, 1)], issued, TODAY) == [
        issued, D(2026, 3, 9), D(2026, 4, 1)]
    assert police.validate_plan([D(2031, 3, 10)], issued, TODAY) == [D(2031, 3, 10)]
    assert errors_of(police.validate_plan, [D(2026, 3, 9), D(2026, 3, 1), D(2031, 3, 11)], issued, TODAY) == {
        "plan1": "查访日期不能早于告诫书的出具日期", "plan2": "查访日期不能晚于5年以后，请核对年份"}


def test_a_visit_done() -> None:
    issued = D(2026, 3, 2)
    f = police.validate_done(FollowUp(D(2026, 3, 9), " 派出所\n村委会 ", done_on=issued, finding=" 已停止\n  打人 "), TODAY,
                             issued)
    assert (f.with_whom, f.finding) == ("派出所 村委会", "已停止\n打人")
    assert errors_of(police.validate_done, FollowUp(D(2026, 3, 9)), TODAY, issued) == {
        "done_on": "请填写查访日期", "with_whom": "请选择与谁一起查访", "finding": "请写明查访情况：暴力是否停止、她的现状"}
    assert errors_of(police.validate_done, FollowUp(D(2026, 3, 9), "所" * 41, D(2026, 3, 11), "情" * 501), TODAY,
                     issued) == {"done_on": "查访日期不能晚于今天", "with_whom": "与谁查访不能超过40个字",
                                 "finding": "查访情况不能超过500个字"}
    assert errors_of(police.validate_done, FollowUp(D(2026, 3, 9), "派出所", D(2026, 3, 1), "好"), TODAY, issued) == {
        "done_on": "查访日期不能早于告诫书（回执）的出具日期"}
    assert errors_of(police.validate_done, FollowUp(D(2026, 3, 9), "派出所", D(1949, 4, 2), "好"), TODAY, D(1940, 1, 1)) == {
        "done_on": "查访日期不能早于1949年4月3日，请核对年份"}
    assert police.validate_done(FollowUp(D(2026, 3, 9), "所" * 40, TODAY, "情" * 500), TODAY, issued).done_on == TODAY


@pytest.mark.parametrize(("follow_up", "state", "overdue"), [
    (FollowUp(D(2026, 3, 10)), "今天查访", False),
    (FollowUp(D(2026, 3, 9)), "已逾期1天", True),
    (FollowUp(D(2026, 3, 13)), "3天后", False),
    (FollowUp(D(2026, 3, 5), done_on=D(2026, 3, 5)), "已查访", False),
    (FollowUp(D(2026, 3, 5), done_on=D(2026, 3, 4)), "已查访", False),
    (FollowUp(D(2026, 3, 5), done_on=D(2026, 3, 8)), "已查访（晚3天）", False),
    (FollowUp(D(2026, 3, 5), done_on=D(2026, 3, 6)), "已查访（晚1天）", False),
], ids=["today", "yesterday", "ahead", "on-time", "early", "late", "a-day-late"])
def test_a_visit_is_in_time_on_its_day_and_overdue_the_day_after(follow_up: FollowUp, state: str, overdue: bool) -> None:
    assert (police.follow_up_state(follow_up, TODAY), police.is_overdue(follow_up, TODAY)) == (state, overdue)


def test_one_line_of_the_case_s_list() -> None:
    assert police.contact_line(PoliceContact("warning", "东山派出所", D(2026, 3, 2), "东公告字12号")) == (
        "告诫书　东山派出所　2026年3月2日　编号：东公告字12号")
    assert police.contact_line(PoliceContact("receipt", "东山派出所", D(2026, 3, 2))) == "报警回执　东山派出所　2026年3月2日"


# --- she has been here before ------------------------------------------------------------------------------------------


def test_an_earlier_case_described() -> None:
    e = Earlier(3, "援转〔2026〕第0003号", "法律援助转介", D(2026, 3, 1), dv_repeat.SAME_WOMAN, "high",
                (D(2026, 9, 1), D(2026, 10, 1)))
    assert e.describe() == ("援转〔2026〕第0003号（法律援助转介，2026年3月1日，同一妇女） · 风险：高（红色） · "
                            "人身安全保护令有效至2026年9月1日 · 人身安全保护令有效至2026年10月1日")
    plain = Earlier(4, "信访〔2025〕第0009号", "信访", D(2025, 6, 1), dv_repeat.SAME_ABUSER)
    assert plain.describe() == "信访〔2025〕第0009号（信访，2025年6月1日，同一加害人）"
    assert dv_repeat.flag_note([plain, plain]) == (
        "此前12个月内曾来求助2次：信访〔2025〕第0009号（信访，2025年6月1日，同一加害人）；信访〔2025〕第0009号（信访，2025年6月1日，同一加害人）")
    assert dv_repeat.abuser_key(" 李 大山 ") == "李 大山" and dv_repeat.abuser_key("王某") == ""
    assert dv_repeat.since(D(2026, 3, 2)) == D(2025, 3, 2)


def test_mediation_is_not_appropriate_with_an_order_in_force_or_a_high_risk() -> None:
    advice = ("家庭暴力案件不宜调解：调解可能使她再受伤害，也可能被加害人用来逼她让步。"
              "请优先保障她的安全（安全计划、协助报警、申请或执行保护令）。确需继续调解的，请写明理由。")
    assert dv_repeat.caution_text([], []) == ""
    both = dv_repeat.caution_text([D(2026, 9, 1), D(2026, 10, 1), D(2026, 8, 1)], ["信访〔2026〕第0001号", "援转〔2026〕第0002号"])
    assert both == ("她的人身安全保护令在有效期内（至2026年10月1日）；最近一次风险评估为高（红色）（信访〔2026〕第0001号、援转〔2026〕第0002号）。"
                    + advice)
    assert dv_repeat.caution_text([D(2026, 9, 1)], []) == "她的人身安全保护令在有效期内（至2026年9月1日）。" + advice
    assert dv_repeat.caution_text([], ["信访〔2026〕第0001号"]) == "最近一次风险评估为高（红色）（信访〔2026〕第0001号）。" + advice


def test_going_on_despite_the_caution_needs_a_reason() -> None:
    caution = dv_repeat.caution_text([D(2026, 9, 1)], [])
    with pytest.raises(dv_repeat.CautionNeeded) as e:
        dv_repeat.check_reason(caution, " ")
    assert str(e.value) == caution
    for nothing in ("", None):  # the reason box left empty, or no reason given at all
        with pytest.raises(dv_repeat.CautionNeeded):
            dv_repeat.check_reason(caution, nothing)  # type: ignore[arg-type]
    assert dv_repeat.check_reason(caution, "  她本人\n 坚持 ") == "她本人 坚持"
    assert dv_repeat.check_reason(caution, "理" * 201) == "理" * 200
    assert dv_repeat.check_reason("", "她本人坚持") == ""
    assert dv_repeat.check_reason("", None) == ""  # type: ignore[arg-type]
    assert dv_repeat.caution_note(caution, "她本人坚持") == (
        "她的人身安全保护令在有效期内（至2026年9月1日）。经办人决定继续调解，理由：她本人坚持")


# --- 人身安全保护令 (反家庭暴力法 arts. 23–32) ---------------------------------------------------------------------------------

T = dt.datetime


@pytest.mark.parametrize(("filed", "urgent", "due"), [
    (T(2026, 3, 6, 16, 20), False, T(2026, 3, 9, 17, 0)),  # a Friday: the weekend is not skipped
    (T(2026, 3, 6, 16, 20), True, T(2026, 3, 7, 17, 0)),
    (T(2026, 3, 6, 16, 0), False, T(2026, 3, 9, 17, 0)),  # the hour it begins in is not counted
    (T(2026, 3, 6, 23, 40, 5), True, T(2026, 3, 8, 0, 0)),
    (T(2026, 3, 6, 9, 59, 59, 999999), False, T(2026, 3, 9, 10, 0)),  # the clock's fraction of a second dropped too
], ids=["friday", "friday-urgent", "on-the-hour", "before-midnight", "fraction"])
def test_the_court_rules_within_72_hours_24_if_urgent(filed: dt.datetime, urgent: bool, due: dt.datetime) -> None:
    assert orders.ruling_due(filed, urgent) == due


def test_six_months_and_the_reminder_before_the_end() -> None:
    assert orders.default_end(D(2026, 1, 10)) == D(2026, 7, 9)
    assert orders.default_end(D(2025, 8, 31)) == D(2026, 2, 27)
    assert orders.latest_end(D(2026, 1, 10)) == D(2026, 7, 10)
    assert orders.latest_end(D(2025, 8, 31)) == D(2026, 2, 28)
    assert orders.reminder_from(D(2026, 7, 9)) == D(2026, 6, 24)


def application(**changes: object) -> Application:
    a = Application(respondent="李大山", respondent_relation="丈夫", requests=[orders.MEASURES[0]], facts="3月1日被打伤",
                    evidence=["验伤报告"], court="东山县人民法院")
    for key, value in changes.items():
        setattr(a, key, value)
    return a


NOW = T(2026, 3, 10, 9, 30)


@pytest.mark.parametrize(("order", "said"), [
    (Order(application(), outcome="refused", ruled_on=D(2026, 3, 9)), "法院已驳回（2026年3月9日）"),
    (Order(application(), outcome="withdrawn"), "已撤回申请"),
    (Order(application(), outcome="granted", ends_on=D(2026, 3, 9)), "已到期（2026年3月9日）"),
    (Order(application(), outcome="granted", ends_on=TODAY), "即将到期：有效期至2026年3月10日，还有0天"),
    (Order(application(), outcome="granted", ends_on=D(2026, 3, 25), extension_filed_on=TODAY),
     "即将到期：有效期至2026年3月25日，还有15天，已申请延长"),
    (Order(application(), outcome="granted", ends_on=D(2026, 3, 26)), "有效期至2026年3月26日"),
    (Order(application(), outcome="granted", ends_on=D(2026, 3, 26), extension_filed_on=TODAY), "有效期至2026年3月26日，已申请延长"),
    (Order(application()), "申请书已出具，待提交法院"),
    (Order(application(), outcome="granted"), "申请书已出具，待提交法院"),  # no end recorded: no term to show
    (Order(application(), filed_at=T(2026, 3, 9, 8, 10)), "等待裁定：法院应在2026年3月12日 09:00前作出（72小时）"),
    (Order(application(urgent=True), filed_at=T(2026, 3, 9, 9, 10)), "等待裁定：法院应在2026年3月10日 10:00前作出（24小时）"),
    (Order(application(urgent=True), filed_at=T(2026, 3, 9, 9, 30)), "等待裁定：法院应在2026年3月10日 10:00前作出（24小时）"),
    (Order(application(urgent=True), filed_at=T(2026, 3, 9, 7, 59)), "法院应在2026年3月10日 08:00前裁定，已超过"),
], ids=["refused", "withdrawn", "ended", "last-day", "reminded-extended", "before-reminder", "extended", "not-filed",
        "granted-without-end", "waiting", "waiting-urgent", "waiting-urgent-2", "late"])
def test_what_the_order_s_line_says(order: Order, said: str) -> None:
    assert orders.state(order, NOW) == said


def test_the_ruling_is_due_up_to_its_hour() -> None:
    o = Order(application(urgent=True), filed_at=T(2026, 3, 9, 8, 10))
    assert orders.state(o, T(2026, 3, 10, 9, 0)) == "等待裁定：法院应在2026年3月10日 09:00前作出（24小时）"
    assert orders.state(o, T(2026, 3, 10, 9, 0, 1)) == "法院应在2026年3月10日 09:00前裁定，已超过"


def test_an_order_in_force() -> None:
    o = Order(application(), outcome="granted", ruled_on=D(2026, 3, 1), ends_on=TODAY)
    assert orders.in_force(o, D(2026, 3, 1)) and orders.in_force(o, TODAY)
    assert not orders.in_force(o, D(2026, 2, 28)) and not orders.in_force(o, D(2026, 3, 11))
    assert not orders.in_force(Order(application(), outcome="refused", ruled_on=D(2026, 3, 1), ends_on=TODAY), TODAY)
    assert not orders.in_force(Order(application(), outcome="granted", ruled_on=D(2026, 3, 1)), TODAY)
    assert not orders.in_force(Order(application(), outcome="granted", ends_on=TODAY), TODAY)


def test_an_application_in_normal_form() -> None:
    a = orders.validate_application(application(
        respondent=" 李 \n 大山 ", respondent_relation=" 前\n夫 ", respondent_address=" 石桥村\n3组 ",
        requests=[" 禁止殴打 ", " ", "禁止\n接触"], facts=" 被打\n  伤 ", evidence=["", " 验伤 报告 "], court=" 东山县\n人民法院 ",
        wishes=" 希望\n 他搬走 ", on_behalf=True, consent_on=TODAY), TODAY)
    assert (a.respondent, a.respondent_relation, a.respondent_address, a.requests, a.facts, a.evidence, a.court,
            a.wishes) == ("李 大山", "前 夫", "石桥村 3组", ["禁止殴打", "禁止 接触"], "被打\n伤", ["验伤 报告"], "东山县 人民法院",
                          "希望\n他搬走")
    assert orders.validate_application(application(evidence=[]), TODAY).evidence == []


def test_what_an_application_needs() -> None:
    empty = Application(respondent=" ", respondent_relation="", requests=[" "], facts="", evidence=[], on_behalf=True)
    assert errors_of(orders.validate_application, empty, TODAY) == {
        "respondent": "请写明被申请人（实施家庭暴力的人）的姓名", "respondent_relation": "请写明被申请人与申请人的关系",
        "requests": "请至少选择或写明一项请求事项", "facts": "请写明遭受家庭暴力的事实（时间、经过、伤情）",
        "court": "请写明向哪个人民法院申请", "wishes": "本会代为申请的，须记下她本人的意愿（反家庭暴力法第二十三条）",
        "consent_on": "请填写她同意由本会代为申请的日期"}
    long = application(respondent="名" * 31, respondent_relation="关" * 41, respondent_address="址" * 101,
                       requests=["求" * 301], facts="事" * 3001, evidence=["证" * 1001], court="院" * 41, wishes="愿" * 501,
                       on_behalf=True, consent_on=D(2026, 3, 11))
    assert errors_of(orders.validate_application, long, TODAY) == {
        "respondent": "被申请人不能超过30个字", "respondent_relation": "与申请人的关系不能超过40个字",
        "respondent_address": "被申请人住址不能超过100个字", "requests": "请求事项不能超过300个字",
        "facts": "事实与理由不能超过3000个字", "evidence": "证据不能超过1000个字", "court": "人民法院不能超过40个字",
        "wishes": "申请人的意愿不能超过500个字", "consent_on": "同意日期不能晚于今天"}
    assert errors_of(orders.validate_application, application(consent_on=D(1949, 4, 2)), TODAY) == {
        "consent_on": "同意日期不能早于1949年4月3日，请核对年份"}


def test_the_court_accepted_it() -> None:
    assert orders.validate_filing(" 东山县\n人民法院 ", NOW, NOW) == "东山县 人民法院"
    assert errors_of(orders.validate_filing, " ", None, NOW) == {
        "court": "请写明受理的人民法院", "filed_at": "请填写法院受理的日期和时间"}
    assert errors_of(orders.validate_filing, "院" * 41, T(2026, 3, 10, 9, 31), NOW) == {
        "court": "人民法院不能超过40个字", "filed_at": "受理时间不能晚于现在"}
    assert errors_of(orders.validate_filing, "东山县人民法院", T(1949, 4, 2, 9, 0), NOW) == {
        "filed_at": "受理日期不能早于1949年4月3日，请核对年份"}


RULED = D(2026, 3, 9)
ENDS = D(2026, 9, 8)


def ruling(o: Order, outcome: str = "granted", ruled_on: dt.date | None = RULED, order_no: str = " （2026）东01民保令1号 ",
           ordered: str = " 禁止\n 殴打 ", ends_on: dt.date | None = ENDS, note: str = " 说明 ") -> Order:
    return orders.validate_ruling(o, outcome, ruled_on, order_no, ordered, ends_on, note, TODAY)


def ruling_errors(o: Order, **kw: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        ruling(o, **kw)  # type: ignore[arg-type]
    return e.value.errors


def test_the_court_s_ruling() -> None:
    o = ruling(Order(application(), filed_at=T(2026, 3, 9, 8, 0)))
    assert (o.outcome, o.ruled_on, o.order_no, o.ordered, o.ends_on, o.outcome_note) == (
        "granted", D(2026, 3, 9), "（2026）东01民保令1号", "禁止\n殴打", D(2026, 9, 8), "说明")
    assert ruling(Order(application()), ends_on=D(2026, 9, 9)).ends_on == D(2026, 9, 9)  # six months to the day
    assert ruling(Order(application()), ends_on=D(2026, 3, 9)).ends_on == D(2026, 3, 9)
    refused = ruling(Order(application()), outcome="refused", ordered="x", ends_on=None)
    assert (refused.outcome, refused.ordered, refused.ends_on) == ("refused", "", None)
    assert ruling(Order(application()), outcome="withdrawn", ends_on=D(2026, 9, 8)).ends_on is None
    # the court's number is one line, however it was pasted
    assert ruling(Order(application()), order_no=" （2026）东01\n民保令1号 ").order_no == "（2026）东01 民保令1号"


def test_a_wrong_ruling_is_told_what_is_wrong() -> None:
    o = Order(application(), filed_at=T(2026, 3, 9, 8, 0))
    assert ruling_errors(o, outcome="odd", ruled_on=None, order_no="号" * 61, ordered="容" * 1001, note="说" * 501) == {
        "outcome": "请选择法院的结果", "ruled_on": "请填写日期", "order_no": "案号不能超过60个字",
        "ordered": "裁定内容不能超过1000个字", "note": "说明不能超过500个字"}
    assert ruling_errors(o, ruled_on=D(2026, 3, 8)) == {"ruled_on": "裁定日期不能早于法院受理的日期"}
    assert ruling_errors(o, ruled_on=D(2026, 3, 11), ends_on=D(2026, 3, 1)) == {"ruled_on": "日期不能晚于今天"}
    assert ruling_errors(o, ordered=" ", ends_on=None) == {
        "ordered": "请写明保护令的内容（禁止实施家庭暴力、禁止接触……）", "ends_on": "请填写有效期的最后一天（最长6个月）"}
    assert ruling_errors(o, ends_on=D(2026, 3, 8)) == {"ends_on": "有效期不能早于作出的日期"}
    assert ruling_errors(o, ends_on=D(2026, 9, 10)) == {
        "ends_on": "有效期最长6个月，至多到2026年9月9日（反家庭暴力法第三十条）"}


def granted(ends_on: dt.date) -> Order:
    return Order(application(), outcome="granted", ruled_on=D(2026, 3, 1), ends_on=ends_on)


def test_an_extension_asked_for() -> None:
    assert orders.validate_extension(granted(D(2026, 3, 31)), D(2026, 9, 30), " 仍有\n 危险 ", TODAY) == (
        D(2026, 9, 30), "仍有\n危险")
    assert orders.validate_extension(granted(TODAY), D(2026, 3, 11), "危险", TODAY)[0] == D(2026, 3, 11)
    assert orders.validate_extension(granted(D(2026, 3, 31)), D(2026, 10, 1), "危险", TODAY)[0] == D(2026, 10, 1)


@pytest.mark.parametrize(("order", "until", "reasons", "errors"), [
    (Order(application(), outcome="refused"), TODAY, "危险", {"until": "只有已作出的人身安全保护令可以申请延长"}),
    (Order(application(), outcome="granted"), TODAY, "危险", {"until": "只有已作出的人身安全保护令可以申请延长"}),
    (granted(D(2026, 3, 9)), D(2026, 4, 1), "危险", {"until": "这份保护令已于2026年3月9日到期，不能再延长；如仍有危险，请重新申请"}),
    (granted(D(2026, 3, 31)), None, " ", {"until": "请填写请求延长到哪一天", "reasons": "请写明需要延长的理由（仍面临家庭暴力的危险）"}),
    (granted(D(2026, 3, 31)), D(2026, 3, 31), "危险", {"until": "请求延长到的日期应晚于现在的有效期（2026年3月31日）"}),
    (granted(D(2026, 3, 31)), D(2026, 10, 2), "危险", {"until": "每次最多延长6个月，至多到2026年10月1日"}),
    (granted(D(2026, 3, 31)), D(2026, 9, 30), "理" * 3001, {"reasons": "延长的理由不能超过3000个字"}),
], ids=["refused", "no-end", "ended", "nothing", "same-day", "beyond-six-months", "long-reasons"])
def test_a_wrong_extension_is_told_what_is_wrong(order: Order, until: dt.date | None, reasons: str,
                                                 errors: dict[str, str]) -> None:
    assert errors_of(orders.validate_extension, order, until, reasons, TODAY) == errors


def test_a_violation_of_the_order() -> None:
    o = granted(D(2026, 9, 1))
    v = orders.validate_violation(Violation(D(2026, 3, 1), " 再次\n 殴打 ", D(2026, 3, 1), " 东山\n派出所 "), o, TODAY)
    assert (v.what, v.reported_to) == ("再次\n殴打", "东山 派出所")
    assert orders.validate_violation(Violation(TODAY, "上门骚扰"), o, TODAY).reported_on is None
    assert errors_of(orders.validate_violation, Violation(None, " "), o, TODAY) == {  # type: ignore[arg-type]
        "occurred_on": "请填写发生日期", "what": "请写明被申请人做了什么（如再次殴打、上门骚扰）"}
    assert errors_of(orders.validate_violation, Violation(D(2026, 2, 28), "打", D(2026, 3, 11), "所" * 41), o, TODAY) == {
        "occurred_on": "发生日期早于保护令作出的日期，不是违反保护令", "reported_to": "报告的机关不能超过40个字",
        "reported_on": "报告日期不能晚于今天"}
    assert errors_of(orders.validate_violation, Violation(D(2026, 3, 5), "打", D(2026, 3, 4), "派出所"), o, TODAY) == {
        "reported_on": "报告日期不能早于发生日期"}
    assert errors_of(orders.validate_violation, Violation(D(2026, 3, 11), "打", D(2026, 3, 5), "所"), o, TODAY) == {
        "occurred_on": "发生日期不能晚于今天", "reported_on": "报告日期不能早于发生日期"}
    assert errors_of(orders.validate_violation, Violation(D(2026, 3, 5), "打", D(2026, 3, 6), " "), o, TODAY) == {
        "reported_to": "请写明报告了哪个法院或公安机关"}
    assert orders.validate_violation(Violation(D(2026, 3, 5), "打" * 500), o, TODAY).what == "打" * 500
    assert errors_of(orders.validate_violation, Violation(D(2026, 3, 5), "打" * 501), o, TODAY) == {
        "what": "违反情况不能超过500个字"}
    assert errors_of(orders.validate_violation, Violation(None, "打", D(1949, 4, 2), "所"), Order(application()),  # type: ignore[arg-type]
                     TODAY) == {"occurred_on": "请填写发生日期", "reported_on": "报告日期不能早于1949年4月3日，请核对年份"}


# --- the risk assessment --------------------------------------------------------------------------------------------------


def test_the_thresholds() -> None:
    assert Thresholds().problems() == {}
    assert Thresholds(7, 6).problems() == {}
    assert Thresholds(999, 1).problems() == {}
    assert Thresholds(1, 0).problems() == {"medium_from": "“中”的起点应在1到999分之间"}  # 1 is a start “高” may have
    assert Thresholds(999, 999).problems() == {"high_from": "“高”的起点应大于“中”的起点"}  # and 999 one “中” may have
    assert Thresholds(6, 6).problems() == {"high_from": "“高”的起点应大于“中”的起点"}
    assert Thresholds(0, 0).problems() == {"medium_from": "“中”的起点应在1到999分之间", "high_from": "“高”的起点应在1到999分之间"}
    assert Thresholds(1000, 1000).problems() == {"medium_from": "“中”的起点应在1到999分之间",
                                                 "high_from": "“高”的起点应在1到999分之间"}


def answer(code: str, weight: int, yes: bool, critical: bool = False) -> Answer:
    return Answer(code, f"问题{code}", weight, critical, yes)


@pytest.mark.parametrize(("answers", "score", "level"), [
    ([answer("a", 5, True), answer("b", 9, False)], 5, "low"),
    ([answer("a", 6, True)], 6, "medium"),
    ([answer("a", 5, True), answer("b", 8, True)], 13, "medium"),
    ([answer("a", 6, True), answer("b", 8, True)], 14, "high"),
    ([answer("a", 0, True, critical=True), answer("b", 3, False)], 0, "high"),
    ([answer("a", 9, False, critical=True)], 0, "low"),
], ids=["5", "6", "13", "14", "critical", "critical-no"])
def test_the_level_from_the_points(answers: list[Answer], score: int, level: str) -> None:
    outcome = risk.compute(answers, Thresholds())
    assert (outcome.score, outcome.level) == (score, level)


def test_how_the_level_was_reached() -> None:
    t = Thresholds()
    critical = risk.compute([answer("a", 5, True, True), answer("b", 3, False, True), answer("c", 0, True, True)], t)
    assert critical.critical == ("问题a", "问题c")
    assert risk.why(critical, t) == "5分；有一项即为高风险的情形：问题a；问题c"
    assert risk.why(Outcome(15, "high", ()), t) == "15分（14分以上为高）"
    assert risk.why(Outcome(8, "medium", ()), t) == "8分（6至13分为中）"
    assert risk.why(Outcome(3, "low", ()), t) == "3分（6分以下为低）"


def assessment(level: str, computed: str, on: dt.date = TODAY, n: int = 1) -> Assessment:
    return Assessment(n, 2, "信访〔2026〕第0001号", on, "来访", (), 18, computed, level, "", "", "刘芳")


def test_a_level_raised_or_lowered_by_the_clerk() -> None:
    assert (assessment("high", "medium").adjusted, assessment("high", "medium").summary) == (
        "上调", "高（红色），18分 · 上调（按清单为中）")
    assert (assessment("low", "medium").adjusted, assessment("low", "medium").summary) == (
        "下调", "低（黄色），18分 · 下调（按清单为中）")
    assert (assessment("medium", "medium").adjusted, assessment("medium", "medium").summary) == ("", "中（橙色），18分")


ITEMS = [RiskItem("a", "他威胁过要杀她", 5, critical=True), RiskItem("b", "他酗酒", 3), RiskItem("c", "暴力越来越重", 8)]


def risk_form(**changes: object) -> RiskForm:
    f = RiskForm(TODAY, "来访", {"b"})
    for key, value in changes.items():
        setattr(f, key, value)
    return f


def test_an_assessment_in_normal_form() -> None:
    answers, outcome, form = risk.check(risk_form(yes={"b", "c"}, level_reason=" 她说\n  还好 ", note=" 说\n 明 "), ITEMS,
                                        Thresholds(), TODAY)
    assert answers == [Answer("a", "他威胁过要杀她", 5, True, False), Answer("b", "他酗酒", 3, False, True),
                       Answer("c", "暴力越来越重", 8, False, True)]
    assert outcome == Outcome(11, "medium", ())
    assert form == RiskForm(TODAY, "来访", {"b", "c"}, "medium", "她说\n还好", "说\n明")  # the note keeps its lines
    assert risk.check(risk_form(level="low", level_reason="她已搬离"), ITEMS, Thresholds(), TODAY)[2].level == "low"
    assert risk.check(risk_form(level="high"), ITEMS, Thresholds(), TODAY)[2].level == "high"  # raised: no reason needed


def test_a_wrong_assessment_is_told_what_is_wrong() -> None:
    t = Thresholds()
    assert errors_of(risk.check, risk_form(assessed_on=D(2026, 3, 11), occasion="路上", yes={"b", "z"}, level="odd"),
                     ITEMS, t, TODAY) == {
        "assessed_on": "评估日期不能晚于今天", "occasion": "请选择评估的时机：登记时、来访、来电、回访、查访、其他",
        "answers": "清单中没有这些项目，请重新打开评估", "level": "请选择风险等级：高、中、低"}
    assert errors_of(risk.check, risk_form(yes={"a"}, level="medium", level_reason=" "), ITEMS, t, TODAY) == {
        "level_reason": "按清单评估为“高”，定为“中”须写明理由（理由会保存在评估记录中）"}
    assert errors_of(risk.check, risk_form(level_reason="理" * 201, note="说" * 501), ITEMS, t, TODAY) == {
        "level_reason": "调整等级的理由不能超过200个字", "note": "说明不能超过500个字"}
    assert errors_of(risk.check, risk_form(note="\ud800"), ITEMS, t, TODAY) == {"level_reason": BAD}
    assert errors_of(risk.check, risk_form(assessed_on=D(1949, 4, 2)), ITEMS, t, TODAY) == {
        "assessed_on": "评估日期不能早于1949年4月3日，请核对年份"}


def test_the_administrator_s_checklist() -> None:
    assert risk.check_items([RiskItem("a", " 他  酗酒 ", 10, source=" 反家暴法 ", active=False), RiskItem("b", "问", 0)],
                            Thresholds()) == [RiskItem("a", "他 酗酒", 10, False, "反家暴法", False), RiskItem("b", "问", 0)]
    assert risk.check_items([], Thresholds()) == []
    bad = [RiskItem("a", "\ud800", 1), RiskItem("b", " ", 1), RiskItem("c", "问", 1), RiskItem("d", "问", 1),
           RiskItem("e", "问" * 81, 1), RiskItem("f", "分", 11), RiskItem("g", "负", -1), RiskItem("h", "源", 1, source="源" * 81)]
    assert errors_of(risk.check_items, bad, Thresholds(6, 6)) == {
        "high_from": "“高”的起点应大于“中”的起点", "item1": f"第1项：{BAD}", "item2": "第2项：请写上问题",
        "item4": "第4项与前面的问题重复", "item5": "第5项的问题不能超过80个字", "item6": "第6项：分值应在0到10之间",
        "item7": "第7项：分值应在0到10之间", "item8": "第8项的依据不能超过80个字"}
    assert errors_of(risk.check_items, [RiskItem("a", "问", 1, active=False)], Thresholds()) == {"items": "至少要启用一个项目"}
    assert risk.check_items([RiskItem("a", "问" * 80, 1, source="源" * 80)], Thresholds())[0].question == "问" * 80


def test_the_trend_of_her_assessments() -> None:
    assert risk.trend([]) == "还没有评估"
    assert risk.trend([assessment("medium", "medium", D(2026, 3, 1))]) == "2026年3月1日 中"
    later = assessment("high", "high", D(2026, 4, 2))
    assert risk.trend([later, assessment("medium", "medium", D(2026, 3, 1))]) == "2026年3月1日 中 → 2026年4月2日 高（上升）"
    assert risk.trend([assessment("low", "low", D(2026, 3, 1), 2), assessment("high", "high", D(2026, 3, 1), 1)]) == (
        "2026年3月1日 高 → 2026年3月1日 低（下降）")
    assert risk.trend([assessment("low", "low", D(2026, 3, 1)), assessment("low", "low", D(2026, 3, 5))]) == (
        "2026年3月1日 低 → 2026年3月5日 低（持平）")
    three = [assessment("high", "high", D(2026, 3, 1)), assessment("low", "low", D(2026, 3, 5)),
             assessment("medium", "medium", D(2026, 3, 9))]
    assert risk.trend(three) == "2026年3月1日 高 → 2026年3月5日 低 → 2026年3月9日 中（上升）"  # the last two compared


def test_what_the_risk_paper_prints() -> None:
    a = Assessment(1, 2, "信访〔2026〕第0001号", TODAY, "来访", (Answer("a", "他酗酒", 3, False, True),), 3, "low", "low",
                   "理由", "说明", "刘芳")
    assert RiskPaper("东山县妇联", "王秀英", a, Thresholds()).texts() == [
        "东山县妇联", "王秀英", "信访〔2026〕第0001号", "来访", "刘芳", "理由", "说明", "他酗酒"]


# --- the papers of 人身安全保护令 --------------------------------------------------------------------------------------------

HER = Applicant(name="王秀英", sex="女", birth="1980年1月1日", ethnicity="汉族", id_number="430521198001010020",
                address="东山镇石桥村", phone="13800138000")
OFFICE = "东山县妇女联合会"
DV_LAW_23 = "（《中华人民共和国反家庭暴力法》第二十三条）"


def test_the_application_she_signs() -> None:
    a = Application(respondent="李大山", respondent_relation="丈夫", requests=["禁止殴打", "禁止接触"], facts="3月1日被打伤",
                    evidence=["验伤报告", "报警回执"], court="东山县人民法院", respondent_address="石桥村3组", wishes="希望他搬走")
    p = orders.application_paper(a, HER, OFFICE, "信访〔2026〕第0001号", "刘芳", "0734-2234567", TODAY)
    assert p == orders.Paper(
        "order_application", "人身安全保护令申请书", OFFICE, "信访〔2026〕第0001号", TODAY,
        rows=[("申请人", "王秀英"), ("性别", "女"), ("出生日期", "1980年1月1日"), ("民族", "汉族"),
              ("身份证号", "430521198001010020"), ("联系电话", "13800138000"), ("住址", "东山镇石桥村"), ("", ""),
              ("被申请人", "李大山"), ("与申请人关系", "丈夫"), ("被申请人住址", "石桥村3组")],
        sections=[("请求事项", "1. 禁止殴打\n2. 禁止接触"), ("事实与理由", "3月1日被打伤"), ("证据清单", "1. 验伤报告\n2. 报警回执"),
                  ("申请人的意愿", "希望他搬走")],
        closing=["此致", "东山县人民法院"], signers=["申请人（签名或捺印）："], seal="",
        values={"court": "东山县人民法院", "urgent": "否", "on_behalf": "否"})


def test_the_application_made_on_her_behalf_for_a_minor_urgently() -> None:
    a = Application(respondent="李大山", respondent_relation="父亲", requests=["禁止殴打"], facts="被打", evidence=[],
                    court="东山县人民法院", urgent=True, on_behalf=True, wishes="不想回家", consent_on=D(2026, 3, 9))
    p = orders.application_paper(a, HER, OFFICE, "x", "刘芳", "", TODAY, guardian="王大山")
    assert p.rows[7:11] == [("", ""), ("法定代理人", "王大山"), ("", ""), ("被申请人", "李大山")]
    assert p.sections == [
        ("请求事项", "1. 禁止殴打\n（情况紧急，请求在二十四小时内作出）"), ("事实与理由", "被打"), ("证据清单", "（无）"),
        ("代为申请", f"申请人因受到强制、威吓等原因无法自行申请，{OFFICE}根据申请人的意愿代为申请{DV_LAW_23}。"
                     "申请人于2026年3月9日同意由本会代为申请，她的意愿是：不想回家\n经办人：刘芳")]
    assert (p.signers, p.seal, p.values) == (["申请人（签名或捺印）：", "法定代理人（签名或捺印）："], OFFICE,
                                            {"court": "东山县人民法院", "urgent": "是", "on_behalf": "是"})
    with_phone = orders.application_paper(a, HER, OFFICE, "x", "刘芳", "0734-2234567", TODAY)
    assert with_phone.sections[3][1].endswith("\n经办人：刘芳　联系电话：0734-2234567")
    plain = Application(respondent="李大山", respondent_relation="丈夫", requests=["禁止殴打"], facts="被打", evidence=[],
                        court="东山县人民法院")
    assert [h for h, _ in orders.application_paper(plain, HER, OFFICE, "x", "刘芳", "", TODAY).sections] == [
        "请求事项", "事实与理由", "证据清单"]


def test_the_office_s_situation_proof() -> None:
    p = orders.situation_paper(HER, D(2026, 3, 2), "来访", "李大山", "丈夫", ["3月2日来访，称被丈夫打伤", "3月3日陪同验伤"],
                               OFFICE, "信访〔2026〕第0001号", "刘芳", TODAY)
    assert p == orders.Paper(
        "situation_proof", "情况证明", OFFICE, "信访〔2026〕第0001号", TODAY, rows=[],
        sections=[("本会记录的情况", "1. 3月2日来访，称被丈夫打伤\n2. 3月3日陪同验伤")],
        closing=["兹证明：王秀英（女，身份证号430521198001010020）于2026年3月2日以来访方式向本会反映遭受丈夫李大山的家庭暴力，"
                 "本会已登记在案（案件编号：信访〔2026〕第0001号）。",
                 "以上情况依据本会的接待登记和工作记录如实出具，供人民法院审查人身安全保护令申请时参考"
                 "（《最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定》第六条）。", "特此证明。"],
        signers=["经办人 刘芳（签名）："], seal=OFFICE, values={"first_on": "2026-03-02"})


@pytest.mark.parametrize(("her", "who"), [
    (Applicant(name="王秀英"), "王秀英"),
    (Applicant(name="王秀英", sex="女"), "王秀英（女）"),
    (Applicant(name="王秀英", id_number="430521198001010020"), "王秀英（身份证号430521198001010020）"),
], ids=["name-only", "sex", "id-number-only"])
def test_who_the_proof_is_about(her: Applicant, who: str) -> None:
    p = orders.situation_paper(her, D(2026, 3, 2), "", "", "", ["来访"], OFFICE, "x", "刘芳", TODAY)
    assert p.closing[0] == f"兹证明：{who}于2026年3月2日向本会反映遭受家庭成员的家庭暴力，本会已登记在案（案件编号：x）。"


def test_the_request_to_extend() -> None:
    o = Order(Application(respondent="李大山", respondent_relation="丈夫", requests=[], facts="", evidence=[],
                          court="东山县人民法院", on_behalf=True),
              outcome="granted", ruled_on=D(2026, 3, 1), ends_on=D(2026, 8, 31), order_no="（2026）东01民保令1号")
    p = orders.extension_paper(o, HER, D(2027, 2, 28), "仍面临危险", OFFICE, "信访〔2026〕第0001号", TODAY, guardian="王大山")
    assert p == orders.Paper(
        "order_extension", "延长人身安全保护令申请书", OFFICE, "信访〔2026〕第0001号", TODAY,
        rows=[("申请人", "王秀英"), ("身份证号", "430521198001010020"), ("联系电话", "13800138000"), ("出生日期", "1980年1月1日"),
              ("住址", "东山镇石桥村"), ("法定代理人", "王大山"), ("", ""), ("被申请人", "李大山"), ("与申请人关系", "丈夫")],
        sections=[("请求事项", "请求将贵院于2026年3月1日作出的人身安全保护令（案号（2026）东01民保令1号）的有效期，"
                               "自2026年8月31日届满后延长至2027年2月28日。"),
                  ("事实与理由", "仍面临危险\n根据《中华人民共和国反家庭暴力法》第三十条，人身安全保护令失效前，"
                                 "人民法院可以根据申请人的申请延长。")],
        closing=["此致", "东山县人民法院"], signers=["申请人（签名或捺印）：", "法定代理人（签名或捺印）："], seal=OFFICE,
        values={"until": "2027-02-28"})
    o.application.on_behalf, o.order_no = False, ""
    own = orders.extension_paper(o, HER, D(2027, 2, 28), "仍面临危险", OFFICE, "x", TODAY)
    assert (own.seal, own.signers, own.rows[5]) == ("", ["申请人（签名或捺印）："], ("被申请人", "李大山"))
    assert own.sections[0][1] == "请求将贵院于2026年3月1日作出的人身安全保护令的有效期，自2026年8月31日届满后延长至2027年2月28日。"


def test_a_paper_kept_and_read_back() -> None:
    p = orders.Paper("situation_proof", "情况证明", OFFICE, "x", TODAY, rows=[("甲", "1")], sections=[("乙", "2")],
                     closing=["特此证明。"], signers=["经办人："], seal=OFFICE, values={"first_on": "2026-03-02"})
    content = p.to_content()
    assert content == {"version": 1, "doc": "situation_proof", "title": "情况证明", "office": OFFICE, "case_no": "x",
                       "issued_on": "2026-03-10", "rows": [["甲", "1"]], "sections": [["乙", "2"]], "closing": ["特此证明。"],
                       "signers": ["经办人："], "seal": OFFICE, "values": {"first_on": "2026-03-02"}}
    assert orders.Paper.from_content(content) == p
    assert p.texts() == ["情况证明", OFFICE, "x", "特此证明。", "经办人：", OFFICE, "甲", "1", "乙", "2"]
    bare = {"doc": "order_application", "title": "申请书", "office": OFFICE, "case_no": 7, "issued_on": "2026-03-10"}
    assert orders.Paper.from_content(bare) == orders.Paper("order_application", "申请书", OFFICE, "7", TODAY)
