"""Referral actions, for legal aid and every other service: refer (from a petition or directly), consent, the
answer, the result.

Every action is one transaction and one entry in the referral's timeline; the case row's deadline
fields follow the answer clock (the law's 7 days for legal aid, the service's own days else), so the start page
and the overdue filter show referrals that wait too long.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain import petition as petition_rules
from ..domain import referral as rules
from ..domain.corrections import Correction, check_reason, compare
from ..domain.dates import format_cn
from ..domain.dv_repeat import REFERRAL_FROM_PETITION
from ..domain.errors import NotFound, RuleError, ValidationError
from ..domain.kinds import note_text
from ..domain.records import Person
from ..domain.referral import Consent, Organisation, Referral
from ..store import cases, organisations, people, referrals, search
from ..store import settings as settings_store
from . import corrections, dv_repeats, lists, petitions, settings
from .context import Context

if TYPE_CHECKING:
    import sqlite_utils

KIND = "referral"
FROM_PETITION = REFERRAL_FROM_PETITION
TO_REFERRAL = "转介法律援助"


# --- helpers ---------------------------------------------------------------------------------------


def list_summary(r: Referral) -> str:
    """The one line the case list shows for it, the service first (the demo writes the same)."""
    org = r.organisation.name if r.organisation else ""
    return f"{r.service}·{r.matter}·{rules.join(r.help_kinds)}→{org}"[:60]


def _timeline_word(r: Referral) -> str:
    """How the petitions it came from name it: 法律援助转介, 转介（庇护所/救助管理站）."""
    return rules.referral_words(r.service)


def _refresh(db: sqlite_utils.Database, case_id: int) -> Referral:
    r = referrals.load(db, case_id)
    assert r is not None
    d = rules.current_deadline(r)
    cases.set_deadline(db, case_id, d.due_on if d else None, d.label if d else "", r.is_open)
    return r


def refresh_clock(db: sqlite_utils.Database, case_id: int) -> None:
    """The case row's 7-day clock and open flag recomputed from the referral as it is."""
    _refresh(db, case_id)


def _organisation(db: sqlite_utils.Database, chosen: Organisation | None, service: str) -> Organisation:
    """The directory entry the form chose, as it is now (its details are copied into the referral); it must give
    the service she is referred for."""
    found = None
    if chosen is not None:
        if chosen.id is not None:
            found = organisations.get(db, chosen.id)
        elif chosen.name.strip():
            org_id = organisations.id_by_name(db, chosen.name.strip())
            found = organisations.get(db, org_id) if org_id is not None else None
    if found is None:
        raise ValidationError({"organisation": "请从机构名录中选择接收机构"})
    if not found.active:
        raise ValidationError({"organisation": "这个机构已在机构名录中停用"})
    if found.service != service:
        raise ValidationError({"organisation": f"“{found.name}”在机构名录中提供的是{found.service}，"
                                               f"请选择提供{service}的机构"})
    return found


def _staff_phone_key(staff: str) -> str:
    return f"staff_phone:{staff}"


def remembered_staff_phone(ctx: Context, staff: str) -> str:
    """The phone this staff member gave on her last referral (printed on the letter)."""
    ctx.require("referral.read")
    return settings.get(ctx, _staff_phone_key(staff)) if staff else ""


def _note_on_petitions(db: sqlite_utils.Database, r: Referral, now: dt.datetime, staff: str, text: str) -> None:
    """Tell the petitions this referral came from what became of it."""
    for case_id, _no, kind in r.links:
        if kind == "petition":
            cases.add_timeline(db, case_id, now, staff, _timeline_word(r), f"{r.case_no}：{text}")
            cases.update_case(db, case_id, now)


def _consent_note(r: Referral, c: Consent) -> str:
    who = "本人" if c.by == "本人" else f"{c.by}{c.name}"
    org = r.organisation.name if r.organisation else "接收机构"
    days = "七日" if r.legal_aid else f"{r.kind.answer_days}日"
    return (f"{who}于{format_cn(c.on)}{c.way}同意将个人信息提供给{org}；转介函可以打印，"
            f"{days}答复期自{format_cn(c.on)}起计算")


# --- reading ---------------------------------------------------------------------------------------


