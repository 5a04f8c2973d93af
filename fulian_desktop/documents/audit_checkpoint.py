"""审计日志核对码 (a checkpoint of the audit trail), printed by the 主任 for the paper file.

One A4 page: the office, the date and time, how many entries the trail held and a short code of the last
entry's hash. Typed back into 校验完整性 later, it shows whether anything up to that entry was rewritten
since — also by someone who could open the database. Made in memory.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..domain.dates import format_cn
from .fonts import register_fonts
from .layout import sheet_foot, sheet_head

TITLE = "妇联维权工作台　审计日志核对码"
LINES = (
    "审计日志记录了谁在什么时候查看、修改、打印、导出了什么，每条记录都与前一条用哈希值连在一起。",
    "本页记下了审计日志在上述时间的最后一条记录。以后在“账号与安全 → 审计日志 → 校验完整性”中",
    "输入这个核对码，程序会核对这一条及之前的全部记录是否被改写或删除过。",
    "请把本页放进纸质档案，定期（如每月）打印一张；核对码本身不含任何当事人的信息。",
)


def render(code: str, entry_id: int, office: str, at: dt.datetime) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle("审计日志核对码")
    w = A4[0]
    y = sheet_head(c, TITLE, f"单位：{office}　　　时间：{format_cn(at.date())} {at:%H:%M}　　　记录条数：{entry_id}")
    y -= 24 * mm
    c.setLineWidth(0.8)
    c.rect(25 * mm, y - 8 * mm, w - 50 * mm, 22 * mm)
    c.setFont("Courier-Bold", 22)
    c.drawCentredString(w / 2, y, code)
    sheet_foot(c, y - 26 * mm, LINES, 10.5, ("打印人（签名）：", "归档日期："))
    c.showPage()
    c.save()
    return buf.getvalue()
