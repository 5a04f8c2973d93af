"""Find any case fast: by any part of a name (also two characters), pinyin initials, case number,
ID number, phone, or words in what happened — and the filtered, sorted list behind the main window.

Two FTS5 indexes keyed by case id: `search_tri` (trigram tokenizer) answers queries of three or more
characters; `search_bi` holds every pair of adjacent characters (and the pinyin initials of names) as
tokens, because the trigram tokenizer silently returns nothing for shorter queries. One-character
queries look at names and case numbers only.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..domain.case_rows import CaseRow
from ..domain.dates import from_iso, to_iso
from ..domain.filters import CaseFilter
from ..domain.names import pinyin_initials
from . import keyset

if TYPE_CHECKING:
    import sqlite_utils

# Text that each kind contributes to the index, beyond the case row and its people.
# Every kind registers one query returning text columns for `:case_id`.
KIND_TEXT_SQL: dict[str, str] = {
    # store/bulk.py computes the same texts without a query (PETITION_INDEX_FIELDS): keep them in step
    "petition": "SELECT facts, request, respondent_name, handling_agency FROM petitions "
                "WHERE case_id = :case_id",
    "referral": "SELECT matter, role, legal_state, help_kinds, facts, request, occupation, opponent_name, "
                "organisation_name, lawyer, refused_reason, withdrawn_reason, result, result_note "
                "FROM referrals WHERE case_id = :case_id",
    "household": "SELECT h.address, h.household_type, h.notes, "
                 "(SELECT group_concat(k.name || ' ' || k.unit, ' ') FROM household_cadres k "
                 "WHERE k.case_id = :case_id) FROM households h WHERE h.case_id = :case_id",
    "mediation": "SELECT m.source, m.dispute_type, m.relationship, m.facts, m.request, m.outcome_note, "
                 "m.failed_route, m.agreement_facts, (SELECT group_concat(r.name, ' ') FROM mediation_mediators mm "
                 "JOIN mediators r ON r.id = mm.mediator_id WHERE mm.case_id = :case_id) "
                 "FROM mediations m WHERE m.case_id = :case_id",
}

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("Ａ") + i: ord("a") + i for i in range(26)})
_FULLWIDTH.update({ord("ａ") + i: ord("a") + i for i in range(26)})


_FULLWIDTH_CHAR = re.compile("[" + "".join(map(chr, _FULLWIDTH)) + "]")  # (any character the table turns)


def normalize(text: str) -> str:
    # (translated only when it holds a full-width letter or digit: translating a Chinese text looks up every
    # character, ten times the time of the search that finds there is none)
    if _FULLWIDTH_CHAR.search(text) is not None:
        text = text.translate(_FULLWIDTH)
    return text.lower()


_WORDS = re.compile(r"\w\w+")


def _pairs(text: str) -> set[str]:
    pairs: set[str] = set()
    for run in _WORDS.findall(text):
        pairs.update(map(operator.add, run, run[1:]))  # each character with the next (half the time of slicing)
    return pairs


def case_texts(
    case_no: str,
    fields: Iterable[object],
    people: Iterable[tuple[str, str, str]],
    kind_texts: Iterable[object] = (),
) -> list[str]:
    """The texts a case is found by, in index order, computed without the database.

    `fields` are the case row's township, village, category, subcategory and summary; `people`
    (name, ID number, phone) in the order they were added to the case; `kind_texts` the values
    KIND_TEXT_SQL returns for the case's kind.
    """
    texts = [case_no, case_no.replace("〔", "").replace("〕", "")] + [str(v) for v in fields]
    for name, id_number, phone in people:
        texts += [name, pinyin_initials(name), id_number, phone]
    texts += [str(v) for v in kind_texts if v]
    return texts


def _searched_words(joined: str) -> str:
    """The words of `joined` a trigram search can find anything in: a term (three characters or more) never holds
    a space, so it is found in the text exactly when it lies within one of its words — each word is kept once, and
    not at all when it lies within another word or is shorter than three characters. The same cases are found;
    fewer trigrams are kept (15 % of the index on the demo)."""
    words = [w for w in dict.fromkeys(joined.split()) if len(w) >= 3]
    kept = ""
    for w in sorted(words, key=len, reverse=True):  # a word can only lie within a longer one (or its equal)
        if w not in kept:
            kept += " " + w  # no word holds a space: none is found across two
    within = set(kept.split())
    return " ".join(w for w in words if w in within)


def index_entry(texts: Iterable[str]) -> tuple[str, str]:
    """(text for `search_tri`, grams for `search_bi`) of one case's texts, without the database."""
    # one space between the texts: a search term never holds one (the text is split at spaces), so the trigrams
    # across two texts are never asked for
    return joined_entry(joined_texts(texts))


