"""A timeline entry's time as the database keeps it (migration 0038, issue 22: a smaller file): whole seconds since
1970-01-01 of the office's own clock — the same naive local time the program shows, never converted to another
zone — an integer of 4 bytes where its ISO text took 19 (≈ 90 bytes a case on the demo).

Everywhere a time leaves the table it is the ISO text it always was (2026-03-10T09:30:00): a case's timeline read
back (store/cases.timeline_of), the exchange's packages and the hashes that say whether two offices hold the same
version (store/exchange.py), the audit trail's old and new values (store/audit.py). So an office on an older
version and one on this exchange the same records."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.datetime(1970, 1, 1)
# (table, column) kept as seconds
COLUMNS = frozenset({("timeline", "at")})


def to_stored(at: dt.datetime) -> int:
    """The seconds kept for `at` as the clock showed it (as its ISO text with timespec="seconds" kept it: no fraction
    of a second; an offset, which the program's clock never has, dropped as the migration drops it)."""
    return (at.replace(microsecond=0, tzinfo=None) - EPOCH) // dt.timedelta(seconds=1)


def from_stored(seconds: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=seconds)


def as_text(seconds: int) -> str:
    """The ISO text the table kept before 0038."""
    return from_stored(seconds).isoformat(timespec="seconds")


def from_text(text: str) -> int:
    return to_stored(dt.datetime.fromisoformat(text))


def text_sql(value: str) -> str:
    """SQL turning the stored seconds `value` (an expression) into the same ISO text as `as_text`."""
    return f"strftime('%Y-%m-%dT%H:%M:%S', {value}, 'unixepoch')"