def get(ctx: Context, case_id: int) -> Referral:
    ctx.require("referral.read")
    r = referrals.load(ctx.db, case_id)
    if r is None:
        raise NotFound("找不到这件转介")
    return r


def get_for_print(ctx: Context, case_id: int) -> Referral:
    """The referral for its letter: only when she has agreed to share her details (never after withdrawal)."""
    ctx.require("case.print")
    r = get(ctx, case_id)
    rules.check_printable(r)
    from . import attachments, signatures

    r.attached = [(a.kind, a.note) for a in attachments.of_case(ctx, case_id)]
    r.consent_signature = signatures.marks(ctx, case_id, "referral.consent").get("consent")
    return r


def get_with_copies(ctx: Context, case_id: int) -> Referral:
    """The referral for its letter with copies of the papers it sends appended (its attached images and PDFs)."""
    from . import attachments

    r = get_for_print(ctx, case_id)
    r.copies = attachments.papers(ctx, case_id)
    return r


def copies_count(ctx: Context, case_id: int) -> int:
    """How many of the referral's attachments can go with its letter as copies (images and PDFs)."""
    from . import attachments

    return len(attachments.printed_ones(ctx, case_id))


def new_form(ctx: Context, service: str = rules.LEGAL_AID) -> Referral:
    """An empty referral form for a woman who walks in asking for a lawyer (or another service's help)."""
    ctx.require("referral.write")
    staff = ctx.staff
    return Referral(
        service=service,
        referred_on=ctx.today(), applicant=Person(name=""), township="", village="", matter="", role="",
        legal_state="", help_kinds=[], facts="", organisation=None, staff=staff,
        staff_phone=remembered_staff_phone(ctx, staff),
    )


def form_from_petition(ctx: Context, petition_id: int, service: str = rules.LEGAL_AID) -> Referral:
    """The referral form filled from a petition: her details, contact and the facts carried over."""
    ctx.require("referral.write")
    p = petitions.get(ctx, petition_id)
    r = rules.draft_from_petition(p, ctx.today(), ctx.staff, service)
    r.staff_phone = remembered_staff_phone(ctx, r.staff)
    return r


def can_refer_petition(ctx: Context, petition_id: int) -> str:
    """'' when the petition can be referred, else why not (for the petition page's button)."""
    ctx.require("petition.read")
    p = petitions.get(ctx, petition_id)
    if p.status in ("refused", "concluded"):
        return f"这件信访已{petition_rules.STATUS_LABELS[p.status].removeprefix('已')}，不能再转介"
    return ""


# --- referring -------------------------------------------------------------------------------------


def _create(ctx: Context, db: sqlite_utils.Database, r: Referral, now: dt.datetime, source: str,
            from_case: int | None = None) -> tuple[int, str]:
    person_id = people.attach_or_add(db, r.applicant, now)
    status = "referred" if r.consent is not None else "awaiting_consent"
    assert r.organisation is not None
    case_id, case_no = cases.insert_case(
        db, kind=KIND, received_on=r.referred_on, status=status, person_id=person_id, names=r.applicant.name,
        now=now, service=r.service, township=r.township, village=r.village, category=r.category, subcategory=r.matter,
        summary=list_summary(r),
    )
    cases.add_person(db, case_id, person_id, referrals.APPLICANT_ROLE, 0)
    referrals.insert(db, case_id, r)
    staff = ctx.who(r.staff)
    to = r.organisation.name if r.legal_aid else f"{r.organisation.name}（{r.service}）"
    what = f"转介至{to}：{r.matter}；申请的帮助：{rules.join(r.help_kinds)}"
    if r.exempt:
        what += "；免予经济困难审查（法律援助法第三十二条）"
    cases.add_timeline(db, case_id, now, staff, "登记转介", what + (f"（{source}）" if source else ""))
    if r.consent is not None:
        referrals.update(db, case_id, sent_on=r.consent.on)
        cases.add_timeline(db, case_id, now, staff, "本人同意", _consent_note(r, r.consent))
    dv_repeats.note_at_intake(db, case_id, [person_id], r.opponent_name, r.township, r.referred_on, ctx.today(), now,
                              staff, from_case=from_case)
    _refresh(db, case_id)
    search.reindex(db, case_id)
    if r.staff_phone:
        # remembered for this staff member's next referral: part of the referral, not an office setting
        settings_store.put(db, _staff_phone_key(r.staff), r.staff_phone)
    return case_id, case_no


