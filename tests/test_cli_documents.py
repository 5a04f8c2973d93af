"""`print CASE_NO --list` lists the documents a case has (its registration form, the notices and the opinion it
issued), and `print CASE_NO --doc 受理告知书 --out FILE.pdf` prints one of them — the same paper the window
prints. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fulian_desktop.cli import main as cli
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import case_documents, petitions
from fulian_desktop.services.context import Context


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def concluded(ctx: Context, tmp_path: Path) -> tuple[Path, str, int]:
    """A petition accepted, extended and concluded: its database, its number and its notice's id."""
    case_id, case_no = petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date(2026, 1, 5), petitioner=Person(name="柳如烟", sex="女"), concerned=None,
        headcount=1, township="东山镇", village="", category="婚姻家庭", subcategory="家庭纠纷", facts="婆家冷暴力。",
        request="请求妇联出面协调。", dv=False, safety_risk=False, receiving_staff="王秀兰"))
    notice = petitions.accept(ctx, case_id, dt.date(2026, 1, 5))
    petitions.set_handling(ctx, case_id, "调解")
    petitions.extend(ctx, case_id, 10, "需要再次协商", dt.date(2026, 3, 1))
    petitions.conclude(ctx, case_id, "", "支持", dt.date(2026, 3, 9))
    return tmp_path / "test.db", case_no, notice


def test_list_shows_every_document_of_the_case(concluded: tuple[Path, str, int],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db, case_no, _notice = concluded
    code, out, err = run(capsys, "print", case_no, "--list", "--db", str(db))
    assert code == 0, err
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert lines[0] == f"{case_no}的文书："
    assert lines[1] == "序号 文书 日期 说明"
    assert lines[3:7] == ["1 信访登记表", "2 受理告知书 2026年1月5日 当场告知", "3 延期告知书 2026年3月1日 直接送达",
                          "4 处理意见书 2026年3月9日 直接送达"]


def test_doc_prints_one_of_them_as_the_window_prints_it(concluded: tuple[Path, str, int], ctx: Context,
                                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, case_no, notice = concluded
    target = tmp_path / "告知书.pdf"
    code, out, err = run(capsys, "print", case_no, "--doc", "受理告知书", "--out", str(target), "--db", str(db))
    assert code == 0, err
    assert out.strip() == f"已保存：{target}"
    assert target.read_bytes() == case_documents.print_issued(ctx, notice)[0]  # the same paper, byte for byte
    code, out, err = run(capsys, "print", case_no, "--doc", "4", "--out", str(tmp_path), "--db", str(db))
    assert code == 0, err
    assert (tmp_path / "处理意见书_柳如烟_2026-03-09.pdf").read_bytes().startswith(b"%PDF")
    code, out, err = run(capsys, "print", case_no, "--doc", "信访登记表", "--out", str(tmp_path / "f.pdf"),
                         "--db", str(db))
    assert code == 0 and (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_a_document_the_case_does_not_have_is_named_with_those_it_has(concluded: tuple[Path, str, int],
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    db, case_no, _notice = concluded
    code, out, err = run(capsys, "print", case_no, "--doc", "不予受理告知书", "--out", str(tmp_path / "x.pdf"),
                         "--db", str(db))
    assert code == 1 and out == ""
    assert err.strip() == ("错误：这件案件没有“不予受理告知书”。它的文书有：信访登记表、受理告知书、延期告知书、处理意见书")
    assert not (tmp_path / "x.pdf").exists()
    code, out, err = run(capsys, "print", case_no, "--doc", "1", "--list", "--db", str(db))
    assert code == 2 and "--list 和 --doc 不能同时使用" in err


def test_printing_one_form_loads_only_that_forms_code(concluded: tuple[Path, str, int], tmp_path: Path) -> None:
    """Issue 22: `print` paid for importing every form (mediation, referral, household, 家暴防护 papers) and every
    kind's service to print one; a form's code and its kind's service are now imported when that form is printed.
    A fresh process, as a clerk's command runs."""
    import subprocess
    import sys

    db, case_no, _notice = concluded
    target = tmp_path / "登记表.pdf"
    script = ("import sys\nfrom fulian_desktop.cli import main as cli\n"
              f"code = cli.main(['print', {case_no!r}, '--out', {str(target)!r}, '--db', {str(db)!r}])\n"
              "print(code, sorted(m.split('.', 1)[1] for m in sys.modules if m.startswith(('fulian_desktop.documents.', "
              "'fulian_desktop.services.'))))\n"
              "print('STD', sorted(m for m in ('urllib.request', 'http.client', 'email.parser', 'ssl') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          timeout=120)
    assert done.returncode == 0, done.stderr
    code, loaded = done.stdout.strip().splitlines()[-2].split(" ", 1)
    # nor the web and mail modules (xml.sax.saxutils loaded them for its escape())
    assert done.stdout.strip().splitlines()[-1] == "STD []", done.stdout
    assert code == "0" and target.read_bytes().startswith(b"%PDF")
    assert "'documents.petition_form'" in loaded
    for other in ("mediation_forms", "referral_letter", "household_forms", "dv_papers", "protection_papers"):
        assert f"'documents.{other}'" not in loaded, loaded
    for other in ("mediations", "households", "referrals"):  # nor the services that load those kinds to print them
        assert f"'services.{other}'" not in loaded, loaded
    for other in ("case_documents", "protection", "dv_risk"):  # the list of a case's documents (print --list)
        assert f"'services.{other}'" not in loaded, loaded
