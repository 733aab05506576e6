"""Text `systems` rejects but whose meaning is plain is accepted with a warning; text it reads
differently from how it looks keeps `systems`' numbers and is warned about."""

from __future__ import annotations

import pytest

from bot.model import run_definition

from .oracle import assert_plain, assert_same_as_systems, exact_rows, systems_run

# --- accepted although `systems` may reject them: rows are systems' rows for the fixed text ---

ACCEPTED = {
    "fence": ("```\n[a] > b @ 5\nb > c @ 0.5\n```", "\n[a] > b @ 5\nb > c @ 0.5\n", "fence"),
    "fence with a language tag": (
        "```systems\n[a] > b @ 5\n```",
        "\n[a] > b @ 5\n",
        "fence",
    ),
    "fence on one line": ("```[a] > b @ 5```", "[a] > b @ 5", "fence"),
    "CRLF": ("[a] > b @ 5\r\nb > c @ Leak(0.5)\r\n", "[a] > b @ 5\nb > c @ Leak(0.5)\n", "CRLF"),
    "lone CR": ("[a] > b @ 5\rb > c @ 1", "[a] > b @ 5\nb > c @ 1", "CRLF"),
    "comment after a flow": (
        "[a] > b @ 5  # five a round\nb > c @ Leak(0.5) #half",
        "[a] > b @ 5\nb > c @ Leak(0.5)",
        "comment after the flow",
    ),
}


