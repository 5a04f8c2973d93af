"""导入台账 (import wizard): choose a file, map its columns to fields (guessed from the headers), see every
row checked — what is wrong with each, which are already on file — and only then write all good rows in
one transaction (or nothing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import FulianError, ValidationError
from ...reports import reading
from ...reports.reading import Source
from ...reports.registers import FIELDS, KIND_LABELS
from ...services import exchange
from ...services.context import Context
from ...services.importing import Progress, Report
from ..shell import dialogs
from ..shell.application import make_main

NOT_IMPORTED = "（不导入）"
STATE_LABELS = {"new": "可导入", "same": "已在库中", "error": "有错误"}
STATE_COLORS = {"new": "#e8f5e9", "same": "#eeeeee", "error": "#fde2e1"}
PROGRESS_FROM = 300  # rows: show a progress dialog from this many


def _shown(cell: reading.Cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if cell.formula:
        return str(v)
    return reading.cell_text(v)


class ImportWizard(QDialog):
    imported = Signal(str, int)  # kind, rows written

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入台账（Excel或CSV）")
        self.resize(980, 680)
        self.source: Source | None = None
        self.report: Report | None = None
        self.combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        self.steps_label = QLabel()
        self.steps_label.setStyleSheet("font-weight: bold; color: #1d4e89;")
        layout.addWidget(self.steps_label)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self._build_file_page()
        self._build_mapping_page()
        self._build_preview_page()
        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.import_button = QPushButton("导入")
        self.cancel_button = QPushButton("取消")
        buttons.addWidget(self.message, 1)
        for b in (self.back_button, self.next_button, self.import_button, self.cancel_button):
            buttons.addWidget(b)
        make_main(self.next_button, self.import_button)  # Enter: 下一步, and on the last step 导入
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.import_button.clicked.connect(self.write)
        self.cancel_button.clicked.connect(self.reject)
        self._show_step(0)

    # --- pages ----------------------------------------------------------------------------------
    def _build_file_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        intro = QLabel(
            "可以导入信访登记台账、法律援助转介台账、婚姻家庭纠纷调解台账、帮扶对象名册和走访慰问登记"
            "（Excel的.xlsx文件或.csv文件）。\n表格的第一张工作表应有一行列名（如“日期”“姓名”“乡镇”）。"
            "导入前会逐行检查，并告诉您哪些行有问题；确认之前不会写入任何内容。\n"
            "已在库中的记录（相同的案件编号，或同一人同一天同样的内容）不会重复导入；身份证号相同的人会被认出，不会重复建档。")
        intro.setWordWrap(True)
        v.addWidget(intro)
        row = QHBoxLayout()
        self.choose_button = QPushButton("选择文件…")
        self.file_label = QLabel("还没有选择文件")
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        v.addLayout(row)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("台账类型："))
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        kind_row.addWidget(self.kind)
        kind_row.addStretch(1)
        v.addLayout(kind_row)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        v.addWidget(self.notes)
        v.addStretch(1)
        self.choose_button.clicked.connect(self.choose)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_mapping())
        self.stack.addWidget(page)

    def _build_mapping_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        hint = QLabel("请核对每个字段取自表格的哪一列（已按列名猜好）。带 * 的字段必须有；不需要的选“（不导入）”。")
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["字段", "取自表格的列", "第一行的内容"])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.mapping_table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        v.addWidget(self.mapping_table)
        self.stack.addWidget(page)

    def _build_preview_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt;")
        v.addWidget(self.summary)
        self.only_errors = QCheckBox("只看有错误的行")
        v.addWidget(self.only_errors)
        self.preview = QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["行号", "检查结果", "姓名", "说明"])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(True)
        h = self.preview.horizontalHeader()
        for i in (0, 1, 2):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        v.addWidget(self.preview, 1)
        self.only_errors.toggled.connect(lambda _on: self._fill_preview())
        self.stack.addWidget(page)

    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        names = ["① 选择文件", "② 对应各列", "③ 检查结果"]
        self.steps_label.setText("　→　".join(f"【{n}】" if i == step else n for i, n in enumerate(names)))
        self.back_button.setEnabled(step > 0)
        self.next_button.setVisible(step < 2)
        self.next_button.setEnabled(step > 0 or self.source is not None)
        self.next_button.setText("检查每一行" if step == 1 else "下一步")
        self.import_button.setVisible(step == 2)
        self.message.setText("")

    # --- step 1 ---------------------------------------------------------------------------------
    def choose(self) -> None:
        path = dialogs.open_path(self, "选择要导入的表格")
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        try:
            source = exchange.read(path)
        except FulianError as e:
            self.source = None
            self.file_label.setText(str(path))
            self.notes.setText(e.message)
            self.notes.setStyleSheet("color: #a61b1b;")
            self._show_step(0)
            return False
        self.source = source
        self.file_label.setText(f"{Path(path).name}：表头在第{source.header_row}行，共{len(source.rows)}行数据")
        self.notes.setStyleSheet("color: #555;")
        self.notes.setText("\n".join(source.notes))
        guess = reading.guess_kind(source.headers)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(guess))
        self.kind.blockSignals(False)
        self._fill_mapping()
        self._show_step(0)
        return True

    # --- step 2 ---------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _fill_mapping(self) -> None:
        self.combos.clear()
        self.mapping_table.setRowCount(0)
        if self.source is None:
            return
        kind = self.current_kind()
        guess = reading.guess_mapping(kind, self.source.headers)
        fields = FIELDS[kind]
        self.mapping_table.setRowCount(len(fields))
        first = self.source.rows[0][1] if self.source.rows else []
        for r, f in enumerate(fields):
            name = QTableWidgetItem(f.label + (" *" if f.required else ""))
            if f.required:
                name.setForeground(QBrush(QColor("#a61b1b")))
            self.mapping_table.setItem(r, 0, name)
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, -1)
            for i, h in enumerate(self.source.headers):
                combo.addItem(h or f"第{i + 1}列（无列名）", i)
            for value in reading.FILL_CHOICES.get(kind, {}).get(f.key, ()):
                combo.addItem(f"全部填为“{value}”", f"={value}")
            if f.key in guess:
                combo.setCurrentIndex(combo.findData(guess[f.key]))
            example = QTableWidgetItem()
            self.mapping_table.setItem(r, 2, example)

            def show_example(_i: int, combo: QComboBox = combo, item: QTableWidgetItem = example) -> None:
                data = combo.currentData()
                if isinstance(data, str):
                    item.setText(data[1:])
                    return
                col = int(data)
                item.setText(_shown(first[col]) if 0 <= col < len(first) else "")

            combo.currentIndexChanged.connect(show_example)
            show_example(0)
            self.mapping_table.setCellWidget(r, 1, combo)
            self.combos[f.key] = combo

    def mapping(self) -> dict[str, int]:
        return {key: int(c.currentData()) for key, c in self.combos.items()
                if isinstance(c.currentData(), int) and int(c.currentData()) >= 0}

    def fill(self) -> dict[str, str]:
        """Values chosen for the whole file (全部填为“来访”)."""
        return {key: str(c.currentData())[1:] for key, c in self.combos.items() if isinstance(c.currentData(), str)}

    def set_column(self, key: str, header: str) -> None:
        """Choose the column for a field as the user would, by what the list shows: a header,
        NOT_IMPORTED, or 全部填为“来访”."""
        c = self.combos[key]
        c.setCurrentIndex(c.findText(header))

    # --- step 3 ---------------------------------------------------------------------------------
    def _progress(self, title: str) -> tuple[QProgressDialog | None, Progress | None]:
        assert self.source is not None
        if len(self.source.rows) < PROGRESS_FROM:
            return None, None
        dialog = QProgressDialog(title, "停止", 0, len(self.source.rows), self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def step(done: int, total: int) -> bool:
            dialog.setValue(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        return dialog, step

    def check(self) -> Report | None:
        assert self.source is not None
        dialog, step = self._progress("正在逐行检查……")
        try:
            report = exchange.check(self.ctx, self.source, self.current_kind(), self.mapping(), step, self.fill())
        except ValidationError as e:
            self.message.setText("；".join(e.errors.values()))
            self.message.setStyleSheet("color: #a61b1b;")
            return None
        except FulianError as e:
            dialogs.warn(self, "无法检查", e.message)
            return None
        finally:
            if dialog is not None:
                dialog.close()
        if report.stopped:
            self.message.setText("已停止检查。")
            return None
        self.report = report
        self._fill_preview()
        return report

    def _fill_preview(self) -> None:
        report = self.report
        if report is None:
            return
        errors = len(report.errors)
        text = (f"共{len(report.rows)}行：<b style='color:#2e7d32'>可导入{report.new}行</b>，"
                f"已在库中{report.same}行（不会重复导入），"
                f"<b style='color:#a61b1b'>有错误{errors}行</b>。")
        if errors:
            text += "<br>有错误的行不会导入。可以改正表格后重新导入；已导入的行再次导入时会被认出，不会重复。"
        self.summary.setText(text)
        rows = report.errors if self.only_errors.isChecked() else report.rows
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            note = "；".join(row.messages) if row.state == "error" else (
                f"已在库中：{row.case_no}" if row.state == "same" else "")
            values = [str(row.row), STATE_LABELS[row.state], row.who, note]
            for col, text_ in enumerate(values):
                item = QTableWidgetItem(text_)
                item.setBackground(QBrush(QColor(STATE_COLORS[row.state])))
                if row.state == "error" and col == 3:
                    item.setForeground(QBrush(QColor("#a61b1b")))
                self.preview.setItem(r, col, item)
        self.preview.resizeRowsToContents()
        self.import_button.setText(f"导入{report.new}条记录" if report.new else "没有可导入的记录")
        self.import_button.setEnabled(report.new > 0)

    def write(self) -> Report | None:
        if self.source is None or self.report is None or not self.report.new:
            return None
        errors = len(self.report.errors)
        if errors and not dialogs.ask(
            self, "导入", f"有{errors}行有错误，这些行不会导入。\n现在导入其余{self.report.new}条记录吗？",
            yes=f"导入{self.report.new}条", no="先不导入"):
            return None
        dialog, step = self._progress("正在导入……")
        try:
            report = exchange.import_rows(self.ctx, self.source, self.current_kind(), self.mapping(), step,
                                           self.fill())
        except FulianError as e:
            dialogs.warn(self, "导入失败", f"{e.message}\n\n没有写入任何记录。")
            return None
        finally:
            if dialog is not None:
                dialog.close()
        if report.stopped:
            dialogs.inform(self, "导入", "已停止导入，没有写入任何记录。")
            return None
        self.report = report
        self.imported.emit(self.current_kind(), report.new)
        dialogs.inform(self, "导入完成", f"已导入{report.new}条记录。" + (
            f"\n已在库中的{report.same}条没有重复导入。" if report.same else "") + (
            f"\n有错误的{len(report.errors)}行没有导入。" if report.errors else ""))
        self.accept()
        return report

    # --- navigation ----------------------------------------------------------------------------
    def next(self) -> None:
        step = self.stack.currentIndex()
        if step == 0:
            if self.source is None:
                self.message.setText("请先选择要导入的表格文件。")
                return
            self._show_step(1)
        elif step == 1:
            given = {**self.mapping(), **self.fill()}
            missing = [f.label for f in FIELDS[self.current_kind()] if f.required and f.key not in given]
            if missing:
                self.message.setText(f"还没有指定这些列：{'、'.join(missing)}")
                self.message.setStyleSheet("color: #a61b1b;")
                return
            if self.check() is not None:
                self._show_step(2)

    def back(self) -> None:
        self._show_step(max(0, self.stack.currentIndex() - 1))
