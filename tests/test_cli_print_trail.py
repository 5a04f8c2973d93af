"""`fulian-desktop print … --out` into a folder that does not exist: the Chinese message and exit 1, and no 打印 in the
audit trail (it said 打印 成功 for a PDF that was never saved, the case being printed before the folder was looked at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_cli import _no_env_db, demo_db, run, sample, signed_in  # noqa: F401  (fixtures)


def _prints(path: Path) -> int:
    ctx = signed_in(path)
    try:
        return int(ctx.db.execute("SELECT count(*) FROM audit WHERE event = 'case.print'").fetchone()[0])
    finally:
        ctx.close()


def test_a_print_into_a_missing_folder_is_not_recorded_as_printed(
        demo_db: Path, sample: dict[str, Any],  # noqa: F811  (the fixtures)
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    before = _prints(demo_db)
    code, out, err = run(capsys, "print", sample["case_no"], "--out", str(tmp_path / "没有" / "x.pdf"),
                         "--db", str(demo_db))
    assert code == 1 and out == ""
    assert err.startswith("错误：无法保存PDF文件：文件夹") and "不存在" in err
    assert _prints(demo_db) == before

    code, out, err = run(capsys, "print", sample["case_no"], "--out", str(tmp_path), "--db", str(demo_db))
    assert code == 0, err  # into a folder that is there: saved, and recorded once
    assert _prints(demo_db) == before + 1
