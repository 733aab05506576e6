"""What bare `systems` computes with a stock starting elsewhere, and a clock for budgets that
moves only when `systems` computes a round."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from systems.models import State
from systems.parse import parse

from bot.model import run as run_module
from bot.model.edit import apply_overrides
from bot.model.scenario_syntax import starting_text

from .oracle import prepared_lines, systems_run


def edited(definition: str, stock: str, value) -> str:
    """The definition as the user wrote it, prepared and edited to start `stock` at `value`."""
    return apply_overrides("\n".join(prepared_lines(definition)), {stock: starting_text(value)})


def systems_builds(definition: str) -> bool:
    """Whether `systems` parses and validates the definition (running it may still fail)."""
    try:
        parse(definition, tracebacks=False).validate()
    except Exception:
        return False
    return True


def systems_with(definition: str, stock: str, value, rounds: int):
    """(visible stocks, rows) from `systems`' own Model.run on the edited definition."""
    return systems_run(edited(definition, stock, value), rounds)


class RoundClock:
    """Stands in for the `time` module in bot.model.run, for both clocks its budget reads (CPU
    time and wall-clock time): it moves `per_round` seconds each round `systems` computes, and
    stands still otherwise, however often it is read."""

    def __init__(self, per_round: float):
        self.now, self.per_round = 0.0, per_round

    def monotonic(self) -> float:
        return self.now

    thread_time = monotonic


@contextmanager
def round_clock(per_round: float) -> Iterator[RoundClock]:
    clock = RoundClock(per_round)
    advance = State.advance

    def timed_advance(state):
        clock.now += clock.per_round
        return advance(state)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_module, "time", clock)
        patch.setattr(State, "advance", timed_advance)
        yield clock
