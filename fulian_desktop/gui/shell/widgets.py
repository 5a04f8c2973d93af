"""Small shared widgets: a field with its error line (and its red frame), date fields that may be empty."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME

if TYPE_CHECKING:
    from .date_field import DateField

ERROR_COLOUR = "#b3261e"
ERROR_STYLE = f"color: {ERROR_COLOUR};"
HINT_STYLE = "color: #52606d;"
TITLE_STYLE = "font-size: 15pt; font-weight: bold; color: #1d4e89;"


def _is_part_of_input(widget: QWidget, root: QWidget) -> bool:
    """The line inside a drop-down or a date field, a drop-down's list: parts, not inputs of their own."""
    parent = widget.parentWidget()
    while parent is not None and widget is not root:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        if parent is root:
            return False
        parent = parent.parentWidget()
    return False


def on_input(root: QWidget, slot: Callable[[], None], *, by_user: bool) -> None:
    """Call `slot` whenever what an input in `root` (or `root` itself) holds changes: typing, picking, ticking.
    by_user: only what she does herself (typing, picking from a list, a click), not the program's own changes
    (a field cleared or filled in by the form). Safe to call again for inputs added since: each input is
    connected once."""
    mark = "watchedByUser" if by_user else "watched"
    for w in [root, *root.findChildren(QWidget)]:
        if w.property(mark) or _is_part_of_input(w, root):
            continue
        signals: list = []  # type: ignore[type-arg]
        if isinstance(w, QLineEdit):
            signals = [w.textEdited if by_user else w.textChanged]
        elif isinstance(w, QComboBox):
            signals = [w.activated if by_user else w.currentIndexChanged]
            if w.isEditable() and w.lineEdit() is not None:
                signals.append(w.lineEdit().textEdited if by_user else w.editTextChanged)
        elif isinstance(w, QAbstractButton) and not isinstance(w, (QPushButton, QToolButton)):
            signals = [w.clicked if by_user else w.toggled]
        elif isinstance(w, QGroupBox) and w.isCheckable():
            signals = [w.clicked if by_user else w.toggled]
        elif isinstance(w, QDateTimeEdit):
            signals = [w.dateTimeChanged]
        elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
            signals = [w.valueChanged]
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            signals = [w.textChanged]
        elif isinstance(w, QListWidget):
            signals = [w.itemChanged]
        if not signals:
            continue
        w.setProperty(mark, True)
        for signal in signals:
            signal.connect(lambda *_args: slot())


class _ErrorFrame(QWidget):
    """A red frame drawn over a field that needs changing. The field itself is left alone (no style sheet):
    it keeps its size, its drop-down arrow and the look of every other field."""

    def __init__(self, field: QWidget) -> None:
        super().__init__(field.parentWidget())
        self.field = field
        self.on = False
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
                            QEvent.Type.ZOrderChange):
            self.follow()
        return False

    def follow(self) -> None:
        parent = self.parentWidget()
        shown = self.on and parent is not None and self.field.isVisibleTo(parent)
        if shown:
            self.setGeometry(self.field.geometry())
            self.raise_()
        self.setVisible(shown)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(ERROR_COLOUR), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 2, 2)


def mark_invalid(field: QWidget, invalid: bool) -> None:
    """Frame `field` in red (or take the frame away). Its own look and size do not change."""
    parent = field.parentWidget()
    if parent is None:
        return
    frame = next((f for f in parent.findChildren(_ErrorFrame, options=Qt.FindChildOption.FindDirectChildrenOnly)
                  if f.field is field), None)
    if frame is None:
        if not invalid:
            return
        frame = _ErrorFrame(field)
    frame.on = invalid
    frame.follow()


def is_marked_invalid(field: QWidget) -> bool:
    parent = field.parentWidget()
    return parent is not None and any(
        f.field is field and f.on
        for f in parent.findChildren(_ErrorFrame, options=Qt.FindChildOption.FindDirectChildrenOnly))


