"""转介: the referral form, for a woman who walks in or from a petition, to legal aid or any other service (the
service chosen first: its directory entries, the help it gives; legal aid's own fields only for legal aid). Errors
show next to their fields; nothing typed is lost."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import money
from ...domain import referral as rules
from ...domain.corrections import Correction
from ...domain.errors import FulianError
from ...domain.referral import Consent, Organisation, Referral
from ...services import lists, organisations, petitions, referrals
from ...services.context import Context
from ..cases.case_form import CaseForm, place_combos, put_date, put_saved
from ..cases.person_fields import PersonFields
from ..cases.person_match import MatchPanel, PersonMatcher
from ..protection.repeat_banner import RepeatBanner
from ..shell.date_field import date_edit, qdate_to_date
from ..shell.widgets import Form, ImpliedTick, combo, combo_value, max_length, scrolling_column, set_combo, take_at_most

EXEMPT_STYLE = "color: #1f6f43; font-weight: bold;"
INFO_STYLE = "color: #52606d;"


class CheckList(QWidget):
    """A grid of checkboxes for a fixed list of choices (帮助, 材料, 受害情形)."""

    def __init__(self, options: tuple[str, ...], columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, option in enumerate(options):
            box = QCheckBox(option)
            self.boxes[option] = box
            grid.addWidget(box, i // columns, i % columns)

    def values(self) -> list[str]:
        return [o for o, b in self.boxes.items() if b.isChecked()]

    def set_values(self, values: list[str]) -> None:
        for o, b in self.boxes.items():
            b.setChecked(o in values)


def fill_organisations(c: QComboBox, ctx: Context, keep: int | None = None, service: str = "") -> None:
    """The directory's active entries (those giving `service`, when given), with their id as data."""
    c.blockSignals(True)
    c.clear()
    c.addItem("（请选择）", None)
    for o in organisations.directory(ctx, service=service):
        c.addItem(o.label, o.id)
    if keep is not None:
        i = c.findData(keep)
        if i >= 0:
            c.setCurrentIndex(i)
    c.blockSignals(False)


