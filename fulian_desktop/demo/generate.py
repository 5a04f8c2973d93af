"""Made-up demo data: realistic cases of every kind about people who do not exist.

`generate(ctx, cases)` fills a database with cases spread over the last six years, in the proportions
of a county office for a small demo (mostly mediations, a few dozen petitions, some legal-aid referrals,
a few households and people on care lists) and of a city or hotline for a big one (mostly petitions,
thousands of the others): see kind_counts.

Petitions (petitions.py): every channel, category and sub-kind, township and village; facts and requests
assembled from templates (domestic violence, divorce, maintenance, land compensation, labour...); group
petitions; repeat petitioners; and statuses that fit the case's age (old cases mostly concluded, some
refused, recent ones registered or in progress, a few overdue). Referrals, mediations and households
(kinds.py) are told step by step through stories.py, which writes what the services write;
some petitions are referred or sent to mediation, some household visits open a petition or a mediation,
and the same women come back across kinds.

Names are drawn from common surname and given-name characters (a few rare ones such as 堃 and 喆),
ID numbers are made with invented regional codes (439xxx), phones are random. Everything is
written through store.bulk in one transaction, so 100,000 cases take a minute or two.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from dateutil.relativedelta import relativedelta

from ..domain import petition as rules
from ..domain import petition_course as course
from ..domain.errors import RuleError
from ..services import settings
from ..services.context import Context
from ..services.petitions import list_summary
from ..store import bulk
from ..store import lists as list_store
from ..store import workdays as workday_store
from ..store.connection import Error as DriverError
from ..store.connection import storage_error
from .petitions import _CATEGORY_WEIGHTS, _CHANNEL_WEIGHTS, _GENERIC, SCENARIOS, UsedIds, _Maker, _State, id_key

if TYPE_CHECKING:
    import sqlite_utils

Progress = Callable[[int, int], "bool | None"]
T = TypeVar("T")

YEARS = 6
PROGRESS_EVERY = 500
PARALLEL_FROM = 20_000  # cases from which a demo is made by worker processes, one for each processor


def _spread(rng: random.Random, n: int, items: list[T], weights: list[int]) -> list[T]:
    """n picks by weight, each item at least once when n allows, in random order."""
    picks = list(items[:n]) + rng.choices(items, weights=weights, k=max(0, n - len(items)))
    rng.shuffle(picks)
    return picks


def _staff(ctx: Context, rng: random.Random, maker: _Maker) -> list[str]:
    staff = list_store.values(ctx.db, "staff")
    if not staff:
        staff = []
        while len(staff) < 5:
            name = maker.name(rng.random() < 0.8)
            if name not in staff:
                staff.append(name)
        for name in staff:
            list_store.add_value(ctx.db, "staff", name)
    return staff


# ---------------------------------------------------------------------------------------------
# How many of each kind, when, and which lead to which
# ---------------------------------------------------------------------------------------------

KIND_ORDER = ("petition", "referral", "mediation", "household")
# A county office's half-year (reference summary): 22 petitions, 8 legal-aid referrals, 85 mediations,
# a few households and care-list entries. A city or hotline with 100,000 records is mostly petitions.
COUNTY_MIX = {"petition": 0.18, "referral": 0.065, "mediation": 0.725, "household": 0.03}
CITY_MIX = {"petition": 0.66, "referral": 0.08, "mediation": 0.20, "household": 0.06}
COUNTY_SIZE, CITY_SIZE = 1_000, 50_000  # up to COUNTY_SIZE cases the county's mix, from CITY_SIZE the city's
REFERRED_FROM_PETITIONS = 0.35  # of referrals
MEDIATED_FROM_PETITIONS = 0.08  # of mediations
PARENT_SHARE = 0.15  # at most this share of petitions leads to a referral (and as many to a mediation)
VISIT_PETITIONS, VISIT_MEDIATIONS = 0.03, 0.02  # of households: a visit that found violence or a dispute
_REFERRAL_THEMES = ("dv", "divorce", "labour", "injury", "land", "inherit")
_MEDIATION_TOPICS = (("婚姻家庭", "家庭暴力"), ("婚姻家庭", "离婚问题"), ("婚姻家庭", "家庭纠纷"),
                     ("婚姻家庭", "配偶外遇/重婚/同居"), ("财产权益", "继承"))


def kind_counts(n: int, kinds: tuple[str, ...] = KIND_ORDER) -> dict[str, int]:
    """How many cases of each kind make `n`: the county's mix for a small demo, the city's for a big one
    (in between, by the logarithm of n); the counts add up to n exactly."""
    import math

    if n <= 0 or not kinds:
        return {k: 0 for k in kinds}
    w = (math.log10(n) - math.log10(COUNTY_SIZE)) / (math.log10(CITY_SIZE) - math.log10(COUNTY_SIZE))
    w = min(1.0, max(0.0, w))
    shares = {k: (1 - w) * COUNTY_MIX[k] + w * CITY_MIX[k] for k in kinds}
    total = sum(shares.values())
    raw = {k: n * v / total for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[k] += 1
    return counts


@dataclass(slots=True)
class _Slot:
    """One case to make: when it was received, what it is, and (made with its parent) its load. A million of them
    are planned at once: slotted, the days shared, and no number held (given again at its turn, in the same order)
    except by a case another one opens (`res`, taken before its turn)."""

    on: dt.date
    kind: str
    make: str  # petition / petition>referral / petition>mediation / referral / mediation / household / child
    order: int = 0  # a case another one opened comes after it on the same day
    channel: str = ""
    topic: tuple[str, str] = ("", "")
    child: _Slot | None = None
    plan: object = None  # demo_kinds.HouseholdPlan
    spawns: tuple[tuple[dt.date, str, _Slot], ...] = ()  # cases a household's visits open
    res: bulk.Reserved | None = None  # taken before its turn: a case another one opens
    load: object = None
    waiting: bool = False  # a referral still waiting for its answer
    plain: bool = False  # a petition that keeps its topic (demo._Maker.petition)


def _dates(rng: random.Random, today: dt.date, span: int, n: int, recent: int, recent_days: int = 20,
           weekdays: bool = False, skew: float = 0.85) -> list[dt.date]:
    out = []
    for i in range(n):
        if i < recent:
            day = today - dt.timedelta(days=rng.randint(0, recent_days))
        else:
            day = today - dt.timedelta(days=int(span * (1 - rng.random() ** skew)))
        out.append(_weekday(day, today) if weekdays else day)
    return out


def _plan(rng: random.Random, state: _State, n: int, kinds: tuple[str, ...], care_lists: list[str],
          told: int = 0) -> list[_Slot]:
    """Every case to make, in the order they were received (the order of their numbers); `told` referrals fewer
    (the services make them afterwards: demo/referral_services.py)."""
    from . import kinds as demo_kinds

    today = state.today
    start = today - relativedelta(years=YEARS)
    span = (today - start).days
    counts = kind_counts(n, kinds)
    if counts.get("referral", 0) >= told:
        counts["referral"] = counts.get("referral", 0) - told
    slots: list[_Slot] = []
    # households and people on care lists; a few of their visits open a petition or a mediation
    weights = [demo_kinds.LIST_WEIGHTS.get(name, 5) for name in care_lists]
    households = []
    if care_lists:
        for day in _dates(rng, today, span, counts.get("household", 0), 0, skew=1.6):
            plan = demo_kinds.HouseholdPlan(rng.choices(care_lists, weights=weights)[0])
            households.append(_Slot(day, "household", "household", plan=plan))
    else:
        counts["petition"] = counts.get("petition", 0) + counts.pop("household", 0)  # no care list to put them on
    eligible = [h for h in households if getattr(h.plan, "list_name", "") in demo_kinds.SPAWNING_LISTS
                and h.on <= today - dt.timedelta(days=40)]
    rng.shuffle(eligible)
    found = []
    for kind, share in (("petition", VISIT_PETITIONS), ("mediation", VISIT_MEDIATIONS)):
        if kind in kinds:
            k = min(round(share * len(households)), counts.get(kind, 0) // 10, len(eligible))
            found += [(kind, eligible.pop()) for _ in range(k)]
    for kind, h in found:
        first = max(h.on + dt.timedelta(days=10), today - dt.timedelta(days=365 * demo_kinds.VISIT_YEARS - 30))
        day = first + dt.timedelta(days=rng.randint(0, max(0, (today - first).days)))
        child = _Slot(day, kind, "child", order=1)
        h.spawns += ((day, kind, child),)
        slots.append(child)
        counts[kind] -= 1
    slots += households
    # petitions, on every channel and topic; some lead to a referral or a mediation
    p = counts.get("petition", 0)
    channels = _spread(rng, p, list(rules.CHANNELS), [_CHANNEL_WEIGHTS.get(c, 5) for c in rules.CHANNELS])
    recent = min(p, max(6, p // 50))  # fresh ones, so that even a small demo has a start page to show
    days = []
    for i, channel in enumerate(channels):
        day = _dates(rng, today, span, 1, 1 if i < recent else 0, 2 if i < 3 else 20)[0]  # some came in today
        days.append((_weekday(day, today) if channel in ("来访", "来信") else day, channel))
    topics = _spread(rng, p, state.combos, state.combo_weights)
    petitions = [_Slot(day, "petition", "petition", channel=channel, topic=topics[i])
                 for i, (day, channel) in enumerate(days)]
    first_of_topic: dict[tuple[str, str], _Slot] = {}
    for s in petitions:
        first_of_topic.setdefault(s.topic, s)
    for s in first_of_topic.values():
        s.plain = True  # every topic keeps at least one petition (a returning woman may change hers)
    themes = {c: {s.theme for s in SCENARIOS.get(c, (_GENERIC,))} for c in state.combos}
    for kind, share, fits in (
        ("referral", REFERRED_FROM_PETITIONS, lambda t: bool(themes[t] & set(_REFERRAL_THEMES))),
        ("mediation", MEDIATED_FROM_PETITIONS, lambda t: t in _MEDIATION_TOPICS),
    ):
        if kind not in kinds:
            continue
        candidates = [s for s in petitions if s.make == "petition" and fits(s.topic)]
        k = min(round(share * counts.get(kind, 0)), int(PARENT_SHARE * len(petitions)), len(candidates))
        for parent in rng.sample(candidates, k):
            parent.make = f"petition>{kind}"
            gap = rng.choice((0, 1, 2, 3, 5, 7, 10, 14)) if kind == "referral" else rng.randint(1, 10)
            parent.child = _Slot(min(today, parent.on + dt.timedelta(days=gap)), kind, "child", order=1)
            slots.append(parent.child)
            counts[kind] -= 1
    slots += petitions
    # referrals and mediations that came on their own
    for kind, recent_days in (("referral", 20), ("mediation", demo_kinds.RECENT_DAYS)):
        k = counts.get(kind, 0)
        fresh = min(k, max(2, k // 25)) if k else 0
        received = _dates(rng, today, span, k, fresh, recent_days, weekdays=True)
        # the two freshest referrals still wait for the organisation's answer (the start page shows them)
        slots += [_Slot(day, kind, kind, waiting=kind == "referral" and i < 2) for i, day in enumerate(received)]
    same_day: dict[dt.date, dt.date] = {}
    for s in slots:
        s.on = same_day.setdefault(s.on, s.on)  # one date object a day (2,000 of them), not one a case
    # by day, then `order` (0 or 1), stable: the same day's in the order planned (an int key each: a million pairs
    # as keys held 70 MB)
    slots.sort(key=lambda s: s.on.toordinal() * 2 + s.order)
    return slots


def _weekday(day: dt.date, today: dt.date) -> dt.date:
    """Letters and visits come on working days."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    return monday if monday <= today else day - dt.timedelta(days=day.weekday() - 4)


