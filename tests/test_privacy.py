"""Nothing on disk gives the people away: after a working session (register, search, open, print, edit),
the database file, its WAL, the key file, the logs and anything left in the temporary folder are scanned
for the names, ID numbers, phones and words of the case — none is found in clear."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fulian_desktop import logs
from fulian_desktop.cli import main as cli
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, cases, petitions
from fulian_desktop.store.connection import file_state

from .conftest import CHEAP_KDF, Clock

WOMAN, MOTHER = "柳如烟", "欧阳翠花"
ID_NUMBER = make_id_number("439021", dt.date(1990, 5, 6), 7, True)
PHONE, MOTHER_PHONE = "13907341234", "13807340000"
FACTS = "丈夫酒后殴打，上周在村口再次动手，邻居报警后派出所出具了告诫书。"
SECRETS = (WOMAN, MOTHER, ID_NUMBER, PHONE, MOTHER_PHONE, FACTS[:8], "石桥村3组")


def _encodings(text: str) -> list[bytes]:
    out = [text.encode("utf-8"), text.encode("utf-16-le")]
    try:
        out.append(text.encode("gbk"))
    except UnicodeEncodeError:
        pass
    return out


def _files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.is_file():
            yield folder
        elif folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file())


def _found_in(path: Path) -> list[str]:
    data = path.read_bytes()
    found = [s for s in SECRETS if any(e in data for e in _encodings(s))]
    if data.startswith(b"%PDF"):
        doc = pdfium.PdfDocument(data)
        text = "".join(page.get_textpage().get_text_range() for page in doc)
        found += [s for s in SECRETS if s in text]
        doc.close()
    return found


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield folder
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("TEMP", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_nothing_in_clear_after_a_working_session(qtbot, tmp_path: Path, clock: Clock, temp_folder: Path,  # type: ignore[no-untyped-def]
                                                  log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fulian_desktop.gui.shell.main_window import MainWindow

    log_file = logs.setup(log_dir, level=logging.DEBUG)
    assert log_file is not None
    data = tmp_path / "data"
    path = data / "fulian.db"
    ctx = accounts.first_start(path, "东山县妇联", "王秀兰", "wangxl", "dongshan-2026", case_roles={"director"},
                               clock=clock, kdf=CHEAP_KDF).ctx
    form = Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="石桥村",
        petitioner=Person(name=MOTHER, phone=MOTHER_PHONE), concerned=Person(
            name=WOMAN, id_number=ID_NUMBER, phone=PHONE, address="东山镇石桥村3组", sex="女"),
        category="婚姻家庭", subcategory="家庭暴力", facts=FACTS, request="请求帮助申请人身安全保护令。", dv=True,
        safety_risk=True, receiving_staff="王秀兰",
    )
    case_id, case_no = petitions.register(ctx, form)
    petitions.accept(ctx, case_id, dt.date(2026, 3, 3))
    assert [r.case_no for r in cases.find(ctx, WOMAN)] == [case_no]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_case(case_id)
    preview = window.print_case(case_id)
    assert preview is not None and preview.document.pageCount() >= 1
    # while the program runs: the database and its WAL
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    for f in (path, wal):
        assert _found_in(f) == [], f.name
    preview.close()
    window.close()
    ctx.close()
    # the command line, signed in from the environment
    monkeypatch.setenv(cli.ENV_USER, "wangxl")
    monkeypatch.setenv(cli.ENV_PASSWORD, "dongshan-2026")
    assert cli.main(["search", WOMAN, "--db", str(path)]) == 0
    assert cli.main(["search", ID_NUMBER, "--db", str(path)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["print", case_no, "--out", str(out / "form.pdf"), "--db", str(path)]) == 0
    assert WOMAN in "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(out / "form.pdf")), (
        "the scan must be able to see a name in a PDF"
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_file.read_text(encoding="utf-8").strip(), "the session was logged"

    scanned = list(_files(data, log_dir, temp_folder))
    assert path in scanned and accounts.keyfile_for(path) in scanned and log_file in scanned
    leaks = {str(f.relative_to(tmp_path)): found for f in scanned if (found := _found_in(f))}
    assert leaks == {}
    assert file_state(path) == "encrypted"
    assert not [f for f in _files(temp_folder) if f.suffix.lower() == ".pdf"], "no temporary PDF is left"
