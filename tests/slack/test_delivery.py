"""Slack's delivery rules and bad moments: rate limits, server errors, blocks a workspace
can't show yet, bad signatures, bots, unhandled events, retries and a second instance."""

import json
import time
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from bot.slack.failures import SLACK_APOLOGY
from slack_standin import APP_ID, TEAM_ID
from slack_standin.sender import SlackSender, signature_headers
from tests.servers import FunctionServer
from tests.slack.conftest import SIGNING_SECRET, bot_env
from tests.slack.expect import block_texts, bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FENCED = f"```systems\n{FUNNEL}\n```"
FORM = "application/x-www-form-urlencoded"


def _command_body(slack, text: str = f"rounds=4\n{FUNNEL}") -> str:
    return urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/model",
            "text": text,
            "api_app_id": APP_ID,
            "response_url": slack.standin.new_response_url("C1", "U1"),
            "trigger_id": slack.standin.new_trigger_id(),
        }
    )


def _post_raw(url: str, body: str, headers: dict) -> int:
    request = Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urlopen(request, timeout=15) as response:
            return response.status
    except HTTPError as error:
        return error.code


# -- the Web API client ------------------------------------------------------------------------


def test_a_429_is_waited_out_and_the_run_is_posted_once(slack):
    slack.standin.fail_next("chat.postMessage", status=429, retry_after=1)

    response = slack.command(f"rounds=4\n{FUNNEL}")

    assert response.status_code == 200
    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table(FUNNEL, 4)
    assert len(slack.standin.calls_to("chat.postMessage")) == 2


def test_a_server_error_is_retried_once_and_the_run_is_posted_once(slack):
    slack.standin.fail_next("chat.postMessage", status=500)

    slack.command(f"rounds=4\n{FUNNEL}")

    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table(FUNNEL, 4)
    assert len(slack.standin.calls_to("chat.postMessage")) == 2


def test_under_random_faults_each_run_is_posted_once_or_the_user_is_told(slack):
    slack.command("help")  # the instance's auth.test happens before the faults begin
    slack.standin.set_random_faults(0.3, seed=2, slow_delay=0.2)

    for rounds in range(1, 7):
        assert slack.command(f"rounds={rounds}\n{FUNNEL}", user=f"U{rounds}").status_code == 200

    posted = [m["metadata"]["event_payload"]["rounds"] for m in slack.standin.messages("C1")]
    told = {m["recipient"] for m in slack.standin.ephemerals("C1")}
    assert len(posted) == len(set(posted)) >= 4
    for rounds in range(1, 7):
        assert (rounds in posted) != (f"U{rounds}" in told)


def test_without_charts_the_message_keeps_the_table_and_says_the_chart_is_left_out(slack):
    slack.standin.reject_block_type("data_visualization")

    slack.command(f"rounds=4\n{FUNNEL}")

    [message] = slack.standin.messages("C1")
    types = [b["type"] for b in message["blocks"]]
    assert "data_visualization" not in types
    assert table(message) == systems_table(FUNNEL, 4)
    assert "the chart is left out" in block_texts(message["blocks"])
    assert len(slack.standin.calls_to("chat.postMessage")) == 2


def test_without_tables_the_table_is_preformatted_text(slack):
    slack.standin.reject_block_type("table")

    slack.command(f"rounds=4\n{FUNNEL}")

    [message] = slack.standin.messages("C1")
    types = [b["type"] for b in message["blocks"]]
    assert "table" not in types and "data_visualization" not in types
    preformatted = [
        element["elements"][0]["text"]
        for block in message["blocks"]
        if block["type"] == "rich_text"
        for element in block["elements"]
    ]
    rows = [line.split() for line in preformatted[-1].splitlines()]
    assert rows == systems_table(FUNNEL, 4)
    assert "the table is plain text" in block_texts(message["blocks"])
    assert len(slack.standin.messages("C1")) == 1


# -- signatures --------------------------------------------------------------------------------


def test_a_forged_signature_gets_401_and_causes_nothing(slack, bot_server):
    forger = SlackSender(slack.standin, bot_server.url, "not-the-signing-secret")

    response = forger.command(f"rounds=4\n{FUNNEL}")
    event = forger.event(slack.user_message(FENCED))

    assert response.status_code == event.status_code == 401
    assert slack.standin.calls == []


def test_a_stale_timestamp_gets_401_and_causes_nothing(slack, bot_server):
    body = _command_body(slack)
    stale = signature_headers(body, SIGNING_SECRET, int(time.time()) - 6 * 60, FORM)

    assert _post_raw(bot_server.url, body, stale) == 401
    assert slack.standin.calls == []


