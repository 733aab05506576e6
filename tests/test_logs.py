"""bot.logs: one Cloud Logging JSON object per stdout line, trace fields, redaction."""

import json
import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.logs import Kind, Outcome, configure_logging, log_handled, trace_context
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.context import LoggedAs

ROOT = Path(__file__).resolve().parents[1]
TRACE_ID = "105445aa7843bc8bf206b12000100000"
PROJECT = "my-proj"
HEADER = f"{TRACE_ID}/1;o=1"

log = logging.getLogger("sysbot.test")


@pytest.fixture(autouse=True)
def _restore_logging():
    """configure_logging changes process-wide state; undo it so other tests are unaffected."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    quiet = {name: logging.getLogger(name).level for name in ("slack_bolt", "slack_sdk")}
    yield
    root.handlers[:], root.level = saved
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def lines(capsys):
    """Configure JSON logging at DEBUG and return a reader of the JSON lines written so far."""
    configure_logging("DEBUG")

    def read() -> list[dict]:
        out = capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return read


def test_each_record_is_one_json_line_with_severity_and_message(lines):
    log.info("hello %s", "world", extra={"fields": {"rounds": 3}})
    (entry,) = lines()
    assert entry["severity"] == "INFO"
    assert entry["message"] == "hello world"
    assert entry["logger"] == "sysbot.test"
    assert entry["rounds"] == 3


@pytest.mark.parametrize(
    "method, severity",
    [
        ("debug", "DEBUG"),
        ("info", "INFO"),
        ("warning", "WARNING"),
        ("error", "ERROR"),
        ("critical", "CRITICAL"),
    ],
)
def test_severity_mapping(lines, method, severity):
    getattr(log, method)("x")
    assert [e["severity"] for e in lines()] == [severity]


def test_plain_extra_keys_become_fields(lines):
    log.info("x", extra={"definition_chars": 42})
    assert lines()[0]["definition_chars"] == 42


def test_trace_fields_come_from_the_header(lines):
    with trace_context(HEADER, PROJECT):
        log.info("inside")
    log.info("outside")
    inside, outside = lines()
    assert inside["logging.googleapis.com/trace"] == f"projects/my-proj/traces/{TRACE_ID}"
    assert inside["logging.googleapis.com/spanId"] == "0000000000000001"
    assert inside["logging.googleapis.com/trace_sampled"] is True
    assert not any(k.startswith("logging.googleapis.com/") for k in outside)


def test_span_id_is_hex_encoded(lines):
    with trace_context(f"{TRACE_ID}/2712623234235627265;o=0", PROJECT):
        log.info("x")
    (entry,) = lines()
    assert entry["logging.googleapis.com/spanId"] == f"{2712623234235627265:016x}"
    assert entry["logging.googleapis.com/trace_sampled"] is False


def test_trace_without_span_or_options(lines):
    with trace_context(TRACE_ID, PROJECT):
        log.info("x")
    (entry,) = lines()
    assert entry["logging.googleapis.com/trace"].endswith(TRACE_ID)
    assert "logging.googleapis.com/spanId" not in entry


@pytest.mark.parametrize("header", [None, "", "not-a-trace", "abc/1;o=1", f"{TRACE_ID}/x;o=1"])
def test_missing_or_malformed_header_adds_no_trace(lines, header):
    with trace_context(header, PROJECT):
        log.info("x")
    assert not any(k.startswith("logging.googleapis.com/") for k in lines()[0])


def test_no_project_means_no_trace_name_but_span_kept(lines):
    with trace_context(HEADER):
        log.info("x")
    (entry,) = lines()
    assert "logging.googleapis.com/trace" not in entry
    assert entry["logging.googleapis.com/spanId"] == "0000000000000001"


def test_nested_contexts_restore_the_outer_trace(lines):
    other = "f" * 32
    with trace_context(HEADER, PROJECT):
        with trace_context(f"{other}/5", PROJECT):
            log.info("inner")
        log.info("outer")
    inner, outer = lines()
    assert inner["logging.googleapis.com/trace"].endswith(other)
    assert outer["logging.googleapis.com/trace"].endswith(TRACE_ID)


def test_trace_does_not_leak_between_threads(lines):
    seen = threading.Event()

    def other_request():
        log.info("other thread")
        seen.set()

    with trace_context(HEADER, PROJECT):
        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join()
    assert seen.is_set()
    assert "logging.googleapis.com/trace" not in lines()[0]


def test_log_handled_writes_one_summary_line(lines):
    log_handled(Kind.COMMAND, Outcome.OK, 12.3456, definition_chars=17, rounds=10, team="T1")
    (entry,) = lines()
    assert entry["severity"] == "INFO"
    assert entry["message"] == "command ok"
    assert entry["kind"] == "command"
    assert entry["outcome"] == "ok"
    assert entry["latency_ms"] == 12.3
    assert (entry["definition_chars"], entry["rounds"], entry["team"]) == (17, 10, "T1")


def test_log_handled_accepts_logrecord_attribute_names_as_fields(lines):
    # `extra={"name": ...}` would raise inside logging; fields must not.
    log_handled(Kind.API, Outcome.OK, 1, name="x", module="m", message="nope", severity="ERROR")
    (entry,) = lines()
    assert entry["message"] == "api ok"
    assert entry["severity"] == "INFO"
    assert entry["module"] == "m"


def test_log_handled_carries_the_trace(lines):
    with trace_context(HEADER, PROJECT):
        log_handled(Kind.API, Outcome.MODEL_ERROR, 3.0)
    assert lines()[0]["logging.googleapis.com/trace"].endswith(TRACE_ID)


def test_every_kind_is_logged_by_something():
    """Each listener names its kind where it is registered; the other kinds are logged by the
    listeners' shared code and by the entry points."""
    # Building the app calls nothing, so nothing need listen at the Web API's address.
    settings = Settings("xoxb-test", "test", slack_api_url="http://127.0.0.1:9/api/")
    app = build_app(settings)
    per_listener = [
        [m.kind for m in listener.middleware if isinstance(m, LoggedAs)]
        for listener in app._listeners
    ]
    assert all(len(kinds) == 1 for kinds in per_listener), per_listener  # one log line each
    registered = {kinds[0] for kinds in per_listener}
    # A message answered with a rerun (answering/exactly_once.py), the JSON API and Slack
    # requests refused before any listener (entrypoints.py, slack/failures.py).
    elsewhere = {Kind.RERUN, Kind.API, Kind.SLACK}
    assert not registered & elsewhere
    assert set(Kind) == registered | elsewhere


