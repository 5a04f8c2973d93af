"""The 家暴防护 tab of a domestic-violence case's page: its sections one under another, in a scrolling area.

Each part of the thread is a `Section` (section.py) in its own module, listed in `SECTIONS` in the order shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ...services import protection
from ...services.context import Context
from .order_section import OrderSection
from .police_section import PoliceSection
from .report_section import ReportSection
from .risk_section import RiskSection
from .safety_section import SafetySection
from .section import Section

# the sections, in the order shown; each part of the thread adds its own here
SECTIONS: list[type[Section]] = [RiskSection, SafetySection, ReportSection, PoliceSection, OrderSection]


class ThreadPanel(QScrollArea):
    changed = Signal()

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        intro = QLabel("这件案件涉及家庭暴力。以下内容只有办理本案的工作人员能看到，查看和打印都记入审计日志。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color:#52606d")
        layout.addWidget(intro)
        self.sections: list[Section] = []
        self.seen = False
        for cls in SECTIONS:
            section = cls(ctx, case_id, body)
            section.changed.connect(self.changed)
            layout.addWidget(section)
            self.sections.append(section)
        layout.addStretch(1)
        self.setWidget(body)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The first time she looks at the tab: recorded in the audit trail (who saw her thread, when)."""
        super().showEvent(event)
        if not self.seen:
            self.seen = True
            protection.opened(self.ctx, self.case_id)

    def section(self, cls: type[Section]) -> Section:
        return next(s for s in self.sections if isinstance(s, cls))

    def reload(self) -> None:
        for s in self.sections:
            s.reload()

    def attention(self) -> str:
        """What is urgent in the thread, in a few words (须报案、查访已逾期 …); '' nothing."""
        return "、".join(a for s in self.sections if (a := s.attention()))
