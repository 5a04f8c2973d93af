"""What the services would have written, without the database: one class per kind of case whose methods
are the services' actions — the same checks, the same fields, the same timeline texts — building the loads
store/bulk.py writes in one go.

The demo tells each made-up case's story through these classes: "registered on the 3rd by 李华, accepted
on the 5th, referred to the legal-aid centre on the 9th…", each step stamped with the moment it was taken.
tests/test_demo.py tells the same stories to the services and checks that both databases hold the same
rows, so a change to a service that is not made here too fails a test.

`staff` is always the name the service would write (ctx.who(...)). Actions on two cases at once (a
referral made from a petition, a visit that opened a petition) are told to both stories with the same
moment; the loader writes them in the services' order. No Qt, no SQL here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import fields as dc_fields
from dataclasses import replace

from ..domain import dv_repeat
from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as petition_rules
from ..domain import petition_course as course
from ..domain import referral as referral_rules
from ..domain.dates import format_cn
from ..domain.errors import RuleError, ValidationError
from ..domain.household import Cadre, CareList, Household, Measure, Task, Visit
from ..domain.mediation import Closing, Investigation, Mediation, Mediator, ReturnVisit, Session
from ..domain.records import Person, Petition, TimelineEntry
from ..domain.referral import Consent, Organisation, Referral
from ..domain.rhythm import Rhythm
from ..services import households as household_service
from ..services import mediations as mediation_service
from ..services import petitions as petition_service
from ..services import referrals as referral_service
from ..services.settings import DEFAULT_OFFICE_NAME
from ..store import bulk

_PERSON_FIELDS = tuple(f.name for f in dc_fields(Person))

# The demo's own forms, told unchecked (issue 22: a million cases in ten minutes). The petitions, mediations, their
# sessions, investigations and return visits, and the household visits the demo makes are valid by construction, and
# the services' validation (with its text clean-up) returns each of them as it is: so within `made_up` those checks
# are not run (a fifth of a demo worker's time). tests/test_demo_unchecked.py makes a demo with every check run
# (CHECK_MADE_UP) and fails if one form is refused or changed by its check, or if one row differs from the demo made
# unchecked. The referral, household and closing forms are still checked: their checks put a list in order and fill
# in what was left out. A clerk's form, an import's rows, a service: always checked (outside `made_up`).
CHECK_MADE_UP = False
_unchecked: ContextVar[bool] = ContextVar("unchecked", default=False)


@contextmanager
def made_up() -> Iterator[None]:
    """The demo's cases told within: the forms named above not checked again (unless CHECK_MADE_UP)."""
    token = _unchecked.set(not CHECK_MADE_UP)
    try:
        yield
    finally:
        _unchecked.reset(token)


def unchecked() -> bool:
    """Within `made_up`: the demo's own forms are taken as they are."""
    return _unchecked.get()


def keep(original: Person, checked: Person) -> Person:
    """The checked (normalised) values in the original person object, so that one person shared by
    several cases stays one object (and one record, once the loader has given it an id)."""
    for name in _PERSON_FIELDS:
        if name != "id":
            setattr(original, name, getattr(checked, name))
    if original.id is None:
        original.id = checked.id
    return original


# --------------------------------------------------------------------------------------------
# Petitions


