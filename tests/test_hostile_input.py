"""Hostile and careless input (issue 16): every entry path refuses what no register holds, with a message
for the user, and nothing crashes."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain.idcard import IdNumberError, check_digit, parse_id_number


def _with_check(first17: str) -> str:
    return first17 + check_digit(first17)


@pytest.mark.parametrize("region", ["000000", "999999", "093456", "100000", "160000", "380000", "660000", "840000"])
def test_an_id_number_from_no_province_is_refused(region: str) -> None:
    number = _with_check(f"{region}19850312002")
    with pytest.raises(IdNumberError, match="前两位"):
        parse_id_number(number, dt.date(2026, 12, 6))


@pytest.mark.parametrize("region", ["110101", "150102", "230103", "310104", "370105", "460106", "540107",
                                    "650108", "430121", "810000", "820000", "830000"])
def test_id_numbers_of_every_province_and_of_residence_permits_are_accepted(region: str) -> None:
    number = _with_check(f"{region}19850312002")
    assert parse_id_number(number, dt.date(2026, 12, 6)).region == region


# --- sign-in: the lock-out cannot be raced past, nobody changes her own roles ---------------------------------

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from fulian_desktop import locks  # noqa: E402
from fulian_desktop.domain.accounts import MAX_FAILURES, AccountLocked, LoginFailed  # noqa: E402
from fulian_desktop.domain.errors import ValidationError  # noqa: E402
from fulian_desktop.services import accounts  # noqa: E402
from fulian_desktop.store import keys  # noqa: E402

from .conftest import CHEAP_KDF, Clock  # noqa: E402

ADMIN, ADMIN_PW = "wangxl", "dongshan-2026"

_GUESS = """
import sys, time
from fulian_desktop.services import accounts
from fulian_desktop.domain.accounts import AccountLocked, LoginFailed
path, user, password, at = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
time.sleep(max(0.0, at - time.time()))
try:
    accounts.sign_in(path, user, password).close()
    print("IN")
except AccountLocked:
    print("LOCKED")
except LoginFailed:
    print("WRONG")
