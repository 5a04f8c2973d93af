"""The exchange windows: 本单位（交换）, 导出交换包, 导入交换包 (the preview first, then a side-by-side chooser for the
records changed in both offices, field by field), 读回执. Every message next to its field; nothing typed is lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn
from ...domain.errors import FulianError, ValidationError
from ...domain.office import COUNTY, TOWNSHIP
from ...services import exchange_packages as ex
from ...services.context import Context
from ..shell import dialogs
from ..shell.application import make_main

_ERROR_STYLE = "color: #b00020;"


def _error_label() -> QLabel:
    label = QLabel("")
    label.setStyleSheet(_ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class _Form(QDialog):
    """A dialog of fields, each with its message under it, and one main button."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.errors: dict[str, QLabel] = {}
        self.general = _error_label()
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        outer.addWidget(self.general)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        outer.addLayout(self.buttons)
        self.outer = outer

    def add(self, key: str, label: str, widget: QWidget) -> None:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(widget)
        self.errors[key] = _error_label()
        lay.addWidget(self.errors[key])
        self.form.addRow(label, box)

    def clear_errors(self) -> None:
        for label in [*self.errors.values(), self.general]:
            _show(label, "")

    def show_error(self, e: FulianError) -> None:
        self.clear_errors()
        fields = e.errors if isinstance(e, ValidationError) else {}
        placed = False
        for key, text in fields.items():
            if key in self.errors:
                _show(self.errors[key], text)
                placed = True
        if not placed:
            _show(self.general, str(e))

    def button(self, text: str, main: bool = False) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(main)
        self.buttons.addWidget(b)
        if main:
            make_main(b)
            b.setDefault(True)
        return b


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText("县妇联为本乡镇设定的交换包密码")
    return edit


def _path_row(edit: QLineEdit, pick: Any) -> QWidget:
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    b = QPushButton("选择…")
    b.setAutoDefault(False)  # Enter in the fields presses the dialog's main button, not this
    b.clicked.connect(pick)
    lay.addWidget(b)
    return box


class OfficeDialog(_Form):
    """本单位: 县妇联, or a named 乡镇（街道）妇联 under a named county."""

    def __init__(self, parent: QWidget | None, ctx: Context) -> None:
        super().__init__(parent, "本单位（交换数据用）")
        self.ctx = ctx
        current = ex.office(ctx)
        self.level = QComboBox()
        self.level.addItem("县妇联", COUNTY)
        self.level.addItem("乡镇（街道）妇联", TOWNSHIP)
        self.level.setCurrentIndex(1 if current.is_township else 0)
        self.county = QLineEdit(current.county)
        self.county.setPlaceholderText("如：某某县")
        self.township = QLineEdit(current.township)
        self.township.setPlaceholderText("如：福田铺乡")
        self.add("office_level", "本单位是", self.level)
        self.add("office_county", "所在县（市、区）", self.county)
        self.add("office_township", "乡镇（街道）", self.township)
        self.level.currentIndexChanged.connect(self._level_changed)
        self._level_changed()
        self.save = self.button("保存", main=True)
        self.button("取消").clicked.connect(self.reject)
        self.save.clicked.connect(self.accept_office)

    def _level_changed(self) -> None:
        self.township.setEnabled(self.level.currentData() == TOWNSHIP)

    def accept_office(self) -> None:
        try:
            ex.set_office(self.ctx, str(self.level.currentData()), self.county.text(), self.township.text())
        except FulianError as e:
            self.show_error(e)
            return
        self.accept()


