"""Reruns edit the text: `Name=value` sets an initial value, new flow lines replace old ones."""

from __future__ import annotations

import pytest

from bot.model import ModelError, run_definition
from bot.model.edit import apply_overrides, flow_key, merge_flow_lines

from .oracle import assert_same_as_systems

OVERRIDES = {
    "in place": ("a(5) > b @ 1", {"a": "3"}, "a(3) > b @ 1"),
    "keeps the maximum": ("a(5, 10) > b @ 1", {"a": "7"}, "a(7, 10) > b @ 1"),
    "replaces a formula": ("a((1+2), 10) > b @ 1", {"a": "7"}, "a(7, 10) > b @ 1"),
    "declared on its own line": ("x(1)\na(5)\na > b @ x", {"a": "2"}, "x(1)\na(2)\na > b @ x"),
    "destination": ("[s] > b(4) @ 1", {"b": "9"}, "[s] > b(9) @ 1"),
    "adds a line when undeclared": ("a > b @ 1", {"a": "3"}, "a > b @ 1\na(3)"),
    "negative becomes a subtraction": ("a(5) > b @ 1", {"a": "-3"}, "a(0 - 3) > b @ 1"),
    "decimal": ("a(5) > b @ 1", {"a": "2.5"}, "a(2.5) > b @ 1"),
    "inf": ("a(5) > b @ 1", {"a": "inf"}, "a(inf) > b @ 1"),
    "not a longer name": ("ab(1) > a @ 1", {"a": "4"}, "ab(1) > a @ 1\na(4)"),
    "not a reference in a rate": ("b > c @ a\na(5) > b @ 1", {"a": "1"}, "b > c @ a\na(1) > b @ 1"),
    "not a comment": ("# a(3)\na(5) > b @ 1", {"a": "9"}, "# a(3)\na(9) > b @ 1"),
    "two at once": ("a(5) > b(1) @ 1", {"a": "2", "b": "0"}, "a(2) > b(0) @ 1"),
}


@pytest.mark.parametrize(("text", "overrides", "edited"), OVERRIDES.values(), ids=OVERRIDES.keys())
def test_apply_overrides(text, overrides, edited):
    assert apply_overrides(text, overrides) == edited


@pytest.mark.parametrize(("text", "overrides", "edited"), OVERRIDES.values(), ids=OVERRIDES.keys())
def test_a_run_with_overrides_equals_systems_on_the_edited_text(text, overrides, edited):
    result = run_definition(text, 5, overrides)
    assert result.definition == edited
    assert_same_as_systems(result, edited, 5)


@pytest.mark.parametrize(
    ("overrides", "words", "hint"),
    [
        ({"c": "3"}, "no stock called `c`", "Stocks: s, a, b."),
        ({"A": "3"}, "no stock called `A`", "Did you mean `a`?"),
        ({"a": "x"}, "`x` is not a number", "a=10"),
        ({"a": "1e3"}, "`1e3` is not a number", "a=10"),
        ({"s": "3"}, "infinite stock", "without brackets"),
    ],
)
def test_bad_overrides_are_explained(overrides, words, hint):
    with pytest.raises(ModelError) as caught:
        run_definition("[s] > a(5) @ 1\na > b @ 1", 3, overrides)
    assert words in caught.value.message
    assert hint in caught.value.hint


def test_a_broken_model_is_reported_before_overrides_are_applied():
    with pytest.raises(ModelError) as caught:
        run_definition("a(5) > b @ Lek(1)", 3, {"a": "2"})
    assert (caught.value.line, caught.value.source_line) == (1, "a(5) > b @ Lek(1)")


def test_flow_key():
    assert flow_key("[a] > b(3) @ 5") == ("a", "b")
    assert flow_key("Phone Screens > Offers @ 0.5") == ("PhoneScreens", "Offers")
    assert flow_key("a(5)") is None
    assert flow_key("a > b") is None
    assert flow_key("# a > b @ 1") is None


def test_merge_flow_lines_replaces_the_same_flow_and_adds_new_ones():
    merged = merge_flow_lines("a(5) > b @ 1\nb > c @ 2", ["b > c @ 3", "  c > d @ 1"])
    assert merged == "a(5) > b @ 1\nb > c @ 3\nc > d @ 1"


def test_merge_flow_lines_matches_infinite_stocks_by_name():
    assert merge_flow_lines("[x] > c @ 2", ["[x] > c @ 3"]) == "[x] > c @ 3"
