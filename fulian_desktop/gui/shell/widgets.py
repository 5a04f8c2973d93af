"""Small shared widgets: a field with its error line, date fields that may be empty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...domain.dates import DateError, parse_date

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #52606d;"
TITLE_STYLE = "font-size: 15pt; font-weight: bold; color: #1d4e89;"


class FieldBox(QWidget):
    """An input with a line under it for its error (red) or a hint (grey)."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)

    def set_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.editor.setProperty("invalid", bool(text))
        # the red border goes round the editor itself, never round every widget inside a container
        if not self.editor.objectName():
            self.editor.setObjectName(f"field{id(self.editor)}")
        self.editor.setStyleSheet(f"#{self.editor.objectName()} {{ border: 1px solid #b3261e; }}" if text else "")

    def set_hint(self, text: str) -> None:
        self.message.setStyleSheet(HINT_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.editor.setStyleSheet("")

    def error(self) -> str:
        return self.message.text() if self.message.isVisible() and self.message.styleSheet() == ERROR_STYLE else ""


class OptionalDateEdit(QLineEdit):
    """A date the user may leave empty; accepts 2026-03-01, 2026/3/1 or 2026年3月1日."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("如 1990-05-06")

    def date_or_error(self) -> tuple[dt.date | None, str]:
        text = self.text().strip()
        if not text:
            return None, ""
        try:
            return parse_date(text), ""
        except DateError as e:
            return None, str(e)

    def set_date(self, d: dt.date | None) -> None:
        self.setText(d.isoformat() if d else "")


def date_edit(today: dt.date, value: dt.date | None = None) -> QDateEdit:
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy年M月d日")
    w.setMaximumDate(QDate(today.year, today.month, today.day))
    v = value or today
    w.setDate(QDate(v.year, v.month, v.day))
    return w


def qdate_to_date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def combo(values: list[str] | tuple[str, ...], editable: bool = False, empty: str | None = None) -> QComboBox:
    c = QComboBox()
    c.setEditable(editable)
    if empty is not None:
        c.addItem(empty, "")
    for v in values:
        c.addItem(v, v)
    if editable:
        c.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return c


def combo_value(c: QComboBox) -> str:
    if c.isEditable():
        return c.currentText().strip()
    data = c.currentData()
    return str(data) if data is not None else c.currentText()


def set_combo(c: QComboBox, value: str) -> None:
    i = c.findData(value)
    if i < 0:
        i = c.findText(value)
    if i >= 0:
        c.setCurrentIndex(i)
    elif c.isEditable():
        c.setEditText(value)


class Form(QFormLayout):
    """A QFormLayout whose rows keep a FieldBox per field name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, FieldBox] = {}
        self.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

    def add(self, name: str, label: str, editor: QWidget, required: bool = False) -> FieldBox:
        box = FieldBox(editor)
        self.boxes[name] = box
        text = f"{label}<span style='color:#b3261e'>*</span>" if required else label
        lab = QLabel(text)
        lab.setBuddy(editor)
        self.addRow(lab, box)
        return box


def search_as_you_type(owner: QObject, box: QLineEdit, apply: Callable[[], None], delay_ms: int = 250) -> QTimer:
    """A search box that filters while she types (a quarter second after the last key, not at every key
    on a large database) and at once on Enter. Returns the timer: `apply` stops it when run otherwise."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(apply)
    box.textChanged.connect(timer.start)
    box.returnPressed.connect(apply)
    return timer


def heading(layout: QBoxLayout, title: str, intro: str = "", *, grey: bool = True) -> QLabel:
    """A window's or page's title in the office blue and, under it, its word-wrapped introduction: grey
    hint text, or plain where it must be read (grey=False). Returns the title."""
    label = QLabel(title)
    label.setStyleSheet(TITLE_STYLE)
    layout.addWidget(label)
    if intro:
        text = QLabel(intro)
        text.setWordWrap(True)
        if grey:
            text.setStyleSheet(HINT_STYLE)
        layout.addWidget(text)
    return label


def window_title(*parts: str) -> str:
    """A window's title: what it shows, then the program's name once — "演示县妇联 — 妇联维权工作台". On Windows
    and Linux Qt adds " — " and the application's display name to every title that does not already end with
    it; a title that ends with it shows the name once there, and once where Qt adds nothing (macOS)."""
    return " — ".join([*(p for p in parts if p), APP_NAME])


def record_table(view: QTableView) -> QTableView:
    """A table of records as the office reads them: a click selects one whole row, nothing is edited in
    place (changes go through the record's own form), no row numbers down the side."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    return view


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the window works on something she waits for (signing in, the statistics, a
    print, an export): on an old office PC that can take a second, and a still arrow looks like a hang.
    Messages about the outcome come after the block, with the arrow back."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def password_field(placeholder: str = "") -> QLineEdit:
    """A password box: the typing shown as dots, at most 128 characters."""
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setMaxLength(128)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


def scrolling_column(outer: QBoxLayout, stretch: int = 0, *, frameless: bool = False) -> QVBoxLayout:
    """A column that scrolls when it is taller than the window (a long form or page on a 1366×768 screen),
    added to `outer`. Returns the column's layout, to put the form's parts in."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    if frameless:  # a page of its own rather than a box on a form
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    body = QWidget()
    column = QVBoxLayout(body)
    scroll.setWidget(body)
    outer.addWidget(scroll, stretch)
    return column
