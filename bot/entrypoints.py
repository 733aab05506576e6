"""What main.py's entry points call. Kept light: the Slack app is built on first use, so the
API function never needs Slack settings and nothing slow happens at import."""

from __future__ import annotations

from flask import Request, Response

from bot.api import handle_api

_slack_handler = None


def handle_api_request(request: Request) -> Response:
    return handle_api(request)


def handle_slack_request(request: Request):
    global _slack_handler
    if _slack_handler is None:
        from slack_bolt.adapter.google_cloud_functions import SlackRequestHandler

        from bot.slack.app import build_app

        _slack_handler = SlackRequestHandler(build_app())
    return _slack_handler.handle(request)
