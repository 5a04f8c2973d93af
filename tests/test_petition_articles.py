"""Every article of the 信访工作条例 (2022) the program prints or says, pinned to its subject. Written out by hand
from the 条例's text (and shared/reference/forms-and-rules.md):

    第二十条   走访：多人提出共同的信访事项，推选代表，代表人数不超过5人
    第二十三条 其他机关、单位收到信访事项：登记；当场书面告知，或自收到之日起15日内书面告知；转送、交办来的
               不属于本机关职权范围的，自收到之日起5个工作日内向转送、交办的部门提出异议
    第二十九条 建议意见类事项：研究论证，采纳或部分采纳，予以回复
    第三十条   检举控告类事项：依规依纪依法接收、受理、办理和反馈
    第三十一条 申诉求决类事项：区分情况办理；听取陈述、调查核实，出具信访处理意见书
    第三十二条 信访处理意见书载明投诉请求、事实和理由、处理意见及其法律法规依据：支持、解释说明、不予支持
    第三十三条 在处理申诉求决类事项过程中调解、和解（the program cites it nowhere: the opinion once cited it wrongly)
    第三十四条 自受理之日起60日内办结；经负责人批准可以延长，不超过30日，并告知延期理由
    第三十五条 不服处理意见的，收到书面答复之日起30日内请求复查；30日内提出复查意见
    第三十六条 不服复查意见的，30日内请求复核；30日内提出复核意见；不服复核意见，同一事实和理由不再受理

Each printed document is checked to cite exactly the articles it should, and each citation to sit in a sentence
about its subject. Every person here is made up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from fulian_desktop.domain import petition as rules
from fulian_desktop.domain import petition_course as course
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition, Representative, Review

D = dt.date
OFFICE = "演示县妇女联合会"

# what a sentence citing the article must speak of (any of the words)
SUBJECTS = {
    "第二十条": ("代表",),
    "第二十三条": ("受理", "告知", "异议", "转送"),
    "第二十九条": ("建议",),
    "第三十条": ("检举控告",),
    "第三十一条": ("申诉求决", "法律法规依据", "处理意见"),
    "第三十二条": ("法律法规依据", "处理意见"),
    "第三十四条": ("延长", "60日"),
    "第三十五条": ("复查",),
    "第三十六条": ("复核",),
}
ARTICLE = re.compile(r"第[一二三四五六七八九十]+条")


def petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=D(2026, 9, 29), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
                 headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
                 facts="丈夫长期不给生活费。", request="请求督促丈夫支付抚养费。", dv=True, safety_risk=False,
                 receiving_staff="王秀兰", case_no="XF-2026-0099", source_body="市妇联", source_no="SFL-9",
                 accepted_on=D(2026, 9, 30), handling_opinion="经核实情况属实。", result="支持", reply="已督促支付。",
                 concluded_on=D(2026, 11, 20), status="concluded", refused_reason="不属于妇联职责")
    return replace(p, **changes)  # type: ignore[arg-type]


def sentences_citing(letter: course.Letter) -> list[tuple[str, str, str]]:
    """(article, the sentence citing it, where) for every 《信访工作条例》 article the letter prints."""
    out = []
    texts = [("paragraph", t) for t in letter.paragraphs] + [(h, t) for h, t in letter.sections]
    texts += [("closing", t) for t in letter.closing]
    for where, text in texts:
        for sentence in re.split(r"(?<=[。；])", text):
            if where != "法律法规依据" and "信访工作条例" not in sentence and "条例" not in sentence:
                continue
            for article in ARTICLE.findall(sentence.split("《信访工作条例》", 1)[-1] if "《信访工作条例》" in sentence
                                           else sentence):
                out.append((article, sentence, where))
    return out


def letters() -> dict[str, course.Letter]:
    p = petition()
    opinion = course.draft_opinion(p, "支持")
    review = Review("review", D(2026, 12, 1), D(2026, 11, 21), "本会", "不服处理意见。", D(2026, 12, 20), "维持", "维持。")
    reviewed = replace(p, reviews=[review])
    re_review = Review("re_review", D(2026, 12, 25), D(2026, 12, 21), "本会", "不服复查意见。", D(2027, 1, 10), "维持",
                       "维持。")
    return {
        "受理告知书": course.accept_letter(p, OFFICE, D(2026, 9, 30), D(2026, 9, 30), "直接送达", "王秀兰"),
        "不予受理告知书": course.refuse_letter(p, OFFICE, "不属于妇联职责", "向有权处理的机关、单位提出", D(2026, 9, 30),
                                         "直接送达", "王秀兰"),
        "转送告知书": course.forward_letter(replace(p, nature="检举控告"), OFFICE, "县纪委监委", D(2026, 9, 30), "直接送达",
                                       "王秀兰"),
        "延期告知书": course.extend_letter(p, OFFICE, 30, "需要进一步调查", D(2026, 11, 20), "直接送达", "王秀兰"),
        "处理意见书": course.opinion_letter(p, OFFICE, opinion, D(2026, 11, 20), "王秀兰"),
        "答复意见书": course.opinion_letter(replace(p, nature="建议意见"), OFFICE,
                                       course.draft_opinion(replace(p, nature="建议意见"), "采纳"), D(2026, 11, 20), "王秀兰"),
        "复查意见书": course.review_letter(reviewed, review, OFFICE, "市妇联", "王秀兰"),
        "复核意见书": course.review_letter(replace(p, reviews=[review, re_review]), re_review, OFFICE, "", "王秀兰"),
        "交办件办理情况回告": course.report_back_letter(p, OFFICE, D(2026, 11, 20), "王秀兰"),
        "转送函": course.transfer_letter(p, OFFICE, "东山派出所", "", D(2026, 10, 8), D(2026, 10, 23), "王秀兰"),
        "退回函": course.objection_letter(p, OFFICE, "市妇联", "属于人社部门职责", D(2026, 10, 12), "王秀兰"),
    }


CITED = {  # by hand: the articles each document prints
    "受理告知书": {"第二十三条"}, "不予受理告知书": {"第二十三条"}, "转送告知书": {"第二十三条"},
    "延期告知书": {"第三十四条"}, "处理意见书": {"第三十一条", "第三十二条", "第三十五条"}, "答复意见书": set(),
    "复查意见书": {"第三十五条", "第三十六条"}, "复核意见书": {"第三十六条"}, "交办件办理情况回告": set(),
    "转送函": set(), "退回函": {"第二十三条"},
}


@pytest.mark.parametrize("title", list(CITED))
def test_each_document_cites_the_articles_of_its_subject(title: str) -> None:
    letter = letters()[title]
    assert letter.title == title
    cited = sentences_citing(letter)
    assert {a for a, _s, _w in cited} == CITED[title], cited
    for article, sentence, where in cited:
        assert article != "第三十三条"
        context = sentence + (where if where == "法律法规依据" else "")
        assert any(w in context for w in SUBJECTS[article]), (article, sentence)


def test_the_articles_named_once_are_the_ones_above() -> None:
    assert (course.TELL_ARTICLE, course.CONCLUDE_ARTICLE, course.OPINION_ARTICLES, course.REVIEW_ARTICLE,
            course.RE_REVIEW_ARTICLE) == ("第二十三条", "第三十四条", "第三十一条、第三十二条", "第三十五条", "第三十六条")
    assert course.default_basis(petition()).endswith("《信访工作条例》第三十一条、第三十二条")
    assert "信访工作条例" not in course.default_basis(petition(nature="建议意见"))
    assert course.FINAL_NOTE.endswith("依照《信访工作条例》第三十六条不再受理")


def test_what_the_window_says_cites_the_right_article() -> None:
    with pytest.raises(ValidationError) as e:
        rules.validate_petition(petition(headcount=8, source_body="", source_no="", representatives=[
            Representative(n, "") for n in ("甲一", "乙二", "丙三", "丁四", "戊五")]), D(2026, 12, 7))
    assert "（信访工作条例第二十条）" in e.value.errors["representatives"] and "代表" in e.value.errors["representatives"]
    from fulian_desktop.domain.errors import RuleError

    with pytest.raises(RuleError, match="第三十四条"):
        rules.check_extend(petition(status="accepted", extension_days=10), 10, "再延")
    late = course.objection_too_late(petition(objection_due_on=D(2026, 10, 12)), D(2026, 10, 13))
    assert "（《信访工作条例》第二十三条）" in late and "异议" in late
