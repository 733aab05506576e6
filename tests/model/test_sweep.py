"""Sweeps: every scenario's rows are exactly `systems` run with the stock starting at that
value; the model is parsed once and the sweep fits one run's budget."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.model import Limits, ModelError
from bot.model import run as run_module
from bot.model.scenario_syntax import Sweep, read_value_set
from bot.model.scenarios import sweep_definition

from .clock import work_clock
from .models import valid_models
from .oracle import assert_same_as_systems, exact_rows, systems_run
from .scenario_oracle import FUNNEL, edited, systems_builds, systems_with


def test_each_scenario_is_systems_with_that_starting_value():
    result = sweep_definition(FUNNEL, Sweep("Recruiters", (1, 2, 3, 4, 5)), 20)
    assert [scenario.value for scenario in result.scenarios] == [1, 2, 3, 4, 5]
    for scenario in result.scenarios:
        text = edited(FUNNEL, "Recruiters", scenario.value)
        assert scenario.result.definition == text
        assert_same_as_systems(scenario.result, text, 20)
    assert [s.result.rows[-1][-1] for s in result.scenarios] == [18, 36, 54, 90, 108]
    assert (result.warnings, result.truncated) == ([], False)


@pytest.mark.parametrize(
    ("text", "stock", "values"),
    [
        ("[C] > S(0, 100) @ 10\nS > T @ Leak(r)\nr(0.1)", "r", "0.1..0.5 step 0.1"),
        ("a(5) > b @ 2\n[x] > a @ 1", "a", "-2,0,2.5"),
        ("[C] > S @ R + 1\nR > T @ 1", "R", "0..3"),  # R undeclared: a line is added
        ("R(2)\nb(R * 3) > c @ 1\nd(b + R) > c @ 2", "R", "1,4,8"),
    ],
)
def test_rates_parameters_and_populations(text, stock, values):
    result = sweep_definition(text, Sweep(stock, read_value_set(values)), 12)
    assert len(result.scenarios) == len(read_value_set(values))
    for scenario in result.scenarios:
        assert_same_as_systems(scenario.result, edited(text, stock, scenario.value), 12)


def test_a_value_that_breaks_the_model_fails_alone():
    text = "[C] > S @ 10 / R\nR(2)"
    result = sweep_definition(text, Sweep("R", (0, 1, 2)), 3)
    broken, *ran = result.scenarios
    assert broken.result is None
    assert broken.error.message == "Division by zero in round 1."
    for scenario in ran:
        assert_same_as_systems(scenario.result, edited(text, "R", scenario.value), 3)
    assert not result.truncated


def test_overrides_apply_to_every_scenario():
    result = sweep_definition(FUNNEL, Sweep("Recruiters", (1, 2)), 4, {"Screens": "7"})
    for scenario in result.scenarios:
        text = edited(FUNNEL + "\nScreens(7)", "Recruiters", scenario.value)
        assert scenario.result.definition == text
        assert_same_as_systems(scenario.result, text, 4)


@pytest.mark.parametrize(
    ("stock", "overrides", "words", "hint"),
    [
        ("Recruitrs", None, "no stock called `Recruitrs` to set to 1, 2", "`Recruiters`?"),
        ("Zebras", None, "no stock called `Zebras`", "Stocks: Recruiters, Candidates, Screens"),
        ("recruiters", None, "no stock called `recruiters`", "Did you mean `Recruiters`?"),
        ("Candidates", None, "`Candidates` is an infinite stock", "without brackets"),
        ("Recruiters", {"Recruiters": "3"}, "one value (3) and several (1, 2)", "one or the other"),
    ],
)
def test_a_stock_that_cant_be_swept_is_refused_before_anything_runs(stock, overrides, words, hint):
    with pytest.raises(ModelError) as caught:
        sweep_definition(FUNNEL, Sweep(stock, (1, 2)), 3, overrides)
    assert words in caught.value.message
    assert hint in caught.value.hint


def test_a_broken_model_is_refused_before_anything_runs():
    with pytest.raises(ModelError) as caught:
        sweep_definition("[C] > S @ R * 5\nR(2)\nS > T @ Lek(1)", Sweep("R", (1, 2)), 3)
    assert caught.value.line == 3


def test_the_model_is_parsed_once(monkeypatch):
    calls = []
    parse = run_module.parse
    monkeypatch.setattr(run_module, "parse", lambda *args: calls.append(1) or parse(*args))
    sweep_definition(FUNNEL, Sweep("Recruiters", tuple(range(12))), 5)
    assert len(calls) == 1


def test_a_sweep_fits_one_runs_budget():
    # 0.1 s a round and a 1 s budget: three 3-round scenarios take 0.9 s; the fourth is
    # stopped after its round 2 (the clock reads 1.1 s before round 3), the fifth never runs.
    with work_clock(per_round=0.1):
        result = sweep_definition(
            FUNNEL, Sweep("Recruiters", (1, 2, 3, 4, 5)), 3, limits=Limits(time_budget_seconds=1)
        )
    assert [scenario.value for scenario in result.scenarios] == [1, 2, 3, 4]
    *whole, cut = result.scenarios
    assert not any(scenario.result.truncated for scenario in whole)
    assert cut.result.truncated
    assert cut.result.warnings[-1] == (
        "Stopped after round 2 of 3: the run used more than 1 s of CPU time."
    )
    stocks, rows = systems_with(FUNNEL, "Recruiters", 4, 2)
    assert exact_rows(cut.result.rows) == exact_rows(rows)
    assert result.truncated
    assert result.warnings == [
        "Stopped after 4 of 5 scenarios: the run used more than 1 s of CPU time."
    ]


def test_a_budget_spent_on_parsing_still_shows_the_first_scenario_started():
    with work_clock(per_round=2.0):
        result = sweep_definition(
            FUNNEL, Sweep("Recruiters", (1, 2)), 3, limits=Limits(time_budget_seconds=1)
        )
    (only,) = result.scenarios
    assert len(only.result.rows) == 2  # round 1 ran, then the clock read 2 s
    assert result.warnings == [
        "Stopped after 1 of 2 scenarios: the run used more than 1 s of CPU time."
    ]


# --- differential --------------------------------------------------------------------------------

SWEEP_VALUES = st.one_of(
    st.integers(-5, 300),
    st.decimals("-5", "50", places=2, allow_nan=False, allow_infinity=False).map(float),
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    text=valid_models(),
    data=st.data(),
    values=st.lists(SWEEP_VALUES, min_size=1, max_size=4, unique=True),
    rounds=st.integers(min_value=0, max_value=25),
)
def test_generated_sweeps_match_systems(text, data, values, rounds):
    limits = Limits(time_budget_seconds=60)
    if not systems_builds(text):  # the unchanged model must be sound before it is edited
        event("model refused")
        with pytest.raises(ModelError):
            sweep_definition(text, Sweep("x", (1,)), rounds, limits=limits)
        return
    settable = [name for name in _stock_names(text) if f"[{name}]" not in text]
    stock = data.draw(st.sampled_from(settable))
    result = sweep_definition(text, Sweep(stock, tuple(values)), rounds, limits=limits)
    assert [scenario.value for scenario in result.scenarios] == values
    for scenario in result.scenarios:
        _check_scenario(scenario, edited(text, stock, scenario.value), rounds)


def _stock_names(text: str) -> list[str]:
    from bot.model.source import stock_names

    return list(stock_names(text.split("\n")))


def _check_scenario(scenario, text: str, rounds: int) -> None:
    try:
        stocks, rows = systems_run(text, rounds)
    except OverflowError:  # we keep the rows before the round that overflowed
        event("scenario overflowed")
        assert scenario.result.truncated
        kept = len(scenario.result.rows) - 1
        assert_same_as_systems(scenario.result, text, kept)
        return
    except Exception:
        event("scenario failed")
        assert scenario.error is not None and scenario.result is None
        return
    event("scenario ran")
    assert scenario.error is None, scenario.error
    assert scenario.result.definition == text
    assert scenario.result.stocks == stocks
    assert exact_rows(scenario.result.rows) == exact_rows(rows)
    assert not scenario.result.truncated
