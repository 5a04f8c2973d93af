"""A staff member refers a woman to a shelter, driving the real widgets (issue 20 point 5): the service chosen on
the referral form with the keyboard, legal aid's own fields gone, the shelter added to the directory from the form,
her consent, the one-day answer clock on the page, the reply and the shelter's own results. Every person here is
made up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fulian_desktop.gui.cases.action_dialog import ActionDialog
from fulian_desktop.gui.referrals.organisations_dialog import OrganisationsDialog
from fulian_desktop.gui.referrals.referral_view import ReferralView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import organisations, referrals
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_referral import choose, header, last_dialog, tick


def test_refer_her_to_a_shelter_and_record_its_reply(qtbot, window: MainWindow, ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window.ui.actionNewReferral.trigger()
    form = window.last_referral_form
    assert form is not None and form.isVisible()
    assert form.service.currentText() == "法律援助" and form.cform.boxes["role"].isVisible()
    form.service.setFocus()
    qtbot.keyClick(form.service, Qt.Key.Key_Down)  # 庇护所/救助管理站, the next service
    assert form.service.currentText() == "庇护所/救助管理站"
    assert form.windowTitle() == "新建转介（庇护所/救助管理站）"
    # legal aid's own questions are gone; the shelter's help is offered
    assert not form.cform.boxes["role"].isVisible() and not form.cform.boxes["legal_state"].isVisible()
    assert not form.means.isVisible() and not form.household_income.isVisible()
    assert form.help_kinds is form.help_lists["庇护所/救助管理站"] and form.help_kinds.isVisible()
    assert not form.help_lists["法律援助"].isVisible()
    assert form.organisation.count() == 1  # the directory has no shelter yet: it says so beside the field
    assert "还没有提供庇护所/救助管理站的机构" in form.form.boxes["organisation"].message.text()

    # add the shelter to the directory from the form; the form then offers it
    qtbot.mouseClick(form.directory_button, Qt.MouseButton.LeftButton)
    d = form.findChildren(OrganisationsDialog)[-1]
    assert d.shown_service() == "庇护所/救助管理站" and d.table.rowCount() == 0
    qtbot.mouseClick(d.add_button, Qt.MouseButton.LeftButton)
    edit = d.findChildren(ActionDialog)[-1]
    assert edit.form.boxes["service"].editor.currentText() == "庇护所/救助管理站"
    kinds = edit.form.boxes["kind"].editor
    assert [kinds.itemText(i) for i in range(kinds.count())] == ["（请选择）", "庇护所", "救助管理站", "其他"]
    type_text(qtbot, edit.form.boxes["name"].editor, "县救助管理站")
    choose(kinds, "救助管理站")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert not edit.isVisible() and d.table.item(0, 6).text() == "庇护所/救助管理站"
    d.reject()
    offered = [form.organisation.itemText(i) for i in range(form.organisation.count())]
    assert offered == ["（请选择）", "县救助管理站"]  # only the shelters, not the legal-aid centre
    choose(form.organisation, "县救助管理站")

    type_text(qtbot, form.applicant.name, "刘春梅")
    form.applicant.name.editingFinished.emit()
    qtbot.keyClicks(form.applicant.phone, "13700137000")
    choose(form.township, "东山镇")
    choose(form.matter, "家庭暴力")
    tick(qtbot, form.help_kinds.boxes["临时庇护"])
    type_text(qtbot, form.facts, "丈夫酒后持刀威胁，她带孩子躲在邻居家，无处可去。")
    tick(qtbot, form.consent)
    assert "1日答复期" in form.consent_info.text()
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    ref = window.tabs.currentWidget()
    assert isinstance(ref, ReferralView)
    assert "庇护所/救助管理站：转介至 县救助管理站" in header(ref) and "1天内应答复是否受理" in header(ref)
    assert "转介的服务" in ref.details.toPlainText() and "经济状况" not in ref.details.toPlainText()
    assert referrals.get(ctx, ref.case_id).role == ""

    clock.advance(3)  # no answer in the day asked: chased like any late reply
    ref.reload()
    assert "超过1日答复期" in header(ref) and "#a61b1b" in header(ref)
    qtbot.mouseClick(ref.accept_button, Qt.MouseButton.LeftButton)
    dlg = last_dialog(ref)
    assert not any("法律援助法" in label.text() for label in dlg.findChildren(QLabel))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "已受理" in header(ref)
    assert not ref.assign_button.isEnabled() or "指派" not in header(ref)  # no lawyer's 3-day clock
    qtbot.mouseClick(ref.conclude_button, Qt.MouseButton.LeftButton)
    dlg = last_dialog(ref)
    results = dlg.form.boxes["result"].editor
    assert [results.itemText(i) for i in range(results.count())][1:] == [
        "已提供帮助", "部分提供", "她本人放弃", "未能提供", "其他"]
    choose(results, "已提供帮助")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "已办结" in header(ref)


def test_the_list_and_the_command_line_name_the_service(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, capsys) -> None:  # noqa: F811
    from fulian_desktop.cli import main as cli
    from fulian_desktop.domain.referral import Consent, Organisation

    from .test_service_referrals import to_service

    org = organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service="庇护所/救助管理站"))
    _case_id, case_no = referrals.refer(ctx, to_service(ctx, "庇护所/救助管理站", org, ["临时庇护"],
                                                       consent=Consent(on=ctx.today())))
    window.refresh()
    lst = window.case_list
    window.tabs.setCurrentWidget(lst)
    type_text(qtbot, lst.search, "刘春梅")
    lst.apply()
    assert lst.model.rowCount() == 1
    shown = [lst.model.index(0, c).data() for c in range(lst.model.columnCount())]
    assert "转介（庇护所/救助管理站）" in shown
    assert cli.main(["search", "刘春梅", "--db", str(ctx.path)]) == 0
    out = capsys.readouterr().out
    assert case_no in out and "转介（庇护所/救助管理站）" in out


def test_where_every_service_is_meant_the_window_says_referral(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context) -> None:  # noqa: F811
    """The start page's count and clocks, the case list's kind filter, the menu and toolbar entry and the petition's
    button count or open referrals to any service: 转介 / 新建转介; one legal-aid referral is still 法律援助转介."""
    from fulian_desktop.domain.referral import Consent, Organisation

    from .test_referrals import completed, petition
    from .test_service_referrals import to_service

    org = organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service="庇护所/救助管理站"))
    referrals.refer(ctx, to_service(ctx, "庇护所/救助管理站", org, ["临时庇护"], consent=Consent(on=ctx.today())))
    legal = completed(ctx, to_service(ctx, "法律援助", organisations.directory(ctx)[0].id or 0, [],
                                      consent=Consent(on=ctx.today())))
    referrals.refer(ctx, legal)
    window.refresh()

    dash = window.dashboard
    heads = [lab.text() for lab in dash.findChildren(QLabel) if lab.text().startswith("未办结 · ")]
    assert "未办结 · 转介" in heads and "未办结 · 法律援助转介" not in heads
    assert dash.open_labels["referral"].text() == "2"
    clocks = dash.clocks_box.model
    kinds = {clocks.index(r, 0).data() for r in range(clocks.rowCount())}
    assert "转介" in kinds and "法律援助转介" not in kinds, kinds
    from fulian_desktop.services import start_page

    assert any(line.text.startswith("转介 · ") for line in start_page.clocks(ctx))

    qtbot.mouseClick(dash.open_labels["referral"], Qt.MouseButton.LeftButton)
    lst = window.case_list
    assert window.tabs.currentWidget() is lst and lst.kind.currentText() == "转介"
    assert lst.model.rowCount() == 2
    shown = {lst.model.index(r, c).data() for r in range(2) for c in range(lst.model.columnCount())}
    assert {"法律援助转介", "转介（庇护所/救助管理站）"} <= shown  # each one names its own service

    assert window.ui.actionNewReferral.text() == "新建转介"
    assert "新建转介" in [a.text() for a in window.ui.toolbar.actions()]
    assert window.ui.actionOrganisations.text() == "机构名录（转介）…"
    view = window.open_case(petition(ctx))
    assert view.refer_button.text() == "转介"
