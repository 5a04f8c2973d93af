"""Every text a record holds has a limit that fits its paper form (issue 16, point 2): a record filled to the limit
of every field prints every document the program makes for it; one character more is refused, with a message
naming the field; a record saved before the limits existed (longer text written straight into the database)
still prints, cut with a visible “…”. Every person here is made up."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pytest

from fulian_desktop import documents
from fulian_desktop.domain import household as household_rules
from fulian_desktop.domain import limits
from fulian_desktop.domain import mediation as mediation_rules
from fulian_desktop.domain import people as people_rules
from fulian_desktop.domain import petition as petition_rules
from fulian_desktop.domain import referral as referral_rules
from fulian_desktop.domain.attachments import NOTE_MAX
from fulian_desktop.domain.dv_risk import Assessment, RiskForm, RiskItem, Thresholds
from fulian_desktop.domain.errors import FulianError, RuleError, ValidationError
from fulian_desktop.domain.household import Cadre, CareField, CareList, Finding, Household, Measure, Member, Visit
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mandatory_report import Report
from fulian_desktop.domain.mediation import (
    Agreement,
    AgreementItem,
    Closing,
    Investigation,
    Mediation,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from fulian_desktop.domain.police_contact import FollowUp, PoliceContact
from fulian_desktop.domain.protection_order import MEASURES, Application, Order, Violation
from fulian_desktop.domain.records import Person, Petition, Representative
from fulian_desktop.domain.referral import Consent, Organisation, Referral
from fulian_desktop.domain.rhythm import Rhythm
from fulian_desktop.domain.safety_plan import SafetyPlan, SafetyPlanForm
from fulian_desktop.domain.text import SINGLE_LINE
from fulian_desktop.services import (
    attachments,
    case_documents,
    dv_risk,
    household_printing,
    households,
    lists,
    mandatory_reports,
    mediations,
    organisations,
    petitions,
    police_contacts,
    printing,
    protection_orders,
    referrals,
    safety_plans,
    settings,
)
from fulian_desktop.services.context import Context

from .attachment_files import scanned_letter
from .conftest import Clock
from .pdf_layout import layout_problems, read

# Text as the office writes it: names, dates, amounts, numbers with their measure words, punctuation that may not
# start or end a line — cut to exactly the length wanted.
PROSE = ("2026年3月1日晚上，丈夫（王某，42岁）酒后动手打人；邻居“李阿姨”劝阻无效……她担心孩子的安全，"
         "请求帮助申请人身安全保护令，并为离婚提供法律援助。电话0734-1234567，借款¥12,500.00。")
NAMES = "欧阳秀英、阿依古丽·买买提、司马建国、诸葛杰刚、上官红梅、贺辉斌、汪兰桃"
PHONE = "0734-82345678-123456"  # the longest number the phone check takes (20)


def text(n: int, pool: str = PROSE, lines: bool = False) -> str:
    out = (pool * (n // len(pool) + 1))[:n]
    if lines and n > 400:  # a long text written in paragraphs
        out = "".join(c if i % 350 != 349 else "\n" for i, c in enumerate(out))
    return out


def most(record_type: type, name: str) -> int:
    return limits.of(record_type)[name][1]


def fill(record: Any, *skip: str) -> Any:
    """Every text field of `record` in its type's limits, filled to the limit — except `skip` (choices, numbers
    checked by their format, what later steps write)."""
    for name, (_label, n) in limits.of(type(record)).items():
        if name in skip:
            continue
        single = name in SINGLE_LINE
        setattr(record, name, text(n, NAMES if "name" in name or name in ("visitors", "mediators", "present", "others",
                                                                           "investigator", "visitor") else PROSE,
                                   lines=not single))
    return record


ID_SERIAL = iter(range(1, 10_000))


def person(sex: str = "女") -> Person:
    """A person with every field at its longest."""
    born = dt.date(1970, 12, 28)
    p = Person(name="", sex=sex, birth_date=born, id_number=make_id_number("430999", born, next(ID_SERIAL),
                                                                          female=sex == "女"),
               phone=PHONE, marital_status="已婚")
    return fill(p, "sex", "id_number", "phone", "marital_status")


# the fields a record keeps that the test does not fill to their limit, and why
CHOICES = {
    Person: {"sex", "id_number", "phone", "marital_status"},  # chosen, or checked by their format
    Petition: {"channel", "respondent_relation", "case_no", "status", "handling", "result", "nature"},
    Representative: {"phone"},  # checked by its format
    Referral: {"matter", "role", "legal_state", "means", "case_no", "status", "result", "staff_phone",
               "lawyer_phone"},
    Consent: {"by", "way"},
    Organisation: {"kind", "phone"},
    Mediation: {"source", "dispute_type", "relationship", "case_no", "status", "outcome", "keep_period"},
    Party: {"side"},
    Mediator: {"phone"},
    Session: {"result"},
    ReturnVisit: {"method", "performance", "satisfaction"},
    Closing: {"outcome"},
    Household: {"household_type", "case_no", "status"},
    Member: {"health", "work_ability", "schooling"},
    Cadre: {"phone"},
    Finding: {"kind", "route", "respondent_relation", "dispute_type"},
    Visit: {"kind", "staff", "opened_case_no"},
    household_rules.Task: {"case_no", "names"},
}


@pytest.fixture
def office(ctx: Context, clock: Clock) -> Iterator[Context]:
    """An office whose own names are at their longest: the office, the committee, list values of 40 characters."""
    clock.now = dt.datetime(2026, 3, 10, 9, 30)
    settings.set_office_name(ctx, text(40, "东山县妇女联合会权益部"))
    mediations.set_committee(ctx, text(30, "东山县妇联婚姻家庭纠纷人民调解委员会"), "东山西河")
    yield ctx


TOWNSHIP = text(limits.LIST_VALUE_MAX, "东山镇石桥村委会所在地")
CATEGORY = text(limits.LIST_VALUE_MAX, "婚姻家庭权益问题")
SUBCATEGORY = text(limits.LIST_VALUE_MAX, "家庭暴力及其他问题")


def _lists(ctx: Context) -> None:
    lists.add(ctx, "township", TOWNSHIP)
    lists.add(ctx, "category", CATEGORY)
    lists.add(ctx, "category", SUBCATEGORY, CATEGORY)


# --- each kind at its longest ---------------------------------------------------------------------------------


def petition_at_limit(ctx: Context) -> Petition:
    p = Petition(channel="12338热线", received_on=dt.date(2026, 3, 1), petitioner=person(),
                 concerned=person(), headcount=9999, township=TOWNSHIP, village="", category=CATEGORY,
                 subcategory=SUBCATEGORY, facts="", request="", dv=True, safety_risk=True, receiving_staff="",
                 respondent_relation="村（居）委会")
    return fill(p, "channel", "township", "category", "subcategory", "respondent_relation", *CHOICES[Petition],
                "refused_reason", "handling_agency", "handling_opinion", "reply", "extension_reason")


def petitions_at_limit(ctx: Context) -> list[int]:
    """Two petitions: one refused, one handled, extended and concluded — every step's text at its limit."""
    refused, _ = petitions.register(ctx, petition_at_limit(ctx))
    petitions.refuse(ctx, refused, text(most(Petition, "refused_reason"), lines=True), dt.date(2026, 3, 2))
    done, _ = petitions.register(ctx, petition_at_limit(ctx))
    petitions.accept(ctx, done, dt.date(2026, 3, 2))
    petitions.set_handling(ctx, done, "转办/交办", text(most(Petition, "handling_agency")),
                           text(most(Petition, "handling_opinion"), lines=True))
    petitions.extend(ctx, done, 30, text(most(Petition, "extension_reason")))
    petitions.conclude(ctx, done, text(most(Petition, "reply"), lines=True), "不予支持", dt.date(2026, 3, 9))
    # a group visit: its representatives' names at their longest (the petitioner leads, four more)
    group, _ = petitions.register(ctx, dataclasses.replace(petition_at_limit(ctx), channel="来访", representatives=[
        Representative(text(most(Representative, "name"), NAMES[i:] + NAMES[:i]), PHONE) for i in range(1, 5)]))
    return [refused, done, group]


