"""Import the office's registers (信访, 法律援助转介, 调解, 帮扶对象, 走访慰问) from .xlsx or .csv.

1. reports/reading.py reads the file: `read_file` finds the header row, `guess_kind` and `guess_mapping`
   map its columns to fields;
2. `run(..., write=False)` checks every row exactly as the import would write it, inside a transaction
   that is rolled back: the user sees per row what is wrong (bad ID number, unknown category, bad
   date …) and which rows are already on file, before anything is written;
3. `run(..., write=True)` writes all good rows in one transaction, or nothing.

Every row goes through the same services as the forms, so an imported case is checked by the same
rules and gets its number, people, timeline, deadline and search entries. People already on file are
matched by ID number. A row already on file (the same case number, or the same person, date and
facts) is skipped, so running the same import twice adds nothing the second time.

What a register never had is not invented: a required field it has no column (or an empty cell) for that
a register may lack (Field.gap: 乡镇, 事情经过, 案情, 纠纷简要情况, 纳入日期, 走访人) is recorded as 未记录 and the
record marked 待补全 with those fields listed (store/gaps.py); completing it is an ordinary correction. A
household without its 纳入日期 is dated the day it is imported until its visits are imported: the earliest
visit moves it back (it was in care by then). Visits find their household by its number, the ID number, or
name with township, village and phone; when that leaves more than one, the row says which and the clerk
chooses (`choose`), nothing is guessed. The columns chosen for a layout of headers are remembered for the
next import of the same register (`remembered`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..domain import dv_repeat
from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as petition_rules
from ..domain import petition_course as course
from ..domain import referral as referral_rules
from ..domain.dates import format_cn, to_iso
from ..domain.dv_repeat import abuser_key
from ..domain.errors import FulianError, StorageError, ValidationError
from ..domain.limits import NAME_MAX, cut
from ..domain.numbering import format_case_no, own_number
from ..domain.permissions import PermissionDenied
from ..domain.records import Person, Petition
from ..domain.text import clean
from ..reports.reading import ImportFileError, Source, check_values, collector_held, layout, missing_required
from ..reports.registers import ADDED_ON_IMPORT, FIELDS, UNRECORDED, field_map
from .lists import check_listed

Progress = Callable[[str, int, int], "bool | None"]  # (检查 / 写入 / 保存, done, total) -> False to stop
# the last stage, once every row is written: the indexes made again, the transaction committed (seconds for a big
# register), which cannot be stopped part-way: told once, so the window and the terminal say so meanwhile
SAVING = "保存"


class RowError(FulianError):
    pass


class Ambiguous(RowError):
    """More than one record fits the row: the clerk chooses (case number, how it differs)."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


class _Rollback(Exception):
    pass


# --------------------------------------------------------------------------------------------
# The result of a check or an import


@dataclass
class RowReport:
    row: int  # as the spreadsheet shows it
    state: str  # new / same / error
    messages: list[str] = field(default_factory=list)
    case_no: str = ""  # the number given (new) or found (same)
    who: str = ""  # the name in the row, for the preview
    where: str = ""  # "第5行", or "“1月”第5行" in a workbook of several sheets
    gaps: list[str] = field(default_factory=list)  # a new record's fields the register did not record (待补全)
    candidates: list[tuple[str, str]] = field(default_factory=list)  # an ambiguous row: (case number, which)
    index: int = 0  # its place among the source's rows


@dataclass
class Report:
    kind: str
    rows: list[RowReport]
    written: bool = False
    stopped: bool = False  # the user stopped it

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def same(self) -> int:
        return self.count("same")

    @property
    def errors(self) -> list[RowReport]:
        return [r for r in self.rows if r.state == "error"]

    @property
    def incomplete(self) -> int:
        """New records that lack fields the register did not record (imported, marked 待补全)."""
        return sum(1 for r in self.rows if r.state == "new" and r.gaps)

    @property
    def ambiguous(self) -> list[RowReport]:
        return [r for r in self.rows if r.candidates]

    def describe(self) -> str:
        n, complete, gaps = len(self.rows), self.new - self.incomplete, self.incomplete
        if self.written:
            return f"共{n}行：新增{complete}，已在库中{self.same}，待补全{gaps}，有错误{len(self.errors)}"
        return (f"共{n}行：可导入{complete}行，" + (f"可导入但待补全{gaps}行，" if gaps else "")
                + f"已在库中{self.same}行，有错误{len(self.errors)}行")


# --------------------------------------------------------------------------------------------
# Writing one row: through the services, inside the import's transaction


@dataclass
class _Row:
    values: dict[str, Any]
    row_no: int
    source: str
    kind_of: str = ""
    dry: bool = False  # check only: validate as the services would, write nothing
    seen: dict[tuple[object, ...], str] = field(default_factory=dict)  # rows of this file already checked: where
    gaps: list[str] = field(default_factory=list)  # field keys recorded as 未记录
    chosen: str = ""  # the case number the clerk chose for an ambiguous row
    where: str = ""

    key: tuple[object, ...] = ()

    def repeat(self, key: tuple[object, ...]) -> str:
        """'' or which earlier row of this file has the same record (kept once that row is good)."""
        self.key = key
        first = self.seen.get(key)
        return f"与{first}相同" if first is not None else ""


def _check_dates(ctx: Any, r: _Row, order: Sequence[str]) -> None:
    """The dates a row gives are not after today and come in `order` (as the services will check)."""
    fields = field_map(r.kind_of)
    last: tuple[str, dt.date] | None = None
    for key in order:
        d = r.values.get(key)
        if d is None:
            continue
        if d > ctx.today():
            raise ValidationError({key: f"{fields[key].label}不能晚于今天"})
        if last is not None and d < last[1]:
            raise ValidationError({key: f"{fields[key].label}不能早于{fields[last[0]].label}（{format_cn(last[1])}）"})
        last = (key, d)


def _v(r: _Row, key: str, default: Any = "") -> Any:
    v = r.values.get(key)
    return default if v is None or v == "" or v == [] else v


_DATE_KEY = {"petition": "received_on", "referral": "referred_on", "mediation": "received_on",
             "household": "received_on"}


def _existing(ctx: Any, kind: str, case_no: str, received: dt.date | None = None) -> str | None:
    """The case on file with this number — the same record when its date agrees too (a number from
    another register that happens to look like one of ours is not taken for it)."""
    if not case_no:
        return None
    row = ctx.db.execute("SELECT kind, case_no, received_on FROM cases WHERE case_no = ?", [case_no]).fetchone()
    if row is None:
        return None
    if received is not None and row[2] != to_iso(received):
        return None
    if row[0] != kind:
        raise RowError(f"案件编号“{case_no}”已被另一类案件使用")
    return str(row[1])


def _person(r: _Row, prefix: str = "", name_key: str = "name") -> Person:
    return Person(name=_v(r, name_key), sex=_v(r, f"{prefix}sex"), ethnicity="",
                  id_number=_v(r, f"{prefix}id_number"), phone=_v(r, f"{prefix}phone"),
                  address=_v(r, f"{prefix}address"))


def _mark_imported(ctx: Any, case_id: int, r: _Row, old_no: str) -> None:
    """Note where the case came from; a number of ours that is free (a register moved from another copy
    of the program) is kept, and the counter moved past it so it is never given again."""
    from ..store import cases, gaps, search
    from ..store.exchange import office

    kept = False
    kind = r.kind_of
    mark = office(ctx.db).mark if old_no else ""  # read only when the register gives a number
    own = own_number(old_no, kind, mark) if old_no else None
    of_year = own is not None and own[0] == ctx.db.execute("SELECT year FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    if own is not None and of_year and not ctx.db.execute(
            "SELECT 1 FROM cases WHERE kind = ? AND year = ? AND seq = ?", [kind, *own]).fetchone():
        year, seq = own
        service = ctx.db.execute("SELECT service FROM referrals WHERE case_id = ?", [case_id]).fetchone()
        ctx.db.execute("UPDATE cases SET case_no = ?, year = ?, seq = ? WHERE id = ?",
                       [format_case_no(kind, year, seq, mark, service[0] if service else ""), year, seq, case_id])
        ctx.db.execute(
            """INSERT INTO case_counters (kind, year, last_seq) VALUES (?, ?, ?)
               ON CONFLICT (kind, year) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)""",
            [kind, year, seq])
        search.reindex(ctx.db, case_id)
        kept = True
    note = f"从“{r.source}”{r.where or f'第{r.row_no}行'}导入" + (
        "，沿用原编号" if kept else f"，原编号{old_no}" if old_no else "")
    if r.gaps:
        fields = field_map(r.kind_of)
        gaps.add(ctx.db, case_id, [(key, fields[key].label) for key in r.gaps])
        note += "；原台账未记录" + "、".join(fields[key].label for key in r.gaps) + "，待补全"
    cases.add_timeline(ctx.db, case_id, ctx.now(), ctx.who(), "导入", note)


def _case_no_of(ctx: Any, case_id: int) -> str:
    return str(ctx.db.execute("SELECT case_no FROM cases WHERE id = ?", [case_id]).fetchone()[0])


def _label_to_key(labels: dict[str, str], text: str, what: str) -> str:
    if not text:
        return ""
    for key, label in labels.items():
        if text in (key, label):
            return key
    raise RowError(f"{what}“{text}”不认识，应为：{'、'.join(labels.values())}")


_CHANNELS = {"信": "来信", "来信": "来信", "信件": "来信", "电": "来电", "来电": "来电", "电话": "来电",
             "访": "来访", "来访": "来访", "上访": "来访", "网上": "网上", "网信": "网上", "网络": "网上",
             "网上信访": "网上", "12338": "12338热线", "12338热线": "12338热线", "热线": "12338热线"}


def _apply_petition(ctx: Any, r: _Row) -> tuple[str, str]:
    from . import petitions

    given_no = _v(r, "case_no")
    found = _existing(ctx, "petition", given_no, r.values["received_on"])
    if found:
        return "same", found
    channel = _petition_channel(r)
    received = r.values["received_on"]
    facts = str(_v(r, "facts")).strip()
    earlier = r.repeat(("petition", received, channel, _v(r, "name"), facts))
    if earlier:
        return "same", earlier
    dup = ctx.db.execute(
        """SELECT c.case_no FROM cases c JOIN petitions t ON t.case_id = c.id
           WHERE c.kind = 'petition' AND c.received_on = ? AND t.channel = ? AND (c.names = ? OR c.names LIKE ?)
             AND t.facts = ? LIMIT 1""",
        [to_iso(received), channel, _v(r, "name"), _v(r, "name") + "（代%", facts]).fetchone()
    if dup:
        return "same", str(dup[0])
    status = _petition_status(r)
    form = _petition_form(r, channel, ctx.who("导入"))
    if r.dry:
        check_listed(ctx, petition_rules.validate_petition(form, ctx.today()))  # as registering will
        _check_dates(ctx, r, ("received_on", "accepted_on", "concluded_on"))
        if status in ("in_progress", "concluded") and (_v(r, "handling") or "其他") not in petition_rules.HANDLING_METHODS:
            raise RowError(f"办理方式“{_v(r, 'handling')}”不认识，应为：{'、'.join(petition_rules.HANDLING_METHODS)}")
        if status == "concluded" and r.values["concluded_on"] is None:
            raise ValidationError({"concluded_on": "已办结的信访请填写办结日期"})
        if status == "concluded" and _v(r, "result") not in petition_rules.RESULTS:
            raise ValidationError({"result": f"已办结的信访请填写处理结果（{'、'.join(petition_rules.RESULTS)}）"})
        return "new", ""
    case_id, case_no = petitions.register(ctx, form)
    _mark_imported(ctx, case_id, r, given_no)
    case_no = _case_no_of(ctx, case_id)
    on = r.values["accepted_on"] or received
    if status == "refused":
        petitions.refuse(ctx, case_id, _v(r, "refused_reason") or "（原台账未记录理由）", on)
    elif status in ("accepted", "in_progress", "concluded"):
        petitions.accept(ctx, case_id, on)
        if status in ("in_progress", "concluded"):
            method = _v(r, "handling") or "其他"
            if method not in petition_rules.HANDLING_METHODS:
                raise RowError(f"办理方式“{method}”不认识，应为：{'、'.join(petition_rules.HANDLING_METHODS)}")
            agency = _v(r, "handling_agency") or ("（原台账未记录）" if method == "转办/交办" else "")
            petitions.set_handling(ctx, case_id, method, agency)
        if status == "concluded":
            concluded = r.values["concluded_on"]
            if concluded is None:
                raise ValidationError({"concluded_on": "已办结的信访请填写办结日期"})
            result = _v(r, "result")
            if result not in petition_rules.RESULTS:
                raise ValidationError({"result": f"已办结的信访请填写处理结果（{'、'.join(petition_rules.RESULTS)}）"})
            petitions.conclude(ctx, case_id, _v(r, "reply") or "（原台账未记录答复内容）", result, concluded)
    return "new", case_no


