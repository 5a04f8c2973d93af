"""One mediation: its parties, sessions and investigations, outcome and agreement, return visits; the
actions its status allows; a print menu with each document of the file and the whole file."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain import deadlines
from ...domain import mediation as rules
from ...domain.dates import format_cn
from ...domain.errors import FulianError, ValidationError
from ...domain.mediation import Agreement, AgreementItem, Closing, Investigation, Mediation, ReturnVisit, Session
from ...domain.statuses import status_label
from ...services import mediations, signatures
from ...services.context import Context
from ..cases import case_page
from ..cases.action_dialog import ActionDialog
from ..cases.case_page import CaseView
from ..cases.signing import make_sign_dialog
from ..shell import dialogs
from ..shell.date_field import DateField, date_edit, qdate_to_date
from ..shell.pdf_preview import PdfPreview, open_preview
from ..shell.widgets import combo, combo_value, max_length, set_combo
from .mediation_form import MediationForm

RED, AMBER, GREEN, GREY = "#a61b1b", "#9a6700", "#1f6f43", "#52606d"
TEXT_HEIGHT = 72  # the height of a text box in the action dialogs (a dialog must fit a laptop screen)
CORRECT_INTRO = "改正这份记录中的错误，保存时只记下改动的内容，办理经过会记下改了什么。"


def _e(text: str) -> str:
    return html.escape(text or "").replace("\n", "<br>")


def _row(label: str, value: str) -> str:
    return (f"<tr><th align='right' valign='top' style='color:{GREY};padding:3px 8px;white-space:nowrap'>"
            f"{label}</th><td style='padding:3px 8px'>{value}</td></tr>")


def _heading(text: str) -> str:
    return f"<tr><td colspan=2 style='padding-top:10px'><b>{text}</b></td></tr>"


def _badge(text: str, color: str = RED) -> str:
    return f" <span style='background:{color};color:white;padding:1px 4px'>&nbsp;{text}&nbsp;</span>"


W = TypeVar("W", bound=QWidget)


def _add(d: ActionDialog, name: str, label: str, editor: W, required: bool = False) -> W:
    """Add a field to an action dialog and give back the editor with its own type."""
    d.add(name, label, editor, required)
    return editor


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _text_box(text: str = "", placeholder: str = "", height: int = TEXT_HEIGHT) -> QPlainTextEdit:
    w = QPlainTextEdit(text)
    w.setPlaceholderText(placeholder)
    w.setFixedHeight(height)
    return w


def _reason_field(d: ActionDialog, grounds: list[str]) -> QLineEdit:
    """更正原因 at the foot of a dialog that corrects a record: needed when something official rests on it
    (`grounds`, in words: 协议已签订, 已打印 …; the service says so next to it if it is missing)."""
    reason = _add(d, "reason", "更正原因", QLineEdit(), bool(grounds))
    reason.setPlaceholderText(f"这件调解{'、'.join(grounds)}，须写明原因，如 笔误" if grounds else "如 登记错误（可不填）")
    return reason


def _free_date(value: dt.date) -> DateField:
    """A date that may lie in the future (a return visit to come)."""
    return DateField(value)


class ItemsEditor(QWidget):
    """The agreement's items, one block each: what is agreed on its own line, then how, by when and
    where it is performed; add and remove items."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.list = QVBoxLayout()
        self.list.setSpacing(6)
        outer.addLayout(self.list)
        self.add_button = QPushButton("添加一项")
        outer.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.rows: list[tuple[QLabel, QLineEdit, QLineEdit, QLineEdit, QLineEdit, QPushButton]] = []
        self._blocks: list[QWidget] = []

    def add_row(self, item: AgreementItem | None = None) -> tuple[QLineEdit, QLineEdit, QLineEdit, QLineEdit]:
        block = QWidget()
        grid = QGridLayout(block)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        number = QLabel()
        content, how, due, place = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        for line, part in ((content, "content"), (how, "how"), (due, "due"), (place, "place")):
            max_length(line, rules.ITEM_LIMITS[part][1])
        content.setPlaceholderText("协议内容：做什么，如“男方每月支付抚养费800元”")
        how.setPlaceholderText("如：银行转账")
        due.setPlaceholderText("如：每月5日前")
        place.setPlaceholderText("可不填")
        if item is not None:
            content.setText(item.content)
            how.setText(item.how)
            due.setText(item.due)
            place.setText(item.place)
        remove = QPushButton("删除")
        grid.addWidget(number, 0, 0)
        grid.addWidget(content, 0, 1, 1, 6)
        grid.addWidget(remove, 0, 7)
        for c, (text, edit) in enumerate((("履行方式", how), ("履行期限", due), ("履行地点", place))):
            grid.addWidget(QLabel(f"<span style='color:{GREY}'>{text}</span>"), 1, 1 + 2 * c)
            grid.addWidget(edit, 1, 2 + 2 * c)
        for col in (2, 4, 6):
            grid.setColumnStretch(col, 1)
        row = (number, content, how, due, place, remove)
        remove.clicked.connect(lambda: self._remove(row, block))
        self.rows.append(row)
        self._blocks.append(block)
        self.list.addWidget(block)
        self._renumber()
        return content, how, due, place

    def _remove(self, row: tuple[QLabel, QLineEdit, QLineEdit, QLineEdit, QLineEdit, QPushButton],
                block: QWidget) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self._blocks.remove(block)
            block.setParent(None)
            block.deleteLater()
            self._renumber()

    def _renumber(self) -> None:
        for r, row in enumerate(self.rows, 1):
            row[0].setText(f"<b>{r}.</b>")

    def items(self) -> list[AgreementItem]:
        return [AgreementItem(content=c.text(), how=h.text(), due=d.text(), place=p.text())
                for _n, c, h, d, p, _b in self.rows]

    def set_items(self, items: list[AgreementItem]) -> None:
        for row, block in list(zip(self.rows, self._blocks, strict=True)):
            self._remove(row, block)
        for item in items:
            self.add_row(item)
        if not self.rows:
            self.add_row()


