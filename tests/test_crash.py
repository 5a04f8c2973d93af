"""A power cut, not only a killed process: every save the program acknowledged survives when everything the
operating system had not yet written to the device is thrown away.

kill -9 proves that a dying process loses nothing, but the operating system still writes its cache. Here the
writer runs with tests/crash/durable_shim.c preloaded: only what was fsynced (files, and a folder's names)
counts as on the device. After kill -9 at a random moment the folder is rebuilt as the device would hold it,
and the database must open, pass its integrity check and hold every petition whose save had returned.
The shim is compiled with the system's C compiler, or with the `ziglang` package's (a test dependency).
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fulian_desktop.services import accounts

from .conftest import CHEAP_KDF, Clock

HERE = Path(__file__).resolve().parent
USER, PASSWORD = "wangxl", "dongshan-2026"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="LD_PRELOAD and /proc: Linux only")

_WRITER = """
import datetime as dt, sys
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, petitions
ctx = accounts.sign_in(sys.argv[1], sys.argv[2], sys.argv[3])
if sys.argv[5] == "unsafe":  # the control: what a program that does not sync would lose
    ctx.db.execute("PRAGMA synchronous=OFF")
for n in range(int(sys.argv[4]), 100000):
    petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="",
        facts=f"记号{n:05d}", request="咨询", dv=False, safety_risk=False, receiving_staff="接待员"))
    print(f"ACK {n}", flush=True)
"""


def _compile(tmp: Path) -> Path:
    source, target = HERE / "crash" / "durable_shim.c", tmp / "durable_shim.so"
    compilers = [[c] for c in ("cc", "gcc", "clang") if shutil.which(c)]
    if importlib.util.find_spec("ziglang") is not None:
        compilers.append([sys.executable, "-m", "ziglang", "cc"])
    for cc in compilers:
        done = subprocess.run([*cc, "-shared", "-fPIC", "-O2", "-o", str(target), str(source), "-ldl"],
                              capture_output=True, text=True)
        if done.returncode == 0:
            return target
    pytest.skip("no C compiler (install the test extras: ziglang)")


def _snapshot(folder: Path) -> tuple[dict[str, int], dict[int, bytes]]:
    names = {p.name: p.stat().st_ino for p in folder.iterdir() if p.is_file()}
    return names, {ino: (folder / name).read_bytes() for name, ino in names.items()}


def _after_power_cut(folder: Path, shadow: Path, before: tuple[dict[str, int], dict[int, bytes]], to: Path) -> None:
    """The folder as the device holds it: the last synced names, each with its last synced contents."""
    names, contents = before
    listing = shadow / "listing"
    if listing.exists():
        names = {}
        for line in listing.read_text(encoding="utf-8").splitlines():
            ino, name = line.split(" ", 1)
            names[name] = int(ino)
    to.mkdir(parents=True)
    for name, ino in names.items():
        synced = shadow / str(ino)
        data = synced.read_bytes() if synced.exists() else contents.get(ino, b"")
        (to / name).write_bytes(data)


def _acked(lines: list[str]) -> set[int]:
    return {int(line.split()[1]) for line in lines if line.startswith("ACK ")}


def _power_cut(shim: Path, tmp_path: Path, attempt: int, first: int, rng: random.Random,
               mode: str = "safe") -> tuple[set[int], set[int]]:
    """Start the writer on the database the last power cut left (or a new one), cut the power after a few
    saves; returns (acknowledged, kept)."""
    folder = tmp_path / f"office-{attempt}"
    path = folder / "fulian.db"
    if attempt == 0:
        started = accounts.first_start(path, "东山县妇联", "王秀兰", USER, PASSWORD,
                                       case_roles=frozenset({"director"}), clock=Clock(), kdf=CHEAP_KDF)
        started.ctx.close()
    else:
        shutil.copytree(tmp_path / f"after-{attempt - 1}", folder)
    before = _snapshot(folder)
    shadow = tmp_path / f"shadow-{attempt}"
    shadow.mkdir()
    env = dict(os.environ, LD_PRELOAD=str(shim), CRASH_DIR=str(folder.resolve()), CRASH_SHADOW=str(shadow))
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), USER, PASSWORD, str(first), mode],
                              stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    assert writer.stdout is not None
    lines: list[str] = []
    wanted = rng.randint(3, 25)
    deadline = time.monotonic() + 60
    while len(_acked(lines)) < wanted and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        lines.append(line)
    time.sleep(rng.random() * 0.05)  # somewhere inside the next save
    writer.kill()
    rest, _ = writer.communicate()
    acked = _acked(lines + rest.splitlines())
    assert acked, "the writer acknowledged nothing"
    after = tmp_path / f"after-{attempt}"
    _after_power_cut(folder, shadow, before, after)
    ctx = accounts.sign_in(after / "fulian.db", USER, PASSWORD)
    try:
        assert ctx.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = {int(r[0][2:]) for r in ctx.db.execute("SELECT facts FROM petitions WHERE facts LIKE '记号%'")}
    finally:
        ctx.close()
    return acked, kept


@pytest.mark.slow
def test_every_acknowledged_save_survives_a_power_cut(tmp_path: Path) -> None:
    shim = _compile(tmp_path)
    rng = random.Random(20261206)
    first = 0
    for attempt in range(6):
        acked, kept = _power_cut(shim, tmp_path, attempt, first, rng)
        lost = sorted(n for n in acked if n not in kept)
        assert not lost, f"acknowledged saves lost in power cut {attempt}: {lost}"
        first = max(kept | acked) + 1


@pytest.mark.slow
def test_the_power_cut_does_throw_away_what_was_not_synced(tmp_path: Path) -> None:
    """The control: the same writer with SQLite's syncing switched off loses acknowledged saves, so the test
    above can fail."""
    shim = _compile(tmp_path)
    acked, kept = _power_cut(shim, tmp_path, 0, 0, random.Random(1), mode="unsafe")
    assert acked - kept, "nothing was lost: the simulated power cut keeps writes that were never synced"
