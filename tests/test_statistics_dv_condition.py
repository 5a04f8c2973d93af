"""The statistics ask whether a case is about domestic violence of its own record only (store/protection
.dv_condition_of: a petition's tick, a referral's matter or victim, a mediation's dispute type, or the case filed under
家庭暴力), not of the three tables (DV_CONDITION): the same cases, whichever way it is asked (issue 22)."""

from __future__ import annotations

from fulian_desktop.services.context import Context
from fulian_desktop.store.protection import DV_CONDITION, DV_CONDITION_INDEXED, dv_condition_of

from .report_data import fill

KINDS = {"petition": "petitions", "referral": "referrals", "mediation": "mediations"}


def _ids(ctx: Context, sql: str, kind: str) -> set[int]:
    return {int(r[0]) for r in ctx.db.execute(sql, [kind]).fetchall()}


def test_a_case_is_about_domestic_violence_by_its_own_record_as_by_all_three(ctx: Context) -> None:
    fill(ctx, petitions=120, n_referrals=30, n_mediations=30)
    # every way a record says it, each alone: a referral whose victim only says it (its matter another), a petition
    # filed under 家庭暴力 without the tick, a mediation of a 家庭暴力 dispute under another category
    ctx.db.execute("""UPDATE referrals SET matter = '离婚', victim_of = '家庭暴力'
                      WHERE case_id = (SELECT MIN(case_id) FROM referrals)""")
    ctx.db.execute("""UPDATE petitions SET dv = 0 WHERE case_id = (SELECT MIN(c.id) FROM cases c
                      WHERE c.kind = 'petition' AND c.subcategory = '家庭暴力')""")
    ctx.db.execute("""UPDATE cases SET subcategory = '其他' WHERE id = (SELECT MIN(case_id) FROM mediations
                      WHERE dispute_type = '家庭暴力')""")
    ctx.db.conn.commit()
    for kind, table in KINDS.items():
        every = f"SELECT c.id FROM cases c WHERE c.kind = ? AND ({DV_CONDITION})"
        indexed = f"SELECT c.id FROM cases c WHERE c.kind = ? AND ({DV_CONDITION_INDEXED})"
        own = f"SELECT c.id FROM cases c JOIN {table} x ON x.case_id = c.id WHERE c.kind = ? AND ({dv_condition_of(kind, 'x')})"
        not_own = (f"SELECT c.id FROM cases c JOIN {table} x ON x.case_id = c.id WHERE c.kind = ?"
                   f" AND NOT ({dv_condition_of(kind, 'x')})")
        dv = _ids(ctx, every, kind)
        assert dv and _ids(ctx, not_own, kind), kind  # both kinds of case are there to tell apart
        assert _ids(ctx, own, kind) == dv == _ids(ctx, indexed, kind), kind
    one = ctx.db.execute("SELECT MIN(case_id) FROM referrals").fetchone()[0]
    assert one in _ids(ctx, f"SELECT c.id FROM cases c WHERE c.kind = ? AND ({DV_CONDITION})", "referral")
