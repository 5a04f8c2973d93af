"""Household rows: care lists, the register, members, cadres, measures, visits and tasks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..domain.dates import from_iso, to_iso
from ..domain.filters import DueVisitRow, RegisterFilter, RegisterRow
from ..domain.household import (
    Cadre,
    CareField,
    CareList,
    Household,
    Measure,
    Member,
    Task,
    Visit,
)
from ..domain.rhythm import Rhythm
from . import cases, keyset, people
from .search import DUE_ORDER

if TYPE_CHECKING:
    import sqlite_utils


def _pk(value: object) -> int:
    assert isinstance(value, int), "insert returned no row id"
    return value


# --- care lists ---------------------------------------------------------------------------------

_LIST_COLUMNS = "id, name, unit, fields, rhythm_unit, rhythm_every, position, active"


def _care_list(r: Sequence[Any]) -> CareList:
    return CareList(
        id=r[0], name=r[1], unit=r[2], fields=[CareField.from_json(f) for f in json.loads(r[3])],
        rhythm_unit=r[4], rhythm_every=r[5], position=r[6], active=bool(r[7]),
    )


def care_lists(db: sqlite_utils.Database, include_inactive: bool = False) -> list[CareList]:
    where = "" if include_inactive else " WHERE active = 1"
    return [_care_list(r) for r in db.execute(
        f"SELECT {_LIST_COLUMNS} FROM care_lists{where} ORDER BY position, id").fetchall()]


def care_list(db: sqlite_utils.Database, list_id: int) -> CareList | None:
    r = db.execute(f"SELECT {_LIST_COLUMNS} FROM care_lists WHERE id = ?", [list_id]).fetchone()
    return _care_list(r) if r else None


def save_care_list(db: sqlite_utils.Database, c: CareList) -> int:
    values = {
        "name": c.name, "unit": c.unit, "fields": json.dumps([f.to_json() for f in c.fields], ensure_ascii=False),
        "rhythm_unit": c.rhythm_unit, "rhythm_every": c.rhythm_every, "active": int(c.active),
    }
    if c.id is None:
        values["position"] = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM care_lists").fetchone()[0]
        return _pk(db.table("care_lists").insert(values).last_pk)
    db.table("care_lists").update(c.id, values)
    return c.id


def entries_in_list(db: sqlite_utils.Database, list_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM households WHERE list_id = ?", [list_id]).fetchone()[0])


# --- the household row and its members ----------------------------------------------------------

def insert(db: sqlite_utils.Database, case_id: int, h: Household) -> None:
    assert h.rhythm is not None
    db.table("households").insert({
        "case_id": case_id, "list_id": h.list_id, "address": h.address, "household_type": h.household_type,
        "causes": json.dumps(h.causes, ensure_ascii=False), "extra": json.dumps(h.extra, ensure_ascii=False),
        "rhythm_unit": h.rhythm.unit, "rhythm_every": h.rhythm.every, "rhythm_start": to_iso(h.rhythm.start),
        "notes": h.notes,
    })


def update(db: sqlite_utils.Database, case_id: int, **fields: Any) -> None:
    for key, value in list(fields.items()):
        if isinstance(value, dt.date):
            fields[key] = to_iso(value)
        elif isinstance(value, (list, dict)):
            fields[key] = json.dumps(value, ensure_ascii=False)
    db.table("households").update(case_id, fields)


def set_rhythm(db: sqlite_utils.Database, case_id: int, r: Rhythm) -> None:
    update(db, case_id, rhythm_unit=r.unit, rhythm_every=r.every, rhythm_start=r.start)


def replace_members(db: sqlite_utils.Database, case_id: int, members: list[tuple[int, Member]]) -> None:
    """The members in order (the head first), as (person id, member)."""
    db.execute("DELETE FROM household_members WHERE case_id = ?", [case_id])
    db.execute("DELETE FROM case_people WHERE case_id = ? AND role IN ('head', 'member')", [case_id])
    for pos, (person_id, m) in enumerate(members):
        db.execute(
            """INSERT OR IGNORE INTO household_members (case_id, person_id, relation, health, work_ability,
                   schooling, disability_card, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [case_id, person_id, m.relation, m.health, m.work_ability, m.schooling, m.disability_card, pos],
        )
        cases.add_person(db, case_id, person_id, "head" if pos == 0 else "member", pos)


