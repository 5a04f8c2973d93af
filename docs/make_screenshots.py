"""Screenshots for docs/使用说明.md, taken from the real program on a made-up demo database.

    python3 docs/make_screenshots.py                 # writes docs/images/*.png
    python3 docs/make_screenshots.py --out shots/doc # somewhere else

The program runs offscreen on a screen the size of a 1366×768 laptop's work area (768 less the 40-pixel
taskbar); every window goes through the same start-up as the real program (application.prepare: fonts, Qt's
own dialogs in Chinese, windows fitted to the screen). The main window is shown at the size it has when
maximised there (1366×697 inside its title bar). Each window is checked against that room: the script ends
with a list of the windows that do not fit, and a non-zero exit code if there are any.

Nothing of the user's is touched: the database, settings and logs live in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREEN = (1366, 728)  # a 1366×768 screen less the taskbar
MAIN_WINDOW = (1366, 697)  # a maximised window's contents there (less the title bar)
BACKUP_PASSWORD = "演示用的 备份密码"
WINDOWS_DB = r"C:\Users\张三\AppData\Local\FulianDesktop\fulian.db"

_TEMP = Path(tempfile.mkdtemp(prefix="fulian-screenshots-"))
_config = _TEMP / "screen.json"
_config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SCREEN[0],
                                            "height": SCREEN[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                            "dpr": 1}]}), encoding="utf-8")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
os.environ["LANG"] = os.environ["LC_ALL"] = "zh_CN.UTF-8"  # Qt's own dates and sizes as on a Chinese Windows
os.environ["XDG_DATA_HOME"] = str(_TEMP / "data")
os.environ["XDG_CONFIG_HOME"] = str(_TEMP / "config")
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QSettings, QSize, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QTreeView,
    QTreeWidget,
    QWidget,
)

from fulian_desktop.cli import main as cli  # noqa: E402
from fulian_desktop.gui.shell import application  # noqa: E402
from fulian_desktop.services import accounts  # noqa: E402

problems: list[str] = []


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def wait(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def on_windows(text: str) -> str:
    """A path in the temporary folder written as on an office PC: the database in the user's data folder,
    the stick as drive E:."""
    if str(_TEMP) not in text:
        return text
    for here, there in ((_TEMP / "县妇联 维权窗口" / "演示.db", WINDOWS_DB), (_TEMP / "KINGSTON", "E:")):
        text = text.replace(str(here), there)
    return text.replace("/", "\\")


def as_on_windows(widget: QWidget) -> None:
    """Paths shown as on an office PC (the shots are taken in a temporary folder)."""
    for label in widget.findChildren(QLabel):
        if str(_TEMP) in label.text():
            label.setText(on_windows(label.text()))
    for view in widget.findChildren(QListWidget):
        for i in range(view.count()):
            view.item(i).setText(on_windows(view.item(i).text()))
    for tree in widget.findChildren(QTreeWidget):
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            for c in range(item.columnCount()):
                item.setText(c, on_windows(item.text(c)))


def shoot(app: QApplication, widget: QWidget, out: Path, name: str, main: bool = False) -> None:
    """Show, let it lay out, check it fits the laptop screen, save it."""
    if main:
        widget.resize(*MAIN_WINDOW)
    if not widget.isVisible():
        widget.show()
    settle(app)
    as_on_windows(widget)
    room = application.usable_size(widget) if not main else QSize(*MAIN_WINDOW)
    needs = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    if needs.width() > room.width() or needs.height() > room.height():
        problems.append(f"{name}: needs {needs.width()}×{needs.height()}, the screen has {room.width()}×{room.height()}")
    if widget.width() > room.width() or widget.height() > room.height():
        problems.append(f"{name}: shown at {widget.width()}×{widget.height()}, larger than {room.width()}×{room.height()}")
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {widget.width()}×{widget.height()}")


def close(app: QApplication, widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.done(0)
    widget.close()
    settle(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    parser.add_argument("--cases", type=int, default=400)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    QCoreApplication.setOrganizationName("FulianDesktopScreenshots")
    QCoreApplication.setApplicationName("FulianDesktopScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(_TEMP / "settings"))
    application.before_application()
    app = QApplication([sys.argv[0]])
    application.prepare(app)
    qInstallMessageHandler(lambda *_args: None)  # the offscreen platform's notes are of no interest here

    from fulian_desktop.gui.shell import dialogs

    # questions the program would ask while the shots are taken are answered, and nothing blocks
    dialogs.inform = lambda *_a, **_k: None  # type: ignore[assignment]
    dialogs.warn = lambda *_a, **_k: None  # type: ignore[assignment]
    dialogs.ask = lambda *_a, **_k: True  # type: ignore[assignment]

    folder = _TEMP / "县妇联 维权窗口"
    folder.mkdir()
    db = folder / "演示.db"
    with open(os.devnull, "w", encoding="utf-8") as quiet, contextlib.redirect_stdout(quiet):
        code = cli.main(["demo", "--db", str(db), "--cases", str(args.cases), "--seed", "3"])
    if code != 0:
        print("the demo database could not be made", file=sys.stderr)
        return 1

    for name, take in _SHOTS:
        take(app, out, name, db)
    if problems:
        print("\nwindows that do not fit a 1366×768 screen:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    return 0


# --- the shots ------------------------------------------------------------------------------------------


def _staff(db: Path):  # type: ignore[no-untyped-def]
    user, _name, _roles, password = accounts.DEMO_STAFF
    return accounts.sign_in(db, user, password)


def _first_case(ctx, kind: str, status: str | None = None) -> int:  # type: ignore[no-untyped-def]
    sql = "SELECT id FROM cases WHERE kind = ? AND is_open = 1 ORDER BY received_on DESC LIMIT 1"
    row = ctx.db.execute(sql, [kind]).fetchone()
    if row is None:
        row = ctx.db.execute("SELECT id FROM cases WHERE kind = ? ORDER BY id DESC LIMIT 1", [kind]).fetchone()
    return int(row[0])


def shot_first_start(app: QApplication, out: Path, name: str, db: Path) -> None:
    from fulian_desktop.gui.security.sign_in import FirstStartDialog

    d = FirstStartDialog(db.with_name("新.db"))
    d.office.setText("东山县妇联")
    d.display_name.setText("王秀兰")
    d.username.setText("wangxl")
    shoot(app, d, out, name)
    close(app, d)


def shot_login(app: QApplication, out: Path, name: str, db: Path) -> None:
    from fulian_desktop.gui.security.sign_in import LoginDialog

    d = LoginDialog(db)
    d.username.setText(accounts.DEMO_STAFF[0])
    shoot(app, d, out, name)
    close(app, d)


class _Main:
    """One main window, signed in as the demo staff member, shared by the shots below."""

    window = None

    @classmethod
    def get(cls, db: Path):  # type: ignore[no-untyped-def]
        if cls.window is None:
            from fulian_desktop.gui.shell.main_window import MainWindow

            cls.window = MainWindow(_staff(db))
            cls.window.resize(*MAIN_WINDOW)
            cls.window.show()
        return cls.window


def shot_dashboard(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    w.tabs.setCurrentWidget(w.dashboard)
    shoot(app, w, out, name, main=True)


def shot_petition_form(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    form = w.new_petition()
    for combo, text in ((form.channel, "来访"), (form.category, "婚姻家庭")):
        if combo.findText(text) >= 0:
            combo.setCurrentIndex(combo.findText(text))
    if form.township.count() > 1:
        form.township.setCurrentIndex(1)
    if form.subcategory.findText("家庭暴力") >= 0:
        form.subcategory.setCurrentIndex(form.subcategory.findText("家庭暴力"))
    form.dv.setChecked(True)
    form.petitioner.name.setText("张三")
    form.petitioner.id_number.setText("43099919900506123")
    form.petitioner.id_number.editingFinished.emit()
    form.petitioner.phone.setText("13800138000")
    form.facts.setPlainText("丈夫酒后多次殴打，上周在村口再次动手，邻居报警后派出所出具了告诫书。")
    form.request.setPlainText("要求离婚并申请人身安全保护令")
    settle(app)
    save = getattr(form, "save_button", None)
    if save is not None:
        save.click()  # the wrong ID number is shown next to its field
    shoot(app, form, out, name)
    close(app, form)


def shot_case_list(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    w.focus_search()
    person = w.ctx.db.execute("SELECT names FROM cases WHERE kind = 'petition' ORDER BY id LIMIT 1").fetchone()[0]
    w.case_list.set_search(person[:2])  # the first two characters of a name find her cases
    settle(app, 10)
    shoot(app, w, out, name, main=True)


def shot_case_page(app: QApplication, out: Path, name: str, kind: str, db: Path) -> None:
    w = _Main.get(db)
    view = w.open_case(_first_case(w.ctx, kind))
    assert view is not None
    settle(app, 10)
    shoot(app, w, out, name, main=True)


def shot_form(app: QApplication, out: Path, name: str, db: Path, opener: str) -> None:
    w = _Main.get(db)
    form = getattr(w, opener)()
    shoot(app, form, out, name)
    close(app, form)


def shot_household_register(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    page = w.show_register()
    if page is not None:
        settle(app, 10)
        shoot(app, w, out, name, main=True)


def shot_visit(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    form = w.log_visit(_first_case(w.ctx, "household"))
    shoot(app, form, out, name)
    close(app, form)


def shot_print_preview(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    preview = w.print_case(_first_case(w.ctx, "petition"))
    assert preview is not None
    wait(app, 2.0)  # QtPdf draws the pages in the background
    shoot(app, preview, out, name)
    close(app, preview)


def shot_statistics(app: QApplication, out: Path, name: str, db: Path) -> None:
    w = _Main.get(db)
    page = w.reports.show_statistics() if hasattr(w, "reports") else None
    if page is not None:
        settle(app, 20)
        shoot(app, w, out, name, main=True)


class _Stick:
    """A USB stick as the backup window lists it (this machine has none)."""

    @staticmethod
    def root() -> Path:
        root = _TEMP / "KINGSTON"
        root.mkdir(exist_ok=True)
        return root

    def removable(self) -> list:  # type: ignore[type-arg]
        from fulian_desktop.backup.drives import Drive

        return [Drive(self.root(), "KINGSTON", 14_200 * 2**20, 15_500 * 2**20)]


def _backup_dialog(app: QApplication, out: Path, name: str, db: Path, which: str) -> None:
    """备份到U盘 from the staff's window; 从备份恢复 from the administrator's (only an administrator restores)."""
    w = _Main.get(db)
    if getattr(w, "backups", None) is None:
        return  # backup and restore not in this version yet
    from fulian_desktop.gui.security.admin_window import AdminWindow
    from fulian_desktop.services import backup

    user, _name, _roles, password = accounts.DEMO_ADMIN
    admin = accounts.sign_in(db, user, password)
    if not backup.status(admin).has_password:
        backup.set_password(admin, BACKUP_PASSWORD, BACKUP_PASSWORD)
    if which != "open_backup":  # a backup on the stick to restore from
        backup.make_backup(w.ctx, _Stick.root() / "妇联维权工作台备份", BACKUP_PASSWORD)
    owner = w if which == "open_backup" else AdminWindow(admin)
    owner.backups.drive_list = _Stick()
    dialog = getattr(owner.backups, which)()
    if dialog is not None:
        settle(app, 10)
        shoot(app, dialog, out, name)
        close(app, dialog)
    if owner is not w:
        owner.close()
        owner.deleteLater()
        settle(app)
    if which != "open_backup":
        admin.close()


def shot_message_box(app: QApplication, out: Path, name: str, db: Path) -> None:
    """Qt's own message box, its standard buttons in Chinese (the qtbase translation)."""
    box = QMessageBox(QMessageBox.Icon.Question, "妇联维权工作台", "案件已修改但还没有保存。要保存吗？",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, _Main.get(db))
    shoot(app, box, out, name)
    close(app, box)