def _item_errors(errors: dict[str, str]) -> dict[str, str]:
    """The rules key an item's problem by its line (agreement.items.2): show them all under the table."""
    out = {k: v for k, v in errors.items() if not k.startswith("agreement.items.")}
    lines = [v for k, v in sorted(errors.items()) if k.startswith("agreement.items.")]
    if lines:
        out["agreement.items"] = "；".join([out.get("agreement.items", ""), *lines]).strip("；")
    return out


class MediationView(CaseView):
    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.last_preview: PdfPreview | None = None
        self.session_button = QPushButton("记录调解")
        self.investigation_button = QPushButton("记录调查")
        self.close_button = QPushButton("结案…")
        self.close_button.setToolTip("和好、达成调解协议、当事人自行和解、调解不成或终止调解")
        self.records_button = QPushButton("修改记录")  # a session, an investigation, the agreement, a return visit
        self.records_button.setToolTip("更正已保存的调解记录、调查记录、调解协议或回访记录")
        self.records_menu = QMenu(self)
        self.records_button.setMenu(self.records_menu)
        self.schedule_button = QPushButton("安排回访")
        self.visit_button = QPushButton("记录回访")
        self.filing_button = QPushButton("立卷")
        self.sign_button = QPushButton("当场签名")  # the agreement's parties, a return visit's party (签名板)
        self.sign_button.setToolTip("当事人用手写板、触摸屏或鼠标在调解协议书或回访记录上签名")
        self.sign_menu = QMenu(self)
        self.sign_button.setMenu(self.sign_menu)
        self.print_button = QPushButton("打印")  # a button like the others; its menu brings its own arrow
        self.print_button.setToolTip("打印这件调解的一份文书，或整本卷宗")
        self.print_menu = QMenu(self)
        self.print_actions: dict[str, QAction] = {}
        for key, title in rules.DOCUMENTS:
            action = self.print_menu.addAction(title)
            action.triggered.connect(lambda _=False, k=key: self.print_document(k))
            self.print_actions[key] = action
        self.print_menu.addSeparator()
        self.dossier_action = self.print_menu.addAction("整本卷宗（封面、目录和全部文书）")
        self.dossier_action.triggered.connect(lambda: self.printRequested.emit(self.case_id))
        self.print_button.setMenu(self.print_menu)
        self.add_action_bar((self.session_button, self.investigation_button, self.close_button,
                             self.records_button, self.schedule_button, self.visit_button, self.filing_button,
                             self.sign_button, self.note_button), (self.print_button,))

        self.tabs = QTabWidget()
        self.overview = QTextBrowser()
        self.sessions = QTextBrowser()
        self.investigations = QTextBrowser()
        self.outcome = QTextBrowser()
        self.visits = QTextBrowser()
        for w, title in ((self.overview, "概况"), (self.sessions, "调解记录"), (self.investigations, "调查记录"),
                         (self.outcome, "结果与协议"), (self.visits, "回访")):
            w.setOpenLinks(False)
            self.tabs.addTab(w, title)
        self.add_body(self.tabs)

        self.session_button.clicked.connect(lambda: self.make_session_dialog().open())
        self.investigation_button.clicked.connect(lambda: self.make_investigation_dialog().open())
        self.close_button.clicked.connect(lambda: self.make_close_dialog().open())
        self.schedule_button.clicked.connect(lambda: self.make_schedule_dialog().open())
        self.visit_button.clicked.connect(lambda: self.make_visit_dialog().open())
        self.filing_button.clicked.connect(lambda: self.make_filing_dialog().open())
        self.mediation: Mediation
        self.reload()

    @property
    def title(self) -> str:
        return f"{self.mediation.case_no} {rules.names(self.mediation.applicants)}"

    # --- correcting -----------------------------------------------------------------------------
    def edit_form(self) -> MediationForm | None:
        """修改: the form that opened the mediation, filled in as saved (until the file is closed)."""
        m = mediations.get(self.ctx, self.case_id)
        try:
            rules.check_correctable(m)
        except FulianError as e:
            dialogs.inform(self, "修改", e.message)
            return None
        form = MediationForm(self.ctx, self)
        form.start_correcting(m)
        return form

    def _fill_records_menu(self, m: Mediation) -> None:
        """修改记录: each session, investigation, the agreement and each return visit, to correct."""
        menu = self.records_menu
        menu.clear()
        for s in m.sessions:
            menu.addAction(f"第{s.number}次调解记录（{format_cn(s.held_on)}）").triggered.connect(
                lambda _=False, x=s: self.make_session_dialog(x).open())
        for inv in m.investigations:
            menu.addAction(f"第{inv.number}次调查记录（{format_cn(inv.held_on)}，{inv.subject}）").triggered.connect(
                lambda _=False, x=inv: self.make_investigation_dialog(x).open())
        if m.agreement is not None:
            menu.addAction("调解协议").triggered.connect(lambda: self.make_agreement_dialog().open())
        for v in m.done_visits:
            menu.addAction(f"{format_cn(v.visited_on)}的回访记录（{v.method}）").triggered.connect(
                lambda _=False, x=v: self.make_visit_dialog(x).open())
        for v in m.pending_visits:
            menu.addAction(f"回访安排（计划于{format_cn(v.due_on)}）").triggered.connect(
                lambda _=False, x=v: self.make_schedule_dialog(x).open())
        filed = m.filed_on is not None
        self.records_button.setVisible(self.can_correct())
        self.records_button.setEnabled(not filed and not menu.isEmpty())
        self.records_button.setToolTip(
            "已立卷归档，卷内材料不能再修改" if filed else
            "还没有调解记录、调查记录、协议或回访" if menu.isEmpty() else
            "更正已保存的调解记录、调查记录、调解协议或回访记录")
        self.correct_button.setEnabled(not filed)
        self.correct_button.setToolTip("已立卷归档，卷内材料不能再修改" if filed else "更正已保存的内容（Ctrl+E）")

    # --- showing --------------------------------------------------------------------------------
    def reload(self) -> None:
        m = mediations.get(self.ctx, self.case_id)
        self.mediation = m
        today = self.ctx.today()
        self.header.setText(self._header_html(m, today))
        is_open = m.is_open
        self.session_button.setEnabled(is_open)
        self.investigation_button.setEnabled(is_open)
        self.close_button.setEnabled(is_open)
        self._fill_records_menu(m)
        self._fill_sign_menu(m)
        for b in (self.schedule_button, self.visit_button, self.filing_button):
            b.setEnabled(not is_open)
            b.setToolTip("调解结束后才能" + b.text() if is_open else "")
        self.print_actions["agreement"].setEnabled(m.agreement is not None)
        self.overview.setHtml(self._overview_html(m))
        self.sessions.setHtml(self._sessions_html(m))
        self.investigations.setHtml(self._investigations_html(m))
        self.outcome.setHtml(self._outcome_html(m, today))
        self.visits.setHtml(self._visits_html(m, today))
        self.tabs.setTabText(1, f"调解记录（{len(m.sessions)}）")
        self.tabs.setTabText(2, f"调查记录（{len(m.investigations)}）")
        self.tabs.setTabText(4, f"回访（{len(m.visits)}）")
        case_page.fill_timeline(self.timeline, m.timeline)
        case_page.fill_related(self.related, self.ctx, self.case_id, m.links,
                               [(party.person, f"{party.person.name}：") for party in m.parties])

    # --- signing on screen ------------------------------------------------------------------------
    def _fill_sign_menu(self, m: Mediation) -> None:
        """当场签名: the agreement (its parties), each return visit recorded (its party)."""
        menu = self.sign_menu
        menu.clear()
        # a signature given to an earlier wording (corrected since) no longer counts: she signs again
        signed = {s.part for s in signatures.of_case(self.ctx, self.case_id) if signatures.still_current(self.ctx, s)}
        if m.agreement is not None:
            done = sum(1 for p in m.parties if f"party:{p.person.id}" in signed)
            a = menu.addAction(f"调解协议书（已签{done}/{len(m.parties)}人）")
            a.triggered.connect(lambda: self.make_sign_dialog("mediation.agreement").open())
        for v in m.visits:
            if v.done and v.id is not None:
                mark = "（已签）" if any(p.startswith(f"visit:{v.id}:") for p in signed) else ""
                a = menu.addAction(f"回访记录　{format_cn(v.visited_on)}{mark}")
                a.triggered.connect(lambda _=False, vid=v.id: self.make_sign_dialog("mediation.visit",
                                                                                    f"visit:{vid}").open())
        self.sign_button.setEnabled(bool(menu.actions()) and self.ctx.may("mediation.write"))
        self.sign_button.setToolTip("当事人用手写板、触摸屏或鼠标在调解协议书或回访记录上签名"
                                    if menu.actions() else "达成调解协议或记录回访后，当事人可在此当场签名")

    def make_sign_dialog(self, document: str, part: str = "") -> ActionDialog:
        title = "调解协议书" if document == "mediation.agreement" else "回访记录"
        lines = [(s.part, s.name, s.line) for s in signatures.signers(self.ctx, self.case_id, document, part)]

        def keep(line: str, name: str, png: bytes) -> None:
            signatures.sign(self.ctx, self.case_id, document, line, name, png)

        d = make_sign_dialog(self, f"当场签名：{title}", f"请当事人核对{title}的内容后，在下面的框内签名。", lines, keep)
        d.accepted.connect(self._done)
        self.last_sign_dialog = d
        return d

    def _header_html(self, m: Mediation, today: dt.date) -> str:
        parts = [f"<span style='font-size:16pt;font-weight:bold'>{html.escape(m.case_no)}</span>　"
                 f"<span style='font-size:12pt'>{html.escape(m.title)}</span>　"
                 f"<span style='font-size:12pt;font-weight:bold'>{status_label('mediation', m.status)}</span>"]
        line = []
        days = rules.duration_days(m, today)
        if m.is_open:
            d = deadlines.Deadline("完成调解", rules.conclude_by(m.received_on))
            state = d.state(today)
            color = {"overdue": RED, "due_soon": AMBER}.get(state, GREEN)
            line.append(f"<span style='color:{color};font-weight:bold'>{d.describe(today)}"
                        f"（{format_cn(d.due_on)}）</span>")
            line.append(f"已调解{days}天")
        else:
            line.append(f"调解历时{days}天（{format_cn(m.received_on)}至{format_cn(m.outcome_on)}）")
        if rules.overlong(m, today):
            line.append(_badge("超过一个月"))
        if m.agreement and m.agreement.confirmation_deadline:
            line.append(self._confirmation_text(m.agreement.confirmation_deadline, today))
        pending = m.pending_visits
        if pending:
            v = deadlines.Deadline("回访", pending[0].due_on)
            color = {"overdue": RED, "due_soon": AMBER}.get(v.state(today), GREEN)
            line.append(f"<span style='color:{color}'>{v.describe(today)}（{format_cn(v.due_on)}）</span>")
        parts.append("　".join(line))
        return "<br>".join(parts)

    @staticmethod
    def _confirmation_text(deadline: dt.date, today: dt.date) -> str:
        left = (deadline - today).days
        if left < 0:
            return f"<span style='color:{GREY}'>申请司法确认的期限已过（{format_cn(deadline)}）</span>"
        return (f"<span style='color:{AMBER if left <= 7 else GREEN}'>可于{format_cn(deadline)}前共同申请"
                f"司法确认（还有{left}天）</span>")

    def _overview_html(self, m: Mediation) -> str:
        out = ["<table cellspacing=0>", _heading("调解信息")]
        out.append(_row("受理日期", format_cn(m.received_on)))
        out.append(_row("纠纷来源", html.escape(m.source)))
        out.append(_row("纠纷类型", html.escape(m.dispute_type)))
        out.append(_row("当事人关系", html.escape(m.relationship)))
        out.append(_row("乡镇 / 村", html.escape(" ".join(x for x in (m.township, m.village) if x))))
        out.append(_row("人民调解员", html.escape(m.mediator_names)))
        out.append(_row("登记人", html.escape(m.registrar)))
        titles = []
        for side in rules.SIDES:
            mine = [p for p in m.parties if p.side == side]
            titles += [rules.SIDES[side] + (f"（{i}）" if len(mine) > 1 else "") for i in range(1, len(mine) + 1)]
        for title, party in zip(titles, m.applicants + m.respondents, strict=True):
            p = party.person
            age = party.age(m.received_on)
            out.append(_heading(f"{title}　{html.escape(p.name)}"))
            out.append(_row("性别 / 民族", html.escape(" / ".join(x for x in (p.sex, p.ethnicity) if x))))
            out.append(_row("年龄", f"{age}岁" if age is not None else ""))
            out.append(_row("职业或职务", html.escape(party.occupation)))
            out.append(_row("联系方式", html.escape(p.phone)))
            out.append(_row("单位或住址", html.escape(p.address)))
            if p.id_number:
                out.append(_row("身份证号", html.escape(p.id_number)))
        out.append(_heading("纠纷简要情况"))
        out.append(f"<tr><td colspan=2 style='padding:3px 8px'>{_e(m.facts)}</td></tr>")
        if m.request:
            out.append(_heading("申请事项"))
            out.append(f"<tr><td colspan=2 style='padding:3px 8px'>{_e(m.request)}</td></tr>")
        out.append("</table>")
        return "".join(out)

    def _sessions_html(self, m: Mediation) -> str:
        if not m.sessions:
            return f"<p style='color:{GREY}'>还没有调解记录。点“记录调解”记下每一次调解的经过。</p>"
        out = []
        for s in reversed(m.sessions):
            out.append(f"<h3>第{s.number}次调解　{format_cn(s.held_on)}　{html.escape(s.place)}</h3><table>")
            out.append(_row("调解员 / 记录人", html.escape(f"{s.mediators} / {s.recorder}")))
            out.append(_row("到场当事人", html.escape(s.present)))
            if s.others:
                out.append(_row("其他参加人员", html.escape(s.others)))
            out.append(_row("告知权利义务", "已告知" if s.explained else "未告知"))
            out.append(_row("申请人陈述", _e(s.applicant_said)))
            out.append(_row("被申请人陈述", _e(s.respondent_said)))
            if s.facts_found:
                out.append(_row("查明的事实", _e(s.facts_found)))
            out.append(_row("结果", f"<b>{html.escape(s.result)}</b>：{_e(s.result_detail)}"))
            out.append("</table>")
        return "".join(out)

    def _investigations_html(self, m: Mediation) -> str:
        if not m.investigations:
            return f"<p style='color:{GREY}'>还没有调查记录。向邻居、亲属、村干部了解情况后，点“记录调查”。</p>"
        out = []
        for inv in reversed(m.investigations):
            who = inv.subject + (f"（{inv.subject_role}）" if inv.subject_role else "")
            out.append(f"<h3>第{inv.number}次调查　{format_cn(inv.held_on)}　{html.escape(inv.place)}</h3><table>")
            out.append(_row("被调查人", html.escape(who)))
            out.append(_row("调查人 / 记录人", html.escape(f"{inv.investigator} / {inv.recorder}")))
            out.append(_row("调查内容", _e(inv.content)))
            out.append("</table>")
        return "".join(out)

    def _outcome_html(self, m: Mediation, today: dt.date) -> str:
        if m.is_open:
            return (f"<p style='color:{GREY}'>调解尚未结束。调解一般应在一个月内结束"
                    f"（{format_cn(rules.conclude_by(m.received_on))}前）。结束时点“结案…”，选择和好、达成调解协议、"
                    "当事人自行和解、调解不成或终止调解。</p>")
        out = ["<table cellspacing=0>", _heading("调解结果")]
        out.append(_row("结果", f"<b>{rules.OUTCOMES.get(m.outcome, m.outcome)}</b>"))
        out.append(_row("日期", format_cn(m.outcome_on)))
        days = rules.duration_days(m, today)
        out.append(_row("调解历时", f"{days}天" + (_badge("超过一个月") if rules.overlong(m, today) else "")))
        if m.outcome_note:
            out.append(_row(rules.OUTCOME_NOTE_LABELS.get(m.outcome, "说明"), _e(m.outcome_note)))
        if m.failed_route:
            out.append(_row("引导的途径", html.escape(m.failed_route)))
        a = m.agreement
        if a is not None:
            out.append(_heading("人民调解协议书"))
            out.append(_row("纠纷主要事实、争议事项", _e(a.facts)))
            out.append(_row("各方当事人的责任", _e(a.duties)))
            items = "".join(
                f"<tr><td valign='top' style='padding:3px 6px'>{i}.</td><td style='padding:3px 6px'>"
                f"{_e(it.content)}<br><span style='color:{GREY}'>履行方式：</span>{_e(it.how)}　"
                f"<span style='color:{GREY}'>履行期限：</span>{_e(it.due)}"
                + (f"　<span style='color:{GREY}'>履行地点：</span>{_e(it.place)}" if it.place else "")
                + "</td></tr>"
                for i, it in enumerate(a.items, 1))
            out.append(_row("协议内容", f"<table>{items}</table>"))
            if a.confirmation_deadline:
                out.append(_row("司法确认", self._confirmation_text(a.confirmation_deadline, today)
                                + "（人民调解法第三十三条：双方当事人自协议生效之日起三十日内共同向人民法院申请）"))
        if m.filed_on or m.archivist:
            out.append(_heading("立卷"))
            out.append(_row("立卷人 / 日期", html.escape(f"{m.archivist} / {format_cn(m.filed_on)}")))
            out.append(_row("保管期限", html.escape(m.keep_period)))
        out.append("</table>")
        return "".join(out)

    def _visits_html(self, m: Mediation, today: dt.date) -> str:
        if not m.visits:
            hint = "调解结束后，点“安排回访”。" if m.is_open else "还没有安排回访。点“安排回访”或直接“记录回访”。"
            return f"<p style='color:{GREY}'>{hint}</p>"
        out = []
        for v in m.pending_visits:
            d = deadlines.Deadline("回访", v.due_on)
            color = {"overdue": RED, "due_soon": AMBER}.get(d.state(today), GREEN)
            out.append(f"<p><b>待回访</b>　{format_cn(v.due_on)}　<span style='color:{color}'>{d.describe(today)}</span>"
                       + (f"　{html.escape(v.plan)}" if v.plan else "") + "</p>")
        for v in reversed(m.done_visits):
            flags = "".join(_badge(t) for t, on in (("新的矛盾", v.new_conflict), ("家庭暴力", v.violence),
                                                     ("已起诉", v.lawsuit)) if on)
            out.append(f"<h3>{format_cn(v.visited_on)}　{html.escape(v.method)}回访　{html.escape(v.visitor)}{flags}</h3>"
                       "<table>")
            out.append(_row("协议履行情况", html.escape(v.performance)))
            out.append(_row("当事人满意度", html.escape(v.satisfaction)))
            out.append(_row("回访情况", _e(v.findings)))
            if v.measures:
                out.append(_row("采取的措施", _e(v.measures)))
            out.append("</table>")
        return "".join(out)

    # --- printing -------------------------------------------------------------------------------
    def print_document(self, key: str) -> PdfPreview | None:
        from ...services import printing  # reportlab loads on the first print, not at start-up

        self.last_preview = open_preview(self, lambda: printing.print_document(self.ctx, self.case_id, key))
        return self.last_preview

    # --- actions --------------------------------------------------------------------------------
    def make_session_dialog(self, saved: Session | None = None) -> ActionDialog:
        """记录调解; with `saved`, the record of that session filled in, to correct it."""
        m = self.mediation
        last = saved or (m.sessions[-1] if m.sessions else None)
        if saved is None:
            d = ActionDialog(f"记录调解（第{len(m.sessions) + 1}次）",
                             "如实记录本次调解：到场的人、双方各自的说法、查明的事实，以及达成的一致或未达成的原因。", self)
        else:
            d = ActionDialog(f"修改第{saved.number}次调解记录", CORRECT_INTRO, self)
        d.setMinimumWidth(680)
        held_on = _add(d, "held_on", "调解日期", date_edit(self.ctx.today(), saved.held_on if saved else None), True)
        place = _add(d, "place", "调解地点", QLineEdit(last.place if last else ""), True)
        mediators = _add(d, "mediators", "调解员", QLineEdit(saved.mediators if saved else m.mediator_names), True)
        recorder = _add(d, "recorder", "记录人", QLineEdit(last.recorder if last else self.ctx.staff), True)
        present = _add(d, "present", "到场当事人", QLineEdit(
            saved.present if saved else "、".join(p.person.name for p in m.parties)), True)
        others = _add(d, "others", "其他参加人员", QLineEdit(saved.others if saved else ""))
        explained = _add(d, "explained", "告知", QCheckBox("已告知当事人在调解活动中的权利义务及相关风险"))
        explained.setChecked(saved.explained if saved else True)
        applicant_said = _add(d, "applicant_said", "申请人陈述", _text_box(saved.applicant_said if saved else ""), True)
        respondent_said = _add(d, "respondent_said", "被申请人陈述",
                               _text_box(saved.respondent_said if saved else ""), True)
        facts_found = _add(d, "facts_found", "查明的事实", _text_box(saved.facts_found if saved else "", height=52))
        result = _add(d, "result", "本次结果", combo(rules.SESSION_RESULTS, empty="（请选择）"), True)
        detail = _add(d, "result_detail", "结果说明", _text_box(
            saved.result_detail if saved else "", placeholder="达成一致的内容；或未达成的原因、告知的其他途径、下次调解的安排"),
            True)
        if saved is not None:
            set_combo(result, saved.result)
        reason = _reason_field(d, mediations.correction_grounds(self.ctx, self.case_id)) if saved is not None else None

        def ok() -> None:
            session = Session(
                held_on=qdate_to_date(held_on.date()), place=place.text(), mediators=mediators.text(),
                recorder=recorder.text(), present=present.text(), others=others.text(),
                explained=explained.isChecked(), applicant_said=applicant_said.toPlainText(),
                respondent_said=respondent_said.toPlainText(), facts_found=facts_found.toPlainText(),
                result=combo_value(result), result_detail=detail.toPlainText())
            if saved is None:
                mediations.add_session(self.ctx, self.case_id, session)
            else:
                assert saved.id is not None and reason is not None
                mediations.correct_session(self.ctx, self.case_id, saved.id, session, reason.text())

        d.on_ok(ok)
        d.accepted.connect(self._done)
        return d

    def make_investigation_dialog(self, saved: Investigation | None = None) -> ActionDialog:
        """记录调查; with `saved`, the record of that investigation filled in, to correct it."""
        m = self.mediation
        if saved is None:
            d = ActionDialog(f"记录调查（第{len(m.investigations) + 1}次）",
                             "向了解情况的人（邻居、亲属、村干部等）调查后记录：问了谁、问了什么、对方怎么说。", self)
        else:
            d = ActionDialog(f"修改第{saved.number}次调查记录", CORRECT_INTRO, self)
        d.setMinimumWidth(640)
        held_on = _add(d, "held_on", "调查日期", date_edit(self.ctx.today(), saved.held_on if saved else None), True)
        place = _add(d, "place", "调查地点", QLineEdit(saved.place if saved else ""), True)
        investigator = _add(d, "investigator", "调查人", QLineEdit(saved.investigator if saved else m.mediator_names),
                            True)
        recorder = _add(d, "recorder", "记录人", QLineEdit(saved.recorder if saved else self.ctx.staff))
        subject = _add(d, "subject", "被调查人", QLineEdit(saved.subject if saved else ""), True)
        subject_role = _add(d, "subject_role", "身份或关系", QLineEdit(saved.subject_role if saved else ""))
        subject_role.setPlaceholderText("如：邻居、申请人的母亲、村妇联主席")
        content = _add(d, "content", "调查内容", _text_box(saved.content if saved else "",
                                                             placeholder="问：……\n答：……", height=150), True)
        reason = _reason_field(d, mediations.correction_grounds(self.ctx, self.case_id)) if saved is not None else None

        def ok() -> None:
            inv = Investigation(
                held_on=qdate_to_date(held_on.date()), place=place.text(),
                investigator=investigator.text(), recorder=recorder.text(),
                subject=subject.text(), subject_role=subject_role.text(),
                content=content.toPlainText())
            if saved is None:
                mediations.add_investigation(self.ctx, self.case_id, inv)
            else:
                assert saved.id is not None and reason is not None
                mediations.correct_investigation(self.ctx, self.case_id, saved.id, inv, reason.text())

        d.on_ok(ok)
        d.accepted.connect(self._done)
        return d

    def _agreement_fields(self, d: ActionDialog, a: Agreement | None) -> tuple[QPlainTextEdit, QPlainTextEdit,
                                                                                ItemsEditor]:
        facts = _text_box(a.facts if a else self.mediation.facts,
                          "纠纷的主要事实和双方争议的事项")
        duties = _text_box(a.duties if a else "", "各方当事人对纠纷应负的责任", height=52)
        items = ItemsEditor()
        items.set_items(a.items if a else [])
        d.add("agreement.facts", "纠纷主要事实、争议事项", facts, True)
        d.add("agreement.duties", "各方当事人的责任", duties, True)
        d.add("agreement.items", "协议内容", items, True)
        return facts, duties, items

    def make_close_dialog(self) -> ActionDialog:
        today = self.ctx.today()
        d = ActionDialog("结案", "选择调解结果并写明情况。达成调解协议的，逐项写明协议内容、履行方式和期限"
                                 "（人民调解法第二十九条）。", self)
        d.setMinimumWidth(760)
        outcome = combo([], empty="（请选择）")
        for key, label in rules.OUTCOMES.items():
            outcome.addItem(label, key)
        d.add("outcome", "调解结果", outcome, True)
        on = date_edit(today)
        d.add("on", "结案日期", on, True)
        note = _text_box()
        d.add("note", "情况说明", note, True)
        route = combo(rules.FAILED_ROUTES, editable=True)
        route.setEditText("")
        d.add("failed_route", "引导的途径", route, True)
        facts, duties, items = self._agreement_fields(d, None)
        visit_row = QWidget()
        vl = QHBoxLayout(visit_row)
        vl.setContentsMargins(0, 0, 0, 0)
        visit_check = QCheckBox("安排第一次回访，日期")
        visit_on = _free_date(deadlines.add_days(today, rules.DEFAULT_VISIT_DAYS))
        vl.addWidget(visit_check)
        vl.addWidget(visit_on)
        vl.addStretch(1)
        d.add("visit_on", "回访", visit_row)
        edited = {"visit_on": False}  # a date the user chose is kept when the outcome date changes
        visit_on.dateChanged.connect(lambda _d: edited.update(visit_on=True))

        def on_changed() -> None:
            if edited["visit_on"]:
                return
            start = qdate_to_date(on.date())
            visit_on.blockSignals(True)
            visit_on.setDate(_qdate(deadlines.add_days(start, rules.DEFAULT_VISIT_DAYS)))
            visit_on.blockSignals(False)

        def outcome_changed() -> None:
            key = combo_value(outcome)
            agreed = key == "agreed"
            for name in ("agreement.facts", "agreement.duties", "agreement.items"):
                d.form.setRowVisible(d.form.boxes[name], agreed)
            d.form.setRowVisible(d.form.boxes["failed_route"], key == "failed")
            d.form.setRowVisible(d.form.boxes["note"], key != "agreed")
            label = d.form.labelForField(d.form.boxes["note"])
            if isinstance(label, QLabel):
                label.setText(rules.OUTCOME_NOTE_LABELS.get(key, "情况说明") + "<span style='color:#b3261e'>*</span>")
            on_label = d.form.labelForField(d.form.boxes["on"])
            if isinstance(on_label, QLabel):
                on_label.setText(("协议签订日期" if agreed else "结案日期") + "<span style='color:#b3261e'>*</span>")
            visit_check.setChecked(key in ("agreed", "reconciled", "self_settled"))
            d.adjustSize()

        outcome.currentIndexChanged.connect(outcome_changed)
        on.dateChanged.connect(lambda _d: on_changed())
        outcome_changed()

        def ok() -> None:
            key = combo_value(outcome)
            agreement = Agreement(facts=facts.toPlainText(), duties=duties.toPlainText(), items=items.items()) \
                if key == "agreed" else None
            closing = Closing(outcome=key, on=qdate_to_date(on.date()), note=note.toPlainText(),
                              failed_route=combo_value(route), agreement=agreement)
            try:
                mediations.close(self.ctx, self.case_id, closing,
                                 qdate_to_date(visit_on.date()) if visit_check.isChecked() else None)
            except ValidationError as e:
                raise ValidationError(_item_errors(e.errors)) from None

        d.on_ok(ok)
        d.accepted.connect(self._done)
        self.close_widgets = {"outcome": outcome, "on": on, "note": note, "route": route, "facts": facts,
                              "duties": duties, "items": items, "visit_check": visit_check, "visit_on": visit_on}
        return d

    def make_agreement_dialog(self) -> ActionDialog:
        d = ActionDialog("修改调解协议", "改正协议书中的错误。协议的日期不变；协议已签订，须写明更正原因，"
                                       "已打印、已签字的协议书须重新打印签字。", self)
        d.setMinimumWidth(760)
        facts, duties, items = self._agreement_fields(d, self.mediation.agreement)
        reason = _reason_field(d, mediations.correction_grounds(self.ctx, self.case_id))

        def ok() -> None:
            try:
                mediations.correct_agreement(self.ctx, self.case_id, Agreement(
                    facts=facts.toPlainText(), duties=duties.toPlainText(), items=items.items()), reason.text())
            except ValidationError as e:
                raise ValidationError(_item_errors(e.errors)) from None

        d.on_ok(ok)
        d.accepted.connect(self._done)
        return d

    def make_schedule_dialog(self, saved: ReturnVisit | None = None) -> ActionDialog:
        """安排回访; with `saved`, a return visit still to come, to move it or change its plan."""
        m = self.mediation
        if saved is not None:
            d = ActionDialog("修改回访安排", "改变这次回访的日期或回访事项。", self)
            due = _add(d, "due_on", "回访日期", _free_date(saved.due_on), True)
            plan = _add(d, "plan", "回访事项", QLineEdit(saved.plan))
            visit_id = saved.id
            assert visit_id is not None
            d.on_ok(lambda: mediations.correct_visit(self.ctx, self.case_id, visit_id, replace(
                saved, due_on=qdate_to_date(due.date()), plan=plan.text())))
            d.accepted.connect(self._done)
            return d
        d = ActionDialog("安排回访", "回访日期到了，工作台会提醒。", self)
        latest = max([v.due_on for v in m.visits] + [rules.default_visit_due(m)])
        due = _add(d, "due_on", "回访日期", _free_date(latest if m.visits else rules.default_visit_due(m)), True)
        if m.visits:
            due.setDate(_qdate(deadlines.add_days(latest, rules.DEFAULT_VISIT_DAYS)))
        plan = _add(d, "plan", "回访事项", QLineEdit())
        max_length(plan, rules.VISIT_LIMITS["plan"][1])
        plan.setPlaceholderText("如：了解抚养费是否按时支付")
        d.on_ok(lambda: mediations.schedule_visit(self.ctx, self.case_id, qdate_to_date(due.date()),
                                                  plan.text()))
        d.accepted.connect(self._done)
        return d

    def make_visit_dialog(self, saved: ReturnVisit | None = None) -> ActionDialog:
        """记录回访; with `saved`, the record of a return visit made, to correct it."""
        m = self.mediation
        if saved is None:
            d = ActionDialog("记录回访", "了解协议是否履行、当事人是否满意、有没有新的矛盾或家庭暴力，以及采取的措施。", self)
        else:
            d = ActionDialog(f"修改{format_cn(saved.visited_on)}的回访记录", CORRECT_INTRO, self)
        d.setMinimumWidth(640)
        which = combo([])
        for v in m.pending_visits:
            which.addItem(f"计划于{format_cn(v.due_on)}的回访" + (f"：{v.plan}" if v.plan else ""), v.id)
        which.addItem("（未安排的回访）", None)
        if saved is None:
            d.add("which", "这次回访", which)
        visited_on = _add(d, "visited_on", "回访日期", date_edit(self.ctx.today(), saved.visited_on if saved else None),
                          True)
        visitor = _add(d, "visitor", "回访人", QLineEdit(saved.visitor if saved else self.ctx.staff), True)
        method = _add(d, "method", "回访方式", combo(rules.VISIT_METHODS, empty="（请选择）"), True)
        performance = _add(d, "performance", "协议履行情况", combo(rules.PERFORMANCE, empty="（请选择）"), True)
        if m.agreement is None:
            set_combo(performance, "不适用")
        satisfaction = _add(d, "satisfaction", "当事人满意度", combo(rules.SATISFACTION, empty="（请选择）"), True)
        flags = QWidget()
        fl = QHBoxLayout(flags)
        fl.setContentsMargins(0, 0, 0, 0)
        new_conflict = QCheckBox("有新的矛盾")
        violence = QCheckBox("有家庭暴力")
        lawsuit = QCheckBox("已向法院起诉")
        for b in (new_conflict, violence, lawsuit):
            fl.addWidget(b)
        fl.addStretch(1)
        d.add("flags", "发现", flags)
        findings = _add(d, "findings", "回访情况", _text_box(saved.findings if saved else ""), True)
        measures = _add(d, "measures", "采取的措施", _text_box(saved.measures if saved else "", height=52))
        reason = None
        if saved is not None:
            for c, value in ((method, saved.method), (performance, saved.performance),
                             (satisfaction, saved.satisfaction)):
                set_combo(c, value)
            for b, on in ((new_conflict, saved.new_conflict), (violence, saved.violence), (lawsuit, saved.lawsuit)):
                b.setChecked(on)
            reason = _reason_field(d, mediations.correction_grounds(self.ctx, self.case_id))

        def ok() -> None:
            visit_id = which.currentData() if saved is None else saved.id
            due = next((v.due_on for v in m.visits if v.id == visit_id), qdate_to_date(visited_on.date()))
            visit = ReturnVisit(
                id=visit_id, due_on=due, visited_on=qdate_to_date(visited_on.date()),
                visitor=visitor.text(), method=combo_value(method),
                performance=combo_value(performance), satisfaction=combo_value(satisfaction),
                lawsuit=lawsuit.isChecked(), new_conflict=new_conflict.isChecked(), violence=violence.isChecked(),
                findings=findings.toPlainText(), measures=measures.toPlainText())
            if saved is None:
                mediations.record_visit(self.ctx, self.case_id, visit)
            else:
                assert saved.id is not None and reason is not None
                mediations.correct_visit(self.ctx, self.case_id, saved.id, visit, reason.text())

        d.on_ok(ok)
        d.accepted.connect(self._done)
        return d

    def make_filing_dialog(self) -> ActionDialog:
        m = self.mediation
        d = ActionDialog("立卷", "填写后印在卷宗封面和卷内备考表上。", self)
        archivist = _add(d, "archivist", "立卷人", QLineEdit(m.archivist or self.ctx.staff), True)
        filed_on = _add(d, "filed_on", "立卷日期", date_edit(self.ctx.today(), m.filed_on), True)
        keep = _add(d, "keep_period", "保管期限", combo(rules.KEEP_PERIODS), True)
        set_combo(keep, m.keep_period or rules.DEFAULT_KEEP_PERIOD)
        remarks = _add(d, "file_remarks", "备注", QLineEdit(m.file_remarks))
        d.on_ok(lambda: mediations.set_filing(
            self.ctx, self.case_id, archivist.text(), qdate_to_date(filed_on.date()),
            combo_value(keep), remarks.text()))
        d.accepted.connect(self._done)
        return d

    def add_note(self, text: str) -> None:
        mediations.add_note(self.ctx, self.case_id, text)
