"""Pieces every case page shares: the details / timeline / related-cases body, and filling them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from ..domain.dates import format_cn, format_cn_datetime
from ..domain.kinds import kind_label
from ..domain.records import Person, TimelineEntry
from ..domain.statuses import status_label
from ..services import people
from ..services.context import Context

OPEN_CASE_ROLE = Qt.ItemDataRole.UserRole + 2


def details_body() -> tuple[QSplitter, QTextBrowser, QListWidget, QListWidget]:
    """Details on the left; the timeline (办理经过) and related cases on the right."""
    split = QSplitter()
    details = QTextBrowser()
    details.setOpenLinks(False)
    split.addWidget(details)
    side = QWidget()
    sl = QVBoxLayout(side)
    sl.setContentsMargins(0, 0, 0, 0)
    sl.addWidget(QLabel("<b>办理经过</b>"))
    timeline = QListWidget()
    timeline.setWordWrap(True)
    sl.addWidget(timeline, 2)
    sl.addWidget(QLabel("<b>当事人的其他案件 · 关联案件</b>"))
    related = QListWidget()
    sl.addWidget(related, 1)
    split.addWidget(side)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    return split, details, timeline, related


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
