"""The fast import (issue 18, point 7) writes what the row-by-row import through the services writes: the same
registers imported into two databases alike, one each way, hold the same rows in every table — numbers, people,
timeline, documents, deadlines, gaps, links, counters and search index — and give the same report. The fast
import of a file just checked reuses the check, unless anything changed since."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlcipher3 import dbapi2 as sqlite3

from fulian_desktop.cli import main as cli
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.reports import reading
from fulian_desktop.services import importing, petitions
from fulian_desktop.services.context import Context, open_context
from fulian_desktop.store import bulk, parallel
from tests import big_registers, search_index

NOW = dt.datetime(2026, 3, 10, 9, 30)
# (table, order, columns left out: ids given in another order by the two ways, nothing the user sees)
TABLES = [
    ("people", "id", ""), ("cases", "id", ""), ("petitions", "case_id", ""), ("referrals", "case_id", ""),
    ("mediations", "case_id", ""), ("mediation_parties", "case_id, position", ""),
    ("mediation_mediators", "case_id, position", ""), ("mediators", "id", ""), ("households", "case_id", ""),
    ("household_members", "case_id, position", "id"), ("household_cadres", "case_id, id", "id"),
    ("visits", "case_id, visited_on, id", "id"), ("case_people", "case_id, position", ""),
    ("case_links", "from_case, to_case", ""), ("timeline", "case_id, id", "id"),
    ("case_documents", "case_id, id", "id"), ("import_gaps", "case_id, field", ""),
    ("case_counters", "kind, year", ""), ("search_tri", "rowid", ""), ("search_bi", "rowid", ""),
]


def _columns(ctx: Context, table: str, leave_out: str) -> str:
    names = [r[1] for r in ctx.db.execute(f"PRAGMA table_info({table})").fetchall()]
    if table.startswith("search_"):
        names = ["rowid", *names]
    return ", ".join(n for n in names if n != leave_out)


def tables(ctx: Context) -> dict[str, list[Any]]:
    found = {t: ctx.db.execute(f"SELECT {_columns(ctx, t, leave)} FROM {t} ORDER BY {order}").fetchall()
             for t, order, leave in TABLES}
    # the search indexes keep no copy of their text (migration 0031): what each case's entry holds, term by term
    for table in ("search_tri", "search_bi"):
        found[f"{table} terms"] = search_index.entries(ctx.db, table)
    return found


class Pair:
    """Two databases alike: `slow` imports one row after another through the services, `fast` in bulk."""

    def __init__(self, tmp: Path) -> None:
        self.slow = open_context(tmp / "slow.db", clock=lambda: NOW, staff="导入员")
        self.fast = open_context(tmp / "fast.db", clock=lambda: NOW, staff="导入员")
        self.read: dict[Path, reading.Source] = {}

    def both(self, call: Any) -> None:
        call(self.slow)
        call(self.fast)

    def run(self, path: Path, write: bool = True, **kw: Any) -> tuple[importing.Report, importing.Report]:
        source = reading.read_file(path)
        kind = reading.guess_kind(source.headers)
        mapping = reading.guess_mapping(kind, source.headers)
        slow = importing.run(self.slow, source, kind, mapping, write=write, one_by_one=True, **kw)
        # the fast way as the wizard goes: the file read once, checked, then imported (the check's result reused)
        fast_source = self.read.setdefault(path, reading.read_file(path))
        fast = importing.run(self.fast, fast_source, kind, mapping, write=write, **kw)
        return slow, fast

    def assert_same(self) -> dict[str, int]:
        a, b = tables(self.slow), tables(self.fast)
        for t in a:
            assert a[t] == b[t], t
        assert not a["cases"] or a["search_tri terms"], "each case's search entry is compared, term by term"
        assert self.fast.db.execute("PRAGMA foreign_key_check").fetchall() == []
        schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        assert self.slow.db.execute(schema).fetchall() == self.fast.db.execute(schema).fetchall()  # every index too
        events = "SELECT event, case_id, operation FROM audit WHERE event LIKE 'case.%' ORDER BY id"
        assert self.slow.db.execute(events).fetchall() == self.fast.db.execute(events).fetchall()
        return {t: len(rows) for t, rows in a.items()}


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = Pair(tmp_path)
    yield p
    p.slow.close()
    p.fast.close()


def rows_of(report: importing.Report) -> list[tuple[object, ...]]:
    return [(r.row, r.state, r.case_no, r.messages, r.who, r.gaps, r.candidates) for r in report.rows]


def _save(tmp: Path, name: str, headers: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(tmp / name)
    return tmp / name


def _petition_on_file(ctx: Context, id_number: str) -> None:
    """A petition already on file, by the woman whose ID number a row of the register gives (a repeat)."""
    petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2025, 12, 1), petitioner=Person(name="周玉梅", id_number=id_number),
        concerned=None, headcount=1, dv=True, safety_risk=False, township="东山镇", village="东山村",
        category="婚姻家庭", subcategory="家庭暴力",
        facts="丈夫酒后打人。", request="请妇联出面制止", receiving_staff="李红"))


def test_a_petition_register_imports_the_same_either_way(pair: Pair, tmp_path: Path) -> None:
    woman = make_id_number("430124", dt.date(1985, 3, 12), 7, True)
    pair.both(lambda ctx: _petition_on_file(ctx, woman))
    headers = ["案件编号", "来访日期", "信访方式", "姓名", "身份证号", "乡镇", "村（社区）", "问题类别", "具体问题",
               "反映内容", "主要诉求", "被反映人", "受理日期", "办理方式", "处理结果", "答复内容", "办结日期"]
    d = dt.date
    rows = [
        # her again (a repeat of the one on file), accepted and concluded
        ["", d(2026, 1, 5), "来访", "周玉梅", woman, "东山镇", "东山村", "婚姻家庭", "家庭暴力", "又被打了", "请求制止",
         "", d(2026, 1, 5), "当场答复", "支持", "已告知", d(2026, 1, 20)],
        # a number of ours, free: kept; about 张大山, twice (the second a repeat of the same matter)
        ["信访〔2025〕第0040号", d(2025, 6, 3), "来信", "李春梅", "", "西河乡", "西河村", "财产权益", "征地补偿", "补偿款没有份",
         "", "张大山", d(2025, 6, 4), "", "", "", None],
        ["", d(2025, 8, 9), "来电", "王秀英", "", "西河乡", "柳塘村", "财产权益", "征地补偿", "补偿款也没有份", "",
         "张大山", None, "", "", "", None],
        # the same row twice in the file, an unknown category, a refusal
        ["", d(2025, 9, 1), "来访", "赵凤英", "", "南岭镇", "南岭村", "婚姻家庭", "离婚问题", "要离婚", "", "", None, "",
         "", "", None],
        ["", d(2025, 9, 1), "来访", "赵凤英", "", "南岭镇", "南岭村", "婚姻家庭", "离婚问题", "要离婚", "", "", None, "",
         "", "", None],
        ["", d(2025, 9, 2), "来访", "钱淑珍", "", "南岭镇", "南岭村", "天上的事", "", "不知道", "", "", None, "", "", "",
         None],
        # a date out of order: refused by the services on the way
        ["", d(2025, 10, 2), "来访", "孙丽华", "", "北坪乡", "北坪村", "婚姻家庭", "家庭纠纷", "婆媳不和", "", "",
         d(2025, 9, 30), "", "", "", None],
    ]
    path = _save(tmp_path, "信访.xlsx", headers, rows)
    slow, fast = pair.run(path, write=False)
    assert rows_of(slow) == rows_of(fast) and slow.describe() == fast.describe()
    checked = rows_of(fast)
    slow, fast = pair.run(path)
    # the same rows written; a row's message is the one the check showed (the row-by-row way words the date
    # out of order as the 受理 step does: 受理日期不能早于2025年10月2日)
    assert [x[:3] + x[4:] for x in rows_of(slow)] == [x[:3] + x[4:] for x in rows_of(fast)]
    assert [x[3] for x in rows_of(fast)] == [x[3] for x in checked]
    assert [r.state for r in fast.rows] == ["new", "new", "new", "new", "same", "error", "error"]
    counts = pair.assert_same()
    assert counts["case_links"] == 2 and counts["case_documents"] >= 3  # two repeats; notices and an opinion
    kept = pair.fast.db.execute("SELECT case_no FROM cases WHERE names = '李春梅'").fetchone()[0]
    assert kept == "信访〔2025〕第0040号"
    # again: nothing new, either way
    slow, fast = pair.run(path)
    assert [x[:3] for x in rows_of(slow)] == [x[:3] for x in rows_of(fast)] and fast.new == 0
    pair.assert_same()


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The loader's batches of 17 cases (many batches); the batches written behind (store/bulk.py write_behind)."""
    from fulian_desktop.store import bulk

    real_init, real_write = bulk.Loader.__init__, bulk.Loader._write_behind
    behind: list[int] = []

    def init(self: bulk.Loader, *a: Any, **k: Any) -> None:
        real_init(self, *a, **k)
        self.batch_size = 17

    def write_behind(self: bulk.Loader, *a: Any) -> None:
        behind.append(1)
        real_write(self, *a)

    monkeypatch.setattr(bulk.Loader, "__init__", init)
    monkeypatch.setattr(bulk.Loader, "_write_behind", write_behind)
    return behind


