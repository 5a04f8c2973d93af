"""机构名录: the organisations the office refers women to, for every service (法律援助, 庇护所, 医院 …) — add, change,
stop using (never delete)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import referral as rules
from ...domain.referral import Organisation
from ...services import organisations
from ...services.context import Context
from ..cases.action_dialog import ActionDialog
from ..shell import dialogs
from ..shell.widgets import combo, combo_value, record_table, set_combo, take_at_most

COLUMNS = ("名称", "类别", "地址", "联系人", "电话", "状态", "提供的服务")
ALL_SERVICES = "（全部服务）"
ORG_ROLE = Qt.ItemDataRole.UserRole + 4


class OrganisationsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None, service: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("机构名录（转介）")
        self.resize(960, 460)
        layout = QVBoxLayout(self)
        intro = QLabel("转介时从这里选择接收机构：法律援助中心、庇护所或救助管理站、医院、心理咨询、派出所、民政、残联、"
                       "学校、村（居）委会……已转介的案件保留转介当时的机构信息；不再合作的机构请“停用”，不会删除。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        top.addWidget(QLabel("显示："))
        self.service_filter = combo((ALL_SERVICES, *rules.SERVICE_NAMES))
        set_combo(self.service_filter, service or ALL_SERVICES)
        top.addWidget(self.service_filter)
        top.addStretch(1)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        record_table(self.table)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(72)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("新增机构…")
        self.edit_button = QPushButton("修改…")
        self.toggle_button = QPushButton("停用")
        for b in (self.add_button, self.edit_button, self.toggle_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(lambda: self.make_edit_dialog(None).open())
        self.edit_button.clicked.connect(self._edit_current)
        self.toggle_button.clicked.connect(self.toggle_current)
        self.table.itemDoubleClicked.connect(lambda _item: self._edit_current())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.service_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def shown_service(self) -> str:
        """The service the list shows ('' for all)."""
        s = combo_value(self.service_filter)
        return "" if s == ALL_SERVICES else s

    def reload(self, select: int | None = None) -> None:
        entries = organisations.directory(self.ctx, include_inactive=True, service=self.shown_service())
        self.table.setRowCount(len(entries))
        for r, o in enumerate(entries):
            values = (o.name, o.kind, o.address, o.contact_person, o.phone, "在用" if o.active else "已停用", o.service)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(ORG_ROLE, o.id)
                if not o.active:
                    item.setForeground(QBrush(QColor("#8a8a8a")))
                self.table.setItem(r, c, item)
            if select is not None and o.id == select:
                self.table.selectRow(r)
        self._selection_changed()

    def current(self) -> Organisation | None:
        items = self.table.selectedItems()
        if not items:
            return None
        return organisations.get(self.ctx, int(items[0].data(ORG_ROLE)))

    def _selection_changed(self) -> None:
        o = self.current()
        self.edit_button.setEnabled(o is not None)
        self.toggle_button.setEnabled(o is not None)
        self.toggle_button.setText("重新启用" if o is not None and not o.active else "停用")

    def _edit_current(self) -> None:
        o = self.current()
        if o is not None:
            self.make_edit_dialog(o).open()

    def make_edit_dialog(self, o: Organisation | None) -> ActionDialog:
        d = ActionDialog("新增机构" if o is None else "修改机构", "", self)
        name = QLineEdit(o.name if o else "")
        service = combo(rules.SERVICE_NAMES)
        set_combo(service, o.service if o else (self.shown_service() or rules.LEGAL_AID))
        kind = combo((), empty="（请选择）")

        def kinds() -> None:
            keep = combo_value(kind)
            kind.clear()
            kind.addItem("（请选择）", "")
            for k in rules.service_of(combo_value(service)).organisation_kinds:
                kind.addItem(k, k)
            set_combo(kind, keep)

        kinds()
        service.currentIndexChanged.connect(lambda _i: kinds())
        if o:
            set_combo(kind, o.kind)
        address = QLineEdit(o.address if o else "")
        contact = QLineEdit(o.contact_person if o else "")
        phone = QLineEdit(o.phone if o else "")
        phone.setPlaceholderText("如 12348 或 0734-8123456")
        d.add("service", "提供的服务", service, True)
        d.add("name", "机构名称", name, True)
        d.add("kind", "类别", kind, True)
        d.add("address", "地址", address)
        d.add("contact_person", "联系人", contact)
        d.add("phone", "电话", phone)
        take_at_most(d.form, rules.ORGANISATION_LIMITS)
        saved: list[int] = []

        def save() -> None:
            saved.append(organisations.save(self.ctx, Organisation(
                id=o.id if o else None, name=name.text(), kind=combo_value(kind), address=address.text(),
                contact_person=contact.text(), phone=phone.text(), active=o.active if o else True,
                service=combo_value(service))))

        d.on_ok(save)
        d.accepted.connect(lambda: self.reload(saved[-1] if saved else None))
        return d

    def toggle_current(self) -> None:
        o = self.current()
        if o is None or o.id is None:
            return
        if o.active:
            used = organisations.referral_count(self.ctx, o.id)
            text = f"停用“{o.name}”？停用后转介时不再列出它" + (f"；已有{used}件转介保留原来的记录。" if used else "。")
            if not dialogs.ask(self, "停用机构", text, "停用", "取消"):
                return
        organisations.set_active(self.ctx, o.id, not o.active)
        self.reload(o.id)
