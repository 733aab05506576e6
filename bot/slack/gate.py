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
    """Signatures of requests seen within Slack's 5-minute window, and whether each was handled.

    An instance keeps one for every Slack request of the last 5 minutes, so each is kept small:
    the signature's 32 digest bytes and the time it leaves the window (some 140 bytes in all,
    where the signature's text in an ordered dict took twice that)."""

    def __init__(self, clock: Callable[[], float] = time.time, capacity: int = REPLAY_CAPACITY):
        self._clock = clock
        self._capacity = capacity
        self._handled: dict[bytes, int] = {}  # digest: when it leaves the window; oldest first
        self._in_flight: dict[bytes, int] = {}  # as many as requests being handled at once
        self._lock = threading.Lock()

    def claim(self, signature: str, timestamp: int) -> Seen:
        """NEW (and now in flight) the first time a signature comes; what it is, after."""
        key = _digest(signature)
        with self._lock:
            self._expire()
            if key in self._in_flight:
                return Seen.IN_FLIGHT
            if key in self._handled:
                return Seen.HANDLED
            self._in_flight[key] = timestamp + SIGNATURE_WINDOW_SECONDS
            return Seen.NEW

    def settle(self, signature: str, handled: bool) -> None:
        """A claimed request was answered: kept as handled after a 2xx, forgotten otherwise so
        that Slack's retry of it is served."""
        key = _digest(signature)
        with self._lock:
            leaves = self._in_flight.pop(key, None)
            if leaves is not None and handled:
                self._handled[key] = leaves

    def __len__(self) -> int:
        with self._lock:
            return len(self._handled) + len(self._in_flight)

    def _expire(self) -> None:
        now, handled = self._clock(), self._handled
        while handled and (len(handled) >= self._capacity or next(iter(handled.values())) < now):
            del handled[next(iter(handled))]


def _digest(signature: str) -> bytes:
    """The HMAC a signature carries (Slack's are `v0=` and 64 hex digits), as bytes."""
    try:
        return bytes.fromhex(signature.partition("=")[2])
    except ValueError:  # not hex: a scheme other than v0, kept whole
        return signature.encode()


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
