"""The audit trail speaks the office's language: every event, record (table), field and operation the program
can write is shown in Chinese — in the viewer, its history pane and the CSV export — never 新增visits,
表格：referral, households.log_visit or 案件.期限.

The names are taken from the program itself: the tables and columns of a freshly migrated database (what the
capture triggers record), the events passed to the audit store anywhere in the code, every service function
(an entry's operation), the permissions (what a refusal names), the settings and lists the program writes."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import importlib
import inspect
import io
import json
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextTable

import fulian_desktop
import fulian_desktop.services as services_pkg
from fulian_desktop.domain import audit as words
from fulian_desktop.domain.household import Visit
from fulian_desktop.domain.kinds import KINDS
from fulian_desktop.domain.permissions import ALL_PERMISSIONS
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.security.audit_view import AuditDialog
from fulian_desktop.gui.shell import dialogs
from fulian_desktop.gui.shell.main_window import MainWindow
from fulian_desktop.paths import db_dir
from fulian_desktop.services import accounts, audit, backup, households, lists, petitions, printing, settings
from fulian_desktop.services.context import Context
from fulian_desktop.store import audit as audit_store
from fulian_desktop.store.connection import open_database

from .conftest import Clock

PACKAGE = Path(fulian_desktop.__file__).parent
LATIN = re.compile(r"[A-Za-z]")
DOTTED = re.compile(r"[\u4e00-\u9fff]\.[\u4e00-\u9fff]")  # 案件.期限


ALLOWED = ("U盘", "Excel", "WPS", "CSV", "PDF")  # the words the office itself uses


def chinese(text: str) -> bool:
    for word in ALLOWED:
        text = text.replace(word, "")
    return bool(text) and not LATIN.search(text) and not DOTTED.search(text)


def sources() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(PACKAGE)), ast.parse(p.read_text(encoding="utf-8")))
            for p in sorted(PACKAGE.rglob("*.py")) if "generated" not in p.parts]


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def events_in_the_code() -> set[str]:
    """Every event name the program hands to the audit trail: ctx.record("…"), audit_store.append(db, at, actor,
    "…"), ctx.action(event="…") and flush(…, event="…"), and the events store/audit.py gives to changes."""
    found: set[str] = set()
    for name, tree in sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            positional = {"record": 0, "append": 3, "action": 0}.get(func)
            if positional is not None and len(node.args) > positional and (ev := _text(node.args[positional])):
                if func != "append" or name.endswith("audit.py") or "audit_store" in ast.unparse(node.func):
                    found.add(ev)
            for kw in node.keywords:
                if kw.arg == "event" and (ev := _text(kw.value)) and func in ("action", "flush", "append"):
                    found.add(ev)
        if name == "store/audit.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_EVENTS")
                                                        for t in node.targets) and isinstance(node.value, ast.Dict):
                    found |= {v for v in map(_text, node.value.values) if v}
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "event" in t.id
                                                        for t in node.targets):
                    found |= {v for v in (_text(n) for n in ast.walk(node.value)) if v and "." in v}
                if isinstance(node, ast.Return) and (ev := _text(node.value)) and ev.startswith("account."):
                    found.add(ev)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                        and len(node.args) == 2 and (ev := _text(node.args[1])):
                    found.add(ev)
    return found


def operations_in_the_code() -> set[str]:
    """Every operation an entry can carry: each function of the services (the one that started the action or
    was refused), the operations written out by name, and the functions outside the services that start an
    action themselves (the demo)."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"fulian_desktop.services.{info.name}")
        for name, f in inspect.getmembers(module, inspect.isfunction):
            if f.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    for name, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "operation":
                if (op := _text(node.value)):
                    found.add(op)
                elif isinstance(node.value, ast.JoinedStr) and ast.unparse(node.value) == "f'{kind}.view'":
                    found |= {f"{kind}.view" for kind in KINDS}
        if not name.startswith("services/"):
            for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
                if any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                       and c.func.attr in ("action", "record") and ast.unparse(c.func.value) == "ctx"
                       for c in ast.walk(fn)):
                    found.add(f"{Path(name).stem}.{fn.name}")
    return found


def values_of(key: str) -> set[str]:
    """The words the code puts under `key` in an entry's detail ("via", "by") or passes as `key=`."""
    found: set[str] = set()
    for _name, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if k is not None and _text(k) == key and (text := _text(v)):
                        found.add(text)
            if isinstance(node, ast.keyword) and node.arg == key and (text := _text(node.value)):
                found.add(text)
            if isinstance(node, ast.FunctionDef):
                args = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
                defaults += list(node.args.kw_defaults)
                for arg, default in zip(args, defaults, strict=True):
                    if arg.arg == key and (text := _text(default)):
                        found.add(text)
    return found


# --- the words, walked from the program -----------------------------------------------------------------


