"""Injected failures, so tests can prove the bot survives Slack's bad moments.

A fault belongs to a Web API method ("chat.postMessage").
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass

DEFAULT_SLOW_DELAY = 2.0


@dataclass(frozen=True)
class Fault:
    """How to misbehave on one request. Exactly one of ``status``, ``drop``, ``delay`` applies."""

    status: int | None = None
    retry_after: int | None = None
    drop: bool = False  # close the connection without answering; the call is not performed
    delay: float = 0.0  # perform the call, then answer this many seconds late


class FaultPlan:
    """Queued one-off faults per method, an outage that fails every call until it ends, and
    optional random faults on every call."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[Fault]] = defaultdict(deque)
        self.outage: Fault | None = None
        self._random: random.Random | None = None
        self._rate = 0.0
        self._slow_delay = DEFAULT_SLOW_DELAY

    def queue(self, route: str, fault: Fault, times: int = 1) -> None:
        self._queued[route].extend([fault] * times)

    def set_random(self, rate: float, seed: int | None, slow_delay: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, got {rate}")
        self._rate = rate
        self._random = random.Random(seed) if rate else None
        self._slow_delay = slow_delay

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if any; queued faults come before an outage, and an outage
        before random faults."""
        queued = self._queued.get(method)
        if queued:
            return queued.popleft()
        if self.outage is not None:
            return self.outage
        if self._random is not None and self._random.random() < self._rate:
            return self._random.choice(self._random_kinds())
        return None

    def clear(self) -> None:
        self._queued.clear()
        self.outage = None
        self._random = None
        self._rate = 0.0

    def _random_kinds(self) -> list[Fault]:
        return [
            Fault(status=429, retry_after=1),
            Fault(status=500),
            Fault(drop=True),
            Fault(delay=self._slow_delay),
        ]