class ExportDialog(_Form):
    def __init__(self, parent: QWidget | None, ctx: Context) -> None:
        super().__init__(parent, "导出交换包")
        self.ctx = ctx
        self.office = ex.office(ctx)
        intro = QLabel(f"本单位：{self.office.label}。交换包里是对方还没有确认收到的新增和改动，加密保存。")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.township = QComboBox()
        if not self.office.is_township:
            self.township.addItems(ex.peers(ctx))
            self.add("township", "发给哪个乡镇", self.township)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("U盘或文件夹")
        self.add("folder", "写到", _path_row(self.folder, self._pick))
        self.password = _password()
        self.add("password", "交换包密码", self.password)
        self.go = self.button("导出", main=True)
        self.button("关闭").clicked.connect(self.reject)
        self.go.clicked.connect(self.export)
        self.made: ex.Exported | None = None

    def _pick(self) -> None:
        chosen = dialogs.folder_path(self, "交换包写到哪里", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self) -> None:
        if not self.folder.text().strip():
            self.show_error(ValidationError({"folder": "请选择交换包写到哪个文件夹（如U盘）"}))
            return
        try:
            self.made = ex.export_package(self.ctx, Path(self.folder.text().strip()), self.password.text(),
                                          township=self.township.currentText())
        except FulianError as e:
            self.show_error(e)
            return
        self.clear_errors()
        m = self.made
        empty = "对方已确认收到全部记录，这个交换包里没有新的内容。\n" if m.cases + m.people == 0 else ""
        dialogs.inform(self, "导出交换包", f"{empty}交换包已写好：\n{m.path}\n案件 {m.cases} 件，当事人 {m.people} 人，"
                                           f"附件 {m.attachments} 份。\n请把它交给对方导入，并带回对方的回执。")
        self.accept()


class ConflictDialog(QDialog):
    """Records changed in both offices, side by side, field by field: which one stands."""

    def __init__(self, parent: QWidget | None, preview: ex.Preview, mine: str, theirs: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("两边都改过的记录：逐项选择")
        self.choices: dict[str, dict[str, str]] = {}
        self.groups: list[tuple[str, str, QButtonGroup]] = []
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("下面的记录在本处和对方都改过。请逐项选择以哪一边为准（两边新增的办理经过等都会保留）。"))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["记录 / 项目", f"本处（{mine}）", f"对方（{theirs}）", "以哪边为准"])
        self.table.verticalHeader().hide()
        for item in preview.conflicts:
            for d in item.differences:
                row = self.table.rowCount()
                self.table.insertRow(row)
                self.table.setItem(row, 0, QTableWidgetItem(f"{item.title}：{d.label}"))
                self.table.setItem(row, 1, QTableWidgetItem(_cell(d.ours)))
                self.table.setItem(row, 2, QTableWidgetItem(_cell(d.theirs)))
                box = QWidget()
                h = QHBoxLayout(box)
                h.setContentsMargins(2, 0, 2, 0)
                group = QButtonGroup(box)
                ours, other = QRadioButton("本处"), QRadioButton("对方")
                ours.setChecked(True)
                group.addButton(ours, 0)
                group.addButton(other, 1)
                h.addWidget(ours)
                h.addWidget(other)
                h.addStretch(1)  # the buttons as wide as their words: a click beside them is not a choice
                self.table.setCellWidget(row, 3, box)
                self.groups.append((item.uuid, f"{d.table}.{d.column}", group))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumWidth(900)
        lay.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok = QPushButton("按选择导入")
        cancel = QPushButton("取消")
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        make_main(self.ok)
        lay.addLayout(buttons)
        self.ok.clicked.connect(self._done)
        cancel.clicked.connect(self.reject)

    def _done(self) -> None:
        self.choices = {}
        for uuid, key, group in self.groups:
            self.choices.setdefault(uuid, {})[key] = ex.OURS if group.checkedId() == 0 else ex.THEIRS
        self.accept()


def _cell(value: object) -> str:
    if value in (None, ""):
        return "（空）"
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return format_cn(text)
    return text


