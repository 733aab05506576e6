"""Diagnosing a model takes time in proportion to its length, whatever its shape: the user's
text is never scanned by a pattern that can backtrack (issue 11).

Each shape is run at two sizes and timed in this thread's CPU time; the test compares the two
times with each other, never with a clock. Linear work takes about 4 times as long for 4 times
the text, a quadratic scan 16 times.
"""

from __future__ import annotations

import time
import timeit

import pytest

from bot.model import ModelError, run_definition

SMALL, LARGE = 5_000, 20_000
MOST_GROWTH = 10.0

SHAPES = {
    "rounds option then spaces": lambda n: "rounds" + " " * (n - 10) + "x y!",
    "value option then spaces": lambda n: "Hires" + " " * (n - 10) + "= x!",
}


def _cpu_seconds(text: str) -> float:
    def run() -> None:
        try:
            run_definition(text, 1)
        except ModelError:
            pass

    return min(timeit.repeat(run, timer=time.thread_time, number=1, repeat=3))


@pytest.mark.parametrize("shape", SHAPES)
def test_diagnosis_is_linear_in_the_length_of_the_model(shape):
    small, large = (_cpu_seconds(SHAPES[shape](size)) for size in (SMALL, LARGE))
    assert large < MOST_GROWTH * max(small, 1e-4)
