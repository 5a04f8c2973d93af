"""Issue 22's figures on the 100,000-case database, each beside its anchor measured in the same run (paired,
interleaved, medians): search (one character, 离婚, 家庭暴力, pinyin zs) against the raw FTS5 count; the case
list's first and last page and sorted by name; the `search` and `print` commands as whole processes against
a raw SQLCipher process and a bare reportlab process with the same font; each command's import time against
a bare Python. The start-up figures (sign-in window, signed-in main window, against a bare Qt window) are
test_foundation_bench.py's test_startup_to_painted_window. Run with:

    FULIAN_BENCH_DB=/tmp/big.db python3 -m pytest tests/benchmarks/test_speed_bench.py -o addopts="" -s

The machine these ran on is shared: figures from a busy machine are noted so in the README.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.services import cases
from fulian_desktop.services.context import Context

from .conftest import STAFF_PASSWORD, STAFF_USER, compiled
from .test_foundation_bench import _print_sample, _strings_drawn

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("FULIAN_BENCH_ROUNDS", "15"))
PROCESS_ROUNDS = int(os.environ.get("FULIAN_BENCH_PROCESS_ROUNDS", "5"))
GOAL_MS = 20.0


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


CPU: dict[str, float] = {}  # the CPU medians of the last measurement (a busy machine stretches the wall clock)


def _paired(ours: Callable[[], object], anchor: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """Medians (ms, wall clock) of `ours` and `anchor`, run alternately (which goes first alternates too); their
    CPU-time medians go to CPU."""
    a: list[float] = []
    b: list[float] = []
    ca: list[float] = []
    cb: list[float] = []
    ours()
    anchor()  # warm: the pages the first query reads, as after the first search of the day
    for i in range(rounds):
        for f, out, cpu in ((ours, a, ca), (anchor, b, cb)) if i % 2 else ((anchor, b, cb), (ours, a, ca)):
            t, c = time.perf_counter(), time.process_time()
            f()
            out.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    CPU.update(ours=_ms(ca), anchor=_ms(cb))
    return _ms(a), _ms(b)


def _report(benchmark, label: str, ours: float, anchor_name: str, anchor: float | None, goal: str) -> None:  # type: ignore[no-untyped-def]
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    benchmark.extra_info.update({"ms": ours, "anchor": anchor_name, "anchor_ms": anchor, "goal": goal,
                                 "cpu_ms": CPU.get("ours"), "anchor_cpu_ms": CPU.get("anchor")})
    ratio = f" (x{ours / anchor:.1f})" if anchor else ""
    beside = f"; {anchor_name} {anchor} ms{ratio}, CPU {CPU.get('anchor')} ms" if anchor is not None else ""
    print(f"\n{label}: {ours} ms, CPU {CPU.get('ours')} ms{beside}; goal {goal}")
    CPU.clear()


# --- search: count (to 1,000) and the first page, as the list asks them --------------------------------------

SEARCHES = {"one character 张": "张", "离婚": "离婚", "家庭暴力": "家庭暴力", "pinyin zs": "zs"}


def _raw_count(ctx: Context, text: str) -> Callable[[], object]:
    """The anchor: the hits counted straight from the full-text index (one character: the names and case
    numbers read from their index, as no full-text index holds single characters)."""
    if len(text) >= 3:
        return lambda: ctx.db.execute("SELECT count(*) FROM search_tri WHERE search_tri MATCH ?",
                                      [f'"{text}"']).fetchone()
    if len(text) == 2:
        return lambda: ctx.db.execute("SELECT count(*) FROM search_bi WHERE search_bi MATCH ?",
                                      [f'"{text}"']).fetchone()
    like = f"%{text}%"
    return lambda: ctx.db.execute("SELECT count(*) FROM cases WHERE names LIKE ? OR case_no LIKE ?",
                                  [like, like]).fetchone()


@pytest.mark.parametrize("label", list(SEARCHES))
def test_search_count_and_first_page(benchmark, big_ctx: Context, label: str) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.store import search as store

    f = CaseFilter(text=SEARCHES[label])

    def search() -> int:
        for memo in (store._HOW, store._COUNTED, store._FOUND):  # each time as a new search (nothing remembered)
            memo.clear()
        return cases.count(big_ctx, f, cases.COUNT_BOUND) + len(cases.page(big_ctx, f, limit=200))

    assert search() > 0
    ours, anchor = _paired(search, _raw_count(big_ctx, SEARCHES[label]))
    _report(benchmark, f"search {label}: count to 1,000 + first page of 200", ours, "raw count from the index",
            anchor, f"<= {GOAL_MS:.0f} ms")


# --- the case list -----------------------------------------------------------------------------------------

def _list_first(ctx: Context, sort: str, descending: bool) -> Callable[[], object]:
    return lambda: (cases.count(ctx, CaseFilter()), cases.page(ctx, CaseFilter(), sort, descending, 200))


LISTS: dict[str, Callable[[Context], Callable[[], object]]] = {
    "first page (newest first)": lambda ctx: _list_first(ctx, "received_on", True),
    "last page (End)": lambda ctx: lambda: cases.page(ctx, CaseFilter(), "received_on", True, 200, 0, from_end=True),
    "sorted by name, first page": lambda ctx: _list_first(ctx, "names", False),
    "sorted by name descending, first page": lambda ctx: _list_first(ctx, "names", True),
    "sorted by case number, first page": lambda ctx: _list_first(ctx, "case_no", False),
    "sorted by deadline, first page": lambda ctx: _list_first(ctx, "due_on", False),
}


@pytest.mark.parametrize("label", list(LISTS))
def test_case_list_pages(benchmark, big_ctx: Context, label: str) -> None:  # type: ignore[no-untyped-def]
    ours = LISTS[label](big_ctx)
    middle = cases.page(big_ctx, CaseFilter(), "names", False, 1, 50_000)[0].id

    def page_after_middle() -> object:  # a page scrolled to in the middle, read on from the row above it
        return cases.page(big_ctx, CaseFilter(), "names", False, 200, after=middle)

    mine, on_from_middle = _paired(ours, page_after_middle)
    _report(benchmark, f"case list {label}", mine, "(beside it: a page in the middle by name, read on from the row "
            "above)", on_from_middle, f"<= {GOAL_MS:.0f} ms at 1M, any page, any sort")


# --- whole processes ---------------------------------------------------------------------------------------

_RUN = ("import sys, runpy; sys.modules['numpy'] = None; sys.argv[0] = 'fulian-desktop'; "
        "runpy.run_module('fulian_desktop', run_name='__main__')")

_RAW_SEARCH = textwrap.dedent(
    """
    import os, sys
    import sqlcipher3
    c = sqlcipher3.connect(sys.argv[1])
    c.execute("PRAGMA key = \\"x'" + os.environ["BENCH_KEY"] + "'\\"")
    n = c.execute("SELECT count(*) FROM (SELECT 1 FROM search_bi WHERE search_bi MATCH ? LIMIT 1001)",
                  ['"' + sys.argv[2] + '"']).fetchone()[0]
    rows = c.execute("SELECT c.case_no, c.kind, c.names, c.status, c.received_on, c.township, c.category "
                     "FROM cases c WHERE EXISTS (SELECT 1 FROM search_bi WHERE search_bi MATCH ? AND rowid = c.id) "
                     "ORDER BY c.received_on DESC, c.id DESC LIMIT 50", ['"' + sys.argv[2] + '"']).fetchall()
    for r in rows:
        print("  ".join(map(str, r)))
    print(n)
    """
)

_BARE_PRINT = textwrap.dedent(
    """
    import io, json, sys
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(ttfonts.TTFont("Song", sys.argv[1], subfontIndex=0))
    pages = json.loads(open(sys.argv[2], encoding="utf-8").read())
    c = canvas.Canvas(sys.argv[3], pagesize=A4)
    for number in sorted(pages, key=int):
        size = 0.0
        for x, y, string_size, text in pages[number]:
            if string_size != size:
                size = string_size
                c.setFont("Song", size)
            c.drawString(x, y, text)
        c.showPage()
    c.save()
    """
)


def _env(**more: str) -> dict[str, str]:
    return compiled({**os.environ, "PYTHONPATH": str(ROOT), "FULIAN_USER": STAFF_USER,
                     "FULIAN_PASSWORD": STAFF_PASSWORD, **more})


def _wall(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall clock, CPU time of the process) in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert out.returncode == 0, out.stdout + out.stderr
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _processes(ours: list[str], anchor: list[str], env: dict[str, str]) -> tuple[float, float]:
    a: list[float] = []
    b: list[float] = []
    ca: list[float] = []
    cb: list[float] = []
    _wall(ours, env)
    _wall(anchor, env)  # (the modules compiled once, as when installed)
    for i in range(PROCESS_ROUNDS):
        pair = ((ours, a, ca), (anchor, b, cb)) if i % 2 else ((anchor, b, cb), (ours, a, ca))
        for cmd, out, cpu in pair:
            wall, used = _wall(cmd, env)
            out.append(wall)
            cpu.append(used)
    CPU.update(ours=_ms(ca), anchor=_ms(cb))
    return _ms(a), _ms(b)


def _argon2(db: Path) -> tuple[float, float]:
    """The sign-in's Argon2id (the key unwrap), in ms: (wall, CPU) medians of nine (of three, the median moved by half
    between runs a minute apart, and with it the figure "without it")."""
    from fulian_desktop.store.keys import KeyFile, keyfile_path

    kf = KeyFile.load(keyfile_path(db))
    assert kf is not None
    wall, cpu = [], []
    for _ in range(9):
        t, c = time.perf_counter(), time.process_time()
        assert kf.unwrap(STAFF_USER, STAFF_PASSWORD) is not None
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return _ms(wall), _ms(cpu)


def _whole(benchmark, label: str, ours: float, anchor_name: str, anchor: float, goal: str, db: Path) -> None:  # type: ignore[no-untyped-def]
    cpu, anchor_cpu = CPU["ours"], CPU["anchor"]
    kdf, kdf_cpu = _argon2(db)
    benchmark.extra_info.update({"argon2id_ms": kdf, "argon2id_cpu_ms": kdf_cpu})
    CPU.update(ours=cpu, anchor=anchor_cpu)
    _report(benchmark, f"{label} (of which the sign-in's Argon2id {kdf} ms, CPU {kdf_cpu} ms; without it "
            f"{ours - kdf:.0f} ms = x{(ours - kdf) / anchor:.1f}, CPU {cpu - kdf_cpu:.0f} ms = "
            f"x{(cpu - kdf_cpu) / anchor_cpu:.1f})", ours, anchor_name, anchor, goal)


def _db_key_hex(db: Path) -> str:
    from fulian_desktop.store.keys import KeyFile, keyfile_path

    kf = KeyFile.load(keyfile_path(db))
    assert kf is not None
    key = kf.unwrap(STAFF_USER, STAFF_PASSWORD)
    assert key is not None
    return bytes(key).hex()


def test_cli_search_whole_process(benchmark, big_db: Path) -> None:  # type: ignore[no-untyped-def]
    env = _env(BENCH_KEY=_db_key_hex(big_db))
    ours = [sys.executable, "-c", _RUN, "--db", str(big_db), "search", "离婚"]
    raw = [sys.executable, "-c", _RAW_SEARCH, str(big_db), "离婚"]
    mine, anchor = _processes(ours, raw, env)
    _whole(benchmark, "CLI search 离婚, whole process", mine, "raw SQLCipher process", anchor,
           "<= 2x plus key derivation", big_db)


def test_print_one_form_whole_process(benchmark, big_ctx: Context, big_db: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`print` of one case's 信访登记表 against a process that registers the same face and draws exactly the
    strings that form draws (recorded from a real print), at the same places, with bare reportlab."""
    from fulian_desktop.paths import fonts_dir
    from fulian_desktop.services import printing

    case_id = _print_sample(big_ctx)
    case_no = big_ctx.db.execute("SELECT case_no FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    pages = _strings_drawn(monkeypatch, lambda: printing.print_case(big_ctx, case_id)[0])
    strings = tmp_path / "strings.json"
    strings.write_text(json.dumps({str(k): v for k, v in pages.items()}, ensure_ascii=False), encoding="utf-8")
    ours = [sys.executable, "-c", _RUN, "--db", str(big_db), "print", case_no, "--out", str(tmp_path / "form.pdf")]
    bare = [sys.executable, "-c", _BARE_PRINT, str(fonts_dir() / "uming.ttc"), str(strings), str(tmp_path / "b.pdf")]
    mine, anchor = _processes(ours, bare, _env())
    _whole(benchmark, "print one form, whole process", mine, "bare reportlab process, same font and strings",
           anchor, "<= 1.5x bare plus key derivation", big_db)


# --- what each command pays for its imports ----------------------------------------------------------------

_CLI = ["fulian_desktop.app", "fulian_desktop.cli.main", "fulian_desktop.services.locations"]
_SIGNED_IN = [*_CLI, "fulian_desktop.services.accounts"]  # every command but demo, verify and credentials forget
# what each command loads (its own cli module — cli.main builds only its parsers — and the modules its run function
# imports, as cli/*.py say), the window's up to its sign-in
COMMANDS: dict[str, list[str]] = {
    "window (to the sign-in window)": ["fulian_desktop.app", "fulian_desktop.gui.security.sign_in",
                                       "fulian_desktop.gui.shell.application"],
    "window (signed in: the main window)": ["fulian_desktop.app", "fulian_desktop.gui.security.sign_in",
                                            "fulian_desktop.gui.shell.application", "fulian_desktop.services.accounts",
                                            "fulian_desktop.gui.shell.main_window"],
    "search": [*_SIGNED_IN, "fulian_desktop.cli.cases", "fulian_desktop.services.cases", "fulian_desktop.services.audit",
               "fulian_desktop.domain.statuses", "fulian_desktop.domain.filters"],
    "print (a petition's form)": [*_SIGNED_IN, "fulian_desktop.cli.cases", "fulian_desktop.services.printing", "fulian_desktop.documents",
                                  "fulian_desktop.documents.petition_form", "fulian_desktop.services.petitions"],
    "print --list / --doc": [*_SIGNED_IN, "fulian_desktop.cli.cases", "fulian_desktop.services.printing", "fulian_desktop.services.case_documents"],
    "audit": [*_SIGNED_IN, "fulian_desktop.cli.cases", "fulian_desktop.services.audit"],
    "attach / attachments": [*_SIGNED_IN, "fulian_desktop.cli.attachments", "fulian_desktop.services.attachments", "fulian_desktop.services.cases"],
    "report": [*_SIGNED_IN, "fulian_desktop.cli.reports", "fulian_desktop.services.statistics", "fulian_desktop.services.exchange",
               "fulian_desktop.reports.statistics"],
    "import / export (registers)": [*_SIGNED_IN, "fulian_desktop.cli.reports", "fulian_desktop.reports.reading", "fulian_desktop.services.exchange"],
    "backup / verify / restore": [*_SIGNED_IN, "fulian_desktop.cli.backup", "fulian_desktop.services.backup", "fulian_desktop.backup.container"],
    "credentials": [*_SIGNED_IN, "fulian_desktop.cli.credentials", "fulian_desktop.services.backup"],
    "workdays": [*_SIGNED_IN, "fulian_desktop.cli.workdays", "fulian_desktop.services.workdays"],
    "exchange": [*_SIGNED_IN, "fulian_desktop.cli.exchange", "fulian_desktop.services.exchange_packages"],
    "demo": [*_CLI, "fulian_desktop.cli.cases", "fulian_desktop.services.accounts", "fulian_desktop.demo.generate"],
}


def test_import_time_of_each_command(benchmark) -> None:  # type: ignore[no-untyped-def]
    """The modules each command loads, imported in a fresh process, against a bare `python -c pass`."""
    results = {}
    for name, modules in COMMANDS.items():
        script = ("import sys; sys.modules['numpy'] = None\n"
                  + "".join(f"import {m}\n" for m in modules))
        ours, bare = _processes([sys.executable, "-c", script], [sys.executable, "-c", "pass"], _env())
        results[name] = (ours, bare, CPU["ours"], CPU["anchor"])
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    print()
    for name, (ours, bare, cpu, bare_cpu) in results.items():
        benchmark.extra_info[name] = {"ms": ours, "bare_python_ms": bare, "imports_ms": round(ours - bare, 1),
                                      "imports_cpu_ms": round(cpu - bare_cpu, 1)}
        print(f"imports of {name}: {ours - bare:.0f} ms, CPU {cpu - bare_cpu:.0f} ms (process {ours} ms, "
              f"bare Python {bare} ms)")
    CPU.clear()
