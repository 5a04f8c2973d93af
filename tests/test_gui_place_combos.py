"""乡镇 and 村（社区） on every case form (gui/cases/case_form.place_combos): picking a township with the keyboard
offers its villages, and picking another one offers that one's and empties the village typed for the first."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from fulian_desktop.gui.households.household_form import HouseholdForm
from fulian_desktop.gui.mediation.mediation_form import MediationForm
from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.services import lists
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_gui_form_feedback import pick  # Home, then Down until it shows


def offered(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.mark.parametrize("kind", [PetitionForm, ReferralForm, MediationForm, HouseholdForm])
def test_the_villages_follow_the_township_picked(qtbot: Any, office_app: Any, ctx: Context, kind: type) -> None:
    form = kind(ctx)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    assert offered(form.village) == []  # no township yet: no villages to offer, any may be typed

    pick(qtbot, form.township, "东山镇")
    assert offered(form.village) == lists.values(ctx, "township", "东山镇") == ["东山村", "石桥村", "枫林村"]
    type_text(qtbot, form.village, "石桥村")
    assert form.village.currentText() == "石桥村"

    pick(qtbot, form.township, "西河乡")
    assert offered(form.village) == ["西河村", "柳塘村", "杨家湾村"]
    assert form.village.currentText() == ""  # 石桥村 is not in 西河乡: what was typed for 东山镇 goes