@pytest.mark.parametrize(("text", "fixed", "words"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_with_a_warning(text, fixed, words):
    result = run_definition(text, 5)
    assert_same_as_systems(result, fixed, 5)
    assert any(words in warning for warning in result.warnings), result.warnings
    assert_plain(*result.warnings)


@pytest.mark.parametrize("case", ["fence", "fence on one line", "lone CR", "comment after a flow"])
def test_systems_itself_rejects_these(case):
    with pytest.raises(Exception):  # noqa: B017 - whatever systems raises, it does raise
        systems_run(ACCEPTED[case][0], 5)


def test_a_comment_after_a_flow_names_its_line():
    result = run_definition("[a] > b @ 5\n\nb > c @ 1 # note", 2)
    assert any(warning.startswith("Line 3:") for warning in result.warnings)


def test_a_clean_model_has_no_warnings():
    assert run_definition("[a] > b @ 5\nb > c @ Leak(0.5)", 5).warnings == []


# --- read differently from how they look: systems' numbers, and a warning ----------------------

SURPRISES = {
    "missing ) is dropped": (
        "[a] > b @ (5",
        ["column 11", "never closed", "`5`"],
    ),
    "missing ) drops what came before the (": (
        "[a] > b @ 2 * (3 + 1",
        ["column 15", "never closed", "`3 + 1`"],
    ),
    "comment after a stock": (
        "a(5) # five to start\na > b @ 1",
        ["Line 1", "comment", "`a(5)`"],
    ),
    "flow without @": ("a(5) > b", ["Line 1", "no `@ rate`"]),
    "flow with @ but no rate": ("a(5) > b @", ["Line 1", "no `@ rate`"]),
    "rate written without @": ("a(5) > b 5", ["stock called `b5`", "a(5) > b @ 5"]),
    "space inside a name": (
        "Phone Screens(5) > Offers @ 1",
        ["`Phone Screens`", "`PhoneScreens`"],
    ),
    "no operator precedence": ("[s] > b @ 1 + 2 * 3", ["`1 + 2 * 3`", "left to right"]),
    "no precedence, nested formula quoted with its parentheses": (
        "[a] > b(1) @ b * (b + 1) + 2",
        ["`b * (b + 1) + 2`"],
    ),
    "initial above maximum": ("a(10, 5) > b @ 1", ["`a` starts at 10", "maximum 5"]),
    "conversion that floors to zero": (
        "a(1) > b @ 0.5",
        ["Line 1", "`a` to `b`", "rounds down to 0"],
    ),
    "leak that floors to zero": ("a(3) > b @ Leak(0.2)", ["`a` to `b`", "rounds down to 0"]),
    "two flows on a line": ("a(3) > b > c @ 1", ["one flow", "`> c`"]),
    "misspelt source, a new empty stock": (
        "[Candidates] > Screens @ 25\nScreens > Onsites @ 0.5\nOnsits > Hires @ 0.5",
        ["Line 3: `Onsits` appears only here", "Did you mean `Onsites`?"],
    ),
    "source without brackets": (
        "Candidates > Screens @ 25\nScreens > Onsites @ 0.5",
        ["Line 1: `Candidates` starts at 0 and nothing fills it", "`[Candidates]`"],
    ),
}


@pytest.mark.parametrize(("text", "words"), SURPRISES.values(), ids=SURPRISES.keys())
def test_read_differently_keeps_systems_numbers_and_warns(text, words):
    result = run_definition(text, 6)
    assert_same_as_systems(result, text, 6)
    joined = " ".join(result.warnings)
    for word in words:
        assert word in joined, result.warnings
    assert_plain(*result.warnings)


def test_precedence_really_is_left_to_right():
    # by hand: (1 + 2) * 3 = 9 a round, not 1 + 6 = 7
    assert run_definition("[s] > b @ 1 + 2 * 3", 2).rows == [[0, 0], [1, 9], [2, 18]]


def test_missing_parenthesis_really_drops_the_start_of_the_formula():
    # by hand: systems moves 3 + 1 = 4 a round, not 2 * 4 = 8
    assert run_definition("[a] > b @ 2 * (3 + 1", 2).rows == [[0, 0], [1, 4], [2, 8]]


def test_a_comment_after_a_stock_really_drops_the_stock():
    result = run_definition("a(5) # five\na > b @ 1", 2)
    assert result.rows == [[0, 0, 0], [1, 0, 0], [2, 0, 0]]


def test_a_space_inside_a_name_joins_the_words():
    result = run_definition("Phone Screens(5) > Offers @ 1", 1)
    assert result.stocks == ["PhoneScreens", "Offers"]


def test_a_conversion_that_moves_is_not_warned_about():
    result = run_definition("a(4) > b @ 0.5", 6)
    assert not any("rounds down" in warning for warning in result.warnings)


def test_flooring_warning_copes_with_huge_integers():
    # math.isinf can't take an int this large; the warning check must not crash
    text = "a(" + "1" * 400 + ") > b @ 0.0"
    result = run_definition(text, 3)
    assert exact_rows(result.rows) == exact_rows(systems_run(text, 3)[1])


# --- a stock that nothing fills: the model runs, and nothing moves ------------------------------

TYPO = "[Candidates] > Screens @ 25\nScreens > Onsites @ 0.5\nOnsits > Hires @ 0.5"
NO_BRACKETS = "Candidates > Screens @ 25\nScreens > Onsites @ 0.5\nOnsites > Hires @ 0.5"


def test_a_misspelt_source_keeps_systems_numbers_and_names_the_stock_it_meant():
    result = run_definition(TYPO, 20)
    assert_same_as_systems(result, TYPO, 20)
    assert {row[-1] for row in result.rows} == {0}  # `Hires` never moves: what `systems` does
    assert result.warnings == [
        "Line 3: `Onsits` appears only here, so it stays at 0 and nothing flows out of it. "
        "Did you mean `Onsites`?"
    ]


def test_a_source_without_brackets_keeps_systems_numbers_and_says_how_to_fill_it():
    result = run_definition(NO_BRACKETS, 20)
    assert_same_as_systems(result, NO_BRACKETS, 20)
    assert {value for row in result.rows for value in row[1:]} == {0}
    assert result.warnings == [
        "Line 1: `Candidates` starts at 0 and nothing fills it, so nothing flows out of it. "
        "Did you mean `[Candidates]` (an infinite stock) or `Candidates(100)` (a starting value)?"
    ]


def test_a_stock_close_to_another_but_written_twice_is_not_called_a_typo():
    result = run_definition("Onsits > Hires @ 1\nOnsits > Offers @ 1\n[a] > Onsites @ 1", 3)
    assert result.warnings == [
        "Line 1: `Onsits` starts at 0 and nothing fills it, so nothing flows out of it. "
        "Did you mean `[Onsits]` (an infinite stock) or `Onsits(100)` (a starting value)?"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[a] > b @ 5\nb > c @ 1",  # filled by a flow
        "a(0) > b @ 1",  # a starting value of 0, written on purpose
        "a(5) > b @ 1",
        "a > b @ 1\na(3)",  # the starting value on a line of its own
        "[Candidates] > Screens @ 25\nScreens > Migrated @ 5",  # a sink with a near name
        "a > b(0, 10) @ 0.5",  # `systems` drains the empty source below 0 here
        "x(2)\n[s] > b @ x",  # referred to, but feeding no flow
    ],
)
def test_stocks_that_move_or_were_given_a_value_are_not_warned_about(text):
    result = run_definition(text, 5)
    assert not any("nothing fills it" in w or "appears only here" in w for w in result.warnings)


def test_an_override_fills_the_stock():
    assert run_definition(NO_BRACKETS, 5, {"Candidates": "100"}).warnings == []


def test_many_stocks_that_nothing_fills_make_one_warning():
    text = "\n".join(f"src{i} > dst{i} @ 1" for i in range(40))
    result = run_definition(text, 3)
    assert_same_as_systems(result, text, 3)
    assert result.warnings == [
        "40 stocks start at 0 and nothing fills them, so nothing flows out of them: `src0`, "
        "`src1`, `src2` and 37 more. Did you mean infinite stocks, like `[src0]`, or starting "
        "values, like `src0(100)`?"
    ]
