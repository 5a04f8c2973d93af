"""The numbers paragraph of the half-year (or any period's) work summary, in the office's own style:

    上半年，县妇联共接待来信来电来访22件(次)，其中来信3件、来电7件、来访12批15人次……提供法律援助8件(次)……
    共调解85起，和好70起……走访慰问帮扶户48户次，发放慰问金6000元……

Every number is taken from `statistics.Statistics` for the period, so it agrees with the tables.
The user edits the draft before pasting it into the summary.
"""

from __future__ import annotations

from ..domain.dv_risk import LEVEL_LABELS
from ..domain.petition_course import REVIEW_RESULTS
from ..domain.referral import LEGAL_AID
from .statistics import Comparison, percent


def yuan(fen: int) -> str:
    """6000 / 6000.5 / 6000.05 — plain, as written in a summary (no ¥, no thousands separator)."""
    whole, cents = divmod(fen, 100)
    if not cents:
        return str(whole)
    return f"{whole}.{cents:02d}".rstrip("0")


def _versus(now: int, before: int, unit: str) -> str:
    if before == 0 and now == 0:
        return ""
    if now == before:
        return "，与去年同期持平"
    word = "增加" if now > before else "减少"
    return f"，比去年同期{word}{abs(now - before)}{unit}"


def _rate(now: float | None, before: float | None) -> str:
    """87.5%（去年同期80.0%）: a rate with last year's, when last year had one."""
    return percent(now) + (f"（去年同期{percent(before)}）" if before is not None else "")


def paragraph(c: Comparison, office: str = "县妇联") -> str:
    s, b = c.current, c.previous
    p, bp = s.petitions, b.petitions
    opening = s.period.short or s.period.label
    parts: list[str] = []

    visits = f"来访{p.visits}批{p.visit_people}人次"
    if p.groups:
        visits += f"（其中集体访{p.groups}批{p.group_people}人次）"
    channels = [f"来信{p.channel('来信')}件", f"来电{p.channel('来电')}件", visits]
    if p.channel("网上"):
        channels.append(f"网上信访{p.channel('网上')}件")
    if p.channel("12338热线"):
        channels.append(f"12338热线{p.channel('12338热线')}件")
    text = f"{opening}，{office}共接待来信来电来访{p.total}件(次)"
    if p.total:
        text += "，其中" + "、".join(channels)
    text += _versus(p.total, b.petitions.total, "件(次)")
    if p.total:
        top = [f"{name or '其他'}{n}件" for name, n in p.by_category[:3] if n]
        if top:
            text += "；从问题类别看，" + "、".join(top)
        if p.dv:
            text += f"，涉及家庭暴力的{p.dv}件"
        others = [f"{name}类{p.nature(name)}件" for name in ("建议意见", "检举控告") if p.nature(name)]
        if others:
            text += "；其中" + "、".join(others)
        if p.repeats:
            text += f"；初信初访{p.first_time}件，重复信访{p.repeats}件，重复信访率{_rate(p.repeat_rate, bp.repeat_rate)}"
        if p.told:
            text += f"；按期告知率{_rate(p.told_in_time_rate, bp.told_in_time_rate)}"
        if p.transferred:
            text += (f"；办理上级交办、转送{p.transferred}件" + (f"（其中不属本会职责、提出异议退回{p.returned}件）"
                                                              if p.returned else "")
                     + f"，已回告{p.reported}件，按期回告率{_rate(p.reported_in_time_rate, bp.reported_in_time_rate)}")
        if p.passed_on:
            text += (f"；转送其他单位办理{p.passed_on}件，已答复{p.passed_answered}件，"
                     f"转送按期答复率{_rate(p.passed_answered_in_time_rate, bp.passed_answered_in_time_rate)}")
        if p.concluded:
            text += f"；已办结{p.concluded}件，按期办结率{_rate(p.in_time_rate, bp.in_time_rate)}"
            if p.rated:
                text += (f"，参评{p.rated}件，参评率{_rate(p.rating_rate, bp.rating_rate)}，"
                         f"满意率{_rate(p.satisfaction_rate, bp.satisfaction_rate)}")
    for rv in p.reviews.values():
        if rv.requested:
            outcome = "、".join(f"{k}{rv.result(k)}件" for k in REVIEW_RESULTS if rv.result(k))
            text += (f"；信访人请求{rv.name}{rv.requested}件，已答复{rv.answered}件"
                     + (f"（{outcome}）" if outcome else "")
                     + (f"，{rv.name}按期答复率{_rate(rv.in_time_rate, bp.reviews[rv.stage].in_time_rate)}"
                        if rv.answered else ""))
    parts.append(text + "。")

    r = s.referrals
    text = f"提供法律援助{r.total}件(次)"
    if r.total:
        accepted = r.answer("已受理")
        if accepted:
            text += f"，法律援助机构已受理{accepted}件"
        if r.exempt:
            text += f"，其中家庭暴力等受害人免予经济困难审查{r.exempt}件"
    text += _versus(r.total, b.referrals.total, "件(次)")
    parts.append(text + "。")

    dv = _domestic_violence(c)
    if dv:
        parts.append(dv)

    m = s.mediations
    text = f"共调解婚姻家庭纠纷{m.accepted}起"
    if m.concluded:
        text += f"，和好{m.reconciled}起"
        if m.agreed:
            text += f"，达成调解协议{m.agreed}起"
        if m.self_settled:
            text += f"，当事人自行和解{m.self_settled}起"
        if m.failed:
            text += f"，调解不成{m.failed}起"
        text += f"，调解成功率{percent(m.success_rate)}"
    text += _versus(m.accepted, b.mediations.accepted, "起")
    parts.append(text + "。")

    v = s.visits
    text = f"走访慰问帮扶户{v.visits}户次"
    if v.visits:
        text += f"，涉及{v.households}户"
    if v.cash_fen:
        text += f"，发放慰问金{yuan(v.cash_fen)}元"
    if v.goods_fen:
        text += f"，发放慰问物资折合{yuan(v.goods_fen)}元"
    parts.append(text + "。")
    return "".join(parts)


