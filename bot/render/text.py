"""Plain-text rendering: aligned tables and errors with a caret under the column."""

from __future__ import annotations

from collections.abc import Callable

from bot.model import ModelError, RunResult


def table_text(result: RunResult, number: Callable[[object], str] = str) -> str:
    """Like `systems-run`'s output (round column unnamed), with every column aligned."""
    header = ["", *result.stocks]
    body = [[str(row[0]), *(number(value) for value in row[1:])] for row in result.rows]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        for cells in [header, *body]
    ]
    return "\n".join(line.rstrip() for line in lines)


def error_text(error: ModelError) -> str:
    """The message, the offending line with a caret under the column, and the hint."""
    lines = [f"{_where(error)}{error.message}", *quoted_line(error, number_width=4)]
    if error.hint:
        lines.append(f"Hint: {error.hint}")
    return "\n".join(lines)


def quoted_line(error: ModelError, number_width: int = 0) -> list[str]:
    """The line the error is on behind a `N | ` gutter (N right-aligned in `number_width`),
    then a caret under the column when there is one; nothing when the error has no line."""
    if error.source_line is None or not error.line:
        return []
    number = str(error.line).rjust(number_width)
    lines = [f"{number} | {error.source_line}"]
    if error.column:
        lines.append(f"{' ' * len(number)} | {' ' * (error.column - 1)}^")
    return lines


def _where(error: ModelError) -> str:
    if error.line and error.column:
        return f"Line {error.line}, column {error.column}: "
    if error.line:
        return f"Line {error.line}: "
    return ""
