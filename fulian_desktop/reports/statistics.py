"""Statistics for any period, computed in SQL: petitions, legal-aid referrals, mediations, household visits.

Every figure comes with the same period a year before (`compare`). What counts where:

- petitions, referrals and mediations are counted by the day they were received (收到/转介/受理日期);
  a petition's result, time to close and "closed in time" are of those received in the period;
- mediation outcomes (和好, 达成协议, 调解不成 …) are counted by the day they were reached, whenever
  the mediation was accepted (the way the mediation service counts them);
- household visits (户次), households reached, cash and goods given by the day of the visit.

Petitions are counted as the county's summary counts them (来信3件、来电7件、来访12批15人次): every petition
is one 件(次) whatever its channel; a visit (来访) is one 批, and its 人次 are the people who came on the
visits; 集体访 are visits of five or more people. Nobody on a letter or a call is counted as a visitor.

No Qt here; `tables()` and `charts()` turn a comparison into the tables and the chart data the page, the
spreadsheet, the PDF and the command line all show, and the summary paragraph reads the same fields, so
they never disagree.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from ..domain import dv_repeat
from ..domain import dv_risk as risk_rules
from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as petition_rules
from ..domain import petition_course as course
from ..domain import referral as referral_rules
from ..domain.dates import format_cn, to_iso
from ..domain.deadlines import ACCEPT_DAYS, CONCLUDE_DAYS
from ..domain.errors import ValidationError
from ..domain.money import format_yuan
from ..store import mandatory_reports as report_store
from ..store import police_contacts as police_store
from ..store import protection_orders as order_store
from ..store.cases import of_township
from ..store.protection import dv_condition_of
from ..store.reader import read_transaction
from ..store.repeats import same_request_sql

if TYPE_CHECKING:
    import sqlite_utils

# --------------------------------------------------------------------------------------------
# Periods

PERIOD_KINDS = {"month": "月", "quarter": "季度", "half": "半年", "year": "年", "custom": "自定义"}
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str  # 2026年上半年 / 2026年3月 / 2026年第一季度 / 2026年1月1日至2026年3月10日
    kind: str = "custom"
    short: str = ""  # how the summary opens: 上半年 / 3月份 / 第一季度 / 今年以来 …

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def year_before(self) -> Period:
        first = self.first - relativedelta(years=1)
        last = self.last - relativedelta(years=1)
        if self.kind == "month" or (self.last == _month_end(self.last) and self.kind != "custom"):
            last = _month_end(last)  # February of a leap year and the year before
        return Period(first, last, _label(self.kind, first, last), self.kind, self.short)


def _month_end(d: dt.date) -> dt.date:
    return d + relativedelta(day=31)


def _label(kind: str, first: dt.date, last: dt.date) -> str:
    if kind == "month":
        return f"{first.year}年{first.month}月"
    if kind == "quarter":
        return f"{first.year}年{_QUARTERS[(first.month - 1) // 3]}"
    if kind == "half":
        return f"{first.year}年{'上' if first.month <= 6 else '下'}半年"
    if kind == "year":
        return f"{first.year}年"
    return f"{format_cn(first)}至{format_cn(last)}"


def make_period(kind: str, year: int, number: int = 1) -> Period:
    """month (number 1–12), quarter (1–4), half (1–2) or year of `year`."""
    if kind == "month":
        if not 1 <= number <= 12:
            raise ValidationError({"period": "月份应在1到12之间"})
        first = dt.date(year, number, 1)
        return Period(first, _month_end(first), _label(kind, first, first), kind, f"{number}月份")
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise ValidationError({"period": "季度应在1到4之间"})
        first = dt.date(year, 3 * number - 2, 1)
        last = _month_end(dt.date(year, 3 * number, 1))
        return Period(first, last, _label(kind, first, last), kind, _QUARTERS[number - 1])
    if kind == "half":
        if number not in (1, 2):
            raise ValidationError({"period": "请选择上半年或下半年"})
        first = dt.date(year, 1 if number == 1 else 7, 1)
        last = dt.date(year, 6, 30) if number == 1 else dt.date(year, 12, 31)
        return Period(first, last, _label(kind, first, last), kind, "上半年" if number == 1 else "下半年")
    if kind == "year":
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年", kind, "全年")
    raise ValidationError({"period": "请选择统计期间"})


def custom_period(first: dt.date | None, last: dt.date | None) -> Period:
    if first is None:
        raise ValidationError({"date_from": "请填写开始日期"})
    if last is None:
        raise ValidationError({"date_to": "请填写结束日期"})
    if last < first:
        raise ValidationError({"date_to": "结束日期不能早于开始日期"})
    if (last - first).days > 366 * 20:
        raise ValidationError({"date_to": "统计期间不能超过二十年"})
    for kind in ("month", "quarter", "half", "year"):  # 1 Jan – 30 Jun is 上半年, however it was picked
        number = {"month": first.month, "quarter": (first.month + 2) // 3, "half": 1 + (first.month > 6),
                  "year": 1}[kind]
        p = make_period(kind, first.year, number)
        if (p.first, p.last) == (first, last):
            return p
    short = "今年以来" if first == dt.date(last.year, 1, 1) else f"{format_cn(first)}至{format_cn(last)}"
    return Period(first, last, _label("custom", first, last), "custom", short)


# --------------------------------------------------------------------------------------------
# Figures


VISIT = "来访"  # the channel counted in 批 and 人次
CHANNEL_UNITS = {"来信": "件", "来电": "件", VISIT: "批", "网上": "件", "12338热线": "件"}


@dataclass
class ReviewStats:
    """复查 or 复核 (信访工作条例 arts. 35–36) asked in the period: answered, answered within 30 days of the request,
    and the outcome (维持 / 撤销 / 变更), whoever answered (the office, or the body above)."""

    stage: str  # review / re_review
    requested: int = 0
    answered: int = 0
    answered_in_time: int = 0
    by_result: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return petition_rules.REVIEW_STAGES[self.stage]

    @property
    def in_time_rate(self) -> float | None:
        """复查（复核）按期答复率: answered within 30 days of the request, among those answered."""
        return self.answered_in_time / self.answered if self.answered else None

    def result(self, name: str) -> int:
        return self.by_result.get(name, 0)


def _no_reviews() -> dict[str, ReviewStats]:
    return {stage: ReviewStats(stage) for stage in petition_rules.REVIEW_STAGES}


@dataclass
class PetitionStats:
    total: int = 0  # 件(次): every petition, whatever its channel
    by_channel: dict[str, int] = field(default_factory=dict)  # channel -> 件 (来访: 批)
    visit_people: int = 0  # 来访人次: the people who came on the visits
    groups: int = 0  # 集体访 (visits of 5 or more people): 批
    group_people: int = 0  # their 人次
    dv: int = 0  # involving domestic violence
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_subcategory: list[tuple[str, str, int]] = field(default_factory=list)
    by_township: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)  # status key -> count
    by_result: list[tuple[str, int]] = field(default_factory=list)
    concluded: int = 0
    closed_in_time: int = 0  # concluded within 60 days of acceptance (plus any extension)
    days_to_close: float | None = None  # mean days from receipt to conclusion
    by_nature: list[tuple[str, int]] = field(default_factory=list)  # 建议意见 / 检举控告 / 申诉求决, in that order
    told: int = 0  # told in writing whether it is accepted (or where it went): 受理, 不予受理, 转送告知书
    told_in_time: int = 0  # on the spot or within 15 days of receipt (art. 23)
    by_rating: list[tuple[str, int]] = field(default_factory=list)  # of those concluded: 满意 … 未评价 (never asked too)
    rated: int = 0  # 参评: concluded, and she said 满意, 基本满意 or 不满意
    satisfied: int = 0  # 满意 or 基本满意
    repeats: int = 0  # 重复信访: flagged at intake (by her, or on the same matter, within 12 months) and confirmed
    repeats_pending: int = 0  # flagged, not yet confirmed or cleared by the clerk
    transferred: int = 0  # 上级交办、转送 (a 工单) received in the period
    returned: int = 0  # of those, not the office's: objected to and returned within the 5 working days (退回函)
    reported: int = 0  # of those, done (concluded or refused) and so reported back (回告)
    reported_in_time: int = 0  # done by the date the sender set (else within the 60 days of acceptance)
    passed_on: int = 0  # 转办/交办 to another body with a 转送函
    passed_answered: int = 0  # its answer recorded
    passed_answered_in_time: int = 0  # by the date the letter set
    reviews: dict[str, ReviewStats] = field(default_factory=_no_reviews)  # 复查, 复核: by the day she asked

    def channel(self, name: str) -> int:
        return self.by_channel.get(name, 0)

    @property
    def visits(self) -> int:
        """来访 (批)."""
        return self.channel(VISIT)

    @property
    def in_time_rate(self) -> float | None:
        return self.closed_in_time / self.concluded if self.concluded else None

    @property
    def told_in_time_rate(self) -> float | None:
        """按期告知率: told on the spot or within 15 days, among those told."""
        return self.told_in_time / self.told if self.told else None

    @property
    def rating_rate(self) -> float | None:
        """参评率: concluded petitions whose petitioner gave a rating (满意, 基本满意 or 不满意), among those concluded."""
        return self.rated / self.concluded if self.concluded else None

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: 满意 and 基本满意 among those that gave a rating (参评)."""
        return self.satisfied / self.rated if self.rated else None

    @property
    def first_time(self) -> int:
        """初信初访: every petition that is not a confirmed repeat."""
        return self.total - self.repeats

    @property
    def repeat_rate(self) -> float | None:
        """重复信访率: confirmed repeats among all petitions."""
        return self.repeats / self.total if self.total else None

    @property
    def reported_in_time_rate(self) -> float | None:
        """交办按期回告率: reported back by the sender's date (else within 60 days of acceptance), among those reported."""
        return self.reported_in_time / self.reported if self.reported else None

    @property
    def passed_answered_in_time_rate(self) -> float | None:
        """转送按期答复率: answers by the date the 转送函 set, among the answers recorded."""
        return self.passed_answered_in_time / self.passed_answered if self.passed_answered else None

    def nature(self, name: str) -> int:
        return dict(self.by_nature).get(name, 0)


