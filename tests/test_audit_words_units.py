"""The audit trail's words and its chain (domain/audit.py), answers worked out by hand (fast: in the mutation
selection): every table and field the trail names is a table and a column the database has, and is named in
Chinese; the chain's messages, the paper checkpoint code, the anchors."""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest
import sqlite_utils

from fulian_desktop.domain import audit as words
from fulian_desktop.domain import corrections, household, mediation, petition, referral
from fulian_desktop.domain.audit import GENESIS, Anchor, Change, Entry, Problem
from fulian_desktop.store import migrate

LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def schema() -> dict[str, set[str]]:
    db = sqlite_utils.Database(memory=True)
    migrate.migrate(db, None)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    return {t: {r[1] for r in db.execute(f'PRAGMA table_info("{t}")').fetchall()} for t in tables}


def test_every_field_the_trail_names_is_a_column_of_its_table_named_in_chinese(schema: dict[str, set[str]]) -> None:
    own = words._table_columns()
    assert set(own) <= set(schema), set(own) - set(schema)
    # the correction forms' words are reused (one word for one thing): their fields need not be columns of the table
    forms = {name for labels in (corrections.PERSON_LABELS, petition.CORRECTION_LABELS, referral.CORRECTION_LABELS,
                                 mediation.LABELS, mediation.PARTY_LABELS, mediation.SESSION_LABELS,
                                 mediation.INVESTIGATION_LABELS, mediation.ITEM_LABELS, mediation.VISIT_LABELS,
                                 household.LABELS, household.MEMBER_LABELS, household.VISIT_LABELS) for name in labels}
    wrong = [(t, c, label) for t, columns in own.items() for c, label in columns.items()
             if (c not in schema[t] and c not in forms) or not label or LATIN.search(label)]
    assert not wrong, wrong


def test_names_of_tables_and_columns() -> None:
    assert words.table_label("visits") == "走访记录"
    assert words.table_label("nosuch") == "其他记录"
    assert words.column_label("petitions", "accepted_on") == "受理日期"
    assert words.column_label("settings", "key") == "设置项"
    assert words.column_label("households", "exit_reason") == "退出原因"
    assert words.column_label("visits", "case_id") == "案件"  # no name of its own there: the common one
    assert words.column_label("nosuch", "status") == "状态"
    assert words.column_label("visits", "nosuch") == "其他项目"


def test_the_tables_own_names_are_gathered_at_the_first_question(monkeypatch: pytest.MonkeyPatch) -> None:
    # gathered once a process: an empty table here is how a new process starts
    monkeypatch.setattr(words, "_COLUMNS", {})
    assert words.column_label("settings", "key") == "设置项"
    assert words.column_label("households", "exit_reason") == "退出原因"


def test_what_an_action_changed_in_words() -> None:
    assert words.field_label("timeline+") == "新增办理经过"
    assert words.field_label("people-") == "删除当事人"
    assert words.field_label("petitions.accepted_on") == "信访的受理日期"
    assert words.field_label("nosuch.x") == "其他记录的其他项目"
    assert words.fields_text(["cases.status", "cases.due_on", "cases.status", "petitions.accepted_on", "timeline+",
                              "visits+", "timeline+", "people-"]) == "案件的状态、期限；信访的受理日期；新增办理经过、走访记录；删除当事人"
    assert words.fields_text(["tasks-"]) == "删除待办事项"
    assert words.fields_text([]) == ""


def test_events_and_operations_in_words() -> None:
    assert words.event_label("case.print") == "打印"
    assert words.event_label("nosuch") == "其他事件"
    assert words.operation_label("") == ""
    assert words.operation_label("session.close") == "退出登录"
    assert words.operation_label("households.log_visit") == "帮扶户：登记走访"
    assert words.operation_label("accounts.lock") == "账号：锁屏"
    assert words.operation_label("statistics.counts") == "统计"  # the work and what was done are one word
    assert words.operation_label("households.nosuch") == "帮扶户：操作"
    assert words.operation_label("nosuch.thing") == "其他：操作"
    assert words.operation_label("nosuch") == "其他：操作"


# --- the chain ------------------------------------------------------------------------------------------------------


