"""`fulian-desktop print`: the print face (20 MB) is read on a thread while the password is checked and the database
opened, not after (issue 22: the whole process waits less); the PDF is the one printed without it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.documents import fonts
from fulian_desktop.store import keys

from .test_cli import _no_env_db, demo_db, run, sample  # noqa: F401  (fixtures)


def test_the_print_face_is_read_while_the_password_is_checked(
        demo_db: Path, sample: dict[str, Any],  # noqa: F811  (the fixtures)
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "first"
    first.mkdir()
    code, _out, err = run(capsys, "print", sample["case_no"], "--out", str(first), "--db", str(demo_db))
    assert code == 0, err

    reading = threading.Event()
    real_load, real_derive = fonts._load_song, keys.derive
    while_checked: list[bool] = []

    def load(path: str) -> Any:
        reading.set()
        return real_load(path)

    def derive(*args: Any) -> bytes:
        while_checked.append(reading.wait(timeout=5))  # the face begun while the password is checked
        return real_derive(*args)

    monkeypatch.setattr(fonts, "_song", None)  # as in a new process: the face not read yet
    monkeypatch.setattr(fonts, "_load_song", load)
    monkeypatch.setattr(keys, "derive", derive)
    second = tmp_path / "second"
    second.mkdir()
    code, out, err = run(capsys, "print", sample["case_no"], "--out", str(second), "--db", str(demo_db))
    assert code == 0, err
    assert while_checked == [True]
    [pdf] = list(second.glob("*.pdf"))
    [before] = list(first.glob("*.pdf"))
    assert out.startswith("已保存：") and pdf.name == before.name
    assert pdf.stat().st_size == before.stat().st_size  # the same form (the PDF's own date and id aside)