REFERRAL_ANSWERS = {  # answer -> the statuses it covers
    "已受理": ("accepted", "concluded"),
    "不予受理": ("refused",),
    "等待答复": ("referred",),
    "待本人同意": ("awaiting_consent",),
    "已撤回": ("withdrawn",),
}


@dataclass
class ReferralStats:
    total: int = 0
    by_matter: list[tuple[str, int]] = field(default_factory=list)
    by_answer: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0
    answered_in_time: int = 0  # within 7 days of being sent (法律援助法 art. 43)
    exempt: int = 0  # no means test (art. 32)

    def answer(self, name: str) -> int:
        return dict(self.by_answer).get(name, 0)


@dataclass
class MediationStats:
    accepted: int = 0  # 共调解 N 起: accepted in the period
    concluded: int = 0  # outcomes reached in the period
    reconciled: int = 0  # 和好
    agreed: int = 0  # 达成调解协议
    self_settled: int = 0  # 当事人自行和解
    failed: int = 0  # 调解不成
    ended: int = 0  # 终止
    by_type: list[tuple[str, int]] = field(default_factory=list)  # dispute type, of those accepted

    @property
    def resolved(self) -> int:
        return self.reconciled + self.agreed + self.self_settled

    @property
    def reconciliation_rate(self) -> float | None:
        """和好率: reconciled among those concluded."""
        return self.reconciled / self.concluded if self.concluded else None

    @property
    def success_rate(self) -> float | None:
        """调解成功率: reconciled, agreed or settled among those concluded."""
        return self.resolved / self.concluded if self.concluded else None


@dataclass
class VisitStats:
    visits: int = 0  # 户次
    households: int = 0  # households (or persons on a care list) reached
    cash_fen: int = 0
    goods_fen: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # visit / solace / assist
    by_township: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # visits, households, cash, goods
    registered: int = 0  # households (or persons) on care lists and still helped at the end of the period


@dataclass
class ServiceRow:
    """Referrals to one service received in the period: how many, answered, answered within the service's days."""

    service: str
    referred: int = 0
    answered: int = 0
    in_time: int = 0

    @property
    def in_time_rate(self) -> float | None:
        return self.in_time / self.answered if self.answered else None


@dataclass
class DvStats:
    """Domestic violence as one thread (issue 20): the cases, their risk, the police's warnings and the visits after
    them, the protection orders, the referrals to every service, the mandatory reports, the women who came again."""

    cases: int = 0  # petitions, referrals and mediations about domestic violence received in the period
    by_level: dict[str, int] = field(default_factory=dict)  # high / medium / low / '' (not assessed), of `cases`
    warnings: int = 0  # 告诫书 issued in the period
    receipts: int = 0  # 报警回执
    visits_due: int = 0  # visits after a 告诫书 planned within the period
    visits_done: int = 0
    visits_in_time: int = 0  # done on or before their day
    orders: dict[str, int] = field(default_factory=dict)  # store/protection_orders.counts
    services: list[ServiceRow] = field(default_factory=list)  # every service, in SERVICES order
    reports_needed: int = 0  # mandatory reports (强制报告) found needed in the period
    reports_made: int = 0
    reports_same_day: int = 0
    repeats: int = 0  # of `cases`: her earlier case within 12 months (同一妇女)

    @property
    def visits_in_time_rate(self) -> float | None:
        """告诫书后按期查访率: visits done on their day among those planned in the period."""
        return self.visits_in_time / self.visits_due if self.visits_due else None

    @property
    def repeat_rate(self) -> float | None:
        """重复求助率: DV cases of a woman who came within the 12 months before, among the DV cases."""
        return self.repeats / self.cases if self.cases else None

    @property
    def referred(self) -> int:
        return sum(r.referred for r in self.services)

    def service(self, name: str) -> ServiceRow:
        return next((r for r in self.services if r.service == name), ServiceRow(name))


MONTH_KINDS = ("信访", "法律援助转介", "调解")  # the month chart's bars and the month table's columns


@dataclass
class MonthRow:
    month: str  # 2026-03
    petitions: int = 0
    referrals: int = 0
    mediations: int = 0
    visits: int = 0


@dataclass
class Statistics:
    period: Period
    petitions: PetitionStats
    referrals: ReferralStats
    mediations: MediationStats
    visits: VisitStats
    by_month: list[MonthRow]
    dv: DvStats = field(default_factory=DvStats)


@dataclass
class Comparison:
    current: Statistics
    previous: Statistics  # the same period a year before


def _params(p: Period, township: str | None) -> dict[str, str | None]:
    """The named parameters of the period's queries: :first, :last and, for one township's figures, :township."""
    return {"first": to_iso(p.first), "last": to_iso(p.last), "township": township}


def _received(kind: str, table: str, alias: str, township: str | None = None) -> str:
    """The period's cases of one kind (received within it: :first to :last; of one township: :township), each with
    its own record: the one place that says which cases a period counts. Each kind's cases are read once for all its
    figures, never once per table, from the narrow copies of their values kept in the indexes of migration 0032."""
    return (f"FROM cases c INDEXED BY cases_figures JOIN {table} {alias} INDEXED BY {table}_figures "
            f"ON {alias}.case_id = c.id WHERE c.kind = '{kind}' AND c.received_on BETWEEN :first AND :last"
            + (" AND c.township = :township" if township is not None else ""))


