"""The package installs into a fresh virtual environment and runs from any folder; the compiled
Designer forms are current."""

from __future__ import annotations

import os
import site
import subprocess
import venv
from pathlib import Path

import pytest

from fulian_desktop.gui.shell import build_ui
from fulian_desktop.paths import ui_dir
from fulian_desktop.services import accounts
from fulian_desktop.store.connection import file_state

ROOT = Path(__file__).resolve().parents[1]


def test_compiled_forms_are_current() -> None:
    forms = sorted(ui_dir().glob("*.ui"))
    assert forms
    for ui_file in forms:
        target = build_ui.target_for(ui_file)
        assert target.exists(), f"run python -m fulian_desktop.gui.shell.build_ui ({target.name} missing)"
        assert target.read_text(encoding="utf-8") == build_ui.compile_form(ui_file), (
            f"{target.name} is out of date: run python -m fulian_desktop.gui.shell.build_ui"
        )


@pytest.mark.slow
def test_installed_package_runs_from_another_folder(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    _see_our_packages(python)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "-q", str(ROOT)],
        check=True, cwd=tmp_path,
    )
    elsewhere = tmp_path / "某 个 文件夹"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FULIAN_DB", "FULIAN_USER",
                                                             "FULIAN_PASSWORD")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    where = subprocess.run(
        [str(python), "-c", "import fulian_desktop.paths as p; print(p.resources_dir()); print(p.migrations_dir())"],
        check=True, cwd=elsewhere, env=env, capture_output=True, text=True,
    ).stdout
    assert str(env_dir) in where, "resources must come from the installed package"
    exe = bindir / ("fulian-desktop.exe" if os.name == "nt" else "fulian-desktop")
    db = elsewhere / "演示.db"
    out = subprocess.run([str(exe), "demo", "--db", str(db), "--cases", "30"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    # the demo prints its accounts; the database is encrypted with the real (default) Argon2id cost
    user, _name, _roles, password = accounts.DEMO_STAFF
    assert f"用户名 {user}" in out.stdout and f"密码 {password}" in out.stdout
    assert file_state(db) == "encrypted"
    refused = subprocess.run([str(exe), "search", "王", "--db", str(db)], cwd=elsewhere, env=env,
                             capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "FULIAN_USER" in refused.stderr  # no terminal to ask on
    env["FULIAN_USER"], env["FULIAN_PASSWORD"] = user, password
    pdf = elsewhere / "表.pdf"
    out = subprocess.run([str(exe), "print", _first_case(db), "--out", str(pdf),
                          "--db", str(db)], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = subprocess.run([str(exe), "print", "信访〔1999〕第9999号", "--out", str(pdf), "--db", str(db)],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr and "找不到" in bad.stderr


def our_site_folders() -> list[str]:
    """Where the interpreter running the tests finds its packages: a virtual environment's own folders
    when the tests run from one (and the base Python's only if that environment sees them), else the
    system Python's, and the user's folder when Python reads it."""
    folders = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        folders.append(site.getusersitepackages())
    return folders


def _see_our_packages(python: Path) -> None:
    """The new environment uses the dependencies already installed for the tests (PySide6, sqlcipher3…:
    no download) through a .pth file that adds our folders after its own. `system_site_packages=True`
    would not do: it gives the base Python's packages, which under a virtual environment lack them."""
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         check=True, capture_output=True, text=True).stdout.strip()
    lines = [f"import site; site.addsitedir({folder!r})" for folder in our_site_folders()]
    (Path(own) / "fulian_test_dependencies.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _first_case(db: Path) -> str:
    user, _name, _roles, password = accounts.DEMO_STAFF
    ctx = accounts.sign_in(db, user, password)
    try:
        return str(ctx.db.execute("SELECT case_no FROM cases ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        ctx.close()
