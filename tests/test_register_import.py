"""The office's own registers as they really are (issue 18): .xls, .et, .ods, .xlsx saved by LibreOffice, CSV in
GBK and UTF-16; a title and notes above the header, two-row headers, one sheet a month, 合计 and 填表人 rows,
hidden columns; headers the office uses (反映内容, 调处结果, 走访时间 …); columns a register never had (乡镇, 案情,
纠纷简要情况, 纳入日期) recorded as 未记录 and the record marked 待补全; visits found by name, township and village,
an ambiguous one chosen by the clerk; the half-year statistics as the registers' 合计 rows say. The registers
are in tests/data/registers (made by make_registers.py there, with made-up people)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from fulian_desktop.cli import main as cli
from fulian_desktop.reports import reading
from fulian_desktop.reports.statistics import make_period
from fulian_desktop.services import exchange, importing, petitions, statistics
from fulian_desktop.services.context import Context
from fulian_desktop.store import gaps

DATA = Path(__file__).resolve().parent / "data" / "registers"
PETITIONS = DATA / "2025年信访登记台账.xls"
REFERRALS = DATA / "法律援助转介台账.ods"
MEDIATIONS = DATA / "婚姻家庭纠纷调解台账.xlsx"
HOUSEHOLDS = DATA / "帮扶户花名册.et"
VISITS = DATA / "走访慰问记录.csv"
UNICODE = DATA / "信访登记（Unicode文本）.txt"


def guessed(path: Path, **read: object) -> tuple[reading.Source, str, dict[str, int]]:
    source = exchange.read(path, **read)  # type: ignore[arg-type]
    kind = reading.guess_kind(source.headers)
    return source, kind, reading.guess_mapping(kind, source.headers)


def do_import(ctx: Context, path: Path, choose: dict[int, str] | None = None) -> importing.Report:
    source, kind, mapping = guessed(path)
    return exchange.import_rows(ctx, source, kind, mapping, choose=choose)


def count(ctx: Context, sql: str, *params: object) -> int:
    return int(ctx.db.execute(sql, list(params)).fetchone()[0])


# ---- every format they have ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind", "rows"), [
    (PETITIONS, "petition", 10), (REFERRALS, "referral", 4), (MEDIATIONS, "mediation", 4),
    (HOUSEHOLDS, "household", 4), (VISITS, "visit", 5), (UNICODE, "petition", 2)])
def test_each_format_is_read_from_its_content(path: Path, kind: str, rows: int) -> None:
    source, guessed_kind, _mapping = guessed(path)
    assert guessed_kind == kind and len(source.rows) == rows
    # the format is told by the bytes, not the name: the same file under another name reads the same
    again = reading.read_bytes(path.read_bytes(), "台账" + (".csv" if path.suffix != ".csv" else ".xls"))
    assert [[c.value for c in cells] for _n, cells in again.rows] == [[c.value for c in cells] for _n, cells in
                                                                      source.rows]


@pytest.mark.parametrize(("encoding", "said"), [
    ("utf-8-sig", ""), ("utf-8", ""), ("gbk", "GBK"), ("gb18030", "GBK"), ("utf-16", "UTF-16")])
def test_a_csv_in_any_encoding_is_read_without_asking(encoding: str, said: str) -> None:
    name = "䶮𠀀兰" if encoding in ("gb18030", "utf-8", "utf-8-sig", "utf-16") else "周玉梅"  # beyond GBK
    text = f"姓名,乡镇,来访日期\r\n{name},东山镇,2025年3月5日\r\n"
    source = reading.read_bytes(text.encode(encoding), "台账.csv")
    assert source.rows[0][1][0].value == name
    assert any(n == f"文字编码：{said}（已自动识别）。" for n in source.notes) == bool(said)


def test_a_workbook_a_sheet_a_month_with_title_notes_totals_and_dates_as_written() -> None:
    source = exchange.read(PETITIONS)
    assert [(u.name, u.header_row, u.data_rows, u.totals, u.notes) for u in source.sheets[:3]] == [
        ("1月", 3, 5, 1, 1), ("2月", 3, 3, 1, 1), ("3月", 3, 2, 1, 1)]
    assert source.notes[:2] == ["表格有5张工作表，读取了3张：“1月”（5行）、“2月”（3行）、“3月”（2行）。",
                                "没有读取：“汇总”（没有找到表头）、“下拉选项”（隐藏的工作表）。"]
    assert "没有导入3行合计、3行表尾备注（填表人、注等）。" in source.notes
    assert "没有写年份的日期（如“3月5日”）按2025年读（取自标题）。" in source.notes
    assert [source.where(i) for i in (0, 5, 9)] == ["“1月”第4行", "“2月”第4行", "“3月”第5行"]
    kind, mapping = "petition", reading.guess_mapping("petition", source.headers)
    assert {k: source.headers[i] for k, i in mapping.items() if k in ("facts", "request", "received_on")} == {
        "facts": "反映内容", "request": "主要诉求", "received_on": "来访日期"}
    dates = [reading.check_values(kind, mapping, cells, year=source.origin(i).year)[0]["received_on"]
             for i, (_n, cells) in enumerate(source.rows)]
    assert dates == [dt.date(2025, 1, 5), dt.date(2025, 1, 7), dt.date(2025, 1, 8), dt.date(2025, 1, 12),
                     dt.date(2025, 1, 15), dt.date(2025, 2, 3), dt.date(2025, 2, 10), dt.date(2025, 2, 18),
                     dt.date(2025, 3, 2), dt.date(2025, 3, 15)]
    values, errors, _gaps = reading.check_values(kind, mapping, source.rows[1][1])
    assert values["phone"] == "13807310002"  # a phone stored as a number
    assert reading.check_values(kind, mapping, source.rows[0][1])[0]["facts"] == "丈夫酒后打人。\n已有两次。"
    _values, errors, _gaps = reading.check_values(kind, mapping, source.rows[3][1], year=2025)
    assert errors == ["身份证号：被表格存成了数字，末几位可能已经丢失（Excel只保留15位数字，如4.30124198503125E+17）；"
                      "请把这一列设成“文本”格式后按原始记录重新填写"]
    # without a year anywhere, 3月5日 is not guessed
    _values, errors, _gaps = reading.check_values(kind, mapping, source.rows[3][1])
    assert any("“1月12日”没有写年份" in e for e in errors)


def test_a_two_row_header_a_hidden_column_and_the_header_row_the_clerk_chooses() -> None:
    source = exchange.read(MEDIATIONS)
    assert source.header_row == 2 and source.sheets[0].header_rows == 2
    assert source.headers[2:6] == ["申请人姓名", "申请人联系电话", "被申请人姓名", "被申请人联系电话"]
    assert [source.headers[c] for c in source.hidden] == ["申请人联系电话"]
    assert [role for _r, role, _t in source.sheets[0].roles[:4]] == ["title", "header", "header", "data"]
    assert source.sheets[0].roles[-1][1] == "total"
    # the clerk says the header is row 3: its words alone, row 2 above is a title
    chosen = exchange.read(MEDIATIONS, header_row=3)
    assert chosen.header_row == 3 and chosen.headers[2] == "姓名" and len(chosen.rows) == 4
    with pytest.raises(reading.ImportFileError, match="第40行不是表头"):
        exchange.read(MEDIATIONS, header_row=40)


def test_headers_are_matched_tolerantly_and_other_words_for_the_same_field() -> None:
    headers = ["序号", "1、来访时间", "姓 名", "联系电话（手机）", "所在乡镇", "反映内容", "调处结果", "ＩＤ"]
    m = reading.guess_mapping("petition", headers)
    assert {k: headers[i] for k, i in m.items()} == {
        "received_on": "1、来访时间", "name": "姓 名", "phone": "联系电话（手机）", "township": "所在乡镇",
        "facts": "反映内容", "result": "调处结果"}
    assert reading.guess_mapping("mediation", ["当事人", "调处结果"]) == {"applicant": 0, "outcome": 1}
    assert reading.guess_mapping("visit", ["走访时间", "慰问对象"]) == {"visited_on": 0, "name": 1}


# ---- the whole set, as an office brings it in --------------------------------------------------------------


def test_the_office_registers_import_with_the_right_counts_and_the_statistics_agree(ctx: Context) -> None:
    # the roster first (it has no 纳入日期 column: not refused, dated today and marked 待补全)
    roster = do_import(ctx, HOUSEHOLDS)
    assert (roster.new, roster.incomplete, len(roster.errors)) == (4, 4, 0)
    assert roster.describe() == "共4行：新增0，已在库中0，待补全4，有错误0"
    # the visits: by name, township and village; the fifth 刘桂兰 row gives no village and two households fit
    source, kind, mapping = guessed(VISITS)
    check = exchange.check(ctx, source, kind, mapping)
    assert [(r.where, r.state) for r in check.rows] == [
        ("第3行", "new"), ("第4行", "new"), ("第5行", "new"), ("第6行", "new"), ("第7行", "error")]
    ambiguous = check.ambiguous[0]
    assert ambiguous.messages[0].startswith("有2户名为“刘桂兰”的帮扶对象")
    assert [where for _no, where in ambiguous.candidates] == ["东山镇东山村", "东山镇石桥村"]
    chosen = {ambiguous.index: ambiguous.candidates[1][0]}
    visits = exchange.import_rows(ctx, source, kind, mapping, choose=chosen)
    assert (visits.new, len(visits.errors)) == (5, 0)
    assert count(ctx, "SELECT COUNT(*) FROM visits") == 5
    # each household's 纳入日期, never recorded, moved back to its first visit
    assert {r[0]: r[1] for r in ctx.db.execute(
        "SELECT c.village, c.received_on FROM cases c WHERE c.kind = 'household'")} == {
        "东山村": "2025-01-20", "石桥村": "2025-01-21", "柳塘村": "2025-02-03", "竹园村": "2025-03-08"}
    # the referrals without 乡镇 and 案情, the mediations without 纠纷简要情况, the petitions a sheet a month
    referrals = do_import(ctx, REFERRALS)
    assert (referrals.new, referrals.incomplete, len(referrals.errors)) == (4, 4, 0)
    mediations = do_import(ctx, MEDIATIONS)
    assert (mediations.new, mediations.incomplete, len(mediations.errors)) == (4, 4, 0)
    petition_report = do_import(ctx, PETITIONS)
    assert (petition_report.new, petition_report.incomplete, len(petition_report.errors)) == (9, 0, 1)
    assert petition_report.errors[0].where == "“1月”第7行"
    assert petition_report.describe() == "共10行：新增9，已在库中0，待补全0，有错误1"
    # nothing invented: what was not recorded says so, and the record lists what it lacks
    row = ctx.db.execute("""SELECT c.id, c.township, r.facts FROM cases c JOIN referrals r ON r.case_id = c.id
                            WHERE c.names = '杨美玲'""").fetchone()
    assert row[1:] == ("未记录", "（原台账未记录）")
    assert gaps.labels(ctx.db, row[0]) == ["乡镇", "案情"]
    note = ctx.db.execute("SELECT note FROM timeline WHERE case_id = ? AND action = '导入'", [row[0]]).fetchone()[0]
    assert note == "从“法律援助转介台账.ods”第5行导入；原台账未记录乡镇、案情，待补全"
    assert len(importing.incomplete(ctx)) == 12 and importing.incomplete_count(ctx) == 12
    # importing the same registers again adds nothing
    for path in (HOUSEHOLDS, REFERRALS, MEDIATIONS, PETITIONS):
        again = do_import(ctx, path)
        assert again.new == 0 and again.same == len(again.rows) - len(again.errors), path.name
    assert do_import(ctx, VISITS, chosen).new == 0
    # the half-year statistics are the numbers the registers' 合计 rows give
    stats = statistics.compare(ctx, make_period("half", 2025, 1)).current
    assert stats.petitions.total == 9  # 10 in the register, one with an ID number Excel damaged
    assert stats.referrals.total == 4
    m = stats.mediations
    assert (m.accepted, m.reconciled, m.agreed, m.failed) == (4, 2, 1, 1)  # 受理4起，和好2起，协议1起，不成1起
    assert (stats.visits.visits, stats.visits.cash_fen, stats.visits.goods_fen) == (5, 100000, 20000)


def test_a_record_completed_by_a_correction_is_no_longer_to_complete(ctx: Context) -> None:
    do_import(ctx, DATA / "信访登记（Unicode文本）.txt")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["来访日期", "来访方式", "姓名"])  # no 乡镇, 问题类别, 事情经过
    ws.append([dt.date(2025, 6, 20), "来访", "孔凤英"])
    path = DATA.parent.parent / "__unused__.xlsx"
    assert not path.exists()
    report = exchange.import_rows(ctx, reading.read_bytes(_xlsx_bytes(wb), "来访登记.xlsx"), "petition",
                                  {"received_on": 0, "channel": 1, "name": 2})
    assert report.describe() == "共1行：新增0，已在库中0，待补全1，有错误0"
    case_id = count(ctx, "SELECT id FROM cases WHERE names = '孔凤英'")
    assert gaps.labels(ctx.db, case_id) == ["乡镇", "问题类别", "事情经过"]
    form = petitions.get(ctx, case_id)
    form.township, form.facts = "东山镇", "丈夫酗酒。"
    petitions.correct(ctx, case_id, form)
    assert gaps.labels(ctx.db, case_id) == ["问题类别"]


def _xlsx_bytes(wb: Workbook) -> bytes:
    import io

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_columns_chosen_are_remembered_for_the_next_import_of_the_same_layout(ctx: Context) -> None:
    source, kind, mapping = guessed(UNICODE)
    assert exchange.remembered(ctx, kind, source.headers) is None
    mapping.pop("category")  # the clerk left 问题类别 out and chose 网上 for every row
    mapping.pop("channel")
    exchange.import_rows(ctx, source, kind, mapping, fill={"channel": "网上"})
    assert exchange.remembered(ctx, kind, source.headers) == (mapping, {"channel": "网上"})


# ---- the command line --------------------------------------------------------------------------------------


def test_command_line_map_fill_show_columns_and_ambiguous_rows(ctx: Context, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ctx.path)
    assert cli.main(["import", str(REFERRALS), "--db", db, "--show-columns"]) == 0
    out = capsys.readouterr().out
    assert "案情：表格没有这一列，记为“（原台账未记录）”，这些记录导入后标为“待补全”" in out
    assert "转介日期" in out and "（不导入）" in out
    # --map a column to a field, --fill a value for the whole file
    assert cli.main(["import", str(REFERRALS), "--db", db, "--map", "经办人=不导入", "--fill", "乡镇=东山镇",
                     "--show-columns"]) == 0
    out = capsys.readouterr().out
    assert "乡镇：整个文件填“东山镇”" in out and "乡镇：表格没有" not in out
    assert cli.main(["import", str(REFERRALS), "--db", db, "--map", "没有这列=案情"]) == 2
    assert "表格中没有“没有这列”这一列" in capsys.readouterr().err
    assert cli.main(["import", str(REFERRALS), "--db", db, "--fill", "乡镇=东山镇"]) == 0
    out = capsys.readouterr().out
    assert "已导入：共4行：新增0，已在库中0，待补全4，有错误0。" in out  # 案情 was never recorded
    assert {r[0] for r in ctx.db.execute("SELECT township FROM cases WHERE kind = 'referral'")} == {"东山镇"}
    assert cli.main(["import", str(HOUSEHOLDS), "--db", db]) == 0
    capsys.readouterr()
    # an ambiguous visit is an error the clerk must settle: refused, or skipped with --skip-errors
    assert cli.main(["import", str(VISITS), "--db", db]) == 1
    captured = capsys.readouterr()
    assert "第7行（刘桂兰）：有2户名为“刘桂兰”的帮扶对象" in captured.out and "什么也没有写入" in captured.err
    assert cli.main(["import", str(VISITS), "--db", db, "--skip-errors"]) == 0
    assert "已导入：共5行：新增4，已在库中0，待补全0，有错误1。" in capsys.readouterr().out


def test_the_command_line_shows_the_service_of_a_referral_register_without_the_column(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register of referrals with no 服务 column: --show-columns says each row takes its organisation's service; a
    register with 转介类型 shows that column read as 服务."""
    db = str(ctx.path)
    assert cli.main(["import", str(REFERRALS), "--db", db, "--show-columns"]) == 0
    assert "服务：表格没有这一列，按接收机构在机构名录中提供的服务" in capsys.readouterr().out
    wb = Workbook()
    wb.active.append(["转介日期", "申请人", "乡镇", "事项", "案情", "转介类型", "接收机构"])
    wb.active.append([dt.date(2025, 5, 7), "郑桂兰", "东山镇", "家庭暴力", "被打无处住", "庇护所", "县救助管理站"])
    wb.save(tmp_path / "转介.xlsx")
    assert cli.main(["import", str(tmp_path / "转介.xlsx"), "--db", db, "--show-columns"]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:3] == ["转介类型", "服务", "庇护所"] for line in out.splitlines()), out
    assert "服务：表格没有这一列" not in out


