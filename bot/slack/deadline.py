"""One deadline per Slack request, covering its model runs and its Slack calls together.

Slack wants an answer within 3 s and Cloud Functions gives no CPU after the answer, so a request
does all its work first, within a budget a little under Slack's 3 s. A Slack call that cannot
finish in what is left (a 429 with a long Retry-After, a hang) is abandoned rather than waited
out: an event is then answered 5xx so that Slack's own retries carry it, and a command or a click
is told through its response_url. The clocks are injected, so that tests control time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.model import Limits
from bot.slack.sdk_hooks import PooledRespond, PooledWebClient
from bot.slack.web_transport import Transport

Clock = Callable[[], float]
# Slack gives a request 3 s; its signed timestamp is in whole seconds, so a request signed at
# second T may have left Slack as late as T + 1. From 2 s after T on, Slack may have given up.
SLACK_PATIENCE_SECONDS = 3.0
TIMESTAMP_GRANULARITY_SECONDS = 1.0
# Kept from a model run for the Slack calls that post its result.
SLACK_CALLS_RESERVE_SECONDS = 0.5
# slack_sdk adds up to a second of random jitter to every wait before a retry.
RETRY_JITTER_SECONDS = 1.0
RETRIES = 2


class DeadlinePassed(TimeoutError):
    """No time is left in the request's budget for another Slack call."""


class Deadline:
    """The time a request has left, from when it started."""

    def __init__(
        self,
        budget_seconds: float,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        signed_at: float | None = None,
    ) -> None:
        self.budget_seconds = budget_seconds
        self._clock = clock
        self._wall_clock = wall_clock
        started = clock()
        self._ends = started + budget_seconds
        # Slack stops waiting for the answer then; the budget keeps what is after it for answering.
        self._answer_due = started + max(budget_seconds, SLACK_PATIENCE_SECONDS)
        self._signed_at = signed_at  # Slack's X-Slack-Request-Timestamp, when it sent one

    def remaining(self) -> float:
        return self._ends - self._clock()

    def allows_wait(self, seconds: float) -> bool:
        """Whether a wait of `seconds` still leaves time for the call after it."""
        return seconds < self.remaining()

    def call_timeout(self, longest: float) -> float:
        """The timeout for the next Slack call; DeadlinePassed when no time is left."""
        left = self.remaining()
        if left <= 0:
            raise DeadlinePassed(f"the request's {self.budget_seconds:g} s are used up")
        return min(longest, left)

    def answer_timeout(self, longest: float) -> float:
        """The timeout for a post to the request's response_url: a Slack call's while the
        deadline lasts; after it, the time left until Slack stops waiting for the answer, which
        the budget keeps for answering, so that the person still hears of a call abandoned at
        the deadline. DeadlinePassed when that is gone too."""
        if self.remaining() > 0:
            return self.call_timeout(longest)
        left = self._answer_due - self._clock()
        if left <= 0:
            raise DeadlinePassed("Slack no longer waits for this request's answer")
        return min(longest, left)

    def run_limits(self, limits: Limits) -> Limits:
        """The limits for a model run now: neither its CPU budget nor, on a busy instance, its
        wall-clock time reaches into the time the Slack calls after it need."""
        left = max(0.0, self.remaining() - SLACK_CALLS_RESERVE_SECONDS)
        return replace(
            limits, time_budget_seconds=min(limits.time_budget_seconds, left), wall_seconds=left
        )

    def may_be_late(self) -> bool:
        """Whether Slack may already have given up on this request (and retried it, perhaps on
        another instance): by Slack's signed timestamp, or by this request's own age."""
        age = self.budget_seconds - self.remaining()
        if self._signed_at is not None:
            age = max(age, self._wall_clock() - self._signed_at)
        return age >= SLACK_PATIENCE_SECONDS - TIMESTAMP_GRANULARITY_SECONDS


class DeadlineClient(PooledWebClient):
    """The request's Web API client: sent over the process's kept-alive connections, and every
    attempt, retries included, ending by the request's deadline."""

    def __init__(self, deadline: Deadline, **client_options: Any) -> None:
        super().__init__(**client_options)
        self.deadline = deadline
        self.longest_call = self.timeout

    @classmethod
    def bound(
        cls, client: WebClient, team_id: str | None, deadline: Deadline, transport: Transport
    ) -> DeadlineClient:
        """`client` (Bolt's client for this request, for `team_id`) sending through `transport`,
        its calls held to `deadline`."""
        return cls(
            deadline,
            transport=transport,
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            headers=client.headers,
            team_id=team_id,
            logger=client.logger,
            retry_handlers=retries_within(deadline),
        )

    def attempt_timeout(self) -> float:
        return self.deadline.call_timeout(self.longest_call)


def respond_within(
    deadline: Deadline, response_url: str, client: WebClient, transport: Transport
) -> PooledRespond:
    """Bolt's `respond` for a request whose Web API client is `client`: posting to its
    response_url over `transport`, every attempt (a retry after a dropped connection, as
    slack_sdk's WebhookClient makes one, included) ending by the time the request's answer is
    due (see Deadline.answer_timeout)."""
    return PooledRespond(
        response_url=response_url,
        proxy=client.proxy,
        ssl=client.ssl,
        transport=transport,
        attempt_timeout=partial(deadline.answer_timeout, client.timeout),
        retry_handlers=[RetryWithin(ConnectionErrorRetryHandler(max_retry_count=1), deadline)],
    )


class RetryWithin(RetryHandler):
    """Retries what `inner` retries, only while its longest wait leaves time for the retry."""

    def __init__(self, inner: RetryHandler, deadline: Deadline) -> None:
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner
        self.deadline = deadline

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        retried = self.inner.can_retry(state=state, request=request, response=response, error=error)
        return retried and self.deadline.allows_wait(self._longest_wait(state, response))

    def prepare_for_next_attempt(self, **attempt: Any) -> None:
        self.inner.prepare_for_next_attempt(**attempt)

    def _longest_wait(self, state: RetryState, response: HttpResponse | None) -> float:
        if response is not None and response.status_code == 429:
            return _retry_after(response) + RETRY_JITTER_SECONDS
        backoff = getattr(self.interval_calculator, "backoff_factor", 0.5)
        return backoff * 2**state.current_attempt + RETRY_JITTER_SECONDS


def retries_within(deadline: Deadline) -> list[RetryHandler]:
    """Dropped connections, 429s and 5xx retried, each only when it fits the deadline."""
    return [
        RetryWithin(ConnectionErrorRetryHandler(max_retry_count=RETRIES), deadline),
        RetryWithin(RateLimitErrorRetryHandler(max_retry_count=RETRIES), deadline),
        RetryWithin(ServerErrorRetryHandler(max_retry_count=RETRIES), deadline),
    ]


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            try:
                return float(values[0])
            except (TypeError, ValueError, IndexError):
                break
    return 1.0  # what slack_sdk waits when Slack names no time
