"""What a failure becomes: Bolt's error handler (`App.error`) gets every exception a listener
raises, and every one Bolt's own code or its middleware raises.

A failure is logged on the request's log line and never shown as a traceback. What Slack's
retry could finish (Slack unreachable, refusing for a while, or too slow for the request's
deadline; a repeat delivery while the first is still being handled) is the retryable kind: an
event is answered 500, so that Slack delivers it again and the retry, checked against the thread,
can still reply once. Any other failed event is answered 200. A command or a click is never
retried by Slack, so the person is told instead, through its response_url (valid for 30 minutes,
so it works even after the deadline); a form is closed; a workflow step is failed with it.

Every request reaching Bolt was signed by Slack (bot/slack/gate.py checks that first), so one
Bolt's own code can't read (`"event": null`, a list where an object belongs) is refused 400, and
never 500, which Slack would retry for nothing. auth.test failing is Slack's fault, not the
request's: it is answered like any other Slack outage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.error import URLError

from slack_bolt import Ack, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.request.payload_utils import is_event, is_slash_command
from slack_sdk.errors import SlackApiError

from bot.logs import Kind, Outcome, log_handled
from bot.slack.answering.dedupe import StillInFlight
from bot.slack.answering.reply import SlackRefused, reply_privately
from bot.slack.context import RequestLog, request_log
from bot.slack.identity import SlackUnavailable

logger = logging.getLogger(__name__)
APOLOGY = "Sorry, something went wrong on my side and your request was not run. Please try again."
SLACK_APOLOGY = (
    "Sorry, I couldn't reach Slack just now, so your request was not run. Please try again."
)
# A call abandoned at the deadline may have been done by Slack all the same.
LATE_APOLOGY = (
    "Sorry, Slack was too slow to answer me just now, so your result may not have been posted. "
    "If you don't see it, please try again."
)
TRANSIENT_SLACK_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
MALFORMED = {"error": "malformed request"}


@dataclass(frozen=True)
class Failure:
    outcome: Outcome
    retryable: bool  # whether Slack delivering the request again could succeed
    slack_error: str | None = None

    @property
    def apology(self) -> str:
        if self.outcome is Outcome.DEADLINE_PASSED:
            return LATE_APOLOGY
        return SLACK_APOLOGY if self.retryable else APOLOGY


def error_handler() -> Callable[..., BoltResponse | None]:
    """For `App.error`. Returning None keeps Bolt's answer to a failure: 500."""

    def on_error(
        error: Exception,
        request: BoltRequest,
        context: BoltContext,
        ack: Ack,
        respond: Respond,
    ) -> BoltResponse | None:
        log = request_log(context)
        if log is None and not isinstance(error, SlackUnavailable):
            return _unreadable(error)
        log = log or RequestLog.of(request, Kind.SLACK)  # auth.test failed before any listener
        failure = _failure(error, log.kind)
        fields = {} if failure.slack_error is None else {"slack_error": failure.slack_error}
        log.write(failure.outcome, **fields)
        if not failure.retryable:
            _fail_step(context)
        return _answer(request.body, failure, ack, respond)

    return on_error


def _failure(error: Exception, kind: Kind) -> Failure:
    match error:
        case SlackApiError():
            return _refused(error.response.get("error"), error.response.status_code)
        case SlackRefused():
            return _refused(error.code, error.status)
        case StillInFlight():
            return Failure(Outcome.IN_FLIGHT, retryable=True)
        case TimeoutError():  # DeadlinePassed, or a call held to the deadline timed out
            logger.warning("a Slack call did not finish by the request's deadline")
            return Failure(Outcome.DEADLINE_PASSED, retryable=True)
        case SlackUnavailable() | URLError() | ConnectionError():
            logger.warning("could not reach Slack: %s", error)
            return Failure(Outcome.SLACK_UNREACHABLE, retryable=True)
        case _:
            logger.error("a %s listener failed", kind, exc_info=error)
            return Failure(Outcome.FAILED, retryable=False)


def _refused(code: str, status: int) -> Failure:
    logger.warning("Slack refused a call: %s", code)
    transient = code in TRANSIENT_SLACK_ERRORS or status >= 500
    return Failure(Outcome.SLACK_ERROR, retryable=transient, slack_error=code)


def _answer(body: dict, failure: Failure, ack: Ack, respond: Respond) -> BoltResponse | None:
    """An event: 500 (None keeps Bolt's) when Slack's retry could succeed, else 200. A command
    or a click: acknowledged, and the apology sent to its response_url; a form: closed."""
    if is_event(body):
        return None if failure.retryable else BoltResponse(status=200)
    told = _tell(respond, failure.apology)
    if ack.response is None and is_slash_command(body) and not told:
        ack(text=failure.apology)  # the response_url failed too: the answer itself says it
    elif ack.response is None:
        ack()
    return ack.response


def _fail_step(context: BoltContext) -> None:
    """A workflow step that failed for good is failed with the apology, so that its workflow
    stops and its user hears why (its event is answered 200: Slack won't retry it)."""
    if context.function_execution_id is None:
        return
    try:
        context.fail(APOLOGY)
    except Exception:
        logger.exception("could not fail the workflow step")


def _tell(respond: Respond, text: str) -> bool:
    """The apology, where only the person who asked sees it; False when it could not be sent
    (no response_url, or that failed too: the apology is a courtesy, its failure is logged)."""
    if respond.response_url is None:
        return False
    try:
        reply_privately(respond, text)
    except Exception:
        logger.exception("could not send an apology to the response_url")
        return False
    return True


def _unreadable(error: Exception) -> BoltResponse:
    """A signed request that Bolt's own code could not read, logged without its content."""
    logger.warning("Bolt could not read a request: %s", type(error).__name__)
    log_handled(Kind.SLACK, Outcome.MALFORMED, 0.0, status=400)
    return BoltResponse(status=400, body=MALFORMED)
