"""What a request carries in Bolt's context on its way to a listener: its deadline (and a Web API
client held to it), put there before anything calls Slack; the settings, put there by a global
middleware; and the request's log line, started by a listener middleware that names its kind. The
listener gives the line its outcome; when the listener fails, the error handler does."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.logs import Kind, Outcome, log_handled
from bot.model import Limits
from bot.settings import Settings
from bot.slack.deadline import Clock, Deadline, DeadlineClient, respond_within
from bot.slack.web_transport import Transport

SETTINGS, REQUEST_LOG, DEADLINE = "settings", "request_log", "deadline"


@dataclass(frozen=True)
class DeadlineStarted(Middleware):
    """Bolt's `before_authorize` middleware: the request's deadline starts; its Web API client
    (auth.test's too) and `respond` are held to it and send through the process's `transport`
    (Bolt builds both anew for every request, so they are replaced here, before any is used)."""

    budget_seconds: float
    transport: Transport
    clock: Clock = time.monotonic
    wall_clock: Clock = time.time

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        signed_at = _number(_first(req.headers, "x-slack-request-timestamp"))
        deadline = Deadline(self.budget_seconds, self.clock, self.wall_clock, signed_at)
        req.context[DEADLINE] = deadline
        built = req.context.client
        req.context["client"] = DeadlineClient.bound(
            built, req.context.team_id, deadline, self.transport
        )
        if req.context.response_url is not None:
            req.context["respond"] = respond_within(
                deadline, req.context.response_url, built, self.transport
            )
        return next()


@dataclass(frozen=True)
class SlackRequest:
    """The request being handled, as the work on it needs it."""

    client: WebClient  # held to the deadline
    bot_id: str | None  # from auth.test: only messages with this bot_id are the bot's own
    limits: Limits
    deadline: Deadline
    first_delivery: bool  # no X-Slack-Retry-Num: Slack has not given up on an earlier one

    @property
    def run_limits(self) -> Limits:
        """The limits for a model run started now, within the deadline."""
        return self.deadline.run_limits(self.limits)


def slack_request(context: BoltContext) -> SlackRequest:
    log = request_log(context)
    return SlackRequest(
        context.client,
        context.bot_id,
        settings_of(context).limits,
        context[DEADLINE],
        log is None or log.first_delivery,
    )


@dataclass(frozen=True)
class SettingsInContext(Middleware):
    """Global middleware: the settings, read once when the app was built, for every listener."""

    settings: Settings

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        req.context[SETTINGS] = self.settings
        return next()


def settings_of(context: BoltContext) -> Settings:
    return context[SETTINGS]


@dataclass(frozen=True)
class RequestLog:
    """The one log line a request gets, timed from when its listener was chosen."""

    kind: Kind
    started: float
    retry: int  # Slack's x-slack-retry-num: 0 for a first delivery
    event_id: str | None

    @classmethod
    def of(cls, req: BoltRequest, kind: Kind) -> RequestLog:
        event_id = req.body.get("event_id")
        retry = _number(_first(req.headers, "x-slack-retry-num"))
        return cls(
            kind,
            time.perf_counter(),
            int(retry) if retry is not None else 0,
            event_id if isinstance(event_id, str) else None,
        )

    @property
    def first_delivery(self) -> bool:
        return self.retry == 0

    def write(self, outcome: Outcome, kind: Kind | None = None, **fields: Any) -> None:
        """Log the line; `kind` when the work turned out to be another kind (a rerun)."""
        if self.event_id is not None:  # so a failure in the logs can be traced to its delivery
            fields["event_id"] = self.event_id
        latency_ms = (time.perf_counter() - self.started) * 1000
        log_handled(kind or self.kind, outcome, latency_ms, retry=self.retry, **fields)


@dataclass(frozen=True)
class LoggedAs(Middleware):
    """Listener middleware: starts the request's log line, of this kind."""

    kind: Kind

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        req.context[REQUEST_LOG] = RequestLog.of(req, self.kind)
        return next()


def request_log(context: BoltContext) -> RequestLog | None:
    """The request's log line; None when no listener was chosen (Bolt failed before)."""
    return context.get(REQUEST_LOG)


def log_outcome(context: BoltContext, outcome: Outcome, kind: Kind | None = None) -> None:
    """What a listener does last: log how its request ended."""
    context[REQUEST_LOG].write(outcome, kind)


def _first(headers: Mapping[str, Any], name: str) -> object:
    values = headers.get(name) or [None]
    return values[0]


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
