"""Bulk loading: many petitions at once (demo data, imports), fast enough for 100,000 cases.

`insert_petitions` writes what `services.petitions` would have written case by case — people,
cases, petitions, case_people, timeline, both search indexes and the case counters — but in large
batches (executemany) inside one transaction: it all lands, or nothing does.

The petitions come complete: validated, with their status fields, `created_at` and `timeline`
filled in as if each action had been taken on its day. Numbers are taken per kind and year from
`case_counters` in the order the petitions come (so give them in order of receipt), and the
counters are moved on at the end, so numbers are never reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..domain import petition as rules
from ..domain.dates import to_iso
from ..domain.names import pinyin_initials
from ..domain.numbering import format_case_no
from ..domain.records import Person, Petition
from . import search

KIND = "petition"
DEMO_SETTING = "demo_data"
BATCH_SIZE = 5000
# Texts a petition contributes to the index, in the order of search.KIND_TEXT_SQL["petition"].
PETITION_INDEX_FIELDS = ("facts", "request", "respondent_name", "handling_agency")


@dataclass
class PetitionLoad:
    """One petition to load, with the case-list fields services.petitions.register derives."""

    petition: Petition
    names: str  # the people's names as the case list shows them
    summary: str
    updated_at: dt.datetime  # the time of the last action


def _stamp(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


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


@dataclass
class _Batch:
    people: list[tuple[Any, ...]] = field(default_factory=list)
    people_updates: list[tuple[Any, ...]] = field(default_factory=list)
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    petitions: list[tuple[Any, ...]] = field(default_factory=list)
    case_people: list[tuple[Any, ...]] = field(default_factory=list)
    timeline: list[tuple[Any, ...]] = field(default_factory=list)
    tri: list[tuple[Any, ...]] = field(default_factory=list)
    bi: list[tuple[Any, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cases)


_PEOPLE_SQL = """INSERT INTO people (id, name, sex, ethnicity, birth_date, id_number, phone, address,
                 marital_status, pinyin, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
# people.save on a known person: empty fields never erase known ones
_PEOPLE_UPDATE_SQL = """UPDATE people SET
    name = COALESCE(NULLIF(?, ''), name), sex = COALESCE(NULLIF(?, ''), sex),
    ethnicity = COALESCE(NULLIF(?, ''), ethnicity), birth_date = COALESCE(?, birth_date),
    id_number = COALESCE(NULLIF(?, ''), id_number), phone = COALESCE(NULLIF(?, ''), phone),
    address = COALESCE(NULLIF(?, ''), address), marital_status = COALESCE(NULLIF(?, ''), marital_status),
    pinyin = COALESCE(NULLIF(?, ''), pinyin), updated_at = ? WHERE id = ?"""
_CASES_SQL = """INSERT INTO cases (id, kind, case_no, year, seq, status, received_on, person_id, names,
                township, village, category, subcategory, summary, is_open, due_on, due_label, closed_on,
                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_PETITIONS_SQL = """INSERT INTO petitions (case_id, channel, headcount, facts, request, dv, safety_risk,
                    receiving_staff, respondent_name, respondent_relation, accepted_on, told_on,
                    refused_reason, handling, handling_agency, handling_opinion, reply, result,
                    concluded_on, extension_days, extension_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_CASE_PEOPLE_SQL = """INSERT OR IGNORE INTO case_people (case_id, person_id, role, position)
                       VALUES (?, ?, ?, ?)"""
_TIMELINE_SQL = "INSERT INTO timeline (case_id, at, staff, action, note) VALUES (?, ?, ?, ?, ?)"
_TRI_SQL = "INSERT INTO search_tri (rowid, text) VALUES (?, ?)"
_BI_SQL = "INSERT INTO search_bi (rowid, grams) VALUES (?, ?)"


class _Loader:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.next_case_id = int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()[0])
        self.next_person_id = int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0])
        self.counters: dict[int, int] = {
            int(r[0]): int(r[1])
            for r in db.execute("SELECT year, last_seq FROM case_counters WHERE kind = ?", [KIND]).fetchall()
        }
        self.used_years: set[int] = set()
        # one scan, instead of a query per person
        self.by_id_number: dict[str, int] = {
            r[0]: int(r[1]) for r in db.execute("SELECT id_number, id FROM people WHERE id_number <> ''")
        }
        self.batch = _Batch()

    def person(self, p: Person, now: dt.datetime) -> int:
        """services.petitions._save_person + store.people.save, without a query per person."""
        stamp = _stamp(now)
        values = (p.name, p.sex, p.ethnicity, to_iso(p.birth_date), p.id_number, p.phone, p.address,
                  p.marital_status, pinyin_initials(p.name))
        person_id = p.id
        if person_id is None and p.id_number:
            person_id = self.by_id_number.get(p.id_number)
        if person_id is not None:
            self.batch.people_updates.append((*values, stamp, person_id))
            return person_id
        person_id = self.next_person_id
        self.next_person_id += 1
        if p.id_number:
            self.by_id_number[p.id_number] = person_id
        self.batch.people.append((person_id, *values, stamp, stamp))
        return person_id

    def add(self, item: PetitionLoad) -> tuple[int, str]:
        p = item.petition
        if p.created_at is None:
            raise ValueError("created_at is required")
        b = self.batch
        petitioner_id = self.person(p.petitioner, p.created_at)
        concerned_id = self.person(p.concerned, p.created_at) if p.concerned else None
        if concerned_id == petitioner_id:
            concerned_id = None
        year = p.received_on.year
        seq = self.counters.get(year, 0) + 1
        self.counters[year] = seq
        self.used_years.add(year)
        case_no = format_case_no(KIND, year, seq)
        case_id = self.next_case_id
        self.next_case_id += 1
        deadline = rules.current_deadline(p)
        closed_on = {"concluded": p.concluded_on, "refused": p.told_on}.get(p.status)
        b.cases.append((
            case_id, KIND, case_no, year, seq, p.status, to_iso(p.received_on), concerned_id or petitioner_id,
            item.names, p.township, p.village, p.category, p.subcategory, item.summary,
            int(p.status in rules.OPEN_STATUSES), to_iso(deadline.due_on) if deadline else None,
            deadline.label if deadline else "", to_iso(closed_on), _stamp(p.created_at),
            _stamp(item.updated_at),
        ))
        b.petitions.append((
            case_id, p.channel, p.headcount, p.facts, p.request, int(p.dv), int(p.safety_risk),
            p.receiving_staff, p.respondent_name, p.respondent_relation, to_iso(p.accepted_on),
            to_iso(p.told_on), p.refused_reason, p.handling, p.handling_agency, p.handling_opinion, p.reply,
            p.result, to_iso(p.concluded_on), p.extension_days, p.extension_reason,
        ))
        people = [(p.petitioner.name, p.petitioner.id_number, p.petitioner.phone)]
        b.case_people.append((case_id, petitioner_id, "petitioner", 0))
        if concerned_id is not None and p.concerned is not None:
            b.case_people.append((case_id, concerned_id, "concerned", 1))
            people.append((p.concerned.name, p.concerned.id_number, p.concerned.phone))
        for e in p.timeline:
            b.timeline.append((case_id, _stamp(e.at), e.staff, e.action, e.note))
        texts = search.case_texts(
            case_no, (p.township, p.village, p.category, p.subcategory, item.summary), people,
            [getattr(p, f) for f in PETITION_INDEX_FIELDS],
        )
        tri, bi = search.index_entry(texts)
        b.tri.append((case_id, tri))
        b.bi.append((case_id, bi))
        return case_id, case_no

    def flush(self) -> None:
        b, conn = self.batch, self.db.conn
        # parents before children, so the foreign keys hold at every statement
        conn.executemany(_PEOPLE_SQL, b.people)
        conn.executemany(_PEOPLE_UPDATE_SQL, b.people_updates)
        conn.executemany(_CASES_SQL, b.cases)
        conn.executemany(_PETITIONS_SQL, b.petitions)
        conn.executemany(_CASE_PEOPLE_SQL, b.case_people)
        conn.executemany(_TIMELINE_SQL, b.timeline)
        conn.executemany(_TRI_SQL, b.tri)
        conn.executemany(_BI_SQL, b.bi)
        self.batch = _Batch()

    def finish(self) -> None:
        self.flush()
        self.db.conn.executemany(
            """INSERT INTO case_counters (kind, year, last_seq) VALUES (?, ?, ?)
               ON CONFLICT (kind, year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)""",
            [(KIND, year, self.counters[year]) for year in sorted(self.used_years)],
        )


def insert_petitions(
    db: sqlite_utils.Database, items: Iterable[PetitionLoad], batch_size: int = BATCH_SIZE
) -> int:
    """Insert the petitions in one transaction (a savepoint if one is open); return how many.

    An exception raised while `items` is being iterated (e.g. the user cancelled) rolls all back.
    """
    (old_cache,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute("PRAGMA cache_size = -65536")  # 64 MB while loading: fewer spills to the WAL
    try:
        with db.atomic():
            loader = _Loader(db)
            n = 0
            for item in items:
                loader.add(item)
                n += 1
                if len(loader.batch) >= batch_size:
                    loader.flush()
            loader.finish()
    finally:
        db.execute(f"PRAGMA cache_size = {int(old_cache)}")
    return n


def merge_indexes(db: sqlite_utils.Database) -> None:
    """Merge the search indexes' segments after a big load (faster searches, smaller file)."""
    with db.atomic():
        db.execute("INSERT INTO search_tri (search_tri) VALUES ('optimize')")
        db.execute("INSERT INTO search_bi (search_bi) VALUES ('optimize')")


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy the write-ahead log into the database file and truncate it (after a big load)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
