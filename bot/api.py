"""The JSON HTTP API: POST {"definition": ..., "rounds": ...} and get the run back; with
"sweep", one run per starting value of a stock; with "seek", the starting value that meets a
goal."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from flask import Request, Response

from bot.http_body import read_body
from bot.model import (
    Goal,
    Limits,
    ModelError,
    Seek,
    Sweep,
    ValueRange,
    run_definition,
    seek_definition,
    sweep_definition,
)
from bot.model.scenario_syntax import as_value, exact_number, only_one, sweep_of
from bot.render.data import error_json, result_json, seek_json, sweep_json
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
        return _answer(_read_body(request, body), settings.limits)
    except ModelError as error:
        return _reply(error_json(error), 400)
    except Exception as error:  # the boundary: a traceback's text could quote the model
        logger.error("API request failed: %s", type(error).__name__)
        return _reply(_error(FAILED), 500)


@dataclass(frozen=True)
class _Asked:
    """What a request asks to run: one run, or a sweep or a seek (`many`)."""

    definition: str
    rounds: int | None = None
    overrides: dict[str, str] | None = None
    many: Sweep | Seek | None = None


def _answer(asked: _Asked, limits: Limits) -> Response:
    if isinstance(asked.many, Sweep):
        swept = sweep_definition(
            asked.definition, asked.many, asked.rounds, asked.overrides, limits
        )
        return _reply(sweep_json(swept), 200)
    if isinstance(asked.many, Seek):
        sought = seek_definition(
            asked.definition, asked.many, asked.rounds, asked.overrides, limits
        )
        return _reply(seek_json(sought), 200 if sought.answer else 400)
    result = run_definition(asked.definition, asked.rounds, asked.overrides, limits)
    return _reply(result_json(result), 200)


def _read_body(request: Request, body: bytes) -> _Asked:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelError("The body is not UTF-8 text.") from None
    if request.mimetype == "application/json" or text.lstrip().startswith("{"):
        asked = _read_json(text)  # no model starts with `{`
    else:
        asked = _Asked(text, _query_rounds(request))
    _check_usable("definition", asked.definition)
    for name, value in (asked.overrides or {}).items():
        _check_usable("overrides", name + value)
    return asked


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


def _read_json(text: str) -> _Asked:
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
    many = only_one(_read_sweep(payload.get("sweep")), _read_seek(payload.get("seek")))
    return _Asked(payload["definition"], rounds, _as_text(overrides), many)


def _is_override_map(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, int | float | str) and not isinstance(v, bool) for v in value.values()
    )


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read_sweep(sweep) -> Sweep | None:
    """`{"Recruiters": [1, 2, 3]}`, or a value set as text: `{"Rate": "0..1 step 0.1"}`."""
    if sweep is None:
        return None
    if not isinstance(sweep, dict) or not all(
        isinstance(values, str) or isinstance(values, list) and all(map(_is_number, values))
        for values in sweep.values()
    ):
        raise ModelError(
            '"sweep" must map a stock to a list of numbers, or to a range such as "1..5".',
            hint='For example "sweep": {"Recruiters": [1, 2, 3]}.',
        )
    for name, values in sweep.items():
        _check_usable("sweep", name + (values if isinstance(values, str) else ""))
    return sweep_of(sweep)


_SEEK_EXAMPLE = (
    'For example "seek": {"vary": "Recruiters", "target": "Hires", "op": ">=", "value": 50, '
    '"round": 20, "range": [0, 100]}.'
)


def _read_seek(seek) -> Seek | None:
    if seek is None:
        return None
    names = ("vary", "target", "op")
    if not (
        isinstance(seek, dict)
        and all(isinstance(seek.get(name), str) for name in names)
        and _is_number(seek.get("value"))
    ):
        raise ModelError(
            '"seek" needs "vary", "target" and "op" as text and "value" as a number.',
            hint=_SEEK_EXAMPLE,
        )
    _check_usable("seek", "".join(seek[name] for name in names))
    threshold = as_value(exact_number(seek["value"]))
    goal = Goal(seek["target"], seek["op"], threshold, seek.get("round"))
    return Seek(seek["vary"], goal, _read_bounds(seek.get("range"), seek.get("step")))


def _read_bounds(bounds, step) -> ValueRange | None:
    if bounds is None and step is None:
        return None
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(map(_is_number, bounds))):
        raise ModelError(
            '"range" in "seek" must be two numbers, the lowest and highest values to try.',
            hint='For example "range": [0, 100], and a "step" if you want one.',
        )
    if step is not None and not _is_number(step):
        raise ModelError('"step" in "seek" must be a number.', hint='For example "step": 0.1.')
    low, high = (exact_number(end) for end in bounds)
    return ValueRange(low, high, None if step is None else exact_number(step))


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