def _fill(ctx: Context, db: sqlite_utils.Database, n: int, seed: int, progress: Progress | None, told: int = 0,
          workers: int | None = None) -> int:
    from . import kinds as demo_kinds
    from . import stories

    rng = random.Random(seed)
    today, now = ctx.today(), ctx.now()
    townships = [(t, list_store.values(db, "township", t)) for t in list_store.values(db, "township")]
    if not townships:
        raise RuleError("乡镇列表是空的，请先在“设置”中添加乡镇")
    combos: list[tuple[str, str]] = []
    weights: list[int] = []
    for category in list_store.values(db, "category"):
        subs = list_store.values(db, "category", category) or [""]
        for sub in subs:
            scenarios = SCENARIOS.get((category, sub), (_GENERIC,))
            combos.append((category, sub))
            weights.append(_CATEGORY_WEIGHTS.get(category, 2) * sum(sc.weight for sc in scenarios))
    if not combos:
        raise RuleError("问题类别列表是空的，请先在“设置”中添加类别")
    state = _State(today=today, now=now, townships=townships, combos=combos, combo_weights=weights, staff=[],
                   office=settings.office_name(ctx), calendar=workday_store.calendar(db))
    state.used_ids = UsedIds(id_key(r[0]) for r in db.execute("SELECT id_number FROM people WHERE id_number <> ''"))
    maker = _Maker(rng, state)
    state.staff = _staff(ctx, rng, maker)
    kinds = tuple(k for k in KIND_ORDER if k == "petition" or ctx.may(f"{k}.write"))
    world = demo_kinds.World(ctx, db, rng, state, maker)
    care_lists = [c for c in world.care if world.care[c].active] if "household" in kinds else []
    if workers is not None:
        return _fill_in_parts(db, world, (rng.getstate(), n, kinds, care_lists, told), seed, progress, workers)
    slots = _plan(rng, state, n, kinds, care_lists, told)
    with bulk.loading(db, expected=len(slots), rebuild_indexes=True, lean=True) as loader:
        first_id, counters = loader.next_case_id, dict(loader.counters)
        for s in slots:  # numbers in the order received; a case another one opens has its number before its turn
            res = loader.reserve(s.kind, s.on.year)
            if s.make == "child":
                s.res = res
        for s in slots:
            if isinstance(s.plan, demo_kinds.HouseholdPlan):
                s.plan.findings = [(day, kind, child.res) for day, kind, child in s.spawns if child.res]
        children = {s.res.case_id: s for s in slots if s.make == "child" and s.res is not None}
        todo: list[_Slot | None] = list(slots)
        del slots
        with stories.made_up():
            for i, slot in enumerate(todo):
                assert slot is not None
                todo[i] = None  # made: let it go (a million cases are not all held at once)
                key = (slot.kind, slot.on.year)
                counters[key] = seq = counters.get(key, 0) + 1  # its number, as reserved above in the same order
                _make(world, loader, slot, children, slot.res or loader.numbered(first_id + i, *key, seq))
                if progress is not None and (i + 1) % PROGRESS_EVERY == 0 and progress(i + 1, n) is False:
                    raise _Cancelled
    return loader.loaded


