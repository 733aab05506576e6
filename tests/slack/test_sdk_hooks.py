"""The hooks' own choices: a proxy leaves the HTTP to urllib, and respond takes what Bolt's
takes."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from unittest.mock import Mock

import pytest

from bot.slack.sdk_hooks import PooledRespond, PooledWebClient
from bot.slack.web_transport import Transport
from slack_standin import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        slack.add_channel("C1", name="general")
        yield slack


def test_through_a_proxy_urllib_sends_everything_as_it_did(standin: SlackStandIn) -> None:
    # The stand-in serves absolute-form requests as the far end of a forward proxy would.
    transport = Mock(spec=Transport)
    client = PooledWebClient(
        transport=transport,
        token=standin.bot_token,
        base_url=standin.api_url,
        proxy=standin.base_url,
    )
    client.chat_postMessage(channel="C1", text="via the proxy")
    client.files_upload_v2(channel="C1", content="a,b\n", filename="run.csv")
    respond = PooledRespond(
        response_url=standin.new_response_url("C1", "U1"),
        proxy=standin.base_url,
        ssl=None,
        transport=transport,
    )
    assert respond(text="responded", response_type="in_channel").status_code == 200
    transport.post.assert_not_called()
    texts = [m.get("text") for m in standin.messages("C1")]
    assert {"via the proxy", "responded"} <= set(texts) and len(standin.files) == 1
    assert standin.traffic().connections == standin.traffic().requests  # urllib's: one each


def test_respond_takes_a_whole_message_as_a_dict(standin: SlackStandIn) -> None:
    transport = Transport(ssl.create_default_context())
    respond = PooledRespond(response_url=standin.new_response_url("C1", "U1"), transport=transport)
    assert respond({"text": "whole", "response_type": "in_channel"}).status_code == 200
    assert [m["text"] for m in standin.messages("C1")] == ["whole"]
    transport.close()