def test_the_canonical_form() -> None:
    assert words.canonical({"b": 1, "a": "王", "c": [None, True]}) == '{"a":"王","b":1,"c":[null,true]}'
    assert words.canonical([b"\x00\xff", bytearray(b"\x01"), memoryview(b"\x02")]) == (
        '[{"bytes":"00ff"},{"bytes":"01"},{"bytes":"02"}]')
    with pytest.raises(TypeError) as e:
        words.canonical({"a": {1, 2}})
    assert str(e.value) == "cannot put set into the audit trail"
    assert words.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert words.sha256("王") == hashlib.sha256("王".encode()).hexdigest()


def test_the_hash_of_a_record_history() -> None:
    c = Change("cases", 1, "U", "status", "registered", "accepted")
    assert c.as_list() == ["cases", 1, "U", "status", "registered", "accepted"]
    assert Change("people", 2, "I").as_list() == ["people", 2, "I", "", None, None]
    assert words.history_hash([c]) == hashlib.sha256(
        b'[["cases",1,"U","status","registered","accepted"]]').hexdigest()
    assert words.history_hash([]) == ""


def entry(n: int, prev: str = GENESIS, **kw: object) -> Entry:
    e = Entry(id=n, at=f"2026-03-10T09:0{n}:00", actor_id=1, actor="liufang", event="case.update", prev_hash=prev)
    for key, value in kw.items():
        setattr(e, key, value)
    e.hash = e.compute_hash()
    return e


def test_an_entry_s_hash_covers_every_chained_column() -> None:
    e = Entry(id=3, at="2026-03-10T09:00:00", actor_id=None, actor="liufang", event="login", operation="accounts.sign_in",
              case_id=7, target="case:7", detail='{"a":1}', result="failed", history_hash="h", prev_hash="p",
              case_no="x", actor_name="刘芳")
    assert e.chained_fields() == [3, "2026-03-10T09:00:00", None, "liufang", "login", "accounts.sign_in", 7, "case:7",
                                  '{"a":1}', "failed", "h", "p"]
    assert e.compute_hash() == hashlib.sha256(
        b'[3,"2026-03-10T09:00:00",null,"liufang","login","accounts.sign_in",7,"case:7","{\\"a\\":1}","failed","h","p"]'
).hexdigest()
    assert (Entry(1, "t", 1, "a", "e").detail, Entry(1, "t", 1, "a", "e").result) == ("{}", "ok")


@pytest.mark.parametrize(("detail", "details"), [
    ('{"a": 1}', {"a": 1}), ("{}", {}), ("", {}), ("not json", {}), ("[1]", {}),
], ids=["dict", "empty-dict", "empty", "not-json", "list"])
def test_an_entry_s_details(detail: str, details: dict[str, object]) -> None:
    assert Entry(1, "t", 1, "a", "e", detail=detail).details() == details


def test_a_whole_chain_passes() -> None:
    e1 = entry(1)
    e2 = entry(2, e1.hash, history_hash="hh")
    assert words.check_chain([e1, e2], {2: "hh"}, (2, e2.hash)) == []
    assert words.check_chain([], {}, (0, "")) == []
    assert words.check_chain([], {}, (0, "XXXX")) == []  # an end at 0 has no hash to compare


def test_what_the_chain_says_of_each_break() -> None:
    e1 = entry(1)
    e2 = entry(2, e1.hash)
    e4 = entry(4, e2.hash)
    assert words.check_chain([e1, e4], {}, (4, e4.hash)) == [Problem(4, "第2条到第3条记录不见了（被删除）"),
                                                              Problem(4, "第4条与前一条记录接不上（前面的记录被修改或删除）")]
    changed = entry(2, e1.hash)
    changed.actor = "someone"
    assert words.check_chain([e1, changed], {}, (2, changed.hash)) == [Problem(2, "第2条记录被修改过")]
    assert words.check_chain([e1, e2], {1: "x"}, (2, e2.hash)) == [
        Problem(1, "第1条记录的修改历史（字段的原值和新值）被改动过")]
    assert words.check_chain([e1, e2], {}, (5, "h5")) == [Problem(3, "最后的第3条到第5条记录不见了（被删除）")]
    assert words.check_chain([], {}, (2, "h2")) == [Problem(1, "最后的第1条到第2条记录不见了（被删除）")]
    assert words.check_chain([e1, e2], {}, (1, e1.hash)) == [Problem(2, "审计日志的结尾记号与记录不符（记录被改动）")]
    assert words.check_chain([e1, e2], {}, (2, e1.hash)) == [Problem(2, "审计日志的结尾记号与记录不符（记录被改动）")]


