"""The stand-in's injected delays on a clock the test controls.

`slack_standin.server` performs a delayed call, sleeps `Fault.delay` seconds, then answers. On
real time, whether "late" falls after something else the test is waiting for depends on the
machine's speed and load; here an answer waits for the test instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from slack_standin import server

# Only for waiting on other threads and processes: anything slower is a hang, on any machine.
HANG_GUARD_SECONDS = 20.0


class StandInDelays:
    """Stands in for `time` in slack_standin.server and records every delay the stand-in applies.
    Held, a delayed answer waits for release() instead of the clock; not held, it goes at once."""

    def __init__(self, held: bool):
        self.delays: list[float] = []
        self._released = not held
        self._changed = threading.Condition()

    def sleep(self, seconds: float) -> None:
        with self._changed:
            self.delays.append(seconds)
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._released, HANG_GUARD_SECONDS)

    def wait_until_held(self, count: int) -> None:
        """Return once `count` delayed calls have been performed and are waiting to answer."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.delays) >= count, HANG_GUARD_SECONDS):
                raise TimeoutError(f"{len(self.delays)} of {count} delayed calls arrived")

    def release(self) -> None:
        with self._changed:
            self._released = True
            self._changed.notify_all()

    def __getattr__(self, name: str):
        return getattr(time, name)  # whatever else the server may want of `time`


@contextmanager
def stand_in_delays(held: bool = True) -> Iterator[StandInDelays]:
    """Every stand-in in this process delays by a StandInDelays until the block ends; held
    answers are released then at the latest, so no request thread is left waiting."""
    delays = StandInDelays(held)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server, "time", delays)
        try:
            yield delays
        finally:
            delays.release()
