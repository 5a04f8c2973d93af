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
from dataclasses import dataclass, field

import sqlite_utils
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
from ..store.protection import DV_CONDITION

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


def _span(p: Period) -> list[str | None]:
    return [to_iso(p.first), to_iso(p.last)]


def petition_stats(db: sqlite_utils.Database, p: Period) -> PetitionStats:
    span = _span(p)
    base = "FROM cases c JOIN petitions t ON t.case_id = c.id WHERE c.kind = 'petition' AND c.received_on BETWEEN ? AND ?"
    s = PetitionStats()
    group = f"t.channel = '{VISIT}' AND t.headcount >= {petition_rules.GROUP_SIZE}"
    rated = ", ".join(f"'{k}'" for k in course.RATED)
    satisfied = ", ".join(f"'{k}'" for k in course.SATISFIED)
    r = db.execute(
        f"""SELECT COUNT(*), COALESCE(SUM(CASE WHEN t.channel = '{VISIT}' THEN t.headcount END), 0),
                   COALESCE(SUM({group}), 0), COALESCE(SUM(CASE WHEN {group} THEN t.headcount END), 0),
                   COALESCE(SUM(t.dv), 0),
                   COALESCE(SUM(c.status = 'concluded' AND t.concluded_on IS NOT NULL), 0),
                   COALESCE(SUM(c.status = 'concluded' AND t.concluded_on IS NOT NULL AND t.accepted_on IS NOT NULL
                       AND t.concluded_on <= date(t.accepted_on, '+' || ({CONCLUDE_DAYS} + t.extension_days) || ' days')), 0),
                   AVG(CASE WHEN c.status = 'concluded' AND t.concluded_on IS NOT NULL
                       THEN julianday(t.concluded_on) - julianday(c.received_on) END),
                   COALESCE(SUM(t.told_on IS NOT NULL), 0),
                   COALESCE(SUM(t.told_on IS NOT NULL AND t.told_on <= date(c.received_on, '+{ACCEPT_DAYS} days')), 0),
                   COALESCE(SUM(c.status = 'concluded' AND t.concluded_on IS NOT NULL AND t.rating IN ({rated})), 0),
                   COALESCE(SUM(c.status = 'concluded' AND t.concluded_on IS NOT NULL AND t.rating IN ({satisfied})), 0),
                   COALESCE(SUM(t.repeat_state = 'confirmed'), 0), COALESCE(SUM(t.repeat_state = 'suspected'), 0),
                   COALESCE(SUM(t.source_body <> ''), 0),
                   COALESCE(SUM(t.source_body <> '' AND c.status IN ('concluded', 'refused')), 0),
                   COALESCE(SUM(t.source_body <> '' AND c.status = 'returned'), 0),
                   COALESCE(SUM(t.source_body <> '' AND c.status IN ('concluded', 'refused') AND c.closed_on <= COALESCE(
                       t.source_due_on,
                       date(COALESCE(t.accepted_on, c.received_on), '+' || ({CONCLUDE_DAYS} + t.extension_days) || ' days'))), 0),
                   COALESCE(SUM(t.transfer_sent_on IS NOT NULL), 0),
                   COALESCE(SUM(t.transfer_answered_on IS NOT NULL), 0),
                   COALESCE(SUM(t.transfer_answered_on IS NOT NULL AND t.transfer_answered_on <= t.transfer_due_on), 0)
            {base}""", span).fetchone()
    s.total, s.visit_people, s.groups, s.group_people, s.dv, s.concluded, s.closed_in_time = (int(v) for v in r[:7])
    s.days_to_close = float(r[7]) if r[7] is not None else None
    s.told, s.told_in_time, s.rated, s.satisfied, s.repeats, s.repeats_pending = (int(v) for v in r[8:14])
    s.transferred, s.reported, s.returned, s.reported_in_time = (int(v) for v in r[14:18])
    s.passed_on, s.passed_answered, s.passed_answered_in_time = (int(v) for v in r[18:21])
    natures = {str(k): int(n) for k, n in db.execute(f"SELECT t.nature, COUNT(*) {base} GROUP BY t.nature", span)}
    s.by_nature = [(k, natures.pop(k, 0)) for k in petition_rules.NATURES] + sorted(natures.items())
    ratings = {str(k): int(n) for k, n in db.execute(
        f"""SELECT CASE WHEN t.rating IN ({rated}) THEN t.rating ELSE '{course.NOT_RATED}' END, COUNT(*) {base}
            AND c.status = 'concluded' AND t.concluded_on IS NOT NULL GROUP BY 1""", span)}
    s.by_rating = [(k, ratings.get(k, 0)) for k in course.RATINGS]
    s.by_channel = {str(ch): int(n) for ch, n in db.execute(
        f"SELECT t.channel, COUNT(*) {base} GROUP BY t.channel", span).fetchall()}
    s.by_category = [(str(a), int(n)) for a, n in db.execute(
        f"SELECT c.category, COUNT(*) {base} GROUP BY c.category ORDER BY COUNT(*) DESC, c.category", span)]
    s.by_subcategory = [(str(a), str(b), int(n)) for a, b, n in db.execute(
        f"""SELECT c.category, c.subcategory, COUNT(*) {base} GROUP BY c.category, c.subcategory
            ORDER BY c.category, COUNT(*) DESC, c.subcategory""", span)]
    s.by_township = [(str(a), int(n)) for a, n in db.execute(
        f"SELECT c.township, COUNT(*) {base} GROUP BY c.township ORDER BY COUNT(*) DESC, c.township", span)]
    order = {k: i for i, k in enumerate(petition_rules.STATUS_LABELS)}
    s.by_status = sorted(((str(a), int(n)) for a, n in db.execute(
        f"SELECT c.status, COUNT(*) {base} GROUP BY c.status", span)), key=lambda x: order.get(x[0], 99))
    for stage, asked, answered, in_time, result, n in db.execute(
            f"""SELECT r.stage, COUNT(*), COALESCE(SUM(r.answered_on IS NOT NULL), 0),
                       COALESCE(SUM(r.answered_on <= date(r.requested_on, '+{petition_rules.REVIEW_DAYS} days')), 0),
                       r.result, COUNT(*)
                FROM petition_reviews r JOIN cases c ON c.id = r.case_id
                WHERE c.kind = 'petition' AND r.requested_on BETWEEN ? AND ? GROUP BY r.stage, r.result""", span):
        if (rs := s.reviews.get(str(stage))) is not None:
            rs.requested, rs.answered = rs.requested + int(asked), rs.answered + int(answered)
            rs.answered_in_time += int(in_time)
            if result and answered:
                rs.by_result[str(result)] = rs.result(str(result)) + int(n)
    results = {k: i for i, k in enumerate(petition_rules.RESULTS)}
    s.by_result = sorted(((str(a), int(n)) for a, n in db.execute(
        f"SELECT t.result, COUNT(*) {base} AND t.result <> '' GROUP BY t.result", span)),
        key=lambda x: results.get(x[0], 99))
    return s


