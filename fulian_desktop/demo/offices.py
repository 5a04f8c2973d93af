"""A county and its townships that have exchanged packages for a while (issue 24: `demo --office 福田铺乡 …`).

Next to the county's demo database, one database per named township, each a township office (乡镇妇联) of the demo
county with its own made-up cases, all in its township and numbered as its own (信访〔2026〕福田铺第0001号).
Then three rounds of exchange as the offices would do them on a USB stick, through the same services as the
windows (services/exchange_packages.py):

1. each township registers a woman the county also knows (the same ID number: one person at the county), sends its
   package up; the county imports it and the township reads the receipt back; the county sends each township its
   cases (those in the township, received at the county) the same way;
2. each township registers two new petitions and makes a package that is lost on the way (never imported); the
   county supervises (督办) one of the township's cases;
3. each township registers one more and sends again (the lost package's cases travel again); the county imports,
   keeping its own version where both changed, and sends its supervision back down.

At the end every record is once at the county, and each township holds its own and what the county sent it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import FulianError, RuleError
from ..domain.office import COUNTY, TOWNSHIP
from ..domain.records import Person, Petition
from ..services import accounts, cases, lists, petitions
from ..services import exchange_packages as ex
from ..services.context import Context
from . import generate

COUNTY_NAME = "演示县"
PASSWORD = "demo-exchange-2026"  # the demo's package password (the county sets one per township)

Say = Callable[[str], None]
_NAMES = ("周小燕", "吴春梅", "郑秀英", "冯丽娟", "陈晓红", "褚玉兰", "卫桂芳", "蒋雪梅", "沈凤英")


@dataclass
class Office:
    township: str
    path: Path
    cases: int


def township_path(county_db: Path, township: str) -> Path:
    """Where a township's demo database goes: next to the county's (演示.db → 演示-福田铺乡.db)."""
    return county_db.with_name(f"{county_db.stem}-{township}{county_db.suffix or '.db'}")


def _admin(path: Path) -> Context:
    user, _name, _roles, password = accounts.DEMO_ADMIN
    return accounts.sign_in(path, user, password, via="demo")


def _set_office(path: Path, level: str, township: str, all_townships: list[str]) -> None:
    """As the demo administrator: what the office is, and (at a township) its own township alone on the list, so
    that its cases are all its own; the county's list has every township named."""
    admin = _admin(path)
    try:
        ex.set_office(admin, level, COUNTY_NAME, township)
        if level == COUNTY:
            for name in all_townships:
                if name not in lists.values(admin, "township"):
                    lists.add(admin, "township", name)
        else:
            for name in lists.values(admin, "township"):
                if name != township:
                    lists.remove(admin, "township", name)
    finally:
        admin.close()


def _petition(name: str, township: str, facts: str, id_number: str = "", phone: str = "") -> Petition:
    return Petition(
        channel="来访", received_on=dt.date.today(), headcount=1, township=township, village="",
        petitioner=Person(name=name, id_number=id_number, phone=phone), concerned=None, category="婚姻家庭",
        subcategory="家庭纠纷", facts=facts, request="请求妇联调解。", dv=False, safety_risk=False,
        receiving_staff="演示工作人员",
    )


def _send(src: Context, dst: Context, folder: Path, township: str = "") -> ex.Imported:
    made = ex.export_package(src, folder, PASSWORD, township=township)
    package = ex.open_package(dst, made.path, PASSWORD)
    done = ex.import_package(dst, package, keep=ex.OURS, receipt_password=PASSWORD, receipt_folder=folder)
    if done.receipt is not None:
        ex.read_receipt(src, done.receipt, PASSWORD)
    return done


