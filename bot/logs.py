"""Structured logging for Cloud Logging, standard library only (cheap to import at cold start).

Every record becomes one JSON object on one stdout line. Cloud Logging parses such lines into
``jsonPayload``: ``severity`` sets the entry's level, ``message`` is the summary shown in the
console, and ``logging.googleapis.com/trace`` / ``logging.googleapis.com/spanId`` nest the line
under the request that produced it. Anything else is a field you can filter on, e.g.
``jsonPayload.kind="command" AND jsonPayload.outcome!="ok"``.

Usage::

    configure_logging(settings.log_level)    # once, when the entry points are built
    with trace_context(request.headers.get("X-Cloud-Trace-Context"), settings.cloud_project):
        ...
        log_handled(Kind.API, Outcome.OK, latency_ms, body_bytes=len(body))

Extra fields on ordinary calls: ``logger.info("...", extra={"fields": {"rounds": 3}})``
(any other ``extra`` key that is not a LogRecord attribute is logged as a field too).

Privacy rule: never log a model definition, a Slack message text or a request body. Log its
size instead (``definition_chars=len(definition)``). The formatter replaces anything shaped like
a Slack token (``xoxb-...``, ``xapp-...``) with ``[redacted]``, but that is a safety net for
mistakes, not permission to log payloads.
"""

import contextlib
import contextvars
import json
import logging
import math
import re
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

__all__ = [
    "JsonFormatter",
    "Kind",
    "Outcome",
    "configure_logging",
    "log_handled",
    "trace_context",
]


class Kind(StrEnum):
    """What a handled request was: `jsonPayload.kind` in the logs."""

    COMMAND = "command"
    MENTION = "mention"
    MESSAGE = "message"
    RERUN = "rerun"  # a message in a thread answered with a rerun of the run before it
    EDIT = "edit"
    HOME = "home"
    EVENT = "event"  # an event the bot is subscribed to but does not act on
    ACTION = "action"
    VIEW = "view"
    SHORTCUT = "shortcut"  # the "Run as model" and "New model" shortcuts
    STEP = "step"  # the Workflow Builder step (a function_executed event)
    SLACK = "slack"  # a Slack request refused before any listener: too large, unreadable, unsigned
    API = "api"


class Outcome(StrEnum):
    """How a handled request ended: `jsonPayload.outcome` in the logs."""

    OK = "ok"
    RERUN = "rerun"  # the editor's run, posted with a comparison
    HELP = "help"
    MODEL_ERROR = "model_error"
    REMOVED = "removed"  # an edit took the model out of the message
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    RUN_NOT_FOUND = "run_not_found"
    NOT_IN_CHANNEL = "not_in_channel"
    TOO_LONG = "too_long"  # a model longer than the editor holds
    SLACK_ERROR = "slack_error"
    SLACK_UNREACHABLE = "slack_unreachable"
    DEADLINE_PASSED = "deadline_passed"  # a Slack call could not finish within the request's budget
    IN_FLIGHT = "in_flight"  # a repeat delivery came while the first was still being handled
    REPLAYED = "replayed"  # a signed request already handled, sent again
    FAILED = "failed"
    TOO_LARGE = "too_large"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    PREFLIGHT = "preflight"
    METHOD_NOT_ALLOWED = "method_not_allowed"


TRACE_KEY = "logging.googleapis.com/trace"
SPAN_KEY = "logging.googleapis.com/spanId"
SAMPLED_KEY = "logging.googleapis.com/trace_sampled"

REDACTED = "[redacted]"
_TOKEN_RE = re.compile(r"(?:xox[abeposr]|xapp)-[0-9A-Za-z-]*")
# TRACE_ID/SPAN_ID;o=OPTIONS, with TRACE_ID 32 hex digits and SPAN_ID a decimal uint64.
_TRACE_HEADER_RE = re.compile(r"^([0-9a-fA-F]{32})(?:/(\d{1,20}))?(?:;o=(\d+))?$")

_trace_fields: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "sysbot_trace_fields", default=None
)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}
_HANDLER_MARK = "_sysbot_json_handler"
_QUIET_LOGGERS = ("slack_bolt", "slack_sdk")


