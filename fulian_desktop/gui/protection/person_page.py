"""One picture of her (当事人全貌): her cases, her own papers (an ID card copy: add, view, remove), the risk trend,
the safety plan, her referrals and their replies, what is due next — for the staff allowed to see it (protection.person), reachable from any of her cases. Her
cases open with a double click or Enter."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...domain import dv_risk as rules
from ...domain.dates import format_cn
from ...services import protection
from ...services.context import Context
from ..cases.attachments_section import AttachmentsSection
from ..shell.fitting import ScrollingBody
from .risk_section import badge

CASE_ROLE = Qt.ItemDataRole.UserRole + 3


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setContentsMargins(0, 6, 0, 0)
    return label


class PersonPage(QDialog):
    openCase = Signal(int)

    def __init__(self, ctx: Context, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        p = protection.person_picture(ctx, person_id)
        self.picture = p
        self.setWindowTitle(f"当事人全貌 — {p.person.name}")
        self.resize(760, 640)
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        facts = [x for x in (p.person.sex, format_cn(p.person.birth_date) + "出生" if p.person.birth_date else "",
                             f"身份证号 {p.person.id_number}" if p.person.id_number else "",
                             f"电话 {p.person.phone}" if p.person.phone else "") if x]
        self.who = QLabel(f"<span style='font-size:15pt'><b>{html.escape(p.person.name)}</b></span>　"
                          f"{html.escape('　'.join(facts))}")
        layout.addWidget(self.who)

        layout.addWidget(_heading(f"她的案件（{len(p.cases)}件；双击或按回车打开）"))
        self.cases = QListWidget()
        for c in p.cases:
            mark = "【家暴】" if c.dv else ""
            summary = c.summary if len(c.summary) <= 18 else c.summary[:17] + "…"
            item = QListWidgetItem(f"{c.case_no}　{c.kind_label}　{format_cn(c.received_on)}　{c.status}　"
                                   f"{mark}{summary}")
            item.setToolTip(c.summary)
            item.setData(CASE_ROLE, c.id)
            self.cases.addItem(item)
        self.cases.setMaximumHeight(24 * max(3, min(len(p.cases), 6)) + 8)
        self.cases.itemActivated.connect(lambda item: self.openCase.emit(int(item.data(CASE_ROLE))))
        layout.addWidget(self.cases)

        # her own papers (an ID card copy), kept on her and not on one case: the case's 附件 section, for her
        self.papers: AttachmentsSection | None = None
        if ctx.may("people.identity"):
            self.papers = AttachmentsSection(ctx, None, parent=self, person_id=person_id)
            self.papers.setContentsMargins(0, 6, 0, 0)
            layout.addWidget(self.papers)

        layout.addWidget(_heading("风险评估"))
        self.risk = QLabel()
        self.risk.setTextFormat(Qt.TextFormat.RichText)
        self.risk.setWordWrap(True)
        if p.assessments:
            last = p.assessments[-1]
            self.risk.setText(f"最近：{badge(last.level)}　{last.score}分　{format_cn(last.assessed_on)}"
                              f"（{html.escape(last.case_no)}）<br>变化：{html.escape(rules.trend(p.assessments))}")
        else:
            self.risk.setText("还没有风险评估（或评估在您的账号不办理的案件里）。")
        layout.addWidget(self.risk)

        layout.addWidget(_heading("人身安全保护令"))
        self.orders = QLabel("<br>".join(f"{html.escape(no)}：正在生效，至{format_cn(last)}" for _c, no, last in p.orders)
                             or "没有正在生效的保护令。")
        layout.addWidget(self.orders)

        layout.addWidget(_heading("安全计划"))
        self.plan = QLabel(f"{format_cn(p.plan.made_on)}制定（{p.plan.case_no}），在案件的“家暴防护”页查看和打印"
                           if p.plan else "还没有安全计划。")
        layout.addWidget(self.plan)

        layout.addWidget(_heading("转介和答复"))
        self.referrals = QListWidget()
        for r in p.referrals:
            item = QListWidgetItem(r.text)
            item.setData(CASE_ROLE, r.case_id)
            self.referrals.addItem(item)
        if not p.referrals:
            self.referrals.addItem("没有转介。")
        self.referrals.setMaximumHeight(24 * max(2, min(len(p.referrals), 5)) + 8)
        self.referrals.itemActivated.connect(self._open_item)
        layout.addWidget(self.referrals)

        layout.addWidget(_heading("接下来要办的"))
        self.due = QListWidget()
        today = ctx.today()
        for on, case_id, case_no, what in p.due:
            late = "（已逾期）" if on < today else ""
            item = QListWidgetItem(f"{format_cn(on)}{late}　{what}　{case_no}")
            item.setData(CASE_ROLE, case_id)
            self.due.addItem(item)
        if not p.due:
            self.due.addItem("她的案件都没有待办的期限。")
        self.due.setMaximumHeight(24 * max(2, min(len(p.due), 5)) + 8)
        self.due.itemActivated.connect(self._open_item)
        layout.addWidget(self.due)
        layout.addStretch(1)
        outer.addWidget(ScrollingBody(body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def _open_item(self, item: QListWidgetItem) -> None:
        case_id = item.data(CASE_ROLE)
        if case_id:
            self.openCase.emit(int(case_id))
