"""Parse once, run many: a parsed definition run from other starting values equals `systems`
run on the definition edited to start there, and `systems` parses it only once."""

from __future__ import annotations

import pytest

from bot.model import ModelError
from bot.model import run as run_module
from bot.model.edit import apply_overrides
from bot.model.run import parse_definition, run_definition, run_parsed

from .oracle import assert_same_as_systems

STARTS = {
    "declared in place": ("[C] > S @ R * 5\nR(2)", {"R": "4"}),
    "declared in a flow": ("R(2) > S @ 1", {"R": "7"}),
    "undeclared": ("[C] > S @ R + 1\nR > T @ 1", {"R": "3"}),
    "decimal": ("[C] > S(0, 100) @ 10\nS > T @ Leak(r)\nr(0.1)", {"r": "0.35"}),
    "whole becomes decimal": ("a(5) > b @ 2", {"a": "5.0"}),
    "negative": ("a(5) > b @ 2\n[x] > a @ 1", {"a": "-3"}),
    "zero as a decimal is systems' int zero": ("a(5) > b @ 2", {"a": "0.0"}),
    "initial values that refer to it": ("R(2)\nb(R * 3) > c @ 1\nd(b + R) > c @ 1", {"R": "5"}),
    "it referred to others": ("x(4)\nR(x * 2) > c @ 1\nb(R + 1) > c @ 1", {"R": "1"}),
    "a maximum that refers to it": ("[s] > b(0, R * 2) @ 3\nR(4)", {"R": "9"}),
    "two at once": ("a(1) > b(2) @ 1", {"a": "6", "b": "0.5"}),
    "an unfed stock given 0": ("[C] > S @ 1\nX > T @ 2", {"X": "0"}),
    "an unfed stock given 5": ("[C] > S @ 1\nX > T @ 2", {"X": "5"}),
}


@pytest.mark.parametrize(("text", "starting"), STARTS.values(), ids=STARTS.keys())
def test_a_parsed_definition_runs_as_systems_runs_the_edited_text(text, starting):
    parsed = parse_definition(text, 8)
    result = run_parsed(parsed, starting)
    edited = apply_overrides(text, starting)
    assert result.definition == edited
    assert_same_as_systems(result, edited, 8)
    assert result.rows == run_definition(text, 8, starting).rows
    assert result.warnings == run_definition(edited, 8).warnings  # lines edited are read again


def test_the_parsed_model_is_left_as_it_was():
    parsed = parse_definition("R(2) > S @ R", 3)
    run_parsed(parsed, {"R": "9"})
    assert run_parsed(parsed).rows == run_definition("R(2) > S @ R", 3).rows
    assert parsed.starting_value("R") == 2


def test_many_runs_parse_once(monkeypatch):
    calls = []
    parse = run_module.parse
    monkeypatch.setattr(run_module, "parse", lambda *args: calls.append(1) or parse(*args))
    parsed = parse_definition("[C] > S @ R * 5\nR(2)", 5)
    for value in "12345":
        run_parsed(parsed, {"R": value})
    assert len(calls) == 1


def test_a_starting_value_can_make_a_formula_too_large():
    text = "a(1)\nb(" + "*".join(["a"] * 7000) + ") > c @ 1"  # 7,000 digits at most
    parsed = parse_definition(text, 1)
    with pytest.raises(ModelError, match="more than 100,000 digits") as caught:
        run_parsed(parsed, {"a": "123456789012345"})
    assert caught.value.line == 2
    assert run_parsed(parsed, {"a": "2"}).rows[0][1] == 2  # 7,000 × 1 digit is fine


def test_starting_values_are_what_systems_computes():
    parsed = parse_definition("x(3)\na(x / 2) > b(0.0) @ 1", 1)
    assert [parsed.starting_value(name) for name in "xab"] == [3, 1.5, 0]
    assert isinstance(parsed.starting_value("b"), int)  # systems gives 0.0 back as its 0
