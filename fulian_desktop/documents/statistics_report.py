"""统计报表 (PDF): the summary paragraph, then every statistics table, on A4 with the office's name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..domain.dates import format_cn
from ..reports.statistics import Table
from .layout import BODY_SIZE, CONTENT_WIDTH, CJKText, Form, build, keep_together, label, note, spacer, value

TITLE = "维权工作统计表"


def _cell_text(v: object) -> str:
    return "" if v is None else str(v)


def _table(t: Table) -> list[Flowable]:
    n = len(t.headers)
    lead = 2 if t.key == "subcategory" else 1  # label columns
    first = [38 * mm] * lead if lead == 2 else [min(58 * mm, CONTENT_WIDTH * (0.3 if n > 4 else 0.4))]
    last = 30 * mm if t.headers[-1] == "增减" else 0.0  # "+12（+25.0%）" on one line
    rest = (CONTENT_WIDTH - sum(first) - last) / (n - lead - (1 if last else 0))
    widths = first + [rest] * (n - lead - (1 if last else 0)) + ([last] if last else [])
    form = Form(widths)
    header = [label(h) for h in t.headers]
    rows = [[value(_cell_text(v), align="left" if i == 0 or (t.key == "subcategory" and i == 1) else "right")
             for i, v in enumerate(r)] for r in t.rows]
    if not rows:
        rows = [[value("（本期没有记录）", span=n, align="center")]]
    form.listing(header, rows, title=t.title)
    parts: list[Flowable] = [*form.flowables()]
    if t.note:
        parts.append(note("注：" + t.note))
    parts.append(spacer(4 * mm))
    return [keep_together(*parts)] if len(t.rows) <= 12 else parts


def render(period_label: str, office: str, summary: str, tables: Sequence[Table], printed_on: dt.date,
           compared_label: str = "") -> bytes:
    heading = CJKText("一、工作总结（数字部分，草稿）", BODY_SIZE, bold=True)
    paragraph = CJKText(summary, BODY_SIZE, indent=True, align="justify")
    story: list[Flowable] = [heading, spacer(2 * mm), paragraph, spacer(5 * mm),
                             CJKText("二、统计表", BODY_SIZE, bold=True), spacer(2 * mm)]
    for t in tables:
        story.extend(_table(t))
    fields = [f"填报单位：{office}", f"统计期间：{period_label}", f"去年同期：{compared_label}" if compared_label else ""]
    return build(TITLE, story, fields=[f for f in fields if f], footer_left=f"打印日期：{format_cn(printed_on)}",
                 footer_right=office, author=office, subject=f"{period_label}统计")
