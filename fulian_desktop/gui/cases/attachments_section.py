"""The 附件 section of a case page (a household's, a visit's; a person's own papers on 当事人全貌): thumbnails of what is attached, 添加附件 (files chosen,
dropped onto the page, or a screenshot pasted from the clipboard), 从扫描文件夹导入 (what the office scanner saved since
last time, shown as thumbnails to pick), opening one (the viewer, or the system's program), removing one with a
reason.

The scanner's folder is this PC's (chosen once, kept with the window's settings: another PC has its own scanner)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import images
from ...domain.attachments import (
    DEFAULT_KIND,
    EXTENSIONS,
    KINDS,
    NOTE_MAX,
    Attachment,
    Details,
    check_size,
    is_image,
    is_pdf,
    media_of,
    media_word,
    size_text,
)
from ...domain.errors import FulianError, ValidationError
from ...services import attachments, cases
from ...services.attachments import Incoming
from ...services.context import Context
from ..shell import dialogs
from ..shell.date_field import DateField
from .action_dialog import ActionDialog
from .attachment_viewer import AttachmentViewer, open_with_system

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole + 7
THUMB = 96
SCAN_FOLDER_KEY = "attachments/scan_folder"
SCAN_SEEN_KEY = "attachments/scan_seen"
FILE_FILTER = "附件 (" + " ".join(f"*{e}" for e in EXTENSIONS) + ");;所有文件 (*)"


def _icon(png: bytes, fallback: str) -> QIcon:
    """The thumbnail with a thin grey frame (a white scanned page shows as a page), or the file's type in a box."""
    from PySide6.QtGui import QColor, QPainter

    image = QImage()
    if png and image.loadFromData(png):
        pix = QPixmap.fromImage(image)
        painter = QPainter(pix)
        painter.setPen(QColor("#9aa5b1"))
        painter.drawRect(0, 0, pix.width() - 1, pix.height() - 1)
        painter.end()
        return QIcon(pix)
    pix = QPixmap(THUMB, THUMB)
    pix.fill(Qt.GlobalColor.white)
    painter = QPainter(pix)
    painter.drawRect(0, 0, THUMB - 1, THUMB - 1)
    painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, fallback)
    painter.end()
    return QIcon(pix)


def image_png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class AttachDialog(ActionDialog):
    """What the files are: their kind, a note, the date received, and for photos whether to keep the original too.
    Every file is checked before any is added; a problem is said next to its field, nothing typed is lost."""

    def __init__(self, ctx: Context, case_id: int | None, incoming: Sequence[Incoming], visit_id: int | None = None,
                 parent: QWidget | None = None, *, person_id: int | None = None) -> None:
        names = "、".join(i.name for i in incoming[:5]) + (f" 等{len(incoming)}个文件" if len(incoming) > 5 else "")
        super().__init__("添加附件", f"添加：{names}", parent)
        self.ctx, self.case_id, self.visit_id, self.person_id = ctx, case_id, visit_id, person_id
        self.incoming = list(incoming)
        self.added: list[int] = []
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.kind.setCurrentText("身份证明" if person_id is not None else DEFAULT_KIND)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText("如 伤情照片、派出所告诫书、法律援助中心回执")
        self.received = DateField(ctx.today(), optional=True)
        self.keep_original = QCheckBox("另外保留原图（原图仍含拍摄位置等信息，占用更多空间）")
        self.add("file", "文件", QLabel(f"{len(self.incoming)}个"))
        self.add("kind", "类别", self.kind, True)
        self.add("note", "说明", self.note)
        self.add("received_on", "收到日期", self.received)
        self.add("keep", "", self.keep_original)
        heads = [media_of_safe(i) for i in self.incoming]
        self.keep_original.setVisible(any(is_image(m) for m in heads))
        self.on_ok(self.save)

    def save(self) -> None:
        for item in self.incoming:  # every file checked before any is added
            check_size(item.name, len(item.data))
            media_of(item.name, item.data[:2048])
        details = Details(self.kind.currentText(), self.note.text(), self.received.value())
        keep = self.keep_original.isChecked()
        for item in self.incoming:
            try:
                if self.person_id is not None:  # her own paper (an ID card copy), whatever case she comes in
                    self.added.append(attachments.attach_to_person(self.ctx, self.person_id, item, details,
                                                                   keep_original=keep))
                    continue
                assert self.case_id is not None
                self.added.append(attachments.attach(self.ctx, self.case_id, item, details, visit_id=self.visit_id,
                                                     keep_original=keep))
            except ValidationError as e:
                if "file" in e.errors and len(self.incoming) > 1:
                    done = f"（已添加{len(self.added)}个）" if self.added else ""
                    raise ValidationError({"file": f"{item.name}：{e.errors['file']}{done}"}) from None
                raise


