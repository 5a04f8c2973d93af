"""Issue 7's speed goal: back up the 100,000-case database and verify it (snapshot, seal, flush, read back,
decrypt, integrity check, row counts) — target: within 10x the time of copying the file. Run with:

    FULIAN_BENCH_DB=/tmp/big.db python -m pytest tests/benchmarks -o addopts="" -k backup -s

The bench database (tests/benchmarks/conftest.py) is encrypted with the demo accounts; the benchmark works on
a copy of it. An unencrypted one (an older FULIAN_BENCH_DB) is converted once, the way a first start converts
an old database, into a kept copy next to it (`<name>-encrypted.db` and its key file).
"""

from __future__ import annotations

import os
import shutil
import statistics as stats
import time
from pathlib import Path

import pytest

from fulian_desktop.backup import snapshot
from fulian_desktop.durable import fsync_file
from fulian_desktop.services import accounts, backup
from fulian_desktop.store import keys

from ..conftest import CHEAP_KDF

USER, PASSWORD = "bench", "bench-password-1"
BACKUP_PASSWORD = "bench-backup-password"
TARGET_RATIO = 10.0  # the goal
LIMIT_RATIO = 45.0  # a guard against a large regression on a busy machine; the figures are in the report printed


@pytest.fixture(scope="session")
def encrypted_big(big_db: Path) -> tuple[Path, str, str]:
    """(database, user, password): the bench database when it is already encrypted (made with the demo
    accounts); an unencrypted one (FULIAN_BENCH_DB=/tmp/big.db) is converted once into a kept copy."""
    if keys.keyfile_path(big_db).exists():
        user, _name, _roles, password = accounts.DEMO_ADMIN
        return big_db, user, password
    target = big_db.with_name(f"{big_db.stem}-encrypted.db")
    if target.exists() and keys.keyfile_path(target).exists():
        return target, USER, PASSWORD
    tmp = big_db.with_name(f"{big_db.stem}-encrypting.db")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), keys.keyfile_path(tmp), target, keys.keyfile_path(target)):
        p.unlink(missing_ok=True)
    shutil.copyfile(big_db, tmp)
    ctx, _recovery, aside = accounts.set_up(tmp, [(USER, "测试", frozenset({"director", "admin"}), PASSWORD, False)],
                                            kdf=CHEAP_KDF)
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.close()
    if aside is not None:
        aside.unlink(missing_ok=True)
    os.replace(keys.keyfile_path(tmp), keys.keyfile_path(target))
    os.replace(tmp, target)
    return target, USER, PASSWORD


def _copy_seconds(source: Path, folder: Path) -> float:
    target = folder / "copy.db"
    t = time.perf_counter()
    shutil.copyfile(source, target)
    fsync_file(target)
    elapsed = time.perf_counter() - t
    target.unlink()
    return elapsed


def test_backup_and_verify_the_100k_database(benchmark, encrypted_big: tuple[Path, str, str],  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    source, user, password = encrypted_big
    work = tmp_path / "db"  # a copy: the kept bench database is not changed (backup password, last backup)
    work.mkdir()
    db = work / source.name
    shutil.copyfile(source, db)
    shutil.copyfile(keys.keyfile_path(source), keys.keyfile_path(db))
    ctx = accounts.sign_in(db, user, password)
    try:
        if not backup.status(ctx).has_password:
            backup.set_password(ctx, BACKUP_PASSWORD, BACKUP_PASSWORD)
        folder = tmp_path / "stick"
        stages: dict[str, float] = {}

        def run() -> Path:
            mark = [time.perf_counter(), ""]

            def progress(_f: float, text: str) -> None:
                now = time.perf_counter()
                if text != mark[1]:
                    if mark[1]:
                        stages[str(mark[1])] = stages.get(str(mark[1]), 0.0) + now - float(mark[0])
                    mark[0], mark[1] = now, text

            outcome = backup.make_backup(ctx, folder, progress=progress)
            stages[str(mark[1])] = stages.get(str(mark[1]), 0.0) + time.perf_counter() - float(mark[0])
            return outcome.path

        made = benchmark.pedantic(run, rounds=2, iterations=1)
        backup_s = benchmark.stats.stats.median
        copy_s = stats.median(_copy_seconds(db, tmp_path) for _ in range(3))
        t = time.perf_counter()
        backup.verify(made, BACKUP_PASSWORD, work_near=tmp_path)
        verify_s = time.perf_counter() - t
        t = time.perf_counter()  # the floor: the online backup API's copy alone (the issue asks for it)
        snapshot.take(db, ctx.session.key, tmp_path / "snapshot-alone.db").path.unlink()
        snapshot_s = time.perf_counter() - t
        ratio = backup_s / copy_s
        size = db.stat().st_size / 1048576
        print(f"\n100k database ({size:.0f} MB): copy + fsync {copy_s:.2f} s; backup with verification "
              f"{backup_s:.2f} s = {ratio:.1f}x the copy (goal {TARGET_RATIO:.0f}x); verify alone {verify_s:.2f} s; "
              f"the online backup API's copy alone {snapshot_s:.2f} s = {snapshot_s / copy_s:.1f}x")
        print("  stages (two rounds): " + "; ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
        benchmark.extra_info.update({"copy_s": copy_s, "ratio": ratio, "verify_s": verify_s, "snapshot_s": snapshot_s})
        assert len(list(folder.iterdir())) == 2
        assert ratio < LIMIT_RATIO, f"backup took {ratio:.1f}x the copy"
    finally:
        ctx.close()