_ANSWER = {"已受理": "accepted", "受理": "accepted", "不予受理": "refused", "已办结": "concluded",
           "办结": "concluded", "已撤回": "withdrawn", "撤回": "withdrawn", "已转介": "referred",
           "待本人同意": "awaiting_consent"}


def _referral_on_file(ctx: Any, r: Any, facts: str) -> tuple[Any, ...] | None:
    """A referral already on file with the same day, name, matter and facts (a row imported before)."""
    return ctx.db.execute(
        """SELECT c.case_no FROM cases c JOIN referrals x ON x.case_id = c.id WHERE c.kind = 'referral'
           AND c.received_on = ? AND c.names = ? AND x.matter = ? AND x.facts = ? LIMIT 1""",
        [to_iso(r.values["referred_on"]), _v(r, "name"), _v(r, "matter"), facts]).fetchone()


def _referral_form(ctx: Any, r: Any, org_name: str, org: Any, facts: str) -> tuple[str, referral_rules.Referral]:
    """A referral row's status and form, as both the row-by-row and the batch check build them. Its service is the one
    the row names (服务, 转介类型 …), else the one its organisation gives in the directory (legal aid where nothing
    says otherwise)."""
    if org_name and org is None:
        raise RowError(f"接收机构“{org_name}”不在机构名录中（可在“设置 → 机构名录”中添加后重新导入）")
    said = str(_v(r, "service")).strip()
    service = referral_rules.service_named(said) if said else ""
    if said and not service:
        raise RowError(f"服务“{said}”不认识，应为：{'、'.join(referral_rules.SERVICE_NAMES)}")
    if org is not None and service and org.service != service:
        raise RowError(f"接收机构“{org.name}”在机构名录中提供的是{org.service}，不是{service}"
                       "（请核对这一行的服务或接收机构）")
    service = service or (org.service if org is not None else referral_rules.LEGAL_AID)
    legal_aid = service == referral_rules.LEGAL_AID
    status = _ANSWER.get(_v(r, "status"), "") if _v(r, "status") else ""
    if _v(r, "status") and not status:
        raise RowError(f"状态“{_v(r, 'status')}”不认识，应为：{'、'.join(referral_rules.STATUS_LABELS.values())}")
    if not status:
        status = ("concluded" if r.values["concluded_on"] else "refused" if _v(r, "refused_reason") else
                  "accepted" if r.values["answered_on"] else "referred")
    referred_on = r.values["referred_on"]
    victim_of = [x for x in _v(r, "victim_of", []) if x in referral_rules.VICTIM_KINDS]
    consent = (referral_rules.Consent(on=referred_on, by="本人", way="书面签字")
               if status != "awaiting_consent" and referred_on else None)
    form = referral_rules.Referral(
        referred_on=referred_on, applicant=_person(r), township=_v(r, "township"),
        village=_v(r, "village"), matter=_v(r, "matter"), role=_v(r, "role") or "尚未确定",
        legal_state=_v(r, "legal_state") or "尚未进入程序",
        help_kinds=_v(r, "help_kinds", [referral_rules.SERVICES[service].help_kinds[0]]),  # (咨询 for legal aid)
        facts=facts, organisation=org, staff=_v(r, "staff") or ctx.who("导入"), request=_v(r, "request"),
        victim_of=victim_of, service=service,
        means="" if not legal_aid or referral_rules.means_exempt(victim_of) else (_v(r, "means") or "由接收机构核查"),
        consent=consent,
    )
    return status, form


def _apply_referral(ctx: Any, r: _Row) -> tuple[str, str]:
    from ..store import organisations
    from . import referrals

    given_no = _v(r, "case_no")
    found = _existing(ctx, "referral", given_no, r.values["referred_on"])
    if found:
        return "same", found
    facts = str(_v(r, "facts")).strip()
    earlier = r.repeat(("referral", r.values["referred_on"], _v(r, "name"), _v(r, "matter"), facts))
    if earlier:
        return "same", earlier
    dup = _referral_on_file(ctx, r, facts)
    if dup:
        return "same", str(dup[0])
    org_name = _v(r, "organisation")
    org_id = organisations.id_by_name(ctx.db, org_name) if org_name else None
    org = organisations.get(ctx.db, org_id) if org_id is not None else None
    status, form = _referral_form(ctx, r, org_name, org, facts)
    if r.dry:
        check_listed(ctx, referral_rules.validate_referral(form, ctx.today()))
        _check_dates(ctx, r, ("referred_on", "answered_on", "concluded_on"))
        if status in ("accepted", "concluded", "refused") and r.values["answered_on"] is None:
            raise ValidationError({"answered_on": "已答复的转介请填写答复日期"})
        if status == "concluded" and r.values["concluded_on"] is None:
            raise ValidationError({"concluded_on": "已办结的转介请填写办结日期"})
        if status == "concluded" and (_v(r, "result") or "其他") not in referral_rules.RESULTS:
            raise ValidationError({"result": f"办理结果应为：{'、'.join(referral_rules.RESULTS)}"})
        return "new", ""
    case_id, case_no = referrals.refer(ctx, form)
    _mark_imported(ctx, case_id, r, given_no)
    case_no = _case_no_of(ctx, case_id)
    answered = r.values["answered_on"]
    if status in ("accepted", "concluded", "refused") and answered is None:
        raise ValidationError({"answered_on": "已答复的转介请填写答复日期"})
    if status == "refused":
        referrals.refuse(ctx, case_id, _v(r, "refused_reason") or "（原台账未记录理由）", answered)
    elif status in ("accepted", "concluded"):
        referrals.accept(ctx, case_id, answered, _v(r, "lawyer"))
        if status == "concluded":
            result = _v(r, "result") or "其他"
            if result not in referral_rules.RESULTS:
                raise ValidationError({"result": f"办理结果应为：{'、'.join(referral_rules.RESULTS)}"})
            concluded = r.values["concluded_on"]
            if concluded is None:
                raise ValidationError({"concluded_on": "已办结的转介请填写办结日期"})
            referrals.conclude(ctx, case_id, result, "", concluded)
    elif status == "withdrawn":
        referrals.withdraw(ctx, case_id, _v(r, "refused_reason") or "（原台账未记录理由）",
                           r.values["concluded_on"] or form.referred_on)
    return "new", case_no


_OUTCOMES = {"和好": "reconciled", "达成调解协议": "agreed", "达成协议": "agreed", "协议": "agreed",
             "调解成功": "agreed", "当事人自行和解": "self_settled", "自行和解": "self_settled", "和解": "self_settled",
             "调解不成": "failed", "不成": "failed", "调解不成功": "failed", "终止调解": "ended", "终止": "ended"}


def _mediator_ids(ctx: Any, names: list[str], on_file: list[Any] | None = None) -> list[int]:
    """The roster's ids of the mediators named, the ones not on it added (`on_file`: the roster, when read already)."""
    from ..domain.mediation import Mediator
    from ..store import mediations

    if on_file is None:
        on_file = mediations.mediators(ctx.db, include_inactive=True)
    roster: dict[str, int] = {m.name: m.id for m in on_file if m.id is not None}
    ids = []
    for name in names:
        if name not in roster:
            if len(name) > 30:
                raise RowError(f"调解员“{name[:30]}…”太长，请用“、”分隔多个调解员")
            roster[name] = mediations.save_mediator(ctx.db, Mediator(name=name), ctx.now())
        ids.append(roster[name])
    return ids


def _mediation_on_file(ctx: Any, r: Any, applicants: list[str], facts: str) -> tuple[Any, ...] | None:
    """A mediation already on file with the same day, first applicant, dispute type and facts."""
    return ctx.db.execute(
        """SELECT c.case_no FROM cases c JOIN mediations m ON m.case_id = c.id WHERE c.kind = 'mediation'
           AND c.received_on = ? AND c.names LIKE ? AND m.dispute_type = ? AND m.facts = ? LIMIT 1""",
        [to_iso(r.values["received_on"]), (applicants[0] if applicants else "") + "%",
         _v(r, "dispute_type"), facts]).fetchone()


def _mediation_form(ctx: Any, r: Any, applicants: list[str], respondents: list[str],
                    facts: str) -> tuple[list[str], str, mediation_rules.Mediation]:
    """A mediation row's mediators (named, not yet looked up: the form holds [0]), outcome and form."""
    mediators = _v(r, "mediators", [])
    if not mediators:
        raise ValidationError({"mediators": "请填写调解员"})
    outcome = _OUTCOMES.get(_v(r, "outcome"), "") if _v(r, "outcome") else ""
    if _v(r, "outcome") and not outcome:
        raise RowError(f"调解结果“{_v(r, 'outcome')}”不认识，应为：{'、'.join(mediation_rules.OUTCOMES.values())}")
    parties = [mediation_rules.Party(Person(name=n.strip(), ethnicity=""), "applicant") for n in applicants]
    parties += [mediation_rules.Party(Person(name=n.strip(), ethnicity=""), "respondent") for n in respondents]
    for side in ("applicant", "respondent"):
        first = next((p for p in parties if p.side == side), None)
        if first is not None:
            first.person.id_number = _v(r, f"{side}_id_number")
            first.person.phone = _v(r, f"{side}_phone")
    form = mediation_rules.Mediation(
        received_on=r.values["received_on"], source=_v(r, "source") or "当事人申请",
        dispute_type=_v(r, "dispute_type"), relationship=_v(r, "relationship") or "其他",
        township=_v(r, "township"), village=_v(r, "village"), facts=facts, request=_v(r, "request"),
        registrar=_v(r, "registrar") or ctx.who("导入"), parties=parties, mediator_ids=[0],
    )
    return mediators, outcome, form