def plan_parts(rng_state: Any, state: _State, n: int, kinds: tuple[str, ...], care_lists: list[str], told: int,
               first_id: int, counters: dict[tuple[str, int], int], mark: str, size: int) -> Any:
    """(In a process of its own: demo/workers.plan_apart.) Every case planned, numbered from `first_id` and
    `counters`, and cut into parts of `size` cases, each packed: workers.Planned."""
    from . import kinds as demo_kinds
    from . import workers as parts

    rng = random.Random()
    rng.setstate(rng_state)
    slots = _plan(rng, state, n, kinds, care_lists, told)
    numbers = bulk.Detached(first_id, mark, lambda rows: None)
    numbers.counters = dict(counters)
    for s in slots:
        res = numbers.reserve(s.kind, s.on.year)
        if s.make == "child":
            s.res = res
    n = len(slots)
    count = math.ceil(n / size)
    made_before: dict[int, set[int]] = {}  # by part: its cases an earlier part's case opens
    for i, s in enumerate(slots):
        if isinstance(s.plan, demo_kinds.HouseholdPlan):
            s.plan.findings = [(day, kind, child.res) for day, kind, child in s.spawns if child.res]
        for child in ([s.child] if s.child is not None else []) + [c for _day, _kind, c in s.spawns]:
            assert child.res is not None
            k = (child.res.case_id - first_id) // size
            if k != i // size:
                made_before.setdefault(k, set()).add(child.res.case_id)
    packed = []
    for k in range(count):
        part = parts.Part(k, first_id + k * size, dict(counters), slots[k * size:(k + 1) * size],
                          made_before.pop(k, set()))
        for s in part.slots:
            key = (s.kind, s.on.year)
            counters[key] = counters.get(key, 0) + 1
        packed.append(parts.pack(part))
    return parts.Planned(packed, n, numbers.counters, numbers.used)