@pytest.mark.parametrize("missing", ["X-Slack-Signature", "X-Slack-Request-Timestamp", "both"])
def test_missing_signature_headers_get_401_and_cause_nothing(slack, bot_server, missing):
    body = _command_body(slack)
    headers = signature_headers(body, SIGNING_SECRET, content_type=FORM)
    for name in ("X-Slack-Signature", "X-Slack-Request-Timestamp"):
        if missing in (name, "both"):
            del headers[name]

    assert _post_raw(bot_server.url, body, headers) == 401
    assert slack.standin.calls == []


# -- who the bot answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        {"bot_id": "BBOT", "user": "UBOT"},  # the bot itself
        {"bot_id": "BOTHER", "user": "UOTHER"},  # another app's bot
        {"subtype": "bot_message", "bot_id": "BOTHER", "username": "ci"},  # a legacy bot
    ],
    ids=["itself", "another_bot", "bot_message"],
)
@pytest.mark.parametrize("channel", ["C1", "D1"])
def test_bots_get_no_reply(slack, sender, channel):
    event = {**slack.user_message(FENCED, channel=channel), **sender}
    if "user" not in sender:
        del event["user"]

    message = slack.event(event)
    mention = slack.event(slack.as_mention({**event, "text": f"<@UBOT> {FENCED}"}))

    assert message.status_code == mention.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []
    assert slack.standin.calls_to("chat.update") == []


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_deleted", "hidden": True, "deleted_ts": "1.000001"},
        {"subtype": "channel_join", "text": "<@U2> has joined the channel"},
        {"subtype": "message_replied", "hidden": True},
    ],
    ids=["message_deleted", "channel_join", "message_replied"],
)
def test_unhandled_subscribed_events_are_answered_2xx(slack, extra):
    event = {"type": "message", "channel": "C1", "user": "U2", "ts": f"{time.time():.6f}"}

    response = slack.event({**event, **extra})

    assert 200 <= response.status_code < 300
    assert slack.standin.calls_to("chat.postMessage") == []


def test_url_verification_is_answered_with_the_challenge(slack):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aB", "type": "url_verification"})

    response = slack.post(body, "application/json")

    assert response.status_code == 200
    assert "3eZbrw1aB" in response.text


# -- retries -----------------------------------------------------------------------------------


def test_a_retried_event_gets_one_reply(slack):
    message = slack.user_message(FENCED)

    first = slack.event(message, event_id="EvDELIVERY1")
    retried = slack.event(message, event_id="EvDELIVERY1", retry=1)

    assert first.status_code == retried.status_code == 200
    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(FUNNEL, 10)


def test_a_retry_reaching_a_second_instance_gets_one_reply(slack, standin):
    message = slack.user_message(FENCED)
    with FunctionServer("slack_events", bot_env(standin)) as other:
        slack.event(message, event_id="EvDELIVERY2")
        retried = slack.event(message, event_id="EvDELIVERY2", retry=1, url=other.url)

    assert retried.status_code == 200
    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1
    assert len(slack.standin.calls_to("chat.postMessage")) == 1
    # The first delivery, answered in time, read nothing; the retry looked and found the reply.
    assert len(slack.standin.calls_to("conversations.replies")) == 1


def test_a_new_instance_calls_nothing_at_start_and_auth_test_once_when_it_works(slack, standin):
    with FunctionServer("slack_events", bot_env(standin)) as fresh:
        assert slack.standin.calls == []
        sender = SlackSender(standin, fresh.url, SIGNING_SECRET)
        slack.standin.start_outage(status=500)

        refused = sender.command(f"rounds=4\n{FUNNEL}")
        failed_tries = len(slack.standin.calls_to("auth.test"))
        slack.standin.end_outage()
        sender.command(f"rounds=4\n{FUNNEL}")
        sender.command(f"rounds=5\n{FUNNEL}")

    assert refused.status_code == 200
    [apology] = slack.standin.ephemerals("C1")
    assert (apology["recipient"], apology["text"]) == ("U1", SLACK_APOLOGY)
    assert len(slack.standin.calls_to("auth.test")) == failed_tries + 1  # then once for all
    assert len(slack.standin.messages("C1")) == 2


def test_an_event_whose_reply_slack_refused_is_answered_500_and_its_retry_replies_once(slack):
    message = slack.user_message(FENCED)
    slack.standin.fail_next("chat.postMessage", status=500, times=3)  # a try and two retries

    first = slack.event(message, event_id="EvREFUSED")
    retried = slack.event(message, event_id="EvREFUSED", retry=1)

    assert first.status_code == 500
    assert "Traceback" not in first.text
    assert retried.status_code == 200
    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1
