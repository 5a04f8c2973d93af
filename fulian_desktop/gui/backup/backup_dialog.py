"""备份到U盘: the backup window (one click from the main window), the backup password and settings, and the
small pieces the restore window shares: the list of removable drives and the worker thread.

The drives come from QStorageInfo through `QtDriveList`; tests give the dialog a fake `DriveList`. The
backup runs in a `Worker` thread with its own database connections; its progress and result come back
as signals, and only the GUI thread touches widgets and the signed-in context.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QStorageInfo, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...backup import drives, files
from ...backup.drives import Drive
from ...backup.engine import Outcome
from ...backup.errors import Cancelled
from ...domain.dates import format_cn_datetime
from ...domain.errors import FulianError, ValidationError
from ...services import backup
from ...services.context import Context
from ..shell import dialogs
from ..shell.widgets import HINT_STYLE, Form, heading, password_field
from ..shell.worker import Worker  # long work off the GUI thread (restore_dialog imports it from here too)

log = logging.getLogger(__name__)

OK_STYLE = "font-size: 10pt; color: #1e6b30; background: #e6f4ea; border: 1px solid #a8d5b5; padding: 10px;"
ERROR_STYLE = "font-size: 11pt; color: #a61b1b; background: #fde2e1; border: 1px solid #f1b0ac; padding: 10px;"
NOTE_STYLE = "color: #7a4b00; background: #fff3cd; border: 1px solid #f0d58c; padding: 8px;"


def note_frame(name: str) -> QFrame:
    """A yellow box for a note; the style is scoped to the box, not inherited by the labels inside it."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(f"#{name} {{ background: #fff3cd; border: 1px solid #f0d58c; }} "
                        f"#{name} QLabel {{ color: #7a4b00; }}")
    return frame
PATH_ROLE = Qt.ItemDataRole.UserRole + 11
REMOVABLE_ROLE = Qt.ItemDataRole.UserRole + 12


class Progress(QWidget):
    """What a backup or a check of one is doing, and how far it has got: a line of text over a bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stage = QLabel()
        self.stage.setStyleSheet(HINT_STYLE)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)

    def begin(self, text: str) -> None:
        self.bar.setValue(0)
        self.stage.setText(text)

    def step(self, fraction: float, text: str) -> None:
        """The worker's `progressed` signal: how far (0 to 1) and what it is doing now."""
        self.bar.setValue(int(fraction * 1000))
        self.stage.setText(text)


def size_text(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(n, 0) / 1024:.0f} KB"


# --- drives ---------------------------------------------------------------------------------------------


class DriveList(Protocol):
    def removable(self) -> list[Drive]: ...


class QtDriveList:
    """The removable drives mounted now, from QStorageInfo (writable, ready ones)."""

    def removable(self) -> list[Drive]:
        found = []
        for v in QStorageInfo.mountedVolumes():
            if not (v.isValid() and v.isReady()) or v.isReadOnly():
                continue
            root = v.rootPath()
            device = bytes(v.device().data()).decode("utf-8", "replace")
            if not drives.is_removable_volume(root, device):
                continue
            found.append(Drive(Path(root), v.displayName() if v.name() else "", int(v.bytesAvailable()),
                               int(v.bytesTotal())))
        return found


def error_text(e: BaseException) -> str:
    if isinstance(e, FulianError):
        return e.message
    if isinstance(e, OSError):
        return files.device_message(e)
    log.error("backup: unexpected %s", type(e).__name__)
    return f"程序内部出错（{type(e).__name__}），备份没有完成。请把这条信息告诉维护人员。"


# --- the backup window ----------------------------------------------------------------------------------


