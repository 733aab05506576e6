"""Every limit on a run: where it lies, what is said when it is hit, and its variable."""

from __future__ import annotations

import pytest

from bot.model import Limits, ModelError, run_definition
from bot.model import run as run_module
from bot.model.growth import MAX_VALUE_DIGITS

from .clock import systems_work
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


class _Clocks:
    """The two clocks run.py reads, each moving on every call: time.thread_time (this thread's
    CPU time) by `cpu` seconds, time.monotonic (wall-clock time) by `wall` seconds. Wall-clock
    time moving faster than CPU time is a busy instance, where other threads get the CPU."""

    def __init__(self, cpu: float, wall: float):
        self.cpu_step, self.wall_step = cpu, wall
        self.cpu = self.wall = 0.0

    def thread_time(self) -> float:
        self.cpu += self.cpu_step
        return self.cpu

    def monotonic(self) -> float:
        self.wall += self.wall_step
        return self.wall


def test_the_time_budget_keeps_the_rounds_computed_so_far(monkeypatch):
    # The deadlines are read once, then the clocks are checked before each round: 0.3 s of
    # CPU time a round with a 1 s budget leaves rounds 1 to 3.
    monkeypatch.setattr(run_module, "time", _Clocks(cpu=0.3, wall=0.3))
    result = run_definition(MODEL, 10, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert len(result.rows) == 4
    assert_same_as_systems(result, MODEL, 3)
    assert result.warnings[-1] == (
        "Stopped after round 3 of 10: the run used more than 1 s of CPU time."
    )


# Steps of 1/64 s and 1/32 s add up exactly in binary: no rounding moves a stop by a round.
ROUND_CPU = 1 / 64


@pytest.mark.parametrize("busy", [1, 2, 2.9], ids=["idle", "twice as slow", "2.9 times as slow"])
def test_a_busy_instance_computes_the_same_rounds_as_an_idle_one(monkeypatch, busy):
    # A round costs 1/64 s of CPU time however busy the instance; only wall-clock time
    # stretches. The 1 s of CPU time runs out before round 65, long before the wall-clock
    # backstop of 3 s: by wall-clock time alone, twice as slow would stop after round 32.
    monkeypatch.setattr(run_module, "time", _Clocks(cpu=ROUND_CPU, wall=ROUND_CPU * busy))
    result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert len(result.rows) == 65
    assert_same_as_systems(result, MODEL, 64)
    assert result.warnings[-1] == (
        "Stopped after round 64 of 1000: the run used more than 1 s of CPU time."
    )


def test_a_thread_starved_of_cpu_stops_at_the_wall_clock_backstop(monkeypatch):
    # Eight times as slow: 1/8 s of wall-clock time a round passes 3 s (three budgets) before
    # round 25, while only 25/64 s of CPU time is used.
    monkeypatch.setattr(run_module, "time", _Clocks(cpu=ROUND_CPU, wall=ROUND_CPU * 8))
    result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert_same_as_systems(result, MODEL, 24)
    assert result.warnings[-1] == (
        "Stopped after round 24 of 1000: the server was too busy to finish it within 3 s."
    )


def test_a_callers_deadline_stops_the_run_sooner_than_the_backstop(monkeypatch):
    # Wall-clock time moves 1/32 s a call: it reads 1/32 s when the run starts, so 31/32 s of
    # wall_seconds end at 1 s, and it reads (k + 1)/32 s before round k, so the run stops before
    # round 32, with CPU time (32/64 s used) and the backstop (3 s) to spare.
    monkeypatch.setattr(run_module, "time", _Clocks(cpu=ROUND_CPU, wall=1 / 32))
    limits = Limits(time_budget_seconds=1.0, wall_seconds=31 / 32)
    result = run_definition(MODEL, 1000, limits=limits)
    assert_same_as_systems(result, MODEL, 31)
    assert result.warnings[-1] == (
        "Stopped after round 31 of 1000: the server was too busy to finish it within 0.97 s."
    )


def test_a_slow_model_stops_near_its_budget(monkeypatch):
    # Reading this 151-stock model costs 1/4 s of CPU time by the test's clocks, and the budget
    # counts it: 1/64 s when the budget starts, then 1/4 s, then 1/64 s before each round
    # passes 1 s + 1/64 s before round 49. Were reading left out, rounds 49 to 64 would run too.
    lines = ["[Source] > s0 @ 5", *(f"s{i} > s{i + 1} @ Leak(0.5)" for i in range(150))]
    text = "\n".join(lines)
    clocks = _Clocks(cpu=ROUND_CPU, wall=ROUND_CPU)
    parse = run_module.parse

    def slow_parse(*args):
        clocks.cpu += 1 / 4
        return parse(*args)

    monkeypatch.setattr(run_module, "time", clocks)
    monkeypatch.setattr(run_module, "parse", slow_parse)
    result = run_definition(text, 1000, limits=Limits(time_budget_seconds=1.0))
    assert result.truncated
    assert_same_as_systems(result, text, 48)
    assert result.warnings[-1] == (
        "Stopped after round 48 of 1000: the run used more than 1 s of CPU time."
    )


def test_a_run_within_its_budget_is_not_truncated(monkeypatch):
    # 1/1024 s of CPU time a call by the test's clocks: the last of 1,000 rounds starts at
    # 1001/1024 s, within the 1 s budget that started at 1/1024 s.
    monkeypatch.setattr(run_module, "time", _Clocks(cpu=1 / 1024, wall=1 / 1024))
    result = run_definition(MODEL, 1000, limits=Limits(time_budget_seconds=1.0))
    assert not result.truncated
    assert len(result.rows) == 1001
    assert not any("Stopped" in warning for warning in result.warnings)


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