def media_of_safe(item: Incoming) -> str:
    try:
        return media_of(item.name, item.data[:2048])
    except ValidationError:
        return ""


class ScanDialog(QDialog):
    """The files the scanner saved into its folder (new ones since the last import, or all), as thumbnails to tick."""

    def __init__(self, folder: Path, since: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从扫描文件夹导入")
        self.resize(760, 520)
        self.folder = folder
        self.since = since
        layout = QVBoxLayout(self)
        self.about = QLabel()
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        self.show_all = QCheckBox("显示文件夹中的全部文件（包括以前导入过的）")
        self.show_all.toggled.connect(self.fill)
        layout.addWidget(self.show_all)
        self.files = QListWidget()
        self.files.setViewMode(QListView.ViewMode.IconMode)
        self.files.setIconSize(QSize(THUMB, THUMB))
        self.files.setGridSize(QSize(THUMB + 40, THUMB + 48))
        self.files.setResizeMode(QListView.ResizeMode.Adjust)
        self.files.setWordWrap(True)
        self.files.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        layout.addWidget(self.files, 1)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("添加所选", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fill()

    def candidates(self) -> list[Path]:
        try:
            found = [p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS]
        except OSError:
            return []
        if not self.show_all.isChecked():
            found = [p for p in found if p.stat().st_mtime > self.since]
        return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))

    def fill(self) -> None:
        self.files.clear()
        found = self.candidates()
        for p in found:
            try:
                head = p.read_bytes() if p.stat().st_size <= 20 * 1024 * 1024 else b""
                media = media_of(p.name, head[:2048]) if head else ""
                png = images.thumbnail(head, media, THUMB) if head and (is_image(media) or is_pdf(media)) else b""
            except (OSError, ValidationError):
                png, media = b"", ""
            stamp = dt.datetime.fromtimestamp(p.stat().st_mtime).strftime("%m-%d %H:%M")
            item = QListWidgetItem(_icon(png, media_word(media)), f"{p.name}\n{stamp}")
            item.setData(ID_ROLE, str(p))
            self.files.addItem(item)
            item.setSelected(True)  # all new ones chosen at first (in the list: an item alone has no selection)
        new = "全部" if self.show_all.isChecked() else "上次导入以后新扫描的"
        self.about.setText(f"扫描文件夹：{self.folder}\n{new}文件共{len(found)}个，点选要添加的（再点一下取消）。"
                           if found else f"扫描文件夹：{self.folder}\n没有{new}文件。")
        self.ok_button.setEnabled(bool(found))

    def chosen(self) -> list[Path]:
        return [Path(str(i.data(ID_ROLE))) for i in self.files.selectedItems()]


