"""Turning whatever `systems` raises into one ModelError that points at the user's text."""

from __future__ import annotations

import difflib
import re

from systems import errors as systems_errors
from systems import lexer

from bot.model.errors import ModelError
from bot.model.source import (
    NAME,
    Segment,
    find_compact,
    find_word,
    split_parts,
    stock_name,
    unmatched_parens,
)

FLOW_TYPES = ("Rate", "Conversion", "Leak")
SYNTAX = "A flow reads `Source > Destination @ rate`, for example `[Candidates] > Screens @ 5`."
QUOTE_LIMIT = 60  # characters of a formula quoted back in a message


class Located:
    """The lines of a definition, for building errors that point at a column."""

    def __init__(self, definition: str):
        self.lines = definition.split("\n")

    def error(self, message: str, line: int, column0: int | None = None, hint: str | None = None):
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        column = None if column0 is None else column0 + 1
        return ModelError(message, line, column, text, hint)


def explain_line(located: Located, number: int, exc: Exception) -> ModelError:
    """Explain an exception that `systems`' lexer raised while reading one line."""
    line = located.lines[number - 1]
    if isinstance(exc, IndexError):
        _, stray = unmatched_parens(line)
        segment = None if stray else _segment_failing_with(line, IndexError)
        if segment is not None:  # `a(5)(6)`: balanced, but `systems` reads `5)(6` as one value
            return _explain_segment(located, number, segment, True)
        column = stray[0] if stray else None
        return located.error(
            "There is a `)` with no `(` before it.",
            number,
            column,
            "Remove the extra `)` or add the missing `(`.",
        )
    if isinstance(exc, systems_errors.IllegalStockName):
        return _explain_stock_name(located, number, exc.name)
    return located.error(
        f"`systems` could not read this line: {plain(exc)}.",
        number,
        _first_text_column(line),
        SYNTAX,
    )


def _segment_failing_with(line: str, error: type[Exception]) -> Segment | None:
    """The part of a flow line (source, destination, rate) on which `systems` raises `error`."""
    parts = split_parts(line)
    readers = ((parts.source, lexer.lex_stock), (parts.destination, lexer.lex_stock))
    for segment, read in (*readers, (parts.rate, lexer.lex_flow)):
        try:
            if segment is not None:
                read(segment.text.replace(" ", ""))  # `systems`' lexer drops every space
        except error:
            return segment
        except Exception:
            continue
    return None


def _explain_stock_name(located: Located, number: int, bad_name: str) -> ModelError:
    line = located.lines[number - 1]
    parts = split_parts(line)
    segments = [s for s in (parts.source, parts.destination) if s is not None]
    squeezed = bad_name.replace(" ", "")
    segment = next(
        (s for s in segments if s.stripped.replace(" ", "").replace(">", "") == squeezed),
        segments[-1],
    )
    return _explain_segment(located, number, segment, parts.rate is not None)


def _explain_segment(located: Located, number: int, segment: Segment, has_rate: bool):
    text, start = segment.stripped, segment.stripped_start
    if not text:
        where = "before `>`" if segment.start == 0 else "after `>`"
        if ">" not in located.lines[number - 1]:
            where = "at the start of this flow"
        return located.error(f"A stock name is missing {where}.", number, segment.start, SYNTAX)
    if text.startswith("[") and not text.endswith("]"):
        return located.error(
            "This infinite stock is missing its closing `]`.",
            number,
            start,
            "Write infinite stocks in brackets, like `[Candidates]`.",
        )
    if not NAME.match(text):
        return located.error(
            f"A stock name can't start with `{text[0]}`.",
            number,
            start,
            _bad_char_hint(text[0], text, has_rate),
        )
    name = NAME.match(text.replace(" ", "")).group(0)
    offset = _column_after_name(text, name)
    offset += _lead(text[offset:])
    rest = text[offset:]
    column = start + offset
    if rest.startswith("("):
        close = _closing_paren(rest)
        if close is None:
            return located.error(
                "This `(` is never closed.",
                number,
                column,
                "Add the missing `)` after the stock's initial value.",
            )
        after = rest[close + 1 :].strip()
        hint = "Start a new line for the next stock or flow."
        return located.error(
            f"Unexpected `{after[:20]}` after `{name}(...)`.",
            number,
            column + close + 1 + _lead(rest[close + 1 :]),
            _bad_char_hint("<", text, has_rate) if after.startswith("<") else hint,
        )
    return located.error(
        f"`{rest[0]}` can't be used in a stock name.",
        number,
        column,
        _bad_char_hint(rest[0], text, has_rate),
    )


def _column_after_name(text: str, name: str) -> int:
    """Offset in `text` just past `name`, which may have spaces inside it in `text`."""
    seen = 0
    for offset, char in enumerate(text):
        if seen == len(name):
            return offset
        if char != " ":
            seen += 1
    return len(text)


