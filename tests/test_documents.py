"""PDF forms: fonts and missing glyphs, the layout helpers, the 信访登记表, and printing a case.

Every person here is made up.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fulian_desktop import documents
from fulian_desktop.documents import fonts, layout
from fulian_desktop.documents import petition_form as pf
from fulian_desktop.domain.errors import FulianError, NotFound
from fulian_desktop.domain.idcard import make_id_number, parse_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import petitions, printing, settings
from fulian_desktop.services.context import Context, open_context

from .pdf_layout import flat, page_texts

NOW = dt.datetime(2026, 3, 10, 9, 30)
RECEIVED = dt.date(2026, 3, 1)
PETITIONER = "闵䶮喆"  # made up; 䶮 and 喆 are rare name characters
CONCERNED = "闵𠇔"  # made up; 𠇔 lies beyond U+FFFF
FACTS_END = "以上为信访人口述，经本人核对无误。完ZZ9。"


def id_number_ending_in_x(birth: dt.date) -> str:
    for serial in range(1000):
        number = make_id_number("110101", birth, serial, female=True)
        if number.endswith("X"):
            return number
    raise AssertionError("no serial gives the check digit X")


def long_facts(length: int = 3000) -> str:
    unit = (
        "信访人称：丈夫（王某）酗酒后多次动手打人；2025年12月起又多次威胁“要她好看”！"
        "邻居、村干部均曾劝阻，但无效果……她担心孩子（8岁）的安全。"
    )
    body = (unit * (length // len(unit) + 1))[: length - len(FACTS_END) - 1]
    return body[:1400] + "\n" + body[1400:] + FACTS_END


def make_petition(**changes: object) -> Petition:
    p = Petition(
        channel="来访", received_on=RECEIVED,
        petitioner=Person(name=PETITIONER, sex="女", birth_date=dt.date(1990, 5, 3),
                          id_number=id_number_ending_in_x(dt.date(1990, 5, 3)), phone="13800138000",
                          address="东山镇石桥村三组18号", marital_status="已婚"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭",
        subcategory="家庭暴力", facts=long_facts(),
        request="请求帮助申请人身安全保护令，并为离婚提供法律援助。", dv=True, safety_risk=False,
        receiving_staff="李堃", respondent_name="王某", respondent_relation="丈夫",
    )
    for key, val in changes.items():
        setattr(p, key, val)
    return p


@pytest.fixture
def doc_ctx(tmp_path: Path) -> Iterator[Context]:
    c = open_context(tmp_path / "documents.db", clock=lambda: NOW, staff="李堃")
    yield c
    c.close()


# ---- fonts ------------------------------------------------------------------------------------


def test_song_is_the_ar_pl_uming_cn_face_and_registers_once_from_any_thread() -> None:
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(fonts.register_fonts())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [fonts.SONG] * 8
    assert fonts.song() is fonts.song()
    assert fonts.song().face.familyName == b"AR PL UMing CN"


def test_the_font_covers_chinese_latin_digits_punctuation_and_rare_name_characters() -> None:
    text = "张三 ABCxyz 0123456789 X，。；：！？（）“”、《》〔〕 堃喆䶮𠇔 □√\n\t\u3000"
    assert fonts.unprintable(text) == []


def test_unprintable_lists_each_missing_character_once_in_order() -> None:
    assert fonts.unprintable("甲\ue000乙😀丙\ue000") == ["\ue000", "😀"]


def test_check_printable_names_the_characters_and_never_prints_a_blank_box() -> None:
    documents.check_printable(["张三", "", "☑ 勾选框由程序绘制"])
    with pytest.raises(FulianError, match="以下字符无法打印") as err:
        documents.check_printable(["张三", "私用区字\ue000", "表情😀"])
    assert "U+E000" in str(err.value) and "U+1F600" in str(err.value)


# ---- layout -----------------------------------------------------------------------------------


def test_cjk_text_keeps_the_line_breaking_rules_and_stays_inside_its_width() -> None:
    text = long_facts(800) + "身份证号110101199005030727，电话13800138000。"
    block = layout.CJKText(text, 10.5, align="justify", indent=True)
    width = 200.0
    block.wrap(width, 10_000)
    lines = block._break(width)
    assert len(lines) > 20
    for line in lines:
        assert line.width <= line.avail + 0.01
        if line.text:
            assert line.text[0] not in layout.CANNOT_START, line.text
            assert line.text[-1] not in layout.CANNOT_END, line.text
    assert any("110101199005030727" in line.text for line in lines)  # an ID number is never cut
    assert "".join(line.text for line in lines) == text.replace("\n", "")


def test_cjk_text_splits_into_two_parts_that_hold_all_the_text() -> None:
    block = layout.CJKText(long_facts(1200), 10.5, align="justify", indent=True)
    _, height = block.wrap(300, 10_000)
    head, tail = block.split(300, height / 3)
    assert isinstance(head, layout.CJKText) and isinstance(tail, layout.CJKText)
    head.wrap(300, 10_000)
    tail.wrap(300, 10_000)
    assert head.height <= height / 3
    assert (head.text + tail.text).replace("\n", "") == block.text.replace("\n", "")


def test_tabs_and_invisible_characters_never_reach_the_page() -> None:
    assert layout.clean_text("甲\t乙\u200b丙\ufeff\r\n丁\u3000戊\x07") == "甲 乙丙\n丁\u3000戊"
    assert layout.CJKText("甲\t乙\u200b").text == "甲 乙"


def test_grid_rejects_rows_that_do_not_fill_the_columns() -> None:
    with pytest.raises(ValueError):
        layout.grid([[layout.label("姓名"), layout.value("x")]], [10.0, 10.0, 10.0])


def test_choices_tick_the_selected_option() -> None:
    assert layout.choices(("来信", "来访"), "来访") == "☐来信\u3000☑来访"


def test_a_listing_splits_between_rows_and_repeats_its_title_and_header_on_the_next_page() -> None:
    form = layout.Form([20 * layout.mm, 50 * layout.mm, 100 * layout.mm])
    header = [layout.label("序号"), layout.label("姓名"), layout.label("情况")]
    rows = [[layout.value(str(i), align="center"), layout.value(f"成员{i}号"), layout.value("正常。" * (i % 7))]
            for i in range(1, 81)]
    form.listing(header, rows, title="家庭成员")
    pages = [flat(t) for t in page_texts(layout.build("测试表", form.flowables()))]
    assert len(pages) >= 2
    for page in pages:
        assert page.count("家庭成员") == 1 and "序号姓名情况" in page  # on every page, once
    everything = "".join(pages)
    assert all(everything.count(f"成员{i}号") == 1 for i in range(1, 81))  # every row once, none cut in two


def test_a_table_splits_between_rows_but_never_inside_a_row_span() -> None:
    widths = [10 * layout.mm, 30 * layout.mm, 130 * layout.mm]
    spanned = layout.grid([[layout.section("当事人", rows=4), layout.label("姓名"), layout.value("甲")],
                           *[[layout.label(f"项目{i}"), layout.value("乙")] for i in range(3)],
                           [layout.label("其他", span=2), layout.value("丙")]], widths)
    width, height = spanned.wrap(layout.CONTENT_WIDTH, 1000)
    assert width == sum(widths)
    row = height / 5
    assert spanned.split(layout.CONTENT_WIDTH, 2.5 * row) == []  # the span's four rows go on together
    head, tail = spanned.split(layout.CONTENT_WIDTH, 4.5 * row)
    assert head.wrap(layout.CONTENT_WIDTH, 1000)[1] + tail.wrap(layout.CONTENT_WIDTH, 1000)[1] == pytest.approx(height)
    pdf = layout.build("测试表", [layout.spacer(layout.FRAME_TOP - layout.FRAME_BOTTOM - 3 * row), spanned])
    pages = [flat(t) for t in page_texts(pdf)]
    assert "当事人姓名甲" in pages[1] and "项目2乙" in pages[1]  # moved on whole, not cut after 项目1


def test_build_takes_plain_text_and_repeats_the_title_on_every_page() -> None:
    assert layout.esc("A&B <C>\n") == "A&amp;B &lt;C&gt;<br/>"  # for any text put into a Paragraph
    form = layout.Form([30 * layout.mm, 140 * layout.mm])
    form.rows([layout.label("姓名"), layout.value("A&B <C> 测试")])
    form.text("内容", "长文本。" * 1500)
    pdf = layout.build("测试表", form.flowables(), fields=["甲", "乙"])
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert "A&B<C>测试" in flat(pages[0])
    assert all("测试表" in flat(text) for text in pages)
    assert f"第1页共{len(pages)}页" in flat(pages[0])
    assert f"第{len(pages)}页共{len(pages)}页" in flat(pages[-1])


# ---- the 信访登记表 -----------------------------------------------------------------------------


def test_petition_form_prints_every_detail_and_the_long_facts_flow_to_page_two(doc_ctx: Context) -> None:
    form = make_petition(
        concerned=Person(name=CONCERNED, sex="女", birth_date=dt.date(1968, 1, 2), phone="13900139000"),
    )
    case_id, case_no = petitions.register(doc_ctx, form)
    id_number = form.petitioner.id_number
    assert id_number.endswith("X") and parse_id_number(id_number).sex == "女"

    pdf, filename = printing.print_case(doc_ctx, case_id)

    assert pdf.startswith(b"%PDF")
    assert filename == f"信访登记表_{PETITIONER}_2026-03-01.pdf"
    pages = page_texts(pdf)
    assert len(pages) >= 2
    everything = flat("".join(pages))
    for expected in (
        PETITIONER, CONCERNED, id_number, case_no, "县妇联", "13800138000", "东山镇石桥村三组18号",
        "李堃", "王某", "丈夫", "婚姻家庭（家庭暴力）", "2026年3月1日", "1990年5月3日",
        "打印日期：2026年3月10日",
        "信访方式", "收到日期", "身份证号", "婚姻状况", "事情经过", "诉求", "办理情况", "处理结果",
        "接待人（签名）", "信访人（签名或捺印）", "负责人审核（签名）",
        "√来访", "□来信", "√家庭暴力", "□人身安全风险",  # the checkboxes' state, copied as text
        flat(FACTS_END), "请求帮助申请人身安全保护令",
    ):
        assert expected in everything, expected
    assert "信访登记表" in flat(pages[0])
    assert "信访登记表" in flat(pages[1]) and case_no in pages[1]  # the title and number on page two too
    assert "事情经过（续）" in flat(pages[1])
    assert f"第1页共{len(pages)}页" in flat(pages[0])


def test_petition_form_is_not_blank_and_embeds_its_font() -> None:
    pdf = pf.render(make_petition(case_no="信访〔2026〕第0007号"), "某某县妇联", dt.date(2026, 3, 5))
    assert b"/FontFile2" in pdf  # the TrueType font travels inside the PDF
    assert b"UMingCN" in pdf
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        bitmap = page.render(scale=1, grayscale=True)
        pixels = bytes(bitmap.buffer)
        dark = sum(1 for b in pixels if b < 100)
        assert dark > 0.01 * bitmap.width * bitmap.height  # text and ruled lines, not an empty page
        bitmap.close()
        page.close()
    finally:
        doc.close()


def test_very_long_answers_flow_over_many_pages_and_end_with_the_signature_lines() -> None:
    p = make_petition(case_no="信访〔2026〕第0009号", status="refused", refused_reason="理由" * 100,
                      handling_opinion="处理意见。" * 800, reply="答复内容。" * 900 + "答复到此为止。")
    p.petitioner.address = "很长的地址" * 200
    pdf = pf.render(p, "县妇联", dt.date(2026, 3, 5))
    assert pdf == pf.render(p, "县妇联", dt.date(2026, 3, 5))  # the same record gives the same file
    pages = page_texts(pdf)
    assert len(pages) >= 5
    assert all("信访登记表" in flat(text) and "信访〔2026〕第0009号" in text for text in pages)
    everything = flat("".join(pages))
    for expected in (flat(FACTS_END), "不予受理理由", "处理意见（续）", "答复内容（续）", "答复到此为止。"):
        assert expected in everything, expected
    last = flat(pages[-1])
    assert "负责人审核（签名）" in last and "处理结果" in last  # signatures never alone on a page


def test_group_visit_handled_and_concluded_petition_shows_its_outcome(doc_ctx: Context) -> None:
    form = make_petition(headcount=6, facts="五名妇女反映土地补偿款未分配。")
    case_id, _ = petitions.register(doc_ctx, form)
    petitions.accept(doc_ctx, case_id, dt.date(2026, 3, 2))
    petitions.set_handling(doc_ctx, case_id, "转办/交办", "乡镇政府", "转东山镇政府核实处理。")
    petitions.extend(doc_ctx, case_id, 30, "需要村民代表大会表决")
    petitions.conclude(doc_ctx, case_id, "已按村规民约补发。", "支持", dt.date(2026, 3, 9))
    pdf, _ = printing.print_case(doc_ctx, case_id)
    text = flat("".join(page_texts(pdf)))
    for expected in (
        "6人", "√是", "已办结", "2026年3月2日", "√转办/交办", "乡镇政府", "转东山镇政府核实处理。",
        "已按村规民约补发。", "√支持", "□不予支持", "2026年3月9日", "延长30天：需要村民代表大会表决",
        "同信访人",
    ):
        assert expected in text, expected


def test_office_name_comes_from_settings(doc_ctx: Context) -> None:
    case_id, _ = petitions.register(doc_ctx, make_petition(facts="简短经过。"))
    assert settings.office_name(doc_ctx) == "县妇联"
    doc_ctx.db.execute("INSERT INTO settings (key, value) VALUES ('office_name', '某某县妇女联合会')")
    pdf, _ = printing.print_case(doc_ctx, case_id)
    assert "登记单位：某某县妇女联合会" in flat(page_texts(pdf)[0])
    pdf, _ = printing.print_case(doc_ctx, case_id, office_name="城关镇妇联")
    assert "城关镇妇联" in flat(page_texts(pdf)[0])


def test_printing_refuses_a_character_the_font_lacks(doc_ctx: Context) -> None:
    case_id, _ = petitions.register(doc_ctx, make_petition(facts="她说：“\ue000”是一个私用区字符。"))
    with pytest.raises(FulianError, match="以下字符无法打印.*U\\+E000"):
        printing.print_case(doc_ctx, case_id)
    with pytest.raises(FulianError):
        documents.render_case("petition", petitions.get(doc_ctx, case_id), "县妇联", dt.date(2026, 3, 10))


def test_printing_a_missing_case_or_an_unknown_kind_says_so(doc_ctx: Context) -> None:
    with pytest.raises(NotFound):
        printing.print_case(doc_ctx, 999)
    with pytest.raises(FulianError, match="没有可打印的表格"):
        documents.render_case("no-such-kind", object(), "县妇联", dt.date(2026, 3, 10))


def test_suggested_filename_drops_characters_windows_refuses() -> None:
    p = make_petition()
    p.petitioner.name = 'A/B\\C:D*E?F"G<H>I|J'
    assert documents.suggested_filename("petition", p) == "信访登记表_ABCDEFGHIJ_2026-03-01.pdf"