def referral_stats(db: sqlite_utils.Database, p: Period) -> ReferralStats:
    """Legal-aid referrals (the other services' are in dv_stats)."""
    span = _span(p)
    base = (f"FROM cases c JOIN referrals r ON r.case_id = c.id WHERE c.kind = 'referral' "
            f"AND r.service = '{referral_rules.LEGAL_AID}' AND c.received_on BETWEEN ? AND ?")
    s = ReferralStats()
    row = db.execute(
        f"""SELECT COUNT(*), COALESCE(SUM(r.answered_on IS NOT NULL), 0),
                   COALESCE(SUM(r.answered_on IS NOT NULL AND r.sent_on IS NOT NULL
                       AND r.answered_on <= date(r.sent_on, '+{referral_rules.ANSWER_DAYS} days')), 0),
                   COALESCE(SUM(r.victim_of LIKE '%家庭暴力%' OR r.victim_of LIKE '%虐待%' OR r.victim_of LIKE '%遗弃%'), 0)
            {base}""", span).fetchone()
    s.total, s.answered, s.answered_in_time, s.exempt = (int(v) for v in row)
    matters = {k: i for i, k in enumerate(referral_rules.MATTERS)}
    s.by_matter = sorted(((str(a), int(n)) for a, n in db.execute(
        f"SELECT r.matter, COUNT(*) {base} GROUP BY r.matter", span)), key=lambda x: matters.get(x[0], 99))
    by_status = {str(a): int(n) for a, n in db.execute(f"SELECT c.status, COUNT(*) {base} GROUP BY c.status", span)}
    s.by_answer = [(answer, sum(by_status.get(k, 0) for k in keys)) for answer, keys in REFERRAL_ANSWERS.items()]
    return s