def organisation_at_limit(ctx: Context) -> Organisation:
    o = fill(Organisation(name="", kind="律师事务所", phone=PHONE), "kind", "phone")
    o.id = organisations.save(ctx, o)
    return o


def referral_at_limit(ctx: Context, org: Organisation) -> Referral:
    r = Referral(referred_on=dt.date(2026, 3, 2), applicant=person(), township=TOWNSHIP, village="",
                 matter="人身损害", role="被申请人", legal_state="尚未进入程序", help_kinds=list(referral_rules.HELP_KINDS),
                 facts="", organisation=org, staff="", staff_phone=PHONE, victim_of=[], means="社会救助对象等（免予核查）",
                 household_size=50, household_income=100_000_000_00, papers=list(referral_rules.PAPERS))
    return fill(r, "township", *CHOICES[Referral], "lawyer", "refused_reason", "withdrawn_reason", "result_note")


def referrals_at_limit(ctx: Context) -> list[int]:
    """Three referrals, her consent given by a relative: accepted and concluded, refused, withdrawn."""
    org = organisation_at_limit(ctx)
    consent = Consent(on=dt.date(2026, 3, 3), by="法定代理人或近亲属", name=text(most(Consent, "name"), NAMES),
                      way="书面签字")
    out = []
    for _ in range(3):
        case_id, _ = referrals.refer(ctx, referral_at_limit(ctx, org))
        referrals.record_consent(ctx, case_id, consent)
        out.append(case_id)
    concluded, refused, withdrawn = out
    referrals.accept(ctx, concluded, dt.date(2026, 3, 4), text(most(Referral, "lawyer"), NAMES), PHONE)
    referrals.conclude(ctx, concluded, "其他", text(most(Referral, "result_note"), lines=True), dt.date(2026, 3, 9))
    referrals.refuse(ctx, refused, text(most(Referral, "refused_reason"), lines=True), dt.date(2026, 3, 4))
    referrals.withdraw(ctx, withdrawn, text(most(Referral, "withdrawn_reason"), lines=True), dt.date(2026, 3, 4))
    return out


