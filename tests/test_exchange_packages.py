"""Exchange packages (issue 24): two townships and the county exchanging several times — a lost package, a
package imported twice, the same woman registered at a township and at the county, a conflict — ending with
every record once and the county's counts equal to the sum of the townships' own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import cases as cases_service
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
    with pytest.raises(ValidationError, match="密码不对"):
        ex.open_package(county, made.path, "wrong-password")
    with pytest.raises(ValidationError):
        ex.set_office(stranger, "county", "某某县")


def test_the_county_sends_back_what_concerns_a_township_and_conflicts_are_chosen(tmp_path: Path,
                                                                                 clock: Clock) -> None:
    county = office(tmp_path, "county", clock, "county")
    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    case_id, no = petitions.register(ftp, petition("柳如烟", "福田铺乡"))
    usb = tmp_path / "usb"
    send(ftp, county, usb / "1")
    # the county assigns (交办) a case of its own to the township, and supervises the township's case
    petitions.register(county, petition("孙六姐", "福田铺乡", phone="13800000009"))
    petitions.register(county, petition("别的乡", "东山镇", phone="13800000008"))  # not the township's
    at_county = cases_service.id_for_number(county, no)
    cases_service.supervise(county, at_county, "请一周内回访", dt.date(2026, 3, 9))
    back = send(county, ftp, usb / "2", township="福田铺乡")
    assert back.preview.count("case", ex.NEW) == 1 and back.preview.count("case", ex.CHANGED) == 1
    assert sorted(n for n, _t in cases(ftp)) == sorted([no, "信访〔2026〕第0001号"])
    assert ftp.db.execute("SELECT supervised_note FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "请一周内回访"

    # both change the same case: shown field by field, never silently overwritten
    cases_service.lift_supervision(ftp, case_id, "已回访")
    cases_service.supervise(county, at_county, "再次督办", dt.date(2026, 3, 10))
    made = ex.export_package(ftp, usb / "3", PASSWORD)
    pkg = ex.open_package(county, made.path, PASSWORD)
    pv = ex.preview(county, pkg)
    [conflict] = pv.conflicts
    assert conflict.title == no
    labels = {d.column for d in conflict.differences}
    assert "supervised_note" in labels
    with pytest.raises(ValidationError, match="两边都改过"):
        ex.import_package(county, pkg)
    assert county.db.execute("SELECT supervised_note FROM cases WHERE id = ?", [at_county]).fetchone()[0] == "再次督办"
    done = ex.import_package(county, pkg, keep=ex.side_for(county, "county"), receipt_password=PASSWORD)
    assert done.conflicts_resolved == 1
    assert county.db.execute("SELECT supervised_note FROM cases WHERE id = ?", [at_county]).fetchone()[0] == "再次督办"
    # the timeline lines both offices added are all kept
    notes = [r[0] for r in county.db.execute("SELECT note FROM timeline WHERE case_id = ?", [at_county])]
    assert any("再次督办" in n for n in notes) and any("已回访" in n for n in notes)
    assert done.receipt is not None
    ex.read_receipt(ftp, done.receipt, PASSWORD)
    # the county's version goes back down; after that both hold the same and nothing is sent
    send(county, ftp, usb / "4", township="福田铺乡")
    assert ftp.db.execute("SELECT supervised_note FROM cases WHERE id = ?", [case_id]).fetchone()[0] == "再次督办"
    assert ex.export_package(ftp, usb / "5", PASSWORD).cases == 0
    assert ex.export_package(county, usb / "6", PASSWORD, township="福田铺乡").cases == 0


def test_the_command_line_previews_refuses_conflicts_and_writes_receipts(tmp_path: Path, clock: Clock,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from fulian_desktop.cli import main as cli
    from fulian_desktop.services import accounts

    from .conftest import ALL_ROLES, CHEAP_KDF, TEST_PASSWORD, TEST_USER

    paths = {}
    for name in ("county", "ftp"):
        c, _r, _a = accounts.set_up(tmp_path / name / "fulian.db", [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD,
                                                                     False)], clock=clock, kdf=CHEAP_KDF)
        if name == "county":
            lists.add(c, "township", "福田铺乡")
        else:
            lists.add(c, "township", "福田铺乡")
            petitions.register(c, petition("柳如烟", "福田铺乡"))
        c.close()
        paths[name] = str(tmp_path / name / "fulian.db")
    monkeypatch.setenv("FULIAN_EXCHANGE_PASSWORD", PASSWORD)
    assert cli.main(["exchange", "office", "--level", "county", "--county", "某某县", "--db", paths["county"]]) == 0
    assert cli.main(["exchange", "office", "--level", "township", "--county", "某某县", "--township", "福田铺乡",
                     "--db", paths["ftp"]]) == 0
    usb = tmp_path / "usb"
    assert cli.main(["exchange", "export", "--to", str(usb), "--db", paths["ftp"]]) == 0
    [package] = usb.glob("*.fulian-exchange")
    capsys.readouterr()
    assert cli.main(["exchange", "import", str(package), "--dry-run", "--db", paths["county"]]) == 0
    shown = capsys.readouterr()
    assert "来自：某某县福田铺乡妇联" in shown.out and "案件：新增 1" in shown.out
    assert not list(usb.glob("*.fulian-receipt"))  # a dry run writes nothing
    assert cli.main(["exchange", "import", str(package), "--db", paths["county"]]) == 0
    [receipt] = usb.glob("*.fulian-receipt")
    assert cli.main(["exchange", "import", str(package), "--db", paths["county"]]) == 0
    assert "已经导入过" in capsys.readouterr().err
    assert cli.main(["exchange", "receipt", str(receipt), "--db", paths["ftp"]]) == 0
    assert "已确认收到" in capsys.readouterr().err
    # a package for another township is refused with a clear message
    assert cli.main(["exchange", "export", "--to", str(tmp_path / "down"), "--township", "东山镇",
                     "--db", paths["county"]]) == 0
    [down] = (tmp_path / "down").glob("*.fulian-exchange")
    assert cli.main(["exchange", "import", str(down), "--db", paths["ftp"]]) == 1
    assert "是发给某某县东山镇妇联的" in capsys.readouterr().err


def test_the_same_woman_written_differently_at_both_offices_is_a_choice(tmp_path: Path, clock: Clock) -> None:
    county = office(tmp_path, "county", clock, "county")
    ftp = office(tmp_path, "ftp", clock, "township", "福田铺乡")
    petitions.register(ftp, petition("柳如烟", "福田铺乡", id_number="430524199001011238", phone="13907341234"))
    petitions.register(county, petition("柳如烟", "福田铺乡", id_number="430524199001011238", phone="13800000003"))
    made = ex.export_package(ftp, tmp_path / "usb", PASSWORD)
    pkg = ex.open_package(county, made.path, PASSWORD)
    [item] = [i for i in ex.preview(county, pkg).conflicts if i.kind == "person"]
    assert [(d.column, d.ours, d.theirs) for d in item.differences] == [("phone", "13800000003", "13907341234")]
    with pytest.raises(ValidationError):
        ex.import_package(county, pkg)
    ex.import_package(county, pkg, choices={item.uuid: {"people.phone": ex.OURS}})
    assert county.db.execute("SELECT count(*), max(phone) FROM people").fetchone() == (1, "13800000003")
    assert county.db.execute("SELECT count(DISTINCT person_id) FROM cases").fetchone()[0] == 1
