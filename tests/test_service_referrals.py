"""Referral to any service (issue 20 point 5): one mechanism — consent, letter in the service's wording, receipt,
reply, overdue chase — for a shelter, a hospital, the police … with legal aid one kind of it. Every person here is
made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import referral as rules
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Consent, Organisation, Referral
from fulian_desktop.services import case_documents, cases, organisations, printing, referrals
from fulian_desktop.services.context import Context

from .test_referrals import FACTS, flat, page_texts, petition


def shelter(ctx: Context, name: str = "县救助管理站", service: str = "庇护所/救助管理站", kind: str = "救助管理站") -> int:
    return organisations.save(ctx, Organisation(name=name, kind=kind, address="县民政局院内", phone="0734-8123000",
                                                service=service))


def to_service(ctx: Context, service: str, org_id: int, help_kinds: list[str], **changes: object) -> Referral:
    r = referrals.new_form(ctx, service)
    r.applicant = Person(name="刘春梅", phone="13700137000")
    r.township, r.matter, r.facts = "东山镇", "家庭暴力", FACTS
    r.help_kinds, r.organisation = help_kinds, organisations.get(ctx, org_id)
    for key, value in changes.items():
        setattr(r, key, value)
    return r


def test_every_service_is_one_kind_of_the_one_mechanism() -> None:
    assert rules.SERVICE_NAMES == ("法律援助", "庇护所/救助管理站", "医院（验伤）", "心理咨询", "派出所", "民政（救助）",
                                   "残联", "学校", "村（居）委会", "人社（劳动保障）", "法院（诉讼服务）")
    assert rules.SERVICES["法律援助"].answer_days == 7 and rules.SERVICES["法律援助"].help_kinds == rules.HELP_KINDS
    assert rules.SERVICES["庇护所/救助管理站"].answer_days == 1
    for s in rules.SERVICES.values():
        assert s.help_kinds and s.organisation_kinds[-1] == "其他" and s.asks.endswith("。")


def test_a_shelter_referral_needs_no_legal_aid_fields_and_its_clock_is_the_shelters(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    org = shelter(ctx)
    r = to_service(ctx, "庇护所/救助管理站", org, ["临时庇护", "诉讼代理"],
                   consent=Consent(on=dt.date(2026, 3, 10)), role="", legal_state="", means="")
    case_id, case_no = referrals.refer(ctx, r)
    saved = referrals.get(ctx, case_id)
    assert saved.service == "庇护所/救助管理站" and saved.help_kinds == ["临时庇护"]  # legal aid's 诉讼代理 is not a shelter's
    assert saved.organisation is not None and saved.organisation.service == "庇护所/救助管理站"
    assert saved.status == "referred" and not saved.exempt
    assert rules.current_deadline(saved) == rules.answer_deadline(dt.date(2026, 3, 10), "庇护所/救助管理站")
    assert rules.current_deadline(saved).due_on == dt.date(2026, 3, 11)  # type: ignore[union-attr]
    assert rules.clock_text(saved, dt.date(2026, 3, 13)) == (
        "已转介3天仍未答复，超过1日答复期（应于2026年3月11日前答复），请联系接收机构催问")
    assert "1日答复期自2026年3月10日起计算" in saved.timeline[-1].note
    assert "转介至县救助管理站（庇护所/救助管理站）" in saved.timeline[0].note
    assert [(i.row.case_no, i.text) for i in cases.due_this_week(ctx)] == [(case_no, "1天内应答复是否受理")]
    clock.advance(2)
    item = cases.due_this_week(ctx)[0]
    assert (item.state, item.text) == ("overdue", "答复是否受理已逾期1天")  # chased like any late reply
    assert [r.case_no for r in cases.page(ctx, CaseFilter(due="overdue"))] == [case_no]
    referrals.accept(ctx, case_id, dt.date(2026, 3, 12), "王站长")
    after = referrals.get(ctx, case_id)
    assert "转介后第2天答复，超过1日答复期" in after.timeline[-1].note
    assert rules.current_deadline(after) is None  # no lawyer to assign: that is legal aid's clock
    with pytest.raises(ValidationError):
        referrals.conclude(ctx, case_id, "调解结案", "", dt.date(2026, 3, 12))  # a legal-aid result
    referrals.conclude(ctx, case_id, "已提供帮助", "入住七日后由娘家接回", dt.date(2026, 3, 12))
    assert referrals.get(ctx, case_id).result == "已提供帮助"


def test_the_organisation_must_give_the_service_she_is_referred_for(ctx: Context) -> None:
    centre_id = organisations.directory(ctx, service="法律援助")[0].id
    assert centre_id is not None
    with pytest.raises(ValidationError) as e:
        referrals.refer(ctx, to_service(ctx, "医院（验伤）", centre_id, ["验伤"]))
    assert e.value.errors["organisation"] == "“县法律援助中心”在机构名录中提供的是法律援助，请选择提供医院（验伤）的机构"
    with pytest.raises(ValidationError) as e:
        organisations.save(ctx, Organisation(name="县人民医院", kind="律师事务所", service="医院（验伤）"))
    assert "kind" in e.value.errors
    hospital = organisations.save(ctx, Organisation(name="县人民医院", kind="医院", service="医院（验伤）"))
    assert [o.name for o in organisations.directory(ctx, service="医院（验伤）")] == ["县人民医院"]
    assert hospital not in [o.id for o in organisations.directory(ctx, service="法律援助")]


def test_the_letter_is_printed_in_the_services_wording(ctx: Context) -> None:
    org = shelter(ctx)
    case_id, case_no = referrals.refer(ctx, to_service(
        ctx, "庇护所/救助管理站", org, ["临时庇护", "生活救助"], consent=Consent(on=dt.date(2026, 3, 10)),
        victim_of=["家庭暴力"], papers=["身份证", "告诫书或报警回执"]))
    pdf, name = printing.print_case(ctx, case_id)
    assert name == "临时庇护转介函_刘春梅_2026-03-10.pdf"
    pages = page_texts(pdf)
    assert len(pages) == 1  # the letter and its receipt; the legal-aid summary is legal aid's
    text = flat(pages[0])
    assert "临时庇护转介函" in text and "县救助管理站：" in text
    assert "随函移送材料：身份证、告诫书或报警回执" in text and "个人诚信承诺" not in text
    assert "需要贵单位提供的帮助为：临时庇护、生活救助" in text
    assert "依照《中华人民共和国反家庭暴力法》第十八条的规定，请为其提供临时庇护和生活帮助。" in text
    assert "不向加害人及其亲属透露" in text and "收到本函后当日安排，并于次日" in text
    assert "法律援助" not in text and "七日" not in text
    assert "已接收并提供帮助" in text and case_no in text
    assert [e.title for e in case_documents.list_documents(ctx, case_id)][0] == "临时庇护转介函"

    police = organisations.save(ctx, Organisation(name="东山派出所", kind="派出所", service="派出所"))
    pid, _ = referrals.refer(ctx, to_service(ctx, "派出所", police, ["出具告诫书"], consent=Consent(on=dt.date(2026, 3, 10))))
    text = flat(page_texts(printing.print_case(ctx, pid)[0])[0])
    assert "派出所转介函" in text and "对加害人视情节出具告诫书" in text and "自收到本函之日起3日内" in text


def test_legal_aid_stays_as_it_was(ctx: Context) -> None:
    from .test_referrals import direct

    case_id, _ = referrals.refer(ctx, direct(ctx, consent=Consent(on=dt.date(2026, 3, 10))))
    r = referrals.get(ctx, case_id)
    assert r.service == "法律援助" and r.legal_aid
    assert referrals.list_summary(r).startswith("法律援助·劳动·")
    pdf, name = printing.print_case(ctx, case_id)
    assert name.startswith("法律援助转介函_") and len(page_texts(pdf)) == 2


def test_a_petition_referred_to_a_shelter_keeps_its_handling_and_is_linked(ctx: Context) -> None:
    pid = petition(ctx)
    org = shelter(ctx)
    form = referrals.form_from_petition(ctx, pid, "庇护所/救助管理站")
    assert form.service == "庇护所/救助管理站" and form.help_kinds == []
    form.organisation, form.help_kinds = organisations.get(ctx, org), ["临时庇护"]
    case_id, case_no = referrals.refer_from_petition(ctx, pid, form)
    from fulian_desktop.services import petitions

    p = petitions.get(ctx, pid)
    assert p.status == "registered" and not p.handling  # a shelter is help alongside, not the petition's handling
    assert (case_id, case_no, "referral") in p.links
    assert p.timeline[-1].action == "转介（庇护所/救助管理站）" and case_no in p.timeline[-1].note
