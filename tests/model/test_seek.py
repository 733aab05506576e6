"""Goal seek: an answer is checked by running `systems` at it and one step past it; with no
answer, every value tried is what `systems` computes there."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from bot.model import Limits, ModelError
from bot.model import run as run_module
from bot.model.scenario_syntax import COMPARISONS, Goal, Seek, ValueRange, read_seek
from bot.model.seek import SeekOutcome, SeekResult, seek_definition
from bot.model.source import stock_names

from .clock import work_clock
from .models import valid_models
from .oracle import assert_same_as_systems, exact, systems_run
from .scenario_oracle import FUNNEL, edited, systems_builds, systems_with

LEAKY = "[C] > S @ 100\nS > T @ Leak(r)\nr(0.1)"


def test_the_fewest_recruiters_for_fifty_hires():
    result = seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 50 at round 20"))
    assert result.outcome is SeekOutcome.FOUND
    assert (result.answer.value, result.failing.value) == (3, 2)
    assert (result.answer.reached, result.failing.reached) == (54, 36)
    assert result.finds_smallest
    assert (result.grid.value(0), result.grid.high, result.grid.step) == (0, 100, 1)
    assert result.runs == 10  # five spread over 0..100, then halving 0..25 five times
    assert len(result.run.rows) == 21  # the runs took the goal's round as their length
    _check_against_systems(result, FUNNEL)


def test_the_most_recruiters_for_at_most_fifty_hires():
    result = seek_definition(FUNNEL, read_seek("Recruiters in 0..10: Hires <= 50 at round 20"))
    assert (result.answer.value, result.failing.value) == (2, 3)
    assert not result.finds_smallest
    _check_against_systems(result, FUNNEL)


def test_a_decimal_stock_is_found_to_a_thousandth_of_its_range():
    result = seek_definition(LEAKY, read_seek("r: T >= 300 at round 10"))
    assert result.grid.step == Decimal("0.001")
    assert (result.grid.value(0), result.grid.high) == (0, 1.0)
    assert isinstance(result.answer.value, float)
    _check_against_systems(result, LEAKY)


def test_a_step_given_is_the_precision():
    result = seek_definition(LEAKY, read_seek("r in 0..1 step 0.05: T >= 300 at round 10"))
    assert result.grid.step == Decimal("0.05")
    assert all(round(sample.value * 20, 9).is_integer() for sample in result.samples)
    _check_against_systems(result, LEAKY)


def test_the_goal_defaults_to_the_last_round():
    result = seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 5"), rounds=6)
    assert result.round == 6
    _check_against_systems(result, FUNNEL)


def test_a_goal_that_holds_nowhere_shows_the_values_tried():
    result = seek_definition(FUNNEL, read_seek("Recruiters in 0..3: Hires >= 500 at round 20"))
    assert result.outcome is SeekOutcome.HOLDS_NOWHERE
    assert result.answer is None and result.run is None
    assert [sample.value for sample in result.samples_by_value] == [0, 1, 2, 3]
    assert result.problem.message == (
        "`Hires >= 500` at round 20 holds for no value of `Recruiters` tried from 0 to 3."
    )
    assert "wider range" in result.problem.hint
    _check_against_systems(result, FUNNEL)


def test_a_goal_that_holds_everywhere_has_no_edge():
    result = seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 0"))
    assert result.outcome is SeekOutcome.HOLDS_EVERYWHERE
    assert [sample.value for sample in result.samples_by_value] == [0, 25, 50, 75, 100]
    assert "holds for every value of `Recruiters` tried from 0 to 100" in result.problem.message
    _check_against_systems(result, FUNNEL)


def test_a_goal_that_is_not_monotonic_gives_no_false_answer():
    text = "[C] > S @ R * (10 - R)\nR(1)"  # S after round 1 rises to 25 at R=5, then falls
    result = seek_definition(text, read_seek("R in 0..10: S >= 20 at round 1"))
    assert result.outcome is SeekOutcome.NOT_MONOTONIC
    assert [(s.value, s.holds) for s in result.samples_by_value] == [
        (0, False), (2, False), (5, True), (7, True), (10, False)
    ]  # fmt: skip
    assert "fails for others in between" in result.problem.message
    _check_against_systems(result, text)


def test_a_value_that_breaks_the_model_stops_the_search_and_says_where():
    text = "[C] > S @ 10 / R\nR(2)"
    result = seek_definition(text, read_seek("R: S >= 50 at round 3"))
    assert result.outcome is SeekOutcome.STOPPED
    (sample,) = result.samples
    assert (sample.value, sample.holds) == (0, None)
    assert result.problem.message == "With `R=0` the model can't run: Division by zero in round 1."
    assert (result.problem.line, result.problem.column) == (1, 11)
    assert result.problem.hint


def test_a_run_that_ends_before_the_goals_round_stops_the_search():
    text = "[x] > a @ a * R\na(1)\nR(2)"  # past 10^308, the capacity check overflows
    result = seek_definition(text, read_seek("R in 1..100: a >= 5 at round 500"))
    assert result.outcome is SeekOutcome.STOPPED
    assert result.samples[-1].holds is None
    assert "the run ends before round 500. Stopped at round" in result.problem.message
    assert "outgrew floating point" in result.problem.message
    _check_against_systems(result, text)


def test_a_seek_fits_one_runs_budget():
    # 0.1 s a round, 3 rounds a run, a 1 s budget: three runs take 0.9 s and the fourth
    # stops after its round 2, before the goal's round.
    with work_clock(per_round=0.1):
        result = seek_definition(
            FUNNEL, read_seek("Recruiters: Hires >= 5"), 3, limits=Limits(time_budget_seconds=1)
        )
    assert result.outcome is SeekOutcome.STOPPED
    assert result.runs == 4
    assert [sample.holds is None for sample in result.samples] == [False, False, False, True]
    assert result.problem.message == (
        "The search stopped after 4 runs: the run used more than 1 s of CPU time."
    )
    _check_against_systems(result, FUNNEL)


def test_the_model_is_parsed_once(monkeypatch):
    calls = []
    parse = run_module.parse
    monkeypatch.setattr(run_module, "parse", lambda *args: calls.append(1) or parse(*args))
    result = seek_definition(LEAKY, read_seek("r: T >= 300 at round 10"))
    assert result.runs > 10
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("text", "seek", "rounds", "words", "hint"),
    [
        (FUNNEL, "Recruiters: Hires >= 5 at round 20", 10, "looks at round 20, but the runs end "
         "at round 10", "at least 20 rounds"),
        (FUNNEL, "Recruiters: Hires >= 5 at round 2000", None, "outside the limit", "1000"),
        (FUNNEL, "Recruiters: Hirse >= 5", None, "no stock called `Hirse` to set a goal on",
         "Did you mean `Hires`?"),
        (FUNNEL, "Recruiters: Zebras >= 5", None, "no stock called `Zebras`",
         "Stocks: Recruiters, Screens"),
        (FUNNEL, "Recruiters: Candidates >= 5", None, "`Candidates` is an infinite stock",
         "without brackets"),
        (FUNNEL, "Recruitrs: Hires >= 5", None, "no stock called `Recruitrs` to set to the "
         "values searched", "Recruiters"),
        (FUNNEL, "Recruitrs in 0..9: Hires >= 5", None, "to set to values in 0..9", "Recruiters"),
        (FUNNEL, "Candidates: Hires >= 5", None, "infinite stock", "without brackets"),
        (FUNNEL, "Recruiters in 5..5: Hires >= 5", None, "holds one value", "lower value"),
        (FUNNEL, "Recruiters in 0..1 step 2: Hires >= 5", None, "wider than the range", "smaller"),
        (FUNNEL, "Recruiters in 0..999999999999999 step 0.5: Hires >= 5", None, "more than 15",
         "15 digits"),
        (FUNNEL, "Recruiters in 0..999999999999999 step 0.000000000000001: Hires >= 5", None,
         "`999999999999999.000000000000000` has more than 15", "15 digits"),
        ("a(inf) > b @ 1", "a: b >= 3", None, "`a` starts at inf", "Give the range"),
        ("a(123456789012345) > b @ 1", "a: b >= 3", None, "too far out", "Give the range"),
    ],
)  # fmt: skip
def test_a_seek_that_cant_start_is_refused_before_anything_runs(text, seek, rounds, words, hint):
    with pytest.raises(ModelError) as caught:
        seek_definition(text, read_seek(seek), rounds)
    assert words in caught.value.message
    assert hint in caught.value.hint


def test_a_range_of_fifteen_digits_takes_fifty_runs():
    result = seek_definition("R(2)\n[C] > S @ R", read_seek("R in 0..99999999999999: S > 5"), 2)
    assert (result.answer.value, result.failing.value, result.runs) == (3, 2, 49)


def test_a_tiny_default_step_is_exact():
    result = seek_definition("R(2)\n[C] > S @ R", read_seek("R in 0..0.00000000000001: S > 0"), 1)
    assert result.grid.step == Decimal("1E-17")
    assert (result.answer.value, result.failing.value) == (1e-17, 0.0)


def test_a_stock_given_one_value_cant_also_be_searched():
    with pytest.raises(ModelError, match="given one value"):
        seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 5"), 5, {"Recruiters": "3"})


# --- checking a result against systems -----------------------------------------------------------


def _check_against_systems(result: SeekResult, text: str) -> None:
    """Every value tried is what `systems` computes there; a found edge is one step wide."""
    seek = result.seek
    for sample in result.samples:
        _check_sample(sample, seek, text, result.round)
    held = [sample.holds for sample in result.samples_by_value]
    if result.outcome is SeekOutcome.FOUND:
        assert (result.answer.holds, result.failing.holds) == (True, False)
        gap = Decimal(repr(result.answer.value)) - Decimal(repr(result.failing.value))
        assert abs(gap) == result.grid.step
        assert result.finds_smallest == (gap > 0)
        assert_same_as_systems(result.run, edited(text, seek.stock, result.answer.value),
                               result.run.rounds)  # fmt: skip
    elif result.outcome is SeekOutcome.HOLDS_NOWHERE:
        assert not any(held)
    elif result.outcome is SeekOutcome.HOLDS_EVERYWHERE:
        assert all(held)
    elif result.outcome is SeekOutcome.NOT_MONOTONIC:
        assert sum(a != b for a, b in pairwise(held)) > 1
    else:
        assert result.samples[-1].holds is None
        assert None not in [sample.holds for sample in result.samples[:-1]]


def _check_sample(sample, seek: Seek, text: str, round_number: int) -> None:
    try:
        stocks, rows = systems_with(text, seek.stock, sample.value, round_number)
    except Exception:  # a failure, or an overflow before the goal's round
        assert sample.holds is None
        return
    if sample.holds is None:  # the budget ran out in this run
        return
    reached = rows[round_number][stocks.index(seek.goal.target) + 1]
    assert exact(sample.reached) == exact(reached)
    assert sample.holds == seek.goal.holds(reached)


# --- differential --------------------------------------------------------------------------------


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(text=valid_models(), data=st.data())
def test_generated_seeks_match_systems(text, data):
    assume(systems_builds(text))
    names = stock_names(text.split("\n"))
    settable = [name for name, infinite in names.items() if not infinite]
    stock, target = data.draw(st.sampled_from(settable)), data.draw(st.sampled_from(settable))
    rounds = data.draw(st.integers(1, 12))
    low = data.draw(st.integers(-3, 5))
    bounds = ValueRange(Decimal(low), Decimal(low + data.draw(st.integers(1, 60))))
    threshold = data.draw(_thresholds(text, stock, target, rounds, bounds))
    goal = Goal(target, data.draw(st.sampled_from(COMPARISONS)), threshold)
    seek = Seek(stock, goal, bounds)
    try:
        result = seek_definition(text, seek, rounds, limits=Limits(time_budget_seconds=60))
    except ModelError:
        event("refused: its initial values can't be computed")
        try:
            systems_run(text, 0)
        except Exception:  # the unchanged model fails at round 0
            return
        raise AssertionError("a seek refused a model that systems starts") from None
    event(result.outcome.name)
    _check_against_systems(result, text)


def _thresholds(text: str, stock: str, target: str, rounds: int, bounds: ValueRange):
    """What the target reaches with the stock in the middle of the range, so that an edge is
    often there to find; any number when that run fails or reaches NaN."""
    middle = int((bounds.start + bounds.stop) / 2)
    try:
        stocks, rows = systems_with(text, stock, middle, rounds)
    except Exception:
        return st.integers(-5, 200)
    reached = rows[-1][stocks.index(target) + 1]
    return st.integers(-5, 200) if reached != reached else st.just(reached)
