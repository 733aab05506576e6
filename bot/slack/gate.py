"""What a Slack request passes before Bolt reads it: a signature over its raw bytes, and no
replay of one already handled.

Bolt parses a body (a form of 262,000 fields takes a quarter of a second) before its own
signature check, so the check happens here first and Bolt's is switched off. A request Slack
signed is valid for 5 minutes; within them, the same signed request sent again is answered
without being acted on: a `/model` or a click would otherwise run again each time. Slack resends
only events, and only when it saw no 2xx, so only an answer in the 2xx range marks a request
handled; an event resent while its first delivery is still being handled goes on to Bolt, where
the message's own guard (bot/slack/answering/dedupe.py) decides.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from enum import Enum

from slack_sdk.signature import Clock, SignatureVerifier

SIGNATURE_WINDOW_SECONDS = 300  # Slack's, and slack_sdk's check: a timestamp 5 minutes off fails
REPLAY_CAPACITY = 50_000  # signatures kept at most; far beyond what one instance serves in 5 min


class Seen(Enum):
    """What the gate knows of a signed request."""

    NEW = "new"
    IN_FLIGHT = "in_flight"  # the same request is being handled now
    HANDLED = "handled"  # answered 2xx already


class Replays:
    """Signatures of requests seen within Slack's 5-minute window, and whether each was handled."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._seen: OrderedDict[str, tuple[float, Seen]] = OrderedDict()  # expiry, state
        self._lock = threading.Lock()

    def claim(self, signature: str, timestamp: int) -> Seen:
        """NEW (and now in flight) the first time a signature comes; what it is, after."""
        with self._lock:
            self._expire()
            held = self._seen.get(signature)
            if held is not None:
                return held[1]
            self._seen[signature] = (timestamp + SIGNATURE_WINDOW_SECONDS, Seen.IN_FLIGHT)
            return Seen.NEW

    def settle(self, signature: str, handled: bool) -> None:
        """A claimed request was answered: kept as handled after a 2xx, forgotten otherwise so
        that Slack's retry of it is served."""
        with self._lock:
            held = self._seen.pop(signature, None)
            if held is not None and handled:
                self._seen[signature] = (held[0], Seen.HANDLED)

    def _expire(self) -> None:
        now = self._clock()
        while self._seen and (
            len(self._seen) >= REPLAY_CAPACITY or next(iter(self._seen.values()))[0] < now
        ):
            self._seen.popitem(last=False)


class Gate:
    """The signature and replay checks, on the raw body."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret
        self._verifier = SignatureVerifier(signing_secret or "unset", _CallableClock(clock))
        self.replays = Replays(clock)

    def signature(self, body: bytes, headers: Mapping[str, str]) -> tuple[str, int] | None:
        """The request's signature and timestamp when Slack signed this body, else None."""
        timestamp = headers.get("X-Slack-Request-Timestamp")
        signature = headers.get("X-Slack-Signature")
        if not (self._secret and timestamp and signature):
            return None
        try:
            valid = self._verifier.is_valid(body, timestamp, signature)
            return (signature, int(timestamp)) if valid else None
        # A timestamp that is no number, a body that is no text, a signature that is no ASCII.
        except (ValueError, UnicodeDecodeError, TypeError):
            return None


class _CallableClock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()