def mediation_stats(db: sqlite_utils.Database, p: Period) -> MediationStats:
    span = _span(p)
    s = MediationStats()
    types = {k: i for i, k in enumerate(mediation_rules.DISPUTE_TYPES)}
    s.by_type = sorted(((str(a), int(n)) for a, n in db.execute(
        """SELECT m.dispute_type, COUNT(*) FROM cases c JOIN mediations m ON m.case_id = c.id
           WHERE c.kind = 'mediation' AND c.received_on BETWEEN ? AND ? GROUP BY m.dispute_type""", span)),
        key=lambda x: types.get(x[0], 99))
    s.accepted = sum(n for _, n in s.by_type)
    for outcome, n in db.execute(
        "SELECT outcome, COUNT(*) FROM mediations WHERE outcome <> '' AND outcome_on BETWEEN ? AND ? GROUP BY outcome",
        span,
    ):
        s.concluded += int(n)
        if outcome in mediation_rules.OUTCOMES:
            setattr(s, str(outcome), int(n))
    return s


def visit_stats(db: sqlite_utils.Database, p: Period) -> VisitStats:
    span = _span(p)
    s = VisitStats()
    # answered from the covering index visits_stats alone; cases are looked up once per household
    base = "FROM visits v WHERE v.visited_on BETWEEN ? AND ?"
    r = db.execute(f"""SELECT COUNT(*), COUNT(DISTINCT v.case_id), COALESCE(SUM(v.cash_fen), 0),
                              COALESCE(SUM(v.goods_fen), 0) {base}""", span).fetchone()
    s.visits, s.households, s.cash_fen, s.goods_fen = (int(v) for v in r)
    kinds = {str(k): int(n) for k, n in db.execute(f"SELECT v.kind, COUNT(*) {base} GROUP BY v.kind", span)}
    s.by_kind = {k: kinds.get(k, 0) for k in household_rules.VISIT_KINDS}
    s.by_township = [(str(t), int(a), int(b), int(c), int(d)) for t, a, b, c, d in db.execute(
        f"""SELECT c.township, SUM(h.n), COUNT(*), SUM(h.cash), SUM(h.goods)
            FROM (SELECT v.case_id, COUNT(*) AS n, COALESCE(SUM(v.cash_fen), 0) AS cash,
                         COALESCE(SUM(v.goods_fen), 0) AS goods {base} GROUP BY v.case_id) h
            JOIN cases c ON c.id = h.case_id
            GROUP BY c.township ORDER BY SUM(h.n) DESC, c.township""",
        span)]
    s.registered = int(db.execute(
        """SELECT COUNT(*) FROM cases c JOIN households h ON h.case_id = c.id
           WHERE c.kind = 'household' AND c.received_on <= ? AND (h.exited_on IS NULL OR h.exited_on > ?)""",
        [to_iso(p.last), to_iso(p.last)]).fetchone()[0])
    return s


def _months(p: Period) -> list[str]:
    out = []
    d = p.first.replace(day=1)
    while d <= p.last:
        out.append(f"{d:%Y-%m}")
        d += relativedelta(months=1)
    return out


def by_month(db: sqlite_utils.Database, p: Period) -> list[MonthRow]:
    span = _span(p)
    rows = {m: MonthRow(m) for m in _months(p)}
    for month, kind, n in db.execute(
        """SELECT substr(received_on, 1, 7), kind, COUNT(*) FROM cases
           WHERE kind IN ('petition', 'referral', 'mediation') AND received_on BETWEEN ? AND ?
             AND (kind <> 'referral' OR id IN (SELECT case_id FROM referrals WHERE service = ?))
           GROUP BY 1, 2""", [*span, referral_rules.LEGAL_AID]):
        row = rows.get(str(month))
        if row is not None:
            attr = {"petition": "petitions", "referral": "referrals", "mediation": "mediations"}[str(kind)]
            setattr(row, attr, int(n))
    for month, n in db.execute(
        "SELECT substr(visited_on, 1, 7), COUNT(*) FROM visits WHERE visited_on BETWEEN ? AND ? GROUP BY 1", span
    ):
        if str(month) in rows:
            rows[str(month)].visits = int(n)
    return list(rows.values())


