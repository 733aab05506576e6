"""What a reply says: a run, a sweep or a seek (compared with the one before it, for a rerun), a
model's error, the short guide, or that an edit took the model away; and the run to do to get
them. Also the CSV a result's button uploads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from bot.chat.reader import ModelRequest
from bot.chat.rerun import Rerun
from bot.logs import Outcome
from bot.model import (
    Limits,
    ModelError,
    RunResult,
    Seek,
    SeekResult,
    Sweep,
    SweepResult,
    run_definition,
    seek_definition,
    sweep_definition,
)
from bot.model.diff import StockChange, compare_runs
from bot.model.scenario_syntax import starting_text
from bot.model.systems_adapter import Value
from bot.render.blocks import (
    Fallback,
    error_message,
    no_model_message,
    run_message,
    seek_message,
    sweep_message,
)
from bot.render.data import result_csv, sweep_csv
from bot.render.text import ran_scenarios
from bot.render.views import help_message
from bot.slack.stored import StoredMany, StoredRun, run_metadata

# The limits for a model run started now: a request's runs share its deadline.
RunLimits = Callable[[], Limits]


@dataclass(frozen=True)
class RunAnswer:
    result: RunResult
    heading: str | None = None
    # A rerun's comparison with the run before it (empty when that one no longer runs); None
    # for a first run.
    changes: list[StockChange] | None = None
    outcome: ClassVar[Outcome] = Outcome.OK

    @property
    def rerun(self) -> bool:
        return self.changes is not None

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return run_message(
            self.result,
            heading=self.heading,
            changes=self.changes,
            fallback=fallback,
            max_rounds=max_rounds,
        )

    def metadata(self, source_ts: str = "") -> dict:
        result = self.result
        return run_metadata(result.definition, result.rounds, source_ts, "run", result)


@dataclass(frozen=True)
class _ManyAnswer:
    """A sweep or a seek. Its metadata keeps the definition as sent and the options given with
    it apart, so that a rerun can vary the same stock again."""

    result: SweepResult | SeekResult
    definition: str
    rounds: int
    overrides: dict[str, str]
    heading: str | None = None
    rerun: bool = False
    outcome: ClassVar[Outcome] = Outcome.OK

    def metadata(self, source_ts: str = "") -> dict:
        stored = StoredMany.of(self.result, self.overrides)
        return run_metadata(self.definition, self.rounds, source_ts, "run", many=stored)


@dataclass(frozen=True)
class SweepAnswer(_ManyAnswer):
    """A sweep; a rerun of one compares each scenario with the sweep before (`before`: its
    final values, when it kept them)."""

    result: SweepResult
    before: Mapping[Value, Mapping[str, object]] | None = None

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return sweep_message(
            self.result,
            heading=self.heading,
            before=self.before,
            fallback=fallback,
            max_rounds=max_rounds,
        )


@dataclass(frozen=True)
class SeekAnswer(_ManyAnswer):
    """A goal seek; a rerun of one says how the answer moved from `before`, the answer of
    the seek before it."""

    result: SeekResult
    before: Value | None = None

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return seek_message(
            self.result,
            heading=self.heading,
            before=self.before,
            rerun=self.rerun,
            fallback=fallback,
            max_rounds=max_rounds,
        )


@dataclass(frozen=True)
class ErrorAnswer:
    error: ModelError
    definition: str  # as the user sent it, echoed back so that nothing is lost
    rounds: int = 0
    heading: str | None = None
    outcome: ClassVar[Outcome] = Outcome.MODEL_ERROR

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return error_message(self.error, self.definition, self.heading)

    def metadata(self, source_ts: str = "") -> dict:
        return run_metadata(self.definition, self.rounds, source_ts, "error")


@dataclass(frozen=True)
class HelpAnswer:
    outcome: ClassVar[Outcome] = Outcome.HELP

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return help_message(with_editor_button=False)

    def metadata(self, source_ts: str = "") -> dict:
        return run_metadata("", 0, source_ts, "help")


@dataclass(frozen=True)
class NoModelAnswer:
    """The answer to an edit that took the model out of a message the bot had answered."""

    heading: str
    outcome: ClassVar[Outcome] = Outcome.REMOVED

    def render(self, fallback: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        return no_model_message(self.heading)

    def metadata(self, source_ts: str = "") -> dict:
        return run_metadata("", 0, source_ts, "removed")


ResultAnswer = RunAnswer | SweepAnswer | SeekAnswer
Answer = ResultAnswer | ErrorAnswer | HelpAnswer | NoModelAnswer


def is_rerun(answer: Answer) -> bool:
    """A result that reruns an earlier one, for the logs."""
    return isinstance(answer, ResultAnswer) and answer.rerun


@dataclass(frozen=True)
class ModelRun:
    """A run to do (or a sweep or a seek: `many`): a definition with its options, and the
    earlier run to compare it with."""

    definition: str
    rounds: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    earlier: StoredRun | None = None
    heading: str | None = None
    many: Sweep | Seek | None = None

    @classmethod
    def of(cls, request: ModelRequest, heading: str | None = None) -> ModelRun:
        return cls(
            request.definition,
            request.rounds,
            request.overrides,
            heading=heading,
            many=request.many,
        )

    @classmethod
    def rerunning(cls, earlier: StoredRun, rerun: Rerun, heading: str) -> ModelRun:
        """The earlier run with the changes a thread reply or a button asks for. A sweep or a
        seek is run again unless the reply asks for another, or gives the stock it varies one
        value (then that one run is what is asked)."""
        definition, rounds = rerun.apply(earlier.definition, earlier.rounds)
        kept = earlier.many
        overrides = {**(kept.overrides if kept else {}), **rerun.overrides}
        many = rerun.many or (kept.many if kept else None)
        if rerun.many is None and many is not None and many.stock in rerun.overrides:
            many = None
        elif many is not None:
            overrides.pop(many.stock, None)  # the new sweep or seek varies it
        if isinstance(rerun.many, Seek) and rerun.rounds is None and rerun.many.goal.round:
            rounds = rerun.many.goal.round  # as a first seek runs to its goal's round
        return cls(definition, rounds, overrides, earlier, heading, many)

    def run(self, limits: RunLimits) -> ResultAnswer:
        """The result, compared with the earlier one; ModelError when the model can't run."""
        if isinstance(self.many, Sweep):
            return self._sweep(self.many, limits)
        if isinstance(self.many, Seek):
            return self._seek(self.many, limits)
        result = run_definition(self.definition, self.rounds, self.overrides, limits())
        changes = None if self.earlier is None else changes_since(self.earlier, result, limits)
        return RunAnswer(result, self.heading, changes)

    def _sweep(self, sweep: Sweep, limits: RunLimits) -> SweepAnswer:
        run_limits = limits()
        result = sweep_definition(self.definition, sweep, self.rounds, self.overrides, run_limits)
        ran = ran_scenarios(result)
        rounds = ran[0].result.rounds if ran else self.rounds or run_limits.default_rounds
        kept = self.earlier.many if self.earlier else None
        before = kept.finals if kept and isinstance(kept.many, Sweep) else None
        before = before if kept and kept.many.stock == sweep.stock else None
        return SweepAnswer(
            result,
            self.definition,
            rounds,
            self.overrides,
            self.heading,
            rerun=self.earlier is not None,
            before=before,
        )

    def _seek(self, seek: Seek, limits: RunLimits) -> SeekAnswer:
        result = seek_definition(self.definition, seek, self.rounds, self.overrides, limits())
        rounds = self.rounds if self.rounds is not None else result.round
        kept = self.earlier.many if self.earlier else None
        compared = kept is not None and isinstance(kept.many, Seek)
        before = kept.found if compared else None
        return SeekAnswer(
            result,
            self.definition,
            rounds,
            self.overrides,
            self.heading,
            rerun=compared,
            before=before,
        )

    def answer(self, limits: RunLimits) -> ResultAnswer | ErrorAnswer:
        """The result, or the error with the definition echoed."""
        try:
            return self.run(limits)
        except ModelError as error:
            return ErrorAnswer(error, self.definition, self.rounds or 0, self.heading)


