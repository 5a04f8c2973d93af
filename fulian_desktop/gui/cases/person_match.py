"""The people already on file who match a person being typed in (档案中已有相符的人): a card for each, with
her earlier cases, and 是同一人，关联 / 取消关联. Shared by every form that takes a person (信访, 转介, 调解的
当事人, 帮扶户的户主)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...domain.dates import format_cn
from ...domain.masking import mask_phone
from ...domain.statuses import status_label
from ...services import people
from ...services.context import Context
from ...services.people import Match
from .person_fields import PersonFields

SHOWN_CASES = 5  # her latest cases on the card; the count says how many there are
SUMMARY_CHARS = 30
ATTACHED_TEXT = "✔ 已关联：保存时用档案中的这个人，不会重复建档"
CARD_STYLE = "#matchCard { background: #fffdf5; border: 1px solid #f0d58c; border-radius: 4px; }"
ATTACHED_CARD_STYLE = "#matchCard { background: #eef7f1; border: 1px solid #7fb996; border-radius: 4px; }"


class MatchCard(QFrame):
    """One person on file: who she is and why she matches, the 关联 button on the right of that line, the
    state once attached under it, and her cases in columns across the whole card."""

    def __init__(self, m: Match, attached: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matchCard")
        self.setStyleSheet(ATTACHED_CARD_STYLE if attached else CARD_STYLE)
        p = m.person
        facts = "，".join(x for x in (p.sex, format_cn(p.birth_date), mask_phone(p.phone)) if x)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.who = QLabel(f"<b>{escape(p.name)}</b>（{escape(facts)}）— {escape(m.reason)}，已有{len(m.cases)}件案件")
        self.who.setWordWrap(True)
        self.who.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.who, 0, 0)
        self.button = QPushButton("取消关联" if attached else "是同一人，关联")
        grid.addWidget(self.button, 0, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        row = 1
        self.state: QLabel | None = None
        if attached:
            self.state = QLabel(ATTACHED_TEXT)
            self.state.setWordWrap(True)
            self.state.setStyleSheet("color: #1f6f43; font-weight: bold;")
            grid.addWidget(self.state, row, 0, 1, 2)
            row += 1
        if m.cases:
            rows = "".join(
                "<tr>"
                f"<td style='white-space: nowrap; padding-right: 10px'>{escape(c['case_no'])}</td>"
                f"<td style='white-space: nowrap; padding-right: 10px'>{format_cn(c['received_on'])}</td>"
                f"<td style='white-space: nowrap; padding-right: 10px'>{escape(status_label(c['kind'], c['status']))}</td>"
                f"<td>{escape(_short(c['summary']))}</td>"
                "</tr>"
                for c in m.cases[:SHOWN_CASES]
            )
            more = len(m.cases) - SHOWN_CASES
            tail = f"<div style='color: #52606d'>另有{more}件较早的案件</div>" if more > 0 else ""
            self.cases = QLabel(f"<table cellspacing='0' cellpadding='1'>{rows}</table>{tail}")
            self.cases.setWordWrap(True)
            self.cases.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(self.cases, row, 0, 1, 2)
        grid.setColumnStretch(0, 1)


def _short(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


class MatchPanel(QFrame):
    """Shows people already on file who match what was typed, with their earlier cases."""

    attach = Signal(object)  # Match
    detach = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matchPanel")
        self.setStyleSheet("#matchPanel { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 4px; }")
        self._layout = QVBoxLayout(self)
        self.setVisible(False)
        self.matches: list[Match] = []
        self.cards: list[MatchCard] = []

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            w = item.widget()
            if w is not None:
                w.hide()  # gone at once, not only when the event loop gets round to deleting it
                w.deleteLater()
        self.cards = []

    def show_matches(self, matches: list[Match], attached_id: int | None) -> None:
        self._clear()
        self.matches = matches
        if not matches:
            self.setVisible(False)
            return
        title = QLabel("<b>档案中已有相符的人</b>（重复来访、重复受暴的情况常见，请核对是否同一人）")
        title.setWordWrap(True)
        self._layout.addWidget(title)
        for m in matches:
            card = MatchCard(m, attached_id == m.person.id)
            if attached_id == m.person.id:
                card.button.clicked.connect(self.detach)
            else:
                card.button.clicked.connect(lambda _=False, m=m: self.attach.emit(m))
            self.cards.append(card)
            self._layout.addWidget(card)
        self.setVisible(True)


class PersonMatcher(QObject):
    """Looks up people on file as the name, ID number or phone is finished in `fields`, shows them in
    `panel`, and attaches the form's person to the one the user picks (or lets go of her)."""

    def __init__(self, ctx: Context, fields: PersonFields, panel: MatchPanel,
                 exclude: Callable[[], int | None] = lambda: None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields = fields
        self.panel = panel
        self.exclude = exclude  # a person not to offer (the one being edited)
        self._looked_for: tuple[str, str, str] | None = None
        fields.lookup.connect(self.look_up)
        panel.attach.connect(self._attach)
        panel.detach.connect(self._detach)

    def look_up(self, again: bool = False) -> None:
        f = self.fields
        key = (f.name.text().strip(), f.id_number.text().strip(), f.phone.text().strip())
        if key == self._looked_for and not again:
            return
        self._looked_for = key
        found = people.find_matches(self.ctx, *key) if any(key) else []
        skip = self.exclude()
        if skip is not None:
            found = [m for m in found if m.person.id != skip]
        self.panel.show_matches(found, f.person_id)

    def _attach(self, m: Match) -> None:
        self.fields.person_id = m.person.id
        self.fields.fill(m.person)
        self.panel.show_matches(self.panel.matches, m.person.id)

    def _detach(self) -> None:
        self.fields.person_id = None
        self.panel.show_matches(self.panel.matches, None)
