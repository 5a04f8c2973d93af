"""Bulk loading: many cases of every kind at once (demo data, imports), fast enough for 100,000 cases.

The loader writes what the services would have written case by case — people, cases, the kind's own
tables, case_people, case_links, timeline, both search indexes, the case counters and settings — but in
large batches (executemany) inside one transaction: it all lands, or nothing does.

The cases come complete: validated, with their status fields, `created_at` and `timeline` filled in as
if each action had been taken on its day (demo/stories.py tells them so). Numbers are taken per kind and
year from `case_counters` in the order cases are reserved (so reserve them in order of receipt), and the
counters are moved on at the end, so numbers are never reused. Rows that refer to a case not yet added
(a link both ways, a visit that opened a petition) wait in the loader until that case is added, so every
row goes in with its foreign keys already satisfied.

What each kind contributes to the search index is computed here without a query, in the order of
search.KIND_TEXT_SQL; tests/test_demo.py checks every kind against `search.reindex`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import petition as rules
from ..domain import referral as referral_rules
from ..domain.dates import to_iso
from ..domain.household import Cadre, CareList, Household, Measure, Task, Visit
from ..domain.mediation import Mediation
from ..domain.names import pinyin_initials
from ..domain.numbering import format_case_no
from ..domain.records import Person, Petition, TimelineEntry
from ..domain.referral import Referral
from ..domain.rhythm import Rhythm
from . import audit, case_documents, search, stamps
from .connection import Error as DriverError
from .connection import set_journal_mode

if TYPE_CHECKING:
    import sqlite_utils

    from .parallel import Helper

KIND = "petition"
DEMO_SETTING = "demo_data"
BATCH_SIZE = 5000
# the people whose search texts the loader keeps from one batch to the next (Loader.known), at most: a register's
# repeat petitioner is then not read back from the database (a question that waits for the batch being written
# behind); past it they are forgotten at each batch and read again when named (a million-case demo's would not fit)
KNOWN_KEPT = 100_000
# Texts a petition contributes to the index, in the order of search.KIND_TEXT_SQL["petition"].
PETITION_INDEX_FIELDS = ("facts", "request", "respondent_name", "handling_agency")
# ... and a referral, in the order of search.KIND_TEXT_SQL["referral"] (lists joined with '、').
REFERRAL_INDEX_FIELDS = ("matter", "role", "legal_state", "help_kinds", "facts", "request", "occupation",
                         "opponent_name", "organisation_name", "lawyer", "refused_reason", "withdrawn_reason",
                         "result", "result_note")
HOUSEHOLD_DUE_LABEL = "走访"


# --------------------------------------------------------------------------------------------
# What to load


@dataclass
class PetitionLoad:
    """One petition to load, with the case-list fields services.petitions.register derives."""

    petition: Petition
    names: str  # the people's names as the case list shows them
    summary: str
    updated_at: dt.datetime  # the time of the last action


@dataclass
class ReferralLoad:
    """A legal-aid referral: `referral` carries its organisation (with its directory id) as it was copied,
    its status fields, `created_at` and `timeline`."""

    referral: Referral
    summary: str
    updated_at: dt.datetime
    settings: dict[str, str] = field(default_factory=dict)  # settings the referral's service remembers


@dataclass
class MediationLoad:
    """A mediation: `mediation` carries parties, mediator ids, sessions, investigations, return visits,
    outcome, agreement, filing, `created_at` and `timeline`; the stamps say when each session,
    investigation and return visit was first written (their rows' created_at)."""

    mediation: Mediation
    mediator_names: dict[int, str]  # the roster's names by id (for the search index)
    names: str
    summary: str
    updated_at: dt.datetime
    session_stamps: list[dt.datetime] = field(default_factory=list)
    investigation_stamps: list[dt.datetime] = field(default_factory=list)
    visit_stamps: list[dt.datetime] = field(default_factory=list)


@dataclass
class CadreRow:
    cadre: Cadre
    recorded_at: dt.datetime
    recorded_by: str


@dataclass
class MeasureRow:
    measure: Measure
    recorded_at: dt.datetime


@dataclass
class VisitRow:
    visit: Visit
    staff: str
    created_at: dt.datetime
    opened_case_id: int | None = None


@dataclass
class TaskRow:
    task: Task
    staff: str
    created_at: dt.datetime
    visit: int | None = None  # the index in HouseholdLoad.visits of the visit that promised it


@dataclass
class HouseholdLoad:
    """A household (or a person on a care list) with its members, cadres, measures, visits and tasks.
    `household.status`, `lifted_on`, `exited_on`, `exit_reason` and `timeline` are the final ones."""

    household: Household
    care_list: CareList
    summary: str
    updated_at: dt.datetime
    created_at: dt.datetime
    cadres: list[CadreRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    visits: list[VisitRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reserved:
    """A case's id and number, taken before its rows are written."""

    case_id: int
    kind: str
    year: int
    seq: int
    case_no: str


# --------------------------------------------------------------------------------------------
# Small helpers


_stamped: tuple[object, str] = (None, "")  # the last time stamped, and its stamp (most of a load's are one moment)


def _stamp(t: dt.datetime) -> str:
    global _stamped
    last = _stamped
    if last[0] is t:
        return last[1]
    _stamped = (t, t.isoformat(timespec="seconds"))  # (one tuple: another thread reads it whole)
    return _stamped[1]


# rows a statement of insert_many inserts at most; and the values bound to one (SQLite's limit since 3.32 is 32,766)
_ROWS_AT_ONCE, _VALUES_AT_ONCE = 500, 32_000
_SEARCH_TABLES = frozenset({"search_tri", "search_bi"})
_many: dict[tuple[str, int], str] = {}  # (an INSERT of one row, how many rows) -> the INSERT of as many


def insert_many(conn: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """conn.executemany(sql, rows) for an INSERT … VALUES (?, …) of one row, in statements of many rows each
    (VALUES (…), (…), …): the same rows in the same order, the same numbers given, in half the time or less for a
    table of a few columns (SQLite's machine is started once a statement instead of once a row; a wide table gains
    little)."""
    if not rows:
        return
    width = len(rows[0])
    at_once = max(1, min(_ROWS_AT_ONCE, _VALUES_AT_ONCE // width))
    for start in range(0, len(rows), at_once):
        part = rows[start:start + at_once]
        key = (sql, len(part))
        many = _many.get(key)
        if many is None:
            head, _values, one = sql.rpartition("VALUES")
            if not _values:
                conn.executemany(sql, part)
                continue
            if len(_many) > 200:  # (the last statement of each batch has its own number of rows)
                _many.clear()
            many = _many[key] = f"{head}VALUES {', '.join([one.strip()] * len(part))}"
        conn.execute(many, list(chain.from_iterable(part)))


def case_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


def is_demo(db: sqlite_utils.Database) -> bool:
    """True when the database was filled with made-up demo cases."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [DEMO_SETTING]).fetchone()
    return bool(row and row[0] == "1")


def mark_demo(db: sqlite_utils.Database) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = '1'",
        [DEMO_SETTING],
    )


_PEOPLE_SQL = """INSERT INTO people (id, name, sex, ethnicity, birth_date, id_number, phone, address,
                 marital_status, pinyin, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
# people.save on a known person: empty fields never erase known ones
_PEOPLE_UPDATE_SQL = """UPDATE people SET
    name = COALESCE(NULLIF(?, ''), name), sex = COALESCE(NULLIF(?, ''), sex),
    ethnicity = COALESCE(NULLIF(?, ''), ethnicity), birth_date = COALESCE(?, birth_date),
    id_number = COALESCE(NULLIF(?, ''), id_number), phone = COALESCE(NULLIF(?, ''), phone),
    address = COALESCE(NULLIF(?, ''), address), marital_status = COALESCE(NULLIF(?, ''), marital_status),
    pinyin = COALESCE(NULLIF(?, ''), pinyin), updated_at = MAX(updated_at, ?) WHERE id = ?"""

# table -> INSERT statement, in the order a batch is written (parents first where it helps)
_SQL: dict[str, str] = {
    "cases": """INSERT INTO cases (id, kind, case_no, year, seq, status, received_on, person_id, names, township,
                village, category, subcategory, summary, is_open, due_on, due_label, closed_on, created_at,
                updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "petitions": """INSERT INTO petitions (case_id, channel, headcount, facts, request, dv, safety_risk,
                    receiving_staff, respondent_name, respondent_relation, accepted_on, told_on,
                    refused_reason, handling, handling_agency, handling_opinion, reply, result,
                    concluded_on, extension_days, extension_reason, nature, tell_way, refused_route, forwarded_to,
                    forwarded_on, facts_found, legal_basis, rating, rating_note, rated_on, rating_way, repeat_of,
                    repeat_state, repeat_note, source_body, source_no, source_due_on, objection_due_on, objection_note,
                    transfer_sent_on, transfer_due_on, transfer_answered_on, transfer_answer, objected_on,
                    objected_to, objection_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                            ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "petition_representatives": """INSERT INTO petition_representatives (case_id, position, name, phone)
                                   VALUES (?, ?, ?, ?)""",
    "petition_reviews": """INSERT INTO petition_reviews (case_id, stage, requested_on, answer_received_on, body,
                           request, answered_on, result, opinion, by_office) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "case_documents": """INSERT INTO case_documents (case_id, doc, title, issued_on, way, content, staff, created_at,
                         voided_on, voided_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "referrals": """INSERT INTO referrals (case_id, referred_on, staff, staff_phone, organisation_id,
                    organisation_name, organisation_kind, organisation_address, organisation_contact,
                    organisation_phone, occupation, matter, role, legal_state, help_kinds, facts, request,
                    opponent_name, opponent_relation, victim_of, means, household_size, household_income,
                    papers, papers_other, consent_on, consent_by, consent_name, consent_way, sent_on,
                    answered_on, lawyer, lawyer_phone, refused_reason, withdrawn_on, withdrawn_reason, result,
                    result_note, concluded_on)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                            ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "mediations": """INSERT INTO mediations (case_id, source, dispute_type, relationship, facts, request,
                     registrar, outcome, outcome_on, outcome_note, failed_route, agreement_facts,
                     agreement_duties, archivist, filed_on, keep_period, file_remarks)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "mediation_parties": """INSERT INTO mediation_parties (case_id, person_id, side, position, occupation,
                            stated_age) VALUES (?, ?, ?, ?, ?, ?)""",
    "mediation_mediators": "INSERT INTO mediation_mediators (case_id, mediator_id, position) VALUES (?, ?, ?)",
    "mediation_sessions": """INSERT INTO mediation_sessions (case_id, held_on, place, mediators, recorder,
                             present, others, explained, applicant_said, respondent_said, facts_found, result,
                             result_detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "mediation_investigations": """INSERT INTO mediation_investigations (case_id, held_on, place, investigator,
                                   recorder, subject, subject_role, content, created_at)
                                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "mediation_agreement_items": """INSERT INTO mediation_agreement_items (case_id, position, content, how, due,
                                    place) VALUES (?, ?, ?, ?, ?, ?)""",
    "mediation_visits": """INSERT INTO mediation_visits (case_id, due_on, plan, visited_on, visitor, method,
                           performance, satisfaction, lawsuit, new_conflict, violence, findings, measures,
                           created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "households": """INSERT INTO households (case_id, list_id, address, household_type, causes, extra,
                     rhythm_unit, rhythm_every, rhythm_start, lifted_on, exited_on, exit_reason, notes)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "household_members": """INSERT OR IGNORE INTO household_members (case_id, person_id, relation, health,
                            work_ability, schooling, disability_card, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
    "household_cadres": """INSERT INTO household_cadres (case_id, name, unit, level, phone, from_date,
                           recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
    "household_measures": """INSERT INTO household_measures (case_id, kind, detail, helping_unit, on_date,
                             amount_fen, benefit, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
    "visits": """INSERT INTO visits (id, case_id, visited_on, visitors, kind, cash_fen, goods, goods_fen, seen,
                 asked, promised, finding, opened_case_id, staff, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "tasks": """INSERT INTO tasks (case_id, visit_id, title, due_on, done_on, done_note, staff, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
    "case_people": "INSERT OR IGNORE INTO case_people (case_id, person_id, role, position) VALUES (?, ?, ?, ?)",
    "case_links": "INSERT OR IGNORE INTO case_links (from_case, to_case, relation) VALUES (?, ?, ?)",
    "timeline": "INSERT INTO timeline (case_id, at, staff, action, note) VALUES (?, ?, ?, ?, ?)",
    "search_tri": "INSERT INTO search_tri (rowid, text) VALUES (?, ?)",
    "search_bi": "INSERT INTO search_bi (rowid, grams) VALUES (?, ?)",
}


@dataclass
class _Batch:
    people: list[tuple[Any, ...]] = field(default_factory=list)
    people_updates: list[tuple[Any, ...]] = field(default_factory=list)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in _SQL})
    # (at, -case id, order written, row): the timeline goes in in the order of time, and of two cases
    # written by one action at one moment, the one the action opened first (as the services do)
    timeline: list[tuple[str, int, int, tuple[Any, ...]]] = field(default_factory=list)
    cases: int = 0

    def __len__(self) -> int:
        return self.cases


@dataclass
class Rows:
    """A batch's rows as they are written (a `Detached` loader's, sent to the one that writes them)."""

    people: list[tuple[Any, ...]]
    people_updates: list[tuple[Any, ...]]
    rows: dict[str, list[tuple[Any, ...]]]  # by table, those with rows
    cases: int
    settings: dict[str, str] = field(default_factory=dict)
    people_taken: int = 0  # the people numbers (and visit numbers) the loader had taken by then, from 1
    visits_taken: int = 0


# the columns that hold a person's number (or a visit's), renumbered by Loader.take; people's own in `people` and
# the last of `people_updates`
_RENUMBERED = (("cases", 7, "person"), ("case_people", 1, "person"), ("mediation_parties", 1, "person"),
               ("household_members", 1, "person"), ("visits", 0, "visit"), ("tasks", 1, "visit"))


# --------------------------------------------------------------------------------------------
# Visit rhythms, quickly: the same dates as domain.rhythm.Rhythm (whose rrule walks from the start date
# on every question), by arithmetic; tests/test_demo_stories.py checks them against Rhythm.


def _step(r: Rhythm, k: int) -> dt.date:
    """The k-th plan date (k may be negative: the virtual dates before the start)."""
    if r.unit == "month":
        return r.start + relativedelta(months=k * r.every)  # the start's day, or the month's last day
    return r.start + dt.timedelta(days=k * r.every * (7 if r.unit == "week" else 1))


def _index_on_or_before(r: Rhythm, d: dt.date) -> int:
    if r.unit == "month":
        k = ((d.year - r.start.year) * 12 + d.month - r.start.month) // r.every
    else:
        k = (d - r.start).days // (r.every * (7 if r.unit == "week" else 1))
    while _step(r, k) > d:
        k -= 1
    while _step(r, k + 1) <= d:
        k += 1
    return k


def rhythm_dates(r: Rhythm, first: dt.date, last: dt.date) -> list[dt.date]:
    """Rhythm.dates_between(first, last)."""
    if last < first or last < r.start:
        return []
    k = max(0, _index_on_or_before(r, first))
    out: list[dt.date] = []
    while True:
        d = _step(r, k)
        if d > last:
            return out
        if d >= first:
            out.append(d)
        k += 1


def rhythm_next_due(r: Rhythm, visits: Iterable[dt.date]) -> dt.date:
    """Rhythm.next_due(visits): the plan date after the one the last visit counted for."""
    last = max(visits, default=None)
    if last is None:
        return r.start
    if last < r.start:
        before, after = _step(r, -1), r.start
    else:
        k = _index_on_or_before(r, last)
        before, after = _step(r, k), _step(r, k + 1)
    slot = before if (last - before) <= (after - last) else after
    if slot < r.start:
        return r.start
    return _step(r, _index_on_or_before(r, slot) + 1)


# --------------------------------------------------------------------------------------------
# The loader


class _Added:
    """Which of the new cases (from case id `first` on) are added: a byte each (a million cases: 1 MB)."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.flags = bytearray()

    def add(self, case_id: int) -> None:
        i = case_id - self.first
        if i >= len(self.flags):
            self.flags.extend(bytes(i + 1 - len(self.flags) + 4096))
        if i >= 0:
            self.flags[i] = 1

    def update(self, case_ids: Iterable[int]) -> None:
        for case_id in case_ids:
            self.add(case_id)

    def __contains__(self, case_id: int) -> bool:
        i = case_id - self.first
        return 0 <= i < len(self.flags) and self.flags[i] == 1


class _Waiting:
    """A connection as this thread sees it while a batch is written behind (Loader.write_behind): whatever is asked
    of it waits for that writing to end first, so nothing is read or written in between."""

    def __init__(self, conn: Any, settle: Callable[[], None]) -> None:
        self._conn, self._settle = conn, settle

    def __getattr__(self, name: str) -> Any:
        self._settle()
        return getattr(self._conn, name)

    def __enter__(self) -> Any:
        self._settle()
        return self._conn.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        self._settle()
        return self._conn.__exit__(*exc)


class Loader:
    """Reserve numbers, then add cases of any kind; rows go in by batches. Use `loading(db)`."""

    # a second process that packs the documents and makes the search entries meanwhile (store/parallel.py: a big
    # import); None: done here
    helper: Helper | None = None

    def __init__(self, db: sqlite_utils.Database, batch_size: int = BATCH_SIZE, lean: bool = False) -> None:
        self.db = db
        from .exchange import office  # a township's numbers carry its name, as store/cases.next_number's do

        self._begin(
            int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()[0]),
            int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0]),
            int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM visits").fetchone()[0]),
            office(db).mark, batch_size, lean,
        )
        self.counters: dict[tuple[str, int], int] = {
            (str(r[0]), int(r[1])): int(r[2])
            for r in db.execute("SELECT kind, year, last_seq FROM case_counters").fetchall()
        }
        # one scan, instead of a query per person; `lean`: those of this batch only, the others asked of the database
        # (a million people would not fit in memory)
        if not lean:
            self.by_id_number: dict[str, int] = {
                r[0]: int(r[1]) for r in db.execute("SELECT id_number, id FROM people WHERE id_number <> ''")
            }

    def _begin(self, next_case_id: int, next_person_id: int, next_visit_id: int, mark: str, batch_size: int,
               lean: bool) -> None:
        self.batch_size = batch_size
        self.next_case_id = next_case_id
        self.mark = mark
        self.next_person_id = next_person_id
        self.first_new_person = next_person_id  # (the people with a lower id were on file before the load)
        self.next_visit_id = next_visit_id
        self.counters = {}
        self.used: set[tuple[str, int]] = set()
        self.lean = lean
        self.by_id_number = {}
        # (name, ID number, phone) as the people table will hold them, for the search index
        self.known: dict[int, tuple[str, str, str]] = {}
        self.settings: dict[str, str] = {}
        self.first_new_case = self.next_case_id
        self.added = _Added(self.first_new_case)
        self.waiting: dict[int, list[tuple[str, tuple[Any, ...], tuple[int, ...]]]] = {}
        self.batch = _Batch()
        self.written = 0
        self.loaded = 0
        self._at: tuple[object, str, int] = (None, "", 0)  # the last timeline entry's time, its stamp and seconds
        self._conn: Any = None  # the connection itself, while batches are written behind (write_behind)
        self._writing: tuple[threading.Thread, list[BaseException]] | None = None
        # the timeline of cases added at one moment in the order they were added (an import, row by row), rather
        # than the later case first (an action that makes two cases at once)
        self.in_order = False

    # -- numbers and people --------------------------------------------------------------------

    def reserve(self, kind: str, year: int) -> Reserved:
        """The next case id, and the next number for (kind, year)."""
        seq = self.counters.get((kind, year), 0) + 1
        self.counters[(kind, year)] = seq
        self.used.add((kind, year))
        case_id = self.next_case_id
        self.next_case_id += 1
        return self.numbered(case_id, kind, year, seq)

    def reserved_apart(self, cases: int, counters: dict[tuple[str, int], int], used: set[tuple[str, int]]) -> None:
        """`cases` numbers taken from here on by another loader (a `Detached` one, in another process, started with
        this one's next id and counters): its counters, and the kinds and years it used, taken over."""
        self.next_case_id += cases
        self.counters = dict(counters)
        self.used |= used

    def numbered(self, case_id: int, kind: str, year: int, seq: int) -> Reserved:
        """What `reserve` gave for this case and number (a caller may keep only the numbers until the case's turn)."""
        return Reserved(case_id, kind, year, seq, format_case_no(kind, year, seq, self.mark))

    def person(self, p: Person, now: dt.datetime) -> int:
        """store.people.attach_or_add without a query per person: the one chosen (p.id), else the one
        with the same ID number, else a new record. Sets p.id, as the services do."""
        stamp = _stamp(now)
        values = (p.name, p.sex, p.ethnicity, to_iso(p.birth_date), p.id_number, p.phone, p.address,
                  p.marital_status, pinyin_initials(p.name))
        person_id = p.id
        if person_id is None and p.id_number:
            person_id = self.by_id_number.get(p.id_number)
            if person_id is None and self.lean:
                # (an ID number is on one person at most: "<> ''" lets SQLite use its partial index)
                r = self.db.execute("SELECT id FROM people WHERE id_number = ? AND id_number <> ''",
                                    [p.id_number]).fetchone()
                person_id = int(r[0]) if r else None
        if person_id is not None:
            self.batch.people_updates.append((*values, stamp, person_id))
            old = self.known.get(person_id) or self._known_from_db(person_id)
            self.known[person_id] = (p.name or old[0], p.id_number or old[1], p.phone or old[2])
        else:
            person_id = self.next_person_id
            self.next_person_id += 1
            self.batch.people.append((person_id, *values, stamp, stamp))
            self.known[person_id] = (p.name, p.id_number, p.phone)
        if p.id_number:
            self.by_id_number[p.id_number] = person_id
        p.id = person_id
        return person_id

    def _known_from_db(self, person_id: int) -> tuple[str, str, str]:
        r = self.db.execute("SELECT name, id_number, phone FROM people WHERE id = ?", [person_id]).fetchone()
        return (str(r[0]), str(r[1]), str(r[2])) if r else ("", "", "")

    # -- rows ----------------------------------------------------------------------------------

    def _add(self, table: str, row: tuple[Any, ...], needs: tuple[int, ...] = ()) -> None:
        """Add a row to the batch, or keep it until the cases it refers to (`needs`) are added."""
        missing = [i for i in needs if i >= self.first_new_case and i not in self.added]
        if missing:
            self.waiting.setdefault(missing[0], []).append((table, row, needs))
        else:
            self.batch.rows[table].append(row)

    def _release(self, case_id: int) -> None:
        self.added.add(case_id)
        for table, row, needs in self.waiting.pop(case_id, ()):
            self._add(table, row, needs)

    def _timeline(self, case_id: int, entries: Iterable[TimelineEntry]) -> None:
        for e in entries:
            if e.at is not self._at[0]:  # (most entries of a load are of one moment)
                self._at = (e.at, _stamp(e.at), stamps.to_stored(e.at))
            _e_at, at, stored = self._at
            self.written += 1
            self.batch.timeline.append((at, -case_id, self.written, (case_id, stored, e.staff, e.action, e.note)))

    def _case(self, res: Reserved, status: str, received_on: dt.date, person_id: int | None, names: str,
              fields: tuple[str, str, str, str, str], is_open: bool, due: tuple[dt.date | None, str],
              closed_on: dt.date | None, created_at: dt.datetime, updated_at: dt.datetime) -> None:
        if received_on.year != res.year:
            raise ValueError("the case number's year is not the year it was received")
        township, village, category, subcategory, summary = fields
        self._add("cases", (
            res.case_id, res.kind, res.case_no, res.year, res.seq, status, to_iso(received_on), person_id, names,
            township, village, category, subcategory, summary, int(is_open), to_iso(due[0]), due[1],
            to_iso(closed_on), _stamp(created_at), _stamp(updated_at),
        ))
        self.batch.cases += 1
        self.loaded += 1
        self._release(res.case_id)

    def _index(self, res: Reserved, fields: tuple[str, str, str, str, str], person_ids: list[int],
               kind_texts: list[object]) -> None:
        people = [self.known[i] for i in person_ids]
        texts = search.case_texts(res.case_no, fields, people, kind_texts)
        if self.helper is not None:
            self.helper.index(texts, self._last("search_tri", (res.case_id, ""), 1),
                              self._last("search_bi", (res.case_id, ""), 1))
            return
        tri, bi = search.index_entry(texts)
        self._add("search_tri", (res.case_id, tri))
        self._add("search_bi", (res.case_id, bi))

    def _last(self, table: str, row: tuple[Any, ...], value: int) -> tuple[list[tuple[Any, ...]], int, int]:
        """Add a row whose value at `value` the helper gives later (before the batch is written): where it goes."""
        rows = self.batch.rows[table]
        rows.append(row)
        return rows, len(rows) - 1, value

    def link(self, from_case: int, to_case: int, relation: str = "") -> None:
        """Link two cases (written once both are added)."""
        self._add("case_links", (from_case, to_case, relation), (from_case, to_case))

    def setting(self, key: str, value: str) -> None:
        self.settings[key] = value

    # -- petitions -----------------------------------------------------------------------------

    def add_petition(self, item: PetitionLoad, res: Reserved | None = None) -> Reserved:
        p = item.petition
        if p.created_at is None:
            raise ValueError("created_at is required")
        res = res or self.reserve("petition", p.received_on.year)
        case_id = res.case_id
        petitioner_id = self.person(p.petitioner, p.created_at)
        concerned_id = self.person(p.concerned, p.created_at) if p.concerned else None
        if concerned_id == petitioner_id:
            concerned_id = None
        deadline = rules.current_deadline(p)
        closed_on = {"concluded": p.concluded_on, "refused": p.told_on, "returned": p.objected_on}.get(p.status)
        fields = (p.township, p.village, p.category, p.subcategory, item.summary)
        self._case(res, p.status, p.received_on, concerned_id or petitioner_id, item.names, fields,
                   rules.is_open(p), (deadline.due_on, deadline.label) if deadline else (None, ""),
                   closed_on, p.created_at, item.updated_at)
        self._add("petitions", (
            case_id, p.channel, p.headcount, p.facts, p.request, int(p.dv), int(p.safety_risk),
            p.receiving_staff, p.respondent_name, p.respondent_relation, to_iso(p.accepted_on),
            to_iso(p.told_on), p.refused_reason, p.handling, p.handling_agency, p.handling_opinion, p.reply,
            p.result, to_iso(p.concluded_on), p.extension_days, p.extension_reason, p.nature, p.tell_way,
            p.refused_route, p.forwarded_to, to_iso(p.forwarded_on), p.facts_found, p.legal_basis, p.rating,
            p.rating_note, to_iso(p.rated_on), p.rating_way, p.repeat_of, p.repeat_state, p.repeat_note,
            p.source_body, p.source_no, to_iso(p.source_due_on), to_iso(p.objection_due_on), p.objection_note,
            to_iso(p.transfer_sent_on), to_iso(p.transfer_due_on), to_iso(p.transfer_answered_on), p.transfer_answer,
            to_iso(p.objected_on), p.objected_to, p.objection_reason,
        ))
        for i, rep_ in enumerate(p.representatives, 1):  # as store.petitions.set_representatives keeps them
            self._add("petition_representatives", (case_id, i, rep_.name, rep_.phone))
        for rv in p.reviews:  # 复查, 复核 (store.petitions.add_review, answer_review)
            self._add("petition_reviews", (case_id, rv.stage, to_iso(rv.requested_on), to_iso(rv.answer_received_on),
                                           rv.body, rv.request, to_iso(rv.answered_on), rv.result, rv.opinion,
                                           int(rv.by_office)))
        for d in p.documents:  # as services.petitions issues them (store/case_documents.py)
            row = (case_id, d.doc, d.title, to_iso(d.issued_on), d.way,
                   case_documents.pack(d.content) if self.helper is None else "", d.staff,
                   _stamp(d.created_at or p.created_at), to_iso(d.voided_on), d.voided_reason)
            if self.helper is None:
                self._add("case_documents", row)
            else:
                self.helper.pack(d.content, self._last("case_documents", row, 5))
        people = [petitioner_id]
        self._add("case_people", (case_id, petitioner_id, "petitioner", 0))
        if concerned_id is not None:
            self._add("case_people", (case_id, concerned_id, "concerned", 1))
            people.append(concerned_id)
        self._timeline(case_id, p.timeline)
        self._index(res, fields, people, [getattr(p, f) for f in PETITION_INDEX_FIELDS])
        p.id, p.case_no = case_id, res.case_no
        self._maybe_flush()
        return res

    # -- referrals -----------------------------------------------------------------------------

    def add_referral(self, item: ReferralLoad, res: Reserved | None = None) -> Reserved:
        r = item.referral
        org = r.organisation
        if r.created_at is None or org is None:
            raise ValueError("created_at and the organisation are required")
        res = res or self.reserve("referral", r.referred_on.year)
        case_id = res.case_id
        person_id = self.person(r.applicant, r.created_at)
        d = referral_rules.current_deadline(r)
        closed_on = {"refused": r.answered_on, "withdrawn": r.withdrawn_on,
                     "concluded": r.concluded_on}.get(r.status)
        fields = (r.township, r.village, r.category, r.matter, item.summary)
        self._case(res, r.status, r.referred_on, person_id, r.applicant.name, fields, r.is_open,
                   (d.due_on, d.label) if d else (None, ""), closed_on, r.created_at, item.updated_at)
        c = r.consent
        self._add("referrals", (
            case_id, to_iso(r.referred_on), r.staff, r.staff_phone, org.id, org.name, org.kind, org.address,
            org.contact_person, org.phone, r.occupation, r.matter, r.role, r.legal_state,
            referral_rules.join(r.help_kinds), r.facts, r.request, r.opponent_name, r.opponent_relation,
            referral_rules.join(r.victim_of), r.means, r.household_size, r.household_income,
            referral_rules.join(r.papers), r.papers_other, to_iso(c.on) if c else None, c.by if c else "",
            c.name if c else "", c.way if c else "", to_iso(r.sent_on), to_iso(r.answered_on), r.lawyer,
            r.lawyer_phone, r.refused_reason, to_iso(r.withdrawn_on), r.withdrawn_reason, r.result,
            r.result_note, to_iso(r.concluded_on),
        ))
        self._add("case_people", (case_id, person_id, "applicant", 0))
        self._timeline(case_id, r.timeline)
        texts: list[object] = []
        for f in REFERRAL_INDEX_FIELDS:
            value = org.name if f == "organisation_name" else getattr(r, f)
            texts.append(referral_rules.join(value) if isinstance(value, list) else value)
        self._index(res, fields, [person_id], texts)
        self.settings.update(item.settings)
        r.id, r.case_no = case_id, res.case_no
        self._maybe_flush()
        return res

    # -- mediations ----------------------------------------------------------------------------

    def add_mediation(self, item: MediationLoad, res: Reserved | None = None) -> Reserved:
        m = item.mediation
        if m.created_at is None:
            raise ValueError("created_at is required")
        res = res or self.reserve("mediation", m.received_on.year)
        case_id = res.case_id
        ids = [self.person(party.person, m.created_at) for party in m.parties]
        d = mediation_rules.current_deadline(m)
        fields = (m.township, m.village, "婚姻家庭", m.dispute_type, item.summary)
        self._case(res, m.status, m.received_on, ids[0], item.names, fields, mediation_rules.keeps_open(m),
                   (d.due_on, d.label) if d else (None, ""), m.outcome_on if m.outcome else None, m.created_at,
                   item.updated_at)
        a = m.agreement
        self._add("mediations", (
            case_id, m.source, m.dispute_type, m.relationship, m.facts, m.request, m.registrar, m.outcome,
            to_iso(m.outcome_on), m.outcome_note, m.failed_route, a.facts if a else "", a.duties if a else "",
            m.archivist, to_iso(m.filed_on), m.keep_period, m.file_remarks,
        ))
        seen: list[int] = []
        for pos, (party, person_id) in enumerate(zip(m.parties, ids, strict=True)):
            if person_id in seen:
                continue
            seen.append(person_id)
            self._add("mediation_parties", (case_id, person_id, party.side, pos, party.occupation,
                                            party.stated_age))
            self._add("case_people", (case_id, person_id, party.side, pos))
        for pos, mediator_id in enumerate(m.mediator_ids):
            self._add("mediation_mediators", (case_id, mediator_id, pos))
        for s, at in zip(m.sessions, item.session_stamps, strict=True):
            self._add("mediation_sessions", (
                case_id, to_iso(s.held_on), s.place, s.mediators, s.recorder, s.present, s.others,
                int(s.explained), s.applicant_said, s.respondent_said, s.facts_found, s.result, s.result_detail,
                _stamp(at),
            ))
        for inv, at in zip(m.investigations, item.investigation_stamps, strict=True):
            self._add("mediation_investigations", (
                case_id, to_iso(inv.held_on), inv.place, inv.investigator, inv.recorder, inv.subject,
                inv.subject_role, inv.content, _stamp(at),
            ))
        if a is not None:
            for pos, it in enumerate(a.items, 1):
                self._add("mediation_agreement_items", (case_id, pos, it.content, it.how, it.due, it.place))
        for v, at in zip(m.visits, item.visit_stamps, strict=True):
            self._add("mediation_visits", (
                case_id, to_iso(v.due_on), v.plan, to_iso(v.visited_on), v.visitor, v.method, v.performance,
                v.satisfaction, int(v.lawsuit), int(v.new_conflict), int(v.violence), v.findings, v.measures,
                _stamp(at),
            ))
        self._timeline(case_id, m.timeline)
        names = " ".join(item.mediator_names[i] for i in sorted(set(m.mediator_ids)))
        self._index(res, fields, seen, [
            m.source, m.dispute_type, m.relationship, m.facts, m.request, m.outcome_note, m.failed_route,
            a.facts if a else "", names or None,
        ])
        m.id, m.case_no, m.year, m.seq = case_id, res.case_no, res.year, res.seq
        self._maybe_flush()
        return res

    # -- households ----------------------------------------------------------------------------

    def add_household(self, item: HouseholdLoad, res: Reserved | None = None) -> Reserved:
        h, care = item.household, item.care_list
        if h.rhythm is None:
            raise ValueError("the rhythm is required")
        res = res or self.reserve("household", h.received_on.year)
        case_id = res.case_id
        ids = [self.person(m.person, item.created_at) for m in h.everyone]
        if len(set(ids)) != len(ids):
            raise ValueError("a person appears twice among the members")
        is_open = h.status in household_rules.OPEN_STATUSES
        due = rhythm_next_due(h.rhythm, [v.visit.visited_on for v in item.visits]) if is_open else None
        closed_on = h.exited_on if h.status == "exited" else None
        fields = (h.township, h.village, care.name, h.household_type, item.summary)
        self._case(res, h.status, h.received_on, ids[0], h.head.person.name, fields, is_open,
                   (due, HOUSEHOLD_DUE_LABEL if due else ""), closed_on, item.created_at, item.updated_at)
        self._add("households", (
            case_id, h.list_id, h.address, h.household_type, json.dumps(h.causes, ensure_ascii=False),
            json.dumps(h.extra, ensure_ascii=False), h.rhythm.unit, h.rhythm.every, to_iso(h.rhythm.start),
            to_iso(h.lifted_on), to_iso(h.exited_on), h.exit_reason, h.notes,
        ))
        for pos, (m, person_id) in enumerate(zip(h.everyone, ids, strict=True)):
            self._add("household_members", (case_id, person_id, m.relation, m.health, m.work_ability,
                                             m.schooling, m.disability_card, pos))
            self._add("case_people", (case_id, person_id, "head" if pos == 0 else "member", pos))
        for c in item.cadres:
            k = c.cadre
            self._add("household_cadres", (case_id, k.name, k.unit, k.level, k.phone, to_iso(k.from_date),
                                            _stamp(c.recorded_at), c.recorded_by))
        for mr in item.measures:
            x = mr.measure
            self._add("household_measures", (case_id, x.kind, x.detail, x.helping_unit, to_iso(x.on_date),
                                              x.amount_fen, x.benefit, _stamp(mr.recorded_at)))
        visit_ids = []
        for vr in item.visits:
            v = vr.visit
            visit_id = self.next_visit_id
            self.next_visit_id += 1
            visit_ids.append(visit_id)
            self._add("visits", (
                visit_id, case_id, to_iso(v.visited_on), v.visitors, v.kind, v.cash_fen, v.goods, v.goods_fen,
                v.seen, v.asked, v.promised, v.finding.kind if v.finding else "", vr.opened_case_id, vr.staff,
                _stamp(vr.created_at),
            ), (vr.opened_case_id,) if vr.opened_case_id else ())
            v.id, v.case_id = visit_id, case_id
        for tr in item.tasks:
            t = tr.task
            opened = item.visits[tr.visit].opened_case_id if tr.visit is not None else None
            self._add("tasks", (
                case_id, visit_ids[tr.visit] if tr.visit is not None else None, t.title, to_iso(t.due_on),
                to_iso(t.done_on), t.done_note, tr.staff, _stamp(tr.created_at),
            ), (opened,) if opened else ())
        self._timeline(case_id, h.timeline)
        cadres = sorted(item.cadres, key=lambda c: to_iso(c.cadre.from_date) or "")  # stable: then by id
        cadre_text = " ".join(f"{c.cadre.name} {c.cadre.unit}" for c in cadres) or None
        self._index(res, fields, ids, [h.address, h.household_type, h.notes, cadre_text])
        h.id, h.case_no = case_id, res.case_no
        self._maybe_flush()
        return res

    # -- visits to households on file ------------------------------------------------------------

    def add_visit(self, case_id: int, row: VisitRow, timeline: Iterable[TimelineEntry] = ()) -> int:
        """A visit to a household already on file (store.households.insert_visit; an imported 走访记录), with the
        timeline lines written with it. The case's own row (its next visit due) is the caller's to refresh."""
        v = row.visit
        visit_id = self.next_visit_id
        self.next_visit_id += 1
        self._add("visits", (
            visit_id, case_id, to_iso(v.visited_on), v.visitors, v.kind, v.cash_fen, v.goods, v.goods_fen, v.seen,
            v.asked, v.promised, v.finding.kind if v.finding else "", row.opened_case_id, row.staff,
            _stamp(row.created_at),
        ))
        self._timeline(case_id, timeline)
        v.id, v.case_id = visit_id, case_id
        return visit_id

    # -- writing -------------------------------------------------------------------------------

    def _maybe_flush(self) -> None:
        if len(self.batch) >= self.batch_size:
            self.flush(behind=self._conn is not None)

    def flush(self, behind: bool = False) -> None:
        """Write the batch (`behind`: by a thread of its own, while the next one is made; see write_behind)."""
        if self.helper is not None:
            self.helper.collect()  # every row complete
        rows = self._rows()
        if behind:
            self.settle()
            failed: list[BaseException] = []
            thread = threading.Thread(target=self._write_behind, args=(rows, failed), name="bulk-writer", daemon=True)
            self._writing = (thread, failed)
            thread.start()
        else:
            self._write(rows)
        self.batch = _Batch()
        if len(self.known) > KNOWN_KEPT:
            self.known.clear()
        if self.lean:
            self.by_id_number.clear()

    def write_behind(self, on: bool = True) -> None:
        """Each full batch written by a thread of its own while this one makes the next (SQLite lets go of Python's
        lock while it writes: on another core); meanwhile, whatever is asked of the database here waits for that
        writing to end first (the connection is wrapped for as long). `on=False`: the last writing waited for, and
        the connection as it was."""
        full = getattr(self.db, "_full", None)  # (sqlite-utils' own Database on the same connection, if made)
        if on and self._conn is None:
            self._conn = self.db.conn
            self.db.conn = _Waiting(self._conn, self.settle)  # type: ignore[assignment]
            if full is not None:
                full.conn = self.db.conn
        elif not on and self._conn is not None:
            try:
                self.settle()
            finally:
                if full is not None and full.conn is self.db.conn:
                    full.conn = self._conn
                self.db.conn, self._conn = self._conn, None

    def _write_behind(self, rows: Rows, failed: list[BaseException]) -> None:
        try:
            self._write(rows, self._conn)
        except BaseException as e:  # (told where it is waited for: settle)
            failed.append(e)

    def settle(self) -> None:
        """Wait for the batch being written behind; its failure raised here."""
        writing = self._writing
        if writing is not None:
            thread, failed = writing
            thread.join()
            self._writing = None
            if failed:
                raise failed[0]

    def _rows(self) -> Rows:
        """The batch's rows, in the order they are written."""
        b = self.batch
        b.people_updates.sort(key=lambda r: r[-2])  # in the order of time, as they happened
        b.timeline.sort(key=(lambda t: (t[0], t[2])) if self.in_order else (lambda t: t[:3]))
        b.rows["timeline"] = [t[3] for t in b.timeline]
        return Rows(b.people, b.people_updates, {t: r for t, r in b.rows.items() if r}, b.cases)

    def _write(self, rows: Rows, conn: Any = None) -> None:
        """Write a batch's rows (`conn`: the connection itself, given by the thread writing behind)."""
        behind = conn is not None
        conn = conn or self.db.conn
        insert_many(conn, _PEOPLE_SQL, rows.people)
        conn.executemany(_PEOPLE_UPDATE_SQL, rows.people_updates)
        for table, sql in _SQL.items():
            if table in rows.rows:
                # (the search index's tables: a row at a time is faster there — but not behind, where each row would
                # wait for Python's lock, held by the thread making the next batch)
                if table in _SEARCH_TABLES and not behind:
                    conn.executemany(sql, rows.rows[table])
                else:
                    insert_many(conn, sql, rows.rows[table])

    def take(self, rows: Rows, people_from: int, visits_from: int) -> None:
        """Write rows a `Detached` loader made (a demo worker: its people and visits numbered from 1), its people
        numbered from `people_from` and its visits from `visits_from` here (the caller adds up what each batch
        took: `Rows.people_taken`, `visits_taken`). Its cases were reserved here; its settings are kept."""
        p, v = people_from - 1, visits_from - 1

        def shift(row: tuple[Any, ...], col: int, by: int) -> tuple[Any, ...]:
            x = row[col]
            return row if x is None else (*row[:col], x + by, *row[col + 1:])

        rows.people = [(r[0] + p, *r[1:]) for r in rows.people]
        rows.people_updates = [(*r[:-1], r[-1] + p) for r in rows.people_updates]
        for table, col, numbers in _RENUMBERED:
            if table in rows.rows:
                by = v if numbers == "visit" else p
                rows.rows[table] = [shift(r, col, by) for r in rows.rows[table]]
        self._write(rows)
        self.settings.update(rows.settings)
        self.next_person_id = max(self.next_person_id, people_from + rows.people_taken)
        self.next_visit_id = max(self.next_visit_id, visits_from + rows.visits_taken)
        self.loaded += rows.cases

    def hand_over(self) -> None:
        """Write what is pending, numbers included, so that a service can add a case itself (in the same
        transaction); then `take_back`."""
        self.flush()
        self._write_counters()

    def take_back(self) -> None:
        """Carry on after the cases, people and visits a service added meanwhile."""
        first = self.next_case_id
        self.next_case_id = max(first, int(self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()[0]))
        self.added.update(range(first, self.next_case_id))
        self.loaded += self.next_case_id - first
        people = self.next_person_id
        self.next_person_id = max(people, int(self.db.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0]))
        self.by_id_number.update({r[0]: int(r[1]) for r in self.db.execute(
            "SELECT id_number, id FROM people WHERE id >= ? AND id_number <> ''", [people])})
        self.known.clear()  # read again when needed: the service may have changed a person
        self.next_visit_id = max(self.next_visit_id, int(self.db.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM visits").fetchone()[0]))
        for kind, year, last in self.db.execute("SELECT kind, year, last_seq FROM case_counters").fetchall():
            key = (str(kind), int(year))
            if int(last) > self.counters.get(key, 0):
                self.counters[key] = int(last)
                self.used.add(key)

    def _write_counters(self) -> None:
        self.db.conn.executemany(
            """INSERT INTO case_counters (kind, year, last_seq) VALUES (?, ?, ?)
               ON CONFLICT (kind, year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)""",
            [(kind, year, self.counters[(kind, year)]) for kind, year in sorted(self.used)],
        )

    def finish(self) -> None:
        if self.waiting:
            raise ValueError(f"rows wait for cases that were never added: {sorted(self.waiting)[:5]}")
        self.flush()
        self._write_counters()
        self.db.conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            sorted(self.settings.items()),
        )


class Detached(Loader):
    """A loader without a database (a demo worker, demo/workers.py): cases made in another process, their numbers
    reserved by the loader that writes them; people and visits numbered from 1 (`Loader.take` numbers them on); each
    batch's rows given to `send`. The people it made are all known to it (no one else's are attached)."""

    def __init__(self, first_case_id: int, mark: str, send: Callable[[Rows], None],
                 batch_size: int = BATCH_SIZE) -> None:
        self.db = None  # type: ignore[assignment]
        self._begin(first_case_id, 1, 1, mark, batch_size, lean=False)
        self.send = send

    def _known_from_db(self, person_id: int) -> tuple[str, str, str]:
        raise AssertionError("a detached loader knows every person it numbered")

    def flush(self, behind: bool = False) -> None:
        rows = self._rows()
        rows.settings, self.settings = self.settings, {}
        rows.people_taken, rows.visits_taken = self.next_person_id - 1, self.next_visit_id - 1
        self.batch = _Batch()  # (the people it numbered stay known: they may come back)
        self.send(rows)

    def finish(self) -> None:
        if self.waiting:
            raise ValueError(f"rows wait for cases that were never added: {sorted(self.waiting)[:5]}")
        self.flush()


def _set_indexes_aside(db: sqlite_utils.Database, tables: Collection[str], unique: bool = False) -> list[str]:
    """Drop the ordinary (not unique) indexes of these tables whose entries land at random places; return the
    statements that make them again. Made again at the end, each is one sort instead of a million inserts at random
    places. An index by case keeps its place (the cases come in order: its entries are added at its end, and sorting
    it again would hold all of it in memory). `unique`: the unique ones too (the people's by ID number: a load that
    looks no one up, whose rows were made elsewhere — `Loader.take`; made again at the end, it still checks them
    all), except those by uuid, which a made-up row never has (they stay empty, and cost nothing)."""
    made = []
    for name, table, sql in db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        # a unique index stays: it checks what is written (the loader also finds people by their ID number's)
        if table not in tables or (str(sql).upper().startswith("CREATE UNIQUE") and not unique):
            continue
        first = db.execute(f'SELECT name FROM pragma_index_info("{name}") WHERE seqno = 0').fetchone()
        if first is not None and first[0] in ("case_id", "from_case", "uuid"):
            continue
        db.execute(f'DROP INDEX "{name}"')
        made.append(str(sql))
    return made


@contextmanager
def loading(db: sqlite_utils.Database, batch_size: int = BATCH_SIZE, expected: int = 0,
            rebuild_indexes: bool | Collection[str] = False, lean: bool = False,
            taken: bool = False) -> Iterator[Loader]:
    """A loader inside one transaction (a savepoint if one is open). An exception raised inside (e.g. the
    user cancelled) rolls everything back.

    `expected`: how many cases will be added. More than the audit trail's BULK_CASES end in one summary
    entry, so the rows they add are not captured one by one meanwhile (much faster; the same trail).
    `rebuild_indexes`: the tables' indexes are set aside while loading and made again at the end (for a load
    at least as big as what is there, e.g. the demo: the same indexes, made in a fraction of the time); a query
    meanwhile is answered without them (slowly: the demo asks none). A collection of table names: those tables'
    only, the caller having compared what it adds with bulk_floor (an import sets aside the 25 indexes of `cases`,
    and keeps those its questions at each row use). `lean`: the people already written are looked up in the database by
    ID number rather than held in memory (see Loader). `taken`: every row comes through `Loader.take` (made by
    `Detached` loaders elsewhere: no one is looked up here), so that the people's unique index by ID number is set
    aside with the others (`rebuild_indexes`)."""
    (old_cache,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute("PRAGMA cache_size = -65536")  # 64 MB while loading: fewer spills to the WAL
    try:
        with db.atomic():
            paused = expected > audit.BULK_CASES and audit.has_capture(db)
            if paused:
                audit.pause_added_rows(db)
            if rebuild_indexes is True:
                tables = {"people", *_SQL} if expected >= bulk_floor(db) else set()
            else:
                tables = set(rebuild_indexes or ())
            aside = _set_indexes_aside(db, tables, unique=taken) if tables else []
            if rebuild_indexes is True and aside:
                _search_buffer(db, SEARCH_BUFFER)
            loader = Loader(db, batch_size, lean)
            try:
                yield loader
                loader.finish()
            except BaseException:
                with contextlib.suppress(Exception):  # (what went wrong here is what is told)
                    loader.write_behind(False)
                raise
            loader.write_behind(False)
            if rebuild_indexes is True and aside:  # a load as big as what was there: the search indexes merged
                _search_buffer(db, None)
                merge_indexes(db)  # first, so that the list's indexes made next reuse the pages the merge frees
            for sql in aside:
                db.execute(sql)
            if paused:
                if loader.loaded <= audit.BULK_CASES:
                    raise ValueError("fewer cases were loaded than expected")
                audit.install_capture(db)
    finally:
        db.execute(f"PRAGMA cache_size = {int(old_cache)}")


SEARCH_BUFFER = 16 * 1024 * 1024  # bytes of entries each full-text index gathers in memory during a big load
_SEARCH_BUFFER_DEFAULT = 1024 * 1024  # FTS5's own (FTS5_DEFAULT_HASHSIZE)


def _search_buffer(db: sqlite_utils.Database, size: int | None) -> None:
    """The full-text indexes gather `size` bytes of entries in memory before they write them as a segment (None: back
    to FTS5's default, kept by no setting, as the schema made them). A big load's segments are then fewer and larger,
    and FTS5 merges them into larger ones fewer times while loading: at a megabyte (the default) a million cases'
    trigrams were merged level after level, each level reading and writing (decrypting and encrypting) them again.
    The memory is the load's, for as long as it lasts (two indexes: at most twice `size`)."""
    for table in ("search_tri", "search_bi"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)", [size or _SEARCH_BUFFER_DEFAULT])
        if size is None:  # (the setting's row gone: the default, as before the load)
            db.execute(f"DELETE FROM {table}_config WHERE k = 'hashsize'")


def bulk_floor(db: sqlite_utils.Database) -> int:
    """How many cases a load must add for its indexes to be made again rather than kept: as many as there are."""
    return max(1000, int(db.execute("SELECT count(*) FROM cases").fetchone()[0]))


def insert_petitions(
    db: sqlite_utils.Database, items: Iterable[PetitionLoad], batch_size: int = BATCH_SIZE
) -> int:
    """Insert the petitions in one transaction (a savepoint if one is open), numbered in the order given;
    return how many. An exception raised while `items` is being iterated rolls all back."""
    with loading(db, batch_size) as loader:
        for item in items:
            loader.add_petition(item)
    return loader.loaded


def merge_indexes(db: sqlite_utils.Database) -> None:
    """Merge the search indexes' segments after a big load (faster searches, smaller file)."""
    with db.atomic():
        db.execute("INSERT INTO search_tri (search_tri) VALUES ('optimize')")
        db.execute("INSERT INTO search_bi (search_bi) VALUES ('optimize')")


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy the write-ahead log into the database file and truncate it (after a big load). (The main database's
    only: asked of every database, the first one after `made_up` came back to the log failed, "table is locked".)"""
    db.execute("PRAGMA main.wal_checkpoint(TRUNCATE)").fetchone()


@contextmanager
def made_up(db: sqlite_utils.Database) -> Iterator[None]:
    """Made-up data (the demo) written straight into the database file: for as long as it is written, a rollback
    journal instead of the write-ahead log, and the sorts that make the indexes again spilled to temporary files.

    A million cases in one transaction made a write-ahead log as big as the database (5 GB), every page written
    twice (into the log, then copied into the file) and the log's last minute the process's peak; the journal
    keeps only the pages the file had before (a new file: a few), so a stopped or failed load still leaves the file
    as it was — and the pages added are written once. With temporary storage in memory SQLite sorts all of an
    index's entries in memory (none spilled): a million cases' list indexes made the load's peak. Temporary files
    are fine here: the data is made up. Nor are the foreign keys checked row by row meanwhile (≈ 5 % of the
    writing's time): the loader writes every row after those it refers to, and tests/test_demo.py checks a finished
    demo with foreign_key_check. Only on a connection of its own (another one open keeps the log: then
    only the sorts change); the audit trail's capture (temporary triggers, dropped with the storage) is made again.
    Inside a transaction already begun (neither may change then) nothing changes.
    """
    if db.conn.in_transaction:
        yield
        return
    switched = str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal" and _journal(db, "TRUNCATE")
    (temp,) = db.execute("PRAGMA temp_store").fetchone()
    (keys,) = db.execute("PRAGMA foreign_keys").fetchone()
    capture = audit.has_capture(db)

    def temp_store(value: int) -> None:
        db.execute(f"PRAGMA temp_store = {value}")
        if capture:
            audit.install_capture(db)

    temp_store(1)  # FILE
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute(f"PRAGMA foreign_keys = {int(keys)}")
        temp_store(int(temp))
        if switched:
            _journal(db, "WAL", wait=True)  # (should another program have opened it meanwhile: at its next opening)


def _journal(db: sqlite_utils.Database, mode: str, wait: bool = False) -> bool:
    """Whether the database's journal became `mode`: leaving the write-ahead log needs the file to itself — with
    another connection open it stays (at once, not after the busy timeout's 10 seconds, unless `wait`)."""
    (timeout,) = db.execute("PRAGMA busy_timeout").fetchone()
    if not wait:
        db.execute("PRAGMA busy_timeout = 0").fetchone()
    try:
        return set_journal_mode(db, mode) == mode.lower()
    except DriverError:  # locked: another connection has it open
        return False
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout)}").fetchone()

