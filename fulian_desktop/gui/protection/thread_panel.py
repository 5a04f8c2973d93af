"""The 家暴防护 tab of a domestic-violence case's page: its sections one under another, in a scrolling area.

Each part of the thread is a `Section` (section.py) in its own module, listed in `SECTIONS` in the order shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...domain.dates import format_cn_datetime
from ...services import protection, undo
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
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
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        # the 主任 takes back the last 查访, violation or report recorded by mistake (services/undo.py)
        self.undo_button = QPushButton("撤销上一步记录…")
        self.undo_button.clicked.connect(self.do_undo)
        self.undo_button.setVisible(ctx.may("case.undo"))
        top.addWidget(self.undo_button)
        layout.addLayout(top)
        self.last_dialog: ActionDialog | None = None
        self.sections: list[Section] = []
        self.seen = False
        for cls in SECTIONS:
            section = cls(ctx, case_id, body)
            section.changed.connect(self.changed)
            section.changed.connect(self.update_undo)
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
        self.update_undo()

    # --- the 主任 undoes the last step of the thread recorded by mistake -----------------------------------------
    def update_undo(self) -> None:
        """撤销上一步记录 enabled when the last 查访, violation or report can be undone; its tooltip says what, or why
        not."""
        if not self.ctx.may("case.undo"):
            return
        step = undo.last_protection_step(self.ctx, self.case_id)
        self.undo_button.setEnabled(step is not None and not step.blocked)
        self.undo_button.setToolTip("还没有可以撤销的查访、违反保护令或报案记录" if step is None else
                                    step.blocked or f"撤销“{step.action}”（{format_cn_datetime(step.at)}）")

    def make_undo_dialog(self) -> ActionDialog | None:
        step = undo.last_protection_step(self.ctx, self.case_id)
        if step is None or step.blocked:
            dialogs.inform(self, "撤销上一步记录",
                           step.blocked if step else "还没有可以撤销的查访、违反保护令或报案记录。")
            return None
        d = ActionDialog("撤销上一步记录", f"撤销{format_cn_datetime(step.at)} {step.actor or '未署名'}记录的"
                                       f"“{step.action}”（如记错了案件、误点了记录）。办理经过保留这一条，"
                                       "并记下撤销和原因；只是记错内容的，请用“更正”。", self)
        reason = QPlainTextEdit()
        reason.setPlaceholderText("如 记在了另一件案件上")
        reason.setMaximumHeight(80)
        d.add("reason", "撤销原因", reason, True)
        d.on_ok(lambda: undo.undo_protection_step(self.ctx, self.case_id, reason.toPlainText()) and None)

        def done() -> None:
            self.reload()
            self.changed.emit()

        d.accepted.connect(done)
        self.last_dialog = d
        return d

    def do_undo(self) -> None:
        d = self.make_undo_dialog()
        if d is not None:
            d.open()

    def attention(self) -> str:
        """What is urgent in the thread, in a few words (须报案、查访已逾期 …); '' nothing."""
        return "、".join(a for s in self.sections if (a := s.attention()))
