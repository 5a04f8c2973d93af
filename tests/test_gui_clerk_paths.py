"""The windows reached and filled the way a clerk does, with the keyboard only: a menu shortcut (Ctrl+N, Ctrl+B) or
the menu itself (Alt+F, the arrow keys, Enter), Tab from field to field, the arrow keys in a drop-down, Chinese
typed into a drop-down one can type into, Ctrl+S to save, Esc to leave. No factory calls, no setCurrentIndex, no
signals emitted by hand: what the keys do is what is tested."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.gui.backup.backup_dialog import BackupDialog
from fulian_desktop.gui.backup.restore_dialog import RestoreDialog
from fulian_desktop.gui.households.household_form import HouseholdForm
from fulian_desktop.gui.mediation.mediation_form import MediationForm
from fulian_desktop.gui.petitions.petition_form import PetitionForm
from fulian_desktop.gui.referrals.referral_form import ReferralForm
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .qt_input import type_text

ID = make_id_number("439021", dt.date(1991, 8, 17), 23, female=True)


def focused() -> QWidget:
    here = QApplication.focusWidget()
    assert here is not None, "nothing has the keyboard focus"
    return here


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def main_window(qtbot: Any, ctx: Context) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.raise_()
    w.activateWindow()
    # her window, not one an earlier test left open, has the keyboard (as on her screen)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w and QApplication.focusWidget() is not None,
                    timeout=3000)
    return w


def from_menu(qtbot: Any, window: MainWindow, mnemonic: Qt.Key, entry: str) -> None:
    """Alt+<letter> opens the menu; Down moves to the entry; Enter runs it."""
    qtbot.keyClick(window, mnemonic, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    for _ in range(len(menu.actions()) + 1):
        if menu.activeAction() is not None and menu.activeAction().text().startswith(entry):
            break
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is not None and menu.activeAction().text().startswith(entry), entry
    qtbot.keyClick(menu, Qt.Key.Key_Return)


def window_of(qtbot: Any, kind: type) -> Any:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), kind) and QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is QApplication.activeWindow(), timeout=5000)
    return QApplication.activeWindow()


def tab_to(qtbot: Any, target: QWidget, limit: int = 150) -> None:
    """Tab on until the focus is in `target` (the field is reached as she reaches it)."""
    for _ in range(limit):
        here = focused()
        if here is target or target.isAncestorOf(here):
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {type(target).__name__} {target.objectName()}")


def arrow_to(qtbot: Any, combo: QComboBox, text: str) -> None:
    """A drop-down one cannot type into: Home, then Down until it shows `text`."""
    tab_to(qtbot, combo)
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        press(qtbot, Qt.Key.Key_Down)
    assert combo.currentText() == text, f"{text} not offered"


INPUTS = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox, QAbstractButton)


def reachable(qtbot: Any, form: QWidget, limit: int = 300) -> set[int]:
    """Every widget the focus visits going once round the form with Tab."""
    seen: set[int] = set()
    first = focused()
    for _ in range(limit):
        press(qtbot, Qt.Key.Key_Tab)
        here = focused()
        assert here.window() is form, f"Tab left the form for {type(here).__name__}"
        seen.add(id(here))
        if here is first:
            break
    return seen


def unreachable_fields(qtbot: Any, form: QWidget) -> list[str]:
    """The fields she can see and type into (buttons aside) that Tab never comes to."""
    seen = reachable(qtbot, form)
    missed = []
    for w in form.findChildren(QWidget):
        if not isinstance(w, INPUTS) or isinstance(w, QAbstractButton) or not w.isVisibleTo(form) or not w.isEnabled():
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the typing part of a drop-down or a number: reached with it
        if id(w) not in seen and not any(id(c) in seen for c in w.findChildren(QWidget)):
            missed.append(f"{type(w).__name__} {w.objectName() or w.toolTip()[:20]}")
    return missed


# --- 信访: Ctrl+N, Tab, arrows, typing, Ctrl+S ------------------------------------------------------------------


def test_a_petition_registered_with_the_keyboard_only(qtbot: Any, office_app: Any, ctx: Context) -> None:
    window = main_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window_of(qtbot, PetitionForm)
    assert form.isVisible()
    arrow_to(qtbot, form.channel, "来访")
    arrow_to(qtbot, form.township, "东山镇")
    tab_to(qtbot, form.village)
    type_text(qtbot, focused(), "石桥村")  # a drop-down she can type into: the village as she types it
    arrow_to(qtbot, form.category, "婚姻家庭")
    arrow_to(qtbot, form.subcategory, "家庭纠纷")
    tab_to(qtbot, form.petitioner.name)
    type_text(qtbot, focused(), "柳如烟")
    tab_to(qtbot, form.petitioner.id_number)
    qtbot.keyClicks(focused(), ID)
    tab_to(qtbot, form.petitioner.phone)  # leaving the ID number reads it: her birth date and sex
    assert "1991年8月17日" in form.petitioner.form.boxes["id_number"].message.text()
    qtbot.keyClicks(focused(), "13907341234")
    tab_to(qtbot, form.respondent_name)
    type_text(qtbot, focused(), "赵大勇")
    tab_to(qtbot, form.respondent_relation)
    type_text(qtbot, focused(), "前夫")
    tab_to(qtbot, form.facts)
    type_text(qtbot, focused(), "离婚后前夫常来纠缠。")
    press(qtbot, Qt.Key.Key_Tab)  # Tab leaves a text of several lines (it types no tab)
    assert form.facts.toPlainText() == "离婚后前夫常来纠缠。"
    tab_to(qtbot, form.request)
    type_text(qtbot, focused(), "请求出面制止。")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    p = petitions.get(ctx, saved.args[0])
    assert (p.channel, p.township, p.village, p.category, p.subcategory) == ("来访", "东山镇", "石桥村", "婚姻家庭",
                                                                            "家庭纠纷")
    assert (p.petitioner.name, p.petitioner.id_number, p.petitioner.phone, p.petitioner.birth_date) == (
        "柳如烟", ID, "13907341234", dt.date(1991, 8, 17))
    assert (p.respondent_name, p.respondent_relation, p.facts, p.request) == ("赵大勇", "前夫", "离婚后前夫常来纠缠。",
                                                                          "请求出面制止。")


def test_a_petition_form_left_with_esc_asks_before_losing_what_was_typed(qtbot: Any, office_app: Any, ctx: Context,
                                                                       monkeypatch: Any) -> None:
    from fulian_desktop.gui.shell import dialogs

    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(dialogs, "ask", lambda _p, title, *_a, **_k: asked.append(title) or answer[0])
    window = main_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window_of(qtbot, PetitionForm)
    tab_to(qtbot, form.petitioner.name)
    type_text(qtbot, focused(), "柳如烟")
    press(qtbot, Qt.Key.Key_Escape)
    assert len(asked) == 1 and form.isVisible() and form.petitioner.name.text() == "柳如烟"  # she said no: kept
    answer[0] = True
    press(qtbot, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not form.isVisible()


# --- the other three forms: from the 文件 menu with the keys; Tab reaches every field -------------------------------


def test_each_case_form_opens_from_the_file_menu_and_tab_reaches_every_field(qtbot: Any, office_app: Any,
                                                                            ctx: Context) -> None:
    window = main_window(qtbot, ctx)
    for entry, kind in (("登记信访", PetitionForm), ("新建转介", ReferralForm), ("新建调解", MediationForm),
                        ("新建帮扶户", HouseholdForm)):
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        from_menu(qtbot, window, Qt.Key.Key_F, entry)
        form = window_of(qtbot, kind)
        form.resize(form.width(), 700)
        assert unreachable_fields(qtbot, form) == [], entry
        form.done(0)
        qtbot.waitUntil(lambda f=form: not f.isVisible(), timeout=3000)


def test_typing_into_the_referral_forms_editable_drop_downs(qtbot: Any, office_app: Any, ctx: Context) -> None:
    window = main_window(qtbot, ctx)
    from_menu(qtbot, window, Qt.Key.Key_F, "新建转介")
    form = window_of(qtbot, ReferralForm)
    typed = [c for c in form.findChildren(QComboBox) if c.isEditable() and c.isVisibleTo(form) and c.isEnabled()]
    assert typed, "no drop-down to type into"
    for combo in typed:
        tab_to(qtbot, combo)
        combo.lineEdit().selectAll()
        type_text(qtbot, focused(), "其他亲属")
        press(qtbot, Qt.Key.Key_Tab)
        assert combo.currentText() == "其他亲属", combo.objectName()
    form.done(0)


# --- backup and restore: Ctrl+B and the 文件 menu --------------------------------------------------------------------


def test_backup_opens_with_ctrl_b_and_restore_from_the_file_menu(qtbot: Any, office_app: Any, ctx: Context) -> None:
    window = main_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    backup = window_of(qtbot, BackupDialog)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not backup.isVisible(), timeout=3000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    from_menu(qtbot, window, Qt.Key.Key_F, "从备份恢复")
    restore = window_of(qtbot, RestoreDialog)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not restore.isVisible(), timeout=3000)
