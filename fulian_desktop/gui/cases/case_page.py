"""What every case page shares: `CaseView` (the header line, the action bar, opening a related case, the
note dialog, reloading after an action) and the details / timeline / related-cases body, and filling them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn, format_cn_datetime
from ...domain.kinds import kind_label
from ...domain.records import Person, TimelineEntry
from ...domain.statuses import status_label
from ...services import people
from ...services.context import Context
from .action_dialog import ActionDialog

OPEN_CASE_ROLE = Qt.ItemDataRole.UserRole + 2


def details_body(left: QWidget | None = None) -> tuple[QSplitter, QWidget, QListWidget, QListWidget]:
    """Details on the left (a text browser unless the page gives its own); the timeline (办理经过) and
    related cases on the right."""
    split = QSplitter()
    if left is None:
        details = QTextBrowser()
        details.setOpenLinks(False)
        left = details
    split.addWidget(left)
    side = QWidget()
    sl = QVBoxLayout(side)
    sl.setContentsMargins(0, 0, 0, 0)
    sl.addWidget(QLabel("<b>办理经过</b>"))
    timeline = QListWidget()
    timeline.setWordWrap(True)
    sl.addWidget(timeline, 2)
    sl.addWidget(QLabel("<b>关联案件 · 当事人的其他案件</b>"))
    related = QListWidget()
    sl.addWidget(related, 1)
    split.addWidget(side)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    return split, left, timeline, related


class CaseView(QWidget):
    """A case's page. A kind's page adds its action buttons (`add_action_bar`), its body (`add_body`, or its
    own with `self.timeline` and `self.related`), `reload()` and `add_note(text)`."""

    changed = Signal(int)  # case id
    openCase = Signal(int)
    printRequested = Signal(int)
    NOTE_HINT = ""

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.page_layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.page_layout.addWidget(self.header)
        self.note_button = QPushButton("添加备注")  # every page has it; each places it in its action bar
        self.note_button.clicked.connect(lambda: self.make_note_dialog().open())

    def add_action_bar(self, actions: Sequence[QWidget], right: Sequence[QWidget]) -> QHBoxLayout:
        """The buttons for what can be done, and at the right end the printing."""
        bar = QHBoxLayout()
        for w in actions:
            bar.addWidget(w)
        bar.addStretch(1)
        for w in right:
            bar.addWidget(w)
        self.page_layout.addLayout(bar)
        return bar

    def add_body(self, left: QWidget | None = None) -> QSplitter:
        split, details, self.timeline, self.related = details_body(left)
        if isinstance(details, QTextBrowser):
            self.details = details
        self.page_layout.addWidget(split, 1)
        self.related.itemActivated.connect(self.open_related)
        return split

    def open_related(self, item: QListWidgetItem) -> None:
        case_id = item.data(OPEN_CASE_ROLE)
        if case_id:
            self.openCase.emit(int(case_id))

    def reload(self) -> None:
        raise NotImplementedError

    def add_note(self, text: str) -> None:
        raise NotImplementedError

    def _done(self) -> None:
        """After an action: show the case anew and tell the window (lists, start page) it changed."""
        self.reload()
        self.changed.emit(self.case_id)

    def make_note_dialog(self) -> ActionDialog:
        d = ActionDialog("添加备注", self.NOTE_HINT, self)
        note = QPlainTextEdit()
        d.add("note", "备注", note, True)
        d.on_ok(lambda: self.add_note(note.toPlainText()))
        d.accepted.connect(self._done)
        return d


def fill_timeline(widget: QListWidget, entries: Iterable[TimelineEntry]) -> None:
    """Newest first: time, staff, [action], then the note."""
    widget.clear()
    for t in reversed(list(entries)):
        widget.addItem(QListWidgetItem(f"{format_cn_datetime(t.at)}　{t.staff}　【{t.action}】\n{t.note}"))


def fill_related(
    widget: QListWidget, ctx: Context, case_id: int, links: Sequence[tuple[int, str, str]],
    persons: Sequence[tuple[Person, str]],
) -> None:
    """Linked cases first, then each person's other cases (once each); `persons` pairs a person with a
    prefix shown before her cases ("" when the page is about one person)."""
    widget.clear()
    for linked_id, case_no, kind in links:
        item = QListWidgetItem(f"关联：{case_no}（{kind_label(kind)}）")
        item.setData(OPEN_CASE_ROLE, linked_id)
        widget.addItem(item)
    seen = {case_id, *(c for c, _n, _k in links)}
    for person, prefix in persons:
        if person.id is None:
            continue
        for c in people.history(ctx, person.id):
            if c["id"] in seen:
                continue
            seen.add(c["id"])
            item = QListWidgetItem(f"{prefix}{c['case_no']}　{format_cn(c['received_on'])}　"
                                   f"{status_label(c['kind'], c['status'])}　{c['summary'][:24]}")
            item.setData(OPEN_CASE_ROLE, c["id"])
            widget.addItem(item)
