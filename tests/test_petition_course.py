"""A petition's written course (信访工作条例 2022): the three kinds of petition and the course of each, the notices
(受理告知书, 不予受理告知书, 转送告知书, 延期告知书) as dated documents of the case whose date stops the 15-day clock,
the written opinion at conclusion (处理意见书 / 答复意见书), her satisfaction — through the services, and the
documents read back from the PDF (pypdfium2) as she would read them. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from fulian_desktop.documents import layout
from fulian_desktop.domain import petition_course as course
from fulian_desktop.domain.errors import RuleError, ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import case_documents, petitions, settings, undo
from fulian_desktop.services.context import Context

from .pdf_layout import flat, layout_problems, page_texts, read

RECEIVED = dt.date(2026, 3, 2)  # the clock's today is 2026-03-10


def form(**changes: object) -> Petition:
    p = Petition(
        channel="来访", received_on=RECEIVED, petitioner=Person(name="柳如烟", sex="女", phone="13800138000"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭", subcategory="家庭暴力",
        facts="丈夫酒后多次殴打，上周在村口再次动手，邻居报警后派出所出具了告诫书。",
        request="要求离婚并申请人身安全保护令。希望妇联帮助她。", dv=True, safety_risk=False, receiving_staff="王秀兰",
        respondent_name="刘某", respondent_relation="丈夫",
    )
    return replace(p, **changes)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    return flat("".join(page_texts(pdf)))


def case_row(ctx: Context, case_id: int) -> tuple[str | None, str, int, str | None]:
    r = ctx.db.execute("SELECT due_on, due_label, is_open, closed_on FROM cases WHERE id = ?", [case_id]).fetchone()
    return r[0], r[1], r[2], r[3]


# --- the three kinds ------------------------------------------------------------------------------------------


def test_a_petition_is_a_claim_unless_said_otherwise_and_the_kind_is_checked(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    assert petitions.get(ctx, case_id).nature == "申诉求决"
    with pytest.raises(ValidationError) as e:
        petitions.register(ctx, form(nature="投诉"))
    assert "事项类型" in e.value.errors["nature"]


def test_a_claim_has_the_60_day_clock_a_suggestion_is_answered_without_one(ctx: Context) -> None:
    claim, _ = petitions.register(ctx, form())
    suggestion, _ = petitions.register(ctx, form(nature="建议意见", category="综合", subcategory="",
                                                 request="建议在各村设立妇女维权联络员。"))
    for case_id in (claim, suggestion):
        assert case_row(ctx, case_id)[:2] == ("2026-03-17", "告知是否受理")  # 15 days from receipt, both kinds
        petitions.accept(ctx, case_id, dt.date(2026, 3, 5))
    assert case_row(ctx, claim)[:3] == ("2026-05-04", "办结", 1)  # 60 days from acceptance (art. 34)
    assert case_row(ctx, suggestion)[:3] == (None, "", 1)  # open, and no statutory clock
    petitions.set_handling(ctx, suggestion, "其他", "", "交权益部研究")
    with pytest.raises(RuleError, match="没有法定的办结期限"):
        petitions.extend(ctx, suggestion, 10, "情况复杂")
    with pytest.raises(ValidationError):
        petitions.conclude(ctx, suggestion, "予以支持", "支持", dt.date(2026, 3, 9))  # a claim's outcome
    doc_id = petitions.conclude(ctx, suggestion, "", "部分采纳", dt.date(2026, 3, 9))
    pdf, name = case_documents.print_issued(ctx, doc_id)
    assert name.startswith("答复意见书_柳如烟_2026-03-09")
    text = text_of(pdf)
    assert "答复意见书" in text and "答复结果" in text
    assert "本会予以部分采纳" in text and "复查" not in text  # a suggestion's answer is not reviewed


def test_an_accusation_is_forwarded_to_the_competent_body_and_she_is_told_where(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form(nature="检举控告", category="财产权益", subcategory="征地补偿",
                                              request="检举村干部截留征地补偿款。"))
    with pytest.raises(RuleError, match="转送有权处理的机关"):
        petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    with pytest.raises(ValidationError) as e:
        petitions.forward(ctx, case_id, " ", dt.date(2026, 3, 4))
    assert "转送的机关" in e.value.errors["forwarded_to"]
    doc_id = petitions.forward(ctx, case_id, "县纪委监委", dt.date(2026, 3, 4), "邮寄送达")
    p = petitions.get(ctx, case_id)
    assert (p.status, p.forwarded_to, p.forwarded_on, p.told_on) == ("forwarded", "县纪委监委", dt.date(2026, 3, 4),
                                                                        dt.date(2026, 3, 4))
    assert case_row(ctx, case_id) == (None, "", 0, "2026-03-04")
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    assert "转送告知书" in text and "已于2026年3月4日将其转送县纪委监委依法办理" in text
    a_claim, _ = petitions.register(ctx, form())
    with pytest.raises(RuleError, match="只有检举控告"):
        petitions.forward(ctx, a_claim, "县公安局", dt.date(2026, 3, 4))


# --- notices: dated documents of the case, their date stops the clock ----------------------------------------


def test_the_acceptance_notice_is_kept_and_its_date_stops_the_15_day_clock(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    doc_id = petitions.accept(ctx, case_id, dt.date(2026, 3, 4), dt.date(2026, 3, 5))
    p = petitions.get(ctx, case_id)
    assert (p.accepted_on, p.told_on, p.tell_way) == (dt.date(2026, 3, 4), dt.date(2026, 3, 5), "直接送达")
    [notice] = p.documents
    assert (notice.id, notice.title, notice.issued_on, notice.way) == (doc_id, "受理告知书", dt.date(2026, 3, 5),
                                                                         "直接送达")
    assert case_row(ctx, case_id)[:2] == ("2026-05-03", "办结")
    assert p.timeline[-1].note == "受理日期2026年3月4日；受理告知书2026年3月5日直接送达"
    entries = case_documents.list_documents(ctx, case_id)
    assert [(e.number, e.title) for e in entries] == [(1, "信访登记表"), (2, "受理告知书")]
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    for words in ("受理告知书", "柳如烟：", "您于2026年3月2日来访反映的关于“要求离婚并申请人身安全保护令”的信访事项",
                  "本会决定予以受理（受理日期：2026年3月4日）", "60日内（2026年5月3日前）办结",
                  "县妇联（印）", "2026年3月5日", "编号：信访〔2026〕第0001号", "送达方式直接送达"):
        assert words in text, words


def test_told_on_the_spot_only_on_the_day_it_came_in_and_a_late_notice_is_said_to_be_late(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    with pytest.raises(ValidationError) as e:
        petitions.accept(ctx, case_id, dt.date(2026, 3, 9), way="当场告知")
    assert "当场告知的，告知日期就是收到日期" in e.value.errors["tell_way"]
    with pytest.raises(ValidationError) as e:
        petitions.accept(ctx, case_id, dt.date(2026, 3, 4), dt.date(2026, 3, 3))
    assert "告知日期不能早于2026年3月4日" in e.value.errors["told_on"]
    old, _ = petitions.register(ctx, form(received_on=dt.date(2026, 2, 1)))
    petitions.accept(ctx, old, dt.date(2026, 2, 20))  # the 15 days ran out on 16 February
    assert petitions.get(ctx, old).timeline[-1].note.endswith("2026年2月20日直接送达，已超过15日")
    assert course.told_in_time(dt.date(2026, 2, 1), dt.date(2026, 2, 16))
    assert not course.told_in_time(dt.date(2026, 2, 1), dt.date(2026, 2, 17))


def test_the_refusal_notice_gives_the_reason_and_where_she_can_turn_instead(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    doc_id = petitions.refuse(ctx, case_id, "该事项已经人民法院作出生效判决。", dt.date(2026, 3, 6),
                              "依法向人民法院申请再审", "邮寄送达")
    p = petitions.get(ctx, case_id)
    assert (p.status, p.refused_route, p.told_on, p.tell_way) == ("refused", "依法向人民法院申请再审",
                                                                  dt.date(2026, 3, 6), "邮寄送达")
    assert case_row(ctx, case_id) == (None, "", 0, "2026-03-06")
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    assert "经审查，该事项已经人民法院作出生效判决，根据《信访工作条例》第二十三条的规定，本会不予受理。" in text
    assert "建议依法向人民法院申请再审。" in text and "不予受理告知书" in text


def test_the_extension_notice_tells_her_the_reason_and_the_new_date(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    petitions.accept(ctx, case_id, dt.date(2026, 3, 2))
    petitions.set_handling(ctx, case_id, "转办/交办", "公安", "请依法处理")
    doc_id = petitions.extend(ctx, case_id, 20, "需等待公安机关的调查结论", dt.date(2026, 3, 9), "邮寄送达")
    assert case_row(ctx, case_id)[:2] == ("2026-05-21", "办结")  # 60 + 20 days from 2 March
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    for words in ("延期告知书", "原应于2026年5月1日前办结", "因需等待公安机关的调查结论，经本会负责人批准",
                  "《信访工作条例》第三十四条", "办理期限延长20日，本会将于2026年5月21日前办结"):
        assert words in text, words


def test_a_notice_reprints_identically_whatever_changed_since(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id, _ = petitions.register(ctx, form())
    doc_id = petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    first, name = case_documents.print_issued(ctx, doc_id)
    form_before = case_documents.print_entry(ctx, case_id, case_documents.list_documents(ctx, case_id)[0])[0]
    # her name corrected, the office renamed, a year on: the notice she was given stays what she was given
    corrected = replace(petitions.get(ctx, case_id), petitioner=replace(petitions.get(ctx, case_id).petitioner,
                                                                           name="柳如雪"))
    petitions.correct(ctx, case_id, corrected, reason="姓名登记有误")
    settings.set_office_name(ctx, "某某县妇女联合会")
    clock.advance(400)
    again, name_again = case_documents.print_issued(ctx, doc_id)
    assert again == first and name_again == name
    assert "柳如烟：" in text_of(again) and "县妇联（印）" in text_of(again)
    # the registration form is printed from the case as it is now
    form_after = case_documents.print_entry(ctx, case_id, case_documents.list_documents(ctx, case_id)[0])[0]
    assert "柳如雪" in text_of(form_after) and form_after != form_before


def test_undoing_an_acceptance_keeps_its_notice_marked_void_and_the_clock_runs_again(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    doc_id = petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    undo.undo_last_step(ctx, case_id, "应为不予受理")
    p = petitions.get(ctx, case_id)
    assert p.status == "registered" and p.told_on is None
    assert case_row(ctx, case_id)[:2] == ("2026-03-17", "告知是否受理")
    [notice] = p.documents
    assert notice.voided_on == dt.date(2026, 3, 10) and notice.voided_reason == "应为不予受理"
    [_form, entry] = case_documents.list_documents(ctx, case_id)
    assert entry.note == "已作废（2026年3月10日）"
    assert "本文书已于2026年3月10日作废（应为不予受理），仅供存档。" in text_of(case_documents.print_issued(ctx, doc_id)[0])
    petitions.refuse(ctx, case_id, "不属于妇联受理范围", dt.date(2026, 3, 10), "向有权处理的机关、单位提出")
    entries = case_documents.list_documents(ctx, case_id)
    assert [e.title for e in entries] == ["信访登记表", "受理告知书", "不予受理告知书"]
    assert case_documents.find(entries, "不予受理告知书").number == 3


# --- the written opinion -------------------------------------------------------------------------------------


def concluded_claim(ctx: Context) -> tuple[int, int]:
    case_id, _ = petitions.register(ctx, form())
    petitions.accept(ctx, case_id, dt.date(2026, 3, 2))
    petitions.set_handling(ctx, case_id, "转办/交办", "公安", "经与派出所核实，刘某确有家庭暴力行为，已被训诫。")
    o = petitions.draft_opinion(ctx, case_id, "支持")
    assert o.request == "要求离婚并申请人身安全保护令。希望妇联帮助她。"
    assert o.facts_found == "经与派出所核实，刘某确有家庭暴力行为，已被训诫。"
    assert o.opinion == course.OPINION_WORDS["支持"]
    assert "《中华人民共和国反家庭暴力法》" in o.legal_basis and "《信访工作条例》第三十一条、第三十二条" in o.legal_basis
    o.opinion += "本会已协助她向人民法院申请人身安全保护令。"
    o.review_body = "市妇联"
    doc_id = petitions.conclude(ctx, case_id, "", "支持", dt.date(2026, 3, 9), opinion=o, rating="满意")
    return case_id, doc_id


def test_the_opinion_is_drafted_from_the_case_edited_and_kept_with_her_right_to_a_review(ctx: Context) -> None:
    case_id, doc_id = concluded_claim(ctx)
    p = petitions.get(ctx, case_id)
    assert (p.status, p.result, p.concluded_on) == ("concluded", "支持", dt.date(2026, 3, 9))
    assert p.reply.endswith("本会已协助她向人民法院申请人身安全保护令。")
    assert (p.rating, p.rated_on, p.rating_way) == ("满意", dt.date(2026, 3, 9), "办结时")
    assert p.documents[-1].title == "处理意见书"
    text = text_of(case_documents.print_issued(ctx, doc_id)[0])
    for words in ("处理意见书", "一、信访人诉求", "要求离婚并申请人身安全保护令", "二、事实和理由", "三、处理意见",
                  "本会已协助她向人民法院申请人身安全保护令", "四、法律法规依据",
                  "如对本处理意见不服，可以自收到本意见书之日起30日内，向市妇联书面请求复查（《信访工作条例》第三十五条）"):
        assert words in text, words
    # the office's next opinion names the review body the last one named
    assert petitions.draft_opinion(ctx, petitions.register(ctx, form())[0]).review_body == "市妇联"


def test_an_opinion_without_its_legal_basis_is_not_issued(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    petitions.accept(ctx, case_id, dt.date(2026, 3, 2))
    petitions.set_handling(ctx, case_id, "当场答复")
    o = petitions.draft_opinion(ctx, case_id, "解释说明")
    o.legal_basis = " "
    with pytest.raises(ValidationError) as e:
        petitions.conclude(ctx, case_id, "", "解释说明", dt.date(2026, 3, 9), opinion=o)
    assert e.value.errors == {"legal_basis": "请填写法律法规依据"}
    p = petitions.get(ctx, case_id)
    assert p.status == "in_progress" and [d.title for d in p.documents] == ["受理告知书"]


# --- satisfaction --------------------------------------------------------------------------------------------


def test_her_satisfaction_is_recorded_at_conclusion_or_on_a_return_call(ctx: Context) -> None:
    case_id, _ = concluded_claim(ctx)
    with pytest.raises(ValidationError) as e:
        petitions.rate(ctx, case_id, "不满意", "", dt.date(2026, 3, 10))
    assert "不满意的地方" in e.value.errors["rating_note"]
    with pytest.raises(ValidationError) as e:
        petitions.rate(ctx, case_id, "满意", "", dt.date(2026, 3, 8))
    assert "不能早于办结日期" in e.value.errors["rated_on"]
    petitions.rate(ctx, case_id, "基本满意", "对方已搬离", dt.date(2026, 3, 10), "回访")
    p = petitions.get(ctx, case_id)
    assert (p.rating, p.rating_note, p.rated_on, p.rating_way) == ("基本满意", "对方已搬离", dt.date(2026, 3, 10), "回访")
    assert p.timeline[-1].note == "回访：基本满意，对方已搬离"
    open_one, _ = petitions.register(ctx, form())
    with pytest.raises(RuleError, match="办结后"):
        petitions.rate(ctx, open_one, "满意", "", dt.date(2026, 3, 10))


# --- the paper: inside its boxes, fonts embedded, every character printable -----------------------------------


def test_every_document_keeps_its_words_inside_the_page_and_its_boxes(ctx: Context) -> None:
    long_request = "请求妇联帮助她离婚、争取孩子抚养权并申请人身安全保护令；" * 60  # about 1700 characters
    case_id, _ = petitions.register(ctx, form(request=long_request, headcount=12, channel="12338热线",
                                              petitioner=Person(name="欧阳䶮喆", sex="女")))
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    petitions.set_handling(ctx, case_id, "其他", "", "经调查核实，" + "情况属实，" * 200)
    petitions.extend(ctx, case_id, 30, "需调取相关证据材料，" * 10)
    o = petitions.draft_opinion(ctx, case_id, "解释说明")
    o.opinion += "依法应通过诉讼解决。" * 80
    petitions.conclude(ctx, case_id, "", "解释说明", dt.date(2026, 3, 10), opinion=o)
    docs = petitions.get(ctx, case_id).documents
    assert [d.title for d in docs] == ["受理告知书", "延期告知书", "处理意见书"]
    for d in docs:
        assert d.id is not None
        pdf = case_documents.print_issued(ctx, d.id)[0]
        assert b"/FontFile2" in pdf  # the font travels inside the PDF
        pages = read(pdf)
        assert not layout_problems(pages), d.title
        for page in pages:
            for c in page.chars:
                left, bottom, right, top = c.box
                assert layout.MARGIN_X - 1 <= left and right <= layout.PAGE_WIDTH - layout.MARGIN_X + 1, (d.title, c)
                assert 5 <= bottom and top <= layout.PAGE_HEIGHT - 10, (d.title, c)
        text = text_of(pdf)
        assert "欧阳䶮喆等12人：" in text and "通过12338妇女维权公益服务热线反映" in text
        doc = pdfium.PdfDocument(pdf)
        try:
            for page in doc:  # every page drawn: not a blank sheet
                gray = page.render(scale=0.5, grayscale=True).to_pil()  # (Pillow: numpy is no dependency)
                assert sum(gray.histogram()[:128]) > 500  # pixels darker than mid-grey
                page.close()
        finally:
            doc.close()
    opinion = read(case_documents.print_issued(ctx, docs[-1].id or 0)[0])
    assert len(opinion) >= 2 and any(p.circles for p in opinion), "a long opinion flows on; the seal's place is drawn"


def test_a_character_the_font_lacks_stops_the_notice_before_anything_is_issued(ctx: Context) -> None:
    case_id, _ = petitions.register(ctx, form())
    with pytest.raises(Exception, match="无法打印"):
        petitions.refuse(ctx, case_id, "不属于受理范围\U0001F600", dt.date(2026, 3, 5))
    p = petitions.get(ctx, case_id)
    assert p.status == "registered" and not p.documents
