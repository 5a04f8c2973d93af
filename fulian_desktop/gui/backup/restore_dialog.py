"""从备份恢复: choose a backup (found on the sticks, the automatic local ones, or any file), check it completely
in a worker thread, show what it holds (office, date, cases per kind, newest case) — and only when she
confirms, set the current database aside and put the backup in its place. The window that opened this
dialog then signs in again on the restored database (`restored` signal).

Works signed in (the main window, the administrator's window: permission backup.restore) and before any
account exists (first start on a new PC: ctx None, the backup password is the only key asked for).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...backup import files
from ...backup.engine import Opened
from ...backup.errors import Cancelled, WrongPassword
from ...domain.dates import format_cn, format_cn_datetime
from ...domain.errors import FulianError
from ...domain.kinds import KINDS, count_label
from ...services import backup
from ...services.context import Context
from ..shell import dialogs
from ..shell.application import make_main
from ..shell.widgets import heading, password_field
from .backup_dialog import (
    ERROR_STYLE,
    DriveList,
    Progress,
    QtDriveList,
    Worker,
    error_text,
    note_frame,
    size_text,
)

log = logging.getLogger(__name__)

FILE_ROLE = Qt.ItemDataRole.UserRole + 21
LOCAL_ROLE = Qt.ItemDataRole.UserRole + 22
VALUE_STYLE = "font-size: 11pt;"


class RestoreDialog(QDialog):
    restored = Signal(object)  # engine.Restored, or None when the program must sign in again after a failure

    def __init__(self, ctx: Context | None, db_path: Path, parent: QWidget | None = None,
                 drive_list: DriveList | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = db_path
        self.drive_list: DriveList = drive_list or QtDriveList()
        self.worker: Worker | None = None
        self.opened: Opened | None = None
        self.checking: Path | None = None
        self.setWindowTitle("从备份恢复")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self._choose_page()
        self._checking_page()
        self._preview_page()
        self.refresh_files()

    # --- page 1: which backup ---------------------------------------------------------------------------
    def _choose_page(self) -> None:
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setSpacing(10)
        heading(pl, "从备份恢复", "先完整检查备份文件，并显示其中的内容；您确认以后才会恢复。"
                                 "现在的数据库会改名保留在原来的文件夹里，不会删除。")
        pl.addWidget(QLabel("找到的备份（U盘上的、本机每天自动做的）："))
        self.files = QListWidget()
        self.files.setMinimumHeight(150)
        pl.addWidget(self.files)
        row = QHBoxLayout()
        self.refresh_button = QPushButton("刷新（插入U盘后点这里）")
        self.browse_button = QPushButton("选择备份文件…")
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.browse_button)
        pl.addLayout(row)
        pw_row = QHBoxLayout()
        self.password_label = QLabel("备份密码：")
        self.password = password_field("备份时本单位设置的备份密码")
        pw_row.addWidget(self.password_label)
        pw_row.addWidget(self.password, 1)
        pl.addLayout(pw_row)
        self.choose_error = QLabel()
        self.choose_error.setWordWrap(True)
        self.choose_error.setStyleSheet(ERROR_STYLE)
        self.choose_error.hide()
        pl.addWidget(self.choose_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.check_button = QPushButton("检查备份")
        self.check_button.setMinimumWidth(120)
        close = QPushButton("关闭")
        buttons.addWidget(self.check_button)
        buttons.addWidget(close)
        pl.addLayout(buttons)
        self.pages.addWidget(page)
        self.refresh_button.clicked.connect(lambda: self.refresh_files())
        self.browse_button.clicked.connect(self.browse)
        self.files.currentItemChanged.connect(lambda *_: self._file_changed())
        self.files.itemDoubleClicked.connect(lambda _i: self.check())
        self.password.returnPressed.connect(self.check)
        self.check_button.clicked.connect(self.check)
        close.clicked.connect(self.reject)

    def refresh_files(self, select: Path | None = None) -> None:
        picked = [Path(str(self.files.item(i).data(FILE_ROLE))) for i in range(self.files.count())
                  if self.files.item(i).data(FILE_ROLE) is not None and self.files.item(i).data(LOCAL_ROLE) is None]
        self.files.clear()
        try:
            sticks = self.drive_list.removable()
        except Exception:  # noqa: BLE001
            log.warning("listing removable drives failed")
            sticks = []
        for d in sticks:
            for b in files.backups_in(d.root / files.FOLDER):
                self._add(f"U盘 {d.title}：{b.office}　{format_cn_datetime(b.at)}　{size_text(b.size)}", b.path, False)
        if self.ctx is not None and self.ctx.may("backup.restore"):
            try:
                local = backup.local_snapshots(self.ctx)
            except FulianError:
                local = []
            for b in local:
                self._add(f"本机自动备份：{format_cn_datetime(b.at)}　{size_text(b.size)}", b.path, True)
        for p in picked:
            self._add(f"文件 {p}", p, None)
        if select is not None:
            for i in range(self.files.count()):
                if Path(str(self.files.item(i).data(FILE_ROLE))) == select:
                    self.files.setCurrentRow(i)
        if self.files.currentItem() is None and self.files.count():
            self.files.setCurrentRow(0)
        if not self.files.count():
            item = QListWidgetItem("没有找到备份。请插入存有备份的U盘后点“刷新”，或点“选择备份文件…”。")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.files.addItem(item)
        self._file_changed()

    def _add(self, text: str, path: Path, local: bool | None) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(FILE_ROLE, str(path))
        item.setData(LOCAL_ROLE, local)
        item.setToolTip(str(path))
        self.files.addItem(item)
        return item

    def selected(self) -> tuple[Path | None, bool]:
        item = self.files.currentItem()
        if item is None or item.data(FILE_ROLE) is None:
            return None, False
        return Path(str(item.data(FILE_ROLE))), bool(item.data(LOCAL_ROLE))

    def _file_changed(self) -> None:
        path, local = self.selected()
        self.password.setVisible(not local)
        self.password_label.setVisible(not local)
        self.check_button.setEnabled(path is not None)

    def browse(self) -> None:
        path = dialogs.open_path(self, "选择备份文件", f"备份文件 (*{files.EXTENSION});;所有文件 (*)")
        if not path:
            return
        p = Path(path)
        for i in range(self.files.count()):
            if self.files.item(i).data(FILE_ROLE) is not None and Path(str(self.files.item(i).data(FILE_ROLE))) == p:
                self.files.setCurrentRow(i)
                return
        if self.files.count() == 1 and self.files.item(0).data(FILE_ROLE) is None:
            self.files.clear()
        self.files.setCurrentItem(self._add(f"文件 {p}", p, None))

    def say(self, text: str) -> None:
        self.choose_error.setText(text)
        self.choose_error.setVisible(bool(text))

    # --- page 2: checking -----------------------------------------------------------------------------------
    def _checking_page(self) -> None:
        page = QWidget()
        pl = QVBoxLayout(page)
        heading(pl, "正在检查备份…", "逐段核对备份文件，并检查其中数据库的完整性和记录条数。这时什么都还没有改动。")
        self.progress = Progress()
        pl.addWidget(self.progress)
        pl.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("取消")
        row.addWidget(self.cancel_button)
        pl.addLayout(row)
        self.pages.addWidget(page)
        self.cancel_button.clicked.connect(self._cancel)

    def check(self) -> None:
        path, local = self.selected()
        if path is None or self.worker is not None:
            return
        password = None if local else self.password.text()
        if not local and not password:
            self.say("请输入备份密码。")
            self.password.setFocus()
            return
        self.say("")
        try:
            if self.ctx is not None:
                job = backup.restore_job(self.ctx, path, password)
                work = job.run
            else:
                db_path = self.db_path

                def work(progress, cancel):  # type: ignore[no-untyped-def]
                    return backup.open_without_account(path, db_path, password or "", progress, cancel)
        except FulianError as e:
            self.say(e.message)
            return
        self.checking = path
        self.worker = Worker(work, self)
        self.worker.progressed.connect(self.progress.step)
        self.worker.succeeded.connect(self._checked)
        self.worker.failed.connect(self._check_failed)
        self.worker.finished.connect(self._worker_done)
        self.progress.begin("正在打开备份文件…")
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(1)
        self.worker.start()

    def _cancel(self) -> None:
        if self.worker is not None:
            self.progress.stage.setText("正在取消…")
            self.cancel_button.setEnabled(False)
            self.worker.cancel()

    def _check_failed(self, e: BaseException) -> None:
        if self.ctx is not None and self.checking is not None:
            try:
                backup.restore_failed(self.ctx, self.checking, e)
            except FulianError:
                pass
        self.pages.setCurrentIndex(0)
        if isinstance(e, Cancelled):
            self.say("已取消检查，什么都没有改动。")
        else:
            self.say(error_text(e) + "\n现在的数据没有任何改动。")
        if isinstance(e, WrongPassword):
            self.password.selectAll()
            self.password.setFocus()

    def _checked(self, opened: Opened) -> None:
        self.password.clear()
        self.opened = opened
        if self.ctx is not None and self.ctx.session is not None:
            backup.backup_opened(self.ctx, opened.file)
        self._show_preview(opened)
        self.pages.setCurrentIndex(2)

    def _worker_done(self) -> None:
        worker = self.worker
        self.worker = None
        if worker is not None:
            worker.deleteLater()

    # --- page 3: what it holds ------------------------------------------------------------------------------
    def _preview_page(self) -> None:
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setSpacing(10)
        heading(pl, "备份完好，其中有：")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        rows = [("office", "单位"), ("created", "备份时间"), *[(k, count_label(k)) for k in KINDS],
                ("total", "案件合计"), ("attachments", "附件"), ("newest", "最新案件"), ("file", "备份文件")]
        for i, (key, label) in enumerate(rows):
            name = QLabel(f"{label}：")
            name.setStyleSheet("color: #52606d;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel()
            value.setStyleSheet(VALUE_STYLE)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, i, 0)
            grid.addWidget(value, i, 1)
            self.values[key] = value
        grid.setColumnStretch(1, 1)
        pl.addLayout(grid)
        self.warning = note_frame("restoreWarning")
        wl = QVBoxLayout(self.warning)
        self.warning_text = QLabel()
        self.warning_text.setWordWrap(True)
        wl.addWidget(self.warning_text)
        pl.addWidget(self.warning)
        self.confirm = QCheckBox("我已了解，用这个备份替换现在的数据")
        pl.addWidget(self.confirm)
        self.restore_error = QLabel()
        self.restore_error.setWordWrap(True)
        self.restore_error.setStyleSheet(ERROR_STYLE)
        self.restore_error.hide()
        pl.addWidget(self.restore_error)
        row = QHBoxLayout()
        self.back_button = QPushButton("返回")
        self.restore_button = QPushButton("恢复")
        self.restore_button.setMinimumWidth(120)
        self.restore_button.setEnabled(False)
        make_main(self.check_button, self.restore_button)  # Enter: 检查备份, then (once confirmed) 恢复
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        pl.addLayout(row)
        self.pages.addWidget(page)
        self.confirm.toggled.connect(self.restore_button.setEnabled)
        self.back_button.clicked.connect(self._back)
        self.restore_button.clicked.connect(self.restore)

    def _show_preview(self, o: Opened) -> None:
        v = self.values
        v["office"].setText(o.office or "（未填写单位名称）")
        v["created"].setText(format_cn_datetime(o.created_at) if o.created_at else "（不详）")
        cases = o.cases
        for k in KINDS:
            v[k].setText(f"{cases.get(k, 0)} 件")
        v["total"].setText(f"{sum(cases.values())} 件")
        tables = dict(o.header.get("tables") or {})  # counted in the backup's check, like every table
        v["attachments"].setText(f"{int(tables.get('attachments', 0))} 个")
        newest = o.newest
        if newest:
            received = format_cn(newest.get("received_on", "")) if newest.get("received_on") else ""
            v["newest"].setText(f"{newest.get('case_no', '')}（{received}收到）" if received else newest.get("case_no", ""))
        else:
            v["newest"].setText("（没有案件）")
        kind = "本机自动备份" if o.is_local else "U盘备份"
        v["file"].setText(f"{o.file.name}（{kind}）")
        exists = self.db_path.exists()
        text = []
        if exists:
            text.append("恢复后，现在的数据会变成备份时的样子：备份以后登记或修改的内容不在这个备份里。"
                        f"现在的数据库会改名保留在“{self.db_path.parent}”中，不会删除。")
        else:
            text.append(f"备份将恢复到：{self.db_path}")
        text.append("恢复后请用<b>备份时的账号和密码</b>登录（之后改过的密码、新加的账号不在备份里）。")
        self.warning_text.setText("<br>".join(text))
        self.confirm.setChecked(False)
        self.restore_button.setEnabled(False)
        self.restore_error.hide()

    def _back(self) -> None:
        self._discard()
        self.pages.setCurrentIndex(0)

    def _discard(self) -> None:
        if self.opened is not None:
            self.opened.discard()
            self.opened = None

    def restore(self) -> None:
        opened = self.opened
        if opened is None or not self.confirm.isChecked():
            return
        try:
            if self.ctx is not None:
                done = backup.restore(self.ctx, opened)
            else:
                done = backup.restore_without_account(opened, self.db_path)
        except FulianError as e:
            self.restore_error.setText(e.message)
            self.restore_error.show()
            if self.ctx is not None and self.ctx.session is None:  # closed by the attempt: sign in again
                self.opened = None
                dialogs.warn(self, "恢复没有完成", e.message)
                self.restored.emit(None)
                self.accept()
            return
        self.opened = None
        self.restored.emit(done)
        self.accept()

    # --- closing ----------------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.worker is not None:
            self._cancel()
            return
        self._discard()
        super().reject()
