"""Exchange packages between the township offices and the county (交换包): one encrypted file carried on a USB
stick, holding every record new or changed since the last package the other office acknowledged.

- `export_package` (township → county, or county → one township: the cases of that township) writes the file;
- `open_package` reads it with the package password; `preview` says, before anything changes, what is new,
  changed, already here, the same woman already known here, and what was changed in both offices (conflicts,
  field by field);
- `import_package` merges it in one transaction (conflicts resolved by the clerk's choice, never silently) and
  writes the receipt (回执) the other office reads back with `read_receipt`; the next package starts from there, so
  a lost package means the next one holds its changes again; the same package twice changes nothing.

Accounts, the audit trail and settings never travel; the records carry who did what (staff names).
The encryption is the backup's (backup/container.py: Argon2id from the package password, AES-256-GCM chunks).
"""

from __future__ import annotations

import base64
import copy
import io
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backup import container
from ..backup.errors import BackupError, WrongPassword
from ..domain import audit as words
from ..domain.errors import FulianError, ValidationError
from ..domain.office import COUNTY, TOWNSHIP, Office, from_dict, office_from
from ..store import exchange as store
from ..store import keys as key_store
from .context import Context

FORMAT = "fulian-exchange"
RECEIPT_FORMAT = "fulian-exchange-receipt"
VERSION = 1
PACKAGE_SUFFIX = ".fulian-exchange"
RECEIPT_SUFFIX = ".fulian-receipt"
MIN_PASSWORD = 6
# fields that say when a row was written, not what it says: never a conflict
_STAMPS = {"updated_at", "created_at", "pinyin", "uuid"}

NEW, CHANGED, HERE, CONFLICT, SAME_PERSON, MAYBE_PERSON = "new", "changed", "here", "conflict", "same", "maybe"
BOTH_ADDED = "both_added"
STATE_LABELS = {NEW: "新增", CHANGED: "有改动", BOTH_ADDED: "两边各有新增（都保留）", HERE: "本处已有", CONFLICT: "两边都改过", SAME_PERSON: "同一人（身份证号相同）",
                MAYBE_PERSON: "可能是同一人（姓名、电话相同）"}


class PackageError(FulianError):
    """A package or receipt that cannot be used here (wrong office, wrong password, damaged)."""


# --- the office ---------------------------------------------------------------------------------------------


def office(ctx: Context) -> Office:
    ctx.require("settings.read")
    return store.office(ctx.db)


def office_is_set(ctx: Context) -> bool:
    ctx.require("settings.read")
    return bool(store.office(ctx.db).county)


def set_office(ctx: Context, level: str, county: str, township: str = "") -> Office:
    """What this office is; once it has exchanged packages it stays what it was (the others know it so)."""
    ctx.require("settings.write")
    new = office_from(level, county, township)
    current = store.office(ctx.db)
    exchanged = ctx.db.execute("SELECT 1 FROM exchange_packages LIMIT 1").fetchone()
    if exchanged and current.county and new != current:
        raise ValidationError({"office_level": "本单位已经与其他单位交换过数据，不能再改为另一个单位"
                                               f"（现在是{current.label}）。"})
    with ctx.action() as db:
        store.put_office(db, new)
        if new.is_township:
            store.add_township(db, new.township)
    return new


# --- making a package ---------------------------------------------------------------------------------------


@dataclass
class Exported:
    path: Path
    cases: int
    people: int
    attachments: int


def _peer_of(me: Office, township: str) -> Office:
    if me.is_township:
        return Office(COUNTY, me.county)
    return Office(TOWNSHIP, me.county, township)


def _seal(payload: dict[str, Any], password: str) -> bytes:
    kdf = key_store.DEFAULT_KDF
    master = container.new_password_key(password, kdf.time_cost, kdf.memory_cost, kdf.parallelism)
    out = io.BytesIO()
    sealer = container.Sealer(out, master)
    # level 1: the records' text still shrinks to a fraction; the attachments (photos, scans) do not shrink at any
    # level, and level 6 spent most of a year's export on them (tests/benchmarks/test_exchange_bench.py)
    sealer.write(zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 1))
    sealer.close()
    return out.getvalue()