class FieldBox(QWidget):
    """An input with a line under it for its error (red, and a red frame round the input) or a hint (grey).

    An error goes as soon as she corrects the field: a form that can check itself as she types does so
    (`checked_as_typed`, see case_form.RecordForm); elsewhere the message goes when she changes the field,
    and comes back at the next 确定 if it is still wrong."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.checked_as_typed = False
        self._error = ""
        self._hint = ""
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        on_input(editor, self._changed_by_user, by_user=True)
        for field in self.date_fields():  # a date that cannot be read: said here when she leaves it
            field.problem.connect(self.set_error)

    def date_fields(self) -> list[DateField]:
        dates = sys.modules.get(f"{__package__}.date_field")  # (not loaded: no date field made yet, none here)
        if dates is None:
            return []
        editor = self.editor
        return [editor] if isinstance(editor, dates.DateField) else editor.findChildren(dates.DateField)

    def set_error(self, text: str) -> None:
        self._error, self._hint = text, ""
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        mark_invalid(self.editor, bool(text))

    def set_hint(self, text: str) -> None:
        self._error, self._hint = "", text
        self.message.setStyleSheet(HINT_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        mark_invalid(self.editor, False)

    def error(self) -> str:
        return self._error

    def hint(self) -> str:
        return self._hint

    def _changed_by_user(self) -> None:
        if self._error and not self.checked_as_typed:
            self.set_error("")


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


class ImpliedTick(QObject):
    """A tick box that a choice elsewhere on the form implies (具体类别 家庭暴力 → the 家庭暴力 box): while
    it does, the box is ticked and cannot be unticked, and its tooltip says why; when the choice changes,
    the box is as she left it herself."""

    def __init__(self, box: QCheckBox, why: str) -> None:
        super().__init__(box)
        self.box = box
        self.why = why
        self.implied = False
        self.own = box.isChecked()  # her own tick, kept while the choice ticks the box
        box.toggled.connect(self._toggled)

    def set_implied(self, implied: bool) -> None:
        if implied == self.implied:
            return
        self.implied = implied
        self.box.setEnabled(not implied)
        self.box.setToolTip(self.why if implied else "")
        self.box.setChecked(True if implied else self.own)

    def _toggled(self, checked: bool) -> None:
        if not self.implied:
            self.own = checked
        elif not checked:  # the form filled in from a record: the choice still ticks it
            self.box.setChecked(True)


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

    def unread_dates(self) -> dict[str, str]:
        """The fields with a date that cannot be read (or none where one is needed) and why, by field name:
        a form does not save while there are any (the date fields would give the last date they could read)."""
        found: dict[str, str] = {}
        for name, box in self.boxes.items():
            for field in box.date_fields():
                error = field.date_or_error()[1]
                if error and field.isEnabled() and field.isVisibleTo(box.window()):
                    found.setdefault(name, error)
        return found


def max_length(editor: QWidget, most: int) -> None:
    """A line (or an editable drop-down's line) that takes at most `most` characters."""
    line = editor if isinstance(editor, QLineEdit) else (
        editor.lineEdit() if isinstance(editor, QComboBox) and editor.isEditable() else None)
    if line is not None:
        line.setMaxLength(most)


def take_at_most(form: Form, limits: Mapping[str, tuple[str, int]], prefix: str = "") -> None:
    """Each line of `form` takes at most what its field may hold (`limits`: the kind's LIMITS in domain/,
    field -> (label, most); `prefix`: what the boxes' names begin with, cadre. for cadre.name), so that what she
    types is never refused for its length; the boxes of several lines are checked by the domain, which says so
    next to them."""
    for name, box in form.boxes.items():
        field = name.removeprefix(prefix) if name.startswith(prefix) else None
        if field in limits:
            max_length(box.editor, limits[field][1])


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


class _NoLoneCell(QObject):
    """Qt makes a table's first cell current when the table gets the focus with nothing chosen: a cell that
    looks chosen while the buttons for a chosen record stay grey, and the first Down then skips the first
    row. Here nothing is current until she chooses a row (a click, or Down to the first one)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            chosen = watched.selectionModel()
            if chosen is not None and not chosen.hasSelection():
                watched.setCurrentIndex(QModelIndex())  # and Qt does not pick one itself
        return False


def record_table(view: QTableView) -> QTableView:
    """A table of records as the office reads them: a click selects one whole row, nothing is edited in
    place (changes go through the record's own form), no row numbers down the side, no cell highlighted
    on its own."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.installEventFilter(_NoLoneCell(view))
    view.setStyleSheet("QTableView { outline: 0; }")  # no frame round one cell: rows are what she chooses
    return view


def office_list(view: QTableView, widths: Sequence[int]) -> QTableView:
    """One of the office's long lists (the case list, the household register): a record_table, rows shaded in
    turn and 26 px high, columns of the given widths that she can widen or narrow, the last taking the room left."""
    record_table(view)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
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


class PasswordField(QLineEdit):
    """A password box that says 大写锁定已打开 at its right end while Caps Lock is on: a letter typed in
    capitals without Shift (or small with it) shows it, one typed as the keys say hides it, and the Caps Lock
    key turns it round once it is known — the dots do not show her what she types."""

    CAPS_LOCK = "大写锁定已打开"

    def __init__(self) -> None:
        super().__init__()
        self.caps_lock: bool | None = None  # unknown until she types a letter
        self.caps_note = QLabel(self.CAPS_LOCK, self)
        self.caps_note.setStyleSheet("color: #b3261e; background: transparent;")
        self.caps_note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.caps_note.setVisible(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if event.key() == Qt.Key.Key_CapsLock:
            if self.caps_lock is not None:
                self._set_caps_lock(not self.caps_lock)
        elif len(text) == 1 and text.isascii() and text.isalpha():
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._set_caps_lock(text.isupper() != shift)
        super().keyPressEvent(event)

    def _set_caps_lock(self, on: bool) -> None:
        self.caps_lock = on
        self.caps_note.setVisible(on)
        self.setTextMargins(0, 0, self.caps_note.sizeHint().width() + 8 if on else 0, 0)
        self._place_note()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_note()

    def _place_note(self) -> None:
        hint = self.caps_note.sizeHint()
        self.caps_note.setGeometry(self.width() - hint.width() - 6, (self.height() - hint.height()) // 2,
                                   hint.width(), hint.height())


def password_field(placeholder: str = "") -> QLineEdit:
    """A password box: the typing shown as dots, at most 128 characters; it says when Caps Lock is on."""
    box = PasswordField()
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
