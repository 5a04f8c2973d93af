"""Repeat victims and repeat abusers (issue 20 point 7): a new petition, referral or mediation about a woman who has
been here before, or naming the same abuser, within 12 months — and mediation where it is not appropriate.

The matching is issue 19's repeat-petition rule (domain/petition_course.py) across the kinds: the same 12 months
(`repeat_since`), the same person on file (the one chosen, or the one with the same ID number), and the same name
of the person complained about only when the name tells a person apart (`matter_of`: not 王某, not one character)
and in the same township. What the clerk is shown of each earlier case: its number, kind and date, why it matches,
the risk level last assessed in it, and any protection order in force for her.

Mediation of a marriage or family dispute is not appropriate where a protection order is in force or the risk is
high (反家庭暴力法 and the 2022 SPC rules protect her safety first; the federations' practice: 家庭暴力案件不宜
调解): the program says so, and the clerk can go on only with a reason, which is kept in the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import format_cn
from .dv_risk import level_text
from .errors import RuleError
from .petition_course import REPEAT_MONTHS, matter_of, repeat_since

SAME_WOMAN = "同一妇女"
SAME_ABUSER = "同一加害人"
FLAG = "曾来求助"  # the timeline's word for the flag at intake
# The links by which a case names the petition it was opened from (a referral: 来自信访; a mediation: 信访转来). A case
# opened from a petition carries that request on: neither the petition nor the other cases opened from it are an
# earlier request for help — not at intake, not in the timeline's flag, not in the statistics' 重复求助.
REFERRAL_FROM_PETITION = "来自信访"
MEDIATION_FROM_PETITION = "信访转来"
OPENED_FROM = (REFERRAL_FROM_PETITION, MEDIATION_FROM_PETITION)
MEDIATION_CAUTION = "不宜调解"
IMPORTED_REASON = "从原有台账导入，调解在本系统登记前已经进行"  # why a register's mediation is taken in despite a caution
REASON_MAX = 200

def abuser_key(name: str) -> str:
    """The abuser's name as matched ('' when it cannot tell a person apart): issue 19's rule."""
    return matter_of(name)


@dataclass(frozen=True)
class Earlier:
    """An earlier case within 12 months of the same woman or naming the same abuser."""

    case_id: int
    case_no: str
    kind: str  # its kind's label: 信访, 法律援助转介, 婚姻家庭纠纷调解
    received_on: dt.date
    why: str  # SAME_WOMAN / SAME_ABUSER
    risk: str = ""  # the level last assessed in it: low / medium / high ('' none)
    orders: tuple[dt.date, ...] = ()  # the last days of the orders in force made in it

    def describe(self) -> str:
        """援转〔2026〕第0003号（法律援助转介，2026年3月1日，同一妇女）· 风险：高（红色）· 保护令有效至2026年9月1日"""
        bits = [f"{self.case_no}（{self.kind}，{format_cn(self.received_on)}，{self.why}）"]
        if self.risk:
            bits.append(f"风险：{level_text(self.risk)}")
        bits.extend(f"人身安全保护令有效至{format_cn(d)}" for d in self.orders)
        return " · ".join(bits)


def flag_note(earlier: list[Earlier]) -> str:
    """The line the new case's timeline keeps (numbers and kinds only: no names)."""
    listed = "；".join(e.describe() for e in earlier)
    return f"此前{REPEAT_MONTHS}个月内曾来求助{len(earlier)}次：{listed}"


def caution_text(orders_until: list[dt.date], high_risk_in: list[str]) -> str:
    """Why mediation is not appropriate ('' when nothing says so): an order in force, a high risk."""
    why = []
    if orders_until:
        why.append(f"她的人身安全保护令在有效期内（至{format_cn(max(orders_until))}）")
    if high_risk_in:
        why.append(f"最近一次风险评估为高（红色）（{'、'.join(high_risk_in)}）")
    if not why:
        return ""
    return ("；".join(why) + "。家庭暴力案件不宜调解：调解可能使她再受伤害，也可能被加害人用来逼她让步。"
            "请优先保障她的安全（安全计划、协助报警、申请或执行保护令）。确需继续调解的，请写明理由。")


class CautionNeeded(RuleError):
    """Opening this mediation needs the clerk's reason for going on despite the caution (its text)."""


def check_reason(caution: str, reason: str) -> str:
    """The reason for mediating despite `caution`, cleaned; CautionNeeded when it is missing."""
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if caution and not reason:
        raise CautionNeeded(caution)
    return reason if caution else ""


def caution_note(caution: str, reason: str) -> str:
    return f"{caution.split('。')[0]}。经办人决定继续调解，理由：{reason}"


def since(on: dt.date) -> dt.date:
    """The earliest day an earlier case counts (12 months before, as for repeat petitions)."""
    return repeat_since(on)
