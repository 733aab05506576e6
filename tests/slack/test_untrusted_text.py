"""Untrusted text end to end (issue 11): text of Slack's longest, shaped to make a scanner
backtrack, is read on the real server like any other and answered as any other; longer text is
not read at all, and only a message for the bot hears that it was too long.

These tests get a server of their own: on code that backtracks, one such message holds that
server's GIL for hours. The only clock is the Slack sender's 15 s timeout, a hang guard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from slack_standin import SlackStandIn
from slack_standin.sender import SlackSender
from tests.chat.examples import BOT_MENTION
from tests.chat.hostile import flow_line, rerun_word
from tests.servers import FunctionServer
from tests.slack.conftest import SIGNING_SECRET, bot_env
from tests.slack.expect import bot_replies

SLACK_LIMIT = 40_000  # characters in a message's text
HOSTILE = {"flow line": flow_line(SLACK_LIMIT), "rerun word": rerun_word(SLACK_LIMIT)}
MODEL = "[a] &gt; b @ 5"
TOO_LONG = MODEL + " " * SLACK_LIMIT


@pytest.fixture(scope="module")
def own_server(standin: SlackStandIn, tmp_path_factory) -> Iterator[FunctionServer]:
    log = tmp_path_factory.mktemp("logs") / "untrusted_text.log"
    with FunctionServer("slack_events", bot_env(standin), log_path=log) as server:
        yield server


@pytest.fixture
def slack(standin: SlackStandIn, own_server: FunctionServer) -> Iterator[SlackSender]:
    yield SlackSender(standin, own_server.url, SIGNING_SECRET)
    standin.reset()


def _answered(slack: SlackSender, text: str = MODEL) -> dict:
    message = slack.user_message(text)
    slack.event(message)
    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1
    return message


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_channel_message_is_read_and_left_alone(slack, shape):
    response = slack.event(slack.user_message(HOSTILE[shape]))

    assert response.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_thread_reply_is_read_and_left_alone(slack, shape):
    parent = _answered(slack)

    response = slack.event(slack.user_message(HOSTILE[shape], thread_ts=parent["ts"]))

    assert response.status_code == 200
    assert len(bot_replies(slack.standin, "C1", parent["ts"])) == 1


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_direct_message_gets_the_short_guide(slack, shape):
    message = slack.user_message(HOSTILE[shape], channel="D1")

    slack.event(message)

    [reply] = bot_replies(slack.standin, "D1", message["ts"])
    assert "/model" in reply["text"]


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_edit_says_the_model_is_gone(slack, shape):
    message = _answered(slack)

    slack.edit("C1", message["ts"], HOSTILE[shape])

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert "no longer holds a model" in reply["text"]


def _says_too_long(reply: dict, text: str) -> bool:
    return f"This message is {len(text):,} characters long" in reply["text"]


def test_too_long_a_mention_is_told_so_without_its_text_echoed(slack):
    message = slack.user_message(f"{BOT_MENTION} {TOO_LONG}")

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert _says_too_long(reply, message["text"])
    assert "as you sent it" not in str(reply["blocks"])


def test_too_long_a_direct_message_is_told_so(slack):
    message = slack.user_message(TOO_LONG, channel="D1")

    slack.event(message)

    [reply] = bot_replies(slack.standin, "D1", message["ts"])
    assert _says_too_long(reply, TOO_LONG)


def test_too_long_an_edit_of_an_answered_message_is_told_so(slack):
    message = _answered(slack)

    slack.edit("C1", message["ts"], TOO_LONG)

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert _says_too_long(reply, TOO_LONG)


def test_too_long_a_message_not_for_the_bot_gets_no_answer(slack):
    parent = _answered(slack)

    slack.event(slack.user_message(TOO_LONG))
    slack.event(slack.user_message(TOO_LONG, thread_ts=parent["ts"]))

    assert len(slack.standin.calls_to("chat.postMessage")) == 1  # the first run's answer