def _apply_mediation(ctx: Any, r: _Row) -> tuple[str, str]:
    from ..store import cases
    from ..store import mediations as store
    from . import mediations as service

    given_no = _v(r, "case_no")
    found = _existing(ctx, "mediation", given_no, r.values["received_on"])
    if found:
        return "same", found
    facts = str(_v(r, "facts")).strip()
    applicants = [x for x in re.split(r"[、,，]", _v(r, "applicant")) if x.strip()]
    respondents = [x for x in re.split(r"[、,，]", _v(r, "respondent")) if x.strip()]
    earlier = r.repeat(("mediation", r.values["received_on"], _v(r, "applicant"), _v(r, "dispute_type"), facts))
    if earlier:
        return "same", earlier
    dup = _mediation_on_file(ctx, r, applicants, facts)
    if dup:
        return "same", str(dup[0])
    mediators, outcome, form = _mediation_form(ctx, r, applicants, respondents, facts)
    if not r.dry:
        form.mediator_ids = _mediator_ids(ctx, mediators)
    if r.dry:
        if any(len(name) > 30 for name in mediators):
            raise RowError("调解员姓名太长，请用“、”分隔多个调解员")
        check_listed(ctx, mediation_rules.validate_mediation(form, ctx.today()))
        _check_dates(ctx, r, ("received_on", "outcome_on"))
        if outcome and r.values["outcome_on"] is None:
            raise ValidationError({"outcome_on": "有调解结果的请填写结案日期"})
        return "new", ""
    # the register's mediation already took place: a caution (an order in force, a high risk) is noted, not a refusal
    case_id, case_no = service.open_mediation(ctx, form, dv_repeat.IMPORTED_REASON)
    _mark_imported(ctx, case_id, r, given_no)
    case_no = _case_no_of(ctx, case_id)
    if outcome:
        on = r.values["outcome_on"]
        received = form.received_on
        if on is None:
            raise ValidationError({"outcome_on": "有调解结果的请填写结案日期"})
        if on > ctx.today():
            raise ValidationError({"outcome_on": "结案日期不能晚于今天"})
        if received and on < received:
            raise ValidationError({"outcome_on": f"结案日期不能早于受理日期（{format_cn(received)}）"})
        note = _v(r, "outcome_note")
        store.update(ctx.db, case_id, outcome=outcome, outcome_on=on, outcome_note=note,
                     failed_route="（原台账未记录）" if outcome == "failed" else "")
        cases.update_case(ctx.db, case_id, ctx.now(), status=outcome, closed_on=on.isoformat())
        cases.add_timeline(ctx.db, case_id, ctx.now(), ctx.who(), mediation_rules.OUTCOMES[outcome],
                           f"{format_cn(on)}（据原台账）" + (f"：{note}" if note else ""))
        service._refresh(ctx.db, case_id)
    return "new", case_no


def _care_list_id(ctx: Any, name: str) -> int:
    from ..store import households

    lists = households.care_lists(ctx.db, include_inactive=True)
    name = name or household_rules.POOR_LIST_NAME
    for c in lists:
        if c.name == name:
            assert c.id is not None
            return c.id
    raise RowError(f"名单“{name}”不存在，应为：{'、'.join(c.name for c in lists)}")


def _apply_household(ctx: Any, r: _Row) -> tuple[str, str]:
    from . import households

    given_no = _v(r, "case_no")
    found = _existing(ctx, "household", given_no, r.values["received_on"])
    if found:
        return "same", found
    list_id = _care_list_id(ctx, _v(r, "care_list"))
    number = _v(r, "id_number")
    if number:
        dup = ctx.db.execute(
            """SELECT c.case_no FROM cases c JOIN households h ON h.case_id = c.id JOIN people p ON p.id = c.person_id
               WHERE c.kind = 'household' AND h.list_id = ? AND p.id_number = ? LIMIT 1""",
            [list_id, number]).fetchone()
    else:
        dup = ctx.db.execute(
            """SELECT c.case_no FROM cases c JOIN households h ON h.case_id = c.id
               WHERE c.kind = 'household' AND h.list_id = ? AND c.names = ? AND c.township = ? AND c.village = ?
               LIMIT 1""", [list_id, _v(r, "name"), _v(r, "township"), _v(r, "village")]).fetchone()
    if dup:
        return "same", str(dup[0])
    earlier = r.repeat(("household", list_id, number or (_v(r, "name"), _v(r, "township"), _v(r, "village"))))
    if earlier:
        return "same", earlier
    cadre = None
    if _v(r, "cadre"):
        cadre = household_rules.Cadre(name=_v(r, "cadre"), phone=_v(r, "cadre_phone"),
                                      from_date=r.values["received_on"])
    form = household_rules.Household(
        list_id=list_id, received_on=r.values["received_on"],
        head=household_rules.Member(_person(r), relation=""), members=[], township=_v(r, "township"),
        village=_v(r, "village"), address=_v(r, "house_address"), household_type=_v(r, "household_type"),
        causes=_v(r, "causes", []), cadre=cadre,
    )
    if r.dry:
        from ..store import households as household_store

        care = household_store.care_list(ctx.db, list_id)
        assert care is not None
        if not care.active:
            raise RowError(f"名单“{care.name}”已停用")
        check_listed(ctx, household_rules.validate_household(form, care, ctx.today()))
        return "new", ""
    case_id, case_no = households.register(ctx, form)
    _mark_imported(ctx, case_id, r, given_no)
    case_no = _case_no_of(ctx, case_id)
    return "new", case_no


def _households_named(ctx: Any, r: _Row) -> list[tuple[int, str, str]]:
    """The households the row may mean: (case id, number, where), by its number, else the head's ID number,
    else her name narrowed by township, village and phone as far as the row gives them."""
    number, name = _v(r, "id_number"), _v(r, "name")
    select = """SELECT c.id, c.case_no, c.township || c.village || CASE WHEN h.address != '' THEN '·' || h.address
                       ELSE '' END FROM cases c JOIN households h ON h.case_id = c.id
                LEFT JOIN people p ON p.id = c.person_id WHERE c.kind = 'household'"""
    if r.chosen:
        rows = ctx.db.execute(select + " AND c.case_no = ?", [r.chosen]).fetchall()
    elif _v(r, "household_no"):
        rows = ctx.db.execute(select + " AND c.case_no = ?", [_v(r, "household_no")]).fetchall()
    elif number:
        rows = ctx.db.execute(select + " AND p.id_number = ?", [number]).fetchall()
    else:
        conds, params = [" AND c.names = ?"], [name]
        for key in ("township", "village"):
            if _v(r, key) and _v(r, key) != UNRECORDED:
                conds.append(f" AND c.{key} = ?")
                params.append(_v(r, key))
        rows = ctx.db.execute(select + "".join(conds) + " ORDER BY c.case_no", params).fetchall()
        phone = _v(r, "phone")
        if len(rows) > 1 and phone:
            by_phone = ctx.db.execute(select + "".join(conds) + " AND p.phone = ? ORDER BY c.case_no",
                                      [*params, phone]).fetchall()
            rows = by_phone or rows
    return [(int(x[0]), str(x[1]), str(x[2] or "")) for x in rows]


def _visit_row(r: Any, name: str, found: list[Any]) -> tuple[int, str, str, household_rules.Visit]:
    """A visit row's household (the one found by name; none or several is the row's error) and its visit."""
    if not found:
        raise RowError(f"找不到帮扶对象“{name}”：请先导入帮扶对象名册（走访记录要在名册之后导入），"
                       "或核对姓名、身份证号、乡镇")
    if len(found) > 1:
        raise Ambiguous(f"有{len(found)}户名为“{name}”的帮扶对象（" + "；".join(f"{no}，{where}" for _i, no, where
                                                                     in found) + "），请选择是哪一户，"
                        "或在表格中填写户主身份证号、乡镇、村以区分", [(no, where) for _i, no, where in found])
    case_id, case_no = found[0][0], found[0][1]
    kind = _label_to_key(household_rules.VISIT_KINDS, _v(r, "kind"), "方式") or "visit"
    visit = household_rules.Visit(
        visited_on=r.values["visited_on"], visitors=_v(r, "visitors"), kind=kind,
        cash_fen=_v(r, "cash", 0), goods=_v(r, "goods"), goods_fen=_v(r, "goods_value", 0),
        seen=_v(r, "seen") or "（原登记未记录走访情况）", asked=_v(r, "asked"),
    )
    return case_id, case_no, kind, visit


def _visit_on_file(ctx: Any, case_id: int, visit: household_rules.Visit) -> tuple[Any, ...] | None:
    """The same visit already on file for the household (same day, way and amounts)."""
    return ctx.db.execute(
        """SELECT 1 FROM visits WHERE case_id = ? AND visited_on = ? AND kind = ? AND cash_fen = ? AND goods_fen = ?
           LIMIT 1""", [case_id, to_iso(visit.visited_on), visit.kind, visit.cash_fen, visit.goods_fen]).fetchone()


def _apply_visit(ctx: Any, r: _Row) -> tuple[str, str]:
    from ..store import cases
    from ..store import gaps as gap_store
    from . import households

    name = _v(r, "name")
    found = _households_named(ctx, r)
    case_id, case_no, kind, visit = _visit_row(r, name, found)
    dup = _visit_on_file(ctx, case_id, visit)
    if dup:
        return "same", case_no
    earlier = r.repeat(("visit", case_id, visit.visited_on, kind, visit.cash_fen, visit.goods_fen))
    if earlier:
        return "same", earlier
    h = households.get(ctx, case_id)
    if (visit.visited_on is not None and h.received_on is not None and visit.visited_on < h.received_on
            and "received_on" in gap_store.fields(ctx.db, case_id)):
        # her 纳入日期 was never recorded: she was in care by her earliest visit
        h = dataclasses.replace(h, received_on=visit.visited_on)
        if not r.dry:
            cases.update_case(ctx.db, case_id, ctx.now(), received_on=to_iso(visit.visited_on))
            cases.add_timeline(ctx.db, case_id, ctx.now(), ctx.who(), "导入",
                               f"原名册未记录纳入日期，按最早的走访（{format_cn(visit.visited_on)}）暂记，待补全")
    if r.dry:
        if h.status not in household_rules.OPEN_STATUSES:
            raise RowError(f"“{name}”已退出帮扶，不能再登记走访")
        household_rules.validate_visit(visit, h, ctx.today())
        return "new", case_no
    households.log_visit(ctx, case_id, visit)
    return "new", case_no


# --------------------------------------------------------------------------------------------
# The bulk path: every row checked as above, then all new records written at once (store/bulk.py) with what
# the services would have written — the same rows, numbers, timeline, documents, search index (demo/stories.py
# tells the services' actions without the database; tests/test_import_bulk.py compares with the row-by-row path).


class _LoadedPetition(NamedTuple):
    """A petition this load has added: what store/petitions.earlier_petition and final_petition read of it."""

    received_on: dt.date
    case_id: int
    case_no: str
    final: bool  # closed for good after 复核


