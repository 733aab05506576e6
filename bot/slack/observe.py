"""One guard around every listener: it times the work and logs one line, and decides what a
failure becomes. Commands, buttons and forms get an apology (never a traceback). An event whose
reply Slack could not take is answered 500, so Slack delivers it again and the retry, checked
against the thread, can still reply once; any other failure is logged and answered 200."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from bot.logs import log_handled

logger = logging.getLogger(__name__)
APOLOGY = "Sorry, something went wrong on my side and your request was not run. Please try again."
EVENT_KINDS = {"message", "mention", "edit", "home", "event"}
TRANSIENT_SLACK_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


class RetryableDelivery(Exception):
    """Raised to Bolt so it answers 500 and Slack retries the event."""


def listener(kind: str) -> Callable:
    """Decorate a Bolt listener; it returns an outcome, or a (kind, outcome) pair."""

    def decorate(func: Callable) -> Callable:
        def guarded(**kwargs):
            request = kwargs.get("request")
            arguments = {name: kwargs[name] for name in _parameters(func) if name in kwargs}
            started = time.perf_counter()
            logged_kind, outcome, fields, failure = kind, "failed", {}, None
            try:
                returned = func(**arguments) or "ok"
                logged_kind, outcome = returned if isinstance(returned, tuple) else (kind, returned)
            except Exception as error:  # the guard's purpose: nothing escapes unlogged
                outcome, fields, failure = _failure(error, func.__name__)
                _apologise(arguments)
            finally:
                log_handled(
                    logged_kind,
                    outcome,
                    (time.perf_counter() - started) * 1000,
                    retry=_retry_number(request),
                    **_event_id(request),
                    **fields,
                )
            if failure is not None and kind in EVENT_KINDS:
                raise RetryableDelivery(outcome) from failure

        # Bolt passes a listener only the arguments its signature names; the guard also
        # wants `request`, for the retry header.
        guarded.__name__, guarded.__doc__ = func.__name__, func.__doc__
        guarded.__signature__ = _with_request(func)
        return guarded

    return decorate


def _failure(error: Exception, name: str) -> tuple[str, dict, Exception | None]:
    """The outcome, log fields, and the error again if a retry by Slack could succeed."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error")
        logger.warning("Slack refused a call: %s", code)
        transient = code in TRANSIENT_SLACK_ERRORS or error.response.status_code >= 500
        return "slack_error", {"slack_error": code}, error if transient else None
    if isinstance(error, URLError | ConnectionError | TimeoutError):
        logger.warning("could not reach Slack: %s", type(error).__name__)
        return "slack_unreachable", {}, error
    logger.exception("listener %s failed", name)
    return "failed", {}, None


def _parameters(func: Callable) -> list[str]:
    return list(inspect.signature(func).parameters)


def _with_request(func: Callable) -> inspect.Signature:
    params = list(inspect.signature(func).parameters.values())
    if "request" not in (p.name for p in params):
        params.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    return inspect.Signature(params)


def _apologise(kwargs: dict) -> None:
    """Commands, actions and views must be acknowledged even when the work failed; a click,
    acknowledged before its work, gets the apology as an ephemeral message instead."""
    ack, respond, command = kwargs.get("ack"), kwargs.get("respond"), kwargs.get("command")
    try:
        if ack is not None and ack.response is None:
            ack(text=APOLOGY) if command else ack()
        if respond is not None and not command:
            respond(text=APOLOGY, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.exception("could not acknowledge after a failure")


def _event_id(request) -> dict:
    """Slack's id of the event, so a failure in the logs can be traced to its delivery."""
    body = getattr(request, "body", None)
    event_id = body.get("event_id") if isinstance(body, dict) else None
    return {"event_id": event_id} if isinstance(event_id, str) else {}


def _retry_number(request) -> int:
    headers = getattr(request, "headers", None) or {}
    values = headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(values[0])
    except (TypeError, ValueError):
        return 0
