"""Requests Bolt itself can't read. Bolt reads Slack's bodies trusting their shape, so a body with
`"event": null`, a list where an object belongs, or a timestamp header that is not a number
makes its own code fail, and it answers 500: Slack retries that three times for nothing, and a
forged request would get 500 instead of 401. Such requests get 400 when Slack signed them and
401 when it did not."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.logs import Kind, Outcome, log_handled
from bot.slack.observe import RetryableDelivery

logger = logging.getLogger(__name__)
MALFORMED = {"error": "malformed request"}
UNSIGNED = {"error": "invalid request"}  # what Bolt answers a request it could not verify


def signed(body: str, headers: Mapping, secret: str | None) -> bool:
    """Whether Slack signed this body, checked as Bolt checks it (and within 5 minutes)."""
    timestamp = _header(headers, "x-slack-request-timestamp")
    signature = _header(headers, "x-slack-signature")
    try:
        return bool(secret) and SignatureVerifier(secret).is_valid(body, timestamp, signature)
    except ValueError:  # a timestamp that is not a number
        return False


def refusal(body: str, headers: Mapping, secret: str | None, error: Exception) -> tuple[int, dict]:
    """The status and body for a request that made Bolt fail, logged without its content."""
    status, answer = (400, MALFORMED) if signed(body, headers, secret) else (401, UNSIGNED)
    logger.warning("Bolt could not read a request: %s", type(error).__name__)
    outcome = Outcome.MALFORMED if status == 400 else Outcome.BAD_SIGNATURE
    log_handled(Kind.SLACK, outcome, 0.0, status=status)
    return status, answer


def bolt_error_handler(secret: str | None) -> Callable[..., BoltResponse | None]:
    """For `App.error`: a listener asking for Slack's retry keeps its 500; anything else that
    fails inside Bolt (its middleware and matchers read the body) is a request it can't read."""

    def on_error(error: Exception, request: BoltRequest) -> BoltResponse | None:
        if isinstance(error, RetryableDelivery):
            return None
        status, answer = refusal(request.raw_body, request.headers, secret, error)
        return BoltResponse(status=status, body=answer)

    return on_error


def _header(headers: Mapping, name: str) -> str | None:
    """One header from Flask's headers or Bolt's (lower-case names, lists of values)."""
    value = headers.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value
