"""她曾来求助: the banner an intake form (petition, referral, mediation) shows as soon as the woman is known on file or
the abuser is named — her earlier cases within 12 months, their risk level and any protection order in force —
and, on a mediation, why mediating is not appropriate (domain/dv_repeat.py)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from ...domain import dv_repeat
from ...domain.errors import RuleError
from ...services import dv_repeats
from ...services.context import Context
from ..cases.person_fields import PersonFields
from ..cases.person_match import MatchPanel
from ..shell import dialogs

T = TypeVar("T")

STYLE = "background: #fff4e5; border: 1px solid #f0a350; padding: 6px;"
CAUTION_STYLE = "background: #fdecea; border: 1px solid #d9534f; padding: 6px;"


class RepeatBanner(QLabel):
    """Hidden until something is found. `watch` ties it to a form's fields: it looks again whenever one of the
    women's fields is finished (or she is attached to a person on file), the abuser's name is finished, or `more`
    (the township, the date) changes."""

    def __init__(self, ctx: Context, mediation: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.mediation = mediation  # also say when mediating is not appropriate
        self.setWordWrap(True)
        self.setVisible(False)
        self.earlier: list[dv_repeat.Earlier] = []
        self.caution = ""
        self._source: Callable[[], tuple[list[int], str, str, dt.date]] | None = None
        self.exclude: int | None = None  # the case being corrected
        self.from_case: int | None = None  # the petition the case being opened comes from: not an earlier request

    def watch(self, women: Sequence[PersonFields], abuser: Callable[[], str], township: Callable[[], str],
              on: Callable[[], dt.date], abuser_fields: Sequence[QLineEdit] = (),
              panels: Sequence[MatchPanel] = ()) -> None:
        """A form with fixed fields: these women, this abuser's name, its township and date."""
        self.set_source(lambda: women, abuser, township, on)
        for f in women:
            self.follow(f)
        for e in abuser_fields:
            e.editingFinished.connect(self.refresh)
        for panel in panels:
            self.follow_panel(panel)

    def set_source(self, women: Callable[[], Sequence[PersonFields]], abuser: Callable[[], str],
                   township: Callable[[], str], on: Callable[[], dt.date]) -> None:
        def source() -> tuple[list[int], str, str, dt.date]:
            ids: list[int] = []
            for f in women():
                for pid in dv_repeats.people_of(self.ctx, f.person_id, f.id_number.text()):
                    if pid not in ids:
                        ids.append(pid)
            return ids, abuser(), township(), on()

        self._source = source

    def follow(self, fields: PersonFields) -> None:
        """Look again when her name, ID number or phone is finished."""
        fields.lookup.connect(self.refresh)

    def follow_panel(self, panel: MatchPanel) -> None:
        """Look again when she is attached to (or let go of) a person on file."""
        panel.attach.connect(lambda _m: self.refresh())
        panel.detach.connect(self.refresh)

    def refresh(self) -> None:
        if self._source is None:
            return
        person_ids, abuser, township, on = self._source()
        self.show_for(person_ids, abuser, township, on)

    def show_for(self, person_ids: list[int], abuser: str, township: str, on: dt.date) -> None:
        self.earlier = dv_repeats.earlier(self.ctx, person_ids, abuser, township, on, self.exclude, self.from_case)
        self.caution = dv_repeats.caution(self.ctx, person_ids) if self.mediation and person_ids else ""
        parts = []
        if self.caution:
            parts.append(f"<b>⚠ 不宜调解：</b>{html.escape(self.caution)}")
        if self.earlier:
            lines = "".join(f"<br>• {html.escape(e.describe())}" for e in self.earlier)
            parts.append(f"<b>⚠ 此前{dv_repeat.REPEAT_MONTHS}个月内曾来求助{len(self.earlier)}次</b>"
                         f"（同一妇女，或点名同一加害人）：{lines}<br>请先了解前几次的情况和风险，必要时重新评估风险。")
        self.setText("<br><br>".join(parts))
        self.setStyleSheet(CAUTION_STYLE if self.caution else STYLE)
        self.setVisible(bool(parts))


def despite_caution(parent: QWidget, open_: Callable[[str], T]) -> T:
    """Open a mediation (`open_(reason)`, any path: the mediation form, a household visit's finding …); where it is
    not appropriate (an order in force, a high risk: CautionNeeded) ask the clerk why go on, and open it with that
    reason. No reason (cancelled or left empty): RuleError, nothing saved."""
    reason = ""
    while True:
        try:
            return open_(reason)
        except dv_repeat.CautionNeeded as c:
            answer = dialogs.ask_text(parent, dv_repeat.MEDIATION_CAUTION,
                                      c.message + "\n\n确需继续调解的，请写明理由：", "", "继续调解")
            if answer is None or not answer.strip():
                raise RuleError("没有受理：家庭暴力案件不宜调解。确需继续调解的，请写明理由。") from None
            reason = answer
