"""安全计划: what was agreed with her — shown, made or changed (each version kept), and printed for her on one
page: in the office's form, or plain (备忘), safe if the abuser finds it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from ...domain import safety_plan as rules
from ...domain.dates import format_cn
from ...domain.safety_plan import SafetyPlan, SafetyPlanForm
from ...services import safety_plans
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.date_field import date_edit
from ..shell.pdf_preview import PdfPreview, open_preview
from .section import Section


class SafetyDialog(ActionDialog):
    def __init__(self, ctx: Context, case_id: int, plan: SafetyPlan | None, parent: QWidget | None = None) -> None:
        super().__init__("修改安全计划" if plan else "制定安全计划",
                         "和她一起商定：危险时去哪里、打给谁、证件和钱放在哪里、孩子怎么办。写她自己的话，"
                         "不必每项都写。修改后另存一版，原来的保留。", parent)
        self.ctx = ctx
        self.case_id = case_id
        self.on = self.add("made_on", "制定日期", date_edit(ctx.today()), True)
        self.parts: dict[str, QPlainTextEdit] = {}
        for name, label, _plain in rules.PARTS:
            edit = QPlainTextEdit(plan.part(name) if plan else "")
            edit.setPlaceholderText(rules.HINTS[name])
            edit.setMaximumHeight(64)
            edit.setTabChangesFocus(True)
            self.parts[name] = edit
            self.add(name, label, edit)
        self.resize(600, 560)
        self.on_ok(self._save)

    def _save(self) -> None:
        on = self.on.date_or_error()[0]
        assert on is not None
        safety_plans.save(self.ctx, self.case_id, SafetyPlanForm(
            on, **{name: edit.toPlainText() for name, edit in self.parts.items()}))


class SafetySection(Section):
    TITLE = "安全计划"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box_layout.addWidget(self.text)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("制定安全计划…")
        self.edit_button.clicked.connect(lambda: self.open_dialog())
        self.edit_button.setVisible(ctx.may("protection.write"))
        self.print_button = QPushButton("打印给她")
        self.print_button.setToolTip("一页纸，印有本会名称，她和工作人员签名")
        self.print_button.clicked.connect(lambda: self.print_plan(plain=False))
        self.plain_button = QPushButton("打印不显示单位的版本")
        self.plain_button.setToolTip("标题为“备忘”，没有本会名称、案件编号和“家暴”等字样：被对方看到也不显眼")
        self.plain_button.clicked.connect(lambda: self.print_plan(plain=True))
        for b in (self.edit_button, self.print_button, self.plain_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.box_layout.addLayout(buttons)
        self.plan: SafetyPlan | None = None
        self.last_dialog: SafetyDialog | None = None
        self.last_preview: PdfPreview | None = None

    def reload(self) -> None:
        self.plan = safety_plans.current(self.ctx, self.case_id)
        has = self.plan is not None
        self.print_button.setEnabled(has)
        self.plain_button.setEnabled(has)
        self.edit_button.setText("修改安全计划…" if has else "制定安全计划…")
        if self.plan is None:
            self.text.setText("还没有安全计划。风险为中或高时，请和她一起商定一份，并问她要不要带一份走。")
            return
        versions = safety_plans.versions(self.ctx, self.case_id)
        rows = "".join(
            f"<tr><th align='right' style='color:#52606d;padding:2px 8px'>{label}</th>"
            f"<td style='padding:2px 8px'>{html.escape(self.plan.part(name)).replace(chr(10), '<br>')}</td></tr>"
            for name, label, _p in rules.PARTS if self.plan.part(name))
        made = f"{format_cn(self.plan.made_on)}制定" + (f"（第{versions}版）" if versions > 1 else "")
        self.text.setText(f"<div>{made}，{html.escape(self.plan.staff)}</div><table>{rows}</table>")

    def open_dialog(self) -> SafetyDialog:
        return self.open_action(SafetyDialog(self.ctx, self.case_id, self.plan, self))

    def print_plan(self, plain: bool) -> PdfPreview | None:
        if plain and self.plan is not None:
            words = rules.telltale(self.plan)
            if words and not dialogs.ask(
                    self, "打印不显示单位的版本",
                    f"计划里写有“{'”“'.join(words)}”，这一版会照原样印出，被对方看到可能引起怀疑。\n"
                    "可以先点“修改安全计划”换个说法（如“妇联王姐”写成“王姐”）。仍然打印吗？", yes="仍然打印"):
                return None
        self.last_preview = open_preview(self, lambda: safety_plans.print_plan(self.ctx, self.case_id, plain))
        return self.last_preview
