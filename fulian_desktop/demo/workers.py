"""A big demo made in parts, by worker processes, while this process writes (issue 22: a million cases in ten minutes).

The plan of every case (generate._plan: when, what kind, which opens which) and the cases' numbers are made as for a
small demo, but in a process of their own (`plan_apart`: the memory a million planned cases held goes with it). The
cases are then made in parts of `PART` cases, each part from a random source of its own (the
run's seed and the part's number), by worker processes ("spawn", as on Windows); this process writes each part's rows
in the parts' order, in the one transaction of bulk.loading. The same seed gives the same rows whatever the number of
workers (0: the parts made in this process, one after another).

What a part knows is its own: the women who come back are drawn from those of its part (a part is a few weeks of a
city's cases), the ID numbers it makes are drawn from serials of its own (petitions.UsedIds, _State.serials), its
people and visits are numbered from 1 and numbered on by the writer (store/bulk.Loader.take). A case a part's case
opens later (a referral from a petition, a petition a household's visit found) is made and written with it even when
its turn falls in a later part; that part leaves it out.

A worker's failure stops the run (WorkerFailed, nothing written: the transaction is rolled back); so does Ctrl+C (the
workers ignore it: this process stops them). Each worker keeps at most `AHEAD` batches of rows waiting, and two parts
to make, so that the memory of the whole run stays bounded.
"""

from __future__ import annotations

import copy
import math
import multiprocessing
import pickle
import queue
import random
import signal
import traceback
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any

from ..domain.errors import FulianError
from ..store import bulk
from .petitions import SERIALS, _Maker, _State

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnProcess
    from multiprocessing.queues import Queue

PART = 5000  # cases made from one random source (the same for any number of workers)
BATCH = 1000  # cases a worker sends at once
AHEAD = 3  # batches of a worker's that may wait to be written (then it waits)
WAIT = 1.0  # seconds between looks at a worker that sends nothing


class WorkerFailed(FulianError):
    """A worker process failed or ended: nothing of the run is kept (the command line says so)."""

    def __init__(self, detail: str) -> None:
        first = detail.split("\n", 1)[0]
        super().__init__(f"生成演示数据时一个工作进程出错，已停止，没有加入任何演示数据。（{first}）")
        self.detail = detail  # with the worker's traceback


@dataclass
class Setup:
    """What every part needs: the run's seed, the day, the office's lists (sent once to each worker)."""

    seed: int
    state: _State  # today, the townships, topics, staff, office, calendar, the ID numbers already used
    lists: dict[str, Any]  # kinds.World.lists()
    mark: str  # the office's mark in case numbers
    parts: int
    # generate._make, handed over (sent to a worker as its name: this module imports nothing of generate's, which
    # imports it — no circle)
    make: Callable[..., None]


@dataclass
class Part:
    index: int
    first_id: int  # its first case's id (its cases' ids follow)
    counters: dict[tuple[str, int], int]  # each kind and year's last number before it
    slots: list[Any]  # generate._Slot
    made_before: set[int] = field(default_factory=set)  # its cases made by an earlier part's


@dataclass
class Planned:
    """Every case planned (demo.generate.plan_parts), in parts packed."""

    parts: list[bytes]
    cases: int
    counters: dict[tuple[str, int], int]  # each kind and year's last number taken
    used: set[tuple[str, int]]  # the kinds and years numbered


def plan_apart(plan: Callable[..., Planned], *args: Any) -> Planned:
    """plan(*args) (generate.plan_parts) in a process of its own, so that the memory the plan held goes with it."""
    mp = multiprocessing.get_context("spawn")
    reader, writer = mp.Pipe(duplex=False)
    proc = mp.Process(target=_plan_work, args=(plan, args, writer), daemon=True)
    proc.start()
    writer.close()  # (its only writer now in the planner: should it die, the reader hears so)
    try:
        while not reader.poll(WAIT):
            if not proc.is_alive() and not reader.poll(0):
                raise WorkerFailed(f"计划进程意外退出，退出码 {proc.exitcode}")
        try:
            what, body = pickle.loads(reader.recv_bytes())
        except EOFError:
            raise WorkerFailed(f"计划进程意外退出，退出码 {proc.exitcode}") from None
        if what == "failed":
            raise WorkerFailed(str(body))
        assert isinstance(body, Planned)
        return body
    finally:
        reader.close()
        if proc.is_alive():
            proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
        proc.join()


