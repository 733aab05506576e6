"""Running a definition with `systems` under limits, with every failure explained."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter

from systems import lexer
from systems.errors import CircularReferences, InvalidFormula, ParseException
from systems.models import State
from systems.parse import parse

from bot.model import diagnose, growth, surprises
from bot.model.diagnose import Located
from bot.model.edit import apply_overrides
from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.prepare import prepare_definition
from bot.model.source import (
    find_word,
    is_blank_or_comment,
    paren_depth,
    split_parts,
    stock_name,
)

# Each level of parentheses costs `systems` (and the growth check) about two stack frames, and
# Python allows 1,000; a request already sits some 100 frames deep in the server.
NESTING_CEILING = 200


@dataclass
class RunResult:
    """Stocks round by round, exactly as `systems` computes them."""

    definition: str
    rounds: int
    stocks: list[str]
    rows: list[list] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def columns(self) -> list[str]:
        return ["round", *self.stocks]


def run_definition(
    definition: str,
    rounds: int | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> RunResult:
    """Parse and run `definition`; raise ModelError, and nothing else, when it can't be run."""
    limits = limits or Limits()
    deadline = time.monotonic() + limits.time_budget_seconds  # parsing counts against it too
    rounds = _check_rounds(limits.default_rounds if rounds is None else rounds, limits)
    _check_size(definition, limits)
    definition, warnings = prepare_definition(definition)
    if overrides:
        _build(definition, limits)  # the unchanged model must be sound before it is edited
        definition = apply_overrides(definition, overrides)
    model, located, lexed, flow_lines = _build(definition, limits)
    warnings += surprises.reading_warnings(located.lines, lexed)
    snapshots, stop_note = _simulate(model, rounds, deadline, limits, located, flow_lines)
    warnings += surprises.value_warnings(model, snapshots, flow_lines)
    stocks = [stock.name for stock in model.stocks if stock.show]
    pick = _picker(stocks)
    rows = [[index, *pick(state)] for index, state in enumerate(snapshots)]
    if stop_note:
        warnings.append(stop_note)
    return RunResult(definition, rounds, stocks, rows, warnings, truncated=bool(stop_note))


def _picker(stocks: list[str]):
    """A snapshot's values for `stocks`, as a tuple: itemgetter runs in C, but gives a bare
    value for a single key."""
    if len(stocks) > 1:
        return itemgetter(*stocks)
    return lambda state: tuple(state[name] for name in stocks)


def _check_rounds(rounds: int, limits: Limits) -> int:
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        raise ModelError(
            f"Rounds must be a whole number, not `{rounds}`.",
            hint=f"Use a number from 0 to {limits.max_rounds}, like `rounds=20`.",
        )
    if not 0 <= rounds <= limits.max_rounds:
        raise ModelError(
            f"{rounds} rounds is outside the limit of 0 to {limits.max_rounds}.",
            hint=f"Ask for at most {limits.max_rounds} rounds.",
        )
    return rounds


def _check_size(definition: str, limits: Limits) -> None:
    if not definition.strip():
        raise ModelError("The model is empty.", hint=diagnose.SYNTAX)
    if len(definition) > limits.max_definition_chars:
        raise ModelError(
            f"The model is {len(definition):,} characters long; the limit is "
            f"{limits.max_definition_chars:,}.",
            hint="Split it into smaller models, or shorten stock names.",
        )


def _build(definition: str, limits: Limits):
    """Lex line by line (so every error has a line), then let `systems` build the model."""
    located = Located(definition)
    lexed, flow_lines = _lex_lines(located, limits)
    try:
        model = parse(definition, tracebacks=False)
    except ParseException as exc:
        raise diagnose.explain_parse_error(located, exc) from None
    except Exception as exc:  # systems raises bare exceptions from inside its lexer
        raise diagnose.unexpected(located, exc) from None
    _check_flows_complete(model, located, flow_lines)
    try:
        model.validate()
    except InvalidFormula as exc:
        raise diagnose.explain_formula(located, exc) from None
    except CircularReferences as exc:
        raise diagnose.explain_cycle(located, exc) from None
    except Exception as exc:
        raise diagnose.unexpected(located, exc) from None
    _check_growth(model, located, flow_lines)
    return model, located, lexed, flow_lines