def mediation_form(ctx: Context) -> Mediation:
    ids = [m.id or 0 for m in mediations.mediators(ctx)][:3] or [
        mediations.save_mediator(ctx, fill(Mediator(name=text(30, NAMES[i:]), phone=PHONE), "phone", "name"))
        for i in range(3)]
    parties = [fill(Party(person(sex), side), "side") for sex, side in
               (("女", "applicant"), ("女", "applicant"), ("男", "respondent"), ("男", "respondent"))]
    return fill(Mediation(received_on=dt.date(2026, 3, 1), source="当事人申请", dispute_type="财产分割",
                          relationship="父母子女", township=TOWNSHIP, village="", facts="", request="", registrar="",
                          parties=parties, mediator_ids=ids),
                "township", *CHOICES[Mediation], "outcome_note", "failed_route", "archivist", "file_remarks")


def agreement_at_limit() -> Agreement:
    return fill(Agreement("", "", [fill(AgreementItem("", "", "")) for _ in range(3)]))


def mediation_at_limit(ctx: Context, outcome: str = "agreed") -> int:
    """A mediation with two parties on each side, three mediators, two investigations and sessions, closed with
    an agreement of three items (or failed), a return visit planned and made, the file closed."""
    case_id, _ = mediations.open_mediation(ctx, mediation_form(ctx))
    for day in (2, 3):
        mediations.add_investigation(ctx, case_id, fill(Investigation(dt.date(2026, 3, day), "", "", "", "", "", "")))
        mediations.add_session(ctx, case_id, fill(Session(dt.date(2026, 3, day), "", "", "", "", "", "",
                                                          "未达成一致，择期再调"), "result"))
    agreement = agreement_at_limit() if outcome == "agreed" else None
    route = text(most(Mediation, "failed_route")) if outcome == "failed" else ""
    mediations.close(ctx, case_id, Closing(outcome, dt.date(2026, 3, 5), note=text(TEXT, lines=True),
                                           failed_route=route, agreement=agreement), visit_on=dt.date(2026, 3, 6))
    plan = mediations.get(ctx, case_id).visits[0]
    mediations.correct_visit(ctx, case_id, plan.id or 0, ReturnVisit(dt.date(2026, 3, 6), text(
        most(ReturnVisit, "plan"))))
    performance = "部分履行" if outcome == "agreed" else "不适用"
    mediations.record_visit(ctx, case_id, fill(ReturnVisit(dt.date(2026, 3, 6), "", dt.date(2026, 3, 8), "", "上门",
                                                           performance, "基本满意", True, True, True, id=plan.id),
                                               *CHOICES[ReturnVisit]))
    mediations.set_filing(ctx, case_id, text(most(Mediation, "archivist"), NAMES), dt.date(2026, 3, 9), "永久",
                          text(most(Mediation, "file_remarks")))
    return case_id


TEXT = mediation_rules.TEXT_MAX


def care_list_at_limit(ctx: Context, unit: str) -> CareList:
    """A care list with as many fields as a list may have, every label and choice at its longest."""
    types = ["text", "date", "choice", "number"] * 3
    fields = [CareField("", text(household_rules.NAME_MAX, f"第{i}栏目名称很长很长很长"), t,
                        (text(20, "选项甲"), text(20, "选项乙")) if t == "choice" else ())
              for i, t in enumerate(types[: household_rules.MAX_FIELDS], 1)]
    list_id = households.save_care_list(ctx, CareList(text(household_rules.NAME_MAX, f"名单{unit}"), unit, fields))
    return households.care_list(ctx, list_id)


def extra_at_limit(care: CareList) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in care.fields:
        values[f.key] = {"text": text(household_rules.SHORT_MAX), "date": "1900-01-01", "number": "-12345678901.25",
                         "choice": f.choices[-1] if f.choices else ""}[f.type]
    return values


def household_form(ctx: Context, care: CareList) -> Household:
    members = [fill(Member(person("男" if i % 2 else "女"), relation=""), *CHOICES[Member])
               for i in range(6 if care.is_household else 2)]
    for m in members:
        m.health, m.work_ability, m.schooling = "慢性病", "技能劳动力", "本科及以上"
    return fill(Household(list_id=care.id or 0, received_on=dt.date(2026, 1, 5),
                          head=fill(Member(person(), relation=""), *CHOICES[Member], "relation"),
                          members=members, township=TOWNSHIP, household_type="特困供养户", causes=["因病", "缺劳力"],
                          extra=extra_at_limit(care), rhythm=Rhythm.monthly(dt.date(2026, 1, 5)),
                          cadre=fill(Cadre(name="", phone=PHONE, from_date=dt.date(2026, 1, 5)), "phone")),
                "township", *CHOICES[Household], "exit_reason")


def visit_at_limit(day: int, finding: bool = False) -> Visit:
    found = fill(Finding("dv", "petition", 1, "", "", respondent_relation="兄弟姐妹"), *CHOICES[Finding]) \
        if finding else None
    return fill(Visit(dt.date(2026, 3, day), "", "assist", cash_fen=9_999_999_99, goods_fen=9_999_999_99,
                      promise_due=dt.date(2026, 12, 31), finding=found), *CHOICES[Visit])