def shot_error(app: QApplication, out: Path, name: str, db: Path) -> None:
    """What the program shows when something unexpected happens (app.py's excepthook)."""
    box = QMessageBox(QMessageBox.Icon.Critical, "出错了",
                      "程序遇到了一个意外的问题，刚才的操作可能没有完成。已保存的案件不受影响。\n"
                      "请重新操作一次；如果问题反复出现，请联系技术人员（错误已记录在日志中）。",
                      QMessageBox.StandardButton.Ok, _Main.get(db))
    shoot(app, box, out, name)
    close(app, box)


def shot_file_dialog(app: QApplication, out: Path, name: str, db: Path) -> None:
    """Qt's own file dialog (as on a PC without the Windows one), in Chinese."""
    w = _Main.get(db)
    folder = _TEMP / "打印的表格"
    folder.mkdir(exist_ok=True)
    from fulian_desktop.services import printing

    for kind in ("petition", "mediation"):  # forms printed earlier, in the folder the dialog opens
        pdf, suggested = printing.print_case(w.ctx, _first_case(w.ctx, kind))
        (folder / suggested).write_bytes(pdf)
    d = QFileDialog(w, "另存为 PDF", str(folder), "PDF 文件 (*.pdf)")
    d.setOption(QFileDialog.Option.DontUseNativeDialog)
    d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    d.selectFile("信访登记表_张三_2026-03-01.pdf")
    d.resize(860, 520)
    d.show()
    settle(app, 10)
    tree = d.findChild(QTreeView, "treeView")
    if tree is not None:
        for column, width in enumerate((330, 90, 80, 150)):
            tree.header().resizeSection(column, width)
    shoot(app, d, out, name)
    close(app, d)


