"""The demo's attachments (附件), so a new user sees them on the case pages, in the viewer and in the printed papers:
the latest domestic-violence petition has her letter as the scanner saved it (来信原件) and an injury "photo" that is
a labelled diagram (照片, marked as a made-up placeholder); the latest mediation that reached an agreement has the
signed agreement's scan (协议原件, a PDF). Everything is made up and drawn here — with reportlab, made into images by
pdfium: what the packaged program has (Pillow's drawing is left out of it). Attached through the services, on the
day each paper came in."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..documents.fonts import SONG, register_fonts
from ..domain import images
from ..domain.dates import from_iso
from ..services import attachments
from ..services.context import Context
from ..store.protection import DV_CONDITION

MADE_UP = "（演示数据，虚构）"


def _pdf(draw: Callable[[Any, float, float], None]) -> bytes:
    """One A4 page drawn by `draw(canvas, width, height)` in the program's print font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setFont(SONG, 14)
    draw(c, *A4)
    c.showPage()
    c.save()
    return out.getvalue()


def _scanned(pdf: bytes, grey: bool) -> bytes:
    """The page as the scanner (or the phone) saves it: a JPEG about 150 dpi."""
    page = images.pdf_page_image(pdf, 0, 1754).convert("L" if grey else "RGB")
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return out.getvalue()


def letter() -> bytes:
    """Her handwritten letter to the federation, scanned (no name, no ID number: a made-up letter)."""
    lines = ["县妇联的领导：", "　　我是本县的一名妇女。家里人喝了酒就打我骂我，",
             "上个月把我的左胳膊打青了。我去过村委会，也报过警，",
             "派出所给他开了告诫书，可他还是不改。",
             "　　我不知道该怎么办，也没有钱请律师。",
             "请妇联帮帮我，给我出个主意。", "", "　　　　　　　　　　　　　　　　　　求助人"]

    def draw(c: Any, w: float, h: float) -> None:
        c.setStrokeGray(0.8)
        y = h - 110
        for _ in range(24):  # the letter paper's lines
            c.line(60, y - 6, w - 60, y - 6)
            y -= 30
        y = h - 110
        for text in lines:
            c.drawString(72, y, text)
            y -= 30
        c.setFont(SONG, 9)
        c.drawString(60, 40, "来信原件（扫描件）" + MADE_UP)

    return _scanned(_pdf(draw), grey=True)


def injury_diagram() -> bytes:
    """An injury "photo" drawn as a labelled diagram: the body's outline with the bruise marked, said to be a
    placeholder (a real case keeps the photo taken at the window or by the hospital)."""

    def draw(c: Any, w: float, h: float) -> None:
        cx, top = w / 2, h - 170
        c.setLineWidth(2)
        c.circle(cx, top, 40)  # head
        c.line(cx, top - 40, cx, top - 260)  # body
        c.line(cx, top - 80, cx - 120, top - 190)  # her left arm (on the right of the picture: facing us)
        c.line(cx, top - 80, cx + 120, top - 190)
        c.line(cx, top - 260, cx - 70, top - 430)
        c.line(cx, top - 260, cx + 70, top - 430)
        c.setFillColorRGB(0.55, 0.2, 0.45)
        c.ellipse(cx + 45, top - 150, cx + 95, top - 115, stroke=0, fill=1)  # the bruise on her left upper arm
        c.setFillColorRGB(0, 0, 0)
        c.setLineWidth(1)
        c.line(cx + 95, top - 130, cx + 160, top - 90)
        c.drawString(cx + 120, top - 80, "左上臂淤青约5×3厘米")
        c.setFont(SONG, 20)
        c.drawCentredString(cx, h - 70, "伤情示意图")
        c.setFont(SONG, 12)
        c.drawCentredString(cx, 120, "演示用的示意图，不是照片。真实案件中这里是当场拍摄或医院出具的伤情照片。")
        c.drawCentredString(cx, 96, MADE_UP)

    return _scanned(_pdf(draw), grey=False)


