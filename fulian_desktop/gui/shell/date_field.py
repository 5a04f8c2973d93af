"""The date field of every form: a date typed as she writes it, shown as the office writes it.

She types 20261206, 2026-12-6, 2026.12.6, 2026/12/6 or 2026年12月6日 (domain.dates.parse_date reads them all);
when she leaves the field it shows 2026年12月6日, like every date on the screen and on paper. One Tab leaves it
(Qt's own date box stops at the year, the month and the day). The calendar button at its end (or Alt+↓, F4)
picks a day with the mouse; ↑ and ↓ move a day. What cannot be read stays as she typed it, and the message
goes to the field's error line (`problem`, which FieldBox shows) — nothing is lost, nothing guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from PySide6.QtCore import QDate, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QKeyEvent, QPainter, QPixmap, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QVBoxLayout, QWidget

from ...domain.dates import DateError, format_cn, parse_date


def to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


@cache
def calendar_icon() -> QIcon:
    """A small calendar page (drawn: the program ships no icon set)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor("#52606d")
    p.setPen(ink)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(4, 6, 24, 22, 3, 3)
    p.fillRect(QRect(4, 6, 25, 7), QColor("#1d4e89"))
    p.fillRect(QRect(9, 3, 3, 6), ink)
    p.fillRect(QRect(20, 3, 3, 6), ink)
    for row in range(2):
        for col in range(3):
            p.fillRect(QRect(8 + col * 6, 16 + row * 5, 4, 3), ink)
    p.end()
    return QIcon(pixmap)


class CalendarPopup(QWidget):
    """The month to pick a day from, under the field; the days that may not be chosen (after today for a
    date of receipt) greyed."""

    picked = Signal(QDate)

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)  # Enter on a day
        self.calendar.currentPageChanged.connect(self.grey_out)

    def grey_out(self, year: int, month: int) -> None:
        """Qt draws the days outside the allowed range like the others (and ignores a click on them)."""
        grey = QTextCharFormat()
        grey.setForeground(QColor("#b0b7bf"))
        lowest, highest = self.calendar.minimumDate(), self.calendar.maximumDate()
        first = QDate(year, month, 1).addDays(-7)
        for i in range(7 * 8):  # the weeks a page can show
            day = first.addDays(i)
            if day < lowest or day > highest:
                self.calendar.setDateTextFormat(day, grey)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()


class DateField(QLineEdit):
    """A date field (see the module's notes). `date()` is the date shown — the last one that could be read
    while what she typed cannot be (`date_or_error` says so; the forms check it before saving)."""

    dateChanged = Signal(QDate)  # noqa: N815 - as QDateEdit's: when she has entered another date
    problem = Signal(str)  # the message for the field's error line ("" once the date can be read)

    def __init__(self, value: dt.date | None = None, *, optional: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self._date = value
        self._problem = ""
        self._lowest: dt.date | None = None
        self._highest: dt.date | None = None
        self.popup: CalendarPopup | None = None
        self.setText(format_cn(value))
        self.setPlaceholderText("如 1990年5月6日 或 19900506" if optional else "如 2026年3月1日 或 20260301")
        self.setToolTip("可以输入 20260301、2026-3-1、2026.3.1 或 2026年3月1日；点右边的日历按钮（或按 F4）从日历上选")
        self.calendar_action = QAction(calendar_icon(), "从日历上选", self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._finished)

    def _room(self) -> int:
        """Wide enough for the longest date (2026年12月31日) and the calendar button, in any font."""
        return self.fontMetrics().horizontalAdvance("2026年12月31日") + super().sizeHint().height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._room()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._room()), hint.height())

    # --- what the form reads ----------------------------------------------------------------------------
    def date_or_error(self) -> tuple[dt.date | None, str]:
        """The date typed, or None and what is wrong with it (None and "" for an empty optional field)."""
        text = self.text().strip()
        if not text:
            return None, "" if self.optional else "请填写日期"
        try:
            d = parse_date(text)
        except DateError as e:
            return None, str(e)
        if self._lowest is not None and d < self._lowest:
            return None, f"不能早于{format_cn(self._lowest)}"
        if self._highest is not None and d > self._highest:
            return None, f"不能晚于{format_cn(self._highest)}"
        return d, ""

    def value(self) -> dt.date | None:
        """The date shown (see date_or_error for what she has typed since)."""
        d, error = self.date_or_error()
        return self._date if error else d

    def date(self) -> QDate:
        d = self.value()
        return to_qdate(d) if d is not None else QDate()

    # --- what the form sets -------------------------------------------------------------------------------
    def set_date(self, d: dt.date | None) -> None:
        self.setText(format_cn(d))
        self._settle(d)

    def setDate(self, q: QDate) -> None:  # noqa: N802 - as QDateEdit's
        self.set_date(from_qdate(q) if q.isValid() else None)

    def setMinimumDate(self, q: QDate) -> None:  # noqa: N802
        self._lowest = from_qdate(q)

    def setMaximumDate(self, q: QDate) -> None:  # noqa: N802
        self._highest = from_qdate(q)

    def minimumDate(self) -> QDate:  # noqa: N802
        return to_qdate(self._lowest) if self._lowest else QDate()

    def maximumDate(self) -> QDate:  # noqa: N802
        return to_qdate(self._highest) if self._highest else QDate()

    # --- as she types ----------------------------------------------------------------------------------------
    def _finished(self) -> None:
        """She left the field (Tab, Enter, a click elsewhere): written as the office writes dates, or the
        message why it cannot be read."""
        d, error = self.date_or_error()
        if error:
            self._problem = error
            self.problem.emit(error)
            return
        if self.text() != format_cn(d):
            self.setText(format_cn(d))
        self._settle(d)

    def _settle(self, d: dt.date | None) -> None:
        if self._problem:
            self._problem = ""
            self.problem.emit("")
        if d != self._date:
            self._date = d
            self.dateChanged.emit(to_qdate(d) if d is not None else QDate())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            d, error = self.date_or_error()
            start = d if not error else self._date
            if start is not None:
                self.set_date(start + dt.timedelta(days=1 if key == Qt.Key.Key_Up else -1))
                self.selectAll()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> CalendarPopup:
        popup = self.popup = CalendarPopup(self)
        shown = self.value() or dt.date.today()
        if self._lowest is not None:
            popup.calendar.setMinimumDate(to_qdate(self._lowest))
        if self._highest is not None:
            popup.calendar.setMaximumDate(to_qdate(self._highest))
        popup.calendar.setSelectedDate(to_qdate(shown))
        popup.grey_out(shown.year, shown.month)
        popup.picked.connect(self._picked)
        popup.adjustSize()
        size = popup.sizeHint().expandedTo(QSize(300, 220))
        where = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            if where.y() + size.height() > area.bottom():  # no room below: above the field
                where.setY(self.mapToGlobal(QPoint(0, 0)).y() - size.height())
            where.setX(max(area.left(), min(where.x(), area.right() - size.width())))
        popup.setGeometry(QRect(where, size))
        popup.show()
        popup.calendar.setFocus()
        return popup

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.setFocus(Qt.FocusReason.PopupFocusReason)


class OptionalDateEdit(DateField):
    """A date she may leave empty (a birth date); date_or_error() reads it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, optional=True, parent=parent)


def date_edit(today: dt.date, value: dt.date | None = None) -> DateField:
    """A date that must be given and cannot lie in the future (受理日期, 走访日期…): `value`, else today."""
    w = DateField(value or today)
    w.setMaximumDate(to_qdate(today))
    return w


qdate_to_date = from_qdate  # the forms' name for it