class ImportDialog(_Form):
    def __init__(self, parent: QWidget | None, ctx: Context) -> None:
        super().__init__(parent, "导入交换包")
        self.ctx = ctx
        self.file = QLineEdit()
        self.add("file", "交换包", _path_row(self.file, self._pick))
        self.password = _password()
        self.add("password", "交换包密码", self.password)
        self.shown = QPlainTextEdit()
        self.shown.setReadOnly(True)
        self.shown.setPlaceholderText("先点“查看内容”：导入前显示交换包里有什么，此时什么都不会改动。")
        self.shown.setMinimumHeight(160)
        self.outer.insertWidget(1, self.shown)
        self.by_phone = QCheckBox("姓名和电话相同的当事人是同一人（已核实时勾选；默认分开保存）")
        self.by_phone.hide()
        self.outer.insertWidget(2, self.by_phone)
        self.look = self.button("查看内容", main=True)
        self.go = self.button("导入")
        self.go.setEnabled(False)
        self.button("关闭").clicked.connect(self.reject)
        self.look.clicked.connect(self.open_preview)
        self.go.clicked.connect(self.import_now)
        self.preview: ex.Preview | None = None
        self.imported: ex.Imported | None = None
        self.chooser: ConflictDialog | None = None
        self.file.textChanged.connect(self._forget)
        self.resize(760, 460)

    def _forget(self) -> None:
        self.preview = None
        self.go.setEnabled(False)

    def _pick(self) -> None:
        chosen = dialogs.open_path(self, "选择交换包", f"交换包 (*{ex.PACKAGE_SUFFIX})")
        if chosen:
            self.file.setText(chosen)

    def open_preview(self) -> None:
        path = Path(self.file.text().strip())
        if not self.file.text().strip():
            self.show_error(ValidationError({"file": "请选择交换包文件"}))
            return
        try:
            pkg = ex.open_package(self.ctx, path, self.password.text())
            self.preview = ex.preview(self.ctx, pkg)
        except FulianError as e:
            self.show_error(e)
            return
        self.clear_errors()
        lines = self.preview.lines()
        for item in self.preview.conflicts:
            lines.append(f"两边都改过：{item.title}（{'、'.join(d.label for d in item.differences)}）")
        if self.preview.maybe_same:
            lines.append(f"可能是同一人（姓名、电话相同，没有相同的身份证号）：{len(self.preview.maybe_same)} 人")
        self.shown.setPlainText("\n".join(lines))
        self.by_phone.setVisible(bool(self.preview.maybe_same))
        self.go.setEnabled(True)
        self.look.setDefault(False)
        self.look.setAutoDefault(False)
        self.go.setAutoDefault(True)
        make_main(self.go)
        self.go.setDefault(True)

    def import_now(self) -> None:
        if self.preview is None:
            return
        pv = self.preview
        if pv.conflicts:
            me = ex.office(self.ctx)
            self.chooser = ConflictDialog(self, pv, me.label, pv.package.sender.label)
            self.chooser.accepted.connect(lambda: self._merge(self.chooser.choices if self.chooser else {}))
            self.chooser.open()
            return
        self._merge({})

    def _merge(self, choices: dict[str, dict[str, str]]) -> None:
        if self.preview is None:
            return
        pv = self.preview
        try:
            self.imported = ex.import_package(self.ctx, pv.package, choices=choices,
                                              same_by_phone=self.by_phone.isChecked(),
                                              receipt_password=self.password.text())
        except FulianError as e:
            self.show_error(e)
            return
        d = self.imported
        if d.preview.already_imported:
            text = "这个交换包已经导入过，没有改动任何记录。"
        else:
            text = f"已导入 {d.applied} 条记录（两边都改过的 {d.conflicts_resolved} 条已按选择合并）。"
        dialogs.inform(self, "导入交换包", f"{text}\n回执已写在：\n{d.receipt}\n请把回执带回交给对方，对方用“读回执”确认。")
        self.accept()


class ReceiptDialog(_Form):
    def __init__(self, parent: QWidget | None, ctx: Context) -> None:
        super().__init__(parent, "读回执")
        self.ctx = ctx
        self.file = QLineEdit()
        self.add("file", "回执", _path_row(self.file, self._pick))
        self.password = _password()
        self.add("password", "交换包密码", self.password)
        self.go = self.button("读回执", main=True)
        self.button("关闭").clicked.connect(self.reject)
        self.go.clicked.connect(self.read)

    def _pick(self) -> None:
        chosen = dialogs.open_path(self, "选择回执", f"回执 (*{ex.RECEIPT_SUFFIX})")
        if chosen:
            self.file.setText(chosen)

    def read(self) -> None:
        if not self.file.text().strip():
            self.show_error(ValidationError({"file": "请选择回执文件"}))
            return
        try:
            ack = ex.read_receipt(self.ctx, Path(self.file.text().strip()), self.password.text())
        except FulianError as e:
            self.show_error(e)
            return
        dialogs.inform(self, "读回执", f"{ack.sender.label}已确认收到 {ack.records} 条记录。下一个交换包从这里开始。")
        self.accept()


