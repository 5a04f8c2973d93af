"""统计 (statistics page): pick a period, see the summary paragraph (editable, with a copy button), charts by
month, category and township, and every table with the same period a year before; export to .xlsx or
print as PDF. 范围: the county as a whole, one township, or the townships compared side by side (a township office
sees its own township's alone)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QHelpEvent, QHideEvent, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_cn
from ...domain.errors import FulianError
from ...reports import statistics as st
from ...services import exchange, statistics
from ...services.context import Context
from ..shell import dialogs
from ..shell.date_field import DateField, qdate_to_date
from ..shell.widgets import FieldBox, busy, scrolling_column

PERIOD_CHOICES = (("month", "月"), ("quarter", "季度"), ("half", "半年"), ("year", "全年"), ("custom", "自定义"))
THIS_COLOR = QColor("#1d4e89")
BEFORE_COLOR = QColor("#a9c4e4")
KIND_COLORS = (QColor("#1d4e89"), QColor("#c0504d"), QColor("#4e9a06"))  # 信访, 转介, 调解 by month
LABEL_COLOR = QColor("#222222")  # the number beside a bar (the theme draws it white, unseen)
ALL, COMPARE = "", "\x00compare"  # 范围: the whole county; the townships side by side
BAR_WIDTH = 0.8  # of a category's row, for its bars
UPRIGHT_BARS = 40  # up to this many bars in the month chart, each has its number over it


def _qdate(d: dt.date) -> object:
    from PySide6.QtCore import QDate

    return QDate(d.year, d.month, d.day)


class PeriodPicker(QWidget):
    """月 / 季度 / 半年 / 全年 / 自定义, the year, and which month, quarter or half (or two dates)."""

    changed = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox()
        for key, label in PERIOD_CHOICES:
            self.kind.addItem(label, key)
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(today.year)
        self.year.setSuffix(" 年")
        self.number = QComboBox()
        self.date_from = DateField(dt.date(today.year, 1, 1))
        self.date_to = DateField(today)
        self.from_box, self.to_box = FieldBox(self.date_from), FieldBox(self.date_to)  # (what cannot be read)
        self.to_label = QLabel("至")
        row.addWidget(QLabel("统计期间："))
        for w in (self.kind, self.year, self.number, self.from_box, self.to_label, self.to_box):
            row.addWidget(w)
        row.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.year.valueChanged, self.number.currentIndexChanged, self.date_from.dateChanged,
                       self.date_to.dateChanged):
            signal.connect(lambda *_: self.changed.emit())
        # the half-year we are in by default: the summary the office writes next
        self.kind.setCurrentIndex(2)
        self._kind_changed()
        self.number.setCurrentIndex(0 if today.month <= 6 else 1)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.number.blockSignals(True)
        self.number.clear()
        if kind == "month":
            for m in range(1, 13):
                self.number.addItem(f"{m}月", m)
            self.number.setCurrentIndex(self.today.month - 1)
        elif kind == "quarter":
            for i, label in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), 1):
                self.number.addItem(label, i)
            self.number.setCurrentIndex((self.today.month - 1) // 3)
        elif kind == "half":
            self.number.addItem("上半年", 1)
            self.number.addItem("下半年", 2)
            self.number.setCurrentIndex(0 if self.today.month <= 6 else 1)
        self.number.blockSignals(False)
        custom = kind == "custom"
        self.year.setVisible(not custom)
        self.number.setVisible(kind in ("month", "quarter", "half"))
        for w in (self.from_box, self.to_label, self.to_box):
            w.setVisible(custom)
        self.changed.emit()

    def set_period(self, kind: str, year: int = 0, number: int = 1) -> None:
        self.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        if year:
            self.year.setValue(year)
        i = self.number.findData(number)
        if i >= 0:
            self.number.setCurrentIndex(i)
        self.blockSignals(False)
        self.changed.emit()

    def set_custom(self, first: dt.date, last: dt.date) -> None:
        self.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData("custom"))
        self.date_from.setDate(_qdate(first))  # type: ignore[arg-type]
        self.date_to.setDate(_qdate(last))  # type: ignore[arg-type]
        self.blockSignals(False)
        self.changed.emit()

    def period(self) -> st.Period:
        kind = self.kind.currentData()
        if kind == "custom":
            return st.custom_period(qdate_to_date(self.date_from.date()), qdate_to_date(self.date_to.date()))
        return st.make_period(kind, self.year.value(), int(self.number.currentData() or 1))


def _font(size: float = 9, bold: bool = False) -> QFont:
    f = QFont(QApplication.font())
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(10.5, True))
    chart.legend().setFont(_font(9))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _bars(data: st.Chart) -> QChart:
    """A bar chart of `data`: horizontal ones (categories, townships) top to bottom in the table's order, with
    this period and the year before; the month chart with one bar per kind of case and month. Every bar has
    its number beside it (the month chart's when there is room: UPRIGHT_BARS), and pointing at a bar tells
    its category, series and number."""
    horizontal = data.horizontal
    chart = _chart(data.title)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    labels = data.labels[::-1] if horizontal else data.labels  # Qt draws the first category at the bottom
    if horizontal:
        colors: tuple[QColor, ...] = (THIS_COLOR, BEFORE_COLOR)
    else:
        colors = KIND_COLORS
    for (name, values), color in zip(data.series, colors, strict=False):
        s = QBarSet(name)
        s.append([float(v) for v in (values[::-1] if horizontal else values)])
        s.setColor(color)
        s.setBorderColor(color)
        s.setLabelColor(LABEL_COLOR)
        s.setProperty("percent", data.percent)
        s.hovered.connect(lambda on, i, s=s: _tell(chart, s, labels, on, i))
        series.append(s)
    series.setLabelsVisible(horizontal or len(labels) * len(data.series) <= UPRIGHT_BARS)
    if data.percent:
        series.setLabelsFormat("@value%")
        series.setLabelsPrecision(4)  # 87.5%, 100%
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    if horizontal:
        series.setBarWidth(BAR_WIDTH)
    else:  # upright numbers over narrow bars would run into each other: along the bar instead
        series.setLabelsAngle(-90)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append(labels or [""])
    cats.setLabelsFont(_font(8.5))
    values_axis = QValueAxis()
    values_axis.setLabelFormat("%d%%" if data.percent else "%d")
    values_axis.setLabelsFont(_font(8.5))
    top = 100 if data.percent else max([v for _, values in data.series for v in values] + [1])
    values_axis.setRange(0, top * (1.15 if horizontal else 1.3) + 1)  # room for the numbers past the bars
    if data.percent:  # ticks up to 100%, the room past it for the numbers only
        values_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        values_axis.setTickAnchor(0)
        values_axis.setTickInterval(25)
    else:
        values_axis.applyNiceNumbers()
    if horizontal:
        chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cats)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(data.series) > 1)
    if horizontal:  # every name written out beside its bars (the view is made tall enough: _fit_bars)
        cats.setTruncateLabels(False)
    return chart


def _tell(chart: QChart, bars: QBarSet, labels: list[str], on: bool, index: int) -> None:
    """The pointer on a bar, or off it: the view's tooltip tells the bar (3月 调解：14), or nothing."""
    value = bars.at(index) if on and 0 <= index < len(labels) else 0.0
    number = f"{value:.1f}%" if bars.property("percent") else f"{int(value)}"
    text = f"{labels[index]}　{bars.label()}：{number}" if on and 0 <= index < len(labels) else ""
    for view in chart.scene().views() if chart.scene() is not None else []:
        view.setToolTip(text)


class _ChartView(QChartView):
    """A chart whose tooltip is the bar under the pointer (_tell): the chart's scene would otherwise take the
    tooltip event and, none of its own items having a tooltip, show nothing."""

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if self.toolTip():
                QToolTip.showText(event.globalPos(), self.toolTip(), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


BAR_ROW = 34  # pixels per category of a horizontal bar chart: each name on its own line, none skipped, and
# each of its two bars (filling BAR_WIDTH of the row) as tall as the number beside it


def _fit_bars(view: QChartView, categories: int) -> None:
    """A horizontal bar chart as tall as its categories need: Qt leaves out every other name on the category
    axis, and shortens the rest to "…", when they are closer together than a line of text."""
    view.setMinimumHeight(max(260, 110 + BAR_ROW * categories))


def _view(chart: QChart) -> QChartView:
    v = _ChartView(chart)
    v.setRenderHint(QPainter.RenderHint.Antialiasing)
    v.setMinimumHeight(260)
    return v


class StatisticsPage(QWidget):
    """The whole statistics page. `comparison` holds what is shown."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.comparison: st.Comparison | None = None
        self.tables: list[st.Table] = []
        self.charts: dict[str, st.Chart] = {}
        self.generated = ""  # the paragraph as drafted; the user's edits are kept when the figures are redone
        self.last_pdf: object | None = None
        outer = QVBoxLayout(self)

        top = QHBoxLayout()
        self.picker = PeriodPicker(ctx.today())
        top.addWidget(self.picker, 1)
        # 范围: at the county the whole county, one township, or the townships compared; at a township its own
        self.scope = QComboBox()
        own = statistics.own_township(ctx)
        if own:
            self.scope.addItem(own, own)
            self.scope.setEnabled(False)
        else:
            self.scope.addItem("全县", ALL)
            self.scope.addItem("各乡镇对比", COMPARE)
            for name in statistics.township_names(ctx):
                self.scope.addItem(name, name)
        self.scope.setToolTip("统计全县，某一个乡镇，或者各乡镇并排对比")
        scope_label = QLabel("范围：")
        scope_label.setBuddy(self.scope)
        top.addWidget(scope_label)
        top.addWidget(self.scope)
        self.export_button = QPushButton("导出Excel…")
        self.print_button = QPushButton("打印统计表（PDF）…")
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        outer.addLayout(top)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1d4e89;")
        outer.addWidget(self.heading)

        self.body = scrolling_column(outer, 1)

        self.summary_box = summary_box = QGroupBox("工作总结（数字部分，草稿：可以修改后复制到总结中）")
        sl = QVBoxLayout(summary_box)
        self.summary = QPlainTextEdit()
        self.summary.setMinimumHeight(110)
        self.summary.setMaximumHeight(160)
        sl.addWidget(self.summary)
        sb = QHBoxLayout()
        self.copy_button = QPushButton("复制")
        self.redo_button = QPushButton("恢复为自动生成的文字")
        self.copied_label = QLabel()
        self.copied_label.setStyleSheet("color: #2e7d32;")
        sb.addWidget(self.copy_button)
        sb.addWidget(self.redo_button)
        sb.addWidget(self.copied_label)
        sb.addStretch(1)
        sl.addLayout(sb)
        self.body.addWidget(summary_box)

        self.month_view = _view(_chart("按月份"))  # the whole width: three bars a month
        self.body.addWidget(self.month_view)
        charts = QHBoxLayout()
        self.category_view = _view(_chart("按问题类别"))
        self.township_view = _view(_chart("按乡镇"))
        for v in (self.category_view, self.township_view):
            charts.addWidget(v, 1)
        self.body.addLayout(charts)
        self.rates_view = _view(_chart("各项比率"))  # 按期告知率 … 复核按期答复率, this period and the year before
        self.body.addWidget(self.rates_view)

        self.table_tabs = QTabWidget()
        self.table_tabs.setMinimumHeight(320)
        self.body.addWidget(self.table_tabs)

        self.picker.changed.connect(self.refresh)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh(keep_text=False))
        self.copy_button.clicked.connect(self.copy_summary)
        self.redo_button.clicked.connect(self._regenerate)
        self.export_button.clicked.connect(self.export_xlsx)
        self.print_button.clicked.connect(self.print_pdf)
        self.summary.textChanged.connect(lambda: self.copied_label.setText(""))
        self._stale = False
        self.refresh()

    # --- figures ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Back on the page after work elsewhere: the figures are redone (the user's own text is kept); not
        when it is first shown, just after they were made."""
        super().showEvent(event)
        if self._stale:
            self.refresh(keep_text=True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._stale = True  # cases may change while she works elsewhere

    @property
    def township(self) -> str:
        """The township shown on its own ("" for the county and the comparison)."""
        scope = str(self.scope.currentData() or "")
        return "" if scope == COMPARE else scope

    def refresh(self, keep_text: bool = False) -> None:
        comparing = self.scope.currentData() == COMPARE
        try:
            period = self.picker.period()
            with busy():  # a year of a large office: half a second (the comparison: a moment a township)
                if comparing:
                    compared = statistics.township_table(self.ctx, period)
                else:
                    self.comparison = statistics.compare(self.ctx, period, self.township)
            self._stale = False
        except FulianError as e:
            self._failed(e.message)
            return
        self.table_tabs.setVisible(True)
        for w in (self.summary_box, self.month_view, self.category_view, self.township_view, self.rates_view):
            w.setVisible(not comparing)
        for b in (self.export_button, self.print_button):
            b.setEnabled(not comparing)
            b.setToolTip("各乡镇对比表不导出、不打印；请在“范围”中选择全县或某个乡镇" if comparing else "")
        if comparing:
            self.heading.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1d4e89;")
            self.heading.setText(f"各乡镇对比：{period.label}（{format_cn(period.first)}至{format_cn(period.last)}）")
            self.tables = [compared]
            self._fill_tables()
            return
        self._show(period, keep_text)

    def _failed(self, message: str) -> None:
        """The figures could not be made (a period typed wrong, the database unreadable): the message where they
        were, and nothing of the period shown before left beside it to be read, exported or printed as this one's
        (the summary's text stays in its box, hidden)."""
        self.heading.setText(message)
        self.heading.setStyleSheet("font-size: 11pt; color: #a61b1b;")
        self.comparison = None
        self.tables = []
        self._fill_tables()
        for w in (self.summary_box, self.month_view, self.category_view, self.township_view, self.rates_view,
                  self.table_tabs):
            w.setVisible(False)
        for b in (self.export_button, self.print_button):
            b.setEnabled(False)

    def _show(self, period: st.Period, keep_text: bool) -> None:
        assert self.comparison is not None
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1d4e89;")
        c = self.comparison
        where = f"{self.township}：" if self.township else ""
        self.heading.setText(f"{where}{period.label}（{format_cn(period.first)}至{format_cn(period.last)}）"
                             f"　去年同期：{c.previous.period.label}")
        self.tables = statistics.tables(c)
        drafted = statistics.paragraph(self.ctx, c, self.township)
        edited = self.summary.toPlainText() != self.generated
        if not (keep_text and edited):
            self.summary.setPlainText(drafted)
            self.copied_label.setText("")
        self.generated = drafted
        self._fill_tables()
        self._draw_charts()

    def _regenerate(self) -> None:
        if self.comparison is not None:
            self.generated = statistics.paragraph(self.ctx, self.comparison, self.township)
            self.summary.setPlainText(self.generated)

    def copy_summary(self) -> None:
        QGuiApplication.clipboard().setText(self.summary.toPlainText())
        self.copied_label.setText("已复制，可以粘贴到总结中。")

    def _fill_tables(self) -> None:
        current = self.table_tabs.currentIndex()
        while self.table_tabs.count():  # the last period's tables go (not only their tabs); from the last, so that
            old = self.table_tabs.widget(self.table_tabs.count() - 1)  # no tab is shown (laid out) only to go
            self.table_tabs.removeTab(self.table_tabs.count() - 1)
            old.setParent(None)
            old.deleteLater()
        for t in self.tables:
            w = QTableWidget(len(t.rows), len(t.headers))
            w.setObjectName(f"table_{t.key}")
            w.setHorizontalHeaderLabels(t.headers)
            w.verticalHeader().setVisible(False)
            w.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            w.setAlternatingRowColors(True)
            for r, values in enumerate(t.rows):
                for col, v in enumerate(values):
                    item = QTableWidgetItem("" if v is None else str(v))
                    if col > 0 and not (t.key == "subcategory" and col == 1):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if str(values[0]).startswith("合计"):
                        f = item.font()
                        f.setBold(True)
                        item.setFont(f)
                    w.setItem(r, col, item)
            header = w.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setMinimumSectionSize(90)
            header.setStretchLastSection(False)
            page = QWidget()
            pl = QVBoxLayout(page)
            pl.setContentsMargins(2, 2, 2, 2)
            pl.addWidget(w)
            if t.note:
                note = QLabel("注：" + t.note)
                note.setWordWrap(True)
                note.setStyleSheet("color: #555;")
                pl.addWidget(note)
            short = t.title.split("：")[-1] if "：" in t.title else t.title
            self.table_tabs.addTab(page, short if t.title.startswith("信访") else t.title)
        if 0 <= current < self.table_tabs.count():
            self.table_tabs.setCurrentIndex(current)

    def table_widget(self, key: str) -> QTableWidget | None:
        return self.findChild(QTableWidget, f"table_{key}")

    def _draw_charts(self) -> None:
        assert self.comparison is not None
        self.charts = {c.key: c for c in statistics.charts(self.comparison)}
        self.month_view.setChart(_bars(self.charts["month"]))
        for key, view in (("category", self.category_view), ("township", self.township_view),
                          ("rates", self.rates_view)):
            _fit_bars(view, len(self.charts[key].labels))
            view.setChart(_bars(self.charts[key]))

    # --- output -------------------------------------------------------------------------------
    def _name(self, suffix: str) -> str:
        label = self.comparison.current.period.label if self.comparison else "统计"
        where = f"{self.township}_" if self.township else ""
        return f"维权工作统计_{where}{label}{suffix}"

    def export_xlsx(self) -> str:
        if self.comparison is None:
            return ""
        path = dialogs.save_path(self, "导出统计表", self._name(".xlsx"), "Excel 文件 (*.xlsx)")
        if not path:
            return ""
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            from pathlib import Path

            with busy():
                exchange.export_statistics(self.ctx, self.comparison, Path(path), self.summary.toPlainText(),
                                           self.township)
        except FulianError as e:
            dialogs.warn(self, "无法导出", e.message)
            return ""
        dialogs.inform(self, "已导出", f"统计表已保存：{path}")
        return path

    def print_pdf(self) -> object | None:
        if self.comparison is None:
            return None
        try:
            with busy():
                pdf, name = exchange.statistics_pdf(self.ctx, self.comparison, self.summary.toPlainText(),
                                                    self.township)
        except FulianError as e:
            dialogs.warn(self, "无法打印", e.message)
            return None
        from ..shell.pdf_preview import PdfPreview

        preview = PdfPreview(pdf, name, self)
        self.last_pdf = preview
        preview.open()
        return preview
