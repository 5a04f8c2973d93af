"""Every window fits a 1366×768 screen at 100 % and at 125 % scaling (Windows' default on many laptops).

With the taskbar, a 1366×768 screen leaves about 1366×728 logical pixels for windows at 100 %, and
1093×582 at 125 % (Qt counts in logical pixels: the physical ones divided by the scale). The scale
cannot change inside one test process, so each window's needs are compared with both areas: the main
window and the administrator's window maximised there, every dialog with its title bar and borders.
Dialogs are opened as a clerk opens them (the menus, the case pages' actions, the dialogs' own
buttons), and the test checks that it met every dialog class of the window code and every action
dialog written there, so that a new dialog cannot be left out."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPushButton, QTreeWidget, QTreeWidgetItem, QWidget

import fulian_desktop.gui as gui_package
from fulian_desktop.demo import generate as demo
from fulian_desktop.domain.household import Cadre
from fulian_desktop.gui.cases.attachments_section import SCAN_FOLDER_KEY
from fulian_desktop.gui.cases.case_page import CaseView
from fulian_desktop.gui.security.accounts_dialog import AccountsDialog, RecoveryKeyDialog
from fulian_desktop.gui.security.admin_window import AdminWindow
from fulian_desktop.gui.security.sign_in import ChangePasswordDialog, FirstStartDialog, LoginDialog
from fulian_desktop.gui.security.upgrade import UpgradeWindow
from fulian_desktop.gui.shell import application, dialogs, fitting
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.services import accounts, attachments, cases, households, lists, petitions, protection_orders
from fulian_desktop.services import exchange_packages as exchange
from fulian_desktop.services.context import Context

from .attachment_files import scanned_letter
from .conftest import ALL_ROLES, CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock
from .test_exchange_packages import petition

# the area windows have on a 1366×768 screen with the taskbar, in logical pixels
SCREENS = {"100 %": QSize(1366, 728), "125 %": QSize(1093, 582)}
MAXIMISED_TITLE = 31  # a maximised window keeps its title bar, not its borders
GUI = Path(gui_package.__file__).parent
ENDS_THE_SESSION = ("退出", "锁定屏幕", "切换用户…")  # measured on their own: the lock screen, the sign-in window
# the saved records a dialog corrects, by their type: where the mediation keeps them
SAVED = {"Session": "sessions", "Investigation": "investigations", "ReturnVisit": "visits"}


def dialog_room(area: QSize) -> QSize:
    return QSize(area.width() - application.FRAME.width(), area.height() - application.FRAME.height())


def window_room(area: QSize) -> QSize:
    return QSize(area.width(), area.height() - MAXIMISED_TITLE)


def needs(w: QWidget) -> QSize:
    """The smallest the window can be made: its layout's minimum, or a minimum size it sets itself."""
    return w.minimumSizeHint().expandedTo(w.minimumSize())


@dataclass
class Seen:
    """What the test opened, and what did not fit."""

    classes: set[type] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    too_big: list[str] = field(default_factory=list)

    def check(self, name: str, w: QWidget, main: bool = False) -> None:
        self.classes.add(type(w))
        self.titles.append(w.windowTitle())
        size = needs(w)
        for scale, area in SCREENS.items():
            room = window_room(area) if main else dialog_room(area)
            if size.width() > room.width() or size.height() > room.height():
                self.too_big.append(f"{name} at {scale} needs {size.width()}×{size.height()}, "
                                    f"has {room.width()}×{room.height()}")


