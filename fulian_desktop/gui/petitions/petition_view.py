"""One petition: its details, its clock, the actions its status allows, its timeline."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...domain import petition as rules
from ...domain.dates import format_cn
from ...domain.masking import mask_id_number, mask_phone
from ...domain.records import Person, Petition
from ...domain.statuses import status_label
from ...services import lists, petitions
from ...services.context import Context
from ..cases import case_page
from ..cases.action_dialog import ActionDialog
from ..cases.case_page import CaseView
from ..mediation.mediation_form import MediationForm
from ..referrals.referral_form import ReferralForm
from ..shell.widgets import combo, combo_value, date_edit, qdate_to_date
from .petition_form import PetitionForm


def _row(label: str, value: str) -> str:
    return f"<tr><th align='right' style='color:#52606d;padding:3px 8px'>{label}</th><td style='padding:3px 8px'>{value}</td></tr>"


def _person_rows(p: Person, full: bool = True) -> str:
    """The person's details; ID number and phone masked unless `full` (the role may see them)."""
    rows = [
        _row("姓名", html.escape(p.name)),
        _row("性别 / 民族", html.escape(" / ".join(x for x in (p.sex, p.ethnicity) if x))),
        _row("出生日期", format_cn(p.birth_date)),
        _row("身份证号", html.escape(p.id_number if full else mask_id_number(p.id_number))),
        _row("联系电话", html.escape(p.phone if full else mask_phone(p.phone))),
        _row("住址", html.escape(p.address)),
        _row("婚姻状况", html.escape(p.marital_status)),
    ]
    return "".join(rows)


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