class PetitionStory:
    """services.petitions, step by step, plus what other kinds' services write on a petition."""

    office = DEFAULT_OFFICE_NAME  # the name its documents are issued under (the demo gives the office's own)

    def __init__(self, form: Petition, at: dt.datetime, staff: str, reserved: bulk.Reserved | None = None,
                 checked: Petition | None = None) -> None:
        """`reserved`: its id and number, when another case's story needs them (its source, a note); `checked`: the
        form as validate_petition returned it for that day, when the caller checked it already (an import)."""
        p = checked if checked is not None else form if unchecked() else petition_rules.validate_petition(form, at.date())
        if reserved is not None:
            p.id, p.case_no = reserved.case_id, reserved.case_no
        p.petitioner = keep(form.petitioner, p.petitioner)
        if p.concerned is not None and form.concerned is not None:
            p.concerned = keep(form.concerned, p.concerned)
        p.created_at = at
        p.timeline = [TimelineEntry(at, staff, "登记",
                                    f"{p.channel}，{'集体访，' if p.is_group else ''}{p.headcount}人")]
        self.p = p
        self.updated_at = at

    def _touch(self, at: dt.datetime) -> None:
        self.updated_at = max(self.updated_at, at)

    def _add(self, at: dt.datetime, staff: str, action: str, note: str, touch: bool = True) -> None:
        self.p.timeline.append(TimelineEntry(at, staff, action, note))
        if touch:
            self._touch(at)

    def _issue(self, at: dt.datetime, letter: course.Letter) -> None:
        self.p.documents.append(course.document_of(letter, created_at=at))

    def accept(self, at: dt.datetime, staff: str, on: dt.date, told_on: dt.date | None = None,
               note: str = "", way: str = "") -> None:
        p = self.p
        petition_rules.check_accept(p, on, at.date())
        told_on = told_on or on
        way = course.way_for(p, told_on, way)
        letter = course.accept_letter(p, self.office, on, told_on, way, staff)
        p.status, p.accepted_on, p.told_on, p.tell_way = "accepted", on, told_on, way
        self._issue(at, letter)
        self._add(at, staff, "受理", note or course.accept_note(p, on, told_on, way))

    def refuse(self, at: dt.datetime, staff: str, reason: str, on: dt.date, route: str = "", way: str = "") -> None:
        p = self.p
        reason = petition_rules.check_refuse(p, reason, on, at.date())
        route = course.check_route(route)
        way = course.way_for(p, on, way)
        letter = course.refuse_letter(p, self.office, reason, route, on, way, staff)
        p.status, p.refused_reason, p.refused_route, p.told_on, p.tell_way = "refused", reason, route, on, way
        self._issue(at, letter)
        self._add(at, staff, "不予受理", course.refuse_note(p, reason, route, on, way))

    def forward(self, at: dt.datetime, staff: str, body: str, on: dt.date, way: str = "") -> None:
        p = self.p
        way = course.way_for(p, on, way)
        body = course.check_forward(p, body, on, way, at.date())
        letter = course.forward_letter(p, self.office, body, on, way, staff)
        p.status, p.forwarded_to, p.forwarded_on, p.told_on, p.tell_way = "forwarded", body, on, on, way
        self._issue(at, letter)
        self._add(at, staff, "转送", course.forward_note(p, body, on, way))

    def handle(self, at: dt.datetime, staff: str, method: str, agency: str = "", opinion: str = "") -> None:
        petition_rules.check_handle(self.p, method, agency)
        p = self.p
        p.status, p.handling, p.handling_agency, p.handling_opinion = (
            "in_progress", method, agency.strip(), opinion.strip())
        what = method + (f"（{agency.strip()}）" if agency.strip() else "")
        self._add(at, staff, "办理", what + (f"：{opinion.strip()}" if opinion.strip() else ""))

    def to_mediation(self, at: dt.datetime, staff: str, committee: str, mediation_no: str) -> None:
        """The petition's side of mediations.open_from_petition."""
        petition_rules.check_handle(self.p, "调解", "")
        opinion = f"转{committee}调解（{mediation_no}）"
        p = self.p
        p.status, p.handling, p.handling_agency, p.handling_opinion = "in_progress", "调解", "", opinion
        self._add(at, staff, "办理", f"调解：{opinion}")

    def extend(self, at: dt.datetime, staff: str, days: int, reason: str, told_on: dt.date | None = None,
               way: str = "") -> None:
        p = self.p
        reason = petition_rules.check_extend(p, days, reason)
        told_on, way = told_on or at.date(), way or "直接送达"
        letter = course.extend_letter(p, self.office, days, reason, told_on, way, staff)
        p.extension_days, p.extension_reason = days, reason
        self._issue(at, letter)
        self._add(at, staff, "延期", course.extend_note(days, reason, told_on, way))

    def conclude(self, at: dt.datetime, staff: str, reply: str, result: str, on: dt.date,
                 opinion: course.Opinion | None = None, rating: str = "", rating_note: str = "") -> None:
        """services.petitions.conclude: the written opinion drafted from the case (`reply` its opinion) unless
        given, and her satisfaction if asked now."""
        p = self.p
        if opinion is None:
            opinion = course.draft_opinion(p, result)
            if reply.strip():  # else the draft's words for the result
                opinion.opinion = reply
            reply = opinion.opinion
        else:
            opinion.result = result
            reply = opinion.opinion
        petition_rules.check_conclude(p, reply, result, on, at.date())
        o = course.check_opinion(p, opinion)
        if rating:
            rating_note = course.check_rating(replace(p, status="concluded", concluded_on=on), rating, rating_note, on,
                                              at.date())
        letter = course.opinion_letter(p, self.office, o, on, staff)
        p.status, p.reply, p.result, p.concluded_on = "concluded", o.opinion, result, on
        p.facts_found, p.legal_basis = o.facts_found, o.legal_basis
        if rating:
            p.rating, p.rating_note, p.rated_on, p.rating_way = rating, rating_note, on, course.RATING_WAYS[0]
        self._issue(at, letter)
        self._add(at, staff, "办结", course.conclude_note(letter, result, o.opinion, rating))

    def rate(self, at: dt.datetime, staff: str, rating: str, note: str, on: dt.date, way: str = "回访") -> None:
        p = self.p
        note = course.check_rating(p, rating, note, on, at.date())
        p.rating, p.rating_note, p.rated_on, p.rating_way = rating, note, on, way
        self._add(at, staff, "满意度", course.rating_line(way, rating, note))

    def note(self, at: dt.datetime, staff: str, action: str, text: str, touch: bool = True) -> None:
        """A note another service writes on the petition (法律援助转介 …), or add_note (备注)."""
        self._add(at, staff, action, text, touch)

    @property
    def names(self) -> str:
        p = self.p
        same = p.concerned is not None and p.concerned.id is not None and p.concerned.id == p.petitioner.id
        return p.petitioner.name + (f"（代{p.concerned.name}）" if p.concerned and not same else "")

    def load(self) -> bulk.PetitionLoad:
        return bulk.PetitionLoad(self.p, names=self.names, summary=petition_service.list_summary(self.p),
                                 updated_at=self.updated_at)