def _unseal(path: Path, password: str, what: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            unsealer = container.Unsealer(f)
            unsealer.unlock(container.master_for(unsealer.pre, password))
            raw = b"".join(unsealer.chunks())
        payload = json.loads(zlib.decompress(raw).decode("utf-8"))
    except WrongPassword:
        raise ValidationError({"password": f"{what}密码不对，打不开这个文件。请核对后重新输入（密码区分大小写）。"}) from None
    except BackupError:
        raise PackageError(f"这不是一个完好的{what}（文件不完整或被改动过），不能使用。") from None
    except OSError as e:
        raise PackageError(f"读不了这个文件：{e.strerror or e}") from None
    except (ValueError, zlib.error):
        raise PackageError(f"这不是一个完好的{what}，不能使用。") from None
    if not isinstance(payload, dict):
        raise PackageError(f"这不是{what}。")
    return payload


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError({"password": f"交换包密码至少{MIN_PASSWORD}位（县妇联为每个乡镇设定，双方一致）"})


def export_package(ctx: Context, folder: Path, password: str, township: str = "") -> Exported:
    """Write the package for the other office into `folder`: at a township for the county; at the county for
    `township` (its cases: assigned to it, moved to its list, the county's word on what it reported; and a case
    it holds that has moved to another township's list, so that it hears so)."""
    ctx.require("exchange.export")
    _check_password(password)
    me = store.office(ctx.db)
    if not me.county:
        raise ValidationError({"office_level": "请先在设置中填写本单位（县妇联或乡镇妇联、所在县），再交换数据。"})
    if not me.is_township:
        if not township:
            raise ValidationError({"township": "请选择要发给哪个乡镇"})
        if township not in store.townships(ctx.db):
            raise ValidationError({"township": f"本县的乡镇名单里没有“{township}”"})
    peer = _peer_of(me, township)
    now = ctx.clock()
    with ctx.action() as db:
        sch = store.schema(db)
        store.fill_uuids(db, sch)
        reader = store.Reader(db, sch, peer.peer_key)
        known = store.known(db, peer.peer_key)
        if me.is_township:
            cases = reader.cases()
        else:  # its own, and those it holds that have since moved to another township's list (it hears so)
            cases = reader.cases("township = ? OR uuid IN (SELECT uuid FROM exchange_known WHERE peer = ?)",
                                 [township, peer.peer_key])
        case_units = [u for uid, u in cases.items() if store.unit_hash(u) != known.get(uid)]
        named = reader.people_of(case_units)
        people = reader.people(None if me.is_township else store.person_ids(db, named, peer.peer_key))
        person_units = [u for uid, u in people.items() if uid in named or store.unit_hash(u) != known.get(uid)]
        shas: set[str] = set()
        for u in [*case_units, *person_units]:
            for r in u["tables"].get("attachments", []):
                shas.update(str(r[c]) for c in ("sha256", "original_sha256") if r.get(c))
        blobs = store.content(db, shas)
        package_id = store.new_uuid()
        made_at = now.isoformat(timespec="seconds")
        payload: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "id": package_id, "from": me.as_dict(), "to": peer.as_dict(),
            "made_at": made_at, "staff": ctx.staff,
            "units": [*person_units, *case_units], "refs": store.ref_rows(db, reader.refs_used),
            "content": {sha: base64.b64encode(b).decode("ascii") for sha, b in blobs.items()},
        }
        store.record_package(db, package_id, peer.peer_key, "out", made_at, ctx.staff,
                             len(case_units) + len(person_units))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = folder / f"交换包_{me.label}_至_{peer.label}_{stamp}{PACKAGE_SUFFIX}"
    try:
        _write(path, _seal(payload, password))
    except OSError as e:
        raise PackageError(f"交换包写不进“{folder}”：{e.strerror or e}") from None
    return Exported(path, len(case_units), len(person_units), len(blobs))


# --- reading and previewing ---------------------------------------------------------------------------------


@dataclass
class Package:
    path: Path
    payload: dict[str, Any]
    sender: Office
    receiver: Office

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def units(self) -> list[dict[str, Any]]:
        return list(self.payload.get("units", []))


