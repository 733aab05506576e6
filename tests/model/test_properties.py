"""Fuzzing the reader and the runner: whatever the text, only a result or a ModelError comes
out, quickly, and every error that names a line quotes that line and points inside it."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chat.reader import read_request
from bot.model import Limits, ModelError, RunResult, run_definition
from bot.model.edit import apply_overrides
from bot.model.prepare import prepare_definition

from .clock import work_clock
from .models import valid_models
from .oracle import REPR_MARKERS

LIMITS = Limits(time_budget_seconds=0.2)
ROUND_SECONDS = 0.001
# Not a measure: the clock above bounds the rounds, and what comes before them (reading, the
# nesting and growth checks) takes milliseconds for any text here. Seconds of it would be a
# hang or a blow-up, on any machine however loaded.
HANG_GUARD_SECONDS = 5.0
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

GRAMMAR_PIECES = [
    *"[]()<>@#.,+-*/ \n",
    *"abcxyzABCXYZ_",
    *"0123456789",
    "Rate",
    "Leak",
    "Conversion",
    "inf",
    "`",
    "```",
    "```systems\n",
    "&gt;",
    "&lt;",
    "&amp;",
    "\r\n",
    "\r",
    "\u00a0",
    "rounds=",
    "-r ",
    "a=",
    "1e3",
    "-5",
    ";",
    "<@U123>",
    "Phone Screens",
]
grammar_text = st.lists(st.sampled_from(GRAMMAR_PIECES), max_size=80).map("".join)
mutation = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate"]),
    st.floats(min_value=0, max_value=1),
    st.sampled_from([*"[]()<>@#.,+-*/ \n", "a", "0", "5", "`", "\r"]),
)


def _mutate(text: str, mutations: list[tuple[str, float, str]]) -> str:
    for kind, where, char in mutations:
        at = min(int(where * len(text)), max(len(text) - 1, 0))
        if kind == "insert":
            text = text[:at] + char + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[: at + 1] + text[at:]
    return text


def _timed(call):
    """Run `call` by a clock the test controls: a round costs 1 ms on it, so the 0.2 s budget
    stops every run after some 200 rounds, on any machine. Real time is only a hang guard."""
    started = time.monotonic()
    with work_clock(per_round=ROUND_SECONDS):
        try:
            outcome = call()
        except ModelError as error:
            outcome = error
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    assert isinstance(outcome, RunResult | ModelError)
    return outcome


def _check_error(error: ModelError, lines: list[list[str]], text: str) -> None:
    """`lines` are the definitions the error may point into (before and after overrides)."""
    for marker in REPR_MARKERS:
        if marker not in text:
            assert marker not in f"{error.message} {error.hint}"
    if error.line is None:
        return
    quoted = [version[error.line - 1] for version in lines if error.line <= len(version)]
    assert error.source_line in quoted
    if error.column is not None:
        assert 1 <= error.column <= len(error.source_line) + 1


def _check_warnings(result: RunResult, text: str) -> None:
    for warning in result.warnings:
        for marker in REPR_MARKERS:
            if marker not in text:
                assert marker not in warning


def check_direct(text: str, rounds: int = 10) -> None:
    """run_definition on the raw text: errors point into the prepared definition."""
    outcome = _timed(lambda: run_definition(text, rounds, limits=LIMITS))
    if isinstance(outcome, ModelError):
        _check_error(outcome, [prepare_definition(text)[0].split("\n")], text)
    else:
        _check_warnings(outcome, text)


def check_via_reader(text: str) -> None:
    """read_request then run_definition, as a front end does."""
    request = None

    def run():
        nonlocal request
        request = read_request(text)
        return run_definition(request.definition, request.rounds, request.overrides, LIMITS)

    outcome = _timed(run)
    if isinstance(outcome, ModelError):
        versions = _definitions(request) if request else []
        _check_error(outcome, versions, text)
    else:
        _check_warnings(outcome, text)


def _definitions(request) -> list[list[str]]:
    prepared = prepare_definition(request.definition)[0]
    versions = [prepared.split("\n")]
    if request.overrides:
        try:
            versions.append(apply_overrides(prepared, request.overrides).split("\n"))
        except ModelError:
            pass
    return versions


@FUZZ
@given(st.text())
def test_arbitrary_text(text):
    check_direct(text)
    check_via_reader(text)


@FUZZ
@given(grammar_text)
def test_text_from_the_grammars_alphabet(text):
    check_direct(text)
    check_via_reader(text)


@FUZZ
@given(valid_models(), st.lists(mutation, min_size=1, max_size=3), st.integers(0, 1000))
def test_mutated_valid_models(text, mutations, rounds):
    mutated = _mutate(text, mutations)
    check_direct(mutated, rounds)
    check_via_reader(mutated)


def test_mutation_helper_does_what_it_says():
    assert _mutate("abc", [("delete", 0.5, "x")]) == "ac"
    assert _mutate("abc", [("insert", 0.0, "x")]) == "xabc"
    assert _mutate("abc", [("duplicate", 1.0, "x")]) == "abcc"
    assert _mutate("", [("delete", 0.3, "x"), ("insert", 0.3, "y")]) == "y"