def _answer_due_sql() -> str:
    """The day a referral's answer was due, in SQL: its service's days after it was sent (domain/referral.py)."""
    days = " ".join(f"WHEN '{s.name}' THEN {s.answer_days}" for s in referral_rules.SERVICES.values())
    return f"date(r.sent_on, '+' || (CASE r.service {days} ELSE {referral_rules.ANSWER_DAYS} END) || ' days')"


def dv_stats(db: sqlite_utils.Database, p: Period) -> DvStats:
    """Counted by the day a case was received (its risk: the level last assessed up to the period's end), a paper by
    the day it was issued, a visit by its planned day, an order as store/protection_orders.counts counts it, a
    mandatory report by the day the need was found."""
    first, last = _span(p)
    s = DvStats()
    dv_cases = f"""SELECT c.id, c.person_id, c.received_on FROM cases c
                   WHERE c.kind IN ('petition', 'referral', 'mediation') AND c.received_on BETWEEN :first AND :last
                     AND ({DV_CONDITION})"""
    span = {"first": first, "last": last}
    for level, n in db.execute(
            f"""SELECT COALESCE((SELECT a.level FROM risk_assessments a WHERE a.case_id = d.id AND a.assessed_on <= :last
                                ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1), ''), COUNT(*)
                FROM ({dv_cases}) d GROUP BY 1""", span):
        s.by_level[str(level)] = int(n)
    s.cases = sum(s.by_level.values())
    s.repeats = int(db.execute(
        f"""SELECT COUNT(*) FROM ({dv_cases}) d WHERE d.person_id IS NOT NULL AND EXISTS (
              SELECT 1 FROM cases e JOIN case_people cp ON cp.case_id = e.id
              WHERE cp.person_id = d.person_id AND e.kind IN ('petition', 'referral', 'mediation') AND e.id <> d.id
                AND e.received_on >= date(d.received_on, '-{dv_repeat.REPEAT_MONTHS} months')
                AND (e.received_on < d.received_on OR (e.received_on = d.received_on AND e.id < d.id)))""",
        span).fetchone()[0])
    papers = police_store.contact_counts(db, p.first, p.last)
    s.warnings, s.receipts = papers.get("warning", 0), papers.get("receipt", 0)
    s.visits_due, s.visits_done, s.visits_in_time = police_store.follow_up_counts(db, p.first, p.last)
    s.orders = order_store.counts(db, p.first, p.last)
    reports = report_store.counts(db, p.first, p.last)
    s.reports_needed, s.reports_made, s.reports_same_day = (reports["needed"], reports["reported"],
                                                            reports["reported_on_time"])
    rows = {str(r[0]): r[1:] for r in db.execute(
        f"""SELECT r.service, COUNT(*), COALESCE(SUM(r.answered_on IS NOT NULL), 0),
                   COALESCE(SUM(r.answered_on IS NOT NULL AND r.sent_on IS NOT NULL
                                AND r.answered_on <= {_answer_due_sql()}), 0)
            FROM cases c JOIN referrals r ON r.case_id = c.id
            WHERE c.kind = 'referral' AND c.received_on BETWEEN ? AND ? GROUP BY r.service""", [first, last])}
    s.services = [ServiceRow(name, *(int(v) for v in rows.get(name, (0, 0, 0)))) for name in referral_rules.SERVICES]
    return s


def compute(db: sqlite_utils.Database, p: Period) -> Statistics:
    return Statistics(p, petition_stats(db, p), referral_stats(db, p), mediation_stats(db, p),
                      visit_stats(db, p), by_month(db, p), dv_stats(db, p))


def compare(db: sqlite_utils.Database, p: Period) -> Comparison:
    return Comparison(compute(db, p), compute(db, p.year_before()))


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
                  f"再次求助：同一妇女在此前{dv_repeat.REPEAT_MONTHS}个月内另有案件（信访、转介或调解）；"
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