def open_package(ctx: Context, path: Path, password: str) -> Package:
    """Read and check a package: made by this county's office for this office, or refused with why."""
    ctx.require("exchange.import")
    payload = _unseal(path, password, "交换包")
    if payload.get("format") != FORMAT:
        raise PackageError("这不是交换包（可能是回执或备份文件）。")
    if int(payload.get("version", 0)) > VERSION:
        raise PackageError("这个交换包是由更新版本的妇联维权工作台制作的，请先安装新版本。")
    sender, receiver = from_dict(payload.get("from")), from_dict(payload.get("to"))
    if sender is None or receiver is None or not isinstance(payload.get("units"), list):
        raise PackageError("这个交换包的内容不完整，不能使用。")
    me = store.office(ctx.db)
    if not me.county:
        raise PackageError("请先在设置中填写本单位（县妇联或乡镇妇联、所在县），再导入交换包。")
    if sender.county != me.county:
        raise PackageError(f"这个交换包来自{sender.county or '另一个县'}，不是本县（{me.county}）的，不能导入。")
    if me.is_township:
        if sender.is_township:
            raise PackageError(f"这个交换包来自{sender.label}，乡镇之间不直接交换，请通过县妇联。")
        if receiver.township != me.township:
            raise PackageError(f"这个交换包是发给{receiver.label}的，不是发给本单位（{me.label}）的。")
    else:
        if not sender.is_township:
            raise PackageError("这个交换包来自县妇联本身，不能再导入县妇联。")
        if receiver.is_township:
            raise PackageError(f"这个交换包是发给{receiver.label}的，不是发给县妇联的。")
        if sender.township not in store.townships(ctx.db):
            raise PackageError(f"本县的乡镇名单里没有“{sender.township}”，这个交换包不能导入。"
                               "如果是新设的乡镇，请先在“列表”中添加它，再导入。")
    return Package(path, payload, sender, receiver)


@dataclass
class Difference:
    table: str
    column: str
    ours: Any
    theirs: Any

    @property
    def label(self) -> str:
        if self.column == "*":
            return words.table_label(self.table)
        return words.field_label(f"{self.table}.{self.column}")


@dataclass
class Item:
    unit: dict[str, Any]
    state: str
    hash: str
    title: str  # what a clerk recognises: a case number or 当事人 (never her name in logs)
    ours: dict[str, Any] | None = None
    ours_uuid: str = ""  # the person here she is (SAME_PERSON / MAYBE_PERSON)
    differences: list[Difference] = field(default_factory=list)

    @property
    def uuid(self) -> str:
        return str(self.unit["uuid"])

    @property
    def kind(self) -> str:
        return str(self.unit["unit"])


@dataclass
class Preview:
    package: Package
    items: list[Item]
    already_imported: bool = False

    def count(self, kind: str, state: str) -> int:
        return sum(1 for i in self.items if i.kind == kind and i.state == state)

    @property
    def conflicts(self) -> list[Item]:
        return [i for i in self.items if i.state == CONFLICT]

    @property
    def maybe_same(self) -> list[Item]:
        return [i for i in self.items if i.state == MAYBE_PERSON]

    def lines(self) -> list[str]:
        """What it holds, for the terminal and the window (counts and case numbers, no names)."""
        p = self.package
        out = [f"来自：{p.sender.label}　发给：{p.receiver.label}　制作时间："
               f"{str(p.payload.get('made_at', '')).replace('T', ' ')}　经办：{p.payload.get('staff', '')}"]
        if self.already_imported:
            out.append("这个交换包已经导入过，再导入不会改动任何记录。")
        for kind, label in ((store.CASE, "案件"), (store.PERSON, "当事人")):
            parts = [f"{STATE_LABELS[s]} {self.count(kind, s)}" for s in (NEW, CHANGED, BOTH_ADDED, HERE, CONFLICT,
                                                                         SAME_PERSON, MAYBE_PERSON) if self.count(kind, s)]
            out.append(f"{label}：{'，'.join(parts) or '无'}")
        return out


def _title(unit: dict[str, Any]) -> str:
    if unit["unit"] == store.CASE:
        return str(unit["row"].get("case_no", ""))
    return "当事人"


