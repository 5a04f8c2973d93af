"""The printed forms read back as a reader sees them (tests/pdf_layout.py): no words on other words, under
the seal's circle or crossed by a drawn line; every name, amount and date whole on one line where the cell
is wide enough for it — with the longest values the fields take (100 characters of visitors, 200 of goods,
five-figure amounts, two-digit months and days). Every person here is made up."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reportlab.pdfgen.canvas import Canvas

from fulian_desktop.documents import fonts
from fulian_desktop.documents.layout import CJKText
from fulian_desktop.domain import people
from fulian_desktop.domain.dates import format_cn
from fulian_desktop.domain.household import Cadre, Household, Measure, Member, Visit
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mediation import Agreement, AgreementItem, Closing, Mediation, Mediator, Party, Session
from fulian_desktop.domain.money import format_yuan
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.services import household_printing, households, mediations, printing
from fulian_desktop.services.context import Context

from .pdf_layout import layout_problems, read, split_values

ADDRESS_MOST = people.LIMITS["address"][1]  # the longest address a person's record takes
# names as the demo makes them (two to four characters), joined as the clerks write them
VISITORS = ["贺辉斌", "汪兰桃", "邹亮磊", "欧阳娜娜", "张馨雪", "肖娟", "杨颖", "王美"]
GOODS = ["大米两袋", "食用油一桶", "棉被一床", "牛奶两箱", "羽绒服一件", "书包文具一套"]


def up_to(parts: list[str], limit: int, sep: str = "、") -> str:
    """The parts joined and repeated up to `limit` characters, ending on a whole part."""
    out = parts[0]
    i = 1
    while len(out + sep + parts[i % len(parts)]) <= limit:
        out += sep + parts[i % len(parts)]
        i += 1
    return out


def names_in(text: str) -> list[str]:
    return [n for n in re.split(r"[、，,（）()：；\s]+", text) if n]


# --- the checks themselves -------------------------------------------------------------------------------


def test_the_checks_find_words_on_words_under_a_seal_crossed_by_a_line_and_a_name_broken(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    fonts.register_fonts()
    out = BytesIO()
    canv = Canvas(out)
    canv.setFont(fonts.SONG, 10.5)
    canv.drawString(100, 700, "记录人（签名）")
    canv.drawString(104, 702, "压字")  # on top of the words above
    canv.drawString(100, 600, "划线穿过")
    canv.line(90, 603, 200, 603)  # a line through them
    canv.drawString(100, 500, "盖章处")
    canv.setDash(2, 2)
    canv.circle(110, 500, 48)  # the seal's guide over them
    canv.drawString(100, 400, "贺辉斌、汪兰")
    canv.drawString(100, 385, "桃")
    canv.showPage()
    canv.save()
    pages = read(out.getvalue())
    problems = layout_problems(pages)
    assert any("on each other" in p for p in problems)
    assert any("seal's circle lies over “盖章处”" in p for p in problems)
    assert any("line drawn through “划线穿过”" in p for p in problems)
    assert split_values(pages, ["贺辉斌", "汪兰桃"]) == ["汪兰桃"]


def test_a_line_breaks_between_names_and_keeps_amounts_dates_and_numbers_whole() -> None:
    def lines(text: str, width_chars: float, **kw: object) -> list[str]:
        block = CJKText(text, 10.0, **kw)  # type: ignore[arg-type]
        block.wrap(width_chars * 10.0, 1000)
        return [ln.text for ln in block._break(width_chars * 10.0)]

    assert lines("贺辉斌、汪兰桃、邹亮磊", 6.5, names=True) == ["贺辉斌、", "汪兰桃、", "邹亮磊"]
    assert lines("贺辉斌、汪兰桃、邹亮磊", 6.5) == ["贺辉斌、汪兰", "桃、邹亮磊"]  # ordinary text: any two characters
    assert lines("牛奶两箱（¥120.00）", 7.5) == ["牛奶两箱", "（¥120.00）"]
    assert lines("承诺：协助办理（2024年12月15日前）", 12) == ["承诺：协助办理", "（2024年12月15日前）"]
    assert lines("住址：东山镇石桥村三组18号", 12.5) == ["住址：东山镇石桥村三组", "18号"]
    assert lines("合计：壹万贰仟叁佰肆拾伍元整", 12) == ["合计：", "壹万贰仟叁佰肆拾伍元整"]
    # a name longer than the line is still cut, rather than run out of its cell
    assert lines("阿依古丽·买买提", 4, names=True) == ["阿依古", "丽·买买", "提"]


# --- the household forms ----------------------------------------------------------------------------------


def household_at_its_longest(ctx: Context) -> tuple[int, list[str]]:
    """A household with every list as long as the fields allow; the values that must print whole."""
    poor = next(c for c in households.care_lists(ctx) if c.name == "帮扶户")
    head_id = make_id_number("430999", dt.date(1968, 12, 16), 12, female=True)
    members = [Member(Person(name=n, sex="女" if i % 2 else "男", birth_date=dt.date(1990 + i, 11, 28)),
                      relation=r, health="健康", work_ability="普通劳动力", schooling="",
                      disability_card=f"43099919680201001{i}42" if i == 1 else "")
               for i, (n, r) in enumerate([("欧阳建华", "配偶"), ("邹亮磊", "之子"), ("汪兰桃", "儿媳"),
                                          ("欧阳娜娜", "之孙女"), ("司马志远", "之孙子")])]
    case_id, _ = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=dt.date(2024, 10, 12),
        head=Member(Person(name="诸葛秀英", sex="女", id_number=head_id, phone="13812345678"), relation="",
                    health="慢性病", work_ability="弱劳动力"),
        members=members, township="东山镇", village="石桥村", address="三组118号", household_type="低保户",
        causes=["因病", "缺劳力"], rhythm=Rhythm.monthly(dt.date(2024, 10, 12)),
        cadre=Cadre(name="上官红梅", unit="县妇联权益部", level="科员", phone="13987654321",
                    from_date=dt.date(2024, 10, 12)),
    ))
    households.add_measure(ctx, case_id, Measure(
        kind="雨露计划", detail="职业技能培训补助", helping_unit="县人力资源和社会保障局", on_date=dt.date(2024, 12, 28),
        amount_fen=9_999_999, benefit="已发放到户"))
    whole = ["诸葛秀英", "上官红梅", "13812345678", "13987654321", head_id, format_yuan(9_999_999),
             format_cn(dt.date(2024, 12, 28)), "43099919680201001142", *(m.person.name for m in members)]
    for month, day in ((11, 28), (12, 29), (12, 31)):
        visitors = up_to(VISITORS[month % 3:] + VISITORS[:month % 3], 100 if day == 31 else 7)
        goods = up_to(GOODS, 200 if day == 31 else 4)
        cash = 9_999_999 if day == 31 else 8_000
        households.log_visit(ctx, case_id, Visit(
            visited_on=dt.date(2024, month, day), visitors=visitors, kind="solace", cash_fen=cash, goods=goods,
            goods_fen=1_234_567, seen="家中整洁，诸葛秀英腿伤未愈，需定期复查。", asked="希望孩子上学有补助。",
            promised="协助办理医疗救助手续", promise_due=dt.date(2024, 12, 31)))
        whole += [*names_in(visitors), *names_in(goods), format_yuan(cash), format_yuan(1_234_567),
                  format_cn(dt.date(2024, month, day))]
    return case_id, whole


def test_household_forms_keep_names_amounts_and_dates_whole_and_nothing_overlaps(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = dt.datetime(2025, 1, 6, 9, 0)
    case_id, whole = household_at_its_longest(ctx)
    card, _ = printing.print_case(ctx, case_id)
    pages = read(card)
    assert not layout_problems(pages)
    assert not split_values(pages, whole), "broken across lines in the 帮扶手册"
    h = households.get(ctx, case_id)
    for v in h.visits:
        sheet, _ = household_printing.print_visit(ctx, v.id or 0)
        pages = read(sheet)
        assert not layout_problems(pages)
        assert not split_values(pages, [*names_in(v.visitors), format_yuan(v.cash_fen), "诸葛秀英", "上官红梅"])
    month, _ = household_printing.print_month(ctx, 2025, 1)
    pages = read(month)
    assert not layout_problems(pages)
    assert not split_values(pages, ["诸葛秀英", "上官红梅"])


# --- the mediation documents ------------------------------------------------------------------------------


def mediation_at_its_longest(ctx: Context) -> tuple[int, dict[str, list[str]]]:
    """A mediation with long names, lists and amounts, closed with an agreement; per document, the values
    that must print whole."""
    mediator_ids = [mediations.save_mediator(ctx, Mediator(n, "13900139001", "专职调解员"))
                    for n in ("欧阳秀英", "司马建国", "上官丽华")]
    applicant = Person(name="欧阳丹丹", sex="女", phone="15953726304",
                       id_number=make_id_number("430999", dt.date(1988, 12, 26), 12, female=True),
                       address=up_to(["西河乡西河村八组六十号", "东山镇石桥村三组一百一十八号"], ADDRESS_MOST, "，"))
    respondent = Person(name="诸葛杰刚", sex="男", phone="18731958073", address="西河乡西河村八组60号")
    case_id, _ = mediations.open_mediation(ctx, Mediation(
        received_on=dt.date(2025, 11, 28), source="当事人申请", dispute_type="婚姻", relationship="夫妻",
        township="西河乡", village="西河村", facts="双方结婚十七年，育有一子一女。" * 8, request="请求调解。",
        registrar="上官红梅", parties=[Party(applicant, "applicant", "超市收银员"),
                                        Party(respondent, "respondent", "务农")],
        mediator_ids=mediator_ids))
    mediations.add_session(ctx, case_id, Session(
        held_on=dt.date(2025, 12, 12), place="县妇联调解室", mediators="欧阳秀英、司马建国、上官丽华",
        recorder="上官红梅", present="欧阳丹丹、诸葛杰刚", others=up_to(["村妇联主席", "欧阳丹丹的母亲"], 200),
        applicant_said="他沉迷打牌赌博，家里的事全靠我一个人。" * 6, respondent_said="她脾气不好。" * 8,
        facts_found="双方感情基础尚好，矛盾主要因赌博引起。" * 4, result="达成一致",
        result_detail="诸葛杰刚每月将收入的一半交给欧阳丹丹用于家庭开支。" * 3))
    items = [AgreementItem(f"诸葛杰刚每月向欧阳丹丹支付家庭开支¥{n},500.00，于每月5日前转入其银行账户", "银行转账",
                           f"2026年{n}月31日前", "西河村委会") for n in (1, 10, 12)]
    mediations.close(ctx, case_id, Closing(outcome="agreed", on=dt.date(2025, 12, 31), agreement=Agreement(
        facts="双方因家庭开支和赌博问题争吵，欧阳丹丹提出离婚。", duties="双方均有履行协议、维护家庭和睦的责任。",
        items=items)))
    whole = {
        "registration": ["欧阳丹丹", "诸葛杰刚", "欧阳秀英", "司马建国", "上官丽华", "上官红梅", "15953726304",
                         "18731958073", "2025年11月28日"],
        "notice": ["欧阳丹丹", "诸葛杰刚", "2025年11月28日"],
        "session": ["欧阳丹丹", "诸葛杰刚", "欧阳秀英", "司马建国", "上官丽华", "上官红梅", "2025年12月12日"],
        "agreement": ["欧阳丹丹", "诸葛杰刚", "欧阳秀英", "司马建国", "上官丽华", "15953726304", "18731958073",
                      "¥1,500.00", "¥10,500.00", "¥12,500.00", "2026年12月31日", "2025年12月31日"],
        "visit": ["欧阳丹丹", "诸葛杰刚"],
    }
    return case_id, whole


@pytest.mark.parametrize("document", ["registration", "notice", "session", "agreement", "visit", None])
def test_mediation_documents_keep_the_seal_clear_and_names_whole(ctx: Context, clock, document: str | None) -> None:  # type: ignore[no-untyped-def]
    clock.now = dt.datetime(2026, 1, 6, 9, 0)
    case_id, whole = mediation_at_its_longest(ctx)
    if document is None:  # the whole file
        pdf, _ = printing.print_case(ctx, case_id)
    else:
        pdf, _ = printing.print_document(ctx, case_id, document)
    pages = read(pdf)
    if document in ("registration", "notice", "session", "agreement"):
        assert any(p.circles for p in pages), "the seal's guide is drawn"
    assert not layout_problems(pages)
    expected = whole[document] if document else [v for values in whole.values() for v in values]
    assert not split_values(pages, expected)