def _fill_in_parts(db: sqlite_utils.Database, world: Any, plan: tuple[Any, int, tuple[str, ...], list[str], int],
                   seed: int, progress: Progress | None, workers: int) -> int:
    """The cases planned (in a process of its own: a million planned cases held 290 MiB, and the memory they
    leave behind is not given back) and made in parts by `workers` processes (0: this one), written here in order
    (demo/workers.py)."""
    from . import workers as parts

    rng_state, n, kinds, care_lists, told = plan
    with bulk.loading(db, expected=n - told, rebuild_indexes=True, lean=True, taken=True) as loader:
        planned = parts.plan_apart(plan_parts, rng_state, world.s, n, kinds, care_lists, told, loader.next_case_id,
                                   dict(loader.counters), loader.mark, parts.part_size(n))
        loader.reserved_apart(planned.cases, planned.counters, planned.used)
        n, count = planned.cases, len(planned.parts)
        setup = parts.Setup(seed, world.s, world.lists(), loader.mark, count, _make)
        packed = planned.parts
        del planned
        done = 0
        with parts.Makers(setup, workers) as makers:
            ahead = 2 * max(1, workers)  # two parts ahead for each worker
            for k in range(min(ahead, count)):
                makers.give(k, packed[k])
            for k in range(count):
                people, visits = loader.next_person_id, loader.next_visit_id
                for rows in makers.rows(k):
                    loader.take(rows, people, visits)
                    if progress is not None and (done + rows.cases) // PROGRESS_EVERY > done // PROGRESS_EVERY:
                        if progress(min(n, done + rows.cases), n) is False:
                            raise _Cancelled
                    done += rows.cases
                if k + ahead < count:
                    makers.give(k + ahead, packed[k + ahead])
                packed[k] = b""
    return loader.loaded


