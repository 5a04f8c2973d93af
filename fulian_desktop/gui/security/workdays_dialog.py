"""节假日表 (the administrator's): the years the holiday table knows, each year's days off and weekend days worked
(调休上班), and a year added or corrected from the State Council's notice. The working-day clocks (the 5 working
days to object to a transferred petition) count on it; a year it does not know is counted in calendar days."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import workdays as rules
from ...domain.dates import format_cn
from ...domain.errors import ValidationError
from ...services import workdays
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.widgets import record_table

INTRO = ("工作日的期限（上级交办、转送的信访5个工作日内提出异议）按这张表计算：放假的日子不算，调休上班的星期六、星期日算。"
         "表中没有的年份按自然日计算，并在案件里说明。国务院公布下一年的放假安排后，请点“添加新的一年…”。")


class WorkdaysDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("节假日表")
        self.resize(760, 560)
        self.last_dialog: ActionDialog | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.missing = QLabel()  # the year ahead not yet in the table (or this one)
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #a61b1b;")
        layout.addWidget(self.missing)
        body = QHBoxLayout()
        self.years = QListWidget()
        self.years.setMaximumWidth(230)
        self.years.setToolTip("表中已有的年份：放假天数、调休上班天数")
        body.addWidget(self.years)
        self.days = QTableWidget(0, 4)
        self.days.setHorizontalHeaderLabels(["日期", "星期", "放假或调休上班", "节日"])
        self.days.verticalHeader().setVisible(False)
        self.days.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.days.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        record_table(self.days)
        self.days.setTabKeyNavigation(False)  # Tab goes on to the buttons, the arrows move in the table
        body.addWidget(self.days, 1)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox()
        self.add_button = QPushButton("添加新的一年…")
        self.correct_button = QPushButton("更正这一年…")
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.correct_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        writable = ctx.may("lists.write")
        self.add_button.setVisible(writable)
        self.correct_button.setVisible(writable)
        self.years.currentItemChanged.connect(lambda *_: self._show_year())
        self.add_button.clicked.connect(lambda: self.edit_year(None))
        self.correct_button.clicked.connect(lambda: self.edit_year(self.year()))
        self.reload()

    def reload(self, select: int | None = None) -> None:
        known = workdays.known_years(self.ctx)
        self.years.clear()
        for year, off, worked in known:
            item = QListWidgetItem(f"{year}年　放假{off}天　调休上班{worked}天")
            item.setData(Qt.ItemDataRole.UserRole, year)
            self.years.addItem(item)
        if known:
            wanted = select if select is not None else known[-1][0]
            row = next((i for i, (y, _o, _w) in enumerate(known) if y == wanted), len(known) - 1)
            self.years.setCurrentRow(row)
        self.correct_button.setEnabled(bool(known))
        this_year = self.ctx.today().year
        wanted = [y for y in (this_year, this_year + 1) if y not in {k for k, _o, _w in known}]
        self.missing.setText(f"表中还没有{'、'.join(f'{y}年' for y in wanted)}：国务院公布放假安排后请添加；添加之前，"
                             "跨到这一年的工作日期限按自然日计算。" if wanted else "")
        self.missing.setVisible(bool(wanted))

    def year(self) -> int | None:
        item = self.years.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show_year(self) -> None:
        year = self.year()
        days = workdays.year_days(self.ctx, year) if year is not None else []
        self.days.setRowCount(len(days))
        for r, (d, kind, name) in enumerate(days):
            for c, text in enumerate((format_cn(d), rules.WEEKDAYS[d.weekday()], rules.KIND_WORDS.get(kind, kind), name)):
                self.days.setItem(r, c, QTableWidgetItem(text))

    def edit_year(self, year: int | None) -> ActionDialog:
        """添加新的一年 (year None: the year after the last one known) or 更正 a year: its days off and the weekend
        days worked, as the notice gives them; they replace what the table held for that year."""
        known = [y for y, _o, _w in workdays.known_years(self.ctx)]
        correcting = year is not None
        target = year if year is not None else (max(known) + 1 if known else self.ctx.today().year)
        d = ActionDialog("更正节假日" if correcting else "添加新的一年",
                         "照国务院办公厅公布的放假安排填写。" + rules.FORMAT_HINT + "；调休上班写星期六、星期日上班的日子。"
                         "保存后这一年原有的日子全部换成这里写的。", self)
        d.setMinimumWidth(620)
        spin = QSpinBox()
        spin.setRange(2000, self.ctx.today().year + 5)
        spin.setValue(target)
        spin.setSuffix(" 年")
        spin.setEnabled(not correcting)
        d.add("year", "年份", spin, True)
        holidays, worked = workdays.written_year(self.ctx, target) if correcting else ("", "")
        off_edit = QPlainTextEdit(holidays)
        off_edit.setPlaceholderText("元旦:2028-01-01，春节:2028-01-26..2028-02-01，国庆节:2028-10-01..2028-10-07")
        off_edit.setMinimumHeight(90)
        d.add("holidays", "放假", off_edit, True)
        work_edit = QPlainTextEdit(worked)
        work_edit.setPlaceholderText("春节:2028-01-23，国庆节:2028-09-30（没有调休上班的不填）")
        work_edit.setMaximumHeight(70)
        d.add("workdays", "调休上班", work_edit)
        saved: list[int] = []

        def save() -> None:
            if spin.value() in known and not correcting:  # never replaced unawares
                raise ValidationError({"year": f"表中已有{spin.value()}年；要更正，请关闭这个窗口，选中{spin.value()}年，"
                                               "点“更正这一年…”"})
            off, on = workdays.set_year(self.ctx, spin.value(), off_edit.toPlainText(), work_edit.toPlainText())
            saved.append(spin.value())
            dialogs.inform(self, "节假日表", f"{spin.value()}年已保存：放假{off}天，调休上班{on}天。")

        d.on_ok(save)
        d.accepted.connect(lambda: self.reload(saved[-1] if saved else None))
        self.last_dialog = d
        d.open()
        return d
