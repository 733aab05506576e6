"""The size guard checks a run's values only in rounds where they could have grown past
MAX_VALUE_DIGITS (bot/model/run.py's _SizeGuard), by the bound growth.digits_per_round puts on
one round. These tests hold that bound against `systems`' own rounds, and the guard's stops
against a guard that checks every round."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from systems.models import State
from systems.parse import parse

from bot.model import ModelError, Sweep, growth, run_definition, sweep_definition
from bot.model import run as run_module
from bot.model.growth import digits_at_most, digits_per_round

from .models import valid_models

NAMES = ("a", "b", "c", "d")
WHOLE_RATES = ("{k}", "Rate({s} * {k})", "{s} * {k} - {s}", "{s} + {t} + {k}", "Leak(0 - {k})")
OTHER_RATES = ("Conversion({k})", "Leak({k})", "Leak(0.5)", "{s} / {k}", "0.25")
CASES = settings(max_examples=150, deadline=None, derandomize=True)


@st.composite
def growing_models(draw) -> str:
    """Stocks that start large and flows that make them grow or shrink by a constant factor, or
    add to them; sometimes a maximum that follows a stock."""
    names = list(NAMES[: draw(st.integers(2, 4))])
    lines = []
    for index, name in enumerate(names):
        start = draw(st.integers(0, 1000) | st.integers(0, 10**300) | st.integers(0, 10**3900))
        maximum = draw(st.sampled_from(["", ", inf", f", {names[index - 1]} + 5"]))
        lines.append(f"{name}({start}{maximum})")
    for _ in range(draw(st.integers(1, 5))):
        source, destination = draw(st.permutations(names))[:2]
        shape = draw(st.sampled_from(WHOLE_RATES + OTHER_RATES))
        k = draw(st.integers(1, 10 ** draw(st.integers(1, 12))))
        rate = shape.format(k=k, s=draw(st.sampled_from(names)), t=draw(st.sampled_from(names)))
        lines.append(f"{source} > {destination} @ {rate}")
    return "\n".join(lines)


def _rounds_of_systems(text: str, rounds: int) -> list[list]:
    """Each round's values as `systems`' State computes them, up to the first round that fails
    or holds a value past MAX_VALUE_DIGITS (a run computes no round after that one)."""
    model = parse(text, tracebacks=False)
    model.validate()
    state = State(model)
    states = [list(state.snapshot().values())]
    for _ in range(rounds):
        if not _within_limit(states[-1]):
            break
        try:
            state.advance()
        except (ArithmeticError, ValueError):
            break
        states.append(list(state.snapshot().values()))
    return states


def _within_limit(values: list) -> bool:
    return not any(growth.too_large(value) for value in values)


@CASES
@given(st.one_of(growing_models(), valid_models()))
def test_a_round_adds_no_more_digits_than_the_bound(text):
    try:
        per_round = _bound(text)
    except ModelError:  # the sample's text isn't a model this bot runs
        return
    if per_round is None:
        return
    states = _rounds_of_systems(text, 40)
    for before, after in itertools.pairwise(states):
        assert digits_at_most(after) <= digits_at_most(before) + per_round


@pytest.mark.parametrize(
    "text",
    [
        "a(1) > b(0, b + 5) @ Leak(0 - 999999999)",  # 9 digits a round, stopped at round 445
        "a(1) > b @ Leak(0 - 9)\nb > c @ Leak(0 - 99)",
        "a(" + "9" * 3000 + ") > b @ Rate(a * 1000)\nb > a @ b + 7",
        "a(5) > b @ a * a",  # digits double: no bound, every round checked
    ],
)
def test_stops_where_a_guard_checking_every_round_stops(text, monkeypatch):
    strided = run_definition(text, 1000)
    monkeypatch.setattr(growth, "digits_per_round", lambda model: None)
    every_round = run_definition(text, 1000)
    assert (strided.rows, strided.warnings) == (every_round.rows, every_round.warnings)


@CASES
@given(growing_models())
def test_any_growing_model_stops_where_checking_every_round_stops(text):
    strided = run_definition(text, 200)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(growth, "digits_per_round", lambda model: None)
        every_round = run_definition(text, 200)
    assert (strided.rows, strided.warnings) == (every_round.rows, every_round.warnings)


def _bound(text: str) -> int | None:
    return digits_per_round(run_module.parse_definition(text, 1).reading.model)


def test_a_product_of_stocks_has_no_bound():
    for text in ["a(2) > b @ a * a", "a(2) > b @ Leak(a)", "a > b(0, a * a) @ 1"]:
        assert _bound(text) is None, text
    assert _bound("a(2) > b @ a * 7") is not None


def test_far_from_the_limit_a_run_checks_its_values_seldom(monkeypatch):
    checks = []
    check = run_module._SizeGuard.check
    monkeypatch.setattr(
        run_module._SizeGuard, "check", lambda guard, n: checks.append(n) or check(guard, n)
    )
    run_definition("[x] > a @ 5\na > b @ Leak(0.5)", 1000)
    assert len(checks) < 10


def test_a_sweep_works_out_the_bound_once(monkeypatch):
    calls = []
    bound = growth.digits_per_round
    monkeypatch.setattr(growth, "digits_per_round", lambda model: calls.append(1) or bound(model))
    result = sweep_definition("a(1) > b @ Leak(0 - 9)", Sweep("a", (1, 2, 3)), 100)
    assert len(result.scenarios) == 3
    assert len(calls) == 1
