"""Folders a sync program copies to the internet (OneDrive, 坚果云, 百度网盘): the live database is refused there
as on a USB stick, and saving a form or an export there is asked about first; save dialogs start elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QStandardPaths, Qt

from fulian_desktop.backup import drives
from fulian_desktop.cli import main as cli
from fulian_desktop.domain.errors import StorageError
from fulian_desktop.gui.backup.backup_dialog import BackupDialog
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.services.context import Context
from fulian_desktop.services.locations import check_live_location

from .test_gui_backup import FakeDrives

ONEDRIVE_ENV = {"OneDrive": "C:\\Users\\王芳\\OneDrive"}


@pytest.mark.parametrize(("path", "service"), [
    ("C:\\Users\\王芳\\OneDrive\\文档\\fulian.db", "OneDrive"),
    ("c:\\users\\王芳\\onedrive\\fulian.db", "OneDrive"),
    ("C:\\Users\\王芳\\OneDrive - 东山县妇联\\fulian.db", "OneDrive"),
    ("D:\\我的坚果云\\妇联\\fulian.db", "坚果云"),
    ("C:\\Users\\王芳\\Nutstore\\fulian.db", "坚果云"),
    ("D:\\BaiduNetdiskWorkspace\\fulian.db", "百度网盘"),
    ("D:\\妇联维权\\fulian.db", None),
    ("C:\\Users\\王芳\\OneDriveBackup\\x.db", None),
])
def test_sync_folders_are_recognised(path: str, service: str | None) -> None:
    assert drives.sync_service(path, ONEDRIVE_ENV) == service


def test_the_live_database_is_refused_in_a_sync_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    synced = tmp_path / "OneDrive" / "文档"
    synced.mkdir(parents=True)
    monkeypatch.setenv("OneDrive", str(tmp_path / "OneDrive"))
    with pytest.raises(StorageError, match="OneDrive的同步文件夹"):
        check_live_location(synced / "fulian.db")
    check_live_location(synced / "fulian.db", allow=True)  # the technician's --allow-removable-db
    check_live_location(tmp_path / "本机" / "fulian.db")
    code = cli.main(["demo", "--db", str(synced / "演示.db"), "--cases", "3"])
    assert code != 0 and "OneDrive的同步文件夹" in capsys.readouterr().err
    assert not (synced / "演示.db").exists()


def redirected_to_onedrive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A Windows user whose 文档 and 桌面 OneDrive has redirected into its folder; her own folder is not synced."""
    home = tmp_path / "王芳"
    onedrive = home / "OneDrive"
    places = {QStandardPaths.StandardLocation.DocumentsLocation: onedrive / "文档",  # redirected, as OneDrive does
              QStandardPaths.StandardLocation.DesktopLocation: onedrive / "桌面",
              QStandardPaths.StandardLocation.HomeLocation: home}
    monkeypatch.setenv("OneDrive", str(onedrive))
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda kind: str(places[kind]))
    return home, onedrive


def test_save_dialogs_start_outside_onedrive_and_ask_before_saving_into_it(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, onedrive = redirected_to_onedrive(tmp_path, monkeypatch)
    started: list[str] = []
    answers = [str(onedrive / "文档" / "调解协议书.pdf"), str(home / "调解协议书.pdf")]

    def dialog(parent: Any, title: str, start: str, filter_: str) -> tuple[str, str]:
        started.append(start)
        return answers.pop(0), filter_

    questions: list[str] = []

    def ask(parent: Any, title: str, text: str, **kw: Any) -> bool:
        questions.append(text)
        return False  # 换一个位置

    monkeypatch.setattr(dialogs.QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(dialogs, "ask", ask)
    got = dialogs.save_path(None, "另存为 PDF", "调解协议书.pdf")
    assert started[0] == str(home / "调解协议书.pdf")  # not 文档, which OneDrive copies to the internet
    assert len(questions) == 1 and "OneDrive的同步文件夹" in questions[0]
    assert got == str(home / "调解协议书.pdf") and len(started) == 2

    answers.append(str(onedrive / "文档" / "台账.xlsx"))
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: True)  # 仍然保存在这里
    assert dialogs.save_path(None, "导出", "台账.xlsx") == str(onedrive / "文档" / "台账.xlsx")


def test_every_folder_chooser_starts_outside_onedrive_and_asks_before_using_it(
        qtbot: Any, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """备份到U盘 → 其他文件夹…: OneDrive's folder chosen, she is told and goes back; then one of her own."""
    home, onedrive = redirected_to_onedrive(tmp_path, monkeypatch)
    for folder in (onedrive / "文档" / "备份", home / "备份"):
        folder.mkdir(parents=True)
    started: list[str] = []
    answers = [str(onedrive / "文档" / "备份"), str(home / "备份")]

    def dialog(parent: Any, title: str, start: str) -> str:
        started.append(start)
        return answers.pop(0)

    questions: list[str] = []
    monkeypatch.setattr(dialogs.QFileDialog, "getExistingDirectory", dialog)
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, **kw: questions.append(text) or False)  # 换一个位置
    d = BackupDialog(ctx, drive_list=FakeDrives())
    qtbot.addWidget(d)
    d.show()
    qtbot.mouseClick(d.folder_button, Qt.MouseButton.LeftButton)
    assert started == [str(home), str(home)]  # not 文档, which OneDrive copies to the internet
    assert len(questions) == 1 and "OneDrive的同步文件夹" in questions[0] and "放在这里的备份会被复制到网上" in questions[0]
    assert d.target() == home / "备份"

    # a folder remembered inside OneDrive (the scanner's, the exchange package's) is not where the chooser starts;
    # she may still keep it when she says so (仍然用这里)
    answers.append(str(onedrive / "扫描"))
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, **kw: questions.append(text) or True)
    assert dialogs.folder_path(None, "选择扫描仪保存文件的文件夹", str(onedrive / "扫描"), "扫描件") == str(onedrive / "扫描")
    assert started[-1] == str(home) and "放在这里的扫描件" in questions[-1]
    answers.append("")  # 取消: nothing asked
    assert dialogs.folder_path(None, "交换包写到哪里") == "" and len(questions) == 2