def households_at_limit(ctx: Context, clock: Clock) -> list[int]:
    """A household on a list of its own (12 fields), with members, a cadre changed, measures, visits (one finding
    violence, which opens a petition), a follow-up done — and exited; and a person on a person list."""
    out = []
    for unit in ("household", "person"):
        case_id, _ = households.register(ctx, household_form(ctx, care_list_at_limit(ctx, unit)))
        households.change_cadre(ctx, case_id, fill(Cadre(name="", phone=PHONE, from_date=dt.date(2026, 2, 1)),
                                                   "phone"))
        for day in (1, 2, 3):
            households.add_measure(ctx, case_id, fill(Measure("", on_date=dt.date(2026, 2, day),
                                                              amount_fen=9_999_999_99)))
        for day in (1, 2):
            result = households.log_visit(ctx, case_id, visit_at_limit(day, finding=day == 2))
            if result.opened_case_id is not None:
                out.append(result.opened_case_id)
        task = households.open_tasks(ctx)[0]
        households.complete_task(ctx, task.id or 0, dt.date(2026, 3, 9), text(most(household_rules.Task,
                                                                                  "done_note")))
        households.exit_(ctx, case_id, dt.date(2026, 3, 9), text(most(Household, "exit_reason")))
        out.append(case_id)
    return out


def application_at_limit() -> Application:
    a = Application("", "", [MEASURES[0], text(protection_orders.rules.REQUEST_MAX)], "", ["", ""], on_behalf=True,
                    consent_on=dt.date(2026, 3, 9), urgent=True)
    a = fill(a)
    a.respondent = text(limits.NAME_MAX, NAMES)
    a.evidence = [text(protection_orders.rules.EVIDENCE_MAX), "东山派出所出具的告诫书"]
    return a


def protection_at_limit(ctx: Context, case_id: int) -> int:
    """A DV case's 家暴防护 thread with every text at its limit: a 告诫书 and a visit, an order applied for on her
    behalf, granted, violated and extended, the 情况证明, the mandatory report."""
    day = dt.date(2026, 3, 9)
    contact = police_contacts.record(ctx, case_id, fill(PoliceContact("warning", "", dt.date(2026, 3, 2))))
    visit = police_contacts.of_case(ctx, case_id).follow_ups[0]
    f = fill(FollowUp(day))
    police_contacts.record_visit(ctx, case_id, visit.id or 0, day, f.with_whom, f.finding)
    assert contact
    order_id, _ = protection_orders.apply(ctx, case_id, application_at_limit())
    o = fill(Order(application_at_limit()))
    protection_orders.record_ruling(ctx, case_id, order_id, "granted", day, o.order_no, o.ordered,
                                    dt.date(2026, 3, 25), o.outcome_note)
    v = fill(Violation(day, ""))
    protection_orders.record_violation(ctx, case_id, order_id, day, v.what, day, v.reported_to)
    protection_orders.request_extension(ctx, case_id, order_id, dt.date(2026, 9, 24),
                                        text(protection_orders.rules.FACTS_MAX, lines=True))
    protection_orders.situation_proof(ctx, case_id)
    r = fill(Report("minor", day))
    mandatory_reports.record_report(ctx, case_id, day, r.reported_to, r.way, r.receipt_no, r.note)
    # her risk (raised, with a reason), her safety plan, and a checklist item of the office's own
    dv_risk.assess(ctx, case_id, RiskForm(day, "来访", {"afraid", "strangle"}, "high",
                                          text(most(Assessment, "level_reason"), lines=True),
                                          text(most(Assessment, "note"), lines=True)))
    safety_plans.save(ctx, case_id, SafetyPlanForm(day, **{name: text(n, lines=True)
                                                          for name, (_l, n) in limits.of(SafetyPlan).items()}))
    items, t = dv_risk.items_for_admin(ctx)
    dv_risk.save_checklist(ctx, [*items, RiskItem("", text(most(RiskItem, "question")), 1,
                                                  source=text(most(RiskItem, "source")))], t)
    return case_id


def protection_records(ctx: Context, case_id: int) -> list[Any]:
    """The thread's records as saved (for the fields at their limit)."""
    thread = police_contacts.of_case(ctx, case_id)
    held = protection_orders.of_case(ctx, case_id)
    return [*thread.contacts, *thread.follow_ups, *held.orders, *held.violations,
            mandatory_reports.need(ctx, case_id).report, *dv_risk.assessments(ctx, case_id),
            safety_plans.current(ctx, case_id), *dv_risk.items_for_admin(ctx)[0]]


# --- what was saved is at the limit, and every document prints ------------------------------------------------


