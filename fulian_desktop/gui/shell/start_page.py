"""工作台 (start page): today's intake, open cases per kind, what is overdue or due this week."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn
from ...domain.kinds import KINDS
from ...services import cases
from ...services.context import Context
from ..households.household_widgets import VisitsDueBox
from .start_page_parts import BackupLabel, ClocksBox, clickable, note_more
from .widgets import scrolling_column

CASE_ROLE = Qt.ItemDataRole.UserRole + 3


class Dashboard(QWidget):
    openCase = Signal(int)
    showDue = Signal(str)  # "overdue" / "due_soon"
    showList = Signal(str, str)  # kind ("" = every kind), what: overdue / due_soon / open / today
    newPetition = Signal()
    LIST_ROWS = 200  # the earliest cases due this week listed here (the buttons count them all)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # on a small screen (1366×768) the page scrolls rather than pushing the window past the screen
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolling_column(outer, frameless=True)
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(self.greeting)
        self.backup_label = BackupLabel(ctx)  # once backups exist: how long ago the last one was
        layout.addWidget(self.backup_label)

        numbers = QGroupBox("概况")
        grid = QGridLayout(numbers)
        self.today_label = QLabel()
        self.open_labels: dict[str, QLabel] = {}
        grid.addWidget(QLabel("今日登记"), 0, 0)
        grid.addWidget(self.today_label, 1, 0)
        for i, (key, kind) in enumerate(KINDS.items(), start=1):
            grid.addWidget(QLabel(f"未办结 · {kind.label}"), 0, i)
            lab = QLabel()
            self.open_labels[key] = lab
            grid.addWidget(lab, 1, i)
        for lab in [self.today_label, *self.open_labels.values()]:
            lab.setStyleSheet("font-size: 20pt; color: #1d4e89;")
        layout.addWidget(numbers)
        clickable(self.today_label, lambda: self.showList.emit("", "today"), "点击查看今日登记的案件")
        for key, lab in self.open_labels.items():
            clickable(lab, lambda key=key: self.showList.emit(key, "open"), "点击查看这类未办结的案件")
        self.clocks_box = ClocksBox(ctx)  # per kind of clock: petitions, referrals, mediations, visits …
        self.clocks_box.showList.connect(self.showList)
        layout.addWidget(self.clocks_box)

        due_box = QGroupBox("本周到期和已逾期")
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
        self.due_list = QListWidget()
        dl.addWidget(self.due_list)
        layout.addWidget(due_box, 1)
        self.visits_box = VisitsDueBox(ctx)  # 帮扶户走访: due or overdue this month, open follow-ups
        layout.addWidget(self.visits_box)

        self.overdue_button.clicked.connect(lambda: self.showDue.emit("overdue"))
        self.due_soon_button.clicked.connect(lambda: self.showDue.emit("due_soon"))
        self.new_button.clicked.connect(self.newPetition)
        self.due_list.itemActivated.connect(lambda item: self.openCase.emit(int(item.data(CASE_ROLE))))
        self.visits_box.openCase.connect(self.openCase)
        self._refresh_own()  # the boxes above have just filled themselves (each query once at start-up)

    def refresh(self) -> None:
        self.visits_box.refresh()
        self.clocks_box.refresh()
        self.backup_label.refresh()
        self._refresh_own()

    def _refresh_own(self) -> None:
        """The greeting, the counts and this week's list (what the boxes of their own do not show)."""
        today = self.ctx.today()
        self.greeting.setText(f"工作台　{format_cn(today)}")
        self.today_label.setText(str(cases.intake_on(self.ctx, today)))
        counts = cases.open_counts(self.ctx)
        for key, lab in self.open_labels.items():
            lab.setText(str(counts.get(key, 0)))
        items = cases.due_this_week(self.ctx, limit=self.LIST_ROWS)
        due = cases.due_counts(self.ctx)  # all of them: the list shows the earliest
        self.overdue_button.setText(f"已逾期 {due.overdue} 件")
        self.due_soon_button.setText(f"本周到期 {due.due_soon} 件")
        self.due_list.clear()
        if not items:
            self.due_list.addItem("本周没有到期的案件。")
        for i in items:
            r = i.row
            item = QListWidgetItem(f"{i.text}　{r.case_no}　{r.names}　{r.category}　{r.summary[:30]}")
            item.setData(CASE_ROLE, r.id)
            if i.state == "overdue":
                item.setForeground(QBrush(QColor("#a61b1b")))
                item.setBackground(QBrush(QColor("#fde2e1")))
            else:
                item.setBackground(QBrush(QColor("#fff3cd")))
            self.due_list.addItem(item)
        note_more(self.due_list, len(items), due.overdue + due.due_soon, "“已逾期”“本周到期”两个按钮")
