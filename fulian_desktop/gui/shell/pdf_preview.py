"""The app's own PDF preview (QtPdf), printing through the system print dialog, and save-as."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.errors import FulianError
from . import dialogs
from .widgets import busy

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 300  # plenty for ruled forms and 10-point Chinese; the printer stretches it to its own resolution


class PdfPreview(QDialog):
    def __init__(self, pdf: bytes, suggested_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {suggested_name}")
        self.resize(900, 760)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        with busy():
            self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.pages_label = QLabel(f"共 {self.document.pageCount()} 页")
        bottom.addWidget(self.pages_label)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("打印…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = buttons.addButton("另存为 PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.reject)
        bottom.addWidget(buttons, 1)
        layout.addLayout(bottom)

    def save_as(self) -> None:
        path = dialogs.save_path(self, "另存为 PDF", self.suggested_name)
        if not path:
            return
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as e:
            dialogs.warn(self, "未能保存", f"无法写入文件：{e.strerror}。请换一个位置保存。")
            return
        dialogs.inform(self, "已保存", f"已保存到：{path}")

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.render_to(printer)

    def render_to(self, printer: QPrinter) -> None:
        """Draw each page into the printer: made as an image of at most MAX_PRINT_DPI (a page at the printer's
        600 or 1200 dpi would be 133 or 531 MB), in greyscale when the page has no colour (the forms are black
        on white), stretched over the page by the printer."""
        if self._black_and_white():
            printer.setColorMode(QPrinter.ColorMode.GrayScale)  # the driver and Qt then send grey, not colour
        painter = QPainter()
        if not painter.begin(printer):
            dialogs.warn(self, "打印失败", "无法连接打印机，请检查打印机是否开机、是否缺纸。")
            return
        failed = 0
        try:
            with busy():  # a page at a time
                count = self.document.pageCount()
                dpi = max(printer.resolution(), 1)
                shrink = min(1.0, MAX_PRINT_DPI / dpi)
                for i in range(count):
                    if i:
                        printer.newPage()
                    target: QRect = painter.viewport()
                    point = self.document.pagePointSize(i)
                    scale = min(target.width() / point.width(), target.height() / point.height())
                    size = QSize(int(point.width() * scale), int(point.height() * scale))
                    image = page_image(self.document, i, QSize(int(size.width() * shrink), int(size.height() * shrink)))
                    if image.isNull():
                        failed = i + 1
                        break
                    painter.drawImage(QRect(target.topLeft(), size), image)
        finally:
            painter.end()
        if failed:
            log.warning("printing stopped: a page could not be made into an image")
            dialogs.warn(self, "打印没有完成", f"第{failed}页无法生成打印图像（电脑内存可能不够），从这一页起没有打印。"
                         "请关闭其他程序后再打印一次，或用“另存为 PDF”保存后打印。")
            return
        log.info("printed a form of %s pages", self.document.pageCount())


    def _black_and_white(self) -> bool:
        """Has no page any colour? (Each page looked at once at 72 dpi.)"""
        for i in range(self.document.pageCount()):
            image = self.document.render(i, self.document.pagePointSize(i).toSize())
            if image.isNull() or not image.allGray():
                return False
        return True


def page_image(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """One page as an image of `size` pixels on white paper (QtPdf leaves the paper transparent); greyscale (a
    quarter of the bytes) when nothing on it has colour. A null image when it cannot be made."""
    image = document.render(page, size)
    if image.isNull():
        return image
    paper = QImage(image.size(), QImage.Format.Format_Grayscale8 if image.allGray() else QImage.Format.Format_RGB32)
    if paper.isNull():
        return paper
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def open_preview(parent: QWidget, make: Callable[[], tuple[bytes, str]]) -> PdfPreview | None:
    """The preview of what `make` prints (PDF bytes, a suggested file name), opened over `parent`; when it cannot
    print (a character the font lacks, no permission …) the reason is said instead (无法打印) and None returned."""
    try:
        pdf, name = make()
    except FulianError as e:
        dialogs.warn(parent, "无法打印", e.message)
        return None
    preview = PdfPreview(pdf, name, parent)
    preview.open()
    return preview