def shot_about(app: QApplication, out: Path, name: str, db: Path) -> None:
    d = _Main.get(db).about()
    shoot(app, d, out, name)
    close(app, d)


_SHOTS: list[tuple[str, Callable[[QApplication, Path, str, Path], None]]] = [
    ("01-首次使用", shot_first_start),
    ("02-登录", shot_login),
    ("03-工作台", shot_dashboard),
    ("04-登记信访", shot_petition_form),
    ("05-信访案件", lambda a, o, n, d: shot_case_page(a, o, n, "petition", d)),
    ("06-查找案件", shot_case_list),
    ("07-法律援助转介", lambda a, o, n, d: shot_form(a, o, n, d, "new_referral")),
    ("08-转介案件", lambda a, o, n, d: shot_case_page(a, o, n, "referral", d)),
    ("09-调解", lambda a, o, n, d: shot_form(a, o, n, d, "new_mediation")),
    ("10-调解案件", lambda a, o, n, d: shot_case_page(a, o, n, "mediation", d)),
    ("11-帮扶户登记", lambda a, o, n, d: shot_form(a, o, n, d, "new_household")),
    ("12-帮扶户名册", shot_household_register),
    ("13-走访记录", shot_visit),
    ("14-帮扶户", lambda a, o, n, d: shot_case_page(a, o, n, "household", d)),
    ("15-打印预览", shot_print_preview),
    ("16-另存为", shot_file_dialog),
    ("17-统计", shot_statistics),
    ("18-备份到U盘", lambda a, o, n, d: _backup_dialog(a, o, n, d, "open_backup")),
    ("19-从备份恢复", lambda a, o, n, d: _backup_dialog(a, o, n, d, "open_restore")),
    ("20-提示框", shot_message_box),
    ("21-出错了", shot_error),
    ("22-关于", shot_about),
]


if __name__ == "__main__":
    raise SystemExit(main())