def test_every_table_and_field_the_triggers_record_has_a_chinese_name(tmp_path: Path) -> None:
    db = open_database(tmp_path / "schema.db")
    try:
        tables = audit_store._tracked_tables(db)
        columns = {t: [r[1] for r in db.execute(f'PRAGMA main.table_info("{t}")').fetchall()
                       if r[1] not in audit_store._SKIP_COLUMNS] for t in tables}
    finally:
        db.close()
    assert "visits" in tables and "referrals" in tables
    missing = []
    for table, cols in columns.items():
        for name in (f"{table}+", f"{table}-", *(f"{table}.{c}" for c in cols)):
            label = words.field_label(name)
            if not chinese(label) or words.UNKNOWN_TABLE in label or words.UNKNOWN_COLUMN in label:
                missing.append((name, label))
    assert not missing, f"give these a name in domain/audit.py: {missing}"
    assert words.field_label("cases.due_on") == "案件的期限"
    assert words.fields_text(["visits+", "tasks+", "cases.due_on", "cases.due_label"]) == \
        "案件的期限、期限事项；新增走访记录、待办事项"


def test_every_event_the_program_writes_has_a_chinese_name() -> None:
    events = events_in_the_code()
    assert {"login", "case.create", "case.status", "person.change", "setting.change", "denied", "backup",
            "account.add", "data.change", "list.change"} <= events, events
    missing = sorted(e for e in events if e not in words.EVENT_LABELS or not chinese(words.event_label(e)))
    assert not missing, f"give these events a name in domain/audit.py EVENT_LABELS: {missing}"


def test_every_operation_has_a_chinese_name() -> None:
    operations = operations_in_the_code()
    assert {"households.log_visit", "accounts.sign_in", "session.close", "petition.view", "generate.generate"} \
        <= operations
    missing = []
    for op in sorted(operations):
        module, _, name = op.partition(".")
        label = words.operation_label(op)
        known = module in words.OPERATION_MODULES and (op in words.OPERATION_LABELS or name in words.OPERATION_WORDS)
        if not known or not chinese(label):
            missing.append((op, label))
    assert not missing, f"give these operations a name in domain/audit.py: {missing}"
    assert words.operation_label("households.log_visit") == "帮扶户：登记走访"


def test_what_an_entry_is_about_is_said_in_words() -> None:
    seeds = json.loads((db_dir() / "seed" / "lists.json").read_text(encoding="utf-8"))
    targets = [
        "account:3", "person:12", "visit:7", "people", "cases", "case_list.xlsx", "statistics.xlsx", "2026-03",
        "staff_phone:王芳", "import.layout.0123456789abcdef0123",
        *(f"lists:{name}" for name in seeds if not name.startswith("_")),
        *(f"{kind}.xlsx" for kind in KINDS), *sorted(ALL_PERMISSIONS),
        *(t for t in words.TABLE_LABELS),
    ]
    wrong = [(t, audit.target_label(t)) for t in targets if not chinese(audit.target_label(t))]
    assert not wrong, wrong
    assert audit.target_label("account:3") == "账号（编号3）"
    assert audit.target_label("petition.extend") == "延期审批"
    assert audit.target_label("E:\\备份（OSError）") == "E:\\备份（读写出错）"  # an entry written before this change
    from fulian_desktop import documents

    forms = [*documents.kinds(), "statistics"]
    assert not [(f, audit.form_title(f)) for f in forms if not chinese(audit.form_title(f))]
    ways = values_of("via") | values_of("by")
    assert {"gui", "cli", "first_start", "recovery", "self", "admin"} <= ways
    assert not [w for w in ways if not chinese(audit._WORDS.get(w, w))], ways - set(audit._WORDS)


def test_every_setting_the_program_writes_is_named(ctx: Context, tmp_path: Path) -> None:
    from fulian_desktop.demo import generate as demo
    from fulian_desktop.services import mediations

    demo.generate(ctx, 60, seed=3)
    settings.set_office_name(ctx, "东山县妇联")
    backup.set_password(ctx, "备份密码-2026", "备份密码-2026")
    backup.set_options(ctx, keep=5, warn_days=10)
    accounts.set_idle_minutes(ctx, 15)
    mediations.set_committee(ctx, "东山县人民调解委员会", "东调")
    folder = tmp_path / "stick"
    folder.mkdir()
    backup.make_backup(ctx, folder)
    keys = [r[0] for r in ctx.db.execute("SELECT key FROM settings").fetchall()]
    assert {"office_name", "backup_key", "last_backup_at", "mediation.committee"} <= set(keys)
    wrong = [(k, audit.target_label(k)) for k in keys if not k.startswith("staff_phone:")
             and not chinese(audit.target_label(k))]
    assert not wrong, wrong


# --- the viewer and the export, as the 主任 reads them --------------------------------------------------------


def register(ctx: Context, name: str) -> int:
    case_id, _no = petitions.register(ctx, Petition(
        channel="来访", received_on=ctx.today(), headcount=1, township="东山镇", village="",
        petitioner=Person(name=name, sex="女", phone="13912345678"), concerned=None, category="婚姻家庭",
        subcategory="", facts="丈夫不给生活费。", request="要求支付抚养费", dv=False, safety_risk=False,
        receiving_staff="接待员"))
    return case_id


