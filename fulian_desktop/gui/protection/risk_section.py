"""风险评估: the case's assessments — the level now (red / orange / yellow), the trend, each assessment kept;
a new one with the checklist ticked by keyboard or mouse, the score and level as she ticks, the level raised
freely and lowered only with a reason said next to the field; the 风险评估表 printed."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import dv_risk as rules
from ...domain.dates import format_cn
from ...domain.dv_risk import Answer, Assessment, RiskForm
from ...domain.masking import mask_text
from ...services import dv_risk
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell.date_field import date_edit
from ..shell.pdf_preview import PdfPreview, open_preview
from ..shell.widgets import combo, combo_value, set_combo
from .section import Section

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def badge(level: str) -> str:
    """The level as a coloured badge: 高（红色） on red."""
    text_colour = "#000" if level == "low" else "#fff"
    return (f"<span style='background:{rules.LEVEL_HEX[level]};color:{text_colour};padding:1px 6px'>"
            f"&nbsp;{rules.level_text(level)}&nbsp;</span>")


class RiskDialog(ActionDialog):
    """A new assessment: the date and occasion, the checklist, the score and level as she ticks, the level given
    and (when lower than the checklist's) why."""

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__("风险评估", "逐项问她，符合的打勾（Tab 到下一项，空格键打勾）。标★的任何一项即为高风险。",
                         parent)
        self.ctx = ctx
        self.case_id = case_id
        self.items, self.thresholds = dv_risk.checklist(ctx)
        self.on = self.add("assessed_on", "评估日期", date_edit(ctx.today()), True)
        self.occasion = combo(rules.OCCASIONS)
        set_combo(self.occasion, "来访" if dv_risk.assessments(ctx, case_id) else "登记时")
        self.add("occasion", "评估时机", self.occasion, True)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.ticks: dict[str, QCheckBox] = {}
        for n, item in enumerate(self.items, 1):
            tick = QCheckBox(f"{n}. {item.question}{'　★' if item.critical else ''}（{item.weight}分）")
            tick.toggled.connect(self._recount)
            column.addWidget(tick)
            self.ticks[item.code] = tick
        self.add("answers", "评估项目", box)
        self.outcome = QLabel()
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setWordWrap(True)
        self.add("outcome", "按清单评估", self.outcome)
        self.level = QComboBox()
        for code in reversed(rules.LEVELS):
            self.level.addItem(rules.level_text(code), code)
        self.level.activated.connect(self._chosen)
        self.add("level", "风险等级", self.level, True)
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(60)
        self.reason.setPlaceholderText("如 她已搬到娘家居住，对方在外地务工")
        self.add("level_reason", "调整等级的理由", self.reason)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(60)
        self.add("note", "说明", self.note)
        self.resize(640, 700)
        self.chosen_by_hand = False
        self.on_ok(self._save)
        self._recount()

    def answers(self) -> list[Answer]:
        return [Answer(i.code, i.question, i.weight, i.critical, self.ticks[i.code].isChecked()) for i in self.items]

    def computed(self) -> rules.Outcome:
        return rules.compute(self.answers(), self.thresholds)

    def _recount(self) -> None:
        o = self.computed()
        self.outcome.setText(f"{badge(o.level)}　{html.escape(rules.why(o, self.thresholds))}")
        if not self.chosen_by_hand:
            self.level.setCurrentIndex(self.level.findData(o.level))
        self._hint()

    def _chosen(self) -> None:
        self.chosen_by_hand = True
        self._hint()

    def _hint(self) -> None:
        computed, given = self.computed().level, combo_value(self.level)
        box = self.form.boxes["level_reason"]
        if rules.LEVELS.index(given) < rules.LEVELS.index(computed):
            if not box.error():
                box.set_hint(f"比清单评估的“{rules.LEVEL_LABELS[computed]}”低，须写明理由")
        elif rules.LEVELS.index(given) > rules.LEVELS.index(computed):
            box.set_hint("上调等级可以不写理由；写了会一并保存")
        else:
            box.set_hint("")

    def _save(self) -> None:
        on = self.on.date_or_error()[0]
        assert on is not None  # an unreadable date is said next to it before this runs
        dv_risk.assess(self.ctx, self.case_id, RiskForm(
            on, combo_value(self.occasion), {c for c, t in self.ticks.items() if t.isChecked()},
            combo_value(self.level), self.reason.toPlainText(), self.note.toPlainText()))


class RiskSection(Section):
    TITLE = "风险评估"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.current = QLabel()
        self.current.setTextFormat(Qt.TextFormat.RichText)
        self.current.setWordWrap(True)
        self.box_layout.addWidget(self.current)
        self.trend = QLabel()
        self.trend.setWordWrap(True)
        self.box_layout.addWidget(self.trend)
        self.history = QListWidget()
        self.history.setMaximumHeight(110)
        self.history.setToolTip("每次评估都保留；双击或按回车打印那一次的风险评估表")
        self.history.itemActivated.connect(self._activated)
        self.box_layout.addWidget(self.history)
        buttons = QHBoxLayout()
        self.assess_button = QPushButton("风险评估…")
        self.assess_button.setToolTip("按清单逐项评估她现在的风险（登记时、每次来访或回访时都可以再评估）")
        self.assess_button.clicked.connect(lambda: self.open_dialog())
        self.assess_button.setVisible(ctx.may("protection.write"))
        self.print_button = QPushButton("打印风险评估表")
        self.print_button.clicked.connect(lambda: self.print_assessment(self._selected()))
        buttons.addWidget(self.assess_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.box_layout.addLayout(buttons)
        self.assessments: list[Assessment] = []
        self.last_dialog: RiskDialog | None = None
        self.last_preview: PdfPreview | None = None

    def reload(self) -> None:
        self.assessments = dv_risk.assessments(self.ctx, self.case_id)
        self.history.clear()
        if not self.assessments:
            self.current.setText("还没有风险评估。登记时和她每次来访、来电或回访时，都可以按清单评估一次。")
            self.trend.setText("")
            self.print_button.setEnabled(False)
            return
        last = self.assessments[-1]
        self.current.setText(
            f"当前风险等级：{badge(last.level)}　{last.score}分　{format_cn(last.assessed_on)}（{last.occasion}）"
            f"<br><span style='color:#52606d'>{html.escape(rules.LEVEL_ADVICE[last.level])}</span>")
        self.trend.setText(f"变化：{rules.trend(self.assessments)}")
        for a in reversed(self.assessments):
            line = f"{format_cn(a.assessed_on)}　{a.occasion}　{a.summary}　{a.staff}"
            if a.level_reason:
                line += f"\n　理由：{mask_text(a.level_reason)}"  # a list: no phone or ID number whole
            item = QListWidgetItem(line)
            item.setData(ID_ROLE, a.id)
            self.history.addItem(item)
        self.history.setCurrentRow(0)
        self.print_button.setEnabled(True)

    def attention(self) -> str:
        """高风险 on the tab while her latest assessment is 高."""
        return "高风险" if self.assessments and self.assessments[-1].level == "high" else ""

    def open_dialog(self) -> RiskDialog:
        return self.open_action(RiskDialog(self.ctx, self.case_id, self))

    def _selected(self) -> int | None:
        item = self.history.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def _activated(self, item: QListWidgetItem) -> None:
        self.print_assessment(int(item.data(ID_ROLE)))

    def print_assessment(self, assessment_id: int | None) -> PdfPreview | None:
        self.last_preview = open_preview(self, lambda: dv_risk.print_assessment(self.ctx, self.case_id, assessment_id))
        return self.last_preview