def _dv_columns(township: str | None) -> str:
    """Over a period's cases `d` with a column dv (`_dv_keys`), the two figures of a case about domestic
    violence (NULL for the others): the risk level last assessed up to the period's end ('' if never), and whether
    the same woman had another case in the 12 months before (重复求助) — of the same township, for a township's (her
    own case passed over in the index by person, without reading its row: cp.case_id <> d.id); never the petition
    the case was opened from nor another case opened from it (the same request, as at intake)."""
    return f"""
    CASE WHEN d.dv THEN COALESCE((SELECT a.level FROM risk_assessments a WHERE a.case_id = d.id AND a.assessed_on <= :last
                                  ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1), '') END,
    CASE WHEN d.dv THEN d.person_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM cases e JOIN case_people cp ON cp.case_id = e.id
        WHERE cp.person_id = d.person_id AND cp.case_id <> d.id
          AND e.kind IN ('petition', 'referral', 'mediation') AND e.id <> d.id
          AND e.received_on >= date(d.received_on, '-{dv_repeat.REPEAT_MONTHS} months')
          AND (e.received_on < d.received_on OR (e.received_on = d.received_on AND e.id < d.id)){
              " AND +e.township = :township" if township is not None else ""}
          AND NOT {same_request_sql("d.id", "e.id")}) END"""


def _dv_keys(kind: str, record: str) -> str:
    """What the inner query of each kind gives `_dv_columns` (LIMIT -1 keeps it a query of its own, so that the
    condition is worked out once a case): whether the case is about domestic violence, from its own record."""
    return f"c.id, c.person_id, c.received_on, ({dv_condition_of(kind, record)}) AS dv"


def _count_dv(dv: DvStats, level: object, repeat: object, n: int) -> None:
    if level is not None:  # a case about domestic violence
        dv.by_level[str(level)] = dv.by_level.get(str(level), 0) + n
        dv.repeats += n if repeat else 0


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Most first, then by name (as ORDER BY COUNT(*) DESC, name)."""
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def _in_order(counts: dict[str, int], order: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    """In the rules' order; the names the rules do not know after them, by name."""
    place = {k: i for i, k in enumerate(order)}
    return sorted(sorted(counts.items()), key=lambda x: place.get(x[0], 99))


def _month(months: dict[str, MonthRow] | None, month: object) -> MonthRow:
    return (months or {}).get(str(month)) or MonthRow(str(month))


def _add(counts: dict[str, int], key: object, n: int) -> None:
    counts[str(key)] = counts.get(str(key), 0) + n


def petition_stats(db: sqlite_utils.Database, p: Period, months: dict[str, MonthRow] | None = None,
                   dv: DvStats | None = None, township: str | None = None) -> PetitionStats:
    """The petitions received in the period (and their share of `months` and of `dv`, when given), read once: each
    petition's values are worked out in one pass (the CTE), and its three groupings are made from that. Of one
    `township` when given (its cases and what belongs to them), else of the whole office. A day limit is reckoned
    within CASE, not after AND (SQLite works out both sides of an AND): only for the petitions it concerns, NULL for
    the others, which the sums pass over as they would a 0."""
    span = _params(p, township)
    s = PetitionStats()
    big = f"d.headcount >= {petition_rules.GROUP_SIZE}"  # 集体访, when it is a visit
    rated = ", ".join(f"'{k}'" for k in course.RATED)
    concluded = "c.status = 'concluded' AND t.concluded_on IS NOT NULL"
    sums = ["SUM(d.headcount)", f"SUM({big})", f"SUM(CASE WHEN {big} THEN d.headcount END)", "SUM(d.ticked)",
            "SUM(d.closed_in_time)", "SUM(d.days)", "COUNT(d.days)", "SUM(d.told)", "SUM(d.told_in_time)",
            "SUM(d.repeat_state = 'confirmed')", "SUM(d.repeat_state = 'suspected')", "SUM(d.transferred)",
            "SUM(d.reported_in_time)", "SUM(d.passed_on)", "SUM(d.passed_answered)", "SUM(d.passed_answered_in_time)"]
    none = ", ".join(["NULL"] * len(sums))
    rows = db.execute(
        f"""WITH d AS MATERIALIZED (
                SELECT {_dv_keys('petition', 't')}, t.channel, c.status, t.nature, t.result,
                       CASE WHEN {concluded} THEN CASE WHEN t.rating IN ({rated}) THEN t.rating
                       ELSE '{course.NOT_RATED}' END END AS rating,
                       c.category, c.subcategory, c.township, substr(c.received_on, 1, 7) AS month, t.headcount,
                       t.dv AS ticked,
                       CASE WHEN {concluded} AND t.accepted_on IS NOT NULL THEN t.concluded_on <= date(
                           t.accepted_on, '+' || ({CONCLUDE_DAYS} + t.extension_days) || ' days') END
                           AS closed_in_time,
                       CASE WHEN {concluded} THEN julianday(t.concluded_on) - julianday(c.received_on) END AS days,
                       t.told_on IS NOT NULL AS told,
                       CASE WHEN t.told_on IS NOT NULL THEN t.told_on <= date(c.received_on, '+{ACCEPT_DAYS} days') END
                           AS told_in_time,
                       t.repeat_state, t.source_body <> '' AS transferred,
                       CASE WHEN t.source_body <> '' AND c.status IN ('concluded', 'refused') THEN c.closed_on <= COALESCE(
                           t.source_due_on, date(COALESCE(t.accepted_on, c.received_on),
                                                 '+' || ({CONCLUDE_DAYS} + t.extension_days) || ' days')) END
                           AS reported_in_time,
                       t.transfer_sent_on IS NOT NULL AS passed_on, t.transfer_answered_on IS NOT NULL AS passed_answered,
                       t.transfer_answered_on IS NOT NULL AND t.transfer_answered_on <= t.transfer_due_on
                           AS passed_answered_in_time
                {_received("petition", "petitions", "t", township)})
            SELECT 1, d.channel, d.status, d.nature, d.result, d.rating, COUNT(*), {", ".join(sums)}
            FROM d GROUP BY 2, 3, 4, 5, 6
            UNION ALL
            SELECT 2, d.category, d.subcategory, {_dv_columns(township)}, NULL, COUNT(*), {none} FROM d
            GROUP BY 2, 3, 4, 5
            UNION ALL
            SELECT 3, d.township, d.month, NULL, NULL, NULL, COUNT(*), {none} FROM d GROUP BY 2, 3""", span)
    natures: dict[str, int] = {}
    ratings: dict[str, int] = {}
    statuses: dict[str, int] = {}
    results: dict[str, int] = {}
    categories: dict[str, int] = {}
    subcategories: dict[tuple[str, str], int] = {}
    townships: dict[str, int] = {}
    day_sum, day_count = 0.0, 0
    for grouping, a, b, c, e, f, n, *values in rows:
        n = int(n)
        if grouping == 2:  # by category and subcategory, and the risk of those about domestic violence
            _add(categories, a, n)
            subcategories[(str(a), str(b))] = subcategories.get((str(a), str(b)), 0) + n
            if dv is not None:
                _count_dv(dv, c, e, n)
            continue
        if grouping == 3:  # by township and month
            _add(townships, a, n)
            _month(months, b).petitions += n
            continue
        channel, status, nature, result, rating = a, b, c, e, f
        (people, groups, group_people, dv_n, closed_in_time, days_n, days_counted, told, told_in_time, repeats,
         repeats_pending, transferred, reported_in_time, passed_on, passed_answered, passed_answered_in_time) = values
        # what depends on the channel, the status or the rating is told apart by the groups, not by a sum of its own
        s.total += n
        _add(s.by_channel, channel, n)
        _add(natures, nature, n)
        _add(statuses, status, n)
        if rating is not None:  # concluded
            _add(ratings, rating, n)
            s.concluded += n
            s.rated += n if rating in course.RATED else 0
            s.satisfied += n if rating in course.SATISFIED else 0
        if result != "":
            _add(results, result, n)
        if channel == VISIT:
            s.visit_people += int(people or 0)
            s.groups += int(groups or 0)
            s.group_people += int(group_people or 0)
        s.transferred += int(transferred or 0)
        if status in ("concluded", "refused"):
            s.reported += int(transferred or 0)
        elif status == "returned":
            s.returned += int(transferred or 0)
        s.dv += int(dv_n or 0)
        s.closed_in_time += int(closed_in_time or 0)
        day_sum += days_n or 0
        day_count += int(days_counted)
        s.told += int(told or 0)
        s.told_in_time += int(told_in_time or 0)
        s.repeats += int(repeats or 0)
        s.repeats_pending += int(repeats_pending or 0)
        s.reported_in_time += int(reported_in_time or 0)
        s.passed_on += int(passed_on or 0)
        s.passed_answered += int(passed_answered or 0)
        s.passed_answered_in_time += int(passed_answered_in_time or 0)
    s.days_to_close = float(day_sum) / day_count if day_count else None  # as AVG: the days are whole
    s.by_channel = dict(sorted(s.by_channel.items()))
    s.by_nature = [(k, natures.pop(k, 0)) for k in petition_rules.NATURES] + sorted(natures.items())
    s.by_rating = [(k, ratings.get(k, 0)) for k in course.RATINGS]
    s.by_status = _in_order(statuses, list(petition_rules.STATUS_LABELS))
    s.by_result = _in_order(results, petition_rules.RESULTS)
    s.by_category = _ranked(categories)
    s.by_subcategory = [(a, b, n) for (a, b), n in sorted(subcategories.items(), key=lambda x: (x[0][0], -x[1],
                                                                                                x[0][1]))]
    s.by_township = _ranked(townships)

    for stage, asked, answered, in_time, result, n in db.execute(
            f"""SELECT r.stage, COUNT(*), COALESCE(SUM(r.answered_on IS NOT NULL), 0),
                       COALESCE(SUM(r.answered_on <= date(r.requested_on, '+{petition_rules.REVIEW_DAYS} days')), 0),
                       r.result, COUNT(*)
                FROM petition_reviews r CROSS JOIN cases c ON c.id = r.case_id
                WHERE c.kind = 'petition' AND r.requested_on BETWEEN :first AND :last{
                    " AND c.township = :township" if township is not None else ""}
                GROUP BY r.stage, r.result""",
            span):
        if (rs := s.reviews.get(str(stage))) is not None:
            rs.requested, rs.answered = rs.requested + int(asked), rs.answered + int(answered)
            rs.answered_in_time += int(in_time)
            if result and answered:
                rs.by_result[str(result)] = rs.result(str(result)) + int(n)
    return s


