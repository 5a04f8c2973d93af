"""Chinese paths and names everywhere: a Windows user named 张三, folders with spaces, the data folder, the
database and its key file, printed forms, exported registers and backups all under such folders; the file
names the program proposes are in Chinese (信访登记表_张三_2026-03-01.pdf) and never hold a character Windows
refuses in a file name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from fulian_desktop import logs, paths
from fulian_desktop.cli import main as cli
from fulian_desktop.demo import generate as demo
from fulian_desktop.documents import registry
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, cases, exchange, petitions, printing, settings
from fulian_desktop.services.context import Context

from .conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, Clock
from .pdf_layout import page_texts

# what Windows refuses in a file name: \ / : * ? " < > | and control characters; nor a name ending in a dot
# or a space, nor the device names
WINDOWS_REFUSES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
ROLES = frozenset({"window", "mediator", "director", "admin"})


def windows_accepts(name: str) -> bool:
    stem = name.split(".")[0].upper()
    return bool(name) and not WINDOWS_REFUSES.search(name) and name[-1] not in ". " and stem not in DEVICES


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


@pytest.fixture
def zhang_san(tmp_path: Path) -> Path:
    """测试 数据/张 三: a folder as on a PC whose Windows user is 张三, with spaces."""
    folder = tmp_path / "测试 数据" / "张 三"
    folder.mkdir(parents=True)
    return folder


def zhang_san_petition() -> Petition:
    return Petition(
        channel="来访", received_on=dt.date(2026, 3, 1), petitioner=Person(name="张三", sex="女", phone="13800138000"),
        concerned=None, headcount=1, township="东山镇", village="石桥村", category="婚姻家庭",
        subcategory="家庭暴力", facts="丈夫酒后多次殴打，上周在村口再次动手。", request="请求帮助申请人身安全保护令。",
        dv=True, safety_risk=False, receiving_staff="李四",
    )


def test_the_default_data_folder_under_a_chinese_user_name(zhang_san: Path, monkeypatch: pytest.MonkeyPatch,
                                                           clock: Clock) -> None:
    """Nothing given on the command line: the database, its key file and the log go to the user's own
    data folder, whose path holds the user's Chinese name."""
    monkeypatch.setenv("HOME", str(zhang_san))
    monkeypatch.setenv("USERPROFILE", str(zhang_san))
    monkeypatch.setenv("LOCALAPPDATA", str(zhang_san / "AppData" / "Local"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("FULIAN_DB", raising=False)
    folder = paths.user_data_dir()
    assert str(zhang_san) in str(folder)
    db = paths.default_db_path()
    log_file = logs.setup(paths.user_log_dir())
    assert log_file is not None and log_file.parent.is_dir()
    c, recovery, _aside = accounts.set_up(db, [(TEST_USER, "测试员", ROLES, TEST_PASSWORD, False)],
                                          clock=clock, kdf=CHEAP_KDF)
    try:
        petitions.register(c, zhang_san_petition())
    finally:
        c.close()
    assert db.is_file() and accounts.keyfile_for(db).is_file() and recovery
    again = accounts.sign_in(db, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert [r.names for r in cases.find(again, "张三")] == ["张三"]
    finally:
        again.close()


def test_round_trip_under_a_chinese_folder(zhang_san: Path, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    """Set up, register 张三's petition, find her, print her form to 打印 文件/ with the proposed name,
    read it back; export the register there; the command line prints to a folder the same way."""
    db = zhang_san / "妇联 数据.db"
    c, _recovery, _aside = accounts.set_up(db, [(TEST_USER, "测试员", ROLES, TEST_PASSWORD, False)],
                                           clock=clock, kdf=CHEAP_KDF)
    try:
        case_id, case_no = petitions.register(c, zhang_san_petition())
        assert [r.id for r in cases.find(c, "张三")] == [case_id]
        pdf, name = printing.print_case(c, case_id)
        assert name == "信访登记表_张三_2026-03-01.pdf"
        out = zhang_san / "打印 文件"
        out.mkdir()
        (out / name).write_bytes(pdf)
        assert "张三" in pdf_text((out / name).read_bytes())

        register = zhang_san / "台账 导出" / "信访台账_2026-03-10.xlsx"
        register.parent.mkdir()
        exchange.export_register(c, "petition", register)
        book = openpyxl.load_workbook(register, read_only=True)
        try:
            cells = [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None]
        finally:
            book.close()
        assert "张三" in cells and case_no in cells
    finally:
        c.close()
    assert db.is_file() and (zhang_san / "妇联 数据.db.keys").is_file()

    printed = zhang_san / "命令行 打印"
    printed.mkdir()
    assert cli.main(["print", case_no, "--out", f"{printed}/", "--db", str(db)]) == 0
    assert [p.name for p in printed.iterdir()] == ["信访登记表_张三_2026-03-01.pdf"]
    assert "已保存" in capsys.readouterr().out


def test_every_form_proposes_a_chinese_name_windows_accepts(tmp_path: Path, ctx: Context) -> None:
    """Every kind of case and every further document: 表名_姓名_日期.pdf, nothing Windows refuses."""
    demo.generate(ctx, 80, seed=11)
    seen: dict[str, str] = {}
    for kind in ("petition", "referral", "mediation", "household"):
        rows = ctx.db.execute("SELECT id FROM cases WHERE kind = ? ORDER BY id", [kind]).fetchall()
        assert rows, kind
        for (case_id,) in rows[:5]:
            try:
                pdf, name = printing.print_case(ctx, int(case_id))
            except Exception as e:  # a referral prints only with her consent: skip those
                if kind == "referral" and "同意" in str(getattr(e, "message", e)):
                    continue
                raise
            assert pdf.startswith(b"%PDF")
            assert windows_accepts(name), name
            assert re.fullmatch(r"[\u4e00-\u9fff（）]+_[^_]+(_\d{4}-\d{2}-\d{2})?\.pdf", name), name
            seen[kind] = name
            if kind == "mediation":
                for form in registry.kinds():
                    if form.startswith("mediation."):
                        try:
                            _pdf, doc_name = printing.print_document(ctx, int(case_id), form.split(".", 1)[1])
                        except Exception:  # a document this mediation has not reached yet
                            continue
                        assert windows_accepts(doc_name) and re.search(r"[\u4e00-\u9fff]", doc_name), doc_name
    assert set(seen) >= {"petition", "mediation", "household"}, seen
    target = tmp_path / "导出 文件夹" / "案件列表_2026-03-10.xlsx"
    target.parent.mkdir()
    exchange.export_case_list(ctx, CaseFilter(), target)
    assert target.is_file()


@pytest.mark.parametrize("name, expected", [
    ("张三", "张三"),
    ("张三/李四", "张三李四"),
    ('王:*?"<>|小红', "王小红"),
    ("  欧阳 娜娜  ", "欧阳 娜娜"),
    ("李四.", "李四"),
    ("CON", ""),
    ("a\tb\nc", "a b c"),
])
def test_file_name_parts_lose_what_windows_refuses(name: str, expected: str) -> None:
    assert registry.safe_filename_part(name) == expected
    assert windows_accepts(registry.safe_filename_part(name) or "x")


def test_a_proposed_name_from_an_awkward_record_is_still_a_good_file_name(tmp_path: Path) -> None:
    awkward = zhang_san_petition()
    awkward.petitioner = Person(name='张三/李四:"大姐"?')
    name = registry.suggested_filename("petition", awkward)
    assert name == "信访登记表_张三李四大姐_2026-03-01.pdf"
    (tmp_path / "测试 数据").mkdir()
    (tmp_path / "测试 数据" / name).write_bytes(b"%PDF-1.4")  # and the file can be made


def test_backup_and_restore_under_chinese_folders(zhang_san: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The database in 测试 数据/张 三, backed up to a stick's 妇联 备份 folder, checked, and restored after a
    later change: the file proposed is named after the office in Chinese, and the case registered after the
    backup is gone again while 张三's is there."""
    backup = pytest.importorskip("fulian_desktop.services.backup")
    db = zhang_san / "妇联 数据.db"
    c, _recovery, _aside = accounts.set_up(db, [(TEST_USER, "测试员", ROLES, TEST_PASSWORD, False)],
                                           clock=clock, kdf=CHEAP_KDF)
    password = "春天的 备份密码 2026"
    try:
        settings.set_office_name(c, "东山县妇联")
        petitions.register(c, zhang_san_petition())
        backup.set_password(c, password, password)
    finally:
        c.close()
    stick = zhang_san.parent / "U盘 (E)" / "妇联 备份"
    stick.mkdir(parents=True)
    monkeypatch.setenv("FULIAN_BACKUP_PASSWORD", password)
    assert cli.main(["backup", "--to", str(stick), "--db", str(db)]) == 0
    made = sorted(stick.glob("*.fulian-backup"))
    assert len(made) == 1 and windows_accepts(made[0].name), made
    assert made[0].name.startswith("东山县妇联_"), made[0].name  # named after the office, in Chinese
    assert cli.main(["verify", str(made[0])]) == 0

    later = accounts.sign_in(db, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        after = zhang_san_petition()
        after.petitioner = Person(name="李四")
        petitions.register(later, after)
    finally:
        later.close()
    assert cli.main(["restore", str(made[0]), "--yes", "--db", str(db)]) == 0
    back = accounts.sign_in(db, TEST_USER, TEST_PASSWORD, clock=clock)
    try:
        assert [r.names for r in cases.find(back, "张三")] == ["张三"]
        assert cases.find(back, "李四") == []
    finally:
        back.close()
    kept = [p for p in zhang_san.iterdir() if p.name.startswith("妇联 数据.db") and p != db
            and p.name != "妇联 数据.db.keys" and not p.name.endswith(("-wal", "-shm"))]
    assert kept, "the database that was replaced is kept beside it"
    capsys.readouterr()
