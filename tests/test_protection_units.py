"""家暴防护 rules, answers worked out by hand (fast: in the mutation selection): the safety plan and its plain paper,
强制报告 (反家庭暴力法 art. 14: a victim who cannot protect herself — a minor under 18, a person of 60 or more
(老年人权益保障法 art. 2) … — reported to the police at once). Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import dv_repeat
from fulian_desktop.domain import mandatory_report as reports
from fulian_desktop.domain import police_contact as police
from fulian_desktop.domain import safety_plan as plans
from fulian_desktop.domain.dv_repeat import Earlier
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.mandatory_report import Report
from fulian_desktop.domain.police_contact import FollowUp, PoliceContact
from fulian_desktop.domain.safety_plan import SafetyPaper, SafetyPlan, SafetyPlanForm

D = dt.date
TODAY = D(2026, 3, 10)
BAD = "含有无法识别的字符（可能是文件编码损坏），请删去后重新输入"


def errors_of(call: object, *args: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        call(*args)  # type: ignore[operator]
    return e.value.errors


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
                                       way=" 电话报警 ", receipt_no=" No. 12 ", note=" 已\n 出警 "), TODAY)
    assert (r.reported_to, r.way, r.receipt_no, r.note) == ("东山 派出所", "电话报警", "No. 12", "已\n出警")
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
    c = police.validate_contact(PoliceContact("warning", " 东山\n派出所 ", TODAY, " 东公告字 12号 ", " 已\n 送达 "), TODAY)
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
    f = police.validate_done(FollowUp(D(2026, 3, 9), " 派出所 ", done_on=issued, finding=" 已停止\n  打人 "), TODAY, issued)
    assert (f.with_whom, f.finding) == ("派出所", "已停止\n打人")
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
], ids=["today", "yesterday", "ahead", "on-time", "early", "late"])
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
    assert dv_repeat.check_reason(caution, "  她本人\n 坚持 ") == "她本人 坚持"
    assert dv_repeat.check_reason(caution, "理" * 201) == "理" * 200
    assert dv_repeat.check_reason("", "她本人坚持") == ""
    assert dv_repeat.check_reason("", None) == ""  # type: ignore[arg-type]
    assert dv_repeat.caution_note(caution, "她本人坚持") == (
        "她的人身安全保护令在有效期内（至2026年9月1日）。经办人决定继续调解，理由：她本人坚持")
