"""Her own papers on 当事人全貌 (issue 21: a person's attachments, e.g. an ID-card copy kept on her and not on one
case): from one of her cases the clerk opens 当事人全貌, drops the scanned ID card onto 她本人的证件和材料, describes it,
sees its thumbnail, opens it, and finds it again from her other case; removing it needs a reason. The case's own 附件
do not list it. Every person here is made up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from fulian_desktop.gui.cases.attachment_viewer import AttachmentViewer
from fulian_desktop.gui.cases.attachments_section import AttachDialog, AttachmentsSection
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.protection.person_page import PersonPage
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.services import attachments, audit, protection
from fulian_desktop.services.context import Context
from fulian_desktop.store.audit import AuditFilter

from .attachment_files import scanned_letter
from .qt_input import drop, type_text
from .test_gui_protection import HER_ID, dv_petition


def person_page(qtbot, ctx: Context, case_id: int) -> PersonPage:  # type: ignore[no-untyped-def]
    view = PetitionView(ctx, case_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.person_button, Qt.MouseButton.LeftButton)
    page = view.person_page
    assert isinstance(page, PersonPage) and page.isVisible()
    return page


def test_her_id_card_copy_is_added_on_her_person_page_and_seen_from_her_other_case(  # type: ignore[no-untyped-def]
        qtbot, office_app, ctx: Context, tmp_path: Path) -> None:
    first = dv_petition(ctx, id_number=HER_ID)
    second = dv_petition(ctx, id_number=HER_ID)  # she comes again: the same person on file
    person_id = protection.person_of(ctx, first)
    assert person_id is not None and protection.person_of(ctx, second) == person_id

    page = person_page(qtbot, ctx, first)
    papers = page.papers
    assert isinstance(papers, AttachmentsSection) and papers.isVisibleTo(page)
    assert "她本人的证件和材料" in papers.title.text() and "还没有" in papers.title.text()
    assert not papers.export_button.isVisibleTo(page)  # the export is a case's
    scan = tmp_path / "身份证正反面.png"
    scan.write_bytes(scanned_letter(600, 400))
    drop(papers, [scan], 20, 20)
    d = papers.last_dialog
    assert isinstance(d, AttachDialog) and d.isVisible()
    assert d.kind.currentText() == "身份证明"  # what a person's paper usually is
    d.note.setFocus()
    type_text(qtbot, d.note, "身份证复印件")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    assert papers.list.count() == 1 and papers.list.item(0).text() == "身份证明\n身份证复印件"
    assert not papers.list.item(0).icon().isNull() and "她本人的证件和材料（1）" in papers.title.text()
    [a] = attachments.of_person(ctx, person_id)
    assert (a.kind, a.note, a.case_id, a.person_id) == ("身份证明", "身份证复印件", None, person_id)

    # opened with Enter: the program's own viewer
    papers.list.setCurrentRow(0)
    papers.list.setFocus()
    qtbot.keyClick(papers.list, Qt.Key.Key_Return)
    assert isinstance(papers.viewer, AttachmentViewer) and papers.viewer.isVisible()
    assert papers.viewer.attachment.id == a.id
    papers.viewer.close()

    # kept on her, not on the case: the case's 附件 do not list it; her other case's person page shows it
    assert attachments.of_case(ctx, first) == []
    other = person_page(qtbot, ctx, second)
    assert other.papers is not None and other.papers.list.count() == 1


def test_her_paper_is_added_with_the_button_and_removed_with_a_reason(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = dv_petition(ctx)
    person_id = protection.person_of(ctx, case_id)
    assert person_id is not None
    page = person_page(qtbot, ctx, case_id)
    papers = page.papers
    assert papers is not None
    scan = tmp_path / "hukou.png"
    scan.write_bytes(scanned_letter(400, 300))
    monkeypatch.setattr(dialogs, "open_paths", lambda *_a: [str(scan)])
    qtbot.mouseClick(papers.add_button, Qt.MouseButton.LeftButton)
    d = papers.last_dialog
    assert isinstance(d, AttachDialog)
    d.kind.setCurrentIndex(d.kind.findText("其他"))
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible() and papers.list.count() == 1

    rect = papers.list.visualItemRect(papers.list.item(0))
    qtbot.mouseClick(papers.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(papers.remove_button, Qt.MouseButton.LeftButton)
    r = papers.last_dialog
    assert r is not None and r.isVisible()
    assert any("当事人全貌上不再显示" in label.text() for label in r.findChildren(QLabel))
    qtbot.mouseClick(r.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert r.isVisible() and r.form.boxes["reason"].message.text() == "请写明删除的原因"  # type: ignore[attr-defined]
    box = r.findChild(QPlainTextEdit)
    box.setFocus()
    type_text(qtbot, box, "不是她的户口簿")
    qtbot.mouseClick(r.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not r.isVisible() and papers.list.count() == 0 and "还没有" in papers.title.text()
    assert attachments.of_person(ctx, person_id) == []
    removed = ctx.db.execute("SELECT removed_reason FROM attachments WHERE person_id = ?", [person_id]).fetchall()
    assert [tuple(x) for x in removed] == [("不是她的户口簿",)]
    [logged] = [e for e in audit.page(ctx, AuditFilter()) if e.operation == "attachments.remove"]
    assert "原因：不是她的户口簿" in audit.describe(logged)