def _validated(ctx: Context, form: Referral) -> Referral:
    r = rules.validate_referral(form, ctx.today())
    lists.check_listed(ctx, r)
    if form.applicant.id is not None:
        r.applicant.id = form.applicant.id
    return r


def refer(ctx: Context, form: Referral) -> tuple[int, str]:
    """A woman who walks in asking for a lawyer: record the referral (and her consent, if given)."""
    ctx.require("referral.write")
    r = _validated(ctx, form)
    now = ctx.now()
    with ctx.action() as db:
        r.organisation = _organisation(db, r.organisation, r.service)
        return _create(ctx, db, r, now, "")


def refer_from_petition(
    ctx: Context, petition_id: int, form: Referral, accept_petition: bool = False
) -> tuple[int, str]:
    """Refer the woman of a petition in one step: the referral is recorded, the petition's handling
    becomes 转介法律援助 (by the petition's own rules; a petition still only registered is accepted
    on the referral date when `accept_petition`), and the two are linked both ways. A referral to another
    service (a shelter, a hospital …) is help alongside the petition's handling: the two are linked and the
    petition's timeline says so; its handling and status stay as they are."""
    ctx.require("referral.write")
    ctx.require("petition.write")
    p = petitions.get(ctx, petition_id)
    r = _validated(ctx, form)
    if not r.legal_aid:
        now = ctx.now()
        with ctx.action() as db:
            r.organisation = _organisation(db, r.organisation, r.service)
            case_id, case_no = _create(ctx, db, r, now, f"由{p.case_no}转介", petition_id)
            cases.link(db, petition_id, case_id, f"转介{r.service}")
            cases.link(db, case_id, petition_id, FROM_PETITION)
            cases.add_timeline(db, petition_id, now, ctx.who(r.staff), _timeline_word(r),
                               f"{case_no}：转介至{r.organisation.name}，{rules.join(r.help_kinds)}")
            cases.update_case(db, petition_id, now)
        return case_id, case_no
    today = ctx.today()
    if p.status == "registered":
        if not accept_petition:
            raise RuleError("这件信访还没有受理。请先受理，或在转介时勾选“同时受理这件信访”。")
        try:
            petition_rules.check_accept(p, r.referred_on, today)
        except ValidationError as e:
            raise ValidationError({"referred_on": "受理信访：" + "；".join(e.errors.values())}) from None
        p.status = "accepted"
        accept = True
    else:
        accept = False
    now = ctx.now()
    with ctx.action() as db:
        r.organisation = _organisation(db, r.organisation, r.service)
        petition_rules.check_handle(p, TO_REFERRAL, r.organisation.name)
        case_id, case_no = _create(ctx, db, r, now, f"由{p.case_no}转介", petition_id)
        if accept:
            petitions.accept(ctx, petition_id, r.referred_on, r.referred_on,
                             note=f"受理日期{format_cn(r.referred_on)}，已告知信访人；转介法律援助")
        petitions.set_handling(ctx, petition_id, TO_REFERRAL, r.organisation.name, f"转介编号{case_no}")
        cases.link(db, petition_id, case_id, TO_REFERRAL)
        cases.link(db, case_id, petition_id, FROM_PETITION)
    return case_id, case_no


# --- correcting -----------------------------------------------------------------------------------


