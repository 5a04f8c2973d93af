"""A petition's written course (信访工作条例 2022): the notices, the opinion, 复查 and 复核, repeats, transfers in and
out — answers worked out by hand (fast: in the mutation selection).

The rules (shared/reference/forms-and-rules.md): tell her on the spot or within 15 days (art. 23); a transferred
petition objected to within 5 working days (art. 23); conclude within 60 days of acceptance, one extension of at most
30 with the reason told (art. 34); the written opinion states the request, the facts and reasons, the opinion, its
legal basis and the outcome 支持 / 解释说明 / 不予支持 (arts. 31–32); 复查 / 复核 asked within 30 days of the written
answer, after 复核 the same matter is not accepted again (arts. 35–36). Every sentence the paper prints is written
out in full; dates counted on the calendar. Every person here is made up.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import petition_course as course
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.petition_course import Letter, Opinion
from fulian_desktop.domain.records import CaseDocument, Person, Petition, Review

from .rule_errors import errors_of, rule_error

D = dt.date
TODAY = D(2026, 3, 10)
RECEIVED = D(2026, 3, 2)
OFFICE = "东山县妇女联合会"
REQUEST = "要求丈夫支付抚养费。另外希望调解。"
MATTER = "关于“要求丈夫支付抚养费”的"
OPENING = f"您于2026年3月2日来访反映的{MATTER}信访事项"


def petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=RECEIVED, petitioner=Person(name="王秀英", sex="女"), concerned=None,
                 headcount=1, township="东山镇", village="石桥村", category="婚姻家庭类", subcategory="家庭纠纷",
                 facts="丈夫拒付抚养费", request=REQUEST, dv=False, safety_risk=False, receiving_staff="刘芳",
                 case_no="信访〔2026〕第0001号")
    for key, value in changes.items():
        setattr(p, key, value)
    return p


# --- the letter as kept --------------------------------------------------------------------------------------------


def test_a_letter_kept_and_read_back() -> None:
    letter = Letter(doc="opinion", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", paragraphs=["一", "二"],
                    issued_on=TODAY, way="直接送达", staff="刘芳", sections=[("信访人诉求", "抚养费")], closing=["特此告知。"],
                    choice=("处理结果", ("支持", "不予支持"), "支持"), values={"result": "支持"})
    content = letter.to_content()
    assert content == {
        "version": 1, "doc": "opinion", "office": OFFICE, "case_no": "信访〔2026〕第0001号", "addressee": "王秀英",
        "paragraphs": ["一", "二"], "sections": [["信访人诉求", "抚养费"]], "closing": ["特此告知。"],
        "choice": ["处理结果", ["支持", "不予支持"], "支持"], "issued_on": "2026-03-10", "way": "直接送达", "staff": "刘芳",
        "values": {"result": "支持"}}
    assert Letter.from_content(content) == letter
    assert letter.title == "处理意见书"
    assert letter.texts() == [OFFICE, "信访〔2026〕第0001号", "王秀英", "直接送达", "刘芳", "一", "二", "特此告知。",
                              "信访人诉求", "抚养费", "处理结果", "支持", "不予支持"]


def test_an_old_letter_without_its_optional_parts() -> None:
    old = {"doc": "accept", "office": OFFICE, "case_no": 7, "addressee": "王秀英", "paragraphs": ["一"],
           "issued_on": "2026-03-10"}
    assert Letter.from_content(old) == Letter(doc="accept", office=OFFICE, case_no="7", addressee="王秀英",
                                              paragraphs=["一"], issued_on=TODAY, way="", staff="")
    plain = Letter(doc="accept", office=OFFICE, case_no="x", addressee="王秀英", paragraphs=[], issued_on=TODAY, way="w",
                   staff="s")
    assert plain.to_content()["choice"] is None
    assert plain.texts() == [OFFICE, "x", "王秀英", "w", "s"]


# --- drafting -------------------------------------------------------------------------------------------------------


def test_who_the_letter_is_written_to() -> None:
    assert course.addressee(petition()) == "王秀英"
    assert course.addressee(petition(headcount=12)) == "王秀英等12人"


@pytest.mark.parametrize(("request_text", "phrase"), [
    (REQUEST, MATTER),
    ("要求  离婚\n赔偿，", "关于“要求 离婚 赔偿”的"),
    ("字" * 60, f"关于“{'字' * 60}”的"),
    ("字" * 61, f"关于“{'字' * 60}……”的"),
    ("字" * 60 + "。后面", f"关于“{'字' * 60}”的"),
    ("字" * 61 + "。后面", f"关于“{'字' * 60}……”的"),
    ("。后面", "关于“。后面”的"),
    ("钱。还有房子", "关于“钱”的"),  # a first sentence of one character is still the first sentence
    ("核对身份证号末位X", "关于“核对身份证号末位X”的"),  # only end punctuation is taken off
    ("  ", ""),
], ids=["first-sentence", "spaces", "sixty", "sixty-one", "stop-at-60", "stop-at-61", "stop-first", "one-character",
        "ends-in-a-letter", "empty"])
def test_the_matter_in_quotation_marks(request_text: str, phrase: str) -> None:
    assert course.matter_phrase(petition(request=request_text)) == phrase


def test_a_shorter_phrase_when_asked() -> None:
    assert course.matter_phrase(petition(request="一二三四五六"), most=3) == "关于“一二三……”的"


def test_the_accept_notice() -> None:
    letter = course.accept_letter(petition(), OFFICE, D(2026, 3, 5), D(2026, 3, 6), "直接送达", "刘芳")
    assert letter == Letter(
        doc="accept", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", issued_on=D(2026, 3, 6),
        way="直接送达", staff="刘芳", closing=["特此告知。"], values={"accepted_on": "2026年3月5日"},
        paragraphs=[
            f"{OPENING}，经审查，属于本会职责范围，根据《信访工作条例》第二十三条的规定，本会决定予以受理（受理日期：2026年3月5日）。",
            "本会将依法办理，自受理之日起60日内（2026年5月4日前）办结，并出具书面处理意见；情况复杂需要延长办理期限的，"
            "经本会负责人批准可以适当延长，延长期限不超过30日，并告知延期理由。",
            "办理期间，请依法、有序反映诉求；如有新的情况或材料，请与本会联系（经办人：刘芳）。"])
    advice = course.accept_letter(petition(nature="建议意见", headcount=3, channel="来信"), OFFICE, TODAY, TODAY, "邮寄送达", "")
    assert advice.paragraphs == [
        f"你们于2026年3月2日以来信方式反映的{MATTER}信访事项，经审查，属于本会职责范围，根据《信访工作条例》第二十三条的规定，"
        "本会决定予以受理（受理日期：2026年3月10日）。",
        "本会将对所提建议意见认真研究论证，并将研究结果书面答复。",
        "办理期间，请依法、有序反映诉求；如有新的情况或材料，请与本会联系。"]
    assert advice.addressee == "王秀英等3人"


@pytest.mark.parametrize(("channel", "words"), [
    ("来电", "通过来电"), ("网上", "通过网上信访"), ("12338热线", "通过12338妇女维权公益服务热线"), ("传真", "以传真方式"),
])
def test_how_it_came_in(channel: str, words: str) -> None:
    letter = course.refuse_letter(petition(channel=channel), OFFICE, "不属于本会职责", "", TODAY, "直接送达", "刘芳")
    assert letter.paragraphs[0].startswith(f"您于2026年3月2日{words}反映的{MATTER}信访事项，")


def test_the_refusal_notice() -> None:
    letter = course.refuse_letter(petition(), OFFICE, " 不属于本会 职责范围。 ", "依法向人民法院提起诉讼；", TODAY, "邮寄送达",
                                  "刘芳")
    assert letter == Letter(
        doc="refuse", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", issued_on=TODAY, way="邮寄送达",
        staff="刘芳", closing=["特此告知。"], values={"reason": "不属于本会 职责范围", "route": "依法向人民法院提起诉讼"},
        paragraphs=[f"{OPENING}，经审查，不属于本会 职责范围，根据《信访工作条例》第二十三条的规定，本会不予受理。",
                    "建议依法向人民法院提起诉讼。"])
    assert course.refuse_letter(petition(), OFFICE, "不属于", " ", TODAY, "邮寄送达", "刘芳").paragraphs == [
        f"{OPENING}，经审查，不属于，根据《信访工作条例》第二十三条的规定，本会不予受理。"]
    # only end punctuation is taken off a clause: a letter or a digit it ends with stays
    assert course.refuse_letter(petition(), OFFICE, "同一事项已登记为信访〔2026〕第12号X", "", TODAY, "邮寄送达",
                                "刘芳").values["reason"] == "同一事项已登记为信访〔2026〕第12号X"


def test_the_forwarding_notice() -> None:
    letter = course.forward_letter(petition(nature="检举控告"), OFFICE, "县纪委监委。", D(2026, 3, 6), "直接送达", "刘芳")
    assert letter.paragraphs == [
        f"您于2026年3月2日来访反映的{MATTER}检举控告事项，经审查，属于县纪委监委的职责范围，根据《信访工作条例》第二十三条的规定，"
        "本会已于2026年3月6日将其转送县纪委监委依法办理。",
        "请关注办理情况；如需了解进展，可直接与县纪委监委联系。"]
    assert letter == Letter(doc="forward", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英",
                            paragraphs=letter.paragraphs, issued_on=D(2026, 3, 6), way="直接送达", staff="刘芳",
                            closing=["特此告知。"], values={"body": "县纪委监委"})


def test_the_extension_notice() -> None:
    letter = course.extend_letter(petition(accepted_on=D(2026, 3, 5)), OFFICE, 30, "需要调取法院材料。", TODAY, "直接送达", "刘芳")
    assert letter.paragraphs == [
        f"{OPENING}，本会已于2026年3月5日受理，原应于2026年5月4日前办结。因需要调取法院材料，经本会负责人批准，"
        "根据《信访工作条例》第三十四条的规定，办理期限延长30日，本会将于2026年6月3日前办结，并出具书面处理意见。"]
    assert (letter.doc, letter.values) == ("extend", {"days": "30", "reason": "需要调取法院材料", "due_on": "2026年6月3日"})
    assert (letter.office, letter.issued_on, letter.way, letter.staff) == (OFFICE, TODAY, "直接送达", "刘芳")


# --- the opinion ----------------------------------------------------------------------------------------------------


def test_the_opinion_s_words_for_each_result() -> None:
    assert course.opinion_words("支持") == "信访人的请求事实清楚，符合法律、法规和有关规定，本会予以支持。"
    assert course.opinion_words("解释说明") == "信访人的请求事由合理，但缺乏法律依据，本会作如下解释说明："
    assert course.opinion_words("不予支持") == "信访人的请求缺乏事实根据或者不符合法律、法规和有关规定，本会不予支持。"
    assert course.opinion_words("暂不采纳") == "经研究论证，所提建议目前尚不具备实施条件，本会暂不采纳，感谢您的关心和支持。"
    assert course.opinion_words("") == ""


@pytest.mark.parametrize(("changes", "basis"), [
    ({"dv": True}, "《中华人民共和国妇女权益保障法》、《中华人民共和国反家庭暴力法》、《中华人民共和国民法典》婚姻家庭编、"
                   "《信访工作条例》第三十一条、第三十二条"),
    ({"category": "劳动和社会保障权益类"}, "《中华人民共和国妇女权益保障法》、《中华人民共和国劳动法》、《中华人民共和国社会保险法》、"
                                     "《信访工作条例》第三十一条、第三十二条"),
    ({"category": "财产权益类"}, "《中华人民共和国妇女权益保障法》、《中华人民共和国民法典》、《中华人民共和国农村土地承包法》、"
                            "《信访工作条例》第三十一条、第三十二条"),
    ({"category": "人身权益类"}, "《中华人民共和国妇女权益保障法》、《中华人民共和国民法典》人格权编、《信访工作条例》第三十一条、第三十二条"),
    ({"category": "综合类", "nature": "建议意见"}, "《中华人民共和国妇女权益保障法》"),
], ids=["marriage-dv", "labour", "property", "person", "advice"])
def test_the_laws_an_opinion_usually_rests_on(changes: dict[str, object], basis: str) -> None:
    assert course.default_basis(petition(**changes)) == basis


def test_the_opinion_drafted_from_the_case() -> None:
    o = course.draft_opinion(petition(request=" 要求抚养费 "), "支持")
    assert o == Opinion(result="支持", request="要求抚养费", facts_found="经调查核实：丈夫拒付抚养费",
                        opinion="信访人的请求事实清楚，符合法律、法规和有关规定，本会予以支持。",
                        legal_basis="《中华人民共和国妇女权益保障法》、《中华人民共和国民法典》婚姻家庭编、《信访工作条例》第三十一条、第三十二条",
                        review_body="上一级妇女联合会", way="直接送达")
    settled = course.draft_opinion(petition(handling_opinion=" 经核实，属实 "), review_body="市妇联")
    assert (settled.facts_found, settled.review_body) == ("经核实，属实", "市妇联")
    assert course.draft_opinion(petition(handling_opinion="核实属实")).review_body == "上一级妇女联合会"
    assert course.draft_opinion(petition(handling_opinion="核实属实")).opinion == ""
    assert course.draft_opinion(petition(facts="实" * 4994)).facts_found == "经调查核实：" + "实" * 4994  # 5000 in all
    assert course.draft_opinion(petition(facts="实" * 4995)).facts_found == "实" * 4995


def test_the_opinion_letter() -> None:
    p = petition(accepted_on=D(2026, 3, 5))
    o = Opinion("支持", "抚养费", "经查属实", "予以支持", "《民法典》", review_body="市妇联。", way="邮寄送达")
    assert course.opinion_letter(p, OFFICE, o, TODAY, "刘芳") == Letter(
        doc="opinion", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", issued_on=TODAY, way="邮寄送达",
        staff="刘芳", paragraphs=[f"{OPENING}，本会于2026年3月5日受理。经调查核实，现提出处理意见如下："],
        sections=[("信访人诉求", "抚养费"), ("事实和理由", "经查属实"), ("处理意见", "予以支持"), ("法律法规依据", "《民法典》")],
        closing=["如对本处理意见不服，可以自收到本意见书之日起30日内，向市妇联书面请求复查（《信访工作条例》第三十五条）。"],
        choice=("处理结果", ("支持", "解释说明", "不予支持"), "支持"), values={"result": "支持", "review_body": "市妇联"})
    reply = course.opinion_letter(petition(nature="建议意见"), OFFICE, Opinion("采纳", "修路", "可行", "采纳", " "), TODAY, "")
    assert reply == Letter(
        doc="reply", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", issued_on=TODAY, way="直接送达",
        staff="", paragraphs=[f"您于2026年3月2日来访反映的{MATTER}建议意见。经研究论证，现答复如下："],
        sections=[("所提建议", "修路"), ("研究论证情况", "可行"), ("答复意见", "采纳")], closing=[],
        choice=("答复结果", ("采纳", "部分采纳", "暂不采纳"), "采纳"), values={"result": "采纳", "review_body": ""})
    assert course.opinion_doc(petition(nature="检举控告")) == "opinion"


# --- checks ---------------------------------------------------------------------------------------------------------


def tell_errors(on: dt.date | None, way: str, not_before: dt.date | None = None, field: str = "told_on") -> dict[str, str]:
    errors: dict[str, str] = {}
    course.check_tell(petition(), on, way, TODAY, errors, not_before, field)
    return errors


def test_the_day_she_was_told_and_how() -> None:
    assert tell_errors(RECEIVED, "当场告知") == {}
    assert tell_errors(TODAY, "电子送达（短信、微信等）") == {}
    assert tell_errors(None, "直接送达") == {"told_on": "请填写告知日期"}
    assert tell_errors(None, "直接送达", field="answered_on") == {"answered_on": "请填写告知日期"}
    assert tell_errors(D(2026, 3, 11), "直接送达") == {"told_on": "告知日期不能晚于今天"}
    assert tell_errors(D(2026, 3, 1), "直接送达") == {"told_on": "告知日期不能早于2026年3月2日"}
    assert tell_errors(D(2026, 3, 4), "直接送达", D(2026, 3, 5)) == {"told_on": "告知日期不能早于2026年3月5日"}
    assert tell_errors(D(2026, 3, 3), "当场告知") == {
        "tell_way": "当场告知的，告知日期就是收到日期（2026年3月2日）；请改选送达方式"}
    assert tell_errors(RECEIVED, "托人转告") == {"tell_way": "请选择送达方式"}


def test_told_within_fifteen_days() -> None:
    assert course.told_in_time(RECEIVED, D(2026, 3, 17))
    assert not course.told_in_time(RECEIVED, D(2026, 3, 18))
    assert not course.told_in_time(RECEIVED, None)


def test_forwarding_a_report() -> None:
    report = petition(nature="检举控告")
    assert course.check_forward(report, " 县 纪委\n监委 ", TODAY, "直接送达", TODAY) == "县 纪委 监委"
    assert errors_of(course.check_forward, report, " ", None, "托人", TODAY) == {
        "forwarded_to": "请填写转送的机关", "told_on": "请填写告知日期", "tell_way": "请选择送达方式"}
    assert errors_of(course.check_forward, report, "县" * 201, TODAY, "直接送达", TODAY) == {
        "forwarded_to": "转送的机关不能超过200字"}
    assert course.check_forward(report, "县" * 200, TODAY, "直接送达", TODAY) == "县" * 200
    assert rule_error(course.check_forward, petition(nature="检举控告", status="accepted"), "县纪委", TODAY, "直接送达",
                      TODAY) == "此案件当前为“已受理”，不能转送"
    assert rule_error(course.check_forward, petition(), "县纪委", TODAY, "直接送达", TODAY) == (
        "只有检举控告类事项转送有权机关；申诉求决类事项请受理或不予受理")


def test_the_route_a_refusal_suggests() -> None:
    assert course.check_route(" 向人民法院\n起诉 ") == "向人民法院 起诉"
    assert course.check_route("") == ""
    assert errors_of(course.check_route, "路" * 201) == {"refused_route": "告知的其他途径不能超过200字"}


def test_the_opinion_as_settled() -> None:
    o = Opinion("解释说明", " 抚养费 ", " 经查\n 属实 ", " 解释 ", " 《民法典》 ", " 市\n 妇联 ", "邮寄送达")  # the body: one line
    assert course.check_opinion(petition(), o) == Opinion("解释说明", "抚养费", "经查\n属实", "解释", "《民法典》", "市 妇联",
                                                          "邮寄送达")
    assert errors_of(course.check_opinion, petition(), Opinion("采纳", "", "", "", "", "", "托人")) == {
        "result": "请选择处理结果", "request": "请填写信访人诉求", "facts_found": "请填写事实和理由", "reply": "请填写处理意见",
        "legal_basis": "请填写法律法规依据", "review_body": "请填写受理复查的机关", "opinion_way": "请选择送达方式"}
    advice = petition(nature="建议意见")
    assert course.check_opinion(advice, Opinion("部分采纳", "修路", "可行", "部分采纳", "", "")) == Opinion(
        "部分采纳", "修路", "可行", "部分采纳", "", "")
    assert errors_of(course.check_opinion, advice, Opinion("支持", "修路", "可行", "采纳", "")) == {"result": "请选择处理结果"}
    assert errors_of(course.check_opinion, petition(), Opinion("支持", "诉" * 5001, "可行", "支持", "法", "机" * 201)) == {
        "request": "信访人诉求不能超过5000字", "review_body": "受理复查的机关不能超过200字"}


def concluded(**changes: object) -> Petition:
    return petition(**{"status": "concluded", "concluded_on": D(2026, 3, 8), **changes})


def test_her_satisfaction() -> None:
    assert course.check_rating(concluded(), "满意", " 很好\n  谢谢 ", D(2026, 3, 8), TODAY) == "很好\n谢谢"
    assert course.check_rating(concluded(), "未评价", "", TODAY, TODAY) == ""
    assert course.check_rating(concluded(), "不满意", "太慢", TODAY, TODAY) == "太慢"
    assert errors_of(course.check_rating, concluded(), "很满意", "", None, TODAY) == {
        "rating": "请选择满意度", "rated_on": "请填写评价日期"}
    assert errors_of(course.check_rating, concluded(), "不满意", " ", D(2026, 3, 11), TODAY) == {
        "rating_note": "信访人不满意的，请写明她不满意的地方", "rated_on": "评价日期不能晚于今天"}
    assert errors_of(course.check_rating, concluded(), "满意", "说" * 1001, D(2026, 3, 7), TODAY) == {
        "rating_note": "说明不能超过1000字", "rated_on": "评价日期不能早于办结日期（2026年3月8日）"}
    assert course.check_rating(concluded(concluded_on=None), "满意", "说" * 1000, D(2026, 3, 1), TODAY) == "说" * 1000
    assert rule_error(course.check_rating, petition(status="in_progress"), "满意", "", TODAY, TODAY) == (
        "办结后才能记录信访人的满意度")


def test_a_too_long_note_of_a_dissatisfied_woman_is_told_it_is_too_long() -> None:
    """Her note was there; what is wrong is its length (it was told to write one)."""
    assert errors_of(course.check_rating, concluded(), "不满意", "说" * 1001, TODAY, TODAY) == {
        "rating_note": "说明不能超过1000字"}


def test_what_lies_ahead() -> None:
    assert course.course_text(petition(nature="建议意见")) == "建议意见类：受理后认真研究论证，书面答复（答复意见书）；无法定办结期限"
    assert course.course_text(petition(nature="检举控告")) == (
        "检举控告类：转送有权处理的机关（纪检监察机关或其他有权机关），并书面告知信访人转送去向")
    assert course.course_text(petition()) == (
        "申诉求决类：受理后60日内办结（经负责人批准可延长一次，不超过30日），出具处理意见书；信访人不服的，可在收到后30日内请求复查")


# --- what the case keeps ----------------------------------------------------------------------------------------------


def test_the_document_and_the_timeline_lines() -> None:
    letter = course.accept_letter(petition(), OFFICE, D(2026, 3, 5), D(2026, 3, 5), "直接送达", "刘芳")
    at = dt.datetime(2026, 3, 5, 9, 30)
    assert course.document_of(letter, at) == CaseDocument(doc="accept", title="受理告知书", issued_on=D(2026, 3, 5),
                                                          way="直接送达", content=letter.to_content(), staff="刘芳",
                                                          created_at=at)
    assert course.told_words(RECEIVED, RECEIVED, "当场告知") == "2026年3月2日当场告知"
    assert course.told_words(RECEIVED, D(2026, 3, 18), "邮寄送达") == "2026年3月18日邮寄送达，已超过15日"
    assert course.accept_note(petition(), D(2026, 3, 5), D(2026, 3, 6), "直接送达") == (
        "受理日期2026年3月5日；受理告知书2026年3月6日直接送达")
    assert course.refuse_note(petition(), "不属于", "起诉", TODAY, "直接送达") == "不属于；建议起诉；不予受理告知书2026年3月10日直接送达"
    assert course.refuse_note(petition(), "不属于", "", TODAY, "直接送达") == "不属于；不予受理告知书2026年3月10日直接送达"
    assert course.forward_note(petition(), "县纪委", TODAY, "直接送达") == "转送县纪委；转送告知书2026年3月10日直接送达"
    assert course.extend_note(30, "材料多", TODAY, "直接送达") == "延长30天：材料多；延期告知书2026年3月10日直接送达"
    assert course.conclude_note(letter, "支持", "予以支持", "满意") == "支持：予以支持；受理告知书2026年3月5日直接送达；信访人评价：满意"
    assert course.conclude_note(letter, "支持", "予以支持") == "支持：予以支持；受理告知书2026年3月5日直接送达"
    assert course.rating_line("办结时", "满意", "很好") == "办结时：满意，很好"
    assert course.rating_line("回访", "不满意", "") == "回访：不满意"
    assert course.way_for(petition(), RECEIVED) == "当场告知"
    assert course.way_for(petition(), TODAY) == "直接送达"
    assert course.way_for(petition(), RECEIVED, "邮寄送达") == "邮寄送达"


# --- repeats ----------------------------------------------------------------------------------------------------------


def test_twelve_months_back() -> None:
    assert course.repeat_since(D(2026, 3, 2)) == D(2025, 3, 2)
    assert course.repeat_since(D(2024, 2, 29)) == D(2023, 2, 28)


@pytest.mark.parametrize(("name", "matter"), [
    ("  李 大山 ", "李 大山"), ("李大山", "李大山"), ("李强", "李强"), ("李", ""), ("王某", ""), ("", ""),
    ("县某某公司", "县某某公司"),
], ids=["spaces", "name", "two-characters", "one", "mou", "empty", "body"])
def test_the_name_that_tells_a_matter_apart(name: str, matter: str) -> None:
    assert course.matter_of(name) == matter


def test_the_repeat_words() -> None:
    assert course.repeat_flag_note("信访〔2025〕第0003号", D(2025, 6, 1), "同一信访人") == (
        "疑似重复信访：与信访〔2025〕第0003号（2025年6月1日收到）同一信访人，请核实后确认或排除")
    assert course.repeat_line(True, "信访〔2025〕第0003号", "同一事") == "确认为重复信访（前次：信访〔2025〕第0003号）：同一事"
    assert course.repeat_line(False, "信访〔2025〕第0003号", "") == "不是重复信访（与信访〔2025〕第0003号无关）"
    assert course.final_flag_note("信访〔2025〕第0003号", D(2025, 6, 1)) == (
        "与信访〔2025〕第0003号（2025年6月1日收到）有关：该事项已经复核终结，信访人仍以同一事实和理由提出的，"
        "依照《信访工作条例》第三十六条不再受理，请核实")


def test_settling_a_flagged_repeat() -> None:
    flagged = petition(repeat_of=3)
    assert course.check_settle_repeat(flagged, True, "") == ""
    assert course.check_settle_repeat(flagged, False, " 另一件事 ") == "另一件事"
    assert errors_of(course.check_settle_repeat, flagged, False, " ") == {
        "repeat_note": "排除重复信访的，请写明理由（如：反映的是另一件事）"}
    assert errors_of(course.check_settle_repeat, flagged, True, "说" * 201) == {"repeat_note": "说明不能超过200字"}
    assert errors_of(course.check_settle_repeat, flagged, False, "说" * 201) == {"repeat_note": "说明不能超过200字"}
    assert rule_error(course.check_settle_repeat, petition(), True, "") == "这件信访没有被标记为疑似重复信访"


# --- 复查 and 复核 ------------------------------------------------------------------------------------------------------


def opinion_doc(issued_on: dt.date, doc: str = "opinion", voided_on: dt.date | None = None) -> CaseDocument:
    return CaseDocument(doc=doc, title="", issued_on=issued_on, way="直接送达", content={}, voided_on=voided_on)


def review(**changes: object) -> Review:
    r = Review(stage="review", requested_on=D(2026, 4, 10), answer_received_on=D(2026, 4, 5), body="本会", request="重新处理")
    for key, value in changes.items():
        setattr(r, key, value)
    return r


def test_the_answer_a_review_contests() -> None:
    p = concluded(documents=[opinion_doc(D(2026, 3, 8)), opinion_doc(D(2026, 3, 9)), opinion_doc(D(2026, 3, 10), voided_on=TODAY),
                             opinion_doc(D(2026, 3, 10), doc="accept")])
    assert course.answer_before(p, "review") == ("处理意见书", D(2026, 3, 9))
    assert course.answer_before(concluded(), "review") == ("处理意见书", D(2026, 3, 8))
    advice = concluded(nature="建议意见", documents=[opinion_doc(D(2026, 3, 7), doc="reply")])
    assert course.answer_before(advice, "review") == ("答复意见书", D(2026, 3, 7))
    reviewed = concluded(reviews=[review(answered_on=D(2026, 4, 20)), review(stage="re_review")])
    assert course.answer_before(reviewed, "re_review") == ("复查意见书", D(2026, 4, 20))
    assert course.answer_before(concluded(), "re_review") == ("复查意见书", None)


ASKED_ON = D(2026, 3, 20)
GOT_ON = D(2026, 3, 12)
REVIEW_TODAY = D(2026, 4, 30)


def request_review(p: Petition, stage: str = "review", requested: dt.date | None = ASKED_ON,
                   received: dt.date | None = GOT_ON, body: str = "本会", text: str = "重新处理") -> tuple[str, str]:
    return course.check_request_review(p, stage, requested, received, body, text, REVIEW_TODAY)


def review_errors(p: Petition, **kw: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        request_review(p, **kw)  # type: ignore[arg-type]
    return e.value.errors


def test_asking_for_a_review_within_thirty_days() -> None:
    p = concluded()
    assert request_review(p, body=" 市 妇联 ", text=" 重新\n 处理 ") == ("市 妇联", "重新\n处理")
    assert request_review(p, requested=D(2026, 4, 11), received=D(2026, 3, 12)) == ("本会", "重新处理")  # day 30
    assert review_errors(p, requested=D(2026, 4, 12)) == {
        "requested_on": "已超过收到处理意见书后30日的请求期限（2026年4月11日），不能再请求复查；可以在备注中记下她的意见"}
    assert review_errors(p, requested=None, received=None, body="", text="") == {
        "answer_received_on": "请填写信访人收到处理意见书的日期", "requested_on": "请填写提出复查请求的日期",
        "review_body": "请填写受理复查的机关", "review_request": "请填写复查请求"}
    assert review_errors(p, requested=D(2026, 5, 1), received=D(2026, 5, 1)) == {
        "answer_received_on": "收到日期不能晚于今天", "requested_on": "复查请求日期不能晚于今天"}
    assert review_errors(p, requested=D(2026, 3, 9), received=D(2026, 3, 7)) == {
        "answer_received_on": "收到日期不能早于处理意见书的日期（2026年3月8日）"}
    assert review_errors(p, requested=D(2026, 3, 11)) == {"requested_on": "复查请求日期不能早于收到处理意见书的日期"}
    assert request_review(p, requested=D(2026, 3, 8), received=D(2026, 3, 8)) == ("本会", "重新处理")
    assert review_errors(p, body="机" * 201, text="求" * 5001) == {
        "review_body": "受理复查的机关不能超过200字", "review_request": "复查请求不能超过5000字"}


def test_a_review_asked_on_the_day_she_got_the_answer_and_both_today() -> None:
    p = concluded()  # the 处理意见书 of 2026年3月8日
    # today is the last day allowed for both dates, not a day too late; the body is one line, as printed
    assert request_review(p, requested=REVIEW_TODAY, received=REVIEW_TODAY, body="市妇联\n 信访科") == (
        "市妇联 信访科", "重新处理")
    # a receipt date that is itself wrong is the one mistake named: the request is not measured against it
    assert review_errors(p, requested=D(2026, 3, 6), received=D(2026, 3, 7)) == {
        "answer_received_on": "收到日期不能早于处理意见书的日期（2026年3月8日）"}
    assert review_errors(p, requested=D(2026, 3, 6), received=D(2026, 5, 1)) == {
        "answer_received_on": "收到日期不能晚于今天"}


def test_a_review_only_after_a_written_opinion_and_only_once() -> None:
    message = "办结并出具处理意见书的申诉求决类信访，才能请求复查"
    assert rule_error(request_review, petition(status="in_progress")) == message
    assert rule_error(request_review, concluded(nature="建议意见")) == message
    assert rule_error(request_review, concluded(reviews=[review()])) == "这件信访已经请求过复查"
    assert rule_error(request_review, concluded(), "appeal") == "请选择复查或复核"


def test_a_re_review_only_after_the_review_was_answered() -> None:
    message = "复查答复之后，才能请求复核"
    assert rule_error(request_review, concluded(), "re_review") == message
    assert rule_error(request_review, concluded(reviews=[review()]), "re_review") == message
    answered = review(answered_on=D(2026, 4, 20))
    assert rule_error(request_review, concluded(reviews=[answered, review(stage="re_review")]), "re_review") == message
    p = concluded(reviews=[answered])
    assert request_review(p, "re_review", D(2026, 4, 25), D(2026, 4, 22), "市妇联", "再查") == ("市妇联", "再查")
    assert review_errors(p, stage="re_review", requested=None, received=D(2026, 4, 19)) == {
        "answer_received_on": "收到日期不能早于复查意见书的日期（2026年4月20日）", "requested_on": "请填写提出复核请求的日期"}
    assert review_errors(p, stage="re_review", requested=D(2026, 4, 21), received=D(2026, 4, 22)) == {
        "requested_on": "复核请求日期不能早于收到复查意见书的日期"}


def test_answering_the_review() -> None:
    p = concluded(reviews=[review()])
    assert course.check_answer_review(p, D(2026, 4, 10), "维持", " 维持\n 原意见 ", D(2026, 4, 30)) == "维持\n原意见"
    assert errors_of(course.check_answer_review, p, None, "驳回", " ", D(2026, 4, 30)) == {
        "answered_on": "请填写答复日期", "review_result": "请选择复查结果", "review_opinion": "请填写复查意见"}
    assert errors_of(course.check_answer_review, p, D(2026, 5, 1), "撤销", "撤销", D(2026, 4, 30)) == {
        "answered_on": "答复日期不能晚于今天"}
    assert errors_of(course.check_answer_review, p, D(2026, 4, 9), "变更", "变更", D(2026, 4, 30)) == {
        "answered_on": "答复日期不能早于复查请求日期（2026年4月10日）"}
    re = concluded(reviews=[review(answered_on=D(2026, 4, 20)), review(stage="re_review", requested_on=D(2026, 4, 25))])
    assert errors_of(course.check_answer_review, re, D(2026, 4, 26), "维持", "", D(2026, 4, 30)) == {
        "review_opinion": "请填写复核意见"}
    assert rule_error(course.check_answer_review, concluded(), TODAY, "维持", "x", TODAY) == "没有等待答复的复查或复核请求"
    assert course.check_answer_review(p, D(2026, 4, 30), "撤销", "撤销原意见", D(2026, 4, 30)) == "撤销原意见"  # today


def test_the_review_letters() -> None:
    done = review(answered_on=D(2026, 4, 20), result="维持", opinion="维持原意见")
    p = concluded(reviews=[done], documents=[opinion_doc(D(2026, 4, 1))])
    assert course.review_letter(p, done, OFFICE, "市妇联。", "刘芳") == Letter(
        doc="review", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="王秀英", issued_on=D(2026, 4, 20),
        way="直接送达", staff="刘芳",
        paragraphs=["您对2026年4月1日的处理意见书不服，于2026年4月10日提出复查请求。根据《信访工作条例》第三十五条的规定，"
                    "本会经复查，现提出意见如下："],
        sections=[("复查请求", "重新处理"), ("复查意见", "维持原意见")],
        closing=["如对本复查意见不服，可以自收到本意见书之日起30日内，向市妇联书面请求复核（《信访工作条例》第三十六条）。"],
        choice=("复查结果", ("维持", "撤销", "变更"), "维持"), values={"result": "维持", "review_body": "市妇联"})
    final = review(stage="re_review", requested_on=D(2026, 4, 25), answered_on=D(2026, 5, 6), result="变更",
                   opinion="变更")
    group = concluded(headcount=6, reviews=[done, final])
    letter = course.review_letter(group, final, OFFICE, "市妇联", "刘芳")
    assert letter.paragraphs == ["你们对2026年4月20日的复查意见书不服，于2026年4月25日提出复核请求。根据《信访工作条例》第三十六条的规定，"
                                 "本会经复核，现提出意见如下："]
    assert letter.closing == ["本复核意见为终结意见。信访人对复核意见不服，仍以同一事实和理由提出信访事项的，不再受理（《信访工作条例》第三十六条）。"]
    assert (letter.doc, letter.title, letter.values, letter.sections) == (
        "re_review", "复核意见书", {"result": "变更", "review_body": ""}, [("复核请求", "重新处理"), ("复核意见", "变更")])


def test_the_review_s_timeline_lines() -> None:
    assert course.review_request_note(review(), "处理意见书") == (
        "2026年4月10日请求复查（2026年4月5日收到处理意见书），由本会复查，应于2026年5月10日前答复：重新处理")
    assert course.review_answer_note(review(result="维持", opinion="维持原意见")) == "复查维持：维持原意见"
    assert course.review_answer_note(review(stage="re_review", body="市妇联", by_office=False, result="撤销", opinion="撤销")) == (
        "复核撤销（市妇联答复）：撤销；复核终结，同一事项不再受理")


# --- transferred in, objected to, passed on -------------------------------------------------------------------------------


def transferred(**changes: object) -> Petition:
    return petition(source_body="县信访局", source_no="XF-2026-07", **changes)


def test_the_line_of_a_petition_transferred_in() -> None:
    p = transferred(source_due_on=D(2026, 3, 20), objection_due_on=D(2026, 3, 9), objection_note="按日历日计算")
    assert course.transfer_note(p) == (
        "县信访局交办（编号XF-2026-07），要求2026年3月20日前办结；2026年3月9日前确认是否属本会职责（不属于的，5个工作日内提出异议）"
        "（按日历日计算）")
    assert course.transfer_note(transferred()) == "县信访局交办（编号XF-2026-07）"


def test_the_report_back() -> None:
    done = transferred(status="concluded", accepted_on=D(2026, 3, 3), handling_opinion="约谈了丈夫。", result="支持",
                       reply="丈夫已付款", concluded_on=D(2026, 3, 9))
    assert course.report_back_letter(done, OFFICE, TODAY, "刘芳") == Letter(
        doc="report_back", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="县信访局", issued_on=TODAY,
        way="直接送达", staff="刘芳",
        paragraphs=[f"贵单位交办（转送）的王秀英反映的{MATTER}信访事项（编号XF-2026-07），本会于2026年3月2日收到。现将办理情况回告如下："],
        sections=[("信访人诉求", REQUEST), ("办理情况", "本会于2026年3月3日受理，约谈了丈夫。"),
                  ("处理结果", "支持：丈夫已付款（2026年3月9日出具处理意见书）")],
        closing=["联系人：刘芳。特此回告。"], values={"source_no": "XF-2026-07"})
    plain = course.report_back_letter(transferred(status="concluded", accepted_on=D(2026, 3, 3), headcount=7, result="采纳",
                                                  reply="采纳", nature="建议意见", concluded_on=D(2026, 3, 9)), OFFICE, TODAY, "")
    assert plain.paragraphs[0].startswith("贵单位交办（转送）的王秀英等7人反映的")
    assert plain.sections[1:] == [("办理情况", "本会于2026年3月3日受理。"), ("处理结果", "采纳：采纳（2026年3月9日出具答复意见书）")]
    assert plain.closing == ["特此回告。"]
    refused = transferred(status="refused", refused_reason="不属于本会职责。", told_on=D(2026, 3, 4), refused_route="向法院起诉")
    assert course.report_back_letter(refused, OFFICE, TODAY, "刘芳").sections == [
        ("信访人诉求", REQUEST), ("办理情况", "经审查，不属于本会职责，本会于2026年3月4日书面告知信访人不予受理，并建议其向法院起诉。")]
    refused.refused_route = ""
    assert course.report_back_letter(refused, OFFICE, TODAY, "刘芳").sections[1] == (
        "办理情况", "经审查，不属于本会职责，本会于2026年3月4日书面告知信访人不予受理。")


def test_an_objection_in_time_or_too_late() -> None:
    p = transferred(objection_due_on=D(2026, 3, 9))
    assert course.objection_too_late(p, D(2026, 3, 9)) == ""
    assert course.objection_too_late(p, TODAY) == (
        "已超过提出异议的期限：上级交办、转送的信访事项，不属于本会职责的，应自收到之日（2026年3月2日）起5个工作日内，"
        "即2026年3月9日前向交办单位提出异议（《信访工作条例》第二十三条）。现在不能再退回，请由本会办理：受理，或者不予受理并告知信访人"
        "向有权处理的机关提出")
    assert course.objection_too_late(transferred(), TODAY) == ""
    assert course.check_objection(p, " 县 信访局 ", " 属于\n 人社 ", D(2026, 3, 9), TODAY) == ("县 信访局", "属于\n人社")
    assert errors_of(course.check_objection, p, "", " ", None, TODAY) == {
        "objected_on": "请填写退回日期", "objected_to": "请填写退回的单位",
        "objection_reason": "请写明不属于本会职责的理由（如：反映的是工资拖欠，属于人社部门职责）"}
    assert errors_of(course.check_objection, p, "县信访局", "理" * 1001, D(2026, 3, 11), TODAY) == {
        "objected_on": "退回日期不能晚于今天", "objection_reason": "异议理由不能超过1000字"}
    assert errors_of(course.check_objection, p, "县" * 201, "人社", D(2026, 3, 1), TODAY) == {
        "objected_on": "退回日期不能早于收到日期（2026年3月2日）", "objected_to": "退回的单位不能超过200字"}
    assert errors_of(course.check_objection, p, "县信访局", "人社", TODAY, TODAY) == {
        "objected_on": course.objection_too_late(p, TODAY)}
    # on the day it came in (the first of the 5 working days), to a body typed on two lines: one line, as printed
    assert course.check_objection(p, "县信访局\n 来访接待科", "人社", RECEIVED, TODAY) == ("县信访局 来访接待科", "人社")
    assert rule_error(course.check_objection, petition(), "县信访局", "人社", TODAY, TODAY) == (
        "只有上级交办、转送来的信访才能提出异议、退回")
    assert rule_error(course.check_objection, transferred(status="returned"), "县信访局", "人社", TODAY, TODAY) == (
        "此案件当前为“已退回”，不能再提出异议、退回")


def test_the_objection_letter() -> None:
    letter = course.objection_letter(transferred(headcount=5), OFFICE, "县信访局。", "属于人社部门职责", D(2026, 3, 6), "刘芳")
    assert letter == Letter(
        doc="objection", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="县信访局", issued_on=D(2026, 3, 6),
        way="直接送达", staff="刘芳",
        paragraphs=[f"贵单位交办（转送）的王秀英等5人反映的{MATTER}信访事项（编号XF-2026-07），本会于2026年3月2日收到。"
                    "经审查，该事项不属于本会职责范围，根据《信访工作条例》第二十三条的规定，本会在收到之日起5个工作日内提出异议，理由如下："],
        sections=[("信访人诉求", REQUEST), ("异议理由", "属于人社部门职责")],
        closing=["请予核实。经核实同意的，本会将交还相关材料；不同意的，请函告本会。", "联系人：刘芳。特此函告。"],
        values={"source_no": "XF-2026-07", "to": "县信访局"})
    alone = course.objection_letter(transferred(), OFFICE, "县信访局", "x", TODAY, "")
    assert alone.closing[1] == "特此函告。"
    assert alone.paragraphs[0].startswith(f"贵单位交办（转送）的王秀英反映的{MATTER}信访事项（编号XF-2026-07）")
    two = course.objection_letter(transferred(headcount=2), OFFICE, "县信访局", "x", TODAY, "")
    assert two.paragraphs[0].startswith(f"贵单位交办（转送）的王秀英等2人反映的{MATTER}信访事项")
    assert course.objection_note("县信访局", "属于人社。", D(2026, 3, 6)) == "2026年3月6日向县信访局提出异议，退回：属于人社；出具退回函"


def test_passing_it_on() -> None:
    p = petition(accepted_on=D(2026, 3, 5))
    course.check_transfer_out(p, D(2026, 3, 5), D(2026, 3, 6), TODAY)
    assert errors_of(course.check_transfer_out, p, None, None, TODAY) == {
        "transfer_sent_on": "请填写转送日期", "transfer_due_on": "请填写要求答复的日期"}
    assert errors_of(course.check_transfer_out, p, D(2026, 3, 11), D(2026, 3, 11), TODAY) == {
        "transfer_sent_on": "转送日期不能晚于今天", "transfer_due_on": "要求答复的日期应在转送日期之后"}
    assert errors_of(course.check_transfer_out, p, D(2026, 3, 4), D(2026, 3, 20), TODAY) == {
        "transfer_sent_on": "转送日期不能早于受理日期（2026年3月5日）"}
    course.check_transfer_out(petition(), D(2026, 3, 1), D(2026, 3, 20), TODAY)
    course.check_transfer_out(p, TODAY, D(2026, 3, 11), TODAY)  # sent today, the answer due tomorrow
    letter = course.transfer_letter(petition(facts="丈夫拒付"), OFFICE, "县人社局", " 请优先 ", D(2026, 3, 6), D(2026, 3, 21),
                                    "刘芳")
    assert letter == Letter(
        doc="transfer_out", office=OFFICE, case_no="信访〔2026〕第0001号", addressee="县人社局", issued_on=D(2026, 3, 6),
        way="直接送达", staff="刘芳",
        paragraphs=[f"本会于2026年3月2日收到王秀英反映的{MATTER}信访事项，经审查，属于贵单位职责范围。现将该信访事项转送贵单位，"
                    "请依法办理，并于2026年3月21日前将办理结果函告本会，同时填写下方回执退回。"],
        sections=[("信访人诉求", REQUEST), ("事情经过", "丈夫拒付"), ("本会意见", " 请优先 ")], closing=["联系人：刘芳。"],
        values={"due_on": "2026年3月21日", "receipt": "王秀英反映的信访事项"})
    bare = course.transfer_letter(petition(headcount=2), OFFICE, "县人社局", " ", TODAY, D(2026, 3, 25), "")
    assert (bare.sections[2:], bare.closing) == ([], [])
    assert bare.paragraphs[0].startswith("本会于2026年3月2日收到王秀英等2人反映的")
    assert course.transfer_out_words(D(2026, 3, 6), D(2026, 3, 21)) == "，2026年3月6日出具转送函，要求2026年3月21日前答复"


def test_the_answer_of_the_body_it_was_passed_to() -> None:
    sent = petition(transfer_sent_on=D(2026, 3, 6), transfer_due_on=D(2026, 3, 8), handling_agency="县人社局")
    assert course.check_transfer_answer(sent, D(2026, 3, 6), " 已处理\n  完毕 ", TODAY) == "已处理\n完毕"
    assert errors_of(course.check_transfer_answer, sent, None, "", TODAY) == {
        "transfer_answered_on": "请填写答复日期", "transfer_answer": "请填写答复内容"}
    assert errors_of(course.check_transfer_answer, sent, D(2026, 3, 11), "好", TODAY) == {
        "transfer_answered_on": "答复日期不能晚于今天"}
    assert errors_of(course.check_transfer_answer, sent, D(2026, 3, 5), "好", TODAY) == {
        "transfer_answered_on": "答复日期不能早于转送日期（2026年3月6日）"}
    assert rule_error(course.check_transfer_answer, petition(), TODAY, "好", TODAY) == "这件信访没有转送其他单位"
    sent.transfer_answered_on = D(2026, 3, 7)
    assert rule_error(course.check_transfer_answer, sent, TODAY, "好", TODAY) == "已经记下了这个单位的答复"
    assert course.transfer_answer_note(sent, D(2026, 3, 8), "已处理") == "县人社局2026年3月8日答复：已处理"
    assert course.transfer_answer_note(sent, D(2026, 3, 9), "已处理") == "县人社局2026年3月9日答复（逾期，应于2026年3月8日前答复）：已处理"
    sent.transfer_due_on = None
    assert course.transfer_answer_note(sent, TODAY, "已处理") == "县人社局2026年3月10日答复：已处理"


def test_two_who_came_together_are_written_to_as_two() -> None:
    pair = petition(headcount=2)
    assert course.addressee(pair) == "王秀英等2人"
    assert course.accept_letter(pair, OFFICE, TODAY, TODAY, "直接送达", "").paragraphs[0].startswith("你们于2026年3月2日来访")
    back = course.report_back_letter(transferred(headcount=2, status="concluded", accepted_on=D(2026, 3, 3), result="支持",
                                                 reply="已付款", concluded_on=D(2026, 3, 9)), OFFICE, TODAY, "")
    assert back.paragraphs[0].startswith(f"贵单位交办（转送）的王秀英等2人反映的{MATTER}信访事项")
    done = review(answered_on=D(2026, 4, 20), result="维持", opinion="维持")
    letter = course.review_letter(concluded(headcount=2, reviews=[done]), done, OFFICE, "市妇联", "刘芳")
    assert letter.paragraphs[0].startswith("你们对2026年3月8日的处理意见书不服")
