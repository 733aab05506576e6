"""Plain-text rendering: aligned tables, and errors with the line and a caret under the column."""

from __future__ import annotations

from bot.model import ModelError, RunResult, run_definition
from bot.render.numbers import display_number
from bot.render.text import error_text, quoted_line, table_text


def _result(stocks: list[str], rows: list[list]) -> RunResult:
    return RunResult("", len(rows) - 1, stocks, rows)


def test_table_is_aligned_like_systems_run_with_an_unnamed_round_column():
    table = table_text(_result(["a", "Hires"], [[0, 5, 0], [1, 12345, 7], [10, 0, 1.5]]))
    assert table.split("\n") == [
        "    a      Hires",
        "0   5      0",
        "1   12345  7",
        "10  0      1.5",
    ]


def test_every_column_starts_at_the_same_place_on_every_line():
    result = run_definition("[Candidates] > Screens @ 25\nScreens > Hires @ 0.3", 12)
    lines = table_text(result, display_number).split("\n")
    header = lines[0]
    starts = [header.index(name) for name in result.stocks]
    for line in lines[1:]:
        for start in starts:
            assert line[start - 2 : start] == "  " and line[start] != " "


def test_table_uses_the_number_format_it_is_given():
    table = table_text(_result(["a"], [[0, 4.1499999999999995]]), display_number)
    assert table.split("\n")[1] == "0  4.15"


def test_table_has_no_trailing_spaces():
    table = table_text(_result(["long_name", "b"], [[0, 1, 2]]))
    assert all(line == line.rstrip() for line in table.split("\n"))


def test_error_with_a_caret_under_the_column():
    error = ModelError(
        "`-` can't be used in a stock name.", 2, 6, "Phone-Screens > b @ 1", "Try `_`."
    )
    lines = error_text(error).split("\n")
    assert lines[0] == "Line 2, column 6: `-` can't be used in a stock name."
    assert lines[1] == "   2 | Phone-Screens > b @ 1"
    assert lines[2] == "     |      ^"
    assert lines[1][lines[2].index("^")] == "-"
    assert lines[3] == "Hint: Try `_`."


def test_error_caret_for_a_real_error_sits_on_the_bad_character():
    try:
        run_definition("[a] > b @ 1\nx > Phone$Screens @ 1")
    except ModelError as error:
        lines = error_text(error).split("\n")
    assert lines[1].endswith("x > Phone$Screens @ 1")
    assert lines[1][lines[2].index("^")] == "$"


def test_error_with_a_line_but_no_column_has_no_caret():
    lines = error_text(ModelError("Bad.", 3, None, "abc", None)).split("\n")
    assert lines == ["Line 3: Bad.", "   3 | abc"]


def test_error_without_a_line_is_the_message_and_hint():
    assert error_text(ModelError("Too many rounds.", hint="Ask for fewer.")) == (
        "Too many rounds.\nHint: Ask for fewer."
    )


def test_the_quoted_line_with_a_narrow_gutter_as_block_kit_shows_it():
    error = ModelError("Bad.", 12, 3, "a > b-c @ 1", None)
    assert quoted_line(error) == ["12 | a > b-c @ 1", "   |   ^"]
    assert quoted_line(ModelError("Bad.", 12, None, "abc")) == ["12 | abc"]
    assert quoted_line(ModelError("Bad.")) == []