"""


def _office(tmp_path: Path, clock: Clock) -> accounts.Started:
    path = tmp_path / "office" / "fulian.db"
    return accounts.first_start(path, "东山县妇联", "王秀兰", ADMIN, ADMIN_PW, case_roles=frozenset({"director"}),
                                clock=clock, kdf=CHEAP_KDF)


def test_wrong_passwords_at_the_same_moment_are_all_counted_and_lock_the_account(tmp_path: Path,
                                                                                  clock: Clock) -> None:
    started = _office(tmp_path, clock)
    path = started.ctx.path
    started.ctx.close()
    at = time.time() + 4  # every process waits for the same moment, after its imports
    procs = [subprocess.Popen([sys.executable, "-c", _GUESS, str(path), ADMIN, f"guess-{i}", str(at)],
                              stdout=subprocess.PIPE, text=True) for i in range(8)]
    answers = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert "IN" not in answers
    assert answers.count("WRONG") == MAX_FAILURES - 1, answers  # the fifth locked it, the rest were refused
    with pytest.raises(AccountLocked):
        accounts.sign_in(path, ADMIN, ADMIN_PW)  # the right password no longer gets in
    data = json.loads(keys.keyfile_path(path).read_text(encoding="utf-8"))
    assert any(a.get("locked_until") for a in data["attempts"].values())


def test_an_attempt_that_never_finished_still_counts(tmp_path: Path, clock: Clock) -> None:
    started = _office(tmp_path, clock)
    path = started.ctx.path
    started.ctx.close()
    kf = keys.KeyFile.load(keys.keyfile_path(path))
    assert kf is not None
    kf.begin_attempt(ADMIN, clock())  # the process was killed during the password check
    with pytest.raises(LoginFailed, match=f"再输错{MAX_FAILURES - 2}次"):
        accounts.sign_in(path, ADMIN, "wrong-password", clock=clock)


def test_an_administrator_cannot_give_herself_a_case_role_without_the_recovery_key(tmp_path: Path,
                                                                                 clock: Clock) -> None:
    path = tmp_path / "office" / "fulian.db"
    started = accounts.first_start(path, "东山县妇联", "王秀兰", ADMIN, ADMIN_PW, case_roles=frozenset(),
                                   clock=clock, kdf=CHEAP_KDF)
    admin = started.ctx
    assert admin.user is not None and admin.user.id is not None and not admin.may("petition.read")
    with pytest.raises(ValidationError) as refused:
        accounts.set_roles(admin, admin.user.id, {"admin", "director"})
    assert "恢复密钥" in refused.value.errors["recovery_key"]
    with pytest.raises(ValidationError, match="不正确"):
        accounts.set_roles(admin, admin.user.id, {"admin", "director"}, "AAAA-BBBB-CCCC-DDDD")
    assert not admin.may("petition.read")
    accounts.set_roles(admin, admin.user.id, {"admin", "director"}, started.recovery_key)  # the key from the safe
    assert admin.may("petition.read")
    admin.close()


def test_the_key_file_lock_on_windows_waits_for_the_other_process(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """msvcrt.locking(LK_LOCK) raises after its own ten seconds of retries: keep waiting, then unlock."""
    import types

    calls: list[str] = []
    busy = [2]  # the other process holds it for two more tries

    def locking(fd: int, mode: int, n: int) -> None:
        calls.append("lock" if mode == 1 else "unlock")
        if mode == 1 and busy[0]:
            busy[0] -= 1
            raise OSError(36, "Resource deadlock avoided")

    fake = types.SimpleNamespace(LK_LOCK=1, LK_UNLCK=0, locking=locking)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(locks, "_WINDOWS", True)
    with keys.exclusive(tmp_path / "fulian.db.keys"):
        calls.append("inside")
    assert calls == ["lock", "lock", "lock", "inside", "unlock"]


# --- spreadsheets beyond any register are refused quickly, before they are read --------------------------

import io  # noqa: E402
import zipfile  # noqa: E402

from fulian_desktop.reports import reading, workbook  # noqa: E402


def _xlsx(build) -> bytes:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_sheet_with_values_in_column_16000_is_refused_unread() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws.append(["姓名", "乡镇", "来访日期"])
        for r in range(2, 3002):
            ws.cell(row=r, column=16000, value="x")

    data = _xlsx(build)
    assert len(data) < 200_000  # a small file
    with pytest.raises(reading.ImportFileError, match="16000列"):
        reading.read_bytes(data, "台账.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    sheet = _xlsx(lambda ws: ws.append(["姓名", "乡镇"]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sheet)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/padding.xml", "w") as f:  # 130 MB of nothing, a few hundred KB packed
            block = b" " * (1024 * 1024)
            for _ in range(130):
                f.write(block)
    assert len(out.getvalue()) < 2_000_000
    with pytest.raises(reading.ImportFileError, match="解压后有130 MB"):
        reading.read_bytes(out.getvalue(), "台账.xlsx")


def test_a_csv_cell_longer_than_any_register_holds_is_refused_with_a_message() -> None:
    data = ("姓名,乡镇,事情经过\n王芳,东山镇," + "很" * 140_000 + "\n").encode("utf-8")
    with pytest.raises(reading.ImportFileError, match="超过32767个字"):
        reading.read_bytes(data, "台账.csv")
    broken = ("姓名,乡镇,事情经过\n王芳,东山镇,\"" + "很" * 140_000 + "\n").encode("utf-8")  # never closed
    with pytest.raises(reading.ImportFileError, match="超过32767个字"):  # past the csv module's own limit
        reading.read_bytes(broken, "台账.csv")


def test_merged_cells_still_fill_their_range_when_read_as_a_stream() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws.append(["东山县妇联信访登记台账"])
        ws.merge_cells("A1:C1")
        ws.append(["姓名", "乡镇", "来访日期"])
        ws.append(["王芳", "东山镇", "2026-03-02"])
        ws.append(["李丽", None, "2026-03-03"])
        ws.merge_cells("B3:B4")

    source = reading.read_bytes(_xlsx(build), "台账.xlsx")
    assert source.header_row == 2
    assert [[c.value for c in cells] for _n, cells in source.rows] == [["王芳", "东山镇", "2026-03-02"],
                                                                        ["李丽", "东山镇", "2026-03-03"]]


# Every other format the offices save in is guarded the same way, before a library lays the sheet out in memory
# (python-calamine builds a sheet as one block from its first cell to its last: one value at A1 and one at
# IV65536 of a 6 KB .xls took it a gigabyte and 10 s, measured; xlrd keeps rows ragged).

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"


def _ods(content_rows: str, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            '<table:table table:name="台账"><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell>'
            '<table:table-cell office:value-type="string"><text:p>乡镇</text:p></table:table-cell>'
            f'</table:table-row>{content_rows}</table:table></office:spreadsheet></office:body>'
            '</office:document-content>'))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _cell(text: str, repeat: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
            f'<text:p>{text}</text:p></table:table-cell>')


def _refused_at_once(data: bytes, name: str, match: str) -> None:
    started = time.monotonic()
    with pytest.raises(reading.ImportFileError, match=match):
        reading.read_bytes(data, name)
    assert time.monotonic() - started < 2


def test_an_xls_with_one_value_at_a1_and_one_at_iv65536_is_refused_in_a_moment() -> None:
    data = (HOSTILE / "A1与IV65536.xls").read_bytes()  # saved by LibreOffice: 2 values, 5.5 KB
    assert len(data) < 10_000
    _refused_at_once(data, "台账.xls", "有256列")
    _refused_at_once(data, "台账.et", "有256列")


def test_an_ods_whose_cells_are_repeated_past_any_register_is_refused_unexpanded() -> None:
    wide = _ods(f"<table:table-row>{_cell('王芳')}<table:table-cell table:number-columns-repeated=\"16000\"/>"
                f"{_cell('x')}</table:table-row>")
    _refused_at_once(wide, "台账.ods", "有16002列")
    tall = _ods(f'<table:table-row table:number-rows-repeated="1048000">{_cell("王芳")}{_cell("东山镇")}'
                "</table:table-row>")
    _refused_at_once(tall, "台账.ods", "太大|超过了一次最多导入")
    many = _ods(f"<table:table-row>{_cell('x', 150)}</table:table-row>" * 7000)  # 1,050,000 cells
    _refused_at_once(many, "台账.ods", "太大")
    bomb = _ods("", {"padding.xml": b" " * (130 * 1024 * 1024)})
    assert len(bomb) < 2_000_000
    _refused_at_once(bomb, "台账.ods", "解压后有130 MB")


def test_an_xlsx_with_a_value_in_its_last_row_is_refused_before_it_is_laid_out() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws.append(["姓名", "乡镇", "来访日期"])
        ws["A1048576"] = "x"

    _refused_at_once(_xlsx(build), "台账.xlsx", "超过了一次最多导入50000行")


def test_files_that_are_not_what_their_name_says(monkeypatch: pytest.MonkeyPatch) -> None:
    _refused_at_once(b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>",
                     "台账.xls", "网页格式")
    _refused_at_once(b"PK\x03\x04 not really a zip", "台账.ods", "打不开")
    _refused_at_once(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "台账.pdf", "是PDF文件，不是表格")
    _refused_at_once(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "照片.png", "是图片，不是表格")
    _refused_at_once(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "台账.csv", "其他软件的文件，不是表格")
    utf16 = "姓名\t乡镇\t来访日期\n王芳\t东山镇\t2026-03-02\n".encode("utf-16")  # Excel's "Unicode 文本": NULs, a table
    assert reading.read_bytes(utf16, "台账.txt").rows[0][1][1].value == "东山镇"
    assert reading.read_bytes("姓名,乡镇\nBM王芳,东山镇\n".encode(), "台账.csv").rows[0][1][0].value == "BM王芳"
    tab_text = "姓名\t乡镇\t来访日期\n王芳\t东山镇\t2026-03-02\n".encode("gbk")  # a system's "xls" that is text
    assert reading.read_bytes(tab_text, "导出.xls").rows[0][1][1].value == "东山镇"
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 1000)
    _refused_at_once((HOSTILE / "A1与IV65536.xls").read_bytes(), "台账.xls", "有0 MB")


# --- rare characters: found by the characters themselves; initials where any data has them --------------------

from fulian_desktop.domain.names import INITIALS_HELP, pinyin_initials  # noqa: E402
from fulian_desktop.domain.records import Person, Petition  # noqa: E402
from fulian_desktop.services import cases, petitions  # noqa: E402
from fulian_desktop.services.context import Context  # noqa: E402


def test_extension_b_characters_have_initials_where_the_pinyin_data_has_them() -> None:
    assert pinyin_initials("𠀊") != ""  # U+2000A: in the data (Extension B)
    assert pinyin_initials("王𠇔") in ("w", "w y", "y w")  # U+201D4 has no reading anywhere: the rest still counts
    assert "𠇔" in INITIALS_HELP  # and the search help says so


def test_a_name_with_a_rare_character_is_found_by_its_characters(ctx: Context) -> None:
    case_id, case_no = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="王𠇔娟"), concerned=None, category="其他", subcategory="", facts="咨询",
        request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))
    for text in ("王𠇔娟", "𠇔娟", "𠇔", "wj"):
        assert [r.case_no for r in cases.find(ctx, text)] == [case_no], text


# --- the audit trail's CSV runs no formula ---------------------------------------------------------------------

import csv as csv_module  # noqa: E402

from fulian_desktop.services import audit  # noqa: E402


def test_the_audit_trails_csv_shows_a_formula_like_name_as_text(ctx: Context) -> None:
    for hostile in ("=1+2", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")'):
        audit.exported(ctx, hostile, 1)
    data, _n = audit.export_csv(ctx, audit.AuditFilter())
    rows = list(csv_module.reader(io.StringIO(data.decode("utf-8-sig"))))
    targets = [r[6] for r in rows[1:] if r[6].lstrip("'").startswith(("=", "+", "-", "@"))]
    assert sorted(targets) == sorted(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'=HYPERLINK(\"http://x\")"])
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


# --- invisible text: normalised once, in the domain, for every entry path --------------------------------------

from fulian_desktop.domain.text import clean  # noqa: E402
from fulian_desktop.services import mediations  # noqa: E402

from .test_mediations import form as mediation_form  # noqa: E402

INVISIBLE = "\u200b\u200c\u200d\ufeff\u2060\u202e\u2066\x00\x07\x1b"


def test_text_is_normalised_control_and_format_characters_removed() -> None:
    assert clean("王\u200b芳") == "王芳"
    assert clean("e\u0301") == "\u00e9"  # NFC
    assert clean(" 张\t三 \x00") == "张 三"
    assert clean("第一行\r\n\x1b第二行\u202e", multiline=True) == "第一行\n第二行"
    assert clean(INVISIBLE) == ""


def test_a_mediation_with_invisible_characters_is_stored_clean_and_found(ctx: Context) -> None:
    m = mediation_form(ctx, facts="双方因家庭开支\u200b争吵\x00。\n第二行", village="石\u202e桥村")
    m.parties[0].person.name = "张\u200d丽"
    case_id, case_no = mediations.open_mediation(ctx, m)
    saved = mediations.get(ctx, case_id)
    assert saved.facts == "双方因家庭开支争吵。\n第二行" and saved.village == "石桥村"
    assert saved.parties[0].person.name == "张丽"
    assert case_no in [r.case_no for r in cases.find(ctx, "张丽")]


def test_text_made_only_of_invisible_characters_is_empty_and_a_lone_surrogate_is_refused(ctx: Context) -> None:
    with pytest.raises(ValidationError) as empty:
        mediations.open_mediation(ctx, mediation_form(ctx, facts=INVISIBLE))
    assert "facts" in empty.value.errors
    with pytest.raises(ValidationError) as broken:
        mediations.open_mediation(ctx, mediation_form(ctx, request="请求\udc80调解"))
    assert "无法识别的字符" in broken.value.errors["request"]


def _petition(**changes: object) -> Petition:
    p = Petition(channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
                 petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
                 request="咨询", dv=False, safety_risk=False, receiving_staff="接待员")
    for key, value in changes.items():
        setattr(p, key, value)
    return p


def test_a_petition_with_invisible_characters_is_stored_clean_and_found(ctx: Context) -> None:
    case_id, case_no = petitions.register(ctx, _petition(petitioner=Person(name="王\u200b芳"),
                                                         facts="丈夫\x07打人\u202e。", receiving_staff="接\x1b待员"))
    saved = petitions.get(ctx, case_id)
    assert (saved.petitioner.name, saved.facts, saved.receiving_staff) == ("王芳", "丈夫打人。", "接待员")
    assert case_no in [r.case_no for r in cases.find(ctx, "王芳")]
    with pytest.raises(ValidationError) as empty:
        petitions.register(ctx, _petition(petitioner=Person(name="\u200b\u200c\u200d\ufeff")))
    assert empty.value.errors["petitioner.name"] == "请填写姓名"


def test_one_record_with_a_control_character_never_stops_the_whole_export(ctx: Context, tmp_path: Path) -> None:
    """A record saved before text was normalised (or written by an older import) still holds NUL, BEL, ESC."""
    from openpyxl import load_workbook

    from fulian_desktop.services import exchange

    for n in range(3):
        petitions.register(ctx, _petition(facts=f"第{n}件"))
    with ctx.db.atomic():
        ctx.db.execute("UPDATE petitions SET facts = ? WHERE rowid = (SELECT MIN(rowid) FROM petitions)",
                       ["旧\x00记\x07录\x1b"])
    target = tmp_path / "信访台账.xlsx"
    assert exchange.export_register(ctx, "petition", target) == 3
    values = [c.value for row in load_workbook(target).worksheets[0].iter_rows() for c in row]
    assert "旧记录" in values