def test_an_xlsx_is_measured_alike_by_the_quick_scan_and_by_the_stream(tmp_path: Path) -> None:
    """The guards' quick scan of a sheet (workbook._xlsx_scan) finds what the XML stream finds — extent, merged title,
    hidden column, empty values — and leaves to the stream a sheet it does not know how to read (a formula)."""
    import io
    import zipfile

    from fulian_desktop.reports import workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某县妇联2025年信访登记台账"])
    ws.merge_cells("A1:F1")
    ws.append(["日期", "姓名", "乡镇", "事情经过", "", "备注"])
    for i in range(40):
        ws.append([dt.date(2025, 3, 1 + i % 28), f"王{i}", "东山镇", "吵架\n又吵架" if i % 3 else None, "", " "])
    ws.column_dimensions["C"].hidden = True
    wb.save(tmp_path / "a.xlsx")
    ws["G5"] = "=A3+1"
    wb.save(tmp_path / "b.xlsx")

    def both(path: Path) -> tuple[object, object, bool]:
        z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        xml = z.read("xl/worksheets/sheet1.xml")
        quick = workbook._Layout("台账")
        scanned = workbook._xlsx_scan(xml, quick)
        state: list[tuple[int, int, int]] = []
        real, real_scan = workbook._Extent.sheet, workbook._xlsx_scan
        try:
            workbook._Extent.sheet = lambda self, r, c, n: state.append((r, c, n))  # type: ignore[method-assign]
            workbook._xlsx_scan = lambda xml, layout: None  # type: ignore[assignment]
            [streamed] = workbook._xlsx_layouts(z)
        finally:
            workbook._Extent.sheet, workbook._xlsx_scan = real, real_scan  # type: ignore[method-assign]
        return ((scanned, quick.merged, quick.hidden_columns),
                (state[0], streamed.merged, streamed.hidden_columns), scanned is None)

    quick, streamed, fell_back = both(tmp_path / "a.xlsx")
    assert quick == streamed and not fell_back
    assert streamed == ((42, 6, 1 + 5 + 40 * 3 + 26 + 40), [(1, 1, 1, 6)], {2})  # (a text of one space is a value)
    assert both(tmp_path / "b.xlsx")[2]  # a formula: read by the stream