def _check_growth(model, located: Located, flow_lines: list[int]) -> None:
    """Python ints never overflow, so a formula can take hours; refuse those before running."""
    try:
        growth.check_model(model)
    except growth.TooLarge as exc:
        if exc.flow is not None:
            line = flow_lines[exc.flow]
            column = split_parts(located.lines[line - 1]).rate.stripped_start
        else:
            line = diagnose.first_declaration(located, exc.stock) or 1
            column = find_word(located.lines[line - 1], exc.stock)
        raise located.error(
            f"Values in this formula can have more than {exc.digits:,} digits.",
            line,
            column,
            "Use smaller numbers, or multiply fewer stocks together.",
        ) from None


def _check_flows_complete(model, located: Located, flow_lines: list[int]) -> None:
    for index, flow in enumerate(model.flows):
        if flow.source is None or flow.destination is None:
            raise diagnose.incomplete_flow(located, flow_lines[index])


def _lex_lines(located: Located, limits: Limits) -> tuple[dict[int, list], list[int]]:
    lexed: dict[int, list] = {}
    flow_lines: list[int] = []
    names: set[str] = set()
    for number, line in enumerate(located.lines, start=1):
        if is_blank_or_comment(line):
            continue
        _check_nesting(located, number, line, limits)
        try:
            _, tokens = lexer.lex(line)
        except Exception as exc:
            raise diagnose.explain_line(located, number, exc) from None
        lexed[number] = tokens[0][2] if tokens else []
        if any(token[0] == lexer.TOKEN_FLOW for token in lexed[number]):
            flow_lines.append(number)
        names.update(_line_stock_names(line))
        if len(names) > limits.max_stocks:
            raise located.error(
                f"The model has more than {limits.max_stocks:,} stocks.",
                number,
                None,
                "Split it into smaller models.",
            )
    return lexed, flow_lines


def _line_stock_names(line: str) -> list[str]:
    parts = split_parts(line)
    return [stock_name(s) for s in (parts.source, parts.destination) if s and s.stripped]


def _check_nesting(located: Located, number: int, line: str, limits: Limits) -> None:
    # systems recurses once per level while computing, so deep nesting would exhaust the stack;
    # SYSBOT_MAX_NESTING can lower the ceiling, never raise it past what the stack holds.
    deepest = min(limits.max_nesting, NESTING_CEILING)
    if paren_depth(line) > deepest:
        raise located.error(
            f"Parentheses are nested more than {deepest} deep.",
            number,
            line.find("("),
            "Simplify the formula.",
        )


def _simulate(
    model, rounds: int, deadline: float, limits: Limits, located: Located, flow_lines: list[int]
):
    """`Model.run`'s own loop, with a clock and an overflow guard between rounds."""
    try:
        state = State(model)
    except Exception as exc:
        raise _explain_runtime(exc, located, model, {}, 0, flow_lines) from None
    _check_initial_size(state.state, located)
    snapshots = [state.snapshot()]
    for round_number in range(1, rounds + 1):
        if time.monotonic() > deadline:
            return snapshots, (
                f"Stopped after round {round_number - 1} of {rounds}: the run took longer than "
                f"{limits.time_budget_seconds:g} s."
            )
        try:
            state.advance()
        except OverflowError:
            return snapshots, _overflow_note(model, snapshots[-1], round_number, rounds)
        except Exception as exc:
            raise _explain_runtime(
                exc, located, model, snapshots[-1], round_number, flow_lines
            ) from None
        huge = _too_large_stock(state.state)
        if huge:
            return snapshots, (
                f"Stopped at round {round_number} of {rounds}: `{huge}` grew past "
                f"{growth.MAX_VALUE_DIGITS:,} digits. "
                f"Rows up to round {round_number - 1} are shown."
            )
        snapshots.append(state.snapshot())
    return snapshots, None


