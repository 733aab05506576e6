"""The JSON HTTP API: POST {"definition": ..., "rounds": ...} and get the run back."""

from __future__ import annotations

import json
import logging
import re

from flask import Request, Response

from bot.http_body import read_body
from bot.model import ModelError, run_definition
from bot.render.data import error_json, result_json
from bot.settings import Settings

logger = logging.getLogger(__name__)
# What JSON can carry but no model or stock name holds: control characters other than tab and
# line breaks, UTF-16 halves that encode nothing on their own, and Unicode's noncharacters.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
FAILED = "Sorry, something went wrong on our side and the model was not run. Please try again."
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "3600",
}


def handle_api(request: Request, settings: Settings) -> Response:
    """Answer one API request; every outcome is JSON with CORS headers."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS_HEADERS)
    if request.method != "POST":
        return _reply(
            _error("Use POST with a JSON body.", 'Send {"definition": "..."}.'),
            405,
            {"Allow": "POST, OPTIONS"},
        )
    limit = settings.max_api_body_bytes
    body = read_body(request, limit)
    if body is None:
        return _reply(_error(f"The body is larger than {limit:,} bytes."), 413)
    try:
        definition, rounds, overrides = _read_body(request, body)
        result = run_definition(definition, rounds, overrides, settings.limits)
        return _reply(result_json(result), 200)
    except ModelError as error:
        return _reply(error_json(error), 400)
    except Exception as error:  # the boundary: a traceback's text could quote the model
        logger.error("API request failed: %s", type(error).__name__)
        return _reply(_error(FAILED), 500)


def _read_body(request: Request, body: bytes) -> tuple[str, int | None, dict | None]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelError("The body is not UTF-8 text.") from None
    if request.mimetype == "application/json" or text.lstrip().startswith("{"):
        definition, rounds, overrides = _read_json(text)  # no model starts with `{`
    else:
        definition, rounds, overrides = text, _query_rounds(request), None
    _check_usable("definition", definition)
    for name, value in (overrides or {}).items():
        _check_usable("overrides", name + value)
    return definition, rounds, overrides


def _check_usable(field: str, text: str) -> None:
    found = _UNUSABLE.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line, column = before.count("\n") + 1, found.start() - before.rfind("\n")
    where = f" at line {line}, column {column}" if field == "definition" else ""
    raise ModelError(
        f'The "{field}" holds U+{ord(found.group()):04X}{where}, a code point no model can use.',
        hint="Send plain text: remove the character, or check how the text was encoded.",
    )


def _read_json(text: str) -> tuple[str, int | None, dict | None]:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as exc:  # too long a number, too deep a nesting
        reason = (
            f"{exc.msg} at character {exc.pos}"
            if isinstance(exc, json.JSONDecodeError)
            else "it is nested too deep or holds too long a number"
        )
        raise ModelError(
            f"The body is not valid JSON: {reason}.",
            hint='Send {"definition": "[a] > b @ 5", "rounds": 10}.',
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("definition"), str):
        raise ModelError(
            'The JSON body needs a "definition" string.',
            hint='Send {"definition": "[a] > b @ 5", "rounds": 10}.',
        )
    rounds = payload.get("rounds")
    if rounds is not None and (isinstance(rounds, bool) or not isinstance(rounds, int)):
        raise ModelError('"rounds" must be a whole number.', hint='For example "rounds": 20.')
    overrides = payload.get("overrides")
    if overrides is not None and not _is_override_map(overrides):
        raise ModelError(
            '"overrides" must map stock names to numbers.',
            hint='For example "overrides": {"Engineers": 5}.',
        )
    return payload["definition"], rounds, _as_text(overrides)


def _is_override_map(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, int | float | str) and not isinstance(v, bool) for v in value.values()
    )


def _as_text(overrides: dict | None) -> dict | None:
    return None if overrides is None else {str(k): str(v) for k, v in overrides.items()}


def _query_rounds(request: Request) -> int | None:
    value = request.args.get("rounds")
    if value is None:
        return None
    if not value.lstrip("-").isdecimal() or len(value) > 18:
        raise ModelError(f"`rounds={value}` is not a whole number.", hint="For example ?rounds=20.")
    return int(value)


def _error(message: str, hint: str | None = None) -> dict:
    return error_json(ModelError(message, hint=hint))


def _reply(payload: dict, status: int, extra: dict | None = None) -> Response:
    headers = {**CORS_HEADERS, **(extra or {})}
    return Response(
        json.dumps(payload, ensure_ascii=False), status, headers, mimetype="application/json"
    )
