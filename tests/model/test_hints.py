"""Errors point at the user's own text (line, column, that line) and say what to do."""

from __future__ import annotations

import pytest

from bot.model import ModelError, run_definition

from .oracle import assert_plain, prepared_lines


def _error(text: str, rounds: int = 3) -> ModelError:
    with pytest.raises(ModelError) as caught:
        run_definition(text, rounds)
    return caught.value


def _column_of(text: str, needle: str, line: int = 1, occurrence: int = 0) -> int:
    """1-based column of `needle` on `line`, found by hand rather than copied from output."""
    source = text.split("\n")[line - 1]
    at = -1
    for _ in range(occurrence + 1):
        at = source.index(needle, at + 1)
    return at + 1


# Each case: text, (line, needle that the column points at, which occurrence), words that must
# be in the message, and words that must be in the hint.
HINTS = {
    "unknown reference in a rate": (
        "[Candidates] > PhoneScreens @ 3\nPhoneScreens > Onsites @ PhoneScren / 2",
        (2, "PhoneScren /", 0),
        ["no stock called `PhoneScren`"],
        ["Did you mean `PhoneScreens`?"],
    ),
    "unknown reference in an initial value": (
        "a(Engineer) > b @ 1\nEngineers(3)",
        (1, "Engineer", 0),
        ["no stock called `Engineer`"],
        ["Did you mean `Engineers`?"],
    ),
    "unknown reference inside parentheses": (
        "[a] > PhoneScreens(1) @ (PhoneScren + 1)",
        (1, "PhoneScren +", 0),
        ["no stock called `PhoneScren`"],
        ["Did you mean `PhoneScreens`?"],
    ),
    "unknown reference differing in case": (
        "Hires(3) > b @ hires",
        (1, "hires", 0),
        ["no stock called `hires`"],
        ["Did you mean `Hires`?"],
    ),
    "< for >": (
        "Candidates < Screens @ 5",
        (1, "<", 0),
        ["`<`"],
        ["`>`", "A > B @ 5"],
    ),
    "< for > after an initial value": (
        "a(5) < b @ 1",
        (1, "<", 0),
        ["`< b`"],
        ["`>`"],
    ),
    "rate with no @": (
        "a > b 0.5",
        (1, ".", 0),
        [],
        ["`@`", "A > B @ 5"],
    ),
    "negative initial value": (
        "a(-5) > b @ 1",
        (1, "-5", 0),
        ["`-5` is a negative number"],
        ["0 - 5"],
    ),
    "negative rate": (
        "[a] > b @ -2",
        (1, "-2", 0),
        ["negative"],
        ["0 - 2"],
    ),
    "exponent in an initial value": (
        "a(1e3) > b @ 1",
        (1, "1e3", 0),
        ["`1e3`", "scientific notation"],
        ["`1000`"],
    ),
    "exponent in a rate": (
        "[a] > b @ 2.5e2",
        (1, "2.5e2", 0),
        ["scientific notation"],
        ["`250`"],
    ),
    "hyphen in a name": (
        "Phone-Screens > b @ 1",
        (1, "-", 0),
        ["`-` can't be used in a stock name"],
        ["`_`"],
    ),
    "dollar in a destination": (
        "a > Phone$Screens @ 1",
        (1, "$", 0),
        ["`$`"],
        ["letters, digits and `_`"],
    ),
    "percent after a name": (
        "Hires% > b @ 1",
        (1, "%", 0),
        ["`%`"],
        ["letters, digits and `_`"],
    ),
    "name starting with a digit": (
        "1a > b @ 1",
        (1, "1a", 0),
        ["can't start with `1`"],
        ["start with a letter"],
    ),
    "name with a space and a hyphen": (
        "Phone Screens > b-c @ 1",
        (1, "-", 0),
        ["`-`"],
        ["`_`"],
    ),
    "misspelt flow kind": (
        "a(5) > b @ Lek(0.5)",
        (1, "Lek", 0),
        ["`Lek` is not a kind of flow"],
        ["Did you mean `Leak`?"],
    ),
    "stray )": (
        "a(5) > b @ 1\n\n  x(1)) > y @ 2",
        (3, ")", 1),
        ["`)` with no `(`"],
        ["extra `)`"],
    ),
    "unclosed ( in a flow": (
        "a(5 > b @ 1",
        (1, "(", 0),
        ["never closed"],
        ["`)`"],
    ),
    "second parentheses": (
        "a(5)(6) > b @ 1",
        (1, "(6)", 0),
        ["`(6)`"],
        ["new line"],
    ),
    "unclosed infinite stock": (
        "[a > b @ 1",
        (1, "[", 0),
        ["closing `]`"],
        ["[Candidates]"],
    ),
    "missing source": (
        "> b @ 1",
        (1, ">", 0),
        ["missing before `>`"],
        ["Source > Destination @ rate"],
    ),
    "missing destination": (
        "a > @ 1",
        (1, " @", 0),
        ["missing after `>`"],
        ["Source > Destination @ rate"],
    ),
    "conflicting values": (
        "a(5) > b @ 1\na(6) > c @ 1",
        (2, "a", 0),
        ["`a` is given a value twice", "line 1"],
        ["once"],
    ),
    "infinite source of a conversion": (
        "[a] > b @ 0.5",
        (1, "[a]", 0),
        ["infinite stock can't be the source"],
        ["rate"],
    ),
    "two rates": (
        "a(5) > b @ 1, 2",
        (1, "1, 2", 0),
        ["exactly one rate"],
        ["@ 5"],
    ),
    "formula ending in an operator": (
        "a > b @ 1 +",
        (1, "1 +", 0),
        ["can't end with an operator"],
        [],
    ),
    "two values with no operator": (
        "a > b @ 0.5 0.5",
        (1, "0.5 0.5", 0),
        ["`0.50.5`"],
        ["spaces", "`+`"],
    ),
    "division by zero in a rate": (
        "a(1) > b @ 1/0",
        (1, "1/0", 0),
        ["Division by zero", "round 1"],
        ["0"],
    ),
    "division by zero in an initial value": (
        "a(2/0) > b @ 1",
        (1, "a", 0),
        ["Division by zero", "initial value of `a`"],
        [],
    ),
    "circular initial values": (
        "a(b) > c @ 1\nb(a)",
        (1, "a", 0),
        ["a → b → a"],
        ["a number"],
    ),
    "reference hidden in parentheses used too early": (
        "a((b)) > c @ 1\nb(3)",
        (1, "a", 0),
        ["`b` has no value yet", "`a`"],
        ["parentheses"],
    ),
    # `systems` computes stocks no initial value refers to first, so `b` before `c`
    "division by zero in an initial value another one refers to": (
        "c(b) > x @ 1\nb(2/0)",
        (2, "b", 0),
        ["Division by zero", "initial value of `b`"],
        [],
    ),
    "division by zero in a maximum is not blamed for an initial value": (
        "a(1, 1/0) > b @ 1\nc(2/0)",
        (2, "c", 0),
        ["initial value of `c`"],
        [],
    ),
    "reference hidden in parentheses, named where `systems` needs it": (
        "y(a) > z @ 1\na(1)\nc((y)) > d @ 1",
        (3, "c", 0),
        ["`y` has no value yet", "initial value of `c`"],
        ["parentheses"],
    ),
    "-> after an infinite stock": (
        "[Candidates] -> Screens @ 25",
        (1, "-", 0),
        ["with `>`, not `->`"],
        ["`[Candidates] > Screens @ 25`"],
    ),
    "-> after a name": (
        "Screens -> Onsites @ 0.5",
        (1, "-", 0),
        ["not `->`"],
        ["`Screens > Onsites @ 0.5`"],
    ),
    "-> after an initial value": (
        "a(5) -> b @ 1",
        (1, "-", 0),
        ["not `->`"],
        ["`a(5) > b @ 1`"],
    ),
    "=>": ("a => b @ 1", (1, "=", 0), ["not `=>`"], ["`a > b @ 1`"]),
    "-> with no source": ("-> b @ 1", (1, "-", 0), ["not `->`"], ["Source > Destination"]),
    "rounds= inside a model": (
        "[Candidates] > Screens @ 25\nrounds=3",
        (2, "rounds", 0),
        ["`rounds=3` is an option, not part of the model"],
        ["outside the code block", "`-r 3` on the command line", '`"rounds": 3`'],
    ),
    "rounds with a space inside a model": (
        "  rounds = 20\n[Candidates] > Screens @ 25",
        (1, "rounds", 0),
        ["`rounds = 20` is an option"],
        ["`-r 20`"],
    ),
    "a starting value as an option inside a model": (
        "[Candidates] > Hires @ 2\nHires=10",
        (2, "Hires", 0),
        ["`Hires=10` is an option"],
        ["`Hires(10)`"],
    ),
    "@@": (
        "[Candidates] > Screens @@ 0.5",
        (1, "@", 1),
        ["second `@`"],
        ["one `@`", "`[Candidates] > Screens @ 0.5`"],
    ),
    "@ @ with a space": (
        "[Candidates] > Screens @ @ 2",
        (1, "@", 1),
        ["second `@`"],
        ["`[Candidates] > Screens @ 2`"],
    ),
    "an @ before each of two rates": (
        "a(5) > b @ 1 @ 2",
        (1, "@", 1),
        ["second `@`"],
        ["like `A > B @ 0.5`"],
    ),
    "@@ before a flow kind, found only when the flow runs": (
        "a(3) > b @@ Leak(0.5)",
        (1, "@", 1),
        ["second `@`"],
        ["`a(3) > b @ Leak(0.5)`"],
    ),
    "conflicting values after a comment that mentions the stock": (
        "# a(1)\na(5) > b @ 1\na(6) > c @ 1",
        (3, "a", 0),
        ["first on line 2"],
        ["once"],
    ),
}


