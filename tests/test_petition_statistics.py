"""The petition course in the statistics, counted by hand: the three kinds of petition, 按期告知率 (told on the spot
or within 15 days), and her satisfaction — 参评率 (rated among those concluded) and 满意率 (满意 and 基本满意 among
those rated) — one definition, read the same on the statistics page, in the exported spreadsheet, on the printed PDF
and in the drafted paragraph. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.reports import statistics
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .test_statistics_agree import from_page, from_pdf, from_sheet

D = dt.date


def _petition(ctx: Context, received: dt.date, nature: str = "申诉求决") -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=received, petitioner=Person(name="统计", sex="女"), concerned=None, headcount=1,
        township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷", facts="测试用的情况。",
        request="调解。", dv=False, safety_risk=False, receiving_staff="周敏", nature=nature))[0]


def _concluded(ctx: Context, received: dt.date, accepted: dt.date, concluded: dt.date, nature: str = "申诉求决",
               rating: str = "", note: str = "") -> int:
    case_id = _petition(ctx, received, nature)
    petitions.accept(ctx, case_id, accepted)
    petitions.set_handling(ctx, case_id, "当场答复")
    result = "采纳" if nature == "建议意见" else "支持"
    petitions.conclude(ctx, case_id, "", result, concluded, rating=rating, rating_note=note)
    return case_id


@pytest.fixture
def counted_half_year(ctx: Context) -> Context:
    """2025年下半年, by hand (the year before holds nothing):
    A 申诉求决 told on the spot, 满意 at conclusion;  B told on day 10, 基本满意 on a return call;
    C told on day 29 (late), 不满意;  D 未评价 said at conclusion;  E never asked;  F refused on day 2;
    G 建议意见 told next day, answered, 满意;  H 建议意见 not yet told;  I 检举控告 forwarded on day 28 (late)."""
    _concluded(ctx, D(2025, 7, 1), D(2025, 7, 1), D(2025, 8, 1), rating="满意")
    b = _concluded(ctx, D(2025, 7, 10), D(2025, 7, 20), D(2025, 8, 20))
    petitions.rate(ctx, b, "基本满意", "", D(2025, 9, 1), "回访")
    _concluded(ctx, D(2025, 8, 1), D(2025, 8, 30), D(2025, 9, 10), rating="不满意", note="嫌办得太慢")
    _concluded(ctx, D(2025, 9, 1), D(2025, 9, 2), D(2025, 9, 30), rating="未评价")
    _concluded(ctx, D(2025, 10, 1), D(2025, 10, 1), D(2025, 10, 15))
    petitions.refuse(ctx, _petition(ctx, D(2025, 11, 1)), "不属于受理范围", D(2025, 11, 3))
    _concluded(ctx, D(2025, 11, 5), D(2025, 11, 6), D(2025, 11, 20), nature="建议意见", rating="满意")
    _petition(ctx, D(2025, 12, 1), "建议意见")
    petitions.forward(ctx, _petition(ctx, D(2025, 12, 2), "检举控告"), "县纪委监委", D(2025, 12, 30))
    return ctx


def test_the_definitions_counted_by_hand(counted_half_year: Context) -> None:
    s = statistics.compute(counted_half_year.db, statistics.make_period("half", 2025, 2)).petitions
    assert s.total == 9
    assert s.by_nature == [("建议意见", 2), ("检举控告", 1), ("申诉求决", 6)]
    assert (s.told, s.told_in_time) == (8, 6) and s.told_in_time_rate == 0.75
    assert (s.concluded, s.rated, s.satisfied) == (6, 4, 3)
    assert s.by_rating == [("满意", 2), ("基本满意", 1), ("不满意", 1), ("未评价", 2)]
    assert s.rating_rate == pytest.approx(4 / 6) and s.satisfaction_rate == 0.75


def test_the_page_the_spreadsheet_the_pdf_and_the_paragraph_say_the_same(  # type: ignore[no-untyped-def]
        qtbot, counted_half_year: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    page = StatisticsPage(counted_half_year)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)  # 2026年上半年 on opening: a year back, then the second half
    qtbot.keyClick(page.picker.number, Qt.Key.Key_Down)
    assert page.comparison is not None and page.comparison.current.period.label == "2025年下半年"

    text = page.summary.toPlainText()
    assert "其中建议意见类2件、检举控告类1件" in text
    assert "按期告知率75.0%" in text
    assert "已办结6件，按期办结率100.0%，参评4件，参评率66.7%，满意率75.0%" in text

    expected = {
        ("信访：按事项类型", "建议意见类"): ["2", "22.2%", "0"], ("信访：按事项类型", "检举控告类"): ["1", "11.1%", "0"],
        ("信访：按事项类型", "申诉求决类"): ["6", "66.7%", "0"],
        ("信访：办结时间", "已书面告知是否受理（件）"): ["8", "0"], ("信访：办结时间", "按期告知（件）"): ["6", "0"],
        ("信访：办结时间", "按期告知率"): ["75.0%", "—"],
        ("信访：满意度（已办结）", "满意（件）"): ["2", "0"], ("信访：满意度（已办结）", "基本满意（件）"): ["1", "0"],
        ("信访：满意度（已办结）", "不满意（件）"): ["1", "0"], ("信访：满意度（已办结）", "未评价（件）"): ["2", "0"],
        ("信访：满意度（已办结）", "参评（件）"): ["4", "0"], ("信访：满意度（已办结）", "参评率"): ["66.7%", "—"],
        ("信访：满意度（已办结）", "满意率"): ["75.0%", "—"],
    }
    target = agree_everywhere(qtbot, page, tmp_path, monkeypatch, expected)
    assert said == [f"统计表已保存：{target}"]


# --- 复查 and 复核 (arts. 35–36), and the rates chart -------------------------------------------------------


@pytest.fixture
def reviewed(ctx: Context) -> Context:
    """By hand. 2025年下半年: A 复查 asked 7月25日, answered 8月20日 (26 days: in time) 维持, then 复核 asked 8月25日,
    answered 10月10日 (46 days: late) 变更; B 复查 asked 9月1日, answered 10月15日 (44 days: late) 撤销; C 复查 asked
    11月1日, not answered. 2024年下半年: D 复查 asked 8月1日, answered 8月31日 (the 30th day: in time) 维持."""
    a = _concluded(ctx, D(2025, 6, 2), D(2025, 6, 3), D(2025, 7, 20))
    petitions.request_review(ctx, a, "review", D(2025, 7, 25), D(2025, 7, 21), "本会", "不服处理意见。")
    petitions.answer_review(ctx, a, D(2025, 8, 20), "维持", "维持原处理意见。")
    petitions.request_review(ctx, a, "re_review", D(2025, 8, 25), D(2025, 8, 21), "本会", "不服复查意见。")
    petitions.answer_review(ctx, a, D(2025, 10, 10), "变更", "变更为支持部分请求。")
    b = _concluded(ctx, D(2025, 7, 1), D(2025, 7, 1), D(2025, 8, 20))
    petitions.request_review(ctx, b, "review", D(2025, 9, 1), D(2025, 8, 25), "本会", "不服处理意见。")
    petitions.answer_review(ctx, b, D(2025, 10, 15), "撤销", "撤销原处理意见，重新办理。")
    c = _concluded(ctx, D(2025, 9, 1), D(2025, 9, 1), D(2025, 10, 20))
    petitions.request_review(ctx, c, "review", D(2025, 11, 1), D(2025, 10, 21), "本会", "不服处理意见。")
    d = _concluded(ctx, D(2024, 6, 3), D(2024, 6, 3), D(2024, 7, 10))
    petitions.request_review(ctx, d, "review", D(2024, 8, 1), D(2024, 7, 12), "本会", "不服处理意见。")
    petitions.answer_review(ctx, d, D(2024, 8, 31), "维持", "维持原处理意见。")
    return ctx


def test_reviews_counted_by_hand_on_the_page_the_spreadsheet_the_pdf_and_the_paragraph(  # type: ignore[no-untyped-def]
        qtbot, reviewed: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    s = statistics.compute(reviewed.db, statistics.make_period("half", 2025, 2)).petitions
    r, rr = s.reviews["review"], s.reviews["re_review"]
    assert (r.requested, r.answered, r.answered_in_time, r.by_result) == (3, 2, 1, {"维持": 1, "撤销": 1})
    assert (rr.requested, rr.answered, rr.answered_in_time, rr.by_result) == (1, 1, 0, {"变更": 1})

    page = StatisticsPage(reviewed)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)
    qtbot.keyClick(page.picker.number, Qt.Key.Key_Down)
    assert page.comparison is not None and page.comparison.current.period.label == "2025年下半年"
    text = page.summary.toPlainText()
    assert "信访人请求复查3件，已答复2件（维持1件、撤销1件），复查按期答复率50.0%（去年同期100.0%）" in text
    assert "信访人请求复核1件，已答复1件（变更1件），复核按期答复率0.0%" in text

    t = "信访：复查与复核"
    expected = {
        (t, "请求复查（件）"): ["3", "1"], (t, "已复查答复（件）"): ["2", "1"], (t, "复查按期答复（件）"): ["1", "1"],
        (t, "复查按期答复率"): ["50.0%", "100.0%"], (t, "复查结果：维持（件）"): ["1", "1"],
        (t, "复查结果：撤销（件）"): ["1", "0"], (t, "请求复核（件）"): ["1", "0"], (t, "复核按期答复率"): ["0.0%", "—"],
        (t, "复核结果：变更（件）"): ["1", "0"],
    }
    agree_everywhere(qtbot, page, tmp_path, monkeypatch, expected)

    # the rates chart: each rate as the tables define it, this period and the year before, as drawn
    chart = page.rates_view.chart()
    bars = chart.series()[0].barSets()
    drawn = {b.label(): [round(b.at(i), 1) for i in range(b.count())] for b in bars}
    labels = page.charts["rates"].labels
    # the year before received no petition (D came in June 2024): only its 复查 has a rate. This half year: B and C,
    # told on the day, concluded in 50 and 49 days, no repeat, none rated (参评率 0 of 2, 满意率 of none: left out)
    assert labels == ["按期告知率（去年同期无）", "按期办结率（去年同期无）", "重复信访率（去年同期无）",
                      "参评率（去年同期无）", "复查按期答复率", "复核按期答复率（去年同期无）"]
    # Qt draws the first label at the bottom: the sets hold the labels bottom to top
    assert drawn["本期"][::-1] == [100.0, 100.0, 0.0, 0.0, 50.0, 0.0]
    assert drawn["去年同期"][::-1] == [0.0, 0.0, 0.0, 0.0, 100.0, 0.0]


def agree_everywhere(qtbot: Any, page: StatisticsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     expected: dict[tuple[str, str], list[str]]) -> Path:
    """Each (table, row)'s first values as expected on the page, in the spreadsheet 导出 writes and in the PDF 打印
    shows; the spreadsheet's path."""
    titles = [t.title for t in page.tables]
    shown = from_page(page)
    target = tmp_path / "统计.xlsx"
    monkeypatch.setattr(dialogs, "save_path", lambda *a, **k: str(target))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    cells = from_sheet(load_workbook(target).worksheets[0], titles)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    preview = page.last_pdf
    assert preview is not None
    printed = from_pdf(preview.pdf, titles, {label for _, label in expected})  # type: ignore[attr-defined]
    preview.close()  # type: ignore[attr-defined]
    for place, values in expected.items():
        assert shown[place][:len(values)] == values, ("page", place, shown[place])
        assert [str(v) for v in cells[place][:len(values)]] == values, ("xlsx", place, cells[place])
        assert printed[place][:len(values)] == values, ("pdf", place, printed[place])
    return target
