"""What every case page shares: `CaseView` (the header line, the action bar, opening a related case, the
note dialog, reloading after an action, 修改 and Ctrl+E, 撤销上一步 for the 主任) and the details / timeline /
related-cases body, and filling them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.corrections import Correction
from ...domain.dates import format_cn, format_cn_datetime
from ...domain.records import Person, TimelineEntry
from ...domain.statuses import status_label
from ...services import cases, people, protection, undo
from ...services.context import Context
from ..protection.person_page import PersonPage
from ..protection.thread_panel import ThreadPanel
from ..shell import dialogs
from .action_dialog import ActionDialog
from .attachments_section import AttachmentsSection
from .case_form import RecordForm

OPEN_CASE_ROLE = Qt.ItemDataRole.UserRole + 2


def details_body(left: QWidget | None = None) -> tuple[QSplitter, QWidget, QListWidget, QListWidget]:
    """Details on the left (a text browser unless the page gives its own); the timeline (办理经过) and
    related cases on the right (the page adds its 附件 under them), in a column that scrolls as a whole when the
    window is too low for all of it (1366×768 at 125 %) instead of making the window taller than the screen."""
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
    column = _Column()
    column.setWidgetResizable(True)  # as tall as the room when it fits: the lists share it as before
    column.setFrameShape(QFrame.Shape.NoFrame)
    column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    column.setWidget(side)
    split.addWidget(column)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    return split, left, timeline, related


class _Column(QScrollArea):
    """The timeline, related cases and 附件 beside the details: scrolls up and down only, as wide as they need."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        inner = self.widget()
        width = inner.minimumSizeHint().width() if inner is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(), super().minimumSizeHint().height())