def _too_large_stock(state: dict) -> str | None:
    """Called every round: min and max (in C) clear the usual state at once. A NaN or an
    infinity fails that check too, and falls through to the exact test."""
    values = state.values()
    if values and -growth.TOO_LARGE < min(values) and max(values) < growth.TOO_LARGE:
        return None
    return next((name for name, value in state.items() if growth.too_large(value)), None)


def _check_initial_size(state: dict, located: Located) -> None:
    huge = _too_large_stock(state)
    if huge:
        line = diagnose.first_declaration(located, huge) or 1
        raise located.error(
            f"The initial value of `{huge}` has more than {growth.MAX_VALUE_DIGITS:,} digits.",
            line,
            find_word(located.lines[line - 1], huge),
            "Start from a smaller value.",
        )


def _culprit(model, state: dict) -> int | None:
    """Index of the first flow that fails on `state`, to point at its line."""
    for index, flow in enumerate(model.flows):
        try:
            flow.change(state, state[flow.source.name], state[flow.destination.name])
        except Exception:
            return index
    return None


def _overflow_note(model, state: dict, round_number: int, rounds: int) -> str:
    index = _culprit(model, state)
    shown = [s.name for s in model.stocks if s.show]
    if index is not None:
        flow = model.flows[index]
        what = f"the flow from `{flow.source.name}` to `{flow.destination.name}`"
        shown = [name for name in shown if name in (flow.source.name, flow.destination.name)]
    else:
        what = "a value"
    visible = [name for name in shown if _finite(state[name])]
    biggest = max(visible, key=lambda name: abs(state[name]), default=None)
    size = f" (`{biggest}` was already {_approximately(state[biggest])})" if biggest else ""
    return (
        f"Stopped at round {round_number} of {rounds}: {what} outgrew floating point{size}. "
        f"Rows up to round {round_number - 1} are shown."
    )


def _finite(value) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def _approximately(value) -> str:
    """Python ints grow past what a float can hold, so they can't be formatted with `g`."""
    if isinstance(value, int) and abs(value) > 10**15:
        return f"about 10^{len(str(abs(value))) - 1}"
    return f"{value:.3g}"


def _explain_runtime(exc, located, model, state, round_number, flow_lines) -> ModelError:
    if isinstance(exc, InvalidFormula):
        index = _culprit(model, state) if state else None
        line = flow_lines[index] if index is not None and index < len(flow_lines) else None
        return diagnose.explain_formula(located, exc, line)
    missing = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
    if isinstance(missing, str) and model.get_stock(missing) is None:
        # `systems` checks references only outside parentheses; the others fail here
        return diagnose.explain_unknown(located, missing, None)
    if isinstance(missing, str):
        message = f"`{missing}` has no value yet"
        hint = (
            "`systems` works out initial values in the order their references need, but it "
            f"doesn't see references inside parentheses; write `{missing}` outside them."
        )
    elif isinstance(exc, ZeroDivisionError):
        message = "Division by zero"
        hint = "A stock you divide by is 0 at that point; guard it or divide by a number."
    else:
        message, hint = f"`systems` failed: {diagnose.plain(exc)}", None
    if not round_number:
        name = _failing_initial(model)
        line = diagnose.first_declaration(located, name) if name else None
        column = find_word(located.lines[line - 1], name) if line else None
        return located.error(
            f"{message} while setting the initial value of `{name}`.", line or 1, column, hint
        )
    index = _culprit(model, state)
    line = flow_lines[index] if index is not None and index < len(flow_lines) else None
    column = split_parts(located.lines[line - 1]).rate.stripped_start if line else None
    return located.error(f"{message} in round {round_number}.", line or 1, column, hint)


def _failing_initial(model) -> str | None:
    state: dict = {}
    for stock in model.stocks:
        try:
            state[stock.name] = stock.initial.compute(state)
            stock.maximum.compute(state)
        except Exception:
            return stock.name
    return None