@pytest.mark.parametrize(
    ("text", "where", "message_words", "hint_words"), HINTS.values(), ids=HINTS.keys()
)
def test_hint(text, where, message_words, hint_words):
    error = _error(text)
    line, needle, occurrence = where
    assert error.line == line
    assert error.column == _column_of(text, needle, line, occurrence)
    assert error.source_line == text.split("\n")[line - 1]
    for word in message_words:
        assert word in error.message
    for word in hint_words:
        assert word in (error.hint or "")
    assert_plain(error.message, error.hint, str(error))


def test_hints_quote_the_prepared_line_when_a_comment_was_stripped():
    text = "a(5) > b @ Lek(0.5)  # typo"
    error = _error(text)
    assert error.source_line == prepared_lines(text)[0] == "a(5) > b @ Lek(0.5)"


def test_the_column_points_exactly_at_an_illegal_character():
    error = _error("Phone-Screens > b @ 1")
    assert (error.line, error.column) == (1, 6)


def test_no_error_shows_python_reprs_or_token_tuples():
    """Every case above plus inputs whose `systems` errors carry tuples and reprs."""
    extra = [
        "a > b @ Rate(1, 2)",
        "a(5) > b @ Foo(1)",
        "a > b @ ()",
        "a > b @ * 2",
        "a > b @ 1 + * 2",
        "a(" + "9" * 5000 + ") > b @ 1",
        "a(5) > b @ Rate(a(1))",
        "[a] > b @ Leak(0.5)",
        "a(1)+(2) > b @ 1",
    ]
    for text in [case[0] for case in HINTS.values()] + extra:
        error = _error(text)
        assert_plain(error.message, error.hint, str(error))
        assert error.message


def test_the_rounds_hint_uses_no_chat_syntax():
    # the model layer serves the API and the CLI too, where `rounds=20` is not how to ask
    error = _error("[a] > b @ 1", 2.5)
    assert error.hint == "Use a whole number from 0 to 1000, such as 20."


def test_the_hint_for_a_doubled_at_is_not_about_spaces():
    error = _error("[Candidates] > Screens @@ 0.5")
    assert "space" not in error.hint
    assert "neither a number nor a stock name" not in error.message
