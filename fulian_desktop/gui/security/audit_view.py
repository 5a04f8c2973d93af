"""审计日志 (the audit trail) for the 主任: filter by date, user, event, case number and result; the old
and new values of a change (shown only here, inside the program); export to CSV; verify the chain."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.audit import RESULT_LABELS, Entry, event_label, field_label, operation_label, table_label
from ...domain.dates import format_cn_datetime
from ...domain.errors import FulianError, ValidationError
from ...domain.statuses import status_label
from ...services import audit
from ...services.audit import AuditFilter
from ...services.context import Context
from ..shell import dialogs
from ..shell.date_field import DateField, qdate_to_date
from ..shell.paged_model import PageAsk, PagedTableModel
from ..shell.widgets import FieldBox, busy, record_table

COL_ID, COL_AT, COL_USER, COL_EVENT, COL_CASE, COL_TARGET, COL_DETAIL, COL_RESULT = range(8)
HEADERS = ("序号", "时间", "用户", "事件", "案件编号", "对象", "说明", "结果")

EVENT_CHOICES = (
    ("", "全部事件"),
    ("login", "登录"),
    ("login.failed", "登录失败"),
    ("case.", "案件（新建、修改、状态、查看、打印、导出）"),
    ("case.create", "新建案件"),
    ("case.update", "修改案件"),
    ("case.status", "状态变更"),
    ("case.view", "查看案件详情"),
    ("case.print", "打印"),
    ("case.export", "导出"),
    ("account.", "账号变更"),
    ("setting.change", "设置变更"),
    ("denied", "无权限被拒绝"),
    ("lock", "锁屏"),
    ("unlock.failed", "解锁失败"),
)


class AuditModel(PagedTableModel[Entry, AuditFilter]):
    HEADERS = HEADERS

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(AuditFilter(), parent=parent)
        self._ctx = ctx
        self.refresh()

    def fetch(self, limit: int, offset: int) -> list[Entry]:
        return audit.page(self._ctx, self._filter, limit, offset)

    def fetch_page(self, ask: PageAsk[Entry]) -> list[Entry]:
        """Read on from an entry already shown, or from the end (paged_model.py)."""
        return audit.page(self._ctx, self._filter, ask.limit, ask.start, **ask.around())

    def count_rows(self) -> int:
        return audit.count(self._ctx, self._filter)

    def other_role(self, e: Entry, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_DETAIL, COL_TARGET):
            return audit.describe(e) if col == COL_DETAIL else audit.target_label(e.target)
        if role == Qt.ItemDataRole.ForegroundRole and e.result != "ok":
            return QBrush(QColor("#a61b1b"))
        return None

    def display(self, e: Entry, col: int) -> str:
        if col == COL_ID:
            return str(e.id)
        if col == COL_AT:
            return format_cn_datetime(e.at, seconds=True)
        if col == COL_USER:
            if not e.actor:
                return "（未知用户名）" if e.event.endswith(".failed") else "—"
            return f"{e.actor_name}（{e.actor}）" if e.actor_name else e.actor
        if col == COL_EVENT:
            return event_label(e.event)
        if col == COL_CASE:
            return e.case_no or (f"#{e.case_id}" if e.case_id else "")
        if col == COL_TARGET:
            return audit.target_label(e.target)
        if col == COL_DETAIL:
            return audit.describe(e)
        if col == COL_RESULT:
            return RESULT_LABELS.get(e.result, e.result)
        return ""


def _value(v: object) -> str:
    if v is None:
        return "（空）"
    text = str(v)
    return html.escape(text if len(text) <= 300 else text[:300] + "……")


class AuditDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("审计日志")
        self.resize(1100, 700)
        audit.opened(ctx)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        today = ctx.today()
        self.use_dates = QCheckBox("日期")
        self.date_from = DateField(today.replace(day=1))
        self.date_to = DateField(today)
        for d in (self.date_from, self.date_to):
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.user = QComboBox()
        self.user.addItem("全部用户", None)
        for account_id, label in audit.actors(ctx):
            self.user.addItem(label, account_id)
        self.event = QComboBox()
        for key, label in EVENT_CHOICES:
            self.event.addItem(label, key)
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText("案件编号")
        self.case_no.setMinimumWidth(170)  # 信访〔2026〕第0001号 whole
        self.case_no.setClearButtonEnabled(True)
        self.result = QComboBox()
        self.result.addItem("全部结果", "")
        for key, label in RESULT_LABELS.items():
            self.result.addItem(label, key)
        self.search_button = QPushButton("查询")
        for box, chars in ((self.user, 8), (self.event, 14)):  # the list shows each choice whole when it opens
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(chars)
        for w in (self.use_dates, FieldBox(self.date_from), QLabel("至"), FieldBox(self.date_to), self.user, self.event,
                  self.case_no, self.result, self.search_button):
            filters.addWidget(w)
        filters.addStretch(1)
        layout.addLayout(filters)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = AuditModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        record_table(self.table)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for col, width in ((COL_ID, 60), (COL_AT, 172), (COL_USER, 150), (COL_EVENT, 100), (COL_CASE, 170),
                           (COL_TARGET, 110), (COL_RESULT, 60)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)
        self.history = QTextBrowser()
        self.history.setPlaceholderText("选中一条“修改”记录，这里显示改动的字段和原值、新值。")
        split.addWidget(self.history)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        self.verify_button = QPushButton("校验完整性")
        self.verify_button.setToolTip("逐条核对哈希链：发现被修改、删除或插入的记录")
        self.checkpoint_button = QPushButton("打印核对码…")
        self.checkpoint_button.setToolTip("打印一张审计日志核对码放进纸质档案：以后校验时输入它，"
                                          "可以发现这之前的记录是否被改写过")
        self.export_button = QPushButton("导出CSV…")
        close = QPushButton("关闭")
        for b in (self.verify_button, self.checkpoint_button, self.export_button, close):
            bottom.addWidget(b)
        layout.addLayout(bottom)

        self.search_button.clicked.connect(self.apply_filter)
        self.case_no.returnPressed.connect(self.apply_filter)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.checkpoint_button.clicked.connect(self.print_checkpoint)
        close.clicked.connect(self.accept)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_history(cur.row()))
        self.verify_button.setVisible(ctx.may("audit.verify"))
        self.checkpoint_button.setVisible(ctx.may("audit.read"))
        self.last_preview: QDialog | None = None
        self._update_count()

    def current_filter(self) -> AuditFilter | None:
        f = AuditFilter(event=str(self.event.currentData() or ""), result=str(self.result.currentData() or ""))
        account = self.user.currentData()
        f.actor_id = int(account) if account is not None else None
        if self.use_dates.isChecked():
            f.date_from, f.date_to = qdate_to_date(self.date_from.date()), qdate_to_date(self.date_to.date())
            if f.date_from > f.date_to:
                f.date_from, f.date_to = f.date_to, f.date_from
        text = self.case_no.text().strip()
        if text:
            try:
                f.case_id = audit.case_id_for(self.ctx, text)
            except FulianError as e:
                dialogs.warn(self, "审计日志", e.message)
                return None
        return f

    def apply_filter(self) -> None:
        f = self.current_filter()
        if f is None:
            return
        self.model.set_filter(f)
        self.history.clear()
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 条记录（最新的在最上面）")

    def _show_history(self, row: int) -> None:
        e = self.model.row_at(row)
        if e is None:
            self.history.clear()
            return
        changes = audit.history(self.ctx, e.id)
        lines = [f"<b>第{e.id}条</b>　{format_cn_datetime(e.at, seconds=True)}　{html.escape(event_label(e.event))}"
                 f"　<span style='color:#52606d'>{html.escape(operation_label(e.operation))}</span>"]
        shown = [c for c in changes if c.op == "U"]
        kind = str(e.details().get("kind", ""))
        if e.details().get("reason"):  # 更正原因 or why a step was undone: cut short in the 说明 column
            lines.append("原因：" + html.escape(str(e.details()["reason"])))

        def value(tbl: str, field: str, v: object) -> str:
            if tbl == "cases" and field == "status" and isinstance(v, str):
                return html.escape(status_label(kind, v))
            return _value(v)

        added = sorted({table_label(c.tbl) for c in changes if c.op == "I"})
        removed = [c for c in changes if c.op == "D"]
        if added:
            lines.append("新增：" + html.escape("、".join(added)))
        if shown:
            rows = "".join(
                f"<tr><td>{html.escape(field_label(f'{c.tbl}.{c.field}'))}</td>"
                f"<td style='color:#a61b1b'>{value(c.tbl, c.field, c.old_value)}</td><td>→</td>"
                f"<td style='color:#1f6f43'>{value(c.tbl, c.field, c.new_value)}</td></tr>"
                for c in shown
            )
            lines.append("<table cellspacing=4><tr><th align=left>字段</th><th align=left>原值</th><th></th>"
                         f"<th align=left>新值</th></tr>{rows}</table>")
        if removed:
            tables = sorted({table_label(c.tbl) for c in removed})
            lines.append("删除：" + html.escape("、".join(tables)) + "（原值已保存在修改历史中）")
        if not changes:
            lines.append("<span style='color:#52606d'>这条记录没有改动数据。</span>")
        lines.append(f"<span style='color:#8a96a3;font-size:8pt'>哈希 {e.hash}</span>")
        self.history.setHtml("<br>".join(lines))

    def verify(self) -> None:
        codes = dialogs.ask_text(self, "校验审计日志", "如有打印过的纸质核对码，请输入（可不填；几个核对码用逗号隔开）：")
        if codes is None:
            return
        try:
            with busy():
                result = audit.verify(self.ctx, [c for c in codes.replace("，", ",").split(",") if c.strip()])
        except ValidationError as e:
            dialogs.warn(self, "校验审计日志", "；".join(e.errors.values()))
            return
        except FulianError as e:
            dialogs.warn(self, "校验审计日志", e.message)
            return
        if result.ok:
            dialogs.inform(self, "校验审计日志", result.summary())
        else:
            dialogs.warn(self, "校验审计日志", result.summary())
        self.model.refresh()
        self._update_count()

    def print_checkpoint(self) -> QDialog | None:
        """The checkpoint for the paper file, in the program's own preview (print or save from there)."""
        from ..shell.pdf_preview import PdfPreview

        try:
            with busy():
                pdf = audit.checkpoint_pdf(self.ctx)
        except FulianError as e:
            dialogs.warn(self, "打印核对码", e.message)
            return None
        self.last_preview = PdfPreview(pdf, f"审计日志核对码_{self.ctx.today():%Y-%m-%d}.pdf", self)
        self.last_preview.open()
        self.model.refresh()
        self._update_count()
        return self.last_preview

    def export(self) -> None:
        f = self.model.current_filter()
        name = f"审计日志_{dt.date.today():%Y%m%d}.csv"
        path = dialogs.save_path(self, "导出审计日志", name, "CSV 文件 (*.csv)")
        if not path:
            return
        try:
            with busy():
                data, n = audit.export_csv(self.ctx, f)
                Path(path).write_bytes(data)
        except FulianError as e:
            dialogs.warn(self, "导出审计日志", e.message)
            return
        except OSError as e:
            dialogs.warn(self, "导出审计日志", f"无法写入文件：{e.strerror}。请换一个位置保存。")
            return
        dialogs.inform(self, "导出审计日志", f"已导出{n}条记录到：{path}")
        self.model.refresh()
        self._update_count()
