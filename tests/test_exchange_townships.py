"""The county and its townships on one set of records (issue 24): what the county sends down — a household moved
to a township's list, its decision on a case the township reported —, what a township office holds (its own
records and what the county sent it), and the statistics for the county as a whole, one township, or the
townships side by side with each case counted once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.domain.filters import RegisterFilter
from fulian_desktop.domain.household import Cadre, Household, Member, Visit
from fulian_desktop.domain.records import Person
from fulian_desktop.reports.statistics import Money, make_period
from fulian_desktop.reports.townships import COLUMNS, _figure
from fulian_desktop.services import exchange_packages as ex
from fulian_desktop.services import households, lists, petitions, statistics
from fulian_desktop.services.context import Context

from .conftest import Clock
from .test_exchange_packages import PASSWORD, office, petition, send


def household(ctx: Context, name: str, township: str, phone: str) -> int:
    poor = next(c for c in households.care_lists(ctx) if c.name == "帮扶户")
    case_id, _no = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=dt.date(2026, 2, 3), head=Member(Person(name=name, phone=phone), relation=""),
        members=[], township=township, village="", household_type="低保户", causes=["因病"],
        cadre=Cadre(name="赵红梅", from_date=dt.date(2026, 2, 3))))
    return case_id


def townships_of(ctx: Context, kind: str = "household") -> list[tuple[str, str]]:
    return sorted((str(n), str(t)) for n, t in ctx.db.execute(
        "SELECT case_no, township FROM cases WHERE kind = ?", [kind]))


def test_a_household_moved_to_a_townships_list_and_the_countys_decision_go_down(tmp_path: Path,
                                                                               clock: Clock) -> None:
    county = office(tmp_path, "county", clock, "county")
    ex.set_office(county, "county", "某某县")
    lists.add(county, "township", "东山镇")
    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    dsz = office(tmp_path, "dsz", clock, "township", "东山镇")
    usb = tmp_path / "usb"
    # 东山镇 registers a household and reports a petition; both go up to the county
    moved = household(dsz, "刘桂兰", "东山镇", "13907340001")
    households.log_visit(dsz, moved, Visit(visited_on=dt.date(2026, 2, 20), visitors="刘芳", kind="visit",
                                            seen="家中两人"))
    reported, reported_no = petitions.register(ftp, petition("柳如烟", "福田铺乡"))
    send(dsz, county, usb / "1")
    send(ftp, county, usb / "2")
    # the county: the household has moved to 福田铺乡 (its list now), a new household of its own there, and its
    # decision on the petition 福田铺乡 reported (受理)
    at_county = county.db.execute("SELECT id FROM cases WHERE kind = 'household'").fetchone()[0]
    h = households.get(county, at_county)
    households.correct(county, at_county, dataclasses.replace(h, township="福田铺乡", village=""))
    own = household(county, "陈秀英", "福田铺乡", "13907340002")
    own_no = county.db.execute("SELECT case_no FROM cases WHERE id = ?", [own]).fetchone()[0]
    petition_at_county = county.db.execute("SELECT id FROM cases WHERE case_no = ?", [reported_no]).fetchone()[0]
    petitions.accept(county, petition_at_county, dt.date(2026, 3, 4), note="县妇联受理，交乡里调处")

    down = send(county, ftp, usb / "3", township="福田铺乡")
    assert down.preview.count("case", ex.NEW) == 2 and down.preview.count("case", ex.CHANGED) == 1
    moved_no = county.db.execute("SELECT case_no FROM cases WHERE id = ?", [at_county]).fetchone()[0]
    assert townships_of(ftp) == sorted([(moved_no, "福田铺乡"), (own_no, "福田铺乡")])
    # on 福田铺乡's household register, with her, her cadre and the visit 东山镇 made
    on_list = {r.case_no for r in households.register_page(ftp, RegisterFilter(township="福田铺乡"))}
    assert on_list == {moved_no, own_no}
    moved_here = ftp.db.execute("SELECT id FROM cases WHERE case_no = ?", [moved_no]).fetchone()[0]
    assert households.get(ftp, moved_here).head.person.name == "刘桂兰"
    assert ftp.db.execute("SELECT count(*) FROM visits WHERE case_id = ?", [moved_here]).fetchone()[0] == 1
    # the county's decision on what the township reported
    status, = ftp.db.execute("SELECT status FROM cases WHERE id = ?", [reported]).fetchone()
    assert status == county.db.execute("SELECT status FROM cases WHERE id = ?", [petition_at_county]).fetchone()[0]
    assert status != "received"
    assert any("县妇联受理" in str(n) for n, in ftp.db.execute("SELECT note FROM timeline WHERE case_id = ?",
                                                             [reported]))

    # 东山镇 hears that its household has moved (its record says 福田铺乡 now); nothing else of 福田铺乡's goes there
    send(county, dsz, usb / "4", township="东山镇")
    assert townships_of(dsz) == [(moved_no, "福田铺乡")]
    assert dsz.db.execute("SELECT count(*) FROM cases WHERE kind = 'petition'").fetchone()[0] == 0
    # after that the three hold the same: nothing more to send either way
    for c, t in ((ftp, ""), (dsz, "")):
        assert ex.export_package(c, usb / "5", PASSWORD, township=t).cases == 0
    assert ex.export_package(county, usb / "6", PASSWORD, township="福田铺乡").cases == 0
    assert ex.export_package(county, usb / "7", PASSWORD, township="东山镇").cases == 0


def test_cases_loaded_in_bulk_at_a_township_carry_its_name(tmp_path: Path, clock: Clock) -> None:
    """A spreadsheet imported (or demo data made) at a township is numbered as the township's own: never the
    county's numbers, which the county issues too."""
    from fulian_desktop.demo import generate

    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    generate.generate(ftp, 30, seed=3)
    numbers = [str(r[0]) for r in ftp.db.execute("SELECT case_no FROM cases")]
    assert len(numbers) >= 30 and all("福田铺第" in n for n in numbers), numbers[:5]