def members_of(db: sqlite_utils.Database, case_id: int) -> list[Member]:
    rows = db.execute(
        """SELECT person_id, relation, health, work_ability, schooling, disability_card
           FROM household_members WHERE case_id = ? ORDER BY position, id""",
        [case_id],
    ).fetchall()
    return [Member(person=people.in_case(db, r[0], case_id), relation=r[1], health=r[2], work_ability=r[3],
                   schooling=r[4], disability_card=r[5]) for r in rows]


def update_member(db: sqlite_utils.Database, case_id: int, person_id: int, **fields: Any) -> None:
    """A member's part in this household (relation, health …); her person record is corrected apart."""
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        db.execute(f"UPDATE household_members SET {sets} WHERE case_id = ? AND person_id = ?",
                   [*fields.values(), case_id, person_id])


def add_member(db: sqlite_utils.Database, case_id: int, person_id: int, m: Member) -> None:
    """A member added by a correction, after the others (her case_people row comes with her person record)."""
    pos = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM household_members WHERE case_id = ?",
                     [case_id]).fetchone()[0]
    db.execute(
        """INSERT INTO household_members (case_id, person_id, relation, health, work_ability, schooling,
               disability_card, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [case_id, person_id, m.relation, m.health, m.work_ability, m.schooling, m.disability_card, pos],
    )


def remove_member(db: sqlite_utils.Database, case_id: int, person_id: int) -> None:
    db.execute("DELETE FROM household_members WHERE case_id = ? AND person_id = ?", [case_id, person_id])


def relink_member(db: sqlite_utils.Database, case_id: int, old_id: int, new_id: int) -> None:
    """The member was someone already on file: the household names her record instead."""
    db.execute("UPDATE household_members SET person_id = ? WHERE case_id = ? AND person_id = ?",
               [new_id, case_id, old_id])


# --- cadres and measures ------------------------------------------------------------------------

def add_cadre(db: sqlite_utils.Database, case_id: int, c: Cadre, now: dt.datetime, staff: str) -> int:
    return _pk(db.table("household_cadres").insert({
        "case_id": case_id, "name": c.name, "unit": c.unit, "level": c.level, "phone": c.phone,
        "from_date": to_iso(c.from_date), "recorded_at": now.isoformat(timespec="seconds"), "recorded_by": staff,
    }).last_pk)


def cadres_of(db: sqlite_utils.Database, case_id: int) -> list[Cadre]:
    """Oldest first; the last one is the current cadre."""
    return [
        Cadre(id=r[0], name=r[1], unit=r[2], level=r[3], phone=r[4], from_date=from_iso(r[5]), recorded_by=r[6])
        for r in db.execute(
            """SELECT id, name, unit, level, phone, from_date, recorded_by FROM household_cadres
               WHERE case_id = ? ORDER BY from_date, id""",
            [case_id],
        ).fetchall()
    ]


def add_measure(db: sqlite_utils.Database, case_id: int, m: Measure, now: dt.datetime) -> int:
    return _pk(db.table("household_measures").insert({
        "case_id": case_id, "kind": m.kind, "detail": m.detail, "helping_unit": m.helping_unit,
        "on_date": to_iso(m.on_date), "amount_fen": m.amount_fen, "benefit": m.benefit,
        "recorded_at": now.isoformat(timespec="seconds"),
    }).last_pk)


def measures_of(db: sqlite_utils.Database, case_id: int) -> list[Measure]:
    return [
        Measure(id=r[0], kind=r[1], detail=r[2], helping_unit=r[3], on_date=from_iso(r[4]), amount_fen=r[5],
                benefit=r[6])
        for r in db.execute(
            """SELECT id, kind, detail, helping_unit, on_date, amount_fen, benefit FROM household_measures
               WHERE case_id = ? ORDER BY on_date, id""",
            [case_id],
        ).fetchall()
    ]


# --- visits and tasks ---------------------------------------------------------------------------

_VISIT_COLUMNS = """v.id, v.case_id, v.visited_on, v.visitors, v.kind, v.cash_fen, v.goods, v.goods_fen, v.seen,
    v.asked, v.promised, v.staff, v.opened_case_id, oc.case_no,
    (SELECT MIN(t.due_on) FROM tasks t WHERE t.visit_id = v.id)"""


def _visit(r: Sequence[Any]) -> Visit:
    return Visit(
        id=r[0], case_id=r[1], visited_on=from_iso(r[2]),  # type: ignore[arg-type]
        visitors=r[3], kind=r[4], cash_fen=r[5], goods=r[6], goods_fen=r[7], seen=r[8], asked=r[9],
        promised=r[10], staff=r[11], opened_case_id=r[12], opened_case_no=r[13] or "",
        promise_due=from_iso(r[14]),
    )


def insert_visit(db: sqlite_utils.Database, case_id: int, v: Visit, staff: str, now: dt.datetime) -> int:
    return _pk(db.table("visits").insert({
        "case_id": case_id, "visited_on": to_iso(v.visited_on), "visitors": v.visitors, "kind": v.kind,
        "cash_fen": v.cash_fen, "goods": v.goods, "goods_fen": v.goods_fen, "seen": v.seen, "asked": v.asked,
        "promised": v.promised, "finding": v.finding.kind if v.finding else "", "staff": staff,
        "created_at": now.isoformat(timespec="seconds"),
    }).last_pk)


def update_visit(db: sqlite_utils.Database, visit_id: int, **fields: Any) -> None:
    """Only the fields given (a correction)."""
    if fields:
        db.table("visits").update(visit_id, {k: to_iso(v) if isinstance(v, dt.date) else v for k, v in fields.items()})


def set_visit_case(db: sqlite_utils.Database, visit_id: int, opened_case_id: int) -> None:
    db.execute("UPDATE visits SET opened_case_id = ? WHERE id = ?", [opened_case_id, visit_id])


def visits_of(db: sqlite_utils.Database, case_id: int) -> list[Visit]:
    """Newest first."""
    return [_visit(r) for r in db.execute(
        f"""SELECT {_VISIT_COLUMNS} FROM visits v LEFT JOIN cases oc ON oc.id = v.opened_case_id
            WHERE v.case_id = ? ORDER BY v.visited_on DESC, v.id DESC""",
        [case_id],
    ).fetchall()]


def visit(db: sqlite_utils.Database, visit_id: int) -> Visit | None:
    r = db.execute(
        f"""SELECT {_VISIT_COLUMNS} FROM visits v LEFT JOIN cases oc ON oc.id = v.opened_case_id
            WHERE v.id = ?""",
        [visit_id],
    ).fetchone()
    return _visit(r) if r else None


def visit_dates(db: sqlite_utils.Database, case_id: int) -> list[dt.date]:
    return [dt.date.fromisoformat(r[0]) for r in db.execute(
        "SELECT visited_on FROM visits WHERE case_id = ? ORDER BY visited_on", [case_id]).fetchall()]


def insert_task(db: sqlite_utils.Database, t: Task, staff: str, now: dt.datetime) -> int:
    return _pk(db.table("tasks").insert({
        "case_id": t.case_id, "visit_id": t.visit_id, "title": t.title, "due_on": to_iso(t.due_on),
        "staff": staff, "created_at": now.isoformat(timespec="seconds"),
    }).last_pk)


_TASK_COLUMNS = "t.id, t.case_id, t.visit_id, t.title, t.due_on, t.done_on, t.done_note, c.case_no, c.names"


def _task(r: Sequence[Any]) -> Task:
    return Task(id=r[0], case_id=r[1], visit_id=r[2], title=r[3], due_on=from_iso(r[4]),  # type: ignore[arg-type]
                done_on=from_iso(r[5]), done_note=r[6], case_no=r[7] or "", names=r[8] or "")


def tasks_of(db: sqlite_utils.Database, case_id: int) -> list[Task]:
    """Open ones first (by date), then the done ones (newest first)."""
    return [_task(r) for r in db.execute(
        f"""SELECT {_TASK_COLUMNS} FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.case_id = ?
            ORDER BY t.done_on IS NOT NULL, CASE WHEN t.done_on IS NULL THEN t.due_on END,
                     t.done_on DESC, t.id""",
        [case_id],
    ).fetchall()]


def task(db: sqlite_utils.Database, task_id: int) -> Task | None:
    r = db.execute(f"SELECT {_TASK_COLUMNS} FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.id = ?",
                   [task_id]).fetchone()
    return _task(r) if r else None


def open_tasks(db: sqlite_utils.Database, until: dt.date | None = None, limit: int = 200) -> list[Task]:
    """Open tasks by date, those due by `until` (all when None)."""
    cond, params = ("AND t.due_on <= ?", [to_iso(until)]) if until else ("", [])
    return [_task(r) for r in db.execute(
        f"""SELECT {_TASK_COLUMNS} FROM tasks t LEFT JOIN cases c ON c.id = t.case_id
            WHERE t.done_on IS NULL {cond} ORDER BY t.due_on, t.id LIMIT ?""",
        [*params, limit],
    ).fetchall()]


def count_open_tasks(db: sqlite_utils.Database, until: dt.date | None = None) -> int:
    cond, params = ("AND due_on <= ?", [to_iso(until)]) if until else ("", [])
    return int(db.execute(f"SELECT COUNT(*) FROM tasks WHERE done_on IS NULL {cond}", params).fetchone()[0])


def visit_tasks(db: sqlite_utils.Database, visit_id: int) -> list[Task]:
    """The follow-ups a visit promised (one, normally)."""
    return [_task(r) for r in db.execute(
        f"SELECT {_TASK_COLUMNS} FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.visit_id = ? ORDER BY t.id",
        [visit_id],
    ).fetchall()]


def update_task(db: sqlite_utils.Database, task_id: int, title: str, due_on: dt.date) -> None:
    db.execute("UPDATE tasks SET title = ?, due_on = ? WHERE id = ?", [title, to_iso(due_on), task_id])


def remove_task(db: sqlite_utils.Database, task_id: int) -> None:
    db.execute("DELETE FROM tasks WHERE id = ?", [task_id])


def complete_task(db: sqlite_utils.Database, task_id: int, on: dt.date, note: str) -> None:
    db.execute("UPDATE tasks SET done_on = ?, done_note = ? WHERE id = ?", [to_iso(on), note, task_id])


# --- loading a household ------------------------------------------------------------------------

def load(db: sqlite_utils.Database, case_id: int) -> Household | None:
    r = db.execute(
        """SELECT c.case_no, c.status, c.received_on, c.township, c.village, c.due_on, h.list_id, h.address,
                  h.household_type, h.causes, h.extra, h.rhythm_unit, h.rhythm_every, h.rhythm_start,
                  h.lifted_on, h.exited_on, h.exit_reason, h.notes
           FROM cases c JOIN households h ON h.case_id = c.id WHERE c.id = ?""",
        [case_id],
    ).fetchone()
    if r is None:
        return None
    everyone = members_of(db, case_id)
    head, members = everyone[0], everyone[1:]
    return Household(
        id=case_id, case_no=r[0], status=r[1], received_on=from_iso(r[2]),  # type: ignore[arg-type]
        township=r[3], village=r[4], next_due=from_iso(r[5]), list_id=r[6], address=r[7], household_type=r[8],
        causes=json.loads(r[9]), extra=json.loads(r[10]),
        rhythm=Rhythm(r[11], r[12], dt.date.fromisoformat(r[13])), lifted_on=from_iso(r[14]),
        exited_on=from_iso(r[15]), exit_reason=r[16], notes=r[17], head=head, members=members,
        care_list=care_list(db, r[6]), cadres=cadres_of(db, case_id), measures=measures_of(db, case_id),
        visits=visits_of(db, case_id), tasks=tasks_of(db, case_id), timeline=cases.timeline_of(db, case_id),
        links=cases.links_of(db, case_id),
    )


# --- the register -------------------------------------------------------------------------------

_REGISTER_SELECT = """
    SELECT c.id, c.case_no, l.name, l.unit, c.names,
           (SELECT COUNT(*) FROM household_members m WHERE m.case_id = c.id),
           c.township, c.village, h.household_type,
           (SELECT k.name FROM household_cadres k WHERE k.case_id = c.id ORDER BY k.from_date DESC, k.id DESC
            LIMIT 1),
           h.rhythm_unit, h.rhythm_every, h.rhythm_start,
           (SELECT MAX(v.visited_on) FROM visits v WHERE v.case_id = c.id),
           CASE WHEN c.is_open THEN c.due_on END, c.status
    FROM cases c JOIN households h ON h.case_id = c.id JOIN care_lists l ON l.id = h.list_id"""


def _register_row(r: Sequence[Any]) -> RegisterRow:
    return RegisterRow(
        id=r[0], case_no=r[1], list_name=r[2], unit=r[3], names=r[4], size=r[5], township=r[6], village=r[7],
        household_type=r[8], cadre=r[9] or "", rhythm=Rhythm(r[10], r[11], dt.date.fromisoformat(r[12])),
        last_visit=from_iso(r[13]), due_on=from_iso(r[14]), status=r[15],
    )


def _register_where(f: RegisterFilter) -> tuple[str, list[Any]]:
    conds = ["c.kind = 'household'"]
    params: list[Any] = []
    if f.list_id is not None:
        conds.append("h.list_id = ?")
        params.append(f.list_id)
    if f.township:
        conds.append("c.township = ?")
        params.append(f.township)
    if f.status == "open":
        conds.append("c.is_open = 1")
    elif f.status:
        conds.append("c.status = ?")
        params.append(f.status)
    if f.due and f.today:
        if f.due == "overdue":
            conds.append("c.is_open = 1 AND c.due_on < ?")
            params.append(to_iso(f.today))
        else:
            from ..domain.rhythm import month_bounds

            conds.append("c.is_open = 1 AND c.due_on <= ?")
            params.append(to_iso(month_bounds(f.today.year, f.today.month)[1]))
    for term in f.text.split():
        like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append(
            """(c.case_no LIKE ? ESCAPE '\\' OR c.village LIKE ? ESCAPE '\\' OR c.id IN (
                   SELECT m.case_id FROM household_members m JOIN people p ON p.id = m.person_id
                   WHERE p.name LIKE ? ESCAPE '\\' OR p.pinyin LIKE ? ESCAPE '\\')
                OR c.id IN (SELECT k.case_id FROM household_cadres k WHERE k.name LIKE ? ESCAPE '\\'))"""
        )
        params += [like, like, like, like, like]
    return " WHERE " + " AND ".join(conds), params


REGISTER_SORTS = {  # each ends with the id: no two rows tie (store/keyset.py)
    "due_on": "c.is_open DESC, c.due_on IS NULL, c.due_on {d}, c.id",
    "case_no": "c.year {d}, c.seq {d}, c.id",
    "names": "c.names {d}, c.id",
    "township": "c.township {d}, c.village {d}, c.id",
    "list": "l.position {d}, c.id",
    "last_visit": "14 {d}, c.id",  # (a column of the select: read by its place, not on from a row)
    "status": "c.status {d}, c.id",
}
_REGISTER_FROM = "cases c JOIN households h ON h.case_id = c.id JOIN care_lists l ON l.id = h.list_id"


def count_register(db: sqlite_utils.Database, f: RegisterFilter) -> int:
    where, params = _register_where(f)
    return int(db.execute(
        f"SELECT COUNT(*) FROM cases c JOIN households h ON h.case_id = c.id{where}", params).fetchone()[0])


def register_rows(
    db: sqlite_utils.Database, f: RegisterFilter, sort: str = "due_on", descending: bool = False,
    limit: int = 200, offset: int = 0, *, after: int | None = None, before: int | None = None,
    from_end: bool = False,
) -> list[RegisterRow]:
    """A page of the register: at `offset` (from the end when `from_end`), or just after / before the row of
    that case (already shown), read on in order."""
    where, params = _register_where(f)
    order = _register_order(f, sort, descending)
    keys = {}
    if not order.columns[0][0].isdigit():  # (the last visit is sorted by its place in the select)
        for name, case_id in (("after", after), ("before", before)):
            key = keyset.key_of(db, _REGISTER_FROM, "c.id", order, case_id) if case_id is not None else None
            if key is not None:
                keys[name] = key
    if (after is not None or before is not None) and not keys:
        keys = {}  # that row is gone, or the order is by a place in the select: the page by its place (`offset`)
    return [_register_row(r) for r in keyset.page(db, _REGISTER_SELECT, where, params, order, limit, offset,
                                                   from_end=from_end, **keys)]


def _register_order(f: RegisterFilter, sort: str, descending: bool) -> keyset.Order:
    return keyset.Order.parse((DUE_ORDER if sort == "due_on" and f.due and f.today else
                               REGISTER_SORTS.get(sort, REGISTER_SORTS["due_on"])).format(
        d="DESC" if descending else "ASC"), frozenset({"c.due_on"}))


_DUE_SELECT = """
    SELECT c.id, c.case_no, l.name, c.names, c.township, c.village, CASE WHEN c.is_open THEN c.due_on END
    FROM cases c JOIN households h ON h.case_id = c.id JOIN care_lists l ON l.id = h.list_id"""


def due_rows(db: sqlite_utils.Database, f: RegisterFilter, limit: int) -> list[DueVisitRow]:
    """The register's first `limit` rows of `f` (due this month, or overdue), in the register's order (the earliest
    due first), with only what the start page shows of each: what the register adds took half the start page's
    reading of them (200 rows at 100,000 cases: ≈ 12 → 6 ms)."""
    where, params = _register_where(f)
    return [DueVisitRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], from_iso(r[6]))
            for r in keyset.page(db, _DUE_SELECT, where, params, _register_order(f, "due_on", False), limit)]


def register_row(db: sqlite_utils.Database, case_id: int) -> RegisterRow | None:
    r = db.execute(f"{_REGISTER_SELECT} WHERE c.id = ?", [case_id]).fetchone()
    return _register_row(r) if r else None


def visits_between(db: sqlite_utils.Database, first: dt.date, last: dt.date) -> dict[int, list[Visit]]:
    """Every visit from `first` to `last`, by case id (oldest first)."""
    out: dict[int, list[Visit]] = {}
    for r in db.execute(
        f"""SELECT {_VISIT_COLUMNS} FROM visits v LEFT JOIN cases oc ON oc.id = v.opened_case_id
            WHERE v.visited_on BETWEEN ? AND ? ORDER BY v.visited_on, v.id""",
        [to_iso(first), to_iso(last)],
    ).fetchall():
        v = _visit(r)
        assert v.case_id is not None
        out.setdefault(v.case_id, []).append(v)
    return out


# --- counts for the statistics ------------------------------------------------------------------

def visit_counts(
    db: sqlite_utils.Database, first: dt.date, last: dt.date, list_id: int | None = None
) -> list[tuple[str, int, int, int, int]]:
    """Per township: (township, visits 户次, households visited, cash fen, goods fen)."""
    cond, params = ("AND h.list_id = ?", [list_id]) if list_id is not None else ("", [])
    return [
        (r[0], r[1], r[2], r[3], r[4])
        for r in db.execute(
            f"""SELECT c.township, COUNT(*), COUNT(DISTINCT v.case_id), COALESCE(SUM(v.cash_fen), 0),
                       COALESCE(SUM(v.goods_fen), 0)
                FROM visits v JOIN cases c ON c.id = v.case_id JOIN households h ON h.case_id = c.id
                WHERE v.visited_on BETWEEN ? AND ? {cond}
                GROUP BY c.township ORDER BY c.township""",
            [to_iso(first), to_iso(last), *params],
        ).fetchall()
    ]


def visit_totals(
    db: sqlite_utils.Database, first: dt.date, last: dt.date, list_id: int | None = None
) -> tuple[int, int, int, int, dict[str, int]]:
    """(visits, households visited, cash fen, goods fen, visits by kind) over the period."""
    cond, params = ("AND h.list_id = ?", [list_id]) if list_id is not None else ("", [])
    base = f"""FROM visits v JOIN households h ON h.case_id = v.case_id
               WHERE v.visited_on BETWEEN ? AND ? {cond}"""
    args = [to_iso(first), to_iso(last), *params]
    r = db.execute(
        f"""SELECT COUNT(*), COUNT(DISTINCT v.case_id), COALESCE(SUM(v.cash_fen), 0),
                   COALESCE(SUM(v.goods_fen), 0) {base}""", args).fetchone()
    kinds = {k: n for k, n in db.execute(f"SELECT v.kind, COUNT(*) {base} GROUP BY v.kind", args).fetchall()}
    return r[0], r[1], r[2], r[3], kinds