class AttachmentsSection(QWidget):
    """Thumbnails of a case's (a visit's) attachments with the buttons to add, open and remove them; with
    `person_id` (and no case) a person's own papers (her ID card copy), for the accounts that see her identity."""

    changed = Signal()

    def __init__(self, ctx: Context, case_id: int | None, visit_id: int | None = None, parent: QWidget | None = None,
                 *, person_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.visit_id, self.person_id = ctx, case_id, visit_id, person_id
        if case_id is None:
            assert person_id is not None
            self.kind = ""
            self.can_write = ctx.may("people.identity")
        else:
            self.kind = cases.kind_of(ctx, case_id)
            self.can_write = ctx.may(f"{self.kind}.write")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.title = QLabel("<b>附件</b>")
        row.addWidget(self.title)
        row.addStretch(1)
        self.add_button = QPushButton("添加附件…")
        self.add_button.setToolTip("选择文件；也可以把文件拖到案件页上，或按 Ctrl+V 粘贴截图")
        self.scan_button = QPushButton("从扫描文件夹导入…")
        self.paste_button = QPushButton("粘贴截图")
        self.remove_button = QPushButton("删除…")
        for b in (self.add_button, self.scan_button, self.paste_button, self.remove_button):
            row.addWidget(b)
            b.setVisible(self.can_write)
            b.setAutoDefault(False)  # in a dialog (当事人全貌) Enter on a thumbnail opens it, and adds nothing
        self.export_button = QPushButton("导出PDF…")  # 主任: the case with chosen attachments, for a court or a lawyer
        self.export_button.setToolTip("把案件登记表和选定的附件合成一个PDF文件（交法院、律师），记入审计日志")
        self.export_button.setVisible(ctx.may("attachments.export") and case_id is not None)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 36, THUMB + 44))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(THUMB + 56)
        layout.addWidget(self.list, 1)
        self.add_button.clicked.connect(self.choose_files)
        self.scan_button.clicked.connect(self.import_scans)
        self.paste_button.clicked.connect(self.paste)
        self.remove_button.clicked.connect(self.remove_selected)
        self.export_button.clicked.connect(self.export_pdf)
        self.preview: QDialog | None = None
        self.list.itemActivated.connect(lambda item: self.open_item(item))
        self.setAcceptDrops(self.can_write)  # files dropped onto it (a case page passes on what it is given too)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.list, self.paste)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.last_dialog: QDialog | None = None
        self.viewer: AttachmentViewer | None = None
        self._thumbs: dict[str, bytes] = {}
        self.reload()

    # --- showing ----------------------------------------------------------------------------------
    def reload(self) -> None:
        found = self.listed()
        self.list.clear()
        for a in found:
            png = self._thumbs.get(a.sha256)
            if png is None:  # made once per content while the page is open (a photo takes a moment to decode)
                png = attachments.thumbnail(self.ctx, a.id, THUMB) if is_image(a.media) or is_pdf(a.media) else b""
                self._thumbs[a.sha256] = png
            item = QListWidgetItem(_icon(png, media_word(a.media)), self._caption(a))
            item.setData(ID_ROLE, a.id)
            item.setToolTip(self._tooltip(a))
            self.list.addItem(item)
        word = "附件" if self.case_id is not None else "她本人的证件和材料"
        empty = "没有附件" if self.case_id is not None else "还没有（如身份证复印件、户口簿），在她的每件案件中都可查看"
        self.title.setText(f"<b>{word}（{len(found)}）</b>" if found else f"<b>{word}</b>　<span style='color:#52606d'>"
                           + empty + ("，可把文件拖到这里" if self.can_write else "") + "</span>")
        self.remove_button.setEnabled(bool(found))
        self.export_button.setEnabled(bool(found))

    def listed(self) -> list[Attachment]:
        if self.case_id is None:
            assert self.person_id is not None
            return attachments.of_person(self.ctx, self.person_id)
        return attachments.of_case(self.ctx, self.case_id, visit_id=self.visit_id)

    @staticmethod
    def _caption(a: Attachment) -> str:
        text = a.note or Path(a.name).stem
        return f"{a.kind}\n{text[:10]}"

    @staticmethod
    def _tooltip(a: Attachment) -> str:
        parts = [a.label, a.name, f"{media_word(a.media)}，{size_text(a.size)}"]
        if a.pages:
            parts.append(f"{a.pages}页")
        if a.received_on:
            parts.append(f"收到日期：{a.received_on.year}年{a.received_on.month}月{a.received_on.day}日")
        parts.append(f"{a.staff}添加于{a.created_at:%Y-%m-%d %H:%M}")
        return "\n".join(parts)

    def selected_id(self) -> int | None:
        items = self.list.selectedItems() or ([self.list.currentItem()] if self.list.currentItem() else [])
        return int(items[0].data(ID_ROLE)) if items else None

    # --- opening ----------------------------------------------------------------------------------
    def open_item(self, item: QListWidgetItem) -> None:
        self.open_attachment(int(item.data(ID_ROLE)))

    def open_attachment(self, attachment_id: int) -> None:
        try:
            a = attachments.get(self.ctx, attachment_id)
            if is_image(a.media) or is_pdf(a.media):
                self.viewer = AttachmentViewer(self.ctx, attachment_id, self)
                self.viewer.open()
            else:
                open_with_system(self.ctx, a, self)
        except FulianError as e:
            dialogs.warn(self, "打开附件", e.message)

    # --- adding -----------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        mime = event.mimeData()
        if self.can_write and mime.hasUrls() and all(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def choose_files(self) -> None:
        paths = dialogs.open_paths(self, "添加附件", FILE_FILTER)
        if paths:
            self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: Sequence[Path]) -> AttachDialog | None:
        """Files from the disk (chosen, dropped, from the scanner's folder): read, then described in the dialog."""
        if not self.can_write:
            dialogs.inform(self, "添加附件", "您的账号没有权限为这类案件添加附件。" if self.case_id is not None
                           else "您的账号没有权限为当事人添加证件和材料。")
            return None
        incoming: list[Incoming] = []
        for p in paths:
            if p.is_dir():
                dialogs.warn(self, "添加附件", f"“{p.name}”是一个文件夹，请打开文件夹选择其中的文件。")
                return None
            try:
                item = attachments.read_file(p)
                media_of(item.name, item.data[:2048])  # a file that cannot be taken is said at once
                incoming.append(item)
            except ValidationError as e:
                dialogs.warn(self, "添加附件", e.errors.get("file") or e.message)
                return None
            except FulianError as e:
                dialogs.warn(self, "添加附件", e.message)
                return None
        return self.add_incoming(incoming)

    def add_incoming(self, incoming: Sequence[Incoming]) -> AttachDialog | None:
        if not incoming:
            return None
        d = AttachDialog(self.ctx, self.case_id, incoming, self.visit_id, self, person_id=self.person_id)
        d.accepted.connect(self._added)
        self.last_dialog = d
        d.open()
        return d

    def _added(self) -> None:
        self.reload()
        self.changed.emit()

    def paste(self) -> AttachDialog | None:
        """A screenshot (or a copied file) from the clipboard."""
        mime = QApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls() and all(u.isLocalFile() for u in mime.urls()):
            return self.add_paths([Path(u.toLocalFile()) for u in mime.urls()])
        image = QApplication.clipboard().image()
        if image.isNull():
            dialogs.inform(self, "粘贴截图", "剪贴板里没有图片。先截图（如按 PrtSc 键，或用微信的截图），再点“粘贴截图”。")
            return None
        name = f"截图_{self.ctx.now():%Y%m%d_%H%M%S}.png"
        return self.add_incoming([Incoming(name, image_png(image))])

    def import_scans(self) -> QDialog | None:
        settings = QSettings()
        folder = str(settings.value(SCAN_FOLDER_KEY, "") or "")
        if not folder or not Path(folder).is_dir():
            folder = dialogs.folder_path(self, "选择扫描仪保存文件的文件夹（只需选一次）", folder, "扫描件")
            if not folder:
                return None
            settings.setValue(SCAN_FOLDER_KEY, folder)
        since = float(settings.value(SCAN_SEEN_KEY, 0.0) or 0.0)
        d = ScanDialog(Path(folder), since, self)
        self.last_dialog = d

        def done() -> None:
            chosen = d.chosen()
            newest = max((p.stat().st_mtime for p in d.candidates()), default=since)
            if chosen:
                attach = self.add_paths(chosen)
                if attach is not None:
                    attach.accepted.connect(lambda: QSettings().setValue(SCAN_SEEN_KEY, max(newest, since)))

        d.accepted.connect(done)
        d.open()
        return d

    # --- removing ---------------------------------------------------------------------------------
    def remove_selected(self) -> ActionDialog | None:
        attachment_id = self.selected_id()
        if attachment_id is None:
            dialogs.inform(self, "删除附件", "请先点选要删除的附件。")
            return None
        a = attachments.get(self.ctx, attachment_id)
        shown_on = "案件页" if self.case_id is not None else "当事人全貌"
        d = ActionDialog("删除附件", f"删除“{a.label}”：附件不会真正抹去，仍保存在数据库中并记入审计日志，"
                                     f"{shown_on}上不再显示。", self)
        reason = QPlainTextEdit()
        reason.setPlaceholderText("如 误传到这件案件、重复添加")
        reason.setMaximumHeight(70)
        d.add("reason", "删除原因", reason, True)
        d.on_ok(lambda: attachments.remove(self.ctx, attachment_id, reason.toPlainText()))
        d.accepted.connect(self._added)
        self.last_dialog = d
        d.open()
        return d

    # --- export (主任) ---------------------------------------------------------------------------
    def export_pdf(self) -> ActionDialog:
        """The attachments to give, ticked (all at first); 确定 makes the PDF and shows it (print, save as)."""
        case_id = self.case_id
        assert case_id is not None  # (a person's papers have no export button)
        d = ActionDialog("导出案件和附件", "案件登记表和勾选的附件合成一个PDF文件，用于交法院、律师；导出记入审计日志。",
                         self)
        chosen = QListWidget()
        for a in attachments.of_case(self.ctx, case_id, visit_id=self.visit_id):
            item = QListWidgetItem(f"{a.label}　{a.name}")
            item.setData(ID_ROLE, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            chosen.addItem(item)
        chosen.setMinimumHeight(160)
        d.add("attachments", "附件", chosen, True)
        d.chosen = chosen  # type: ignore[attr-defined]

        def ok() -> None:
            ids = [int(chosen.item(i).data(ID_ROLE)) for i in range(chosen.count())
                   if chosen.item(i).checkState() == Qt.CheckState.Checked]
            pdf, name = attachments.export_pdf(self.ctx, case_id, ids)
            from ..shell.pdf_preview import PdfPreview

            self.preview = PdfPreview(pdf, name, self)
            self.preview.open()

        d.on_ok(ok)
        self.last_dialog = d
        d.open()
        return d
