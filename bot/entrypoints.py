"""What main.py's functions call, built once from the settings. Kept light: the Slack app is
built on first use, so the API function never needs Slack settings and nothing slow happens at
import. A Slack request is refused before anything parses it when it is too large (413),
unsigned (401) or a replay of one already handled."""

from __future__ import annotations

import json
import threading
import time

from flask import Request, Response

from bot.api import handle_api
from bot.http_body import read_body
from bot.logs import Kind, Outcome, configure_logging, log_handled, trace_context
from bot.long_lived import kept_for_good
from bot.request_time import bound_request_time
from bot.settings import Settings

TRACE_HEADER = "X-Cloud-Trace-Context"
API_OUTCOMES = {
    200: Outcome.OK,
    204: Outcome.PREFLIGHT,
    400: Outcome.MODEL_ERROR,
    405: Outcome.METHOD_NOT_ALLOWED,
    413: Outcome.TOO_LARGE,
    500: Outcome.FAILED,
}


class Entrypoints:
    """The Slack handler and the JSON API, sharing one set of settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        configure_logging(settings.log_level)
        bound_request_time(settings.max_request_seconds)
        self._slack_handler = None
        self._slack_handler_lock = threading.Lock()
        self._gate = None  # bot.slack.gate.Gate, built on first use like the app

    def api(self, request: Request) -> Response:
        with self._traced(request):
            started = time.perf_counter()
            response = handle_api(request, self.settings)
            log_handled(
                Kind.API,
                API_OUTCOMES[response.status_code],
                (time.perf_counter() - started) * 1000,
                status=response.status_code,
                body_bytes=request.content_length or 0,
            )
            return response

    def slack(self, request: Request) -> Response:
        with self._traced(request):
            body = read_body(request, self.settings.max_slack_body_bytes)
            if body is None:
                return _refused(Outcome.TOO_LARGE, 413, request, "request body too large")
            signed = self._slack_gate().signature(body, request.headers)
            if signed is None:
                return _refused(Outcome.BAD_SIGNATURE, 401, request, "invalid request")
            return self._admitted(request, body, signed[0], signed[1])

    def _admitted(self, request: Request, body: bytes, signature: str, timestamp: int) -> Response:
        """A signed request, acted on once: a replay is answered without being acted on."""
        from bot.slack.gate import Seen

        replays = self._slack_gate().replays
        seen = replays.claim(signature, timestamp)
        if seen is Seen.HANDLED or (seen is Seen.IN_FLIGHT and not body.startswith(b"{")):
            log_handled(Kind.SLACK, Outcome.REPLAYED, 0.0, status=200)
            return Response("", 200)
        try:
            response = self._slack_request_handler().handle(request)
        except Exception:
            response = _unreadable()
        if seen is Seen.NEW:
            replays.settle(signature, handled=200 <= response.status_code < 300)
        return response

    def _traced(self, request: Request):
        return trace_context(request.headers.get(TRACE_HEADER), self.settings.cloud_project)

    def _slack_gate(self):
        if self._gate is None:
            with kept_for_good():
                from bot.slack.gate import Gate

                self._gate = Gate(self.settings.slack_signing_secret)
        return self._gate

    def _slack_request_handler(self):
        with self._slack_handler_lock:
            if self._slack_handler is None:
                with kept_for_good():
                    from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

                    from bot.slack.app import build_app

                    self._slack_handler = SlackRequestHandler(build_app(self.settings))
        return self._slack_handler


def _refused(outcome: Outcome, status: int, request: Request, reason: str) -> Response:
    log_handled(Kind.SLACK, outcome, 0.0, status=status, body_bytes=request.content_length or 0)
    return Response(json.dumps({"error": reason}), status, mimetype="application/json")


def _unreadable() -> Response:
    """A signed body that Bolt could not even turn into a request (it raised while parsing)."""
    log_handled(Kind.SLACK, Outcome.MALFORMED, 0.0, status=400)
    return Response(json.dumps({"error": "malformed request"}), 400, mimetype="application/json")
