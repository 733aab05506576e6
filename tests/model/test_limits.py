"""Every limit on a run: where it lies, what is said when it is hit, and its variable."""

from __future__ import annotations

import pytest

from bot.model import Limits, ModelError, run_definition
from bot.model import run as run_module
from bot.model.growth import MAX_VALUE_DIGITS

from .clock import systems_work, work_clock
from .oracle import assert_plain, assert_same_as_systems, exact_rows, systems_run

MODEL = "[a] > b @ 5\nb > c @ Leak(0.5)"


# --- rounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rounds", [0, 1, 1000])
def test_rounds_inside_the_limit_run(rounds):
    result = run_definition(MODEL, rounds)
    assert len(result.rows) == rounds + 1
    assert_same_as_systems(result, MODEL, rounds)


def test_rounds_default_to_ten():
    assert len(run_definition(MODEL).rows) == 11


@pytest.mark.parametrize("rounds", [-1, 1001, 10**9])
def test_rounds_outside_the_limit_are_refused(rounds):
    with pytest.raises(ModelError) as caught:
        run_definition(MODEL, rounds)
    assert "0 to 1000" in caught.value.message
    assert "1000" in caught.value.hint
    assert caught.value.line is None


@pytest.mark.parametrize("rounds", [2.5, True, "3"])
def test_rounds_must_be_a_whole_number(rounds):
    with pytest.raises(ModelError, match="whole number"):
        run_definition(MODEL, rounds)


# --- size --------------------------------------------------------------------------------------


def _padded(length: int) -> str:
    """A valid model exactly `length` characters long."""
    head = "[a] > b @ 1\n#"
    return head + "x" * (length - len(head))


def test_a_definition_of_20000_characters_runs():
    text = _padded(20_000)
    assert len(text) == 20_000
    assert_same_as_systems(run_definition(text, 3), text, 3)


def test_a_definition_past_20000_characters_is_refused():
    with pytest.raises(ModelError) as caught:
        run_definition(_padded(20_001), 3)
    assert "20,001" in caught.value.message
    assert "20,000" in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize("text", ["", "  \n\n ", "\n"])
def test_an_empty_definition_is_refused(text):
    with pytest.raises(ModelError, match="empty"):
        run_definition(text)


# --- time budget -------------------------------------------------------------------------------


# The budget's clocks move only when `systems` works (tests/model/clock.py): CPU time by a
# round's cost, wall-clock time `busy` times as much. Steps of 1/64 s add up exactly in binary,
# so no rounding moves a stop by a round. Before round k, k - 1 rounds have been computed.
ROUND_CPU = 1 / 64