def _answer_due_sql() -> str:
    """The day a referral's answer was due, in SQL: its service's days after it was sent (domain/referral.py)."""
    days = " ".join(f"WHEN '{s.name}' THEN {s.answer_days}" for s in referral_rules.SERVICES.values())
    return f"date(r.sent_on, '+' || (CASE r.service {days} ELSE {referral_rules.ANSWER_DAYS} END) || ' days')"


def referral_stats(db: sqlite_utils.Database, p: Period, months: dict[str, MonthRow] | None = None,
                   dv: DvStats | None = None, township: str | None = None) -> ReferralStats:
    """Legal-aid referrals; the referrals to every service go into `dv` (its services, and the DV cases), when
    given."""
    span = _params(p, township)
    s = ReferralStats()
    answered = "r.answered_on IS NOT NULL"
    matters: dict[str, int] = {}
    by_status: dict[str, int] = {}
    services: dict[str, list[int]] = {}
    for service, matter, status, month, level, repeat, n, answered_n, in_time, service_in_time, exempt in db.execute(
            f"""SELECT d.service, d.matter, d.status, d.month, {_dv_columns(township)}, COUNT(*), SUM(d.answered),
                       SUM(d.in_time), SUM(d.service_in_time), SUM(d.exempt)
                FROM (SELECT {_dv_keys('referral', 'r')}, r.service, r.matter, c.status, substr(c.received_on, 1, 7) AS month,
                             {answered} AS answered,
                             CASE WHEN {answered} AND r.sent_on IS NOT NULL
                                 THEN r.answered_on <= date(r.sent_on, '+{referral_rules.ANSWER_DAYS} days') END
                                 AS in_time,
                             CASE WHEN {answered} AND r.sent_on IS NOT NULL THEN r.answered_on <= {_answer_due_sql()}
                                 END AS service_in_time,
                             r.victim_of LIKE '%家庭暴力%' OR r.victim_of LIKE '%虐待%' OR r.victim_of LIKE '%遗弃%' AS exempt
                      {_received("referral", "referrals", "r", township)} LIMIT -1) d
                GROUP BY 1, 2, 3, 4, 5, 6""", span):
        row = services.setdefault(str(service), [0, 0, 0])
        row[0], row[1], row[2] = row[0] + int(n), row[1] + int(answered_n or 0), row[2] + int(service_in_time or 0)
        if dv is not None:
            _count_dv(dv, level, repeat, int(n))
        if service != referral_rules.LEGAL_AID:
            continue
        s.total += int(n)
        s.answered += int(answered_n or 0)
        s.answered_in_time += int(in_time or 0)
        s.exempt += int(exempt or 0)
        _add(matters, matter, int(n))
        _add(by_status, status, int(n))
        _month(months, month).referrals += int(n)
    s.by_matter = _in_order(matters, referral_rules.MATTERS)
    s.by_answer = [(answer, sum(by_status.get(k, 0) for k in keys)) for answer, keys in REFERRAL_ANSWERS.items()]
    if dv is not None:
        dv.services = [ServiceRow(name, *services.get(name, (0, 0, 0))) for name in referral_rules.SERVICES]
    return s


def mediation_stats(db: sqlite_utils.Database, p: Period, months: dict[str, MonthRow] | None = None,
                    dv: DvStats | None = None, township: str | None = None) -> MediationStats:
    span = _params(p, township)
    s = MediationStats()
    types: dict[str, int] = {}
    for dispute_type, month, level, repeat, n in db.execute(
            f"""SELECT d.dispute_type, d.month, {_dv_columns(township)}, COUNT(*)
                FROM (SELECT {_dv_keys('mediation', 'm')}, m.dispute_type, substr(c.received_on, 1, 7) AS month
                      {_received("mediation", "mediations", "m", township)} LIMIT -1) d
                GROUP BY 1, 2, 3, 4""", span):
        _add(types, dispute_type, int(n))
        _month(months, month).mediations += int(n)
        if dv is not None:
            _count_dv(dv, level, repeat, int(n))
    s.by_type = _in_order(types, mediation_rules.DISPUTE_TYPES)
    s.accepted = sum(n for _, n in s.by_type)
    for outcome, n in db.execute(
        f"""SELECT outcome, COUNT(*) FROM mediations WHERE outcome <> '' AND outcome_on BETWEEN :first AND :last{
            " AND " + of_township("case_id", ":township") if township is not None else ""} GROUP BY outcome""",
        span,
    ):
        s.concluded += int(n)
        if outcome in mediation_rules.OUTCOMES:
            setattr(s, str(outcome), int(n))
    return s