# --------------------------------------------------------------------------------------------
# Legal-aid referrals


class ReferralStory:
    """services.referrals: refer (directly, or from a petition: `source`), consent, the answer, the end.

    `petition_notes` collects what the services write on the petitions it came from (at, staff, text):
    give each to PetitionStory.note(at, staff, "法律援助转介", f"{case_no}：{text}")."""

    def __init__(self, form: Referral, organisation: Organisation, at: dt.datetime, staff: str,
                 source: str = "", checked: Referral | None = None) -> None:
        """`checked`: the form as validate_referral returned it for that day, when the caller checked it already."""
        r = checked if checked is not None else referral_rules.validate_referral(form, at.date())
        r.applicant = keep(form.applicant, r.applicant)
        if not organisation.active:
            raise ValidationError({"organisation": "这个机构已在机构名录中停用"})
        r.organisation = organisation
        r.status = "referred" if r.consent is not None else "awaiting_consent"
        r.created_at = at
        what = f"转介至{organisation.name}：{r.matter}；申请的帮助：{referral_rules.join(r.help_kinds)}"
        if r.exempt:
            what += "；免予经济困难审查（法律援助法第三十二条）"
        r.timeline = [TimelineEntry(at, staff, "登记转介", what + (f"（{source}）" if source else ""))]
        if r.consent is not None:
            r.sent_on = r.consent.on
            r.timeline.append(TimelineEntry(at, staff, "本人同意", referral_service._consent_note(r, r.consent)))
        self.r = r
        self.updated_at = at
        self.petition_notes: list[tuple[dt.datetime, str, str]] = []
        self.linked = bool(source)

    def _add(self, at: dt.datetime, staff: str, action: str, note: str) -> None:
        self.r.timeline.append(TimelineEntry(at, staff, action, note))
        self.updated_at = max(self.updated_at, at)

    def _tell_petition(self, at: dt.datetime, staff: str, text: str) -> None:
        if self.linked:
            self.petition_notes.append((at, staff, text))

    def consent(self, at: dt.datetime, staff: str, consent: Consent) -> None:
        c = referral_rules.check_consent(self.r, consent, at.date())
        r = self.r
        r.consent, r.sent_on, r.status = c, c.on, "referred"
        self._add(at, staff, "本人同意", referral_service._consent_note(r, c))

    def accept(self, at: dt.datetime, staff: str, on: dt.date, lawyer: str = "", lawyer_phone: str = "",
               note: str = "") -> None:
        r = self.r
        lawyer, lawyer_phone = referral_rules.check_accept(r, on, lawyer, lawyer_phone, at.date())
        text = "；".join(x for x in (
            f"{format_cn(on)}受理",
            f"承办人{lawyer}" + (f"（{lawyer_phone}）" if lawyer_phone else "") if lawyer else "",
            referral_rules.answer_note(r, on), note.strip()) if x)
        r.answered_on, r.lawyer, r.lawyer_phone, r.status = on, lawyer, lawyer_phone, "accepted"
        self._add(at, staff, "已受理", text)
        self._tell_petition(at, staff, "接收机构已受理")

    def assign_lawyer(self, at: dt.datetime, staff: str, lawyer: str, lawyer_phone: str = "") -> None:
        lawyer, lawyer_phone = referral_rules.check_assign(self.r, lawyer, lawyer_phone)
        self.r.lawyer, self.r.lawyer_phone = lawyer, lawyer_phone
        self._add(at, staff, "承办人", lawyer + (f"（{lawyer_phone}）" if lawyer_phone else ""))

    def refuse(self, at: dt.datetime, staff: str, reason: str, on: dt.date) -> None:
        r = self.r
        referral_rules.check_refuse(r, reason, on, at.date())
        note = f"{reason.strip()}（{referral_rules.answer_note(r, on)}）"
        r.answered_on, r.refused_reason, r.status = on, reason.strip(), "refused"
        self._add(at, staff, "不予受理", note)
        self._tell_petition(at, staff, f"接收机构不予受理：{reason.strip()}")

    def withdraw(self, at: dt.datetime, staff: str, reason: str, on: dt.date) -> None:
        r = self.r
        referral_rules.check_withdraw(r, reason, on, at.date())
        r.withdrawn_on, r.withdrawn_reason, r.status = on, reason.strip(), "withdrawn"
        self._add(at, staff, "已撤回", reason.strip())
        self._tell_petition(at, staff, f"转介已撤回：{reason.strip()}")

    def conclude(self, at: dt.datetime, staff: str, result: str, note: str, on: dt.date) -> None:
        r = self.r
        referral_rules.check_conclude(r, result, note, on, at.date())
        r.result, r.result_note, r.concluded_on, r.status = result, note.strip(), on, "concluded"
        self._add(at, staff, "已办结", f"{format_cn(on)}办结：{result}" + (f"。{note.strip()}" if note.strip() else ""))
        self._tell_petition(at, staff, f"法律援助已办结（{result}）")

    def note(self, at: dt.datetime, staff: str, text: str) -> None:
        self._add(at, staff, "备注", text.strip())

    def load(self) -> bulk.ReferralLoad:
        r = self.r
        # the phone printed on her next letters (referrals._create remembers it)
        remembered = {referral_service._staff_phone_key(r.staff): r.staff_phone} if r.staff_phone else {}
        return bulk.ReferralLoad(r, summary=referral_service.list_summary(r), updated_at=self.updated_at,
                                 settings=remembered)


