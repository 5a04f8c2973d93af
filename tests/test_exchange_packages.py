"""Exchange packages (issue 24): two townships and the county exchanging several times — a lost package, a
package imported twice, the same woman registered at a township and at the county, a conflict — ending with
every record once and the county's counts equal to the sum of the townships' own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import exchange_packages as ex
from fulian_desktop.services import lists, petitions
from fulian_desktop.services.context import Context, open_context

from .conftest import Clock

PASSWORD = "fu-tian-pu-2026"


def petition(name: str, township: str, id_number: str = "", phone: str = "13907341234",
             facts: str = "丈夫酒后打人，已报警。") -> Petition:
    return Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township=township, village="",
        petitioner=Person(name=name, id_number=id_number, phone=phone, address=f"{township}3组"), concerned=None,
        category="婚姻家庭", subcategory="家庭暴力", facts=facts, request="请求帮助。",
        dv=True, safety_risk=False, receiving_staff="接待员",
    )


def office(tmp_path: Path, name: str, clock: Clock, level: str, township: str = "") -> Context:
    c = open_context(tmp_path / f"{name}.db", clock=clock, staff=f"{name}经办人")
    ex.set_office(c, level, "某某县", township)
    if level == "county":
        lists.add(c, "township", "福田铺乡")
    return c


def cases(c: Context) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in c.db.execute("SELECT case_no, township FROM cases ORDER BY case_no")]


def send(src: Context, dst: Context, folder: Path, township: str = "", keep: str | None = None,
         twice: bool = False) -> ex.Imported:
    made = ex.export_package(src, folder, PASSWORD, township=township)
    pkg = ex.open_package(dst, made.path, PASSWORD)
    done = ex.import_package(dst, pkg, keep=ex.side_for(dst, keep) if keep else None, receipt_password=PASSWORD,
                             receipt_folder=folder)
    assert done.receipt is not None
    ex.read_receipt(src, done.receipt, PASSWORD)
    return done


def test_two_townships_and_the_county_end_with_every_record_once(tmp_path: Path, clock: Clock) -> None:
    county = office(tmp_path, "county", clock, "county")
    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    dsz = office(tmp_path, "dsz", clock, "township", "东山镇")
    # numbers carry the township; the county's stay as they are
    _id, no = petitions.register(ftp, petition("柳如烟", "福田铺乡", id_number="430524199001011238"))
    assert no == "信访〔2026〕福田铺第0001号"
    petitions.register(dsz, petition("王小红", "东山镇"))
    _id, cno = petitions.register(county, petition("柳如烟", "福田铺乡", id_number="430524199001011238",
                                                   facts="她也来过县妇联。"))
    assert cno == "信访〔2026〕第0001号"
    usb = tmp_path / "usb"

    first = send(ftp, county, usb / "1")
    assert first.preview.count("person", ex.SAME_PERSON) == 1  # the same woman: one person by ID number
    send(dsz, county, usb / "2")
    assert county.db.execute("SELECT count(*) FROM people").fetchone()[0] == 2
    assert len(cases(county)) == 3

    # a package lost on the way: the next one holds its changes again
    petitions.register(ftp, petition("李四妹", "福田铺乡", phone="13800000001"))
    ex.export_package(ftp, usb / "lost", PASSWORD)
    petitions.register(ftp, petition("赵五娘", "福田铺乡", phone="13800000002"))
    made = ex.export_package(ftp, usb / "3", PASSWORD)
    pkg = ex.open_package(county, made.path, PASSWORD)
    pv = ex.preview(county, pkg)
    # both new cases (the lost package's too); the first case, acknowledged and unchanged, is not sent again
    assert pv.count("case", ex.NEW) == 2 and len([i for i in pv.items if i.kind == "case"]) == 2
    done = ex.import_package(county, pkg, receipt_password=PASSWORD, receipt_folder=usb / "3")
    # the same package twice changes nothing
    before = county.db.execute("SELECT count(*), total_changes() FROM cases").fetchone()[0]
    again = ex.import_package(county, ex.open_package(county, made.path, PASSWORD), receipt_password=PASSWORD,
                              receipt_folder=usb / "3b")
    assert again.preview.already_imported and again.applied == 0
    assert county.db.execute("SELECT count(*) FROM cases").fetchone()[0] == before == 5
    assert done.receipt is not None
    ex.read_receipt(ftp, done.receipt, PASSWORD)

    # nothing new: the next package is empty
    empty = ex.export_package(ftp, usb / "4", PASSWORD)
    assert empty.cases == 0

    # the county's counts are the sum of the townships' own and its own
    own = {"福田铺乡": 3, "东山镇": 1}
    for t, n in own.items():
        assert county.db.execute("SELECT count(*) FROM cases WHERE township = ? AND case_no LIKE ?",
                                 [t, "%" + t[:2] + "%"]).fetchone()[0] == n
    assert len(cases(county)) == 3 + 1 + 1
    assert len({no for no, _t in cases(county)}) == 5


def test_a_package_from_another_county_or_an_unknown_township_is_refused(tmp_path: Path, clock: Clock) -> None:
    county = office(tmp_path, "county", clock, "county")
    other = open_context(tmp_path / "other.db", clock=clock)
    ex.set_office(other, "township", "另一县", "福田铺乡")
    made = ex.export_package(other, tmp_path / "usb", PASSWORD)
    with pytest.raises(ex.PackageError, match="不是本县"):
        ex.open_package(county, made.path, PASSWORD)
    stranger = office(tmp_path, "x", clock, "township", "不存在乡")
    made = ex.export_package(stranger, tmp_path / "usb2", PASSWORD)
    county.db.execute("DELETE FROM lists WHERE list = 'township' AND value = '不存在乡'")
    with pytest.raises(ex.PackageError, match="乡镇名单里没有"):
        ex.open_package(county, made.path, PASSWORD)
    with pytest.raises(ex.PackageError, match="密码不对"):
        ex.open_package(county, made.path, "wrong-password")
    with pytest.raises(ValidationError):
        ex.set_office(stranger, "county", "某某县")
