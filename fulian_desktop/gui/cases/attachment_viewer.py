"""Seeing an attachment inside the program: an image (zoom, rotate the view, fit to the window) or a PDF (page through,
zoom); any other file (Word, Excel …) opened with the system's program from a temporary copy, deleted when the
program closes (and, should it not close normally, the next time a file is opened so)."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPixmap, QShortcut, QTransform, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.attachments import Attachment, is_image, is_pdf
from ...domain.dates import format_cn
from ...domain.errors import FulianError
from ...services import attachments
from ...services.context import Context
from ..shell import dialogs

log = logging.getLogger(__name__)

TEMP_PREFIX = "fulian-open-"
_temp_dirs: list[Path] = []


def _sweep(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def sweep_leftovers() -> None:
    """Delete the temporary copies of this session (at exit) and any left by a session that did not close normally."""
    for d in list(_temp_dirs):
        _sweep(d)
        _temp_dirs.remove(d)
    for d in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        _sweep(d)


def open_with_system(ctx: Context, a: Attachment, parent: QWidget | None = None) -> Path | None:
    """Write a temporary copy and open it with the system's program (Word, WPS, Excel …); the copy is deleted when
    the program closes. Returns the copy's path (None when it could not be opened)."""
    data = attachments.content(ctx, a.id, via="system")
    if not _temp_dirs:  # the first this session: copies left by a session that did not close normally go now
        sweep_leftovers()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(sweep_leftovers)
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    _temp_dirs.append(folder)
    target = folder / attachments.file_name(a)
    try:
        target.write_bytes(data)
    except OSError as e:
        dialogs.warn(parent, "打开附件", f"无法写入临时文件：{e.strerror or '设备错误'}")
        return None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        dialogs.warn(parent, "打开附件", "这台电脑上没有能打开这种文件的程序。可以用“保存到…”把它保存出来。")
    log.info("attachment opened with the system's program")
    return target


