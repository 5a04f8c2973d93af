"""The fields of a person (姓名, 性别, 民族, 出生日期, 身份证号, 电话, 住址, 婚姻状况).

Reads the ID number as it is typed: shows the birth date and sex it holds, or what is wrong with it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ...domain import idcard
from ...domain.dates import format_cn
from ...domain.people import ETHNICITIES, LIMITS, MARITAL_STATUSES, SEXES
from ...domain.records import Person
from ..shell.date_field import OptionalDateEdit
from ..shell.widgets import Form, combo, combo_value, set_combo, take_at_most

FIELDS = ("name", "sex", "ethnicity", "birth_date", "id_number", "phone", "address", "marital_status")


class PersonFields(QWidget):
    """Emits `lookup` when name, ID number or phone is finished, so the form can look for matches."""

    lookup = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.person_id: int | None = None  # set when attached to someone already on file
        self.form = Form(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.sex = combo(SEXES, empty="（请选择）")
        self.ethnicity = combo(ETHNICITIES, editable=True)
        self.birth_date = OptionalDateEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，末位可为X")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机或 区号-固话")
        self.address = QLineEdit()
        self.marital_status = combo(MARITAL_STATUSES, empty="（请选择）")
        self.form.add("name", "姓名", self.name, required=True)
        self.form.add("sex", "性别", self.sex)
        self.form.add("ethnicity", "民族", self.ethnicity)
        self.form.add("id_number", "身份证号", self.id_number)
        self.form.add("birth_date", "出生日期", self.birth_date)
        self.form.add("phone", "联系电话", self.phone)
        self.form.add("address", "住址", self.address)
        self.form.add("marital_status", "婚姻状况", self.marital_status)
        take_at_most(self.form, LIMITS)
        self.id_number.editingFinished.connect(self._read_id_number)
        for w in (self.name, self.id_number, self.phone):
            w.editingFinished.connect(self.lookup)

    def _read_id_number(self) -> None:
        text = self.id_number.text().strip()
        box = self.form.boxes["id_number"]
        if not text:
            box.set_hint("")
            return
        try:
            info = idcard.parse_id_number(text, self._today)
        except idcard.IdNumberError as e:
            box.set_error(str(e))
            return
        if self.id_number.text() != info.number:
            self.id_number.setText(info.number)
        box.set_hint(f"身份证显示：{format_cn(info.birth_date)}出生，{info.sex}")
        # fill what the number tells, show contradictions with what was typed
        sex = combo_value(self.sex)
        if not sex:
            set_combo(self.sex, info.sex)
        elif sex != info.sex:
            self.form.boxes["sex"].set_error(f"性别与身份证号不符（身份证号显示为{info.sex}）")
        birth, _err = self.birth_date.date_or_error()
        if birth is None and not self.birth_date.text().strip():
            self.birth_date.set_date(info.birth_date)
        elif birth is not None and birth != info.birth_date:
            self.form.boxes["birth_date"].set_error(
                f"出生日期与身份证号不符（身份证号显示为{format_cn(info.birth_date)}）"
            )

    def value(self, errors: dict[str, str], prefix: str) -> Person:
        birth, err = self.birth_date.date_or_error()
        if err:
            errors[prefix + "birth_date"] = err
        return Person(
            id=self.person_id,
            name=self.name.text(),
            sex=combo_value(self.sex),
            ethnicity=combo_value(self.ethnicity),
            birth_date=birth,
            id_number=self.id_number.text(),
            phone=self.phone.text(),
            address=self.address.text(),
            marital_status=combo_value(self.marital_status),
        )

    def fill(self, p: Person, only_empty: bool = True) -> None:
        """Fill from a person on file; by default only the fields the user left empty."""
        def put(edit: QLineEdit, value: str) -> None:
            if value and (not only_empty or not edit.text().strip()):
                edit.setText(value)

        put(self.name, p.name)
        put(self.id_number, p.id_number)
        put(self.phone, p.phone)
        put(self.address, p.address)
        if p.birth_date and (not only_empty or not self.birth_date.text().strip()):
            self.birth_date.set_date(p.birth_date)
        for c, v in ((self.sex, p.sex), (self.marital_status, p.marital_status)):
            if v and (not only_empty or not combo_value(c)):
                set_combo(c, v)
        if p.ethnicity and (not only_empty or not combo_value(self.ethnicity)):
            set_combo(self.ethnicity, p.ethnicity)

    def show_errors(self, errors: dict[str, str], prefix: str) -> None:
        for name in FIELDS:
            box = self.form.boxes[name]
            msg = errors.get(prefix + name, "")
            if msg:
                box.set_error(msg)
            elif box.error():
                box.set_error("")
