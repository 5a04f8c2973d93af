"""A petition passed on to another body (转办/交办): the body is chosen from the organisation directory (派出所, 民政局,
人社局, 法院 … with their address and phone), and one not in it can still be written in full; the 转送函 is written
to the body chosen. Every person and body here is made up."""

from __future__ import annotations

from typing import Any

from fulian_desktop.domain import referral as referral_rules
from fulian_desktop.domain.referral import Organisation
from fulian_desktop.gui.petitions.petition_view import PetitionView
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.gui.shell.pdf_preview import PdfPreview
from fulian_desktop.services import organisations, petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_petition_course import editor, pick, press_ok
from .test_petition_transfers import accepted


def test_the_directory_knows_labour_and_court_bodies_too() -> None:
    assert referral_rules.service_of("人社（劳动保障）").organisation_kinds[0] == "人力资源和社会保障局"
    assert referral_rules.service_of("法院（诉讼服务）").organisation_kinds[0] == "人民法院"


def test_the_body_is_chosen_from_the_directory_or_written_in_full(qtbot: Any, ctx: Context) -> None:
    organisations.save(ctx, Organisation(name="东山派出所", kind="派出所", service="派出所", phone="0734-8123110"))
    organisations.save(ctx, Organisation(name="县人力资源和社会保障局", kind="人力资源和社会保障局",
                                         service="人社（劳动保障）", address="县政务中心三楼"))
    organisations.save(ctx, Organisation(name="县人民法院", kind="人民法院", service="法院（诉讼服务）"))
    case_id = accepted(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    assert isinstance(view, PetitionView)

    d = view.make_handle_dialog()
    d.open()
    agency = editor(d, "handling_agency")
    offered = [agency.itemText(i) for i in range(agency.count())]  # type: ignore[attr-defined]
    assert {"东山派出所", "县人力资源和社会保障局", "县人民法院"} <= set(offered)
    assert "县政务中心三楼" in agency.itemData(offered.index("县人力资源和社会保障局"), 3)  # type: ignore[attr-defined]  (tooltip)
    pick(qtbot, editor(d, "handling"), "转办/交办")  # type: ignore[arg-type]
    pick(qtbot, agency, "县人力资源和社会保障局")  # type: ignore[arg-type]
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert isinstance(view.last_preview, PdfPreview)
    assert view.last_preview.windowTitle().startswith("打印预览 — 转送函_县人力资源和社会保障局")
    view.last_preview.close()
    p = petitions.get(ctx, case_id)
    assert p.handling_agency == "县人力资源和社会保障局" and p.documents[-1].content["addressee"] == "县人力资源和社会保障局"

    d = view.make_handle_dialog()  # a body the directory does not hold: written in full
    d.open()
    pick(qtbot, editor(d, "handling"), "转办/交办")  # type: ignore[arg-type]
    agency = editor(d, "handling_agency")
    agency.lineEdit().clear()  # type: ignore[attr-defined]
    type_text(qtbot, agency, "县住房和城乡建设局")
    press_ok(qtbot, d)
    assert not d.isVisible()
    assert petitions.get(ctx, case_id).documents[-1].content["addressee"] == "县住房和城乡建设局"
