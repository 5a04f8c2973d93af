"""The county and its townships on one set of records (issue 24): what the county sends down — a household moved
to a township's list, its decision on a case the township reported —, what a township office holds (its own
records and what the county sent it), and the statistics for the county as a whole, one township, or the
townships side by side with each case counted once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from fulian_desktop.domain.filters import RegisterFilter
from fulian_desktop.domain.household import Cadre, Household, Member, Visit
from fulian_desktop.domain.records import Person
from fulian_desktop.services import exchange_packages as ex
from fulian_desktop.services import households, lists, petitions
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
