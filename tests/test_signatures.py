"""Signatures on screen (issue 21): the parties of a mediation agreement sign with the mouse (as with a pen tablet or a
touch screen) in the 当场签名 dialog; the signature is kept with who signed, when and the hash of the agreement's text
as signed, and printed on the party's line of the 调解协议书; once the agreement's text is corrected the earlier
signature no longer prints. Every person here is made up."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from fulian_desktop.domain.attachments import text_hash
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.gui.mediation.mediation_view import MediationView
from fulian_desktop.services import mediations, printing, signatures
from fulian_desktop.services.context import Context

from .test_mediations import closed_case


def images_on(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return sum(1 for page in doc for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    finally:
        doc.close()


def draw(qtbot, pad, points: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    """A stroke with the mouse: press, move through the points, release."""
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(pad, QPoint(*p))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def test_a_party_signs_the_agreement_on_screen_and_it_prints_on_her_line(qtbot, ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = closed_case(ctx, clock)
    before = images_on(printing.print_document(ctx, case_id, "agreement")[0])
    view = MediationView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    assert view.sign_button.isEnabled()
    [agreement_action, *_] = view.sign_menu.actions()
    assert agreement_action.text() == "调解协议书（已签0/2人）"
    agreement_action.trigger()
    d = view.last_sign_dialog
    assert d.isVisible() and d.who.count() == 2 and d.who.itemText(0).startswith("申请人 张丽")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # nothing signed yet
    assert d.isVisible() and d.form.boxes["signature"].message.text() == "请在签名框中签名"
    pad = d.pad
    draw(qtbot, pad, [(40, 100), (80, 60), (120, 110), (160, 50), (220, 100)])
    draw(qtbot, pad, [(250, 60), (300, 110)])
    assert not pad.is_empty()
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    [s] = signatures.of_case(ctx, case_id, "mediation.agreement")
    assert (s.signer, s.staff, s.signed_at) == ("张丽", "测试员", ctx.now())
    assert s.text_sha256 == text_hash(signatures.document_text(ctx, case_id, "mediation.agreement"))
    img = Image.open(io.BytesIO(s.image))
    assert img.mode == "RGBA" and img.getpixel((0, 0))[3] == 0  # transparent around the strokes
    assert view.sign_menu.actions()[0].text() == "调解协议书（已签1/2人）"

    pdf = printing.print_document(ctx, case_id, "agreement")[0]
    assert images_on(pdf) == before + 3  # her line on each of the three copies (two parties, the committee)
    dossier = printing.print_case(ctx, case_id)[0]
    assert images_on(dossier) >= 1

    m = mediations.get(ctx, case_id)
    assert m.agreement is not None
    changed = m.agreement.items[0].content + "（补充）"
    from dataclasses import replace

    items = [replace(m.agreement.items[0], content=changed), *m.agreement.items[1:]]
    mediations.correct_agreement(ctx, case_id, replace(m.agreement, items=items), reason="补充条款")
    assert not signatures.still_current(ctx, s)
    assert images_on(printing.print_document(ctx, case_id, "agreement")[0]) == before  # signed another text
    view.reload()
    assert view.sign_menu.actions()[0].text() == "调解协议书（已签0/2人）"  # to be signed again


def test_a_signature_needs_a_signer_and_a_picture(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = closed_case(ctx, clock)
    with pytest.raises(ValidationError) as e:
        signatures.sign(ctx, case_id, "mediation.agreement", "party:1", " ", b"")
    assert set(e.value.errors) == {"signer", "signature"}
    with pytest.raises(ValidationError):
        signatures.sign(ctx, case_id, "mediation.agreement", "party:1", "张丽", b"GIF89a")


def test_her_consent_signed_on_screen_and_the_papers_attached_are_on_the_referral_letter(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context) -> None:
    from fulian_desktop.domain.referral import Consent
    from fulian_desktop.gui.referrals.referral_view import ReferralView
    from fulian_desktop.services import attachments, referrals

    from .attachment_files import phone_photo, scanned_letter
    from .test_referrals import direct, flat, page_texts

    case_id, _ = referrals.refer(ctx, direct(ctx, consent=Consent(on=ctx.today())))
    plain = printing.print_case(ctx, case_id)[0]
    before = flat("".join(page_texts(plain)))
    assert "□证据材料" in before and "□其他：附" in before and images_on(plain) == 0
    for name, kind, note in (("身份证.png", "身份证明", "身份证正反面"), ("伤.jpg", "照片", "伤情照片"),
                             ("信.png", "来信原件", "求助信")):
        data = phone_photo(800, 600) if name.endswith(".jpg") else scanned_letter(400, 300)
        attachments.attach(ctx, case_id, attachments.Incoming(name, data), attachments.Details(kind, note))
    view = ReferralView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.sign_button, Qt.MouseButton.LeftButton)
    d = view.last_sign_dialog
    assert d.isVisible() and d.who.itemText(0) == "申请人 陈秀英"
    draw(qtbot, d.pad, [(30, 90), (90, 50), (150, 100), (230, 60)])
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    [s] = signatures.of_case(ctx, case_id, "referral.consent")
    assert s.signer == "陈秀英" and signatures.still_current(ctx, s)

    pdf = printing.print_case(ctx, case_id)[0]
    text = flat("".join(page_texts(pdf)))
    assert "随函移送材料：√身份证" in text and "√证据材料" in text and "√其他：来信原件（求助信）" in text
    assert images_on(pdf) == 1  # her signature on the 申请人 line of the summary
    assert "申请人（签名或捺印）：2026年3月10日" in text
