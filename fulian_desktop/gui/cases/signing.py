"""当场签名: the dialog that keeps a signature given on screen for one line of a form (services/signatures.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from ...domain.errors import ValidationError
from ..shell.signature_pad import SignaturePad
from .action_dialog import ActionDialog


def make_sign_dialog(parent: QWidget, title: str, intro: str, signers: Sequence[tuple[str, str, str]],
                     keep: Callable[[str, str, bytes], None]) -> ActionDialog:
    """当场签名: choose the line (`signers`: part, name, the words beside the line), sign in the box, 确定 keeps it
    (`keep(part, name, png)`); an empty box is said beside it."""
    d = ActionDialog(title, intro, parent)
    who = QComboBox()
    for part, name, line in signers:
        who.addItem(line, (part, name))
    pad = SignaturePad()
    clear = QPushButton("清除重签")
    clear.clicked.connect(pad.clear)
    d.add("signer", "签名人", who, True)
    d.add("signature", "签名", pad, True)
    d.add("clear", "", clear)
    d.add("hint", "", QLabel("签名与这份文书当前的内容一起保存；内容更正后须重新签名。"))
    d.setMinimumWidth(620)

    def ok() -> None:
        part, name = who.currentData()
        png = pad.png()
        if not png:
            raise ValidationError({"signature": "请在签名框中签名"})
        keep(part, name, png)

    d.on_ok(ok)
    d.pad = pad  # type: ignore[attr-defined]
    d.who = who  # type: ignore[attr-defined]
    return d
