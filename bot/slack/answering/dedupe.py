"""An in-memory guard in front of the thread check: what this instance knows of a delivery."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from enum import Enum


class Claim(Enum):
    """What claiming a key found."""

    NEW = "new"  # first seen (or its earlier handling failed): this delivery handles it
    HANDLED = "handled"  # handled already: answered, or needing no answer
    IN_FLIGHT = "in_flight"  # still being handled, and not finished within the wait


class StillInFlight(Exception):
    """A repeat delivery came while the first was still being handled. It is not a duplicate
    until that handling has answered, and it may yet fail: so Slack is asked to retry later."""


class RecentKeys:
    """Keys claimed recently. A key is released if its handling failed, so a retry can redo it.

    A repeat that arrives while the key is still being handled (Slack retries after 3 s, while
    the first delivery may still be working) waits for that handling: if it fails, the repeat
    takes the key over; if it is still going when the wait ends, the repeat is told so, never
    that the message was answered.
    """

    def __init__(self, capacity: int = 4096, ttl_seconds: float = 600.0):
        self._keys: OrderedDict[str, tuple[float, Claim]] = OrderedDict()
        self._capacity = capacity
        self._ttl = ttl_seconds
        self._changed = threading.Condition()

    def claim(self, key: str, wait: float = 0.0) -> Claim:
        """NEW the first time a key is seen within the TTL, or once a failed handling of it
        released it within `wait` seconds; HANDLED or IN_FLIGHT for a repeat."""
        deadline = time.monotonic() + wait
        with self._changed:
            while True:
                now = time.monotonic()
                self._expire(now)
                held = self._keys.get(key)
                if held is None:
                    self._keys[key] = (now, Claim.IN_FLIGHT)
                    return Claim.NEW
                if held[1] is Claim.HANDLED or now >= deadline:
                    return held[1]
                self._changed.wait(deadline - now)

    def finish(self, key: str) -> None:
        """The key's handling is over: later repeats are dropped at once."""
        with self._changed:
            if key in self._keys:
                self._keys[key] = (self._keys[key][0], Claim.HANDLED)
            self._changed.notify_all()

    def release(self, key: str) -> None:
        with self._changed:
            self._keys.pop(key, None)
            self._changed.notify_all()

    def _expire(self, now: float) -> None:
        while self._keys and (
            len(self._keys) >= self._capacity
            or now - next(iter(self._keys.values()))[0] > self._ttl
        ):
            self._keys.popitem(last=False)
