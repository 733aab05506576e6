"""Fixtures: a running stand-in with a few conversations, and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from slack_standin import SlackStandIn

TOKEN = "xoxb-test-token"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=TOKEN, port=0) as slack:
        slack.add_channel("C1", name="general", bot_is_member=True)
        slack.add_channel("C2", name="elsewhere", bot_is_member=False)
        slack.add_channel("G1", name="secret", bot_is_member=True)
        slack.add_channel("G2", name="closed", bot_is_member=False)
        slack.add_channel("D1", bot_is_member=False)  # DMs need no invitation
        yield slack


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    # No retry handlers: each test decides what retrying it wants to prove.
    return WebClient(token=TOKEN, base_url=standin.api_url, retry_handlers=[])
