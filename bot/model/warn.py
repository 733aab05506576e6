"""Warnings for places where `systems` silently reads a model differently from how it reads.

The numbers stay exactly what `systems` computes; these only say where they may surprise.
"""

from __future__ import annotations

import math
import re
from operator import itemgetter

from bot.model.source import FlowParts, split_parts, stock_name, unmatched_parens
from bot.model.spelling import closest
from bot.model.systems_adapter import (
    BuiltModel,
    Flow,
    FlowKind,
    Formula,
    LineReading,
    Operator,
    RateReading,
    Reference,
    StockReading,
    Values,
)

_ADDITIVE, _MULTIPLICATIVE = {"+", "-"}, {"*", "/"}
_FLOORING = {FlowKind.CONVERSION, FlowKind.LEAK}  # they move whole units, rounding down
MAX_UNFED_NAMED = 5  # past this, one warning for them all: a model of 500 empty stocks exists


def reading_warnings(lines: list[str], readings: dict[int, LineReading]) -> list[str]:
    """Warnings that need only the text and how `systems` read each line."""
    warnings: list[str] = []
    for number, reading in readings.items():
        warnings += _line_warnings(number, lines[number - 1], reading)
        warnings += _precedence_warnings(number, reading)
    return warnings


def _line_warnings(number: int, line: str, reading: LineReading) -> list[str]:
    found = []
    opened, _ = unmatched_parens(line)
    if opened:
        found.append(_unclosed_warning(number, line, reading, opened[0]))
    if "#" in line:
        found.append(
            f"Line {number}: everything on this line is a comment to `systems`, "
            f"including `{line[: line.index('#')].strip()}`. "
            "Put the comment on its own line."
        )
        return found
    parts = split_parts(line)
    if parts.destination is not None and ">" in parts.destination.text:
        extra = parts.destination.text[parts.destination.text.index(">") :].strip()
        found.append(f"Line {number}: a line holds one flow; `systems` ignores `{extra}`.")
        return found
    if parts.destination is not None and (parts.rate is None or not parts.rate.stripped):
        found.append(_no_rate_warning(number, parts))
    for segment in (parts.source, parts.destination):
        if segment is not None and _has_inner_space(segment.stripped):
            found.append(
                f"Line {number}: `{segment.stripped.split('(')[0].strip()}` has a space "
                f"in it; `systems` reads it as `{stock_name(segment)}`."
            )
    return found


def _unclosed_warning(number: int, line: str, reading: LineReading, column: int) -> str:
    """`systems` keeps only what follows an unclosed `(`: `2 * (3 + 1` reads as `3 + 1`."""
    read = _read_at(split_parts(line), reading, column)
    said = f"reads it as `{read.as_text()}`" if read else "ignores the missing `)`"
    return f"Line {number}: the `(` at column {column + 1} is never closed; `systems` {said}."


def _read_at(
    parts: FlowParts, reading: LineReading, column: int
) -> StockReading | RateReading | None:
    """The stock or rate that `column` of the line was read into."""
    if parts.rate is not None and column >= parts.rate.start:
        return reading.rate
    if parts.destination is not None and column >= parts.destination.start:
        return reading.stocks[1] if len(reading.stocks) > 1 else None
    return reading.stocks[0] if reading.stocks else None


def _no_rate_warning(number: int, parts) -> str:
    destination = parts.destination.stripped
    trailing = re.fullmatch(r"(\[?[A-Za-z][A-Za-z0-9_]*\]?)\s+(\d+(?:\.\d+)?)", destination)
    if trailing:
        return (
            f"Line {number}: no flow is created because there is no `@`; `systems` reads "
            f"`{destination}` as a stock called `{destination.replace(' ', '')}`. "
            f"Did you mean `{parts.source.stripped} > {trailing.group(1)} @ "
            f"{trailing.group(2)}`?"
        )
    return (
        f"Line {number}: this line has no `@ rate`, so `systems` creates the stocks "
        "but no flow between them."
    )


def _has_inner_space(text: str) -> bool:
    if text.startswith("["):
        return False
    return " " in text.split("(")[0].strip()


def _precedence_warnings(number: int, reading: LineReading) -> list[str]:
    for formula in reading.formulas():
        if _mixes_precedence(formula):
            return [
                f"Line {number}: `{formula.as_text()}` is worked out left to right, with no "
                "operator precedence; add parentheses if you meant otherwise."
            ]
    return []


def _mixes_precedence(formula: Formula) -> bool:
    ops = {term.text for term in formula.terms if isinstance(term, Operator)}
    return bool(ops & _ADDITIVE) and bool(ops & _MULTIPLICATIVE)


