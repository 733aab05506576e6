"""Figure 5: our run (reading, limits, warnings) plus rendering, against bare `systems`."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable

from systems.parse import parse

from bench.report import INFO, Row, verdict
from bench.stats import ms, ratio
from bench.workload import CHAIN_200, MODEL_7
from bot.model import Limits, RunResult, run_definition
from bot.render.blocks import run_message
from bot.render.data import result_json

# Generous, so that no run is cut short and both sides do the same rounds.
LIMITS = Limits(time_budget_seconds=60)
TARGET_RATIO = 1.2
BATCH_SECONDS = 0.1
# CPU time of this thread: other tenants of a shared machine don't inflate it, wall time they do.
CLOCK = time.thread_time
CASES = [
    ("7 stocks, 10 rounds", MODEL_7, 10, False),
    ("7 stocks, 1,000 rounds", MODEL_7, 1000, True),
    ("200-stock chain, 100 rounds", CHAIN_200, 100, False),
]


def bare(definition: str, rounds: int) -> list:
    return parse(definition, tracebacks=False).run(rounds=rounds)


def run_only(definition: str, rounds: int) -> RunResult:
    return run_definition(definition, rounds, limits=LIMITS)


def ours(definition: str, rounds: int) -> tuple[dict, dict]:
    result = run_only(definition, rounds)
    return run_message(result, max_rounds=LIMITS.max_rounds), result_json(result)


def check_same_run(definition: str, rounds: int) -> None:
    """Both sides must compute every round, or the comparison means nothing."""
    result = run_only(definition, rounds)
    snapshots = bare(definition, rounds)
    if result.truncated or {len(result.rows), len(snapshots)} != {rounds + 1}:
        raise RuntimeError(f"the run was cut short: {result.warnings}")
    if result.rows[-1][1:] != [snapshots[-1][name] for name in result.stocks]:
        raise RuntimeError("our run and bare systems disagree on the last round")


def per_call_seconds(functions: dict[str, Callable[[], object]], repeats: int) -> dict:
    """timeit-style: per repeat, one batch of calls of each function, back to back (the order
    turning each repeat); CPU seconds per call, every repeat kept."""
    numbers = {name: _calibrate(function) for name, function in functions.items()}
    timings: dict[str, list[float]] = {name: [] for name in functions}
    names = list(functions)
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            timings[name].append(_batch(functions[name], numbers[name]))
    return timings


def paired_ratio(measured: list[float], baseline: list[float]) -> float:
    """Median of the per-repeat ratios: batches timed back to back share the machine's mood."""
    return round(statistics.median(m / b for m, b in zip(measured, baseline, strict=True)), 2)


def _calibrate(function: Callable[[], object]) -> int:
    started = CLOCK()
    function()
    once = CLOCK() - started
    return max(1, math.ceil(BATCH_SECONDS / max(once, 1e-6)))


def _batch(function: Callable[[], object], number: int) -> float:
    gc.collect()
    started = CLOCK()
    for _ in range(number):
        function()
    return (CLOCK() - started) / number


def case_row(name: str, definition: str, rounds: int, targeted: bool, repeats: int) -> Row:
    check_same_run(definition, rounds)
    timings = per_call_seconds(
        {
            "bare": lambda: bare(definition, rounds),
            "run": lambda: run_only(definition, rounds),
            "ours": lambda: ours(definition, rounds),
        },
        repeats,
    )
    figures = {key: round(ms(statistics.median(values)), 3) for key, values in timings.items()}
    overhead = paired_ratio(timings["ours"], timings["bare"])
    return Row(
        5,
        f"Model layer: {name}",
        f"ours {figures['ours']:.2f} ms",
        f"bare systems {figures['bare']:.2f} ms",
        overhead,
        f"≤ {TARGET_RATIO}x" if targeted else "—",
        verdict(overhead is not None and overhead <= TARGET_RATIO) if targeted else INFO,
        {
            "median_ms": figures,
            "ratio_of_medians": ratio(figures["ours"], figures["bare"]),
            "ratio": "median of per-repeat ratios",
            "rounds": rounds,
            "repeats": repeats,
        },
    )


def run(repeats: int) -> list[Row]:
    return [case_row(*case, repeats) for case in CASES]