def _differences(ours: dict[str, Any], theirs: dict[str, Any], sch: store.Schema) -> list[Difference]:
    out: list[Difference] = []
    table0 = "cases" if ours["unit"] == store.CASE else "people"
    for col in sorted(set(ours["row"]) | set(theirs["row"])):
        a, b = ours["row"].get(col), theirs["row"].get(col)
        if col not in _STAMPS and a != b:
            out.append(Difference(table0, col, a, b))
    for table in sorted(set(ours["tables"]) | set(theirs["tables"])):
        a_rows, b_rows = ours["tables"].get(table, []), theirs["tables"].get(table, [])
        info = sch.tables.get(table)
        if info is not None and info.single and len(a_rows) <= 1 and len(b_rows) <= 1:
            ra, rb = (a_rows or [{}])[0], (b_rows or [{}])[0]
            for col in sorted(set(ra) | set(rb)):
                if col not in _STAMPS and ra.get(col) != rb.get(col):
                    out.append(Difference(table, col, ra.get(col), rb.get(col)))
        elif info is not None and info.has_uuid:
            # rows only one office added are all kept; rows both hold that now differ are to be chosen
            theirs_by = {r.get("uuid"): r for r in b_rows}
            differ = sum(1 for r in a_rows if r.get("uuid") in theirs_by and theirs_by[r.get("uuid")] != r)
            if differ:
                out.append(Difference(table, "*", f"{differ}条本处的写法", f"{differ}条对方的写法"))
        elif a_rows != b_rows:
            out.append(Difference(table, "*", f"{len(a_rows)}条", f"{len(b_rows)}条"))
    return out