def unfed_stock_warnings(
    model: BuiltModel, readings: dict[int, LineReading], snapshots: list[Values]
) -> list[str]:
    """A stock with no starting value that no flow fills stays at 0, so every flow out of it
    moves nothing, and often everything downstream stays at 0 too: `systems` runs such a model
    without a word. It is mostly a misspelt name, which makes a new, empty stock, or an
    infinite stock written without its brackets."""
    unfed = _unfed_stocks(model, readings, snapshots)
    if len(unfed) > MAX_UNFED_NAMED:
        return [_many_unfed_warning(unfed)]
    lines = _lines_naming(unfed, readings)
    # a stock that moves: the one a misspelt name most likely meant
    moving = [stock.name for stock in model.stocks if stock.name not in unfed]
    return [_unfed_warning(name, lines[name], moving) for name in unfed]


def _unfed_warning(name: str, lines: set[int], moving: list[str]) -> str:
    first = min(lines)
    meant = closest(name, moving) if len(lines) == 1 else None
    if meant is not None:
        return (
            f"Line {first}: `{name}` appears only here, so it stays at 0 and nothing flows "
            f"out of it. Did you mean `{meant}`?"
        )
    return (
        f"Line {first}: `{name}` starts at 0 and nothing fills it, so nothing flows out of "
        f"it. Did you mean `[{name}]` (an infinite stock) or `{name}(100)` (a starting value)?"
    )


def _many_unfed_warning(unfed: list[str]) -> str:
    named = ", ".join(f"`{name}`" for name in unfed[:3])
    first = unfed[0]
    return (
        f"{len(unfed)} stocks start at 0 and nothing fills them, so nothing flows out of "
        f"them: {named} and {len(unfed) - 3} more. Did you mean infinite stocks, like "
        f"`[{first}]`, or starting values, like `{first}(100)`?"
    )


def _unfed_stocks(
    model: BuiltModel, readings: dict[int, LineReading], snapshots: list[Values]
) -> list[str]:
    """Shown stocks that feed a flow, are filled by none, are given no starting value, and
    are 0 in every round (a conversion into a stock with a maximum can drain an empty source
    below 0)."""
    filled = {flow.destination for flow in model.flows}
    given = {
        stock.name for reading in readings.values() for stock in reading.stocks if stock.params
    }
    feeding = dict.fromkeys(flow.source for flow in model.flows)  # in model order
    shown = {stock.name for stock in model.stocks if stock.shown}
    return [
        name
        for name in feeding
        if name in shown
        and name not in filled
        and name not in given
        and all(state[name] == 0 for state in snapshots)
    ]


def _lines_naming(names: list[str], readings: dict[int, LineReading]) -> dict[str, set[int]]:
    """The lines on which each of `names` is written, as a stock or in a formula."""
    lines: dict[str, set[int]] = {name: set() for name in names}
    for number, reading in readings.items():
        written = {stock.name for stock in reading.stocks}
        written.update(
            term.text
            for formula in reading.formulas()
            for term in formula.terms
            if isinstance(term, Reference)
        )
        for name in written & lines.keys():
            lines[name].add(number)
    return lines


def value_warnings(model: BuiltModel, snapshots: list[Values]) -> list[str]:
    """Warnings that need the built model and the state of every round."""
    return _above_maximum(model) + _flooring_to_zero(model, snapshots)


def _above_maximum(model: BuiltModel) -> list[str]:
    warnings = []
    values: Values = {}
    for stock in model.stocks:
        try:
            initial = stock.initial_value(values)
            maximum = stock.maximum_value(values)
        except Exception:  # a bad formula is reported by the run itself
            continue
        values[stock.name] = initial
        if stock.shown and initial > maximum:
            warnings.append(
                f"`{stock.name}` starts at {initial}, above its maximum {maximum}; "
                "`systems` keeps the higher value."
            )
    return warnings


def _flooring_to_zero(model: BuiltModel, snapshots: list[Values]) -> list[str]:
    """A conversion or leak that rounds down to nothing every round moves nothing at all."""
    if len(snapshots) < 2:
        return []
    return [
        f"Line {flow.line}: the flow from `{flow.source}` to `{flow.destination}` rounds down "
        "to 0 every round, so nothing moves; `systems` moves whole units only."
        for flow in model.flows
        if flow.kind in _FLOORING and _never_moves(flow, snapshots)
    ]


def _never_moves(flow: Flow, snapshots: list[Values]) -> bool:
    """Cheap first: only a source that never changes can be stuck, and most sources change in
    the first rounds, so most flows cost nothing (the same value: equal, or the same NaN)."""
    value = snapshots[0][flow.source]
    if not value or isinstance(value, float) and math.isinf(value):
        return False
    if any(v is not value and v != value for v in map(itemgetter(flow.source), snapshots)):
        return False
    for state in snapshots[:-1]:
        try:
            moved, _ = flow.change(state)
        except Exception:
            return False
        if moved:
            return False
    return True