# --- anchors ------------------------------------------------------------------------------------------------------------


def test_the_key_file_anchor_s_mac() -> None:
    key = b"k" * 32
    expected = hmac.new(key, f"fulian-desktop audit anchor|5|{'a' * 64}|2026-03-10T09:30:00".encode(),
                        hashlib.sha256).hexdigest()
    assert words.anchor_mac(key, 5, "a" * 64, "2026-03-10T09:30:00") == expected
    assert words.anchor_mac(b"j" * 32, 5, "a" * 64, "2026-03-10T09:30:00") != expected


def test_the_paper_checkpoint_code() -> None:
    h = "3f2a9c0177be0d4e" + "0" * 48
    assert words.checkpoint_code(1234, h) == "1234-3F2A-9C01-77BE-0D4E"
    assert words.parse_checkpoint(" 第1234条 3F2A-9C01-77BE-0D4E ") == (1234, "3f2a9c0177be0d4e")
    assert words.parse_checkpoint("1234—3f2a－9c01 77be0d4e") == (1234, "3f2a9c0177be0d4e")
    assert words.parse_checkpoint("7-3F2A9C0177BE0D4E") == (7, "3f2a9c0177be0d4e")


@pytest.mark.parametrize("typed", ["1234-3F2A-9C01-77BE-0D4", "1234-3F2A-9C01-77BE-0D4EE", "1234-3F2A-9C01-77BE-0D4G",
                                   "X234-3F2A-9C01-77BE-0D4E", "-3F2A-9C01-77BE-0D4E", ""],
                         ids=["short", "long", "not-hex", "letter-in-number", "no-number", "empty"])
def test_an_unreadable_checkpoint_code(typed: str) -> None:
    with pytest.raises(ValueError) as e:
        words.parse_checkpoint(f" {typed} ")
    assert str(e.value) == f"核对码“{typed}”的格式不对，应像 1234-3F2A-9C01-77BE-0D4E"


def test_the_chain_compared_with_its_anchors() -> None:
    stored = {1: "a" * 64, 2: "b" * 64, 3: "c" * 64}
    at = "2026-03-10T09:30:45"
    anchors = [Anchor(3, "c" * 64, at, "自动备份"), Anchor(1, "a" * 64, at, "密钥文件"), Anchor(0, GENESIS, at, "密钥文件"),
               Anchor(2, "b" * 16, at, "纸质核对码")]
    assert words.check_anchors(anchors, stored.get, 3) == (3, [])
    assert words.check_anchors([Anchor(0, GENESIS, at, "密钥文件")], stored.get, 3) == (0, [])
    assert words.check_anchors([Anchor(5, "e" * 64, at, "密钥文件"), Anchor(1, "a" * 64, at, "密钥文件")], stored.get, 3) == (
        1, [Problem(5, "密钥文件（2026-03-10 09:30）记下审计日志已有5条记录，现在只有3条：第4条起的记录被删除")])
    changed = "第2条记录与纸质核对码（2026-03-10 09:30）记下的不一致：这条或它之前的记录被改写过"
    assert words.check_anchors([Anchor(2, "c" * 16, at, "纸质核对码")], stored.get, 3) == (0, [Problem(2, changed)])
    assert words.check_anchors([Anchor(2, "b" * 15, at, "纸质核对码")], stored.get, 3) == (0, [Problem(2, changed)])
    assert words.check_anchors([Anchor(3, "b" * 64, at, "自动备份"), Anchor(2, "b" * 64, at, "自动备份")], stored.get, 3) == (
        2, [Problem(3, "第3条记录与自动备份（2026-03-10 09:30）记下的不一致：这条或它之前的记录被改写过")])


def test_json_details_round_trip() -> None:
    assert json.loads(words.canonical({"甲": 1})) == {"甲": 1}