def second_process(monkeypatch: pytest.MonkeyPatch, floor: int = 1) -> list[object]:
    """A register of `floor` rows or more has its letters packed and its search entries made in a second process
    (store/parallel.py), in chunks of 7 here (many chunks, and a chunk part-way at each flush): the helpers started."""
    started: list[object] = []
    real = parallel.Helper.__init__

    def init(self: parallel.Helper) -> None:
        started.append(self)
        real(self)

    monkeypatch.setattr(parallel, "FLOOR", floor)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(parallel, "_given_up", False)  # (and as it was after the test)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)  # (whatever machine runs the tests)
    monkeypatch.setattr(parallel.Helper, "__init__", init)
    return started


@pytest.mark.parametrize("second", ["", "helper", "behind"])
@pytest.mark.parametrize("kind", ["petition", "household", "referral", "mediation"])
def test_a_large_generated_register_imports_the_same_either_way(pair: Pair, tmp_path: Path, kind: str, second: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """(`second`: a second process helping; "behind": always behind, so that this process does every chunk itself.)"""
    from fulian_desktop.store import bulk

    started = second_process(monkeypatch) if second else []
    if second == "behind":
        monkeypatch.setattr(parallel, "AHEAD", 0)
    behind = _small_batches(monkeypatch)  # (with a second process, each written by a thread of its own meanwhile)
    # a register adding as many cases as there are: the cases' list indexes set aside while it is written, and made
    # again at the end (here from 1 case on: a real one from 1,000)
    monkeypatch.setattr(bulk, "bulk_floor", lambda db: 1)
    aside: list[list[str]] = []
    real = bulk._set_indexes_aside
    monkeypatch.setattr(bulk, "_set_indexes_aside",
                        lambda db, tables, unique=False: aside.append(real(db, tables, unique)) or aside[-1])
    path = big_registers.write(tmp_path / f"{kind}.xlsx", kind, 250, NOW.date())
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.new > 200  # more than the audit trail's one-entry-a-case
    assert len(aside) == 1 and len(aside[0]) >= 20 and all(" ON cases " in sql for sql in aside[0])
    assert len(started) == bool(second) and not multiprocessing.active_children()  # (closed at the end)
    assert (len(behind) > 5) == bool(second) and isinstance(pair.fast.db.conn, sqlite3.Connection)
    pair.assert_same()
    slow, fast = pair.run(path)  # again: every row found on file, either way
    assert rows_of(slow) == rows_of(fast) and fast.new == 0 and fast.same == 250


def test_a_register_without_some_columns_imports_the_same_either_way(pair: Pair, tmp_path: Path) -> None:
    headers = ["来访日期", "信访方式", "姓名", "问题类别", "主要诉求", "受理日期"]  # no 乡镇, no 事情经过
    d = dt.date
    rows = [[d(2025, 5, day), "来访", name, "婚姻家庭", "请求帮助", d(2025, 5, day) if day % 2 else None]
            for day, name in ((3, "吴秀英"), (4, "郑桂兰"), (5, "冯玉梅"))]
    path = _save(tmp_path, "来访登记.xlsx", headers, rows)
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.incomplete == 3
    assert pair.assert_same()["import_gaps"] == 6  # 乡镇 and 事情经过, three times


def test_the_import_after_a_check_writes_what_the_check_found_unless_something_changed(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = big_registers.write(tmp_path / "信访.xlsx", "petition", 30, NOW.date())
    source = reading.read_file(path)
    mapping = reading.guess_mapping("petition", source.headers)
    checked = importing.run(ctx, source, "petition", mapping)
    calls: list[int] = []
    real = importing.CHECK["petition"]
    monkeypatch.setitem(importing.CHECK, "petition", lambda *a: calls.append(1) or real(*a))
    # something written since the check: every row is checked again
    _petition_on_file(ctx, make_id_number("430124", dt.date(1980, 1, 1), 3, True))
    again = importing.run(ctx, source, "petition", mapping)
    assert len(calls) == 30 and again.describe() == checked.describe()
    # nothing since: the import writes what the check found, without checking each row again
    written = importing.run(ctx, source, "petition", mapping, write=True)
    assert len(calls) == 30 and written.new == 30 and written.written
    assert int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) == 31
    # another file, or the same file once written: checked again
    assert importing.run(ctx, source, "petition", mapping, write=True).new == 0 and len(calls) == 60


def test_a_visit_register_imports_the_same_either_way(pair: Pair, tmp_path: Path) -> None:
    """Visits to the households of a roster (some found by ID number, most by name and place), one of them in a roster
    without 纳入日期 (moved back to her first visit), one visit twice, one to nobody on file."""
    roster = big_registers.write(tmp_path / "名册.xlsx", "household", 60, NOW.date())
    pair.run(roster)
    headers, rows = big_registers.rows("visit", 240, NOW.date())
    undated = _save(tmp_path, "无纳入日期.xlsx",
                    ["户主姓名", "乡镇", "村（社区）", "户类型", "致贫原因"], [["欧阳兰英", "东山镇", "东山村", "一般户", "因病"]])
    assert [r.new for r in pair.run(undated)] == [1, 1]
    d = dt.date
    rows += [[0, "欧阳兰英", "", "东山镇", "东山村", d(2025, 3, 5), "李红", "走访", 0, "", "家中安好", 0],
             [0, "欧阳兰英", "", "东山镇", "东山村", d(2024, 11, 5), "李红", "慰问", 500, "大米一袋", "", 60],
             rows[3], [0, "查无此人", "", "东山镇", "东山村", d(2025, 3, 5), "李红", "走访", 0, "", "", 0]]
    path = _save(tmp_path, "走访.xlsx", headers, rows)
    slow, fast = pair.run(path, write=False)
    assert rows_of(slow) == rows_of(fast)
    slow, fast = pair.run(path)
    # (a row repeated in the file is said to be the same as the earlier row, as the check said: the row-by-row way
    # finds the earlier row's visit on file by then and names the household)
    assert [x[:2] + x[3:] for x in rows_of(slow)] == [x[:2] + x[3:] for x in rows_of(fast)]
    assert fast.new > 230 and len(fast.errors) == 1 and fast.rows[-2].case_no == "与第5行相同"
    counts = pair.assert_same()
    assert counts["visits"] == fast.new
    moved = pair.fast.db.execute("SELECT received_on FROM cases WHERE names = '欧阳兰英'").fetchone()[0]
    assert moved == "2024-11-05"
    slow, fast = pair.run(path)
    assert [x[:2] for x in rows_of(slow)] == [x[:2] for x in rows_of(fast)] and fast.new == 0
    pair.assert_same()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("floor", [parallel.FLOOR, 600])
@pytest.mark.parametrize("terminal", [True, False])
def test_the_command_line_shows_progress_on_a_terminal_only(ctx: Context, tmp_path: Path, terminal: bool,
                                                            monkeypatch: pytest.MonkeyPatch, floor: int) -> None:
    """(And the same with a second process helping: `floor` 600.)"""
    started = second_process(monkeypatch, floor)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 600, NOW.date())
    err, out = (_Terminal() if terminal else io.StringIO()), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["import", str(path), "--db", str(ctx.path)]) == 0
    assert "已导入：共600行：新增600" in out.getvalue()
    assert len(started) == (floor <= 600) and not multiprocessing.active_children()
    lines = err.getvalue()
    if not terminal:  # a file or a pipe: no progress in it
        assert "检查：" not in lines and "\r" not in lines
        return
    assert "读取：信访台账.xlsx，600行\n" in lines
    for what in ("检查", "写入"):
        shown = re.findall(rf"\r{what}：(\d+)/600行（(\d+)%）", lines)
        assert len(shown) > 2 and shown[-1] == ("600", "100")
        assert all(int(p) == int(n) * 100 // 600 for n, p in shown)
    assert lines.endswith("写入：600/600行（100%）\n已写入600行，正在保存……\n")  # the last seconds said


def test_rows_that_find_something_on_file_are_flagged_in_bulk_as_the_service_flags_them(
        pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person complained about named before in the same township (by an earlier row), a woman of an earlier row:
    曾来求助 and 重复信访 as register writes them, and no row through the service one at a time."""
    headers = ["来访日期", "信访方式", "姓名", "身份证号", "乡镇", "问题类别", "事情经过", "被反映人"]
    woman = make_id_number("430124", dt.date(1990, 5, 6), 11, True)
    d = dt.date
    rows = [[d(2025, 4, 1), "来访", "陈桂英", woman, "东山镇", "婚姻家庭", "丈夫打人", "刘大勇"],
            [d(2025, 4, 2), "来访", "林秀兰", "", "东山镇", "婚姻家庭", "丈夫打人", "黄建国"],
            [d(2025, 4, 3), "来访", "何玉梅", "", "西河乡", "婚姻家庭", "丈夫打人", "刘大勇"],  # another township
            [d(2025, 4, 9), "来访", "吴凤英", "", "东山镇", "婚姻家庭", "前夫骚扰", "刘大勇"],  # 刘大勇 again
            [d(2025, 4, 9), "来访", "陈桂英", woman, "东山镇", "婚姻家庭", "又被打", ""]]  # she again
    path = _save(tmp_path, "信访.xlsx", headers, rows)
    through: list[int] = []
    real = importing._through_services

    def counted(ctx: Context, env: Any, loader: Any, item: Any) -> str:
        through.append(item.row.row_no)
        return real(ctx, env, loader, item)

    monkeypatch.setattr(importing, "_through_services", counted)
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.new == 5
    assert through == []
    pair.assert_same()
    flags = pair.fast.db.execute("SELECT c.names, t.action FROM timeline t JOIN cases c ON c.id = t.case_id "
                                 "WHERE t.action IN ('曾来求助', '重复信访') ORDER BY t.id").fetchall()
    assert {n for n, _a in flags} == {"吴凤英", "陈桂英"}


def test_repeats_within_the_file_are_found_in_memory_and_those_of_records_on_file_in_the_database(
        pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """重复信访 found among the register's own rows (a woman twice by her ID number, the same matter twice; the latest
    that fits, within 12 months) without asking the database, as register finds them; a woman or a person complained
    about on file before the register still asked of the database; the same rows as the row-by-row import, batches
    written behind meanwhile."""
    woman_on_file = make_id_number("430124", dt.date(1985, 3, 12), 7, True)
    pair.both(lambda ctx: _petition_on_file(ctx, woman_on_file))  # (东山镇, 婚姻家庭, naming no one)
    pair.both(lambda ctx: petitions.register(ctx, Petition(
        channel="来信", received_on=dt.date(2025, 11, 3), petitioner=Person(name="邓小红"), concerned=None, headcount=1,
        dv=False, safety_risk=False, township="东山镇", village="东山村", category="婚姻家庭", subcategory="家庭纠纷",
        facts="丈夫不给生活费。", request="请调解", receiving_staff="李红", respondent_name="张大山")))
    b, d, e = (make_id_number("430124", dt.date(1990, m, 6), 11, True) for m in (5, 6, 7))
    headers = ["来访日期", "信访方式", "姓名", "身份证号", "乡镇", "问题类别", "事情经过", "被反映人"]
    day = dt.date
    rows = [[day(2024, 12, 1), "来访", "陈桂英", b, "东山镇", "婚姻家庭", "丈夫打人", "刘大勇"],
            [day(2025, 2, 1), "来访", "陈桂英", b, "东山镇", "婚姻家庭", "又被打", "刘大勇"],  # she again
            [day(2025, 2, 2), "来访", "吴凤英", "", "东山镇", "婚姻家庭", "被骚扰", "刘大勇"],  # the matter: row 2's
            [day(2025, 2, 3), "来访", "何玉梅", "", "东山镇", "财产权益", "被骚扰", "刘大勇"],  # another category
            [day(2026, 3, 1), "来访", "陈桂英", b, "东山镇", "婚姻家庭", "还在打", ""],  # 13 months on: none
            [day(2025, 6, 1), "来访", "林秀兰", d, "西河乡", "婚姻家庭", "丈夫打人", ""],
            [day(2025, 6, 1), "来信", "林秀兰", d, "西河乡", "婚姻家庭", "丈夫赌博", ""],  # the same day: this one
            [day(2025, 6, 2), "来访", "林秀兰", d, "西河乡", "婚姻家庭", "丈夫又打人", ""],
            [day(2026, 1, 5), "来访", "周玉梅", woman_on_file, "东山镇", "婚姻家庭", "又被打了", ""],  # on file
            [day(2026, 1, 6), "来访", "孙丽华", e, "东山镇", "婚姻家庭", "不给生活费", "张大山"],  # named on file
            [day(2026, 1, 7), "来访", "孙丽华", e, "东山镇", "婚姻家庭", "还是不给", "张大山"]]
    path = _save(tmp_path, "信访.xlsx", headers, rows)
    second_process(monkeypatch)
    behind = _small_batches(monkeypatch)
    seventeen = bulk.Loader.__init__

    def batches_of_two(self: bulk.Loader, *a: Any, **k: Any) -> None:  # (the earlier rows mostly written behind)
        seventeen(self, *a, **k)
        self.batch_size = 2

    monkeypatch.setattr(bulk.Loader, "__init__", batches_of_two)
    asked: list[str] = []
    real = petitions.repeat_at_intake
    monkeypatch.setattr(petitions, "repeat_at_intake", lambda db, case_id, p, people: asked.append(p.petitioner.name)
                        or real(db, case_id, p, people))
    read_back: list[int] = []
    real_known = bulk.Loader._known_from_db
    monkeypatch.setattr(bulk.Loader, "_known_from_db", lambda self, i: read_back.append(i) or real_known(self, i))
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.new == 11 and behind
    # a woman of an earlier batch is not read back from the database (Loader.known kept): only the one on file
    assert read_back == [pair.fast.db.execute("SELECT id FROM people WHERE id_number = ?", [woman_on_file]).fetchone()[0]]
    # (the row-by-row import asks for every row; the bulk one only for the rows that may find a record on file)
    assert asked[len(rows):] == ["周玉梅", "孙丽华", "孙丽华"] and len(asked) == len(rows) + 3
    pair.assert_same()
    links = pair.fast.db.execute(
        """SELECT a.names, a.received_on, b.names, b.received_on, t.channel FROM case_links l
           JOIN cases a ON a.id = l.from_case JOIN cases b ON b.id = l.to_case JOIN petitions t ON t.case_id = b.id
           ORDER BY a.id""").fetchall()
    assert links == [("陈桂英", "2025-02-01", "陈桂英", "2024-12-01", "来访"),
                     ("吴凤英", "2025-02-02", "陈桂英", "2025-02-01", "来访"),
                     ("林秀兰", "2025-06-01", "林秀兰", "2025-06-01", "来访"),
                     ("林秀兰", "2025-06-02", "林秀兰", "2025-06-01", "来信"),
                     ("周玉梅", "2026-01-05", "周玉梅", "2025-12-01", "来访"),
                     ("孙丽华", "2026-01-06", "邓小红", "2025-11-03", "来信"),
                     ("孙丽华", "2026-01-07", "孙丽华", "2026-01-06", "来访")]


def test_a_mediation_whose_party_or_respondent_came_before_is_flagged_as_the_service_flags_it(
        pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """曾来求助 at intake, in bulk: a respondent named before in the same township (an earlier row), a woman on file with
    an earlier petition (linked) and a high risk assessed (不宜调解 noted, the register's mediation took place), as
    open_mediation writes them — and no row through the service one at a time."""
    from fulian_desktop.domain.dv_risk import RiskForm
    from fulian_desktop.services import dv_risk

    woman = make_id_number("430124", dt.date(1985, 3, 12), 7, True)

    def on_file(ctx: Context) -> None:
        _petition_on_file(ctx, woman)
        dv_risk.assess(ctx, ctx.db.execute("SELECT id FROM cases").fetchone()[0],
                       RiskForm(dt.date(2025, 12, 1), "登记时", {"strangle"}))

    pair.both(on_file)
    headers = ["受理日期", "申请人", "申请人身份证号", "被申请人", "纠纷类型", "乡镇", "村（社区）", "纠纷简要情况", "调解员",
               "调解结果", "结案日期"]
    d = dt.date
    rows = [[d(2025, 6, 1), "孙美玲", "", "赵大伟", "婚姻", "东山镇", "东山村", "吵架", "陈秀兰", "和好", d(2025, 6, 9)],
            [d(2025, 6, 2), "钱丽娟", "", "周建林", "婚姻", "东山镇", "石桥村", "吵架", "陈秀兰、黄德明", "", None],
            [d(2025, 7, 3), "李小红", "", "赵大伟", "家庭暴力", "东山镇", "枫林村", "又打人", "黄德明", "调解不成",
             d(2025, 7, 20)],
            [d(2026, 1, 8), "周玉梅", woman, "吴志强", "家庭暴力", "东山镇", "东山村", "又打人", "黄德明", "", None]]
    path = _save(tmp_path, "调解.xlsx", headers, rows)
    through: list[int] = []
    real = importing._through_services
    monkeypatch.setattr(importing, "_through_services",
                        lambda ctx, env, loader, item: through.append(item.row.row_no) or real(ctx, env, loader, item))
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.new == 4 and through == []
    counts = pair.assert_same()
    flagged = pair.fast.db.execute("SELECT c.names FROM timeline t JOIN cases c ON c.id = t.case_id "
                                   "WHERE t.action = '曾来求助' ORDER BY c.id").fetchall()
    assert [n for (n,) in flagged] == ["李小红与赵大伟", "周玉梅与吴志强"]
    assert counts["case_links"] == 1  # her own earlier petition
    course = [a for (a,) in pair.fast.db.execute("SELECT t.action FROM timeline t JOIN cases c ON c.id = t.case_id "
                                                 "WHERE c.names = '周玉梅与吴志强' ORDER BY t.id").fetchall()]
    assert course[:4] == ["受理调解", "不宜调解", "曾来求助", "导入"]


@pytest.mark.parametrize("way", ["bulk", "service"])
def test_a_mediator_only_a_row_refused_on_the_way_names_is_not_left_in_the_roster(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """Nothing of a refused row remains: the mediator the register names only on that row is not added to the roster,
    whether the row is written in bulk or row by row through the service."""
    from fulian_desktop.demo import stories
    from fulian_desktop.services import mediations as mediation_service
    from fulian_desktop.store import mediations

    headers = ["受理日期", "申请人", "被申请人", "纠纷类型", "乡镇", "村（社区）", "纠纷简要情况", "调解员"]
    d = dt.date
    rows = [[d(2025, 6, 1), "孙美玲", "赵大伟", "婚姻", "东山镇", "东山村", "吵架", "陈秀兰"],
            [d(2025, 6, 2), "钱丽娟", "赵大伟" if way == "service" else "周建林", "婚姻", "东山镇", "石桥村", "吵架",
             "陈秀兰、欧阳调解"]]
    path = _save(tmp_path, "调解.xlsx", headers, rows)
    refused = {"ValidationError": 0}

    def refusing(real: Any) -> Any:  # what a service may refuse on the way, after the check passed the row
        def call(form: Any, *a: Any, **kw: Any) -> Any:
            if any(p.person.name == "钱丽娟" for p in form.parties):
                refused["ValidationError"] += 1
                raise importing.ValidationError({"mediators": "所选调解员不在名册中，请重新选择"})
            return real(form, *a, **kw)
        return call

    if way == "bulk":
        real_init = stories.MediationStory.__init__
        monkeypatch.setattr(stories.MediationStory, "__init__",
                            lambda self, form, *a, **kw: refusing(lambda f, *b: real_init(self, f, *b, **kw))(form, *a))
    else:
        real_open = mediation_service.open_mediation
        monkeypatch.setattr(mediation_service, "open_mediation",
                            lambda c, form, *a: refusing(lambda f, *b: real_open(c, f, *b))(form, *a))
    source = reading.read_file(path)
    report = importing.run(ctx, source, "mediation", reading.guess_mapping("mediation", source.headers), write=True,
                           one_by_one=way == "service")
    assert refused["ValidationError"] == 1 and [r.state for r in report.rows] == ["new", "error"]
    assert [m.name for m in mediations.mediators(ctx.db, include_inactive=True)] == ["陈秀兰"]
    assert int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]) == 1


def _directory(ctx: Context) -> None:
    from fulian_desktop.domain.referral import Organisation
    from fulian_desktop.services import organisations

    organisations.save(ctx, Organisation(name="县救助管理站", kind="救助管理站", service="庇护所/救助管理站"))
    organisations.save(ctx, Organisation(name="县人民医院", kind="医院", service="医院（验伤）"))


def test_a_referral_register_names_the_service_or_its_organisation_gives_it(pair: Pair, tmp_path: Path) -> None:
    """A register of referrals to every service (法律援助转介 and the others): the service its column names (服务, 转介类型
    …, written as the office writes it), else the one the organisation gives in the directory; legal aid only where
    nothing says otherwise. Written the same either way."""
    pair.both(_directory)
    headers = ["转介日期", "申请人", "乡镇", "事项", "案情", "转介类型", "接收机构"]
    d = dt.date
    rows = [[d(2025, 5, 6), "吴秀英", "东山镇", "离婚", "要离婚", "法律援助", "县法律援助中心"],
            [d(2025, 5, 7), "郑桂兰", "东山镇", "家庭暴力", "被打无处住", "转介（庇护所/救助管理站）", "县救助管理站"],
            [d(2025, 5, 8), "冯玉梅", "西河乡", "家庭暴力", "被打伤", "", "县人民医院"],  # by the organisation
            [d(2025, 5, 9), "陈凤英", "西河乡", "家庭暴力", "被打伤", "验伤", "县法律援助中心"],  # they disagree
            [d(2025, 5, 9), "林翠花", "西河乡", "离婚", "要离婚", "天上的事", "县法律援助中心"],
            [d(2025, 5, 10), "何秋菊", "南岭镇", "抚养", "抚养费", "", "县法律援助中心"]]
    path = _save(tmp_path, "转介台账.xlsx", headers, rows)
    source = reading.read_file(path)
    assert reading.guess_kind(source.headers) == "referral"
    assert reading.guess_mapping("referral", source.headers)["service"] == 5
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast)
    assert [r.state for r in fast.rows] == ["new", "new", "new", "error", "error", "new"]
    assert fast.rows[3].messages == ["接收机构“县法律援助中心”在机构名录中提供的是法律援助，不是医院（验伤）（请核对这一行的服务或接收机构）"]
    assert fast.rows[4].messages[0].startswith("服务“天上的事”不认识，应为：法律援助、庇护所/救助管理站、医院（验伤）")
    pair.assert_same()
    services = dict(pair.fast.db.execute(
        "SELECT c.names, r.service FROM cases c JOIN referrals r ON r.case_id = c.id").fetchall())
    assert services == {"吴秀英": "法律援助", "郑桂兰": "庇护所/救助管理站", "冯玉梅": "医院（验伤）", "何秋菊": "法律援助"}
    help_kinds = dict(pair.fast.db.execute(
        "SELECT c.names, r.help_kinds FROM cases c JOIN referrals r ON r.case_id = c.id").fetchall())
    assert "临时庇护" in help_kinds["郑桂兰"] and "咨询" in help_kinds["吴秀英"]
    # again: nothing new
    assert pair.run(path)[1].new == 0
    # without the column: each organisation's own service
    no_column = _save(tmp_path, "无服务列.xlsx", [h for h in headers if h != "转介类型"],
                      [[d(2025, 6, 1), "欧阳兰", "东山镇", "家庭暴力", "无处可去", "县救助管理站"]])
    slow, fast = pair.run(no_column)
    assert rows_of(slow) == rows_of(fast) and fast.new == 1
    assert pair.fast.db.execute("SELECT r.service FROM cases c JOIN referrals r ON r.case_id = c.id "
                                "WHERE c.names = '欧阳兰'").fetchone()[0] == "庇护所/救助管理站"
    pair.assert_same()


def test_a_referral_of_a_woman_on_file_is_flagged_as_the_service_flags_it(
        pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """曾来求助 at intake, in bulk: her earlier petition on file, then her referral of an earlier row, each linked — as
    refer writes them, and no row through the service one at a time."""
    woman = make_id_number("430124", dt.date(1985, 3, 12), 7, True)
    pair.both(lambda ctx: _petition_on_file(ctx, woman))
    headers = ["转介日期", "申请人", "身份证号", "乡镇", "事项", "案情", "接收机构", "答复日期", "承办人"]
    d = dt.date
    rows = [[d(2026, 1, 6), "周玉梅", woman, "东山镇", "家庭暴力", "丈夫打人", "县法律援助中心", d(2026, 1, 8), "周律师"],
            [d(2026, 1, 7), "吴秀英", "", "东山镇", "离婚", "要离婚", "县法律援助中心", None, ""],
            [d(2026, 2, 3), "周玉梅", woman, "东山镇", "离婚", "要离婚", "县法律援助中心", None, ""]]
    path = _save(tmp_path, "转介.xlsx", headers, rows)
    through: list[int] = []
    real = importing._through_services
    monkeypatch.setattr(importing, "_through_services",
                        lambda ctx, env, loader, item: through.append(item.row.row_no) or real(ctx, env, loader, item))
    slow, fast = pair.run(path)
    assert rows_of(slow) == rows_of(fast) and fast.new == 3 and through == []
    counts = pair.assert_same()
    assert counts["case_links"] == 3  # the first to her petition; the second to both
    flags = pair.fast.db.execute("SELECT t.note FROM timeline t JOIN cases c ON c.id = t.case_id "
                                 "WHERE t.action = '曾来求助' AND c.kind = 'referral' ORDER BY c.id").fetchall()
    assert len(flags) == 2 and "信访〔2025〕第0001号" in flags[0][0]


def test_the_garbage_collector_is_held_off_while_a_register_is_read_and_imported_and_runs_again_after(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(Speed: it would walk every cell of the file again and again.) Also after a row refused and a file refused."""
    import gc

    path = big_registers.write(tmp_path / "信访.xlsx", "petition", 5, NOW.date())
    during: list[bool] = []
    real = importing.CHECK["petition"]
    monkeypatch.setitem(importing.CHECK, "petition", lambda *a: during.append(gc.isenabled()) or real(*a))
    source = reading.read_file(path)
    assert gc.isenabled()
    mapping = reading.guess_mapping("petition", source.headers)
    assert importing.run(ctx, source, "petition", mapping, write=True).new == 5
    assert during == [False] * 5 and gc.isenabled()
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(reading.ImportFileError):
        reading.read_file(tmp_path / "坏.xlsx")
    assert gc.isenabled()


def test_what_lives_on_after_a_register_is_imported_joins_the_collector_s_oldest_generation() -> None:
    """(Speed: the first collection after would otherwise walk all of it at once, ≈ 0.4 s after a 20,000-row check.)"""
    import gc

    class Made:
        pass

    with reading.collector_held():
        made = [Made() for _ in range(1000)]  # (enough for a young collection to start as soon as it may)
    assert gc.isenabled() and made
    assert not any(isinstance(x, Made) for x in gc.get_objects(0) + gc.get_objects(1))
    assert sum(isinstance(x, Made) for x in gc.get_objects(2)) == 1000


def test_the_characters_an_import_s_letters_were_seen_to_print_are_told_from_those_not_seen_yet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_STALE", 2)  # (its pattern made again after two texts it was behind for)
    seen = importing._Printable()
    assert seen.lacks("张三")
    seen.update("张三")
    assert [seen.lacks(t) for t in ("三张", "张", "李四", "张三李", "三")] == [False, False, True, True, False]
    seen.update("李四")
    for _ in range(2):
        assert [seen.lacks(t) for t in ("李四", "四", "张李", "张三李四", "王", "张王")] == [False] * 4 + [True] * 2
    seen.update("王")
    assert not any(seen.lacks(t) for t in ("王", "张王", "李四王三"))


@pytest.mark.parametrize("kept", [2000, 1])
def test_a_petition_whose_letter_cannot_print_is_refused_either_way(pair: Pair, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, kept: int) -> None:
    """A reply with a character the print font lacks (an emoji) is refused as concluding it would be, in bulk too —
    though the characters of every other letter were seen to print, and the texts they share are remembered as
    printing (`kept`: how many are remembered before they are forgotten, 1: after every letter)."""
    monkeypatch.setattr(importing, "_PRINTED_KEPT", kept)
    headers = ["来访日期", "信访方式", "姓名", "乡镇", "问题类别", "事情经过", "受理日期", "处理结果", "答复内容", "办结日期"]
    d = dt.date
    rows = [[d(2025, 5, 6), "来访", "吴秀英", "东山镇", "婚姻家庭", "吵架", d(2025, 5, 6), "支持", "已告知", d(2025, 5, 9)],
            [d(2025, 5, 7), "来访", "郑桂兰", "东山镇", "婚姻家庭", "吵架", d(2025, 5, 7), "支持", "已告知😀", d(2025, 5, 9)],
            [d(2025, 5, 8), "来访", "冯玉梅", "东山镇", "婚姻家庭", "吵架", d(2025, 5, 8), "支持", "已告知", d(2025, 5, 9)]]
    slow, fast = pair.run(_save(tmp_path, "信访.xlsx", headers, rows))
    assert [r.state for r in fast.rows] == ["new", "error", "new"] and rows_of(slow)[0] == rows_of(fast)[0]
    assert "以下字符无法打印：“😀”" in fast.rows[1].messages[0] and slow.rows[1].state == "error"
    pair.assert_same()


def test_a_register_s_own_numbers_are_kept_as_this_office_writes_them_either_way(pair: Pair, tmp_path: Path) -> None:
    """A number of ours (a register moved from another copy of the program) is kept in its normal form: 〔 〕 for
    the [ ] typed, 转介 for a referral to a service other than legal aid (援转 is legal aid's); another office's
    number (a township's, at the county) is not taken for ours, it is noted as the register's old number."""
    pair.both(_directory)
    headers = ["案件编号", "转介日期", "申请人", "乡镇", "事项", "案情", "转介类型", "接收机构"]
    d = dt.date
    rows = [["援转[2025]第0007号", d(2025, 5, 6), "吴秀英", "东山镇", "离婚", "要离婚", "法律援助", "县法律援助中心"],
            ["转介〔2025〕第0008号", d(2025, 5, 7), "郑桂兰", "东山镇", "家庭暴力", "被打无处住", "庇护所", "县救助管理站"],
            ["援转〔2025〕福田铺第0030号", d(2025, 5, 8), "何秋菊", "南岭镇", "抚养", "抚养费", "", "县法律援助中心"]]
    slow, fast = pair.run(_save(tmp_path, "转介台账.xlsx", headers, rows))
    assert rows_of(slow) == rows_of(fast) and fast.new == 3
    pair.assert_same()
    numbers = dict(pair.fast.db.execute("SELECT names, case_no FROM cases").fetchall())
    assert numbers["吴秀英"] == "援转〔2025〕第0007号" and numbers["郑桂兰"] == "转介〔2025〕第0008号"
    assert numbers["何秋菊"] == "援转〔2025〕第0009号"  # the next of ours, not 0030
    note = pair.fast.db.execute("SELECT t.note FROM timeline t JOIN cases c ON c.id = t.case_id "
                                "WHERE c.names = '何秋菊' AND t.note LIKE '%导入%'").fetchone()[0]
    assert "原编号援转〔2025〕福田铺第0030号" in note


def test_a_second_process_that_dies_fails_the_import_and_writes_nothing(ctx: Context, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Its process killed part-way (as a crash or the system would): the import stops with a message saying so,
    nothing is written, no process is left behind, and the next import of the file writes it all — in this process,
    as the message says (whatever killed the second one might again)."""
    from fulian_desktop.domain.errors import StorageError

    started = second_process(monkeypatch)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 250, NOW.date())
    source = reading.read_file(path)
    mapping = reading.guess_mapping("petition", source.headers)
    killed: list[int] = []

    def progress(what: str, done: int, _total: int) -> bool:
        if what == "写入" and not killed:
            for p in multiprocessing.active_children():
                p.kill()
                killed.append(p.pid or 0)
        return True

    with pytest.raises(StorageError, match="后台进程意外停止了，这次导入没有完成。请再导入一次：这次不用后台进程"):
        importing.run(ctx, source, "petition", mapping, write=True, progress=progress)
    assert len(killed) == 1 and len(started) == 1 and not multiprocessing.active_children()
    for table in ("cases", "people", "case_documents", "search_bi", "timeline"):
        assert ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    again = importing.run(ctx, source, "petition", mapping, write=True)
    assert again.new == 250 and len(started) == 1 and not multiprocessing.active_children()
    assert ctx.db.execute("SELECT COUNT(*) FROM case_documents").fetchone()[0] > 250


def test_on_the_command_line_a_second_process_that_dies_is_said_on_a_line_of_its_own(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from fulian_desktop.cli.common import EXIT_ERROR

    second_process(monkeypatch)
    real = parallel.Helper._give
    given: list[int] = []

    def give(self: parallel.Helper, *a: Any) -> None:  # killed half-way, while the progress line is being written
        given.append(1)
        if len(given) == 600:
            for p in multiprocessing.active_children():
                p.kill()
                p.join()
            time.sleep(0.5)  # (the pool sees it: the next chunk sent fails)
        real(self, *a)

    monkeypatch.setattr(parallel.Helper, "_give", give)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 600, NOW.date())
    err, out = _Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["import", str(path), "--db", str(ctx.path)]) == EXIT_ERROR
    lines = err.getvalue()
    assert "写入：600/600" not in lines and re.search(rf"\r写入：\d+/600行（\d+%）\n错误：{parallel.FAILED}\n$", lines)
    assert "已导入" not in out.getvalue()
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0 and not multiprocessing.active_children()


def test_an_import_stopped_by_the_clerk_while_a_second_process_helps_writes_nothing_and_leaves_no_process(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = second_process(monkeypatch)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 250, NOW.date())
    source = reading.read_file(path)
    helping: list[int] = []

    def progress(what: str, done: int, _total: int) -> bool:  # 停止 at the 200th row written
        if what == "写入":
            helping.append(len(multiprocessing.active_children()))
        return what != "写入"

    report = importing.run(ctx, source, "petition", reading.guess_mapping("petition", source.headers), write=True,
                           progress=progress)
    assert report.stopped and not report.written and len(started) == 1 and helping == [1]
    assert not multiprocessing.active_children()
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_a_small_register_is_imported_without_a_second_process(ctx: Context, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Below FLOOR rows the second process would cost more to start than it saves: none is started. Nor on a computer
    of one core, where the two would only take turns."""
    started = second_process(monkeypatch, parallel.FLOOR)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 250, NOW.date())
    source = reading.read_file(path)
    report = importing.run(ctx, source, "petition", reading.guess_mapping("petition", source.headers), write=True)
    assert report.new == 250 and started == []
    assert parallel._cores() >= 1  # (this machine's: 2)
    monkeypatch.setattr(parallel, "_cores", lambda: 1)
    with parallel.helping(1_000_000) as helper:
        assert helper is None and started == []


@pytest.mark.parametrize("how", ["fails", "stopped"])
def test_a_batch_written_behind_that_fails_or_an_import_stopped_meanwhile_writes_nothing(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A big register's batches are written by a thread of their own while the next is made (store/bulk.py
    write_behind). One failing (the disk full, …) fails the import as writing in this thread would: a message, nothing
    written; so does 停止 meanwhile; either way the connection is the database's own again and the next import of
    the file writes it all."""
    from fulian_desktop.domain.errors import StorageError
    from fulian_desktop.store import bulk

    second_process(monkeypatch)
    behind = _small_batches(monkeypatch)
    real = bulk.Loader._write

    def write(self: bulk.Loader, rows: bulk.Rows, conn: Any = None) -> None:
        if how == "fails" and conn is not None and len(behind) == 4:
            raise sqlite3.OperationalError("database or disk is full")
        real(self, rows, conn)

    monkeypatch.setattr(bulk.Loader, "_write", write)
    path = big_registers.write(tmp_path / "信访台账.xlsx", "petition", 250, NOW.date())
    source = reading.read_file(path)
    mapping = reading.guess_mapping("petition", source.headers)

    def progress(what: str, done: int, _total: int) -> bool:  # 停止 at the 200th row written: batches behind by then
        return how != "stopped" or what != "写入" or len(behind) < 6

    if how == "fails":
        with pytest.raises(StorageError):
            importing.run(ctx, source, "petition", mapping, write=True, progress=progress)
    else:
        report = importing.run(ctx, source, "petition", mapping, write=True, progress=progress)
        assert report.stopped and not report.written
    assert len(behind) >= 4 and isinstance(ctx.db.conn, sqlite3.Connection) and not multiprocessing.active_children()
    for table in ("cases", "people", "petitions", "timeline", "case_documents", "search_bi"):
        assert ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    again = importing.run(ctx, reading.read_file(path), "petition", mapping, write=True)
    assert again.new == 250 and ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 250
