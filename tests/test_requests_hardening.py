"""Requests that must cause nothing: unsigned, forged, replayed, tampered and oversized ones;
and clients that send slowly, which must not hold the instance's threads.

tests/slack/test_delivery.py already covers a forged command and event, a stale command and
missing headers; tests/test_api.py covers malformed JSON, wrong types and oversized API bodies
with and without Content-Length. Here: every kind of Slack request with a tampered body, a
replayed or future timestamp, a timestamp that is not a number and a signature of another
version; Slack bodies over SYSBOT_MAX_SLACK_BODY_BYTES refused with 413 before any signature check
or parsing, declared or chunked; and random JSON for the API, never answered 5xx.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slack_standin import SlackStandIn
from slack_standin.sender import signature_headers
from tests.in_process import function_client
from tests.servers import FunctionServer
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, bot_env

SLACK_LIMIT = 4096
JSON, FORM = "application/json", "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=BOT_TOKEN) as slack:
        slack.add_channel("C1", name="general")
        yield slack


@pytest.fixture(scope="module")
def server(standin: SlackStandIn, tmp_path_factory) -> Iterator[FunctionServer]:
    env = {**bot_env(standin), "SYSBOT_MAX_SLACK_BODY_BYTES": str(SLACK_LIMIT)}
    log = tmp_path_factory.mktemp("hardening") / "slack_events.log"
    with FunctionServer("slack_events", env, log_path=log) as running:
        running.log = log
        yield running


@pytest.fixture
def slack(standin: SlackStandIn) -> Iterator[SlackStandIn]:
    standin.reset()
    yield standin


def post(port: int, body: bytes, headers: dict[str, str], chunked: bool = False) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        if chunked:
            chunks = (body[i : i + 1000] for i in range(0, len(body), 1000))
            connection.request("POST", "/", body=chunks, headers=headers, encode_chunked=True)
        else:
            connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# --- what Slack sends, by kind -------------------------------------------------------------------


def _command(slack: SlackStandIn) -> tuple[str, str]:
    fields = {
        "command": "/model",
        "text": "[a] > b @ 5",
        "channel_id": "C1",
        "user_id": "U1",
        "response_url": slack.new_response_url("C1", "U1"),
        "trigger_id": slack.new_trigger_id(),
    }
    return urlencode(fields), FORM


def _event(slack: SlackStandIn) -> tuple[str, str]:
    ts = slack.add_user_message("C1", "```systems\n[a] > b @ 5\n```")["ts"]
    event = {
        "type": "message",
        "channel": "C1",
        "user": "U1",
        "text": "```[a] > b @ 5```",
        "ts": ts,
    }
    body = {"type": "event_callback", "event_id": f"Ev{ts}", "team_id": "T0SYSBOT", "event": event}
    return json.dumps(body), JSON


def _click(slack: SlackStandIn) -> tuple[str, str]:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "trigger_id": slack.new_trigger_id(),
        "response_url": slack.new_response_url("C1", "U1"),
        "actions": [{"action_id": "sysbot_open_editor", "type": "button", "value": "{}"}],
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


def _submission(slack: SlackStandIn) -> tuple[str, str]:
    values = {"definition": {"value": {"type": "plain_text_input", "value": "[a] > b @ 5"}}}
    payload = {
        "type": "view_submission",
        "team": {"id": "T0SYSBOT"},
        "user": {"id": "U1"},
        "api_app_id": "ASYSBOT",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "sysbot_model_modal",
            "private_metadata": '{"channel": "C1"}',
            "state": {"values": values},
        },
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


KINDS: dict[str, Callable[[SlackStandIn], tuple[str, str]]] = {
    "command": _command,
    "event": _event,
    "click": _click,
    "submission": _submission,
}


# --- signatures ----------------------------------------------------------------------------------


def _tampered(body: str, content_type: str) -> tuple[str, dict]:
    headers = signature_headers(body, SIGNING_SECRET, content_type=content_type)
    return body.replace("5", "6", 1), headers


def _replayed(body: str, content_type: str) -> tuple[str, dict]:
    return body, signature_headers(body, SIGNING_SECRET, int(time.time()) - 301, content_type)


def _from_the_future(body: str, content_type: str) -> tuple[str, dict]:
    # The server reads its clock later than this, which brings a stamp from the future nearer:
    # at 301 s (rounded down) a request that took longer than the rest of this second got in.
    return body, signature_headers(body, SIGNING_SECRET, int(time.time()) + 6 * 60, content_type)


def _timestamp_not_a_number(body: str, content_type: str) -> tuple[str, dict]:
    headers = signature_headers(body, SIGNING_SECRET, content_type=content_type)
    return body, {**headers, "X-Slack-Request-Timestamp": "soon"}


def _another_version(body: str, content_type: str) -> tuple[str, dict]:
    headers = signature_headers(body, SIGNING_SECRET, content_type=content_type)
    return body, {**headers, "X-Slack-Signature": "v1=" + headers["X-Slack-Signature"][3:]}


def _forged(body: str, content_type: str) -> tuple[str, dict]:
    return body, signature_headers(body, "not-the-signing-secret", content_type=content_type)


SIGNATURES = {
    "tampered": _tampered,
    "replayed": _replayed,
    "future": _from_the_future,
    "timestamp_not_a_number": _timestamp_not_a_number,
    "another_version": _another_version,
    "forged": _forged,
}


@pytest.mark.parametrize("signature", SIGNATURES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_signature_gets_401_and_causes_nothing(server, slack, kind, signature):
    body, content_type = KINDS[kind](slack)
    sent, headers = SIGNATURES[signature](body, content_type)

    assert post(server.port, sent.encode(), headers) == 401
    assert slack.calls == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_requests_correctly_signed_are_served(server, slack, kind):
    body, content_type = KINDS[kind](slack)
    headers = signature_headers(body, SIGNING_SECRET, content_type=content_type)

    assert post(server.port, body.encode(), headers) == 200
    assert slack.calls  # each does something in Slack (auth.test at least)


# --- replays ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["command", "click", "submission"])
def test_a_signed_request_sent_again_is_not_acted_on_again(server, slack, kind):
    body, content_type = KINDS[kind](slack)
    headers = signature_headers(body, SIGNING_SECRET, content_type=content_type)
    assert post(server.port, body.encode(), headers) == 200
    acted = slack.calls

    assert post(server.port, body.encode(), headers) == 200  # within Slack's 5 minutes
    assert slack.calls == acted


def test_an_unsigned_body_is_refused_before_anything_parses_it(monkeypatch):
    """262,000 form fields, unsigned: refused without Bolt ever reading them."""
    import slack_bolt.request.request as bolt_request

    parsed = []
    monkeypatch.setattr(bolt_request, "parse_body", lambda *args: parsed.append(args) or {})
    fields = b"&".join([b"a="] * 262_000)
    with SlackStandIn(bot_token=BOT_TOKEN) as standin:
        with function_client("slack_events", bot_env(standin)) as handler:
            response = handler.post("/", data=fields, content_type=FORM)

    assert response.status_code == 401
    assert parsed == []


# --- body size -----------------------------------------------------------------------------------


def _event_of_size(slack: SlackStandIn, size: int) -> bytes:
    """A signed-able message event whose JSON body is exactly `size` bytes."""
    body, _ = _event(slack)
    padding = size - len(body.encode()) - len(', "pad": ""')
    assert padding >= 0
    return (body[:-1] + f', "pad": "{"x" * padding}"}}').encode()


@pytest.mark.parametrize("chunked", [False, True], ids=["content_length", "chunked"])
def test_a_slack_body_one_byte_over_the_limit_gets_413_and_causes_nothing(server, slack, chunked):
    body = _event_of_size(slack, SLACK_LIMIT + 1)
    headers = signature_headers(body.decode(), SIGNING_SECRET, content_type=JSON)

    assert post(server.port, body, headers, chunked=chunked) == 413
    assert slack.calls == []
    assert '"outcome": "too_large"' in server.log.read_text()


@pytest.mark.parametrize("chunked", [False, True], ids=["content_length", "chunked"])
def test_a_slack_body_at_the_limit_is_served(server, slack, chunked):
    body = _event_of_size(slack, SLACK_LIMIT)
    headers = signature_headers(body.decode(), SIGNING_SECRET, content_type=JSON)

    assert post(server.port, body, headers, chunked=chunked) == 200
    assert slack.calls_to("chat.postMessage")


def test_an_oversized_body_is_refused_before_its_signature_or_json_is_read(server, slack):
    body = b"{not json, not signed" + b"!" * SLACK_LIMIT

    assert post(server.port, body, {"Content-Type": JSON}) == 413
    assert post(server.port, body, {"Content-Type": JSON}, chunked=True) == 413
    assert slack.calls == []


# --- the API, in this process, with random JSON --------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(st.characters(codec="utf-8"))
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "definition": st.one_of(st.sampled_from(["[a] > b @ 5", "a(2) > b @ 1"]), values),
        "rounds": st.one_of(st.integers(-5, 2000), values),
        "overrides": st.one_of(st.dictionaries(st.sampled_from(["a", "b", "x"]), values), values),
    },
)


@pytest.fixture(scope="module")
def api():
    with function_client("run_model") as client:
        yield client


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(body=st.one_of(bodies, values))
def test_the_api_answers_random_json_with_a_result_or_a_clear_400(api, body):
    response = api.post("/", data=json.dumps(body), content_type=JSON)

    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    payload = response.get_json()
    if response.status_code == 400:
        assert set(payload["error"]) == {"message", "line", "column", "hint"}
        assert payload["error"]["message"] and "Traceback" not in response.get_data(as_text=True)
    else:
        assert payload["columns"][0] == "round" and payload["rows"]


# --- slow clients ------------------------------------------------------------------------------
# Past SYSBOT_MAX_REQUEST_SECONDS a connection is cut off and its thread serves others: here two
# threads, a one-second limit, and two clients sending a header byte at a time.

THREADS = 2
DRIP_FOR_SECONDS = 20  # far longer than the client below waits


@pytest.fixture
def two_threads() -> Iterator[FunctionServer]:
    with SlackStandIn(bot_token=BOT_TOKEN) as standin:
        env = {**bot_env(standin), "THREADS": str(THREADS), "SYSBOT_MAX_REQUEST_SECONDS": "1"}
        with FunctionServer("slack_events", env) as running:
            yield running


def _slow_client(port: int, cut_off: list[bool], stop: threading.Event) -> None:
    """Starts a request, then sends one header byte at a time until the server hangs up."""
    with socket.create_connection(("127.0.0.1", port), timeout=DRIP_FOR_SECONDS) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: bot\r\nX-Slow: ")
        ends = time.monotonic() + DRIP_FOR_SECONDS
        while time.monotonic() < ends and not stop.is_set():
            try:
                sock.sendall(b"a")
                sock.settimeout(0.2)
                if sock.recv(1) == b"":
                    cut_off.append(True)
                    return
            except TimeoutError:
                continue
            except OSError:
                cut_off.append(True)
                return


def _url_verification(port: int, timeout: float) -> int:
    body = json.dumps({"type": "url_verification", "challenge": "c", "token": "t"})
    headers = signature_headers(body, SIGNING_SECRET)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = f"POST / HTTP/1.1\r\nHost: bot\r\n{head}Content-Length: {len(body)}\r\n\r\n"
        sock.sendall(request.encode() + body.encode())
        return int(sock.recv(64).split()[1])


def test_slow_clients_are_cut_off_and_a_normal_request_is_served(two_threads):
    cut_off: list[bool] = []
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_client, args=(two_threads.port, cut_off, stop))
        for _ in range(THREADS)
    ]
    for client in slow:
        client.start()
    time.sleep(0.3)  # both threads are now busy reading a slow request

    try:
        status = _url_verification(two_threads.port, timeout=10)
    finally:
        stop.set()
        for client in slow:
            client.join()

    assert status == 200
    assert cut_off == [True] * THREADS
