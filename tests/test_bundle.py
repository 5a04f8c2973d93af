"""The one-folder bundle (packaging/fulian-desktop.spec), built once for this test session, as the county
IT person would hand it over: it runs from a folder with Chinese characters and spaces in its name, with an
empty PATH and a new user's empty home folder, nothing else installed; it holds what it needs and leaves out
the Qt parts the program does not use; its window opens (offscreen) about as fast as the installed app's.

The figures (build time, size, time to first paint) are printed: `pytest tests/test_bundle.py -s`.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fulian_desktop.services import accounts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "fulian-desktop.spec"
EXE = ".exe" if os.name == "nt" else ""
MAX_BYTES = 200 * 1024 * 1024  # 200 MB as Windows Explorer counts them
WINDOWS_REFUSES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
FIRST_PAINT = re.compile(r"first paint: ([0-9.]+) s \((.*)\); Qt zh_CN translation: (\w+)")
RUNS = 3  # start-up timed this many times each, the median compared


def _say(text: str) -> None:
    print(f"\n[bundle] {text}", file=sys.stderr, flush=True)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dist/fulian-desktop built from the spec into a temporary folder: once per session, nothing reused
    from an earlier build (PyInstaller's own cache goes into the same temporary folder)."""
    work = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(work / "pyinstaller-cache")}
    started = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build")],
        cwd=work, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-5000:]
    _say(f"built in {time.perf_counter() - started:.0f} s")
    yield work / "dist" / "fulian-desktop"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A folder named like the ones on a county office PC, and a new user's empty home folder."""
    base = tmp_path_factory.mktemp("office")
    work = base / "县妇联 维权窗口" / "张 三"
    home = base / "家 目录" / "张三"
    work.mkdir(parents=True)
    home.mkdir(parents=True)
    return {"work": work, "home": home}


