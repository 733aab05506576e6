"""One stand-in and one real functions-framework server for all Slack tests; the stand-in is
reset after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.manifest import load_manifest
from slack_standin import SlackStandIn
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"

CHANNELS = {"C1": True, "C2": False, "G1": True, "D1": False}


def bot_env(standin: SlackStandIn) -> dict[str, str]:
    # Runs here are checked against `systems`' whole run, and a 1,000-round run of 200 stocks
    # takes a fifth of the 1 s default budget here: a slower machine, or one so loaded that the
    # 3 s wall-clock backstop passes, could cut it short. The budget itself is tested with
    # clocks the test controls (tests/model/test_limits.py).
    return {
        **standin.bot_settings(SIGNING_SECRET),
        "LOG_LEVEL": "INFO",
        "SYSBOT_TIME_BUDGET_SECONDS": "60",
    }


@pytest.fixture(scope="session")
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=BOT_TOKEN) as slack:
        for channel, member in CHANNELS.items():
            slack.add_channel(channel, name=channel.lower(), bot_is_member=member)
        slack.declare_functions(load_manifest()["functions"])
        yield slack


@pytest.fixture(scope="session")
def bot_server(standin: SlackStandIn, tmp_path_factory) -> Iterator[FunctionServer]:
    log = tmp_path_factory.mktemp("logs") / "slack_events.log"
    with FunctionServer("slack_events", bot_env(standin), log_path=log) as server:
        yield server


@pytest.fixture
def slack(standin: SlackStandIn, bot_server: FunctionServer) -> Iterator[SlackSender]:
    yield SlackSender(standin, bot_server.url, SIGNING_SECRET)
    standin.reset()
