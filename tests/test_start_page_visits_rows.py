"""Issue 22, the main window's opening: the start page's 本月走访 rows are the register's first rows due this month
(the overdue included), in the register's order — read without what only the register shows (the members counted,
the cadre, the last visit: three look-ups for each of 200 rows, half the reading at 100,000 cases)."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from fulian_desktop.demo import generate as demo
from fulian_desktop.domain.filters import RegisterFilter
from fulian_desktop.gui.households.household_widgets import VisitsDueBox
from fulian_desktop.services import households
from fulian_desktop.services.context import Context


def _shown(r: Any) -> tuple[object, ...]:
    return r.id, r.case_no, r.list_name, r.names, r.township, r.village, r.due_on


def test_the_visits_due_are_the_registers_first_rows_read_without_its_other_columns(ctx: Context, qtbot: QtBot) -> None:
    demo.generate(ctx, 1500, seed=5)
    register = households.register_page(ctx, RegisterFilter(due="this_month"), limit=1000)
    assert len(register) > 20 and any(r.due_on is not None and r.due_on < ctx.today() for r in register)
    for limit in (1, 7, 20, 1000):
        assert [_shown(r) for r in households.due_this_month(ctx, limit=limit)] == [_shown(r) for r in
                                                                                   register[:limit]]
    asked: list[str] = []
    ctx.db.conn.set_trace_callback(asked.append)
    try:
        households.due_this_month(ctx)
    finally:
        ctx.db.conn.set_trace_callback(None)
    read = " ".join(asked)
    assert "household_members" not in read and "household_cadres" not in read and " visits " not in read, read
    # and the start page's box shows them as before: each with its township and village, earliest first
    box = VisitsDueBox(ctx)
    qtbot.addWidget(box)
    shown = {(row[0], row[2]) for row in box.table.rows()}
    assert {(r.case_no, f"走访 · {r.township}{r.village}") for r in register[:200] if r.due_on is not None} <= shown
