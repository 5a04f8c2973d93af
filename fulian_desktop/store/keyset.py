"""Pages of a sorted list read in order from an index, without OFFSET: the page after (or before) a row already
shown, and the last pages counted from the end.

An order is a list of SQL expressions, each ascending or descending, ending with the row's id, so that no two
rows tie. The rows after a given row are the union of one range per column — equal on the columns before it,
beyond it on that column — each read from the index of the order (migration 0025) and stopped at the page's
length; deepest first, they come one after the other in the order itself. NULL sorts first, as in SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class Order:
    columns: tuple[tuple[str, bool], ...]  # (SQL expression, descending); the last one is unique
    nullable: frozenset[str] = frozenset()  # the expressions that may be NULL

    @classmethod
    def parse(cls, sql: str, nullable: frozenset[str] = frozenset()) -> Order:
        """"c.year DESC, c.kind, c.seq DESC" (no commas inside an expression)."""
        columns = []
        for part in sql.split(","):
            words = part.split()
            descending = words[-1].upper() == "DESC"
            if words[-1].upper() in ("ASC", "DESC"):
                words = words[:-1]
            columns.append((" ".join(words), descending))
        return cls(tuple(columns), nullable)

    def sql(self) -> str:
        return ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in self.columns)

    def reversed(self) -> Order:
        return Order(tuple((e, not d) for e, d in self.columns), self.nullable)

    def expressions(self) -> str:
        return ", ".join(e for e, _d in self.columns)


def _beyond(expr: str, descending: bool, value: object, nullable: bool) -> tuple[str, list[Any]]:
    """The rows that come after `value` on this column (NULL first when ascending, last when descending)."""
    if value is None:
        return (f"({expr}) IS NOT NULL", []) if not descending else ("0", [])
    if descending and nullable:
        return f"(({expr}) < ? OR ({expr}) IS NULL)", [value]
    return f"({expr}) {'<' if descending else '>'} ?", [value]


def branches(order: Order, key: Sequence[object]) -> list[tuple[str, list[Any], Order]]:
    """The conditions whose union is every row after the row with these key values, deepest first (each an
    equality on the columns before one and a range on that one, which its index answers in order), with the
    order within each: the columns from that one on (the ones before are equal)."""
    out = []
    for depth in range(len(order.columns) - 1, -1, -1):
        conds: list[str] = []
        params: list[Any] = []
        for (expr, _d), value in zip(order.columns[:depth], key[:depth], strict=True):
            if value is None:
                conds.append(f"({expr}) IS NULL")
            else:
                conds.append(f"({expr}) = ?")
                params.append(value)
        expr, descending = order.columns[depth]
        cond, p = _beyond(expr, descending, key[depth], expr in order.nullable)
        out.append((" AND ".join([*conds, cond]), params + p, Order(order.columns[depth:], order.nullable)))
    return out


def key_of(db: sqlite_utils.Database, from_sql: str, id_expr: str, order: Order, row_id: int) -> tuple[Any, ...] | None:
    """The key values of one row (None when it is gone)."""
    row = db.execute(f"SELECT {order.expressions()} FROM {from_sql} WHERE {id_expr} = ?", [row_id]).fetchone()
    return tuple(row) if row is not None else None


def _and(where: str, cond: str) -> str:
    return f"{where} AND ({cond})" if where else f" WHERE {cond}"


def page(
    db: sqlite_utils.Database,
    select: str,
    where: str,
    params: Sequence[Any],
    order: Order,
    limit: int,
    offset: int = 0,
    *,
    after: Sequence[object] | None = None,
    before: Sequence[object] | None = None,
    from_end: bool = False,
) -> list[Any]:
    """`limit` rows of `select` + `where` in `order`: after the row with key `after`, before the row with key
    `before` (both read from the index), or at `offset` — counted from the end when `from_end`."""
    if before is not None:
        return page(db, select, where, params, order.reversed(), limit, after=before)[::-1]
    if from_end:
        return page(db, select, where, params, order.reversed(), limit, offset)[::-1]
    if after is None:
        return list(db.execute(f"{select}{where} ORDER BY {order.sql()} LIMIT ? OFFSET ?",
                               [*params, limit, offset]).fetchall())
    rows: list[Any] = []
    for cond, p, within in branches(order, after):
        rows += db.execute(f"{select}{_and(where, cond)} ORDER BY {within.sql()} LIMIT ?",
                           [*params, *p, limit - len(rows)]).fetchall()
        if len(rows) >= limit:
            break
    return rows
