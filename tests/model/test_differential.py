"""Rows must equal `systems`' own `Model.run` exactly: ints stay ints, floats keep every bit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.model import Limits, ModelError, run_definition

from .models import valid_models
from .oracle import assert_same_as_systems, exact_rows, systems_run

FUNNEL = """\
[Candidates] > PhoneScreens @ 25
PhoneScreens > Onsites @ 0.5
Onsites > Offers @ 0.5
Offers > Hires @ 0.7
Hires > Employees @ 1.0
Employees > Departures @ 0.1"""

HAND_WRITTEN = {
    "unset stocks, implicit rate": ("a > b @ 1", 5),
    "infinite source, two rates": ("[a] > b @ 5\nb > c @ 4", 10),
    "hiring funnel, implicit conversions": (FUNNEL, 30),
    "explicit rate": ("a(20) > b @ Rate(3)", 10),
    "explicit conversion": ("a(20) > b @ Conversion(0.3)", 10),
    "explicit leak": ("a(100) > b @ Leak(0.1)", 40),
    "lowercase flow kind": ("a(100) > b @ leak(0.25)", 10),
    "rate into a maximum": ("a(50) > b(0, 12) @ 5", 12),
    "conversion into a maximum": ("a(100) > b(0, 30) @ 0.5", 12),
    "leak into a maximum": ("a(100) > b(0, 25) @ Leak(0.3)", 12),
    "conversion above one": ("a(10) > b @ Conversion(2.0)", 5),
    "rate refers to its destination": (
        "[Hiring] > Engineers(5) @ Engineers / 5\nEngineers > Departed @ Leak(0.1)",
        30,
    ),
    "parentheses": ("[a] > b(1) @ (b + 2) * 3", 8),
    "nested parentheses": ("[a] > b(2, 1000) @ ((b * 2) - (b / 2)) / (1 + 1)", 20),
    "initial and rate refer to another stock": ("a(10)\nb(a * 2) > c @ Rate(a / 5)", 10),
    "maximum refers to another stock": ("a(10)\nb(0, a * 3) > c @ 1\n[x] > b @ 7", 10),
    "chain of every kind": ("[Pool] > a @ 3\na > b @ Conversion(0.5)\nb > c @ Leak(0.5)", 25),
    "decimal initial, whole rate": ("a(10.5) > b @ 2", 8),
    "decimal initial, leak": ("a(7.5) > b @ Leak(0.5)", 8),
    "inf initial in a shown stock": ("a(inf) > b @ 3", 5),
    "infinite destination": ("a(10) > [Sink] @ 2", 8),
    "one source, three kinds": ("a(30) > b @ 4\na > c @ 0.25\na > d @ Leak(0.1)", 15),
    "comments and blank lines": ("# header\n\n[a] > b @ 2\n# middle\nb > c @ 1\n", 6),
    "formula of decimals is a rate": ("a(10) > b @ 0.5 * 2", 6),
    "negative rate moves nothing": ("a(10) > b @ 0 - 3", 4),
    "division gives floats": ("[a] > b @ 7 / 2\nb > c @ Leak(0.5)", 10),
    "declared after use": ("a > b @ 2\na(9)", 6),
    "both ends declared": ("a(1) > b(2) @ 1", 3),
    "initial above maximum": ("a(10, 5) > b @ 1", 6),
    "inf minus inf": ("[X] > a(1) @ X - X", 3),
    "zero rounds": ("[a] > b @ 5", 0),
    "a thousand rounds": ("[a] > b @ 3\nb > c @ Leak(0.01)", 1000),
}


@pytest.mark.parametrize(("text", "rounds"), HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
def test_hand_written_models_match_systems(text, rounds):
    assert_same_as_systems(run_definition(text, rounds), text, rounds)


def test_hand_written_models_cover_every_flow_kind():
    texts = " ".join(text for text, _ in HAND_WRITTEN.values())
    for needle in ("Rate(", "Conversion(", "Leak(", "@ 0.5", "@ 5", "[", "(b + 2)", ", 12)"):
        assert needle in texts


def test_exact_comparison_tells_int_from_float_and_bits_apart():
    assert exact_rows([[1]]) != exact_rows([[1.0]])
    assert exact_rows([[0.1 + 0.2]]) != exact_rows([[0.3]])
    assert exact_rows([[float("nan")]]) == exact_rows([[float("nan")]])
    assert exact_rows([[float("inf")]]) != exact_rows([[float("-inf")]])


@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(text=valid_models(), rounds=st.integers(min_value=0, max_value=40))
def test_generated_models_match_systems(text, rounds):
    limits = Limits(time_budget_seconds=60)
    try:
        expected = systems_run(text, rounds)
    except OverflowError:
        _check_overflow_prefix(text, rounds, limits)
        return
    except Exception:
        with pytest.raises(ModelError):
            run_definition(text, rounds, limits=limits)
        return
    result = run_definition(text, rounds, limits=limits)
    assert result.stocks == expected[0]
    assert exact_rows(result.rows) == exact_rows(expected[1])
    assert not result.truncated


def _check_overflow_prefix(text: str, rounds: int, limits: Limits) -> None:
    """Where `systems` overflows we keep the rows before the round that overflowed."""
    result = run_definition(text, rounds, limits=limits)
    assert result.truncated
    kept = len(result.rows) - 1
    assert_same_as_systems(result, text, kept)
    with pytest.raises(OverflowError):
        systems_run(text, kept + 1)
