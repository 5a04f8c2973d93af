"""人身安全保护令: help her apply (the 申请书 printed from the case; on her behalf with her wishes recorded), the
情况证明 from the office's records, the court's acceptance and ruling, the extension request, violations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..domain import protection_order as rules
from ..domain.corrections import Correction, check_reason, compare, prefixed
from ..domain.dates import format_cn, format_cn_datetime
from ..domain.errors import NotFound, RuleError, ValidationError
from ..domain.mandatory_report import ground_from_birth
from ..domain.protection_order import Applicant, Application, Order, Paper, Violation
from ..domain.records import CaseDocument
from ..store import case_documents, cases, people, petitions
from ..store import police_contacts as contact_store
from ..store import protection as thread_store
from ..store import protection_orders as store
from . import corrections, settings
from .context import Context
from .protection import check_handling

if TYPE_CHECKING:
    import sqlite_utils


@dataclass
class OrdersOfCase:
    orders: list[Order]
    violations: list[Violation]


def of_case(ctx: Context, case_id: int) -> OrdersOfCase:
    check_handling(ctx, case_id)
    return OrdersOfCase(store.orders_of(ctx.db, case_id), store.violations_of(ctx.db, case_id))


def in_force_for(ctx: Context, person_id: int) -> list[tuple[int, str, dt.date]]:
    """Orders in force today protecting this woman: (case id, case number, last day) — for her person page and the
    repeat warnings at intake."""
    ctx.require("protection.read")
    return store.in_force_for_person(ctx.db, person_id, ctx.today())


def _her(db: sqlite_utils.Database, case_id: int) -> Applicant:
    person_id = thread_store.woman_of(db, case_id)
    if person_id is None:
        return Applicant(name="")
    p = people.get(db, person_id)
    then = people.then_of(db, case_id, person_id)
    return Applicant(name=p.name, sex=p.sex, birth=format_cn(p.birth_date), ethnicity=p.ethnicity,
                     id_number=p.id_number, address=then.get("address", p.address), phone=p.phone)


def _guardian(db: sqlite_utils.Database, case_id: int, today: dt.date) -> str:
    """Her 法定代理人 on the papers when she is a minor: the petitioner who came for her ('' otherwise)."""
    p = petitions.load(db, case_id)
    person_id = thread_store.woman_of(db, case_id)
    if p is None or p.concerned is None or person_id is None or p.petitioner.name == p.concerned.name:
        return ""
    if ground_from_birth(people.get(db, person_id).birth_date, today) != "minor":
        return ""
    return p.petitioner.name


def _header(db: sqlite_utils.Database, case_id: int) -> dict[str, object]:
    h = cases.case_header(db, case_id)
    if h is None:
        raise NotFound("找不到这个案件")
    return h


def _facts(db: sqlite_utils.Database, case_id: int) -> tuple[str, str, str, str]:
    """(facts, respondent, relation, channel) as the case recorded them."""
    p = petitions.load(db, case_id)
    if p is not None:
        return p.facts, p.respondent_name, p.respondent_relation, p.channel
    r = db.execute("SELECT summary FROM cases WHERE id = ?", [case_id]).fetchone()
    return (str(r[0]) if r else ""), "", "", ""


def draft(ctx: Context, case_id: int) -> Application:
    """An application drafted from the case: the person she complained about, the facts as recorded, the first two
    measures of art. 29, the police papers and the office's 情况证明 as evidence, the court last applied to."""
    check_handling(ctx, case_id)
    facts, respondent, relation, _channel = _facts(ctx.db, case_id)
    evidence = [f"{c.station}出具的{c.title}" + (f"（{c.number}）" if c.number else "")
                for c in contact_store.contacts_of(ctx.db, case_id)]
    evidence.append(f"{settings.office_name(ctx)}出具的情况证明")
    court = case_documents.last_content_value(ctx.db, "order_application", "court")
    return Application(respondent=respondent, respondent_relation=relation, requests=list(rules.MEASURES[:2]),
                       facts=facts, evidence=evidence, court=court)


def _issue(db: sqlite_utils.Database, case_id: int, paper: Paper, staff: str, now: dt.datetime) -> int:
    from .. import documents  # reportlab's fonts load on the first paper, not at start-up

    documents.check_printable(paper.texts())
    return case_documents.add(db, case_id, CaseDocument(doc=paper.doc, title=paper.title, issued_on=paper.issued_on,
                                                        way="", content=paper.to_content(), staff=staff), now)