def refer_from_petition(petition: PetitionStory, form: Referral, organisation: Organisation, at: dt.datetime,
                        staff: str, referral_no: str) -> ReferralStory:
    """referrals.refer_from_petition on an accepted petition: the referral, and the petition handled as
    转介法律援助 (the two are linked both ways: Loader.link)."""
    if petition.p.status not in ("accepted", "in_progress"):
        raise RuleError("这件信访还没有受理")
    petition_rules.check_handle(petition.p, referral_service.TO_REFERRAL, organisation.name)
    story = ReferralStory(form, organisation, at, staff, source=f"由{petition.p.case_no}转介")
    petition.handle(at, staff, referral_service.TO_REFERRAL, organisation.name, f"转介编号{referral_no}")
    return story


def tell_petition(referral: ReferralStory, petition: PetitionStory, referral_no: str) -> None:
    """What the referral's answers wrote on the petition it came from."""
    for at, staff, text in referral.petition_notes:
        petition.note(at, staff, "法律援助转介", f"{referral_no}：{text}")


# --------------------------------------------------------------------------------------------
# Mediations


class MediationStory:
    """services.mediations: open (directly, from a petition, from a household visit), sessions,
    investigations, the outcome, return visits, the file. `roster` is the mediator roster in its order."""

    def __init__(self, form: Mediation, roster: list[Mediator], at: dt.datetime, staff: str,
                 checked: Mediation | None = None) -> None:
        """`checked`: the form as validate_mediation returned it for that day, when the caller checked it already."""
        m = checked if checked is not None else form if unchecked() else mediation_rules.validate_mediation(form, at.date())
        known = {x.id for x in roster}
        if any(i not in known for i in m.mediator_ids):
            raise ValidationError({"mediators": "所选调解员不在名册中，请重新选择"})
        by_side = [p for side in mediation_rules.SIDES for p in form.parties if p.side == side]
        for party, original in zip(m.parties, by_side, strict=True):
            party.person = keep(original.person, party.person)
        m.mediators = [x for x in roster if x.id in m.mediator_ids]
        m.created_at = at
        mediators = "、".join(x.name for x in m.mediators)
        m.timeline = [TimelineEntry(at, staff, "受理调解",
                                    f"{m.source}，{mediation_rules.dispute_words(m.dispute_type)}；调解员：{mediators}")]
        self.m = m
        self.roster = {x.id: x.name for x in roster if x.id is not None}
        self.updated_at = at
        self.session_stamps: list[dt.datetime] = []
        self.investigation_stamps: list[dt.datetime] = []
        self.visit_stamps: list[dt.datetime] = []

    def _add(self, at: dt.datetime, staff: str, action: str, note: str, touch: bool = True) -> None:
        self.m.timeline.append(TimelineEntry(at, staff, action, note))
        if touch:
            self.updated_at = max(self.updated_at, at)

    def from_petition(self, at: dt.datetime, staff: str, petition_no: str) -> None:
        """The mediation's side of open_from_petition (same moment as the opening)."""
        if self.m.source != "信访转来":
            raise ValidationError({"source": "从信访转来的调解，纠纷来源应为“信访转来”"})
        self._add(at, staff, "信访转来", petition_no, touch=False)

    def from_visit(self, at: dt.datetime, staff: str, household_no: str) -> None:
        """What households.log_visit writes on the mediation a visit opened."""
        self._add(at, staff, "关联", f"由{household_no}的走访记录转入", touch=False)

    def came_before(self, at: dt.datetime, staff: str, earlier: list[dv_repeat.Earlier]) -> None:
        """What services/dv_repeats.note_at_intake writes when the mediation is opened and she (or the abuser) came
        before: the 曾来求助 flag right after the opening entry. The stories do not look for earlier cases
        themselves: the caller says which, and links her own earlier cases with the loader (relation
        dv_repeat.FLAG), as the services do."""
        self.m.timeline.insert(1, TimelineEntry(at, staff, dv_repeat.FLAG, dv_repeat.flag_note(earlier)))

    def session(self, at: dt.datetime, staff: str, session: Session) -> None:
        m = self.m
        s = session if unchecked() else mediation_rules.validate_session(m, session, at.date())
        m.sessions.append(s)
        self.session_stamps.append(at)
        s.number = len(m.sessions)
        m.status = "in_progress"
        self._add(at, staff, f"第{s.number}次调解", f"{format_cn(s.held_on)}，{s.place}：{s.result}")

    def investigation(self, at: dt.datetime, staff: str, investigation: Investigation) -> None:
        m = self.m
        inv = investigation if unchecked() else mediation_rules.validate_investigation(m, investigation, at.date())
        m.investigations.append(inv)
        self.investigation_stamps.append(at)
        m.status = "in_progress"
        who = f"{inv.subject}（{inv.subject_role}）" if inv.subject_role else inv.subject
        self._add(at, staff, "调查", f"{format_cn(inv.held_on)}，调查{who}")

    def close(self, at: dt.datetime, staff: str, closing: Closing, visit_on: dt.date | None = None) -> None:
        m = self.m
        c = mediation_rules.validate_closing(m, closing, at.date())
        if visit_on is not None and visit_on < c.on:
            raise ValidationError({"visit_on": f"回访日期不能早于{format_cn(c.on)}"})
        m.outcome, m.outcome_on, m.outcome_note, m.failed_route = c.outcome, c.on, c.note, c.failed_route
        m.agreement = c.agreement
        m.status = c.outcome
        self._add(at, staff, mediation_rules.OUTCOMES[c.outcome], mediation_rules.closing_note(c, m.received_on))
        if visit_on is not None:
            m.visits.append(ReturnVisit(due_on=visit_on))
            self.visit_stamps.append(at)
            self._add(at, staff, "安排回访", format_cn(visit_on))

    def schedule_visit(self, at: dt.datetime, staff: str, due_on: dt.date, plan: str = "") -> None:
        mediation_rules.check_schedule_visit(self.m, due_on, plan)
        self.m.visits.append(ReturnVisit(due_on=due_on, plan=plan.strip()))
        self.visit_stamps.append(at)
        self._add(at, staff, "安排回访", format_cn(due_on) + (f"：{plan.strip()}" if plan.strip() else ""))

    def record_visit(self, at: dt.datetime, staff: str, visit: ReturnVisit, scheduled: int | None = None) -> None:
        """A return visit: the scheduled one (its index among the visits) or, None, one without a plan."""
        m = self.m
        v = visit if unchecked() else mediation_rules.validate_visit(m, visit, at.date())
        assert v.visited_on is not None
        if scheduled is not None:
            old = m.visits[scheduled]
            if old.done:
                raise RuleError("这次回访已经记录过了")
            v.due_on, v.plan = old.due_on, old.plan
            m.visits[scheduled] = v
        else:
            v.due_on, v.plan = v.visited_on, ""
            m.visits.append(v)
            self.visit_stamps.append(at)
        flags = "，".join(t for t, on in (("有新的矛盾", v.new_conflict), ("有家庭暴力", v.violence),
                                          ("已起诉", v.lawsuit)) if on)
        self._add(at, staff, "回访", f"{format_cn(v.visited_on)}{v.method}：{v.performance}，{v.satisfaction}"
                  + (f"；{flags}" if flags else ""))

    def filing(self, at: dt.datetime, staff: str, archivist: str, filed_on: dt.date, keep_period: str,
               remarks: str = "") -> None:
        m = self.m
        if m.is_open:
            raise RuleError("调解结束后才能立卷")
        mediation_rules.check_filing(archivist, filed_on, keep_period, remarks, at.date())
        m.archivist, m.filed_on, m.keep_period, m.file_remarks = (
            archivist.strip(), filed_on, keep_period, remarks.strip())
        self._add(at, staff, "立卷", f"{archivist.strip()}，保管期限{keep_period}")

    def note(self, at: dt.datetime, staff: str, text: str) -> None:
        self._add(at, staff, "备注", text.strip())

    def load(self) -> bulk.MediationLoad:
        m = self.m
        names = f"{mediation_rules.names(m.applicants)}与{mediation_rules.names(m.respondents)}"
        return bulk.MediationLoad(
            m, mediator_names=self.roster, names=names, summary=mediation_service.list_summary(m),
            updated_at=self.updated_at, session_stamps=list(self.session_stamps),
            investigation_stamps=list(self.investigation_stamps), visit_stamps=list(self.visit_stamps),
        )


