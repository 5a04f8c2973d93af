"""The household forms: 帮扶手册 (the household card), 走访慰问记录表 and 月度走访计划表 — text read back
from the PDF, pages rendered, amounts in capital numerals, long visit histories flowing on with the
table's header repeated.

Every person here is made up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fulian_desktop.domain.errors import FulianError
from fulian_desktop.domain.household import Cadre, Finding, Household, Measure, Member, Visit
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.services import household_printing, households, printing
from fulian_desktop.services.context import Context, open_context

from .pdf_layout import flat, page_texts

HEAD_ID = make_id_number("430999", dt.date(1970, 5, 6), 12, female=True)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2025, 1, 6, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def doc_ctx(tmp_path: Path, clock: Clock) -> Iterator[Context]:
    c = open_context(tmp_path / "households.db", clock=clock, staff="刘芳")
    yield c
    c.close()


def dark_share(pdf: bytes, index: int = 0) -> float:
    """The share of dark pixels on a rendered page: text and ruled lines, not an empty page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        bitmap = page.render(scale=1, grayscale=True)
        pixels = bytes(bitmap.buffer)
        share = sum(1 for b in pixels if b < 100) / (bitmap.width * bitmap.height)
        bitmap.close()
        page.close()
        return share
    finally:
        doc.close()


def register(ctx: Context) -> int:
    poor = next(c for c in households.care_lists(ctx) if c.name == "帮扶户")
    case_id, _ = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=ctx.today(),
        head=Member(Person(name="王秀英", sex="女", id_number=HEAD_ID, phone="13800138000"), relation="",
                    health="慢性病", work_ability="弱劳动力"),
        members=[Member(Person(name="李大山", sex="男"), relation="配偶", health="残疾", work_ability="丧失劳动力",
                        disability_card="43099919680201003142"),
                 Member(Person(name="李小花", sex="女", birth_date=dt.date(2012, 3, 1)), relation="之女",
                        schooling="初中")],
        township="东山镇", village="石桥村", address="三组18号", household_type="低保户", causes=["因病", "缺劳力"],
        extra={"f1": "2.5", "f3": "C级"}, rhythm=Rhythm.monthly(ctx.today()),
        cadre=Cadre(name="赵红梅", unit="县妇联权益部", level="科员", phone="13900139000", from_date=ctx.today()),
    ))
    return case_id


def test_household_card_prints_family_cadres_measures_visits_and_totals(doc_ctx: Context, clock: Clock) -> None:
    case_id = register(doc_ctx)
    households.add_measure(doc_ctx, case_id, Measure(kind="雨露计划", detail="职业技能培训补助", helping_unit="县人社局",
                                                     on_date=doc_ctx.today(), amount_fen=150000, benefit="已发放"))
    # two years of monthly visits: the visit table runs over pages, its header repeated
    for month in range(24):
        clock.now = dt.datetime(2025, 1, 6, 9, 0) + dt.timedelta(days=30 * month + 1)
        solace = month % 6 == 0
        households.log_visit(doc_ctx, case_id, Visit(
            visited_on=doc_ctx.today(), visitors="刘芳、赵红梅", kind="solace" if solace else "visit",
            cash_fen=50000 if solace else 0, goods="大米一袋、食用油一桶" if solace else "",
            goods_fen=12350 if solace else 0, seen=f"第{month + 1}次走访：家中整洁，李大山腿伤未愈，需定期复查。",
            asked="希望孩子上学有补助" if month == 0 else ""))
    households.change_cadre(doc_ctx, case_id, Cadre(name="孙立平", unit="县妇联办公室", level="科级",
                                                    from_date=doc_ctx.today()))
    pdf, name = printing.print_case(doc_ctx, case_id)  # a household case prints its card
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf
    assert name == "帮扶手册_王秀英_2025-01-06.pdf"
    pages = page_texts(pdf)
    assert len(pages) >= 3
    everything = flat("".join(pages))
    for expected in (
        "帮扶手册", "帮扶〔2025〕第0001号", "王秀英", HEAD_ID, "13800138000", "东山镇石桥村三组18号", "3人",
        "低保户", "√因病", "√缺劳力", "□因残", "□缺资金", "耕地面积（亩）", "2.5", "C级",
        "李大山", "配偶", "残疾", "丧失劳动力", "43099919680201003142", "李小花", "之女", "初中",
        "赵红梅", "县妇联权益部", "孙立平", "县妇联办公室", "2025年1月6日至", "至今",
        "雨露计划", "职业技能培训补助", "县人社局", "¥1,500.00",
        "第1次走访", "第24次走访", "希望孩子上学有补助",
        "走访次数", "24次（其中慰问4次）",
        "¥2,000.00（大写：贰仟元整）", "¥494.00（大写：肆佰玖拾肆元整）", "¥1,500.00（大写：壹仟伍佰元整）",
        "¥3,994.00（大写：叁仟玖佰玖拾肆元整）",
        "户主（签字或捺印）", "帮扶责任人（签字）",
    ):
        assert expected in everything, expected
    # the visit table goes on on the next page under its own header
    continued = [p for p in pages[1:] if "走访记录" in flat(p)]
    assert continued and all("走访日期" in flat(p) and "走访情况、诉求及跟进" in flat(p) for p in continued)
    assert all("帮扶手册" in flat(p) and "帮扶〔2025〕第0001号" in p for p in pages)
    assert "户主（签字或捺印）" in flat(pages[-1]) and "合计" in flat(pages[-1])
    assert dark_share(pdf) > 0.01