def _plan_work(plan: Callable[..., Planned], args: tuple[Any, ...], writer: Connection) -> None:
    """The planner: the plan (or "failed" with the traceback) sent; a writer gone ends it (its pipe is closed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        message: tuple[str, Any] = ("planned", plan(*args))
    except BaseException as e:  # noqa: BLE001 — whatever it is, the writer must hear of it
        message = ("failed", f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    try:
        writer.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # the writer is gone
        pass


def part_size(cases: int) -> int:
    """Cases a part: PART, more for so many cases that each part still has serials of its own."""
    return max(PART, math.ceil(cases / SERIALS))


def pack(part: Part) -> bytes:
    """A part as it is sent to its worker (and kept until then: small)."""
    return zlib.compress(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> Part:
    part = pickle.loads(zlib.decompress(data))
    assert isinstance(part, Part)
    return part


def make_part(setup: Setup, part: Part, send: Callable[[bulk.Rows], None], batch: int = BATCH) -> None:
    """Make one part's cases (their forms unchecked: stories.made_up); their rows go to `send` by batches."""
    from . import kinds as demo_kinds
    from . import stories

    _make = setup.make
    rng = random.Random(f"{setup.seed}/{part.index}")
    state = copy.copy(setup.state)
    state.used_ids = copy.deepcopy(setup.state.used_ids)
    state.recent = []
    state.serials = (part.index % setup.parts, setup.parts) if setup.parts > 1 else (0, 1)
    maker = _Maker(rng, state)
    world = demo_kinds.World.again(setup.lists, rng, state, maker)
    loader = bulk.Detached(part.first_id, setup.mark, send, batch)
    children: dict[int, Any] = {}  # generate._Slot
    for s in part.slots:
        opened = ([s.child] if s.child is not None else []) + [c for _day, _kind, c in s.spawns]
        for c in ([s] if s.make == "child" else []) + opened:
            if c.res is not None and c.res.case_id not in part.made_before:
                children[c.res.case_id] = c
    counters = dict(part.counters)
    with stories.made_up():
        for i, slot in enumerate(part.slots):
            key = (slot.kind, slot.on.year)
            counters[key] = seq = counters.get(key, 0) + 1
            if slot.res is not None and slot.res.case_id in part.made_before:
                continue  # made with the case that opened it, in an earlier part
            _make(world, loader, slot, children, slot.res or loader.numbered(part.first_id + i, *key, seq))
        for case_id in sorted(children):  # opened by its cases, their turn in a later part: written now
            child = children[case_id]
            assert child.res is not None
            _make(world, loader, child, children, child.res)
    loader.finish()


class _Orphaned(Exception):
    """The writer is gone (ended from outside: the task manager, a kill): the worker ends too."""


def _get(tasks: Queue[bytes | None]) -> bytes | None:
    while True:
        try:
            return tasks.get(timeout=WAIT)
        except queue.Empty:
            writer = multiprocessing.parent_process()
            if writer is not None and not writer.is_alive():
                raise _Orphaned from None


