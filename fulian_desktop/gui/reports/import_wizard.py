"""导入台账 (import wizard): choose a file (.xlsx, .xls, .et, .ods, .csv), see which of its rows are taken as
title, header, data and 合计 (and choose another header row, or one sheet), map its columns to fields (guessed
from the headers, or as the last import of this layout had them; columns left over are named; a field the
register never had is recorded 未记录 or given one value for the whole file), see every row checked — what is
wrong with each, which are already on file, which will be 待补全, which household an ambiguous visit means
(the clerk chooses) — and only then write all good rows in one transaction (or nothing)."""

from __future__ import annotations

import threading
import time
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
from ...reports.reading import ROLE_LABELS, Source
from ...reports.registers import FIELDS, KIND_LABELS
from ...services import exchange
from ...services.context import Context
from ...services.importing import SAVING, Progress, Report
from ..shell import dialogs
from ..shell.application import make_main

NOT_IMPORTED = "（不导入）"
FILL_OWN = "全部填为…（自己输入）"
ALL_SHEETS = "所有表头相同的工作表"
FILE_TYPES = "表格文件 (*.xlsx *.xls *.et *.ods *.csv *.txt);;所有文件 (*)"
STATE_LABELS = {"new": "可导入", "same": "已在库中", "error": "有错误", "gaps": "可导入（待补全）",
                "choose": "请选择"}
STATE_COLORS = {"new": "#e8f5e9", "same": "#eeeeee", "error": "#fde2e1", "gaps": "#fff4d6", "choose": "#fff4d6"}
ROLE_COLORS = {"title": "#eeeeee", "header": "#d6e4f5", "data": "#ffffff", "total": "#fff4d6", "note": "#fff4d6",
               "blank": "#f7f7f7", "repeat": "#eeeeee"}
PROGRESS_FROM = 300  # rows: show a progress dialog from this many
PROGRESS_AFTER_MS = 300  # ... once the work has taken this long (a quick check shows no dialog at all)
NO_FILL = ("name", "applicant", "respondent", "id_number", "phone", "applicant_id_number", "applicant_phone",
           "respondent_id_number", "respondent_phone", "household_no", "case_no")


