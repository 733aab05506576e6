"""Models built to hurt: each ends with a result or a clear ModelError, and those refused are
refused before `systems` computes anything.

test_limits.py covers each limit at its edge; these push far past the edges, inside the
20,000-character limit, where the cost would come from `systems` itself (which recurses per
parenthesis, and whose integers never overflow). Runs go by a clock the test controls, so
where the time budget stops one depends on the model, not on the machine.
"""

from __future__ import annotations

import string
import time
from itertools import product

import pytest

from bot.model import Limits, ModelError, run_definition
from bot.model.run import NESTING_CEILING

from .clock import systems_work, work_clock
from .oracle import assert_plain, assert_same_as_systems

# A hang guard, not a measure: the test's clock decides where the budget stops a run, so real
# time can only catch work that never ends or blows up (reading that turned quadratic, say).
# These runs take milliseconds, the doubling one half a second; ten seconds is far past what
# any machine, however loaded, needs.
HANG_GUARD_SECONDS = 10.0


def timed_run(text: str, rounds: int, limits: Limits | None = None, per_round: float = 0.0):
    """The result or the ModelError, run by a clock the test controls: each round costs
    `per_round` seconds on it, and reading nothing, so by default the budget never stops a run."""
    limits = limits or Limits()
    started = time.monotonic()
    with work_clock(per_round=per_round):
        try:
            outcome = run_definition(text, rounds, limits=limits)
        except ModelError as error:
            outcome = error
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    return outcome


def refused(text: str, rounds: int = 10, limits: Limits | None = None) -> ModelError:
    with systems_work() as work:
        error = timed_run(text, rounds, limits)
    assert isinstance(error, ModelError), "expected a clear refusal"
    assert not work, "refused before `systems` computed any value"
    assert_plain(error.message, error.hint)
    assert error.line is not None
    return error


def nested(depth: int, inner: str = "1") -> str:
    return "(" * depth + inner + ")" * depth


# --- parentheses nested 10,000 deep --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[a] > b @ " + nested(9_990),
        "a(" + nested(9_980) + ") > b @ 1",
        "[a] > b @ " + "(" * 19_000 + "1",  # never closed
    ],
    ids=["rate", "initial value", "unclosed"],
)
@pytest.mark.parametrize("max_nesting", [Limits().max_nesting, 10_000])
def test_ten_thousand_parentheses_are_refused_without_exhausting_the_stack(text, max_nesting):
    assert len(text) <= 20_000
    error = refused(text, limits=Limits(max_nesting=max_nesting))
    assert "nested more than" in error.message
    assert error.hint == "Simplify the formula."


def test_nesting_up_to_the_ceiling_runs_even_deep_in_a_servers_stack():
    inner = nested(NESTING_CEILING - 1)  # a( ... ) is one level more
    text = f"[x] > a({inner}) @ " + nested(NESTING_CEILING, "3") + " * a"

    def at_depth(frames: int):
        if frames:
            return at_depth(frames - 1)
        return timed_run(text, 3, Limits(max_nesting=10_000))

    assert_same_as_systems(at_depth(300), text, 3)


# --- 1,000 rounds of 200 stocks ------------------------------------------------------------------


def test_a_thousand_rounds_of_two_hundred_stocks_end_within_the_budget():
    # 3 ms a round by the test's clock: rounds 1 to 334 start within the default 1 s budget.
    lines = ["[Source] > s0 @ 7", *(f"s{i} > s{i + 1} @ Leak(0.5)" for i in range(199))]
    text = "\n".join(lines)
    result = timed_run(text, 1000, per_round=0.003)
    assert len(result.stocks) == 200
    assert result.truncated
    assert result.warnings[-1] == (
        "Stopped after round 334 of 1000: the run used more than 1 s of CPU time."
    )
    assert_same_as_systems(result, text, 334)


# --- exponential growth -------------------------------------------------------------------------