def joined_texts(texts: Iterable[str]) -> str:
    """A case's texts as one, as its search entry is made from them (store/parallel.py sends this to its process)."""
    return " ".join(t for t in texts if t)


def joined_entry(joined: str) -> tuple[str, str]:
    """index_entry of the texts joined (store/parallel.py sends one text to its second process, not a list)."""
    joined = normalize(joined)
    # the pairs of each text are those of the joined text: the separators are no word characters
    return _searched_words(joined), " ".join(sorted(_pairs(joined)))


def _case_texts(db: sqlite_utils.Database, case_id: int) -> list[str] | None:
    row = db.execute(
        "SELECT kind, case_no, township, village, category, subcategory, summary FROM cases WHERE id = ?",
        [case_id],
    ).fetchone()
    if row is None:
        return None
    people = db.execute(
        """SELECT p.name, p.id_number, p.phone FROM case_people cp JOIN people p ON p.id = cp.person_id
           WHERE cp.case_id = ? ORDER BY cp.position, cp.rowid""",
        [case_id],
    ).fetchall()
    kind_texts: list[object] = []
    sql = KIND_TEXT_SQL.get(row[0])
    if sql:
        for r in db.execute(sql, {"case_id": case_id}).fetchall():
            kind_texts += list(r)
    return case_texts(row[1], row[2:], people, kind_texts)


def reindex(db: sqlite_utils.Database, case_id: int) -> None:
    """Bring the case's index entries up to date. Call inside the action's transaction."""
    db.execute("DELETE FROM search_tri WHERE rowid = ?", [case_id])
    db.execute("DELETE FROM search_bi WHERE rowid = ?", [case_id])
    texts = _case_texts(db, case_id)
    if texts is None:
        return
    joined, grams = index_entry(texts)
    db.execute("INSERT INTO search_tri (rowid, text) VALUES (?, ?)", [case_id, joined])
    db.execute("INSERT INTO search_bi (rowid, grams) VALUES (?, ?)", [case_id, grams])


def rebuild(db: sqlite_utils.Database, case_ids: Iterable[int] | None = None) -> None:
    ids = case_ids if case_ids is not None else [r[0] for r in db.execute("SELECT id FROM cases").fetchall()]
    for case_id in ids:
        reindex(db, case_id)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# How many hits a search counts at most: beyond it the window says "1,000+" and reads more as it is scrolled
# (large systems do the same) — counting 40,000 hits of a common word would touch each of them.
COUNT_BOUND = 1000


