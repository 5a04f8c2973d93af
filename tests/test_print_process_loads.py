"""What `print` of a petition's form and `search` load (issue 22: every module is paid for at each command): not the
mediation's rules (its papers are found by their prefix, documents/registry.py) nor the repeated-violence check a
petition's registration runs (services/dv_repeats.py); a search not the visits' rhythms (domain/filters.py) nor
every record kind's dataclass (domain/records.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fulian_desktop.services import petitions
from fulian_desktop.services.context import Context

from .test_accounts import petition

ROOT = Path(__file__).resolve().parents[1]
_PRINT = ("import sys\nfrom fulian_desktop.cli.main import main\ncode = main(sys.argv[1:])\n"
          "print('loaded', ' '.join(sorted(m for m in sys.modules if m.startswith('fulian_desktop'))))\n"
          "raise SystemExit(code)\n")


def _loaded(*args: str) -> tuple[set[str], str]:
    run = subprocess.run([sys.executable, "-c", _PRINT, *args], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(next(line for line in run.stdout.splitlines() if line.startswith("loaded ")).split()[1:]), run.stdout


def test_printing_a_petitions_form_loads_no_other_kinds_rules(ctx: Context, tmp_path: Path) -> None:
    _case_id, case_no = petitions.register(ctx, petition())
    assert ctx.path is not None
    ctx.close()
    out = tmp_path / "form.pdf"
    loaded, _said = _loaded("--db", str(ctx.path), "print", case_no, "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "fulian_desktop.documents.petition_form" in loaded
    assert not {"fulian_desktop.domain.mediation", "fulian_desktop.services.dv_repeats",
                "fulian_desktop.documents.mediation_forms"} & loaded


def test_a_search_loads_no_register_rhythms(ctx: Context) -> None:
    petitions.register(ctx, petition(name="柳如烟"))
    assert ctx.path is not None
    ctx.close()
    loaded, said = _loaded("--db", str(ctx.path), "search", "柳如烟")
    assert "柳如烟" in said and "fulian_desktop.domain.filters" in loaded
    assert "fulian_desktop.domain.rhythm" not in loaded
    assert "fulian_desktop.domain.records" not in loaded  # its lines only (domain/case_rows.py), not every record kind