def _env(home: Path, **more: str) -> dict[str, str]:
    """Nothing from this machine's environment: an empty PATH, a new home folder, no PYTHONPATH."""
    env = {"PATH": "", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    if os.name == "nt":  # Windows needs these to start any program at all
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR") if k in os.environ})
        env.update({"USERPROFILE": str(home), "LOCALAPPDATA": str(home / "AppData" / "Local")})
    env.update(more)
    return env


def _signed_in(home: Path, **more: str) -> dict[str, str]:
    user, _name, _roles, password = accounts.DEMO_STAFF
    return _env(home, FULIAN_USER=user, FULIAN_PASSWORD=password, **more)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_the_folder_holds_what_the_program_needs_and_leaves_out_what_it_does_not(bundle: Path) -> None:
    size = _size(bundle)
    _say(f"folder size {size / 2**20:.1f} MB ({size:,} bytes)")
    assert size < MAX_BYTES
    assert (bundle / f"fulian-desktop{EXE}").is_file() and (bundle / f"fulian-desktop-cli{EXE}").is_file()
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    inside = "\n".join(files)
    for needed in ("resources/fonts/uming.ttc", "resources/fonts/wqy-microhei.ttc", "resources/icons/app.png",
                   "resources/pinyin_initials.txt", "db/migrations/0001_foundation.sql", "ui/main_window.ui",
                   "translations/qtbase_zh_CN.qm"):
        assert needed in inside, f"{needed} missing from the bundle"
    seeds = [f for f in files if "/db/seed/" in f]
    assert seeds, "seed lists missing"
    assert "resources/translations/qt_extra_zh_CN.qm" in inside
    # reportlab's C accelerators (the forms print at the speed measured), which it imports in a way PyInstaller
    # does not see; without them it silently falls back to its slower Python code
    assert re.search(r"(^|/)_rl_accel[^/]*\.(so|pyd)$", inside, re.MULTILINE), "_rl_accel missing from the bundle"
    # HEIC photos are read with pi-heif (decode only): neither pillow-heif nor the x265 encoder (21 MB, GPL) goes in
    assert re.search(r"(^|/)_pi_heif[^/]*\.(so|pyd)$", inside, re.MULTILINE), "pi-heif missing from the bundle"
    unwanted = re.compile(r"WebEngine|Qt6?Qml|Qt6?Quick|Multimedia|Qt6?3D|/qml/|QtWebView|VirtualKeyboard|"
                          r"Qt/translations/(?!qt(base)?_zh_CN\.qm)|pillow_heif|x265", re.IGNORECASE)
    left_in = [f for f in files if unwanted.search(f)]
    assert not left_in, f"unused Qt parts in the bundle: {left_in[:10]}"
    assert not [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()], "dangling links"


def test_demo_search_and_print_from_a_chinese_folder_with_nothing_installed(
        bundle: Path, office: dict[str, Path]) -> None:
    cli = str(bundle / f"fulian-desktop-cli{EXE}")
    work, home = office["work"], office["home"]
    db = work / "演示 数据.db"

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([cli, *args], cwd=work, env=env, capture_output=True, text=True, encoding="utf-8",
                              timeout=300, stdin=subprocess.DEVNULL)

    made = run("demo", "--db", db.name, "--cases", "40", env=_env(home))
    assert made.returncode == 0, made.stderr
    user, _name, _roles, password = accounts.DEMO_STAFF
    assert f"用户名 {user}" in made.stdout and f"密码 {password}" in made.stdout
    assert db.is_file() and (work / "演示 数据.db.keys").is_file()

    refused = run("search", "张", "--db", db.name, env=_env(home))
    assert refused.returncode == 1 and "FULIAN_USER" in refused.stderr and "Traceback" not in refused.stderr

    env = _signed_in(home)
    listed = run("search", "信访", "--db", db.name, "--json", "--limit", "500", env=env)
    assert listed.returncode == 0, listed.stderr
    petitions = [r for r in json.loads(listed.stdout) if r["case_no"].startswith("信访")]
    assert petitions, listed.stdout[:500]
    case_no = petitions[0]["case_no"]
    name = re.split(r"[（(与、，,]", petitions[0]["names"])[0]  # her name, not "…（代…）" or "…与…"
    for text in (case_no, name, name[:2]):  # the number, her name, its first two characters
        found = run("search", text, "--db", db.name, "--limit", "500", env=env)
        assert found.returncode == 0 and case_no in found.stdout, (text, found.stdout, found.stderr)

    out = work / "打印 的表格"
    out.mkdir()
    printed = run("print", case_no, "--out", f"{out.name}{os.sep}", "--db", db.name, env=env)
    assert printed.returncode == 0, printed.stderr
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1, printed.stdout
    name = pdfs[0].name
    assert re.fullmatch(r"信访登记表_[^_]+_\d{4}-\d{2}-\d{2}\.pdf", name), name
    assert not WINDOWS_REFUSES.search(name)
    assert pdfs[0].read_bytes().startswith(b"%PDF")

    # a phone's HEIC photo attached through the bundle's decoder becomes a JPEG (pillow-heif writes the sample here)
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    Image.new("RGB", (800, 600), (200, 40, 90)).save(work / "IMG_4031.HEIC", "HEIF")
    attached = run("attach", case_no, "IMG_4031.HEIC", "--kind", "照片", "--db", db.name, env=env)
    assert attached.returncode == 0, attached.stderr
    listed = run("attachments", case_no, "--json", "--db", db.name, env=env)
    assert listed.returncode == 0, listed.stderr
    assert [a["media"] for a in json.loads(listed.stdout) if a["name"].startswith("IMG_4031")] == ["image/jpeg"]

    missing = run("print", "信访〔1999〕第9999号", "--db", db.name, env=env)
    assert missing.returncode != 0 and "找不到" in missing.stderr and "Traceback" not in missing.stderr

    # a backup to a stick's folder, checked (the backup password is set as the administrator would)
    backup = pytest.importorskip("fulian_desktop.services.backup")
    admin_user, _admin_name, _admin_roles, admin_password = accounts.DEMO_ADMIN
    admin = accounts.sign_in(db, admin_user, admin_password)
    try:
        backup.set_password(admin, "演示用的 备份密码", "演示用的 备份密码")
    finally:
        admin.close()
    stick = work / "U盘 (E)" / "妇联 备份"
    stick.mkdir(parents=True)
    env = {**env, "FULIAN_BACKUP_PASSWORD": "演示用的 备份密码"}
    made = run("backup", "--to", str(stick), "--db", db.name, env=env)
    assert made.returncode == 0, made.stderr
    files = list(stick.glob("*.fulian-backup"))
    assert len(files) == 1 and not WINDOWS_REFUSES.search(files[0].name), files
    checked = run("verify", str(files[0]), env=env)
    assert checked.returncode == 0, checked.stderr


def _first_paint(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str, str]:
    """(wall-clock seconds to the end, the program's own time to first paint, window title, translation)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=300, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    m = FIRST_PAINT.search(done.stderr)
    assert m, done.stderr[-3000:]
    return wall, float(m.group(1)), m.group(2), m.group(3)


def test_the_window_opens_offscreen_about_as_fast_as_the_installed_app(
        bundle: Path, office: dict[str, Path]) -> None:
    work, home = office["work"], office["home"]
    db = work / "窗口 演示.db"
    made = subprocess.run([str(bundle / f"fulian-desktop-cli{EXE}"), "demo", "--db", str(db), "--cases", "200"],
                          cwd=work, env=_env(home), capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert made.returncode == 0, made.stderr
    env = _signed_in(home, FULIAN_SMOKE_TEST="1")
    frozen = [str(bundle / f"fulian-desktop{EXE}"), "--db", str(db)]
    # the installed app: the same program run by this Python (pip install -e . in CI; the checkout otherwise)
    installed = [sys.executable, "-m", "fulian_desktop", "--db", str(db)]
    installed_env = {**env, "PYTHONPATH": str(ROOT)}
    _first_paint(frozen, work, env)  # the first start reads everything from disk: not counted
    _first_paint(installed, work, installed_env)
    times: dict[str, list[tuple[float, float]]] = {"bundle": [], "installed": []}
    for _ in range(RUNS):  # interleaved, so that a busy moment of the machine hits both
        wall, paint, title, chinese = _first_paint(frozen, work, env)
        times["bundle"].append((wall, paint))
        assert title == "演示县妇联 — 妇联维权工作台"  # the main window, signed in
        assert chinese == "loaded", "Qt's qtbase_zh_CN.qm was not loaded in the bundle"
        wall, paint, _title, _chinese = _first_paint(installed, work, installed_env)
        times["installed"].append((wall, paint))
    figures = {k: (statistics.median(w for w, _ in v), statistics.median(p for _, p in v)) for k, v in times.items()}
    for k, (wall, paint) in figures.items():
        _say(f"{k}: first paint after {paint:.2f} s, whole run {wall:.2f} s (median of {RUNS})")
    assert figures["bundle"][0] <= 1.5 * figures["installed"][0], figures
    assert figures["bundle"][1] <= 1.5 * figures["installed"][1], figures


def test_the_window_executable_also_runs_commands(bundle: Path, office: dict[str, Path]) -> None:
    """On Linux both executables are the same program; on Windows fulian-desktop.exe has no console, so
    the command line is fulian-desktop-cli.exe (the README says so)."""
    done = subprocess.run([str(bundle / f"fulian-desktop{EXE}"), "search", "--help"], cwd=office["work"],
                          env=_env(office["home"]), capture_output=True, text=True, encoding="utf-8", timeout=120)
    if os.name != "nt":
        assert done.returncode == 0 and "用法" in done.stdout


def test_a_big_register_imports_with_its_second_process(bundle: Path, office: dict[str, Path]) -> None:
    """A register of parallel.FLOOR rows or more has its letters packed in a second process, started with "spawn" as
    the packaged program itself (main.py's freeze_support): the import completes, nothing said of a failed helper."""
    import datetime as dt

    from fulian_desktop.store import parallel
    from tests import big_registers

    cli = str(bundle / f"fulian-desktop-cli{EXE}")
    work, home = office["work"], office["home"]
    register = big_registers.write(work / "信访 台账.xlsx", "petition", parallel.FLOOR + 500, dt.date.today())

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([cli, *args], cwd=work, env=env, capture_output=True, text=True, encoding="utf-8",
                              timeout=600, stdin=subprocess.DEVNULL)

    made = run("demo", "--db", "导入 测试.db", "--cases", "10", env=_env(home))
    assert made.returncode == 0, made.stderr
    done = run("import", register.name, "--db", "导入 测试.db", env=_signed_in(home))
    assert done.returncode == 0, done.stderr
    assert f"已导入：共{parallel.FLOOR + 500}行：新增{parallel.FLOOR + 500}" in done.stdout
    assert "后台进程" not in done.stderr and "Traceback" not in done.stderr