def visit_stats(db: sqlite_utils.Database, p: Period, months: dict[str, MonthRow] | None = None,
                township: str | None = None) -> VisitStats:
    span = _params(p, township)
    s = VisitStats()
    # the visits are read from the covering index visits_stats; cases are looked up once per household (their
    # township from the index cases_township_of)
    base = "FROM visits v WHERE v.visited_on BETWEEN :first AND :last" + (
        " AND " + of_township("v.case_id", ":township") if township is not None else "")
    kinds = list(household_rules.VISIT_KINDS)
    s.by_kind = dict.fromkeys(kinds, 0)
    for day, n, *by_kind in db.execute(  # by day: the index's order, nothing to sort
            f"""SELECT v.visited_on, COUNT(*), {", ".join(f"SUM(v.kind = '{k}')" for k in kinds)} {base}
                GROUP BY v.visited_on""", span):
        _month(months, str(day)[:7]).visits += int(n)
        for k, m in zip(kinds, by_kind, strict=True):
            s.by_kind[k] += int(m)
    towns = []
    for town, known, n, households, cash, goods in db.execute(
        f"""SELECT c.township, c.id IS NOT NULL, SUM(h.n), COUNT(*), SUM(h.cash), SUM(h.goods)
            FROM (SELECT v.case_id, COUNT(*) AS n, COALESCE(SUM(v.cash_fen), 0) AS cash,
                         COALESCE(SUM(v.goods_fen), 0) AS goods {base} GROUP BY v.case_id) h
            LEFT JOIN cases c INDEXED BY cases_township_of ON c.id = h.case_id
            GROUP BY 1, 2""", span):
        s.visits += int(n)
        s.households += int(households)
        s.cash_fen += int(cash)
        s.goods_fen += int(goods)
        if known:
            towns.append((str(town), int(n), int(households), int(cash), int(goods)))
    s.by_township = sorted(towns, key=lambda x: (-x[1], x[0]))
    s.registered = int(db.execute(
        f"""SELECT COUNT(*) FROM cases c JOIN households h ON h.case_id = c.id
            WHERE c.kind = 'household' AND c.received_on <= :last AND (h.exited_on IS NULL OR h.exited_on > :last){
                " AND c.township = :township" if township is not None else ""}""", span).fetchone()[0])
    return s


def _months(p: Period) -> list[str]:
    out = []
    d = p.first.replace(day=1)
    while d <= p.last:
        out.append(f"{d:%Y-%m}")
        d += relativedelta(months=1)
    return out


def by_month(db: sqlite_utils.Database, p: Period) -> list[MonthRow]:
    return compute(db, p).by_month


def _office_dv(db: sqlite_utils.Database, p: Period, s: DvStats, township: str | None = None) -> None:
    """The figures of domestic violence not tied to the period's cases: a paper by the day it was issued, a visit by
    its planned day, an order as store/protection_orders.counts counts it, a mandatory report by the day the need
    was found (of the cases of one `township`, when given)."""
    papers = police_store.contact_counts(db, p.first, p.last, township)
    s.warnings, s.receipts = papers.get("warning", 0), papers.get("receipt", 0)
    s.visits_due, s.visits_done, s.visits_in_time = police_store.follow_up_counts(db, p.first, p.last, township)
    s.orders = order_store.counts(db, p.first, p.last, township)
    reports = report_store.counts(db, p.first, p.last, township)
    s.reports_needed, s.reports_made, s.reports_same_day = (reports["needed"], reports["reported"],
                                                            reports["reported_on_time"])


def dv_stats(db: sqlite_utils.Database, p: Period) -> DvStats:
    return compute(db, p).dv


@dataclass
class _Part:
    """One kind's figures of a period, with its own share of the months and of domestic violence (so that parts
    worked out at the same time on two connections never add to the same count)."""

    months: dict[str, MonthRow]
    dv: DvStats = field(default_factory=DvStats)
    petitions: PetitionStats | None = None
    referrals: ReferralStats | None = None
    mediations: MediationStats | None = None
    visits: VisitStats | None = None


# the parts of a period's figures, the most work first (a year of a million cases: petitions ≈ 1.0–1.1 s of CPU,
# the visits up to 0.5 s, mediations 0.2, referrals 0.1, the office's DV figures a few ms)
PARTS = ("petitions", "visits", "mediations", "referrals", "office")


def _part(db: sqlite_utils.Database, p: Period, kind: str, township: str | None) -> _Part:
    part = _Part({m: MonthRow(m) for m in _months(p)})
    if kind == "petitions":
        part.petitions = petition_stats(db, p, part.months, part.dv, township)
    elif kind == "referrals":
        part.referrals = referral_stats(db, p, part.months, part.dv, township)
    elif kind == "mediations":
        part.mediations = mediation_stats(db, p, part.months, part.dv, township)
    elif kind == "visits":
        part.visits = visit_stats(db, p, part.months, township)
    else:
        _office_dv(db, p, part.dv, township)
    return part


def _whole(p: Period, parts: dict[str, _Part]) -> Statistics:
    """The period's figures from its parts (PARTS)."""
    petitions, referrals = parts["petitions"].petitions, parts["referrals"].referrals
    mediations, visits = parts["mediations"].mediations, parts["visits"].visits
    assert petitions is not None and referrals is not None and mediations is not None and visits is not None
    months = [MonthRow(m, *(sum(getattr(part.months[m], k) for part in parts.values())
                            for k in ("petitions", "referrals", "mediations", "visits"))) for m in _months(p)]
    dv = parts["office"].dv  # the papers, visits after them, orders and reports; the cases' risk from the others
    for kind in ("petitions", "referrals", "mediations"):
        for level, n in parts[kind].dv.by_level.items():
            dv.by_level[level] = dv.by_level.get(level, 0) + n
        dv.repeats += parts[kind].dv.repeats
    dv.services = parts["referrals"].dv.services
    dv.by_level = dict(sorted(dv.by_level.items()))
    dv.cases = sum(dv.by_level.values())
    return Statistics(p, petitions, referrals, mediations, visits, months, dv)


def compute(db: sqlite_utils.Database, p: Period, township: str | None = None) -> Statistics:
    """Every figure of the period: of the whole office, or of one `township` ('' for the cases with none) — its
    cases and every record that belongs to them, so that a case is counted in exactly one township and the
    townships add up to the whole. Each kind's cases received in it are read once for all its tables (and their
    share of the months and of domestic violence), the visits once for the totals and townships and once for the
    kinds and months — a handful of queries, not one per table."""
    return _whole(p, {kind: _part(db, p, kind, township) for kind in PARTS})


def compare(db: sqlite_utils.Database, p: Period, township: str | None = None,
            beside: sqlite_utils.Database | None = None) -> Comparison:
    """The period's figures and the same period's a year before. With `beside`, a second connection to the same
    database (store/reader.open_reader), the two periods' parts are worked out on both connections at the same
    time, in two threads each within a read of its own, each thread taking the next part (the most work first)
    when it has done one: SQLite lets go of Python's lock while it steps, so the two keep both cores busy (a year
    with the year before at a million cases: ≈ 2.8 s of CPU, ≈ 1.4 s on each in a quiet run). The same queries, so the same
    figures. A failure in either thread is raised here once both have stopped."""
    periods = (p, p.year_before())
    if beside is None:
        return Comparison(compute(db, p, township), compute(db, periods[1], township))
    work = iter([(i, kind) for kind in PARTS for i in (0, 1)])
    taking = threading.Lock()
    parts: dict[tuple[int, str], _Part] = {}
    failed: list[BaseException] = []

    def take(conn: sqlite_utils.Database) -> None:
        try:
            with read_transaction(conn):
                while not failed:
                    with taking:
                        item = next(work, None)
                    if item is None:
                        return
                    parts[item] = _part(conn, periods[item[0]], item[1], township)
        except BaseException as e:  # raised in the caller's thread below
            failed.append(e)

    worker = threading.Thread(target=take, args=(beside,), name="statistics-beside", daemon=True)
    worker.start()
    try:
        take(db)
    finally:
        worker.join()  # the second connection is never left at work: the caller closes it
    if failed:
        raise failed[0]
    return Comparison(*(_whole(periods[i], {kind: parts[(i, kind)] for kind in PARTS}) for i in (0, 1)))


# --------------------------------------------------------------------------------------------
# Tables: what every output shows


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[object]]  # label cells first, then numbers (int, float rate, or Money)
    note: str = ""


