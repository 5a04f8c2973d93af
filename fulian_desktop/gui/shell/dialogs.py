"""The one seam for modal questions and messages, so tests can answer them.

Code calls `dialogs.ask(...)`, `dialogs.choose(...)`, `dialogs.inform(...)`, `dialogs.warn(...)`, `dialogs.show_text(...)`, `dialogs.ask_text(...)`, `dialogs.save_path(...)`, `dialogs.open_path(...)`, `dialogs.folder_path(...)`
through this module; tests replace these functions with monkeypatch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str, yes: str = "确定", no: str = "取消",
        safe_is_yes: bool = False) -> bool:
    """A yes/no question. Enter gives the safe answer: `no` (keep what she typed, don't stop using it, don't
    delete…), unless `safe_is_yes` (e.g. 隐去 ID numbers in an export); Esc always gives `no`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button if safe_is_yes else no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def choose(parent: QWidget | None, title: str, text: str, options: Sequence[str], default: int = 0) -> int:
    """One of several answers (保存 / 放弃 / 取消): the index of the one she clicked. `default` is what Enter
    gives (the first, unless that would lose something); the last is what Esc and the close button give (取消)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    roles = [QMessageBox.ButtonRole.AcceptRole] + [QMessageBox.ButtonRole.DestructiveRole] * (len(options) - 2) + \
        [QMessageBox.ButtonRole.RejectRole]
    buttons = [box.addButton(option, role) for option, role in zip(options, roles, strict=True)]
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(buttons) if b is clicked), len(options) - 1)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_text(parent: QWidget | None, title: str, text: str, problem: bool = False) -> None:
    """Several lines a command printed (the demo accounts…), wide enough that a line is not broken in two."""
    box = QMessageBox(QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 700px; }")  # the text, not the icon
    box.exec()


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "", ok: str = "确定") -> str | None:
    """One line of text (e.g. 更正原因); None when she cancels."""
    box = QInputDialog(parent)
    box.setWindowTitle(title)
    box.setLabelText(label)
    box.setTextEchoMode(QLineEdit.EchoMode.Normal)
    box.setTextValue(text)
    box.setOkButtonText(ok)
    box.setCancelButtonText("取消")
    box.resize(max(box.width(), 460), box.height())
    if not box.exec():
        return None
    return box.textValue()


def save_path(parent: QWidget | None, title: str, suggested: str, filter_: str = "PDF 文件 (*.pdf)") -> str:
    """Where to save a file. A bare name starts in a folder no sync program copies to the internet (文档 and 桌面
    are often OneDrive's); a place inside one (OneDrive, 坚果云, 百度网盘) is saved to only when she says so."""
    start = suggested if os.path.dirname(suggested) else os.path.join(unsynced_folder(), suggested)
    while True:
        path, _ = QFileDialog.getSaveFileName(parent, title, start, filter_)
        if not path or clear_of_sync(parent, os.path.dirname(path), "文件"):
            return path
        start = os.path.join(unsynced_folder(), os.path.basename(path))


def clear_of_sync(parent: QWidget | None, folder: str, what: str) -> bool:
    """Whether `folder` may be used: yes when no sync program (OneDrive, 坚果云, 百度网盘) copies it to the
    internet, else only when she says so after being told what that means (Enter and Esc: 换一个位置)."""
    from ...backup.drives import sync_service

    service = sync_service(folder)
    if service is None:
        return True
    return ask(parent, "使用同步文件夹？",
               f"“{folder}”是{service}的同步文件夹：放在这里的{what}会被复制到网上，"
               "其中当事人的信息也就离开了这台电脑。\n\n建议换一个不同步的文件夹（例如这台电脑的D盘）或U盘。",
               yes="仍然用这里", no="换一个位置")


def unsynced_folder() -> str:
    """The first of 文档, 桌面, the user's own folder that no sync program copies to the internet."""
    from PySide6.QtCore import QStandardPaths

    from ...backup.drives import sync_service

    kinds = (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.DesktopLocation,
             QStandardPaths.StandardLocation.HomeLocation)
    folders = [QStandardPaths.writableLocation(k) for k in kinds]
    return next((f for f in folders if f and sync_service(f) is None), folders[-1])


def open_path(parent: QWidget | None, title: str, filter_: str = "表格文件 (*.xlsx *.csv)") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
    return path


def open_paths(parent: QWidget | None, title: str, filter_: str) -> list[str]:
    """Several files chosen at once (附件)."""
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filter_)
    return list(paths)


def folder_path(parent: QWidget | None, title: str, start: str = "", what: str = "文件") -> str:
    """A folder to write `what` into: it starts outside the sync folders, and one inside them (OneDrive, 坚果云,
    百度网盘) is taken only when she says so, else she chooses again."""
    from ...backup.drives import sync_service

    if not start or sync_service(start) is not None:
        start = unsynced_folder()
    while True:
        path = QFileDialog.getExistingDirectory(parent, title, start)
        if not path or clear_of_sync(parent, path, what):
            return path
        start = unsynced_folder()
