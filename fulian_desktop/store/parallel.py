"""A big load's pure per-row work done in a second process while the loader writes: packing the documents a case
issued (store/case_documents.pack) and making the search entries (store/search.index_entry). The clerk waits for the
wall clock, and an office PC has two cores or more.

The loader gives each piece of work with the row its result goes into; the work is sent in chunks as it comes, and
every result is in its row before the batch is written (`collect`, at each flush): the rows written are the ones the
loader would have made itself. A document's content is copied (pickled) when it is given, as packing it then would
have read it. When the other core is busy (the second process AHEAD chunks or more behind), this process does the
next chunk itself; at a flush it does the chunks not yet begun and the last one, and waits only for those under way:
the same functions either way, so the wait is short and the work is never done slower than in one process by much.

The process is started with "spawn" (Windows has no fork): it imports this module afresh and nothing of the program
above it. A packaged program calls multiprocessing.freeze_support() first (main.py). If the process fails or dies,
`collect` raises StorageError: the load's transaction rolls back and nothing is half-written. `helping` closes the
process on every path (done, stopped by the clerk, failed). A small load does not start one (`FLOOR`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from ..domain.errors import StorageError
from . import case_documents, search

log = logging.getLogger(__name__)

FLOOR = 2000  # rows: a smaller load stays in one process (the second one costs more to start than it saves)
CHUNK = 256  # pieces of work sent at once
AHEAD = 4  # chunks the process may have waiting; with as many, this one does the next chunk itself
FAILED = "导入时用来加快速度的后台进程意外停止了，这次导入没有完成。请再导入一次：这次不用后台进程，会慢一些。"

_given_up = False  # a second process failed in this program: the next loads stay in one process (as FAILED says)

_PACK, _INDEX = 0, 1
_Place = tuple[list[tuple[Any, ...]], int, int]  # (a batch's rows of a table, which row, which value)


def _fill(places: list[tuple[_Place, ...]], results: list[Any]) -> None:
    """Each result into its row (an entry's two texts into its two rows)."""
    for where, result in zip(places, results, strict=True):
        for (rows, which, value), x in zip(where, (result,) if len(where) == 1 else result, strict=True):
            row = rows[which]
            rows[which] = (*row[:value], x, *row[value + 1:])


def work(pieces: list[tuple[int, Any]]) -> list[Any]:
    """(In the second process, or in this one when that one is behind.) Each piece's result, in order: a document's
    content (pickled) packed, or a case's texts (joined) made into its search entry."""
    return [case_documents.pack(pickle.loads(arg)) if what == _PACK else search.joined_entry(arg)
            for what, arg in pieces]


class Helper:
    """The second process, and the rows waiting for its results. When the other core is busy (another program, or
    the helper has fallen behind: AHEAD chunks or more waiting), this process does a chunk itself rather than wait
    for it: the same functions, the same results."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._pieces: list[tuple[int, Any]] = []
        self._places: list[tuple[_Place, ...]] = []  # where each piece's result goes
        self._sent: list[tuple[Future[list[Any]], list[tuple[int, Any]], list[tuple[_Place, ...]]]] = []
        self._open = 0  # the first of _sent not yet done (the process does them in order)

    def pack(self, content: dict[str, Any], place: _Place) -> None:
        """The content packed goes into this place (rows[which][value])."""
        self._give((_PACK, pickle.dumps(content, pickle.HIGHEST_PROTOCOL)), (place,))

    def index(self, texts: list[str], tri: _Place, bi: _Place) -> None:
        """The search entry of the case's texts goes into these places (its search_tri and search_bi rows)."""
        self._give((_INDEX, search.joined_texts(texts)), (tri, bi))

    def _give(self, piece: tuple[int, Any], places: tuple[_Place, ...]) -> None:
        self._pieces.append(piece)
        self._places.append(places)
        if len(self._pieces) >= CHUNK:
            self._send()

    def _send(self) -> None:
        pieces, places, self._pieces, self._places = self._pieces, self._places, [], []
        while self._open < len(self._sent) and self._sent[self._open][0].done():
            self._open += 1
        if len(self._sent) - self._open >= AHEAD:  # it is behind: this one done here
            _fill(places, work(pieces))
            return
        try:
            self._sent.append((self._pool.submit(work, pieces), pieces, places))
        except Exception as e:  # the process has already died (BrokenProcessPool)
            self._fail(e)

    def collect(self) -> None:
        """Every result given so far in its row: those the process has not begun, and the last ones not sent, done
        here; the others waited for."""
        for future, pieces, places in self._sent:
            if future.cancel():
                _fill(places, work(pieces))
                continue
            try:
                results = future.result()
            except Exception as e:  # the process died (BrokenProcessPool), or the work failed in it
                self._fail(e)
            _fill(places, results)
        self._sent, self._open = [], 0
        if self._pieces:
            _fill(self._places, work(self._pieces))
            self._pieces, self._places = [], []

    def _fail(self, e: BaseException) -> None:
        global _given_up
        _given_up = True
        log.error("the import's second process failed: %s", type(e).__name__)
        for future, _pieces, _places in self._sent:
            future.cancel()
        self._sent = []
        raise StorageError(FAILED) from e

    def close(self) -> None:
        """End the process (what is still waiting is dropped)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _cores() -> int:
    """The cores this program may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (Windows, macOS)
        return os.cpu_count() or 1


@contextmanager
def helping(rows: int) -> Iterator[Helper | None]:
    """A second process for a load of `rows` rows, closed at the end whatever happens; None for a small load, on a
    computer of one core (the two would take turns), and once one has failed in this program."""
    if rows < FLOOR or _given_up or _cores() < 2:
        yield None
        return
    helper = Helper()
    try:
        yield helper
    finally:
        helper.close()