class _Env:
    """What one import looks up once instead of once a row."""

    def __init__(self, ctx: Any, kind: str) -> None:
        self.ctx = ctx
        self.kind = kind
        self.now = ctx.now()
        self.today = ctx.today()
        self.listed: dict[tuple[str, ...], ValidationError | None] = {}
        self.office = ""
        self.review_body = ""
        self.taken: set[tuple[str, int, int]] | None = None  # (kind, year, seq) of the cases on file
        self.printable = _Printable()  # characters of letters known to print
        self.printed: set[str] = set()  # whole texts of letters known to print
        self.complained: set[tuple[str, str]] | None = None  # (person complained about, township; '' any)
        self.named_before: set[str] = set()  # the persons complained about in the records on file before the load
        # the petitions this load has added, as the questions at intake find them (_LoadedPetition): by person, and
        # by (person complained about, category, township)
        self.loaded_by_person: dict[int, list[_LoadedPetition]] = {}
        self.loaded_by_matter: dict[tuple[str, str, str], list[_LoadedPetition]] = {}
        self.care_lists: dict[str, Any] = {}  # by name
        self.organisations: dict[str, Any] = {}  # the directory's, by name
        self.named: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}  # households a visit row names
        self.households: dict[int, tuple[Any, bool]] = {}  # (household, its 纳入日期 never recorded) by case id
        self.all_households: list[Any] | None = None
        self.received: dict[int, dt.date | None] = {}  # the households visited: their 纳入日期 as the visits leave it
        self.gap_rows: list[tuple[int, str, str]] = []
        self.roster: list[Any] | None = None  # the mediators on file, in the roster's order
        self.directory: dict[tuple[str, str], Any] = {}  # (name, service) -> the organisation as referring checks it
        self.keys: dict[str, set[tuple[Any, ...]]] = {}
        # what the rows added to the loader's batch since it last wrote it name: people, persons complained about
        self.batch: object = None
        self.pending_people: set[int] = set()
        self.pending_named: set[str] = set()

    def may_be_on_file(self, name: str, key: tuple[Any, ...]) -> bool:
        """Whether a record on file has these values in the columns one query of the check compares exactly (read once
        an import, for all the records on file; nothing is written while the rows are checked): only then is the query
        itself asked, for the row."""
        if name not in self.keys:
            self.keys[name] = {tuple(r) for r in self.ctx.db.execute(_ON_FILE_KEYS[name]).fetchall()}
        return key in self.keys[name]

    def check_listed(self, record: Any) -> None:
        """services.lists.check_listed, asked once per combination of values (the lists do not change meanwhile)."""
        key = tuple(str(getattr(record, f, "") or "") for f in
                    ("township", "category", "subcategory", "respondent_relation"))
        if key not in self.listed:
            try:
                check_listed(self.ctx, record)
                self.listed[key] = None
            except ValidationError as e:
                self.listed[key] = e
        error = self.listed[key]
        if error is not None:
            raise ValidationError(dict(error.errors))


_ON_FILE_KEYS = {
    "petition": """SELECT c.received_on, t.channel, t.facts FROM cases c JOIN petitions t ON t.case_id = c.id
                   WHERE c.kind = 'petition'""",
    "referral": """SELECT c.received_on, x.matter, x.facts FROM cases c JOIN referrals x ON x.case_id = c.id
                   WHERE c.kind = 'referral'""",
    "mediation": """SELECT c.received_on, m.dispute_type, m.facts FROM cases c JOIN mediations m ON m.case_id = c.id
                    WHERE c.kind = 'mediation'""",
    "household_id": """SELECT h.list_id, p.id_number FROM cases c JOIN households h ON h.case_id = c.id
                       JOIN people p ON p.id = c.person_id WHERE c.kind = 'household'""",
    "household_name": """SELECT h.list_id, c.names, c.township, c.village FROM cases c JOIN households h
                         ON h.case_id = c.id WHERE c.kind = 'household'""",
    "visit": "SELECT case_id, visited_on, kind, cash_fen, goods_fen FROM visits",
}


@dataclass
class _Prepared:
    """A row checked as new, to be written by the bulk path."""

    row: _Row
    report: RowReport
    data: dict[str, Any]


def _petition_channel(r: _Row) -> str:
    channel = _CHANNELS.get(_v(r, "channel").replace(" ", ""), _v(r, "channel"))
    if channel not in petition_rules.CHANNELS:
        raise RowError(f"信访方式“{_v(r, 'channel')}”不认识，应为：{'、'.join(petition_rules.CHANNELS)}")
    return channel


def _petition_status(r: _Row) -> str:
    status = _label_to_key(petition_rules.STATUS_LABELS, _v(r, "status"), "状态")
    return status or ("concluded" if r.values["concluded_on"] or _v(r, "result") else
                      "refused" if _v(r, "refused_reason") else
                      "in_progress" if _v(r, "handling") else
                      "accepted" if r.values["accepted_on"] else "registered")


def _petition_form(r: _Row, channel: str, staff: str) -> Petition:
    """The petition a row gives (the row-by-row import and the bulk check alike). `staff`: who received it when the
    row does not say."""
    return Petition(
        channel=channel, received_on=r.values["received_on"], petitioner=_person(r), concerned=None,
        headcount=_v(r, "headcount", 1), township=_v(r, "township"), village=_v(r, "village"),
        category=_v(r, "category"), subcategory=_v(r, "subcategory"), facts=_v(r, "facts"),
        request=_v(r, "request") or "（原台账未单列诉求，见事情经过）", dv=bool(_v(r, "dv", False)),
        safety_risk=False, receiving_staff=_v(r, "receiving_staff") or staff,
        respondent_name=_v(r, "respondent_name"), respondent_relation=_v(r, "respondent_relation"),
    )


def _check_petition(ctx: Any, env: _Env, r: _Row) -> tuple[str, str, dict[str, Any] | None]:
    """_apply_petition's checks (dry), without a query but the two that find the row on file."""
    given_no = _v(r, "case_no")
    found = _existing(ctx, "petition", given_no, r.values["received_on"])
    if found:
        return "same", found, None
    channel = _petition_channel(r)
    received = r.values["received_on"]
    facts = str(_v(r, "facts")).strip()
    earlier = r.repeat(("petition", received, channel, _v(r, "name"), facts))
    if earlier:
        return "same", earlier, None
    dup = env.may_be_on_file("petition", (to_iso(received), channel, facts)) and ctx.db.execute(
        """SELECT c.case_no FROM cases c JOIN petitions t ON t.case_id = c.id
           WHERE c.kind = 'petition' AND c.received_on = ? AND t.channel = ? AND (c.names = ? OR c.names LIKE ?)
             AND t.facts = ? LIMIT 1""",
        [to_iso(received), channel, _v(r, "name"), _v(r, "name") + "（代%", facts]).fetchone()
    if dup:
        return "same", str(dup[0]), None
    status = _petition_status(r)
    form = _petition_form(r, channel, ctx.who("导入"))
    checked = petition_rules.validate_petition(form, env.today)
    env.check_listed(checked)
    _check_dates(ctx, r, ("received_on", "accepted_on", "concluded_on"))
    if status in ("in_progress", "concluded") and (_v(r, "handling") or "其他") not in petition_rules.HANDLING_METHODS:
        raise RowError(f"办理方式“{_v(r, 'handling')}”不认识，应为：{'、'.join(petition_rules.HANDLING_METHODS)}")
    if status == "concluded" and r.values["concluded_on"] is None:
        raise ValidationError({"concluded_on": "已办结的信访请填写办结日期"})
    if status == "concluded" and _v(r, "result") not in petition_rules.RESULTS:
        raise ValidationError({"result": f"已办结的信访请填写处理结果（{'、'.join(petition_rules.RESULTS)}）"})
    return "new", "", {"form": form, "checked": checked, "status": status, "given_no": given_no}


def _reserve(env: _Env, loader: Any, kind: str, received: dt.date, given_no: str) -> tuple[Any, bool]:
    """The next number, as services' insert_case gives it; then, as _mark_imported, the register's own number of
    ours when it is free (and of the same year: a case's number carries the year it came in)."""
    res = loader.reserve(kind, received.year)
    if env.taken is None:
        env.taken = {(str(k), int(y), int(q)) for k, y, q in env.ctx.db.execute(
            "SELECT kind, year, seq FROM cases WHERE kind = ?", [kind])}
    own = own_number(given_no, kind, loader.mark) if given_no else None
    if own is None or own[0] != received.year or (kind, *own) in env.taken:
        env.taken.add((kind, res.year, res.seq))
        return res, False
    from ..store import bulk  # (here, not at every row: an import statement takes ≈ 2 µs)

    year, seq = own
    loader.counters[(kind, year)] = max(loader.counters.get((kind, year), 0), seq)
    env.taken.add((kind, year, seq))  # written in its normal form (the bulk loader writes legal aid's referrals only)
    return bulk.Reserved(res.case_id, kind, year, seq, format_case_no(kind, year, seq, loader.mark)), True


def _undo_reserve(env: _Env, loader: Any, state: tuple[Any, ...], res: Any) -> None:
    """A row refused on the way: its number (and its gaps) given back, as the row-by-row import's savepoint does."""
    loader.next_case_id, loader.counters, loader.used = state
    env.gap_rows = [g for g in env.gap_rows if g[0] != state[0]]
    if res is not None and env.taken is not None:
        env.taken.discard((res.kind, res.year, res.seq))


def _import_note(env: _Env, r: _Row, res: Any, kept: bool, given_no: str) -> str:
    """_mark_imported's timeline line (and the record's gaps, kept for writing)."""
    note = f"从“{r.source}”{r.where or f'第{r.row_no}行'}导入" + (
        "，沿用原编号" if kept else f"，原编号{given_no}" if given_no else "")
    if r.gaps:
        fields = field_map(r.kind_of)
        env.gap_rows.extend((res.case_id, key, fields[key].label) for key in r.gaps)
        note += "；原台账未记录" + "、".join(fields[key].label for key in r.gaps) + "，待补全"
    return note