@dataclass(frozen=True)
class Money:
    fen: int

    def __str__(self) -> str:
        return format_yuan(self.fen)


@dataclass(frozen=True)
class Rate:
    value: float | None

    def __str__(self) -> str:
        return percent(self.value)


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


def change(now: int, before: int) -> str:
    """增减: +3 (+25.0%) / -2 / 0."""
    diff = now - before
    if diff == 0:
        return "持平"
    sign = "+" if diff > 0 else "-"
    if before:
        return f"{sign}{abs(diff)}（{sign}{abs(diff) / before * 100:.1f}%）"
    return f"{sign}{abs(diff)}"


TOTAL = "接待来信来电来访（件次）"
CHANNEL_TOTAL = "合计（件次）"
VISITS_PEOPLE = "来访（人次）"
GROUPS = "集体访（批）"
GROUP_PEOPLE = "集体访（人次）"


def _channel_label(channel: str) -> str:
    """来信（件） / 来访（批）: a row of the channel table."""
    return f"{channel}（{CHANNEL_UNITS.get(channel, '件')}）"


def _cmp_headers(label: str) -> list[str]:
    return [label, "本期", "去年同期", "增减"]


def _row(label: str, now: int, before: int) -> list[object]:
    return [label, now, before, change(now, before)]


def _merge(now: list[tuple[str, int]], before: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    b = dict(before)
    out = [(k, n, b.get(k, 0)) for k, n in now]
    seen = {k for k, _ in now}
    out += [(k, 0, n) for k, n in before if k not in seen]
    return out


def tables(c: Comparison) -> list[Table]:
    now, before = c.current, c.previous
    np, bp = now.petitions, before.petitions
    out: list[Table] = []

    visitors = [
        _row(VISITS_PEOPLE, np.visit_people, bp.visit_people),
        _row(GROUPS, np.groups, bp.groups),
        _row(GROUP_PEOPLE, np.group_people, bp.group_people),
    ]
    overview = Table("overview", "总体情况", _cmp_headers("项目"), [
        _row(TOTAL, np.total, bp.total),
        _row(_channel_label(VISIT), np.visits, bp.visits),
        *visitors,
        _row("涉及家庭暴力（件）", np.dv, bp.dv),
        _row("提供法律援助转介（件次）", now.referrals.total, before.referrals.total),
        _row("受理调解（起）", now.mediations.accepted, before.mediations.accepted),
        _row("走访慰问（户次）", now.visits.visits, before.visits.visits),
    ])
    out.append(overview)

    channels = Table("channel", "信访：按信访方式", _cmp_headers("信访方式"), [
        *[_row(_channel_label(ch), np.channel(ch), bp.channel(ch)) for ch in petition_rules.CHANNELS],
        _row(CHANNEL_TOTAL, np.total, bp.total),
        *visitors,
    ])
    channels.note = (f"来信、来电、网上、12338热线按件计，来访按批计（一起来的为一批）；合计为各种方式的件数之和。"
                     f"来访人次为各批来访的人数之和；集体访指{petition_rules.GROUP_SIZE}人以上的来访。")
    out.append(channels)

    cat = Table("category", "信访：按问题类别", ["问题类别", "本期", "占比", "去年同期", "增减"], [])
    for k, n, b in _merge(np.by_category, bp.by_category):
        cat.rows.append([k or "（未填）", n, Rate(n / np.total if np.total else None), b, change(n, b)])
    cat.rows.append(["合计", np.total, Rate(1.0 if np.total else None), bp.total, change(np.total, bp.total)])
    out.append(cat)

    before_sub = {(cat_, sub_): count for cat_, sub_, count in bp.by_subcategory}
    sub = Table("subcategory", "信访：按问题类别和具体问题", ["问题类别", "具体问题", "本期", "去年同期", "增减"], [])
    seen = set()
    for cat_, sub_, count in np.by_subcategory:
        seen.add((cat_, sub_))
        earlier = before_sub.get((cat_, sub_), 0)
        sub.rows.append([cat_ or "（未填）", sub_ or "（未细分）", count, earlier, change(count, earlier)])
    for (cat_, sub_), earlier in before_sub.items():
        if (cat_, sub_) not in seen:
            sub.rows.append([cat_ or "（未填）", sub_ or "（未细分）", 0, earlier, change(0, earlier)])
    out.append(sub)

    nature = Table("nature", "信访：按事项类型", ["事项类型", "本期", "占比", "去年同期", "增减"], [])
    for k, n, b in _merge(np.by_nature, bp.by_nature):
        nature.rows.append([f"{k}类", n, Rate(n / np.total if np.total else None), b, change(n, b)])
    nature.rows.append(["合计", np.total, Rate(1.0 if np.total else None), bp.total, change(np.total, bp.total)])
    nature.note = ("申诉求决类受理后60日内办结并出具处理意见书（信访工作条例第三十一条、第三十四条）；"
                   "建议意见类研究论证后书面答复（第二十九条）；检举控告类转送有权处理的机关（第三十条）。")
    out.append(nature)

    repeat = Table("repeat", "信访：初信初访与重复信访", _cmp_headers("项目"), [
        _row("初信初访（件）", np.first_time, bp.first_time),
        _row("重复信访（件）", np.repeats, bp.repeats),
        _row("疑似重复、待核实（件）", np.repeats_pending, bp.repeats_pending),
        ["重复信访率", Rate(np.repeat_rate), Rate(bp.repeat_rate), ""],
    ])
    repeat.note = ("重复信访：同一信访人或同一事项在前次信访后12个月内再次信访，登记时标记、经工作人员确认的；"
                   "重复信访率＝重复信访件数÷信访总件数；初信初访＝信访总件数－重复信访件数（待核实的计入初信初访）。")
    out.append(repeat)

    town = Table("township", "信访：按乡镇", _cmp_headers("乡镇"), [])
    for k, n, b in _merge(np.by_township, bp.by_township):
        town.rows.append(_row(k or "（未填）", n, b))
    out.append(town)

    status = Table("status", "信访：按办理状态", _cmp_headers("状态"), [])
    b_status = dict(bp.by_status)
    n_status = dict(np.by_status)
    for key, label in petition_rules.STATUS_LABELS.items():
        status.rows.append(_row(label, n_status.get(key, 0), b_status.get(key, 0)))
    out.append(status)

    result = Table("result", "信访：按处理结果（已办结）", _cmp_headers("处理结果"), [])
    for k, n, b in _merge(np.by_result, bp.by_result):
        result.rows.append(_row(k, n, b))
    out.append(result)

    def days(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f}天"

    closing = Table("closing", "信访：办结时间", ["项目", "本期", "去年同期", "增减"], [
        _row("已书面告知是否受理（件）", np.told, bp.told),
        _row("按期告知（件）", np.told_in_time, bp.told_in_time),
        ["按期告知率", Rate(np.told_in_time_rate), Rate(bp.told_in_time_rate), ""],
        _row("已办结（件）", np.concluded, bp.concluded),
        _row("按期办结（件）", np.closed_in_time, bp.closed_in_time),
        ["按期办结率", Rate(np.in_time_rate), Rate(bp.in_time_rate), ""],
        ["平均办结用时（自收到之日起）", days(np.days_to_close), days(bp.days_to_close), ""],
    ])
    closing.note = (f"按期告知：当场或自收到之日起{ACCEPT_DAYS}日内书面告知是否受理（转送的，告知转送去向）。"
                    f"按期办结：自受理之日起{CONCLUDE_DAYS}日内办结（经批准延期的，加上延长的天数）。")
    out.append(closing)

    transfers = Table("transfer", "信访：上级交办、转送与转送其他单位", _cmp_headers("项目"), [
        _row("上级交办、转送（件）", np.transferred, bp.transferred),
        _row("提出异议退回（件）", np.returned, bp.returned),
        _row("已办结或不予受理并回告（件）", np.reported, bp.reported),
        _row("按期回告（件）", np.reported_in_time, bp.reported_in_time),
        ["按期回告率", Rate(np.reported_in_time_rate), Rate(bp.reported_in_time_rate), ""],
        _row("转送其他单位办理（件）", np.passed_on, bp.passed_on),
        _row("已答复（件）", np.passed_answered, bp.passed_answered),
        _row("按期答复（件）", np.passed_answered_in_time, bp.passed_answered_in_time),
        ["转送按期答复率", Rate(np.passed_answered_in_time_rate), Rate(bp.passed_answered_in_time_rate), ""],
    ])
    transfers.note = ("提出异议退回：不属本会职责，收到后5个工作日内出具退回函的（不计入回告）。"
                      "按期回告：在交办单位要求的日期前办结（或不予受理）并回告；没有要求日期的，自受理之日起"
                      f"{CONCLUDE_DAYS}日内（经批准延期的加上延长的天数）。转送其他单位的，按转送函要求的日期计算按期答复。"
                      "都按收到日期统计。")
    out.append(transfers)

    review = Table("review", "信访：复查与复核", _cmp_headers("项目"), [])
    for stage in petition_rules.REVIEW_STAGES:  # a stage neither period saw is left out, and so is an outcome
        rn, rb = np.reviews[stage], bp.reviews[stage]
        if not (rn.requested or rb.requested):
            continue
        review.rows += [
            _row(f"请求{rn.name}（件）", rn.requested, rb.requested),
            _row(f"已{rn.name}答复（件）", rn.answered, rb.answered),
            _row(f"{rn.name}按期答复（件）", rn.answered_in_time, rb.answered_in_time),
            [f"{rn.name}按期答复率", Rate(rn.in_time_rate), Rate(rb.in_time_rate), ""],
            *(_row(f"{rn.name}结果：{k}（件）", rn.result(k), rb.result(k)) for k in course.REVIEW_RESULTS
              if rn.result(k) or rb.result(k)),
        ]
    review.note = (f"按信访人提出请求的日期统计。按期答复：自收到请求之日起{petition_rules.REVIEW_DAYS}日内答复"
                   "（信访工作条例第三十五条、第三十六条）；本会答复的和上一级机关答复后记下的都计入。"
                   "按期答复率＝按期答复件数÷已答复件数。")
    if review.rows:
        out.append(review)

    rating = Table("satisfaction", "信访：满意度（已办结）", _cmp_headers("评价"), [])
    for (k, n), (_, b) in zip(np.by_rating, bp.by_rating, strict=True):
        rating.rows.append(_row(f"{k}（件）", n, b))
    rating.rows += [
        _row("参评（件）", np.rated, bp.rated),
        ["参评率", Rate(np.rating_rate), Rate(bp.rating_rate), ""],
        ["满意率", Rate(np.satisfaction_rate), Rate(bp.satisfaction_rate), ""],
    ]
    rating.note = ("以信访人最近一次评价为准（办结时或回访时）。参评：评价为满意、基本满意或不满意；"
                   "参评率＝参评件数÷已办结件数；满意率＝（满意＋基本满意）÷参评件数。未评价含未询问的。")
    out.append(rating)

    nr, br = now.referrals, before.referrals
    matter = Table("referral_matter", "法律援助转介：按事项", _cmp_headers("事项"), [])
    for k, n, b in _merge(nr.by_matter, br.by_matter):
        matter.rows.append(_row(k, n, b))
    matter.rows.append(_row("合计", nr.total, br.total))
    out.append(matter)
    answer = Table("referral_answer", "法律援助转介：按答复情况", _cmp_headers("答复情况"), [])
    for (k, n), (_, b) in zip(nr.by_answer, br.by_answer, strict=True):
        answer.rows.append(_row(k, n, b))
    answer.rows.append(_row("7日内答复", nr.answered_in_time, br.answered_in_time))
    answer.rows.append(_row("免予经济困难审查（第三十二条）", nr.exempt, br.exempt))
    out.append(answer)

    out.extend(dv_tables(now.dv, before.dv))

    nm, bm = now.mediations, before.mediations
    med = Table("mediation", "婚姻家庭纠纷调解", _cmp_headers("项目"), [
        _row("受理调解（起）", nm.accepted, bm.accepted),
        _row("调结（起）", nm.concluded, bm.concluded),
        _row("和好（起）", nm.reconciled, bm.reconciled),
        _row("达成调解协议（起）", nm.agreed, bm.agreed),
        _row("当事人自行和解（起）", nm.self_settled, bm.self_settled),
        _row("调解不成（起）", nm.failed, bm.failed),
        _row("终止调解（起）", nm.ended, bm.ended),
        ["和好率", Rate(nm.reconciliation_rate), Rate(bm.reconciliation_rate), ""],
        ["调解成功率", Rate(nm.success_rate), Rate(bm.success_rate), ""],
    ])
    med.note = "受理数按受理日期计；结果按调结日期计。和好率、调解成功率以本期调结数为基数。"
    out.append(med)
    if nm.by_type or bm.by_type:
        mt = Table("mediation_type", "调解：按纠纷类型（受理）", _cmp_headers("纠纷类型"), [])
        for k, n, b in _merge(nm.by_type, bm.by_type):
            mt.rows.append(_row(k, n, b))
        out.append(mt)

    nv, bv = now.visits, before.visits
    visits = Table("visits", "帮扶户走访慰问", ["项目", "本期", "去年同期", "增减"], [
        _row("走访慰问（户次）", nv.visits, bv.visits),
        _row("走访到户（户）", nv.households, bv.households),
        *[_row(f"其中{label}（户次）", nv.by_kind.get(k, 0), bv.by_kind.get(k, 0))
          for k, label in household_rules.VISIT_KINDS.items()],
        ["发放慰问金", Money(nv.cash_fen), Money(bv.cash_fen), _money_change(nv.cash_fen, bv.cash_fen)],
        ["发放慰问物资（折合）", Money(nv.goods_fen), Money(bv.goods_fen), _money_change(nv.goods_fen, bv.goods_fen)],
        _row("期末在册帮扶对象（户/人）", nv.registered, bv.registered),
    ])
    out.append(visits)
    vt = Table("visit_township", "走访慰问：按乡镇", ["乡镇", "户次", "户数", "慰问金", "慰问物资（折合）",
                                                 "去年同期户次"], [])
    before_t = {row[0]: row[1] for row in bv.by_township}
    for town_, n_visits, n_households, cash, goods in nv.by_township:
        vt.rows.append([town_ or "（未填）", n_visits, n_households, Money(cash), Money(goods),
                        before_t.get(town_, 0)])
    out.append(vt)

    months = Table("month", "按月份", ["月份", *MONTH_KINDS, "走访慰问（户次）"], [])
    for m in now.by_month:
        months.rows.append([f"{int(m.month[:4])}年{int(m.month[5:])}月", m.petitions, m.referrals, m.mediations,
                            m.visits])
    out.append(months)
    return out


def dv_tables(n: DvStats, b: DvStats) -> list[Table]:
    """家庭暴力: the cases and their risk, the police's papers and the visits after them, the mandatory reports, the
    protection orders, the referrals by service."""
    levels = [*risk_rules.LEVELS[::-1], ""]  # high first; not assessed last
    cases = Table("dv", "家庭暴力：案件与风险", _cmp_headers("项目"), [
        _row("涉及家庭暴力的案件（件）", n.cases, b.cases),
        *(_row(f"其中风险{risk_rules.level_text(k)}（件）" if k else "其中未做风险评估（件）",
               n.by_level.get(k, 0), b.by_level.get(k, 0)) for k in levels),
        _row(f"{dv_repeat.REPEAT_MONTHS}个月内再次求助（件）", n.repeats, b.repeats),
        ["重复求助率", Rate(n.repeat_rate), Rate(b.repeat_rate), ""],
    ])
    cases.note = ("信访、转介、调解中涉及家庭暴力的，按收到（转介、受理）日期计；风险等级取到期末为止最近一次评估。"
                  f"再次求助：同一妇女在此前{dv_repeat.REPEAT_MONTHS}个月内另有案件（信访、转介或调解；由同一件信访转出的不算）；"
                  "重复求助率＝再次求助件数÷涉及家庭暴力的案件数。")
    police = Table("dv_police", "家庭暴力：告诫书、查访和强制报告", _cmp_headers("项目"), [
        _row("公安机关出具告诫书（份）", n.warnings, b.warnings),
        _row("报警回执（份）", n.receipts, b.receipts),
        _row("告诫书后计划查访（次）", n.visits_due, b.visits_due),
        _row("已查访（次）", n.visits_done, b.visits_done),
        _row("按期查访（次）", n.visits_in_time, b.visits_in_time),
        ["告诫书后按期查访率", Rate(n.visits_in_time_rate), Rate(b.visits_in_time_rate), ""],
        _row("须强制报告（人）", n.reports_needed, b.reports_needed),
        _row("已向公安机关报案（人）", n.reports_made, b.reports_made),
        _row("发现当日报案（人）", n.reports_same_day, b.reports_same_day),
    ])
    police.note = ("告诫书、报警回执按出具日期计；查访按计划查访的日期计，在计划日期当天或之前查访的为按期；"
                   "按期查访率＝按期查访次数÷计划查访次数。强制报告（反家庭暴力法第十四条）按发现须报告的日期计。")
    no, bo = n.orders, b.orders
    orders = Table("dv_orders", "家庭暴力：人身安全保护令", _cmp_headers("项目"), [
        _row("协助申请（件）", no.get("applied", 0), bo.get("applied", 0)),
        _row("其中本会代为申请（件）", no.get("on_behalf", 0), bo.get("on_behalf", 0)),
        _row("其中情况紧急（件）", no.get("urgent", 0), bo.get("urgent", 0)),
        _row("法院作出保护令（件）", no.get("granted", 0), bo.get("granted", 0)),
        _row("法院驳回（件）", no.get("refused", 0), bo.get("refused", 0)),
        _row("期末仍在有效期内（件）", no.get("in_force", 0), bo.get("in_force", 0)),
        _row("期内到期（件）", no.get("ended", 0), bo.get("ended", 0)),
        _row("违反保护令（次）", no.get("violations", 0), bo.get("violations", 0)),
        _row("已报告法院（次）", no.get("violations_reported", 0), bo.get("violations_reported", 0)),
    ])
    orders.note = "申请按提出日期计，作出或驳回按裁定日期计，到期按有效期最后一天计，期末有效按统计期最后一天计。"
    services = Table("dv_referral", "转介：按服务", ["服务", "本期转介（件）", "已答复（件）", "按期答复（件）",
                                                   "按期答复率", "去年同期转介（件）"], [])
    for row in n.services:
        earlier = b.service(row.service)
        if row.referred or earlier.referred:
            services.rows.append([row.service, row.referred, row.answered, row.in_time, Rate(row.in_time_rate),
                                  earlier.referred])
    answered, in_time = sum(r.answered for r in n.services), sum(r.in_time for r in n.services)
    services.rows.append(["合计", n.referred, answered, in_time, Rate(in_time / answered if answered else None),
                          b.referred])
    days = "、".join(f"{s.name}{s.answer_days}日" for s in referral_rules.SERVICES.values())
    services.note = (f"按转介日期计。按期答复：自转介函发出之日起，在该服务的答复期内答复（{days}；法律援助为法律援助法"
                     "第四十三条的七日）；按期答复率＝按期答复件数÷已答复件数。")
    return [cases, police, orders, services]


# --------------------------------------------------------------------------------------------
# Charts: the figures the statistics page draws, taken from the same fields as the tables

CHART_BARS = 12  # categories or townships drawn at most
MONTHS_DRAWN = 24  # longer periods are drawn by year


@dataclass
class Chart:
    key: str
    title: str
    labels: list[str]  # one per category, in the order of the table
    series: list[tuple[str, list[float]]]  # (name, one value per label)
    horizontal: bool = False
    percent: bool = False  # the values are percentages (rates); a period without a case for one is said on its label


def rates(p: PetitionStats) -> list[tuple[str, float | None]]:
    """The rates reported upward, each as the tables define it (the rates chart draws these)."""
    return [
        ("按期告知率", p.told_in_time_rate), ("按期办结率", p.in_time_rate), ("重复信访率", p.repeat_rate),
        ("参评率", p.rating_rate), ("满意率", p.satisfaction_rate), ("交办按期回告率", p.reported_in_time_rate),
        ("转送按期答复率", p.passed_answered_in_time_rate),
        *((f"{r.name}按期答复率", r.in_time_rate) for r in p.reviews.values()),
    ]


def _month_counts(m: MonthRow) -> list[int]:
    return [m.petitions, m.referrals, m.mediations]


def charts(c: Comparison, most: int = CHART_BARS) -> list[Chart]:
    """By month (信访, 转介 and 调解 side by side), by category and by township (本期 and 去年同期), and the rates
    reported upward (本期 and 去年同期, as `rates` gives them)."""
    now, before = c.current, c.previous
    months = now.by_month
    kinds = "、".join(MONTH_KINDS)
    if len(months) <= MONTHS_DRAWN:
        if len(months) <= 12 and months[0].month[:4] == months[-1].month[:4]:
            labels = [f"{int(m.month[5:])}月" for m in months]
        else:
            labels = [f"{m.month[2:4]}年{int(m.month[5:])}月" for m in months]
        counts = [_month_counts(m) for m in months]
        by_time = Chart("month", f"按月份：{kinds}（件）", labels, [])
    else:
        years: dict[str, list[int]] = {}
        for m in months:
            years[m.month[:4]] = [a + b for a, b in zip(years.get(m.month[:4], [0, 0, 0]), _month_counts(m),
                                                        strict=True)]
        labels, counts = [f"{y}年" for y in years], list(years.values())
        by_time = Chart("month", f"按年份：{kinds}（件）", labels, [])
    by_time.series = [(kind, [row[i] for row in counts]) for i, kind in enumerate(MONTH_KINDS)]
    out = [by_time]
    for key, title, now_rows, before_rows in (
        ("category", "信访：按问题类别", now.petitions.by_category, before.petitions.by_category),
        ("township", "信访：按乡镇", now.petitions.by_township, before.petitions.by_township),
    ):
        shown = now_rows[:most]
        earlier = dict(before_rows)
        cut = f"，前{most}个" if len(now_rows) > most else ""
        out.append(Chart(key, f"{title}（件{cut}）", [k or "（未填）" for k, _ in shown],
                         [("本期", [n for _, n in shown]), ("去年同期", [earlier.get(k, 0) for k, _ in shown])],
                         horizontal=True))
    now_rates, before_rates = rates(now.petitions), rates(before.petitions)
    shown_rates = [i for i, ((_, a), (_, b)) in enumerate(zip(now_rates, before_rates, strict=True))
                   if a is not None or b is not None]  # a rate neither period has a case for is left out
    labels = [now_rates[i][0] + ("（本期无）" if now_rates[i][1] is None else "（去年同期无）"
                                 if before_rates[i][1] is None else "") for i in shown_rates]
    out.append(Chart("rates", "信访：各项比率（%）", labels,
                     [(name, [round((values[i][1] or 0) * 100, 1) for i in shown_rates])
                      for name, values in (("本期", now_rates), ("去年同期", before_rates))],
                     horizontal=True, percent=True))
    return out


def _money_change(now: int, before: int) -> str:
    diff = now - before
    if diff == 0:
        return "持平"
    return ("+" if diff > 0 else "-") + format_yuan(abs(diff))