def _records(value: Any, seen: list[Any]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        seen.append(value)
        for f in dataclasses.fields(value):
            _records(getattr(value, f.name), seen)
    elif isinstance(value, list):
        for v in value:
            _records(v, seen)


def full_fields(record: Any) -> set[tuple[str, str]]:
    """(type, field) of every text in `record` (and in the records inside it) at its limit."""
    seen: list[Any] = []
    _records(record, seen)
    return {(type(r).__name__, name) for r in seen for name, (_l, n) in limits.of(type(r)).items()
            if len(getattr(r, name) or "") == n}


def render(pdf: bytes) -> int:
    """Draw every page as the preview would, and read it back as a reader sees it (no words on other words,
    under the seal or crossed by a line); the number of pages."""
    problems = layout_problems(read(pdf))
    assert not problems, problems[:5]
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            bitmap = page.render(scale=0.25)
            assert bitmap.to_pil().getbbox() is not None  # something is drawn
            page.close()
        return len(doc)
    finally:
        doc.close()


LOAD = {"petition": petitions.get, "referral": referrals.get, "mediation": mediations.printable,
        "household": households.get}


def print_everything(ctx: Context, case_ids: list[int]) -> set[str]:
    """Print every document each case has (and the month's plan); the form kinds printed."""
    printed: set[str] = set()
    for case_id in case_ids:
        kind = printing.cases.kind_of(ctx, case_id)
        if kind == "referral" and referrals.get(ctx, case_id).status == "withdrawn":
            with pytest.raises(RuleError, match="已撤回"):  # a withdrawn referral's letter is not printed
                printing.print_case(ctx, case_id)
            continue
        render(printing.print_case(ctx, case_id)[0])
        printed.add(kind)
        if kind == "petition":  # the notices and the opinion it issued, printed as issued
            for issued in petitions.get(ctx, case_id).documents:
                render(case_documents.print_issued(ctx, issued.id or 0)[0])
                printed.add(documents.issued_form(issued.doc))  # a notice, or a protection-order paper
        for form_kind in documents.kinds():
            if not form_kind.startswith(f"{kind}."):
                continue
            document = form_kind.split(".", 1)[1]
            if form_kind == "referral.copies" and not attachments.papers(ctx, case_id):  # a scan to copy, its note full
                attachments.attach(ctx, case_id, attachments.Incoming("移送材料.png", scanned_letter(1240, 1754)),
                                   attachments.Details("回执", text(NOTE_MAX)))
            if form_kind == "mediation.agreement" and mediations.get(ctx, case_id).agreement is None:
                with pytest.raises(FulianError, match="没有达成调解协议"):
                    printing.print_document(ctx, case_id, document)
                continue
            render(printing.print_document(ctx, case_id, document)[0])
            printed.add(form_kind)
        for entry in case_documents.list_documents(ctx, case_id):  # her 家暴防护 papers (风险评估表, 安全计划)
            if entry.form in ("risk_assessment", "safety_plan", "safety_plan_plain"):
                render(case_documents.print_entry(ctx, case_id, entry)[0])
                printed.add(entry.form)
        if kind == "household":
            for v in households.get(ctx, case_id).visits:
                render(household_printing.print_visit(ctx, v.id or 0)[0])
                printed.add("household_visit")
    for month in (1, 2, 3):
        render(household_printing.print_month(ctx, 2026, month)[0])
    printed.add("household_month")
    return printed


def test_every_field_at_its_limit_prints_every_document(office: Context, clock: Clock) -> None:
    ctx = office
    _lists(ctx)
    case_ids = [*petitions_at_limit(ctx), *referrals_at_limit(ctx), mediation_at_limit(ctx),
                mediation_at_limit(ctx, "failed"),
                *households_at_limit(ctx, clock)]
    dv_case = protection_at_limit(ctx, case_ids[0])
    loaded = [LOAD[printing.cases.kind_of(ctx, c)](ctx, c) for c in case_ids] + protection_records(ctx, dv_case)
    full = set().union(*(full_fields(r) for r in loaded))
    full |= full_fields(households.open_tasks(ctx, dt.date(2030, 1, 1)))
    # (a closing and a finding are stored as the mediation's outcome and the petition a finding opens)
    wanted = {(t.__name__, name) for t, fields in limits.defined().items() for name in fields
              if name not in CHOICES.get(t, set()) and t not in (household_rules.Task, Closing, Finding)}
    assert wanted - full == set(), "fields the test did not fill to their limit"
    assert print_everything(ctx, case_ids) == set(documents.kinds())


# --- one character more is refused, naming the field ----------------------------------------------------------


def _base(ctx: Context) -> dict[str, int]:
    """What the steps of the one-past test act on: a petition, a referral, an open and a closed mediation, a
    household."""
    _lists(ctx)
    petition, _ = petitions.register(ctx, petition_at_limit(ctx))
    org = organisation_at_limit(ctx)
    referral, _ = referrals.refer(ctx, referral_at_limit(ctx, org))  # awaiting her consent
    referred, _ = referrals.refer(ctx, referral_at_limit(ctx, org))
    accepted, _ = referrals.refer(ctx, referral_at_limit(ctx, org))
    for case_id in (referred, accepted):
        referrals.record_consent(ctx, case_id, Consent(dt.date(2026, 3, 3)))
    referrals.accept(ctx, accepted, dt.date(2026, 3, 4))
    open_mediation, _ = mediations.open_mediation(ctx, mediation_form(ctx))
    mediations.add_session(ctx, open_mediation, fill(Session(dt.date(2026, 3, 2), "", "", "", "", "", "", "达成一致"),
                                                     "result"))
    closed = mediation_at_limit(ctx)
    household, _ = households.register(ctx, household_form(ctx, care_list_at_limit(ctx, "household")))
    return {"petition": petition, "referral": referral, "referred": referred, "accepted": accepted,
            "open": open_mediation, "closed": closed, "household": household}


def _one_past(ctx: Context, ids: dict[str, int], record_type: type, name: str, value: str) -> None:
    """Save `value` (one character past the limit) in the field `name` of a record of `record_type`, through the
    service that takes it."""
    def set_(record: Any) -> Any:
        setattr(record, name, value)
        return record

    day = dt.date(2026, 3, 9)
    p, r = ids["petition"], ids["referral"]
    steps: dict[tuple[type, str], Any] = {
        (Petition, "refused_reason"): lambda: petitions.refuse(ctx, p, value, day),
        (Petition, "handling_agency"): lambda: (petitions.accept(ctx, p, day),
                                                petitions.set_handling(ctx, p, "转办/交办", value)),
        (Petition, "handling_opinion"): lambda: petitions.set_handling(ctx, p, "其他", "", value),
        (Petition, "reply"): lambda: (petitions.set_handling(ctx, p, "其他"),
                                      petitions.conclude(ctx, p, value, "支持", day)),
        (Petition, "extension_reason"): lambda: petitions.extend(ctx, p, 30, value),
        (Referral, "lawyer"): lambda: referrals.accept(ctx, ids["referred"], day, value),
        (Referral, "refused_reason"): lambda: referrals.refuse(ctx, ids["referred"], value, day),
        (Referral, "withdrawn_reason"): lambda: referrals.withdraw(ctx, ids["referred"], value, day),
        (Referral, "result_note"): lambda: referrals.conclude(ctx, ids["accepted"], "其他", value, day),
        (Consent, "name"): lambda: referrals.record_consent(ctx, r, Consent(dt.date(2026, 3, 3), "法定代理人或近亲属",
                                                                            value)),
        (Mediation, "outcome_note"): lambda: mediations.close(ctx, ids["open"], Closing("ended", day, value)),
        (Mediation, "failed_route"): lambda: mediations.close(ctx, ids["open"], Closing("failed", day, "不成",
                                                                                        value)),
        (Mediation, "archivist"): lambda: mediations.set_filing(ctx, ids["closed"], value, day, "永久"),
        (Mediation, "file_remarks"): lambda: mediations.set_filing(ctx, ids["closed"], "李堃", day, "永久", value),
        (ReturnVisit, "plan"): lambda: mediations.schedule_visit(ctx, ids["closed"], day, value),
        (Closing, "note"): lambda: mediations.close(ctx, ids["open"], Closing("reconciled", day, value)),
        (Closing, "failed_route"): lambda: mediations.close(ctx, ids["open"], Closing("failed", day, "不成", value)),
        (Household, "exit_reason"): lambda: households.exit_(ctx, ids["household"], day, value),
        (household_rules.Task, "title"): lambda: households.add_task(ctx, ids["household"], value, day),
        (FollowUp, "with_whom"): lambda: _visit(ctx, p, value, "查访情况"),
        (FollowUp, "finding"): lambda: _visit(ctx, p, "派出所", value),
        (Order, "order_no"): lambda: _ruling(ctx, p, order_no=value),
        (Order, "ordered"): lambda: _ruling(ctx, p, ordered=value),
        (Order, "outcome_note"): lambda: _ruling(ctx, p, note=value),
        (Violation, "what"): lambda: protection_orders.record_violation(ctx, p, _granted(ctx, p), day, value),
        (Violation, "reported_to"): lambda: protection_orders.record_violation(ctx, p, _granted(ctx, p), day, "骚扰",
                                                                               day, value),
        (Report, "reported_to"): lambda: mandatory_reports.record_report(ctx, p, day, value),
        (Report, "way"): lambda: mandatory_reports.record_report(ctx, p, day, "东山派出所", value),
        (Report, "receipt_no"): lambda: mandatory_reports.record_report(ctx, p, day, "东山派出所", "", value),
        (Report, "note"): lambda: mandatory_reports.record_report(ctx, p, day, "东山派出所", "", "", value),
        (Assessment, "level_reason"): lambda: dv_risk.assess(ctx, p, RiskForm(day, "来访", set(), "high", value)),
        (Assessment, "note"): lambda: dv_risk.assess(ctx, p, RiskForm(day, "来访", set(), note=value)),
        **{(SafetyPlan, part): (lambda part=part: safety_plans.save(ctx, p, SafetyPlanForm(day, **{part: value})))
           for part in limits.of(SafetyPlan)},
        (RiskItem, "question"): lambda: dv_risk.save_checklist(ctx, [RiskItem("", value, 1)], Thresholds()),
        (RiskItem, "source"): lambda: dv_risk.save_checklist(ctx, [RiskItem("", "新问题", 1, source=value)],
                                                             Thresholds()),
    }
    if (record_type, name) in steps:
        steps[(record_type, name)]()
        return
    entries: dict[type, Any] = {
        Petition: lambda: petitions.register(ctx, set_(petition_at_limit(ctx))),
        Representative: lambda: petitions.register(ctx, dataclasses.replace(
            petition_at_limit(ctx), channel="来访", representatives=[set_(Representative("王秀英"))])),
        Person: lambda: petitions.register(ctx, dataclasses.replace(petition_at_limit(ctx),
                                                                    petitioner=set_(person()))),
        Referral: lambda: referrals.refer(ctx, set_(referral_at_limit(ctx, referrals.get(ctx, r).organisation))),
        Organisation: lambda: organisations.save(ctx, set_(Organisation(name="县法律援助中心"))),
        Mediation: lambda: mediations.open_mediation(ctx, set_(mediation_form(ctx))),
        Party: lambda: mediations.open_mediation(ctx, dataclasses.replace(
            mediation_form(ctx), parties=[set_(Party(person(), "applicant")), Party(person("男"), "respondent")])),
        Mediator: lambda: mediations.save_mediator(ctx, set_(Mediator("王调解"))),
        Session: lambda: mediations.add_session(ctx, ids["open"], set_(fill(Session(
            day, "", "", "", "", "", "", "达成一致"), "result"))),
        Investigation: lambda: mediations.add_investigation(ctx, ids["open"], set_(fill(Investigation(
            day, "", "", "", "", "", "")))),
        Agreement: lambda: mediations.close(ctx, ids["open"], Closing("agreed", day, agreement=set_(
            agreement_at_limit()))),
        AgreementItem: lambda: mediations.close(ctx, ids["open"], Closing("agreed", day, agreement=Agreement(
            "事实", "责任", [set_(fill(AgreementItem("", "", "")))]))),
        ReturnVisit: lambda: mediations.record_visit(ctx, ids["closed"], set_(fill(ReturnVisit(
            day, "", day, "", "上门", "已履行", "满意"), *CHOICES[ReturnVisit]))),
        Household: lambda: households.register(ctx, set_(household_form(ctx, households.get(
            ctx, ids["household"]).care_list))),
        Member: lambda: households.register(ctx, dataclasses.replace(household_form(ctx, households.get(
            ctx, ids["household"]).care_list), members=[set_(Member(person("男"), "配偶"))])),
        Cadre: lambda: households.change_cadre(ctx, ids["household"], set_(Cadre("赵红梅", from_date=day))),
        Measure: lambda: households.add_measure(ctx, ids["household"], set_(Measure("雨露计划", "补助", on_date=day))),
        Visit: lambda: households.log_visit(ctx, ids["household"], set_(visit_at_limit(9))),
        Finding: lambda: households.log_visit(ctx, ids["household"], dataclasses.replace(
            visit_at_limit(9, finding=True), finding=set_(fill(Finding("dv", "petition", 1, "", "",
                                                                       respondent_relation="兄弟姐妹"),
                                                                *CHOICES[Finding])))),
        household_rules.Task: lambda: households.complete_task(ctx, households.add_task(
            ctx, ids["household"], "回访", day), day, value),
        PoliceContact: lambda: police_contacts.record(ctx, p, set_(PoliceContact("warning", "东山派出所", day))),
        Application: lambda: protection_orders.apply(ctx, p, set_(dataclasses.replace(
            application_at_limit(), respondent="赵大力", requests=[MEASURES[0]], evidence=[]))),
    }
    entries[record_type]()


def _visit(ctx: Context, case_id: int, with_whom: str, finding: str) -> None:
    police_contacts.record(ctx, case_id, PoliceContact("warning", "东山派出所", dt.date(2026, 3, 2)))
    visit = police_contacts.of_case(ctx, case_id).follow_ups[-1]
    police_contacts.record_visit(ctx, case_id, visit.id or 0, dt.date(2026, 3, 9), with_whom, finding)


def _applied(ctx: Context, case_id: int) -> int:
    a = dataclasses.replace(application_at_limit(), respondent="赵大力", requests=[MEASURES[0]], evidence=[])
    return protection_orders.apply(ctx, case_id, a)[0]


def _ruling(ctx: Context, case_id: int, order_no: str = "", ordered: str = "禁止实施家庭暴力", note: str = "") -> None:
    protection_orders.record_ruling(ctx, case_id, _applied(ctx, case_id), "granted", dt.date(2026, 3, 9), order_no,
                                    ordered, dt.date(2026, 9, 8), note)


def _granted(ctx: Context, case_id: int) -> int:
    order_id = _applied(ctx, case_id)
    protection_orders.record_ruling(ctx, case_id, order_id, "granted", dt.date(2026, 3, 9), "", "禁止实施家庭暴力",
                                    dt.date(2026, 9, 8))
    return order_id


# where the form names a field by what it holds: a closing's note by its outcome
SAID_AS = {(Mediation, "outcome_note"): mediation_rules.OUTCOME_NOTE_LABELS["ended"],
           (Closing, "note"): mediation_rules.OUTCOME_NOTE_LABELS["reconciled"]}


def _free_fields() -> list[tuple[type, str]]:
    return [(t, name) for t, fields in limits.defined().items() for name in fields
            if name not in CHOICES.get(t, set())]


def test_one_character_past_any_limit_is_refused_with_a_message_naming_the_field(office: Context) -> None:
    ctx = office
    ids = _base(ctx)
    assert len(_free_fields()) > 90  # (the test covers them all, whatever their number)
    for record_type, name in _free_fields():
        label, n = limits.of(record_type)[name]
        pool = NAMES if "name" in name or name in ("visitors", "mediators", "present", "others", "investigator",
                                                   "visitor", "lawyer", "archivist") else PROSE
        with pytest.raises(ValidationError) as refused:
            _one_past(ctx, ids, record_type, name, text(n + 1, pool))
        label = SAID_AS.get((record_type, name), label)
        wanted = limits.message(label, n)
        assert any(wanted in m for m in refused.value.errors.values()), (record_type.__name__, name,
                                                                         refused.value.errors)


# --- a record saved before the limits existed still prints ------------------------------------------------------


def test_a_record_saved_before_the_limits_prints_cut_with_an_ellipsis(ctx: Context) -> None:
    """The report: 被反映人, 村, 接待人 of 400 characters and 住址 of 5,000 gave 程序内部出错（LayoutError）."""
    from .test_documents import make_petition

    case_id, _ = petitions.register(ctx, make_petition())
    long = {"respondent_name": 400, "receiving_staff": 400}
    with ctx.action() as db:
        db.execute("UPDATE petitions SET respondent_name = ?, receiving_staff = ? WHERE case_id = ?",
                   [text(400, NAMES), text(400, NAMES), case_id])
        db.execute("UPDATE cases SET village = ? WHERE id = ?", [text(400), case_id])
        db.execute("UPDATE people SET address = ? WHERE id = (SELECT person_id FROM cases WHERE id = ?)",
                   [text(5000), case_id])
    saved = petitions.get(ctx, case_id)
    assert (len(saved.respondent_name), len(saved.village), len(saved.petitioner.address)) == (400, 400, 5000)
    pdf, _ = printing.print_case(ctx, case_id)
    assert render(pdf) <= 3  # as a record at the limits prints
    doc = pdfium.PdfDocument(pdf)
    shown = "".join(page.get_textpage().get_text_range() for page in doc)
    doc.close()
    assert shown.count("…") >= len(long) + 2  # each field cut, and the reader sees it was


# --- the window's lines take no more than their field holds ----------------------------------------------------


def _lines_and_limits(form: Any) -> list[tuple[str, int, int]]:
    """(field, the line's maxLength, the field's limit) for every line of the form's grids whose field has one."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from fulian_desktop.gui.cases.person_fields import PersonFields

    kinds = {"PetitionForm": petition_rules.LIMITS, "ReferralForm": referral_rules.LIMITS,
             "MediationForm": mediation_rules.LIMITS, "HouseholdForm": household_rules.LIMITS,
             "VisitForm": household_rules.VISIT_LIMITS}
    grids = [(g, kinds[type(form).__name__]) for g in form.field_forms()]
    grids += [(p.form, people_rules.LIMITS) for p in form.findChildren(PersonFields)]
    out = []
    for grid, field_limits in grids:
        for name, box in grid.boxes.items():
            editor = box.editor
            line = editor if isinstance(editor, QLineEdit) else (
                editor.lineEdit() if isinstance(editor, QComboBox) and editor.isEditable() else None)
            if line is not None and name in field_limits:
                out.append((name, line.maxLength(), field_limits[name][1]))
    return out


def test_the_window_takes_no_more_than_a_field_holds(qtbot: Any, office_app: Any, ctx: Context) -> None:
    """What she types is never refused for its length: every line of the four forms and the visit record stops at
    its field's limit (the same number the domain checks); a pasted or typed name stops at 30 characters."""
    from fulian_desktop.gui.households.visit_form import VisitForm
    from fulian_desktop.gui.shell.main_window import MainWindow

    from .test_households import a_household

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    household, _ = households.register(ctx, a_household(ctx))
    forms = [window.new_petition(), window.new_referral(), window.new_mediation(),
             households_form(ctx), VisitForm(ctx, household)]
    for form in forms:
        qtbot.addWidget(form)
        checked = _lines_and_limits(form)
        assert checked, type(form).__name__
        assert [(n, got) for n, got, want in checked if got != want] == [], type(form).__name__
    petition = forms[0]
    petition.show()
    petition.respondent_name.setFocus()
    qtbot.keyClicks(petition.respondent_name, "a" * 40)
    assert petition.respondent_name.text() == "a" * limits.NAME_MAX
    petition.petitioner.address.setFocus()
    qtbot.keyClicks(petition.petitioner.address, "b" * 120)
    assert len(petition.petitioner.address.text()) == people_rules.LIMITS["address"][1]
    for form in forms:
        form.done(0)


def households_form(ctx: Context) -> Any:
    from fulian_desktop.gui.households.household_form import HouseholdForm

    return HouseholdForm(ctx)