def signed_agreement() -> bytes:
    """The mediation agreement as signed by the parties and scanned to PDF (the page drawn as an image)."""

    def draw(c: Any, w: float, h: float) -> None:
        c.setFont(SONG, 20)
        c.drawCentredString(w / 2, h - 90, "人民调解协议书")
        c.setFont(SONG, 13)
        y = h - 150
        for text in ("经调解，双方当事人自愿达成如下协议：", "一、双方同意互相尊重，不再争吵打骂；",
                     "二、男方每月按时交付家庭生活费用；", "三、双方共同抚养子女，照顾老人；",
                     "四、本协议自双方签字之日起生效。"):
            c.drawString(72, y, text)
            y -= 32
        y -= 40
        for who, x in (("当事人（签名）：", 72), ("当事人（签名）：", w / 2 + 10)):
            c.drawString(x, y, who)
            p = c.beginPath()  # a signature's stroke, as a pen leaves it
            p.moveTo(x + 110, y - 4)
            p.curveTo(x + 130, y + 22, x + 150, y - 20, x + 170, y + 8)
            p.curveTo(x + 185, y + 20, x + 200, y - 10, x + 215, y + 2)
            c.setLineWidth(1.6)
            c.drawPath(p)
        c.drawString(72, y - 60, "人民调解员（签名）：")
        c.drawString(w / 2 + 10, y - 60, "调解委员会（印）")
        c.circle(w / 2 + 80, y - 56, 36)
        c.setFont(SONG, 9)
        c.drawString(60, 40, "协议原件（签字后扫描）" + MADE_UP)

    scan = _scanned(_pdf(draw), grey=True)
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()  # a scanner's PDF: the page as an image
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(scan)), 0, 0, *A4)
    c.showPage()
    c.save()
    return out.getvalue()


def _on(ctx: Context, day: dt.date, staff: str) -> Context:
    """The office at the end of the day the paper came in (after the case's own steps of that day)."""
    moment = min(dt.datetime.combine(day, dt.time(17, 45)), ctx.now())
    return replace(ctx, clock=lambda: moment, staff=staff or ctx.staff)


def tell(ctx: Context) -> int:
    """Attach the made-up papers to the demo's cases; how many were attached."""
    made = 0
    if ctx.may("petition.write"):
        row = ctx.db.execute(
            f"""SELECT c.id, c.received_on, p.receiving_staff FROM cases c JOIN petitions p ON p.case_id = c.id
                WHERE ({DV_CONDITION}) AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.case_id = c.id)
                ORDER BY c.received_on DESC, c.id DESC LIMIT 1""").fetchone()
        if row is not None:
            at = _on(ctx, from_iso(row[1]) or ctx.today(), str(row[2]))
            for name, data, kind, note in (("扫描_0001.jpg", letter(), "来信原件", "她的求助信"),
                                           ("IMG_0301.jpg", injury_diagram(), "照片", "左上臂伤情（示意图）")):
                attachments.attach(at, int(row[0]), attachments.Incoming(name, data),
                                   attachments.Details(kind, note, at.today()))
                made += 1
    if ctx.may("mediation.write"):
        row = ctx.db.execute(
            """SELECT c.id, m.outcome_on, m.registrar FROM cases c JOIN mediations m ON m.case_id = c.id
               WHERE m.outcome = 'agreed' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.case_id = c.id)
               ORDER BY m.outcome_on DESC, c.id DESC LIMIT 1""").fetchone()
        if row is not None:
            at = _on(ctx, from_iso(row[1]) or ctx.today(), str(row[2]))
            attachments.attach(at, int(row[0]), attachments.Incoming("协议_签字.pdf", signed_agreement()),
                               attachments.Details("协议原件", "双方签字的调解协议书", at.today()))
            made += 1
    return made
