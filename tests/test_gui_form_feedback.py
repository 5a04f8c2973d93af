"""What a form says back as a clerk fills it in, driven with keys and clicks: a message next to a field goes
as soon as she has corrected it (without saving again) and the field keeps its size and look, with only a
red frame round it; 具体类别 家庭暴力 ticks the 家庭暴力 box (the domain agrees, for imports too); the card of
a person already on file; buttons that look like every other button; a table that highlights only the row
chosen. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton, QWidget

from fulian_desktop.domain import petition as petition_rules
from fulian_desktop.domain import referral as referral_rules
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.mediation import Mediation, Mediator, Party
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.backup.backup_dialog import BackupDialog
from fulian_desktop.gui.backup.restore_dialog import RestoreDialog
from fulian_desktop.gui.mediation.mediation_view import MediationView
from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.widgets import FieldBox, is_marked_invalid
from fulian_desktop.reports import reading
from fulian_desktop.services import exchange, mediations, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text

ID = make_id_number("439021", dt.date(1990, 5, 6), 12, female=True)


def pick(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose `text` with the keyboard: focus the drop-down, Home, then Down until it shows."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, f"{text} not offered"


def click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def look(box: FieldBox) -> QImage:
    """The field as it is on the screen, with whatever is drawn over it."""
    return box.grab(box.editor.geometry()).toImage()


def inside(image: QImage, margin: int = 3) -> QImage:
    return image.copy(QRect(margin, margin, image.width() - 2 * margin, image.height() - 2 * margin))


def is_red(image: QImage, x: int, y: int) -> bool:
    c = image.pixelColor(x, y)
    return c.red() > 140 and c.green() < 110 and c.blue() < 110


def new_petition(qtbot, window: MainWindow) -> PetitionForm:  # type: ignore[no-untyped-def]
    form = window.new_petition()
    qtbot.waitUntil(form.isVisible)
    return form


# --- 6: a message goes as soon as the field is right; the field keeps its size and look ---------------


def test_messages_go_as_the_fields_are_corrected_and_fields_keep_their_look(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = new_petition(qtbot, window)
    form.resize(860, 560)  # scrolled from the start: the messages' room does not bring a scroll bar
    p = form.petitioner
    type_text(qtbot, p.name, "李喆")
    qtbot.keyClicks(p.phone, "1380013800")  # one digit short
    qtbot.keyClicks(p.birth_date, "2030-01-01")  # in the future
    channel, phone = form.form.boxes["channel"], p.form.boxes["phone"]
    form.facts.setFocus()  # no focus frame on the fields compared below
    before = {box: (look(box), box.editor.size(), box.editor.sizeHint()) for box in (channel, phone)}

    click(qtbot, form.save_button)
    assert form.isVisible()
    assert "请选择信访方式" in channel.error() and "11位" in phone.error()
    assert "不能晚于今天" in p.form.boxes["birth_date"].error()
    assert "有7处需要修改" in form.summary.text()  # 方式, 乡镇, 类别, 经过, 诉求, 出生日期, 电话
    form.facts.setFocus()
    qtbot.wait(50)  # the form laid out again with the messages in it
    for box, (image, size, hint) in before.items():
        # the same widget, the same size, the same look inside: only a red frame drawn round it
        assert box.editor.styleSheet() == "" and box.editor.size() == size and box.editor.sizeHint() == hint
        assert is_marked_invalid(box.editor)
        now = look(box)
        assert now.size() == image.size()
        assert inside(now) == inside(image), "the field's own look changed"
        assert is_red(now, 0, now.height() // 2) and is_red(now, now.width() // 2, 0)

    # the phone corrected by typing the missing digit: its message goes at once, nothing saved
    p.phone.setFocus()
    qtbot.keyClick(p.phone, Qt.Key.Key_End)
    qtbot.keyClicks(p.phone, "0")
    qtbot.waitUntil(lambda: not phone.error())
    assert not phone.message.isVisible() and not is_marked_invalid(p.phone)
    assert "有6处需要修改" in form.summary.text()
    assert "不能晚于今天" in p.form.boxes["birth_date"].error()  # the others stay until corrected

    # still wrong while she types: the message stays (and says what is wrong now); right: it goes
    birth = p.form.boxes["birth_date"]
    p.birth_date.setFocus()
    p.birth_date.selectAll()
    qtbot.keyClicks(p.birth_date, "2031-01-01")
    qtbot.wait(20)
    assert "不能晚于今天" in birth.error()
    p.birth_date.selectAll()
    qtbot.keyClicks(p.birth_date, "1990-05-06")
    qtbot.waitUntil(lambda: not birth.error())

    # a drop-down chosen with the keyboard
    pick(qtbot, form.channel, "来访")
    qtbot.waitUntil(lambda: not channel.error())
    assert not is_marked_invalid(form.channel)

    # a field she empties after saving is not scolded while she types: that waits for 保存
    p.name.selectAll()
    qtbot.keyClick(p.name, Qt.Key.Key_Delete)
    qtbot.wait(20)
    assert not p.form.boxes["name"].error()
    click(qtbot, form.save_button)
    assert "请填写姓名" in p.form.boxes["name"].error()


def test_an_action_dialog_message_goes_when_the_field_is_changed(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    case_id, _no = petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), petitioner=Person(name="王小红", id_number=ID), concerned=None,
        headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
        facts="夫妻争吵。", request="希望调解。", dv=False, safety_risk=False, receiving_staff="李堃"))
    petitions.accept(ctx, case_id, ctx.today())
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)
    d = view.make_handle_dialog()
    d.open()
    click(qtbot, d.ok_button)  # no method chosen
    handling = d.form.boxes["handling"]
    assert d.isVisible() and "请选择办理方式" in handling.error() and is_marked_invalid(handling.editor)
    assert isinstance(handling.editor, QComboBox) and handling.editor.styleSheet() == ""
    pick(qtbot, handling.editor, "转办/交办")
    assert not handling.error() and not is_marked_invalid(handling.editor)
    click(qtbot, d.ok_button)
    agency = d.form.boxes["handling_agency"]
    assert "转往的单位" in agency.error()
    type_text(qtbot, agency.editor, "公安")
    assert not agency.error()
    click(qtbot, d.ok_button)
    assert not d.isVisible()


def test_a_wrong_member_id_number_is_framed_not_restyled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.action_new_household.trigger()
    form = window.last_household_form
    click(qtbot, form.members.add_button)
    edit = form.members.editor(0, "id_number")
    size = edit.size()
    qtbot.keyClicks(edit, ID[:-1] + ("1" if ID[-1] != "1" else "2"))
    edit.editingFinished.emit()
    assert edit.toolTip() and is_marked_invalid(edit)
    assert edit.styleSheet() == "" and edit.size() == size


# --- 11: 具体类别 家庭暴力 and the 家庭暴力 box are one fact --------------------------------------------


def test_the_dv_subcategory_ticks_and_holds_the_dv_box(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = new_petition(qtbot, window)
    dv = form.dv
    pick(qtbot, form.category, "婚姻家庭")
    pick(qtbot, form.subcategory, "离婚问题")
    assert not dv.isChecked() and dv.isEnabled()
    pick(qtbot, form.subcategory, "家庭暴力")
    assert dv.isChecked() and not dv.isEnabled() and "家庭暴力" in dv.toolTip()
    assert "随之勾选" in form.form.boxes["risks"].hint()
    qtbot.mouseClick(dv, Qt.MouseButton.LeftButton, pos=QPoint(8, dv.height() // 2))
    assert dv.isChecked(), "the category says it is domestic violence"
    pick(qtbot, form.subcategory, "家庭纠纷")
    assert not dv.isChecked() and dv.isEnabled() and not dv.toolTip()  # as she had left it
    qtbot.mouseClick(dv, Qt.MouseButton.LeftButton, pos=QPoint(8, dv.height() // 2))
    assert dv.isChecked()  # her own tick, for a family dispute with violence
    pick(qtbot, form.subcategory, "家庭暴力")
    pick(qtbot, form.subcategory, "家庭纠纷")
    assert dv.isChecked() and dv.isEnabled()


def test_the_dv_matter_ticks_the_dv_victim_box_in_a_referral(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.new_referral()
    form = window.findChildren(ReferralForm)[-1]
    victim = form.victim_of.boxes["家庭暴力"]
    pick(qtbot, form.matter, "家庭暴力")
    assert victim.isChecked() and not victim.isEnabled() and victim.toolTip()
    assert not form.means.isEnabled() and "第三十二条" in form.exemption.text()  # no means test for her
    pick(qtbot, form.matter, "离婚")
    assert not victim.isChecked() and victim.isEnabled() and form.means.isEnabled()


def test_the_rules_derive_the_dv_flag_for_the_service_and_imports(ctx: Context, tmp_path: Path) -> None:
    petition = Petition(
        channel="来访", received_on=ctx.today(), petitioner=Person(name="王小红"), concerned=None, headcount=1,
        township="东山镇", village="", category="婚姻家庭", subcategory="家庭暴力", facts="丈夫殴打。",
        request="申请保护令。", dv=False, safety_risk=False, receiving_staff="李堃")
    assert petition_rules.validate_petition(petition, ctx.today()).dv
    case_id, _no = petitions.register(ctx, petition)
    assert petitions.get(ctx, case_id).dv
    # a register without a 家庭暴力 column: the category says it
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["收到日期", "信访方式", "姓名", "乡镇", "问题类别", "具体问题", "事情经过", "诉求"])
    for i, sub in enumerate(("家庭暴力", "家庭纠纷")):
        ws.append([dt.date(2025, 5, 1 + i), "来访", f"导入{i}", "东山镇", "婚姻家庭", sub, "经过。", "诉求。"])
    wb.save(tmp_path / "台账.xlsx")
    source = exchange.read(tmp_path / "台账.xlsx")
    kind = reading.guess_kind(source.headers)
    report = exchange.import_rows(ctx, source, kind, reading.guess_mapping(kind, source.headers))
    assert report.new == 2
    flags = dict(ctx.db.execute("SELECT c.subcategory, p.dv FROM petitions p JOIN cases c ON c.id = p.case_id "
                                "WHERE c.id != ?", [case_id]).fetchall())
    assert flags == {"家庭暴力": 1, "家庭纠纷": 0}
    assert referral_rules.victims_implied("家庭暴力", []) == ["家庭暴力"]
    assert referral_rules.victims_implied("离婚", ["虐待"]) == ["虐待"]


# --- 12: the card of a person already on file ---------------------------------------------------------


def test_the_match_card_keeps_its_state_apart_from_the_wrapped_text(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        petitions.register(ctx, Petition(
            channel="来访", received_on=ctx.today() - dt.timedelta(days=40 * i), petitioner=Person(name="王小红"),
            concerned=None, headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
            facts="夫妻争吵。", request="希望妇联调解家庭矛盾，请求帮助她争取孩子的抚养权并分割共同财产。",
            dv=False, safety_risk=False, receiving_staff="李堃"))
    window.new_referral()
    form = window.findChildren(ReferralForm)[-1]
    form.resize(700, 700)  # narrower than usual: the cases wrap
    type_text(qtbot, form.applicant.name, "王小红")
    form.applicant.name.editingFinished.emit()
    qtbot.waitUntil(lambda: form.matches.isVisible())
    card = form.matches.cards[0]
    assert card.button.text() == "是同一人，关联" and card.state is None
    click(qtbot, card.button)
    card = form.matches.cards[0]
    qtbot.waitUntil(lambda: card.isVisible())
    assert card.button.text() == "取消关联" and card.state is not None and "已关联" in card.state.text()
    who, state, cases, button = (w.geometry() for w in (card.who, card.state, card.cases, card.button))
    # the state on a line of its own, under who she is and above her cases; the button beside who she is
    assert state.top() >= who.bottom() and state.top() >= button.bottom() and cases.top() >= state.bottom()
    assert state.left() == who.left() == cases.left() and button.left() > who.right()
    assert cases.width() > who.width(), "her cases use the whole width of the card"
    assert form.applicant.person_id is not None


# --- 14: buttons like every other button; a table that highlights only the chosen row ----------------


def test_the_mediation_print_button_has_one_arrow_and_the_others_height(qtbot, window: MainWindow, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    mediator = mediations.save_mediator(ctx, Mediator("王秀英", "13900139001", "专职调解员"))
    case_id, _no = mediations.open_mediation(ctx, Mediation(
        received_on=ctx.today(), source="当事人申请", dispute_type="婚姻", relationship="夫妻", township="东山镇",
        village="石桥村", facts="双方因家庭开支争吵。", request="请求调解。", registrar="周敏",
        parties=[Party(Person(name="张丽", sex="女"), "applicant", "务农"),
                 Party(Person(name="李强", sex="男"), "respondent", "建筑工人", 38)],
        mediator_ids=[mediator]))
    view = window.open_case(case_id)
    assert isinstance(view, MediationView)
    b = view.print_button
    assert isinstance(b, QPushButton) and b.text() == "打印" and b.menu() is view.print_menu
    assert b.height() == view.session_button.height()
    assert len(view.print_menu.actions()) > 3


def test_backup_and_restore_buttons_are_as_tall_as_any_other(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    class NoDrives:
        def removable(self) -> list:  # type: ignore[type-arg]
            return []

    ordinary = QPushButton("关闭").sizeHint().height()
    d = BackupDialog(ctx, drive_list=NoDrives())
    qtbot.addWidget(d)
    d.show()
    assert d.start_button.height() == d.close_button.height() == d.refresh_button.height() == ordinary
    r = RestoreDialog(ctx, ctx.path, drive_list=NoDrives())
    qtbot.addWidget(r)
    r.show()
    buttons = [b for b in r.findChildren(QPushButton) if b.isVisible()]
    assert buttons and {b.height() for b in buttons} == {ordinary}


def test_the_accounts_table_highlights_only_the_chosen_row(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.security is not None
    d = window.security.open_accounts()
    table = d.table
    qtbot.waitUntil(d.isVisible)
    table.setFocus(Qt.FocusReason.TabFocusReason)  # as when she tabs into it: Qt makes a first cell current
    qtbot.waitUntil(table.hasFocus)
    assert not table.selectedItems() and not d.roles_button.isEnabled()
    image = table.viewport().grab().toImage()
    first, second = (table.visualRect(table.model().index(0, c)) for c in (0, 1))
    assert image.pixelColor(first.center().x(), first.top() + 3) == image.pixelColor(second.center().x(),
                                                                                     second.top() + 3)
    # Down chooses the first row (not the second, after an unseen current cell), and the buttons come alive
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0] and d.roles_button.isEnabled()
    # a click on a cell chooses its whole row
    table.clearSelection()
    assert not d.roles_button.isEnabled()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(
        table.model().index(0, 2)).center())
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0] and d.roles_button.isEnabled()
    d.done(QDialog.DialogCode.Rejected)
