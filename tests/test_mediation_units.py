"""People's mediation (婚姻家庭纠纷调解): the rules, answers worked out by hand (fast: in the mutation selection).

The rules (shared/reference/forms-and-rules.md, “People's mediation documents”): 人民调解法 art. 29 (what an
agreement states: the parties, the facts and what is disputed, each side's responsibility, each agreed item with
how and by when it is performed), art. 33 (judicial confirmation applied for within 30 days of the agreement),
司法部《人民调解工作若干规定》2002 art. 33 (normally concluded within one month); 和好, an agreement and 调解不成
need a session on record; return visits after the outcome (by default 30 days after it). Every message the user
reads is written out in full; dates counted on the calendar. Every person here is made up.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import deadlines
from fulian_desktop.domain import mediation as rules
from fulian_desktop.domain.mediation import (
    Agreement,
    AgreementItem,
    Closing,
    Counts,
    Investigation,
    Mediation,
    MediationFile,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from fulian_desktop.domain.records import Person, Petition

from .rule_errors import errors_of, rule_error

D = dt.date
TODAY = D(2026, 3, 10)
RECEIVED = D(2026, 3, 1)


def her() -> Party:
    return Party(Person(name="王秀英", sex="女"), "applicant")


def him() -> Party:
    return Party(Person(name="李大山", sex="男"), "respondent")


def mediation(**changes: object) -> Mediation:
    m = Mediation(received_on=RECEIVED, source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
                  village="石桥村", facts="常因琐事争吵", request="调解和好", registrar="刘芳", parties=[her(), him()],
                  mediator_ids=[1])
    for key, value in changes.items():
        setattr(m, key, value)
    return m


def session(**changes: object) -> Session:
    s = Session(held_on=D(2026, 3, 5), place="调委会", mediators="赵红梅", recorder="刘芳", present="双方",
                applicant_said="他打人", respondent_said="她不做饭", result="达成一致", result_detail="和好")
    for key, value in changes.items():
        setattr(s, key, value)
    return s


# --- records --------------------------------------------------------------------------------------------------------


def test_a_party_s_age_and_side() -> None:
    born = Party(Person(name="王秀英", birth_date=D(1980, 3, 11)), "applicant", stated_age=30)
    assert (born.age(TODAY), born.age(D(2026, 3, 11))) == (45, 46)  # the birthday itself counts
    assert Party(Person(name="李大山"), "respondent", stated_age=50).age(TODAY) == 50
    assert Party(Person(name="李大山"), "respondent").age(TODAY) is None
    assert [Party(Person(name="甲"), s).side_label for s in ("applicant", "respondent", "x")] == [
        "申请人", "被申请人", "x"]


def test_a_mediation_s_title_parties_and_visits() -> None:
    m = mediation(parties=[her(), him(), Party(Person(name="张桂兰"), "applicant")],
                  mediators=[Mediator(name="赵红梅"), Mediator(name="孙丽")],
                  visits=[ReturnVisit(due_on=D(2026, 5, 1)), ReturnVisit(due_on=D(2026, 4, 1), visited_on=D(2026, 4, 20)),
                          ReturnVisit(due_on=D(2026, 4, 15)), ReturnVisit(due_on=D(2026, 4, 10), visited_on=D(2026, 4, 11))])
    assert [p.person.name for p in m.applicants] == ["王秀英", "张桂兰"]
    assert [p.person.name for p in m.respondents] == ["李大山"]
    assert m.title == "王秀英、张桂兰与李大山婚姻纠纷"
    assert m.mediator_names == "赵红梅、孙丽"
    assert [v.due_on for v in m.pending_visits] == [D(2026, 4, 15), D(2026, 5, 1)]
    assert [v.visited_on for v in m.done_visits] == [D(2026, 4, 11), D(2026, 4, 20)]
    assert [mediation(status=s).is_open for s in rules.STATUS_LABELS] == [True, True, False, False, False, False, False]
    assert mediation(dispute_type="家庭暴力").title == "王秀英与李大山家庭暴力纠纷"
    assert mediation(dispute_type="其他").title == "王秀英与李大山婚姻家庭纠纷"
    assert mediation(dispute_type="").title == "王秀英与李大山婚姻家庭纠纷"
    assert ReturnVisit(due_on=TODAY, visited_on=TODAY).done and not ReturnVisit(due_on=TODAY).done


def test_the_file_number() -> None:
    assert rules.file_number(2026, 12, " 东 ") == "（2026）东人调字第12号"
    f = MediationFile(mediation(seq=3), "某县妇联婚姻家庭纠纷人民调解委员会", "东")
    assert f.file_no == "（2026）东人调字第3号"  # the year received when no year was given
    assert MediationFile(mediation(seq=3, year=2025), "某委员会", "西").file_no == "（2025）西人调字第3号"


# --- clocks ---------------------------------------------------------------------------------------------------------


def test_a_month_to_conclude_and_thirty_days_to_confirm() -> None:
    assert rules.conclude_by(D(2026, 3, 10)) == D(2026, 4, 10)
    assert rules.conclude_by(D(2026, 1, 31)) == D(2026, 2, 28)
    assert rules.judicial_confirmation_deadline(D(2026, 3, 10)) == D(2026, 4, 9)
    assert Agreement("事实", "责任", [], signed_on=D(2026, 3, 10)).confirmation_deadline == D(2026, 4, 9)
    assert Agreement("事实", "责任", []).confirmation_deadline is None


def test_the_first_return_visit_is_due_thirty_days_after_the_outcome() -> None:
    assert rules.default_visit_due(mediation(outcome_on=D(2026, 3, 8))) == D(2026, 4, 7)
    signed = mediation(agreement=Agreement("事实", "责任", [], signed_on=D(2026, 3, 6)))
    assert rules.default_visit_due(signed) == D(2026, 4, 5)
    assert rules.default_visit_due(mediation(agreement=Agreement("事实", "责任", []))) == D(2026, 3, 31)
    assert rules.default_visit_due(mediation()) == D(2026, 3, 31)


def test_how_long_a_mediation_ran() -> None:
    assert rules.duration_days(mediation(), TODAY) == 9
    assert rules.duration_days(mediation(outcome_on=D(2026, 3, 4)), TODAY) == 3
    assert not rules.overlong(mediation(outcome_on=D(2026, 4, 1)), D(2026, 5, 1))  # a month to the day
    assert rules.overlong(mediation(outcome_on=D(2026, 4, 2)), TODAY)
    assert not rules.overlong(mediation(), D(2026, 4, 1))
    assert rules.overlong(mediation(), D(2026, 4, 2))


def test_what_the_start_page_waits_for() -> None:
    assert rules.current_deadline(mediation()) == deadlines.Deadline("完成调解", D(2026, 4, 1))
    assert rules.current_deadline(mediation(status="in_progress")) == deadlines.Deadline("完成调解", D(2026, 4, 1))
    closed = mediation(status="failed", visits=[ReturnVisit(due_on=D(2026, 5, 2)), ReturnVisit(due_on=D(2026, 4, 30)),
                                                ReturnVisit(due_on=D(2026, 4, 1), visited_on=D(2026, 4, 1))])
    assert rules.current_deadline(closed) == deadlines.Deadline("回访", D(2026, 4, 30))
    assert rules.keeps_open(closed) and rules.keeps_open(mediation())
    done = mediation(status="reconciled", visits=[ReturnVisit(due_on=D(2026, 4, 1), visited_on=D(2026, 4, 1))])
    assert rules.current_deadline(done) is None
    assert not rules.keeps_open(done)


# --- a new mediation ------------------------------------------------------------------------------------------------


def test_a_new_mediation_comes_back_in_normal_form() -> None:
    m = rules.validate_mediation(mediation(
        township=" 东山镇 ", village=" 石桥村 ", facts=" 常因琐事\n争吵 ", request=" ", registrar=" 刘芳 ",
        parties=[him(), Party(Person(name=" 王秀英 ", phone="138 0013 8000"), "applicant", occupation=" 务  农 ",
                              stated_age=0)],
        mediator_ids=[2, 1, 2], case_no="x", status="agreed"), TODAY)
    assert m == Mediation(
        received_on=RECEIVED, source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
        village="石桥村", facts="常因琐事\n争吵", request="", registrar="刘芳",
        parties=[Party(Person(name="王秀英", phone="13800138000"), "applicant", occupation="务 农"),
                 Party(Person(name="李大山", sex="男"), "respondent")],
        mediator_ids=[2, 1])


def test_every_missing_detail_of_a_new_mediation() -> None:
    m = mediation(received_on=None, source="其他", dispute_type="离婚", relationship="朋友", township=" ", facts=" ",
                  registrar="", parties=[], mediator_ids=[])
    assert errors_of(rules.validate_mediation, m, TODAY) == {
        "received_on": "请填写受理日期", "source": "请选择纠纷来源", "dispute_type": "请选择纠纷类型",
        "relationship": "请选择当事人之间的关系", "township": "请选择乡镇", "facts": "请填写纠纷简要情况",
        "registrar": "请填写登记人", "mediators": "请至少选择一名调解员", "applicants": "请填写申请人",
        "respondents": "请填写被申请人"}


@pytest.mark.parametrize(("received", "message"), [
    (D(2026, 3, 11), "受理日期不能晚于今天"),
    (D(1949, 4, 2), "受理日期不能早于1949年4月3日，请核对年份"),
], ids=["tomorrow", "before-1949"])
def test_the_date_received(received: dt.date, message: str) -> None:
    assert errors_of(rules.validate_mediation, mediation(received_on=received), TODAY) == {"received_on": message}


def test_every_source_type_and_relationship_from_the_lists() -> None:
    for source in ("当事人申请", "信访转来", "公安移交", "法院委托", "主动调解"):
        assert rules.validate_mediation(mediation(source=source), TODAY).source == source
    for kind in ("婚姻", "家庭暴力", "抚养", "赡养", "财产分割", "其他"):
        assert rules.validate_mediation(mediation(dispute_type=kind), TODAY).dispute_type == kind
    for rel in ("夫妻", "婆媳", "父母子女", "兄弟姐妹", "其他"):
        assert rules.validate_mediation(mediation(relationship=rel), TODAY).relationship == rel
    assert rules.validate_mediation(mediation(received_on=TODAY), TODAY).received_on == TODAY


def test_each_party_is_checked_under_its_side() -> None:
    m = mediation(parties=[her(), Party(Person(name=""), "applicant", stated_age=121),
                           him(), Party(Person(name="张三", phone="123"), "respondent", stated_age=-1,
                                        occupation="职" * 41)])
    assert errors_of(rules.validate_mediation, m, TODAY) == {
        "applicants.1.name": "请填写姓名", "applicants.1.age": "年龄不合理",
        "respondents.1.phone": "手机号应为11位，现在是3位", "respondents.1.age": "年龄不合理",
        "respondents.1.occupation": "职业或职务不能超过40个字"}
    assert rules.validate_mediation(mediation(parties=[her(), Party(Person(name="张三"), "respondent", stated_age=120)]),
                                    TODAY).parties[1].stated_age == 120
    assert rules.party_prefix("applicant", 2) == "applicants.2."


def test_a_party_on_neither_side() -> None:
    errors: dict[str, str] = {}
    p = rules.check_party(Party(Person(name="王秀英"), "witness", occupation=None, stated_age=1), TODAY,  # type: ignore[arg-type]
                          errors, "x.")
    assert errors == {"x.side": "请选择申请人或被申请人"}
    assert p == Party(Person(name="王秀英"), "witness", occupation="", stated_age=1)


@pytest.mark.parametrize(("first", "second", "refused"), [
    (Person(name="王秀英", id=7), Person(name="王秀", id=7), True),
    (Person(name="王秀英", id_number="430521198001010020"), Person(name="王秀", id_number="430521198001010020"), True),
    (Person(name="王秀英", id=7), Person(name="王秀", id=8), False),
    (Person(name="王秀英"), Person(name="王秀英"), False),  # nothing to say they are one person
], ids=["same-record", "same-id-number", "two-records", "same-name"])
def test_one_person_cannot_be_on_both_sides(first: Person, second: Person, refused: bool) -> None:
    m = mediation(parties=[Party(first, "applicant"), Party(second, "respondent")])
    if refused:
        assert errors_of(rules.validate_mediation, m, TODAY) == {"parties": "同一个人不能既是申请人又是被申请人"}
    else:
        rules.validate_mediation(m, TODAY)


def test_one_person_twice_on_the_same_side_is_not_the_both_sides_rule() -> None:
    m = mediation(parties=[Party(Person(name="王秀英", id=7), "applicant"), Party(Person(name="王秀", id=7), "applicant"),
                           him()])
    assert len(rules.validate_mediation(m, TODAY).parties) == 3


# --- sessions and investigations --------------------------------------------------------------------------------------


def test_a_session_comes_back_in_normal_form() -> None:
    s = rules.validate_session(mediation(), session(place=" 调委会 ", others=" 村主任 ", facts_found=" 属实 ",
                                                    explained=False, id=3, number=2), TODAY)
    assert s == Session(held_on=D(2026, 3, 5), place="调委会", mediators="赵红梅", recorder="刘芳", present="双方",
                        applicant_said="他打人", respondent_said="她不做饭", result="达成一致", result_detail="和好",
                        facts_found="属实", others="村主任", explained=False)
    assert rules.validate_session(mediation(), session(held_on=RECEIVED, result="调解不成"), TODAY).result == "调解不成"


def test_every_missing_part_of_a_session() -> None:
    s = Session(held_on=None, place=" ", mediators="", recorder="", present="", applicant_said="", respondent_said="",
                result="", result_detail="")
    assert errors_of(rules.validate_session, mediation(), s, TODAY) == {
        "held_on": "请填写调解日期", "place": "请填写调解地点", "mediators": "请填写调解员", "recorder": "请填写记录人",
        "present": "请填写到场当事人", "applicant_said": "请填写申请人陈述", "respondent_said": "请填写被申请人陈述",
        "result": "请选择本次调解的结果", "result_detail": "请填写未达成一致的原因及下一步"}
    assert errors_of(rules.validate_session, mediation(), session(result_detail=" "), TODAY) == {
        "result_detail": "请填写达成一致的内容"}
    assert errors_of(rules.validate_session, mediation(), session(result="择期再调"), TODAY) == {
        "result": "请选择本次调解的结果"}
    assert errors_of(rules.validate_session, mediation(), session(place="地" * 201), TODAY) == {
        "place": "调解地点不能超过200个字"}


@pytest.mark.parametrize(("held_on", "outcome_on", "message"), [
    (D(2026, 3, 11), None, "调解日期不能晚于今天"),
    (D(2026, 2, 28), None, "调解日期不能早于2026年3月1日"),
    (D(2026, 3, 9), D(2026, 3, 8), "调解日期不能晚于结案日期（2026年3月8日）"),
    (D(2026, 3, 11), D(2026, 3, 8), "调解日期不能晚于今天"),  # one message: the first problem
], ids=["tomorrow", "before-received", "after-outcome", "tomorrow-after-outcome"])
def test_the_date_of_a_session_being_corrected(held_on: dt.date, outcome_on: dt.date | None, message: str) -> None:
    m = mediation(status="failed", outcome_on=outcome_on)
    assert errors_of(rules.validate_session, m, session(held_on=held_on), TODAY, True) == {"held_on": message}


def test_a_session_on_the_day_of_the_outcome_when_corrected() -> None:
    m = mediation(status="failed", outcome_on=D(2026, 3, 8))
    assert rules.validate_session(m, session(held_on=D(2026, 3, 8)), TODAY, correcting=True).held_on == D(2026, 3, 8)


def test_no_session_or_investigation_once_closed() -> None:
    for status, label in (("reconciled", "和好"), ("agreed", "达成协议"), ("self_settled", "自行和解"),
                          ("failed", "调解不成"), ("ended", "终止调解"), ("odd", "odd")):
        assert rule_error(rules.validate_session, mediation(status=status), session(), TODAY) == (
            f"这件调解已经“{label}”，不能再记录调解")
        assert rule_error(rules.validate_investigation, mediation(status=status), investigation(), TODAY) == (
            f"这件调解已经“{label}”，不能再记录调查")
    rules.validate_session(mediation(status="in_progress"), session(), TODAY)


def investigation(**changes: object) -> Investigation:
    i = Investigation(held_on=D(2026, 3, 4), place="石桥村", investigator="赵红梅", recorder="", subject="张桂兰",
                      subject_role="", content="邻居证实")
    for key, value in changes.items():
        setattr(i, key, value)
    return i


def test_an_investigation() -> None:
    inv = rules.validate_investigation(mediation(), investigation(recorder=" 刘芳 ", subject_role=" 邻居 ", id=4, number=2),
                                       TODAY)
    assert inv == Investigation(held_on=D(2026, 3, 4), place="石桥村", investigator="赵红梅", recorder="刘芳",
                                subject="张桂兰", subject_role="邻居", content="邻居证实")
    empty = Investigation(held_on=None, place="", investigator="", recorder="", subject="", subject_role="", content="")
    assert errors_of(rules.validate_investigation, mediation(), empty, TODAY) == {
        "held_on": "请填写调查日期", "place": "请填写调查地点", "investigator": "请填写调查人", "subject": "请填写被调查人",
        "content": "请填写调查内容"}
    assert errors_of(rules.validate_investigation, mediation(), investigation(held_on=D(2026, 2, 28)), TODAY) == {
        "held_on": "调查日期不能早于2026年3月1日"}
    closed = mediation(status="ended", outcome_on=D(2026, 3, 3))
    assert errors_of(rules.validate_investigation, closed, investigation(), TODAY, True) == {
        "held_on": "调查日期不能晚于结案日期（2026年3月3日）"}


def test_every_text_of_an_investigation_past_its_limit_is_named_under_its_own_field() -> None:
    # the 调查笔录 prints place, investigator and the person's role on one line each (200), the recorder as a name
    # from the list (40), the person questioned as a name (30), what was found as long text (5,000)
    too_long = investigation(place="地" * 201, investigator="调" * 201, recorder="记" * 41, subject="张" * 31,
                             subject_role="邻" * 201, content="证" * 5001)
    assert errors_of(rules.validate_investigation, mediation(), too_long, TODAY) == {
        "place": "调查地点不能超过200个字", "investigator": "调查人不能超过200个字", "recorder": "记录人不能超过40个字",
        "subject": "被调查人不能超过30个字", "subject_role": "被调查人身份不能超过200个字",
        "content": "调查内容不能超过5000个字"}
    at_most = investigation(place="地" * 200, investigator="调" * 200, recorder="记" * 40, subject="张" * 30,
                            subject_role="邻" * 200, content="证" * 5000)
    assert rules.validate_investigation(mediation(), at_most, TODAY).content == "证" * 5000


# --- the outcome ----------------------------------------------------------------------------------------------------


def agreement(*items: AgreementItem) -> Agreement:
    return Agreement(facts="双方因家务争吵", duties="男方负主要责任",
                     items=list(items) or [AgreementItem("男方不再动手", "书面保证", "协议签订时")])


def agreement_errors(a: Agreement, m: Mediation | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    rules.validate_agreement(m or mediation(), a, errors)
    return errors


def test_an_agreement_comes_back_in_normal_form() -> None:
    errors: dict[str, str] = {}
    a = rules.validate_agreement(mediation(), Agreement(
        facts=" 双方因家务争吵 ", duties=" 男方负主要责任 ", signed_on=D(2026, 3, 9),
        items=[AgreementItem(" ", "", " ", ""), AgreementItem(" 男方不再动手 ", " 书面保证 ", " 协议签订时 ", " 调委会 ")]),
        errors)
    assert errors == {}
    assert a == Agreement(facts="双方因家务争吵", duties="男方负主要责任", signed_on=D(2026, 3, 9),
                          items=[AgreementItem("男方不再动手", "书面保证", "协议签订时", "调委会")])


def test_an_agreement_needs_both_sides() -> None:
    message = "调解协议须有申请人和被申请人双方，请先补全当事人"
    assert rule_error(rules.validate_agreement, mediation(parties=[her()]), agreement(), {}) == message
    assert rule_error(rules.validate_agreement, mediation(parties=[him()]), agreement(), {}) == message


def test_what_an_agreement_must_state() -> None:
    assert agreement_errors(Agreement(facts=" ", duties="", items=[])) == {
        "agreement.facts": "请填写纠纷主要事实和争议事项", "agreement.duties": "请填写各方当事人的责任",
        "agreement.items": "请至少写一项协议内容（做什么、怎样履行、何时履行）"}
    assert agreement_errors(agreement(AgreementItem("", "", "", " "))) == {
        "agreement.items": "请至少写一项协议内容（做什么、怎样履行、何时履行）"}
    # the rows are numbered as the agreement prints them: empty rows left out; the error is keyed by the row
    assert agreement_errors(agreement(AgreementItem("", "", ""), AgreementItem("付抚养费", "", "每月5日前"),
                                      AgreementItem("", "", "", "调委会"))) == {
        "agreement.items.1": "第1项：请写明履行方式", "agreement.items.2": "第2项：请写明协议内容、履行方式、履行期限"}
    assert agreement_errors(agreement(AgreementItem("付抚养费", "转账", ""))) == {
        "agreement.items.0": "第1项：请写明履行期限"}
    assert agreement_errors(agreement(AgreementItem("付" * 5001, "转" * 201, "月" * 101, "地" * 201))) == {
        "agreement.items.0": "第1项：协议内容不能超过5000个字；履行方式不能超过200个字；履行期限不能超过100个字；履行地点不能超过200个字"}
    assert agreement_errors(agreement(AgreementItem("付" * 5000, "转" * 200, "月" * 100, "地" * 200))) == {}
    assert agreement_errors(Agreement(facts="事" * 5001, duties="责", items=agreement().items)) == {
        "agreement.facts": "纠纷主要事实和争议事项不能超过5000个字"}


def closing_errors(c: Closing, m: Mediation | None = None) -> dict[str, str]:
    return errors_of(rules.validate_closing, m or mediation(sessions=[session()]), c, TODAY)


def test_each_outcome_comes_back_in_normal_form() -> None:
    m = mediation(sessions=[session()])
    assert rules.validate_closing(m, Closing("reconciled", TODAY, " 已和好 ", failed_route="引导诉讼"), TODAY) == (
        Closing("reconciled", TODAY, "已和好"))
    assert rules.validate_closing(m, Closing("failed", TODAY, "分歧大", " 引导诉讼 "), TODAY) == (
        Closing("failed", TODAY, "分歧大", "引导诉讼"))
    done = rules.validate_closing(m, Closing("agreed", D(2026, 3, 5), "", agreement=agreement()), TODAY)
    assert done == Closing("agreed", D(2026, 3, 5), "", agreement=Agreement(
        facts="双方因家务争吵", duties="男方负主要责任", items=[AgreementItem("男方不再动手", "书面保证", "协议签订时")],
        signed_on=D(2026, 3, 5)))
    # settled by themselves, or ended: no session needed, and any date from the day received
    assert rules.validate_closing(mediation(), Closing("self_settled", RECEIVED, "自行和解"), TODAY).outcome == "self_settled"
    assert rules.validate_closing(mediation(status="in_progress"), Closing("ended", TODAY, "撤回"), TODAY).note == "撤回"


@pytest.mark.parametrize(("outcome", "name"), [("reconciled", "和好"), ("agreed", "达成调解协议"), ("failed", "调解不成")])
def test_a_reconciliation_an_agreement_or_a_failure_needs_a_session(outcome: str, name: str) -> None:
    c = Closing(outcome, TODAY, "说明", "引导诉讼", agreement())
    assert rule_error(rules.validate_closing, mediation(), c, TODAY) == f"“{name}”须有调解记录，请先记录调解经过"


@pytest.mark.parametrize(("closing", "errors"), [
    (Closing("divorced", TODAY, "离"), {"outcome": "请选择调解结果"}),
    (Closing("reconciled", TODAY, " "), {"note": "请填写和好情况"}),
    (Closing("self_settled", TODAY, ""), {"note": "请填写和解情况"}),
    (Closing("failed", TODAY, "", " "), {"note": "请填写调解不成的原因",
                                         "failed_route": "请写明引导当事人通过什么途径解决（如引导诉讼）"}),
    (Closing("ended", TODAY, ""), {"note": "请填写终止调解的理由"}),
    (Closing("agreed", TODAY, ""), {"agreement.items": "请填写调解协议"}),
    (Closing("agreed", None, "", agreement=Agreement("", "责", [])),  # type: ignore[arg-type]
     {"on": "请填写协议签订日期", "agreement.facts": "请填写纠纷主要事实和争议事项",
      "agreement.items": "请至少写一项协议内容（做什么、怎样履行、何时履行）"}),
    (Closing("reconciled", D(2026, 3, 11), "好"), {"on": "结案日期不能晚于今天"}),
    (Closing("reconciled", D(2026, 3, 4), "好"), {"on": "结案日期不能早于第一次调解（2026年3月5日）"}),
    (Closing("agreed", D(2026, 3, 4), "", agreement=agreement()), {"on": "协议签订日期不能早于第一次调解（2026年3月5日）"}),
    (Closing("failed", D(2026, 3, 4), "分歧", "诉讼"), {"on": "结案日期不能早于第一次调解（2026年3月5日）"}),
    (Closing("ended", D(2026, 2, 28), "撤回"), {"on": "结案日期不能早于2026年3月1日"}),
    (Closing("failed", TODAY, "因" * 5001, "诉讼"), {"note": "调解不成的原因不能超过5000个字"}),
    (Closing("divorced", TODAY, "因" * 5001), {"note": "说明不能超过5000个字"}),
    (Closing("failed", TODAY, "因", "途" * 201), {"failed_route": "其他途径不能超过200个字"}),
], ids=["outcome", "reconciled", "self-settled", "failed", "ended", "no-agreement", "agreement-wrong", "tomorrow",
        "before-session", "signed-before-session", "failed-before-session", "before-received", "long-note",
        "long-note-no-outcome", "long-route"])
def test_a_wrong_closing_is_told_what_is_wrong(closing: Closing, errors: dict[str, str]) -> None:
    assert closing_errors(closing) == errors


def test_an_outcome_on_the_day_of_the_first_session_and_an_ended_one_before_it() -> None:
    m = mediation(sessions=[session(held_on=D(2026, 3, 5)), session(held_on=D(2026, 3, 3))])
    assert rules.validate_closing(m, Closing("reconciled", D(2026, 3, 5), "好"), TODAY).on == D(2026, 3, 5)
    assert rules.validate_closing(m, Closing("ended", D(2026, 3, 4), "撤回"), TODAY).on == D(2026, 3, 4)
    assert rules.validate_closing(m, Closing("self_settled", D(2026, 3, 2), "和"), TODAY).on == D(2026, 3, 2)


def test_no_closing_twice() -> None:
    m = mediation(status="agreed", sessions=[session()])
    assert rule_error(rules.validate_closing, m, Closing("reconciled", TODAY, "好"), TODAY) == (
        "这件调解已经“达成协议”，不能再结案")


def test_what_the_timeline_says_of_a_closing() -> None:
    two = Agreement("事实", "责任", [AgreementItem("甲", "乙", "丙"), AgreementItem("丁", "戊", "己")])
    assert rules.closing_note(Closing("agreed", TODAY, "", agreement=two), RECEIVED) == "2026年3月10日签订调解协议，共2项"
    assert rules.closing_note(Closing("failed", TODAY, "分歧大", "引导诉讼"), RECEIVED) == "分歧大；引导诉讼"
    assert rules.closing_note(Closing("reconciled", D(2026, 4, 1), "已和好"), RECEIVED) == "已和好"
    assert rules.closing_note(Closing("reconciled", D(2026, 4, 2), "已和好"), RECEIVED) == (
        "已和好（调解历时32天，超过一个月）")


def test_correcting_an_agreement() -> None:
    agreed = mediation(status="agreed", outcome_on=D(2026, 3, 6))
    assert rules.check_agreement_change(agreed, agreement()) == Agreement(
        "双方因家务争吵", "男方负主要责任", [AgreementItem("男方不再动手", "书面保证", "协议签订时")], signed_on=D(2026, 3, 6))
    assert errors_of(rules.check_agreement_change, agreed, Agreement("", "责", agreement().items)) == {
        "agreement.facts": "请填写纠纷主要事实和争议事项"}
    assert rule_error(rules.check_agreement_change, mediation(status="reconciled"), agreement()) == (
        "只有“达成协议”的调解才有调解协议可以修改")


# --- return visits and the file -----------------------------------------------------------------------------------------


def test_scheduling_a_return_visit() -> None:
    closed = mediation(status="reconciled", outcome_on=D(2026, 3, 8))
    assert rules.check_schedule_visit(closed, D(2026, 3, 8), " 看看 \n 是否和睦 ") == "看看\n是否和睦"
    assert rules.check_schedule_visit(closed, D(2031, 3, 8), "") == ""
    assert errors_of(rules.check_schedule_visit, closed, None, "计" * 201) == {
        "plan": "回访事项不能超过200个字", "due_on": "请填写回访日期"}
    assert errors_of(rules.check_schedule_visit, closed, D(2026, 3, 7), "") == {
        "due_on": "回访日期不能早于结案日期（2026年3月8日）"}
    assert errors_of(rules.check_schedule_visit, closed, D(2031, 3, 9), "") == {
        "due_on": "回访日期不能晚于5年以后，请核对年份"}
    # closed without an outcome date: counted from the day received
    no_date = mediation(status="ended")
    assert errors_of(rules.check_schedule_visit, no_date, D(2031, 3, 2), "") == {
        "due_on": "回访日期不能晚于5年以后，请核对年份"}
    assert rules.check_schedule_visit(no_date, D(2031, 3, 1), "") == ""
    assert errors_of(rules.check_schedule_visit, no_date, D(1949, 4, 2), "") == {
        "due_on": "回访日期不能早于1949年4月3日，请核对年份"}
    assert rule_error(rules.check_schedule_visit, mediation(status="in_progress"), TODAY, "") == "调解结束后才能安排回访"


def return_visit(**changes: object) -> ReturnVisit:
    v = ReturnVisit(due_on=D(2026, 3, 9), plan="看看", visited_on=TODAY, visitor="赵红梅", method="上门",
                    performance="已履行", satisfaction="满意", findings="和睦", id=5)
    for key, value in changes.items():
        setattr(v, key, value)
    return v


def test_a_return_visit_comes_back_in_normal_form() -> None:
    agreed = mediation(status="agreed", outcome_on=D(2026, 3, 8))
    v = rules.validate_visit(agreed, return_visit(visitor=" 赵红梅 ", findings=" 和睦 ", measures=" 告诫 ",
                                                  lawsuit=True, new_conflict=True, violence=True), TODAY)
    assert v == ReturnVisit(due_on=D(2026, 3, 9), plan="看看", visited_on=TODAY, visitor="赵红梅", method="上门",
                            performance="已履行", satisfaction="满意", lawsuit=True, new_conflict=True, violence=True,
                            findings="和睦", measures="告诫", id=5)
    failed = mediation(status="failed", outcome_on=D(2026, 3, 8))
    assert rules.validate_visit(failed, return_visit(performance="不适用", visited_on=D(2026, 3, 8)), TODAY).performance == (
        "不适用")


def test_a_wrong_return_visit_is_told_what_is_wrong() -> None:
    agreed = mediation(status="agreed", outcome_on=D(2026, 3, 8))
    assert errors_of(rules.validate_visit, agreed, ReturnVisit(due_on=TODAY), TODAY) == {
        "visited_on": "请填写回访日期", "visitor": "请填写回访人", "method": "请选择回访方式",
        "performance": "请选择协议履行情况", "satisfaction": "请选择当事人是否满意", "findings": "请填写回访情况"}
    assert errors_of(rules.validate_visit, agreed, return_visit(visited_on=D(2026, 3, 7), performance="不适用"),
                     TODAY) == {"visited_on": "回访日期不能早于2026年3月8日", "performance": "有调解协议时，请写明协议的履行情况"}
    assert errors_of(rules.validate_visit, agreed, return_visit(visited_on=D(2026, 3, 11)), TODAY) == {
        "visited_on": "回访日期不能晚于今天"}
    assert errors_of(rules.validate_visit, agreed, return_visit(violence=True), TODAY) == {
        "measures": "发现新的矛盾或家庭暴力时，请写明采取的措施"}
    assert errors_of(rules.validate_visit, agreed, return_visit(new_conflict=True, measures=" "), TODAY) == {
        "measures": "发现新的矛盾或家庭暴力时，请写明采取的措施"}
    assert rule_error(rules.validate_visit, mediation(), return_visit(), TODAY) == "调解结束后才能记录回访"


def test_every_text_of_a_return_visit_past_its_limit_is_named_under_its_own_field() -> None:
    agreed = mediation(status="agreed", outcome_on=D(2026, 3, 8))
    too_long = return_visit(plan="看" * 201, visitor="访" * 201, findings="和" * 5001, measures="告" * 5001)
    assert errors_of(rules.validate_visit, agreed, too_long, TODAY) == {
        "plan": "回访事项不能超过200个字", "visitor": "回访人不能超过200个字", "findings": "回访情况不能超过5000个字",
        "measures": "采取的措施不能超过5000个字"}
    at_most = return_visit(plan="看" * 200, visitor="访" * 200, findings="和" * 5000, measures="告" * 5000)
    assert rules.validate_visit(agreed, at_most, TODAY).measures == "告" * 5000


def test_closing_the_file() -> None:
    assert rules.check_filing(" 刘\n芳 ", TODAY, "30年", " 第一行\n 第二行 ", TODAY) == ("刘 芳", "第一行\n第二行")
    for period in ("永久", "30年", "10年"):
        assert rules.check_filing("刘芳", TODAY, period, "", TODAY) == ("刘芳", "")
    assert errors_of(rules.check_filing, " ", None, "5年", "备" * 101, TODAY) == {
        "archivist": "请填写立卷人", "filed_on": "请填写立卷日期", "keep_period": "请选择保管期限",
        "file_remarks": "备注不能超过100个字"}
    assert errors_of(rules.check_filing, "刘" * 41, D(2026, 3, 11), "永久", "备" * 100, TODAY) == {
        "archivist": "立卷人不能超过40个字", "filed_on": "立卷日期不能晚于今天"}


def test_a_mediator_on_the_roster() -> None:
    assert rules.check_mediator(Mediator(name=" 赵  红梅 ", phone=" 138 0013 8000 ", title=" 专职调解员 ", active=False,
                                         id=3)) == Mediator(name="赵 红梅", phone="13800138000", title="专职调解员",
                                                            active=False, id=3)
    assert errors_of(rules.check_mediator, Mediator(name="", phone="12")) == {
        "name": "请填写调解员姓名", "phone": "手机号应为11位，现在是2位"}
    assert errors_of(rules.check_mediator, Mediator(name="赵红梅", title="身" * 41)) == {"title": "身份不能超过40个字"}


# --- corrections ------------------------------------------------------------------------------------------------------


def test_what_a_correction_compares() -> None:
    m = mediation()
    assert rules.values(m, ["赵红梅"]) == {
        "received_on": RECEIVED, "source": "当事人申请", "dispute_type": "婚姻", "relationship": "夫妻",
        "township": "东山镇", "village": "石桥村", "registrar": "刘芳", "mediators": ["赵红梅"], "facts": "常因琐事争吵",
        "request": "调解和好"}
    assert rules.record_values(Party(Person(name="甲"), "applicant", "务农", 40), rules.PARTY_LABELS) == {
        "occupation": "务农", "stated_age": 40}
    two = Agreement("事实", "责任", [AgreementItem("甲", "乙", "丙", "丁"), AgreementItem("戊", "己", "庚")])
    assert rules.agreement_values(two) == {
        "facts": "事实", "duties": "责任", "items.0.content": "甲", "items.0.how": "乙", "items.0.due": "丙",
        "items.0.place": "丁", "items.1.content": "戊", "items.1.how": "己", "items.1.due": "庚", "items.1.place": ""}
    assert rules.agreement_values(None) == {}
    assert rules.agreement_labels(None, Agreement("事", "责", [AgreementItem("甲", "乙", "丙")]), two) == {
        "facts": "协议：纠纷主要事实、争议事项", "duties": "协议：各方当事人的责任",
        "items.0.content": "协议第1项", "items.0.how": "协议第1项履行方式", "items.0.due": "协议第1项履行期限",
        "items.0.place": "协议第1项履行地点", "items.1.content": "协议第2项", "items.1.how": "协议第2项履行方式",
        "items.1.due": "协议第2项履行期限", "items.1.place": "协议第2项履行地点"}
    assert rules.agreement_labels(None) == {"facts": "协议：纠纷主要事实、争议事项", "duties": "协议：各方当事人的责任"}


def test_a_filed_mediation_is_not_corrected() -> None:
    rules.check_correctable(mediation(status="failed"))
    assert rule_error(rules.check_correctable, mediation(filed_on=D(2026, 3, 20))) == (
        "这件调解已于2026年3月20日立卷归档，卷内材料不能再修改；如发现错误，请用“添加备注”写明。")


def test_what_closed_a_mediation_as_a_correction_says_it() -> None:
    assert rules.closed_words(mediation()) == ""
    assert rules.closed_words(mediation(status="in_progress")) == ""
    assert rules.closed_words(mediation(status="agreed", agreement=agreement())) == ""
    assert rules.closed_words(mediation(status="failed")) == "已结案（调解不成）"
    assert rules.closed_words(mediation(status="odd")) == "已结案（odd）"


def test_a_corrected_date_received_stays_before_what_was_recorded_since() -> None:
    saved = mediation(sessions=[session(held_on=D(2026, 3, 6), number=1), session(held_on=D(2026, 3, 5), number=2)],
                      investigations=[investigation(held_on=D(2026, 3, 4), number=1)], outcome_on=D(2026, 3, 8))
    assert errors_of(rules.check_corrected, saved, mediation(received_on=D(2026, 3, 5))) == {
        "received_on": "受理日期不能晚于第1次调查的日期（2026年3月4日）"}
    assert errors_of(rules.check_corrected, saved, mediation(received_on=D(2026, 3, 6))) == {
        "received_on": "受理日期不能晚于第1次调查的日期（2026年3月4日）"}
    rules.check_corrected(saved, mediation(received_on=D(2026, 3, 4)))
    no_inv = mediation(sessions=saved.sessions, outcome_on=D(2026, 3, 8))
    assert errors_of(rules.check_corrected, no_inv, mediation(received_on=D(2026, 3, 9))) == {
        "received_on": "受理日期不能晚于第2次调解的日期（2026年3月5日）"}
    only_outcome = mediation(outcome_on=D(2026, 3, 8))
    assert errors_of(rules.check_corrected, only_outcome, mediation(received_on=D(2026, 3, 9))) == {
        "received_on": "受理日期不能晚于结案的日期（2026年3月8日）"}
    rules.check_corrected(only_outcome, mediation(received_on=D(2026, 3, 8)))
    rules.check_corrected(mediation(), mediation(received_on=TODAY))


# --- counting and a draft from a petition -----------------------------------------------------------------------------


def test_the_counts() -> None:
    c = Counts(accepted=9, concluded=8, reconciled=1, agreed=2, self_settled=3, failed=1, ended=1)
    assert (c.mediated, c.resolved, c.agreements, c.failures) == (9, 6, 2, 1)
    assert c.rate(2) == 0.25
    assert Counts().rate(0) is None


def petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=TODAY, petitioner=Person(name="王秀英", sex="女", phone="13800138000", id=4),
                 concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭类",
                 subcategory="家庭纠纷", facts="丈夫常年酗酒", request="要求调解", dv=False, safety_risk=False,
                 receiving_staff="刘芳", respondent_name=" 李大山 ", respondent_relation="丈夫")
    for key, value in changes.items():
        setattr(p, key, value)
    return p


def test_a_mediation_drafted_from_a_petition() -> None:
    m = rules.draft_from_petition(petition(), TODAY, "赵红梅")
    assert m == Mediation(
        received_on=TODAY, source="信访转来", dispute_type="", relationship="夫妻", township="东山镇", village="石桥村",
        facts="丈夫常年酗酒", request="要求调解", registrar="赵红梅",
        parties=[Party(Person(name="王秀英", sex="女", phone="13800138000", id=4), "applicant"),
                 Party(Person(name="李大山", sex="男", ethnicity=""), "respondent")])
    assert m.parties[0].person is not petition().petitioner


@pytest.mark.parametrize(("changes", "dispute", "relationship", "sex"), [
    ({"dv": True, "subcategory": "离婚问题"}, "家庭暴力", "夫妻", "男"),
    ({"subcategory": "离婚问题", "respondent_relation": "前夫"}, "婚姻", "夫妻", "男"),
    ({"subcategory": "配偶外遇/重婚/同居", "respondent_relation": "男友"}, "婚姻", "", "男"),
    ({"subcategory": "干涉婚姻", "respondent_relation": "父母"}, "婚姻", "父母子女", ""),
    ({"subcategory": "家庭暴力", "respondent_relation": "婆家"}, "家庭暴力", "婆媳", ""),
    ({"respondent_relation": "子女"}, "", "父母子女", ""),
    ({"respondent_relation": "兄弟姐妹"}, "", "兄弟姐妹", ""),
    ({"respondent_relation": "邻居"}, "", "", ""),
], ids=["dv", "ex-husband", "boyfriend", "parents", "in-laws", "children", "siblings", "neighbour"])
def test_the_draft_s_type_relationship_and_the_other_party_s_sex(changes: dict[str, object], dispute: str,
                                                                  relationship: str, sex: str) -> None:
    m = rules.draft_from_petition(petition(**changes), TODAY, "赵红梅")
    assert (m.dispute_type, m.relationship, m.parties[1].person.sex) == (dispute, relationship, sex)


def test_a_draft_for_the_woman_concerned_and_without_another_party() -> None:
    m = rules.draft_from_petition(petition(concerned=Person(name="王小花", sex="女"), respondent_name=" "), TODAY, "刘芳")
    assert m.parties == [Party(Person(name="王小花", sex="女"), "applicant")]


def test_both_sides_are_looked_at_past_a_party_nothing_identifies() -> None:
    # the first applicant has neither a record nor an ID number; the second is also the respondent
    same = "430521198001010020"
    m = mediation(parties=[her(), Party(Person(name="王秀", id_number=same), "applicant"),
                           Party(Person(name="王秀", id_number=same), "respondent")])
    assert errors_of(rules.validate_mediation, m, TODAY) == {"parties": "同一个人不能既是申请人又是被申请人"}


def test_a_party_born_after_today_and_a_village_too_long_are_refused_and_the_request_is_kept() -> None:
    # 430421 2026-03-11 0022: born the day after TODAY (10 March 2026); check digit counted by hand
    born_tomorrow = Party(Person(name="李小山", sex="男", id_number="430421202603110022"), "respondent")
    errors = errors_of(rules.validate_mediation, mediation(parties=[her(), born_tomorrow]), TODAY)
    assert list(errors) == ["respondents.0.id_number"]
    errors = errors_of(rules.validate_mediation, mediation(village="石" * 1000), TODAY)
    assert list(errors) == ["village"]
    assert rules.validate_mediation(mediation(request=" 调解和好，分割财产 "), TODAY).request == "调解和好，分割财产"
