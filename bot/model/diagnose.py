"""Turning what `systems` refuses into one ModelError that points at the user's text."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.model.errors import ModelError
from bot.model.source import (
    Listing,
    Segment,
    find_compact,
    find_word,
    indent,
    is_blank_or_comment,
    split_parts,
    stock_names,
    unmatched_parens,
)
from bot.model.spelling import closest
from bot.model.systems_adapter import (
    FORMULA_REFUSALS,
    STOCK_NAME,
    BuiltModel,
    FlowKind,
    Refusal,
    SystemsError,
    Values,
    read_rate,
    read_stock,
)

SYNTAX = "A flow reads `Source > Destination @ rate`, for example `[Candidates] > Screens @ 5`."
QUOTE_LIMIT = 60  # characters of a formula quoted back in a message
FLOW_KINDS = [kind.value for kind in FlowKind]


def explain(listing: Listing, error: SystemsError) -> ModelError:
    """Explain why `systems` would not read or build the model."""
    line = error.line
    match error.refusal:
        case Refusal.UNOPENED_PAREN:
            return _explain_unopened_paren(listing, line)
        case Refusal.ILLEGAL_STOCK_NAME:
            return _explain_stock_name(listing, line, error.name)
        case Refusal.CONFLICTING_VALUES:
            return _explain_conflict(listing, line, error.name)
        case Refusal.UNKNOWN_FLOW_KIND:
            return _explain_flow_kind(listing, line, error.name)
        case Refusal.INFINITE_SOURCE:
            return _explain_infinite_source(listing, line)
        case Refusal.RATE_COUNT:
            return _explain_rate_count(listing, error)
        case Refusal.FLOW_WITHOUT_DESTINATION:
            return _syntax_error(
                listing, line, "This flow is missing its source or its destination."
            )
        case Refusal.UNKNOWN_REFERENCE:
            return _explain_unknown(listing, error.name, line)
        case Refusal.CIRCULAR_INITIAL_VALUES:
            return _explain_cycle(listing, error.cycle)
        case Refusal.FAILED:
            message = f"`systems` could not run this model: {error.detail}."
            return listing.error(message, 1, None, SYNTAX)
        case refusal if refusal in FORMULA_REFUSALS:
            return _explain_formula(listing, error, line)
    return _unreadable_line(listing, error)


def _syntax_error(listing: Listing, number: int, message: str) -> ModelError:
    """An error about a whole line, pointing where its text starts, with the syntax as hint."""
    return listing.error(message, number, indent(listing.line(number)), SYNTAX)


def _unreadable_line(listing: Listing, error: SystemsError) -> ModelError:
    message = f"`systems` could not read this line: {error.detail}."
    return _syntax_error(listing, error.line, message)


def _explain_infinite_source(listing: Listing, number: int) -> ModelError:
    return listing.error(
        "An infinite stock can't be the source of a conversion or a leak.",
        number,
        split_parts(listing.line(number)).source.stripped_start,
        "Use a rate from an infinite stock, like `[Candidates] > Screens @ 5`.",
    )


def _explain_rate_count(listing: Listing, error: SystemsError) -> ModelError:
    rate = split_parts(listing.line(error.line)).rate
    if rate is None:
        return _unreadable_line(listing, error)
    return listing.error(
        "A flow takes exactly one rate.",
        error.line,
        rate.stripped_start,
        "Write one value, like `@ 5`, `@ 0.5` or `@ Leak(0.2)`.",
    )


def explain_run_failure(
    listing: Listing, model: BuiltModel, error: SystemsError, round_number: int, values: Values
) -> ModelError:
    """Explain what `systems` raised computing the initial values (round 0) or a round that
    started at `values`."""
    if error.refusal is Refusal.UNKNOWN_REFERENCE:
        return _explain_unknown(listing, error.name, None)
    if error.refusal in FORMULA_REFUSALS:
        flow = model.failing_flow(values) if round_number else None
        return _explain_formula(listing, error, flow.line if flow else None)
    message, hint = _run_failure_words(error)
    if not round_number:
        stock = model.failing_initial()
        line, offset = listing.at_declaration(stock.name) if stock else (1, None)
        subject = f"the initial value of `{stock.name}`" if stock else "the initial values"
        return listing.error(f"{message} while setting {subject}.", line, offset, hint)
    flow = model.failing_flow(values)
    line, offset = listing.at_rate(flow.line) if flow else (1, None)
    return listing.error(f"{message} in round {round_number}.", line, offset, hint)


def _run_failure_words(error: SystemsError) -> tuple[str, str | None]:
    if error.refusal is Refusal.NO_VALUE_YET:
        return f"`{error.name}` has no value yet", (
            "`systems` works out initial values in the order their references need, but it "
            f"doesn't see references inside parentheses; write `{error.name}` outside them."
        )
    if error.refusal is Refusal.DIVISION_BY_ZERO:
        return "Division by zero", (
            "A stock you divide by is 0 at that point; guard it or divide by a number."
        )
    return f"`systems` failed: {error.detail}", None


# --- a line `systems`' lexer can't read ----------------------------------------------------------


def _explain_unopened_paren(listing: Listing, number: int) -> ModelError:
    line = listing.line(number)
    _, stray = unmatched_parens(line)
    segment = None if stray else _segment_with_unopened_paren(line)
    if segment is not None:  # `a(5)(6)`: balanced, but `systems` reads `5)(6` as one value
        return _explain_segment(listing, number, segment, True)
    return listing.error(
        "There is a `)` with no `(` before it.",
        number,
        stray[0] if stray else None,
        "Remove the extra `)` or add the missing `(`.",
    )


def _segment_with_unopened_paren(line: str) -> Segment | None:
    """The part of a flow line (source, destination, rate) where `systems` finds a `)` that
    closes nothing."""
    parts = split_parts(line)
    readers = ((parts.source, read_stock), (parts.destination, read_stock))
    for segment, read in (*readers, (parts.rate, read_rate)):
        if segment is None:
            continue
        try:
            read(segment.text.replace(" ", ""))  # `systems`' lexer drops every space
        except SystemsError as error:
            if error.refusal is Refusal.UNOPENED_PAREN:
                return segment
    return None


def _explain_stock_name(listing: Listing, number: int, bad_name: str) -> ModelError:
    # `systems` reads these as one odd stock name; the real mistake is elsewhere
    misread = _explain_option_in_model(listing, number) or _explain_arrow(listing, number)
    if misread is not None:
        return misread
    parts = split_parts(listing.line(number))
    segments = [s for s in (parts.source, parts.destination) if s is not None]
    squeezed = bad_name.replace(" ", "")
    segment = next(
        (s for s in segments if s.stripped.replace(" ", "").replace(">", "") == squeezed),
        segments[-1],
    )
    return _explain_segment(listing, number, segment, parts.rate is not None)


# Possessive, so a long run of spaces is read once (the line is the user's text).
_ROUNDS_OPTION = re.compile(r"(?:--rounds|-r|rounds)(?:\s*+[=:]\s*+|\s++)(\S++)", re.I)
_VALUE_OPTION = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\s*=\s*(\d+(?:\.\d+)?|inf)")


def _explain_option_in_model(listing: Listing, number: int) -> ModelError | None:
    """`rounds=20` or `Hires=10` on a line of its own: options, written inside the model."""
    line = listing.line(number)
    text = line.strip()
    rounds = _ROUNDS_OPTION.fullmatch(text)
    if rounds:
        count = rounds.group(1) if rounds.group(1).isdigit() else "20"
        return listing.error(
            f"`{text}` is an option, not part of the model.",
            number,
            indent(line),
            "Rounds are set outside the model: outside the code block in chat, "
            f'`-r {count}` on the command line, or `"rounds": {count}` in the API.',
        )
    value = _VALUE_OPTION.fullmatch(text)
    if value:
        name, start = value.groups()
        return listing.error(
            f"`{text}` is an option, not part of the model.",
            number,
            indent(line),
            f"Inside the model, give `{name}` its starting value in parentheses: "
            f"`{name}({start})`.",
        )
    return None


def _explain_arrow(listing: Listing, number: int) -> ModelError | None:
    """`A -> B` or `A => B`: `systems` reads the `-` or `=` as part of the source's name."""
    line = listing.line(number)
    parts = split_parts(line)
    source = parts.source.text.rstrip()
    tail = len(source) - len(source.rstrip("-="))
    if parts.destination is None or not tail:
        return None
    start = len(source) - tail
    arrow = line[start : parts.destination.start].replace(" ", "")
    before, after = source[:start].strip(), line[parts.destination.start :].strip()
    hint = f"Write `{before} > {after}`: a flow reads `Source > Destination @ rate`."
    return listing.error(
        f"Flows are written with `>`, not `{arrow}`.", number, start, hint if before else SYNTAX
    )