def _exchanged(tmp_path: Path, clock: Clock) -> tuple[Context, Context, Context]:
    """A county and two townships that have exchanged both ways: each township's own petitions and households
    (with visits), the county's own cases in both townships."""
    county = office(tmp_path, "county", clock, "county")
    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    dsz = office(tmp_path, "dsz", clock, "township", "东山镇")
    petitions.register(ftp, petition("柳如烟", "福田铺乡", id_number="430524199001011238"))
    petitions.register(ftp, petition("李四妹", "福田铺乡", phone="13800000001", facts="婆媳争吵。"))
    h = household(ftp, "刘桂兰", "福田铺乡", "13907340001")
    households.log_visit(ftp, h, Visit(visited_on=dt.date(2026, 2, 20), visitors="刘芳", kind="solace",
                                       cash_fen=50000, seen="家中两人"))
    petitions.register(dsz, petition("王小红", "东山镇", phone="13800000002"))
    household(dsz, "陈秀英", "东山镇", "13907340002")
    # the same woman came to the county too: one person, her two cases each counted once
    petitions.register(county, petition("柳如烟", "福田铺乡", id_number="430524199001011238", facts="她也来过县妇联。"))
    petitions.register(county, petition("赵五娘", "东山镇", phone="13800000003"))
    usb = tmp_path / "usb"
    send(ftp, county, usb / "1")
    send(dsz, county, usb / "2")
    send(county, ftp, usb / "3", township="福田铺乡")
    send(county, dsz, usb / "4", township="东山镇")
    return county, ftp, dsz


def test_the_countys_statistics_are_the_sum_of_the_townships_own(tmp_path: Path, clock: Clock) -> None:
    county, ftp, dsz = _exchanged(tmp_path, clock)
    year = make_period("year", 2026)
    temp = "SELECT type, name FROM temp.sqlite_master ORDER BY 1, 2"
    before = county.db.execute(temp).fetchall()
    table = statistics.township_table(county, year)
    rows = {str(r[0]): r[1:] for r in table.rows}
    total = rows.pop("合计（全县）")

    def plain(v: object) -> int:
        return v.fen if isinstance(v, Money) else int(str(v))

    # each column: the townships' rows add up to the county's total (each case once, in its township)
    for i in range(len(COLUMNS)):
        assert sum(plain(r[i]) for r in rows.values()) == plain(total[i]), COLUMNS[i]
    assert plain(total[0]) == 5 and plain(total[6]) == 1 and plain(total[8]) == 50000
    # and each township's row is what the township's own office counts
    for c, name in ((ftp, "福田铺乡"), (dsz, "东山镇")):
        assert statistics.own_township(c) == name
        own = statistics.compare(c, year, statistics.own_township(c)).current
        assert [plain(v) for v in rows[name]] == [_figure(own, k) for _h, k in COLUMNS], name
    assert [plain(v) for v in rows["福田铺乡"]][:1] == [3] and [plain(v) for v in rows["东山镇"]][:1] == [2]
    # one township on its own at the county: its figures, its name in the paragraph
    one = statistics.compare(county, year, "福田铺乡")
    assert one.current.petitions.total == 3 and one.current.petitions.by_township == [("福田铺乡", 3)]
    assert statistics.paragraph(county, one, "福田铺乡").split("，")[1].startswith("福田铺乡妇联共接待来信来电来访3件")
    assert statistics.compare(county, year).current.petitions.total == 5  # the county as a whole, unchanged
    # printed and exported as the township's
    import pypdfium2 as pdfium
    from openpyxl import load_workbook

    from fulian_desktop.services import exchange

    pdf, name = exchange.statistics_pdf(county, one, township="福田铺乡")
    assert name == "维权工作统计_福田铺乡_2026年.pdf"
    doc = pdfium.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r\n", "")
    doc.close()
    assert "（福田铺乡）" in text and "福田铺乡妇联共接待来信来电来访3件" in text.replace("\n", "")
    exchange.export_statistics(county, one, tmp_path / "s.xlsx", township="福田铺乡")
    sheet = load_workbook(tmp_path / "s.xlsx").worksheets[0]
    assert any("（福田铺乡）" in str(c.value) for c in sheet["A"][:3])
    assert county.db.execute(temp).fetchall() == before  # the township's copies are gone


