"""Goal seek: the starting value of one stock at the edge where a goal on another starts (or
stops) holding, such as the fewest `Recruiters` for which `Hires >= 50` at round 20.

The search tries values on a grid, low + i × step in exact decimals (whole numbers when the
stock is an int in the model, else about a thousandth of the range). Five values spread over
the range come first: they show whether the goal changes between them once (then the pair it
changes between is halved until the two are a step apart), never, or back and forth, when no
edge is a true answer and the values tried are what is shown. Every run is `systems` from the
definition edited to start the stock there, parsed once, within the one budget.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from enum import Enum
from itertools import pairwise

from bot.model.edit import unknown_stock_hint
from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.run import ParsedDefinition, RunResult, parse_definition
from bot.model.scenario_syntax import (
    EXACT,
    Seek,
    ValueRange,
    as_value,
    checked_digits,
    is_whole,
)
from bot.model.scenarios import check_varied, run_scenario
from bot.model.source import stock_names
from bot.model.systems_adapter import Value

PROBES = 5  # values spread over the range before halving: ends, quarters and middle
_FARTHEST_START = 10**13  # a default range reaches ten times the start, within 15 digits


class SeekOutcome(Enum):
    FOUND = "found"
    HOLDS_NOWHERE = "holds_nowhere"
    HOLDS_EVERYWHERE = "holds_everywhere"
    NOT_MONOTONIC = "not_monotonic"  # it holds, fails and holds again across the values tried
    STOPPED = "stopped"  # a run failed or ended before the goal's round, or the budget ran out


@dataclass(frozen=True)
class Grid:
    """The values a seek may try: low + index × step, for index 0 to `size`."""

    low: Decimal
    step: Decimal
    size: int

    def value(self, index: int) -> Value:
        with localcontext(EXACT):
            return as_value(self.low + index * self.step)

    @property
    def high(self) -> Value:
        return self.value(self.size)


@dataclass(frozen=True)
class Sample:
    """One run of the search: the varied stock at `value`, the goal's stock at the goal's
    round, and whether the goal held. `reached` and `holds` are None when the run didn't get
    there."""

    value: Value
    reached: Value | None = None
    holds: bool | None = None


@dataclass
class SeekResult:
    """The answer (FOUND): the value where the goal holds, the neighbour where it fails, and
    the run at the answer; otherwise a `problem` saying why there is none. `samples` are every
    run, in the order run."""

    seek: Seek
    round: int  # the round the goal looks at
    grid: Grid
    outcome: SeekOutcome
    samples: list[Sample] = field(default_factory=list)
    answer: Sample | None = None
    failing: Sample | None = None
    run: RunResult | None = None
    problem: ModelError | None = None

    @property
    def runs(self) -> int:
        return len(self.samples)

    @property
    def samples_by_value(self) -> list[Sample]:
        return sorted(self.samples, key=lambda sample: sample.value)

    @property
    def finds_smallest(self) -> bool:
        """The goal holds from the answer up (else from the answer down)."""
        return self.answer is not None and self.answer.value > self.failing.value


def seek_definition(
    definition: str,
    seek: Seek,
    rounds: int | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> SeekResult:
    """Search for the seek's answer; rounds default to the goal's round. Raise ModelError when
    the model or the request is wrong, before anything runs; a search without an answer is a
    result with a problem."""
    if rounds is None:
        rounds = seek.goal.round
    parsed = parse_definition(definition, rounds, overrides, limits)
    wanted = f"values in {seek.bounds}" if seek.bounds else "the values searched"
    check_varied(parsed, seek.stock, wanted, overrides)
    round_number = _goal_round(seek, parsed.rounds)
    column = _target_column(parsed, seek.goal.target)
    grid = _grid(seek, parsed.starting_value(seek.stock))
    return _Search(parsed, seek, round_number, column, grid).result()


def _goal_round(seek: Seek, rounds: int) -> int:
    wanted = seek.goal.round
    if wanted is None:
        return rounds
    if wanted > rounds:
        raise ModelError(
            f"The goal looks at round {wanted}, but the runs end at round {rounds}.",
            hint=f"Run at least {wanted} rounds.",
        )
    return wanted


def _target_column(parsed: ParsedDefinition, target: str) -> int:
    """Where the goal's stock is in each row."""
    visible = parsed.visible_stocks
    if target in visible:
        return visible.index(target) + 1
    if target in stock_names(parsed.definition.split("\n")):
        raise ModelError(
            f"`{target}` is an infinite stock: it is always infinite, so no goal on it changes.",
            hint="Set the goal on a stock without brackets.",
        )
    raise ModelError(
        f"There is no stock called `{target}` to set a goal on.",
        hint=unknown_stock_hint(target, visible),
    )


def _grid(seek: Seek, start: Value) -> Grid:
    with localcontext(EXACT):
        return _exact_grid(seek, start)