class BackupDialog(QDialog):
    """Choose the stick (proposed) or a folder, back up with a progress bar and a cancel button."""

    backedUp = Signal(object)  # Outcome

    def __init__(self, ctx: Context, parent: QWidget | None = None, drive_list: DriveList | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.drive_list: DriveList = drive_list or QtDriveList()
        self.worker: Worker | None = None
        self.outcome: Outcome | None = None
        self.error = ""
        self._close_when_done = False
        self.setWindowTitle("备份到U盘")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        heading(layout, "备份到U盘", "备份文件用本单位的备份密码加密，U盘丢了别人也看不到里面的内容。"
                                     "备份写好后会读回来逐一核对，核对无误才算完成。")
        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        layout.addWidget(self.last_label)

        self.password_note = note_frame("passwordNote")
        pl = QHBoxLayout(self.password_note)
        self.password_text = QLabel()
        self.password_text.setWordWrap(True)
        pl.addWidget(self.password_text, 1)
        self.password_button = QPushButton("设置备份密码…")
        pl.addWidget(self.password_button)
        layout.addWidget(self.password_note)

        layout.addWidget(QLabel("备份到："))
        self.places = QListWidget()
        self.places.setMinimumHeight(72)
        self.places.setMaximumHeight(140)
        layout.addWidget(self.places)
        row = QHBoxLayout()
        self.refresh_button = QPushButton("刷新（插入U盘后点这里）")
        self.folder_button = QPushButton("选择其他文件夹…")
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.folder_button)
        layout.addLayout(row)
        self.place_hint = QLabel()
        self.place_hint.setWordWrap(True)
        layout.addWidget(self.place_hint)

        self.progress = Progress()
        layout.addWidget(self.progress)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)

        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton("开始备份")
        self.start_button.setDefault(True)
        self.start_button.setMinimumWidth(120)
        self.close_button = QPushButton("关闭")
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.password_button.clicked.connect(self.set_password)
        self.refresh_button.clicked.connect(lambda: self.refresh_places())
        self.folder_button.clicked.connect(self.choose_folder)
        self.places.currentItemChanged.connect(lambda *_: self._place_changed())
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self._show_running(False)
        self.refresh_status()
        self.refresh_places()

    # --- state ------------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        self.status = backup.status(self.ctx)
        s = self.status
        if s.last_at is not None:
            where = f"，位置：{s.last_place}" if s.last_place else ""
            self.last_label.setText(f"上次备份：{format_cn_datetime(s.last_at)}{where}")
        else:
            self.last_label.setText("这台电脑上还没有做过备份。")
        if s.has_password:
            self.password_note.hide()
        else:
            may = self.ctx.may("settings.write")
            self.password_text.setText(
                "还没有设置备份密码。第一次备份前，请先设置一个备份密码（恢复备份时要用它）。" if may
                else "还没有设置备份密码，请管理员先在“设置 → 备份密码与设置”中设置，然后再备份。")
            self.password_button.setVisible(may)
            self.password_note.show()
        self._update_start()

    def refresh_places(self, select: Path | None = None) -> None:
        chosen = [self.places.item(i) for i in range(self.places.count())
                  if not self.places.item(i).data(REMOVABLE_ROLE)]
        folders = [Path(str(i.data(PATH_ROLE))) for i in chosen]
        self.places.clear()
        try:
            found = self.drive_list.removable()
        except Exception:  # noqa: BLE001 - a drive that cannot be asked about is not listed
            log.warning("listing removable drives failed")
            found = []
        last_place = Path(self.status.last_place) if self.status.last_place else None
        preferred = None
        for d in found:
            target = d.root / files.FOLDER
            item = QListWidgetItem(f"U盘 {d.title}　可用 {size_text(d.free)}")
            item.setData(PATH_ROLE, str(target))
            item.setData(REMOVABLE_ROLE, True)
            self.places.addItem(item)
            if last_place is not None and last_place == target:
                preferred = item
        for folder in folders:
            self._add_folder(folder)
        if select is not None:
            for i in range(self.places.count()):
                if Path(str(self.places.item(i).data(PATH_ROLE))) == select:
                    preferred = self.places.item(i)
        if preferred is None and self.places.count():
            preferred = self.places.item(0)
        if preferred is not None:
            self.places.setCurrentItem(preferred)
        self._place_changed()

    def _add_folder(self, folder: Path) -> QListWidgetItem:
        item = QListWidgetItem(f"文件夹 {folder}")
        item.setData(PATH_ROLE, str(folder))
        item.setData(REMOVABLE_ROLE, False)
        self.places.addItem(item)
        return item

    def target(self) -> Path | None:
        item = self.places.currentItem()
        return Path(str(item.data(PATH_ROLE))) if item is not None else None

    def target_is_removable(self) -> bool:
        item = self.places.currentItem()
        return bool(item.data(REMOVABLE_ROLE)) if item is not None else False

    def _place_changed(self) -> None:
        target = self.target()
        if self.places.count() == 0:
            self.place_hint.setText("没有找到U盘。请插入U盘后点“刷新”，或者选择一个文件夹。")
            self.place_hint.setStyleSheet(NOTE_STYLE)
        elif target is not None and not self.target_is_removable() and \
                backup.location_kind(target if target.exists() else target.parent) == drives.LOCAL:
            self.place_hint.setText("这个文件夹在本机硬盘上：电脑坏了、被偷或重装系统时，备份会和数据一起丢失。"
                                    "建议备份到U盘，并把U盘放在另一个地方。")
            self.place_hint.setStyleSheet(NOTE_STYLE)
        elif target is not None:
            self.place_hint.setText(f"备份文件将保存在：{target}（保留最近{self.status.keep}份）")
            self.place_hint.setStyleSheet(HINT_STYLE)
        self._update_start()

    def _update_start(self) -> None:
        running = self.worker is not None
        self.start_button.setEnabled(not running and self.status.has_password and self.target() is not None)

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        for w in (self.places, self.refresh_button, self.folder_button, self.password_button):
            w.setEnabled(not running)
        self.close_button.setText("取消备份" if running else "关闭")

    # --- actions --------------------------------------------------------------------------------------
    def set_password(self) -> QDialog:
        d = BackupSettingsDialog(self.ctx, self)
        d.accepted.connect(self.refresh_status)
        self.settings_dialog = d
        d.open()
        return d

    def choose_folder(self) -> None:
        path = dialogs.folder_path(self, "选择备份到哪个文件夹", "", "备份")
        if not path:
            return
        folder = Path(path)
        for i in range(self.places.count()):
            if Path(str(self.places.item(i).data(PATH_ROLE))) == folder:
                self.places.setCurrentRow(i)
                break
        else:
            self.places.setCurrentItem(self._add_folder(folder))
        if self.start_button.isEnabled():  # Enter next starts the backup, not the folder chooser again
            self.start_button.setFocus()

    def start(self) -> None:
        target = self.target()
        if target is None or self.worker is not None:
            return
        self.result.clear()
        self.result.setStyleSheet("")
        self.outcome, self.error = None, ""
        try:
            job = backup.prepare(self.ctx, target)
        except ValidationError as e:
            self._failed_text(e.message)
            return
        except FulianError as e:
            self._failed_text(e.message)
            return
        self.job_target = target
        self.worker = Worker(job.run, self)
        self.worker.progressed.connect(self.progress.step)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._worker_done)
        self.progress.begin("正在准备…")
        self._show_running(True)
        self._update_start()
        self.worker.start()

    def _succeeded(self, outcome: Outcome) -> None:
        self.outcome = outcome
        try:
            backup.finish(self.ctx, outcome)
        except FulianError as e:
            log.warning("backup made but not recorded: %s", type(e).__name__)
        size = size_text(outcome.path.stat().st_size) if outcome.path.exists() else ""
        cases = sum(int(v) for v in dict(outcome.header.get("cases") or {}).values())
        removed = f"删除了{len(outcome.removed)}份较早的备份，" if outcome.removed else ""
        head = "备份完成，可以拔出U盘。" if self.target_is_removable() else "备份完成。"
        self.result.setText(
            f"<span style='font-size: 14pt; font-weight: bold;'>{escape(head)}</span><br>"
            f"备份文件：{escape(outcome.path.name)}（{size}，{cases}件案件），已读回核对无误。<br>"
            f"位置：{escape(str(outcome.path.parent))}（{removed}保留最近{self.status.keep}份）")
        self.result.setStyleSheet(OK_STYLE)
        self._fit()
        self.refresh_status()
        self.backedUp.emit(outcome)

    def _failed(self, e: BaseException) -> None:
        try:
            backup.failed(self.ctx, self.job_target, e)
        except FulianError:
            pass
        if isinstance(e, Cancelled):
            self._failed_text("已取消备份，没有留下未完成的文件。U盘上原有的备份没有改动。")
        else:
            self._failed_text(error_text(e))

    def _failed_text(self, text: str) -> None:
        self.error = text
        self.result.setText(escape(text).replace("\n", "<br>"))
        self.result.setStyleSheet(ERROR_STYLE)
        self._fit()

    def _fit(self) -> None:
        """Tall enough for the message just shown."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _worker_done(self) -> None:
        worker = self.worker
        self.worker = None
        if worker is not None:
            worker.deleteLater()
        self._show_running(False)
        self._update_start()
        if self._close_when_done:
            super().reject()

    def reject(self) -> None:
        if self.worker is not None:  # 取消备份: stop at the next step, clean up, then close
            self.progress.stage.setText("正在取消…")
            self.close_button.setEnabled(False)
            self.worker.cancel()
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self.worker is not None:
            self.worker.cancel()
            self._close_when_done = True
            event.ignore()
            return
        super().closeEvent(event)


# --- the backup password and settings -------------------------------------------------------------------


class BackupSettingsDialog(QDialog):
    """备份密码与设置: the backup password (first time, or changed with the old one), how many backups to
    keep on each stick, after how many days the start page asks for a backup."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = backup.status(ctx)
        self.outcome = ""  # once saved, what was saved, for the status bar: 备份密码已设置 …
        self.setWindowTitle("备份密码与设置")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "备份密码用来加密U盘上的备份：恢复备份时必须输入它，换了电脑也一样。<b>请把备份密码写在纸上，"
            "和恢复密钥一起锁在柜子里。</b>忘记了备份密码，备份就无法恢复，任何人（包括技术人员）都无法找回。"
            "<br>备份密码不要和登录密码相同。改了备份密码以后，以前的备份仍要用当时的密码打开。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = Form()
        self.old = password_field()
        self.new = password_field()
        self.new2 = password_field()
        if self.status.has_password:
            self.form.add("old_password", "原备份密码", self.old)
        self.form.add("new_password", "新备份密码" if self.status.has_password else "备份密码", self.new)
        self.form.add("new_password2", "再输一次", self.new2)
        self.form.boxes["new_password"].set_hint(
            "至少8位，可以用一句好记的话" + ("；不改密码请留空" if self.status.has_password else ""))
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setSuffix(" 份")
        self.keep.setValue(self.status.keep)
        self.warn_days = QSpinBox()
        self.warn_days.setRange(1, 365)
        self.warn_days.setSuffix(" 天")
        self.warn_days.setValue(self.status.warn_days)
        self.form.add("keep", "每个U盘保留", self.keep)
        self.form.add("warn_days", "多久没备份就提醒", self.warn_days)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ok(self) -> None:
        for box in self.form.boxes.values():
            box.set_error("")
        try:
            changing = bool(self.new.text() or self.new2.text() or self.old.text())
            if not self.status.has_password and not changing:
                raise ValidationError({"new_password": "请设置备份密码"})
            done = []
            if changing:
                backup.set_password(self.ctx, self.new.text(), self.new2.text(), self.old.text())
                done.append("备份密码已更改" if self.status.has_password else "备份密码已设置")
            if (self.keep.value(), self.warn_days.value()) != (self.status.keep, self.status.warn_days):
                backup.set_options(self.ctx, self.keep.value(), self.warn_days.value())
                done.append(f"备份设置已保存（每个U盘保留{self.keep.value()}份，{self.warn_days.value()}天没备份就提醒）")
            self.outcome = "，".join(done) or "备份密码与设置没有改动"
        except ValidationError as e:
            shown = False
            for name, box in self.form.boxes.items():
                if name in e.errors:
                    box.set_error(e.errors[name])
                    shown = True
            if not shown:
                dialogs.warn(self, self.windowTitle(), e.message)
            return
        except FulianError as e:
            dialogs.warn(self, self.windowTitle(), e.message)
            return
        for w in (self.old, self.new, self.new2):
            w.clear()
        self.accept()