def test_a_township_office_holds_only_its_own_records_and_what_the_county_sent_it(tmp_path: Path,
                                                                                 clock: Clock) -> None:
    county, ftp, dsz = _exchanged(tmp_path, clock)
    for c, name in ((ftp, "福田铺乡"), (dsz, "东山镇")):
        assert {str(r[0]) for r in c.db.execute("SELECT DISTINCT township FROM cases")} == {name}
        # its own (numbered as its own) and the county's cases for it (the county's numbers), nothing else
        numbers = [str(r[0]) for r in c.db.execute("SELECT case_no FROM cases")]
        mark = name[:-1]
        mine = [n for n in numbers if f"{mark}第" in n]
        sent = [n for n in numbers if f"{mark}第" not in n]
        at_county = [str(r[0]) for r in county.db.execute("SELECT case_no FROM cases WHERE township = ?", [name])]
        assert sorted(numbers) == sorted(at_county)
        assert sent and all("〔2026〕第" in n for n in sent) and mine
    assert ftp.db.execute("SELECT count(*) FROM people").fetchone()[0] == 3  # not 东山镇's people
    # a township's statistics page offers its own township alone
    assert statistics.own_township(county) == "" and "福田铺乡" in statistics.township_names(county)


def test_the_statistics_page_shows_the_county_one_township_or_the_townships_compared(
        qtbot: Any, tmp_path: Path, clock: Clock) -> None:
    from PySide6.QtCore import Qt

    from fulian_desktop.gui.reports.statistics_page import StatisticsPage

    county, ftp, _dsz = _exchanged(tmp_path, clock)
    page = StatisticsPage(county)
    qtbot.addWidget(page)
    page.show()
    page.picker.set_period("year", 2026)
    assert page.scope.currentText() == "全县" and page.comparison is not None
    assert page.comparison.current.petitions.total == 5
    page.scope.setFocus()
    qtbot.keyClick(page.scope, Qt.Key.Key_Down)  # 各乡镇对比
    assert page.scope.currentText() == "各乡镇对比"
    table = page.table_widget("townships")
    assert table is not None and page.table_tabs.count() == 1
    shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert (shown["福田铺乡"], shown["东山镇"], shown["合计（全县）"]) == ("3", "2", "5")
    assert not page.summary_box.isVisible() and not page.month_view.isVisible()
    assert not page.export_button.isEnabled() and "选择全县或某个乡镇" in page.export_button.toolTip()
    assert page.heading.text().startswith("各乡镇对比：2026年")
    qtbot.keyClick(page.scope, Qt.Key.Key_End)  # the last township on the list: 福田铺乡
    assert page.scope.currentText() == "福田铺乡"
    assert page.heading.text().startswith("福田铺乡：2026年") and page.summary_box.isVisible()
    assert "福田铺乡妇联共接待来信来电来访3件" in page.summary.toPlainText()
    assert page.export_button.isEnabled() and page.comparison.current.petitions.total == 3
    qtbot.keyClick(page.scope, Qt.Key.Key_Home)  # back to the county as a whole
    assert page.comparison.current.petitions.total == 5 and page.table_tabs.count() > 1

    # at a township office: its own township alone
    own = StatisticsPage(ftp)
    qtbot.addWidget(own)
    own.picker.set_period("year", 2026)
    assert [own.scope.itemText(i) for i in range(own.scope.count())] == ["福田铺乡"]
    assert not own.scope.isEnabled() and own.comparison is not None
    assert own.comparison.current.petitions.total == 3


