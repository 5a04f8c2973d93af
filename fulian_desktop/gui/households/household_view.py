"""One household (or one person on a care list): family, cadre history, measures, visits and the
follow-ups promised; log a visit, change the cadre, set the visit rhythm, print the 帮扶手册."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain import household as rules
from ...domain.dates import format_cn
from ...domain.deadlines import overdue_for
from ...domain.errors import ValidationError
from ...domain.household import Cadre, Household, Measure
from ...domain.money import capital, format_yuan
from ...domain.rhythm import describe_due, due_state
from ...domain.statuses import status_label
from ...services import household_printing, households
from ...services.context import Context
from ...services.households import VisitResult
from ..cases import case_page
from ..cases.action_dialog import ActionDialog
from ..cases.case_page import CaseView
from ..shell import dialogs
from ..shell.date_field import date_edit, qdate_to_date
from ..shell.fitting import fit_columns, one_line_columns
from ..shell.pdf_preview import PdfPreview, open_preview
from ..shell.widgets import combo, combo_value, max_length, record_table, take_at_most
from .household_form import HouseholdForm
from .household_widgets import RhythmEdit, money_field, money_value
from .visit_form import VisitForm

VISIT_ROLE = Qt.ItemDataRole.UserRole + 4
TASK_ROLE = Qt.ItemDataRole.UserRole + 5
VISIT_HEADERS = ("走访日期", "类型", "走访人", "慰问金", "慰问物资（折合）", "走访情况", "跟进")
VISIT_ONE_LINE = (0, 1, 2, 3, 4)  # the date, the names and the amounts: never broken across lines
VISIT_COLUMN_MOST = 170  # pixels: a longer list of names or goods ends in "…" (its tooltip has it whole)


def _e(text: str) -> str:
    return html.escape(text or "").replace("\n", "<br>")


def _row(label: str, value: str) -> str:
    return (f"<tr><th align='right' style='color:#52606d;padding:2px 8px;white-space:nowrap'>{label}</th>"
            f"<td style='padding:2px 8px'>{value}</td></tr>")


def _grid(headers: tuple[str, ...], rows: list[tuple[str, ...]], nowrap: bool = False) -> str:
    head = "".join(f"<th style='background:#eceff1;padding:3px 6px'>{h}</th>" for h in headers)
    td = "<td nowrap style='padding:3px 6px'>" if nowrap else "<td style='padding:3px 6px'>"
    body = "".join("<tr>" + "".join(f"{td}{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table border=1 cellspacing=0 style='border-color:#b0bec5;margin:2px 8px'><tr>{head}</tr>{body}</table>"


class HouseholdView(CaseView):
    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.last_preview: PdfPreview | None = None
        self.last_visit_form: VisitForm | None = None
        self.last_result: VisitResult | None = None
        self.visit_button = QPushButton("登记走访")
        self.visit_button.setStyleSheet("font-weight: bold;")
        self.rhythm_button = QPushButton("走访周期")
        self.cadre_button = QPushButton("更换帮扶责任人")
        self.measure_button = QPushButton("添加帮扶措施")
        self.status_button = QPushButton("帮扶状态")
        self.status_menu = QMenu(self)
        self.lift_action = self.status_menu.addAction("标记脱贫…")
        self.exit_action = self.status_menu.addAction("退出名单…")
        self.resume_action = self.status_menu.addAction("恢复帮扶…")
        self.status_button.setMenu(self.status_menu)
        self.print_button = QPushButton("打印")
        self.print_menu = QMenu(self)
        self.print_card_action = self.print_menu.addAction("帮扶手册（户卡）")
        self.print_visit_action = self.print_menu.addAction("所选走访的走访慰问记录表")
        self.print_button.setMenu(self.print_menu)
        self.add_action_bar((self.visit_button, self.rhythm_button, self.cadre_button,
                             self.measure_button, self.status_button, self.note_button), (self.print_button,))

        split = QSplitter()
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        split.addWidget(self.details)
        self.side = QTabWidget()
        self.visits = QTableWidget(0, len(VISIT_HEADERS))
        self.visits.setHorizontalHeaderLabels(list(VISIT_HEADERS))
        record_table(self.visits)
        self.visits.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.visits.horizontalHeader().setStretchLastSection(True)
        self.visits.setWordWrap(True)  # 走访情况 and 跟进 wrap; dates, names and amounts stay whole on one line
        one_line_columns(self.visits, VISIT_ONE_LINE)
        for col, w in enumerate((108, 40, 90, 80, 120, 190)):
            self.visits.setColumnWidth(col, w)
        visits = QWidget()
        vl = QVBoxLayout(visits)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.addWidget(self.visits, 1)
        vrow = QHBoxLayout()
        self.visit_edit_button = QPushButton("修改所选走访…")
        self.visit_edit_button.setToolTip("更正所选走访的记录（也可双击这一行，或选中后按回车）")
        vrow.addWidget(self.visit_edit_button)
        self.visit_attachments_button = QPushButton("所选走访的附件…")  # photos taken on the visit, a signed receipt
        self.visit_attachments_button.setToolTip("查看和添加这次走访的照片、签收单等附件")
        vrow.addWidget(self.visit_attachments_button)
        vrow.addStretch(1)
        vl.addLayout(vrow)
        self.side.addTab(visits, "走访记录")
        tasks = QWidget()
        tl = QVBoxLayout(tasks)
        tl.setContentsMargins(0, 0, 0, 0)
        self.tasks = QListWidget()
        self.tasks.setWordWrap(True)
        tl.addWidget(self.tasks, 1)
        trow = QHBoxLayout()
        self.task_done_button = QPushButton("所选待办已办结…")
        self.task_add_button = QPushButton("添加待办…")
        trow.addWidget(self.task_add_button)
        trow.addStretch(1)
        trow.addWidget(self.task_done_button)
        tl.addLayout(trow)
        self.side.addTab(tasks, "待办事项")
        self.timeline = QListWidget()
        self.timeline.setWordWrap(True)
        self.side.addTab(self.timeline, "办理经过")
        self.related = QListWidget()
        self.side.addTab(self.related, "关联案件")
        self.side.addTab(self.make_attachments(), "附件")
        split.addWidget(self.side)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 780])
        self.page_layout.addWidget(split, 1)

        self.visit_button.clicked.connect(self.do_visit)
        self.rhythm_button.clicked.connect(lambda: self.make_rhythm_dialog().open())
        self.cadre_button.clicked.connect(lambda: self.make_cadre_dialog().open())
        self.measure_button.clicked.connect(lambda: self.make_measure_dialog().open())
        self.lift_action.triggered.connect(lambda: self.make_lift_dialog().open())
        self.exit_action.triggered.connect(lambda: self.make_exit_dialog().open())
        self.resume_action.triggered.connect(lambda: self.make_resume_dialog().open())
        self.print_card_action.triggered.connect(lambda: self.printRequested.emit(self.case_id))
        self.print_visit_action.triggered.connect(self.print_selected_visit)
        self.visits.activated.connect(lambda _i: self.edit_selected_visit())  # double-click, or Enter
        self.visit_edit_button.clicked.connect(self.edit_selected_visit)
        self.visit_attachments_button.clicked.connect(self.visit_attachments)
        self.task_done_button.clicked.connect(self._task_done_selected)
        self.task_add_button.clicked.connect(lambda: self.make_task_dialog().open())
        self.tasks.itemActivated.connect(lambda _i: self._task_done_selected())
        self.related.itemActivated.connect(self.open_related)
        self.household: Household
        self.reload()

    @property
    def title(self) -> str:
        return f"{self.household.case_no} {self.household.head.person.name}"

    # --- showing --------------------------------------------------------------------------------
    def reload(self) -> None:
        h = households.get(self.ctx, self.case_id)
        self.household = h
        today = self.ctx.today()
        state = due_state(h.next_due, today) if h.is_open else ""
        color = {"overdue": "#a61b1b", "this_month": "#9a6700"}.get(state, "#1f6f43")
        due = (f"<span style='color:{color};font-weight:bold'>{describe_due(h.next_due, today)}</span>"
               if h.is_open and h.next_due else "")
        rhythm = f"（{h.rhythm.label()}）" if h.rhythm and h.is_open else ""
        self.header.setText(
            f"<span style='font-size:16pt;font-weight:bold'>{_e(h.case_no)}</span>　"
            f"<span style='font-size:12pt'>{_e(h.head.person.name)}　{_e(h.list_name)}　"
            f"{status_label('household', h.status)}</span>　{due}{rhythm}"
        )
        is_open = h.is_open
        household = h.care_list is None or h.care_list.is_household
        for b in (self.visit_button, self.cadre_button, self.measure_button, self.rhythm_button):
            b.setEnabled(is_open)
        self.lift_action.setEnabled(h.status == "helping" and household)
        self.lift_action.setVisible(household)
        self.exit_action.setEnabled(h.status != "exited")
        self.resume_action.setEnabled(h.status != "helping")
        self._fill_details(h)
        self._fill_visits(h)
        self.visit_edit_button.setEnabled(bool(h.visits) and self.can_correct())
        self._fill_tasks(h)
        case_page.fill_timeline(self.timeline, h.timeline)
        case_page.fill_related(self.related, self.ctx, self.case_id, h.links,
                               [(m.person, f"{m.person.name}：") for m in h.everyone])
        open_tasks = sum(1 for t in h.tasks if t.done_on is None)
        self.side.setTabText(0, f"走访记录（{len(h.visits)}）")
        self.side.setTabText(1, f"待办事项（{open_tasks}）")
        self.side.setTabText(3, f"关联案件（{self.related.count()}）")

    def _fill_details(self, h: Household) -> None:
        p = h.head.person
        household = h.care_list is None or h.care_list.is_household
        parts = ["<table cellspacing=0>"]
        parts.append(_row("户主" if household else "姓名", _e(p.name)))
        parts.append(_row("性别 / 民族", _e(" / ".join(x for x in (p.sex, p.ethnicity) if x))))
        parts.append(_row("出生日期", format_cn(p.birth_date)))
        parts.append(_row("身份证号", _e(p.id_number)))
        parts.append(_row("联系电话", _e(p.phone)))
        parts.append(_row("住址", _e("".join(x for x in (h.township, h.village, h.address) if x))))
        if household:
            parts.append(_row("家庭人口", f"{h.size}人"))
            parts.append(_row("户类型", _e(h.household_type)))
            parts.append(_row("致贫原因", _e("、".join(h.causes))))
        if h.care_list is not None:
            for label, value in rules.extra_text(h.care_list, h.extra):
                if value:
                    parts.append(_row(_e(label), _e(value)))
        parts.append(_row("纳入日期", format_cn(h.received_on)))
        status = status_label("household", h.status)
        if h.lifted_on:
            status += f"（{format_cn(h.lifted_on)}脱贫）"
        if h.exited_on:
            status += f"（{format_cn(h.exited_on)}退出：{_e(h.exit_reason)}）"
        parts.append(_row("帮扶状态", status))
        if h.rhythm:
            parts.append(_row("走访周期", f"{h.rhythm.label()}，自{format_cn(h.rhythm.start)}起"))
        if h.notes:
            parts.append(_row("备注", _e(h.notes)))
        parts.append("</table>")

        parts.append("<p><b>家庭成员</b></p>")
        parts.append(_grid(
            ("姓名", "关系", "性别", "身份证号", "健康状况", "劳动能力", "在校生状况"),
            [(_e(m.person.name), _e(m.relation), _e(m.person.sex), _e(m.person.id_number), _e(m.health),
              _e(m.work_ability), _e(m.schooling)) for m in h.everyone],
            nowrap=True,
        ))
        parts.append("<p><b>帮扶责任人</b>（变更记录，最后一位为现任）</p>")
        if h.cadres:
            rows = []
            for i, c in enumerate(h.cadres):
                current = i == len(h.cadres) - 1
                rows.append((_e(c.name) + ("（现任）" if current else ""), _e(c.unit), _e(c.level), _e(c.phone),
                             format_cn(c.from_date)))
            parts.append(_grid(("姓名", "单位", "职务/级别", "电话", "起始日期"), rows))
        else:
            parts.append("<p style='margin-left:8px;color:#9a6700'>尚未登记帮扶责任人。</p>")
        parts.append("<p><b>帮扶措施</b></p>")
        if h.measures:
            parts.append(_grid(("日期", "措施", "具体内容", "帮扶单位", "金额", "实际受益"), [
                (format_cn(m.on_date), _e(m.kind), _e(m.detail), _e(m.helping_unit),
                 format_yuan(m.amount_fen) if m.amount_fen else "", _e(m.benefit)) for m in h.measures]))
        else:
            parts.append("<p style='margin-left:8px;color:#52606d'>尚无。</p>")
        total = h.cash_total + h.goods_total + h.measures_total
        parts.append("<p><b>帮扶合计</b></p><table cellspacing=0>")
        parts.append(_row("走访", f"{len(h.visits)}次"))
        parts.append(_row("慰问金", format_yuan(h.cash_total)))
        parts.append(_row("慰问物资折合", format_yuan(h.goods_total)))
        parts.append(_row("帮扶措施资金", format_yuan(h.measures_total)))
        parts.append(_row("合计", f"{format_yuan(total)}（{capital(total)}）"))
        parts.append("</table>")
        self.details.setHtml("".join(parts))

    def _fill_visits(self, h: Household) -> None:
        keep = self.selected_visit_id()  # the visit just corrected stays selected
        self.visits.setRowCount(0)
        for v in h.visits:
            r = self.visits.rowCount()
            self.visits.insertRow(r)
            follow = v.promised + (f"（{format_cn(v.promise_due)}前）" if v.promise_due else "")
            if v.opened_case_no:
                follow = (follow + "；" if follow else "") + f"已登记{v.opened_case_no}"
            cells = (format_cn(v.visited_on), v.kind_label, v.visitors,
                     format_yuan(v.cash_fen) if v.cash_fen else "",
                     f"{v.goods}（{format_yuan(v.goods_fen)}）" if v.goods else "", v.seen, follow)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(VISIT_ROLE, v.id)
                self.visits.setItem(r, c, item)
        fit_columns(self.visits, self.visits.horizontalHeader(), VISIT_ONE_LINE, VISIT_COLUMN_MOST)
        self.visits.resizeRowsToContents()
        if h.visits:
            self.visits.selectRow(next((r for r, v in enumerate(h.visits) if v.id == keep), 0))

    def _fill_tasks(self, h: Household) -> None:
        self.tasks.clear()
        today = self.ctx.today()
        for t in h.tasks:
            if t.done_on is None:
                days = (t.due_on - today).days
                when = f"已逾期{overdue_for(t.due_on, today)}" if days < 0 else f"{format_cn(t.due_on)}前"
                text = f"☐ {t.title}　（{when}）"
            else:
                text = f"☑ {t.title}　（{format_cn(t.done_on)}办结{('：' + t.done_note) if t.done_note else ''}）"
            item = QListWidgetItem(text)
            item.setData(TASK_ROLE, t.id if t.done_on is None else None)
            if t.done_on is None and t.due_on < today:
                item.setForeground(QBrush(QColor("#a61b1b")))
            self.tasks.addItem(item)
        if not h.tasks:
            self.tasks.addItem("没有待办事项。走访时承诺跟进的事会自动列在这里。")

    # --- actions --------------------------------------------------------------------------------
    def make_visit_form(self) -> VisitForm:
        form = VisitForm(self.ctx, self.case_id, self)
        form.saved.connect(self._visit_saved)
        self.last_visit_form = form
        return form

    def do_visit(self) -> None:
        self.make_visit_form().open()

    def _visit_saved(self, result: VisitResult) -> None:
        self.last_result = result
        self._done()
        if result.opened_case_id:
            dialogs.inform(self, "已登记案件",
                           f"走访记录已保存，并已登记{result.opened_case_no}，与本户关联。接下来请在该案件中受理和办理。")
            self.openCase.emit(result.opened_case_id)

    def edit_form(self) -> HouseholdForm:
        """修改: the register form filled in as saved (its details and people; the list, cadres, visits and
        rhythm have their own actions)."""
        return HouseholdForm(self.ctx, self, case_id=self.case_id)

    def make_visit_edit_form(self, visit_id: int) -> VisitForm:
        """The visit form filled in with a saved visit, to correct it."""
        _h, v = households.visit(self.ctx, visit_id)
        form = VisitForm(self.ctx, self.case_id, self)
        form.start_correcting(v)
        form.corrected.connect(self._corrected)
        self.last_visit_form = form
        return form

    def edit_selected_visit(self) -> VisitForm | None:
        visit_id = self.selected_visit_id()
        if visit_id is None:
            dialogs.inform(self, "修改走访", "请先在“走访记录”中选中一次走访。")
            return None
        if not self.can_correct():
            dialogs.inform(self, "修改走访", "您的账号没有权限修改这类案件。")
            return None
        form = self.make_visit_edit_form(visit_id)
        form.open()
        return form

    def make_rhythm_dialog(self) -> ActionDialog:
        h = self.household
        d = ActionDialog("走访周期", "按周期排出走访计划；月末、闰年自动顺延到当月最后一天。"
                         "起算日期即第一次（或下一次）计划走访的日期。", self)
        last = h.visits[0].visited_on if h.visits else self.ctx.today()
        edit = RhythmEdit(last)
        if h.rhythm:
            edit.set_rhythm(h.rhythm)
        d.add("rhythm", "走访周期", edit, True)
        d.on_ok(lambda: households.set_rhythm(self.ctx, self.case_id, edit.value()))
        d.accepted.connect(self._done)
        self._rhythm_edit = edit
        return d

    def make_cadre_dialog(self) -> ActionDialog:
        current = self.household.current_cadre
        intro = (f"现任帮扶责任人：{current.name}（自{format_cn(current.from_date)}起）。"
                 "更换后原记录保留在变更记录中。" if current else "登记帮扶责任人。")
        d = ActionDialog("更换帮扶责任人" if current else "帮扶责任人", intro, self)
        name = QLineEdit()
        unit = QLineEdit()
        level = combo(rules.CADRE_LEVELS, editable=True)
        level.setEditText("")
        phone = QLineEdit()
        start = date_edit(self.ctx.today())
        d.add("name", "姓名", name, True)
        d.add("unit", "工作单位", unit)
        d.add("level", "职务/级别", level)
        d.add("phone", "联系电话", phone)
        d.add("from_date", "开始帮扶日期", start, True)
        take_at_most(d.form, rules.CADRE_LIMITS)
        d.on_ok(lambda: households.change_cadre(self.ctx, self.case_id, Cadre(
            name=name.text(), unit=unit.text(), level=combo_value(level), phone=phone.text(),
            from_date=qdate_to_date(start.date()))))
        d.accepted.connect(self._done)
        return d

    def make_measure_dialog(self) -> ActionDialog:
        d = ActionDialog("添加帮扶措施", "", self)
        kind = combo(rules.MEASURES, editable=True)
        kind.setEditText("")
        detail = QPlainTextEdit()
        detail.setMaximumHeight(70)
        unit = QLineEdit()
        on = date_edit(self.ctx.today())
        amount = money_field()
        benefit = QLineEdit()
        d.add("kind", "措施", kind, True)
        d.add("detail", "具体内容", detail, True)
        d.add("helping_unit", "帮扶单位", unit)
        d.add("on_date", "日期", on, True)
        d.add("amount", "资金（元）", amount)
        d.add("benefit", "实际受益", benefit)
        take_at_most(d.form, rules.MEASURE_LIMITS)

        def run() -> None:
            errors: dict[str, str] = {}
            fen = money_value(amount, "amount", errors)
            if errors:
                raise ValidationError(errors)
            households.add_measure(self.ctx, self.case_id, Measure(
                kind=combo_value(kind), detail=detail.toPlainText(), helping_unit=unit.text(),
                on_date=qdate_to_date(on.date()), amount_fen=fen, benefit=benefit.text()))

        d.on_ok(run)
        d.accepted.connect(self._done)
        return d

    def make_lift_dialog(self) -> ActionDialog:
        d = ActionDialog("标记脱贫", "脱贫后仍按走访周期继续走访（脱贫不脱帮扶），直到退出名单。", self)
        on = date_edit(self.ctx.today())
        note = QLineEdit()
        d.add("lifted_on", "脱贫日期", on, True)
        d.add("note", "说明", note)
        d.on_ok(lambda: households.lift(self.ctx, self.case_id, qdate_to_date(on.date()), note.text()))
        d.accepted.connect(self._done)
        return d

    def make_exit_dialog(self) -> ActionDialog:
        d = ActionDialog("退出名单", "退出后不再列入走访计划，已有记录全部保留。", self)
        on = date_edit(self.ctx.today())
        reason = QLineEdit()
        reason.setPlaceholderText("如 稳定脱贫满三年、迁出本县、年满16周岁")
        d.add("exited_on", "退出日期", on, True)
        d.add("exit_reason", "退出原因", reason, True)
        take_at_most(d.form, rules.LIMITS)
        d.on_ok(lambda: households.exit_(self.ctx, self.case_id, qdate_to_date(on.date()), reason.text()))
        d.accepted.connect(self._done)
        return d

    def make_resume_dialog(self) -> ActionDialog:
        d = ActionDialog("恢复帮扶", "恢复为“帮扶中”，重新列入走访计划。", self)
        note = QLineEdit()
        d.add("note", "说明", note)
        d.on_ok(lambda: households.resume(self.ctx, self.case_id, note.text()))
        d.accepted.connect(self._done)
        return d

    def add_note(self, text: str) -> None:
        households.add_note(self.ctx, self.case_id, text)

    def make_task_dialog(self) -> ActionDialog:
        d = ActionDialog("添加待办", "", self)
        title = QLineEdit()
        due = date_edit(self.ctx.today())
        due.setMaximumDate(due.date().addYears(2))
        due.setDate(due.date().addDays(7))
        d.add("title", "要办的事", title, True)
        take_at_most(d.form, rules.TASK_LIMITS)
        d.add("due_on", "办理期限", due, True)
        d.on_ok(lambda: households.add_task(self.ctx, self.case_id, title.text(), qdate_to_date(due.date())))
        d.accepted.connect(self._done)
        return d

    def make_task_done_dialog(self, task_id: int) -> ActionDialog:
        task = next(t for t in self.household.tasks if t.id == task_id)
        d = ActionDialog("待办办结", f"“{task.title}”", self)
        on = date_edit(self.ctx.today())
        note = QLineEdit()
        d.add("done_on", "办结日期", on, True)
        d.add("note", "办理结果", note)
        max_length(note, rules.TASK_LIMITS["done_note"][1])
        d.on_ok(lambda: households.complete_task(self.ctx, task_id, qdate_to_date(on.date()), note.text()))
        d.accepted.connect(self._done)
        return d

    def _task_done_selected(self) -> None:
        item = self.tasks.currentItem()
        task_id = item.data(TASK_ROLE) if item else None
        if not task_id:
            dialogs.inform(self, "待办办结", "请先选中一项未办结的待办事项。")
            return
        self.make_task_done_dialog(int(task_id)).open()

    # --- printing -------------------------------------------------------------------------------
    def visit_attachments(self) -> QDialog | None:
        """The selected visit's 附件 (its own section: the household's photos stay on the household's tab)."""
        visit_id = self.selected_visit_id()
        if visit_id is None:
            dialogs.inform(self, "走访的附件", "请先在“走访记录”中选中一次走访。")
            return None
        from ..cases.attachments_section import AttachmentsSection

        d = QDialog(self)
        d.setWindowTitle("走访的附件")
        d.resize(760, 360)
        layout = QVBoxLayout(d)
        section = AttachmentsSection(self.ctx, self.case_id, visit_id, d)
        section.changed.connect(self._done)
        layout.addWidget(section, 1)
        d.section = section  # type: ignore[attr-defined]
        self.last_visit_attachments = d
        d.open()
        return d

    def selected_visit_id(self) -> int | None:
        item = self.visits.item(self.visits.currentRow(), 0) if self.visits.currentRow() >= 0 else None
        return int(item.data(VISIT_ROLE)) if item is not None else None

    def print_selected_visit(self) -> PdfPreview | None:
        visit_id = self.selected_visit_id()
        if visit_id is None:
            dialogs.inform(self, "打印", "请先在“走访记录”中选中一次走访。")
            return None
        return self.print_visit(visit_id)

    def print_visit(self, visit_id: int) -> PdfPreview | None:
        self.last_preview = open_preview(self, lambda: household_printing.print_visit(self.ctx, visit_id))
        return self.last_preview
