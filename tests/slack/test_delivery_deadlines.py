"""Slack at its worst, with one deadline per request: every Web API call rate-limited for a
while (429, Retry-After 30) or hanging, Slack unreachable from the start, a repeat delivery
while the first is still being handled. Nothing is lost and nothing doubled, and no answer
waits for Slack past the deadline. Each test sends only what Slack would; none sleeps long."""

from __future__ import annotations

import threading
import time

import pytest

from bot.slack.failures import LATE_APOLOGY, SLACK_APOLOGY
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer, free_port
from tests.slack.conftest import SIGNING_SECRET, bot_env
from tests.slack.expect import bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FENCED = f"```systems\n{FUNNEL}\n```"
HANG_SECONDS = 10  # far past any deadline: a call to a hanging Slack never comes back in time


@pytest.fixture
def warm(slack: SlackSender) -> SlackSender:
    """The instance's one auth.test happens before Slack's trouble starts."""
    slack.command("help")
    return slack


@pytest.mark.parametrize(
    "trouble",
    [{"status": 429, "retry_after": 30}, {"delay": HANG_SECONDS}],
    ids=["rate_limited_30s", "hanging"],
)
def test_a_mention_through_slacks_trouble_gets_exactly_one_reply(warm, trouble):
    mention = warm.as_mention(warm.user_message(f"<@UBOT> {FENCED}"))
    warm.standin.start_outage(**trouble)

    first = warm.event(mention, event_id="EvTROUBLE")  # abandoned at the deadline: Slack retries
    retried = warm.event(mention, event_id="EvTROUBLE", retry=1)  # 3 s later, still in trouble
    warm.standin.end_outage()
    recovered = warm.event(mention, event_id="EvTROUBLE", retry=2)

    assert (first.status_code, retried.status_code, recovered.status_code) == (500, 500, 200)
    [reply] = bot_replies(warm.standin, "C1", mention["ts"])
    assert table(reply) == systems_table(FUNNEL, 10)


def test_a_command_while_slack_rate_limits_is_told_so_through_its_response_url(warm):
    warm.standin.start_outage(status=429, retry_after=30)

    response = warm.command(f"rounds=4\n{FUNNEL}", user="U5")

    assert response.status_code == 200
    assert warm.standin.messages("C1") == []
    [apology] = warm.standin.ephemerals("C1")
    assert (apology["recipient"], apology["text"]) == ("U5", SLACK_APOLOGY)


def test_a_command_whose_post_hangs_is_told_it_may_not_have_been_posted(warm):
    warm.standin.start_outage(delay=HANG_SECONDS)

    response = warm.command(f"rounds=4\n{FUNNEL}", user="U6")

    assert response.status_code == 200
    [apology] = warm.standin.ephemerals("C1")
    assert (apology["recipient"], apology["text"]) == ("U6", LATE_APOLOGY)


def test_a_repeat_while_the_first_is_still_being_handled_is_not_called_a_duplicate(warm):
    message = warm.user_message(FENCED)
    warm.standin.start_outage(delay=HANG_SECONDS)  # the first delivery's reply hangs
    first = threading.Thread(target=warm.event, args=(message, "EvSLOW"))
    first.start()
    time.sleep(0.3)

    repeat = warm.event(message, event_id="EvSLOW", retry=1)  # on the same instance
    first.join()
    warm.standin.end_outage()
    recovered = warm.event(message, event_id="EvSLOW", retry=2)

    assert repeat.status_code == 500  # not "duplicate": no reply was known to exist
    assert recovered.status_code == 200
    assert len(bot_replies(warm.standin, "C1", message["ts"])) == 1


def test_when_slack_cannot_be_reached_at_all_events_are_retried_and_people_told(standin):
    unreachable = {**bot_env(standin), "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}
    with FunctionServer("slack_events", unreachable) as server:
        slack = SlackSender(standin, server.url, SIGNING_SECRET)

        event = slack.event(slack.user_message(FENCED))
        command = slack.command(f"rounds=4\n{FUNNEL}", user="U7")

    assert event.status_code == 500  # Slack's fault: its retry can still be answered
    assert command.status_code == 200
    [apology] = standin.ephemerals("C1")
    assert (apology["recipient"], apology["text"]) == ("U7", SLACK_APOLOGY)
    standin.reset()