@pytest.mark.parametrize(
    "token",
    [
        "xoxb-1234-5678-abcdEFGH",
        "xoxp-1-2-3-abc",
        "xapp-1-A0B1C2-123-abc",
        "xoxe.xoxp-1-Mi0y",
        "xoxa-2-x",
        "xoxs-9",
        "xoxr-abc",
        "xoxo-1",
    ],
)
def test_slack_tokens_are_redacted_everywhere(lines, token):
    log.warning(
        "auth failed for %s", token, extra={"fields": {"tok": token, "nested": {"l": [token]}}}
    )
    raw = json.dumps(lines())
    assert token.split(".")[-1] not in raw
    assert "[redacted]" in raw


def test_redaction_keeps_the_surrounding_text(lines):
    log.info("token=xoxb-123-abc; retrying")
    assert lines()[0]["message"] == "token=[redacted]; retrying"


def test_exception_goes_to_stack_trace_not_raw_lines(lines, capsys):
    try:
        raise ValueError("bad xoxb-999-secret input")
    except ValueError:
        log.error("model failed", exc_info=True)
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one physical line despite the multi-line traceback
    entry = json.loads(out)
    assert entry["severity"] == "ERROR"
    assert entry["message"] == "model failed"
    assert entry["stack_trace"].startswith("Traceback (most recent call last):")
    assert "ValueError: bad [redacted] input" in entry["stack_trace"]
    assert "xoxb-999" not in out


def test_logger_exception_also_uses_stack_trace(lines):
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        log.exception("boom")
    (entry,) = lines()
    assert entry["severity"] == "ERROR"
    assert "ZeroDivisionError" in entry["stack_trace"]


def test_multiline_message_stays_on_one_line(lines):
    log.info("line one\nline two")
    entries = lines()  # a record split over two lines would fail to parse here
    assert [e["message"] for e in entries] == ["line one\nline two"]


def test_non_json_values_are_stringified(lines):
    log.info("x", extra={"fields": {"path": Path("/tmp/a"), "nan": float("nan"), "s": {1}}})
    (entry,) = lines()
    assert entry["path"] == "/tmp/a"
    assert entry["nan"] == "nan"
    assert entry["s"] == [1]


def test_configure_logging_is_idempotent(lines):
    configure_logging("DEBUG")
    configure_logging()
    log.warning("once")
    assert len(lines()) == 1


def test_level_is_read_without_regard_to_case(capsys):
    configure_logging("warning")
    log.info("hidden")
    log.warning("shown")
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["message"] for line in out] == ["shown"]


def test_unknown_level_falls_back_to_info():
    configure_logging("chatty")
    assert logging.getLogger().level == logging.INFO


def test_slack_loggers_are_quietened(lines):
    assert logging.getLogger("slack_bolt").level == logging.WARNING
    assert logging.getLogger("slack_sdk").level == logging.WARNING
    logging.getLogger("slack_bolt.App").info("request details")
    logging.getLogger("slack_sdk.web").warning("rate limited")
    assert [e["message"] for e in lines()] == ["rate limited"]


def test_import_is_light():
    """Cold starts pay for every import; bot.logs must pull in nothing beyond the stdlib."""
    code = "import sys, bot.logs; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = {name.split(".")[0] for name in result.stdout.split()}
    heavy = {"slack_bolt", "slack_sdk", "flask", "functions_framework", "systems", "requests"}
    assert not loaded & heavy
