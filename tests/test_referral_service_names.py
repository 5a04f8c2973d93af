"""A referral to a service other than legal aid reads as the service it is wherever it is named: its number is
转介〔2026〕第0001号 (援转 is legal aid's; one counter for both, so no number is given twice and old ones stay), and the
petition's 相关案件, her person page and the printed 情况证明 name the service instead of 法律援助转介."""

from __future__ import annotations

from fulian_desktop.domain.referral import Consent
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import cases, organisations, petitions, protection, referrals
from fulian_desktop.services import protection_orders as orders
from fulian_desktop.services.context import Context
from fulian_desktop.store import case_documents as kept

from .test_referrals import completed, petition
from .test_service_referrals import shelter


def refer_both(ctx: Context) -> tuple[int, int, str, int, str]:
    """Her DV petition referred to the county's shelter, then to legal aid."""
    pid = petition(ctx)
    form = referrals.form_from_petition(ctx, pid, "庇护所/救助管理站")
    form.organisation, form.help_kinds = organisations.get(ctx, shelter(ctx)), ["临时庇护"]
    form.consent = Consent(on=ctx.today())
    shelter_id, shelter_no = referrals.refer_from_petition(ctx, pid, form)
    form = completed(ctx, referrals.form_from_petition(ctx, pid, "法律援助"))
    form.consent = Consent(on=ctx.today())
    legal_id, legal_no = referrals.refer_from_petition(ctx, pid, form, accept_petition=True)
    return pid, shelter_id, shelter_no, legal_id, legal_no


def test_a_referral_to_another_service_is_numbered_and_named_as_that_service(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context) -> None:  # noqa: F811
    pid, shelter_id, shelter_no, legal_id, legal_no = refer_both(ctx)
    year = ctx.today().year
    assert shelter_no == f"转介〔{year}〕第0001号" and legal_no == f"援转〔{year}〕第0002号"
    # the number as she remembers it, either prefix, finds it
    assert cases.id_for_number(ctx, f"转介[{year}]第1号") == shelter_id
    assert cases.id_for_number(ctx, f"援转〔{year}〕第0001号") == shelter_id
    assert cases.id_for_number(ctx, f"援转〔{year}〕第2号") == legal_id

    view = window.open_case(pid)
    assert isinstance(view, PetitionView)
    related = [view.related.item(i).text() for i in range(view.related.count())]
    assert f"关联：{shelter_no}（转介（庇护所/救助管理站））" in related
    assert f"关联：{legal_no}（法律援助转介）" in related

    woman = petitions.get(ctx, pid).woman.id
    assert woman is not None
    shown = {c.case_no: c.kind_label for c in protection.person_picture(ctx, woman).cases}
    assert shown[shelter_no] == "转介（庇护所/救助管理站）" and shown[legal_no] == "法律援助转介"

    proof = kept.get(ctx.db, orders.situation_proof(ctx, pid))
    assert proof is not None
    records = proof.content["sections"][0][1]  # type: ignore[index]
    assert f"转介（庇护所/救助管理站）登记（编号：{shelter_no}）" in records
    assert f"法律援助转介登记（编号：{legal_no}）" in records
