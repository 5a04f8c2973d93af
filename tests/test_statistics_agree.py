"""One figure, one definition: every figure of a generated half-year read where the user reads it — the
drafted summary paragraph, the tables and the charts of the statistics page, the exported spreadsheet and
the printed PDF — and checked against counts made here from the raw rows, as the county's own summary
counts them (来信 件, 来电 件, 来访 批 and 人次, 集体访 = a visit of five or more people).

The half-year holds petitions that tell the definitions apart: a letter signed by six women (联名信, not a
group visit, nobody came), a call from two sisters, a visit of twelve and a visit of two."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChartView
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QScrollArea

from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .report_data import fill

FIRST, LAST = dt.date(2025, 7, 1), dt.date(2025, 12, 31)  # 2025年下半年; the tests' today is 2026-03-10
SPECIAL = (("来信", 6), ("来电", 2), ("来访", 12), ("来访", 2))


@pytest.fixture
def half_year(ctx: Context) -> Context:
    fill(ctx, petitions=1500)
    for i, (channel, headcount) in enumerate(SPECIAL):
        petitions.register(ctx, Petition(
            channel=channel, received_on=dt.date(2025, 9, 15 + i), petitioner=Person(name=f"统计{i}", sex="女"),
            concerned=None, headcount=headcount, township="东山镇", village="", category="婚姻家庭",
            subcategory="家庭纠纷", facts="测试用的情况。", request="调解。", dv=False, safety_risk=False,
            receiving_staff="周敏"))
    return ctx


def counted(ctx: Context) -> dict[str, int]:
    """The figures, counted here in Python from the rows themselves."""
    def rows(sql: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in ctx.db.execute(sql).fetchall()]

    span = (FIRST.isoformat(), LAST.isoformat())
    mine = [r for r in rows("SELECT c.received_on, t.channel, t.headcount, t.dv FROM cases c "
                            "JOIN petitions t ON t.case_id = c.id") if span[0] <= str(r[0]) <= span[1]]
    visits = [int(str(r[2])) for r in mine if r[1] == "来访"]
    kinds = [str(r[1]) for r in rows("SELECT received_on, kind FROM cases") if span[0] <= str(r[0]) <= span[1]]
    visited = [r for r in rows("SELECT visited_on FROM visits") if span[0] <= str(r[0]) <= span[1]]
    return {
        "件次": len(mine),
        **{ch: sum(1 for r in mine if r[1] == ch) for ch in ("来信", "来电", "网上", "12338热线")},
        "来访批": len(visits), "来访人次": sum(visits),
        "集体访批": sum(1 for n in visits if n >= 5), "集体访人次": sum(n for n in visits if n >= 5),
        "家暴": sum(1 for r in mine if r[3]),
        "转介": kinds.count("referral"), "调解": kinds.count("mediation"), "走访": len(visited),
    }


# where each figure stands: the summary paragraph, and (table title, row label) in the tables
PARAGRAPH = {
    "件次": r"共接待来信来电来访(\d+)件\(次\)", "来信": r"其中来信(\d+)件", "来电": r"来电(\d+)件",
    "来访批": r"来访(\d+)批", "来访人次": r"来访\d+批(\d+)人次", "集体访批": r"集体访(\d+)批",
    "集体访人次": r"集体访\d+批(\d+)人次", "网上": r"网上信访(\d+)件", "12338热线": r"12338热线(\d+)件",
    "家暴": r"涉及家庭暴力的(\d+)件", "转介": r"提供法律援助(\d+)件\(次\)", "调解": r"共调解婚姻家庭纠纷(\d+)起",
    "走访": r"走访慰问帮扶户(\d+)户次",
}
ROWS = {
    "件次": [("总体情况", "接待来信来电来访（件次）"), ("信访：按信访方式", "合计（件次）"),
           ("信访：按问题类别", "合计")],
    "来信": [("信访：按信访方式", "来信（件）")], "来电": [("信访：按信访方式", "来电（件）")],
    "网上": [("信访：按信访方式", "网上（件）")], "12338热线": [("信访：按信访方式", "12338热线（件）")],
    "来访批": [("总体情况", "来访（批）"), ("信访：按信访方式", "来访（批）")],
    "来访人次": [("总体情况", "来访（人次）"), ("信访：按信访方式", "来访（人次）")],
    "集体访批": [("总体情况", "集体访（批）"), ("信访：按信访方式", "集体访（批）")],
    "集体访人次": [("总体情况", "集体访（人次）"), ("信访：按信访方式", "集体访（人次）")],
    "家暴": [("总体情况", "涉及家庭暴力（件）")],
    "转介": [("总体情况", "提供法律援助转介（件次）"), ("法律援助转介：按事项", "合计")],
    "调解": [("总体情况", "受理调解（起）"), ("婚姻家庭纠纷调解", "受理调解（起）")],
    "走访": [("总体情况", "走访慰问（户次）"), ("帮扶户走访慰问", "走访慰问（户次）")],
}


def from_paragraph(text: str) -> dict[str, int]:
    out = {}
    for name, pattern in PARAGRAPH.items():
        m = re.search(pattern, text)
        if m:
            out[name] = int(m[1])
    return out


def from_page(page: StatisticsPage) -> dict[tuple[str, str], list[str]]:
    """Every row of every table as the page shows it: (title, first cell) -> the other cells."""
    out = {}
    for t in page.tables:
        w = page.table_widget(t.key)
        assert w is not None
        for r in range(w.rowCount()):
            cells = [w.item(r, c).text() for c in range(w.columnCount())]
            out[(t.title, cells[0])] = cells[1:]
    return out


def _as_shown(cell: object) -> object:
    """A number as the spreadsheet shows it under its format (84.2%, ¥1,200.00); other values as they are."""
    value, fmt = cell.value, cell.number_format  # type: ignore[attr-defined]
    if isinstance(value, (int, float)) and fmt.endswith("%"):
        return f"{value * 100:.1f}%"
    if isinstance(value, (int, float)) and "¥" in fmt:
        return f"¥{value:,.2f}"
    return value


def from_sheet(ws: Worksheet, titles: list[str]) -> dict[tuple[str, str], list[object]]:
    """The tables of the exported sheet, one under another: a title, a header row, rows to the next gap."""
    out: dict[tuple[str, str], list[object]] = {}
    title = ""
    row = 1
    while row <= ws.max_row:
        first = ws.cell(row, 1).value
        if first in titles:
            title, row = str(first), row + 2  # past the header row
            continue
        if title and first not in (None, "") and not str(first).startswith("注："):
            out[(title, str(first))] = [_as_shown(ws.cell(row, c)) for c in range(2, ws.max_column + 1)]
        elif first in (None, ""):
            title = ""
        row += 1
    return out


def from_pdf(pdf: bytes, titles: list[str], labels: set[str]) -> dict[tuple[str, str], list[str]]:
    """The rows of the printed tables: a title line, then lines "label figure figure change"."""
    doc = pdfium.PdfDocument(pdf)
    lines = [x.strip() for i in range(len(doc)) for x in doc[i].get_textpage().get_text_range().splitlines()]
    doc.close()
    out: dict[tuple[str, str], list[str]] = {}
    title = ""
    for line in lines:
        if line in titles:
            title = line
            continue
        label, _, rest = line.partition(" ")
        if title and label in labels:
            out.setdefault((title, label), rest.split())
    return out


def _chart_values(view: QChartView) -> dict[str, dict[str, int]]:
    """series name -> category -> value, read from the chart drawn."""
    chart = view.chart()
    series = chart.series()[0]
    assert isinstance(series, QAbstractBarSeries)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    names = [axis.at(i) for i in range(axis.count())]
    return {s.label(): {names[i]: int(s.at(i)) for i in range(s.count())} for s in series.barSets()}


def test_every_figure_reads_the_same_in_the_paragraph_tables_charts_spreadsheet_and_pdf(
    qtbot, half_year: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]  # type: ignore[no-untyped-def]
) -> None:
    truth = counted(half_year)
    # the half-year tells the definitions apart: people came on visits, and others wrote or called together
    assert truth["来访人次"] > truth["来访批"] and truth["集体访批"] >= 1
    assert truth["来访人次"] + 6 + 2 <= sum(int(r[0]) for r in half_year.db.execute(
        "SELECT t.headcount FROM cases c JOIN petitions t ON t.case_id = c.id WHERE c.received_on BETWEEN ? AND ?",
        [FIRST.isoformat(), LAST.isoformat()]))
    assert truth["件次"] == sum(truth[ch] for ch in ("来信", "来电", "网上", "12338热线")) + truth["来访批"]

    page = StatisticsPage(half_year)
    qtbot.addWidget(page)
    page.show()
    # 2026年上半年 on opening; one year back, then the second half
    qtbot.keyClick(page.picker.year, Qt.Key.Key_Down)
    qtbot.keyClick(page.picker.number, Qt.Key.Key_Down)
    assert page.comparison is not None and page.comparison.current.period.label == "2025年下半年"

    text = page.summary.toPlainText()
    written = from_paragraph(text)
    for name, value in truth.items():
        if value or name in ("件次", "来信", "来电", "来访批", "来访人次", "转介", "调解", "走访"):
            assert written.get(name) == value, (name, written.get(name), value)

    titles = [t.title for t in page.tables]
    labels = {label for places in ROWS.values() for _, label in places}
    shown = from_page(page)

    target = tmp_path / "统计.xlsx"
    monkeypatch.setattr(dialogs, "save_path", lambda *a, **k: str(target))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert said == [f"统计表已保存：{target}"]
    ws = load_workbook(target).worksheets[0]
    cells = from_sheet(ws, titles)
    assert any(c.value == text for r in ws.iter_rows() for c in r)  # the paragraph, whole, in one cell

    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    preview = page.last_pdf
    assert preview is not None
    printed = from_pdf(preview.pdf, titles, labels)  # type: ignore[attr-defined]
    preview.close()  # type: ignore[attr-defined]

    for name, places in ROWS.items():
        for place in places:
            assert shown[place][0] == str(truth[name]), ("page", name, place, shown[place])
            assert cells[place][0] == truth[name], ("xlsx", name, place, cells[place])
            assert printed[place][0] == str(truth[name]), ("pdf", name, place, printed[place])
            # the year before and the change agree too, wherever the row stands
            assert [str(v) for v in cells[place][1:3]] == shown[place][1:3] == printed[place][1:3], place

    # the charts are drawn from the same figures: 信访、转介、调解 month by month, categories, townships
    months = _chart_values(page.month_view)
    assert list(months) == ["信访", "法律援助转介", "调解"]
    month_rows = [(k[1], v) for k, v in shown.items() if k[0] == "按月份"]
    assert [sum(by_month.values()) for by_month in months.values()] == [truth["件次"], truth["转介"], truth["调解"]]
    for i, kind in enumerate(months):
        assert [str(v) for v in months[kind].values()] == [v[i] for _, v in month_rows]
    for view, title in ((page.category_view, "信访：按问题类别"), (page.township_view, "信访：按乡镇")):
        drawn = _chart_values(view)
        rows = {k[1]: v for k, v in shown.items() if k[0] == title and not k[1].startswith("合计")}
        assert drawn["本期"] == {label: int(v[0]) for label, v in rows.items() if label in drawn["本期"]}
        assert len(drawn["本期"]) == min(12, len([v for v in rows.values() if int(v[0])]))
        assert drawn["去年同期"] == {label: int(rows[label][-2]) for label in drawn["本期"]}
    # every bar has its number beside it: the townships (more than the 8 the page used to label) too
    assert len(_chart_values(page.township_view)["本期"]) > 8
    for view in (page.month_view, page.category_view, page.township_view):
        series = view.chart().series()[0]
        assert isinstance(series, QAbstractBarSeries) and series.isLabelsVisible()
        assert all(s.labelColor().lightness() < 100 for s in series.barSets())
    assert page.month_view.chart().title() == "按月份：信访、法律援助转介、调解（件）"

    # pointing at a bar tells what it is: the tallest 调解 bar of the month chart
    view, series = page.month_view, page.month_view.chart().series()[0]
    scroll = view.parentWidget()
    while not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    page.resize(1366, 700)
    scroll.ensureWidgetVisible(view)  # scrolled to, as she would
    assert isinstance(series, QAbstractBarSeries)
    values = list(months["调解"].values())
    i = values.index(max(values))
    # the third of three bars in a category of width barWidth, centred on the category
    x = i - series.barWidth() / 2 + 2.5 * series.barWidth() / 3
    where = view.chart().mapToPosition(QPointF(x, values[i] / 2), series)
    point = view.mapFromScene(view.chart().mapToScene(where))
    qtbot.mouseMove(view.viewport(), point - QPoint(0, 3))  # onto the bar from just beside its middle
    qtbot.mouseMove(view.viewport(), point)
    assert view.toolTip() == f"{list(months['调解'])[i]}　调解：{values[i]}"
