"""One petition: its details, its clock, the actions its status allows, its timeline."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain import petition as rules
from ...domain import petition_course as course
from ...domain.dates import format_cn
from ...domain.masking import mask_id_number, mask_phone
from ...domain.records import Person, Petition
from ...domain.statuses import status_label
from ...services import case_documents, cases, lists, organisations, petitions
from ...services.context import Context
from ..cases import case_page
from ..cases.action_dialog import ActionDialog
from ..cases.case_page import CaseView
from ..mediation.mediation_form import MediationForm
from ..referrals.referral_form import ReferralForm
from ..shell import dialogs
from ..shell.date_field import DateField, date_edit, qdate_to_date
from ..shell.pdf_preview import PdfPreview, open_preview
from ..shell.widgets import combo, combo_value, set_combo
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
        self.last_issued: int | None = None  # the document the last action issued, previewed once it is done
        self.last_preview: PdfPreview | None = None
        self.accept_button = QPushButton("受理")
        self.refuse_button = QPushButton("不予受理")
        self.forward_button = QPushButton("转送有权机关")
        self.forward_button.setToolTip("检举控告类事项转送纪检监察机关或其他有权处理的机关，并出具转送告知书")
        self.handle_button = QPushButton("登记办理方式")
        self.extend_button = QPushButton("延期")
        self.conclude_button = QPushButton("办结")
        self.rate_button = QPushButton("满意度")
        self.repeat_button = QPushButton("重复信访…")
        self.review_button = QPushButton("请求复查")
        self.review_button.setToolTip("信访人不服处理意见书，在收到后30日内请求复查（复查答复后可再请求复核）")
        self.review_answer_button = QPushButton("复查答复")
        self.supervise_button = QPushButton("督办…")
        self.transfer_answer_button = QPushButton("记录转送答复")
        self.object_button = QPushButton("异议退回…")
        self.object_button.setToolTip("上级交办、转送来的信访不属于本会职责：收到后5个工作日内向交办单位提出异议，"
                                      "写明理由，出具退回函")
        self.transfer_answer_button.setToolTip("转送单位的回执或复函到了：记下答复")
        self.supervise_button.setToolTip("主任督办：写明要求和时限，这件案件在各个列表里都会标出")
        self.repeat_button.setToolTip("登记时发现她（或同一事项）12个月内来过：核实后确认是重复信访，或排除")
        self.rate_button.setToolTip("记录信访人对办理结果的评价（办结时或回访时）")
        self.refer_button = QPushButton("转介")
        self.refer_button.setToolTip("把她转介到法律援助、庇护所、验伤、心理咨询等服务，在表中选择服务"
                                     "（她的信息和事情经过会带过去）")
        self.print_button = QPushButton("打印登记表")
        self.mediate_button = QPushButton("转调解")
        self.mediate_button.setToolTip("婚姻家庭纠纷转婚调委调解（当事人和事情经过会带过去，办理方式记为“调解”）")
        self.add_action_bar((self.accept_button, self.refuse_button, self.object_button, self.forward_button,
                             self.handle_button,
                             self.extend_button, self.conclude_button, self.rate_button, self.review_button,
                             self.review_answer_button, self.transfer_answer_button, self.repeat_button,
                             self.note_button, self.refer_button,
                             self.mediate_button), (self.supervise_button, self.print_button))
        self.supervise_button.setVisible(ctx.may("case.supervise"))
        # the details, and under them the documents the case issued (notices, opinions): each reprinted as issued
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        ll.addWidget(self.details, 1)
        ll.addWidget(QLabel("<b>文书</b>（告知书、处理意见书；双击或按回车重新打印）"))
        self.documents = QListWidget()
        self.documents.setMaximumHeight(80)
        self.documents.setToolTip("本案出具的文书，按出具的先后；重新打印的与当初出具的完全相同")
        ll.addWidget(self.documents)
        self.add_body(left)
        self.documents.itemActivated.connect(self._document_activated)

        self.accept_button.clicked.connect(self.do_accept)
        self.refuse_button.clicked.connect(self.do_refuse)
        self.forward_button.clicked.connect(lambda: self.make_forward_dialog().open())
        self.rate_button.clicked.connect(lambda: self.make_rate_dialog().open())
        self.repeat_button.clicked.connect(lambda: self.make_repeat_dialog().open())
        self.review_button.clicked.connect(lambda: self.make_review_dialog().open())
        self.review_answer_button.clicked.connect(self.do_review_answer)
        self.supervise_button.clicked.connect(lambda: self.make_supervise_dialog().open())
        self.transfer_answer_button.clicked.connect(lambda: self.make_transfer_answer_dialog().open())
        self.object_button.clicked.connect(self.do_object)
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
        self.supervised = cases.supervision(self.ctx, self.case_id)
        if self.supervised is not None:
            flags += (f" <span style='background:#6a1b9a;color:white;padding:1px 4px'>{html.escape(self.supervised.text)}"
                      "</span>")
        if p.repeat_state in ("suspected", "confirmed"):
            color = "#a61b1b" if p.repeat_state == "confirmed" else "#9a6700"
            flags += (f" <span style='background:{color};color:white;padding:1px 4px'>"
                      f"{course.REPEAT_STATES[p.repeat_state]}</span>")
        self.header.setText(
            f"<span style='font-size:16pt;font-weight:bold'>{html.escape(p.case_no)}</span>　"
            f"<span style='font-size:12pt'>{status_label('petition', p.status)}</span>　"
            f"<span style='font-size:12pt;color:#52606d'>{html.escape(p.nature)}类</span>　{due}{flags}"
        )
        s = p.status
        forwarded = p.nature in rules.FORWARDED_NATURES
        self.accept_button.setEnabled(s == "registered" and not forwarded)
        self.accept_button.setToolTip("检举控告类事项请转送有权机关" if forwarded else "")
        self.refuse_button.setEnabled(s == "registered")
        self.forward_button.setVisible(forwarded)
        self.forward_button.setEnabled(s == "registered" and forwarded)
        self.handle_button.setEnabled(s in ("accepted", "in_progress"))
        clocked = rules.has_clock(p.nature)
        self.extend_button.setEnabled(s in ("accepted", "in_progress") and not p.extension_days and clocked)
        self.extend_button.setToolTip("" if clocked else f"{p.nature}类事项没有法定办结期限，不需要延期")
        self.conclude_button.setEnabled(s in ("accepted", "in_progress") and bool(p.handling))
        self.rate_button.setEnabled(s == "concluded")
        # once closed, the steps of an open petition give way to what follows (满意度, 复查/复核)
        still_open = s in rules.OPEN_STATUSES
        for b in (self.accept_button, self.refuse_button, self.handle_button, self.extend_button,
                  self.conclude_button, self.refer_button, self.mediate_button):
            b.setVisible(still_open)
        self.forward_button.setVisible(forwarded and still_open)
        self.object_button.setVisible(s == "registered" and bool(p.source_body))
        self.rate_button.setVisible(s == "concluded")
        self.transfer_answer_button.setVisible(
            s == "in_progress" and p.transfer_sent_on is not None and p.transfer_answered_on is None)
        self.repeat_button.setVisible(p.repeat_of is not None)
        pending = rules.pending_review(p)
        stage = self._next_review_stage(p)
        self.review_button.setText(f"请求{rules.REVIEW_STAGES[stage or 'review']}")
        self.review_button.setVisible(s == "concluded" and p.nature != "建议意见" and pending is None)
        self.review_button.setEnabled(stage is not None)
        self.review_button.setToolTip("复核终结：同一事项不再受理" if stage is None else
                                      f"信访人不服，在收到答复后{rules.REVIEW_DAYS}日内请求{rules.REVIEW_STAGES[stage]}")
        self.review_answer_button.setVisible(pending is not None)
        if pending is not None:
            self.review_answer_button.setText(f"{rules.REVIEW_STAGES[pending.stage]}答复")
        self.refer_button.setEnabled(s in rules.OPEN_STATUSES)
        mediated = any(kind == "mediation" for _id, _no, kind in p.links)
        self.mediate_button.setEnabled(s in ("accepted", "in_progress") and not mediated)
        self.mediate_button.setToolTip(
            "已转调解，见关联案件" if mediated else
            "受理后才能转调解" if s == "registered" else
            "婚姻家庭纠纷转婚调委调解（当事人和事情经过会带过去，办理方式记为“调解”）")
        self._fill_details(p)
        self._fill_documents(p)
        case_page.fill_timeline(self.timeline, p.timeline)
        case_page.fill_related(self.related, self.ctx, self.case_id, p.links, [(p.woman, "")])

    def _fill_details(self, p: Petition) -> None:
        parts = ["<table cellspacing=0>"]
        parts.append(_row("信访方式", p.channel + ("（集体访）" if p.is_group else "")))
        parts.append(_row("事项类型", html.escape(p.nature) + f"<br><span style='color:#52606d'>{html.escape(course.course_text(p))}</span>"))
        parts.append(_row("收到日期", format_cn(p.received_on)))
        if p.source_body:
            note = html.escape(course.transfer_note(p))
            if p.objected_on is not None:
                note += "<br>" + html.escape(course.objection_note(p.objected_to, p.objection_reason, p.objected_on))
            elif p.status == "registered" and course.objection_too_late(p, self.ctx.today()):
                note += (f"<br><span style='color:#9a6700'>异议期限已过（{format_cn(p.objection_due_on)}），"
                         "不能再退回，请受理或不予受理</span>")
            parts.append(_row("上级交办", note))
        parts.append(_row("人数", str(p.headcount)))
        if p.is_group:
            parts.append(_row("推选的代表", html.escape(rules.representatives_text(p))))
        parts.append(_row("乡镇 / 村", html.escape(" ".join(x for x in (p.township, p.village) if x))))
        parts.append(_row("问题类别", html.escape(" · ".join(x for x in (p.category, p.subcategory) if x))))
        parts.append(_row("接待人", html.escape(p.receiving_staff)))
        if p.repeat_of is not None:
            note = f"：{p.repeat_note}" if p.repeat_note else ""
            parts.append(_row("重复信访", html.escape(
                f"{course.REPEAT_STATES.get(p.repeat_state, '')}（前次：{p.repeat_of_no}）{note}")))
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
        if p.told_on:
            late = "" if course.told_in_time(p.received_on, p.told_on) else "（超过15日）"
            parts.append(_row("告知日期", html.escape(f"{format_cn(p.told_on)}　{p.tell_way}{late}")))
        if p.refused_reason:
            parts.append(_row("不予受理理由", _text(p.refused_reason)))
        if p.refused_route:
            parts.append(_row("告知的其他途径", html.escape(p.refused_route)))
        if p.forwarded_to:
            parts.append(_row("转送机关", html.escape(f"{p.forwarded_to}（{format_cn(p.forwarded_on)}转送）")))
        if p.handling:
            parts.append(_row("办理方式", html.escape(p.handling + (f"（{p.handling_agency}）" if p.handling_agency else ""))))
        if p.transfer_sent_on:
            answer = (f"；{format_cn(p.transfer_answered_on)}答复：{p.transfer_answer}" if p.transfer_answered_on else
                      f"；要求{format_cn(p.transfer_due_on)}前答复，尚未答复")
            parts.append(_row("转送", _text(f"{format_cn(p.transfer_sent_on)}转送{p.handling_agency}{answer}")))
        if p.handling_opinion:
            parts.append(_row("办理意见", _text(p.handling_opinion)))
        if p.extension_days:
            parts.append(_row("延期", html.escape(f"{p.extension_days}天：{p.extension_reason}")))
        if p.concluded_on:
            parts.append(_row("办结日期", format_cn(p.concluded_on)))
            parts.append(_row("处理结果", html.escape(p.result)))
            if p.facts_found:
                parts.append(_row("事实和理由", _text(p.facts_found)))
            parts.append(_row("处理意见" if p.nature != "建议意见" else "答复意见", _text(p.reply)))
            if p.legal_basis:
                parts.append(_row("法律法规依据", _text(p.legal_basis)))
        for r in p.reviews:
            name = rules.REVIEW_STAGES[r.stage]
            answer = (f"；{format_cn(r.answered_on)}答复：{r.result}，{r.opinion}" if r.answered_on else
                      f"；应于{format_cn(rules.deadlines.add_days(r.requested_on, rules.REVIEW_DAYS))}前答复")
            parts.append(_row(name, _text(f"{format_cn(r.requested_on)}请求，由{r.body}{name}：{r.request}{answer}")))
        if p.reviews and rules.review_state(p) == "复核终结":
            parts.append(_row("复核终结", html.escape(course.FINAL_NOTE)))
        if p.rating:
            note = f"（{p.rating_note}）" if p.rating_note else ""
            parts.append(_row("满意度", html.escape(f"{p.rating}{note}　{p.rating_way} {format_cn(p.rated_on)}")))
        parts.append("</table>")
        self.details.setHtml("".join(parts))

    # --- actions --------------------------------------------------------------------------------
    # --- the documents the case issued ------------------------------------------------------------
    def _fill_documents(self, p: Petition) -> None:
        self.documents.clear()
        own = [d for d in p.documents if d.doc in course.DOC_TITLES]  # (her 家暴防护 papers: on that tab)
        for d in own:
            note = d.way if d.voided_on is None else f"已作废（{format_cn(d.voided_on)}）"
            item = QListWidgetItem(f"{d.title}　{format_cn(d.issued_on)}　{note}")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.documents.addItem(item)
        if not own:
            item = QListWidgetItem("还没有出具文书（受理、不予受理、转送、延期和办结时出具）")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.documents.addItem(item)

    def _document_activated(self, item: QListWidgetItem) -> None:
        doc_id = item.data(Qt.ItemDataRole.UserRole)
        if doc_id:
            self.print_issued(int(doc_id))

    def print_issued(self, doc_id: int) -> PdfPreview | None:
        """The preview of a document the case issued, as it was issued (to print it, or print it again)."""
        self.last_preview = open_preview(self, lambda: case_documents.print_issued(self.ctx, doc_id))
        return self.last_preview

    def _issued(self, action: Callable[[], int]) -> Callable[[], None]:
        """An action that issues a document: once done, the document's preview opens to print it."""
        def run() -> None:
            self.last_issued = action()
        return run

    def _after_issue(self) -> None:
        self._done()
        if self.last_issued:  # (0: the step issued nothing)
            self.print_issued(self.last_issued)
            self.last_issued = None

    def _tell_fields(self, d: ActionDialog, on_label: str = "告知日期") -> tuple[QWidget, QWidget]:
        """告知日期 and 送达方式: the day she was told (it stops the 15-day clock) and how."""
        p = self.petition
        told = d.add("told_on", on_label, date_edit(self.ctx.today()), True)
        way = combo(course.TELL_WAYS)
        set_combo(way, course.ON_THE_SPOT if self.ctx.today() == p.received_on else "直接送达")
        d.add("tell_way", "送达方式", way, True)
        return told, way

    # --- actions --------------------------------------------------------------------------------
    def make_accept_dialog(self) -> ActionDialog:
        p = self.petition
        clock = ("受理后，应自受理之日起60日内办结（信访工作条例第三十四条）。" if rules.has_clock(p.nature)
                 else "建议意见类：受理后认真研究论证，书面答复。")
        d = ActionDialog("受理", clock + "确定后出具受理告知书（当场交给信访人，或15日内送达），并打开打印预览。", self)
        on = d.add("accepted_on", "受理日期", date_edit(self.ctx.today()), True)
        told, way = self._tell_fields(d)
        d.on_ok(self._issued(lambda: petitions.accept(
            self.ctx, self.case_id, qdate_to_date(on.date()), qdate_to_date(told.date()),
            way=combo_value(way))))
        d.accepted.connect(self._after_issue)
        return d

    def make_refuse_dialog(self) -> ActionDialog:
        d = ActionDialog("不予受理", "请写明理由和她可以另行反映的途径；确定后出具不予受理告知书，并打开打印预览。", self)
        reason = QPlainTextEdit()
        reason.setPlaceholderText("如：该事项已经人民法院作出生效判决，不属于妇联受理范围")
        reason.setMaximumHeight(90)
        d.add("reason", "理由", reason, True)
        route = combo(course.REFUSAL_ROUTES, editable=True)
        route.setCurrentIndex(-1)  # nothing chosen: ↓ offers the first
        route.setToolTip("她可以向哪里反映、通过什么途径解决（可以从列表中选，也可以自己写）")
        d.add("refused_route", "其他途径", route)
        told, way = self._tell_fields(d)
        d.on_ok(self._issued(lambda: petitions.refuse(
            self.ctx, self.case_id, reason.toPlainText(), qdate_to_date(told.date()),
            combo_value(route), combo_value(way))))
        d.accepted.connect(self._after_issue)
        return d

    def make_forward_dialog(self) -> ActionDialog:
        d = ActionDialog("转送有权机关", "检举控告类事项转送纪检监察机关或其他有权处理的机关；确定后出具转送告知书，"
                                      "告诉信访人转送去向，并打开打印预览。", self)
        body = combo(course.FORWARD_BODIES, editable=True)
        body.setCurrentIndex(-1)  # nothing chosen: ↓ offers the first
        d.add("forwarded_to", "转送机关", body, True)
        told, way = self._tell_fields(d, "转送日期")
        d.on_ok(self._issued(lambda: petitions.forward(
            self.ctx, self.case_id, combo_value(body), qdate_to_date(told.date()),
            combo_value(way))))
        d.accepted.connect(self._after_issue)
        return d

    @staticmethod
    def _next_review_stage(p: Petition) -> str | None:
        """The review she may ask for next: 复查 after the opinion, 复核 after the 复查 answer; None after 复核."""
        if not p.reviews:
            return "review"
        return "re_review" if p.reviews[-1].stage == "review" and p.reviews[-1].answered_on else None

    def make_review_dialog(self) -> ActionDialog:
        p = self.petition
        stage = self._next_review_stage(p) or "re_review"
        name = rules.REVIEW_STAGES[stage]
        title, answered = course.answer_before(p, stage)
        d = ActionDialog(f"请求{name}", f"信访人不服{title}，自收到之日起{rules.REVIEW_DAYS}日内可以请求{name}；"
                                        f"受理的机关应在收到请求后{rules.REVIEW_DAYS}日内答复（信访工作条例第三十五、三十六条）。"
                                        f"由本会{name}的，写“{course.OFFICE_BODY}”。", self)
        received = d.add("answer_received_on", f"收到{title}的日期", date_edit(self.ctx.today(), answered), True)
        on = d.add("requested_on", f"{name}请求日期", date_edit(self.ctx.today()), True)
        body = combo((course.OFFICE_BODY, course.DEFAULT_REVIEW_BODY), editable=True)
        last = next((doc.content.get("values", {}) for doc in reversed(p.documents)
                     if doc.doc in ("opinion", "review") and doc.voided_on is None), {})
        named = str(last.get("review_body", "")) if isinstance(last, dict) else ""
        body.setEditText(named or course.DEFAULT_REVIEW_BODY)
        d.add("review_body", f"受理{name}的机关", body, True)
        request = QPlainTextEdit()
        request.setMaximumHeight(90)
        d.add("review_request", f"{name}请求", request, True)
        d.on_ok(lambda: petitions.request_review(self.ctx, self.case_id, stage, qdate_to_date(on.date()),
                                                 qdate_to_date(received.date()), combo_value(body),
                                                 request.toPlainText()))
        d.accepted.connect(self._done)
        return d

    def make_review_answer_dialog(self) -> ActionDialog | None:
        p = self.petition
        pending = rules.pending_review(p)
        if pending is None:
            dialogs.inform(self, "复查复核答复", "这件信访没有等待答复的复查或复核请求。")
            return None
        name = rules.REVIEW_STAGES[pending.stage]
        intro = (f"本会{name}：确定后出具{name}意见书，并打开打印预览。" if pending.by_office else
                 f"由{pending.body}{name}：记下收到的答复。")
        d = ActionDialog(f"{name}答复", intro, self)
        d.setMinimumWidth(600)
        on = d.add("answered_on", "答复日期", date_edit(self.ctx.today()), True)
        result = combo(course.REVIEW_RESULTS, empty="（请选择）")
        d.add("review_result", f"{name}结果", result, True)
        opinion = QPlainTextEdit()
        opinion.setMinimumHeight(90)
        d.add("review_opinion", f"{name}意见", opinion, True)
        next_body = QLineEdit(course.DEFAULT_REVIEW_BODY)
        if pending.by_office and pending.stage == "review":
            d.add("next_body", "受理复核的机关", next_body, True)
        d.on_ok(self._issued(lambda: petitions.answer_review(
            self.ctx, self.case_id, qdate_to_date(on.date()), combo_value(result), opinion.toPlainText(),
            next_body.text()) or 0))
        d.accepted.connect(self._after_issue)
        return d

    def do_review_answer(self) -> None:
        d = self.make_review_answer_dialog()
        if d is not None:
            d.open()

    def make_supervise_dialog(self) -> ActionDialog:
        """督办 (the 主任): what is asked and the date; on a case already supervised, lifting it."""
        current = cases.supervision(self.ctx, self.case_id)
        if current is not None:
            d = ActionDialog("解除督办", f"现在：{current.text}。解除后，这件案件不再标出督办。", self)
            reason = QLineEdit()
            reason.setPlaceholderText("如：已按要求办结")
            d.add("lift_note", "解除理由", reason, True)
            d.on_ok(lambda: cases.lift_supervision(self.ctx, self.case_id, reason.text()))
        else:
            d = ActionDialog("督办", "写明督办的要求和时限；这件案件在案件列表、工作台和案件页上都会标出“督办”。", self)
            on = d.add("supervised_on", "督办日期", date_edit(self.ctx.today()), True)
            note = QLineEdit()
            note.setPlaceholderText("如：请于3月20日前答复信访人")
            d.add("supervised_note", "督办意见", note, True)
            d.on_ok(lambda: cases.supervise(self.ctx, self.case_id, note.text(), qdate_to_date(on.date())))
        d.accepted.connect(self._done)
        return d

    def make_repeat_dialog(self) -> ActionDialog:
        p = self.petition
        d = ActionDialog("重复信访", f"登记时发现：12个月内已有{p.repeat_of_no}（见关联案件）。核实后确认是重复信访，"
                                     "或排除（如反映的是另一件事）；计入统计的重复信访率和初信初访。", self)
        verdict = combo(("是重复信访", "不是重复信访"))
        if p.repeat_state == "cleared":
            set_combo(verdict, "不是重复信访")
        d.add("repeat_state", "核实结果", verdict, True)
        note = QLineEdit(p.repeat_note)
        note.setPlaceholderText("不是重复信访的，请写明理由")
        d.add("repeat_note", "说明", note)
        d.on_ok(lambda: petitions.settle_repeat(self.ctx, self.case_id, combo_value(verdict) == "是重复信访",
                                                note.text()))
        d.accepted.connect(self._done)
        return d

    def make_rate_dialog(self) -> ActionDialog:
        p = self.petition
        d = ActionDialog("满意度", "记录信访人对办理结果的评价；以最近一次为准，计入统计的参评率和满意率。", self)
        on = d.add("rated_on", "评价日期", date_edit(self.ctx.today()), True)
        way = combo(course.RATING_WAYS)
        set_combo(way, "回访")
        d.add("rating_way", "评价方式", way, True)
        rating = combo(course.RATINGS, empty="（请选择）")
        if p.rating:
            set_combo(rating, p.rating)
        d.add("rating", "满意度", rating, True)
        note = QPlainTextEdit(p.rating_note)
        note.setMaximumHeight(70)
        note.setPlaceholderText("不满意的，请写明她不满意的地方")
        d.add("rating_note", "说明", note)
        d.on_ok(lambda: petitions.rate(self.ctx, self.case_id, combo_value(rating), note.toPlainText(),
                                       qdate_to_date(on.date()), combo_value(way)))
        d.accepted.connect(self._done)
        return d

    def make_handle_dialog(self) -> ActionDialog:
        d = ActionDialog("登记办理方式", "", self)
        method = combo(rules.HANDLING_METHODS, empty="（请选择）")
        # the body it goes to: from the organisation directory (派出所, 民政局, 人社局, 法院 …), or written in full
        entries = organisations.directory(self.ctx)
        agency = combo(list(dict.fromkeys([o.name for o in entries] + lists.values(self.ctx, "agency"))), editable=True)
        for i, o in enumerate(entries):
            agency.setItemData(i, o.describe(), Qt.ItemDataRole.ToolTipRole)
        agency.setToolTip("从机构名录中选择（“设置 → 机构名录…”里可以添加）；名录中没有的，直接写单位全称")
        agency.setEditText(self.petition.handling_agency)
        opinion = QPlainTextEdit(self.petition.handling_opinion)
        d.add("handling", "办理方式", method, True)
        d.add("handling_agency", "转往单位", agency)
        d.add("handling_opinion", "办理意见", opinion)
        # 转办/交办: the 转送函 with its receipt, and the day its answer is due (chased on the start page)
        today = self.ctx.today()
        sent = d.add("transfer_sent_on", "转送日期", date_edit(today))
        due = d.add("transfer_due_on", "要求答复日期", DateField(today + dt.timedelta(days=course.TRANSFER_ANSWER_DAYS)))
        for name in ("transfer_sent_on", "transfer_due_on"):
            d.form.boxes[name].set_hint("转办/交办时出具转送函（附回执），到期未答复的在工作台催办")

        def ok() -> int:
            passed_on = combo_value(method) == "转办/交办"
            return petitions.set_handling(
                self.ctx, self.case_id, combo_value(method), combo_value(agency), opinion.toPlainText(),
                qdate_to_date(sent.date()) if passed_on else None,
                due.value() if passed_on else None) or 0  # type: ignore[attr-defined]

        d.on_ok(self._issued(ok))
        d.accepted.connect(self._after_issue)
        return d

    def do_object(self) -> None:
        """提出异议、退回 — or, after the 5 working days, why it is too late."""
        late = course.objection_too_late(self.petition, self.ctx.today())
        if late:
            dialogs.inform(self, "不能再退回", late + "。")
            return
        self.make_object_dialog().open()

    def make_object_dialog(self) -> ActionDialog:
        p = self.petition
        d = ActionDialog("提出异议、退回", f"不属于本会职责的，应在{format_cn(p.objection_due_on)}前（收到后"
                         f"{rules.OBJECTION_WORKDAYS}个工作日内）向交办单位提出异议并说明理由；确定后出具退回函，"
                         "案件记为“已退回”，并打开打印预览。", self)
        to = combo(list(dict.fromkeys([p.source_body, *rules.TRANSFER_SOURCES])), editable=True)
        set_combo(to, p.source_body)
        d.add("objected_to", "退回给", to, True)
        reason = QPlainTextEdit()
        reason.setPlaceholderText("如：反映的是拖欠工资，属于人社部门的职责")
        reason.setMaximumHeight(90)
        d.add("objection_reason", "异议理由", reason, True)
        on = d.add("objected_on", "退回日期", date_edit(self.ctx.today()), True)
        d.on_ok(self._issued(lambda: petitions.object_transfer(
            self.ctx, self.case_id, combo_value(to), reason.toPlainText(), qdate_to_date(on.date()))))
        d.accepted.connect(self._after_issue)
        return d

    def make_transfer_answer_dialog(self) -> ActionDialog:
        p = self.petition
        d = ActionDialog("记录转送答复", f"{p.handling_agency}的答复（回执或复函）：记下日期和内容。", self)
        on = d.add("transfer_answered_on", "答复日期", date_edit(self.ctx.today()), True)
        answer = QPlainTextEdit()
        answer.setMaximumHeight(100)
        d.add("transfer_answer", "答复内容", answer, True)
        d.on_ok(lambda: petitions.record_transfer_answer(self.ctx, self.case_id, qdate_to_date(on.date()),
                                                         answer.toPlainText()))
        d.accepted.connect(self._done)
        return d

    def make_extend_dialog(self) -> ActionDialog:
        d = ActionDialog("延期", "办理期限只能延长一次，最多30日，须经负责人批准；确定后出具延期告知书，"
                                 "把延期理由告诉信访人，并打开打印预览。", self)
        days = QSpinBox()
        days.setRange(0, 30)
        days.setValue(30)
        reason = QLineEdit()
        d.add("extension_days", "延长天数", days, True)
        d.add("extension_reason", "延期理由", reason, True)
        told = d.add("told_on", "告知日期", date_edit(self.ctx.today()), True)
        way = combo(course.TELL_WAYS[1:])
        d.add("tell_way", "送达方式", way, True)
        d.on_ok(self._issued(lambda: petitions.extend(
            self.ctx, self.case_id, days.value(), reason.text(), qdate_to_date(told.date()),
            combo_value(way))))
        d.accepted.connect(self._after_issue)
        return d

    def make_conclude_dialog(self) -> ActionDialog:
        """办结 with the written opinion drafted from the case: she reads and completes it; once done it is
        issued and its preview opens."""
        p = self.petition
        advice = p.nature == "建议意见"
        title = course.DOC_TITLES[course.opinion_doc(p)]
        d = ActionDialog("办结", f"请核对并完善{title}的内容（已根据案件起草）；确定后出具{title}，并打开打印预览。", self)
        d.setMinimumWidth(680)
        draft = petitions.draft_opinion(self.ctx, self.case_id)
        on = d.add("concluded_on", "办结日期", date_edit(self.ctx.today()), True)
        result = combo(rules.results_for(p.nature), empty="（请选择）")
        d.add("result", "答复结果" if advice else "处理结果", result, True)

        def text(name: str, label: str, value: str, height: int, required: bool = True) -> QPlainTextEdit:
            edit = QPlainTextEdit(value)
            edit.setMinimumHeight(height)
            d.add(name, label, edit, required)
            return edit

        request = text("request", "所提建议" if advice else "信访人诉求", draft.request, 60)
        facts = text("facts_found", "研究论证情况" if advice else "事实和理由", draft.facts_found, 80)
        opinion = text("reply", "答复意见" if advice else "处理意见", draft.opinion, 80)
        opinion.setPlaceholderText("先选择处理结果，这里会写上相应的表述，再补充具体意见")
        basis = text("legal_basis", "法律法规依据", draft.legal_basis, 50, required=not advice)
        review = QLineEdit(draft.review_body)
        review.setToolTip("信访人不服处理意见时，可在收到意见书后30日内向这个机关请求复查（信访工作条例第三十五条）")
        if not advice:
            d.add("review_body", "受理复查的机关", review, True)
        way = combo(course.TELL_WAYS[:3])
        set_combo(way, "直接送达")
        d.add("opinion_way", "送达方式", way, True)
        rating = combo(course.RATINGS, empty="（暂不记录）")
        rating.setToolTip("信访人当场对办理结果的评价；以后回访时也可以记录")
        d.add("rating", "满意度", rating)
        rating_note = QLineEdit()
        d.add("rating_note", "评价说明", rating_note)

        def result_chosen() -> None:  # the opinion's words follow the result until she writes her own
            words = {course.opinion_words(r) for r in rules.results_for(p.nature)} | {""}
            if opinion.toPlainText().strip() in words:
                opinion.setPlainText(course.opinion_words(combo_value(result)))

        result.currentIndexChanged.connect(result_chosen)

        def ok() -> int:
            o = course.Opinion(result=combo_value(result), request=request.toPlainText(),
                               facts_found=facts.toPlainText(), opinion=opinion.toPlainText(),
                               legal_basis=basis.toPlainText(), review_body=review.text(), way=combo_value(way))
            return petitions.conclude(self.ctx, self.case_id, o.opinion, o.result,
                                      qdate_to_date(on.date()), opinion=o,
                                      rating=combo_value(rating), rating_note=rating_note.text())

        d.on_ok(self._issued(ok))
        d.accepted.connect(self._after_issue)
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

