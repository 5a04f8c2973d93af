"""The command line: demo, search, print, audit; signing in; Chinese messages and exit codes, never a
traceback."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.cli import main as cli
from fulian_desktop.domain.names import pinyin_initials
from fulian_desktop.services import accounts
from fulian_desktop.services.context import Context
from fulian_desktop.store import keys

from .conftest import CHEAP_KDF

KEYS = {"case_no", "kind", "names", "status", "received_on", "township", "category"}
DEMO_USER, DEMO_PASSWORD = accounts.DEMO_STAFF[0], accounts.DEMO_STAFF[3]


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch, _test_credentials: None) -> None:
    monkeypatch.delenv(cli.ENV_DB, raising=False)
    monkeypatch.setenv(cli.ENV_USER, DEMO_USER)  # the demo staff account `demo` makes
    monkeypatch.setenv(cli.ENV_PASSWORD, DEMO_PASSWORD)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "DEFAULT_KDF", CHEAP_KDF)
        assert cli.main(["demo", "--db", str(path), "--cases", "300", "--seed", "5"]) == 0
    return path


def signed_in(path: Path) -> Context:
    return accounts.sign_in(path, DEMO_USER, DEMO_PASSWORD)


@pytest.fixture(scope="module")
def sample(demo_db: Path) -> dict[str, Any]:
    """A generated case whose petitioner has a two-character name, an ID number and a phone."""
    ctx = signed_in(demo_db)
    conn = ctx.db
    try:
        rows = conn.execute(
            """SELECT c.case_no, p.name, p.id_number, p.phone, pe.facts FROM cases c
               JOIN case_people cp ON cp.case_id = c.id AND cp.role = 'petitioner'
               JOIN people p ON p.id = cp.person_id JOIN petitions pe ON pe.case_id = c.id
               WHERE p.id_number <> '' AND p.phone <> '' ORDER BY c.id"""
        ).fetchall()
    finally:
        ctx.close()
    two = next(r for r in rows if len(r[1]) == 2)
    three = next(r for r in rows if len(r[1]) == 3)
    return {"case_no": two[0], "name2": two[1], "id_number": two[2], "phone": two[3], "facts": two[4],
            "case_no3": three[0], "name3": three[1]}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def search_json(capsys: pytest.CaptureFixture[str], db: Path, text: str) -> list[dict[str, str]]:
    code, out, err = run(capsys, "search", text, "--db", str(db), "--json", "--limit", "10000")
    assert code == 0, err
    found = json.loads(out)
    assert isinstance(found, list)
    for item in found:
        assert set(item) == KEYS
    return found


# -- demo --------------------------------------------------------------------------------------


def test_demo_says_how_many_cases_it_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "sub" / "new.db"
    code, out, err = run(capsys, "demo", "--db", str(db), "--cases", "25", "--seed", "2")
    assert code == 0, err
    assert "25件" in out and db.exists()
    ctx = signed_in(db)
    assert ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 25
    ctx.close()


def test_demo_prints_its_accounts_and_they_sign_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "look-around.db"
    code, out, err = run(capsys, "demo", "--db", str(db), "--cases", "3")
    assert code == 0, err
    admin_user, _name, _roles, admin_password = accounts.DEMO_ADMIN
    for user, password in ((DEMO_USER, DEMO_PASSWORD), (admin_user, admin_password)):
        assert f"用户名 {user}" in out and f"密码 {password}" in out
        ctx = accounts.sign_in(db, user, password)
        ctx.close()
    staff = accounts.sign_in(db, DEMO_USER, DEMO_PASSWORD)
    assert staff.roles == frozenset({"window", "mediator", "director"})
    staff.close()
    # a second run adds to the same database (signed in as the demo staff) and prints no accounts again
    code, out, err = run(capsys, "demo", "--db", str(db), "--cases", "2")
    assert code == 0, err
    assert "用户名" not in out


def test_db_comes_from_the_environment_then_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "env.db"
    monkeypatch.setenv(cli.ENV_DB, str(env_db))
    assert run(capsys, "demo", "--cases", "3")[0] == 0
    assert env_db.exists()
    monkeypatch.delenv(cli.ENV_DB)
    code, _out, err = run(capsys, "search", "王")
    assert code == 1 and "找不到数据库文件" in err  # the (empty) per-user default is not created by search
    assert run(capsys, "demo", "--cases", "3")[0] == 0
    from fulian_desktop.paths import default_db_path

    assert default_db_path().exists()
    assert str(tmp_path) in str(default_db_path())  # conftest points the user folders into tmp_path


def test_db_may_come_before_the_command(demo_db: Path, sample: dict[str, Any],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "search", sample["id_number"])
    assert code == 0 and sample["case_no"] in out


# -- search ------------------------------------------------------------------------------------


def test_search_by_two_character_name(demo_db: Path, sample: dict[str, Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    found = search_json(capsys, demo_db, sample["name2"])
    assert sample["case_no"] in [f["case_no"] for f in found]
    assert all(sample["name2"] in f["names"] for f in found)


def test_search_by_pinyin_initials(demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    initials = pinyin_initials(sample["name3"]).split()[0]  # the first reading when a character has several
    assert len(initials) == 3
    found = search_json(capsys, demo_db, initials)
    assert sample["case_no3"] in [f["case_no"] for f in found]


@pytest.mark.parametrize("field", ["id_number", "phone", "case_no"])
def test_search_by_id_number_phone_and_case_number(
    demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str], field: str
) -> None:
    found = search_json(capsys, demo_db, sample[field])
    assert sample["case_no"] in [f["case_no"] for f in found]


def test_search_by_words_of_the_facts(demo_db: Path, sample: dict[str, Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    phrase = sample["facts"][5:13]
    found = search_json(capsys, demo_db, phrase)
    assert sample["case_no"] in [f["case_no"] for f in found]


def test_search_json_values(demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    [item] = [f for f in search_json(capsys, demo_db, sample["id_number"]) if f["case_no"] == sample["case_no"]]
    assert item["kind"] == "信访"
    assert item["status"] in {"已登记", "已受理", "不予受理", "办理中", "已办结"}
    assert len(item["received_on"]) == 10 and item["received_on"][4] == "-"
    assert item["township"].endswith(("镇", "乡")) and item["category"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_search_prints_an_aligned_table(demo_db: Path, sample: dict[str, Any],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "search", sample["name2"], "--db", str(demo_db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["案件编号", "类型", "当事人", "状态", "收到日期", "乡镇", "问题类别"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    rule = lines[1]
    starts = [i for i in range(len(rule)) if rule[i] == "-" and (i == 0 or rule[i - 1] == " ")]
    body = [line for line in lines[2:] if line.startswith(("信访", "援转", "婚调", "帮扶"))]
    assert body and any(sample["case_no"] in line for line in body)
    for line in body:
        for start in starts[1:]:  # every column starts at the same display position
            prefix = ""
            for ch in line:
                if _width(prefix) >= start:
                    break
                prefix += ch
            assert _width(prefix) == start and line[len(prefix) - 2 : len(prefix)] == "  ", line
    assert lines[-1].startswith("共找到")
    assert "年" in out and "月" in out  # dates shown as 2020年6月26日


def test_search_limit_and_no_result(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    total = len(search_json(capsys, demo_db, "信访"))  # every petition (and what came from one)
    assert total > 50
    code, out, _err = run(capsys, "search", "信访", "--db", str(demo_db), "--limit", "5")
    assert code == 0 and f"共找到{total}件" in out and "前5件" in out
    assert len(json.loads(run(capsys, "search", "信访", "--db", str(demo_db), "--limit", "7", "--json")[1])) == 7
    code, out, _err = run(capsys, "search", "没有这种事情", "--db", str(demo_db))
    assert code == 0 and "没有找到" in out
    assert run(capsys, "search", "没有这种事情", "--db", str(demo_db), "--json")[1].strip() == "[]"


def test_search_never_logs_what_was_searched(demo_db: Path, sample: dict[str, Any],
                                            capsys: pytest.CaptureFixture[str],
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for text in (sample["name2"], sample["id_number"], sample["phone"]):
        run(capsys, "search", text, "--db", str(demo_db))
    for text in (sample["name2"], sample["id_number"], sample["phone"]):
        assert text not in caplog.text
    assert "search" in caplog.text


def test_search_in_a_folder_that_cannot_exist(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "张三", "--db", "/proc/x/y.db")
    assert code == 1 and out == ""
    assert err.startswith("错误：") and "/proc/x/y.db" in err


def test_demo_in_a_folder_that_cannot_be_made(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "demo", "--db", "/proc/x/y.db", "--cases", "3")
    assert code == 1 and err.startswith("错误：") and "数据" in err


def test_damaged_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    code, _out, err = run(capsys, "search", "王", "--db", str(bad))
    assert code == 1 and "损坏" in err


def test_demo_refuses_a_database_with_real_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from fulian_desktop.domain.records import Person, Petition
    from fulian_desktop.services import petitions
    from fulian_desktop.services.context import open_context

    path = tmp_path / "office.db"
    ctx = open_context(path)
    petitions.register(ctx, Petition(
        channel="来访", received_on=dt.date.today(), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
        request="咨询", dv=False, safety_risk=False, receiving_staff="接待员",
    ))
    ctx.close()
    code, _out, err = run(capsys, "demo", "--db", str(path), "--cases", "5")
    assert code == 1 and "真实案件" in err


# -- usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ([], "缺少参数"),
        (["frobnicate"], "没有“frobnicate”这个命令"),
        (["demo", "--db", "x.db"], "缺少参数"),
        (["demo", "--db", "x.db", "--cases", "many"], "案件数应为整数"),
        (["demo", "--db", "x.db", "--cases", "-5"], "案件数应在"),
        (["search", "--db", "x.db"], "缺少参数"),
        (["search", "  ", "--db", "x.db"], "请写上要查找的内容"),
        (["search", "王", "--limit", "0", "--db", "x.db"], "显示条数应在"),
        (["search", "王", "--colour"], "无法识别的参数"),
        (["print"], "缺少参数"),
    ],
)
def test_usage_errors_exit_2_in_chinese(argv: list[str], words: str, capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert words in err and err.startswith("用法有误：")
    assert not (tmp_path / "x.db").exists()


def test_help_is_chinese_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "-h")
    assert code == 0 and "用法：" in out and "demo" in out and "生成演示数据" in out
    code, out, _err = run(capsys, "search", "--help")
    assert code == 0 and "拼音首字母" in out


# -- print -------------------------------------------------------------------------------------


def test_print_an_unknown_case(demo_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "print", "信访〔1999〕第9999号", "--out", str(tmp_path / "x.pdf"),
                         "--db", str(demo_db))
    assert code == 1 and out == ""
    assert err.startswith("错误：") and "找不到" in err and "信访〔1999〕第9999号" in err
    assert not (tmp_path / "x.pdf").exists()


def test_print_a_case_to_a_file(demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str],
                                tmp_path: Path) -> None:
    target = tmp_path / "case.pdf"
    code, out, err = run(capsys, "print", sample["case_no"], "--out", str(target), "--db", str(demo_db))
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in out
    assert not list(tmp_path.glob("*.part"))


def test_print_into_a_folder_with_the_suggested_name(demo_db: Path, sample: dict[str, Any],
                                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ascii_no = sample["case_no"].replace("〔", "[").replace("〕", "]")  # as typed on a keyboard
    code, _out, err = run(capsys, "print", ascii_no, "--out", str(tmp_path), "--db", str(demo_db))
    assert code == 0, err
    [pdf] = list(tmp_path.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("out", ["/proc/x.pdf", "/proc/no/such/folder/x.pdf"])
def test_print_to_a_place_that_cannot_be_written(demo_db: Path, sample: dict[str, Any], out: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "print", sample["case_no"], "--out", out, "--db", str(demo_db))
    assert code == 1
    assert err.startswith("错误：无法保存PDF文件")


# -- consoles and imports ------------------------------------------------------------------------


def test_a_console_that_cannot_show_chinese_gets_question_marks(
    demo_db: Path, sample: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Console(io.TextIOWrapper):  # a terminal (output to a file or a pipe is UTF-8: test_windows_paths.py)
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    narrow = Console(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", narrow)
    assert cli.main(["search", sample["id_number"], "--db", str(demo_db)]) == 0
    narrow.flush()
    text = raw.getvalue().decode("ascii")
    seq = sample["case_no"][-5:-1]  # 信访〔2026〕第0012号 -> 0012
    assert "?" in text and seq in text and "----" in text


def test_main_does_not_import_qt(demo_db: Path) -> None:
    code = (
        "import sys\n"
        "from fulian_desktop.cli import main as cli\n"
        f"rc = cli.main(['search', '王', '--db', {str(demo_db)!r}])\n"
        "assert rc == 0, rc\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NO-QT')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("NO-QT")


def test_module_entry_point(demo_db: Path, sample: dict[str, Any]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fulian_desktop.cli", "search", sample["id_number"], "--db", str(demo_db), "--json"],
        capture_output=True, timeout=120, cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert sample["case_no"] in [f["case_no"] for f in json.loads(done.stdout.decode("utf-8"))]


# -- signing in and the audit trail ----------------------------------------------------------------


def test_commands_sign_in_with_the_environment_or_refuse(
    demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.ENV_PASSWORD, "not-the-password")
    code, out, err = run(capsys, "search", sample["name2"], "--db", str(demo_db))
    assert code == 1 and out == "" and "用户名或密码不正确" in err
    monkeypatch.setenv(cli.ENV_USER, "no-such-user")
    code, _out, err2 = run(capsys, "search", sample["name2"], "--db", str(demo_db))
    assert code == 1 and err2.split("再输错")[0] == err.split("再输错")[0]  # never says whether the name exists
    monkeypatch.delenv(cli.ENV_USER)
    monkeypatch.delenv(cli.ENV_PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: cannot ask
    code, _out, err = run(capsys, "search", sample["name2"], "--db", str(demo_db))
    assert code == 1 and cli.ENV_USER in err and cli.ENV_PASSWORD in err


def test_an_old_unencrypted_database_is_refused_until_set_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fulian_desktop.services.context import open_context

    old = open_context(tmp_path / "old.db")
    old.close()
    code, _out, err = run(capsys, "search", "王", "--db", str(tmp_path / "old.db"))
    assert code == 1 and "图形界面" in err


def test_audit_verify_export_and_what_the_commands_recorded(
    demo_db: Path, sample: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "search", sample["id_number"], "--db", str(demo_db))[0] == 0
    assert run(capsys, "print", sample["case_no"], "--out", str(tmp_path / "a.pdf"), "--db", str(demo_db))[0] == 0
    code, out, err = run(capsys, "audit", "verify", "--db", str(demo_db))
    assert code == 0, err
    assert "审计日志完好" in out
    target = tmp_path / "trail.csv"
    code, out, err = run(capsys, "audit", "export", "--out", str(target), "--db", str(demo_db))
    assert code == 0, err
    text = target.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,时间,用户,事件")
    for word in ("登录", "查找", "打印", "新建案件"):
        assert word in text, word
    assert sample["name2"] not in text and sample["id_number"] not in text and sample["phone"] not in text
