"""强制报告: when she is a minor or 60 or older (from her birth date), or the clerk finds she cannot protect herself
(disabled, seriously ill, without capacity …), the case says in red that it must be reported to the police — until
the clerk records when and to whom it was reported."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...domain import mandatory_report as rules
from ...domain.errors import FulianError
from ...services import mandatory_reports
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.widgets import combo, combo_value, date_edit, set_combo, take_at_most
from .police_section import date_of
from .section import Section

URGENT_STYLE = "color:#b3261e; font-weight:bold"


class ReportSection(Section):
    TITLE = "强制报告"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.box_layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.report_button = QPushButton("记录报案…")
        self.report_button.clicked.connect(self.record)
        self.mark_button = QPushButton("她不能保护自己…")
        self.mark_button.setToolTip("她是残疾人、重病患者或无（限制）民事行为能力人等，依法须向公安机关报案")
        self.mark_button.clicked.connect(self.mark)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.mark_button)
        buttons.addStretch(1)
        self.box_layout.addLayout(buttons)
        self.last_dialog: ActionDialog | None = None
        self.urgent = False

    def reload(self) -> None:
        try:
            n = mandatory_reports.need(self.ctx, self.case_id)
        except FulianError as e:
            dialogs.warn(self, self.TITLE, e.message)
            return
        if n.done and n.report is not None:
            self.state.setStyleSheet("")
            self.state.setText(rules.state(n.report, self.ctx.today())
                               + (f"，回执号{n.report.receipt_no}" if n.report.receipt_no else "") + "。")
        elif n.required:
            self.state.setStyleSheet(URGENT_STYLE)
            waiting = rules.state(rules.Report(n.ground, n.found_on or self.ctx.today()), self.ctx.today())
            self.state.setText(f"{rules.required_text(n.ground)}（{waiting}）")
        else:
            self.state.setStyleSheet("color:#52606d")
            self.state.setText("她是未成年人、老年人、残疾人或其他不能保护自己的人时，依法应当向公安机关报案"
                               "（反家庭暴力法第十四条）。按她的出生日期，她不是未成年人或老年人；"
                               "如有其他情形，请点“她不能保护自己…”。")
        self.report_button.setVisible(not n.done)
        self.mark_button.setVisible(not n.done and not n.required)
        self.urgent = n.required and not n.done

    def attention(self) -> str:
        return "须报案" if self.urgent else ""

    def _open(self, d: ActionDialog) -> ActionDialog:
        def done() -> None:
            self.reload()
            self.changed.emit()

        d.accepted.connect(done)
        self.last_dialog = d
        d.open()
        return d

    def record(self) -> ActionDialog:
        d = ActionDialog("记录报案", "写明报案的日期、公安机关（派出所）和方式；有受案回执或接警单号的一并记下。", self)
        on = d.add("reported_on", "报案日期", date_edit(self.ctx.today()), True)
        to = QLineEdit()
        to.setPlaceholderText("如：东山派出所")
        d.add("reported_to", "报案的公安机关", to, True)
        way = combo(rules.WAYS, editable=True)
        set_combo(way, rules.WAYS[0])
        d.add("way", "报案方式", way)
        receipt = QLineEdit()
        d.add("receipt_no", "回执号", receipt)
        note = QLineEdit()
        d.add("note", "说明", note)
        take_at_most(d.form, rules.LIMITS)
        d.on_ok(lambda: mandatory_reports.record_report(self.ctx, self.case_id, date_of(on), to.text(),  # type: ignore[arg-type]
                                                        combo_value(way), receipt.text(), note.text()))
        return self._open(d)

    def mark(self) -> ActionDialog:
        d = ActionDialog("须强制报告", "她属于哪一种不能保护自己的情形？确定后本案须向公安机关报案，"
                                   "未报案的在工作台列为逾期。", self)
        ground = combo([v for k, v in rules.GROUNDS.items() if k not in ("minor", "elderly")], empty="（请选择）")
        d.add("ground", "情形", ground, True)
        on = d.add("found_on", "发现日期", date_edit(self.ctx.today()), True)
        note = QLineEdit()
        note.setMaxLength(rules.NOTE_MAX)
        d.add("note", "说明", note)

        def run() -> None:
            key = next((k for k, v in rules.GROUNDS.items() if v == combo_value(ground)), "")
            mandatory_reports.mark_required(self.ctx, self.case_id, key, date_of(on), note.text())  # type: ignore[arg-type]

        d.on_ok(run)
        return self._open(d)