def shown_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def menu_paths(menu: QMenu, above: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of a menu bar, as the texts she clicks through (文件, 打印)."""
    paths = []
    for a in menu.actions():
        if a.menu() is not None:
            paths += menu_paths(a.menu(), (*above, a.text()))
        elif not a.isSeparator():
            paths.append((*above, a.text()))
    return paths


def find_action(menu: QMenu, path: tuple[str, ...]) -> QAction | None:
    """The command at `path` now (a menu may have been built anew since the paths were read)."""
    for a in menu.actions():
        if a.text() == path[0]:
            if len(path) == 1:
                return a
            if a.menu() is not None:
                return find_action(a.menu(), path[1:])
    return None


def dialog_classes() -> set[type]:
    """Every dialog class the window code defines (but the bases the forms share: RecordForm, CaseForm)."""
    for info in pkgutil.walk_packages([str(GUI)], "fulian_desktop.gui."):
        importlib.import_module(info.name)
    found: set[type] = set()
    todo = [QDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("fulian_desktop.gui."):
                found.add(sub)
            todo.append(sub)
    return {c for c in found if not any(issubclass(other, c) for other in found - {c})}


def action_dialog_titles() -> set[str]:
    """The titles of the action dialogs written in the window code (up to the first {…} of an f-string)."""
    titles = set()
    for path in GUI.rglob("*.py"):
        for m in re.finditer(r'ActionDialog\(\s*f?"([^"]*)"', path.read_text(encoding="utf-8")):
            titles.add(m.group(1).split("{")[0])
    return titles


def test_every_window_and_dialog_fits_1366x768_at_100_and_125_percent(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, office_app: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        clock: Clock) -> None:
    monkeypatch.setattr(dialogs, "ask", lambda _p, title, *_a, **_k: title == "更换恢复密钥")
    for name in ("inform", "warn"):
        monkeypatch.setattr(dialogs, name, lambda *_a, **_k: None)
    for name in ("save_path", "open_path", "folder_path"):
        monkeypatch.setattr(dialogs, name, lambda *_a, **_k: "")
    demo.generate(ctx, 300, seed=3)
    exchange.set_office(ctx, "county", "东山县")  # (else 导出/导入交换包 open 本单位 first)
    colleague = accounts.add_account(ctx, "colleague", "同事甲", {"window"}, "temporary-pass-1")
    accounts.disable(ctx, colleague)
    seen = Seen()

    def each(name: str, make: Callable[[], object]) -> list[QDialog]:
        """Do what opens a dialog (or several) and measure what was shown; the dialogs stay open."""
        before = set(shown_dialogs())
        made = make()
        qtbot.wait(1)
        shown = [d for d in shown_dialogs() if d not in before]
        if isinstance(made, QDialog) and made not in shown:
            made.show()
            shown.append(made)
        for d in shown:
            seen.check(f"{name}（{d.windowTitle()}）", d)
        return shown

    def close(opened: list[QDialog]) -> None:
        for d in reversed(opened):
            d.done(0)

    def once(name: str, make: Callable[[], object]) -> None:
        close(each(name, make))

    # before signing in: the first start (and the restore and recovery key it can open), sign-in, recovery
    first = FirstStartDialog(tmp_path / "新.db", kdf=CHEAP_KDF)
    qtbot.addWidget(first)
    once("首次使用", lambda: (first.show(), first)[1])
    once("首次使用 → 从备份恢复", first.restore_from_backup)
    first.done(0)
    login = LoginDialog(ctx.path)
    qtbot.addWidget(login)
    once("登录", lambda: (login.show(), login)[1])
    once("登录 → 忘记密码", login.forgot)
    once("登录 → 数据库升级中", lambda: UpgradeWindow(login))
    login.done(0)
    once("首次登录改密码", lambda: ChangePasswordDialog(ctx, forced=True))

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen.check("主窗口", window, main=True)
    once("首页 → 待补全", window.dashboard.show_incomplete)  # (the records imported from old registers to complete)

    # every case page (the first and the last case of each kind: different states, different actions)
    registered = int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'petition' AND status = 'registered' "
                                    "ORDER BY id DESC LIMIT 1").fetchone()[0])
    petitions.accept(ctx, registered, ctx.today())  # a step the 主任 may undo
    cases.supervise(ctx, registered, "请本周内办结", ctx.today())  # its 督办 dialog lifts it (解除督办)
    for kind in ("petition", "referral", "mediation", "household"):
        ids = [int(r[0]) for r in ctx.db.execute("SELECT id FROM cases WHERE kind = ? ORDER BY id", [kind])]
        for case_id in (ids[0], ids[-1], *([registered] if kind == "petition" else [])):
            if kind == "household":  # a cadre to change, a task to close
                if households.get(ctx, case_id).current_cadre is None:
                    households.change_cadre(ctx, case_id, Cadre(name="赵红梅", from_date=ctx.today()))
                households.add_task(ctx, case_id, "联系村委会核实低保", ctx.today())
            view = window.open_case(case_id)
            assert isinstance(view, CaseView)
            seen.check(f"主窗口（{kind}）", window, main=True)
            for name, method in inspect.getmembers(view, inspect.ismethod):
                if not name.startswith("make_"):
                    continue
                params = inspect.signature(method).parameters
                if "task_id" in params:
                    task = next(t for t in households.get(ctx, case_id).tasks if t.done_on is None)
                    once(f"{kind}.{name}", lambda m=method, t=task.id: m(t))
                    continue
                if all(p.default is not inspect.Parameter.empty for p in params.values()):
                    once(f"{kind}.{name}", method)  # a new record
                saved = params.get("saved")
                if saved is not None:  # and correcting a saved one (a session, an investigation, a visit)
                    for kind_name, records in SAVED.items():
                        if kind_name in str(saved.annotation) and getattr(view, "mediation", None) is not None:
                            for record in getattr(view.mediation, records)[-1:]:
                                once(f"{kind}.{name}（修改）", lambda m=method, r=record: m(r))
            window._close_tab(window.tabs.currentIndex())

    # a domestic-violence case's 家暴防护 tab (the sections' own dialogs) and her person page (当事人全貌)
    dv_case = int(ctx.db.execute("SELECT case_id FROM risk_assessments ORDER BY id LIMIT 1").fetchone()[0])
    view = window.open_case(dv_case)
    assert isinstance(view, CaseView) and view.thread is not None
    for section in view.thread.sections:
        for name, method in inspect.getmembers(section, inspect.ismethod):
            if name.startswith(("open_", "make_")) and all(
                    p.default is not inspect.Parameter.empty for p in inspect.signature(method).parameters.values()):
                once(f"家暴防护.{type(section).__name__}.{name}", method)
    once("当事人全貌", view.open_person)
    window._close_tab(window.tabs.currentIndex())
    # the sections' buttons with each of their rows chosen (a police contact, a visit, an order, a violation), on
    # the cases with a mandatory report, a police contact or an order in every state the demo holds
    dv_cases = {int(r[0]) for table in ("mandatory_reports", "police_contacts", "protection_orders")
                for r in ctx.db.execute(f"SELECT DISTINCT case_id FROM {table}")}  # noqa: S608 - the names above
    dv_cases.add(dv_case)
    # and orders in the states the demo leaves out: one waiting for the court; one made, violated (not yet
    # reported), its extension asked for
    waiting, _ = protection_orders.apply(ctx, dv_case, protection_orders.draft(ctx, dv_case))
    made, _ = protection_orders.apply(ctx, dv_case, protection_orders.draft(ctx, dv_case))
    protection_orders.record_ruling(ctx, dv_case, made, "granted", ctx.today(), "（2026）民保令1号", "禁止实施家庭暴力",
                                    ctx.today() + dt.timedelta(days=150))
    protection_orders.record_violation(ctx, dv_case, made, ctx.today(), "被申请人上门辱骂")
    protection_orders.request_extension(ctx, dv_case, made, ctx.today() + dt.timedelta(days=300), "仍面临家庭暴力危险")
    for case_id in sorted(dv_cases):
        view = window.open_case(case_id)
        assert isinstance(view, CaseView) and view.thread is not None
        for section in view.thread.sections:
            tree = getattr(section, "tree", None)
            rows: list[QTreeWidgetItem | None] = [None]
            if isinstance(tree, QTreeWidget):
                for i in range(tree.topLevelItemCount()):
                    top = tree.topLevelItem(i)
                    rows += [top, *(top.child(j) for j in range(top.childCount()))]
            for row in rows:
                if row is not None:
                    assert isinstance(tree, QTreeWidget)
                    tree.setCurrentItem(row)
                for button in section.findChildren(QPushButton):
                    if button.isVisibleTo(section) and button.isEnabled():
                        once(f"家暴防护.{type(section).__name__} → {button.text()}", button.click)
        if view.thread.undo_button.isVisibleTo(view.thread) and view.thread.undo_button.isEnabled():  # (主任)
            once("家暴防护 → 撤销上一步记录", view.thread.undo_button.click)
        window._close_tab(window.tabs.currentIndex())

    # a case's 附件 with a photo in it: adding files, the scanner's folder, the viewer, removing one, the export
    view = window.open_case(int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'mediation' LIMIT 1").fetchone()[0]))
    assert isinstance(view, CaseView) and view.attachments is not None
    section = view.attachments
    photo = attachments.attach(ctx, view.case_id, attachments.Incoming("伤情.png", scanned_letter(800, 600)),
                               attachments.Details("照片", "伤情"))
    section.reload()
    seen.check("主窗口（有附件的案件）", window, main=True)
    once("附件 → 添加附件", lambda: section.add_incoming([attachments.Incoming("来信.png", scanned_letter(300, 400))]))
    scans = tmp_path / "扫描"
    scans.mkdir()
    (scans / "scan0001.png").write_bytes(scanned_letter(620, 877))
    QSettings().setValue(SCAN_FOLDER_KEY, str(scans))
    once("附件 → 从扫描文件夹导入", section.import_scans)
    once("附件 → 打开", lambda: section.open_attachment(photo))
    section.list.setCurrentRow(0)
    once("附件 → 删除", section.remove_selected)
    once("附件 → 导出PDF", section.export_pdf)
    window._close_tab(window.tabs.currentIndex())

    # every menu command (with a case open, so that 打印 prints), and the dialogs' own buttons
    window.open_case(int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'petition' LIMIT 1").fetchone()[0]))
    for path in menu_paths(window.menuBar()):  # type: ignore[arg-type]
        action = find_action(window.menuBar(), path)  # type: ignore[arg-type]
        if action is None or action.text() in ENDS_THE_SESSION:
            continue
        opened = each(f"菜单 {action.text()}", action.trigger)
        seen.check(f"主窗口（{action.text()}之后）", window, main=True)  # a page it opened (统计, 名册)
        for d in opened:
            if isinstance(d, AccountsDialog):
                d.select_username("colleague")
                once("账号管理 → 启用账号", d.toggle_active)
                d.select_username("tester")
                for button in (d.add_button, d.roles_button, d.reset_button, d.rename_button):
                    once(f"账号管理 → {button.text()}", button.click)
                key = each("账号管理 → 更换恢复密钥", d.new_recovery_key)
                assert key and isinstance(key[0], RecoveryKeyDialog)
                once("新的恢复密钥 → 打印", key[0].print_key)
                close(key)
            for name in ("add_button", "edit_button", "correct_button", "password_button"):
                button = getattr(d, name, None)
                if button is not None and button.isVisible() and button.isEnabled():
                    once(f"{d.windowTitle()} → {button.text()}", button.click)
            if hasattr(d, "set_password"):
                once(f"{d.windowTitle()} → 备份密码", d.set_password)
        close(opened)
    # 导入交换包 of a case changed both in a township and here: the chooser, field by field
    town, _r, _a = accounts.set_up(tmp_path / "乡镇" / "fulian.db", [(TEST_USER, "测试员", ALL_ROLES, TEST_PASSWORD,
                                                                      False)], clock=clock, kdf=CHEAP_KDF)
    exchange.set_office(town, "township", "东山县", "福田铺乡")
    for office in (town, ctx):
        lists.add(office, "township", "福田铺乡")
    town_case, no = petitions.register(town, petition("柳如烟", "福田铺乡"))
    exchange.import_package(ctx, exchange.open_package(
        ctx, exchange.export_package(town, tmp_path / "包", TEST_PASSWORD).path, TEST_PASSWORD))
    cases.supervise(town, town_case, "乡里督办", ctx.today())
    cases.supervise(ctx, cases.id_for_number(ctx, no), "县里督办", ctx.today())
    again = exchange.export_package(town, tmp_path / "包2", TEST_PASSWORD).path
    [imp] = each("菜单 导入交换包", window.exchanges.action_import.trigger)
    imp.file.setText(str(again))  # type: ignore[attr-defined]
    imp.password.setText(TEST_PASSWORD)  # type: ignore[attr-defined]
    imp.look.click()  # type: ignore[attr-defined]
    once("导入交换包 → 两边都改过", imp.go.click)  # type: ignore[attr-defined]
    close([imp])
    town.close()
    window.security.lock.lock()  # type: ignore[union-attr]
    seen.check("锁屏", window, main=True)
    window.security.lock.try_unlock(TEST_PASSWORD)  # type: ignore[union-attr]

    admin = AdminWindow(ctx)
    qtbot.addWidget(admin)
    admin.show()
    seen.check("管理员窗口", admin, main=True)
    for button in (admin.accounts_button, admin.office_button, admin.idle_button):
        once(f"管理员窗口 → {button.text()}", button.click)

    missed = {c.__name__ for c in dialog_classes() - seen.classes}
    assert not missed, f"dialogs this test never opened: {missed}"
    missed_titles = {t for t in action_dialog_titles() if not any(s.startswith(t) for s in seen.titles)}
    assert not missed_titles, f"action dialogs this test never opened: {missed_titles}"
    assert not seen.too_big, "\n".join(seen.too_big)


def test_a_long_dialog_opens_as_tall_as_the_screen_allows_and_its_fields_scroll(  # type: ignore[no-untyped-def]
        qtbot, ctx: Context, office_app: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    """记录调解 has more fields than a 1366×768 screen at 125 % holds: it opens as tall as the screen allows (not
    taller: the 确定 button stays in sight), its fields scroll, and Tab brings the last field into view."""
    room = dialog_room(SCREENS["125 %"])
    monkeypatch.setattr(fitting, "usable_size", lambda _w: room)  # the room the screen at 125 % gives a dialog
    demo.generate(ctx, 40, seed=3)
    case_id = int(ctx.db.execute("SELECT id FROM cases WHERE kind = 'mediation' AND status = 'accepted' "
                                 "ORDER BY id DESC LIMIT 1").fetchone()[0])
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.open_case(case_id)
    before = set(shown_dialogs())
    qtbot.mouseClick(view.session_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(set(shown_dialogs()) - before) == 1)
    (d,) = set(shown_dialogs()) - before
    natural = d.layout().totalSizeHint().height()
    assert natural > room.height(), "the test needs a dialog taller than the screen"
    assert d.height() == room.height(), "as tall as the screen allows, no taller"
    assert d.ok_button.isVisible() and d.rect().contains(d.ok_button.geometry().bottomRight())  # type: ignore[attr-defined]
    body = d.body  # type: ignore[attr-defined]
    assert body.verticalScrollBar().maximum() > 0
    last = d.form.boxes["result_detail"].editor  # type: ignore[attr-defined]
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is d)
    for _ in range(40):
        if last.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert last.hasFocus()
    top_left = last.mapTo(body.viewport(), QPoint(0, 0))
    assert body.viewport().rect().contains(top_left), "the field she tabbed to is scrolled into view"
    d.done(0)
