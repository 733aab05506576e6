"""What a reply says: a run (compared with the run before it, for a rerun), a model's error,
the short guide, or that an edit took the model away; and the run to do to get the first two."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from bot.chat.reader import ModelRequest
from bot.chat.rerun import Rerun
from bot.logs import Outcome
from bot.model import Limits, ModelError, RunResult, run_definition
from bot.model.diff import StockChange, compare_runs
from bot.render.blocks import Fallback, error_message, no_model_message, run_message
from bot.render.views import help_message
from bot.slack.stored import StoredRun, run_metadata

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


Answer = RunAnswer | ErrorAnswer | HelpAnswer | NoModelAnswer


@dataclass(frozen=True)
class ModelRun:
    """A run to do: a definition with its options, and the earlier run to compare it with."""

    definition: str
    rounds: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    earlier: StoredRun | None = None
    heading: str | None = None

    @classmethod
    def of(cls, request: ModelRequest, heading: str | None = None) -> ModelRun:
        return cls(request.definition, request.rounds, request.overrides, heading=heading)

    @classmethod
    def rerunning(cls, earlier: StoredRun, rerun: Rerun, heading: str) -> ModelRun:
        """The earlier run with the changes a thread reply or a button asks for."""
        definition, rounds = rerun.apply(earlier.definition, earlier.rounds)
        return cls(definition, rounds, rerun.overrides, earlier, heading)

    def run(self, limits: RunLimits) -> RunAnswer:
        """The result, compared with the earlier run; ModelError when the model can't run."""
        result = run_definition(self.definition, self.rounds, self.overrides, limits())
        changes = None if self.earlier is None else changes_since(self.earlier, result, limits)
        return RunAnswer(result, self.heading, changes)

    def answer(self, limits: RunLimits) -> RunAnswer | ErrorAnswer:
        """The result, or the error with the definition echoed."""
        try:
            return self.run(limits)
        except ModelError as error:
            return ErrorAnswer(error, self.definition, self.rounds or 0, self.heading)


def changes_since(earlier: StoredRun, result: RunResult, limits: RunLimits) -> list[StockChange]:
    """The new run compared with the earlier one as its reply remembers it. Only when that can't
    tell where the two part is the earlier definition run again (runs are deterministic)."""
    snapshot = earlier.snapshot
    before = None if snapshot is None else snapshot.before(result, earlier.definition)
    if before is None:
        try:
            before = run_definition(earlier.definition, earlier.rounds, None, limits())
        except ModelError:
            return []
    return compare_runs(before, result)