def _exact_grid(seek: Seek, start: Value) -> Grid:
    bounds = seek.bounds or _default_bounds(seek.stock, start)
    low, high = bounds.start, bounds.stop
    if low == high:
        raise ModelError(
            f"The range `{bounds}` holds one value; a search needs two ends.",
            hint="Give a range from a lower value to a higher one.",
        )
    whole = isinstance(start, int) and is_whole(low) and is_whole(high)
    step = bounds.step or (Decimal(1) if whole else _default_step(low, high))
    size = int((high - low) // step)
    if size < 1:
        raise ModelError(
            f"The step in `{bounds}` is wider than the range.", hint="Use a smaller step."
        )
    for end in (low + 0 * step, low + size * step):  # `+ 0 * step` gives low the step's places
        checked_digits(end)
    return Grid(low, step, size)


def _default_bounds(stock: str, start: Value) -> ValueRange:
    """From 0 to ten times the start, and at least to 100 (to 1 for a decimal)."""
    if not (isinstance(start, int) or math.isfinite(start)) or abs(start) >= _FARTHEST_START:
        raise ModelError(
            f"`{stock}` starts at {start}, too far out to choose a range around it.",
            hint="Give the range to search.",
        )
    ten_times = 10 * Decimal(f"{start:.3g}")
    top = Decimal(100) if isinstance(start, int) else Decimal(1)
    return ValueRange(min(Decimal(0), ten_times), max(top, ten_times))


def _default_step(low: Decimal, high: Decimal) -> Decimal:
    """About a thousandth of the range, a power of ten, and no coarser than the ends."""
    step = Decimal(1).scaleb((high - low).adjusted() - 3)
    finest_end = min(low.as_tuple().exponent, high.as_tuple().exponent)
    return min(step, Decimal(1).scaleb(finest_end))


class _Search:
    """One search's runs: every sample by grid index, and the runs at the two values the edge
    lies between (the others are let go: a run can hold a thousand rounds of stocks)."""

    def __init__(
        self, parsed: ParsedDefinition, seek: Seek, round_number: int, column: int, grid: Grid
    ):
        self.parsed, self.seek, self.grid = parsed, seek, grid
        self.round, self.column = round_number, column
        self.samples: dict[int, Sample] = {}
        self.kept: dict[int, RunResult] = {}

    def result(self) -> SeekResult:
        try:
            return self._search()
        except ModelError as problem:  # a run that can't tell: the search stops there
            return self._unanswered(SeekOutcome.STOPPED, problem)

    def _search(self) -> SeekResult:
        probes = sorted({step * self.grid.size // (PROBES - 1) for step in range(PROBES)})
        held = [(index, self._sample(index).holds) for index in probes]
        changes = [(a, b) for (a, held_a), (b, held_b) in pairwise(held) if held_a != held_b]
        if not changes:
            outcome = SeekOutcome.HOLDS_EVERYWHERE if held[0][1] else SeekOutcome.HOLDS_NOWHERE
            return self._unanswered(outcome, self._no_edge(outcome))
        if len(changes) > 1:
            return self._unanswered(
                SeekOutcome.NOT_MONOTONIC, self._no_edge(SeekOutcome.NOT_MONOTONIC)
            )
        low, high = changes[0]
        low_holds = self.samples[low].holds
        while high - low > 1:
            self.kept = {index: self.kept[index] for index in (low, high)}
            middle = (low + high) // 2
            if self._sample(middle).holds == low_holds:
                low = middle
            else:
                high = middle
        answer, failing = (low, high) if low_holds else (high, low)
        return SeekResult(
            self.seek,
            self.round,
            self.grid,
            SeekOutcome.FOUND,
            list(self.samples.values()),
            self.samples[answer],
            self.samples[failing],
            self.kept[answer],
        )

    def _sample(self, index: int) -> Sample:
        """Run at the grid's `index`th value; raise ModelError when the run can't tell whether
        the goal holds there."""
        spent = self.parsed.time_spent() if self.samples else None  # the first always starts
        if spent:
            raise self._out_of_time(spent)
        value = self.grid.value(index)
        self.samples[index] = Sample(value)
        scenario = run_scenario(self.parsed, self.seek.stock, value)
        here = f"With `{self.seek.stock}={value}`"
        if scenario.error is not None:
            error = scenario.error
            raise replace(error, message=f"{here} the model can't run: {error.message}")
        rows = scenario.result.rows
        if len(rows) <= self.round:
            spent = self.parsed.time_spent()
            if spent:
                raise self._out_of_time(spent)
            raise ModelError(
                f"{here} the run ends before round {self.round}. {scenario.result.warnings[-1]}",
                hint=f"Search a range where the model runs to round {self.round}.",
            )
        reached = rows[self.round][self.column]
        self.samples[index] = Sample(value, reached, self.seek.goal.holds(reached))
        self.kept[index] = scenario.result
        return self.samples[index]

    def _out_of_time(self, spent: str) -> ModelError:
        return ModelError(
            f"The search stopped after {len(self.samples)} runs: {spent}.",
            hint="Search a narrower range, or run fewer rounds.",
        )

    def _no_edge(self, outcome: SeekOutcome) -> ModelError:
        goal, stock = f"`{self.seek.goal}` at round {self.round}", f"`{self.seek.stock}`"
        tried = f"from {self.grid.value(0)} to {self.grid.high}"
        if outcome is SeekOutcome.HOLDS_EVERYWHERE:
            message = f"{goal} holds for every value of {stock} tried {tried}, so it has no edge."
            hint = "Search a wider range."
        elif outcome is SeekOutcome.HOLDS_NOWHERE:
            message = f"{goal} holds for no value of {stock} tried {tried}."
            hint = f"Search a wider range, or check that `{self.seek.goal.target}` depends on it."
        else:
            message = (
                f"{goal} holds for some values of {stock} {tried} and fails for others in "
                "between, so there is no one edge to find."
            )
            hint = "Search a narrower range, where the goal changes once."
        return ModelError(message, hint=hint)

    def _unanswered(self, outcome: SeekOutcome, problem: ModelError) -> SeekResult:
        samples = list(self.samples.values())
        return SeekResult(self.seek, self.round, self.grid, outcome, samples, problem=problem)
