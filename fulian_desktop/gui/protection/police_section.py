"""告诫书、报警回执和查访: the police papers the case received and the follow-up visits after them — each visit
planned on a day, shown as due, overdue (from the day after) or done; record one, plan another, move or drop one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ...domain import police_contact as rules
from ...domain.dates import format_cn
from ...domain.errors import FulianError, ValidationError
from ...domain.police_contact import FollowUp, PoliceContact
from ...services import police_contacts
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.date_field import DateField, date_edit
from ..shell.widgets import combo, combo_value, max_length, set_combo, take_at_most
from .section import Section

OVERDUE = QColor("#b3261e")
DONE = QColor("#52606d")


def date_of(field: DateField) -> dt.date | None:
    return field.date_or_error()[0]


def fit_rows(tree: QTreeWidget, least: int = 2, most: int = 8) -> None:
    """The list as tall as its rows (at least `least`, at most `most`; more scroll): the tab's sections stay short
    while there is little in them."""
    rows = 0
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        rows += 1 + (top.childCount() if top.isExpanded() else 0)
    row = max(tree.sizeHintForRow(0), tree.fontMetrics().height() + 6)
    shown = min(max(rows, least), most)
    tree.setFixedHeight(tree.header().sizeHint().height() + shown * row + 2 * tree.frameWidth() + 2)


class PoliceSection(Section):
    TITLE = "告诫书、报警回执和查访"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        intro = QLabel("公安机关出具告诫书后，本会与派出所或村（居）委会一起查访，看暴力是否停止（反家庭暴力法第十六、"
                       f"十七条）。记录告诫书时按{'、'.join(str(d) for d in rules.FOLLOW_UP_DAYS)}天后计划三次查访，"
                       "日期可以修改；当天未查访的，第二天起在工作台列为逾期。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color:#52606d")
        self.box_layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["事项", "日期", "情况"])
        self.tree.setRootIsDecorated(True)
        self.tree.setMinimumHeight(0)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.box_layout.addWidget(self.tree)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("记录告诫书或回执…")
        self.visit_button = QPushButton("记录查访…")
        self.plan_button = QPushButton("增加查访…")
        self.move_button = QPushButton("改期…")
        self.drop_button = QPushButton("取消查访…")
        self.correct_button = QPushButton("更正告诫书…")
        self.correct_button.setToolTip("记错了派出所、日期或编号时更正（选中那份告诫书或回执）")
        self.fix_visit_button = QPushButton("更正查访…")
        self.fix_visit_button.setToolTip("记错了查访的日期、与谁查访或情况时更正（选中那次已记录的查访，或双击它）")
        for b, slot in ((self.add_button, self.add_contact), (self.visit_button, self.record_visit),
                        (self.plan_button, self.plan_visit), (self.move_button, self.move_visit),
                        (self.drop_button, self.drop_visit), (self.correct_button, self.correct_contact),
                        (self.fix_visit_button, self.correct_visit)):
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.box_layout.addLayout(buttons)
        self.follow_ups: list[FollowUp] = []
        self.contacts: list[PoliceContact] = []
        self.last_dialog: ActionDialog | None = None

    # --- what it shows ------------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            thread = police_contacts.of_case(self.ctx, self.case_id)
        except FulianError as e:
            dialogs.warn(self, self.TITLE, e.message)
            return
        self.contacts, self.follow_ups = thread.contacts, thread.follow_ups
        today = self.ctx.today()
        self.tree.clear()
        for c in self.contacts:
            top = QTreeWidgetItem([c.title, format_cn(c.issued_on),
                                   "　".join(x for x in (c.station, c.number and f"编号：{c.number}", c.note) if x)])
            top.setData(0, Qt.ItemDataRole.UserRole, ("contact", c.id))
            self.tree.addTopLevelItem(top)
            for f in (f for f in self.follow_ups if f.contact_id == c.id):
                state = rules.follow_up_state(f, today)
                what = f"{format_cn(f.done_on)}与{f.with_whom}：{f.finding}" if f.done_on else state
                child = QTreeWidgetItem(["查访", format_cn(f.due_on), what if f.done_on else state])
                child.setData(0, Qt.ItemDataRole.UserRole, ("visit", f.id))
                child.setToolTip(2, what)
                if rules.is_overdue(f, today):
                    for col in range(3):
                        child.setForeground(col, QBrush(OVERDUE))
                elif f.done_on is not None:
                    child.setForeground(0, QBrush(DONE))
                top.addChild(child)
            top.setExpanded(True)
        if not self.contacts:
            none = QTreeWidgetItem(["还没有记录告诫书或报警回执", "", ""])
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(none)
        for col in (0, 1):
            self.tree.resizeColumnToContents(col)
        fit_rows(self.tree)
        self._enable()

    def attention(self) -> str:
        today = self.ctx.today()
        return "查访已逾期" if any(rules.is_overdue(f, today) for f in self.follow_ups) else ""

    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        data = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return (str(data[0]), int(data[1])) if data else None

    def selected_visit(self) -> FollowUp | None:
        """The visit chosen in the list; with none chosen, the earliest not yet done."""
        chosen = self.selected()
        if chosen and chosen[0] == "visit":
            return next((f for f in self.follow_ups if f.id == chosen[1]), None)
        return next((f for f in self.follow_ups if f.done_on is None), None) if not chosen else None

    def selected_contact(self) -> PoliceContact | None:
        chosen = self.selected()
        if chosen is None:
            return self.contacts[-1] if self.contacts else None
        if chosen[0] == "contact":
            return next((c for c in self.contacts if c.id == chosen[1]), None)
        f = next((f for f in self.follow_ups if f.id == chosen[1]), None)
        return next((c for c in self.contacts if f is not None and c.id == f.contact_id), None)

    def _enable(self) -> None:
        visit = self.selected_visit()
        open_visit = visit is not None and visit.done_on is None
        self.visit_button.setEnabled(open_visit)
        self.move_button.setEnabled(open_visit)
        self.drop_button.setEnabled(open_visit)
        self.plan_button.setEnabled(self.selected_contact() is not None)
        self.correct_button.setEnabled(self.selected_contact() is not None)
        self.fix_visit_button.setEnabled(visit is not None and visit.done_on is not None)

    def _activated(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data and data[0] == "visit":
            visit = self.selected_visit()
            if visit is not None and visit.done_on is not None:
                self.correct_visit()
            else:
                self.record_visit()

    # --- actions ------------------------------------------------------------------------------------------
    def add_contact(self) -> ActionDialog:
        d = ActionDialog("记录告诫书或报警回执", "写明出具的公安机关（派出所）、日期和编号。记录告诫书后按默认节奏"
                                          "计划查访，可以在下面修改。", self)
        kind = combo(list(rules.KINDS.values()))
        d.add("kind", "收到的是", kind, True)
        station = QLineEdit()
        station.setPlaceholderText("如：东山派出所")
        d.add("station", "公安机关（派出所）", station, True)
        issued = d.add("issued_on", "出具日期", date_edit(self.ctx.today()), True)
        number = QLineEdit()
        number.setPlaceholderText("告诫书或回执上的编号，没有的不填")
        d.add("number", "编号", number)
        note = QLineEdit()
        d.add("note", "说明", note)
        take_at_most(d.form, rules.LIMITS)
        plan = QLineEdit()
        plan.setToolTip("用顿号或空格隔开几个日期，如 2026年3月17日、2026年4月9日；不写的按默认节奏")
        d.add("plan", "计划查访日期", plan)

        def default_plan() -> None:
            on = date_of(issued)  # type: ignore[arg-type]
            warning = combo_value(kind) == rules.KINDS["warning"]
            plan.setText("、".join(format_cn(x) for x in rules.schedule(on)) if on and warning else "")

        kind.currentIndexChanged.connect(lambda _i: default_plan())
        issued.dateChanged.connect(lambda _d: default_plan())  # type: ignore[attr-defined]
        default_plan()

        def run() -> None:
            key = next(k for k, v in rules.KINDS.items() if v == combo_value(kind))
            dates = parse_dates(plan.text())
            if dates is None:
                raise ValidationError({"plan": "有日期读不出来，请写成 2026年3月17日、2026年4月9日 这样，用顿号隔开"})
            try:
                police_contacts.record(self.ctx, self.case_id, PoliceContact(
                    key, station.text(), date_of(issued), number.text(), note.text()), dates)  # type: ignore[arg-type]
            except ValidationError as e:
                plan_errors = [m for k, m in e.errors.items() if k.startswith("plan")]
                raise ValidationError({**{k: m for k, m in e.errors.items() if not k.startswith("plan")},
                                       **({"plan": plan_errors[0]} if plan_errors else {})}) from None

        d.on_ok(run)
        return self.open_action(d)

    def correct_contact(self) -> ActionDialog | None:
        c = self.selected_contact()
        if c is None or c.id is None:
            return None
        d = ActionDialog(f"更正{c.title}", "改正记错的内容；只有改动的项目会记入办理经过（更正）。", self)
        kind = combo(list(rules.KINDS.values()))
        set_combo(kind, c.title)
        d.add("kind", "类别", kind, True)
        station = QLineEdit(c.station)
        d.add("station", "公安机关（派出所）", station, True)
        issued = d.add("issued_on", "出具日期", date_edit(self.ctx.today(), c.issued_on), True)
        number = QLineEdit(c.number)
        d.add("number", "编号", number)
        note = QLineEdit(c.note)
        d.add("note", "说明", note)
        reason = QLineEdit()
        reason.setPlaceholderText("如：编号抄错")
        d.add("reason", "更正原因", reason)
        take_at_most(d.form, rules.LIMITS)
        contact_id = c.id

        def run() -> None:
            key = next(k for k, v in rules.KINDS.items() if v == combo_value(kind))
            police_contacts.correct_contact(self.ctx, self.case_id, contact_id, PoliceContact(
                key, station.text(), date_of(issued), number.text(), note.text()), reason.text())  # type: ignore[arg-type]

        d.on_ok(run)
        return self.open_action(d)

    def record_visit(self) -> ActionDialog | None:
        f = self.selected_visit()
        if f is None or f.done_on is not None or f.id is None:
            return None
        d = ActionDialog("记录查访", f"计划{format_cn(f.due_on)}的查访：写明查访的日期、与谁一起、看到的情况"
                                    "（暴力是否停止、她和孩子的现状）。", self)
        on, whom, finding = self._visit_fields(d, f)
        take_at_most(d.form, rules.FOLLOW_UP_LIMITS)
        follow_up_id = f.id
        d.on_ok(lambda: police_contacts.record_visit(self.ctx, self.case_id, follow_up_id, date_of(on),
                                                     combo_value(whom), finding.toPlainText()))
        return self.open_action(d)

    def _visit_fields(self, d: ActionDialog, f: FollowUp) -> tuple[DateField, QComboBox, QPlainTextEdit]:
        """A visit's day, with whom and what was found (as recorded, when it was)."""
        on = date_edit(self.ctx.today(), f.done_on)
        d.add("done_on", "查访日期", on, True)
        whom = combo(rules.WITH_WHOM, editable=True)
        set_combo(whom, f.with_whom or rules.WITH_WHOM[0])
        d.add("with_whom", "与谁查访", whom, True)
        finding = QPlainTextEdit(f.finding)
        finding.setMaximumHeight(100)
        d.add("finding", "查访情况", finding, True)
        return on, whom, finding

    def correct_visit(self) -> ActionDialog | None:
        f = self.selected_visit()
        if f is None or f.done_on is None or f.id is None:
            return None
        d = ActionDialog("更正查访", f"改正计划{format_cn(f.due_on)}的查访记错的内容；只有改动的项目会记入办理经过"
                                    "（更正）。", self)
        on, whom, finding = self._visit_fields(d, f)
        reason = QLineEdit()
        reason.setPlaceholderText("如：日期记错")
        d.add("reason", "更正原因", reason)
        take_at_most(d.form, rules.FOLLOW_UP_LIMITS)
        follow_up_id = f.id
        d.on_ok(lambda: police_contacts.correct_visit(self.ctx, self.case_id, follow_up_id, date_of(on),
                                                      combo_value(whom), finding.toPlainText(), reason.text()))
        return self.open_action(d)

    def plan_visit(self) -> ActionDialog | None:
        c = self.selected_contact()
        if c is None or c.id is None:
            return None
        d = ActionDialog("增加查访", f"在{c.title}（{format_cn(c.issued_on)}）之后再计划一次查访。", self)
        on = d.add("on", "计划查访日期", DateField(self.ctx.today() + dt.timedelta(days=7)), True)
        contact_id = c.id
        d.on_ok(lambda: _plan(self.ctx, self.case_id, contact_id, on))  # type: ignore[arg-type]
        return self.open_action(d)

    def move_visit(self) -> ActionDialog | None:
        f = self.selected_visit()
        if f is None or f.id is None or f.done_on is not None:
            return None
        d = ActionDialog("查访改期", f"原计划{format_cn(f.due_on)}查访，改到哪一天？", self)
        on = d.add("on", "改到", DateField(f.due_on), True)
        follow_up_id = f.id
        d.on_ok(lambda: police_contacts.move_visit(self.ctx, self.case_id, follow_up_id, date_of(on)))  # type: ignore[arg-type]
        return self.open_action(d)

    def drop_visit(self) -> ActionDialog | None:
        f = self.selected_visit()
        if f is None or f.id is None or f.done_on is not None:
            return None
        d = ActionDialog("取消查访", f"取消{format_cn(f.due_on)}的查访：请写明原因（如：案件已办结、她不同意再查访）。原因记入办理经过，请不要写她的去向。", self)
        reason = QLineEdit()
        max_length(reason, police_contacts.REASON_MAX)
        d.add("reason", "原因", reason, True)
        follow_up_id = f.id
        d.on_ok(lambda: police_contacts.drop_visit(self.ctx, self.case_id, follow_up_id, reason.text()))
        return self.open_action(d)


def _plan(ctx: Context, case_id: int, contact_id: int, on: DateField) -> None:
    try:
        police_contacts.plan_visit(ctx, case_id, contact_id, date_of(on))  # type: ignore[arg-type]
    except ValidationError as e:
        raise ValidationError({"on": next(iter(e.errors.values()))}) from None


def parse_dates(text: str) -> list[dt.date] | None:
    """Dates written one after another (、，, ; or spaces between): None when one cannot be read."""
    from ...domain.dates import DateError, parse_date

    parts = [p for p in text.replace("，", "、").replace(",", "、").replace("；", "、").replace(";", "、").split("、")
             if p.strip()]
    out = []
    for part in parts:
        for piece in part.split() if "年" not in part else [part]:
            try:
                out.append(parse_date(piece))
            except DateError:
                return None
    return out