def _person_fill(ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[dict[str, Any], list[Difference]]:
    """Her row from both offices: a field one side left empty takes the other's; different values conflict."""
    merged = copy.deepcopy(theirs)
    diffs = []
    for col, a in ours["row"].items():
        b = theirs["row"].get(col)
        if col in _STAMPS or a == b:
            continue
        if b in (None, ""):
            merged["row"][col] = a
        elif a not in (None, ""):
            diffs.append(Difference("people", col, a, b))
    return merged, diffs


def preview(ctx: Context, package: Package) -> Preview:
    """What the package would do here; nothing changes."""
    ctx.require("exchange.import")
    with ctx.action() as db:  # identities for rows added since; nothing else is written
        sch = store.schema(db)
        store.fill_uuids(db, sch)
    return _preview(ctx, package, store.schema(ctx.db))


def _preview(ctx: Context, package: Package, sch: store.Schema) -> Preview:
    db = ctx.db
    peer = package.sender.peer_key
    reader = store.Reader(db, sch, peer)
    known = store.known(db, peer)
    units = package.units
    case_uuids = [str(u["uuid"]) for u in units if u["unit"] == store.CASE]
    ours_cases: dict[str, dict[str, Any]] = {}
    for i in range(0, len(case_uuids), 500):
        part = case_uuids[i:i + 500]
        ours_cases.update(reader.cases(f"uuid IN ({','.join('?' * len(part))})", part))
    person_uuids = [str(u["uuid"]) for u in units if u["unit"] == store.PERSON]
    ours_people = reader.people(store.person_ids(db, person_uuids, peer))
    items = []
    for u in units:
        uid, h = str(u["uuid"]), store.unit_hash(u)
        ours = (ours_cases if u["unit"] == store.CASE else ours_people).get(uid)
        item = Item(u, NEW, h, _title(u), ours)
        if ours is None:
            if u["unit"] == store.PERSON:
                match = store.people_matching(db, u["row"])
                if match is not None:
                    item.ours_uuid = match[1]
                    item.ours = reader.people(store.person_ids(db, [match[1]], "")).get(match[1])
                    if item.ours is not None:
                        item.ours["row"]["uuid"] = uid
                        item.ours["uuid"] = uid
                    item.state = SAME_PERSON if match[0] == "id_number" else MAYBE_PERSON
                    if item.ours is not None:
                        item.differences = _person_fill(item.ours, u)[1]
                    if item.state == SAME_PERSON and item.differences:
                        item.state = CONFLICT  # the same woman, written differently here and there: to be chosen
        else:
            c, k = store.unit_hash(ours), known.get(uid)
            if c == h or h == k:
                item.state = HERE
            elif c == k:
                item.state = CHANGED
            elif u["unit"] == store.PERSON and not _person_fill(ours, u)[1]:
                item.state = CHANGED  # only empty fields filled in: nothing to choose
            else:
                item.differences = _differences(ours, u, sch)
                # only rows added on each side (notes, visits …): both kept, nothing to choose
                item.state = CONFLICT if item.differences else BOTH_ADDED
        items.append(item)
    seen = store.package_seen(db, package.id)
    return Preview(package, items, already_imported=seen is not None and seen["direction"] == "in")


# --- merging ------------------------------------------------------------------------------------------------


OURS, THEIRS = "ours", "theirs"


@dataclass
class Imported:
    preview: Preview
    receipt: Path | None
    applied: int
    conflicts_resolved: int
    kept_apart: int


def side_for(ctx: Context, keep: str) -> str:
    """`--keep county|township` as this office sees it: ours or theirs."""
    ctx.require("exchange.import")
    me = store.office(ctx.db)
    if keep not in ("county", "township"):
        raise ValidationError({"keep": "--keep 只能是 county（以县妇联的为准）或 township（以乡镇的为准）"})
    mine = "township" if me.is_township else "county"
    return OURS if keep == mine else THEIRS


def _merge(item: Item, choices: dict[str, str], default: str, sch: store.Schema) -> dict[str, Any]:
    """The unit as the clerk chose, field by field; rows only one office added are all kept."""
    assert item.ours is not None
    if item.kind == store.PERSON:
        merged, _diffs = _person_fill(item.ours, item.unit)
    else:
        merged = copy.deepcopy(item.unit)
    for d in item.differences:
        side = choices.get(f"{d.table}.{d.column}", default)
        if side != OURS:
            continue
        if d.table in ("cases", "people"):
            merged["row"][d.column] = item.ours["row"].get(d.column)
        elif d.column == "*":
            ours_rows = copy.deepcopy(item.ours["tables"].get(d.table, []))
            info = sch.tables.get(d.table)
            if info is not None and info.has_uuid:  # rows both have: ours; rows only one added: kept below
                by_uuid = {r.get("uuid"): r for r in ours_rows}
                merged["tables"][d.table] = [by_uuid.get(r.get("uuid"), r) for r in merged["tables"].get(d.table, [])]
            else:
                merged["tables"][d.table] = ours_rows
        else:
            rows = merged["tables"].setdefault(d.table, [{}])
            if not rows:
                rows.append({})
            rows[0][d.column] = d.ours
    for table, rows in item.ours["tables"].items():  # keep what only we added
        info = sch.tables.get(table)
        if info is None or not info.has_uuid:
            continue
        have = {r.get("uuid") for r in merged["tables"].get(table, [])}
        merged["tables"].setdefault(table, []).extend(r for r in rows if r.get("uuid") not in have)
    return merged


def import_package(ctx: Context, package: Package, *, keep: str | None = None,
                   choices: dict[str, dict[str, str]] | None = None, same_by_phone: bool | set[str] = False,
                   receipt_password: str = "", receipt_folder: Path | None = None) -> Imported:
    """Merge the package in one transaction and write the receipt (next to the package unless told where).

    Conflicts need a decision: `keep` ("ours"/"theirs", see side_for) for all, or `choices` per record uuid and
    field ("cases.summary" → "ours"/"theirs"); without one the package is refused and nothing changes. A person
    found only by name and phone stays a separate person unless `same_by_phone` (True, or the uuids confirmed).
    """
    ctx.require("exchange.import")
    choices = choices or {}
    sch0 = store.schema(ctx.db)
    with ctx.action() as db:
        store.fill_uuids(db, sch0)
        sch = store.schema(db)
        pv = _preview(ctx, package, sch)
        undecided = [i for i in pv.conflicts if keep is None and i.uuid not in choices]
        if undecided:
            raise ValidationError({"conflicts": f"有{len(undecided)}条记录两边都改过，请逐项选择以哪一边为准"
                                                "（命令行用 --keep county 或 --keep township），交换包没有导入。"})
        peer = package.sender.peer_key
        accepted: list[tuple[str, str]] = []
        applied = resolved = apart = 0
        if not pv.already_imported:
            w = store.Writer(db, sch, peer, package.payload.get("refs") or {})
            w.content({sha: base64.b64decode(b) for sha, b in (package.payload.get("content") or {}).items()})
            persons = [i for i in pv.items if i.kind == store.PERSON]
            cases = [i for i in pv.items if i.kind == store.CASE]
            for i in persons:
                confirmed = same_by_phone is True or (isinstance(same_by_phone, set) and i.uuid in same_by_phone)
                if i.state == NEW or (i.state == MAYBE_PERSON and not confirmed):
                    apart += i.state == MAYBE_PERSON
                    w.person(i.unit)
                elif i.state in (SAME_PERSON, MAYBE_PERSON):
                    merged = _merge(i, choices.get(i.uuid, {}), keep or THEIRS, sch)
                    w.person(merged, ours=i.ours_uuid)
                elif i.state == CHANGED:
                    unit = _person_fill(i.ours, i.unit)[0] if i.ours is not None else i.unit
                    w.person(unit)
                elif i.state == CONFLICT:
                    w.person(_merge(i, choices.get(i.uuid, {}), keep or THEIRS, sch), ours=i.ours_uuid or None)
                    resolved += 1
                applied += i.state != HERE
                accepted.append((i.uuid, i.hash))
            todo: list[tuple[Item, dict[str, Any], bool]] = []
            for i in cases:
                if i.state in (NEW, CHANGED):
                    todo.append((i, i.unit, False))
                elif i.state == CONFLICT:
                    todo.append((i, _merge(i, choices.get(i.uuid, {}), keep or THEIRS, sch), True))
                    resolved += 1
                elif i.state == BOTH_ADDED:
                    todo.append((i, _merge(i, {}, THEIRS, sch), True))
                accepted.append((i.uuid, i.hash))
            ids = [(w.case_row(unit), unit, union, i.state == NEW) for i, unit, union in todo]
            for case_id, unit, union, fresh in ids:
                w.case_children(case_id, unit, keep_ours=union, fresh=fresh)
            applied += len(todo)
            store.set_known(db, peer, accepted)
            store.record_package(db, package.id, peer, "in", ctx.clock().isoformat(timespec="seconds"), ctx.staff,
                                 applied)
        else:
            known = store.known(db, peer)
            accepted = [(i.uuid, i.hash) for i in pv.items if known.get(i.uuid) == i.hash]
    receipt = None
    if receipt_password:
        receipt = _write_receipt(ctx, package, accepted, receipt_password, receipt_folder or package.path.parent)
    return Imported(pv, receipt, applied, resolved, apart)


# --- receipts -----------------------------------------------------------------------------------------------


def _write_receipt(ctx: Context, package: Package, accepted: list[tuple[str, str]], password: str,
                  folder: Path) -> Path:
    me = store.office(ctx.db)
    payload = {"format": RECEIPT_FORMAT, "version": VERSION, "package": package.id, "from": me.as_dict(),
               "to": package.sender.as_dict(), "at": ctx.clock().isoformat(timespec="seconds"),
               "accepted": [list(p) for p in accepted]}
    stamp = ctx.clock().strftime("%Y%m%d-%H%M%S")
    path = folder / f"回执_{me.label}_至_{package.sender.label}_{stamp}{RECEIPT_SUFFIX}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(path, _seal(payload, password))
    except OSError as e:
        raise PackageError(f"回执写不进“{folder}”：{e.strerror or e}") from None
    return path


@dataclass
class Acknowledged:
    sender: Office
    records: int
    made_at: str


def read_receipt(ctx: Context, path: Path, password: str) -> Acknowledged:
    """The other office says what it took: the next package starts from there."""
    ctx.require("exchange.export")
    payload = _unseal(path, password, "回执")
    if payload.get("format") != RECEIPT_FORMAT:
        raise PackageError("这不是回执文件（回执由对方导入交换包时生成）。")
    sender = from_dict(payload.get("from"))
    me = store.office(ctx.db)
    made = store.package_seen(ctx.db, str(payload.get("package", "")))
    if sender is None or made is None or made["direction"] != "out" or made["peer"] != sender.peer_key:
        raise PackageError("这个回执不是本单位发出的交换包的回执。")
    if from_dict(payload.get("to")) != me:
        raise PackageError("这个回执是给另一个单位的。")
    pairs = [(str(u), str(h)) for u, h in payload.get("accepted", [])]
    with ctx.action() as db:
        store.set_known(db, sender.peer_key, pairs)
        store.acknowledge(db, str(payload["package"]), ctx.clock().isoformat(timespec="seconds"))
    return Acknowledged(sender, len(pairs), str(made["at"]))


def peers(ctx: Context) -> list[str]:
    """The townships the county exchanges with (its township list)."""
    ctx.require("exchange.export")
    return store.townships(ctx.db)
