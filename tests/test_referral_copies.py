"""The referral letter with copies of the papers it sends (issue 21, 随函移送材料 "can append copies"): a clerk clicks
打印转介函 on a referral that has a scanned ID card, a photo and a signed PDF attached; she is asked whether the copies
go with the letter; with 附上复印件 the preview has the letter, its summary and after them each image on a page and
each PDF page, under 随函移送材料（复印件）, and the letter says how many copies follow and which files go as originals.
Every person here is made up."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.referral import Consent
from fulian_desktop.gui.referrals.referral_view import ReferralView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.pdf_preview import PdfPreview
from fulian_desktop.services import attachments, case_documents, printing, referrals
from fulian_desktop.services.context import Context

from .attachment_files import phone_photo, scanned_letter, signed_agreement, word_document
from .test_referrals import direct, flat, page_texts


def images_on(pdf: bytes, index: int) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return sum(1 for obj in doc[index].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    finally:
        doc.close()


@pytest.fixture
def case_id(ctx: Context) -> int:
    case_id, _ = referrals.refer(ctx, direct(ctx, consent=Consent(on=ctx.today())))
    return case_id


def attach_papers(ctx: Context, case_id: int) -> None:
    for name, data, kind, note in (("身份证.png", scanned_letter(600, 400), "身份证明", "身份证正反面"),
                                   ("伤.jpg", phone_photo(800, 600), "照片", "手臂伤情"),
                                   ("协议.pdf", signed_agreement(2), "协议原件", "分居协议"),
                                   ("说明.docx", word_document(), "其他", "情况说明")):
        attachments.attach(ctx, case_id, attachments.Incoming(name, data), attachments.Details(kind, note))


@pytest.fixture
def view(qtbot, ctx: Context, case_id: int) -> ReferralView:  # type: ignore[no-untyped-def]
    v = ReferralView(ctx, case_id)
    qtbot.addWidget(v)
    v.resize(1300, 700)
    v.show()
    return v


def test_the_clerk_prints_the_letter_with_copies_of_the_papers_after_it(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, case_id: int, view: ReferralView, monkeypatch: pytest.MonkeyPatch) -> None:
    attach_papers(ctx, case_id)
    asked: list[str] = []

    def answer(_parent, _title, text, options, default=0):  # type: ignore[no-untyped-def]
        asked.append(text)
        assert options == ("附上复印件", "只打印转介函", "取消") and default == 0
        return 0

    monkeypatch.setattr(dialogs, "choose", answer)
    letter_only: list[int] = []
    view.printRequested.connect(letter_only.append)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert asked and "3份附件" in asked[0] and not letter_only
    preview = view.last_preview
    assert isinstance(preview, PdfPreview) and preview.isVisible()
    assert preview.suggested_name.startswith("法律援助转介函（附移送材料复印件）_陈秀英_")
    plain = printing.print_case(ctx, case_id)[0]
    plain_pages = len(page_texts(plain))
    texts = [flat(t) for t in page_texts(preview.pdf)]
    assert len(texts) == plain_pages + 1 + 1 + 2  # the letter and summary, the ID card, the photo, the PDF's pages
    assert "附：随函移送材料复印件3份（附后）；另有1份（Word、Excel等文件）以原文件提供" in texts[0]
    assert "√身份证" in texts[0] and "√证据材料" in texts[0]
    copies = texts[plain_pages:]
    assert all("随函移送材料（复印件）" in t for t in copies)
    assert "身份证明：身份证正反面" in copies[0] and "照片：手臂伤情" in copies[1]
    assert "协议原件：分居协议" in copies[2]
    assert all(images_on(preview.pdf, plain_pages + i) == 1 for i in range(4))  # each page a copy (the PDF's drawn)
    assert "附：随函移送材料复印件" not in flat("".join(page_texts(plain)))  # the letter alone says nothing of copies
    preview.close()


def test_she_may_print_the_letter_alone_or_not_at_all(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, case_id: int, view: ReferralView, monkeypatch: pytest.MonkeyPatch) -> None:
    attach_papers(ctx, case_id)
    answers = [1, 2]
    monkeypatch.setattr(dialogs, "choose", lambda *_a, **_k: answers.pop(0))
    letter_only: list[int] = []
    view.printRequested.connect(letter_only.append)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)  # 只打印转介函: the window prints it as before
    assert letter_only == [case_id] and view.last_preview is None
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)  # 取消
    assert letter_only == [case_id] and view.last_preview is None


def test_without_attached_papers_the_letter_prints_without_a_question(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, case_id: int, view: ReferralView, monkeypatch: pytest.MonkeyPatch) -> None:
    attachments.attach(ctx, case_id, attachments.Incoming("说明.docx", word_document()),
                       attachments.Details("其他", "情况说明"))  # a Word file: nothing to copy onto pages
    monkeypatch.setattr(dialogs, "choose", lambda *_a, **_k: pytest.fail("asked with nothing to copy"))
    letter_only: list[int] = []
    view.printRequested.connect(letter_only.append)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert letter_only == [case_id]


def test_the_command_line_lists_and_prints_the_letter_with_copies(ctx: Context, case_id: int) -> None:
    entries = case_documents.list_documents(ctx, case_id)
    entry = case_documents.find(entries, "转介函（附移送材料复印件）")
    with pytest.raises(Exception, match="没有可以附上复印件的附件"):
        case_documents.print_entry(ctx, case_id, entry)
    attach_papers(ctx, case_id)
    pdf, name = case_documents.print_entry(ctx, case_id, entry)
    assert name.startswith("法律援助转介函（附移送材料复印件）") and "随函移送材料（复印件）" in flat(page_texts(pdf)[-1])
