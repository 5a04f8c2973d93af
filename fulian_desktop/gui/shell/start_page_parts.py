"""Parts of the start page (工作台) for issue 8: the clocks overdue or due this week per kind of work, the
age of the last backup, and opening the case list behind a line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QCursor
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...services import start_page
from ...services.context import Context
from .widgets import set_combo

KIND_ROLE = Qt.ItemDataRole.UserRole + 7
DUE_ROLE = Qt.ItemDataRole.UserRole + 8


class ClocksBox(QGroupBox):
    """期限提醒: one line per kind of work and kind of clock; a line opens the cases behind it."""

    showList = Signal(str, str)  # kind, "overdue" / "due_soon"

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("期限提醒（按时限分类，双击查看案件）", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._activated)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        lines = start_page.clocks(self.ctx)
        if not lines:
            self.list.addItem("没有逾期或本周到期的时限。")
        for line in lines:
            item = QListWidgetItem(line.text)
            item.setData(KIND_ROLE, line.kind)
            item.setData(DUE_ROLE, "overdue" if line.overdue else "due_soon")
            if line.overdue:
                item.setForeground(QBrush(QColor("#a61b1b")))
                item.setBackground(QBrush(QColor("#fde2e1")))
            else:
                item.setBackground(QBrush(QColor("#fff3cd")))
            self.list.addItem(item)
        rows = min(max(self.list.count(), 1), 8)  # as tall as its lines (up to eight), the rest for the lists below
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), 16) + 2 * self.list.frameWidth() + 4)

    def _activated(self, item: QListWidgetItem) -> None:
        kind = item.data(KIND_ROLE)
        if kind:
            self.showList.emit(str(kind), str(item.data(DUE_ROLE)))


class BackupLabel(QLabel):
    """上次备份到U盘：3天前 — green; red when it is a week or more, and from the first day until the first
    backup (还没有备份到U盘)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        text, late = start_page.backup_age_text(self.ctx)
        self.setText(text)
        self.setStyleSheet("color: #a61b1b; font-weight: bold;" if late else "color: #2e7d32;")


class _Clicks(QObject):
    def __init__(self, parent: QObject, callback: Callable[[], None]) -> None:
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonRelease:
            self.callback()
            return True
        return False


def note_more(items: QListWidget, shown: int, total: int, where: str, unit: str = "件") -> None:
    """A grey line after a start-page list that shows only the earliest `shown` of `total`."""
    if total > shown:
        item = QListWidgetItem(f"…… 以上只列出最早到期的 {shown} {unit}，共 {total} {unit}；全部请看{where}。")
        item.setForeground(QBrush(QColor("#666666")))
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        items.addItem(item)


def clickable(label: QLabel, callback: Callable[[], None], tip: str = "") -> None:
    """A number on the start page that opens the list behind it when clicked."""
    label.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
    label.setToolTip(tip or "点击查看这些案件")
    label.installEventFilter(_Clicks(label, callback))


def show_in_list(case_list: QWidget, kind: str, what: str, today: dt.date) -> None:
    """Set the case list's filters: `what` is overdue / due_soon (open cases of the kind whose clock has
    run out / runs out this week), open (all open cases of the kind) or today (registered today)."""
    case_list.clear()  # type: ignore[attr-defined]
    for w in (case_list.kind, case_list.status, case_list.due, case_list.use_dates):  # type: ignore[attr-defined]
        w.blockSignals(True)
    if kind:
        set_combo(case_list.kind, kind)  # type: ignore[attr-defined]
        case_list._fill_statuses()  # type: ignore[attr-defined]
    if what in ("overdue", "due_soon"):
        set_combo(case_list.due, what)  # type: ignore[attr-defined]
    elif what == "open":
        set_combo(case_list.status, "open")  # type: ignore[attr-defined]
    elif what == "today":
        case_list.use_dates.setChecked(True)  # type: ignore[attr-defined]
        for d in (case_list.date_from, case_list.date_to):  # type: ignore[attr-defined]
            d.setEnabled(True)
            d.setDate(QDate(today.year, today.month, today.day))
    for w in (case_list.kind, case_list.status, case_list.due, case_list.use_dates):  # type: ignore[attr-defined]
        w.blockSignals(False)
    case_list.apply()  # type: ignore[attr-defined]
