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
from .fonts import register_fonts
from .layout import sheet_foot, sheet_head

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
    w = A4[0]
    y = sheet_head(c, TITLE, f"单位：{office}　　　生成日期：{format_cn(on)}") - 22 * mm
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
    sheet_foot(c, box_bottom - 14 * mm, LINES, 11, ("保管人（签名）：", "保管地点：", "交接记录："))
    c.showPage()
    c.save()
    return buf.getvalue()