def _closing_paren(text: str) -> int | None:
    depth = 0
    for offset, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return offset
    return None


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _bad_char_hint(char: str, text: str, has_rate: bool) -> str:
    if char == "<":
        return "Flows point from source to destination with `>`: write `A > B @ 5`, not `A < B`."
    if char.isdigit() or char == "." and not has_rate:
        if re.search(r"[A-Za-z_]\s+\d", text):
            return "A rate needs `@` in front of it: write `A > B @ 5`."
        return "Stock names start with a letter; numbers go in parentheses: `Stock(5)`."
    if char in "-":
        return "Stock names may hold letters, digits and `_`; try `_` instead of `-`."
    return "Stock names may hold letters, digits and `_` only."


def explain_parse_error(located: Located, exc: Exception) -> ModelError:
    """Explain what `systems.parse` raised for a line (a ParseError or one of its kin)."""
    number = getattr(exc, "line_number", 0) or 1
    inner = getattr(exc, "exception", None) or exc
    line = located.lines[number - 1] if number <= len(located.lines) else ""
    parts = split_parts(line)
    if isinstance(exc, systems_errors.ConflictingValues):
        return _explain_conflict(located, number, exc)
    if isinstance(exc, systems_errors.UnknownFlowType):
        return _explain_flow_type(located, number, exc.flow_type, parts)
    if isinstance(inner, systems_errors.InvalidFormula):
        return explain_formula(located, inner, number)
    if isinstance(inner, systems_errors.IllegalSourceStock):
        return located.error(
            "An infinite stock can't be the source of a conversion or a leak.",
            number,
            parts.source.stripped_start,
            "Use a rate from an infinite stock, like `[Candidates] > Screens @ 5`.",
        )
    if isinstance(inner, TypeError) and parts.rate is not None:
        return located.error(
            "A flow takes exactly one rate.",
            number,
            parts.rate.stripped_start,
            "Write one value, like `@ 5`, `@ 0.5` or `@ Leak(0.2)`.",
        )
    if isinstance(inner, AttributeError):
        return incomplete_flow(located, number)
    return located.error(
        f"`systems` could not read this line: {plain(inner)}.",
        number,
        _first_text_column(line),
        SYNTAX,
    )


def incomplete_flow(located: Located, number: int) -> ModelError:
    line = located.lines[number - 1]
    return located.error(
        "This flow is missing its source or its destination.",
        number,
        _first_text_column(line),
        SYNTAX,
    )


def _explain_conflict(located: Located, number: int, exc) -> ModelError:
    first = first_declaration(located, exc.name, before=number)
    column = find_word(located.lines[number - 1], exc.name)
    earlier = f" on line {first}" if first else ""
    return located.error(
        f"`{exc.name}` is given a value twice: first{earlier}, then again here.",
        number,
        column,
        "Give each stock its initial value (and maximum) once; elsewhere write just its name.",
    )


