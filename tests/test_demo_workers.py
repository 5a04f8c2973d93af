"""A big demo made by worker processes (demo/workers.py, issue 22): the same rows whatever the number of workers;
a worker that fails or dies, or Ctrl+C, stops the run and leaves the database without a single made-up case."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.demo import generate as demo
from fulian_desktop.demo import kinds as demo_kinds
from fulian_desktop.demo import workers
from fulian_desktop.services.context import Context, open_context
from fulian_desktop.store import bulk
from fulian_desktop.store.parallel import _cores

NOW = dt.datetime(2026, 3, 10, 9, 30)
N, PART = 900, 300  # three parts


@pytest.fixture(autouse=True)
def _small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PART", PART)


def _open(path: Path) -> Context:
    return open_context(path, clock=lambda: NOW)


def _rows(ctx: Context) -> dict[str, list[Any]]:
    """Every table's rows in the order written, the uuids (random by design) and the audit trail aside."""
    out: dict[str, list[Any]] = {}
    tables = [r[0] for r in ctx.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'audit%'"
        " AND name NOT LIKE 'search_%'").fetchall()]
    for table in tables:
        cols = [r[1] for r in ctx.db.execute(f'PRAGMA table_info("{table}")').fetchall() if "uuid" not in r[1]]
        order = "rowid" if ctx.db.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'",
                                          [table]).fetchone() is None else "1"
        columns = ", ".join(f'"{c}"' for c in cols)
        out[table] = ctx.db.execute(f'SELECT {columns} FROM "{table}" ORDER BY {order}').fetchall()
    for table in ("search_tri", "search_bi"):  # what each case is found by
        out[table] = ctx.db.execute(f"SELECT rowid FROM {table} ORDER BY rowid").fetchall()
    out["found"] = ctx.db.execute("SELECT rowid FROM search_tri WHERE search_tri MATCH '派出所' ORDER BY rowid").fetchall()
    return out


def _nothing_made(ctx: Context) -> None:
    for table in ("cases", "people", "timeline", "case_counters", "petitions", "visits"):
        assert ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert not bulk.is_demo(ctx.db)
    assert multiprocessing.active_children() == []  # the workers stopped


def test_the_same_rows_whatever_the_number_of_workers(tmp_path: Path) -> None:
    made = {}
    for count in (0, 2):
        ctx = _open(tmp_path / f"{count}.db")
        assert demo.generate(ctx, N, seed=3, workers=count) == N
        made[count] = _rows(ctx)
        ctx.close()
    assert made[0]["cases"] and len(made[0]["cases"]) == N
    assert made[0]["found"]
    assert [t for t in made[0] if made[0][t] != made[2][t]] == []
    assert len({r[0] for r in made[2]["people"]}) == len(made[2]["people"])
    ids = [r[5] for r in made[2]["people"] if r[5]]  # every ID number on one person only, across the parts
    assert len(ids) == len(set(ids)) > N // 2
    # cases of every kind, some opened by another (a petition's referral, a visit's petition) across the parts
    assert {r[1] for r in made[2]["cases"]} == {"petition", "referral", "mediation", "household"}
    assert len(made[2]["case_links"]) > 20
    assert multiprocessing.active_children() == []


def test_a_worker_that_fails_stops_the_run_and_nothing_is_kept(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_kinds.World, "lists", lambda self: {})  # the workers get no organisations, no roster…
    ctx = _open(tmp_path / "demo.db")
    with pytest.raises(workers.WorkerFailed, match="工作进程出错.*没有加入任何演示数据.*AttributeError") as e:
        demo.generate(ctx, N, seed=3, workers=2)
    assert "Traceback" in e.value.detail
    _nothing_made(ctx)
    ctx.close()


def test_a_worker_killed_stops_the_run(tmp_path: Path) -> None:
    ctx = _open(tmp_path / "demo.db")

    def progress(done: int, total: int) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid or 0, signal.SIGKILL)

    with pytest.raises(workers.WorkerFailed, match="意外退出，退出码 -9"):
        demo.generate(ctx, N, seed=3, progress=progress, workers=2)
    _nothing_made(ctx)
    ctx.close()


def test_ctrl_c_stops_the_workers_and_nothing_is_kept(tmp_path: Path) -> None:
    ctx = _open(tmp_path / "demo.db")

    def progress(done: int, total: int) -> None:
        assert len(multiprocessing.active_children()) == 2
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.generate(ctx, N, seed=3, progress=progress, workers=2)
    _nothing_made(ctx)
    ctx.close()