def test_doubling_two_hundred_stocks_for_a_thousand_rounds_stays_exact():
    lines = [f"[x{i}] > s{i}(1) @ s{i}" for i in range(200)]
    text = "\n".join(lines)
    result = timed_run(text, 1000)
    assert not result.truncated
    assert_same_as_systems(result, text, 1000)


def test_growth_that_squares_each_round_stops_at_overflow_with_a_note():
    text = "[x] > a(2) @ a * a"
    result = timed_run(text, 1000)
    assert result.truncated and len(result.rows) < 20
    assert "outgrew floating point" in result.warnings[-1]
    assert_plain(*result.warnings)
    assert_same_as_systems(result, text, len(result.rows) - 1)


def test_floats_growing_a_hundredfold_reach_infinity_as_systems_computes_it():
    text = "[x] > a(1.5) @ a * 99"
    result = timed_run(text, 1000)
    assert result.rows[-1][1] == float("inf")
    assert_same_as_systems(result, text, 1000)


# --- a definition of one 20,000-character line -------------------------------------------------


@pytest.mark.parametrize("operator", ["+", "*", " - "])
def test_one_line_of_twenty_thousand_characters_runs(operator):
    head = "[a] > b @ 1"
    text = head + f"{operator}1" * ((20_000 - len(head)) // (len(operator) + 1))
    assert 19_990 <= len(text) <= 20_000
    result = timed_run(text, 10)
    assert_same_as_systems(result, text, len(result.rows) - 1)


@pytest.mark.parametrize(
    "text",
    [
        "[a] > b @ " + "1+" * 9_995,  # ends with an operator
        "[a] > b @ -" + "9" * 19_989,  # a negative number
        "[a] > b @ " + "1 1 " * 4_997,  # values without operators
        "@" * 20_000,
        "[a] > b @ " + "9" * 19_990,  # a number too long to compute with
    ],
    ids=["trailing operator", "negative", "no operators", "only @", "huge number"],
)
def test_one_broken_line_of_twenty_thousand_characters_gets_a_short_message(text):
    error = refused(text)
    assert len(error.message) < 200 and len(error.hint or "") < 200
    assert error.line == 1


# --- names of 5,000 characters ------------------------------------------------------------------

LONG = "N" * 5_000


def test_names_of_five_thousand_characters_run():
    text = f"[{LONG}] > c @ 5\nc > {LONG}b @ c / 2\n{LONG}b > d @ Leak(0.5)"
    assert len(text) <= 20_000
    result = timed_run(text, 10)
    assert result.stocks == ["c", f"{LONG}b", "d"]
    assert_same_as_systems(result, text, 10)


def test_a_near_miss_between_five_thousand_character_names_is_explained_quickly():
    error = refused(f"[a] > {LONG} @ 1\n{LONG} > c @ {LONG[:-1]}M")
    assert error.message.startswith("There is no stock called")
    assert error.hint == f"Did you mean `{LONG}`?"
    assert (error.line, error.column) == (2, len(LONG) + len(" > c @ ") + 1)


def test_a_five_thousand_character_name_given_two_initial_values_is_refused():
    error = refused(f"{LONG}(1) > b @ 1\n{LONG}(2) > c @ 1")
    assert error.line == 2


# --- ten thousand stocks ------------------------------------------------------------------------


def _names():
    letters = string.ascii_letters
    yield from letters
    yield from ("".join(p) for p in product(letters, letters + string.digits))
    yield from ("".join(p) for p in product(letters, repeat=3))


def _many_stocks(limit: int = 20_000) -> str:
    """As many stocks as 20,000 characters hold: one short name a line, each a stock."""
    names, lines, size = _names(), [], -1
    while size + 4 <= limit:
        lines.append(next(names))
        size += len(lines[-1]) + 1
    return "\n".join(lines)


def test_thousands_of_stocks_are_refused_at_the_stock_limit():
    text = _many_stocks()
    assert len(text) <= 20_000 and text.count("\n") + 1 > 5_800
    error = refused(text)
    assert "more than 1,000 stocks" in error.message
    assert error.line == 1_001
