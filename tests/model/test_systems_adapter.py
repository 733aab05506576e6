"""The adapter's side of the contract: what `systems` reads and refuses, as typed values."""

from __future__ import annotations

import pytest
from systems import lexer
from systems.parse import parse as systems_parse

from bot.model.systems_adapter import (
    FlowKind,
    Formula,
    Number,
    Operator,
    Reference,
    Refusal,
    Simulation,
    SystemsError,
    parse,
    read_line,
    read_rate,
    read_stock,
)


def _refused(call) -> SystemsError:
    with pytest.raises(SystemsError) as caught:
        call()
    return caught.value


def _parsed(text: str):
    lines = text.split("\n")
    flow_lines = [n for n, line in enumerate(lines, 1) if read_line(line, n).rate is not None]
    return parse(text, flow_lines)


# --- readings ----------------------------------------------------------------------------------


def test_a_line_reads_as_stocks_and_a_rate_of_typed_formulas():
    reading = read_line("a(1, 2 * (b + 1)) > [c] @ Leak(0.5)", 1)
    a, c = reading.stocks
    assert (a.name, a.infinite, c.name, c.infinite) == ("a", False, "c", True)
    assert a.params[1] == Formula(
        (
            Number("2", True),
            Operator("*"),
            Formula((Reference("b"), Operator("+"), Number("1", True))),
        )
    )
    assert (reading.rate.kind, reading.rate.params) == ("Leak", (Formula((Number("0.5", False),)),))


def test_readings_print_as_systems_reads_them():
    reading = read_line("a(1, 2 * (b + 1)) > [c] @ 2 * (3 + 1", 1)
    assert [stock.as_text() for stock in reading.stocks] == ["a(1, 2 * (b + 1))", "[c]"]
    assert reading.rate.as_text() == "3 + 1"  # the unclosed `(` drops what came before it
    assert read_rate("Rate(x / 2)").as_text() == "Rate(x / 2)"
    assert read_stock("b").as_text() == "b"


@pytest.mark.parametrize("text", ["1 + (2 * (b - 3)) / inf", "(a)", "0.5"])
def test_without_parentheses_a_formula_prints_as_systems_own_readable(text):
    lexed = lexer.lex_formula(text)
    formula = read_rate(text).params[0]
    assert formula.as_text(parentheses=False) == lexer.readable(lexed)


def test_formulas_on_a_line_include_nested_ones():
    reading = read_line("a((1 + 2) * 3) > b @ c - (d)", 1)
    assert [f.as_text() for f in reading.formulas()] == [
        "(1 + 2) * 3",
        "1 + 2",
        "c - (d)",
        "d",
    ]


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "refusal", "name"),
    [
        ("a > b @ 1)", Refusal.UNOPENED_PAREN, None),
        ("a-b > c @ 1", Refusal.ILLEGAL_STOCK_NAME, "a-b"),
    ],
)
def test_what_the_lexer_refuses(text, refusal, name):
    error = _refused(lambda: read_line(text, 4))
    assert (error.refusal, error.line, error.name) == (refusal, 4, name)


@pytest.mark.parametrize(
    ("text", "refusal", "line", "name"),
    [
        ("[x] > y @ 1\na(1,,2) > b @ 1", Refusal.EMPTY_FORMULA, 2, None),
        ("[a] > b @ - 2", Refusal.LEADING_OPERATOR, 1, None),
        ("a > b @ 1 + * 2", Refusal.OPERATOR_AFTER_OPERATOR, 1, None),
        ("a > b @ (1) 2", Refusal.MISSING_OPERATOR, 1, None),
        ("a > b @ 1 +", Refusal.TRAILING_OPERATOR, 1, None),
        ("a > b @ c", Refusal.UNKNOWN_REFERENCE, None, "c"),
        ("[a] > b @ 0.5", Refusal.INFINITE_SOURCE, 1, None),
        ("a > b @ 1, 2", Refusal.RATE_COUNT, 1, None),
        ("a(5) > b @ 1\na(6) > c @ 1", Refusal.CONFLICTING_VALUES, 2, "a"),
        ("a(5) > b @ Lek(0.5)", Refusal.UNKNOWN_FLOW_KIND, 1, "lek"),
        ("[s] > a @ 1\nx @ 0.5", Refusal.FLOW_WITHOUT_DESTINATION, 2, None),
        ("a(b) > c @ 0.5\nb(1)", Refusal.UNREADABLE_LINE, 1, None),
    ],
)
def test_what_building_refuses(text, refusal, line, name):
    error = _refused(lambda: _parsed(text))
    assert (error.refusal, error.line, error.name) == (refusal, line, name)
    assert "[(" not in error.detail