def test_the_time_budget_keeps_the_rounds_computed_so_far():
    # 0.4 s of CPU time a round: 1.2 s are used before round 4, past the 1 s budget.
    with work_clock(per_round=0.4):
        result = run_definition(MODEL, 10, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert len(result.rows) == 4
    assert_same_as_systems(result, MODEL, 3)
    assert result.warnings[-1] == (
        "Stopped after round 3 of 10: the run used more than 1 s of CPU time."
    )


@pytest.mark.parametrize("busy", [1, 2, 2.9], ids=["idle", "twice as slow", "2.9 times as slow"])
def test_a_busy_instance_computes_the_same_rounds_as_an_idle_one(busy):
    # A round costs 1/64 s of CPU time however busy the instance; only wall-clock time
    # stretches. 65/64 s of CPU time are used before round 66, past the 1 s budget, and before
    # the wall-clock backstop of 3 s: by wall-clock time alone, twice as slow would stop after
    # round 32.
    with work_clock(per_round=ROUND_CPU, busy=busy):
        result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert len(result.rows) == 66
    assert_same_as_systems(result, MODEL, 65)
    assert result.warnings[-1] == (
        "Stopped after round 65 of 1000: the run used more than 1 s of CPU time."
    )


def test_a_thread_starved_of_cpu_stops_at_the_wall_clock_backstop():
    # Eight times as slow: 1/8 s of wall-clock time a round passes 3 s (three budgets) before
    # round 26, while only 25/64 s of CPU time is used.
    with work_clock(per_round=ROUND_CPU, busy=8):
        result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert_same_as_systems(result, MODEL, 25)
    assert result.warnings[-1] == (
        "Stopped after round 25 of 1000: the server was too busy to finish it within 3 s."
    )


def test_a_callers_deadline_stops_the_run_sooner_than_the_backstop():
    # Twice as slow, so wall-clock time moves 1/32 s a round and passes the caller's 1/2 s
    # before round 18, with CPU time (17/64 s used) and the backstop (3 s) to spare.
    limits = Limits(time_budget_seconds=1.0, wall_seconds=1 / 2)
    with work_clock(per_round=ROUND_CPU, busy=2):
        result = run_definition(MODEL, 1000, limits=limits)
    assert_same_as_systems(result, MODEL, 17)
    assert result.warnings[-1] == (
        "Stopped after round 17 of 1000: the server was too busy to finish it within 0.5 s."
    )


def test_a_slow_model_stops_near_its_budget(monkeypatch):
    # Reading this 151-stock model costs 1/4 s of CPU time by the test's clock, and the budget
    # counts it: 1/4 s + 49/64 s is past 1 s before round 50. Were reading left out, rounds 50
    # to 65 would run too.
    lines = ["[Source] > s0 @ 5", *(f"s{i} > s{i + 1} @ Leak(0.5)" for i in range(150))]
    text = "\n".join(lines)
    parse = run_module.parse
    with work_clock(per_round=ROUND_CPU) as clock:

        def slow_parse(*args):
            clock.work(1 / 4)
            return parse(*args)

        monkeypatch.setattr(run_module, "parse", slow_parse)
        result = run_definition(text, 1000, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert_same_as_systems(result, text, 49)
    assert result.warnings[-1] == (
        "Stopped after round 49 of 1000: the run used more than 1 s of CPU time."
    )


def test_a_run_within_its_budget_is_not_truncated():
    # 1/1024 s of CPU time a round: 999/1024 s are used before the last of 1,000 rounds, within
    # the 1 s budget.
    with work_clock(per_round=1 / 1024):
        result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert not result.truncated
    assert len(result.rows) == 1001
    assert not any("Stopped" in warning for warning in result.warnings)


def test_a_round_reads_cpu_time_only_when_the_budget_could_be_spent(monkeypatch):
    # CPU time is a system call; the wall clock is not. A thread uses at most a second of CPU
    # time a second, so once the run has read both clocks, it reads CPU time again only when
    # the wall clock has moved by what was left of the budget. Twice as slow, the 1 s budget
    # runs out before round 66, as on an idle instance.
    with work_clock(per_round=ROUND_CPU, busy=2) as clock:
        reads = []
        thread_time = clock.thread_time
        monkeypatch.setattr(clock, "thread_time", lambda: reads.append(1) or thread_time())
        result = run_definition(MODEL, 100, limits=Limits(time_budget_seconds=1.0))
    assert len(result.rows) == 66
    # Once when the budget starts; twice (is it spent? how long until it could be?) before
    # rounds 1, 33, 49, 57, 61, 63, 64 and 65, each time with half as much CPU time left; once
    # before round 66, when it is spent.
    assert len(reads) == 1 + 2 * 8 + 1


# --- overflow ----------------------------------------------------------------------------------


def test_overflow_keeps_the_rows_before_it_and_names_round_and_stock():
    text = "[x] > a @ a * 3\na(1)"
    with pytest.raises(OverflowError):
        systems_run(text, 1000)
    result = run_definition(text, 1000)
    kept = len(result.rows) - 1
    # systems itself runs `kept` rounds and overflows in the next one
    assert_same_as_systems(result, text, kept)
    with pytest.raises(OverflowError):
        systems_run(text, kept + 1)
    assert result.truncated
    note = result.warnings[-1]
    assert f"round {kept + 1} of 1000" in note
    assert "`a`" in note
    assert f"up to round {kept}" in note
    assert_plain(note)


def test_overflow_in_the_first_round_keeps_round_zero():
    text = "[x] > a @ a * 10000000000\na(" + "9" * 300 + ")"
    result = run_definition(text, 5)
    assert result.truncated
    assert len(result.rows) == 1
    assert exact_rows(result.rows) == exact_rows(systems_run(text, 0)[1])


# --- integers that grow without overflowing ----------------------------------------------------


def test_initial_values_that_would_take_hours_are_refused_before_running():
    # Each line has ten times the digits of the one before, so `e` would have 110,000 digits;
    # three lines more would take hours, with no round boundary where a clock could stop it.
    pairs = zip("abcd", "bcde", strict=True)
    lines = ["a(99999999999)"] + [f"{b}({'*'.join([a] * 10)})" for a, b in pairs]
    with systems_work() as work, pytest.raises(ModelError) as caught:
        run_definition("\n".join(lines), 3)
    assert not work, "refused before `systems` computed any value"
    assert "more than 100,000 digits" in caught.value.message
    assert (caught.value.line, caught.value.column) == (5, 1)
    assert_plain(caught.value.message, caught.value.hint)


def test_a_rate_that_would_take_minutes_is_refused_before_running():
    text = "x(" + "9" * 300 + ")\n[s] > y(1) @ " + "*".join(["x"] * 3000)
    with systems_work() as work, pytest.raises(ModelError) as caught:
        run_definition(text, 3)
    assert not work, "refused before `systems` computed any value"
    assert (caught.value.line, caught.value.column) == (2, text.split("\n")[1].index("x") + 1)


def test_an_initial_value_too_long_to_print_is_refused():
    text = "a(99999999999999999999)\nb(" + "*".join(["a"] * 250) + ") > c @ 1"
    with pytest.raises(ModelError) as caught:
        run_definition(text, 3)
    assert f"more than {MAX_VALUE_DIGITS:,} digits" in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, 1)


def test_a_stock_growing_past_what_can_be_printed_stops_the_run():
    # A negative leak multiplies its source by 10^9 a round. The maximum `b + 5` keeps the
    # capacity at 5, so `systems` never turns the ints into floats and never overflows.
    text = "a(1) > b(0, b + 5) @ Leak(0 - 999999999)"
    result = run_definition(text, 1000)
    kept = len(result.rows) - 1
    assert result.truncated
    assert kept == -(-MAX_VALUE_DIGITS // 9) - 1  # a is 10^(9 * round)
    assert_same_as_systems(result, text, kept)
    assert (
        f"round {kept + 1} of 1000: `a` grew past {MAX_VALUE_DIGITS:,} digits"
        in (result.warnings[-1])
    )


def test_a_number_too_long_to_read_is_refused_in_plain_words():
    # Python's int() refuses past 4,300 digits with advice about sys.set_int_max_str_digits
    with pytest.raises(ModelError) as caught:
        run_definition("a(" + "9" * 5000 + ") > b @ 1", 3)
    assert f"more than {MAX_VALUE_DIGITS:,} digits" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 1)
    assert "sys." not in caught.value.message


def test_large_values_that_systems_handles_are_kept_exactly():
    text = "a(" + "9" * 1000 + ")\n[s] > b @ 7"
    assert_same_as_systems(run_definition(text, 5), text, 5)


# --- stocks and nesting ------------------------------------------------------------------------


def test_stock_count_at_the_limit_runs_and_past_it_is_refused():
    limits = Limits(max_stocks=3)
    assert run_definition("a > b @ 1\nb > c @ 1", 2, limits=limits).stocks == ["a", "b", "c"]
    with pytest.raises(ModelError) as caught:
        run_definition("a > b @ 1\nb > c @ 1\nc > d @ 1", 2, limits=limits)
    assert "more than 3 stocks" in caught.value.message
    assert caught.value.line == 3


def test_the_default_stock_limit_is_1000():
    chain = [f"s{i} > s{i + 1} @ 1" for i in range(999)]
    assert len(run_definition("\n".join(chain), 1).stocks) == 1000
    with pytest.raises(ModelError, match="more than 1,000 stocks"):
        run_definition("\n".join([*chain, "s999 > s1000 @ 1"]), 1)


def _nested(depth: int) -> str:
    return "[a] > b @ " + "(" * depth + "1" + ")" * depth


def test_nesting_at_the_limit_runs():
    text = _nested(50)
    assert_same_as_systems(run_definition(text, 3), text, 3)


def test_nesting_past_the_limit_points_at_the_first_parenthesis():
    text = _nested(51)
    with pytest.raises(ModelError) as caught:
        run_definition(text, 3)
    assert "50" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, text.index("(") + 1)


def test_the_documented_defaults():
    assert Limits() == Limits(1000, 10, 20_000, 1.0, 1000, 50)
