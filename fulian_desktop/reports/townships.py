"""The statistics of one township, and the townships side by side (issue 24: the county as a whole, one township,
or compare townships).

One township's figures are reports/statistics.py's own, computed with the township given: every query keeps the
township's cases and the records that belong to them (visits, mediations, police contacts, orders … by their case),
so every figure — the period's cases, the visits by their day, the papers by the day they were issued — is the
township's by the one definition the county's figures use, and a case is counted in exactly one township (its 乡镇).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import lists as list_store
from .statistics import Comparison, Money, Period, Statistics, Table, compare, compute

if TYPE_CHECKING:
    import sqlite_utils

NO_TOWNSHIP = "（未填乡镇）"


def township_compare(db: sqlite_utils.Database, p: Period, township: str,
                     beside: sqlite_utils.Database | None = None) -> Comparison:
    """statistics.compare for one township (with `beside`, a second connection: both periods at once)."""
    return compare(db, p, township, beside)


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
        s = compute(db, p, name)
        rows.append([name or NO_TOWNSHIP, *(_shown(k, _figure(s, k)) for _h, k in COLUMNS)])
    total = compute(db, p)
    rows.append(["合计（全县）", *(_shown(k, _figure(total, k)) for _h, k in COLUMNS)])
    return Table("townships", f"各乡镇对比（{p.label}）", ["乡镇", *(h for h, _k in COLUMNS)], rows,
                 note="每件案件只计入它所属的乡镇一次；合计为全县，等于各乡镇之和。走访、慰问金按走访日期计。")
