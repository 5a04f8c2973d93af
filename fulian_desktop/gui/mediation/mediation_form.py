"""受理调解: the form that opens a mediation, directly or from a petition (转调解). Applicants and
respondents are the same person records as everywhere (with a match panel for people on file); the
mediators come from the office's roster. Errors show next to their fields; nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import mediation as rules
from ...domain.corrections import Correction
from ...domain.errors import FulianError
from ...domain.mediation import Mediation, Mediator, Party
from ...services import lists, mediations
from ...services.context import Context
from ..cases.case_form import CaseForm, place_combos, put_date, put_saved
from ..cases.person_fields import PersonFields
from ..cases.person_match import MatchPanel, PersonMatcher
from ..protection.repeat_banner import RepeatBanner, despite_caution
from ..shell.date_field import date_edit, qdate_to_date
from ..shell.widgets import FieldBox, Form, combo, combo_value, scrolling_column, set_combo, take_at_most

MEDIATOR_ROLE = Qt.ItemDataRole.UserRole + 5


class PartyFields(QGroupBox):
    """One applicant or respondent: the person's fields, her age (when the birth date is not known)
    and occupation, and the people on file who match."""

    removeRequested = Signal(object)  # self

    def __init__(self, ctx: Context, side: str, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(rules.SIDES[side], parent)
        self.ctx = ctx
        self.side = side
        layout = QVBoxLayout(self)
        self.matches = MatchPanel()
        layout.addWidget(self.matches)
        self.person = PersonFields(ctx.today())
        layout.addWidget(self.person)
        self.age = QLineEdit()
        self.age.setMaxLength(3)
        self.age.setValidator(QIntValidator(1, rules.MAX_AGE, self.age))
        self.age.setPlaceholderText("岁（不知道出生日期时填写）")
        self.occupation = QLineEdit()
        self.occupation.setMaxLength(rules.PARTY_LIMITS["occupation"][1])
        self.occupation.setPlaceholderText("如：务农、个体、教师、无业")
        self.person.form.add("age", "年龄", self.age)
        self.person.form.add("occupation", "职业或职务", self.occupation)
        if removable:
            remove = QPushButton(f"删去这位{rules.SIDES[side]}")
            remove.clicked.connect(lambda: self.removeRequested.emit(self))
            layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        self.matcher = PersonMatcher(ctx, self.person, self.matches, parent=self)

    def set_title_number(self, n: int, total: int) -> None:
        self.setTitle(rules.SIDES[self.side] + (f"（{n}）" if total > 1 else ""))

    def fill_saved(self, party: Party) -> None:
        """Show a party as saved (correcting): every field as it is, she herself not offered as a match."""
        self.fill(party)
        put_saved(self.person.ethnicity, party.person.ethnicity)
        saved_id = party.person.id
        self.matcher.exclude = lambda: saved_id


    def fill(self, party: Party) -> None:
        self.person.person_id = party.person.id
        self.person.fill(party.person, only_empty=False)
        if party.stated_age:
            self.age.setText(str(party.stated_age))
        self.occupation.setText(party.occupation)

    def value(self, errors: dict[str, str], prefix: str) -> Party:
        return Party(person=self.person.value(errors, prefix), side=self.side,
                     occupation=self.occupation.text(),
                     stated_age=int(self.age.text()) if self.age.text().strip().isdigit() else None)

    def has_input(self) -> bool:
        return bool(self.person.name.text().strip() or self.person.id_number.text().strip())

    def show_errors(self, errors: dict[str, str], prefix: str) -> None:
        self.person.show_errors(errors, prefix)
        for name in ("age", "occupation"):
            box = self.person.form.boxes[name]
            msg = errors.get(prefix + name, "")
            if msg:
                box.set_error(msg)
            elif box.error():
                box.set_error("")


class PartyList(QWidget):
    """The applicants (or the respondents): one PartyFields each, and a button to add another."""

    added = Signal(object)  # the PartyFields just added

    def __init__(self, ctx: Context, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.side = side
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = FieldBox(QWidget())  # holds the "请填写申请人" message
        self._rows = QVBoxLayout(self.box.editor)
        self._rows.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.add_button = QPushButton(f"再添加一位{rules.SIDES[side]}")
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(lambda: self.add())
        self.parties: list[PartyFields] = []
        self.add()

    def add(self) -> PartyFields:
        w = PartyFields(self.ctx, self.side, removable=bool(self.parties))
        w.removeRequested.connect(self._remove)
        self.parties.append(w)
        self._rows.addWidget(w)
        self._renumber()
        self.added.emit(w)
        return w

    def _remove(self, w: PartyFields) -> None:
        if w in self.parties and len(self.parties) > 1:
            self.parties.remove(w)
            w.setParent(None)
            w.deleteLater()
            self._renumber()

    def _renumber(self) -> None:
        for i, w in enumerate(self.parties, 1):
            w.set_title_number(i, len(self.parties))

    def fill(self, parties: list[Party], saved: bool = False) -> None:
        """Fill from a draft, or (`saved`) show the parties of a saved mediation exactly as they are."""
        mine = [p for p in parties if p.side == self.side]
        while len(self.parties) < len(mine):
            self.add()
        for w, party in zip(self.parties, mine, strict=False):
            if saved:
                w.fill_saved(party)
            else:
                w.fill(party)

    def values(self, errors: dict[str, str]) -> list[Party]:
        out = []
        for i, w in enumerate(self.parties):
            if i and not w.has_input():
                continue  # an extra block left empty
            out.append(w.value(errors, rules.party_prefix(self.side, i)))
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        self.box.set_error(errors.get(f"{self.side}s", ""))
        for i, w in enumerate(self.parties):
            w.show_errors(errors, rules.party_prefix(self.side, i))

    def has_input(self) -> bool:
        return any(w.has_input() for w in self.parties)


class MediatorPicker(QWidget):
    """Tick the mediators from the roster; add a name to the roster on the spot."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("名册里没有？输入姓名")
        self.add_button = QPushButton("加入名册并选中")
        row.addWidget(self.new_name, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_to_roster)
        self.new_name.returnPressed.connect(self.add_to_roster)
        self.reload()

    def reload(self, checked: set[int] | None = None) -> None:
        """The active mediators of the roster, and those ticked even if no longer active (a saved mediation's)."""
        keep = self.selected_ids() if checked is None else list(checked)
        self.list.clear()
        for m in mediations.mediators(self.ctx, include_inactive=True):
            if not m.active and m.id not in keep:
                continue
            text = m.name + (f"（{m.title}）" if m.title else "")
            item = QListWidgetItem(text)
            item.setData(MEDIATOR_ROLE, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if m.id in keep else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not self.list.count():
            placeholder = QListWidgetItem("调解员名册还是空的：在下面输入姓名加入，或在“设置 → 调解员名册”中维护。")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)

    def selected_ids(self) -> list[int]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(MEDIATOR_ROLE) is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(MEDIATOR_ROLE)))
        return out

    def check(self, name: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(MEDIATOR_ROLE) is not None and item.text().split("（")[0] == name:
                item.setCheckState(Qt.CheckState.Checked)

    def add_to_roster(self) -> None:
        try:
            new_id = mediations.save_mediator(self.ctx, Mediator(name=self.new_name.text()))
        except FulianError as e:
            self.message.setText(e.message)
            self.message.setVisible(True)
            return
        self.message.setVisible(False)
        self.new_name.clear()
        self.reload({*self.selected_ids(), new_id})


class MediationForm(CaseForm):
    GIVE_UP_TITLE = "放弃"

    def __init__(self, ctx: Context, parent: QWidget | None = None, petition_id: int | None = None) -> None:
        super().__init__(ctx, parent)
        self.petition_id = petition_id
        self.setWindowTitle("受理调解（婚姻家庭纠纷）")
        self.resize(880, 760)
        today = ctx.today()
        outer = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background: #e8f1fb; border: 1px solid #9cc0e6; padding: 6px;")
        outer.addWidget(self.banner)
        col = scrolling_column(outer)

        box = QGroupBox("调解信息")
        self.form = Form()
        box.setLayout(self.form)
        self.received_on = date_edit(today)
        self.source = combo(rules.SOURCES, empty="（请选择）")
        self.dispute_type = combo(rules.DISPUTE_TYPES, empty="（请选择）")
        self.relationship = combo(rules.RELATIONSHIPS, empty="（请选择）")
        self.township, self.village = place_combos(ctx)
        staff = lists.values(ctx, "staff")
        self.registrar = combo(staff, editable=True)
        self.registrar.setEditText(ctx.staff or (staff[0] if staff else ""))
        self.form.add("received_on", "受理日期", self.received_on, required=True)
        self.form.add("source", "纠纷来源", self.source, required=True)
        self.form.add("dispute_type", "纠纷类型", self.dispute_type, required=True)
        self.form.add("relationship", "当事人关系", self.relationship, required=True)
        self.form.add("township", "乡镇", self.township, required=True)
        self.form.add("village", "村（社区）", self.village)
        self.form.add("registrar", "登记人", self.registrar, required=True)
        col.addWidget(box)

        mbox = QGroupBox("人民调解员")
        self.mform = Form()
        mbox.setLayout(self.mform)
        self.mediators = MediatorPicker(ctx)
        self.mform.add("mediators", "调解员", self.mediators, required=True)
        col.addWidget(mbox)

        self.applicants = PartyList(ctx, "applicant")
        self.respondents = PartyList(ctx, "respondent")
        # 她曾来求助, and 不宜调解 where an order is in force or the risk is high (services/dv_repeats.py)
        self.repeats = RepeatBanner(ctx, mediation=True)
        col.addWidget(self.repeats)
        self._follow_parties()
        col.addWidget(self.applicants)
        col.addWidget(self.respondents)
        self.parties_box = FieldBox(QWidget())
        self.parties_box.editor.setVisible(False)
        col.addWidget(self.parties_box)

        tbox = QGroupBox("纠纷情况")
        self.tform = Form()
        tbox.setLayout(self.tform)
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText("双方的关系、纠纷的起因和经过、目前的状况")
        self.facts.setMinimumHeight(110)
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText("申请人请求调解的事项，如：要求对方改正、离婚财产分割、子女抚养")
        self.request.setMinimumHeight(60)
        self.tform.add("facts", "纠纷简要情况", self.facts, required=True)
        self.tform.add("request", "申请事项", self.request)
        col.addWidget(tbox)
        col.addStretch(1)

        self.add_save_bar(outer, "保存并受理")
        for form in self.field_forms():
            take_at_most(form, rules.LIMITS)
        if petition_id is not None:
            self._fill_from_petition(petition_id)

    # --- from a petition ------------------------------------------------------------------------
    def _fill_from_petition(self, petition_id: int) -> None:
        draft = mediations.draft_from_petition(self.ctx, petition_id)
        header = mediations.petition_number(self.ctx, petition_id)
        self.repeats.from_case = petition_id  # the petition carried on is not an earlier request for help
        self.setWindowTitle(f"转调解 — {header}")
        self.banner.setText(
            f"从信访 <b>{header}</b> 转来：当事人和事情经过已带过来，请核对、补充被申请人的情况，"
            "选择调解员后保存。保存后，这件信访的办理方式记为“调解”，两件案件互相关联。"
        )
        self.banner.setVisible(True)
        self.fill(draft)
        self.source.setEnabled(False)

    def fill(self, m: Mediation) -> None:
        self.received_on.setDate(QDate(m.received_on.year, m.received_on.month, m.received_on.day))
        for c, v in ((self.source, m.source), (self.dispute_type, m.dispute_type),
                     (self.relationship, m.relationship), (self.township, m.township)):
            if v:
                set_combo(c, v)
        if m.village:
            self.village.setEditText(m.village)
        if m.registrar:
            self.registrar.setEditText(m.registrar)
        self.facts.setPlainText(m.facts)
        self.request.setPlainText(m.request)
        self.applicants.fill(m.parties)
        self.respondents.fill(m.parties)

    # --- reactions ------------------------------------------------------------------------------
    def _follow_parties(self) -> None:
        """The banner looks again whenever a party is known (each party, also those added later)."""
        def everyone() -> list[PersonFields]:
            return [w.person for w in (*self.applicants.parties, *self.respondents.parties)]

        def abuser() -> str:  # the first respondent, as the person complained about
            return next((w.person.name.text().strip() for w in self.respondents.parties), "")

        self.repeats.set_source(everyone, abuser, lambda: combo_value(self.township),
                                lambda: qdate_to_date(self.received_on.date()))

        def follow(w: PartyFields) -> None:
            self.repeats.follow(w.person)
            self.repeats.follow_panel(w.matches)

        for plist in (self.applicants, self.respondents):
            for w in plist.parties:
                follow(w)
            plist.added.connect(follow)

    # --- saving ---------------------------------------------------------------------------------
    def has_input(self) -> bool:
        return self.applicants.has_input() or self.respondents.has_input() or bool(
            self.facts.toPlainText().strip())

    def value(self, errors: dict[str, str]) -> Mediation:
        received: dt.date = qdate_to_date(self.received_on.date())
        return Mediation(
            received_on=received,
            source=combo_value(self.source),
            dispute_type=combo_value(self.dispute_type),
            relationship=combo_value(self.relationship),
            township=combo_value(self.township),
            village=combo_value(self.village),
            facts=self.facts.toPlainText(),
            request=self.request.toPlainText(),
            registrar=combo_value(self.registrar),
            parties=self.applicants.values(errors) + self.respondents.values(errors),
            mediator_ids=self.mediators.selected_ids(),
        )

    def field_forms(self) -> Sequence[Form]:
        return (self.form, self.mform, self.tform)

    def show_more_errors(self, errors: dict[str, str]) -> None:
        self.applicants.show_errors(errors)
        self.respondents.show_errors(errors)
        self.parties_box.set_error(errors.get("parties", ""))

    def validate(self, record: Mediation) -> None:
        rules.validate_mediation(record, self.ctx.today())

    def store(self, record: Mediation) -> tuple[int, str]:
        """Opened; where mediating is not appropriate (an order in force, a high risk) only with a reason."""
        petition_id = self.petition_id
        if petition_id is not None:
            return despite_caution(self, lambda reason: mediations.open_from_petition(
                self.ctx, petition_id, record, reason))
        return despite_caution(self, lambda reason: mediations.open_mediation(self.ctx, record, reason))

    # --- correcting a saved mediation (修改 on its page) -------------------------------------------
    def fill_from(self, record: Mediation) -> None:
        m = record
        put_date(self.received_on, m.received_on)
        for c, v in ((self.source, m.source), (self.dispute_type, m.dispute_type),
                     (self.relationship, m.relationship), (self.township, m.township)):
            put_saved(c, v)  # the township fills its villages
        put_saved(self.village, m.village)
        put_saved(self.registrar, m.registrar)
        self.mediators.reload(set(m.mediator_ids))
        self.applicants.fill(m.parties, saved=True)
        self.respondents.fill(m.parties, saved=True)
        self.facts.setPlainText(m.facts)
        self.request.setPlainText(m.request)
        self.setWindowTitle(f"修改调解 — {m.case_no}")

    def correct(self, record: Mediation, reason: str) -> list[Correction]:
        return mediations.correct(self.ctx, self.saved_record.id, record, reason, self.person_scope)
