"""What a request carries in Bolt's context on its way to a listener: the settings, put there by
a global middleware, and the request's log line, started by a listener middleware that names its
kind. The listener gives the line its outcome; when the listener fails, the error handler does."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.logs import Kind, Outcome, log_handled
from bot.settings import Settings

SETTINGS, REQUEST_LOG = "settings", "request_log"


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
        event_id = req.body.get("event_id")
        req.context[REQUEST_LOG] = RequestLog(
            self.kind,
            time.perf_counter(),
            _retry_number(req.headers),
            event_id if isinstance(event_id, str) else None,
        )
        return next()


def request_log(context: BoltContext) -> RequestLog | None:
    """The request's log line; None when no listener was chosen (Bolt failed before)."""
    return context.get(REQUEST_LOG)


def log_outcome(context: BoltContext, outcome: Outcome, kind: Kind | None = None) -> None:
    """What a listener does last: log how its request ended."""
    context[REQUEST_LOG].write(outcome, kind)


def _retry_number(headers: Mapping[str, Any]) -> int:
    values = headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(values[0])
    except (TypeError, ValueError):
        return 0
