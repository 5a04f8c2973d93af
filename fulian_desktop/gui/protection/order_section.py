"""人身安全保护令: help her apply (the 申请书 printed from the case; on her behalf only with her wishes and the day she
agreed), the 情况证明 from our records, the court's acceptance and its 72-hour (24-hour) clock, the ruling, the
order's end with an extension request, violations recorded and reported. Every paper opens in the print preview and
prints again, the same, from the list of papers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import protection_order as rules
from ...domain.dates import format_cn
from ...domain.errors import FulianError
from ...domain.protection_order import Application, Order, Violation
from ...services import case_documents
from ...services import protection_orders as orders
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.date_field import DateField, OptionalDateEdit, date_edit
from ..shell.pdf_preview import PdfPreview, open_preview
from ..shell.widgets import combo, combo_value, take_at_most
from .police_section import date_of, fit_rows
from .section import Section

OVERDUE = QColor("#b3261e")
RELATIONS = ("丈夫", "前夫", "男友", "前男友", "父亲", "儿子", "其他家庭成员")
PAPERS = frozenset(rules.DOC_TITLES.values())


class Requests(QWidget):
    """请求事项: the measures of art. 29 to tick, and one more in her own words."""

    def __init__(self, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = [QCheckBox(m) for m in rules.MEASURES]
        for box in self.boxes:
            box.setChecked(box.text() in chosen)
            layout.addWidget(box)
        self.other = QLineEdit(next((c for c in chosen if c not in rules.MEASURES), ""))
        self.other.setPlaceholderText("其他措施，如：禁止被申请人到申请人工作单位")
        self.other.setMaxLength(rules.REQUEST_MAX)
        layout.addWidget(self.other)

    def value(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()] + ([self.other.text()] if self.other.text() else [])


class FiledAt(QWidget):
    """The day and the time the court accepted the application (the clock counts hours)."""

    def __init__(self, today: dt.date, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.day = date_edit(today)
        self.time = QTimeEdit(QTime(now.hour, now.minute))
        self.time.setDisplayFormat("HH:mm")
        layout.addWidget(self.day)
        layout.addWidget(self.time)
        layout.addStretch(1)

    def value(self) -> dt.datetime | None:
        day = date_of(self.day)
        t = self.time.time()
        return dt.datetime.combine(day, dt.time(t.hour(), t.minute())) if day else None


class OrderSection(Section):
    TITLE = "人身安全保护令"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        intro = QLabel("她可以向法院申请人身安全保护令；她因受到强制、威吓等原因不能自己申请的，本会可以根据她的意愿"
                       "代为申请（反家庭暴力法第二十三条）。法院受理后72小时内（情况紧急的24小时内）作出；保护令最长6个月，"
                       f"到期前{rules.END_REMINDER_DAYS}天起在工作台提醒，可以申请延长。本会的接待记录可以作为证据（情况证明）。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color:#52606d")
        self.box_layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["事项", "日期", "情况"])
        self.tree.setMinimumHeight(0)
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.box_layout.addWidget(self.tree)
        grid = QGridLayout()
        self.apply_button = QPushButton("帮她申请保护令…")
        self.proof_button = QPushButton("出具情况证明")
        self.filed_button = QPushButton("法院受理…")
        self.ruling_button = QPushButton("法院结果…")
        self.extend_button = QPushButton("申请延长…")
        self.extended_button = QPushButton("延长结果…")
        self.violation_button = QPushButton("记录违反保护令…")
        self.reported_button = QPushButton("已报告违反…")
        self.correct_button = QPushButton("更正结果…")
        self.correct_button.setToolTip("记错了案号、内容或有效期时更正")
        self.fix_violation_button = QPushButton("更正违反记录…")
        self.fix_violation_button.setToolTip("记错了违反的日期、情况或报告时更正（选中那条违反记录）")
        buttons = [(self.apply_button, self.apply), (self.proof_button, self.proof), (self.filed_button, self.filed),
                   (self.ruling_button, self.ruling), (self.extend_button, self.extend),
                   (self.extended_button, self.extended), (self.violation_button, self.violation),
                   (self.reported_button, self.reported), (self.correct_button, self.correct),
                   (self.fix_violation_button, self.correct_violation)]
        for i, (b, slot) in enumerate(buttons):
            b.clicked.connect(slot)
            grid.addWidget(b, i // 4, i % 4)
        self.box_layout.addLayout(grid)
        self.papers_label = QLabel("本案的保护令文书（双击或按回车键打印预览，与出具时相同）：")
        self.box_layout.addWidget(self.papers_label)
        self.papers = QListWidget()
        self.papers.setMaximumHeight(80)
        self.papers.itemActivated.connect(self._paper_activated)
        self.box_layout.addWidget(self.papers)
        self.orders: list[Order] = []
        self.violations: list[Violation] = []
        self.last_dialog: ActionDialog | None = None
        self.last_preview: PdfPreview | None = None
        self._issued: int | None = None
        self.unreported = False

    # --- what it shows ------------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            thread = orders.of_case(self.ctx, self.case_id)
            entries = case_documents.list_documents(self.ctx, self.case_id)
        except FulianError as e:
            dialogs.warn(self, self.TITLE, e.message)
            return
        self.orders = thread.orders
        self.violations = thread.violations
        self.unreported = any(v.reported_on is None for v in thread.violations)
        now = self.ctx.now()
        self.tree.clear()
        for o in self.orders:
            a = o.application
            who = "本会代为申请" if a.on_behalf else "她本人申请"
            top = QTreeWidgetItem([f"申请（{a.court}，{who}）", format_cn(o.filed_at.date()) if o.filed_at else "",
                                   rules.state(o, now)])
            top.setData(0, Qt.ItemDataRole.UserRole, o.id)
            top.setToolTip(2, o.ordered or rules.state(o, now))
            if "已超过" in top.text(2) or top.text(2).startswith("即将到期"):
                top.setForeground(2, QBrush(OVERDUE))
            self.tree.addTopLevelItem(top)
            for v in (v for v in thread.violations if v.order_id == o.id):
                state = (f"{format_cn(v.reported_on)}已报告{v.reported_to}" if v.reported_on else "待报告法院")
                child = QTreeWidgetItem(["违反保护令", format_cn(v.occurred_on), f"{v.what}（{state}）"])
                child.setData(0, Qt.ItemDataRole.UserRole, o.id)
                child.setData(1, Qt.ItemDataRole.UserRole, v.id if v.reported_on is None else None)
                child.setData(2, Qt.ItemDataRole.UserRole, v.id)  # any violation, reported or not (更正)
                if v.reported_on is None:
                    for col in range(3):
                        child.setForeground(col, QBrush(OVERDUE))
                top.addChild(child)
            top.setExpanded(True)
        if not self.orders:
            none = QTreeWidgetItem(["还没有申请人身安全保护令", "", ""])
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(none)
        else:
            self.tree.setCurrentItem(self.tree.topLevelItem(len(self.orders) - 1))
        for col in (0, 1):
            self.tree.resizeColumnToContents(col)
        fit_rows(self.tree)
        self.papers.clear()
        for e in entries:
            if e.title in PAPERS and e.doc_id is not None:
                item = QListWidgetItem(e.label)
                item.setData(Qt.ItemDataRole.UserRole, e.doc_id)
                self.papers.addItem(item)
        self.papers.setVisible(self.papers.count() > 0)
        self.papers_label.setVisible(self.papers.count() > 0)
        self._enable()

    def attention(self) -> str:
        return "违反保护令未报告" if self.unreported else ""

    def selected(self) -> Order | None:
        item = self.tree.currentItem()
        order_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((o for o in self.orders if o.id == order_id), None)

    def selected_violation(self) -> int | None:
        item = self.tree.currentItem()
        if item is not None and item.data(1, Qt.ItemDataRole.UserRole):
            return int(item.data(1, Qt.ItemDataRole.UserRole))
        o = self.selected()
        return None if o is None else next(
            (v for v in self._open_violations() if v[1] == o.id), (None, None))[0]

    def chosen_violation(self) -> Violation | None:
        """The violation chosen in the list (reported or not), to correct."""
        item = self.tree.currentItem()
        vid = item.data(2, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((v for v in self.violations if vid and v.id == int(vid)), None)

    def _open_violations(self) -> list[tuple[int, int]]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                vid = top.child(j).data(1, Qt.ItemDataRole.UserRole)
                if vid:
                    out.append((int(vid), int(top.data(0, Qt.ItemDataRole.UserRole))))
        return out

    def _enable(self) -> None:
        o = self.selected()
        today = self.ctx.today()
        waiting = o is not None and not o.outcome
        granted = o is not None and o.outcome == "granted" and o.ends_on is not None
        self.filed_button.setEnabled(waiting)
        self.ruling_button.setEnabled(waiting)
        self.extend_button.setEnabled(granted and o.ends_on >= today and o.extension_filed_on is None)  # type: ignore[union-attr]
        self.extended_button.setEnabled(granted and o.extension_filed_on is not None)  # type: ignore[union-attr]
        self.violation_button.setEnabled(granted)
        self.reported_button.setEnabled(self.selected_violation() is not None)
        self.correct_button.setEnabled(granted)
        self.fix_violation_button.setEnabled(self.chosen_violation() is not None)

    def saved(self) -> None:
        super().saved()
        if self._issued:
            self.print_paper(self._issued)
            self._issued = None

    def print_paper(self, doc_id: int) -> PdfPreview | None:
        self.last_preview = open_preview(self, lambda: case_documents.print_issued(self.ctx, doc_id))
        return self.last_preview

    def _paper_activated(self, item: QListWidgetItem) -> None:
        self.print_paper(int(item.data(Qt.ItemDataRole.UserRole)))

    # --- actions ------------------------------------------------------------------------------------------
    def apply(self) -> ActionDialog | None:
        try:
            a = orders.draft(self.ctx, self.case_id)
        except FulianError as e:
            dialogs.warn(self, "申请人身安全保护令", e.message)
            return None
        d = ActionDialog("申请人身安全保护令", "申请书按本案的记录起草，请与她核对后确定；确定后出具申请书并打开打印预览，"
                                         "由她签名或捺印后交法院（本会代为申请的，加盖本会印章）。", self)
        d.setMinimumWidth(640)
        respondent = QLineEdit(a.respondent)
        d.add("respondent", "被申请人", respondent, True)
        relation = combo(RELATIONS, editable=True)
        relation.setEditText(a.respondent_relation)
        d.add("respondent_relation", "与她的关系", relation, True)
        address = QLineEdit(a.respondent_address)
        d.add("respondent_address", "被申请人住址", address)
        requests = Requests(a.requests)
        d.add("requests", "请求事项", requests, True)
        facts = QPlainTextEdit(a.facts)
        facts.setMinimumHeight(90)
        d.add("facts", "事实与理由", facts, True)
        evidence = QPlainTextEdit("\n".join(a.evidence))
        evidence.setMaximumHeight(80)
        evidence.setToolTip("每行一项：告诫书、报警回执、病历和验伤照片、证人、本会的情况证明……")
        d.add("evidence", "证据清单（每行一项）", evidence)
        court = QLineEdit(a.court)
        court.setPlaceholderText("如：东山县人民法院")
        d.add("court", "向哪个法院申请", court, True)
        urgent = QCheckBox("情况紧急（请求法院24小时内作出）")
        d.add("urgent", "", urgent)
        behalf = QCheckBox("她因受到强制、威吓等原因不能自己申请，由本会代为申请")
        d.add("on_behalf", "", behalf)
        wishes = QPlainTextEdit()
        wishes.setMaximumHeight(70)
        wishes.setPlaceholderText("照她的话写：她希望法院禁止什么、为什么请本会代为申请")
        d.add("wishes", "她本人的意愿", wishes)
        consent = OptionalDateEdit()
        consent.setPlaceholderText("如 2026年3月1日 或 20260301")
        d.add("consent_on", "她同意的日期", consent)
        take_at_most(d.form, rules.APPLICATION_LIMITS)

        def behalf_toggled(on: bool) -> None:
            d.form.boxes["consent_on"].setEnabled(on)
            if on and not consent.text():
                consent.setText(format_cn(self.ctx.today()))

        behalf.toggled.connect(behalf_toggled)
        behalf_toggled(False)

        def run() -> None:
            order = Application(
                respondent=respondent.text(), respondent_relation=combo_value(relation), requests=requests.value(),
                facts=facts.toPlainText(), evidence=evidence.toPlainText().split("\n"), court=court.text(),
                urgent=urgent.isChecked(), on_behalf=behalf.isChecked(), wishes=wishes.toPlainText(),
                consent_on=date_of(consent) if behalf.isChecked() else None,
                respondent_address=address.text())
            self._issued = orders.apply(self.ctx, self.case_id, order)[1]

        d.on_ok(run)
        return self.open_action(d)

    def proof(self) -> None:
        if not dialogs.ask(self, "出具情况证明", "根据本会的接待登记、告诫书、查访等记录出具情况证明，作为她申请保护令的证据，"
                                              "打印后由经办人签名、加盖本会印章。现在出具吗？"):
            return
        try:
            self._issued = orders.situation_proof(self.ctx, self.case_id)
        except FulianError as e:
            dialogs.warn(self, "出具情况证明", e.message)
            return
        self.saved()

    def filed(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None:
            return None
        hours = rules.URGENT_HOURS if o.application.urgent else rules.RULING_HOURS
        d = ActionDialog("法院受理", f"写明受理的法院和受理的日期、时间：法院应在受理后{hours}小时内作出"
                                    "（从受理的下一个整点起算，周末和节假日照算）。", self)
        court = QLineEdit(o.application.court)
        d.add("court", "受理的法院", court, True)
        at = FiledAt(self.ctx.today(), self.ctx.now())
        d.add("filed_at", "受理时间", at, True)
        order_id = o.id
        d.on_ok(lambda: orders.record_filing(self.ctx, self.case_id, order_id, court.text(), at.value()) and None)
        return self.open_action(d)

    def ruling(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None:
            return None
        d = ActionDialog("法院结果", "法院作出保护令的，写明案号、内容和有效期的最后一天（最长6个月）；驳回或撤回的写明说明。",
                         self)
        d.setMinimumWidth(560)
        outcome = combo(list(rules.OUTCOMES.values()))
        d.add("outcome", "结果", outcome, True)
        on = d.add("ruled_on", "日期", date_edit(self.ctx.today()), True)
        number = QLineEdit()
        number.setPlaceholderText("如：（2026）东0102民保令1号")
        d.add("order_no", "案号", number)
        ordered = QPlainTextEdit("\n".join(o.application.requests))
        ordered.setMaximumHeight(80)
        d.add("ordered", "保护令内容", ordered)
        ends = DateField(rules.default_end(self.ctx.today()))
        d.add("ends_on", "有效期至", ends)
        note = QLineEdit()
        d.add("note", "说明", note)
        take_at_most(d.form, rules.ORDER_LIMITS)

        def outcome_changed() -> None:
            granted = combo_value(outcome) == rules.OUTCOMES["granted"]
            for name in ("order_no", "ordered", "ends_on"):
                d.form.boxes[name].setEnabled(granted)

        def day_changed() -> None:
            day = date_of(on)  # type: ignore[arg-type]
            if day is not None:
                ends.setText(format_cn(rules.default_end(day)))

        outcome.currentIndexChanged.connect(lambda _i: outcome_changed())
        on.dateChanged.connect(lambda _d: day_changed())  # type: ignore[attr-defined]
        order_id = o.id

        def run() -> None:
            key = next(k for k, v in rules.OUTCOMES.items() if v == combo_value(outcome))
            granted = key == "granted"
            orders.record_ruling(self.ctx, self.case_id, order_id, key, date_of(on),  # type: ignore[arg-type]
                                 number.text() if granted else "", ordered.toPlainText() if granted else "",
                                 date_of(ends) if granted else None, note.text())

        d.on_ok(run)
        return self.open_action(d)

    def extend(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None or o.ends_on is None:
            return None
        d = ActionDialog("申请延长保护令", f"保护令有效期至{format_cn(o.ends_on)}。她仍面临家庭暴力危险的，可以在失效前申请延长"
                                       "（反家庭暴力法第三十条）；确定后出具延长申请书并打开打印预览。", self)
        until = d.add("until", "请求延长到", DateField(rules.default_end(o.ends_on + dt.timedelta(days=1))), True)
        reasons = QPlainTextEdit()
        reasons.setMinimumHeight(80)
        reasons.setPlaceholderText("如：被申请人仍多次打电话威胁，并在她单位门口守候")
        d.add("reasons", "延长的理由", reasons, True)
        order_id = o.id

        def run() -> None:
            self._issued = orders.request_extension(self.ctx, self.case_id, order_id, date_of(until),  # type: ignore[arg-type]
                                                    reasons.toPlainText())

        d.on_ok(run)
        return self.open_action(d)

    def extended(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None or o.ends_on is None:
            return None
        d = ActionDialog("延长结果", f"法院对延长申请的决定（现有效期至{format_cn(o.ends_on)}）。", self)
        granted = combo(("准许延长", "不准许延长"))
        d.add("granted", "结果", granted, True)
        ends = d.add("ends_on", "延长后有效期至", DateField(rules.default_end(o.ends_on + dt.timedelta(days=1))))
        granted.currentIndexChanged.connect(lambda i: d.form.boxes["ends_on"].setEnabled(i == 0))
        order_id = o.id
        d.on_ok(lambda: orders.record_extension(self.ctx, self.case_id, order_id, granted.currentIndex() == 0,
                                                date_of(ends)))  # type: ignore[arg-type]
        return self.open_action(d)

    def violation(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None:
            return None
        d = ActionDialog("记录违反保护令", "被申请人违反保护令的，应当立即报告作出保护令的法院（并报警）；"
                                       "没有报告的，第二天起在工作台列为逾期。", self)
        on = d.add("occurred_on", "发生日期", date_edit(self.ctx.today()), True)
        what = QPlainTextEdit()
        what.setMaximumHeight(80)
        what.setPlaceholderText("如：被申请人再次上门砸门、辱骂")
        d.add("what", "违反情况", what, True)
        reported = OptionalDateEdit()
        d.add("reported_on", "已报告的日期", reported)
        to = QLineEdit(o.application.court)
        d.add("reported_to", "报告的法院或公安机关", to)
        take_at_most(d.form, rules.VIOLATION_LIMITS)
        order_id = o.id
        d.on_ok(lambda: orders.record_violation(self.ctx, self.case_id, order_id, date_of(on),  # type: ignore[arg-type]
                                                what.toPlainText(), date_of(reported), to.text()) and None)
        return self.open_action(d)

    def reported(self) -> ActionDialog | None:
        violation_id = self.selected_violation()
        o = self.selected()
        if violation_id is None or o is None:
            return None
        d = ActionDialog("已报告违反保护令", "写明报告的日期和法院（公安机关）。", self)
        on = d.add("reported_on", "报告日期", date_edit(self.ctx.today()), True)
        to = QLineEdit(o.application.court)
        d.add("reported_to", "报告的法院或公安机关", to, True)
        d.on_ok(lambda: orders.report_violation(self.ctx, self.case_id, violation_id, date_of(on), to.text()))
        return self.open_action(d)

    def correct_violation(self) -> ActionDialog | None:
        v = self.chosen_violation()
        if v is None or v.id is None:
            return None
        d = ActionDialog("更正违反记录", "改正记错的日期、情况或报告；只有改动的项目会记入办理经过（更正）。", self)
        on = date_edit(self.ctx.today(), v.occurred_on)
        d.add("occurred_on", "发生日期", on, True)
        what = QPlainTextEdit(v.what)
        what.setMaximumHeight(80)
        d.add("what", "违反情况", what, True)
        reported = DateField(v.reported_on, optional=v.reported_on is None)
        d.add("reported_on", "已报告的日期", reported, v.reported_on is not None)
        to = QLineEdit(v.reported_to)
        d.add("reported_to", "报告的法院或公安机关", to)
        reason = QLineEdit()
        reason.setPlaceholderText("如：发生日期记错")
        d.add("reason", "更正原因", reason)
        take_at_most(d.form, rules.VIOLATION_LIMITS)
        violation_id = v.id
        d.on_ok(lambda: orders.correct_violation(self.ctx, self.case_id, violation_id, date_of(on), what.toPlainText(),
                                                 date_of(reported), to.text(), reason.text()) and None)
        return self.open_action(d)

    def correct(self) -> ActionDialog | None:
        o = self.selected()
        if o is None or o.id is None or o.outcome != "granted":
            return None
        d = ActionDialog("更正保护令", "照裁定书改正记错的案号、内容或有效期；只有改动的项目会记入办理经过（更正）。", self)
        d.setMinimumWidth(560)
        number = QLineEdit(o.order_no)
        d.add("order_no", "案号", number)
        ordered = QPlainTextEdit(o.ordered)
        ordered.setMaximumHeight(80)
        d.add("ordered", "保护令内容", ordered, True)
        ends = d.add("ends_on", "有效期至", DateField(o.ends_on), True)
        note = QLineEdit(o.outcome_note)
        d.add("note", "说明", note)
        reason = QLineEdit()
        reason.setPlaceholderText("如：有效期抄错，以裁定书为准")
        d.add("reason", "更正原因", reason)
        take_at_most(d.form, rules.ORDER_LIMITS)
        order_id = o.id
        d.on_ok(lambda: orders.correct_ruling(self.ctx, self.case_id, order_id, number.text(), ordered.toPlainText(),
                                              date_of(ends), note.text(), reason.text()) and None)  # type: ignore[arg-type]
        return self.open_action(d)
