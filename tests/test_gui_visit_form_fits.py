"""登记走访 on a 1366×768 screen: ticking 本次走访发现家庭暴力或矛盾纠纷 and choosing 登记为纠纷调解 adds the finding's
fields; the form used to grow to 783 pixels, its 保存走访记录 and 取消 below the screen's edge. Now its fields scroll and
the buttons stay in sight. Every person here is made up."""

from __future__ import annotations

from fulian_desktop.domain.household import Household, Member
from fulian_desktop.domain.mediation import Mediator
from fulian_desktop.domain.records import Person
from fulian_desktop.gui.households.household_view import HouseholdView
from fulian_desktop.gui.mediation.mediation_view import MediationView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import households, mediations
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_household import choose, click

ROOM = 768 - 40 - 40  # a 1366×768 screen less the taskbar and the window's title bar


def test_the_visit_form_with_a_mediation_finding_keeps_its_buttons_on_a_1366x768_screen(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, ctx: Context, said: list[str]) -> None:
    mediations.save_mediator(ctx, Mediator(name="周敏", title="专职调解员"))
    poor = households.care_lists(ctx)[0]
    case_id, _ = households.register(ctx, Household(
        list_id=poor.id or 0, received_on=ctx.today(), head=Member(Person(name="万秀英", sex="女"), relation=""),
        members=[Member(Person(name="万大军", sex="男"), relation="配偶")], township="东山镇",
        household_type="一般户", causes=["因病"]))
    view = window.open_case(case_id)
    assert isinstance(view, HouseholdView)
    visit = view.make_visit_form()
    visit.open()
    qtbot.waitUntil(visit.isVisible)
    type_text(qtbot, visit.seen, "夫妻为赡养老人发生矛盾。")
    click(qtbot, visit.found)
    click(qtbot, visit.finding_buttons["dispute"])
    click(qtbot, visit.route_buttons["mediation"])
    qtbot.waitUntil(lambda: visit.mediator.isVisible())
    qtbot.wait(50)  # the layout settles

    assert visit.minimumSizeHint().height() <= ROOM, "the form cannot be made as low as the screen"
    assert visit.height() <= ROOM, f"the form grew to {visit.height()} pixels: its buttons are below the screen"
    bottom = visit.save_button.mapTo(visit, visit.save_button.rect().bottomLeft()).y()
    assert bottom < visit.height()

    choose(visit.respondent, "万大军")
    choose(visit.dispute_type, "赡养")
    choose(visit.mediator, "周敏（专职调解员）")
    type_text(qtbot, visit.finding_request, "希望调解")
    click(qtbot, visit.save_button)
    qtbot.waitUntil(lambda: not visit.isVisible())
    assert isinstance(window.tabs.currentWidget(), MediationView)
    assert len(households.get(ctx, case_id).visits) == 1
    assert said and "婚调" in said[-1]
