"""工作台 (start page): today's intake, open cases per kind, the clocks per kind of work, and two tables of what
is due — the cases overdue or due this week, and the household visits and follow-ups of this month."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn
from ...domain.filters import CaseFilter
from ...domain.kinds import KINDS, count_label
from ...services import cases
from ...services.context import Context
from ..households.household_widgets import VisitsDueBox
from ..protection.due_box import ProtectionDueBox
from .paged_model import PagedTableModel
from .start_page_parts import (
    COL_CASE_NO,
    COL_DUE_ON,
    COL_LEFT,
    COL_NAMES,
    COL_WHAT,
    BackupLabel,
    ClocksBox,
    DueCells,
    DueRow,
    DueTable,
    clickable,
    empty_note,
)
from .widgets import scrolling_column


class CasesDueModel(DueCells, PagedTableModel[DueRow, CaseFilter]):
    """Every open case whose clock has run out or runs out within a week, a page at a time from the due index
    (a busy office may have hundreds), sorted in SQL; the most overdue first."""

    SORT_KEYS = {COL_CASE_NO: "case_no", COL_NAMES: "names", COL_WHAT: "due_label", COL_DUE_ON: "due_on",
                 COL_LEFT: "due_on"}
    PAGE = 50  # the table shows about ten rows: the window's first paint reads 50 of them, not 200 (≈ 4 ms less)

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(CaseFilter(due="due_soon"), "due_on", False, parent)
        self.ctx = ctx
        self.today = ctx.today()
        self.refresh()

    def before_refresh(self) -> None:
        self.today = self.ctx.today()

    def fetch(self, limit: int, offset: int) -> list[DueRow]:
        rows = cases.page(self.ctx, self._filter, self._sort, self._descending, limit, offset)
        return [DueRow(r.id, r.case_no, r.names, r.due_label or "办理", r.due_on, r.summary, r.supervised)
                for r in rows if r.due_on is not None]

    def count_rows(self) -> int:
        return cases.count(self.ctx, self._filter)


class Dashboard(QWidget):
    openCase = Signal(int)
    showDue = Signal(str)  # "overdue" / "due_soon"
    showList = Signal(str, str)  # kind ("" = every kind), what: overdue / due_soon / open / today
    newPetition = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # on a small screen (1366×768) the page scrolls rather than pushing the window past the screen
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolling_column(outer, frameless=True)
        top = QHBoxLayout()
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.backup_label = BackupLabel(ctx)  # 还没有备份到U盘 / 上次备份到U盘：3天前 (red when it is time)
        top.addWidget(self.greeting)
        top.addSpacing(40)
        top.addWidget(self.backup_label)
        top.addStretch(1)
        self.incomplete_button = QPushButton()  # 待补全 N 条: records imported from old registers, to complete
        self.incomplete_button.setToolTip("从原来的台账导入、台账上没有记录某些内容的记录：点击查看并逐条补全")
        self.incomplete_button.clicked.connect(self.show_incomplete)
        self.incomplete_button.hide()  # until counted: just after the page first paints (see paintEvent)
        top.addWidget(self.incomplete_button)
        layout.addLayout(top)

        numbers = QGroupBox("概况")
        grid = QGridLayout(numbers)
        self.today_label = QLabel()
        self.open_labels: dict[str, QLabel] = {}
        grid.addWidget(QLabel("今日登记"), 0, 0)
        grid.addWidget(self.today_label, 1, 0)
        for i, key in enumerate(KINDS, start=1):
            grid.addWidget(QLabel(f"未办结 · {count_label(key)}"), 0, i)
            lab = QLabel()
            self.open_labels[key] = lab
            grid.addWidget(lab, 1, i)
        for lab in [self.today_label, *self.open_labels.values()]:
            lab.setStyleSheet("font-size: 20pt; color: #1d4e89;")
        layout.addWidget(numbers)
        clickable(self.today_label, lambda: self.showList.emit("", "today"), "点击查看今日登记的案件")
        for key, lab in self.open_labels.items():
            clickable(lab, lambda key=key: self.showList.emit(key, "open"), "点击查看这类未办结的案件")

        # what is due: the cases on the left (the largest table), the clocks per kind and the household visits
        # on the right
        body = QHBoxLayout()
        due_box = QGroupBox("本周到期和已逾期（双击或按回车键打开案件）")
        dl = QVBoxLayout(due_box)
        buttons = QHBoxLayout()
        self.overdue_button = QPushButton()
        self.due_soon_button = QPushButton()
        self.new_button = QPushButton("登记信访（Ctrl+N）")
        buttons.addWidget(self.overdue_button)
        buttons.addWidget(self.due_soon_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        dl.addLayout(buttons)
        self.due_model = CasesDueModel(ctx, self)
        self.due_table = DueTable(self.due_model)
        self.no_due = empty_note("本周没有到期或逾期的案件。")
        dl.addWidget(self.due_table, 1)
        dl.addWidget(self.no_due)
        left = QVBoxLayout()
        left.addWidget(due_box, 1)
        self.protection_box = ProtectionDueBox(ctx)  # 家暴防护: 查访, protection orders, mandatory reports
        left.addWidget(self.protection_box)
        body.addLayout(left, 1)
        right = QVBoxLayout()
        self.clocks_box = ClocksBox(ctx)  # per kind of clock: petitions, referrals, mediations, visits …
        self.clocks_box.showList.connect(self.showList)
        right.addWidget(self.clocks_box)
        self.visits_box = VisitsDueBox(ctx)  # 帮扶户走访: due or overdue this month, open follow-ups
        right.addWidget(self.visits_box, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)

        self.overdue_button.clicked.connect(lambda: self.showDue.emit("overdue"))
        self.due_soon_button.clicked.connect(lambda: self.showDue.emit("due_soon"))
        self.new_button.clicked.connect(self.newPetition)
        self.due_table.openCase.connect(self.openCase)
        self.visits_box.openCase.connect(self.openCase)
        self.protection_box.openCase.connect(self.openCase)
        self._refresh_own(incomplete=False)  # the boxes above have just filled themselves (each query once)
        # the records to complete are counted by the register import's service, whose reading of spreadsheets the
        # window's opening does not need: counted once the page has first painted (the button shows only if any).
        # What paints is the column in its scroll area: on a real screen Qt sends the page itself no paint event,
        # the scroll area covering it whole (only the offscreen platform painted it)
        self._incomplete_counted = False
        scroll = self.findChild(QScrollArea, options=Qt.FindChildOption.FindDirectChildrenOnly)
        self._painted = scroll.widget()
        self._painted.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and watched is self._painted and not self._incomplete_counted:
            self._incomplete_counted = True
            QTimer.singleShot(0, self, self._count_after_paint)
        return super().eventFilter(watched, event)

    def _count_after_paint(self) -> None:
        if self.ctx.closed:  # signed out (切换用户, the window closing) before the count's turn came: nothing to count
            return
        if self.isVisible():
            self._refresh_incomplete()
        else:  # closed at once (its database may be closed with it): counted when the page paints again
            self._incomplete_counted = False

    def show_incomplete(self) -> QWidget:
        """The 待补全 list; a record opened from it opens as any case does."""
        from ..reports.incomplete_list import IncompleteList

        dialog = IncompleteList(self.ctx, self)
        dialog.openCase.connect(self.openCase)
        dialog.finished.connect(lambda _r: self._refresh_own())
        dialog.open()
        return dialog

    def refresh(self) -> None:
        self.visits_box.refresh()
        self.protection_box.refresh()
        self.clocks_box.refresh()
        self.backup_label.refresh()
        self.due_model.refresh()
        self._refresh_own()

    def _refresh_own(self, incomplete: bool = True) -> None:
        """The greeting, the counts and the buttons (what the tables and boxes do not show themselves)."""
        today = self.ctx.today()
        self.greeting.setText(f"工作台　{format_cn(today)}")
        self.today_label.setText(str(cases.intake_on(self.ctx, today)))
        counts = cases.open_counts(self.ctx)
        for key, lab in self.open_labels.items():
            lab.setText(str(counts.get(key, 0)))
        if incomplete:
            self._refresh_incomplete()
        due = cases.due_counts(self.ctx)
        self.overdue_button.setText(f"已逾期 {due.overdue} 件")
        self.due_soon_button.setText(f"本周到期 {due.due_soon} 件")
        empty = self.due_model.rowCount() == 0
        self.no_due.setVisible(empty)
        self.due_table.setVisible(not empty)

    def _refresh_incomplete(self) -> None:
        from ...services import importing

        self._incomplete_counted = True
        incomplete = importing.incomplete_count(self.ctx)
        self.incomplete_button.setText(f"待补全 {incomplete} 条")
        self.incomplete_button.setVisible(incomplete > 0)
