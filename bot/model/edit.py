"""Changing a definition the way a rerun asks: new initial values and replaced flow lines.

Edits are made to the text, so the definition shown and stored for the next rerun is always
exactly the model that ran.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from bot.model.errors import ModelError
from bot.model.source import (
    declaration_end,
    is_blank_or_comment,
    split_parts,
    stock_name,
    stock_names,
)
from bot.model.spelling import closest

_OVERRIDE_VALUE = re.compile(r"-?(\d+(\.\d+)?|inf)")


def apply_overrides(definition: str, overrides: Mapping[str, str]) -> str:
    """Set each named stock's initial value, in place where it has one, else on a new line."""
    lines = definition.split("\n")
    known = stock_names(lines)
    for name, value in overrides.items():
        _check_override(name, value, known)
        if not _replace_initial(lines, name, value):
            lines.append(f"{name}({initial_literal(value)})")
    return "\n".join(lines)


def _check_override(name: str, value: str, known: dict[str, bool]) -> None:
    check_settable(name, value, known)
    if not _OVERRIDE_VALUE.fullmatch(value):
        raise ModelError(
            f"`{value}` is not a number, so `{name}` can't be set to it.",
            hint=f"Write a number, like `{name}=10` or `{name}=2.5`.",
        )


def check_settable(name: str, wanted: str, known: dict[str, bool]) -> None:
    """Refuse to give `name` the starting value(s) `wanted` (as written) unless it is one of the
    `known` stocks (name to whether it is infinite, as source.stock_names gives them) and finite."""
    if name not in known:
        raise ModelError(
            f"There is no stock called `{name}` to set to {wanted}.",
            hint=unknown_stock_hint(name, known),
        )
    if known[name]:
        raise ModelError(
            f"`{name}` is an infinite stock; its value can't be set.",
            hint="Set the value of a stock without brackets.",
        )


def unknown_stock_hint(name: str, known: Collection[str]) -> str:
    close = closest(name, known)
    return f"Did you mean `{close}`?" if close else f"Stocks: {', '.join(known)}."


def initial_literal(value: str) -> str:
    """A number as written in an override, as `systems` must read it inside parentheses."""
    # systems reads `-` as an operator, so a negative value must be written as a subtraction.
    return f"0 - {value[1:]}" if value.startswith("-") else value


def _replace_initial(lines: list[str], name: str, value: str) -> bool:
    for index, line in enumerate(lines):
        start = declaration_end(line, name)
        if start is not None:
            lines[index] = _with_first_param(line, start, initial_literal(value))
            return True
    return False


def _with_first_param(line: str, start: int, value: str) -> str:
    """Replace the text between `(` at start-1 and its first top-level `,` or `)`."""
    depth = 0
    for end in range(start, len(line)):
        char = line[end]
        if char == "(":
            depth += 1
        elif char in ",)" and depth == 0:
            return line[:start] + value + line[end:]
        elif char == ")":
            depth -= 1
    return line[:start] + value + ")"


def flow_key(line: str) -> tuple[str, str] | None:
    """(source, destination) of a flow line, or None when the line is not a flow."""
    if is_blank_or_comment(line):
        return None
    parts = split_parts(line)
    if parts.destination is None or parts.rate is None or not parts.destination.stripped:
        return None
    return stock_name(parts.source), stock_name(parts.destination)


def merge_flow_lines(definition: str, new_lines: list[str]) -> str:
    """Replace each flow with the same source and destination as a new line, or add it."""
    lines = definition.split("\n")
    for new_line in new_lines:
        key = flow_key(new_line)
        match = next((i for i, line in enumerate(lines) if key and flow_key(line) == key), None)
        if match is None:
            lines.append(new_line.strip())
        else:
            lines[match] = new_line.strip()
    return "\n".join(lines)
