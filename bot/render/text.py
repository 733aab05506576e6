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
    lines = [f"{_where(error)}{error.message}"]
    if error.source_line is not None and error.line:
        gutter = f"{error.line:>4} | "
        lines.append(gutter + error.source_line)
        if error.column:
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (error.column - 1) + "^")
    if error.hint:
        lines.append(f"Hint: {error.hint}")
    return "\n".join(lines)


def _where(error: ModelError) -> str:
    if error.line and error.column:
        return f"Line {error.line}, column {error.column}: "
    if error.line:
        return f"Line {error.line}: "
    return ""
