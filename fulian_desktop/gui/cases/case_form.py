"""What every form that saves a record shares (信访, 转介, 调解, 帮扶户 and the 走访 record): the line that
says how many fields need changing, the save and cancel buttons with Ctrl+S, saving in one step (format
errors from the widgets together with what the domain's rules find, each shown next to its field; a refusal
from the service in a message), and "give up what you typed?" before closing.

A form says which `Form` grids hold its fields (`field_forms`), how to read its record (`value`), the
domain's check (`validate`), the service call that saves it (`store`) and what to say once saved
(`finish`: a case form emits the new case's id and number).

Correcting a saved record (修改, Ctrl+E on a case page) uses the same form: the page calls
`start_correcting(record)`, which fills the widgets (`fill_from`, the kind's) and turns saving into the kind's
correction service (`correct(record, reason)`, returning the list of `Correction`s). When the service says a
reason is needed (`ReasonRequired`: a form was printed, an agreement signed, the case concluded), the form
asks for 更正原因 (dialogs.ask_text) and saves again; when it asks whether an older case's address (or
marital status) is corrected for that case only (`ScopeQuestion`), the form asks her (dialogs.choose) and saves
again with `self.person_scope` set, which `correct` passes to the service. Once saved it emits
`corrected(changes)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.corrections import CASE_ONLY, EVERYWHERE, Correction, ScopeQuestion
from ...domain.errors import FulianError, ValidationError
from ...services import lists
from ...services.context import Context
from ..shell import dialogs
from ..shell.date_field import DateField, qdate_to_date
from ..shell.widgets import ERROR_COLOUR, FieldBox, Form, combo, combo_value, on_input


def put_saved(c: QComboBox, value: str) -> None:
    """Show a saved value in a drop-down (correcting mode), adding it when the office's list no longer
    offers it, so that opening a saved record never changes it."""
    i = c.findData(value) if value else 0
    if i < 0:
        i = c.findText(value)
    if i < 0 and not c.isEditable():
        c.addItem(value, value)
        i = c.count() - 1
    if i >= 0:
        c.setCurrentIndex(i)
    if c.isEditable():
        c.setEditText(value)


def put_date(edit: DateField, value: dt.date) -> None:
    """Show a saved date in a date field (correcting mode), whatever its range was set to."""
    lowest, highest = edit.minimumDate(), edit.maximumDate()
    if lowest.isValid() and value < qdate_to_date(lowest):
        edit.setMinimumDate(QDate(value.year, value.month, value.day))
    if highest.isValid() and value > qdate_to_date(highest):
        edit.setMaximumDate(QDate(value.year, value.month, value.day))
    edit.set_date(value)


def place_combos(ctx: Context) -> tuple[QComboBox, QComboBox]:
    """The 乡镇 drop-down (the office's list) and the 村（社区） one that follows it: picking a township offers its
    villages and empties what was typed there (any village may still be typed)."""
    township = combo(lists.values(ctx, "township"), empty="（请选择）")
    village = combo([], editable=True)

    def township_changed() -> None:
        village.clear()
        t = combo_value(township)
        if t:
            village.addItems(lists.values(ctx, "township", t))
        village.setEditText("")

    township.currentIndexChanged.connect(township_changed)
    return township, village


def _text_fields(form: QWidget) -> list[QWidget]:
    """The form's fields a clerk types text into (line edits, date fields, editable drop-downs, multi-line texts)."""
    fields: list[QWidget] = [w for w in form.findChildren(QLineEdit) if not w.isReadOnly()]
    fields += [w for w in form.findChildren(QPlainTextEdit) if not w.isReadOnly()]
    fields += [w for w in form.findChildren(QTextEdit) if not w.isReadOnly()]
    return fields


def _text_of(w: QWidget) -> str:
    if isinstance(w, QLineEdit):
        return w.text()
    assert isinstance(w, QPlainTextEdit | QTextEdit)
    return w.toPlainText()


class RecordForm(QDialog):
    GIVE_UP_TITLE = "放弃登记"
    GIVE_UP_TEXT = "已输入的内容还没有保存，确定放弃吗？"
    REASON_TITLE = "更正原因"

    corrected = Signal(object)  # list[Correction]: what a correction changed (empty: nothing)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.correcting = False  # True once start_correcting has filled the form from a saved record
        self.reason = ""  # the 更正原因 given (asked for when the service needs one)
        self.person_scope = ""  # her answer to a ScopeQuestion: CASE_ONLY / EVERYWHERE ("" not asked)
        self._as_saved: Any = None
        self.saved_record: Any = None  # the record as saved, when correcting (its id says which)
        self._shown_texts: dict[QWidget, str] | None = None  # each text field as the form first showed it

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._shown_texts is None:
            self._shown_texts = {w: _text_of(w) for w in _text_fields(self)}

    def typed_since_shown(self) -> bool:
        """Whether any text field the form showed holds other text now than it did then (a phone number, a birth date
        typed on its own, that has_input does not look at): closing the form then asks too."""
        shown = self._shown_texts or {}
        return any(_text_of(w) != text for w, text in shown.items() if shiboken6.isValid(w))

    def add_save_bar(self, outer: QVBoxLayout, save_text: str) -> None:
        """The error summary line and the buttons, at the foot of the form."""
        self.summary = QLabel("")
        self.summary.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # --- what a form says -----------------------------------------------------------------------
    def field_forms(self) -> Sequence[Form]:
        raise NotImplementedError

    def value(self, errors: dict[str, str]) -> Any:
        """The record as typed; what cannot be read (a date in a wrong format…) goes into `errors`."""
        raise NotImplementedError

    def validate(self, record: Any) -> None:
        """The domain's rules (raise ValidationError)."""
        raise NotImplementedError

    def store(self, record: Any) -> Any:
        """Save through the service; what `finish` is given."""
        raise NotImplementedError

    def finish(self, result: Any) -> None:
        """Once saved: tell whoever opened the form."""
        raise NotImplementedError

    def box_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """The errors by the field box each is shown in (some are shown on a neighbour's row)."""
        return errors

    def has_input(self) -> bool:
        raise NotImplementedError

    def show_more_errors(self, errors: dict[str, str]) -> None:
        """Errors for fields outside the `field_forms` grids (people, parties, members…)."""

    # --- what a form says to correct a saved record ------------------------------------------------
    def fill_from(self, record: Any) -> None:
        """Put a saved record into the widgets (every field, also the ones the form would fill itself)."""
        raise NotImplementedError

    def correct(self, record: Any, reason: str) -> list[Correction]:
        """Save the corrected record through the kind's `correct` service, passing `reason` and
        `self.person_scope` (it writes only what changed, raises ReasonRequired when a reason is needed and
        `reason` is empty, ScopeQuestion when it needs to know whether an older case's address is corrected
        for that case only)."""
        raise NotImplementedError

    def start_correcting(self, record: Any, title: str = "") -> None:
        """Fill the form from the saved `record` and make saving a correction: the title (修改… by
        default), the save button 保存修改, and closing asks only when something was changed."""
        self.saved_record = record
        self.fill_from(record)
        self.correcting = True
        self.GIVE_UP_TITLE = "放弃修改"
        self.GIVE_UP_TEXT = "修改的内容还没有保存，确定放弃吗？"
        if title:
            self.setWindowTitle(title)
        elif not self.windowTitle().startswith("修改"):
            self.setWindowTitle("修改" + self.windowTitle().removeprefix("登记").removeprefix("新建"))
        if hasattr(self, "save_button"):
            self.save_button.setText("保存修改")
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):  # at the top: what she is doing, and what saving will do
            number = getattr(record, "case_no", "")
            self.correcting_note = QLabel(
                f"正在修改已保存的{'案件 <b>' + number + '</b>' if number else '记录'}。保存时只写入改动的内容，"
                "办理经过会记下改了什么；已打印或已办结的，需写明更正原因。")
            self.correcting_note.setWordWrap(True)
            self.correcting_note.setStyleSheet("background: #fff8e1; border: 1px solid #f0c36d; padding: 6px;")
            layout.insertWidget(0, self.correcting_note)
        self._as_saved = self.value({})

    # --- shared ---------------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        """What saving found, each next to its field. From then on the form checks itself again at every
        change, so a message goes as soon as its field is right (`_recheck`)."""
        self._put_errors(errors)
        self.summary.setText(f"有{len(errors)}处需要修改，请看红字提示。" if errors else "")
        self._reported = dict(errors)
        # what only the service knows (a mediator no longer on the roster…) stays until the next 保存
        self._service_only = {k: v for k, v in errors.items() if k not in self._problems()} if errors else {}
        if errors:
            self._watch()

    def _put_errors(self, errors: dict[str, str]) -> None:
        shown = self.box_errors(errors)
        for form in self.field_forms():
            for name, box in form.boxes.items():
                if name in shown:
                    box.set_error(shown[name])
                elif box.error():
                    box.set_error("")
        self.show_more_errors(errors)

    def _problems(self) -> dict[str, str]:
        """What is wrong with the form as it stands: what the widgets cannot read and what the domain's
        rules find."""
        errors: dict[str, str] = {}
        try:
            record = self.value(errors)
            self._unread_dates(errors)
            self.validate(record)
        except ValidationError as e:
            errors = {**e.errors, **errors}
        except FulianError:
            pass
        return errors

    def _watch(self) -> None:
        """Check again at every change of any field (those added since too), a moment after it."""
        if not hasattr(self, "_recheck_timer"):
            self._recheck_timer = QTimer(self)
            self._recheck_timer.setSingleShot(True)
            self._recheck_timer.setInterval(0)
            self._recheck_timer.timeout.connect(self._recheck)
        for box in self._boxes():
            box.checked_as_typed = True
        on_input(self, self._recheck_timer.start, by_user=False)

    def _boxes(self) -> list[FieldBox]:
        """The form's own fields (not those of a dialog it opened, such as the organisation directory)."""
        return [box for box in self.findChildren(FieldBox) if box.window() is self]

    def _recheck(self) -> None:
        """After a save found errors: each message that is no longer true goes (or says what is wrong now);
        a new problem in a field she has not finished waits for the next 保存."""
        if not getattr(self, "_reported", None):
            return
        hints = {box: box.hint() for box in self._boxes() if not box.error()}
        now = {**self._problems(), **self._service_only}
        self._put_errors(now)
        for box, hint in hints.items():
            if box.error():
                box.set_hint(hint)
        left = [k for k in now if k in self._reported]
        self.summary.setText(f"有{len(left)}处需要修改，请看红字提示。" if left else "")

    def _unread_dates(self, errors: dict[str, str]) -> None:
        """Add the dates that cannot be read as typed (the fields would give the last date they could)."""
        for form in self.field_forms():
            for name, error in form.unread_dates().items():
                errors.setdefault(name, error)

    def save(self) -> None:
        errors: dict[str, str] = {}
        record = self.value(errors)
        self._unread_dates(errors)
        try:
            if errors:  # keep the format errors and add what the rules find
                try:
                    self.validate(record)
                except ValidationError as e:
                    errors = {**e.errors, **errors}
                raise ValidationError(errors)
            if self.correcting:
                changes = self._save_correction(record)
                if changes is None:  # she gave no reason: nothing saved, nothing lost
                    return
            else:
                result = self.store(record)
        except ValidationError as e:
            self.show_errors(e.errors)
            self._go_to_first_error()
            return
        except FulianError as e:
            dialogs.warn(self, "未能保存", e.message)
            return
        self.show_errors({})
        if self.correcting:
            self.corrected.emit(changes)
        else:
            self.finish(result)
        self.done(QDialog.DialogCode.Accepted)

    def _go_to_first_error(self) -> None:
        """After 保存 found something to correct: the first field in red (from the top) is scrolled into view with
        the focus in it — on a long form the red may be far below where she pressed 保存."""
        wrong = [box for box in self._boxes() if box.error() and box.isVisibleTo(self)]
        if not wrong:
            return

        def place(box: FieldBox) -> tuple[int, int]:
            at = box.mapTo(self, QPoint(0, 0))
            return at.y(), at.x()

        first = min(wrong, key=place)
        first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        area = first.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if isinstance(area, QScrollArea):
            scroll = area
            # once the messages are laid out; not at all if the form has closed by then
            QTimer.singleShot(0, scroll, lambda: scroll.ensureWidgetVisible(first))

    def _save_correction(self, record: Any) -> list[Correction] | None:
        """`correct`, asking for 更正原因 as long as the service needs one (None when she cancels), and
        whether a time-bound detail of an older case is for that case only."""
        while True:
            try:
                return self.correct(record, self.reason)
            except ScopeQuestion as q:
                answer = dialogs.choose(self, "只改这件案件？", q.message, ("只改这件案件", "她的所有案件都改", "取消"))
                if answer == 2:  # 取消 or Esc: nothing saved, nothing lost
                    self.summary.setText("没有保存：请选择只改这件案件，还是她的所有案件都改。")
                    return None
                self.person_scope = CASE_ONLY if answer == 0 else EVERYWHERE
            except ValidationError as e:  # ReasonRequired, or a reason too long
                if set(e.errors) != {"reason"}:
                    raise
                answer = dialogs.ask_text(self, self.REASON_TITLE, e.errors["reason"] + "：", self.reason, "保存修改")
                if answer is None:
                    self.summary.setText("没有保存：" + e.errors["reason"] + "。")
                    return None
                self.reason = answer

    def unsaved_input(self) -> bool:
        if self.correcting:
            return bool(self.value({}) != self._as_saved)
        return self.has_input() or self.typed_since_shown()

    def reject(self) -> None:
        if self.unsaved_input() and not dialogs.ask(
            self, self.GIVE_UP_TITLE, self.GIVE_UP_TEXT, "放弃", "继续填写"
        ):
            return
        super().reject()


class CaseForm(RecordForm):
    """A form that registers a case, or corrects a saved one (`start_correcting`, see the module's notes)."""

    saved = Signal(int, str)  # case id, case number

    def store(self, record: Any) -> tuple[int, str]:
        raise NotImplementedError

    def finish(self, result: tuple[int, str]) -> None:
        self.saved.emit(*result)
