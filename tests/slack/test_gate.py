"""The gate's memory of signed requests: what a replay is told, for how long it is kept, and
that it stays within its bound, however many requests come (tracemalloc counts the bytes)."""

from __future__ import annotations

import hashlib
import tracemalloc

from bot.slack.gate import SIGNATURE_WINDOW_SECONDS, Replays, Seen

SIGNED_AT = 1_700_000_000


class Clock:
    def __init__(self) -> None:
        self.now = float(SIGNED_AT)

    def __call__(self) -> float:
        return self.now


def signature(number: int) -> str:
    return "v0=" + hashlib.sha256(str(number).encode()).hexdigest()


def test_a_request_is_new_then_in_flight_then_handled() -> None:
    replays = Replays(Clock())
    assert replays.claim(signature(1), SIGNED_AT) is Seen.NEW
    assert replays.claim(signature(1), SIGNED_AT) is Seen.IN_FLIGHT
    replays.settle(signature(1), handled=True)
    assert replays.claim(signature(1), SIGNED_AT) is Seen.HANDLED
    assert replays.claim(signature(2), SIGNED_AT) is Seen.NEW


def test_a_request_answered_other_than_2xx_is_forgotten_so_slacks_retry_is_served() -> None:
    replays = Replays(Clock())
    replays.claim(signature(1), SIGNED_AT)
    replays.settle(signature(1), handled=False)
    assert replays.claim(signature(1), SIGNED_AT) is Seen.NEW


def test_a_signature_is_forgotten_once_slack_no_longer_accepts_its_timestamp() -> None:
    clock = Clock()
    replays = Replays(clock)
    replays.claim(signature(1), SIGNED_AT)
    replays.settle(signature(1), handled=True)

    clock.now += SIGNATURE_WINDOW_SECONDS + 1
    replays.claim(signature(2), int(clock.now))

    assert len(replays) == 1  # only the new one
    assert replays.claim(signature(1), SIGNED_AT) is Seen.NEW


def test_a_signature_that_is_not_hex_is_kept_whole() -> None:
    replays = Replays(Clock())
    assert replays.claim("v1=not-hex", SIGNED_AT) is Seen.NEW
    assert replays.claim("v1=not-hex", SIGNED_AT) is Seen.IN_FLIGHT


def test_the_memory_of_requests_is_bounded_and_small() -> None:
    capacity = 2000
    replays = Replays(Clock(), capacity=capacity)
    signatures = [signature(n) for n in range(5 * capacity)]

    def serve(batch: list[str]) -> int:
        """Bytes held after handling `batch`."""
        for text in batch:
            replays.claim(text, SIGNED_AT)
            replays.settle(text, handled=True)
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        full = serve(signatures[:capacity]) - start
        later = [
            serve(signatures[n : n + capacity]) - start
            for n in range(capacity, 5 * capacity, capacity)
        ]
    finally:
        tracemalloc.stop()

    assert len(replays) <= capacity
    assert full / capacity < 200  # bytes a request
    # Four times as many more requests: only the table's size moves, as it is compacted.
    assert max(later) < 1.6 * full