def test_the_demo_finds_a_woman_for_a_township_where_the_county_has_no_petition_of_its_own(tmp_path: Path,
                                                                                          clock: Clock) -> None:
    """The demo's cases depend on the day: on some days none of the county's own petitions with an ID number is in
    a given township. The woman who also comes to that township is then one of the county's from another township,
    never one the county only received from a township, and never none (no one registered twice otherwise)."""
    from fulian_desktop.demo import offices

    county = office(tmp_path, "county", clock, "county")
    try:
        lists.add(county, "township", "东山镇")
        petitions.register(county, petition("柳青梅", "东山镇", "430124198503125124"))
        petitions.register(county, petition("洪小兰", "东山镇"))  # no ID number: not a woman to find again
        county.db.execute("UPDATE cases SET seq = -id")  # as if both came up from a township's package
        assert offices._someone_the_county_knows(county, "福田铺乡") is None
        petitions.register(county, petition("石红霞", "东山镇", "430124198802164422"))
        found = offices._someone_the_county_knows(county, "福田铺乡")
        assert found is not None and (found.name, found.id_number) == ("石红霞", "430124198802164422")
        petitions.register(county, petition("钱秋菊", "福田铺乡", "430124197905233326"))
        found = offices._someone_the_county_knows(county, "福田铺乡")
        assert found is not None and found.name == "钱秋菊"  # her own township's woman first
    finally:
        county.close()


def test_the_demo_makes_a_county_and_townships_that_have_exchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from fulian_desktop.cli import main as cli
    from fulian_desktop.demo import offices
    from fulian_desktop.services import accounts

    county_db = tmp_path / "演示.db"
    assert cli.main(["demo", "--db", str(county_db), "--cases", "40", "--office", "福田铺乡", "--office", "东山镇"]) == 0
    out = capsys.readouterr().out
    assert "福田铺乡妇联：" in out and f"交换包密码（演示）：{offices.PASSWORD}" in out
    opened = {name: accounts.sign_in(path, "demo", "fulian-demo") for name, path in (
        ("县", county_db), ("福田铺乡", tmp_path / "演示-福田铺乡.db"), ("东山镇", tmp_path / "演示-东山镇.db"))}
    county = opened.pop("县")
    try:
        assert ex.office(county).label == "演示县妇联"
        year = make_period("year", county.today().year)
        rows = {str(r[0]): r[1:] for r in statistics.township_table(county, year).rows}
        for name, c in opened.items():
            assert ex.office(c).label == f"演示县{name}妇联"
            # every record once: the township holds exactly the county's cases of its township, numbers and all
            here = sorted(str(r[0]) for r in c.db.execute("SELECT case_no FROM cases"))
            there = sorted(str(r[0]) for r in county.db.execute("SELECT case_no FROM cases WHERE township = ?", [name]))
            assert here == there and len(set(here)) == len(here)
            assert any(f"{name[:-1]}第" in n for n in here) and any("〔" in n and f"{name[:-1]}第" not in n for n in here)
            # the lost package's petitions reached the county with the next one; the county's 督办 came down
            assert c.db.execute("SELECT count(*) FROM cases WHERE supervised_note LIKE '县妇联督办%'").fetchone()[0] == 1
            # the county's statistics of the township are the township's own
            own = statistics.compare(c, year, statistics.own_township(c)).current
            assert [v.fen if isinstance(v, Money) else v for v in rows[name]] == [_figure(own, k) for _h, k in COLUMNS]
            assert not [i for i in ex.preview(county, ex.open_package(county, ex.export_package(
                c, tmp_path / "again" / name, offices.PASSWORD).path, offices.PASSWORD)).items]  # nothing left to send
        # the woman registered at a township and at the county is one person there
        assert county.db.execute("SELECT count(*) FROM exchange_alias").fetchone()[0] >= 1
        # a second run next to the same databases is refused before anything is made
        monkeypatch.setenv("FULIAN_USER", "demo")
        monkeypatch.setenv("FULIAN_PASSWORD", "fulian-demo")
        before = county.db.execute("SELECT count(*) FROM cases").fetchone()[0]
        assert cli.main(["demo", "--db", str(county_db), "--cases", "5", "--office", "东山镇"]) != 0
        assert "已经存在" in capsys.readouterr().err
        assert county.db.execute("SELECT count(*) FROM cases").fetchone()[0] == before
    finally:
        county.close()
        for c in opened.values():
            c.close()
