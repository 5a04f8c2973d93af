"""新建帮扶户/关爱对象 (and 修改, correcting a saved one): the register form. The care list chosen decides what is asked:
a household list asks for the household type, the causes of poverty and the family; every list asks
for its own few fields (configured in 设置 → 关爱对象名单). Errors show next to their fields; nothing
typed is lost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import household as rules
from ...domain import idcard
from ...domain.corrections import Correction
from ...domain.household import Cadre, CareField, CareList, Household, Member
from ...domain.people import LIMITS, SEXES
from ...domain.records import Person
from ...services import households
from ...services.context import Context
from ..cases.case_form import CaseForm, place_combos, put_date, put_saved
from ..cases.person_fields import PersonFields
from ..cases.person_match import MatchPanel, PersonMatcher
from ..shell import dialogs
from ..shell.date_field import OptionalDateEdit, date_edit, qdate_to_date
from ..shell.widgets import (
    ERROR_STYLE,
    Form,
    combo,
    combo_value,
    mark_invalid,
    max_length,
    scrolling_column,
    set_combo,
    take_at_most,
)
from .household_widgets import RhythmEdit

# (field, header, width)
MEMBER_COLUMNS = (
    ("name", "姓名", 90), ("relation", "与户主关系", 100), ("sex", "性别", 60), ("id_number", "身份证号", 170),
    ("birth_date", "出生日期", 100), ("health", "健康状况", 84), ("work_ability", "劳动能力", 100),
    ("schooling", "在校生状况", 100), ("disability_card", "残疾证号", 130), ("phone", "联系电话", 116),
)
FIELD_LABELS = {key: label for key, label, _w in MEMBER_COLUMNS}


class MembersTable(QWidget):
    """The family (other than the head) as an editable table, one person a row; each row is a person
    record shared with every other case (matched by ID number when saved)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(MEMBER_COLUMNS))
        self.table.setHorizontalHeaderLabels([h for _k, h, _w in MEMBER_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, (_k, _h, w) in enumerate(MEMBER_COLUMNS):
            self.table.setColumnWidth(i, w)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加成员")
        self.remove_button = QPushButton("删除所选成员")
        self.hint = QLabel("输入身份证号后自动读出性别和出生日期；档案中已有的人按身份证号关联，不会重复建档。")
        self.hint.setStyleSheet("color: #52606d;")
        self.hint.setWordWrap(True)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.hint, 1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self._people: list[Person | None] = []  # the record on file behind each row, if any
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)

    def set_relation_header(self, text: str) -> None:
        self.table.horizontalHeaderItem(1).setText(text)

    def count(self) -> int:
        return self.table.rowCount()

    def editor(self, row: int, field: str) -> Any:
        col = [k for k, _h, _w in MEMBER_COLUMNS].index(field)
        return self.table.cellWidget(row, col)

    def add_row(self, m: Member | None = None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        editors: dict[str, QWidget] = {
            "name": QLineEdit(),
            "relation": combo(rules.RELATIONS, editable=True),
            "sex": combo(SEXES, empty=""),
            "id_number": QLineEdit(),
            "birth_date": OptionalDateEdit(),
            "health": combo(rules.HEALTH, empty=""),
            "work_ability": combo(rules.WORK_ABILITY, empty=""),
            "schooling": combo(rules.SCHOOLING, empty=""),
            "disability_card": QLineEdit(),
            "phone": QLineEdit(),
        }
        editors["relation"].setEditText("")  # type: ignore[attr-defined]
        for key, limits in (("name", LIMITS), ("id_number", LIMITS), ("phone", LIMITS),
                            ("relation", rules.MEMBER_LIMITS), ("disability_card", rules.MEMBER_LIMITS)):
            max_length(editors[key], limits[key][1])
        editors["birth_date"].setPlaceholderText("")  # type: ignore[attr-defined]
        for col, (key, _h, _w) in enumerate(MEMBER_COLUMNS):
            self.table.setCellWidget(r, col, editors[key])
        id_edit = editors["id_number"]
        id_edit.editingFinished.connect(lambda e=id_edit: self._read_id_number(e))  # type: ignore[attr-defined]
        self._people.append(m.person if m else None)
        if m is not None:
            p = m.person
            editors["name"].setText(p.name)  # type: ignore[attr-defined]
            editors["relation"].setEditText(m.relation)  # type: ignore[attr-defined]
            set_combo(editors["sex"], p.sex)  # type: ignore[arg-type]
            editors["id_number"].setText(p.id_number)  # type: ignore[attr-defined]
            editors["birth_date"].set_date(p.birth_date)  # type: ignore[attr-defined]
            set_combo(editors["health"], m.health)  # type: ignore[arg-type]
            set_combo(editors["work_ability"], m.work_ability)  # type: ignore[arg-type]
            set_combo(editors["schooling"], m.schooling)  # type: ignore[arg-type]
            editors["disability_card"].setText(m.disability_card)  # type: ignore[attr-defined]
            editors["phone"].setText(p.phone)  # type: ignore[attr-defined]
        else:
            editors["name"].setFocus()
        self.table.setCurrentCell(r, 0)
        return r

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        name = self.editor(r, "name").text().strip()
        if name and not dialogs.ask(self, "删除成员", f"从家庭成员中删除“{name}”？（此人的档案仍保留）", "删除", "取消"):
            return
        self.table.removeRow(r)
        del self._people[r]

    def _row_of(self, widget: QWidget) -> int:
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                if self.table.cellWidget(r, c) is widget:
                    return r
        return -1

    def _read_id_number(self, edit: QLineEdit) -> None:
        r = self._row_of(edit)
        text = edit.text().strip()
        if r < 0 or not text:
            return
        try:
            info = idcard.parse_id_number(text)
        except idcard.IdNumberError as e:
            mark_invalid(edit, True)
            edit.setToolTip(str(e))
            return
        mark_invalid(edit, False)
        edit.setToolTip("")
        if edit.text() != info.number:
            edit.setText(info.number)
        sex = self.editor(r, "sex")
        if not combo_value(sex):
            set_combo(sex, info.sex)
        birth = self.editor(r, "birth_date")
        if not birth.text().strip():
            birth.set_date(info.birth_date)

    def value(self, errors: dict[str, str]) -> list[Member]:
        out = []
        for r in range(self.table.rowCount()):
            prefix = f"members.{len(out)}."
            birth, err = self.editor(r, "birth_date").date_or_error()
            if err:
                errors[prefix + "birth_date"] = err
            known = self._people[r]
            fields = {
                "name": self.editor(r, "name").text(), "sex": combo_value(self.editor(r, "sex")),
                "birth_date": birth, "id_number": self.editor(r, "id_number").text(),
                "phone": self.editor(r, "phone").text(),
            }
            person = replace(known, **fields) if known else Person(ethnicity="", **fields)
            member = Member(
                person=person, relation=combo_value(self.editor(r, "relation")),
                health=combo_value(self.editor(r, "health")),
                work_ability=combo_value(self.editor(r, "work_ability")),
                schooling=combo_value(self.editor(r, "schooling")),
                disability_card=self.editor(r, "disability_card").text(),
            )
            if not any((person.name.strip(), person.id_number.strip(), member.relation)):
                continue  # an empty row added by mistake
            out.append(member)
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors keyed members.<i>.<field> (i counts the rows that are not empty)."""
        messages = []
        i = -1
        for r in range(self.table.rowCount()):
            filled = any((self.editor(r, "name").text().strip(), self.editor(r, "id_number").text().strip(),
                          combo_value(self.editor(r, "relation"))))
            if filled:
                i += 1
            for key, _h, _w in MEMBER_COLUMNS:
                w = self.editor(r, key)
                msg = errors.get(f"members.{i}.{key}", "") if filled else ""
                mark_invalid(w, bool(msg))
                w.setToolTip(msg)
                if msg:
                    messages.append(f"第{r + 1}行 {FIELD_LABELS[key]}：{msg}")
        if "members" in errors:
            messages.append(errors["members"])
        self.message.setText("；".join(messages))
        self.message.setVisible(bool(messages))


class HouseholdForm(CaseForm):
    def __init__(self, ctx: Context, parent: QWidget | None = None, case_id: int | None = None,
                 list_id: int | None = None) -> None:
        super().__init__(ctx, parent)
        self.case_id = case_id
        self.editing: Household | None = households.get(ctx, case_id) if case_id is not None else None
        self.setWindowTitle("修改资料" if self.editing else "新建帮扶户/关爱对象")
        self.resize(980, 760)
        today = ctx.today()
        outer = QVBoxLayout(self)
        col = scrolling_column(outer)

        # 名单
        box = QGroupBox("名单")
        self.form = Form()
        box.setLayout(self.form)
        self.care_list = QComboBox()
        self._lists = households.care_lists(ctx, include_inactive=self.editing is not None)
        for c in self._lists:
            self.care_list.addItem(c.name + ("（按户）" if c.is_household else ""), c.id)
        self.received_on = date_edit(today)
        self.form.add("list", "登记到名单", self.care_list, required=True)
        self.form.add("received_on", "纳入日期", self.received_on, required=True)
        col.addWidget(box)

        # the head (户主) or the person (本人)
        self.matches = MatchPanel()
        col.addWidget(self.matches)
        self.head_box = QGroupBox("户主")
        hl = QVBoxLayout(self.head_box)
        self.head = PersonFields(today)
        self.head_health = combo(rules.HEALTH, empty="（请选择）")
        self.head_work = combo(rules.WORK_ABILITY, empty="（请选择）")
        self.head_schooling = combo(rules.SCHOOLING, empty="（请选择）")
        self.head_card = QLineEdit()
        self.head.form.add("health", "健康状况", self.head_health)
        self.head.form.add("work_ability", "劳动能力", self.head_work)
        self.head.form.add("schooling", "在校生状况", self.head_schooling)
        self.head.form.add("disability_card", "残疾证号", self.head_card)
        hl.addWidget(self.head)
        col.addWidget(self.head_box)

        # 住址
        abox = QGroupBox("住址")
        self.aform = Form()
        abox.setLayout(self.aform)
        self.township, self.village = place_combos(ctx)
        self.address = QLineEdit()
        self.address.setPlaceholderText("如 三组18号")
        self.aform.add("township", "乡镇", self.township, required=True)
        self.aform.add("village", "村（社区）", self.village)
        self.aform.add("address", "组、门牌", self.address)
        col.addWidget(abox)

        # 户情况 (household lists only)
        self.poverty_box = QGroupBox("户情况（致贫原因选一至两项，不设“其他”）")
        self.pform = Form()
        self.poverty_box.setLayout(self.pform)
        self.household_type = combo(rules.HOUSEHOLD_TYPES, empty="（请选择）")
        causes = QWidget()
        grid = QGridLayout(causes)
        grid.setContentsMargins(0, 0, 0, 0)
        self.causes: dict[str, QCheckBox] = {}
        for i, cause in enumerate(rules.CAUSES):
            cb = QCheckBox(cause)
            cb.toggled.connect(self._causes_changed)
            self.causes[cause] = cb
            grid.addWidget(cb, i // 5, i % 5)
        self.pform.add("household_type", "户类型", self.household_type, required=True)
        self.pform.add("causes", "主要致贫原因", causes, required=True)
        col.addWidget(self.poverty_box)

        # the list's own fields
        self.extra_box = QGroupBox("名单栏目")
        self.eform = Form()
        self.extra_box.setLayout(self.eform)
        self.extra_editors: dict[str, tuple[CareField, QWidget]] = {}
        col.addWidget(self.extra_box)

        # 家庭成员
        self.members_box = QGroupBox("家庭成员（户主以外）")
        ml = QVBoxLayout(self.members_box)
        self.members = MembersTable()
        ml.addWidget(self.members)
        col.addWidget(self.members_box)

        # 走访计划和帮扶责任人 (when registering; later through the case page's actions)
        self.plan_box = QGroupBox("走访计划和帮扶责任人")
        self.plan_form = Form()
        self.plan_box.setLayout(self.plan_form)
        self.rhythm = RhythmEdit(today)
        self.cadre_name = QLineEdit()
        self.cadre_unit = QLineEdit()
        self.cadre_level = combo(rules.CADRE_LEVELS, editable=True)
        self.cadre_level.setEditText("")
        self.cadre_phone = QLineEdit()
        self.cadre_from = date_edit(today)
        self.plan_form.add("rhythm", "走访周期", self.rhythm, required=True)
        self.plan_form.add("cadre.name", "帮扶责任人", self.cadre_name)
        self.plan_form.add("cadre.unit", "工作单位", self.cadre_unit)
        self.plan_form.add("cadre.level", "职务/级别", self.cadre_level)
        self.plan_form.add("cadre.phone", "联系电话", self.cadre_phone)
        self.plan_form.add("cadre.from_date", "开始帮扶日期", self.cadre_from)
        col.addWidget(self.plan_box)
        self.plan_box.setVisible(self.editing is None)

        nbox = QGroupBox("备注")
        self.nform = Form()
        nbox.setLayout(self.nform)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        self.nform.add("notes", "情况说明", self.notes)
        col.addWidget(nbox)

        self.add_save_bar(outer, "保存")
        for form in self.field_forms():
            take_at_most(form, rules.LIMITS)
        take_at_most(self.plan_form, rules.CADRE_LIMITS, "cadre.")
        max_length(self.head_card, rules.MEMBER_LIMITS["disability_card"][1])

        self.care_list.currentIndexChanged.connect(self._list_changed)
        self.matcher = PersonMatcher(  # the head being edited is not offered as a match for herself
            ctx, self.head, self.matches,
            lambda: self.editing.head.person.id if self.editing is not None else None, parent=self)

        if list_id is not None:
            i = self.care_list.findData(list_id)
            if i >= 0:
                self.care_list.setCurrentIndex(i)
        self._list_changed()
        if self.editing is not None:
            self.start_correcting(self.editing)

    # --- the chosen list ------------------------------------------------------------------------
    def current_list(self) -> CareList:
        list_id = self.care_list.currentData()
        return next(c for c in self._lists if c.id == list_id)

    def choose_list(self, name: str) -> None:
        for i in range(self.care_list.count()):
            if self.care_list.itemText(i).split("（")[0] == name or self.care_list.itemText(i) == name:
                self.care_list.setCurrentIndex(i)
                return
        raise KeyError(name)

    def _list_changed(self) -> None:
        if not self._lists:
            return
        care = self.current_list()
        household = care.is_household
        self.head_box.setTitle("户主" if household else f"{care.name}（本人）")
        self.poverty_box.setVisible(household)
        self.members_box.setTitle("家庭成员（户主以外）" if household else "家庭成员或监护人")
        self.members.set_relation_header("与户主关系" if household else "与本人关系")
        self.head.form.boxes["work_ability"].setVisible(household)
        self.head.form.labelForField(self.head.form.boxes["work_ability"]).setVisible(household)
        if self.editing is None:
            self.rhythm.set_default(care.rhythm_unit, care.rhythm_every)
        self._build_extra(care)

    def _build_extra(self, care: CareList) -> None:
        old = {k: self._extra_text(f, w) for k, (f, w) in self.extra_editors.items()}
        while self.eform.rowCount():
            self.eform.removeRow(0)
        self.eform.boxes.clear()
        self.extra_editors = {}
        for f in care.fields:
            editor: QWidget
            if f.type == "choice":
                editor = combo(list(f.choices), empty="（请选择）")
            elif f.type == "date":
                editor = OptionalDateEdit()
            else:
                editor = QLineEdit()
                if f.type == "number":
                    editor.setPlaceholderText("数字")
                    editor.setMaximumWidth(160)
            self.eform.add(f"extra.{f.key}", f.label, editor)
            self.extra_editors[f.key] = (f, editor)
            if old.get(f.key):
                self._set_extra(f, editor, old[f.key])
        self.extra_box.setTitle(f"{care.name}栏目")
        self.extra_box.setVisible(bool(care.fields))

    @staticmethod
    def _extra_text(f: CareField, w: QWidget) -> str:
        if isinstance(w, QComboBox):
            return combo_value(w)
        assert isinstance(w, QLineEdit)
        return w.text()

    @staticmethod
    def _set_extra(f: CareField, w: QWidget, value: Any) -> None:
        if isinstance(w, QComboBox):
            set_combo(w, str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))

    def extra_editor(self, label: str) -> QWidget:
        for f, w in self.extra_editors.values():
            if f.label == label:
                return w
        raise KeyError(label)

    def _causes_changed(self) -> None:
        """One or two causes: once two are ticked, the others wait."""
        full = sum(cb.isChecked() for cb in self.causes.values()) >= rules.MAX_CAUSES
        for cb in self.causes.values():
            cb.setEnabled(cb.isChecked() or not full)

    # --- filling and reading --------------------------------------------------------------------
    def fill_from(self, record: Household) -> None:
        """Correcting (修改 on the page): the entry as saved, its list fixed."""
        h = record
        i = self.care_list.findData(h.list_id)
        self.care_list.setCurrentIndex(max(i, 0))
        self.care_list.setEnabled(False)
        put_date(self.received_on, h.received_on)
        self.head.fill(h.head.person, only_empty=False)
        put_saved(self.head.ethnicity, h.head.person.ethnicity)
        self.head.person_id = h.head.person.id
        put_saved(self.head_health, h.head.health)
        put_saved(self.head_work, h.head.work_ability)
        put_saved(self.head_schooling, h.head.schooling)
        self.head_card.setText(h.head.disability_card)
        put_saved(self.township, h.township)  # fills its villages
        put_saved(self.village, h.village)
        self.address.setText(h.address)
        put_saved(self.household_type, h.household_type)
        for cause in h.causes:
            if cause in self.causes:
                self.causes[cause].setChecked(True)
        for key, (f, w) in self.extra_editors.items():
            if key in h.extra:
                value = h.extra[key]
                if f.type == "date" and isinstance(w, OptionalDateEdit):
                    w.setText(str(value))
                else:
                    self._set_extra(f, w, value)
        for m in h.members:
            self.members.add_row(m)
        self.notes.setPlainText(h.notes)
        self.setWindowTitle(f"修改资料 — {h.case_no} {h.head.person.name}")

    def correct(self, record: Household, reason: str) -> list[Correction]:
        return households.correct(self.ctx, self.saved_record.id, record, reason, self.person_scope)

    def has_input(self) -> bool:
        return any((self.head.name.text().strip(), self.head.id_number.text().strip(), self.members.count()))

    def value(self, errors: dict[str, str]) -> Household:
        care = self.current_list()
        head = Member(
            person=self.head.value(errors, "head."), relation=care.head_word, health=combo_value(self.head_health),
            work_ability=combo_value(self.head_work) if care.is_household else "",
            schooling=combo_value(self.head_schooling), disability_card=self.head_card.text(),
        )
        extra: dict[str, Any] = {}
        for key, (f, w) in self.extra_editors.items():
            if isinstance(w, OptionalDateEdit):
                d, err = w.date_or_error()
                if err:
                    errors[f"extra.{key}"] = err
                extra[key] = d
            else:
                extra[key] = self._extra_text(f, w)
        cadre = None
        if self.editing is None:
            cadre = Cadre(name=self.cadre_name.text(), unit=self.cadre_unit.text(),
                          level=combo_value(self.cadre_level), phone=self.cadre_phone.text(),
                          from_date=qdate_to_date(self.cadre_from.date()))
        return Household(
            list_id=care.id or 0, received_on=qdate_to_date(self.received_on.date()), head=head,
            members=self.members.value(errors), township=combo_value(self.township),
            village=combo_value(self.village), address=self.address.text(),
            household_type=combo_value(self.household_type) if care.is_household else "",
            causes=[c for c, cb in self.causes.items() if cb.isChecked()] if care.is_household else [],
            extra=extra, rhythm=self.rhythm.value() if self.editing is None else None, cadre=cadre,
            notes=self.notes.toPlainText(),
        )

    def field_forms(self) -> Sequence[Form]:
        return (self.form, self.aform, self.pform, self.eform, self.plan_form, self.nform)

    def show_more_errors(self, errors: dict[str, str]) -> None:
        if "rhythm_start" in errors:
            self.plan_form.boxes["rhythm"].set_error(errors["rhythm_start"])
        self.head.show_errors(errors, "head.")
        for name in ("health", "work_ability", "schooling", "disability_card"):
            box = self.head.form.boxes[name]
            if f"head.{name}" in errors:
                box.set_error(errors[f"head.{name}"])
            elif box.error():
                box.set_error("")
        self.members.show_errors(errors)

    def validate(self, record: Household) -> None:
        rules.validate_household(record, self.current_list(), self.ctx.today())

    def store(self, record: Household) -> tuple[int, str]:
        return households.register(self.ctx, record)