def correct(ctx: Context, case_id: int, form: Referral, reason: str = "", scope: str = "") -> list[Correction]:
    """Correct a saved referral (修改): what the referral form holds and her details — not her consent nor
    the organisation's answer, which are steps of their own. Writes only what changed, in one action; the
    timeline gets the masked 更正：… line, the audit trail an entry 更正 with the reason. Returns the changes
    ([]: nothing changed, nothing written). The case number never changes.

    Raises ReasonRequired when its letter was printed or the referral is closed (refused, withdrawn,
    concluded) and `reason` is empty; ScopeQuestion when her address or marital status changed on a case
    that is not her latest and `scope` does not say whether for this case only; ValidationError as referring
    does (another organisation must be an active one of the directory)."""
    ctx.require("referral.write")
    old = get(ctx, case_id)
    checked = Referral(**{**form.__dict__, "consent": None})
    new = rules.validate_referral(checked, ctx.today())
    lists.check_listed(ctx, new, old)
    rules.check_referred_on(old, new.referred_on)
    new.applicant.id = form.applicant.id if form.applicant.id is not None else old.applicant.id
    same_org = (old.organisation is not None and new.organisation is not None
                and new.organisation.id == old.organisation.id)
    if same_org:
        new.organisation = old.organisation  # as copied when referred, even if the directory changed since
    else:
        new.organisation = _organisation(ctx.db, new.organisation, new.service)
    edits = [corrections.PersonEdit(referrals.APPLICANT_ROLE, "申请人", "applicant.", "", old.applicant,
                                    new.applicant)]
    changes = (compare(rules.correction_values(old), rules.correction_values(new), rules.CORRECTION_LABELS)
               + corrections.person_changes(ctx.db, case_id, edits))
    if not changes:
        return []
    reason = check_reason(reason, corrections.grounds_of(ctx.db, case_id, closed=rules.CLOSED_WORDS.get(old.status, "")))
    corrections.check_scope(ctx.db, case_id, edits, scope)
    fields = {c.field for c in changes}
    now = ctx.now()
    with ctx.action(**corrections.audit_of(reason)) as db:
        own: dict[str, object] = {f: getattr(new, f) for f in (
            "service", "referred_on", "staff", "staff_phone", "occupation", "matter", "role", "legal_state", "help_kinds",
            "facts", "request", "opponent_name", "opponent_relation", "victim_of", "means", "household_size",
            "household_income", "papers", "papers_other") if f in fields}
        if "organisation" in fields:
            org = new.organisation
            assert org is not None
            own.update(organisation_id=org.id, organisation_name=org.name, organisation_kind=org.kind,
                       organisation_address=org.address, organisation_contact=org.contact_person,
                       organisation_phone=org.phone)
        if own:
            referrals.update(db, case_id, **own)
        ids = corrections.write_people(db, case_id, edits, scope, now)
        row = cases.changed_columns(db, case_id, {
            "person_id": ids[referrals.APPLICANT_ROLE], "names": new.applicant.name, "summary": list_summary(new),
            "received_on": new.referred_on.isoformat(), "township": new.township, "village": new.village,
            "category": new.category, "subcategory": new.matter})
        if row:
            cases.update_case(db, case_id, now, **row)
        corrections.add_note(db, case_id, now, ctx.who(), changes, reason)
        _refresh(db, case_id)
        search.reindex(db, case_id)
    return changes


# --- consent and the papers ------------------------------------------------------------------------


