"""Repeat victims at intake and the caution against mediating, driving the real widgets (issue 20 point 7): her ID
number typed on the referral form shows that she has been here before (the earlier case, its risk level); on the
mediation form it says mediation is not appropriate, saving asks for the reason, and without one nothing is saved
and nothing typed is lost. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from fulian_desktop.domain.dv_risk import RiskForm
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import dv_risk
from fulian_desktop.services.context import Context

from .test_referrals import ID, petition


def activate(qtbot, w: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Her own window is the active one: the keyboard goes where she types."""
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)


def finish_typing(qtbot, field: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)  # the field finished: she is looked up


@pytest.fixture
def high_risk_petition(ctx: Context) -> int:
    pid = petition(ctx, respondent_name="赵大强")  # 王小红, 2026-03-09
    dv_risk.assess(ctx, pid, RiskForm(dt.date(2026, 3, 9), "登记时", {"strangle"}))
    return pid


def test_her_id_number_on_the_referral_form_shows_she_has_been_here(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, high_risk_petition: int) -> None:  # noqa: F811
    window.refresh()
    window.ui.actionNewReferral.trigger()
    form = window.last_referral_form
    assert form is not None and not form.repeats.isVisible()
    activate(qtbot, form)
    finish_typing(qtbot, form.applicant.id_number, ID)
    assert form.repeats.isVisible()
    text = form.repeats.text()
    assert "此前12个月内曾来求助1次" in text and "信访〔2026〕第0001号（信访，2026年3月9日，同一妇女）" in text
    assert "风险：高（红色）" in text
