"""家暴防护 on the case page: the tab beside a domestic-violence case's details, for the roles that handle the
case; its sections (risk assessment, safety plan …) driven as a clerk would. Every person here is made up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QTabWidget

from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context


def dv_petition(ctx: Context, dv: bool = True) -> int:
    return petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
        headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷",
        facts="丈夫酒后多次殴打，最近一次掐她的脖子。", request="请求妇联帮助。", dv=dv, safety_risk=dv,
        receiving_staff="王秀兰", respondent_name="赵大力", respondent_relation="丈夫"))[0]


def test_the_tab_is_there_for_a_dv_case_and_the_roles_that_handle_it(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    dv = dv_petition(ctx)
    plain = dv_petition(ctx, dv=False)
    view = PetitionView(ctx, dv)
    qtbot.addWidget(view)
    assert view.page_tabs is not None and view.thread is not None
    assert [view.page_tabs.tabText(i) for i in range(view.page_tabs.count())] == ["案件", "家暴防护"]
    other = PetitionView(ctx, plain)
    qtbot.addWidget(other)
    assert other.page_tabs is None and not other.findChildren(QTabWidget)
    ctx.roles = frozenset({"mediator"})  # reads petitions, does not handle them: no tab
    reader = PetitionView(ctx, dv)
    qtbot.addWidget(reader)
    assert reader.thread is None