def _column_name(i: int) -> str:
    """The spreadsheet's letter for the i-th column (0: A)."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


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
        self.path: Path | None = None
        self.report: Report | None = None
        self.combos: dict[str, QComboBox] = {}
        self.chosen: dict[int, str] = {}  # an ambiguous row (its index) -> the case number the clerk chose
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
            "可以导入信访登记台账、转介台账（法律援助及其他服务）、婚姻家庭纠纷调解台账、帮扶对象名册和走访慰问登记：Excel（.xlsx、"
            ".xls）、WPS（.et）、LibreOffice（.ods）或.csv文件，按原样导入，不用另存。表格上方的标题、每月一张的工作表、"
            "两行的表头、底下的合计行都能认出。\n导入前会逐行检查，并告诉您哪些行有问题；确认之前不会写入任何内容。"
            "已在库中的记录不会重复导入；身份证号相同的人会被认出，不会重复建档。先导入帮扶对象名册，再导入走访记录。")
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
        self.sheet_label = QLabel("工作表：")
        self.sheet = QComboBox()
        kind_row.addSpacing(16)
        kind_row.addWidget(self.sheet_label)
        kind_row.addWidget(self.sheet)
        kind_row.addStretch(1)
        v.addLayout(kind_row)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        v.addWidget(self.notes)
        self.rows_table = QTableWidget(0, 0)
        self.rows_table.verticalHeader().setVisible(False)
        self.rows_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows_table.setWordWrap(False)
        v.addWidget(self.rows_table, 1)
        header_row = QHBoxLayout()
        self.rows_hint = QLabel("表格的前几行，以及每一行按什么读取。表头不对时，选中真正的表头行，再点右边的按钮。")
        self.rows_hint.setWordWrap(True)
        self.header_button = QPushButton("把选中的行作为表头")
        self.header_button.setEnabled(False)
        header_row.addWidget(self.rows_hint, 1)
        header_row.addWidget(self.header_button)
        v.addLayout(header_row)
        self.choose_button.clicked.connect(self.choose)
        self.header_button.clicked.connect(self.use_selected_header)
        self.rows_table.itemSelectionChanged.connect(
            lambda: self.header_button.setEnabled(bool(self.rows_table.selectedItems())))
        self.sheet.activated.connect(lambda _i: self.reload())
        self.sheet_label.setVisible(False)
        self.sheet.setVisible(False)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_mapping())
        self.stack.addWidget(page)

    def _build_mapping_page(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.mapping_hint = QLabel()
        self.mapping_hint.setWordWrap(True)
        v.addWidget(self.mapping_hint)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["字段", "取自表格的列", "第一行的内容"])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.mapping_table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        v.addWidget(self.mapping_table)
        self.unplaced = QLabel()
        self.unplaced.setWordWrap(True)
        self.unplaced.setStyleSheet("color: #555;")
        v.addWidget(self.unplaced)
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
        path = dialogs.open_path(self, "选择要导入的表格", FILE_TYPES)
        if path:
            self.load(path)

    def load(self, path: str | Path, header_row: int | None = None, sheets: list[str] | None = None) -> bool:
        try:
            source = self._read(path, header_row, sheets)
        except FulianError as e:
            if header_row is not None or sheets is not None:  # the clerk's choice did not work: keep what was read
                self.notes.setText(f"{e.message}\n" + "\n".join(self.source.notes if self.source else []))
                self.notes.setStyleSheet("color: #a61b1b;")
                return False
            self.source = None
            self.path = Path(path)
            self.file_label.setText(str(path))
            self.notes.setText(e.message)
            self.notes.setStyleSheet("color: #a61b1b;")
            self.rows_table.setRowCount(0)
            self._show_step(0)
            return False
        self.source = source
        self.path = Path(path)
        self.chosen.clear()
        self.file_label.setText(f"{Path(path).name}：表头在第{source.header_row}行，共{len(source.rows)}行数据")
        self.notes.setStyleSheet("color: #555;")
        self.notes.setText("\n".join(source.notes))
        self._fill_sheets(sheets)
        self._fill_rows()
        guess = reading.guess_kind(source.headers)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(guess))
        self.kind.blockSignals(False)
        self._fill_mapping()
        self._show_step(0)
        return True

    def reload(self, header_row: int | None = None) -> bool:
        """Read the file again as the clerk chose: another header row, or one sheet."""
        if self.path is None:
            return False
        sheet = self.sheet.currentData()
        return self.load(self.path, header_row, [sheet] if isinstance(sheet, str) and sheet else None)

    def use_selected_header(self) -> None:
        rows = self.rows_table.selectionModel().selectedRows()
        if rows:
            number = self.rows_table.item(rows[0].row(), 0)
            self.reload(int(number.text()))

    def _fill_sheets(self, chosen: list[str] | None) -> None:
        assert self.source is not None
        names = [u.name for u in self.source.sheets]
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItem(ALL_SHEETS, "")
        for name in names:
            self.sheet.addItem(name, name)
        if chosen:
            self.sheet.setCurrentIndex(self.sheet.findData(chosen[0]))
        self.sheet.blockSignals(False)
        self.sheet_label.setVisible(len(names) > 1)
        self.sheet.setVisible(len(names) > 1)

    def _fill_rows(self) -> None:
        """The first rows of the first sheet read, each with what it is taken for."""
        assert self.source is not None
        use = next((u for u in self.source.sheets if u.header_row and not u.skipped), None)
        roles = use.roles if use else []
        width = min(max((len(t) for _r, _role, t in roles), default=0), 12)
        self.rows_table.clear()
        self.rows_table.setColumnCount(width + 2)
        self.rows_table.setHorizontalHeaderLabels(["行号", "作为", *[_column_name(i) for i in range(width)]])
        self.rows_table.setRowCount(len(roles))
        for r, (number, role, texts) in enumerate(roles):
            if role == "title":  # a title merged across the table: said once
                texts = [t if i == 0 or t != texts[i - 1] else "" for i, t in enumerate(texts)]
            values = [str(number), ROLE_LABELS[role], *[t.replace("\n", " ")[:24] for t in texts[:width]]]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(QColor(ROLE_COLORS[role])))
                if role == "header":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.rows_table.setItem(r, c, item)
        self.rows_table.resizeColumnsToContents()
        for c in range(2, self.rows_table.columnCount()):
            self.rows_table.setColumnWidth(c, min(self.rows_table.columnWidth(c), 140))
        self.header_button.setEnabled(False)

    # --- step 2 ---------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _fill_mapping(self) -> None:
        self.combos.clear()
        self.mapping_table.setRowCount(0)
        if self.source is None:
            return
        kind = self.current_kind()
        remembered = exchange.remembered(self.ctx, kind, self.source.headers)
        guess, filled = remembered if remembered else (reading.guess_mapping(kind, self.source.headers), {})
        self.mapping_hint.setText(
            ("已按上次导入这种表格时的选择对应好各列，请核对。" if remembered else
             "请核对每个字段取自表格的哪一列（已按列名猜好）。") +
            "带 * 的字段必须有；表格没有的字段选“（不导入）”——乡镇、事情经过这类字段会记为“未记录”，"
            "这些记录导入后标为“待补全”；也可以给整个文件填一个值。")
        fields = FIELDS[kind]
        self.mapping_table.setRowCount(len(fields))
        first = self.source.rows[0][1] if self.source.rows else []
        for r, f in enumerate(fields):
            name = QTableWidgetItem(f.label + (" *" if f.required and not f.gap else ""))
            if f.required and not f.gap:
                name.setForeground(QBrush(QColor("#a61b1b")))
            self.mapping_table.setItem(r, 0, name)
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, -1)
            for i, h in enumerate(self.source.headers):
                combo.addItem((h or f"第{i + 1}列（无列名）") + ("（隐藏列）" if i in self.source.hidden else ""), i)
            for value in reading.FILL_CHOICES.get(kind, {}).get(f.key, ()):
                combo.addItem(f"全部填为“{value}”", f"={value}")
            if f.key not in NO_FILL:
                combo.addItem(FILL_OWN, "?")
            if f.key in filled and combo.findData(f"={filled[f.key]}") < 0:
                combo.insertItem(combo.count() - 1, f"全部填为“{filled[f.key]}”", f"={filled[f.key]}")
            if f.key in guess:
                combo.setCurrentIndex(combo.findData(guess[f.key]))
            elif f.key in filled:
                combo.setCurrentIndex(combo.findData(f"={filled[f.key]}"))
            example = QTableWidgetItem()
            self.mapping_table.setItem(r, 2, example)

            def show_example(_i: int, combo: QComboBox = combo, item: QTableWidgetItem = example,
                             f: reading.Field = f) -> None:
                data = combo.currentData()
                if data == "?":
                    self._fill_own(combo, f)
                    return
                item.setForeground(QBrush(QColor("#000000")))
                if isinstance(data, str):
                    item.setText(f"整个文件都填“{data[1:]}”")
                    self._show_unplaced()
                    return
                col = int(data)
                if col < 0:
                    item.setText(f"表格没有这一列：记为“{f.gap}”，这些记录导入后标为“待补全”" if f.gap else
                                 "表格没有这一列：必须选一列，或给整个文件填一个值" if f.required else
                                 f"表格没有这一列：{f.absent}" if f.absent else "")
                    item.setForeground(QBrush(QColor("#8a5a00" if f.gap else "#a61b1b" if f.required else "#555555")))
                else:
                    item.setText(_shown(first[col]).replace("\n", " ") if col < len(first) else "")
                self._show_unplaced()

            combo.currentIndexChanged.connect(show_example)
            self.mapping_table.setCellWidget(r, 1, combo)
            self.combos[f.key] = combo
            show_example(0)
        self._show_unplaced()

    def _fill_own(self, combo: QComboBox, f: reading.Field) -> None:
        """全部填为…: the clerk types the value for the whole file (e.g. the one township of a 乡镇's register)."""
        value = dialogs.ask_text(self, f"整个文件的{f.label}", f"这份台账的每一条记录，{f.label}都填：")
        value = (value or "").strip()
        if not value:
            combo.setCurrentIndex(0)
            return
        at = combo.findData(f"={value}")
        if at < 0:
            at = combo.count() - 1
            combo.insertItem(at, f"全部填为“{value}”", f"={value}")
        combo.setCurrentIndex(at)

    def _show_unplaced(self) -> None:
        """The columns of the table no field takes: shown, so the clerk maps them or knowingly leaves them out."""
        if self.source is None or len(self.combos) < len(FIELDS[self.current_kind()]):
            return
        used = set(self.mapping().values())
        left = [h or f"第{i + 1}列" for i, h in enumerate(self.source.headers) if i not in used and
                reading.layout([h]) not in ("序号", "")]
        self.unplaced.setText(("表格中这些列没有对应的字段，不会导入：" + "、".join(f"“{h}”" for h in left) +
                               "。如果其中有需要的内容，请在上面为相应的字段选这一列。") if left else
                              "表格中的每一列都有对应的字段。")

    def mapping(self) -> dict[str, int]:
        return {key: int(c.currentData()) for key, c in self.combos.items()
                if isinstance(c.currentData(), int) and int(c.currentData()) >= 0}

    def fill(self) -> dict[str, str]:
        """Values chosen for the whole file (全部填为“来访”)."""
        return {key: str(c.currentData())[1:] for key, c in self.combos.items()
                if isinstance(c.currentData(), str) and str(c.currentData()).startswith("=")}

    def set_column(self, key: str, header: str) -> None:
        """Choose the column for a field as the user would, by what the list shows: a header,
        NOT_IMPORTED, or 全部填为“来访”."""
        c = self.combos[key]
        c.setCurrentIndex(c.findText(header))

    # --- step 3 ---------------------------------------------------------------------------------
    def _progress(self, title: str) -> tuple[QProgressDialog | None, Progress | None]:
        """A progress dialog for a long register: what is being done (检查, 写入) and how far, row by row; 停止
        stops it (nothing written). The window keeps answering meanwhile."""
        assert self.source is not None
        if len(self.source.rows) < PROGRESS_FROM:
            return None, None
        dialog = QProgressDialog(title, "停止", 0, len(self.source.rows), self)
        dialog.setWindowTitle("导入台账")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)

        def step(what: str, done: int, total: int) -> bool:
            if what == SAVING:  # every row written; the last seconds cannot be stopped: 停止 greyed then
                stopped = dialog.wasCanceled()
                for button in dialog.findChildren(QPushButton):  # (greyed in place: removing it would need a
                    button.setEnabled(False)                    # new layout the blocked window would not make)
                dialog.setLabelText(f"已写入{total}行，正在保存……")
                dialog.repaint()  # (painted now: the window answers nothing until the saving is done)
                QApplication.processEvents()
                return not stopped
            if dialog.maximum() != total:
                dialog.setMaximum(total)
            dialog.setLabelText(f"正在{what}：第{done}行，共{total}行")
            dialog.setValue(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        return dialog, step

    def _read(self, path: str | Path, header_row: int | None, sheets: list[str] | None) -> Source:
        """exchange.read in a thread of its own, the window answering meanwhile (a register of 20,000 rows takes
        seconds to read) with a busy bar after a moment."""
        result: list[Source] = []
        failure: list[BaseException] = []

        def work() -> None:
            try:
                result.append(exchange.read(path, header_row, sheets))
            except BaseException as e:  # handed to the window's thread below
                failure.append(e)

        worker = threading.Thread(target=work, name="read-register", daemon=True)
        self.setEnabled(False)  # nothing clicked meanwhile
        worker.start()
        dialog: QProgressDialog | None = None
        started = time.monotonic()
        while worker.is_alive():
            worker.join(0.03)
            if dialog is None and time.monotonic() - started > 0.3:
                dialog = QProgressDialog(f"正在读取：{Path(path).name}……", "", 0, 0, self)
                dialog.setWindowTitle("导入台账")
                dialog.setCancelButton(None)  # type: ignore[arg-type]
                dialog.setWindowModality(Qt.WindowModality.WindowModal)
                dialog.setMinimumDuration(0)
                dialog.show()
            QApplication.processEvents()
        self.setEnabled(True)
        if dialog is not None:
            dialog.close()
        if failure:
            raise failure[0]
        return result[0]

    def check(self) -> Report | None:
        assert self.source is not None
        dialog, step = self._progress("正在逐行检查……")
        try:
            report = exchange.check(self.ctx, self.source, self.current_kind(), self.mapping(), step, self.fill(),
                                    self.chosen)
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
        gaps = report.incomplete
        text = (f"共{len(report.rows)}行：<b style='color:#2e7d32'>可导入{report.new - gaps}行</b>，"
                + (f"<b style='color:#8a5a00'>可导入但待补全{gaps}行</b>，" if gaps else "")
                + f"已在库中{report.same}行（不会重复导入），<b style='color:#a61b1b'>有错误{errors}行</b>。")
        if gaps:
            text += "<br>待补全的记录：原台账没有记录的字段记为“未记录”，导入后可在首页“待补全”中逐条补全。"
        if report.ambiguous:
            text += (f"<br>有{len(report.ambiguous)}行能对上不止一户：请在“说明”一栏选择是哪一户，"
                     "不选的不会导入。")
        if errors:
            text += "<br>有错误的行不会导入。可以改正表格后重新导入；已导入的行再次导入时会被认出，不会重复。"
        self.summary.setText(text)
        rows = report.errors if self.only_errors.isChecked() else report.rows
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = ("choose" if row.candidates else "gaps" if row.state == "new" and row.gaps else row.state)
            note = "；".join(row.messages) if row.state == "error" else (
                f"已在库中：{row.case_no}" if row.state == "same" else
                f"原台账未记录：{'、'.join(row.gaps)}" if row.gaps else
                f"第{self.chosen[row.index]}号，您选的" if row.index in self.chosen else "")
            values = [row.where.removeprefix("第").removesuffix("行") if row.where.startswith("第") else row.where,
                      STATE_LABELS[state], row.who, note]
            for col, text_ in enumerate(values):
                item = QTableWidgetItem(text_)
                item.setBackground(QBrush(QColor(STATE_COLORS[state])))
                if row.state == "error" and col == 3:
                    item.setForeground(QBrush(QColor("#a61b1b")))
                self.preview.setItem(r, col, item)
            self.preview.removeCellWidget(r, 3)
            if row.candidates:
                self.preview.setCellWidget(r, 3, self._candidate_box(row.index, row.who, row.candidates))
        self.preview.resizeRowsToContents()
        self.import_button.setText(f"导入{report.new}条记录" if report.new else "没有可导入的记录")
        self.import_button.setEnabled(report.new > 0)

    def _candidate_box(self, index: int, who: str, candidates: list[tuple[str, str]]) -> QComboBox:
        """For a row that fits more than one household: the clerk picks one (nothing is guessed)."""
        box = QComboBox()
        box.addItem(f"有{len(candidates)}户名为“{who}”，请选择是哪一户…", "")
        for case_no, where in candidates:
            box.addItem(f"{case_no}（{where}）", case_no)

        def chosen(_i: int) -> None:
            if box.currentData():
                self.chosen[index] = str(box.currentData())
                self.check()

        box.currentIndexChanged.connect(chosen)
        return box

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
                                           self.fill(), self.chosen)
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
        dialogs.inform(self, "导入完成", f"已导入{report.new}条记录。\n{report.describe()}。" + (
            f"\n待补全的{report.incomplete}条：原台账没有记录的字段记为“未记录”，可在首页“待补全”中逐条补全。"
            if report.incomplete else "") + (
            f"\n已在库中的{report.same}条没有重复导入。" if report.same else "") + (
            f"\n有错误的{len(report.errors)}行没有导入。" if report.errors else "") + self._next_sheets())
        self.accept()
        return report

    def _next_sheets(self) -> str:
        """The sheets holding another register (a 走访记录 beside its 花名册), to import next."""
        if self.source is None:
            return ""
        other = [u.name for u in self.source.sheets if u.skipped.startswith("另一份台账")]
        return ("\n\n这个文件里还有另一份台账：" + "、".join(f"“{n}”" for n in other) +
                "。请再点“导入台账”，选同一个文件，在“工作表”中选它导入。") if other else ""

    # --- navigation ----------------------------------------------------------------------------
    def next(self) -> None:
        step = self.stack.currentIndex()
        if step == 0:
            if self.source is None:
                self.message.setText("请先选择要导入的表格文件。")
                return
            self._show_step(1)
        elif step == 1:
            missing = reading.missing_required(self.current_kind(),
                                               {**self.mapping(), **{k: -1 for k in self.fill()}})
            if missing:
                self.message.setText(f"还没有指定这些列：{'、'.join(missing)}")
                self.message.setStyleSheet("color: #a61b1b;")
                return
            if self.check() is not None:
                self._show_step(2)

    def back(self) -> None:
        self._show_step(max(0, self.stack.currentIndex() - 1))
