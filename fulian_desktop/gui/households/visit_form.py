"""登记走访: a visit logged in under a minute — the date, who went, what kind of visit, what was brought,
what was seen and asked for, a follow-up promised (becomes a task with its date), and, if the visit
found violence or a dispute, a petition (or mediation) opened for that person in the same step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import household as rules
from ...domain.corrections import Correction
from ...domain.dates import format_cn
from ...domain.household import Finding, Household, Visit
from ...domain.mediation import DISPUTE_TYPES
from ...domain.petition import RESPONDENT_RELATIONS
from ...services import households, mediations
from ...services.context import Context
from ...services.households import VisitResult
from ..cases.case_form import RecordForm, put_date
from ..protection.repeat_banner import despite_caution
from ..shell.date_field import DateField, date_edit, qdate_to_date
from ..shell.fitting import ScrollingBody
from ..shell.widgets import Form, combo, combo_value, max_length, take_at_most
from .household_widgets import money_field, money_text, money_value


def _radios(options: dict[str, str], parent: QWidget) -> tuple[QWidget, QButtonGroup, dict[str, QRadioButton]]:
    holder = QWidget(parent)
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(holder)
    buttons = {}
    for key, label in options.items():
        b = QRadioButton(label)
        group.addButton(b)
        buttons[key] = b
        layout.addWidget(b)
    layout.addStretch(1)
    return holder, group, buttons


class VisitForm(RecordForm):
    saved = Signal(object)  # VisitResult
    GIVE_UP_TITLE = "放弃"
    GIVE_UP_TEXT = "走访记录还没有保存，确定放弃吗？"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.case_id = case_id
        self.household: Household = households.get(ctx, case_id)
        h = self.household
        self.setWindowTitle(f"登记走访 — {h.head.person.name}（{h.list_name}）")
        self.resize(720, 640)
        today = ctx.today()
        outer = QVBoxLayout(self)
        body = QWidget(self)
        layout = QVBoxLayout(body)  # the fields: they scroll when a finding makes them taller than the screen
        layout.setContentsMargins(0, 0, 0, 0)
        self.fields = layout
        due = h.next_due
        intro = QLabel(f"{h.case_no}　{h.township}{h.village}{h.address}　{h.size}口人" if h.care_list
                       and h.care_list.is_household else f"{h.case_no}　{h.township}{h.village}{h.address}")
        intro.setStyleSheet("color: #52606d;")
        layout.addWidget(intro)
        self.due_note = QLabel(f"按计划应于{format_cn(due)}走访（{h.rhythm.label() if h.rhythm else ''}）。"
                               if due is not None else "")
        self.due_note.setVisible(due is not None)
        layout.addWidget(self.due_note)

        self.form = Form()
        layout.addLayout(self.form)
        self.visited_on = date_edit(today)
        self.visited_on.setMinimumDate(QDate(h.received_on.year, h.received_on.month, h.received_on.day))
        self.visitors = QLineEdit()
        self.visitors.setPlaceholderText("多人用顿号分开，如 刘芳、赵红梅")
        cadre = h.current_cadre
        names = [n for n in (ctx.staff, cadre.name if cadre else "") if n]
        self.visitors.setText("、".join(dict.fromkeys(names)))
        kinds, self.kind_group, self.kind_buttons = _radios(rules.VISIT_KINDS, self)
        self.kind_buttons["visit"].setChecked(True)
        self.cash = money_field("元，如 500")
        goods_row = QWidget()
        gl = QHBoxLayout(goods_row)
        gl.setContentsMargins(0, 0, 0, 0)
        self.goods = QLineEdit()
        self.goods.setPlaceholderText("如 大米一袋、食用油一桶")
        self.goods_value = money_field("折合元")
        gl.addWidget(self.goods, 1)
        gl.addWidget(QLabel("折合"))
        gl.addWidget(self.goods_value)
        self.seen = QPlainTextEdit()
        self.seen.setPlaceholderText("看到的家庭情况：生活、健康、孩子上学、住房……")
        self.seen.setMinimumHeight(80)
        self.asked = QPlainTextEdit()
        self.asked.setPlaceholderText("家人提出的困难和要求")
        self.asked.setMaximumHeight(60)
        promise_row = QWidget()
        pl = QHBoxLayout(promise_row)
        pl.setContentsMargins(0, 0, 0, 0)
        self.promised = QLineEdit()
        self.promised.setPlaceholderText("答应跟进的事（会列入待办）")
        self.promise_due = DateField(today + dt.timedelta(days=14))
        self.promise_due.setMinimumDate(QDate(today.year, today.month, today.day).addYears(-1))
        pl.addWidget(self.promised, 1)
        pl.addWidget(QLabel("办理期限"))
        pl.addWidget(self.promise_due)
        self.form.add("visited_on", "走访日期", self.visited_on, True)
        self.form.add("visitors", "走访人", self.visitors, True)
        self.form.add("kind", "类型", kinds, True)
        self.form.add("cash", "慰问金（元）", self.cash)
        self.form.add("goods", "慰问物资", goods_row)
        self.form.add("seen", "走访情况", self.seen, True)
        self.form.add("asked", "群众诉求", self.asked)
        self.form.add("promised", "承诺跟进事项", promise_row)

        # violence or a dispute found: a petition (or mediation) for that person, in the same step
        self.found = QCheckBox("本次走访发现家庭暴力或矛盾纠纷（保存时为当事人登记案件，并与本户关联）")
        layout.addWidget(self.found)
        self.finding_box = QGroupBox("发现的情况")
        self.fform = Form()
        self.finding_box.setLayout(self.fform)
        finding_kinds, self.finding_group, self.finding_buttons = _radios(rules.FINDING_KINDS, self)
        self.finding_buttons["dv"].setChecked(True)
        self.person = combo([])
        for i, m in enumerate(h.everyone):
            self.person.addItem(f"{m.person.name}（{m.relation}）", i)
        available = households.routes()
        routes, self.route_group, self.route_buttons = _radios(
            {k: v for k, v in rules.ROUTES.items() if k in available}, self)
        self.route_buttons["petition"].setChecked(True)
        self.finding_facts = QPlainTextEdit()
        self.finding_facts.setPlaceholderText("不填则用上面的“走访情况”")
        self.finding_facts.setMaximumHeight(70)
        self.finding_request = QLineEdit()
        self.finding_request.setPlaceholderText("当事人希望妇联做什么，如 制止家暴、帮助申请保护令")
        self.respondent = combo([m.person.name for m in h.everyone], editable=True)
        self.respondent.setEditText("")
        self.respondent.lineEdit().setPlaceholderText("本户成员可直接选择，其他人填写姓名")
        self.respondent_relation = combo(RESPONDENT_RELATIONS, editable=True)
        self.respondent_relation.setEditText("")
        resp_row = QWidget()
        rl = QHBoxLayout(resp_row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.respondent, 1)
        rl.addWidget(QLabel("关系"))
        rl.addWidget(self.respondent_relation)
        self.fform.add("finding.kind", "情况", finding_kinds, True)
        self.fform.add("finding.person", "当事人", self.person, True)
        self.fform.add("finding.route", "登记为", routes, True)
        self.fform.add("finding.facts", "发现的情况", self.finding_facts)
        self.fform.add("finding.request", "当事人诉求", self.finding_request, True)
        self.fform.add("finding.respondent", "对方（被申请人）", resp_row)
        self.mediator = combo([], empty="（请选择）")
        self.dispute_type = combo([t for t in DISPUTE_TYPES if t != "家庭暴力"])
        if "mediation" in available:
            for m in mediations.mediators(ctx):
                self.mediator.addItem(f"{m.name}（{m.title}）" if m.title else m.name, m.id)
            self.fform.add("finding.mediator", "调解员", self.mediator, True)
            self.fform.add("finding.dispute_type", "纠纷类型", self.dispute_type)
            self.route_buttons["mediation"].toggled.connect(self._route_changed)
            self.finding_buttons["dv"].toggled.connect(self._route_changed)
            self._route_changed()
        else:
            note = QLabel("（纠纷调解登记尚未启用，可先登记为信访，再转调解。）")
            note.setStyleSheet("color: #52606d;")
            self.fform.addRow("", note)
        layout.addWidget(self.finding_box)
        self.finding_box.setVisible(False)
        self.found.toggled.connect(self.finding_box.setVisible)

        layout.addStretch(1)
        outer.addWidget(ScrollingBody(body), 1)  # on a 1366×768 screen the buttons stay in sight
        self.add_save_bar(outer, "保存走访记录")
        take_at_most(self.form, rules.VISIT_LIMITS)
        take_at_most(self.fform, rules.FINDING_LIMITS, "finding.")
        for line, (record, field) in ((self.goods, (rules.VISIT_LIMITS, "goods")),
                                      (self.promised, (rules.VISIT_LIMITS, "promised")),
                                      (self.respondent, (rules.FINDING_LIMITS, "respondent_name"))):
            max_length(line, record[field][1])
        self.result_: VisitResult | None = None

    def _route_changed(self) -> None:
        mediation = self._checked(self.route_buttons) == "mediation"
        for name, shown in (("finding.mediator", mediation),
                            ("finding.dispute_type", mediation and self._checked(self.finding_buttons) != "dv")):
            box = self.fform.boxes[name]
            box.setVisible(shown)
            label = self.fform.labelForField(box)
            if label is not None:
                label.setVisible(shown)

    def _checked(self, buttons: dict[str, QRadioButton]) -> str:
        return next((k for k, b in buttons.items() if b.isChecked()), "")

    def value(self, errors: dict[str, str]) -> Visit:
        finding = None
        if self.found.isChecked():
            finding = Finding(
                kind=self._checked(self.finding_buttons), route=self._checked(self.route_buttons),
                person_index=int(self.person.currentData() or 0), facts=self.finding_facts.toPlainText(),
                request=self.finding_request.text(), respondent_name=combo_value(self.respondent),
                respondent_relation=combo_value(self.respondent_relation),
                mediator_id=int(self.mediator.currentData()) if self.mediator.currentData() else None,
                dispute_type=combo_value(self.dispute_type),
            )
        promised = self.promised.text()
        return Visit(
            visited_on=qdate_to_date(self.visited_on.date()), visitors=self.visitors.text(),
            kind=self._checked(self.kind_buttons), cash_fen=money_value(self.cash, "cash", errors),
            goods=self.goods.text(), goods_fen=money_value(self.goods_value, "goods_value", errors),
            seen=self.seen.toPlainText(), asked=self.asked.toPlainText(), promised=promised,
            promise_due=qdate_to_date(self.promise_due.date()) if promised.strip() else None, finding=finding,
        )

    def field_forms(self) -> Sequence[Form]:
        return (self.form, self.fform)

    def box_errors(self, errors: dict[str, str]) -> dict[str, str]:
        merged = dict(errors)
        for key in ("goods_value", "promise_due"):  # shown on the row they belong to
            if key in merged:
                target = "goods" if key == "goods_value" else "promised"
                merged.setdefault(target, merged[key])
        if "finding.respondent_name" in merged:
            merged.setdefault("finding.respondent", merged["finding.respondent_name"])
        return merged

    def validate(self, record: Visit) -> None:
        rules.validate_visit(record, self.household, self.ctx.today(), households.routes())

    def store(self, record: Visit) -> VisitResult:
        # a mediation opened from her finding where it is not appropriate: asked why, as on the mediation form
        return despite_caution(self, lambda reason: households.log_visit(self.ctx, self.case_id, record, reason))

    def finish(self, result: VisitResult) -> None:
        self.result_ = result
        self.saved.emit(result)

    def has_input(self) -> bool:
        return any((self.seen.toPlainText().strip(), self.cash.text().strip(), self.goods.text().strip(),
                    self.promised.text().strip()))

    # --- correcting a saved visit (修改所选走访 / double-click on the household page) ----------------
    def fill_from(self, record: Visit) -> None:
        v = record
        put_date(self.visited_on, v.visited_on)
        self.visitors.setText(v.visitors)
        if v.kind in self.kind_buttons:
            self.kind_buttons[v.kind].setChecked(True)
        self.cash.setText(money_text(v.cash_fen))
        self.goods.setText(v.goods)
        self.goods_value.setText(money_text(v.goods_fen))
        self.seen.setPlainText(v.seen)
        self.asked.setPlainText(v.asked)
        self.promised.setText(v.promised)
        if v.promise_due is not None:
            put_date(self.promise_due, v.promise_due)
        # what the visit found is a case of its own now, corrected on its page
        self.due_note.setVisible(False)
        self.found.setChecked(False)
        self.found.setVisible(False)
        if v.opened_case_no:
            note = QLabel(f"本次走访发现的情况已登记为{v.opened_case_no}，如需更正，请在该案件中修改。")
            note.setStyleSheet("color: #52606d;")
            self.fields.insertWidget(self.fields.indexOf(self.found), note)
        h = self.household
        self.setWindowTitle(f"修改走访记录 — {h.head.person.name}（{format_cn(v.visited_on)}）")

    def correct(self, record: Visit, reason: str) -> list[Correction]:
        return households.correct_visit(self.ctx, self.saved_record.id, record, reason)