class ImageView(QGraphicsView):
    """An image: fitted to the window at first; Ctrl+wheel or the buttons zoom, 旋转 turns the view."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.scale_factor = 1.0
        self.rotation = 0
        self.fitted = True

    def _apply(self) -> None:
        t = QTransform()
        t.rotate(self.rotation)
        t.scale(self.scale_factor, self.scale_factor)
        self.setTransform(t)

    def fit(self) -> None:
        self.fitted = True
        self.setTransform(QTransform().rotate(self.rotation))
        self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
        self.scale_factor = self.transform().m11() if self.rotation % 180 == 0 else abs(self.transform().m12())

    def zoom(self, factor: float) -> None:
        self.fitted = False
        self.scale_factor = max(0.05, min(8.0, self.scale_factor * factor))
        self._apply()

    def rotate_view(self) -> None:
        self.rotation = (self.rotation + 90) % 360
        if self.fitted:
            self.fit()
        else:
            self._apply()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.fitted:
            self.fit()


class AttachmentViewer(QDialog):
    """One attachment: an image or a PDF shown here, with what it is, when it came and who added it."""

    def __init__(self, ctx: Context, attachment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.attachment = a = attachments.get(ctx, attachment_id)
        self.setWindowTitle(f"附件 — {a.kind}")
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        about = [a.label, a.name]
        if a.received_on:
            about.append(f"{format_cn(a.received_on)}收到")
        about.append(f"{a.staff} {format_cn(a.created_at.date())}添加")
        self.about = QLabel("　".join(about))
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        data = attachments.content(ctx, a.id)
        self.image_view: ImageView | None = None
        self.pdf_view: QPdfView | None = None
        bar = QHBoxLayout()
        self.zoom_in = QPushButton("放大")
        self.zoom_out = QPushButton("缩小")
        self.fit_button = QPushButton("适合窗口")
        self.rotate_button = QPushButton("旋转")
        self.rotate_button.setToolTip("把图片顺时针转90度查看（不改变保存的附件）")
        self.previous_page = QPushButton("上一页")
        self.next_page = QPushButton("下一页")
        self.page_label = QLabel()
        if is_image(a.media):
            image = QImage()
            if not image.loadFromData(data):
                from ...domain import images

                image.loadFromData(images.as_png(data, a.media))
            self.image_view = ImageView(image, self)
            layout.addWidget(self.image_view, 1)
            self.zoom_in.clicked.connect(lambda: self.image_view.zoom(1.25) if self.image_view else None)
            self.zoom_out.clicked.connect(lambda: self.image_view.zoom(0.8) if self.image_view else None)
            self.fit_button.clicked.connect(lambda: self.image_view.fit() if self.image_view else None)
            self.rotate_button.clicked.connect(lambda: self.image_view.rotate_view() if self.image_view else None)
            for w in (self.zoom_out, self.zoom_in, self.fit_button, self.rotate_button):
                bar.addWidget(w)
        elif is_pdf(a.media):
            self._bytes = QByteArray(data)
            self._buffer = QBuffer(self._bytes, self)
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self._buffer)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setDocument(self.document)
            self.pdf_view.setPageMode(QPdfView.PageMode.SinglePage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitInView)
            layout.addWidget(self.pdf_view, 1)
            self.zoom_in.clicked.connect(lambda: self._pdf_zoom(1.25))
            self.zoom_out.clicked.connect(lambda: self._pdf_zoom(0.8))
            self.fit_button.clicked.connect(self._pdf_fit)
            self.previous_page.clicked.connect(lambda: self.go_to_page(self.page() - 1))
            self.next_page.clicked.connect(lambda: self.go_to_page(self.page() + 1))
            for w in (self.previous_page, self.page_label, self.next_page, self.zoom_out, self.zoom_in,
                      self.fit_button):
                bar.addWidget(w)
            QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go_to_page(self.page() + 1))
            QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go_to_page(self.page() - 1))
            self._show_page_number()
        else:
            layout.addWidget(QLabel("这种文件不能在本程序中显示，请点“用系统程序打开”。"), 1)
        # the keyboard: Ctrl++ / Ctrl+- zoom, Ctrl+0 fits the window (the buttons' tooltips say so)
        for keys, button in ((QKeySequence.StandardKey.ZoomIn, self.zoom_in), (QKeySequence.StandardKey.ZoomOut,
                             self.zoom_out), (QKeySequence("Ctrl+0"), self.fit_button)):
            QShortcut(QKeySequence(keys), self, button.click)
            button.setToolTip(f"{button.text()}（{QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)}）")
        bar.addStretch(1)
        self.system_button = QPushButton("用系统程序打开")
        self.system_button.clicked.connect(lambda: open_with_system(ctx, a, self))
        self.save_button = QPushButton("保存到…")
        self.save_button.clicked.connect(self.save_as)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for w in (self.system_button, self.save_button, close):
            bar.addWidget(w)
        layout.addLayout(bar)

    # --- PDF --------------------------------------------------------------------------------------
    def page(self) -> int:
        assert self.pdf_view is not None
        return self.pdf_view.pageNavigator().currentPage()

    def page_count(self) -> int:
        return self.document.pageCount() if self.pdf_view is not None else 0

    def go_to_page(self, n: int) -> None:
        if self.pdf_view is None:
            return
        n = max(0, min(self.page_count() - 1, n))
        self.pdf_view.pageNavigator().jump(n, QPointF(), self.pdf_view.pageNavigator().currentZoom())
        self._show_page_number()

    def _show_page_number(self) -> None:
        self.page_label.setText(f"第 {self.page() + 1} 页，共 {self.page_count()} 页")
        self.previous_page.setEnabled(self.page() > 0)
        self.next_page.setEnabled(self.page() < self.page_count() - 1)

    def _pdf_zoom(self, factor: float) -> None:
        assert self.pdf_view is not None
        if self.pdf_view.zoomMode() != QPdfView.ZoomMode.Custom:
            self.pdf_view.setZoomFactor(1.0)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.pdf_view.setZoomFactor(max(0.1, min(8.0, self.pdf_view.zoomFactor() * factor)))

    def _pdf_fit(self) -> None:
        assert self.pdf_view is not None
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # --- saving a copy ------------------------------------------------------------------------------
    def save_as(self) -> None:
        a = self.attachment
        path = dialogs.save_path(self, "保存附件", attachments.file_name(a), "所有文件 (*)")
        if not path:
            return
        try:
            Path(path).write_bytes(attachments.content(self.ctx, a.id, via="system"))
        except OSError as e:
            dialogs.warn(self, "未能保存", f"无法写入文件：{e.strerror or '设备错误'}。请换一个位置保存。")
            return
        except FulianError as e:
            dialogs.warn(self, "未能保存", e.message)
            return
        dialogs.inform(self, "已保存", f"已保存到：{path}")