def _severity(levelno: int) -> str:
    for threshold, name in ((50, "CRITICAL"), (40, "ERROR"), (30, "WARNING"), (20, "INFO")):
        if levelno >= threshold:
            return name
    return "DEBUG"


def _clean(value: Any) -> Any:
    """Redact token-shaped substrings and make the value safe for strict JSON parsers."""
    if isinstance(value, str):
        return _TOKEN_RE.sub(REDACTED, value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN/Infinity are not JSON; Cloud Logging would fall back to text
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value))


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in record.__dict__.items():
        if key in _RECORD_ATTRS or key.startswith("_"):
            continue
        if key == "fields" and isinstance(value, dict):
            fields.update(value)
        else:
            fields[key] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One Cloud Logging JSON object per record; tracebacks go to ``stack_trace``."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "severity": _severity(record.levelno),
            "message": record.getMessage(),
            "logger": record.name,
        }
        payload.update(_trace_fields.get() or {})
        stack = self._stack_trace(record)
        if stack:
            payload["stack_trace"] = stack
        for key, value in _extra_fields(record).items():
            payload.setdefault(key, value)  # callers cannot overwrite severity, message, trace
        return json.dumps(_clean(payload))  # ASCII-only: safe whatever the stream encoding

    def _stack_trace(self, record: logging.LogRecord) -> str:
        parts = []
        if record.exc_info:
            parts.append(self.formatException(record.exc_info))
        elif record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(self.formatStack(record.stack_info))
        return "\n".join(parts)


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at emit time (pytest and some servers swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _resolve_level(level: str) -> int:
    return logging.getLevelNamesMapping().get(level.strip().upper(), logging.INFO)


def configure_logging(level: str = "INFO") -> None:
    """Send every log record to stdout as Cloud Logging JSON. Safe to call more than once.

    An unknown ``level`` means ``INFO`` rather than a crash at start. Other handlers on the root
    logger are left alone (pytest's log capture is one).
    """
    root = logging.getLogger()
    root.setLevel(_resolve_level(level))
    if not any(getattr(h, _HANDLER_MARK, False) for h in root.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        setattr(handler, _HANDLER_MARK, True)
        root.addHandler(handler)
    for name in _QUIET_LOGGERS:
        # Bolt logs request details at INFO/DEBUG; only its warnings are worth the noise.
        logging.getLogger(name).setLevel(logging.WARNING)


def _parse_trace_header(header_value: str | None, project: str) -> dict[str, Any]:
    match = _TRACE_HEADER_RE.match((header_value or "").strip())
    if not match:
        return {}
    trace_id, span, options = match.groups()
    fields: dict[str, Any] = {}
    if project:  # a trace name without a project is rejected by Cloud Logging
        fields[TRACE_KEY] = f"projects/{project}/traces/{trace_id.lower()}"
    if span and 0 < int(span) < 2**64:
        # The header carries a decimal span id; Cloud Logging wants 16 hex digits.
        fields[SPAN_KEY] = f"{int(span):016x}"
    if options is not None:
        fields[SAMPLED_KEY] = bool(int(options) & 1)
    return fields


@contextlib.contextmanager
def trace_context(header_value: str | None, project: str = "") -> Iterator[None]:
    """Tag every log line inside the block with the request's trace and span.

    ``header_value`` is the ``X-Cloud-Trace-Context`` header (``TRACE_ID/SPAN_ID;o=1``); when it
    is missing or malformed the lines simply carry no trace fields. Uses contextvars, so
    concurrent requests on gunicorn's threads do not see each other's trace.
    """
    token = _trace_fields.set(_parse_trace_header(header_value, project))
    try:
        yield
    finally:
        _trace_fields.reset(token)


_handled_logger = logging.getLogger("sysbot.handled")


def log_handled(kind: Kind, outcome: Outcome, latency_ms: float, **fields: Any) -> None:
    """Write the one summary line per handled request: ``message="<kind> <outcome>"``.

    ``fields`` are extra JSON fields: sizes and counts, never definitions or text.
    """
    summary = {"kind": kind, "outcome": outcome, "latency_ms": round(float(latency_ms), 1)}
    _handled_logger.info("%s %s", kind, outcome, extra={"fields": {**fields, **summary}})
