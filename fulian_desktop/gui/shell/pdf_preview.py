"""The app's own PDF preview (QtPdf), printing through the system print dialog, and save-as."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.errors import FulianError
from . import dialogs
from .widgets import busy

log = logging.getLogger(__name__)


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
        """Draw each page into the printer at its resolution."""
        painter = QPainter()
        if not painter.begin(printer):
            dialogs.warn(self, "打印失败", "无法连接打印机，请检查打印机是否开机、是否缺纸。")
            return
        try:
            with busy():  # a page at a time into the printer's resolution
                count = self.document.pageCount()
                for i in range(count):
                    if i:
                        printer.newPage()
                    target: QRect = painter.viewport()
                    point = self.document.pagePointSize(i)
                    scale = min(target.width() / point.width(), target.height() / point.height())
                    size = QSize(int(point.width() * scale), int(point.height() * scale))
                    image = self.document.render(i, size)
                    painter.drawImage(QRect(target.topLeft(), size), image)
        finally:
            painter.end()
        log.info("printed a form of %s pages", self.document.pageCount())


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
