"""The statistics of one township, and the townships side by side (issue 24: the county as a whole, one township,
or compare townships).

One township's figures are reports/statistics.py's own, computed over the database seen as that township's: while
`one_township` holds, every table whose rows belong to a case (store/exchange.schema finds them from the foreign
keys: visits, mediations, police contacts, orders …) and the cases themselves are read through temporary views
holding only that township's rows (the cases and the tables whose indexes the statistics name: temporary copies
with the same indexes). So every figure — the period's cases, the visits by their day, the papers by the day
they were issued — is the township's by the one definition the county's figures use, and a case is counted in
exactly one township (its 乡镇). Temporary tables and views live in this connection only (in memory) and write nothing to the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..store import exchange as exchange_store
from ..store import lists as list_store
from .statistics import Comparison, Money, Period, Statistics, Table, compare, compute

if TYPE_CHECKING:
    import sqlite_utils

NO_TOWNSHIP = "（未填乡镇）"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# the tables whose indexes the statistics name (INDEXED BY): copied with their indexes; the others are read through
# views (a view has no index of its own to name), which copy nothing
COPIED = {"cases", "petitions", "referrals", "mediations"}
_INDEX = re.compile(r'^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?("[^"]+"|\S+)\s+ON\s', re.I)


@contextmanager
def one_township(db: sqlite_utils.Database, township: str) -> Iterator[None]:
    """The database read as `township`'s alone until the block ends (see the module's note)."""
    sch = exchange_store.schema(db)
    where = f"township = {_quoted(township)}"
    made: list[tuple[str, str]] = []
    try:
        for table in ["cases", *sch.case_children]:
            owner = sch.tables[table].owner
            rows = where if table == "cases" else f'"{owner}" IN (SELECT id FROM temp."cases")'
            if table not in COPIED:
                db.execute(f'CREATE TEMP VIEW "{table}" AS SELECT * FROM main."{table}" WHERE {rows}')
                made.append(("VIEW", table))
                continue
            db.execute(f'CREATE TEMP TABLE "{table}" AS SELECT * FROM main."{table}" WHERE {rows}')
            made.append(("TABLE", table))
            # the same indexes (the statistics name some of them: INDEXED BY), and the row number's
            if "id" in sch.tables[table].columns:
                db.execute(f'CREATE INDEX temp."{table}__id" ON "{table}" (id)')
            for (sql,) in db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                     "AND sql IS NOT NULL", [table]).fetchall():
                m = _INDEX.match(str(sql))
                if m is not None:
                    name = m.group(3).strip('"')
                    db.execute(f'CREATE INDEX temp."{name}" ON ' + str(sql)[m.end():])
        yield
    finally:
        for kind, table in reversed(made):
            db.execute(f'DROP {kind} IF EXISTS temp."{table}"')


def township_compare(db: sqlite_utils.Database, p: Period, township: str) -> Comparison:
    """statistics.compare for one township."""
    with one_township(db, township):
        return compare(db, p)


def townships(db: sqlite_utils.Database) -> list[str]:
    """The county's townships in the list's order, then any other a case of the period names."""
    return list_store.values(db, "township")


# what the comparison shows of each township: (heading, figure)
COLUMNS: list[tuple[str, str]] = [
    ("信访（件）", "petitions"), ("其中家暴（件）", "petitions_dv"), ("转介（件）", "referrals"),
    ("调解（起）", "mediations"), ("调解成功（起）", "mediations_resolved"), ("涉家暴案件", "dv_cases"),
    ("走访慰问（户次）", "visits"), ("走访（户）", "households"), ("慰问金（元）", "cash"),
]


def _figure(s: Statistics, key: str) -> int:
    return {
        "petitions": s.petitions.total, "petitions_dv": s.petitions.dv, "referrals": s.referrals.total,
        "mediations": s.mediations.accepted, "mediations_resolved": s.mediations.resolved, "dv_cases": s.dv.cases,
        "visits": s.visits.visits, "households": s.visits.households, "cash": s.visits.cash_fen,
    }[key]


def _shown(key: str, value: int) -> object:
    return Money(value) if key == "cash" else value


def comparison_table(db: sqlite_utils.Database, p: Period) -> Table:
    """Each township's figures side by side, and the county's total: each case counted once (in its township);
    cases with no township, or one not on the list, in a row of their own so that the rows add up to the total."""
    listed = townships(db)
    others = [str(r[0]) for r in db.execute(
        "SELECT DISTINCT township FROM cases WHERE received_on BETWEEN ? AND ? ORDER BY township",
        [p.first.isoformat(), p.last.isoformat()]) if str(r[0]) not in listed]
    rows: list[list[object]] = []
    for name in [*listed, *others]:
        with one_township(db, name):
            s = compute(db, p)
        rows.append([name or NO_TOWNSHIP, *(_shown(k, _figure(s, k)) for _h, k in COLUMNS)])
    total = compute(db, p)
    rows.append(["合计（全县）", *(_shown(k, _figure(total, k)) for _h, k in COLUMNS)])
    return Table("townships", f"各乡镇对比（{p.label}）", ["乡镇", *(h for h, _k in COLUMNS)], rows,
                 note="每件案件只计入它所属的乡镇一次；合计为全县，等于各乡镇之和。走访、慰问金按走访日期计。")