def record_consent(ctx: Context, case_id: int, consent: Consent) -> None:
    """Her consent to share her details with the organisation: the referral can now be printed and sent."""
    ctx.require("referral.write")
    r = get(ctx, case_id)
    c = rules.check_consent(r, consent, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        referrals.set_consent(db, case_id, c)
        referrals.update(db, case_id, sent_on=c.on)
        cases.update_case(db, case_id, now, status="referred")
        cases.add_timeline(db, case_id, now, ctx.who(), "本人同意", _consent_note(r, c))
        _refresh(db, case_id)


def update_papers(ctx: Context, case_id: int, papers: list[str], other: str = "") -> None:
    ctx.require("referral.write")
    r = get(ctx, case_id)
    ticked, other = rules.check_papers(r, papers, other)
    now = ctx.now()
    with ctx.action() as db:
        referrals.update(db, case_id, papers=ticked, papers_other=other)
        cases.update_case(db, case_id, now)
        shown = rules.join([*ticked, *([other] if other else [])]) or "（无）"
        cases.add_timeline(db, case_id, now, ctx.who(), "移送材料", shown)


# --- the answer ------------------------------------------------------------------------------------


def accept(ctx: Context, case_id: int, on: dt.date, lawyer: str = "", lawyer_phone: str = "",
           note: str = "") -> None:
    """The organisation accepted (已受理), perhaps naming the lawyer (承办人)."""
    ctx.require("referral.write")
    r = get(ctx, case_id)
    lawyer, lawyer_phone = rules.check_accept(r, on, lawyer, lawyer_phone, ctx.today())
    now = ctx.now()
    text = "；".join(x for x in (
        f"{format_cn(on)}受理",
        f"承办人{lawyer}" + (f"（{lawyer_phone}）" if lawyer_phone else "") if lawyer else "",
        rules.answer_note(r, on), note.strip()) if x)
    with ctx.action() as db:
        referrals.update(db, case_id, answered_on=on, lawyer=lawyer, lawyer_phone=lawyer_phone)
        cases.update_case(db, case_id, now, status="accepted")
        cases.add_timeline(db, case_id, now, ctx.who(), "已受理", text)
        _note_on_petitions(db, r, now, ctx.who(), "接收机构已受理")
        _refresh(db, case_id)
        search.reindex(db, case_id)


def assign_lawyer(ctx: Context, case_id: int, lawyer: str, lawyer_phone: str = "") -> None:
    ctx.require("referral.write")
    r = get(ctx, case_id)
    lawyer, lawyer_phone = rules.check_assign(r, lawyer, lawyer_phone)
    now = ctx.now()
    with ctx.action() as db:
        referrals.update(db, case_id, lawyer=lawyer, lawyer_phone=lawyer_phone)
        cases.update_case(db, case_id, now)
        cases.add_timeline(db, case_id, now, ctx.who(), "承办人",
                           lawyer + (f"（{lawyer_phone}）" if lawyer_phone else ""))
        _refresh(db, case_id)
        search.reindex(db, case_id)


def refuse(ctx: Context, case_id: int, reason: str, on: dt.date) -> None:
    """The organisation refused (不予受理), with its reason."""
    ctx.require("referral.write")
    r = get(ctx, case_id)
    reason = rules.check_refuse(r, reason, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        referrals.update(db, case_id, answered_on=on, refused_reason=reason.strip())
        cases.update_case(db, case_id, now, status="refused", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "不予受理",
                           f"{reason.strip()}（{rules.answer_note(r, on)}）")
        _note_on_petitions(db, r, now, ctx.who(), f"接收机构不予受理：{reason.strip()}")
        _refresh(db, case_id)
        search.reindex(db, case_id)


def withdraw(ctx: Context, case_id: int, reason: str, on: dt.date) -> None:
    """The referral is withdrawn (已撤回): she no longer wants it, or it went elsewhere."""
    ctx.require("referral.write")
    r = get(ctx, case_id)
    reason = rules.check_withdraw(r, reason, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        referrals.update(db, case_id, withdrawn_on=on, withdrawn_reason=reason.strip())
        cases.update_case(db, case_id, now, status="withdrawn", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "已撤回", reason.strip())
        _note_on_petitions(db, r, now, ctx.who(), f"转介已撤回：{reason.strip()}")
        _refresh(db, case_id)
        search.reindex(db, case_id)


def conclude(ctx: Context, case_id: int, result: str, note: str, on: dt.date) -> None:
    """The legal aid is over (已办结): 调解结案, 判决, 撤诉, 咨询完毕…"""
    ctx.require("referral.write")
    r = get(ctx, case_id)
    note = rules.check_conclude(r, result, note, on, ctx.today())
    now = ctx.now()
    with ctx.action() as db:
        referrals.update(db, case_id, result=result, result_note=note.strip(), concluded_on=on)
        cases.update_case(db, case_id, now, status="concluded", closed_on=on.isoformat())
        cases.add_timeline(db, case_id, now, ctx.who(), "已办结",
                           f"{format_cn(on)}办结：{result}" + (f"。{note.strip()}" if note.strip() else ""))
        _note_on_petitions(db, r, now, ctx.who(), f"{'法律援助' if r.legal_aid else '转介'}已办结（{result}）")
        _refresh(db, case_id)
        search.reindex(db, case_id)


def add_note(ctx: Context, case_id: int, note: str) -> None:
    ctx.require("referral.write")
    text = note_text(note)
    get(ctx, case_id)
    with ctx.action() as db:
        cases.add_note(db, case_id, ctx.now(), ctx.who(), text)
