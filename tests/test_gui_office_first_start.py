"""First start asks what the office is (issue 24): 县妇联, or a named 乡镇（街道）妇联 under a named county, with the
settings' check and words, typed as a clerk types it (Tab from field to field, Enter for 完成设置)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from fulian_desktop.gui.security.sign_in import FirstStartDialog
from fulian_desktop.services import exchange_packages as ex
from fulian_desktop.services import settings

from .conftest import CHEAP_KDF, Clock
from .test_gui_everyday_input import default_button, focused, opened, press, type_keys


def test_a_township_office_is_set_at_first_start_by_keyboard(qtbot: Any, office_app: Any, tmp_path: Path,
                                                             clock: Clock, said: list[str]) -> None:
    d = FirstStartDialog(tmp_path / "fulian.db", clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    opened(qtbot, d)
    assert focused() is d.level and default_button(d) == "完成设置"
    assert not d.township.isVisible()  # 县妇联: no township to name
    press(qtbot, Qt.Key.Key_Down)  # 乡镇（街道）妇联
    assert d.level.currentText() == "乡镇（街道）妇联" and d.township.isVisible()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is d.county
    press(qtbot, Qt.Key.Key_Tab)  # the county left empty, on to the township
    assert focused() is d.township, (focused() is d.office, focused().placeholderText())
    type_keys(qtbot, "福田铺乡")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is d.office and d.office.text() == ""  # no county yet: no name to fill in
    press(qtbot, Qt.Key.Key_Tab)
    for text in ("李春花", "lich", "futianpu-2026"):
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "futianpu-2026")
    press(qtbot, Qt.Key.Key_Return)
    # refused by the field, with the settings' words; nothing typed is lost
    assert d.pages.currentIndex() == 0 and d.ctx is None and not said
    assert "请填写所在的县" in d.form.boxes["office_county"].message.text()
    assert d.township.text() == "福田铺乡" and d.display_name.text() == "李春花"
    d.county.setFocus()
    type_keys(qtbot, "某某县")
    assert d.office.text() == "某某县福田铺乡妇联"  # the name as it is called, filled in
    press(qtbot, Qt.Key.Key_Return)  # from the county's field: the passwords she typed are still there
    assert d.pages.currentIndex() == 1 and d.ctx is not None, "Enter did not press 完成设置"
    office = ex.office(d.ctx)
    assert (office.level, office.county, office.township) == ("township", "某某县", "福田铺乡")
    assert office.label == "某某县福田铺乡妇联" and settings.office_name(d.ctx) == "某某县福田铺乡妇联"
    qtbot.mouseClick(d.saved_check, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(d.accepted, timeout=3000):
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    d.ctx.close()


def test_a_name_she_writes_herself_is_kept(qtbot: Any, office_app: Any, tmp_path: Path, clock: Clock,
                                         said: list[str]) -> None:  # (closed at the end: yes, give it up)
    d = FirstStartDialog(tmp_path / "fulian.db", clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    opened(qtbot, d)
    d.county.setFocus()
    type_keys(qtbot, "某某县")
    assert d.office.text() == "某某县妇联"
    d.office.selectAll()
    d.office.setFocus()
    type_keys(qtbot, "某某县妇女联合会")
    d.county.setFocus()
    type_keys(qtbot, "县")  # the county changed afterwards: her own name stays
    assert d.office.text() == "某某县妇女联合会"


def test_esc_asks_before_dropping_what_she_typed_at_first_start(qtbot: Any, office_app: Any, tmp_path: Path,
                                                                 clock: Clock, monkeypatch: Any) -> None:
    from fulian_desktop.gui.shell import dialogs

    asked: list[str] = []
    answer = [False]

    def ask(_parent: Any, _title: str, text: str, **_kwargs: Any) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(dialogs, "ask", ask)
    untouched = FirstStartDialog(tmp_path / "a.db", clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(untouched)
    opened(qtbot, untouched)
    press(qtbot, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and asked == []  # nothing typed: closes at once
    d = FirstStartDialog(tmp_path / "b.db", clock=clock, kdf=CHEAP_KDF)
    qtbot.addWidget(d)
    opened(qtbot, d)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "某某县")
    press(qtbot, Qt.Key.Key_Escape)
    assert len(asked) == 1 and "放弃" in asked[0]
    assert d.isVisible() and d.county.text() == "某某县"  # 继续填写: kept
    answer[0] = True
    press(qtbot, Qt.Key.Key_Escape)
    assert not d.isVisible() and len(asked) == 2
    assert not (tmp_path / "b.db").exists()  # (nothing was made)