@dataclass(frozen=True)
class _Terms:
    """The search text as conditions: all terms of three or more characters in one query of the trigram index,
    all two-character terms in one of the pairs index, one-character terms on names and case numbers."""

    tri: str = ""  # FTS5 query of search_tri ('"abc" "def"', every term required) or ""
    bi: str = ""
    likes: tuple[str, ...] = ()  # LIKE patterns

    @classmethod
    def of(cls, text: str) -> _Terms:
        tri, bi, likes = [], [], []
        for term in normalize(text).split():
            if len(term) >= 3:
                tri.append(_quote(term))
            elif len(term) == 2 and re.fullmatch(r"\w\w", term):
                bi.append(_quote(term))
            else:
                likes.append("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        return cls(" ".join(tri), " ".join(bi), tuple(likes))

    def __bool__(self) -> bool:
        return bool(self.tri or self.bi or self.likes)

    def without(self, index: str) -> _Terms:
        return replace(self, tri="") if index == "tri" else replace(self, bi="")


_FTS = (("tri", "search_tri", "text"), ("bi", "search_bi", "grams"))
_LIKE = "(c.names LIKE ? ESCAPE '\\' OR c.case_no LIKE ? ESCAPE '\\')"
_LIKE_IDS = "SELECT id FROM cases WHERE names LIKE ? ESCAPE '\\' OR case_no LIKE ? ESCAPE '\\'"

# How the terms are asked for, by how many cases they find (every way gives the same rows):
# "drive" — few hits: each hit looked up by its id, then sorted;
# "sift" — more: the hits' ids gathered first, the list read in its order from an index, each row kept or not;
# "probe" — a common word: the list read in its order, each row asked of the index until the page is full.
DRIVE, SIFT, PROBE = "drive", "sift", "probe"


def _term_conditions(terms: _Terms, how: str, found: list[int] | None = None) -> tuple[list[str], list[object]]:
    """`found`: the ids of every case the one-character terms find, when already read (few)."""
    conds: list[str] = []
    params: list[object] = []
    if found is not None and terms.likes:
        conds.append("c.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(found))
        terms = replace(terms, likes=())
    for attr, table, _column in _FTS:
        query = getattr(terms, attr)
        if not query:
            continue
        if how == PROBE:
            conds.append(f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = c.id)")
        else:
            conds.append(f"{'+' if how == SIFT else ''}c.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
        params.append(query)
    for like in terms.likes:
        conds.append(_LIKE if how == PROBE else f"{'+' if how == SIFT else ''}c.id IN ({_LIKE_IDS})")
        params += [like, like]
    return conds, params


SORT_COLUMNS = {
    # every order ends with the id, so that no two rows tie (store/keyset.py), each read from an index both ways
    # (migration 0025)
    "case_no": "c.year {d}, c.kind, c.seq {d}, c.id",
    "kind": "c.kind {d}, c.received_on DESC, c.id",
    "status": "c.status {d}, c.received_on DESC, c.id",
    "received_on": "c.received_on {d}, c.id {d}",
    "names": "c.names {d}, c.id DESC",
    "township": "c.township {d}, c.received_on DESC, c.id",
    "category": "c.category {d}, c.received_on DESC, c.id",
    "due_on": "c.is_open DESC, c.due_on IS NULL, c.due_on {d}, c.id",
    "due_label": "c.due_label {d}, c.due_on, c.id",
}
# the same order where only open cases with a date are listed (the due filters): read in order from the due
# index, the first page without reading and sorting every case due
DUE_ORDER = "c.due_on {d}, c.id"


def case_order(f: CaseFilter, sort: str, descending: bool) -> keyset.Order:
    order = (DUE_ORDER if sort == "due_on" and f.due and f.today else
             SORT_COLUMNS.get(sort, SORT_COLUMNS["received_on"])).format(d="DESC" if descending else "ASC")
    return keyset.Order.parse(order, frozenset({"c.due_on"}))


def _where(f: CaseFilter, how: str = DRIVE, found: list[int] | None = None) -> tuple[str, list[object]]:
    conds, params = _term_conditions(_Terms.of(f.text), how, found)
    more, more_params = _filter_conditions(f)
    conds += more
    params += more_params
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def _filter_conditions(f: CaseFilter) -> tuple[list[str], list[object]]:
    """Every condition but the search text's."""
    conds: list[str] = []
    params: list[object] = []
    if f.kind:
        conds.append("c.kind = ?")
        params.append(f.kind)
    if f.status == "open":
        conds.append("c.is_open = 1")
    elif f.status:
        conds.append("c.status = ?")
        params.append(f.status)
    if f.category:
        conds.append("c.category = ?")
        params.append(f.category)
    if f.township:
        conds.append("c.township = ?")
        params.append(f.township)
    if f.date_from:
        conds.append("c.received_on >= ?")
        params.append(to_iso(f.date_from))
    if f.date_to:
        conds.append("c.received_on <= ?")
        params.append(to_iso(f.date_to))
    if f.due and f.today:
        limit = f.today if f.due == "overdue" else f.today + dt.timedelta(days=f.due_soon_days)
        op = "<" if f.due == "overdue" else "<="
        conds.append(f"c.is_open = 1 AND c.due_on IS NOT NULL AND c.due_on {op} ?")
        params.append(to_iso(limit))
    return conds, params


def _hits(db: sqlite_utils.Database, terms: _Terms, at_most: int, f: CaseFilter | None = None) -> int:
    """How many cases the search text (and the other conditions of `f`) finds, counted up to `at_most`: the hits
    of the first full-text query in the order the index holds them, each case looked up; without one, the
    names and case numbers read from their index."""
    conds, params = _filter_conditions(f) if f is not None else ([], [])
    sql, args = "", []
    for attr, table, _column in _FTS:
        query = getattr(terms, attr)
        if query:
            rest, rest_params = _term_conditions(terms.without(attr), PROBE)
            where = "".join(f" AND {c}" for c in rest + conds)
            # (the index holds every case once, under its id: without other conditions no case is looked up; the
            # table's own name on the left of MATCH, not its column's, which the pairs index (detail = none) refuses)
            join = " JOIN cases c ON c.id = f.rowid" if where else ""
            sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} f{join} WHERE f.{table} MATCH ?{where} LIMIT ?)"
            args = [query, *rest_params, *params, at_most]
            break
    else:
        return len(_found(db, terms, at_most, f))
    # the list asks how to search and how many there are, one after the other: counted once
    memo = (*_unchanged(db), sql, tuple(args))
    if memo not in _COUNTED:
        if len(_COUNTED) > 32:
            _COUNTED.clear()
        _COUNTED[memo] = int(db.execute(sql, args).fetchone()[0])
    return _COUNTED[memo]


def _found(db: sqlite_utils.Database, terms: _Terms, at_most: int, f: CaseFilter | None = None) -> list[int]:
    """The ids of the cases one-character terms (and the other conditions of `f`) find, up to `at_most`, read from
    the index of names and case numbers — once for the list's questions (how to ask, how many, the first page)."""
    conds, params = _filter_conditions(f) if f is not None else ([], [])
    rest, rest_params = _term_conditions(terms, PROBE)
    sql = f"SELECT c.id FROM cases c WHERE {' AND '.join(rest + conds)} LIMIT ?"
    args = [*rest_params, *params, at_most]
    memo = (*_unchanged(db), sql, tuple(args))
    if memo not in _FOUND:
        if len(_FOUND) > 32:
            _FOUND.clear()
        _FOUND[memo] = [int(r[0]) for r in db.execute(sql, args).fetchall()]
    return _FOUND[memo]


def _unchanged(db: sqlite_utils.Database) -> tuple[object, int, int]:
    """What stays the same while nothing in the database changed: the connection itself (held, so that no
    other takes its place), its changes, and SQLite's data_version, which moves when another connection (the
    command line, an import) has written."""
    return db.conn, db.conn.total_changes, int(db.execute("PRAGMA data_version").fetchone()[0])


_COUNTED: dict[tuple[object, ...], int] = {}
_FOUND: dict[tuple[object, ...], list[int]] = {}
_HOW: dict[tuple[object, ...], str] = {}  # the last searches' ways, while nothing in the database changed


def _how(db: sqlite_utils.Database, f: CaseFilter) -> str:
    """How to ask for the search text's hits (the same rows whichever way): by how common the text is. Names
    and case numbers (one character) are checked row by row cheaply, so they are sifted from the list only
    when few; a full-text hit is asked of its index, which costs more a row, so only for a common word."""
    terms = _Terms.of(f.text)
    if not terms:
        return DRIVE
    memo = (*_unchanged(db), terms)
    if memo in _HOW:
        return _HOW[memo]
    if terms.tri or terms.bi:
        total = int(db.execute("SELECT max(id) FROM cases").fetchone()[0] or 0)  # about how many cases there are
        common = max(COUNT_BOUND + 1, total // 20)
    else:
        common = COUNT_BOUND + 1
    hits = _hits(db, terms, common)
    how = DRIVE if hits <= COUNT_BOUND else PROBE if hits >= common else SIFT
    if len(_HOW) > 32:
        _HOW.clear()
    _HOW[memo] = how
    return how


def count_cases(db: sqlite_utils.Database, f: CaseFilter, bound: int | None = None) -> int:
    """How many cases the filter finds — with `bound`, counted no further than bound + 1 (more than `bound`)."""
    if bound is None:
        where, params = _where(f)
        return int(db.execute(f"SELECT COUNT(*) FROM cases c{where}", params).fetchone()[0])
    terms = _Terms.of(f.text)
    if terms:
        return _hits(db, terms, bound + 1, f)
    where, params = _where(f)
    return int(db.execute(f"SELECT count(*) FROM (SELECT 1 FROM cases c{where} LIMIT ?)",
                          [*params, bound + 1]).fetchone()[0])


_LIST_SELECT = """SELECT c.id, c.case_no, c.kind, c.status, c.received_on, c.names, c.township, c.category,
                   c.summary, CASE WHEN c.is_open THEN c.due_on END, c.due_label, c.supervised_on IS NOT NULL,
                   CASE WHEN c.kind = 'referral' THEN (SELECT r.service FROM referrals r WHERE r.case_id = c.id) END
            FROM cases c"""


def list_cases(
    db: sqlite_utils.Database,
    f: CaseFilter,
    sort: str = "received_on",
    descending: bool = True,
    limit: int = 100,
    offset: int = 0,
    *,
    after: int | None = None,
    before: int | None = None,
    from_end: bool = False,
) -> list[CaseRow]:
    """One page of the list in its order: at `offset` (counted from the end when `from_end`), or just after the
    case `after` / just before the case `before` (ids of rows already shown), read on from the order's index —
    at `offset` from the top if that case is gone."""
    order = case_order(f, sort, descending)
    how = _how(db, f)
    terms = _Terms.of(f.text)
    found = None
    if how == DRIVE and terms.likes and not (terms.tri or terms.bi):  # few: their ids are known already
        found = _found(db, terms, COUNT_BOUND + 1)
        found = found if len(found) <= COUNT_BOUND else None
    where, params = _where(f, how, found)
    keys = {}
    for name, case_id in (("after", after), ("before", before)):
        if case_id is not None:
            keys[name] = keyset.key_of(db, "cases c", "c.id", order, case_id)
            if keys[name] is None:  # the case is gone: read the page by its place instead
                keys = {}
                break
    rows = keyset.page(db, _LIST_SELECT, where, params, order, limit, offset, from_end=from_end, **keys)
    return [
        CaseRow(
            id=r[0], case_no=r[1], kind=r[2], status=r[3], received_on=from_iso(r[4]),  # type: ignore[arg-type]
            names=r[5], township=r[6], category=r[7], summary=r[8], due_on=from_iso(r[9]), due_label=r[10],
            supervised=bool(r[11]), service=r[12] or "",
        )
        for r in rows
    ]


def search(db: sqlite_utils.Database, text: str, limit: int = 50) -> list[CaseRow]:
    return list_cases(db, CaseFilter(text=text), limit=limit)