def _work(setup: Setup, tasks: Queue[bytes | None], out: Connection) -> None:
    """A worker: make the parts it is given, send their rows, then "done"; "failed" with the traceback if it fails.
    It ends by itself when the writer is gone: its pipe broken, or (waiting for a part) at most WAIT seconds later."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the writer, which stops the workers
    try:
        while (task := _get(tasks)) is not None:
            part = unpack(task)
            make_part(setup, part, lambda rows: out.send(("rows", rows)))
            out.send(("done", part.index))
    except (_Orphaned, BrokenPipeError, ConnectionResetError):
        return
    except BaseException as e:  # noqa: BLE001 — whatever it is, the writer must hear of it
        try:
            out.send(("failed", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))
        except OSError:
            return


class Makers:
    """`count` worker processes making the parts, or (0) this process making them as they are asked for.

    Each worker's rows come through a pipe only it writes to (a worker that dies, even half-way through a batch, is
    heard as the pipe's end); they are read as they come, from every worker, up to AHEAD batches waiting for each
    (then that worker waits): the parts are written in order, and the next workers' meanwhile keep being made."""

    def __init__(self, setup: Setup, count: int) -> None:
        self.setup, self.count = setup, count
        self.tasks: list[Queue[bytes | None]] = []
        self.out: list[Connection] = []
        self.came: list[deque[tuple[str, Any]]] = []  # by worker: what it sent, not yet written
        self.procs: list[SpawnProcess] = []
        self.waiting: dict[int, bytes] = {}  # in this process: the parts given, by number

    def __enter__(self) -> Makers:
        mp = multiprocessing.get_context("spawn")
        for _ in range(self.count):
            tasks: Queue[bytes | None] = mp.Queue()
            reader, writer = mp.Pipe(duplex=False)
            proc = mp.Process(target=_work, args=(self.setup, tasks, writer), daemon=True)
            proc.start()
            writer.close()  # the worker's only: its end is the pipe's end
            self.tasks.append(tasks)
            self.out.append(reader)
            self.came.append(deque())
            self.procs.append(proc)
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.stop(at_once=kind is not None)

    def stop(self, at_once: bool = False) -> None:
        """The workers told to end (all their parts made), or, `at_once` (a failure, Ctrl+C), ended now."""
        for tasks in self.tasks:
            tasks.put(None)
        for proc in self.procs:
            if at_once:
                proc.terminate()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for q in self.tasks:
            q.cancel_join_thread()  # (a part nobody will make: not waited for)
            q.close()
        for reader in self.out:
            reader.close()
        self.procs, self.tasks, self.out, self.came = [], [], [], []

    def give(self, index: int, part: bytes) -> None:
        """Part `index` (`pack`ed) to make, by the worker that makes every `count`-th part."""
        if self.count:
            self.tasks[index % self.count].put(part)
        else:
            self.waiting[index] = part

    def rows(self, index: int) -> Iterator[bulk.Rows]:
        """Part `index`'s rows, batch by batch (its parts are given in order)."""
        if not self.count:
            made: list[bulk.Rows] = []
            make_part(self.setup, unpack(self.waiting.pop(index)), made.append)
            yield from made
            return
        w = index % self.count
        while True:
            while not self.came[w]:
                self._receive(w)
            what, body = self.came[w].popleft()
            if what == "rows":
                yield body
            elif what == "done":
                assert body == index, "a worker's parts came out of order"
                return
            else:
                raise WorkerFailed(str(body))

    def _receive(self, w: int) -> None:
        """Read what has come (waiting at most WAIT seconds): from worker `w`, and from any other with room."""
        open_ = [i for i in range(self.count) if i == w or len(self.came[i]) < AHEAD]
        ready = wait([self.out[i] for i in open_], timeout=WAIT)
        for i in open_:
            if self.out[i] not in ready:
                continue
            try:
                self.came[i].append(self.out[i].recv())
            except (EOFError, OSError):  # it ended: died, or killed (perhaps half-way through a batch)
                failed = [body for what, body in self.came[i] if what == "failed"]
                if failed:  # (it said why before it ended, not yet read in turn: that is the reason)
                    raise WorkerFailed(str(failed[0])) from None
                self.procs[i].join(timeout=WAIT)
                raise WorkerFailed(f"工作进程{i + 1}意外退出，退出码 {self.procs[i].exitcode}") from None