class CaseView(QWidget):
    """A case's page. A kind's page adds its action buttons (`add_action_bar`), its body (`add_body`, or its
    own with `self.timeline` and `self.related`), `reload()` and `add_note(text)`.

    Correcting: a kind's page implements `edit_form()` — its form, filled in from the saved case and in
    correcting mode (`RecordForm.start_correcting`). The page then has 修改 in its action bar (at the right,
    before the printing) and Ctrl+E, for roles with the kind's write right; once the correction is saved the
    page reloads (the timeline shows the 更正 line). The 主任 also gets 撤销上一步 (undo the last status
    change, with a reason: services/undo.py)."""

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
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        self.page_layout.addLayout(top)
        self.note_button = QPushButton("添加备注")  # every page has it; each places it in its action bar
        self.note_button.clicked.connect(lambda: self.make_note_dialog().open())
        # placed by add_action_bar: 修改 when the kind's page has an edit_form, 撤销上一步 for the 主任
        self.correct_button = QPushButton("修改")
        self.correct_button.setToolTip("更正已保存的内容（Ctrl+E）")
        self.correct_button.clicked.connect(self.do_edit)
        self.undo_button = QPushButton("撤销上一步")
        self.undo_button.clicked.connect(self.do_undo)
        # 当事人全貌: her person page, from any of her cases (at the right of the header line, for the staff allowed)
        self.person_button = QPushButton("当事人全貌")
        self.person_button.setToolTip("她的所有案件、风险变化、安全计划、转介和答复、接下来要办的")
        self.person_button.clicked.connect(self.open_person)
        self.person_page: PersonPage | None = None
        if ctx.may("protection.person") and protection.person_of(ctx, case_id) is not None:
            top.addWidget(self.person_button, 0, Qt.AlignmentFlag.AlignTop)
        else:
            self.person_button.hide()
        # in the whole window while this page is the one shown (a hidden tab's shortcut does not fire)
        self.edit_shortcut = QShortcut(QKeySequence("Ctrl+E"), self, self.do_edit)
        self.edit_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.last_form: RecordForm | None = None
        # 家暴防护: a tab beside the case's details when the case is about domestic violence (add_body)
        self.page_tabs: QTabWidget | None = None
        self.thread: ThreadPanel | None = None
        self.attachments: AttachmentsSection | None = None  # 附件 (make_attachments)

    def add_action_bar(self, actions: Sequence[QWidget], right: Sequence[QWidget]) -> QHBoxLayout:
        """The buttons for what can be done, and at the right end 修改, 撤销上一步 (主任) and the printing."""
        bar = QHBoxLayout()
        for w in actions:
            bar.addWidget(w)
        bar.addStretch(1)
        extra: list[QWidget] = []
        if self.can_correct():
            extra.append(self.correct_button)
        else:
            self.correct_button.hide()
        if self.ctx.may("case.undo"):
            extra.append(self.undo_button)
            self.update_undo()
        else:
            self.undo_button.hide()
        for w in (*extra, *right):
            bar.addWidget(w)
        self.page_layout.addLayout(bar)
        return bar

    def open_person(self) -> PersonPage | None:
        """当事人全貌: her person page beside the case; her cases open from it."""
        person_id = protection.person_of(self.ctx, self.case_id)
        if person_id is None:
            dialogs.inform(self, "当事人全貌", "这件案件没有登记当事人。")
            return None
        page = PersonPage(self.ctx, person_id, self)
        page.openCase.connect(self.openCase)
        self.person_page = page
        page.show()
        return page

    # --- correcting -------------------------------------------------------------------------------
    def edit_form(self) -> RecordForm | None:
        """The kind's form filled in from the saved case, in correcting mode (`form.start_correcting(record)`),
        not yet shown; None when the page has none. Kinds override this."""
        return None

    def can_correct(self) -> bool:
        """The page has a form to correct with, and the account may write this kind of case."""
        return type(self).edit_form is not CaseView.edit_form and self.ctx.may(
            f"{cases.kind_of(self.ctx, self.case_id)}.write")

    def do_edit(self) -> RecordForm | None:
        """修改 / Ctrl+E: open the kind's form filled in; once saved, the page shows the case anew."""
        if type(self).edit_form is CaseView.edit_form:
            return None
        if not self.can_correct():
            dialogs.inform(self, "修改", "您的账号没有权限修改这类案件。")
            return None
        form = self.edit_form()
        if form is None:
            return None
        form.corrected.connect(self._corrected)
        self.last_form = form
        form.open()
        return form

    def _corrected(self, changes: list[Correction]) -> None:
        if changes:
            self._done()

    # --- undoing the last status step (主任) -------------------------------------------------------
    def update_undo(self) -> None:
        """撤销上一步 enabled when the last status change can be undone; its tooltip says what, or why not."""
        if not self.ctx.may("case.undo"):
            return
        step = undo.last_step(self.ctx, self.case_id)
        if step is None:
            self.undo_button.setEnabled(False)
            self.undo_button.setToolTip("这件案件还没有状态变更")
        else:
            self.undo_button.setEnabled(not step.blocked)
            self.undo_button.setToolTip(step.blocked or f"撤销“{step.action}”（{format_cn_datetime(step.at)}）")

    def make_undo_dialog(self) -> ActionDialog | None:
        step = undo.last_step(self.ctx, self.case_id)
        if step is None or step.blocked:
            dialogs.inform(self, "撤销上一步", step.blocked if step else "这件案件还没有状态变更。")
            return None
        intro = (f"撤销{format_cn_datetime(step.at)} {step.actor or '未署名'}办理的“{step.action}”："
                 f"案件回到“{status_label(step.kind, step.from_status)}”，期限重新计算。"
                 "办理经过保留这一步，并记下撤销和原因。")
        d = ActionDialog("撤销上一步", intro, self)
        reason = QPlainTextEdit()
        reason.setPlaceholderText("如 误点了受理，应为不予受理")
        reason.setMaximumHeight(80)
        d.add("reason", "撤销原因", reason, True)

        def ok() -> None:
            undo.undo_last_step(self.ctx, self.case_id, reason.toPlainText())

        d.on_ok(ok)
        d.accepted.connect(self._done)
        return d

    def do_undo(self) -> None:
        d = self.make_undo_dialog()
        if d is not None:
            d.open()

    def add_body(self, left: QWidget | None = None) -> QSplitter:
        split, details, self.timeline, self.related = details_body(left)
        column = split.widget(1)
        assert isinstance(column, QScrollArea)
        side = column.widget().layout()
        assert side is not None
        side.addWidget(self.make_attachments(), 1)
        if isinstance(details, QTextBrowser):
            self.details = details
        if self.ctx.may("protection.read") and protection.shows_thread(self.ctx, self.case_id):
            self.page_tabs = QTabWidget()
            self.page_tabs.addTab(split, "案件")
            self.thread = ThreadPanel(self.ctx, self.case_id)
            self.thread.changed.connect(self._done)
            self.page_tabs.addTab(self.thread, "家暴防护")
            self.page_layout.addWidget(self.page_tabs, 1)
            self.mark_thread()
        else:
            self.page_layout.addWidget(split, 1)
        self.related.itemActivated.connect(self.open_related)
        return split

    # --- 附件: the section, files dropped onto the page ---------------------------------------------
    def make_attachments(self) -> AttachmentsSection:
        """The page's 附件 section (a kind's page without `add_body` places it itself); files dropped anywhere on
        the page are added to it."""
        self.attachments = AttachmentsSection(self.ctx, self.case_id)
        self.attachments.changed.connect(self._done)
        self.setAcceptDrops(self.attachments.can_write)
        return self.attachments

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if self.attachments is not None:  # anywhere on the page: as if dropped onto its 附件 section
            self.attachments.dragEnterEvent(event)
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        if self.attachments is not None:
            self.attachments.dropEvent(event)

    def open_related(self, item: QListWidgetItem) -> None:
        case_id = item.data(OPEN_CASE_ROLE)
        if case_id:
            self.openCase.emit(int(case_id))

    def reload(self) -> None:
        raise NotImplementedError

    def add_note(self, text: str) -> None:
        raise NotImplementedError

    def mark_thread(self) -> None:
        """The 家暴防护 tab says in red what is urgent there (须报案、查访已逾期 …), seen from the 案件 tab too."""
        if self.page_tabs is None or self.thread is None:
            return
        urgent = self.thread.attention()
        i = self.page_tabs.indexOf(self.thread)
        self.page_tabs.setTabText(i, "家暴防护" + (f"（{urgent}）" if urgent else ""))
        self.page_tabs.tabBar().setTabTextColor(i, QColor("#b3261e") if urgent else QColor())

    def _done(self) -> None:
        """After an action: show the case anew and tell the window (lists, start page) it changed."""
        self.reload()
        self.mark_thread()
        self.update_undo()
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
    labels = cases.kind_labels(ctx, [linked_id for linked_id, _no, _kind in links])  # a referral names its service
    for linked_id, case_no, _kind in links:
        item = QListWidgetItem(f"关联：{case_no}（{labels[linked_id]}）")
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
