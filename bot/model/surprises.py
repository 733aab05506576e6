"""Warnings for places where `systems` silently reads a model differently from how it reads.

The numbers stay exactly what `systems` computes; these only say where they may surprise.
"""

from __future__ import annotations

import math
import re

from systems import lexer
from systems.models import Conversion

from bot.model.source import is_blank_or_comment, split_parts, stock_name, unmatched_parens

_ADDITIVE, _MULTIPLICATIVE = {"+", "-"}, {"*", "/"}


def reading_warnings(lines: list[str], lexed_lines: dict[int, list]) -> list[str]:
    """Warnings that need only the text and each line's tokens."""
    warnings: list[str] = []
    for number, line in enumerate(lines, start=1):
        if is_blank_or_comment(line):
            continue
        warnings += _line_warnings(number, line, lexed_lines.get(number, []))
        warnings += _precedence_warnings(number, lexed_lines.get(number, []))
    return warnings


def _line_warnings(number: int, line: str, tokens: list) -> list[str]:
    found = []
    opened, _ = unmatched_parens(line)
    if opened:
        found.append(_unclosed_warning(number, line, tokens, opened[0]))
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


def _unclosed_warning(number: int, line: str, tokens: list, column: int) -> str:
    """`systems` keeps only what follows an unclosed `(`: `2 * (3 + 1` reads as `3 + 1`."""
    token = _token_at(split_parts(line), tokens, column)
    reading = f"reads it as `{_token_text(token)}`" if token else "ignores the missing `)`"
    return f"Line {number}: the `(` at column {column + 1} is never closed; `systems` {reading}."


def _token_at(parts, tokens: list, column: int):
    """The stock or flow token that `column` of the line was read into."""
    stocks = [t for t in tokens if t[0] in (lexer.TOKEN_STOCK, lexer.TOKEN_STOCK_INFINITE)]
    flows = [t for t in tokens if t[0] == lexer.TOKEN_FLOW]
    if parts.rate is not None and column >= parts.rate.start:
        candidates = flows
    elif parts.destination is not None and column >= parts.destination.start:
        candidates = stocks[1:]
    else:
        candidates = stocks
    return candidates[0] if candidates else None


def _token_text(token) -> str:
    kind, name, (_, params) = token
    if kind == lexer.TOKEN_STOCK_INFINITE:
        return f"[{name}]"
    inner = ", ".join(_formula_text(formula) for formula in params)
    return f"{name}({inner})" if name else inner


def _formula_text(formula) -> str:
    """A formula as `systems` reads it; unlike `lexer.readable`, nested ones keep parentheses."""
    return " ".join(
        f"({_formula_text(token)})" if token[0] == lexer.TOKEN_FORMULA else str(token[1])
        for token in formula[1]
    )


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


def _precedence_warnings(number: int, tokens: list) -> list[str]:
    for formula in _formulas(tokens):
        if _mixes_precedence(formula):
            text = _formula_text(formula)
            return [
                f"Line {number}: `{text}` is worked out left to right, with no operator "
                "precedence; add parentheses if you meant otherwise."
            ]
    return []


def _formulas(tokens: list):
    for token in tokens:
        if token[0] in (lexer.TOKEN_STOCK, lexer.TOKEN_FLOW):
            for formula in token[2][1]:
                yield from _nested(formula)


def _nested(formula):
    yield formula
    for token in formula[1]:
        if token[0] == lexer.TOKEN_FORMULA:
            yield from _nested(token)


def _mixes_precedence(formula) -> bool:
    ops = {value for kind, value in formula[1] if kind == lexer.TOKEN_OP}
    return bool(ops & _ADDITIVE) and bool(ops & _MULTIPLICATIVE)


def value_warnings(model, snapshots: list[dict], flow_lines: list[int]) -> list[str]:
    """Warnings that need the built model and the state of every round."""
    return _above_maximum(model) + _flooring_to_zero(model, snapshots, flow_lines)


def _above_maximum(model) -> list[str]:
    warnings = []
    state = {}
    for stock in model.stocks:
        try:
            initial = stock.initial.compute(state)
            maximum = stock.maximum.compute(state)
        except Exception:  # a bad formula is reported by the run itself
            continue
        state[stock.name] = initial
        if stock.show and initial > maximum:
            warnings.append(
                f"`{stock.name}` starts at {initial}, above its maximum {maximum}; "
                "`systems` keeps the higher value."
            )
    return warnings


def _flooring_to_zero(model, snapshots: list[dict], flow_lines: list[int]) -> list[str]:
    """A conversion or leak that rounds down to nothing every round moves nothing at all."""
    if len(snapshots) < 2:
        return []
    warnings = []
    for index, flow in enumerate(model.flows):
        if isinstance(flow.rate, Conversion) and _never_moves(flow, snapshots):
            line = flow_lines[index] if index < len(flow_lines) else None
            where = f"Line {line}: " if line else ""
            warnings.append(
                f"{where}the flow from `{flow.source.name}` to "
                f"`{flow.destination.name}` rounds down to 0 every round, so "
                "nothing moves; `systems` moves whole units only."
            )
    return warnings


def _never_moves(flow, snapshots: list[dict]) -> bool:
    """Cheap first: only a source that never changes can be stuck, so most flows cost nothing."""
    source = flow.source.name
    values = {state[source] for state in snapshots}
    value = next(iter(values))
    if len(values) != 1 or not value or isinstance(value, float) and math.isinf(value):
        return False
    for state in snapshots[:-1]:
        try:
            moved, _ = flow.change(state, state[source], state[flow.destination.name])
        except Exception:
            return False
        if moved:
            return False
    return True
