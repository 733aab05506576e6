"""One guard around every listener: it times the work, logs one line, and makes sure no
exception reaches Bolt (which would answer 500 and make Slack retry, or show a traceback)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.logs import log_handled

logger = logging.getLogger(__name__)
APOLOGY = "Sorry, something went wrong on my side and your request was not run. Please try again."


def listener(kind: str) -> Callable:
    """Decorate a Bolt listener; it returns an outcome, or a (kind, outcome) pair."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def guarded(**kwargs):
            started = time.perf_counter()
            logged_kind, outcome, fields = kind, "failed", {}
            try:
                returned = func(**kwargs) or "ok"
                logged_kind, outcome = returned if isinstance(returned, tuple) else (kind, returned)
            except SlackApiError as error:
                outcome, fields = "slack_error", {"slack_error": error.response.get("error")}
                logger.warning("Slack refused a call: %s", fields["slack_error"])
                _apologise(kwargs)
            except Exception:
                logger.exception("listener %s failed", func.__name__)
                _apologise(kwargs)
            finally:
                log_handled(
                    logged_kind,
                    outcome,
                    (time.perf_counter() - started) * 1000,
                    retry=_retry_number(kwargs),
                    **fields,
                )

        return guarded

    return decorate


def _apologise(kwargs: dict) -> None:
    """Commands, actions and views must be acknowledged even when the work failed."""
    ack = kwargs.get("ack")
    if ack is not None and ack.response is None:
        try:
            ack(text=APOLOGY) if kwargs.get("command") else ack()
        except Exception:
            logger.exception("could not acknowledge after a failure")


def _retry_number(kwargs: dict) -> int:
    request = kwargs.get("request")
    headers = getattr(request, "headers", None) or {}
    values = headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(values[0])
    except (TypeError, ValueError):
        return 0
