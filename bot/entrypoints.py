"""What main.py's functions call, built once from the settings. Kept light: the Slack app is
built on first use, so the API function never needs Slack settings and nothing slow happens at
import."""

from __future__ import annotations

import json
import threading
import time

from flask import Request, Response

from bot.api import handle_api
from bot.http_body import read_body
from bot.logs import Kind, Outcome, configure_logging, log_handled, trace_context
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
        self._slack_handler = None
        self._slack_handler_lock = threading.Lock()

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
            if read_body(request, self.settings.max_slack_body_bytes) is None:
                log_handled(
                    Kind.SLACK, Outcome.TOO_LARGE, 0.0, body_bytes=request.content_length or 0
                )
                return Response(
                    '{"error": "request body too large"}', 413, mimetype="application/json"
                )
            try:
                return self._slack_request_handler().handle(request)
            except Exception as error:  # Bolt failed reading the body, before any listener ran
                return self._unreadable(request, error)

    def _traced(self, request: Request):
        return trace_context(request.headers.get(TRACE_HEADER), self.settings.cloud_project)

    def _slack_request_handler(self):
        with self._slack_handler_lock:
            if self._slack_handler is None:
                from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

                from bot.slack.app import build_app

                self._slack_handler = SlackRequestHandler(build_app(self.settings))
        return self._slack_handler

    def _unreadable(self, request: Request, error: Exception) -> Response:
        from bot.slack.failures import refusal

        body = request.get_data(as_text=True)
        status, answer = refusal(body, request.headers, self.settings.slack_signing_secret, error)
        return Response(json.dumps(answer), status, mimetype="application/json")
