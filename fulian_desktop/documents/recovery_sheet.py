"""恢复密钥 (the recovery key sheet): printed once at first start, kept in the office safe.

One A4 page: the office, the date, the key in large grouped letters, what it is for and how to keep it.
Made in memory (never written to a temporary file).
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..domain.accounts import recovery_key_lines
from ..domain.dates import format_cn
from .fonts import register_fonts, string_width
from .layout import draw_text

TITLE = "妇联维权工作台　恢复密钥"
LINES = (
    "这是本单位妇联维权工作台数据库的恢复密钥。",
    "有人忘记密码时，凭它可以为账号重新设置密码（登录窗口中的“忘记密码”）。",
    "数据库是加密保存的：拿到这把密钥的人可以打开全部案件。",
    "请把本页放进办公室的保险柜，不要拍照，不要放在电脑旁边，不要发给任何人。",
    "如果怀疑它已泄露，请管理员在“账号与安全 → 账号管理”中更换恢复密钥，并销毁本页。",
)


def render(recovery_key: str, office: str, on: dt.date) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle("恢复密钥")
    w, h = A4
    y = h - 35 * mm
    size = 20
    draw_text(c, (w - string_width(TITLE, size)) / 2, y, TITLE, size)
    y -= 14 * mm
    info = f"单位：{office}　　　生成日期：{format_cn(on)}"
    draw_text(c, (w - string_width(info, 11)) / 2, y, info, 11)
    y -= 22 * mm
    rows = recovery_key_lines(recovery_key)
    key_size = 22
    c.setLineWidth(0.8)
    box_top = y + 12 * mm
    box_bottom = y - (len(rows) - 1) * 14 * mm - 8 * mm
    c.rect(25 * mm, box_bottom, w - 50 * mm, box_top - box_bottom)
    for row in rows:
        c.setFont("Courier-Bold", key_size)
        c.drawCentredString(w / 2, y, row)
        y -= 14 * mm
    y = box_bottom - 14 * mm
    for line in LINES:
        draw_text(c, 25 * mm, y, line, 11)
        y -= 8 * mm
    y -= 12 * mm
    for label in ("保管人（签名）：", "保管地点：", "交接记录："):
        draw_text(c, 25 * mm, y, label, 11)
        c.line(25 * mm + string_width(label, 11) + 2 * mm, y - 1.5 * mm, w - 25 * mm, y - 1.5 * mm)
        y -= 12 * mm
    c.showPage()
    c.save()
    return buf.getvalue()