def mediate_from_petition(petition: PetitionStory, form: Mediation, roster: list[Mediator], at: dt.datetime,
                          staff: str, committee: str, mediation_no: str) -> MediationStory:
    """mediations.open_from_petition: the mediation, and the petition handled as 调解 (linked both ways:
    Loader.link)."""
    petition_rules.check_handle(petition.p, "调解", "")
    if form.source != "信访转来":
        raise ValidationError({"source": "从信访转来的调解，纠纷来源应为“信访转来”"})
    story = MediationStory(form, roster, at, staff)
    story.from_petition(at, staff, petition.p.case_no)
    petition.to_mediation(at, staff, committee, mediation_no)
    return story


# --------------------------------------------------------------------------------------------
# Households and care lists


class HouseholdStory:
    """services.households: register, visits (a finding opens a petition or a mediation: tell that
    story with `finding_petition` / `finding_mediation`), cadres, measures, tasks, lifted, exit."""

    def __init__(self, form: Household, care: CareList, at: dt.datetime, staff: str,
                 reserved: bulk.Reserved | None = None, checked: Household | None = None) -> None:
        """`reserved`: the case's id and number, when a visit will open a case (its note names them); `checked`: the
        form as validate_household returned it for that day, when the caller checked it already."""
        if form.rhythm is None:
            raise ValueError("give the rhythm (the service starts it on the day of registering)")
        h = checked if checked is not None else household_rules.validate_household(form, care, at.date())
        assert h.rhythm is not None
        household_rules.check_rhythm(h.rhythm, at.date(), h.received_on)
        for member, original in zip(h.everyone, form.everyone, strict=True):
            member.person = keep(original.person, member.person)
        if len({id(m.person) for m in h.everyone}) != h.size:
            raise ValidationError({"members": "同一个人在成员中出现了两次"})
        h.care_list = care
        if reserved is not None:
            h.id, h.case_no = reserved.case_id, reserved.case_no
        h.timeline = [TimelineEntry(at, staff, "纳入名单", f"{care.name}，{h.size}口人" if care.is_household
                                    else care.name)]
        self.h = h
        self.care = care
        self.created_at = self.updated_at = at
        self.cadres: list[bulk.CadreRow] = []
        if h.cadre is not None:
            self.cadres.append(bulk.CadreRow(h.cadre, at, staff))
            h.cadres.append(h.cadre)
        self.measures: list[bulk.MeasureRow] = []
        self.visits: list[bulk.VisitRow] = []
        self.tasks: list[bulk.TaskRow] = []

    def _add(self, at: dt.datetime, staff: str, action: str, note: str, touch: bool = True) -> None:
        self.h.timeline.append(TimelineEntry(at, staff, action, note))
        if touch:
            self.updated_at = max(self.updated_at, at)

    @property
    def case_no(self) -> str:
        return self.h.case_no

    def visit(self, at: dt.datetime, staff: str, form: Visit, opened: tuple[int, str] | None = None) -> Visit:
        """log_visit. A finding needs `opened`: the id and number of the case it opened (told with
        finding_petition / finding_mediation at the same moment)."""
        household_service.need_open(self.h, "登记走访")
        h = self.h
        v = form if unchecked() else household_rules.validate_visit(form, h, at.date(), household_service.routes())
        if (v.finding is None) != (opened is None):
            raise ValueError("a finding opens a case: give its id and number, and only then")
        self.visits.append(bulk.VisitRow(v, staff, at, opened[0] if opened else None))
        h.visits.append(v)
        if v.promised:
            assert v.promise_due is not None
            self.tasks.append(bulk.TaskRow(Task(title=v.promised, due_on=v.promise_due), staff, at,
                                           len(self.visits) - 1))
        self._add(at, staff, v.kind_label, household_rules.visit_note(v, opened[1] if opened else None))
        return v

    def finding_petition(self, v: Visit, at: dt.datetime, staff: str) -> PetitionStory:
        """The petition a visit's finding opens (households._finding_petition, then petitions.register,
        then the 关联 note)."""
        assert v.finding is not None
        f, h = v.finding, self.h
        person = h.everyone[f.person_index].person
        form = Petition(
            channel="来访", received_on=v.visited_on, petitioner=person, concerned=None, headcount=1,
            township=h.township, village=h.village, category="婚姻家庭",
            subcategory="家庭暴力" if f.kind == "dv" else "家庭纠纷",
            facts=f"（{h.case_no}走访中发现）{f.facts}", request=f.request, dv=f.kind == "dv", safety_risk=False,
            receiving_staff=staff, respondent_name=f.respondent_name, respondent_relation=f.respondent_relation,
        )
        story = PetitionStory(form, at, staff)
        story.note(at, staff, "关联", f"由{h.case_no}的走访记录转入", touch=False)
        return story

    def finding_mediation(self, v: Visit, roster: list[Mediator], at: dt.datetime, staff: str) -> MediationStory:
        """The mediation a visit's finding opens (households._finding_mediation: 主动调解)."""
        assert v.finding is not None
        f, h = v.finding, self.h
        me = h.everyone[f.person_index]
        other = next((m for m in h.everyone if m.person.name == f.respondent_name and m is not me), None)
        respondent = other.person if other else Person(name=f.respondent_name, ethnicity="")
        relationship = household_service._relationship(me.relation, other.relation) if other else (
            "夫妻" if f.respondent_relation in ("丈夫", "前夫") else "其他")
        form = Mediation(
            received_on=v.visited_on, source="主动调解",
            dispute_type="家庭暴力" if f.kind == "dv" else (f.dispute_type or "婚姻"), relationship=relationship,
            township=h.township, village=h.village, facts=f"（{h.case_no}走访中发现）{f.facts}", request=f.request,
            registrar=staff,
            parties=[mediation_rules.Party(person=me.person, side="applicant"),
                     mediation_rules.Party(person=respondent, side="respondent")],
            mediator_ids=[f.mediator_id] if f.mediator_id is not None else [],
        )
        story = MediationStory(form, roster, at, staff)
        story.from_visit(at, staff, h.case_no)
        return story

    def change_cadre(self, at: dt.datetime, staff: str, cadre: Cadre) -> None:
        household_service.need_open(self.h, "更换帮扶责任人")
        h = self.h
        errors: dict[str, str] = {}
        last = h.current_cadre
        c = household_rules.check_cadre(cadre, at.date(), errors, prefix="",
                                        not_before=last.from_date if last else None)
        if errors:
            raise ValidationError(errors)
        self.cadres.append(bulk.CadreRow(c, at, staff))
        h.cadres.append(c)
        note = f"{c.name}（{c.unit}）自{format_cn(c.from_date)}起" if c.unit else f"{c.name}自{format_cn(c.from_date)}起"
        self._add(at, staff, "更换帮扶责任人" if last else "帮扶责任人", note)

    def measure(self, at: dt.datetime, staff: str, measure: Measure) -> None:
        household_service.need_open(self.h, "添加帮扶措施")
        m = household_rules.check_measure(measure, at.date())
        self.measures.append(bulk.MeasureRow(m, at))
        self.h.measures.append(m)
        self._add(at, staff, "帮扶措施", f"{m.kind}：{m.detail or m.benefit}"[:80])

    def add_task(self, at: dt.datetime, staff: str, title: str, due_on: dt.date) -> Task:
        text = title.strip()
        if not text:
            raise ValidationError({"title": "请写明要办的事"})
        t = Task(title=text, due_on=due_on)
        self.tasks.append(bulk.TaskRow(t, staff, at))
        self._add(at, staff, "待办", f"{text}（{format_cn(due_on)}前）", touch=False)
        return t

    def complete_task(self, at: dt.datetime, staff: str, task: Task, on: dt.date, note: str = "") -> None:
        if task.done_on is not None:
            raise RuleError("这项待办已经办结")
        if on > at.date():
            raise ValidationError({"done_on": "办结日期不能晚于今天"})
        task.done_on, task.done_note = on, note.strip()
        self._add(at, staff, "待办办结", task.title + (f"：{note.strip()}" if note.strip() else ""), touch=False)

    def set_rhythm(self, at: dt.datetime, staff: str, rhythm: Rhythm) -> None:
        household_rules.check_rhythm(rhythm, at.date(), self.h.received_on)
        self.h.rhythm = rhythm
        self._add(at, staff, "走访周期", f"{rhythm.label()}，自{format_cn(rhythm.start)}起")

    def lift(self, at: dt.datetime, staff: str, on: dt.date, note: str = "") -> None:
        household_rules.check_lift(self.h, on, at.date())
        self.h.lifted_on, self.h.status = on, "lifted"
        self._add(at, staff, "脱贫", f"{format_cn(on)}" + (f"：{note.strip()}" if note else ""))

    def exit(self, at: dt.datetime, staff: str, on: dt.date, reason: str) -> None:
        household_rules.check_exit(self.h, on, reason, at.date())
        h = self.h
        h.exited_on, h.exit_reason, h.status = on, reason.strip(), "exited"
        self._add(at, staff, "退出", f"{format_cn(on)}：{reason.strip()}")

    def note(self, at: dt.datetime, staff: str, text: str) -> None:
        self._add(at, staff, "备注", text.strip())

    def load(self) -> bulk.HouseholdLoad:
        return bulk.HouseholdLoad(
            self.h, self.care, summary=household_service.list_summary(self.h, self.care), updated_at=self.updated_at,
            created_at=self.created_at, cadres=list(self.cadres), measures=list(self.measures),
            visits=list(self.visits), tasks=list(self.tasks),
        )


__all__ = ["HouseholdStory", "MediationStory", "PetitionStory", "ReferralStory", "keep", "mediate_from_petition",
           "refer_from_petition", "tell_petition"]