def apply(ctx: Context, case_id: int, application: Application) -> tuple[int, int]:
    """Her application made (or made on her behalf, with her wishes and the day she agreed): the order's record
    and the 申请书, kept as issued. Returns (order id, document id)."""
    check_handling(ctx, case_id, "protection.write")
    a = rules.validate_application(application, ctx.today())
    h = _header(ctx.db, case_id)
    paper = rules.application_paper(a, _her(ctx.db, case_id), settings.office_name(ctx), str(h["case_no"]),
                                    ctx.who(), "", ctx.today(), _guardian(ctx.db, case_id, ctx.today()))
    now = ctx.now()
    with ctx.action() as db:
        order_id = store.add(db, case_id, a, ctx.who(), now)
        doc_id = _issue(db, case_id, paper, ctx.who(), now)
        how = (f"本会根据她的意愿代为申请（{format_cn(a.consent_on)}同意）" if a.on_behalf else "她本人申请")
        cases.add_timeline(db, case_id, now, ctx.who(), "申请人身安全保护令",
                           f"向{a.court}申请，{how}" + ("，情况紧急" if a.urgent else "") + "；出具申请书")
    return order_id, doc_id


def situation_proof(ctx: Context, case_id: int) -> int:
    """The 情况证明 from the office's records (her DV cases, the police papers, the visits, the violations),
    kept as issued; its document id."""
    check_handling(ctx, case_id, "protection.write")
    db = ctx.db
    h = _header(db, case_id)
    facts, respondent, relation, channel = _facts(db, case_id)
    records: list[str] = []
    person_id = thread_store.woman_of(db, case_id)
    earlier = db.execute("SELECT id, case_no, kind, received_on, summary FROM cases WHERE person_id = ? AND id <> ? "
                         "ORDER BY received_on, id", [person_id, case_id]).fetchall() if person_id else []
    labels = cases.kind_labels(db, [int(r[0]) for r in earlier])  # a referral names its service
    for other_id, no, _kind, on, summary in earlier:
        if thread_store.is_dv_case(db, int(other_id)):
            records.append(f"{format_cn(on)}，{labels[int(other_id)]}登记（编号：{no}）：{summary}")
    records.append(f"{format_cn(h['received_on'])}，本案登记：{facts}")  # type: ignore[arg-type]
    for c in contact_store.contacts_of(db, case_id):
        records.append(f"{format_cn(c.issued_on)}，{c.station}出具{c.title}" + (f"（{c.number}）" if c.number else ""))
    for f in contact_store.follow_ups_of(db, case_id):
        if f.done_on is not None:
            records.append(f"{format_cn(f.done_on)}，本会与{f.with_whom}查访：{f.finding}")
    for o in store.orders_of(db, case_id):
        if o.outcome == "granted":
            records.append(f"{format_cn(o.ruled_on)}，{o.application.court}作出人身安全保护令"
                           + (f"，案号{o.order_no}" if o.order_no else ""))
    for v in store.violations_of(db, case_id):
        records.append(f"{format_cn(v.occurred_on)}，她向本会反映被申请人违反人身安全保护令：{v.what}")
    paper = rules.situation_paper(_her(db, case_id), h["received_on"], channel, respondent,  # type: ignore[arg-type]
                                  relation, records, settings.office_name(ctx), str(h["case_no"]), ctx.who(),
                                  ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        doc_id = _issue(db, case_id, paper, ctx.who(), now)
        cases.add_timeline(db, case_id, now, ctx.who(), "出具情况证明", f"根据本会记录出具情况证明（{len(records)}项）")
    return doc_id


def _order(ctx: Context, case_id: int, order_id: int) -> Order:
    o = store.get(ctx.db, order_id)
    if o is None or o.case_id != case_id:
        raise NotFound("找不到这份保护令申请")
    return o


def record_filing(ctx: Context, case_id: int, order_id: int, court: str, filed_at: dt.datetime) -> dt.datetime:
    """The court accepted the application: the ruling clock starts. Returns when the court must rule."""
    check_handling(ctx, case_id, "protection.write")
    o = _order(ctx, case_id, order_id)
    if o.outcome:
        raise RuleError("法院已经作出结果，不能再改受理时间")
    court = rules.validate_filing(court, filed_at, ctx.now())
    due = rules.ruling_due(filed_at, o.application.urgent)
    now = ctx.now()
    with ctx.action() as db:
        store.set_filed(db, order_id, court, filed_at)
        cases.add_timeline(db, case_id, now, ctx.who(), "法院受理保护令申请",
                           f"{court}于{format_cn_datetime(filed_at)}受理，应在{format_cn_datetime(due)}前作出裁定")
    return due


def record_ruling(ctx: Context, case_id: int, order_id: int, outcome: str, ruled_on: dt.date | None,
                  order_no: str = "", ordered: str = "", ends_on: dt.date | None = None, note: str = "") -> None:
    """The court's answer: an order made (its number, what it orders, its last day), the application refused, or
    withdrawn."""
    check_handling(ctx, case_id, "protection.write")
    o = _order(ctx, case_id, order_id)
    if o.outcome:
        raise RuleError("这份申请已经记录了法院的结果")
    o = rules.validate_ruling(o, outcome, ruled_on, order_no, ordered, ends_on, note, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.set_ruling(db, o)
        what = rules.OUTCOMES[outcome]
        line = f"{format_cn(o.ruled_on)}{what}" + (f"，案号{o.order_no}" if o.order_no else "")
        if outcome == "granted":  # (what it orders: on the 家暴防护 page only)
            line += f"，有效期至{format_cn(o.ends_on)}"
        elif o.outcome_note:
            line += f"：{o.outcome_note}"
        cases.add_timeline(db, case_id, now, ctx.who(), "保护令结果", line)


RULING_LABELS = {"order_no": "案号", "ordered": "保护令内容", "ends_on": "有效期至", "outcome_note": "说明"}


def correct_ruling(ctx: Context, case_id: int, order_id: int, order_no: str, ordered: str, ends_on: dt.date | None,
                   note: str = "", reason: str = "") -> list[Correction]:
    """The court's ruling recorded wrongly (its number, what it orders, its last day): only what changed is
    written, with the 更正 line in the timeline; a reason is needed once a paper of the case was printed."""
    check_handling(ctx, case_id, "protection.write")
    saved = _order(ctx, case_id, order_id)
    if not saved.outcome or saved.ruled_on is None:
        raise RuleError("还没有记录法院的结果，不需要更正")
    fixed = rules.validate_ruling(replace(saved), saved.outcome, saved.ruled_on, order_no, ordered, ends_on, note,
                                  ctx.today())

    def values(o: Order) -> dict[str, object]:
        return {"order_no": o.order_no, "ordered": o.ordered, "ends_on": o.ends_on, "outcome_note": o.outcome_note}

    changes = compare(values(saved), values(fixed), prefixed(RULING_LABELS, "保护令的"))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.set_ruling(db, fixed)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
    return changes


def request_extension(ctx: Context, case_id: int, order_id: int, until: dt.date | None, reasons: str) -> int:
    """Her request to extend an order in force, printed (kept as issued); its document id."""
    check_handling(ctx, case_id, "protection.write")
    o = _order(ctx, case_id, order_id)
    until, reasons = rules.validate_extension(o, until, reasons, ctx.today())
    h = _header(ctx.db, case_id)
    paper = rules.extension_paper(o, _her(ctx.db, case_id), until, reasons, settings.office_name(ctx),
                                  str(h["case_no"]), ctx.today(), _guardian(ctx.db, case_id, ctx.today()))
    now = ctx.now()
    with ctx.action() as db:
        store.set_extension(db, order_id, ctx.today())
        doc_id = _issue(db, case_id, paper, ctx.who(), now)
        cases.add_timeline(db, case_id, now, ctx.who(), "申请延长保护令",
                           f"请求延长至{format_cn(until)}；出具延长申请书")
    return doc_id


def record_extension(ctx: Context, case_id: int, order_id: int, granted: bool, ends_on: dt.date | None) -> None:
    """The court's answer to the extension: the new last day, or refused (the old end stands)."""
    check_handling(ctx, case_id, "protection.write")
    o = _order(ctx, case_id, order_id)
    if o.extension_filed_on is None or o.ends_on is None:
        raise RuleError("这份保护令没有待决定的延长申请")
    if granted:
        if ends_on is None or ends_on <= o.ends_on:
            raise ValidationError({"ends_on": f"延长后的有效期应晚于{format_cn(o.ends_on)}"})
        most = rules.latest_end(o.ends_on + dt.timedelta(days=1))
        if ends_on > most:
            raise ValidationError({"ends_on": f"每次最多延长6个月，至多到{format_cn(most)}"})
    now = ctx.now()
    with ctx.action() as db:
        store.set_extension(db, order_id, None, ends_on if granted else None)
        cases.add_timeline(db, case_id, now, ctx.who(), "保护令延长",
                           f"法院准许延长，有效期至{format_cn(ends_on)}（原至{format_cn(o.ends_on)}）" if granted
                           else f"法院未准许延长，有效期仍至{format_cn(o.ends_on)}")


def record_violation(ctx: Context, case_id: int, order_id: int, occurred_on: dt.date | None, what: str,
                     reported_on: dt.date | None = None, reported_to: str = "") -> int:
    """A violation of the order (she tells us, or the village does): recorded, and — until it is reported to the
    court or the police — on the start page as overdue from the day after."""
    check_handling(ctx, case_id, "protection.write")
    o = _order(ctx, case_id, order_id)
    if o.outcome != "granted":
        raise RuleError("只有已作出的人身安全保护令才有违反的记录")
    v = rules.validate_violation(Violation(occurred_on, what, reported_on, reported_to, ctx.who(), order_id=order_id),  # type: ignore[arg-type]
                                 o, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        violation_id = store.add_violation(db, case_id, v, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "违反保护令",
                           f"{format_cn(v.occurred_on)}被申请人违反保护令" + (
                               f"；{format_cn(v.reported_on)}已报告{v.reported_to}" if v.reported_on else "；待报告法院"))
    return violation_id


def report_violation(ctx: Context, case_id: int, violation_id: int, on: dt.date | None, to: str) -> None:
    """The violation reported to the court (and the police): escalated."""
    check_handling(ctx, case_id, "protection.write")
    v = store.violation(ctx.db, violation_id)
    if v is None or v.case_id != case_id:
        raise NotFound("找不到这条违反记录")
    if v.reported_on is not None:
        raise RuleError("这条违反记录已经报告过了")
    o = _order(ctx, case_id, int(v.order_id or 0))
    v.reported_on, v.reported_to = on, to
    if on is None:
        raise ValidationError({"reported_on": "请填写报告日期"})
    v = rules.validate_violation(v, o, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        store.set_reported(db, violation_id, on, v.reported_to)
        cases.add_timeline(db, case_id, now, ctx.who(), "报告违反保护令",
                           f"{format_cn(v.occurred_on)}的违反情况已于{format_cn(on)}报告{v.reported_to}")


VIOLATION_LABELS = {"occurred_on": "发生日期", "what": "违反情况", "reported_on": "报告日期", "reported_to": "报告的机关"}


def correct_violation(ctx: Context, case_id: int, violation_id: int, occurred_on: dt.date | None, what: str,
                      reported_on: dt.date | None, reported_to: str, reason: str = "") -> list[Correction]:
    """A violation recorded wrongly (its day, what he did, when and to whom it was reported): only what changed is
    written, with the 更正 line in the timeline; a reason is needed once a paper of the case was printed. A report
    recorded stays recorded (its day may be corrected, not removed: 撤销上一步 takes back a report made by mistake)."""
    check_handling(ctx, case_id, "protection.write")
    saved = store.violation(ctx.db, violation_id)
    if saved is None or saved.case_id != case_id:
        raise NotFound("找不到这条违反记录")
    if saved.reported_on is not None and reported_on is None:
        raise ValidationError({"reported_on": "已报告的违反记录请填写报告日期"})
    o = _order(ctx, case_id, int(saved.order_id or 0))
    fixed = rules.validate_violation(replace(saved, occurred_on=occurred_on, what=what, reported_on=reported_on,  # type: ignore[arg-type]
                                             reported_to=reported_to), o, ctx.today())

    def values(v: Violation) -> dict[str, object]:
        return {"occurred_on": v.occurred_on, "what": v.what, "reported_on": v.reported_on, "reported_to": v.reported_to}

    changes = compare(values(saved), values(fixed), prefixed(VIOLATION_LABELS, "违反保护令的"))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id))
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        store.update_violation(db, violation_id, fixed)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
    return changes