def _domestic_violence(c: Comparison) -> str:
    """办理涉及家庭暴力的案件…件: risk, the women who came again, the police's warnings and the visits after them,
    the protection orders, the referrals by service, the mandatory reports ('' when the period saw none of it)."""
    d, b = c.current.dv, c.previous.dv
    o = d.orders
    bits: list[str] = []
    if d.cases:
        levels = "、".join(f"{LEVEL_LABELS[k]}风险{d.by_level[k]}件" for k in ("high", "medium", "low")
                           if d.by_level.get(k))
        bits.append(f"办理涉及家庭暴力的案件{d.cases}件" + (f"，其中{levels}" if levels else "")
                    + _versus(d.cases, b.cases, "件"))
        if d.repeats:
            # (the 12 months are said in the table's note: every number here is one the tables show)
            bits.append(f"再次来求助的{d.repeats}件，重复求助率{_rate(d.repeat_rate, b.repeat_rate)}")
    if d.warnings:
        text = f"公安机关出具告诫书{d.warnings}份"
        if d.visits_due:
            text += f"，计划查访{d.visits_due}次，按期查访率{_rate(d.visits_in_time_rate, b.visits_in_time_rate)}"
        bits.append(text)
    if o.get("applied") or o.get("granted"):
        text = f"协助申请人身安全保护令{o.get('applied', 0)}件"
        if o.get("on_behalf"):
            text += f"（其中本会代为申请{o['on_behalf']}件）"
        text += f"，法院作出保护令{o.get('granted', 0)}件，期末仍在有效期内{o.get('in_force', 0)}件"
        bits.append(text)
    others = [r for r in d.services if r.referred and r.service != LEGAL_AID]
    if others:
        answered, in_time = sum(r.answered for r in others), sum(r.in_time for r in others)
        text = "转介" + "、".join(f"{r.service}{r.referred}件" for r in others)
        if answered:
            text += f"，按期答复率{percent(in_time / answered)}"
        bits.append(text)
    if d.reports_needed:
        bits.append(f"发现须强制报告的{d.reports_needed}人，已向公安机关报案{d.reports_made}人")
    return "；".join(bits) + "。" if bits else ""