def changes_since(earlier: StoredRun, result: RunResult, limits: RunLimits) -> list[StockChange]:
    """The new run compared with the earlier one as its reply remembers it. Only when that can't
    tell where the two part is the earlier definition run again (runs are deterministic). After
    a sweep or a seek there is no one run to compare with: nothing."""
    if earlier.many is not None:
        return []
    snapshot = earlier.snapshot
    before = None if snapshot is None else snapshot.before(result, earlier.definition)
    if before is None:
        try:
            before = run_definition(earlier.definition, earlier.rounds, None, limits())
        except ModelError:
            return []
    return compare_runs(before, result)


@dataclass(frozen=True)
class CsvFile:
    """What a result's CSV button uploads."""

    content: str
    filename: str
    title: str
    comment: str


def csv_of(stored: StoredRun, limits: Limits) -> CsvFile:
    """The CSV of the result a reply shows, run again from what it remembers: one run's rows; a
    sweep's, every scenario's with a scenario column; a seek's, the run at the value found.
    ModelError when it no longer runs."""
    many = stored.many
    if many is None:
        return _run_csv(run_definition(stored.definition, stored.rounds, None, limits))
    if isinstance(many.many, Sweep):
        swept = sweep_definition(
            stored.definition, many.many, stored.rounds, many.overrides, limits
        )
        rounds, stock = stored.rounds, many.many.stock
        return CsvFile(
            sweep_csv(swept),
            f"sysbot-sweep-{stock}-{rounds}-rounds.csv",
            f"Sweep of {stock}: {_count(len(swept.scenarios), 'scenario')}, {rounds} rounds",
            "Every scenario's rounds and stocks at full precision, with a scenario column.",
        )
    if many.found is None:
        raise ModelError("This seek found no value, so there is no run to download.")
    found = {**many.overrides, many.many.stock: starting_text(many.found)}
    return _run_csv(run_definition(stored.definition, stored.rounds, found, limits))


def _run_csv(result: RunResult) -> CsvFile:
    rounds = len(result.rows) - 1
    return CsvFile(
        result_csv(result),
        f"sysbot-{rounds}-rounds.csv",
        f"Model run: {_count(len(result.stocks), 'stock')}, {rounds} rounds",
        "The full result, every round and stock at full precision.",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