class PetitionView(CaseView):
    def __init__(self, ctx: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, case_id, parent)
        self.accept_button = QPushButton("受理")
        self.refuse_button = QPushButton("不予受理")
        self.handle_button = QPushButton("登记办理方式")
        self.extend_button = QPushButton("延期")
        self.conclude_button = QPushButton("办结")
        self.refer_button = QPushButton("转介法律援助")
        self.refer_button.setToolTip("把她转介到法律援助中心、司法所或律师事务所（她的信息和事情经过会带过去）")
        self.print_button = QPushButton("打印登记表")
        self.mediate_button = QPushButton("转调解")
        self.mediate_button.setToolTip("婚姻家庭纠纷转婚调委调解（当事人和事情经过会带过去，办理方式记为“调解”）")
        self.add_action_bar((self.accept_button, self.refuse_button, self.handle_button, self.extend_button,
                             self.conclude_button, self.note_button, self.refer_button, self.mediate_button),
                            (self.print_button,))
        self.add_body()

        self.accept_button.clicked.connect(self.do_accept)
        self.refuse_button.clicked.connect(self.do_refuse)
        self.handle_button.clicked.connect(self.do_handle)
        self.extend_button.clicked.connect(self.do_extend)
        self.conclude_button.clicked.connect(self.do_conclude)
        self.refer_button.clicked.connect(self.do_refer)
        self.mediate_button.clicked.connect(self.do_mediate)
        self.print_button.clicked.connect(lambda: self.printRequested.emit(self.case_id))
        self.petition: Petition
        self.reload()

    @property
    def title(self) -> str:
        return f"{self.petition.case_no} {self.petition.woman.name}"

    def reload(self) -> None:
        p = petitions.get(self.ctx, self.case_id)
        self.petition = p
        today = self.ctx.today()
        deadline = rules.current_deadline(p)
        due = ""
        if deadline:
            state = deadline.state(today)
            color = {"overdue": "#a61b1b", "due_soon": "#9a6700"}.get(state, "#1f6f43")
            due = (f"<span style='color:{color};font-weight:bold'>{deadline.describe(today)}"
                   f"（{format_cn(deadline.due_on)}）</span>")
        flags = "".join(
            f" <span style='background:#a61b1b;color:white;padding:1px 4px'>{t}</span>"
            for t, on in (("家庭暴力", p.dv), ("人身安全风险", p.safety_risk), ("集体访", p.is_group)) if on
        )
        self.header.setText(
            f"<span style='font-size:16pt;font-weight:bold'>{html.escape(p.case_no)}</span>　"
            f"<span style='font-size:12pt'>{status_label('petition', p.status)}</span>　{due}{flags}"
        )
        s = p.status
        self.accept_button.setEnabled(s == "registered")
        self.refuse_button.setEnabled(s == "registered")
        self.handle_button.setEnabled(s in ("accepted", "in_progress"))
        self.extend_button.setEnabled(s in ("accepted", "in_progress") and not p.extension_days)
        self.conclude_button.setEnabled(s in ("accepted", "in_progress") and bool(p.handling))
        self.refer_button.setEnabled(s in rules.OPEN_STATUSES)
        mediated = any(kind == "mediation" for _id, _no, kind in p.links)
        self.mediate_button.setEnabled(s in ("accepted", "in_progress") and not mediated)
        self.mediate_button.setToolTip(
            "已转调解，见关联案件" if mediated else
            "受理后才能转调解" if s == "registered" else
            "婚姻家庭纠纷转婚调委调解（当事人和事情经过会带过去，办理方式记为“调解”）")
        self._fill_details(p)
        case_page.fill_timeline(self.timeline, p.timeline)
        case_page.fill_related(self.related, self.ctx, self.case_id, p.links, [(p.woman, "")])

    def _fill_details(self, p: Petition) -> None:
        parts = ["<table cellspacing=0>"]
        parts.append(_row("信访方式", p.channel + ("（集体访）" if p.is_group else "")))
        parts.append(_row("收到日期", format_cn(p.received_on)))
        parts.append(_row("人数", str(p.headcount)))
        parts.append(_row("乡镇 / 村", html.escape(" ".join(x for x in (p.township, p.village) if x))))
        parts.append(_row("问题类别", html.escape(" · ".join(x for x in (p.category, p.subcategory) if x))))
        parts.append(_row("接待人", html.escape(p.receiving_staff)))
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>信访人</b></td></tr>")
        full = self.ctx.may("people.identity")
        parts.append(_person_rows(p.petitioner, full))
        if p.concerned:
            parts.append("<tr><td colspan=2 style='padding-top:8px'><b>当事妇女</b></td></tr>")
            parts.append(_person_rows(p.concerned, full))
        if p.respondent_name:
            parts.append(_row("被反映人", html.escape(f"{p.respondent_name}（{p.respondent_relation}）")))
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>事情经过</b></td></tr>")
        parts.append(f"<tr><td colspan=2 style='padding:3px 8px'>{_text(p.facts)}</td></tr>")
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>诉求</b></td></tr>")
        parts.append(f"<tr><td colspan=2 style='padding:3px 8px'>{_text(p.request)}</td></tr>")
        parts.append("<tr><td colspan=2 style='padding-top:8px'><b>办理情况</b></td></tr>")
        if p.accepted_on:
            parts.append(_row("受理日期", format_cn(p.accepted_on)))
        if p.refused_reason:
            parts.append(_row("不予受理理由", _text(p.refused_reason)))
        if p.handling:
            parts.append(_row("办理方式", html.escape(p.handling + (f"（{p.handling_agency}）" if p.handling_agency else ""))))
        if p.handling_opinion:
            parts.append(_row("处理意见", _text(p.handling_opinion)))
        if p.extension_days:
            parts.append(_row("延期", html.escape(f"{p.extension_days}天：{p.extension_reason}")))
        if p.concluded_on:
            parts.append(_row("办结日期", format_cn(p.concluded_on)))
            parts.append(_row("处理结果", html.escape(p.result)))
            parts.append(_row("答复", _text(p.reply)))
        parts.append("</table>")
        self.details.setHtml("".join(parts))

    # --- actions --------------------------------------------------------------------------------
    def make_accept_dialog(self) -> ActionDialog:
        d = ActionDialog("受理", "受理后，应自受理之日起60日内办结（信访工作条例第三十四条）。", self)
        on = d.add("accepted_on", "受理日期", date_edit(self.ctx.today()), True)
        told = d.add("told_on", "告知信访人日期", date_edit(self.ctx.today()), True)
        d.on_ok(lambda: petitions.accept(self.ctx, self.case_id, qdate_to_date(on.date()), qdate_to_date(told.date())))
        d.accepted.connect(self._done)
        return d

    def make_refuse_dialog(self) -> ActionDialog:
        d = ActionDialog("不予受理", "请写明理由，并书面告知信访人。", self)
        reason = QPlainTextEdit()
        d.add("reason", "理由", reason, True)
        on = d.add("told_on", "告知日期", date_edit(self.ctx.today()), True)
        d.on_ok(lambda: petitions.refuse(self.ctx, self.case_id, reason.toPlainText(), qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def make_handle_dialog(self) -> ActionDialog:
        d = ActionDialog("登记办理方式", "", self)
        method = combo(rules.HANDLING_METHODS, empty="（请选择）")
        agency = combo(lists.values(self.ctx, "agency"), editable=True)
        agency.setEditText(self.petition.handling_agency)
        opinion = QPlainTextEdit(self.petition.handling_opinion)
        d.add("handling", "办理方式", method, True)
        d.add("handling_agency", "转往单位", agency)
        d.add("handling_opinion", "处理意见", opinion)
        d.on_ok(lambda: petitions.set_handling(self.ctx, self.case_id, combo_value(method), combo_value(agency),
                                               opinion.toPlainText()))
        d.accepted.connect(self._done)
        return d

    def make_extend_dialog(self) -> ActionDialog:
        d = ActionDialog("延期", "办理期限只能延长一次，最多30日，须经负责人批准，并告知信访人延期理由。", self)
        days = QSpinBox()
        days.setRange(0, 30)
        days.setValue(30)
        reason = QLineEdit()
        d.add("extension_days", "延长天数", days, True)
        d.add("extension_reason", "延期理由", reason, True)
        d.on_ok(lambda: petitions.extend(self.ctx, self.case_id, days.value(), reason.text()))
        d.accepted.connect(self._done)
        return d

    def make_conclude_dialog(self) -> ActionDialog:
        d = ActionDialog("办结", "", self)
        result = combo(rules.RESULTS, empty="（请选择）")
        reply = QPlainTextEdit()
        on = d.add("concluded_on", "办结日期", date_edit(self.ctx.today()), True)
        d.add("result", "处理结果", result, True)
        d.add("reply", "答复内容", reply, True)
        d.on_ok(lambda: petitions.conclude(self.ctx, self.case_id, reply.toPlainText(), combo_value(result),
                                           qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def add_note(self, text: str) -> None:
        petitions.add_note(self.ctx, self.case_id, text)

    def edit_form(self) -> PetitionForm:
        """修改: the intake form filled in from the petition as saved."""
        form = PetitionForm(self.ctx, self)
        form.start_correcting(petitions.get(self.ctx, self.case_id))
        return form

    def make_refer_form(self) -> ReferralForm:
        """The referral form, filled from this petition; saved, it opens the new referral."""
        form = ReferralForm(self.ctx, self, petition_id=self.case_id)
        form.saved.connect(lambda case_id, _no: (self._done(), self.openCase.emit(case_id)))
        return form

    def do_refer(self) -> None:
        self.make_refer_form().open()

    def make_mediation_form(self) -> MediationForm:
        """The mediation form, filled from this petition; saved, it opens the new mediation."""
        form = MediationForm(self.ctx, self, petition_id=self.case_id)
        form.saved.connect(lambda case_id, _no: (self._done(), self.openCase.emit(case_id)))
        return form

    def do_mediate(self) -> None:
        self.make_mediation_form().open()

    def do_accept(self) -> None:
        self.make_accept_dialog().open()

    def do_refuse(self) -> None:
        self.make_refuse_dialog().open()

    def do_handle(self) -> None:
        self.make_handle_dialog().open()

    def do_extend(self) -> None:
        self.make_extend_dialog().open()

    def do_conclude(self) -> None:
        self.make_conclude_dialog().open()

