"""The large database the benchmarks run on: 100,000 made-up cases (FULIAN_BENCH_CASES=1000000: a million), generated
once and kept.

Set FULIAN_BENCH_DB to use a database you already made with `fulian-desktop demo` (encrypted, with the
demo accounts); otherwise it is generated into ~/.cache/fulian-desktop-bench/ on the first run (a couple
of minutes) and reused.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fulian_desktop.durable import fsync_file
from fulian_desktop.services import accounts
from fulian_desktop.services.context import Context

BENCH_CASES = int(os.environ.get("FULIAN_BENCH_CASES", "100000"))


def bench_db_path(cases: int | None = None) -> Path:
    """The database of `cases` demo cases (FULIAN_BENCH_CASES: 100,000 unless told, e.g. 1000000), kept in
    ~/.cache/fulian-desktop-bench/."""
    given = os.environ.get("FULIAN_BENCH_DB")
    if given and cases is None:
        return Path(given)
    folder = Path.home() / ".cache" / "fulian-desktop-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"demo-{BENCH_CASES if cases is None else cases}-v2.db"


def make_demo_db(path: Path, cases: int) -> None:
    """Generate the encrypted demo database of `cases` cases (seed 7, the demo accounts) at `path`: made in a
    folder beside it, then moved into place with its key file, so that an interrupted run leaves nothing."""
    from fulian_desktop.demo import generate as demo

    folder = path.with_name(path.name + ".partial")
    folder.mkdir(exist_ok=True)
    tmp = folder / path.name
    for p in folder.iterdir():
        p.unlink()
    ctx = accounts.setup_demo(tmp)
    demo.generate(ctx, cases, seed=7)
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.close()
    for p in folder.iterdir():  # the database and its key file, together
        p.rename(path.with_name(p.name))
    folder.rmdir()


STAFF_USER, _name, _roles, STAFF_PASSWORD = accounts.DEMO_STAFF


def compiled(env: dict[str, str]) -> dict[str, str]:
    """A process's environment with Python's compiled modules kept (in the bench cache), as an installed program
    has them: PYTHONDONTWRITEBYTECODE (set on these machines) would have every process compile every module
    it loads from source again — most of a second, which no user waits for."""
    cache = Path.home() / ".cache" / "fulian-desktop-bench" / "pycache"
    cache.mkdir(parents=True, exist_ok=True)
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(cache)
    return out


def copy_seconds(source: Path, folder: Path) -> float:
    """The anchor of the backup-like benchmarks: copying the same file into `folder` and flushing it to the disk."""
    target = folder / "copy.db"
    t = time.perf_counter()
    shutil.copyfile(source, target)
    fsync_file(target)
    elapsed = time.perf_counter() - t
    target.unlink()
    return elapsed


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The ordinary test run (--benchmark-skip) skips every test here, also those that measure whole processes
    without the benchmark fixture (which --benchmark-skip alone would run, generating the 100k database first)."""
    if not config.getoption("benchmark_skip", False):
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="Skipping benchmark (--benchmark-skip active).")
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def big_db() -> Path:
    path = bench_db_path()
    if not path.exists():
        make_demo_db(path, BENCH_CASES)
    return path


@pytest.fixture(scope="session")
def big_ctx(big_db: Path) -> Iterator[Context]:
    ctx = accounts.sign_in(big_db, STAFF_USER, STAFF_PASSWORD,
                           clock=lambda: dt.datetime.now().replace(microsecond=0))
    yield ctx
    ctx.close()
