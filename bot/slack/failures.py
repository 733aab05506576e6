"""What a failure becomes: Bolt's error handler (`App.error`) gets every exception a listener
raises, and every one Bolt's own code raises reading a request.

A listener's failure is logged on the request's log line and never shown as a traceback. A
command, button or form gets an apology. An event whose work a retry could finish (Slack was
unreachable or failing) is answered 500, so Slack delivers it again and the retry, checked
against the thread, can still reply once; any other failed event is answered 200.

A request Bolt can't read fails in Bolt's own code: it reads Slack's bodies trusting their
shape, so `"event": null`, a list where an object belongs, or a timestamp header that is not a
number make it raise, and it would answer 500, which Slack retries three times for nothing and
which a forged request should not get. Such requests get 400 when Slack signed them and 401 when
it did not."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.error import URLError

from slack_bolt import Ack, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.request.payload_utils import is_action, is_event, is_slash_command
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.logs import Kind, Outcome, log_handled
from bot.slack.answering.reply import SlackRefused, reply_privately
from bot.slack.context import request_log

logger = logging.getLogger(__name__)
APOLOGY = "Sorry, something went wrong on my side and your request was not run. Please try again."
TRANSIENT_SLACK_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
MALFORMED = {"error": "malformed request"}
UNSIGNED = {"error": "invalid request"}  # what Bolt answers a request it could not verify


@dataclass(frozen=True)
class Failure:
    outcome: Outcome
    retryable: bool  # whether Slack delivering the request again could succeed
    slack_error: str | None = None


def error_handler(signing_secret: str) -> Callable[..., BoltResponse | None]:
    """For `App.error`. Returning None keeps Bolt's answer to a failure: 500."""

    def on_error(
        error: Exception,
        request: BoltRequest,
        context: BoltContext,
        ack: Ack,
        respond: Respond,
    ) -> BoltResponse | None:
        log = request_log(context)
        if log is None:  # no listener was chosen: Bolt failed reading the request
            status, body = refusal(request.raw_body, request.headers, signing_secret, error)
            return BoltResponse(status=status, body=body)
        failure = _failure(error, log.kind)
        fields = {} if failure.slack_error is None else {"slack_error": failure.slack_error}
        log.write(failure.outcome, **fields)
        return _answer(request.body, failure, ack, respond)

    return on_error


def _failure(error: Exception, kind: Kind) -> Failure:
    match error:
        case SlackApiError():
            return _refused(error.response.get("error"), error.response.status_code)
        case SlackRefused():
            return _refused(error.code, error.status)
        case URLError() | ConnectionError() | TimeoutError():
            logger.warning("could not reach Slack: %s", type(error).__name__)
            return Failure(Outcome.SLACK_UNREACHABLE, retryable=True)
        case _:
            logger.error("a %s listener failed", kind, exc_info=error)
            return Failure(Outcome.FAILED, retryable=False)


def _refused(code: str, status: int) -> Failure:
    logger.warning("Slack refused a call: %s", code)
    transient = code in TRANSIENT_SLACK_ERRORS or status >= 500
    return Failure(Outcome.SLACK_ERROR, retryable=transient, slack_error=code)


def _answer(body: dict, failure: Failure, ack: Ack, respond: Respond) -> BoltResponse | None:
    """An event: 500 (None keeps Bolt's) when Slack's retry could succeed, else 200. Anything
    else is acknowledged, with the apology where the user can see it."""
    if is_event(body):
        return None if failure.retryable else BoltResponse(status=200)
    try:
        if ack.response is None and is_slash_command(body):
            ack(text=APOLOGY)
        elif ack.response is None:
            ack()
        if is_action(body):  # a click was acknowledged before its work: tell it by its URL
            reply_privately(respond, APOLOGY)
    except Exception:  # the apology is a courtesy: its own failure only gets logged
        logger.exception("could not acknowledge after a failure")
    return ack.response


def refusal(body: str, headers: Mapping, secret: str, error: Exception) -> tuple[int, dict]:
    """The status and body for a request that made Bolt fail, logged without its content."""
    status, answer = (400, MALFORMED) if _signed(body, headers, secret) else (401, UNSIGNED)
    logger.warning("Bolt could not read a request: %s", type(error).__name__)
    outcome = Outcome.MALFORMED if status == 400 else Outcome.BAD_SIGNATURE
    log_handled(Kind.SLACK, outcome, 0.0, status=status)
    return status, answer


def _signed(body: str, headers: Mapping, secret: str) -> bool:
    """Whether Slack signed this body, checked as Bolt checks it (and within 5 minutes)."""
    timestamp = _header(headers, "x-slack-request-timestamp")
    signature = _header(headers, "x-slack-signature")
    try:
        return bool(secret) and SignatureVerifier(secret).is_valid(body, timestamp, signature)
    except ValueError:  # a timestamp that is not a number
        return False


def _header(headers: Mapping, name: str) -> str | None:
    """One header from Flask's headers or Bolt's (lower-case names, lists of values)."""
    value = headers.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value