def first_declaration(located: Located, name: str, before: int | None = None) -> int | None:
    """The first line that gives `name` a value in parentheses."""
    before = len(located.lines) + 1 if before is None else before
    pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}\s*\(")
    for number, line in enumerate(located.lines[: before - 1], start=1):
        if pattern.search(line.split("@")[0]):
            return number
    return None


def _explain_flow_type(located: Located, number: int, flow_type: str, parts) -> ModelError:
    line = located.lines[number - 1]
    start = parts.rate.start if parts.rate else 0
    column = line.lower().find(flow_type, start)
    close = difflib.get_close_matches(flow_type.capitalize(), FLOW_TYPES, n=1)
    hint = f"Did you mean `{close[0]}`? " if close else ""
    return located.error(
        f"`{line[column : column + len(flow_type)]}` is not a kind of flow.",
        number,
        column,
        hint + "Flows are `Rate`, `Conversion` and `Leak`.",
    )


def explain_formula(located: Located, exc, number: int | None = None) -> ModelError:
    """InvalidFormula: an unknown reference, or a formula `systems` can't compute."""
    formula_text = lexer.readable(exc.formula.lexed).replace(" ", "")
    unknown = re.match(r"reference to non-existant stock '(.*)'", exc.msg)
    if unknown:
        return explain_unknown(located, unknown.group(1), number)
    number, column = _locate_formula(located, formula_text or "()", number)
    shown = _clip(formula_text)  # the caret points at it; a 20,000-character echo helps nobody
    if "start with an operation" in exc.msg and re.match(r"-\d", formula_text):
        hint = f"`systems` can't read negative numbers; write `0 - {shown[1:]}` instead."
        return located.error(f"`{shown}` is a negative number.", number, column, hint)
    messages = {
        "formula is empty": ("A value is missing here.", "Write a number or a stock name."),
        "start with an operation": ("A formula can't start with an operator.", None),
        "preceeded by an operation": ("Two operators in a row.", None),
        "must have an operation between": (
            "Two values with no operator between them.",
            "Join values with `+`, `-`, `*` or `/`; stock names can't contain spaces here.",
        ),
        "cannot end with an operation": ("A formula can't end with an operator.", None),
    }
    for key, (message, hint) in messages.items():
        if key in exc.msg:
            return located.error(f"{message} (`{shown}`)", number, column, hint)
    return located.error(f"`systems` can't compute `{shown}`.", number, column)


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain_unknown(located: Located, reference: str, number: int | None) -> ModelError:
    number, column = _locate_reference(located, reference, number)
    if re.fullmatch(r"\d+(\.\d+)?[eE][-+]?\d+", reference):
        value = float(reference)
        plain = str(int(value)) if value.is_integer() else repr(value)
        return located.error(
            f"`{reference}` is a number in scientific notation.",
            number,
            column,
            f"`systems` can't read exponents; write `{plain}` instead.",
        )
    if not NAME.fullmatch(reference):  # `0.5 0.5`: systems drops the space and reads `0.50.5`
        return located.error(
            f"`{reference}` is neither a number nor a stock name.",
            number,
            column,
            "`systems` ignores spaces in a formula; join values with `+`, `-`, `*` or `/`.",
        )
    names = _stock_names(located)
    close = difflib.get_close_matches(reference, names, n=1, cutoff=0.6)
    close = close or [n for n in names if n.lower() == reference.lower()]
    hint = f"Did you mean `{close[0]}`?" if close else "Define the stock on a line of its own."
    return located.error(f"There is no stock called `{reference}`.", number, column, hint)


def _stock_names(located: Located) -> list[str]:
    names: list[str] = []
    for line in located.lines:
        if line.strip().startswith("#"):
            continue
        parts = split_parts(line)
        for segment in (parts.source, parts.destination):
            if segment is not None and segment.stripped:
                name = stock_name(segment)
                if name not in names:
                    names.append(name)
    return names


def _locate_reference(located: Located, reference: str, number: int | None):
    candidates = [number] if number else range(1, len(located.lines) + 1)
    for candidate in candidates:
        line = located.lines[candidate - 1]
        if line.strip().startswith("#"):
            continue
        column = _reference_column(line, reference)
        if column is not None:
            return candidate, column
    return number or 1, None


def _reference_column(line: str, reference: str) -> int | None:
    """A reference sits inside parentheses or after `@`, never as a stock's own name."""
    parts = split_parts(line)
    if parts.rate is not None:
        column = find_word(line, reference, parts.rate.start)
        if column is not None:
            return column
    for segment in (parts.source, parts.destination):
        if segment is not None and "(" in segment.text:
            column = find_word(line, reference, segment.start + segment.text.index("("))
            if column is not None and column < segment.start + len(segment.text):
                return column
    # `a b` is read as `ab`: find it with the spaces left out
    return find_compact(line, reference, parts.rate.start) if parts.rate else None


def _locate_formula(located: Located, formula_text: str, number: int | None):
    candidates = [number] if number else range(1, len(located.lines) + 1)
    for candidate in candidates:
        line = located.lines[candidate - 1]
        column = find_compact(line, formula_text, line.find("(") if "@" not in line else 0)
        if column is not None:
            return candidate, column
    return number or 1, None


def explain_cycle(located: Located, exc) -> ModelError:
    names = _loop(exc.cycle) if isinstance(exc.cycle, dict) else []
    first = names[0] if names else ""
    line = first_declaration(located, first, before=len(located.lines) + 1) or 1
    loop = " → ".join(names + names[:1])
    return located.error(
        f"Initial values refer to each other in a circle: {loop}.",
        line,
        find_word(located.lines[line - 1], first),
        "Give at least one of these stocks a number as its initial value.",
    )


def _loop(graph: dict[str, list[str]]) -> list[str]:
    """One circle of references in `systems`' graph, which also holds stocks outside it."""
    for start in graph:
        path = [start]
        while True:
            following = next((name for name in graph[path[-1]] if graph.get(name)), None)
            if following is None:
                break
            if following in path:
                return path[path.index(following) :]
            path.append(following)
    return []


def unexpected(located: Located, exc: Exception, where: int | None = None) -> ModelError:
    """Anything else `systems` raises, said plainly rather than as a traceback."""
    return located.error(
        f"`systems` could not run this model: {plain(exc)}.",
        where or 1,
        None if where is None else _first_text_column(located.lines[where - 1]),
        SYNTAX,
    )


def _first_text_column(line: str) -> int:
    return len(line) - len(line.lstrip())


def plain(exc: BaseException) -> str:
    """A one-line description with no token tuples or Python reprs in it."""
    text = str(exc).split("\n")[0]
    text = re.sub(r"\[\(.*", "", text).strip(" :\"'")
    return text or type(exc).__name__.replace("Error", " error").strip().lower()
