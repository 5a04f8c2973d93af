"""What `print` of a petition's form loads (issue 22: every module is paid for at each command): not the mediation's
rules (its papers are found by their prefix, documents/registry.py) nor the repeated-violence check a petition's
registration runs (services/dv_repeats.py)."""

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


def test_printing_a_petitions_form_loads_no_other_kinds_rules(ctx: Context, tmp_path: Path) -> None:
    _case_id, case_no = petitions.register(ctx, petition())
    assert ctx.path is not None
    ctx.close()
    out = tmp_path / "form.pdf"
    run = subprocess.run([sys.executable, "-c", _PRINT, "--db", str(ctx.path), "print", case_no, "--out", str(out)],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    loaded = set(next(line for line in run.stdout.splitlines() if line.startswith("loaded ")).split()[1:])
    assert "fulian_desktop.documents.petition_form" in loaded
    assert not {"fulian_desktop.domain.mediation", "fulian_desktop.services.dv_repeats",
                "fulian_desktop.documents.mediation_forms"} & loaded
