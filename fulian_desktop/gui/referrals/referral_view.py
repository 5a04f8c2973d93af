"""One referral (legal aid or another service): its status and answer clock, the steps its status allows, its
timeline."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ...domain import referral as rules
from ...domain.dates import format_cn
from ...domain.money import format_yuan
from ...domain.referral import Consent, Referral
from ...domain.statuses import status_label
from ...services import referrals, signatures
from ...services.context import Context
from ..cases import case_page
from ..cases.action_dialog import ActionDialog
from ..cases.case_page import CaseView
from ..cases.signing import make_sign_dialog
from ..petitions.petition_view import _person_rows, _row, _text
from ..shell import dialogs
from ..shell.date_field import date_edit, qdate_to_date
from ..shell.pdf_preview import PdfPreview
from ..shell.widgets import busy, combo, combo_value, max_length, take_at_most
from .referral_form import CheckList, ReferralForm

OVERDUE = "#a61b1b"
DUE_SOON = "#9a6700"
OK = "#1f6f43"


def _badge(text: str, color: str) -> str:
    return f" <span style='background:{color};color:white;padding:1px 4px'>{html.escape(text)}</span>"


class ReferralView(CaseView):
    NOTE_HINT = "如 电话催问接收机构、她来电询问进展。"

    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.consent_button = QPushButton("登记本人同意")
        self.sign_button = QPushButton("本人签名")  # her consent signed on screen (签名板), printed on the letter
        self.sign_button.setToolTip("她用手写板、触摸屏或鼠标签名，表示同意转介；签名印在转介函的申请人签名处")
        self.accept_button = QPushButton("已受理")
        self.refuse_button = QPushButton("不予受理")
        self.assign_button = QPushButton("登记承办人")
        self.conclude_button = QPushButton("办结")
        self.withdraw_button = QPushButton("撤回")
        self.papers_button = QPushButton("移送材料")
        self.print_button = QPushButton("打印转介函")
        self.add_action_bar((self.consent_button, self.sign_button, self.accept_button, self.refuse_button, self.assign_button,
                             self.conclude_button, self.withdraw_button, self.papers_button, self.note_button),
                            (self.print_button,))
        self.add_body()

        self.consent_button.clicked.connect(lambda: self.make_consent_dialog().open())
        self.sign_button.clicked.connect(lambda: self.make_sign_dialog().open())
        self.accept_button.clicked.connect(lambda: self.make_accept_dialog().open())
        self.refuse_button.clicked.connect(lambda: self.make_refuse_dialog().open())
        self.assign_button.clicked.connect(lambda: self.make_assign_dialog().open())
        self.conclude_button.clicked.connect(lambda: self.make_conclude_dialog().open())
        self.withdraw_button.clicked.connect(lambda: self.make_withdraw_dialog().open())
        self.papers_button.clicked.connect(lambda: self.make_papers_dialog().open())
        self.print_button.clicked.connect(self.print_letter)
        self.last_preview: PdfPreview | None = None
        self.referral: Referral
        self.reload()

    @property
    def title(self) -> str:
        return f"{self.referral.case_no} {self.referral.applicant.name}"

    def make_sign_dialog(self) -> ActionDialog:
        """本人签名: her consent to the referral, signed on screen."""
        lines = [(s.part, s.name, s.line) for s in signatures.signers(self.ctx, self.case_id, "referral.consent")]

        def keep(part: str, name: str, png: bytes) -> None:
            signatures.sign(self.ctx, self.case_id, "referral.consent", part, name, png)

        d = make_sign_dialog(self, "本人签名：同意转介", "请她核对转介的内容（接收机构、请求的帮助、事情经过）后，"
                             "在下面的框内签名，表示同意将她的情况和材料提供给接收机构。", lines, keep)
        d.accepted.connect(self._done)
        self.last_sign_dialog = d
        return d

    def print_letter(self) -> None:
        """打印转介函: when the case has scans or photos attached, she is asked whether copies of them go with the
        letter (随函移送材料的复印件, after the letter); otherwise the letter alone."""
        n = referrals.copies_count(self.ctx, self.case_id) if self.referral.consent else 0
        if n:
            answer = dialogs.choose(self, "打印转介函", f"这件转介有{n}份附件（扫描件、照片或PDF）可以作为随函移送材料的"
                                    "复印件，印在转介函后面。\n要一并打印复印件吗？",
                                    ("附上复印件", "只打印转介函", "取消"))
            if answer == 2:
                return
            if answer == 0:
                from ...services import printing  # reportlab loads on the first print, not at start-up
                from ..shell.pdf_preview import open_preview

                with busy():
                    self.last_preview = open_preview(
                        self, lambda: printing.print_document(self.ctx, self.case_id, "copies"))
                return
        self.printRequested.emit(self.case_id)

    def clock(self) -> tuple[str, str]:
        """(text, state) of the 7-day clock: state is overdue / due_soon / ok / ''."""
        r = self.referral
        today = self.ctx.today()
        text = rules.clock_text(r, today)
        if rules.waiting_too_long(r, today):
            return text, "overdue"
        d = rules.current_deadline(r)
        if d is not None:
            return text, d.state(today)
        return text, "due_soon" if r.status == "awaiting_consent" else ""

    def reload(self) -> None:
        r = referrals.get(self.ctx, self.case_id)
        self.referral = r
        text, state = self.clock()
        color = {"overdue": OVERDUE, "due_soon": DUE_SOON, "ok": OK}.get(state, "#52606d")
        clock = f"<span style='color:{color};font-weight:bold'>{html.escape(text)}</span>" if text else ""
        flags = ""
        if r.exempt:
            flags += _badge("免予经济困难审查", OK)
        if "家庭暴力" in r.victim_of:
            flags += _badge("家庭暴力", OVERDUE)
        org = r.organisation.name if r.organisation else ""
        self.header.setText(
            f"<span style='font-size:16pt;font-weight:bold'>{html.escape(r.case_no)}</span>　"
            f"<span style='font-size:12pt'>{status_label('referral', r.status)}</span>　"
            f"{html.escape(r.service)}：转介至 {html.escape(org)}{flags}<br>{clock}"
        )
        s = r.status
        self.consent_button.setEnabled(s == "awaiting_consent")
        self.accept_button.setEnabled(s == "referred")
        self.refuse_button.setEnabled(s == "referred")
        self.assign_button.setEnabled(s == "accepted")
        self.conclude_button.setEnabled(s == "accepted")
        self.withdraw_button.setEnabled(s in rules.OPEN_STATUSES)
        self.papers_button.setEnabled(s in rules.OPEN_STATUSES)
        self.print_button.setToolTip("" if r.consent else "登记本人同意后才能打印转介函")
        self._fill_details(r)
        case_page.fill_timeline(self.timeline, r.timeline)
        case_page.fill_related(self.related, self.ctx, self.case_id, r.links, [(r.applicant, "")])

    def _fill_details(self, r: Referral) -> None:
        org = r.organisation
        parts = ["<table cellspacing=0>"]
        parts.append(_row("转介的服务", html.escape(r.service)))
        parts.append(_row("转介日期", format_cn(r.referred_on)))
        if org is not None:
            parts.append(_row("接收机构", html.escape(org.describe())))
        parts.append(_row("经办人", html.escape(" ".join(x for x in (r.staff, r.staff_phone) if x))))
        parts.append(_row("乡镇 / 村", html.escape(" ".join(x for x in (r.township, r.village) if x))))
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>申请人</b></td></tr>")
        parts.append(_person_rows(r.applicant))
        if r.occupation:
            parts.append(_row("职业或工作单位", html.escape(r.occupation)))
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>案件情况</b></td></tr>")
        parts.append(_row("纠纷事项", html.escape(r.matter)))
        if r.legal_aid:
            parts.append(_row("她在案件中的身份", html.escape(r.role)))
            parts.append(_row("案件所处阶段", html.escape(r.legal_state)))
        parts.append(_row("申请的帮助", html.escape(rules.join(r.help_kinds))))
        if r.opponent_name or r.opponent_relation:
            parts.append(_row("对方当事人", html.escape(
                r.opponent_name + (f"（{r.opponent_relation}）" if r.opponent_relation else ""))))
        parts.append(_row("案情和申请理由", _text(r.facts)))
        if r.request:
            parts.append(_row("诉求", _text(r.request)))
        if r.legal_aid:
            self._means_rows(r, parts)
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>移送材料与本人同意</b></td></tr>")
        self._answer_rows(r, parts)
        parts.append("</table>")
        self.details.setHtml("".join(parts))

    @staticmethod
    def _means_rows(r: Referral, parts: list[str]) -> None:
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>经济状况</b></td></tr>")
        if r.exempt:
            parts.append(_row("经济困难审查", f"<span style='color:{OK}'>{html.escape(rules.exemption_text(r.victim_of))}</span>"))
        else:
            parts.append(_row("经济困难的说明", html.escape(r.means)))
        if r.household_size:
            parts.append(_row("家庭人口", f"{r.household_size}人"))
        if r.household_income is not None:
            parts.append(_row("家庭年收入", format_yuan(r.household_income)))

    @staticmethod
    def _answer_rows(r: Referral, parts: list[str]) -> None:
        parts.append(_row("移送材料", html.escape(r.papers_text() or "（无）")))
        if r.consent:
            c = r.consent
            who = "本人" if c.by == "本人" else f"{c.by}（{c.name}）"
            parts.append(_row("本人同意", html.escape(f"{who}，{c.way}，{format_cn(c.on)}")))
        else:
            parts.append(_row("本人同意", f"<span style='color:{DUE_SOON}'>尚未登记——转介函不能打印</span>"))
        if r.answered_on or r.withdrawn_on:
            parts.append("<tr><td colspan=2 style='padding-top:8px'><b>答复与结果</b></td></tr>")
        if r.answered_on:
            parts.append(_row("答复日期", format_cn(r.answered_on) + "　" + html.escape(rules.answer_note(r, r.answered_on))))
        if r.lawyer:
            parts.append(_row("承办人", html.escape(" ".join(x for x in (r.lawyer, r.lawyer_phone) if x))))
        if r.refused_reason:
            parts.append(_row("不予受理理由", _text(r.refused_reason)))
        if r.withdrawn_on:
            parts.append(_row("撤回", html.escape(f"{format_cn(r.withdrawn_on)}：{r.withdrawn_reason}")))
        if r.concluded_on:
            parts.append(_row("办结", html.escape(f"{format_cn(r.concluded_on)}：{r.result}")))
            if r.result_note:
                parts.append(_row("情况说明", _text(r.result_note)))

    # --- actions --------------------------------------------------------------------------------
    def make_consent_dialog(self) -> ActionDialog:
        r = self.referral
        org = r.organisation.name if r.organisation else "接收机构"
        days = "七日" if r.legal_aid else f"{r.kind.answer_days}日"
        d = ActionDialog(
            "登记本人同意",
            f"请向她说明：转介会把她的姓名、身份证号、联系方式、住址和案情提供给{org}。"
            f"她同意后才能打印和发出转介函；{days}答复期从同意之日起计算。", self)
        on = d.add("consent_on", "同意日期", date_edit(self.ctx.today()), True)
        by = combo(rules.CONSENT_BY)
        name = QLineEdit()
        name.setPlaceholderText("由法定代理人或近亲属同意时填写，如 母亲 李某某")
        way = combo(rules.CONSENT_WAYS)
        d.add("consent_by", "由谁同意", by, True)
        d.add("consent_name", "同意人", name)
        d.add("consent_way", "同意方式", way, True)
        max_length(name, rules.CONSENT_LIMITS["name"][1])
        d.on_ok(lambda: referrals.record_consent(self.ctx, self.case_id, Consent(
            on=qdate_to_date(on.date()), by=combo_value(by), name=name.text(), way=combo_value(way))))
        d.accepted.connect(self._done)
        return d

    def make_accept_dialog(self) -> ActionDialog:
        d = ActionDialog("接收机构已受理", "按回执或电话答复登记。承办人可以以后再登记"
                         + ("（法律援助机构应在决定给予援助之日起三日内指派，法律援助法第四十四条）。"
                            if self.referral.legal_aid else "。"), self)
        on = d.add("answered_on", "受理日期", date_edit(self.ctx.today()), True)
        lawyer = QLineEdit()
        phone = QLineEdit()
        note = QLineEdit()
        d.add("lawyer", "承办人", lawyer)
        d.add("lawyer_phone", "承办人电话", phone)
        d.add("note", "备注", note)
        take_at_most(d.form, rules.LIMITS)
        d.on_ok(lambda: referrals.accept(self.ctx, self.case_id, qdate_to_date(on.date()), lawyer.text(),
                                         phone.text(), note.text()))
        d.accepted.connect(self._done)
        return d

    def make_refuse_dialog(self) -> ActionDialog:
        d = ActionDialog("接收机构不予受理", "请写明接收机构给出的理由。" + (
            "她对不予法律援助的决定有异议的，可以向设立该机构的司法行政部门提出（法律援助法第四十九条）。"
            if self.referral.legal_aid else "需要时可以另行转介其他机构。"), self)
        on = d.add("answered_on", "答复日期", date_edit(self.ctx.today()), True)
        reason = QPlainTextEdit()
        d.add("reason", "理由", reason, True)
        d.on_ok(lambda: referrals.refuse(self.ctx, self.case_id, reason.toPlainText(), qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def make_assign_dialog(self) -> ActionDialog:
        d = ActionDialog("登记承办人", "", self)
        lawyer = QLineEdit(self.referral.lawyer)
        phone = QLineEdit(self.referral.lawyer_phone)
        d.add("lawyer", "承办人", lawyer, True)
        d.add("lawyer_phone", "承办人电话", phone)
        d.on_ok(lambda: referrals.assign_lawyer(self.ctx, self.case_id, lawyer.text(), phone.text()))
        d.accepted.connect(self._done)
        return d

    def make_conclude_dialog(self) -> ActionDialog:
        r = self.referral
        d = ActionDialog("办结", "法律援助事项办理完毕后登记结果。" if r.legal_aid else
                         f"{r.service}的帮助提供完毕（或她不再需要）后登记结果。", self)
        on = d.add("concluded_on", "办结日期", date_edit(self.ctx.today()), True)
        result = combo(r.kind.results, empty="（请选择）")
        note = QPlainTextEdit()
        d.add("result", "办理结果", result, True)
        d.add("result_note", "情况说明", note)
        d.on_ok(lambda: referrals.conclude(self.ctx, self.case_id, combo_value(result), note.toPlainText(),
                                           qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def make_withdraw_dialog(self) -> ActionDialog:
        d = ActionDialog("撤回转介", "她本人不再申请、改由其他途径解决等情况下撤回。撤回后不能再打印转介函。", self)
        on = d.add("withdrawn_on", "撤回日期", date_edit(self.ctx.today()), True)
        reason = QPlainTextEdit()
        d.add("reason", "原因", reason, True)
        d.on_ok(lambda: referrals.withdraw(self.ctx, self.case_id, reason.toPlainText(), qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def make_papers_dialog(self) -> ActionDialog:
        d = ActionDialog("移送材料", "勾选随转介函交给接收机构的材料（她后来补交的也在这里登记）。", self)
        papers = CheckList(rules.PAPERS, 2)
        papers.set_values(self.referral.papers)
        other = QLineEdit(self.referral.papers_other)
        d.add("papers", "材料清单", papers)
        d.add("papers_other", "其他材料", other)
        d.on_ok(lambda: referrals.update_papers(self.ctx, self.case_id, papers.values(), other.text()))
        d.accepted.connect(self._done)
        return d

    def add_note(self, text: str) -> None:
        referrals.add_note(self.ctx, self.case_id, text)

    def edit_form(self) -> ReferralForm:
        """修改: the referral form filled in from the referral as saved (her consent is not on it)."""
        form = ReferralForm(self.ctx, self)
        form.start_correcting(referrals.get(self.ctx, self.case_id))
        return form
