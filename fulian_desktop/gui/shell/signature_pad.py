"""A box to sign in with a pen tablet, a touch screen or the mouse (签名板); the dialog that keeps a signature for a
line of a form is gui/cases/signing.py."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#0d1b4c")  # a dark blue ballpoint


class SignaturePad(QWidget):
    """Strokes drawn with a pen, a finger or the mouse; `png()` gives them on a transparent background, cut to what
    was drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self.setMinimumSize(QSize(420, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("用手写板的笔、触摸屏或鼠标在框内签名")
        self.on_change: Callable[[], None] | None = None

    # --- drawing --------------------------------------------------------------------------------
    def _begin(self, p: QPointF) -> None:
        self.strokes.append([p])
        self.update()

    def _extend(self, p: QPointF) -> None:
        if self.strokes:
            self.strokes[-1].append(p)
            self.update()

    def _end(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove and event.pressure() > 0:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()  # not again as a mouse event

    def event(self, event: object) -> bool:
        if isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                p = points[0].position()
                if event.type() == QTouchEvent.Type.TouchBegin:
                    self._begin(p)
                elif event.type() == QTouchEvent.Type.TouchUpdate:
                    self._extend(p)
                else:
                    self._extend(p)
                    self._end()
            event.accept()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def clear(self) -> None:
        self.strokes.clear()
        self.update()
        self._end()

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    # --- painting -------------------------------------------------------------------------------
    def _paint_strokes(self, painter: QPainter, width: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for p in stroke[1:]:
                path.lineTo(p)
            painter.drawPath(path)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setPen(QPen(QColor("#9aa5b1"), 1, Qt.PenStyle.DashLine))
        base = self.height() * 0.75
        painter.drawLine(QPointF(12, base), QPointF(self.width() - 12, base))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if self.is_empty():
            painter.setPen(QColor("#9aa5b1"))
            painter.drawText(QRectF(12, 8, self.width() - 24, 24), "请在此处签名")
        self._paint_strokes(painter, 2.5)
        painter.end()

    def bounds(self) -> QRectF:
        xs = [p.x() for s in self.strokes for p in s]
        ys = [p.y() for s in self.strokes for p in s]
        return QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys))).adjusted(-6, -6, 6, 6)

    def png(self, scale: float = 2.0) -> bytes:
        """The signature as PNG (transparent, cut to the strokes, twice the screen's size for print); b'' if empty."""
        if self.is_empty():
            return b""
        box = self.bounds()
        image = QImage(max(1, int(box.width() * scale)), max(1, int(box.height() * scale)),
                       QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.scale(scale, scale)
        painter.translate(-box.topLeft())
        self._paint_strokes(painter, 2.5)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