def test_cancelled_from_the_progress(tmp_path: Path) -> None:
    ctx = _open(tmp_path / "demo.db")
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return False

    assert demo.generate(ctx, N, seed=3, progress=progress, workers=2) == 0
    assert len(seen) == 1 and 500 <= seen[0] < N  # (told batch by batch: past 500, then stopped)
    _nothing_made(ctx)
    ctx.close()


def test_a_big_demo_uses_the_workers_a_small_one_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[int] = []
    real = workers.Makers.__init__

    def makers(self: workers.Makers, setup: workers.Setup, count: int) -> None:
        given.append(count)
        real(self, setup, count)

    monkeypatch.setattr(workers.Makers, "__init__", makers)
    monkeypatch.setattr(demo, "PARALLEL_FROM", 600)
    ctx = _open(tmp_path / "small.db")
    assert demo.generate(ctx, 500, seed=3) > 0
    ctx.close()
    assert given == []
    ctx = _open(tmp_path / "big.db")
    assert demo.generate(ctx, 600, seed=3) > 0
    ctx.close()
    assert given == [_cores()]


_KILLED_WRITER = """
import datetime as dt, multiprocessing, os, signal, sys
from pathlib import Path
from fulian_desktop.demo import generate as demo, workers
from fulian_desktop.services.context import open_context

if __name__ == "__main__":
    workers.PART = 300
    ctx = open_context(Path(sys.argv[1]), clock=lambda: dt.datetime(2026, 3, 10, 9, 30))

    def progress(done, total):
        Path(sys.argv[2]).write_text(" ".join(str(p.pid) for p in multiprocessing.active_children()))
        os.kill(os.getpid(), signal.SIGKILL)  # ended from outside (the task manager): no clean-up of its own

    demo.generate(ctx, 3000, seed=3, progress=progress, workers=2)
"""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_the_workers_end_when_the_writer_is_killed(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    script = tmp_path / "killed.py"
    script.write_text(_KILLED_WRITER)
    pids = tmp_path / "pids"
    run = subprocess.run([sys.executable, str(script), str(tmp_path / "demo.db"), str(pids)],
                         cwd=Path(__file__).resolve().parents[1], capture_output=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    workers_ = [int(p) for p in pids.read_text().split()]
    assert len(workers_) >= 2  # (and the resource tracker)
    deadline = time.monotonic() + 30
    while not all(_gone(p) for p in workers_) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in workers_ if not _gone(p)] == []
    ctx = _open(tmp_path / "demo.db")
    _nothing_made(ctx)  # (the transaction never committed)
    ctx.close()


def test_a_planner_killed_stops_the_run(tmp_path: Path) -> None:
    import threading

    ctx = _open(tmp_path / "demo.db")
    killed: list[int] = []

    def kill_the_planner() -> None:  # the first process started is the planner (the workers come after the plan)
        while not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
                killed.append(child.pid or 0)

    watcher = threading.Thread(target=kill_the_planner, daemon=True)
    watcher.start()
    with pytest.raises(workers.WorkerFailed, match="计划进程意外退出"):
        demo.generate(ctx, N, seed=3, workers=2)
    watcher.join()
    _nothing_made(ctx)
    ctx.close()


def test_a_big_load_leaves_the_schema_the_keys_and_the_search_settings_as_they_were(tmp_path: Path) -> None:
    """A load big enough to set the indexes aside (the people's unique one by ID number too: the rows come whole
    from the parts), with the foreign keys unchecked and the full-text indexes buffering more while it lasts: every
    index is there again after it, the rows hold together, and nothing of the load's settings is kept."""
    ctx = _open(tmp_path / "big.db")

    def schema() -> list[Any]:
        return ctx.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()

    def search_settings() -> list[Any]:
        return [ctx.db.execute(f"SELECT k, v FROM {t}_config ORDER BY k").fetchall()
                for t in ("search_tri", "search_bi")]

    before, settings_before = schema(), search_settings()
    assert demo.generate(ctx, 1200, seed=3, workers=0) == 1200  # (1,200: more than bulk_floor, the indexes aside)
    assert schema() == before
    assert search_settings() == settings_before
    assert ctx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ctx.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert ctx.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = " ".join(str(r) for r in ctx.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM people WHERE id_number = '1' AND id_number <> ''").fetchall())
    assert "people_id_number" in plan
    assert ctx.db.execute("SELECT COUNT(*) FROM search_tri WHERE search_tri MATCH '派出所'").fetchone()[0] > 0
    ctx.close()
