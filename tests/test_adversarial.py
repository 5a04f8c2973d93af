"""The hostile-input scripts of issue 16, at a small scale and with a fixed seed: hundreds of hostile values —
control characters, zero-width characters, direction overrides, lone surrogates, huge text, formula-looking
text, markup, absurd dates, values of the wrong type — through every register and correct of the four kinds, and
through the import of CSV and xlsx registers. Whatever comes in:

- nothing is raised but the domain's ValidationError / FulianError, with a message in Chinese;
- nothing is stored that is not in the program's normal form (domain/text.py) and within its limit;
- every stored record prints (or is refused naming the character the print font lacks) and every register
  exports, with no formula in it.

Every person here is made up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from fulian_desktop.domain import limits
from fulian_desktop.domain.errors import FulianError
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.referral import Consent, Referral
from fulian_desktop.domain.text import SINGLE_LINE
from fulian_desktop.reports import reading
from fulian_desktop.reports.registers import EXPORT_KINDS
from fulian_desktop.services import exchange, households, mediations, petitions, printing, referrals
from fulian_desktop.services.context import Context

from .test_documents import make_petition
from .test_households import a_household, a_visit
from .test_mediations import form as a_mediation
from .test_mediations import session as a_session
from .test_referrals import direct as a_referral

SEED = 20260316
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORMULAS = ("=1+2", "=HYPERLINK(\"http://example.invalid\",\"点我\")", "+SUM(A1:A9)", "-2+3", "@cmd",
            "=cmd|' /C calc'!A0", "=1+2")
MARKUP = ("<b>王芳</b>", "A&B <C>", "'; DROP TABLE cases; --", "%s%n{0}", "\\x00", "</>")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Hostile:
    """Hostile variants of a value, from a seeded generator (the same every run)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.count = 0

    def _sprinkle(self, base: str, chars: str) -> str:
        out = list(base or "王")
        for _ in range(self.r.randint(1, 4)):
            out.insert(self.r.randint(0, len(out)), self.r.choice(chars))
        return "".join(out)

    def text(self, base: str, most: int) -> str:
        """One hostile variant of `base` (a value the field takes), for a field of at most `most` characters."""
        self.count += 1
        r = self.r
        kind = r.choice(("controls", "zero_width", "overrides", "surrogate", "huge", "invisible", "formula",
                         "markup", "spaces", "lines", "emoji", "rare", "combining", "fullwidth", "past"))
        if kind == "controls":
            return self._sprinkle(base, CONTROLS)
        if kind == "zero_width":
            return self._sprinkle(base, ZERO_WIDTH)
        if kind == "overrides":
            return self._sprinkle(base, OVERRIDES)
        if kind == "surrogate":
            return self._sprinkle(base, "\ud800\udfff")
        if kind == "huge":
            return (base or "很") * (most // max(len(base), 1) + r.randint(1, 3)) + "很" * r.randint(1, 50_000)
        if kind == "invisible":
            return "".join(r.choice(ZERO_WIDTH + OVERRIDES + "\x00 \t\u3000") for _ in range(r.randint(1, 9)))
        if kind == "formula":
            return r.choice(FORMULAS)
        if kind == "markup":
            return r.choice(MARKUP)
        if kind == "spaces":
            return f" \t\u3000{base}  \u00a0 "
        if kind == "lines":
            return (base or "事") + "\r\n第二行\r第三行\n\n"
        if kind == "emoji":
            return base + "😀"  # stored; the print font has no glyph for it
        if kind == "rare":
            return base + "𠇔䶮喆"
        if kind == "combining":
            return base + "e\u0301\u0061\u030a"
        if kind == "fullwidth":
            return base.translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ＡＢＣ"
        return base + "很" * max(most - len(base) + 1, 1)  # one past the limit


def _text_fields(record: Any, skip: tuple[str, ...]) -> Iterator[tuple[Any, str]]:
    """(record, field) for every text field of `record` and of the records inside it that a form edits."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name in skip:
            continue
        if _editable(value):
            yield from _text_fields(value, skip)
        elif isinstance(value, list) and value and _editable(value[0]):
            for item in value:
                yield from _text_fields(item, skip)
        elif isinstance(value, str):
            yield record, f.name


def hostile_record(h: Hostile, record: Any, skip: tuple[str, ...] = ()) -> Any:
    """`record` with one or two of its text fields (or of the records inside it) made hostile."""
    fields = list(_text_fields(record, skip))
    for owner, name in h.r.sample(fields, min(len(fields), h.r.choice((1, 1, 2)))):
        setattr(owner, name, h.text(getattr(owner, name), limits.of(type(owner)).get(name, ("", 200))[1]))
    return record


def _editable(value: Any) -> bool:
    """A record inside a record that the form edits (not a frozen value such as a care list's field)."""
    return dataclasses.is_dataclass(value) and not isinstance(value, type) and \
        not value.__dataclass_params__.frozen  # type: ignore[attr-defined]


# --- what is stored ------------------------------------------------------------------------------------------


def _texts(value: Any, name: str = "", owner: type | None = None) -> Iterator[tuple[type | None, str, str]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name), f.name, type(value))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _texts(v, name, owner)
    elif isinstance(value, str):
        yield owner, name, value


def not_normal(record: Any) -> list[str]:
    """What in a stored record is not in the program's normal form, or longer than its field takes."""
    problems = []
    for owner, name, value in _texts(record):
        where = f"{owner.__name__ if owner else '?'}.{name}={value[:30]!r}"
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(f"surrogate in {where}")
        if not unicodedata.is_normalized("NFC", value):
            problems.append(f"not NFC: {where}")
        if any(unicodedata.category(c) in ("Cc", "Cf") and c != "\n" for c in value):
            problems.append(f"control or format character in {where}")
        if "\n" in value and name in SINGLE_LINE:
            problems.append(f"line break in a one-line field: {where}")
        if owner is not None and name in limits.of(owner) and len(value) > limits.of(owner)[name][1]:
            problems.append(f"longer than its limit: {where}")
    return problems


def refusal_is_for_the_user(e: Exception) -> None:
    assert isinstance(e, FulianError), f"{type(e).__name__}: {e}"
    assert CHINESE.search(str(e)), f"not a message for the user: {e!r}"


def attempt(call: Callable[..., Any], *args: Any) -> Any:
    """Call a service with hostile input: its result, or None after a refusal with a message for the user."""
    try:
        return call(*args)
    except Exception as e:  # noqa: BLE001 - what the test is about
        refusal_is_for_the_user(e)
        return None


# --- through the services ------------------------------------------------------------------------------------


ROUNDS = 60  # per kind: a register, and a correction of what was stored


def _kinds(ctx: Context) -> dict[str, tuple[Callable[[], Any], Callable[[Context, Any], Any],
                                           Callable[[Context, int, Any], Any], Callable[[Context, int], Any]]]:
    """kind -> (a good form, register, correct, get)."""
    serial = iter(range(1, 10_000))

    def petition() -> Petition:
        n = next(serial)
        p = make_petition()
        p.petitioner.id_number = make_id_number("430999", dt.date(1980, 1, 1), n, female=True)
        p.petitioner.birth_date = None
        return p

    def referral() -> Referral:  # with her consent: its letter prints
        r = a_referral(ctx)
        r.consent = Consent(r.referred_on)
        return r

    return {
        "petition": (petition, petitions.register, lambda c, i, f: petitions.correct(c, i, f, "更正"), petitions.get),
        "referral": (referral, referrals.refer, lambda c, i, f: referrals.correct(c, i, f, "更正"), referrals.get),
        "mediation": (lambda: a_mediation(ctx), mediations.open_mediation,
                      lambda c, i, f: mediations.correct(c, i, f, "更正"), mediations.get),
        "household": (lambda: a_household(ctx, head=dataclasses.replace(a_household(ctx).head, person=Person(
            name="王秀英", sex="女", id_number=make_id_number("430999", dt.date(1970, 1, 1), next(serial), female=True)
        )), members=[]), households.register, lambda c, i, f: households.correct(c, i, f, "更正"), households.get),
    }


def test_hostile_text_through_every_register_and_correct(ctx: Context, tmp_path: Path) -> None:
    h = Hostile(SEED)
    stored: list[int] = []
    skip = ("id", "status", "case_no", "care_list", "rhythm", "timeline", "links", "documents", "finding")
    for good, register, correct, get in _kinds(ctx).values():
        for _ in range(ROUNDS):
            saved = attempt(register, ctx, hostile_record(h, good(), skip=skip))
            if saved is None:
                continue
            case_id = saved[0]
            stored.append(case_id)
            assert not not_normal(get(ctx, case_id)), not_normal(get(ctx, case_id))
            if attempt(correct, ctx, case_id, hostile_record(h, get(ctx, case_id), skip=skip)) is not None:
                assert not not_normal(get(ctx, case_id)), not_normal(get(ctx, case_id))
    # a mediation's session and a household's visit, added and corrected
    mediation, _ = mediations.open_mediation(ctx, a_mediation(ctx))
    household, _ = households.register(ctx, a_household(ctx, head=dataclasses.replace(
        a_household(ctx).head, person=Person(name="李秀兰", sex="女")), members=[]))
    stored += [mediation, household]
    for _ in range(ROUNDS):
        if attempt(mediations.add_session, ctx, mediation, hostile_record(h, a_session(ctx.today()), skip=skip)):
            saved_session = mediations.get(ctx, mediation).sessions[-1]
            attempt(mediations.correct_session, ctx, mediation, saved_session.id or 0,
                    hostile_record(h, dataclasses.replace(saved_session), skip=skip), "更正")
        result = attempt(households.log_visit, ctx, household, hostile_record(h, a_visit(ctx.today()), skip=skip))
        if result is not None:
            _h, saved_visit = households.visit(ctx, result.visit_id)
            attempt(households.correct_visit, ctx, result.visit_id,
                    hostile_record(h, dataclasses.replace(saved_visit), skip=skip), "更正")
    assert not not_normal(mediations.get(ctx, mediation)) and not not_normal(households.get(ctx, household))
    assert h.count >= 300, h.count  # hundreds of hostile values went in
    assert len(stored) >= 20  # and many records came through, normalised
    everything_prints_and_exports(ctx, stored, tmp_path)


def everything_prints_and_exports(ctx: Context, case_ids: list[int], tmp_path: Path) -> None:
    for case_id in case_ids:
        try:
            pdf, _ = printing.print_case(ctx, case_id)
        except FulianError as e:  # a character the print font lacks (an emoji): named, never a blank box
            assert "无法打印" in str(e) and "U+" in str(e), str(e)
            continue
        assert pdf.startswith(b"%PDF")
    for kind in EXPORT_KINDS:
        target = tmp_path / f"{kind}.xlsx"
        exchange.export_register(ctx, kind, target, mask=False)
        wb = load_workbook(target)
        formulas = [c.coordinate for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"]
        assert formulas == [], (kind, formulas[:5])


# --- through the import ----------------------------------------------------------------------------------------


HEADERS = ["收到日期", "信访方式", "姓名", "身份证号", "联系电话", "乡镇", "村（社区）", "问题类别", "具体问题",
           "事情经过", "诉求"]


def good_row(i: int) -> list[Any]:
    return [dt.date(2025, 1 + i % 12, 1 + i % 28), ("来信", "来电", "来访")[i % 3], f"导入{i}",
            make_id_number("439021", dt.date(1980, 1, 1) + dt.timedelta(days=i), i % 999, female=True),
            f"139{i:08d}", "东山镇", "石桥村", "婚姻家庭", "家庭纠纷", f"第{i}件：夫妻争吵。", "希望调解。"]


WRONG_TYPES: tuple[Any, ...] = (12345, 3.14159, True, dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 8, 30), 4.39e17, -1,
                                "明天", "2026-02-30", "0001-01-01", "9999-12-31", "1800-01-01", "")


def hostile_rows(h: Hostile, n: int, *, cells_for_xlsx: bool) -> list[list[Any]]:
    rows = []
    for i in range(n):
        row = good_row(i)
        for col in range(len(row)):
            roll = h.r.random()
            if roll < 0.04:
                row[col] = h.r.choice(WRONG_TYPES)
            elif roll < 0.2:
                text = h.text(str(row[col]), 5000)[:30_000]  # (a cell beyond 32767 refuses the whole file)
                if cells_for_xlsx:  # what a spreadsheet can hold: no surrogate, no control character as such
                    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
                    text = "".join(f"_x{ord(c):04X}_" if unicodedata.category(c) == "Cc" and c not in "\t\n\r"
                                   else c for c in text)
                row[col] = text
        rows.append(row)
    return rows


def csv_bytes(rows: list[list[Any]]) -> bytes:
    """A CSV as a broken program writes it: UTF-8, with a lone surrogate's bytes (ED A0 80) here and there."""
    out = io.BytesIO()
    out.write(",".join(HEADERS).encode("utf-8") + b"\r\n")
    for row in rows:
        cells = []
        for v in row:
            text = str(v).replace('"', '""')
            data = text.encode("utf-8", "surrogatepass")
            cells.append(b'"' + data + b'"')
        out.write(b",".join(cells) + b"\r\n")
    return out.getvalue()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """An .xlsx whose text cells hold what openpyxl itself would refuse to write: written as placeholders, then
    put straight into the sheet's XML (a control character escaped as Excel escapes it: _x001B_)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    texts: dict[str, str] = {}
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if isinstance(v, str) and v:
                key = f"@@{r}_{c}@@"
                texts[key] = v
                v = key
            cells.append(v)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                xml = data.decode("utf-8")
                for key, v in texts.items():
                    escaped = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    xml = xml.replace(f"<t>{key}</t>", f'<t xml:space="preserve">{escaped}</t>')
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    return packed.getvalue()


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_hostile_registers_import_nothing_unclean(ctx: Context, tmp_path: Path, form: str) -> None:
    h = Hostile(SEED + (1 if form == "xlsx" else 0))
    rows = hostile_rows(h, 100, cells_for_xlsx=form == "xlsx")
    path = tmp_path / f"台账.{form}"
    path.write_bytes(csv_bytes(rows) if form == "csv" else xlsx_bytes(rows))
    try:
        source = exchange.read(path)
    except reading.ImportFileError as e:  # the whole file refused (a cell beyond any register): said why
        refusal_is_for_the_user(e)
        pytest.fail(f"the file should be readable row by row: {e}")
    mapping = reading.guess_mapping("petition", source.headers)
    for write in (False, True):
        try:
            report = (exchange.import_rows if write else exchange.check)(ctx, source, "petition", mapping)
        except Exception as e:  # noqa: BLE001
            refusal_is_for_the_user(e)
            continue
        assert len(report.rows) == len(rows)
        for r in report.errors:  # said in Chinese, and short enough to read (a huge value is not echoed whole)
            assert r.messages and all(CHINESE.search(m) and len(m) < 300 for m in r.messages), r.messages
    assert h.count >= 150
    case_ids = [int(x[0]) for x in ctx.db.execute("SELECT id FROM cases").fetchall()]
    assert case_ids, "some rows are good enough to import"
    for case_id in case_ids:
        assert not not_normal(petitions.get(ctx, case_id)), not_normal(petitions.get(ctx, case_id))
    everything_prints_and_exports(ctx, case_ids, tmp_path)


def test_a_huge_cell_refuses_the_file_with_a_message(ctx: Context, tmp_path: Path) -> None:
    rows = [good_row(0)]
    rows[0][9] = "很" * 140_000
    for form, data in (("csv", csv_bytes(rows)), ("xlsx", xlsx_bytes(rows))):
        path = tmp_path / f"大.{form}"
        path.write_bytes(data)
        try:
            source = exchange.read(path)
        except reading.ImportFileError as e:
            assert "32767" in str(e), str(e)
            continue
        report = exchange.check(ctx, source, "petition", reading.guess_mapping("petition", source.headers))
        assert report.errors and "事情经过" in " ".join(report.errors[0].messages)