def _explain_segment(listing: Listing, number: int, segment: Segment, has_rate: bool):
    text, start = segment.stripped, segment.stripped_start
    if not text:
        where = "before `>`" if segment.start == 0 else "after `>`"
        if ">" not in listing.line(number):
            where = "at the start of this flow"
        return listing.error(f"A stock name is missing {where}.", number, segment.start, SYNTAX)
    if text.startswith("[") and not text.endswith("]"):
        return listing.error(
            "This infinite stock is missing its closing `]`.",
            number,
            start,
            "Write infinite stocks in brackets, like `[Candidates]`.",
        )
    if not STOCK_NAME.match(text):
        return listing.error(
            f"A stock name can't start with `{text[0]}`.",
            number,
            start,
            _bad_char_hint(text[0], text, has_rate),
        )
    name = STOCK_NAME.match(text.replace(" ", "")).group(0)
    offset = _column_after_name(text, name)
    offset += indent(text[offset:])
    rest = text[offset:]
    column = start + offset
    if rest.startswith("("):
        close = _closing_paren(rest)
        if close is None:
            return listing.error(
                "This `(` is never closed.",
                number,
                column,
                "Add the missing `)` after the stock's initial value.",
            )
        after = rest[close + 1 :].strip()
        hint = "Start a new line for the next stock or flow."
        return listing.error(
            f"Unexpected `{after[:20]}` after `{name}(...)`.",
            number,
            column + close + 1 + indent(rest[close + 1 :]),
            _bad_char_hint("<", text, has_rate) if after.startswith("<") else hint,
        )
    return listing.error(
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


# --- a model `systems` can't build --------------------------------------------------------------


def _explain_conflict(listing: Listing, number: int, name: str) -> ModelError:
    first = listing.declaration(name, before=number)
    earlier = f" on line {first}" if first else ""
    return listing.error(
        f"`{name}` is given a value twice: first{earlier}, then again here.",
        number,
        find_word(listing.line(number), name),
        "Give each stock its initial value (and maximum) once; elsewhere write just its name.",
    )


def _explain_flow_kind(listing: Listing, number: int, kind: str) -> ModelError:
    line = listing.line(number)
    rate = split_parts(line).rate
    column = line.lower().find(kind, rate.start if rate else 0)
    close = closest(kind, FLOW_KINDS)
    hint = f"Did you mean `{close}`? " if close else ""
    return listing.error(
        f"`{line[column : column + len(kind)]}` is not a kind of flow.",
        number,
        column,
        hint + "Flows are `Rate`, `Conversion` and `Leak`.",
    )


_FORMULA_WORDS = {
    Refusal.EMPTY_FORMULA: ("A value is missing here.", "Write a number or a stock name."),
    Refusal.LEADING_OPERATOR: ("A formula can't start with an operator.", None),
    Refusal.OPERATOR_AFTER_OPERATOR: ("Two operators in a row.", None),
    Refusal.MISSING_OPERATOR: (
        "Two values with no operator between them.",
        "Join values with `+`, `-`, `*` or `/`; stock names can't contain spaces here.",
    ),
    Refusal.TRAILING_OPERATOR: ("A formula can't end with an operator.", None),
}


def _explain_formula(listing: Listing, error: SystemsError, number: int | None) -> ModelError:
    """A formula `systems` refuses, found in the text by its characters (it keeps no columns)."""
    formula_text = error.formula.as_text(parentheses=False).replace(" ", "")
    number, column = _locate(listing, number, _compact_finder(formula_text or "()"))
    shown = _clip(formula_text)  # the caret points at it; a 20,000-character echo helps nobody
    if error.refusal is Refusal.LEADING_OPERATOR and re.match(r"-\d", formula_text):
        hint = f"`systems` can't read negative numbers; write `0 - {shown[1:]}` instead."
        return listing.error(f"`{shown}` is a negative number.", number, column, hint)
    if error.refusal in _FORMULA_WORDS:
        message, hint = _FORMULA_WORDS[error.refusal]
        return listing.error(f"{message} (`{shown}`)", number, column, hint)
    return listing.error(f"`systems` can't compute `{shown}`.", number, column)


def _compact_finder(formula_text: str) -> Callable[[str], int | None]:
    """Where a formula stands in a line: after `@`, or in a stock's parentheses."""
    return lambda line: find_compact(line, formula_text, line.find("(") if "@" not in line else 0)


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _explain_unknown(listing: Listing, reference: str, number: int | None) -> ModelError:
    if "@" in reference:  # `A > B @@ 0.5`: `systems` reads `@0.5` as a stock's name
        return _explain_extra_at(listing, number)
    number, column = _locate(listing, number, lambda line: _reference_column(line, reference))
    if re.fullmatch(r"\d+(\.\d+)?[eE][-+]?\d+", reference):
        value = float(reference)
        plain = str(int(value)) if value.is_integer() else repr(value)
        return listing.error(
            f"`{reference}` is a number in scientific notation.",
            number,
            column,
            f"`systems` can't read exponents; write `{plain}` instead.",
        )
    if not STOCK_NAME.fullmatch(reference):  # `0.5 0.5`: systems drops the space: `0.50.5`
        return listing.error(
            f"`{reference}` is neither a number nor a stock name.",
            number,
            column,
            "`systems` ignores spaces in a formula; join values with `+`, `-`, `*` or `/`.",
        )
    close = closest(reference, stock_names(listing.lines))
    hint = f"Did you mean `{close}`?" if close else "Define the stock on a line of its own."
    return listing.error(f"There is no stock called `{reference}`.", number, column, hint)


def _explain_extra_at(listing: Listing, number: int | None) -> ModelError:
    number, column = _locate(listing, number, _second_at)
    line = listing.line(number)
    hint = "Write one `@`, before the rate, like `A > B @ 0.5`."
    first = line.find("@")
    if column is not None and not line[first + 1 : column].strip():  # `@@` or `@ @`
        flow, rate = line[:first].strip(), line[column + 1 :].strip()
        hint = f"Write one `@`, before the rate: `{flow} @ {rate}`."
    return listing.error("This flow has a second `@`; a flow has one.", number, column, hint)


def _second_at(line: str) -> int | None:
    found = line.find("@", line.find("@") + 1)
    return None if found < 0 else found


def _locate(
    listing: Listing, number: int | None, find: Callable[[str], int | None]
) -> tuple[int, int | None]:
    """(line, offset) where `find` finds something: on line `number` if given, else on the
    first line where it does."""
    candidates = [number] if number else range(1, len(listing.lines) + 1)
    for candidate in candidates:
        line = listing.line(candidate)
        column = None if is_blank_or_comment(line) else find(line)
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


def _explain_cycle(listing: Listing, cycle: tuple[str, ...]) -> ModelError:
    first = cycle[0] if cycle else ""
    line, offset = listing.at_declaration(first)
    loop = " → ".join(cycle + cycle[:1])
    return listing.error(
        f"Initial values refer to each other in a circle: {loop}.",
        line,
        offset,
        "Give at least one of these stocks a number as its initial value.",
    )