class ReferralForm(CaseForm):
    GIVE_UP_TITLE = "放弃转介"

    def __init__(self, ctx: Context, parent: QWidget | None = None, petition_id: int | None = None,
                 service: str = rules.LEGAL_AID) -> None:
        super().__init__(ctx, parent)
        self.petition_id = petition_id
        self.petition_registered = False
        self.petition_no = ""
        today = ctx.today()
        self.resize(900, 760)
        outer = QVBoxLayout(self)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background: #e8f1fb; border: 1px solid #9cc3e6; padding: 6px;")
        outer.addWidget(self.banner)
        self.accept_petition = QCheckBox("同时受理这件信访（受理日期为转介日期，并告知信访人）")
        self.accept_petition.setVisible(False)
        outer.addWidget(self.accept_petition)
        self.repeats = RepeatBanner(ctx)  # 她曾来求助: her earlier cases, their risk, an order in force
        outer.addWidget(self.repeats)

        col = scrolling_column(outer, 1)

        # 转介信息
        box = QGroupBox("转介信息")
        self.form = Form()
        box.setLayout(self.form)
        self.service = combo(rules.SERVICE_NAMES)
        set_combo(self.service, service)
        self.referred_on = date_edit(today)
        self.organisation = QComboBox()
        fill_organisations(self.organisation, ctx, service=combo_value(self.service))
        self.directory_button = QPushButton("机构名录…")
        org_row = QWidget()
        ol = QHBoxLayout(org_row)
        ol.setContentsMargins(0, 0, 0, 0)
        ol.addWidget(self.organisation, 1)
        ol.addWidget(self.directory_button)
        staff = lists.values(ctx, "staff")
        self.staff = combo(staff, editable=True)
        self.staff.setEditText(ctx.staff or (staff[0] if staff else ""))
        self.staff_phone = QLineEdit(referrals.remembered_staff_phone(ctx, ctx.staff))
        self.staff_phone.setPlaceholderText("印在转介函上，便于接收机构联系")
        self.township, self.village = place_combos(ctx)
        self.form.add("service", "转介的服务", self.service, required=True)
        self.form.add("referred_on", "转介日期", self.referred_on, required=True)
        self.form.add("organisation", "接收机构", org_row, required=True)
        self.form.add("staff", "经办人", self.staff, required=True)
        self.form.add("staff_phone", "经办人电话", self.staff_phone)
        self.form.add("township", "乡镇", self.township, required=True)
        self.form.add("village", "村（社区）", self.village)
        col.addWidget(box)

        # 申请人 and the match panel
        self.matches = MatchPanel()
        col.addWidget(self.matches)
        abox = QGroupBox("申请人（当事妇女）")
        al = QVBoxLayout(abox)
        self.applicant = PersonFields(today)
        al.addWidget(self.applicant)
        self.aform = Form()
        self.occupation = QLineEdit()
        self.occupation.setPlaceholderText("如 务农、某某公司职工、无业")
        self.aform.add("occupation", "职业或工作单位", self.occupation)
        al.addLayout(self.aform)
        col.addWidget(abox)

        # 案件情况
        cbox = QGroupBox("案件情况")
        self.cform = Form()
        cbox.setLayout(self.cform)
        self.matter = combo(rules.MATTERS, empty="（请选择）")
        self.role = combo(rules.ROLES, empty="（请选择）")
        self.legal_state = combo(rules.LEGAL_STATES, empty="（请选择）")
        # each service's help, one list shown at a time (the chosen service's)
        self.help_lists = {name: CheckList(s.help_kinds, 3) for name, s in rules.SERVICES.items()}
        self.help_kinds = self.help_lists[rules.LEGAL_AID]
        help_box = QWidget()
        hl = QVBoxLayout(help_box)
        hl.setContentsMargins(0, 0, 0, 0)
        for checklist in self.help_lists.values():
            hl.addWidget(checklist)
        self.opponent_name = QLineEdit()
        self.opponent_relation = combo(rules.OPPONENT_RELATIONS, editable=True)
        self.opponent_relation.setEditText("")
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText("按她所述如实记录：时间、地点、经过、已有的证据和已采取的措施")
        self.facts.setMinimumHeight(110)
        self.request = QPlainTextEdit()
        self.request.setMinimumHeight(56)
        self.request.setMaximumHeight(90)
        self.cform.add("matter", "纠纷事项", self.matter, required=True)
        self.cform.add("role", "她在案件中的身份", self.role, required=True)
        self.cform.add("legal_state", "案件所处阶段", self.legal_state, required=True)
        self.cform.add("help_kinds", "申请的帮助", help_box, required=True)
        self.cform.add("opponent_name", "对方当事人", self.opponent_name)
        self.cform.add("opponent_relation", "与她的关系", self.opponent_relation)
        self.cform.add("facts", "案情和申请理由", self.facts, required=True)
        self.cform.add("request", "诉求", self.request)
        col.addWidget(cbox)

        # 经济状况
        mbox = self.means_box = QGroupBox("经济状况")
        self.mform = Form()
        mbox.setLayout(self.mform)
        self.victim_of = CheckList(rules.VICTIM_KINDS, 3)
        self.dv_follows = ImpliedTick(self.victim_of.boxes[rules.DV], "纠纷事项是“家庭暴力”：她是家庭暴力的受害人，"
                                      "所以此项已勾选。如不是，请改选纠纷事项。")
        self.exemption = QLabel()
        self.exemption.setWordWrap(True)
        self.means = combo(rules.MEANS, empty="（请选择）")
        self.household_size = QSpinBox()
        self.household_size.setRange(0, 50)
        self.household_size.setSpecialValueText("（不填）")
        self.household_income = QLineEdit()
        self.household_income.setPlaceholderText("元，如 36000（可不填）")
        self.mform.add("victim_of", "她是否遭受", self.victim_of)
        self.mform.add("exemption", "", self.exemption)
        self.mform.add("means", "经济困难的说明", self.means)
        self.mform.add("household_size", "家庭人口", self.household_size)
        self.mform.add("household_income", "家庭年收入", self.household_income)
        col.addWidget(mbox)

        # 移送材料
        pbox = QGroupBox("移送材料（随转介函交接收机构）")
        self.pform = Form()
        pbox.setLayout(self.pform)
        self.papers = CheckList(rules.PAPERS, 2)
        self.papers_other = QLineEdit()
        self.papers_other.setPlaceholderText("如 验伤照片4张、聊天记录截图")
        self.pform.add("papers", "材料清单", self.papers)
        self.pform.add("papers_other", "其他材料", self.papers_other)
        col.addWidget(pbox)

        # 本人同意
        kbox = QGroupBox("本人同意")
        self.kform = Form()
        kbox.setLayout(self.kform)
        self.consent = QCheckBox("她已同意把以上个人信息和材料提供给接收机构")
        self.consent_by = combo(rules.CONSENT_BY)
        self.consent_name = QLineEdit()
        self.consent_name.setPlaceholderText("如 母亲 李某某")
        self.consent_way = combo(rules.CONSENT_WAYS)
        self.consent_info = QLabel()
        self.consent_info.setWordWrap(True)
        self.kform.add("consent", "", self.consent)
        self.kform.add("consent_by", "由谁同意", self.consent_by)
        self.kform.add("consent_name", "同意人", self.consent_name)
        self.kform.add("consent_way", "同意方式", self.consent_way)
        self.kform.add("consent_info", "", self.consent_info)
        col.addWidget(kbox)

        self.add_save_bar(outer, "保存转介")
        for form in self.field_forms():
            take_at_most(form, rules.LIMITS)
        max_length(self.consent_name, rules.CONSENT_LIMITS["name"][1])

        self.service.currentIndexChanged.connect(self._service_changed)
        self.organisation.currentIndexChanged.connect(self._organisation_changed)
        self.directory_button.clicked.connect(self.edit_directory)
        self.staff.lineEdit().editingFinished.connect(self._staff_changed)
        for b in self.victim_of.boxes.values():
            b.toggled.connect(self._means_changed)
        self.means.currentIndexChanged.connect(self._means_changed)
        self.matter.currentIndexChanged.connect(self._matter_changed)
        self.matter.currentIndexChanged.connect(self._papers_changed)
        for b in self.papers.boxes.values():
            b.toggled.connect(self._papers_changed)
        self.consent.toggled.connect(self._consent_changed)
        self.consent_by.currentIndexChanged.connect(self._consent_changed)
        self.matcher = PersonMatcher(ctx, self.applicant, self.matches, parent=self)
        self.repeats.watch([self.applicant], self.opponent_name.text, lambda: combo_value(self.township),
                           lambda: qdate_to_date(self.referred_on.date()), [self.opponent_name], [self.matches])

        if petition_id is not None:
            self._start_from_petition(petition_id)
        self._service_changed()
        self._means_changed()
        self._papers_changed()
        self._consent_changed()
        self._organisation_changed()

    # --- from a petition -------------------------------------------------------------------------
    def _start_from_petition(self, petition_id: int) -> None:
        p = petitions.get(self.ctx, petition_id)
        draft = referrals.form_from_petition(self.ctx, petition_id, combo_value(self.service))
        self.petition_no = p.case_no
        self.repeats.from_case = petition_id  # the petition carried on is not an earlier request for help
        self.banner.setVisible(True)
        if p.status == "registered":
            self.petition_registered = True
            self.accept_petition.setChecked(True)
        self.fill(draft)

    def fill(self, r: Referral) -> None:
        self.applicant.person_id = r.applicant.id
        self.applicant.fill(r.applicant, only_empty=False)
        set_combo(self.township, r.township)
        self.village.setEditText(r.village)
        set_combo(self.matter, r.matter)
        set_combo(self.role, r.role)
        set_combo(self.legal_state, r.legal_state)
        self.help_kinds.set_values(r.help_kinds)
        self.opponent_name.setText(r.opponent_name)
        self.opponent_relation.setEditText(r.opponent_relation)
        self.facts.setPlainText(r.facts)
        self.request.setPlainText(r.request)
        self.victim_of.set_values(r.victim_of)
        self.occupation.setText(r.occupation)
        if r.staff_phone:
            self.staff_phone.setText(r.staff_phone)
        if r.applicant.id is not None:
            self.matcher.look_up(again=True)
        self.repeats.refresh()

    # --- reactions -------------------------------------------------------------------------------
    def chosen_service(self) -> rules.Service:
        return rules.service_of(combo_value(self.service))

    def _service_changed(self) -> None:
        """The chosen service's directory entries and help; legal aid's own fields only for legal aid."""
        s = self.chosen_service()
        for name, checklist in self.help_lists.items():
            checklist.setVisible(name == s.name)
        self.help_kinds = self.help_lists[s.name]
        fill_organisations(self.organisation, self.ctx, self.organisation.currentData(), service=s.name)
        for name in ("role", "legal_state"):
            self.cform.boxes[name].setVisible(s.legal_aid)
            self.cform.labelForField(self.cform.boxes[name]).setVisible(s.legal_aid)
        self.means_box.setTitle("经济状况" if s.legal_aid else "受害情形")
        for name in ("exemption", "household_size", "household_income"):
            self.mform.boxes[name].setVisible(s.legal_aid)
            label = self.mform.labelForField(self.mform.boxes[name])
            if label is not None:
                label.setVisible(s.legal_aid)
        self._means_changed()
        self.accept_petition.setVisible(self.petition_registered and s.legal_aid)
        what = "法律援助" if s.legal_aid else s.name
        if self.saved_record is not None:
            self.setWindowTitle(f"修改{_kind_words(s)} — {self.saved_record.case_no}")
        elif self.petition_id is None:
            self.setWindowTitle(f"新建{_kind_words(s)}")
        else:
            self.setWindowTitle(f"转介{what} — {self.petition_no}")
            after = ("保存后，这件信访的办理方式登记为“转介法律援助”，两件案件互相关联。" if s.legal_aid else
                     "保存后，两件案件互相关联，信访的办理经过记下这次转介；信访的办理方式不变。")
            self.banner.setText(f"来自信访 <b>{_esc(self.petition_no)}</b>：她的姓名、联系方式和事情经过已带入，"
                                f"请核对、补充后保存。{after}")
        self._organisation_changed()
        self._consent_changed()
        self._papers_changed()

    def _matter_changed(self) -> None:
        implied = combo_value(self.matter) == rules.DV
        self.dv_follows.set_implied(implied)
        self.mform.boxes["victim_of"].set_hint("纠纷事项为家庭暴力，已随之勾选“家庭暴力”" if implied else "")

    def _staff_changed(self) -> None:
        if not self.staff_phone.text().strip():
            self.staff_phone.setText(referrals.remembered_staff_phone(self.ctx, combo_value(self.staff)))

    def _organisation_changed(self) -> None:
        box = self.form.boxes["organisation"]
        org = self.chosen_organisation()
        if org is None:
            have = self.organisation.count() > 1
            box.set_hint("请选择接收机构" if have else
                         f"机构名录中还没有提供{self.chosen_service().name}的机构，请点“机构名录…”添加")
        else:
            box.set_hint(org.contact() or "名录中没有这个机构的地址和电话，可点“机构名录…”补充")

    def chosen_organisation(self) -> Organisation | None:
        org_id = self.organisation.currentData()
        if org_id is None:
            return None
        try:
            return organisations.get(self.ctx, int(org_id))
        except FulianError:
            return None

    def edit_directory(self) -> QDialog:
        from .organisations_dialog import OrganisationsDialog

        d = OrganisationsDialog(self.ctx, self, service=combo_value(self.service))
        d.finished.connect(lambda _r: self._directory_closed())
        d.open()
        return d

    def _directory_closed(self) -> None:
        keep = self.organisation.currentData()
        fill_organisations(self.organisation, self.ctx, keep, service=combo_value(self.service))
        self._organisation_changed()

    def _means_changed(self) -> None:
        """Legal aid: the means test, or the exemption of a victim (art. 32); another service asks no means."""
        legal_aid = self.chosen_service().legal_aid
        text = rules.exemption_text(self.victim_of.values())
        if text:
            self.exemption.setText("✔ " + text + "转介函将写明这一点。")
            self.exemption.setStyleSheet(EXEMPT_STYLE)
        else:
            self.exemption.setText("家庭暴力、虐待、遗弃的受害人主张相关权益，申请法律援助不受经济困难条件限制"
                                   "（法律援助法第三十二条）；其他情况请选择经济困难的说明方式。")
            self.exemption.setStyleSheet(INFO_STYLE)
        asked = legal_aid and not text
        self.means.setEnabled(asked)
        self.mform.boxes["means"].setVisible(asked)
        self.mform.labelForField(self.mform.boxes["means"]).setVisible(asked)

    def _papers_changed(self) -> None:
        probe = Referral(
            referred_on=self.ctx.today(), applicant=self.applicant.value({}, ""), township="", village="",
            matter=combo_value(self.matter), role="", legal_state="", help_kinds=[], facts="", organisation=None,
            staff="", victim_of=self.victim_of.values(), means=combo_value(self.means), papers=self.papers.values(),
        )
        wanted = rules.suggested_papers(probe) if self.chosen_service().legal_aid else []
        self.pform.boxes["papers"].set_hint("接收机构通常还需要：" + "、".join(wanted) if wanted else "")

    def _consent_changed(self) -> None:
        on = self.consent.isChecked()
        for name in ("consent_by", "consent_way"):
            self.kform.boxes[name].editor.setEnabled(on)
        by_other = on and combo_value(self.consent_by) != "本人"
        self.consent_name.setEnabled(by_other)
        if on:
            s = self.chosen_service()
            days = "七日" if s.legal_aid else f"{s.answer_days}日"
            self.consent_info.setText(f"同意日期记为转介日期。保存后即可打印转介函，{days}答复期从这一天起计算。")
            self.consent_info.setStyleSheet(INFO_STYLE)
        else:
            self.consent_info.setText("未取得她的同意前，转介函不能打印、不能发出。可以先保存，"
                                      "取得同意后在转介页面点“登记本人同意”。")
            self.consent_info.setStyleSheet("color: #9a6700;")


    # --- saving ----------------------------------------------------------------------------------
    def has_input(self) -> bool:
        return self.petition_id is None and any(
            (self.applicant.name.text().strip(), self.applicant.id_number.text().strip(),
             self.facts.toPlainText().strip())
        )

    def value(self, errors: dict[str, str]) -> Referral:
        income = None
        if self.household_income.text().strip():
            try:
                income = money.parse_yuan(self.household_income.text())
            except money.MoneyError as e:
                errors["household_income"] = str(e)
        referred_on = qdate_to_date(self.referred_on.date())
        consent = None
        if self.consent.isChecked():
            consent = Consent(on=referred_on, by=combo_value(self.consent_by), name=self.consent_name.text(),
                              way=combo_value(self.consent_way))
        return Referral(
            service=combo_value(self.service),
            referred_on=referred_on,
            applicant=self.applicant.value(errors, "applicant."),
            township=combo_value(self.township),
            village=combo_value(self.village),
            matter=combo_value(self.matter),
            role=combo_value(self.role),
            legal_state=combo_value(self.legal_state),
            help_kinds=self.help_kinds.values(),
            facts=self.facts.toPlainText(),
            request=self.request.toPlainText(),
            organisation=self.chosen_organisation(),
            staff=combo_value(self.staff),
            staff_phone=self.staff_phone.text(),
            occupation=self.occupation.text(),
            opponent_name=self.opponent_name.text(),
            opponent_relation=combo_value(self.opponent_relation),
            victim_of=self.victim_of.values(),
            means=combo_value(self.means) if self.means.isEnabled() else "",
            household_size=self.household_size.value() or None,
            household_income=income,
            papers=self.papers.values(),
            papers_other=self.papers_other.text(),
            consent=consent,
        )

    def field_forms(self) -> Sequence[Form]:
        return (self.form, self.aform, self.cform, self.mform, self.pform, self.kform)

    def show_more_errors(self, errors: dict[str, str]) -> None:
        self.applicant.show_errors(errors, "applicant.")
        if "consent_on" in errors:  # the consent date is the referral date on this form
            self.form.boxes["referred_on"].set_error(errors["consent_on"])
        if not errors:
            self._organisation_changed()

    def validate(self, record: Referral) -> None:
        rules.validate_referral(record, self.ctx.today())

    def store(self, record: Referral) -> tuple[int, str]:
        if self.petition_id is None:
            return referrals.refer(self.ctx, record)
        return referrals.refer_from_petition(self.ctx, self.petition_id, record,
                                             accept_petition=self.accept_petition.isChecked())

    # --- correcting a saved referral (修改 on its page) -------------------------------------------
    def fill_from(self, record: Referral) -> None:
        r = record
        put_saved(self.service, r.service)  # its directory entries and help first
        self.setWindowTitle(f"修改{_kind_words(r.kind)} — {r.case_no}")
        put_date(self.referred_on, r.referred_on)
        org = r.organisation
        if org is not None and org.id is not None and self.organisation.findData(org.id) < 0:
            self.organisation.addItem(f"{org.label}（名录中已停用）", org.id)  # kept as it was referred
        if org is not None:
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(org.id)))
        put_saved(self.staff, r.staff)
        self.staff_phone.setText(r.staff_phone)
        put_saved(self.township, r.township)  # fills the villages
        put_saved(self.village, r.village)
        self.applicant.person_id = r.applicant.id
        self.applicant.fill(r.applicant, only_empty=False)
        self.occupation.setText(r.occupation)
        put_saved(self.matter, r.matter)
        put_saved(self.role, r.role)
        put_saved(self.legal_state, r.legal_state)
        self.help_kinds.set_values(r.help_kinds)
        self.opponent_name.setText(r.opponent_name)
        put_saved(self.opponent_relation, r.opponent_relation)
        self.facts.setPlainText(r.facts)
        self.request.setPlainText(r.request)
        self.victim_of.set_values(r.victim_of)
        if r.means:
            put_saved(self.means, r.means)
        self.household_size.setValue(r.household_size or 0)
        self.household_income.setText(money.format_yuan(r.household_income) if r.household_income is not None
                                      else "")
        self.papers.set_values(r.papers)
        self.papers_other.setText(r.papers_other)
        # her consent is a step of its own (登记本人同意 on the referral's page), not corrected here
        self.consent.setChecked(False)
        consent_box = self.kform.parentWidget()
        if consent_box is not None:
            consent_box.setVisible(False)
        self.repeats.exclude = r.id
        self.repeats.refresh()
        saved_id = r.applicant.id
        self.matcher.exclude = lambda: saved_id  # she herself is not "someone on file who matches"
        # 是同一人，关联 while correcting: the case is about that person now, her details as on file
        self.matches.attach.connect(lambda m: self.applicant.fill(m.person, only_empty=False))

    def correct(self, record: Referral, reason: str) -> list[Correction]:
        return referrals.correct(self.ctx, self.saved_record.id, record, reason, self.person_scope)


def _kind_words(s: rules.Service) -> str:
    """法律援助转介, 转介（庇护所/救助管理站） — as window titles name a referral."""
    return rules.referral_words(s.name)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

