"""Sweeps: one model run from several starting values of one stock, parsed once, in one budget.

In `systems` a parameter is a stock that formulas read (`Recruiters(2)` and
`[Candidates] > Screens @ Recruiters * 5`), so varying a stock's starting value covers rates and
parameters as well as initial populations. Every scenario's rows are what `systems` computes
from the definition edited to start the stock at that value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.model.edit import check_settable
from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.run import ParsedDefinition, RunResult, parse_definition, run_parsed
from bot.model.scenario_syntax import Sweep, starting_text
from bot.model.source import stock_names
from bot.model.systems_adapter import Value


@dataclass(frozen=True)
class Scenario:
    """One run of a sweep: its stock starting at `value`. A run that fails has an `error`
    instead of a `result`, and the other scenarios still run."""

    value: Value
    result: RunResult | None = None
    error: ModelError | None = None


@dataclass
class SweepResult:
    """The scenarios that ran, in the order asked; fewer than asked when the budget ran out."""

    sweep: Sweep
    scenarios: list[Scenario]
    warnings: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return len(self.scenarios) < len(self.sweep.values)


def sweep_definition(
    definition: str,
    sweep: Sweep,
    rounds: int | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> SweepResult:
    """Run `definition` once for each of the sweep's values; raise ModelError when the model or
    the request is wrong, before anything runs."""
    parsed = parse_definition(definition, rounds, overrides, limits)
    check_varied(parsed, sweep.stock, ", ".join(map(str, sweep.values)), overrides)
    result = SweepResult(sweep, [])
    for value in sweep.values:
        spent = parsed.time_spent() if result.scenarios else None  # the first always starts
        if spent:
            result.warnings.append(
                f"Stopped after {len(result.scenarios)} of {len(sweep.values)} scenarios: {spent}."
            )
            break
        result.scenarios.append(run_scenario(parsed, sweep.stock, value))
    return result


def check_varied(
    parsed: ParsedDefinition, stock: str, wanted: str, overrides: Mapping[str, str] | None
) -> None:
    """Refuse to vary a stock the model can't start elsewhere, or one also given one value."""
    check_settable(stock, wanted, stock_names(parsed.definition.split("\n")))
    if overrides and stock in overrides:
        raise ModelError(
            f"`{stock}` is given one value ({overrides[stock]}) and several ({wanted}).",
            hint="Give it one or the other.",
        )


def run_scenario(parsed: ParsedDefinition, stock: str, value: Value) -> Scenario:
    try:
        return Scenario(value, run_parsed(parsed, {stock: starting_text(value)}))
    except ModelError as error:  # this value breaks the model (say, a division by it)
        return Scenario(value, error=error)
