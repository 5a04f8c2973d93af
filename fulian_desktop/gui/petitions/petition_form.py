"""登记信访: the intake form. Errors show next to their fields; nothing typed is lost."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import petition as rules
from ...domain.corrections import Correction
from ...domain.records import Petition, Representative
from ...services import lists, petitions
from ...services.context import Context
from ..cases.case_form import CaseForm, place_combos, put_date, put_saved
from ..cases.person_fields import PersonFields
from ..cases.person_match import MatchPanel, PersonMatcher
from ..protection.repeat_banner import RepeatBanner
from ..shell.date_field import DateField, date_edit, qdate_to_date
from ..shell.widgets import Form, ImpliedTick, combo, combo_value, scrolling_column, set_combo, take_at_most

FORM_FIELDS = (
    "channel", "nature", "received_on", "headcount", "township", "village", "category", "subcategory", "facts",
    "request", "receiving_staff", "respondent_name", "respondent_relation",
)


class PetitionForm(CaseForm):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle("登记信访")
        self.resize(860, 700)
        today = ctx.today()
        outer = QVBoxLayout(self)
        col = scrolling_column(outer)

        # 信访信息
        box = QGroupBox("信访信息")
        self.form = Form()
        box.setLayout(self.form)
        self.channel = combo(rules.CHANNELS, empty="（请选择）")
        self.nature = combo(rules.NATURES)
        set_combo(self.nature, rules.DEFAULT_NATURE)
        self.nature.setToolTip("建议意见：研究论证后答复；检举控告：转送有权处理的机关；"
                               "申诉求决：受理后60日内办结并出具处理意见书（信访工作条例第二十九至三十一条、第三十四条）")
        self.received_on = date_edit(today)
        self.headcount = QSpinBox()
        self.headcount.setRange(1, 9999)
        self.group_label = QLabel("")
        head = QWidget()
        hl = QHBoxLayout(head)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.headcount)
        hl.addWidget(self.group_label, 1)
        self.township, self.village = place_combos(ctx)
        self.category = combo(lists.values(ctx, "category"), empty="（请选择）")
        self.subcategory = combo([], empty="（无）")
        self.dv = QCheckBox("家庭暴力")
        self.dv_follows = ImpliedTick(self.dv, "具体类别是“家庭暴力”：这件信访涉及家庭暴力，所以此项已勾选。"
                                               "如不是家庭暴力，请改选具体类别。")
        self.safety_risk = QCheckBox("人身安全风险")
        risks = QWidget()
        rl = QHBoxLayout(risks)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.dv)
        rl.addWidget(self.safety_risk)
        rl.addStretch(1)
        staff = lists.values(ctx, "staff")
        self.receiving_staff = combo(staff, editable=True)
        self.receiving_staff.setEditText(ctx.staff or (staff[0] if staff else ""))
        self.form.add("channel", "信访方式", self.channel, required=True)
        self.form.add("nature", "事项类型", self.nature, required=True)
        self.form.add("received_on", "收到日期", self.received_on, required=True)
        self.form.add("headcount", "人数", head, required=True)
        self.form.add("township", "乡镇", self.township, required=True)
        self.form.add("village", "村（社区）", self.village)
        self.form.add("category", "问题类别", self.category, required=True)
        self.form.add("subcategory", "具体类别", self.subcategory)
        self.form.add("risks", "风险提示", risks)
        self.form.add("receiving_staff", "接待人", self.receiving_staff, required=True)
        col.addWidget(box)

        # transferred or assigned from above (交办/转送): who sent it, their number, the date they set
        self.source_box = QGroupBox("上级交办、转送（市妇联、信访局、12345或12338工单转来的，勾选后填写）")
        self.source_box.setCheckable(True)
        self.source_box.setChecked(False)
        self.source_form = Form()
        source_fields = QWidget()
        source_fields.setLayout(self.source_form)
        QVBoxLayout(self.source_box).addWidget(source_fields)
        source_fields.setVisible(False)  # shown once ticked, as the woman concerned's fields are
        self.source_box.toggled.connect(source_fields.setVisible)
        self.source_body = combo(rules.TRANSFER_SOURCES, editable=True)
        self.source_body.setCurrentIndex(-1)
        self.source_no = QLineEdit()
        self.source_no.setPlaceholderText("交办编号或工单号")
        self.source_no.setMaxLength(40)
        self.source_due_on = DateField(optional=True)
        self.source_due_on.setPlaceholderText("如 2026年3月31日；没有要求的不填")
        self.source_form.add("source_body", "交办单位", self.source_body, required=True)
        self.source_form.add("source_no", "交办编号", self.source_no, required=True)
        self.source_form.add("source_due_on", "要求办结日期", self.source_due_on)
        col.addWidget(self.source_box)

        # 信访人 and the match panel
        self.matches = MatchPanel()
        col.addWidget(self.matches)
        self.repeats = RepeatBanner(ctx)  # 她曾来求助: her earlier cases, their risk, an order in force
        col.addWidget(self.repeats)
        pbox = QGroupBox("信访人")
        pl = QVBoxLayout(pbox)
        self.petitioner = PersonFields(today)
        pl.addWidget(self.petitioner)
        col.addWidget(pbox)

        # a group visit's representatives: at most five, the petitioner first (信访工作条例 art. 20)
        self.reps_box = QGroupBox(f"推选的代表（集体访推选不超过{rules.MAX_REPRESENTATIVES}人，信访人为第一名代表）")
        self.reps_form = Form()
        self.reps_box.setLayout(self.reps_form)
        hint = QLabel(f"除信访人外，最多再填{rules.MAX_REPRESENTATIVES - 1}名代表；其他来访的人只计人数。")
        hint.setWordWrap(True)
        self.reps_form.add("representatives", "", hint)
        self.rep_names: list[QLineEdit] = []
        self.rep_phones: list[QLineEdit] = []
        for i in range(rules.MAX_REPRESENTATIVES - 1):
            name, tel = QLineEdit(), QLineEdit()
            name.setPlaceholderText("姓名")
            tel.setPlaceholderText("联系电话（可不填）")
            name.setMaxLength(rules.REPRESENTATIVE_LIMITS["name"][1])
            tel.setMaxLength(rules.REPRESENTATIVE_LIMITS["phone"][1])
            row = QWidget()
            rl_ = QHBoxLayout(row)
            rl_.setContentsMargins(0, 0, 0, 0)
            rl_.addWidget(name, 2)
            rl_.addWidget(tel, 3)
            self.reps_form.add(f"representatives.{i}.name", f"代表{i + 2}", row)
            self.rep_names.append(name)
            self.rep_phones.append(tel)
        self.reps_box.setVisible(False)
        col.addWidget(self.reps_box)

        self.concerned_box = QGroupBox("当事妇女（与信访人不是同一人时填写）")
        self.concerned_box.setCheckable(True)
        self.concerned_box.setChecked(False)
        cl = QVBoxLayout(self.concerned_box)
        self.concerned = PersonFields(today)
        cl.addWidget(self.concerned)
        self.concerned.setVisible(False)
        self.concerned_box.toggled.connect(self.concerned.setVisible)
        col.addWidget(self.concerned_box)

        rbox = QGroupBox("被反映人")
        self.rform = Form()
        rbox.setLayout(self.rform)
        self.respondent_name = QLineEdit()
        self.respondent_relation = combo(rules.RESPONDENT_RELATIONS, editable=True)
        self.respondent_relation.setEditText("")
        self.rform.add("respondent_name", "姓名", self.respondent_name)
        self.rform.add("respondent_relation", "与当事人关系", self.respondent_relation)
        col.addWidget(rbox)

        tbox = QGroupBox("事情经过与诉求")
        self.tform = Form()
        tbox.setLayout(self.tform)
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText("按信访人所述如实记录：时间、地点、经过、已采取的措施")
        self.facts.setMinimumHeight(120)
        self.request = QPlainTextEdit()
        self.request.setMinimumHeight(70)
        self.tform.add("facts", "事情经过", self.facts, required=True)
        self.tform.add("request", "诉求", self.request, required=True)
        col.addWidget(tbox)

        self.add_save_bar(outer, "保存登记")
        for form in self.field_forms():
            take_at_most(form, rules.LIMITS)

        self.headcount.valueChanged.connect(self._headcount_changed)
        self.channel.currentIndexChanged.connect(lambda _i: self._headcount_changed(self.headcount.value()))
        self.category.currentIndexChanged.connect(self._category_changed)
        self.subcategory.currentIndexChanged.connect(self._subcategory_changed)
        self.matcher = PersonMatcher(ctx, self.petitioner, self.matches, parent=self)
        self.repeats.watch([self.petitioner, self.concerned], self.respondent_name.text,
                           lambda: combo_value(self.township), lambda: qdate_to_date(self.received_on.date()),
                           [self.respondent_name], [self.matches])

    # --- reactions ------------------------------------------------------------------------------
    def is_group(self) -> bool:
        """集体访 as the form stands: five or more people came (a letter or a call signed by many is not)."""
        return combo_value(self.channel) == "来访" and self.headcount.value() >= rules.GROUP_SIZE

    def _headcount_changed(self, n: int) -> None:
        group = self.is_group()
        self.group_label.setText(f"集体访（{rules.GROUP_SIZE}人及以上来访，请推选不超过{rules.MAX_REPRESENTATIVES}名代表）"
                                 if group else "")
        self.reps_box.setVisible(group)

    def _category_changed(self) -> None:
        self.subcategory.clear()
        self.subcategory.addItem("（无）", "")
        c = combo_value(self.category)
        for v in lists.values(self.ctx, "category", c) if c else []:
            self.subcategory.addItem(v, v)

    def _subcategory_changed(self) -> None:
        implied = rules.dv_implied(combo_value(self.subcategory))
        self.dv_follows.set_implied(implied)
        self.form.boxes["risks"].set_hint("具体类别为家庭暴力，已随之勾选“家庭暴力”" if implied else "")


    # --- saving ---------------------------------------------------------------------------------
    def has_input(self) -> bool:
        return any(
            (self.petitioner.name.text().strip(), self.petitioner.id_number.text().strip(),
             self.facts.toPlainText().strip(), self.request.toPlainText().strip())
        )

    def value(self, errors: dict[str, str]) -> Petition:
        concerned = self.concerned.value(errors, "concerned.") if self.concerned_box.isChecked() else None
        return Petition(
            channel=combo_value(self.channel),
            nature=combo_value(self.nature),
            received_on=qdate_to_date(self.received_on.date()),
            petitioner=self.petitioner.value(errors, "petitioner."),
            concerned=concerned,
            headcount=self.headcount.value(),
            township=combo_value(self.township),
            village=combo_value(self.village),
            category=combo_value(self.category),
            subcategory=combo_value(self.subcategory),
            facts=self.facts.toPlainText(),
            request=self.request.toPlainText(),
            dv=self.dv.isChecked(),
            safety_risk=self.safety_risk.isChecked(),
            receiving_staff=combo_value(self.receiving_staff),
            respondent_name=self.respondent_name.text(),
            respondent_relation=combo_value(self.respondent_relation),
            source_body=combo_value(self.source_body) if self.source_box.isChecked() else "",
            source_no=self.source_no.text() if self.source_box.isChecked() else "",
            source_due_on=self.source_due_on.value() if self.source_box.isChecked() else None,
            representatives=[Representative(n.text(), t.text()) for n, t in zip(self.rep_names, self.rep_phones,
                                                                                strict=True)] if self.is_group() else [],
        )

    def field_forms(self) -> Sequence[Form]:
        return (self.form, self.source_form, self.reps_form, self.rform, self.tform)

    def box_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """A representative's phone is said on the row of her name (they share it)."""
        shown = dict(errors)
        for key, text in errors.items():
            if key.startswith("representatives.") and key.endswith(".phone"):
                shown.setdefault(key.removesuffix(".phone") + ".name", text)
        return shown

    def show_more_errors(self, errors: dict[str, str]) -> None:
        self.petitioner.show_errors(errors, "petitioner.")
        self.concerned.show_errors(errors, "concerned.")

    def validate(self, record: Petition) -> None:
        rules.validate_petition(record, self.ctx.today())

    def store(self, record: Petition) -> tuple[int, str]:
        return petitions.register(self.ctx, record)

    # --- correcting a saved petition (修改 on its page) --------------------------------------------
    def fill_from(self, record: Petition) -> None:
        p = record
        put_saved(self.channel, p.channel)
        put_saved(self.nature, p.nature)
        put_date(self.received_on, p.received_on)
        self.headcount.setValue(p.headcount)
        put_saved(self.township, p.township)  # fills the villages
        put_saved(self.village, p.village)
        put_saved(self.category, p.category)  # fills the sub-kinds
        put_saved(self.subcategory, p.subcategory)
        self.dv.setChecked(p.dv)
        self.safety_risk.setChecked(p.safety_risk)
        put_saved(self.receiving_staff, p.receiving_staff)
        self.petitioner.person_id = p.petitioner.id
        self.petitioner.fill(p.petitioner, only_empty=False)
        self.concerned_box.setChecked(p.concerned is not None)
        if p.concerned is not None:
            self.concerned.person_id = p.concerned.id
            self.concerned.fill(p.concerned, only_empty=False)
        self.respondent_name.setText(p.respondent_name)
        self.source_box.setChecked(bool(p.source_body))
        put_saved(self.source_body, p.source_body)
        self.source_no.setText(p.source_no)
        self.source_due_on.set_date(p.source_due_on)
        for i, (name, tel) in enumerate(zip(self.rep_names, self.rep_phones, strict=True)):
            r = p.representatives[i] if i < len(p.representatives) else None
            name.setText(r.name if r else "")
            tel.setText(r.phone if r else "")
        put_saved(self.respondent_relation, p.respondent_relation)
        self.facts.setPlainText(p.facts)
        self.request.setPlainText(p.request)
        self.repeats.exclude = p.id  # not the petition itself
        saved_id = p.petitioner.id
        self.matcher.exclude = lambda: saved_id  # she herself is not "someone on file who matches"
        # 是同一人，关联 while correcting: the case is about that person now, her details as on file
        self.matches.attach.connect(lambda m: self.petitioner.fill(m.person, only_empty=False))
        self.setWindowTitle(f"修改信访登记 — {p.case_no}")

    def correct(self, record: Petition, reason: str) -> list[Correction]:
        return petitions.correct(self.ctx, self.saved_record.id, record, reason, self.person_scope)
