"""Reading value sets (`1..5`, `0.1..0.5 step 0.1`, `1,2,4,8`) and goals
(`Recruiters in 0..100: Hires >= 50 at round 20`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.model import ModelError
from bot.model.scenario_syntax import (
    Goal,
    Seek,
    Sweep,
    ValueRange,
    exact_number,
    is_value_set,
    read_seek,
    read_value_set,
    scenario_label,
    split_settings,
    starting_text,
    sweep_of,
)

VALUE_SETS = {
    "whole range": ("1..5", (1, 2, 3, 4, 5)),
    "one value": ("3..3", (3,)),
    "spaces": (" 1 .. 3 ", (1, 2, 3)),
    "negative": ("-2..1", (-2, -1, 0, 1)),
    "whole step": ("1..10 step 4", (1, 5, 9)),
    "decimal step": ("0.1..0.5 step 0.1", (0.1, 0.2, 0.3, 0.4, 0.5)),
    "STEP in capitals": ("0.1..0.3 STEP 0.1", (0.1, 0.2, 0.3)),
    "decimal step from whole ends": ("1..2 step 0.5", (1.0, 1.5, 2.0)),
    "list": ("1,2,4,8", (1, 2, 4, 8)),
    "list with spaces": (" 1, 2 ,4 ", (1, 2, 4)),
    "list of decimals and wholes": ("0.5,1,2.25", (0.5, 1, 2.25)),
    "list, descending": ("8,4,-1", (8, 4, -1)),
}


@pytest.mark.parametrize(("text", "values"), VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_value_sets(text, values):
    read = read_value_set(text)
    assert read == values
    assert [type(value) for value in read] == [type(value) for value in values]


def test_a_decimal_range_is_the_decimals_written_out_not_accumulated_floats():
    values = read_value_set("0..1.1 step 0.1")
    assert values == tuple(float(f"{tenths / 10}") for tenths in range(12))
    assert values[3] == 0.3 != 0.1 + 0.1 + 0.1
    assert read_value_set("0.7..0.9 step 0.1") == (0.7, 0.8, 0.9)


@pytest.mark.parametrize(
    ("text", "words", "hint"),
    [
        ("1..13", "`1..13` gives 13 values; a sweep takes at most 12", "larger step"),
        ("0..100000000000000", "gives 100,000,000,000,001 values", "larger step"),
        ("1,2,3,4,5,6,7,8,9,10,11,12,13", "lists 13 values", "Leave some out"),
        ("0.1..0.5", "needs a step", "`0.1..0.5 step 0.1`"),
        ("5..1", "`5..1` runs backwards", "`1..5`"),
        ("1..5 step 0", "must be more than 0", "positive step"),
        ("1..5 step -1", "must be more than 0", "positive step"),
        ("1..5 by 2", "`1..5 by 2` is not a range", "`1..5`"),
        ("x..5", "`x` is not a number", "digits"),
        ("1.2.3", "`1.2.3` is not a number", "digits"),
        ("1e3,2", "`1e3` is not a number", "digits"),
        ("1,,2", "A number is missing", "digits"),
        ("1234567890123456,1", "more than 15 digits", "at most 15"),
        ("0.1234567890123456..1 step 1", "more than 15 digits", "at most 15"),
        # wider than Decimal's default 28 digits, counted exactly all the same
        (
            "0..999999999999999 step 0.000000000000001",
            "gives 999,999,999,999,999,000,000,000,000,001 values",
            "larger step",
        ),
        (
            "999999999999998..999999999999999 step 0.5",
            "`999999999999998.0` has more than 15",
            "at most 15",
        ),
    ],
)
def test_value_sets_that_are_refused(text, words, hint):
    with pytest.raises(ModelError) as caught:
        read_value_set(text)
    assert words in caught.value.message
    assert hint in caught.value.hint


def test_tiny_steps_are_exact():
    assert read_value_set("0.000000000000001..0.000000000000003 step 0.000000000000001") == (
        1e-15,
        2e-15,
        3e-15,
    )


def test_twelve_values_are_allowed():
    assert len(read_value_set("1..12")) == 12
    assert len(read_value_set(",".join(map(str, range(12))))) == 12


@pytest.mark.parametrize(
    ("text", "is_set"),
    [("1..5", True), ("1,2", True), ("5", False), ("-2.5", False), ("x", False)],
)
def test_is_value_set(text, is_set):
    assert is_value_set(text) is is_set


def test_settings_split_into_overrides_and_one_sweep():
    overrides, sweep = split_settings({"a": "3", "R": "1..3", "b": "-1"})
    assert overrides == {"a": "3", "b": "-1"}
    assert sweep == Sweep("R", (1, 2, 3))
    assert split_settings({"a": "3"}) == ({"a": "3"}, None)


def test_two_swept_stocks_are_refused_naming_both():
    with pytest.raises(ModelError) as caught:
        split_settings({"Recruiters": "1..3", "Rate": "0.1,0.2"})
    assert "`Recruiters` and `Rate`" in caught.value.message
    assert "one stock" in caught.value.message


def test_a_sweep_of_numbers_keeps_ints_and_reads_floats_as_written():
    assert sweep_of({"R": [1, 2.5, 1e-05, 3.0]}) == Sweep("R", (1, 2.5, 1e-05, 3.0))
    assert [type(value) for value in sweep_of({"R": [1, 3.0]}).values] == [int, float]
    assert sweep_of({"R": "1..2"}) == Sweep("R", (1, 2))


@pytest.mark.parametrize(
    ("sets", "words"),
    [
        ({}, "names no stock"),
        ({"R": []}, "1 to 12 values of `R`, not 0"),
        ({"R": list(range(13))}, "not 13"),
        ({"R": [1, 2, 1]}, "`R=1` is asked for twice"),
        ({"R": [float("nan")]}, "`NaN` is not a number"),
        ({"R": [float("inf")]}, "`Infinity` is not a number"),
        ({"R": [10**20]}, "more than 15 digits"),
    ],
)
def test_sweeps_that_are_refused(sets, words):
    with pytest.raises(ModelError) as caught:
        sweep_of(sets)
    assert words in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("value", "text"),
    [(3, "3"), (-3, "-3"), (2.0, "2.0"), (0.1, "0.1"), (1e-05, "0.00001"), (-0.25, "-0.25")],
)
def test_starting_text_is_what_systems_reads_back(value, text):
    assert starting_text(value) == text
    assert scenario_label("R", value) == f"R={text}"
    assert exact_number(value) == Decimal(text)


SEEKS = {
    "the issue's": (
        "Recruiters: Hires >= 50 at round 20",
        Seek("Recruiters", Goal("Hires", ">=", 50, 20)),
    ),
    "with find and a range": (
        "find Recruiters in 0..100: Hires >= 50",
        Seek("Recruiters", Goal("Hires", ">=", 50), ValueRange(Decimal(0), Decimal(100))),
    ),
    "a step, no spaces, a decimal": (
        "Rate in 0..1 step 0.01:Hires<40.5",
        Seek("Rate", Goal("Hires", "<", 40.5), ValueRange(Decimal(0), Decimal(1), Decimal("0.01"))),
    ),
    "capitals and spaces": (
        "  FIND  R IN -5 .. 5 :  T  <=  -3  AT  ROUND  7 ",
        Seek("R", Goal("T", "<=", -3, 7), ValueRange(Decimal(-5), Decimal(5))),
    ),
    "greater than": ("R: T > 0", Seek("R", Goal("T", ">", 0))),
}


@pytest.mark.parametrize(("text", "seek"), SEEKS.values(), ids=SEEKS.keys())
def test_seeks(text, seek):
    assert read_seek(text) == seek


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Recruiters Hires >= 50", "is not a goal to seek"),
        ("Recruiters from 0..5: Hires >= 50", "is not a goal to seek"),
        (": Hires >= 50", "is not a goal to seek"),
        ("Recruiters: Hires = 50", "has no comparison"),
        ("Recruiters: Hires => 50", "`Hires =` is not a stock name"),
        ("Recruiters: >= 50", "A stock name is missing"),
        ("Recruiters: Hires >=", "A number is missing"),
        ("Recruiters: Hires >= lots", "`lots` is not a number"),
        ("Recruiters: Hires >= 50 at 20", "`at 20` is not part of a goal"),
        ("Recruiters: Hires >= 50 by round 20", "`by round 20` is not part of a goal"),
        ("Recruiters: Hires >= 50 at round twenty", "`round twenty` is not a round"),
        ("Recruiters: Hires >= 50 at round -1", "`round -1` is not a round"),
        ("Recruiters in 5..1: Hires >= 50", "runs backwards"),
        ("Recruiters in 0..5 step: Hires >= 50", "is not a range"),
        ("Phone Screens: Hires >= 50", "is not a goal to seek"),
        ("2x: Hires >= 50", "`2x` is not a stock name"),
    ],
)
def test_seeks_that_are_refused(text, words):
    with pytest.raises(ModelError) as caught:
        read_seek(text)
    assert words in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("comparison", "holds"), [(">=", [False, True, True]), ("<=", [True, True, False]),
                              (">", [False, False, True]), ("<", [True, False, False])],
)  # fmt: skip
def test_goals_compare_as_written(comparison, holds):
    goal = Goal("T", comparison, 5)
    assert [goal.holds(value) for value in (4, 5, 6.5)] == holds
    assert str(goal) == f"T {comparison} 5"
    assert str(Goal("T", comparison, 1e-05)) == f"T {comparison} 0.00001"


def test_a_goal_takes_only_the_four_comparisons():
    with pytest.raises(ModelError, match="`==` is not a comparison"):
        Goal("T", "==", 5)  # type: ignore[arg-type]