def _make(world: Any, loader: bulk.Loader, s: _Slot, children: dict[int, _Slot], res: bulk.Reserved) -> None:
    """Write one case (a case another one opened was made with it, and is written now, at its turn)."""
    from . import kinds as demo_kinds
    from . import stories

    maker, state = world.maker, world.s
    if s.make == "child":
        children.pop(res.case_id, None)
        load = s.load
        if isinstance(load, bulk.PetitionLoad):
            loader.add_petition(load, res)
        elif isinstance(load, bulk.ReferralLoad):
            loader.add_referral(load, res)
        elif isinstance(load, bulk.MediationLoad):
            loader.add_mediation(load, res)
        else:
            raise AssertionError("a case was planned but nothing opened it")
    elif s.make == "petition":
        form, scenario = maker.petition(s.on, *s.topic, s.channel, plain=s.plain)
        checked = form if stories.unchecked() else rules.validate_petition(form, state.today)  # (stories.made_up)
        checked.id, checked.case_no = res.case_id, res.case_no  # its notices and opinion name it
        earlier, added = maker.last_repeat, maker.last_added
        if added is not None:  # she may come back: her petition is this one
            added.case_id, added.case_no, added.received_on = res.case_id, res.case_no, s.on
        maker.repeat_on = None
        if (earlier is not None and earlier.case_id is not None and earlier.received_on is not None
                and course.repeat_since(s.on) <= earlier.received_on <= s.on):  # flagged at intake, as the service does
            checked.repeat_of, checked.repeat_of_no, checked.repeat_state = earlier.case_id, earlier.case_no, "suspected"
            maker.repeat_on = earlier.received_on
            loader.link(res.case_id, earlier.case_id, course.REPEAT_STATES["confirmed"])
        p, updated = maker.progress(checked, scenario)
        names = p.petitioner.name + (f"（代{p.concerned.name}）" if p.concerned else "")
        loader.add_petition(bulk.PetitionLoad(p, names=names, summary=list_summary(p), updated_at=updated), res)
    elif s.make.startswith("petition>"):
        child = s.child
        assert child is not None and child.res is not None
        if child.kind == "referral":
            p_load, child.load = demo_kinds.petition_to_referral(world, s.on, s.topic, s.channel, child.on, res,
                                                                 child.res)
            forward, back = "转介法律援助", "来自信访"
        else:
            p_load, child.load = demo_kinds.petition_to_mediation(world, s.on, s.topic, s.channel, child.on, res,
                                                                  child.res)
            forward, back = "转调解", "信访转来"
        loader.add_petition(p_load, res)
        loader.link(res.case_id, child.res.case_id, forward)
        loader.link(child.res.case_id, res.case_id, back)
    elif s.make == "referral":
        story, where = demo_kinds.make_referral(world, s.on, s.waiting)
        loader.add_referral(demo_kinds.finish_referral(world, story, s.waiting), res)
        world.remember(story.r.applicant, *where)
    elif s.make == "mediation":
        m_load, applicant, m_where = demo_kinds.make_mediation(world, s.on)
        loader.add_mediation(m_load, res)
        if m_where is not None:
            world.remember(applicant, *m_where)
    elif s.make == "household":
        assert isinstance(s.plan, demo_kinds.HouseholdPlan)
        load, opened, home = demo_kinds.make_household(world, s.plan, s.on, res)
        loader.add_household(load, res)
        for child_res, child_load in opened:
            children[child_res.case_id].load = child_load
            loader.link(res.case_id, child_res.case_id, "走访发现")
        if home is not None:
            world.remember(load.household.head.person, *home)



