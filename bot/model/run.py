"""Running a definition with `systems` under limits, with every failure explained."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from bot.model import diagnose, growth, warn
from bot.model.edit import apply_overrides, initial_literal
from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.prepare import prepare_definition
from bot.model.source import Listing, is_blank_or_comment, paren_depth, stock_names
from bot.model.systems_adapter import (
    BuiltModel,
    LineReading,
    Refusal,
    Simulation,
    SystemsError,
    Value,
    Values,
    parse,
    read_line,
)

# Each level of parentheses costs `systems` (and the growth check) about two stack frames, and
# Python allows 1,000; a request already sits some 100 frames deep in the server.
NESTING_CEILING = 200
# How many time budgets of wall-clock time a run may take, whatever CPU time it used: a thread
# starved of CPU on a very busy instance still answers in time.
WALL_BACKSTOP = 3
# Shorter runs check their values' size every round (see ParsedDefinition.digits_per_round).
STRIDE_FROM_ROUNDS = 64


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
    """Parse and run `definition`; raise ModelError, and nothing else, when it can't be run.

    The run stops after `limits.time_budget_seconds` of CPU time, or WALL_BACKSTOP times that
    of wall-clock time, or after `limits.wall_seconds` (a caller's own time to answer by),
    whichever comes first, and keeps the rounds computed so far."""
    return run_parsed(parse_definition(definition, rounds, overrides, limits))


@dataclass(frozen=True)
class ParsedDefinition:
    """A definition checked and built by `systems` once, to run from different starting values
    (a sweep, a seek) within the one budget that started before it was parsed."""

    definition: str
    rounds: int
    limits: Limits
    warnings: tuple[str, ...]  # from preparing and reading the text: the same for every run
    reading: _Reading
    budget: _Budget

    @property
    def visible_stocks(self) -> list[str]:
        return self.reading.model.visible_stocks

    def starting_value(self, name: str) -> Value:
        """`name`'s initial value, as `systems` computes it for this model."""
        return _start(self.reading).values[name]

    def time_spent(self) -> str | None:
        """Why no more runs may start, in words; None while the budget lasts."""
        return self.budget.spent()

    @cached_property
    def digits_per_round(self) -> int | None:
        """growth.digits_per_round for the size guard, worked out once: starting values don't
        change it. Shorter runs check every round: that costs less than working it out."""
        if self.rounds < STRIDE_FROM_ROUNDS:
            return None
        return growth.digits_per_round(self.reading.model)


def parse_definition(
    definition: str,
    rounds: int | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> ParsedDefinition:
    """Check and parse `definition` for runs of `rounds`, under a budget that starts now (see
    run_definition); raise ModelError when it can't run."""
    limits = limits or Limits()
    budget = _Budget.start(limits)  # parsing counts too
    rounds = _check_rounds(limits.default_rounds if rounds is None else rounds, limits)
    _check_size(definition, limits)
    definition, warnings = prepare_definition(definition)
    if overrides:
        _read(definition, limits)  # the unchanged model must be sound before it is edited
        definition = apply_overrides(definition, overrides)
    reading = _read(definition, limits)
    warnings += warn.reading_warnings(reading.listing.lines, reading.lines)
    return ParsedDefinition(definition, rounds, limits, tuple(warnings), reading, budget)


def run_parsed(parsed: ParsedDefinition, starting: Mapping[str, str] | None = None) -> RunResult:
    """Run a parsed definition, with the stocks in `starting` (written as overrides write them)
    starting at those values instead; its `definition` is then the text edited so."""
    definition, reading = parsed.definition, parsed.reading
    if starting:
        definition = apply_overrides(definition, starting)
        model = reading.model
        for name, value in starting.items():
            model = model.with_initial(name, initial_literal(value))
        reading = _Reading(Listing(definition), _reread(reading, definition), model)
        _check_growth(model, reading.listing)
    snapshots, stop_note = _simulate(reading, parsed)
    warnings = [
        *parsed.warnings,
        *warn.unfed_stock_warnings(reading.model, reading.lines, snapshots),
        *warn.value_warnings(reading.model, snapshots),
    ]
    stocks = reading.model.visible_stocks
    pick = _picker(stocks, snapshots[0])
    rows = [[index, *pick(state)] for index, state in enumerate(snapshots)]
    if stop_note:
        warnings.append(stop_note)
    return RunResult(definition, parsed.rounds, stocks, rows, warnings, truncated=bool(stop_note))


def _picker(stocks: list[str], state: Values):
    """A snapshot's values for `stocks`, in C: every value, when the snapshots hold just those
    stocks in that order (no hidden stock), as they usually do; else itemgetter, which gives a
    bare value for a single key."""
    if list(state) == stocks:
        return dict.values
    if len(stocks) > 1:
        return itemgetter(*stocks)
    return lambda state: tuple(state[name] for name in stocks)


def _check_rounds(rounds: int, limits: Limits) -> int:
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        raise ModelError(
            f"Rounds must be a whole number, not `{rounds}`.",
            hint=f"Use a whole number from 0 to {limits.max_rounds}, such as 20.",
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


@dataclass(frozen=True)
class _Reading:
    """A definition as `systems` reads it: line by line, and as a built model."""

    listing: Listing
    lines: dict[int, LineReading]
    model: BuiltModel


def _read(definition: str, limits: Limits) -> _Reading:
    """Read line by line (so every error has a line), then let `systems` build the model."""
    listing = Listing(definition)
    lines = _read_lines(listing, limits)
    flow_lines = [number for number, reading in lines.items() if reading.rate is not None]
    try:
        model = parse(definition, flow_lines)
    except SystemsError as error:
        raise diagnose.explain(listing, error) from None
    _check_growth(model, listing)
    return _Reading(listing, lines, model)


def _reread(reading: _Reading, definition: str) -> dict[int, LineReading]:
    """The line readings of `definition`, `reading`'s text with initial values edited: only
    the lines the edit changed or added are read again."""
    lines = dict(reading.lines)
    before = reading.listing.lines
    for number, line in enumerate(definition.split("\n"), start=1):
        if number > len(before) or line != before[number - 1]:
            lines[number] = read_line(line, number)
    return lines


def _check_growth(model: BuiltModel, listing: Listing) -> None:
    """Python ints never overflow, so a formula can take hours; refuse those before running."""
    try:
        growth.check_model(model)
    except growth.TooLarge as exc:
        if exc.flow is not None:
            line, offset = listing.at_rate(exc.flow.line)
        else:
            line, offset = listing.at_declaration(exc.stock)
        raise listing.error(
            f"Values in this formula can have more than {exc.digits:,} digits.",
            line,
            offset,
            "Use smaller numbers, or multiply fewer stocks together.",
        ) from None


def _read_lines(listing: Listing, limits: Limits) -> dict[int, LineReading]:
    lines: dict[int, LineReading] = {}
    names: set[str] = set()
    for number, line in enumerate(listing.lines, start=1):
        if is_blank_or_comment(line):
            continue
        _check_nesting(listing, number, line, limits)
        try:
            lines[number] = read_line(line, number)
        except SystemsError as error:
            raise diagnose.explain(listing, error) from None
        names.update(stock_names([line]))
        if len(names) > limits.max_stocks:
            raise listing.error(
                f"The model has more than {limits.max_stocks:,} stocks.",
                number,
                None,
                "Split it into smaller models.",
            )
    return lines


def _check_nesting(listing: Listing, number: int, line: str, limits: Limits) -> None:
    # systems recurses once per level while computing, so deep nesting would exhaust the stack;
    # SYSBOT_MAX_NESTING can lower the ceiling, never raise it past what the stack holds.
    deepest = min(limits.max_nesting, NESTING_CEILING)
    if paren_depth(line) > deepest:
        raise listing.error(
            f"Parentheses are nested more than {deepest} deep.",
            number,
            line.find("("),
            "Simplify the formula.",
        )


@dataclass(frozen=True)
class _Budget:
    """The time a run may take: `cpu_seconds` of its thread's CPU time, which other requests
    on a busy instance don't use up, so a model computes the same rounds on a busy instance as
    on an idle one; and `wall_seconds` of wall-clock time as a backstop."""

    cpu_seconds: float
    cpu_deadline: float
    wall_seconds: float
    wall_deadline: float

    @classmethod
    def start(cls, limits: Limits) -> _Budget:
        cpu_seconds = limits.time_budget_seconds
        wall_seconds = WALL_BACKSTOP * cpu_seconds
        if limits.wall_seconds is not None:
            wall_seconds = max(min(wall_seconds, limits.wall_seconds), 0.0)
        now = time.monotonic()
        cpu_deadline = time.thread_time() + cpu_seconds
        return cls(cpu_seconds, cpu_deadline, wall_seconds, now + wall_seconds)

    def spent(self) -> str | None:
        """Why the run must stop now, in words; None while there is time left."""
        if time.thread_time() > self.cpu_deadline:
            return f"the run used more than {self.cpu_seconds:g} s of CPU time"
        if time.monotonic() > self.wall_deadline:
            return f"the server was too busy to finish it within {self.wall_seconds:.2g} s"
        return None

    def earliest_end(self) -> float:
        """The first moment (on time.monotonic) at which the budget could be spent: a thread
        uses at most one second of CPU time a second, so until then `spent` is sure to say
        None, and a round needs to read only the cheap wall clock, not the CPU-time clock (a
        system call). Wall-clock time is read first: CPU time read after it can only be more."""
        now = time.monotonic()
        return min(self.wall_deadline, now + self.cpu_deadline - time.thread_time())


def _simulate(reading: _Reading, parsed: ParsedDefinition):
    """`Model.run`'s own loop for `reading` (`parsed`'s own, or with other starting values),
    with the time budget and a size guard between rounds. Beyond `systems`' own work, a round
    reads the wall clock once (see _Budget.earliest_end) and compares its number with the next
    round the size guard must check."""
    simulation = _start(reading)
    advance, snapshot, values = simulation.advance, simulation.snapshot, simulation.values
    _check_initial_size(values, reading.listing)
    rounds, budget = parsed.rounds, parsed.budget
    guard = _SizeGuard(values, parsed.digits_per_round)
    wall_clock, check_at, next_check = time.monotonic, -math.inf, 1
    snapshots = [snapshot()]
    for round_number in range(1, rounds + 1):
        if wall_clock() >= check_at:
            spent = budget.spent()
            if spent:
                return snapshots, f"Stopped after round {round_number - 1} of {rounds}: {spent}."
            check_at = budget.earliest_end()
        try:
            advance()
        except Exception as exc:
            failure = simulation.failure(exc)
            return snapshots, _failed_round(reading, failure, round_number, rounds, snapshots[-1])
        if round_number >= next_check:
            huge, next_check = guard.check(round_number)
            if huge:
                return snapshots, _too_large_note(huge, round_number, rounds)
        snapshots.append(snapshot())
    return snapshots, None


class _SizeGuard:
    """Stops a run in the round a stock grows past MAX_VALUE_DIGITS. Where a round can only
    add a few digits (growth.digits_per_round), values far from the limit can't reach it for
    many rounds, and are checked again only when they could have."""

    def __init__(self, values: Values, per_round: int | None):
        self.values = values
        self.numbers = values.values() or [0]  # a model of comments alone still runs its rounds
        self.per_round = per_round
        self.low, self.high = -growth.TOO_LARGE, growth.TOO_LARGE  # negated once: 4,000 digits

    def check(self, round_number: int) -> tuple[str | None, int]:
        """The stock grown too large in this round, if any; else the next round to check.
        Min and max (in C) clear the usual values at once; a NaN or an infinity fails that
        test too, and falls through to the exact one."""
        numbers = self.numbers
        if not self.low < min(numbers) <= max(numbers) < self.high:
            huge = _too_large_stock(self.values)
            if huge:
                return huge, round_number
        if self.per_round is None:
            return None, round_number + 1
        room = growth.MAX_VALUE_DIGITS - growth.digits_at_most(numbers)
        return None, round_number + room // self.per_round + 1


def _failed_round(
    reading: _Reading, failure: SystemsError, round_number: int, rounds: int, before: Values
) -> str:
    """The note on a run that overflowed floating point in round `round_number`; any other
    failure raises its ModelError."""
    if failure.refusal is Refusal.OVERFLOW:
        return _overflow_note(reading.model, before, round_number, rounds)
    raise diagnose.explain_run_failure(
        reading.listing, reading.model, failure, round_number, before
    ) from None


def _too_large_note(name: str, round_number: int, rounds: int) -> str:
    return (
        f"Stopped at round {round_number} of {rounds}: `{name}` grew past "
        f"{growth.MAX_VALUE_DIGITS:,} digits. Rows up to round {round_number - 1} are shown."
    )


def _start(reading: _Reading) -> Simulation:
    """A simulation at round 0: every initial value computed."""
    try:
        return Simulation(reading.model)
    except SystemsError as error:
        raise diagnose.explain_run_failure(reading.listing, reading.model, error, 0, {}) from None


def _too_large_stock(values: Values) -> str | None:
    return next((name for name, value in values.items() if growth.too_large(value)), None)


def _check_initial_size(values: Values, listing: Listing) -> None:
    huge = _too_large_stock(values)
    if huge:
        line, offset = listing.at_declaration(huge)
        raise listing.error(
            f"The initial value of `{huge}` has more than {growth.MAX_VALUE_DIGITS:,} digits.",
            line,
            offset,
            "Start from a smaller value.",
        )


def _overflow_note(model: BuiltModel, values: Values, round_number: int, rounds: int) -> str:
    flow = model.failing_flow(values)
    shown = model.visible_stocks
    if flow is not None:
        what = f"the flow from `{flow.source}` to `{flow.destination}`"
        shown = [name for name in shown if name in (flow.source, flow.destination)]
    else:
        what = "a value"
    visible = [name for name in shown if _finite(values[name])]
    biggest = max(visible, key=lambda name: abs(values[name]), default=None)
    size = f" (`{biggest}` was already {_approximately(values[biggest])})" if biggest else ""
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
