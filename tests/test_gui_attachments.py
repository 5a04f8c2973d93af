"""A clerk attaches papers to a case on its page, with the real widgets: a file dropped onto the page, files chosen
with 添加附件, a screenshot pasted; she sees their thumbnails, opens a photo (zoom, rotate the view) and a PDF (page
through), removes one with a reason, and is told in words when a file cannot be taken. Every person here is made
up."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from fulian_desktop.gui.cases.attachment_viewer import AttachmentViewer
from fulian_desktop.gui.cases.attachments_section import AttachDialog
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.services import attachments, petitions
from fulian_desktop.services.context import Context

from .attachment_files import phone_photo, scanned_letter, signed_agreement
from .qt_input import drop, type_text
from .test_petition_course import form


@pytest.fixture
def page(qtbot, ctx: Context) -> PetitionView:  # type: ignore[no-untyped-def]
    case_id, _ = petitions.register(ctx, form())
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    return view


def the_dialog(view: PetitionView) -> AttachDialog:
    d = view.attachments.last_dialog  # type: ignore[union-attr]
    assert isinstance(d, AttachDialog) and d.isVisible()
    return d


def test_a_photo_dropped_on_the_page_is_described_and_shown(qtbot, page: PetitionView, ctx: Context,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    photo = tmp_path / "IMG_2031.jpg"
    photo.write_bytes(phone_photo(1600, 1200))
    assert page.acceptDrops()
    drop(page, [photo])
    d = the_dialog(page)
    assert d.keep_original.isVisibleTo(d)  # a photo: keeping the original is offered
    d.kind.setFocus()
    d.kind.setCurrentIndex(d.kind.findText("照片"))
    d.note.setFocus()
    type_text(qtbot, d.note, "左臂伤情")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    section = page.attachments
    assert section is not None and section.list.count() == 1
    item = section.list.item(0)
    assert item.text() == "照片\n左臂伤情" and not item.icon().isNull()
    assert "附件（1）" in section.title.text()
    [a] = attachments.of_case(ctx, page.case_id)
    assert (a.kind, a.note, a.width, a.height) == ("照片", "左臂伤情", 1200, 1600)  # turned upright
    assert any("添加附件" in page.timeline.item(i).text() for i in range(page.timeline.count()))


def test_files_chosen_with_the_button_and_a_bad_one_said_in_words(qtbot, page: PetitionView, ctx: Context,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path, said: list[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    letter, agreement = tmp_path / "来信.png", tmp_path / "协议.pdf"
    letter.write_bytes(scanned_letter())
    agreement.write_bytes(signed_agreement(3))
    monkeypatch.setattr(dialogs, "open_paths", lambda *_a: [str(letter), str(agreement)])
    section = page.attachments
    assert section is not None
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    d = the_dialog(page)
    d.kind.setCurrentIndex(d.kind.findText("来信原件"))
    d.received.setFocus()
    d.received.selectAll()
    qtbot.keyClicks(d.received, "20260311")  # tomorrow: refused beside the field, nothing added
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and d.form.boxes["received_on"].message.text() == "收到日期不能晚于今天"
    assert attachments.of_case(ctx, page.case_id) == []
    d.received.selectAll()
    qtbot.keyClicks(d.received, "20260302")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible() and section.list.count() == 2
    assert [a.kind for a in attachments.of_case(ctx, page.case_id)] == ["来信原件", "来信原件"]

    movie = tmp_path / "录像.mp4"
    movie.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"0" * 64)
    monkeypatch.setattr(dialogs, "open_paths", lambda *_a: [str(movie)])
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert said == ["不能添加“录像.mp4”：只能添加图片（JPG、PNG、HEIC、TIFF、BMP）、PDF、Word、WPS、Excel、OFD和文本文件"]
    assert section.last_dialog is d and not d.isVisible()  # no dialog for a file that cannot be taken
    assert section.list.count() == 2


def test_a_screenshot_is_pasted(qtbot, page: PetitionView, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    shot = QImage(640, 400, QImage.Format.Format_RGB32)
    shot.fill(QColor("#2e7d32"))
    QApplication.clipboard().setImage(shot)
    section = page.attachments
    assert section is not None
    qtbot.mouseClick(section.paste_button, Qt.MouseButton.LeftButton)
    d = the_dialog(page)
    d.note.setFocus()
    type_text(qtbot, d.note, "微信聊天记录截图")
    qtbot.keyClick(d.note, Qt.Key.Key_Return)  # Enter presses 确定
    [a] = attachments.of_case(ctx, page.case_id)
    assert a.media == "image/png" and (a.width, a.height) == (640, 400) and a.note == "微信聊天记录截图"
    img = Image.open(io.BytesIO(attachments.content(ctx, a.id)))
    assert img.getpixel((10, 10))[:3] == (0x2E, 0x7D, 0x32)


def test_the_viewer_zooms_and_turns_a_photo_and_pages_through_a_pdf(qtbot, page: PetitionView,  # type: ignore[no-untyped-def]
                                                                    ctx: Context) -> None:
    photo = attachments.attach(ctx, page.case_id, attachments.Incoming("伤情.png", scanned_letter(800, 600)),
                               attachments.Details("照片", "伤情"))
    pdf = attachments.attach(ctx, page.case_id, attachments.Incoming("协议.pdf", signed_agreement(3)),
                             attachments.Details("协议原件"))
    section = page.attachments
    assert section is not None
    section.reload()
    first = section.list.item(0)
    rect = section.list.visualItemRect(first)
    qtbot.mouseClick(section.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click:
    qtbot.mouseDClick(section.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # press, then again
    viewer = section.viewer
    assert isinstance(viewer, AttachmentViewer) and viewer.isVisible() and viewer.attachment.id == photo
    view = viewer.image_view
    assert view is not None
    before = view.transform().m11()
    qtbot.mouseClick(viewer.zoom_in, Qt.MouseButton.LeftButton)
    assert view.transform().m11() == pytest.approx(before * 1.25)
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # Ctrl+- as 缩小
    assert view.transform().m11() == pytest.approx(before)
    qtbot.mouseClick(viewer.rotate_button, Qt.MouseButton.LeftButton)
    assert view.rotation == 90 and view.transform().m12() != 0
    viewer.close()

    second = section.list.item(1)
    section.list.setCurrentItem(second)
    section.list.setFocus()
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    viewer = section.viewer
    assert viewer is not None and viewer.attachment.id == pdf and viewer.pdf_view is not None
    assert viewer.page_label.text() == "第 1 页，共 3 页" and not viewer.previous_page.isEnabled()
    qtbot.mouseClick(viewer.next_page, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.next_page, Qt.MouseButton.LeftButton)
    assert viewer.page_label.text() == "第 3 页，共 3 页" and not viewer.next_page.isEnabled()
    viewer.close()


def test_removing_one_needs_a_reason(qtbot, page: PetitionView, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    attachments.attach(ctx, page.case_id, attachments.Incoming("错.png", scanned_letter(300, 300)),
                       attachments.Details())
    section = page.attachments
    assert section is not None
    section.reload()
    rect = section.list.visualItemRect(section.list.item(0))
    qtbot.mouseClick(section.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert d is not None and d.isVisible()
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert d.isVisible() and d.form.boxes["reason"].message.text() == "请写明删除的原因"  # type: ignore[attr-defined]
    box = d.findChild(QPlainTextEdit)
    box.setFocus()
    type_text(qtbot, box, "误传到这件案件")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not d.isVisible() and section.list.count() == 0
    [gone] = attachments.of_case(ctx, page.case_id, with_removed=True)
    assert gone.removed_reason == "误传到这件案件"


def test_a_clerk_without_the_right_sees_but_cannot_add(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id, _ = petitions.register(ctx, form())
    attachments.attach(ctx, case_id, attachments.Incoming("来信.png", scanned_letter(300, 300)),
                       attachments.Details("来信原件"))
    ctx.roles = frozenset({"mediator"})  # reads petitions
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    section = view.attachments
    assert section is not None and section.list.count() == 1
    assert not section.add_button.isVisible() and not view.acceptDrops()


def test_the_page_still_fits_a_small_screen(qtbot, page: PetitionView) -> None:  # type: ignore[no-untyped-def]
    page.resize(1366, 640)
    section = page.attachments
    assert section is not None
    assert section.list.height() >= 100 and page.timeline.height() >= 80



def test_a_word_document_opens_in_the_system_program_from_a_copy_deleted_afterwards(  # type: ignore[no-untyped-def]
        qtbot, page: PetitionView, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from fulian_desktop.gui.cases import attachment_viewer

    from .attachment_files import word_document

    opened: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    attachments.attach(ctx, page.case_id, attachments.Incoming("起诉状.docx", word_document()),
                       attachments.Details("其他"))
    section = page.attachments
    assert section is not None
    section.reload()
    section.list.setCurrentRow(0)
    section.list.setFocus()
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    [copy] = opened
    assert copy.name == "0001_其他_起诉状.docx" and copy.read_bytes() == word_document()
    assert section.viewer is None  # not a viewer: the system's program
    attachment_viewer.sweep_leftovers()  # what the program does when it closes
    assert not copy.exists() and not copy.parent.exists()


def test_the_director_exports_the_case_with_chosen_attachments_as_one_pdf(qtbot, page: PetitionView,  # type: ignore[no-untyped-def]
                                                                          ctx: Context) -> None:
    import pypdfium2 as pdfium

    from fulian_desktop.gui.shell.pdf_preview import PdfPreview
    from fulian_desktop.services import audit
    from fulian_desktop.store.audit import AuditFilter

    for name, kind in (("来信.png", "来信原件"), ("伤情.png", "照片")):
        attachments.attach(ctx, page.case_id, attachments.Incoming(name, scanned_letter(600, 800)),
                           attachments.Details(kind, name.split(".")[0]))
    attachments.attach(ctx, page.case_id, attachments.Incoming("协议.pdf", signed_agreement(2)),
                       attachments.Details("协议原件"))
    section = page.attachments
    assert section is not None
    section.reload()
    assert section.export_button.isVisible()
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    chosen = d.chosen  # type: ignore[union-attr]
    assert chosen.count() == 3
    rect = chosen.visualItemRect(chosen.item(1))
    qtbot.mouseClick(chosen.viewport(), Qt.MouseButton.LeftButton, pos=rect.topLeft() + QPoint(10, rect.height() // 2))
    assert chosen.item(1).checkState() == Qt.CheckState.Unchecked  # not the photo
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    preview = section.preview
    assert isinstance(preview, PdfPreview) and preview.isVisible() and preview.suggested_name.endswith("_含附件.pdf")
    doc = pdfium.PdfDocument(preview.pdf)
    try:
        texts = [doc[i].get_textpage().get_text_range().replace("\r\n", "") for i in range(len(doc))]
    finally:
        doc.close()
    listing = next(t for t in texts if "附件目录" in t)
    assert "来信原件" in listing and "协议原件" in listing and "伤情" not in listing
    from fulian_desktop.services import printing

    form_pages = len(pdfium.PdfDocument(printing.print_case(ctx, page.case_id)[0]))
    assert len(texts) == form_pages + 1 + 1 + 2  # the form, the list, the letter, the agreement's two pages
    assert any(e.event == "case.export" for e in audit.page(ctx, AuditFilter(case_id=page.case_id)))
    preview.close()

    ctx.roles = frozenset({"window"})  # a clerk: no export
    other = PetitionView(ctx, page.case_id)
    qtbot.addWidget(other)
    assert other.attachments is not None and not other.attachments.export_button.isVisibleTo(other)


def test_a_visit_has_its_own_attachments_and_the_household_its_photo_tab(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from fulian_desktop.gui.households.household_view import HouseholdView
    from fulian_desktop.services import households

    from .test_households import a_household, a_visit

    case_id, _ = households.register(ctx, a_household(ctx))
    visit_id = households.log_visit(ctx, case_id, a_visit(dt.date(2026, 3, 10))).visit_id
    view = HouseholdView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    assert view.attachments is not None and view.side.tabText(view.side.count() - 1) == "附件"
    view.visits.setCurrentCell(0, 0)
    qtbot.mouseClick(view.visit_attachments_button, Qt.MouseButton.LeftButton)
    d = view.last_visit_attachments
    section = d.section
    assert d.isVisible() and section.visit_id == visit_id and section.list.count() == 0
    photo = tmp_path / "走访合影.jpg"
    photo.write_bytes(phone_photo(800, 600))
    monkeypatch.setattr(dialogs, "open_paths", lambda *_a: [str(photo)])
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    attach = section.last_dialog
    attach.kind.setCurrentIndex(attach.kind.findText("照片"))
    qtbot.mouseClick(attach.ok_button, Qt.MouseButton.LeftButton)
    assert section.list.count() == 1
    [a] = attachments.of_case(ctx, case_id, visit_id=visit_id)
    assert a.visit_id == visit_id and a.kind == "照片"
    view.attachments.reload()
    assert view.attachments.list.count() == 1  # the household's tab lists its visits' attachments too


def test_the_scanner_folder_is_chosen_once_and_shows_what_is_new(qtbot, page: PetitionView, ctx: Context,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from fulian_desktop.gui.cases.attachments_section import ScanDialog

    scans = tmp_path / "扫描"
    scans.mkdir()
    for name in ("scan0001.png", "scan0002.png"):
        (scans / name).write_bytes(scanned_letter(620, 877))
    (scans / "说明.ini").write_text("not a scan")  # not offered
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "folder_path", lambda *_a: asked.append("folder") or str(scans))
    section = page.attachments
    assert section is not None
    qtbot.mouseClick(section.scan_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert isinstance(d, ScanDialog) and d.isVisible() and asked == ["folder"]
    assert d.files.count() == 2 and "新扫描的文件共2个" in d.about.text()
    assert all(not d.files.item(i).icon().isNull() for i in range(2))
    qtbot.waitUntil(lambda: d.files.visualItemRect(d.files.item(1)) != d.files.visualItemRect(d.files.item(0)))
    rect = d.files.visualItemRect(d.files.item(1))
    qtbot.mouseClick(d.files.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # not this one
    assert [p.name for p in d.chosen()] == ["scan0001.png"]
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    attach = section.last_dialog
    assert isinstance(attach, AttachDialog) and attach.isVisible()
    attach.kind.setCurrentIndex(attach.kind.findText("来信原件"))
    qtbot.mouseClick(attach.ok_button, Qt.MouseButton.LeftButton)
    [a] = attachments.of_case(ctx, page.case_id)
    assert (a.name, a.kind) == ("scan0001.png", "来信原件")

    later = scans / "scan0003.png"  # scanned after the import
    later.write_bytes(scanned_letter(300, 400))
    future = max(p.stat().st_mtime for p in scans.iterdir()) + 60
    os.utime(later, (future, future))
    qtbot.mouseClick(section.scan_button, Qt.MouseButton.LeftButton)
    d = section.last_dialog
    assert isinstance(d, ScanDialog) and asked == ["folder"]  # the folder is remembered
    assert [d.files.item(i).text().split("\n")[0] for i in range(d.files.count())] == ["scan0003.png"]
    d.show_all.setChecked(True)
    assert d.files.count() == 3
    d.reject()


def test_thumbnails_are_made_once_while_the_page_is_open(qtbot, page: PetitionView, ctx: Context,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    real = attachments.thumbnail
    monkeypatch.setattr(attachments, "thumbnail", lambda c, i, side=160: made.append(i) or real(c, i, side))
    for n in range(3):
        attachments.attach(ctx, page.case_id, attachments.Incoming(f"{n}.png", scanned_letter(200 + n, 300)),
                           attachments.Details())
    section = page.attachments
    assert section is not None
    section.reload()
    section.reload()  # e.g. after adding another one
    assert sorted(made) == sorted(a.id for a in attachments.of_case(ctx, page.case_id))
