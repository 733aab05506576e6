"""Reading chat text takes time in proportion to its length, whatever its shape (issue 11):
nothing that scans user text may backtrack.

Each hostile shape is read at 10,000 and 40,000 characters in a child process, timed in the
reading thread's CPU time (other work on the machine does not count). The test compares the
two times with each other, never with a clock: linear reading takes about 4 times as long for 4
times the text; the patterns this replaced took 16 to 64 times as long. A hang guard of 15 s of
CPU per shape, far beyond any honest run, stops the patterns this replaced, which took seconds
to hours on 40,000 characters while holding the GIL (Python's regular expressions check for
signals, so the guard's alarm stops even a pattern mid-match).

`python -m tests.chat.test_linear_time` prints the figures.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import timeit

import pytest

from bot.chat.reader import looks_like_model, read_request
from bot.chat.rerun import read_rerun
from bot.model import ModelError
from tests.chat.hostile import SHAPES
from tests.servers import REPO

SMALL, LARGE = 10_000, 40_000
# Linear reading gives 4; a quadratic scan 16, a cubic one 64. Timing noise is well inside.
MOST_GROWTH = 10.0
HANG_GUARD_SECONDS = 15.0  # of CPU time per shape, in the child
REPEATS = 5


class _Hung(Exception):
    pass


def read_as_the_bot_does(text: str) -> None:
    """What the bot asks of a thread reply's text (bot.slack.answering.user_message): the
    request, whether it asks for a rerun, and whether it holds a model. Options it cannot read
    (`rounds 111…`) end the reading with a ModelError, as they end the bot's."""
    try:
        request = read_request(text)
        read_rerun(text)
        looks_like_model(request)
    except ModelError:
        pass


def seconds_to_read(text: str) -> float:
    return min(
        timeit.repeat(
            lambda: read_as_the_bot_does(text), timer=time.thread_time, number=1, repeat=REPEATS
        )
    )


def measure_all() -> None:
    """One line of JSON per shape: the seconds to read it at both sizes, or that it hung."""
    signal.signal(signal.SIGPROF, _hang)
    for name, shape in SHAPES.items():
        signal.setitimer(signal.ITIMER_PROF, HANG_GUARD_SECONDS)
        try:
            figures = {
                "small": seconds_to_read(shape(SMALL)),
                "large": seconds_to_read(shape(LARGE)),
            }
        except _Hung:
            figures = {"hung": True}
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        print(json.dumps({"shape": name, **figures}), flush=True)


def _hang(*_: object) -> None:
    raise _Hung


@pytest.fixture(scope="module")
def timings() -> dict[str, dict]:
    child = subprocess.run(
        [sys.executable, "-m", "tests.chat.test_linear_time", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS * (len(SHAPES) + 1),
        check=True,
    )
    return {line["shape"]: line for line in map(json.loads, child.stdout.splitlines())}


@pytest.mark.parametrize("shape", SHAPES)
def test_reading_grows_linearly_with_the_text(timings, shape):
    assert "hung" not in timings[shape], f"reading it took over {HANG_GUARD_SECONDS} s of CPU"
    growth = timings[shape]["large"] / timings[shape]["small"]
    assert growth < MOST_GROWTH, f"{LARGE // SMALL}x the text took {growth:.1f}x as long"


if __name__ == "__main__":
    if "--json" in sys.argv:
        measure_all()
    else:
        for name, shape in SHAPES.items():
            milliseconds = seconds_to_read(shape(LARGE)) * 1000
            print(f"{milliseconds:7.2f} ms  {name} ({LARGE:,} characters)")