def test_a_refused_formula_comes_typed():
    error = _refused(lambda: _parsed("a > b @ 1 +"))
    assert error.formula == Formula((Number("1", True), Operator("+")))


def test_a_circle_of_initial_values_is_named_in_order():
    error = _refused(lambda: _parsed("a(b) > c @ 1\nb(a)"))
    assert (error.refusal, error.cycle) == (Refusal.CIRCULAR_INITIAL_VALUES, ("a", "b"))


def test_what_building_raises_outside_any_line_is_said_in_one_line():
    # the per-line reader skips a line of no-break space; `systems` reads it as a stock
    error = _refused(lambda: parse("\u00a0\n[a] > b @ 1", [2]))
    assert error.refusal is Refusal.FAILED
    assert error.detail.startswith("name '' is not a legal stock name")


@pytest.mark.parametrize(
    ("text", "refusal", "name"),
    [
        ("a((b)) > c @ 1\nb(3)", Refusal.NO_VALUE_YET, "b"),
        ("a((zz)) > c @ 1", Refusal.UNKNOWN_REFERENCE, "zz"),
        ("a(1/0) > b @ 1", Refusal.DIVISION_BY_ZERO, None),
        ("a(" + "9" * 400 + " / 3) > b @ 1", Refusal.OVERFLOW, None),
        ("a((1 +)) > b @ 1", Refusal.TRAILING_OPERATOR, None),
    ],
)
def test_what_computing_initial_values_refuses(text, refusal, name):
    error = _refused(lambda: Simulation(_parsed(text)))
    assert (error.refusal, error.name) == (refusal, name)


def test_what_a_round_refuses():
    simulation = Simulation(_parsed("a(1) > b @ 1/a\n[s] > x @ 0 - 1\nx > a @ 1"))
    simulation.advance()  # a: 1 - 1 = 0
    with pytest.raises(ZeroDivisionError) as caught:  # as `systems` raises it
        simulation.advance()
    assert simulation.failure(caught.value).refusal is Refusal.DIVISION_BY_ZERO


# --- the built model ---------------------------------------------------------------------------


def test_flows_know_their_kind_and_line():
    model = _parsed("[s] > a @ 1\n\na > b @ 0.5\nb > c @ Leak(0.5)")
    assert [(f.source, f.destination, f.kind, f.line) for f in model.flows] == [
        ("s", "a", FlowKind.RATE, 1),
        ("a", "b", FlowKind.CONVERSION, 3),
        ("b", "c", FlowKind.LEAK, 4),
    ]
    assert model.visible_stocks == ["a", "b", "c"]


def test_stocks_in_the_order_systems_computes_their_initial_values():
    model = _parsed("c(b) > d @ 1\nb(1)")
    assert [stock.name for stock in model.stocks_in_initial_order()] == ["d", "b", "c"]


def test_the_failing_initial_value_and_the_failing_flow():
    model = _parsed("c(b) > x @ 1\nb(2/0)")
    assert model.failing_initial().name == "b"
    model = _parsed("a(1) > b @ 1/c\nc(0)\n[s] > c @ 1")
    assert model.failing_flow({"a": 1, "b": 0, "c": 0, "s": float("inf")}).line == 1
    assert model.failing_flow({"a": 1, "b": 0, "c": 2, "s": float("inf")}) is None


def test_a_simulation_is_systems_own_run():
    text = "[s] > a(3) @ 2\na > b @ 0.5\nb > c @ Leak(0.5)"
    simulation = Simulation(_parsed(text))
    snapshots = [simulation.snapshot()]
    for _ in range(5):
        simulation.advance()
        snapshots.append(simulation.snapshot())
    assert snapshots == systems_parse(text, tracebacks=False).run(5)
