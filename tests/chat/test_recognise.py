"""The one recogniser of "this text holds a model": every model people are shown and every
definition `systems` runs is one, ordinary chat is not, and a line is a flow exactly when
`systems`' own lexer reads one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from systems import lexer

from bot.chat.reader import looks_like_model, read_request
from bot.chat.recognise import holds_model, is_flow_line
from bot.model.prepare import prepare_definition
from tests.chat.examples import CHATTER, as_slack_sends, documented_examples
from tests.model.models import valid_models

EXAMPLES = documented_examples()


def test_the_examples_are_found_where_they_are_shown():
    places = {example.where for example in EXAMPLES}
    assert places == {"README", "help", "App Home", "editor"}
    assert "@sysbot [Legacy(120)] > Migrated @ 10 rounds=15" in [e.typed for e in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.where}: {e.typed[:40]}")
def test_every_model_people_are_shown_is_recognised(example):
    assert looks_like_model(read_request(as_slack_sends(example.model)))


def test_the_readme_mention_example_holds_a_model_with_its_options_taken_out():
    request = read_request("<@UBOT> [Legacy(120)] &gt; Migrated @ 10 rounds=15")
    assert (request.definition.strip(), request.rounds) == ("[Legacy(120)] > Migrated @ 10", 15)
    assert looks_like_model(request)


@pytest.mark.parametrize("text", CHATTER)
def test_ordinary_chat_holds_no_model(text):
    assert not looks_like_model(read_request(text))


@pytest.mark.parametrize(
    "definition",
    [
        "Hires(5) > Departures @ Leak(0.1)",  # an initial value
        "Hires(5, 50) > Departures @ 1",  # and a maximum
        "Hires(Engineers * 2, Engineers + 10) > Departures @ 1",  # formulas in both
        "[Candidates] > Screens @ Engineers / (2 + Hires)",  # a formula as the rate
        "a > b @ inf",
        "a > b @ Rate(5)",
        "a > b @ conversion(0.5)",  # systems reads the kind in any case
        "Phone Screens(3) > On sites @ 0.5",  # systems drops the spaces in names
        "a>b@5",
        "a > b @ 5 # a comment after the flow, which the bot drops",
        "# a comment line\na > b @ 5",
        "[Legacy(120)] > Migrated @ 10",  # an infinite stock may be called anything
        "[5pm] > b @ 5pm",  # and a formula may refer to it by that name
        "[5pm]\na > b @ 5pm",  # wherever it is written
        "a > b > c @ 5",  # systems reads a third stock, and the flow between the first two
        "a > b @ (5",  # systems drops a parenthesis never closed
    ],
)
def test_definitions_systems_reads_as_flows_are_models(definition):
    assert holds_model(definition)


@pytest.mark.parametrize(
    "definition",
    [
        "Hires(5)",  # a stock alone is no model: `lol` and `see section(3)` read as stocks too
        "a > b",  # no rate
        "a > b @ ",
        "a > b @ # a comment, not a rate",
        "a # b > c @ 5",  # a `#` before the first `>` makes the line a comment
        "a > b @ Lunch(5)",  # no such kind of flow
        "a > b @ 5, 6",  # a rate is one value
        "a > b @ 5pm",  # no stock could be called 5pm (no [5pm] here)
        "a > b @ 1.2.3",
        "a > b @ Q3?",
        "> b @ 5",
        "a > > b @ 5",
        "a b! > c @ 5",
        "a > [b @ 5",
    ],
)
def test_lines_systems_cannot_read_as_flows_are_not(definition):
    assert not holds_model(definition)


@settings(max_examples=300, deadline=None)
@given(valid_models())
def test_generated_definitions_of_every_kind_are_models(definition):
    # Initial values, maximums, formulas, every kind of flow, infinite stocks, odd spacing.
    assert holds_model(definition)


# -- the same reading as systems' lexer ---------------------------------------------------------

_ALPHABET = "ab5[]()>@#,.+-*/ ?_"
_FLOW_KINDS = ("", "leak", "conversion", "rate")


def _values(formula: tuple) -> list[tuple[str, str]]:
    """(kind, text) of every number and reference in a lexed formula, nested ones included."""
    found = []
    for kind, value in formula[1]:
        if kind == lexer.TOKEN_FORMULA:
            found += _values((kind, value))
        elif kind != lexer.TOKEN_OP:
            found.append((kind, value))
    return found


def _formula_reads(formula: tuple, infinite: set[str]) -> bool:
    values = _values(formula)
    references = [text for kind, text in values if kind == lexer.TOKEN_REFERENCE]
    return bool(values) and all(
        re.fullmatch(lexer.LEGAL_STOCK_NAME, name) or name in infinite for name in references
    )


def systems_reads_a_flow(line: str) -> bool:
    """What `systems`' own lexer reads in the line (after the bot drops a comment after a
    flow): two stocks or more and a rate of a kind it knows with one value, every value in
    them a number or a name a stock can have."""
    try:
        _, lines = lexer.lex(prepare_definition(line)[0])
    except Exception:
        return False
    tokens = lines[0][2] if lines else []
    stocks = [t for t in tokens if t[0] in (lexer.TOKEN_STOCK, lexer.TOKEN_STOCK_INFINITE)]
    rates = [t for t in tokens if t[0] == lexer.TOKEN_FLOW]
    if len(stocks) < 2 or not rates:
        return False
    _, kind, (_, rate_params) = rates[0]
    if kind.lower() not in _FLOW_KINDS or len(rate_params) != 1:
        return False
    infinite = {name for token, name, _ in stocks if token == lexer.TOKEN_STOCK_INFINITE}
    stock_params = [
        p for token, _, (_, params) in stocks if token == lexer.TOKEN_STOCK for p in params
    ]
    return all(_formula_reads(formula, infinite) for formula in [*rate_params, *stock_params])


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=16))
def test_every_line_systems_reads_as_a_flow_is_one(line):
    if systems_reads_a_flow(line):
        assert is_flow_line(line)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET.replace("(", "").replace(")", "").replace(",", ""), max_size=16))
def test_without_parentheses_a_line_is_a_flow_exactly_when_systems_reads_one(line):
    # With parentheses the recogniser is kinder than the lexer, never stricter: `a(f(1,2))`
    # splits inside a formula there, and the run then explains the error.
    assert is_flow_line(line) == systems_reads_a_flow(line)