@pytest.fixture
def worked(ctx: Context, clock: Clock, tmp_path: Path) -> Context:
    """A morning's work: a petition registered, accepted, handled and concluded and printed; a household
    visited with a follow-up promised; a list, the office name, the backup password, a new account; a backup
    that failed; a mediator's attempt to register a petition, refused."""
    from fulian_desktop.demo import generate as demo

    demo.generate(ctx, 40, seed=2)
    case_id = register(ctx, "郑秋菊")
    petitions.accept(ctx, case_id, on=ctx.today())
    petitions.set_handling(ctx, case_id, "当场答复", "", "已联系其丈夫，约定下周调解。")
    petitions.conclude(ctx, case_id, "已督促其丈夫按月支付抚养费。", "支持", ctx.today())
    printing.print_case(ctx, case_id)
    household = ctx.db.execute("SELECT id FROM cases WHERE kind = 'household' AND is_open = 1").fetchone()[0]
    households.log_visit(ctx, household, Visit(
        visited_on=ctx.today(), visitors="王芳", kind="visit", seen="家中整洁", asked="孩子上学有困难",
        promised="联系教育局了解助学金", promise_due=ctx.today() + dt.timedelta(days=5)))
    lists.add(ctx, "staff", "王芳")
    settings.set_office_name(ctx, "东山县妇联")
    backup.set_password(ctx, "备份密码-2026", "备份密码-2026")
    accounts.add_account(ctx, "tiaojie", "调解员甲", {"mediator"}, "mediator-pass-1")
    backup.failed(ctx, tmp_path / "stick", OSError("device"))
    assert ctx.path is not None
    mediator = accounts.sign_in(ctx.path, "tiaojie", "mediator-pass-1", clock=clock)
    try:
        with pytest.raises(Exception, match="没有权限"):
            register(mediator, "李某")
    finally:
        mediator.close()
    return ctx


def history_fields(d: Any) -> list[str]:
    """The 字段 column of the history pane's table."""
    out = []
    for frame in d.history.document().rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            for row in range(1, frame.rows()):
                cursor = frame.cellAt(row, 0).firstCursorPosition()
                cursor.setPosition(frame.cellAt(row, 0).lastCursorPosition().position(), cursor.MoveMode.KeepAnchor)
                out.append(cursor.selectedText())
    return out


def test_the_director_reads_every_entry_in_chinese(qtbot: Any, worked: Context, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    window = MainWindow(worked)
    qtbot.addWidget(window)
    window.show()
    assert window.security is not None and window.security.audit_action is not None
    window.security.audit_action.trigger()  # 账号与安全 → 审计日志…
    d = window.security.last_dialog
    assert isinstance(d, AuditDialog) and d.isVisible()
    model = d.model
    assert model.rowCount() >= 15
    seen_events, seen_operations = set(), set()
    d.table.setFocus()
    d.table.selectRow(0)
    for row in range(model.rowCount()):
        if row:
            qtbot.keyClick(d.table, Qt.Key.Key_Down)  # she walks down the trail; the pane shows each change
        assert d.table.currentIndex().row() == row
        e = model.row_at(row)
        cells = {h: model.index(row, c).data() or "" for c, h in enumerate(model.HEADERS)}
        for column in ("事件", "说明", "结果"):
            assert not cells[column] or chinese(cells[column]), (column, cells[column], e.event, e.detail)
        if not e.target.startswith(str(tmp_path)):  # a folder is shown as it is
            assert not cells["对象"] or chinese(cells["对象"]), (cells["对象"], e.target)
        header = d.history.toPlainText().splitlines()[0]
        operation = header.split("\u3000")[-1]
        assert not e.operation or chinese(operation), (header, e.operation)
        for label in history_fields(d):
            assert chinese(label), (label, e.event)
        seen_events.add(e.event)
        seen_operations.add(e.operation)
    assert {"case.create", "case.status", "case.print", "setting.change", "list.change", "account.add",
            "denied", "backup", "login"} <= seen_events, seen_events
    assert "households.log_visit" in seen_operations and "petitions.register" in seen_operations

    # the visit: its records and fields in words
    visit_row = next(r for r in range(model.rowCount()) if model.row_at(r).operation == "households.log_visit")
    d.table.selectRow(visit_row)
    said_there = model.index(visit_row, 6).data()
    assert said_there.startswith("改动：") and "新增" in said_there, said_there
    assert "走访记录" in said_there and "待办事项" in said_there and "visits" not in said_there
    assert "帮扶户：登记走访" in d.history.toPlainText()
    refused = next(r for r in range(model.rowCount()) if model.row_at(r).event == "denied")
    assert model.index(refused, 5).data() == "登记和办理信访"

    # the CSV she gives the county: the same words
    target = tmp_path / "审计日志.csv"
    monkeypatch.setattr(dialogs, "save_path", lambda *_a, **_k: str(target))
    shown = model.rowCount()
    qtbot.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == shown
    for r in rows:
        for column in ("事件", "操作", "说明", "结果"):
            assert not r[column] or chinese(r[column]), (column, r)
        if not r["对象"].startswith(str(tmp_path)):
            assert not r["对象"] or chinese(r["对象"]), r
    assert any(r["操作"] == "帮扶户：登记走访" for r in rows)
    d.close()