def _someone_the_county_knows(county: Context, township: str) -> Person | None:
    """A woman with an ID number in one of the county's petitions, in `township` when the county has one there (she
    comes to the township too); else in another township's (she has moved): the demo's cases depend on the day, and
    some days none of the county's petitions with an ID number is in a given township."""
    r = county.db.execute(
        "SELECT p.name, p.id_number, p.phone FROM cases c JOIN people p ON p.id = c.person_id "
        "WHERE c.kind = 'petition' AND p.id_number <> '' AND c.seq > 0 "
        "ORDER BY c.township <> ?, c.id LIMIT 1", [township]).fetchone()
    return Person(name=str(r[0]), id_number=str(r[1]), phone=str(r[2] or "")) if r else None


def prepare_county(county_db: Path, township_names: list[str]) -> None:
    """Before the county's demo data: it is the demo county's 县妇联, with the named townships on its list (so
    that some of its cases are theirs). Refused before anything is made when a township's database exists."""
    for name in township_names:
        path = township_path(county_db, name)
        if path.exists() or not accounts.needs_setup(path):
            raise RuleError(f"“{path}”已经存在，请先把它移走，或另选数据库文件名。")
    _set_office(county_db, COUNTY, "", township_names)


def make(county_db: Path, township_names: list[str], county: Context, cases_each: int, seed: int = 1,
         say: Say | None = None) -> list[Office]:
    """The townships' databases next to `county_db` (prepared by prepare_county, its demo data made by `county`),
    and three rounds of exchange between them and the county. Returns the townships' databases."""
    tell = say or (lambda _s: None)
    folder = county_db.with_name(f"{county_db.stem}-交换包")
    made: list[Office] = []
    offices: list[tuple[str, Context]] = []
    try:
        for i, name in enumerate(township_names):
            path = township_path(county_db, name)
            accounts.setup_demo(path).close()
            _set_office(path, TOWNSHIP, name, township_names)
            ctx = accounts.sign_in(path, accounts.DEMO_STAFF[0], accounts.DEMO_STAFF[3], via="demo")
            offices.append((name, ctx))
            tell(f"正在生成{name}妇联的演示数据……")
            n = generate.generate(ctx, cases_each, seed=seed + i + 1)
            made.append(Office(name, path, n))
        tell("第1轮交换：乡镇报县，县里发回……")
        for name, ctx in offices:
            her = _someone_the_county_knows(county, name)
            if her is not None:  # she came to the township too: one person at the county (by ID number)
                petitions.register(ctx, _petition(her.name, name, "又到乡妇联反映家庭矛盾。", her.id_number, her.phone))
            _send(ctx, county, folder / "1" / name)
            _send(county, ctx, folder / "1" / f"{name}-县发回", township=name)
        tell("第2轮交换：乡镇新登记，交换包在路上丢失；县里督办……")
        for i, (name, ctx) in enumerate(offices):
            for j in range(2):
                petitions.register(ctx, _petition(_NAMES[(3 * i + j) % len(_NAMES)], name,
                                                  f"第二轮新登记的家庭纠纷（{j + 1}）。", phone=f"1390734{i:02d}{j:02d}"))
            ex.export_package(ctx, folder / "2" / f"{name}-丢失", PASSWORD)  # never reaches the county
            own = county.db.execute("SELECT id FROM cases WHERE township = ? AND seq < 0 AND kind = 'petition' "
                                    "AND status NOT IN ('concluded', 'refused') ORDER BY id LIMIT 1",
                                    [name]).fetchone()
            if own is not None:
                try:
                    cases.supervise(county, int(own[0]), "县妇联督办：请一周内回访当事人并报告", dt.date.today())
                except FulianError:
                    pass  # a case that cannot be supervised (closed meanwhile): nothing to send down
        tell("第3轮交换：乡镇再报（含丢失的），县里发回督办……")
        for i, (name, ctx) in enumerate(offices):
            petitions.register(ctx, _petition(_NAMES[(3 * i + 2) % len(_NAMES)], name, "第三轮新登记的家庭纠纷。",
                                              phone=f"1390734{i:02d}99"))
            _send(ctx, county, folder / "3" / name)
            _send(county, ctx, folder / "3" / f"{name}-县发回", township=name)
    finally:
        for _name, ctx in offices:
            ctx.close()
    return made
