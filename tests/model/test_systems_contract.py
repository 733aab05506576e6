"""What bot/model/systems_adapter.py relies on inside `systems`, pinned against `systems` itself.

Each test states one fact of `systems` 0.1.0 that the adapter reads: a token's shape, an
exception's class, attributes and exact text, an attribute of Model, Stock, Flow or State. An
upgrade of `systems` that changes any of them fails here, naming the fact, before the model
layer's own tests fail in ways that are harder to read.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from systems import errors, lexer, models
from systems.parse import parse


def _parse_error(text: str) -> errors.ParseError:
    with pytest.raises(errors.ParseError) as caught:
        parse(text, tracebacks=False)
    return caught.value


def _built(text: str) -> models.Model:
    model = parse(text, tracebacks=False)
    model.validate()
    return model


def test_the_adapter_is_written_against_systems_0_1_0():
    assert version("systems") == "0.1.0"


# --- tokens ------------------------------------------------------------------------------------


def test_a_line_lexes_into_stock_and_flow_tokens_with_formulas_of_terms():
    assert lexer.lex("a(1, 2 * (b + 1)) > [c] @ Leak(0.5)") == (
        "lines",
        [
            (
                "line",
                1,
                [
                    (
                        "stock",
                        "a",
                        (
                            "params",
                            (
                                ("formula", [("whole", "1")]),
                                (
                                    "formula",
                                    [
                                        ("whole", "2"),
                                        ("operation", "*"),
                                        (
                                            "formula",
                                            [
                                                ("reference", "b"),
                                                ("operation", "+"),
                                                ("whole", "1"),
                                            ],
                                        ),
                                    ],
                                ),
                            ),
                        ),
                    ),
                    ("flow_direction", ">"),
                    ("infinite_stock", "c", ("params", [])),
                    ("flow_delimiter", "@"),
                    ("flow", "Leak", ("params", (("formula", [("decimal", "0.5")]),))),
                ],
            )
        ],
    )


def test_the_token_kind_names():
    kinds = (
        lexer.TOKEN_STOCK,
        lexer.TOKEN_STOCK_INFINITE,
        lexer.TOKEN_FLOW,
        lexer.TOKEN_FORMULA,
        lexer.TOKEN_OP,
        lexer.TOKEN_REFERENCE,
        lexer.TOKEN_WHOLE,
        lexer.TOKEN_DECIMAL,
        lexer.TOKEN_INFINITY,
    )
    assert kinds == (
        "stock",
        "infinite_stock",
        "flow",
        "formula",
        "operation",
        "reference",
        "whole",
        "decimal",
        "inf",
    )


def test_a_formula_holds_only_these_term_kinds():
    assert lexer.lex_formula("1 + 2.5 * inf - a / (3)") == (
        "formula",
        [
            ("whole", "1"),
            ("operation", "+"),
            ("decimal", "2.5"),
            ("operation", "*"),
            ("inf", "inf"),
            ("operation", "-"),
            ("reference", "a"),
            ("operation", "/"),
            ("formula", [("whole", "3")]),
        ],
    )


def test_a_bare_rate_has_no_kind_and_a_stock_without_params_has_none():
    assert lexer.lex_flow("0.5") == ("flow", "", ("params", (("formula", [("decimal", "0.5")]),)))
    assert lexer.lex_flow("Rate(2)") == (
        "flow",
        "Rate",
        ("params", (("formula", [("whole", "2")]),)),
    )
    assert lexer.lex_stock("b") == ("stock", "b", ("params", ()))
    assert lexer.lex_stock("[a]") == ("infinite_stock", "a", ("params", []))


def test_every_stock_on_a_line_is_read_and_a_line_has_at_most_one_flow():
    _, [(_, _, tokens)] = lexer.lex("a > b > c @ 1 @ 2")
    assert [token[1] for token in tokens if token[0] == "stock"] == ["a", "b", "c"]
    assert [token for token in tokens if token[0] == "flow"] == [
        ("flow", "", ("params", (("formula", [("reference", "1@2")]),)))
    ]


def test_an_unclosed_parenthesis_keeps_only_what_follows_it():
    _, [(_, _, tokens)] = lexer.lex("a > b @ 2 * (3 + 1")
    assert tokens[-1] == (
        "flow",
        "",
        ("params", (("formula", [("whole", "3"), ("operation", "+"), ("whole", "1")]),)),
    )


def test_blank_and_comment_lines():
    assert lexer.lex("") == ("lines", [])
    assert lexer.lex("# note") == ("lines", [("line", 1, [("comment", "# note")])])


def test_the_legal_stock_name():
    assert lexer.LEGAL_STOCK_NAME == "[a-zA-Z][a-zA-Z0-9_]*"


# --- what the lexer raises ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a > b @ 1)", "a(5)(6) > b @ 1"])
def test_a_parenthesis_closing_nothing_is_an_index_error(text):
    with pytest.raises(IndexError):
        lexer.lex(text)


@pytest.mark.parametrize(
    ("text", "name"), [("a-b > c @ 1", "a-b"), ("a(5 > b @ 1", "a(5"), ("@ 1", ""), ("a > @ 1", "")]
)
def test_an_illegal_stock_name_says_which_text(text, name):
    """Also why a flow always has a source: an empty one is an illegal name."""
    with pytest.raises(errors.IllegalStockName) as caught:
        lexer.lex(text)
    assert caught.value.name == name


# --- what parse and validate raise -------------------------------------------------------------


def test_parse_errors_carry_the_line_number_and_the_exception_inside():
    error = _parse_error("[x] > y @ 1\n\na > b @ 1 +")
    assert error.line_number == 3
    assert isinstance(error.exception, errors.InvalidFormula)


@pytest.mark.parametrize(
    ("text", "message", "lexed"),
    [
        (
            "a(1,,2) > b @ 1",
            "formula is empty. must specify a number or a reference",
            ("formula", []),
        ),
        (
            "[a] > b @ - 2",
            "can't start with an operation",
            ("formula", [("operation", "-"), ("whole", "2")]),
        ),
        (
            "a > b @ 1 + * 2",
            "operation can't be preceeded by an operation",
            ("formula", [("whole", "1"), ("operation", "+"), ("operation", "*"), ("whole", "2")]),
        ),
        (
            "a > b @ (1) 2",
            "must have an operation between values or references",
            ("formula", [("formula", [("whole", "1")]), ("whole", "2")]),
        ),
        (
            "a > b @ 1 +",
            "formula cannot end with an operation",
            ("formula", [("whole", "1"), ("operation", "+")]),
        ),
    ],
)
def test_invalid_formula_messages_word_for_word(text, message, lexed):
    invalid = _parse_error(text).exception
    assert isinstance(invalid, errors.InvalidFormula)
    assert invalid.msg == message
    assert invalid.formula.lexed == lexed


def test_an_unknown_reference_is_found_by_validate_and_named_in_the_message():
    model = parse("a > b @ c", tracebacks=False)
    with pytest.raises(errors.InvalidFormula) as caught:
        model.validate()
    assert caught.value.msg == "reference to non-existant stock 'c'"
    assert caught.value.formula.lexed == ("formula", [("reference", "c")])


def test_an_infinite_source_of_a_conversion():
    assert isinstance(_parse_error("[a] > b @ 0.5").exception, errors.IllegalSourceStock)


def test_a_rate_with_two_values_is_a_type_error():
    assert isinstance(_parse_error("a > b @ 1, 2").exception, TypeError)


def test_conflicting_values_name_the_stock_and_the_line():
    error = _parse_error("a(5) > b @ 1\na(6) > c @ 1")
    assert isinstance(error, errors.ConflictingValues)
    assert (error.name, error.line_number, error.exception) == ("a", 2, None)


def test_an_unknown_flow_kind_is_given_in_lower_case():
    error = _parse_error("a(5) > b @ Lek(0.5)")
    assert isinstance(error, errors.UnknownFlowType)
    assert (error.flow_type, error.line_number, error.exception) == ("lek", 1, None)


def test_a_flow_without_a_destination_is_built_with_none():
    model = parse("x @ 0.5", tracebacks=False)
    assert model.flows[0].source.name == "x" and model.flows[0].destination is None


def test_circular_initial_values_leave_the_circle_in_the_cycle_graph():
    with pytest.raises(errors.CircularReferences) as caught:
        _built("a(b) > c @ 1\nb(a)")
    assert caught.value.cycle == {"a": ["b"], "c": [], "b": ["a"]}


# --- the model, its stocks and flows -----------------------------------------------------------


def test_one_flow_for_each_line_with_a_rate_in_line_order():
    model = _built("[s] > a @ 1\n\na > b @ 0.5\nb(2)\nb > c @ Leak(0.5)\nc > d @ Rate(1)")
    flows = [(f.source.name, f.destination.name, type(f.rate)) for f in model.flows]
    assert flows == [
        ("s", "a", models.Rate),
        ("a", "b", models.Conversion),
        ("b", "c", models.Leak),
        ("c", "d", models.Rate),
    ]
    assert issubclass(models.Leak, models.Conversion)
    assert model.flows[1].rate.formula.lexed == ("formula", [("decimal", "0.5")])


def test_stocks_with_their_formulas_and_visibility():
    model = _built("[s] > a(1, 9) @ 1")
    infinite, stock = model.stocks
    assert (infinite.name, infinite.show, stock.name, stock.show) == ("s", False, "a", True)
    assert infinite.initial.lexed == ("formula", [("inf", "inf")])
    assert stock.maximum.lexed == ("formula", [("whole", "9")])
    assert parse("b", tracebacks=False).stocks[0].maximum.lexed == ("formula", [("inf", "inf")])
    assert stock.initial.compute({}) == 1
    assert model.get_stock("a") is stock and model.get_stock("zz") is None


def test_a_flow_changes_by_what_it_takes_and_what_it_adds():
    model = _built("a(10) > b @ Leak(0.5)")
    assert model.flows[0].change({"a": 10, "b": 0}, 10, 0) == (5, 5)


def test_state_computes_initial_values_outside_the_initial_path_first():
    model = _built("c(b) > d @ 1\nb(1)")
    assert model.initial_path == ["c"]
    assert list(models.State(model).state) == ["d", "b", "c"]


def test_state_advances_its_own_dict_and_snapshots_copy_it():
    state = models.State(_built("[s] > a @ 2"))
    values = state.state
    snapshot = state.snapshot()
    state.advance()
    assert state.state is values and values["a"] == 2
    assert snapshot == {"s": float("inf"), "a": 0}


# --- what a run raises -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raised"),
    [
        ("a((b)) > c @ 1\nb(3)", KeyError),  # validate doesn't see references in parentheses
        ("a((zz)) > c @ 1", KeyError),
        ("a(1/0) > b @ 1", ZeroDivisionError),
        ("a(" + "9" * 400 + " / 3) > b @ 1", OverflowError),
        ("a((1 +)) > b @ 1", errors.InvalidFormula),  # nested formulas are checked when computed
    ],
)
def test_computing_initial_values_raises(text, raised):
    with pytest.raises(raised):
        models.State(_built(text))


def test_a_missing_reference_is_a_key_error_naming_it():
    with pytest.raises(KeyError) as caught:
        models.State(_built("a((zz)) > c @ 1"))
    assert caught.value.args == ("zz",)
