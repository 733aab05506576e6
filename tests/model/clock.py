"""A clock a test controls for the model layer's time budget, and a count of `systems`' work.

`run_definition` reads this thread's CPU time (`time.thread_time()`) and wall-clock time
(`time.monotonic()`) when its budget starts, before it reads the definition, and the wall clock
before each round (CPU time too, once the wall clock says the budget could be spent). With real
time there, where a budget stops a run would depend on the machine's speed and load; with a
WorkClock, it depends only on the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from systems.models import Formula, State

from bot.model import run as run_module


class WorkClock:
    """time for bot.model.run whose clocks move only when `systems` works: CPU time by
    `per_round` seconds each round it computes, and wall-clock time `busy` times as much (1 on
    an idle machine; more where other threads take turns on the CPU). At zero it stands still,
    and no budget ever runs out."""

    def __init__(self, per_round: float = 0.0, busy: float = 1.0):
        self.cpu = self.wall = 0.0
        self.per_round, self.busy = per_round, busy

    def work(self, seconds: float) -> None:
        """`seconds` of CPU time spent."""
        self.cpu += seconds
        self.wall += seconds * self.busy

    def thread_time(self) -> float:
        return self.cpu

    def monotonic(self) -> float:
        return self.wall


@contextmanager
def work_clock(per_round: float = 0.0, busy: float = 1.0) -> Iterator[WorkClock]:
    """Run the model layer by a WorkClock until the block ends."""
    clock = WorkClock(per_round, busy)
    advance = State.advance

    def timed_advance(state):
        clock.work(clock.per_round)
        return advance(state)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_module, "time", clock)
        patch.setattr(State, "advance", timed_advance)
        yield clock


@contextmanager
def systems_work() -> Iterator[Counter]:
    """Count what `systems` computes until the block ends: formulas evaluated, states built
    (each computes every initial value) and rounds advanced. An empty count means nothing ran,
    however slow or fast the machine."""
    work: Counter = Counter()
    compute, build, advance = Formula.compute, State.__init__, State.advance

    def counted_compute(formula, *args, **kwargs):
        work["formulas"] += 1
        return compute(formula, *args, **kwargs)

    def counted_build(state, *args, **kwargs):
        work["states"] += 1
        return build(state, *args, **kwargs)

    def counted_advance(state):
        work["rounds"] += 1
        return advance(state)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Formula, "compute", counted_compute)
        patch.setattr(State, "__init__", counted_build)
        patch.setattr(State, "advance", counted_advance)
        yield work
