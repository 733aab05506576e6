"""Injected failures: rate limits, server errors, dropped connections, slow answers, new blocks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.client import RemoteDisconnected
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from slack_standin import SlackStandIn
from tests.standin_delays import StandInDelays, stand_in_delays

TABLE = {
    "type": "table",
    "rows": [[{"type": "raw_text", "text": "t"}], [{"type": "raw_text", "text": "0"}]],
}
PREFORMATTED = {
    "type": "rich_text",
    "elements": [
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "t\n0"}]}
    ],
}


def client_for(standin: SlackStandIn, **options: Any) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url, **options)


def test_rate_limited_answer(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    response = caught.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.data == {"ok": False, "error": "ratelimited"}
    assert client.chat_postMessage(channel="C1", text="x")["ok"]  # only the next call failed


def test_rate_limit_retry_handler_gets_through(standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage")  # 429, Retry-After: 1
    client = client_for(standin, retry_handlers=[RateLimitErrorRetryHandler()])
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="patient")["ok"]
    assert time.monotonic() - started >= 1.0  # it honoured Retry-After
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert [m["text"] for m in standin.messages("C1")] == ["patient"]


def test_server_error(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("conversations.replies", status=500, times=2)
    parent = standin.add_user_message("C1", "p")
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            client.conversations_replies(channel="C1", ts=parent["ts"])
        assert caught.value.response.status_code == 500
        assert "Retry-After" not in caught.value.response.headers
    assert client.conversations_replies(channel="C1", ts=parent["ts"])["ok"]


def test_server_error_retry_handler_gets_through(standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", status=500)
    handler = ServerErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))
    client = client_for(standin, retry_handlers=[handler])
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert len(standin.messages("C1")) == 1


def test_slow_answer(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", delay=0.3)
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="late")["ok"]
    assert time.monotonic() - started >= 0.3


def test_slow_answer_past_the_client_timeout_still_posts(standin: SlackStandIn) -> None:
    # The hazard behind duplicate replies: Slack did the work, the caller saw a timeout.
    standin.fail_next("chat.postMessage", delay=1.0)
    impatient = client_for(standin, timeout=0.3, retry_handlers=[])
    # The answer is held until the client has given up, however slowly this machine runs.
    with stand_in_delays() as held, pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C1", text="did it post?")
    assert held.delays == [1.0]
    assert [m["text"] for m in standin.messages("C1")] == ["did it post?"]


def test_reject_block_type_forces_a_fallback(client: WebClient, standin: SlackStandIn) -> None:
    standin.reject_block_type("table")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t", blocks=[TABLE])
    assert caught.value.response["error"] == "invalid_blocks"
    assert (
        "unsupported block type `table`"
        in caught.value.response["response_metadata"]["messages"][0]
    )
    assert client.chat_postMessage(channel="C1", text="t", blocks=[PREFORMATTED])["ok"]


@pytest.fixture
def delays() -> Iterator[StandInDelays]:
    with stand_in_delays(held=False) as recorded:
        yield recorded


def outcome(client: WebClient, delays: StandInDelays) -> str:
    """What one call experienced, as a fault kind. "slow" is the delay the stand-in applied, not
    a time measured: an ordinary call on a loaded machine can take as long as a slow answer."""
    applied = len(delays.delays)
    try:
        client.auth_test()
    except SlackApiError as error:
        return str(error.response.status_code)
    except (RemoteDisconnected, ConnectionError):
        return "drop"
    return "slow" if len(delays.delays) > applied else "ok"


def test_random_faults(client: WebClient, standin: SlackStandIn, delays: StandInDelays) -> None:
    standin.set_random_faults(rate=1.0, seed=1234, slow_delay=0.05)
    first = [outcome(client, delays) for _ in range(16)]
    assert set(first) == {"429", "500", "drop", "slow"}
    assert delays.delays == [0.05] * first.count("slow")

    standin.set_random_faults(rate=1.0, seed=1234, slow_delay=0.05)
    assert [outcome(client, delays) for _ in range(16)] == first  # a seed makes it repeatable

    standin.set_random_faults(rate=0)
    assert all(client.auth_test()["ok"] for _ in range(5))


def test_random_fault_rate_is_roughly_honoured(
    client: WebClient, standin: SlackStandIn, delays: StandInDelays
) -> None:
    standin.set_random_faults(rate=0.1, seed=1234, slow_delay=0.0)
    failures = sum(outcome(client, delays) in ("429", "500", "drop") for _ in range(100))
    assert 1 <= failures <= 20