class _Cancelled(Exception):
    pass


def generate(ctx: Context, cases: int, seed: int = 1, progress: Progress | None = None,
             workers: int | None = None) -> int:
    """Fill the database with `cases` made-up cases of every kind the user may write; return how many
    were made (kind_counts says how many of each).

    The same seed and day give the same data. `progress(done, total)` is called every few hundred
    cases; when it returns False the work stops and nothing is saved (0 is returned). A database
    that already holds real cases is refused (RuleError): demo data must never mix with them.

    `workers`: the cases made in parts by that many worker processes (0: the parts in this process; the same data
    for any number, demo/workers.py); by default one for each processor from PARALLEL_FROM cases, and below that
    all in this process, one after another. A worker's failure raises workers.WorkerFailed (nothing saved).
    """
    ctx.require("petition.write")
    if cases < 0:
        raise RuleError("案件数不能为负数")
    from . import referral_services  # a shelter referral, told to the services after the cases are loaded

    told = referral_services.STORIES if cases >= 200 and ctx.may("referral.write") else 0
    with bulk.made_up(ctx.db):  # no write-ahead log as big as the file; sorts spilled to the disk
        try:
            with ctx.action() as db:
                if bulk.case_count(db) and not bulk.is_demo(db):
                    raise RuleError("这个数据库里已有真实案件，不能加入演示数据。请另选一个新的数据库文件。")
                bulk.mark_demo(db)
                if workers is None and cases >= PARALLEL_FROM:
                    from ..store.parallel import _cores  # (the cores this program may run on)

                    workers = _cores()
                made = _fill(ctx, db, cases, seed, progress, told, workers)
        except _Cancelled:
            return 0
        from . import protection  # the 家暴防护 stories, told to the services once the cases are there

        protection.tell(ctx)
        if told:
            made += referral_services.tell(ctx)  # a shelter referral and its reply (one case fewer made above)
        from . import papers  # a scanned letter, an injury diagram, a signed agreement: the 附件 a new user sees

        papers.tell(ctx)
        if progress is not None:
            progress(made, cases)
    if ctx.path is not None:
        try:
            bulk.checkpoint(ctx.db)
        except DriverError as e:
            raise storage_error(e) from e
    return made

