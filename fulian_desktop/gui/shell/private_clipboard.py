"""Copying an ID number without it going into Windows' clipboard history (Win+V) or the cloud clipboard: the text
goes with the formats Windows reads as "keep this out" (ExcludeClipboardContentFromMonitorProcessing,
CanIncludeInClipboardHistory = 0, CanUploadToCloudClipboard = 0). Qt passes a MIME type
`application/x-qt-windows-mime;value="NAME"` to Windows as the clipboard format NAME; elsewhere it is ignored."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData

DWORD_ZERO = b"\x00\x00\x00\x00"
FORMATS = {
    "ExcludeClipboardContentFromMonitorProcessing": DWORD_ZERO,  # its presence is what counts
    "CanIncludeInClipboardHistory": DWORD_ZERO,
    "CanUploadToCloudClipboard": DWORD_ZERO,
}


def windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


MARK = windows_format("CanIncludeInClipboardHistory")


def private_text(text: str) -> QMimeData:
    """The clipboard contents for `text`, marked to stay out of clipboard history and the cloud clipboard."""
    mime = QMimeData()
    mime.setText(text)
    for name, value in FORMATS.items():
        mime.setData(windows_format(name), QByteArray(value))
    return mime


def is_private(mime: QMimeData | None) -> bool:
    return mime is not None and mime.hasFormat(MARK)
