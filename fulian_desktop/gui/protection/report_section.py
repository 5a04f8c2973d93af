"""强制报告: when she is a minor or 60 or older (from her birth date), or the clerk finds she cannot protect herself
(disabled, seriously ill, without capacity …), the case says in red that it must be reported to the police — until
the clerk records when and to whom it was reported."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...domain import mandatory_report as rules
from ...domain.errors import FulianError
from ...services import mandatory_reports
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.date_field import DateField, date_edit
from ..shell.widgets import combo, combo_value, set_combo, take_at_most
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
        self.fix_button = QPushButton("更正报案…")
        self.fix_button.setToolTip("记错了报案的日期、公安机关、方式或回执号时更正")
        self.fix_button.clicked.connect(self.correct)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.fix_button)
        buttons.addStretch(1)
        self.box_layout.addLayout(buttons)
        self.last_dialog: ActionDialog | None = None
        self.urgent = False
        self.report: rules.Report | None = None  # the report made, once recorded

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
        self.fix_button.setVisible(n.done)
        self.report = n.report if n.done else None
        self.mark_button.setVisible(not n.done and not n.required)
        self.urgent = n.required and not n.done

    def attention(self) -> str:
        return "须报案" if self.urgent else ""

    def _report_fields(self, d: ActionDialog, r: rules.Report | None) -> tuple[DateField, QLineEdit, QComboBox,
                                                                             QLineEdit, QLineEdit]:
        """The report's day, station, way, receipt number and note (as recorded, when it was)."""
        on = date_edit(self.ctx.today(), r.reported_on if r else None)
        d.add("reported_on", "报案日期", on, True)
        to = QLineEdit(r.reported_to if r else "")
        to.setPlaceholderText("如：东山派出所")
        d.add("reported_to", "报案的公安机关", to, True)
        way = combo(rules.WAYS, editable=True)
        set_combo(way, r.way if r and r.way else rules.WAYS[0])
        d.add("way", "报案方式", way)
        receipt = QLineEdit(r.receipt_no if r else "")
        d.add("receipt_no", "回执号", receipt)
        note = QLineEdit(r.note if r else "")
        d.add("note", "说明", note)
        return on, to, way, receipt, note

    def record(self) -> ActionDialog:
        d = ActionDialog("记录报案", "写明报案的日期、公安机关（派出所）和方式；有受案回执或接警单号的一并记下。", self)
        on, to, way, receipt, note = self._report_fields(d, None)
        take_at_most(d.form, rules.LIMITS)
        d.on_ok(lambda: mandatory_reports.record_report(self.ctx, self.case_id, date_of(on), to.text(),
                                                        combo_value(way), receipt.text(), note.text()))
        return self.open_action(d)

    def correct(self) -> ActionDialog | None:
        if self.report is None:
            return None
        d = ActionDialog("更正报案", "改正记错的报案日期、公安机关、方式或回执号；只有改动的项目会记入办理经过（更正）。", self)
        on, to, way, receipt, note = self._report_fields(d, self.report)
        reason = QLineEdit()
        reason.setPlaceholderText("如：回执号抄错")
        d.add("reason", "更正原因", reason)
        take_at_most(d.form, rules.LIMITS)
        d.on_ok(lambda: mandatory_reports.correct_report(self.ctx, self.case_id, date_of(on), to.text(),
                                                         combo_value(way), receipt.text(), note.text(),
                                                         reason.text()) and None)
        return self.open_action(d)

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
        return self.open_action(d)
