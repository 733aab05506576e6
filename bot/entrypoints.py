"""What main.py's entry points call. Kept light: the Slack app is built on first use, so the
API function never needs Slack settings and nothing slow happens at import."""

from __future__ import annotations

import json
import os
import threading
import time

from flask import Request, Response

from bot.api import handle_api
from bot.http_body import SLACK_BODY_LIMIT, body_limit, read_body
from bot.logs import configure_logging, log_handled, trace_context

TRACE_HEADER = "X-Cloud-Trace-Context"
configure_logging()
_slack_handler = None
_slack_handler_lock = threading.Lock()


def handle_api_request(request: Request) -> Response:
    with trace_context(request.headers.get(TRACE_HEADER)):
        started = time.perf_counter()
        response = handle_api(request)
        log_handled(
            "api",
            _api_outcome(response.status_code),
            (time.perf_counter() - started) * 1000,
            status=response.status_code,
            body_bytes=request.content_length or 0,
        )
        return response


def handle_slack_request(request: Request):
    with trace_context(request.headers.get(TRACE_HEADER)):
        if read_body(request, body_limit(SLACK_BODY_LIMIT)) is None:
            log_handled("slack", "too_large", 0.0, body_bytes=request.content_length or 0)
            return Response('{"error": "request body too large"}', 413, mimetype="application/json")
        handler = _slack_request_handler()
        try:
            return handler.handle(request)
        except Exception as error:  # Bolt failed reading the body, before any listener ran
            return _unreadable(request, error)


def _slack_request_handler():
    global _slack_handler
    with _slack_handler_lock:
        if _slack_handler is None:
            from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

            from bot.slack.app import build_app

            _slack_handler = SlackRequestHandler(build_app())
    return _slack_handler


def _unreadable(request: Request, error: Exception) -> Response:
    from bot.slack.malformed import refusal

    secret = os.environ.get("SLACK_SIGNING_SECRET")
    body = request.get_data(as_text=True)
    status, answer = refusal(body, request.headers, secret, error)
    return Response(json.dumps(answer), status, mimetype="application/json")


def _api_outcome(status: int) -> str:
    return {200: "ok", 204: "preflight", 400: "model_error"}.get(status, f"http_{status}")