def test_visit_record_prints_amounts_in_figures_and_capitals(doc_ctx: Context) -> None:
    case_id = register(doc_ctx)
    result = households.log_visit(doc_ctx, case_id, Visit(
        visited_on=doc_ctx.today(), visitors="刘芳、赵红梅", kind="solace", cash_fen=50050, goods="大米一袋",
        goods_fen=8000, seen="王秀英手臂有淤青，称丈夫酒后打人。", asked="希望妇联出面",
        promised="联系派出所出具告诫书", promise_due=dt.date(2025, 1, 20),
        finding=Finding(kind="dv", route="petition", person_index=0, facts="", request="请求制止家暴")))
    pdf, name = household_printing.print_visit(doc_ctx, result.visit_id)
    assert name == "走访慰问记录表_王秀英_2025-01-06.pdf"
    text = flat("".join(page_texts(pdf)))
    for expected in (
        "走访慰问记录表", "帮扶〔2025〕第0001号", "王秀英", "帮扶户", "3人", "2025年1月6日", "刘芳、赵红梅",
        "√慰问", "□走访", "¥500.50（大写：伍佰元伍角）", "大米一袋", "¥80.00", "¥580.50（大写：伍佰捌拾元伍角）",
        "王秀英手臂有淤青", "希望妇联出面", "联系派出所出具告诫书", "办理期限：2025年1月20日前",
        "√是", "已登记：信访〔2025〕第0001号", "走访人（签字）", "被走访户（签字或捺印）",
    ):
        assert expected in text, expected
    assert dark_share(pdf) > 0.01


def test_monthly_sheet_lists_planned_visits_for_sign_off(doc_ctx: Context, clock: Clock) -> None:
    case_id = register(doc_ctx)
    clock.now = dt.datetime(2025, 3, 3, 9, 0)
    households.log_visit(doc_ctx, case_id, Visit(visited_on=doc_ctx.today(), visitors="刘芳", kind="visit",
                                                 seen="家中整洁"))
    pdf, name = household_printing.print_month(doc_ctx, 2025, 3)
    assert name == "月度走访计划表_2025年3月.pdf"
    text = flat("".join(page_texts(pdf)))
    for expected in ("月度走访计划表", "月份：2025年3月", "共2户次", "东山镇", "石桥村", "王秀英", "帮扶户", "赵红梅",
                     "1月6日（逾期）", "3月6日", "3月3日", "走访人签字", "制表人（签字）"):
        assert expected in text, expected
    with pytest.raises(FulianError):  # the sheet is not a document of one case
        printing.print_document(doc_ctx, case_id, "month")
    empty, _ = household_printing.print_month(doc_ctx, 2024, 12)
    assert "本月没有计划走访的对象" in flat("".join(page_texts(empty)))
    assert dark_share(pdf) > 0.005


def test_a_character_the_font_lacks_is_named_before_printing(doc_ctx: Context) -> None:
    case_id = register(doc_ctx)
    households.add_note(doc_ctx, case_id, "备注")
    households.add_measure(doc_ctx, case_id, Measure(kind="产业", detail="养殖\U0001F410两只", on_date=doc_ctx.today()))
    with pytest.raises(FulianError) as e:
        household_printing.print_card(doc_ctx, case_id)
    assert "U+1F410" in e.value.message