def _through_services(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """One row written as the row-by-row import writes it (APPLY), in the middle of a bulk load: for a record whose
    service looks at what is on file when it is made (earlier cases of hers), so what it finds is exactly what the
    row-by-row import would have found."""
    loader.hand_over()
    form: Any = item.data.get("form")
    if isinstance(form, Petition):  # (what it names, for the rows after it)
        _name_complained_about(env, form.respondent_name, form.township)
    r = dataclasses.replace(item.row, dry=False, seen={})
    try:
        with ctx.db.atomic():
            _state, case_no = APPLY[item.row.kind_of](ctx, r)
    finally:
        loader.take_back()
        env.taken = None  # read again: the number it gave, or kept
        env.roster = None  # (and the mediators it added)
    return case_no


def _complained_about(env: _Env, name: str, township: str) -> bool:
    """Whether a case on file or an earlier row of this import may name the same person complained about (in the same
    township): then intake may flag the case (重复信访 by the same matter, 曾来求助 by the same abuser), and the row goes
    through the service. A superset of what they match (store/repeats, store/petitions: the name as
    domain/dv_repeat.abuser_key gives it), without their dates."""
    key = abuser_key(clean(name))
    if not key:
        return False
    if env.complained is None:
        env.complained = set()
        for who, where in env.ctx.db.execute(
                """SELECT t.respondent_name, c.township FROM petitions t JOIN cases c ON c.id = t.case_id
                   WHERE t.respondent_name <> ''
                   UNION SELECT r.opponent_name, c.township FROM referrals r JOIN cases c ON c.id = r.case_id
                   WHERE r.opponent_name <> ''
                   UNION SELECT p.name, c.township FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   JOIN cases c ON c.id = mp.case_id WHERE mp.side = 'respondent'""").fetchall():
            env.complained.update({(str(who), str(where)), (str(who), "")})
            env.named_before.add(str(who))
    return (key, clean(township)) in env.complained or (key, "") in env.complained and not clean(township)


def _pending(env: _Env, loader: Any) -> _Env:
    """env, its pending_people and pending_named emptied when the loader has written its batch since."""
    if env.batch is not loader.batch:
        env.batch = loader.batch
        env.pending_people.clear()
        env.pending_named.clear()
    return env


def _added(env: _Env, loader: Any, people: list[int | None], abuser: str) -> None:
    """A case just added to the loader's batch, of these people, naming this person complained about."""
    _pending(env, loader).pending_people.update(i for i in people if i is not None)
    if key := abuser_key(clean(abuser)):
        env.pending_named.add(key)


def _write_before(env: _Env, loader: Any, people: list[int], abuser: str) -> None:
    """Write the loader's batch when a case in it may be what intake finds for this row (one of hers, one naming the
    same person complained about); the cases written before it are in the database already."""
    pending = _pending(env, loader)
    if pending.pending_people.intersection(people) or abuser_key(clean(abuser)) in pending.pending_named:
        loader.flush()


def _name_complained_about(env: _Env, name: str, township: str) -> None:
    key = abuser_key(clean(name))
    if key and env.complained is not None:
        env.complained.update({(key, clean(township)), (key, "")})


_STORY: list[type] = []
_PRINTED_KEPT = 2000  # whole texts of letters remembered as printing
_STALE = 64  # texts the pattern of _Printable found a character in that was known meanwhile, before it is made again


class _Printable:
    """The characters seen to print in an import's letters, and a pattern that finds a character not among them as
    they were when it was made: a text it finds nothing in prints (looked at in C; a set looked at character by
    character took ≈ 4 % of a 20,000-row 信访 import). Made again once it has been behind the set for _STALE texts."""

    def __init__(self) -> None:
        self.chars: set[str] = set()
        self._other: re.Pattern[str] | None = None
        self._stale = 0

    def lacks(self, text: str) -> bool:
        """Whether `text` holds a character not seen to print yet."""
        if self._other is not None and self._other.search(text) is None:
            return False
        if not self.chars.issuperset(text):
            return True
        self._stale += 1
        if self._stale > _STALE or self._other is None:
            self._other = re.compile("[^" + "".join(re.escape(c) for c in sorted(self.chars)) + "]")
            self._stale = 0
        return False

    def update(self, text: str) -> None:
        self.chars.update(text)


def _story_class() -> type:
    """demo/stories.PetitionStory whose letters are checked as services.petitions._checked_letter checks them (a
    letter whose characters have all been seen to print in an earlier letter of the import prints too). Made on first
    use: demo/stories imports the services."""
    if not _STORY:
        from .. import documents
        from ..demo import stories

        class Story(stories.PetitionStory):
            printable: _Printable  # characters known to print
            printed: set[str]  # whole texts known to print (the wording every letter of a kind shares)

            def _issue(self, at: dt.datetime, letter: course.Letter) -> None:
                # (a character known to print prints in any text: a text not printed before is looked at character
                # by character, and checked only when it holds a character not seen yet)
                new = [t for t in letter.texts() if t and t not in self.printed]
                texts = [t for t in new if self.printable.lacks(t)]
                if texts:
                    documents.check_printable(texts)
                    for t in texts:
                        self.printable.update(t)
                if len(self.printed) > _PRINTED_KEPT:  # (the texts of one row are seldom another's: kept few)
                    self.printed.clear()
                self.printed.update(new)
                super()._issue(at, letter)

        _STORY.append(Story)
    return _STORY[0]


def _write_petition(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """services.petitions.register, accept/refuse, set_handling and conclude as _apply_petition calls them, told
    to the petition's story and loaded."""
    r, data = item.row, item.data
    form: Petition = data["form"]
    status, checked = data["status"], data["checked"]
    known = [loader.by_id_number[n] for n in (checked.petitioner.id_number,
                                               checked.concerned.id_number if checked.concerned else "")
             if n and n in loader.by_id_number]
    complained = _complained_about(env, checked.respondent_name, checked.township)
    _name_complained_about(env, checked.respondent_name, checked.township)
    earlier: list[dv_repeat.Earlier] = []
    repeat: tuple[int, str] | None = None
    if (known or complained) and _only_in_load(env, loader, known, checked.respondent_name):
        # (her earlier cases, if any, are this load's petitions, and none on file names the person she complains about:
        # what the questions below would find is in memory, without waiting for the batch being written behind.
        # at_intake finds nothing: besides="petition", and a load of petitions adds no other kind)
        repeat = _repeat_in_load(env, checked, known)
    elif known or complained:
        # what register finds on file at intake (her earlier cases, one naming the same person, an earlier petition of
        # the same matter), asked as it asks, of the database holding the rows before this one (the modules imported
        # here, not at every row: an import statement takes ≈ 2 µs)
        from . import dv_repeats
        from . import petitions as petition_service

        _write_before(env, loader, known, checked.respondent_name)
        earlier = dv_repeats.at_intake(ctx.db, known, checked.respondent_name, checked.township, checked.received_on,
                                       env.today, besides="petition")
        repeat = petition_service.repeat_at_intake(ctx.db, 0, checked, known)
    if not env.office:
        from ..store import case_documents
        from . import settings

        env.office = settings.office_name(ctx)
        env.review_body = case_documents.last_content_value(ctx.db, "opinion", "review_body") or \
            course.DEFAULT_REVIEW_BODY
    state = (loader.next_case_id, dict(loader.counters), set(loader.used))
    res = None
    try:
        res, kept = _reserve(env, loader, "petition", form.received_on, data["given_no"])
        now, staff = env.now, ctx.who()
        story = _story_class()(form, now, ctx.who(form.receiving_staff), res, checked=data["checked"])
        story.office, story.printable, story.printed = env.office, env.printable, env.printed
        p = story.p
        if earlier:  # (as note_at_intake writes it)
            story.note(now, ctx.who(form.receiving_staff), dv_repeat.FLAG, dv_repeat.flag_note(
                [dv_repeat.Earlier(e.case_id, e.case_no, e.kind, e.received_on, e.why) for e in earlier]))
        if repeat is not None:  # (as _flag_repeat writes it)
            p.repeat_of, p.repeat_state = repeat[0], "suspected"
            story.note(now, ctx.who(form.receiving_staff), course.REPEAT_STATES["confirmed"], repeat[1])
        story.note(now, staff, "导入", _import_note(env, r, res, kept, data["given_no"]))
        on = r.values["accepted_on"] or form.received_on
        if status == "refused":
            story.refuse(now, staff, _v(r, "refused_reason") or "（原台账未记录理由）", on)
        elif status in ("accepted", "in_progress", "concluded"):
            errors: dict[str, str] = {}
            course.check_tell(p, on, course.way_for(p, on, ""), env.today, errors, not_before=on)
            if errors:
                raise ValidationError(errors)
            story.accept(now, staff, on)
            if status in ("in_progress", "concluded"):
                method = _v(r, "handling") or "其他"
                agency = _v(r, "handling_agency") or ("（原台账未记录）" if method == "转办/交办" else "")
                agency, _opinion = petition_rules.check_handle(p, method, agency, "")
                story.handle(now, staff, method, agency)
            if status == "concluded":
                result, reply = _v(r, "result"), _v(r, "reply") or "（原台账未记录答复内容）"
                opinion = course.draft_opinion(p, result, env.review_body)
                if reply.strip():
                    opinion.opinion = reply
                story.conclude(now, staff, reply, result, r.values["concluded_on"], opinion=opinion)
    except BaseException:
        _undo_reserve(env, loader, state, res)
        raise
    loader.add_petition(story.load(), res)
    for e in earlier:
        if e.why == dv_repeat.SAME_WOMAN:
            loader.link(res.case_id, e.case_id, dv_repeat.FLAG)
    if repeat is not None:
        loader.link(res.case_id, repeat[0], course.REPEAT_STATES["confirmed"])
    _added(env, loader, [form.petitioner.id, form.concerned.id if form.concerned else None], form.respondent_name)
    _petition_added(env, story.p)
    return res.case_no


def _petition_added(env: _Env, p: Petition) -> None:
    """A petition just added to the loader, kept as _repeat_in_load finds it: by its people (case_people: the
    petitioner, and the woman concerned when she is another person) and by its matter."""
    assert p.id is not None and p.case_no is not None and p.petitioner.id is not None
    loaded = _LoadedPetition(p.received_on, p.id, p.case_no,
                             any(r.stage == "re_review" and r.answered_on is not None for r in p.reviews))
    people = {p.petitioner.id} | ({p.concerned.id} if p.concerned is not None and p.concerned.id is not None else set())
    for person in people:
        env.loaded_by_person.setdefault(person, []).append(loaded)
    env.loaded_by_matter.setdefault((p.respondent_name, p.category, p.township), []).append(loaded)


def _only_in_load(env: _Env, loader: Any, people: list[int], respondent: str) -> bool:
    """Whether only this load's cases can be what intake finds for these people (known by their ID numbers) and this
    person complained about: the people were all added by this load, and no record on file before it names the person
    complained about (env.named_before, read before the load's first row: _complained_about)."""
    key = abuser_key(clean(respondent))
    return all(i >= loader.first_new_person for i in people) and not (key and key in env.named_before)


def _repeat_in_load(env: _Env, p: Petition, people: list[int]) -> tuple[int, str] | None:
    """services.petitions.repeat_at_intake(db, 0, p, people) when only this load's petitions can answer
    (_only_in_load): the same questions (store/petitions.final_petition, earlier_petition), asked of env.loaded_by_*:
    the latest one (received last, of the higher case id) of those that fit."""
    matter = course.matter_of(p.respondent_name)
    mine = [x for i in people for x in env.loaded_by_person.get(i, ())]
    same = env.loaded_by_matter.get((matter, p.category, p.township), []) if matter else []

    def latest(found: Any) -> _LoadedPetition | None:
        return max(found, key=lambda x: (x.received_on, x.case_id), default=None)

    final = latest(x for x in (*mine, *same) if x.final)
    if final is not None:
        return final.case_id, course.final_flag_note(final.case_no, final.received_on)
    since = course.repeat_since(p.received_on)
    for found, why in ((mine, course.SAME_PERSON), (same, course.SAME_MATTER)):
        earlier = latest(x for x in found if since <= x.received_on <= p.received_on)
        if earlier is not None:
            return earlier.case_id, course.repeat_flag_note(earlier.case_no, earlier.received_on, why)
    return None


def _care_list(env: _Env, name: str) -> Any:
    """_care_list_id and the list itself, looked up once an import."""
    from ..store import households as household_store

    if not env.care_lists:
        env.care_lists = {c.name: c for c in household_store.care_lists(env.ctx.db, include_inactive=True)}
    name = name or household_rules.POOR_LIST_NAME
    if name not in env.care_lists:
        raise RowError(f"名单“{name}”不存在，应为：{'、'.join(env.care_lists)}")
    return env.care_lists[name]


def _check_household(ctx: Any, env: _Env, r: _Row) -> tuple[str, str, dict[str, Any] | None]:
    """_apply_household's checks (dry)."""
    given_no = _v(r, "case_no")
    found = _existing(ctx, "household", given_no, r.values["received_on"])
    if found:
        return "same", found, None
    care = _care_list(env, _v(r, "care_list"))
    number = _v(r, "id_number")
    if number:
        dup = env.may_be_on_file("household_id", (care.id, number)) and ctx.db.execute(
            """SELECT c.case_no FROM cases c JOIN households h ON h.case_id = c.id JOIN people p ON p.id = c.person_id
               WHERE c.kind = 'household' AND h.list_id = ? AND p.id_number = ? LIMIT 1""",
            [care.id, number]).fetchone()
    else:
        dup = env.may_be_on_file("household_name", (care.id, _v(r, "name"), _v(r, "township"), _v(r, "village"))) and \
            ctx.db.execute(
            """SELECT c.case_no FROM cases c JOIN households h ON h.case_id = c.id
               WHERE c.kind = 'household' AND h.list_id = ? AND c.names = ? AND c.township = ? AND c.village = ?
               LIMIT 1""", [care.id, _v(r, "name"), _v(r, "township"), _v(r, "village")]).fetchone()
    if dup:
        return "same", str(dup[0]), None
    earlier = r.repeat(("household", care.id, number or (_v(r, "name"), _v(r, "township"), _v(r, "village"))))
    if earlier:
        return "same", earlier, None
    cadre = None
    if _v(r, "cadre"):
        cadre = household_rules.Cadre(name=_v(r, "cadre"), phone=_v(r, "cadre_phone"),
                                      from_date=r.values["received_on"])
    form = household_rules.Household(
        list_id=care.id, received_on=r.values["received_on"],
        head=household_rules.Member(_person(r), relation=""), members=[], township=_v(r, "township"),
        village=_v(r, "village"), address=_v(r, "house_address"), household_type=_v(r, "household_type"),
        causes=_v(r, "causes", []), cadre=cadre,
    )
    if not care.active:
        raise RowError(f"名单“{care.name}”已停用")
    checked = household_rules.validate_household(form, care, env.today)
    env.check_listed(checked)
    return "new", "", {"form": form, "checked": checked, "care": care, "given_no": given_no}


def _write_household(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """services.households.register as _apply_household calls it, told to the household's story and loaded."""
    from ..demo import stories
    from ..domain.rhythm import Rhythm

    r, data = item.row, item.data
    care = data["care"]
    form = dataclasses.replace(data["form"], rhythm=Rhythm(care.rhythm_unit, care.rhythm_every, env.today))
    state = (loader.next_case_id, dict(loader.counters), set(loader.used))
    res = None
    try:
        res, kept = _reserve(env, loader, "household", form.received_on, data["given_no"])
        story = stories.HouseholdStory(form, care, env.now, ctx.who(), res,
                                       checked=dataclasses.replace(data["checked"], rhythm=form.rhythm))
        story._add(env.now, ctx.who(), "导入", _import_note(env, r, res, kept, data["given_no"]))
    except BaseException:
        _undo_reserve(env, loader, state, res)
        raise
    loader.add_household(story.load(), res)
    _added(env, loader, [m.person.id for m in form.everyone], "")
    return str(res.case_no)


@dataclass
class _Visited:
    """What a visit's checks need of its household (households.get reads the whole of it)."""

    received_on: dt.date | None
    status: str
    rhythm: Any

    @property
    def is_open(self) -> bool:
        return self.status in household_rules.OPEN_STATUSES


def _households_found(env: _Env, r: _Row) -> list[tuple[int, str, str]]:
    """_households_named, from every household read once: (case id, number, where)."""
    from ..domain.rhythm import Rhythm

    if env.all_households is None:
        env.all_households = env.ctx.db.execute(
            """SELECT c.id, c.case_no, c.names, c.township, c.village,
                      c.township || c.village || CASE WHEN h.address != '' THEN '·' || h.address ELSE '' END,
                      COALESCE(p.id_number, ''), COALESCE(p.phone, ''), c.status, c.received_on, h.rhythm_unit,
                      h.rhythm_every, h.rhythm_start
               FROM cases c JOIN households h ON h.case_id = c.id LEFT JOIN people p ON p.id = c.person_id
               WHERE c.kind = 'household' ORDER BY c.id""").fetchall()
        undated = {int(x[0]) for x in env.ctx.db.execute(
            "SELECT case_id FROM import_gaps WHERE field = 'received_on'").fetchall()}
        for x in env.all_households:
            rhythm = Rhythm(x[10], int(x[11]), dt.date.fromisoformat(x[12])) if x[10] and x[12] else None
            env.households[int(x[0])] = (_Visited(dt.date.fromisoformat(x[9]) if x[9] else None, str(x[8]), rhythm),
                                         int(x[0]) in undated)
    rows = env.all_households
    number, name = _v(r, "id_number"), _v(r, "name")
    if r.chosen or _v(r, "household_no"):
        found = [x for x in rows if x[1] == (r.chosen or _v(r, "household_no"))]
    elif number:
        found = [x for x in rows if x[6] == number]
    else:
        found = [x for x in rows if x[2] == name]
        for key, col in (("township", 3), ("village", 4)):
            if _v(r, key) and _v(r, key) != UNRECORDED:
                found = [x for x in found if x[col] == _v(r, key)]
        found.sort(key=lambda x: x[1])
        phone = _v(r, "phone")
        if len(found) > 1 and phone:
            found = [x for x in found if x[7] == phone] or found
    return [(int(x[0]), str(x[1]), str(x[5] or "")) for x in found]


def _check_visit(ctx: Any, env: _Env, r: _Row) -> tuple[str, str, dict[str, Any] | None]:
    """_apply_visit's checks (dry), the households read once an import."""
    name = _v(r, "name")
    key = (r.chosen, _v(r, "household_no"), _v(r, "id_number"), name, _v(r, "township"), _v(r, "village"),
           _v(r, "phone"))
    found = env.named.get(key)
    if found is None:
        found = env.named[key] = _households_found(env, r)
    case_id, case_no, kind, visit = _visit_row(r, name, found)
    dup = env.may_be_on_file("visit", (case_id, to_iso(visit.visited_on), visit.kind, visit.cash_fen, visit.goods_fen)) \
        and _visit_on_file(ctx, case_id, visit)
    if dup:
        return "same", case_no, None
    earlier = r.repeat(("visit", case_id, visit.visited_on, kind, visit.cash_fen, visit.goods_fen))
    if earlier:
        return "same", earlier, None
    h, undated = env.households[case_id]
    if visit.visited_on is not None and h.received_on is not None and visit.visited_on < h.received_on and undated:
        h = dataclasses.replace(h, received_on=visit.visited_on)  # (as _apply_visit checks it)
    if h.status not in household_rules.OPEN_STATUSES:
        raise RowError(f"“{name}”已退出帮扶，不能再登记走访")
    household_rules.validate_visit(visit, h, ctx.today())
    return "new", case_no, {"case_id": case_id, "case_no": case_no, "visit": visit,
                            "household": env.households[case_id]}


def _write_visit(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """_apply_visit's writing (纳入日期 moved back to the first visit when never recorded) and
    services.households.log_visit, for many visits at once: the households' next visits due are refreshed at the end
    (_visits_done)."""
    from ..domain.records import TimelineEntry
    from ..store import bulk
    from . import households

    data = item.data
    case_id, form = data["case_id"], data["visit"]
    h, undated = env.households.setdefault(case_id, data["household"])  # (an import after a check: as it read them)
    received = env.received.get(case_id, h.received_on)
    now, lines = env.now, []
    if form.visited_on is not None and received is not None and form.visited_on < received and undated:
        received = form.visited_on
        lines.append(TimelineEntry(now, ctx.who(), "导入",
                                   f"原名册未记录纳入日期，按最早的走访（{format_cn(form.visited_on)}）暂记，待补全"))
    h = dataclasses.replace(h, received_on=received)
    households.need_open(h, "登记走访")
    v = household_rules.validate_visit(form, h, env.today, households.routes())
    who = ctx.who(v.visitors.split("、")[0])
    lines.append(TimelineEntry(now, who, v.kind_label, household_rules.visit_note(v, None)))
    env.received[case_id] = received
    loader.add_visit(case_id, bulk.VisitRow(v, who, now), lines)
    return str(data["case_no"])


def _visits_done(ctx: Any, env: _Env) -> None:
    """What log_visit does to each household visited (and _apply_visit to one whose 纳入日期 moved), once for each:
    its row's time, its 纳入日期, its next visit due (as households._refresh_due; a visit changes nothing its
    search entry holds)."""
    from ..store import bulk
    from . import households

    stamp = env.now.isoformat(timespec="seconds")
    db = ctx.db
    db.conn.executemany("UPDATE cases SET received_on = ?, updated_at = ? WHERE id = ?", [
        (to_iso(received), stamp, case_id) for case_id, received in env.received.items()
        if received != env.households[case_id][0].received_on])
    db.conn.executemany("UPDATE cases SET updated_at = ? WHERE id = ?", [(stamp, c) for c in env.received])
    dates: dict[int, list[dt.date]] = {c: [] for c in env.received}
    for case_id, on in db.execute("SELECT case_id, visited_on FROM visits").fetchall():
        if case_id in dates:
            dates[case_id].append(dt.date.fromisoformat(on))
    due = []
    for case_id, visited in dates.items():
        h = env.households[case_id][0]
        next_due = bulk.rhythm_next_due(h.rhythm, visited) if h.is_open else None
        due.append((to_iso(next_due), households.DUE_LABEL if next_due else "", int(h.is_open), case_id))
    db.conn.executemany("UPDATE cases SET due_on = ?, due_label = ?, is_open = ? WHERE id = ?", due)


def _organisation(env: _Env, name: str) -> Any:
    """The directory's entry of this name (None when there is none), looked up once an import."""
    from ..store import organisations

    if name not in env.organisations:
        org_id = organisations.id_by_name(env.ctx.db, name) if name else None
        env.organisations[name] = organisations.get(env.ctx.db, org_id) if org_id is not None else None
    return env.organisations[name]


def _check_referral(ctx: Any, env: _Env, r: _Row) -> tuple[str, str, dict[str, Any] | None]:
    """_apply_referral's checks (dry)."""
    given_no = _v(r, "case_no")
    found = _existing(ctx, "referral", given_no, r.values["referred_on"])
    if found:
        return "same", found, None
    facts = str(_v(r, "facts")).strip()
    earlier = r.repeat(("referral", r.values["referred_on"], _v(r, "name"), _v(r, "matter"), facts))
    if earlier:
        return "same", earlier, None
    dup = env.may_be_on_file("referral", (to_iso(r.values["referred_on"]), _v(r, "matter"), facts)) and \
        _referral_on_file(ctx, r, facts)
    if dup:
        return "same", str(dup[0]), None
    org_name = _v(r, "organisation")
    org = _organisation(env, org_name)
    status, form = _referral_form(ctx, r, org_name, org, facts)
    checked = referral_rules.validate_referral(form, env.today)
    env.check_listed(checked)
    _check_dates(ctx, r, ("referred_on", "answered_on", "concluded_on"))
    if status in ("accepted", "concluded", "refused") and r.values["answered_on"] is None:
        raise ValidationError({"answered_on": "已答复的转介请填写答复日期"})
    if status == "concluded" and r.values["concluded_on"] is None:
        raise ValidationError({"concluded_on": "已办结的转介请填写办结日期"})
    if status == "concluded" and (_v(r, "result") or "其他") not in referral_rules.RESULTS:
        raise ValidationError({"result": f"办理结果应为：{'、'.join(referral_rules.RESULTS)}"})
    return "new", "", {"form": form, "checked": checked, "status": status, "given_no": given_no}


def _write_referral(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """services.referrals.refer, then accept/refuse/conclude/withdraw as _apply_referral calls them, told to the
    referral's story and loaded."""
    from ..demo import stories
    from ..domain.kinds import kind_label
    from ..domain.records import TimelineEntry
    from ..store import cases as case_store
    from . import dv_repeats, referrals

    r, data = item.row, item.data
    form, status, checked = data["form"], data["status"], data["checked"]
    if form.service != referral_rules.LEGAL_AID:
        return _through_services(ctx, env, loader, item)  # (the bulk loader writes legal aid's referrals only)
    number = checked.applicant.id_number
    earlier: list[dv_repeat.Earlier] = []
    if number and number in loader.by_id_number:
        # what refer finds on file of her (her earlier cases), asked as it asks, of the database holding the rows
        # before this one
        _write_before(env, loader, [loader.by_id_number[number]], checked.opponent_name)
        earlier = dv_repeats.at_intake(ctx.db, [loader.by_id_number[number]], checked.opponent_name, checked.township,
                                       checked.referred_on, env.today)
    told = [e.case_id for e in earlier if e.why == dv_repeat.SAME_WOMAN and e.kind == kind_label("petition")]
    state = (loader.next_case_id, dict(loader.counters), set(loader.used))
    res = None
    try:
        key = (form.organisation.name if form.organisation is not None else "", checked.service)
        org = env.directory.get(key)
        if org is None:
            org = env.directory[key] = referrals._organisation(ctx.db, form.organisation, checked.service)
        res, kept = _reserve(env, loader, "referral", form.referred_on, data["given_no"])
        now, staff = env.now, ctx.who()
        story = stories.ReferralStory(form, org, now, ctx.who(checked.staff), checked=checked)
        story.linked = bool(told)  # (what becomes of it is told to the petitions it is linked to, as the service does)
        if earlier:  # (as note_at_intake writes it)
            story._add(now, ctx.who(checked.staff), dv_repeat.FLAG, dv_repeat.flag_note(
                [dv_repeat.Earlier(e.case_id, e.case_no, e.kind, e.received_on, e.why) for e in earlier]))
        story._add(now, staff, "导入", _import_note(env, r, res, kept, data["given_no"]))
        answered, referred_on = r.values["answered_on"], form.referred_on
        if status == "refused":
            story.refuse(now, staff, _v(r, "refused_reason") or "（原台账未记录理由）", answered)
        elif status in ("accepted", "concluded"):
            story.accept(now, staff, answered, _v(r, "lawyer"))
            if status == "concluded":
                story.conclude(now, staff, _v(r, "result") or "其他", "", r.values["concluded_on"])
        elif status == "withdrawn":
            story.withdraw(now, staff, _v(r, "refused_reason") or "（原台账未记录理由）",
                           r.values["concluded_on"] or referred_on)
    except BaseException:
        _undo_reserve(env, loader, state, res)
        raise
    loader.add_referral(story.load(), res)
    _added(env, loader, [form.applicant.id], checked.opponent_name)
    for e in earlier:
        if e.why == dv_repeat.SAME_WOMAN:
            loader.link(res.case_id, e.case_id, dv_repeat.FLAG)
    for petition_id in told if story.petition_notes else []:  # (referrals._note_on_petitions)
        loader._timeline(petition_id, [TimelineEntry(at, who, referral_rules.referral_words(checked.service),
                                                     f"{res.case_no}：{text}") for at, who, text in story.petition_notes])
        case_store.update_case(ctx.db, petition_id, max(at for at, _w, _t in story.petition_notes))
    return str(res.case_no)


def _check_mediation(ctx: Any, env: _Env, r: _Row) -> tuple[str, str, dict[str, Any] | None]:
    """_apply_mediation's checks (dry)."""
    given_no = _v(r, "case_no")
    found = _existing(ctx, "mediation", given_no, r.values["received_on"])
    if found:
        return "same", found, None
    facts = str(_v(r, "facts")).strip()
    applicants = [x for x in re.split(r"[、,，]", _v(r, "applicant")) if x.strip()]
    respondents = [x for x in re.split(r"[、,，]", _v(r, "respondent")) if x.strip()]
    earlier = r.repeat(("mediation", r.values["received_on"], _v(r, "applicant"), _v(r, "dispute_type"), facts))
    if earlier:
        return "same", earlier, None
    dup = env.may_be_on_file("mediation", (to_iso(r.values["received_on"]), _v(r, "dispute_type"), facts)) and \
        _mediation_on_file(ctx, r, applicants, facts)
    if dup:
        return "same", str(dup[0]), None
    mediators, outcome, form = _mediation_form(ctx, r, applicants, respondents, facts)
    if any(len(name) > 30 for name in mediators):
        raise RowError("调解员姓名太长，请用“、”分隔多个调解员")
    checked = mediation_rules.validate_mediation(form, env.today)
    env.check_listed(checked)
    _check_dates(ctx, r, ("received_on", "outcome_on"))
    if outcome and r.values["outcome_on"] is None:
        raise ValidationError({"outcome_on": "有调解结果的请填写结案日期"})
    return "new", "", {"form": form, "checked": checked, "mediators": mediators, "outcome": outcome,
                       "given_no": given_no}


def _write_mediation(ctx: Any, env: _Env, loader: Any, item: _Prepared) -> str:
    """services.mediations.open_mediation and the outcome as _apply_mediation writes it, told to the mediation's
    story and loaded."""
    from ..demo import stories
    from ..domain.records import TimelineEntry
    from ..store import mediations as mediation_store
    from . import dv_repeats

    r, data = item.row, item.data
    form, checked = data["form"], data["checked"]
    abuser = next((p.person.name for p in checked.parties if p.side == "respondent"), "")
    known = [loader.by_id_number[p.person.id_number] for p in checked.parties
             if p.person.id_number and p.person.id_number in loader.by_id_number]
    complained = _complained_about(env, abuser, checked.township)
    if abuser:
        _name_complained_about(env, abuser, checked.township)
    earlier: list[dv_repeat.Earlier] = []
    caution = ""
    if known or complained:
        # what open_mediation finds on file (a party's earlier cases, the same person complained about named before,
        # an order in force or a high risk), asked as it asks, of the database holding the rows before this one
        _write_before(env, loader, known, abuser)
        earlier = dv_repeats.at_intake(ctx.db, known, abuser, checked.township, checked.received_on, env.today)
        caution = dv_repeats.caution_in(ctx.db, known, env.today)
    state = (loader.next_case_id, dict(loader.counters), set(loader.used))
    res = None
    if env.roster is None:
        env.roster = mediation_store.mediators(ctx.db, include_inactive=True)
    named = {x.name for x in env.roster}
    adds = any(name not in named for name in data["mediators"])
    try:
        # a mediator only this row names is added with the row: not at all when the row is refused on the way
        with ctx.db.atomic() if adds else contextlib.nullcontext():
            form = dataclasses.replace(form, mediator_ids=_mediator_ids(ctx, data["mediators"], env.roster))
            if adds:
                env.roster = mediation_store.mediators(ctx.db, include_inactive=True)
            res, kept = _reserve(env, loader, "mediation", form.received_on, data["given_no"])
            now = env.now
            story = stories.MediationStory(form, env.roster, now, ctx.who(form.registrar or ""), checked=dataclasses.replace(
                data["checked"], mediator_ids=list(dict.fromkeys(form.mediator_ids))))
            m = story.m
            staff = ctx.who(checked.registrar)
            if earlier:  # (as note_at_intake writes it)
                story.came_before(now, staff, [dv_repeat.Earlier(e.case_id, e.case_no, e.kind, e.received_on, e.why)
                                               for e in earlier])
            if caution:  # the mediation took place before it was registered here: noted, not refused
                reason = dv_repeat.check_reason(caution, dv_repeat.IMPORTED_REASON)
                m.timeline.insert(1, TimelineEntry(now, staff, dv_repeat.MEDIATION_CAUTION,
                                                   dv_repeat.caution_note(caution, reason)))
            story._add(now, ctx.who(), "导入", _import_note(env, r, res, kept, data["given_no"]))
            outcome = data["outcome"]
            if outcome:
                on = r.values["outcome_on"]
                if on is None:
                    raise ValidationError({"outcome_on": "有调解结果的请填写结案日期"})
                if on > env.today:
                    raise ValidationError({"outcome_on": "结案日期不能晚于今天"})
                if m.received_on and on < m.received_on:
                    raise ValidationError({"outcome_on": f"结案日期不能早于受理日期（{format_cn(m.received_on)}）"})
                note = _v(r, "outcome_note")
                m.outcome, m.outcome_on, m.outcome_note = outcome, on, note
                m.failed_route = "（原台账未记录）" if outcome == "failed" else ""
                m.status = outcome
                story.m.timeline.append(TimelineEntry(now, ctx.who(), mediation_rules.OUTCOMES[outcome],
                                                      f"{format_cn(on)}（据原台账）" + (f"：{note}" if note else "")))
            load = story.load()
    except BaseException:
        if adds:
            env.roster = None  # (read again: the ones added are gone)
        _undo_reserve(env, loader, state, res)
        raise
    loader.add_mediation(load, res)
    _added(env, loader, [p.person.id for p in form.parties], abuser)
    for e in earlier:
        if e.why == dv_repeat.SAME_WOMAN:
            loader.link(res.case_id, e.case_id, dv_repeat.FLAG)
    return str(res.case_no)


CHECK: dict[str, Callable[[Any, _Env, _Row], tuple[str, str, dict[str, Any] | None]]] = {
    "petition": _check_petition, "household": _check_household, "visit": _check_visit, "referral": _check_referral,
    "mediation": _check_mediation,
}
WRITE: dict[str, Callable[[Any, _Env, Any, _Prepared], str]] = {
    "petition": _write_petition, "household": _write_household, "visit": _write_visit, "referral": _write_referral,
    "mediation": _write_mediation,
}
AFTER: dict[str, Callable[[Any, _Env], None]] = {"visit": _visits_done}


APPLY: dict[str, Callable[[Any, _Row], tuple[str, str]]] = {
    "petition": _apply_petition, "referral": _apply_referral, "mediation": _apply_mediation,
    "household": _apply_household, "visit": _apply_visit,
}

# what the services call a field, when it is not the import's own key
_SERVICE_FIELDS = {
    "petitioner.": "", "applicant.": "", "head.": "", "parties": "applicant", "applicants": "applicant",
    "respondents": "respondent", "applicant_0.": "applicant_", "respondent_0.": "respondent_",
    "cash": "cash", "last": "visited_on",
}


def _field_label(kind: str, key: str) -> str:
    fields = field_map(kind)
    k = key
    for prefix, replacement in _SERVICE_FIELDS.items():
        if k.startswith(prefix):
            k = replacement + k[len(prefix):]
            break
    if k in ("name", "") and kind == "mediation":
        k = "applicant"
    f = fields.get(k) or fields.get(k.split(".")[-1])
    return f.label if f else ""


_QUOTED = re.compile(r"“([^”]{21,})”")


def _short(messages: list[str]) -> list[str]:
    """Each value a message quotes cut to 20 characters (“来访很很很很很……”): a cell may hold a whole page."""
    return [_QUOTED.sub(lambda m: f"“{cut(m[1], 20)}”", msg) for msg in messages]


def _messages(kind: str, e: Exception) -> list[str]:
    if isinstance(e, ValidationError):
        out = []
        for key, msg in e.errors.items():
            label = _field_label(kind, key)
            out.append(f"{label}：{msg}" if label and not msg.startswith(label) else msg)
        return out
    if isinstance(e, FulianError):
        return [e.message]
    return [str(e)]




def _on_file(ctx: Any, kind: str, values: dict[str, Any]) -> str | None:
    case_no = values.get("case_no")
    if kind == "visit" or not isinstance(case_no, str) or not case_no:
        return None
    date = values.get(_DATE_KEY.get(kind, ""))
    try:
        return _existing(ctx, kind, case_no, date if isinstance(date, dt.date) else None)
    except RowError:
        return None


def _placeholders(ctx: Any, kind: str, values: dict[str, Any], gaps: list[str]) -> None:
    """What a record is given for a field its register did not record (Field.gap): 未记录, or for a date the
    day it is imported."""
    fields = field_map(kind)
    for key in gaps:
        values[key] = ctx.today() if fields[key].gap == ADDED_ON_IMPORT else fields[key].gap


def _layout_key(kind: str, headers: list[str]) -> str:
    """The settings key under which the columns chosen for this layout of headers are remembered."""
    text = kind + "\x1f" + layout(headers)
    return "import.layout." + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def remembered(ctx: Any, kind: str, headers: list[str]) -> tuple[dict[str, int], dict[str, str]] | None:
    """The columns (field -> column) and whole-file values the last import of this layout used, if any."""
    from ..store import settings

    ctx.require(f"{'household' if kind == 'visit' else kind}.write")
    text = settings.get(ctx.db, _layout_key(kind, headers))
    if not text:
        return None
    try:
        data = json.loads(text)
        columns = {str(k): int(v) for k, v in data.get("columns", {}).items()
                   if isinstance(v, int) and 0 <= v < len(headers) and k in field_map(kind)}
        fill = {str(k): str(v) for k, v in data.get("fill", {}).items() if k in field_map(kind)}
    except (ValueError, AttributeError, TypeError):
        return None
    return columns, fill


@dataclass
class _Checked:
    """The last check of a file, kept for the import that follows it (the clerk's next click)."""

    source: Source
    key: tuple[object, ...]
    report: Report
    prepared: list[_Prepared]


_checked: _Checked | None = None


def _check_key(ctx: Any, kind: str, mapping: dict[str, int], fill: dict[str, str],
               choose: dict[int, str]) -> tuple[object, ...]:
    """What a check's result depends on besides the file: the database as it is (its audit trail's last entry
    changes with every change), the day, the account, the columns, the values and the choices."""
    from ..store import audit

    return (id(ctx.db), audit.head(ctx.db), ctx.today(), ctx.who(), kind, sorted(mapping.items()),
            sorted(fill.items()), sorted(choose.items()))


def _run_bulk(ctx: Any, source: Source, kind: str, mapping: dict[str, int], write: bool,
              progress: Progress | None, fill: dict[str, str], choose: dict[int, str]) -> Report:
    """`run` for the kinds with a bulk path: every row checked (as the row-by-row path does), then the new ones
    written together. The same report, the same records."""
    from ..store import audit, bulk, gaps, parallel, settings

    global _checked
    report = Report(kind, [])
    total = len(source.rows)
    seen: dict[tuple[object, ...], str] = {}
    env = _Env(ctx, kind)
    fields = field_map(kind)
    prepared: list[_Prepared] = []
    key = _check_key(ctx, kind, mapping, fill, choose)
    earlier, _checked = _checked, None
    if write and earlier is not None and earlier.source is source and earlier.key == key:
        # the clerk checked this file just now, and nothing changed since: what the check found is written
        report.rows = [dataclasses.replace(x, messages=list(x.messages), gaps=list(x.gaps)) for x in earlier.report.rows]
        prepared = [_Prepared(x.row, report.rows[x.report.index], x.data) for x in earlier.prepared]

    def tell(what: str, done: int, count: int) -> None:
        if progress is not None and (done % 200 == 0 or done == count) and progress(what, done, count) is False:
            report.stopped = True
            raise _Rollback

    try:
        with ctx.action() as db:
            for index, (row_no, cells) in enumerate(source.rows if not report.rows else []):
                where = source.where(index)
                values, errors, row_gaps = check_values(kind, mapping, cells, fill, source.origin(index).year)
                who = cut(str(values.get("name") or values.get("applicant") or ""), NAME_MAX)
                on_file = _on_file(ctx, kind, values) if errors else None
                if on_file:
                    report.rows.append(RowReport(row_no, "same", [], on_file, who, where, index=index))
                elif errors:
                    report.rows.append(RowReport(row_no, "error", _short(errors), who=who, where=where, index=index))
                else:
                    _placeholders(ctx, kind, values, row_gaps)
                    row = _Row(values, row_no, source.name, kind, True, seen, row_gaps, choose.get(index, ""), where)
                    try:
                        state, case_no, data = CHECK[kind](ctx, env, row)
                    except (StorageError, PermissionDenied):
                        raise
                    except Ambiguous as e:
                        report.rows.append(RowReport(row_no, "error", [e.message], who=who, where=where,
                                                     candidates=e.candidates, index=index))
                    except FulianError as e:
                        report.rows.append(RowReport(row_no, "error", _short(_messages(kind, e)), who=who,
                                                     where=where, index=index))
                    else:
                        if state == "new" and row.key:
                            seen[row.key] = where
                        rr = RowReport(row_no, state, [], case_no, who, where,
                                       [fields[k].label for k in row_gaps] if state == "new" else [], index=index)
                        report.rows.append(rr)
                        if data is not None:
                            prepared.append(_Prepared(row, rr, data))
                tell("检查", index + 1, total)
            if not write:
                _checked = _Checked(source, key, report, prepared)
            if not write or not prepared:
                raise _Rollback
            # (a load of more than BULK_CASES ends in one audit entry: rows refused on the way must not leave fewer)
            expected = len(prepared) if len(prepared) > audit.BULK_CASES + 50 and kind != "visit" else 0
            # (the list's 25 indexes of cases made again at the end when the register adds as many as there are: a
            # fifth of the write; the tables the rows' questions read keep theirs)
            aside = ("cases",) if kind != "visit" and len(prepared) >= bulk.bulk_floor(db) else ()
            # (a big register: its letters packed and its search entries made in a second process meanwhile; a
            # visit register makes neither)
            with parallel.helping(len(prepared) if kind != "visit" else 0) as helper, \
                    bulk.loading(db, expected=expected, rebuild_indexes=aside) as loader:
                loader.helper = helper
                if helper is not None:  # (a big register: each batch written meanwhile, on the other core)
                    loader.write_behind()
                loader.in_order = True
                for done, item in enumerate(prepared, 1):
                    try:
                        item.report.case_no = WRITE[kind](ctx, env, loader, item)
                    except (StorageError, PermissionDenied):
                        raise
                    except FulianError as e:  # what the services would refuse on the way (a date out of order …)
                        item.report.state, item.report.gaps = "error", []
                        item.report.messages = _short(_messages(kind, e))
                    tell("写入", done, len(prepared))
                if progress is not None and progress(SAVING, len(prepared), len(prepared)) is False:
                    report.stopped = True  # (stopped just before the saving began: nothing written)
                    raise _Rollback
            gaps.add_rows(db, env.gap_rows)
            if kind in AFTER:
                AFTER[kind](ctx, env)
            columns = {k: source.headers[i] for k, i in mapping.items() if 0 <= i < len(source.headers)}
            settings.put(db, _layout_key(kind, source.headers), json.dumps(
                {"columns": {k: mapping[k] for k in columns}, "fill": fill}, ensure_ascii=False))
    except _Rollback:
        pass
    report.written = write and not report.stopped
    return report


def run(ctx: Any, source: Source, kind: str, mapping: dict[str, int], write: bool = False,
        progress: Progress | None = None, fill: dict[str, str] | None = None,
        choose: dict[int, str] | None = None, one_by_one: bool = False) -> Report:
    """Check (write=False) or import (write=True) every row. Nothing is written unless `write`; then the
    good rows are written in one transaction, and if anything goes wrong on the way, none are. `fill`: one
    value for the whole file of a field without a column; `choose`: for a row that fits more than one record
    (by its index among the source's rows), the case number the clerk chose. `one_by_one`: every row through the
    services, one after another (the reference the bulk path is tested against; the kinds without a bulk path
    always go this way)."""
    from ..store import settings

    if kind not in FIELDS:
        raise ImportFileError("请选择要导入的台账类型")
    ctx.require(f"{'household' if kind == 'visit' else kind}.write")
    fill = {k: v for k, v in (fill or {}).items() if v}
    missing = missing_required(kind, {**mapping, **{k: -1 for k in fill}})
    if missing:
        raise ValidationError({"mapping": f"还没有指定这些列：{'、'.join(missing)}"})
    if kind in CHECK and not one_by_one:
        with collector_held():
            return _run_bulk(ctx, source, kind, mapping, write, progress, fill, choose or {})
    report = Report(kind, [])
    total = len(source.rows)
    seen: dict[tuple[object, ...], str] = {}
    try:
        with ctx.action() as db:
            for done, (row_no, cells) in enumerate(source.rows, 1):
                index = done - 1
                where = source.where(index)
                values, errors, gaps = check_values(kind, mapping, cells, fill, source.origin(index).year)
                who = cut(str(values.get("name") or values.get("applicant") or ""), NAME_MAX)
                on_file = _on_file(ctx, kind, values) if errors else None
                if on_file:  # a case already on file, whatever else the row says (e.g. masked ID numbers)
                    report.rows.append(RowReport(row_no, "same", [], on_file, who, where, index=index))
                elif errors:
                    report.rows.append(RowReport(row_no, "error", _short(errors), who=who, where=where, index=index))
                else:
                    _placeholders(ctx, kind, values, gaps)
                    labels = [field_map(kind)[k].label for k in gaps]
                    try:
                        with db.atomic():
                            row = _Row(values, row_no, source.name, kind, not write, seen, gaps,
                                       (choose or {}).get(index, ""), where)
                            state, case_no = APPLY[kind](ctx, row)
                        if state == "new" and row.key:
                            seen[row.key] = where
                        report.rows.append(RowReport(row_no, state, [], case_no, who, where,
                                                     labels if state == "new" else [], index=index))
                    except (StorageError, PermissionDenied):
                        raise  # the machine's fault, or no right to do it: nothing is written
                    except Ambiguous as e:
                        report.rows.append(RowReport(row_no, "error", [e.message], who=who, where=where,
                                                     candidates=e.candidates, index=index))
                    except FulianError as e:  # what is wrong with this row
                        report.rows.append(RowReport(row_no, "error", _short(_messages(kind, e)), who=who,
                                                     where=where, index=index))
                if progress is not None and (done % 50 == 0 or done == total):
                    if progress("写入" if write else "检查", done, total) is False:
                        report.stopped = True
                        raise _Rollback
            if not write:
                raise _Rollback
            columns = {k: source.headers[i] for k, i in mapping.items() if 0 <= i < len(source.headers)}
            settings.put(db, _layout_key(kind, source.headers), json.dumps(
                {"columns": {k: mapping[k] for k in columns}, "fill": fill}, ensure_ascii=False))
    except _Rollback:
        pass
    report.written = write and not report.stopped
    return report


def incomplete(ctx: Any, limit: int = 500) -> list[tuple[int, str, str, str, str]]:
    """The imported records still 待补全: (case id, case number, kind, names, the fields missing)."""
    from ..store import gaps

    ctx.require("cases.list")
    return gaps.incomplete(ctx.db, limit)


def incomplete_count(ctx: Any) -> int:
    from ..store import gaps

    ctx.require("cases.list")
    return gaps.count(ctx.db)
