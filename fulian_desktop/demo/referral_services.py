"""The demo's referrals to services other than legal aid (issue 20 point 5), told to the services after the cases
are loaded: the county's shelter, hospital, police station and counselling service in the directory; a woman of a
recent DV petition referred to the shelter with her consent and the shelter's reply. Made-up data only; everything
is written by the services."""

from __future__ import annotations

import datetime as dt

from ..domain.referral import Consent, Organisation
from ..services import organisations, referrals
from ..services.context import Context
from ..store.protection import DV_CONDITION
from .protection import _at as at_moment

# the county's partners for the other services (made up)
DIRECTORY = (
    Organisation("县救助管理站", "救助管理站", "县民政局院内", "值班室", "0734-8120110", service="庇护所/救助管理站"),
    Organisation("县人民医院", "医院", "县人民医院门诊部", "急诊科", "0734-8120120", service="医院（验伤）"),
    Organisation("城关派出所", "派出所", "城关镇人民路", "值班民警", "0734-8120111", service="派出所"),
    Organisation("县妇女儿童心理健康服务站", "心理咨询机构", "县妇联二楼", "", "", service="心理咨询"),
)


def _directory(ctx: Context) -> dict[str, int]:
    known = {o.name: o.id for o in organisations.directory(ctx, include_inactive=True)}
    for o in DIRECTORY:
        if o.name not in known:
            known[o.name] = organisations.save(ctx, o)
    return {o.service: known[o.name] for o in DIRECTORY if known[o.name] is not None}  # type: ignore[misc]


STORIES = 1  # the referrals this module adds (generate makes that many fewer itself, so the total is as asked)


def tell(ctx: Context) -> int:
    """A woman of the latest open DV petition (else of another open petition) referred to the shelter today with her
    consent, and the shelter's reply (today too, so that her referral is numbered after every other of the year).
    Returns the referrals made."""
    if not (ctx.may("referral.write") and ctx.may("petition.write")):
        return 0
    today = ctx.today()
    row = ctx.db.execute(
        f"""SELECT c.id, p.receiving_staff FROM cases c JOIN petitions p ON p.case_id = c.id
            LEFT JOIN people pe ON pe.id = c.person_id
            WHERE c.status IN ('accepted', 'in_progress')
              AND (pe.birth_date IS NULL OR pe.birth_date <= date(c.received_on, '-18 years'))  -- she consents herself
            ORDER BY NOT EXISTS (SELECT 1 FROM case_links l WHERE l.from_case = c.id OR l.to_case = c.id) DESC,
                     ({DV_CONDITION}) DESC, c.received_on DESC, c.id DESC LIMIT 1""").fetchone()
    # (a woman of a DV petition no other case is linked to when there is one; else, in a small demo whose DV petitions
    # the protection stories have all linked, the latest other woman, one linked last: the demo then still holds as
    # many cases as asked — one fewer was made above for this one)
    if row is None:
        return 0
    case_id, staff = int(row[0]), str(row[1])
    shelter = _directory(ctx)["庇护所/救助管理站"]
    at = at_moment(ctx, today, staff, dt.time(9, 0))
    form = referrals.form_from_petition(at, case_id, "庇护所/救助管理站")
    form.organisation = organisations.get(ctx, shelter)
    form.help_kinds, form.consent = ["临时庇护", "生活救助"], Consent(on=today)
    referral_id, _no = referrals.refer_from_petition(at, case_id, form)
    referrals.accept(at_moment(ctx, today, staff, dt.time(9, 20)), referral_id, today, "值班人员")
    return 1
