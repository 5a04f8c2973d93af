"""The demo's own forms are told without the services' validation and text clean-up (demo/stories.made_up, issue 22):
this is right only while every form the demo makes would pass those checks unchanged. Here a demo is made with every
check run on every case, and fails if one form is refused or changed by its check; then made unchecked, and every
table's rows must be the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fulian_desktop.demo import generate as demo
from fulian_desktop.demo import stories
from fulian_desktop.domain import household, mediation, petition

from .test_demo_workers import _open, _rows

N = 1200

# the checks a made-up form is not put through (the form's place among the check's arguments)
SKIPPED: list[tuple[Any, str, int]] = [
    (petition, "validate_petition", 0), (mediation, "validate_mediation", 0), (mediation, "validate_session", 1),
    (mediation, "validate_investigation", 1), (mediation, "validate_visit", 1), (household, "validate_visit", 0),
]


def _watch(monkeypatch: pytest.MonkeyPatch, changed: list[str]) -> Counter[str]:
    """Every skipped check, run as before, counted; a form it refuses raises, a form it changes is noted."""
    calls: Counter[str] = Counter()
    for module, name, at in SKIPPED:
        check = getattr(module, name)

        def watched(*args: Any, _check: Callable[..., Any] = check, _name: str = name, _at: int = at) -> Any:
            out = _check(*args)
            calls[_name] += 1
            if out != args[_at]:
                changed.append(f"{_name}: {args[_at]!r} -> {out!r}")
            return out

        monkeypatch.setattr(module, name, watched)
    return calls


@pytest.mark.parametrize("workers", [None, 0])  # one after another; in parts (as each worker makes them)
def test_every_made_up_form_passes_its_checks_unchanged_and_the_rows_are_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int | None) -> None:
    changed: list[str] = []
    calls = _watch(monkeypatch, changed)
    made = {}
    for check in (True, False):
        monkeypatch.setattr(stories, "CHECK_MADE_UP", check)
        calls.clear()
        ctx = _open(tmp_path / f"{check}.db")
        assert demo.generate(ctx, N, seed=5, workers=workers) == N  # (a refused form would raise ValidationError)
        made[check] = _rows(ctx)
        ctx.close()
        if check:  # every skipped check ran on the demo's forms, and left each as it was
            assert {name for _m, name, _a in SKIPPED} == set(calls)
            assert min(calls.values()) > 20
            assert changed == []
        else:  # made unchecked: none of them ran
            assert sum(calls.values()) == 0
    assert made[True]["cases"] and len(made[True]["cases"]) == N
    assert [t for t in made[True] if made[True][t] != made[False][t]] == []


def test_outside_the_demo_every_form_is_checked() -> None:
    assert not stories.unchecked()
    with stories.made_up():
        assert stories.unchecked()
    assert not stories.unchecked()
    # a story told outside the demo (an import, the services' own tests) checks its form: an empty petition is refused
    import datetime as dt

    from fulian_desktop.domain.errors import ValidationError
    from fulian_desktop.domain.records import Person, Petition

    form = Petition(channel="来访", received_on=dt.date(2026, 3, 10), petitioner=Person(name="王芳"), concerned=None,
                    headcount=1, township="城关镇", village="", category="婚姻家庭", subcategory="", facts="",
                    request="离婚", dv=False, safety_risk=False, receiving_staff="李华")
    with pytest.raises(ValidationError) as refused:
        stories.PetitionStory(form, dt.datetime(2026, 3, 10, 9, 30), "李华")
    assert "facts" in refused.value.errors
