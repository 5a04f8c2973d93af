"""The large database the benchmarks run on: 100,000 made-up cases, generated once and kept.

Set FULIAN_BENCH_DB to use a database you already have; otherwise it is generated into
~/.cache/fulian-desktop-bench/ on the first run (a minute or two) and reused.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fulian_desktop.services.context import Context, open_context

BENCH_CASES = int(os.environ.get("FULIAN_BENCH_CASES", "100000"))


def bench_db_path() -> Path:
    given = os.environ.get("FULIAN_BENCH_DB")
    if given:
        return Path(given)
    folder = Path.home() / ".cache" / "fulian-desktop-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"demo-{BENCH_CASES}.db"


@pytest.fixture(scope="session")
def big_db() -> Path:
    path = bench_db_path()
    if not path.exists():
        from fulian_desktop import demo

        tmp = path.with_suffix(".partial")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        ctx = open_context(tmp)
        demo.generate(ctx, BENCH_CASES, seed=7)
        ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ctx.close()
        tmp.rename(path)
    return path


@pytest.fixture(scope="session")
def big_ctx(big_db: Path) -> Iterator[Context]:
    ctx = open_context(big_db, clock=lambda: dt.datetime.now().replace(microsecond=0))
    yield ctx
    ctx.close()
